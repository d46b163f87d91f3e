/*
 * period.c - the periods figures are computed for (figures.h).
 */
#include <stdio.h>

#include "analysis/figures.h"

struct hl_period
hl_period_year(int y)
{
	struct hl_period p;

	p.year = y;
	p.month = 0;
	p.from = hl_time_make(y, 1, 1, 0, 0, 0);
	p.to = hl_time_make(y + 1, 1, 1, 0, 0, 0);
	snprintf(p.label, sizeof(p.label), "%d", y);
	return p;
}

struct hl_period
hl_period_month(int y, int m)
{
	struct hl_period p;

	p.year = y;
	p.month = m;
	p.from = hl_time_make(y, m, 1, 0, 0, 0);
	p.to = m == 12 ? hl_time_make(y + 1, 1, 1, 0, 0, 0)
		       : hl_time_make(y, m + 1, 1, 0, 0, 0);
	snprintf(p.label, sizeof(p.label), "%d-%02d", y, m);
	return p;
}
