/*
 * sqlite.c - the SQLite driver (driver.h): opening, creating, migrating
 * and locking a database file, its transactions and its check; read.c
 * and write.c hold its queries.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/migrate.h"
#include "store/priv.h"
#include "util/util.h"

extern const char hl_sql_schema[];
extern const char hl_sql_migrate_2[];
extern const char hl_sql_migrate_3[];
extern const char hl_sql_migrate_4[];
extern const char hl_sql_migrate_5[];
extern const char hl_sql_migrate_6[];
extern const char hl_sql_migrate_7[];
extern const char hl_sql_migrate_8[];
extern const char hl_sql_migrate_9[];
extern const char hl_sql_migrate_10[];
extern const char hl_sql_check[];

static int sq_exec(struct hl_store *st, const char *sql);
static void sq_rollback(struct hl_store *st);

/* A new database's page size in bytes, and the page cache of write and
 * of read handles in KiB (PRAGMA cache_size takes KiB as a negative
 * number). */
#define PAGE_BYTES 16384
#define WRITE_CACHE_KIB 16384
#define READ_CACHE_KIB 8192
#define SET_PAGE_SIZE "PRAGMA page_size = " HL_STR(PAGE_BYTES)
#define SET_WRITE_CACHE "PRAGMA cache_size = -" HL_STR(WRITE_CACHE_KIB)
#define SET_READ_CACHE "PRAGMA cache_size = -" HL_STR(READ_CACHE_KIB)

/*
 * steps[k] turns version k into k + 1.  An empty database gets schema.sql,
 * the current schema, in one step (steps[0] is the version 1 schema's
 * place: no database of version 0 with tables exists).
 */
static const char *const steps[HL_STORE_SCHEMA_VERSION] = {
    hl_sql_schema,    hl_sql_migrate_2, hl_sql_migrate_3, hl_sql_migrate_4,
    hl_sql_migrate_5, hl_sql_migrate_6, hl_sql_migrate_7, hl_sql_migrate_8,
    hl_sql_migrate_9, hl_sql_migrate_10};

#define fail(st, ...) hl_err_set(&(st)->err, __VA_ARGS__)

const char *
hl_store_advice(int sqlite_code)
{
	switch (sqlite_code & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return ": the file is damaged; 'hotline check --db FILE' "
		       "tells what, and nothing is written to it";
	default:
		return "";
	}
}

static int
sql_fail(struct hl_store *st)
{
	return fail(st, HL_STORE_ESQL, "'%s': %s%s", st->path,
		    sqlite3_errmsg(SQ(st)->db),
		    hl_store_advice(sqlite3_extended_errcode(SQ(st)->db)));
}

int
hl_store_sql_fail(struct hl_store *st)
{
	return sql_fail(st);
}

sqlite3_stmt *
hl_store_stmt(struct hl_store *st, int which, const char *sql)
{
	if (SQ(st)->cached[which] == NULL &&
	    sqlite3_prepare_v3(SQ(st)->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &SQ(st)->cached[which], NULL) != SQLITE_OK) {
		sql_fail(st);
		return NULL;
	}
	return SQ(st)->cached[which];
}

static int
sq_readonly_file(const struct hl_store *st)
{
	return SQ(st)->ro_file;
}

sqlite3 *
hl_store_db(struct hl_store *st)
{
	return SQ(st)->db;
}

static int
sq_exec(struct hl_store *st, const char *sql)
{
	if (sqlite3_exec(SQ(st)->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(st);
	return 0;
}

/*
 * SQLite's page cache in memory of our own, set up before SQLite starts
 * (later calls change nothing): room for the cache of the first handle a
 * run opens (16 MiB for a writer, 8 MiB for a reader; beyond it SQLite
 * allocates as it would), in huge pages where the kernel allows
 * (hl_xmalloc_big()).  A load faulted its cache in 4 KiB at a time, a
 * fault for every page: 4,400 of a 100,000-row load's 8,200, which on a
 * virtual machine cost more than their work.  The slots are 16 KiB pages
 * and SQLite's header; larger pages (a database made elsewhere) take
 * SQLite's own allocations.
 */
static void
page_cache(int writer)
{
	static int done;
	int kib = writer ? WRITE_CACHE_KIB : READ_CACHE_KIB;
	int hdr = 0, sz, n = kib * 1024 / PAGE_BYTES + 32; /* a few spare */

	if (done)
		return;
	done = 1;
	if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr) != SQLITE_OK)
		return;
	sz = (PAGE_BYTES + hdr + 7) & ~7;
	sqlite3_config(SQLITE_CONFIG_PAGECACHE,
		       hl_xmalloc_big((size_t)sz * (size_t)n), sz, n);
}

/* One integer PRAGMA, or -1 with the error on st. */
static int
pragma_int(struct hl_store *st, const char *name, long long *v)
{
	sqlite3_stmt *stmt = NULL;
	char *sql = sqlite3_mprintf("PRAGMA %s", name);
	int rc;

	if (sql == NULL)
		hl_oom(0);
	rc = sqlite3_prepare_v2(SQ(st)->db, sql, -1, &stmt, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return sql_fail(st);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		return sql_fail(st);
	return 0;
}

int
hl_store_migrate(struct hl_store *st, const char *const *mig, int n)
{
	for (;;) {
		long long v, to;
		char *bump;

		/*
		 * The version is read inside the write transaction that
		 * migrates: a second process that was creating or migrating
		 * the same file meanwhile has either finished (nothing left
		 * to do here) or not begun.
		 */
		if (sq_exec(st, "BEGIN IMMEDIATE") != 0)
			return -1;
		if (pragma_int(st, "user_version", &v) != 0) {
			sq_rollback(st);
			return -1;
		}
		if (v < 0 || v > n) {
			sq_rollback(st);
			return fail(st, HL_STORE_ESCHEMA,
				    "'%s' has schema version %lld, which this "
				    "hotline cannot migrate (it knows 0 to %d)",
				    st->path, v, n);
		}
		if (v == n)
			return sq_exec(st, "COMMIT");
		/* steps[0] is the whole current schema. */
		to = v == 0 ? n : v + 1;
		bump = sqlite3_mprintf("PRAGMA user_version = %lld; "
				       "PRAGMA application_id = %d;",
				       to, HL_STORE_APP_ID);
		if (bump == NULL)
			hl_oom(0);
		/* The step and its version number commit together or not at
		 * all: a crash or an error leaves the previous version. */
		if (sq_exec(st, mig[v]) != 0 || sq_exec(st, bump) != 0 ||
		    sq_exec(st, "COMMIT") != 0) {
			char *msg = hl_xstrdup(hl_store_errmsg(st));

			sqlite3_free(bump);
			sq_rollback(st);
			fail(st, HL_STORE_ESQL,
			     "cannot migrate '%s' to schema version %lld: %s",
			     st->path, to, msg);
			free(msg);
			return -1;
		}
		sqlite3_free(bump);
	}
}

/*
 * Puts the database in WAL.  Changing the journal mode needs every other
 * connection's lock gone, and SQLite answers a busy database at once,
 * without the busy handler: so this waits, up to the busy timeout, for a
 * first load or a bulk load in a rollback journal to finish.
 */
static int
set_wal(struct hl_store *st)
{
	int waited = 0;

	for (;;) {
		sqlite3_stmt *q = NULL;
		int rc = sqlite3_prepare_v2(
		    SQ(st)->db, "PRAGMA journal_mode = WAL", -1, &q, NULL);
		int wal = 0;

		if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
			wal = strcmp((const char *)sqlite3_column_text(q, 0),
				     "wal") == 0;
			rc = SQLITE_OK;
		}
		sqlite3_finalize(q);
		if (rc == SQLITE_OK && wal)
			return 0;
		if ((rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) ||
		    waited >= SQ(st)->busy_ms) {
			if (rc != SQLITE_OK)
				return sql_fail(st);
			return fail(st, HL_STORE_EBUSY,
				    "'%s' is being written by another process "
				    "(waited %d ms); try again when it has "
				    "finished",
				    st->path, SQ(st)->busy_ms);
		}
		sqlite3_sleep(25);
		waited += 25;
	}
}

/*
 * Is this our database, of a version we can read (or migrate)?  Reads
 * only: a file that is not ours is refused before anything is written to
 * it.  *migrate (OUT) is set when it must be created or migrated.
 */
static int
check_schema(struct hl_store *st, unsigned flags, int *migrate)
{
	long long version, app, tables;
	sqlite3_stmt *stmt = NULL;

	*migrate = 0;
	/* One snapshot: another process may be creating the file. */
	if (sq_exec(st, "BEGIN") != 0)
		return -1;
	if (pragma_int(st, "user_version", &version) != 0 ||
	    pragma_int(st, "application_id", &app) != 0) {
		sq_rollback(st);
		return -1;
	}
	if (sqlite3_prepare_v2(SQ(st)->db, "SELECT count(*) FROM sqlite_schema",
			       -1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		sql_fail(st);
		sq_rollback(st);
		return -1;
	}
	tables = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (sq_exec(st, "COMMIT") != 0)
		return -1;

	if (tables > 0 && app != HL_STORE_APP_ID)
		return fail(
		    st, HL_STORE_ESCHEMA,
		    "'%s' is not a hotline database (it holds other tables)",
		    st->path);
	if (version < 0 || (version == 0 && tables > 0))
		return fail(st, HL_STORE_ESCHEMA,
			    "'%s' has schema version %lld, which no hotline "
			    "writes: refused",
			    st->path, version);
	if (version > HL_STORE_SCHEMA_VERSION)
		return fail(
		    st, HL_STORE_ESCHEMA,
		    "'%s' has schema version %lld, newer than the %d this "
		    "hotline knows: use a newer hotline",
		    st->path, version, HL_STORE_SCHEMA_VERSION);
	if (version < HL_STORE_SCHEMA_VERSION) {
		if (!(flags & HL_STORE_WRITE))
			return fail(
			    st, HL_STORE_ESCHEMA,
			    tables ? "'%s' has schema version %lld; open it "
				     "for writing (e.g. with ingest) to "
				     "migrate it to %d"
				   : "'%s' is empty: ingest an export first",
			    st->path, version, HL_STORE_SCHEMA_VERSION);
		*migrate = 1;
	}
	return 0;
}

/*
 * "file:PATH?immutable=1" with the characters a URI gives a meaning to
 * escaped.  Caller frees with sqlite3_free().
 */
static char *
immutable_uri(const char *path)
{
	struct hl_buf b = HL_BUF_INIT;
	char *uri;

	hl_buf_adds(&b, "file:");
	for (; *path; path++)
		if (*path == '%' || *path == '?' || *path == '#')
			hl_buf_printf(&b, "%%%02X", (unsigned char)*path);
		else
			hl_buf_addc(&b, *path);
	hl_buf_adds(&b, "?immutable=1");
	uri = sqlite3_mprintf("%s", b.data);
	hl_buf_release(&b);
	if (uri == NULL)
		hl_oom(0);
	return uri;
}

/*
 * SQLite's quick_check: every page of every b-tree read and checked, the
 * indexes not compared with their tables.  About 1.5 s per GB here.
 */
static int
verify(struct hl_store *st)
{
	sqlite3_stmt *q;
	int rc, bad = 0;

	if (sqlite3_prepare_v2(SQ(st)->db, "PRAGMA quick_check(1)", -1, &q,
			       NULL) != SQLITE_OK)
		return sql_fail(st);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		bad =
		    strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0;
	if (bad || (rc != SQLITE_ROW && rc != SQLITE_DONE)) {
		struct hl_buf why = HL_BUF_INIT;
		const char *p = bad ? (const char *)sqlite3_column_text(q, 0)
				    : sqlite3_errmsg(SQ(st)->db);

		/* On one line, without quick_check's banner. */
		if (strncmp(p, "*** in database main ***\n", 25) == 0)
			p += 25;
		for (; *p; p++)
			hl_buf_addc(&why, *p == '\n' ? ' ' : *p);
		fail(st, HL_STORE_ESCHEMA,
		     "'%s' is damaged (SQLite: %s): refused, nothing written; "
		     "'hotline check --db %s' tells what",
		     st->path, why.data, st->path);
		hl_buf_release(&why);
		sqlite3_finalize(q);
		return -1;
	}
	sqlite3_finalize(q);
	return 0;
}

/* The directory of path: "." for a bare name.  Caller frees. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;
	char *d;

	if (slash == NULL)
		return hl_xstrdup(".");
	n = slash == path ? 1 : (size_t)(slash - path);
	d = hl_xmalloc(n + 1);
	memcpy(d, path, n);
	d[n] = '\0';
	return d;
}

static int
sq_open(struct hl_store *st, const char *path, unsigned flags, int busy_ms)
{
	/*
	 * A handle is used by one thread at a time (the ingest's parse
	 * thread never touches it), so SQLite need not lock a mutex on
	 * every call.  Readers open the file for writing too, when they
	 * may, so that they can roll back what an interrupted bulk load
	 * left in a rollback journal; query_only keeps them readers.
	 */
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		     (flags & HL_STORE_WRITE ? SQLITE_OPEN_CREATE : 0);
	char *dir, *ro_uri = NULL;
	long long dummy;
	int migrate;

	/* No allocation statistics: they cost a global mutex per malloc.
	 * Only possible before SQLite starts; later calls change nothing. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	page_cache(flags & HL_STORE_WRITE);
	st->impl = hl_xcalloc(1, sizeof(struct hl_sqlite));
	SQ(st)->busy_ms = busy_ms > 0 ? busy_ms : 5000;
	/*
	 * A reader that may not write the file, or the directory where
	 * SQLite keeps the WAL index, opens it read-only: SQLite then reads
	 * a WAL database without creating anything beside it.
	 */
	dir = dir_of(path);
	if (!(flags & HL_STORE_WRITE) && access(path, F_OK) == 0 &&
	    (access(path, W_OK) != 0 || access(dir, W_OK) != 0)) {
		oflags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX |
			 SQLITE_OPEN_URI;
		SQ(st)->ro_file = 1;
		/*
		 * SQLite reads a WAL database read-only when its -wal and
		 * -shm files are there; without a -wal there is nothing
		 * beyond the file itself, which is then read as immutable.
		 * A -wal without the -shm that indexes it cannot be read
		 * safely: refused.
		 */
		ro_uri = sqlite3_mprintf("%s-wal", path);
		if (ro_uri == NULL)
			hl_oom(0);
		if (access(ro_uri, F_OK) != 0) {
			sqlite3_free(ro_uri);
			ro_uri = immutable_uri(path);
		} else {
			char *shm = sqlite3_mprintf("%s-shm", path);
			int have = shm && access(shm, F_OK) == 0;

			sqlite3_free(shm);
			sqlite3_free(ro_uri);
			ro_uri = NULL;
			if (!have) {
				free(dir);
				return fail(st, HL_STORE_EOPEN,
					    "cannot open '%s' read-only: it "
					    "has a write-ahead log but no "
					    "-shm index, and this user may "
					    "not create one",
					    path);
			}
		}
	}
	free(dir);
	if (sqlite3_open_v2(ro_uri ? ro_uri : path, &SQ(st)->db, oflags,
			    NULL) != SQLITE_OK) {
		sqlite3_free(ro_uri);
		return fail(st, HL_STORE_EOPEN, "cannot open '%s': %s", path,
			    SQ(st)->db ? sqlite3_errmsg(SQ(st)->db)
				       : "out of memory");
	}
	sqlite3_free(ro_uri);
	sqlite3_busy_timeout(SQ(st)->db, SQ(st)->busy_ms);
	sqlite3_extended_result_codes(SQ(st)->db, 1);
	/* Reading anything tells a database from some other file.  In WAL
	 * only a load with a rollback journal (ingest --bulk, a first load)
	 * keeps a reader out. */
	if (pragma_int(st, "schema_version", &dummy) != 0) {
		if ((sqlite3_errcode(SQ(st)->db) & 0xff) == SQLITE_BUSY)
			return fail(st, HL_STORE_EBUSY,
				    "cannot open '%s': a bulk load is writing "
				    "it (waited %d ms); try again when it has "
				    "finished",
				    path, SQ(st)->busy_ms);
		return fail(st, HL_STORE_EOPEN, "cannot open '%s': %s", path,
			    sqlite3_errmsg(SQ(st)->db));
	}
	if (check_schema(st, flags, &migrate) != 0 ||
	    ((flags & HL_STORE_VERIFY) && verify(st) != 0))
		return -1;
	if (flags & HL_STORE_WRITE) {
		/*
		 * 16 KiB pages (for a new database; an existing one keeps
		 * its own) cut a bulk load by a tenth against the 4 KiB
		 * default: fewer pages to split, write and index.  A 16 MiB
		 * page cache holds the pages a load keeps coming back to
		 * (the ends of the indexes that new tickets append to; the
		 * 2 MiB default spilled them every few rows).  A larger one
		 * was slower: 32 MiB left more dirty pages to write at the
		 * commit, after the reading had ended, and took 18 MB more
		 * (a city year 15.6 s against 13.8 s new, 18.9 s against
		 * 17.9 s on a year already loaded).
		 */
		if (sq_exec(st, SET_PAGE_SIZE) != 0 || set_wal(st) != 0 ||
		    sq_exec(st,
			    "PRAGMA synchronous = NORMAL; " SET_WRITE_CACHE) !=
			0)
			return -1;
	}
	/* Readers read a period a page at a time, each page about once:
	 * 8 MiB (four times SQLite's default) is plenty and leaves room for
	 * the figures in the memory budget. */
	/*
	 * cell_size_check: SQLite checks each b-tree cell as it reads it,
	 * so that more damaged pages are reported as such instead of read
	 * as fewer rows (a few per cent slower).
	 */
	if (sq_exec(st, "PRAGMA foreign_keys = ON; "
			"PRAGMA cell_size_check = ON") != 0 ||
	    (!(flags & HL_STORE_WRITE) &&
	     sq_exec(st, "PRAGMA query_only = ON; " SET_READ_CACHE) != 0))
		return -1;
	/*
	 * A reader reads in one transaction, held until it closes: every
	 * figure of a run is of one state of the database, whatever an
	 * ingest commits meanwhile (WAL keeps that state for it), and a
	 * statement does not take and drop the file's locks and check its
	 * cache again, which the repeat calls' 30,000 lookups of quoted IDs
	 * did one by one.
	 */
	if (!(flags & HL_STORE_WRITE) && sq_exec(st, "BEGIN") != 0)
		return -1;
	return migrate ? hl_store_migrate(st, steps, HL_STORE_SCHEMA_VERSION)
		       : 0;
}

static void
sq_close(struct hl_store *st)
{
	size_t i;

	if (st->impl == NULL)
		return;
	for (i = 0; i < HL_STORE_NCACHED; i++)
		sqlite3_finalize(SQ(st)->cached[i]);
	if (SQ(st)->db)
		sq_rollback(st);
	sqlite3_close(SQ(st)->db);
	free(st->impl);
	st->impl = NULL;
}

static int
sq_begin_write(struct hl_store *st, unsigned flags)
{
	int rc;

	/*
	 * A rollback journal keeps the original of each page a transaction
	 * changes, and pages appended to the file have none: a first load
	 * writes its pages once, where WAL writes them twice.  Readers wait
	 * for such a load, so the caller asks for it (HL_STORE_JOURNAL);
	 * and leaving WAL needs every other connection gone: when one is
	 * there, WAL stays.
	 */
	if (flags & HL_STORE_JOURNAL) {
		sqlite3_stmt *q;

		/* The pragma answers the mode it is in after trying. */
		SQ(st)->journal = 0;
		if (sqlite3_prepare_v2(SQ(st)->db,
				       "PRAGMA journal_mode = DELETE", -1, &q,
				       NULL) == SQLITE_OK &&
		    sqlite3_step(q) == SQLITE_ROW)
			SQ(st)->journal =
			    strcmp((const char *)sqlite3_column_text(q, 0),
				   "delete") == 0;
		sqlite3_finalize(q);
	}
	rc = sqlite3_exec(SQ(st)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if ((rc & 0xff) == SQLITE_BUSY) {
		fail(st, HL_STORE_EBUSY,
		     "'%s' is being written by another process (waited %d "
		     "ms); try again when it has finished",
		     st->path, SQ(st)->busy_ms);
		sq_rollback(st);
		return -1;
	}
	if (rc != SQLITE_OK) {
		sql_fail(st);
		sq_rollback(st);
		return -1;
	}
	return 0;
}

static int
sq_in_journal(const struct hl_store *st)
{
	return SQ(st)->journal;
}

/* Back to WAL after a bulk load, for readers; if a reader came in
 * meanwhile, the next write handle sets it. */
static void
end_write(struct hl_store *st)
{
	if (SQ(st)->journal) {
		SQ(st)->journal = 0;
		sqlite3_exec(SQ(st)->db, "PRAGMA journal_mode = WAL", NULL,
			     NULL, NULL);
	}
}

static int
sq_commit(struct hl_store *st)
{
	/*
	 * The quotes of tickets this load stored after the quoting one (a
	 * later row, file or batch) found now: at every commit, each quoted
	 * ticket that is stored has its id with the quote.  The partial index
	 * holds the unresolved quotes alone; one that stays so is not
	 * rewritten (the join finds no row for it).  The statement is
	 * pg_commit()'s.
	 */
	if (sq_exec(st, "UPDATE ticket INDEXED BY ticket_unresolved "
			"SET quoted_id = q.id FROM ticket AS q "
			"WHERE ticket.quoted IS NOT NULL "
			"AND ticket.quoted_id IS NULL "
			"AND q.ticket_id = ticket.quoted") != 0 ||
	    sq_exec(st, "COMMIT") != 0)
		return -1;
	end_write(st);
	return 0;
}

static void
sq_rollback(struct hl_store *st)
{
	if (!sqlite3_get_autocommit(SQ(st)->db))
		sqlite3_exec(SQ(st)->db, "ROLLBACK", NULL, NULL, NULL);
	end_write(st);
}

static long
sq_check(struct hl_store *st, hl_store_problem_fn *fn, void *arg)
{
	const char *sql = hl_sql_check, *tail;
	sqlite3_stmt *q;
	long n = 0;
	int rc;

	if (sqlite3_prepare_v2(SQ(st)->db, "PRAGMA integrity_check", -1, &q,
			       NULL) != SQLITE_OK)
		return sql_fail(st);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(q, 0);

		if (m && strcmp(m, "ok") != 0) {
			fn(arg, "integrity", m);
			n++;
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return sql_fail(st);
	/* A damaged file is not recounted: its rows cannot be trusted. */
	if (n > 0)
		return n;
	while (*sql) {
		if (sqlite3_prepare_v2(SQ(st)->db, sql, -1, &q, &tail) !=
		    SQLITE_OK)
			return sql_fail(st);
		sql = tail;
		if (q == NULL) /* only comments and spaces were left */
			break;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			fn(arg, (const char *)sqlite3_column_text(q, 0),
			   (const char *)sqlite3_column_text(q, 1));
			n++;
		}
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return sql_fail(st);
	}
	return n;
}

/* ---- moving a database (move.c) ---- */

/* "INSERT INTO t (cols) VALUES (?1, ...)" into b. */
static void
insert_sql(struct hl_buf *b, const struct hl_store_table *t)
{
	size_t i;

	hl_buf_printf(b, "INSERT INTO %s (", t->name);
	hl_store_table_cols(t, b);
	hl_buf_adds(b, ") VALUES (");
	for (i = 0; i < t->ncols; i++)
		hl_buf_printf(b, "%s?%zu", i ? ", " : "", i + 1);
	hl_buf_addc(b, ')');
}

static int
sq_rows(struct hl_store *st, const struct hl_store_table *t,
	hl_store_cells_fn *fn, void *arg)
{
	struct hl_buf sql = HL_BUF_INIT;
	const char *v[HL_STORE_MAXCOLS] = {NULL};
	size_t len[HL_STORE_MAXCOLS] = {0}, i;
	sqlite3_stmt *q;
	int rc;

	hl_store_table_select(t, &sql);
	rc = sqlite3_prepare_v2(SQ(st)->db, sql.data, -1, &q, NULL);
	hl_buf_release(&sql);
	if (rc != SQLITE_OK)
		return hl_store_sql_fail(st);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (i = 0; i < t->ncols; i++) {
			int null =
			    sqlite3_column_type(q, (int)i) == SQLITE_NULL;

			v[i] =
			    null ? NULL
			    : t->types[i] == 'b'
				? sqlite3_column_blob(q, (int)i)
				: (const char *)sqlite3_column_text(q, (int)i);
			if (!null && v[i] == NULL)
				v[i] = ""; /* an empty blob */
			len[i] = (size_t)sqlite3_column_bytes(q, (int)i);
		}
		if (fn(arg, v, len) != 0) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		hl_store_sql_fail(st);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
sq_begin_rows(struct hl_store *st, const struct hl_store_table *t)
{
	struct hl_buf sql = HL_BUF_INIT;
	int rc;

	insert_sql(&sql, t);
	rc = sqlite3_prepare_v2(SQ(st)->db, sql.data, -1, &SQ(st)->add, NULL);
	hl_buf_release(&sql);
	SQ(st)->add_t = t;
	return rc == SQLITE_OK ? 0 : hl_store_sql_fail(st);
}

static int
sq_add_row(struct hl_store *st, const char *const *v, const size_t *len)
{
	sqlite3_stmt *s = SQ(st)->add;
	const struct hl_store_table *t = SQ(st)->add_t;
	size_t i;
	int rc;

	for (i = 0; i < t->ncols; i++) {
		int k = (int)i + 1;

		if (v[i] == NULL)
			sqlite3_bind_null(s, k);
		else if (t->types[i] == 'i')
			sqlite3_bind_int64(s, k, strtoll(v[i], NULL, 10));
		else if (t->types[i] == 'b')
			sqlite3_bind_blob(s, k, v[i], (int)len[i],
					  SQLITE_TRANSIENT);
		else
			sqlite3_bind_text(s, k, v[i], (int)len[i],
					  SQLITE_TRANSIENT);
	}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : hl_store_sql_fail(st);
}

static int
sq_end_rows(struct hl_store *st)
{
	sqlite3_finalize(SQ(st)->add);
	SQ(st)->add = NULL;
	return 0;
}

static const struct hl_store_moves sq_moves = {
    sq_rows,
    sq_begin_rows,
    sq_add_row,
    sq_end_rows,
};

const struct hl_store_driver hl_sqlite_driver = {
    "sqlite",         sq_open,   sq_close,         sq_begin_write,
    sq_in_journal,    sq_commit, sq_rollback,      sq_exec,
    sq_readonly_file, sq_check,  &hl_sqlite_reads, &hl_sqlite_writes,
    &sq_moves,
};
