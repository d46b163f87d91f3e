/*
 * strnum.c - strtonum-style parsing of command-line numbers: the whole
 * string must be a number in range, and failures come back as a static
 * fragment that composes into a message ("--seed: invalid").
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "util/util.h"

long long
hl_strtonum(const char *s, long long min, long long max, const char **errstr)
{
	char *end;
	long long v;
	const char *p;

	*errstr = "invalid";
	if (s == NULL || *s == '\0')
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (p == s && *p == '-')))
			return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0')
		return 0;
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*errstr = "too small";
		return 0;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*errstr = "too large";
		return 0;
	}
	*errstr = NULL;
	return v;
}

double
hl_strtofrac(const char *s, double min, double max, const char **errstr)
{
	long long digits = 0;
	double v, scale = 1;
	int ndigits = 0, dot = 0;
	const char *p;

	*errstr = "invalid";
	if (s == NULL)
		return 0;
	/*
	 * Parsed by hand so that no locale decimal separator applies.  The
	 * digits are gathered as an integer (exact up to 15 of them) and
	 * divided once, so "0.3" is the double nearest 0.3.
	 */
	for (p = s; *p; p++) {
		if (*p == '.' && !dot) {
			dot = 1;
		} else if (*p >= '0' && *p <= '9') {
			if (++ndigits > 15)
				return 0;
			digits = digits * 10 + (*p - '0');
			if (dot)
				scale *= 10;
		} else {
			return 0;
		}
	}
	if (ndigits == 0)
		return 0;
	v = (double)digits / scale;
	if (v < min) {
		*errstr = "too small";
		return 0;
	}
	if (v > max) {
		*errstr = "too large";
		return 0;
	}
	*errstr = NULL;
	return v;
}
