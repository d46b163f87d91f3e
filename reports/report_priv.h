/*
 * report_priv.h - what report.c and charts.c share: the report being
 * built, and the helpers both write with.  Only these two include it.
 */
#ifndef HL_REPORT_PRIV_H
#define HL_REPORT_PRIV_H

#include "reports/reports.h"

struct rep {
	const struct hl_report_opts *o;
	struct hl_figures *cur, *prev; /* the period, a year earlier */
	struct hl_figures *before;     /* the month before (monthly) */
	struct hl_doc *doc;
	struct hl_outdir od; /* written into od.dir, then moved to o->out */
	const char *dir;     /* od.dir */
	const char *charts;  /* od.charts */
	const char *gp;      /* the gnuplot program */
	int gp_missing;
	struct hl_report_result *res;
	struct hl_buf *err;
	int failed;
	char undrawn[8][32]; /* charts without data: their files of an
			      * earlier report go once this one is in */
	size_t nundrawn;
};

#define T(r, in_zh, in_en) ((r)->o->zh ? (in_zh) : (in_en))
#define add(r, k, text) hl_doc_add((r)->doc, k, text)
#define addf(r, k, ...) hl_doc_addf((r)->doc, k, __VA_ARGS__)
#define add_table(r, t, csv) hl_doc_table((r)->doc, t, csv)

/* ---- cells ---- */

#define PCT(t, v) hl_table_pct(t, v)
#define HOURS(t, v) hl_table_dec(t, v, 2, "")
#define RANK(t, v) hl_table_dec(t, v, 0, "")

/* Removes dir/name+ext if it is there. */
void rp_unlink(const char *dir, const char *name, const char *ext);
/* dir/name created (or truncated) for writing, never through a symbolic
 * link; NULL with the error kept in r. */
FILE *rp_open(struct rep *r, const char *dir, const char *name,
	      const char *mode);
/* Closes f; -1 with the error kept in r. */
int rp_close(struct rep *r, FILE *f, const char *name);
/* The rank of the district in month m (1-12) of class k, or none. */
double rp_month_rank(const struct hl_figures *f, int m, int k);
/*
 * The districts in the order of their ranks of class k: in month m
 * (1-12), or by their mean rank over the months (0); unranked last, ties
 * by name.  Caller frees.
 */
size_t *rp_rank_order(const struct hl_figures *f, int k, int m);

/* The charts of the months up to last (charts.c). */
void rp_charts(struct rep *r, int last);

#endif
