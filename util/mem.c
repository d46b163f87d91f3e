/*
 * mem.c - allocation that cannot fail.  Running out of memory is reported
 * once and aborts, which removes an untestable branch from every caller.
 */
#define _DEFAULT_SOURCE /* madvise() */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

/*
 * Arrays this large are allocated in whole huge pages, 2 MiB aligned and
 * marked for the kernel to back with huge pages where it allows (Linux's
 * transparent huge pages in "madvise" mode): filling one then costs a page
 * fault per 2 MiB instead of one per 4 KiB, which is most of the time
 * of the repeat calls' arrays of a district-year on a virtual machine.
 */
#define HUGE_PAGE ((size_t)2 << 20)
#define BIG HUGE_PAGE

void *
hl_xmalloc_big(size_t n)
{
	size_t r;
	void *p;

	if (n < BIG)
		return hl_xmalloc(n);
	if (n > SIZE_MAX - HUGE_PAGE)
		hl_oom(n);
	r = (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	if ((p = aligned_alloc(HUGE_PAGE, r)) == NULL)
		hl_oom(n);
#ifdef MADV_HUGEPAGE
	madvise(p, r, MADV_HUGEPAGE); /* a hint: it may be refused */
#endif
	return p;
}

void *
hl_grow(void *v, size_t n, size_t *cap, size_t size, size_t first)
{
	void *q;

	if (n < *cap)
		return v;
	if (*cap > SIZE_MAX / 2 / size)
		hl_oom(SIZE_MAX);
	*cap = *cap ? *cap * 2 : first;
	if (*cap * size < BIG)
		return hl_xrealloc(v, *cap * size);
	/* moved by hand into huge pages: realloc() would keep small ones */
	q = hl_xmalloc_big(*cap * size);
	if (n)
		memcpy(q, v, n * size);
	free(v);
	return q;
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
