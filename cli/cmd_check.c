/*
 * cmd_check.c - `hotline check`: is a database whole?  SQLite's
 * integrity check, then hotline's own: every id a row refers to exists,
 * and the rollups equal a recount of the tickets.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cmd.h"
#include "store/store.h"

const struct hl_cmd_usage hl_cmd_check_usage = {
    "hotline check --db path",
    "check a database: SQLite's integrity check and hotline's own",
    "Reads the whole database and reports every problem on a line of its\n"
    "own: pages SQLite finds damaged (PRAGMA integrity_check), rows that\n"
    "refer to a dictionary entry or a run that does not exist, and rollup\n"
    "rows (sat_day, hand_day) that differ from a recount of the\n"
    "tickets.  Nothing is written.  A damaged database is best restored\n"
    "from a backup and the exports ingested again.\n"
    "\n"
    "Options:\n"
    "      --db path         the database (required)\n"
    "\n"
    "Exit status: 0 no problem, 1 a problem found or the database cannot\n"
    "be read, 2 usage.\n",
};

struct seen {
	const char *db;
	long n;
};

static void
on_problem(void *arg, const char *kind, const char *detail)
{
	struct seen *s = arg;

	s->n++;
	printf("%s: %s: %s\n", s->db, kind, detail);
}

int
hl_cmd_check(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct hl_store *st = NULL;
	struct seen s = {NULL, 0};
	long n;
	int c, rc = HL_EXIT_FAIL;

	const struct hl_getopt g = {"h", longopts, NULL, 0};

	while ((c = hl_next_option(ctx, argc, argv, &g, &rc)) > 0)
		s.db = optarg; /* --db, the only option */
	if (c < 0)
		return rc;
	if (s.db == NULL)
		return hl_usage_error(ctx, "--db is required");
	if (hl_store_open(s.db, HL_STORE_READONLY, 0, &st) != 0) {
		hl_errorf(ctx, "%s", hl_store_errmsg(st));
		goto done;
	}
	if ((n = hl_store_check(st, on_problem, &s)) < 0) {
		hl_errorf(ctx, "%s", hl_store_errmsg(st));
		goto done;
	}
	if (n == 0) {
		hl_errorf(ctx, "'%s': ok", s.db);
		rc = HL_EXIT_OK;
	} else {
		hl_errorf(ctx, "'%s': %ld problem%s", s.db, n,
			  n == 1 ? "" : "s");
	}
done:
	hl_store_free(st);
	return rc;
}
