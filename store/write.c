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

static int
sq_run_add(struct hl_store *st, const char *file, long long size,
	   const char *encoding, int64_t started, int64_t *run)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_RUN_ADD,
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

static int
sq_run_end(struct hl_store *st, int64_t run, const struct hl_store_run_end *e)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_RUN_END,
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

static int
sq_run_size_seen(struct hl_store *st, long long size)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_RUN_SIZE,
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

static int64_t
sq_run_with_sha(struct hl_store *st, const char *sha256)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_RUN_SHA,
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

static int
sq_dict_id(struct hl_store *st, enum hl_dict kind, const char *v, size_t n,
	   int64_t *id)
{
	sqlite3_stmt *s =
	    hl_store_stmt(st, HL_STMT_DICT_FIND,
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
	s = hl_store_stmt(st, HL_STMT_DICT_ADD,
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

static int
sq_reject_add(struct hl_store *st, const struct hl_store_reject *r)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_REJECT,
	    "INSERT INTO reject (run, file, line, col, field, reason, raw, "
	    "sheet) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
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
	if (r->sheet)
		sqlite3_bind_text(s, 8, r->sheet, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 8);
	rc = step_done(st, s);
	sqlite3_clear_bindings(s);
	return rc;
}

static int
sq_sat_add(struct hl_store *st, int64_t day, int64_t district, int is_key,
	   int sat, long long n)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_SAT_ADD,
	    "INSERT INTO sat_day (day, district, is_key, satisfaction, n) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT DO UPDATE SET n = n + excluded.n");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, day);
	sqlite3_bind_int64(s, 2, district);
	sqlite3_bind_int(s, 3, is_key);
	sqlite3_bind_int(s, 4, sat);
	sqlite3_bind_int64(s, 5, n);
	return step_done(st, s);
}

static int
sq_hand_add(struct hl_store *st, int64_t day, int64_t district, int category,
	    int start, long long n, long long secs)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_HAND_ADD,
	    "INSERT INTO hand_day (day, district, category, start, n, "
	    "secs) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	    "ON CONFLICT DO UPDATE SET n = n + excluded.n, "
	    "secs = secs + excluded.secs");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, day);
	sqlite3_bind_int64(s, 2, district);
	sqlite3_bind_int(s, 3, category);
	sqlite3_bind_int(s, 4, start);
	sqlite3_bind_int64(s, 5, n);
	sqlite3_bind_int64(s, 6, secs);
	return step_done(st, s);
}

static int
sq_rollups_tidy(struct hl_store *st)
{
	sqlite3_stmt *s = hl_store_stmt(st, HL_STMT_SAT_TIDY,
					"DELETE FROM sat_day WHERE n = 0");

	if (s == NULL || step_done(st, s) != 0)
		return -1;
	s = hl_store_stmt(st, HL_STMT_HAND_TIDY,
			  "DELETE FROM hand_day WHERE n = 0");
	return s == NULL ? -1 : step_done(st, s);
}

/* The ticket's columns, bound as ?1 ... ?32 by bind_row(), and the
 * quoted ticket's id, when it is stored (those written later in the load
 * are found by sq_commit()). */
#define TICKET_COLS                                                            \
	"accepted_at, dispatched_at, signed_at, deadline_at, closed_at, "      \
	"district, street, unit, channel, category_raw, category, key_raw, "   \
	"is_key, satisfaction_raw, satisfaction, status_raw, status, "         \
	"reopen_raw, reopen_count, quality, row_hash, run, line, ticket_id, "  \
	"content, extra, extra_run, updated_at, assess, topic, caller, "       \
	"quoted, quoted_id"
#define QUOTED_ID                                                              \
	"CASE WHEN ?32 IS NOT NULL THEN (SELECT q.id FROM ticket AS q "        \
	"WHERE q.ticket_id = ?32) END"

static void
bind_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

static void
bind_int_or_null(sqlite3_stmt *s, int i, int v)
{
	if (v < 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int(s, i, v);
}

/* Binds r as ?1 ... ?32 of TICKET_COLS; the texts stay r's. */
static void
bind_row(sqlite3_stmt *s, const struct hl_store_row *r)
{
	int i;

	for (i = 0; i < HL_STORE_NT; i++)
		if (r->has >> i & 1)
			sqlite3_bind_int64(s, 1 + i, r->t[i]);
		else
			sqlite3_bind_null(s, 1 + i);
	bind_id(s, 6, r->district);
	bind_id(s, 7, r->street);
	bind_id(s, 8, r->unit);
	bind_id(s, 9, r->channel);
	bind_id(s, 10, r->category_raw);
	sqlite3_bind_int(s, 11, r->category);
	bind_id(s, 12, r->key_raw);
	bind_int_or_null(s, 13, r->is_key);
	bind_id(s, 14, r->sat_raw);
	sqlite3_bind_int(s, 15, r->sat);
	bind_id(s, 16, r->status_raw);
	bind_int_or_null(s, 17, r->status);
	bind_id(s, 18, r->reopen_raw);
	bind_int_or_null(s, 19, r->reopen);
	sqlite3_bind_int(s, 20, (int)r->quality);
	sqlite3_bind_int64(s, 21, r->row_hash);
	sqlite3_bind_int64(s, 22, r->run);
	sqlite3_bind_int64(s, 23, (sqlite3_int64)r->line);
	sqlite3_bind_text(s, 24, r->ticket_id, (int)r->ticket_id_len,
			  SQLITE_STATIC);
	if (r->content)
		sqlite3_bind_text(s, 25, r->content, (int)r->content_len,
				  SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 25);
	if (r->extra) {
		sqlite3_bind_text(s, 26, r->extra, (int)r->extra_len,
				  SQLITE_STATIC);
		sqlite3_bind_int64(s, 27, r->run);
	} else {
		sqlite3_bind_null(s, 26);
		sqlite3_bind_null(s, 27);
	}
	if (r->has_updated)
		sqlite3_bind_int64(s, 28, r->updated_at);
	else
		sqlite3_bind_null(s, 28);
	bind_int_or_null(s, 29, r->assess);
	bind_id(s, 30, r->topic);
	if (r->caller)
		sqlite3_bind_blob(s, 31, r->caller, HL_CALLER_HASH_LEN,
				  SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 31);
	if (r->quoted)
		sqlite3_bind_text(s, 32, r->quoted, (int)r->quoted_len,
				  SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 32);
}

static int
ticket_insert(struct hl_store *st, const struct hl_store_row *r, int *inserted)
{
	/* A new ticket is the common case: try it first. */
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_TICKET_INSERT,
	    "INSERT INTO ticket (" TICKET_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
	    "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, "
	    "?32, " QUOTED_ID ") ON CONFLICT (ticket_id) DO NOTHING");

	*inserted = 0;
	if (s == NULL)
		return -1;
	bind_row(s, r);
	if (step_done(st, s) != 0)
		return -1;
	*inserted = sqlite3_changes(hl_store_db(st)) == 1;
	return 0;
}

static int
ticket_find(struct hl_store *st, const char *id, size_t n,
	    struct hl_store_stored *out)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_TICKET_FIND,
	    "SELECT id, row_hash, run, line, accepted_at, "
	    "coalesce(district, 0), coalesce(is_key, 0), satisfaction, "
	    "dispatched_at, closed_at, category, quality, updated_at, "
	    "reopen_count FROM ticket WHERE ticket_id = ?1");
	int rc;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, id, (int)n, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			hl_store_sql_fail(st);
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	out->id = sqlite3_column_int64(s, 0);
	out->row_hash = sqlite3_column_int64(s, 1);
	out->run = sqlite3_column_int64(s, 2);
	out->line = sqlite3_column_int64(s, 3);
	out->accepted = sqlite3_column_int64(s, 4);
	out->district = sqlite3_column_int64(s, 5);
	out->is_key = sqlite3_column_int(s, 6);
	out->sat = sqlite3_column_int(s, 7);
	out->has_dispatched = sqlite3_column_type(s, 8) != SQLITE_NULL;
	out->dispatched = sqlite3_column_int64(s, 8);
	out->has_closed = sqlite3_column_type(s, 9) != SQLITE_NULL;
	out->closed = sqlite3_column_int64(s, 9);
	out->category = sqlite3_column_int(s, 10);
	out->quality = sqlite3_column_int(s, 11);
	out->has_updated = sqlite3_column_type(s, 12) != SQLITE_NULL;
	out->updated = sqlite3_column_int64(s, 12);
	out->reopen = sqlite3_column_type(s, 13) == SQLITE_NULL
			  ? -1
			  : sqlite3_column_int(s, 13);
	sqlite3_reset(s);
	return 1;
}

static int
ticket_update(struct hl_store *st, int64_t id, const struct hl_store_row *r)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_TICKET_UPDATE,
	    "UPDATE ticket SET (" TICKET_COLS ") = (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
	    "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, "
	    "?32, " QUOTED_ID ") WHERE id = ?33");

	if (s == NULL)
		return -1;
	bind_row(s, r);
	sqlite3_bind_int64(s, 33, id);
	return step_done(st, s);
}

static int
ticket_touch(struct hl_store *st, int64_t id, int64_t run, unsigned long line)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_TICKET_TOUCH,
	    "UPDATE ticket SET run = ?1, line = ?2 WHERE id = ?3");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, run);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)line);
	sqlite3_bind_int64(s, 3, id);
	return step_done(st, s);
}

/*
 * One row at a time: SQLite is in the process, so a statement per row
 * costs no round trip.  A new ticket is the common case: it is tried
 * first, and only a ticket already there is read back for decide().
 */
static int
sq_put(struct hl_store *st, struct hl_store_put *v, size_t n,
       hl_store_decide_fn *decide, void *arg)
{
	size_t i;
	int inserted;

	for (i = 0; i < n; i++) {
		struct hl_store_put *p = &v[i];

		p->why = 0;
		if (ticket_insert(st, &p->row, &inserted) != 0)
			return -1;
		if (inserted) {
			p->outcome = HL_PUT_INSERTED;
			continue;
		}
		if (ticket_find(st, p->row.ticket_id, p->row.ticket_id_len,
				&p->old) != 1)
			return -1;
		p->outcome = decide(arg, p);
		if (p->outcome == HL_PUT_UPDATED &&
		    ticket_update(st, p->old.id, &p->row) != 0)
			return -1;
		if (p->outcome == HL_PUT_UNCHANGED &&
		    ticket_touch(st, p->old.id, p->row.run, p->row.line) != 0)
			return -1;
	}
	return 0;
}

static int
sq_foreign_keys(struct hl_store *st, int on, int *was)
{
	sqlite3_stmt *q;

	*was = 0;
	if (sqlite3_prepare_v2(hl_store_db(st), "PRAGMA foreign_keys", -1, &q,
			       NULL) != SQLITE_OK)
		return hl_store_sql_fail(st);
	*was = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
	sqlite3_finalize(q);
	return hl_store_exec(st, on ? "PRAGMA foreign_keys = ON"
				    : "PRAGMA foreign_keys = OFF");
}

static int
sq_setting_get(struct hl_store *st, const char *name, struct hl_buf *v,
	       int *found)
{
	sqlite3_stmt *s =
	    hl_store_stmt(st, HL_STMT_SETTING_GET,
			  "SELECT value FROM setting WHERE key = ?1");
	int rc;

	*found = 0;
	hl_buf_reset(v);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*found = 1;
		hl_buf_add(v, sqlite3_column_blob(s, 0),
			   (size_t)sqlite3_column_bytes(s, 0));
		rc = SQLITE_DONE;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : hl_store_sql_fail(st);
}

static int
sq_setting_put(struct hl_store *st, const char *name, const void *v, size_t n)
{
	sqlite3_stmt *s = hl_store_stmt(
	    st, HL_STMT_SETTING_PUT,
	    "INSERT INTO setting (key, value) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, v, (int)n, SQLITE_STATIC);
	rc = step_done(st, s);
	sqlite3_clear_bindings(s);
	return rc;
}

const struct hl_store_writes hl_sqlite_writes = {
    sq_run_add,      sq_run_end,    sq_run_size_seen, sq_run_with_sha,
    sq_dict_id,      sq_reject_add, sq_sat_add,       sq_hand_add,
    sq_rollups_tidy, sq_put,        sq_foreign_keys,  sq_setting_get,
    sq_setting_put,
};
