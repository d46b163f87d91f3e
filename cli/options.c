/*
 * options.c - the options several commands take: the next option of a
 * command line with --help, unknown options and stray operands handled
 * once; the scope of the figures (--db, --year, --month, --district,
 * --profile, --calendar, --region, --as-of, --lang) and what it opens.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

int
hl_next_option(const struct hl_ctx *ctx, int argc, char **argv,
	       const struct hl_getopt *g, int *rc)
{
	int c, r;

	for (;;) {
		c = getopt_long(argc, argv, g->optstring, g->longopts, NULL);
		if (c == -1) {
			if (g->operands || optind >= argc)
				return 0;
			*rc = hl_usage_error(ctx, "unexpected operand '%s'",
					     argv[optind]);
			return -1;
		}
		if (c == 'h') {
			*rc = hl_print_help(ctx);
			return -1;
		}
		if (c == '?' || c == ':') {
			*rc = hl_option_error(ctx, argv, g->optstring,
					      g->longopts);
			return -1;
		}
		if (g->scope == NULL ||
		    (r = hl_scope_option(ctx, c, optarg, g->scope)) < 0)
			return c;
		if (r != HL_EXIT_OK) {
			*rc = r;
			return -1;
		}
	}
}

int
hl_parse_month(const char *s, int *year, int *month)
{
	const char *err;
	char y[8];

	if (strlen(s) != 7 || s[4] != '-')
		return -1;
	memcpy(y, s, 4);
	y[4] = '\0';
	*year = (int)hl_strtonum(y, 1901, 2199, &err);
	if (err)
		return -1;
	*month = (int)hl_strtonum(s + 5, 1, 12, &err);
	return err ? -1 : 0;
}

int
hl_world_calendar(const struct hl_ctx *ctx, struct hl_world_opts *w,
		  const char *path)
{
	if (w->ncalendar == HL_MAX_CALENDARS)
		return hl_usage_error(ctx, "--calendar: more than %d files",
				      HL_MAX_CALENDARS);
	w->calendar[w->ncalendar++] = path;
	return HL_EXIT_OK;
}

int
hl_world_settings(const struct hl_ctx *ctx, struct hl_settings *set,
		  const char *profile, const struct hl_world_opts *w)
{
	struct hl_buf err = HL_BUF_INIT;
	size_t i;
	int rc = HL_EXIT_FAIL;

	if (profile && hl_settings_load(set, profile, &err) != 0)
		goto done;
	for (i = 0; i < w->ncalendar; i++)
		if (hl_calyears_load(&set->cal, w->calendar[i], &err) != 0)
			goto done;
	if (w->region) {
		free(set->region);
		set->region = hl_xstrdup(w->region);
	}
	rc = HL_EXIT_OK;
done:
	if (rc != HL_EXIT_OK)
		hl_errorf(ctx, "%s", err.data);
	hl_buf_release(&err);
	return rc;
}

void
hl_add_shell_word(struct hl_buf *b, const char *w)
{
	const char *p;

	hl_buf_addc(b, ' ');
	if (*w && strpbrk(w, " \t\n'\"$`\\!*?;&|<>()[]{}#~") == NULL) {
		hl_buf_adds(b, w);
		return;
	}
	hl_buf_addc(b, '\'');
	for (p = w; *p; p++)
		if (*p == '\'')
			hl_buf_adds(b, "'\\''");
		else
			hl_buf_addc(b, *p);
	hl_buf_addc(b, '\'');
}

void
hl_scope_init(struct hl_scope_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->zh = 1;
	o->from = o->to = -1;
}

/* "yyyy-mm-dd" (1901-2199) into a day number; -1 for anything else. */
static int64_t
parse_day(const char *s)
{
	int v[3] = {0, 0, 0}, f = 0, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			f++;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v[f] = v[f] * 10 + (s[i] - '0');
	}
	if (v[0] < 1901 || v[0] > 2199 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > hl_days_in_month(v[0], v[1]))
		return -1;
	return hl_days_from_civil(v[0], v[1], v[2]);
}

int
hl_scope_period(const struct hl_ctx *ctx, const struct hl_scope_opts *o,
		struct hl_period *p)
{
	int named = (o->month != 0) + (o->period != NULL) +
		    (o->from >= 0 || o->to >= 0);

	if (named > 1)
		return hl_usage_error(ctx, "give one of --month, --period and "
					   "--from/--to");
	if ((o->from >= 0) != (o->to >= 0))
		return hl_usage_error(ctx, "--from and --to go together");
	if (o->from > o->to)
		return hl_usage_error(ctx, "--from is after --to");
	if (o->month) {
		*p = hl_period_month(o->month_year, o->month, 1);
	} else if (o->period) {
		if (hl_period_parse(o->period, 1, p) != 0)
			return hl_usage_error(ctx,
					      "--period: '%s' is not yyyy, "
					      "yyyy-mm, yyyy-Qn or yyyy-Hn",
					      o->period);
	} else if (o->from >= 0) {
		*p = hl_period_days(o->from, o->to, 1);
	} else if (o->year) {
		*p = hl_period_year(o->year, 1);
	} else {
		return 1;
	}
	if (named && o->year && o->year != p->year)
		return hl_usage_error(ctx,
				      "--year %d: the period %s ends in %d",
				      o->year, p->label, p->year);
	return HL_EXIT_OK;
}

int
hl_scope_option(const struct hl_ctx *ctx, int c, const char *arg,
		struct hl_scope_opts *o)
{
	const char *e;
	int64_t *day;

	switch (c) {
	case 'a':
		if (hl_time_parse(arg, strlen(arg), &o->as_of, NULL, &e) != 0)
			return hl_usage_error(ctx, "--as-of: %s: '%s'", e, arg);
		return HL_EXIT_OK;
	case 'c':
		return hl_world_calendar(ctx, &o->world, arg);
	case 'd':
		o->db = arg;
		return HL_EXIT_OK;
	case 'D':
		o->district = arg;
		return HL_EXIT_OK;
	case HL_SCOPE_OPT_FROM:
	case HL_SCOPE_OPT_TO:
		day = c == HL_SCOPE_OPT_FROM ? &o->from : &o->to;
		if ((*day = parse_day(arg)) < 0)
			return hl_usage_error(
			    ctx, "--%s: '%s' is not a day yyyy-mm-dd",
			    c == HL_SCOPE_OPT_FROM ? "from" : "to", arg);
		return HL_EXIT_OK;
	case HL_SCOPE_OPT_PERIOD:
		o->period = arg;
		return HL_EXIT_OK;
	case 'l':
		if (strcmp(arg, "zh") && strcmp(arg, "en"))
			return hl_usage_error(
			    ctx, "--lang: '%s' is not zh or en", arg);
		o->zh = strcmp(arg, "zh") == 0;
		return HL_EXIT_OK;
	case 'm':
		o->month_arg = arg;
		if (hl_parse_month(arg, &o->month_year, &o->month) != 0)
			return hl_usage_error(
			    ctx, "--month: '%s' is not yyyy-mm", arg);
		return HL_EXIT_OK;
	case 'p':
		o->profile = arg;
		return HL_EXIT_OK;
	case HL_SCOPE_OPT_REGION:
		o->world.region = arg;
		return HL_EXIT_OK;
	case 'y':
		o->year = (int)hl_strtonum(arg, 1901, 2199, &e);
		if (e)
			return hl_usage_error(ctx, "--year: %s: '%s'", e, arg);
		return HL_EXIT_OK;
	default:
		return -1;
	}
}

int
hl_scope_open(const struct hl_ctx *ctx, const struct hl_scope_opts *o,
	      struct hl_settings *set, struct hl_store **store)
{
	if (hl_world_settings(ctx, set, o->profile, &o->world) != HL_EXIT_OK)
		return HL_EXIT_FAIL;
	if (hl_store_open(o->db, HL_STORE_READONLY, 0, store) != 0) {
		hl_errorf(ctx, "%s", hl_store_errmsg(*store));
		return HL_EXIT_FAIL;
	}
	if (hl_store_readonly_file(*store))
		hl_errorf(ctx,
			  "note: '%s' opened read-only: this user may not "
			  "write it or its directory",
			  o->db);
	return HL_EXIT_OK;
}
