/*
 * sheet.c - what the workbook sources (xlsx.c, xls.c) share: a cell's
 * position on its sheet, no change of encoding, the whole file through
 * the SHA-256 tap, and the first error (source.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>

#include "ingest/source.h"

struct hl_pos
hl_sheet_pos(const struct hl_record *rec, size_t i)
{
	struct hl_pos p = rec->start;

	p.col = (unsigned long)i + 1;
	return p;
}

long
hl_no_sheets(const void *impl, const char **name)
{
	(void)impl;
	*name = NULL;
	return 0;
}

unsigned long
hl_no_switch(const void *impl)
{
	(void)impl;
	return 0;
}

void
hl_tap_file(FILE *f, char *buf, size_t n, hl_reader_tap_fn *fn, void *arg)
{
	size_t got;

	if (fseeko(f, 0, SEEK_SET) != 0)
		return;
	while ((got = fread(buf, 1, n, f)) > 0)
		fn(arg, buf, got);
}

void
hl_sheet_fail(struct hl_buf *msg, int *failed, const char *file,
	      const char *fmt, ...)
{
	va_list ap;

	if (*failed)
		return;
	*failed = 1;
	hl_buf_reset(msg);
	hl_buf_printf(msg, "'%s': ", file);
	va_start(ap, fmt);
	hl_buf_vprintf(msg, fmt, ap);
	va_end(ap);
}
