/*
 * report_out.c - printing what a report run produced (report_out.h).
 */
#include "cli/report_out.h"

void
hl_print_reproduction(FILE *out, const struct hl_report_result *res)
{
	struct hl_table *t;
	size_t i;

	if (res->reproduction == NULL)
		return;
	t = hl_table_new(4,
			 "与年度自评报告公布数据对照 / the published figures, "
			 "recomputed");
	hl_table_cell(t, "指标");
	hl_table_cell(t, "公布值");
	hl_table_cell(t, "计算值（按公布精度）");
	hl_table_cell(t, "一致");
	for (i = 0; i < res->nreproduction; i++) {
		const struct hl_repro_row *row = &res->reproduction[i];

		hl_table_cell(t, row->label);
		hl_table_cell(t, row->published);
		hl_table_cellf(t, "%s (%s)", row->shown, row->computed);
		hl_table_cell(t, row->match ? "✓" : "✗ 不一致");
	}
	hl_table_write_text(t, out);
	hl_table_free(t);
}

void
hl_report_notes(const struct hl_ctx *ctx, const char *dir,
		const struct hl_report_result *res)
{
	hl_errorf(ctx,
		  "wrote report.html, report.md, report.xlsx, %sfigures.json, "
		  "the tables as CSV and %d charts into '%s'",
		  res->docx_skipped ? "" : "report.docx, ", res->charts, dir);
	if (res->charts_skipped)
		hl_errorf(ctx,
			  "warning: %d charts skipped: gnuplot is not "
			  "installed (on Debian: apt-get install gnuplot-nox "
			  "fonts-noto-cjk)",
			  res->charts_skipped);
	if (res->docx_skipped)
		hl_errorf(ctx, "warning: report.docx skipped: pandoc is not "
			       "installed (on Debian: apt-get install pandoc)");
	if (res->mismatches)
		hl_errorf(ctx,
			  "%d published figures do not match the computed "
			  "ones",
			  res->mismatches);
}
