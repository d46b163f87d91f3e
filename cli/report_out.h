/*
 * report_out.h - what report and demo print after writing a report: the
 * files, the comparison with the published figures, a warning when the
 * charts were skipped.
 */
#ifndef HL_CLI_REPORT_OUT_H
#define HL_CLI_REPORT_OUT_H

#include "cli/cmd.h"
#include "reports/reports.h"

/* Prints the comparison table (when there is one) to out. */
void hl_print_reproduction(FILE *out, const struct hl_report_result *res);

/* The notes on stderr after a report was written to dir. */
void hl_report_notes(const struct hl_ctx *ctx, const char *dir,
		     const struct hl_report_result *res);

#endif
