/*
 * cmd_report.c - `hotline report`: the annual or monthly report of a
 * district, as Markdown, self-contained HTML, Excel and Word documents,
 * CSV tables, JSON and charts.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_out.h"
#include "store/store.h"

const struct hl_cmd_usage hl_cmd_report_usage = {
    "hotline report --db path --district name (--year yyyy | --month "
    "yyyy-mm | --period name | --from day --to day) --out dir "
    "[--profile file] [--calendar file] "
    "[--region name|file] [--lang zh|en] [--reference file] [--as-of time]",
    "write the annual, monthly or period report of a district",
    "Writes into dir: report.md, report.html (one file, charts inline,\n"
    "no network needed), report.xlsx (a sheet per table, figures as\n"
    "numbers, Excel's own charts of the months), report.docx (the whole\n"
    "report for Word, WPS and LibreOffice, made by pandoc), figures.json,\n"
    "every table as CSV for Excel (UTF-8 with a BOM, formula cells\n"
    "neutralised), and charts/ with each chart as PNG and SVG beside the\n"
    "gnuplot script and data that draw it.\n"
    "\n"
    "The annual report (--year) sets the year beside the year before,\n"
    "compares the published figures of the reference (by default the 2022\n"
    "evaluation of 荔湾区, when the report is for 荔湾区 2022) with the\n"
    "computed ones at the published precision, and shows the months,\n"
    "every district's monthly ranks, handling time, units and the\n"
    "supervision list.  The monthly report (--month) shows the month, its\n"
    "rank among the districts, the year so far and the supervision list;\n"
    "a quarter, a half or days (--period, --from/--to) the same for the\n"
    "period, ranks of its last month.  Both add the hot topics, repeat\n"
    "calls and (with a scheme in the profile) the assessment.\n"
    "Without gnuplot the report is written without charts, without pandoc\n"
    "without report.docx, each with a warning.\n"
    "\n"
    "Options:\n"
    "      --as-of time      the moment open tickets are judged at\n"
    "      --calendar file   a calendar year beyond the built-in ones (see\n"
    "                        hotline metrics; may be given several times)\n"
    "      --db path         the database (required)\n"
    "      --district name   the district (required)\n"
    "      --lang l          zh (default) or en\n"
    "      --from day        a report of the days --from to --to (yyyy-mm-dd)\n"
    "      --month yyyy-mm   a monthly report\n"
    "      --out dir         where to write (created; required)\n"
    "      --profile file    metric settings (see hotline metrics)\n"
    "      --period name     yyyy, yyyy-mm, yyyy-Qn or yyyy-Hn\n"
    "      --reference file  published figures to compare with (JSON, as\n"
    "                        reports/reference/liwan-2022.json)\n"
    "      --region r        the city's districts (see hotline metrics)\n"
    "      --to day          the last day of --from\n"
    "      --year yyyy       an annual report\n"
    "\n"
    "Exit status: 0 written, 1 an error (no such district, a file that\n"
    "cannot be written, gnuplot or pandoc failing), 2 usage.\n",
};

int
hl_cmd_report(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    HL_SCOPE_OPTIONS,
	    {"help", no_argument, NULL, 'h'},
	    {"out", required_argument, NULL, 'o'},
	    {"reference", required_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	struct hl_scope_opts so;
	const struct hl_getopt g = {"h", longopts, &so, 0};
	struct hl_report_opts o;
	struct hl_report_result res;
	struct hl_settings set;
	struct hl_store *store = NULL;
	struct hl_buf err = HL_BUF_INIT;
	int c, rc = HL_EXIT_FAIL;

	memset(&o, 0, sizeof(o));
	memset(&res, 0, sizeof(res));
	hl_scope_init(&so);
	hl_settings_init(&set);
	while ((c = hl_next_option(ctx, argc, argv, &g, &rc)) > 0) {
		if (c == 'o')
			o.out = optarg;
		else
			o.reference = optarg;
	}
	if (c < 0)
		goto done;
	if (so.db == NULL || so.district == NULL || o.out == NULL) {
		rc = hl_usage_error(ctx, "--db, --district and --out are "
					 "required");
		goto done;
	}
	if (so.year && (so.month || so.period || so.from >= 0)) {
		rc =
		    hl_usage_error(ctx, "give one of --year, --month, --period "
					"and --from/--to");
		goto done;
	}
	if ((c = hl_scope_period(ctx, &so, &o.period)) != HL_EXIT_OK) {
		rc = c == 1
			 ? hl_usage_error(ctx, "--year, --month, --period or "
					       "--from/--to is required")
			 : c;
		goto done;
	}
	o.year = o.period.year;
	o.month = o.period.kind == HL_PERIOD_YEAR ? 0 : o.period.last_month;
	o.district = so.district;
	o.as_of = so.as_of;
	o.zh = so.zh;
	if (hl_scope_open(ctx, &so, &set, &store) != HL_EXIT_OK)
		goto done;
	if (hl_report_write(store, &set, &o, &res, &err) != 0) {
		hl_errorf(ctx, "%s", err.data);
		goto done;
	}
	hl_print_reproduction(stdout, &res);
	hl_report_notes(ctx, o.out, &res);
	rc = HL_EXIT_OK;
done:
	hl_report_result_release(&res);
	hl_store_free(store);
	hl_settings_release(&set);
	hl_buf_release(&err);
	return rc;
}
