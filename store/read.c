/*
 * read.c - what the figures read from the store: the tickets of a period
 * through the covering index, the districts' names, single names and
 * ticket IDs, and the two rollups.  The queries are the files in sql/,
 * embedded at build time.
 */
#include <stdlib.h>
#include <string.h>

#include "store/priv.h"

extern const char hl_sql_district_tickets[];
extern const char hl_sql_city_tickets[];
extern const char hl_sql_district_closed[];
extern const char hl_sql_city_closed[];
extern const char hl_sql_sat_day[];
extern const char hl_sql_hand_day[];
extern const char hl_sql_topic_counts[];
extern const char hl_sql_links[];

/*
 * Finalizes q after its last step returned rc: 0 when it ran to the end,
 * else -1 with the error (taken before q goes) on st.
 */
static int
finish(struct hl_store *st, sqlite3_stmt *q, int rc)
{
	if (rc != SQLITE_DONE)
		hl_store_sql_fail(st);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* One row of *_tickets.sql or *_closed.sql as a ticket view. */
static void
read_ticket(sqlite3_stmt *q, int closed_only, struct hl_store_ticket *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(q, 0);
	for (i = 0; i < HL_STORE_NT; i++)
		if (sqlite3_column_type(q, 1 + i) != SQLITE_NULL) {
			t->has |= 1u << i;
			t->t[i] = sqlite3_column_int64(q, 1 + i);
		}
	if (closed_only) {
		t->category = sqlite3_column_int(q, 6);
		t->quality = sqlite3_column_int(q, 7);
		t->district = sqlite3_column_int64(q, 8);
		t->reopen = -1;
	} else {
		t->street = sqlite3_column_int64(q, 6);
		t->unit = sqlite3_column_int64(q, 7);
		t->channel = sqlite3_column_int64(q, 8);
		t->category = sqlite3_column_int(q, 9);
		t->is_key = sqlite3_column_type(q, 10) == SQLITE_NULL
				? -1
				: sqlite3_column_int(q, 10);
		t->sat = sqlite3_column_int(q, 11);
		t->reopen = sqlite3_column_type(q, 12) == SQLITE_NULL
				? -1
				: sqlite3_column_int(q, 12);
		t->quality = sqlite3_column_int(q, 13);
		t->district = sqlite3_column_int64(q, 14);
		t->assess = sqlite3_column_int(q, 15);
		t->topic = sqlite3_column_int64(q, 16);
		/* a hash of another length is none hotline wrote */
		t->caller = sqlite3_column_bytes(q, 17) == HL_CALLER_HASH_LEN
				? sqlite3_column_blob(q, 17)
				: NULL;
		t->quoted = (const char *)sqlite3_column_text(q, 18);
		t->quoted_id = sqlite3_column_int64(q, 19);
		if (t->sat < 0 || t->sat > 3)
			t->sat = 0;
	}
	if (t->category < 0 || t->category >= HL_CAT_COUNT)
		t->category = HL_CAT_COUNT - 1;
}

static int
sq_scan(struct hl_store *st, const int64_t *ids, size_t n, int64_t lo,
	int64_t hi, int closed_only, hl_store_ticket_fn *fn, void *arg)
{
	sqlite3 *db = hl_store_db(st);
	int city = ids == NULL, rc = SQLITE_DONE;
	const char *sql =
	    closed_only
		? (city ? hl_sql_city_closed : hl_sql_district_closed)
		: (city ? hl_sql_city_tickets : hl_sql_district_tickets);
	struct hl_store_ticket t;
	sqlite3_stmt *q;
	size_t i;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return hl_store_sql_fail(st);
	for (i = 0; i < (city ? 1 : n) && rc == SQLITE_DONE; i++) {
		if (city)
			sqlite3_bind_null(q, 1);
		else
			sqlite3_bind_int64(q, 1, ids[i]);
		sqlite3_bind_int64(q, 2, lo);
		sqlite3_bind_int64(q, 3, hi);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			read_ticket(q, closed_only, &t);
			fn(arg, &t);
		}
		sqlite3_reset(q);
	}
	return finish(st, q, rc);
}

static int
sq_names(struct hl_store *st, enum hl_dict kind, hl_store_name_fn *fn,
	 void *arg)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(hl_store_db(st),
			       "SELECT id, value FROM dict WHERE kind = ?1 "
			       "ORDER BY id",
			       -1, &q, NULL) != SQLITE_OK)
		return hl_store_sql_fail(st);
	sqlite3_bind_int(q, 1, (int)kind);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(q, 1);

		fn(arg, sqlite3_column_int64(q, 0), v ? v : "",
		   (size_t)sqlite3_column_bytes(q, 1));
	}
	return finish(st, q, rc);
}

/*
 * Each id through a cached query of one text column (in process, a query
 * an id costs no round trip).
 */
static int
sq_lookup(struct hl_store *st, enum hl_store_lookup what, const int64_t *ids,
	  size_t n, char **out)
{
	sqlite3_stmt *q =
	    what == HL_LOOKUP_DICT
		? hl_store_stmt(st, HL_STMT_NAME,
				"SELECT value FROM dict WHERE id = ?1")
		: hl_store_stmt(st, HL_STMT_IDENT,
				"SELECT ticket_id FROM ticket WHERE id = ?1");
	size_t i;
	int rc = SQLITE_DONE;

	for (i = 0; i < n; i++)
		out[i] = NULL;
	if (q == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(q, 1, ids[i]);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(q, 0);

			out[i] = hl_xstrdup(v ? v : "");
			rc = SQLITE_DONE;
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			break;
	}
	if (rc == SQLITE_DONE)
		return 0;
	hl_store_sql_fail(st);
	while (i > 0)
		free(out[--i]);
	return -1;
}

static int
sq_sat_counts(struct hl_store *st, enum hl_store_basis basis, int64_t lo,
	      int64_t hi, hl_store_sat_fn *fn, void *arg)
{
	/* By dispatch or closure the rollup does not follow: count. */
	static const char *const by_basis[] = {
	    NULL,
	    "SELECT CAST(strftime('%Y%m%d', dispatched_at, 'unixepoch') AS "
	    "INTEGER), district, coalesce(is_key, 0), satisfaction, count(*) "
	    "FROM ticket WHERE dispatched_at >= ?1 AND dispatched_at < ?2 "
	    "GROUP BY 1, 2, 3, 4",
	    "SELECT CAST(strftime('%Y%m%d', closed_at, 'unixepoch') AS "
	    "INTEGER), district, coalesce(is_key, 0), satisfaction, count(*) "
	    "FROM ticket WHERE closed_at >= ?1 AND closed_at < ?2 "
	    "GROUP BY 1, 2, 3, 4",
	};
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(hl_store_db(st),
			       basis == HL_STORE_BY_ACCEPTED ? hl_sql_sat_day
							     : by_basis[basis],
			       -1, &q, NULL) != SQLITE_OK)
		return hl_store_sql_fail(st);
	/* The rollup's rows are days: [lo, hi) are whole days of them. */
	if (basis == HL_STORE_BY_ACCEPTED) {
		sqlite3_bind_int64(q, 1, hl_time_yyyymmdd(lo));
		sqlite3_bind_int64(q, 2, hl_time_yyyymmdd(hi));
	} else {
		sqlite3_bind_int64(q, 1, lo);
		sqlite3_bind_int64(q, 2, hi);
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(arg, sqlite3_column_int(q, 0), sqlite3_column_int64(q, 1),
		   sqlite3_column_int(q, 2), sqlite3_column_int(q, 3),
		   sqlite3_column_int64(q, 4));
	return finish(st, q, rc);
}

static int
sq_hand_sums(struct hl_store *st, int64_t from, int64_t to, int from_dispatch,
	     hl_store_hand_fn *fn, void *arg)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(hl_store_db(st), hl_sql_hand_day, -1, &q,
			       NULL) != SQLITE_OK)
		return hl_store_sql_fail(st);
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	sqlite3_bind_int(q, 3, from_dispatch);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(arg, sqlite3_column_int64(q, 0), sqlite3_column_int(q, 1),
		   sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3));
	return finish(st, q, rc);
}

static int
sq_no_tickets(struct hl_store *st)
{
	sqlite3_stmt *q;
	int none = -1;

	if (sqlite3_prepare_v2(hl_store_db(st),
			       "SELECT NOT EXISTS (SELECT 1 FROM ticket)", -1,
			       &q, NULL) != SQLITE_OK)
		return hl_store_sql_fail(st);
	if (sqlite3_step(q) == SQLITE_ROW)
		none = sqlite3_column_int(q, 0);
	else
		hl_store_sql_fail(st);
	sqlite3_finalize(q);
	return none;
}

/*
 * Binds the districts ids[0 .. n-1] as ?1, a JSON array (NULL: the city),
 * and [lo, hi) as ?2, ?3.
 */
static void
bind_scope(sqlite3_stmt *q, const int64_t *ids, size_t n, int64_t lo,
	   int64_t hi)
{
	struct hl_buf b = HL_BUF_INIT;
	size_t i;

	if (ids) {
		hl_buf_addc(&b, '[');
		for (i = 0; i < n; i++)
			hl_buf_printf(&b, "%s%lld", i ? "," : "",
				      (long long)ids[i]);
		hl_buf_addc(&b, ']');
		sqlite3_bind_text(q, 1, b.data, (int)b.len, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(q, 1);
	}
	sqlite3_bind_int64(q, 2, lo);
	sqlite3_bind_int64(q, 3, hi);
	hl_buf_release(&b);
}

/* yyyymmdd of the day number d. */
static int
yyyymmdd(int64_t d)
{
	int y, m, dd;

	hl_civil_from_days(d, &y, &m, &dd);
	return y * 10000 + m * 100 + dd;
}

/* The caller hash, the quoted ID and its ticket's id of row q (columns c,
 * c + 1 and c + 2) into l. */
static void
link_of(sqlite3_stmt *q, int c, struct hl_store_link *l)
{
	/* a hash of another length is none hotline wrote */
	l->caller = sqlite3_column_bytes(q, c) == HL_CALLER_HASH_LEN
			? sqlite3_column_blob(q, c)
			: NULL;
	l->quoted = (const char *)sqlite3_column_text(q, c + 1);
	l->quoted_id = sqlite3_column_int64(q, c + 2);
}

static int
sq_topic_counts(struct hl_store *st, const int64_t *ids, size_t n, int64_t lo,
		int64_t hi, hl_store_topic_fn *fn, void *arg,
		int64_t links_from, hl_store_link_fn *lfn, void *larg)
{
	struct hl_store_link l;
	sqlite3_stmt *q;
	int64_t day = INT64_MIN;
	int rc, ymd = 0;

	if (sqlite3_prepare_v2(hl_store_db(st), hl_sql_topic_counts, -1, &q,
			       NULL) != SQLITE_OK)
		return hl_store_sql_fail(st);
	bind_scope(q, ids, n, lo, hi);
	sqlite3_bind_int64(q, 4, links_from);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t t = sqlite3_column_int64(q, 0);

		l.topic = sqlite3_column_int64(q, 1);
		l.street = sqlite3_column_int64(q, 2);
		if (sqlite3_column_type(q, 1) != SQLITE_NULL) {
			int64_t d = hl_time_day(t); /* a day's rows in a run */

			if (d != day)
				day = d, ymd = yyyymmdd(d);
			fn(arg, ymd, l.topic, l.street, 1);
		}
		if (t >= links_from &&
		    (sqlite3_column_type(q, 4) != SQLITE_NULL ||
		     sqlite3_column_type(q, 5) != SQLITE_NULL)) {
			l.id = sqlite3_column_int64(q, 3);
			l.accepted = t;
			link_of(q, 4, &l);
			lfn(larg, &l);
		}
	}
	return finish(st, q, rc);
}

static int
sq_links(struct hl_store *st, const int64_t *ids, size_t n, int64_t lo,
	 int64_t hi, hl_store_link_fn *fn, void *arg)
{
	struct hl_store_link l;
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(hl_store_db(st), hl_sql_links, -1, &q, NULL) !=
	    SQLITE_OK)
		return hl_store_sql_fail(st);
	bind_scope(q, ids, n, lo, hi);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		l.id = sqlite3_column_int64(q, 0);
		l.accepted = sqlite3_column_int64(q, 1);
		l.street = sqlite3_column_int64(q, 2);
		l.topic = sqlite3_column_int64(q, 3);
		link_of(q, 4, &l);
		fn(arg, &l);
	}
	return finish(st, q, rc);
}

static int
sq_ticket_times(struct hl_store *st, const int64_t *ids, size_t n,
		int64_t *accepted)
{
	sqlite3_stmt *q;
	size_t i;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(hl_store_db(st),
			       "SELECT accepted_at FROM ticket WHERE id = ?1",
			       -1, &q, NULL) != SQLITE_OK)
		return hl_store_sql_fail(st);
	for (i = 0; i < n && rc == SQLITE_DONE; i++) {
		accepted[i] = 0;
		sqlite3_bind_int64(q, 1, ids[i]);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			accepted[i] = sqlite3_column_int64(q, 0);
			rc = SQLITE_DONE;
		}
		sqlite3_reset(q);
	}
	return finish(st, q, rc);
}

const struct hl_store_reads hl_sqlite_reads = {
    sq_scan,       sq_names,        sq_lookup, sq_sat_counts,   sq_hand_sums,
    sq_no_tickets, sq_topic_counts, sq_links,  sq_ticket_times,
};
