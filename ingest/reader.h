/*
 * reader.h - private to ingest/ and its tests: streaming CSV records with
 * positions, in any of the encodings exports come in.
 *
 * The reader pulls the input through a fixed buffer and libcsv in constant
 * memory (bounded by the longest record allowed), detects the encoding
 * from the first bytes (a UTF-8 BOM; else UTF-8 when the sample reads as
 * UTF-8; else GB18030, a superset of GBK; or as forced), and returns one
 * record at a time with every field converted to UTF-8 and the 1-based
 * line and byte column where each field and the record start.  A record
 * that cannot be read (malformed quoting, invalid bytes, a NUL, too long)
 * is returned as an error with its position and raw bytes, and reading
 * goes on with the next line: nothing is skipped silently.
 */
#ifndef HL_INGEST_READER_H
#define HL_INGEST_READER_H

#include <stdio.h>

#include "util/util.h"

enum hl_encoding {
	HL_ENCODING_AUTO,
	HL_ENCODING_UTF8,
	HL_ENCODING_UTF8_BOM,
	HL_ENCODING_GB18030
};

/* "utf-8", "utf-8-bom" or "gb18030" ("auto" for HL_ENCODING_AUTO). */
const char *hl_encoding_name(enum hl_encoding e);

/* One record.  Everything is borrowed; valid until the next call on r. */
struct hl_record {
	size_t nfields;
	char **field;        /* UTF-8, NUL-terminated */
	size_t *len;         /* byte lengths of the fields */
	struct hl_pos start; /* where the record starts */
	const char *raw;     /* the record's bytes as in the file */
	size_t rawlen;       /* (original encoding, no line end) */
	/* For an error (hl_reader_next returned -1): */
	struct hl_pos errpos; /* where the problem is */
	const char *errmsg;   /* what it is */
	const char *errkind;  /* static: the kind of problem, for grouping */
};

/* What a file is, told by its first bytes whatever its name. */
enum hl_format {
	HL_FORMAT_TEXT, /* anything else: delimited text */
	HL_FORMAT_XLSX, /* a zip: an Excel workbook (.xlsx) */
	HL_FORMAT_XLS,  /* an OLE2 file: an Excel 97-2003 workbook */
	HL_FORMAT_UTF16 /* UTF-16 text with a byte-order mark */
};

/* The format of a file whose first n bytes are p (8 tell it). */
enum hl_format hl_format_of(const void *p, size_t n);

/* Limits of one record: no export needs more; hostile input gets less. */
#define HL_READER_MAX_RECORD ((size_t)16 << 20)
#define HL_READER_MAX_FIELDS 10000

struct hl_reader;

/*
 * Reads from f (borrowed; not closed), naming it `name` in messages.
 * chunk is the read size in bytes (0: 64 KiB; tests use tiny ones);
 * max_record bounds a record's bytes (0: HL_READER_MAX_RECORD); a record
 * longer, or with more than HL_READER_MAX_FIELDS fields, is an error and
 * memory stays bounded whatever the input.  Caller frees with
 * hl_reader_free().
 */
struct hl_reader *hl_reader_new(FILE *f, const char *name, enum hl_encoding enc,
				size_t chunk, size_t max_record);
void hl_reader_free(struct hl_reader *r);

/* Sees every block of input bytes once, in order, as it is read. */
typedef void hl_reader_tap_fn(void *arg, const void *p, size_t n);

/*
 * Sets a tap (NULL: none) before the first record is asked for: the
 * ingest hashes the file with it as it goes.
 */
void hl_reader_tap(struct hl_reader *r, hl_reader_tap_fn *fn, void *arg);

/*
 * The next record: 1 with *rec filled, 0 at the end of the input, -1 for
 * a record that could not be read (rec->errpos, rec->errmsg, rec->start
 * and rec->raw say which and why; call again to go on), -2 when reading
 * the input failed (hl_reader_errmsg()).
 */
int hl_reader_next(struct hl_reader *r, struct hl_record *rec);

/*
 * Where field i of rec starts in the file (line and byte column), worked
 * out from rec->raw when a message needs it.  rec is one of the reader's
 * records, or a copy of its start, raw and rawlen.
 */
struct hl_pos hl_record_pos(const struct hl_record *rec, size_t i);

/*
 * The line from which a file guessed to be UTF-8 (its first 64 KiB were
 * ASCII) is read as GB18030 instead, its first bytes past ASCII being
 * GB18030; 0 when it was not.
 */
unsigned long hl_reader_switched(const struct hl_reader *r);

/* The encoding in use (detected once the first record was asked for). */
enum hl_encoding hl_reader_encoding(const struct hl_reader *r);
/* Bytes consumed so far, for progress. */
unsigned long long hl_reader_offset(const struct hl_reader *r);
const char *hl_reader_errmsg(const struct hl_reader *r);

#endif
