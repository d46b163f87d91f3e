/*
 * cmd_metrics.c - `hotline metrics`: the figures of a year or a month for
 * a district or the city, as an aligned table (Chinese or English), CSV or
 * JSON (layout in docs/figures-json.md).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/cmd.h"
#include "reports/reports.h"
#include "store/store.h"

const struct hl_cmd_usage hl_cmd_metrics_usage = {
    "hotline metrics --db path --year yyyy [--month yyyy-mm] "
    "[--district name] [--profile file] [--calendar file] "
    "[--region name|file] [--format table|csv|json] "
    "[--lang zh|en] [--as-of time] [--late] [--rank n]",
    "compute the figures of a year or a month",
    "Computes from the stored tickets the figures of a year (or of one\n"
    "month, with the months of its year beside it) for a district, or for\n"
    "the whole city without --district: volume, on-time closure rate (both\n"
    "denominators), satisfaction rate of ordinary and key tickets, the\n"
    "monthly rankings among districts with the mean rank and the longest\n"
    "run at a rank, handling time (mean, median, 90th percentile, natural\n"
    "and working hours) by category and its speed-up on a year before,\n"
    "reopen rate, the unit league table and the supervision list.  Every\n"
    "figure says how it was computed.\n"
    "\n"
    "Options:\n"
    "      --as-of time      the moment open tickets are judged at\n"
    "                        (default: the latest time among the period's\n"
    "                        tickets)\n"
    "      --calendar file   a working-day calendar year beyond the built-in\n"
    "                        2020-2026, in the format of calendars/ (may be\n"
    "                        given several times)\n"
    "      --db path         the database (required)\n"
    "      --district name   a district (old names, names with the city\n"
    "                        before them or without 区 are understood);\n"
    "                        default: the whole city\n"
    "      --format f        table (default), csv (UTF-8 with BOM, for\n"
    "                        Excel) or json\n"
    "      --lang l          labels of the table: zh (default) or en\n"
    "      --late            list the late tickets too\n"
    "      --month yyyy-mm   one month (then --year may be left out)\n"
    "      --profile file    settings (INI; see README): period basis,\n"
    "                        on-time denominator, weight of 基本满意,\n"
    "                        ranking minimum, deadlines and tickets without\n"
    "                        one, notes, region, calendar years\n"
    "      --rank n          the rank whose longest run of months is\n"
    "                        shown (default 1)\n"
    "      --region r        the city's districts: guangzhou (default),\n"
    "                        beijing, new-york or a region file\n"
    "      --year yyyy       the year\n"
    "\n"
    "Exit status: 0 figures written, 1 no such district or a database or\n"
    "profile error, 2 usage.\n",
};

/* ---- the command ---- */

int
hl_cmd_metrics(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    HL_SCOPE_OPTIONS,
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"late", no_argument, NULL, 'L'},
	    {"rank", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	struct hl_scope_opts so;
	const struct hl_getopt g = {"h", longopts, &so, 0};
	struct hl_settings set;
	struct hl_query q;
	struct hl_store *store = NULL;
	struct hl_metrics *m = NULL;
	const char *format = "table", *e;
	int c, rc = HL_EXIT_FAIL;
	struct hl_figures *f = NULL;

	memset(&q, 0, sizeof(q));
	hl_scope_init(&so);
	hl_settings_init(&set);
	while ((c = hl_next_option(ctx, argc, argv, &g, &rc)) > 0) {
		switch (c) {
		case 'f':
			format = optarg;
			if (strcmp(format, "table") && strcmp(format, "csv") &&
			    strcmp(format, "json")) {
				rc = hl_usage_error(
				    ctx,
				    "--format: '%s' is not table, csv or json",
				    optarg);
				goto done;
			}
			break;
		case 'L':
			q.late_list = 1;
			break;
		case 'r':
			q.streak_rank = (int)hl_strtonum(optarg, 1, 1000, &e);
			if (e) {
				rc = hl_usage_error(ctx, "--rank: %s: '%s'", e,
						    optarg);
				goto done;
			}
			break;
		}
	}
	if (c < 0)
		goto done;
	if (so.db == NULL) {
		rc = hl_usage_error(ctx, "--db is required");
		goto done;
	}
	if (so.month && so.year && so.year != so.month_year) {
		rc = hl_usage_error(ctx, "--month %s is not in --year %d",
				    so.month_arg, so.year);
		goto done;
	}
	if (so.month)
		q.period = hl_period_month(so.month_year, so.month);
	else if (so.year)
		q.period = hl_period_year(so.year);
	else {
		rc = hl_usage_error(ctx, "--year or --month is required");
		goto done;
	}
	q.district = so.district;
	q.as_of = so.as_of;
	if (hl_scope_open(ctx, &so, &set, &store) != HL_EXIT_OK)
		goto done;
	if (hl_metrics_open(store, &set, &m) != 0 ||
	    (f = hl_metrics_compute(m, &q)) == NULL) {
		hl_errorf(ctx, "%s", hl_metrics_errmsg(m));
		goto done;
	}
	if (strcmp(format, "json") == 0) {
		json_t *j = hl_figures_json(f);

		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
		fputc('\n', stdout);
		json_decref(j);
	} else if (strcmp(format, "csv") == 0) {
		hl_figures_write_csv(f, stdout);
	} else {
		hl_figures_write_table(f, so.zh, stdout);
	}
	rc = HL_EXIT_OK;
done:
	hl_figures_free(f);
	hl_metrics_free(m);
	hl_store_free(store);
	hl_settings_release(&set);
	return rc;
}
