/*
 * priv.h - private to store/ and the tests of its internals: what the
 * SQLite driver's files (sqlite.c, read.c, write.c) share.
 */
#ifndef HL_STORE_PRIV_H
#define HL_STORE_PRIV_H

#include <sqlite3.h>

#include "store/driver.h"
#include "store/store.h"

/*
 * The SQLite connection, for store/ and for the tests of its internals;
 * nothing else speaks SQL.  Borrowed; valid until hl_store_free().
 */
sqlite3 *hl_store_db(struct hl_store *st);

/*
 * What to add to an SQLite error message: for a damaged file (an SQLite
 * result code of SQLITE_CORRUPT or SQLITE_NOTADB), advice to run
 * `hotline check`; else "".  Static text.
 */
const char *hl_store_advice(int sqlite_code);

/* Records SQLite's last error on st as the store's error; returns -1. */
int hl_store_sql_fail(struct hl_store *st);

enum {
	HL_STMT_NAME,
	HL_STMT_IDENT,
	HL_STMT_DICT_FIND,
	HL_STMT_DICT_ADD,
	HL_STMT_REJECT,
	HL_STMT_SAT_ADD,
	HL_STMT_HAND_ADD,
	HL_STMT_SAT_TIDY,
	HL_STMT_HAND_TIDY,
	HL_STMT_RUN_ADD,
	HL_STMT_RUN_SIZE,
	HL_STMT_RUN_SHA,
	HL_STMT_RUN_END,
	HL_STMT_TICKET_INSERT,
	HL_STMT_TICKET_FIND,
	HL_STMT_TICKET_UPDATE,
	HL_STMT_TICKET_TOUCH,
	HL_STORE_NCACHED
};

/*
 * The cached statement `which`, prepared from sql on first use (persistent:
 * it is used once per row).  NULL after recording the error on st.
 */
sqlite3_stmt *hl_store_stmt(struct hl_store *st, int which, const char *sql);

/* The driver's state (struct hl_store's impl). */
struct hl_sqlite {
	sqlite3 *db;
	int busy_ms;
	int journal; /* this write left WAL for a rollback journal */
	int ro_file; /* a reader that could not write the file or its
		      * directory: opened read-only */
	sqlite3_stmt *cached[HL_STORE_NCACHED]; /* hl_store_stmt()'s */
};

#define SQ(st) ((struct hl_sqlite *)(st)->impl)

/* The driver's reads (read.c) and writes (write.c): store.h's
 * hl_store_* of the same name. */
int hl_sqlite_scan(struct hl_store *st, const int64_t *ids, size_t n,
		   int64_t lo, int64_t hi, int closed_only,
		   hl_store_ticket_fn *fn, void *arg);
int hl_sqlite_names(struct hl_store *st, enum hl_dict kind,
		    hl_store_name_fn *fn, void *arg);
int hl_sqlite_lookup(struct hl_store *st, enum hl_store_lookup what,
		     const int64_t *ids, size_t n, char **out);
int hl_sqlite_sat_counts(struct hl_store *st, enum hl_store_basis basis,
			 int year, int64_t lo, int64_t hi, hl_store_sat_fn *fn,
			 void *arg);
int hl_sqlite_hand_sums(struct hl_store *st, int64_t from, int64_t to,
			int from_dispatch, hl_store_hand_fn *fn, void *arg);
int hl_sqlite_no_tickets(struct hl_store *st);
int hl_sqlite_run_add(struct hl_store *st, const char *file, long long size,
		      const char *encoding, int64_t started, int64_t *run);
int hl_sqlite_run_end(struct hl_store *st, int64_t run,
		      const struct hl_store_run_end *e);
int hl_sqlite_run_size_seen(struct hl_store *st, long long size);
int64_t hl_sqlite_run_with_sha(struct hl_store *st, const char *sha256);
int hl_sqlite_dict_id(struct hl_store *st, enum hl_dict kind, const char *v,
		      size_t n, int64_t *id);
int hl_sqlite_reject_add(struct hl_store *st, const struct hl_store_reject *r);
int hl_sqlite_sat_add(struct hl_store *st, int64_t month, int64_t district,
		      int is_key, int sat, long long n);
int hl_sqlite_hand_add(struct hl_store *st, int64_t month, int64_t district,
		       int category, int start, long long n, long long secs);
int hl_sqlite_rollups_tidy(struct hl_store *st);
int hl_sqlite_put(struct hl_store *st, struct hl_store_put *v, size_t n,
		  hl_store_decide_fn *decide, void *arg);
int hl_sqlite_foreign_keys(struct hl_store *st, int on, int *was);

#endif
