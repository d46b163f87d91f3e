/*
 * figures_test.c - the helpers of figures_test.h.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures_test.h"
#include "ingest/ingest.h"
#include "reports/reports.h"
#include "util/util.h"

struct hl_store *
hl_test_load(const char *dir, const char *csv)
{
	struct hl_ingest_opts o;
	struct hl_ingest_stats st;
	struct hl_store *store;
	struct hl_ingest *in;
	struct hl_diag *diag;
	FILE *sink = fopen("/dev/null", "w"), *f;
	char db[160], file[160];

	snprintf(file, sizeof(file), "%s/t.csv", dir);
	f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fputs(csv, f);
	fclose(f);
	snprintf(db, sizeof(db), "%s/t.db", dir);
	ck_assert_int_eq(hl_store_open(db, HL_STORE_WRITE, 0, &store), 0);
	memset(&o, 0, sizeof(o));
	o.now = hl_time_make(2024, 1, 1, 0, 0, 0);
	diag = hl_diag_new(sink, 0);
	ck_assert_int_eq(hl_ingest_open(store, &o, diag, &in), 0);
	ck_assert_msg(hl_ingest_file(in, file, &st) == 0, "%s",
		      hl_ingest_errmsg(in));
	ck_assert_uint_eq(st.rejected, 0);
	hl_ingest_free(in);
	hl_diag_free(diag);
	fclose(sink);
	return store;
}

json_t *
hl_test_compute(struct hl_store *store, const struct hl_settings *s,
		const struct hl_query *q)
{
	struct hl_metrics *m;
	struct hl_figures *f;
	json_t *j;

	ck_assert_int_eq(hl_metrics_open(store, s, &m), 0);
	f = hl_metrics_compute(m, q);
	ck_assert_msg(f != NULL, "%s", hl_metrics_errmsg(m));
	j = hl_figures_json(f);
	hl_figures_free(f);
	hl_metrics_free(m);
	return j;
}

json_t *
hl_test_get(json_t *o, const char *path)
{
	char key[64];
	const char *p = path, *dot;

	while (o && *p) {
		dot = strchr(p, '.');
		snprintf(key, sizeof(key), "%.*s",
			 (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
		o = json_is_array(o) ? json_array_get(o, (size_t)atoi(key))
				     : json_object_get(o, key);
		p = dot ? dot + 1 : p + strlen(p);
	}
	ck_assert_msg(o != NULL, "no '%s' in the figures", path);
	return o;
}

double
hl_test_num(json_t *f, const char *path)
{
	json_t *v = hl_test_get(f, path);

	ck_assert_msg(json_is_number(v), "'%s' is not a number", path);
	return json_number_value(v);
}
