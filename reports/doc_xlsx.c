/*
 * doc_xlsx.c - report.xlsx: the document as an Excel workbook, written
 * with libxlsxwriter.
 *
 * The first sheet ("报告" or "Report") holds the headings and paragraphs
 * in the document's order, each table as a link to its sheet and each
 * chart as its caption.  Every table follows on a sheet of its own, named
 * after its CSV file (months.csv: "months"), so the names are the same in
 * both languages and scripts can rely on them.  Its header row is bold,
 * frozen and filtered; its figures are numbers with number formats (a
 * count #,##0, a rate the fraction as 0.00%, a decimal 0.00 with its
 * unit), a figure without a value ("-") a blank cell, text always a
 * string (never a formula, whatever it starts with).  Column widths come
 * from the display width of the texts, a Chinese character counting two.
 * The months' table gets Excel's own charts: volume as stacked columns
 * of 咨询 and the rest, the late tickets and the satisfaction rates.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "reports/reports.h"

#define SHEET_MAX 31     /* characters in a sheet name (Excel's limit) */
#define STRING_MAX 32767 /* characters in a cell (Excel's limit) */
#define WIDTH_MIN 6
#define WIDTH_MAX 60

struct numfmt {
	char *spec;
	lxw_format *f;
};

struct xl {
	const struct hl_doc *d;
	int zh;
	lxw_workbook *wb;
	lxw_format *head, *h1, *h2, *wrap, *link, *note;
	struct numfmt *fmts;
	size_t nfmts, capfmts;
	char **sheet; /* block i's sheet name (tables only), or NULL */
	lxw_error rc; /* the first error, with where */
	struct hl_buf where;
};

#define T(x, in_zh, in_en) ((x)->zh ? (in_zh) : (in_en))

/* Keeps the first error and where it happened. */
static void
check(struct xl *x, lxw_error rc, const char *sheet, lxw_row_t row,
      lxw_col_t col)
{
	if (rc == LXW_NO_ERROR || x->rc != LXW_NO_ERROR)
		return;
	x->rc = rc;
	hl_buf_printf(&x->where, " (sheet '%s', row %lu, column %u)", sheet,
		      (unsigned long)row + 1, (unsigned)col + 1);
}

/* The cell format of a number format spec, made once. */
static lxw_format *
number_format(struct xl *x, const char *spec)
{
	struct numfmt *n;
	size_t i;

	for (i = 0; i < x->nfmts; i++)
		if (strcmp(x->fmts[i].spec, spec) == 0)
			return x->fmts[i].f;
	x->fmts = hl_grow(x->fmts, x->nfmts, &x->capfmts, sizeof(*x->fmts), 8);
	n = &x->fmts[x->nfmts++];
	n->spec = hl_xstrdup(spec);
	n->f = workbook_add_format(x->wb);
	format_set_num_format(n->f, spec);
	return n->f;
}

/*
 * The number format of a typed cell: "#,##0", "0.00%", "0.00"; a
 * decimal's unit (the text after the number, as " h" in "6.46 h") is
 * kept in quotes so that the cell shows what the other forms show.
 */
static lxw_format *
cell_format(struct xl *x, const struct hl_cell_value *v, const char *text)
{
	char spec[64], num[64];
	size_t n;
	int dec = v->decimals < 0 ? 0 : v->decimals > 10 ? 10 : v->decimals;

	if (v->kind == HL_CELL_COUNT)
		return number_format(x, "#,##0");
	snprintf(spec, sizeof(spec), "0%s%.*s%s", dec ? "." : "", dec,
		 "0000000000", v->kind == HL_CELL_PERCENT ? "%" : "");
	if (v->kind == HL_CELL_DECIMAL) {
		snprintf(num, sizeof(num), "%.*f", dec, v->value);
		n = strlen(num);
		if (strncmp(text, num, n) == 0 && text[n] &&
		    strlen(text + n) < 16 && !strchr(text + n, '"')) {
			strcat(spec, "\"");
			strcat(spec, text + n);
			strcat(spec, "\"");
		}
	}
	return number_format(x, spec);
}

/*
 * A number written as text, as a month's "3", a change "+0.16" or a
 * percentage "99.99%": its decimals, or -1 when the text is something
 * else.  At most 15 digits.
 */
static int
plain_number(const char *s)
{
	size_t n, d = 0;

	s += *s == '+' || *s == '-';
	n = strspn(s, "0123456789");
	if (s[n] == '.')
		d = strspn(s + n + 1, "0123456789");
	if (n == 0 || n + d > 15 || (s[n] == '.' && d == 0))
		return -1;
	s += n + (d ? d + 1 : 0);
	return strcmp(s, "") == 0 || strcmp(s, "%") == 0 ? (int)d : -1;
}

/* Text as Excel takes it: cut to its limit at a character boundary. */
static lxw_error
write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
	   lxw_format *f)
{
	char *cut;
	size_t n = strlen(s);
	lxw_error rc;

	if (n <= STRING_MAX)
		return worksheet_write_string(ws, row, col, s, f);
	n = STRING_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	cut = hl_xmalloc(n + 1);
	memcpy(cut, s, n);
	cut[n] = '\0';
	rc = worksheet_write_string(ws, row, col, cut, f);
	free(cut);
	return rc;
}

static void
table_cell(struct xl *x, lxw_worksheet *ws, const char *sheet,
	   const struct hl_table *t, lxw_row_t row, lxw_col_t col)
{
	const struct hl_cell_value *v = hl_table_value_at(t, row, col);
	const char *text = hl_table_text_at(t, row, col);
	lxw_error rc = LXW_NO_ERROR;
	char spec[80], zeros[24];
	int dec, pct;

	if (text == NULL || v == NULL)
		return;
	if (row == 0)
		rc = write_text(ws, row, col, text, x->head);
	else if (v->kind != HL_CELL_TEXT)
		rc = worksheet_write_number(ws, row, col, v->value,
					    cell_format(x, v, text));
	else if (strcmp(text, "-") == 0 || *text == '\0')
		return; /* no value: a blank cell, a gap in a chart */
	else if (hl_table_num_at(t, row, col) &&
		 (dec = plain_number(text)) >= 0) {
		/* Shown as written: its decimals, a "+" when it has one; a
		 * percentage is the fraction, as the figures' are. */
		pct = text[strlen(text) - 1] == '%';
		snprintf(zeros, sizeof(zeros), "0%s%.*s%s", dec ? "." : "", dec,
			 "000000000000000", pct ? "%" : "");
		if (*text == '+')
			snprintf(spec, sizeof(spec), "+%s;-%s;+%s", zeros,
				 zeros, zeros);
		else
			snprintf(spec, sizeof(spec), "%s", zeros);
		rc = worksheet_write_number(
		    ws, row, col, strtod(text, NULL) / (pct ? 100 : 1),
		    number_format(x, spec));
	} else
		rc = write_text(ws, row, col, text, NULL);
	check(x, rc, sheet, row, col);
}

static void
table_sheet(struct xl *x, const struct hl_table *t, const char *sheet)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet);
	size_t rows = hl_table_rows(t), cols = hl_table_cols(t), r, c;

	if (ws == NULL) {
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, sheet, 0, 0);
		return;
	}
	for (c = 0; c < cols; c++) {
		size_t w = WIDTH_MIN;

		for (r = 0; r < rows; r++) {
			const char *text = hl_table_text_at(t, r, c);

			table_cell(x, ws, sheet, t, (lxw_row_t)r, (lxw_col_t)c);
			if (text && hl_text_width(text) + 2 > w)
				w = hl_text_width(text) + 2;
		}
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     (double)(w > WIDTH_MAX ? WIDTH_MAX : w),
				     w > WIDTH_MAX ? x->wrap : NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (rows > 1 && cols > 0)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows - 1,
				     (lxw_col_t)cols - 1);
}

/* The column of t whose header is word w, or -1. */
static int
column_of(struct xl *x, const struct hl_table *t, enum hl_word w)
{
	size_t c;

	for (c = 0; c < hl_table_cols(t); c++)
		if (strcmp(hl_table_text_at(t, 0, c), hl_word(w, x->zh)) == 0)
			return (int)c;
	return -1;
}

/*
 * A chart of columns cols (headers naming the series) against the
 * months, inserted on the sheet at row at, right of the table.
 */
static void
month_chart(struct xl *x, lxw_worksheet *ws, const char *sheet,
	    const struct hl_table *t, uint8_t type, const char *title,
	    const enum hl_word *cols, size_t ncols, int pct, lxw_row_t at)
{
	lxw_row_t last = (lxw_row_t)hl_table_rows(t) - 1;
	int month = column_of(x, t, HL_W_MONTH);
	lxw_chart_options where = {0};
	lxw_chart *ch;
	size_t i;

	if (month < 0 || last < 1)
		return;
	for (i = 0; i < ncols; i++)
		if (column_of(x, t, cols[i]) < 0)
			return;
	ch = workbook_add_chart(x->wb, type);
	for (i = 0; i < ncols; i++) {
		lxw_col_t c = (lxw_col_t)column_of(x, t, cols[i]);
		lxw_chart_series *s = chart_add_series(ch, NULL, NULL);

		chart_series_set_categories(s, sheet, 1, (lxw_col_t)month, last,
					    (lxw_col_t)month);
		chart_series_set_values(s, sheet, 1, c, last, c);
		chart_series_set_name_range(s, sheet, 0, c);
		if (type == LXW_CHART_LINE)
			chart_series_set_marker_type(s,
						     LXW_CHART_MARKER_CIRCLE);
	}
	if (pct) {
		/* From a floor below the lowest month, in steps of 5
		 * points, to 100%: Excel's own scale would start just
		 * under the lowest value and magnify its wobble. */
		double lo = 1;
		lxw_row_t row;

		for (i = 0; i < ncols; i++)
			for (row = 1; row <= last; row++) {
				const struct hl_cell_value *v =
				    hl_table_value_at(
					t, row,
					(size_t)column_of(x, t, cols[i]));

				if (v && v->kind == HL_CELL_PERCENT &&
				    hl_fig_has(v->value) && v->value < lo)
					lo = v->value;
			}
		chart_axis_set_min(ch->y_axis,
				   lo > 0.05 ? 0.05 * (int)((lo - 1e-9) / 0.05)
					     : 0);
		chart_axis_set_max(ch->y_axis, 1);
	}
	chart_title_set_name(ch, title);
	chart_axis_set_name(ch->x_axis, hl_word(HL_W_MONTH, x->zh));
	chart_axis_set_num_format(ch->y_axis, pct ? "0.00%" : "#,##0");
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	where.x_offset = 10;
	where.x_scale = 1.5;
	where.y_scale = 1.2;
	check(x,
	      worksheet_insert_chart_opt(
		  ws, at, (lxw_col_t)hl_table_cols(t) + 1, ch, &where),
	      sheet, at, (lxw_col_t)hl_table_cols(t) + 1);
}

static void
month_charts(struct xl *x, lxw_worksheet *ws, const char *sheet,
	     const struct hl_table *t)
{
	static const enum hl_word volume[] = {HL_W_CONSULT, HL_W_OTHER};
	static const enum hl_word late[] = {HL_W_LATE};
	static const enum hl_word sat[] = {HL_W_SAT_ORDINARY, HL_W_SAT_KEY};

	month_chart(x, ws, sheet, t, LXW_CHART_COLUMN_STACKED,
		    T(x, "工单量（按月，咨询与非咨询）",
		      "Tickets by month, 咨询 and other"),
		    volume, HL_ARRAY_LEN(volume), 0, 1);
	/* Late tickets from 0, not an on-time rate near 100% on a scale
	 * that makes a wobble of 0.01 points a fall. */
	month_chart(x, ws, sheet, t, LXW_CHART_COLUMN,
		    T(x, "超期办结工单（按月）", "Late tickets by month"), late,
		    HL_ARRAY_LEN(late), 0, 19);
	month_chart(x, ws, sheet, t, LXW_CHART_LINE,
		    T(x, "满意率（按月，普通与重点工单）",
		      "Satisfaction by month, ordinary and key tickets"),
		    sat, HL_ARRAY_LEN(sat), 1, 37);
}

/* Characters of UTF-8 text. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * Sheet names for the tables: the CSV file's name without ".csv", with
 * the characters Excel refuses ([]:*?/\ and a quote) as "_", cut to 31
 * characters and made unique (Excel compares them without case).
 */
static void
sheet_names(struct xl *x, const char *first)
{
	size_t i, j, n = hl_doc_count(x->d);

	x->sheet = hl_xcalloc(n ? n : 1, sizeof(*x->sheet));
	for (i = 0; i < n; i++) {
		const struct hl_block *b = hl_doc_block(x->d, i);
		char base[SHEET_MAX * 4 + 1], name[SHEET_MAX * 4 + 16];
		size_t len = 0, k;
		const char *s = b->name ? b->name : "table";
		int dup, seq = 1;

		if (b->kind != HL_B_TABLE)
			continue;
		for (k = 0; s[k] && len + 4 < sizeof(base); k++)
			base[len++] = strchr("[]:*?/\\'", s[k]) ? '_' : s[k];
		base[len] = '\0';
		if (len > 4 && strcmp(base + len - 4, ".csv") == 0)
			base[len -= 4] = '\0';
		if (len == 0)
			strcpy(base, "table");
		/* Cut to 31 characters, less room for a suffix. */
		while (chars(base) > SHEET_MAX - 4)
			base[strlen(base) - 1] = '\0';
		while (strlen(base) &&
		       ((unsigned char)base[strlen(base) - 1] & 0xC0) == 0x80)
			base[strlen(base) - 1] = '\0';
		snprintf(name, sizeof(name), "%s", base);
		do {
			dup = strcasecmp(name, first) == 0;
			for (j = 0; j < i && !dup; j++)
				dup = x->sheet[j] &&
				      strcasecmp(name, x->sheet[j]) == 0;
			if (dup)
				snprintf(name, sizeof(name), "%s_%d", base,
					 ++seq);
		} while (dup);
		x->sheet[i] = hl_xstrdup(name);
	}
}

/* The first sheet: the text of the report, a link to each table. */
static void
text_sheet(struct xl *x, const char *first)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, first);
	struct hl_buf s = HL_BUF_INIT, url = HL_BUF_INIT;
	lxw_row_t row = 0;
	size_t i;

	if (ws == NULL) {
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, first, 0, 0);
		return;
	}
	worksheet_set_column(ws, 0, 0, 100, x->wrap);
	for (i = 0; i < hl_doc_count(x->d); i++) {
		const struct hl_block *b = hl_doc_block(x->d, i);
		const char *text = b->text ? b->text : "";

		hl_buf_reset(&s);
		switch (b->kind) {
		case HL_B_H1:
			check(x, write_text(ws, row, 0, text, x->h1), first,
			      row, 0);
			break;
		case HL_B_H2:
			row += row > 0;
			check(x, write_text(ws, row, 0, text, x->h2), first,
			      row, 0);
			break;
		case HL_B_P:
			if (*text)
				check(x, write_text(ws, row, 0, text, x->wrap),
				      first, row, 0);
			break;
		case HL_B_TABLE:
			hl_buf_reset(&url);
			hl_buf_printf(&url, "internal:'%s'!A1", x->sheet[i]);
			hl_buf_printf(
			    &s, T(x, "表格：工作表 %s", "Table: sheet %s"),
			    x->sheet[i]);
			check(x,
			      worksheet_write_url_opt(ws, row, 0, url.data,
						      x->link, s.data, NULL),
			      first, row, 0);
			break;
		case HL_B_CHART:
			hl_buf_printf(&s, T(x, "图：%s", "Chart: %s"), text);
			if (b->drawn)
				hl_buf_printf(&s,
					      T(x, "（charts/%s.png）",
						" (charts/%s.png)"),
					      b->name);
			check(x, write_text(ws, row, 0, s.data, x->note), first,
			      row, 0);
			break;
		}
		row++;
	}
	hl_buf_release(&s);
	hl_buf_release(&url);
}

static void
formats(struct xl *x)
{
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	format_set_bg_color(x->head, 0xF0F0F0);
	format_set_text_wrap(x->head);
	format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
	x->h1 = workbook_add_format(x->wb);
	format_set_bold(x->h1);
	format_set_font_size(x->h1, 16);
	x->h2 = workbook_add_format(x->wb);
	format_set_bold(x->h2);
	format_set_font_size(x->h2, 13);
	x->wrap = workbook_add_format(x->wb);
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	x->link = workbook_get_default_url_format(x->wb);
	x->note = workbook_add_format(x->wb);
	format_set_italic(x->note);
	format_set_font_color(x->note, 0x555555);
}

int
hl_doc_write_xlsx(const struct hl_doc *d, const char *path, struct hl_buf *err)
{
	struct xl x;
	lxw_doc_properties props;
	const char *first;
	size_t i;
	lxw_error rc;
	int ret = -1;

	memset(&x, 0, sizeof(x));
	x.d = d;
	x.zh = hl_doc_zh(d);
	hl_buf_init(&x.where);
	first = T(&x, "报告", "Report");
	if ((x.wb = workbook_new(path)) == NULL) {
		hl_buf_printf(err, "cannot write '%s': out of memory", path);
		goto done;
	}
	memset(&props, 0, sizeof(props));
	props.title = hl_doc_count(d) && hl_doc_block(d, 0)->text
			  ? hl_doc_block(d, 0)->text
			  : (char *)"";
	props.author = (char *)"hotline";
	props.comments = (char *)T(&x, "由 hotline report 生成",
				   "written by hotline report");
	workbook_set_properties(x.wb, &props);
	formats(&x);
	sheet_names(&x, first);
	text_sheet(&x, first);
	for (i = 0; i < hl_doc_count(d); i++) {
		const struct hl_block *b = hl_doc_block(d, i);

		if (b->kind != HL_B_TABLE)
			continue;
		table_sheet(&x, b->t, x.sheet[i]);
		if (b->name && strcmp(b->name, "months.csv") == 0)
			month_charts(
			    &x,
			    workbook_get_worksheet_by_name(x.wb, x.sheet[i]),
			    x.sheet[i], b->t);
	}
	/* The workbook is written (and freed) on closing. */
	errno = 0;
	rc = workbook_close(x.wb);
	if (x.rc != LXW_NO_ERROR)
		hl_buf_printf(err, "cannot write '%s': %s%s", path,
			      lxw_strerror(x.rc), x.where.data);
	else if (rc != LXW_NO_ERROR)
		hl_buf_printf(err, "cannot write '%s': %s%s%s", path,
			      lxw_strerror(rc), errno ? ": " : "",
			      errno ? strerror(errno) : "");
	else
		ret = 0;
done:
	if (ret != 0)
		unlink(path);
	for (i = 0; i < x.nfmts; i++)
		free(x.fmts[i].spec);
	free(x.fmts);
	for (i = 0; x.sheet && i < hl_doc_count(d); i++)
		free(x.sheet[i]);
	free(x.sheet);
	hl_buf_release(&x.where);
	return ret;
}
