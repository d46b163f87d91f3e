/*
 * cmd_ingest.c - `hotline ingest`: read work-order exports into the
 * database, one transaction per file, reporting every rejected or flagged
 * row as file:line:col.
 */
#define _GNU_SOURCE /* SCHED_BATCH */

#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/progress.h"
#include "ingest/ingest.h"
#include "store/store.h"

const struct hl_cmd_usage hl_cmd_ingest_usage = {
    "hotline ingest [-q] --db path [--bulk] [--encoding enc] [--force] "
    "[--mapping file] [--max-errors n] [--region name|file] "
    "[--sheet name|n] file ...",
    "read work-order exports (CSV, .xlsx, .xls) into the database",
    "Reads each file (- for standard input) into the SQLite database at\n"
    "path, creating it if needed.  A file is CSV or an Excel workbook\n"
    "(.xlsx, .xls: its first sheet with a table, or --sheet's), told by\n"
    "its content.\n"
    "Tickets are upserted by ticket ID: the same file twice changes\n"
    "nothing, a later export updates the tickets it changed.  Each file is\n"
    "read in one transaction: stored whole or not at all; a file that\n"
    "fails stops the files after it, named with the command that resumes\n"
    "in order.  A file with the same SHA-256 as one already ingested is\n"
    "skipped, so a nightly job can run again safely; --force reads it.\n"
    "\n"
    "A row that cannot be read as a ticket (wrong field count, bad quoting,\n"
    "invalid bytes, an impossible date, an empty ID, an ID repeated with\n"
    "different data) is reported as 'file:line:col: error: ...' and kept in\n"
    "the reject table with its raw bytes; an implausible one (closed before\n"
    "accepted, unknown category, ...) is stored with a data-quality flag and\n"
    "a warning.  A district spelling the region does not know is warned\n"
    "of once per file, with its count.  At most 20 messages of a kind are\n"
    "printed a file.  On a terminal a progress line shows the share read.\n"
    "\n"
    "Options:\n"
    "      --db path         the database (required)\n"
    "      --bulk            load with a rollback journal even into a\n"
    "                        database holding tickets: faster for a large\n"
    "                        backfill, but readers wait until it commits\n"
    "                        (a database without tickets always loads so)\n"
    "      --encoding enc    auto (default: BOM, else UTF-8, else GB18030),\n"
    "                        utf-8 or gb18030\n"
    "      --force           read files even when already ingested\n"
    "      --mapping file    an INI file mapping headers and values (see\n"
    "                        README); the built-in aliases apply otherwise\n"
    "      --max-errors n    give up on a file after n rejected rows; the\n"
    "                        file is then not stored at all (default 0:\n"
    "                        never give up)\n"
    "      --region r        the city's districts the district cells are\n"
    "                        checked against: guangzhou (default), beijing,\n"
    "                        new-york or a region file (regions/README.md)\n"
    "      --sheet s         the sheet of a workbook to read, by name or\n"
    "                        number from 1 (default: the first with a table)\n"
    "  -q, --quiet           no summary lines, no progress line\n"
    "\n"
    "SIGINT or SIGTERM rolls back the file being read, names it and the\n"
    "files not read, and exits 130 or 143.\n"
    "\n"
    "Exit status: 0 every row stored, 1 a row was rejected or a file could\n"
    "not be ingested, 2 usage, 130/143 stopped by SIGINT/SIGTERM.\n",
};

/* ", N older not applied" when there are any, else "".  Static. */
static const char *
older_note(const struct hl_ingest_stats *st)
{
	static char buf[64];

	if (st->older == 0)
		return "";
	snprintf(buf, sizeof(buf), ", %lu older not applied", st->older);
	return buf;
}

/*
 * After argv[i] failed: the files after it are not read, so that a later
 * export never lands before an earlier one (which a rerun would then
 * write over it); says so, and how to resume in order.
 */
static void
not_read(const struct hl_ctx *ctx, const char *db, char **argv, int i, int argc)
{
	struct hl_buf b = HL_BUF_INIT;
	int k;

	if (i + 1 >= argc)
		return;
	for (k = i + 1; k < argc; k++)
		hl_buf_printf(&b, "%s'%s'", k > i + 1 ? ", " : "", argv[k]);
	hl_errorf(ctx,
		  "not ingested, to keep the files in order: %s; resume with "
		  "the failed file first:",
		  b.data);
	hl_buf_reset(&b);
	hl_add_shell_word(&b, db);
	for (k = i; k < argc; k++)
		hl_add_shell_word(&b, argv[k]);
	fprintf(stderr, "  hotline ingest --db%s\n", b.data);
	hl_buf_release(&b);
}

/* The signal that asks the ingest to stop (SIGINT or SIGTERM), or 0. */
static volatile sig_atomic_t stop_sig;

static void
on_stop(int sig)
{
	stop_sig = sig;
}

static void
on_progress(void *arg, const struct hl_ingest_progress *p)
{
	hl_progress_draw(arg, p->file, p->offset, p->size, p->rows);
}

int
hl_cmd_ingest(int argc, char **argv, struct hl_ctx *ctx)
{
	static const struct option longopts[] = {
	    {"bulk", no_argument, NULL, 'b'},
	    {"db", required_argument, NULL, 'd'},
	    {"encoding", required_argument, NULL, 'e'},
	    {"force", no_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"mapping", required_argument, NULL, 'm'},
	    {"sheet", required_argument, NULL, 's'},
	    {"max-errors", required_argument, NULL, 'x'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"region", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	const struct hl_getopt g = {"hq", longopts, NULL, 1};
	struct hl_ingest_opts o;
	struct hl_ingest_stats st, total;
	struct hl_store *store = NULL;
	struct hl_ingest *in = NULL;
	struct hl_diag *diag = NULL;
	struct hl_progress pr;
	struct hl_region *region = NULL;
	struct hl_buf rerr = HL_BUF_INIT;
	const char *db = NULL, *err, *region_spec = NULL;
	int c, quiet = 0, rc = HL_EXIT_OK, i, ok, failed = 0, skipped = 0;

	memset(&o, 0, sizeof(o));
	memset(&total, 0, sizeof(total));
	while ((c = hl_next_option(ctx, argc, argv, &g, &rc)) > 0) {
		switch (c) {
		case 'b':
			o.bulk = 1;
			break;
		case 'd':
			db = optarg;
			break;
		case 'e':
			if (!hl_ingest_encoding_known(optarg))
				return hl_usage_error(
				    ctx,
				    "--encoding: unknown encoding '%s' (%s)",
				    optarg, HL_INGEST_ENCODINGS);
			o.encoding = optarg;
			break;
		case 'f':
			o.force = 1;
			break;
		case 'm':
			o.mapping = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 's':
			o.sheet = optarg;
			break;
		case 'r':
			region_spec = optarg;
			break;
		case 'x':
			o.max_errors = (unsigned long)hl_strtonum(
			    optarg, 0, 1000000000, &err);
			if (err)
				return hl_usage_error(
				    ctx, "--max-errors: %s: '%s'", err, optarg);
			break;
		}
	}
	if (c < 0)
		return rc;
	if (db == NULL)
		return hl_usage_error(ctx, "--db is required");
	if (optind >= argc)
		return hl_usage_error(ctx, "no file to ingest");
	/*
	 * A batch job: its threads (reading, parsing, writing: ingest.h)
	 * hand rows to each other thousands of times a second, and as
	 * SCHED_BATCH a woken one does not preempt the one at work, which
	 * on 2 cores made a workbook's load 3-4 % faster.  It still gets its
	 * fair share of the CPU.  Refused or not, nothing else changes.
	 */
	sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){0});

	if (hl_region_load(region_spec, &region, &rerr) != 0) {
		hl_errorf(ctx, "%s", rerr.data);
		rc = HL_EXIT_FAIL;
		goto done;
	}
	o.region = region;
	if (hl_store_open(db, HL_STORE_WRITE | HL_STORE_VERIFY, 0, &store) !=
	    0) {
		hl_errorf(ctx, "%s", hl_store_errmsg(store));
		rc = HL_EXIT_FAIL;
		goto done;
	}
	diag = hl_diag_new(stderr, 20);
	hl_progress_init(&pr, stderr, !quiet);
	hl_diag_set_hook(diag, hl_progress_clear, &pr);
	o.progress = on_progress;
	o.progress_arg = &pr;
	o.stop = &stop_sig;
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_stop;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (hl_ingest_open(store, &o, diag, &in) != 0) {
		hl_errorf(ctx, "%s", hl_ingest_errmsg(in));
		rc = HL_EXIT_FAIL;
		goto done;
	}
	for (i = optind; i < argc; i++) {
		if (stop_sig) {
			hl_errorf(ctx, "stopped by %s before '%s'",
				  stop_sig == SIGINT ? "SIGINT" : "SIGTERM",
				  argv[i]);
			not_read(ctx, db, argv, i - 1, argc);
			break;
		}
		hl_progress_start(&pr);
		ok = hl_ingest_file(in, argv[i], &st) == 0;
		hl_progress_clear(&pr);
		if (!ok) {
			hl_diag_flush(diag);
			hl_errorf(ctx, "%s", hl_ingest_errmsg(in));
			failed++;
			not_read(ctx, db, argv, i, argc);
			break;
		}
		hl_diag_flush(diag);
		if (st.skipped_as > 0) {
			if (!quiet)
				hl_errorf(
				    ctx,
				    "'%s': already ingested by run %lld (same "
				    "SHA-256); skipped, --force reads it again",
				    argv[i], st.skipped_as);
			skipped++;
			continue;
		}
		total.read += st.read;
		total.inserted += st.inserted;
		total.updated += st.updated;
		total.unchanged += st.unchanged;
		total.rejected += st.rejected;
		total.flagged += st.flagged;
		total.older += st.older;
		if (!quiet)
			hl_errorf(
			    ctx,
			    "'%s': %lu rows: %lu inserted, %lu updated, %lu "
			    "unchanged, %lu rejected, %lu flagged%s",
			    strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i],
			    st.read, st.inserted, st.updated, st.unchanged,
			    st.rejected, st.flagged, older_note(&st));
	}
	if (!quiet && argc - optind > 1)
		hl_errorf(
		    ctx,
		    "%d files, %d skipped, %d failed, %d not read; %lu rows: "
		    "%lu inserted, "
		    "%lu updated, %lu unchanged, %lu rejected, %lu flagged%s",
		    argc - optind, skipped, failed, argc - i - (i < argc),
		    total.read, total.inserted, total.updated, total.unchanged,
		    total.rejected, total.flagged, older_note(&total));
	if (failed || total.rejected)
		rc = HL_EXIT_FAIL;
	if (stop_sig)
		rc = 128 + stop_sig;
done:
	hl_ingest_free(in);
	hl_diag_free(diag);
	hl_store_free(store);
	hl_region_free(region);
	hl_buf_release(&rerr);
	return rc;
}
