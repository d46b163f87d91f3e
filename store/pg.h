/*
 * pg.h - private to store/: what the PostgreSQL driver's files (pg.c,
 * pg_put.c) share.
 */
#ifndef HL_STORE_PG_H
#define HL_STORE_PG_H

#include <libpq-fe.h>
#include <stdint.h>

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
/*
 * n bytes p of rows for the COPY sql, which is begun if it is not open
 * and stays open until the next statement of any kind ends it: the
 * server loads the rows while hotline reads the next batch, where a COPY
 * a batch had each wait for the other.  0, or -1 with the error on st
 * (an error of the server's in the rows is told when the COPY ends).
 */
int hl_pg_copy_more(struct hl_store *st, const char *sql, const char *p,
		    size_t n, const char *what);

/*
 * What a load keeps from one put to the next (pg_put.c), from
 * begin_write to its commit or rollback.
 */
struct hl_pg_recent;
struct hl_pg_load {
	int fresh;         /* no ticket was stored when the load began */
	long long next_id; /* the next ticket id to give; 0: none drawn */
	uint32_t *seen;    /* fresh: the load's ticket IDs' fingerprints */
	size_t nseen;      /* of them */
	struct hl_pg_recent *recent; /* fresh: the last tickets' ids */
	double tuples; /* the ticket table's rows when it began (-1 unknown) */
	long long changed; /* of them changed since the last ANALYZE */
	long long written; /* tickets the load wrote */
};
/* st's load. */
struct hl_pg_load *hl_pg_load(struct hl_store *st);
/* The load begun (fresh: the ticket table was empty).  */
void hl_pg_load_begin(struct hl_store *st, int fresh);
/* Before the commit: the ids given, taken from the sequence.  0, or -1. */
int hl_pg_load_finish(struct hl_store *st);
/* After the commit or a rollback: the load's state forgotten. */
void hl_pg_load_forget(struct hl_store *st);

/* s[0 .. n-1] as text in COPY's text format (its \, tab, newline and
 * carriage return escaped), into b (pg_put.c). */
void hl_pg_copy_text(struct hl_buf *b, const char *s, size_t n);
/* driver.h's put for PostgreSQL (pg_put.c). */
int hl_pg_put(struct hl_store *st, struct hl_store_put *v, size_t n,
	      hl_store_decide_fn *decide, void *arg);

#endif
