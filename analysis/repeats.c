/*
 * repeats.c - repeat calls (docs/analyses.md): tickets that quote an
 * earlier ticket's ID, and tickets of the same caller (a keyed hash),
 * topic and street within the settings' days, linked into cases.
 *
 * One read of hl_store_links() from the lookback's start to the period's
 * end, in acceptance order: each ticket ID (stored, or only quoted) is a
 * node of a union-find; a quote joins two nodes; a caller's latest
 * earlier ticket of the same topic and street within the days joins too.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

struct row {
	size_t node;
	hl_time accepted;
	int in_period;
};

/* The latest ticket of a caller, topic and street. */
struct last {
	unsigned char caller[16];
	int64_t topic, street;
	size_t row;
};

struct rep {
	const struct ctx *x;
	hl_time p0, p1, days;
	struct hl_idmap node_of; /* hash of an ID (probed) -> node + 1 */
	char **id;               /* nodes: their IDs */
	size_t *parent;
	size_t nnodes, capnodes;
	struct row *rows;
	size_t nrows, caprows;
	struct hl_idmap callers; /* hash (probed) -> struct last */
	long tickets, by_quote, by_caller;
	int callers_seen;
};

static uint64_t
fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	while (n--)
		h = (h ^ *s++) * 1099511628211u;
	return h ? h : 1;
}

static size_t
find(struct rep *r, size_t i)
{
	while (r->parent[i] != i) {
		r->parent[i] = r->parent[r->parent[i]];
		i = r->parent[i];
	}
	return i;
}

static void
join(struct rep *r, size_t a, size_t b)
{
	a = find(r, a);
	b = find(r, b);
	if (a != b)
		r->parent[a < b ? b : a] = a < b ? a : b;
}

/* The node of ticket ID s, added when new. */
static size_t
node(struct rep *r, const char *s)
{
	uint64_t h = fnv(s, strlen(s), 14695981039346656037u);
	size_t *v;
	int isnew;

	for (;; h = h + 1 ? h + 1 : 1) {
		v = hl_idmap_slot(&r->node_of, h, &isnew);
		if (isnew)
			break;
		if (strcmp(r->id[*v - 1], s) == 0)
			return *v - 1;
	}
	if (r->nnodes == r->capnodes) {
		r->capnodes = r->capnodes ? 2 * r->capnodes : 1024;
		r->id = hl_xrealloc(r->id, r->capnodes * sizeof(*r->id));
		r->parent =
		    hl_xrealloc(r->parent, r->capnodes * sizeof(*r->parent));
	}
	r->id[r->nnodes] = hl_xstrdup(s);
	r->parent[r->nnodes] = r->nnodes;
	*v = ++r->nnodes;
	return r->nnodes - 1;
}

/* Links l to the caller's latest earlier ticket of its topic and street;
 * 1 when there is one within the days. */
static int
by_caller(struct rep *r, const struct hl_store_link *l, size_t row)
{
	uint64_t h = fnv(l->caller, 16, 14695981039346656037u);
	struct last *v;
	int isnew, linked = 0;

	h = fnv(&l->topic, sizeof(l->topic), h);
	h = fnv(&l->street, sizeof(l->street), h);
	for (;; h = h + 1 ? h + 1 : 1) {
		v = hl_idmap_slot(&r->callers, h, &isnew);
		if (isnew || (memcmp(v->caller, l->caller, 16) == 0 &&
			      v->topic == l->topic && v->street == l->street))
			break;
	}
	if (!isnew && l->accepted - r->rows[v->row].accepted <= r->days) {
		join(r, r->rows[v->row].node, r->rows[row].node);
		linked = 1;
	}
	memcpy(v->caller, l->caller, 16);
	v->topic = l->topic;
	v->street = l->street;
	v->row = row;
	return linked;
}

static void
link_row(void *arg, const struct hl_store_link *l)
{
	struct rep *r = arg;
	struct row *w;
	size_t i;
	int quote = 0, caller = 0;

	r->rows =
	    hl_grow(r->rows, r->nrows, &r->caprows, sizeof(*r->rows), 1024);
	i = r->nrows++;
	w = &r->rows[i];
	w->node = node(r, l->ticket_id);
	w->accepted = l->accepted;
	w->in_period = l->accepted >= r->p0 && l->accepted < r->p1;
	if (l->quoted && strcmp(l->quoted, l->ticket_id) != 0) {
		size_t q = node(r, l->quoted);

		join(r, r->rows[i].node, q);
		quote = 1;
	}
	if (l->caller) {
		r->callers_seen |= r->rows[i].in_period;
		caller = r->days > 0 && by_caller(r, l, i);
	}
	if (r->rows[i].in_period && (quote || caller)) {
		r->tickets++;
		r->by_quote += quote;
		r->by_caller += caller;
	}
}

/* What a case gathers. */
struct agg {
	long size, in_period;
	size_t first, last; /* rows + 1; 0 none */
};

static int
cmp_chain(const void *a, const void *b)
{
	const struct hl_fig_chain *x = a, *y = b;
	int c;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	if (x->in_period != y->in_period)
		return x->in_period > y->in_period ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	c = strcmp(x->first_id ? x->first_id : "",
		   y->first_id ? y->first_id : "");
	return c;
}

static void
build(struct rep *r, struct hl_figures *f)
{
	struct hl_fig_repeats *o = &f->repeats;
	struct agg *g = hl_xcalloc(r->nnodes + 1, sizeof(*g));
	struct hl_fig_chain *all;
	size_t i, n = 0, keep;

	for (i = 0; i < r->nnodes; i++)
		g[find(r, i)].size++;
	for (i = 0; i < r->nrows; i++) {
		struct agg *a = &g[find(r, r->rows[i].node)];

		a->in_period += r->rows[i].in_period;
		if (!a->first)
			a->first = i + 1; /* rows come in acceptance order */
		a->last = i + 1;
	}
	all = hl_xcalloc(r->nnodes + 1, sizeof(*all));
	for (i = 0; i < r->nnodes; i++) {
		const struct agg *a = &g[i];

		if (find(r, i) != i || a->size < 2 || a->in_period == 0)
			continue;
		all[n].size = a->size;
		all[n].in_period = a->in_period;
		all[n].first = r->rows[a->first - 1].accepted;
		all[n].last = r->rows[a->last - 1].accepted;
		all[n].first_id = r->id[r->rows[a->first - 1].node];
		all[n].last_id = r->id[r->rows[a->last - 1].node];
		n++;
	}
	o->chains = (long)n;
	qsort(all, n, sizeof(*all), cmp_chain);
	keep = n < (size_t)r->x->s->repeats_largest
		   ? n
		   : (size_t)r->x->s->repeats_largest;
	o->largest = hl_xcalloc(keep + 1, sizeof(*o->largest));
	for (i = 0; i < keep; i++) {
		o->largest[i] = all[i];
		o->largest[i].first_id = hl_xstrdup(all[i].first_id);
		o->largest[i].last_id = hl_xstrdup(all[i].last_id);
	}
	o->nlargest = keep;
	free(all);
	free(g);
}

int
an_repeats(struct ctx *x, struct hl_figures *f)
{
	struct rep r;
	int64_t *ids;
	size_t n, i;
	int rc;

	memset(&r, 0, sizeof(r));
	r.x = x;
	r.p0 = x->p0;
	r.p1 = x->p1;
	r.days = (hl_time)x->s->caller_days * 86400;
	hl_idmap_init(&r.node_of, sizeof(size_t));
	hl_idmap_init(&r.callers, sizeof(struct last));
	ids = an_target_ids(x, &n);
	rc = hl_store_links(x->m->st, ids, n,
			    x->p0 - (hl_time)x->s->lookback_days * 86400, x->p1,
			    link_row, &r);
	free(ids);
	if (rc != 0) {
		an_db_fail(x->m);
		x->failed = 1;
	} else {
		f->repeats.tickets = r.tickets;
		f->repeats.by_quote = r.by_quote;
		f->repeats.by_caller = r.by_caller;
		f->repeats.rate.num = (double)r.tickets;
		f->repeats.rate.den = (double)x->per.vol.tickets;
		f->repeats.callers = r.callers_seen;
		build(&r, f);
	}
	for (i = 0; i < r.nnodes; i++)
		free(r.id[i]);
	free(r.id);
	free(r.parent);
	free(r.rows);
	hl_idmap_release(&r.node_of);
	hl_idmap_release(&r.callers);
	return rc;
}
