/*
 * source.c - the kinds of source (source.h): delimited text through
 * reader.c, today the only one.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

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
    csv_offset, csv_errmsg, csv_tap,       csv_free,
};

/* 1 when f is a file that starts with magic (n bytes); f is rewound. */
static int
starts_with(FILE *f, const char *magic, size_t n)
{
	unsigned char b[8];
	size_t got;

	if (f == stdin || fseeko(f, 0, SEEK_SET) != 0)
		return 0;
	got = fread(b, 1, n, f);
	if (fseeko(f, 0, SEEK_SET) != 0)
		return 0;
	return got == n && memcmp(b, magic, n) == 0;
}

struct hl_source *
hl_source_open(FILE *f, const char *name, enum hl_encoding enc,
	       const char *sheet)
{
	struct hl_source *s;

	/* The format is told by the content, whatever the name. */
	if (starts_with(f, "PK\x03\x04", 4))
		return hl_xlsx_source(f, name, sheet);
	if (starts_with(f, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return hl_xls_source(f, name, sheet);
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
