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
 * A period: [from, to), a whole number of days, with a label ("2022",
 * "2022-06", "2022-Q2", "2022-H1", "2022-03-01..2022-05-31").  Its year
 * is the assessment year of its last day: the year's months and
 * rankings shown beside it are that year's, up to last_month.
 * Assessment months start on day start_day (1-28) of the calendar month
 * before (period.c): with 19, 2022-06 is 2022-05-19 to 2022-06-19.
 */
enum hl_period_kind {
	HL_PERIOD_YEAR,
	HL_PERIOD_HALF,
	HL_PERIOD_QUARTER,
	HL_PERIOD_MONTH,
	HL_PERIOD_DAYS
};

/* Their names: "year", "half", "quarter", "month", "days". */
extern const char *const hl_period_kinds[];

struct hl_period {
	hl_time from, to;
	enum hl_period_kind kind;
	int year;
	int month;                   /* HL_PERIOD_MONTH: 1-12; else 0 */
	int index;                   /* the half (1-2) or quarter (1-4) */
	int first_month, last_month; /* of the year's months, 1-12 */
	int start_day;               /* the day assessment months start on */
	char label[32];
};

/* The year y, month m (1-12), quarter q (1-4) or half h (1-2) of it, of
 * assessment months starting on day sd; the days first to last
 * (inclusive day numbers, hl_time_day()). */
struct hl_period hl_period_year(int y, int sd);
struct hl_period hl_period_month(int y, int m, int sd);
struct hl_period hl_period_quarter(int y, int q, int sd);
struct hl_period hl_period_half(int y, int h, int sd);
struct hl_period hl_period_days(int64_t first, int64_t last, int sd);

/* The same period with months starting on day sd. */
struct hl_period hl_period_restart(const struct hl_period *p, int sd);

/* "2022", "2022-06", "2022-Q2" or "2022-H1" into *out; -1 for anything
 * else. */
int hl_period_parse(const char *s, int sd, struct hl_period *out);

/* The assessment month (1-12) t falls in, and its year in *year. */
int hl_period_month_of(int sd, hl_time t, int *year);

/* Where assessment year y starts. */
hl_time hl_period_year_start(int y, int sd);

/* The period before p: the one of the same kind before it, or as many
 * days ending where it starts. */
struct hl_period hl_period_before(const struct hl_period *p);
/* The same period a year before: the same name, or the same days of the
 * calendar (29 February: 1 March). */
struct hl_period hl_period_year_back(const struct hl_period *p);

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

/* Beijing-style assessment (docs/analyses.md): the period's tickets,
 * those with any answer given, those left out of the assessment, and
 * among the valid callbacks of the rest: contacted, resolved, answers. */
struct hl_fig_assess {
	long tickets, given, left_out, valid, contacted, resolved;
	long c[HL_SAT_COUNT];
	struct hl_ratio response, resolution, satisfaction;
	double score; /* 综合成绩, 0-100; none without a valid callback */
};

/* A line of a league table: value none and rank 0 when unranked. */
struct hl_fig_league_row {
	char *name;          /* NULL: none given */
	long tickets, basis; /* the tickets; those the value is of */
	double value;
	int rank;
};

/* A league table (红黑榜): ranked lines best first, then the unranked. */
struct hl_fig_league {
	const char *figure; /* NULL: none was asked for */
	const char *level;
	struct hl_fig_league_row *v;
	size_t n, ranked;
	int top;
};

/* A topic of the period at the settings' level: its tickets, those of
 * the period before and of the same period a year before, and the
 * changes in percent (none when the earlier count is 0). */
struct hl_fig_topic {
	char *name;
	long n, before, year_before;
	double mom_pct, yoy_pct;
};

/* A topic x street cell well above its baseline. */
struct hl_fig_surge {
	char *topic, *street; /* street NULL: none given */
	long n;
	double baseline, score;
};

struct hl_fig_topics {
	int off; /* not computed: [topics] enabled = no */
	int has; /* the period's tickets have topics */
	int level;
	long with_topic; /* of the period's tickets */
	char before[32]; /* the label of the period before */
	struct hl_fig_topic *top;
	size_t ntop;
	struct hl_fig_surge *surges;
	size_t nsurges;
	int surges_judged; /* every baseline period has tickets with a topic */
	int baseline_periods;
};

/* A case of repeat calls with a ticket in the period. */
struct hl_fig_chain {
	long size, in_period;
	char *first_id, *last_id;
	hl_time first, last;
};

struct hl_fig_repeats {
	int off;      /* not computed: [repeats] enabled = no */
	long tickets; /* of the period, repeating an earlier one */
	long by_quote, by_caller;
	struct hl_ratio rate; /* tickets / the period's tickets */
	long chains;
	int callers; /* the period's tickets carry caller hashes */
	struct hl_fig_chain *largest;
	size_t nlargest;
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

	/* assessment: when the settings name a scheme */
	int has_assessment;
	struct hl_fig_assess assess;
	struct hl_fig_league league;
	struct hl_fig_topics topics;
	struct hl_fig_repeats repeats;

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
