/*
 * store.c - opening, creating, migrating and locking the hotline
 * database.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrate.h"
#include "util/util.h"

extern const char hl_sql_schema[];

struct hl_store {
	sqlite3 *db;
	char *path;
	int busy_ms;
	int errcode;
	struct hl_buf err;
};

static const char *const steps[HL_STORE_SCHEMA_VERSION] = {hl_sql_schema};

const char *
hl_store_strerror(int err)
{
	switch (err) {
	case HL_STORE_OK:
		return "success";
	case HL_STORE_EOPEN:
		return "cannot open database";
	case HL_STORE_ESCHEMA:
		return "database schema is not one this hotline knows";
	case HL_STORE_EBUSY:
		return "database is being written by another process";
	case HL_STORE_ESQL:
		return "SQL statement failed";
	default:
		return "unknown error";
	}
}

static int fail(struct hl_store *st, int code, const char *fmt, ...)
    HL_PRINTF(3, 4);

static int
fail(struct hl_store *st, int code, const char *fmt, ...)
{
	va_list ap;

	st->errcode = code;
	hl_buf_reset(&st->err);
	va_start(ap, fmt);
	hl_buf_vprintf(&st->err, fmt, ap);
	va_end(ap);
	return -1;
}

static int
sql_fail(struct hl_store *st)
{
	return fail(st, HL_STORE_ESQL, "'%s': %s", st->path,
		    sqlite3_errmsg(st->db));
}

const char *
hl_store_errmsg(const struct hl_store *st)
{
	return st->err.len ? st->err.data : hl_store_strerror(st->errcode);
}

int
hl_store_errcode(const struct hl_store *st)
{
	return st->errcode;
}

sqlite3 *
hl_store_db(struct hl_store *st)
{
	return st->db;
}

int
hl_store_exec(struct hl_store *st, const char *sql)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(st);
	return 0;
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
	rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
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
	long long v;

	if (pragma_int(st, "user_version", &v) != 0)
		return -1;
	for (; v < n; v++) {
		char *bump = sqlite3_mprintf("PRAGMA user_version = %lld; "
					     "PRAGMA application_id = %d;",
					     v + 1, HL_STORE_APP_ID);

		if (bump == NULL)
			hl_oom(0);
		/* The step and its version number commit together or not at
		 * all: a crash or an error leaves the previous version. */
		if (hl_store_exec(st, "BEGIN IMMEDIATE") != 0 ||
		    hl_store_exec(st, mig[v]) != 0 ||
		    hl_store_exec(st, bump) != 0 ||
		    hl_store_exec(st, "COMMIT") != 0) {
			char *msg = hl_xstrdup(hl_store_errmsg(st));

			sqlite3_free(bump);
			hl_store_rollback(st);
			fail(st, HL_STORE_ESQL,
			     "cannot migrate '%s' to schema version %lld: %s",
			     st->path, v + 1, msg);
			free(msg);
			return -1;
		}
		sqlite3_free(bump);
	}
	return 0;
}

/* Is this our database, of a version we can read (or migrate)? */
static int
check_schema(struct hl_store *st, unsigned flags)
{
	long long version, app, tables;
	sqlite3_stmt *stmt = NULL;

	if (pragma_int(st, "user_version", &version) != 0 ||
	    pragma_int(st, "application_id", &app) != 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_schema", -1,
			       &stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return sql_fail(st);
	}
	tables = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);

	if (tables > 0 && app != HL_STORE_APP_ID)
		return fail(
		    st, HL_STORE_ESCHEMA,
		    "'%s' is not a hotline database (it holds other tables)",
		    st->path);
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
		return hl_store_migrate(st, steps, HL_STORE_SCHEMA_VERSION);
	}
	return 0;
}

int
hl_store_open(const char *path, unsigned flags, int busy_ms,
	      struct hl_store **out)
{
	struct hl_store *st = hl_xcalloc(1, sizeof(*st));
	int oflags = flags & HL_STORE_WRITE
			 ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
			 : SQLITE_OPEN_READONLY;
	long long dummy;

	*out = st;
	hl_buf_init(&st->err);
	st->path = hl_xstrdup(path);
	st->busy_ms = busy_ms > 0 ? busy_ms : 5000;
	if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK)
		return fail(st, HL_STORE_EOPEN, "cannot open '%s': %s", path,
			    st->db ? sqlite3_errmsg(st->db) : "out of memory");
	sqlite3_busy_timeout(st->db, st->busy_ms);
	sqlite3_extended_result_codes(st->db, 1);
	/* Reading anything tells a database from some other file. */
	if (pragma_int(st, "schema_version", &dummy) != 0)
		return fail(st, HL_STORE_EOPEN, "cannot open '%s': %s", path,
			    sqlite3_errmsg(st->db));
	if (flags & HL_STORE_WRITE) {
		/* A 32 MiB page cache keeps the ticket ID index in memory
		 * during a load (the 2 MiB default spilled it to disk on every
		 * few rows) and stays within a bounded memory budget. */
		if (hl_store_exec(st, "PRAGMA journal_mode = WAL; "
				      "PRAGMA synchronous = NORMAL; "
				      "PRAGMA cache_size = -32768;") != 0)
			return -1;
	}
	if (hl_store_exec(st, "PRAGMA foreign_keys = ON") != 0)
		return -1;
	return check_schema(st, flags);
}

void
hl_store_free(struct hl_store *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->db);
	hl_buf_release(&st->err);
	free(st->path);
	free(st);
}

int
hl_store_begin_write(struct hl_store *st)
{
	int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

	if ((rc & 0xff) == SQLITE_BUSY)
		return fail(
		    st, HL_STORE_EBUSY,
		    "'%s' is being written by another process (waited %d ms); "
		    "try again when it has finished",
		    st->path, st->busy_ms);
	if (rc != SQLITE_OK)
		return sql_fail(st);
	return 0;
}

int
hl_store_commit(struct hl_store *st)
{
	return hl_store_exec(st, "COMMIT");
}

void
hl_store_rollback(struct hl_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}
