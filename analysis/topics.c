/*
 * topics.c - hot topics and their surges (docs/analyses.md): the
 * period's topics at the settings' level against the period before and
 * the same period a year before, and the topic x street cells well above
 * their own recent baseline.
 *
 * The metrics' scan hands every ticket it reads to an_topic_take(); what
 * it does not cover (the baseline periods and the same period a year
 * before, when they lie before the scan's start) is read after it with
 * hl_store_topic_counts(), newest period first, stopping at one without
 * a ticket (the data has not begun: no surge is judged).  Counts are kept
 * by full topic and street and by window; the topics are then named, cut
 * to the level and merged.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

#define MAXWIN 25 /* the period and at most 24 baseline periods */

/* A full topic x street: tickets by window. */
struct cell {
	int64_t topic, street;
	long w[MAXWIN];
};

/* A topic at the level. */
struct tkey {
	char *name;
	long n, before, year_before;
};

/* A topic at the level x street. */
struct lcell {
	size_t key;
	int64_t street;
	long n;
	double base, score;
};

struct topics {
	hl_time win[MAXWIN][2]; /* 0 the period, then each one before */
	int nwin;
	hl_time q0, q1; /* the same period a year before */
	hl_time lo, hi; /* a read's range: rows outside it are the scan's */
	struct hl_idmap cells; /* topic << 32 ^ street -> struct cell */
	struct hl_idmap yb;    /* topic -> long: the year before's */
	long with_topic;
	long wtot[MAXWIN]; /* tickets with a topic by window */
};

/* n tickets of topic in street accepted at t, into their windows. */
static void
count(struct topics *tp, hl_time t, int64_t topic, int64_t street, long n)
{
	struct cell *c;
	int isnew, i;

	if (topic <= 0)
		return;
	if (t >= tp->q0 && t < tp->q1)
		*(long *)hl_idmap_slot(&tp->yb, (uint64_t)topic, &isnew) += n;
	for (i = 0; i < tp->nwin; i++)
		if (t >= tp->win[i][0] && t < tp->win[i][1])
			break;
	if (i == tp->nwin)
		return;
	c = hl_idmap_slot(
	    &tp->cells, (uint64_t)topic << 32 ^ (uint64_t)(street & 0xffffffff),
	    &isnew);
	if (isnew) {
		c->topic = topic;
		c->street = street;
	}
	c->w[i] += n;
	tp->wtot[i] += n;
	if (i == 0)
		tp->with_topic += n;
}

void
an_topic_take(struct ctx *x, const struct hl_store_ticket *t)
{
	if (x->tp && t->topic > 0 && (t->has >> HL_STORE_T_ACCEPTED & 1))
		count(x->tp, t->t[HL_STORE_T_ACCEPTED], t->topic, t->street, 1);
}

static void
row(void *arg, int day, int64_t topic, int64_t street, long long n)
{
	struct topics *tp = arg;
	hl_time t =
	    hl_time_make(day / 10000, day / 100 % 100, day % 100, 0, 0, 0);

	if (t >= tp->lo && t < tp->hi)
		count(tp, t, topic, street, (long)n);
}

/* The length of the separator at s, or 0: -, －, / or >. */
static size_t
separator(const char *s)
{
	if (*s == '-' || *s == '/' || *s == '>')
		return 1;
	if ((unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbc &&
	    (unsigned char)s[2] == 0x8d)
		return 3;
	return 0;
}

/* The first level parts of topic, joined with '-' (owned). */
static char *
cut(const char *topic, int level)
{
	struct hl_buf b = HL_BUF_INIT;
	const char *p = topic;
	int parts = 1;
	size_t k;

	while (*p) {
		if ((k = separator(p)) > 0) {
			if (++parts > level)
				break;
			hl_buf_addc(&b, '-');
			p += k;
			continue;
		}
		hl_buf_addc(&b, *p++);
	}
	return hl_buf_detach(&b, NULL);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The index of name among the sorted names[0 .. n-1]. */
static size_t
key_of(char **names, size_t n, const char *name)
{
	char **p = bsearch(&name, names, n, sizeof(*names), cmp_str);

	return p ? (size_t)(p - names) : 0;
}

static double
change(long n, long was)
{
	return was > 0 ? 100.0 * (double)(n - was) / (double)was : HL_FIG_NONE;
}

static int
cmp_top(const void *a, const void *b)
{
	const struct hl_fig_topic *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
cmp_surge(const void *a, const void *b)
{
	const struct hl_fig_surge *x = a, *y = b;
	int c;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	if ((c = strcmp(x->topic, y->topic)) != 0)
		return c;
	return strcmp(x->street ? x->street : "", y->street ? y->street : "");
}

/* The period's windows: itself, then the baseline's periods before it. */
static void
windows(const struct ctx *x, struct topics *tp)
{
	struct hl_period p = *x->pd;
	int k = x->s->surge_periods;

	if (k > MAXWIN - 1)
		k = MAXWIN - 1;
	tp->win[0][0] = p.from;
	tp->win[0][1] = p.to;
	for (tp->nwin = 1; tp->nwin <= k; tp->nwin++) {
		p = hl_period_before(&p);
		tp->win[tp->nwin][0] = p.from;
		tp->win[tp->nwin][1] = p.to;
	}
}

/* The distinct full topics of the cells and of the year before. */
static int64_t *
topic_ids(struct topics *tp, size_t *n)
{
	struct hl_idmap seen;
	int64_t *ids = NULL;
	size_t i, cap = 0;
	int isnew;

	*n = 0;
	hl_idmap_init(&seen, sizeof(size_t));
	for (i = 0; i < tp->cells.cap; i++) {
		const struct cell *c = hl_idmap_val(&tp->cells, i);

		if (tp->cells.key[i] == 0)
			continue;
		*(size_t *)hl_idmap_slot(&seen, (uint64_t)c->topic, &isnew) = 0;
		if (isnew) {
			ids = hl_grow(ids, *n, &cap, sizeof(*ids), 256);
			ids[(*n)++] = c->topic;
		}
	}
	for (i = 0; i < tp->yb.cap; i++) {
		if (tp->yb.key[i] == 0)
			continue;
		hl_idmap_slot(&seen, tp->yb.key[i], &isnew);
		if (isnew) {
			ids = hl_grow(ids, *n, &cap, sizeof(*ids), 256);
			ids[(*n)++] = (int64_t)tp->yb.key[i];
		}
	}
	hl_idmap_release(&seen);
	return ids;
}

static void
build(struct ctx *x, struct topics *tp, struct hl_figures *f)
{
	const struct hl_settings *s = x->s;
	struct hl_fig_topics *o = &f->topics;
	size_t nids, i, nkeys = 0, nl = 0, nstreet = 0;
	int64_t *ids = topic_ids(tp, &nids);
	char **full = hl_xcalloc(nids + 1, sizeof(*full));
	char **keys = hl_xcalloc(nids + 1, sizeof(*keys)); /* into full[] */
	size_t *kof; /* full topic index -> key index */
	struct hl_idmap idx, lc;
	struct tkey *tk;
	struct lcell *cells;
	int64_t *streets, *named;
	char **snames;
	int isnew, w;

	an_names_of(x, HL_LOOKUP_DICT, ids, nids, full);
	/* each topic cut once (full[] then holds the cut), the keys the
	 * sorted distinct cuts */
	for (i = 0; i < nids; i++) {
		char *k = cut(full[i] ? full[i] : "", s->topic_level);

		free(full[i]);
		full[i] = keys[i] = k;
	}
	qsort(keys, nids, sizeof(*keys), cmp_str);
	for (i = 0; i < nids; i++) /* unique */
		if (nkeys == 0 || strcmp(keys[nkeys - 1], keys[i]) != 0)
			keys[nkeys++] = keys[i];
	hl_idmap_init(&idx, sizeof(size_t));
	kof = hl_xcalloc(nids + 1, sizeof(*kof));
	for (i = 0; i < nids; i++) {
		kof[i] = key_of(keys, nkeys, full[i]);
		*(size_t *)hl_idmap_slot(&idx, (uint64_t)ids[i], &isnew) = i;
	}
	tk = hl_xcalloc(nkeys + 1, sizeof(*tk));
	/* topic x street at the level */
	hl_idmap_init(&lc, sizeof(size_t));
	cells = hl_xcalloc(tp->cells.n + 1, sizeof(*cells));
	streets = hl_xcalloc(tp->cells.n + 1, sizeof(*streets));
	for (i = 0; i < tp->cells.cap; i++) {
		const struct cell *c = hl_idmap_val(&tp->cells, i);
		size_t k, *slot;

		if (tp->cells.key[i] == 0)
			continue;
		k = kof[*(size_t *)hl_idmap_find(&idx, (uint64_t)c->topic)];
		tk[k].n += c->w[0];
		tk[k].before += tp->nwin > 1 ? c->w[1] : 0;
		slot = hl_idmap_slot(&lc,
				     (uint64_t)(k + 1) << 32 ^
					 (uint64_t)(c->street & 0xffffffff),
				     &isnew);
		if (isnew) {
			*slot = nl++;
			cells[*slot].key = k;
			cells[*slot].street = c->street;
		}
		cells[*slot].n += c->w[0];
		for (w = 1; w < tp->nwin; w++)
			cells[*slot].base += (double)c->w[w];
	}
	for (i = 0; i < tp->yb.cap; i++)
		if (tp->yb.key[i] != 0)
			tk[kof[*(size_t *)hl_idmap_find(&idx, tp->yb.key[i])]]
			    .year_before += *(long *)hl_idmap_val(&tp->yb, i);
	/* the top topics */
	o->top = hl_xcalloc(nkeys + 1, sizeof(*o->top));
	for (i = 0; i < nkeys; i++)
		if (tk[i].n > 0) {
			struct hl_fig_topic *t = &o->top[o->ntop++];

			t->name = hl_xstrdup(keys[i]);
			t->n = tk[i].n;
			t->before = tk[i].before;
			t->year_before = tk[i].year_before;
			t->mom_pct = change(t->n, t->before);
			t->yoy_pct = change(t->n, t->year_before);
		}
	qsort(o->top, o->ntop, sizeof(*o->top), cmp_top);
	while (o->ntop > (size_t)s->topic_top)
		free(o->top[--o->ntop].name);
	/* the surges: judged only on a baseline whose every period has
	 * tickets with a topic (not before the data begins) */
	o->surges = hl_xcalloc(nl + 1, sizeof(*o->surges));
	o->surges_judged = tp->nwin > 1;
	for (w = 1; w < tp->nwin; w++)
		o->surges_judged &= tp->wtot[w] > 0;
	for (i = 0; i < nl && o->surges_judged; i++) {
		struct lcell *c = &cells[i];

		c->base /= tp->nwin > 1 ? tp->nwin - 1 : 1;
		c->score = ((double)c->n - c->base) / sqrt(c->base + 1);
		if ((double)c->n < s->surge_min ||
		    (double)c->n < s->surge_ratio * c->base ||
		    c->score < s->surge_score)
			continue;
		o->surges[o->nsurges].topic = hl_xstrdup(keys[c->key]);
		o->surges[o->nsurges].n = c->n;
		o->surges[o->nsurges].baseline = c->base;
		o->surges[o->nsurges].score = c->score;
		streets[o->nsurges++] = c->street;
	}
	/* the surges' streets named in one call, in the surges' order */
	named = hl_xcalloc(o->nsurges + 1, sizeof(*named));
	snames = hl_xcalloc(o->nsurges + 1, sizeof(*snames));
	for (i = 0; i < o->nsurges; i++)
		if (streets[i])
			named[nstreet++] = streets[i];
	an_names_of(x, HL_LOOKUP_DICT, named, nstreet, snames);
	for (i = 0, nstreet = 0; i < o->nsurges; i++)
		if (streets[i])
			o->surges[i].street = snames[nstreet++];
	free(named);
	qsort(o->surges, o->nsurges, sizeof(*o->surges), cmp_surge);
	free(snames);
	free(streets);
	free(cells);
	for (i = 0; i < nids; i++)
		free(full[i]);
	free(full);
	free(keys);
	free(tk);
	free(kof);
	free(ids);
	hl_idmap_release(&idx);
	hl_idmap_release(&lc);
}

void
an_topics_begin(struct ctx *x, hl_time scan_lo)
{
	struct topics *tp = hl_xcalloc(1, sizeof(*tp));

	windows(x, tp);
	tp->q0 = an_year_before(x->p0);
	tp->q1 = an_year_before(x->p1);
	tp->lo = scan_lo;
	hl_idmap_init(&tp->cells, sizeof(struct cell));
	hl_idmap_init(&tp->yb, sizeof(long));
	x->tp = tp;
}

void
an_topics_free(struct ctx *x)
{
	if (x->tp == NULL)
		return;
	hl_idmap_release(&x->tp->cells);
	hl_idmap_release(&x->tp->yb);
	free(x->tp);
	x->tp = NULL;
}

/* Reads [lo, hi) of the scope into tp.  0, or -1. */
static int
read_range(struct ctx *x, struct topics *tp, hl_time lo, hl_time hi)
{
	size_t n;
	int64_t *ids = an_target_ids(x, &n);
	hl_time links = an_repeat_links_from(x, hi);
	int rc;

	tp->lo = lo;
	tp->hi = hi;
	rc = hl_store_topic_counts(x->m->st, ids, n, lo, hi, row, tp, links,
				   an_repeat_link, x->rep);
	free(ids);
	if (rc == 0 && links != INT64_MAX)
		an_repeat_read_down(x, lo);
	return rc;
}

/*
 * What the scan, which began at tp->lo, did not read: the baseline's
 * periods before it, newest first, until one has no ticket with a topic;
 * then what remains of the year before.
 */
static int
read_rest(struct ctx *x, struct topics *tp)
{
	hl_time lowest = tp->lo;
	int i;

	for (i = 1; i < tp->nwin; i++) {
		hl_time a = tp->win[i][0], b = tp->win[i][1];

		if (a >= lowest)
			continue;
		if (b > lowest)
			b = lowest;
		if (read_range(x, tp, a, b) != 0)
			return -1;
		lowest = a;
		if (tp->wtot[i] == 0)
			break; /* before the data: older ones are not needed */
	}
	if (tp->q0 < lowest &&
	    read_range(x, tp, tp->q0, tp->q1 < lowest ? tp->q1 : lowest) != 0)
		return -1;
	return 0;
}

int
an_topics(struct ctx *x, struct hl_figures *f)
{
	struct topics *tp = x->tp;

	if (tp == NULL)
		return 0;
	if (read_rest(x, tp) != 0) {
		an_db_fail(x->m);
		x->failed = 1;
		return -1;
	}
	f->topics.level = x->s->topic_level;
	f->topics.baseline_periods = tp->nwin - 1;
	f->topics.with_topic = tp->with_topic;
	f->topics.has = tp->with_topic > 0;
	snprintf(f->topics.before, sizeof(f->topics.before), "%s",
		 hl_period_before(x->pd).label);
	if (f->topics.has)
		build(x, tp, f);
	return 0;
}
