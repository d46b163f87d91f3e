/*
 * districts.c - the districts as stored, matched through the region; and
 * what every file of the metrics uses (the store's error, sorting, the
 * target district's dict ids, the names of dict ids and ticket IDs in one
 * call, a time a year earlier).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

/* The store's last error as the metrics'. */
int
an_db_fail(struct hl_metrics *m)
{
	return an_fail(m, HL_ANALYSIS_ESTORE, "database: %s",
		       hl_store_errmsg(m->st));
}

/* qsort() for arrays that may be empty, and then NULL. */
void
an_sort(void *base, size_t n, size_t size,
	int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

size_t
an_key_index(const struct districts *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->nname; i++)
		if (strcmp(d->key[i], key) == 0)
			return i;
	return (size_t)-1;
}

/* The district index of dict id, or -1 (no district). */
size_t
an_district_of(const struct districts *d, int64_t id)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->id[i] == id)
			return d->of[i];
	return (size_t)-1;
}

void
an_districts_release(struct districts *d)
{
	hl_free_strv(d->name, d->nname);
	hl_free_strv(d->key, d->nname);
	free(d->known);
	free(d->id);
	free(d->of);
	memset(d, 0, sizeof(*d));
}

/* A district while they are sorted by name. */
struct dsort {
	char *name, *key;
	int known;
	size_t was; /* its index before */
};

static int
cmp_dsort(const void *a, const void *b)
{
	const struct dsort *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->key, y->key);
}

/* Orders the districts by name, as every table lists them. */
static void
sort_districts(struct districts *d)
{
	struct dsort *v = hl_xcalloc(d->nname + 1, sizeof(*v));
	size_t *now = hl_xcalloc(d->nname + 1, sizeof(*now));
	size_t i;

	for (i = 0; i < d->nname; i++) {
		v[i].name = d->name[i];
		v[i].key = d->key[i];
		v[i].known = d->known[i];
		v[i].was = i;
	}
	an_sort(v, d->nname, sizeof(*v), cmp_dsort);
	for (i = 0; i < d->nname; i++) {
		d->name[i] = v[i].name;
		d->key[i] = v[i].key;
		d->known[i] = v[i].known;
		now[v[i].was] = i;
	}
	for (i = 0; i < d->n; i++)
		if (d->of[i] != (size_t)-1)
			d->of[i] = now[d->of[i]];
	free(v);
	free(now);
}

/* Loading the districts: the list and what matching needs. */
struct dload {
	struct districts *d;
	const struct hl_region *region;
	struct hl_buf key, disp;
};

/* One district spelling of the store: its district, new or known. */
static void
add_spelling(void *arg, int64_t id, const char *v, size_t len)
{
	struct dload *l = arg;
	struct districts *d = l->d;
	long k = hl_region_match(l->region, v, len, &l->key, &l->disp);
	size_t i = (size_t)-1;

	if (k != -2 && (i = an_key_index(d, l->key.data)) == (size_t)-1) {
		i = d->nname++;
		d->name = hl_xrealloc(d->name, d->nname * sizeof(*d->name));
		d->key = hl_xrealloc(d->key, d->nname * sizeof(*d->key));
		d->known = hl_xrealloc(d->known, d->nname * sizeof(*d->known));
		d->name[i] = hl_xstrdup(l->disp.data);
		d->key[i] = hl_xstrdup(l->key.data);
		d->known[i] = k >= 0;
	}
	d->id = hl_xrealloc(d->id, (d->n + 1) * sizeof(*d->id));
	d->of = hl_xrealloc(d->of, (d->n + 1) * sizeof(*d->of));
	d->id[d->n] = id;
	d->of[d->n++] = i;
}

int
an_load_districts(struct hl_metrics *m, struct districts *d)
{
	struct dload l = {d, m->region, HL_BUF_INIT, HL_BUF_INIT};
	int rc;

	memset(d, 0, sizeof(*d));
	rc = hl_store_names(m->st, HL_DICT_DISTRICT, add_spelling, &l);
	hl_buf_release(&l.key);
	hl_buf_release(&l.disp);
	if (rc != 0) {
		an_db_fail(m);
		return -1;
	}
	sort_districts(d);
	return 0;
}

/*
 * The names (or ticket IDs) of ids[0 .. n-1] into out[], in one call to
 * the store; on a database error, NULLs and x->failed.
 */
void
an_names_of(struct ctx *x, enum hl_store_lookup what, const int64_t *ids,
	    size_t n, char **out)
{
	if (n == 0 || x->failed)
		return;
	if (hl_store_lookup(x->m->st, what, ids, n, out) != 0) {
		an_db_fail(x->m);
		x->failed = 1;
	}
}

/*
 * The dict ids of the target district (a district may be stored under
 * several spellings) into a new array of *n; NULL for the city.
 */
int64_t *
an_target_ids(const struct ctx *x, size_t *n)
{
	int64_t *ids;
	size_t i;

	*n = 0;
	if (x->target == (size_t)-1)
		return NULL;
	ids = hl_xcalloc(x->dist.n + 1, sizeof(*ids));
	for (i = 0; i < x->dist.n; i++)
		if (x->dist.of[i] == x->target)
			ids[(*n)++] = x->dist.id[i];
	return ids;
}

/* t a year earlier: the same day of the month (periods are whole days). */
hl_time
an_year_before(hl_time t)
{
	int y, m, d;

	hl_civil_from_days(hl_time_day(t), &y, &m, &d);
	return hl_time_make(y - 1, m, d, 0, 0, 0);
}
