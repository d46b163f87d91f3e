/*
 * fuzz_time.c - the date-time parsers on any bytes: a parse either fails
 * with a message fragment or gives an instant that, written as ISO and
 * read again, is the same instant, within the years allowed.  Input:
 * "cell\0format" (a format, when present, goes to hl_time_parse_fmt).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int rc, hl_time t, const char *err)
{
	hl_time lo = hl_time_make(1900, 1, 1, 0, 0, 0);
	hl_time hi = hl_time_make(2200, 1, 1, 0, 0, 0);
	hl_time back;
	const char *err2;
	char iso[20];

	if (rc != 0) {
		if (err == NULL || *err == '\0')
			abort();
		return;
	}
	/* An Excel fraction may round 2199-12-31 up to 2200-01-01. */
	if (err != NULL || t < lo || t > hi)
		abort();
	if (t == hi)
		return;
	hl_time_format_iso(t, iso);
	if (hl_time_parse(iso, 19, &back, NULL, &err2) != 0 || back != t)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *err = NULL;
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul ? (size_t)(nul - data) : size;
	hl_time t = 0;
	int date_only, rc;

	/* The call first: argument order is unspecified. */
	rc = hl_time_parse(s, n, &t, &date_only, &err);
	check(rc, t, err);
	if (nul) {
		char *fmt = malloc(size - n);

		memcpy(fmt, nul + 1, size - n - 1);
		fmt[size - n - 1] = '\0';
		if (hl_time_fmt_check(fmt, &err) == 0) {
			err = NULL;
			rc = hl_time_parse_fmt(s, n, fmt, &t, &err);
			check(rc, t, err);
		} else if (err == NULL) {
			abort();
		}
		free(fmt);
	}
	return 0;
}
