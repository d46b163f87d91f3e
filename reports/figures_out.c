/*
 * figures_out.c - the figures of hl_metrics_compute() as `hotline metrics`
 * prints them: an aligned table (Chinese or English labels) with the
 * notes under the figures they qualify, or CSV, one row per figure
 * (UTF-8 with a BOM, CRLF, for Excel).
 */
#include <string.h>

#include "reports/reports.h"

/* ---- reading the figures ---- */

/* The figures' value at a dotted path (reports.h). */
#define at hl_json_at

static double
num(json_t *o)
{
	return json_number_value(o);
}

#define cell_count hl_table_count
#define cell_pct(t, v) hl_table_value(t, v, "%.2f%%", 100)
#define cell_real(t, v, fmt) hl_table_value(t, v, fmt, 1)
#define cell_int(t, v) hl_table_value(t, v, "%.0f", 1)

/* ---- the table form ---- */

struct lang {
	int zh;
};

#define L(lg, in_zh, in_en) ((lg)->zh ? (in_zh) : (in_en))

/* One figure that is a ratio: label, rate, numerator / denominator. */
static void
ratio_row(struct hl_table *t, const char *label, json_t *r, const char *note)
{
	char a[40], b[40];

	hl_table_cell(t, label);
	cell_pct(t, at(r, "value"));
	hl_table_num(t, "%s / %s",
		     hl_fmt_count(a, sizeof(a), at(r, "numerator")),
		     hl_fmt_count(b, sizeof(b), at(r, "denominator")));
	hl_table_cell(t, note);
}

static void
handling_row(struct hl_table *t, const struct lang *lg, const char *label,
	     json_t *h)
{
	struct hl_buf note = HL_BUF_INIT;

	hl_table_cell(t, label);
	cell_real(t, at(h, "mean"), "%.2f h");
	cell_count(t, at(h, "n"));
	if (json_is_number(at(h, "median")))
		hl_buf_printf(
		    &note,
		    L(lg, "中位 %.2f，P90 %.2f", "median %.2f, p90 %.2f"),
		    num(at(h, "median")), num(at(h, "p90")));
	if (json_is_number(at(h, "work.mean")))
		hl_buf_printf(&note, L(lg, "；工作时长 %.2f", "; working %.2f"),
			      num(at(h, "work.mean")));
	if (json_is_number(at(h, "previous.mean")))
		hl_buf_printf(&note,
			      L(lg, "；上年同期 %.2f", "; a year before %.2f"),
			      num(at(h, "previous.mean")));
	if (json_is_number(at(h, "speedup_pct")))
		hl_buf_printf(&note, L(lg, "；提速 %.2f%%", "; %.2f%% faster"),
			      num(at(h, "speedup_pct")));
	hl_table_cell(t, note.data);
	hl_buf_release(&note);
}

static void
summary_table(json_t *f, const struct lang *lg, FILE *out)
{
	struct hl_table *t = hl_table_new(4, NULL);
	struct hl_buf b = HL_BUF_INIT;
	json_t *r;
	const char *cls[2] = {"ordinary", "key"};
	const char *zh_cls[2] = {"普通", "重点"};
	int k;

	hl_table_cell(t, L(lg, "指标", "figure"));
	hl_table_cell(t, L(lg, "数值", "value"));
	hl_table_cell(t, L(lg, "分子 / 分母", "numerator / denominator"));
	hl_table_cell(t, L(lg, "说明", "note"));
	hl_table_cell(t, L(lg, "工单量", "tickets"));
	cell_count(t, at(f, "tickets"));
	hl_table_cell(t, "");
	hl_buf_printf(
	    &b, L(lg, "咨询 %lld，非咨询 %lld", "consult %lld, other %lld"),
	    (long long)num(at(f, "volume.consult")),
	    (long long)num(at(f, "volume.other")));
	hl_table_cell(t, b.data);
	hl_buf_reset(&b);
	r = at(f, "on_time_closed");
	hl_buf_printf(&b,
		      L(lg, "超期 %lld 件，无时限 %lld 件",
			"late %lld, no deadline %lld"),
		      (long long)num(at(r, "late")),
		      (long long)num(at(r, "no_deadline")));
	ratio_row(t, L(lg, "按时办结率（已办结）", "on time (of closed)"), r,
		  b.data);
	hl_buf_reset(&b);
	r = at(f, "on_time_dispatched");
	hl_buf_printf(&b,
		      L(lg, "超期 %lld 件（含截至统计时点未办结）",
			"late %lld (open ones at the as-of time included)"),
		      (long long)num(at(r, "late")));
	ratio_row(t, L(lg, "按时办结率（已派单）", "on time (of dispatched)"),
		  r, b.data);
	for (k = 0; k < 2; k++) {
		char label[64];

		hl_buf_reset(&b);
		r = at(at(f, "satisfaction"), cls[k]);
		hl_buf_printf(
		    &b,
		    L(lg, "满意 %lld，基本满意 %lld，不满意 %lld，未评价 %lld",
		      "satisfied %lld, basic %lld, unsatisfied %lld, not "
		      "evaluated %lld"),
		    (long long)num(at(r, "satisfied")),
		    (long long)num(at(r, "basic")),
		    (long long)num(at(r, "unsatisfied")),
		    (long long)num(at(r, "not_evaluated")));
		snprintf(label, sizeof(label),
			 L(lg, "满意率（%s工单）", "satisfaction (%s)"),
			 lg->zh ? zh_cls[k] : cls[k]);
		ratio_row(t, label, r, b.data);
	}
	for (k = 0; k < 2; k++) {
		json_t *rk = at(at(f, "ranking"), cls[k]);
		char label[64];

		if (rk == NULL)
			break;
		hl_buf_reset(&b);
		snprintf(label, sizeof(label),
			 L(lg, "月度平均排名（%s）", "mean monthly rank (%s)"),
			 lg->zh ? zh_cls[k] : cls[k]);
		hl_table_cell(t, label);
		cell_real(t, at(rk, "mean_rank"), "%.2f");
		hl_table_cell(t, "");
		hl_buf_printf(&b,
			      L(lg,
				"%lld 个月参与排名；连续第%lld名最长 %lld 个月",
				"%lld months ranked; longest run at rank %lld: "
				"%lld months"),
			      (long long)num(at(rk, "ranked_months")),
			      (long long)num(at(rk, "streak.rank")),
			      (long long)num(at(rk, "streak.months")));
		if (json_is_number(at(rk, "streak.from")))
			hl_buf_printf(
			    &b, L(lg, "（%lld—%lld月）", " (months %lld-%lld)"),
			    (long long)num(at(rk, "streak.from")),
			    (long long)num(at(rk, "streak.to")));
		hl_table_cell(t, b.data);
	}
	handling_row(t, lg,
		     L(lg, "平均办理时长（咨询）", "mean handling (consult)"),
		     at(f, "handling.consult"));
	handling_row(t, lg,
		     L(lg, "平均办理时长（非咨询）", "mean handling (other)"),
		     at(f, "handling.other"));
	r = at(f, "reopen");
	hl_buf_reset(&b);
	if (json_is_number(at(r, "first_time_fix")))
		hl_buf_printf(
		    &b, L(lg, "一次办结率 %.2f%%", "first-time fix %.2f%%"),
		    num(at(r, "first_time_fix")) * 100);
	ratio_row(t, L(lg, "重办率", "reopen rate"), r, b.data);
	hl_table_write_text(t, out);
	hl_table_free(t);
	hl_buf_release(&b);
}

static void
months_table(json_t *f, const struct lang *lg, FILE *out)
{
	struct hl_table *t = hl_table_new(9, NULL);
	json_t *m;
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
	json_array_foreach(at(f, "months"), i, m)
	{
		if (num(at(m, "tickets")) == 0)
			continue;
		hl_table_num(t, "%lld", (long long)num(at(m, "month")));
		cell_count(t, at(m, "tickets"));
		cell_pct(t, at(m, "on_time.value"));
		cell_pct(t, at(m, "satisfaction.ordinary.value"));
		cell_int(t, at(m, "rank.ordinary"));
		cell_pct(t, at(m, "satisfaction.key.value"));
		cell_int(t, at(m, "rank.key"));
		cell_real(t, at(m, "handling_mean.consult"), "%.2f");
		cell_real(t, at(m, "handling_mean.other"), "%.2f");
	}
	hl_table_write_text(t, out);
	hl_table_free(t);
}

/* The city's districts side by side (the city's figures only). */
static void
districts_table(json_t *f, const struct lang *lg, FILE *out)
{
	struct hl_table *t = hl_table_new(8, NULL);
	json_t *d;
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
	json_array_foreach(at(f, "districts"), i, d)
	{
		if (num(at(d, "tickets")) == 0)
			continue;
		hl_table_cell(t, json_string_value(at(d, "district")));
		cell_count(t, at(d, "tickets"));
		cell_pct(t, at(d, "on_time.value"));
		cell_pct(t, at(d, "satisfaction.ordinary.value"));
		cell_real(t, at(d, "ranking.ordinary.mean_rank"), "%.2f");
		cell_pct(t, at(d, "satisfaction.key.value"));
		cell_real(t, at(d, "ranking.key.mean_rank"), "%.2f");
		cell_pct(t, at(d, "reopen.value"));
	}
	hl_table_write_text(t, out);
	hl_table_free(t);
}

static void
units_table(json_t *f, const struct lang *lg, FILE *out, size_t max)
{
	struct hl_table *t = hl_table_new(6, NULL);
	json_t *u;
	size_t i;

	hl_table_cell(t, L(lg, "承办单位", "unit"));
	hl_table_cell(t, L(lg, "工单量", "tickets"));
	hl_table_cell(t, L(lg, "按时办结率", "on time"));
	hl_table_cell(t, L(lg, "满意率", "satisfaction"));
	hl_table_cell(t, L(lg, "重办率", "reopen"));
	hl_table_cell(t, L(lg, "平均办理时长(h)", "mean handling (h)"));
	json_array_foreach(at(f, "units"), i, u)
	{
		if (i >= max)
			break;
		hl_table_cell(t, json_string_value(at(u, "unit")));
		cell_count(t, at(u, "tickets"));
		cell_pct(t, at(u, "on_time.value"));
		cell_pct(t, at(u, "satisfaction.value"));
		cell_pct(t, at(u, "reopen.value"));
		cell_real(t, at(u, "handling_mean"), "%.2f");
	}
	hl_table_write_text(t, out);
	hl_table_free(t);
	if (json_array_size(at(f, "units")) > max)
		fprintf(out,
			L(lg,
			  "（共 %zu 个单位，此处列前 %zu 个；--format csv "
			  "列出全部）\n",
			  "(%zu units, the first %zu shown; --format csv lists "
			  "all)\n"),
			json_array_size(at(f, "units")), max);
}

static void
supervision(json_t *f, const struct lang *lg, FILE *out, size_t max)
{
	json_t *u, *r, *o;
	size_t i, j;
	const char *list[2] = {"past_deadline", "near_deadline"};
	int k;

	fputs(L(lg, "督办：未达标的承办单位\n",
		"Supervision: units under the thresholds\n"),
	      out);
	if (json_array_size(at(f, "supervision.units")) == 0)
		fputs(L(lg, "  无\n", "  none\n"), out);
	json_array_foreach(at(f, "supervision.units"), i, u)
	{
		fprintf(out, "  %s:", json_string_value(at(u, "unit")));
		json_array_foreach(at(u, "reasons"), j, r) fprintf(
		    out, " %s %.2f%% (%s %.2f%%)",
		    json_string_value(at(r, "figure")), num(at(r, "pct")),
		    L(lg, "限值", "limit"), num(at(r, "limit")));
		fputc('\n', out);
	}
	for (k = 0; k < 2; k++) {
		json_t *a = at(at(f, "supervision"), list[k]);

		fprintf(out,
			k ? L(lg, "督办：临近时限的在办工单（%zu 件）\n",
			      "Supervision: open tickets near their deadline "
			      "(%zu)\n")
			  : L(lg, "督办：已超时限的在办工单（%zu 件）\n",
			      "Supervision: open tickets past their deadline "
			      "(%zu)\n"),
			json_array_size(a));
		json_array_foreach(a, i, o)
		{
			if (i >= max) {
				fprintf(out, "  ...\n");
				break;
			}
			fprintf(out, "  %s  %s  %s %s\n",
				json_string_value(at(o, "ticket_id")),
				json_is_string(at(o, "unit"))
				    ? json_string_value(at(o, "unit"))
				    : "-",
				L(lg, "时限", "deadline"),
				json_string_value(at(o, "deadline")));
		}
	}
}

static void
late_list(json_t *f, const struct lang *lg, FILE *out)
{
	json_t *o;
	size_t i;

	fprintf(out, L(lg, "超期工单（%zu 件）\n", "Late tickets (%zu)\n"),
		json_array_size(at(f, "late_tickets")));
	json_array_foreach(at(f, "late_tickets"), i, o) fprintf(
	    out, "  %s  %s  %s %s  %s %s\n",
	    json_string_value(at(o, "ticket_id")),
	    json_is_string(at(o, "unit")) ? json_string_value(at(o, "unit"))
					  : "-",
	    L(lg, "时限", "deadline"), json_string_value(at(o, "deadline")),
	    L(lg, "办结", "closed"),
	    json_is_string(at(o, "closed")) ? json_string_value(at(o, "closed"))
					    : L(lg, "未办结", "open"));
}

static void
definitions(json_t *f, const struct lang *lg, FILE *out)
{
	const char *label, *text;
	size_t i;

	fputs(L(lg, "口径说明\n", "Definitions\n"), out);
	for (i = 0; hl_definition(f, i, lg->zh, &label, &text); i++)
		fprintf(out, "  %s: %s\n", label, text);
}

/* The notes that qualify the figures above, right below them. */
static void
notes(json_t *f, const struct lang *lg, FILE *out)
{
	json_t *n;
	size_t i;

	json_array_foreach(at(f, "notes"), i, n)
	    fprintf(out, "%s%s\n", L(lg, "注意：", "note: "),
		    json_string_value(at(n, lg->zh ? "text.zh" : "text.en")));
}

static void
write_table(json_t *f, const struct lang *lg, FILE *out)
{
	json_t *scope = at(f, "scope");
	const char *d = json_string_value(at(scope, "district"));

	if (json_is_number(at(scope, "month")))
		fprintf(out,
			L(lg, "%s %lld年%lld月 工单指标\n",
			  "%s %lld-%02lld figures\n"),
			d ? d : L(lg, "全市", "city"),
			(long long)num(at(scope, "year")),
			(long long)num(at(scope, "month")));
	else
		fprintf(out, L(lg, "%s %lld年 工单指标\n", "%s %lld figures\n"),
			d ? d : L(lg, "全市", "city"),
			(long long)num(at(scope, "year")));
	fprintf(out,
		L(lg, "期间 %s 至 %s；统计时点 %s\n\n",
		  "period %s to %s; as of %s\n\n"),
		json_string_value(at(scope, "from")),
		json_string_value(at(scope, "to")),
		json_string_value(at(scope, "as_of")));
	summary_table(f, lg, out);
	notes(f, lg, out);
	fputc('\n', out);
	months_table(f, lg, out);
	fputc('\n', out);
	if (at(f, "districts")) {
		districts_table(f, lg, out);
		fputc('\n', out);
	}
	units_table(f, lg, out, 20);
	fputc('\n', out);
	supervision(f, lg, out, 20);
	if (at(f, "late_tickets")) {
		fputc('\n', out);
		late_list(f, lg, out);
	}
	fputc('\n', out);
	definitions(f, lg, out);
}

void
hl_figures_write_table(json_t *f, int zh, FILE *out)
{
	struct lang lg;

	lg.zh = zh;
	write_table(f, &lg, out);
}

/* ---- CSV: one row per figure ---- */

static void
csv_row(FILE *out, json_t *scope, const char *figure, const char *cls,
	long month, json_t *value, json_t *numer, json_t *denom)
{
	const char *d = json_string_value(at(scope, "district"));
	char buf[64];
	json_t *v[3] = {value, numer, denom};
	int i;

	hl_csv_cell(out, d ? d : "", 0);
	fprintf(out, ",%lld,", (long long)num(at(scope, "year")));
	if (month)
		fprintf(out, "%ld", month);
	fputc(',', out);
	hl_csv_cell(out, figure, 0);
	fputc(',', out);
	hl_csv_cell(out, cls, 0);
	for (i = 0; i < 3; i++) {
		fputc(',', out);
		if (json_is_integer(v[i]))
			fprintf(out, "%lld",
				(long long)json_integer_value(v[i]));
		else if (json_is_real(v[i])) {
			snprintf(buf, sizeof(buf), "%.10g",
				 json_real_value(v[i]));
			fputs(buf, out);
		} else if (json_is_string(v[i]))
			hl_csv_cell(out, json_string_value(v[i]), 0);
	}
	fputs("\r\n", out);
}

static void
csv_ratio(FILE *out, json_t *scope, const char *figure, const char *cls,
	  long month, json_t *r)
{
	csv_row(out, scope, figure, cls, month, at(r, "value"),
		at(r, "numerator"), at(r, "denominator"));
}

/* A note on a figure (zh/en text, or nothing), right after it. */
static void
csv_note(FILE *out, json_t *scope, long month, const char *figure, json_t *text)
{
	if (text)
		csv_row(out, scope, "note", figure, month, at(text, "zh"),
			at(text, "en"), NULL);
}

void
hl_figures_write_csv(json_t *f, FILE *out)
{
	json_t *scope = at(f, "scope"), *m, *u, *h, *v;
	const char *cls[2] = {"ordinary", "key"};
	const char *key;
	size_t i;
	int k;
	long mon = json_is_number(at(scope, "month"))
		       ? (long)num(at(scope, "month"))
		       : 0;

	fputs("\xef\xbb\xbf", out); /* Excel reads UTF-8 only with a BOM */
	fputs(
	    "district,year,month,figure,class,value,numerator,denominator\r\n",
	    out);
	csv_row(out, scope, "tickets", "", mon, at(f, "tickets"), NULL, NULL);
	json_object_foreach(at(f, "volume.by_class"), key, v)
	    csv_row(out, scope, "tickets", key, mon, v, NULL, NULL);
	csv_ratio(out, scope, "on_time", "", mon, at(f, "on_time"));
	csv_note(out, scope, mon, "on_time", at(f, "on_time.note"));
	csv_ratio(out, scope, "on_time_dispatched", "", mon,
		  at(f, "on_time_dispatched"));
	csv_note(out, scope, mon, "on_time_dispatched",
		 at(f, "on_time_dispatched.note"));
	for (k = 0; k < 2; k++) {
		json_t *rk = at(at(f, "ranking"), cls[k]);

		csv_ratio(out, scope, "satisfaction", cls[k], mon,
			  at(at(f, "satisfaction"), cls[k]));
		if (rk) {
			csv_row(out, scope, "mean_rank", cls[k], mon,
				at(rk, "mean_rank"), NULL, NULL);
			csv_row(out, scope, "rank_streak", cls[k], mon,
				at(rk, "streak.months"), at(rk, "streak.rank"),
				NULL);
		}
	}
	json_object_foreach(at(f, "handling"), key, h)
	{
		if (!json_is_object(h) || strcmp(key, "by_category") == 0)
			continue;
		csv_row(out, scope, "handling_mean_hours", key, mon,
			at(h, "mean"), NULL, NULL);
		csv_row(out, scope, "handling_median_hours", key, mon,
			at(h, "median"), NULL, NULL);
		csv_row(out, scope, "handling_p90_hours", key, mon,
			at(h, "p90"), NULL, NULL);
		csv_row(out, scope, "handling_work_mean_hours", key, mon,
			at(h, "work.mean"), NULL, NULL);
		csv_row(out, scope, "handling_speedup_pct", key, mon,
			at(h, "speedup_pct"), NULL, NULL);
	}
	json_object_foreach(at(f, "handling.by_category"), key, h)
	    csv_row(out, scope, "handling_mean_hours", key, mon, at(h, "mean"),
		    NULL, NULL);
	csv_note(out, scope, mon, "handling", at(f, "handling.note"));
	json_array_foreach(at(f, "notes"), i, v)
	{
		if (strcmp(json_string_value(at(v, "figure")), "calendar") == 0)
			csv_note(out, scope, mon, "calendar", at(v, "text"));
	}
	csv_ratio(out, scope, "reopen", "", mon, at(f, "reopen"));
	json_array_foreach(at(f, "months"), i, m)
	{
		long mo = (long)num(at(m, "month"));

		csv_row(out, scope, "tickets", "", mo, at(m, "tickets"), NULL,
			NULL);
		csv_ratio(out, scope, "on_time", "", mo, at(m, "on_time"));
		for (k = 0; k < 2; k++) {
			csv_ratio(out, scope, "satisfaction", cls[k], mo,
				  at(at(m, "satisfaction"), cls[k]));
			if (at(m, "rank"))
				csv_row(out, scope, "rank", cls[k], mo,
					at(at(m, "rank"), cls[k]), NULL, NULL);
		}
	}
	json_array_foreach(at(f, "units"), i, u)
	{
		const char *name = json_string_value(at(u, "unit"));

		csv_row(out, scope, "unit_tickets", name ? name : "", mon,
			at(u, "tickets"), NULL, NULL);
		csv_ratio(out, scope, "unit_on_time", name ? name : "", mon,
			  at(u, "on_time"));
		csv_ratio(out, scope, "unit_satisfaction", name ? name : "",
			  mon, at(u, "satisfaction"));
		csv_ratio(out, scope, "unit_reopen", name ? name : "", mon,
			  at(u, "reopen"));
	}
}
