/*
 * pipe.c - the parse thread: records into rows or rejects, in batches
 * (contracts in pipe.h).
 *
 * Everything a record needs later is copied into its batch: the values of
 * the mapped cells, the raw bytes (kept with a reject; positions for
 * warnings are worked out from them), the JSON of the unmapped cells and
 * any message, already formatted.  The thread touches neither the
 * database nor the diagnostics: their order is the calling thread's.
 */
#define _POSIX_C_SOURCE 200809L

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/fields.h"
#include "ingest/pipe.h"
#include "store/store.h"

#define NBATCH 3
#define BATCH_ITEMS 1024
#define BATCH_BYTES (1u << 20)
/* Ticket IDs are short (dates and a sequence number); a longer one is a
 * misread column or hostile input. */
#define MAX_ID 128
/* A batch that held a huge record gives its memory back. */
#define BATCH_KEEP (8u << 20)

struct hl_pipe {
	const struct hl_parse *p;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct hl_batch batch[NBATCH];
	struct hl_batch *full[NBATCH], *empty[NBATCH];
	size_t nfull, nempty, full_head;
	int stop;
};

const char *
hl_row_value(const struct hl_batch *b, const struct hl_row *r, int f)
{
	return r->present & 1u << f ? b->bytes.data + r->off[f] : NULL;
}

struct hl_record
hl_item_record(const struct hl_batch *b, const struct hl_item *it)
{
	struct hl_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.start = it->start;
	rec.raw = b->bytes.data + it->raw;
	rec.rawlen = it->rawlen;
	return rec;
}

/* ---- one record ---- */

static void reject(struct hl_batch *b, struct hl_item *it, struct hl_pos pos,
		   long col, const char *kind, const char *fmt, ...)
    HL_PRINTF(6, 7);

/*
 * Makes it a reject at pos with the message fmt; kind groups the messages
 * (NULL: the format does).
 */
static void
reject(struct hl_batch *b, struct hl_item *it, struct hl_pos pos, long col,
       const char *kind, const char *fmt, ...)
{
	va_list ap;

	it->kind = HL_ITEM_REJECT;
	it->errpos = pos;
	it->errkind = kind ? kind : fmt;
	it->col = col;
	it->msg = b->bytes.len;
	va_start(ap, fmt);
	hl_buf_vprintf(&b->bytes, fmt, ap);
	va_end(ap);
	hl_buf_addc(&b->bytes, '\0');
}

/* 1 when column c holds a caller's number (the field's or a duplicate). */
static int
caller_col(const struct hl_parse *p, size_t c)
{
	size_t i;

	if (p->cols->col[HL_F_CALLER] == (long)c)
		return 1;
	for (i = 0; i < p->cols->ndups; i++)
		if (p->cols->dups[i].col == c &&
		    p->cols->dups[i].field == HL_F_CALLER)
			return 1;
	return 0;
}

/* 1 when the export has a column of callers' numbers. */
static int
has_caller_cols(const struct hl_parse *p)
{
	size_t i;

	for (i = 0; i < p->ncols; i++)
		if (caller_col(p, i))
			return 1;
	return 0;
}

/* s[0..n) with its digits masked, in a copy.  Caller frees. */
static char *
masked(const char *s, size_t n)
{
	char *m = hl_xmalloc(n + 1);

	memcpy(m, s, n);
	m[n] = '\0';
	hl_mask_digits(m, n);
	return m;
}

/*
 * The record's hash, for telling whether a ticket changed: a caller's
 * cell counts as its hash (mac, when made) and its masked text, never as
 * the number, which a plain 64-bit hash would not hide from whoever
 * tries every number.
 */
static uint64_t
record_hash(const struct hl_parse *p, const struct hl_record *rec,
	    const unsigned char *mac)
{
	uint64_t h = 0;
	size_t i;

	/* Each field's length is hashed with it: no two splits of the
	 * same bytes hash alike by construction. */
	for (i = 0; i < rec->nfields; i++) {
		char *m;

		if (!caller_col(p, i)) {
			h = hl_hash64(rec->field[i], rec->len[i], h);
			continue;
		}
		m = masked(rec->field[i], rec->len[i]);
		h = hl_hash64(m, rec->len[i], h);
		free(m);
		if (mac && (long)i == p->cols->col[HL_F_CALLER])
			h = hl_hash64(mac, HL_CALLER_HASH_LEN, h);
	}
	return h;
}

char *
hl_cells_json(char *const *cell, const size_t *len, const size_t *idx, size_t n)
{
	json_t *a = json_array();
	char *text;
	size_t i, k;

	for (i = 0; i < n; i++) {
		k = idx ? idx[i] : i;
		json_array_append_new(a, len ? json_stringn(cell[k], len[k])
					     : json_string(cell[k]));
	}
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (text == NULL)
		hl_oom(0);
	return text;
}

/* The JSON array of the unmapped cells into the batch. */
static void
put_extra(const struct hl_parse *p, struct hl_batch *b,
	  const struct hl_record *rec, struct hl_row *r)
{
	char **cell = hl_xcalloc(p->nextra, sizeof(*cell));
	size_t *len = hl_xcalloc(p->nextra, sizeof(*len)), i;
	char *text;

	/* a second column of numbers (a duplicate) is kept masked */
	for (i = 0; i < p->nextra; i++) {
		size_t c = p->extra[i];

		len[i] = rec->len[c];
		cell[i] = caller_col(p, c) ? masked(rec->field[c], rec->len[c])
					   : rec->field[c];
	}
	text = hl_cells_json(cell, len, NULL, p->nextra);
	for (i = 0; i < p->nextra; i++)
		if (caller_col(p, p->extra[i]))
			free(cell[i]);
	free(cell);
	free(len);
	r->extralen = strlen(text);
	r->extra = hl_buf_put(&b->bytes, text, r->extralen);
	free(text);
}

/*
 * The assessment answers of the cells v[] into r->assess (-1 when no
 * column gives one), each not recognised noted in r->unknown_answer.
 */
static void
read_answers(const struct hl_parse *p, const char *const *v, struct hl_row *r)
{
	enum hl_yesno unreasonable = HL_YN_NONE;
	unsigned a = 0;
	int k, any = 0, known;

	r->assess = -1;
	for (k = 0; k <= HL_F_UNREASONABLE - HL_F_VALID_CALLBACK; k++) {
		enum hl_field f = (enum hl_field)(HL_F_VALID_CALLBACK + k);
		enum hl_yesno yn = HL_YN_NONE;

		if (p->cols->col[f] < 0)
			continue;
		any = 1;
		if (v[f]) {
			yn =
			    hl_mapping_answer(p->map, f, v[f], r->n[f], &known);
			if (!known) {
				r->unknown_answer |= 1u << k;
				r->unknown |= HL_UNKNOWN_ANSWER;
			}
		}
		if (f == HL_F_UNREASONABLE)
			unreasonable = yn;
		else
			a = HL_ASSESS_SET(a, k, yn);
	}
	/* an unreasonable demand is left out of the assessment */
	r->unreasonable = (int)unreasonable;
	if (unreasonable == HL_YN_YES)
		a = HL_ASSESS_SET(a, HL_AS_IN_ASSESSMENT, HL_YN_NO);
	if (any)
		r->assess = (int)a;
}

/* The topic: its column as given, else its levels joined with '-'. */
static void
read_topic(struct hl_batch *b, const char *const *v, struct hl_row *r)
{
	int f;

	if (v[HL_F_TOPIC]) {
		r->topic =
		    hl_buf_put(&b->bytes, v[HL_F_TOPIC], r->n[HL_F_TOPIC]);
		r->topic_n = r->n[HL_F_TOPIC];
		r->has_topic = 1;
		return;
	}
	r->topic = b->bytes.len;
	for (f = HL_F_TOPIC_1; f <= HL_F_TOPIC_5; f++) {
		if (v[f] == NULL)
			continue;
		if (r->has_topic)
			hl_buf_addc(&b->bytes, '-');
		hl_buf_add(&b->bytes, v[f], r->n[f]);
		r->has_topic = 1;
	}
	r->topic_n = b->bytes.len - r->topic;
	if (r->has_topic)
		hl_buf_addc(&b->bytes, '\0');
}

/*
 * The caller's number as its keyed hash, into the batch (the number
 * itself goes nowhere); mac (OUT) the hash, for the record's.  0 when
 * no hash was made.
 */
static int
read_caller(const struct hl_parse *p, struct hl_batch *b, const char *const *v,
	    struct hl_row *r, unsigned char mac[HL_SHA256_LEN])
{
	char *digits;
	size_t nd;

	if (v[HL_F_CALLER] == NULL)
		return 0;
	r->caller_given = 1;
	if (p->key == NULL)
		return 0;
	digits = hl_xmalloc(r->n[HL_F_CALLER] + 1);
	nd = hl_caller_digits(v[HL_F_CALLER], r->n[HL_F_CALLER], digits);
	if (nd > 0) {
		hl_hmac_sha256(p->key, HL_STORE_KEY_LEN, digits, nd, mac);
		r->caller = hl_buf_put(&b->bytes, mac, HL_CALLER_HASH_LEN);
		r->has_caller = 1;
	}
	memset(digits, 0, r->n[HL_F_CALLER]);
	free(digits);
	return r->has_caller;
}

/* The ticket ID the content quotes, when it is not the ticket's own. */
static void
read_quote(struct hl_batch *b, const char *const *v, struct hl_row *r)
{
	const char *q;
	size_t n;

	if (v[HL_F_CONTENT] == NULL ||
	    (q = hl_quoted_id(v[HL_F_CONTENT], r->n[HL_F_CONTENT], &n)) == NULL)
		return;
	if (n == r->n[HL_F_TICKET_ID] && memcmp(q, v[HL_F_TICKET_ID], n) == 0)
		return;
	r->quoted = hl_buf_put(&b->bytes, q, n);
	r->quoted_n = n;
	r->has_quoted = 1;
}

/*
 * The raw bytes kept of a record (raw[0..n)) with its callers' numbers
 * masked: each cell's text where it is found, and every digit when the
 * cells cannot be trusted (a record that did not parse, or with the wrong
 * number of fields) or a cell is not found as written (a quoted cell, a
 * GB18030 file): better a reject without its digits than one with the
 * number.
 */
static void
mask_raw(const struct hl_parse *p, const struct hl_record *rec, int rc,
	 char *raw, size_t n)
{
	size_t i;

	if (rc < 0 || rec->nfields != p->ncols) {
		hl_mask_digits(raw, n);
		return;
	}
	for (i = 0; i < rec->nfields; i++) {
		const char *s = rec->field[i];
		size_t len = rec->len[i];
		char *m;

		if (!caller_col(p, i))
			continue;
		hl_map_trim(&s, &len);
		m = masked(s, len);
		/* a cell without digits holds no number */
		if (memcmp(m, s, len) != 0 &&
		    hl_mask_cell(raw, n, s, len) == 0) {
			free(m);
			hl_mask_digits(raw, n);
			return;
		}
		free(m);
	}
}

/* The digits of s[*i ..] (n bytes in all), skipped: how many. */
static size_t
digits(const char *s, size_t n, size_t *i)
{
	size_t from = *i;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9')
		++*i;
	return *i - from;
}

/*
 * 1 when s (n bytes) is a number as Excel shows one too long for its
 * cell in scientific notation (2.02201E+13): a digit, a point, digits,
 * E+ and the exponent.  An ID like 1E5 of some other system is left as
 * it is.
 */
static int
excel_number(const char *s, size_t n)
{
	size_t i = 0;

	return digits(s, n, &i) == 1 && i < n && s[i++] == '.' &&
	       digits(s, n, &i) > 0 && i + 1 < n &&
	       (s[i] == 'E' || s[i] == 'e') && s[i + 1] == '+' &&
	       (i += 2, digits(s, n, &i) > 0) && i == n;
}

/*
 * Reads the cells of a record with the right number of fields into it's
 * row; a cell that makes it no ticket (empty ID, a bad date-time) makes it
 * a reject instead.
 */
static void
read_row(const struct hl_parse *p, struct hl_batch *b,
	 const struct hl_record *rec, struct hl_item *it)
{
	struct hl_row *r = &it->row;
	const char *v[HL_F_COUNT];
	unsigned char mac[HL_SHA256_LEN];
	int f, known, hashed;

	for (f = 0; f < HL_F_COUNT; f++) {
		long c = p->cols->col[f];
		size_t n;

		v[f] = NULL;
		if (c < 0)
			continue;
		v[f] = rec->field[c];
		n = rec->len[c];
		hl_map_trim(&v[f], &n);
		if (f == HL_F_CONTENT ? n == 0
		    : hl_field_is_answer((enum hl_field)f)
			? hl_map_is_blank(v[f], n)
			: hl_map_is_empty(v[f], n)) {
			v[f] = NULL;
			continue;
		}
		r->present |= 1u << f;
		r->n[f] = n;
	}
	if (v[HL_F_TICKET_ID] == NULL) {
		long c = p->cols->col[HL_F_TICKET_ID];

		reject(b, it, hl_source_pos(p->src, rec, (size_t)c), c, NULL,
		       "empty ticket ID in '%s'", p->headers[c]);
		return;
	}
	if (excel_number(v[HL_F_TICKET_ID], r->n[HL_F_TICKET_ID])) {
		long c = p->cols->col[HL_F_TICKET_ID];

		reject(b, it, hl_source_pos(p->src, rec, (size_t)c), c, NULL,
		       "ticket ID in '%s' is '%.*s', a number Excel wrote in "
		       "scientific notation: its digits are lost; format the "
		       "column as text before exporting",
		       p->headers[c], (int)r->n[HL_F_TICKET_ID],
		       v[HL_F_TICKET_ID]);
		return;
	}
	if (r->n[HL_F_TICKET_ID] > MAX_ID) {
		long c = p->cols->col[HL_F_TICKET_ID];

		reject(b, it, hl_source_pos(p->src, rec, (size_t)c), c, NULL,
		       "ticket ID in '%s' longer than %d bytes: '%.20s...'",
		       p->headers[c], MAX_ID, v[HL_F_TICKET_ID]);
		return;
	}
	for (f = 0; f < HL_F_COUNT; f++) {
		long c = p->cols->col[f];
		const char *fmt, *err;
		int rc, dateonly = 0;

		if (!hl_field_is_time((enum hl_field)f) || c < 0)
			continue;
		if (v[f] == NULL) {
			if (!hl_field_required((enum hl_field)f))
				continue;
			reject(b, it, hl_source_pos(p->src, rec, (size_t)c), c,
			       NULL, "'%s' is empty", p->headers[c]);
			return;
		}
		fmt = hl_mapping_date_format(p->map, (enum hl_field)f);
		if (fmt) {
			rc = hl_time_parse_fmt(v[f], r->n[f], fmt, &r->t[f],
					       &err);
			dateonly = !strstr(fmt, "%H") && !strstr(fmt, "%I") &&
				   strcmp(fmt, "excel") != 0;
		} else {
			rc = hl_time_parse(v[f], r->n[f], &r->t[f], &dateonly,
					   &err);
		}
		if (rc != 0) {
			reject(b, it, hl_source_pos(p->src, rec, (size_t)c), c,
			       NULL,
			       "'%s' is not a valid date-time: '%.*s' (%s)",
			       p->headers[c],
			       (int)(r->n[f] > 60 ? 60 : r->n[f]), v[f], err);
			return;
		}
		r->has_time |= 1u << f;
		r->date_only |= (unsigned)(dateonly != 0) << f;
	}
	r->category = HL_CAT_OTHER;
	if (v[HL_F_CATEGORY]) {
		r->category = (int)hl_mapping_category(
		    p->map, v[HL_F_CATEGORY], r->n[HL_F_CATEGORY], &known);
		r->unknown |= known ? 0 : HL_UNKNOWN_CATEGORY;
	}
	r->satisfaction = HL_SAT_NOT_EVALUATED;
	if (v[HL_F_SATISFACTION]) {
		r->satisfaction = (int)hl_mapping_satisfaction(
		    p->map, v[HL_F_SATISFACTION], r->n[HL_F_SATISFACTION],
		    &known);
		r->unknown |= known ? 0 : HL_UNKNOWN_SATISFACTION;
	}
	r->status = HL_ST_UNKNOWN;
	if (v[HL_F_STATUS]) {
		r->status = (int)hl_mapping_status(p->map, v[HL_F_STATUS],
						   r->n[HL_F_STATUS], &known);
		r->unknown |= known ? 0 : HL_UNKNOWN_STATUS;
	}
	r->is_key = v[HL_F_IS_KEY] ? hl_mapping_yesno(p->map, v[HL_F_IS_KEY],
						      r->n[HL_F_IS_KEY])
				   : HL_YESNO_UNKNOWN;
	r->reopen = v[HL_F_REOPEN_COUNT]
			? hl_mapping_reopen(p->map, v[HL_F_REOPEN_COUNT],
					    r->n[HL_F_REOPEN_COUNT])
			: HL_REOPEN_ABSENT;
	r->unknown |= r->reopen == HL_REOPEN_INVALID ? HL_UNKNOWN_REOPEN : 0;
	read_answers(p, v, r);
	read_topic(b, v, r);
	read_quote(b, v, r);
	hashed = read_caller(p, b, v, r, mac);
	/* The number's cell goes with the row only as its hash. */
	r->present &= ~(1u << HL_F_CALLER);
	v[HL_F_CALLER] = NULL;
	/* The time cells live on as r->t; the rest go with the row. */
	for (f = 0; f < HL_F_COUNT; f++)
		if (v[f] && !hl_field_is_time((enum hl_field)f))
			r->off[f] = hl_buf_put(&b->bytes, v[f], r->n[f]);
	r->hash = record_hash(p, rec, hashed ? mac : NULL);
	memset(mac, 0, sizeof(mac));
	if (p->nextra)
		put_extra(p, b, rec, r);
	it->kind = HL_ITEM_ROW;
}

static struct hl_item *
new_item(struct hl_batch *b)
{
	struct hl_item *it;

	b->items = hl_grow(b->items, b->n, &b->cap, sizeof(*b->items), 256);
	it = &b->items[b->n++];
	memset(it, 0, sizeof(*it));
	it->col = -1;
	return it;
}

/* 1 when cell s (len n) is a whole number or a decimal, else 0. */
static int
is_count(const char *s, size_t n)
{
	size_t i, digits = 0;

	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] != '.' && s[i] != ',' && s[i] != '%' &&
			 !(i == 0 && s[i] == '-'))
			return 0;
	}
	return digits > 0;
}

/* 1 when cell s (len n) says the row is a total: 合计, 小计, 总计. */
static int
is_total(const char *s, size_t n)
{
	static const char *const words[] = {"合计", "小计", "总计", "共计"};
	size_t i;

	hl_map_trim(&s, &n);
	for (i = 0; i < HL_ARRAY_LEN(words); i++)
		if (n >= strlen(words[i]) &&
		    memcmp(s, words[i], strlen(words[i])) == 0)
			return 1;
	return 0;
}

/*
 * What a record that is no ticket and no error is, or -1: an empty row
 * (every cell empty, as Excel's trailing rows of commas), or a totals
 * row (合计, 小计, 总计 in the ID or the first cell, or no ID and counts
 * in the other cells).
 */
static int
skipped(const struct hl_parse *p, const struct hl_record *rec)
{
	long id = p->cols->col[HL_F_TICKET_ID];
	size_t i, filled = 0, counts = 0;

	for (i = 0; i < rec->nfields; i++) {
		const char *s = rec->field[i];
		size_t n = rec->len[i];

		hl_map_trim(&s, &n);
		if (n == 0)
			continue;
		filled++;
		counts += is_count(s, n);
	}
	if (filled == 0)
		return HL_SKIP_EMPTY;
	if ((rec->nfields > 0 && is_total(rec->field[0], rec->len[0])) ||
	    (id >= 0 && (size_t)id < rec->nfields &&
	     is_total(rec->field[id], rec->len[id])))
		return HL_SKIP_TOTALS;
	if (id >= 0 && (size_t)id < rec->nfields && counts == filled) {
		const char *s = rec->field[id];
		size_t n = rec->len[id];

		hl_map_trim(&s, &n);
		if (n == 0)
			return HL_SKIP_TOTALS;
	}
	return -1;
}

static void
add_record(const struct hl_parse *p, struct hl_batch *b,
	   const struct hl_record *rec, int rc)
{
	struct hl_item *it = new_item(b);
	int skip;

	it->start = rec->start;
	it->rawlen = rec->rawlen;
	it->raw = hl_buf_put(&b->bytes, rec->raw, rec->rawlen);
	/* Byte for byte, so that positions read from it stay right. */
	if (has_caller_cols(p))
		mask_raw(p, rec, rc, b->bytes.data + it->raw, it->rawlen);
	if (rc < 0)
		reject(b, it, rec->errpos, -1, rec->errkind, "%s", rec->errmsg);
	else if ((skip = skipped(p, rec)) >= 0) {
		it->kind = HL_ITEM_SKIP;
		it->col = skip;
	} else if (rec->nfields != p->ncols)
		reject(b, it, rec->start, -1, NULL,
		       "expected %zu fields, found %zu", p->ncols,
		       rec->nfields);
	else
		read_row(p, b, rec, it);
}

/* ---- the thread ---- */

static struct hl_batch *
take_empty(struct hl_pipe *pp)
{
	struct hl_batch *b = NULL;

	pthread_mutex_lock(&pp->mu);
	while (pp->nempty == 0 && !pp->stop)
		pthread_cond_wait(&pp->cv, &pp->mu);
	if (!pp->stop)
		b = pp->empty[--pp->nempty];
	pthread_mutex_unlock(&pp->mu);
	return b;
}

static void
put_full(struct hl_pipe *pp, struct hl_batch *b)
{
	pthread_mutex_lock(&pp->mu);
	pp->full[(pp->full_head + pp->nfull++) % NBATCH] = b;
	pthread_cond_broadcast(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
}

static void *
run(void *arg)
{
	struct hl_pipe *pp = arg;
	const struct hl_parse *p = pp->p;
	struct hl_batch *b;
	struct hl_record rec;
	int rc;

	while ((b = take_empty(pp)) != NULL) {
		b->n = 0;
		b->end = 0;
		if (b->bytes.cap > BATCH_KEEP)
			hl_buf_release(&b->bytes);
		hl_buf_reset(&b->bytes);
		while (b->n < BATCH_ITEMS && b->bytes.len < BATCH_BYTES) {
			rc = hl_source_next(p->src, &rec);
			if (rc == 0) {
				b->end = 1;
				break;
			}
			if (rc == -2) {
				struct hl_item *it = new_item(b);

				it->kind = HL_ITEM_FAIL;
				it->msg = hl_buf_put(
				    &b->bytes, hl_source_errmsg(p->src),
				    strlen(hl_source_errmsg(p->src)));
				b->end = 1;
				break;
			}
			add_record(p, b, &rec, rc);
		}
		b->offset = hl_source_offset(p->src);
		put_full(pp, b);
		if (b->end)
			break;
	}
	return NULL;
}

struct hl_pipe *
hl_pipe_start(const struct hl_parse *p)
{
	struct hl_pipe *pp = hl_xcalloc(1, sizeof(*pp));
	size_t i;

	pp->p = p;
	pthread_mutex_init(&pp->mu, NULL);
	pthread_cond_init(&pp->cv, NULL);
	for (i = 0; i < NBATCH; i++) {
		hl_buf_init(&pp->batch[i].bytes);
		pp->empty[pp->nempty++] = &pp->batch[i];
	}
	if (pthread_create(&pp->thread, NULL, run, pp) != 0)
		hl_oom(0);
	return pp;
}

struct hl_batch *
hl_pipe_next(struct hl_pipe *pp)
{
	struct hl_batch *b;

	pthread_mutex_lock(&pp->mu);
	while (pp->nfull == 0)
		pthread_cond_wait(&pp->cv, &pp->mu);
	b = pp->full[pp->full_head];
	pp->full_head = (pp->full_head + 1) % NBATCH;
	pp->nfull--;
	pthread_mutex_unlock(&pp->mu);
	return b;
}

void
hl_pipe_release(struct hl_pipe *pp, struct hl_batch *b)
{
	pthread_mutex_lock(&pp->mu);
	pp->empty[pp->nempty++] = b;
	pthread_cond_broadcast(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
}

void
hl_pipe_free(struct hl_pipe *pp)
{
	size_t i;

	if (pp == NULL)
		return;
	pthread_mutex_lock(&pp->mu);
	pp->stop = 1;
	pthread_cond_broadcast(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
	pthread_join(pp->thread, NULL);
	for (i = 0; i < NBATCH; i++) {
		free(pp->batch[i].items);
		hl_buf_release(&pp->batch[i].bytes);
	}
	pthread_cond_destroy(&pp->cv);
	pthread_mutex_destroy(&pp->mu);
	free(pp);
}
