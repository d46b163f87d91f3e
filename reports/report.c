/*
 * report.c - the annual and monthly reports of a district.
 *
 * The figures come from the metrics (analysis.h) as typed values; the
 * report is first built as a document (headings, paragraphs, tables,
 * charts: doc.c) and then written in every form from it, so that all say
 * the same: Markdown, one self-contained HTML file, report.xlsx
 * (doc_xlsx.c), report.docx (doc_docx.c), each table as CSV for Excel,
 * the figures as JSON, and the charts (charts.c).  Everything is written
 * into a private directory and moved into place when whole (outdir.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/report_priv.h"

extern const char hl_reference_liwan_2022[];

static json_t *
J(json_t *o, const char *key)
{
	return json_object_get(o, key);
}

/* ---- the comparison with published figures ---- */

/* The figures a reference may name, and which of the computed ones
 * each is. */
static const struct {
	const char *name;
	enum hl_fig_id id;
} ref_figures[] = {
    {"tickets", HL_F_TICKETS},
    {"on_time", HL_F_ON_TIME_CLOSED},
    {"consult_speedup", HL_F_SPEEDUP_CONSULT},
    {"other_speedup", HL_F_SPEEDUP_OTHER},
    {"ordinary_mean_rank", HL_F_MEAN_RANK_ORDINARY},
    {"key_rank1_streak", HL_F_KEY_RANK1_STREAK},
};

/* The reference figure's index in ref_figures, or -1. */
static int
ref_figure(const char *name)
{
	size_t i;

	for (i = 0; name && i < HL_ARRAY_LEN(ref_figures); i++)
		if (strcmp(ref_figures[i].name, name) == 0)
			return (int)i;
	return -1;
}

/*
 * The computed value shown at the published precision into buf, and
 * whether it matches: 24.5万余宗 means 245,000 <= n < 246,000; a
 * percentage matches at its two decimals; a rank or a count of months
 * as a whole number.
 */
static int
at_precision(json_t *want, const char *rule, double x, int is_rate, char *buf,
	     size_t n)
{
	if (!hl_fig_has(x)) {
		snprintf(buf, n, "-");
		return 0;
	}
	if (strcmp(rule, "wan_plus") == 0) {
		long long k = (long long)x / 1000;

		snprintf(buf, n, "%lld.%lld万余宗", k / 10, k % 10);
		return (double)k / 10 == json_number_value(want);
	}
	if (strcmp(rule, "percent") == 0) {
		snprintf(buf, n, "%.2f%%", is_rate ? x * 100 : x);
		return strncmp(buf, json_string_value(want),
			       strlen(json_string_value(want))) == 0 &&
		       buf[strlen(json_string_value(want))] == '%';
	}
	snprintf(buf, n, "%.0f", x);
	return (long long)(x + 0.5) == json_integer_value(want) &&
	       (x - (double)(long long)(x + 0.5)) * 2 < 1;
}

/* A decimal written as a string: digits, one dot, digits ("99.99"). */
static int
decimal_string(json_t *v)
{
	const char *s = json_string_value(v);
	size_t a, b;

	if (s == NULL)
		return 0;
	a = strspn(s, "0123456789");
	if (a == 0 || s[a] != '.')
		return 0;
	b = strspn(s + a + 1, "0123456789");
	return b > 0 && s[a + 1 + b] == '\0';
}

/*
 * The published figures to compare with, checked before anything is
 * compared: each names a figure hotline computes, a label and the
 * published text, and a value of the form its rule reads (a number for
 * wan_plus, a decimal string for percent, an integer for integer).  A
 * value of another type must never read as 0 and show a match.
 */
static int
check_reference(json_t *ref, const char *name, struct hl_buf *err)
{
	json_t *fig;
	size_t i;

	if (!json_is_string(J(ref, "source")) ||
	    !json_is_array(J(ref, "figures"))) {
		hl_buf_printf(err,
			      "'%s': not a reference: it needs \"source\" (a "
			      "string) and \"figures\" (an array)",
			      name);
		return -1;
	}
	json_array_foreach(J(ref, "figures"), i, fig)
	{
		const char *f = json_string_value(J(fig, "figure"));
		const char *rule = json_string_value(J(fig, "rule"));
		json_t *v = J(fig, "value");
		const char *why = NULL;

		if (ref_figure(f) < 0)
			why = "\"figure\" is not one of tickets, on_time, "
			      "consult_speedup, other_speedup, "
			      "ordinary_mean_rank or key_rank1_streak";
		else if (!json_is_string(J(fig, "label")) ||
			 !json_is_string(J(fig, "published")))
			why = "\"label\" and \"published\" must be strings";
		else if (rule == NULL)
			why = "\"rule\" must be wan_plus, percent or integer";
		else if (strcmp(rule, "wan_plus") == 0)
			why = json_is_number(v) ? NULL
						: "\"value\" must be a number "
						  "(wan_plus: 24.5)";
		else if (strcmp(rule, "percent") == 0)
			why = decimal_string(v) ? NULL
						: "\"value\" must be a decimal "
						  "string (percent: \"99.99\")";
		else if (strcmp(rule, "integer") == 0)
			why = json_is_integer(v)
				  ? NULL
				  : "\"value\" must be an integer "
				    "(integer: 4)";
		else
			why = "\"rule\" must be wan_plus, percent or integer";
		if (why) {
			hl_buf_printf(err, "'%s': figures[%zu]: %s", name, i,
				      why);
			return -1;
		}
	}
	return 0;
}

static void
reproduction(struct rep *r, json_t *ref)
{
	struct hl_table *t = hl_table_new(5, NULL);
	json_t *fig;
	size_t i;
	int bad = 0;

	hl_table_cell(t, hl_word(HL_W_FIGURE, r->o->zh));
	hl_table_cell(t, T(r, "公布值", "published"));
	hl_table_cell(t, T(r, "计算值", "computed"));
	hl_table_cell(t, T(r, "按公布精度", "at the published precision"));
	hl_table_cell(t, T(r, "是否一致", "matches"));
	json_array_foreach(J(ref, "figures"), i, fig)
	{
		enum hl_fig_id id =
		    ref_figures[ref_figure(json_string_value(J(fig, "figure")))]
			.id;
		enum hl_fig_kind kind = hl_fig_label(id)->kind;
		double v = hl_fig_get(r->cur, id);
		char shown[64], raw[64];
		struct hl_repro_row *row;
		int ok;

		ok = at_precision(J(fig, "value"),
				  json_string_value(J(fig, "rule")), v,
				  kind == HL_KIND_RATE, shown, sizeof(shown));
		if (!hl_fig_has(v))
			snprintf(raw, sizeof(raw), "-");
		else if (kind == HL_KIND_RATE)
			snprintf(raw, sizeof(raw), "%.4f%%", v * 100);
		else if (kind == HL_KIND_COUNT)
			hl_fmt_count(raw, sizeof(raw), v);
		else
			snprintf(raw, sizeof(raw), "%.4f", v);
		hl_table_cell(t, json_string_value(J(fig, "label")));
		hl_table_cell(t, json_string_value(J(fig, "published")));
		/* The same text as raw, and a number in a workbook. */
		if (!hl_fig_has(v))
			hl_table_num(t, "-");
		else if (kind == HL_KIND_RATE)
			hl_table_dec(t, v * 100, 4, "%");
		else if (kind == HL_KIND_COUNT)
			hl_table_count(t, v);
		else
			hl_table_dec(t, v, 4, "");
		hl_table_num(t, "%s", shown);
		hl_table_cell(t,
			      ok ? T(r, "一致", "yes") : T(r, "不一致", "NO"));
		bad += !ok;
		r->res->reproduction = hl_xrealloc(
		    r->res->reproduction, (r->res->nreproduction + 1) *
					      sizeof(*r->res->reproduction));
		row = &r->res->reproduction[r->res->nreproduction++];
		row->label = hl_xstrdup(json_string_value(J(fig, "label")));
		row->published =
		    hl_xstrdup(json_string_value(J(fig, "published")));
		row->computed = hl_xstrdup(raw);
		row->shown = hl_xstrdup(shown);
		row->match = ok;
	}
	add(r, HL_B_H2,
	    T(r, "与年度自评报告公布数据对照",
	      "The published figures, recomputed"));
	addf(r, HL_B_P,
	     T(r,
	       "来源：%s。计算值由本数据库的工单逐条计算，按公布值的精度比较。",
	       "Source: %s.  Computed from the tickets in this database and "
	       "compared at the precision of the published value."),
	     json_string_value(J(ref, "source")));
	add_table(r, t, "reproduction.csv");
	r->res->mismatches = bad;
}

/* ---- sections ---- */

/*
 * The figures' notes (figures "notes": a missing calendar year, figures
 * that leave out more than a small share of their tickets), each a
 * paragraph right below the table of figures they qualify.
 */
static void
notes(struct rep *r)
{
	const struct hl_figures *f = r->cur;
	size_t i;

	if (f->sat_all.r.den == 0)
		add(r, HL_B_P,
		    T(r,
		      "注意：本期工单没有满意度回访结果（导出文件无此字段或均未"
		      "评价），满意率与排名记“-”。",
		      "Note: the period's tickets have no satisfaction answers "
		      "(the export has no such field, or none was given): "
		      "satisfaction and ranks show \"-\"."));
	for (i = 0; i < f->nnotes; i++)
		addf(r, HL_B_P, "%s%s", T(r, "注意：", "Note: "),
		     r->o->zh ? f->notes[i].text.zh : f->notes[i].text.en);
}

static void
summary(struct rep *r)
{
	struct hl_table *t = hl_table_new(4, NULL);
	int id;

	hl_table_cell(t, hl_word(HL_W_FIGURE, r->o->zh));
	hl_table_cellf(t, "%d", r->o->year);
	hl_table_cellf(t, "%d", r->o->year - 1);
	hl_table_cell(t, T(r, "变化", "change"));
	/* Every headline figure but the two on-time denominators and the
	 * speed-ups, which the change column of the means shows. */
	for (id = 0; id < HL_NFIG; id++) {
		enum hl_fig_kind kind = hl_fig_label(id)->kind;
		double a, b;
		int both;

		if (id == HL_F_ON_TIME_CLOSED ||
		    id == HL_F_ON_TIME_DISPATCHED ||
		    id == HL_F_SPEEDUP_CONSULT || id == HL_F_SPEEDUP_OTHER)
			continue;
		a = hl_fig_get(r->cur, id);
		b = r->prev ? hl_fig_get(r->prev, id) : HL_FIG_NONE;
		both = hl_fig_has(a) && hl_fig_has(b);
		hl_table_cell(t, hl_fig_text(id, r->o->zh));
		switch (kind) {
		case HL_KIND_COUNT:
			hl_table_count(t, a);
			hl_table_count(t, b);
			break;
		case HL_KIND_RATE:
			PCT(t, a);
			PCT(t, b);
			break;
		default: /* ranks and hours, two decimals */
			HOURS(t, a);
			HOURS(t, b);
		}
		if (both && kind == HL_KIND_RATE)
			hl_table_num(t, "%+.2f", 100 * (a - b));
		else if (both && kind == HL_KIND_HOURS && b > 0)
			hl_table_num(t, T(r, "提速 %.2f%%", "%.2f%% faster"),
				     (b - a) / b * 100);
		else if (both && kind == HL_KIND_COUNT &&
			 id != HL_F_KEY_RANK1_STREAK)
			hl_table_num(t, "%+lld", (long long)(a - b));
		else
			hl_table_cell(t, "");
	}
	add(r, HL_B_H2, T(r, "主要指标", "Main figures"));
	add_table(r, t, "summary.csv");
	if (r->prev == NULL)
		addf(r, HL_B_P,
		     T(r,
		       "数据库中没有 %d 年的工单，上年一列与变化记“-”，不与 0 "
		       "比较。",
		       "The database has no tickets of %d: its column and the "
		       "changes show \"-\", never a change against 0."),
		     r->o->year - 1);
	notes(r);
}

/* The rank of the district in month m (1-12) of class k, or none. */
double
rp_month_rank(const struct hl_figures *f, int m, int k)
{
	return hl_fig_rank(f->has_ranking ? f->months[m - 1].rank[k] : 0);
}

/*
 * The change of figure id from was to now: percentage points for a rate,
 * percent for a count or hours; "—" when either has no value or the
 * earlier count is 0.
 */
static void
change_cell(struct rep *r, struct hl_table *t, enum hl_fig_id id,
	    const struct hl_figures *was)
{
	double now = hl_fig_get(r->cur, id), then;

	if (was == NULL || !hl_fig_has(now) ||
	    !hl_fig_has(then = hl_fig_get(was, id)) ||
	    (hl_fig_label(id)->kind != HL_KIND_RATE && then == 0)) {
		hl_table_cell(t, "—");
		return;
	}
	if (hl_fig_label(id)->kind == HL_KIND_RATE)
		hl_table_num(t, T(r, "%+.2f 个百分点", "%+.2f points"),
			     100 * (now - then));
	else
		hl_table_num(t, "%+.2f%%", 100 * (now - then) / then);
}

static void
month_summary(struct rep *r)
{
	struct hl_table *t = hl_table_new(5, NULL);
	static const enum hl_fig_id rows[] = {
	    HL_F_TICKETS,        HL_F_ON_TIME_CLOSED, HL_F_ON_TIME_DISPATCHED,
	    HL_F_SAT_ORDINARY,   HL_F_SAT_KEY,        HL_F_HANDLING_CONSULT,
	    HL_F_HANDLING_OTHER, HL_F_REOPEN,
	};
	const struct hl_fig_main *p = &r->cur->f;
	const struct hl_ratio *ratio[HL_ARRAY_LEN(rows)] = {
	    NULL,         &p->on_time_closed.r, &p->on_time_dispatched.r,
	    &p->sat[0].r, &p->sat[1].r,         NULL,
	    NULL,         &p->reopen.r};
	int m = r->o->month, k;
	size_t i;

	hl_table_cell(t, hl_word(HL_W_FIGURE, r->o->zh));
	hl_table_cell(t, hl_word(HL_W_VALUE, r->o->zh));
	hl_table_cell(t, hl_word(HL_W_RATIO, r->o->zh));
	hl_table_cell(t, T(r, "环比", "on the period before"));
	hl_table_cell(t, T(r, "同比", "on a year before"));
	for (i = 0; i < HL_ARRAY_LEN(rows); i++) {
		double v = hl_fig_get(r->cur, rows[i]);

		hl_table_cell(t, hl_fig_text(rows[i], r->o->zh));
		switch (hl_fig_label(rows[i])->kind) {
		case HL_KIND_COUNT:
			hl_table_count(t, v);
			break;
		case HL_KIND_RATE:
			PCT(t, v);
			break;
		default:
			HOURS(t, v);
		}
		if (ratio[i])
			hl_table_num(t, "%.0f / %.0f", ratio[i]->num,
				     ratio[i]->den);
		else
			hl_table_cell(t, "");
		change_cell(r, t, rows[i], r->before);
		change_cell(r, t, rows[i], r->prev);
	}
	for (k = 0; k < HL_CLS_N; k++) {
		hl_table_cell(
		    t,
		    k ? T(r, "全市排名（重点工单）", "city rank (key)")
		      : T(r, "全市排名（普通工单）", "city rank (ordinary)"));
		RANK(t, rp_month_rank(r->cur, m, k));
		hl_table_cell(t, "");
		hl_table_cell(t, "");
		hl_table_cell(t, "");
	}
	if (r->o->period.kind == HL_PERIOD_MONTH)
		add(r, HL_B_H2, T(r, "本月主要指标", "The month's figures"));
	else
		add(r, HL_B_H2, T(r, "本期主要指标", "The period's figures"));
	add_table(r, t, "summary.csv");
	addf(
	    r, HL_B_P,
	    T(r,
	      "环比对上期（%s），同比对上年同期；比率之差以百分点计，其余为"
	      "增减百分比；上期无数据或为 0 时记“—”。",
	      "Changes on the period before (%s) and on the same period a year "
	      "before: rates in percentage points, the rest in percent; "
	      "\"—\" where the earlier period has no value or 0."),
	    r->before ? r->before->period.label : "—");
	if (r->before == NULL)
		add(r, HL_B_P,
		    T(r, "数据库中没有上期的工单，环比记“—”。",
		      "The database has no tickets of the period before: that "
		      "change shows \"—\"."));
	if (r->prev == NULL)
		add(r, HL_B_P,
		    T(r, "数据库中没有上年同期的工单，同比记“—”。",
		      "The database has no tickets of the same period a year "
		      "before: that change shows \"—\"."));
	notes(r);
}

/* The months up to last: volume, on-time, satisfaction and rank. */
static void
months(struct rep *r, int last)
{
	struct hl_table *t = hl_table_new(10, NULL);
	static const enum hl_word head[] = {
	    HL_W_MONTH,   HL_W_TICKETS, HL_W_CONSULT,      HL_W_OTHER,
	    HL_W_ON_TIME, HL_W_LATE,    HL_W_SAT_ORDINARY, HL_W_RANK_ORDINARY,
	    HL_W_SAT_KEY, HL_W_RANK_KEY};
	size_t i;

	hl_table_words(t, head, HL_ARRAY_LEN(head), r->o->zh);
	for (i = 0; (int)i < last && i < 12; i++) {
		const struct hl_fig_main *m = &r->cur->months[i].f;

		hl_table_num(t, "%zu", i + 1);
		hl_table_count(t, (double)m->tickets);
		hl_table_count(t, (double)m->cls[0]);
		hl_table_count(t, (double)(m->tickets - m->cls[0]));
		PCT(t, hl_ratio_value(hl_fig_on_time(r->cur, m)->r));
		hl_table_count(t, hl_fig_on_time(r->cur, m)->r.den > 0
				      ? (double)hl_fig_on_time(r->cur, m)->late
				      : HL_FIG_NONE);
		PCT(t, hl_ratio_value(m->sat[0].r));
		RANK(t, rp_month_rank(r->cur, (int)i + 1, 0));
		PCT(t, hl_ratio_value(m->sat[1].r));
		RANK(t, rp_month_rank(r->cur, (int)i + 1, 1));
	}
	add(r, HL_B_H2,
	    r->o->month ? T(r, "年内走势", "The year so far")
			: T(r, "按月情况", "Month by month"));
	add_table(r, t, "months.csv");
}

/* The mean of district d's ranks of class k over the months it was
 * ranked in, or none. */
static double
mean_rank(const struct hl_figures *f, size_t d, int k)
{
	int mon, n = 0, sum = 0;

	for (mon = 0; mon < 12; mon++)
		if (f->rank_table[d][k][mon]) {
			n++;
			sum += f->rank_table[d][k][mon];
		}
	return n ? (double)sum / n : HL_FIG_NONE;
}

/* A district and what orders it, worked out once before the sort. */
struct ranked {
	double key; /* its rank or mean rank; unranked: after every rank */
	const char *name;
	size_t d;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->name, y->name);
}

size_t *
rp_rank_order(const struct hl_figures *f, int k, int m)
{
	struct ranked *r = hl_xcalloc(f->nrank + 1, sizeof(*r));
	size_t *v = hl_xcalloc(f->nrank + 1, sizeof(*v)), i;

	for (i = 0; i < f->nrank; i++) {
		double key = m ? hl_fig_rank(f->rank_table[i][k][m - 1])
			       : mean_rank(f, i, k);

		r[i].key = hl_fig_has(key) ? key : 1e9;
		r[i].name = f->rank_names[i];
		r[i].d = i;
	}
	if (f->nrank > 1)
		qsort(r, f->nrank, sizeof(*r), cmp_ranked);
	for (i = 0; i < f->nrank; i++)
		v[i] = r[i].d;
	free(r);
	return v;
}

/* How the rank tables are ordered and what their gaps mean. */
static void
rank_note(struct rep *r)
{
	addf(r, HL_B_P,
	     T(r,
	       "各区按名次排列（年度表按平均排名），图中顺序相同；名次相同者"
	       "并列，下一名次顺延；“-”或空白表示该月评价工单不足 %d 件，不"
	       "参与排名，也不计入平均排名。",
	       "Districts in the order of their ranks (the year's tables by "
	       "mean rank), as in the charts; equal rates share a rank and "
	       "the next rank is skipped; \"-\" or a blank cell: fewer than "
	       "%d evaluated tickets that month, not ranked and left out of "
	       "the mean."),
	     r->cur->settings->rank_min);
}

/* Every district's rank and rate in month m (1-12) or over the year (0). */
static void
district_ranks(struct rep *r, int m)
{
	const struct hl_figures *f = r->cur;
	struct hl_table *t;
	size_t i, d, *ord;
	int k, mon;

	if (m) {
		t = hl_table_new(5, NULL);
		hl_table_cell(t, hl_word(HL_W_DISTRICT, r->o->zh));
		hl_table_cell(t, hl_word(HL_W_SAT_ORDINARY, r->o->zh));
		hl_table_cell(t, hl_word(HL_W_RANK_ORDINARY, r->o->zh));
		hl_table_cell(t, hl_word(HL_W_SAT_KEY, r->o->zh));
		hl_table_cell(t, hl_word(HL_W_RANK_KEY, r->o->zh));
		ord = rp_rank_order(f, 0, m);
		for (i = 0; i < f->nrank; i++) {
			d = ord[i];
			hl_table_cell(t, f->rank_names[d]);
			for (k = 0; k < HL_CLS_N; k++) {
				int rk = f->rank_table[d][k][m - 1];

				PCT(t, f->rate_table[d][k][m - 1]);
				RANK(t, hl_fig_rank(rk));
			}
		}
		free(ord);
		add(r, HL_B_H2,
		    T(r, "全市各区本月满意率排名",
		      "Every district's satisfaction rank this month"));
		add_table(r, t, "district_ranks.csv");
		rank_note(r);
		return;
	}
	for (k = 0; k < 2; k++) {
		t = hl_table_new(14, NULL);
		hl_table_cell(t, hl_word(HL_W_DISTRICT, r->o->zh));
		hl_table_cell(t, T(r, "平均排名", "mean rank"));
		for (mon = 1; mon <= 12; mon++)
			hl_table_cellf(t, T(r, "%d月", "%d"), mon);
		ord = rp_rank_order(f, k, 0);
		for (i = 0; i < f->nrank; i++) {
			d = ord[i];
			hl_table_cell(t, f->rank_names[d]);
			HOURS(t, mean_rank(f, d, k));
			for (mon = 0; mon < 12; mon++) {
				int rk = f->rank_table[d][k][mon];

				RANK(t, hl_fig_rank(rk));
			}
		}
		free(ord);
		add(r, HL_B_H2,
		    k ? T(r, "各区月度排名（重点工单满意率）",
			  "District ranks by month (key tickets)")
		      : T(r, "各区月度排名（普通工单满意率）",
			  "District ranks by month (ordinary tickets)"));
		add_table(r, t, k ? "ranks_key.csv" : "ranks_ordinary.csv");
	}
	rank_note(r);
}

static void
handling(struct rep *r)
{
	struct hl_table *t = hl_table_new(8, NULL);
	static const char *const groups[] = {"consult", "other"};
	static const char *const zh[] = {"咨询类", "非咨询类", "咨询",
					 "求助",   "投诉",     "举报",
					 "建议",   "表扬",     "其他"};
	size_t i;

	hl_table_cell(t, T(r, "类别", "class"));
	hl_table_cell(t, T(r, "件数", "tickets"));
	hl_table_cell(t, T(r, "平均（小时）", "mean (h)"));
	hl_table_cell(t, T(r, "中位数", "median"));
	hl_table_cell(t, T(r, "90分位", "p90"));
	hl_table_cell(t, T(r, "工作时长平均", "working mean"));
	hl_table_cell(t, T(r, "上年同期平均", "a year earlier"));
	hl_table_cell(t, T(r, "提速", "faster by"));
	for (i = 0; i < HL_FIG_NGROUP; i++) {
		const struct hl_fig_handling *h = &r->cur->hand[i];

		hl_table_cell(t, r->o->zh || i >= 2 ? zh[i] : groups[i]);
		hl_table_count(t, (double)h->nat.n);
		HOURS(t, h->nat.mean);
		HOURS(t, h->nat.median);
		HOURS(t, h->nat.p90);
		HOURS(t, h->work.mean);
		HOURS(t, h->prev_mean);
		hl_table_dec(t, h->speedup_pct, 2, "%");
	}
	add(r, HL_B_H2, T(r, "办理时长", "Handling time"));
	add_table(r, t, "handling.csv");
}

static void
units(struct rep *r)
{
	struct hl_table *t = hl_table_new(7, NULL);
	size_t i;

	hl_table_cell(t, hl_word(HL_W_UNIT, r->o->zh));
	hl_table_cell(t, hl_word(HL_W_TICKETS, r->o->zh));
	hl_table_cell(t, T(r, "已办结", "closed"));
	hl_table_cell(t, hl_word(HL_W_ON_TIME, r->o->zh));
	hl_table_cell(t, hl_word(HL_W_SAT, r->o->zh));
	hl_table_cell(t, hl_word(HL_W_REOPEN, r->o->zh));
	hl_table_cell(t, T(r, "平均办理时长（小时）", "mean handling (h)"));
	for (i = 0; i < r->cur->nunits; i++) {
		const struct hl_fig_unit *u = &r->cur->units[i];

		hl_table_cell(t, u->name);
		hl_table_count(t, (double)u->tickets);
		hl_table_count(t, (double)u->closed);
		PCT(t, hl_ratio_value(u->on_time));
		PCT(t, hl_ratio_value(u->sat));
		PCT(t, hl_ratio_value(u->reopen));
		HOURS(t, u->hand_mean);
	}
	add(r, HL_B_H2, T(r, "承办单位", "Handling units"));
	add_table(r, t, "units.csv");
}

static void
supervision(struct rep *r)
{
	struct hl_table *t = hl_table_new(3, NULL), *o;
	const struct hl_figures *f = r->cur;
	const struct hl_fig_tickets *lists[2] = {&f->past, &f->near};
	char as_of[20];
	size_t i;
	int k, j;

	hl_table_cell(t, hl_word(HL_W_UNIT, r->o->zh));
	hl_table_cell(t, hl_word(HL_W_TICKETS, r->o->zh));
	hl_table_cell(t, T(r, "未达标项", "under the thresholds"));
	for (i = 0; i < f->nlagging; i++) {
		const struct hl_fig_lagging *u = &f->lagging[i];
		struct hl_buf b = HL_BUF_INIT;

		hl_table_cell(t, u->name);
		hl_table_count(t, (double)u->tickets);
		for (j = 0; j < u->nwhy; j++)
			hl_buf_printf(
			    &b, "%s%s %.2f%% (%s %.2f%%)", j ? "; " : "",
			    u->why[j].figure, u->why[j].pct,
			    hl_word(HL_W_LIMIT, r->o->zh), u->why[j].limit);
		hl_table_cell(t, b.data);
		hl_buf_release(&b);
	}
	hl_time_format_iso(f->as_of, as_of);
	add(r, HL_B_H2, T(r, "督办", "Supervision"));
	addf(r, HL_B_P,
	     T(r, "统计时点 %s。未达标的承办单位（工单量不少于 %.0f 件）：",
	       "As of %s.  Units under the thresholds (at least %.0f "
	       "tickets):"),
	     as_of, (double)f->settings->min_unit_tickets);
	add_table(r, t, "supervision_units.csv");
	for (k = 0; k < 2; k++) {
		o = hl_table_new(4, NULL);
		hl_table_cell(o, T(r, "工单编号", "ticket"));
		hl_table_cell(o, hl_word(HL_W_UNIT, r->o->zh));
		hl_table_cell(o, T(r, "办理时限", "deadline"));
		hl_table_cell(o, k ? T(r, "剩余（小时）", "hours left")
				   : T(r, "已超（小时）", "hours past"));
		for (i = 0; i < lists[k]->n; i++) {
			const struct hl_fig_ticket *x = &lists[k]->v[i];
			char dl[20];

			hl_time_format_iso(x->deadline, dl);
			hl_table_cell(o, x->ticket_id);
			hl_table_cell(o, x->unit);
			hl_table_cell(o, dl);
			HOURS(o, x->hours);
		}
		add(r, HL_B_P,
		    k ? T(r, "临近办理时限的在办工单：",
			  "Open tickets near their deadline:")
		      : T(r, "已超办理时限的在办工单：",
			  "Open tickets past their deadline:"));
		add_table(r, o, k ? "open_near.csv" : "open_past.csv");
	}
}

static void
definitions(struct rep *r)
{
	const struct hl_figures *f = r->cur;
	struct hl_definitions d;
	size_t i;

	add(r, HL_B_H2, T(r, "口径说明", "Definitions"));
	hl_definitions_make(f->settings, &d);
	for (i = 0; i < HL_NDEFINITIONS; i++)
		addf(r, HL_B_P, "%s: %s", hl_definition_label(i, r->o->zh),
		     r->o->zh ? d.text[i].zh : d.text[i].en);
	hl_definitions_release(&d);
	addf(r, HL_B_P,
	     T(r,
	       "数据质量：带标记的工单 %.0f 件；办结早于受理、不计入办理时长 "
	       "%.0f 件；受理日超出工作日历的 %.0f 件；无办理时限的 %.0f 件。",
	       "Data quality: %.0f flagged tickets; %.0f closed before "
	       "accepted, left out of handling time; %.0f accepted outside "
	       "the working-day calendar; %.0f without a deadline."),
	     (double)f->flagged, (double)f->hand_left_out,
	     (double)f->outside_calendar, (double)f->no_deadline);
}

/* ---- files ---- */

/* Removes dir/name+ext if it is there. */
void
rp_unlink(const char *dir, const char *name, const char *ext)
{
	struct hl_buf p = HL_BUF_INIT;

	hl_buf_printf(&p, "%s/%s%s", dir, name, ext);
	unlink(p.data);
	hl_buf_release(&p);
}

/*
 * Creates (or truncates) path for writing, never through a symbolic link
 * planted where a report file goes: O_NOFOLLOW fails with ELOOP.
 */
static FILE *
create(const char *path, const char *mode)
{
	int fd = open(
	    path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f;

	if (fd < 0)
		return NULL;
	if ((f = fdopen(fd, mode)) == NULL)
		close(fd);
	return f;
}

FILE *
rp_open(struct rep *r, const char *dir, const char *name, const char *mode)
{
	struct hl_buf p = HL_BUF_INIT;
	FILE *f;

	hl_buf_printf(&p, "%s/%s", dir, name);
	f = create(p.data, mode);
	if (f == NULL && !r->failed) {
		r->failed = 1;
		hl_buf_printf(r->err, "cannot write '%s': %s", p.data,
			      errno == ELOOP ? "it is a symbolic link, which "
					       "a report never follows"
					     : strerror(errno));
	}
	hl_buf_release(&p);
	return f;
}

int
rp_close(struct rep *r, FILE *f, const char *name)
{
	if (f == NULL)
		return -1;
	if ((ferror(f) | fclose(f)) != 0) {
		if (!r->failed) {
			r->failed = 1;
			hl_buf_printf(r->err, "cannot write '%s': %s", name,
				      strerror(errno));
		}
		return -1;
	}
	return 0;
}

/* ---- writing ---- */

void
hl_report_result_release(struct hl_report_result *res)
{
	size_t i;

	for (i = 0; i < res->nreproduction; i++) {
		free(res->reproduction[i].label);
		free(res->reproduction[i].published);
		free(res->reproduction[i].computed);
		free(res->reproduction[i].shown);
	}
	free(res->reproduction);
	res->reproduction = NULL;
	res->nreproduction = 0;
}

/* The comparison with the published figures, for figures.json. */
static json_t *
reproduction_json(const struct hl_report_result *res)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < res->nreproduction; i++) {
		const struct hl_repro_row *x = &res->reproduction[i];

		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:s, s:s, s:b}", "label", x->label,
				 "published", x->published, "computed",
				 x->computed, "shown", x->shown, "match",
				 x->match));
	}
	return a;
}

/* report.xlsx, and report.docx unless pandoc is not installed. */
static void
office(struct rep *r)
{
	struct hl_buf p = HL_BUF_INIT;
	int missing;

	hl_buf_printf(&p, "%s/report.xlsx", r->dir);
	if (!r->failed && hl_doc_write_xlsx(r->doc, p.data, r->err) != 0)
		r->failed = 1;
	if (!r->failed &&
	    hl_doc_write_docx(r->doc, r->dir,
			      r->o->pandoc ? r->o->pandoc : "pandoc", &missing,
			      r->err) != 0)
		r->failed = 1;
	else if (!r->failed)
		r->res->docx_skipped = missing;
	hl_buf_release(&p);
}

static void
write_all(struct rep *r)
{
	FILE *f;
	size_t i;

	for (i = 0; i < hl_doc_count(r->doc) && !r->failed; i++) {
		const struct hl_block *b = hl_doc_block(r->doc, i);

		if (b->kind != HL_B_TABLE)
			continue;
		if ((f = rp_open(r, r->dir, b->name, "wb")) == NULL)
			break;
		fputs("\xef\xbb\xbf", f); /* Excel reads UTF-8 with a BOM */
		hl_table_write_csv(b->t, f);
		rp_close(r, f, b->name);
	}
	if (!r->failed && (f = rp_open(r, r->dir, "report.md", "w"))) {
		hl_doc_write_md(r->doc, f);
		rp_close(r, f, "report.md");
	}
	if (!r->failed && (f = rp_open(r, r->dir, "report.html", "w"))) {
		hl_doc_write_html(r->doc, f);
		rp_close(r, f, "report.html");
	}
	if (!r->failed && (f = rp_open(r, r->dir, "figures.json", "w"))) {
		json_t *all =
		    json_pack("{s:o, s:o}", "period", hl_figures_json(r->cur),
			      "year_before",
			      r->prev ? hl_figures_json(r->prev) : json_null());

		if (r->res->reproduction)
			json_object_set_new(all, "published",
					    reproduction_json(r->res));
		json_dumpf(all, f, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
		fputc('\n', f);
		json_decref(all);
		rp_close(r, f, "figures.json");
	}
	office(r);
}

static struct hl_figures *
figures(struct hl_store *st, const struct hl_settings *s,
	const struct hl_report_opts *o, struct hl_period period,
	struct hl_buf *err)
{
	struct hl_metrics *m;
	struct hl_query q;
	struct hl_figures *f;

	memset(&q, 0, sizeof(q));
	q.period = period;
	q.district = o->district;
	q.as_of = o->as_of;
	if (hl_metrics_open(st, s, &m) != 0 ||
	    (f = hl_metrics_compute(m, &q)) == NULL) {
		hl_buf_printf(err, "%s", hl_metrics_errmsg(m));
		f = NULL;
	}
	hl_metrics_free(m);
	return f;
}

/* f, or NULL when it has no tickets (freed). */
static struct hl_figures *
nonempty(struct hl_figures *f)
{
	if (f && f->f.tickets == 0) {
		hl_figures_free(f);
		f = NULL;
	}
	return f;
}

int
hl_report_write(struct hl_store *st, const struct hl_settings *s,
		const struct hl_report_opts *o, struct hl_report_result *res,
		struct hl_buf *err)
{
	struct rep r;
	json_t *ref = NULL;
	json_error_t je;
	const char *d;
	char from[20], to[20], as_of[20];

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.res = res;
	r.err = err;
	r.gp = o->gnuplot ? o->gnuplot : "gnuplot";
	hl_outdir_init(&r.od);
	if ((r.cur = figures(st, s, o, o->period, err)) == NULL)
		return -1;
	if (hl_figures_require_tickets(r.cur, err) != 0) {
		hl_figures_free(r.cur);
		return -1;
	}
	/* A year before or a period before without tickets is no data to
	 * compare with: it shows as "—", never as a change against 0. */
	r.prev =
	    nonempty(figures(st, s, o, hl_period_year_back(&o->period), err));
	if (o->month)
		r.before = nonempty(
		    figures(st, s, o, hl_period_before(&o->period), err));
	hl_buf_reset(err);
	if (!o->month) {
		ref = o->reference
			  ? json_load_file(o->reference, 0, &je)
			  : json_loads(hl_reference_liwan_2022, 0, &je);
		if (ref == NULL) {
			hl_buf_printf(err, "cannot read '%s': %s (line %d)",
				      o->reference ? o->reference
						   : "the built-in reference",
				      je.text, je.line);
			goto fail;
		}
		if (check_reference(ref,
				    o->reference ? o->reference
						 : "the built-in reference",
				    err) != 0)
			goto fail;
	}
	if (hl_outdir_begin(&r.od, o->out, err) != 0)
		goto fail;
	r.dir = r.od.dir;
	r.charts = r.od.charts;
	r.doc = hl_doc_new(o->zh, r.charts);

	d = r.cur->district;
	hl_time_format_iso(r.cur->period.from, from);
	hl_time_format_iso(r.cur->period.to, to);
	hl_time_format_iso(r.cur->as_of, as_of);
	if (o->period.kind == HL_PERIOD_MONTH)
		addf(&r, HL_B_H1,
		     T(&r, "%s %d 年 %d 月 12345 热线工单月报",
		       "%s 12345 hotline work orders: %d-%02d"),
		     d, o->year, o->month);
	else if (o->month)
		addf(&r, HL_B_H1,
		     T(&r, "%s %s 12345 热线工单报告",
		       "%s 12345 hotline work orders: %s"),
		     d, r.cur->period.label);
	else
		addf(&r, HL_B_H1,
		     T(&r, "%s %d 年 12345 热线工单年度报告",
		       "%s 12345 hotline work orders: %d annual report"),
		     d, o->year);
	addf(&r, HL_B_P,
	     T(&r,
	       "统计期间 %s 至 %s（按%s时间）；在办工单的统计时点 %s。各项"
	       "指标均由数据库中的工单逐条计算，口径见文末。",
	       "Period %s to %s (by %s time); open tickets as of %s.  Every "
	       "figure is computed from the stored tickets; the definitions "
	       "close the report."),
	     from, to, hl_basis_words(s->basis, o->zh), as_of);
	if (!o->month) {
		if (json_is_string(J(ref, "district")) && d &&
		    strcmp(json_string_value(J(ref, "district")), d) == 0 &&
		    (int)json_number_value(J(ref, "year")) == o->year)
			reproduction(&r, ref);
		summary(&r);
		months(&r, 12);
		rp_charts(&r, 12);
		district_ranks(&r, 0);
		handling(&r);
		units(&r);
		supervision(&r);
	} else {
		month_summary(&r);
		district_ranks(&r, o->month);
		months(&r, o->month);
		rp_charts(&r, o->month);
		supervision(&r);
	}
	hl_analyses_doc(r.cur, o->zh, r.doc);
	definitions(&r);
	if (!r.failed)
		write_all(&r);
	if (!r.failed && hl_outdir_commit(&r.od, err) != 0)
		r.failed = 1;
	/* No report.docx of an earlier run beside a report without one. */
	if (!r.failed && res->docx_skipped)
		rp_unlink(o->out, "report", ".docx");
	/* Nor the chart files of an earlier run that this one does not
	 * draw: the report says why in their place. */
	if (!r.failed) {
		struct hl_buf charts = HL_BUF_INIT;
		size_t i;

		hl_buf_printf(&charts, "%s/charts", o->out);
		for (i = 0; i < r.nundrawn; i++) {
			rp_unlink(charts.data, r.undrawn[i], ".png");
			rp_unlink(charts.data, r.undrawn[i], ".svg");
			rp_unlink(charts.data, r.undrawn[i], ".gp");
		}
		hl_buf_release(&charts);
	}
	if (r.failed)
		hl_report_result_release(res);
fail:
	if (!r.failed && err->len)
		r.failed = 1;
	hl_outdir_release(&r.od);
	json_decref(ref);
	hl_figures_free(r.cur);
	hl_figures_free(r.prev);
	hl_figures_free(r.before);
	hl_doc_free(r.doc);
	return r.failed ? -1 : 0;
}
