/*
 * datetime.c - civil dates in China Standard Time with integer arithmetic
 * only.  hotline never calls mktime() or localtime(): every export is in
 * UTC+8 without daylight saving, and results must not depend on the TZ or
 * locale of the machine that computes them.
 */
#include "util/util.h"

/*
 * Days since 1970-01-01 in the proleptic Gregorian calendar, by the
 * era-of-400-years method (H. Hinnant, "chrono-compatible low-level date
 * algorithms").
 */
int64_t
hl_days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
hl_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
hl_iso_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (days + 3) % 7;

	if (w < 0)
		w += 7;
	return (int)w + 1;
}

int
hl_days_in_month(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return mdays[m - 1] + (m == 2 && leap);
}

int64_t
hl_time_day(hl_time t)
{
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

int64_t
hl_time_yyyymm(hl_time t)
{
	int y, m, d;

	hl_civil_from_days(hl_time_day(t), &y, &m, &d);
	return (int64_t)y * 100 + m;
}

int64_t
hl_time_yyyymmdd(hl_time t)
{
	int y, m, d;

	hl_civil_from_days(hl_time_day(t), &y, &m, &d);
	return ((int64_t)y * 100 + m) * 100 + d;
}

hl_time
hl_time_make(int y, int mo, int d, int h, int mi, int s)
{
	return hl_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static void
put_digits(char *p, int v, int width)
{
	while (width-- > 0) {
		p[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
hl_time_format_iso(hl_time t, char out[20])
{
	int64_t days = hl_time_day(t);
	int64_t sec = t - days * 86400;
	int y, m, d;

	hl_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = ' ';
	put_digits(out + 11, (int)(sec / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (int)(sec / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (int)(sec % 60), 2);
	out[19] = '\0';
}
