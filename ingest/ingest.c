/*
 * ingest.c - one export file into the store: header mapping, per-record
 * validation and normalisation, the upsert by ticket ID, rejects and the
 * ingest run's counts.
 *
 * The short prepared statements stay beside the code that binds them;
 * queries meant to be read and run by hand live in .sql files.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest/ingest.h"
#include "ingest/mapping.h"
#include "ingest/reader.h"

/* Data-quality flags (schema.sql, ticket.quality). */
enum {
	Q_CLOSED_BEFORE = 1,
	Q_DEADLINE_BEFORE = 2,
	Q_FUTURE = 4,
	Q_CATEGORY = 8,
	Q_SATISFACTION = 16,
	Q_STATUS = 32,
	Q_CALENDAR = 64
};

/* dict kinds (schema.sql). */
enum {
	D_DISTRICT = 1,
	D_STREET,
	D_UNIT,
	D_CHANNEL,
	D_CATEGORY,
	D_SATISFACTION,
	D_STATUS,
	D_KEY
};

enum stmt {
	S_FIND,
	S_INSERT,
	S_UPDATE,
	S_TOUCH,
	S_TEXT_PUT,
	S_DICT_FIND,
	S_DICT_ADD,
	S_REJECT,
	S_RUN_ADD,
	S_RUN_END,
	S_RUN_SHA,
	N_STMT
};

static const char *const stmt_sql[N_STMT] = {
    [S_FIND] = "SELECT id, row_hash, run, line FROM ticket "
	       "WHERE ticket_id = ?1",
    [S_INSERT] = "INSERT INTO ticket (accepted_at, dispatched_at, signed_at, "
		 "deadline_at, closed_at, district, street, unit, channel, "
		 "category_raw, category, is_key, satisfaction_raw, "
		 "satisfaction, status_raw, status, reopen_count, quality, "
		 "row_hash, run, line, ticket_id) VALUES (?1, ?2, ?3, ?4, ?5, "
		 "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
		 "?19, ?20, ?21, ?22)",
    [S_UPDATE] =
	"UPDATE ticket SET accepted_at = ?1, dispatched_at = ?2, "
	"signed_at = ?3, deadline_at = ?4, closed_at = ?5, "
	"district = ?6, street = ?7, unit = ?8, channel = ?9, "
	"category_raw = ?10, category = ?11, is_key = ?12, "
	"satisfaction_raw = ?13, satisfaction = ?14, status_raw = ?15, "
	"status = ?16, reopen_count = ?17, quality = ?18, "
	"row_hash = ?19, run = ?20, line = ?21 WHERE ticket_id = ?22",
    [S_TOUCH] = "UPDATE ticket SET run = ?1, line = ?2 WHERE id = ?3",
    [S_TEXT_PUT] = "INSERT OR REPLACE INTO ticket_text (id, content, raw, "
		   "raw_run) VALUES (?1, ?2, ?3, ?4)",
    [S_DICT_FIND] = "SELECT id FROM dict WHERE kind = ?1 AND value = ?2",
    [S_DICT_ADD] = "INSERT INTO dict (kind, value) VALUES (?1, ?2)",
    [S_REJECT] = "INSERT INTO reject (run, file, line, col, field, reason, "
		 "raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_RUN_ADD] = "INSERT INTO ingest_run (file, size, encoding, started_at, "
		  "sha256) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_RUN_SHA] = "SELECT id FROM ingest_run WHERE sha256 = ?1 AND "
		  "status = 'done' ORDER BY id LIMIT 1",
    [S_RUN_END] = "UPDATE ingest_run SET finished_at = ?2, status = ?3, "
		  "rows_read = ?4, rows_inserted = ?5, rows_updated = ?6, "
		  "rows_unchanged = ?7, rows_rejected = ?8, rows_flagged = ?9, "
		  "encoding = ?10, headers = ?11 WHERE id = ?1",
};

/* A small cache of dict ids: repeated strings are the common case. */
struct dent {
	char *key; /* kind byte + value */
	size_t len;
	int64_t id;
};

struct hl_ingest {
	struct hl_store *st;
	sqlite3 *db;
	struct hl_diag *diag;
	struct hl_mapping *map;
	struct hl_ingest_opts o;
	enum hl_encoding enc;
	sqlite3_stmt *s[N_STMT];
	struct dent *dict;
	size_t ndict, dict_cap;
	int errcode;
	struct hl_buf err, tmp;

	/* the file being read */
	const char *file;
	int64_t run;
	struct hl_columns cols;
	char **headers;
	size_t ncols;
	struct hl_ingest_stats stats;
	int reject_failed; /* a reject could not be stored */
	hl_time now;       /* "the future" for this file starts a day after */
};

const char *
hl_ingest_strerror(int err)
{
	switch (err) {
	case HL_INGEST_OK:
		return "success";
	case HL_INGEST_EPARSE:
		return "malformed record";
	case HL_INGEST_ESCHEMA:
		return "required column missing";
	case HL_INGEST_EIO:
		return "cannot read input";
	case HL_INGEST_EMAP:
		return "bad mapping";
	case HL_INGEST_ESTORE:
		return "database error";
	case HL_INGEST_ELIMIT:
		return "too many errors";
	default:
		return "unknown error";
	}
}

static int fail(struct hl_ingest *in, int code, const char *fmt, ...)
    HL_PRINTF(3, 4);

static int
fail(struct hl_ingest *in, int code, const char *fmt, ...)
{
	va_list ap;

	in->errcode = code;
	hl_buf_reset(&in->err);
	va_start(ap, fmt);
	hl_buf_vprintf(&in->err, fmt, ap);
	va_end(ap);
	return -1;
}

static int
db_fail(struct hl_ingest *in)
{
	return fail(in, HL_INGEST_ESTORE, "database: %s",
		    sqlite3_errmsg(in->db));
}

const char *
hl_ingest_errmsg(const struct hl_ingest *in)
{
	return in->err.len ? in->err.data : hl_ingest_strerror(in->errcode);
}

int
hl_ingest_errcode(const struct hl_ingest *in)
{
	return in->errcode;
}

int
hl_ingest_open(struct hl_store *st, const struct hl_ingest_opts *o,
	       struct hl_diag *diag, struct hl_ingest **out)
{
	struct hl_ingest *in = hl_xcalloc(1, sizeof(*in));
	const char *enc = o->encoding ? o->encoding : "auto";
	int i;

	*out = in;
	in->st = st;
	in->db = hl_store_db(st);
	in->diag = diag;
	in->o = *o;
	hl_buf_init(&in->err);
	hl_buf_init(&in->tmp);
	hl_columns_init(&in->cols);
	if (strcmp(enc, "auto") == 0)
		in->enc = HL_ENCODING_AUTO;
	else if (strcmp(enc, "utf-8") == 0 || strcmp(enc, "utf8") == 0)
		in->enc = HL_ENCODING_UTF8;
	else if (strcmp(enc, "gb18030") == 0 || strcmp(enc, "gbk") == 0)
		in->enc = HL_ENCODING_GB18030;
	else
		return fail(in, HL_INGEST_EMAP,
			    "unknown encoding '%s' (auto, utf-8 or gb18030)",
			    enc);
	in->map = hl_mapping_new();
	if (o->mapping && hl_mapping_load(in->map, o->mapping) != 0)
		return fail(in, HL_INGEST_EMAP, "%s",
			    hl_mapping_errmsg(in->map));
	for (i = 0; i < N_STMT; i++)
		if (sqlite3_prepare_v3(in->db, stmt_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &in->s[i],
				       NULL) != SQLITE_OK)
			return db_fail(in);
	return 0;
}

static void
dict_clear(struct hl_ingest *in)
{
	size_t i;

	for (i = 0; i < in->dict_cap; i++)
		free(in->dict[i].key);
	free(in->dict);
	in->dict = NULL;
	in->ndict = in->dict_cap = 0;
}

void
hl_ingest_free(struct hl_ingest *in)
{
	int i;

	if (in == NULL)
		return;
	for (i = 0; i < N_STMT; i++)
		sqlite3_finalize(in->s[i]);
	dict_clear(in);
	hl_mapping_free(in->map);
	hl_columns_release(&in->cols);
	hl_buf_release(&in->err);
	hl_buf_release(&in->tmp);
	free(in);
}

/* ---- dict ---- */

static uint64_t
fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ull;
	return h;
}

/* The dict id of (kind, value), adding it when new; 0 on a DB error. */
static int64_t
dict_id(struct hl_ingest *in, int kind, const char *v, size_t n)
{
	char kb = (char)kind;
	uint64_t h = fnv(v, n, fnv(&kb, 1, 0xcbf29ce484222325ull));
	size_t i, mask;
	sqlite3_stmt *s;
	int64_t id = 0;

	if (in->ndict * 10 >= in->dict_cap * 7) {
		struct dent *old = in->dict;
		size_t oldcap = in->dict_cap;

		in->dict_cap = oldcap ? oldcap * 2 : 1024;
		in->dict = hl_xcalloc(in->dict_cap, sizeof(*in->dict));
		for (i = 0; i < oldcap; i++) {
			if (old[i].key == NULL)
				continue;
			mask = in->dict_cap - 1;
			h = fnv(old[i].key, old[i].len, 0xcbf29ce484222325ull);
			for (h &= mask; in->dict[h].key; h = (h + 1) & mask)
				;
			in->dict[h] = old[i];
		}
		free(old);
		h = fnv(v, n, fnv(&kb, 1, 0xcbf29ce484222325ull));
	}
	mask = in->dict_cap - 1;
	for (i = h & mask; in->dict[i].key; i = (i + 1) & mask)
		if (in->dict[i].len == n + 1 && in->dict[i].key[0] == kb &&
		    memcmp(in->dict[i].key + 1, v, n) == 0)
			return in->dict[i].id;
	s = in->s[S_DICT_FIND];
	sqlite3_bind_int(s, 1, kind);
	sqlite3_bind_text(s, 2, v, (int)n, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (id == 0) {
		s = in->s[S_DICT_ADD];
		sqlite3_bind_int(s, 1, kind);
		sqlite3_bind_text(s, 2, v, (int)n, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sqlite3_reset(s);
			return 0;
		}
		sqlite3_reset(s);
		id = sqlite3_last_insert_rowid(in->db);
	}
	in->dict[i].key = hl_xmalloc(n + 2);
	in->dict[i].key[0] = kb;
	memcpy(in->dict[i].key + 1, v, n);
	in->dict[i].key[n + 1] = '\0';
	in->dict[i].len = n + 1;
	in->dict[i].id = id;
	in->ndict++;
	return id;
}

/* ---- one record ---- */

struct row {
	const char *v[HL_F_COUNT]; /* trimmed values, NULL when absent/empty */
	size_t n[HL_F_COUNT];
	int has_time[HL_F_COUNT];
	hl_time t[HL_F_COUNT];
	int category, category_known, satisfaction, satisfaction_known;
	int status, status_known, is_key, reopen;
	unsigned quality;
	int idlen; /* how much of the ID messages quote (at most 40 bytes) */
};

static void
reject(struct hl_ingest *in, const struct hl_record *rec, struct hl_pos pos,
       const char *field, const char *reason)
{
	sqlite3_stmt *s = in->s[S_REJECT];

	sqlite3_bind_int64(s, 1, in->run);
	sqlite3_bind_text(s, 2, in->file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)rec->start.line);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)pos.col);
	if (field)
		sqlite3_bind_text(s, 5, field, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 5);
	sqlite3_bind_text(s, 6, reason, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 7, rec->raw, (int)rec->rawlen, SQLITE_TRANSIENT);
	/* A reject that cannot be kept fails the file: nothing is lost
	 * silently. */
	if (sqlite3_step(s) != SQLITE_DONE && !in->reject_failed) {
		in->reject_failed = 1;
		db_fail(in);
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	in->stats.rejected++;
}

/*
 * Reports and rejects a record; the position is the offending field's.
 * kind groups the messages for flood control (NULL: the format does).
 */
static void reject_as(struct hl_ingest *in, const struct hl_record *rec,
		      struct hl_pos pos, const char *field, const char *kind,
		      const char *fmt, ...) HL_PRINTF(6, 7);
#define reject_at(in, rec, pos, field, ...)                                    \
	reject_as(in, rec, pos, field, NULL, __VA_ARGS__)

static void
reject_as(struct hl_ingest *in, const struct hl_record *rec, struct hl_pos pos,
	  const char *field, const char *kind, const char *fmt, ...)
{
	va_list ap, cp;

	hl_buf_reset(&in->tmp);
	va_start(ap, fmt);
	va_copy(cp, ap);
	hl_buf_vprintf(&in->tmp, fmt, ap);
	hl_diag_vreport(in->diag, HL_ERROR, in->file, pos, kind, fmt, cp);
	va_end(cp);
	va_end(ap);
	reject(in, rec, pos, field, in->tmp.data);
}

static void
warn_at(struct hl_ingest *in, struct hl_pos pos, const char *kind,
	const char *id, const char *detail)
{
	hl_diag_report(in->diag, HL_WARNING, in->file, pos, "%s: ticket '%s'%s",
		       kind, id, detail);
}

static hl_time
now_cst(const struct hl_ingest *in)
{
	return in->o.now ? in->o.now : (hl_time)time(NULL) + 8 * 3600;
}

/*
 * Reads the record's cells into r.  Returns 0, or -1 after rejecting the
 * record.
 */
static int
read_row(struct hl_ingest *in, const struct hl_record *rec, struct row *r)
{
	int f;

	memset(r, 0, sizeof(*r));
	for (f = 0; f < HL_F_COUNT; f++) {
		long c = in->cols.col[f];
		const char *v;
		size_t n;

		if (c < 0)
			continue;
		v = rec->field[c];
		n = rec->len[c];
		hl_map_trim(&v, &n);
		if (f == HL_F_CONTENT ? n == 0 : hl_map_is_empty(v, n))
			continue;
		r->v[f] = v;
		r->n[f] = n;
	}
	if (r->v[HL_F_TICKET_ID] == NULL) {
		reject_at(in, rec, rec->pos[in->cols.col[HL_F_TICKET_ID]],
			  in->headers[in->cols.col[HL_F_TICKET_ID]],
			  "empty ticket ID in '%s'",
			  in->headers[in->cols.col[HL_F_TICKET_ID]]);
		return -1;
	}
	r->idlen = (int)(r->n[HL_F_TICKET_ID] > 40 ? 40 : r->n[HL_F_TICKET_ID]);
	for (f = 0; f < HL_F_COUNT; f++) {
		const char *fmt, *err;
		long c = in->cols.col[f];
		int rc;

		if (!hl_field_is_time((enum hl_field)f) || c < 0)
			continue;
		if (r->v[f] == NULL) {
			if (!hl_field_required((enum hl_field)f))
				continue;
			reject_at(in, rec, rec->pos[c], in->headers[c],
				  "'%s' is empty", in->headers[c]);
			return -1;
		}
		fmt = hl_mapping_date_format(in->map, (enum hl_field)f);
		rc =
		    fmt ? hl_time_parse_fmt(r->v[f], r->n[f], fmt, &r->t[f],
					    &err)
			: hl_time_parse(r->v[f], r->n[f], &r->t[f], NULL, &err);
		if (rc != 0) {
			reject_at(in, rec, rec->pos[c], in->headers[c],
				  "'%s' is not a valid date-time: '%.*s' (%s)",
				  in->headers[c],
				  (int)(r->n[f] > 60 ? 60 : r->n[f]), r->v[f],
				  err);
			return -1;
		}
		r->has_time[f] = 1;
	}
	r->category = HL_CAT_OTHER;
	r->category_known = 1;
	if (r->v[HL_F_CATEGORY])
		r->category = (int)hl_mapping_category(
		    in->map, r->v[HL_F_CATEGORY], r->n[HL_F_CATEGORY],
		    &r->category_known);
	r->satisfaction = HL_SAT_NOT_EVALUATED;
	r->satisfaction_known = 1;
	if (r->v[HL_F_SATISFACTION])
		r->satisfaction = (int)hl_mapping_satisfaction(
		    in->map, r->v[HL_F_SATISFACTION], r->n[HL_F_SATISFACTION],
		    &r->satisfaction_known);
	r->status = HL_ST_UNKNOWN;
	r->status_known = 1;
	if (r->v[HL_F_STATUS])
		r->status =
		    (int)hl_mapping_status(in->map, r->v[HL_F_STATUS],
					   r->n[HL_F_STATUS], &r->status_known);
	r->is_key = r->v[HL_F_IS_KEY]
			? hl_mapping_yesno(in->map, r->v[HL_F_IS_KEY],
					   r->n[HL_F_IS_KEY])
			: HL_YESNO_UNKNOWN;
	r->reopen = r->v[HL_F_REOPEN_COUNT]
			? hl_mapping_reopen(in->map, r->v[HL_F_REOPEN_COUNT],
					    r->n[HL_F_REOPEN_COUNT])
			: HL_REOPEN_ABSENT;
	return 0;
}

/* Data-quality flags, each with one warning. */
static void
judge(struct hl_ingest *in, const struct hl_record *rec, struct row *r)
{
	struct hl_pos at = rec->start;
	char id[64];
	int f, y, m, d;

	snprintf(id, sizeof(id), "%.*s", r->idlen, r->v[HL_F_TICKET_ID]);
	if (r->has_time[HL_F_CLOSED_AT] &&
	    r->t[HL_F_CLOSED_AT] < r->t[HL_F_ACCEPTED_AT]) {
		r->quality |= Q_CLOSED_BEFORE;
		warn_at(in, rec->pos[in->cols.col[HL_F_CLOSED_AT]],
			"closed before accepted", id,
			"; kept out of handling time");
	}
	if (r->has_time[HL_F_DEADLINE_AT] && r->has_time[HL_F_DISPATCHED_AT] &&
	    r->t[HL_F_DEADLINE_AT] < r->t[HL_F_DISPATCHED_AT]) {
		r->quality |= Q_DEADLINE_BEFORE;
		warn_at(in, rec->pos[in->cols.col[HL_F_DEADLINE_AT]],
			"deadline before dispatch", id, "");
	}
	for (f = 0; f < HL_F_COUNT; f++)
		if (r->has_time[f] && r->t[f] > in->now + 86400) {
			r->quality |= Q_FUTURE;
			warn_at(in, rec->pos[in->cols.col[f]],
				"a time in the future", id, "");
			break;
		}
	if (!r->category_known) {
		r->quality |= Q_CATEGORY;
		warn_at(in, rec->pos[in->cols.col[HL_F_CATEGORY]],
			"unknown category, classed 其他", id, "");
	}
	if (!r->satisfaction_known) {
		r->quality |= Q_SATISFACTION;
		warn_at(in, rec->pos[in->cols.col[HL_F_SATISFACTION]],
			"unknown satisfaction value, taken as not evaluated",
			id, "");
	}
	if (!r->status_known) {
		r->quality |= Q_STATUS;
		warn_at(in, rec->pos[in->cols.col[HL_F_STATUS]],
			"unknown status", id, "");
	}
	hl_civil_from_days(r->t[HL_F_ACCEPTED_AT] / 86400, &y, &m, &d);
	if (y < HL_CAL_FIRST_YEAR || y > HL_CAL_LAST_YEAR) {
		r->quality |= Q_CALENDAR;
		warn_at(in, at, "outside the working-day calendar", id,
			"; working-time figures will not cover it");
	}
	if (r->quality)
		in->stats.flagged++;
}

static void
bind_time(sqlite3_stmt *s, int i, const struct row *r, int f)
{
	if (r->has_time[f])
		sqlite3_bind_int64(s, i, r->t[f]);
	else
		sqlite3_bind_null(s, i);
}

static int
bind_dict(struct hl_ingest *in, sqlite3_stmt *s, int i, const struct row *r,
	  int f, int kind)
{
	int64_t id;

	if (r->v[f] == NULL) {
		sqlite3_bind_null(s, i);
		return 0;
	}
	id = dict_id(in, kind, r->v[f], r->n[f]);
	if (id == 0)
		return -1;
	sqlite3_bind_int64(s, i, id);
	return 0;
}

/*
 * JSON array of n cells (as read, mapped or not; columns with the same
 * header all kept).  Caller frees with free().
 */
static char *
cells_json(char **cell, const size_t *len, size_t n)
{
	json_t *a = json_array();
	char *text;
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(
		    a, json_stringn(cell[i], len ? len[i] : strlen(cell[i])));
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (text == NULL)
		hl_oom(0);
	return text;
}

static uint64_t
record_hash(const struct hl_record *rec)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < rec->nfields; i++)
		h = fnv("\x1f", 1, fnv(rec->field[i], rec->len[i], h));
	return h;
}

/* Stores one readable record. */
static int
store_row(struct hl_ingest *in, const struct hl_record *rec, struct row *r)
{
	sqlite3_stmt *s = in->s[S_FIND];
	int64_t hash = (int64_t)record_hash(rec), id = 0, old_run = 0;
	int64_t old_hash = 0, old_line = 0;
	int found = 0, rc;
	char *json;

	sqlite3_bind_text(s, 1, r->v[HL_F_TICKET_ID], (int)r->n[HL_F_TICKET_ID],
			  SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		found = 1;
		id = sqlite3_column_int64(s, 0);
		old_hash = sqlite3_column_int64(s, 1);
		old_run = sqlite3_column_int64(s, 2);
		old_line = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	if (found && old_hash == hash) {
		/* Same data: remember this file saw it, count nothing. */
		s = in->s[S_TOUCH];
		sqlite3_bind_int64(s, 1, in->run);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)rec->start.line);
		sqlite3_bind_int64(s, 3, id);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_fail(in);
		in->stats.unchanged++;
		return 0;
	}
	if (found && old_run == in->run) {
		reject_at(
		    in, rec, rec->pos[in->cols.col[HL_F_TICKET_ID]],
		    in->headers[in->cols.col[HL_F_TICKET_ID]],
		    "ticket ID '%.*s' repeats line %lld with different data",
		    r->idlen, r->v[HL_F_TICKET_ID], (long long)old_line);
		return 0;
	}
	judge(in, rec, r);
	s = in->s[found ? S_UPDATE : S_INSERT];
	bind_time(s, 1, r, HL_F_ACCEPTED_AT);
	bind_time(s, 2, r, HL_F_DISPATCHED_AT);
	bind_time(s, 3, r, HL_F_SIGNED_AT);
	bind_time(s, 4, r, HL_F_DEADLINE_AT);
	bind_time(s, 5, r, HL_F_CLOSED_AT);
	if (bind_dict(in, s, 6, r, HL_F_DISTRICT, D_DISTRICT) ||
	    bind_dict(in, s, 7, r, HL_F_STREET, D_STREET) ||
	    bind_dict(in, s, 8, r, HL_F_UNIT, D_UNIT) ||
	    bind_dict(in, s, 9, r, HL_F_CHANNEL, D_CHANNEL) ||
	    bind_dict(in, s, 10, r, HL_F_CATEGORY, D_CATEGORY) ||
	    bind_dict(in, s, 13, r, HL_F_SATISFACTION, D_SATISFACTION) ||
	    bind_dict(in, s, 15, r, HL_F_STATUS, D_STATUS))
		return db_fail(in);
	sqlite3_bind_int(s, 11, r->category);
	if (r->is_key == HL_YESNO_UNKNOWN)
		sqlite3_bind_null(s, 12);
	else
		sqlite3_bind_int(s, 12, r->is_key);
	/* Schema: 0 not evaluated, 1 满意, 2 基本满意, 3 不满意. */
	sqlite3_bind_int(
	    s, 14,
	    r->satisfaction == HL_SAT_NOT_EVALUATED ? 0 : r->satisfaction + 1);
	if (r->status == HL_ST_UNKNOWN)
		sqlite3_bind_null(s, 16);
	else
		sqlite3_bind_int(s, 16, r->status);
	if (r->reopen < 0)
		sqlite3_bind_null(s, 17);
	else
		sqlite3_bind_int(s, 17, r->reopen);
	sqlite3_bind_int(s, 18, (int)r->quality);
	sqlite3_bind_int64(s, 19, hash);
	sqlite3_bind_int64(s, 20, in->run);
	sqlite3_bind_int64(s, 21, (sqlite3_int64)rec->start.line);
	sqlite3_bind_text(s, 22, r->v[HL_F_TICKET_ID],
			  (int)r->n[HL_F_TICKET_ID], SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return db_fail(in);
	if (!found)
		id = sqlite3_last_insert_rowid(in->db);
	s = in->s[S_TEXT_PUT];
	json = cells_json(rec->field, rec->len, rec->nfields);
	sqlite3_bind_int64(s, 1, id);
	if (r->v[HL_F_CONTENT])
		sqlite3_bind_text(s, 2, r->v[HL_F_CONTENT],
				  (int)r->n[HL_F_CONTENT], SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_text(s, 3, json, -1, free);
	sqlite3_bind_int64(s, 4, in->run);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return db_fail(in);
	if (found)
		in->stats.updated++;
	else
		in->stats.inserted++;
	return 0;
}

/* ---- the file ---- */

static void
free_headers(struct hl_ingest *in)
{
	size_t i;

	for (i = 0; i < in->ncols; i++)
		free(in->headers[i]);
	free(in->headers);
	in->headers = NULL;
	in->ncols = 0;
}

static int
read_header(struct hl_ingest *in, struct hl_reader *rd)
{
	struct hl_record rec;
	size_t i;
	int rc;

	while ((rc = hl_reader_next(rd, &rec)) == -1) {
		hl_diag_report(in->diag, HL_ERROR, in->file, rec.errpos, "%s",
			       rec.errmsg);
		return fail(in, HL_INGEST_EPARSE,
			    "'%s': cannot read the header", in->file);
	}
	if (rc == -2)
		return fail(in, HL_INGEST_EIO, "%s", hl_reader_errmsg(rd));
	if (rc == 0)
		return fail(in, HL_INGEST_ESCHEMA, "'%s' is empty: no header",
			    in->file);
	in->ncols = rec.nfields;
	in->headers = hl_xcalloc(rec.nfields, sizeof(*in->headers));
	for (i = 0; i < rec.nfields; i++)
		in->headers[i] = hl_xstrdup(rec.field[i]);
	if (hl_mapping_resolve(in->map, in->headers, in->ncols, &in->cols) != 0)
		return fail(in, HL_INGEST_ESCHEMA, "'%s': %s", in->file,
			    hl_mapping_errmsg(in->map));
	return 0;
}

/*
 * The SHA-256 of the open file f as 64 hex digits into hex, read once
 * before the ingest, so that the same bytes are not read again.
 */
static int
file_sha256(struct hl_ingest *in, FILE *f, char hex[65])
{
	static unsigned char buf[1 << 16];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0, i;
	size_t n;
	int rc = 0;

	if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		hl_oom(0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	if (ferror(f))
		rc = fail(in, HL_INGEST_EIO, "cannot read '%s': %s", in->file,
			  strerror(errno));
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	rewind(f);
	return rc;
}

/* The run that already ingested these bytes, or 0. */
static long long
ingested_as(struct hl_ingest *in, const char *sha)
{
	sqlite3_stmt *s = in->s[S_RUN_SHA];
	long long id = 0;

	sqlite3_bind_text(s, 1, sha, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return id;
}

static int
run_begin(struct hl_ingest *in, long long size, const char *sha)
{
	sqlite3_stmt *s = in->s[S_RUN_ADD];
	int rc;

	sqlite3_bind_text(s, 1, in->file, -1, SQLITE_STATIC);
	if (size >= 0)
		sqlite3_bind_int64(s, 2, size);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_text(s, 3, hl_encoding_name(in->enc), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, in->now);
	if (sha[0])
		sqlite3_bind_text(s, 5, sha, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 5);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return db_fail(in);
	in->run = sqlite3_last_insert_rowid(in->db);
	return 0;
}

static int
run_end(struct hl_ingest *in, enum hl_encoding enc)
{
	sqlite3_stmt *s = in->s[S_RUN_END];
	int rc;

	sqlite3_bind_int64(s, 1, in->run);
	sqlite3_bind_int64(s, 2, now_cst(in));
	sqlite3_bind_text(s, 3, "done", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)in->stats.read);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)in->stats.inserted);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)in->stats.updated);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)in->stats.unchanged);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)in->stats.rejected);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)in->stats.flagged);
	sqlite3_bind_text(s, 10, hl_encoding_name(enc), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, cells_json(in->headers, NULL, in->ncols), -1,
			  free);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(in);
	return 0;
}

static int
read_rows(struct hl_ingest *in, struct hl_reader *rd)
{
	struct hl_record rec;
	struct row r;
	int rc;

	while ((rc = hl_reader_next(rd, &rec)) != 0) {
		if (rc == -2)
			return fail(in, HL_INGEST_EIO, "%s",
				    hl_reader_errmsg(rd));
		in->stats.read++;
		if (rc == -1) {
			reject_as(in, &rec, rec.errpos, NULL, rec.errkind, "%s",
				  rec.errmsg);
		} else if (rec.nfields != in->ncols) {
			reject_at(in, &rec, rec.start, NULL,
				  "expected %zu fields, found %zu", in->ncols,
				  rec.nfields);
		} else if (read_row(in, &rec, &r) == 0 &&
			   store_row(in, &rec, &r) != 0) {
			return -1;
		}
		if (in->reject_failed)
			return -1;
		if (in->o.max_errors && in->stats.rejected >= in->o.max_errors)
			return fail(
			    in, HL_INGEST_ELIMIT,
			    "'%s': stopped after %lu rejected rows "
			    "(--max-errors); nothing of this file was kept",
			    in->file, in->stats.rejected);
	}
	return 0;
}

int
hl_ingest_file(struct hl_ingest *in, const char *path,
	       struct hl_ingest_stats *stats)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct hl_reader *rd = NULL;
	long long size = -1;
	char sha[65] = "";
	int rc = -1;

	memset(&in->stats, 0, sizeof(in->stats));
	in->now = now_cst(in);
	in->reject_failed = 0;
	in->file = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (f == NULL) {
		rc = fail(in, HL_INGEST_EIO, "cannot open '%s': %s", path,
			  strerror(errno));
		goto done;
	}
	if (f != stdin && fseek(f, 0, SEEK_END) == 0) {
		size = ftell(f);
		rewind(f);
	}
	/* Standard input cannot be read twice: it is not hashed. */
	if (f != stdin && file_sha256(in, f, sha) != 0)
		goto done;
	if (hl_store_begin_write(in->st) != 0) {
		rc = fail(in, HL_INGEST_ESTORE, "%s", hl_store_errmsg(in->st));
		goto done;
	}
	if (sha[0] && !in->o.force &&
	    (in->stats.skipped_as = ingested_as(in, sha)) > 0) {
		hl_store_rollback(in->st);
		rc = 0;
		goto done;
	}
	rd = hl_reader_new(f, in->file, in->enc, 0, 0);
	if (run_begin(in, size, sha) != 0 || read_header(in, rd) != 0 ||
	    read_rows(in, rd) != 0 ||
	    run_end(in, hl_reader_encoding(rd)) != 0) {
		hl_store_rollback(in->st);
		goto done;
	}
	if (hl_store_commit(in->st) != 0) {
		rc = fail(in, HL_INGEST_ESTORE, "%s", hl_store_errmsg(in->st));
		hl_store_rollback(in->st);
		goto done;
	}
	rc = 0;
done:
	if (stats)
		*stats = in->stats;
	hl_reader_free(rd);
	free_headers(in);
	hl_columns_release(&in->cols);
	hl_columns_init(&in->cols);
	if (f && f != stdin)
		fclose(f);
	return rc;
}
