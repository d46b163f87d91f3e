/*
 * calendar.c - the working-day calendar of mainland China for the years
 * whose State Council holiday notices hotline ships (2020-2024), checked
 * day by day against the notices.  A year's notice may reach back into the
 * previous December: the 2023 New Year holiday starts on 2022-12-31, a
 * Saturday, so it changes nothing for a weekday count, but it is listed.
 *
 * Only weekday holidays and weekend make-up working days are listed; every
 * other day follows Monday-to-Friday.
 */
#include "util/util.h"

struct special {
	short y;
	signed char m, d;
	signed char work; /* 1 = make-up working day, 0 = weekday holiday */
};

static const struct special specials[] = {
    /* 2020 (Spring Festival extended to 02-02 by a second notice). */
    {2020, 1, 1, 0},
    {2020, 1, 19, 1},
    {2020, 1, 24, 0},
    {2020, 1, 27, 0},
    {2020, 1, 28, 0},
    {2020, 1, 29, 0},
    {2020, 1, 30, 0},
    {2020, 1, 31, 0},
    {2020, 4, 6, 0},
    {2020, 4, 26, 1},
    {2020, 5, 1, 0},
    {2020, 5, 4, 0},
    {2020, 5, 5, 0},
    {2020, 5, 9, 1},
    {2020, 6, 25, 0},
    {2020, 6, 26, 0},
    {2020, 6, 28, 1},
    {2020, 9, 27, 1},
    {2020, 10, 1, 0},
    {2020, 10, 2, 0},
    {2020, 10, 5, 0},
    {2020, 10, 6, 0},
    {2020, 10, 7, 0},
    {2020, 10, 8, 0},
    {2020, 10, 10, 1},
    /* 2021 */
    {2021, 1, 1, 0},
    {2021, 2, 7, 1},
    {2021, 2, 11, 0},
    {2021, 2, 12, 0},
    {2021, 2, 15, 0},
    {2021, 2, 16, 0},
    {2021, 2, 17, 0},
    {2021, 2, 20, 1},
    {2021, 4, 5, 0},
    {2021, 4, 25, 1},
    {2021, 5, 3, 0},
    {2021, 5, 4, 0},
    {2021, 5, 5, 0},
    {2021, 5, 8, 1},
    {2021, 6, 14, 0},
    {2021, 9, 18, 1},
    {2021, 9, 20, 0},
    {2021, 9, 21, 0},
    {2021, 9, 26, 1},
    {2021, 10, 1, 0},
    {2021, 10, 4, 0},
    {2021, 10, 5, 0},
    {2021, 10, 6, 0},
    {2021, 10, 7, 0},
    {2021, 10, 9, 1},
    /* 2022 */
    {2022, 1, 3, 0},
    {2022, 1, 29, 1},
    {2022, 1, 30, 1},
    {2022, 1, 31, 0},
    {2022, 2, 1, 0},
    {2022, 2, 2, 0},
    {2022, 2, 3, 0},
    {2022, 2, 4, 0},
    {2022, 4, 2, 1},
    {2022, 4, 4, 0},
    {2022, 4, 5, 0},
    {2022, 4, 24, 1},
    {2022, 5, 2, 0},
    {2022, 5, 3, 0},
    {2022, 5, 4, 0},
    {2022, 5, 7, 1},
    {2022, 6, 3, 0},
    {2022, 9, 12, 0},
    {2022, 10, 3, 0},
    {2022, 10, 4, 0},
    {2022, 10, 5, 0},
    {2022, 10, 6, 0},
    {2022, 10, 7, 0},
    {2022, 10, 8, 1},
    {2022, 10, 9, 1},
    {2022, 12, 31, 0},
    /* 2023 (its New Year holiday begins on Saturday 2022-12-31). */
    {2023, 1, 2, 0},
    {2023, 1, 23, 0},
    {2023, 1, 24, 0},
    {2023, 1, 25, 0},
    {2023, 1, 26, 0},
    {2023, 1, 27, 0},
    {2023, 1, 28, 1},
    {2023, 1, 29, 1},
    {2023, 4, 5, 0},
    {2023, 4, 23, 1},
    {2023, 5, 1, 0},
    {2023, 5, 2, 0},
    {2023, 5, 3, 0},
    {2023, 5, 6, 1},
    {2023, 6, 22, 0},
    {2023, 6, 23, 0},
    {2023, 6, 25, 1},
    {2023, 9, 29, 0},
    {2023, 10, 2, 0},
    {2023, 10, 3, 0},
    {2023, 10, 4, 0},
    {2023, 10, 5, 0},
    {2023, 10, 6, 0},
    {2023, 10, 7, 1},
    {2023, 10, 8, 1},
    /* 2024 */
    {2024, 1, 1, 0},
    {2024, 2, 4, 1},
    {2024, 2, 12, 0},
    {2024, 2, 13, 0},
    {2024, 2, 14, 0},
    {2024, 2, 15, 0},
    {2024, 2, 16, 0},
    {2024, 2, 18, 1},
    {2024, 4, 4, 0},
    {2024, 4, 5, 0},
    {2024, 4, 7, 1},
    {2024, 4, 28, 1},
    {2024, 5, 1, 0},
    {2024, 5, 2, 0},
    {2024, 5, 3, 0},
    {2024, 5, 11, 1},
    {2024, 6, 10, 0},
    {2024, 9, 14, 1},
    {2024, 9, 16, 0},
    {2024, 9, 17, 0},
    {2024, 9, 29, 1},
    {2024, 10, 1, 0},
    {2024, 10, 2, 0},
    {2024, 10, 3, 0},
    {2024, 10, 4, 0},
    {2024, 10, 7, 0},
    {2024, 10, 12, 1},
};

#define NDAYS (366 * (HL_CAL_LAST_YEAR - HL_CAL_FIRST_YEAR + 1))

/* Day kinds of the covered years, built on first use from specials[]. */
static signed char table[NDAYS];
static int64_t table_first = -1;

static void
build_table(void)
{
	int64_t first = hl_days_from_civil(HL_CAL_FIRST_YEAR, 1, 1);
	int64_t end = hl_days_from_civil(HL_CAL_LAST_YEAR + 1, 1, 1);
	int64_t day;
	size_t i;

	for (day = first; day < end; day++)
		table[day - first] =
		    (signed char)(hl_iso_weekday(day) <= 5 ? HL_DAY_WORK
							   : HL_DAY_REST);
	for (i = 0; i < HL_ARRAY_LEN(specials); i++)
		table[hl_days_from_civil(specials[i].y, specials[i].m,
					 specials[i].d) -
		      first] =
		    (signed char)(specials[i].work ? HL_DAY_WORK : HL_DAY_REST);
	table_first = first;
}

enum hl_daykind
hl_cal_daykind(int64_t days)
{
	if (table_first < 0)
		build_table();
	if (days < table_first ||
	    days >= hl_days_from_civil(HL_CAL_LAST_YEAR + 1, 1, 1))
		return HL_DAY_UNKNOWN;
	return (enum hl_daykind)table[days - table_first];
}

int64_t
hl_cal_add_workdays(int64_t days, int n)
{
	while (n > 0) {
		enum hl_daykind k;

		days++;
		k = hl_cal_daykind(days);
		if (k == HL_DAY_UNKNOWN)
			return -1;
		n -= k == HL_DAY_WORK;
	}
	return days;
}

int
hl_cal_workdays_in_year(int y)
{
	int64_t day, end;
	int n = 0;

	if (y < HL_CAL_FIRST_YEAR || y > HL_CAL_LAST_YEAR)
		return -1;
	end = hl_days_from_civil(y + 1, 1, 1);
	for (day = hl_days_from_civil(y, 1, 1); day < end; day++)
		n += hl_cal_daykind(day) == HL_DAY_WORK;
	return n;
}
