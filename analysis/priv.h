/*
 * priv.h - private to analysis/: what the files of the metrics share.
 *
 * metrics.c runs a computation: districts.c finds the districts as
 * stored, count.c scans the period's tickets into one accumulator per
 * analysis (volume, on-time, satisfaction, reopen, handling, units),
 * rank.c ranks the districts month by month, and build.c turns the
 * counts into the typed figures of figures.h.
 */
#ifndef HL_ANALYSIS_PRIV_H
#define HL_ANALYSIS_PRIV_H

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
	struct hl_period
	    period; /* the one computing, in the settings' months */
	struct hl_store *st;
	const struct hl_settings *s;
	struct hl_calendar *cal;
	struct hl_region *region;
	struct hl_err err;
};

#define an_fail(m, ...) hl_err_set(&(m)->err, __VA_ARGS__)

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

enum { T_ACC, T_DISP, T_SIGN, T_DL, T_CLOSED, NT };

/* One ticket as the scan reads it. */
struct tk {
	struct hl_store_ticket v; /* as read: id, times, dict ids, codes */
	hl_time deadline;         /* the export's, else computed when asked */
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

/*
 * The accumulators of one period (a month, the period asked for, a year
 * before), one per analysis, each filled by its own function from the
 * same scan.
 */
struct acc_volume { /* tickets by class; those flagged */
	long tickets, cls[HL_CAT_COUNT], flagged;
};

struct acc_on_time { /* on-time closure of closed and dispatched tickets */
	long closed, on_time, late, no_deadline;
	long dispatched, d_on_time, d_late, d_no_deadline, d_no_deadline_closed;
};

struct acc_sat { /* satisfaction answers: [普通, 重点][answer] */
	long c[HL_CLS_N][HL_SAT_COUNT];
};

struct acc_reopen { /* closed tickets whose reopen count is known */
	long known, reopened;
};

struct acc_handling { /* handling seconds by group */
	struct sum hand[NGROUP], work[NGROUP];
	long excluded, outside_calendar; /* left out of handling */
};

/* The assessment answers (docs/analyses.md): tickets, those with any
 * answer given, those left out, and among the valid callbacks of the rest
 * the contacted, the resolved and the satisfaction answers. */
struct acc_assess {
	long tickets, given, left_out, valid, contacted, resolved;
	long sat[HL_SAT_COUNT];
};

struct acc {
	struct acc_volume vol;
	struct acc_assess as;
	struct acc_on_time ot;
	struct acc_sat sat;
	struct acc_reopen re;
	struct acc_handling hd;
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
	long tickets;
	struct acc_on_time ot; /* the analyses' own accumulators */
	long sat[HL_SAT_COUNT];
	struct acc_reopen re;
	struct sum hand;
	struct acc_assess as;
};

/* Counts by street, for the league tables. */
struct street {
	int64_t id;
	long tickets;
	struct acc_on_time ot;
	struct acc_assess as;
};

/* A ticket for the lists: open ones, late ones. */
struct item {
	int64_t id, unit;
	hl_time deadline, closed; /* closed 0: open */
	int month, in_period, dispatched;
	size_t dist; /* canonical district index, -1 none */
};

struct topics;
struct rep;
struct xport;

/* Everything one computation gathers. */
struct ctx {
	struct hl_metrics *m;
	const struct hl_settings *s;
	const struct hl_query *q;
	const struct hl_period *pd; /* q's, in the settings' months */
	struct districts dist;
	size_t target;          /* the district's canonical index, or -1 */
	hl_time y0, y1, p0, p1; /* the year, the period */
	hl_time q0, q1;         /* the same period a year earlier */
	hl_time s0, s1; /* the scan's: the year's start (the period's when
			 * earlier) to the period's end */
	struct acc month[12], per, prev;
	/* the city's: each district's period and year before, one pass */
	struct acc *dper, *dprev;
	struct hv *hv;
	size_t nhv, cap_hv;
	/* once hv is grouped: category c's values are hv[hv_at[c]..[c+1]) */
	size_t hv_at[HL_CAT_COUNT + 1];
	struct unit *units;
	size_t nunits;
	struct street *street_acc; /* by x->street_of */
	size_t nstreet_acc;
	struct hl_idmap street_of;
	/* dict id -> index in units; -> tickets of a street, a channel */
	struct hl_idmap unit_of, streets, channels;
	struct item *open, *late;
	size_t nopen, nlate, cap_open, cap_late;
	hl_time latest;            /* the latest time seen: the default as-of */
	hl_time first_in, last_in; /* the period's tickets' basis times,
				    * the earliest and the latest */
	long outside_calendar_tickets;
	/* years no calendar covers that the period's figures needed */
	unsigned char missing[HL_YEAR_LAST - HL_YEAR_FIRST + 1];
	/* rankings: [month][district][class][answer] */
	long (*rk)[2][4];
	int (*rank)[2]; /* [month * ndist + d][class]: 0 unranked */
	double (*rate)[2];
	long ranked[12][2]; /* districts ranked per month and class */
	long rk_scan[12];   /* the rollup's tickets the scan should read */
	int failed;         /* a lookup failed: the error is on m */
	struct topics *tp;  /* topics.c's counts, when they are on */
	struct rep *rep;    /* repeats.c's tickets, when they are on */
	struct xport *xp;   /* export.c's batch, while it scans */
};

/*
 * districts.c, the lowest: the store's error, sorting, the districts, the
 * target's dict ids, names of ids, a time a year earlier
 */
int an_db_fail(struct hl_metrics *m);
size_t an_district_of(const struct districts *d, int64_t id);
void an_districts_release(struct districts *d);
size_t an_key_index(const struct districts *d, const char *key);
int an_load_districts(struct hl_metrics *m, struct districts *d);
int64_t *an_target_ids(const struct ctx *x, size_t *n);
void an_names_of(struct ctx *x, enum hl_store_lookup what, const int64_t *ids,
		 size_t n, char **out);
hl_time an_year_before(hl_time t);
void an_sort(void *base, size_t n, size_t size,
	     int (*cmp)(const void *, const void *));

/* count.c: one ticket of the period's year, one of the year before */
struct item *an_add_item(struct item **v, size_t *n, size_t *cap);
struct acc *an_dslot(const struct ctx *x, struct acc *v, size_t d);
int an_load_prev_rollup(struct ctx *x);
int an_scan(struct ctx *x, hl_time lo, hl_time hi,
	    void (*fn)(struct ctx *, struct tk *));
int an_month_of(const struct ctx *x, hl_time t);
/*
 * The rules an_take() counts by, for export.c to give the same verdicts:
 * the time that places t in a period (0: none); t's deadline into
 * t->deadline and t->has_deadline (in: t is of the period, so a year no
 * calendar covers is noted); a closed ticket's handling start and
 * seconds (0: left out).
 */
int an_basis_time(enum hl_basis b, const struct tk *t, hl_time *out);
void an_deadline_of(struct ctx *x, struct tk *t, int in);
int an_handling_of(const struct ctx *x, const struct tk *t, hl_time *start,
		   int64_t *secs);

/*
 * topics.c, repeats.c: made ready before the scan that starts at scan_lo,
 * fed by an_take(), finished into the figures (an_topics() first);
 * 0, or -1 with the error on m.
 */
void an_topics_begin(struct ctx *x, hl_time scan_lo);
void an_topic_take(struct ctx *x, const struct hl_store_ticket *t);
int an_topics(struct ctx *x, struct hl_figures *f);
void an_topics_free(struct ctx *x);
void an_repeats_begin(struct ctx *x, hl_time scan_lo);
void an_repeat_take(struct ctx *x, const struct hl_store_ticket *t);
int an_repeats(struct ctx *x, struct hl_figures *f);
void an_repeats_free(struct ctx *x);
/*
 * The repeat calls' lookback, the days before the scan, read with the
 * topics' reads of them (one run of the index, not two): where a read of
 * [a, b) should hand its links from (an_repeat_link(), arg x->rep), or
 * INT64_MAX when it would not extend what the repeats have read down from
 * b; after such a read, an_repeat_read_down(x, a).  an_repeats() reads
 * what remains.
 */
hl_time an_repeat_links_from(const struct ctx *x, hl_time b);
void an_repeat_link(void *arg, const struct hl_store_link *l);
void an_repeat_read_down(struct ctx *x, hl_time a);
/*
 * After an_repeats(): the case of ticket id, as the id of its first
 * stored ticket (0: in no case of two or more), and how the ticket
 * repeats an earlier one into *how (OUT: HL_REPEAT_* bits).
 */
int64_t an_repeat_of(struct ctx *x, int64_t id, int *how);
void an_take(struct ctx *x, struct tk *t);
void an_take_prev(struct ctx *x, struct tk *t);

/* assess.c: the on-time rule too (build.c's and the league's) */
void an_assess_add(struct acc_assess *a, const struct hl_store_ticket *t);
void an_assess_build(struct ctx *x, struct hl_figures *f);

/* An on-time rate under the settings' rule for tickets without one. */
struct ot {
	long num, den, late;
};
struct ot an_on_time_rule(const struct hl_settings *s, long on, long late,
			  long den, long nodl_num, long nodl_den);

/* rank.c */
int an_check_scan(struct ctx *x);
int an_load_ranking_counts(struct ctx *x);
void an_rank_all(struct ctx *x);

/* build.c */
struct hl_figures *an_build(struct ctx *x, hl_time as_of);

/*
 * export.c: after an_build(), the verdict on every ticket of the period
 * at as_of, handed to the query's each(); 0, or -1 with the error on m.
 */
int an_export(struct ctx *x, hl_time as_of);

#endif
