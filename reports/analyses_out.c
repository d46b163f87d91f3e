/*
 * analyses_out.c - the analyses beyond the seed's figures as document
 * sections (docs/analyses.md): the assessment scheme's rates and score, a
 * league table's red and black lists, the hot topics with their surges,
 * and the repeat calls.  `hotline metrics` prints them under its tables
 * and the reports place them in theirs.  An analysis the export has no
 * fields for is one line saying so.
 */
#include <string.h>

#include "reports/reports.h"

#define L(zh, in_zh, in_en) ((zh) ? (in_zh) : (in_en))
#define P(doc, ...) hl_doc_addf(doc, HL_B_P, __VA_ARGS__)

static void
ratio_row(struct hl_table *t, const char *label, struct hl_ratio r)
{
	char a[40], b[40];

	hl_table_cell(t, label);
	hl_table_pct(t, hl_ratio_value(r));
	hl_table_num(t, "%s / %s", hl_fmt_count(a, sizeof(a), r.num),
		     hl_fmt_count(b, sizeof(b), r.den));
}

static void
assessment(const struct hl_figures *f, int zh, struct hl_doc *doc)
{
	const struct hl_fig_assess *a = &f->assess;
	struct hl_table *t;

	hl_doc_add(doc, HL_B_H2, L(zh, "考核（三率）", "Assessment"));
	if (a->given == 0) {
		P(doc, L(zh,
			 "本期工单无考核字段（是否有效回访、是否联系、"
			 "是否解决、是否纳入考核），不计三率。",
			 "The period's tickets carry no assessment answers "
			 "(valid callback, contacted, resolved, in "
			 "assessment): no rates."));
		return;
	}
	t = hl_table_new(3, NULL);
	hl_table_cell(t, L(zh, "指标", "figure"));
	hl_table_cell(t, L(zh, "值", "value"));
	hl_table_cell(t, L(zh, "分子 / 分母", "numerator / denominator"));
	ratio_row(t, L(zh, "响应率", "response"), a->response);
	ratio_row(t, L(zh, "解决率", "resolution"), a->resolution);
	ratio_row(t, L(zh, "满意率", "satisfaction"), a->satisfaction);
	hl_table_cell(t, L(zh, "综合成绩", "score"));
	hl_table_dec(t, a->score, 2, "");
	hl_table_cell(t, "");
	hl_doc_table(doc, t, "assessment.csv");
	P(doc,
	  L(zh, "有效回访 %ld 件；不纳入考核 %ld 件（期间工单 %ld 件）。",
	    "%ld valid callbacks; %ld tickets left out of the assessment "
	    "(of %ld)."),
	  a->valid, a->left_out, a->tickets);
}

static const char *
figure_label(const char *figure, int zh)
{
	static const char *const en[] = {"score",      "response",
					 "resolution", "satisfaction",
					 "on_time",    "tickets"};
	static const char *const in_zh[] = {"综合成绩", "响应率",     "解决率",
					    "满意率",   "按时办结率", "工单量"};
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(en); i++)
		if (strcmp(en[i], figure) == 0)
			return zh ? in_zh[i] : en[i];
	return figure;
}

static void
league_rows(const struct hl_fig_league *lg, size_t from, size_t to,
	    struct hl_table *t)
{
	size_t i;

	for (i = from; i < to; i++) {
		const struct hl_fig_league_row *r = &lg->v[i];

		hl_table_dec(t, r->rank ? (double)r->rank : HL_FIG_NONE, 0, "");
		hl_table_cell(t, r->name ? r->name : "-");
		hl_table_dec(t, r->value, 2, "");
		hl_table_count(t, (double)r->basis);
		hl_table_count(t, (double)r->tickets);
	}
}

static struct hl_table *
league_table(int zh)
{
	struct hl_table *t = hl_table_new(5, NULL);

	hl_table_cell(t, L(zh, "名次", "rank"));
	hl_table_cell(t, L(zh, "名称", "name"));
	hl_table_cell(t, L(zh, "值", "value"));
	hl_table_cell(t, L(zh, "计算基数", "of tickets"));
	hl_table_cell(t, L(zh, "工单量", "tickets"));
	return t;
}

static void
league(const struct hl_fig_league *lg, int zh, struct hl_doc *doc)
{
	size_t top = (size_t)lg->top, n = lg->ranked;
	size_t red = n < top ? n : top, black = n < 2 * top ? n - red : top;
	struct hl_table *t;

	hl_doc_addf(doc, HL_B_H2, L(zh, "%s排名（%s）", "League: %s by %s"),
		    L(zh,
		      strcmp(lg->level, "district") == 0 ? "各区"
		      : strcmp(lg->level, "street") == 0 ? "街乡镇"
							 : "承办单位",
		      lg->level),
		    figure_label(lg->figure, zh));
	if (n == 0) {
		P(doc, L(zh, "无可排名对象。", "Nothing to rank."));
		return;
	}
	P(doc, L(zh, "红榜（前 %zu）", "Top %zu"), red);
	t = league_table(zh);
	league_rows(lg, 0, red, t);
	hl_doc_table(doc, t, "league_top.csv");
	if (black > 0) {
		P(doc, L(zh, "黑榜（后 %zu）", "Bottom %zu"), black);
		t = league_table(zh);
		league_rows(lg, n - black, n, t);
		hl_doc_table(doc, t, "league_bottom.csv");
	}
	P(doc,
	  L(zh,
	    "共 %zu 个排名对象（按值再按工单量排序，两者相同者并列），%zu "
	    "个因基数不足未排名。",
	    "%zu ranked (by value, then by tickets; equal in both share a "
	    "rank), %zu unranked for too few."),
	  n, lg->n - n);
}

static void
pct_cell(struct hl_table *t, double v)
{
	if (hl_fig_has(v))
		hl_table_num(t, "%+.2f%%", v);
	else
		hl_table_cell(t, "—");
}

static void
topics(const struct hl_fig_topics *tp, int zh, struct hl_doc *doc)
{
	struct hl_table *t;
	size_t i;

	hl_doc_add(doc, HL_B_H2, L(zh, "热点诉求", "Hot topics"));
	if (tp->off) {
		P(doc, L(zh, "未计算（配置 [topics] enabled = no）。",
			 "Not computed ([topics] enabled = no)."));
		return;
	}
	if (!tp->has) {
		P(doc, L(zh,
			 "本期工单无诉求分类（问题分类或一级至五级分类），"
			 "不列热点。",
			 "The period's tickets have no topic (问题分类 or "
			 "一级分类 ... 五级分类): no hot topics."));
		return;
	}
	t = hl_table_new(6, NULL);
	hl_table_cell(t, L(zh, "诉求分类", "topic"));
	hl_table_cell(t, L(zh, "工单量", "tickets"));
	hl_table_cell(t, L(zh, "上期", "before"));
	hl_table_cell(t, L(zh, "环比", "on the period before"));
	hl_table_cell(t, L(zh, "上年同期", "a year before"));
	hl_table_cell(t, L(zh, "同比", "on a year before"));
	for (i = 0; i < tp->ntop; i++) {
		const struct hl_fig_topic *o = &tp->top[i];

		hl_table_cell(t, o->name);
		hl_table_count(t, (double)o->n);
		hl_table_count(t, (double)o->before);
		pct_cell(t, o->mom_pct);
		hl_table_count(t, (double)o->year_before);
		pct_cell(t, o->yoy_pct);
	}
	hl_doc_table(doc, t, "topics.csv");
	P(doc,
	  L(zh,
	    "分类取前 %d 级；上期为 %s；上期或上年同期为 0 时不计增幅（—）。",
	    "Topics cut to level %d; the period before is %s; no change is "
	    "given against 0 (—)."),
	  tp->level, tp->before);
	if (tp->nsurges == 0) {
		P(doc,
		  L(zh, "无突增的街乡镇诉求。", "No street's topic surged."));
		return;
	}
	t = hl_table_new(5, NULL);
	hl_table_cell(t, L(zh, "诉求分类", "topic"));
	hl_table_cell(t, L(zh, "街乡镇", "street"));
	hl_table_cell(t, L(zh, "工单量", "tickets"));
	hl_table_cell(t, L(zh, "基线", "baseline"));
	hl_table_cell(t, L(zh, "突增分", "score"));
	for (i = 0; i < tp->nsurges; i++) {
		const struct hl_fig_surge *s = &tp->surges[i];

		hl_table_cell(t, s->topic);
		hl_table_cell(t, s->street ? s->street : "-");
		hl_table_count(t, (double)s->n);
		hl_table_dec(t, s->baseline, 2, "");
		hl_table_dec(t, s->score, 2, "");
	}
	hl_doc_table(doc, t, "surges.csv");
}

static void
repeats(const struct hl_fig_repeats *r, int zh, struct hl_doc *doc)
{
	struct hl_table *t;
	size_t i;
	char a[20], b[20];

	hl_doc_add(doc, HL_B_H2, L(zh, "重复诉求", "Repeat calls"));
	if (r->off) {
		P(doc, L(zh, "未计算（配置 [repeats] enabled = no）。",
			 "Not computed ([repeats] enabled = no)."));
		return;
	}
	P(doc,
	  L(zh,
	    "重复工单 %ld 件（引用前单 %ld 件，同一来电人 %ld 件），占 "
	    "%.2f%%；涉及 %ld 个案件。%s",
	    "%ld tickets repeat an earlier one (%ld quote it, %ld by the same "
	    "caller), %.2f%%, in %ld cases.%s"),
	  r->tickets, r->by_quote, r->by_caller,
	  hl_fig_has(hl_ratio_value(r->rate)) ? 100 * hl_ratio_value(r->rate)
					      : 0.0,
	  r->chains,
	  r->callers ? ""
		     : L(zh, "本期工单无来电号码，仅按引用识别。",
			 " The period's tickets have no caller numbers: "
			 "quotes only."));
	if (r->nlargest == 0)
		return;
	t = hl_table_new(5, NULL);
	hl_table_cell(t, L(zh, "工单数", "tickets"));
	hl_table_cell(t, L(zh, "本期", "in the period"));
	hl_table_cell(t, L(zh, "首单", "first"));
	hl_table_cell(t, L(zh, "末单", "last"));
	hl_table_cell(t, L(zh, "时间", "from - to"));
	for (i = 0; i < r->nlargest; i++) {
		const struct hl_fig_chain *c = &r->largest[i];

		hl_table_count(t, (double)c->size);
		hl_table_count(t, (double)c->in_period);
		hl_table_cell(t, c->first_id);
		hl_table_cell(t, c->last_id);
		hl_time_format_iso(c->first, a);
		hl_time_format_iso(c->last, b);
		hl_table_cellf(t, "%.10s - %.10s", a, b);
	}
	hl_doc_table(doc, t, "repeats.csv");
}

void
hl_analyses_doc(const struct hl_figures *f, int zh, struct hl_doc *doc)
{
	if (f->has_assessment)
		assessment(f, zh, doc);
	if (f->league.figure)
		league(&f->league, zh, doc);
	topics(&f->topics, zh, doc);
	repeats(&f->repeats, zh, doc);
}
