/*
 * figures_out.c - the figures of hl_metrics_compute() as `hotline metrics`
 * prints them: an aligned table (Chinese or English labels) with the
 * notes under the figures they qualify, or CSV, one row per figure and
 * scope (UTF-8 with a BOM, CRLF, for Excel).
 */
#include <stdlib.h>
#include <string.h>

#include "reports/reports.h"

static const char *const cls_names[HL_CLS_N] = {"ordinary", "key"};

#define cell_count hl_table_count
#define cell_pct hl_table_pct
#define cell_int(t, v) hl_table_dec(t, v, 0, "")

/* ---- the table form ---- */

struct lang {
	int zh;
};

#define L(lg, in_zh, in_en) ((lg)->zh ? (in_zh) : (in_en))
#define P(doc, ...) hl_doc_addf(doc, HL_B_P, __VA_ARGS__)
#define BLANK(doc) hl_doc_add(doc, HL_B_P, "")

/* One figure that is a ratio: label, rate, numerator / denominator. */
static void
ratio_row(struct hl_table *t, const char *label, struct hl_ratio r,
	  const char *note)
{
	char a[40], b[40];

	hl_table_cell(t, label);
	cell_pct(t, hl_ratio_value(r));
	hl_table_num(t, "%s / %s", hl_fmt_count(a, sizeof(a), r.num),
		     hl_fmt_count(b, sizeof(b), r.den));
	hl_table_cell(t, note);
}

static void
handling_row(struct hl_table *t, const struct lang *lg, const char *label,
	     const struct hl_fig_handling *h)
{
	struct hl_buf note = HL_BUF_INIT;

	hl_table_cell(t, label);
	hl_table_dec(t, h->nat.mean, 2, " h");
	cell_count(t, (double)h->nat.n);
	if (h->quantiles && hl_fig_has(h->nat.median))
		hl_buf_printf(
		    &note,
		    L(lg, "中位 %.2f，P90 %.2f", "median %.2f, p90 %.2f"),
		    h->nat.median, h->nat.p90);
	if (hl_fig_has(h->work.mean))
		hl_buf_printf(&note, L(lg, "；工作时长 %.2f", "; working %.2f"),
			      h->work.mean);
	if (hl_fig_has(h->prev_mean))
		hl_buf_printf(&note,
			      L(lg, "；上年同期 %.2f", "; a year before %.2f"),
			      h->prev_mean);
	if (hl_fig_has(h->speedup_pct))
		hl_buf_printf(&note, L(lg, "；提速 %.2f%%", "; %.2f%% faster"),
			      h->speedup_pct);
	hl_table_cell(t, note.data);
	hl_buf_release(&note);
}

static void
summary_table(const struct hl_figures *f, const struct lang *lg,
	      struct hl_doc *doc)
{
	struct hl_table *t = hl_table_new(4, NULL);
	struct hl_buf b = HL_BUF_INIT;
	const struct hl_fig_main *p = &f->f;
	const struct hl_fig_on_time *r;
	const char *zh_cls[2] = {"普通", "重点"};
	double ftf = hl_ratio_value(p->reopen.r);
	int k;

	hl_table_cell(t, hl_word(HL_W_FIGURE, lg->zh));
	hl_table_cell(t, hl_word(HL_W_VALUE, lg->zh));
	hl_table_cell(t, hl_word(HL_W_RATIO, lg->zh));
	hl_table_cell(t, L(lg, "说明", "note"));
	hl_table_cell(t, hl_word(HL_W_TICKETS, lg->zh));
	cell_count(t, (double)p->tickets);
	hl_table_cell(t, "");
	hl_buf_printf(
	    &b, L(lg, "咨询 %lld，非咨询 %lld", "consult %lld, other %lld"),
	    (long long)p->cls[0], (long long)(p->tickets - p->cls[0]));
	hl_table_cell(t, b.data);
	hl_buf_reset(&b);
	r = &p->on_time_closed;
	hl_buf_printf(&b,
		      L(lg, "超期 %lld 件，无时限 %lld 件",
			"late %lld, no deadline %lld"),
		      (long long)r->late, (long long)r->no_deadline);
	ratio_row(t, hl_fig_text(HL_F_ON_TIME_CLOSED, lg->zh), r->r, b.data);
	hl_buf_reset(&b);
	r = &p->on_time_dispatched;
	hl_buf_printf(&b,
		      L(lg, "超期 %lld 件（含截至统计时点未办结）",
			"late %lld (open ones at the as-of time included)"),
		      (long long)r->late);
	ratio_row(t, hl_fig_text(HL_F_ON_TIME_DISPATCHED, lg->zh), r->r,
		  b.data);
	for (k = 0; k < HL_CLS_N; k++) {
		const long *c = p->sat[k].c;
		char label[64];

		hl_buf_reset(&b);
		hl_buf_printf(
		    &b,
		    L(lg, "满意 %lld，基本满意 %lld，不满意 %lld，未评价 %lld",
		      "satisfied %lld, basic %lld, unsatisfied %lld, not "
		      "evaluated %lld"),
		    (long long)c[HL_SAT_SATISFIED], (long long)c[HL_SAT_BASIC],
		    (long long)c[HL_SAT_UNSATISFIED],
		    (long long)c[HL_SAT_NOT_EVALUATED]);
		snprintf(label, sizeof(label),
			 L(lg, "满意率（%s工单）", "satisfaction (%s)"),
			 lg->zh ? zh_cls[k] : cls_names[k]);
		ratio_row(t, label, p->sat[k].r, b.data);
	}
	for (k = 0; k < HL_CLS_N && f->has_ranking; k++) {
		const struct hl_fig_ranking *rk = &f->ranking[k];
		char label[64];

		hl_buf_reset(&b);
		snprintf(label, sizeof(label),
			 L(lg, "月度平均排名（%s）", "mean monthly rank (%s)"),
			 lg->zh ? zh_cls[k] : cls_names[k]);
		hl_table_cell(t, label);
		hl_table_dec(t, rk->mean_rank, 2, "");
		hl_table_cell(t, "");
		hl_buf_printf(
		    &b,
		    L(lg, "%lld 个月参与排名；连续第%lld名最长 %lld 个月",
		      "%lld months ranked; longest run at rank %lld: "
		      "%lld months"),
		    (long long)rk->ranked_months, (long long)rk->streak_rank,
		    (long long)rk->streak_months);
		if (rk->streak_from)
			hl_buf_printf(
			    &b, L(lg, "（%lld—%lld月）", " (months %lld-%lld)"),
			    (long long)rk->streak_from,
			    (long long)rk->streak_to);
		hl_table_cell(t, b.data);
	}
	handling_row(t, lg,
		     L(lg, "平均办理时长（咨询）", "mean handling (consult)"),
		     &f->hand[HL_FIG_CONSULT]);
	handling_row(t, lg,
		     L(lg, "平均办理时长（非咨询）", "mean handling (other)"),
		     &f->hand[HL_FIG_OTHER]);
	hl_buf_reset(&b);
	if (hl_fig_has(ftf))
		hl_buf_printf(
		    &b, L(lg, "一次办结率 %.2f%%", "first-time fix %.2f%%"),
		    (1 - ftf) * 100);
	ratio_row(t, hl_fig_text(HL_F_REOPEN, lg->zh), p->reopen.r, b.data);
	hl_doc_table(doc, t, NULL);
	hl_buf_release(&b);
}

static void
months_table(const struct hl_figures *f, const struct lang *lg,
	     struct hl_doc *doc)
{
	struct hl_table *t = hl_table_new(9, NULL);
	size_t i;
	static const enum hl_word head[] = {
	    HL_W_MONTH,        HL_W_TICKETS,       HL_W_ON_TIME,
	    HL_W_SAT_ORDINARY, HL_W_RANK_ORDINARY, HL_W_SAT_KEY,
	    HL_W_RANK_KEY,     HL_W_CONSULT_H,     HL_W_OTHER_H};

	hl_table_words(t, head, HL_ARRAY_LEN(head), lg->zh);
	for (i = 0; i < 12; i++) {
		const struct hl_fig_month *m = &f->months[i];

		if (m->f.tickets == 0)
			continue;
		hl_table_num(t, "%lld", (long long)m->month);
		cell_count(t, (double)m->f.tickets);
		cell_pct(t, hl_ratio_value(hl_fig_on_time(f, &m->f)->r));
		cell_pct(t, hl_ratio_value(m->f.sat[0].r));
		cell_int(t, hl_fig_rank(m->rank[0]));
		cell_pct(t, hl_ratio_value(m->f.sat[1].r));
		cell_int(t, hl_fig_rank(m->rank[1]));
		hl_table_dec(t, m->hand_mean[0], 2, "");
		hl_table_dec(t, m->hand_mean[1], 2, "");
	}
	hl_doc_table(doc, t, NULL);
}

/* The city's districts side by side (the city's figures only). */
static void
districts_table(const struct hl_figures *f, const struct lang *lg,
		struct hl_doc *doc)
{
	struct hl_table *t = hl_table_new(8, NULL);
	size_t i;
	static const enum hl_word head[] = {HL_W_DISTRICT,
					    HL_W_TICKETS,
					    HL_W_ON_TIME,
					    HL_W_SAT_ORDINARY,
					    HL_W_MEAN_RANK_ORDINARY,
					    HL_W_SAT_KEY,
					    HL_W_MEAN_RANK_KEY,
					    HL_W_REOPEN};

	hl_table_words(t, head, HL_ARRAY_LEN(head), lg->zh);
	for (i = 0; i < f->ndistricts; i++) {
		const struct hl_fig_district *d = &f->districts[i];

		if (d->f.tickets == 0)
			continue;
		hl_table_cell(t, d->name);
		cell_count(t, (double)d->f.tickets);
		cell_pct(t, hl_ratio_value(hl_fig_on_time(f, &d->f)->r));
		cell_pct(t, hl_ratio_value(d->f.sat[0].r));
		hl_table_dec(t,
			     d->unassigned ? HL_FIG_NONE : d->rank[0].mean_rank,
			     2, "");
		cell_pct(t, hl_ratio_value(d->f.sat[1].r));
		hl_table_dec(t,
			     d->unassigned ? HL_FIG_NONE : d->rank[1].mean_rank,
			     2, "");
		cell_pct(t, hl_ratio_value(d->f.reopen.r));
	}
	hl_doc_table(doc, t, NULL);
}

static void
units_table(const struct hl_figures *f, const struct lang *lg,
	    struct hl_doc *doc, size_t max)
{
	struct hl_table *t = hl_table_new(6, NULL);
	size_t i;

	hl_table_cell(t, hl_word(HL_W_UNIT, lg->zh));
	hl_table_cell(t, hl_word(HL_W_TICKETS, lg->zh));
	hl_table_cell(t, hl_word(HL_W_ON_TIME, lg->zh));
	hl_table_cell(t, hl_word(HL_W_SAT, lg->zh));
	hl_table_cell(t, hl_word(HL_W_REOPEN, lg->zh));
	hl_table_cell(t, L(lg, "平均办理时长(h)", "mean handling (h)"));
	for (i = 0; i < f->nunits && i < max; i++) {
		const struct hl_fig_unit *u = &f->units[i];

		hl_table_cell(t, u->name);
		cell_count(t, (double)u->tickets);
		cell_pct(t, hl_ratio_value(u->on_time));
		cell_pct(t, hl_ratio_value(u->sat));
		cell_pct(t, hl_ratio_value(u->reopen));
		hl_table_dec(t, u->hand_mean, 2, "");
	}
	hl_doc_table(doc, t, NULL);
	if (f->nunits > max)
		P(doc,
		  L(lg,
		    "（共 %zu 个单位，此处列前 %zu 个；--format csv "
		    "列出全部）",
		    "(%zu units, the first %zu shown; --format csv lists "
		    "all)"),
		  f->nunits, max);
}

static void
supervision(const struct hl_figures *f, const struct lang *lg,
	    struct hl_doc *doc, size_t max)
{
	const struct hl_fig_tickets *list[2] = {&f->past, &f->near};
	struct hl_buf b = HL_BUF_INIT;
	size_t i;
	int k, j;

	P(doc, "%s",
	  L(lg, "督办：未达标的承办单位",
	    "Supervision: units under the thresholds"));
	if (f->nlagging == 0)
		P(doc, "%s", L(lg, "  无", "  none"));
	for (i = 0; i < f->nlagging; i++) {
		const struct hl_fig_lagging *u = &f->lagging[i];

		hl_buf_reset(&b);
		hl_buf_printf(&b, "  %s:", u->name ? u->name : "-");
		for (j = 0; j < u->nwhy; j++)
			hl_buf_printf(&b, " %s %.2f%% (%s %.2f%%)",
				      u->why[j].figure, u->why[j].pct,
				      hl_word(HL_W_LIMIT, lg->zh),
				      u->why[j].limit);
		P(doc, "%s", b.data);
	}
	hl_buf_release(&b);
	for (k = 0; k < 2; k++) {
		P(doc,
		  k ? L(lg, "督办：临近时限的在办工单（%zu 件）",
			"Supervision: open tickets near their deadline (%zu)")
		    : L(lg, "督办：已超时限的在办工单（%zu 件）",
			"Supervision: open tickets past their deadline (%zu)"),
		  list[k]->n);
		for (i = 0; i < list[k]->n; i++) {
			const struct hl_fig_ticket *o = &list[k]->v[i];
			char dl[20];

			if (i >= max) {
				P(doc, "  ...");
				break;
			}
			hl_time_format_iso(o->deadline, dl);
			P(doc, "  %s  %s  %s %s",
			  o->ticket_id ? o->ticket_id : "-",
			  o->unit ? o->unit : "-", L(lg, "时限", "deadline"),
			  dl);
		}
	}
}

static void
late_list(const struct hl_figures *f, const struct lang *lg, struct hl_doc *doc)
{
	size_t i;

	P(doc, L(lg, "超期工单（%zu 件）", "Late tickets (%zu)"), f->late.n);
	for (i = 0; i < f->late.n; i++) {
		const struct hl_fig_ticket *o = &f->late.v[i];
		char dl[20], cl[20];

		hl_time_format_iso(o->deadline, dl);
		if (o->closed)
			hl_time_format_iso(o->closed, cl);
		P(doc, "  %s  %s  %s %s  %s %s",
		  o->ticket_id ? o->ticket_id : "-", o->unit ? o->unit : "-",
		  L(lg, "时限", "deadline"), dl, L(lg, "办结", "closed"),
		  o->closed ? cl : L(lg, "未办结", "open"));
	}
}

static void
definitions(const struct hl_figures *f, const struct lang *lg,
	    struct hl_doc *doc)
{
	struct hl_definitions d;
	size_t i;

	hl_definitions_make(f->settings, &d);
	P(doc, "%s", L(lg, "口径说明", "Definitions"));
	for (i = 0; i < HL_NDEFINITIONS; i++)
		P(doc, "  %s: %s", hl_definition_label(i, lg->zh),
		  lg->zh ? d.text[i].zh : d.text[i].en);
	hl_definitions_release(&d);
}

/* The notes that qualify the figures above, right below them. */
static void
notes(const struct hl_figures *f, const struct lang *lg, struct hl_doc *doc)
{
	size_t i;

	for (i = 0; i < f->nnotes; i++)
		P(doc, "%s%s", L(lg, "注意：", "note: "),
		  lg->zh ? f->notes[i].text.zh : f->notes[i].text.en);
}

/* The figures as the document `hotline metrics` prints. */
static void
figures_doc(const struct hl_figures *f, const struct lang *lg,
	    struct hl_doc *doc)
{
	const char *d = f->district;
	char from[20], to[20], as_of[20];

	if (f->period.kind == HL_PERIOD_MONTH)
		P(doc,
		  L(lg, "%s %lld年%lld月 工单指标", "%s %lld-%02lld figures"),
		  d ? d : L(lg, "全市", "city"), (long long)f->period.year,
		  (long long)f->period.month);
	else if (f->period.kind == HL_PERIOD_YEAR)
		P(doc, L(lg, "%s %lld年 工单指标", "%s %lld figures"),
		  d ? d : L(lg, "全市", "city"), (long long)f->period.year);
	else
		P(doc, L(lg, "%s %s 工单指标", "%s %s figures"),
		  d ? d : L(lg, "全市", "city"), f->period.label);
	hl_time_format_iso(f->period.from, from);
	hl_time_format_iso(f->period.to, to);
	hl_time_format_iso(f->as_of, as_of);
	P(doc, L(lg, "期间 %s 至 %s；统计时点 %s", "period %s to %s; as of %s"),
	  from, to, as_of);
	BLANK(doc);
	summary_table(f, lg, doc);
	notes(f, lg, doc);
	BLANK(doc);
	months_table(f, lg, doc);
	BLANK(doc);
	if (f->districts) {
		districts_table(f, lg, doc);
		BLANK(doc);
	}
	units_table(f, lg, doc, 20);
	BLANK(doc);
	supervision(f, lg, doc, 20);
	if (f->has_late) {
		BLANK(doc);
		late_list(f, lg, doc);
	}
	BLANK(doc);
	hl_analyses_doc(f, lg->zh, doc);
	BLANK(doc);
	definitions(f, lg, doc);
}

void
hl_figures_write_table(const struct hl_figures *f, int zh, FILE *out)
{
	struct hl_doc *doc = hl_doc_new(zh, NULL);
	struct lang lg;

	lg.zh = zh;
	figures_doc(f, &lg, doc);
	hl_doc_write_text(doc, out);
	hl_doc_free(doc);
}

/* ---- CSV: one row per figure ---- */

/*
 * Every row is keyed by (scope, period, month, figure, class), and no two
 * rows share a key: a spreadsheet pivots on them.  figure and class are
 * fixed English words (docs/figures-json.md); label says the same in the
 * chosen language.
 */
struct csv {
	FILE *out;
	const struct hl_figures *f;
	int zh;
	const char *scope; /* the rows' district, or the city's word */
};

/* The label of each figure key, zh and en. */
static const struct {
	const char *key, *zh, *en;
} csv_labels[] = {
    {"tickets", "工单量", "tickets"},
    {"on_time", "按时办结率", "on-time rate"},
    {"on_time_dispatched", "按时办结率（派单口径）",
     "on-time rate (of dispatched)"},
    {"satisfaction", "满意率", "satisfaction rate"},
    {"mean_rank", "月度平均排名", "mean monthly rank"},
    {"rank_streak", "最长连续同一名次月数", "longest run at one rank (months)"},
    {"rank", "排名", "rank"},
    {"handling_mean_hours", "平均办理小时数", "mean handling hours"},
    {"handling_median_hours", "办理小时数中位数", "median handling hours"},
    {"handling_p90_hours", "办理小时数90分位", "p90 handling hours"},
    {"handling_work_mean_hours", "平均办理工作小时数",
     "mean working hours of handling"},
    {"handling_speedup_pct", "办理时长提速百分比", "handling speed-up, %"},
    {"category_handling_mean_hours", "分类别平均办理小时数",
     "mean handling hours by category"},
    {"reopen", "重办率", "reopen rate"},
    {"unit_tickets", "承办单位工单量", "unit's tickets"},
    {"unit_on_time", "承办单位按时办结率", "unit's on-time rate"},
    {"unit_satisfaction", "承办单位满意率", "unit's satisfaction rate"},
    {"unit_reopen", "承办单位重办率", "unit's reopen rate"},
    {"assessment_response", "考核响应率", "assessment response rate"},
    {"assessment_resolution", "考核解决率", "assessment resolution rate"},
    {"assessment_satisfaction", "考核满意率", "assessment satisfaction rate"},
    {"assessment_score", "考核综合成绩", "assessment score"},
    {"league_rank", "红黑榜名次", "league rank"},
    {"league_value", "红黑榜指标值", "league value"},
    {"topic_tickets", "热点问题工单量", "topic's tickets"},
    {"repeat_rate", "重复来电率", "repeat-call rate"},
    {"repeat_cases", "重复来电案例数", "repeat-call cases"},
    {"note", "说明", "note"},
};

/* The words of the classes that are words (the rest are names). */
static const char *const cls_zh[HL_CLS_N] = {"普通", "重点"};
static const char *const group_keys[2] = {"consult", "non_consult"};
static const char *const group_zh[2] = {"咨询类", "非咨询类"};
static const char *const group_en[2] = {"consult", "non-consult"};

static const char *
csv_label(const char *figure, int zh)
{
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(csv_labels); i++)
		if (strcmp(csv_labels[i].key, figure) == 0)
			return zh ? csv_labels[i].zh : csv_labels[i].en;
	abort(); /* a figure without a label: add it above */
}

/* A number as the CSV writes it: whole numbers as integers. */
static void
csv_num(FILE *out, double v)
{
	if (!hl_fig_has(v))
		return;
	if (hl_is_whole(v))
		fprintf(out, "%lld", (long long)v);
	else
		fprintf(out, "%.10g", v);
}

#define NONE HL_FIG_NONE

/*
 * A row: value, numerator, denominator (none: an empty cell).  month 0:
 * the period's figure; 1-12 a month of its year.  word: the class in
 * the label (NULL: the figure's label alone); note: NULL for none.
 */
static void
csv_row(const struct csv *c, long month, const char *figure, const char *cls,
	const char *word, double value, double numer, double denom,
	const char *note)
{
	struct hl_buf label = HL_BUF_INIT;
	FILE *out = c->out;

	hl_buf_adds(&label, csv_label(figure, c->zh));
	if (word != NULL)
		hl_buf_printf(&label, c->zh ? "（%s）" : " (%s)", word);
	hl_csv_cell(out, c->scope, 0);
	fputc(',', out);
	hl_csv_cell(out, c->f->period.label, 0);
	fputc(',', out);
	if (month)
		fprintf(out, "%ld", month);
	fputc(',', out);
	hl_csv_cell(out, figure, 0);
	fputc(',', out);
	hl_csv_cell(out, cls, 0);
	fputc(',', out);
	hl_csv_cell(out, label.data, 0);
	fputc(',', out);
	csv_num(out, value);
	fputc(',', out);
	csv_num(out, numer);
	fputc(',', out);
	csv_num(out, denom);
	fputc(',', out);
	if (note != NULL)
		hl_csv_cell(out, note, 0);
	fputs("\r\n", out);
	hl_buf_release(&label);
}

/* The text of a note in the CSV's language; NULL: none. */
static const char *
csv_text(const struct csv *c, const struct hl_text2 *t)
{
	return c->zh ? t->zh : t->en;
}

static void
csv_ratio(const struct csv *c, long month, const char *figure, const char *cls,
	  const char *word, struct hl_ratio r, const char *note)
{
	csv_row(c, month, figure, cls, word, hl_ratio_value(r), r.num, r.den,
		note);
}

/* The class of ordinary (k 0) or key (1) tickets, in the label. */
static const char *
cls_word(const struct csv *c, int k)
{
	return c->zh ? cls_zh[k] : cls_names[k];
}

static const char *
cat_word(const struct csv *c, int cat)
{
	return c->zh ? hl_category_zh[cat] : hl_category_names[cat];
}

static const char *
group_word(const struct csv *c, int k)
{
	return c->zh ? group_zh[k] : group_en[k];
}

/*
 * The headline figures of a scope (the period's, month 0): the city's or
 * a district's own, or a district's line of the city, which has the same
 * keys with its scope.  rank: the rankings (NULL: none).
 */
static void
csv_main(const struct csv *c, const struct hl_fig_main *p,
	 const struct hl_fig_ranking *rank)
{
	const struct hl_fig_on_time *o = hl_fig_on_time(c->f, p);
	int k, cat;

	csv_row(c, 0, "tickets", "", NULL, (double)p->tickets, NONE, NONE,
		NULL);
	for (cat = 0; cat < HL_CAT_COUNT; cat++)
		csv_row(c, 0, "tickets", hl_category_names[cat],
			cat_word(c, cat), (double)p->cls[cat], NONE, NONE,
			NULL);
	csv_ratio(c, 0, "on_time", "", NULL, o->r, csv_text(c, &o->note));
	csv_ratio(c, 0, "on_time_dispatched", "", NULL, p->on_time_dispatched.r,
		  csv_text(c, &p->on_time_dispatched.note));
	for (k = 0; k < HL_CLS_N; k++) {
		csv_ratio(c, 0, "satisfaction", cls_names[k], cls_word(c, k),
			  p->sat[k].r, NULL);
		if (rank == NULL)
			continue;
		csv_row(c, 0, "mean_rank", cls_names[k], cls_word(c, k),
			rank[k].mean_rank, NONE, NONE, NULL);
		csv_row(c, 0, "rank_streak", cls_names[k], cls_word(c, k),
			(double)rank[k].streak_months,
			(double)rank[k].streak_rank, NONE, NULL);
	}
}

/* Every district's line of the city, with its name as the scope. */
static void
csv_districts(const struct csv *city)
{
	const struct hl_figures *f = city->f;
	size_t i;
	int k;

	for (i = 0; i < f->ndistricts; i++) {
		const struct hl_fig_district *d = &f->districts[i];
		struct csv c = *city;

		c.scope = d->name;
		csv_main(&c, &d->f, d->unassigned ? NULL : d->rank);
		for (k = 0; k < 2; k++)
			csv_row(&c, 0, "handling_mean_hours", group_keys[k],
				group_word(&c, k), d->hand[k].nat.mean, NONE,
				NONE, NULL);
		csv_ratio(&c, 0, "reopen", "", NULL, d->f.reopen.r, NULL);
	}
}

void
hl_figures_write_csv(const struct hl_figures *f, int zh, FILE *out)
{
	static const char *const head[2] = {
	    "scope,period,month,figure,class,label,value,numerator,"
	    "denominator,note\r\n",
	    "范围,期间,月份,指标,类别,名称,值,分子,分母,说明\r\n"};
	const struct hl_fig_main *p = &f->f;
	struct csv c;
	struct hl_buf cal = HL_BUF_INIT;
	size_t i;
	int k, cat;

	c.out = out;
	c.f = f;
	c.zh = zh;
	c.scope = f->district ? f->district : zh ? "全市" : "city";
	fputs("\xef\xbb\xbf", out); /* Excel reads UTF-8 only with a BOM */
	fputs(head[zh != 0], out);
	csv_main(&c, p, f->has_ranking ? f->ranking : NULL);
	for (k = 0; k < 2; k++) {
		const struct hl_fig_handling *h = &f->hand[k];
		const char *g = group_keys[k], *w = group_word(&c, k);

		csv_row(&c, 0, "handling_mean_hours", g, w, h->nat.mean, NONE,
			NONE, NULL);
		csv_row(&c, 0, "handling_median_hours", g, w, h->nat.median,
			NONE, NONE, NULL);
		csv_row(&c, 0, "handling_p90_hours", g, w, h->nat.p90, NONE,
			NONE, NULL);
		csv_row(&c, 0, "handling_work_mean_hours", g, w, h->work.mean,
			NONE, NONE, csv_text(&c, &f->hand_note));
		csv_row(&c, 0, "handling_speedup_pct", g, w, h->speedup_pct,
			NONE, NONE, NULL);
	}
	for (cat = 0; cat < HL_CAT_COUNT; cat++)
		csv_row(&c, 0, "category_handling_mean_hours",
			hl_category_names[cat], cat_word(&c, cat),
			f->hand[2 + cat].nat.mean, NONE, NONE, NULL);
	csv_ratio(&c, 0, "reopen", "", NULL, p->reopen.r, NULL);
	/* the calendar's notes, one row: they qualify every figure */
	for (i = 0; i < f->nnotes; i++)
		if (strcmp(f->notes[i].figure, "calendar") == 0 &&
		    csv_text(&c, &f->notes[i].text) != NULL)
			hl_buf_printf(&cal, "%s%s", cal.len ? " " : "",
				      csv_text(&c, &f->notes[i].text));
	if (cal.len)
		csv_row(&c, 0, "note", "calendar", zh ? "日历" : "calendar",
			NONE, NONE, NONE, cal.data);
	/* days without tickets, one row: it qualifies every figure too */
	for (i = 0; i < f->nnotes; i++)
		if (strcmp(f->notes[i].figure, "coverage") == 0)
			csv_row(&c, 0, "note", "coverage",
				zh ? "数据覆盖" : "coverage", NONE, NONE, NONE,
				csv_text(&c, &f->notes[i].text));
	hl_buf_release(&cal);
	if (f->districts != NULL)
		csv_districts(&c);
	for (i = 0; i < 12; i++) {
		const struct hl_fig_month *m = &f->months[i];

		csv_row(&c, m->month, "tickets", "", NULL, (double)m->f.tickets,
			NONE, NONE, NULL);
		csv_ratio(&c, m->month, "on_time", "", NULL,
			  hl_fig_on_time(f, &m->f)->r, NULL);
		for (k = 0; k < HL_CLS_N; k++) {
			csv_ratio(&c, m->month, "satisfaction", cls_names[k],
				  cls_word(&c, k), m->f.sat[k].r, NULL);
			if (f->has_ranking)
				csv_row(&c, m->month, "rank", cls_names[k],
					cls_word(&c, k),
					hl_fig_rank(m->rank[k]), NONE, NONE,
					NULL);
		}
	}
	for (i = 0; i < f->nunits; i++) {
		const struct hl_fig_unit *u = &f->units[i];
		const char *name = u->name ? u->name : "";

		csv_row(&c, 0, "unit_tickets", name, NULL, (double)u->tickets,
			NONE, NONE, NULL);
		csv_ratio(&c, 0, "unit_on_time", name, NULL, u->on_time, NULL);
		csv_ratio(&c, 0, "unit_satisfaction", name, NULL, u->sat, NULL);
		csv_ratio(&c, 0, "unit_reopen", name, NULL, u->reopen, NULL);
	}
	if (f->has_assessment) {
		csv_ratio(&c, 0, "assessment_response", "", NULL,
			  f->assess.response, NULL);
		csv_ratio(&c, 0, "assessment_resolution", "", NULL,
			  f->assess.resolution, NULL);
		csv_ratio(&c, 0, "assessment_satisfaction", "", NULL,
			  f->assess.satisfaction, NULL);
		csv_row(&c, 0, "assessment_score", "", NULL, f->assess.score,
			NONE, NONE, NULL);
	}
	for (i = 0; i < f->league.n; i++) {
		const struct hl_fig_league_row *r = &f->league.v[i];
		const char *name = r->name ? r->name : "";

		csv_row(&c, 0, "league_rank", name, NULL, hl_fig_rank(r->rank),
			NONE, NONE, NULL);
		csv_row(&c, 0, "league_value", name, NULL, r->value, NONE,
			(double)r->basis, NULL);
	}
	for (i = 0; i < f->topics.ntop; i++)
		csv_row(&c, 0, "topic_tickets", f->topics.top[i].name, NULL,
			(double)f->topics.top[i].n, NONE, NONE, NULL);
	csv_ratio(&c, 0, "repeat_rate", "", NULL, f->repeats.rate, NULL);
	csv_row(&c, 0, "repeat_cases", "", NULL, (double)f->repeats.chains,
		NONE, NONE, NULL);
}
