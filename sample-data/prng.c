/*
 * prng.c - the generator's own randomness and the little arithmetic it
 * needs.  Only + - * / and exact scaling by powers of two are used, so the
 * results are the same bits on every IEEE-754 machine.
 */
#include "sample-data/gen.h"

uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

void
rng_seed(struct rng *r, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t x = mix64(a) ^ mix64(b + 0x1234567ull) ^
		     mix64(c + 0xabcdef01ull) ^ mix64(d + 0x5555aaaaull);
	int i;

	for (i = 0; i < 4; i++) {
		x = mix64(x + (uint64_t)i);
		r->s[i] = x;
	}
	if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
		r->s[0] = 1;
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = rng_next(r);
	while (x >= limit);
	return x % n;
}

double
rng_normal(struct rng *r)
{
	double s = 0;
	int i;

	for (i = 0; i < 12; i++)
		s += rng_unit(r);
	return s - 6.0;
}

int
rng_pick(struct rng *r, const double *w, int n)
{
	double total = 0, x;
	int i;

	for (i = 0; i < n; i++)
		total += w[i];
	x = rng_unit(r) * total;
	for (i = 0; i < n - 1; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

double
det_exp(double x)
{
	static const double ln2 = 0.6931471805599453;
	double r, term, sum;
	int k, i;

	if (x > 700)
		x = 700;
	if (x < -700)
		return 0;
	k = (int)(x / ln2 + (x >= 0 ? 0.5 : -0.5));
	r = x - k * ln2;
	sum = 1;
	term = 1;
	for (i = 1; i <= 16; i++) {
		term = term * r / i;
		sum += term;
	}
	/* Multiplying by 2 or 1/2 is exact, so the scaling adds no error. */
	for (; k > 0; k--)
		sum *= 2;
	for (; k < 0; k++)
		sum *= 0.5;
	return sum;
}

double
rng_lognormal(struct rng *r, double mean, double sigma)
{
	return mean * det_exp(sigma * rng_normal(r) - sigma * sigma / 2);
}
