/*
 * priv.h - private to store/: what its files share.
 */
#ifndef HL_STORE_PRIV_H
#define HL_STORE_PRIV_H

#include "store/store.h"

/* Records SQLite's last error on st as the store's error; returns -1. */
int hl_store_sql_fail(struct hl_store *st);

/* The prepared statements read.c keeps, finalized by hl_store_free(). */
sqlite3_stmt **hl_store_cached(struct hl_store *st, int which);
#define HL_STORE_Q_NAME 0
#define HL_STORE_Q_IDENT 1
#define HL_STORE_NCACHED 2

#endif
