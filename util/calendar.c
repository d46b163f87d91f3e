/*
 * calendar.c - working-day calendars: the years of the State Council
 * holiday notices, read from files of one format (calendars/README.md).
 * The files in calendars/ are embedded at build time; a user's file of the
 * same format adds a year, or replaces a built-in one.
 *
 * Working time is counted in whole days of 24 hours: the seconds of an
 * interval that fall on working days.  A prefix count of working days
 * makes that two lookups per interval, and a prefix count of days not
 * covered tells whether any day on the way is unknown.
 */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* The built-in years (calendars/YYYY.ini, embedded by util/CMakeLists). */
extern const char hl_calendar_2020[], hl_calendar_2021[], hl_calendar_2022[],
    hl_calendar_2023[], hl_calendar_2024[], hl_calendar_2025[],
    hl_calendar_2026[];

static const char *const builtin[] = {
    hl_calendar_2020, hl_calendar_2021, hl_calendar_2022, hl_calendar_2023,
    hl_calendar_2024, hl_calendar_2025, hl_calendar_2026,
};

/* ---- reading years ---- */

void
hl_calyears_release(struct hl_calyears *ys)
{
	size_t i;

	for (i = 0; i < ys->n; i++) {
		free(ys->v[i].holidays);
		free(ys->v[i].workdays);
		free(ys->v[i].source);
		free(ys->v[i].file);
	}
	free(ys->v);
	ys->v = NULL;
	ys->n = ys->cur = 0;
}

/* A date "YYYY-MM-DD" of year y (or its December before) as a day. */
static int64_t
parse_day(struct hl_ini *ini, int y, const char *s, size_t n)
{
	hl_time t;
	const char *err;
	int64_t day;

	if (hl_time_parse_fmt(s, n, "%Y-%m-%d", &t, &err) != 0) {
		hl_ini_error(ini, "'%.*s' is not a date (YYYY-MM-DD)", (int)n,
			     s);
		return -1;
	}
	day = hl_time_day(t);
	if (day < hl_days_from_civil(y - 1, 12, 1) ||
	    day >= hl_days_from_civil(y + 1, 1, 1)) {
		hl_ini_error(ini, "%.*s is not in %d", (int)n, s, y);
		return -1;
	}
	return day;
}

static int
listed(const int64_t *v, size_t n, int64_t day)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == day)
			return 1;
	return 0;
}

/* "2025-01-01, 2025-01-28..2025-02-04" onto a list of day numbers. */
static void
parse_days(struct hl_ini *ini, struct hl_calyear *y, int work,
	   const char *value)
{
	int64_t **out = work ? &y->workdays : &y->holidays;
	size_t *n = work ? &y->nworkdays : &y->nholidays;
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
			a = parse_day(ini, y->year, p, (size_t)(dots - p));
			b = a < 0 ? -1
				  : parse_day(ini, y->year, dots + 2,
					      (size_t)(end - dots - 2));
		} else {
			a = b = parse_day(ini, y->year, p, (size_t)(end - p));
		}
		if (a < 0 || b < 0)
			return;
		if (b < a) {
			hl_ini_error(ini, "'%.*s' ends before it starts",
				     (int)(end - p), p);
			return;
		}
		/* A year has at most 397 days to list: no range is long. */
		for (; a <= b; a++) {
			if (listed(y->holidays, y->nholidays, a) ||
			    listed(y->workdays, y->nworkdays, a)) {
				char iso[20];

				hl_time_format_iso(a * 86400, iso);
				iso[10] = '\0';
				hl_ini_error(ini, "%s is listed twice", iso);
				return;
			}
			*out = hl_xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = a;
		}
		p += len;
		if (*p == ',' && *++p == '\0')
			hl_ini_error(ini, "an empty date in the list");
	}
}

/* "[calendar YYYY]": a new year; -1 after a message. */
static int
start_year(struct hl_ini *ini, struct hl_calyears *ys, const char *section)
{
	const char *err;
	long long y = hl_strtonum(section + 9, 1901, 2198, &err);
	size_t i;

	if (err != NULL) {
		hl_ini_error(ini, "[%s]: '%s' is not a year from 1901 to 2198",
			     section, section + 9);
		return -1;
	}
	for (i = 0; i < ys->n; i++)
		if (ys->v[i].year == y) {
			hl_ini_error(ini, "[%s] given twice (also in '%s')",
				     section, ys->v[i].file);
			return -1;
		}
	ys->v = hl_xrealloc(ys->v, (ys->n + 1) * sizeof(*ys->v));
	memset(&ys->v[ys->n], 0, sizeof(*ys->v));
	ys->v[ys->n].year = (int)y;
	ys->v[ys->n].file = hl_xstrdup(ini->path);
	ys->cur = ++ys->n;
	return 0;
}

void
hl_calyears_entry(struct hl_ini *ini, struct hl_calyears *ys,
		  const char *section, const char *key, const char *value)
{
	struct hl_calyear *y = ys->cur ? &ys->v[ys->cur - 1] : NULL;
	char name[32];

	/* Entries come section by section: a new name starts a year. */
	if (y != NULL) {
		snprintf(name, sizeof(name), "calendar %d", y->year);
		if (strcmp(name, section) != 0)
			y = NULL;
	}
	if (y == NULL) {
		if (start_year(ini, ys, section) != 0)
			return;
		y = &ys->v[ys->cur - 1];
	}
	if (strcmp(key, "holidays") == 0 || strcmp(key, "workdays") == 0) {
		parse_days(ini, y, key[0] == 'w', value);
	} else if (strcmp(key, "source") == 0) {
		free(y->source);
		y->source = hl_xstrdup(value);
	} else {
		hl_ini_error(ini,
			     "[%s]: unknown key '%s' (holidays, workdays or "
			     "source)",
			     section, key);
	}
}

static void
file_entry(struct hl_ini *ini, void *arg, const char *section, const char *key,
	   const char *value)
{
	if (strncmp(section, "calendar ", 9) != 0) {
		hl_ini_error(ini,
			     "[%s]: a calendar file has only [calendar YYYY] "
			     "sections",
			     section);
		return;
	}
	hl_calyears_entry(ini, arg, section, key, value);
}

int
hl_calyears_load(struct hl_calyears *ys, const char *path, struct hl_buf *err)
{
	int rc = hl_ini_load(path, file_entry, ys, err);

	ys->cur = 0;
	return rc;
}

/* ---- the calendar ---- */

struct hl_calendar {
	int64_t first; /* day number of the first day held */
	size_t n;      /* days held */
	signed char *kind;
	int64_t *work;    /* work[i]: working days before day first + i */
	int64_t *unknown; /* unknown[i]: days not covered before it */
	int *years;       /* covered, ascending */
	char **files;     /* where each was read */
	size_t nyears;
};

static int
cmp_year(const void *a, const void *b)
{
	const struct hl_calyear *x = *(const struct hl_calyear *const *)a;
	const struct hl_calyear *y = *(const struct hl_calyear *const *)b;

	return (x->year > y->year) - (x->year < y->year);
}

/* The days listed by y that fall in the held range, onto the table. */
static void
apply(struct hl_calendar *c, const struct hl_calyear *y)
{
	size_t i;

	for (i = 0; i < y->nholidays; i++)
		if (y->holidays[i] >= c->first &&
		    y->holidays[i] < c->first + (int64_t)c->n &&
		    c->kind[y->holidays[i] - c->first] != HL_DAY_UNKNOWN)
			c->kind[y->holidays[i] - c->first] = HL_DAY_REST;
	for (i = 0; i < y->nworkdays; i++)
		if (y->workdays[i] >= c->first &&
		    y->workdays[i] < c->first + (int64_t)c->n &&
		    c->kind[y->workdays[i] - c->first] != HL_DAY_UNKNOWN)
			c->kind[y->workdays[i] - c->first] = HL_DAY_WORK;
}

static void
build(struct hl_calendar *c, const struct hl_calyear *const *ys, size_t n)
{
	int64_t day, end;
	size_t i, k;

	c->first = hl_days_from_civil(ys[0]->year, 1, 1);
	end = hl_days_from_civil(ys[n - 1]->year + 1, 1, 1);
	c->n = (size_t)(end - c->first);
	c->kind = hl_xmalloc(c->n);
	memset(c->kind, HL_DAY_UNKNOWN, c->n);
	c->years = hl_xmalloc(n * sizeof(*c->years));
	c->files = hl_xmalloc(n * sizeof(*c->files));
	for (k = 0; k < n; k++) {
		int64_t a = hl_days_from_civil(ys[k]->year, 1, 1);
		int64_t b = hl_days_from_civil(ys[k]->year + 1, 1, 1);

		for (day = a; day < b; day++)
			c->kind[day - c->first] =
			    (signed char)(hl_iso_weekday(day) <= 5
					      ? HL_DAY_WORK
					      : HL_DAY_REST);
		c->years[k] = ys[k]->year;
		c->files[k] = hl_xstrdup(ys[k]->file);
	}
	c->nyears = n;
	/* In ascending order: a notice may reach into the December before. */
	for (k = 0; k < n; k++)
		apply(c, ys[k]);
	c->work = hl_xmalloc((c->n + 1) * sizeof(*c->work));
	c->unknown = hl_xmalloc((c->n + 1) * sizeof(*c->unknown));
	c->work[0] = c->unknown[0] = 0;
	for (i = 0; i < c->n; i++) {
		c->work[i + 1] = c->work[i] + (c->kind[i] == HL_DAY_WORK);
		c->unknown[i + 1] =
		    c->unknown[i] + (c->kind[i] == HL_DAY_UNKNOWN);
	}
}

int
hl_calendar_new(const struct hl_calyears *extra, struct hl_calendar **out,
		struct hl_buf *err)
{
	struct hl_calyears base = HL_CALYEARS_INIT;
	const struct hl_calyear **all = NULL;
	struct hl_calendar *c;
	size_t i, k, n = 0, nextra = extra ? extra->n : 0;
	char name[32];
	int rc = -1;

	*out = NULL;
	hl_buf_reset(err);
	for (i = 0; i < HL_ARRAY_LEN(builtin); i++) {
		snprintf(name, sizeof(name), "calendars/%d.ini",
			 HL_CAL_FIRST_YEAR + (int)i);
		if (hl_ini_load_text(name, builtin[i], file_entry, &base,
				     err) != 0)
			goto done;
		base.cur = 0;
	}
	all = hl_xcalloc(base.n + nextra + 1, sizeof(*all));
	for (i = 0; i < nextra; i++) {
		for (k = 0; k < i; k++)
			if (extra->v[k].year == extra->v[i].year) {
				hl_buf_printf(err,
					      "calendar year %d given twice "
					      "('%s', '%s')",
					      extra->v[i].year,
					      extra->v[k].file,
					      extra->v[i].file);
				goto done;
			}
		all[n++] = &extra->v[i];
	}
	for (i = 0; i < base.n; i++) {
		for (k = 0; k < nextra; k++)
			if (extra->v[k].year == base.v[i].year)
				break;
		if (k == nextra)
			all[n++] = &base.v[i];
	}
	qsort(all, n, sizeof(*all), cmp_year);
	c = hl_xcalloc(1, sizeof(*c));
	build(c, all, n);
	*out = c;
	rc = 0;
done:
	free(all);
	hl_calyears_release(&base);
	return rc;
}

void
hl_calendar_free(struct hl_calendar *c)
{

	if (c == NULL)
		return;
	hl_free_strv(c->files, c->nyears);
	free(c->years);
	free(c->kind);
	free(c->work);
	free(c->unknown);
	free(c);
}

enum hl_daykind
hl_calendar_daykind(const struct hl_calendar *c, int64_t day)
{
	if (day < c->first || day >= c->first + (int64_t)c->n)
		return HL_DAY_UNKNOWN;
	return (enum hl_daykind)c->kind[day - c->first];
}

static size_t
year_index(const struct hl_calendar *c, int y)
{
	size_t i;

	for (i = 0; i < c->nyears; i++)
		if (c->years[i] == y)
			return i;
	return (size_t)-1;
}

int
hl_calendar_has_year(const struct hl_calendar *c, int y)
{
	return year_index(c, y) != (size_t)-1;
}

size_t
hl_calendar_years(const struct hl_calendar *c, const int **years)
{
	*years = c->years;
	return c->nyears;
}

const char *
hl_calendar_file(const struct hl_calendar *c, int y)
{
	size_t i = year_index(c, y);

	return i == (size_t)-1 ? NULL : c->files[i];
}

int
hl_calendar_workdays_in_year(const struct hl_calendar *c, int y)
{
	int64_t a, b;

	if (!hl_calendar_has_year(c, y))
		return -1;
	a = hl_days_from_civil(y, 1, 1) - c->first;
	b = hl_days_from_civil(y + 1, 1, 1) - c->first;
	return (int)(c->work[b] - c->work[a]);
}

int64_t
hl_calendar_add_workdays(const struct hl_calendar *c, int64_t days, int n)
{
	while (n > 0) {
		enum hl_daykind k;

		days++;
		k = hl_calendar_daykind(c, days);
		if (k == HL_DAY_UNKNOWN)
			return -1;
		n -= k == HL_DAY_WORK;
	}
	return days;
}

/* Working seconds from the first day held up to t (t's day covered). */
static int64_t
work_upto(const struct hl_calendar *c, hl_time t)
{
	int64_t day = hl_time_day(t), i = day - c->first;

	return c->work[i] * 86400 +
	       (c->kind[i] == HL_DAY_WORK ? t - day * 86400 : 0);
}

int
hl_calendar_work_secs(const struct hl_calendar *c, hl_time t0, hl_time t1,
		      int64_t *secs)
{
	int64_t d0 = hl_time_day(t0), d1 = hl_time_day(t1);

	if (t1 < t0 || d0 < c->first || d1 >= c->first + (int64_t)c->n ||
	    c->unknown[d1 - c->first + 1] != c->unknown[d0 - c->first])
		return -1;
	*secs = work_upto(c, t1) - work_upto(c, t0);
	return 0;
}

int
hl_calendar_deadline(const struct hl_calendar *c, hl_time t, int n,
		     int inclusive, hl_time *deadline)
{
	int64_t day = hl_time_day(t);
	enum hl_daykind kind = hl_calendar_daykind(c, day);

	if (kind == HL_DAY_UNKNOWN)
		return -1;
	if (inclusive && kind == HL_DAY_WORK)
		n--;
	if (n > 0 && (day = hl_calendar_add_workdays(c, day, n)) < 0)
		return -1;
	*deadline = day * 86400 + 86399;
	return 0;
}
