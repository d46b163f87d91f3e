/*
 * open.c - the source a file's first bytes choose (source.h's
 * hl_source_open()): a workbook read ahead on a thread, an .xls in a
 * child process, UTF-16 text decoded, anything else delimited text.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>

#include "ingest/source.h"

/* The format of file f by its first bytes (f is rewound); text for
 * standard input, which cannot be read twice (the reader tells it). */
static enum hl_format
format_of(FILE *f)
{
	unsigned char b[8];
	size_t got;

	if (f == stdin || fseeko(f, 0, SEEK_SET) != 0)
		return HL_FORMAT_TEXT;
	got = fread(b, 1, sizeof(b), f);
	if (fseeko(f, 0, SEEK_SET) != 0)
		return HL_FORMAT_TEXT;
	return hl_format_of(b, got);
}

struct hl_source *
hl_source_open(FILE *f, const char *name, enum hl_encoding enc,
	       const char *sheet)
{
	/* The format is told by the content, whatever the name. */
	switch (format_of(f)) {
	case HL_FORMAT_XLSX:
		return hl_source_ahead(hl_xlsx_source(f, name, sheet));
	case HL_FORMAT_XLS:
		/* libfreexl reads past its buffers on a damaged file */
		return hl_source_forked(hl_xls_source, "xls", f, name, sheet);
	case HL_FORMAT_UTF16:
		return hl_utf16_source(f, name);
	default:
		return hl_csv_source(f, name, enc);
	}
}
