/*
 * fuzz_cut.c - a sheet's XML cut into runs of rows (cut.h), on any bytes:
 * the items handed back, in order, are the stream itself, byte for byte,
 * each with its line ends counted; a run of rows holds no "<!" or "<?" and
 * ends with a row's end tag; the stream ends with
 * one END; and stopping at any item leaves nothing running.
 *
 * The first byte picks how many bytes a read returns (1 to 64), the second
 * the run's size (16 to 271 bytes, and at most four times that without a
 * row's end) and after how many items the reader stops (0: never); the
 * rest is the stream.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/cut.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t *p;
	size_t n, at, step;
};

static long long
read_some(void *arg, char *buf, size_t n, char *err, size_t errsz)
{
	struct in *in = arg;
	size_t k = in->n - in->at;

	(void)err;
	(void)errsz;
	if (k > n)
		k = n;
	if (k > in->step)
		k = in->step;
	memcpy(buf, in->p + in->at, k);
	in->at += k;
	return (long long)k;
}

static void *
worker_new(void *arg)
{
	return arg;
}

static void
worker_free(void *w)
{
	(void)w;
}

static int
has(const char *s, size_t n, const char *what)
{
	size_t k = strlen(what), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, what, k) == 0)
			return 1;
	return 0;
}

/* A run: whole rows, nothing that could hide a row's end. */
static void
parse(void *w, struct hl_cut_item *it)
{
	const char *s = it->data;
	size_t n = it->len;

	(void)w;
	if (n < 6 || has(s, n, "<!") || has(s, n, "<?") ||
	    memcmp(s + n - 4, "row>", 4) != 0)
		abort();
	it->out = (void *)1; /* parsed */
}

static void
out_free(void *out)
{
	(void)out;
}

static const struct hl_cut_ops ops = {
    read_some, worker_new, worker_free, parse, out_free,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in;
	struct hl_cut *c;
	struct hl_cut_item *it;
	size_t at = 0, run, items = 0, stop_at;
	unsigned long nl;
	const char *p;

	if (size < 2)
		return 0;
	in.step = 1 + data[0] % 64;
	run = 16 + data[1];
	stop_at = data[1] % 7;
	in.p = data + 2;
	in.n = size - 2;
	in.at = 0;
	c = hl_cut_start(&ops, &in, 2, run, 4 * run);
	for (;;) {
		it = hl_cut_next(c);
		if (it->kind == HL_CUT_END) {
			if (at != in.n)
				abort();
			hl_cut_done(c);
			break;
		}
		if (it->kind == HL_CUT_ERROR ||
		    (it->kind == HL_CUT_ROWS && it->out != (void *)1) ||
		    it->len > in.n - at ||
		    memcmp(it->data, in.p + at, it->len) != 0)
			abort();
		/* line ends as XML counts them: CR LF, CR, LF */
		for (nl = 0, p = it->data; p < it->data + it->len; p++)
			nl += *p == '\r' ||
			      (*p == '\n' && (p == it->data || p[-1] != '\r'));
		if (nl != it->newlines)
			abort();
		if (it->kind == HL_CUT_ROWS)
			it->out = NULL;
		at += it->len;
		hl_cut_done(c);
		if (++items == stop_at)
			break;
	}
	hl_cut_stop(c);
	return 0;
}
