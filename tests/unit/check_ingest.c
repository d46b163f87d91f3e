/*
 * check_ingest.c - unit tests of the ingest module's mapping layer: the
 * canonical fields, header aliases, value vocabularies, user mapping files
 * and header resolution.
 *
 * Expected values come from the documents, not from the code: the header
 * lines of docs/sample-data.md's three variants and of a real NYC 311
 * export (tests/data/mapping/nyc311-header.csv), and the vocabularies of
 * docs/domain.md §3 and mapping.h.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "ingest/fields.h"
#include "ingest/mapping.h"
#include "util/util.h"

#define MAPDIR HL_TEST_DATA "/mapping/"

/* ------------------------------------------------------------------ */
/* fields */

START_TEST(test_field_names)
{
	static const char *const want[HL_F_COUNT] = {
	    "ticket_id",     "accepted_at",    "channel",      "category",
	    "is_key",        "district",       "street",       "unit",
	    "dispatched_at", "signed_at",      "deadline_at",  "closed_at",
	    "status",        "satisfaction",   "reopen_count", "content",
	    "updated_at",    "valid_callback", "contacted",    "resolved",
	    "in_assessment", "unreasonable",   "topic",        "topic_1",
	    "topic_2",       "topic_3",        "topic_4",      "topic_5",
	    "caller",
	};
	int f;

	for (f = 0; f < HL_F_COUNT; f++) {
		ck_assert_str_eq(hl_field_name((enum hl_field)f), want[f]);
		ck_assert_int_eq(hl_field_from_name(want[f]), f);
	}
	ck_assert_ptr_null(hl_field_name(HL_F_COUNT));
	ck_assert_int_eq(hl_field_from_name("Ticket_ID"), -1);
	ck_assert_int_eq(hl_field_from_name(""), -1);
}
END_TEST

START_TEST(test_field_kinds)
{
	int f, nreq = 0, ntime = 0;

	for (f = 0; f < HL_F_COUNT; f++) {
		nreq += hl_field_required((enum hl_field)f);
		ntime += hl_field_is_time((enum hl_field)f);
	}
	ck_assert_int_eq(nreq, 2);
	ck_assert(hl_field_required(HL_F_TICKET_ID));
	ck_assert(hl_field_required(HL_F_ACCEPTED_AT));
	ck_assert_int_eq(ntime, 6);
	ck_assert(hl_field_is_time(HL_F_UPDATED_AT));
	ck_assert(hl_field_is_time(HL_F_ACCEPTED_AT));
	ck_assert(hl_field_is_time(HL_F_DISPATCHED_AT));
	ck_assert(hl_field_is_time(HL_F_SIGNED_AT));
	ck_assert(hl_field_is_time(HL_F_DEADLINE_AT));
	ck_assert(hl_field_is_time(HL_F_CLOSED_AT));
}
END_TEST

START_TEST(test_value_names)
{
	ck_assert_str_eq(hl_category_name(HL_CAT_CONSULT), "consult");
	ck_assert_str_eq(hl_category_name(HL_CAT_OTHER), "other");
	ck_assert_ptr_null(hl_category_name(HL_CAT_COUNT));
	ck_assert_str_eq(hl_satisfaction_name(HL_SAT_NOT_EVALUATED),
			 "not_evaluated");
	ck_assert_ptr_null(hl_satisfaction_name(HL_SAT_COUNT));
	ck_assert_str_eq(hl_status_name(HL_ST_AWAITING_DISPATCH),
			 "awaiting_dispatch");
	ck_assert_str_eq(hl_status_name(HL_ST_UNKNOWN), "unknown");
	ck_assert_ptr_null(hl_status_name(HL_ST_COUNT));
}
END_TEST

/* ------------------------------------------------------------------ */
/* headers */

/* Every built-in alias: domain.md §2, Open311, NYC 311. */
static const struct {
	const char *h;
	int field;
} alias_table[] = {
    {"工单编号", HL_F_TICKET_ID},
    {"12345工单编号", HL_F_TICKET_ID},
    {"工单号", HL_F_TICKET_ID},
    {"任务编号", HL_F_TICKET_ID},
    {"序号", HL_F_TICKET_ID},
    {"service_request_id", HL_F_TICKET_ID},
    {"Unique Key", HL_F_TICKET_ID},
    {"受理时间", HL_F_ACCEPTED_AT},
    {"来电时间", HL_F_ACCEPTED_AT},
    {"创建时间", HL_F_ACCEPTED_AT},
    {"登记时间", HL_F_ACCEPTED_AT},
    {"留言时间", HL_F_ACCEPTED_AT},
    {"requested_datetime", HL_F_ACCEPTED_AT},
    {"Created Date", HL_F_ACCEPTED_AT},
    {"来源渠道", HL_F_CHANNEL},
    {"工单来源", HL_F_CHANNEL},
    {"受理渠道", HL_F_CHANNEL},
    {"来源", HL_F_CHANNEL},
    {"Open Data Channel Type", HL_F_CHANNEL},
    {"诉求类型", HL_F_CATEGORY},
    {"工单类型", HL_F_CATEGORY},
    {"来电类别", HL_F_CATEGORY},
    {"service_name", HL_F_CATEGORY},
    {"Complaint Type", HL_F_CATEGORY},
    {"是否重点工单", HL_F_IS_KEY},
    {"工单级别", HL_F_IS_KEY},
    {"所属区", HL_F_DISTRICT},
    {"区域", HL_F_DISTRICT},
    {"被反映区", HL_F_DISTRICT},
    {"Borough", HL_F_DISTRICT},
    {"所属街道", HL_F_STREET},
    {"街道", HL_F_STREET},
    {"镇街", HL_F_STREET},
    {"被反映街乡镇", HL_F_STREET},
    {"承办单位", HL_F_UNIT},
    {"主办单位", HL_F_UNIT},
    {"实际承办单位", HL_F_UNIT},
    {"二级承办单位简称", HL_F_UNIT},
    {"agency_responsible", HL_F_UNIT},
    {"Agency", HL_F_UNIT},
    {"派单时间", HL_F_DISPATCHED_AT},
    {"转办时间", HL_F_DISPATCHED_AT},
    {"派遣时间", HL_F_DISPATCHED_AT},
    {"签收时间", HL_F_SIGNED_AT},
    {"办理时限", HL_F_DEADLINE_AT},
    {"办结时限", HL_F_DEADLINE_AT},
    {"截止时间", HL_F_DEADLINE_AT},
    {"应办结时间", HL_F_DEADLINE_AT},
    {"expected_datetime", HL_F_DEADLINE_AT},
    {"Due Date", HL_F_DEADLINE_AT},
    {"办结时间", HL_F_CLOSED_AT},
    {"结案时间", HL_F_CLOSED_AT},
    {"办结日期", HL_F_CLOSED_AT},
    {"closed_date", HL_F_CLOSED_AT},
    {"Closed Date", HL_F_CLOSED_AT},
    {"工单状态", HL_F_STATUS},
    {"案件状态", HL_F_STATUS},
    {"status", HL_F_STATUS},
    {"Status", HL_F_STATUS},
    {"满意度", HL_F_SATISFACTION},
    {"回访结果", HL_F_SATISFACTION},
    {"是否满意", HL_F_SATISFACTION},
    {"评价结果", HL_F_SATISFACTION},
    {"重办次数", HL_F_REOPEN_COUNT},
    {"是否重办", HL_F_REOPEN_COUNT},
    {"诉求内容", HL_F_CONTENT},
    {"内容描述", HL_F_CONTENT},
    {"事项内容", HL_F_CONTENT},
    {"主要内容", HL_F_CONTENT},
    {"description", HL_F_CONTENT},
    /* Matching ignores surrounding spaces and ASCII case, nothing else. */
    {"  工单编号\t", HL_F_TICKET_ID},
    {"\xE3\x80\x80受理时间\xE3\x80\x80", HL_F_ACCEPTED_AT},
    {"UNIQUE KEY", HL_F_TICKET_ID},
    {" created date ", HL_F_ACCEPTED_AT},
    {"Service_Request_ID", HL_F_TICKET_ID},
    {"Unique  Key", -1},
    {"UniqueKey", -1},
    {"工单 编号", -1},
    {"Agency Name", -1},
    {"Park Borough", -1},
    {"Street Name", -1},
    {"updated_datetime", HL_F_UPDATED_AT},
    {"更新时间", HL_F_UPDATED_AT},
    /* docs/domain.md §8 */
    {"是否有效回访", HL_F_VALID_CALLBACK},
    {"有效回访", HL_F_VALID_CALLBACK},
    {"是否联系", HL_F_CONTACTED},
    {"是否响应", HL_F_CONTACTED},
    {"是否解决", HL_F_RESOLVED},
    {"解决情况", HL_F_RESOLVED},
    {"是否纳入考核", HL_F_IN_ASSESSMENT},
    {"纳入考核", HL_F_IN_ASSESSMENT},
    {"是否不合理诉求", HL_F_UNREASONABLE},
    {"不合理诉求", HL_F_UNREASONABLE},
    {"问题分类", HL_F_TOPIC},
    {"诉求分类", HL_F_TOPIC},
    {"事项分类", HL_F_TOPIC},
    {"业务分类", HL_F_TOPIC},
    {"一级分类", HL_F_TOPIC_1},
    {"二级分类", HL_F_TOPIC_2},
    {"三级分类", HL_F_TOPIC_3},
    {"四级分类", HL_F_TOPIC_4},
    {"五级分类", HL_F_TOPIC_5},
    {"来电号码", HL_F_CALLER},
    {"联系电话", HL_F_CALLER},
    {"来电人电话", HL_F_CALLER},
    {"主叫号码", HL_F_CALLER},
    {"六级分类", -1},
    {"address", -1},
    {"", -1},
    {"   ", -1},
};

START_TEST(test_header_alias)
{
	struct hl_mapping *m = hl_mapping_new();
	const char *h = alias_table[_i].h;

	ck_assert_msg(
	    hl_mapping_header(m, h, strlen(h)) == alias_table[_i].field,
	    "header '%s': got %d, want %d", h,
	    hl_mapping_header(m, h, strlen(h)), alias_table[_i].field);
	hl_mapping_free(m);
}
END_TEST

/* The header lines of docs/sample-data.md, variant 3 in its own order. */
static char *variant_headers[3][HL_F_UPDATED_AT] = {
    {"工单编号", "受理时间", "来源渠道", "诉求类型", "是否重点工单", "所属区",
     "所属街道", "承办单位", "派单时间", "签收时间", "办理时限", "办结时间",
     "工单状态", "满意度", "重办次数", "诉求内容"},
    {"12345工单编号", "来电时间", "工单来源", "工单类型", "工单级别", "区域",
     "镇街", "主办单位", "转办时间", "签收时间", "办结时限", "结案时间",
     "案件状态", "回访结果", "是否重办", "内容描述"},
    {"工单号", "登记时间", "被反映区", "被反映街乡镇", "来电类别", "事项内容",
     "受理渠道", "是否重点工单", "实际承办单位", "派遣时间", "签收时间",
     "截止时间", "办结日期", "工单状态", "评价结果", "重办次数"},
};

/* Column of each field in variant 3 (sample-data.md, position - 1). */
static const long variant3_col[HL_F_COUNT] = {
    0, 1,  6,  4,  7,  2,  3,  8,  9,  10, 11, 12, 13, 14, 15,
    5, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

START_TEST(test_header_variants)
{
	struct hl_mapping *m = hl_mapping_new();
	struct hl_columns c;
	int f;

	hl_columns_init(&c);
	ck_assert_int_eq(
	    hl_mapping_resolve(m, variant_headers[_i], HL_F_UPDATED_AT, &c), 0);
	ck_assert_str_eq(hl_mapping_errmsg(m), "");
	/* The generator writes no update time. */
	for (f = 0; f < HL_F_COUNT; f++)
		ck_assert_int_eq(c.col[f], _i < 2
					       ? (f >= HL_F_UPDATED_AT ? -1 : f)
					       : variant3_col[f]);
	ck_assert_uint_eq(c.nunmapped, 0);
	ck_assert_uint_eq(c.ndups, 0);
	hl_columns_release(&c);
	hl_mapping_free(m);
}
END_TEST

/* Splits a header line (no quoting: the NYC header has none) in place. */
static size_t
split_header(char *line, char **cells, size_t max)
{
	size_t n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		cells[n++] = p;
		if ((p = strchr(p, ',')) == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

static size_t
read_header(const char *path, char *line, size_t size, char **cells, size_t max)
{
	FILE *fp = fopen(path, "r");

	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(line, (int)size, fp));
	fclose(fp);
	return split_header(line, cells, max);
}

START_TEST(test_header_nyc)
{
	struct hl_mapping *m = hl_mapping_new();
	struct hl_columns c;
	char line[2048], *cells[64];
	size_t n;

	n = read_header(MAPDIR "nyc311-header.csv", line, sizeof(line), cells,
			64);
	ck_assert_uint_eq(n, 46);
	hl_columns_init(&c);
	ck_assert_int_eq(hl_mapping_resolve(m, cells, n, &c), 0);
	ck_assert_int_eq(c.col[HL_F_TICKET_ID], 0);    /* Unique Key */
	ck_assert_int_eq(c.col[HL_F_ACCEPTED_AT], 1);  /* Created Date */
	ck_assert_int_eq(c.col[HL_F_CLOSED_AT], 2);    /* Closed Date */
	ck_assert_int_eq(c.col[HL_F_UNIT], 3);         /* Agency */
	ck_assert_int_eq(c.col[HL_F_CATEGORY], 5);     /* Complaint Type */
	ck_assert_int_eq(c.col[HL_F_STATUS], 19);      /* Status */
	ck_assert_int_eq(c.col[HL_F_DEADLINE_AT], 20); /* Due Date */
	ck_assert_int_eq(c.col[HL_F_DISTRICT], 25);    /* Borough */
	ck_assert_int_eq(c.col[HL_F_CHANNEL], 28); /* Open Data Channel Type */
	ck_assert_int_eq(c.col[HL_F_CONTENT], -1);
	ck_assert_int_eq(c.col[HL_F_SATISFACTION], -1);
	ck_assert_int_eq(c.col[HL_F_STREET], -1);
	ck_assert_uint_eq(c.nunmapped, 46 - 9);
	ck_assert_uint_eq(c.unmapped[0], 4); /* Agency Name */
	ck_assert_uint_eq(c.unmapped[c.nunmapped - 1], 45);
	ck_assert_uint_eq(c.ndups, 0);
	hl_columns_release(&c);
	hl_mapping_free(m);
}
END_TEST

START_TEST(test_header_bom_space_case)
{
	struct hl_mapping *m = hl_mapping_new();
	struct hl_columns c;
	char *h[] = {"\xEF\xBB\xBF工单编号", " CREATED DATE ", "\tstatus\r",
		     "\xEF\xBB\xBF诉求类型"};

	hl_columns_init(&c);
	ck_assert_int_eq(hl_mapping_resolve(m, h, 4, &c), 0);
	ck_assert_int_eq(c.col[HL_F_TICKET_ID], 0);
	ck_assert_int_eq(c.col[HL_F_ACCEPTED_AT], 1);
	ck_assert_int_eq(c.col[HL_F_STATUS], 2);
	/* A BOM is only stripped from the first header. */
	ck_assert_int_eq(c.col[HL_F_CATEGORY], -1);
	ck_assert_uint_eq(c.nunmapped, 1);
	ck_assert_uint_eq(c.unmapped[0], 3);
	hl_columns_release(&c);
	hl_mapping_free(m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* values */

static const struct {
	const char *s;
	int want;
	int known;
} category_table[] = {
    {"咨询", HL_CAT_CONSULT, 1},
    {"求助", HL_CAT_HELP, 1},
    {"投诉", HL_CAT_COMPLAINT, 1},
    {"举报", HL_CAT_REPORT, 1},
    {"建议", HL_CAT_SUGGESTION, 1},
    {"表扬", HL_CAT_PRAISE, 1},
    {"其他", HL_CAT_OTHER, 1},
    {"咨询类", HL_CAT_CONSULT, 1},
    {"求助类", HL_CAT_HELP, 1},
    {"投诉类", HL_CAT_COMPLAINT, 1},
    {"举报类", HL_CAT_REPORT, 1},
    {"投诉举报类", HL_CAT_COMPLAINT, 1},
    {"意见建议类", HL_CAT_SUGGESTION, 1},
    {"建议类", HL_CAT_SUGGESTION, 1},
    {"感谢", HL_CAT_PRAISE, 1},
    {"感谢类", HL_CAT_PRAISE, 1},
    {"表扬类", HL_CAT_PRAISE, 1},
    {"其它", HL_CAT_OTHER, 1},
    {"其它类", HL_CAT_OTHER, 1},
    {"其他类", HL_CAT_OTHER, 1},
    {" 咨询 ", HL_CAT_CONSULT, 1},
    {"\xE3\x80\x80投诉\r\n", HL_CAT_COMPLAINT, 1},
    {"咨询x", HL_CAT_OTHER, 0},
    {"咨", HL_CAT_OTHER, 0},
    {"Noise - Residential", HL_CAT_OTHER, 0},
    {"", HL_CAT_OTHER, 0},
    {"-", HL_CAT_OTHER, 0},
};

START_TEST(test_value_category)
{
	const char *s = category_table[_i].s;
	int known = -1;

	ck_assert_int_eq(hl_map_category(s, strlen(s), &known),
			 category_table[_i].want);
	ck_assert_int_eq(known, category_table[_i].known);
	ck_assert_int_eq(hl_map_category(s, strlen(s), NULL),
			 category_table[_i].want);
}
END_TEST

static const struct {
	const char *s;
	int want;
	int known;
} satisfaction_table[] = {
    {"满意", HL_SAT_SATISFIED, 1},
    {"基本满意", HL_SAT_BASIC, 1},
    {"不满意", HL_SAT_UNSATISFIED, 1},
    {"非常满意", HL_SAT_SATISFIED, 1},
    {"非常不满意", HL_SAT_UNSATISFIED, 1},
    {"比较满意", HL_SAT_BASIC, 1},
    {"一般", HL_SAT_BASIC, 1},
    {"理解", HL_SAT_BASIC, 1},
    {"双满意", HL_SAT_SATISFIED, 1},
    {"单满意", HL_SAT_BASIC, 1},
    {"是", HL_SAT_SATISFIED, 1},
    {"否", HL_SAT_UNSATISFIED, 1},
    {"未评价", HL_SAT_NOT_EVALUATED, 1},
    {"未回访", HL_SAT_NOT_EVALUATED, 1},
    {"无法回访", HL_SAT_NOT_EVALUATED, 1},
    {"有争议", HL_SAT_NOT_EVALUATED, 1},
    {"", HL_SAT_NOT_EVALUATED, 1},
    {"  ", HL_SAT_NOT_EVALUATED, 1},
    {"-", HL_SAT_NOT_EVALUATED, 1},
    {"无", HL_SAT_NOT_EVALUATED, 1},
    {"NULL", HL_SAT_NOT_EVALUATED, 1},
    {" 不满意 ", HL_SAT_UNSATISFIED, 1},
    {"2", HL_SAT_NOT_EVALUATED, 0},
    {"很满意", HL_SAT_NOT_EVALUATED, 0},
    {"满", HL_SAT_NOT_EVALUATED, 0},
};

START_TEST(test_value_satisfaction)
{
	const char *s = satisfaction_table[_i].s;
	int known = -1;

	ck_assert_int_eq(hl_map_satisfaction(s, strlen(s), &known),
			 satisfaction_table[_i].want);
	ck_assert_int_eq(known, satisfaction_table[_i].known);
}
END_TEST

static const struct {
	const char *s;
	int want;
} yesno_table[] = {
    {"是", 1},   {"否", 0},    {"Y", 1},     {"N", 0},    {"y", 1},
    {"n", 0},    {"1", 1},     {"0", 0},     {"true", 1}, {"false", 0},
    {"TRUE", 1}, {"False", 0}, {"重点", 1},  {"普通", 0}, {"yes", 1},
    {"no", 0},   {"Yes", 1},   {"NO", 0},    {" 是 ", 1}, {"", -1},
    {"-", -1},   {"2", -1},    {"是的", -1}, {"t", -1},   {"ye", -1},
};

START_TEST(test_value_yesno)
{
	const char *s = yesno_table[_i].s;

	ck_assert_int_eq(hl_map_yesno(s, strlen(s)), yesno_table[_i].want);
}
END_TEST

static const struct {
	const char *s;
	int want;
	int known;
} status_table[] = {
    {"待派单", HL_ST_AWAITING_DISPATCH, 1},
    {"待签收", HL_ST_AWAITING_SIGN, 1},
    {"办理中", HL_ST_IN_PROGRESS, 1},
    {"处理中", HL_ST_IN_PROGRESS, 1},
    {"重办中", HL_ST_IN_PROGRESS, 1},
    {"已办结", HL_ST_CLOSED, 1},
    {"办结", HL_ST_CLOSED, 1},
    {"已结案", HL_ST_CLOSED, 1},
    {"已回访", HL_ST_CALLED_BACK, 1},
    {"已归档", HL_ST_ARCHIVED, 1},
    {"Closed", HL_ST_CLOSED, 1},
    {"closed", HL_ST_CLOSED, 1},
    {"open", HL_ST_IN_PROGRESS, 1},
    {"Open", HL_ST_IN_PROGRESS, 1},
    {"In Progress", HL_ST_IN_PROGRESS, 1},
    {"Assigned", HL_ST_IN_PROGRESS, 1},
    {"Pending", HL_ST_IN_PROGRESS, 1},
    {"Started", HL_ST_IN_PROGRESS, 1},
    {" 已办结\t", HL_ST_CLOSED, 1},
    {"Unspecified", HL_ST_UNKNOWN, 0},
    {"InProgress", HL_ST_UNKNOWN, 0},
    {"", HL_ST_UNKNOWN, 0},
};

START_TEST(test_value_status)
{
	const char *s = status_table[_i].s;
	int known = -1;

	ck_assert_int_eq(hl_map_status(s, strlen(s), &known),
			 status_table[_i].want);
	ck_assert_int_eq(known, status_table[_i].known);
}
END_TEST

static const struct {
	const char *s;
	int want;
} reopen_table[] = {
    {"0", 0},
    {"1", 1},
    {"2", 2},
    {" 3 ", 3},
    {"007", 7},
    {"1000", 1000},
    {"1001", HL_REOPEN_INVALID},
    {"99999999999999999999", HL_REOPEN_INVALID},
    {"是", 1},
    {"否", 0},
    {"", HL_REOPEN_ABSENT},
    {"-", HL_REOPEN_ABSENT},
    {"无", HL_REOPEN_ABSENT},
    {"-1", HL_REOPEN_INVALID},
    {"1.0", HL_REOPEN_INVALID},
    {"2次", HL_REOPEN_INVALID},
    {"abc", HL_REOPEN_INVALID},
};

START_TEST(test_value_reopen)
{
	const char *s = reopen_table[_i].s;

	ck_assert_int_eq(hl_map_reopen(s, strlen(s)), reopen_table[_i].want);
}
END_TEST

static const struct {
	const char *s;
	int want;
} empty_table[] = {
    {"", 1},     {" ", 1},    {"\t \r\n", 1}, {"\xE3\x80\x80", 1},
    {"-", 1},    {" - ", 1},  {"无", 1},      {"NULL", 1},
    {"null", 1}, {"Null", 1}, {"N/A", 0},     {"NA", 0},
    {"--", 0},   {"0", 0},    {"无效", 0},    {"nil", 0},
};

START_TEST(test_value_empty)
{
	const char *s = empty_table[_i].s;

	ck_assert_msg(hl_map_is_empty(s, strlen(s)) == empty_table[_i].want,
		      "'%s'", s);
}
END_TEST

START_TEST(test_value_trim_and_length)
{
	const char buf[] = "  投诉  extra";
	const char *s = "\xE3\x80\x80 ab \xE3\x80\x80";
	size_t len = strlen(s);
	int known;

	/* Only len bytes are read: no NUL needed after the value. */
	ck_assert_int_eq(hl_map_category(buf, 8, &known), HL_CAT_COMPLAINT);
	ck_assert_int_eq(known, 1);
	ck_assert_int_eq(hl_map_yesno("yesno", 3), 1);
	ck_assert_int_eq(hl_map_reopen("123", 2), 12);
	hl_map_trim(&s, &len);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(memcmp(s, "ab", 2), 0);
	/* A lone lead byte of U+3000 is not a space. */
	s = "\xE3\x80";
	len = 2;
	hl_map_trim(&s, &len);
	ck_assert_uint_eq(len, 2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* mapfile */

static struct hl_mapping *
load_ok(const char *path)
{
	struct hl_mapping *m = hl_mapping_new();

	ck_assert_msg(hl_mapping_load(m, path) == 0, "%s",
		      hl_mapping_errmsg(m));
	ck_assert_str_eq(hl_mapping_errmsg(m), "");
	return m;
}

#define CAT(m, s) hl_mapping_category(m, s, strlen(s), NULL)
#define SAT(m, s) hl_mapping_satisfaction(m, s, strlen(s), NULL)
#define STATUS(m, s) hl_mapping_status(m, s, strlen(s), NULL)
#define YESNO(m, s) hl_mapping_yesno(m, s, strlen(s))
#define HEADER(m, s) hl_mapping_header(m, s, strlen(s))

START_TEST(test_mapfile_good)
{
	struct hl_mapping *m = load_ok(MAPDIR "good.ini");
	int known = 0;

	/* [columns], with indentation, an inline comment and a BOM line 1. */
	ck_assert_int_eq(HEADER(m, "Ticket No"), HL_F_TICKET_ID);
	ck_assert_int_eq(HEADER(m, "ticket no"), HL_F_TICKET_ID);
	ck_assert_int_eq(HEADER(m, "When"), HL_F_ACCEPTED_AT);
	ck_assert_int_eq(HEADER(m, "工单类型"), HL_F_CONTENT);
	ck_assert_int_eq(HEADER(m, "工单编号"), HL_F_TICKET_ID);

	ck_assert_int_eq(
	    hl_mapping_category(m, "NOISE - residential", 19, &known),
	    HL_CAT_COMPLAINT);
	ck_assert_int_eq(known, 1);
	ck_assert_int_eq(CAT(m, " Question "), HL_CAT_CONSULT);
	ck_assert_int_eq(CAT(m, "投诉"), HL_CAT_COMPLAINT);
	ck_assert_int_eq(hl_mapping_category(m, "Noise", 5, &known),
			 HL_CAT_OTHER);
	ck_assert_int_eq(known, 0);

	ck_assert_int_eq(SAT(m, "4"), HL_SAT_SATISFIED);
	ck_assert_int_eq(SAT(m, "3"), HL_SAT_BASIC);
	ck_assert_int_eq(SAT(m, "0"), HL_SAT_UNSATISFIED);
	ck_assert_int_eq(SAT(m, "no answer"), HL_SAT_NOT_EVALUATED);
	ck_assert_int_eq(SAT(m, "不满意"), HL_SAT_UNSATISFIED);
	ck_assert_int_eq(hl_mapping_satisfaction(m, "5", 1, &known),
			 HL_SAT_NOT_EVALUATED);
	ck_assert_int_eq(known, 0);

	ck_assert_int_eq(YESNO(m, "key"), 1);
	ck_assert_int_eq(YESNO(m, "Ordinary"), 0);
	ck_assert_int_eq(YESNO(m, "否"), 0);
	ck_assert_int_eq(YESNO(m, "maybe"), HL_YESNO_UNKNOWN);

	ck_assert_int_eq(hl_mapping_status(m, "unspecified", 11, &known),
			 HL_ST_UNKNOWN);
	ck_assert_int_eq(known, 1);
	ck_assert_int_eq(STATUS(m, "Draft"), HL_ST_AWAITING_DISPATCH);
	ck_assert_int_eq(STATUS(m, "waiting"), HL_ST_AWAITING_SIGN);
	ck_assert_int_eq(STATUS(m, "DONE"), HL_ST_CALLED_BACK);
	ck_assert_int_eq(STATUS(m, "已办结"), HL_ST_CLOSED);
	ck_assert_int_eq(hl_mapping_status(m, "Cancelled", 9, &known),
			 HL_ST_UNKNOWN);
	ck_assert_int_eq(known, 0);

	ck_assert_str_eq(hl_mapping_date_format(m, HL_F_ACCEPTED_AT),
			 "%m/%d/%Y %I:%M:%S %p");
	ck_assert_str_eq(hl_mapping_date_format(m, HL_F_CLOSED_AT), "%Y-%m-%d");
	ck_assert_ptr_null(hl_mapping_date_format(m, HL_F_DEADLINE_AT));
	ck_assert_ptr_null(hl_mapping_date_format(m, HL_F_COUNT));
	hl_mapping_free(m);
}
END_TEST

START_TEST(test_mapfile_precedence)
{
	struct hl_mapping *m = load_ok(MAPDIR "good.ini");
	struct hl_mapping *b = hl_mapping_new();

	/* The same words, built-in and with good.ini's entries. */
	ck_assert_int_eq(CAT(b, "咨询"), HL_CAT_CONSULT);
	ck_assert_int_eq(CAT(m, "咨询"), HL_CAT_HELP);
	ck_assert_int_eq(SAT(b, "满意"), HL_SAT_SATISFIED);
	ck_assert_int_eq(SAT(m, "满意"), HL_SAT_BASIC);
	ck_assert_int_eq(YESNO(b, "是"), 1);
	ck_assert_int_eq(YESNO(m, "是"), 0);
	ck_assert_int_eq(STATUS(b, "CLOSED"), HL_ST_CLOSED);
	ck_assert_int_eq(STATUS(m, "CLOSED"), HL_ST_ARCHIVED);
	ck_assert_int_eq(HEADER(b, "工单类型"), HL_F_CATEGORY);
	ck_assert_int_eq(HEADER(m, "工单类型"), HL_F_CONTENT);
	/* The reopen count reads yes/no through the user's table too. */
	ck_assert_int_eq(hl_mapping_reopen(b, "是", 3), 1);
	ck_assert_int_eq(hl_mapping_reopen(m, "是", 3), 0);
	ck_assert_int_eq(hl_mapping_reopen(m, "KEY", 3), 1);
	ck_assert_int_eq(hl_mapping_reopen(m, "12", 2), 12);
	ck_assert_int_eq(hl_mapping_reopen(m, "", 0), HL_REOPEN_ABSENT);
	ck_assert_int_eq(hl_mapping_reopen(m, "x", 1), HL_REOPEN_INVALID);
	hl_mapping_free(b);
	hl_mapping_free(m);
}
END_TEST

START_TEST(test_mapfile_long_lines)
{
	struct hl_mapping *m = load_ok(MAPDIR "long-ok.ini");
	char h[200];

	memset(h, 'x', 187);
	ck_assert_int_eq(hl_mapping_header(m, h, 187), HL_F_TICKET_ID);
	memset(h, 'z', 188);
	ck_assert_int_eq(hl_mapping_header(m, h, 188), HL_F_CONTENT);
	hl_mapping_free(m);
}
END_TEST

static const struct {
	const char *file;
	const char *msg; /* after "<dir>/<file>" */
} bad_table[] = {
    {"bad-section.ini",
     ":5: unknown section 'colums' (expected columns, category, "
     "satisfaction, yesno, status or dates)"},
    {"bad-field.ini",
     ":2: unknown field 'ticketid' (expected ticket_id, accepted_at, "
     "channel, category, is_key, district, street, unit, dispatched_at, "
     "signed_at, deadline_at, closed_at, status, satisfaction, "
     "reopen_count, content, updated_at, valid_callback, contacted, "
     "resolved, in_assessment, unreasonable, topic, topic_1, topic_2, "
     "topic_3, topic_4, topic_5 or caller)"},
    {"bad-category.ini",
     ":3: unknown category 'consultation' (expected consult, help, "
     "complaint, report, suggestion, praise or other)"},
    {"bad-satisfaction.ini",
     ":2: unknown satisfaction 'fine' (expected satisfied, basic, "
     "unsatisfied or not_evaluated)"},
    {"bad-yesno.ini", ":2: unknown yes/no value 'true' (expected no or yes)"},
    {"bad-status.ini",
     ":2: unknown status 'finished' (expected awaiting_dispatch, "
     "awaiting_sign, in_progress, closed, called_back, archived or "
     "unknown)"},
    {"bad-duplicate.ini",
     ":4: duplicate key 'CLOSED' in [status] (first on line 2)"},
    {"bad-malformed.ini",
     ":3: malformed line (expected 'key = value' or '[section]')"},
    {"bad-bracket.ini",
     ":1: malformed line (expected 'key = value' or '[section]')"},
    {"bad-emptykey.ini", ":2: malformed line (expected 'key = value')"},
    {"bad-outside.ini", ":1: entry 'Ticket' outside a section"},
    {"bad-datefield.ini",
     ":2: 'status' is not a date-time field (expected accepted_at, "
     "dispatched_at, signed_at, deadline_at or closed_at)"},
    {"bad-dateempty.ini", ":2: empty date format for 'accepted_at'"},
    {"bad-datefmt.ini", ":3: invalid date format '%m/%d/%Y %I:%M:%S' for "
			"'accepted_at': %I without %p"},
    {"bad-datedup.ini",
     ":3: duplicate key 'closed_at' in [dates] (first on line 2)"},
    {"bad-long.ini", ":4: line too long (more than 199 bytes)"},
    {"bad-two-fields.ini",
     ":2: unknown field 'nosuch' (expected ticket_id, accepted_at, "
     "channel, category, is_key, district, street, unit, dispatched_at, "
     "signed_at, deadline_at, closed_at, status, satisfaction, "
     "reopen_count, content, updated_at, valid_callback, contacted, "
     "resolved, in_assessment, unreasonable, topic, topic_1, topic_2, "
     "topic_3, topic_4, topic_5 or caller)"},
    {"bad-twice.ini", ":2: field 'content' given twice"},
    {"bad-caller-shared.ini",
     ":2: field 'caller' cannot share a column with another field"},
    /* The first error is the one reported. */
    {"bad-first.ini",
     ":2: unknown status 'finished' (expected awaiting_dispatch, "
     "awaiting_sign, in_progress, closed, called_back, archived or "
     "unknown)"},
};

START_TEST(test_mapfile_bad_message)
{
	struct hl_mapping *m = hl_mapping_new();
	char path[512], want[1024];

	snprintf(path, sizeof(path), "%s%s", MAPDIR, bad_table[_i].file);
	snprintf(want, sizeof(want), "%s%s", path, bad_table[_i].msg);
	ck_assert_int_eq(hl_mapping_load(m, path), -1);
	ck_assert_str_eq(hl_mapping_errmsg(m), want);
	hl_mapping_free(m);
}
END_TEST

START_TEST(test_mapfile_open_errors)
{
	struct hl_mapping *m = hl_mapping_new();

	ck_assert_int_eq(hl_mapping_load(m, MAPDIR "no-such.ini"), -1);
	ck_assert_str_eq(hl_mapping_errmsg(m),
			 "cannot open '" MAPDIR
			 "no-such.ini': No such file or directory");
	hl_mapping_free(m);

	m = load_ok(MAPDIR "good.ini");
	ck_assert_int_eq(hl_mapping_load(m, MAPDIR "good.ini"), -1);
	ck_assert_str_eq(hl_mapping_errmsg(m),
			 "cannot load '" MAPDIR
			 "good.ini': a mapping file is already loaded");
	hl_mapping_free(m);
	hl_mapping_free(NULL);
}
END_TEST

START_TEST(test_mapfile_nyc311)
{
	struct hl_mapping *m =
	    load_ok(HL_TEST_DATA "/../../mappings/nyc311.ini");
	struct hl_columns c;
	char line[2048], *cells[64];
	size_t n;
	int known;

	n = read_header(MAPDIR "nyc311-header.csv", line, sizeof(line), cells,
			64);
	hl_columns_init(&c);
	ck_assert_int_eq(hl_mapping_resolve(m, cells, n, &c), 0);
	ck_assert_int_eq(c.col[HL_F_TICKET_ID], 0);
	ck_assert_int_eq(c.col[HL_F_ACCEPTED_AT], 1);
	ck_assert_int_eq(c.col[HL_F_CLOSED_AT], 2);
	ck_assert_int_eq(c.col[HL_F_UNIT], 3);
	ck_assert_int_eq(c.col[HL_F_CATEGORY], 5);
	ck_assert_int_eq(c.col[HL_F_CONTENT], 6); /* Descriptor */
	ck_assert_int_eq(c.col[HL_F_STATUS], 19);
	ck_assert_int_eq(c.col[HL_F_DEADLINE_AT], 20);
	ck_assert_int_eq(c.col[HL_F_DISTRICT], 25);
	ck_assert_int_eq(c.col[HL_F_CHANNEL], 28);
	ck_assert_uint_eq(c.nunmapped, 46 - 10);
	ck_assert_uint_eq(c.ndups, 0);
	hl_columns_release(&c);

	ck_assert_str_eq(hl_mapping_date_format(m, HL_F_ACCEPTED_AT),
			 "%m/%d/%Y %I:%M:%S %p");
	ck_assert_str_eq(hl_mapping_date_format(m, HL_F_CLOSED_AT),
			 "%m/%d/%Y %I:%M:%S %p");
	ck_assert_str_eq(hl_mapping_date_format(m, HL_F_DEADLINE_AT),
			 "%m/%d/%Y %I:%M:%S %p");
	ck_assert_int_eq(hl_mapping_status(m, "Unspecified", 11, &known),
			 HL_ST_UNKNOWN);
	ck_assert_int_eq(known, 1);
	ck_assert_int_eq(STATUS(m, "Closed"), HL_ST_CLOSED);
	ck_assert_int_eq(STATUS(m, "Open"), HL_ST_IN_PROGRESS);
	ck_assert_int_eq(STATUS(m, "Email Sent"), HL_ST_IN_PROGRESS);
	ck_assert_int_eq(STATUS(m, "Draft"), HL_ST_AWAITING_DISPATCH);
	ck_assert_int_eq(CAT(m, "Noise - Residential"), HL_CAT_COMPLAINT);
	ck_assert_int_eq(CAT(m, "HEAT/HOT WATER"), HL_CAT_COMPLAINT);
	ck_assert_int_eq(CAT(m, "Illegal Parking"), HL_CAT_REPORT);
	ck_assert_int_eq(CAT(m, "New Tree Request"), HL_CAT_HELP);
	ck_assert_int_eq(CAT(m, "Borough Office"), HL_CAT_CONSULT);
	ck_assert_int_eq(CAT(m, "Taxi Compliment"), HL_CAT_PRAISE);
	/* One spelling per type covers NYC's two capitalisations. */
	ck_assert_int_eq(CAT(m, "PLUMBING"), HL_CAT_COMPLAINT);
	ck_assert_int_eq(CAT(m, "Plumbing"), HL_CAT_COMPLAINT);
	ck_assert_int_eq(hl_mapping_category(m, "Unheard Of", 10, &known),
			 HL_CAT_OTHER);
	ck_assert_int_eq(known, 0);
	hl_mapping_free(m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* resolve */

START_TEST(test_resolve_missing)
{
	struct hl_mapping *m = hl_mapping_new();
	struct hl_columns c;
	char *h[] = {"\xEF\xBB\xBF工单编号", " a ", "b"};

	hl_columns_init(&c);
	ck_assert_int_eq(hl_mapping_resolve(m, h, 3, &c), -1);
	ck_assert_str_eq(hl_mapping_errmsg(m),
			 "missing required column 'accepted_at' (受理时间, "
			 "来电时间, 创建时间, 登记时间, 留言时间, "
			 "requested_datetime, Created Date); headers found: "
			 "'工单编号', 'a', 'b'");
	/* out is filled all the same. */
	ck_assert_int_eq(c.col[HL_F_TICKET_ID], 0);
	ck_assert_uint_eq(c.nunmapped, 2);
	hl_columns_release(&c);
	hl_mapping_free(m);
}
END_TEST

START_TEST(test_resolve_missing_both)
{
	struct hl_mapping *m = load_ok(MAPDIR "good.ini");
	struct hl_columns c;

	hl_columns_init(&c);
	ck_assert_int_eq(hl_mapping_resolve(m, NULL, 0, &c), -1);
	ck_assert_str_eq(
	    hl_mapping_errmsg(m),
	    "missing required columns 'ticket_id' (Ticket No, 序号, 工单编号, "
	    "12345工单编号, 工单号, 任务编号, service_request_id, "
	    "Unique Key), 'accepted_at' (When, 受理时间, 来电时间, 创建时间, "
	    "登记时间, 留言时间, requested_datetime, Created Date); headers "
	    "found: none");
	hl_columns_release(&c);
	hl_mapping_free(m);
}
END_TEST

START_TEST(test_resolve_duplicates)
{
	struct hl_mapping *m = hl_mapping_new();
	struct hl_columns c;
	char *h[] = {"工单编号", "受理时间", "Unique Key", "x",
		     "来电时间", NULL,       "诉求类型",   "工单类型"};

	hl_columns_init(&c);
	ck_assert_int_eq(hl_mapping_resolve(m, h, 8, &c), 0);
	ck_assert_int_eq(c.col[HL_F_TICKET_ID], 0);
	ck_assert_int_eq(c.col[HL_F_ACCEPTED_AT], 1);
	ck_assert_int_eq(c.col[HL_F_CATEGORY], 6);
	ck_assert_uint_eq(c.ndups, 3);
	ck_assert_uint_eq(c.dups[0].col, 2);
	ck_assert_int_eq(c.dups[0].field, HL_F_TICKET_ID);
	ck_assert_uint_eq(c.dups[1].col, 4);
	ck_assert_int_eq(c.dups[1].field, HL_F_ACCEPTED_AT);
	ck_assert_uint_eq(c.dups[2].col, 7);
	ck_assert_int_eq(c.dups[2].field, HL_F_CATEGORY);
	ck_assert_uint_eq(c.nunmapped, 2);
	ck_assert_uint_eq(c.unmapped[0], 3);
	ck_assert_uint_eq(c.unmapped[1], 5);

	/* Resolving again replaces the earlier contents. */
	ck_assert_int_eq(hl_mapping_resolve(m, h, 2, &c), 0);
	ck_assert_uint_eq(c.ndups, 0);
	ck_assert_uint_eq(c.nunmapped, 0);
	ck_assert_int_eq(c.col[HL_F_CATEGORY], -1);
	hl_columns_release(&c);
	hl_mapping_free(m);
}
END_TEST

START_TEST(test_resolve_weak_serial)
{
	struct hl_mapping *m = hl_mapping_new();
	struct hl_columns c;
	char *before[] = {"序号", "受理时间", "工单编号", "序号"};
	char *after[] = {"工单编号", "序号", "受理时间"};
	char *alone[] = {"序号", "受理时间"};

	hl_columns_init(&c);
	/* A row number before the real ID gives way to it. */
	ck_assert_int_eq(hl_mapping_resolve(m, before, 4, &c), 0);
	ck_assert_int_eq(c.col[HL_F_TICKET_ID], 2);
	ck_assert_uint_eq(c.ndups, 0);
	ck_assert_uint_eq(c.nunmapped, 2);
	ck_assert_uint_eq(c.unmapped[0], 0);
	ck_assert_uint_eq(c.unmapped[1], 3);

	ck_assert_int_eq(hl_mapping_resolve(m, after, 3, &c), 0);
	ck_assert_int_eq(c.col[HL_F_TICKET_ID], 0);
	ck_assert_uint_eq(c.ndups, 0);
	ck_assert_uint_eq(c.nunmapped, 1);
	ck_assert_uint_eq(c.unmapped[0], 1);

	/* Alone, it is the ticket ID. */
	ck_assert_int_eq(hl_mapping_resolve(m, alone, 2, &c), 0);
	ck_assert_int_eq(c.col[HL_F_TICKET_ID], 0);
	ck_assert_uint_eq(c.nunmapped, 0);
	hl_columns_release(&c);
	hl_mapping_free(m);
}
END_TEST

START_TEST(test_resolve_user_columns)
{
	struct hl_mapping *m = load_ok(MAPDIR "good.ini");
	struct hl_columns c;
	/* good.ini maps 序号 to ticket_id outright, and 工单类型 to content. */
	char *h[] = {"序号", "When", "工单编号", "工单类型"};

	hl_columns_init(&c);
	ck_assert_int_eq(hl_mapping_resolve(m, h, 4, &c), 0);
	ck_assert_int_eq(c.col[HL_F_TICKET_ID], 0);
	ck_assert_int_eq(c.col[HL_F_ACCEPTED_AT], 1);
	ck_assert_int_eq(c.col[HL_F_CONTENT], 3);
	ck_assert_int_eq(c.col[HL_F_CATEGORY], -1);
	ck_assert_uint_eq(c.ndups, 1);
	ck_assert_uint_eq(c.dups[0].col, 2);
	hl_columns_release(&c);
	hl_mapping_free(m);
}
END_TEST

/*
 * A column a mapping file sends to two fields fills both, unless another
 * column of the export gives one of them: that one keeps it.
 */
START_TEST(test_resolve_two_fields)
{
	struct hl_mapping *m = load_ok(MAPDIR "two-fields.ini");
	struct hl_columns c;
	char *h[] = {"工单编号", "受理时间", "工单类型", "办结时间"};
	char *h2[] = {"工单编号", "受理时间", "工单类型", "诉求类型"};

	hl_columns_init(&c);
	ck_assert_int_eq(hl_mapping_resolve(m, h, 4, &c), 0);
	ck_assert_int_eq(c.col[HL_F_CONTENT], 2);
	ck_assert_int_eq(c.col[HL_F_CATEGORY], 2);
	ck_assert_int_eq(c.col[HL_F_CLOSED_AT], 3);
	ck_assert_int_eq(c.col[HL_F_SIGNED_AT], 3);
	ck_assert_int_eq(hl_mapping_resolve(m, h2, 4, &c), 0);
	ck_assert_int_eq(c.col[HL_F_CONTENT], 2);
	ck_assert_int_eq(c.col[HL_F_CATEGORY], 3); /* 诉求类型's own */
	ck_assert_uint_eq(c.ndups, 0);
	hl_columns_release(&c);
	hl_mapping_free(m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the fields of docs/analyses.md */

static const struct {
	enum hl_field f;
	const char *s;
	enum hl_yesno want;
	int known;
} answer_table[] = {
    {HL_F_VALID_CALLBACK, "是", HL_YN_YES, 1},
    {HL_F_VALID_CALLBACK, "否", HL_YN_NO, 1},
    {HL_F_VALID_CALLBACK, "有效", HL_YN_YES, 1},
    {HL_F_VALID_CALLBACK, "无效", HL_YN_NO, 1},
    {HL_F_CONTACTED, "已联系", HL_YN_YES, 1},
    {HL_F_CONTACTED, "未联系", HL_YN_NO, 1},
    {HL_F_CONTACTED, "Y", HL_YN_YES, 1},
    {HL_F_CONTACTED, "n", HL_YN_NO, 1},
    {HL_F_CONTACTED, "YES", HL_YN_YES, 1},
    {HL_F_CONTACTED, "No", HL_YN_NO, 1},
    {HL_F_RESOLVED, "已解决", HL_YN_YES, 1},
    {HL_F_RESOLVED, "未解决", HL_YN_NO, 1},
    {HL_F_RESOLVED, "部分解决", HL_YN_NO, 1},
    {HL_F_RESOLVED, " 1 ", HL_YN_YES, 1},
    {HL_F_RESOLVED, "0", HL_YN_NO, 1},
    {HL_F_IN_ASSESSMENT, "有", HL_YN_YES, 1},
    /* 无 is an answer here, not an empty placeholder */
    {HL_F_IN_ASSESSMENT, "无", HL_YN_NO, 1},
    {HL_F_IN_ASSESSMENT, "不合理诉求", HL_YN_NO, 1},
    {HL_F_UNREASONABLE, "不合理诉求", HL_YN_YES, 1},
    {HL_F_UNREASONABLE, "合理诉求", HL_YN_NO, 1},
    {HL_F_UNREASONABLE, "是", HL_YN_YES, 1},
    /* a field's own words are its own */
    {HL_F_CONTACTED, "部分解决", HL_YN_NONE, 0},
    {HL_F_VALID_CALLBACK, "不合理诉求", HL_YN_NONE, 0},
    {HL_F_VALID_CALLBACK, "", HL_YN_NONE, 1},
    {HL_F_VALID_CALLBACK, " - ", HL_YN_NONE, 1},
    {HL_F_VALID_CALLBACK, "NULL", HL_YN_NONE, 1},
    {HL_F_VALID_CALLBACK, "待定", HL_YN_NONE, 0},
    {HL_F_VALID_CALLBACK, "2", HL_YN_NONE, 0},
};

START_TEST(test_value_answer)
{
	const char *s = answer_table[_i].s;
	int known = -1;

	ck_assert_int_eq(
	    hl_map_answer(answer_table[_i].f, s, strlen(s), &known),
	    answer_table[_i].want);
	ck_assert_int_eq(known, answer_table[_i].known);
}
END_TEST

/* The packing of model.h: 2 bits an answer, from bit 0. */
START_TEST(test_assess_packing)
{
	unsigned a = 0;

	a = HL_ASSESS_SET(a, HL_AS_VALID, HL_YN_YES);
	a = HL_ASSESS_SET(a, HL_AS_RESOLVED, HL_YN_NO);
	ck_assert_uint_eq(a, 1u | 2u << 4);
	ck_assert_int_eq(HL_ASSESS_GET(a, HL_AS_VALID), HL_YN_YES);
	ck_assert_int_eq(HL_ASSESS_GET(a, HL_AS_CONTACTED), HL_YN_NONE);
	ck_assert_int_eq(HL_ASSESS_GET(a, HL_AS_RESOLVED), HL_YN_NO);
	a = HL_ASSESS_SET(a, HL_AS_VALID, HL_YN_NO);
	ck_assert_int_eq(HL_ASSESS_GET(a, HL_AS_VALID), HL_YN_NO);
	ck_assert_int_eq(HL_ASSESS_GET(a, HL_AS_RESOLVED), HL_YN_NO);
	ck_assert(hl_field_is_answer(HL_F_UNREASONABLE));
	ck_assert(!hl_field_is_answer(HL_F_TOPIC));
	ck_assert_int_eq(HL_ASSESS_FIELD(HL_AS_IN_ASSESSMENT),
			 HL_F_IN_ASSESSMENT);
}
END_TEST

/* A user's [yesno] entry answers the assessment fields too. */
START_TEST(test_mapfile_answer)
{
	struct hl_mapping *m = load_ok(MAPDIR "good.ini");
	int known;

	/* good.ini: KEY = yes, and 是 = no, over the built-in yes */
	ck_assert_int_eq(hl_mapping_answer(m, HL_F_CONTACTED, "key", 3, &known),
			 HL_YN_YES);
	ck_assert_int_eq(known, 1);
	ck_assert_int_eq(hl_mapping_answer(m, HL_F_CONTACTED, "是", 3, &known),
			 HL_YN_NO);
	ck_assert_int_eq(
	    hl_mapping_answer(m, HL_F_RESOLVED, "已解决", 9, &known),
	    HL_YN_YES);
	ck_assert_int_eq(hl_mapping_answer(m, HL_F_CONTACTED, "", 0, &known),
			 HL_YN_NONE);
	ck_assert_int_eq(known, 1);
	hl_mapping_free(m);
}
END_TEST

static const struct {
	const char *s, *want;
} digits_table[] = {
    {"13800138000", "13800138000"},
    {"138 0013 8000", "13800138000"},
    {"138-0013-8000", "13800138000"},
    {"+86 138 0013 8000", "13800138000"},
    {"+8613800138000", "13800138000"},
    {"008613800138000", "13800138000"},
    {" (020) 8123-4567 ", "02081234567"},
    {"\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98"
     "00138000",
     "13800138000"},
    {"86 138", "86138"}, /* no + or 00: not the country code */
    {"匿名", ""},
    {"", ""},
};

START_TEST(test_caller_digits)
{
	const char *s = digits_table[_i].s;
	char out[64];
	size_t n = hl_caller_digits(s, strlen(s), out);

	out[n] = '\0';
	ck_assert_str_eq(out, digits_table[_i].want);
}
END_TEST

static const struct {
	const char *content, *want; /* NULL: none */
} quote_table[] = {
    {"【最近派发的工单编号：20260512231496，工单内容：路灯不亮】",
     "20260512231496"},
    {"最近派发的工单编号:GZ-2022-0001 工单内容", "GZ-2022-0001"},
    {"最近派发的工单编号：  2022ab，", "2022ab"},
    {"最近派发的工单编号：\xE3\x80\x80"
     "123",
     "123"},
    {"前文 最近派发的工单编号：1；最近派发的工单编号：2", "1"},
    {"最近派发的工单编号 123", NULL}, /* no colon */
    {"最近派发的工单编号：，", NULL},
    {"最近派发的工单编号：", NULL},
    {"路灯不亮", NULL},
};

START_TEST(test_quoted_id)
{
	const char *c = quote_table[_i].content, *q;
	size_t n;

	q = hl_quoted_id(c, strlen(c), &n);
	if (quote_table[_i].want == NULL) {
		ck_assert_ptr_null(q);
		return;
	}
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(n, strlen(quote_table[_i].want));
	ck_assert(memcmp(q, quote_table[_i].want, n) == 0);
}
END_TEST

START_TEST(test_mask)
{
	char raw[] = "A1,2022-01-03,\"138 0013 8000\",x,138 0013 8000";
	char wide[] = "\xEF\xBC\x91"
		      "23";

	ck_assert_uint_eq(hl_mask_cell(raw, strlen(raw), "138 0013 8000", 13),
			  2);
	ck_assert_str_eq(raw,
			 "A1,2022-01-03,\"*** **** ****\",x,*** **** ****");
	ck_assert_uint_eq(hl_mask_cell(raw, strlen(raw), "999", 3), 0);
	ck_assert_uint_eq(hl_mask_cell(raw, strlen(raw), "", 0), 0);
	hl_mask_digits(wide, strlen(wide));
	ck_assert_str_eq(wide, "*****");
}
END_TEST

static Suite *
ingest_suite(void)
{
	Suite *s = suite_create("ingest");
	TCase *tc;

	hl_check_case(s, "fields", NULL, NULL, test_field_names,
		      test_field_kinds, test_value_names, NULL);
	tc = hl_check_case(s, "headers", NULL, NULL, test_header_nyc,
			   test_header_bom_space_case, NULL);
	tcase_add_loop_test(tc, test_header_alias, 0,
			    (int)HL_ARRAY_LEN(alias_table));
	tcase_add_loop_test(tc, test_header_variants, 0, 3);

	tc = hl_check_case(s, "values", NULL, NULL, test_value_trim_and_length,
			   NULL);
	tcase_add_loop_test(tc, test_value_category, 0,
			    (int)HL_ARRAY_LEN(category_table));
	tcase_add_loop_test(tc, test_value_satisfaction, 0,
			    (int)HL_ARRAY_LEN(satisfaction_table));
	tcase_add_loop_test(tc, test_value_yesno, 0,
			    (int)HL_ARRAY_LEN(yesno_table));
	tcase_add_loop_test(tc, test_value_status, 0,
			    (int)HL_ARRAY_LEN(status_table));
	tcase_add_loop_test(tc, test_value_reopen, 0,
			    (int)HL_ARRAY_LEN(reopen_table));
	tcase_add_loop_test(tc, test_value_empty, 0,
			    (int)HL_ARRAY_LEN(empty_table));

	tc = hl_check_case(s, "mapfile", NULL, NULL, test_mapfile_good,
			   test_mapfile_precedence, test_mapfile_long_lines,
			   test_mapfile_open_errors, test_mapfile_nyc311, NULL);
	tcase_add_loop_test(tc, test_mapfile_bad_message, 0,
			    (int)HL_ARRAY_LEN(bad_table));

	hl_check_case(s, "resolve", NULL, NULL, test_resolve_missing,
		      test_resolve_missing_both, test_resolve_duplicates,
		      test_resolve_weak_serial, test_resolve_user_columns,
		      test_resolve_two_fields, NULL);

	tc = hl_check_case(s, "analyses", NULL, NULL, test_assess_packing,
			   test_mapfile_answer, test_mask, NULL);
	tcase_add_loop_test(tc, test_value_answer, 0,
			    (int)HL_ARRAY_LEN(answer_table));
	tcase_add_loop_test(tc, test_caller_digits, 0,
			    (int)HL_ARRAY_LEN(digits_table));
	tcase_add_loop_test(tc, test_quoted_id, 0,
			    (int)HL_ARRAY_LEN(quote_table));
	return s;
}

HL_CHECK_MAIN(ingest_suite)
