/*
 * ingest.h - reading work-order exports (any header, any encoding) into
 * the store.
 *
 * Each file is read in one write transaction: it lands whole or not at all.
 * The records are parsed on a second thread while this one writes.
 * Tickets are upserted by ticket ID (a re-export that changes nothing
 * changes nothing; one that fills in a closure or a callback updates the
 * ticket).  A record that cannot be read as a ticket is reported through
 * the diagnostics sink as "file:line:col: error: ..." and kept in the
 * reject table with its raw bytes; one that reads but is implausible is
 * stored with data-quality flags and a warning.
 */
#ifndef HL_INGEST_H
#define HL_INGEST_H

#include <signal.h>

#include "store/store.h"
#include "util/util.h"

enum hl_ingest_err {
	HL_INGEST_OK,
	HL_INGEST_EPARSE,  /* malformed record */
	HL_INGEST_ESCHEMA, /* a required column is missing */
	HL_INGEST_EIO,     /* the input cannot be read */
	HL_INGEST_EMAP,    /* the mapping file is wrong */
	HL_INGEST_ESTORE,  /* the database refused */
	HL_INGEST_ELIMIT,  /* --max-errors reached */
	HL_INGEST_EINTR    /* *o->stop was set: the file was rolled back */
};

/* Static text for an hl_ingest_err; "unknown error" for anything else. */
const char *hl_ingest_strerror(int err);

/* How far the file being read has come, for a progress line. */
struct hl_ingest_progress {
	const char *file;          /* as in messages */
	unsigned long long offset; /* bytes read */
	long long size;            /* the file's size; -1 when not known */
	unsigned long rows;        /* records read after the header */
};

/* Called between batches of rows, a few hundred times a second at most. */
typedef void hl_ingest_progress_fn(void *arg,
				   const struct hl_ingest_progress *p);

struct hl_ingest_opts {
	const char *encoding;     /* "auto" (default), "utf-8", "gb18030" */
	const char *mapping;      /* a mapping file, or NULL: built-ins */
	const char *sheet;        /* a workbook's sheet, name or number;
				   * NULL: the first whose header maps */
	unsigned long max_errors; /* stop after this many rejects; 0: never */
	hl_time now;              /* "the future" starts after; 0: the clock */
	int force;                /* read files already ingested again */
	int bulk; /* a rollback journal even into a database with tickets */
	/* the city's districts: a spelling it does not know is warned of,
	 * once per file with its count; borrowed; NULL: no check */
	const struct hl_region *region;
	/* when set (by a signal handler, say) the file being read is rolled
	 * back and hl_ingest_file() fails with HL_INGEST_EINTR; NULL: never */
	volatile sig_atomic_t *stop;
	hl_ingest_progress_fn *progress; /* NULL: none */
	void *progress_arg;              /* passed to progress */
};

struct hl_ingest_stats {
	unsigned long read;      /* records after the header */
	unsigned long inserted;  /* new tickets */
	unsigned long updated;   /* tickets whose data changed */
	unsigned long unchanged; /* records equal to the stored ticket */
	unsigned long rejected;  /* records kept in the reject table */
	unsigned long flagged;   /* stored with a data-quality flag */
	unsigned long older;     /* not applied: older than the stored one */
	unsigned long skipped;   /* rows that are no tickets: empty, totals
				  * (not counted in read) */
	long long skipped_as;    /* > 0: not read, same SHA-256 as this run */
};

/* The names --encoding takes (utf8 and gbk are accepted as aliases). */
#define HL_INGEST_ENCODINGS "auto, utf-8 or gb18030"

/* 1 when name is one of HL_INGEST_ENCODINGS or an alias, else 0. */
int hl_ingest_encoding_known(const char *name);

struct hl_ingest;

/*
 * Prepares to ingest into st (borrowed; NULL: only to inspect files)
 * reporting into diag (borrowed).
 * *out (OUT) is always set; caller frees with hl_ingest_free().  Returns 0,
 * or -1 (a bad mapping file, a bad encoding name) with hl_ingest_errmsg().
 */
int hl_ingest_open(struct hl_store *st, const struct hl_ingest_opts *o,
		   struct hl_diag *diag, struct hl_ingest **out);
void hl_ingest_free(struct hl_ingest *in);

/*
 * Ingests one file ("-": standard input) in one transaction.  A file whose
 * SHA-256 equals that of a file already ingested is not read again (unless
 * o->force): stats->skipped_as then names the earlier run.  Returns 0
 * when the file was read to its end (rejected rows do not make it fail:
 * they are counted in *stats), or -1 with hl_ingest_errmsg() when the
 * file could not be ingested at all (unreadable, a required column
 * missing, the database refused, --max-errors reached); the database is
 * then as it was before the file.
 */
int hl_ingest_file(struct hl_ingest *in, const char *path,
		   struct hl_ingest_stats *stats /* OUT */);

/* ---- what an ingest would make of a file, writing nothing ---- */

/* A column of the header. */
struct hl_inspect_col {
	char *header;
	unsigned fields;     /* bit f: it fills field f; 0: kept as extra */
	unsigned long blank; /* readable rows where it is empty (for the
			      * fields a ticket always has) */
};

/* A row as its fields were read: the text, a time as "YYYY-MM-DD hh:mm:ss",
 * a vocabulary cell followed by what it was read as ("投诉 → complaint"). */
struct hl_inspect_row {
	unsigned long line; /* or the row on the sheet */
	char *value[HL_F_COUNT];
};

/* A vocabulary cell that was not recognised, and how often it came. */
struct hl_inspect_value {
	enum hl_field field;
	char *value;
	unsigned long n;
};

struct hl_inspection {
	char *format;   /* the source's kind: "csv", "xlsx", "xls", "utf-16" */
	char *encoding; /* as ingest_run keeps it */
	char *sheet;    /* the sheet read; NULL: text */
	long nsheets;
	unsigned long header_line; /* or the header's row on the sheet */
	struct hl_inspect_col *cols;
	size_t ncols;
	unsigned
	    missing; /* bit f: the figures read field f, no column has it */
	struct hl_inspect_row *rows; /* the first ones */
	size_t nrows;
	struct hl_inspect_value *unknown; /* by field, most frequent first */
	size_t nunknown;
	unsigned long more_unknown; /* past the 10,000 distinct kept */
	unsigned long read, rejected, skipped_empty, skipped_totals;
	hl_time first, last; /* the earliest and latest acceptance; 0: none */
};

/*
 * Reads file path as hl_ingest_file() would, and says what it would make
 * of it into *x, keeping the first nrows rows: the same messages (through
 * the diagnostics sink), nothing written.  in may have been opened with
 * no store.  0, or -1 with hl_ingest_errmsg() (then *x holds what was
 * found before).  Caller releases *x with hl_inspection_release().
 */
int hl_ingest_inspect(struct hl_ingest *in, const char *path, size_t nrows,
		      struct hl_inspection *x);
void hl_inspection_release(struct hl_inspection *x);

/* The last error.  Borrowed; valid until the next call on in. */
const char *hl_ingest_errmsg(const struct hl_ingest *in);
int hl_ingest_errcode(const struct hl_ingest *in);

#endif
