/*
 * cmd_export.c - `hotline export`: the tickets behind the figures of a
 * period, one row each, with what the figures decided for it (deadline
 * and its source, on time or late and by how much, how the on-time rate
 * counts it, natural and working hours, quality flags, repeat calls), as
 * CSV, XLSX or JSON (docs/export.md).  Every ticket of the period is
 * counted, also those the filters leave out, and checked against the
 * figures: the late tickets are exactly those the on-time rate counts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/cmd.h"
#include "reports/reports.h"
#include "store/store.h"

const struct hl_cmd_usage hl_cmd_export_usage = {
    "hotline export --db path (--year yyyy | --month yyyy-mm | --period "
    "name | --from yyyy-mm-dd --to yyyy-mm-dd) "
    "[--district name] [--unit name] [--late] [--open] "
    "[--format csv|xlsx|json] [--out file] [--profile file] "
    "[--calendar file] [--region name|file] [--lang zh|en] [--as-of time]",
    "list the tickets behind the figures, one row each",
    "Writes the tickets of a period that the figures of `hotline metrics`\n"
    "count (same options, same settings, same as-of time), one row each,\n"
    "with what the figures decided for it: ticket ID, district, street,\n"
    "unit, category, key flag, acceptance, dispatch and closure times, the\n"
    "deadline used and its source (export, computed or none), the status\n"
    "(on_time, late, no_deadline, open, open_overdue, open_no_deadline),\n"
    "hours late, how the headline on-time rate counts it (on_time, late,\n"
    "pending or left_out), natural and working hours with why they are\n"
    "empty, satisfaction, reopen count, quality flags and the ticket's\n"
    "case of repeat calls.  Columns: docs/export.md.\n"
    "\n"
    "Options:\n"
    "      --as-of time      the moment open tickets are judged at\n"
    "                        (default: the latest time among the tickets)\n"
    "      --calendar file   a working-day calendar year beyond the\n"
    "                        built-in ones (may be given several times)\n"
    "      --db path         the database (required)\n"
    "      --district name   a district; default: the whole city\n"
    "      --format f        csv (default; UTF-8 with BOM, for Excel),\n"
    "                        xlsx (needs --out) or json (an array)\n"
    "      --from day        the period's first day, yyyy-mm-dd (with --to)\n"
    "      --lang l          the header: en (default) or zh\n"
    "      --late            only the tickets the on-time rate counts late\n"
    "      --month yyyy-mm   one month\n"
    "      --open            only the tickets open at the as-of time\n"
    "      --out file        write to file (default: standard output)\n"
    "      --period name     yyyy, yyyy-mm, yyyy-Qn or yyyy-Hn\n"
    "      --profile file    settings (INI), as for metrics\n"
    "      --region r        the city's districts: guangzhou (default),\n"
    "                        beijing, new-york or a region file\n"
    "      --to day          the period's last day, yyyy-mm-dd (included)\n"
    "      --unit name       only the tickets of this handling unit\n"
    "      --year yyyy       the year\n"
    "\n"
    "Filters combine (--late --open: open tickets counted late).  The\n"
    "last line on stderr counts the rows, the late ones and the figure's.\n"
    "\n"
    "Exit status: 0 tickets written, 1 no tickets in the period (or of the\n"
    "unit), a database, profile or write error, or rows that disagree\n"
    "with the figures, 2 usage.\n",
};

/* The run: filters, where rows go, and the counts checked at the end. */
struct run {
	enum hl_export_format fmt;
	const char *path, *unit;
	int zh, late, open;
	FILE *out;
	struct hl_export_out *w;
	long all, all_late, rows, rows_late, of_unit;
	int failed;
	struct hl_buf err;
};

/* Opens the output at the first row (or at the end), so that a run that
 * fails early leaves no file behind.  0, or -1 with r->err. */
static int
start(struct run *r)
{
	if (r->w || r->failed)
		return r->failed ? -1 : 0;
	if (r->fmt != HL_EXPORT_XLSX && r->path &&
	    (r->out = fopen(r->path, "wb")) == NULL) {
		hl_buf_printf(&r->err, "cannot open '%s': %s", r->path,
			      strerror(errno));
		r->failed = 1;
		return -1;
	}
	if (hl_export_out_new(r->fmt, r->out, r->path, r->zh, &r->w, &r->err) !=
	    0) {
		r->failed = 1;
		return -1;
	}
	return 0;
}

static void
each(void *arg, const struct hl_ticket_verdict *v)
{
	struct run *r = arg;
	int late = v->counted == HL_VC_LATE;

	r->all++;
	r->all_late += late;
	if (r->unit && (v->unit == NULL || strcmp(v->unit, r->unit) != 0))
		return;
	r->of_unit++;
	if ((r->late && !late) || (r->open && v->status < HL_VS_OPEN))
		return;
	if (start(r) != 0 || hl_export_out_row(r->w, v, &r->err) != 0) {
		r->failed = 1;
		return;
	}
	r->rows++;
	r->rows_late += late;
}

/* Ends the output (a header alone when no row passed the filters) and
 * closes the file.  0, or -1 with r->err. */
static int
close_out(struct run *r)
{
	int rc = 0;

	if (start(r) != 0 || hl_export_out_finish(r->w, &r->err) != 0)
		rc = -1;
	if (r->out && r->out != stdout) {
		if ((ferror(r->out) | fclose(r->out)) != 0 && rc == 0) {
			hl_buf_printf(&r->err, "cannot write '%s': %s", r->path,
				      strerror(errno));
			rc = -1;
		}
		r->out = NULL;
	}
	return rc;
}

/* What the run ends with: the checks, the output closed, the count. */
static int
finish(const struct hl_ctx *ctx, struct run *r, const struct hl_figures *f)
{
	const struct hl_fig_on_time *ot = hl_fig_on_time(f, &f->f);
	struct hl_buf where = HL_BUF_INIT;
	int rc = HL_EXIT_FAIL;

	/* Where the figures are of: "'荔湾区' in 2022", "the city in 2022". */
	hl_buf_printf(&where, "%s%s%s in %s", f->district ? "'" : "",
		      f->district ? f->district : "the city",
		      f->district ? "'" : "", f->period.label);
	if (hl_figures_require_tickets(f, &r->err) != 0)
		hl_errorf(ctx, "%s", r->err.data);
	else if (r->unit && r->of_unit == 0)
		hl_errorf(ctx, "unit '%s' has no tickets of %s", r->unit,
			  where.data);
	else if (close_out(r) != 0)
		hl_errorf(ctx, "%s", r->err.data);
	else if (r->all != f->f.tickets || r->all_late != ot->late)
		hl_errorf(ctx,
			  "the export disagrees with the figures of %s: %ld "
			  "tickets, %ld late, where the figures count %ld, "
			  "%ld late (a bug: please report it)",
			  where.data, r->all, r->all_late, f->f.tickets,
			  ot->late);
	else
		rc = HL_EXIT_OK;
	if (rc == HL_EXIT_OK && r->rows == r->all)
		fprintf(stderr,
			"hotline: export: exported %ld tickets (late: %ld; "
			"the figure counts %ld)\n",
			r->rows, r->rows_late, ot->late);
	else if (rc == HL_EXIT_OK)
		fprintf(stderr,
			"hotline: export: exported %ld of %ld tickets (late: "
			"%ld; the figure counts %ld)\n",
			r->rows, r->all, r->rows_late, ot->late);
	hl_buf_release(&where);
	return rc;
}

int
hl_cmd_export(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    HL_SCOPE_OPTIONS,
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"late", no_argument, NULL, 'L'},
	    {"open", no_argument, NULL, 'O'},
	    {"out", required_argument, NULL, 'o'},
	    {"unit", required_argument, NULL, 'U'},
	    {NULL, 0, NULL, 0},
	};
	struct hl_scope_opts so;
	const struct hl_getopt g = {"h", longopts, &so, 0};
	struct hl_settings set;
	struct hl_query q;
	struct hl_store *store = NULL;
	struct hl_metrics *m = NULL;
	struct hl_figures *f = NULL;
	struct run r;
	int c, rc = HL_EXIT_FAIL;

	memset(&q, 0, sizeof(q));
	memset(&r, 0, sizeof(r));
	hl_buf_init(&r.err);
	r.out = stdout;
	hl_scope_init(&so);
	so.zh = 0; /* the header is English unless --lang zh */
	hl_settings_init(&set);
	while ((c = hl_next_option(ctx, argc, argv, &g, &rc)) > 0) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				r.fmt = HL_EXPORT_CSV;
			else if (strcmp(optarg, "xlsx") == 0)
				r.fmt = HL_EXPORT_XLSX;
			else if (strcmp(optarg, "json") == 0)
				r.fmt = HL_EXPORT_JSON;
			else {
				rc = hl_usage_error(
				    ctx,
				    "--format: '%s' is not csv, xlsx or json",
				    optarg);
				goto done;
			}
			break;
		case 'L':
			r.late = 1;
			break;
		case 'O':
			r.open = 1;
			break;
		case 'o':
			r.path = optarg;
			break;
		case 'U':
			r.unit = optarg;
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
	if (r.fmt == HL_EXPORT_XLSX && r.path == NULL) {
		rc = hl_usage_error(ctx, "--format xlsx needs --out file");
		goto done;
	}
	r.zh = so.zh;
	q.district = so.district;
	q.as_of = so.as_of;
	q.each = each;
	q.each_arg = &r;
	if (hl_scope_open(ctx, &so, &set, &store) != HL_EXIT_OK)
		goto done;
	if (hl_metrics_open(store, &set, &m) != 0 ||
	    (f = hl_metrics_compute(m, &q)) == NULL) {
		hl_errorf(ctx, "%s", hl_metrics_errmsg(m));
		goto done;
	}
	if (r.failed) {
		hl_errorf(ctx, "%s", r.err.data);
		goto done;
	}
	rc = finish(ctx, &r, f);
done:
	hl_export_out_free(r.w);
	if (r.out && r.out != stdout)
		fclose(r.out);
	/* A failed run leaves no file that looks complete. */
	if (rc != HL_EXIT_OK && r.path && r.w)
		remove(r.path);
	hl_buf_release(&r.err);
	hl_figures_free(f);
	hl_metrics_free(m);
	hl_store_free(store);
	hl_settings_release(&set);
	return rc;
}
