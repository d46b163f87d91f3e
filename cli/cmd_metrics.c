/*
 * cmd_metrics.c - `hotline metrics`: the figures of a year or a month for
 * a district or the city, as an aligned table (Chinese or English), CSV or
 * JSON (layout in the README).
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
	    {"as-of", required_argument, NULL, 'a'},
	    {"db", required_argument, NULL, 'd'},
	    {"district", required_argument, NULL, 'D'},
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"lang", required_argument, NULL, 'l'},
	    {"late", no_argument, NULL, 'L'},
	    {"month", required_argument, NULL, 'm'},
	    {"calendar", required_argument, NULL, 'c'},
	    {"profile", required_argument, NULL, 'p'},
	    {"rank", required_argument, NULL, 'r'},
	    {"region", required_argument, NULL, 'R' + 256},
	    {"year", required_argument, NULL, 'y'},
	    {NULL, 0, NULL, 0},
	};
	struct hl_settings set;
	struct hl_world_opts world = {{NULL}, 0, NULL};
	struct hl_query q;
	struct hl_store *store = NULL;
	struct hl_metrics *m = NULL;
	struct hl_buf err = HL_BUF_INIT;
	int zh = 1;
	const char *db = NULL, *profile = NULL, *format = "table", *e;
	const char *month_arg = NULL;
	int c, rc = HL_EXIT_FAIL, my = 0, mm = 0;
	json_t *f = NULL;

	memset(&q, 0, sizeof(q));
	hl_settings_init(&set);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (hl_time_parse(optarg, strlen(optarg), &q.as_of,
					  NULL, &e) != 0) {
				rc = hl_usage_error(ctx, "--as-of: %s: '%s'", e,
						    optarg);
				goto done;
			}
			break;
		case 'd':
			db = optarg;
			break;
		case 'D':
			q.district = optarg;
			break;
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
		case 'h':
			rc = hl_print_help(ctx);
			goto done;
		case 'l':
			if (strcmp(optarg, "zh") && strcmp(optarg, "en")) {
				rc = hl_usage_error(
				    ctx, "--lang: '%s' is not zh or en",
				    optarg);
				goto done;
			}
			zh = strcmp(optarg, "zh") == 0;
			break;
		case 'L':
			q.late_list = 1;
			break;
		case 'm':
			month_arg = optarg;
			if (hl_parse_month(optarg, &my, &mm) != 0) {
				rc = hl_usage_error(
				    ctx, "--month: '%s' is not yyyy-mm",
				    optarg);
				goto done;
			}
			break;
		case 'c':
			if ((rc = hl_world_calendar(ctx, &world, optarg)))
				goto done;
			rc = HL_EXIT_FAIL;
			break;
		case 'p':
			profile = optarg;
			break;
		case 'R' + 256:
			world.region = optarg;
			break;
		case 'r':
			q.streak_rank = (int)hl_strtonum(optarg, 1, 1000, &e);
			if (e) {
				rc = hl_usage_error(ctx, "--rank: %s: '%s'", e,
						    optarg);
				goto done;
			}
			break;
		case 'y':
			q.year = (int)hl_strtonum(optarg, 1901, 2199, &e);
			if (e) {
				rc = hl_usage_error(ctx, "--year: %s: '%s'", e,
						    optarg);
				goto done;
			}
			break;
		default:
			rc = hl_option_error(ctx, argv, "h", longopts);
			goto done;
		}
	}
	if (optind < argc) {
		rc = hl_usage_error(ctx, "unexpected operand '%s'",
				    argv[optind]);
		goto done;
	}
	if (db == NULL) {
		rc = hl_usage_error(ctx, "--db is required");
		goto done;
	}
	if (mm) {
		if (q.year && q.year != my) {
			rc = hl_usage_error(ctx,
					    "--month %s is not in --year %d",
					    month_arg, q.year);
			goto done;
		}
		q.year = my;
		q.month = mm;
	}
	if (q.year == 0) {
		rc = hl_usage_error(ctx, "--year or --month is required");
		goto done;
	}
	if (hl_world_settings(ctx, &set, profile, &world) != HL_EXIT_OK)
		goto done;
	if (hl_store_open(db, HL_STORE_READONLY, 0, &store) != 0) {
		hl_errorf(ctx, "%s", hl_store_errmsg(store));
		goto done;
	}
	if (hl_store_readonly_file(store))
		hl_errorf(ctx,
			  "note: '%s' opened read-only: this user may not "
			  "write it or its directory",
			  db);
	if (hl_metrics_open(store, &set, &m) != 0 ||
	    (f = hl_metrics_compute(m, &q)) == NULL) {
		hl_errorf(ctx, "%s", hl_metrics_errmsg(m));
		goto done;
	}
	if (strcmp(format, "json") == 0) {
		json_dumpf(f, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
		fputc('\n', stdout);
	} else if (strcmp(format, "csv") == 0) {
		hl_figures_write_csv(f, stdout);
	} else {
		hl_figures_write_table(f, zh, stdout);
	}
	rc = HL_EXIT_OK;
done:
	json_decref(f);
	hl_metrics_free(m);
	hl_store_free(store);
	hl_settings_release(&set);
	hl_buf_release(&err);
	return rc;
}
