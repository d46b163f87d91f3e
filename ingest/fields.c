/*
 * fields.c - the caller's digits, the quoted ticket ID and the masking
 * of digits (contracts in fields.h).
 */
#define _GNU_SOURCE /* memmem */

#include <string.h>

#include "ingest/fields.h"

/* 1 when p[0..3) is a full-width digit (U+FF10 .. U+FF19) in UTF-8. */
static int
wide_digit(const unsigned char *p, size_t left)
{
	return left >= 3 && p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 &&
	       p[2] <= 0x99;
}

size_t
hl_caller_digits(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i < n && p[i] == '+' && i + 2 < n && p[i + 1] == '8' &&
	    p[i + 2] == '6')
		i += 3;
	else if (i + 3 < n && memcmp(s + i, "0086", 4) == 0)
		i += 4;
	for (; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			out[k++] = (char)p[i];
		} else if (wide_digit(p + i, n - i)) {
			out[k++] = (char)('0' + (p[i + 2] - 0x90));
			i += 2;
		}
	}
	return k;
}

const char *
hl_quoted_id(const char *s, size_t n, size_t *len)
{
	static const char mark[] = "最近派发的工单编号";
	const char *p = memmem(s, n, mark, sizeof(mark) - 1), *end = s + n;
	const char *id;

	*len = 0;
	if (p == NULL)
		return NULL;
	p += sizeof(mark) - 1;
	if (end - p >= 3 && memcmp(p, "：", 3) == 0)
		p += 3;
	else if (p < end && *p == ':')
		p++;
	else
		return NULL;
	for (;;) {
		if (p < end && (*p == ' ' || *p == '\t'))
			p++;
		else if (end - p >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0)
			p += 3;
		else
			break;
	}
	for (id = p;
	     p < end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			 (*p >= 'A' && *p <= 'Z') || *p == '-');
	     p++)
		;
	*len = (size_t)(p - id);
	return *len ? id : NULL;
}

void
hl_mask_digits(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			p[i] = '*';
		} else if (wide_digit((unsigned char *)p + i, n - i)) {
			memset(p + i, '*', 3);
			i += 2;
		}
	}
}

size_t
hl_mask_cell(char *raw, size_t rawlen, const char *cell, size_t len)
{
	size_t found = 0, at = 0;
	char *p;

	if (len == 0)
		return 0;
	while (at + len <= rawlen &&
	       (p = memmem(raw + at, rawlen - at, cell, len)) != NULL) {
		hl_mask_digits(p, len);
		found++;
		at = (size_t)(p - raw) + len;
	}
	return found;
}
