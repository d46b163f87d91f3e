/*
 * sst.c - an .xlsx's shared strings in bounded memory (sst.h).
 *
 * The file holds each string as its length (LEB128) and its bytes.  What
 * the reader may read is published under the mutex: `ready` strings,
 * ending at byte `ready_end`, each in memory (below `hot_len`) or flushed
 * to the file.  Bytes below those marks never change, so the reader reads
 * them without the lock.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/sst.h"

#define SST_HOT ((size_t)1 << 20) /* the file's first bytes, in memory */
#define SST_BLOCKS 8              /* blocks of the rest */
#define SST_BLOCK ((size_t)128 << 10)
#define SST_STEP 64     /* every 64th string's place is kept */
#define SST_FIRST 65536 /* and the place of each of the first strings */
#define SST_WAKE 4096   /* a waiting reader is woken this many strings on */

struct hl_sst {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	FILE *file;
	/* the loader's own */
	uint64_t end, flushed; /* bytes written; flushed */
	size_t hot_fill;       /* bytes of hot written */
	int hot_open;          /* hot still holds the whole file */
	/* published, under mu */
	size_t n, ready, want;
	uint64_t ready_end;
	size_t hot_len;
	uint64_t *idx; /* idx[k]: where string k * SST_STEP starts */
	size_t nidx, cidx;
	uint64_t *first; /* first[i]: where string i < SST_FIRST starts (the
			  * strings a sheet repeats, found without a walk) */
	int waiting, done, stop;
	char *err;
	/* memory: the first SST_HOT bytes, allocated once (its pages are
	 * touched only as written), so it never moves */
	char *hot;
	/* the reader's own: blocks of the file, and where it stopped */
	struct sst_block {
		uint64_t at;
		size_t len;
		unsigned long used;
		char *data;
	} blk[SST_BLOCKS];
	unsigned long tick;
	size_t cur_i;
	uint64_t cur_at;
	int cur_ok;
	/* what was published when the reader last looked (it only grows,
	 * so what it covers is read without the lock) */
	size_t seen_ready, seen_hot;
	uint64_t seen_end;
	struct hl_buf big; /* a string longer than a block */
};

struct hl_sst *
hl_sst_new(void)
{
	struct hl_sst *t = hl_xcalloc(1, sizeof(*t));

	if ((t->file = tmpfile()) == NULL) {
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	t->hot = hl_xmalloc(SST_HOT);
	t->hot_open = 1;
	hl_buf_init(&t->big);
	return t;
}

void
hl_sst_free(struct hl_sst *t)
{
	int i;

	if (t == NULL)
		return;
	fclose(t->file);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	for (i = 0; i < SST_BLOCKS; i++)
		free(t->blk[i].data);
	hl_buf_release(&t->big);
	free(t->hot);
	free(t->idx);
	free(t->first);
	free(t->err);
	free(t);
}

int
hl_sst_add(struct hl_sst *t, const char *s, size_t n)
{
	unsigned char v[10];
	size_t k = 0, len = n, all;
	uint64_t at = t->end;
	int flushed = 0, stop;

	do {
		v[k++] =
		    (unsigned char)((len & 0x7f) | (len > 0x7f ? 0x80 : 0));
		len >>= 7;
	} while (len);
	all = k + n;
	if (fwrite(v, 1, k, t->file) != k ||
	    (n && fwrite(s, 1, n, t->file) != n))
		return -1;
	t->end += all;
	if (t->hot_open && t->hot_fill + all <= SST_HOT) {
		memcpy(t->hot + t->hot_fill, v, k);
		memcpy(t->hot + t->hot_fill + k, s, n);
		t->hot_fill += all;
	} else {
		t->hot_open = 0;
	}
	if (t->end > t->hot_fill && t->end - t->flushed >= SST_BLOCK) {
		if (fflush(t->file) != 0)
			return -1;
		t->flushed = t->end;
		flushed = 1;
	}
	pthread_mutex_lock(&t->mu);
	if (t->n < SST_FIRST) {
		if (t->first == NULL)
			t->first = hl_xmalloc(SST_FIRST * sizeof(*t->first));
		t->first[t->n] = at;
	}
	if (t->n % SST_STEP == 0) {
		if (t->nidx == t->cidx) {
			t->cidx = t->cidx ? 2 * t->cidx : 1024;
			t->idx = hl_xrealloc(t->idx, t->cidx * sizeof(*t->idx));
		}
		t->idx[t->nidx++] = at;
	}
	t->n++;
	t->hot_len = t->hot_fill;
	if (t->end <= t->hot_fill || flushed) {
		t->ready = t->n;
		t->ready_end = t->end;
	}
	if (t->waiting && t->ready > t->want)
		pthread_cond_broadcast(&t->cv);
	stop = t->stop;
	pthread_mutex_unlock(&t->mu);
	return stop;
}

void
hl_sst_stop(struct hl_sst *t)
{
	pthread_mutex_lock(&t->mu);
	t->stop = 1;
	pthread_mutex_unlock(&t->mu);
}

void
hl_sst_end(struct hl_sst *t, const char *err)
{
	char why[160];

	if (err == NULL && fflush(t->file) != 0) {
		snprintf(why, sizeof(why), "cannot keep the shared strings: %s",
			 strerror(errno));
		err = why;
	}
	pthread_mutex_lock(&t->mu);
	t->ready = t->n;
	t->ready_end = t->end;
	t->done = 1;
	if (err && t->err == NULL)
		t->err = hl_xstrdup(err);
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

const char *
hl_sst_error(const struct hl_sst *t)
{
	return t->err ? t->err : "cannot read the shared strings back";
}

/*
 * n bytes at `at` (all below what is published: hot_len in memory, the
 * rest in the file), contiguous: from memory, from a block (read into the
 * one used least lately when none holds them), or read whole into big.
 */
static const char *
bytes(struct hl_sst *t, uint64_t at, size_t n, size_t hot_len)
{
	struct sst_block *b, *old = &t->blk[0];
	ssize_t got;
	int i;

	if (at + n <= hot_len)
		return t->hot + at;
	if (n > SST_BLOCK) {
		hl_buf_reset(&t->big);
		hl_buf_grow(&t->big, n);
		if (pread(fileno(t->file), t->big.data, n, (off_t)at) !=
		    (ssize_t)n)
			return NULL;
		return t->big.data;
	}
	for (i = 0; i < SST_BLOCKS; i++) {
		b = &t->blk[i];
		if (b->data && at >= b->at && at + n <= b->at + b->len) {
			b->used = ++t->tick;
			return b->data + (at - b->at);
		}
		if (b->used < old->used)
			old = b;
	}
	if (old->data == NULL)
		old->data = hl_xmalloc(SST_BLOCK);
	got = pread(fileno(t->file), old->data, SST_BLOCK, (off_t)at);
	if (got < 0 || (size_t)got < n) {
		old->len = 0;
		return NULL;
	}
	old->at = at;
	old->len = (size_t)got;
	old->used = ++t->tick;
	return old->data;
}

/* The length of the string at *at, which moves past it; -1: unreadable. */
static int
length(struct hl_sst *t, uint64_t *at, uint64_t end, size_t hot_len, size_t *n)
{
	size_t m = end - *at < 10 ? (size_t)(end - *at) : 10, k;
	const unsigned char *p;

	if (m == 0 || (p = (const void *)bytes(t, *at, m, hot_len)) == NULL)
		return -1;
	*n = 0;
	for (k = 0; k < m; k++) {
		*n |= (size_t)(p[k] & 0x7f) << (7 * k);
		if (!(p[k] & 0x80)) {
			*at += k + 1;
			return 0;
		}
	}
	return -1;
}

int
hl_sst_get(struct hl_sst *t, unsigned long i, struct hl_buf *b)
{
	uint64_t at, end;
	size_t j, n, hot_len;
	const char *p;

	if (i < t->seen_ready && i < SST_FIRST) {
		j = i;
		at = t->first[i];
		goto read;
	}
	if (i < t->seen_ready && t->cur_ok && t->cur_i <= i &&
	    i - t->cur_i < SST_STEP) {
		j = t->cur_i;
		at = t->cur_at;
		goto read;
	}
	pthread_mutex_lock(&t->mu);
	while (i >= t->ready && !t->done) {
		/* woken not for each string but for thousands: the strings a
		 * sheet meets come in order */
		t->want = i + SST_WAKE;
		t->waiting = 1;
		pthread_cond_wait(&t->cv, &t->mu);
	}
	t->waiting = 0;
	if (i >= t->ready) {
		int rc = t->err ? -2 : -1;

		pthread_mutex_unlock(&t->mu);
		return rc;
	}
	if (i < SST_FIRST) {
		j = i;
		at = t->first[i];
	} else if (t->cur_ok && t->cur_i <= i && i - t->cur_i < SST_STEP) {
		j = t->cur_i;
		at = t->cur_at;
	} else {
		j = i - i % SST_STEP;
		at = t->idx[i / SST_STEP];
	}
	t->seen_ready = t->ready;
	t->seen_end = t->ready_end;
	t->seen_hot = t->hot_len;
	pthread_mutex_unlock(&t->mu);
read:
	end = t->seen_end;
	hot_len = t->seen_hot;
	for (;; j++) {
		if (length(t, &at, end, hot_len, &n) != 0 || n > end - at)
			return -2;
		if (j == i)
			break;
		at += n;
	}
	if ((p = bytes(t, at, n, hot_len)) == NULL)
		return -2;
	hl_buf_add(b, p, n);
	t->cur_i = i + 1;
	t->cur_at = at + n;
	t->cur_ok = 1;
	return 0;
}
