/*
 * cmd_demo.c - `hotline demo`: the whole job on the sample data, from
 * nothing to the reports: generate the default data set, ingest it, write
 * the 2022 annual report of 荔湾区 and its December report, and print the
 * comparison with the published figures.  Run again in the same place it
 * regenerates the same bytes, which the ingest skips, and rewrites the
 * reports.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/report_out.h"
#include "ingest/ingest.h"
#include "sample-data/sample.h"
#include "store/store.h"

const struct hl_cmd_usage hl_cmd_demo_usage = {
    "hotline demo [-q] [--out dir]",
    "sample data, ingest and reports in one go",
    "Writes the default sample data set into dir/sample, ingests it into\n"
    "dir/hotline.db, writes the 2022 annual report of 荔湾区 into\n"
    "dir/report-2022 and its December report into dir/report-2022-12,\n"
    "and prints how the computed figures compare with those the district\n"
    "published in its 2022 self-evaluation.\n"
    "\n"
    "Options:\n"
    "      --out dir   where to work (default: demo)\n"
    "  -q, --quiet     print only the comparison\n"
    "\n"
    "Exit status: 0 done and every published figure reproduced, 1\n"
    "otherwise, 2 usage.\n",
};

static int
ingest_sample(struct hl_ctx *ctx, const char *dir, const char *db, int quiet)
{
	static const char *const files[] = {"gz12345-2021.csv",
					    "gz12345-2022.csv"};
	struct hl_ingest_opts o;
	struct hl_ingest_stats st;
	struct hl_store *store = NULL;
	struct hl_ingest *in = NULL;
	struct hl_diag *diag = hl_diag_new(stderr, 20);
	struct hl_buf path = HL_BUF_INIT;
	size_t i;
	int rc = -1;

	memset(&o, 0, sizeof(o));
	if (hl_store_open(db, HL_STORE_WRITE, 0, &store) != 0) {
		hl_errorf(ctx, "%s", hl_store_errmsg(store));
		goto done;
	}
	if (hl_ingest_open(store, &o, diag, &in) != 0) {
		hl_errorf(ctx, "%s", hl_ingest_errmsg(in));
		goto done;
	}
	for (i = 0; i < HL_ARRAY_LEN(files); i++) {
		hl_buf_reset(&path);
		hl_buf_printf(&path, "%s/%s", dir, files[i]);
		if (hl_ingest_file(in, path.data, &st) != 0) {
			hl_errorf(ctx, "%s", hl_ingest_errmsg(in));
			goto done;
		}
		if (quiet)
			continue;
		if (st.skipped_as)
			hl_errorf(ctx, "'%s': already ingested; skipped",
				  path.data);
		else
			hl_errorf(ctx, "'%s': %lu rows: %lu inserted",
				  path.data, st.read, st.inserted);
	}
	rc = 0;
done:
	hl_ingest_free(in);
	hl_store_free(store);
	hl_diag_free(diag);
	hl_buf_release(&path);
	return rc;
}

int
hl_cmd_demo(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"out", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	const struct hl_getopt g = {"hq", longopts, NULL, 0};
	struct hl_sample_opts so;
	struct hl_sample_stats ss;
	struct hl_sample *s = NULL;
	struct hl_settings set;
	struct hl_store *store = NULL;
	struct hl_report_opts ro;
	struct hl_report_result res[2];
	struct hl_buf sample = HL_BUF_INIT, db = HL_BUF_INIT,
		      out[2] = {HL_BUF_INIT, HL_BUF_INIT}, err = HL_BUF_INIT;
	const char *dir = "demo";
	int c, quiet = 0, rc = HL_EXIT_FAIL, k;

	memset(res, 0, sizeof(res));
	hl_settings_init(&set);
	while ((c = hl_next_option(ctx, argc, argv, &g, &rc)) > 0) {
		if (c == 'o')
			dir = optarg;
		else
			quiet = 1;
	}
	if (c < 0)
		goto done;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		hl_errorf(ctx, "cannot create '%s': %s", dir, strerror(errno));
		goto done;
	}
	hl_buf_printf(&sample, "%s/sample", dir);
	hl_buf_printf(&db, "%s/hotline.db", dir);
	hl_sample_opts_init(&so);
	so.outdir = sample.data;
	s = hl_sample_new(&so);
	if (hl_sample_run(s, &ss) != 0) {
		hl_errorf(ctx, "%s", hl_sample_errmsg(s));
		goto done;
	}
	if (!quiet)
		hl_errorf(ctx, "wrote the sample data: %lu rows in '%s'",
			  ss.rows, sample.data);
	if (ingest_sample(ctx, sample.data, db.data, quiet) != 0)
		goto done;
	if (hl_store_open(db.data, HL_STORE_READONLY, 0, &store) != 0) {
		hl_errorf(ctx, "%s", hl_store_errmsg(store));
		goto done;
	}
	for (k = 0; k < 2; k++) {
		memset(&ro, 0, sizeof(ro));
		ro.district = "荔湾区";
		ro.period =
		    k ? hl_period_month(2022, 12, 1) : hl_period_year(2022, 1);
		ro.year = 2022;
		ro.month = k ? 12 : 0;
		ro.zh = 1;
		hl_buf_printf(&out[k],
			      k ? "%s/report-2022-12" : "%s/report-2022", dir);
		ro.out = out[k].data;
		if (hl_report_write(store, &set, &ro, &res[k], &err) != 0) {
			hl_errorf(ctx, "%s", err.data);
			goto done;
		}
		if (!quiet)
			hl_report_notes(ctx, out[k].data, &res[k]);
	}
	hl_print_reproduction(stdout, &res[0]);
	printf("\n荔湾区 2022 annual report: %s/report.html (and report.md)\n"
	       "荔湾区 2022-12 monthly report: %s/report.html\n",
	       out[0].data, out[1].data);
	rc = res[0].reproduction && res[0].mismatches == 0 ? HL_EXIT_OK
							   : HL_EXIT_FAIL;
done:
	for (k = 0; k < 2; k++) {
		hl_report_result_release(&res[k]);
		hl_buf_release(&out[k]);
	}
	hl_sample_free(s);
	hl_store_free(store);
	hl_settings_release(&set);
	hl_buf_release(&sample);
	hl_buf_release(&db);
	hl_buf_release(&err);
	return rc;
}
