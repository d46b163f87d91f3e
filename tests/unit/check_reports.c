/*
 * check_reports.c - the report writers on their own: a table as aligned
 * text (CJK characters two columns wide), as CSV for Excel (RFC 4180,
 * formulas neutralised), as Markdown and as HTML (markup escaped); the
 * typed cells and the document model in every form; the figures' number
 * formats, the JSON writer on hand-made figures, and the notes the
 * figures' table prints under the summary.  Every expected text is
 * worked out by hand in the comments.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "reports/reports.h"

/* What fn writes for t, as a string.  Caller frees. */
static char *
written(void (*fn)(const struct hl_table *, FILE *), const struct hl_table *t)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(f);
	fn(t, f);
	fclose(f);
	return buf;
}

/*
 *   区      工单量  说明       区 is 2 columns wide, 荔湾区 6: column 1
 *   荔湾区   1,234  ok         is 6 wide; numbers right-aligned in
 *   x            5  =SUM(A1)   column 2 (6 wide, as 工单量).
 */
static struct hl_table *
sample(void)
{
	struct hl_table *t = hl_table_new(3, NULL);

	hl_table_cell(t, "区");
	hl_table_cell(t, "工单量");
	hl_table_cell(t, "说明");
	hl_table_cell(t, "荔湾区");
	hl_table_num(t, "%s", "1,234");
	hl_table_cell(t, "ok");
	hl_table_cell(t, "x");
	hl_table_num(t, "%d", 5);
	hl_table_cell(t, "=SUM(A1)");
	return t;
}

START_TEST(test_text)
{
	struct hl_table *t = sample();
	char *s = written(hl_table_write_text, t);

	ck_assert_str_eq(s, "区      工单量  说明\n"
			    "荔湾区   1,234  ok\n"
			    "x            5  =SUM(A1)\n");
	ck_assert_uint_eq(hl_table_rows(t), 3);
	ck_assert_uint_eq(hl_text_width("荔湾区 a"), 8);
	ck_assert_uint_eq(hl_text_width("ＡＢ"), 4); /* full-width forms */
	free(s);
	hl_table_free(t);
}
END_TEST

START_TEST(test_csv)
{
	struct hl_table *t = sample();
	char *s = written(hl_table_write_csv, t);

	/* "1,234" holds a comma: quoted; a cell Excel would run gets an
	 * apostrophe (and quotes); every line ends in CRLF. */
	ck_assert_str_eq(s, "区,工单量,说明\r\n"
			    "荔湾区,\"1,234\",ok\r\n"
			    "x,5,\"'=SUM(A1)\"\r\n");
	free(s);
	hl_table_free(t);
}
END_TEST

START_TEST(test_csv_cells)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	static const char *const cells[] = {
	    "+1", "-x", "@a", "\tb", "say \"hi\"", "a\r\nb", "plain", "-"};
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(cells); i++) {
		hl_csv_cell(f, cells[i], 0);
		fputc('|', f);
	}
	hl_csv_cell(f, "-5", 1); /* a number stays a number */
	fclose(f);
	ck_assert_str_eq(buf, "\"'+1\"|\"'-x\"|\"'@a\"|\"'\tb\"|"
			      "\"say \"\"hi\"\"\"|\"a\r\nb\"|plain|-|-5");
	free(buf);
}
END_TEST

START_TEST(test_markdown)
{
	struct hl_table *t = sample();
	char *s = written(hl_table_write_md, t);

	/* The second column holds numbers: right-aligned. */
	ck_assert_str_eq(s, "| 区 | 工单量 | 说明 |\n"
			    "|---|---:|---|\n"
			    "| 荔湾区 | 1,234 | ok |\n"
			    "| x | 5 | =SUM(A1) |\n");
	free(s);
	hl_table_free(t);
	t = hl_table_new(1, NULL);
	hl_table_cell(t, "a|b*c_d`e<x>");
	hl_table_cell(t, "line\r\nbreak");
	s = written(hl_table_write_md, t);
	ck_assert_str_eq(s, "| a\\|b\\*c\\_d\\`e\\<x\\> |\n"
			    "|---|\n"
			    "| line<br>break |\n");
	free(s);
	hl_table_free(t);
}
END_TEST

START_TEST(test_html)
{
	struct hl_table *t = hl_table_new(2, NULL);
	char *s;

	hl_table_cell(t, "<b>单位</b>");
	hl_table_cell(t, "n");
	hl_table_cell(t, "A & B's \"x\"\nnext");
	hl_table_num(t, "%d", 7);
	s = written(hl_table_write_html, t);
	ck_assert_str_eq(s,
			 "<table>\n"
			 "<tr><th>&lt;b&gt;单位&lt;/b&gt;</th><th>n</th></tr>\n"
			 "<tr><td>A &amp; B&#39;s &quot;x&quot;<br>next</td>"
			 "<td class=\"n\">7</td></tr>\n"
			 "</table>\n");
	free(s);
	hl_table_free(t);
}
END_TEST

START_TEST(test_formats)
{
	char buf[32];

	ck_assert_str_eq(hl_fmt_count(buf, sizeof(buf), 245300), "245,300");
	ck_assert_str_eq(hl_fmt_count(buf, sizeof(buf), -1234), "-1,234");
	ck_assert_str_eq(hl_fmt_num(buf, sizeof(buf), 0.999906, "%.2f%%", 100),
			 "99.99%");
	ck_assert_str_eq(hl_fmt_count(buf, sizeof(buf), HL_FIG_NONE), "-");
	ck_assert_str_eq(hl_fmt_num(buf, sizeof(buf), HL_FIG_NONE, "%.2f", 1),
			 "-");
}
END_TEST

/*
 * Number cells keep their value and kind beside the text they show: a
 * percentage keeps the fraction, a decimal its places; a value that is
 * none is the text "-" and no number.
 */
START_TEST(test_typed_cells)
{
	struct hl_table *t = hl_table_new(4, NULL);
	const struct hl_cell_value *v;

	hl_table_count(t, 245300);
	hl_table_pct(t, 0.999906);
	hl_table_dec(t, 6.456, 2, " h");
	hl_table_pct(t, HL_FIG_NONE);
	ck_assert_str_eq(hl_table_text_at(t, 0, 0), "245,300");
	ck_assert_str_eq(hl_table_text_at(t, 0, 1), "99.99%");
	ck_assert_str_eq(hl_table_text_at(t, 0, 2), "6.46 h");
	ck_assert_str_eq(hl_table_text_at(t, 0, 3), "-");
	v = hl_table_value_at(t, 0, 0);
	ck_assert_int_eq(v->kind, HL_CELL_COUNT);
	ck_assert_double_eq(v->value, 245300);
	v = hl_table_value_at(t, 0, 1);
	ck_assert_int_eq(v->kind, HL_CELL_PERCENT);
	ck_assert_double_eq(v->value, 0.999906);
	v = hl_table_value_at(t, 0, 2);
	ck_assert_int_eq(v->kind, HL_CELL_DECIMAL);
	ck_assert_int_eq(v->decimals, 2);
	ck_assert_int_eq(hl_table_value_at(t, 0, 3)->kind, HL_CELL_TEXT);
	ck_assert_ptr_null(hl_table_value_at(t, 1, 0));
	ck_assert_ptr_null(hl_table_value_at(t, 0, 4));
	hl_table_free(t);
}
END_TEST

static char *
doc_written(void (*fn)(const struct hl_doc *, FILE *), const struct hl_doc *d)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(f);
	fn(d, f);
	fclose(f);
	return buf;
}

/*
 * One document, three forms: as text a paragraph is a line and an empty
 * one a blank line; as Markdown every block is followed by a blank line
 * and a table names its CSV; as HTML the first block is the title and a
 * chart not drawn says so.
 */
START_TEST(test_doc)
{
	struct hl_doc *d = hl_doc_new(0, NULL);
	struct hl_table *t = hl_table_new(1, NULL);
	char *s;

	hl_table_cell(t, "n");
	hl_table_count(t, 1234);
	hl_doc_add(d, HL_B_H1, "A & B");
	hl_doc_addf(d, HL_B_P, "%d tickets", 3);
	hl_doc_add(d, HL_B_P, "");
	hl_doc_table(d, t, "n.csv");
	hl_doc_add(d, HL_B_CHART, "volume")->name = hl_xstrdup("volume");
	ck_assert_uint_eq(hl_doc_count(d), 5);
	ck_assert_int_eq(hl_doc_block(d, 3)->kind, HL_B_TABLE);
	ck_assert_ptr_null(hl_doc_block(d, 5));
	s = doc_written(hl_doc_write_text, d);
	ck_assert_str_eq(s, "A & B\n3 tickets\n\nn\n1,234\nvolume\n");
	free(s);
	s = doc_written(hl_doc_write_md, d);
	ck_assert_str_eq(s, "# A & B\n\n3 tickets\n\n\n\n| n |\n|---:|\n"
			    "| 1,234 |\n\n(table file: n.csv)\n\n"
			    "*volume: chart not drawn (gnuplot is not "
			    "installed)*\n\n");
	free(s);
	s = doc_written(hl_doc_write_html, d);
	ck_assert_ptr_nonnull(strstr(s, "<title>A &amp; B</title>"));
	ck_assert_ptr_nonnull(
	    strstr(s, "<h1>A &amp; B</h1>\n<p>3 tickets</p>"));
	ck_assert_ptr_nonnull(strstr(s, "<td class=\"n\">1,234</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<p class=\"skip\">chart not drawn"));
	free(s);
	hl_doc_free(d);
}
END_TEST

/* Figures of the city's year 2027 with nothing in them, as by hand. */
static struct hl_figures *
empty_figures(const struct hl_settings *s)
{
	struct hl_figures *f = hl_xcalloc(1, sizeof(*f));
	int i;

	f->period = hl_period_year(2027, 1);
	f->as_of = hl_time_make(2027, 3, 2, 10, 0, 0);
	f->settings = s;
	f->region_city = hl_xstrdup("广州市");
	f->region_source = hl_xstrdup("built-in");
	for (i = 0; i < HL_FIG_NGROUP; i++) {
		f->hand[i].nat.mean = f->hand[i].nat.median = HL_FIG_NONE;
		f->hand[i].nat.p90 = f->hand[i].work.mean = HL_FIG_NONE;
		f->hand[i].prev_mean = f->hand[i].speedup_pct = HL_FIG_NONE;
		f->hand[i].quantiles = 1;
	}
	for (i = 0; i < 12; i++) {
		f->months[i].month = i + 1;
		f->months[i].hand_mean[0] = HL_FIG_NONE;
		f->months[i].hand_mean[1] = HL_FIG_NONE;
	}
	return f;
}

static char *
table_of(const struct hl_figures *f, int zh)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);

	hl_figures_write_table(f, zh, out);
	fclose(out);
	return buf;
}

/* The notes stand right under the summary, in the table's language. */
START_TEST(test_figure_notes)
{
	struct hl_settings s;
	struct hl_figures *f;
	char *buf;

	hl_settings_init(&s);
	f = empty_figures(&s);
	f->notes = hl_xcalloc(1, sizeof(*f->notes));
	f->nnotes = 1;
	f->notes[0].figure = "calendar";
	f->notes[0].text.en = hl_xstrdup("no working-day calendar for 2027");
	f->notes[0].text.zh = hl_xstrdup("缺少 2027 年工作日历");
	buf = table_of(f, 1);
	ck_assert_ptr_nonnull(strstr(buf, "全市 2027年 工单指标\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\n注意：缺少 2027 年工作日历\n"));
	free(buf);
	buf = table_of(f, 0);
	ck_assert_ptr_nonnull(
	    strstr(buf, "\nnote: no working-day calendar for 2027\n"));
	ck_assert_ptr_null(strstr(buf, "注意"));
	free(buf);
	hl_figures_free(f);
	hl_settings_release(&s);
}
END_TEST

/*
 * The JSON writer on its own: a rate of nothing and a mean of no tickets
 * are null, a count an integer, a weighted numerator a real, and the
 * headline on-time rate the one the settings' denominator names.
 */
START_TEST(test_figures_json)
{
	struct hl_settings s;
	struct hl_figures *f;
	json_t *j;

	hl_settings_init(&s);
	f = empty_figures(&s);
	f->f.tickets = 3;
	f->f.on_time_closed.r.num = 2;
	f->f.on_time_closed.r.den = 2;
	f->f.on_time_dispatched.r.num = 2;
	f->f.on_time_dispatched.r.den = 3;
	f->f.on_time_dispatched.late = 1;
	f->f.sat[0].r.num = 1.5;
	f->f.sat[0].r.den = 2;
	j = hl_figures_json(f);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "tickets")), 3);
	ck_assert(json_is_null(
	    json_object_get(json_object_get(j, "scope"), "district")));
	ck_assert(json_is_null(
	    json_object_get(json_object_get(j, "reopen"), "value")));
	ck_assert(json_is_real(json_object_get(
	    json_object_get(json_object_get(j, "satisfaction"), "ordinary"),
	    "numerator")));
	ck_assert(json_is_null(json_object_get(
	    json_object_get(json_object_get(j, "handling"), "consult"),
	    "mean")));
	ck_assert_double_eq(json_real_value(json_object_get(
				json_object_get(j, "on_time"), "value")),
			    1.0);
	ck_assert_ptr_null(json_object_get(j, "districts"));
	ck_assert_ptr_null(json_object_get(j, "late_tickets"));
	json_decref(j);
	s.denominator = HL_DENOM_DISPATCHED;
	j = hl_figures_json(f);
	ck_assert_double_eq_tol(json_real_value(json_object_get(
				    json_object_get(j, "on_time"), "value")),
				2.0 / 3, 1e-15);
	ck_assert_str_eq(
	    json_string_value(json_object_get(json_object_get(j, "on_time"),
					      "denominator_kind")),
	    "dispatched");
	json_decref(j);
	hl_figures_free(f);
	hl_settings_release(&s);
}
END_TEST

/* A late ticket with every kind of cell, written as `hotline export`
 * writes it: CSV for Excel and JSON. */
static void
export_verdict(struct hl_store_ticket *v, struct hl_ticket_verdict *d)
{
	memset(v, 0, sizeof(*v));
	memset(d, 0, sizeof(*d));
	v->category = HL_CAT_CONSULT;
	v->is_key = 1;
	v->sat = HL_SAT_UNSATISFIED;
	v->reopen = -1;
	/* deadline_date_only is a fact, not a flag: not written */
	v->quality = HL_Q_FUTURE | HL_Q_DEADLINE_DATE | HL_Q_STATUS;
	v->t[HL_STORE_T_ACCEPTED] = hl_time_make(2022, 1, 3, 9, 5, 0);
	v->t[HL_STORE_T_CLOSED] = hl_time_make(2022, 1, 4, 10, 5, 0);
	v->has = 1u << HL_STORE_T_ACCEPTED | 1u << HL_STORE_T_CLOSED;
	d->v = v;
	d->ticket_id = "T1";
	d->district = "荔湾区";
	d->unit = "=1+1";
	d->deadline = hl_time_make(2022, 1, 4, 9, 5, 0);
	d->dl_source = HL_DLS_EXPORT;
	d->status = HL_VS_LATE;
	d->counted = HL_VC_LATE;
	d->late_secs = 3600;
	d->handling = HL_VH_COUNTED;
	d->nat_secs = 25 * 3600 + 18; /* 25.005 h */
	d->repeat_case = "T0";
	d->repeat = HL_REPEAT_QUOTE | HL_REPEAT_CALLER;
}

START_TEST(test_export_rows)
{
	struct hl_store_ticket v;
	struct hl_ticket_verdict d;
	struct hl_export_out *w = NULL;
	struct hl_buf err = HL_BUF_INIT;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	export_verdict(&v, &d);
	ck_assert_int_eq(hl_export_out_new(HL_EXPORT_CSV, f, NULL, 0, &w, &err),
			 0);
	ck_assert_int_eq(hl_export_out_row(w, &d, &err), 0);
	ck_assert_int_eq(hl_export_out_finish(w, &err), 0);
	hl_export_out_free(w);
	fclose(f);
	/* A BOM, CRLF, the formula quoted behind an apostrophe, empty cells
	 * for no street, no dispatch, no working hours, no reopen count. */
	ck_assert_str_eq(
	    buf, "\xEF\xBB\xBFticket_id,district,street,unit,category,is_key,"
		 "accepted_at,dispatched_at,closed_at,deadline,"
		 "deadline_source,status,late_hours,on_time_counted,"
		 "natural_hours,working_hours,hours_note,satisfaction,"
		 "reopen_count,quality_flags,repeat_case,repeat_link\r\n"
		 "T1,荔湾区,,\"'=1+1\",consult,yes,2022-01-03 09:05:00,,"
		 "2022-01-04 10:05:00,2022-01-04 09:05:00,export,late,1,late,"
		 "25.005000,,no_calendar,unsatisfied,,"
		 "future_time;status_unknown,T0,quote+caller\r\n");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &n);
	ck_assert_int_eq(
	    hl_export_out_new(HL_EXPORT_JSON, f, NULL, 1, &w, &err), 0);
	ck_assert_int_eq(hl_export_out_row(w, &d, &err), 0);
	ck_assert_int_eq(hl_export_out_row(w, &d, &err), 0);
	ck_assert_int_eq(hl_export_out_finish(w, &err), 0);
	hl_export_out_free(w);
	fclose(f);
	/* English keys in either language; null for an empty cell; the
	 * formula kept as it is (JSON is not for Excel). */
	ck_assert_ptr_nonnull(strstr(buf, "\"unit\":\"=1+1\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"street\":null"));
	ck_assert_ptr_nonnull(strstr(buf, "\"late_hours\":1,"));
	ck_assert_ptr_nonnull(strstr(buf, "}\n]\n"));
	ck_assert_int_eq(strncmp(buf, "[\n{\"ticket_id\":\"T1\"", 18), 0);
	ck_assert_ptr_nonnull(strstr(buf, "},\n{\"ticket_id\""));
	free(buf);
	hl_buf_release(&err);
}
END_TEST

static Suite *
reports_suite(void)
{
	Suite *s = suite_create("reports");

	hl_check_case(s, "tables", NULL, NULL, test_text, test_csv,
		      test_csv_cells, test_markdown, test_html,
		      test_typed_cells, test_doc, test_export_rows, NULL);
	hl_check_case(s, "figures", NULL, NULL, test_formats, test_figure_notes,
		      test_figures_json, NULL);
	return s;
}

HL_CHECK_MAIN(reports_suite)
