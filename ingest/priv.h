/*
 * priv.h - private to ingest/: the ingest's state, shared by ingest.c
 * (reading into the store) and inspect.c (reading to describe a file).
 */
#ifndef HL_INGEST_PRIV_H
#define HL_INGEST_PRIV_H

#include <openssl/evp.h>
#include <stdio.h>

#include "ingest/ingest.h"
#include "ingest/mapping.h"
#include "ingest/pipe.h"
#include "ingest/source.h"

/* A small cache of dict ids: repeated strings are the common case. */
struct dent {
	char *key; /* kind byte + value */
	size_t len;
	int64_t id;
};

/* A district spelling met in the file being read (by dict id). */
struct dseen {
	int unknown;         /* the region does not know it */
	unsigned long n;     /* rows of the file with it */
	struct hl_pos first; /* where it was first met */
	char *spelling;      /* unknown ones: as written */
};

/* What a file adds to the counts of one rollup row, in a struct hl_idmap
 * keyed by the row's key columns packed (never 0: days are not). */
struct roll {
	long long n, secs;
};

struct hl_ingest {
	struct hl_store *st;
	struct hl_diag *diag;
	struct hl_mapping *map;
	struct hl_ingest_opts o;
	enum hl_encoding enc;
	struct hl_source *src; /* the file being read */
	struct dent *dict;
	size_t ndict, dict_cap;
	struct hl_idmap sat, hand; /* sat_day's and hand_day's changes */
	struct hl_idmap districts; /* dict id -> struct dseen, this file */
	int fk_was_on;  /* foreign_keys was on before hl_ingest_open */
	EVP_MD_CTX *md; /* the SHA-256 of the file being read */
	struct hl_err err;
	/* the database's key of the caller hashes, once a file needed it */
	unsigned char key[HL_STORE_KEY_LEN];
	int have_key;

	/* the file being read */
	const char *file;
	int64_t run;
	struct hl_columns cols;
	unsigned long header_line; /* where the header is */
	char **headers;
	size_t ncols;
	size_t *extra; /* unmapped columns, ascending */
	size_t nextra;
	struct hl_ingest_stats stats;
	int reject_failed; /* a reject could not be stored */
	/* rows skipped as no tickets (pipe.h's HL_SKIP_*): count, first */
	unsigned long skips[HL_SKIP_N], skip_line[HL_SKIP_N];
	/* readable rows, and those blank in each field's column */
	unsigned long rows, blanks[HL_F_COUNT], blank_line[HL_F_COUNT];
	/* a batch's readable records and the rows put for them */
	struct cur *curs;
	struct hl_store_put *puts;
	size_t cap_rows;
	hl_time now; /* "the future" for this file starts a day after */
};

/* A record of the batch, as the writing side sees it. */
struct cur {
	const struct hl_batch *b;
	const struct hl_item *it;
	struct hl_record rec; /* start and raw bytes, for positions */
	const char *v[HL_F_COUNT];
	unsigned quality;
	int64_t dict[HL_F_COUNT]; /* dict ids bind_row() bound; 0: none */
};

#define fail(in, ...) hl_err_set(&(in)->err, __VA_ARGS__)

/* Clears the counts of the file before, for file path ("-": stdin). */
void hl_ingest_start_file(struct hl_ingest *in, const char *path);
/* Finds the table of *src (ingest.c's find_table()). */
int hl_ingest_find_table(struct hl_ingest *in, struct hl_source **src, FILE *f,
			 int tap);
/* The parse thread's view of in's file, after its header. */
void hl_ingest_parse(struct hl_ingest *in, struct hl_source *src,
		     struct hl_parse *p);
/* Counting and saying the rows that are no tickets and the blank cells. */
void hl_ingest_skip_seen(struct hl_ingest *in, const struct cur *c);
void hl_ingest_blanks_seen(struct hl_ingest *in, const struct cur *c);
void hl_ingest_blanks_report(struct hl_ingest *in);
void hl_ingest_skips_report(struct hl_ingest *in);
/* Bits of the fields the figures read that no column gives. */
unsigned hl_ingest_missing(const struct hl_ingest *in);
/* After a file: its header and columns forgotten. */
void hl_ingest_end_file(struct hl_ingest *in);

#endif
