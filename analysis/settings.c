/*
 * settings.c - the metric settings: defaults and profiles (INI files read
 * with hl_ini_load()).  Every key is checked: an unknown section or key,
 * a key given twice, a value out of range or a calendar year already
 * known is an error naming the file and line.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

void
hl_settings_init(struct hl_settings *s)
{
	/* The generator's deadline rule (docs/sample-data.md). */
	static const int days[HL_STORE_NCATEGORY] = {2, 5, 7, 10, 10, 3, 5};

	memset(s, 0, sizeof(*s));
	s->basis = HL_BASIS_ACCEPTED;
	s->denominator = HL_DENOM_CLOSED;
	s->basic_weight = 1;
	s->rank_min = 30;
	s->start = HL_START_DISPATCH;
	memcpy(s->deadline_days, days, sizeof(days));
	s->near_hours = 24;
	s->min_on_time = 95;
	s->min_satisfaction = 90;
	s->max_reopen = 5;
	s->min_unit_tickets = 20;
}

void
hl_settings_release(struct hl_settings *s)
{
	size_t i;

	for (i = 0; i < s->nyears; i++) {
		free(s->years[i].holidays);
		free(s->years[i].workdays);
	}
	free(s->years);
	s->years = NULL;
	s->nyears = 0;
}

/* ---- the profile ---- */

/* A key of the profile: its section, name and where its value goes. */
enum kind { K_CHOICE, K_INT, K_FRAC, K_CLASS_DAYS };

struct key {
	const char *section, *name;
	enum kind kind;
	size_t off;                 /* in struct hl_settings */
	const char *const *choices; /* K_CHOICE: the names, by value */
	size_t nchoices;
	double min, max; /* K_INT, K_FRAC */
};

static const char *const basis_names[] = {"accepted", "dispatched", "closed"};
static const char *const denom_names[] = {"closed", "dispatched"};
static const char *const start_names[] = {"dispatch", "accept"};
static const char *const count_names[] = {"after", "inclusive"};

#define OFF(f) offsetof(struct hl_settings, f)
#define CHOICE(sec, name, f, names)                                            \
	{                                                                      \
		sec, name, K_CHOICE, OFF(f), names, HL_ARRAY_LEN(names), 0, 0  \
	}
#define NUM(sec, name, kind, f, lo, hi)                                        \
	{                                                                      \
		sec, name, kind, OFF(f), NULL, 0, lo, hi                       \
	}

static const struct key keys[] = {
    CHOICE("period", "basis", basis, basis_names),
    CHOICE("on_time", "denominator", denominator, denom_names),
    NUM("satisfaction", "basic_weight", K_FRAC, basic_weight, 0, 1),
    NUM("ranking", "min_evaluated", K_INT, rank_min, 1, 1000000),
    CHOICE("handling", "start", start, start_names),
    CHOICE("deadlines", "days_counted", deadline_inclusive, count_names),
    NUM("deadlines", "", K_CLASS_DAYS, deadline_days, 0, 365),
    NUM("supervision", "near_hours", K_FRAC, near_hours, 0, 8760),
    NUM("supervision", "min_on_time", K_FRAC, min_on_time, 0, 100),
    NUM("supervision", "min_satisfaction", K_FRAC, min_satisfaction, 0, 100),
    NUM("supervision", "max_reopen", K_FRAC, max_reopen, 0, 100),
    NUM("supervision", "min_tickets", K_INT, min_unit_tickets, 0, 1000000000),
};

struct load {
	struct hl_settings *s;
	unsigned seen[HL_ARRAY_LEN(keys) + HL_STORE_NCATEGORY]; /* lines */
	char year_section[32]; /* the [calendar YYYY] being read, */
	size_t year;           /* its index in s->years */
	unsigned hol_line, work_line;
};

static void
set_choice(struct hl_ini *ini, const struct key *k, void *field,
	   const char *value)
{
	struct hl_buf choices = HL_BUF_INIT;
	size_t i;

	for (i = 0; i < k->nchoices; i++)
		if (strcmp(k->choices[i], value) == 0) {
			*(int *)field = (int)i;
			return;
		}
	hl_buf_add_choices(&choices, k->choices, k->nchoices);
	hl_ini_error(ini, "[%s] %s: '%s' is not one of %s", k->section, k->name,
		     value, choices.data);
	hl_buf_release(&choices);
}

static void
set_number(struct hl_ini *ini, const struct key *k, const char *name,
	   void *field, const char *value)
{
	const char *err;

	if (k->kind == K_FRAC) {
		double v = hl_strtofrac(value, k->min, k->max, &err);

		if (err == NULL)
			*(double *)field = v;
	} else {
		long long v = hl_strtonum(value, (long long)k->min,
					  (long long)k->max, &err);

		if (err == NULL)
			*(int *)field = (int)v;
	}
	if (err != NULL)
		hl_ini_error(ini, "[%s] %s: '%s' is %s (%g to %g)", k->section,
			     name, value, err, k->min, k->max);
}

/* A date of year y, "YYYY-MM-DD", as a day number; -1 with a message. */
static int64_t
parse_day(struct hl_ini *ini, int y, const char *s, size_t n)
{
	hl_time t;
	const char *err;
	int yy, m, d;

	if (hl_time_parse_fmt(s, n, "%Y-%m-%d", &t, &err) != 0) {
		hl_ini_error(ini, "'%.*s' is not a date (YYYY-MM-DD)", (int)n,
			     s);
		return -1;
	}
	hl_civil_from_days(hl_time_day(t), &yy, &m, &d);
	if (yy != y) {
		hl_ini_error(ini, "%.*s is not in %d", (int)n, s, y);
		return -1;
	}
	return hl_time_day(t);
}

/* "2025-01-01, 2025-01-28..2025-02-04" into a list of day numbers. */
static void
parse_days(struct hl_ini *ini, int y, const char *value, int64_t **out,
	   size_t *n)
{
	const char *p = value;

	while (*p) {
		size_t len = strcspn(p, ",");
		const char *dots, *end = p + len;
		int64_t a, b;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (p == end) {
			hl_ini_error(ini, "an empty date in the list");
			return;
		}
		dots = strstr(p, "..");
		if (dots && dots < end) {
			a = parse_day(ini, y, p, (size_t)(dots - p));
			b = parse_day(ini, y, dots + 2,
				      (size_t)(end - dots - 2));
		} else {
			a = b = parse_day(ini, y, p, (size_t)(end - p));
		}
		if (a < 0 || b < 0)
			return;
		if (b < a) {
			hl_ini_error(ini, "'%.*s' ends before it starts",
				     (int)(end - p), p);
			return;
		}
		for (; a <= b; a++) {
			*out = hl_xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = a;
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

/* "[calendar YYYY]": a new extra year; -1 after a message. */
static int
start_year(struct hl_ini *ini, struct load *ld, const char *section)
{
	struct hl_settings *s = ld->s;
	const char *err;
	long long y = hl_strtonum(section + 9, 1900, 2199, &err);
	size_t i;

	if (err != NULL) {
		hl_ini_error(ini, "[%s]: '%s' is not a year from 1900 to 2199",
			     section, section + 9);
		return -1;
	}
	if (y >= HL_CAL_FIRST_YEAR && y <= HL_CAL_LAST_YEAR) {
		hl_ini_error(ini,
			     "[%s]: %lld is built in (%d to %d, from the "
			     "State Council notices)",
			     section, y, HL_CAL_FIRST_YEAR, HL_CAL_LAST_YEAR);
		return -1;
	}
	for (i = 0; i < s->nyears; i++)
		if (s->years[i].year == y) {
			hl_ini_error(ini, "[%s] given twice", section);
			return -1;
		}
	s->years = hl_xrealloc(s->years, (s->nyears + 1) * sizeof(*s->years));
	ld->year = s->nyears++;
	memset(&s->years[ld->year], 0, sizeof(*s->years));
	s->years[ld->year].year = (int)y;
	snprintf(ld->year_section, sizeof(ld->year_section), "%s", section);
	ld->hol_line = ld->work_line = 0;
	return 0;
}

static void
calendar_entry(struct hl_ini *ini, struct load *ld, const char *section,
	       const char *key, const char *value)
{
	struct hl_calyear *y;
	unsigned *seen;

	/* Entries come section by section: a new name starts a year. */
	if (strcmp(ld->year_section, section) != 0 &&
	    start_year(ini, ld, section) != 0)
		return;
	y = &ld->s->years[ld->year];
	if (strcmp(key, "holidays") == 0)
		seen = &ld->hol_line;
	else if (strcmp(key, "workdays") == 0)
		seen = &ld->work_line;
	else {
		hl_ini_error(ini,
			     "[%s]: unknown key '%s' (holidays or workdays)",
			     section, key);
		return;
	}
	if (*seen) {
		hl_ini_error(ini, "[%s] %s given twice (first on line %u)",
			     section, key, *seen);
		return;
	}
	*seen = ini->line;
	if (seen == &ld->hol_line)
		parse_days(ini, y->year, value, &y->holidays, &y->nholidays);
	else
		parse_days(ini, y->year, value, &y->workdays, &y->nworkdays);
}

static void
handle(struct hl_ini *ini, void *arg, const char *section, const char *key,
       const char *value)
{
	struct load *ld = arg;
	size_t i, c;

	if (strncmp(section, "calendar ", 9) == 0) {
		calendar_entry(ini, ld, section, key, value);
		return;
	}
	for (i = 0; i < HL_ARRAY_LEN(keys); i++) {
		const struct key *k = &keys[i];
		void *field = (char *)ld->s + k->off;
		unsigned *seen = &ld->seen[i];

		if (strcmp(k->section, section) != 0)
			continue;
		if (k->kind == K_CLASS_DAYS) {
			for (c = 0; c < HL_STORE_NCATEGORY; c++)
				if (strcmp(key, hl_store_category_names[c]) ==
				    0)
					break;
			if (c == HL_STORE_NCATEGORY)
				continue;
			field = &ld->s->deadline_days[c];
			seen = &ld->seen[HL_ARRAY_LEN(keys) + c];
		} else if (strcmp(k->name, key) != 0) {
			continue;
		}
		if (*seen) {
			hl_ini_error(ini,
				     "[%s] %s given twice (first on line "
				     "%u)",
				     section, key, *seen);
			return;
		}
		*seen = ini->line;
		if (k->kind == K_CHOICE)
			set_choice(ini, k, field, value);
		else
			set_number(ini, k, key, field, value);
		return;
	}
	for (i = 0; i < HL_ARRAY_LEN(keys); i++)
		if (strcmp(keys[i].section, section) == 0)
			break;
	if (i == HL_ARRAY_LEN(keys))
		hl_ini_error(ini,
			     "unknown section [%s] (period, on_time, "
			     "satisfaction, ranking, handling, deadlines, "
			     "supervision or calendar YYYY)",
			     section);
	else
		hl_ini_error(ini, "unknown key '%s' in [%s]", key, section);
}

static int
cmp_year(const void *a, const void *b)
{
	const struct hl_calyear *x = a, *y = b;

	return (x->year > y->year) - (x->year < y->year);
}

int
hl_settings_load(struct hl_settings *s, const char *path, struct hl_buf *err)
{
	struct load ld;
	int rc;

	memset(&ld, 0, sizeof(ld));
	ld.s = s;
	rc = hl_ini_load(path, handle, &ld, err);
	if (s->nyears > 1)
		qsort(s->years, s->nyears, sizeof(*s->years), cmp_year);
	return rc;
}
