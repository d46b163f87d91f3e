/*
 * cmd_help.c - `hotline help [command]`: with no operand, what hotline
 * offers (its commands, global options and exit statuses); with one, the
 * --help of that command.
 */
#include <string.h>

#include "cli/cmd.h"

const struct hl_cmd_usage hl_cmd_help_usage = {
    "hotline help [command]",
    "list the commands, or show the help of one",
    "With no command, lists hotline's commands with a one-line summary\n"
    "each, the global options and the exit statuses.  With a command,\n"
    "prints the same help as 'hotline command --help'.\n"
    "\n"
    "Options:\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 success, 2 unknown command or usage.\n",
};

int
hl_help_overview(void)
{
	const struct hl_cmd *cmds;
	size_t i, n, w = 0;

	cmds = hl_cmd_table(&n);
	for (i = 0; i < n; i++)
		if (strlen(cmds[i].name) > w)
			w = strlen(cmds[i].name);
	hl_put_usage(stdout, hl_main_usage.synopsis);
	fputs("\n"
	      "hotline works with the work-order exports of China's 12345\n"
	      "government service hotline.\n"
	      "\n"
	      "Commands:\n",
	      stdout);
	for (i = 0; i < n; i++)
		printf("  %-*s  %s\n", (int)w, cmds[i].name,
		       cmds[i].usage->summary);
	fputs("\n"
	      "Options:\n"
	      "  -h, --help      show this help\n"
	      "  -V, --version   print the version\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success, no errors (warnings allowed)\n"
	      "  1  ran, but with at least one error (rejected rows, SQL "
	      "failure,\n"
	      "     I/O error)\n"
	      "  2  usage error: bad option, missing operand, unknown "
	      "command\n"
	      "\n"
	      "Run 'hotline help <command>' for the options of one command.\n",
	      stdout);
	return HL_EXIT_OK;
}

int
hl_cmd_help(int argc, char **argv, struct hl_ctx *ctx)
{
	static const char optstring[] = "h";
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct hl_ctx sub = {NULL};
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return hl_print_help(ctx);
		default:
			return hl_option_error(ctx, argv, optstring, longopts);
		}
	}
	if (optind == argc)
		return hl_help_overview();
	if (argc - optind > 1)
		return hl_usage_error(ctx, "unexpected operand '%s'",
				      argv[optind + 1]);
	sub.cmd = hl_cmd_lookup(argv[optind]);
	if (sub.cmd == NULL)
		return hl_unknown_command(argv[optind]);
	return hl_print_help(&sub);
}
