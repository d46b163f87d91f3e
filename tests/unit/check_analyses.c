/*
 * check_analyses.c - tests of the analyses beyond the seed's figures
 * (docs/analyses.md), each on a small hand-made export ingested as a
 * user would, the expected values worked out by hand in the comments:
 * periods and assessment months, Beijing's 三率 and their league tables,
 * hot topics and surges, repeat calls.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "check_main.h"
#include "figures_test.h"
#include "ingest/ingest.h"
#include "reports/reports.h"
#include "util/util.h"

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/hl-analyses-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	static const char *const names[] = {"t.csv", "t.db", "t.db-wal",
					    "t.db-shm", "t.db-journal"};
	char p[160];
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(names); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

static struct hl_store *
load(const char *csv)
{
	return hl_test_load(dir, csv);
}

#define compute hl_test_compute
#define get hl_test_get
#define num hl_test_num

#define EQ(f, path, want) ck_assert_double_eq_tol(num(f, path), want, 1e-9)
#define STR(f, path, want)                                                     \
	ck_assert_str_eq(json_string_value(get(f, path)), want)

static hl_time
at(int y, int mo, int d, int h, int mi, int s)
{
	return hl_time_make(y, mo, d, h, mi, s);
}

/* ---- periods ---- */

START_TEST(test_period_names)
{
	struct hl_period p;
	int y;

	/* Calendar months. */
	p = hl_period_month(2022, 6, 1);
	ck_assert_int_eq(p.from, at(2022, 6, 1, 0, 0, 0));
	ck_assert_int_eq(p.to, at(2022, 7, 1, 0, 0, 0));
	ck_assert_str_eq(p.label, "2022-06");
	/* Months from the 19th: 2022-06 is 05-19 to 06-19; the year 2022
	 * from 2021-12-19 to 2022-12-19. */
	p = hl_period_month(2022, 6, 19);
	ck_assert_int_eq(p.from, at(2022, 5, 19, 0, 0, 0));
	ck_assert_int_eq(p.to, at(2022, 6, 19, 0, 0, 0));
	p = hl_period_month(2022, 1, 19);
	ck_assert_int_eq(p.from, at(2021, 12, 19, 0, 0, 0));
	ck_assert_int_eq(p.to, at(2022, 1, 19, 0, 0, 0));
	p = hl_period_year(2022, 19);
	ck_assert_int_eq(p.from, at(2021, 12, 19, 0, 0, 0));
	ck_assert_int_eq(p.to, at(2022, 12, 19, 0, 0, 0));
	/* Quarters and halves by name. */
	ck_assert_int_eq(hl_period_parse("2022-Q2", 1, &p), 0);
	ck_assert_int_eq(p.from, at(2022, 4, 1, 0, 0, 0));
	ck_assert_int_eq(p.to, at(2022, 7, 1, 0, 0, 0));
	ck_assert_int_eq(p.first_month, 4);
	ck_assert_int_eq(p.last_month, 6);
	ck_assert_int_eq(hl_period_parse("2022-H2", 19, &p), 0);
	ck_assert_int_eq(p.from, at(2022, 6, 19, 0, 0, 0));
	ck_assert_int_eq(p.to, at(2022, 12, 19, 0, 0, 0));
	ck_assert_str_eq(p.label, "2022-H2");
	ck_assert_int_eq(hl_period_parse("2022-q4", 1, &p), 0);
	ck_assert_int_eq(p.to, at(2023, 1, 1, 0, 0, 0));
	ck_assert_int_eq(hl_period_parse("2022", 1, &p), 0);
	ck_assert_int_eq(p.kind, HL_PERIOD_YEAR);
	ck_assert_int_eq(hl_period_parse("2022-12", 1, &p), 0);
	ck_assert_int_eq(p.month, 12);
	ck_assert_int_eq(hl_period_parse("2022-Q5", 1, &p), -1);
	ck_assert_int_eq(hl_period_parse("2022-H0", 1, &p), -1);
	ck_assert_int_eq(hl_period_parse("2022-13", 1, &p), -1);
	ck_assert_int_eq(hl_period_parse("1900", 1, &p), -1);
	ck_assert_int_eq(hl_period_parse("2022-6", 1, &p), -1);
	/* Days, both included: its year is that of its last day. */
	p = hl_period_days(hl_days_from_civil(2021, 12, 20),
			   hl_days_from_civil(2022, 1, 10), 1);
	ck_assert_int_eq(p.from, at(2021, 12, 20, 0, 0, 0));
	ck_assert_int_eq(p.to, at(2022, 1, 11, 0, 0, 0));
	ck_assert_int_eq(p.year, 2022);
	ck_assert_int_eq(p.first_month, 1);
	ck_assert_int_eq(p.last_month, 1);
	ck_assert_str_eq(p.label, "2021-12-20..2022-01-10");
	/* ... and with months from the 19th, 2021-12-20 is in 2022-01. */
	p = hl_period_restart(&p, 19);
	ck_assert_int_eq(p.year, 2022);
	ck_assert_int_eq(p.first_month, 1);
	/* The month a time falls in, edges at 00:00 of the start day. */
	ck_assert_int_eq(hl_period_month_of(19, at(2022, 5, 19, 0, 0, 0), &y),
			 6);
	ck_assert_int_eq(
	    hl_period_month_of(19, at(2022, 5, 18, 23, 59, 59), &y), 5);
	ck_assert_int_eq(hl_period_month_of(19, at(2022, 12, 19, 0, 0, 0), &y),
			 1);
	ck_assert_int_eq(y, 2023);
	ck_assert_int_eq(hl_period_month_of(1, at(2022, 12, 31, 23, 0, 0), &y),
			 12);
	ck_assert_int_eq(y, 2022);
	/* The period before. */
	p = hl_period_month(2022, 1, 19);
	p = hl_period_before(&p);
	ck_assert_str_eq(p.label, "2021-12");
	ck_assert_int_eq(p.from, at(2021, 11, 19, 0, 0, 0));
	ck_assert_int_eq(hl_period_parse("2022-Q1", 1, &p), 0);
	p = hl_period_before(&p);
	ck_assert_str_eq(p.label, "2021-Q4");
	p = hl_period_days(hl_days_from_civil(2022, 3, 1),
			   hl_days_from_civil(2022, 3, 10), 1);
	p = hl_period_before(&p);
	ck_assert_str_eq(p.label, "2022-02-19..2022-02-28");
}
END_TEST

#define HEAD                                                                                             \
	"工单编号,受理时间,来源渠道,诉求类型,是否重点工单,所属区,所属街道," \
	"承办单位,派单时间,签收时间,办理时限,办结时间,工单状态,满意度,"       \
	"重办次数,诉求内容\n"

/*
 * Months from the 19th.  P1 2022-05-18 23:59:59 is May's; P2 2022-05-19
 * 00:00 and P3 2022-06-18 23:59 are June's; P4 2022-06-19 00:00 is
 * July's; P5 2021-12-19 00:00 is January 2022's; P6 2022-12-19 00:00 is
 * 2023's.  Satisfaction: P2 满意, P3 不满意 (June 0.5).
 */
static const char edge_csv[] =
    HEAD "P1,2022-05-18 23:59:59,电话,咨询,否,荔湾区,沙面街,甲,,,,,,,,\n"
	 "P2,2022-05-19 00:00:00,电话,咨询,否,荔湾区,沙面街,甲,,,,,,满意,,\n"
	 "P3,2022-06-18 23:59:00,电话,咨询,否,荔湾区,沙面街,甲,,,,,,不满意,,"
	 "\n"
	 "P4,2022-06-19 00:00:00,电话,咨询,否,荔湾区,沙面街,甲,,,,,,,,\n"
	 "P5,2021-12-19 00:00:00,电话,咨询,否,荔湾区,沙面街,甲,,,,,,,,\n"
	 "P6,2022-12-19 00:00:00,电话,咨询,否,荔湾区,沙面街,甲,,,,,,,,\n";

START_TEST(test_month_start_day)
{
	struct hl_store *store = load(edge_csv);
	struct hl_settings s;
	struct hl_query q;
	json_t *f;

	hl_settings_init(&s);
	s.month_start_day = 19;
	s.rank_min = 1;
	memset(&q, 0, sizeof(q));
	q.district = "荔湾区";
	q.period = hl_period_month(2022, 6, 1); /* moved to the 19th */
	f = compute(store, &s, &q);
	EQ(f, "tickets", 2);
	STR(f, "scope.from", "2022-05-19 00:00:00");
	STR(f, "scope.to", "2022-06-19 00:00:00");
	EQ(f, "months.4.tickets", 1); /* May: P1 */
	EQ(f, "months.5.tickets", 2);
	EQ(f, "months.0.tickets", 1); /* January: P5 of 2021-12-19 */
	EQ(f, "satisfaction.ordinary.value", 0.5);
	EQ(f, "ranking.ordinary.months.5.rank", 1);
	EQ(f, "settings.month_start_day", 19);
	json_decref(f);
	q.period = hl_period_year(2022, 1);
	f = compute(store, &s, &q);
	EQ(f, "tickets", 5); /* P6 is 2023's */
	STR(f, "scope.from", "2021-12-19 00:00:00");
	EQ(f, "months.6.tickets", 1);
	json_decref(f);
	/* Calendar months: P5 is 2021's, P6 2022's December. */
	s.month_start_day = 1;
	f = compute(store, &s, &q);
	EQ(f, "tickets", 5);
	EQ(f, "months.11.tickets", 1);
	EQ(f, "months.5.tickets", 2); /* P3, P4 */
	json_decref(f);
	/* Any days: 2022-05-19 to 2022-06-18, both included. */
	q.period = hl_period_days(hl_days_from_civil(2022, 5, 19),
				  hl_days_from_civil(2022, 6, 18), 1);
	f = compute(store, &s, &q);
	EQ(f, "tickets", 2);
	STR(f, "scope.period", "2022-05-19..2022-06-18");
	STR(f, "scope.kind", "days");
	json_decref(f);
	/* A period of days that starts in the year before. */
	q.period = hl_period_days(hl_days_from_civil(2021, 12, 1),
				  hl_days_from_civil(2022, 5, 18), 1);
	f = compute(store, &s, &q);
	EQ(f, "tickets", 2); /* P5 and P1 */
	EQ(f, "scope.year", 2022);
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

/* ---- assessment ---- */

#define HEAD2                                                                                         \
	"工单编号,受理时间,所属区,所属街道,满意度,是否有效回访,是否联系," \
	"是否解决,是否纳入考核,问题分类,来电号码,诉求内容\n"

/*
 * March 2022, 荔湾区 (basic weighted 0.9, weights .1 .5 .4):
 *   沙面街 A1 valid contacted resolved 满意; A2 valid contacted, not
 *          resolved, 基本满意; A3 not a valid callback; A4 不合理诉求
 *          (left out, though valid): valid 2, contacted 2, resolved 1,
 *          响应 1, 解决 0.5, 满意 (1 + 0.9) / 2 = 0.95,
 *          score (0.1 + 0.25 + 0.38) x 100 = 73
 *   多宝街 B1 valid contacted resolved 不满意; B2 valid, not contacted,
 *          resolved, 满意: 响应 0.5, 解决 1, 满意 0.5, score 75
 *   华林街 the same as 多宝街: 75, a tie (rank 1, 1, then 3)
 *   逢源街 C1 not valid; D1 纳入考核 否 (left out): unranked
 * The district: tickets 10, left out 2, valid 6, contacted 4, resolved 5,
 * 满意 3, 基本满意 1: score (0.1 x 4/6 + 0.5 x 5/6 + 0.4 x 3.9/6) x 100.
 */
static const char assess_csv[] =
    HEAD2 "A1,2022-03-01 09:00,荔湾区,沙面街,满意,是,是,是,是,,,\n"
	  "A2,2022-03-02 09:00,荔湾区,沙面街,基本满意,是,是,否,是,,,\n"
	  "A3,2022-03-03 09:00,荔湾区,沙面街,满意,否,是,是,是,,,\n"
	  "A4,2022-03-04 09:00,荔湾区,沙面街,满意,是,是,是,不合理诉求,,,\n"
	  "B1,2022-03-05 09:00,荔湾区,多宝街,不满意,是,是,是,是,,,\n"
	  "B2,2022-03-06 09:00,荔湾区,多宝街,满意,是,否,是,是,,,\n"
	  "H1,2022-03-07 09:00,荔湾区,华林街,不满意,是,是,是,是,,,\n"
	  "H2,2022-03-08 09:00,荔湾区,华林街,满意,是,否,是,是,,,\n"
	  "C1,2022-03-09 09:00,荔湾区,逢源街,满意,否,否,否,是,,,\n"
	  "D1,2022-03-10 09:00,荔湾区,逢源街,满意,是,是,是,否,,,\n";

START_TEST(test_beijing_scheme)
{
	struct hl_store *store = load(assess_csv);
	struct hl_settings s;
	struct hl_query q;
	json_t *f;

	hl_settings_init(&s);
	memset(&q, 0, sizeof(q));
	q.district = "荔湾区";
	q.period = hl_period_month(2022, 3, 1);
	/* No scheme: no assessment. */
	f = compute(store, &s, &q);
	ck_assert_ptr_null(json_object_get(f, "assessment"));
	json_decref(f);
	s.scheme = HL_SCHEME_BEIJING;
	q.league = "score";
	q.league_level = HL_LEVEL_STREET;
	f = compute(store, &s, &q);
	EQ(f, "assessment.tickets", 10);
	EQ(f, "assessment.left_out", 2);
	EQ(f, "assessment.valid", 6);
	EQ(f, "assessment.contacted", 4);
	EQ(f, "assessment.resolved", 5);
	EQ(f, "assessment.answers.satisfied", 3);
	EQ(f, "assessment.answers.basic", 1);
	EQ(f, "assessment.response.value", 4.0 / 6);
	EQ(f, "assessment.resolution.value", 5.0 / 6);
	EQ(f, "assessment.satisfaction.value", 3.9 / 6);
	EQ(f, "assessment.score",
	   (0.1 * 4 / 6 + 0.5 * 5 / 6 + 0.4 * 3.9 / 6) * 100);
	/* The league: 多宝街 and 华林街 tie at 75 on 2 valid (rank 1, by
	 * name), 沙面街 73 third, 逢源街 unranked last. */
	STR(f, "league.level", "street");
	EQ(f, "league.ranked", 3);
	STR(f, "league.rows.0.name", "华林街");
	EQ(f, "league.rows.0.rank", 1);
	EQ(f, "league.rows.0.value", 75);
	STR(f, "league.rows.1.name", "多宝街");
	EQ(f, "league.rows.1.rank", 1);
	STR(f, "league.rows.2.name", "沙面街");
	EQ(f, "league.rows.2.rank", 3);
	EQ(f, "league.rows.2.value", 73);
	EQ(f, "league.rows.2.basis", 2);
	STR(f, "league.rows.3.name", "逢源街");
	ck_assert(json_is_null(get(f, "league.rows.3.rank")));
	ck_assert(json_is_null(get(f, "league.rows.3.value")));
	json_decref(f);
	/* Other weights; ranked by 满意率 instead. */
	s.as_weight[0] = 0.2;
	s.as_weight[1] = 0.4;
	s.as_weight[2] = 0.4;
	q.league = "satisfaction";
	f = compute(store, &s, &q);
	EQ(f, "assessment.score",
	   (0.2 * 4 / 6 + 0.4 * 5 / 6 + 0.4 * 3.9 / 6) * 100);
	STR(f, "league.rows.0.name", "沙面街");
	EQ(f, "league.rows.0.value", 95);
	EQ(f, "league.rows.1.rank", 2);
	EQ(f, "league.rows.2.rank", 2);
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

/* ---- topics ---- */

/* Appends a row of topic t in street st accepted on y-m-d to b. */
static void
topic_row(struct hl_buf *b, int *n, int y, int m, int d, const char *st,
	  const char *t)
{
	hl_buf_printf(b, "T%04d,%04d-%02d-%02d 10:00,荔湾区,%s,,,,,,%s,,\n",
		      ++*n, y, m, d, st, t);
}

/*
 * Level 2.  2021-09 to 2022-02 (the six months before March): each month
 * 城乡建设-物业管理 once in 沙面街 (as -物业服务) and 城市管理-市容 twice in
 * 多宝街.  2021-03: 市容 twice.  2022-03: 物业管理 6 times in 沙面街 (half
 * of them -电梯, written with full-width dashes), 市容 5 times in 多宝街.
 *   top: 物业管理 6 (before 1: +500 %; a year before 0: none),
 *        市容 5 (before 2: +150 %; a year before 2: +150 %)
 *   surges: 物业管理 x 沙面街: c 6, b 1, score 5 / √2 = 3.54 (≥ 3);
 *           市容 x 多宝街: c 5, b 2, score 3 / √3 = 1.73: not a surge.
 * 2021-09 has no data before it: its surges are not judged.
 */
static char *
topic_csv(void)
{
	struct hl_buf b = HL_BUF_INIT;
	int n = 0, i, k;

	hl_buf_adds(&b, HEAD2);
	for (i = 0; i < 6; i++) {
		int y = i < 4 ? 2021 : 2022, m = i < 4 ? 9 + i : i - 3;

		topic_row(&b, &n, y, m, 5, "沙面街",
			  "城乡建设-物业管理-物业服务");
		topic_row(&b, &n, y, m, 6, "多宝街", "城市管理-市容");
		topic_row(&b, &n, y, m, 7, "多宝街", "城市管理-市容");
	}
	topic_row(&b, &n, 2021, 3, 5, "多宝街", "城市管理-市容");
	topic_row(&b, &n, 2021, 3, 6, "多宝街", "城市管理-市容");
	for (k = 0; k < 6; k++)
		topic_row(&b, &n, 2022, 3, 1 + k, "沙面街",
			  k % 2 ? "城乡建设－物业管理－电梯"
				: "城乡建设-物业管理-物业服务");
	for (k = 0; k < 5; k++)
		topic_row(&b, &n, 2022, 3, 10 + k, "多宝街", "城市管理-市容");
	return hl_buf_detach(&b, NULL);
}

START_TEST(test_topics_and_surges)
{
	char *csv = topic_csv();
	struct hl_store *store = load(csv);
	struct hl_settings s;
	struct hl_query q;
	json_t *f;

	hl_settings_init(&s);
	memset(&q, 0, sizeof(q));
	q.district = "荔湾区";
	q.period = hl_period_month(2022, 3, 1);
	f = compute(store, &s, &q);
	EQ(f, "topics.level", 2);
	EQ(f, "topics.with_topic", 11);
	STR(f, "topics.before", "2022-02");
	STR(f, "topics.top.0.topic", "城乡建设-物业管理");
	EQ(f, "topics.top.0.tickets", 6);
	EQ(f, "topics.top.0.before", 1);
	EQ(f, "topics.top.0.mom_pct", 500);
	EQ(f, "topics.top.0.year_before", 0);
	ck_assert(json_is_null(get(f, "topics.top.0.yoy_pct")));
	STR(f, "topics.top.1.topic", "城市管理-市容");
	EQ(f, "topics.top.1.mom_pct", 150);
	EQ(f, "topics.top.1.yoy_pct", 150);
	ck_assert_uint_eq(json_array_size(get(f, "topics.top")), 2);
	ck_assert_uint_eq(json_array_size(get(f, "topics.surges")), 1);
	STR(f, "topics.surges.0.topic", "城乡建设-物业管理");
	STR(f, "topics.surges.0.street", "沙面街");
	EQ(f, "topics.surges.0.tickets", 6);
	EQ(f, "topics.surges.0.baseline", 1);
	EQ(f, "topics.surges.0.score", 5 / sqrt(2));
	json_decref(f);
	/* Level 3 splits 物业管理; the full-width dashes are separators. */
	s.topic_level = 3;
	f = compute(store, &s, &q);
	STR(f, "topics.top.0.topic", "城市管理-市容");
	STR(f, "topics.top.1.topic", "城乡建设-物业管理-物业服务");
	EQ(f, "topics.top.1.tickets", 3);
	STR(f, "topics.top.2.topic", "城乡建设-物业管理-电梯");
	json_decref(f);
	/* A lower bar: 市容 surges too, after 物业管理 (score 1.73). */
	s.topic_level = 2;
	s.surge_score = 1.5;
	f = compute(store, &s, &q);
	ck_assert_uint_eq(json_array_size(get(f, "topics.surges")), 2);
	STR(f, "topics.surges.1.topic", "城市管理-市容");
	json_decref(f);
	/* The first month of data: no baseline, not judged. */
	q.period = hl_period_month(2021, 9, 1);
	f = compute(store, &s, &q);
	ck_assert(json_is_null(get(f, "topics.surges")));
	json_decref(f);
	/* A month without topics: none. */
	q.period = hl_period_month(2022, 5, 1);
	f = compute(store, &s, &q);
	ck_assert(json_is_null(get(f, "topics")));
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
	free(csv);
}
END_TEST

/* ---- repeats ---- */

/*
 * 荔湾区, topics X and Y:
 *   R1 02-20 caller 1, X, 沙面街
 *   R2 03-02 quotes R1 (before March: the case crosses the start)
 *   R3 03-10 caller 1, X, 沙面街: 18 days after R1, a repeat by caller
 *   R4 03-15 caller 2, X; R5 03-20 caller 2, Y: another topic, none
 *   R6 04-25 caller 2, X: 41 days after R4, none
 *   R7 03-25 quotes R9, which is not in the database: a repeat
 *   R8 03-28 quotes itself: none
 *   R0 02-25 caller 3, X; R10 03-05 caller 3, X: 8 days, a repeat
 * March: 7 tickets, 4 repeats (2 by quote, 2 by caller), rate 4/7;
 * cases {R1 R2 R3} (3, two in March), {R0 R10} and {R7 R9} (2 each, the
 * one that starts earlier first).
 */
static const char repeat_csv[] =
    HEAD2 "R1,2022-02-20 09:00,荔湾区,沙面街,,,,,,X,13800000001,咨询\n"
	  "R2,2022-03-02 09:00,荔湾区,沙面街,,,,,,X,,再次来电"
	  "【最近派发的工单编号：R1，工单内容：咨询】\n"
	  "R3,2022-03-10 09:00,荔湾区,沙面街,,,,,,X,138-0000-0001,还是\n"
	  "R4,2022-03-15 09:00,荔湾区,沙面街,,,,,,X,13800000002,一\n"
	  "R5,2022-03-20 09:00,荔湾区,沙面街,,,,,,Y,13800000002,二\n"
	  "R6,2022-04-25 09:00,荔湾区,沙面街,,,,,,X,13800000002,三\n"
	  "R7,2022-03-25 09:00,荔湾区,沙面街,,,,,,X,,"
	  "【最近派发的工单编号:R9，工单内容：…】\n"
	  "R8,2022-03-28 09:00,荔湾区,沙面街,,,,,,X,,"
	  "【最近派发的工单编号：R8】\n"
	  "R0,2022-02-25 09:00,荔湾区,沙面街,,,,,,X,13800000003,四\n"
	  "R10,2022-03-05 09:00,荔湾区,沙面街,,,,,,X,+86 138 0000 0003,五\n";

START_TEST(test_repeat_calls)
{
	struct hl_store *store = load(repeat_csv);
	struct hl_settings s;
	struct hl_query q;
	json_t *f;

	hl_settings_init(&s);
	memset(&q, 0, sizeof(q));
	q.district = "荔湾区";
	q.period = hl_period_month(2022, 3, 1);
	f = compute(store, &s, &q);
	EQ(f, "tickets", 7);
	EQ(f, "repeats.tickets", 4);
	EQ(f, "repeats.by_quote", 2);
	EQ(f, "repeats.by_caller", 2);
	EQ(f, "repeats.rate.value", 4.0 / 7);
	EQ(f, "repeats.chains", 3);
	EQ(f, "repeats.largest.0.size", 3);
	EQ(f, "repeats.largest.0.in_period", 2);
	STR(f, "repeats.largest.0.first_ticket", "R1");
	STR(f, "repeats.largest.0.last_ticket", "R3");
	STR(f, "repeats.largest.0.first", "2022-02-20 09:00:00");
	EQ(f, "repeats.largest.1.size", 2);
	STR(f, "repeats.largest.1.first_ticket", "R0");
	STR(f, "repeats.largest.2.first_ticket", "R7");
	STR(f, "repeats.largest.2.last_ticket", "R7");
	ck_assert(json_is_true(get(f, "repeats.callers")));
	json_decref(f);
	/* Callers off: R3 and R10 are no repeats; cases R1 R2 and R7 R9. */
	s.caller_days = 0;
	f = compute(store, &s, &q);
	EQ(f, "repeats.tickets", 2);
	EQ(f, "repeats.by_caller", 0);
	EQ(f, "repeats.chains", 2);
	EQ(f, "repeats.largest.0.size", 2);
	STR(f, "repeats.largest.0.first_ticket", "R1");
	json_decref(f);
	/* No lookback: R0 and R1 are not read, so R10 and R3 repeat
	 * nothing; R1 is still R2's quoted ticket. */
	s.caller_days = 30;
	s.lookback_days = 0;
	f = compute(store, &s, &q);
	EQ(f, "repeats.tickets", 2);
	EQ(f, "repeats.by_caller", 0);
	EQ(f, "repeats.chains", 2);
	STR(f, "repeats.largest.0.first_ticket", "R1");
	STR(f, "repeats.largest.0.last_ticket", "R2");
	json_decref(f);
	/* April: R6 is 41 days after R4. */
	s.lookback_days = 365;
	q.period = hl_period_month(2022, 4, 1);
	f = compute(store, &s, &q);
	EQ(f, "repeats.tickets", 0);
	EQ(f, "repeats.chains", 0);
	json_decref(f);
	hl_settings_release(&s);
	hl_store_free(store);
}
END_TEST

static Suite *
analyses_suite(void)
{
	Suite *s = suite_create("analyses");

	hl_check_case(s, "periods", setup, teardown, test_period_names,
		      test_month_start_day, NULL);
	hl_check_case(s, "assessment", setup, teardown, test_beijing_scheme,
		      NULL);
	hl_check_case(s, "topics", setup, teardown, test_topics_and_surges,
		      NULL);
	hl_check_case(s, "repeats", setup, teardown, test_repeat_calls, NULL);
	return s;
}

HL_CHECK_MAIN(analyses_suite)
