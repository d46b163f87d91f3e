/*
 * table.c - a table of text cells and its writers: aligned text for a
 * terminal (Chinese characters take two columns), CSV for Excel, Markdown
 * and HTML.  Every writer escapes what its format needs: CSV quotes and
 * neutralises cells that Excel would run as formulas, Markdown escapes
 * pipes and line breaks, HTML escapes markup.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "reports/reports.h"

struct cell {
	char *text;
	int num; /* a number: right-aligned, never neutralised */
	struct hl_cell_value v;
};

struct hl_table {
	size_t ncols;
	struct cell *cells; /* row by row; row 0 is the header */
	size_t ncells, cap;
	char *title;
};

struct hl_table *
hl_table_new(size_t ncols, const char *title)
{
	struct hl_table *t = hl_xcalloc(1, sizeof(*t));

	t->ncols = ncols;
	t->title = title ? hl_xstrdup(title) : NULL;
	return t;
}

void
hl_table_free(struct hl_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncells; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t->title);
	free(t);
}

size_t
hl_table_rows(const struct hl_table *t)
{
	return t->ncells / t->ncols;
}

static struct cell *
add(struct hl_table *t, char *text, int num)
{
	struct cell *c;

	t->cells = hl_grow(t->cells, t->ncells, &t->cap, sizeof(*t->cells), 64);
	c = &t->cells[t->ncells++];
	memset(c, 0, sizeof(*c));
	c->text = text;
	c->num = num;
	c->v.kind = HL_CELL_TEXT;
	return c;
}

const struct hl_cell_value *
hl_table_value_at(const struct hl_table *t, size_t row, size_t col)
{
	size_t i = row * t->ncols + col;

	return col < t->ncols && i < t->ncells ? &t->cells[i].v : NULL;
}

const char *
hl_table_text_at(const struct hl_table *t, size_t row, size_t col)
{
	size_t i = row * t->ncols + col;

	return col < t->ncols && i < t->ncells ? t->cells[i].text : NULL;
}

int
hl_table_num_at(const struct hl_table *t, size_t row, size_t col)
{
	size_t i = row * t->ncols + col;

	return col < t->ncols && i < t->ncells && t->cells[i].num;
}

size_t
hl_table_cols(const struct hl_table *t)
{
	return t->ncols;
}

void
hl_table_cell(struct hl_table *t, const char *text)
{
	add(t, hl_xstrdup(text ? text : ""), 0);
}

void
hl_table_cellf(struct hl_table *t, const char *fmt, ...)
{
	struct hl_buf b = HL_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	hl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	add(t, hl_buf_detach(&b, NULL), 0);
}

void
hl_table_num(struct hl_table *t, const char *fmt, ...)
{
	struct hl_buf b = HL_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	hl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	add(t, hl_buf_detach(&b, NULL), 1);
}

/* A number cell of kind k, or "-" when v has no value. */
static void
typed(struct hl_table *t, const char *text, double v, enum hl_cell_kind k,
      int decimals)
{
	struct cell *c;

	if (!hl_fig_has(v)) {
		hl_table_cell(t, "-");
		return;
	}
	c = add(t, hl_xstrdup(text), 1);
	c->v.kind = k;
	c->v.value = v;
	c->v.decimals = decimals;
}

void
hl_table_count(struct hl_table *t, double v)
{
	char buf[40];

	typed(t, hl_fmt_count(buf, sizeof(buf), v), v, HL_CELL_COUNT, 0);
}

void
hl_table_pct(struct hl_table *t, double v)
{
	char buf[40];

	typed(t, hl_fmt_num(buf, sizeof(buf), v, "%.2f%%", 100), v,
	      HL_CELL_PERCENT, 2);
}

void
hl_table_dec(struct hl_table *t, double v, int decimals, const char *unit)
{
	char buf[48];

	if (hl_fig_has(v))
		snprintf(buf, sizeof(buf), "%.*f%s", decimals, v, unit);
	typed(t, buf, v, HL_CELL_DECIMAL, decimals);
}

/* ---- text ---- */

/* Display columns of a UTF-8 string: East Asian wide characters take 2. */
size_t
hl_text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	while (*p) {
		unsigned long c = *p;
		int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4, i;

		if (n > 1)
			c &= 0x3F >> (n - 1);
		for (i = 1; i < n && p[i]; i++)
			c = c << 6 | (p[i] & 0x3F);
		p += i;
		if (c == '\n' || c == '\r')
			continue;
		w += (c >= 0x1100 && c <= 0x115F) ||
			     (c >= 0x2E80 && c <= 0xA4CF) ||
			     (c >= 0xAC00 && c <= 0xD7A3) ||
			     (c >= 0xF900 && c <= 0xFAFF) ||
			     (c >= 0xFE30 && c <= 0xFE4F) ||
			     (c >= 0xFF00 && c <= 0xFF60) ||
			     (c >= 0xFFE0 && c <= 0xFFE6) ||
			     (c >= 0x20000 && c <= 0x3FFFD)
			 ? 2
			 : 1;
	}
	return w;
}

static void
pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

/* A cell on one line: line breaks become spaces. */
static void
put_flat(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
}

void
hl_table_write_text(const struct hl_table *t, FILE *out)
{
	size_t *w = hl_xcalloc(t->ncols, sizeof(*w)), i, c, rows;

	rows = hl_table_rows(t);
	for (i = 0; i < t->ncells; i++) {
		size_t cw = hl_text_width(t->cells[i].text);

		if (cw > w[i % t->ncols])
			w[i % t->ncols] = cw;
	}
	if (t->title)
		fprintf(out, "%s\n", t->title);
	for (i = 0; i < rows; i++) {
		for (c = 0; c < t->ncols; c++) {
			const struct cell *x = &t->cells[i * t->ncols + c];
			size_t gap = w[c] - hl_text_width(x->text);

			if (c)
				fputs("  ", out);
			if (x->num)
				pad(out, gap);
			put_flat(out, x->text);
			if (!x->num && c + 1 < t->ncols)
				pad(out, gap);
		}
		fputc('\n', out);
	}
	free(w);
}

/* ---- CSV ---- */

void
hl_csv_cell(FILE *out, const char *s, int num)
{
	/*
	 * A text cell Excel would read as a formula (= + - @, or a tab or
	 * CR first) gets a leading apostrophe, the usual neutralisation;
	 * numbers are written as they are, and so is "-" alone, a value
	 * that is none, which Excel keeps as text.
	 */
	int formula = !num && strcmp(s, "-") != 0 &&
		      (*s == '=' || *s == '+' || *s == '-' || *s == '@' ||
		       *s == '\t' || *s == '\r');
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	if (quote)
		fputc('"', out);
}

void
hl_table_write_csv(const struct hl_table *t, FILE *out)
{
	size_t i;

	for (i = 0; i < t->ncells; i++) {
		hl_csv_cell(out, t->cells[i].text, t->cells[i].num);
		fputs((i + 1) % t->ncols ? "," : "\r\n", out);
	}
}

/* ---- Markdown and HTML ---- */

void
hl_md_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n') {
			fputs("<br>", out);
			continue;
		}
		if (strchr("\\`*_[]<>|#", *s))
			fputc('\\', out);
		fputc(*s, out);
	}
}

void
hl_table_write_md(const struct hl_table *t, FILE *out)
{
	size_t i, c, rows = hl_table_rows(t);

	for (i = 0; i < rows; i++) {
		fputc('|', out);
		for (c = 0; c < t->ncols; c++) {
			fputc(' ', out);
			hl_md_text(out, t->cells[i * t->ncols + c].text);
			fputs(" |", out);
		}
		fputc('\n', out);
		if (i == 0) {
			fputc('|', out);
			for (c = 0; c < t->ncols; c++)
				fputs(rows > 1 && t->cells[t->ncols + c].num
					  ? "---:|"
					  : "---|",
				      out);
			fputc('\n', out);
		}
	}
}

void
hl_html_text(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		case '\n':
			fputs("<br>", out);
			break;
		case '\r':
			break;
		default:
			fputc(*s, out);
		}
}

void
hl_table_write_html(const struct hl_table *t, FILE *out)
{
	size_t i, c, rows = hl_table_rows(t);

	fputs("<table>\n", out);
	for (i = 0; i < rows; i++) {
		fputs("<tr>", out);
		for (c = 0; c < t->ncols; c++) {
			const struct cell *x = &t->cells[i * t->ncols + c];

			fputs(i == 0   ? "<th>"
			      : x->num ? "<td class=\"n\">"
				       : "<td>",
			      out);
			hl_html_text(out, x->text);
			fputs(i == 0 ? "</th>" : "</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}
