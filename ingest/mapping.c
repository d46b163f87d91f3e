/*
 * mapping.c - header aliases, value vocabularies and the user mapping file
 * (contracts in mapping.h).
 *
 * The built-in tables are short and scanned; a user table can hold
 * hundreds of entries (every NYC complaint type), so it is an open
 * addressing hash table keyed by the ASCII-case-folded value.  The mapping
 * file is read by hl_ini_load() (util); this file supplies the handler that
 * checks and stores each entry.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/mapping.h"
#include "store/store.h"
#include "util/util.h"

static const char *const yesno_names[2] = {"no", "yes"};

/* A built-in header alias. */
struct alias {
	const char *name;
	enum hl_field field;
	int weak; /* used only when no other column has the field */
};

static const struct alias aliases[] = {
    {"工单编号", HL_F_TICKET_ID, 0},
    {"12345工单编号", HL_F_TICKET_ID, 0},
    {"工单号", HL_F_TICKET_ID, 0},
    {"任务编号", HL_F_TICKET_ID, 0},
    {"序号", HL_F_TICKET_ID, 1},
    {"service_request_id", HL_F_TICKET_ID, 0},
    {"Unique Key", HL_F_TICKET_ID, 0},
    {"受理时间", HL_F_ACCEPTED_AT, 0},
    {"来电时间", HL_F_ACCEPTED_AT, 0},
    {"创建时间", HL_F_ACCEPTED_AT, 0},
    {"登记时间", HL_F_ACCEPTED_AT, 0},
    {"留言时间", HL_F_ACCEPTED_AT, 0},
    {"requested_datetime", HL_F_ACCEPTED_AT, 0},
    {"Created Date", HL_F_ACCEPTED_AT, 0},
    {"来源渠道", HL_F_CHANNEL, 0},
    {"工单来源", HL_F_CHANNEL, 0},
    {"受理渠道", HL_F_CHANNEL, 0},
    {"来源", HL_F_CHANNEL, 0},
    {"Open Data Channel Type", HL_F_CHANNEL, 0},
    {"诉求类型", HL_F_CATEGORY, 0},
    {"工单类型", HL_F_CATEGORY, 0},
    {"来电类别", HL_F_CATEGORY, 0},
    {"service_name", HL_F_CATEGORY, 0},
    {"Complaint Type", HL_F_CATEGORY, 0},
    {"是否重点工单", HL_F_IS_KEY, 0},
    {"工单级别", HL_F_IS_KEY, 0},
    {"所属区", HL_F_DISTRICT, 0},
    {"区域", HL_F_DISTRICT, 0},
    {"被反映区", HL_F_DISTRICT, 0},
    {"所属区县", HL_F_DISTRICT, 0},
    {"区县", HL_F_DISTRICT, 0},
    {"Borough", HL_F_DISTRICT, 0},
    {"所属街道", HL_F_STREET, 0},
    {"街道", HL_F_STREET, 0},
    {"镇街", HL_F_STREET, 0},
    {"被反映街乡镇", HL_F_STREET, 0},
    {"承办单位", HL_F_UNIT, 0},
    {"主办单位", HL_F_UNIT, 0},
    {"实际承办单位", HL_F_UNIT, 0},
    {"二级承办单位简称", HL_F_UNIT, 0},
    {"agency_responsible", HL_F_UNIT, 0},
    {"Agency", HL_F_UNIT, 0},
    {"派单时间", HL_F_DISPATCHED_AT, 0},
    {"转办时间", HL_F_DISPATCHED_AT, 0},
    {"派遣时间", HL_F_DISPATCHED_AT, 0},
    {"签收时间", HL_F_SIGNED_AT, 0},
    {"办理时限", HL_F_DEADLINE_AT, 0},
    {"办结时限", HL_F_DEADLINE_AT, 0},
    {"截止时间", HL_F_DEADLINE_AT, 0},
    {"应办结时间", HL_F_DEADLINE_AT, 0},
    {"expected_datetime", HL_F_DEADLINE_AT, 0},
    {"Due Date", HL_F_DEADLINE_AT, 0},
    {"办结时间", HL_F_CLOSED_AT, 0},
    {"结案时间", HL_F_CLOSED_AT, 0},
    {"办结日期", HL_F_CLOSED_AT, 0},
    {"closed_date", HL_F_CLOSED_AT, 0},
    {"Closed Date", HL_F_CLOSED_AT, 0},
    {"工单状态", HL_F_STATUS, 0},
    {"案件状态", HL_F_STATUS, 0},
    {"status", HL_F_STATUS, 0},
    {"满意度", HL_F_SATISFACTION, 0},
    {"回访结果", HL_F_SATISFACTION, 0},
    {"是否满意", HL_F_SATISFACTION, 0},
    {"评价结果", HL_F_SATISFACTION, 0},
    {"满意度评价", HL_F_SATISFACTION, 0},
    {"重办次数", HL_F_REOPEN_COUNT, 0},
    {"是否重办", HL_F_REOPEN_COUNT, 0},
    {"诉求内容", HL_F_CONTENT, 0},
    {"内容描述", HL_F_CONTENT, 0},
    {"事项内容", HL_F_CONTENT, 0},
    {"主要内容", HL_F_CONTENT, 0},
    {"description", HL_F_CONTENT, 0},
    {"更新时间", HL_F_UPDATED_AT, 0},
    {"最后更新时间", HL_F_UPDATED_AT, 0},
    {"修改时间", HL_F_UPDATED_AT, 0},
    {"最后修改时间", HL_F_UPDATED_AT, 0},
    {"updated_datetime", HL_F_UPDATED_AT, 0},
    {"UpdatedDate", HL_F_UPDATED_AT, 0},
    {"是否有效回访", HL_F_VALID_CALLBACK, 0},
    {"有效回访", HL_F_VALID_CALLBACK, 0},
    {"是否联系", HL_F_CONTACTED, 0},
    {"是否响应", HL_F_CONTACTED, 0},
    {"是否解决", HL_F_RESOLVED, 0},
    {"解决情况", HL_F_RESOLVED, 0},
    {"是否纳入考核", HL_F_IN_ASSESSMENT, 0},
    {"纳入考核", HL_F_IN_ASSESSMENT, 0},
    {"是否不合理诉求", HL_F_UNREASONABLE, 0},
    {"不合理诉求", HL_F_UNREASONABLE, 0},
    {"问题分类", HL_F_TOPIC, 0},
    {"诉求分类", HL_F_TOPIC, 0},
    {"事项分类", HL_F_TOPIC, 0},
    {"业务分类", HL_F_TOPIC, 0},
    {"一级分类", HL_F_TOPIC_1, 0},
    {"二级分类", HL_F_TOPIC_2, 0},
    {"三级分类", HL_F_TOPIC_3, 0},
    {"四级分类", HL_F_TOPIC_4, 0},
    {"五级分类", HL_F_TOPIC_5, 0},
    {"来电号码", HL_F_CALLER, 0},
    {"联系电话", HL_F_CALLER, 0},
    {"来电人电话", HL_F_CALLER, 0},
    {"主叫号码", HL_F_CALLER, 0},
};

/* A built-in vocabulary word; len spares a strlen() per comparison. */
struct word {
	const char *s;
	size_t len;
	int value;
};

#define W(s, v)                                                                \
	{                                                                      \
		s, sizeof(s) - 1, v                                            \
	}

static const struct word category_words[] = {
    W("咨询", HL_CAT_CONSULT),
    W("求助", HL_CAT_HELP),
    W("投诉", HL_CAT_COMPLAINT),
    W("举报", HL_CAT_REPORT),
    W("建议", HL_CAT_SUGGESTION),
    W("表扬", HL_CAT_PRAISE),
    W("其他", HL_CAT_OTHER),
    W("咨询类", HL_CAT_CONSULT),
    W("求助类", HL_CAT_HELP),
    W("投诉类", HL_CAT_COMPLAINT),
    W("举报类", HL_CAT_REPORT),
    W("投诉举报类", HL_CAT_COMPLAINT),
    W("意见建议类", HL_CAT_SUGGESTION),
    W("建议类", HL_CAT_SUGGESTION),
    W("感谢", HL_CAT_PRAISE),
    W("感谢类", HL_CAT_PRAISE),
    W("表扬类", HL_CAT_PRAISE),
    W("其它", HL_CAT_OTHER),
    W("其它类", HL_CAT_OTHER),
    W("其他类", HL_CAT_OTHER),
};

static const struct word satisfaction_words[] = {
    W("满意", HL_SAT_SATISFIED),
    W("基本满意", HL_SAT_BASIC),
    W("不满意", HL_SAT_UNSATISFIED),
    W("非常满意", HL_SAT_SATISFIED),
    W("非常不满意", HL_SAT_UNSATISFIED),
    W("比较满意", HL_SAT_BASIC),
    W("一般", HL_SAT_BASIC),
    W("理解", HL_SAT_BASIC),
    W("双满意", HL_SAT_SATISFIED),
    W("单满意", HL_SAT_BASIC),
    W("是", HL_SAT_SATISFIED),
    W("否", HL_SAT_UNSATISFIED),
    W("未评价", HL_SAT_NOT_EVALUATED),
    W("未回访", HL_SAT_NOT_EVALUATED),
    W("无法回访", HL_SAT_NOT_EVALUATED),
    W("有争议", HL_SAT_NOT_EVALUATED),
};

static const struct word status_words[] = {
    W("待派单", HL_ST_AWAITING_DISPATCH),
    W("待签收", HL_ST_AWAITING_SIGN),
    W("办理中", HL_ST_IN_PROGRESS),
    W("处理中", HL_ST_IN_PROGRESS),
    W("重办中", HL_ST_IN_PROGRESS),
    W("已办结", HL_ST_CLOSED),
    W("办结", HL_ST_CLOSED),
    W("已结案", HL_ST_CLOSED),
    W("已回访", HL_ST_CALLED_BACK),
    W("已归档", HL_ST_ARCHIVED),
    W("closed", HL_ST_CLOSED),
    W("open", HL_ST_IN_PROGRESS),
    W("in progress", HL_ST_IN_PROGRESS),
    W("assigned", HL_ST_IN_PROGRESS),
    W("pending", HL_ST_IN_PROGRESS),
    W("started", HL_ST_IN_PROGRESS),
};

static const struct word yesno_words[] = {
    W("是", 1),  W("否", 0), W("y", 1),    W("n", 0),
    W("yes", 1), W("no", 0), W("true", 1), W("false", 0),
    W("1", 1),   W("0", 0),  W("重点", 1), W("普通", 0),
};

/* The assessment answers, for all five fields. */
static const struct word answer_words[] = {
    W("是", HL_YN_YES),    W("否", HL_YN_NO),      W("1", HL_YN_YES),
    W("0", HL_YN_NO),      W("y", HL_YN_YES),      W("n", HL_YN_NO),
    W("yes", HL_YN_YES),   W("no", HL_YN_NO),      W("true", HL_YN_YES),
    W("false", HL_YN_NO),  W("有", HL_YN_YES),     W("无", HL_YN_NO),
    W("有效", HL_YN_YES),  W("无效", HL_YN_NO),    W("已联系", HL_YN_YES),
    W("未联系", HL_YN_NO), W("已解决", HL_YN_YES), W("未解决", HL_YN_NO),
};

/* Answers of one field only (the field, the word, the answer). */
static const struct {
	enum hl_field f;
	struct word w;
} field_answers[] = {
    /* 解决率 counts what is resolved: a part is not the whole */
    {HL_F_RESOLVED, W("部分解决", HL_YN_NO)},
    {HL_F_IN_ASSESSMENT, W("不合理诉求", HL_YN_NO)},
    {HL_F_UNREASONABLE, W("不合理诉求", HL_YN_YES)},
    {HL_F_UNREASONABLE, W("合理诉求", HL_YN_NO)},
};

/* A user vocabulary entry. */
struct entry {
	char *key;     /* trimmed, as written; NULL for a free slot */
	size_t len;    /* bytes in key */
	int value;     /* the enum value */
	unsigned line; /* line of the mapping file */
};

/* A user vocabulary: open addressing, linear probing, at most half full. */
struct vtab {
	struct entry *slot; /* cap entries, or NULL while empty */
	size_t cap;         /* a power of two, or 0 */
	size_t n;           /* entries in use */
};

/* A user header alias. */
#define MAX_ALSO 3

struct ualias {
	char *name;          /* trimmed, as written */
	size_t len;          /* bytes in name */
	enum hl_field field; /* the field it maps to */
	/* more fields the same column fills ("a = content, category") */
	enum hl_field also[MAX_ALSO];
	int nalso;
	unsigned line; /* line of the mapping file */
};

/* The vocabularies of a mapping file, in the order of their sections. */
enum vocab { V_CATEGORY, V_SATISFACTION, V_YESNO, V_STATUS, V_COUNT };

struct hl_mapping {
	struct ualias *alias;          /* user header aliases */
	size_t nalias;                 /* entries in alias */
	size_t calias;                 /* allocated entries in alias */
	struct vtab vocab[V_COUNT];    /* user vocabularies */
	char *datefmt[HL_F_COUNT];     /* user date formats, or NULL */
	unsigned dateline[HL_F_COUNT]; /* their lines */
	struct hl_buf err;             /* the last error, "" when none */
	int loaded;                    /* hl_mapping_load() was called */
};

static int
is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

/* U+3000 IDEOGRAPHIC SPACE in UTF-8. */
static int
is_ideo_space(const char *p)
{
	return (unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 &&
	       (unsigned char)p[2] == 0x80;
}

void
hl_map_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;

	for (;;) {
		if (n >= 1 && is_ascii_space((unsigned char)p[0])) {
			p++;
			n--;
		} else if (n >= 3 && is_ideo_space(p)) {
			p += 3;
			n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (n >= 1 && is_ascii_space((unsigned char)p[n - 1]))
			n--;
		else if (n >= 3 && is_ideo_space(p + n - 3))
			n -= 3;
		else
			break;
	}
	*s = p;
	*len = n;
}

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Equal under the matching rules, both sides already trimmed. */
static int
same(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return 0;
	return 1;
}

int
hl_map_is_empty(const char *s, size_t len)
{
	hl_map_trim(&s, &len);
	return len == 0 || same(s, len, "-", 1) ||
	       same(s, len, "无", sizeof("无") - 1) || same(s, len, "null", 4);
}

/* The value of s (trimmed) in a built-in table, or -1. */
static int
lookup_words(const struct word *w, size_t nw, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < nw; i++)
		if (same(w[i].s, w[i].len, s, len))
			return w[i].value;
	return -1;
}

static void
set_known(int *known, int v)
{
	if (known != NULL)
		*known = v;
}

enum hl_category
hl_map_category(const char *s, size_t len, int *known)
{
	int v;

	hl_map_trim(&s, &len);
	v = lookup_words(category_words, HL_ARRAY_LEN(category_words), s, len);
	set_known(known, v >= 0);
	return v >= 0 ? (enum hl_category)v : HL_CAT_OTHER;
}

enum hl_satisfaction
hl_map_satisfaction(const char *s, size_t len, int *known)
{
	int v;

	hl_map_trim(&s, &len);
	if (hl_map_is_empty(s, len)) {
		set_known(known, 1);
		return HL_SAT_NOT_EVALUATED;
	}
	v = lookup_words(satisfaction_words, HL_ARRAY_LEN(satisfaction_words),
			 s, len);
	set_known(known, v >= 0);
	return v >= 0 ? (enum hl_satisfaction)v : HL_SAT_NOT_EVALUATED;
}

enum hl_status
hl_map_status(const char *s, size_t len, int *known)
{
	int v;

	hl_map_trim(&s, &len);
	v = lookup_words(status_words, HL_ARRAY_LEN(status_words), s, len);
	set_known(known, v >= 0);
	return v >= 0 ? (enum hl_status)v : HL_ST_UNKNOWN;
}

int
hl_map_yesno(const char *s, size_t len)
{
	int v;

	hl_map_trim(&s, &len);
	v = lookup_words(yesno_words, HL_ARRAY_LEN(yesno_words), s, len);
	return v >= 0 ? v : HL_YESNO_UNKNOWN;
}

int
hl_map_is_blank(const char *s, size_t len)
{
	hl_map_trim(&s, &len);
	return len == 0 || same(s, len, "-", 1) || same(s, len, "null", 4);
}

enum hl_yesno
hl_map_answer(enum hl_field f, const char *s, size_t len, int *known)
{
	size_t i;
	int v;

	hl_map_trim(&s, &len);
	set_known(known, 1);
	if (hl_map_is_blank(s, len))
		return HL_YN_NONE;
	for (i = 0; i < HL_ARRAY_LEN(field_answers); i++)
		if (field_answers[i].f == f &&
		    same(field_answers[i].w.s, field_answers[i].w.len, s, len))
			return (enum hl_yesno)field_answers[i].w.value;
	v = lookup_words(answer_words, HL_ARRAY_LEN(answer_words), s, len);
	set_known(known, v >= 0);
	return v >= 0 ? (enum hl_yesno)v : HL_YN_NONE;
}

/*
 * The decimal count in s (trimmed), HL_REOPEN_INVALID when s has a
 * non-digit or exceeds HL_REOPEN_MAX, or -3 when s is not a number at all.
 */
static int
reopen_number(const char *s, size_t len)
{
	size_t i;
	int v = 0;

	if (len == 0 || s[0] < '0' || s[0] > '9')
		return -3;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return HL_REOPEN_INVALID;
		v = v * 10 + (s[i] - '0');
		if (v > HL_REOPEN_MAX)
			return HL_REOPEN_INVALID;
	}
	return v;
}

int
hl_map_reopen(const char *s, size_t len)
{
	int v;

	hl_map_trim(&s, &len);
	if (hl_map_is_empty(s, len))
		return HL_REOPEN_ABSENT;
	if ((v = reopen_number(s, len)) != -3)
		return v;
	v = hl_map_yesno(s, len);
	return v == HL_YESNO_UNKNOWN ? HL_REOPEN_INVALID : v;
}

/* FNV-1a over the case-folded bytes. */
static uint64_t
hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= fold((unsigned char)s[i]);
		h *= 1099511628211ULL;
	}
	return h;
}

/* The entry for s (trimmed), or NULL. */
static const struct entry *
vtab_find(const struct vtab *t, const char *s, size_t len)
{
	size_t i;

	if (t->n == 0)
		return NULL;
	for (i = hash(s, len) & (t->cap - 1); t->slot[i].key != NULL;
	     i = (i + 1) & (t->cap - 1))
		if (same(t->slot[i].key, t->slot[i].len, s, len))
			return &t->slot[i];
	return NULL;
}

/* Places e in a table known to have room and not to hold e's key. */
static void
vtab_place(struct vtab *t, struct entry e)
{
	size_t i;

	for (i = hash(e.key, e.len) & (t->cap - 1); t->slot[i].key != NULL;
	     i = (i + 1) & (t->cap - 1))
		;
	t->slot[i] = e;
	t->n++;
}

/* Adds a key the table does not hold; takes ownership of e.key. */
static void
vtab_add(struct vtab *t, struct entry e)
{
	struct entry *old = t->slot;
	size_t oldcap = t->cap, i;

	if (2 * (t->n + 1) > t->cap) {
		t->cap = oldcap ? oldcap * 2 : 16;
		t->slot = hl_xcalloc(t->cap, sizeof(*t->slot));
		t->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].key != NULL)
				vtab_place(t, old[i]);
		free(old);
	}
	vtab_place(t, e);
}

static void
vtab_free(struct vtab *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->slot[i].key);
	free(t->slot);
}

/* The user's value for s in vocabulary v, or -1. */
static int
user_value(const struct hl_mapping *m, enum vocab v, const char *s, size_t len)
{
	const struct entry *e;

	if (m->vocab[v].n == 0)
		return -1;
	hl_map_trim(&s, &len);
	e = vtab_find(&m->vocab[v], s, len);
	return e != NULL ? e->value : -1;
}

struct hl_mapping *
hl_mapping_new(void)
{
	struct hl_mapping *m = hl_xcalloc(1, sizeof(*m));

	hl_buf_init(&m->err);
	return m;
}

void
hl_mapping_free(struct hl_mapping *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nalias; i++)
		free(m->alias[i].name);
	free(m->alias);
	for (i = 0; i < V_COUNT; i++)
		vtab_free(&m->vocab[i]);
	for (i = 0; i < HL_F_COUNT; i++)
		free(m->datefmt[i]);
	hl_buf_release(&m->err);
	free(m);
}

const char *
hl_mapping_errmsg(const struct hl_mapping *m)
{
	return m->err.data;
}

enum hl_category
hl_mapping_category(const struct hl_mapping *m, const char *s, size_t len,
		    int *known)
{
	int v = user_value(m, V_CATEGORY, s, len);

	if (v < 0)
		return hl_map_category(s, len, known);
	set_known(known, 1);
	return (enum hl_category)v;
}

enum hl_satisfaction
hl_mapping_satisfaction(const struct hl_mapping *m, const char *s, size_t len,
			int *known)
{
	int v = user_value(m, V_SATISFACTION, s, len);

	if (v < 0)
		return hl_map_satisfaction(s, len, known);
	set_known(known, 1);
	return (enum hl_satisfaction)v;
}

enum hl_status
hl_mapping_status(const struct hl_mapping *m, const char *s, size_t len,
		  int *known)
{
	int v = user_value(m, V_STATUS, s, len);

	if (v < 0)
		return hl_map_status(s, len, known);
	set_known(known, 1);
	return (enum hl_status)v;
}

int
hl_mapping_yesno(const struct hl_mapping *m, const char *s, size_t len)
{
	int v = user_value(m, V_YESNO, s, len);

	return v < 0 ? hl_map_yesno(s, len) : v;
}

enum hl_yesno
hl_mapping_answer(const struct hl_mapping *m, enum hl_field f, const char *s,
		  size_t len, int *known)
{
	int v = hl_map_is_blank(s, len) ? -1 : user_value(m, V_YESNO, s, len);

	if (v < 0)
		return hl_map_answer(f, s, len, known);
	set_known(known, 1);
	return v == 1 ? HL_YN_YES : HL_YN_NO;
}

int
hl_mapping_reopen(const struct hl_mapping *m, const char *s, size_t len)
{
	int v;

	hl_map_trim(&s, &len);
	if (hl_map_is_empty(s, len))
		return HL_REOPEN_ABSENT;
	if ((v = reopen_number(s, len)) != -3)
		return v;
	v = hl_mapping_yesno(m, s, len);
	return v == HL_YESNO_UNKNOWN ? HL_REOPEN_INVALID : v;
}

const char *
hl_mapping_date_format(const struct hl_mapping *m, enum hl_field f)
{
	return (unsigned)f < HL_F_COUNT ? m->datefmt[f] : NULL;
}

/* The user alias matching h (trimmed), or NULL. */
static const struct ualias *
find_ualias(const struct hl_mapping *m, const char *h, size_t len)
{
	size_t i;

	for (i = 0; i < m->nalias; i++)
		if (same(m->alias[i].name, m->alias[i].len, h, len))
			return &m->alias[i];
	return NULL;
}

/* The field of header h (trimmed), or -1; *weak (OUT) as in struct alias. */
static int
header_field(const struct hl_mapping *m, const char *h, size_t len, int *weak)
{
	const struct ualias *u;
	size_t i;

	*weak = 0;
	if ((u = find_ualias(m, h, len)) != NULL)
		return (int)u->field;
	for (i = 0; i < HL_ARRAY_LEN(aliases); i++) {
		if (same(aliases[i].name, strlen(aliases[i].name), h, len)) {
			*weak = aliases[i].weak;
			return (int)aliases[i].field;
		}
	}
	return -1;
}

int
hl_mapping_header(const struct hl_mapping *m, const char *h, size_t len)
{
	int weak;

	hl_map_trim(&h, &len);
	return header_field(m, h, len, &weak);
}

/* ------------------------------------------------------------------ */
/* The mapping file. */

/* State of one hl_mapping_load(), for the entry handler. */
struct load {
	struct hl_ini *ini;
	struct hl_mapping *m;
	char section[64]; /* the section entries belong to, trimmed */
};

#define load_error(ld, ...) hl_ini_error((ld)->ini, __VA_ARGS__)

/* The sections: columns, the vocabularies in enum vocab order, dates. */
enum section { S_COLUMNS, S_CATEGORY, S_DATES = S_CATEGORY + V_COUNT };

static const char *const section_names[] = {
    "columns", "category", "satisfaction", "yesno", "status", "dates",
};

static const char *const *const vocab_names[V_COUNT] = {
    hl_category_names,
    hl_satisfaction_names,
    yesno_names,
    hl_status_names,
};

/* The satisfaction answers as messages list them: the scale, best
 * first, then not evaluated. */
static const char *const sat_listed[HL_SAT_COUNT] = {
    "satisfied", "basic", "unsatisfied", "not_evaluated"};

static const size_t vocab_count[V_COUNT] = {
    HL_CAT_COUNT,
    HL_SAT_COUNT,
    2,
    HL_ST_COUNT,
};

/* How a vocabulary is named in messages. */
static const char *const vocab_what[V_COUNT] = {
    "category",
    "satisfaction",
    "yes/no value",
    "status",
};

/* Index of name in names[0 .. n-1], or -1. */
static int
name_index(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

static void
unknown_name(struct load *ld, const char *what, const char *name,
	     const char *const *names, size_t n)
{
	struct hl_buf choices = HL_BUF_INIT;

	hl_buf_add_choices(&choices, names, n);
	load_error(ld, "unknown %s '%s' (expected %s)", what, name,
		   choices.data);
	hl_buf_release(&choices);
}

/*
 * The fields of a [columns] value, one or several separated by commas (a
 * column that fills two fields), into fields[]: how many, or -1 after
 * reporting an unknown or repeated name.
 */
static int
column_fields(struct load *ld, const char *value,
	      enum hl_field fields[1 + MAX_ALSO])
{
	char name[64];
	int n = 0, f, k;

	for (;;) {
		const char *s = value, *end = strchr(value, ',');
		size_t len = end ? (size_t)(end - value) : strlen(value);

		hl_map_trim(&s, &len);
		snprintf(name, sizeof(name), "%.*s", (int)len, s);
		if ((f = hl_field_from_name(name)) < 0) {
			unknown_name(ld, "field", name, hl_field_names,
				     HL_F_COUNT);
			return -1;
		}
		for (k = 0; k < n; k++)
			if (fields[k] == (enum hl_field)f) {
				load_error(ld, "field '%s' given twice", name);
				return -1;
			}
		if (n == 1 + MAX_ALSO) {
			load_error(ld, "more than %d fields for one column",
				   1 + MAX_ALSO);
			return -1;
		}
		/* The number is hashed, never kept: no other field may hold
		 * the cell as written. */
		if (n > 0 && (f == HL_F_CALLER || fields[0] == HL_F_CALLER)) {
			load_error(ld, "field 'caller' cannot share a column "
				       "with another field");
			return -1;
		}
		fields[n++] = (enum hl_field)f;
		if (end == NULL)
			return n;
		value = end + 1;
	}
}

static void
add_column(struct load *ld, const char *key, size_t klen, const char *value)
{
	struct hl_mapping *m = ld->m;
	const struct ualias *u;
	struct ualias *a;
	enum hl_field fields[1 + MAX_ALSO];
	int f;

	if ((u = find_ualias(m, key, klen)) != NULL) {
		load_error(ld,
			   "duplicate key '%s' in [columns] (first on line %u)",
			   key, u->line);
		return;
	}
	if ((f = column_fields(ld, value, fields)) < 0)
		return;
	if (m->nalias == m->calias) {
		m->calias = m->calias ? 2 * m->calias : 16;
		m->alias = hl_xrealloc(m->alias, m->calias * sizeof(*m->alias));
	}
	a = &m->alias[m->nalias++];
	a->name = hl_xstrdup(key);
	a->len = klen;
	a->field = fields[0];
	a->nalso = f - 1;
	memcpy(a->also, fields + 1, (size_t)a->nalso * sizeof(*a->also));
	a->line = ld->ini->line;
}

static void
add_word(struct load *ld, enum vocab v, const char *key, size_t klen,
	 const char *value)
{
	struct vtab *t = &ld->m->vocab[v];
	const struct entry *old;
	struct entry e;
	int x;

	if ((old = vtab_find(t, key, klen)) != NULL) {
		load_error(ld, "duplicate key '%s' in [%s] (first on line %u)",
			   key, ld->section, old->line);
		return;
	}
	if ((x = name_index(vocab_names[v], vocab_count[v], value)) < 0) {
		unknown_name(ld, vocab_what[v], value,
			     v == V_SATISFACTION ? sat_listed : vocab_names[v],
			     vocab_count[v]);
		return;
	}
	/* In [yesno] the names are "no", "yes": the index is the value. */
	e.key = hl_xstrdup(key);
	e.len = klen;
	e.value = x;
	e.line = ld->ini->line;
	vtab_add(t, e);
}

static void
add_date(struct load *ld, const char *key, const char *value)
{
	struct hl_mapping *m = ld->m;
	int f = hl_field_from_name(key);
	const char *why;

	if (f < 0 || !hl_field_is_time((enum hl_field)f)) {
		load_error(ld,
			   "'%s' is not a date-time field (expected "
			   "accepted_at, dispatched_at, signed_at, "
			   "deadline_at or closed_at)",
			   key);
		return;
	}
	if (m->datefmt[f] != NULL) {
		load_error(ld,
			   "duplicate key '%s' in [dates] (first on line %u)",
			   key, m->dateline[f]);
		return;
	}
	if (value[0] == '\0') {
		load_error(ld, "empty date format for '%s'", key);
		return;
	}
	if (hl_time_fmt_check(value, &why) != 0) {
		load_error(ld, "invalid date format '%s' for '%s': %s", value,
			   key, why);
		return;
	}
	m->datefmt[f] = hl_xstrdup(value);
	m->dateline[f] = ld->ini->line;
}

/* The entry handler: checks and stores one entry. */
static void
handle_entry(struct hl_ini *ini, void *arg, const char *section,
	     const char *name, const char *value)
{
	struct load *ld = arg;
	const char *sec = section, *key = name;
	size_t slen = strlen(section), klen = strlen(name);
	char *k;
	int s;

	ld->ini = ini;
	hl_map_trim(&sec, &slen);
	if (slen >= sizeof(ld->section))
		slen = sizeof(ld->section) - 1;
	memcpy(ld->section, sec, slen);
	ld->section[slen] = '\0';
	if (slen == 0) {
		load_error(ld, "entry '%s' outside a section", name);
		return;
	}
	s = name_index(section_names, HL_ARRAY_LEN(section_names), ld->section);
	if (s < 0) {
		struct hl_buf choices = HL_BUF_INIT;

		hl_buf_add_choices(&choices, section_names,
				   HL_ARRAY_LEN(section_names));
		load_error(ld, "unknown section '%s' (expected %s)",
			   ld->section, choices.data);
		hl_buf_release(&choices);
		return;
	}
	hl_map_trim(&key, &klen);
	if (klen == 0) {
		load_error(ld, "malformed line (expected 'key = value')");
		return;
	}
	k = hl_xmalloc(klen + 1);
	memcpy(k, key, klen);
	k[klen] = '\0';
	if (s == S_COLUMNS)
		add_column(ld, k, klen, value);
	else if (s == S_DATES)
		add_date(ld, k, value);
	else
		add_word(ld, (enum vocab)(s - S_CATEGORY), k, klen, value);
	free(k);
}

int
hl_mapping_load(struct hl_mapping *m, const char *path)
{
	struct load ld;

	memset(&ld, 0, sizeof(ld));
	ld.m = m;
	hl_buf_reset(&m->err);
	if (m->loaded) {
		hl_buf_printf(&m->err,
			      "cannot load '%s': a mapping file is "
			      "already loaded",
			      path);
		return -1;
	}
	m->loaded = 1;
	return hl_ini_load(path, handle_entry, &ld, &m->err);
}

/* ------------------------------------------------------------------ */
/* Header resolution. */

void
hl_columns_init(struct hl_columns *c)
{
	int f;

	for (f = 0; f < HL_F_COUNT; f++)
		c->col[f] = -1;
	c->unmapped = NULL;
	c->nunmapped = 0;
	c->dups = NULL;
	c->ndups = 0;
}

void
hl_columns_release(struct hl_columns *c)
{
	free(c->unmapped);
	free(c->dups);
	hl_columns_init(c);
}

/* Appends col to the ascending list of unmapped columns, keeping order. */
static void
add_unmapped(struct hl_columns *c, size_t col)
{
	size_t i;

	c->unmapped =
	    hl_xrealloc(c->unmapped, (c->nunmapped + 1) * sizeof(*c->unmapped));
	for (i = c->nunmapped; i > 0 && c->unmapped[i - 1] > col; i--)
		c->unmapped[i] = c->unmapped[i - 1];
	c->unmapped[i] = col;
	c->nunmapped++;
}

/* headers[i] without BOM (first only) and surrounding space. */
static void
header_text(char **headers, size_t i, const char **h, size_t *len)
{
	*h = headers[i] != NULL ? headers[i] : "";
	*len = strlen(*h);
	if (i == 0 && *len >= 3 && memcmp(*h, "\xEF\xBB\xBF", 3) == 0) {
		*h += 3;
		*len -= 3;
	}
	hl_map_trim(h, len);
}

/* "'f' (alias, alias, ...)" for the missing-column message. */
static void
describe_field(const struct hl_mapping *m, struct hl_buf *b, enum hl_field f)
{
	const char *sep = "";
	size_t i;

	hl_buf_printf(b, "'%s' (", hl_field_names[f]);
	for (i = 0; i < m->nalias; i++) {
		if (m->alias[i].field == f) {
			hl_buf_printf(b, "%s%s", sep, m->alias[i].name);
			sep = ", ";
		}
	}
	for (i = 0; i < HL_ARRAY_LEN(aliases); i++) {
		/* A user entry for the same header overrides the built-in. */
		if (aliases[i].field == f &&
		    find_ualias(m, aliases[i].name, strlen(aliases[i].name)) ==
			NULL) {
			hl_buf_printf(b, "%s%s", sep, aliases[i].name);
			sep = ", ";
		}
	}
	hl_buf_addc(b, ')');
}

int
hl_mapping_resolve(struct hl_mapping *m, char **headers, size_t n,
		   struct hl_columns *out)
{
	struct hl_buf missing = HL_BUF_INIT;
	int weak_holder[HL_F_COUNT] = {0};
	int f, weak, nmissing = 0;
	const char *h;
	size_t i, len;

	hl_columns_release(out);
	hl_buf_reset(&m->err);
	for (i = 0; i < n; i++) {
		header_text(headers, i, &h, &len);
		f = header_field(m, h, len, &weak);
		if (f < 0) {
			add_unmapped(out, i);
		} else if (out->col[f] < 0) {
			out->col[f] = (long)i;
			weak_holder[f] = weak;
		} else if (weak) {
			add_unmapped(out, i);
		} else if (weak_holder[f]) {
			add_unmapped(out, (size_t)out->col[f]);
			out->col[f] = (long)i;
			weak_holder[f] = 0;
		} else {
			out->dups = hl_xrealloc(
			    out->dups, (out->ndups + 1) * sizeof(*out->dups));
			out->dups[out->ndups].col = i;
			out->dups[out->ndups].field = (enum hl_field)f;
			out->ndups++;
		}
	}
	/* A column a mapping file sends to more fields fills each that no
	 * column of its own fills. */
	for (i = 0; i < n; i++) {
		const struct ualias *u;
		int k;

		header_text(headers, i, &h, &len);
		if ((u = find_ualias(m, h, len)) != NULL)
			for (k = 0; k < u->nalso; k++)
				if (out->col[u->also[k]] < 0)
					out->col[u->also[k]] = (long)i;
	}
	for (f = 0; f < HL_F_COUNT; f++) {
		if (!hl_field_required((enum hl_field)f) || out->col[f] >= 0)
			continue;
		hl_buf_adds(&missing, nmissing++ ? ", " : "");
		describe_field(m, &missing, (enum hl_field)f);
	}
	if (nmissing == 0) {
		hl_buf_release(&missing);
		return 0;
	}
	hl_buf_printf(&m->err, "missing required column%s %s; headers found: ",
		      nmissing > 1 ? "s" : "", missing.data);
	for (i = 0; i < n && i < 40; i++) {
		header_text(headers, i, &h, &len);
		hl_buf_printf(&m->err, "%s'%.*s'", i ? ", " : "",
			      (int)(len > 80 ? 80 : len), h);
	}
	if (n > 40)
		hl_buf_printf(&m->err, " and %zu more", n - 40);
	if (n == 0)
		hl_buf_adds(&m->err, "none");
	hl_buf_release(&missing);
	return -1;
}
