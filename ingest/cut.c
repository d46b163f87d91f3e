/*
 * cut.c - a sheet's XML cut between rows and parsed on several threads
 * (cut.h).
 */
#define _GNU_SOURCE /* memrchr() */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/cut.h"
#include "util/util.h"

/* Bytes read at a time, and items in flight between the cutter and the
 * reader: a few runs for each worker. */
#define CHUNK ((size_t)128 << 10)
#define SLOTS 6
#define MAX_WORKERS 8

enum { FREE, WAITING, PARSING, READY };

struct slot {
	struct hl_cut_item it;
	char *buf;
	size_t cap;
	int state;
};

/* What the cutter has read and not yet handed on. */
struct acc {
	char *data;
	size_t len, cap;
	unsigned long long base; /* the stream's offset of data[0] */
};

enum { BEFORE_ROWS, CUTTING, WHOLE };

struct hl_cut {
	const struct hl_cut_ops *ops;
	void *arg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot slot[SLOTS];
	size_t head, tail, count; /* ring: filled at tail, read at head */
	int stop;
	pthread_t cutter, worker[MAX_WORKERS];
	int nworkers;
	int uncut; /* the reader wants no more runs */
	size_t run, max;
	/* the cutter's */
	struct acc acc;
	int phase;
	size_t scanned;    /* BEFORE_ROWS: bytes of acc looked at */
	char end_tag[128]; /* "</row>", or with the rows' prefix */
	size_t end_len;
};

/* The line ends in s as an XML parser counts them: a CR LF, a CR or an
 * LF each.  (A run ends with '>', so none is split between items.) */
static unsigned long
newlines(const char *s, size_t n)
{
	const char *p, *e = s + n;
	unsigned long k = 0;

	for (p = s; (p = memchr(p, '\r', (size_t)(e - p))) != NULL; p++)
		k++;
	for (p = s; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		if (p == s || p[-1] != '\r')
			k++;
	return k;
}

/*
 * Hands acc's first n bytes on as an item of kind k (n may be 0 for END
 * and ERROR), keeping the rest: 0, or -1 when stopped.
 */
static int
emit(struct hl_cut *c, enum hl_cut_kind k, size_t n, const char *err)
{
	struct acc *a = &c->acc;
	struct slot *s;
	char *buf;
	size_t cap, rest = a->len - n;
	unsigned long lines = newlines(a->data, n);

	pthread_mutex_lock(&c->mu);
	while (c->count == SLOTS && !c->stop)
		pthread_cond_wait(&c->cv, &c->mu);
	if (c->stop) {
		pthread_mutex_unlock(&c->mu);
		return -1;
	}
	s = &c->slot[c->tail];
	if (c->uncut && c->phase == CUTTING)
		c->phase = WHOLE;
	pthread_mutex_unlock(&c->mu);
	/* the slot is free and only the cutter fills it: its old buffer
	 * takes what is kept, acc's goes with the item */
	buf = s->buf;
	cap = s->cap;
	if (cap < rest + CHUNK) {
		cap = rest + CHUNK > a->cap ? rest + CHUNK : a->cap;
		buf = hl_xrealloc(buf, cap);
	}
	memcpy(buf, a->data + n, rest);
	s->buf = a->data;
	s->cap = a->cap;
	s->it.kind = k;
	s->it.data = s->buf;
	s->it.len = n;
	s->it.newlines = lines;
	s->it.err[0] = '\0';
	if (err)
		snprintf(s->it.err, sizeof(s->it.err), "%s", err);
	a->data = buf;
	a->cap = cap;
	a->len = rest;
	a->base += n;
	pthread_mutex_lock(&c->mu);
	s->state = k == HL_CUT_ROWS ? WAITING : READY;
	c->tail = (c->tail + 1) % SLOTS;
	c->count++;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

static int
name_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
	       ch == '.' || ch == ':' || ch >= 0x80;
}

/*
 * Before the first row: looks at acc's tags for the first row's start
 * tag.  Returns 1 found (acc's bytes before it handed on, the end tag
 * known), 0 not yet, -1 the stream cannot be cut (a comment, CDATA, a
 * processing instruction or a DOCTYPE first), -2 stopped.
 */
static int
find_rows(struct hl_cut *c)
{
	struct acc *a = &c->acc;
	char *p, *q, *end = a->data + a->len;
	size_t k;

	while (c->scanned < a->len) {
		p = memchr(a->data + c->scanned, '<', a->len - c->scanned);
		if (p == NULL) {
			c->scanned = a->len;
			break;
		}
		for (q = p + 1; q < end && name_char((unsigned char)*q); q++)
			;
		if (q - p > 100)
			return -1; /* no row's name, nor a sane one */
		if (q == end)
			return 0; /* the name goes on in bytes not read yet */
		if (p[1] == '!' ||
		    (p[1] == '?' && a->base + (size_t)(p - a->data) > 3))
			return -1;
		k = (size_t)(q - p - 1);
		if (k >= 3 && memcmp(q - 3, "row", 3) == 0 &&
		    (k == 3 || q[-4] == ':') &&
		    (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n' ||
		     *q == '>' || *q == '/')) {
			c->end_len =
			    (size_t)snprintf(c->end_tag, sizeof(c->end_tag),
					     "</%.*s>", (int)k, p + 1);
			return emit(c, HL_CUT_BYTES, (size_t)(p - a->data),
				    NULL) == 0
				   ? 1
				   : -2;
		}
		c->scanned = (size_t)(q - a->data);
	}
	/* nothing yet: what was looked at goes on, but for the tag it may
	 * have stopped in */
	if (a->len > c->run && c->scanned > 0) {
		size_t n = c->scanned;

		if (emit(c, HL_CUT_BYTES, n, NULL) != 0)
			return -2;
		c->scanned = 0;
	}
	return 0;
}

/* Whether bytes [from, len) of acc hold a "<!" or a "<?". */
static int
has_special(const struct acc *a, size_t from)
{
	static const char marks[] = "!?";
	const char *p, *e = a->data + a->len;
	int i;

	for (i = 0; i < 2; i++)
		for (p = a->data + from;
		     (p = memchr(p, marks[i], (size_t)(e - p))) != NULL; p++)
			if (p > a->data && p[-1] == '<')
				return 1;
	return 0;
}

/* The end of acc's last row end tag, or 0. */
static size_t
last_row_end(const struct hl_cut *c)
{
	const struct acc *a = &c->acc;
	const char *p;
	size_t lim = a->len;

	while (lim > 0 && (p = memrchr(a->data, '<', lim)) != NULL) {
		size_t at = (size_t)(p - a->data);

		if (a->len - at >= c->end_len &&
		    memcmp(p, c->end_tag, c->end_len) == 0)
			return at + c->end_len;
		lim = at;
	}
	return 0;
}

static void *
cut_run(void *arg)
{
	struct hl_cut *c = arg;
	struct acc *a = &c->acc;
	char err[512];
	long long n;
	size_t old;
	int rc;

	for (;;) {
		if (a->cap < a->len + CHUNK) {
			a->cap = a->len + CHUNK;
			a->data = hl_xrealloc(a->data, a->cap);
		}
		err[0] = '\0';
		n = c->ops->read(c->arg, a->data + a->len, CHUNK, err,
				 sizeof(err));
		if (n <= 0) {
			if ((a->len == 0 ||
			     emit(c, HL_CUT_BYTES, a->len, NULL) == 0))
				emit(c, n < 0 ? HL_CUT_ERROR : HL_CUT_END, 0,
				     err);
			return NULL;
		}
		old = a->len;
		a->len += (size_t)n;
		switch (c->phase) {
		case BEFORE_ROWS:
			rc = find_rows(c);
			if (rc == -2)
				return NULL;
			if (rc < 0)
				c->phase = WHOLE;
			if (rc != 1)
				break;
			/* the rows begin: the first run may be read already */
			c->phase = CUTTING;
			old = 0;
			/* fall through */
		case CUTTING:
			if (has_special(a, old)) {
				c->phase = WHOLE;
			} else if (a->len >= c->run) {
				size_t at = last_row_end(c);

				if (at > 0) {
					if (emit(c, HL_CUT_ROWS, at, NULL))
						return NULL;
				} else if (a->len >= c->max) {
					c->phase = WHOLE;
				}
			}
			break;
		}
		if (c->phase == WHOLE && emit(c, HL_CUT_BYTES, a->len, NULL))
			return NULL;
	}
}

static void *
work_run(void *arg)
{
	struct hl_cut *c = arg;
	void *w = c->ops->worker_new(c->arg);
	size_t i;
	struct slot *s;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		s = NULL;
		for (i = 0; i < c->count && s == NULL && !c->stop; i++)
			if (c->slot[(c->head + i) % SLOTS].state == WAITING)
				s = &c->slot[(c->head + i) % SLOTS];
		if (s) {
			s->state = PARSING;
			pthread_mutex_unlock(&c->mu);
			c->ops->parse(w, &s->it);
			pthread_mutex_lock(&c->mu);
			s->state = READY;
			pthread_cond_broadcast(&c->cv);
		} else if (c->stop) {
			break;
		} else {
			pthread_cond_wait(&c->cv, &c->mu);
		}
	}
	pthread_mutex_unlock(&c->mu);
	c->ops->worker_free(w);
	return NULL;
}

struct hl_cut *
hl_cut_start(const struct hl_cut_ops *ops, void *arg, int workers, size_t run,
	     size_t max)
{
	struct hl_cut *c = hl_xcalloc(1, sizeof(*c));
	int i;

	c->ops = ops;
	c->arg = arg;
	c->run = run;
	c->max = max > run ? max : run;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (workers < 1)
		workers = 1;
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	for (i = 0; i < workers; i++) {
		if (pthread_create(&c->worker[i], NULL, work_run, c) != 0)
			hl_oom(0);
		c->nworkers++;
	}
	if (pthread_create(&c->cutter, NULL, cut_run, c) != 0)
		hl_oom(0);
	return c;
}

struct hl_cut_item *
hl_cut_next(struct hl_cut *c)
{
	struct slot *s;

	pthread_mutex_lock(&c->mu);
	while (c->count == 0 || c->slot[c->head].state != READY)
		pthread_cond_wait(&c->cv, &c->mu);
	s = &c->slot[c->head];
	pthread_mutex_unlock(&c->mu);
	return &s->it;
}

void
hl_cut_done(struct hl_cut *c)
{
	pthread_mutex_lock(&c->mu);
	c->slot[c->head].state = FREE;
	c->head = (c->head + 1) % SLOTS;
	c->count--;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void
hl_cut_uncut(struct hl_cut *c)
{
	pthread_mutex_lock(&c->mu);
	c->uncut = 1;
	pthread_mutex_unlock(&c->mu);
}

void
hl_cut_stop(struct hl_cut *c)
{
	int i;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = 1;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->cutter, NULL);
	for (i = 0; i < c->nworkers; i++)
		pthread_join(c->worker[i], NULL);
	for (i = 0; i < SLOTS; i++) {
		free(c->slot[i].buf);
		if (c->slot[i].it.out)
			c->ops->out_free(c->slot[i].it.out);
	}
	free(c->acc.data);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c);
}
