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
	HL_STMT_SETTING_GET,
	HL_STMT_SETTING_PUT,
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
	/* rows being added by hl_store_copy() */
	sqlite3_stmt *add;
	const struct hl_store_table *add_t;
};

#define SQ(st) ((struct hl_sqlite *)(st)->impl)

/* The driver's reads (read.c) and writes (write.c). */
extern const struct hl_store_reads hl_sqlite_reads;
extern const struct hl_store_writes hl_sqlite_writes;

#endif
