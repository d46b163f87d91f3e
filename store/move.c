/*
 * move.c - a database copied from one store into another (store.h's
 * hl_store_copy()), whatever their drivers: each table's rows read as
 * text from the one and written to the other, ids kept.
 */
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

static const char *const dict_cols[] = {"id", "kind", "value"};
static const char *const run_cols[] = {
    "id",           "file",           "size",          "sha256",
    "encoding",     "headers",        "extra_headers", "started_at",
    "finished_at",  "status",         "rows_read",     "rows_inserted",
    "rows_updated", "rows_unchanged", "rows_rejected", "rows_flagged"};
static const char *const ticket_cols[] = {
    "id",           "ticket_id",   "accepted_at", "dispatched_at",
    "signed_at",    "deadline_at", "closed_at",   "district",
    "street",       "unit",        "channel",     "category_raw",
    "category",     "key_raw",     "is_key",      "satisfaction_raw",
    "satisfaction", "status_raw",  "status",      "reopen_raw",
    "reopen_count", "quality",     "row_hash",    "run",
    "line",         "content",     "extra",       "extra_run",
    "updated_at",   "assess",      "topic",       "caller",
    "quoted",       "quoted_id"};
static const char *const reject_cols[] = {
    "id", "run", "file", "line", "col", "field", "reason", "raw", "sheet"};
static const char *const sat_cols[] = {"day", "district", "is_key",
				       "satisfaction", "n"};
static const char *const hand_cols[] = {"day",   "district", "category",
					"start", "n",        "secs"};

/* In an order the references allow; the tickets third. */
static const struct hl_store_table tables[] = {
    {"dict", dict_cols, "iit", HL_ARRAY_LEN(dict_cols), 1},
    {"ingest_run", run_cols, "itittttiitiiiiii", HL_ARRAY_LEN(run_cols), 1},
    {"ticket", ticket_cols, "itiiiiiiiiiiiiiiiiiiiiiiittiiiibti",
     HL_ARRAY_LEN(ticket_cols), 1},
    {"reject", reject_cols, "iitiittbt", HL_ARRAY_LEN(reject_cols), 1},
    {"sat_day", sat_cols, "iiiii", HL_ARRAY_LEN(sat_cols), 0},
    {"hand_day", hand_cols, "iiiiii", HL_ARRAY_LEN(hand_cols), 0},
};

void
hl_store_table_cols(const struct hl_store_table *t, struct hl_buf *b)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		hl_buf_printf(b, "%s%s", i ? ", " : "", t->cols[i]);
}

void
hl_store_table_select(const struct hl_store_table *t, struct hl_buf *b)
{
	size_t i;

	/* a rollup's key is its first four columns */
	hl_buf_adds(b, "SELECT ");
	hl_store_table_cols(t, b);
	hl_buf_printf(b, " FROM %s ORDER BY %s", t->name, t->cols[0]);
	for (i = 1; i < 4 && !t->identity && i < t->ncols; i++)
		hl_buf_printf(b, ", %s", t->cols[i]);
}

struct copy {
	struct hl_store *dst;
	int tickets; /* the table is ticket: count and years */
	long long n;
	int64_t lo, hi;
};

static int
one(void *arg, const char *const *v, const size_t *len)
{
	struct copy *c = arg;

	if (c->tickets) {
		int64_t t = strtoll(v[2], NULL, 10);

		if (c->n == 0 || t < c->lo)
			c->lo = t;
		if (c->n == 0 || t > c->hi)
			c->hi = t;
		c->n++;
	}
	return c->dst->drv->move->add_row(c->dst, v, len);
}

static int
year_of(int64_t t)
{
	int y, m, d;

	hl_civil_from_days(t / 86400 - (t % 86400 < 0), &y, &m, &d);
	return y;
}

/*
 * The key of the caller hashes, when src has one: the hashes copied are
 * only of use with it.  0, or -1 with the error on dst.
 */
static int
copy_key(struct hl_store *src, struct hl_store *dst)
{
	struct hl_buf v = HL_BUF_INIT;
	int found, rc = 0;

	if (src->drv->write->setting_get(src, "caller_key", &v, &found) != 0)
		rc = hl_err_set(&dst->err, src->err.code, "%s",
				hl_store_errmsg(src));
	else if (found)
		rc = dst->drv->write->setting_put(dst, "caller_key", v.data,
						  v.len);
	hl_buf_release(&v);
	return rc;
}

int
hl_store_copy(struct hl_store *src, struct hl_store *dst, long long *tickets,
	      int *first, int *last)
{
	struct copy c = {dst, 0, 0, 0, 0};
	size_t i;
	int none = hl_store_no_tickets(dst);

	*tickets = 0;
	*first = *last = 0;
	if (none < 0)
		return -1;
	if (!none)
		return hl_err_set(&dst->err, HL_STORE_ESCHEMA,
				  "'%s' holds tickets already: copy into an "
				  "empty database",
				  dst->path);
	if (hl_store_begin_write(dst, 0) != 0)
		return -1;
	for (i = 0; i < HL_ARRAY_LEN(tables); i++) {
		const struct hl_store_table *t = &tables[i];

		if (strlen(t->types) != t->ncols || t->ncols > HL_STORE_MAXCOLS)
			abort(); /* the table above is wrong */
		c.tickets = strcmp(t->name, "ticket") == 0;
		if (dst->drv->move->begin_rows(dst, t) != 0)
			goto fail;
		if (src->drv->move->rows(src, t, one, &c) != 0) {
			/* the source's error, unless the destination's */
			if (dst->err.code == 0)
				hl_err_set(&dst->err, src->err.code, "%s",
					   hl_store_errmsg(src));
			dst->drv->move->end_rows(dst);
			goto fail;
		}
		if (dst->drv->move->end_rows(dst) != 0)
			goto fail;
	}
	if (copy_key(src, dst) != 0 || hl_store_commit(dst) != 0)
		goto fail;
	*tickets = c.n;
	if (c.n) {
		*first = year_of(c.lo);
		*last = year_of(c.hi);
	}
	return 0;
fail:
	hl_store_rollback(dst);
	return -1;
}
