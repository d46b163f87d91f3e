/*
 * pg.h - private to store/: what the PostgreSQL driver's files (pg.c,
 * pg_put.c) share.
 */
#ifndef HL_STORE_PG_H
#define HL_STORE_PG_H

#include <libpq-fe.h>

#include "store/driver.h"

/* The connection of a PostgreSQL handle.  Borrowed. */
PGconn *hl_pg_conn(struct hl_store *st);
/* The server's or libpq's message for r (NULL: the connection's) as st's
 * error, r cleared; returns -1. */
int hl_pg_fail(struct hl_store *st, PGresult *r, const char *what);
/* driver.h's put for PostgreSQL (pg_put.c). */
int hl_pg_put(struct hl_store *st, struct hl_store_put *v, size_t n,
	      hl_store_decide_fn *decide, void *arg);

#endif
