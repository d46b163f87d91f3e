/*
 * sample.c - the generator's planner.
 *
 * Months are generated in order.  For each month every district's tickets
 * are drawn from its profile (volume apportioned exactly over the days,
 * category, topic, unit, channel, key flag, dispatch, deadline, handling
 * time, reopening, callback), then satisfaction answers are assigned as
 * exact counts per district and class.  荔湾区 comes last: when calibrating
 * 2022, its handling times are scaled so the year-to-date mean meets the
 * target, its late tickets are a planned count, and its unsatisfied count
 * is chosen so that its rate lands at the month's planned rank among the
 * rates the other ten districts actually got.  The month is then sorted by
 * acceptance time, numbered and handed to the writer (write.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sample-data/priv.h"

void
hl_sample_opts_init(struct hl_sample_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->outdir = "sample";
	o->seed = HL_SAMPLE_DEFAULT_SEED;
	o->first_year = 2021;
	o->last_year = 2022;
	o->scale = HL_SAMPLE_DEFAULT_SCALE;
	o->calibrate = 1;
	o->rank_min = HL_SAMPLE_DEFAULT_RANK_MIN;
	o->encoding = HL_ENC_UTF8;
	o->crlf = 1;
	o->dates = HL_DATES_ISO;
	o->header_variant = 1;
	o->dirt = 0;
	o->nightly = 0;
}

const char *
hl_sample_strerror(int err)
{
	switch (err) {
	case HL_SAMPLE_OK:
		return "success";
	case HL_SAMPLE_EOPTS:
		return "inconsistent options";
	case HL_SAMPLE_EIO:
		return "cannot write output";
	case HL_SAMPLE_ECAL:
		return "year not covered by the working-day calendar";
	case HL_SAMPLE_EICONV:
		return "encoding conversion failed";
	default:
		return "unknown error";
	}
}

struct hl_sample *
hl_sample_new(const struct hl_sample_opts *o)
{
	struct hl_sample *s = hl_xcalloc(1, sizeof(*s));

	s->o = *o;
	hl_buf_init(&s->err.msg);
	return s;
}

void
hl_sample_free(struct hl_sample *s)
{
	if (s == NULL)
		return;
	writer_free(s);
	plant_free(s);
	hl_calendar_free(s->cal);
	hl_buf_release(&s->err.msg);
	free(s->batch);
	free(s->stats);
	free(s);
}

const char *
hl_sample_errmsg(const struct hl_sample *s)
{
	return hl_err_text(&s->err, hl_sample_strerror);
}

struct mstat *
sample_stat(struct hl_sample *s, int d, int y, int m)
{
	return &s->stats[((y - s->o.first_year) * N_DISTRICTS + d) * 12 +
			 (m - 1)];
}

static int
calibrating(const struct hl_sample *s, int y)
{
	return s->o.calibrate && y == CAL_YEAR;
}

/* ---- profiles ---- */

static double
urand(struct hl_sample *s, int d, int what, int y)
{
	struct rng r;

	rng_seed(&r, s->o.seed, (uint64_t)d, (uint64_t)what, (uint64_t)y);
	return rng_unit(&r);
}

static void
make_profile(struct hl_sample *s, int d, int y, struct yprof *p)
{
	static const double cat_base[N_CATEGORIES] = {0.42, 0.17, 0.23, 0.05,
						      0.05, 0.01, 0.07};
	const struct district *dd = &districts[d];
	double g, v, tot = 0;
	int i, yy;
	struct rng r;

	rng_seed(&r, s->o.seed, (uint64_t)d, 0x9f0f11e5ull, (uint64_t)y);
	/* Volume: full scale in 2022, grown or shrunk by the district's rate.
	 */
	g = dd->growth * (0.8 + 0.4 * urand(s, d, 1, 0));
	v = dd->volume;
	for (yy = y; yy < 2022; yy++)
		v /= 1 + g;
	for (yy = 2022; yy < y; yy++)
		v *= 1 + g;
	if (d == LIWAN && s->o.calibrate)
		v = v * 245500.0 / dd->volume; /* full scale whatever --scale */
	else
		v *= s->o.scale;
	p->volume = v;

	for (i = 0; i < N_CATEGORIES; i++) {
		p->cat_share[i] =
		    cat_base[i] * (0.85 + 0.3 * urand(s, d, 10 + i, 0));
		if (i == CAT_CONSULT && (y == 2020 || y == 2022))
			p->cat_share[i] *= 1.08; /* epidemic years */
		tot += p->cat_share[i];
	}
	for (i = 0; i < N_CATEGORIES; i++)
		p->cat_share[i] /= tot;

	p->key_share = 0.03 + 0.025 * urand(s, d, 2, 0);
	p->online_share = 0.22 + 0.05 * (y - 2020) + 0.1 * urand(s, d, 3, 0);
	p->callback_share = 0.88 + 0.08 * urand(s, d, 4, 0);
	p->eval_share = 0.58 + 0.14 * urand(s, d, 5, y);
	p->basic_share = 0.06 + 0.10 * urand(s, d, 6, 0);
	p->sat_ord = 0.945 + 0.042 * urand(s, d, 7, 0) +
		     0.004 * (urand(s, d, 8, y) - 0.5);
	p->sat_key = 0.925 + 0.06 * urand(s, d, 9, 0) +
		     0.006 * (urand(s, d, 30, y) - 0.5);
	p->late_p = 0.0004 + 0.006 * urand(s, d, 31, 0) * urand(s, d, 32, y);
	p->reopen_p = 0.01 + 0.03 * urand(s, d, 33, 0) *
				 (1.1 - 0.1 * (y - 2020) * urand(s, d, 34, y));
	p->direct_share = 0.25 + 0.2 * urand(s, d, 35, 0);
	/* Mean handling hours of dispatched tickets: a 2020 level, then a
	 * speed-up each year, as districts streamlined their handling. */
	p->mean_h[0] = 20 + 14 * urand(s, d, 36, 0);
	p->mean_h[1] = 80 + 50 * urand(s, d, 37, 0);
	for (yy = 2021; yy <= y; yy++) {
		p->mean_h[0] *= 1 - (0.08 + 0.4 * urand(s, d, 38, yy));
		p->mean_h[1] *= 1 - (0.06 + 0.35 * urand(s, d, 39, yy));
	}
	if (d == LIWAN && s->o.calibrate && y >= 2022) {
		/* The 2022 level the targets imply; the planner steers the
		 * realised mean onto the exact target month by month. */
		p->mean_h[0] = 24.0 * (1 - CAL_SPEEDUP_CONSULT / 100);
		p->mean_h[1] = 96.0 * (1 - CAL_SPEEDUP_OTHER / 100);
		/* 严控进入重办环节: Liwan's strict control of re-handling. */
		p->reopen_p *= 0.45;
	} else if (d == LIWAN && s->o.calibrate && y == 2021) {
		p->mean_h[0] = 24.0;
		p->mean_h[1] = 96.0;
	}
	/* Monthly drift of the satisfaction levels: a mean-reverting walk. */
	{
		double a = 0, b = 0;

		for (i = 0; i < 12; i++) {
			a = 0.7 * a + 0.004 * rng_normal(&r);
			b = 0.7 * b + 0.006 * rng_normal(&r);
			p->drift_ord[i] = a;
			p->drift_key[i] = b;
		}
	}
}

/* ---- volumes ---- */

static const double month_factor[12] = {1.0,  0.8, 1.0, 0.98, 1.02, 1.1,
					1.12, 1.1, 1.0, 0.95, 1.0,  0.98};

static double
episode_factor(int y, int m)
{
	if (y == 2020 && (m == 2 || m == 3))
		return 1.3;
	if (y == 2022 && (m == 4 || m == 11))
		return m == 11 ? 1.25 : 1.1;
	return 1.0;
}

struct rem {
	double frac;
	int day;
};

static int
rem_cmp(const void *a, const void *b)
{
	const struct rem *x = a, *y = b;

	if (x->frac != y->frac)
		return x->frac > y->frac ? -1 : 1;
	return x->day - y->day;
}

/*
 * Spreads `total` tickets of district d over the days of year y, exactly,
 * by largest remainders over weights for weekday, holiday, season and
 * noise.  Writes counts[0..ndays-1].
 */
static void
plan_days(struct hl_sample *s, int d, int y, long total, int *counts)
{
	int64_t first = hl_days_from_civil(y, 1, 1);
	int ndays = (int)(hl_days_from_civil(y + 1, 1, 1) - first);
	double w[366], wsum = 0;
	struct rem rems[366];
	long given = 0;
	struct rng r;
	int i;

	rng_seed(&r, s->o.seed, (uint64_t)d, 0x0da75ull, (uint64_t)y);
	for (i = 0; i < ndays; i++) {
		int yy, mm, dd2, wd = hl_iso_weekday(first + i);
		enum hl_daykind k = hl_calendar_daykind(s->cal, first + i);
		double f;

		hl_civil_from_days(first + i, &yy, &mm, &dd2);
		f = month_factor[mm - 1] * episode_factor(y, mm);
		if (k == HL_DAY_REST)
			f *= wd <= 5 ? 0.62 : 0.74;
		else if (wd == 1)
			f *= 1.08;
		f *= 0.88 + 0.24 * rng_unit(&r);
		w[i] = f;
		wsum += f;
	}
	for (i = 0; i < ndays; i++) {
		double exact = total * w[i] / wsum;

		counts[i] = (int)exact;
		given += counts[i];
		rems[i].frac = exact - counts[i];
		rems[i].day = i;
	}
	qsort(rems, (size_t)ndays, sizeof(rems[0]), rem_cmp);
	for (i = 0; given < total; i = (i + 1) % ndays, given++)
		counts[rems[i].day]++;
}

/* ---- one ticket ---- */

/* The evaluation's split: 0 for 咨询, 1 for every other category. */
static int
handling_class(const struct ticket *t)
{
	return t->category == CAT_CONSULT ? 0 : 1;
}

static hl_time
day_end(int64_t day)
{
	return day * 86400 + 86399;
}

/*
 * The n-th working day after day, by the calendar.  The generator plays
 * a platform that knows its own calendar: where ours ends (the deadlines
 * of late December in the last year that has one), it counts Monday to
 * Friday.  Only the synthetic export's deadline cells come from this;
 * hotline's figures never assume a calendar.
 */
static int64_t
add_workdays(const struct hl_sample *s, int64_t day, int n)
{
	while (n > 0) {
		enum hl_daykind k = hl_calendar_daykind(s->cal, ++day);

		if (k == HL_DAY_UNKNOWN)
			k = hl_iso_weekday(day) <= 5 ? HL_DAY_WORK
						     : HL_DAY_REST;
		n -= k == HL_DAY_WORK;
	}
	return day;
}

static hl_time
clamp_time(hl_time t, hl_time lo, hl_time hi)
{
	return t < lo ? lo : t > hi ? hi : t;
}

static int
pick_topic(struct rng *r, int cat, int y)
{
	double w[64];
	int i;

	for (i = 0; i < n_topics; i++) {
		w[i] = topics[i].cat_weight[cat];
		if (strcmp(topics[i].name, "疫情防控") == 0)
			w[i] *= y == 2022   ? 3.0
				: y == 2021 ? 1.8
				: y == 2020 ? 2.5
					    : 0.2;
	}
	return rng_pick(r, w, n_topics);
}

static int
draw_ticket(struct hl_sample *s, struct rng *r, const struct yprof *p, int d,
	    int y, int64_t day, struct ticket *t)
{
	static const double online_split[3] = {0.45, 0.35, 0.20};
	double cw[N_CATEGORIES];
	int i, nu = 0;

	memset(t, 0, sizeof(*t));
	t->district = (uint8_t)d;
	t->accepted = day * 86400 + rng_pick(r, hour_weight, 24) * 3600 +
		      (hl_time)rng_below(r, 3600);
	for (i = 0; i < N_CATEGORIES; i++)
		cw[i] = p->cat_share[i];
	t->category = (uint8_t)rng_pick(r, cw, N_CATEGORIES);
	t->topic = (uint8_t)pick_topic(r, t->category, y);
	while (nu < 4 && topics[t->topic].units[nu] >= 0)
		nu++;
	t->unit = (uint8_t)topics[t->topic].units[rng_below(r, (uint64_t)nu)];
	t->street = (uint8_t)rng_below(r, (uint64_t)n_streets(d));
	t->channel = rng_unit(r) < p->online_share
			 ? (uint8_t)(1 + rng_pick(r, online_split, 3))
			 : 0;
	t->is_key = t->category != 5 && rng_unit(r) < p->key_share;
	t->seed = rng_next(r);
	t->direct = t->category == CAT_CONSULT && t->channel == 0 &&
		    rng_unit(r) < p->direct_share;
	t->evaluable = rng_unit(r) < p->eval_share;
	t->has_callback = rng_unit(r) < p->callback_share;
	if (rng_unit(r) < p->reopen_p && !t->direct)
		t->reopen = rng_unit(r) < 0.15 ? 2 : 1;
	if (t->direct) {
		t->dispatched = NO_TIME;
		t->signed_at = NO_TIME;
		t->base = 180 + (double)rng_below(r, 1500);
		day = t->accepted / 86400;
	} else {
		double mean = p->mean_h[handling_class(t)];

		t->dispatched =
		    t->accepted +
		    clamp_time((hl_time)rng_lognormal(r, 45 * 60, 0.8), 120,
			       20 * 3600);
		t->signed_at =
		    t->dispatched +
		    clamp_time((hl_time)rng_lognormal(r, 80 * 60, 0.9), 60,
			       30 * 3600);
		t->base = rng_lognormal(r, mean * 3600,
					t->category == CAT_CONSULT ? 0.9 : 1.0);
		day = t->dispatched / 86400;
		t->late = !calibrating(s, y) || d != LIWAN
			      ? rng_unit(r) < p->late_p
			      : 0;
		t->delay = (hl_time)rng_lognormal(r, 30 * 3600, 1.0) + 600;
	}
	t->deadline =
	    day_end(add_workdays(s, day, category_deadline_days[t->category]));
	t->margin = (hl_time)rng_below(r, 5 * 3600);
	return 0;
}

static hl_time closure_for(const struct ticket *t, double k);

/*
 * Handlers close tickets in the daytime: a closure computed for the small
 * hours moves to between 08:00 and 10:00 of the same day.
 */
static hl_time
work_hours(hl_time c)
{
	hl_time tod = c % 86400;

	if (tod >= 8 * 3600)
		return c;
	return c - tod + 8 * 3600 + tod / 4;
}

/*
 * Fixes a ticket's closure (and everything after it) for scale factor k
 * on its drawn handling time.  Draws only from the ticket's own seed, so
 * calling it again with another k is deterministic.
 */
static void
finalize(struct ticket *t, double k)
{
	struct rng r;

	rng_seed(&r, t->seed, 0xf1a1ull, 0, 0);
	t->closed = closure_for(t, k);
	if (t->signed_at != NO_TIME && t->signed_at > t->closed)
		t->signed_at = t->dispatched + (t->closed - t->dispatched) / 2;
	t->c1 = t->r1 = t->c2 = t->r2 = NO_TIME;
	if (t->reopen) {
		hl_time from = t->signed_at, span = t->closed - from;

		if (span < 4 * 3600) {
			t->reopen_eff = 0;
		} else {
			t->reopen_eff = t->reopen;
			t->c1 =
			    from + (hl_time)(span * (0.3 + 0.2 * rng_unit(&r)));
			t->r1 = t->c1 + (hl_time)((t->closed - t->c1) *
						  (0.2 + 0.2 * rng_unit(&r)));
			if (t->reopen == 2) {
				t->c2 = t->r1 +
					(hl_time)((t->closed - t->r1) *
						  (0.3 + 0.2 * rng_unit(&r)));
				t->r2 = t->c2 +
					(hl_time)((t->closed - t->c2) *
						  (0.2 + 0.2 * rng_unit(&r)));
			}
		}
	} else {
		t->reopen_eff = 0;
	}
	t->callback =
	    t->has_callback
		? t->closed +
		      clamp_time((hl_time)rng_lognormal(&r, 20 * 3600, 0.9),
				 1800, 5 * 86400)
		: NO_TIME;
}

void
ticket_state(const struct ticket *t, hl_time at, struct tstate *st)
{
	int dispatched_seen = t->dispatched != NO_TIME && t->dispatched <= at;
	int signed_seen = t->signed_at != NO_TIME && t->signed_at <= at;

	st->dispatched = dispatched_seen ? t->dispatched : NO_TIME;
	st->signed_at = signed_seen ? t->signed_at : NO_TIME;
	st->deadline = t->direct || dispatched_seen ? t->deadline : NO_TIME;
	st->reopen = 0;
	if (t->reopen_eff >= 1 && t->r1 <= at)
		st->reopen++;
	if (t->reopen_eff >= 2 && t->r2 <= at)
		st->reopen++;
	st->sat = SAT_NONE;
	if (t->closed <= at) {
		st->closed = t->closed;
		if (t->callback != NO_TIME && t->callback <= at) {
			st->status = 3;
			st->sat = t->sat;
		} else {
			st->status = 2;
		}
	} else if (t->reopen_eff >= 1 && t->c1 <= at && at < t->r1) {
		st->closed = t->c1;
		st->status = 2;
	} else if (t->reopen_eff >= 2 && t->c2 <= at && at < t->r2) {
		st->closed = t->c2;
		st->status = 2;
	} else {
		st->closed = NO_TIME;
		st->status = !dispatched_seen && !t->direct ? 4
			     : signed_seen || t->direct     ? 1
							    : 0;
	}
}

/* ---- statistics, as the definitions read the export ---- */

static void
count_ticket(struct hl_sample *s, const struct ticket *t)
{
	int y, m, dd;
	struct tstate st;
	struct mstat *ms;

	hl_civil_from_days(t->accepted / 86400, &y, &m, &dd);
	ms = sample_stat(s, t->district, y, m);
	ticket_state(t, s->export_time, &st);
	ms->tickets++;
	if (st.closed != NO_TIME) {
		int cls = handling_class(t);
		hl_time from =
		    st.dispatched != NO_TIME ? st.dispatched : t->accepted;

		ms->closed++;
		if (st.closed <= t->deadline)
			ms->on_time++;
		else
			ms->late++;
		if (st.reopen >= 1)
			ms->reopened++;
		ms->hn[cls]++;
		ms->hs[cls] += st.closed - from;
	}
	switch (st.sat) {
	case SAT_GOOD:
		ms->sat[t->is_key][0]++;
		break;
	case SAT_BASIC:
		ms->sat[t->is_key][1]++;
		break;
	case SAT_BAD:
		ms->sat[t->is_key][2]++;
		break;
	default:
		ms->sat[t->is_key][3]++;
		break;
	}
}

/*
 * A ticket's final closure for scale factor k on its drawn handling time:
 * the part of finalize() that depends on k.
 */
static hl_time
closure_for(const struct ticket *t, double k)
{
	hl_time c, cap, dur;

	if (t->direct)
		/* Answered on the call: closed the same day. */
		return t->accepted + (hl_time)t->base <
			       day_end(t->accepted / 86400)
			   ? t->accepted + (hl_time)t->base
			   : day_end(t->accepted / 86400);
	if (t->late)
		return t->deadline + t->delay;
	cap = t->deadline - t->margin;
	dur = (hl_time)(k * t->base + 0.5);
	if (dur < 600)
		dur = 600;
	c = work_hours(t->dispatched + dur);
	if (c > cap)
		c = cap;
	if (c < t->dispatched + 600)
		c = t->dispatched + 600;
	return c;
}

/*
 * Handling seconds and closed count of class cls in a batch for factor k,
 * as the export reads them.  A ticket waiting, at export time, between a
 * closure and its reopening is counted with its final closure here; the
 * statistics proper (count_ticket) read it exactly, and the difference is
 * a few tickets in December, far below the precision that matters.
 */
static void
class_sums(struct hl_sample *s, const struct ticket *tk, size_t n, int cls,
	   double k, int64_t *sum, int64_t *cnt)
{
	size_t i;

	*sum = 0;
	*cnt = 0;
	for (i = 0; i < n; i++) {
		const struct ticket *t = &tk[i];
		hl_time c;

		if (handling_class(t) != cls)
			continue;
		c = closure_for(t, k);
		if (c > s->export_time)
			continue;
		*sum += c - (t->direct ? t->accepted : t->dispatched);
		(*cnt)++;
	}
}

/*
 * Scales the handling times of 荔湾区's month so that the year-to-date mean
 * of class cls equals target seconds.  Bisection on the factor: the mean
 * grows with it (capping at the deadline only flattens it).
 */
static void
steer_class(struct hl_sample *s, struct ticket *tk, size_t n, int y, int m,
	    int cls, double target)
{
	int64_t prev_sum = 0, prev_n = 0, sum, cnt;
	double lo = 0.02, hi = 50, k = 1;
	int mm, it;

	for (mm = 1; mm < m; mm++) {
		struct mstat *ms = sample_stat(s, LIWAN, y, mm);

		prev_sum += ms->hs[cls];
		prev_n += ms->hn[cls];
	}
	for (it = 0; it < 42; it++) {
		k = (lo + hi) / 2;
		class_sums(s, tk, n, cls, k, &sum, &cnt);
		if ((double)(prev_sum + sum) < target * (double)(prev_n + cnt))
			lo = k;
		else
			hi = k;
	}
	/* Keep the side of the bracket nearer the target. */
	{
		int64_t s1, c1, s2, c2;
		double e1, e2;

		class_sums(s, tk, n, cls, lo, &s1, &c1);
		class_sums(s, tk, n, cls, hi, &s2, &c2);
		e1 = (double)(prev_sum + s1) - target * (double)(prev_n + c1);
		e2 = (double)(prev_sum + s2) - target * (double)(prev_n + c2);
		k = (e1 < 0 ? -e1 : e1) <= (e2 < 0 ? -e2 : e2) ? lo : hi;
	}
	for (size_t i = 0; i < n; i++)
		if (handling_class(&tk[i]) == cls)
			finalize(&tk[i], k);
}

/* ---- satisfaction ---- */

struct ratio {
	int64_t num, den;
	int district;
};

static int
ratio_cmp_desc(const void *a, const void *b)
{
	const struct ratio *x = a, *y = b;
	int64_t l = x->num * y->den, r = y->num * x->den;

	if (l != r)
		return l > r ? -1 : 1;
	return x->district - y->district;
}

/* a >= b and a < b for rates num/den. */
static int
ratio_ge(int64_t an, int64_t ad, int64_t bn, int64_t bd)
{
	return an * bd >= bn * ad;
}

static int64_t
round_pos(double x)
{
	return x <= 0 ? 0 : (int64_t)(x + 0.5);
}

/*
 * Chooses 荔湾区's unsatisfied count u out of e evaluated so that exactly
 * rank-1 of the other ranked districts have a strictly higher rate.  When
 * two neighbours are too close for any u, the upper one gets one more
 * satisfied answer (its data changes, so the rank is still earned) and the
 * search repeats.
 */
static int64_t
place_at_rank(struct hl_sample *s, int cls, int rank, int64_t e)
{
	struct ratio o[N_DISTRICTS];
	int n, d, tries;

	for (tries = 0; tries < 1000; tries++) {
		const struct ratio *hi, *lo;
		double t;
		int64_t u0, du;

		n = 0;
		for (d = 0; d < N_DISTRICTS; d++) {
			struct satplan *sp = &s->plan[d][cls];

			if (d == LIWAN || sp->e < s->o.rank_min)
				continue;
			o[n].num = sp->e - sp->u;
			o[n].den = sp->e;
			o[n].district = d;
			n++;
		}
		qsort(o, (size_t)n, sizeof(o[0]), ratio_cmp_desc);
		if (rank > n + 1)
			rank = n + 1;
		hi = rank >= 2 ? &o[rank - 2] : NULL;
		lo = rank - 1 < n ? &o[rank - 1] : NULL;
		if (hi && lo)
			t = ((double)hi->num / hi->den +
			     (double)lo->num / lo->den) /
			    2;
		else if (hi)
			t = (double)hi->num / hi->den - 0.01;
		else if (lo)
			t = (double)lo->num / lo->den +
			    (1 - (double)lo->num / lo->den) * 0.5;
		else
			t = 0.97;
		u0 = round_pos(e * (1 - t));
		for (du = 0; du <= e; du++) {
			int64_t c[2] = {u0 - du, u0 + du};
			int j;

			for (j = 0; j < 2; j++) {
				int64_t u = c[j];

				if (u < 0 || u > e)
					continue;
				if (lo && !ratio_ge(e - u, e, lo->num, lo->den))
					continue;
				if (hi && ratio_ge(e - u, e, hi->num, hi->den))
					continue;
				return u;
			}
		}
		/* No room: widen the gap above. */
		if (hi && s->plan[hi->district][cls].u > 0)
			s->plan[hi->district][cls].u--;
		else
			break;
	}
	return 0;
}

static void
shuffle(struct rng *r, uint32_t *a, size_t n)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = (size_t)rng_below(r, i);
		uint32_t tmp = a[i - 1];

		a[i - 1] = a[j];
		a[j] = tmp;
	}
}

/* ---- the month ---- */

/* Sort keys of the month: the tickets themselves are too big to move
 * around in a sort. */
struct skey {
	hl_time accepted;
	uint32_t ord, idx;
	int district;
};

static int
skey_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;

	if (x->accepted != y->accepted)
		return x->accepted < y->accepted ? -1 : 1;
	if (x->district != y->district)
		return x->district - y->district;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* Orders the batch by acceptance time, district, then drawing order. */
static void
sort_batch(struct hl_sample *s)
{
	struct skey *k = hl_xmalloc((s->nbatch ? s->nbatch : 1) * sizeof(*k));
	struct ticket *out =
	    hl_xmalloc((s->nbatch ? s->nbatch : 1) * sizeof(*out));
	size_t i;

	for (i = 0; i < s->nbatch; i++) {
		k[i].accepted = s->batch[i].accepted;
		k[i].ord = s->batch[i].ord;
		k[i].district = s->batch[i].district;
		k[i].idx = (uint32_t)i;
	}
	qsort(k, s->nbatch, sizeof(*k), skey_cmp);
	for (i = 0; i < s->nbatch; i++)
		out[i] = s->batch[k[i].idx];
	free(s->batch);
	s->batch = out;
	s->batch_cap = s->nbatch ? s->nbatch : 1;
	free(k);
}

static void
batch_reserve(struct hl_sample *s, size_t extra)
{
	if (s->nbatch + extra <= s->batch_cap)
		return;
	while (s->batch_cap < s->nbatch + extra)
		s->batch_cap = s->batch_cap ? s->batch_cap * 2 : 65536;
	s->batch = hl_xrealloc(s->batch, s->batch_cap * sizeof(*s->batch));
}

static int
gen_district_month(struct hl_sample *s, int d, int y, int m)
{
	struct yprof *p = &s->prof[d];
	int64_t first = hl_days_from_civil(y, 1, 1);
	int64_t mstart = hl_days_from_civil(y, m, 1);
	int nd = hl_days_in_month(y, m), i, j;
	size_t start = s->nbatch, n;
	struct rng r;

	rng_seed(&r, s->o.seed, (uint64_t)y * 100 + (uint64_t)m, (uint64_t)d,
		 0x7e7ull);
	for (i = 0; i < nd; i++) {
		int c = s->daycount[d][mstart - first + i];

		batch_reserve(s, (size_t)c);
		for (j = 0; j < c; j++) {
			struct ticket *t = &s->batch[s->nbatch];

			if (draw_ticket(s, &r, p, d, y, mstart + i, t) != 0)
				return -1;
			t->ord = (uint32_t)(s->nbatch - start);
			s->nbatch++;
		}
	}
	n = s->nbatch - start;

	if (d == LIWAN && calibrating(s, y)) {
		/* The planned late tickets of this month. */
		uint32_t *idx = hl_xmalloc((n ? n : 1) * sizeof(*idx));
		size_t k = 0, want = (size_t)s->late_plan[m - 1];

		for (i = 0; (size_t)i < n; i++)
			if (!s->batch[start + (size_t)i].direct)
				idx[k++] = (uint32_t)i;
		shuffle(&r, idx, k);
		for (i = 0; (size_t)i < want && (size_t)i < k; i++)
			s->batch[start + idx[i]].late = 1;
		free(idx);
		steer_class(s, s->batch + start, n, y, m, 0, s->cal_target[0]);
		steer_class(s, s->batch + start, n, y, m, 1, s->cal_target[1]);
	} else {
		for (i = 0; (size_t)i < n; i++)
			finalize(&s->batch[start + (size_t)i], 1.0);
	}

	/* Who answers the callback, per class, in a random order. */
	for (j = 0; j < 2; j++) {
		struct satplan *sp = &s->plan[d][j];
		double rate = j ? p->sat_key + p->drift_key[m - 1]
				: p->sat_ord + p->drift_ord[m - 1];

		sp->start = start;
		sp->e = 0;
		free(sp->idx);
		sp->idx = hl_xmalloc((n ? n : 1) * sizeof(*sp->idx));
		for (i = 0; (size_t)i < n; i++) {
			struct ticket *t = &s->batch[start + (size_t)i];

			if (t->is_key != j || t->callback == NO_TIME ||
			    t->callback > s->export_time || !t->evaluable)
				continue;
			sp->idx[sp->e++] = (uint32_t)i;
		}
		shuffle(&r, sp->idx, (size_t)sp->e);
		if (rate > 1)
			rate = 1;
		sp->u = round_pos(sp->e * (1 - rate));
		sp->basic_share = p->basic_share;
	}
	return 0;
}

/* Writes the planned answers into the tickets of district d. */
static void
apply_answers(struct hl_sample *s, int d)
{
	int j;

	for (j = 0; j < 2; j++) {
		struct satplan *sp = &s->plan[d][j];
		int64_t b =
		    round_pos((double)(sp->e - sp->u) * sp->basic_share);
		int64_t i;

		for (i = 0; i < sp->e; i++) {
			struct ticket *t = &s->batch[sp->start + sp->idx[i]];

			t->sat = i < sp->u       ? SAT_BAD
				 : i < sp->u + b ? SAT_BASIC
						 : SAT_GOOD;
		}
	}
}

static void
mark_unanswered(struct ticket *tk, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tk[i].callback != NO_TIME && !tk[i].evaluable)
			tk[i].sat = SAT_NO_ANSWER;
}

static int
gen_month(struct hl_sample *s, int y, int m)
{
	int d, order[N_DISTRICTS], k = 0;
	size_t i;

	s->nbatch = 0;
	/* 荔湾区 last: its planned ranks depend on the others' actual rates. */
	for (d = 0; d < N_DISTRICTS; d++)
		if (d != LIWAN)
			order[k++] = d;
	order[k] = LIWAN;
	for (k = 0; k < N_DISTRICTS; k++)
		if (gen_district_month(s, order[k], y, m) != 0)
			return -1;
	if (calibrating(s, y)) {
		struct satplan *sp;

		sp = &s->plan[LIWAN][0];
		sp->u = place_at_rank(s, 0, s->rank_plan[0][m - 1], sp->e);
		sp = &s->plan[LIWAN][1];
		sp->u = place_at_rank(s, 1, s->rank_plan[1][m - 1], sp->e);
	}
	mark_unanswered(s->batch, s->nbatch);
	for (d = 0; d < N_DISTRICTS; d++)
		apply_answers(s, d);
	for (i = 0; i < s->nbatch; i++)
		count_ticket(s, &s->batch[i]);
	sort_batch(s);
	number_and_link(s);
	if (s->plant)
		plant_month(s, y, m);
	return 0;
}

/* ---- the plan of the calibrated year ---- */

static void
plan_calibration(struct hl_sample *s)
{
	struct rng r;
	int i, swaps, start;
	long late;

	rng_seed(&r, s->o.seed, CAL_YEAR, LIWAN, 0xca11ull);
	/* Ordinary: twelve monthly ranks between 2 and 7 averaging exactly 4.
	 */
	for (i = 0; i < 12; i++)
		s->rank_plan[0][i] = 4;
	for (swaps = 0; swaps < 5; swaps++) {
		int a = (int)rng_below(&r, 12), b = (int)rng_below(&r, 12);

		if (a != b && s->rank_plan[0][a] > 2 &&
		    s->rank_plan[0][b] < 7) {
			s->rank_plan[0][a]--;
			s->rank_plan[0][b]++;
		}
	}
	/* Key: nine consecutive months at rank 1, the others at 2 or 3. */
	start = (int)rng_below(&r, 4);
	for (i = 0; i < 12; i++)
		s->rank_plan[1][i] =
		    i >= start && i < start + 9 ? 1 : 2 + (int)rng_below(&r, 2);
	/* Late tickets: a count the two-decimal on-time rate allows, spread
	 * over the months in proportion to their volume. */
	late = 18 + (long)rng_below(&r, 13);
	{
		long given = 0;
		int64_t first = hl_days_from_civil(CAL_YEAR, 1, 1);
		int m;

		for (m = 1; m <= 12; m++) {
			int64_t a = hl_days_from_civil(CAL_YEAR, m, 1) - first;
			int64_t b = a + hl_days_in_month(CAL_YEAR, m), dd;
			long vol = 0;

			for (dd = a; dd < b; dd++)
				vol += s->daycount[LIWAN][dd];
			s->late_plan[m - 1] =
			    (int)(late * vol / s->liwan_total);
			given += s->late_plan[m - 1];
		}
		for (m = 0; given < late; m = (m + 1) % 12, given++)
			s->late_plan[(m * 5 + 2) % 12]++;
	}
}

/* Handling-time targets of 2022 from what 2021 actually got. */
static void
set_targets(struct hl_sample *s)
{
	int cls, m;

	for (cls = 0; cls < 2; cls++) {
		double base;
		double sp = cls ? CAL_SPEEDUP_OTHER : CAL_SPEEDUP_CONSULT;

		if (s->o.first_year <= CAL_YEAR - 1) {
			int64_t sum = 0, n = 0;

			for (m = 1; m <= 12; m++) {
				struct mstat *ms =
				    sample_stat(s, LIWAN, CAL_YEAR - 1, m);

				sum += ms->hs[cls];
				n += ms->hn[cls];
			}
			base = n ? (double)sum / (double)n : 1;
		} else {
			/* No 2021 in the data set: the 2021 means its profile
			 * would give (about 30 % of consultations are answered
			 * on the call in minutes). */
			base = (cls ? 96.0 : 24.0 * 0.7) * 3600;
		}
		s->cal_base[cls] = base;
		s->cal_target[cls] = base * (1 - sp / 100);
	}
}

static int
prepare_year(struct hl_sample *s, int y)
{
	int d;

	for (d = 0; d < N_DISTRICTS; d++) {
		long total;

		make_profile(s, d, y, &s->prof[d]);
		total = (long)(s->prof[d].volume + 0.5);
		if (d == LIWAN && calibrating(s, y)) {
			struct rng r;

			rng_seed(&r, s->o.seed, CAL_YEAR, LIWAN, 0x70741ull);
			total = 245150 + (long)rng_below(&r, 700);
		}
		if (total < 0)
			total = 0;
		plan_days(s, d, y, total, s->daycount[d]);
		if (d == LIWAN)
			s->liwan_total = total ? total : 1;
	}
	if (calibrating(s, y)) {
		plan_calibration(s);
		set_targets(s);
	}
	return 0;
}

int
hl_sample_run(struct hl_sample *s, struct hl_sample_stats *stats)
{
	const struct hl_sample_opts *o = &s->o;
	double t0 = hl_seconds();
	int y, m, rc = -1, d, j;
	struct hl_sample_stats local;

	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (o->first_year < HL_SAMPLE_YEAR_MIN ||
	    o->last_year > HL_SAMPLE_YEAR_MAX || o->first_year > o->last_year)
		return sample_fail(s, HL_SAMPLE_EOPTS,
				   "years must lie within %d-%d",
				   HL_SAMPLE_YEAR_MIN, HL_SAMPLE_YEAR_MAX);
	hl_calendar_free(s->cal);
	if (hl_calendar_new(o->calendar, &s->cal, &s->err.msg) != 0) {
		s->err.code = HL_SAMPLE_ECAL;
		return -1;
	}
	for (y = o->first_year; y <= o->last_year; y++)
		if (!hl_calendar_has_year(s->cal, y))
			return sample_fail(
			    s, HL_SAMPLE_ECAL,
			    "no working-day calendar for %d: add the year "
			    "from the State Council's holiday notice with "
			    "--calendar FILE (calendars/README.md)",
			    y);
	if (o->header_variant < 1 || o->header_variant > 3 || o->scale <= 0 ||
	    o->scale > 1 || o->dirt < 0 || o->dirt > 0.1 || o->rank_min < 1 ||
	    (unsigned)o->plant > HL_PLANT_ANALYSES)
		return sample_fail(s, HL_SAMPLE_EOPTS, "option out of range");
	if (mkdir(o->outdir, 0777) != 0 && errno != EEXIST)
		return sample_fail(s, HL_SAMPLE_EIO, "cannot create '%s': %s",
				   o->outdir, strerror(errno));
	s->export_time = hl_time_make(o->last_year + 1, 1, 15, 23, 59, 59);
	s->nyears = o->last_year - o->first_year + 1;
	s->stats =
	    hl_xcalloc((size_t)s->nyears * N_DISTRICTS * 12, sizeof(*s->stats));
	if (writer_open(s) != 0)
		goto done;
	if (o->plant && plant_open(s) != 0)
		goto done;
	for (y = o->first_year; y <= o->last_year; y++) {
		if (prepare_year(s, y) != 0)
			goto done;
		if (writer_year_begin(s, y) != 0)
			goto done;
		for (m = 1; m <= 12; m++) {
			if (gen_month(s, y, m) != 0)
				goto done;
			if (writer_month(s, y, m) != 0)
				goto done;
		}
		if (writer_year_end(s, y) != 0)
			goto done;
	}
	if (writer_close(s) != 0)
		goto done;
	if (manifest_write(s) != 0)
		goto done;
	if (o->calibrate && o->first_year <= CAL_YEAR &&
	    o->last_year >= CAL_YEAR) {
		if (check_calibration(s, stats) != 0)
			goto done;
	}
	rc = 0;
done:
	for (d = 0; d < N_DISTRICTS; d++)
		for (j = 0; j < 2; j++) {
			free(s->plan[d][j].idx);
			s->plan[d][j].idx = NULL;
		}
	writer_free(s);
	plant_free(s);
	if (rc != 0)
		stats->calibrated = 0;
	stats->files = s->nfiles;
	stats->rows = s->nrows;
	stats->faults = s->nfaults;
	stats->seconds = hl_seconds() - t0;
	return rc;
}
