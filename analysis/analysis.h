/*
 * analysis.h - the figures: volume, on-time closure, satisfaction and the
 * monthly rankings among districts, handling time and its year-over-year
 * speed-up, reopen rate, the unit league table and the supervision list,
 * each computed from the stored tickets under documented settings
 * (docs/domain.md §4; README "Metrics").
 *
 * The settings are a transparent struct with defaults, optionally read
 * from a profile (an INI file).  The working-day calendar is util's
 * (2020-2024) plus any years a profile adds; a figure that needs a day the
 * calendar does not cover leaves that ticket out and says how many.
 * Figures come back as a JSON tree (jansson) whose layout the README
 * documents: every figure carries its numerator, its denominator and the
 * definition used.
 */
#ifndef HL_ANALYSIS_H
#define HL_ANALYSIS_H

#include <jansson.h>

#include "store/store.h"
#include "util/util.h"

enum hl_analysis_err {
	HL_ANALYSIS_OK,
	HL_ANALYSIS_ESETTING, /* a profile is wrong */
	HL_ANALYSIS_ESTORE,   /* the database refused */
	HL_ANALYSIS_ESCOPE    /* no such district, or a year out of range */
};

/* Static text for an hl_analysis_err; "unknown error" for anything else. */
const char *hl_analysis_strerror(int err);

/* Which month a ticket belongs to: that of its ... */
enum hl_basis { HL_BASIS_ACCEPTED, HL_BASIS_DISPATCHED, HL_BASIS_CLOSED };
/* The on-time rate's denominator: tickets closed, or dispatched. */
enum hl_denominator { HL_DENOM_CLOSED, HL_DENOM_DISPATCHED };
/* Where handling time starts (dispatch falls back to acceptance). */
enum hl_start { HL_START_DISPATCH, HL_START_ACCEPT };

/* Extra calendar years, from a profile: [calendar YYYY] sections. */
struct hl_calyear {
	int year;
	int64_t *holidays; /* day numbers: weekdays that are rest days */
	size_t nholidays;
	int64_t *workdays; /* day numbers: weekend days that are worked */
	size_t nworkdays;
};

struct hl_settings {
	enum hl_basis basis;             /* default accepted */
	enum hl_denominator denominator; /* default closed */
	double basic_weight; /* of 基本满意, 0 to 1; default 1 */
	int rank_min;        /* evaluated tickets to be ranked; default 30 */
	enum hl_start start; /* default dispatch */
	int deadline_days[HL_STORE_NCATEGORY]; /* working days per class */
	int deadline_inclusive;   /* the dispatch day is day 1 (含本数) */
	double near_hours;        /* supervision: due within; default 24 */
	double min_on_time;       /* units under this on-time %; default 95 */
	double min_satisfaction;  /* ... or this satisfaction %; default 90 */
	double max_reopen;        /* ... or over this reopen %; default 5 */
	int min_unit_tickets;     /* units judged from this many; default 20 */
	struct hl_calyear *years; /* extra calendar years, ascending */
	size_t nyears;
};

/* The defaults (README "Metrics").  Release with hl_settings_release(). */
void hl_settings_init(struct hl_settings *s);
void hl_settings_release(struct hl_settings *s);

/*
 * Reads a profile into s (initialised; entries override what is there).
 * Returns 0, or -1 with err saying "PATH:LINE: message" for an unknown
 * section or key, an impossible value, or a calendar year that is built
 * in or given twice.
 */
int hl_settings_load(struct hl_settings *s, const char *path,
		     struct hl_buf *err);

/* What to compute. */
struct hl_query {
	int year;             /* required */
	int month;            /* 1-12, or 0 for the whole year */
	const char *district; /* a district's name, or NULL for the city */
	hl_time as_of;        /* "now" for open tickets; 0: the latest time
			       * among the period's tickets */
	int late_list;        /* list the late tickets */
	int streak_rank;      /* runs of months at this rank; 0: 1 */
};

struct hl_metrics;

/*
 * Prepares to compute on st (borrowed) under s (borrowed; must outlive
 * the handle).  *out (OUT) is always set; caller frees with
 * hl_metrics_free().  Returns 0, or -1 with hl_metrics_errmsg().
 */
int hl_metrics_open(struct hl_store *st, const struct hl_settings *s,
		    struct hl_metrics **out);
void hl_metrics_free(struct hl_metrics *m);

/*
 * Computes the figures of q.  Returns a new JSON object (caller releases
 * with json_decref()), or NULL with hl_metrics_errmsg().
 */
json_t *hl_metrics_compute(struct hl_metrics *m, const struct hl_query *q);

/* The last error.  Borrowed; valid until the next call on m. */
const char *hl_metrics_errmsg(const struct hl_metrics *m);
int hl_metrics_errcode(const struct hl_metrics *m);

/*
 * The working-day calendar: util's built-in years plus the settings'.
 * A day number (days since 1970-01-01) is a working day (1), a rest day
 * (0), or not covered (-1).
 */
struct hl_calendar;

/* Caller frees with hl_calendar_free(); s is only read. */
struct hl_calendar *hl_calendar_new(const struct hl_settings *s);
void hl_calendar_free(struct hl_calendar *c);
int hl_calendar_daykind(const struct hl_calendar *c, int64_t day);

/*
 * The seconds of [t0, t1] that fall on working days (whole days of 24
 * hours), into *secs (OUT).  Returns 0, or -1 when a day on the way is not
 * covered.
 */
int hl_calendar_work_secs(const struct hl_calendar *c, hl_time t0, hl_time t1,
			  int64_t *secs);

/*
 * The deadline n working days after t: 23:59:59 of the n-th working day
 * after t's day (with inclusive set, t's day is the first when it is a
 * working day).  Returns 0 with *deadline (OUT), or -1 when the calendar
 * does not reach.
 */
int hl_calendar_deadline(const struct hl_calendar *c, hl_time t, int n,
			 int inclusive, hl_time *deadline);

#endif
