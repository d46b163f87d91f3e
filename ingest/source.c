/*
 * source.c - delimited text as a source (source.h), through reader.c,
 * and what every source shares.
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

struct hl_source *
hl_csv_source(FILE *f, const char *name, enum hl_encoding enc)
{
	struct hl_source *s = hl_xcalloc(1, sizeof(*s));

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
