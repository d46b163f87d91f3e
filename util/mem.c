/*
 * mem.c - allocation that cannot fail.  Running out of memory is reported
 * once and aborts, which removes an untestable branch from every caller.
 */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

void
hl_oom(size_t n)
{
	fprintf(stderr, "hotline: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
hl_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		hl_oom(n);
	return p;
}

void *
hl_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		hl_oom(nmemb * size);
	return p;
}

void *
hl_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		hl_oom(n);
	return q;
}

char *
hl_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(hl_xmalloc(n), s, n);
}

void *
hl_grow(void *v, size_t n, size_t *cap, size_t size, size_t first)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : first;
	return hl_xrealloc(v, *cap * size);
}

void
hl_free_strv(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
