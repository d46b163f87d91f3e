/*
 * source.h - private to ingest/: where an export's records come from.
 *
 * A source hands out the records of one input (reader.h's struct
 * hl_record: cells in UTF-8, where the record starts, its raw bytes) and
 * says where each cell is.  The ingest and its parse thread know sources
 * only through these operations, so a new input format is a new file that
 * fills a struct hl_source_ops.  Today's one kind is delimited text
 * (reader.c); a position there is a line and a byte column, in a
 * workbook it is a sheet and a cell (struct hl_pos's sheet).
 */
#ifndef HL_INGEST_SOURCE_H
#define HL_INGEST_SOURCE_H

#include <stdio.h>

#include "ingest/reader.h"
#include "util/util.h"

struct hl_source_ops {
	const char *kind; /* "csv" */
	/* hl_reader_next()'s contract: 1, 0 at the end, -1 a record that
	 * cannot be read (go on), -2 the input failed (errmsg) */
	int (*next)(void *impl, struct hl_record *rec);
	/* where cell i of rec is; rec may be a copy of its start and raw */
	struct hl_pos (*pos)(const struct hl_record *rec, size_t i);
	const char *(*encoding)(const void *impl); /* as ingest_run keeps */
	/* the line from which the encoding changed (reader.h's
	 * hl_reader_switched()), or 0 */
	unsigned long (*switched)(const void *impl);
	unsigned long long (*offset)(const void *impl); /* input consumed */
	const char *(*errmsg)(const void *impl);
	/* sees every input byte once, in order (the file's SHA-256) */
	void (*tap)(void *impl, hl_reader_tap_fn *fn, void *arg);
	void (*free)(void *impl);
	/* a workbook's number of sheets (0: text, or not known), and the
	 * name of the one read into *name */
	long (*sheets)(const void *impl, const char **name);
};

struct hl_source {
	const struct hl_source_ops *ops;
	void *impl;
};

/*
 * The records of f (borrowed; not closed), named `name` in messages, read
 * as enc says (text) or from sheet `sheet` (a workbook; NULL: the first).
 * Caller frees with hl_source_free().
 */
struct hl_source *hl_source_open(FILE *f, const char *name,
				 enum hl_encoding enc, const char *sheet);
void hl_source_free(struct hl_source *s);

/* Delimited text f read as enc says (source.c). */
struct hl_source *hl_csv_source(FILE *f, const char *name,
				enum hl_encoding enc);

/* Sheet `sheet` (a name or a number from 1; NULL: the first) of the
 * workbook f (a seekable .xlsx file; xlsx.c). */
struct hl_source *hl_xlsx_source(FILE *f, const char *name, const char *sheet);
/*
 * What the workbook sources share (sheet.c): a cell's position (the record's
 * row on its sheet, column i + 1), no change of encoding, and the whole file f
 * through the tap (read into buf, n bytes, from its start).
 */
struct hl_pos hl_sheet_pos(const struct hl_record *rec, size_t i);
unsigned long hl_no_switch(const void *impl);
long hl_no_sheets(const void *impl, const char **name); /* text's: 0 */
/* Unless *failed, sets it and the message "'file': ..." into msg. */
void hl_sheet_fail(struct hl_buf *msg, int *failed, const char *file,
		   const char *fmt, ...) HL_PRINTF(4, 5);
void hl_tap_file(FILE *f, char *buf, size_t n, hl_reader_tap_fn *fn, void *arg);

/* UTF-16 text with its byte-order mark, the file f (utf16.c). */
struct hl_source *hl_utf16_source(FILE *f, const char *name);

/* Opens a source of the file f (as hl_xls_source() does). */
typedef struct hl_source *hl_source_open_fn(FILE *f, const char *name,
					    const char *sheet);
/*
 * The source open(f, name, sheet) read in a child process (forked.c), for
 * a parser that is not ours meeting hostile files: a crash is an error
 * about the file.  kind: the source's (and the encoding it reports).
 */
struct hl_source *hl_source_forked(hl_source_open_fn *open, const char *kind,
				   FILE *f, const char *name,
				   const char *sheet);

/* Source in, read ahead on a thread of its own (ahead.c): for a source
 * whose reading is as much work as mapping its cells.  Takes in. */
struct hl_source *hl_source_ahead(struct hl_source *in);

/* The same of an Excel 97-2003 workbook f (.xls, at path name; xls.c). */
struct hl_source *hl_xls_source(FILE *f, const char *name, const char *sheet);

static inline int
hl_source_next(struct hl_source *s, struct hl_record *rec)
{
	return s->ops->next(s->impl, rec);
}

static inline struct hl_pos
hl_source_pos(const struct hl_source *s, const struct hl_record *rec, size_t i)
{
	return s->ops->pos(rec, i);
}

static inline const char *
hl_source_encoding(const struct hl_source *s)
{
	return s->ops->encoding(s->impl);
}

static inline unsigned long
hl_source_switched(const struct hl_source *s)
{
	return s->ops->switched(s->impl);
}

static inline unsigned long long
hl_source_offset(const struct hl_source *s)
{
	return s->ops->offset(s->impl);
}

static inline const char *
hl_source_errmsg(const struct hl_source *s)
{
	return s->ops->errmsg(s->impl);
}

static inline long
hl_source_sheets(const struct hl_source *s, const char **name)
{
	return s->ops->sheets(s->impl, name);
}

static inline void
hl_source_tap(struct hl_source *s, hl_reader_tap_fn *fn, void *arg)
{
	s->ops->tap(s->impl, fn, arg);
}

#endif
