/*
 * priv.h - private to store/: what its files share.
 */
#ifndef HL_STORE_PRIV_H
#define HL_STORE_PRIV_H

#include <sqlite3.h>

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
	HL_Q_NAME,
	HL_Q_IDENT,
	HL_Q_DICT_FIND,
	HL_Q_DICT_ADD,
	HL_Q_REJECT,
	HL_Q_SAT_ADD,
	HL_Q_HAND_ADD,
	HL_Q_SAT_TIDY,
	HL_Q_HAND_TIDY,
	HL_Q_RUN_ADD,
	HL_Q_RUN_SIZE,
	HL_Q_RUN_SHA,
	HL_Q_RUN_END,
	HL_Q_TICKET_INSERT,
	HL_Q_TICKET_FIND,
	HL_Q_TICKET_UPDATE,
	HL_Q_TICKET_TOUCH,
	HL_STORE_NCACHED
};

/*
 * The cached statement `which`, prepared from sql on first use (persistent:
 * it is used once per row).  NULL after recording the error on st.
 */
sqlite3_stmt *hl_store_stmt(struct hl_store *st, int which, const char *sql);

#endif
