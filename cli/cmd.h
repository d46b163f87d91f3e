/*
 * cmd.h - the subcommand table's contract.
 *
 * Adding a new subcommand:
 *
 *  1. Write cli/cmd_<name>.c with a header comment saying what it does, an
 *     `int hl_cmd_<name>(int argc, char **argv, struct hl_ctx *ctx)` and its
 *     `const struct hl_cmd_usage hl_cmd_<name>_usage` (synopsis in man-page
 *     form, one-line summary, option help) beside it.
 *  2. Declare hl_cmd_<name> and hl_cmd_<name>_usage below.
 *  3. Add { "name", hl_cmd_<name>, &hl_cmd_<name>_usage, flags } to hl_cmds[]
 *     in cli/main.c, keeping the table sorted by name.
 *  4. Add the file to cli/CMakeLists.txt.
 *  5. Add golden tests under tests/cli/<name>-*: --help, one misuse, and the
 *     normal run, then register them in tests/CMakeLists.txt.
 *
 * A subcommand parses its own options with getopt_long after the dispatcher
 * set optind = 0 (glibc needs 0, not 1, to leave the "+" mode main used).
 * argv[0] is the subcommand name.  The dispatcher also sets opterr = 0, so
 * getopt prints nothing: the '?' case should `return hl_option_error(ctx,
 * argv, optstring, longopts)`, which names the offending option.  The
 * subcommand returns the exit status: 0 success, 1 ran with errors, 2 usage
 * error (use hl_usage_error()).  After it returns, the dispatcher checks that
 * standard output was written completely.
 */
#ifndef HL_CLI_CMD_H
#define HL_CLI_CMD_H

#include <getopt.h>
#include <stdio.h>

#include "analysis/analysis.h"
#include "util/util.h"

/* Exit statuses, documented in `hotline help`. */
enum { HL_EXIT_OK = 0, HL_EXIT_FAIL = 1, HL_EXIT_USAGE = 2 };

/* Flags of a command table entry. */
#define HL_CMD_NONE 0u

struct hl_cmd;

struct hl_ctx {
	const struct hl_cmd *cmd; /* the entry being run */
};

typedef int hl_cmd_fn(int argc, char **argv, struct hl_ctx *ctx);

/* Usage text, defined in the subcommand's own file (rule: usage lives
 * with the command). */
struct hl_cmd_usage {
	const char *synopsis; /* "hotline sample [-q] [--out dir] ...";
			       * man-page form, wrapped when printed */
	const char *summary;  /* one line for `hotline help` */
	const char *help;     /* the rest of --help: options and details */
};

struct hl_cmd {
	const char *name;                 /* exact name; no abbreviations */
	hl_cmd_fn *fn;                    /* the implementation */
	const struct hl_cmd_usage *usage; /* from cmd_<name>.c */
	unsigned flags;                   /* HL_CMD_* */
};

/*
 * Prints "hotline: <cmd>: message" (printf-style, no trailing newline) to
 * stderr, then the command's synopsis and the "Try 'hotline CMD --help'."
 * hint.  Returns HL_EXIT_USAGE so callers can `return hl_usage_error(...)`.
 * With a NULL ctx (or ctx->cmd) the message is about hotline itself:
 * "hotline: message", the main synopsis and "Try 'hotline help'.".
 */
int hl_usage_error(const struct hl_ctx *ctx, const char *fmt, ...)
    HL_PRINTF(2, 3);
/*
 * The usage error for getopt_long's '?' (opterr is 0, so getopt printed
 * nothing): "unknown option '--x'", "option '--x' requires an argument" or
 * "option '--x' takes no argument", worked out from optopt and argv[optind
 * - 1].  optstring and longopts are the ones given to getopt_long: getopt
 * reports a short option that lacks its argument and an unknown one alike,
 * and a long option's val alike with a short option.  Call it straight
 * after getopt_long returned '?'.  Returns HL_EXIT_USAGE.
 */
int hl_option_error(const struct hl_ctx *ctx, char **argv,
		    const char *optstring, const struct option *longopts);
/*
 * Prints the full --help text of ctx->cmd to stdout: "usage: <synopsis>", a
 * blank line, then the help text.  Returns HL_EXIT_OK.
 */
int hl_print_help(const struct hl_ctx *ctx);
/*
 * "hotline: <cmd>: message" on stderr, as for errors not tied to a file;
 * "hotline: message" with a NULL ctx (or ctx->cmd).
 */
void hl_errorf(const struct hl_ctx *ctx, const char *fmt, ...) HL_PRINTF(2, 3);

/*
 * Writes "usage: " and the synopsis to out, wrapped at 80 columns.  The
 * synopsis's own line breaks and indentation are not kept: it is cut only
 * between bracketed groups, and continuation lines are indented to its
 * first option, as in man pages.  So a command may write its synopsis on
 * one line and it still lines up after "usage: ".
 */
void hl_put_usage(FILE *out, const char *synopsis);

/* The synopsis of hotline itself, for the top-level usage and help. */
extern const struct hl_cmd_usage hl_main_usage;

/*
 * The command table of cli/main.c, sorted by name.  Returns its first entry
 * (static storage) and sets *n (OUT) to the number of entries.
 */
const struct hl_cmd *hl_cmd_table(size_t *n);
/* The entry named exactly name (no abbreviations), or NULL. */
const struct hl_cmd *hl_cmd_lookup(const char *name);
/*
 * Prints "hotline: 'name' is not a hotline command." with either the
 * closest command names ("Did you mean 'sample'?") or, when none is close,
 * "See 'hotline help'.", to stderr.  Returns HL_EXIT_USAGE.
 */
int hl_unknown_command(const char *name);
/*
 * Prints the overview of `hotline help` (synopsis, commands, global
 * options, exit statuses) to stdout.  Returns HL_EXIT_OK.
 */
int hl_help_overview(void);

/*
 * The data the figures rest on beside a profile, as metrics and report
 * take it: --calendar files (in order given) and --region.
 */
#define HL_MAX_CALENDARS 16
struct hl_world_opts {
	const char *calendar[HL_MAX_CALENDARS];
	size_t ncalendar;
	const char *region; /* NULL: the profile's, else guangzhou */
};

/* Takes one --calendar operand; a usage error past HL_MAX_CALENDARS. */
int hl_world_calendar(const struct hl_ctx *ctx, struct hl_world_opts *w,
		      const char *path);
/*
 * Reads profile (NULL: none) into set, then w's calendar files, then
 * w's region over the profile's.  Returns HL_EXIT_OK, or prints the error
 * and returns HL_EXIT_FAIL.
 */
int hl_world_settings(const struct hl_ctx *ctx, struct hl_settings *set,
		      const char *profile, const struct hl_world_opts *w);

/*
 * The options metrics and report share: where the figures come from and
 * what they cover.  HL_SCOPE_OPTIONS goes into a command's struct option
 * table; hl_scope_option() takes what getopt_long returns for one of
 * them.  Each command checks the combination it needs afterwards.
 */
struct hl_scope_opts {
	const char *db, *profile, *district;
	struct hl_world_opts world;
	int year;              /* --year, or 0 */
	int month_year;        /* --month's year, or 0 */
	int month;             /* --month's month, or 0 */
	const char *month_arg; /* --month as given */
	const char *period;    /* --period as given, or NULL */
	int64_t from, to;      /* --from, --to: day numbers, or -1 */
	hl_time as_of;         /* --as-of, or 0 */
	int zh;                /* --lang: 1 zh (default), 0 en */
};

#define HL_SCOPE_OPT_REGION (256 + 'R')
#define HL_SCOPE_OPT_FROM (256 + 'F')
#define HL_SCOPE_OPT_TO (256 + 'T')
#define HL_SCOPE_OPT_PERIOD (256 + 'P')
#define HL_SCOPE_OPTIONS                                                       \
	{"as-of", required_argument, NULL, 'a'},                               \
	    {"calendar", required_argument, NULL, 'c'},                        \
	    {"db", required_argument, NULL, 'd'},                              \
	    {"district", required_argument, NULL, 'D'},                        \
	    {"from", required_argument, NULL, HL_SCOPE_OPT_FROM},              \
	    {"lang", required_argument, NULL, 'l'},                            \
	    {"month", required_argument, NULL, 'm'},                           \
	    {"period", required_argument, NULL, HL_SCOPE_OPT_PERIOD},          \
	    {"profile", required_argument, NULL, 'p'},                         \
	    {"region", required_argument, NULL, HL_SCOPE_OPT_REGION},          \
	    {"to", required_argument, NULL, HL_SCOPE_OPT_TO},                  \
	{                                                                      \
		"year", required_argument, NULL, 'y'                           \
	}

void hl_scope_init(struct hl_scope_opts *o);
/*
 * Takes option c with its argument arg into o.  Returns HL_EXIT_OK, the
 * status of the usage error it printed, or -1 when c is none of
 * HL_SCOPE_OPTIONS.
 */
int hl_scope_option(const struct hl_ctx *ctx, int c, const char *arg,
		    struct hl_scope_opts *o);
/*
 * The period o names (--year, --month, --period, --from and --to) into
 * *p (OUT), in calendar months (hl_metrics_compute() moves them to the
 * settings' month start).  Returns HL_EXIT_OK, 1 when o names none, or
 * the status of the usage error it printed for a combination that
 * contradicts itself.
 */
int hl_scope_period(const struct hl_ctx *ctx, const struct hl_scope_opts *o,
		    struct hl_period *p);

/*
 * Reads o's settings into set (hl_world_settings()) and opens o->db for
 * reading into *store (OUT), with a note when it is opened read-only.
 * Returns HL_EXIT_OK, or prints the error and returns HL_EXIT_FAIL.
 */
int hl_scope_open(const struct hl_ctx *ctx, const struct hl_scope_opts *o,
		  struct hl_settings *set, struct hl_store **store);

/*
 * Appends " w" to b, quoted for a POSIX shell when w needs it, so that a
 * command printed for the user to run again can be pasted as it is.
 */
void hl_add_shell_word(struct hl_buf *b, const char *w);

/* How a command reads its options (hl_next_option()). */
struct hl_getopt {
	const char *optstring;         /* with 'h' */
	const struct option *longopts; /* with "help" */
	struct hl_scope_opts *scope;   /* takes HL_SCOPE_OPTIONS; NULL: no */
	int operands;                  /* takes operands (after the options) */
};

/*
 * The next option of the command line that the command handles itself
 * (> 0: the option's character, optarg its argument), or 0 at the end of
 * the options.  --help, an unknown option, a missing argument, an
 * operand the command does not take and a bad scope option are handled
 * here: -1, and *rc (OUT) is the exit status to return.  Scope options
 * are stored in g->scope.
 */
int hl_next_option(const struct hl_ctx *ctx, int argc, char **argv,
		   const struct hl_getopt *g, int *rc);

/* "yyyy-mm" into year and month; -1 for anything else. */
int hl_parse_month(const char *s, int *year, int *month);

int hl_cmd_check(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_check_usage;
int hl_cmd_copy(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_copy_usage;
int hl_cmd_demo(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_demo_usage;
int hl_cmd_export(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_export_usage;
int hl_cmd_help(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_help_usage;
int hl_cmd_ingest(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_ingest_usage;
int hl_cmd_inspect(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_inspect_usage;
int hl_cmd_metrics(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_metrics_usage;
int hl_cmd_report(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_report_usage;
int hl_cmd_sample(int argc, char **argv, struct hl_ctx *ctx);
extern const struct hl_cmd_usage hl_cmd_sample_usage;

#endif
