/*
 * source.c - the kinds of source (source.h): delimited text through
 * reader.c, today the only one.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>

#include "ingest/source.h"

static int
csv_next(void *impl, struct hl_record *rec)
{
	return hl_reader_next(impl, rec);
}

static const char *
csv_encoding(const void *impl)
{
	return hl_encoding_name(hl_reader_encoding(impl));
}

static unsigned long
csv_switched(const void *impl)
{
	return hl_reader_switched(impl);
}

static unsigned long long
csv_offset(const void *impl)
{
	return hl_reader_offset(impl);
}

static const char *
csv_errmsg(const void *impl)
{
	return hl_reader_errmsg(impl);
}

static void
csv_tap(void *impl, hl_reader_tap_fn *fn, void *arg)
{
	hl_reader_tap(impl, fn, arg);
}

static void
csv_free(void *impl)
{
	hl_reader_free(impl);
}

static const struct hl_source_ops csv_ops = {
    "csv",      csv_next,   hl_record_pos, csv_encoding, csv_switched,
    csv_offset, csv_errmsg, csv_tap,       csv_free,     hl_no_sheets,
};

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
	struct hl_source *s;

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
		break;
	}
	s = hl_xcalloc(1, sizeof(*s));

	s->ops = &csv_ops;
	s->impl = hl_reader_new(f, name, enc, 0, 0);
	return s;
}

void
hl_source_free(struct hl_source *s)
{
	if (s == NULL)
		return;
	s->ops->free(s->impl);
	free(s);
}
