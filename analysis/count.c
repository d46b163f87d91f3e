/*
 * count.c - the scan of a period's tickets into one accumulator per analysis
 * (volume, on-time, satisfaction, reopen, handling) and the tables by
 * unit, street and channel; the year before's handling sums.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

static void
sum_add(struct sum *s, double v)
{
	s->n++;
	s->sum += v;
}

/* The time that places t in a period, or 0 when it has none. */
int
an_basis_time(enum hl_basis b, const struct tk *t, hl_time *out)
{
	int i = b == HL_BASIS_ACCEPTED     ? T_ACC
		: b == HL_BASIS_DISPATCHED ? T_DISP
					   : T_CLOSED;

	if (!(t->v.has >> i & 1))
		return 0;
	*out = t->v.t[i];
	return 1;
}

/* Marks the years of [t0, t1] that no calendar covers. */
static void
mark_missing(struct ctx *x, hl_time t0, hl_time t1)
{
	int y0, y1, m, d;

	hl_civil_from_days(hl_time_day(t0), &y0, &m, &d);
	hl_civil_from_days(hl_time_day(t1), &y1, &m, &d);
	for (; y0 <= y1; y0++)
		if (y0 >= HL_YEAR_FIRST && y0 <= HL_YEAR_LAST &&
		    !hl_calendar_has_year(x->m->cal, y0))
			x->missing[y0 - HL_YEAR_FIRST] = 1;
}

/*
 * The deadline: the export's (a date without a time is the end of that
 * day unless the settings say its start), else, when the settings ask
 * for it, the per-category working days from dispatch; else none.
 */
void
an_deadline_of(struct ctx *x, struct tk *t, int in)
{
	const struct hl_settings *s = x->s;
	hl_time from = t->v.has >> T_DISP & 1 ? t->v.t[T_DISP] : t->v.t[T_ACC];

	t->has_deadline = 1;
	if (t->v.has >> T_DL & 1) {
		t->deadline = t->v.t[T_DL];
		if ((t->v.quality & HL_Q_DEADLINE_DATE) && !s->date_only_start)
			t->deadline += 86399;
	} else if (!s->deadline_fill) {
		t->has_deadline = 0;
	} else if (hl_calendar_deadline(
		       x->m->cal, from, s->deadline_days[t->v.category],
		       s->deadline_inclusive, &t->deadline) != 0) {
		t->has_deadline = 0;
		if (in) /* the days after from that the count would walk */
			mark_missing(x, from, from + 366 * 86400);
	}
}

/*
 * Where a closed ticket's handling time starts and how long it is: 0 when
 * it is left out (closed before accepted, quality bit 1, or before the
 * start).
 */
static hl_time
start_of(const struct ctx *x, const struct tk *t)
{
	return x->s->start == HL_START_DISPATCH && (t->v.has >> T_DISP & 1)
		   ? t->v.t[T_DISP]
		   : t->v.t[T_ACC];
}

int
an_handling_of(const struct ctx *x, const struct tk *t, hl_time *start,
	       int64_t *secs)
{
	*start = start_of(x, t);
	*secs = t->v.t[T_CLOSED] - *start;
	return !(t->v.quality & HL_Q_CLOSED_BEFORE) && *secs >= 0;
}

/*
 * Handling time of a closed ticket into a, and into the period's values
 * when hv is set.
 */
static void
handling_add(struct ctx *x, struct acc_handling *a, struct tk *t, int keep)
{
	hl_time start;
	int64_t nat, work;
	int g = t->v.category == 0 ? G_CONSULT : G_OTHER, ok;

	if (!t->hand) {
		t->hand = an_handling_of(x, t, &start, &t->nat) ? 2 : 1;
		t->work_ok =
		    t->hand == 2 &&
		    hl_calendar_work_secs(x->m->cal, start, t->v.t[T_CLOSED],
					  &t->work) == 0;
	}
	if (t->hand == 1) {
		a->excluded++;
		return;
	}
	if (keep && !t->work_ok)
		mark_missing(x, start_of(x, t), t->v.t[T_CLOSED]);
	nat = t->nat;
	work = t->work;
	ok = t->work_ok;
	sum_add(&a->hand[g], (double)nat);
	sum_add(&a->hand[G_CAT(t->v.category)], (double)nat);
	if (ok) {
		sum_add(&a->work[g], (double)work);
		sum_add(&a->work[G_CAT(t->v.category)], (double)work);
	} else {
		a->outside_calendar++;
	}
	if (keep) {
		if (x->nhv == x->cap_hv) {
			x->cap_hv = x->cap_hv ? x->cap_hv * 2 : 4096;
			x->hv = hl_xrealloc(x->hv, x->cap_hv * sizeof(*x->hv));
		}
		x->hv[x->nhv].category = (unsigned char)t->v.category;
		x->hv[x->nhv].nat = nat > INT32_MAX ? INT32_MAX : (int32_t)nat;
		x->hv[x->nhv].work = !ok                ? -1
				     : work > INT32_MAX ? INT32_MAX
							: (int32_t)work;
		x->nhv++;
	}
}

/* Volume: t by class, and whether it is flagged. */
static void
volume_add(struct acc_volume *a, const struct tk *t)
{
	a->tickets++;
	a->cls[t->v.category]++;
	a->flagged += (t->v.quality & ~HL_Q_NOT_FLAGS) != 0;
}

/*
 * On-time closure of t, closed and dispatched; an open dispatched ticket
 * is judged at the as-of time, after the scan (open_lists()).
 */
static void
on_time_add(struct acc_on_time *a, const struct tk *t)
{
	int closed = t->v.has >> T_CLOSED & 1;

	if (closed) {
		a->closed++;
		if (!t->has_deadline)
			a->no_deadline++;
		else if (t->v.t[T_CLOSED] <= t->deadline)
			a->on_time++;
		else
			a->late++;
	}
	if (t->v.has >> T_DISP & 1) {
		a->dispatched++;
		if (!t->has_deadline) {
			a->d_no_deadline++;
			a->d_no_deadline_closed += closed;
		}
		if (closed && t->has_deadline) {
			if (t->v.t[T_CLOSED] <= t->deadline)
				a->d_on_time++;
			else
				a->d_late++;
		}
	}
}

static void
answers_add(struct acc_sat *a, const struct tk *t)
{
	a->c[t->v.is_key == 1][t->v.sat]++;
}

/* Reopen: a closed ticket whose reopen count is known. */
static void
reopen_add(struct acc_reopen *a, const struct tk *t)
{
	if ((t->v.has >> T_CLOSED & 1) && t->v.reopen >= 0) {
		a->known++;
		a->reopened += t->v.reopen >= 1;
	}
}

/* Counts t into every analysis of a (a month, the period). */
static void
acc_add(struct ctx *x, struct acc *a, struct tk *t, int keep)
{
	volume_add(&a->vol, t);
	an_assess_add(&a->as, &t->v);
	on_time_add(&a->ot, t);
	answers_add(&a->sat, t);
	reopen_add(&a->re, t);
	if (t->v.has >> T_CLOSED & 1)
		handling_add(x, &a->hd, t, keep);
}

struct item *
an_add_item(struct item **v, size_t *n, size_t *cap)
{
	*v = hl_grow(*v, *n, cap, sizeof(**v), 64);
	return &(*v)[(*n)++];
}

static void
count_unit(struct ctx *x, const struct tk *t)
{
	struct unit *u;
	size_t *slot;
	hl_time start;
	int64_t secs;
	int isnew;

	if (t->v.unit == 0)
		return;
	slot = hl_idmap_slot(&x->unit_of, (uint64_t)t->v.unit, &isnew);
	if (isnew) {
		x->units =
		    hl_xrealloc(x->units, (x->nunits + 1) * sizeof(*x->units));
		memset(&x->units[x->nunits], 0, sizeof(*x->units));
		x->units[x->nunits].id = t->v.unit;
		*slot = x->nunits++;
	}
	u = &x->units[*slot];
	u->tickets++;
	u->sat[t->v.sat]++;
	an_assess_add(&u->as, &t->v);
	on_time_add(&u->ot, t);
	reopen_add(&u->re, t);
	if ((t->v.has >> T_CLOSED & 1) && an_handling_of(x, t, &start, &secs))
		sum_add(&u->hand, (double)secs);
}

/* Counts by street, for the league tables. */
static void
count_street(struct ctx *x, const struct tk *t)
{
	struct street *sa;
	size_t *slot;
	int isnew;

	if (t->v.street == 0)
		return;
	slot = hl_idmap_slot(&x->street_of, (uint64_t)t->v.street, &isnew);
	if (isnew) {
		x->street_acc = hl_xrealloc(x->street_acc,
					    (x->nstreet_acc + 1) * sizeof(*sa));
		memset(&x->street_acc[x->nstreet_acc], 0, sizeof(*sa));
		x->street_acc[x->nstreet_acc].id = t->v.street;
		*slot = x->nstreet_acc++;
	}
	sa = &x->street_acc[*slot];
	sa->tickets++;
	an_assess_add(&sa->as, &t->v);
	on_time_add(&sa->ot, t);
}

static void
count_id(struct hl_idmap *mp, int64_t id)
{
	int isnew;

	if (id != 0)
		++*(size_t *)hl_idmap_slot(mp, (uint64_t)id, &isnew);
}

/*
 * The city's counts of district d (an index, or -1): the districts', then
 * the tickets without one on a line of their own.
 */
struct acc *
an_dslot(const struct ctx *x, struct acc *v, size_t d)
{
	return &v[d == (size_t)-1 ? x->dist.nname : d];
}

/* The assessment month of the period's year that t falls in (1-12). */
int
an_month_of(const struct ctx *x, hl_time t)
{
	int y, m = hl_period_month_of(x->pd->start_day, t, &y);

	return y < x->pd->year ? 1 : y > x->pd->year ? 12 : m;
}

/* One ticket of the scan of the period's year. */
void
an_take(struct ctx *x, struct tk *t)
{
	hl_time bt;
	int mon, in, i;
	size_t d;

	an_topic_take(x, &t->v);
	an_repeat_take(x, &t->v);
	if (!an_basis_time(x->s->basis, t, &bt) || bt < x->s0 || bt >= x->s1)
		return;
	d = x->dper ? an_district_of(&x->dist, t->v.district) : (size_t)-1;
	/* The month of the year, 0 before it (a period from the year
	 * before). */
	mon = bt < x->y0 ? 0 : an_month_of(x, bt);
	in = bt >= x->p0 && bt < x->p1;
	an_deadline_of(x, t, in);
	for (i = 0; i < NT; i++)
		if ((t->v.has >> i & 1) && i != T_DL && t->v.t[i] > x->latest)
			x->latest = t->v.t[i];
	if (in &&
	    hl_calendar_daykind(x->m->cal, hl_time_day(t->v.t[T_ACC])) < 0) {
		x->outside_calendar_tickets++;
		mark_missing(x, t->v.t[T_ACC], t->v.t[T_ACC]);
	}
	if (mon)
		acc_add(x, &x->month[mon - 1], t, 0);
	/* Open tickets are judged at the as-of time, known after the scan. */
	if (!(t->v.has >> T_CLOSED & 1) && t->has_deadline) {
		struct item *it =
		    an_add_item(&x->open, &x->nopen, &x->cap_open);

		it->id = t->v.id;
		it->unit = t->v.unit;
		it->deadline = t->deadline;
		it->closed = 0;
		it->month = mon;
		it->in_period = in;
		it->dispatched = t->v.has >> T_DISP & 1;
		it->dist = d;
	}
	if (!in)
		return;
	if (x->per.vol.tickets == 0 || bt < x->first_in)
		x->first_in = bt;
	if (x->per.vol.tickets == 0 || bt > x->last_in)
		x->last_in = bt;
	acc_add(x, &x->per, t, 1);
	if (x->dper)
		acc_add(x, an_dslot(x, x->dper, d), t, 0);
	count_unit(x, t);
	count_street(x, t);
	count_id(&x->streets, t->v.street);
	count_id(&x->channels, t->v.channel);
	if ((t->v.has >> T_CLOSED & 1) && t->has_deadline &&
	    t->v.t[T_CLOSED] > t->deadline && x->q->late_list) {
		struct item *it =
		    an_add_item(&x->late, &x->nlate, &x->cap_late);

		it->id = t->v.id;
		it->unit = t->v.unit;
		it->deadline = t->deadline;
		it->closed = t->v.t[T_CLOSED];
		it->month = mon;
		it->in_period = 1;
		it->dist = d;
	}
}

/* A ticket of the same period a year earlier: handling sums only. */
void
an_take_prev(struct ctx *x, struct tk *t)
{
	hl_time bt;

	if (!an_basis_time(x->s->basis, t, &bt) || bt < x->q0 || bt >= x->q1)
		return;
	if (!(t->v.has >> T_CLOSED & 1))
		return;
	handling_add(x, &x->prev.hd, t, 0);
	if (x->dprev)
		handling_add(x,
			     &an_dslot(x, x->dprev,
				       an_district_of(&x->dist, t->v.district))
				  ->hd,
			     t, 0);
}

/* A scan's ticket handed to an_take() or an_take_prev(). */
struct scan_to {
	struct ctx *x;
	void (*fn)(struct ctx *, struct tk *);
};

static void
scanned(void *arg, const struct hl_store_ticket *v)
{
	const struct scan_to *to = arg;
	struct tk t;

	/* One copy of the view; what the scan works out starts empty. */
	t.v = *v;
	t.deadline = 0;
	t.has_deadline = 0;
	t.hand = 0;
	t.work_ok = 0;
	t.nat = t.work = 0;
	to->fn(to->x, &t);
}

/*
 * Scans the tickets accepted in [lo, hi) of the target district (every
 * district when there is none) into an_take(), or the closed ones into
 * an_take_prev().
 */
int
an_scan(struct ctx *x, hl_time lo, hl_time hi,
	void (*fn)(struct ctx *, struct tk *))
{
	struct scan_to to = {x, fn};
	size_t n;
	int64_t *ids = an_target_ids(x, &n);
	int rc;

	rc = hl_store_scan(x->m->st, ids, n, lo, hi, fn == an_take_prev,
			   scanned, &to);
	free(ids);
	if (rc != 0) {
		an_db_fail(x->m);
		return -1;
	}
	return 0;
}

/* n handling times summing to secs, of category c, into a. */
static void
hand_sum_add(struct acc *a, int c, long n, double secs)
{
	int g[2] = {c == 0 ? G_CONSULT : G_OTHER, G_CAT(c)}, i;

	for (i = 0; i < 2; i++) {
		a->hd.hand[g[i]].n += n;
		a->hd.hand[g[i]].sum += secs;
	}
}

/*
 * The year before's handling sums from hand_day, which ingest keeps
 * (periods by acceptance only; the others scan): what an_take_prev() would
 * count, without reading the tickets.
 */
static void
prev_row(void *arg, int64_t district, int c, long long n, long long secs)
{
	struct ctx *x = arg;
	size_t d = an_district_of(&x->dist, district);

	if (c < 0 || c >= HL_CAT_COUNT)
		c = HL_CAT_COUNT - 1;
	if (x->target == (size_t)-1 || d == x->target)
		hand_sum_add(&x->prev, c, (long)n, (double)secs);
	if (x->target == (size_t)-1)
		hand_sum_add(an_dslot(x, x->dprev, d), c, (long)n,
			     (double)secs);
}

int
an_load_prev_rollup(struct ctx *x)
{
	if (hl_store_hand_sums(
		x->m->st, hl_time_yyyymmdd(x->q0), hl_time_yyyymmdd(x->q1),
		x->s->start == HL_START_DISPATCH, prev_row, x) != 0) {
		an_db_fail(x->m);
		return -1;
	}
	return 0;
}
