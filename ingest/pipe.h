/*
 * pipe.h - private to ingest/: the parse thread.
 *
 * An ingest runs on two threads.  The parse thread reads records
 * (source.h), maps and checks their cells (mapping.h) and leaves what it
 * made of each, a row or a reject, in batches; the calling thread takes
 * the batches in order and does everything that has an effect: the
 * database writes and every message.  So the output is the same as if one
 * thread did it all, and parsing overlaps with SQLite.  Three batches
 * circulate, so memory stays bounded whatever the input's size.
 */
#ifndef HL_INGEST_PIPE_H
#define HL_INGEST_PIPE_H

#include <stdint.h>

#include "ingest/mapping.h"
#include "ingest/reader.h"
#include "ingest/source.h"
#include "util/util.h"

/* A readable record, its values as offsets into the batch's bytes. */
struct hl_row {
	size_t off[HL_F_COUNT]; /* trimmed value of each field */
	size_t n[HL_F_COUNT];   /* its length */
	unsigned present;       /* bit f: field f has a non-empty value */
	unsigned has_time;      /* bit f: t[f] is field f's time */
	unsigned date_only;     /* bit f: that cell had a date, no time */
	hl_time t[HL_F_COUNT];
	int category;            /* enum hl_category */
	int satisfaction;        /* enum hl_satisfaction */
	int status;              /* enum hl_status */
	int is_key;              /* 1, 0 or HL_YESNO_UNKNOWN */
	int reopen;              /* count, HL_REOPEN_ABSENT or _INVALID */
	unsigned unknown;        /* bits: HL_UNKNOWN_* (value not recognised) */
	uint64_t hash;           /* of all the record's cells, the caller's
				  * as its hash */
	size_t extra, extralen;  /* JSON array of the unmapped cells; 0: none */
	int assess;              /* packed answers (model.h); -1: no column */
	unsigned unknown_answer; /* bit k: field HL_F_VALID_CALLBACK + k */
	int unreasonable;        /* its answer (enum hl_yesno): not kept,
				  * but yes makes in_assessment no */
	int has_topic, has_caller, has_quoted;
	int caller_given;        /* the caller's cell is not blank */
	size_t topic, topic_n;   /* the topic, as given or joined */
	size_t caller;           /* HL_CALLER_HASH_LEN bytes */
	size_t quoted, quoted_n; /* the ticket ID the content quotes */
};

#define HL_UNKNOWN_CATEGORY 1u
#define HL_UNKNOWN_SATISFACTION 2u
#define HL_UNKNOWN_STATUS 4u
#define HL_UNKNOWN_REOPEN 8u
#define HL_UNKNOWN_ANSWER 16u

enum hl_item_kind {
	HL_ITEM_ROW,    /* a record read as a ticket: row */
	HL_ITEM_REJECT, /* a record that cannot be one: errpos, msg, ... */
	HL_ITEM_SKIP,   /* no ticket and no error: col HL_SKIP_* */
	HL_ITEM_FAIL    /* reading the input failed: msg; the last item */
};

/* What a skipped record is. */
enum { HL_SKIP_EMPTY, HL_SKIP_TOTALS, HL_SKIP_N };

struct hl_item {
	enum hl_item_kind kind;
	struct hl_pos start;  /* where the record starts */
	size_t raw, rawlen;   /* its bytes as in the file (offset, length) */
	struct hl_pos errpos; /* where the problem is */
	const char *errkind;  /* static: groups messages for flood control */
	long col;             /* the column at fault, or -1 */
	size_t msg;           /* offset of the message (NUL-terminated) */
	struct hl_row row;
};

struct hl_batch {
	struct hl_item *items;
	size_t n, cap;
	struct hl_buf bytes;       /* values, raw records, messages */
	unsigned long long offset; /* input bytes consumed after the batch */
	int end;                   /* the last batch of the input */
};

/* What the parse thread needs; everything borrowed and read-only. */
struct hl_parse {
	struct hl_source *src; /* positioned after the header */
	const struct hl_mapping *map;
	const struct hl_columns *cols;
	char *const *headers; /* the header cells */
	size_t ncols;
	const size_t *extra; /* unmapped columns, ascending */
	size_t nextra;
	/* the key of the caller hashes (HL_STORE_KEY_LEN bytes); NULL: no
	 * hash is made (inspect) */
	const unsigned char *key;
};

/* The value of field f of row r in batch b, or NULL when absent. */
const char *hl_row_value(const struct hl_batch *b, const struct hl_row *r,
			 int f);

/*
 * A record standing for item it of b, for hl_record_pos(): its start and
 * raw bytes only.
 */
struct hl_record hl_item_record(const struct hl_batch *b,
				const struct hl_item *it);

/*
 * A compact JSON array of the n strings cell[idx[0]], cell[idx[1]], ...
 * (idx NULL: cell[0] ... cell[n - 1]), of lengths len[...] (len NULL:
 * NUL-terminated).  Caller frees with free().
 */
char *hl_cells_json(char *const *cell, const size_t *len, const size_t *idx,
		    size_t n);

struct hl_pipe;

/*
 * Starts the parse thread on p (borrowed until hl_pipe_free()).  Caller
 * frees with hl_pipe_free().
 */
struct hl_pipe *hl_pipe_start(const struct hl_parse *p);

/*
 * The next batch, in input order, waiting for the parse thread.  Borrowed
 * until it is handed back with hl_pipe_release(); the one with end set is
 * the last.
 */
struct hl_batch *hl_pipe_next(struct hl_pipe *pp);
void hl_pipe_release(struct hl_pipe *pp, struct hl_batch *b);

/* Stops the parse thread (where it is) and frees everything.  NULL is a
 * no-op. */
void hl_pipe_free(struct hl_pipe *pp);

#endif
