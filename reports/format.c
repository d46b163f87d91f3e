/*
 * format.c - numbers the way the tables show them (12,345; 99.99%;
 * 6.46).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/reports.h"

const char *
hl_fmt_count(char *buf, size_t n, double v)
{
	char raw[32];
	long long x;
	size_t len, i, j = 0;

	if (!hl_fig_has(v))
		return "-";
	x = (long long)v;
	snprintf(raw, sizeof(raw), "%lld", x < 0 ? -x : x);
	len = strlen(raw);
	if (x < 0 && j + 1 < n)
		buf[j++] = '-';
	for (i = 0; i < len && j + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = raw[i];
	}
	buf[j] = '\0';
	return buf;
}

const char *
hl_fmt_num(char *buf, size_t n, double v, const char *fmt, double scale)
{
	if (!hl_fig_has(v))
		return "-";
	snprintf(buf, n, fmt, v * scale);
	return buf;
}

int
hl_is_whole(double v)
{
	/* the range first: a cast of a value out of it is undefined */
	return v < 9e15 && v > -9e15 && v == (double)(long long)v;
}
