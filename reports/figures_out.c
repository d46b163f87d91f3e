/*
 * figures_out.c - the figures of hl_metrics_compute() as `hotline metrics`
 * prints them: an aligned table (Chinese or English labels) with the
 * notes under the figures they qualify, or CSV, one row per figure
 * (UTF-8 with a BOM, CRLF, for Excel).
 */
#include <string.h>

#include "reports/reports.h"

static const char *const cls_names[HL_CLS_N] = {"ordinary", "key"};

#define cell_count hl_table_count
#define cell_pct(t, v) hl_table_value(t, v, "%.2f%%", 100)
#define cell_real(t, v, fmt) hl_table_value(t, v, fmt, 1)
#define cell_int(t, v) hl_table_value(t, v, "%.0f", 1)

/* ---- the table form ---- */

struct lang {
	int zh;
};

#define L(lg, in_zh, in_en) ((lg)->zh ? (in_zh) : (in_en))

/* A whole number that may be none (0): a rank, a month. */
static double
rank_value(int r)
{
	return r ? (double)r : HL_FIG_NONE;
}

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
	cell_real(t, h->nat.mean, "%.2f h");
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
summary_table(const struct hl_figures *f, const struct lang *lg, FILE *out)
{
	struct hl_table *t = hl_table_new(4, NULL);
	struct hl_buf b = HL_BUF_INIT;
	const struct hl_fig_main *p = &f->f;
	const struct hl_fig_on_time *r;
	const char *zh_cls[2] = {"普通", "重点"};
	double ftf = hl_ratio_value(p->reopen.r);
	int k;

	hl_table_cell(t, L(lg, "指标", "figure"));
	hl_table_cell(t, L(lg, "数值", "value"));
	hl_table_cell(t, L(lg, "分子 / 分母", "numerator / denominator"));
	hl_table_cell(t, L(lg, "说明", "note"));
	hl_table_cell(t, L(lg, "工单量", "tickets"));
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
	ratio_row(t, L(lg, "按时办结率（已办结）", "on time (of closed)"), r->r,
		  b.data);
	hl_buf_reset(&b);
	r = &p->on_time_dispatched;
	hl_buf_printf(&b,
		      L(lg, "超期 %lld 件（含截至统计时点未办结）",
			"late %lld (open ones at the as-of time included)"),
		      (long long)r->late);
	ratio_row(t, L(lg, "按时办结率（已派单）", "on time (of dispatched)"),
		  r->r, b.data);
	for (k = 0; k < HL_CLS_N; k++) {
		const long *c = p->sat[k].c;
		char label[64];

		hl_buf_reset(&b);
		hl_buf_printf(
		    &b,
		    L(lg, "满意 %lld，基本满意 %lld，不满意 %lld，未评价 %lld",
		      "satisfied %lld, basic %lld, unsatisfied %lld, not "
		      "evaluated %lld"),
		    (long long)c[HL_SAT_YES], (long long)c[HL_SAT_BASIC],
		    (long long)c[HL_SAT_NO], (long long)c[HL_SAT_NONE]);
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
		cell_real(t, rk->mean_rank, "%.2f");
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
	ratio_row(t, L(lg, "重办率", "reopen rate"), p->reopen.r, b.data);
	hl_table_write_text(t, out);
	hl_table_free(t);
	hl_buf_release(&b);
}

static void
months_table(const struct hl_figures *f, const struct lang *lg, FILE *out)
{
	struct hl_table *t = hl_table_new(9, NULL);
	size_t i;
	static const char *const head_zh[] = {
	    "月份",           "工单量",       "按时办结率",
	    "满意率（普通）", "排名（普通）", "满意率（重点）",
	    "排名（重点）",   "咨询时长(h)",  "非咨询时长(h)"};
	static const char *const head_en[] = {
	    "month",           "tickets",
	    "on time",         "satisfaction (ordinary)",
	    "rank (ordinary)", "satisfaction (key)",
	    "rank (key)",      "consult (h)",
	    "other (h)"};

	for (i = 0; i < 9; i++)
		hl_table_cell(t, lg->zh ? head_zh[i] : head_en[i]);
	for (i = 0; i < 12; i++) {
		const struct hl_fig_month *m = &f->months[i];

		if (m->f.tickets == 0)
			continue;
		hl_table_num(t, "%lld", (long long)m->month);
		cell_count(t, (double)m->f.tickets);
		cell_pct(t, hl_ratio_value(hl_fig_on_time(f, &m->f)->r));
		cell_pct(t, hl_ratio_value(m->f.sat[0].r));
		cell_int(t, rank_value(m->rank[0]));
		cell_pct(t, hl_ratio_value(m->f.sat[1].r));
		cell_int(t, rank_value(m->rank[1]));
		cell_real(t, m->hand_mean[0], "%.2f");
		cell_real(t, m->hand_mean[1], "%.2f");
	}
	hl_table_write_text(t, out);
	hl_table_free(t);
}

/* The city's districts side by side (the city's figures only). */
static void
districts_table(const struct hl_figures *f, const struct lang *lg, FILE *out)
{
	struct hl_table *t = hl_table_new(8, NULL);
	size_t i;
	static const char *const head_zh[] = {"区",
					      "工单量",
					      "按时办结率",
					      "满意率（普通）",
					      "平均排名（普通）",
					      "满意率（重点）",
					      "平均排名（重点）",
					      "重办率"};
	static const char *const head_en[] = {"district",
					      "tickets",
					      "on time",
					      "satisfaction (ordinary)",
					      "mean rank (ordinary)",
					      "satisfaction (key)",
					      "mean rank (key)",
					      "reopen"};

	for (i = 0; i < 8; i++)
		hl_table_cell(t, lg->zh ? head_zh[i] : head_en[i]);
	for (i = 0; i < f->ndistricts; i++) {
		const struct hl_fig_district *d = &f->districts[i];

		if (d->f.tickets == 0)
			continue;
		hl_table_cell(t, d->name);
		cell_count(t, (double)d->f.tickets);
		cell_pct(t, hl_ratio_value(hl_fig_on_time(f, &d->f)->r));
		cell_pct(t, hl_ratio_value(d->f.sat[0].r));
		cell_real(t, d->unassigned ? HL_FIG_NONE : d->rank[0].mean_rank,
			  "%.2f");
		cell_pct(t, hl_ratio_value(d->f.sat[1].r));
		cell_real(t, d->unassigned ? HL_FIG_NONE : d->rank[1].mean_rank,
			  "%.2f");
		cell_pct(t, hl_ratio_value(d->f.reopen.r));
	}
	hl_table_write_text(t, out);
	hl_table_free(t);
}

static void
units_table(const struct hl_figures *f, const struct lang *lg, FILE *out,
	    size_t max)
{
	struct hl_table *t = hl_table_new(6, NULL);
	size_t i;

	hl_table_cell(t, L(lg, "承办单位", "unit"));
	hl_table_cell(t, L(lg, "工单量", "tickets"));
	hl_table_cell(t, L(lg, "按时办结率", "on time"));
	hl_table_cell(t, L(lg, "满意率", "satisfaction"));
	hl_table_cell(t, L(lg, "重办率", "reopen"));
	hl_table_cell(t, L(lg, "平均办理时长(h)", "mean handling (h)"));
	for (i = 0; i < f->nunits && i < max; i++) {
		const struct hl_fig_unit *u = &f->units[i];

		hl_table_cell(t, u->name);
		cell_count(t, (double)u->tickets);
		cell_pct(t, hl_ratio_value(u->on_time));
		cell_pct(t, hl_ratio_value(u->sat));
		cell_pct(t, hl_ratio_value(u->reopen));
		cell_real(t, u->hand_mean, "%.2f");
	}
	hl_table_write_text(t, out);
	hl_table_free(t);
	if (f->nunits > max)
		fprintf(out,
			L(lg,
			  "（共 %zu 个单位，此处列前 %zu 个；--format csv "
			  "列出全部）\n",
			  "(%zu units, the first %zu shown; --format csv lists "
			  "all)\n"),
			f->nunits, max);
}

static void
supervision(const struct hl_figures *f, const struct lang *lg, FILE *out,
	    size_t max)
{
	const struct hl_fig_tickets *list[2] = {&f->past, &f->near};
	size_t i;
	int k, j;

	fputs(L(lg, "督办：未达标的承办单位\n",
		"Supervision: units under the thresholds\n"),
	      out);
	if (f->nlagging == 0)
		fputs(L(lg, "  无\n", "  none\n"), out);
	for (i = 0; i < f->nlagging; i++) {
		const struct hl_fig_lagging *u = &f->lagging[i];

		fprintf(out, "  %s:", u->name ? u->name : "-");
		for (j = 0; j < u->nwhy; j++)
			fprintf(out, " %s %.2f%% (%s %.2f%%)", u->why[j].figure,
				u->why[j].pct, L(lg, "限值", "limit"),
				u->why[j].limit);
		fputc('\n', out);
	}
	for (k = 0; k < 2; k++) {
		fprintf(out,
			k ? L(lg, "督办：临近时限的在办工单（%zu 件）\n",
			      "Supervision: open tickets near their deadline "
			      "(%zu)\n")
			  : L(lg, "督办：已超时限的在办工单（%zu 件）\n",
			      "Supervision: open tickets past their deadline "
			      "(%zu)\n"),
			list[k]->n);
		for (i = 0; i < list[k]->n; i++) {
			const struct hl_fig_ticket *o = &list[k]->v[i];
			char dl[20];

			if (i >= max) {
				fprintf(out, "  ...\n");
				break;
			}
			hl_time_format_iso(o->deadline, dl);
			fprintf(out, "  %s  %s  %s %s\n",
				o->ticket_id ? o->ticket_id : "-",
				o->unit ? o->unit : "-",
				L(lg, "时限", "deadline"), dl);
		}
	}
}

static void
late_list(const struct hl_figures *f, const struct lang *lg, FILE *out)
{
	size_t i;

	fprintf(out, L(lg, "超期工单（%zu 件）\n", "Late tickets (%zu)\n"),
		f->late.n);
	for (i = 0; i < f->late.n; i++) {
		const struct hl_fig_ticket *o = &f->late.v[i];
		char dl[20], cl[20];

		hl_time_format_iso(o->deadline, dl);
		if (o->closed)
			hl_time_format_iso(o->closed, cl);
		fprintf(out, "  %s  %s  %s %s  %s %s\n",
			o->ticket_id ? o->ticket_id : "-",
			o->unit ? o->unit : "-", L(lg, "时限", "deadline"), dl,
			L(lg, "办结", "closed"),
			o->closed ? cl : L(lg, "未办结", "open"));
	}
}

static void
definitions(const struct hl_figures *f, const struct lang *lg, FILE *out)
{
	struct hl_definitions d;
	size_t i;

	hl_definitions_make(f->settings, &d);
	fputs(L(lg, "口径说明\n", "Definitions\n"), out);
	for (i = 0; i < HL_NDEFINITIONS; i++)
		fprintf(out, "  %s: %s\n", hl_definition_label(i, lg->zh),
			lg->zh ? d.text[i].zh : d.text[i].en);
	hl_definitions_release(&d);
}

/* The notes that qualify the figures above, right below them. */
static void
notes(const struct hl_figures *f, const struct lang *lg, FILE *out)
{
	size_t i;

	for (i = 0; i < f->nnotes; i++)
		fprintf(out, "%s%s\n", L(lg, "注意：", "note: "),
			lg->zh ? f->notes[i].text.zh : f->notes[i].text.en);
}

static void
write_table(const struct hl_figures *f, const struct lang *lg, FILE *out)
{
	const char *d = f->district;
	char from[20], to[20], as_of[20];

	if (f->period.month)
		fprintf(out,
			L(lg, "%s %lld年%lld月 工单指标\n",
			  "%s %lld-%02lld figures\n"),
			d ? d : L(lg, "全市", "city"),
			(long long)f->period.year, (long long)f->period.month);
	else
		fprintf(out, L(lg, "%s %lld年 工单指标\n", "%s %lld figures\n"),
			d ? d : L(lg, "全市", "city"),
			(long long)f->period.year);
	hl_time_format_iso(f->period.from, from);
	hl_time_format_iso(f->period.to, to);
	hl_time_format_iso(f->as_of, as_of);
	fprintf(out,
		L(lg, "期间 %s 至 %s；统计时点 %s\n\n",
		  "period %s to %s; as of %s\n\n"),
		from, to, as_of);
	summary_table(f, lg, out);
	notes(f, lg, out);
	fputc('\n', out);
	months_table(f, lg, out);
	fputc('\n', out);
	if (f->districts) {
		districts_table(f, lg, out);
		fputc('\n', out);
	}
	units_table(f, lg, out, 20);
	fputc('\n', out);
	supervision(f, lg, out, 20);
	if (f->has_late) {
		fputc('\n', out);
		late_list(f, lg, out);
	}
	fputc('\n', out);
	definitions(f, lg, out);
}

void
hl_figures_write_table(const struct hl_figures *f, int zh, FILE *out)
{
	struct lang lg;

	lg.zh = zh;
	write_table(f, &lg, out);
}

/* ---- CSV: one row per figure ---- */

/* A number as the CSV writes it: whole numbers as integers. */
static void
csv_num(FILE *out, double v)
{
	if (!hl_fig_has(v))
		return;
	if (v == (double)(long long)v && v < 9e15 && v > -9e15)
		fprintf(out, "%lld", (long long)v);
	else
		fprintf(out, "%.10g", v);
}

static void
csv_head(FILE *out, const struct hl_figures *f, const char *figure,
	 const char *cls, long month)
{
	hl_csv_cell(out, f->district ? f->district : "", 0);
	fprintf(out, ",%lld,", (long long)f->period.year);
	if (month)
		fprintf(out, "%ld", month);
	fputc(',', out);
	hl_csv_cell(out, figure, 0);
	fputc(',', out);
	hl_csv_cell(out, cls, 0);
}

/* A row: value, numerator, denominator (none: an empty cell). */
static void
csv_row(FILE *out, const struct hl_figures *f, const char *figure,
	const char *cls, long month, double value, double numer, double denom)
{
	csv_head(out, f, figure, cls, month);
	fputc(',', out);
	csv_num(out, value);
	fputc(',', out);
	csv_num(out, numer);
	fputc(',', out);
	csv_num(out, denom);
	fputs("\r\n", out);
}

#define NONE HL_FIG_NONE

static void
csv_ratio(FILE *out, const struct hl_figures *f, const char *figure,
	  const char *cls, long month, struct hl_ratio r)
{
	csv_row(out, f, figure, cls, month, hl_ratio_value(r), r.num, r.den);
}

/* A note on a figure (zh/en text, or nothing), right after it. */
static void
csv_note(FILE *out, const struct hl_figures *f, long month, const char *figure,
	 const struct hl_text2 *text)
{
	if (text->en == NULL)
		return;
	csv_head(out, f, "note", figure, month);
	fputc(',', out);
	hl_csv_cell(out, text->zh, 0);
	fputc(',', out);
	hl_csv_cell(out, text->en, 0);
	fputs(",\r\n", out);
}

void
hl_figures_write_csv(const struct hl_figures *f, FILE *out)
{
	const struct hl_fig_main *p = &f->f;
	const char *groups[2] = {"consult", "other"};
	long mon = f->period.month;
	size_t i;
	int k, c;

	fputs("\xef\xbb\xbf", out); /* Excel reads UTF-8 only with a BOM */
	fputs(
	    "district,year,month,figure,class,value,numerator,denominator\r\n",
	    out);
	csv_row(out, f, "tickets", "", mon, (double)p->tickets, NONE, NONE);
	for (c = 0; c < HL_STORE_NCATEGORY; c++)
		csv_row(out, f, "tickets", hl_store_category_names[c], mon,
			(double)p->cls[c], NONE, NONE);
	csv_ratio(out, f, "on_time", "", mon, hl_fig_on_time(f, p)->r);
	csv_note(out, f, mon, "on_time", &hl_fig_on_time(f, p)->note);
	csv_ratio(out, f, "on_time_dispatched", "", mon,
		  p->on_time_dispatched.r);
	csv_note(out, f, mon, "on_time_dispatched",
		 &p->on_time_dispatched.note);
	for (k = 0; k < HL_CLS_N; k++) {
		const struct hl_fig_ranking *rk = &f->ranking[k];

		csv_ratio(out, f, "satisfaction", cls_names[k], mon,
			  p->sat[k].r);
		if (f->has_ranking) {
			csv_row(out, f, "mean_rank", cls_names[k], mon,
				rk->mean_rank, NONE, NONE);
			csv_row(out, f, "rank_streak", cls_names[k], mon,
				(double)rk->streak_months,
				(double)rk->streak_rank, NONE);
		}
	}
	for (k = 0; k < 2; k++) {
		const struct hl_fig_handling *h = &f->hand[k];

		csv_row(out, f, "handling_mean_hours", groups[k], mon,
			h->nat.mean, NONE, NONE);
		csv_row(out, f, "handling_median_hours", groups[k], mon,
			h->nat.median, NONE, NONE);
		csv_row(out, f, "handling_p90_hours", groups[k], mon,
			h->nat.p90, NONE, NONE);
		csv_row(out, f, "handling_work_mean_hours", groups[k], mon,
			h->work.mean, NONE, NONE);
		csv_row(out, f, "handling_speedup_pct", groups[k], mon,
			h->speedup_pct, NONE, NONE);
	}
	for (c = 0; c < HL_STORE_NCATEGORY; c++)
		csv_row(out, f, "handling_mean_hours",
			hl_store_category_names[c], mon,
			f->hand[2 + c].nat.mean, NONE, NONE);
	csv_note(out, f, mon, "handling", &f->hand_note);
	for (i = 0; i < f->nnotes; i++)
		if (strcmp(f->notes[i].figure, "calendar") == 0)
			csv_note(out, f, mon, "calendar", &f->notes[i].text);
	csv_ratio(out, f, "reopen", "", mon, p->reopen.r);
	for (i = 0; i < 12; i++) {
		const struct hl_fig_month *m = &f->months[i];

		csv_row(out, f, "tickets", "", m->month, (double)m->f.tickets,
			NONE, NONE);
		csv_ratio(out, f, "on_time", "", m->month,
			  hl_fig_on_time(f, &m->f)->r);
		for (k = 0; k < HL_CLS_N; k++) {
			csv_ratio(out, f, "satisfaction", cls_names[k],
				  m->month, m->f.sat[k].r);
			if (f->has_ranking)
				csv_row(out, f, "rank", cls_names[k], m->month,
					rank_value(m->rank[k]), NONE, NONE);
		}
	}
	for (i = 0; i < f->nunits; i++) {
		const struct hl_fig_unit *u = &f->units[i];
		const char *name = u->name ? u->name : "";

		csv_row(out, f, "unit_tickets", name, mon, (double)u->tickets,
			NONE, NONE);
		csv_ratio(out, f, "unit_on_time", name, mon, u->on_time);
		csv_ratio(out, f, "unit_satisfaction", name, mon, u->sat);
		csv_ratio(out, f, "unit_reopen", name, mon, u->reopen);
	}
}
