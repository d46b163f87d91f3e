/*
 * metrics.c - the figures of one period (a year or a month) for one
 * district or the whole city, from the stored tickets.
 *
 * One pass over the period's tickets (district_tickets.sql, through the
 * index on district and acceptance time, or city_tickets.sql) fills
 * counters for the period and for each month of its year, the handling
 * times of the period (for medians), and tables by unit, street and
 * channel.  A second pass over the same period a year earlier gives the
 * handling means the speed-up compares with.  The monthly rankings compare
 * every district, so they read the satisfaction rollup (sat_month.sql)
 * instead of every ticket of the city; periods by dispatch or closure,
 * which the rollup does not follow, count the city's tickets instead.
 * Finally the counts become the typed figures of figures.h, which
 * reports/ writes as JSON, tables and reports.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

/* The years a calendar gap is noted for (util's date parsers' range). */
#define HL_YEAR_FIRST 1900
#define HL_YEAR_LAST 2199

/* Handling-time groups: 咨询 and the rest, then each category. */
#define G_CONSULT 0
#define G_OTHER 1
#define G_CAT(c) (2 + (c))
#define NGROUP (2 + HL_CAT_COUNT)

struct hl_metrics {
	struct hl_store *st;
	const struct hl_settings *s;
	struct hl_calendar *cal;
	struct hl_region *region;
	struct hl_err err;
};

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

#define fail(m, ...) hl_err_set(&(m)->err, __VA_ARGS__)

static int
db_fail(struct hl_metrics *m)
{
	return fail(m, HL_ANALYSIS_ESTORE, "database: %s",
		    hl_store_errmsg(m->st));
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

/* ---- districts ---- */

/*
 * The districts as stored: dict ids and the district each spells, by the
 * region (util's hl_region_match): a region's district under all its
 * spellings, or a name the region does not know, whose spellings meet
 * when they differ only as normalising allows.  Tickets without a
 * district (or with a blank one) belong to none: the city counts them
 * on a line of their own.
 */
struct districts {
	int64_t *id; /* dict ids of kind 1 */
	size_t *of;  /* their district's index, or -1 */
	size_t n;
	char **name; /* the districts' names, sorted */
	char **key;  /* what their spellings share */
	int *known;  /* the region knows it */
	size_t nname;
};

/* qsort() for arrays that may be empty, and then NULL. */
static void
sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static size_t
key_index(const struct districts *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->nname; i++)
		if (strcmp(d->key[i], key) == 0)
			return i;
	return (size_t)-1;
}

/* The district index of dict id, or -1 (no district). */
static size_t
district_of(const struct districts *d, int64_t id)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->id[i] == id)
			return d->of[i];
	return (size_t)-1;
}

static void
districts_release(struct districts *d)
{
	hl_free_strv(d->name, d->nname);
	hl_free_strv(d->key, d->nname);
	free(d->known);
	free(d->id);
	free(d->of);
	memset(d, 0, sizeof(*d));
}

/* A district while they are sorted by name. */
struct dsort {
	char *name, *key;
	int known;
	size_t was; /* its index before */
};

static int
cmp_dsort(const void *a, const void *b)
{
	const struct dsort *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->key, y->key);
}

/* Orders the districts by name, as every table lists them. */
static void
sort_districts(struct districts *d)
{
	struct dsort *v = hl_xcalloc(d->nname + 1, sizeof(*v));
	size_t *now = hl_xcalloc(d->nname + 1, sizeof(*now));
	size_t i;

	for (i = 0; i < d->nname; i++) {
		v[i].name = d->name[i];
		v[i].key = d->key[i];
		v[i].known = d->known[i];
		v[i].was = i;
	}
	sort(v, d->nname, sizeof(*v), cmp_dsort);
	for (i = 0; i < d->nname; i++) {
		d->name[i] = v[i].name;
		d->key[i] = v[i].key;
		d->known[i] = v[i].known;
		now[v[i].was] = i;
	}
	for (i = 0; i < d->n; i++)
		if (d->of[i] != (size_t)-1)
			d->of[i] = now[d->of[i]];
	free(v);
	free(now);
}

/* Loading the districts: the list and what matching needs. */
struct dload {
	struct districts *d;
	const struct hl_region *region;
	struct hl_buf key, disp;
};

/* One district spelling of the store: its district, new or known. */
static void
add_spelling(void *arg, int64_t id, const char *v, size_t len)
{
	struct dload *l = arg;
	struct districts *d = l->d;
	long k = hl_region_match(l->region, v, len, &l->key, &l->disp);
	size_t i = (size_t)-1;

	if (k != -2 && (i = key_index(d, l->key.data)) == (size_t)-1) {
		i = d->nname++;
		d->name = hl_xrealloc(d->name, d->nname * sizeof(*d->name));
		d->key = hl_xrealloc(d->key, d->nname * sizeof(*d->key));
		d->known = hl_xrealloc(d->known, d->nname * sizeof(*d->known));
		d->name[i] = hl_xstrdup(l->disp.data);
		d->key[i] = hl_xstrdup(l->key.data);
		d->known[i] = k >= 0;
	}
	d->id = hl_xrealloc(d->id, (d->n + 1) * sizeof(*d->id));
	d->of = hl_xrealloc(d->of, (d->n + 1) * sizeof(*d->of));
	d->id[d->n] = id;
	d->of[d->n++] = i;
}

static int
load_districts(struct hl_metrics *m, struct districts *d)
{
	struct dload l = {d, m->region, HL_BUF_INIT, HL_BUF_INIT};
	int rc;

	memset(d, 0, sizeof(*d));
	rc = hl_store_names(m->st, HL_DICT_DISTRICT, add_spelling, &l);
	hl_buf_release(&l.key);
	hl_buf_release(&l.disp);
	if (rc != 0) {
		db_fail(m);
		return -1;
	}
	sort_districts(d);
	return 0;
}

/* ---- counting ---- */

enum { T_ACC, T_DISP, T_SIGN, T_DL, T_CLOSED, NT };

/* One ticket as the scan reads it. */
struct tk {
	int64_t id;
	hl_time t[NT];
	unsigned has; /* bit i: t[i] given */
	int64_t street, unit, channel, district;
	int category, is_key, sat, reopen, quality;
	hl_time deadline; /* the export's, else computed when asked */
	int has_deadline;
	/* handling time, worked out once for the several counts it joins */
	int hand;          /* 0 not yet, 1 left out, 2 counted */
	int work_ok;       /* the calendar covers it */
	int64_t nat, work; /* seconds */
};

struct sum {
	long n;
	double sum;
};

/* Counts of one period (a month, the period asked for, a year before). */
struct acc {
	long tickets, cls[HL_CAT_COUNT], flagged;
	long closed, on_time, late, no_deadline;
	long dispatched, d_on_time, d_late, d_no_deadline, d_no_deadline_closed;
	long sat[2][HL_SAT_COUNT]; /* [普通, 重点][answer] */
	long reopen_known, reopened;
	struct sum hand[NGROUP], work[NGROUP]; /* seconds */
	long excluded, outside_calendar;       /* left out of handling */
};

/*
 * A handling time of the period, for medians: seconds, at most 2^31 - 1
 * (68 years; beyond, the value saturates), work -1 when a day on the way
 * is not covered.  Twelve bytes a ticket: the city's year fits the budget.
 */
struct hv {
	int32_t nat, work;
	unsigned char category;
};

/* Counts by unit. */
struct unit {
	int64_t id;
	long tickets, closed, on_time, late, no_deadline;
	long sat[HL_SAT_COUNT], reopen_known, reopened;
	struct sum hand;
};

/* A ticket for the lists: open ones, late ones. */
struct item {
	int64_t id, unit;
	hl_time deadline, closed; /* closed 0: open */
	int month, in_period, dispatched;
	size_t dist; /* canonical district index, -1 none */
};

/* Everything one computation gathers. */
struct ctx {
	struct hl_metrics *m;
	const struct hl_settings *s;
	const struct hl_query *q;
	struct districts dist;
	size_t target;          /* the district's canonical index, or -1 */
	hl_time y0, y1, p0, p1; /* the year, the period */
	hl_time q0, q1;         /* the same period a year earlier */
	hl_time s1;             /* the scan's end: the period's */
	struct acc month[12], per, prev;
	/* the city's: each district's period and year before, one pass */
	struct acc *dper, *dprev;
	struct hv *hv;
	size_t nhv, cap_hv;
	/* once hv is grouped: category c's values are hv[hv_at[c]..[c+1]) */
	size_t hv_at[HL_CAT_COUNT + 1];
	struct unit *units;
	size_t nunits;
	/* dict id -> index in units; -> tickets of a street, a channel */
	struct hl_idmap unit_of, streets, channels;
	struct item *open, *late;
	size_t nopen, nlate, cap_open, cap_late;
	hl_time latest; /* the latest time seen: the default as-of */
	long outside_calendar_tickets;
	/* years no calendar covers that the period's figures needed */
	unsigned char missing[HL_YEAR_LAST - HL_YEAR_FIRST + 1];
	/* rankings: [month][district][class][answer] */
	long (*rk)[2][4];
	int (*rank)[2]; /* [month * ndist + d][class]: 0 unranked */
	double (*rate)[2];
	long ranked[12][2]; /* districts ranked per month and class */
	long rk_none[12];   /* the rollup's tickets without a district */
	int failed;         /* a lookup failed: the error is on m */
};

static void
sum_add(struct sum *s, double v)
{
	s->n++;
	s->sum += v;
}

/* The time that places t in a period, or 0 when it has none. */
static int
basis_time(enum hl_basis b, const struct tk *t, hl_time *out)
{
	int i = b == HL_BASIS_ACCEPTED     ? T_ACC
		: b == HL_BASIS_DISPATCHED ? T_DISP
					   : T_CLOSED;

	if (!(t->has >> i & 1))
		return 0;
	*out = t->t[i];
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
static void
deadline_of(struct ctx *x, struct tk *t, int in)
{
	const struct hl_settings *s = x->s;
	hl_time from = t->has >> T_DISP & 1 ? t->t[T_DISP] : t->t[T_ACC];

	t->has_deadline = 1;
	if (t->has >> T_DL & 1) {
		t->deadline = t->t[T_DL];
		if ((t->quality & HL_Q_DEADLINE_DATE) && !s->date_only_start)
			t->deadline += 86399;
	} else if (!s->deadline_fill) {
		t->has_deadline = 0;
	} else if (hl_calendar_deadline(
		       x->m->cal, from, s->deadline_days[t->category],
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
	return x->s->start == HL_START_DISPATCH && (t->has >> T_DISP & 1)
		   ? t->t[T_DISP]
		   : t->t[T_ACC];
}

static int
handling_of(const struct ctx *x, const struct tk *t, hl_time *start,
	    int64_t *secs)
{
	*start = start_of(x, t);
	*secs = t->t[T_CLOSED] - *start;
	return !(t->quality & HL_Q_CLOSED_BEFORE) && *secs >= 0;
}

/*
 * Handling time of a closed ticket into a, and into the period's values
 * when hv is set.
 */
static void
count_handling(struct ctx *x, struct acc *a, struct tk *t, int keep)
{
	hl_time start;
	int64_t nat, work;
	int g = t->category == 0 ? G_CONSULT : G_OTHER, ok;

	if (!t->hand) {
		t->hand = handling_of(x, t, &start, &t->nat) ? 2 : 1;
		t->work_ok = t->hand == 2 && hl_calendar_work_secs(
						 x->m->cal, start,
						 t->t[T_CLOSED], &t->work) == 0;
	}
	if (t->hand == 1) {
		a->excluded++;
		return;
	}
	if (keep && !t->work_ok)
		mark_missing(x, start_of(x, t), t->t[T_CLOSED]);
	nat = t->nat;
	work = t->work;
	ok = t->work_ok;
	sum_add(&a->hand[g], (double)nat);
	sum_add(&a->hand[G_CAT(t->category)], (double)nat);
	if (ok) {
		sum_add(&a->work[g], (double)work);
		sum_add(&a->work[G_CAT(t->category)], (double)work);
	} else {
		a->outside_calendar++;
	}
	if (keep) {
		if (x->nhv == x->cap_hv) {
			x->cap_hv = x->cap_hv ? x->cap_hv * 2 : 4096;
			x->hv = hl_xrealloc(x->hv, x->cap_hv * sizeof(*x->hv));
		}
		x->hv[x->nhv].category = (unsigned char)t->category;
		x->hv[x->nhv].nat = nat > INT32_MAX ? INT32_MAX : (int32_t)nat;
		x->hv[x->nhv].work = !ok                ? -1
				     : work > INT32_MAX ? INT32_MAX
							: (int32_t)work;
		x->nhv++;
	}
}

/* Counts t into a (a month, the period). */
static void
count(struct ctx *x, struct acc *a, struct tk *t, int keep)
{
	int closed = t->has >> T_CLOSED & 1;

	a->tickets++;
	a->cls[t->category]++;
	a->flagged += (t->quality & ~HL_Q_NOT_FLAGS) != 0;
	if (closed) {
		a->closed++;
		if (!t->has_deadline)
			a->no_deadline++;
		else if (t->t[T_CLOSED] <= t->deadline)
			a->on_time++;
		else
			a->late++;
		if (t->reopen >= 0) {
			a->reopen_known++;
			a->reopened += t->reopen >= 1;
		}
		count_handling(x, a, t, keep);
	}
	if (t->has >> T_DISP & 1) {
		a->dispatched++;
		if (!t->has_deadline) {
			a->d_no_deadline++;
			a->d_no_deadline_closed += closed;
		}
		/* Open ones are judged at the as-of time, after the scan. */
		if (closed && t->has_deadline) {
			if (t->t[T_CLOSED] <= t->deadline)
				a->d_on_time++;
			else
				a->d_late++;
		}
	}
	a->sat[t->is_key == 1][t->sat]++;
}

static struct item *
add_item(struct item **v, size_t *n, size_t *cap)
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

	if (t->unit == 0)
		return;
	slot = hl_idmap_slot(&x->unit_of, (uint64_t)t->unit, &isnew);
	if (isnew) {
		x->units =
		    hl_xrealloc(x->units, (x->nunits + 1) * sizeof(*x->units));
		memset(&x->units[x->nunits], 0, sizeof(*x->units));
		x->units[x->nunits].id = t->unit;
		*slot = x->nunits++;
	}
	u = &x->units[*slot];
	u->tickets++;
	u->sat[t->sat]++;
	if (t->has >> T_CLOSED & 1) {
		u->closed++;
		if (!t->has_deadline)
			u->no_deadline++;
		else if (t->t[T_CLOSED] <= t->deadline)
			u->on_time++;
		else
			u->late++;
		if (t->reopen >= 0) {
			u->reopen_known++;
			u->reopened += t->reopen >= 1;
		}
		if (handling_of(x, t, &start, &secs))
			sum_add(&u->hand, (double)secs);
	}
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
static struct acc *
dslot(const struct ctx *x, struct acc *v, size_t d)
{
	return &v[d == (size_t)-1 ? x->dist.nname : d];
}

/* One ticket of the scan of the period's year. */
static void
take(struct ctx *x, struct tk *t)
{
	hl_time bt;
	int mon, in, i;
	size_t d;

	if (!basis_time(x->s->basis, t, &bt) || bt < x->y0 || bt >= x->s1)
		return;
	d = x->dper ? district_of(&x->dist, t->district) : (size_t)-1;
	mon = (int)(hl_time_yyyymm(bt) % 100);
	in = bt >= x->p0 && bt < x->p1;
	deadline_of(x, t, in);
	for (i = 0; i < NT; i++)
		if ((t->has >> i & 1) && i != T_DL && t->t[i] > x->latest)
			x->latest = t->t[i];
	if (in &&
	    hl_calendar_daykind(x->m->cal, hl_time_day(t->t[T_ACC])) < 0) {
		x->outside_calendar_tickets++;
		mark_missing(x, t->t[T_ACC], t->t[T_ACC]);
	}
	count(x, &x->month[mon - 1], t, 0);
	/* Open tickets are judged at the as-of time, known after the scan. */
	if (!(t->has >> T_CLOSED & 1) && t->has_deadline) {
		struct item *it = add_item(&x->open, &x->nopen, &x->cap_open);

		it->id = t->id;
		it->unit = t->unit;
		it->deadline = t->deadline;
		it->closed = 0;
		it->month = mon;
		it->in_period = in;
		it->dispatched = t->has >> T_DISP & 1;
		it->dist = d;
	}
	if (!in)
		return;
	count(x, &x->per, t, 1);
	if (x->dper)
		count(x, dslot(x, x->dper, d), t, 0);
	count_unit(x, t);
	count_id(&x->streets, t->street);
	count_id(&x->channels, t->channel);
	if ((t->has >> T_CLOSED & 1) && t->has_deadline &&
	    t->t[T_CLOSED] > t->deadline && x->q->late_list) {
		struct item *it = add_item(&x->late, &x->nlate, &x->cap_late);

		it->id = t->id;
		it->unit = t->unit;
		it->deadline = t->deadline;
		it->closed = t->t[T_CLOSED];
		it->month = mon;
		it->in_period = 1;
		it->dist = d;
	}
}

/* A ticket of the same period a year earlier: handling sums only. */
static void
take_prev(struct ctx *x, struct tk *t)
{
	hl_time bt;

	if (!basis_time(x->s->basis, t, &bt) || bt < x->q0 || bt >= x->q1)
		return;
	if (!(t->has >> T_CLOSED & 1))
		return;
	count_handling(x, &x->prev, t, 0);
	if (x->dprev)
		count_handling(
		    x, dslot(x, x->dprev, district_of(&x->dist, t->district)),
		    t, 0);
}

/* t a year earlier: the same day of the month (periods start on 1st). */
static hl_time
year_before(hl_time t)
{
	int y, m, d;

	hl_civil_from_days(hl_time_day(t), &y, &m, &d);
	return hl_time_make(y - 1, m, d, 0, 0, 0);
}

/* A scan's ticket handed to take() or take_prev(). */
struct scan_to {
	struct ctx *x;
	void (*fn)(struct ctx *, struct tk *);
};

static void
scanned(void *arg, const struct hl_store_ticket *v)
{
	const struct scan_to *to = arg;
	struct tk t;

	memset(&t, 0, sizeof(t));
	t.id = v->id;
	memcpy(t.t, v->t, sizeof(t.t));
	t.has = v->has;
	t.street = v->street;
	t.unit = v->unit;
	t.channel = v->channel;
	t.district = v->district;
	t.category = v->category;
	t.is_key = v->is_key;
	t.sat = v->sat;
	t.reopen = v->reopen;
	t.quality = v->quality;
	to->fn(to->x, &t);
}

/*
 * Scans the tickets accepted in [lo, hi) of the target district (every
 * district when there is none) into take(), or the closed ones into
 * take_prev().
 */
static int
scan(struct ctx *x, hl_time lo, hl_time hi,
     void (*fn)(struct ctx *, struct tk *))
{
	struct scan_to to = {x, fn};
	int64_t *ids = NULL;
	size_t i, n = 0;
	int rc;

	/* A district may be stored under several spellings. */
	if (x->target != (size_t)-1) {
		ids = hl_xcalloc(x->dist.n + 1, sizeof(*ids));
		for (i = 0; i < x->dist.n; i++)
			if (x->dist.of[i] == x->target)
				ids[n++] = x->dist.id[i];
	}
	rc = hl_store_scan(x->m->st, ids, n, lo, hi, fn == take_prev, scanned,
			   &to);
	free(ids);
	if (rc != 0) {
		db_fail(x->m);
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
		a->hand[g[i]].n += n;
		a->hand[g[i]].sum += secs;
	}
}

/*
 * The year before's handling sums from hand_month, which ingest keeps
 * (periods by acceptance only; the others scan): what take_prev() would
 * count, without reading the tickets.
 */
static void
prev_row(void *arg, int64_t district, int c, long long n, long long secs)
{
	struct ctx *x = arg;
	size_t d = district_of(&x->dist, district);

	if (c < 0 || c >= HL_CAT_COUNT)
		c = HL_CAT_COUNT - 1;
	if (x->target == (size_t)-1 || d == x->target)
		hand_sum_add(&x->prev, c, (long)n, (double)secs);
	if (x->target == (size_t)-1)
		hand_sum_add(dslot(x, x->dprev, d), c, (long)n, (double)secs);
}

static int
load_prev_rollup(struct ctx *x)
{
	if (hl_store_hand_sums(
		x->m->st, hl_time_yyyymm(x->q0), hl_time_yyyymm(x->q1),
		x->s->start == HL_START_DISPATCH, prev_row, x) != 0) {
		db_fail(x->m);
		return -1;
	}
	return 0;
}

/* ---- rankings ---- */

static void
rank_row(void *arg, int mon, int64_t district, int is_key, int sat, long long n)
{
	struct ctx *x = arg;
	size_t d = district_of(&x->dist, district);

	if (mon >= 1 && mon <= 12 && d == (size_t)-1)
		x->rk_none[mon - 1] += n;
	if (mon < 1 || mon > 12 || d == (size_t)-1 || sat < 0 || sat > 3)
		return;
	x->rk[(size_t)(mon - 1) * x->dist.nname + d][is_key == 1][sat] += n;
}

/* Satisfaction counts of every district by month, into x->rk. */
static int
load_ranking_counts(struct ctx *x)
{
	static const enum hl_store_basis basis[] = {
	    [HL_BASIS_ACCEPTED] = HL_STORE_BY_ACCEPTED,
	    [HL_BASIS_DISPATCHED] = HL_STORE_BY_DISPATCHED,
	    [HL_BASIS_CLOSED] = HL_STORE_BY_CLOSED,
	};
	size_t nd = x->dist.nname;

	x->rk = hl_xcalloc(12 * (nd ? nd : 1), sizeof(*x->rk));
	if (hl_store_sat_counts(x->m->st, basis[x->s->basis], x->q->period.year,
				x->y0, x->y1, rank_row, x) != 0) {
		db_fail(x->m);
		return -1;
	}
	return 0;
}

/*
 * The tickets the scan read, month by month, against the rollup that
 * ingest keeps in the same transactions (another b-tree of the file): a
 * damaged page that SQLite reads as fewer rows, instead of reporting it,
 * would otherwise give smaller figures with no word.  Periods by
 * acceptance only, which the rollup follows.
 */
static int
check_scan(struct ctx *x)
{
	size_t nd = x->dist.nname, d;
	int mon, last = x->q->period.month ? x->q->period.month : 12, k, a;

	if (x->s->basis != HL_BASIS_ACCEPTED)
		return 0;
	for (mon = 0; mon < last; mon++) {
		long want = x->target == (size_t)-1 ? x->rk_none[mon] : 0;

		for (d = 0; d < nd; d++)
			if (x->target == (size_t)-1 || d == x->target)
				for (k = 0; k < 2; k++)
					for (a = 0; a < 4; a++)
						want += x->rk[(size_t)mon * nd +
							      d][k][a];
		if (want != x->month[mon].tickets) {
			fail(x->m, HL_ANALYSIS_ESTORE,
			     "the database is inconsistent: %ld tickets read "
			     "for %d-%02d, its satisfaction rollup counts %ld; "
			     "it may be damaged: 'hotline check --db FILE' "
			     "tells what",
			     x->month[mon].tickets, x->q->period.year, mon + 1,
			     want);
			return -1;
		}
	}
	return 0;
}

/* a > b beyond rounding (rates with a fractional weight). */
static int
greater(double a, double b)
{
	return a - b > 1e-12 * (a > b ? a : b);
}

/* Competition ranks of every district, month and class. */
static void
rank_all(struct ctx *x)
{
	size_t nd = x->dist.nname, d, e;
	int mon, k, min = x->s->rank_min > 0 ? x->s->rank_min : 1;

	x->rank = hl_xcalloc(12 * (nd ? nd : 1), sizeof(*x->rank));
	x->rate = hl_xcalloc(12 * (nd ? nd : 1), sizeof(*x->rate));
	for (mon = 0; mon < 12; mon++)
		for (k = 0; k < 2; k++) {
			for (d = 0; d < nd; d++) {
				long *c = x->rk[(size_t)mon * nd + d][k];
				long ev = c[HL_SAT_SATISFIED] +
					  c[HL_SAT_BASIC] +
					  c[HL_SAT_UNSATISFIED];

				x->rate[(size_t)mon * nd + d][k] =
				    ev ? (c[HL_SAT_SATISFIED] +
					  x->s->basic_weight *
					      c[HL_SAT_BASIC]) /
					     (double)ev
				       : -1;
				x->rank[(size_t)mon * nd + d][k] = ev >= min;
				x->ranked[mon][k] += ev >= min;
			}
			for (d = 0; d < nd; d++) {
				size_t i = (size_t)mon * nd + d;
				int r = 1;

				if (!x->rank[i][k])
					continue;
				for (e = 0; e < nd; e++) {
					size_t j = (size_t)mon * nd + e;

					r += x->rank[j][k] != 0 &&
					     greater(x->rate[j][k],
						     x->rate[i][k]);
				}
				x->rank[i][k] = r;
			}
		}
}

/* ---- the figures ---- */

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
	const struct sum *s = work ? &x->per.work[g] : &x->per.hand[g];
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
	speedup_of(&h, &x->per.hand[g], &x->prev.hand[g]);
	return h;
}

/* Handling group g of one district of the city: means, no quantiles. */
static struct hl_fig_handling
handling_brief(const struct acc *now, const struct acc *was, int g)
{
	struct hl_fig_handling h;

	memset(&h, 0, sizeof(h));
	h.nat.n = now->hand[g].n;
	h.nat.mean = mean_hours(&now->hand[g]);
	h.work.n = now->work[g].n;
	h.work.mean = mean_hours(&now->work[g]);
	h.nat.median = h.nat.p90 = h.work.median = h.work.p90 = HL_FIG_NONE;
	speedup_of(&h, &now->hand[g], &was->hand[g]);
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

/* An on-time rate under the settings' rule for tickets without one. */
struct ot {
	long num, den, late;
};

static struct ot
on_time_rule(const struct hl_settings *s, long on, long late, long den,
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

static const char *const nodl_en[] = {"left out of this rate",
				      "counted as on time", "counted as late"};
static const char *const nodl_zh[] = {"不计入本指标", "按按时办结计",
				      "按超期计"};

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
	hl_buf_printf(&en,
		      "%ld of %ld %s tickets (%.2f%%) have no deadline: %s",
		      nodl, den, what_en, pct, nodl_en[x->s->no_deadline]);
	hl_buf_printf(&zh, "%s工单 %ld 件中 %ld 件（%.2f%%）无办理时限，%s",
		      what_zh, den, nodl, pct, nodl_zh[x->s->no_deadline]);
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

	f->tickets = a->tickets;
	memcpy(f->cls, a->cls, sizeof(f->cls));
	f->on_time_closed =
	    on_time_obj(x,
			on_time_rule(x->s, a->on_time, a->late, a->closed,
				     a->no_deadline, a->no_deadline),
			a->no_deadline, a->closed, "closed", "已办结");
	f->on_time_dispatched = on_time_obj(
	    x,
	    on_time_rule(x->s, a->d_on_time, a->d_late, a->dispatched,
			 a->d_no_deadline_closed, a->d_no_deadline),
	    a->d_no_deadline, a->dispatched, "dispatched", "已派单");
	for (k = 0; k < HL_CLS_N; k++)
		f->sat[k] = sat_of(x, a->sat[k]);
	f->reopen.r = ratio((double)a->reopened, (double)a->reopen_known);
}

/*
 * The names (or ticket IDs) of ids[0 .. n-1] into out[], in one call to
 * the store; on a database error, NULLs and x->failed.
 */
static void
names_of(struct ctx *x, enum hl_store_lookup what, const int64_t *ids, size_t n,
	 char **out)
{
	if (n == 0 || x->failed)
		return;
	if (hl_store_lookup(x->m->st, what, ids, n, out) != 0) {
		db_fail(x->m);
		x->failed = 1;
	}
}

struct named {
	int64_t id;
	long n;
};

static int
cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
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
	sort(v, n, sizeof(*v), cmp_named);
	out = hl_xcalloc(n ? n : 1, sizeof(*out));
	for (i = 0; i < n; i++)
		ids[i] = v[i].id;
	names_of(x, HL_LOOKUP_DICT, ids, n, names);
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

	if (x->tickets != y->tickets)
		return x->tickets < y->tickets ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
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

	sort(x->units, x->nunits, sizeof(*x->units), cmp_unit);
	for (i = 0; i < x->nunits; i++)
		ids[i] = x->units[i].id;
	names_of(x, HL_LOOKUP_DICT, ids, x->nunits, names);
	f->units = hl_xcalloc(x->nunits + 1, sizeof(*f->units));
	f->lagging = hl_xcalloc(x->nunits + 1, sizeof(*f->lagging));
	for (i = 0; i < x->nunits; i++) {
		const struct unit *u = &x->units[i];
		struct hl_fig_unit *o = &f->units[f->nunits++];
		struct hl_fig_lagging *l = &f->lagging[f->nlagging];
		long ev = u->sat[HL_SAT_SATISFIED] + u->sat[HL_SAT_BASIC] +
			  u->sat[HL_SAT_UNSATISFIED];
		struct ot r = on_time_rule(s, u->on_time, u->late, u->closed,
					   u->no_deadline, u->no_deadline);
		double on = pct(r.num, r.den);
		double sat = ev ? 100 *
				      (u->sat[HL_SAT_SATISFIED] +
				       s->basic_weight * u->sat[HL_SAT_BASIC]) /
				      (double)ev
				: -1;
		double re = pct(u->reopened, u->reopen_known);

		o->name = names[i];
		o->tickets = (int)u->tickets;
		o->closed = (int)u->closed;
		o->on_time = ratio((double)r.num, (double)r.den);
		o->late = (int)r.late;
		o->sat = ratio(ev ? u->sat[HL_SAT_SATISFIED] +
					s->basic_weight * u->sat[HL_SAT_BASIC]
				  : 0,
			       (double)ev);
		o->evaluated = (int)ev;
		o->reopen = ratio((double)u->reopened, (double)u->reopen_known);
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
	names_of(x, HL_LOOKUP_TICKET, ids, l->n, names);
	for (i = 0; i < l->n; i++) {
		l->v[i].ticket_id = names[i];
		names[i] = NULL;
		ids[i] = src[i]->unit;
	}
	names_of(x, HL_LOOKUP_DICT, ids, l->n, names);
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

	sort(x->open, x->nopen, sizeof(*x->open), cmp_item);
	f->past.v = hl_xcalloc(x->nopen + 1, sizeof(*f->past.v));
	f->near.v = hl_xcalloc(x->nopen + 1, sizeof(*f->near.v));
	for (i = 0; i < x->nopen; i++) {
		const struct item *it = &x->open[i];

		if (it->deadline < as_of && it->dispatched) {
			x->month[it->month - 1].d_late++;
			x->per.d_late += it->in_period;
			if (it->in_period && x->dper)
				dslot(x, x->dper, it->dist)->d_late++;
		}
		if (!it->in_period)
			continue;
		if (it->deadline < as_of) {
			item_of(it, as_of, 0, &f->past, past);
			if (x->q->late_list)
				*add_item(&x->late, &x->nlate, &x->cap_late) =
				    *it;
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
	const struct acc *p = dslot(x, x->dper, d),
			 *was = dslot(x, x->dprev, d);
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
	if (x->dper[x->dist.nname].tickets > 0)
		district_line(x, (size_t)-1, last,
			      &f->districts[f->ndistricts++]);
}

static void
month_of(const struct ctx *x, int mon, struct hl_fig_month *o)
{
	const struct acc *a = &x->month[mon - 1];

	o->month = mon;
	main_of(x, a, &o->f);
	o->hand_mean[0] = mean_hours(&a->hand[G_CONSULT]);
	o->hand_mean[1] = mean_hours(&a->hand[G_OTHER]);
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
	long work_out = p->outside_calendar;
	long counted = p->hand[G_CONSULT].n + p->hand[G_OTHER].n;
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

static struct hl_figures *
build(struct ctx *x, hl_time as_of)
{
	struct hl_figures *f = hl_xcalloc(1, sizeof(*f));
	const struct acc *p = &x->per;
	const int *yv;
	int last = x->q->period.month ? x->q->period.month : 12, mon, c, k;
	long sat_all[4];
	const struct item **late;
	size_t i;

	group_hv(x);
	open_lists(x, as_of, f);
	f->period = x->q->period;
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
		sat_all[c] = p->sat[0][c] + p->sat[1][c];
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
	f->hand_left_out = p->excluded;
	f->hand_outside_calendar = p->outside_calendar;
	for (mon = 1; mon <= 12; mon++)
		month_of(x, mon, &f->months[mon - 1]);
	if (x->dper)
		districts_of(x, last, f);
	units_of(x, f);
	f->has_late = x->q->late_list;
	sort(x->late, x->nlate, sizeof(*x->late), cmp_item);
	f->late.v = hl_xcalloc(x->nlate + 1, sizeof(*f->late.v));
	late = hl_xcalloc(x->nlate + 1, sizeof(*late));
	for (i = 0; i < x->nlate; i++)
		item_of(&x->late[i], as_of, 0, &f->late, late);
	list_names(x, &f->late, late);
	free(late);
	f->flagged = (int)p->flagged;
	f->outside_calendar = (int)x->outside_calendar_tickets;
	f->no_deadline = (int)p->no_deadline;
	notes_of(x, f);
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
static void
ctx_release(struct ctx *x)
{
	districts_release(&x->dist);
	free(x->hv);
	free(x->units);
	hl_idmap_release(&x->unit_of);
	hl_idmap_release(&x->streets);
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
	const struct hl_period *pd = &q->period;
	struct hl_buf name = HL_BUF_INIT;
	struct ctx x;
	struct hl_figures *root = NULL;
	hl_time lo;

	memset(&x, 0, sizeof(x));
	hl_idmap_init(&x.unit_of, sizeof(size_t));
	hl_idmap_init(&x.streets, sizeof(size_t));
	hl_idmap_init(&x.channels, sizeof(size_t));
	x.m = m;
	x.s = m->s;
	x.q = q;
	x.target = (size_t)-1;
	hl_buf_reset(&m->err.msg);
	m->err.code = HL_ANALYSIS_OK;
	if (pd->year < 1901 || pd->year > 2199 || pd->month < 0 ||
	    pd->month > 12 ||
	    pd->from < hl_time_make(pd->year, 1, 1, 0, 0, 0) ||
	    pd->to > hl_time_make(pd->year + 1, 1, 1, 0, 0, 0) ||
	    pd->from >= pd->to) {
		fail(m, HL_ANALYSIS_ESCOPE, "no such period: %s", pd->label);
		return NULL;
	}
	if (load_districts(m, &x.dist) != 0)
		goto done;
	if (q->district) {
		struct hl_buf disp = HL_BUF_INIT;
		size_t i;

		hl_region_match(m->region, q->district, strlen(q->district),
				&name, &disp);
		hl_buf_release(&disp);
		x.target = key_index(&x.dist, name.data);
		if (x.target == (size_t)-1) {
			hl_buf_reset(&name);
			for (i = 0; i < x.dist.nname; i++)
				hl_buf_printf(&name, "%s%s", i ? ", " : "",
					      x.dist.name[i]);
			fail(m, HL_ANALYSIS_ESCOPE,
			     "no tickets of district '%s' in the database "
			     "(%s%s)",
			     q->district,
			     x.dist.nname ? "its districts: " : "it has none",
			     name.data);
			goto done;
		}
	}
	if (!q->district) {
		x.dper = hl_xcalloc(x.dist.nname + 1, sizeof(*x.dper));
		x.dprev = hl_xcalloc(x.dist.nname + 1, sizeof(*x.dprev));
	}
	x.y0 = hl_time_make(pd->year, 1, 1, 0, 0, 0);
	x.y1 = hl_time_make(pd->year + 1, 1, 1, 0, 0, 0);
	x.p0 = pd->from;
	x.p1 = pd->to;
	x.q0 = year_before(x.p0);
	x.q1 = year_before(x.p1);
	/*
	 * By dispatch or closure, a ticket may have been accepted in any
	 * earlier year, but not after its period.
	 */
	/* A month needs the year only so far: its months and itself. */
	x.s1 = x.p1;
	lo = m->s->basis == HL_BASIS_ACCEPTED ? x.y0 : INT64_MIN;
	if (scan(&x, lo, x.s1, take) != 0)
		goto done;
	if (m->s->basis == HL_BASIS_ACCEPTED
		? load_prev_rollup(&x) != 0
		: scan(&x, INT64_MIN, x.q1, take_prev) != 0)
		goto done;
	if (load_ranking_counts(&x) != 0 || check_scan(&x) != 0)
		goto done;
	rank_all(&x);
	root = build(&x, q->as_of ? q->as_of : x.latest);
done:
	hl_buf_release(&name);
	ctx_release(&x);
	return root;
}
