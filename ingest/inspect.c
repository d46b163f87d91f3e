/*
 * inspect.c - what an ingest would make of a file, writing nothing
 * (ingest.h's hl_ingest_inspect()).
 *
 * The file is read exactly as ingest reads it (the same source, header
 * search, mapping and parse thread), and every message ingest would give
 * about its rows is given; only the store is left out.  So what inspect
 * says is what an ingest would do.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/priv.h"

/* Distinct values not recognised that are kept, all fields together. */
#define MAX_UNKNOWN 10000

struct seen {
	size_t i; /* in x->unknown, + 1 */
};

/* A value of field f that the vocabulary does not know, counted. */
static void
unknown(struct hl_inspection *x, struct hl_idmap *m, enum hl_field f,
	const char *v)
{
	uint64_t key = hl_hash64(v, strlen(v), (uint64_t)f + 1) | 1;
	struct hl_inspect_value *u;
	struct seen *s;
	int isnew;

	/* past the cap, only the values already met are counted */
	s = m->n < MAX_UNKNOWN ? hl_idmap_slot(m, key, &isnew)
			       : hl_idmap_find(m, key);
	if (s == NULL) {
		x->more_unknown++;
		return;
	}
	if (s->i == 0) {
		x->unknown = hl_xrealloc(x->unknown, (x->nunknown + 1) *
							 sizeof(*x->unknown));
		u = &x->unknown[x->nunknown++];
		u->field = f;
		u->value = hl_xstrdup(v);
		u->n = 0;
		s->i = x->nunknown;
	}
	x->unknown[s->i - 1].n++;
}

/* " → yes" for the answer of field f as read. */
static const char *
answer_text(const struct hl_row *r, int f)
{
	int k = f - HL_F_VALID_CALLBACK;

	if (r->unknown_answer >> k & 1)
		return " → not recognised";
	if (f == HL_F_IN_ASSESSMENT && r->unreasonable == HL_YN_YES)
		return " → no (an unreasonable demand)";
	switch (f == HL_F_UNREASONABLE ? r->unreasonable
				       : HL_ASSESS_GET(r->assess, k)) {
	case HL_YN_YES:
		return f == HL_F_UNREASONABLE
			   ? " → yes (so not in the assessment)"
			   : " → yes";
	case HL_YN_NO:
		return " → no";
	default:
		return " → not given";
	}
}

/* Row r of batch b as its fields read, kept as the next first row. */
static void
keep_row(struct hl_inspection *x, const struct hl_batch *b,
	 const struct hl_item *it)
{
	const struct hl_row *r = &it->row;
	struct hl_inspect_row *k;
	char t[20];
	int f;

	x->rows = hl_xrealloc(x->rows, (x->nrows + 1) * sizeof(*x->rows));
	k = &x->rows[x->nrows++];
	memset(k, 0, sizeof(*k));
	k->line = it->start.line;
	for (f = 0; f < HL_F_COUNT; f++) {
		const char *v = hl_row_value(b, r, f);
		struct hl_buf s = HL_BUF_INIT;

		if (r->has_time >> f & 1) {
			hl_time_format_iso(r->t[f], t);
			hl_buf_adds(&s, t);
			if (r->date_only >> f & 1)
				hl_buf_adds(&s, " (a date alone)");
		} else if (v) {
			hl_buf_adds(&s, v);
		} else {
			continue;
		}
		if (f == HL_F_CATEGORY)
			hl_buf_printf(&s, " → %s%s",
				      hl_category_name(r->category),
				      r->unknown & HL_UNKNOWN_CATEGORY
					  ? " (not recognised)"
					  : "");
		else if (f == HL_F_SATISFACTION)
			hl_buf_printf(&s, " → %s%s",
				      hl_satisfaction_name(r->satisfaction),
				      r->unknown & HL_UNKNOWN_SATISFACTION
					  ? " (not recognised)"
					  : "");
		else if (f == HL_F_STATUS)
			hl_buf_printf(&s, " → %s",
				      r->unknown & HL_UNKNOWN_STATUS
					  ? "not recognised"
					  : hl_status_name(r->status));
		else if (f == HL_F_IS_KEY)
			hl_buf_printf(&s, " → %s",
				      r->is_key == HL_YESNO_UNKNOWN
					  ? "not "
					    "recognised"
				      : r->is_key ? "key"
						  : "ordinary");
		else if (f == HL_F_REOPEN_COUNT &&
			 r->reopen == HL_REOPEN_INVALID)
			hl_buf_adds(&s, " → not a count");
		else if (hl_field_is_answer((enum hl_field)f))
			hl_buf_adds(&s, answer_text(r, f));
		k->value[f] = hl_buf_detach(&s, NULL);
	}
	/* the number is never shown, only that there is one */
	if (r->caller_given)
		k->value[HL_F_CALLER] = hl_xstrdup("***");
	/* a topic joined from its levels */
	if (r->has_topic && !(r->present >> HL_F_TOPIC & 1)) {
		struct hl_buf s = HL_BUF_INIT;

		hl_buf_add(&s, b->bytes.data + r->topic, r->topic_n);
		hl_buf_adds(&s, " (joined from the levels)");
		k->value[HL_F_TOPIC] = hl_buf_detach(&s, NULL);
	}
}

/* What the items of b say, counted; rejects said as ingest says them. */
static void
take_batch(struct hl_ingest *in, struct hl_inspection *x, struct hl_idmap *m,
	   const struct hl_batch *b, size_t nrows)
{
	static const struct {
		enum hl_field f;
		unsigned bit;
	} vocab[] = {{HL_F_CATEGORY, HL_UNKNOWN_CATEGORY},
		     {HL_F_SATISFACTION, HL_UNKNOWN_SATISFACTION},
		     {HL_F_STATUS, HL_UNKNOWN_STATUS},
		     {HL_F_REOPEN_COUNT, HL_UNKNOWN_REOPEN}};
	const char *v;
	size_t i, k;

	for (i = 0; i < b->n; i++) {
		const struct hl_item *it = &b->items[i];
		struct cur c;

		memset(&c, 0, sizeof(c));
		c.b = b;
		c.it = it;
		c.rec = hl_item_record(b, it);
		if (it->kind == HL_ITEM_FAIL) {
			fail(in, HL_INGEST_EIO, "%s", b->bytes.data + it->msg);
			return;
		}
		if (it->kind == HL_ITEM_SKIP) {
			hl_ingest_skip_seen(in, &c);
			continue;
		}
		in->stats.read++;
		if (it->kind == HL_ITEM_REJECT) {
			hl_diag_report_kind(in->diag, HL_ERROR, in->file,
					    it->errpos, it->errkind, "%s",
					    b->bytes.data + it->msg);
			in->stats.rejected++;
			continue;
		}
		hl_ingest_blanks_seen(in, &c);
		if (x->nrows < nrows)
			keep_row(x, b, it);
		for (k = 0; k < HL_ARRAY_LEN(vocab); k++) {
			v = hl_row_value(b, &it->row, vocab[k].f);
			if ((it->row.unknown & vocab[k].bit) && v)
				unknown(x, m, vocab[k].f, v);
		}
		for (k = 0; k <= HL_F_UNREASONABLE - HL_F_VALID_CALLBACK; k++) {
			enum hl_field f =
			    (enum hl_field)(HL_F_VALID_CALLBACK + k);

			v = hl_row_value(b, &it->row, f);
			if ((it->row.unknown_answer >> k & 1) && v)
				unknown(x, m, f, v);
		}
		/* the key flag has no unknown bit: its value says */
		v = hl_row_value(b, &it->row, HL_F_IS_KEY);
		if (it->row.is_key == HL_YESNO_UNKNOWN && v)
			unknown(x, m, HL_F_IS_KEY, v);
		if (it->row.has_time >> HL_F_ACCEPTED_AT & 1) {
			hl_time t = it->row.t[HL_F_ACCEPTED_AT];

			if (x->first == 0 || t < x->first)
				x->first = t;
			if (t > x->last)
				x->last = t;
		}
	}
}

static int
by_field_then_count(const void *a, const void *b)
{
	const struct hl_inspect_value *x = a, *y = b;

	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->value, y->value);
}

/* The header found: its columns and what each fills. */
static void
take_header(struct hl_ingest *in, struct hl_inspection *x)
{
	size_t i;
	int f;

	x->ncols = in->ncols;
	x->cols = hl_xcalloc(in->ncols ? in->ncols : 1, sizeof(*x->cols));
	for (i = 0; i < in->ncols; i++)
		x->cols[i].header = hl_xstrdup(in->headers[i]);
	for (f = 0; f < HL_F_COUNT; f++)
		if (in->cols.col[f] >= 0)
			x->cols[in->cols.col[f]].fields |= 1u << f;
	x->missing = hl_ingest_missing(in);
}

int
hl_ingest_inspect(struct hl_ingest *in, const char *path, size_t nrows,
		  struct hl_inspection *x)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct hl_source *src;
	struct hl_idmap m;
	struct hl_parse p;
	struct hl_pipe *pp;
	const char *sheet;
	int rc = -1, end = 0, k;

	memset(x, 0, sizeof(*x));
	hl_idmap_init(&m, sizeof(struct seen));
	hl_ingest_start_file(in, path);
	if (f == NULL)
		return fail(in, HL_INGEST_EIO, "cannot open '%s': %s", path,
			    strerror(errno));
	src = in->src = hl_source_open(f, in->file, in->enc, in->o.sheet);
	if (hl_ingest_find_table(in, &src, f, 0) != 0)
		goto done;
	x->format = hl_xstrdup(src->ops->kind);
	x->nsheets = hl_source_sheets(src, &sheet);
	x->sheet = sheet ? hl_xstrdup(sheet) : NULL;
	x->header_line = in->header_line;
	take_header(in, x);
	hl_ingest_parse(in, src, &p);
	pp = hl_pipe_start(&p);
	rc = 0;
	while (!end && rc == 0) {
		struct hl_batch *b = hl_pipe_next(pp);

		end = b->end;
		take_batch(in, x, &m, b, nrows);
		rc = in->err.code ? -1 : 0;
		hl_pipe_release(pp, b);
	}
	hl_pipe_free(pp);
	x->encoding = hl_xstrdup(hl_source_encoding(src));
	x->read = in->stats.read;
	x->rejected = in->stats.rejected;
	x->skipped_empty = in->skips[HL_SKIP_EMPTY];
	x->skipped_totals = in->skips[HL_SKIP_TOTALS];
	for (k = 0; k < HL_F_COUNT; k++)
		if (in->cols.col[k] >= 0)
			x->cols[in->cols.col[k]].blank += in->blanks[k];
	if (rc == 0) {
		hl_ingest_blanks_report(in);
		hl_ingest_skips_report(in);
	}
	qsort(x->unknown, x->nunknown, sizeof(*x->unknown),
	      by_field_then_count);
done:
	hl_idmap_release(&m);
	hl_ingest_end_file(in);
	if (f != stdin)
		fclose(f);
	return rc;
}

void
hl_inspection_release(struct hl_inspection *x)
{
	size_t i;
	int f;

	for (i = 0; i < x->ncols; i++)
		free(x->cols[i].header);
	free(x->cols);
	for (i = 0; i < x->nrows; i++)
		for (f = 0; f < HL_F_COUNT; f++)
			free(x->rows[i].value[f]);
	free(x->rows);
	for (i = 0; i < x->nunknown; i++)
		free(x->unknown[i].value);
	free(x->unknown);
	free(x->format);
	free(x->encoding);
	free(x->sheet);
	memset(x, 0, sizeof(*x));
}
