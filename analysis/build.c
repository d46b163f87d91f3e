/*
 * build.c - the counts of a computation as the typed figures of
 * figures.h.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

static struct hl_text2
text2(const char *en, const char *zh)
{
	struct hl_text2 t = {hl_xstrdup(en), hl_xstrdup(zh)};

	return t;
}

static struct hl_ratio
ratio(double num, double den)
{
	struct hl_ratio r = {num, den};

	return r;
}

/* Swaps v[i] and v[j]. */
static void
swap32(int32_t *v, size_t i, size_t j)
{
	int32_t t = v[i];

	v[i] = v[j];
	v[j] = t;
}

/*
 * Puts the k-th smallest of v[0..n) at v[k], with nothing larger before
 * it and nothing smaller after (quickselect with Hoare's partition): the
 * quantiles need two order statistics, not a sorted array.
 */
static void
select_k(int32_t *v, size_t n, size_t k)
{
	long lo = 0, hi = (long)n - 1, want = (long)k;

	while (lo < hi) {
		int32_t pivot = v[lo + (hi - lo) / 2];
		long i = lo - 1, j = hi + 1;

		/* Afterwards v[lo..j] <= pivot <= v[j+1..hi], lo <= j < hi. */
		for (;;) {
			do
				i++;
			while (v[i] < pivot);
			do
				j--;
			while (v[j] > pivot);
			if (i >= j)
				break;
			swap32(v, (size_t)i, (size_t)j);
		}
		if (want <= j)
			hi = j;
		else
			lo = j + 1;
	}
}

/* The p-quantile of v[0..n), interpolating linearly, in hours. */
static double
quantile(int32_t *v, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)h, i;
	int32_t a, b;

	select_k(v, n, lo);
	a = v[lo];
	if (lo + 1 >= n)
		return a / 3600.0;
	/* The next order statistic: the least of what lies above. */
	b = v[lo + 1];
	for (i = lo + 2; i < n; i++)
		if (v[i] < b)
			b = v[i];
	return (a + (h - (double)lo) * (double)(b - a)) / 3600.0;
}

/*
 * Orders the period's handling values by category, in place (a counting
 * sort that swaps each value into its category's run: the values of a
 * city's year are 32 MB, too many to copy within the memory budget), so
 * that each group's are one run of hv[] rather than a pass over all.
 */
static void
group_hv(struct ctx *x)
{
	size_t at[HL_CAT_COUNT + 1] = {0}, next[HL_CAT_COUNT], i;
	int c;

	for (i = 0; i < x->nhv; i++)
		at[x->hv[i].category + 1]++;
	for (c = 0; c < HL_CAT_COUNT; c++) {
		at[c + 1] += at[c];
		next[c] = at[c];
	}
	memcpy(x->hv_at, at, sizeof(at));
	for (c = 0; c < HL_CAT_COUNT; c++)
		while (next[c] < at[c + 1]) {
			int d = x->hv[next[c]].category;
			struct hv t;

			if (d == c) {
				next[c]++;
				continue;
			}
			t = x->hv[next[d]];
			x->hv[next[d]++] = x->hv[next[c]];
			x->hv[next[c]] = t;
		}
}

/* The categories [*lo, *hi) of handling group g. */
static void
group_range(int g, int *lo, int *hi)
{
	*lo = g == G_CONSULT ? 0 : g == G_OTHER ? 1 : g - 2;
	*hi = g == G_CONSULT ? 1 : g == G_OTHER ? HL_CAT_COUNT : g - 1;
}

static double
mean_hours(const struct sum *s)
{
	return s->n ? s->sum / (double)s->n / 3600.0 : HL_FIG_NONE;
}

/*
 * Handling hours of group g (work: working time): the mean from the exact
 * sums, the quantiles from the period's values.
 */
static struct hl_fig_dist
dist_of(const struct ctx *x, int g, int work)
{
	const struct sum *s = work ? &x->per.hd.work[g] : &x->per.hd.hand[g];
	struct hl_fig_dist o = {0, HL_FIG_NONE, HL_FIG_NONE, HL_FIG_NONE};
	int32_t *v;
	size_t i, n = 0;
	int lo, hi;

	if (s->n == 0)
		return o;
	v = hl_xmalloc((size_t)s->n * sizeof(*v));
	group_range(g, &lo, &hi);
	for (i = x->hv_at[lo]; i < x->hv_at[hi] && n < (size_t)s->n; i++)
		if (!work || x->hv[i].work >= 0)
			v[n++] = work ? x->hv[i].work : x->hv[i].nat;
	o.n = (long)n;
	o.mean = mean_hours(s);
	o.median = quantile(v, n, 0.5);
	o.p90 = quantile(v, n, 0.9);
	free(v);
	return o;
}

/* The year-before part of h: handling times now against was. */
static void
speedup_of(struct hl_fig_handling *h, const struct sum *now,
	   const struct sum *was)
{
	double a, b;

	h->prev_n = was->n;
	h->prev_mean = mean_hours(was);
	h->speedup_pct = HL_FIG_NONE;
	if (now->n && was->n && was->sum > 0) {
		a = was->sum / (double)was->n;
		b = now->sum / (double)now->n;
		h->speedup_pct = (a - b) / a * 100;
	}
}

static struct hl_fig_handling
handling_group(const struct ctx *x, int g)
{
	struct hl_fig_handling h;

	h.nat = dist_of(x, g, 0);
	h.work = dist_of(x, g, 1);
	h.quantiles = 1;
	speedup_of(&h, &x->per.hd.hand[g], &x->prev.hd.hand[g]);
	return h;
}

/* Handling group g of one district of the city: means, no quantiles. */
static struct hl_fig_handling
handling_brief(const struct acc *now, const struct acc *was, int g)
{
	struct hl_fig_handling h;

	memset(&h, 0, sizeof(h));
	h.nat.n = now->hd.hand[g].n;
	h.nat.mean = mean_hours(&now->hd.hand[g]);
	h.work.n = now->hd.work[g].n;
	h.work.mean = mean_hours(&now->hd.work[g]);
	h.nat.median = h.nat.p90 = h.work.median = h.work.p90 = HL_FIG_NONE;
	speedup_of(&h, &now->hd.hand[g], &was->hd.hand[g]);
	return h;
}

static struct hl_fig_sat
sat_of(const struct ctx *x, const long *c)
{
	struct hl_fig_sat o;

	o.r = ratio(c[HL_SAT_SATISFIED] + x->s->basic_weight * c[HL_SAT_BASIC],
		    (double)(c[HL_SAT_SATISFIED] + c[HL_SAT_BASIC] +
			     c[HL_SAT_UNSATISFIED]));
	memcpy(o.c, c, sizeof(o.c));
	return o;
}

/*
 * The note next to an on-time rate when more than the settings' share of
 * its tickets (nodl of den) have no deadline, or none.
 */
static struct hl_text2
nodl_note(const struct ctx *x, long nodl, long den, const char *what_en,
	  const char *what_zh)
{
	struct hl_buf en = HL_BUF_INIT, zh = HL_BUF_INIT;
	double pct = den > 0 ? 100.0 * (double)nodl / (double)den : 0;
	struct hl_text2 o = {NULL, NULL};

	if (nodl == 0 || pct <= x->s->note_share)
		return o;
	hl_buf_printf(
	    &en, "%ld of %ld %s tickets (%.2f%%) have no deadline: %s", nodl,
	    den, what_en, pct, hl_no_deadline_words(x->s->no_deadline, 0));
	hl_buf_printf(&zh, "%s工单 %ld 件中 %ld 件（%.2f%%）无办理时限，%s",
		      what_zh, den, nodl, pct,
		      hl_no_deadline_words(x->s->no_deadline, 1));
	if (!x->s->deadline_fill) {
		hl_buf_adds(&en, "; the export gives none for them (to compute "
				 "them from working days by category: "
				 "[deadlines] fill = table)");
		hl_buf_adds(&zh, "；导出数据未给出（如需按类别工作日推算："
				 "[deadlines] fill = table）");
	}
	o.en = hl_buf_detach(&en, NULL);
	o.zh = hl_buf_detach(&zh, NULL);
	return o;
}

/* An on-time rate r with its late count and its tickets without deadline
 * (nodl of all), and the note they may call for. */
static struct hl_fig_on_time
on_time_obj(const struct ctx *x, struct ot r, long nodl, long all,
	    const char *what_en, const char *what_zh)
{
	struct hl_fig_on_time o;

	o.r = ratio((double)r.num, (double)r.den);
	o.late = r.late;
	o.no_deadline = nodl;
	o.note = nodl_note(x, nodl, all, what_en, what_zh);
	return o;
}

/* The headline figures of the counts a. */
static void
main_of(const struct ctx *x, const struct acc *a, struct hl_fig_main *f)
{
	int k;

	f->tickets = a->vol.tickets;
	memcpy(f->cls, a->vol.cls, sizeof(f->cls));
	f->on_time_closed = on_time_obj(
	    x,
	    an_on_time_rule(x->s, a->ot.on_time, a->ot.late, a->ot.closed,
			    a->ot.no_deadline, a->ot.no_deadline),
	    a->ot.no_deadline, a->ot.closed, "closed", "已办结");
	f->on_time_dispatched = on_time_obj(
	    x,
	    an_on_time_rule(x->s, a->ot.d_on_time, a->ot.d_late,
			    a->ot.dispatched, a->ot.d_no_deadline_closed,
			    a->ot.d_no_deadline),
	    a->ot.d_no_deadline, a->ot.dispatched, "dispatched", "已派单");
	for (k = 0; k < HL_CLS_N; k++)
		f->sat[k] = sat_of(x, a->sat.c[k]);
	f->reopen.r = ratio((double)a->re.reopened, (double)a->re.known);
}

struct named {
	int64_t id;
	long n;
};

/* Most tickets first; equal counts in id order. */
static int
by_tickets(long n, long m, int64_t id, int64_t jd)
{
	return n != m ? (n < m ? 1 : -1) : (id > jd) - (id < jd);
}

static int
cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return by_tickets(x->n, y->n, x->id, y->id);
}

/* Names and counts from a counter map, most tickets first. */
static struct hl_fig_count *
counts_of(struct ctx *x, const struct hl_idmap *mp, size_t *nout)
{
	struct named *v = hl_xcalloc(mp->n ? mp->n : 1, sizeof(*v));
	int64_t *ids = hl_xcalloc(mp->n ? mp->n : 1, sizeof(*ids));
	char **names = hl_xcalloc(mp->n ? mp->n : 1, sizeof(*names));
	struct hl_fig_count *out;
	size_t i, n = 0;

	for (i = 0; i < mp->cap; i++)
		if (mp->key[i]) {
			v[n].id = (int64_t)mp->key[i];
			v[n++].n = (long)*(size_t *)hl_idmap_val(mp, i);
		}
	an_sort(v, n, sizeof(*v), cmp_named);
	out = hl_xcalloc(n ? n : 1, sizeof(*out));
	for (i = 0; i < n; i++)
		ids[i] = v[i].id;
	an_names_of(x, HL_LOOKUP_DICT, ids, n, names);
	for (i = 0; i < n; i++) {
		out[i].name = names[i];
		out[i].n = (int)v[i].n;
	}
	free(names);
	free(ids);
	free(v);
	*nout = n;
	return out;
}

static int
cmp_unit(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;

	return by_tickets(x->tickets, y->tickets, x->id, y->id);
}

static double
pct(long num, long den)
{
	return den ? 100.0 * (double)num / (double)den : -1;
}

static void
add_reason(struct hl_fig_lagging *l, const char *figure, double pct,
	   double limit)
{
	l->why[l->nwhy].figure = figure;
	l->why[l->nwhy].pct = pct;
	l->why[l->nwhy++].limit = limit;
}

/* The league table and the units under the thresholds. */
static void
units_of(struct ctx *x, struct hl_figures *f)
{
	const struct hl_settings *s = x->s;
	int64_t *ids = hl_xcalloc(x->nunits + 1, sizeof(*ids));
	char **names = hl_xcalloc(x->nunits + 1, sizeof(*names));
	size_t i;

	an_sort(x->units, x->nunits, sizeof(*x->units), cmp_unit);
	for (i = 0; i < x->nunits; i++)
		ids[i] = x->units[i].id;
	an_names_of(x, HL_LOOKUP_DICT, ids, x->nunits, names);
	f->units = hl_xcalloc(x->nunits + 1, sizeof(*f->units));
	f->lagging = hl_xcalloc(x->nunits + 1, sizeof(*f->lagging));
	for (i = 0; i < x->nunits; i++) {
		const struct unit *u = &x->units[i];
		struct hl_fig_unit *o = &f->units[f->nunits++];
		struct hl_fig_lagging *l = &f->lagging[f->nlagging];
		long ev = u->sat[HL_SAT_SATISFIED] + u->sat[HL_SAT_BASIC] +
			  u->sat[HL_SAT_UNSATISFIED];
		struct ot r =
		    an_on_time_rule(s, u->ot.on_time, u->ot.late, u->ot.closed,
				    u->ot.no_deadline, u->ot.no_deadline);
		double on = pct(r.num, r.den);
		double sat = ev ? 100 *
				      (u->sat[HL_SAT_SATISFIED] +
				       s->basic_weight * u->sat[HL_SAT_BASIC]) /
				      (double)ev
				: -1;
		double re = pct(u->re.reopened, u->re.known);

		o->name = names[i];
		o->tickets = (int)u->tickets;
		o->closed = (int)u->ot.closed;
		o->on_time = ratio((double)r.num, (double)r.den);
		o->late = (int)r.late;
		o->sat = ratio(ev ? u->sat[HL_SAT_SATISFIED] +
					s->basic_weight * u->sat[HL_SAT_BASIC]
				  : 0,
			       (double)ev);
		o->evaluated = (int)ev;
		o->reopen = ratio((double)u->re.reopened, (double)u->re.known);
		o->hand_mean = mean_hours(&u->hand);
		if (u->tickets < s->min_unit_tickets)
			continue;
		if (on >= 0 && on < s->min_on_time)
			add_reason(l, "on_time", on, s->min_on_time);
		if (sat >= 0 && sat < s->min_satisfaction)
			add_reason(l, "satisfaction", sat, s->min_satisfaction);
		if (re >= 0 && re > s->max_reopen)
			add_reason(l, "reopen", re, s->max_reopen);
		if (l->nwhy) {
			l->name = o->name ? hl_xstrdup(o->name) : NULL;
			l->tickets = o->tickets;
			f->nlagging++;
		}
	}
	free(names);
	free(ids);
}

static int
cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* A ticket of a list; hours: how late, how far past or (near) how long
 * before its deadline. */
static void
item_of(const struct item *it, hl_time as_of, int near,
	struct hl_fig_tickets *list, const struct item **src)
{
	struct hl_fig_ticket *o = &list->v[list->n];

	src[list->n++] = it;
	o->deadline = it->deadline;
	o->closed = it->closed;
	o->hours = (double)(it->closed ? it->closed - it->deadline
			    : near     ? it->deadline - as_of
				       : as_of - it->deadline) /
		   3600.0;
}

/* The ticket IDs and unit names of list l, whose tickets are src[]. */
static void
list_names(struct ctx *x, struct hl_fig_tickets *l,
	   const struct item *const *src)
{
	int64_t *ids = hl_xcalloc(l->n + 1, sizeof(*ids));
	char **names = hl_xcalloc(l->n + 1, sizeof(*names));
	size_t i;

	for (i = 0; i < l->n; i++)
		ids[i] = src[i]->id;
	an_names_of(x, HL_LOOKUP_TICKET, ids, l->n, names);
	for (i = 0; i < l->n; i++) {
		l->v[i].ticket_id = names[i];
		names[i] = NULL;
		ids[i] = src[i]->unit;
	}
	an_names_of(x, HL_LOOKUP_DICT, ids, l->n, names);
	for (i = 0; i < l->n; i++)
		l->v[i].unit = names[i];
	free(names);
	free(ids);
}

/*
 * Open tickets at the as-of time: late ones (dispatched denominator, and
 * the late list when asked for), and the supervision list of those past
 * or near their deadline.  Counts before the figures are made of them.
 */
static void
open_lists(struct ctx *x, hl_time as_of, struct hl_figures *f)
{
	hl_time soon = as_of + (hl_time)(x->s->near_hours * 3600);
	const struct item **past = hl_xcalloc(x->nopen + 1, sizeof(*past));
	const struct item **near = hl_xcalloc(x->nopen + 1, sizeof(*near));
	size_t i;

	an_sort(x->open, x->nopen, sizeof(*x->open), cmp_item);
	f->past.v = hl_xcalloc(x->nopen + 1, sizeof(*f->past.v));
	f->near.v = hl_xcalloc(x->nopen + 1, sizeof(*f->near.v));
	for (i = 0; i < x->nopen; i++) {
		const struct item *it = &x->open[i];

		if (it->deadline < as_of && it->dispatched) {
			if (it->month)
				x->month[it->month - 1].ot.d_late++;
			x->per.ot.d_late += it->in_period;
			if (it->in_period && x->dper)
				an_dslot(x, x->dper, it->dist)->ot.d_late++;
		}
		if (!it->in_period)
			continue;
		if (it->deadline < as_of) {
			item_of(it, as_of, 0, &f->past, past);
			if (x->q->late_list)
				*an_add_item(&x->late, &x->nlate,
					     &x->cap_late) = *it;
		} else if (it->deadline <= soon) {
			item_of(it, as_of, 1, &f->near, near);
		}
	}
	list_names(x, &f->past, past);
	list_names(x, &f->near, near);
	free(past);
	free(near);
}

/* The ranking of district d over the months up to last. */
static void
ranking_of(const struct ctx *x, size_t d, int k, int last,
	   struct hl_fig_ranking *o)
{
	size_t nd = x->dist.nname;
	int want = x->q->streak_rank > 0 ? x->q->streak_rank : 1;
	int mon, n = 0, run = 0, best = 0, best_end = 0, sum = 0;

	memset(o, 0, sizeof(*o));
	for (mon = 1; mon <= last; mon++) {
		size_t i = (size_t)(mon - 1) * nd + d;
		struct hl_fig_rank_month *rm = &o->months[o->nmonths++];
		int r = x->rank[i][k];

		rm->month = mon;
		rm->rank = r;
		rm->rate = x->rate[i][k] >= 0 ? x->rate[i][k] : HL_FIG_NONE;
		rm->ranked_districts = x->ranked[mon - 1][k];
		memcpy(rm->c, x->rk[i][k], sizeof(rm->c));
		if (r) {
			n++;
			sum += r;
		}
		run = r == want ? run + 1 : 0;
		if (run > best) {
			best = run;
			best_end = mon;
		}
	}
	o->mean_rank = n ? (double)sum / n : HL_FIG_NONE;
	o->ranked_months = n;
	o->streak_rank = want;
	o->streak_months = best;
	o->streak_from = best ? best_end - best + 1 : 0;
	o->streak_to = best ? best_end : 0;
}

/* Every district's rank and rate by month: the heat map's data. */
static void
rank_table(const struct ctx *x, struct hl_figures *f)
{
	size_t nd = x->dist.nname, d;
	int k, mon;

	f->nrank = nd;
	f->rank_names = hl_xcalloc(nd + 1, sizeof(*f->rank_names));
	f->rank_table = hl_xcalloc(nd + 1, sizeof(*f->rank_table));
	f->rate_table = hl_xcalloc(nd + 1, sizeof(*f->rate_table));
	for (d = 0; d < nd; d++) {
		f->rank_names[d] = hl_xstrdup(x->dist.name[d]);
		for (k = 0; k < HL_CLS_N; k++)
			for (mon = 0; mon < 12; mon++) {
				size_t i = (size_t)mon * nd + d;

				f->rank_table[d][k][mon] = x->rank[i][k];
				f->rate_table[d][k][mon] = x->rate[i][k] >= 0
							       ? x->rate[i][k]
							       : HL_FIG_NONE;
			}
	}
}

/* One district's line of the city (d: an index, or -1 for none). */
static void
district_line(const struct ctx *x, size_t d, int last,
	      struct hl_fig_district *o)
{
	const struct acc *p = an_dslot(x, x->dper, d),
			 *was = an_dslot(x, x->dprev, d);
	int k;

	o->name = hl_xstrdup(d == (size_t)-1 ? "未填区" : x->dist.name[d]);
	o->unassigned = d == (size_t)-1;
	o->not_in_region = d != (size_t)-1 && !x->dist.known[d];
	main_of(x, p, &o->f);
	o->hand[0] = handling_brief(p, was, G_CONSULT);
	o->hand[1] = handling_brief(p, was, G_OTHER);
	if (d != (size_t)-1)
		for (k = 0; k < HL_CLS_N; k++)
			ranking_of(x, d, k, last, &o->rank[k]);
}

/*
 * The city's districts side by side, counted in the same pass as the
 * city: the headline figures of each, its handling means and speed-up
 * (the quantiles need a district's own run), and its rankings; then the
 * tickets without a district (未填区), when there are any, which the
 * city's total counts and no ranking does.
 */
static void
districts_of(const struct ctx *x, int last, struct hl_figures *f)
{
	size_t d;

	f->districts = hl_xcalloc(x->dist.nname + 1, sizeof(*f->districts));
	for (d = 0; d < x->dist.nname; d++)
		district_line(x, d, last, &f->districts[f->ndistricts++]);
	if (x->dper[x->dist.nname].vol.tickets > 0)
		district_line(x, (size_t)-1, last,
			      &f->districts[f->ndistricts++]);
}

static void
month_of(const struct ctx *x, int mon, struct hl_fig_month *o)
{
	const struct acc *a = &x->month[mon - 1];

	o->month = mon;
	main_of(x, a, &o->f);
	o->hand_mean[0] = mean_hours(&a->hd.hand[G_CONSULT]);
	o->hand_mean[1] = mean_hours(&a->hd.hand[G_OTHER]);
	if (x->target != (size_t)-1) {
		size_t i = (size_t)(mon - 1) * x->dist.nname + x->target;

		o->rank[0] = x->rank[i][0];
		o->rank[1] = x->rank[i][1];
	}
}

/* n of den (a count of the period's handling), as a percentage. */
static double
share(long n, long den)
{
	return den > 0 ? 100.0 * (double)n / (double)den : 0;
}

static void
add_note(struct hl_figures *f, const char *figure, const char *en,
	 const char *zh)
{
	struct hl_fig_note *n;

	f->notes = hl_xrealloc(f->notes, (f->nnotes + 1) * sizeof(*f->notes));
	n = &f->notes[f->nnotes++];
	n->figure = figure;
	n->text = text2(en, zh);
}

/*
 * What the reader must know next to the figures: the years no calendar
 * covers (always, with the file to add), and the figures that leave out
 * (or count by rule) more than the settings' share of their tickets.
 * Each note is also with its figure; quality lists the missing years.
 */
static void
notes_of(const struct ctx *x, struct hl_figures *f)
{
	struct hl_buf en = HL_BUF_INIT, zh = HL_BUF_INIT, ys = HL_BUF_INIT;
	const struct acc *p = &x->per;
	long work_out = p->hd.outside_calendar;
	long counted = p->hd.hand[G_CONSULT].n + p->hd.hand[G_OTHER].n;
	const struct hl_fig_on_time *ot[2] = {&f->f.on_time_closed,
					      &f->f.on_time_dispatched};
	const char *figs[] = {"on_time_closed", "on_time_dispatched"};
	int y, first = 0;
	size_t i;

	f->calendar_missing =
	    hl_xcalloc(HL_YEAR_LAST - HL_YEAR_FIRST + 1, sizeof(int));
	for (y = HL_YEAR_FIRST; y <= HL_YEAR_LAST; y++)
		if (x->missing[y - HL_YEAR_FIRST]) {
			f->calendar_missing[f->ncalendar_missing++] = y;
			hl_buf_printf(&ys, "%s%d", ys.len ? ", " : "", y);
			first = first ? first : y;
		}
	if (first) {
		hl_buf_printf(
		    &en,
		    "no working-day calendar for %s: %ld tickets of the period "
		    "were accepted on days it does not cover, %ld closed ones "
		    "are left out of working hours%s; add the year from the "
		    "State Council's holiday notice as a file like "
		    "calendars/%d.ini (calendars/README.md) and pass it with "
		    "--calendar %d.ini",
		    ys.data, x->outside_calendar_tickets, work_out,
		    x->s->deadline_fill ? " and of computed deadlines" : "",
		    HL_CAL_LAST_YEAR, first);
		hl_buf_printf(
		    &zh,
		    "缺少 %s 年工作日历：期间内 %ld "
		    "件工单受理日不在日历内，%ld "
		    "件已办结工单不计工作时长%s；请按国务院办公厅放假通知仿照 "
		    "calendars/%d.ini 写出该年文件（见 calendars/README.md），"
		    "以 --calendar %d.ini 加入",
		    ys.data, x->outside_calendar_tickets, work_out,
		    x->s->deadline_fill ? "、无法推算办理时限" : "",
		    HL_CAL_LAST_YEAR, first);
		add_note(f, "calendar", en.data, zh.data);
	}
	if (work_out > 0 && share(work_out, counted) > x->s->note_share) {
		hl_buf_reset(&en);
		hl_buf_reset(&zh);
		hl_buf_printf(&en,
			      "working hours leave out %ld of %ld closed "
			      "tickets (%.2f%%): no calendar covers their days",
			      work_out, counted, share(work_out, counted));
		hl_buf_printf(&zh,
			      "工作时长未计入已办结工单 %ld 件中的 %ld 件"
			      "（%.2f%%）：日历未覆盖",
			      counted, work_out, share(work_out, counted));
		f->hand_note = text2(en.data, zh.data);
		add_note(f, "handling_work", en.data, zh.data);
	}
	for (i = 0; i < HL_ARRAY_LEN(figs); i++)
		if (ot[i]->note.en)
			add_note(f, figs[i], ot[i]->note.en, ot[i]->note.zh);
	hl_buf_release(&en);
	hl_buf_release(&zh);
	hl_buf_release(&ys);
}

/*
 * Days at the start or the end of the period without a ticket, more than
 * a week and a tenth of the period: the data may begin later or end
 * earlier than the period (an export not yet complete, a year asked for
 * in its middle), and the figures are of the days it has.
 */
static void
coverage_note(const struct ctx *x, struct hl_figures *f)
{
	const struct hl_period *p = x->pd;
	hl_time gap = (p->to - p->from) / 10, head, tail;
	char a[20], b[20];

	if (gap < 7 * 86400)
		gap = 7 * 86400;
	if (x->per.vol.tickets == 0)
		return;
	head = x->first_in - p->from;
	tail = p->to - x->last_in;
	if (head <= gap && tail <= gap)
		return;
	hl_time_format_iso(x->first_in, a);
	hl_time_format_iso(x->last_in, b);
	{
		struct hl_buf en = HL_BUF_INIT, zh = HL_BUF_INIT;

		hl_buf_printf(&en,
			      "the period's tickets run from %.10s to %.10s "
			      "(%s): none in its first %lld or last %lld days; "
			      "if the data is not complete, neither are the "
			      "figures",
			      a, b, hl_basis_words(x->s->basis, 0),
			      (long long)(head / 86400),
			      (long long)(tail / 86400));
		hl_buf_printf(
		    &zh,
		    "本期工单（按%s时间）起于 %.10s、止于 %.10s：期初 "
		    "%lld 天、期末 %lld 天无工单；如数据尚未导入完整，"
		    "本期指标亦不完整",
		    hl_basis_words(x->s->basis, 1), a, b,
		    (long long)(head / 86400), (long long)(tail / 86400));
		add_note(f, "coverage", en.data, zh.data);
		hl_buf_release(&en);
		hl_buf_release(&zh);
	}
}

/* A scheme asked for that the period's tickets have no answers for. */
static void
absent_notes(struct hl_figures *f)
{
	if (f->has_assessment && f->assess.given == 0)
		add_note(f, "assessment",
			 "no assessment answers: none of the period's tickets "
			 "has 是否有效回访, 是否联系, 是否解决 or 是否纳入考核",
			 "无考核数据：期间内工单均无是否有效回访、是否联系、"
			 "是否解决或是否纳入考核");
}

struct hl_figures *
an_build(struct ctx *x, hl_time as_of)
{
	struct hl_figures *f = hl_xcalloc(1, sizeof(*f));
	const struct acc *p = &x->per;
	const int *yv;
	int last = x->pd->last_month, mon, c, k;
	long sat_all[4];
	const struct item **late;
	size_t i;

	group_hv(x);
	open_lists(x, as_of, f);
	f->period = *x->pd;
	f->district = x->target == (size_t)-1
			  ? NULL
			  : hl_xstrdup(x->dist.name[x->target]);
	f->as_of = as_of;
	f->settings = x->s;
	f->ncalendar_years = hl_calendar_years(x->m->cal, &yv);
	f->calendar_years =
	    hl_xcalloc(f->ncalendar_years + 1, sizeof(*f->calendar_years));
	memcpy(f->calendar_years, yv,
	       f->ncalendar_years * sizeof(*f->calendar_years));
	f->region_city = hl_xstrdup(hl_region_city(x->m->region));
	f->region_source = hl_xstrdup(hl_region_source(x->m->region));
	main_of(x, p, &f->f);
	for (c = 0; c < 4; c++)
		sat_all[c] = p->sat.c[0][c] + p->sat.c[1][c];
	f->sat_all = sat_of(x, sat_all);
	f->by_channel = counts_of(x, &x->channels, &f->nchannels);
	f->by_street = counts_of(x, &x->streets, &f->nstreets);
	f->has_ranking = x->target != (size_t)-1;
	if (f->has_ranking)
		for (k = 0; k < HL_CLS_N; k++)
			ranking_of(x, x->target, k, last, &f->ranking[k]);
	rank_table(x, f);
	f->hand[HL_FIG_CONSULT] = handling_group(x, G_CONSULT);
	f->hand[HL_FIG_OTHER] = handling_group(x, G_OTHER);
	for (c = 0; c < HL_CAT_COUNT; c++)
		f->hand[2 + c] = handling_group(x, G_CAT(c));
	f->hand_left_out = p->hd.excluded;
	f->hand_outside_calendar = p->hd.outside_calendar;
	for (mon = 1; mon <= 12; mon++)
		month_of(x, mon, &f->months[mon - 1]);
	if (x->dper)
		districts_of(x, last, f);
	units_of(x, f);
	an_assess_build(x, f);
	f->topics.off = !x->s->topics_on;
	f->repeats.off = !x->s->repeats_on;
	if (!x->failed && an_topics(x, f) == 0)
		an_repeats(x, f);
	absent_notes(f);
	f->has_late = x->q->late_list;
	an_sort(x->late, x->nlate, sizeof(*x->late), cmp_item);
	f->late.v = hl_xcalloc(x->nlate + 1, sizeof(*f->late.v));
	late = hl_xcalloc(x->nlate + 1, sizeof(*late));
	for (i = 0; i < x->nlate; i++)
		item_of(&x->late[i], as_of, 0, &f->late, late);
	list_names(x, &f->late, late);
	free(late);
	f->flagged = (int)p->vol.flagged;
	f->outside_calendar = (int)x->outside_calendar_tickets;
	f->no_deadline = (int)p->ot.no_deadline;
	notes_of(x, f);
	coverage_note(x, f);
	if (x->failed) {
		hl_figures_free(f);
		return NULL;
	}
	return f;
}

static void
text2_free(struct hl_text2 *t)
{
	free(t->en);
	free(t->zh);
}

static void
main_free(struct hl_fig_main *m)
{
	text2_free(&m->on_time_closed.note);
	text2_free(&m->on_time_dispatched.note);
}

static void
tickets_free(struct hl_fig_tickets *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].ticket_id);
		free(l->v[i].unit);
	}
	free(l->v);
}

int
hl_figures_require_tickets(const struct hl_figures *f, struct hl_buf *err)
{
	char from[20], to[20];

	if (f->f.tickets > 0)
		return 0;
	hl_time_format_iso(f->period.from, from);
	hl_time_format_iso(f->period.to - 1, to);
	hl_buf_printf(err,
		      "no tickets of %s in %s (%s %.10s to %.10s): there is "
		      "nothing to compute figures of",
		      f->district ? f->district : "the city", f->period.label,
		      hl_basis_words(f->settings->basis, 0), from, to);
	return -1;
}

void
hl_figures_free(struct hl_figures *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->district);
	free(f->calendar_years);
	free(f->region_city);
	free(f->region_source);
	main_free(&f->f);
	for (i = 0; i < f->nchannels; i++)
		free(f->by_channel[i].name);
	for (i = 0; i < f->nstreets; i++)
		free(f->by_street[i].name);
	free(f->by_channel);
	free(f->by_street);
	text2_free(&f->hand_note);
	for (i = 0; i < 12; i++)
		main_free(&f->months[i].f);
	hl_free_strv(f->rank_names, f->nrank);
	free(f->rank_table);
	free(f->rate_table);
	for (i = 0; i < f->ndistricts; i++) {
		free(f->districts[i].name);
		main_free(&f->districts[i].f);
	}
	free(f->districts);
	for (i = 0; i < f->nunits; i++)
		free(f->units[i].name);
	free(f->units);
	for (i = 0; i < f->nlagging; i++)
		free(f->lagging[i].name);
	free(f->lagging);
	for (i = 0; i < f->league.n; i++)
		free(f->league.v[i].name);
	free(f->league.v);
	for (i = 0; i < f->topics.ntop; i++)
		free(f->topics.top[i].name);
	free(f->topics.top);
	for (i = 0; i < f->topics.nsurges; i++) {
		free(f->topics.surges[i].topic);
		free(f->topics.surges[i].street);
	}
	free(f->topics.surges);
	for (i = 0; i < f->repeats.nlargest; i++) {
		free(f->repeats.largest[i].first_id);
		free(f->repeats.largest[i].last_id);
	}
	free(f->repeats.largest);
	tickets_free(&f->past);
	tickets_free(&f->near);
	tickets_free(&f->late);
	free(f->calendar_missing);
	for (i = 0; i < f->nnotes; i++)
		text2_free(&f->notes[i].text);
	free(f->notes);
	free(f);
}

const struct hl_fig_on_time *
hl_fig_on_time(const struct hl_figures *f, const struct hl_fig_main *m)
{
	return f->settings->denominator == HL_DENOM_CLOSED
		   ? &m->on_time_closed
		   : &m->on_time_dispatched;
}
