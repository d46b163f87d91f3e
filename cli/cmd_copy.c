/*
 * cmd_copy.c - `hotline copy`: a database moved into another store, an
 * SQLite file into a city's PostgreSQL or back, and checked by comparing
 * the figures of every year it holds.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "reports/reports.h"
#include "store/store.h"

const struct hl_cmd_usage hl_cmd_copy_usage = {
    "hotline copy --from db --to db",
    "copy a database into another, SQLite or PostgreSQL, and check it",
    "Copies every ticket, ingest run, reject, name and rollup of --from into\n"
    "--to, which must hold no ticket (a new SQLite file, or an empty\n"
    "PostgreSQL database: the schema is made), ids kept, in one\n"
    "transaction: moving a bureau's SQLite file to a city's shared\n"
    "server is one command, and so is taking a copy back.  Each --db is a\n"
    "file's path or a postgresql:// URI.  Then the city's figures of every\n"
    "year held are computed from both, under the default settings, and\n"
    "compared byte for byte.\n"
    "\n"
    "Options:\n"
    "      --from db         the database copied (read only)\n"
    "      --to db           where it goes (must hold no ticket)\n"
    "\n"
    "Exit status: 0 copied and the figures the same, 1 a failure or a\n"
    "difference (named), 2 usage.\n",
};

/* The city's figures of year on st, as the JSON `metrics` prints; NULL
 * with the error said. */
static char *
figures(struct hl_ctx *ctx, struct hl_store *st, int year)
{
	struct hl_settings set;
	struct hl_metrics *m = NULL;
	struct hl_figures *f = NULL;
	struct hl_query q;
	char *out = NULL;

	memset(&q, 0, sizeof(q));
	q.period = hl_period_year(year, 1);
	hl_settings_init(&set);
	if (hl_metrics_open(st, &set, &m) != 0 ||
	    (f = hl_metrics_compute(m, &q)) == NULL) {
		hl_errorf(ctx, "%s", hl_metrics_errmsg(m));
	} else {
		json_t *j = hl_figures_json(f);

		out = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
		json_decref(j);
	}
	hl_figures_free(f);
	hl_metrics_free(m);
	hl_settings_release(&set);
	return out;
}

int
hl_cmd_copy(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    {"from", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"to", required_argument, NULL, 't'},
	    {NULL, 0, NULL, 0},
	};
	const struct hl_getopt g = {"h", longopts, NULL, 0};
	struct hl_store *src = NULL, *dst = NULL;
	const char *from = NULL, *to = NULL;
	long long n = 0;
	int c, rc = HL_EXIT_FAIL, first, last, y;

	while ((c = hl_next_option(ctx, argc, argv, &g, &rc)) > 0) {
		if (c == 'f')
			from = optarg;
		else
			to = optarg;
	}
	if (c < 0)
		return rc;
	if (from == NULL || to == NULL)
		return hl_usage_error(ctx, "--from and --to are required");
	rc = HL_EXIT_FAIL;
	if (hl_store_open(from, HL_STORE_READONLY, 0, &src) != 0) {
		hl_errorf(ctx, "%s", hl_store_errmsg(src));
		goto done;
	}
	if (hl_store_open(to, HL_STORE_WRITE, 0, &dst) != 0 ||
	    hl_store_copy(src, dst, &n, &first, &last) != 0) {
		hl_errorf(ctx, "%s", hl_store_errmsg(dst));
		goto done;
	}
	hl_errorf(ctx,
		  "copied %lld tickets with their runs, rejects, names "
		  "and rollups",
		  n);
	for (y = first; y && y <= last; y++) {
		char *a = figures(ctx, src, y), *b = figures(ctx, dst, y);
		int same = a && b && strcmp(a, b) == 0;

		if (a && b)
			hl_errorf(ctx, "%d: the city's figures %s", y,
				  same ? "are the same in both"
				       : "DIFFER between the two databases");
		free(a);
		free(b);
		if (!same)
			goto done;
	}
	rc = HL_EXIT_OK;
done:
	hl_store_free(src);
	hl_store_free(dst);
	return rc;
}
