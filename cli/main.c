/*
 * main.c - the dispatcher: global options, the command table, the search
 * for a command the user probably meant, and the check that standard
 * output was written completely.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

#ifndef HL_VERSION
#error "HL_VERSION must be defined by the build (PROJECT_VERSION)"
#endif

/* Only the synopsis: `hotline help` writes the rest around the table. */
const struct hl_cmd_usage hl_main_usage = {
    "hotline [-hV] command [arg ...]",
    NULL,
    NULL,
};

/* Sorted by name; hl_cmd_lookup() relies on it. */
static const struct hl_cmd hl_cmds[] = {
    {"check", hl_cmd_check, &hl_cmd_check_usage, HL_CMD_NONE},
    {"copy", hl_cmd_copy, &hl_cmd_copy_usage, HL_CMD_NONE},
    {"demo", hl_cmd_demo, &hl_cmd_demo_usage, HL_CMD_NONE},
    {"export", hl_cmd_export, &hl_cmd_export_usage, HL_CMD_NONE},
    {"help", hl_cmd_help, &hl_cmd_help_usage, HL_CMD_NONE},
    {"ingest", hl_cmd_ingest, &hl_cmd_ingest_usage, HL_CMD_NONE},
    {"inspect", hl_cmd_inspect, &hl_cmd_inspect_usage, HL_CMD_NONE},
    {"metrics", hl_cmd_metrics, &hl_cmd_metrics_usage, HL_CMD_NONE},
    {"report", hl_cmd_report, &hl_cmd_report_usage, HL_CMD_NONE},
    {"sample", hl_cmd_sample, &hl_cmd_sample_usage, HL_CMD_NONE},
};

const struct hl_cmd *
hl_cmd_table(size_t *n)
{
	*n = HL_ARRAY_LEN(hl_cmds);
	return hl_cmds;
}

static int
cmd_compare(const void *key, const void *elem)
{
	return strcmp(key, ((const struct hl_cmd *)elem)->name);
}

const struct hl_cmd *
hl_cmd_lookup(const char *name)
{
	return bsearch(name, hl_cmds, HL_ARRAY_LEN(hl_cmds), sizeof(hl_cmds[0]),
		       cmd_compare);
}

/*
 * Weighted Damerau-Levenshtein distance (optimal string alignment) from a
 * to b, with git's weights: swapping two neighbours is free, inserting a
 * character costs 1, substituting 2 and deleting 3.  Typing too little is
 * cheap and typing something else is dear, so "smaple" and "sampl" both
 * land near "sample".
 */
static int
distance(const char *a, const char *b)
{
	enum { SWAP = 0, SUBST = 2, INSERT = 1, DELETE = 3 };
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *row0 = hl_xmalloc((lb + 1) * sizeof(int));
	int *row1 = hl_xmalloc((lb + 1) * sizeof(int));
	int *row2 = hl_xmalloc((lb + 1) * sizeof(int));
	int *tmp, d;

	for (j = 0; j <= lb; j++)
		row1[j] = (int)j * INSERT;
	for (i = 0; i < la; i++) {
		row2[0] = (int)(i + 1) * DELETE;
		for (j = 0; j < lb; j++) {
			d = row1[j] + SUBST * (a[i] != b[j]);
			if (i > 0 && j > 0 && a[i - 1] == b[j] &&
			    a[i] == b[j - 1] && d > row0[j - 1] + SWAP)
				d = row0[j - 1] + SWAP;
			if (d > row1[j + 1] + DELETE)
				d = row1[j + 1] + DELETE;
			if (d > row2[j] + INSERT)
				d = row2[j] + INSERT;
			row2[j + 1] = d;
		}
		tmp = row0;
		row0 = row1;
		row1 = row2;
		row2 = tmp;
	}
	d = row1[lb];
	free(row0);
	free(row1);
	free(row2);
	return d;
}

int
hl_unknown_command(const char *name)
{
	/* git's threshold: a score of 7 or more is no longer a typo. */
	enum { FLOOR = 7 };
	int score[HL_ARRAY_LEN(hl_cmds)], best = FLOOR;
	size_t i, nbest = 0, k = 0;

	for (i = 0; i < HL_ARRAY_LEN(hl_cmds); i++) {
		/*
		 * A prefix of a name scores 0 and beats every edit, which
		 * scores at least 1; abbreviations are still refused, only
		 * suggested.
		 */
		if (name[0] != '\0' &&
		    strncmp(hl_cmds[i].name, name, strlen(name)) == 0)
			score[i] = 0;
		else
			score[i] = distance(name, hl_cmds[i].name) + 1;
		if (score[i] < best) {
			best = score[i];
			nbest = 0;
		}
		nbest += score[i] == best;
	}
	fprintf(stderr, "hotline: '%s' is not a hotline command.", name);
	if (nbest == 0 || name[0] == '\0') {
		fputs(" See 'hotline help'.\n", stderr);
		return HL_EXIT_USAGE;
	}
	fputs(" Did you mean ", stderr);
	for (i = 0; i < HL_ARRAY_LEN(hl_cmds); i++) {
		if (score[i] != best)
			continue;
		k++;
		if (k > 1)
			fputs(k == nbest ? " or " : ", ", stderr);
		fprintf(stderr, "'%s'", hl_cmds[i].name);
	}
	fputs("?\n", stderr);
	return HL_EXIT_USAGE;
}

/*
 * Flushes and closes stdout, as git's run_builtin() does, so that a full
 * disk or a closed descriptor becomes exit status 1 instead of silently
 * lost output.  Closing an already closed stdout with nothing pending is not an
 * error (coreutils' close_stdout).
 */
static int
close_stdout(int rc)
{
	int err = 0;

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		err = errno != 0 ? errno : EIO;
	if (fclose(stdout) != 0 && err == 0 && errno != EBADF)
		err = errno != 0 ? errno : EIO;
	if (err != 0) {
		fprintf(stderr, "hotline: write error on standard output: %s\n",
			strerror(err));
		return HL_EXIT_FAIL;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	static const char optstring[] = "+hV";
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct hl_ctx ctx = {NULL};
	int c, rc;

	/*
	 * A file size limit (ulimit -f) must give a write error SQLite can
	 * report and roll back from, not kill the process half-way.
	 */
	signal(SIGXFSZ, SIG_IGN);
	/* Every command reports bad options itself, with hl_option_error(). */
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			rc = hl_help_overview();
			goto done;
		case 'V':
			printf("hotline %s\n", HL_VERSION);
			rc = HL_EXIT_OK;
			goto done;
		default:
			rc = hl_option_error(NULL, argv, optstring, longopts);
			goto done;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		rc = hl_usage_error(NULL, "missing command");
		goto done;
	}
	ctx.cmd = hl_cmd_lookup(argv[0]);
	if (ctx.cmd == NULL) {
		rc = hl_unknown_command(argv[0]);
		goto done;
	}
	/* 0, not 1: glibc leaves the "+" mode of the loop above only then. */
	optind = 0;
	rc = ctx.cmd->fn(argc, argv, &ctx);
done:
	return close_stdout(rc);
}
