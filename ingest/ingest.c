/*
 * ingest.c - one export file into the store: the header, then the parse
 * thread's rows and rejects (pipe.h) written in order: the upsert by
 * ticket ID, data-quality flags and their warnings, rejects, the
 * satisfaction rollup and the ingest run's counts.
 *
 * The short prepared statements stay beside the code that binds them;
 * queries meant to be read and run by hand live in .sql files.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest/ingest.h"
#include "ingest/mapping.h"
#include "ingest/pipe.h"
#include "ingest/priv.h"
#include "ingest/reader.h"

static void districts_clear(struct hl_ingest *in);
static int store_fail(struct hl_ingest *in);

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
	case HL_INGEST_EINTR:
		return "interrupted";
	default:
		return "unknown error";
	}
}

/* The store's last error as the ingest's. */
static int
store_fail(struct hl_ingest *in)
{
	return fail(in, HL_INGEST_ESTORE, "database: %s",
		    hl_store_errmsg(in->st));
}

const char *
hl_ingest_errmsg(const struct hl_ingest *in)
{
	return hl_err_text(&in->err, hl_ingest_strerror);
}

int
hl_ingest_errcode(const struct hl_ingest *in)
{
	return in->err.code;
}

/* The encoding named name; -1 for a name hotline does not know. */
static int
encoding_of(const char *name, enum hl_encoding *e)
{
	if (strcmp(name, "auto") == 0)
		*e = HL_ENCODING_AUTO;
	else if (strcmp(name, "utf-8") == 0 || strcmp(name, "utf8") == 0)
		*e = HL_ENCODING_UTF8;
	else if (strcmp(name, "gb18030") == 0 || strcmp(name, "gbk") == 0)
		*e = HL_ENCODING_GB18030;
	else
		return -1;
	return 0;
}

int
hl_ingest_encoding_known(const char *name)
{
	enum hl_encoding e;

	return encoding_of(name, &e) == 0;
}

int
hl_ingest_open(struct hl_store *st, const struct hl_ingest_opts *o,
	       struct hl_diag *diag, struct hl_ingest **out)
{
	struct hl_ingest *in = hl_xcalloc(1, sizeof(*in));
	const char *enc = o->encoding ? o->encoding : "auto";

	*out = in;
	in->st = st;
	in->diag = diag;
	in->o = *o;
	hl_buf_init(&in->err.msg);
	hl_columns_init(&in->cols);
	hl_idmap_init(&in->sat, sizeof(struct roll));
	hl_idmap_init(&in->hand, sizeof(struct roll));
	hl_idmap_init(&in->districts, sizeof(struct dseen));
	if (encoding_of(enc, &in->enc) != 0)
		return fail(in, HL_INGEST_EMAP, "unknown encoding '%s' (%s)",
			    enc, HL_INGEST_ENCODINGS);
	in->map = hl_mapping_new();
	if (o->mapping && hl_mapping_load(in->map, o->mapping) != 0)
		return fail(in, HL_INGEST_EMAP, "%s",
			    hl_mapping_errmsg(in->map));
	/*
	 * Every id the ingest writes it has just read or made in the same
	 * transaction, so SQLite's foreign-key checks (eight parent lookups
	 * per row) would only cost time; the tests run
	 * PRAGMA foreign_key_check after ingesting.
	 */
	if (st && hl_store_foreign_keys(st, 0, &in->fk_was_on) != 0)
		return fail(in, HL_INGEST_ESTORE, "%s", hl_store_errmsg(st));
	return 0;
}

/* Forgets the cached dict ids: after a rollback some may be gone. */
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
	int was;

	if (in == NULL)
		return;
	if (in->fk_was_on)
		hl_store_foreign_keys(in->st, 1, &was);
	dict_clear(in);
	EVP_MD_CTX_free(in->md);
	hl_idmap_release(&in->sat);
	hl_idmap_release(&in->hand);
	districts_clear(in);
	hl_idmap_release(&in->districts);
	hl_mapping_free(in->map);
	memset(in->key, 0, sizeof(in->key));
	hl_columns_release(&in->cols);
	hl_buf_release(&in->err.msg);
	free(in->curs);
	free(in->puts);
	free(in);
}

/* ---- dict ---- */

/* The hash of a cached key: kind byte, then the value. */
static uint64_t
dict_hash(const char *key, size_t len)
{
	return hl_hash64(key + 1, len - 1, (unsigned char)key[0]);
}

/* The dict id of (kind, value), adding it when new; 0 on a DB error. */
static int64_t
dict_id(struct hl_ingest *in, int kind, const char *v, size_t n)
{
	char kb = (char)kind;
	uint64_t h = hl_hash64(v, n, (unsigned char)kb);
	size_t i, mask;
	int64_t id = 0;

	if (in->ndict * 10 >= in->dict_cap * 7) {
		struct dent *old = in->dict;
		size_t oldcap = in->dict_cap;

		in->dict_cap = oldcap ? oldcap * 2 : 1024;
		in->dict = hl_xcalloc(in->dict_cap, sizeof(*in->dict));
		mask = in->dict_cap - 1;
		for (i = 0; i < oldcap; i++) {
			size_t j;

			if (old[i].key == NULL)
				continue;
			j = dict_hash(old[i].key, old[i].len) & mask;
			while (in->dict[j].key)
				j = (j + 1) & mask;
			in->dict[j] = old[i];
		}
		free(old);
	}
	mask = in->dict_cap - 1;
	for (i = h & mask; in->dict[i].key; i = (i + 1) & mask)
		if (in->dict[i].len == n + 1 && in->dict[i].key[0] == kb &&
		    memcmp(in->dict[i].key + 1, v, n) == 0)
			return in->dict[i].id;
	if (hl_store_dict_id(in->st, (enum hl_dict)kind, v, n, &id) != 0) {
		store_fail(in);
		return 0;
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

/* ---- the rollups ---- */

/* The change a file makes to the rollup row of key. */
static struct roll *
roll_slot(struct hl_idmap *mp, uint64_t key)
{
	int isnew;

	return hl_idmap_slot(mp, key, &isnew);
}

/*
 * The rollups' keys packed in 64 bits: a day (yyyymmdd, 25 bits: the
 * parsers' years end in 2199) above the small columns, and the district's
 * dict id in the bits left (36 for sat_day, 35 for hand_day).
 */
#define DAY_BITS 25
#define DAY_MASK ((1u << DAY_BITS) - 1)
#define SAT_DAY_SHIFT 3  /* below: is_key (1 bit), satisfaction (2) */
#define HAND_DAY_SHIFT 4 /* below: category (3 bits), start (1) */
_Static_assert(21991231 <= DAY_MASK, "a day fits its bits");

/* Adds n to sat_day's count of (day, district, key flag, answer). */
static void
sat_add(struct hl_ingest *in, uint64_t day, int64_t district, int is_key,
	int satisfaction, long long n)
{
	roll_slot(&in->sat, (uint64_t)district << (SAT_DAY_SHIFT + DAY_BITS) |
				day << SAT_DAY_SHIFT |
				(uint64_t)(is_key == 1) << 2 |
				(uint64_t)satisfaction)
	    ->n += n;
}

/* What hand_day counts of a ticket (schema.sql). */
struct hand {
	hl_time accepted, dispatched, closed;
	uint64_t day; /* yyyymmdd of accepted */
	int64_t district;
	int category, quality, has_dispatched, has_closed;
};

/* Adds (sign 1) or takes away (-1) ticket h's handling times. */
static void
hand_add(struct hl_ingest *in, const struct hand *h, int sign)
{
	uint64_t base = (uint64_t)h->district << (HAND_DAY_SHIFT + DAY_BITS) |
			h->day << HAND_DAY_SHIFT | (uint64_t)h->category << 1;
	int start;

	if (!h->has_closed || (h->quality & 1))
		return;
	for (start = 0; start < 2; start++) {
		hl_time from =
		    start && h->has_dispatched ? h->dispatched : h->accepted;
		struct roll *r;

		if (h->closed < from)
			continue;
		r = roll_slot(&in->hand, base | (uint64_t)start);
		r->n += sign;
		r->secs += sign * (long long)(h->closed - from);
	}
}

/* Writes the file's rollup changes and forgets them. */
static int
rollups_flush(struct hl_ingest *in)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < in->sat.cap && rc == 0; i++) {
		uint64_t k = in->sat.key[i];
		const struct roll *r = hl_idmap_val(&in->sat, i);

		if (k == 0 || r->n == 0)
			continue;
		rc = hl_store_sat_add(
		    in->st, (int64_t)(k >> SAT_DAY_SHIFT & DAY_MASK),
		    (int64_t)(k >> (SAT_DAY_SHIFT + DAY_BITS)),
		    (int)(k >> 2 & 1), (int)(k & 3), r->n);
	}
	for (i = 0; i < in->hand.cap && rc == 0; i++) {
		uint64_t k = in->hand.key[i];
		const struct roll *r = hl_idmap_val(&in->hand, i);

		if (k == 0 || (r->n == 0 && r->secs == 0))
			continue;
		rc = hl_store_hand_add(
		    in->st, (int64_t)(k >> HAND_DAY_SHIFT & DAY_MASK),
		    (int64_t)(k >> (HAND_DAY_SHIFT + DAY_BITS)),
		    (int)(k >> 1 & 7), (int)(k & 1), r->n, r->secs);
	}
	if (rc == 0)
		rc = hl_store_rollups_tidy(in->st);
	hl_idmap_clear(&in->sat);
	hl_idmap_clear(&in->hand);
	return rc == 0 ? 0 : store_fail(in);
}

/* ---- one record ---- */

static void
reject(struct hl_ingest *in, const struct cur *c, struct hl_pos pos, long col,
       const char *reason)
{
	struct hl_store_reject r;

	r.run = in->run;
	r.file = in->file;
	r.line = c->rec.start.line;
	r.col = pos.col;
	r.sheet = c->rec.start.sheet;
	r.field = col >= 0 ? in->headers[col] : NULL;
	r.reason = reason;
	r.raw = c->rec.raw;
	r.rawlen = c->rec.rawlen;
	/* A reject that cannot be kept fails the file: nothing is lost
	 * silently. */
	if (hl_store_reject_add(in->st, &r) != 0 && !in->reject_failed) {
		in->reject_failed = 1;
		store_fail(in);
	}
	in->stats.rejected++;
}

/* Reports and keeps a record the parse thread could not read. */
static void
reject_item(struct hl_ingest *in, const struct cur *c)
{
	const char *msg = c->b->bytes.data + c->it->msg;

	hl_diag_report_kind(in->diag, HL_ERROR, in->file, c->it->errpos,
			    c->it->errkind, "%s", msg);
	reject(in, c, c->it->errpos, c->it->col, msg);
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

/* Where the cell of field f starts (the record's start if it has none). */
static struct hl_pos
field_at(const struct hl_ingest *in, const struct cur *c, int f)
{
	long col = in->cols.col[f];

	return col < 0 ? c->rec.start
		       : hl_source_pos(in->src, &c->rec, (size_t)col);
}

/*
 * A row whose update time is older than the stored ticket's: not
 * applied, counted and said.
 */
static void
older(struct hl_ingest *in, const struct cur *c, hl_time stored)
{
	const struct hl_row *r = &c->it->row;
	char was[20], now[20];

	hl_time_format_iso(r->t[HL_F_UPDATED_AT], now);
	hl_time_format_iso(stored, was);
	hl_diag_report_kind(
	    in->diag, HL_WARNING, in->file, field_at(in, c, HL_F_UPDATED_AT),
	    "older",
	    "ticket '%.*s' updated %s, older than the stored %s: not "
	    "applied",
	    (int)(r->n[HL_F_TICKET_ID] > 40 ? 40 : r->n[HL_F_TICKET_ID]),
	    c->v[HL_F_TICKET_ID], now, was);
	in->stats.older++;
}

/* The data-quality flags of a row (schema.sql, ticket.quality). */
static unsigned
judge(const struct hl_ingest *in, const struct hl_row *r)
{
	unsigned q = 0;
	int f;

	if ((r->has_time >> HL_F_CLOSED_AT & 1) &&
	    r->t[HL_F_CLOSED_AT] < r->t[HL_F_ACCEPTED_AT])
		q |= HL_Q_CLOSED_BEFORE;
	if ((r->has_time >> HL_F_DEADLINE_AT & 1) &&
	    (r->has_time >> HL_F_DISPATCHED_AT & 1) &&
	    r->t[HL_F_DEADLINE_AT] < r->t[HL_F_DISPATCHED_AT])
		q |= HL_Q_DEADLINE_BEFORE;
	for (f = 0; f < HL_F_COUNT; f++)
		if ((r->has_time >> f & 1) && r->t[f] > in->now + 86400)
			q |= HL_Q_FUTURE;
	q |= r->unknown & HL_UNKNOWN_CATEGORY ? HL_Q_CATEGORY : 0;
	q |= r->unknown & HL_UNKNOWN_SATISFACTION ? HL_Q_SATISFACTION : 0;
	q |= r->unknown & HL_UNKNOWN_STATUS ? HL_Q_STATUS : 0;
	q |= r->unknown & HL_UNKNOWN_REOPEN ? HL_Q_REOPEN : 0;
	q |= r->unknown & HL_UNKNOWN_ANSWER ? HL_Q_ASSESS : 0;
	if (r->date_only >> HL_F_DEADLINE_AT & 1)
		q |= HL_Q_DEADLINE_DATE;
	return q;
}

/* One warning per data-quality flag of a row being stored. */
static void
warn_flags(struct hl_ingest *in, const struct cur *c)
{
	const struct hl_row *r = &c->it->row;
	unsigned q = c->quality;
	char id[64];
	int f;

	if ((q & ~HL_Q_DEADLINE_DATE) == 0)
		return;
	snprintf(id, sizeof(id), "%.*s",
		 (int)(r->n[HL_F_TICKET_ID] > 40 ? 40 : r->n[HL_F_TICKET_ID]),
		 c->v[HL_F_TICKET_ID]);
	if (q & HL_Q_CLOSED_BEFORE)
		warn_at(in, field_at(in, c, HL_F_CLOSED_AT),
			"closed before accepted", id,
			"; kept out of handling time");
	if (q & HL_Q_DEADLINE_BEFORE)
		warn_at(in, field_at(in, c, HL_F_DEADLINE_AT),
			"deadline before dispatch", id, "");
	for (f = 0; f < HL_F_COUNT && (q & HL_Q_FUTURE); f++)
		if ((r->has_time >> f & 1) && r->t[f] > in->now + 86400) {
			warn_at(in, field_at(in, c, f), "a time in the future",
				id, "");
			break;
		}
	if (q & HL_Q_CATEGORY)
		warn_at(in, field_at(in, c, HL_F_CATEGORY),
			"unknown category, classed 其他", id, "");
	if (q & HL_Q_SATISFACTION)
		warn_at(in, field_at(in, c, HL_F_SATISFACTION),
			"unknown satisfaction value, taken as not evaluated",
			id, "");
	if (q & HL_Q_STATUS)
		warn_at(in, field_at(in, c, HL_F_STATUS), "unknown status", id,
			"");
	if (q & HL_Q_BACKWARDS)
		warn_at(in, c->rec.start, "moved back from closed or evaluated",
			id,
			"; an older export after a newer one? (files are "
			"applied in the order given)");
	if (q & HL_Q_REOPEN)
		warn_at(in, field_at(in, c, HL_F_REOPEN_COUNT),
			"reopen count not a whole number from 0 to 1000, taken "
			"as unknown",
			id, "");
	for (f = 0;
	     f <= HL_F_UNREASONABLE - HL_F_VALID_CALLBACK && (q & HL_Q_ASSESS);
	     f++)
		if (r->unknown_answer >> f & 1)
			warn_at(in, field_at(in, c, HL_F_VALID_CALLBACK + f),
				"unknown yes/no answer, taken as not given", id,
				"");
}

/* ---- district spellings the region does not know ---- */

/* Counts the row's district (c->dict[HL_F_DISTRICT]) against the region. */
static void
district_seen(struct hl_ingest *in, const struct cur *c)
{
	int isnew;
	struct dseen *d = hl_idmap_slot(
	    &in->districts, (uint64_t)c->dict[HL_F_DISTRICT], &isnew);

	if (isnew) {
		struct hl_buf key = HL_BUF_INIT, disp = HL_BUF_INIT;
		const char *v = c->v[HL_F_DISTRICT];
		size_t n = c->it->row.n[HL_F_DISTRICT];

		d->unknown =
		    hl_region_match(in->o.region, v, n, &key, &disp) == -1;
		d->first = field_at(in, c, HL_F_DISTRICT);
		if (d->unknown) {
			d->spelling = hl_xmalloc(n + 1);
			memcpy(d->spelling, v, n);
			d->spelling[n] = '\0';
		}
		hl_buf_release(&key);
		hl_buf_release(&disp);
	}
	d->n++;
}

static void
districts_clear(struct hl_ingest *in)
{
	size_t i;

	for (i = 0; i < in->districts.cap; i++)
		if (in->districts.key[i])
			free(((struct dseen *)hl_idmap_val(&in->districts, i))
				 ->spelling);
	hl_idmap_clear(&in->districts);
}

static int
cmp_dseen(const void *a, const void *b)
{
	const struct dseen *x = *(const struct dseen *const *)a;
	const struct dseen *y = *(const struct dseen *const *)b;

	if (x->first.line != y->first.line)
		return x->first.line < y->first.line ? -1 : 1;
	return (x->first.col > y->first.col) - (x->first.col < y->first.col);
}

/*
 * One warning per district spelling of the file that the region does not
 * know, with its count, in the order they first appear; then forgets
 * them.
 */
static void
districts_report(struct hl_ingest *in)
{
	struct dseen **v = hl_xcalloc(in->districts.n + 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < in->districts.cap; i++)
		if (in->districts.key[i] &&
		    ((struct dseen *)hl_idmap_val(&in->districts, i))->unknown)
			v[n++] = hl_idmap_val(&in->districts, i);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_dseen);
	for (i = 0; i < n; i++)
		hl_diag_report(in->diag, HL_WARNING, in->file, v[i]->first,
			       "district '%s' (%lu %s) is not one of %s's "
			       "(%s): its tickets count as a district of "
			       "their own; --region names another region",
			       v[i]->spelling, v[i]->n,
			       v[i]->n == 1 ? "row" : "rows",
			       hl_region_city(in->o.region),
			       hl_region_source(in->o.region));
	free(v);
	districts_clear(in);
}

/*
 * The dict id of field f's cell into *id (0 when the cell is empty), and
 * into c->dict[f].  0, or -1.
 */
static int
field_dict(struct hl_ingest *in, struct cur *c, int f, enum hl_dict kind,
	   int64_t *id)
{
	c->dict[f] = 0;
	*id = 0;
	if (c->v[f] == NULL)
		return 0;
	c->dict[f] = dict_id(in, kind, c->v[f], c->it->row.n[f]);
	if (c->dict[f] == 0)
		return -1;
	*id = c->dict[f];
	return 0;
}

/*
 * The row as the store writes it: the free text and the unmapped cells
 * borrowed from the batch.  The dict ids are made in the columns' order,
 * as they always were.  0, or -1.
 */
static int
fill_row(struct hl_ingest *in, struct cur *c, struct hl_store_row *w)
{
	static const int times[HL_STORE_NT] = {
	    HL_F_ACCEPTED_AT, HL_F_DISPATCHED_AT, HL_F_SIGNED_AT,
	    HL_F_DEADLINE_AT, HL_F_CLOSED_AT};
	const struct hl_row *r = &c->it->row;
	int i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < HL_STORE_NT; i++)
		if (r->has_time >> times[i] & 1) {
			w->has |= 1u << i;
			w->t[i] = r->t[times[i]];
		}
	w->has_updated = r->has_time >> HL_F_UPDATED_AT & 1;
	w->updated_at = r->t[HL_F_UPDATED_AT];
	if (field_dict(in, c, HL_F_DISTRICT, HL_DICT_DISTRICT, &w->district) ||
	    field_dict(in, c, HL_F_STREET, HL_DICT_STREET, &w->street) ||
	    field_dict(in, c, HL_F_UNIT, HL_DICT_UNIT, &w->unit) ||
	    field_dict(in, c, HL_F_CHANNEL, HL_DICT_CHANNEL, &w->channel) ||
	    field_dict(in, c, HL_F_CATEGORY, HL_DICT_CATEGORY,
		       &w->category_raw) ||
	    field_dict(in, c, HL_F_IS_KEY, HL_DICT_KEY, &w->key_raw) ||
	    field_dict(in, c, HL_F_SATISFACTION, HL_DICT_SATISFACTION,
		       &w->sat_raw) ||
	    field_dict(in, c, HL_F_STATUS, HL_DICT_STATUS, &w->status_raw) ||
	    field_dict(in, c, HL_F_REOPEN_COUNT, HL_DICT_REOPEN,
		       &w->reopen_raw))
		return -1;
	w->category = r->category;
	w->is_key = r->is_key == HL_YESNO_UNKNOWN ? -1 : r->is_key;
	w->sat = r->satisfaction; /* the model's code is the stored one */
	w->status = r->status == HL_ST_UNKNOWN ? -1 : r->status;
	/* absent, or not a count: the raw cell says */
	w->reopen = r->reopen < 0 ? -1 : r->reopen;
	w->quality = c->quality;
	w->row_hash = (int64_t)r->hash;
	w->run = in->run;
	w->line = c->rec.start.line;
	w->ticket_id = c->v[HL_F_TICKET_ID];
	w->ticket_id_len = r->n[HL_F_TICKET_ID];
	w->content = c->v[HL_F_CONTENT];
	w->content_len = r->n[HL_F_CONTENT];
	if (r->extralen) {
		w->extra = c->b->bytes.data + r->extra;
		w->extra_len = r->extralen;
	}
	w->assess = r->assess;
	c->dict[HL_F_TOPIC] = 0;
	if (r->has_topic) {
		w->topic = c->dict[HL_F_TOPIC] = dict_id(
		    in, HL_DICT_TOPIC, c->b->bytes.data + r->topic, r->topic_n);
		if (w->topic == 0)
			return -1;
	}
	if (r->has_caller)
		w->caller = (const unsigned char *)c->b->bytes.data + r->caller;
	if (r->has_quoted) {
		w->quoted = c->b->bytes.data + r->quoted;
		w->quoted_len = r->quoted_n;
	}
	return 0;
}

#define REPEATED_ID "ticket ID '%.*s' repeats line %lld with different data"

/* What decide() says of a row it keeps out. */
enum { WHY_REPEATED = 1, WHY_OLDER };

/*
 * The policy for a row whose ticket is stored (hl_store_put()): the same
 * data is unchanged; other data for an ID this file already gave is an
 * error (a repeated ID); an update older than the stored one is not
 * applied (order is part of the data: README "Nightly use"); else the
 * row replaces the ticket, flagged when it moves it back.
 */
static enum hl_store_outcome
decide(void *arg, struct hl_store_put *p)
{
	struct hl_store_row *w = &p->row;
	const struct hl_store_stored *old = &p->old;

	(void)arg;
	if (old->row_hash == w->row_hash)
		return HL_PUT_UNCHANGED;
	if (old->run == w->run) {
		p->why = WHY_REPEATED;
		return HL_PUT_KEPT;
	}
	if (old->has_updated && w->has_updated &&
	    w->updated_at < old->updated) {
		p->why = WHY_OLDER;
		return HL_PUT_KEPT;
	}
	/* Re-handling (重办) reopens a ticket and may clear its evaluation:
	 * a move back without a higher reopen count is what is flagged. */
	if (((old->has_closed && !(w->has & 1u << HL_STORE_T_CLOSED)) ||
	     (old->sat != HL_SAT_NOT_EVALUATED &&
	      w->sat == HL_SAT_NOT_EVALUATED)) &&
	    !(w->reopen >= 0 && w->reopen > old->reopen))
		w->quality |= HL_Q_BACKWARDS;
	return HL_PUT_UPDATED;
}

/* Makes the row to put of a readable record c. */
static int
prepare_row(struct hl_ingest *in, struct cur *c, struct hl_store_put *p)
{
	int f;

	for (f = 0; f < HL_F_COUNT; f++)
		c->v[f] = hl_row_value(c->b, &c->it->row, f);
	c->quality = judge(in, &c->it->row);
	return fill_row(in, c, &p->row);
}

/* The repeated ID of c, kept as a reject (it repeats line `line`). */
static void
repeated(struct hl_ingest *in, const struct cur *c, long long line)
{
	const struct hl_row *r = &c->it->row;
	char msg[200];

	snprintf(msg, sizeof(msg), REPEATED_ID,
		 (int)(r->n[HL_F_TICKET_ID] > 40 ? 40 : r->n[HL_F_TICKET_ID]),
		 c->v[HL_F_TICKET_ID], line);
	hl_diag_report_kind(in->diag, HL_ERROR, in->file,
			    field_at(in, c, HL_F_TICKET_ID), REPEATED_ID, "%s",
			    msg);
	reject(in, c, field_at(in, c, HL_F_TICKET_ID),
	       in->cols.col[HL_F_TICKET_ID], msg);
}

/*
 * What a put row did, counted and said in the order of the file: the
 * rollups lose the old version of an updated ticket and gain the new
 * one, and the row's flags are warned of.
 */
static void
row_done(struct hl_ingest *in, struct cur *c, const struct hl_store_put *p)
{
	const struct hl_row *r = &c->it->row;
	const struct hl_store_stored *old = &p->old;
	struct hand h, was;

	switch (p->outcome) {
	case HL_PUT_UNCHANGED:
		in->stats.unchanged++;
		return;
	case HL_PUT_KEPT:
		if (p->why == WHY_REPEATED)
			repeated(in, c, (long long)old->line);
		else
			older(in, c, old->updated);
		return;
	case HL_PUT_UPDATED:
		/* Only an update takes the old version out of the rollups. */
		was.accepted = old->accepted;
		was.day = (uint64_t)hl_time_yyyymmdd(was.accepted);
		was.district = old->district;
		was.has_dispatched = old->has_dispatched;
		was.dispatched = old->dispatched;
		was.has_closed = old->has_closed;
		was.closed = old->closed;
		was.category = old->category;
		was.quality = old->quality;
		sat_add(in, was.day, was.district, old->is_key, old->sat, -1);
		hand_add(in, &was, -1);
		in->stats.updated++;
		break;
	case HL_PUT_INSERTED:
		in->stats.inserted++;
		break;
	}
	c->quality = p->row.quality;
	h.accepted = r->t[HL_F_ACCEPTED_AT];
	h.day = (uint64_t)hl_time_yyyymmdd(h.accepted);
	sat_add(in, h.day, c->dict[HL_F_DISTRICT], r->is_key, p->row.sat, 1);
	h.district = c->dict[HL_F_DISTRICT];
	h.has_dispatched = r->has_time >> HL_F_DISPATCHED_AT & 1;
	h.dispatched = r->t[HL_F_DISPATCHED_AT];
	h.has_closed = r->has_time >> HL_F_CLOSED_AT & 1;
	h.closed = r->t[HL_F_CLOSED_AT];
	h.category = r->category;
	h.quality = (int)c->quality;
	hand_add(in, &h, 1);
	warn_flags(in, c);
	if (c->quality & ~HL_Q_DEADLINE_DATE)
		in->stats.flagged++;
}

/* ---- the file ---- */

static void
free_headers(struct hl_ingest *in)
{
	hl_free_strv(in->headers, in->ncols);
	free(in->extra);
	in->headers = NULL;
	in->extra = NULL;
	in->ncols = in->nextra = 0;
}

/* How many records the header is looked for among (title rows above). */
#define HEADER_SEARCH 20

/* The header cells of rec, owned by in. */
static void
take_headers(struct hl_ingest *in, const struct hl_record *rec)
{
	size_t i;

	hl_free_strv(in->headers, in->ncols);
	in->ncols = rec->nfields;
	in->headers = hl_xcalloc(rec->nfields, sizeof(*in->headers));
	for (i = 0; i < rec->nfields; i++)
		in->headers[i] = hl_xstrdup(rec->field[i]);
}

/* The fields the figures read besides the two every export has. */
static const enum hl_field for_figures[] = {
    HL_F_DISTRICT,    HL_F_CATEGORY,     HL_F_IS_KEY,      HL_F_CLOSED_AT,
    HL_F_DEADLINE_AT, HL_F_SATISFACTION, HL_F_REOPEN_COUNT};

unsigned
hl_ingest_missing(const struct hl_ingest *in)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(for_figures); i++)
		if (in->cols.col[for_figures[i]] < 0)
			bits |= 1u << for_figures[i];
	return bits;
}

/*
 * Nothing dropped in silence: every header that maps to no field is
 * named (its cells are kept in the ticket's extra), and so is every field
 * the figures need that no column gives.
 */
static void
report_columns(struct hl_ingest *in, const struct hl_pos *at)
{
	struct hl_buf b = HL_BUF_INIT;
	size_t i;

	for (i = 0; i < in->nextra; i++)
		hl_buf_printf(&b, "%s'%s' (%zu)", i ? ", " : "",
			      in->headers[in->extra[i]], in->extra[i] + 1);
	if (in->nextra)
		hl_diag_report(in->diag, HL_WARNING, in->file, *at,
			       "%zu column%s map%s to no field, kept as extra "
			       "data and not read (a mapping file can name "
			       "them): %s",
			       in->nextra, in->nextra == 1 ? "" : "s",
			       in->nextra == 1 ? "s" : "", b.data);
	hl_buf_reset(&b);
	for (i = 0; i < HL_ARRAY_LEN(for_figures); i++)
		if (in->cols.col[for_figures[i]] < 0)
			hl_buf_printf(&b, "%s%s", b.len ? ", " : "",
				      hl_field_name(for_figures[i]));
	if (b.len)
		hl_diag_report(in->diag, HL_WARNING, in->file, *at,
			       "no column gives %s: the figures that need "
			       "them will be empty (a mapping file can name "
			       "the columns)",
			       b.data);
	hl_buf_release(&b);
}

/*
 * The header: the first of the first records that maps the required
 * fields (a title row or two above it are skipped, and said); when none
 * does, the first record's reason.
 */
static int
read_header(struct hl_ingest *in, struct hl_source *src)
{
	struct hl_record rec;
	struct hl_buf why = HL_BUF_INIT;
	struct hl_pos first = {0, 0, NULL};
	size_t i, j;
	int rc, k;

	for (k = 0; k < HEADER_SEARCH; k++) {
		while ((rc = hl_source_next(src, &rec)) == -1) {
			hl_diag_report(in->diag, HL_ERROR, in->file, rec.errpos,
				       "%s", rec.errmsg);
			hl_buf_release(&why);
			return fail(in, HL_INGEST_EPARSE,
				    "'%s': cannot read the header", in->file);
		}
		if (rc == -2) {
			hl_buf_release(&why);
			return fail(in, HL_INGEST_EIO, "%s",
				    hl_source_errmsg(src));
		}
		if (rc == 0)
			break;
		take_headers(in, &rec);
		if (hl_mapping_resolve(in->map, in->headers, in->ncols,
				       &in->cols) == 0)
			break;
		if (k == 0) {
			hl_buf_adds(&why, hl_mapping_errmsg(in->map));
			first = rec.start;
		}
	}
	if (k == 0 && rc == 0)
		return fail(in, HL_INGEST_ESCHEMA, "'%s' is empty: no header",
			    in->file);
	if (rc == 0 || k == HEADER_SEARCH) {
		fail(in, HL_INGEST_ESCHEMA, "'%s': %s", in->file, why.data);
		hl_buf_release(&why);
		return -1;
	}
	hl_buf_release(&why);
	in->header_line = rec.start.line;
	if (k > 0)
		hl_diag_report(in->diag, HL_NOTE, in->file, first,
			       "the header is on line %lu: the %d line%s above "
			       "it (a title) %s skipped",
			       rec.start.line, k, k == 1 ? "" : "s",
			       k == 1 ? "is" : "are");
	/* Kept as JSON per row: unmapped columns and lost duplicates. */
	in->extra = hl_xcalloc(in->ncols, sizeof(*in->extra));
	for (i = 0; i < in->ncols; i++) {
		int mapped = 0;

		for (j = 0; j < HL_F_COUNT; j++)
			mapped |= in->cols.col[j] == (long)i;
		if (!mapped)
			in->extra[in->nextra++] = i;
	}
	report_columns(in, &rec.start);
	return 0;
}

static void sha_start(struct hl_ingest *in);
static void sha_update(void *arg, const void *p, size_t n);

/*
 * The table: its header found on the sheet asked for or, with no --sheet,
 * on the first sheet of the workbook where one maps (the first sheets of
 * an export are often notes or a summary); each sheet passed over is
 * named, with why.  *src is replaced by the sheet read; tap: hash it.
 */
int
hl_ingest_find_table(struct hl_ingest *in, struct hl_source **src, FILE *f,
		     int tap)
{
	const char *name;
	long k = 1;
	int rc;

	while ((rc = read_header(in, *src)) != 0 && in->o.sheet == NULL &&
	       in->err.code == HL_INGEST_ESCHEMA &&
	       k < hl_source_sheets(*src, &name)) {
		const char *why = hl_ingest_errmsg(in);
		char num[24];

		/* the message without its "'file': " */
		if (strncmp(why, "'", 1) == 0 && strstr(why, "': "))
			why = strstr(why, "': ") + 3;
		hl_diag_report(
		    in->diag, HL_NOTE, in->file, (struct hl_pos){0, 0, NULL},
		    "sheet '%s' skipped: %s", name ? name : "?", why);
		in->err.code = 0;
		hl_buf_reset(&in->err.msg);
		free_headers(in);
		hl_source_free(*src);
		snprintf(num, sizeof(num), "%ld", ++k);
		*src = in->src = hl_source_open(f, in->file, in->enc, num);
		if (tap) {
			sha_start(in);
			hl_source_tap(*src, sha_update, in->md);
		}
	}
	return rc;
}

/* SHA-256 of what passes: the reader's tap. */
static void
sha_update(void *arg, const void *p, size_t n)
{
	EVP_DigestUpdate(arg, p, n);
}

/* Starts in->md afresh. */
static void
sha_start(struct hl_ingest *in)
{
	if (in->md == NULL && (in->md = EVP_MD_CTX_new()) == NULL)
		hl_oom(0);
	if (!EVP_DigestInit_ex(in->md, EVP_sha256(), NULL))
		hl_oom(0);
}

/* Ends in->md into hex, 64 hex digits. */
static void
sha_end(struct hl_ingest *in, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0, i;

	EVP_DigestFinal_ex(in->md, md, &len);
	for (i = 0; i < len && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * i] = '\0';
}

/*
 * The SHA-256 of the open file f into hex, read before the ingest: only
 * when a file of its size was ingested before, so that a new file is read
 * once, hashed as it is parsed.
 */
static int
file_sha256(struct hl_ingest *in, FILE *f, char hex[65])
{
	static unsigned char buf[1 << 16];
	size_t n;
	int rc = 0;

	sha_start(in);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sha_update(in->md, buf, n);
	if (ferror(f))
		rc = fail(in, HL_INGEST_EIO, "cannot read '%s': %s", in->file,
			  strerror(errno));
	sha_end(in, hex);
	rewind(f);
	return rc;
}

/*
 * HL_STORE_JOURNAL when the database holds no ticket yet or --bulk asked
 * for it, else 0: a database with tickets may have readers, and they
 * would wait for the commit of a load with a rollback journal.  The index
 * is kept up to date row by row in either case: dropping it and building
 * it from sorted keys at commit took as long for a file in time order,
 * whose rows land at one end of each district's range, with the narrow
 * index it once was, and 30 % longer with the covering one (0.3-scale
 * city year); into a database holding tickets it would also read them all
 * again.  A file in random order loads slower (ticket IDs and index
 * entries land anywhere): 0.3 scale, 18 s instead of 8 s.
 */
static unsigned
load_flags(struct hl_ingest *in)
{
	if (in->o.bulk)
		return HL_STORE_JOURNAL;
	return hl_store_no_tickets(in->st) == 1 ? HL_STORE_JOURNAL : 0;
}

static int
run_begin(struct hl_ingest *in, long long size)
{
	if (hl_store_run_add(in->st, in->file, size, hl_encoding_name(in->enc),
			     in->now, &in->run) != 0)
		return store_fail(in);
	return 0;
}

static int
run_end(struct hl_ingest *in, const char *encoding, const char *sha)
{
	struct hl_store_run_end e;

	e.finished = now_cst(in);
	e.read = in->stats.read;
	e.inserted = in->stats.inserted;
	e.updated = in->stats.updated;
	e.unchanged = in->stats.unchanged;
	e.rejected = in->stats.rejected;
	e.flagged = in->stats.flagged;
	e.encoding = encoding;
	e.headers = hl_cells_json(in->headers, NULL, NULL, in->ncols);
	e.extra_headers =
	    in->nextra ? hl_cells_json(in->headers, NULL, in->extra, in->nextra)
		       : NULL;
	e.sha256 = sha;
	return hl_store_run_end(in->st, in->run, &e) == 0 ? 0 : store_fail(in);
}

static void
progress(struct hl_ingest *in, unsigned long long offset, long long size)
{
	struct hl_ingest_progress pr;

	if (in->o.progress == NULL)
		return;
	pr.file = in->file;
	pr.offset = offset;
	pr.size = size;
	pr.rows = in->stats.read;
	in->o.progress(in->o.progress_arg, &pr);
}

/* A record that is no ticket and no error: counted, said at the end. */
void
hl_ingest_skip_seen(struct hl_ingest *in, const struct cur *c)
{
	int k = (int)c->it->col;

	if (in->skips[k]++ == 0)
		in->skip_line[k] = c->it->start.line;
	in->stats.skipped++;
}

/* The fields a ticket has but for a gap in the export. */
static const enum hl_field always_given[] = {HL_F_CHANNEL, HL_F_CATEGORY,
					     HL_F_IS_KEY,  HL_F_DISTRICT,
					     HL_F_STREET,  HL_F_UNIT};

/* The blank cells of a readable row, by column. */
void
hl_ingest_blanks_seen(struct hl_ingest *in, const struct cur *c)
{
	size_t i;

	in->rows++;
	for (i = 0; i < HL_ARRAY_LEN(always_given); i++) {
		enum hl_field f = always_given[i];

		if (in->cols.col[f] >= 0 && !(c->it->row.present >> f & 1) &&
		    in->blanks[f]++ == 0)
			in->blank_line[f] = c->it->start.line;
	}
}

/*
 * Nothing dropped in silence: a column that is given but blank in some
 * rows (the cells of a merged range in a spreadsheet are blank but the
 * first) leaves those tickets without the field; said per column.
 */
void
hl_ingest_blanks_report(struct hl_ingest *in)
{
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(always_given); i++) {
		enum hl_field f = always_given[i];
		long col = in->cols.col[f];

		if (col < 0 || in->blanks[f] == 0)
			continue;
		hl_diag_report(
		    in->diag, HL_WARNING, in->file,
		    (struct hl_pos){in->blank_line[f], 1, NULL},
		    "column '%s' (%s) is blank in %lu of %lu rows, the first "
		    "here: those tickets have no %s (merged cells in the "
		    "export leave all but their first cell blank)",
		    in->headers[col], hl_field_name(f), in->blanks[f], in->rows,
		    hl_field_name(f));
	}
}

/* The rows skipped as no tickets, in one note. */
void
hl_ingest_skips_report(struct hl_ingest *in)
{
	static const char *const what[HL_SKIP_N] = {"empty", "totals (合计)"};
	struct hl_buf b = HL_BUF_INIT;
	int k;

	for (k = 0; k < HL_SKIP_N; k++)
		if (in->skips[k])
			hl_buf_printf(&b, "%s%lu %s (the first on line %lu)",
				      b.len ? ", " : "", in->skips[k], what[k],
				      in->skip_line[k]);
	if (b.len)
		hl_diag_report(in->diag, HL_NOTE, in->file,
			       (struct hl_pos){0, 0, NULL},
			       "rows skipped as no tickets: %s", b.data);
	hl_buf_release(&b);
	memset(in->skips, 0, sizeof(in->skips));
}

/*
 * The items of batch b, in order: the readable records are put in one
 * call, then what became of each is counted and said with the rejects
 * between them, as the file has them; a failed read ends the file.
 */
static int
put_batch(struct hl_ingest *in, struct hl_batch *b)
{
	size_t i, k = 0, n;
	int rc = 0;

	if (b->n > in->cap_rows) {
		in->cap_rows = b->n;
		in->curs = hl_xrealloc(in->curs, b->n * sizeof(*in->curs));
		in->puts = hl_xrealloc(in->puts, b->n * sizeof(*in->puts));
	}
	for (n = 0; n < b->n && b->items[n].kind != HL_ITEM_FAIL; n++) {
		struct cur *c = &in->curs[n];

		c->b = b;
		c->it = &b->items[n];
		c->rec = hl_item_record(b, c->it);
		if (c->it->kind == HL_ITEM_ROW &&
		    prepare_row(in, c, &in->puts[k++]) != 0)
			return -1;
	}
	if (hl_store_put(in->st, in->puts, k, decide, in) != 0)
		return store_fail(in);
	for (i = 0, k = 0; i < n && rc == 0; i++) {
		struct cur *c = &in->curs[i];

		if (c->it->kind == HL_ITEM_SKIP) {
			hl_ingest_skip_seen(in, c);
			continue;
		}
		in->stats.read++;
		if (c->it->kind == HL_ITEM_REJECT) {
			reject_item(in, c);
		} else {
			unsigned long rej = in->stats.rejected;

			hl_ingest_blanks_seen(in, c);
			row_done(in, c, &in->puts[k++]);
			/* Once per stored row, not for a repeated ID. */
			if (in->o.region && in->stats.rejected == rej &&
			    c->dict[HL_F_DISTRICT] != 0)
				district_seen(in, c);
		}
		if (in->reject_failed)
			rc = -1;
		if (rc == 0 && in->o.max_errors &&
		    in->stats.rejected >= in->o.max_errors)
			rc = fail(
			    in, HL_INGEST_ELIMIT,
			    "'%s': stopped after %lu rejected rows "
			    "(--max-errors); nothing of this file was kept",
			    in->file, in->stats.rejected);
	}
	if (rc == 0 && n < b->n)
		rc = fail(in, HL_INGEST_EIO, "%s",
			  b->bytes.data + b->items[n].msg);
	return rc;
}

void
hl_ingest_parse(struct hl_ingest *in, struct hl_source *src, struct hl_parse *p)
{
	p->src = src;
	p->map = in->map;
	p->cols = &in->cols;
	p->headers = in->headers;
	p->ncols = in->ncols;
	p->extra = in->extra;
	p->nextra = in->nextra;
	p->key = in->have_key ? in->key : NULL;
}

/*
 * The database's key of the caller hashes, when the file has a column
 * of callers' numbers (made by the first file that needs it).  0, or -1.
 */
static int
caller_key(struct hl_ingest *in)
{
	size_t i;
	int need = in->cols.col[HL_F_CALLER] >= 0;

	for (i = 0; i < in->cols.ndups; i++)
		need |= in->cols.dups[i].field == HL_F_CALLER;
	if (!need || in->have_key)
		return 0;
	if (hl_store_caller_key(in->st, in->key) != 0)
		return store_fail(in);
	in->have_key = 1;
	return 0;
}

/* Writes what the parse thread makes of the rows, in order. */
static int
read_rows(struct hl_ingest *in, struct hl_source *src, long long size)
{
	struct hl_parse p;
	struct hl_pipe *pp;
	struct hl_batch *b;
	int rc = 0, end = 0;

	hl_ingest_parse(in, src, &p);
	pp = hl_pipe_start(&p);
	while (rc == 0 && !end) {
		b = hl_pipe_next(pp);
		end = b->end;
		rc = put_batch(in, b);
		if (rc == 0)
			progress(in, b->offset, size);
		if (rc == 0 && in->o.stop && *in->o.stop)
			rc = fail(in, HL_INGEST_EINTR,
				  "'%s': interrupted; the file was rolled back",
				  in->file);
		hl_pipe_release(pp, b);
	}
	hl_pipe_free(pp);
	return rc;
}

void
hl_ingest_start_file(struct hl_ingest *in, const char *path)
{
	memset(&in->stats, 0, sizeof(in->stats));
	memset(in->skips, 0, sizeof(in->skips));
	memset(in->blanks, 0, sizeof(in->blanks));
	in->rows = 0;
	in->now = now_cst(in);
	in->reject_failed = 0;
	in->file = strcmp(path, "-") == 0 ? "<stdin>" : path;
}

void
hl_ingest_end_file(struct hl_ingest *in)
{
	hl_idmap_clear(&in->sat);
	hl_idmap_clear(&in->hand);
	hl_source_free(in->src);
	in->src = NULL;
	free_headers(in);
	hl_columns_release(&in->cols);
}

int
hl_ingest_file(struct hl_ingest *in, const char *path,
	       struct hl_ingest_stats *stats)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct hl_source *src = NULL;
	long long size = -1;
	char sha[65] = "";
	int rc = -1;

	hl_ingest_start_file(in, path);
	if (f == NULL) {
		rc = fail(in, HL_INGEST_EIO, "cannot open '%s': %s", path,
			  strerror(errno));
		goto done;
	}
	if (f != stdin && fseek(f, 0, SEEK_END) == 0) {
		size = ftell(f);
		rewind(f);
	}
	/*
	 * The same bytes twice are skipped: a file is hashed up front when
	 * one of its size was read before, else while it is parsed (standard
	 * input too, which cannot be read twice).
	 */
	if (!in->o.force && size >= 0 && hl_store_run_size_seen(in->st, size)) {
		if (file_sha256(in, f, sha) != 0)
			goto done;
		if ((in->stats.skipped_as =
			 hl_store_run_with_sha(in->st, sha)) > 0) {
			rc = 0;
			goto done;
		}
	}
	if (hl_store_begin_write(in->st, load_flags(in)) != 0) {
		rc = fail(in, HL_INGEST_ESTORE, "%s", hl_store_errmsg(in->st));
		goto done;
	}
	if (in->o.bulk && !hl_store_in_journal(in->st))
		hl_diag_report(in->diag, HL_NOTE, in->file,
			       (struct hl_pos){0, 0, NULL},
			       "--bulk: another connection has the database "
			       "open, so this load goes through WAL");
	src = in->src = hl_source_open(f, in->file, in->enc, in->o.sheet);
	if (!sha[0]) {
		sha_start(in);
		hl_source_tap(src, sha_update, in->md);
	}
	if (run_begin(in, size) != 0 ||
	    hl_ingest_find_table(in, &src, f, !sha[0]) != 0 ||
	    caller_key(in) != 0 || read_rows(in, src, size) != 0 ||
	    rollups_flush(in) != 0) {
		districts_clear(in);
		hl_store_rollback(in->st);
		dict_clear(in);
		/* a key made in this transaction is gone with it */
		in->have_key = 0;
		goto done;
	}
	if (!sha[0])
		sha_end(in, sha);
	districts_report(in);
	hl_ingest_blanks_report(in);
	hl_ingest_skips_report(in);
	if (hl_source_switched(src))
		hl_diag_report(
		    in->diag, HL_NOTE, in->file,
		    (struct hl_pos){hl_source_switched(src), 1, NULL},
		    "read as GB18030 from here: the lines before "
		    "were ASCII, and these bytes are GB18030, not "
		    "UTF-8");
	if (run_end(in, hl_source_encoding(src), sha) != 0) {
		hl_store_rollback(in->st);
		dict_clear(in);
		in->have_key = 0;
		goto done;
	}
	if (hl_store_commit(in->st) != 0) {
		rc = fail(in, HL_INGEST_ESTORE, "%s", hl_store_errmsg(in->st));
		hl_store_rollback(in->st);
		dict_clear(in);
		in->have_key = 0;
		goto done;
	}
	rc = 0;
done:
	/* A read cut short by the signal says so, not "cannot read". */
	if (rc != 0 && in->o.stop && *in->o.stop)
		fail(in, HL_INGEST_EINTR,
		     "'%s': interrupted; the file was rolled back", in->file);
	if (stats)
		*stats = in->stats;
	hl_ingest_end_file(in);
	if (f && f != stdin)
		fclose(f);
	return rc;
}
