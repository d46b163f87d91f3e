/*
 * reports.h - what leaves the analyst's desk: tables in text, CSV,
 * Markdown and HTML, and (with the reports work) the monthly and annual
 * reports with their gnuplot charts.
 */
#ifndef HL_REPORTS_H
#define HL_REPORTS_H

#include <jansson.h>
#include <stdio.h>

#include "analysis/analysis.h"
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
/*
 * A figure as a number cell that keeps its value and how it is shown,
 * for writers that store numbers (a spreadsheet): a count ("12,345"), a
 * fraction shown as a percentage ("99.99%"), or a decimal with a unit
 * ("6.46 h", "12.30%" for a value already in percent).  A value that is
 * none (HL_FIG_NONE) is the text "-".
 */
void hl_table_count(struct hl_table *t, double v);
void hl_table_pct(struct hl_table *t, double fraction);
void hl_table_dec(struct hl_table *t, double v, int decimals, const char *unit);

enum hl_cell_kind {
	HL_CELL_TEXT,
	HL_CELL_COUNT,
	HL_CELL_PERCENT, /* value is a fraction */
	HL_CELL_DECIMAL
};

struct hl_cell_value {
	enum hl_cell_kind kind;
	double value;
	int decimals;
};

/* A cell's typed value and its text (row 0: the header), or NULL past
 * the table. */
const struct hl_cell_value *hl_table_value_at(const struct hl_table *t,
					      size_t row, size_t col);
const char *hl_table_text_at(const struct hl_table *t, size_t row, size_t col);
/* 1 when the cell is a number cell (right-aligned): a typed figure, or
 * text such as a month's number written with hl_table_num(). */
int hl_table_num_at(const struct hl_table *t, size_t row, size_t col);
size_t hl_table_cols(const struct hl_table *t);
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

/* A count as "12,345" into buf; "-" when v has no value. */
const char *hl_fmt_count(char *buf, size_t n, double v);
/* 1 when v is a whole number an integer type holds exactly (|v| < 9e15):
 * written as an integer in JSON and CSV. */
int hl_is_whole(double v);
/* v x scale with a printf format for one double ("%.2f%%"), or "-". */
const char *hl_fmt_num(char *buf, size_t n, double v, const char *fmt,
		       double scale);

/*
 * The figures as the JSON of docs/figures-json.md: a new object, caller
 * releases with json_decref().
 */
json_t *hl_figures_json(const struct hl_figures *f);

/*
 * struct hl_export_out: the tickets of `hotline export`, one row each,
 * with the columns of docs/export.md: CSV for Excel (a BOM, RFC 4180,
 * formulas neutralised) or JSON (one array of objects) to a stream, or an
 * XLSX workbook to a file (numbers as numbers, times as dates, the
 * header frozen).  Each streams: memory does not grow with the rows.
 */
enum hl_export_format { HL_EXPORT_CSV, HL_EXPORT_XLSX, HL_EXPORT_JSON };
struct hl_export_out;

/*
 * Starts writing (the header; labels in Chinese when zh) to out (CSV,
 * JSON; borrowed) or to the workbook at path (XLSX).  *w (OUT) is always
 * set; caller frees with hl_export_out_free().  Returns 0, or -1 with
 * the reason appended to err.
 */
int hl_export_out_new(enum hl_export_format fmt, FILE *out, const char *path,
		      int zh, struct hl_export_out **w, struct hl_buf *err);
/* One ticket's row.  0, or -1 with err (a workbook full or failing). */
int hl_export_out_row(struct hl_export_out *w,
		      const struct hl_ticket_verdict *v, struct hl_buf *err);
/* Ends the array or closes the workbook.  0, or -1 with err. */
int hl_export_out_finish(struct hl_export_out *w, struct hl_buf *err);
void hl_export_out_free(struct hl_export_out *w);
/* Column i's label (its JSON key in English), or NULL past the last. */
const char *hl_export_column(size_t i, int zh);

/*
 * The definitions every figure states, written from the settings in
 * force: hl_definition_keys[i] names the i-th, hl_definition_label() its
 * label.  Release with hl_definitions_release().
 */
#define HL_NDEFINITIONS 7
extern const char *const hl_definition_keys[HL_NDEFINITIONS];
struct hl_definitions {
	struct hl_text2 text[HL_NDEFINITIONS];
};
void hl_definitions_make(const struct hl_settings *s, struct hl_definitions *d);
void hl_definitions_release(struct hl_definitions *d);
const char *hl_definition_label(size_t i, int zh);

/*
 * The headline figures by name: the catalogue of their labels in Chinese
 * and English and the kind of number each is, and their values in a
 * period's figures (HL_FIG_NONE when the figures have none, as the city
 * has no rank).
 */
enum hl_fig_id {
	HL_F_TICKETS,
	HL_F_CONSULT,
	HL_F_OTHER,
	HL_F_ON_TIME, /* the headline: the settings' denominator */
	HL_F_LATE,
	HL_F_ON_TIME_CLOSED,
	HL_F_ON_TIME_DISPATCHED,
	HL_F_SAT_ORDINARY,
	HL_F_SAT_KEY,
	HL_F_MEAN_RANK_ORDINARY,
	HL_F_MEAN_RANK_KEY,
	HL_F_KEY_RANK1_STREAK,
	HL_F_HANDLING_CONSULT,
	HL_F_HANDLING_OTHER,
	HL_F_SPEEDUP_CONSULT,
	HL_F_SPEEDUP_OTHER,
	HL_F_REOPEN,
	HL_F_FIRST_TIME_FIX,
	HL_NFIG
};

enum hl_fig_kind {
	HL_KIND_COUNT, /* a whole number: 12,345 */
	HL_KIND_RATE,  /* a fraction shown as a percentage: 99.99% */
	HL_KIND_MEAN,  /* a mean, a rank or a percentage: 2 decimals */
	HL_KIND_HOURS  /* hours: 2 decimals */
};

struct hl_fig_label {
	const char *key; /* its path in the JSON */
	const char *zh, *en;
	enum hl_fig_kind kind;
};

const struct hl_fig_label *hl_fig_label(enum hl_fig_id id);
const char *hl_fig_text(enum hl_fig_id id, int zh);
double hl_fig_get(const struct hl_figures *f, enum hl_fig_id id);

/* The words the tables of figures share, in Chinese or English. */
enum hl_word {
	HL_W_FIGURE,
	HL_W_VALUE,
	HL_W_RATIO,
	HL_W_TICKETS,
	HL_W_ON_TIME,
	HL_W_SAT,
	HL_W_SAT_ORDINARY,
	HL_W_SAT_KEY,
	HL_W_RANK_ORDINARY,
	HL_W_RANK_KEY,
	HL_W_REOPEN,
	HL_W_UNIT,
	HL_W_DISTRICT,
	HL_W_MONTH,
	HL_W_LIMIT,
	HL_W_CONSULT_H,
	HL_W_OTHER_H,
	HL_W_MEAN_RANK_ORDINARY,
	HL_W_MEAN_RANK_KEY,
	HL_W_CONSULT,
	HL_W_OTHER,
	HL_W_LATE,
	HL_NWORDS
};

const char *hl_word(enum hl_word w, int zh);
/* A header row of n words. */
void hl_table_words(struct hl_table *t, const enum hl_word *w, size_t n,
		    int zh);

/*
 * struct hl_doc: a document as a list of blocks, built once and written
 * in every form (aligned text, Markdown, self-contained HTML); a table's
 * CSV is written from its block.  Blocks are borrowed from the document
 * and valid until the next block is added.
 */
enum hl_block_kind { HL_B_H1, HL_B_H2, HL_B_P, HL_B_TABLE, HL_B_CHART };

struct hl_block {
	enum hl_block_kind kind;
	char *text;         /* heading, paragraph, caption */
	struct hl_table *t; /* HL_B_TABLE (owned) */
	char *name;         /* HL_B_TABLE: its CSV's name; HL_B_CHART: the
			     * chart's (charts/NAME.png) */
	int drawn;          /* HL_B_CHART: its PNG exists */
};

struct hl_doc;

/* zh: the document's language; charts: the directory of the charts'
 * PNGs (NULL: none).  Caller frees with hl_doc_free(). */
struct hl_doc *hl_doc_new(int zh, const char *charts);
void hl_doc_free(struct hl_doc *d);
struct hl_block *hl_doc_add(struct hl_doc *d, enum hl_block_kind k,
			    const char *text);
struct hl_block *hl_doc_addf(struct hl_doc *d, enum hl_block_kind k,
			     const char *fmt, ...) HL_PRINTF(3, 4);
/* Adds table t, which the document then owns; name: its CSV's. */
struct hl_block *hl_doc_table(struct hl_doc *d, struct hl_table *t,
			      const char *name);
size_t hl_doc_count(const struct hl_doc *d);
/* The document's language: 1 Chinese, 0 English. */
int hl_doc_zh(const struct hl_doc *d);
const struct hl_block *hl_doc_block(const struct hl_doc *d, size_t i);

/*
 * Aligned text for a terminal (a paragraph is a line, an empty one a
 * blank line); Markdown; HTML with the charts' PNGs inline, titled by
 * the first block.
 */
void hl_doc_write_text(const struct hl_doc *d, FILE *out);
void hl_doc_write_md(const struct hl_doc *d, FILE *out);
void hl_doc_write_html(const struct hl_doc *d, FILE *out);

/*
 * The document as an Excel workbook at path (doc_xlsx.c): a first sheet
 * with the headings and paragraphs, then a sheet per table named after
 * its CSV file, figures as numbers with number formats, and Excel's own
 * charts of the months' table.  A failure removes what was written of
 * path; the report writes into a directory of its own (struct
 * hl_outdir), whose files are moved into place when all are whole.
 * Returns 0, or -1 with the reason appended to err.
 */
int hl_doc_write_xlsx(const struct hl_doc *d, const char *path,
		      struct hl_buf *err);

/*
 * dir/report.docx (doc_docx.c): the document as Markdown for pandoc (the
 * program, looked up in PATH), which converts it with the charts of
 * dir/charts as images; its messages go to dir/pandoc.log (removed when
 * empty).  dir is the report's own directory (struct hl_outdir): a
 * failure removes what pandoc wrote.  Returns 0, with *missing (OUT) set
 * when pandoc is not installed: then nothing is written; or -1 with the
 * reason appended to err.
 */
int hl_doc_write_docx(const struct hl_doc *d, const char *dir,
		      const char *pandoc, int *missing, struct hl_buf *err);

/*
 * Runs argv[0] (looked up in PATH) with argv in dir, never through a
 * shell, its standard error appended to dir/log (never through a
 * symbolic link).  Returns 0 when it exits 0, or -1 with the reason
 * appended to err; *missing (OUT) is set when the program is not
 * installed.
 */
int hl_run_program(char *const argv[], const char *dir, const char *log,
		   int *missing, struct hl_buf *err);

/*
 * Runs `gnuplot script` (gnuplot: the program, looked up in PATH) in dir,
 * with an argv vector, its messages appended to dir/gnuplot.log.  Returns
 * 0, or -1 with the reason appended to err; *missing (OUT) is set when the
 * program is not installed.
 */
int hl_plot_run(const char *gnuplot, const char *dir, const char *script,
		int *missing, struct hl_buf *err);

/*
 * struct hl_outdir: a report's files, all or none (outdir.c).  begin
 * creates out (when it is not there) and a private directory dir in it,
 * with dir/charts; the report is written there; commit renames each file
 * into out (and out/charts, never through a symbolic link), release
 * removes what is left, and out itself when begin made it and it is
 * empty.  commit releases.
 */
struct hl_outdir {
	char *out, *dir, *charts;
	int made; /* begin created out */
};

void hl_outdir_init(struct hl_outdir *od);
int hl_outdir_begin(struct hl_outdir *od, const char *out, struct hl_buf *err);
int hl_outdir_commit(struct hl_outdir *od, struct hl_buf *err);
void hl_outdir_release(struct hl_outdir *od);

/* The annual or monthly report of one district (README "Reports"). */
struct hl_report_opts {
	const char *district;    /* required */
	struct hl_period period; /* required: a year gives the annual
				  * report, any other period the monthly
				  * one (its months up to its last) */
	int year;                /* the period's */
	int month;               /* 0 for the annual report, else the month
				  * of the period's last day */
	const char *out;         /* the directory written (created) */
	int zh;                  /* Chinese (1) or English (0) */
	const char *reference;   /* published figures (JSON); NULL: the
				  * built-in 2022 荔湾区 evaluation */
	const char *gnuplot;     /* the program; NULL: "gnuplot" */
	const char *pandoc;      /* the program; NULL: "pandoc" */
	hl_time as_of;           /* 0: as hl_query */
};

/* A published figure and the computed one at its precision. */
struct hl_repro_row {
	char *label, *published;
	char *computed; /* at full precision */
	char *shown;    /* at the published precision */
	int match;
};

struct hl_report_result {
	int charts;         /* charts drawn */
	int charts_skipped; /* not drawn: gnuplot is not installed */
	int docx_skipped;   /* report.docx not written: pandoc is not
			     * installed */
	struct hl_repro_row *reproduction; /* the comparison with the
					    * published figures, or NULL */
	size_t nreproduction;
	int mismatches; /* rows of it that do not match */
};

/* Frees what res holds (the comparison). */
void hl_report_result_release(struct hl_report_result *res);

/*
 * Writes the report into o->out: report.md, report.html (self-contained),
 * report.xlsx, report.docx, figures.json, the tables as CSV, and the
 * charts (PNG and SVG, with their gnuplot scripts and data).  Returns 0
 * (res filled), or -1 with err.  A missing gnuplot or pandoc is not an
 * error: the charts or report.docx are skipped and counted.
 */
int hl_report_write(struct hl_store *st, const struct hl_settings *s,
		    const struct hl_report_opts *o,
		    struct hl_report_result *res, struct hl_buf *err);

/*
 * The figures f as `hotline metrics` writes them: the aligned table, with
 * Chinese labels when zh, else English; or CSV, one row per figure and
 * class keyed by (scope, period, month, figure, class), no key twice, the
 * city's with a line of rows per district (scope: its name), headers,
 * labels and notes in Chinese when zh (docs/figures-json.md).
 */
void hl_figures_write_table(const struct hl_figures *f, int zh, FILE *out);

/* The analyses beyond the seed's figures (assessment, league table,
 * topics, repeat calls) as sections of doc (analyses_out.c). */
void hl_analyses_doc(const struct hl_figures *f, int zh, struct hl_doc *doc);
void hl_figures_write_csv(const struct hl_figures *f, int zh, FILE *out);

/* One CSV cell as hl_table_write_csv() writes it. */
void hl_csv_cell(FILE *out, const char *s, int num);
/* Text escaped for Markdown, for HTML (line breaks become <br>). */
void hl_md_text(FILE *out, const char *s);
void hl_html_text(FILE *out, const char *s);
/* Display columns of UTF-8 text (East Asian wide characters count 2). */
size_t hl_text_width(const char *s);

#endif
