/*
 * figures.h - the figures of one period as typed values: what
 * hl_metrics_compute() hands out and every writer (JSON, tables, CSV,
 * reports) reads.  docs/figures-json.md documents their JSON form, which
 * reports/figures_json.c writes from these structs alone.
 *
 * A double that has no value (a rate of nothing, a mean of no tickets,
 * a month without a rank) is HL_FIG_NONE, a NaN: test with hl_fig_has().
 * Every string is owned by the figures and freed with them.
 */
#ifndef HL_FIGURES_H
#define HL_FIGURES_H

#include <math.h>
#include <stddef.h>

#include "store/store.h"
#include "util/util.h"

struct hl_settings;

#define HL_FIG_NONE ((double)NAN)

static inline int
hl_fig_has(double v)
{
	return !isnan(v);
}

/*
 * A period: [from, to) with a label ("2022", "2022-06") and the year it
 * belongs to (the year's months and rankings follow it).  month 0: the
 * whole year.
 */
struct hl_period {
	hl_time from, to;
	int year, month;
	char label[16];
};

/* The calendar year y, or month m (1-12) of it. */
struct hl_period hl_period_year(int y);
struct hl_period hl_period_month(int y, int m);

/* A rank or another whole number where 0 means none, as a value. */
static inline double
hl_fig_rank(int r)
{
	return r ? (double)r : HL_FIG_NONE;
}

/* A text in both languages (owned; both NULL: none). */
struct hl_text2 {
	char *en, *zh;
};

/* A ratio: its value is num / den, none when den is 0. */
struct hl_ratio {
	double num, den;
};

static inline double
hl_ratio_value(struct hl_ratio r)
{
	return r.den > 0 ? r.num / r.den : HL_FIG_NONE;
}

/* An on-time rate under the settings' rule for tickets without deadline. */
struct hl_fig_on_time {
	struct hl_ratio r;
	long late, no_deadline;
	struct hl_text2 note; /* when too many lack a deadline */
};

/* Satisfaction answers, counted by the model's code (HL_SAT_*). */
struct hl_fig_sat {
	struct hl_ratio r;
	long c[HL_SAT_COUNT];
};

/* Reopen rate; first-time fix is 1 - its value. */
struct hl_fig_reopen {
	struct hl_ratio r;
};

/* Handling hours of a group: mean, quantiles (none for a district's line
 * of the city, which has no medians), and the same period a year
 * earlier. */
struct hl_fig_dist {
	long n;
	double mean, median, p90;
};

struct hl_fig_handling {
	struct hl_fig_dist nat, work;
	int quantiles; /* median and p90 are part of it */
	long prev_n;
	double prev_mean, speedup_pct;
};

/* Handling groups: 咨询, the rest, then each category. */
#define HL_FIG_CONSULT 0
#define HL_FIG_OTHER 1
#define HL_FIG_NGROUP (2 + HL_CAT_COUNT)

/* Ordinary and key tickets, as rankings and satisfaction split them. */
enum { HL_CLS_ORDINARY, HL_CLS_KEY, HL_CLS_N };

struct hl_fig_rank_month {
	int month;
	int rank; /* 0: not ranked */
	double rate;
	long ranked_districts;
	long c[HL_SAT_COUNT];
};

/* A district's monthly ranking over the months up to the period's. */
struct hl_fig_ranking {
	struct hl_fig_rank_month months[12];
	int nmonths;
	double mean_rank;
	int ranked_months;
	int streak_rank, streak_months, streak_from, streak_to; /* 0: none */
};

/* The headline figures of a period (the city's, a district's, a month's).
 */
struct hl_fig_main {
	long tickets, cls[HL_CAT_COUNT];
	struct hl_fig_on_time on_time_closed, on_time_dispatched;
	struct hl_fig_sat sat[HL_CLS_N];
	struct hl_fig_reopen reopen;
};

struct hl_fig_month {
	int month;
	struct hl_fig_main f;
	double hand_mean[2]; /* 咨询, other */
	int rank[HL_CLS_N];  /* the district's; 0: none */
};

struct hl_fig_district {
	char *name;
	int unassigned;    /* the tickets without a district (未填区) */
	int not_in_region; /* a name the region does not know */
	struct hl_fig_main f;
	struct hl_fig_handling hand[2]; /* 咨询, other: means only */
	struct hl_fig_ranking rank[HL_CLS_N];
};

struct hl_fig_unit {
	char *name; /* NULL: a unit without a name */
	long tickets, closed, late, evaluated;
	struct hl_ratio on_time, sat, reopen;
	double hand_mean;
};

/* A unit under the supervision thresholds and why. */
struct hl_fig_reason {
	const char *figure; /* "on_time", "satisfaction", "reopen" */
	double pct, limit;
};

struct hl_fig_lagging {
	char *name;
	long tickets;
	struct hl_fig_reason why[3];
	int nwhy;
};

/* A ticket on a list: past its deadline, near it, or late. */
struct hl_fig_ticket {
	char *ticket_id, *unit;   /* NULL: none */
	hl_time deadline, closed; /* closed 0: open */
	double hours;             /* late, past or left, by the list */
};

struct hl_fig_tickets {
	struct hl_fig_ticket *v;
	size_t n;
};

struct hl_fig_count {
	char *name;
	long n;
};

/* A note that qualifies a figure ("calendar", "handling_work",
 * "on_time_closed", "on_time_dispatched"). */
struct hl_fig_note {
	const char *figure;
	struct hl_text2 text;
};

struct hl_figures {
	/* scope */
	struct hl_period period;
	char *district; /* NULL: the city */
	hl_time as_of;
	/* what they were computed under: the settings (borrowed: they
	 * outlive the figures), the calendar years and the region */
	const struct hl_settings *settings;
	int *calendar_years;
	size_t ncalendar_years;
	char *region_city, *region_source;

	struct hl_fig_main f;
	struct hl_fig_sat sat_all; /* ordinary and key together */
	struct hl_fig_count *by_channel, *by_street;
	size_t nchannels, nstreets;
	struct hl_fig_handling hand[HL_FIG_NGROUP];
	struct hl_text2 hand_note; /* working hours leave too many out */
	long hand_left_out, hand_outside_calendar;
	struct hl_fig_month months[12];

	/* rankings: the district's (has_ranking), and every district's */
	int has_ranking;
	struct hl_fig_ranking ranking[HL_CLS_N];
	char **rank_names;
	size_t nrank;
	int (*rank_table)[HL_CLS_N][12];    /* [district]: 0 none */
	double (*rate_table)[HL_CLS_N][12]; /* [district]: none as NaN */

	/* the city's districts side by side (NULL for a district) */
	struct hl_fig_district *districts;
	size_t ndistricts;

	struct hl_fig_unit *units;
	size_t nunits;
	struct hl_fig_lagging *lagging;
	size_t nlagging;
	struct hl_fig_tickets past, near, late;
	int has_late; /* the late list was asked for */

	/* quality */
	long flagged, outside_calendar, no_deadline;
	int *calendar_missing;
	size_t ncalendar_missing;
	struct hl_fig_note *notes;
	size_t nnotes;
};

void hl_figures_free(struct hl_figures *f);

/* The headline on-time rate: the one the settings' denominator names. */
const struct hl_fig_on_time *hl_fig_on_time(const struct hl_figures *f,
					    const struct hl_fig_main *m);

#endif
