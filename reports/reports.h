/*
 * reports.h - what leaves the analyst's desk: tables in text, CSV,
 * Markdown and HTML, and (with the reports work) the monthly and annual
 * reports with their gnuplot charts.
 */
#ifndef HL_REPORTS_H
#define HL_REPORTS_H

#include <stdio.h>

#include "util/util.h"

enum hl_reports_err { HL_REPORTS_OK, HL_REPORTS_EIO, HL_REPORTS_EPLOT };

/* Static text for an hl_reports_err; "unknown error" for anything else. */
const char *hl_reports_strerror(int err);

/*
 * struct hl_table: rows of text cells, the first row the header.  Cells
 * are added left to right, row after row; a number cell is right-aligned
 * and written as it is in CSV.
 */
struct hl_table;

/* title (copied; may be NULL) heads the text form.  Caller frees with
 * hl_table_free(). */
struct hl_table *hl_table_new(size_t ncols, const char *title);
void hl_table_free(struct hl_table *t);
void hl_table_cell(struct hl_table *t, const char *text /* NULL: "" */);
void hl_table_cellf(struct hl_table *t, const char *fmt, ...) HL_PRINTF(2, 3);
void hl_table_num(struct hl_table *t, const char *fmt, ...) HL_PRINTF(2, 3);
/* Rows so far, the header included (a row being filled counts whole). */
size_t hl_table_rows(const struct hl_table *t);

/* Aligned columns for a terminal; line breaks in cells become spaces. */
void hl_table_write_text(const struct hl_table *t, FILE *out);
/*
 * RFC 4180 with CRLF; cells with a comma, quote or line break quoted; a
 * text cell starting with = + - @, a tab or a CR gets a leading
 * apostrophe so that Excel does not run it.  No BOM: the caller writes
 * one (EF BB BF) first when the file is for Excel.
 */
void hl_table_write_csv(const struct hl_table *t, FILE *out);
/* A GitHub-flavoured Markdown table; markup characters escaped. */
void hl_table_write_md(const struct hl_table *t, FILE *out);
/* An HTML <table>; every cell escaped. */
void hl_table_write_html(const struct hl_table *t, FILE *out);

/* One CSV cell as hl_table_write_csv() writes it. */
void hl_csv_cell(FILE *out, const char *s, int num);
/* Text escaped for Markdown, for HTML (line breaks become <br>). */
void hl_md_text(FILE *out, const char *s);
void hl_html_text(FILE *out, const char *s);
/* Display columns of UTF-8 text (East Asian wide characters count 2). */
size_t hl_text_width(const char *s);

#endif
