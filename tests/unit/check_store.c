/*
 * check_store.c - tests of the store module: creating a database from
 * schema.sql, reopening it, refusing files that are not hotline databases
 * or are newer, migrating step by step (and not at all when a step fails),
 * WAL, and the write lock between two ingests.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "store/priv.h"
#include "store/migrate.h"
#include "store/store.h"
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

/* The steps of this hotline, and one more a later version might add. */
#define STEPS_PLUS(extra)                                                      \
	{                                                                      \
		hl_sql_schema, hl_sql_migrate_2, hl_sql_migrate_3,             \
		    hl_sql_migrate_4, hl_sql_migrate_5, hl_sql_migrate_6,      \
		    hl_sql_migrate_7, hl_sql_migrate_8, hl_sql_migrate_9,      \
		    hl_sql_migrate_10, extra                                   \
	}
#define NEXT_VERSION (HL_STORE_SCHEMA_VERSION + 1)

static char dir[64];
static char path[128];

static void
setup(void)
{
	strcpy(dir, "/tmp/hl-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
}

static void
teardown(void)
{
	char p[160];
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(suffix); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

static long long
query_int(struct hl_store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	long long v;

	ck_assert_int_eq(
	    sqlite3_prepare_v2(hl_store_db(st), sql, -1, &stmt, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* The text of the first column of sql's first row, or "NULL".  Caller
 * frees. */
static char *
query_text(struct hl_store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	const unsigned char *v;
	char *out;

	ck_assert_int_eq(
	    sqlite3_prepare_v2(hl_store_db(st), sql, -1, &stmt, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_text(stmt, 0);
	out = hl_xstrdup(v ? (const char *)v : "NULL");
	sqlite3_finalize(stmt);
	return out;
}

static struct hl_store *
open_ok(unsigned flags)
{
	struct hl_store *st;

	ck_assert_msg(hl_store_open(path, flags, 0, &st) == 0, "%s",
		      hl_store_errmsg(st));
	return st;
}

/* Opening fails with code and a message containing want. */
static void
open_fails(unsigned flags, int code, const char *want)
{
	struct hl_store *st;

	ck_assert_int_eq(hl_store_open(path, flags, 100, &st), -1);
	ck_assert_int_eq(hl_store_errcode(st), code);
	ck_assert_msg(strstr(hl_store_errmsg(st), want) != NULL,
		      "message '%s' lacks '%s'", hl_store_errmsg(st), want);
	hl_store_free(st);
}

/* Makes path a plain SQLite database with the given SQL. */
static void
raw_db(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* ---- create and reopen ---- */

START_TEST(test_create)
{
	struct hl_store *st = open_ok(HL_STORE_WRITE);
	sqlite3_stmt *stmt;

	ck_assert_int_eq(query_int(st, "PRAGMA user_version"),
			 HL_STORE_SCHEMA_VERSION);
	ck_assert_int_eq(query_int(st, "PRAGMA application_id"),
			 HL_STORE_APP_ID);
	ck_assert_int_eq(query_int(st, "PRAGMA foreign_keys"), 1);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM sqlite_schema "
				       "WHERE type = 'table' AND name IN "
				       "('dict', 'ingest_run', 'ticket', "
				       "'sat_day', 'hand_day', 'reject')"),
			 6);
	ck_assert_int_eq(sqlite3_prepare_v2(hl_store_db(st),
					    "PRAGMA journal_mode", -1, &stmt,
					    NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	hl_store_free(st);
}
END_TEST

START_TEST(test_reopen_keeps_data)
{
	struct hl_store *st = open_ok(HL_STORE_WRITE);

	ck_assert_int_eq(hl_store_exec(st, "INSERT INTO dict (kind, value) "
					   "VALUES (1, '荔湾区')"),
			 0);
	hl_store_free(st);
	st = open_ok(HL_STORE_WRITE);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM dict"), 1);
	hl_store_free(st);
	st = open_ok(HL_STORE_READONLY);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM dict"), 1);
	ck_assert_int_eq(hl_store_exec(st, "DELETE FROM dict"), -1);
	ck_assert_int_eq(hl_store_errcode(st), HL_STORE_ESQL);
	ck_assert_ptr_nonnull(strstr(hl_store_errmsg(st), "readonly"));
	hl_store_free(st);
}
END_TEST

/* The schema's CHECK constraints keep codes in range. */
START_TEST(test_constraints)
{
	struct hl_store *st = open_ok(HL_STORE_WRITE);

	ck_assert_int_eq(
	    hl_store_exec(st, "INSERT INTO ingest_run (file, started_at) "
			      "VALUES ('a.csv', 0)"),
	    0);
	ck_assert_int_eq(
	    hl_store_exec(st, "INSERT INTO ticket (ticket_id, accepted_at, "
			      "category, satisfaction, row_hash, run, line) "
			      "VALUES ('1', 0, 0, 0, 0, 1, 2)"),
	    0);
	ck_assert_int_eq(
	    hl_store_exec(st, "INSERT INTO ticket (ticket_id, accepted_at, "
			      "category, satisfaction, row_hash, run, line) "
			      "VALUES ('2', 0, 7, 0, 0, 1, 3)"),
	    -1);
	ck_assert_int_eq(
	    hl_store_exec(st, "INSERT INTO ticket (ticket_id, accepted_at, "
			      "category, satisfaction, row_hash, run, line) "
			      "VALUES ('1', 0, 0, 0, 0, 1, 4)"),
	    -1);
	/* A ticket must come from a recorded run. */
	ck_assert_int_eq(
	    hl_store_exec(st, "INSERT INTO ticket (ticket_id, accepted_at, "
			      "category, satisfaction, row_hash, run, line) "
			      "VALUES ('3', 0, 0, 0, 0, 99, 5)"),
	    -1);
	hl_store_free(st);
}
END_TEST

/* ---- refusals ---- */

START_TEST(test_missing_file)
{
	open_fails(HL_STORE_READONLY, HL_STORE_EOPEN, "cannot open '");
}
END_TEST

/* A server that is not there: said so, its password never shown. */
START_TEST(test_server_uri)
{
	static const char *const uri[] = {
	    "postgresql://u:s3cret@/hl?host=/nonexistent",
	    "postgres:///hl?host=/nonexistent&password=s3cret&user=u",
	};
	struct hl_store *st;
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(uri); i++) {
		ck_assert_int_eq(
		    hl_store_open(uri[i], HL_STORE_READONLY, 0, &st), -1);
		ck_assert_int_eq(hl_store_errcode(st), HL_STORE_EOPEN);
		ck_assert_ptr_nonnull(
		    strstr(hl_store_errmsg(st), "cannot connect to '"));
		ck_assert_ptr_nonnull(strstr(hl_store_errmsg(st), "***"));
		ck_assert_ptr_null(strstr(hl_store_errmsg(st), "s3cret"));
		hl_store_free(st);
	}
}
END_TEST

START_TEST(test_empty_database_readonly)
{
	raw_db("PRAGMA user_version = 0");
	open_fails(HL_STORE_READONLY, HL_STORE_ESCHEMA, "is empty");
}
END_TEST

START_TEST(test_foreign_database)
{
	raw_db("CREATE TABLE orders (id INTEGER)");
	open_fails(HL_STORE_WRITE, HL_STORE_ESCHEMA,
		   "is not a hotline database");
}
END_TEST

START_TEST(test_newer_schema)
{
	struct hl_store *st = open_ok(HL_STORE_WRITE);
	char want[80];

	ck_assert_int_eq(hl_store_exec(st, "PRAGMA user_version = 99"), 0);
	hl_store_free(st);
	snprintf(want, sizeof(want),
		 "has schema version 99, newer than the %d this hotline knows",
		 HL_STORE_SCHEMA_VERSION);
	open_fails(HL_STORE_READONLY, HL_STORE_ESCHEMA, want);
	open_fails(HL_STORE_WRITE, HL_STORE_ESCHEMA, "use a newer hotline");
}
END_TEST

START_TEST(test_not_a_database)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs("工单编号,受理时间\n20220103000001,2022-01-03 09:05:00\n", f);
	fclose(f);
	open_fails(HL_STORE_WRITE, HL_STORE_EOPEN, "not a database");
}
END_TEST

/* ---- migration ---- */

START_TEST(test_migrate_step)
{
	const char *const steps[] =
	    STEPS_PLUS("ALTER TABLE ticket ADD COLUMN later INTEGER;"
		       "CREATE INDEX ticket_accepted ON ticket (accepted_at);");
	struct hl_store *st = open_ok(HL_STORE_WRITE);

	ck_assert_int_eq(hl_store_migrate(st, steps, NEXT_VERSION), 0);
	ck_assert_int_eq(query_int(st, "PRAGMA user_version"), NEXT_VERSION);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM "
				       "pragma_table_info('ticket') WHERE "
				       "name = 'later'"),
			 1);
	/* Nothing left to do the second time. */
	ck_assert_int_eq(hl_store_migrate(st, steps, NEXT_VERSION), 0);
	ck_assert_int_eq(query_int(st, "PRAGMA user_version"), NEXT_VERSION);
	hl_store_free(st);
}
END_TEST

START_TEST(test_migrate_failure_keeps_version)
{
	const char *const steps[] =
	    STEPS_PLUS("CREATE TABLE half (x INTEGER); CREATE TABLE broken (;");
	struct hl_store *st = open_ok(HL_STORE_WRITE);
	char want[64];

	ck_assert_int_eq(hl_store_migrate(st, steps, NEXT_VERSION), -1);
	ck_assert_ptr_nonnull(strstr(hl_store_errmsg(st), "cannot migrate '"));
	snprintf(want, sizeof(want), "to schema version %d", NEXT_VERSION);
	ck_assert_ptr_nonnull(strstr(hl_store_errmsg(st), want));
	ck_assert_int_eq(query_int(st, "PRAGMA user_version"),
			 HL_STORE_SCHEMA_VERSION);
	/* The step's first statement was rolled back with it. */
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM sqlite_schema "
				       "WHERE name = 'half'"),
			 0);
	hl_store_free(st);
}
END_TEST

/* Every table's columns (name, type, NOT NULL, key; by name: a migration
 * adds columns at the end), every index's columns and every view's SQL,
 * in one string. */
static char *
shape(sqlite3 *db)
{
	static const char sql[] =
	    "SELECT group_concat(x, ';') FROM (SELECT m.type || ' ' || m.name "
	    "|| '(' || CASE m.type WHEN 'table' THEN (SELECT group_concat("
	    "c, ',') FROM (SELECT p.name || ' ' || p.type || ' ' || "
	    "p.\"notnull\" || ' ' || p.pk AS c FROM pragma_table_info(m.name) "
	    "AS p ORDER BY p.name)) WHEN 'view' THEN m.sql ELSE (SELECT "
	    "group_concat(i.name, ',') FROM pragma_index_info(m.name) AS i) "
	    "END || ')' AS x FROM sqlite_schema AS m WHERE m.type IN "
	    "('table', 'index', 'view') ORDER BY m.type, m.name)";
	sqlite3_stmt *stmt;
	char *out;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	out = hl_xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return out;
}

/* A migrated database has the tables and indexes schema.sql makes. */
static void
assert_shape_is_current(struct hl_store *st)
{
	sqlite3 *fresh;
	char *want, *got;

	ck_assert_int_eq(sqlite3_open(":memory:", &fresh), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(fresh, hl_sql_schema, NULL, NULL, NULL),
			 SQLITE_OK);
	want = shape(fresh);
	got = shape(hl_store_db(st));
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	sqlite3_close(fresh);
}

/*
 * Makes path the version 1 database of the tests below: the version 1
 * schema (tests/data/store/schema-v1.sql, as it shipped) with three
 * tickets.
 */
static void
v1_db(void)
{
	struct hl_buf sql = HL_BUF_INIT;
	FILE *f = fopen(HL_TEST_DATA "/store/schema-v1.sql", "r");
	char chunk[4096];
	size_t n;

	ck_assert_ptr_nonnull(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hl_buf_add(&sql, chunk, n);
	fclose(f);
	hl_buf_adds(&sql,
		    "INSERT INTO ingest_run (id, file, started_at, headers) "
		    "VALUES (1, 'a.csv', 0, '[\"工单编号\",\"受理时间\"]');"
		    "INSERT INTO dict VALUES (1, 1, '荔湾区');"
		    /*
		     * Accepted 2022-01-31 23:00 and 2022-02-01 01:00 CST.
		     * A: dispatched an hour later, closed two hours later.
		     * B: closed before accepted (quality bit 1), left out of
		     * handling.  C: closed a day later, never dispatched.
		     */
		    "INSERT INTO ticket (id, ticket_id, accepted_at, "
		    "dispatched_at, closed_at, district, category, is_key, "
		    "satisfaction, quality, row_hash, run, line) "
		    "VALUES (1, 'A', 1643670000, 1643673600, 1643677200, 1, "
		    "0, 1, 1, 0, 0, 1, 2),"
		    "(2, 'B', 1643677200, NULL, 1643670000, 1, 0, NULL, 3, 1, "
		    "0, 1, 3),"
		    "(3, 'C', 1643677200, NULL, 1643763600, NULL, 2, 0, 0, 0, "
		    "0, 1, 4);"
		    "INSERT INTO ticket_text VALUES (1, '内容', "
		    "'[\"A\",\"2022-01-31 23:00\"]', 1);"
		    "PRAGMA user_version = 1; "
		    "PRAGMA application_id = 1212960305;");
	raw_db(sql.data);
	hl_buf_release(&sql);
}

/*
 * A database written by the version 1 schema opens for writing as the
 * current version, its tickets, text and raw cells kept and the rollups
 * built.
 */
START_TEST(test_migrate_from_v1)
{
	struct hl_store *st;

	v1_db();
	open_fails(HL_STORE_READONLY, HL_STORE_ESCHEMA,
		   "has schema version 1; open it for writing");
	st = open_ok(HL_STORE_WRITE);
	ck_assert_int_eq(query_int(st, "PRAGMA user_version"),
			 HL_STORE_SCHEMA_VERSION);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM ticket"), 3);
	/* Version 4 moved the free text into the ticket's row. */
	ck_assert_int_eq(
	    query_int(st, "SELECT count(*) FROM ticket WHERE id = 1 AND "
			  "content = '内容' AND extra_run = 1 AND "
			  "extra = '[\"A\",\"2022-01-31 23:00\"]'"),
	    1);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM ticket WHERE "
				       "content IS NULL AND extra IS NULL AND "
				       "extra_run IS NULL"),
			 2);
	assert_shape_is_current(st);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM ingest_run WHERE "
				       "extra_headers = headers"),
			 1);
	/* One key answer on January 31, one ordinary one on February 1. */
	ck_assert_int_eq(
	    query_int(st, "SELECT group_concat(day || ':' || district || "
			  "':' || is_key || ':' || satisfaction || ':' || n) "
			  "= '20220131:1:1:1:1,20220201:0:0:0:1,"
			  "20220201:1:0:3:1' FROM (SELECT * FROM sat_day "
			  "ORDER BY day, district)"),
	    1);
	/* Handling: A 7200 s from acceptance, 3600 s from dispatch; C a day
	 * from either (not dispatched); B left out. */
	ck_assert_int_eq(
	    query_int(st, "SELECT group_concat(day || ':' || district || "
			  "':' || category || ':' || start || ':' || n || ':' "
			  "|| secs) = '20220131:1:0:0:1:7200,"
			  "20220131:1:0:1:1:3600,20220201:0:2:0:1:86400,"
			  "20220201:0:2:1:1:86400' FROM (SELECT * FROM "
			  "hand_day ORDER BY 1, 2, 3, 4)"),
	    1);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM "
				       "pragma_foreign_key_check"),
			 0);
	hl_store_free(st);
}
END_TEST

/* The rollups as schema.sql defines them, counted from the tickets. */
static const char sat_recount[] =
    "SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS INTEGER), "
    "coalesce(district, 0), coalesce(is_key, 0), satisfaction, count(*) "
    "FROM ticket GROUP BY 1, 2, 3, 4";
static const char hand_recount[] =
    "SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS INTEGER), "
    "coalesce(district, 0), category, s.start, count(*), "
    "sum(closed_at - (CASE s.start WHEN 1 THEN coalesce(dispatched_at, "
    "accepted_at) ELSE accepted_at END)) "
    "FROM ticket, (SELECT 0 AS start UNION ALL SELECT 1) AS s "
    "WHERE closed_at IS NOT NULL AND quality & 1 = 0 "
    "AND closed_at >= (CASE s.start WHEN 1 THEN coalesce(dispatched_at, "
    "accepted_at) ELSE accepted_at END) GROUP BY 1, 2, 3, 4";

/* hl_store_check() found a problem where none may be. */
static void
no_problem(void *arg, const char *kind, const char *detail)
{
	(void)arg;
	ck_abort_msg("%s: %s", kind, detail);
}

/* The rows of table and of the query recount that the other lacks. */
static long long
differ(struct hl_store *st, const char *table, const char *recount)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "SELECT (SELECT count(*) FROM (SELECT * FROM %s EXCEPT %s)) "
		 "+ (SELECT count(*) FROM (%s EXCEPT SELECT * FROM %s))",
		 table, recount, recount, table);
	return query_int(st, sql);
}

/*
 * A version 6 database, its rollups kept by month, opens for writing as
 * version 7 with both rollups by day equal to a recount of its tickets:
 * days end at midnight China Standard Time, as the tickets' times count.
 */
START_TEST(test_migrate_from_v6)
{
	const char *const to6[] = {hl_sql_migrate_2, hl_sql_migrate_3,
				   hl_sql_migrate_4, hl_sql_migrate_5,
				   hl_sql_migrate_6};
	hl_time d_acc = hl_time_make(2022, 3, 1, 23, 59, 59);
	hl_time e_acc = hl_time_make(2022, 3, 2, 0, 0, 0);
	hl_time f_acc = hl_time_make(2022, 3, 2, 7, 59, 59); /* 23:59 UTC */
	struct hl_buf sql = HL_BUF_INIT;
	struct hl_store *st;
	sqlite3 *db;
	size_t i;

	v1_db();
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < HL_ARRAY_LEN(to6); i++)
		ck_assert_int_eq(sqlite3_exec(db, to6[i], NULL, NULL, NULL),
				 SQLITE_OK);
	/*
	 * Three more tickets, as version 6 stored them.  D: accepted a
	 * second before midnight, dispatched 600 s later, closed 7200 s
	 * later.  E: accepted at midnight, open.  F: closed 1801 s after
	 * acceptance and before dispatch (left out from dispatch).  Then
	 * the month rollups as version 6's ingest kept them.
	 */
	hl_buf_printf(
	    &sql,
	    "INSERT INTO dict VALUES (2, 1, '越秀区');"
	    "INSERT INTO ticket (id, ticket_id, accepted_at, dispatched_at, "
	    "closed_at, district, category, is_key, satisfaction, quality, "
	    "row_hash, run, line) VALUES "
	    "(4, 'D', %lld, %lld, %lld, 2, 1, 1, 2, 0, 0, 1, 5),"
	    "(5, 'E', %lld, NULL, NULL, 2, 3, NULL, 0, 0, 0, 1, 6),"
	    "(6, 'F', %lld, %lld, %lld, 2, 0, 0, 3, 0, 0, 1, 7);"
	    "DELETE FROM sat_month;"
	    "INSERT INTO sat_month SELECT CAST(strftime('%%Y%%m', "
	    "accepted_at, 'unixepoch') AS INTEGER), coalesce(district, 0), "
	    "coalesce(is_key, 0), satisfaction, count(*) FROM ticket "
	    "GROUP BY 1, 2, 3, 4;"
	    "DELETE FROM hand_month;"
	    "INSERT INTO hand_month SELECT CAST(strftime('%%Y%%m', "
	    "accepted_at, 'unixepoch') AS INTEGER), coalesce(district, 0), "
	    "category, s.start, count(*), sum(closed_at - (CASE s.start "
	    "WHEN 1 THEN coalesce(dispatched_at, accepted_at) ELSE "
	    "accepted_at END)) FROM ticket, (SELECT 0 AS start UNION ALL "
	    "SELECT 1) AS s WHERE closed_at IS NOT NULL AND quality & 1 = 0 "
	    "AND closed_at >= (CASE s.start WHEN 1 THEN coalesce("
	    "dispatched_at, accepted_at) ELSE accepted_at END) "
	    "GROUP BY 1, 2, 3, 4;"
	    "PRAGMA user_version = 6;",
	    (long long)d_acc, (long long)d_acc + 600, (long long)d_acc + 7200,
	    (long long)e_acc, (long long)f_acc, (long long)f_acc + 3600,
	    (long long)f_acc + 1801);
	ck_assert_int_eq(sqlite3_exec(db, sql.data, NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	hl_buf_release(&sql);

	open_fails(HL_STORE_READONLY, HL_STORE_ESCHEMA,
		   "has schema version 6; open it for writing");
	st = open_ok(HL_STORE_WRITE);
	ck_assert_int_eq(query_int(st, "PRAGMA user_version"),
			 HL_STORE_SCHEMA_VERSION);
	assert_shape_is_current(st);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM sqlite_schema "
				       "WHERE name IN ('sat_month', "
				       "'hand_month')"),
			 0);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM sat_day"), 6);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM hand_day"), 7);
	ck_assert_int_eq(differ(st, "sat_day", sat_recount), 0);
	ck_assert_int_eq(differ(st, "hand_day", hand_recount), 0);
	ck_assert_int_eq(
	    query_int(st, "SELECT group_concat(day || ':' || is_key || ':' || "
			  "satisfaction || ':' || n) = '20220301:1:2:1,"
			  "20220302:0:0:1,20220302:0:3:1' FROM (SELECT * "
			  "FROM sat_day WHERE district = 2 ORDER BY 1, 2, 3, "
			  "4)"),
	    1);
	ck_assert_int_eq(
	    query_int(st, "SELECT group_concat(day || ':' || category || ':' "
			  "|| start || ':' || n || ':' || secs) = "
			  "'20220301:1:0:1:7200,20220301:1:1:1:6600,"
			  "20220302:0:0:1:1801' FROM (SELECT * FROM hand_day "
			  "WHERE district = 2 ORDER BY 1, 2, 3, 4)"),
	    1);
	ck_assert_int_eq(hl_store_check(st, no_problem, NULL), 0);
	hl_store_free(st);
}
END_TEST

/*
 * A version 7 database opens for writing as the current version (8, then
 * 9): its tickets kept, the new columns NULL (none of them known before),
 * the new indexes and the table of settings there, the metrics' index
 * made again.
 */
START_TEST(test_migrate_from_v7)
{
	const char *const to7[] = {hl_sql_migrate_2, hl_sql_migrate_3,
				   hl_sql_migrate_4, hl_sql_migrate_5,
				   hl_sql_migrate_6, hl_sql_migrate_7};
	struct hl_store *st;
	sqlite3 *db;
	size_t i;

	v1_db();
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < HL_ARRAY_LEN(to7); i++)
		ck_assert_int_eq(sqlite3_exec(db, to7[i], NULL, NULL, NULL),
				 SQLITE_OK);
	ck_assert_int_eq(
	    sqlite3_exec(db, "PRAGMA user_version = 7", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	open_fails(HL_STORE_READONLY, HL_STORE_ESCHEMA,
		   "has schema version 7; open it for writing");
	st = open_ok(HL_STORE_WRITE);
	ck_assert_int_eq(query_int(st, "PRAGMA user_version"),
			 HL_STORE_SCHEMA_VERSION);
	assert_shape_is_current(st);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM ticket"), 3);
	ck_assert_int_eq(
	    query_int(st, "SELECT count(*) FROM ticket WHERE assess IS NULL "
			  "AND topic IS NULL AND caller IS NULL AND "
			  "quoted IS NULL"),
	    3);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM setting"), 0);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM sqlite_schema "
				       "WHERE name IN ('ticket_unresolved', "
				       "'setting')"),
			 2);
	ck_assert_int_eq(hl_store_check(st, no_problem, NULL), 0);
	hl_store_free(st);
}
END_TEST

/*
 * A version 8 database opens for writing as version 9: nothing but the
 * readable views added, the same as a new database's, one row of
 * v_tickets per ticket, the version 8 fields in words.
 */
START_TEST(test_migrate_from_v8)
{
	const char *const to8[] = {hl_sql_migrate_2, hl_sql_migrate_3,
				   hl_sql_migrate_4, hl_sql_migrate_5,
				   hl_sql_migrate_6, hl_sql_migrate_7,
				   hl_sql_migrate_8};
	struct hl_store *st;
	sqlite3 *db;
	size_t i;
	char *v;

	v1_db();
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < HL_ARRAY_LEN(to8); i++)
		ck_assert_int_eq(sqlite3_exec(db, to8[i], NULL, NULL, NULL),
				 SQLITE_OK);
	/* C: valid callback yes, contacted no, resolved not given, in the
	 * assessment yes (1 + 2 * 4 + 1 * 64). */
	ck_assert_int_eq(
	    sqlite3_exec(db,
			 "INSERT INTO dict VALUES (2, 10, '城乡建设-物业管理');"
			 "UPDATE ticket SET assess = 73, topic = 2, quoted = "
			 "'B', caller = zeroblob(16) WHERE id = 3;"
			 "PRAGMA user_version = 8",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	open_fails(HL_STORE_READONLY, HL_STORE_ESCHEMA,
		   "has schema version 8; open it for writing");
	st = open_ok(HL_STORE_WRITE);
	ck_assert_int_eq(query_int(st, "PRAGMA user_version"),
			 HL_STORE_SCHEMA_VERSION);
	assert_shape_is_current(st);
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM v_tickets"), 3);
	v = query_text(
	    st, "SELECT group_concat(x, '|') FROM (SELECT ticket_id || ',' || "
		"accepted_at || ',' || coalesce(district, '-') || ',' || "
		"category || ',' || coalesce(key_flag, '-') || ',' || "
		"satisfaction || ',' || coalesce(closed_at, '-') || ',' || "
		"coalesce(valid_callback, '-') || coalesce(contacted, '-') || "
		"coalesce(resolved, '-') || coalesce(in_assessment, '-') || "
		"',' || coalesce(topic, '-') || ',' || "
		"coalesce(quoted_ticket_id, '-') || ',' || file || ':' || line "
		"AS x FROM v_tickets ORDER BY ticket_id)");
	ck_assert_str_eq(
	    v, "A,2022-01-31 23:00:00,荔湾区,咨询,重点,满意,2022-02-01 "
	       "01:00:00,----,-,-,a.csv:2|B,2022-02-01 01:00:00,荔湾区,咨询,-,"
	       "不满意,2022-01-31 23:00:00,----,-,-,a.csv:3|C,2022-02-01 "
	       "01:00:00,-,投诉,普通,未评价,2022-02-02 01:00:00,是否-是,"
	       "城乡建设-物业管理,B,a.csv:4");
	free(v);
	/* version 10: C's quote of B with B's id */
	ck_assert_int_eq(query_int(st, "SELECT quoted_id FROM ticket "
				       "WHERE id = 3"),
			 2);
	ck_assert_int_eq(hl_store_check(st, no_problem, NULL), 0);
	hl_store_free(st);
}
END_TEST

/* ---- the readable views ---- */

/*
 * Every code of every vocabulary reads in v_tickets as the word model.h
 * gives it, every time as hl_time_format_iso() writes it; the caller hash
 * is in none of the views.
 */
START_TEST(test_views_words)
{
	static const char *const sat[HL_SAT_COUNT] = {"未评价", "满意",
						      "基本满意", "不满意"};
	static const char *const status[] = {"待派单", "待签收", "办理中",
					     "已办结", "已回访", "已归档"};
	static const char *const yn[] = {"NULL", "是", "否"};
	struct hl_store *st = open_ok(HL_STORE_WRITE);
	struct hl_buf sql = HL_BUF_INIT;
	char q[256], iso[20], code[8], *v;
	int i, k;

	hl_buf_adds(&sql, "INSERT INTO ingest_run (id, file, started_at, "
			  "finished_at, status) VALUES (1, 'a.csv', 0, 60, "
			  "'done');");
	for (i = 0; i < 7; i++) {
		unsigned assess = 0;

		for (k = 0; k < HL_AS_COUNT; k++)
			assess = HL_ASSESS_SET(assess, k, (i + k) % 3);
		/* 6 and up: no status (NULL) */
		snprintf(code, sizeof(code), i < 6 ? "%d" : "NULL", i);
		hl_buf_printf(
		    &sql,
		    "INSERT INTO ticket (ticket_id, accepted_at, closed_at, "
		    "category, satisfaction, status, is_key, row_hash, run, "
		    "line, assess, caller) VALUES ('T%d', %lld, %lld, %d, %d, "
		    "%s, %s, 0, 1, %d, %u, x'00112233445566778899aabbccddeeff'"
		    ");",
		    i, (long long)hl_time_make(2022, 3, 5, 14, 7, i),
		    (long long)hl_time_make(2023, 12, 31, 23, 59, 59), i,
		    i % HL_SAT_COUNT, code,
		    i == 0   ? "1"
		    : i == 1 ? "0"
			     : "NULL",
		    i + 2, assess);
	}
	hl_buf_adds(&sql, "INSERT INTO reject (run, file, line, col, field, "
			  "reason, raw) VALUES (1, 'a.csv', 9, 3, '受理时间', "
			  "'not a date', x'00');");
	ck_assert_int_eq(hl_store_exec(st, sql.data), 0);
	hl_buf_release(&sql);

	for (i = 0; i < 7; i++) {
		snprintf(q, sizeof(q),
			 "SELECT category || '|' || satisfaction || '|' || "
			 "coalesce(status, 'NULL') || '|' || "
			 "coalesce(key_flag, 'NULL') FROM v_tickets WHERE "
			 "ticket_id = 'T%d'",
			 i);
		v = query_text(st, q);
		snprintf(q, sizeof(q), "%s|%s|%s|%s", hl_category_zh[i],
			 sat[i % HL_SAT_COUNT], i < 6 ? status[i] : "NULL",
			 i == 0   ? "重点"
			 : i == 1 ? "普通"
				  : "NULL");
		ck_assert_str_eq(v, q);
		free(v);
		snprintf(q, sizeof(q),
			 "SELECT accepted_at || '|' || closed_at || '|' || "
			 "coalesce(valid_callback, 'NULL') || coalesce("
			 "contacted, 'NULL') || coalesce(resolved, 'NULL') || "
			 "coalesce(in_assessment, 'NULL') FROM v_tickets "
			 "WHERE ticket_id = 'T%d'",
			 i);
		v = query_text(st, q);
		hl_time_format_iso(hl_time_make(2022, 3, 5, 14, 7, i), iso);
		snprintf(q, sizeof(q), "%s|2023-12-31 23:59:59|%s%s%s%s", iso,
			 yn[i % 3], yn[(i + 1) % 3], yn[(i + 2) % 3],
			 yn[(i + 3) % 3]);
		ck_assert_str_eq(v, q);
		free(v);
	}
	ck_assert_int_eq(query_int(st, "SELECT count(*) FROM sqlite_schema AS "
				       "m, pragma_table_info(m.name) AS c "
				       "WHERE m.type = 'view' AND (c.name "
				       "LIKE '%caller%' OR c.name = 'raw')"),
			 0);
	v = query_text(st, "SELECT import_id || '|' || file || '|' || line "
			   "|| '|' || column_number || '|' || field || '|' "
			   "|| reason FROM v_rejects");
	ck_assert_str_eq(v, "1|a.csv|9|3|受理时间|not a date");
	free(v);
	v = query_text(st, "SELECT import_id || '|' || started_at || '|' || "
			   "finished_at || '|' || status FROM v_imports");
	ck_assert_str_eq(v, "1|1970-01-01 00:00:00|1970-01-01 00:01:00|done");
	free(v);
	hl_store_free(st);
}
END_TEST

/* ---- concurrency ---- */

START_TEST(test_second_writer_fails_clearly)
{
	struct hl_store *a = open_ok(HL_STORE_WRITE), *b, *r;

	ck_assert_int_eq(hl_store_open(path, HL_STORE_WRITE, 100, &b), 0);
	ck_assert_int_eq(hl_store_begin_write(a, 0), 0);
	ck_assert_int_eq(hl_store_exec(a, "INSERT INTO dict (kind, value) "
					  "VALUES (1, '越秀区')"),
			 0);
	ck_assert_int_eq(hl_store_begin_write(b, 0), -1);
	ck_assert_int_eq(hl_store_errcode(b), HL_STORE_EBUSY);
	ck_assert_ptr_nonnull(
	    strstr(hl_store_errmsg(b),
		   "is being written by another process (waited 100 ms)"));
	/* A reader is not blocked by the writer and sees the last commit;
	 * it reads that one state until it closes, a commit meanwhile
	 * notwithstanding, and a reader opened after sees the new one. */
	r = open_ok(HL_STORE_READONLY);
	ck_assert_int_eq(query_int(r, "SELECT count(*) FROM dict"), 0);
	ck_assert_int_eq(hl_store_commit(a), 0);
	ck_assert_int_eq(query_int(r, "SELECT count(*) FROM dict"), 0);
	hl_store_free(r);
	r = open_ok(HL_STORE_READONLY);
	ck_assert_int_eq(query_int(r, "SELECT count(*) FROM dict"), 1);
	ck_assert_int_eq(hl_store_begin_write(b, 0), 0);
	hl_store_rollback(b);
	hl_store_rollback(b); /* harmless without a transaction */
	hl_store_free(r);
	hl_store_free(b);
	hl_store_free(a);
}
END_TEST

/* A bulk load leaves WAL for a rollback journal: once it spills its cache
 * a reader waits for it and is told why; after the commit the database is
 * back in WAL, with the load's rows. */
START_TEST(test_bulk_load_keeps_readers_out)
{
	struct hl_store *a = open_ok(HL_STORE_WRITE), *r;
	char journal[160];

	ck_assert_int_eq(hl_store_begin_write(a, 0), 0);
	ck_assert_int_eq(hl_store_exec(a, "INSERT INTO dict (kind, value) "
					  "VALUES (1, '越秀区')"),
			 0);
	ck_assert_int_eq(hl_store_commit(a), 0);
	/* Another connection open: the write stays in WAL, and says so. */
	r = open_ok(HL_STORE_READONLY);
	ck_assert_int_eq(hl_store_begin_write(a, HL_STORE_JOURNAL), 0);
	ck_assert_int_eq(hl_store_in_journal(a), 0);
	hl_store_rollback(a);
	hl_store_free(r);
	ck_assert_int_eq(hl_store_begin_write(a, HL_STORE_JOURNAL), 0);
	ck_assert_int_eq(hl_store_in_journal(a), 1);
	ck_assert_int_eq(
	    hl_store_exec(a, "PRAGMA cache_size = 8; "
			     "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL "
			     "SELECT i + 1 FROM c WHERE i < 5000) "
			     "INSERT INTO dict (kind, value) "
			     "SELECT 2, printf('%0400d', i) FROM c"),
	    0);
	snprintf(journal, sizeof(journal), "%s-journal", path);
	ck_assert_int_eq(access(journal, F_OK), 0);
	ck_assert_int_eq(hl_store_open(path, HL_STORE_READONLY, 100, &r), -1);
	ck_assert_int_eq(hl_store_errcode(r), HL_STORE_EBUSY);
	ck_assert_ptr_nonnull(strstr(hl_store_errmsg(r),
				     "a bulk load is writing it (waited "
				     "100 ms)"));
	hl_store_free(r);
	ck_assert_int_eq(hl_store_commit(a), 0);
	ck_assert_int_eq(access(journal, F_OK), -1);
	r = open_ok(HL_STORE_READONLY);
	ck_assert_int_eq(query_int(r, "SELECT count(*) FROM dict"), 5001);
	hl_store_free(r);
	hl_store_free(a);
	r = open_ok(HL_STORE_READONLY);
	ck_assert_int_eq(query_int(r, "SELECT journal_mode = 'wal' FROM "
				      "pragma_journal_mode()"),
			 1);
	hl_store_free(r);
}
END_TEST

/* ---- the domain API, on its own ---- */

/* A row of the tests below: ticket id, accepted, closed (0 open). */
static void
row(struct hl_store_row *w, const char *id, int64_t accepted, int64_t closed,
    int64_t district, int sat, int64_t run)
{
	memset(w, 0, sizeof(*w));
	w->has = 1u << HL_STORE_T_ACCEPTED;
	w->t[HL_STORE_T_ACCEPTED] = accepted;
	if (closed) {
		w->has |= 1u << HL_STORE_T_CLOSED;
		w->t[HL_STORE_T_CLOSED] = closed;
	}
	w->district = district;
	w->category = 2;
	w->is_key = -1;
	w->sat = sat;
	w->status = -1;
	w->reopen = -1;
	w->row_hash = (int64_t)accepted ^ closed ^ sat;
	w->run = run;
	w->line = 2;
	w->ticket_id = id;
	w->ticket_id_len = strlen(id);
	w->assess = -1;
}

struct seen_tickets {
	int n;
	int64_t last_closed;
	int has_closed;
	int sat;
};

static void
on_ticket(void *arg, const struct hl_store_ticket *t)
{
	struct seen_tickets *s = arg;

	s->n++;
	s->has_closed = t->has >> HL_STORE_T_CLOSED & 1;
	s->last_closed = t->t[HL_STORE_T_CLOSED];
	s->sat = t->sat;
}

static void
on_name(void *arg, int64_t id, const char *v, size_t len)
{
	struct hl_buf *b = arg;

	hl_buf_printf(b, "%lld=%.*s;", (long long)id, (int)len, v);
}

static void
on_sat(void *arg, int day, int64_t district, int is_key, int sat, long long n)
{
	struct hl_buf *b = arg;

	hl_buf_printf(b, "%d/%lld/%d/%d:%lld;", day, (long long)district,
		      is_key, sat, n);
}

static void
on_hand(void *arg, int64_t district, int category, long long n, long long secs)
{
	struct hl_buf *b = arg;

	hl_buf_printf(b, "%lld/%d:%lld/%lld;", (long long)district, category, n,
		      secs);
}

/* hl_store_put()'s policy in the tests: what *arg says, 42 as why. */
static enum hl_store_outcome
decide_as(void *arg, struct hl_store_put *p)
{
	p->why = 42;
	return *(enum hl_store_outcome *)arg;
}

START_TEST(test_api_write_and_read)
{
	struct hl_store *st = open_ok(HL_STORE_WRITE);
	struct hl_store_put p[3];
	enum hl_store_outcome want_out = HL_PUT_KEPT;
	struct hl_store_run_end e;
	struct seen_tickets seen;
	struct hl_buf b = HL_BUF_INIT;
	int64_t run, d1, d1again, d2, t1, ids[3];
	char *names[3];
	hl_time mar = hl_time_make(2022, 3, 1, 9, 0, 0);
	hl_time day1 = hl_time_make(2022, 3, 1, 0, 0, 0);
	int fk;
	char want[128];

	ck_assert_int_eq(hl_store_no_tickets(st), 1);
	ck_assert_int_eq(hl_store_begin_write(st, 0), 0);
	ck_assert_int_eq(hl_store_foreign_keys(st, 0, &fk), 0);
	ck_assert_int_eq(fk, 1);
	ck_assert_int_eq(hl_store_run_add(st, "a.csv", 10, "utf-8", mar, &run),
			 0);
	/* The dictionary finds what it added. */
	ck_assert_int_eq(
	    hl_store_dict_id(st, HL_DICT_DISTRICT, "荔湾区", 9, &d1), 0);
	ck_assert_int_eq(
	    hl_store_dict_id(st, HL_DICT_DISTRICT, "荔湾区", 9, &d1again), 0);
	ck_assert_int_eq(d1, d1again);
	ck_assert_int_eq(
	    hl_store_dict_id(st, HL_DICT_DISTRICT, "越秀区", 9, &d2), 0);
	ck_assert_int_ne(d1, d2);
	/*
	 * A new ID is inserted without asking; a stored one is decided on
	 * with the stored version at hand: kept, updated, or unchanged (the
	 * run and line that saw it are noted).
	 */
	row(&p[0].row, "T1", mar, 0, d1, 0, run);
	ck_assert_int_eq(hl_store_put(st, p, 1, decide_as, &want_out), 0);
	ck_assert_int_eq(p[0].outcome, HL_PUT_INSERTED);
	want_out = HL_PUT_KEPT;
	ck_assert_int_eq(hl_store_put(st, p, 1, decide_as, &want_out), 0);
	ck_assert_int_eq(p[0].outcome, HL_PUT_KEPT);
	ck_assert_int_eq(p[0].why, 42);
	ck_assert_int_eq(p[0].old.accepted, mar);
	ck_assert_int_eq(p[0].old.has_closed, 0);
	ck_assert_int_eq(p[0].old.district, d1);
	ck_assert_int_eq(p[0].old.reopen, -1);
	row(&p[0].row, "T1", mar, mar + 3600, d1, 1, run);
	p[0].row.reopen = 2;
	want_out = HL_PUT_UPDATED;
	ck_assert_int_eq(hl_store_put(st, p, 1, decide_as, &want_out), 0);
	ck_assert_int_eq(p[0].outcome, HL_PUT_UPDATED);
	p[0].row.line = 7;
	want_out = HL_PUT_UNCHANGED;
	ck_assert_int_eq(hl_store_put(st, p, 1, decide_as, &want_out), 0);
	want_out = HL_PUT_KEPT;
	ck_assert_int_eq(hl_store_put(st, p, 1, decide_as, &want_out), 0);
	ck_assert_int_eq(p[0].old.closed, mar + 3600);
	ck_assert_int_eq(p[0].old.sat, 1);
	ck_assert_int_eq(p[0].old.reopen, 2);
	ck_assert_int_eq(p[0].old.line, 7);
	t1 = p[0].old.id;
	/* In one batch a later row sees what an earlier one did. */
	row(&p[0].row, "T2", mar + 60, 0, d2, 0, run);
	row(&p[1].row, "T3", mar + 120, 0, 0, 0, run);
	row(&p[2].row, "T2", mar + 60, 0, d2, 0, run);
	ck_assert_int_eq(hl_store_put(st, p, 3, decide_as, &want_out), 0);
	ck_assert_int_eq(p[0].outcome, HL_PUT_INSERTED);
	ck_assert_int_eq(p[1].outcome, HL_PUT_INSERTED);
	ck_assert_int_eq(p[2].outcome, HL_PUT_KEPT);
	ck_assert_int_eq(p[2].old.district, d2);
	/* The rollups, as ingest keeps them, and a row that comes to 0. */
	ck_assert_int_eq(hl_store_sat_add(st, 20220301, d1, 0, 1, 1), 0);
	ck_assert_int_eq(hl_store_sat_add(st, 20220301, d2, 0, 0, 1), 0);
	ck_assert_int_eq(hl_store_sat_add(st, 20220301, 0, 0, 0, 1), 0);
	ck_assert_int_eq(hl_store_sat_add(st, 20220301, d2, 1, 3, 1), 0);
	ck_assert_int_eq(hl_store_sat_add(st, 20220301, d2, 1, 3, -1), 0);
	ck_assert_int_eq(hl_store_hand_add(st, 20220301, d1, 2, 0, 1, 3600), 0);
	ck_assert_int_eq(hl_store_hand_add(st, 20220301, d1, 2, 1, 1, 3600), 0);
	ck_assert_int_eq(hl_store_rollups_tidy(st), 0);
	memset(&e, 0, sizeof(e));
	e.finished = mar + 10;
	e.read = 3;
	e.inserted = 3;
	e.encoding = "utf-8";
	e.headers = hl_xstrdup("[\"工单编号\"]");
	e.sha256 = "ab";
	ck_assert_int_eq(hl_store_run_end(st, run, &e), 0);
	ck_assert_int_eq(hl_store_foreign_keys(st, fk, &fk), 0);
	ck_assert_int_eq(hl_store_commit(st), 0);

	/* What was written reads back through the figures' API. */
	ck_assert_int_eq(hl_store_no_tickets(st), 0);
	ck_assert_int_eq(hl_store_run_size_seen(st, 10), 1);
	ck_assert_int_eq(hl_store_run_size_seen(st, 11), 0);
	ck_assert_int_eq(hl_store_run_with_sha(st, "ab"), run);
	ck_assert_int_eq(hl_store_run_with_sha(st, "cd"), 0);
	memset(&seen, 0, sizeof(seen));
	ck_assert_int_eq(
	    hl_store_scan(st, &d1, 1, mar, mar + 86400, 0, on_ticket, &seen),
	    0);
	ck_assert_int_eq(seen.n, 1);
	ck_assert_int_eq(seen.has_closed, 1);
	ck_assert_int_eq(seen.last_closed, mar + 3600);
	ck_assert_int_eq(seen.sat, 1);
	memset(&seen, 0, sizeof(seen));
	ck_assert_int_eq(
	    hl_store_scan(st, NULL, 0, mar, mar + 86400, 0, on_ticket, &seen),
	    0);
	ck_assert_int_eq(seen.n, 3); /* the one without a district too */
	memset(&seen, 0, sizeof(seen));
	ck_assert_int_eq(
	    hl_store_scan(st, NULL, 0, mar, mar + 86400, 1, on_ticket, &seen),
	    0);
	ck_assert_int_eq(seen.n, 1); /* closed only */
	ck_assert_int_eq(hl_store_names(st, HL_DICT_DISTRICT, on_name, &b), 0);
	hl_buf_reset(&b);
	ck_assert_int_eq(hl_store_names(st, HL_DICT_DISTRICT, on_name, &b), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "=荔湾区;"));
	ck_assert_ptr_nonnull(strstr(b.data, "=越秀区;"));
	/* Names in one call; none for an id that is not there, or 0. */
	ids[0] = d2;
	ids[1] = 99999;
	ids[2] = 0;
	ck_assert_int_eq(hl_store_lookup(st, HL_LOOKUP_DICT, ids, 3, names), 0);
	ck_assert_str_eq(names[0], "越秀区");
	ck_assert_ptr_null(names[1]);
	ck_assert_ptr_null(names[2]);
	free(names[0]);
	ids[0] = t1;
	ck_assert_int_eq(hl_store_lookup(st, HL_LOOKUP_TICKET, ids, 1, names),
			 0);
	ck_assert_str_eq(names[0], "T1");
	free(names[0]);
	/* The row that came to 0 is gone; the rest come back whole, by day
	 * of the days asked for and no other. */
	hl_buf_reset(&b);
	ck_assert_int_eq(hl_store_sat_counts(st, HL_STORE_BY_ACCEPTED, day1,
					     day1 + 86400, on_sat, &b),
			 0);
	snprintf(want, sizeof(want),
		 "20220301/0/0/0:1;20220301/%lld/0/1:1;20220301/%lld/0/0:1;",
		 (long long)d1, (long long)d2);
	ck_assert_str_eq(b.data, want);
	hl_buf_reset(&b);
	ck_assert_int_eq(hl_store_sat_counts(st, HL_STORE_BY_ACCEPTED,
					     day1 - 86400, day1, on_sat, &b),
			 0);
	ck_assert_int_eq(hl_store_sat_counts(st, HL_STORE_BY_ACCEPTED,
					     day1 + 86400, day1 + 2 * 86400,
					     on_sat, &b),
			 0);
	ck_assert_str_eq(b.data, "");
	/* By closure the tickets are counted, by the day they closed. */
	ck_assert_int_eq(hl_store_sat_counts(st, HL_STORE_BY_CLOSED, day1,
					     day1 + 86400, on_sat, &b),
			 0);
	snprintf(want, sizeof(want), "20220301/%lld/0/1:1;", (long long)d1);
	ck_assert_str_eq(b.data, want);
	hl_buf_reset(&b);
	ck_assert_int_eq(
	    hl_store_hand_sums(st, 20220101, 20221201, 1, on_hand, &b), 0);
	snprintf(want, sizeof(want), "%lld/2:1/3600;", (long long)d1);
	ck_assert_str_eq(b.data, want);
	hl_buf_reset(&b);
	ck_assert_int_eq(
	    hl_store_hand_sums(st, 20220301, 20220302, 0, on_hand, &b), 0);
	ck_assert_str_eq(b.data, want);
	hl_buf_reset(&b);
	ck_assert_int_eq(
	    hl_store_hand_sums(st, 20220101, 20220301, 1, on_hand, &b), 0);
	ck_assert_int_eq(
	    hl_store_hand_sums(st, 20220302, 20221201, 1, on_hand, &b), 0);
	ck_assert_str_eq(b.data, "");
	hl_buf_release(&b);
	hl_store_free(st);
}
END_TEST

/* Topic counts summed by (day, topic, street): a driver may give one
 * several times (SQLite: a row per ticket). */
struct topic_sums {
	struct {
		int day;
		int64_t topic, street;
		long long n;
	} v[8];
	size_t n;
};

static void
on_topic(void *arg, int day, int64_t topic, int64_t street, long long n)
{
	struct topic_sums *t = arg;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].day == day && t->v[i].topic == topic &&
		    t->v[i].street == street)
			break;
	if (i == t->n) {
		ck_assert_uint_lt(t->n, 8);
		t->v[t->n].day = day;
		t->v[t->n].topic = topic;
		t->v[t->n].street = street;
		t->v[t->n++].n = 0;
	}
	t->v[i].n += n;
}

/* The sums as "day/topic/street:n;", street 0 first. */
static void
topic_text(const struct topic_sums *t, struct hl_buf *b)
{
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < t->n; i++)
			if ((t->v[i].street != 0) == pass)
				hl_buf_printf(
				    b, "%d/%lld/%lld:%lld;", t->v[i].day,
				    (long long)t->v[i].topic,
				    (long long)t->v[i].street, t->v[i].n);
}

static hl_time link_base; /* on_link prints times from it */
static int64_t link_qid;  /* the last quoted ticket's id on_link saw */

static void
on_link(void *arg, const struct hl_store_link *l)
{
	struct hl_buf *b = arg;

	hl_buf_printf(b, "%lld/%s/%s%s;", (long long)(l->accepted - link_base),
		      l->caller ? (l->caller[0] == 0xAB ? "ab" : "cd") : "-",
		      l->quoted ? l->quoted : "-", l->quoted_id ? "#" : "");
	if (l->quoted_id)
		link_qid = l->quoted_id;
}

/* The id of the last ticket scanned. */
static void
on_id(void *arg, const struct hl_store_ticket *t)
{
	*(int64_t *)arg = t->id;
}

static void
on_assess(void *arg, const struct hl_store_ticket *t)
{
	struct hl_buf *b = arg;

	hl_buf_printf(b, "%d/%lld;", t->assess, (long long)t->topic);
}

/* The detail column of EXPLAIN QUERY PLAN for sql, joined with '|'. */
static char *
plan(struct hl_store *st, const char *sql)
{
	struct hl_buf b = HL_BUF_INIT;
	sqlite3_stmt *q;
	char *text = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);

	ck_assert_int_eq(
	    sqlite3_prepare_v2(hl_store_db(st), text, -1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW)
		hl_buf_printf(&b, "%s|", sqlite3_column_text(q, 3));
	sqlite3_finalize(q);
	sqlite3_free(text);
	return hl_buf_detach(&b, NULL);
}

extern const char hl_sql_links[];
extern const char hl_sql_topic_counts[];

/*
 * The fields of schema 8: the answers and the topic read with the
 * tickets; topics counted by day, topic and street; the links of a
 * period (caller hashes, quotes, and the tickets quoted wherever they
 * are); the caller key made once and kept; the reads through indexes.
 */
/* The links of districts d[0 .. n-1] on the day from, as on_link writes
 * them, into b (reset first). */
static const char *
links_text(struct hl_store *st, const int64_t *d, size_t n, hl_time from,
	   struct hl_buf *b)
{
	hl_buf_reset(b);
	ck_assert_int_eq(
	    hl_store_links(st, d, n, from, from + 86400, on_link, b), 0);
	return b->data ? b->data : "";
}

/* The new ticket id of district, accepted at, quoting quoted (or NULL),
 * in p. */
static void
quoting(struct hl_store_put *p, const char *id, int64_t at, int64_t district,
	int64_t run, const char *quoted)
{
	row(&p->row, id, at, 0, district, 0, run);
	p->row.quoted = quoted;
	p->row.quoted_len = quoted ? strlen(quoted) : 0;
}

static void
links_case(struct hl_store *st, int sqlite)
{
	struct hl_store_put p[4];
	enum hl_store_outcome want_out = HL_PUT_UPDATED;
	unsigned char key[HL_STORE_KEY_LEN], again[HL_STORE_KEY_LEN];
	unsigned char ab[HL_CALLER_HASH_LEN], cd[HL_CALLER_HASH_LEN];
	struct hl_buf b = HL_BUF_INIT;
	struct topic_sums ts;
	int64_t run, d1, d2, s1, tp;
	hl_time mar = hl_time_make(2022, 3, 1, 9, 0, 0);
	char want[256], *pl;

	memset(ab, 0xAB, sizeof(ab));
	memset(cd, 0xCD, sizeof(cd));
	ck_assert_int_eq(hl_store_begin_write(st, 0), 0);
	ck_assert_int_eq(hl_store_caller_key(st, key), 0);
	ck_assert_int_eq(hl_store_caller_key(st, again), 0);
	ck_assert(memcmp(key, again, sizeof(key)) == 0);
	ck_assert_int_eq(hl_store_run_add(st, "a.csv", 10, "utf-8", mar, &run),
			 0);
	ck_assert_int_eq(
	    hl_store_dict_id(st, HL_DICT_DISTRICT, "荔湾区", 9, &d1), 0);
	ck_assert_int_eq(
	    hl_store_dict_id(st, HL_DICT_DISTRICT, "越秀区", 9, &d2), 0);
	ck_assert_int_eq(hl_store_dict_id(st, HL_DICT_STREET, "沙面街", 9, &s1),
			 0);
	ck_assert_int_eq(
	    hl_store_dict_id(st, HL_DICT_TOPIC, "城乡建设-物业", 19, &tp), 0);
	/* Q1 of 越秀区 in February, quoted by A (荔湾区, March), which has
	 * a caller; B has a caller only; C neither (not a link). */
	row(&p[0].row, "Q1", mar - 20 * 86400, 0, d2, 0, run);
	row(&p[1].row, "A", mar, 0, d1, 0, run);
	p[1].row.caller = ab;
	p[1].row.quoted = "Q1";
	p[1].row.quoted_len = 2;
	p[1].row.assess = 1 | 2 << 6;
	p[1].row.topic = tp;
	p[1].row.street = s1;
	row(&p[2].row, "B", mar + 60, 0, d1, 0, run);
	p[2].row.caller = cd;
	p[2].row.topic = tp;
	p[2].row.street = s1;
	row(&p[3].row, "C", mar + 120, 0, d1, 0, run);
	p[3].row.topic = tp;
	ck_assert_int_eq(hl_store_put(st, p, 4, decide_as, &want_out), 0);
	ck_assert_int_eq(hl_store_commit(st), 0);
	if (sqlite)
		ck_assert_int_eq(query_int(st, "SELECT length(value) FROM "
					       "setting WHERE key = "
					       "'caller_key'"),
				 HL_STORE_KEY_LEN);

	ck_assert_int_eq(
	    hl_store_scan(st, &d1, 1, mar, mar + 86400, 0, on_assess, &b), 0);
	snprintf(want, sizeof(want), "%d/%lld;0/%lld;0/%lld;", 1 | 2 << 6,
		 (long long)tp, (long long)tp, (long long)tp);
	ck_assert_str_eq(b.data, want);
	hl_buf_reset(&b);
	memset(&ts, 0, sizeof(ts));
	ck_assert_int_eq(hl_store_topic_counts(st, NULL, 0, mar - 86400 * 30,
					       mar + 86400, on_topic, &ts,
					       INT64_MAX, NULL, NULL),
			 0);
	/* street 0 (C) first, then 沙面街 (A, B) */
	topic_text(&ts, &b);
	snprintf(want, sizeof(want), "20220301/%lld/0:1;20220301/%lld/%lld:2;",
		 (long long)tp, (long long)tp, (long long)s1);
	ck_assert_str_eq(b.data, want);
	{
		/* The same read handing the links from a time on: the
		 * counts as before, the links as hl_store_links() gives
		 * them (Q1 and C are none). */
		struct hl_buf lb = HL_BUF_INIT;
		const char *w = b.data;
		hl_time from[3] = {mar - 86400 * 60, mar, mar + 30};
		const char *links[3] = {"0/ab/Q1#;60/cd/-;",
					"0/ab/Q1#;60/cd/-;", "60/cd/-;"};
		int i;

		link_base = mar;
		for (i = 0; i < 3; i++) {
			struct hl_buf tb = HL_BUF_INIT;

			memset(&ts, 0, sizeof(ts));
			hl_buf_reset(&lb);
			ck_assert_int_eq(
			    hl_store_topic_counts(st, NULL, 0, mar - 86400 * 30,
						  mar + 86400, on_topic, &ts,
						  from[i], on_link, &lb),
			    0);
			topic_text(&ts, &tb);
			ck_assert_str_eq(tb.data, w);
			ck_assert_str_eq(lb.data, links[i]);
			hl_buf_release(&tb);
		}
		hl_buf_release(&lb);
	}
	memset(&ts, 0, sizeof(ts));
	ck_assert_int_eq(hl_store_topic_counts(st, &d2, 1, mar - 86400 * 30,
					       mar + 86400, on_topic, &ts,
					       INT64_MAX, NULL, NULL),
			 0);
	ck_assert_uint_eq(ts.n, 0);
	/* The district's links: A quotes Q1 (of the other district, twenty
	 * days before, stored: its id kept with the quote), B has a caller
	 * only. */
	link_base = mar;
	link_qid = 0;
	ck_assert_str_eq(links_text(st, &d1, 1, mar, &b), "0/ab/Q1#;60/cd/-;");
	ck_assert_str_eq(links_text(st, NULL, 0, mar, &b), "0/ab/Q1#;60/cd/-;");
	{
		int64_t q1 = 0, bid = 0, ids[3], at[3];

		ck_assert_int_eq(hl_store_scan(st, &d2, 1, mar - 21 * 86400,
					       mar, 0, on_id, &q1),
				 0);
		ck_assert_int_gt(q1, 0);
		ck_assert_int_eq(link_qid, q1);
		ck_assert_int_eq(hl_store_scan(st, &d1, 1, mar + 60, mar + 61,
					       0, on_id, &bid),
				 0);
		ids[0] = q1;
		ids[1] = q1 + bid + 1000; /* none */
		ids[2] = bid;
		ck_assert_int_eq(hl_store_ticket_times(st, ids, 3, at), 0);
		ck_assert_int_eq(at[0], mar - 20 * 86400);
		ck_assert_int_eq(at[1], 0);
		ck_assert_int_eq(at[2], mar + 60);
	}
	/* Quotes of tickets stored later: E quotes F, a later row of the
	 * same batch; D quotes Q2, of a later load.  Each is found by the
	 * commit that stores it. */
	ck_assert_int_eq(hl_store_begin_write(st, 0), 0);
	quoting(&p[0], "D", mar + 180, d1, run, "Q2");
	quoting(&p[1], "E", mar + 240, d1, run, "F");
	quoting(&p[2], "F", mar + 300, d1, run, NULL);
	ck_assert_int_eq(hl_store_put(st, p, 3, decide_as, &want_out), 0);
	ck_assert_int_eq(hl_store_commit(st), 0);
	ck_assert_str_eq(links_text(st, &d1, 1, mar, &b),
			 "0/ab/Q1#;60/cd/-;180/-/Q2;240/-/F#;");
	ck_assert_int_eq(hl_store_begin_write(st, 0), 0);
	quoting(&p[0], "Q2", mar - 86400, d2, run, NULL);
	ck_assert_int_eq(hl_store_put(st, p, 1, decide_as, &want_out), 0);
	ck_assert_int_eq(hl_store_commit(st), 0);
	ck_assert_str_eq(links_text(st, &d1, 1, mar, &b),
			 "0/ab/Q1#;60/cd/-;180/-/Q2#;240/-/F#;");
	ck_assert_str_eq(links_text(st, &d2, 1, mar, &b), "");
	ck_assert_int_eq(hl_store_begin_write(st, 0), 0);
	ck_assert_int_eq(hl_store_caller_key(st, again), 0);
	ck_assert(memcmp(key, again, sizeof(key)) == 0);
	hl_store_rollback(st);
	hl_buf_release(&b);
	if (!sqlite)
		return;
	/* Both read through indexes, never the whole table. */
	pl = plan(st, hl_sql_links);
	ck_assert_msg(strstr(pl, "COVERING INDEX ticket_district_accepted") !=
			  NULL,
		      "%s", pl);
	ck_assert_msg(strstr(pl, "SCAN ticket") == NULL, "%s", pl);
	free(pl);
	pl = plan(st, hl_sql_topic_counts);
	ck_assert_msg(strstr(pl, "COVERING INDEX ticket_district_accepted") !=
			  NULL,
		      "%s", pl);
	ck_assert_msg(strstr(pl, "SCAN ticket") == NULL, "%s", pl);
	free(pl);
}

START_TEST(test_api_links)
{
	struct hl_store *st = open_ok(HL_STORE_WRITE);

	links_case(st, 1);
	hl_store_free(st);
}
END_TEST

/*
 * The same on PostgreSQL: run by tests/tools/check_pg.py, with an empty
 * database's URI in HL_TEST_PG_URI (the case is not one of ctest's).
 */
START_TEST(test_pg_links)
{
	const char *uri = getenv("HL_TEST_PG_URI");
	struct hl_store *st;

	ck_assert_msg(uri != NULL, "HL_TEST_PG_URI is not set");
	ck_assert_msg(hl_store_open(uri, HL_STORE_WRITE, 0, &st) == 0, "%s",
		      hl_store_errmsg(st));
	links_case(st, 0);
	hl_store_free(st);
}
END_TEST

static int problems;

static void
on_problem_count(void *arg, const char *kind, const char *detail)
{
	(void)kind;
	(void)detail;
	++*(int *)arg;
}

static int quoted_problems;

static void
on_quoted_problem(void *arg, const char *kind, const char *detail)
{
	(void)arg;
	(void)detail;
	quoted_problems += strcmp(kind, "quoted_id") == 0;
}

/* check finds a rollup that disagrees with the tickets, and quotes
 * without their tickets' ids. */
START_TEST(test_api_check)
{
	struct hl_store *st = open_ok(HL_STORE_WRITE);
	long n;

	ck_assert_int_eq(hl_store_check(st, on_problem_count, &problems), 0);
	ck_assert_int_eq(problems, 0);
	ck_assert_int_eq(hl_store_exec(st, "INSERT INTO sat_day VALUES "
					   "(20220301, 0, 0, 0, 5)"),
			 0);
	n = hl_store_check(st, on_problem_count, &problems);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(problems, 1);
	/* a quote of a stored ticket without its id, one with a wrong id */
	ck_assert_int_eq(
	    hl_store_exec(
		st, "INSERT INTO ingest_run (id, file, started_at, headers) "
		    "VALUES (1, 'a.csv', 0, '[]');"
		    "INSERT INTO ticket (id, ticket_id, accepted_at, category, "
		    "satisfaction, row_hash, run, line, quoted, quoted_id) "
		    "VALUES (1, 'X', 0, 0, 0, 0, 1, 2, NULL, NULL), "
		    "(2, 'Y', 0, 0, 0, 0, 1, 3, 'X', NULL), "
		    "(3, 'Z', 0, 0, 0, 0, 1, 4, 'X', 1), "
		    "(4, 'W', 0, 0, 0, 0, 1, 5, 'nope', 3)"),
	    0);
	quoted_problems = 0;
	ck_assert_int_gt(hl_store_check(st, on_quoted_problem, NULL), 2);
	ck_assert_int_eq(quoted_problems, 2);
	hl_store_free(st);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");

	hl_check_case(s, "open", setup, teardown, test_create,
		      test_reopen_keeps_data, test_constraints, NULL);
	hl_check_case(s, "refuse", setup, teardown, test_missing_file,
		      test_server_uri, test_empty_database_readonly,
		      test_foreign_database, test_newer_schema,
		      test_not_a_database, NULL);
	hl_check_case(s, "migrate", setup, teardown, test_migrate_step,
		      test_migrate_failure_keeps_version, test_migrate_from_v1,
		      test_migrate_from_v6, test_migrate_from_v7,
		      test_migrate_from_v8, NULL);
	hl_check_case(s, "views", setup, teardown, test_views_words, NULL);
	hl_check_case(s, "api", setup, teardown, test_api_write_and_read,
		      test_api_check, test_api_links, NULL);
	hl_check_case(s, "pg", NULL, NULL, test_pg_links, NULL);
	hl_check_case(s, "lock", setup, teardown,
		      test_second_writer_fails_clearly,
		      test_bulk_load_keeps_readers_out, NULL);
	return s;
}

HL_CHECK_MAIN(store_suite)
