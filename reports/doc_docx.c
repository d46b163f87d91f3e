/*
 * doc_docx.c - report.docx: the document converted to Word by pandoc.
 *
 * hotline writes no Word file itself.  It writes the document as pandoc's
 * Markdown into a temporary file in the report's directory and runs
 * pandoc there, like gnuplot for the charts: an argv vector, never a
 * shell, its errors in pandoc.log (removed when empty), a missing
 * pandoc a skipped file and not an error.
 *
 * report.md is not what pandoc reads: it is written for GitHub-flavoured
 * readers, where "$", "~", "^", "@" and "{" are plain text and a line
 * break in a table cell is <br>, all of which pandoc's Markdown reads as
 * markup or drops.  Here every ASCII punctuation character of a text is
 * escaped with a backslash (pandoc's all_symbols_escapable), so nothing
 * that comes from the data is markup; raw HTML and TeX are off besides.
 *
 * The first heading is the title (Word's Title style and the file's
 * title), the sections are Heading 1, tables are pipe tables (Word
 * tables, numbers right-aligned, columns as wide as their texts), a drawn
 * chart its PNG at the width of the text, captioned.  The language
 * (lang zh-CN or en-US) is set on the document's styles, East Asian for
 * Chinese, so that Word, WPS and LibreOffice set the text in their East
 * Asian font: pandoc's reference document names no Chinese font, and
 * each program takes its own for the language (宋体 or 等线 in Word and
 * WPS, Noto Sans CJK through fontconfig on Linux).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/reports.h"

#define T(zh, in_zh, in_en) ((zh) ? (in_zh) : (in_en))
#define LINE 78    /* characters on a line of the page */
#define MARGIN 3   /* a cell's margins, in characters */
#define TEXT_MIN 8 /* the narrowest text column */

/*
 * Text for pandoc's Markdown: ASCII punctuation escaped, a line break a
 * hard break (a space in a table cell or the title), leading blanks
 * dropped (four would start a code block).
 */
static void
md_text(FILE *f, const char *s, int one_line)
{
	int start = 1;

	for (; *s; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n' || *s == '\t') {
			if (*s == '\n' && !one_line && s[1] && !start) {
				fputs("\\\n", f);
				start = 1;
			} else if (!start) {
				fputc(' ', f);
			}
			continue;
		}
		if (start && *s == ' ')
			continue;
		start = 0;
		if (strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* The widest text of column c, its header on two lines. */
static size_t
widest(const struct hl_table *t, size_t c)
{
	size_t r, w = (hl_text_width(hl_table_text_at(t, 0, c)) + 1) / 2;

	for (r = 1; r < hl_table_rows(t); r++)
		if (hl_text_width(hl_table_text_at(t, r, c)) > w)
			w = hl_text_width(hl_table_text_at(t, r, c));
	return w;
}

/*
 * A pipe table.  pandoc shares the width of a table wider than a line
 * (--columns) by the dashes under each column: a column of figures gets
 * its widest figure and the cell's margins, so that no figure wraps; the
 * text columns share what is left of a page's LINE characters, each at
 * least TEXT_MIN, and wrap.
 */
static void
md_table(FILE *f, const struct hl_table *t)
{
	size_t rows = hl_table_rows(t), cols = hl_table_cols(t), r, c, i;
	size_t *w = hl_xcalloc(cols, sizeof(*w)), nums = 0, texts = 0;

	for (c = 0; c < cols; c++) {
		w[c] = widest(t, c) + MARGIN;
		if (rows > 1 && hl_table_num_at(t, 1, c))
			nums += w[c];
		else
			texts += w[c];
	}
	for (c = 0; c < cols; c++)
		if (!(rows > 1 && hl_table_num_at(t, 1, c)) &&
		    nums + texts > LINE) {
			w[c] = nums + TEXT_MIN < LINE
				   ? w[c] * (LINE - nums) / texts
				   : TEXT_MIN;
			if (w[c] < TEXT_MIN)
				w[c] = TEXT_MIN;
		}
	for (r = 0; r < rows; r++) {
		fputc('|', f);
		for (c = 0; c < cols; c++) {
			fputc(' ', f);
			md_text(f, hl_table_text_at(t, r, c), 1);
			fputs(" |", f);
		}
		fputc('\n', f);
		if (r > 0)
			continue;
		fputc('|', f);
		for (c = 0; c < cols; c++) {
			for (i = 1; i < w[c]; i++)
				fputc('-', f);
			fputs(rows > 1 && hl_table_num_at(t, 1, c) ? ":|"
								   : "-|",
			      f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	free(w);
}

/* A chart's name, as charts/NAME.png: letters, digits and "_" only. */
static int
plain_name(const char *s)
{
	return s && *s &&
	       s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] == '\0';
}

static void
write_md(const struct hl_doc *d, FILE *f)
{
	int zh = hl_doc_zh(d), titled = 0;
	size_t i;

	for (i = 0; i < hl_doc_count(d); i++) {
		const struct hl_block *b = hl_doc_block(d, i);
		const char *text = b->text ? b->text : "";

		switch (b->kind) {
		case HL_B_H1:
			fputs(i == 0 ? "% " : "# ", f);
			titled |= i == 0;
			md_text(f, text, 1);
			fputs("\n\n", f);
			break;
		case HL_B_H2:
			fputs(titled ? "# " : "## ", f);
			md_text(f, text, 1);
			fputs("\n\n", f);
			break;
		case HL_B_P:
			if (*text) {
				md_text(f, text, 0);
				fputs("\n\n", f);
			}
			break;
		case HL_B_TABLE:
			md_table(f, b->t);
			break;
		case HL_B_CHART:
			if (b->drawn && plain_name(b->name)) {
				fputs("![", f);
				md_text(f, text, 1);
				fprintf(f, "](charts/%s.png){width=100%%}\n\n",
					b->name);
			} else {
				fputs("*", f);
				md_text(f, text, 1);
				md_text(f,
					T(zh, "：图表未生成（未安装 gnuplot）",
					  ": chart not drawn (gnuplot is not "
					  "installed)"),
					1);
				fputs("*\n\n", f);
			}
			break;
		}
	}
}

/* A new empty file dir/.NAME.XXXXXX; its name in tmp. */
static int
temp_in(const char *dir, const char *name, struct hl_buf *tmp,
	struct hl_buf *err)
{
	int fd;

	hl_buf_printf(tmp, "%s/.%s.XXXXXX", dir, name);
	if ((fd = mkstemp(tmp->data)) < 0 || fchmod(fd, 0644) != 0) {
		hl_buf_printf(err, "cannot write '%s/%s': %s", dir, name,
			      strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp->data);
		}
		hl_buf_reset(tmp);
		return -1;
	}
	return fd;
}

int
hl_doc_write_docx(const struct hl_doc *d, const char *dir, const char *pandoc,
		  int *missing, struct hl_buf *err)
{
	struct hl_buf md = HL_BUF_INIT, path = HL_BUF_INIT, run = HL_BUF_INIT;
	char *argv[10];
	struct stat st;
	FILE *f = NULL;
	int fd, ret = -1;

	*missing = 0;
	if ((fd = temp_in(dir, "report.docx.md", &md, err)) < 0)
		goto done;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		hl_buf_printf(err, "cannot write '%s': %s", md.data,
			      strerror(errno));
		goto done;
	}
	write_md(d, f);
	if ((ferror(f) | fclose(f)) != 0) {
		hl_buf_printf(err, "cannot write '%s': %s", md.data,
			      strerror(errno));
		goto done;
	}
	argv[0] = (char *)pandoc;
	argv[1] = "--from=markdown-raw_html-raw_tex";
	argv[2] = "--to=docx";
	argv[3] = "--resource-path=.";
	argv[4] =
	    hl_doc_zh(d) ? "--metadata=lang:zh-CN" : "--metadata=lang:en-US";
	argv[5] = "--quiet";
	/* Every table's widths by its dashes, not only a wide one's. */
	argv[6] = "--columns=8";
	/* pandoc runs in dir: the files by their own names */
	argv[7] = "--output=report.docx";
	argv[8] = strrchr(md.data, '/') + 1;
	argv[9] = NULL;
	hl_buf_printf(&path, "%s/report.docx", dir);
	if (hl_run_program(argv, dir, "pandoc.log", missing, &run) != 0) {
		if (*missing)
			ret = 0;
		else
			hl_buf_printf(err, "%s", run.data);
		unlink(path.data);
		goto done;
	}
	ret = 0;
done:
	hl_buf_reset(&path);
	hl_buf_printf(&path, "%s/pandoc.log", dir);
	if (lstat(path.data, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == 0)
		unlink(path.data);
	if (md.len)
		unlink(md.data);
	hl_buf_release(&md);
	hl_buf_release(&path);
	hl_buf_release(&run);
	return ret;
}
