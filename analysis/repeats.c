/*
 * repeats.c - repeat calls (docs/analyses.md): tickets that quote an
 * earlier ticket's ID, and tickets of the same caller (a keyed hash),
 * topic and street within the settings' days, linked into cases.
 *
 * The metrics' scan hands every ticket it reads to an_repeat_take(); the
 * days of the lookback before the scan's start come with the topics'
 * reads of them (an_repeat_link()), or are read after the scan with
 * hl_store_links().  The tickets with a caller hash or a quote are kept,
 * each quote with its ticket's id when that is stored (ingest keeps it),
 * the times of those not read looked up in one call.  A quote joins the
 * two tickets in a union-find; so does a caller's latest earlier ticket of
 * the same topic and street within the days, found by sorting the tickets
 * by caller key and time (a radix sort of the keys, not a hash map's
 * random walk).  Only the tickets a link touches become nodes, keyed by
 * their ids (a quoted ID that is not stored by its text), so a year of a
 * district's tickets costs a few megabytes.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

/*
 * The tickets read without a caller or a quote, kept for their times (a
 * quoted ticket is most often one of them: read before the quote), at
 * most SEEN_MAX (16 MB); the times of the others are looked up.
 */
struct seen {
	int64_t id, accepted;
};
#define SEEN_MAX (1u << 20)

/* A ticket read: 32 bytes. */
struct lrow {
	int64_t id, accepted;
	uint64_t key;   /* caller, topic and street hashed; 0 none */
	uint32_t quote; /* its quote: quotes[quote - 1]; 0 none */
	uint16_t in_period;
	uint16_t by_caller; /* repeats the one before it in key order */
};

/* What a ticket quotes: the ticket's id when stored, else the ID. */
struct quote {
	int64_t qid;    /* the ticket it quotes, when stored; else 0 */
	uint32_t qtext; /* the ID it quotes: texts[qtext - 1] */
};

/*
 * Where a keyed row sorts: the top 64 - ROW_BITS bits of its key above
 * its place in rows (a district-year's keys differ in those bits but for
 * a few pairs, which the sort tells apart by the whole key).
 */
#define ROW_BITS 31
#define ROW_MASK ((UINT64_C(1) << ROW_BITS) - 1)
#define DIGIT_BITS 11

/* What a case gathers: its size, tickets in the period, first and last
 * stored tickets (nodes + 1). */
struct agg {
	long size, in_period;
	size_t first, last;
};

/* A ticket a link touches. */
struct node {
	size_t parent;
	int64_t id;       /* ticket.id; 0: quoted, not stored */
	int64_t accepted; /* 0 when not stored */
	uint32_t text;    /* not stored: texts[text - 1] */
	uint32_t in_period;
};

struct rep {
	struct ctx *x;
	hl_time p0, p1, days, from; /* from: the lookback's start */
	hl_time read_lo; /* [read_lo, p1) is read: the scan and after */
	struct lrow *rows;
	size_t nrows, caprows;
	struct quote *quotes;
	size_t nquotes, capquotes;
	char **texts; /* the quoted IDs not stored */
	size_t ntexts, captexts;
	struct hl_idmap qat; /* a quoted ticket's id -> its time */
	struct seen *seen;   /* the other tickets read, for their times */
	size_t nseen, capseen;
	struct node *nodes;
	size_t nnodes, capnodes;
	struct hl_idmap node_of; /* id, or text hash | 1 << 63 -> node + 1 */
	int callers_seen;
	int walked; /* an_repeats() linked them: the cases are known */
	/* for an_repeat_of(), made on its first call: each case's size and
	 * first stored ticket (by its root), how each ticket read repeats */
	struct agg *case_of;
	struct hl_idmap how_of; /* id -> HL_REPEAT_* bits */
};

static uint64_t
fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	while (n--)
		h = (h ^ *s++) * 1099511628211u;
	return h;
}

/*
 * The key of a caller, topic and street: a 64-bit hash of them, nonzero.
 * The caller hash is already a keyed HMAC, uniform in its bits: two
 * keys of a year's callers meet by chance once in about 10^8 years.
 */
static uint64_t
mix(uint64_t z)
{
	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9u;
	z = (z ^ z >> 27) * 0x94d049bb133111ebu;
	return z ^ z >> 31;
}

static uint64_t
caller_key(const unsigned char *caller, int64_t topic, int64_t street)
{
	uint64_t h, t;

	memcpy(&h, caller, sizeof(h));
	memcpy(&t, caller + 8, sizeof(t));
	h = mix(h ^ mix(t ^ mix((uint64_t)topic ^ mix((uint64_t)street))));
	return h ? h : 1;
}

/* A ticket with a caller hash or a quote, kept in reading order. */
static void
keep(struct rep *r, int64_t id, hl_time accepted, int64_t street, int64_t topic,
     const unsigned char *caller, const char *quoted, int64_t quoted_id)
{
	struct lrow *w;

	if (accepted < r->from || accepted >= r->p1 ||
	    (r->days == 0 && quoted == NULL))
		return; /* a caller alone links nothing when days are 0 */
	if (r->nrows > ROW_MASK) /* by_key()'s places: 64 GB of rows */
		hl_oom(0);
	r->rows =
	    hl_grow(r->rows, r->nrows, &r->caprows, sizeof(*r->rows), 4096);
	w = &r->rows[r->nrows++];
	memset(w, 0, sizeof(*w));
	w->id = id;
	w->accepted = accepted;
	w->in_period = accepted >= r->p0;
	if (caller) {
		w->key = caller_key(caller, topic, street);
		r->callers_seen |= (int)w->in_period;
	}
	if ((quoted_id > 0 || quoted) && quoted_id != id) {
		struct quote *q;

		r->quotes = hl_grow(r->quotes, r->nquotes, &r->capquotes,
				    sizeof(*r->quotes), 1024);
		q = &r->quotes[r->nquotes++];
		q->qid = quoted_id > 0 ? quoted_id : 0;
		q->qtext = 0;
		w->quote = (uint32_t)r->nquotes;
		if (quoted_id > 0)
			return;
		r->texts = hl_grow(r->texts, r->ntexts, &r->captexts,
				   sizeof(*r->texts), 64);
		r->texts[r->ntexts++] = hl_xstrdup(quoted);
		q->qtext = (uint32_t)r->ntexts;
	}
}

void
an_repeat_link(void *arg, const struct hl_store_link *l)
{
	keep(arg, l->id, l->accepted, l->street, l->topic, l->caller, l->quoted,
	     l->quoted_id);
}

void
an_repeat_take(struct ctx *x, const struct hl_store_ticket *t)
{
	struct rep *r = x->rep;

	if (r == NULL)
		return;
	if (t->caller || t->quoted) {
		keep(r, t->id, t->t[HL_STORE_T_ACCEPTED], t->street, t->topic,
		     t->caller, t->quoted, t->quoted_id);
	} else if (r->nseen < SEEN_MAX) {
		r->seen = hl_grow(r->seen, r->nseen, &r->capseen,
				  sizeof(*r->seen), 4096);
		r->seen[r->nseen].id = t->id;
		r->seen[r->nseen++].accepted = t->t[HL_STORE_T_ACCEPTED];
	}
}

/*
 * The times of the quoted tickets (ingest stores a quoted ticket's id
 * with the quote): that of its row read, when it was read (most are: a
 * quote is of a recent ticket), else looked up by id (a read of the
 * ticket's row each, a page of the table).  0, or -1.
 */
static int
quoted_times(struct rep *r)
{
	int64_t *ids, *at, *v;
	size_t i, n = 0;
	int isnew, rc;

	for (i = 0; i < r->nquotes; i++)
		if (r->quotes[i].qid)
			hl_idmap_slot(&r->qat, (uint64_t)r->quotes[i].qid,
				      &isnew);
	for (i = 0; i < r->nrows; i++)
		if ((v = hl_idmap_find(&r->qat, (uint64_t)r->rows[i].id)))
			*v = r->rows[i].accepted;
	for (i = 0; i < r->nseen && r->qat.n > 0; i++)
		if ((v = hl_idmap_find(&r->qat, (uint64_t)r->seen[i].id)))
			*v = r->seen[i].accepted;
	ids = hl_xcalloc(r->qat.n + 1, sizeof(*ids));
	at = hl_xcalloc(r->qat.n + 1, sizeof(*at));
	for (i = 0; i < r->qat.cap; i++)
		if (r->qat.key[i] != 0 &&
		    *(int64_t *)hl_idmap_val(&r->qat, i) == 0)
			ids[n++] = (int64_t)r->qat.key[i];
	rc = hl_store_ticket_times(r->x->m->st, ids, n, at);
	for (i = 0; i < n && rc == 0; i++)
		*(int64_t *)hl_idmap_find(&r->qat, (uint64_t)ids[i]) = at[i];
	free(ids);
	free(at);
	return rc;
}

/* Rows a and b by acceptance, then id. */
static int
earlier(const struct lrow *a, const struct lrow *b)
{
	return a->accepted != b->accepted ? a->accepted < b->accepted
					  : a->id < b->id;
}

/* Rows a and b by key, then acceptance, then id. */
static int
key_before(const struct lrow *a, const struct lrow *b)
{
	return a->key != b->key ? a->key < b->key : earlier(a, b);
}

/*
 * The keyed rows by caller key, then acceptance, then id, as places in
 * rows: a radix sort of the keys' top bits, DIGIT_BITS a pass (a count
 * table that stays in the cache; a district-year in a few milliseconds,
 * where a comparison sort took tens), then each run of one prefix, a
 * handful of rows at most, put in order by insertion.  A new array of
 * *n: each row's place is its entry's low ROW_BITS.
 */
static uint64_t *
by_key(const struct rep *r, size_t *n)
{
	uint64_t *a = hl_xmalloc_big((r->nrows + 1) * sizeof(*a)), *b, *t;
	size_t count[1 << DIGIT_BITS];
	size_t i, j, k = 0, sum;
	int shift;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].key != 0)
			a[k++] = (r->rows[i].key & ~ROW_MASK) | (uint64_t)i;
	b = hl_xmalloc_big((k + 1) * sizeof(*b));
	for (shift = ROW_BITS; shift < 64; shift += DIGIT_BITS) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < k; i++)
			count[a[i] >> shift & ((1u << DIGIT_BITS) - 1)]++;
		for (i = 0, sum = 0; i < (1u << DIGIT_BITS); i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < k; i++)
			b[count[a[i] >> shift & ((1u << DIGIT_BITS) - 1)]++] =
			    a[i];
		t = a, a = b, b = t;
	}
	for (i = 1; i < k; i++) /* insertion: runs are short */
		for (j = i; j > 0 && (a[j - 1] ^ a[j]) >> ROW_BITS == 0 &&
			    key_before(&r->rows[a[j] & ROW_MASK],
				       &r->rows[a[j - 1] & ROW_MASK]);
		     j--) {
			uint64_t s = a[j];

			a[j] = a[j - 1];
			a[j - 1] = s;
		}
	free(b);
	*n = k;
	return a;
}

/* The node of a stored ticket (text 0) or of a quoted ID not stored. */
static size_t
node(struct rep *r, int64_t id, int64_t accepted, uint32_t text)
{
	uint64_t key = text
			   ? fnv(r->texts[text - 1], strlen(r->texts[text - 1]),
				 14695981039346656037u) |
				 1ull << 63
			   : (uint64_t)id;
	size_t *v;
	struct node *n;
	int isnew;

	/* texts that hash alike are told apart by probing */
	for (;; key = (key + 1) | (text ? 1ull << 63 : 0)) {
		v = hl_idmap_slot(&r->node_of, key, &isnew);
		if (isnew || !text)
			break;
		n = &r->nodes[*v - 1];
		if (n->text &&
		    strcmp(r->texts[n->text - 1], r->texts[text - 1]) == 0)
			return *v - 1;
	}
	if (!isnew)
		return *v - 1;
	r->nodes =
	    hl_grow(r->nodes, r->nnodes, &r->capnodes, sizeof(*r->nodes), 1024);
	n = &r->nodes[r->nnodes];
	n->parent = r->nnodes;
	n->id = text ? 0 : id;
	n->accepted = text ? 0 : accepted;
	n->text = text;
	n->in_period = !text && accepted >= r->p0 && accepted < r->p1;
	*v = ++r->nnodes;
	return r->nnodes - 1;
}

static size_t
find(struct rep *r, size_t i)
{
	while (r->nodes[i].parent != i) {
		r->nodes[i].parent = r->nodes[r->nodes[i].parent].parent;
		i = r->nodes[i].parent;
	}
	return i;
}

static void
join(struct rep *r, size_t a, size_t b)
{
	a = find(r, a);
	b = find(r, b);
	if (a != b)
		r->nodes[a < b ? b : a].parent = a < b ? a : b;
}

/*
 * The links: after a sort by caller key and time, a ticket whose key is
 * its predecessor's, accepted within the days, repeats that one (the
 * latest earlier ticket of the caller, topic and street); and every
 * quote.  Then the period's repeats counted.
 */
static void
walk(struct rep *r, struct hl_fig_repeats *o)
{
	uint64_t *k = NULL;
	size_t i, n = 0;

	if (r->days > 0)
		k = by_key(r, &n);
	for (i = 1; i < n; i++) {
		struct lrow *w = &r->rows[k[i] & ROW_MASK];
		const struct lrow *e = &r->rows[k[i - 1] & ROW_MASK];

		if (w->key != e->key || w->accepted - e->accepted > r->days)
			continue;
		w->by_caller = 1;
		join(r, node(r, w->id, w->accepted, 0),
		     node(r, e->id, e->accepted, 0));
	}
	free(k);
	for (i = 0; i < r->nrows; i++) {
		const struct lrow *w = &r->rows[i];
		const struct quote *q =
		    w->quote ? &r->quotes[w->quote - 1] : NULL;
		int quote = q != NULL;

		if (q)
			join(r, node(r, w->id, w->accepted, 0),
			     q->qid ? node(r, q->qid,
					   *(int64_t *)hl_idmap_find(
					       &r->qat, (uint64_t)q->qid),
					   0)
				    : node(r, 0, 0, q->qtext));
		if (w->in_period && (quote || w->by_caller)) {
			o->tickets++;
			o->by_quote += quote;
			o->by_caller += w->by_caller;
		}
	}
}

static int
before(const struct node *a, const struct node *b)
{
	return a->accepted != b->accepted ? a->accepted < b->accepted
					  : a->id < b->id;
}

/* A case to list, before it is named. */
struct cand {
	long size, in_period;
	size_t first, last; /* nodes */
	struct node start;  /* the first node, for the order */
};

/* Larger first, then more in the period, then the earlier start. */
static int
cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	if (x->in_period != y->in_period)
		return x->in_period > y->in_period ? -1 : 1;
	return before(&x->start, &y->start)   ? -1
	       : before(&y->start, &x->start) ? 1
					      : 0;
}

/* Each case's size, tickets in the period, first and last stored
 * tickets, by its root: a new array of r->nnodes + 1. */
static struct agg *
gather(struct rep *r)
{
	struct agg *g = hl_xcalloc(r->nnodes + 1, sizeof(*g));
	size_t i;

	for (i = 0; i < r->nnodes; i++) {
		struct agg *a = &g[find(r, i)];
		const struct node *nd = &r->nodes[i];

		a->size++;
		a->in_period += nd->in_period;
		if (nd->id == 0)
			continue;
		if (!a->first || before(nd, &r->nodes[a->first - 1]))
			a->first = i + 1;
		if (!a->last || before(&r->nodes[a->last - 1], nd))
			a->last = i + 1;
	}
	return g;
}

/* The cases with a ticket in the period; the largest named. */
static void
cases(struct ctx *x, struct rep *r, struct hl_fig_repeats *o)
{
	struct agg *g = gather(r);
	struct cand *c = hl_xcalloc(r->nnodes + 1, sizeof(*c));
	size_t i, n = 0, keep, want = (size_t)x->s->repeats_largest;
	int64_t *ids;
	char **names;

	for (i = 0; i < r->nnodes; i++)
		if (find(r, i) == i && g[i].size >= 2 && g[i].in_period > 0) {
			c[n].size = g[i].size;
			c[n].in_period = g[i].in_period;
			c[n].first = g[i].first - 1;
			c[n].last = g[i].last - 1;
			c[n].start = r->nodes[c[n].first];
			n++;
		}
	o->chains = (long)n;
	qsort(c, n, sizeof(*c), cmp_cand);
	keep = n < want ? n : want;
	ids = hl_xcalloc(2 * keep + 1, sizeof(*ids));
	names = hl_xcalloc(2 * keep + 1, sizeof(*names));
	for (i = 0; i < keep; i++) {
		ids[2 * i] = r->nodes[c[i].first].id;
		ids[2 * i + 1] = r->nodes[c[i].last].id;
	}
	an_names_of(x, HL_LOOKUP_TICKET, ids, 2 * keep, names);
	o->largest = hl_xcalloc(keep + 1, sizeof(*o->largest));
	for (i = 0; i < keep; i++) {
		struct hl_fig_chain *h = &o->largest[i];

		h->size = c[i].size;
		h->in_period = c[i].in_period;
		h->first = r->nodes[c[i].first].accepted;
		h->last = r->nodes[c[i].last].accepted;
		h->first_id = names[2 * i] ? names[2 * i] : hl_xstrdup("");
		h->last_id =
		    names[2 * i + 1] ? names[2 * i + 1] : hl_xstrdup("");
	}
	o->nlargest = keep;
	free(names);
	free(ids);
	free(c);
	free(g);
}

void
an_repeats_begin(struct ctx *x, hl_time scan_lo)
{
	struct rep *r = hl_xcalloc(1, sizeof(*r));

	x->rep = r;
	r->x = x;
	r->p0 = x->p0;
	r->p1 = x->p1;
	r->from = x->p0 - (hl_time)x->s->lookback_days * 86400;
	r->days = (hl_time)x->s->caller_days * 86400;
	hl_idmap_init(&r->node_of, sizeof(size_t));
	hl_idmap_init(&r->how_of, sizeof(int));
	hl_idmap_init(&r->qat, sizeof(int64_t));
	r->read_lo = scan_lo;
}

hl_time
an_repeat_links_from(const struct ctx *x, hl_time b)
{
	const struct rep *r = x->rep;

	return r && r->from < r->read_lo && b == r->read_lo ? r->from
							    : INT64_MAX;
}

void
an_repeat_read_down(struct ctx *x, hl_time a)
{
	if (x->rep && a < x->rep->read_lo)
		x->rep->read_lo = a;
}

/* The lookback's days the topics' reads did not cover.  0, or -1. */
static int
read_lookback(struct ctx *x, struct rep *r)
{
	int64_t *ids;
	size_t n;
	int rc;

	if (r->from >= r->read_lo)
		return 0;
	ids = an_target_ids(x, &n);
	rc = hl_store_links(x->m->st, ids, n, r->from, r->read_lo,
			    an_repeat_link, r);
	free(ids);
	r->read_lo = r->from;
	return rc;
}

void
an_repeats_free(struct ctx *x)
{
	struct rep *r = x->rep;
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ntexts; i++)
		free(r->texts[i]);
	free(r->texts);
	hl_idmap_release(&r->qat);
	free(r->seen);
	free(r->nodes);
	free(r->rows);
	free(r->quotes);
	hl_idmap_release(&r->node_of);
	free(r->case_of);
	hl_idmap_release(&r->how_of);
	free(r);
	x->rep = NULL;
}

int
an_repeats(struct ctx *x, struct hl_figures *f)
{
	struct rep *r = x->rep;

	if (r == NULL)
		return 0;
	if (read_lookback(x, r) != 0 || quoted_times(r) != 0) {
		an_db_fail(x->m);
		x->failed = 1;
		return -1;
	}
	walk(r, &f->repeats);
	r->walked = 1;
	f->repeats.rate.num = (double)f->repeats.tickets;
	f->repeats.rate.den = (double)x->per.vol.tickets;
	f->repeats.callers = r->callers_seen;
	cases(x, r, &f->repeats);
	return 0;
}

/* How each ticket read repeats an earlier one, as walk() counted it. */
static void
index_how(struct rep *r)
{
	size_t i;
	int isnew;

	for (i = 0; i < r->nrows; i++) {
		const struct lrow *w = &r->rows[i];
		int how = (w->quote ? HL_REPEAT_QUOTE : 0) |
			  (w->by_caller ? HL_REPEAT_CALLER : 0);

		if (how)
			*(int *)hl_idmap_slot(&r->how_of, (uint64_t)w->id,
					      &isnew) |= how;
	}
}

int64_t
an_repeat_of(struct ctx *x, int64_t id, int *how)
{
	struct rep *r = x->rep;
	const size_t *v;
	const int *h;
	const struct agg *a;

	*how = 0;
	if (r == NULL || !r->walked || id <= 0)
		return 0;
	if (r->case_of == NULL) {
		r->case_of = gather(r);
		index_how(r);
	}
	if ((h = hl_idmap_find(&r->how_of, (uint64_t)id)) != NULL)
		*how = *h;
	if ((v = hl_idmap_find(&r->node_of, (uint64_t)id)) == NULL)
		return 0;
	a = &r->case_of[find(r, *v - 1)];
	return a->size >= 2 && a->first ? r->nodes[a->first - 1].id : 0;
}
