/*
 * metrics.c - the figures of one period (a year or a month) for one
 * district or the whole city, from the stored tickets: the handle and
 * the run of one computation (priv.h says which file does what).
 *
 * One pass over the period's tickets (district_tickets.sql, through the
 * index on district and acceptance time, or city_tickets.sql) fills
 * counters for the period and for each month of its year, the handling
 * times of the period (for medians), and tables by unit, street and
 * channel.  A second pass over the same period a year earlier gives the
 * handling means the speed-up compares with.  The monthly rankings compare
 * every district, so they read the satisfaction rollup (sat_day.sql)
 * instead of every ticket of the city; periods by dispatch or closure,
 * which the rollup does not follow, count the city's tickets instead.
 * Finally the counts become the typed figures of figures.h, which
 * reports/ writes as JSON, tables and reports.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

/* ---- errors ---- */

const char *
hl_analysis_strerror(int err)
{
	switch (err) {
	case HL_ANALYSIS_OK:
		return "success";
	case HL_ANALYSIS_ESETTING:
		return "invalid setting";
	case HL_ANALYSIS_ESTORE:
		return "database error";
	case HL_ANALYSIS_ESCOPE:
		return "nothing to compute for this scope";
	default:
		return "unknown error";
	}
}

const char *
hl_metrics_errmsg(const struct hl_metrics *m)
{
	return hl_err_text(&m->err, hl_analysis_strerror);
}

int
hl_metrics_errcode(const struct hl_metrics *m)
{
	return m->err.code;
}

int
hl_metrics_open(struct hl_store *st, const struct hl_settings *s,
		struct hl_metrics **out)
{
	struct hl_metrics *m = hl_xcalloc(1, sizeof(*m));

	*out = m;
	m->st = st;
	m->s = s;
	hl_buf_init(&m->err.msg);
	if (hl_calendar_new(&s->cal, &m->cal, &m->err.msg) != 0) {
		m->err.code = HL_ANALYSIS_ESETTING;
		return -1;
	}
	if (hl_region_load(s->region, &m->region, &m->err.msg) != 0) {
		m->err.code = HL_ANALYSIS_ESETTING;
		return -1;
	}
	return 0;
}

void
hl_metrics_free(struct hl_metrics *m)
{
	if (m == NULL)
		return;
	hl_calendar_free(m->cal);
	hl_region_free(m->region);
	hl_buf_release(&m->err.msg);
	free(m);
}

static void
ctx_release(struct ctx *x)
{
	an_topics_free(x);
	an_repeats_free(x);
	an_districts_release(&x->dist);
	free(x->hv);
	free(x->units);
	hl_idmap_release(&x->unit_of);
	hl_idmap_release(&x->streets);
	hl_idmap_release(&x->street_of);
	free(x->street_acc);
	hl_idmap_release(&x->channels);
	free(x->open);
	free(x->late);
	free(x->rk);
	free(x->rank);
	free(x->rate);
	free(x->dper);
	free(x->dprev);
}

struct hl_figures *
hl_metrics_compute(struct hl_metrics *m, const struct hl_query *q)
{
	struct hl_period *pd = &m->period;
	struct hl_buf name = HL_BUF_INIT;
	struct ctx x;
	struct hl_figures *root = NULL;
	hl_time lo;

	memset(&x, 0, sizeof(x));
	hl_idmap_init(&x.unit_of, sizeof(size_t));
	hl_idmap_init(&x.streets, sizeof(size_t));
	hl_idmap_init(&x.street_of, sizeof(size_t));
	hl_idmap_init(&x.channels, sizeof(size_t));
	x.m = m;
	x.s = m->s;
	x.q = q;
	x.target = (size_t)-1;
	hl_buf_reset(&m->err.msg);
	m->err.code = HL_ANALYSIS_OK;
	/* The period as the settings' assessment months make it. */
	*pd = hl_period_restart(&q->period, m->s->month_start_day);
	x.pd = pd;
	if (pd->year < 1901 || pd->year > 2199 || pd->from >= pd->to ||
	    pd->from < hl_period_year_start(1901, pd->start_day) ||
	    pd->last_month < 1 || pd->last_month > 12) {
		an_fail(m, HL_ANALYSIS_ESCOPE, "no such period: %s", pd->label);
		return NULL;
	}
	if (q->league && q->league_level == HL_LEVEL_DISTRICT && q->district) {
		an_fail(m, HL_ANALYSIS_ESCOPE,
			"a league of districts compares the city's districts: "
			"leave out the district, or rank its streets or units");
		return NULL;
	}
	if (an_load_districts(m, &x.dist) != 0)
		goto done;
	if (q->district) {
		struct hl_buf disp = HL_BUF_INIT;
		size_t i;

		hl_region_match(m->region, q->district, strlen(q->district),
				&name, &disp);
		hl_buf_release(&disp);
		x.target = an_key_index(&x.dist, name.data);
		if (x.target == (size_t)-1) {
			hl_buf_reset(&name);
			for (i = 0; i < x.dist.nname; i++)
				hl_buf_printf(&name, "%s%s", i ? ", " : "",
					      x.dist.name[i]);
			an_fail(m, HL_ANALYSIS_ESCOPE,
				"no tickets of district '%s' in the database "
				"(%s%s)",
				q->district,
				x.dist.nname ? "its districts: "
					     : "it has none",
				name.data);
			goto done;
		}
	}
	if (!q->district) {
		x.dper = hl_xcalloc(x.dist.nname + 1, sizeof(*x.dper));
		x.dprev = hl_xcalloc(x.dist.nname + 1, sizeof(*x.dprev));
	}
	x.y0 = hl_period_year_start(pd->year, pd->start_day);
	x.y1 = hl_period_year_start(pd->year + 1, pd->start_day);
	x.p0 = pd->from;
	x.p1 = pd->to;
	x.q0 = an_year_before(x.p0);
	x.q1 = an_year_before(x.p1);
	/*
	 * By dispatch or closure, a ticket may have been accepted in any
	 * earlier year, but not after its period.
	 */
	/* A month needs the year only so far: its months and itself; a
	 * period that starts in the year before, from its start. */
	x.s0 = x.p0 < x.y0 ? x.p0 : x.y0;
	x.s1 = x.p1;
	lo = m->s->basis == HL_BASIS_ACCEPTED ? x.s0 : INT64_MIN;
	if (m->s->topics_on)
		an_topics_begin(&x, lo);
	if (m->s->repeats_on)
		an_repeats_begin(&x, lo);
	if (an_scan(&x, lo, x.s1, an_take) != 0)
		goto done;
	if (m->s->basis == HL_BASIS_ACCEPTED
		? an_load_prev_rollup(&x) != 0
		: an_scan(&x, INT64_MIN, x.q1, an_take_prev) != 0)
		goto done;
	if (an_load_ranking_counts(&x) != 0 || an_check_scan(&x) != 0)
		goto done;
	an_rank_all(&x);
	root = an_build(&x, q->as_of ? q->as_of : x.latest);
	/* The tickets behind the figures, judged as they were. */
	if (root && q->each && an_export(&x, root->as_of) != 0) {
		hl_figures_free(root);
		root = NULL;
	}
done:
	hl_buf_release(&name);
	ctx_release(&x);
	return root;
}
