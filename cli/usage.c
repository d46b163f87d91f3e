/*
 * usage.c - the messages every subcommand shares: usage errors, --help and
 * errors that are not about a position in a file.  They give all commands
 * one wording ("hotline: <cmd>: " first, lowercase, no final period) and one
 * exit status for misuse.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

/* Synopses are wrapped to fit this many columns. */
#define WIDTH 80

/* Length of the next word of s: up to a blank outside brackets. */
static size_t
word_len(const char *s)
{
	size_t n;
	int depth = 0;

	for (n = 0; s[n] != '\0'; n++) {
		if (s[n] == '[')
			depth++;
		else if (s[n] == ']' && depth > 0)
			depth--;
		else if (depth == 0 && (s[n] == ' ' || s[n] == '\n'))
			break;
	}
	return n;
}

void
hl_put_usage(FILE *out, const char *synopsis)
{
	const char *p = synopsis;
	size_t col = strlen("usage:"), indent = 0, n;

	fputs("usage:", out);
	while (*p != '\0') {
		p += strspn(p, " \n");
		if (*p == '\0')
			break;
		n = word_len(p);
		if (indent == 0 && (*p == '[' || *p == '-'))
			indent = col + 1;
		if (indent != 0 && col > indent && col + 1 + n > WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, n, out);
		col += n;
		p += n;
	}
	fputc('\n', out);
}

static void
vmessage(const struct hl_ctx *ctx, const char *fmt, va_list ap)
{
	assert(strchr(fmt, '\n') == NULL);
	fputs("hotline: ", stderr);
	if (ctx != NULL && ctx->cmd != NULL)
		fprintf(stderr, "%s: ", ctx->cmd->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int
hl_usage_error(const struct hl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(ctx, fmt, ap);
	va_end(ap);
	if (ctx != NULL && ctx->cmd != NULL) {
		hl_put_usage(stderr, ctx->cmd->usage->synopsis);
		fprintf(stderr, "Try 'hotline %s --help'.\n", ctx->cmd->name);
	} else {
		hl_put_usage(stderr, hl_main_usage.synopsis);
		fputs("Try 'hotline help'.\n", stderr);
	}
	return HL_EXIT_USAGE;
}

/* Whether c is a short option of optstring that takes an argument. */
static int
short_has_arg(const char *optstring, int c)
{
	const char *p;

	p = optstring + strspn(optstring, "+-:");
	for (; *p != '\0'; p++)
		if (*p == c && c != ':')
			return p[1] == ':';
	return 0;
}

int
hl_option_error(const struct hl_ctx *ctx, char **argv, const char *optstring,
		const struct option *longopts)
{
	const char *arg = optind > 0 ? argv[optind - 1] : NULL;
	const struct option *o;
	size_t n;

	/*
	 * A long option is at fault when the last argument getopt consumed
	 * is one whose name leads to an option with val optopt (getopt sets
	 * optopt to 0 for names it cannot resolve).  Otherwise the fault is
	 * a short option in a cluster, and arg may be an earlier argument.
	 */
	if (arg != NULL && arg[0] == '-' && arg[1] == '-' && arg[2] != '\0') {
		n = strcspn(arg + 2, "=");
		for (o = longopts; o != NULL && o->name != NULL; o++) {
			if (strncmp(o->name, arg + 2, n) != 0)
				continue;
			if (optopt == 0)
				return hl_usage_error(
				    ctx, "option '%.*s' is ambiguous",
				    (int)n + 2, arg);
			if (o->flag == NULL && o->val == optopt)
				return hl_usage_error(
				    ctx,
				    arg[2 + n] == '='
					? "option '--%s' takes no argument"
					: "option '--%s' requires an argument",
				    o->name);
		}
		if (optopt == 0)
			return hl_usage_error(ctx, "unknown option '%.*s'",
					      (int)n + 2, arg);
	}
	if (short_has_arg(optstring, optopt))
		return hl_usage_error(ctx, "option '-%c' requires an argument",
				      optopt);
	return hl_usage_error(ctx, "unknown option '-%c'", optopt);
}

int
hl_print_help(const struct hl_ctx *ctx)
{
	const struct hl_cmd_usage *u = ctx->cmd->usage;

	hl_put_usage(stdout, u->synopsis);
	if (u->help != NULL && u->help[0] != '\0') {
		putchar('\n');
		fputs(u->help, stdout);
	}
	return HL_EXIT_OK;
}

void
hl_errorf(const struct hl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(ctx, fmt, ap);
	va_end(ap);
}
