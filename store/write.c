/*
 * write.c - what ingest writes besides the tickets: its runs, the
 * dictionary of raw spellings, the rejected records and the two rollups.
 * Every statement is prepared once and kept (hl_store_stmt()).
 */
#include <stdlib.h>
#include <string.h>

#include "store/priv.h"

/* Steps s once and resets it: 0 when it ran to the end, else -1. */
static int
step_done(struct hl_store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE) {
		hl_store_sql_fail(st);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

int
hl_store_run_add(struct hl_store *st, const char *file, long long size,
		 const char *encoding, int64_t started, int64_t *run)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STORE_Q_RUN_ADD,
	    "INSERT INTO ingest_run (file, size, encoding, started_at) "
	    "VALUES (?1, ?2, ?3, ?4)");

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, file, -1, SQLITE_STATIC);
	if (size >= 0)
		sqlite3_bind_int64(s, 2, size);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_text(s, 3, encoding, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, started);
	if (step_done(st, s) != 0)
		return -1;
	sqlite3_clear_bindings(s);
	*run = sqlite3_last_insert_rowid(hl_store_db(st));
	return 0;
}

int
hl_store_run_end(struct hl_store *st, int64_t run,
		 const struct hl_store_run_end *e)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STORE_Q_RUN_END,
	    "UPDATE ingest_run SET finished_at = ?2, status = ?3, "
	    "rows_read = ?4, rows_inserted = ?5, rows_updated = ?6, "
	    "rows_unchanged = ?7, rows_rejected = ?8, rows_flagged = ?9, "
	    "encoding = ?10, headers = ?11, extra_headers = ?12, "
	    "sha256 = ?13 WHERE id = ?1");

	if (s == NULL) {
		free(e->headers);
		free(e->extra_headers);
		return -1;
	}
	sqlite3_bind_int64(s, 1, run);
	sqlite3_bind_int64(s, 2, e->finished);
	sqlite3_bind_text(s, 3, "done", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)e->read);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)e->inserted);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)e->updated);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)e->unchanged);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)e->rejected);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)e->flagged);
	sqlite3_bind_text(s, 10, e->encoding, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, e->headers, -1, free);
	if (e->extra_headers)
		sqlite3_bind_text(s, 12, e->extra_headers, -1, free);
	else
		sqlite3_bind_null(s, 12);
	sqlite3_bind_text(s, 13, e->sha256, -1, SQLITE_STATIC);
	return step_done(st, s);
}

int
hl_store_run_size_seen(struct hl_store *st, long long size)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STORE_Q_RUN_SIZE,
	    "SELECT 1 FROM ingest_run WHERE size = ?1 AND status = 'done' "
	    "AND sha256 IS NOT NULL");
	int seen;

	if (s == NULL)
		return 0;
	sqlite3_bind_int64(s, 1, size);
	seen = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return seen;
}

int64_t
hl_store_run_with_sha(struct hl_store *st, const char *sha256)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STORE_Q_RUN_SHA,
	    "SELECT id FROM ingest_run WHERE sha256 = ?1 AND status = 'done' "
	    "ORDER BY id LIMIT 1");
	int64_t id = 0;

	if (s == NULL)
		return 0;
	sqlite3_bind_text(s, 1, sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return id;
}

int
hl_store_dict_id(struct hl_store *st, enum hl_store_dict kind, const char *v,
		 size_t n, int64_t *id)
{
	sqlite3_stmt *s =
	    hl_store_stmt(st, HL_STORE_Q_DICT_FIND,
			  "SELECT id FROM dict WHERE kind = ?1 AND value = ?2");

	*id = 0;
	if (s == NULL)
		return -1;
	sqlite3_bind_int(s, 1, (int)kind);
	sqlite3_bind_text(s, 2, v, (int)n, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (*id != 0)
		return 0;
	s = hl_store_stmt(st, HL_STORE_Q_DICT_ADD,
			  "INSERT INTO dict (kind, value) VALUES (?1, ?2)");
	if (s == NULL)
		return -1;
	sqlite3_bind_int(s, 1, (int)kind);
	sqlite3_bind_text(s, 2, v, (int)n, SQLITE_STATIC);
	if (step_done(st, s) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(hl_store_db(st));
	return 0;
}

int
hl_store_reject_add(struct hl_store *st, const struct hl_store_reject *r)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STORE_Q_REJECT,
	    "INSERT INTO reject (run, file, line, col, field, reason, raw) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, r->run);
	sqlite3_bind_text(s, 2, r->file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)r->line);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)r->col);
	if (r->field)
		sqlite3_bind_text(s, 5, r->field, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 5);
	sqlite3_bind_text(s, 6, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 7, r->raw, (int)r->rawlen, SQLITE_STATIC);
	rc = step_done(st, s);
	sqlite3_clear_bindings(s);
	return rc;
}

int
hl_store_sat_add(struct hl_store *st, int64_t month, int64_t district,
		 int is_key, int sat, long long n)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STORE_Q_SAT_ADD,
	    "INSERT INTO sat_month (month, district, is_key, satisfaction, n) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT DO UPDATE SET n = n + excluded.n");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, month);
	sqlite3_bind_int64(s, 2, district);
	sqlite3_bind_int(s, 3, is_key);
	sqlite3_bind_int(s, 4, sat);
	sqlite3_bind_int64(s, 5, n);
	return step_done(st, s);
}

int
hl_store_hand_add(struct hl_store *st, int64_t month, int64_t district,
		  int category, int start, long long n, long long secs)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STORE_Q_HAND_ADD,
	    "INSERT INTO hand_month (month, district, category, start, n, "
	    "secs) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	    "ON CONFLICT DO UPDATE SET n = n + excluded.n, "
	    "secs = secs + excluded.secs");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, month);
	sqlite3_bind_int64(s, 2, district);
	sqlite3_bind_int(s, 3, category);
	sqlite3_bind_int(s, 4, start);
	sqlite3_bind_int64(s, 5, n);
	sqlite3_bind_int64(s, 6, secs);
	return step_done(st, s);
}

int
hl_store_rollups_tidy(struct hl_store *st)
{
	sqlite3_stmt *s = hl_store_stmt(st, HL_STORE_Q_SAT_TIDY,
					"DELETE FROM sat_month WHERE n = 0");

	if (s == NULL || step_done(st, s) != 0)
		return -1;
	s = hl_store_stmt(st, HL_STORE_Q_HAND_TIDY,
			  "DELETE FROM hand_month WHERE n = 0");
	return s == NULL ? -1 : step_done(st, s);
}
