/*
 * ahead.c - a source read ahead on a thread of its own (source.h).
 *
 * Reading a workbook is work: inflating the zip and parsing its XML cost
 * as much as mapping and checking the cells on the parse thread (pipe.h).
 * So a workbook's records are read on a third thread, a batch of copies
 * at a time, and handed out in order: the records, their positions, the
 * errors and the end are what the source itself would have said.  Four
 * batches circulate, so memory stays bounded.  The thread starts at the
 * first record, after the tap is set, and stops when the source is freed.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/source.h"

#define AHEAD_BATCHES 4
#define AHEAD_RECORDS 256
/* A consumer that found no batch waits for two (or the last), so that
 * the reader, the slower side, wakes it for every other batch: each
 * wakeup cost the reader a few microseconds. */
#define AHEAD_WAKE 2
#define AHEAD_BYTES ((size_t)1 << 20)

/* A record as next() returned it, its bytes in the batch. */
struct copy {
	int rc;
	size_t nfields, first; /* its fields: lens[first...] */
	struct hl_pos start, errpos;
	size_t raw, rawlen, err;
	const char *errkind;
	unsigned long long offset; /* the source's, after this record */
};

struct batch {
	struct hl_buf bytes;
	struct copy *rec;
	size_t n, cap;
	size_t *off, *len; /* the fields of every record */
	size_t nf, capf;
	int end; /* the last: no batch follows */
};

struct ahead {
	struct hl_source_ops ops; /* the source's, reading through these */
	struct hl_source *in;
	pthread_t thread;
	int started, stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[AHEAD_BATCHES];
	size_t head, tail, full; /* ring: filled at tail, read at head */
	int ended;               /* the last batch is in the ring */
	/* the consumer's batch and place in it */
	struct batch *cur;
	size_t at;
	int done;
	char **field; /* the record handed out */
	size_t *flen, cfield;
	unsigned long long offset;
	char *errmsg;
};

static void
keep(struct ahead *a, struct batch *b, const struct hl_record *r, int rc)
{
	struct copy *c;
	size_t i, total;
	char *at;

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : AHEAD_RECORDS;
		b->rec = hl_xrealloc(b->rec, b->cap * sizeof(*b->rec));
	}
	c = &b->rec[b->n++];
	memset(c, 0, sizeof(*c));
	c->rc = rc;
	if (rc == 1 || rc == -1) {
		c->start = r->start;
		c->raw = hl_buf_put(&b->bytes, r->raw ? r->raw : "",
				    r->raw ? r->rawlen : 0);
		c->rawlen = r->raw ? r->rawlen : 0;
	}
	if (rc == 1) {
		c->nfields = r->nfields;
		c->first = b->nf;
		if (b->nf + r->nfields > b->capf) {
			while (b->nf + r->nfields > b->capf)
				b->capf = b->capf ? 2 * b->capf : 4096;
			b->off = hl_xrealloc(b->off, b->capf * sizeof(*b->off));
			b->len = hl_xrealloc(b->len, b->capf * sizeof(*b->len));
		}
		/* the fields, each with its NUL, after one growth: a
		 * workbook's every cell passes here */
		for (i = 0, total = 0; i < r->nfields; i++)
			total += r->len[i] + 1;
		hl_buf_grow(&b->bytes, total);
		at = b->bytes.data + b->bytes.len;
		for (i = 0; i < r->nfields; i++) {
			b->off[b->nf] = (size_t)(at - b->bytes.data);
			b->len[b->nf++] = r->len[i];
			memcpy(at, r->field[i], r->len[i]);
			at += r->len[i];
			*at++ = '\0';
		}
		b->bytes.len = (size_t)(at - b->bytes.data);
		*at = '\0';
	} else if (rc == -1) {
		c->errpos = r->errpos;
		c->err = hl_buf_put(&b->bytes, r->errmsg, strlen(r->errmsg));
		c->errkind = r->errkind;
	} else if (rc == -2) {
		const char *m = hl_source_errmsg(a->in);

		c->err = hl_buf_put(&b->bytes, m, strlen(m));
	}
	c->offset = hl_source_offset(a->in);
}

static void *
run(void *arg)
{
	struct ahead *a = arg;
	struct hl_record r;
	struct batch *b;
	int rc, end = 0;

	while (!end) {
		pthread_mutex_lock(&a->mu);
		while (!a->stop && a->full == AHEAD_BATCHES)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop) {
			pthread_mutex_unlock(&a->mu);
			break;
		}
		b = &a->b[a->tail];
		pthread_mutex_unlock(&a->mu);
		hl_buf_reset(&b->bytes);
		b->n = b->nf = 0;
		b->end = 0;
		while (b->n < AHEAD_RECORDS && b->bytes.len < AHEAD_BYTES) {
			rc = hl_source_next(a->in, &r);
			keep(a, b, &r, rc);
			if (rc == 0 || rc == -2) {
				b->end = end = 1;
				break;
			}
		}
		pthread_mutex_lock(&a->mu);
		a->tail = (a->tail + 1) % AHEAD_BATCHES;
		a->ended = end;
		if (++a->full >= AHEAD_WAKE || end)
			pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
	}
	return NULL;
}

/* The next full batch, waited for; the one read before goes back. */
static struct batch *
next_batch(struct ahead *a)
{
	struct batch *b;

	pthread_mutex_lock(&a->mu);
	if (a->cur) {
		a->head = (a->head + 1) % AHEAD_BATCHES;
		a->full--;
		pthread_cond_broadcast(&a->cv);
	}
	if (a->full == 0)
		while (a->full < AHEAD_WAKE && !a->ended)
			pthread_cond_wait(&a->cv, &a->mu);
	b = &a->b[a->head];
	pthread_mutex_unlock(&a->mu);
	return b;
}

static int
ahead_next(void *impl, struct hl_record *r)
{
	struct ahead *a = impl;
	const struct copy *c;
	size_t i;

	if (a->done)
		return 0;
	if (!a->started) {
		if (pthread_create(&a->thread, NULL, run, a) != 0)
			hl_oom(0);
		a->started = 1;
	}
	if (a->cur == NULL || a->at == a->cur->n) {
		a->cur = next_batch(a);
		a->at = 0;
	}
	c = &a->cur->rec[a->at++];
	a->offset = c->offset;
	memset(r, 0, sizeof(*r));
	if (c->rc == 0 || c->rc == -2) {
		a->done = 1;
		if (c->rc == -2) {
			free(a->errmsg);
			a->errmsg = hl_xstrdup(a->cur->bytes.data + c->err);
		}
		return c->rc;
	}
	r->start = c->start;
	r->raw = a->cur->bytes.data + c->raw;
	r->rawlen = c->rawlen;
	if (c->rc == -1) {
		r->errpos = c->errpos;
		r->errmsg = a->cur->bytes.data + c->err;
		r->errkind = c->errkind;
		return -1;
	}
	if (c->nfields > a->cfield) {
		a->cfield = c->nfields;
		a->field = hl_xrealloc(a->field, a->cfield * sizeof(*a->field));
		a->flen = hl_xrealloc(a->flen, a->cfield * sizeof(*a->flen));
	}
	for (i = 0; i < c->nfields; i++) {
		a->field[i] = a->cur->bytes.data + a->cur->off[c->first + i];
		a->flen[i] = a->cur->len[c->first + i];
	}
	r->nfields = c->nfields;
	r->field = a->field;
	r->len = a->flen;
	return 1;
}

static const char *
ahead_encoding(const void *impl)
{
	const struct ahead *a = impl;

	return hl_source_encoding(a->in);
}

static unsigned long
ahead_switched(const void *impl)
{
	const struct ahead *a = impl;

	return hl_source_switched(a->in);
}

static unsigned long long
ahead_offset(const void *impl)
{
	const struct ahead *a = impl;

	return a->offset;
}

static const char *
ahead_errmsg(const void *impl)
{
	const struct ahead *a = impl;

	return a->errmsg ? a->errmsg : "";
}

static void
ahead_tap(void *impl, hl_reader_tap_fn *fn, void *arg)
{
	struct ahead *a = impl;

	hl_source_tap(a->in, fn, arg);
}

static long
ahead_sheets(const void *impl, const char **name)
{
	const struct ahead *a = impl;

	return hl_source_sheets(a->in, name);
}

static void
ahead_free(void *impl)
{
	struct ahead *a = impl;
	size_t i;

	if (a->started) {
		pthread_mutex_lock(&a->mu);
		a->stop = 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->thread, NULL);
	}
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	for (i = 0; i < AHEAD_BATCHES; i++) {
		hl_buf_release(&a->b[i].bytes);
		free(a->b[i].rec);
		free(a->b[i].off);
		free(a->b[i].len);
	}
	free(a->field);
	free(a->flen);
	free(a->errmsg);
	hl_source_free(a->in);
	free(a);
}

struct hl_source *
hl_source_ahead(struct hl_source *in)
{
	struct hl_source *s;
	struct ahead *a;
	size_t i;

	if (in == NULL)
		return NULL;
	s = hl_xcalloc(1, sizeof(*s));
	a = hl_xcalloc(1, sizeof(*a));
	a->in = in;
	a->ops = *in->ops;
	a->ops.next = ahead_next;
	a->ops.encoding = ahead_encoding;
	a->ops.switched = ahead_switched;
	a->ops.offset = ahead_offset;
	a->ops.errmsg = ahead_errmsg;
	a->ops.tap = ahead_tap;
	a->ops.free = ahead_free;
	a->ops.sheets = ahead_sheets;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	for (i = 0; i < AHEAD_BATCHES; i++)
		hl_buf_init(&a->b[i].bytes);
	s->ops = &a->ops;
	s->impl = a;
	return s;
}
