/*
 * export.c - the verdict on each ticket of a period (`hotline export`,
 * docs/export.md): after the figures are built, one more scan of the
 * period hands every ticket the figures counted to the query's each(),
 * with what they decided for it by the same rules (an_deadline_of(), the
 * on-time rule of an_on_time_rule(), an_handling_of(), the calendar's
 * working seconds) at the same as-of time, and its case of repeat calls.
 *
 * Names are looked up a batch of tickets at a time (one call for their
 * ticket IDs and their cases' first IDs, one for the street and unit
 * names not seen yet), so memory stays that of one batch and the names
 * of the streets and units.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/priv.h"

const char *const hl_deadline_source_names[3] = {"export", "computed", "none"};
const char *const hl_verdict_status_names[6] = {
    "on_time", "late",         "no_deadline",
    "open",    "open_overdue", "open_no_deadline"};
const char *const hl_verdict_count_names[4] = {"on_time", "late", "pending",
					       "left_out"};

#define BATCH 256

/* A ticket whose names are still to be looked up. */
struct pend {
	struct hl_store_ticket v; /* quoted and caller cleared */
	struct hl_ticket_verdict d;
	int64_t first; /* its case's first ticket, or 0 */
	size_t dist;   /* canonical district index, or -1 */
};

struct xport {
	hl_time as_of;
	struct pend b[BATCH];
	size_t n;
	struct hl_idmap names; /* dict id -> char * (owned) */
};

/* How the headline on-time rate counts v (an_on_time_rule()'s cases). */
static enum hl_verdict_count
counted_of(const struct hl_settings *s, const struct hl_ticket_verdict *d)
{
	int closed = d->v->has >> T_CLOSED & 1;
	int has_dl = d->dl_source != HL_DLS_NONE;

	if (s->denominator == HL_DENOM_CLOSED ? !closed
					      : !(d->v->has >> T_DISP & 1))
		return HL_VC_LEFT_OUT;
	if (has_dl) {
		if (closed)
			return d->status == HL_VS_ON_TIME ? HL_VC_ON_TIME
							  : HL_VC_LATE;
		return d->status == HL_VS_OPEN_OVERDUE ? HL_VC_LATE
						       : HL_VC_PENDING;
	}
	switch (s->no_deadline) {
	case HL_NODL_EXCLUDED:
		break;
	case HL_NODL_ON_TIME:
		return closed ? HL_VC_ON_TIME : HL_VC_PENDING;
	case HL_NODL_LATE:
		return closed ? HL_VC_LATE : HL_VC_PENDING;
	}
	return HL_VC_LEFT_OUT;
}

/* The verdict on t (its deadline worked out) at as_of, but the names. */
static void
judge(struct ctx *x, const struct tk *t, hl_time as_of,
      struct hl_ticket_verdict *d)
{
	int closed = t->v.has >> T_CLOSED & 1;
	hl_time start;

	d->as_of = as_of;
	d->deadline = t->has_deadline ? t->deadline : 0;
	d->dl_source = !t->has_deadline       ? HL_DLS_NONE
		       : t->v.has >> T_DL & 1 ? HL_DLS_EXPORT
					      : HL_DLS_COMPUTED;
	if (closed)
		d->status = !t->has_deadline ? HL_VS_NO_DEADLINE
			    : t->v.t[T_CLOSED] <= t->deadline ? HL_VS_ON_TIME
							      : HL_VS_LATE;
	else
		d->status = !t->has_deadline      ? HL_VS_OPEN_NO_DEADLINE
			    : t->deadline < as_of ? HL_VS_OPEN_OVERDUE
						  : HL_VS_OPEN;
	d->late_secs = d->status == HL_VS_LATE ? t->v.t[T_CLOSED] - t->deadline
		       : d->status == HL_VS_OPEN_OVERDUE ? as_of - t->deadline
							 : 0;
	d->handling = HL_VH_OPEN;
	if (closed) {
		d->handling = an_handling_of(x, t, &start, &d->nat_secs)
				  ? HL_VH_COUNTED
				  : HL_VH_LEFT_OUT;
		d->work_ok =
		    d->handling == HL_VH_COUNTED &&
		    hl_calendar_work_secs(x->m->cal, start, t->v.t[T_CLOSED],
					  &d->work_secs) == 0;
	}
}

/* The name of dict id (NULL: none), from the names looked up. */
static const char *
dict_name(struct xport *e, int64_t id)
{
	char **p = id ? hl_idmap_find(&e->names, (uint64_t)id) : NULL;

	return p ? *p : NULL;
}

/* Queues dict id for lookup unless it is known or queued. */
static void
want_name(struct xport *e, int64_t id, int64_t *ids, size_t *n)
{
	int isnew;

	if (id == 0)
		return;
	hl_idmap_slot(&e->names, (uint64_t)id, &isnew);
	if (isnew)
		ids[(*n)++] = id;
}

/* The batch's names looked up, then each ticket handed over. */
static void
flush(struct ctx *x)
{
	struct xport *e = x->xp;
	int64_t ids[2 * BATCH] = {0}, dids[2 * BATCH] = {0};
	char *tid[2 * BATCH], *dn[2 * BATCH];
	size_t i, nd = 0;

	for (i = 0; i < e->n; i++) {
		ids[2 * i] = e->b[i].v.id;
		ids[2 * i + 1] = e->b[i].first;
		want_name(e, e->b[i].v.street, dids, &nd);
		want_name(e, e->b[i].v.unit, dids, &nd);
	}
	memset(tid, 0, sizeof(tid));
	memset(dn, 0, sizeof(dn));
	an_names_of(x, HL_LOOKUP_TICKET, ids, 2 * e->n, tid);
	an_names_of(x, HL_LOOKUP_DICT, dids, nd, dn);
	for (i = 0; i < nd; i++)
		*(char **)hl_idmap_find(&e->names, (uint64_t)dids[i]) =
		    dn[i] ? dn[i] : hl_xstrdup("");
	for (i = 0; i < e->n && !x->failed; i++) {
		struct pend *p = &e->b[i];

		p->d.v = &p->v;
		p->d.ticket_id = tid[2 * i] ? tid[2 * i] : "";
		p->d.repeat_case = tid[2 * i + 1];
		p->d.district =
		    p->dist == (size_t)-1 ? NULL : x->dist.name[p->dist];
		p->d.street = dict_name(e, p->v.street);
		p->d.unit = dict_name(e, p->v.unit);
		x->q->each(x->q->each_arg, &p->d);
	}
	for (i = 0; i < 2 * e->n; i++)
		free(tid[i]);
	e->n = 0;
}

/* One ticket of the export's scan: those of the period, as an_take(). */
static void
take(struct ctx *x, struct tk *t)
{
	struct xport *e = x->xp;
	struct pend *p;
	hl_time bt;

	if (x->failed || !an_basis_time(x->s->basis, t, &bt) || bt < x->p0 ||
	    bt >= x->p1)
		return;
	an_deadline_of(x, t, 0);
	p = &e->b[e->n++];
	memset(p, 0, sizeof(*p));
	p->v = t->v;
	p->v.caller = NULL;
	p->v.quoted = NULL;
	p->dist = an_district_of(&x->dist, t->v.district);
	judge(x, t, e->as_of, &p->d);
	p->d.v = &p->v;
	p->d.counted = counted_of(x->s, &p->d);
	p->first = an_repeat_of(x, t->v.id, &p->d.repeat);
	if (e->n == BATCH)
		flush(x);
}

int
an_export(struct ctx *x, hl_time as_of)
{
	struct xport *e = hl_xcalloc(1, sizeof(*e));
	hl_time lo = x->s->basis == HL_BASIS_ACCEPTED ? x->p0 : INT64_MIN;
	size_t i;
	int rc;

	e->as_of = as_of;
	hl_idmap_init(&e->names, sizeof(char *));
	x->xp = e;
	rc = an_scan(x, lo, x->p1, take);
	if (rc == 0 && e->n)
		flush(x);
	if (x->failed)
		rc = -1;
	for (i = 0; i < e->names.cap; i++)
		if (e->names.key[i])
			free(*(char **)hl_idmap_val(&e->names, i));
	hl_idmap_release(&e->names);
	free(e);
	x->xp = NULL;
	return rc;
}
