/*
 * figures_test.h - what the suites of the figures (check_analysis.c,
 * check_analyses.c) share: a hand-made export ingested into a new
 * database, the figures of a query as their JSON, and a value read from
 * it by a dotted path ("on_time.value", "months.2.tickets").
 */
#ifndef HL_FIGURES_TEST_H
#define HL_FIGURES_TEST_H

#include <jansson.h>

#include "analysis/analysis.h"

/* Writes csv to dir/t.csv, ingests it into a new dir/t.db (no row may be
 * rejected) and returns the open store. */
struct hl_store *hl_test_load(const char *dir, const char *csv);

/* The figures of q under s on store, as their JSON. */
json_t *hl_test_compute(struct hl_store *store, const struct hl_settings *s,
			const struct hl_query *q);

/* The value at path (an array's element by its index); fails the test
 * when there is none, or when it is not a number for the second. */
json_t *hl_test_get(json_t *o, const char *path);
double hl_test_num(json_t *f, const char *path);

#endif
