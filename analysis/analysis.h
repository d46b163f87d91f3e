/*
 * analysis.h - the figures: volume, on-time closure, satisfaction and the
 * monthly rankings among districts, handling time and its year-over-year
 * speed-up, reopen rate, the unit league table and the supervision list,
 * each computed from the stored tickets under documented settings
 * (docs/domain.md §4; README "Metrics").
 *
 * The settings are a transparent struct with defaults, optionally read
 * from a profile (an INI file).  The working-day calendar is util's
 * built-in years plus any a profile or a calendar file adds; a figure that
 * needs a day no calendar covers leaves that ticket out, says how many and
 * names the year's file to add.  Districts are matched through a region
 * (util's hl_region).
 * Figures come back as typed structs (figures.h); reports/ writes them
 * as the JSON that docs/figures-json.md documents, as tables and as
 * reports: every figure carries its numerator and its denominator, and
 * the settings it was computed under.
 */
#ifndef HL_ANALYSIS_H
#define HL_ANALYSIS_H

#include "analysis/figures.h"
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

/* How the on-time rate counts a closed ticket that has no deadline. */
enum hl_no_deadline {
	HL_NODL_EXCLUDED, /* left out of numerator and denominator */
	HL_NODL_ON_TIME,  /* on time (Boston 311's rule) */
	HL_NODL_LATE      /* late */
};

/* An assessment scheme: none, or Beijing's 三率 and 综合成绩. */
enum hl_scheme { HL_SCHEME_NONE, HL_SCHEME_BEIJING };

/* What a league table ranks. */
enum hl_level { HL_LEVEL_DISTRICT, HL_LEVEL_STREET, HL_LEVEL_UNIT };

struct hl_settings {
	enum hl_basis basis; /* default accepted */
	int month_start_day; /* assessment months start on this day of the
			      * month before, 1-28; default 1: calendar
			      * months (figures.h) */
	enum hl_denominator denominator; /* default closed */
	double basic_weight; /* of 基本满意, 0 to 1; default 1 */
	int rank_min;        /* evaluated tickets to be ranked; default 30 */
	enum hl_start start; /* default dispatch */
	enum hl_no_deadline no_deadline; /* default excluded */
	int deadline_fill; /* compute missing deadlines from the table;
			    * default 0: a missing deadline is missing */
	int deadline_days[HL_CAT_COUNT]; /* working days per class */
	int deadline_inclusive;  /* the dispatch day is day 1 (含本数) */
	int date_only_start;     /* a deadline given as a date is its
				  * 00:00:00; default 0: its 23:59:59 */
	double near_hours;       /* supervision: due within; default 24 */
	double min_on_time;      /* units under this on-time %; default 95 */
	double min_satisfaction; /* ... or this satisfaction %; default 90 */
	double max_reopen;       /* ... or over this reopen %; default 5 */
	int min_unit_tickets;    /* units judged from this many; default 20 */
	double note_share;       /* percent of a figure's tickets left out (or
				  * counted by rule) for lack of a deadline or a
				  * calendar above which a note stands next to it;
				  * default 1 */
	struct hl_calyears cal;  /* calendar years beyond the built-in ones
				  * ([calendar YYYY] sections, --calendar) */
	char *region;            /* [region] name: built-in name or file; NULL:
				  * guangzhou */
	/* [assessment] (docs/analyses.md) */
	enum hl_scheme scheme;  /* default none */
	double as_basic_weight; /* of 基本满意 in 满意率; default 0.9 */
	double as_weight[3]; /* of 响应率, 解决率, 满意率: .1 .5 .4 */
	int as_min_valid;    /* valid callbacks to be ranked; default 1 */
	/* [topics] */
	int topics_on;     /* enabled; default 1 */
	int topic_level;   /* default 2 */
	int topic_top;     /* default 10 */
	int surge_periods; /* the baseline's periods; default 6 */
	double surge_min, surge_ratio, surge_score; /* 5, 2, 3 */
	/* [repeats] */
	int repeats_on;      /* enabled; default 1 */
	int caller_days;     /* default 30; 0 off */
	int lookback_days;   /* default 90 */
	int repeats_largest; /* default 10 */
};

/* The defaults (README "Metrics").  Release with hl_settings_release(). */
void hl_settings_init(struct hl_settings *s);
void hl_settings_release(struct hl_settings *s);

/*
 * Reads a profile into s (initialised; entries override what is there).
 * Returns 0, or -1 with err saying "PATH:LINE: message" for an unknown
 * section or key, an impossible value, or a calendar year given twice.
 */
int hl_settings_load(struct hl_settings *s, const char *path,
		     struct hl_buf *err);

/*
 * The name a profile gives the value of choice setting section.key in s
 * ("period", "basis" -> "accepted"), as the figures' JSON states it, or
 * NULL for a key that is no choice.  Static.
 */
const char *hl_settings_choice(const struct hl_settings *s, const char *section,
			       const char *key);

/* The basis (受理 ...) and the rule for tickets without a deadline
 * ("left out of this rate" ...) in words, Chinese when zh.  Static. */
const char *hl_basis_words(enum hl_basis b, int zh);
const char *hl_no_deadline_words(enum hl_no_deadline r, int zh);

/*
 * The verdict on one ticket of a period (`hotline export`): what the
 * figures decided for it, by the same rules and at the same as-of time.
 */

/* Where a ticket's deadline came from. */
enum hl_deadline_source {
	HL_DLS_EXPORT,   /* the export's cell */
	HL_DLS_COMPUTED, /* working days by category ([deadlines] fill) */
	HL_DLS_NONE      /* none: no cell, and none computed */
};

/* A ticket by its deadline, closed or at the as-of time. */
enum hl_verdict_status {
	HL_VS_ON_TIME,         /* closed on or before its deadline */
	HL_VS_LATE,            /* closed after it */
	HL_VS_NO_DEADLINE,     /* closed, without one */
	HL_VS_OPEN,            /* open, its deadline not passed */
	HL_VS_OPEN_OVERDUE,    /* open, its deadline passed */
	HL_VS_OPEN_NO_DEADLINE /* open, without one */
};

/* How the headline on-time rate (the settings' denominator and rule for
 * tickets without a deadline) counts a ticket. */
enum hl_verdict_count {
	HL_VC_ON_TIME,  /* in the numerator and the denominator */
	HL_VC_LATE,     /* late: in the denominator, not the numerator */
	HL_VC_PENDING,  /* in the denominator only: open and not (yet) late */
	HL_VC_LEFT_OUT, /* in neither */
};

/* Whether a ticket's handling time counts. */
enum hl_verdict_handling {
	HL_VH_OPEN,     /* open: none yet */
	HL_VH_COUNTED,  /* closed: natural hours count */
	HL_VH_LEFT_OUT, /* closed before its start (or before accepted) */
};

/* How a ticket repeats an earlier one (bits). */
#define HL_REPEAT_QUOTE 1  /* its content quotes the earlier ID */
#define HL_REPEAT_CALLER 2 /* the same caller, topic and street */

/* Their names as `hotline export` writes them ("export", "on_time",
 * "pending", "left_out" ...), indexed by the enums. */
extern const char *const hl_deadline_source_names[3];
extern const char *const hl_verdict_status_names[6];
extern const char *const hl_verdict_count_names[4];

struct hl_ticket_verdict {
	const char *ticket_id;           /* as exported (工单编号) */
	const char *district;            /* the district's name; NULL none */
	const char *street, *unit;       /* as stored; NULL none */
	const struct hl_store_ticket *v; /* the ticket as read: times,
					  * category, key, satisfaction,
					  * reopen, quality */
	hl_time as_of;                   /* open tickets are judged at */
	hl_time deadline;                /* unless dl_source is none */
	enum hl_deadline_source dl_source;
	enum hl_verdict_status status;
	enum hl_verdict_count counted;
	int64_t late_secs; /* closed late: after the deadline; open overdue:
			    * past it at the as-of; else 0 */
	enum hl_verdict_handling handling;
	int64_t nat_secs, work_secs; /* when counted */
	int work_ok;                 /* a calendar covers its days */
	const char *repeat_case; /* the first ticket ID of its case of repeat
				  * calls (two or more tickets); NULL none */
	int repeat;              /* HL_REPEAT_* bits: how it repeats */
};

/* Called once per ticket; every pointer of v is borrowed for the call. */
typedef void hl_verdict_fn(void *arg, const struct hl_ticket_verdict *v);

/* What to compute. */
struct hl_query {
	struct hl_period period; /* required; computed with months starting
				  * on the settings' month_start_day */
	const char *district;    /* a district's name, or NULL for the city */
	hl_time as_of;           /* "now" for open tickets; 0: the latest time
				  * among the period's tickets */
	int late_list;           /* list the late tickets */
	int streak_rank;         /* runs of months at this rank; 0: 1 */
	const char *league;      /* the figure a league table ranks by
				  * (hl_league_figures), or NULL: none */
	enum hl_level league_level;
	int league_top; /* the first and last n; 0: 10 */
	/* When set, after the figures: each(each_arg, verdict) for every
	 * ticket of the period they count, in the store's order. */
	hl_verdict_fn *each;
	void *each_arg;
};

/* The figures a league table ranks by: "score", "response", "resolution",
 * "satisfaction", "on_time", "tickets"; NULL-terminated. */
extern const char *const hl_league_figures[];
/* The names of enum hl_level: "district", "street", "unit". */
extern const char *const hl_level_names[];

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
 * Computes the figures of q.  Returns them (caller frees with
 * hl_figures_free(); they borrow m's settings), or NULL with
 * hl_metrics_errmsg().
 */
struct hl_figures *hl_metrics_compute(struct hl_metrics *m,
				      const struct hl_query *q);

/*
 * 0 when the period of f has tickets; else -1 with err saying so,
 * naming the district (or the city) and the period: figures of nothing
 * are all zeros, which a report must never print as if they were true.
 */
int hl_figures_require_tickets(const struct hl_figures *f, struct hl_buf *err);

/* The last error.  Borrowed; valid until the next call on m. */
const char *hl_metrics_errmsg(const struct hl_metrics *m);
int hl_metrics_errcode(const struct hl_metrics *m);

#endif
