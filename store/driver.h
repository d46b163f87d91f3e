/*
 * driver.h - private to store/: what a database driver provides.
 *
 * store.h's functions are the same whatever holds the data; each calls
 * the driver the handle was opened with.  sqlite.c (with read.c and
 * write.c) is the SQLite driver, the embedded default; a server's driver
 * fills the same table.  Every operation has the contract of its
 * hl_store_* namesake in store.h, and reports an error with
 * hl_err_set(&st->err, ...).
 */
#ifndef HL_STORE_DRIVER_H
#define HL_STORE_DRIVER_H

#include "store/store.h"

/* What the figures read (store.h's "reading for the figures"). */
struct hl_store_reads {
	int (*scan)(struct hl_store *st, const int64_t *ids, size_t n,
		    int64_t lo, int64_t hi, int closed_only,
		    hl_store_ticket_fn *fn, void *arg);
	int (*names)(struct hl_store *st, enum hl_dict kind,
		     hl_store_name_fn *fn, void *arg);
	int (*lookup)(struct hl_store *st, enum hl_store_lookup what,
		      const int64_t *ids, size_t n, char **out);
	int (*sat_counts)(struct hl_store *st, enum hl_store_basis basis,
			  int64_t lo, int64_t hi, hl_store_sat_fn *fn,
			  void *arg);
	int (*hand_sums)(struct hl_store *st, int64_t from, int64_t to,
			 int from_dispatch, hl_store_hand_fn *fn, void *arg);
	int (*no_tickets)(struct hl_store *st);
	int (*topic_counts)(struct hl_store *st, const int64_t *ids, size_t n,
			    int64_t lo, int64_t hi, hl_store_topic_fn *fn,
			    void *arg, int64_t links_from,
			    hl_store_link_fn *lfn, void *larg);
	int (*links)(struct hl_store *st, const int64_t *ids, size_t n,
		     int64_t lo, int64_t hi, hl_store_link_fn *fn, void *arg);
	int (*ticket_times)(struct hl_store *st, const int64_t *ids, size_t n,
			    int64_t *accepted);
};

/* What ingest writes (store.h's "writing for ingest"). */
struct hl_store_writes {
	int (*run_add)(struct hl_store *st, const char *file, long long size,
		       const char *encoding, int64_t started, int64_t *run);
	int (*run_end)(struct hl_store *st, int64_t run,
		       const struct hl_store_run_end *e);
	int (*run_size_seen)(struct hl_store *st, long long size);
	int64_t (*run_with_sha)(struct hl_store *st, const char *sha256);
	int (*dict_id)(struct hl_store *st, enum hl_dict kind, const char *v,
		       size_t n, int64_t *id);
	int (*reject_add)(struct hl_store *st, const struct hl_store_reject *r);
	int (*sat_add)(struct hl_store *st, int64_t day, int64_t district,
		       int is_key, int sat, long long n);
	int (*hand_add)(struct hl_store *st, int64_t day, int64_t district,
			int category, int start, long long n, long long secs);
	int (*rollups_tidy)(struct hl_store *st);
	int (*put)(struct hl_store *st, struct hl_store_put *v, size_t n,
		   hl_store_decide_fn *decide, void *arg);
	int (*foreign_keys)(struct hl_store *st, int on, int *was);
	/* the database's setting name into *v (reset first), *found (OUT)
	 * 0 when it has none; and set, inside a write */
	int (*setting_get)(struct hl_store *st, const char *name,
			   struct hl_buf *v, int *found);
	int (*setting_put)(struct hl_store *st, const char *name, const void *v,
			   size_t n);
};

/*
 * A table as hl_store_copy() moves it (move.c): its columns and their
 * types ('i' an integer, 't' text, 'b' bytes), ordered by the first.
 */
/* The most columns a table has (move.c checks). */
#define HL_STORE_MAXCOLS 40

struct hl_store_table {
	const char *name;
	const char *const *cols;
	const char *types; /* one letter a column */
	size_t ncols;
	int identity; /* the first column is an id a sequence gives */
};

/* Into b: t's columns ("id, kind, value"), and the query of all its rows
 * in order of its key (move.c); the drivers' SQL around them. */
void hl_store_table_cols(const struct hl_store_table *t, struct hl_buf *b);
void hl_store_table_select(const struct hl_store_table *t, struct hl_buf *b);

/* One row's cells as text (an integer in decimal; v[i] NULL: NULL).
 * 0 goes on; -1 stops (the error is the callee's). */
typedef int hl_store_cells_fn(void *arg, const char *const *v,
			      const size_t *len);

/* Moving a database between stores, whatever their drivers. */
struct hl_store_moves {
	/* every row of t, in order of its first column */
	int (*rows)(struct hl_store *st, const struct hl_store_table *t,
		    hl_store_cells_fn *fn, void *arg);
	/* rows into t, inside hl_store_begin_write(): begin, add each, end
	 * (after which a sequence gives ids past the last) */
	int (*begin_rows)(struct hl_store *st, const struct hl_store_table *t);
	int (*add_row)(struct hl_store *st, const char *const *v,
		       const size_t *len);
	int (*end_rows)(struct hl_store *st);
};

struct hl_store_driver {
	const char *name; /* "sqlite" */
	/* opens path into st (st->path and st->err are set; st->impl is the
	 * driver's); close frees what open made, even after a failure */
	int (*open)(struct hl_store *st, const char *path, unsigned flags,
		    int busy_ms);
	void (*close)(struct hl_store *st);

	int (*begin_write)(struct hl_store *st, unsigned flags);
	int (*in_journal)(const struct hl_store *st);
	int (*commit)(struct hl_store *st);
	void (*rollback)(struct hl_store *st);
	int (*exec)(struct hl_store *st, const char *sql);
	int (*readonly_file)(const struct hl_store *st);
	long (*check)(struct hl_store *st, hl_store_problem_fn *fn, void *arg);

	const struct hl_store_reads *read;   /* for the figures */
	const struct hl_store_writes *write; /* for ingest */
	const struct hl_store_moves *move;   /* for hl_store_copy() */
};

/* A handle: the driver, its state, and the last error. */
struct hl_store {
	const struct hl_store_driver *drv;
	void *impl;
	char *path; /* as opened, for messages */
	struct hl_err err;
};

/* The drivers there are. */
extern const struct hl_store_driver hl_sqlite_driver;
extern const struct hl_store_driver hl_pg_driver;

#endif
