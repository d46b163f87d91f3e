/*
 * check_analysis.c - tests of the metrics: the working-day calendar, the
 * profiles and their errors, and the figures of small hand-made exports
 * (ingested as a user would) whose expected values are worked out by hand
 * in the comments: ties and minimums in the rankings, months without
 * evaluations, runs of months, tickets across holidays and make-up
 * Saturdays, the 2023 New Year holiday starting 2022-12-31, open tickets,
 * both on-time denominators, and every setting.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "reports/reports.h"
#include "check_main.h"
#include "figures_test.h"
#include "store/priv.h"
#include "ingest/ingest.h"
#include "util/util.h"

#include <sqlite3.h>

extern const char hl_sql_district_tickets[];
extern const char hl_sql_district_closed[];
extern const char hl_sql_city_tickets[];
extern const char hl_sql_city_closed[];

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/hl-analysis-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	static const char *const names[] = {
	    "t.csv", "t.db", "t.db-wal", "t.db-shm", "t.db-journal", "p.ini"};
	char p[160];
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(names); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void
write_file(const char *name, const char *text)
{
	char p[160];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* ---- the calendar ---- */

static hl_time
at(int y, int mo, int d, int h, int mi)
{
	return hl_time_make(y, mo, d, h, mi, 0);
}

START_TEST(test_calendar_builtin)
{
	struct hl_settings s;
	struct hl_buf err = HL_BUF_INIT;
	struct hl_calendar *c;
	int64_t w;
	hl_time dl;

	hl_settings_init(&s);
	ck_assert_int_eq(hl_calendar_new(&s.cal, &c, &err), 0);
	/*
	 * Friday 2022-09-30 17:00 to Saturday 2022-10-08 10:00: 10-01 to
	 * 10-07 are the National Day holiday, 10-08 a make-up working day,
	 * so 7 h on the Friday and 10 h on the Saturday.
	 */
	ck_assert_int_eq(hl_calendar_work_secs(c, at(2022, 9, 30, 17, 0),
					       at(2022, 10, 8, 10, 0), &w),
			 0);
	ck_assert_int_eq(w, 17 * 3600);
	/*
	 * Friday 2022-12-30 12:00 to Tuesday 2023-01-03 12:00: 12-31 (the
	 * first day of the 2023 New Year holiday, a Saturday), 01-01 and
	 * the holiday Monday 01-02 are rest days: 12 h + 12 h.
	 */
	ck_assert_int_eq(hl_calendar_work_secs(c, at(2022, 12, 30, 12, 0),
					       at(2023, 1, 3, 12, 0), &w),
			 0);
	ck_assert_int_eq(w, 24 * 3600);
	ck_assert_int_eq(
	    hl_calendar_daykind(c, hl_days_from_civil(2022, 12, 31)),
	    HL_DAY_REST);
	/* Within one working day, and within one rest day. */
	ck_assert_int_eq(hl_calendar_work_secs(c, at(2022, 3, 1, 9, 0),
					       at(2022, 3, 1, 9, 30), &w),
			 0);
	ck_assert_int_eq(w, 1800);
	ck_assert_int_eq(hl_calendar_work_secs(c, at(2022, 10, 3, 9, 0),
					       at(2022, 10, 3, 18, 0), &w),
			 0);
	ck_assert_int_eq(w, 0);
	/* Three working days after Friday 2022-12-30: 01-03, 01-04, 01-05;
	 * counting the 30th itself: 12-30, 01-03, 01-04. */
	ck_assert_int_eq(
	    hl_calendar_deadline(c, at(2022, 12, 30, 15, 0), 3, 0, &dl), 0);
	ck_assert_int_eq(dl, hl_time_make(2023, 1, 5, 23, 59, 59));
	ck_assert_int_eq(
	    hl_calendar_deadline(c, at(2022, 12, 30, 15, 0), 3, 1, &dl), 0);
	ck_assert_int_eq(dl, hl_time_make(2023, 1, 4, 23, 59, 59));
	/*
	 * Two working days after Sunday 2025-09-28 (a make-up working day)
	 * counting it: 09-28 and 09-29; after it: 09-29, 09-30.
	 */
	ck_assert_int_eq(
	    hl_calendar_deadline(c, at(2025, 9, 28, 10, 0), 2, 1, &dl), 0);
	ck_assert_int_eq(dl, hl_time_make(2025, 9, 29, 23, 59, 59));
	ck_assert_int_eq(
	    hl_calendar_deadline(c, at(2025, 9, 28, 10, 0), 2, 0, &dl), 0);
	ck_assert_int_eq(dl, hl_time_make(2025, 9, 30, 23, 59, 59));
	/* Outside 2020-2026 nothing is guessed. */
	ck_assert_int_eq(hl_calendar_work_secs(c, at(2019, 12, 31, 9, 0),
					       at(2020, 1, 2, 9, 0), &w),
			 -1);
	ck_assert_int_eq(
	    hl_calendar_deadline(c, at(2026, 12, 30, 9, 0), 5, 0, &dl), -1);
	hl_calendar_free(c);
	hl_settings_release(&s);
	hl_buf_release(&err);
}
END_TEST

START_TEST(test_calendar_extra_years)
{
	struct hl_settings s;
	struct hl_buf err = HL_BUF_INIT;
	struct hl_calendar *c;
	char path[160];
	int64_t w;

	hl_settings_init(&s);
	/* Made-up days: 2028-01-01 is a Saturday. */
	write_file("p.ini", "[calendar 2028]\n"
			    "holidays = 2028-01-01..2028-01-03\n"
			    "workdays = 2028-01-08\n");
	snprintf(path, sizeof(path), "%s/p.ini", dir);
	ck_assert_msg(hl_settings_load(&s, path, &err) == 0, "%s", err.data);
	ck_assert_int_eq(hl_calendar_new(&s.cal, &c, &err), 0);
	ck_assert_int_eq(hl_calendar_daykind(c, hl_days_from_civil(2028, 1, 3)),
			 HL_DAY_REST);
	/* Saturday 01-08 is worked, Sunday 01-09 is not. */
	ck_assert_int_eq(hl_calendar_daykind(c, hl_days_from_civil(2028, 1, 8)),
			 HL_DAY_WORK);
	ck_assert_int_eq(hl_calendar_daykind(c, hl_days_from_civil(2028, 1, 9)),
			 HL_DAY_REST);
	ck_assert_int_eq(hl_calendar_daykind(c, hl_days_from_civil(2028, 1, 4)),
			 HL_DAY_WORK);
	/* 2027 lies between the built-in years and 2028: not covered. */
	ck_assert_int_eq(hl_calendar_daykind(c, hl_days_from_civil(2027, 6, 1)),
			 HL_DAY_UNKNOWN);
	ck_assert_int_eq(hl_calendar_work_secs(c, at(2026, 12, 31, 12, 0),
					       at(2028, 1, 5, 12, 0), &w),
			 -1);
	/* 2028-01-01 00:00 to 01-04 12:00: only the Tuesday morning. */
	ck_assert_int_eq(hl_calendar_work_secs(c, at(2028, 1, 1, 0, 0),
					       at(2028, 1, 4, 12, 0), &w),
			 0);
	ck_assert_int_eq(w, 12 * 3600);
	hl_calendar_free(c);
	hl_settings_release(&s);
	hl_buf_release(&err);
}
END_TEST

/* ---- profiles ---- */

START_TEST(test_profile_good)
{
	struct hl_settings s;
	struct hl_buf err = HL_BUF_INIT;
	char path[160];

	hl_settings_init(&s);
	ck_assert_int_eq(s.basis, HL_BASIS_ACCEPTED);
	ck_assert_int_eq(s.rank_min, 30);
	ck_assert_int_eq(s.deadline_days[0], 2);
	write_file("p.ini", "; every key\n"
			    "[period]\nbasis = closed\n"
			    "[on_time]\ndenominator = dispatched\n"
			    "no_deadline = on_time\n"
			    "[satisfaction]\nbasic_weight = 0.9\n"
			    "[ranking]\nmin_evaluated = 5\n"
			    "[handling]\nstart = accept\n"
			    "[deadlines]\ndays_counted = inclusive\n"
			    "complaint = 13\nconsult = 1\nfill = table\n"
			    "date_only = start_of_day\n"
			    "[quality]\nnote_share = 5\n"
			    "[region]\nname = beijing\n"
			    "[supervision]\nnear_hours = 48\n"
			    "min_on_time = 99.5\nmin_satisfaction = 80\n"
			    "max_reopen = 2.5\nmin_tickets = 3\n");
	snprintf(path, sizeof(path), "%s/p.ini", dir);
	ck_assert_msg(hl_settings_load(&s, path, &err) == 0, "%s", err.data);
	ck_assert_int_eq(s.basis, HL_BASIS_CLOSED);
	ck_assert_int_eq(s.denominator, HL_DENOM_DISPATCHED);
	ck_assert_double_eq(s.basic_weight, 0.9);
	ck_assert_int_eq(s.rank_min, 5);
	ck_assert_int_eq(s.start, HL_START_ACCEPT);
	ck_assert_int_eq(s.deadline_inclusive, 1);
	ck_assert_int_eq(s.deadline_days[2], 13);
	ck_assert_int_eq(s.deadline_days[0], 1);
	ck_assert_int_eq(s.deadline_days[1], 5); /* untouched */
	ck_assert_double_eq(s.near_hours, 48);
	ck_assert_double_eq(s.min_on_time, 99.5);
	ck_assert_double_eq(s.max_reopen, 2.5);
	ck_assert_int_eq(s.min_unit_tickets, 3);
	ck_assert_int_eq(s.no_deadline, HL_NODL_ON_TIME);
	ck_assert_int_eq(s.deadline_fill, 1);
	ck_assert_int_eq(s.date_only_start, 1);
	ck_assert_double_eq(s.note_share, 5);
	ck_assert_str_eq(s.region, "beijing");
	hl_settings_release(&s);
	hl_buf_release(&err);
}
END_TEST

/* profiles/default.ini, shipped as documentation, is the defaults. */
START_TEST(test_profile_default_file)
{
	struct hl_settings s, d;
	struct hl_buf err = HL_BUF_INIT;

	hl_settings_init(&s);
	hl_settings_init(&d);
	/* Start from other values, so that every key must be read. */
	s.basis = HL_BASIS_CLOSED;
	s.denominator = HL_DENOM_DISPATCHED;
	s.basic_weight = 0.5;
	s.rank_min = 1;
	s.start = HL_START_ACCEPT;
	s.deadline_inclusive = 1;
	memset(s.deadline_days, 0, sizeof(s.deadline_days));
	s.near_hours = s.min_on_time = s.min_satisfaction = s.max_reopen = 1;
	s.min_unit_tickets = 1;
	s.no_deadline = HL_NODL_LATE;
	s.deadline_fill = 1;
	s.date_only_start = 1;
	s.note_share = 50;
	ck_assert_msg(
	    hl_settings_load(&s, HL_TEST_DATA "/../../profiles/default.ini",
			     &err) == 0,
	    "%s", err.data);
	ck_assert_int_eq(s.basis, d.basis);
	ck_assert_int_eq(s.denominator, d.denominator);
	ck_assert_double_eq(s.basic_weight, d.basic_weight);
	ck_assert_int_eq(s.rank_min, d.rank_min);
	ck_assert_int_eq(s.start, d.start);
	ck_assert_int_eq(s.deadline_inclusive, d.deadline_inclusive);
	ck_assert_mem_eq(s.deadline_days, d.deadline_days,
			 sizeof(d.deadline_days));
	ck_assert_double_eq(s.near_hours, d.near_hours);
	ck_assert_double_eq(s.min_on_time, d.min_on_time);
	ck_assert_double_eq(s.min_satisfaction, d.min_satisfaction);
	ck_assert_double_eq(s.max_reopen, d.max_reopen);
	ck_assert_int_eq(s.min_unit_tickets, d.min_unit_tickets);
	ck_assert_int_eq(s.no_deadline, d.no_deadline);
	ck_assert_int_eq(s.deadline_fill, d.deadline_fill);
	ck_assert_int_eq(s.date_only_start, d.date_only_start);
	ck_assert_double_eq(s.note_share, d.note_share);
	ck_assert_int_eq(s.month_start_day, d.month_start_day);
	ck_assert_int_eq(s.scheme, d.scheme);
	ck_assert_double_eq(s.as_basic_weight, d.as_basic_weight);
	ck_assert_mem_eq(s.as_weight, d.as_weight, sizeof(s.as_weight));
	ck_assert_int_eq(s.as_min_valid, d.as_min_valid);
	ck_assert_int_eq(s.topics_on, d.topics_on);
	ck_assert_int_eq(s.repeats_on, d.repeats_on);
	ck_assert_int_eq(s.topic_level, d.topic_level);
	ck_assert_int_eq(s.topic_top, d.topic_top);
	ck_assert_int_eq(s.surge_periods, d.surge_periods);
	ck_assert_double_eq(s.surge_min, d.surge_min);
	ck_assert_double_eq(s.surge_ratio, d.surge_ratio);
	ck_assert_double_eq(s.surge_score, d.surge_score);
	ck_assert_int_eq(s.caller_days, d.caller_days);
	ck_assert_int_eq(s.lookback_days, d.lookback_days);
	ck_assert_int_eq(s.repeats_largest, d.repeats_largest);
	ck_assert_str_eq(s.region, "guangzhou");
	ck_assert_uint_eq(s.cal.n, 0);
	hl_settings_release(&s);
	hl_settings_release(&d);
	hl_buf_release(&err);
}
END_TEST

static const struct {
	const char *text, *want;
} bad_profiles[] = {
    {"[period]\nbasis = month\n",
     "p.ini:2: [period] basis: 'month' is not one of accepted, dispatched "
     "or closed"},
    {"[ranking]\nminimum = 3\n", "p.ini:2: unknown key 'minimum' in "
				 "[ranking]"},
    {"\n[rank]\nmin_evaluated = 3\n", "p.ini:3: unknown section [rank]"},
    {"[satisfaction]\nbasic_weight = 1.5\n",
     "p.ini:2: [satisfaction] basic_weight: '1.5' is too large (0 to 1)"},
    {"[ranking]\nmin_evaluated = 0\n",
     "p.ini:2: [ranking] min_evaluated: '0' is too small (1 to 1e+06)"},
    {"[deadlines]\nconsult = 2\nconsult = 3\n",
     "p.ini:3: [deadlines] consult given twice (first on line 2)"},
    {"[deadlines]\nconsulting = 2\n", "p.ini:2: unknown key 'consulting' in "
				      "[deadlines]"},
    {"[calendar 2025]\nholidays = 2025-01-01\nholidays = 2025-01-01\n",
     "p.ini:3: 2025-01-01 is listed twice"},
    {"[on_time]\nno_deadline = ignored\n",
     "p.ini:2: [on_time] no_deadline: 'ignored' is not one of excluded, "
     "on_time or late"},
    {"[deadlines]\nfill = always\n",
     "p.ini:2: [deadlines] fill: 'always' is not one of none or table"},
    {"[deadlines]\ndate_only = noon\n",
     "p.ini:2: [deadlines] date_only: 'noon' is not one of end_of_day or "
     "start_of_day"},
    {"[period]\nmonth_start_day = 29\n",
     "p.ini:2: [period] month_start_day: '29' is too large (1 to 28)"},
    {"[assessment]\nscheme = shanghai\n",
     "p.ini:2: [assessment] scheme: 'shanghai' is not one of none or "
     "beijing"},
    {"[topics]\nlevel = 6\n",
     "p.ini:2: [topics] level: '6' is too large (1 to 5)"},
    {"[quality]\nnote_share = 101\n",
     "p.ini:2: [quality] note_share: '101' is too large (0 to 100)"},
    {"[calendar 2025]\nholidays = 2025-02-30\n",
     "p.ini:2: '2025-02-30' is not a date (YYYY-MM-DD)"},
    {"[calendar 2025]\nholidays = 2025-02-03..2025-02-01\n",
     "p.ini:2: '2025-02-03..2025-02-01' ends before it starts"},
    {"[calendar 2025]\nworkdays = 2026-01-04\n",
     "p.ini:2: 2026-01-04 is not in 2025"},
    {"[calendar 2025]\nholidays = 2025-01-01\n[calendar 2026]\n"
     "holidays = 2026-01-01\n[calendar 2025]\nworkdays = 2025-01-26\n",
     "p.ini:6: [calendar 2025] given twice"},
    {"[calendar 25]\nholidays = 2025-01-01\n",
     "p.ini:2: [calendar 25]: '25' is not a year from 1901 to 2198"},
    {"[handling]\nstart\n", "p.ini:2: malformed line"},
};

START_TEST(test_profile_bad)
{
	struct hl_settings s;
	struct hl_buf err = HL_BUF_INIT;
	char path[160], *got;

	hl_settings_init(&s);
	write_file("p.ini", bad_profiles[_i].text);
	snprintf(path, sizeof(path), "%s/p.ini", dir);
	ck_assert_int_eq(hl_settings_load(&s, path, &err), -1);
	got = strstr(err.data, "p.ini:");
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(strncmp(got, bad_profiles[_i].want,
			      strlen(bad_profiles[_i].want)) == 0,
		      "got '%s', want '%s'", got, bad_profiles[_i].want);
	hl_settings_release(&s);
	hl_buf_release(&err);
}
END_TEST

/* ---- figures of hand-made exports ---- */

#define HEAD                                                                                             \
	"工单编号,受理时间,来源渠道,诉求类型,是否重点工单,所属区,所属街道," \
	"承办单位,派单时间,签收时间,办理时限,办结时间,工单状态,满意度,"       \
	"重办次数,诉求内容\n"

/* Ingests csv into a new database; returns the open store. */
static struct hl_store *
load(const char *csv)
{
	return hl_test_load(dir, csv);
}

/* Sets q's period: year y, or its month m (1-12). */
static void
set_period(struct hl_query *q, int y, int m)
{
	q->period = m ? hl_period_month(y, m, 1) : hl_period_year(y, 1);
}

#define compute hl_test_compute
#define get hl_test_get
#define num hl_test_num

static int
is_null(json_t *f, const char *path)
{
	return json_is_null(get(f, path));
}

#define EQ(f, path, want) ck_assert_double_eq_tol(num(f, path), want, 1e-9)

/* The notes of f but the one on days without tickets ("coverage"), which
 * the hand-made sets, a few tickets a year, always carry. */
static size_t
notes_but_coverage(json_t *f)
{
	json_t *v;
	size_t i, n = 0;

	json_array_foreach(get(f, "notes"), i, v) n +=
	    strcmp(json_string_value(json_object_get(v, "figure")),
		   "coverage") != 0;
	return n;
}

/*
 * Rankings.  Ordinary tickets, rank_min 1 unless said:
 *   January:  荔湾 3 满意 1 不满意 (0.75), 越秀 the same (0.75),
 *             海珠 4 满意 (1.00), 天河 1 满意 3 不满意 (0.25)
 *             -> 海珠 1, 荔湾 2, 越秀 2, 天河 4 (a tie, then a gap).
 *   February: 荔湾 2 满意 (1.00), 越秀 1 满意 1 基本满意 (1.00 at
 *             weight 1, 0.75 at 0.5), 海珠 1 不满意 (0.00), 天河 one
 *             not evaluated (unranked: no evaluation)
 *             -> 荔湾 1, 越秀 1, 海珠 3.
 *   March:    nobody evaluated: nobody ranked.
 * Key tickets: 荔湾 满意 in October, November and December, 越秀 满意 in
 * October and 不满意 in November and December: 荔湾 is first each month
 * (tied in October), a run of three months ending with the year.
 */
static const char rank_csv[] =
    HEAD "A01,2022-01-03 09:00,电话,咨询,否,荔湾区,,,,,,,,满意,0,\n"
	 "A02,2022-01-03 09:00,电话,咨询,否,荔湾区,,,,,,,,满意,0,\n"
	 "A03,2022-01-03 09:00,电话,咨询,否,荔湾区,,,,,,,,满意,0,\n"
	 "A04,2022-01-03 09:00,电话,咨询,否,荔湾区,,,,,,,,不满意,0,\n"
	 "A05,2022-01-03 09:00,电话,咨询,否,越秀区,,,,,,,,满意,0,\n"
	 "A06,2022-01-03 09:00,电话,咨询,否,越秀区,,,,,,,,满意,0,\n"
	 "A07,2022-01-03 09:00,电话,咨询,否,越秀区,,,,,,,,满意,0,\n"
	 "A08,2022-01-03 09:00,电话,咨询,否,越秀区,,,,,,,,不满意,0,\n"
	 "A09,2022-01-03 09:00,电话,咨询,否,海珠区,,,,,,,,满意,0,\n"
	 "A10,2022-01-03 09:00,电话,咨询,否,海珠区,,,,,,,,满意,0,\n"
	 "A11,2022-01-03 09:00,电话,咨询,否,海珠区,,,,,,,,满意,0,\n"
	 "A12,2022-01-03 09:00,电话,咨询,否,海珠区,,,,,,,,满意,0,\n"
	 "A13,2022-01-03 09:00,电话,咨询,否,天河区,,,,,,,,满意,0,\n"
	 "A14,2022-01-03 09:00,电话,咨询,否,天河区,,,,,,,,不满意,0,\n"
	 "A15,2022-01-03 09:00,电话,咨询,否,天河区,,,,,,,,不满意,0,\n"
	 "A16,2022-01-03 09:00,电话,咨询,否,天河区,,,,,,,,不满意,0,\n"
	 "B01,2022-02-07 09:00,电话,咨询,否,荔湾区,,,,,,,,满意,0,\n"
	 "B02,2022-02-07 09:00,电话,咨询,否,荔湾区,,,,,,,,满意,0,\n"
	 "B03,2022-02-07 09:00,电话,咨询,否,越秀区,,,,,,,,满意,0,\n"
	 "B04,2022-02-07 09:00,电话,咨询,否,越秀区,,,,,,,,基本满意,0,\n"
	 "B05,2022-02-07 09:00,电话,咨询,否,海珠区,,,,,,,,不满意,0,\n"
	 "B06,2022-02-07 09:00,电话,咨询,否,天河区,,,,,,,,未评价,0,\n"
	 "C01,2022-03-07 09:00,电话,咨询,否,荔湾区,,,,,,,,,0,\n"
	 "K01,2022-10-10 09:00,电话,咨询,是,荔湾区,,,,,,,,满意,0,\n"
	 "K02,2022-10-10 09:00,电话,咨询,是,越秀区,,,,,,,,满意,0,\n"
	 "K03,2022-11-10 09:00,电话,咨询,是,荔湾区,,,,,,,,满意,0,\n"
	 "K04,2022-11-10 09:00,电话,咨询,是,越秀区,,,,,,,,不满意,0,\n"
	 "K05,2022-12-10 09:00,电话,咨询,是,荔湾,,,,,,,,满意,0,\n"
	 "K06,2022-12-10 09:00,电话,咨询,是,越秀区,,,,,,,,不满意,0,\n";

START_TEST(test_ranking)
{
	struct hl_store *store = load(rank_csv);
	struct hl_settings s;
	struct hl_query q;
	json_t *f;

	hl_settings_init(&s);
	s.rank_min = 1;
	memset(&q, 0, sizeof(q));
	set_period(&q, 2022, 0);
	q.district = "荔湾区";
	f = compute(store, &s, &q);
	EQ(f, "ranking.ordinary.months.0.rank", 2);
	EQ(f, "ranking.ordinary.months.0.ranked_districts", 4);
	EQ(f, "ranking.ordinary.months.1.rank", 1);
	EQ(f, "ranking.ordinary.months.1.ranked_districts", 3);
	ck_assert(is_null(f, "ranking.ordinary.months.2.rank"));
	ck_assert(is_null(f, "ranking.ordinary.months.2.rate"));
	/* Mean of the ranked months only: (2 + 1) / 2. */
	EQ(f, "ranking.ordinary.mean_rank", 1.5);
	EQ(f, "ranking.ordinary.ranked_months", 2);
	EQ(f, "ranking.ordinary.streak.months", 1);
	EQ(f, "ranking.ordinary.streak.from", 2);
	/* Key: first in October (tied), November and December ("荔湾" is
	 * 荔湾区). */
	EQ(f, "ranking.key.months.9.rank", 1);
	EQ(f, "ranking.key.streak.months", 3);
	EQ(f, "ranking.key.streak.from", 10);
	EQ(f, "ranking.key.streak.to", 12);
	EQ(f, "ranking.key.mean_rank", 1);
	json_decref(f);

	/*
	 * The city's line for each district, from the same pass: districts
	 * in code order (天河 海珠 荔湾 越秀), 荔湾区's as above, with the
	 * answers behind January's rate (3 满意, 1 不满意).
	 */
	q.district = NULL;
	f = compute(store, &s, &q);
	ck_assert_int_eq(json_array_size(get(f, "districts")), 4);
	ck_assert_str_eq(json_string_value(get(f, "districts.2.district")),
			 "荔湾区");
	/* January 4, February 2, March 1, key 3 (K05 is 荔湾). */
	EQ(f, "districts.2.tickets", 4 + 2 + 1 + 3);
	EQ(f, "districts.2.ranking.ordinary.months.0.rank", 2);
	EQ(f, "districts.2.ranking.ordinary.months.0.satisfied", 3);
	EQ(f, "districts.2.ranking.ordinary.months.0.unsatisfied", 1);
	EQ(f, "districts.2.ranking.ordinary.mean_rank", 1.5);
	EQ(f, "districts.2.ranking.key.streak.months", 3);
	EQ(f, "districts.2.satisfaction.key.satisfied", 3);
	EQ(f, "districts.1.ranking.ordinary.months.0.rank", 1); /* 海珠 */
	EQ(f, "districts.0.ranking.ordinary.months.0.rank", 4); /* 天河 */
	EQ(f, "districts.0.ranking.ordinary.months.1.not_evaluated", 1);
	EQ(f, "districts.3.satisfaction.key.unsatisfied", 2); /* 越秀 */
	json_decref(f);

	/* 越秀区 shares rank 2 in January; 天河区 is fourth, not third. */
	q.district = "越秀区";
	f = compute(store, &s, &q);
	EQ(f, "ranking.ordinary.months.0.rank", 2);
	EQ(f, "ranking.ordinary.months.1.rank", 1);
	EQ(f, "ranking.key.months.10.rank", 2);
	json_decref(f);
	q.district = "天河区";
	f = compute(store, &s, &q);
	EQ(f, "ranking.ordinary.months.0.rank", 4);
	ck_assert(is_null(f, "ranking.ordinary.months.1.rank"));
	/* The run at rank 4, asked for. */
	json_decref(f);
	q.streak_rank = 4;
	f = compute(store, &s, &q);
	EQ(f, "ranking.ordinary.streak.rank", 4);
	EQ(f, "ranking.ordinary.streak.months", 1);
	json_decref(f);
	q.streak_rank = 0;

	/* Weight 0.5: 越秀区's February rate is 0.75, second to 荔湾区. */
	s.basic_weight = 0.5;
	q.district = "越秀区";
	f = compute(store, &s, &q);
	EQ(f, "ranking.ordinary.months.1.rank", 2);
	EQ(f, "ranking.ordinary.months.1.rate", 0.75);
	EQ(f, "months.1.satisfaction.ordinary.numerator", 1.5);
	EQ(f, "months.1.satisfaction.ordinary.denominator", 2);
	json_decref(f);

	/* At least 2 evaluated: 海珠区 (1 in February) drops out. */
	s.basic_weight = 1;
	s.rank_min = 2;
	q.district = "海珠区";
	f = compute(store, &s, &q);
	EQ(f, "ranking.ordinary.months.0.rank", 1);
	ck_assert(is_null(f, "ranking.ordinary.months.1.rank"));
	EQ(f, "ranking.ordinary.months.1.ranked_districts", 2);
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

/*
 * One district, 2022 and 2021.  Units 甲 and 乙.  As of 2022-12-20 12:00:
 *   T1 咨询, accepted Tue 03-01 09:00, not dispatched, closed 09:30,
 *      deadline 03-03: on time; 0.5 h.
 *   T2 投诉, dispatched Fri 09-30 17:00 (accepted 16:00), closed Sat
 *      10-08 10:00, deadline 10-10: on time; 185 h, working 17 h (the
 *      National Day holiday between, 10-08 a make-up working day);
 *      reopened once.
 *   T3 求助, dispatched Wed 06-01 09:00, no deadline given: 5 working
 *      days after 06-01 skip the Dragon Boat holiday 06-03 and the
 *      weekend: 06-02, 06-06, 06-07, 06-08, 06-09, so 06-09 23:59:59;
 *      closed 06-10 10:00: late.  217 h, working 15 + 24 + 4 x 24 + 10 =
 *      145 h.
 *   T4 举报, dispatched 12-01 11:00, deadline 12-05, open: past its
 *      deadline at the as-of time.
 *   T5 建议, dispatched 12-20 09:00, deadline 12-20 20:00, open: 8 h left.
 *   T6 咨询, dispatched 03-02 10:30 (accepted 10:00), closed 12:30,
 *      deadline 03-04: on time; 2 h (2.5 h from acceptance); reopen
 *      count not given.
 *   T7 其他, accepted 05-05, closed 05-04: flagged, on time, left out of
 *      handling time.
 * 2021: T8 咨询 accepted 03-01 09:00, closed 11:30 (2.5 h); T9 投诉
 *      dispatched 04-01 10:00, closed 04-20 10:00 (456 h).
 */
static const char period_csv[] =
    HEAD "T1,2022-03-01 09:00,电话,咨询,否,荔湾区,沙面街,甲,,,2022-03-03 "
	 "23:59:59,2022-03-01 09:30,已办结,,0,\n"
	 "T2,2022-09-30 16:00,电话,投诉,否,荔湾区,沙面街,甲,2022-09-30 "
	 "17:00,,2022-10-10 23:59:59,2022-10-08 10:00,已办结,,1,\n"
	 "T3,2022-06-01 08:00,电话,求助,否,荔湾区,多宝街,甲,2022-06-01 "
	 "09:00,,,2022-06-10 10:00,已办结,,0,\n"
	 "T4,2022-12-01 10:00,电话,举报,否,荔湾区,多宝街,乙,2022-12-01 "
	 "11:00,,2022-12-05 23:59:59,,办理中,,,\n"
	 "T5,2022-12-20 08:00,电话,建议,否,荔湾区,多宝街,乙,2022-12-20 "
	 "09:00,,2022-12-20 20:00,,办理中,,,\n"
	 "T6,2022-03-02 10:00,微信公众号,咨询,否,荔湾区,沙面街,乙,2022-03-02 "
	 "10:30,,2022-03-04 23:59:59,2022-03-02 12:30,已办结,,,\n"
	 "T7,2022-05-05 10:00,电话,其他,否,荔湾区,沙面街,乙,,,2022-05-10 "
	 "23:59:59,2022-05-04 10:00,已办结,,0,\n"
	 "T8,2021-03-01 09:00,电话,咨询,否,荔湾区,沙面街,甲,,,,2021-03-01 "
	 "11:30,已办结,,0,\n"
	 "T9,2021-04-01 09:00,电话,投诉,否,荔湾区,沙面街,甲,2021-04-01 "
	 "10:00,,,2021-04-20 10:00,已办结,,0,\n";

static json_t *
period(struct hl_store *store, const struct hl_settings *s, int late)
{
	struct hl_query q;

	memset(&q, 0, sizeof(q));
	set_period(&q, 2022, 0);
	q.district = "荔湾区";
	q.as_of = hl_time_make(2022, 12, 20, 12, 0, 0);
	q.late_list = late;
	return compute(store, s, &q);
}

START_TEST(test_on_time_and_reopen)
{
	struct hl_store *store = load(period_csv);
	struct hl_settings s;
	json_t *f;

	hl_settings_init(&s);
	/*
	 * By default a missing deadline stays missing: T3 has none and is
	 * left out of both on-time rates, with a note (1 of 5 closed,
	 * 20 %, is more than the default 1 %).
	 */
	f = period(store, &s, 1);
	EQ(f, "tickets", 7);
	EQ(f, "volume.consult", 2);
	EQ(f, "volume.other", 5);
	EQ(f, "on_time.numerator", 4);
	EQ(f, "on_time.denominator", 4);
	EQ(f, "on_time.value", 1);
	EQ(f, "on_time.late", 0);
	EQ(f, "on_time.no_deadline", 1);
	ck_assert_ptr_nonnull(get(f, "on_time.note.en"));
	ck_assert_ptr_nonnull(
	    strstr(json_string_value(get(f, "on_time.note.en")),
		   "1 of 5 closed tickets (20.00%) have no deadline: left out "
		   "of this rate"));
	ck_assert_str_eq(json_string_value(get(f, "notes.0.figure")),
			 "on_time_closed");
	/* Dispatched T2 T4 T5 T6 with a deadline: T2 T6 on time, T4 late. */
	EQ(f, "on_time_dispatched.numerator", 2);
	EQ(f, "on_time_dispatched.denominator", 4);
	EQ(f, "on_time_dispatched.late", 1);
	EQ(f, "quality.no_deadline", 1);
	/* Only T4 is late: T3 has no deadline to be late against. */
	ck_assert_uint_eq(json_array_size(get(f, "late_tickets")), 1);
	ck_assert_str_eq(json_string_value(get(f, "late_tickets.0.ticket_id")),
			 "T4");
	json_decref(f);

	/* A city that counts a case without a target date as on time. */
	s.no_deadline = HL_NODL_ON_TIME;
	f = period(store, &s, 0);
	EQ(f, "on_time.numerator", 5);
	EQ(f, "on_time.denominator", 5);
	EQ(f, "on_time.late", 0);
	EQ(f, "on_time_dispatched.numerator", 3);
	EQ(f, "on_time_dispatched.denominator", 5);
	EQ(f, "on_time_dispatched.late", 1);
	ck_assert_ptr_nonnull(
	    strstr(json_string_value(get(f, "on_time.note.en")),
		   "counted as on time"));
	json_decref(f);
	s.no_deadline = HL_NODL_LATE;
	f = period(store, &s, 0);
	EQ(f, "on_time.numerator", 4);
	EQ(f, "on_time.denominator", 5);
	EQ(f, "on_time.late", 1);
	EQ(f, "on_time_dispatched.numerator", 2);
	EQ(f, "on_time_dispatched.denominator", 5);
	EQ(f, "on_time_dispatched.late", 2);
	json_decref(f);
	/* A share above the note's threshold only: 20 % is not above 25. */
	s.no_deadline = HL_NODL_EXCLUDED;
	s.note_share = 25;
	f = period(store, &s, 0);
	ck_assert_ptr_null(json_object_get(get(f, "on_time"), "note"));
	ck_assert_uint_eq(notes_but_coverage(f), 0);
	/* The year's tickets, T1 to T7, were accepted from 03-01 09:00 to
	 * 12-20 08:00: none in its first 59 days, more than a tenth of the
	 * year, nor in its last 11, and a note says so. */
	ck_assert_str_eq(json_string_value(get(f, "notes.0.figure")),
			 "coverage");
	ck_assert_ptr_nonnull(
	    strstr(json_string_value(get(f, "notes.0.text.en")),
		   "run from 2022-03-01 to 2022-12-20 "
		   "(accepted): none in its first 59 or last "
		   "11 days"));
	json_decref(f);
	s.note_share = 1;

	/* With fill = table, T3's deadline is computed as above. */
	s.deadline_fill = 1;
	f = period(store, &s, 1);
	/* Closed: T1 T2 T3 T6 T7, on time all but T3. */
	EQ(f, "on_time.numerator", 4);
	EQ(f, "on_time.denominator", 5);
	EQ(f, "on_time.value", 0.8);
	EQ(f, "on_time.late", 1);
	EQ(f, "on_time.no_deadline", 0);
	ck_assert_ptr_null(json_object_get(get(f, "on_time"), "note"));
	/* Dispatched: T2 T3 T4 T5 T6; on time T2 T6; late T3 and T4 (open
	 * past its deadline); T5 is neither. */
	EQ(f, "on_time_dispatched.numerator", 2);
	EQ(f, "on_time_dispatched.denominator", 5);
	EQ(f, "on_time_dispatched.late", 2);
	/* Reopen counts known for T1 T2 T3 T7; T2 reopened. */
	EQ(f, "reopen.numerator", 1);
	EQ(f, "reopen.denominator", 4);
	EQ(f, "reopen.first_time_fix", 0.75);
	/* Late tickets: T3 closed late, T4 open past its deadline. */
	ck_assert_uint_eq(json_array_size(get(f, "late_tickets")), 2);
	ck_assert_str_eq(json_string_value(get(f, "late_tickets.0.ticket_id")),
			 "T3");
	ck_assert_str_eq(json_string_value(get(f, "late_tickets.1.ticket_id")),
			 "T4");
	/* Supervision: T4 past, T5 near (8 h left within 24). */
	ck_assert_str_eq(
	    json_string_value(get(f, "supervision.past_deadline.0.ticket_id")),
	    "T4");
	ck_assert_str_eq(
	    json_string_value(get(f, "supervision.near_deadline.0.ticket_id")),
	    "T5");
	EQ(f, "supervision.near_deadline.0.hours_left", 8);
	ck_assert_uint_eq(json_array_size(get(f, "supervision.units")), 0);
	json_decref(f);

	/* 甲 has closed 3, on time 2 (66.67 %), reopen 1 of 3: both under
	 * the thresholds once units of one ticket are judged. */
	s.min_unit_tickets = 1;
	f = period(store, &s, 0);
	ck_assert_uint_eq(json_array_size(get(f, "supervision.units")), 1);
	ck_assert_str_eq(json_string_value(get(f, "supervision.units.0.unit")),
			 "甲");
	ck_assert_str_eq(
	    json_string_value(get(f, "supervision.units.0.reasons.0.figure")),
	    "on_time");
	EQ(f, "supervision.units.0.reasons.0.pct", 200.0 / 3);
	ck_assert_str_eq(
	    json_string_value(get(f, "supervision.units.0.reasons.1.figure")),
	    "reopen");
	json_decref(f);

	/* The headline rate follows the denominator setting. */
	s.denominator = HL_DENOM_DISPATCHED;
	f = period(store, &s, 0);
	EQ(f, "on_time.value", 0.4);
	ck_assert_str_eq(json_string_value(get(f, "on_time.denominator_kind")),
			 "dispatched");
	EQ(f, "on_time_closed.value", 0.8);
	EQ(f, "months.11.on_time.late", 1); /* T4, open in December */
	json_decref(f);
	s.denominator = HL_DENOM_CLOSED;

	/* Six working days for 求助 make T3 due 06-10 23:59:59: on time;
	 * counting the dispatch day, 06-09 again: late. */
	s.deadline_days[1] = 6;
	f = period(store, &s, 0);
	EQ(f, "on_time.numerator", 5);
	json_decref(f);
	s.deadline_inclusive = 1;
	f = period(store, &s, 0);
	EQ(f, "on_time.numerator", 4);
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

START_TEST(test_handling)
{
	struct hl_store *store = load(period_csv);
	struct hl_settings s;
	json_t *f;

	hl_settings_init(&s);
	f = period(store, &s, 0);
	/* 咨询: 0.5 h and 2 h. */
	EQ(f, "handling.consult.n", 2);
	EQ(f, "handling.consult.mean", 1.25);
	EQ(f, "handling.consult.median", 1.25);
	EQ(f, "handling.consult.p90", 0.5 + 0.9 * 1.5);
	EQ(f, "handling.consult.work.mean", 1.25);
	/* The rest: 185 h and 217 h (T7 left out); working 17 h and 145 h. */
	EQ(f, "handling.other.n", 2);
	EQ(f, "handling.other.mean", 201);
	EQ(f, "handling.other.p90", 185 + 0.9 * 32);
	EQ(f, "handling.other.work.mean", 81);
	EQ(f, "handling.other.work.median", 81);
	EQ(f, "handling.left_out", 1);
	/* 甲's units line: T1, T2, T3 as above, 0.5 + 185 + 217 hours;
	 * 乙's leaves T7 out, as the figures do: T6 alone. */
	ck_assert_str_eq(json_string_value(get(f, "units.0.unit")), "乙");
	EQ(f, "units.0.handling_mean", 2);
	EQ(f, "units.1.handling_mean", (0.5 + 185 + 217) / 3);
	EQ(f, "handling.by_category.complaint.mean", 185);
	EQ(f, "handling.by_category.help.work.mean", 145);
	ck_assert(is_null(f, "handling.by_category.praise.mean"));
	/* A year earlier: 2.5 h and 456 h. */
	EQ(f, "handling.consult.previous.mean", 2.5);
	EQ(f, "handling.consult.speedup_pct", 50);
	EQ(f, "handling.other.previous.mean", 456);
	EQ(f, "handling.other.speedup_pct", (456.0 - 201) / 456 * 100);
	/* T9 is a complaint; no help ticket a year earlier. */
	EQ(f, "handling.by_category.complaint.previous.mean", 456);
	EQ(f, "handling.by_category.complaint.speedup_pct",
	   (456.0 - 185) / 456 * 100);
	EQ(f, "handling.by_category.help.previous.n", 0);
	ck_assert(is_null(f, "handling.by_category.help.speedup_pct"));
	json_decref(f);

	/* From acceptance: T6 2.5 h, T2 186 h, T3 218 h, T9 457 h. */
	s.start = HL_START_ACCEPT;
	f = period(store, &s, 0);
	EQ(f, "handling.consult.mean", 1.5);
	EQ(f, "handling.other.mean", 202);
	EQ(f, "handling.other.previous.mean", 457);
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

START_TEST(test_basis)
{
	struct hl_store *store = load(period_csv);
	struct hl_settings s;
	json_t *f;

	hl_settings_init(&s);
	/* By dispatch: T2 T3 T4 T5 T6; T2 in September. */
	s.basis = HL_BASIS_DISPATCHED;
	f = period(store, &s, 0);
	EQ(f, "tickets", 5);
	EQ(f, "months.8.tickets", 1);
	EQ(f, "months.2.tickets", 1);
	/* The year before by dispatch too (read from the tickets, not the
	 * rollup, which is by acceptance): T9, not T8 (never dispatched). */
	EQ(f, "handling.other.previous.n", 1);
	EQ(f, "handling.other.previous.mean", 456);
	EQ(f, "handling.consult.previous.n", 0);
	json_decref(f);
	/* By closure: T1 T2 T3 T6 T7; T2 in October, T7 in May. */
	s.basis = HL_BASIS_CLOSED;
	f = period(store, &s, 0);
	EQ(f, "tickets", 5);
	EQ(f, "months.9.tickets", 1);
	EQ(f, "months.8.tickets", 0);
	EQ(f, "months.4.tickets", 1);
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

START_TEST(test_month_and_scope)
{
	struct hl_store *store = load(period_csv);
	struct hl_settings s;
	struct hl_metrics *m;
	struct hl_query q;
	json_t *f;

	hl_settings_init(&s);
	memset(&q, 0, sizeof(q));
	set_period(&q, 2022, 0);
	set_period(&q, q.period.year, 3);
	q.district = "荔湾区";
	f = compute(store, &s, &q);
	/* March: T1 and T6, with the year so far beside it. */
	EQ(f, "tickets", 2);
	EQ(f, "handling.consult.mean", 1.25);
	ck_assert_str_eq(json_string_value(get(f, "scope.from")),
			 "2022-03-01 00:00:00");
	ck_assert_str_eq(json_string_value(get(f, "scope.to")),
			 "2022-04-01 00:00:00");
	EQ(f, "months.2.tickets", 2);
	EQ(f, "months.5.tickets", 0); /* June is after the period */
	/* No as-of given: the latest time among the tickets read. */
	ck_assert_str_eq(json_string_value(get(f, "scope.as_of")),
			 "2022-03-02 12:30:00");
	json_decref(f);
	set_period(&q, q.period.year, 0);
	f = compute(store, &s, &q);
	EQ(f, "months.5.tickets", 1);
	ck_assert_str_eq(json_string_value(get(f, "scope.as_of")),
			 "2022-12-20 09:00:00");
	json_decref(f);
	/* The city: every district (here one). */
	q.district = NULL;
	f = compute(store, &s, &q);
	EQ(f, "tickets", 7);
	ck_assert(is_null(f, "scope.district"));
	json_decref(f);
	/*
	 * The city's March, with the rows stored out of order (T2 to T5
	 * between T1 and T6, the year before after them): T1 and T6, and T8
	 * of March 2021 (accepted 09:00, closed 11:30: 2.5 h) beside them.
	 */
	set_period(&q, q.period.year, 3);
	f = compute(store, &s, &q);
	EQ(f, "tickets", 2);
	EQ(f, "handling.consult.n", 2);
	EQ(f, "handling.consult.previous.n", 1);
	EQ(f, "handling.consult.previous.mean", 2.5);
	EQ(f, "months.1.tickets", 0);
	json_decref(f);
	/* A district with no tickets is an error, not zeros. */
	q.district = "从化区";
	ck_assert_int_eq(hl_metrics_open(store, &s, &m), 0);
	ck_assert_ptr_null(hl_metrics_compute(m, &q));
	ck_assert_int_eq(hl_metrics_errcode(m), HL_ANALYSIS_ESCOPE);
	ck_assert_str_eq(hl_metrics_errmsg(m),
			 "no tickets of district '从化区' in the database "
			 "(its districts: 荔湾区)");
	hl_metrics_free(m);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

/*
 * The city takes in tickets without a district and rows stored in any
 * order: N1 and N5 (no district) and N3 are March's, N2 January's, N4
 * May's, stored as listed.
 */
static const char city_csv[] =
    HEAD "N1,2022-03-05 09:00,电话,咨询,否,,,,,,,,,,0,\n"
	 "N2,2022-01-10 09:00,电话,咨询,否,荔湾区,,,,,,,,,0,\n"
	 "N3,2022-03-06 09:00,电话,咨询,否,越秀区,,,,,,,,,0,\n"
	 "N4,2022-05-07 09:00,电话,咨询,否,越秀区,,,,,,,,,0,\n"
	 "N5,2022-03-31 23:59,电话,咨询,否,,,,,,,,,,0,\n";

/* The figures of store's city year 2022 as JSON text.  Caller frees. */
static char *
city_json(struct hl_store *store)
{
	struct hl_settings s;
	struct hl_query q;
	json_t *f;
	char *text;

	hl_settings_init(&s);
	memset(&q, 0, sizeof(q));
	set_period(&q, 2022, 0);
	f = compute(store, &s, &q);
	text = json_dumps(f, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
	json_decref(f);
	hl_settings_release(&s);
	return text;
}

/*
 * An export as a bureau gets it, with a title above the header, empty
 * rows between the tickets and totals (合计) and Excel's rows of commas
 * after them, gives exactly the figures of the same tickets alone.
 */
START_TEST(test_title_and_totals)
{
	struct hl_store *store = load(period_csv);
	struct hl_buf dirty = HL_BUF_INIT, db = HL_BUF_INIT;
	const char *body = strchr(period_csv, '\n') + 1, *mid;
	char *want, *got;

	want = city_json(store);
	hl_store_free(store);
	hl_buf_printf(&db, "%s/t.db", dir);
	ck_assert_int_eq(unlink(db.data), 0);
	mid = strchr(strchr(body, '\n') + 1, '\n') + 1;
	hl_buf_printf(
	    &dirty,
	    "广州市12345工单明细表,,,\n导出时间：2023-01-05\n%.*s"
	    ",,,,,,,,,,,,,,,\n%.*s%s合计,9,,,,,,,,,,,,,,\n,9,,,,,,,,,,"
	    ",,,,\n,,,,,,,,,,,,,,,\n",
	    (int)(body - period_csv), period_csv, (int)(mid - body), body, mid);
	store = load(dirty.data);
	got = city_json(store);
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
	hl_buf_release(&dirty);
	hl_buf_release(&db);
	hl_store_free(store);
}
END_TEST

START_TEST(test_city_scope)
{
	struct hl_store *store = load(city_csv);
	struct hl_settings s;
	struct hl_query q;
	json_t *f;

	hl_settings_init(&s);
	memset(&q, 0, sizeof(q));
	set_period(&q, 2022, 0);
	set_period(&q, q.period.year, 3);
	f = compute(store, &s, &q);
	EQ(f, "tickets", 3);
	json_decref(f);
	set_period(&q, q.period.year, 1);
	f = compute(store, &s, &q);
	EQ(f, "tickets", 1);
	json_decref(f);
	set_period(&q, q.period.year, 2);
	f = compute(store, &s, &q);
	EQ(f, "tickets", 0);
	json_decref(f);
	set_period(&q, q.period.year, 0);
	f = compute(store, &s, &q);
	EQ(f, "tickets", 5);
	EQ(f, "months.2.tickets", 3);
	EQ(f, "months.4.tickets", 1);
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

/*
 * A district's scans read the index alone (schema.sql): no table lookup
 * per ticket.  A column added to the scans but not to the index would
 * halve their speed without changing a figure; this catches it.
 */
START_TEST(test_district_scans_covered)
{
	struct hl_store *store = load(city_csv);
	const char *const sql[] = {hl_sql_district_tickets,
				   hl_sql_district_closed, hl_sql_city_tickets,
				   hl_sql_city_closed};
	size_t i;

	/* Every read of the ticket table goes through the covering index
	 * alone: no table lookup, no scan. */
	for (i = 0; i < 4; i++) {
		char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql[i]);
		sqlite3_stmt *st;
		int reads = 0, covered = 0;

		ck_assert_int_eq(
		    sqlite3_prepare_v2(hl_store_db(store), q, -1, &st, NULL),
		    SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *d =
			    (const char *)sqlite3_column_text(st, 3);

			if (strstr(d, " ticket ") == NULL)
				continue;
			reads++;
			covered +=
			    strstr(d, "USING COVERING INDEX "
				      "ticket_district_accepted") != NULL;
		}
		sqlite3_finalize(st);
		sqlite3_free(q);
		ck_assert_msg(reads > 0 && covered == reads,
			      "scan %zu: %d of %d reads of ticket covered", i,
			      covered, reads);
	}
	hl_store_free(store);
}
END_TEST

/* ---- today's years, calendars added later, regions ---- */

/*
 * 2025 and 2026, worked out by hand:
 *   A1 咨询, dispatched Tue 2025-09-30 16:00, deadline "2025-10-10" (a
 *      date: its end), closed Thu 10-09 10:00: on time; 210 h, working
 *      8 h of 09-30 + 10 h of 10-09 = 18 h (10-01..10-08 rest).
 *   A2 投诉, accepted and dispatched on the make-up Saturday 2025-10-11
 *      (09:00), deadline "2025-10-11", closed 18:00: on time at the end
 *      of the day, late at its start; 9 h, working 9 h.
 *   A3 求助, dispatched Fri 2026-02-13 09:00, deadline 02-24 12:00,
 *      closed Tue 02-24 09:30: on time; 264.5 h, working 15 h of 02-13
 *      + 24 h of the make-up Saturday 02-14 + 9.5 h of 02-24 = 48.5 h
 *      (02-15..02-23 rest).
 */
static const char recent_csv[] =
    HEAD "A1,2025-09-30 15:00,电话,咨询,否,荔湾区,沙面街,甲,2025-09-30 "
	 "16:00,,2025-10-10,2025-10-09 10:00,已办结,满意,0,\n"
	 "A2,2025-10-11 08:00,电话,投诉,否,荔湾区,沙面街,甲,2025-10-11 "
	 "09:00,,2025-10-11,2025-10-11 18:00,已办结,满意,0,\n"
	 "A3,2026-02-13 08:00,电话,求助,否,荔湾区,沙面街,甲,2026-02-13 "
	 "09:00,,2026-02-24 12:00,2026-02-24 09:30,已办结,满意,0,\n";

static json_t *
year_of(struct hl_store *store, const struct hl_settings *s, int y,
	const char *district)
{
	struct hl_query q;

	memset(&q, 0, sizeof(q));
	set_period(&q, y, 0);
	q.district = district;
	return compute(store, s, &q);
}

START_TEST(test_recent_years)
{
	struct hl_store *store = load(recent_csv);
	struct hl_settings s;
	json_t *f;

	hl_settings_init(&s);
	f = year_of(store, &s, 2025, "荔湾区");
	EQ(f, "tickets", 2);
	EQ(f, "quality.outside_calendar", 0);
	ck_assert_uint_eq(json_array_size(get(f, "quality.calendar_missing")),
			  0);
	ck_assert_uint_eq(notes_but_coverage(f), 0);
	EQ(f, "on_time.numerator", 2);
	EQ(f, "on_time.denominator", 2);
	EQ(f, "handling.consult.mean", 210);
	EQ(f, "handling.consult.work.mean", 18);
	EQ(f, "handling.other.mean", 9);
	EQ(f, "handling.other.work.mean", 9);
	EQ(f, "handling.outside_calendar", 0);
	json_decref(f);
	/* A date alone as the day's start: A2 is late. */
	s.date_only_start = 1;
	f = year_of(store, &s, 2025, "荔湾区");
	EQ(f, "on_time.numerator", 1);
	EQ(f, "on_time.denominator", 2);
	EQ(f, "on_time.late", 1);
	json_decref(f);
	s.date_only_start = 0;
	f = year_of(store, &s, 2026, NULL);
	EQ(f, "tickets", 1);
	EQ(f, "handling.other.mean", 264.5);
	EQ(f, "handling.other.work.mean", 48.5);
	ck_assert_uint_eq(notes_but_coverage(f), 0);
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

/*
 * B1 咨询 of 2027, a year no built-in file covers: dispatched Monday
 * 2027-03-01 10:00, closed Tuesday 10:00: 24 h, and 24 working hours
 * once a file says both days are working days.
 */
static const char later_csv[] =
    HEAD "B1,2027-03-01 09:00,电话,咨询,否,荔湾区,沙面街,甲,2027-03-01 "
	 "10:00,,2027-03-03 23:59:59,2027-03-02 10:00,已办结,满意,0,\n";

START_TEST(test_calendar_added_later)
{
	struct hl_store *store = load(later_csv);
	struct hl_buf err = HL_BUF_INIT;
	struct hl_settings s;
	char path[160];
	json_t *f;

	hl_settings_init(&s);
	f = year_of(store, &s, 2027, "荔湾区");
	/* Counted, not guessed, and the file to add is named. */
	EQ(f, "tickets", 1);
	EQ(f, "on_time.numerator", 1);
	EQ(f, "quality.outside_calendar", 1);
	EQ(f, "quality.calendar_missing.0", 2027);
	EQ(f, "handling.consult.mean", 24);
	EQ(f, "handling.consult.work.n", 0);
	EQ(f, "handling.outside_calendar", 1);
	ck_assert_str_eq(json_string_value(get(f, "notes.0.figure")),
			 "calendar");
	ck_assert_ptr_nonnull(
	    strstr(json_string_value(get(f, "notes.0.text.en")),
		   "--calendar 2027.ini"));
	ck_assert_str_eq(json_string_value(get(f, "notes.1.figure")),
			 "handling_work");
	json_decref(f);
	/* The year is added: the same database, not ingested again. */
	write_file("p.ini", "[calendar 2027]\nholidays = 2027-01-01\n");
	snprintf(path, sizeof(path), "%s/p.ini", dir);
	ck_assert_msg(hl_calyears_load(&s.cal, path, &err) == 0, "%s",
		      err.data);
	f = year_of(store, &s, 2027, "荔湾区");
	EQ(f, "quality.outside_calendar", 0);
	ck_assert_uint_eq(json_array_size(get(f, "quality.calendar_missing")),
			  0);
	ck_assert_uint_eq(notes_but_coverage(f), 0);
	EQ(f, "handling.consult.work.n", 1);
	EQ(f, "handling.consult.work.mean", 24);
	json_decref(f);
	hl_settings_release(&s);
	hl_buf_release(&err);
	hl_store_free(store);
}
END_TEST

/*
 * Spellings of Guangzhou's districts: 荔湾区 three ways, 黄埔区 under its
 * old name, one name the region does not know and one ticket without a
 * district.
 */
static const char spell_csv[] =
    HEAD "R1,2022-03-01 09:00,电话,咨询,否,广州市荔湾区,,甲,,,,,,,,\n"
	 "R2,2022-03-01 09:00,电话,咨询,否,荔湾,,甲,,,,,,,,\n"
	 "R3,2022-03-01 09:00,电话,咨询,否, 荔湾区 ,,甲,,,,,,,,\n"
	 "R4,2022-03-01 09:00,电话,咨询,否,萝岗区,,甲,,,,,,,,\n"
	 "R5,2022-03-01 09:00,电话,咨询,否,黄埔区,,甲,,,,,,,,\n"
	 "R6,2022-03-01 09:00,电话,咨询,否,某某区,,甲,,,,,,,,\n"
	 "R7,2022-03-01 09:00,电话,咨询,否,,,甲,,,,,,,,\n";

START_TEST(test_region_spellings)
{
	struct hl_store *store = load(spell_csv);
	struct hl_settings s;
	struct hl_metrics *m;
	struct hl_query q;
	json_t *f;

	hl_settings_init(&s);
	f = year_of(store, &s, 2022, NULL);
	/* The city counts every ticket, the one without a district too. */
	EQ(f, "tickets", 7);
	ck_assert_uint_eq(json_array_size(get(f, "districts")), 4);
	ck_assert_str_eq(json_string_value(get(f, "districts.0.district")),
			 "某某区");
	EQ(f, "districts.0.tickets", 1);
	ck_assert(json_is_true(get(f, "districts.0.not_in_region")));
	ck_assert_ptr_null(
	    json_object_get(get(f, "districts.1"), "not_in_region"));
	ck_assert_str_eq(json_string_value(get(f, "districts.1.district")),
			 "荔湾区");
	EQ(f, "districts.1.tickets", 3);
	ck_assert_str_eq(json_string_value(get(f, "districts.2.district")),
			 "黄埔区");
	EQ(f, "districts.2.tickets", 2);
	ck_assert_str_eq(json_string_value(get(f, "districts.3.district")),
			 "未填区");
	EQ(f, "districts.3.tickets", 1);
	ck_assert(json_is_true(get(f, "districts.3.unassigned")));
	ck_assert_ptr_null(json_object_get(get(f, "districts.3"), "ranking"));
	json_decref(f);
	f = year_of(store, &s, 2022, "广州荔湾");
	EQ(f, "tickets", 3);
	ck_assert_str_eq(json_string_value(get(f, "scope.district")), "荔湾区");
	json_decref(f);
	/* An unknown name lists the districts there are. */
	memset(&q, 0, sizeof(q));
	set_period(&q, 2022, 0);
	q.district = "天河区";
	ck_assert_int_eq(hl_metrics_open(store, &s, &m), 0);
	ck_assert_ptr_null(hl_metrics_compute(m, &q));
	ck_assert_str_eq(hl_metrics_errmsg(m),
			 "no tickets of district '天河区' in the database "
			 "(its districts: 某某区, 荔湾区, 黄埔区)");
	hl_metrics_free(m);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

/* Beijing's region ranks Beijing's districts, old names merged. */
static const char beijing_csv[] =
    HEAD "K1,2022-03-01 09:00,电话,咨询,否,北京市朝阳区,,甲,,,,2022-03-01 "
	 "10:00,已办结,满意,0,\n"
	 "K2,2022-03-01 09:00,电话,咨询,否,朝阳,,甲,,,,2022-03-01 "
	 "10:00,已办结,不满意,0,\n"
	 "K3,2022-03-01 09:00,电话,咨询,否,崇文区,,甲,,,,2022-03-01 "
	 "10:00,已办结,满意,0,\n"
	 "K4,2022-03-01 09:00,电话,咨询,否,东城区,,甲,,,,2022-03-01 "
	 "10:00,已办结,满意,0,\n"
	 "K5,2022-03-01 09:00,电话,咨询,否,海淀区,,甲,,,,2022-03-01 "
	 "10:00,已办结,不满意,0,\n";

START_TEST(test_region_beijing)
{
	struct hl_store *store = load(beijing_csv);
	struct hl_settings s;
	json_t *f;

	hl_settings_init(&s);
	s.region = hl_xstrdup("beijing");
	s.rank_min = 1;
	f = year_of(store, &s, 2022, "东城");
	EQ(f, "tickets", 2);
	/* March: 东城区 100 %, 朝阳区 50 %, 海淀区 0 %. */
	EQ(f, "ranking.ordinary.months.2.rank", 1);
	EQ(f, "ranking.ordinary.months.2.ranked_districts", 3);
	json_decref(f);
	f = year_of(store, &s, 2022, "北京市朝阳区");
	EQ(f, "tickets", 2);
	EQ(f, "ranking.ordinary.months.2.rank", 2);
	ck_assert_str_eq(json_string_value(get(f, "settings.region.city")),
			 "北京市");
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

static Suite *
analysis_suite(void)
{
	Suite *s = suite_create("analysis");
	TCase *tc;

	hl_check_case(s, "calendar", setup, teardown, test_calendar_builtin,
		      test_calendar_extra_years, NULL);
	tc = hl_check_case(s, "profile", setup, teardown, test_profile_good,
			   test_profile_default_file, NULL);
	tcase_add_loop_test(tc, test_profile_bad, 0,
			    (int)HL_ARRAY_LEN(bad_profiles));

	hl_check_case(s, "figures", setup, teardown, test_ranking,
		      test_on_time_and_reopen, test_handling, test_basis,
		      test_month_and_scope, test_city_scope,
		      test_district_scans_covered, test_recent_years,
		      test_calendar_added_later, test_region_spellings,
		      test_region_beijing, test_title_and_totals, NULL);
	return s;
}

HL_CHECK_MAIN(analysis_suite)
