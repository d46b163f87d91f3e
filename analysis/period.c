/*
 * period.c - the periods figures are computed for (figures.h): a year, a
 * half, a quarter or a month of assessment months, or any run of days.
 *
 * Assessment months start on a day of the month, 1 to 28 ([period]
 * month_start_day): with day 1 they are calendar months; with day N > 1,
 * month M of year Y runs from day N of the month before, 00:00, to day N
 * of month M, 00:00 (with 19, 2022-06 is 2022-05-19 to 2022-06-19), and
 * the year Y from month 1's start to month 1's start of Y + 1.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/figures.h"

const char *const hl_period_kinds[] = {"year", "half", "quarter", "month",
				       "days"};

/* Where assessment month m of year y starts (m may be 13: the next year). */
static hl_time
month_start(int y, int m, int sd)
{
	if (m > 12) {
		y++;
		m -= 12;
	}
	if (sd <= 1)
		return hl_time_make(y, m, 1, 0, 0, 0);
	return m == 1 ? hl_time_make(y - 1, 12, sd, 0, 0, 0)
		      : hl_time_make(y, m - 1, sd, 0, 0, 0);
}

static int
clamp_day(int sd)
{
	return sd < 1 ? 1 : sd > 28 ? 28 : sd;
}

/* The months [m0, m1] of year y. */
static struct hl_period
months(enum hl_period_kind kind, int y, int m0, int m1, int sd)
{
	struct hl_period p;

	memset(&p, 0, sizeof(p));
	p.kind = kind;
	p.start_day = clamp_day(sd);
	p.year = y;
	p.first_month = m0;
	p.last_month = m1;
	p.month = kind == HL_PERIOD_MONTH ? m0 : 0;
	p.from = month_start(y, m0, p.start_day);
	p.to = month_start(y, m1 + 1, p.start_day);
	return p;
}

struct hl_period
hl_period_year(int y, int sd)
{
	struct hl_period p = months(HL_PERIOD_YEAR, y, 1, 12, sd);

	snprintf(p.label, sizeof(p.label), "%d", y);
	return p;
}

struct hl_period
hl_period_month(int y, int m, int sd)
{
	struct hl_period p = months(HL_PERIOD_MONTH, y, m, m, sd);

	snprintf(p.label, sizeof(p.label), "%d-%02d", y, m);
	return p;
}

struct hl_period
hl_period_quarter(int y, int q, int sd)
{
	struct hl_period p = months(HL_PERIOD_QUARTER, y, 3 * q - 2, 3 * q, sd);

	p.index = q;
	snprintf(p.label, sizeof(p.label), "%d-Q%d", y, q);
	return p;
}

struct hl_period
hl_period_half(int y, int h, int sd)
{
	struct hl_period p = months(HL_PERIOD_HALF, y, 6 * h - 5, 6 * h, sd);

	p.index = h;
	snprintf(p.label, sizeof(p.label), "%d-H%d", y, h);
	return p;
}

int
hl_period_month_of(int sd, hl_time t, int *year)
{
	int y, m, d;

	hl_civil_from_days(hl_time_day(t), &y, &m, &d);
	if (sd > 1 && d >= sd && ++m > 12) {
		m = 1;
		y++;
	}
	*year = y;
	return m;
}

struct hl_period
hl_period_days(int64_t first, int64_t last, int sd)
{
	struct hl_period p;
	int y0, m0, d0, y1, m1, d1, ly, fy;

	memset(&p, 0, sizeof(p));
	p.kind = HL_PERIOD_DAYS;
	p.start_day = clamp_day(sd);
	p.from = first * 86400;
	p.to = (last + 1) * 86400;
	/* The year of its last day: its months and rankings go with it. */
	p.last_month = hl_period_month_of(p.start_day, p.to - 1, &ly);
	p.year = ly;
	p.first_month = 1;
	if (p.from >= month_start(ly, 1, p.start_day))
		p.first_month = hl_period_month_of(p.start_day, p.from, &fy);
	hl_civil_from_days(first, &y0, &m0, &d0);
	hl_civil_from_days(last, &y1, &m1, &d1);
	snprintf(p.label, sizeof(p.label), "%04d-%02d-%02d..%04d-%02d-%02d", y0,
		 m0, d0, y1, m1, d1);
	return p;
}

/* The number ahead of '-' at s: 4 digits, 1901-2199. */
static int
year_of(const char *s, int *y)
{
	int i;

	for (i = 0, *y = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*y = *y * 10 + (s[i] - '0');
	}
	return *y >= 1901 && *y <= 2199 ? 0 : -1;
}

int
hl_period_parse(const char *s, int sd, struct hl_period *out)
{
	size_t n = strlen(s);
	int y, k;

	if (n < 4 || year_of(s, &y) != 0)
		return -1;
	if (n == 4) {
		*out = hl_period_year(y, sd);
		return 0;
	}
	if (s[4] != '-')
		return -1;
	if (n == 7 && s[5] >= '0' && s[5] <= '1' && s[6] >= '0' &&
	    s[6] <= '9') {
		k = (s[5] - '0') * 10 + (s[6] - '0');
		if (k < 1 || k > 12)
			return -1;
		*out = hl_period_month(y, k, sd);
		return 0;
	}
	if (n != 7 || s[6] < '1')
		return -1;
	k = s[6] - '0';
	if ((s[5] == 'Q' || s[5] == 'q') && k <= 4) {
		*out = hl_period_quarter(y, k, sd);
		return 0;
	}
	if ((s[5] == 'H' || s[5] == 'h') && k <= 2) {
		*out = hl_period_half(y, k, sd);
		return 0;
	}
	return -1;
}

struct hl_period
hl_period_restart(const struct hl_period *p, int sd)
{
	switch (p->kind) {
	case HL_PERIOD_YEAR:
		return hl_period_year(p->year, sd);
	case HL_PERIOD_HALF:
		return hl_period_half(p->year, p->index, sd);
	case HL_PERIOD_QUARTER:
		return hl_period_quarter(p->year, p->index, sd);
	case HL_PERIOD_MONTH:
		return hl_period_month(p->year, p->month, sd);
	default:
		return hl_period_days(hl_time_day(p->from),
				      hl_time_day(p->to - 1), sd);
	}
}

hl_time
hl_period_year_start(int y, int sd)
{
	return month_start(y, 1, clamp_day(sd));
}

struct hl_period
hl_period_before(const struct hl_period *p)
{
	int y = p->year, sd = p->start_day;
	int64_t days;

	switch (p->kind) {
	case HL_PERIOD_YEAR:
		return hl_period_year(y - 1, sd);
	case HL_PERIOD_HALF:
		return p->index > 1 ? hl_period_half(y, p->index - 1, sd)
				    : hl_period_half(y - 1, 2, sd);
	case HL_PERIOD_QUARTER:
		return p->index > 1 ? hl_period_quarter(y, p->index - 1, sd)
				    : hl_period_quarter(y - 1, 4, sd);
	case HL_PERIOD_MONTH:
		return p->month > 1 ? hl_period_month(y, p->month - 1, sd)
				    : hl_period_month(y - 1, 12, sd);
	default:
		days = (p->to - p->from) / 86400;
		return hl_period_days(hl_time_day(p->from) - days,
				      hl_time_day(p->from) - 1, sd);
	}
}

struct hl_period
hl_period_year_back(const struct hl_period *p)
{
	int y0, m0, d0, y1, m1, d1;

	switch (p->kind) {
	case HL_PERIOD_DAYS:
		hl_civil_from_days(hl_time_day(p->from), &y0, &m0, &d0);
		hl_civil_from_days(hl_time_day(p->to - 1), &y1, &m1, &d1);
		return hl_period_days(hl_days_from_civil(y0 - 1, m0, d0),
				      hl_days_from_civil(y1 - 1, m1, d1),
				      p->start_day);
	case HL_PERIOD_YEAR:
		return hl_period_year(p->year - 1, p->start_day);
	case HL_PERIOD_MONTH:
		return hl_period_month(p->year - 1, p->month, p->start_day);
	case HL_PERIOD_QUARTER:
		return hl_period_quarter(p->year - 1, p->index, p->start_day);
	default:
		return hl_period_half(p->year - 1, p->index, p->start_day);
	}
}
