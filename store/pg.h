/*
 * pg.h - private to store/: what the PostgreSQL driver's files (pg.c,
 * pg_put.c) share.
 */
#ifndef HL_STORE_PG_H
#define HL_STORE_PG_H

#include <libpq-fe.h>

#include "store/driver.h"

/* The server's or libpq's message for r (NULL: the connection's) as st's
 * error, r cleared; returns -1. */
int hl_pg_fail(struct hl_store *st, PGresult *r, const char *what);
/* Runs sql with the n text parameters v (NULL: SQL NULL): the result
 * (PGRES_COMMAND_OK or _TUPLES_OK; caller clears it), or NULL with the
 * error, what was being done, on st. */
PGresult *hl_pg_query(struct hl_store *st, const char *sql, int n,
		      const char *const *v, const char *what);
/* COPY ... FROM STDIN begun with sql; then ended after the last n bytes
 * p of data (ok 0: abandoned), every result drained.  0, or -1 with the
 * error, what was being done, on st. */
int hl_pg_copy_begin(struct hl_store *st, const char *sql, const char *what);
int hl_pg_copy_end(struct hl_store *st, const char *p, size_t n, int ok,
		   const char *what);
/* s[0 .. n-1] as text in COPY's text format (its \, tab, newline and
 * carriage return escaped), into b (pg_put.c). */
void hl_pg_copy_text(struct hl_buf *b, const char *s, size_t n);
/* driver.h's put for PostgreSQL (pg_put.c). */
int hl_pg_put(struct hl_store *st, struct hl_store_put *v, size_t n,
	      hl_store_decide_fn *decide, void *arg);

#endif
