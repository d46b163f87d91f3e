/*
 * pg_put.c - a batch of tickets into PostgreSQL (driver.h's put) in a
 * handful of exchanges, whatever the batch's size:
 *
 *  1. the stored versions of the batch's ticket IDs, in one query;
 *  2. the ingest's decide() for each row, in order, here: a later row of
 *     the batch sees what an earlier one did, as on SQLite;
 *  3. ids for the new tickets, counted on from the sequence's next value
 *     (the load holds the ingest lock; the sequence is set at the end);
 *  4. the ids of the tickets the written rows quote, from the batch or in
 *     one query (those stored later are found before the commit);
 *  5. the new tickets into a COPY that stays open while the next batch
 *     is read (hl_pg_copy_more()); the changed ones in one COPY into a
 *     staging table and one UPDATE; the ones seen unchanged (their run
 *     and line) in one UPDATE.
 *
 * A load into a database with no ticket (a city's first load, a moved
 * database's first file) is "fresh": only its own tickets can be stored,
 * so step 1 asks only for the IDs it has already written (a set of their
 * fingerprints, SEEN_MAX at most), and step 4 takes the quoted ticket's
 * id from the last tickets written (struct hl_pg_recent) or leaves it to
 * the commit.  Most batches then make no round trip at all, and the COPY
 * stays open from the first batch to the last.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"
#include "store/pg.h"

#define TICKET_COLS                                                            \
	"id, accepted_at, dispatched_at, signed_at, deadline_at, closed_at, "  \
	"district, street, unit, channel, category_raw, category, key_raw, "   \
	"is_key, satisfaction_raw, satisfaction, status_raw, status, "         \
	"reopen_raw, reopen_count, quality, row_hash, run, line, ticket_id, "  \
	"content, extra, extra_run, updated_at, assess, topic, caller, "       \
	"quoted, quoted_id"

/*
 * The fingerprints of a fresh load's ticket IDs: 2^SEEN_BITS slots of 32
 * bits (16 MiB), a slot chosen by the low bits of the ID's hash, the high
 * 32 bits kept (0: empty).  A false "seen" (about one ID in 10^8) only
 * asks the server about an ID it does not have.  Past SEEN_MAX IDs the
 * load stops being fresh and asks about every ID, as into a database with
 * tickets.
 */
#define SEEN_BITS 22
#define SEEN_MAX ((size_t)3 << 20)

static uint32_t
seen_print(uint64_t h)
{
	uint32_t f = (uint32_t)(h >> 32);

	return f ? f : 1;
}

/* The slot of the ID's fingerprint *f in the set: where it is, or the
 * free one where it would go. */
static size_t
seen_slot(const struct hl_pg_load *ld, const char *tid, size_t len, uint32_t *f)
{
	uint64_t h = hl_hash64(tid, len, 0);
	size_t m = ((size_t)1 << SEEN_BITS) - 1, i = (size_t)h & m;

	*f = seen_print(h);
	while (ld->seen[i] && ld->seen[i] != *f)
		i = (i + 1) & m;
	return i;
}

static int
seen_has(const struct hl_pg_load *ld, const char *tid, size_t len)
{
	uint32_t f;

	return ld->seen[seen_slot(ld, tid, len, &f)] != 0;
}

/* The ID noted.  0, or -1: the set is full. */
static int
seen_add(struct hl_pg_load *ld, const char *tid, size_t len)
{
	uint32_t f;
	size_t i;

	if (ld->seen == NULL) {
		ld->seen = hl_xmalloc_big(sizeof(*ld->seen) << SEEN_BITS);
		memset(ld->seen, 0, sizeof(*ld->seen) << SEEN_BITS);
	}
	if (ld->nseen >= SEEN_MAX)
		return -1;
	i = seen_slot(ld, tid, len, &f);
	if (ld->seen[i] == 0) {
		ld->seen[i] = f;
		ld->nseen++;
	}
	return 0;
}

/*
 * The ids of the tickets a fresh load wrote last, by ticket ID, for the
 * quotes of the rows after them: in the city's data a quoted ticket is
 * a median 1,100 and at the 99th percentile 6,700 tickets before the
 * quoting one.  2^RECENT_BITS sets of two, the older replaced; an ID of
 * more than RECENT_KEY bytes is not kept.  A quote not found here is
 * found by the commit's query of the quotes left open, as one of a
 * ticket written later is.
 */
#define RECENT_BITS 16
#define RECENT_KEY 30

struct recent_way {
	long long id;
	unsigned char len;
	char key[RECENT_KEY];
};

struct hl_pg_recent {
	struct recent_way way[(size_t)1 << RECENT_BITS][2];
};

/* The set of two an ID's id is kept in. */
static size_t
recent_set(const char *tid, size_t len)
{
	return (size_t)hl_hash64(tid, len, 0) &
	       (((size_t)1 << RECENT_BITS) - 1);
}

static long long
recent_get(const struct hl_pg_recent *c, const char *tid, size_t len)
{
	size_t i = recent_set(tid, len);
	int k;

	for (k = 0; k < 2 && len <= RECENT_KEY; k++) {
		const struct recent_way *w = &c->way[i][k];

		if (w->id && w->len == len && memcmp(w->key, tid, len) == 0)
			return w->id;
	}
	return 0;
}

static void
recent_put(struct hl_pg_recent *c, const char *tid, size_t len, long long id)
{
	struct recent_way *w = c->way[recent_set(tid, len)];

	if (len > RECENT_KEY)
		return;
	if (!(w[0].len == len && memcmp(w[0].key, tid, len) == 0))
		w[1] = w[0];
	w[0].id = id;
	w[0].len = (unsigned char)len;
	memcpy(w[0].key, tid, len);
}

void
hl_pg_load_begin(struct hl_store *st, int fresh)
{
	struct hl_pg_load *ld = hl_pg_load(st);

	hl_pg_load_forget(st);
	ld->fresh = fresh;
	ld->tuples = -1;
}

int
hl_pg_load_finish(struct hl_store *st)
{
	struct hl_pg_load *ld = hl_pg_load(st);
	char num[24];
	const char *v[1] = {num};
	PGresult *r;

	if (ld->next_id == 0) /* no id given */
		return 0;
	snprintf(num, sizeof(num), "%lld", ld->next_id - 1); /* the last */
	r = hl_pg_query(st,
			"SELECT setval(pg_get_serial_sequence('ticket', 'id'), "
			"$1::bigint)",
			1, v, "numbering the new tickets");
	PQclear(r);
	return r ? 0 : -1;
}

/* The fresh load's sets dropped (it stopped being fresh, or ended). */
static void
unfresh(struct hl_pg_load *ld)
{
	free(ld->seen);
	free(ld->recent);
	ld->seen = NULL;
	ld->recent = NULL;
	ld->nseen = 0;
	ld->fresh = 0;
}

void
hl_pg_load_forget(struct hl_store *st)
{
	struct hl_pg_load *ld = hl_pg_load(st);

	unfresh(ld);
	memset(ld, 0, sizeof(*ld));
}

/* A ticket of the batch: its stored version as the rows so far left it. */
struct state {
	const char *tid;
	size_t len;
	struct hl_store_stored s;
	int found;   /* stored before the batch */
	int fresh;   /* new in this batch: inserted at the end */
	int dirty;   /* stored before, changed: updated at the end */
	int touched; /* stored before, seen unchanged: run and line */
	const struct hl_store_row *row; /* the row written at the end */
	int64_t quoted_id;              /* the row's quoted ticket, stored */
};

struct table {
	struct state *v;
	size_t n, *slot, cap; /* slot: 1 + index into v, 0 free */
};

static struct state *
find(struct table *t, const char *tid, size_t len, int add)
{
	size_t i = (size_t)hl_hash64(tid, len, 0) & (t->cap - 1);

	for (; t->slot[i]; i = (i + 1) & (t->cap - 1)) {
		struct state *s = &t->v[t->slot[i] - 1];

		if (s->len == len && memcmp(s->tid, tid, len) == 0)
			return s;
	}
	if (!add)
		return NULL;
	t->slot[i] = ++t->n;
	memset(&t->v[t->n - 1], 0, sizeof(t->v[0]));
	t->v[t->n - 1].tid = tid;
	t->v[t->n - 1].len = len;
	return &t->v[t->n - 1];
}

/* The stored version a row leaves (for the rows after it). */
static void
stored_of(const struct hl_store_row *r, int64_t id, struct hl_store_stored *s)
{
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->row_hash = r->row_hash;
	s->run = r->run;
	s->line = (int64_t)r->line;
	s->accepted = r->t[HL_STORE_T_ACCEPTED];
	s->district = r->district;
	s->is_key = r->is_key == 1;
	s->sat = r->sat;
	s->has_dispatched = r->has >> HL_STORE_T_DISPATCHED & 1;
	s->dispatched = s->has_dispatched ? r->t[HL_STORE_T_DISPATCHED] : 0;
	s->has_closed = r->has >> HL_STORE_T_CLOSED & 1;
	s->closed = s->has_closed ? r->t[HL_STORE_T_CLOSED] : 0;
	s->has_updated = r->has_updated;
	s->updated = r->has_updated ? r->updated_at : 0;
	s->category = r->category;
	s->quality = (int)r->quality;
	s->reopen = r->reopen;
}

/* s as an element of a PostgreSQL array literal, into b. */
static void
array_elem(struct hl_buf *b, const char *s, size_t n)
{
	size_t i;

	hl_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			hl_buf_addc(b, '\\');
		hl_buf_addc(b, s[i]);
	}
	hl_buf_addc(b, '"');
}

/* Reads the stored versions of the batch's tickets into t: of those a
 * fresh load has written, or of all.  0, or -1. */
static int
read_stored(struct hl_store *st, struct table *t)
{
	const struct hl_pg_load *ld = hl_pg_load(st);
	struct hl_buf list = HL_BUF_INIT;
	const char *v[1];
	PGresult *r;
	size_t i;
	int k;

	hl_buf_addc(&list, '{');
	for (i = 0; i < t->n; i++) {
		if (ld->fresh && (ld->seen == NULL ||
				  !seen_has(ld, t->v[i].tid, t->v[i].len)))
			continue;
		if (list.len > 1)
			hl_buf_addc(&list, ',');
		array_elem(&list, t->v[i].tid, t->v[i].len);
	}
	hl_buf_addc(&list, '}');
	if (list.len == 2) {
		hl_buf_release(&list);
		return 0;
	}
	v[0] = list.data;
	r = hl_pg_query(st,
			"SELECT id, row_hash, run, line, accepted_at, "
			"coalesce(district, 0), coalesce(is_key, 0), "
			"satisfaction, dispatched_at, closed_at, category, "
			"quality, updated_at, reopen_count, ticket_id FROM "
			"ticket WHERE ticket_id = ANY ($1::text[])",
			1, v, "reading the stored tickets");
	hl_buf_release(&list);
	if (r == NULL)
		return -1;
	for (k = 0; k < PQntuples(r); k++) {
		struct state *s = find(t, PQgetvalue(r, k, 14),
				       (size_t)PQgetlength(r, k, 14), 0);
		struct hl_store_stored *o;

#define N(c) strtoll(PQgetvalue(r, k, c), NULL, 10)
		if (s == NULL)
			continue;
		o = &s->s;
		s->found = 1;
		o->id = N(0);
		o->row_hash = N(1);
		o->run = N(2);
		o->line = N(3);
		o->accepted = N(4);
		o->district = N(5);
		o->is_key = (int)N(6);
		o->sat = (int)N(7);
		o->has_dispatched = !PQgetisnull(r, k, 8);
		o->dispatched = o->has_dispatched ? N(8) : 0;
		o->has_closed = !PQgetisnull(r, k, 9);
		o->closed = o->has_closed ? N(9) : 0;
		o->category = (int)N(10);
		o->quality = (int)N(11);
		o->has_updated = !PQgetisnull(r, k, 12);
		o->updated = o->has_updated ? N(12) : 0;
		o->reopen = PQgetisnull(r, k, 13) ? -1 : (int)N(13);
#undef N
	}
	PQclear(r);
	return 0;
}

/* ---- COPY ---- */

void
hl_pg_copy_text(struct hl_buf *b, const char *s, size_t n)
{
	size_t i, from = 0;

	/* the plain runs in one piece, the four bytes COPY escapes apart */
	for (i = 0; i < n; i++) {
		const char *esc = s[i] == '\\'   ? "\\\\"
				  : s[i] == '\t' ? "\\t"
				  : s[i] == '\n' ? "\\n"
				  : s[i] == '\r' ? "\\r"
						 : NULL;

		if (esc) {
			hl_buf_add(b, s + from, i - from);
			hl_buf_add(b, esc, 2);
			from = i + 1;
		}
	}
	hl_buf_add(b, s + from, n - from);
}

/* v in decimal and a tab, or \N and a tab, written digit by digit
 * (28 numbers a row). */
static void
copy_int(struct hl_buf *b, int has, long long v)
{
	char t[24], *e;

	if (!has) {
		hl_buf_add(b, "\\N\t", 3);
		return;
	}
	e = hl_digits(t, v, 1);
	*e++ = '\t';
	hl_buf_add(b, t, (size_t)(e - t));
}

/* Row r with id, quoting the ticket quoted_id (0 none stored), as a line
 * of COPY's text format, into b. */
static void
copy_row(struct hl_buf *b, int64_t id, const struct hl_store_row *r,
	 int64_t quoted_id)
{
	int i;

	copy_int(b, 1, id);
	for (i = 0; i < HL_STORE_NT; i++)
		copy_int(b, r->has >> i & 1, r->t[i]);
	copy_int(b, r->district != 0, r->district);
	copy_int(b, r->street != 0, r->street);
	copy_int(b, r->unit != 0, r->unit);
	copy_int(b, r->channel != 0, r->channel);
	copy_int(b, r->category_raw != 0, r->category_raw);
	copy_int(b, 1, r->category);
	copy_int(b, r->key_raw != 0, r->key_raw);
	copy_int(b, r->is_key >= 0, r->is_key);
	copy_int(b, r->sat_raw != 0, r->sat_raw);
	copy_int(b, 1, r->sat);
	copy_int(b, r->status_raw != 0, r->status_raw);
	copy_int(b, r->status >= 0, r->status);
	copy_int(b, r->reopen_raw != 0, r->reopen_raw);
	copy_int(b, r->reopen >= 0, r->reopen);
	copy_int(b, 1, (long long)r->quality);
	copy_int(b, 1, r->row_hash);
	copy_int(b, 1, r->run);
	copy_int(b, 1, (long long)r->line);
	hl_pg_copy_text(b, r->ticket_id, r->ticket_id_len);
	hl_buf_addc(b, '\t');
	if (r->content)
		hl_pg_copy_text(b, r->content, r->content_len);
	else
		hl_buf_add(b, "\\N", 2);
	hl_buf_addc(b, '\t');
	if (r->extra)
		hl_pg_copy_text(b, r->extra, r->extra_len);
	else
		hl_buf_add(b, "\\N", 2);
	hl_buf_addc(b, '\t');
	copy_int(b, r->extra != NULL, r->run);
	copy_int(b, r->has_updated, r->updated_at);
	copy_int(b, r->assess >= 0, r->assess);
	copy_int(b, r->topic != 0, r->topic);
	if (r->caller) {
		/* bytea's hex form, its backslash escaped for COPY */
		hl_buf_add(b, "\\\\x", 3);
		for (i = 0; i < HL_CALLER_HASH_LEN; i++)
			hl_buf_printf(b, "%02x", r->caller[i]);
	} else {
		hl_buf_add(b, "\\N", 2);
	}
	hl_buf_addc(b, '\t');
	if (r->quoted)
		hl_pg_copy_text(b, r->quoted, r->quoted_len);
	else
		hl_buf_add(b, "\\N", 2);
	hl_buf_addc(b, '\t');
	copy_int(b, quoted_id != 0, quoted_id);
	b->data[b->len - 1] = '\n'; /* copy_int ended the field with a tab */
}

/* COPY of b's lines into table (its TICKET_COLS).  0, or -1. */
static int
copy_in(struct hl_store *st, const char *table, const struct hl_buf *b)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "COPY %s (" TICKET_COLS ") FROM STDIN",
		 table);
	if (hl_pg_copy_begin(st, sql, "writing the tickets") != 0)
		return -1;
	return hl_pg_copy_end(st, b->data, b->len, 1, "writing the tickets");
}

static int
exec_ok(struct hl_store *st, const char *sql, int n, const char *const *v,
	const char *what)
{
	PGresult *r = hl_pg_query(st, sql, n, v, what);

	PQclear(r);
	return r ? 0 : -1;
}

/*
 * New ids for the fresh tickets of t, in the order they came: counted on
 * from the sequence's next value, drawn once a load, and the sequence set
 * past the last at the commit (hl_pg_load_finish()), where a nextval() a
 * ticket took 0.7 s of a 314,000-row load.  Only an ingest takes ids, and
 * it holds the ingest lock (pg.c) to its commit, so no one else draws
 * from the sequence meanwhile.  0, or -1.
 */
static int
new_ids(struct hl_store *st, struct table *t)
{
	struct hl_pg_load *ld = hl_pg_load(st);
	size_t i;

	if (ld->next_id == 0) {
		PGresult *r = hl_pg_query(
		    st,
		    "SELECT nextval(pg_get_serial_sequence('ticket', 'id'))", 0,
		    NULL, "numbering the new tickets");

		if (r == NULL)
			return -1;
		if (PQntuples(r) != 1)
			return hl_pg_fail(st, r, "numbering the new tickets");
		ld->next_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
	}
	for (i = 0; i < t->n; i++)
		if (t->v[i].fresh)
			t->v[i].s.id = ld->next_id++;
	return 0;
}

/*
 * A fresh load's quotes (step 4): the quoted ticket's id from the batch or
 * from the last tickets written; else left to the commit.  Then the
 * batch's new tickets noted, the load no longer fresh if they are too
 * many.
 */
static void
quoted_recent(struct hl_pg_load *ld, struct table *t)
{
	size_t i;

	if (ld->recent == NULL)
		ld->recent = hl_xcalloc(1, sizeof(*ld->recent));
	for (i = 0; i < t->n; i++) {
		struct state *s = &t->v[i], *o;
		const struct hl_store_row *w = s->row;

		if (!(s->fresh || s->dirty) || w == NULL || w->quoted == NULL)
			continue;
		o = find(t, w->quoted, w->quoted_len, 0);
		s->quoted_id =
		    o ? o->s.id
		      : recent_get(ld->recent, w->quoted, w->quoted_len);
	}
	for (i = 0; i < t->n; i++) {
		struct state *s = &t->v[i];

		if (!s->fresh)
			continue;
		if (seen_add(ld, s->tid, s->len) != 0) {
			unfresh(ld);
			return;
		}
		recent_put(ld->recent, s->tid, s->len, s->s.id);
	}
}

/*
 * The ids of the tickets that the rows to write quote (step 4): one of
 * the batch's, or stored before it, found in one query.  One stored later
 * is found before the commit (pg_commit()).  0, or -1.
 */
static int
quoted_ids(struct hl_store *st, struct table *t)
{
	struct table q = {0}; /* the quoted IDs not in the batch */
	struct hl_buf list = HL_BUF_INIT;
	const char *v[1];
	PGresult *r = NULL;
	size_t i;
	int k;

	for (q.cap = 16; q.cap < 2 * t->n; q.cap *= 2)
		;
	q.v = hl_xcalloc(t->n + 1, sizeof(*q.v));
	q.slot = hl_xcalloc(q.cap, sizeof(*q.slot));
	hl_buf_addc(&list, '{');
	for (i = 0; i < t->n; i++) {
		struct state *s = &t->v[i], *o;
		const struct hl_store_row *w = s->row;

		if (!(s->fresh || s->dirty) || w == NULL || w->quoted == NULL)
			continue;
		if ((o = find(t, w->quoted, w->quoted_len, 0)) != NULL) {
			s->quoted_id = o->s.id;
		} else if (find(&q, w->quoted, w->quoted_len, 0) == NULL) {
			find(&q, w->quoted, w->quoted_len, 1);
			if (list.len > 1)
				hl_buf_addc(&list, ',');
			array_elem(&list, w->quoted, w->quoted_len);
		}
	}
	hl_buf_addc(&list, '}');
	if (q.n > 0) {
		v[0] = list.data;
		r = hl_pg_query(st,
				"SELECT ticket_id, id FROM ticket "
				"WHERE ticket_id = ANY ($1::text[])",
				1, v, "finding quoted tickets");
	}
	for (k = 0; r != NULL && k < PQntuples(r); k++) {
		struct state *o = find(&q, PQgetvalue(r, k, 0),
				       (size_t)PQgetlength(r, k, 0), 0);

		if (o != NULL)
			o->s.id = strtoll(PQgetvalue(r, k, 1), NULL, 10);
	}
	for (i = 0; i < t->n && (r != NULL || q.n == 0); i++) {
		struct state *s = &t->v[i], *o;
		const struct hl_store_row *w = s->row;

		if ((s->fresh || s->dirty) && w != NULL && w->quoted != NULL &&
		    s->quoted_id == 0 &&
		    (o = find(&q, w->quoted, w->quoted_len, 0)) != NULL)
			s->quoted_id = o->s.id;
	}
	k = q.n > 0 && r == NULL ? -1 : 0;
	PQclear(r);
	hl_buf_release(&list);
	free(q.v);
	free(q.slot);
	return k;
}

/* The decisions, made; the fresh tickets' rows carried to the end. */
static void
decide_all(struct table *t, struct hl_store_put *v, size_t n,
	   hl_store_decide_fn *decide, void *arg)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct hl_store_put *p = &v[i];
		struct state *s =
		    find(t, p->row.ticket_id, p->row.ticket_id_len, 0);

		p->why = 0;
		if (!s->found && !s->row) {
			/* the first row of a new ticket */
			p->outcome = HL_PUT_INSERTED;
			s->row = &p->row;
			stored_of(&p->row, s->s.id, &s->s);
			continue;
		}
		p->old = s->s;
		p->outcome = decide(arg, p);
		if (p->outcome == HL_PUT_UPDATED) {
			s->row = &p->row;
			s->dirty = s->found;
			stored_of(&p->row, s->s.id, &s->s);
		} else if (p->outcome == HL_PUT_UNCHANGED) {
			s->s.run = p->row.run;
			s->s.line = (int64_t)p->row.line;
			s->touched = 1;
		}
	}
}

int
hl_pg_put(struct hl_store *st, struct hl_store_put *v, size_t n,
	  hl_store_decide_fn *decide, void *arg)
{
	struct table t = {0};
	struct hl_buf ins = HL_BUF_INIT, upd = HL_BUF_INIT;
	struct hl_buf ids = HL_BUF_INIT, runs = HL_BUF_INIT,
		      lines = HL_BUF_INIT;
	size_t i, fresh = 0;
	int rc = -1;

	if (n == 0)
		return 0;
	for (t.cap = 16; t.cap < 2 * n; t.cap *= 2)
		;
	t.v = hl_xcalloc(n, sizeof(*t.v));
	t.slot = hl_xcalloc(t.cap, sizeof(*t.slot));
	for (i = 0; i < n; i++)
		find(&t, v[i].row.ticket_id, v[i].row.ticket_id_len, 1);
	if (read_stored(st, &t) != 0)
		goto done;
	for (i = 0; i < t.n; i++)
		if (!t.v[i].found) {
			t.v[i].fresh = 1;
			fresh++;
		}
	if (fresh && new_ids(st, &t) != 0)
		goto done;
	decide_all(&t, v, n, decide, arg);
	if (hl_pg_load(st)->fresh)
		quoted_recent(hl_pg_load(st), &t);
	else if (quoted_ids(st, &t) != 0)
		goto done;
	hl_buf_adds(&ids, "{");
	hl_buf_adds(&runs, "{");
	hl_buf_adds(&lines, "{");
	for (i = 0; i < t.n; i++) {
		struct state *s = &t.v[i];

		hl_pg_load(st)->written += s->fresh || s->dirty || s->touched;
		if (s->fresh) {
			struct hl_store_row r = *s->row;

			/* seen unchanged after: its last run and line */
			r.run = s->s.run;
			r.line = (unsigned long)s->s.line;
			copy_row(&ins, s->s.id, &r, s->quoted_id);
		} else if (s->dirty) {
			struct hl_store_row r = *s->row;

			r.run = s->s.run;
			r.line = (unsigned long)s->s.line;
			copy_row(&upd, s->s.id, &r, s->quoted_id);
		} else if (s->touched) {
			hl_buf_printf(&ids, "%s%" PRId64,
				      ids.len > 1 ? "," : "", s->s.id);
			hl_buf_printf(&runs, "%s%" PRId64,
				      runs.len > 1 ? "," : "", s->s.run);
			hl_buf_printf(&lines, "%s%" PRId64,
				      lines.len > 1 ? "," : "", s->s.line);
		}
	}
	hl_buf_addc(&ids, '}');
	hl_buf_addc(&runs, '}');
	hl_buf_addc(&lines, '}');
	if (ins.len &&
	    hl_pg_copy_more(st, "COPY ticket (" TICKET_COLS ") FROM STDIN",
			    ins.data, ins.len, "writing the tickets") != 0)
		goto done;
	if (upd.len &&
	    (exec_ok(st,
		     "CREATE TEMP TABLE IF NOT EXISTS hl_stage (LIKE ticket) "
		     "ON COMMIT DELETE ROWS",
		     0, NULL, "staging the changed tickets") != 0 ||
	     copy_in(st, "hl_stage", &upd) != 0 ||
	     exec_ok(st,
		     "UPDATE ticket AS t SET "
		     "accepted_at = s.accepted_at,"
		     " dispatched_at = s.dispatched_at,"
		     " signed_at = s.signed_at, deadline_at = s.deadline_at,"
		     " closed_at = s.closed_at, district = s.district,"
		     " street = s.street, unit = s.unit, channel = s.channel,"
		     " category_raw = s.category_raw, category = s.category,"
		     " key_raw = s.key_raw, is_key = s.is_key,"
		     " satisfaction_raw = s.satisfaction_raw,"
		     " satisfaction = s.satisfaction,"
		     " status_raw = s.status_raw, status = s.status,"
		     " reopen_raw = s.reopen_raw,"
		     " reopen_count = s.reopen_count, quality = s.quality,"
		     " row_hash = s.row_hash, run = s.run, line = s.line,"
		     " ticket_id = s.ticket_id, content = s.content,"
		     " extra = s.extra, extra_run = s.extra_run,"
		     " updated_at = s.updated_at, assess = s.assess,"
		     " topic = s.topic, caller = s.caller, quoted = s.quoted,"
		     " quoted_id = s.quoted_id"
		     " FROM hl_stage AS s WHERE t.id = s.id",
		     0, NULL, "updating the changed tickets") != 0 ||
	     exec_ok(st, "TRUNCATE hl_stage", 0, NULL,
		     "updating the changed tickets") != 0))
		goto done;
	if (ids.len > 2) {
		const char *p[3] = {ids.data, runs.data, lines.data};

		if (exec_ok(st,
			    "UPDATE ticket AS t SET run = u.run, line = u.line "
			    "FROM unnest($1::bigint[], $2::bigint[], "
			    "$3::bigint[]) AS u (id, run, line) WHERE t.id = "
			    "u.id",
			    3, p, "noting the unchanged tickets") != 0)
			goto done;
	}
	rc = 0;
done:
	hl_buf_release(&ins);
	hl_buf_release(&upd);
	hl_buf_release(&ids);
	hl_buf_release(&runs);
	hl_buf_release(&lines);
	free(t.v);
	free(t.slot);
	return rc;
}
