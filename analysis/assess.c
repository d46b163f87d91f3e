/*
 * assess.c - assessment schemes and league tables (docs/analyses.md):
 * Beijing's 响应率, 解决率, 满意率 over valid callbacks and their 综合成绩,
 * counted per period, district, street and unit in the metrics' scan;
 * then the districts, streets or units ranked by one figure.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

const char *const hl_league_figures[] = {
    "score",   "response", "resolution", "satisfaction",
    "on_time", "tickets",  NULL};
const char *const hl_level_names[] = {"district", "street", "unit"};

/* An on-time rate under the settings' rule for tickets without one. */
struct ot
an_on_time_rule(const struct hl_settings *s, long on, long late, long den,
		long nodl_closed, long nodl)
{
	struct ot r = {on, den, late};

	switch (s->no_deadline) {
	case HL_NODL_EXCLUDED:
		r.den -= nodl;
		break;
	case HL_NODL_ON_TIME:
		r.num += nodl_closed;
		break;
	case HL_NODL_LATE:
		r.late += nodl_closed;
		break;
	}
	return r;
}

void
an_assess_add(struct acc_assess *a, const struct hl_store_ticket *t)
{
	int as = t->assess;

	a->tickets++;
	a->given += as != 0;
	if (HL_ASSESS_GET(as, HL_AS_IN_ASSESSMENT) == HL_YN_NO) {
		a->left_out++;
		return;
	}
	if (HL_ASSESS_GET(as, HL_AS_VALID) != HL_YN_YES)
		return;
	a->valid++;
	a->contacted += HL_ASSESS_GET(as, HL_AS_CONTACTED) == HL_YN_YES;
	a->resolved += HL_ASSESS_GET(as, HL_AS_RESOLVED) == HL_YN_YES;
	a->sat[t->sat >= 0 && t->sat < HL_SAT_COUNT ? t->sat : 0]++;
}

static struct hl_fig_assess
assess_of(const struct hl_settings *s, const struct acc_assess *a)
{
	struct hl_fig_assess o;
	double v = (double)a->valid;

	memset(&o, 0, sizeof(o));
	o.tickets = a->tickets;
	o.given = a->given;
	o.left_out = a->left_out;
	o.valid = a->valid;
	o.contacted = a->contacted;
	o.resolved = a->resolved;
	memcpy(o.c, a->sat, sizeof(o.c));
	o.response.num = (double)a->contacted;
	o.resolution.num = (double)a->resolved;
	o.satisfaction.num = (double)a->sat[HL_SAT_SATISFIED] +
			     s->as_basic_weight * (double)a->sat[HL_SAT_BASIC];
	o.response.den = o.resolution.den = o.satisfaction.den = v;
	o.score = a->valid
		      ? (s->as_weight[0] * hl_ratio_value(o.response) +
			 s->as_weight[1] * hl_ratio_value(o.resolution) +
			 s->as_weight[2] * hl_ratio_value(o.satisfaction)) *
			    100
		      : HL_FIG_NONE;
	return o;
}

/* What a league line is computed from. */
struct entry {
	int64_t id; /* dict id to name, or 0 */
	const char *name;
	long tickets;
	const struct acc_on_time *ot;
	const struct acc_assess *as;
};

/* e's value of figure f (an index of hl_league_figures) and the number
 * of tickets it is of; none when it has none or too few. */
static double
value_of(const struct ctx *x, int f, const struct entry *e, long *basis)
{
	const struct hl_settings *s = x->s;
	struct hl_fig_assess a = assess_of(s, e->as);
	struct ot r;

	switch (f) {
	case 0: /* score */
	case 1:
	case 2:
	case 3:
		*basis = a.valid;
		if (a.valid < (s->as_min_valid > 0 ? s->as_min_valid : 1))
			return HL_FIG_NONE;
		return f == 0   ? a.score
		       : f == 1 ? 100 * hl_ratio_value(a.response)
		       : f == 2 ? 100 * hl_ratio_value(a.resolution)
				: 100 * hl_ratio_value(a.satisfaction);
	case 4:
		r = an_on_time_rule(s, e->ot->on_time, e->ot->late,
				    e->ot->closed, e->ot->no_deadline,
				    e->ot->no_deadline);
		*basis = r.den;
		return r.den > 0 ? 100.0 * (double)r.num / (double)r.den
				 : HL_FIG_NONE;
	default:
		*basis = e->tickets;
		return (double)e->tickets;
	}
}

/* a and b equal but for rounding (rates with fractional weights). */
static int
same(double a, double b)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	return fabs(a - b) <= 1e-12 * m;
}

/* a ahead of b: ranked first, a larger value, more tickets (volume). */
static int
cmp_row(const void *pa, const void *pb)
{
	const struct hl_fig_league_row *a = pa, *b = pb;
	int ra = hl_fig_has(a->value), rb = hl_fig_has(b->value);
	const char *na = a->name ? a->name : "", *nb = b->name ? b->name : "";

	if (ra != rb)
		return rb - ra;
	if (ra && !same(a->value, b->value))
		return a->value > b->value ? -1 : 1;
	if (a->tickets != b->tickets)
		return a->tickets > b->tickets ? -1 : 1;
	return strcmp(na, nb);
}

/* Competition ranks over the sorted lines: equal value and tickets
 * share a rank. */
static void
rank_rows(struct hl_fig_league *lg)
{
	size_t i;

	for (i = 0; i < lg->n; i++) {
		struct hl_fig_league_row *r = &lg->v[i];

		if (!hl_fig_has(r->value))
			break;
		r->rank = i > 0 && same(r->value, lg->v[i - 1].value) &&
				  r->tickets == lg->v[i - 1].tickets
			      ? lg->v[i - 1].rank
			      : (int)i + 1;
		lg->ranked++;
	}
}

static int
figure_index(const char *name)
{
	int i;

	for (i = 0; hl_league_figures[i]; i++)
		if (strcmp(hl_league_figures[i], name) == 0)
			return i;
	return -1;
}

/* The entries of the query's level. */
static struct entry *
entries_of(struct ctx *x, size_t *n)
{
	struct entry *e;
	size_t i;

	*n = 0;
	switch (x->q->league_level) {
	case HL_LEVEL_DISTRICT:
		e = hl_xcalloc(x->dist.nname + 1, sizeof(*e));
		if (x->dper == NULL)
			return e;
		for (i = 0; i < x->dist.nname; i++) {
			const struct acc *a = &x->dper[i];

			e[*n].name = x->dist.name[i];
			e[*n].tickets = a->vol.tickets;
			e[*n].ot = &a->ot;
			e[*n].as = &a->as;
			++*n;
		}
		return e;
	case HL_LEVEL_STREET:
		e = hl_xcalloc(x->nstreet_acc + 1, sizeof(*e));
		for (i = 0; i < x->nstreet_acc; i++) {
			const struct street *sa = &x->street_acc[i];

			e[*n].id = sa->id;
			e[*n].tickets = sa->tickets;
			e[*n].ot = &sa->ot;
			e[*n].as = &sa->as;
			++*n;
		}
		return e;
	default:
		e = hl_xcalloc(x->nunits + 1, sizeof(*e));
		for (i = 0; i < x->nunits; i++) {
			const struct unit *u = &x->units[i];

			e[*n].id = u->id;
			e[*n].tickets = u->tickets;
			e[*n].ot = &u->ot;
			e[*n].as = &u->as;
			++*n;
		}
		return e;
	}
}

static void
league_of(struct ctx *x, struct hl_figures *f)
{
	struct hl_fig_league *lg = &f->league;
	int fi = figure_index(x->q->league);
	size_t n, i, named = 0;
	struct entry *e = entries_of(x, &n);
	int64_t *ids = hl_xcalloc(n + 1, sizeof(*ids));
	char **names = hl_xcalloc(n + 1, sizeof(*names));

	lg->figure = hl_league_figures[fi];
	lg->level = hl_level_names[x->q->league_level];
	lg->top = x->q->league_top > 0 ? x->q->league_top : 10;
	lg->v = hl_xcalloc(n + 1, sizeof(*lg->v));
	for (i = 0; i < n; i++)
		if (e[i].id)
			ids[named++] = e[i].id;
	an_names_of(x, HL_LOOKUP_DICT, ids, named, names);
	for (i = 0, named = 0; i < n; i++) {
		struct hl_fig_league_row *r = &lg->v[lg->n++];

		r->name = e[i].id     ? names[named++]
			  : e[i].name ? hl_xstrdup(e[i].name)
				      : NULL;
		r->tickets = e[i].tickets;
		r->value = value_of(x, fi, &e[i], &r->basis);
	}
	qsort(lg->v, lg->n, sizeof(*lg->v), cmp_row);
	rank_rows(lg);
	free(names);
	free(ids);
	free(e);
}

void
an_assess_build(struct ctx *x, struct hl_figures *f)
{
	f->has_assessment = x->s->scheme == HL_SCHEME_BEIJING;
	if (f->has_assessment)
		f->assess = assess_of(x->s, &x->per.as);
	if (x->q->league && figure_index(x->q->league) >= 0)
		league_of(x, f);
}
