/*
 * pg.c - the PostgreSQL driver (driver.h), through libpq.
 *
 * The same tables as the SQLite store (pg/schema.sql), the same answers:
 * the figures read from either are the same to the byte.  What differs
 * is the round trip: every statement crosses the network, so nothing is
 * asked a row at a time.  A batch of tickets is put in a handful of
 * exchanges (their stored versions read in one query, new ids taken in
 * one, the new tickets sent with COPY, the changed ones through COPY into
 * a staging table and one UPDATE); the figures' tickets stream in
 * libpq's single-row mode; names are looked up a list at a time.  Every
 * value is a bound parameter or COPY data, never SQL text.
 *
 * An ingest holds a transaction-scoped advisory lock: a second one waits
 * up to busy_ms, then fails; readers are never blocked (MVCC).  A
 * connection URI's password is never shown: messages name the target
 * with it replaced by "***".
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <limits.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"
#include "store/pg.h"

extern const char hl_pg_schema[];
extern const char hl_pg_migrate_7[];
extern const char hl_pg_migrate_8[];
extern const char hl_pg_migrate_9[];
extern const char hl_pg_migrate_10[];
extern const char hl_pg_tickets[];
extern const char hl_pg_city[];
extern const char hl_pg_sat_day[];
extern const char hl_pg_sat_dispatched[];
extern const char hl_pg_sat_closed[];
extern const char hl_pg_hand_day[];
extern const char hl_pg_topics[];
extern const char hl_pg_links[];
extern const char hl_pg_sat_add[];
extern const char hl_pg_hand_add[];

/* The advisory locks: one ingest at a time; one schema creation. */
#define LOCK_INGEST 0x484c4e31494e47LL /* "HLN1ING" */
#define LOCK_SCHEMA 0x484c4e31534348LL /* "HLN1SCH" */

/*
 * Changes to a rollup not yet sent: each column an array literal being
 * written ("{1,2,3"), sent as one upsert when ROLL_BATCH have come or a
 * statement needs them (pg/sat_add.sql, pg/hand_add.sql).  An ingest
 * makes one a day, district and class: tens of thousands a file, which
 * took a round trip each.
 */
#define ROLL_BATCH 16384

struct roll {
	const char *sql, *what; /* its upsert, and what it is for messages */
	const char *tidy;       /* its rows left at 0 deleted from day $1 on */
	int ncols;
	struct hl_buf col[6];
	size_t n;
	long long lo; /* the first day a change lowered since the last tidy;
			 LLONG_MAX none */
};

struct hl_pg {
	PGconn *c;
	int busy_ms;
	int copying;           /* hl_pg_copy_more()'s COPY is open */
	int timed;             /* the load's statements time out */
	long long unanalyzed;  /* rows this session's loads changed since
				  its last ANALYZE */
	const char *copy_what; /* what it is for messages */
	struct hl_pg_load load;
	PGresult *names; /* the dict as a load first asked (kind, value, id) */
	size_t *name_slot; /* names' rows by (kind, value): 1 + row, 0 free */
	size_t name_cap;   /* of name_slot; 0 not read (or too many) */
	int names_read;
	struct hl_buf copy;                 /* COPY data not yet sent */
	const struct hl_store_table *add_t; /* rows being added */
	struct roll sat, hand;              /* rollup changes not yet sent */
};

#define PG(st) ((struct hl_pg *)(st)->impl)

/* ---- errors and statements ---- */

/* The server's or libpq's message for r (NULL: the connection's), on st
 * as the error; r is cleared.  -1. */
static int
pg_fail(struct hl_store *st, PGresult *r, const char *what)
{
	const char *m =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	/* the first line: the server's primary message, or libpq's */
	if (m == NULL || *m == '\0')
		m = PQerrorMessage(PG(st)->c);
	hl_err_set(&st->err, HL_STORE_ESQL, "'%s': %s: %.*s", st->path, what,
		   (int)strcspn(m, "\n"), m);
	PQclear(r);
	return -1;
}

/* An open COPY (hl_pg_copy_more()) ended, its rows kept (ok) or not, so
 * that another statement can run.  0, or -1 with the server's error. */
static int
settle(struct hl_store *st, int ok)
{
	struct hl_pg *g = PG(st);

	if (!g->copying)
		return 0;
	g->copying = 0;
	return hl_pg_copy_end(st, NULL, 0, ok, g->copy_what);
}

/* A statement's text parameters: numbers printed into room of its own. */
struct params {
	const char *v[32];
	int len[32], fmt[32];
	char num[32][24];
	int n;
};

static void
p_text(struct params *p, const char *s)
{
	p->v[p->n] = s;
	p->len[p->n] = 0;
	p->fmt[p->n++] = 0;
}

static void
p_int(struct params *p, long long v)
{
	snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", v);
	p_text(p, p->num[p->n]);
}

static void
p_null(struct params *p)
{
	p_text(p, NULL);
}

static void
p_bytes(struct params *p, const void *b, size_t n)
{
	p->v[p->n] = b ? b : "";
	p->len[p->n] = (int)n;
	p->fmt[p->n++] = 1;
}

/* ids[0 .. n-1] as an array literal into b and the parameter; NULL: NULL. */
static void
p_ids(struct params *p, struct hl_buf *b, const int64_t *ids, size_t n)
{
	size_t i;

	if (ids == NULL) {
		p_null(p);
		return;
	}
	hl_buf_addc(b, '{');
	for (i = 0; i < n; i++)
		hl_buf_printf(b, "%s%" PRId64, i ? "," : "", ids[i]);
	hl_buf_addc(b, '}');
	p_text(p, b->data);
}

/* Runs sql with p; the result, or NULL with the error on st. */
static PGresult *
run(struct hl_store *st, const char *sql, const struct params *p,
    const char *what)
{
	PGresult *r;
	ExecStatusType s;

	if (settle(st, 1) != 0)
		return NULL;
	r = PQexecParams(PG(st)->c, sql, p ? p->n : 0, NULL, p ? p->v : NULL,
			 p ? p->len : NULL, p ? p->fmt : NULL, 0);
	s = PQresultStatus(r);

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pg_fail(st, r, what);
		return NULL;
	}
	return r;
}

PGresult *
hl_pg_query(struct hl_store *st, const char *sql, int n, const char *const *v,
	    const char *what)
{
	struct params p = {0};
	int i;

	for (i = 0; i < n; i++)
		p_text(&p, v[i]);
	return run(st, sql, &p, what);
}

static int
run_ok(struct hl_store *st, const char *sql, const struct params *p,
       const char *what)
{
	PGresult *r = run(st, sql, p, what);

	PQclear(r);
	return r ? 0 : -1;
}

/* The changes of r forgotten (sent, or rolled back); with release, its
 * memory given back too (the connection closed). */
static void
roll_drop(struct roll *r, int release)
{
	int i;

	for (i = 0; i < 6; i++)
		if (release)
			hl_buf_release(&r->col[i]);
		else
			hl_buf_reset(&r->col[i]);
	r->n = 0;
}

/* The changes of r sent as one upsert (its arrays as $1...).  0, or -1. */
static int
roll_send(struct hl_store *st, struct roll *r)
{
	struct params p = {0};
	int i, rc;

	if (r->n == 0)
		return 0;
	for (i = 0; i < r->ncols; i++) {
		hl_buf_addc(&r->col[i], '}');
		p_text(&p, r->col[i].data);
	}
	rc = run_ok(st, r->sql, &p, r->what);
	roll_drop(r, 0);
	return rc;
}

/* Every rollup change not yet sent, sent.  0, or -1. */
static int
rolls_send(struct hl_store *st)
{
	if (roll_send(st, &PG(st)->sat) != 0)
		return -1;
	return roll_send(st, &PG(st)->hand);
}

/* One change (r->ncols values) kept; the batch sent when full. */
static int
roll_add(struct hl_store *st, struct roll *r, const long long *v)
{
	int i;

	for (i = 0; i < r->ncols; i++)
		hl_buf_printf(&r->col[i], "%c%lld", r->n ? ',' : '{', v[i]);
	if (v[4] < 0 && v[0] < r->lo) /* (day, ..., n, ...) */
		r->lo = v[0];
	return ++r->n < ROLL_BATCH ? 0 : roll_send(st, r);
}

static long long
num(const PGresult *r, int row, int col)
{
	const unsigned char *b;
	unsigned long long v = 0;
	int n, i;

	if (PQgetisnull(r, row, col))
		return 0;
	if (PQfformat(r, col) == 0)
		return strtoll(PQgetvalue(r, row, col), NULL, 10);
	/* binary: a big-endian two's-complement integer of 2, 4 or 8 bytes */
	b = (const unsigned char *)PQgetvalue(r, row, col);
	n = PQgetlength(r, row, col);
	for (i = 0; i < n; i++)
		v = v << 8 | b[i];
	if (n < 8 && n > 0 && (b[0] & 0x80))
		v |= ~0ULL << (8 * n); /* sign-extended */
	return (long long)v;
}

#define FETCH_ROWS 8192
#define FETCH_TEXT(n) "FETCH " #n " FROM hl_rows"
#define FETCH_SQL(n) FETCH_TEXT(n) /* n's value, not its name */
#define FETCH FETCH_SQL(FETCH_ROWS)

/* The result of the FETCH sent, read to its end so that another can be
 * sent; NULL with the error on st. */
static PGresult *
fetched(struct hl_store *st, const char *what)
{
	PGresult *r = PQgetResult(PG(st)->c), *more;

	while ((more = PQgetResult(PG(st)->c)) != NULL)
		PQclear(more);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		pg_fail(st, r, what);
		return NULL;
	}
	return r;
}

/*
 * Runs sql with p through a cursor, calling row(arg, r, i) for each row i
 * of each batch r: the rows stream, a few thousand at a time, never all
 * held at once (single-row mode cost a result a row).  binary: the rows
 * come in binary (num() reads both; the server spends less on numbers
 * given as bytes than as text).  0, or -1.
 */
static int
stream_rows(struct hl_store *st, const char *sql, const struct params *p,
	    const char *what, int binary,
	    void (*row)(void *arg, const PGresult *r, int i), void *arg)
{
	PGconn *c = PG(st)->c;
	int own = PQtransactionStatus(c) == PQTRANS_IDLE, n, i, rc = 0;
	struct hl_buf q = HL_BUF_INIT;
	size_t len = strlen(sql);
	PGresult *r;

	while (len && (sql[len - 1] == '\n' || sql[len - 1] == ' ' ||
		       sql[len - 1] == ';'))
		len--;
	hl_buf_adds(&q, binary ? "DECLARE hl_rows BINARY NO SCROLL CURSOR FOR\n"
			       : "DECLARE hl_rows NO SCROLL CURSOR FOR\n");
	hl_buf_add(&q, sql, len);
	if (own && run_ok(st, "BEGIN READ ONLY", NULL, what) != 0) {
		hl_buf_release(&q);
		return -1;
	}
	rc = run_ok(st, q.data, p, what);
	hl_buf_release(&q);
	/*
	 * The next batch is asked for before this one is handed out, so
	 * that the server reads it while the figures take this one: the
	 * two were taking turns, each idle half the time.
	 */
	if (rc == 0 && !PQsendQuery(c, FETCH))
		rc = pg_fail(st, NULL, what);
	while (rc == 0) {
		if ((r = fetched(st, what)) == NULL) {
			rc = -1;
			break;
		}
		n = PQntuples(r);
		if (n == FETCH_ROWS && !PQsendQuery(c, FETCH)) {
			rc = pg_fail(st, r, what);
			break;
		}
		for (i = 0; i < n; i++)
			row(arg, r, i);
		PQclear(r);
		if (n < FETCH_ROWS)
			break;
	}
	if (rc == 0)
		rc = run_ok(st, "CLOSE hl_rows", NULL, what);
	if (own)
		PQclear(PQexec(c, rc == 0 ? "COMMIT" : "ROLLBACK"));
	return rc;
}

/* The figures' rows, in binary. */
static int
stream(struct hl_store *st, const char *sql, const struct params *p,
       const char *what, void (*row)(void *arg, const PGresult *r, int i),
       void *arg)
{
	return stream_rows(st, sql, p, what, 1, row, arg);
}

/* ---- the URI, without its password ---- */

/*
 * uri with the password (user:PASSWORD@ and password=...) replaced by
 * "***".  Caller frees.
 */
static char *
redact(const char *uri)
{
	struct hl_buf b = HL_BUF_INIT;
	const char *at = strchr(uri, '@'), *q = strchr(uri, '?');
	const char *scheme = strstr(uri, "://"), *p;

	if (scheme && at && (q == NULL || at < q)) {
		const char *colon =
		    memchr(scheme + 3, ':', (size_t)(at - (scheme + 3)));

		if (colon) {
			hl_buf_add(&b, uri, (size_t)(colon + 1 - uri));
			hl_buf_adds(&b, "***");
			uri = at;
		}
	}
	while ((p = strstr(uri, "password=")) != NULL) {
		hl_buf_add(&b, uri, (size_t)(p - uri) + 9);
		hl_buf_adds(&b, "***");
		uri = p + 9 + strcspn(p + 9, "&");
	}
	hl_buf_adds(&b, uri);
	return hl_buf_detach(&b, NULL);
}

/* ---- opening ---- */

/* The schema version the database holds: 0 when it has no hotline
 * tables, -1 on error. */
static long
version(struct hl_store *st)
{
	PGresult *r = run(st, "SELECT to_regclass('hotline_meta') IS NULL",
			  NULL, "reading the schema version");
	long v = 0;

	if (r == NULL)
		return -1;
	if (strcmp(PQgetvalue(r, 0, 0), "t") == 0) {
		PQclear(r);
		return 0;
	}
	PQclear(r);
	r = run(st,
		"SELECT value FROM hotline_meta WHERE key = 'schema_version'",
		NULL, "reading the schema version");
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1)
		v = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v > 0 ? v
		     : hl_err_set(&st->err, HL_STORE_ESCHEMA,
				  "'%s': its hotline_meta table has no schema "
				  "version: not a hotline database",
				  st->path);
}

static int pg_exec(struct hl_store *st, const char *sql);
static void pg_rollback(struct hl_store *st);

static int
create_schema(struct hl_store *st)
{
	struct params p = {0};
	long v;

	p_int(&p, LOCK_SCHEMA);
	if (run_ok(st, "BEGIN", NULL, "creating the schema") != 0 ||
	    run_ok(st, "SELECT pg_advisory_xact_lock($1)", &p,
		   "creating the schema") != 0)
		return -1;
	/* another ingest may have made it while this one waited */
	if ((v = version(st)) == 0) {
		p.n = 0;
		p_int(&p, HL_STORE_SCHEMA_VERSION);
		if (pg_exec(st, hl_pg_schema) != 0 ||
		    run_ok(st,
			   "INSERT INTO hotline_meta VALUES ('application', "
			   "'hotline'), ('schema_version', $1)",
			   &p, "creating the schema") != 0) {
			run_ok(st, "ROLLBACK", NULL, "rollback");
			return -1;
		}
	}
	return v < 0 ? -1 : run_ok(st, "COMMIT", NULL, "creating the schema");
}

/*
 * steps[k] turns a database of version k into version k + 1 (pg/
 * migrate-<k + 1>.sql).  The first PostgreSQL schema was version 6: none
 * older has a step, and is refused.
 */
static const char *const steps[HL_STORE_SCHEMA_VERSION] = {
    [6] = hl_pg_migrate_7,
    [7] = hl_pg_migrate_8,
    [8] = hl_pg_migrate_9,
    [9] = hl_pg_migrate_10,
};

/*
 * Brings the database up to this hotline's schema version, a step at a
 * time, each with the version's update in one transaction under the
 * schema lock: the version is read again inside it, so a second ingest
 * that waited finds the work done.  A failed step leaves the version
 * before it.
 */
static int
migrate(struct hl_store *st)
{
	struct params p = {0};
	long v;

	for (;;) {
		char *msg;

		p.n = 0;
		p_int(&p, LOCK_SCHEMA);
		if (run_ok(st, "BEGIN", NULL, "migrating the schema") != 0)
			return -1;
		if (run_ok(st, "SELECT pg_advisory_xact_lock($1)", &p,
			   "migrating the schema") != 0 ||
		    (v = version(st)) < 0) {
			pg_rollback(st);
			return -1;
		}
		if (v >= HL_STORE_SCHEMA_VERSION)
			return run_ok(st, "COMMIT", NULL,
				      "migrating the schema");
		if (steps[v] == NULL) {
			pg_rollback(st);
			return hl_err_set(&st->err, HL_STORE_ESCHEMA,
					  "'%s' has schema version %ld; this "
					  "hotline knows no migration of it",
					  st->path, v);
		}
		p.n = 0;
		p_int(&p, v + 1);
		if (pg_exec(st, steps[v]) == 0 &&
		    run_ok(st,
			   "UPDATE hotline_meta SET value = $1 WHERE key = "
			   "'schema_version'",
			   &p, "migrating the schema") == 0 &&
		    run_ok(st, "COMMIT", NULL, "migrating the schema") == 0)
			continue;
		msg = hl_xstrdup(hl_store_errmsg(st));
		pg_rollback(st);
		hl_err_set(&st->err, HL_STORE_ESQL,
			   "cannot migrate '%s' to schema version %ld: %s",
			   st->path, v + 1, msg);
		free(msg);
		return -1;
	}
}

static int
pg_open(struct hl_store *st, const char *uri, unsigned flags, int busy_ms)
{
	struct hl_pg *g = hl_xcalloc(1, sizeof(*g));
	long v;
	int i;

	st->impl = g;
	free(st->path);
	st->path = redact(uri);
	g->busy_ms = busy_ms > 0 ? busy_ms : 5000;
	hl_buf_init(&g->copy);
	g->sat.sql = hl_pg_sat_add;
	g->sat.tidy = "DELETE FROM sat_day WHERE n = 0 AND day >= $1";
	g->hand.tidy = "DELETE FROM hand_day WHERE n = 0 AND day >= $1";
	g->sat.lo = g->hand.lo = LLONG_MAX;
	g->sat.what = "keeping the satisfaction rollup";
	g->sat.ncols = 5;
	g->hand.sql = hl_pg_hand_add;
	g->hand.what = "keeping the handling-time rollup";
	g->hand.ncols = 6;
	for (i = 0; i < 6; i++) {
		hl_buf_init(&g->sat.col[i]);
		hl_buf_init(&g->hand.col[i]);
	}
	g->c = PQconnectdb(uri);
	if (g->c == NULL)
		hl_oom(0);
	if (PQstatus(g->c) != CONNECTION_OK) {
		const char *m = PQerrorMessage(g->c);

		return hl_err_set(&st->err, HL_STORE_EOPEN,
				  "cannot connect to '%s': %.*s", st->path,
				  (int)strcspn(m, "\n"), m);
	}
	if (PQsetClientEncoding(g->c, "UTF8") != 0)
		return pg_fail(st, NULL, "setting the client encoding");
	/*
	 * The figures' scans are planned as costly, so PostgreSQL compiles
	 * them (JIT) and took longer compiling than it saved: 70 ms of a
	 * district-year's 1.45 s.  So did a load's query of open quotes on
	 * a large table: 81 ms on two city years, nearly all of it loading
	 * the compiler, for a join of no rows.  A server without the
	 * setting (one of the distributed forms) keeps what it has: the
	 * answer is ignored.
	 */
	PQclear(PQexec(g->c, "SET jit = off"));
	if ((v = version(st)) < 0)
		return -1;
	if (v == 0 && !(flags & HL_STORE_WRITE))
		return hl_err_set(&st->err, HL_STORE_ESCHEMA,
				  "'%s' holds no hotline tables: `hotline "
				  "ingest` makes them",
				  st->path);
	if (v == 0 && create_schema(st) != 0)
		return -1;
	if (v > HL_STORE_SCHEMA_VERSION)
		return hl_err_set(&st->err, HL_STORE_ESCHEMA,
				  "'%s' has schema version %ld, newer than "
				  "this hotline's %d: use a newer hotline",
				  st->path, v, HL_STORE_SCHEMA_VERSION);
	if (v > 0 && v < HL_STORE_SCHEMA_VERSION && steps[v] == NULL)
		return hl_err_set(&st->err, HL_STORE_ESCHEMA,
				  "'%s' has schema version %ld; this hotline "
				  "knows no migration of it",
				  st->path, v);
	if (v > 0 && v < HL_STORE_SCHEMA_VERSION && !(flags & HL_STORE_WRITE))
		return hl_err_set(&st->err, HL_STORE_ESCHEMA,
				  "'%s' has schema version %ld; open it for "
				  "writing (e.g. with ingest) to migrate it "
				  "to %d",
				  st->path, v, HL_STORE_SCHEMA_VERSION);
	if (v > 0 && v < HL_STORE_SCHEMA_VERSION)
		return migrate(st);
	/* A reader reads one snapshot until it closes, as on SQLite: every
	 * figure of a run is of one state of the database, whatever an
	 * ingest commits meanwhile. */
	if (!(flags & HL_STORE_WRITE))
		return run_ok(st,
			      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
			      NULL, "beginning to read");
	return 0;
}

static void
pg_close(struct hl_store *st)
{
	struct hl_pg *g = PG(st);

	if (g == NULL)
		return;
	settle(st, 0);
	hl_pg_load_forget(st);
	PQclear(g->names);
	free(g->name_slot);
	PQfinish(g->c);
	hl_buf_release(&g->copy);
	roll_drop(&g->sat, 1);
	roll_drop(&g->hand, 1);
	free(g);
	st->impl = NULL;
}

/* ---- transactions ---- */

static int
pg_begin_write(struct hl_store *st, unsigned flags)
{
	struct params p = {0};
	char ms[32];
	PGresult *r;

	(void)flags; /* a server has no journal mode to change */
	PG(st)->sat.lo = PG(st)->hand.lo = LLONG_MAX; /* a rollback's */
	snprintf(ms, sizeof(ms), "%dms", PG(st)->busy_ms);
	p_text(&p, ms);
	if (run_ok(st, "BEGIN", NULL, "beginning the load") != 0 ||
	    run_ok(st, "SELECT set_config('lock_timeout', $1, true)", &p,
		   "beginning the load") != 0)
		return -1;
	p.n = 0;
	p_int(&p, LOCK_INGEST);
	r = PQexecParams(PG(st)->c, "SELECT pg_advisory_xact_lock($1)", 1, NULL,
			 p.v, p.len, p.fmt, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);

		if (code && strcmp(code, "55P03") == 0) {
			PQclear(r);
			run_ok(st, "ROLLBACK", NULL, "rollback");
			return hl_err_set(&st->err, HL_STORE_EBUSY,
					  "'%s': another ingest is writing it "
					  "(waited %d s)",
					  st->path, PG(st)->busy_ms / 1000);
		}
		pg_fail(st, r, "beginning the load");
		run_ok(st, "ROLLBACK", NULL, "rollback");
		return -1;
	}
	PQclear(r);
	/*
	 * The load's COMMIT returns once it is on disk, whatever the
	 * server's default: an ingest that reports success has kept the file
	 * (a server with synchronous_commit = off could lose the last loads
	 * in a crash).  And until the commit is flushed, VACUUM may not mark
	 * the loaded pages all-visible, so that the figures' covering index
	 * sent every read back to the table (a district-year's scan 0.77 s
	 * instead of 0.25 s).
	 *
	 * The server's notices (a temporary table already there) are not
	 * for the user: warnings and errors still come.  Whether the server
	 * times statements out (statement_timeout, set for the role by many
	 * a managed server) decides whether the tickets' COPY may stay open
	 * from batch to batch (hl_pg_copy_more()): the time it is open,
	 * hotline's reading included, counts as one statement's.
	 */
	r = run(st,
		"SELECT set_config('lock_timeout', '0', true), "
		"set_config('synchronous_commit', 'on', true), "
		"set_config('client_min_messages', 'warning', true), "
		"NOT EXISTS (SELECT 1 FROM ticket), "
		"(SELECT setting <> '0' FROM pg_settings "
		"WHERE name = 'statement_timeout'), "
		"(SELECT reltuples FROM pg_class "
		"WHERE oid = 'ticket'::regclass), "
		"coalesce((SELECT n_mod_since_analyze FROM pg_stat_user_tables "
		"WHERE relid = 'ticket'::regclass), 0), "
		"coalesce((SELECT last_analyze IS NULL AND last_autoanalyze "
		"IS NULL FROM pg_stat_user_tables "
		"WHERE relid = 'ticket'::regclass), true)",
		NULL, "beginning the load");
	if (r == NULL)
		return -1;
	hl_pg_load_begin(st, strcmp(PQgetvalue(r, 0, 3), "t") == 0);
	PG(st)->timed = strcmp(PQgetvalue(r, 0, 4), "t") == 0;
	/* a table that was empty (a first load, a copy into it) or was
	 * never analyzed (statistics lost in an upgrade) is analyzed */
	PG(st)->load.tuples =
	    PG(st)->load.fresh || strcmp(PQgetvalue(r, 0, 7), "t") == 0
		? -1
		: strtod(PQgetvalue(r, 0, 5), NULL);
	/* the server counts a session's changes when it goes idle (at most
	 * once a second) or ends: a run of files in one ingest adds its
	 * own here */
	PG(st)->load.changed = strtoll(PQgetvalue(r, 0, 6), NULL, 10);
	if (PG(st)->load.changed < PG(st)->unanalyzed)
		PG(st)->load.changed = PG(st)->unanalyzed;
	PQclear(r);
	return 0;
}

static int
pg_in_journal(const struct hl_store *st)
{
	(void)st;
	return 0;
}

/*
 * After a load: the visibility map brought up to date, so that the
 * figures' next queries walk the covering index alone, and the planner's
 * statistics when the rows changed since they were taken are a tenth of
 * the table or more, autovacuum's rule (right after a bulk load the
 * planner guessed 50 rows for a district's 73,676, sorted them on disk
 * and read 34,000 heap pages: 1.06 s instead of 0.05 s).  After a
 * nightly file of 7,000 rows into two city years, ANALYZE's sample of
 * the ticket table took 0.73 s, most of the load.  Until the next one,
 * the planner underestimates the newest days; the figures' queries walk
 * the covering index district by district whatever it guesses.  VACUUM
 * visits only the pages the load changed, without parallel workers
 * (PostgreSQL 13 on): starting two for the indexes' cleanup took 0.27 s
 * of its 0.29 s (0.02 s without).  A user that may not vacuum gets the
 * load all the same.
 */
static const char *
after_load(struct hl_pg *g)
{
	const struct hl_pg_load *ld = &g->load;
	int parallel = PQserverVersion(g->c) >= 130000;

	g->unanalyzed = ld->changed + ld->written;
	if (ld->tuples >= 0 && (double)g->unanalyzed < 50 + 0.1 * ld->tuples)
		return parallel
			   ? "VACUUM (PARALLEL 0) ticket, sat_day, hand_day"
			   : "VACUUM ticket, sat_day, hand_day";
	g->unanalyzed = 0;
	return parallel
		   ? "VACUUM (ANALYZE, PARALLEL 0) ticket, sat_day, hand_day"
		   : "VACUUM (ANALYZE) ticket, sat_day, hand_day";
}

static int
pg_commit(struct hl_store *st)
{
	const char *vacuum;

	/* the quotes of tickets stored after the quoting one, as on SQLite
	 * (sq_commit()) */
	if (hl_pg_load_finish(st) != 0 || rolls_send(st) != 0 ||
	    run_ok(st,
		   "UPDATE ticket AS t SET quoted_id = q.id FROM ticket AS q "
		   "WHERE t.quoted IS NOT NULL AND t.quoted_id IS NULL "
		   "AND q.ticket_id = t.quoted",
		   NULL, "finding quoted tickets") != 0 ||
	    run_ok(st, "COMMIT", NULL, "committing the load") != 0)
		return -1;
	vacuum = after_load(PG(st));
	hl_pg_load_forget(st);
	PQclear(PQexec(PG(st)->c, vacuum));
	return 0;
}

static void
pg_rollback(struct hl_store *st)
{
	settle(st, 0);
	hl_pg_load_forget(st);
	roll_drop(&PG(st)->sat, 0);
	roll_drop(&PG(st)->hand, 0);
	PQclear(PQexec(PG(st)->c, "ROLLBACK"));
}

static int
pg_exec(struct hl_store *st, const char *sql)
{
	PGresult *r;
	ExecStatusType s;

	if (settle(st, 1) != 0)
		return -1;
	r = PQexec(PG(st)->c, sql);
	s = PQresultStatus(r);

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return pg_fail(st, r, "running SQL");
	PQclear(r);
	return 0;
}

static int
pg_readonly_file(const struct hl_store *st)
{
	(void)st;
	return 0;
}

static long
pg_check(struct hl_store *st, hl_store_problem_fn *fn, void *arg)
{
	(void)fn;
	(void)arg;
	return hl_err_set(&st->err, HL_STORE_ESQL,
			  "'%s': `hotline check` checks SQLite files; on "
			  "PostgreSQL use the server's own tools (amcheck)",
			  st->path);
}

/* ---- reading for the figures ---- */

struct scan_arg {
	int closed_only;
	hl_store_ticket_fn *fn;
	void *arg;
	unsigned char caller[HL_CALLER_HASH_LEN];
	struct hl_buf quoted; /* the text, NUL-terminated */
};

static const unsigned char *caller_of(unsigned char *buf, const PGresult *r,
				      int k, int c);

static void
scan_row(void *a, const PGresult *r, int k)
{
	struct scan_arg *s = a;
	struct hl_store_ticket t;
	int i;

	memset(&t, 0, sizeof(t));
	t.id = num(r, k, 0);
	for (i = 0; i < HL_STORE_NT; i++)
		if (!PQgetisnull(r, k, 1 + i)) {
			t.has |= 1u << i;
			t.t[i] = num(r, k, 1 + i);
		}
	t.category = (int)num(r, k, 9);
	t.quality = (int)num(r, k, 13);
	t.district = num(r, k, 14);
	if (s->closed_only) {
		/* what the SQLite store's closed scan gives, no more */
		t.has &= ~(1u << HL_STORE_T_SIGNED | 1u << HL_STORE_T_DEADLINE);
		t.t[HL_STORE_T_SIGNED] = t.t[HL_STORE_T_DEADLINE] = 0;
		t.reopen = -1;
	} else {
		t.street = num(r, k, 6);
		t.unit = num(r, k, 7);
		t.channel = num(r, k, 8);
		t.is_key = PQgetisnull(r, k, 10) ? -1 : (int)num(r, k, 10);
		t.sat = (int)num(r, k, 11);
		t.reopen = PQgetisnull(r, k, 12) ? -1 : (int)num(r, k, 12);
		t.assess = (int)num(r, k, 15);
		t.topic = num(r, k, 16);
		t.caller = caller_of(s->caller, r, k, 17);
		if (!PQgetisnull(r, k, 18)) {
			hl_buf_reset(&s->quoted);
			hl_buf_add(&s->quoted, PQgetvalue(r, k, 18),
				   (size_t)PQgetlength(r, k, 18));
			t.quoted = s->quoted.data;
		}
		t.quoted_id = num(r, k, 19);
		if (t.sat < 0 || t.sat > 3)
			t.sat = 0;
	}
	if (t.category < 0 || t.category >= HL_CAT_COUNT)
		t.category = HL_CAT_COUNT - 1;
	s->fn(s->arg, &t);
}

static int
pg_scan(struct hl_store *st, const int64_t *ids, size_t n, int64_t lo,
	int64_t hi, int closed_only, hl_store_ticket_fn *fn, void *arg)
{
	struct scan_arg s = {closed_only, fn, arg, {0}, HL_BUF_INIT};
	struct params p = {0};
	struct hl_buf list = HL_BUF_INIT;
	size_t i;
	int rc;

	if (ids) {
		hl_buf_addc(&list, '{');
		for (i = 0; i < n; i++)
			hl_buf_printf(&list, "%s%" PRId64, i ? "," : "",
				      ids[i]);
		hl_buf_addc(&list, '}');
		p_text(&p, list.data);
	}
	p_int(&p, lo);
	p_int(&p, hi);
	p_text(&p, closed_only ? "true" : "false");
	rc = stream(st, ids ? hl_pg_tickets : hl_pg_city, &p,
		    "reading the tickets", scan_row, &s);
	hl_buf_release(&list);
	hl_buf_release(&s.quoted);
	return rc;
}

struct names_arg {
	hl_store_name_fn *fn;
	void *arg;
};

static void
name_row(void *a, const PGresult *r, int k)
{
	struct names_arg *s = a;

	s->fn(s->arg, num(r, k, 0), PQgetvalue(r, k, 1),
	      (size_t)PQgetlength(r, k, 1));
}

static int
pg_names(struct hl_store *st, enum hl_dict kind, hl_store_name_fn *fn,
	 void *arg)
{
	struct names_arg s = {fn, arg};
	struct params p = {0};

	p_int(&p, kind);
	return stream(st,
		      "SELECT id, value FROM dict WHERE kind = $1 ORDER BY id",
		      &p, "reading the names", name_row, &s);
}

static int
pg_lookup(struct hl_store *st, enum hl_store_lookup what, const int64_t *ids,
	  size_t n, char **out)
{
	struct hl_buf list = HL_BUF_INIT;
	struct params p = {0};
	PGresult *r;
	size_t i;
	int k;

	for (i = 0; i < n; i++)
		out[i] = NULL;
	p_ids(&p, &list, ids, n);
	r = run(st,
		what == HL_LOOKUP_DICT
		    ? "SELECT id, value FROM dict WHERE id = ANY ($1::bigint[])"
		    : "SELECT id, ticket_id FROM ticket WHERE id = ANY "
		      "($1::bigint[])",
		&p, "looking up names");
	hl_buf_release(&list);
	if (r == NULL)
		return -1;
	/* a list of a few hundred names: each id found by a walk */
	for (k = 0; k < PQntuples(r); k++) {
		int64_t id = num(r, k, 0);

		for (i = 0; i < n; i++)
			if (ids[i] == id && out[i] == NULL)
				out[i] = hl_xstrdup(PQgetvalue(r, k, 1));
	}
	PQclear(r);
	return 0;
}

struct sat_arg {
	hl_store_sat_fn *fn;
	void *arg;
};

static void
sat_row(void *a, const PGresult *r, int k)
{
	struct sat_arg *s = a;

	s->fn(s->arg, (int)num(r, k, 0), num(r, k, 1), (int)num(r, k, 2),
	      (int)num(r, k, 3), num(r, k, 4));
}

static int
pg_sat_counts(struct hl_store *st, enum hl_store_basis basis, int64_t lo,
	      int64_t hi, hl_store_sat_fn *fn, void *arg)
{
	struct sat_arg s = {fn, arg};
	struct params p = {0};

	/* The rollup's rows are days: [lo, hi) are whole days of them. */
	if (basis == HL_STORE_BY_ACCEPTED) {
		p_int(&p, hl_time_yyyymmdd(lo));
		p_int(&p, hl_time_yyyymmdd(hi));
	} else {
		p_int(&p, lo);
		p_int(&p, hi);
	}
	return stream(st,
		      basis == HL_STORE_BY_ACCEPTED     ? hl_pg_sat_day
		      : basis == HL_STORE_BY_DISPATCHED ? hl_pg_sat_dispatched
							: hl_pg_sat_closed,
		      &p, "reading satisfaction", sat_row, &s);
}

struct hand_arg {
	hl_store_hand_fn *fn;
	void *arg;
};

static void
hand_row(void *a, const PGresult *r, int k)
{
	struct hand_arg *s = a;

	s->fn(s->arg, num(r, k, 0), (int)num(r, k, 1), num(r, k, 2),
	      num(r, k, 3));
}

static int
pg_hand_sums(struct hl_store *st, int64_t from, int64_t to, int from_dispatch,
	     hl_store_hand_fn *fn, void *arg)
{
	struct hand_arg s = {fn, arg};
	struct params p = {0};

	p_int(&p, from);
	p_int(&p, to);
	p_int(&p, from_dispatch);
	return stream(st, hl_pg_hand_day, &p, "reading handling times",
		      hand_row, &s);
}

static int
pg_no_tickets(struct hl_store *st)
{
	PGresult *r = run(st, "SELECT NOT EXISTS (SELECT 1 FROM ticket)", NULL,
			  "counting tickets");
	int none;

	if (r == NULL)
		return -1;
	none = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return none;
}

struct topic_arg {
	hl_store_topic_fn *fn;
	void *arg;
};

static void
topic_row(void *a, const PGresult *r, int k)
{
	struct topic_arg *s = a;
	int y, m, d;

	hl_civil_from_days(num(r, k, 0), &y, &m, &d);
	s->fn(s->arg, y * 10000 + m * 100 + d, num(r, k, 1), num(r, k, 2),
	      num(r, k, 3));
}

static int pg_links(struct hl_store *st, const int64_t *ids, size_t n,
		    int64_t lo, int64_t hi, hl_store_link_fn *fn, void *arg);

/* The server counts the topics: the links come from a query of their own
 * (links.sql), which reads only the days they span. */
static int
pg_topic_counts(struct hl_store *st, const int64_t *ids, size_t n, int64_t lo,
		int64_t hi, hl_store_topic_fn *fn, void *arg,
		int64_t links_from, hl_store_link_fn *lfn, void *larg)
{
	struct topic_arg s = {fn, arg};
	struct hl_buf list = HL_BUF_INIT;
	struct params p = {0};
	int rc;

	p_ids(&p, &list, ids, n);
	p_int(&p, lo);
	p_int(&p, hi);
	rc = stream(st, hl_pg_topics, &p, "counting the topics", topic_row, &s);
	hl_buf_release(&list);
	if (rc == 0 && lfn)
		rc = pg_links(st, ids, n, links_from, hi, lfn, larg);
	return rc;
}

struct link_arg {
	hl_store_link_fn *fn;
	void *arg;
	struct hl_buf quoted; /* the text, NUL-terminated */
	unsigned char caller[HL_CALLER_HASH_LEN];
};

/*
 * The caller hash in column c: bytes in a binary row, else bytea's text
 * form unescaped into s->caller; NULL when none (or not a hash's length).
 */
static const unsigned char *
caller_of(unsigned char *buf, const PGresult *r, int k, int c)
{
	unsigned char *b;
	size_t n;

	if (PQgetisnull(r, k, c))
		return NULL;
	if (PQfformat(r, c) == 1)
		return PQgetlength(r, k, c) == HL_CALLER_HASH_LEN
			   ? (const unsigned char *)PQgetvalue(r, k, c)
			   : NULL;
	b = PQunescapeBytea((const unsigned char *)PQgetvalue(r, k, c), &n);
	if (b == NULL)
		hl_oom(0);
	if (n == HL_CALLER_HASH_LEN)
		memcpy(buf, b, n);
	PQfreemem(b);
	return n == HL_CALLER_HASH_LEN ? buf : NULL;
}

static void
link_row(void *a, const PGresult *r, int k)
{
	struct link_arg *s = a;
	struct hl_store_link l;

	/* the text copied: a binary row's comes without its NUL */
	hl_buf_reset(&s->quoted);
	hl_buf_add(&s->quoted, PQgetvalue(r, k, 5),
		   (size_t)PQgetlength(r, k, 5));
	l.id = num(r, k, 0);
	l.accepted = num(r, k, 1);
	l.street = num(r, k, 2);
	l.topic = num(r, k, 3);
	l.caller = caller_of(s->caller, r, k, 4);
	l.quoted = PQgetisnull(r, k, 5) ? NULL : s->quoted.data;
	l.quoted_id = num(r, k, 6);
	s->fn(s->arg, &l);
}

static int
pg_links(struct hl_store *st, const int64_t *ids, size_t n, int64_t lo,
	 int64_t hi, hl_store_link_fn *fn, void *arg)
{
	struct link_arg s = {fn, arg, HL_BUF_INIT, {0}};
	struct hl_buf list = HL_BUF_INIT;
	struct params p = {0};
	int rc;

	p_ids(&p, &list, ids, n);
	p_int(&p, lo);
	p_int(&p, hi);
	rc = stream(st, hl_pg_links, &p, "reading the links", link_row, &s);
	hl_buf_release(&list);
	hl_buf_release(&s.quoted);
	return rc;
}

struct times_arg {
	int64_t *accepted;
	size_t n;
};

static void
times_row(void *a, const PGresult *r, int k)
{
	struct times_arg *s = a;
	int64_t i = num(r, k, 0) - 1;

	if (i >= 0 && (size_t)i < s->n)
		s->accepted[i] = num(r, k, 1);
}

static int
pg_ticket_times(struct hl_store *st, const int64_t *ids, size_t n,
		int64_t *accepted)
{
	struct times_arg s = {accepted, n};
	struct hl_buf list = HL_BUF_INIT;
	struct params p = {0};
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		accepted[i] = 0;
	p_ids(&p, &list, ids, n);
	rc = stream(st,
		    "SELECT u.i, t.accepted_at FROM unnest($1::bigint[]) "
		    "WITH ORDINALITY AS u (id, i) JOIN ticket AS t ON "
		    "t.id = u.id",
		    &p, "reading the quoted tickets' times", times_row, &s);
	hl_buf_release(&list);
	return rc;
}

static const struct hl_store_reads pg_reads = {
    pg_scan,       pg_names,        pg_lookup, pg_sat_counts,   pg_hand_sums,
    pg_no_tickets, pg_topic_counts, pg_links,  pg_ticket_times,
};

/* ---- writing for ingest ---- */

static int
pg_run_add(struct hl_store *st, const char *file, long long size,
	   const char *encoding, int64_t started, int64_t *run_id)
{
	struct params p = {0};
	PGresult *r;

	p_text(&p, file);
	if (size >= 0)
		p_int(&p, size);
	else
		p_null(&p);
	p_text(&p, encoding);
	p_int(&p, started);
	r = run(st,
		"INSERT INTO ingest_run (file, size, encoding, started_at) "
		"VALUES ($1, $2, $3, $4) RETURNING id",
		&p, "recording the run");
	if (r == NULL)
		return -1;
	*run_id = num(r, 0, 0);
	PQclear(r);
	return 0;
}

static int
pg_run_end(struct hl_store *st, int64_t id, const struct hl_store_run_end *e)
{
	struct params p = {0};
	int rc;

	p_int(&p, id);
	p_int(&p, e->finished);
	p_int(&p, (long long)e->read);
	p_int(&p, (long long)e->inserted);
	p_int(&p, (long long)e->updated);
	p_int(&p, (long long)e->unchanged);
	p_int(&p, (long long)e->rejected);
	p_int(&p, (long long)e->flagged);
	p_text(&p, e->encoding);
	p_text(&p, e->headers);
	p_text(&p, e->extra_headers);
	p_text(&p, e->sha256);
	rc = run_ok(st,
		    "UPDATE ingest_run SET finished_at = $2, status = 'done', "
		    "rows_read = $3, rows_inserted = $4, rows_updated = $5, "
		    "rows_unchanged = $6, rows_rejected = $7, rows_flagged = "
		    "$8, encoding = $9, headers = $10, extra_headers = $11, "
		    "sha256 = $12 WHERE id = $1",
		    &p, "recording the run");
	free(e->headers);
	free(e->extra_headers);
	return rc;
}

static int
pg_run_size_seen(struct hl_store *st, long long size)
{
	struct params p = {0};
	PGresult *r;
	int seen;

	p_int(&p, size);
	r = run(st,
		"SELECT 1 FROM ingest_run WHERE size = $1 AND status = 'done' "
		"AND sha256 IS NOT NULL LIMIT 1",
		&p, "looking for the file");
	seen = r && PQntuples(r) > 0;
	PQclear(r);
	return seen;
}

static int64_t
pg_run_with_sha(struct hl_store *st, const char *sha256)
{
	struct params p = {0};
	PGresult *r;
	int64_t id = 0;

	p_text(&p, sha256);
	r = run(st,
		"SELECT id FROM ingest_run WHERE sha256 = $1 AND status = "
		"'done' ORDER BY id LIMIT 1",
		&p, "looking for the file");
	if (r && PQntuples(r) > 0)
		id = num(r, 0, 0);
	PQclear(r);
	return id;
}

/*
 * The dict as it is when a load first asks for a name, kept for the
 * session: a load looked up each of its names in a round trip of its own
 * (525 of them in a nightly file, a tenth of its time), and an entry
 * once stored never changes.  A name not among them is asked for (and
 * added) as before.  Not kept past MAX_NAMES entries.
 */
#define MAX_NAMES 200000

static int
names_read(struct hl_store *st)
{
	struct hl_pg *g = PG(st);
	int k, rows;

	g->names_read = 1;
	g->names =
	    run(st,
		"SELECT kind, value, id FROM dict WHERE (SELECT "
		"reltuples FROM pg_class WHERE oid = 'dict'::regclass) "
		"<= " HL_STR(MAX_NAMES) " LIMIT " HL_STR(MAX_NAMES) " + 1",
		NULL, "reading the names");
	if (g->names == NULL)
		return -1;
	rows = PQntuples(g->names);
	if (rows > MAX_NAMES) {
		PQclear(g->names);
		g->names = NULL;
		return 0;
	}
	for (g->name_cap = 16; g->name_cap < 2 * (size_t)rows; g->name_cap *= 2)
		;
	g->name_slot = hl_xcalloc(g->name_cap, sizeof(*g->name_slot));
	for (k = 0; k < rows; k++) {
		size_t i =
		    (size_t)hl_hash64(PQgetvalue(g->names, k, 1),
				      (size_t)PQgetlength(g->names, k, 1),
				      (uint64_t)num(g->names, k, 0)) &
		    (g->name_cap - 1);

		while (g->name_slot[i])
			i = (i + 1) & (g->name_cap - 1);
		g->name_slot[i] = (size_t)k + 1;
	}
	return 0;
}

/* The id of (kind, v) as names_read() found it, or 0. */
static int64_t
name_known(struct hl_pg *g, enum hl_dict kind, const char *v, size_t n)
{
	size_t i;

	if (g->name_cap == 0)
		return 0;
	i = (size_t)hl_hash64(v, n, (uint64_t)kind) & (g->name_cap - 1);
	for (; g->name_slot[i]; i = (i + 1) & (g->name_cap - 1)) {
		int k = (int)(g->name_slot[i] - 1);

		if (num(g->names, k, 0) == kind &&
		    (size_t)PQgetlength(g->names, k, 1) == n &&
		    memcmp(PQgetvalue(g->names, k, 1), v, n) == 0)
			return num(g->names, k, 2);
	}
	return 0;
}

static int
pg_dict_id(struct hl_store *st, enum hl_dict kind, const char *v, size_t n,
	   int64_t *id)
{
	struct params p = {0};
	char *value;
	PGresult *r;

	if (!PG(st)->names_read && names_read(st) != 0)
		return -1;
	if ((*id = name_known(PG(st), kind, v, n)) != 0)
		return 0;
	value = hl_xmalloc(n + 1);

	memcpy(value, v, n);
	value[n] = '\0';
	p_int(&p, kind);
	p_text(&p, value);
	*id = 0;
	r = run(st,
		"WITH added AS (INSERT INTO dict (kind, value) VALUES ($1, "
		"$2) ON CONFLICT DO NOTHING RETURNING id) SELECT id FROM added "
		"UNION ALL SELECT id FROM dict WHERE kind = $1 AND value = $2",
		&p, "adding a name");
	free(value);
	if (r == NULL)
		return -1;
	if (PQntuples(r) > 0)
		*id = num(r, 0, 0);
	PQclear(r);
	return *id ? 0
		   : hl_err_set(&st->err, HL_STORE_ESQL, "%s: no dict id",
				st->path);
}

static int
pg_reject_add(struct hl_store *st, const struct hl_store_reject *rj)
{
	struct params p = {0};

	p_int(&p, rj->run);
	p_text(&p, rj->file);
	p_int(&p, (long long)rj->line);
	p_int(&p, (long long)rj->col);
	p_text(&p, rj->field);
	p_text(&p, rj->reason);
	p_bytes(&p, rj->raw, rj->rawlen);
	p_text(&p, rj->sheet);
	return run_ok(
	    st,
	    "INSERT INTO reject (run, file, line, col, field, reason, "
	    "raw, sheet) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	    &p, "keeping a reject");
}

static int
pg_sat_add(struct hl_store *st, int64_t day, int64_t district, int is_key,
	   int sat, long long n)
{
	long long v[5] = {day, district, is_key, sat, n};

	return roll_add(st, &PG(st)->sat, v);
}

static int
pg_hand_add(struct hl_store *st, int64_t day, int64_t district, int category,
	    int start, long long n, long long secs)
{
	long long v[6] = {day, district, category, start, n, secs};

	return roll_add(st, &PG(st)->hand, v);
}

/* r's rows that a change since the last tidy may have left at 0,
 * deleted: none when no change lowered a count (a file of new tickets);
 * else from the first day lowered on, where each load scanned the whole
 * table (35 ms of a nightly file into two city years).  0, or -1. */
static int
roll_tidy(struct hl_store *st, struct roll *r)
{
	struct params p = {0};

	if (r->lo == LLONG_MAX)
		return 0;
	p_int(&p, r->lo);
	r->lo = LLONG_MAX;
	return run_ok(st, r->tidy, &p, "tidying the rollups");
}

static int
pg_rollups_tidy(struct hl_store *st)
{
	if (rolls_send(st) != 0 || roll_tidy(st, &PG(st)->sat) != 0)
		return -1;
	return roll_tidy(st, &PG(st)->hand);
}

static int
pg_foreign_keys(struct hl_store *st, int on, int *was)
{
	(void)st;
	(void)on;
	*was = 0; /* the server checks them, as it should */
	return 0;
}

/* Settings are kept in hotline_meta as text: bytes as hex digits. */
static int
pg_setting_get(struct hl_store *st, const char *name, struct hl_buf *v,
	       int *found)
{
	struct params p = {0};
	const char *h;
	PGresult *r;
	size_t i, n;

	*found = 0;
	hl_buf_reset(v);
	p_text(&p, name);
	r = run(st, "SELECT value FROM hotline_meta WHERE key = $1", &p,
		"reading a setting");
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		*found = 1;
		h = PQgetvalue(r, 0, 0);
		n = strlen(h) / 2;
		for (i = 0; i < n; i++) {
			unsigned x = 0;

			if (sscanf(h + 2 * i, "%2x", &x) != 1)
				break;
			hl_buf_addc(v, (char)x);
		}
	}
	PQclear(r);
	return 0;
}

static int
pg_setting_put(struct hl_store *st, const char *name, const void *v, size_t n)
{
	const unsigned char *b = v;
	struct hl_buf hex = HL_BUF_INIT;
	struct params p = {0};
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		hl_buf_printf(&hex, "%02x", b[i]);
	p_text(&p, name);
	p_text(&p, hex.data);
	rc = run_ok(st,
		    "INSERT INTO hotline_meta (key, value) VALUES ($1, $2) "
		    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		    &p, "keeping a setting");
	hl_buf_release(&hex);
	return rc;
}

static const struct hl_store_writes pg_writes = {
    pg_run_add,      pg_run_end,    pg_run_size_seen, pg_run_with_sha,
    pg_dict_id,      pg_reject_add, pg_sat_add,       pg_hand_add,
    pg_rollups_tidy, hl_pg_put,     pg_foreign_keys,  pg_setting_get,
    pg_setting_put,
};

/* ---- moving a database (move.c) ---- */

struct rows_arg {
	const struct hl_store_table *t;
	hl_store_cells_fn *fn;
	void *arg;
	int stopped;
};

static void
cells_row(void *a, const PGresult *r, int k)
{
	struct rows_arg *s = a;
	const char *v[HL_STORE_MAXCOLS] = {NULL};
	size_t len[HL_STORE_MAXCOLS] = {0}, i;
	unsigned char *unesc[HL_STORE_MAXCOLS];
	int nb = 0;

	if (s->stopped)
		return;
	for (i = 0; i < s->t->ncols; i++) {
		len[i] = (size_t)PQgetlength(r, k, (int)i);
		v[i] =
		    PQgetisnull(r, k, (int)i) ? NULL : PQgetvalue(r, k, (int)i);
		if (v[i] && s->t->types[i] == 'b') {
			unesc[nb] = PQunescapeBytea((const unsigned char *)v[i],
						    &len[i]);
			if (unesc[nb] == NULL)
				hl_oom(0);
			v[i] = (const char *)unesc[nb++];
		}
	}
	s->stopped = s->fn(s->arg, v, len) != 0;
	while (nb)
		PQfreemem(unesc[--nb]);
}

static int
pg_rows(struct hl_store *st, const struct hl_store_table *t,
	hl_store_cells_fn *fn, void *arg)
{
	struct rows_arg s = {t, fn, arg, 0};
	struct hl_buf sql = HL_BUF_INIT;
	struct params p = {0};
	int rc;

	hl_store_table_select(t, &sql);
	rc =
	    stream_rows(st, sql.data, &p, "reading the rows", 0, cells_row, &s);
	hl_buf_release(&sql);
	return rc == 0 && s.stopped ? -1 : rc;
}

static int
flush_copy(struct hl_store *st)
{
	struct hl_pg *g = PG(st);

	if (g->copy.len &&
	    PQputCopyData(g->c, g->copy.data, (int)g->copy.len) != 1)
		return pg_fail(st, NULL, "copying the rows");
	hl_buf_reset(&g->copy);
	return 0;
}

int
hl_pg_copy_begin(struct hl_store *st, const char *sql, const char *what)
{
	PGresult *r;

	if (settle(st, 1) != 0)
		return -1;
	r = PQexec(PG(st)->c, sql);

	if (PQresultStatus(r) != PGRES_COPY_IN)
		return pg_fail(st, r, what);
	PQclear(r);
	return 0;
}

int
hl_pg_copy_end(struct hl_store *st, const char *p, size_t n, int ok,
	       const char *what)
{
	PGconn *c = PG(st)->c;
	PGresult *r;
	int rc = ok ? 0 : -1;

	if (rc == 0 && n && hl_pg_copy_more(st, NULL, p, n, what) != 0)
		rc = -1;
	if (PQputCopyEnd(c, rc == 0 ? NULL : "stopped") != 1 && rc == 0)
		rc = pg_fail(st, NULL, what);
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0)
			rc = pg_fail(st, r, what);
		else
			PQclear(r);
	}
	return rc;
}

int
hl_pg_copy_more(struct hl_store *st, const char *sql, const char *p, size_t n,
		const char *what)
{
	struct hl_pg *g = PG(st);
	size_t k;

	if (sql != NULL && !g->copying) {
		if (hl_pg_copy_begin(st, sql, what) != 0)
			return -1;
		g->copying = 1;
		g->copy_what = what;
	}
	/* in pieces of at most 1 MiB: libpq counts in int */
	for (; n > 0; p += k, n -= k) {
		k = n < ((size_t)1 << 20) ? n : (size_t)1 << 20;
		if (PQputCopyData(g->c, p, (int)k) != 1)
			return pg_fail(st, NULL, what);
	}
	/* libpq sends whole blocks: the tail too, for the server to load
	 * while the next batch is read; under a statement timeout the COPY
	 * ends with each batch, as the wait for the next could outlast it */
	if (PQflush(g->c) != 0)
		return pg_fail(st, NULL, what);
	return sql != NULL && g->timed ? settle(st, 1) : 0;
}

struct hl_pg_load *
hl_pg_load(struct hl_store *st)
{
	return &PG(st)->load;
}

static int
pg_begin_rows(struct hl_store *st, const struct hl_store_table *t)
{
	struct hl_buf sql = HL_BUF_INIT;
	int rc;

	hl_buf_printf(&sql, "COPY %s (", t->name);
	hl_store_table_cols(t, &sql);
	hl_buf_adds(&sql, ") FROM STDIN");
	rc = hl_pg_copy_begin(st, sql.data, "copying the rows");
	hl_buf_release(&sql);
	PG(st)->add_t = t;
	hl_buf_reset(&PG(st)->copy);
	return rc;
}

static int
pg_add_row(struct hl_store *st, const char *const *v, const size_t *len)
{
	const struct hl_store_table *t = PG(st)->add_t;
	struct hl_buf *b = &PG(st)->copy;
	size_t i, k;

	for (i = 0; i < t->ncols; i++) {
		if (i)
			hl_buf_addc(b, '\t');
		if (v[i] == NULL) {
			hl_buf_add(b, "\\N", 2);
		} else if (t->types[i] == 'b') {
			/* bytea as hex; COPY's text wants its \ doubled */
			hl_buf_add(b, "\\\\x", 3);
			for (k = 0; k < len[i]; k++)
				hl_buf_printf(b, "%02x",
					      (unsigned char)v[i][k]);
		} else {
			hl_pg_copy_text(b, v[i], len[i]);
		}
	}
	hl_buf_addc(b, '\n');
	return b->len >= ((size_t)1 << 20) ? flush_copy(st) : 0;
}

static int
pg_end_rows(struct hl_store *st)
{
	struct hl_pg *g = PG(st);
	const struct hl_store_table *t = g->add_t;
	int rc = hl_pg_copy_end(st, g->copy.data, g->copy.len, 1,
				"copying the rows");

	hl_buf_reset(&g->copy);
	if (rc == 0 && t->identity) {
		struct hl_buf sql = HL_BUF_INIT;

		/* new ids go on after the last copied */
		hl_buf_printf(&sql,
			      "SELECT setval(pg_get_serial_sequence('%s', "
			      "'id'), coalesce(max(id), 1), max(id) IS NOT "
			      "NULL) FROM %s",
			      t->name, t->name);
		rc = run_ok(st, sql.data, NULL, "copying the rows");
		hl_buf_release(&sql);
	}
	return rc;
}

static const struct hl_store_moves pg_moves = {
    pg_rows,
    pg_begin_rows,
    pg_add_row,
    pg_end_rows,
};

const struct hl_store_driver hl_pg_driver = {
    "postgresql", pg_open,     pg_close,  pg_begin_write,   pg_in_journal,
    pg_commit,    pg_rollback, pg_exec,   pg_readonly_file, pg_check,
    &pg_reads,    &pg_writes,  &pg_moves,
};

int
hl_pg_fail(struct hl_store *st, PGresult *r, const char *what)
{
	return pg_fail(st, r, what);
}
