/*
 * rank.c - the monthly rankings of the districts, from the satisfaction
 * rollup, and the scan checked against it.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

static void
rank_row(void *arg, int day, int64_t district, int is_key, int sat, long long n)
{
	struct ctx *x = arg;
	size_t d = an_district_of(&x->dist, district);
	hl_time t =
	    hl_time_make(day / 10000, day / 100 % 100, day % 100, 0, 0, 0);
	int mon;

	if (t < x->y0 || t >= x->y1)
		return;
	mon = an_month_of(x, t);
	/* What the scan of the period's year should have read. */
	if (t < x->s1 && (x->target == (size_t)-1 || d == x->target))
		x->rk_scan[mon - 1] += n;
	if (d == (size_t)-1 || sat < 0 || sat > 3)
		return;
	x->rk[(size_t)(mon - 1) * x->dist.nname + d][is_key == 1][sat] += n;
}

/* Satisfaction counts of every district by month, into x->rk. */
int
an_load_ranking_counts(struct ctx *x)
{
	static const enum hl_store_basis basis[] = {
	    [HL_BASIS_ACCEPTED] = HL_STORE_BY_ACCEPTED,
	    [HL_BASIS_DISPATCHED] = HL_STORE_BY_DISPATCHED,
	    [HL_BASIS_CLOSED] = HL_STORE_BY_CLOSED,
	};
	size_t nd = x->dist.nname;

	x->rk = hl_xcalloc(12 * (nd ? nd : 1), sizeof(*x->rk));
	if (hl_store_sat_counts(x->m->st, basis[x->s->basis], x->y0, x->y1,
				rank_row, x) != 0) {
		an_db_fail(x->m);
		return -1;
	}
	return 0;
}

/*
 * The tickets the scan read, month by month, against the rollup that
 * ingest keeps in the same transactions (another b-tree of the file): a
 * damaged page that SQLite reads as fewer rows, instead of reporting it,
 * would otherwise give smaller figures with no word.  Periods by
 * acceptance only, which the rollup follows.
 */
int
an_check_scan(struct ctx *x)
{
	int mon;

	if (x->s->basis != HL_BASIS_ACCEPTED)
		return 0;
	for (mon = 0; mon < x->pd->last_month; mon++)
		if (x->rk_scan[mon] != x->month[mon].vol.tickets) {
			an_fail(
			    x->m, HL_ANALYSIS_ESTORE,
			    "the database is inconsistent: %ld tickets read "
			    "for %d-%02d, its satisfaction rollup counts %ld; "
			    "it may be damaged: 'hotline check --db FILE' "
			    "tells what",
			    x->month[mon].vol.tickets, x->pd->year, mon + 1,
			    x->rk_scan[mon]);
			return -1;
		}
	return 0;
}

/* a > b beyond rounding (rates with a fractional weight). */
static int
greater(double a, double b)
{
	return a - b > 1e-12 * (a > b ? a : b);
}

/* Competition ranks of every district, month and class. */
void
an_rank_all(struct ctx *x)
{
	size_t nd = x->dist.nname, d, e;
	int mon, k, min = x->s->rank_min > 0 ? x->s->rank_min : 1;

	x->rank = hl_xcalloc(12 * (nd ? nd : 1), sizeof(*x->rank));
	x->rate = hl_xcalloc(12 * (nd ? nd : 1), sizeof(*x->rate));
	for (mon = 0; mon < 12; mon++)
		for (k = 0; k < 2; k++) {
			for (d = 0; d < nd; d++) {
				long *c = x->rk[(size_t)mon * nd + d][k];
				long ev = c[HL_SAT_SATISFIED] +
					  c[HL_SAT_BASIC] +
					  c[HL_SAT_UNSATISFIED];

				x->rate[(size_t)mon * nd + d][k] =
				    ev ? (c[HL_SAT_SATISFIED] +
					  x->s->basic_weight *
					      c[HL_SAT_BASIC]) /
					     (double)ev
				       : -1;
				x->rank[(size_t)mon * nd + d][k] = ev >= min;
				x->ranked[mon][k] += ev >= min;
			}
			for (d = 0; d < nd; d++) {
				size_t i = (size_t)mon * nd + d;
				int r = 1;

				if (!x->rank[i][k])
					continue;
				for (e = 0; e < nd; e++) {
					size_t j = (size_t)mon * nd + e;

					r += x->rank[j][k] != 0 &&
					     greater(x->rate[j][k],
						     x->rate[i][k]);
				}
				x->rank[i][k] = r;
			}
		}
}
