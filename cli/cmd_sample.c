/*
 * cmd_sample.c - `hotline sample`: write the deterministic sample data set
 * (yearly or nightly CSV exports and manifest.json) into a directory.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "sample-data/sample.h"

const struct hl_cmd_usage hl_cmd_sample_usage = {
    "hotline sample [-q] [--out dir] [--seed n] [--years yyyy[-yyyy]] "
    "[--scale f]\n"
    "               [--no-calibrate] [--encoding enc] [--eol crlf|lf] "
    "[--dates style]\n"
    "               [--headers 1|2|3] [--dirt rate] [--nightly] "
    "[--rank-min n]\n"
    "               [--calendar file] [--plant analyses]",
    "write the deterministic sample data set (Guangzhou 12345 exports)",
    "Writes one CSV export per year (or, with --nightly, one per day) of\n"
    "work orders for Guangzhou's 11 districts, and manifest.json with the\n"
    "figures planted in them.  The same options give the same bytes on any\n"
    "machine.\n"
    "\n"
    "Options:\n"
    "  -o, --out dir        output directory (default 'sample')\n"
    "  -q, --quiet          print nothing on success\n"
    "      --seed n         PRNG seed, 0 to 4294967295 (default 20221231)\n"
    "      --years y[-y]    years to generate (default 2021-2022); each\n"
    "                       needs a working-day calendar: 2020-2026 are\n"
    "                       built in\n"
    "      --calendar file  a calendar year beyond the built-in ones, in\n"
    "                       the format of calendars/ (may be repeated)\n"
    "      --scale f        volume of every district as a share of full\n"
    "                       scale, 0.0001 to 1 (default 0.1); with\n"
    "                       calibration 荔湾区 always stays at full scale\n"
    "      --no-calibrate   do not plant the 荔湾区 2022 figures; 荔湾区 then\n"
    "                       follows its own profile and --scale like the rest\n"
    "      --encoding enc   utf8 (default), utf8-bom or gb18030\n"
    "      --eol crlf|lf    line ends (default crlf, as Excel writes)\n"
    "      --dates style    iso (2022-01-03 09:05:00, default),\n"
    "                       slash (2022/1/3 9:05:00), excel (44564.378472)\n"
    "                       or mixed (any of these per cell)\n"
    "      --headers 1|2|3  header and vocabulary variant (default 1)\n"
    "      --dirt rate      faulty rows per clean row, 0 to 0.1 (default 0);\n"
    "                       each fault is listed in the manifest\n"
    "      --nightly        one file per day (nightly/gz12345-YYYYMMDD.csv)\n"
    "                       with that day's new and updated tickets\n"
    "      --rank-min n     evaluated tickets a district needs in a month to\n"
    "                       be ranked, for the planted ranks (default 30)\n"
    "      --plant analyses\n"
    "                       also plant what the analyses measure: the\n"
    "                       assessment columns (是否有效回访, 是否联系,\n"
    "                       是否解决, 是否纳入考核), 问题分类 topics with\n"
    "                       surges, 来电号码 callers and repeat-call chains\n"
    "                       (docs/sample-data.md); the truth goes under\n"
    "                       \"planted\" in the manifest\n"
    "\n"
    "Exit status: 0 success, 1 the data set could not be written, 2 usage.\n",
};

static int
parse_years(const char *s, int *first, int *last)
{
	const char *err;
	char *dash, tmp[32];

	if (strlen(s) >= sizeof(tmp))
		return -1;
	strcpy(tmp, s);
	dash = strchr(tmp, '-');
	if (dash)
		*dash = '\0';
	*first =
	    (int)hl_strtonum(tmp, HL_SAMPLE_YEAR_MIN, HL_SAMPLE_YEAR_MAX, &err);
	if (err)
		return -1;
	*last = *first;
	if (dash) {
		*last = (int)hl_strtonum(dash + 1, HL_SAMPLE_YEAR_MIN,
					 HL_SAMPLE_YEAR_MAX, &err);
		if (err || *last < *first)
			return -1;
	}
	return 0;
}

int
hl_cmd_sample(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    {"calendar", required_argument, NULL, 'c'},
	    {"dates", required_argument, NULL, 'D'},
	    {"dirt", required_argument, NULL, 'x'},
	    {"encoding", required_argument, NULL, 'e'},
	    {"eol", required_argument, NULL, 'l'},
	    {"headers", required_argument, NULL, 'H'},
	    {"help", no_argument, NULL, 'h'},
	    {"nightly", no_argument, NULL, 'n'},
	    {"no-calibrate", no_argument, NULL, 'C'},
	    {"out", required_argument, NULL, 'o'},
	    {"plant", required_argument, NULL, 'P'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"rank-min", required_argument, NULL, 'r'},
	    {"scale", required_argument, NULL, 's'},
	    {"seed", required_argument, NULL, 'S'},
	    {"years", required_argument, NULL, 'y'},
	    {NULL, 0, NULL, 0},
	};
	const struct hl_getopt g = {"ho:q", longopts, NULL, 0};
	struct hl_sample_opts o;
	struct hl_sample_stats st;
	struct hl_sample *s = NULL;
	const char *err;
	struct hl_world_opts world = {{NULL}, 0, NULL};
	struct hl_calyears cal = HL_CALYEARS_INIT;
	struct hl_buf cerr = HL_BUF_INIT;
	size_t i;
	int c, quiet = 0, rc;

	hl_sample_opts_init(&o);
	while ((c = hl_next_option(ctx, argc, argv, &g, &rc)) > 0) {
		switch (c) {
		case 'C':
			o.calibrate = 0;
			break;
		case 'D':
			if (strcmp(optarg, "iso") == 0)
				o.dates = HL_DATES_ISO;
			else if (strcmp(optarg, "slash") == 0)
				o.dates = HL_DATES_SLASH;
			else if (strcmp(optarg, "excel") == 0)
				o.dates = HL_DATES_EXCEL;
			else if (strcmp(optarg, "mixed") == 0)
				o.dates = HL_DATES_MIXED;
			else
				return hl_usage_error(
				    ctx,
				    "--dates: invalid: '%s' (iso, slash, "
				    "excel or mixed)",
				    optarg);
			break;
		case 'e':
			if (strcmp(optarg, "utf8") == 0)
				o.encoding = HL_ENC_UTF8;
			else if (strcmp(optarg, "utf8-bom") == 0)
				o.encoding = HL_ENC_UTF8_BOM;
			else if (strcmp(optarg, "gb18030") == 0)
				o.encoding = HL_ENC_GB18030;
			else
				return hl_usage_error(
				    ctx,
				    "--encoding: invalid: '%s' (utf8, "
				    "utf8-bom or gb18030)",
				    optarg);
			break;
		case 'H':
			o.header_variant = (int)hl_strtonum(optarg, 1, 3, &err);
			if (err)
				return hl_usage_error(
				    ctx, "--headers: %s: '%s'", err, optarg);
			break;
		case 'l':
			if (strcmp(optarg, "crlf") == 0)
				o.crlf = 1;
			else if (strcmp(optarg, "lf") == 0)
				o.crlf = 0;
			else
				return hl_usage_error(
				    ctx, "--eol: invalid: '%s' (crlf or lf)",
				    optarg);
			break;
		case 'c':
			if ((rc = hl_world_calendar(ctx, &world, optarg)))
				return rc;
			break;
		case 'n':
			o.nightly = 1;
			break;
		case 'o':
			o.outdir = optarg;
			break;
		case 'P':
			if (strcmp(optarg, "analyses") == 0)
				o.plant = HL_PLANT_ANALYSES;
			else
				return hl_usage_error(
				    ctx, "--plant: invalid: '%s' (analyses)",
				    optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			o.rank_min = (int)hl_strtonum(optarg, 1, 100000, &err);
			if (err)
				return hl_usage_error(
				    ctx, "--rank-min: %s: '%s'", err, optarg);
			break;
		case 's':
			o.scale = hl_strtofrac(optarg, 0.0001, 1.0, &err);
			if (err)
				return hl_usage_error(ctx, "--scale: %s: '%s'",
						      err, optarg);
			break;
		case 'S':
			o.seed = (uint64_t)hl_strtonum(
			    optarg, 0, (long long)UINT32_MAX, &err);
			if (err)
				return hl_usage_error(ctx, "--seed: %s: '%s'",
						      err, optarg);
			break;
		case 'x':
			o.dirt = hl_strtofrac(optarg, 0, 0.1, &err);
			if (err)
				return hl_usage_error(ctx, "--dirt: %s: '%s'",
						      err, optarg);
			break;
		case 'y':
			if (parse_years(optarg, &o.first_year, &o.last_year))
				return hl_usage_error(
				    ctx,
				    "--years: invalid: '%s' (YYYY or "
				    "YYYY-YYYY within %d-%d)",
				    optarg, HL_SAMPLE_YEAR_MIN,
				    HL_SAMPLE_YEAR_MAX);
			break;
		}
	}
	if (c < 0)
		return rc;

	for (i = 0; i < world.ncalendar; i++)
		if (hl_calyears_load(&cal, world.calendar[i], &cerr) != 0) {
			hl_errorf(ctx, "%s", cerr.data);
			rc = HL_EXIT_FAIL;
			goto done;
		}
	o.calendar = &cal;
	s = hl_sample_new(&o);
	if (hl_sample_run(s, &st) != 0) {
		hl_errorf(ctx, "%s", hl_sample_errmsg(s));
		rc = HL_EXIT_FAIL;
	} else {
		if (!quiet)
			printf("wrote %lu file%s, %lu rows (%lu faults) and "
			       "manifest.json to '%s'\n",
			       st.files, st.files == 1 ? "" : "s", st.rows,
			       st.faults, o.outdir);
		if (!quiet && st.calibrated)
			printf("planted for 荔湾区 2022: %ld tickets, %.2f%% "
			       "closed on time, handling %.2f%% (咨询) and "
			       "%.2f%% (other) faster than 2021, ordinary "
			       "satisfaction mean rank %.2f, key tickets %d "
			       "months running at rank 1\n",
			       st.cal_tickets, st.cal_on_time_pct,
			       st.cal_speedup_pct[0], st.cal_speedup_pct[1],
			       st.cal_mean_rank, st.cal_key_streak);
		rc = HL_EXIT_OK;
	}
	hl_sample_free(s);
done:
	hl_calyears_release(&cal);
	hl_buf_release(&cerr);
	return rc;
}
