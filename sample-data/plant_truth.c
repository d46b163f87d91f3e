/*
 * plant_truth.c - what the export of --plant analyses shows, counted for
 * the manifest's "planted" object: the assessment columns' values, every
 * street-month's assessment counts, level-2 topic counts, the surge rule
 * over every cell, and the repeat links (quotes, and the same caller on
 * the same topic and street within 30 days) joined into cases.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "sample-data/plant.h"

static const char *const plant_headers[N_PLANT_COLS] = {
    "是否有效回访", "是否联系", "是否解决",
    "是否纳入考核", "问题分类", "来电号码"};

static const char *const a_names[N_A] = {"tickets",   "left_out", "valid",
					 "contacted", "resolved", "satisfied",
					 "basic"};

/* ---- what the export shows ---- */

/* The assessment columns: valid, contacted, resolved (0/1) and
 * in_assessment (0 是, 1 否, 2 不合理诉求). */
void
plant_assess(const struct plant *p, const struct ticket *t,
	     const struct tstate *st, int v[4])
{
	const struct rates *rt = &p->rates[t->district][t->street];
	int answered =
	    st->sat == SAT_GOOD || st->sat == SAT_BASIC || st->sat == SAT_BAD;
	struct rng r;
	double u[5];
	int i;

	rng_seed(&r, t->seed, 0xa55e55ull, 0, 0);
	for (i = 0; i < 5; i++)
		u[i] = rng_unit(&r);
	v[0] = answered && u[0] < rt->valid;
	v[1] = u[1] < rt->contact;
	v[2] = u[2] <
	       rt->resolve * (v[1] ? 1 : 0.6) * (st->sat == SAT_BAD ? 0.4 : 1);
	v[3] = u[3] < rt->out ? (u[4] < 0.3 ? 2 : 1) : 0;
}

const char *
plant_header(int k)
{
	return plant_headers[k];
}

void
plant_field(struct hl_buf *b, const struct hl_sample *s, const struct ticket *t,
	    const struct tstate *st, int k)
{
	int v[4];

	if (k < 4) {
		plant_assess(s->plant, t, st, v);
		hl_buf_adds(b, k == 3 && v[3] == 2       ? "不合理诉求"
			       : (k == 3 ? !v[3] : v[k]) ? "是"
							 : "否");
	} else if (k == 4) {
		hl_buf_adds(b, s->plant->ftopic_name[t->ftopic]);
	} else {
		hl_buf_printf(b, "%llu", (unsigned long long)t->caller);
	}
}

/* ---- repeat links ---- */

static int32_t
find(struct prec *r, int32_t i)
{
	while (r[i].parent != i) {
		r[i].parent = r[r[i].parent].parent;
		i = r[i].parent;
	}
	return i;
}

static void
unite(struct prec *r, int32_t a, int32_t b)
{
	a = find(r, a);
	b = find(r, b);
	if (a == b)
		return;
	if (b < a) {
		int32_t x = a;

		a = b;
		b = x;
	}
	r[b].parent = a; /* the earlier ticket is the root */
	r[a].size += r[b].size;
}

static uint64_t
caller_hash(const struct prec *x)
{
	return mix64(x->caller ^ ((uint64_t)x->ftopic << 40) ^
		     ((uint64_t)x->district << 48) ^
		     ((uint64_t)x->street << 56));
}

static int
same_key(const struct prec *a, const struct prec *b)
{
	return a->caller == b->caller && a->ftopic == b->ftopic &&
	       a->district == b->district && a->street == b->street;
}

static void
map_grow(struct plant *p)
{
	uint32_t *old = p->map;
	size_t oldcap = p->map_cap, i;

	p->map_cap *= 2;
	p->map = hl_xcalloc(p->map_cap, sizeof(*p->map));
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (!old[i])
			continue;
		j = caller_hash(&p->rec[old[i] - 1]) & (p->map_cap - 1);
		while (p->map[j])
			j = (j + 1) & (p->map_cap - 1);
		p->map[j] = old[i];
	}
	free(old);
}

/*
 * Links record i to the latest earlier ticket of its caller, topic and
 * street if that came at most CALLER_DAYS days before; returns 1 then.
 */
static int
caller_link(struct plant *p, int32_t i)
{
	const struct prec *x = &p->rec[i];
	size_t j;
	int linked = 0;

	if (2 * (p->map_n + 1) > p->map_cap)
		map_grow(p);
	j = caller_hash(x) & (p->map_cap - 1);
	while (p->map[j] && !same_key(&p->rec[p->map[j] - 1], x))
		j = (j + 1) & (p->map_cap - 1);
	if (p->map[j]) {
		int32_t prev = (int32_t)p->map[j] - 1;

		if (p->rec[prev].accepted < x->accepted &&
		    x->accepted - p->rec[prev].accepted <=
			(hl_time)CALLER_DAYS * DAY) {
			unite(p->rec, prev, i);
			linked = 1;
		}
	} else {
		p->map_n++;
	}
	p->map[j] = (uint32_t)i + 1;
	return linked;
}

/* Counts the month as written and records it for the links. */
void
plant_count_month(struct hl_sample *s, int mi)
{
	struct plant *p = s->plant;
	size_t i;
	int d, st, l2;

	if (p->nrec + s->nbatch > p->rec_cap) {
		while (p->rec_cap < p->nrec + s->nbatch)
			p->rec_cap = p->rec_cap ? p->rec_cap * 2 : 65536;
		p->rec = hl_xrealloc(p->rec, p->rec_cap * sizeof(*p->rec));
	}
	memset(p->cells[mi % 7], 0, sizeof(p->cells[0]));
	for (i = 0; i < s->nbatch; i++) {
		const struct ticket *t = &s->batch[i];
		int32_t ri = (int32_t)(p->nrec + i);
		struct prec *x = &p->rec[ri];
		long *a = &p->assess[(((size_t)mi * N_DISTRICTS + t->district) *
					  MAX_STREETS +
				      t->street) *
				     N_A];
		long *rp =
		    &p->repeats[((size_t)mi * N_DISTRICTS + t->district) * 4];
		struct tstate ts;
		int v[4];

		(*plant_cell(p, mi, t->district, t->street,
			     p->l2_of[t->ftopic]))++;
		p->topics[((size_t)mi * N_DISTRICTS + t->district) * MAX_L2 +
			  (size_t)p->l2_of[t->ftopic]]++;
		ticket_state(t, s->export_time, &ts);
		plant_assess(p, t, &ts, v);
		a[A_TICKETS]++;
		if (v[3]) {
			a[A_LEFT_OUT]++;
		} else if (v[0]) {
			a[A_VALID]++;
			a[A_CONTACTED] += v[1];
			a[A_RESOLVED] += v[2];
			a[A_SAT] += ts.sat == SAT_GOOD;
			a[A_BASIC] += ts.sat == SAT_BASIC;
		}

		x->accepted = t->accepted;
		x->caller = t->caller;
		x->parent = ri;
		x->size = 1;
		x->seq = t->seq;
		x->district = t->district;
		x->street = t->street;
		x->ftopic = t->ftopic;
		x->links = 0;
		if (t->ref_rec && t->ref_rec - 1 != ri) {
			x->links |= 1;
			unite(p->rec, t->ref_rec - 1, ri);
		}
		if (caller_link(p, ri))
			x->links |= 2;
		rp[0]++;
		rp[1] += x->links != 0;
		rp[2] += (x->links & 1) != 0;
		rp[3] += (x->links & 2) != 0;
	}
	p->nrec += s->nbatch;

	/* The rule over every cell that has its six months before. */
	if (mi < 6)
		return;
	for (d = 0; d < N_DISTRICTS; d++)
		for (st = 0; st < n_streets(d); st++)
			for (l2 = 0; l2 < p->nl2; l2++) {
				int c = *plant_cell(p, mi, d, st, l2);
				int64_t sum = plant_base_sum(p, mi, d, st, l2);
				struct surge *g = NULL;
				size_t k;

				if (!plant_surges(c, sum, 3))
					continue;
				for (k = 0; k < p->nsurges; k++)
					if (p->surges[k].mi == mi &&
					    p->surges[k].district == d &&
					    p->surges[k].street == st &&
					    p->surges[k].l2 == l2)
						g = &p->surges[k];
				if (g == NULL) {
					if (p->nothers == p->others_cap) {
						p->others_cap =
						    p->others_cap
							? p->others_cap * 2
							: 16;
						p->others = hl_xrealloc(
						    p->others,
						    p->others_cap *
							sizeof(*p->others));
					}
					g = &p->others[p->nothers++];
					memset(g, 0, sizeof(*g));
					g->mi = mi;
					g->district = d;
					g->street = st;
					g->l2 = l2;
				}
				g->count = c;
				g->base_sum = sum;
			}
}

/* ---- the manifest ---- */

static json_t *
ticket_id(const struct hl_sample *s, const struct prec *x)
{
	int y, m, d;
	char buf[32];

	hl_civil_from_days(x->accepted / DAY, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%s%04d%02d%02d%06u",
		 s->o.header_variant == 2 ? "GZ" : "", y % 10000, m % 100,
		 d % 100, x->seq % 1000000);
	return json_string(buf);
}

static json_t *
counts_json(const long *a)
{
	json_t *o = json_object();
	int k;

	for (k = 0; k < N_A; k++)
		json_object_set_new(o, a_names[k], json_integer(a[k]));
	return o;
}

/* Per year: twelve month objects made by fn(s, month index). */
static json_t *
by_month(struct hl_sample *s, json_t *(*fn)(struct hl_sample *, int))
{
	json_t *years = json_object();
	int y, m;

	for (y = s->o.first_year; y <= s->o.last_year; y++) {
		json_t *months = json_array();
		char key[8];

		for (m = 1; m <= 12; m++) {
			json_t *o = fn(s, (y - s->o.first_year) * 12 + m - 1);

			json_object_set_new(o, "month", json_integer(m));
			json_array_append_new(months, o);
		}
		snprintf(key, sizeof(key), "%d", y % 10000);
		json_object_set_new(years, key, months);
	}
	return years;
}

static json_t *
assess_month(struct hl_sample *s, int mi)
{
	struct plant *p = s->plant;
	json_t *o = json_object(), *ds = json_object();
	int d, st, k;

	for (d = 0; d < N_DISTRICTS; d++) {
		long tot[N_A] = {0};
		json_t *sts = json_object(), *dj;

		for (st = 0; st < n_streets(d); st++) {
			const long *a =
			    &p->assess[(((size_t)mi * N_DISTRICTS + d) *
					    MAX_STREETS +
					st) *
				       N_A];

			for (k = 0; k < N_A; k++)
				tot[k] += a[k];
			if (a[A_TICKETS])
				json_object_set_new(sts,
						    districts[d].streets[st],
						    counts_json(a));
		}
		dj = counts_json(tot);
		json_object_set_new(dj, "streets", sts);
		json_object_set_new(ds, districts[d].name, dj);
	}
	json_object_set_new(o, "districts", ds);
	return o;
}

static json_t *
topics_month(struct hl_sample *s, int mi)
{
	struct plant *p = s->plant;
	json_t *o = json_object(), *ds = json_object(), *city = json_object();
	int d, l2;

	for (l2 = 0; l2 < p->nl2; l2++) {
		long n = 0;

		for (d = 0; d < N_DISTRICTS; d++)
			n += p->topics[((size_t)mi * N_DISTRICTS + d) * MAX_L2 +
				       (size_t)l2];
		if (n)
			json_object_set_new(city, p->l2_name[l2],
					    json_integer(n));
	}
	for (d = 0; d < N_DISTRICTS; d++) {
		json_t *dj = json_object();

		for (l2 = 0; l2 < p->nl2; l2++) {
			int n =
			    p->topics[((size_t)mi * N_DISTRICTS + d) * MAX_L2 +
				      (size_t)l2];

			if (n)
				json_object_set_new(dj, p->l2_name[l2],
						    json_integer(n));
		}
		json_object_set_new(ds, districts[d].name, dj);
	}
	json_object_set_new(o, "city", city);
	json_object_set_new(o, "districts", ds);
	return o;
}

static json_t *
repeats_month(struct hl_sample *s, int mi)
{
	json_t *o = json_object(), *ds = json_object();
	int d;

	for (d = 0; d < N_DISTRICTS; d++) {
		const long *r =
		    &s->plant->repeats[((size_t)mi * N_DISTRICTS + d) * 4];

		json_object_set_new(ds, districts[d].name,
				    json_pack("{s:I, s:I, s:I, s:I}", "tickets",
					      (json_int_t)r[0], "repeats",
					      (json_int_t)r[1], "by_quote",
					      (json_int_t)r[2], "by_caller",
					      (json_int_t)r[3]));
	}
	json_object_set_new(o, "districts", ds);
	return o;
}

static json_t *
surges_json(struct hl_sample *s, const struct surge *g, size_t n, int planted)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_pack(
		    "{s:i, s:i, s:s, s:s, s:s, s:i, s:f}", "year",
		    s->o.first_year + g[i].mi / 12, "month", g[i].mi % 12 + 1,
		    "district", districts[g[i].district].name, "street",
		    districts[g[i].district].streets[g[i].street], "topic",
		    s->plant->l2_name[g[i].l2], "count", g[i].count, "baseline",
		    (double)g[i].base_sum / 6);

		if (planted)
			json_object_set_new(o, "extra",
					    json_integer(g[i].extra));
		json_array_append_new(a, o);
	}
	return a;
}

/* Every case of two or more linked tickets, in the order of its first. */
static json_t *
chains_json(struct hl_sample *s)
{
	static const char *const how[4] = {"", "quote", "caller", "both"};
	struct plant *p = s->plant;
	json_t *all = json_array();
	int32_t *slot = hl_xmalloc((p->nrec ? p->nrec : 1) * sizeof(*slot));
	uint8_t *links = hl_xcalloc(p->nrec ? p->nrec : 1, 1);
	size_t i;

	for (i = 0; i < p->nrec; i++) {
		int32_t r = find(p->rec, (int32_t)i);

		links[r] |= p->rec[i].links;
	}
	for (i = 0; i < p->nrec; i++) {
		int32_t r = find(p->rec, (int32_t)i);
		json_t *c;

		if (p->rec[r].size < 2)
			continue;
		if ((size_t)r == i) {
			slot[r] = (int32_t)json_array_size(all);
			json_array_append_new(
			    all, json_pack("{s:[], s:s}", "tickets",
					   "linked_by", how[links[r] & 3]));
		}
		c = json_object_get(json_array_get(all, (size_t)slot[r]),
				    "tickets");
		json_array_append_new(c, ticket_id(s, &p->rec[i]));
	}
	free(slot);
	free(links);
	return all;
}

void *
plant_manifest(struct hl_sample *s)
{
	struct plant *p = s->plant;

	return json_pack(
	    "{s:o, s:o, s:o, s:o, s:{s:i, s:o, s:o}}", "assessment",
	    by_month(s, assess_month), "topics", by_month(s, topics_month),
	    "surges", surges_json(s, p->surges, p->nsurges, 1),
	    "surges_unplanted", surges_json(s, p->others, p->nothers, 0),
	    "repeats", "caller_days", CALLER_DAYS, "chains", chains_json(s),
	    "months", by_month(s, repeats_month));
}
