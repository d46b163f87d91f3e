/*
 * buf.c - struct hl_buf, the one growable byte buffer (invariants in
 * util.h), and the hash of bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

char hl_buf_empty[1];

void
hl_buf_init(struct hl_buf *b)
{
	b->data = hl_buf_empty;
	b->len = 0;
	b->cap = 0;
}

void
hl_buf_release(struct hl_buf *b)
{
	if (b->cap)
		free(b->data);
	hl_buf_init(b);
}

/* The empty buffer's byte is never written: every thread shares it. */
void
hl_buf_reset(struct hl_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

void
hl_buf_grow(struct hl_buf *b, size_t extra)
{
	size_t want, cap;

	if (extra > SIZE_MAX - b->len - 1)
		hl_oom(SIZE_MAX);
	want = b->len + extra;
	if (want <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (b->cap == 0) {
		b->data = hl_xmalloc(cap + 1);
		b->data[0] = '\0';
	} else {
		b->data = hl_xrealloc(b->data, cap + 1);
	}
	b->cap = cap;
}

void
hl_buf_add(struct hl_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	hl_buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
hl_buf_adds(struct hl_buf *b, const char *s)
{
	hl_buf_add(b, s, strlen(s));
}

void
hl_buf_addc(struct hl_buf *b, char c)
{
	if (b->len >= b->cap)
		hl_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

size_t
hl_buf_put(struct hl_buf *b, const void *p, size_t n)
{
	size_t at = b->len;

	hl_buf_add(b, p, n);
	hl_buf_addc(b, '\0');
	return at;
}

char *
hl_digits(char *d, long long n, int width)
{
	char t[24];
	int k = 0;
	unsigned long long u =
	    n < 0 ? 0 - (unsigned long long)n : (unsigned long long)n;

	do {
		t[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u || k < width);
	if (n < 0)
		*d++ = '-';
	while (k)
		*d++ = t[--k];
	return d;
}

void
hl_buf_vprintf(struct hl_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = b->cap ? vsnprintf(b->data + b->len, b->cap - b->len + 1, fmt, cp)
		   : vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n > b->cap - b->len) {
		hl_buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void
hl_buf_printf(struct hl_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hl_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
hl_buf_detach(struct hl_buf *b, size_t *len)
{
	char *p;

	if (len)
		*len = b->len;
	p = b->cap ? b->data : hl_xstrdup("");
	hl_buf_init(b);
	return p;
}

/* The 8 bytes at p as a little-endian number (one load on x86). */
static uint64_t
load64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	       (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	       (uint64_t)p[7] << 56;
}

/* splitmix64's finaliser: every input bit reaches every output bit. */
static uint64_t
mix(uint64_t h)
{
	h = (h ^ h >> 30) * 0xbf58476d1ce4e5b9ull;
	h = (h ^ h >> 27) * 0x94d049bb133111ebull;
	return h ^ h >> 31;
}

uint64_t
hl_hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *c = p;
	uint64_t h = mix(seed ^ (uint64_t)n * 0x9e3779b97f4a7c15ull), w = 0;
	size_t i;

	for (; n >= 8; c += 8, n -= 8)
		h = mix(h ^ load64(c));
	for (i = 0; i < n; i++)
		w |= (uint64_t)c[i] << (8 * i);
	return mix(h ^ w ^ 0x1f);
}

int
hl_err_set(struct hl_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	hl_buf_reset(&e->msg);
	va_start(ap, fmt);
	hl_buf_vprintf(&e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
hl_err_text(const struct hl_err *e, const char *(*strerror)(int))
{
	return e->msg.len ? e->msg.data : strerror(e->code);
}
