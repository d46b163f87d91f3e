/*
 * calendar.c - the working-day calendar the metrics use: util's built-in
 * years (State Council notices, 2020-2024) and the years a profile adds.
 *
 * Working time is counted in whole days of 24 hours: the seconds of an
 * interval that fall on working days.  A prefix count of working days
 * makes that two lookups per interval, and a prefix count of days not
 * covered tells whether any day on the way is unknown.
 */
#include <stdlib.h>

#include "analysis/analysis.h"

struct hl_calendar {
	int64_t first; /* day number of the first day held */
	size_t n;      /* days held */
	signed char *kind;
	int64_t *work;    /* work[i]: working days before day first + i */
	int64_t *unknown; /* unknown[i]: days not covered before it */
};

/* The kind of day in an extra year y: weekday rule and the exceptions. */
static signed char
extra_kind(const struct hl_calyear *y, int64_t day)
{
	size_t i;

	for (i = 0; i < y->nholidays; i++)
		if (y->holidays[i] == day)
			return HL_DAY_REST;
	for (i = 0; i < y->nworkdays; i++)
		if (y->workdays[i] == day)
			return HL_DAY_WORK;
	return hl_iso_weekday(day) <= 5 ? HL_DAY_WORK : HL_DAY_REST;
}

struct hl_calendar *
hl_calendar_new(const struct hl_settings *s)
{
	struct hl_calendar *c = hl_xcalloc(1, sizeof(*c));
	int first = HL_CAL_FIRST_YEAR, last = HL_CAL_LAST_YEAR, y, m, d;
	int64_t day, end;
	size_t i, k;

	for (i = 0; i < s->nyears; i++) {
		first = s->years[i].year < first ? s->years[i].year : first;
		last = s->years[i].year > last ? s->years[i].year : last;
	}
	c->first = hl_days_from_civil(first, 1, 1);
	end = hl_days_from_civil(last + 1, 1, 1);
	c->n = (size_t)(end - c->first);
	c->kind = hl_xmalloc(c->n);
	c->work = hl_xmalloc((c->n + 1) * sizeof(*c->work));
	c->unknown = hl_xmalloc((c->n + 1) * sizeof(*c->unknown));
	c->work[0] = c->unknown[0] = 0;
	for (day = c->first, i = 0; day < end; day++, i++) {
		signed char kind = (signed char)hl_cal_daykind(day);

		hl_civil_from_days(day, &y, &m, &d);
		for (k = 0; k < s->nyears; k++)
			if (s->years[k].year == y)
				kind = extra_kind(&s->years[k], day);
		c->kind[i] = kind;
		c->work[i + 1] = c->work[i] + (kind == HL_DAY_WORK);
		c->unknown[i + 1] = c->unknown[i] + (kind == HL_DAY_UNKNOWN);
	}
	return c;
}

void
hl_calendar_free(struct hl_calendar *c)
{
	if (c == NULL)
		return;
	free(c->kind);
	free(c->work);
	free(c->unknown);
	free(c);
}

int
hl_calendar_daykind(const struct hl_calendar *c, int64_t day)
{
	if (day < c->first || day >= c->first + (int64_t)c->n)
		return HL_DAY_UNKNOWN;
	return c->kind[day - c->first];
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
	int kind = hl_calendar_daykind(c, day);

	if (kind == HL_DAY_UNKNOWN)
		return -1;
	if (inclusive && kind == HL_DAY_WORK)
		n--;
	while (n > 0) {
		kind = hl_calendar_daykind(c, ++day);
		if (kind == HL_DAY_UNKNOWN)
			return -1;
		n -= kind == HL_DAY_WORK;
	}
	*deadline = day * 86400 + 86399;
	return 0;
}
