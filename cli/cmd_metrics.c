/*
 * cmd_metrics.c - `hotline metrics`: the figures of a period for
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
    "hotline metrics --db path (--year yyyy | --month yyyy-mm | --period "
    "name | --from yyyy-mm-dd --to yyyy-mm-dd) "
    "[--district name] [--profile file] [--calendar file] "
    "[--region name|file] [--format table|csv|json] "
    "[--lang zh|en] [--as-of time] [--late] [--rank n] "
    "[--league figure[:level] [--top n]]",
    "compute the figures of a period",
    "Computes from the stored tickets the figures of a period (a year, a\n"
    "half, a quarter, a month or any days, with the months of its year\n"
    "beside it; months start on the profile's [period] month_start_day)\n"
    "for a district, or for\n"
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
    "      --from day        the period's first day, yyyy-mm-dd (with --to)\n"
    "      --lang l          labels of the table and the CSV: zh (default)\n"
    "                        or en\n"
    "      --late            list the tickets past their deadline too:\n"
    "                        closed late, or open past it at the as-of\n"
    "                        time (hotline export --late lists exactly\n"
    "                        those the on-time figure counts late)\n"
    "      --league f[:level] rank the streets (default), districts or\n"
    "                        units by f: score, response, resolution,\n"
    "                        satisfaction, on_time or tickets\n"
    "      --month yyyy-mm   one month (then --year may be left out)\n"
    "      --period name     yyyy, yyyy-mm, a quarter yyyy-Qn (1-4) or a\n"
    "                        half yyyy-Hn (1-2)\n"
    "      --profile file    settings (INI; see README): period basis,\n"
    "                        on-time denominator, weight of 基本满意,\n"
    "                        ranking minimum, deadlines and tickets without\n"
    "                        one, notes, region, calendar years\n"
    "      --rank n          the rank whose longest run of months is\n"
    "                        shown (default 1)\n"
    "      --region r        the city's districts: guangzhou (default),\n"
    "                        beijing, new-york or a region file\n"
    "      --to day          the period's last day, yyyy-mm-dd (included)\n"
    "      --top n           the league's first and last n (default 10)\n"
    "      --year yyyy       the year\n"
    "\n"
    "Exit status: 0 figures written, 1 no such district, a period without\n"
    "tickets, or a database or profile error, 2 usage.\n",
};

/* "figure[:level]" into q; -1 for names that are none. */
static int
parse_league(const char *arg, struct hl_query *q)
{
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
	int i;

	q->league = NULL;
	for (i = 0; hl_league_figures[i]; i++)
		if (strlen(hl_league_figures[i]) == n &&
		    strncmp(hl_league_figures[i], arg, n) == 0)
			q->league = hl_league_figures[i];
	q->league_level = HL_LEVEL_STREET;
	if (colon) {
		for (i = 0; i < 3; i++)
			if (strcmp(hl_level_names[i], colon + 1) == 0)
				break;
		if (i == 3)
			return -1;
		q->league_level = (enum hl_level)i;
	}
	return q->league ? 0 : -1;
}

/* ---- the command ---- */

int
hl_cmd_metrics(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    HL_SCOPE_OPTIONS,
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"late", no_argument, NULL, 'L'},
	    {"league", required_argument, NULL, 'G'},
	    {"rank", required_argument, NULL, 'r'},
	    {"top", required_argument, NULL, 't'},
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
	struct hl_buf err = HL_BUF_INIT;

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
		case 'G':
			if (parse_league(optarg, &q) != 0) {
				rc = hl_usage_error(
				    ctx,
				    "--league: '%s' is not figure[:level] "
				    "(score, response, resolution, "
				    "satisfaction, on_time or tickets; "
				    "district, street or unit)",
				    optarg);
				goto done;
			}
			break;
		case 't':
			q.league_top = (int)hl_strtonum(optarg, 1, 1000, &e);
			if (e) {
				rc = hl_usage_error(ctx, "--top: %s: '%s'", e,
						    optarg);
				goto done;
			}
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
	if ((c = hl_scope_period(ctx, &so, &q.period)) != HL_EXIT_OK) {
		rc = c == 1
			 ? hl_usage_error(ctx, "--year, --month, --period or "
					       "--from/--to is required")
			 : c;
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
	if (hl_figures_require_tickets(f, &err) != 0) {
		hl_errorf(ctx, "%s", err.data);
		goto done;
	}
	if (strcmp(format, "json") == 0) {
		json_t *j = hl_figures_json(f);

		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
		fputc('\n', stdout);
		json_decref(j);
	} else if (strcmp(format, "csv") == 0) {
		hl_figures_write_csv(f, so.zh, stdout);
	} else {
		hl_figures_write_table(f, so.zh, stdout);
	}
	rc = HL_EXIT_OK;
done:
	hl_figures_free(f);
	hl_metrics_free(m);
	hl_store_free(store);
	hl_settings_release(&set);
	hl_buf_release(&err);
	return rc;
}
