/*
 * forked.c - a source read in a child process (source.h).
 *
 * libfreexl, which reads .xls workbooks, reads past a buffer on a
 * damaged file (fuzz_workbook found a 64 KiB read past a stack buffer
 * inside freexl_open()).  So a source whose parser is not ours and
 * meets hostile files runs in a child: the child opens the file, reads
 * its records and writes them to a pipe; the parent hands them out as
 * the source itself would.  A child that crashes or is killed is a clear
 * error naming the file, and never takes the ingest, or its memory, with
 * it.
 *
 * On the pipe, numbers are 8 bytes in the machine's order and strings a
 * number and their bytes:
 *   'S' nsheets sheet           first, once
 *   'R' line col offset n {field}*n raw      a record
 *   'X' line col errline errcol msg kind raw a record that cannot be read
 *   'Z'                          the end
 *   'E' msg                      the input failed
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ingest/source.h"

/* No string on the pipe is longer: a record's raw bytes at most. */
#define MAX_STRING (HL_READER_MAX_RECORD + 1)

struct forked {
	struct hl_source_ops ops; /* the kind's */
	pid_t pid;
	FILE *r;    /* the pipe's reading end */
	FILE *f;    /* borrowed: the file, for the tap */
	char *name; /* the file, for messages */
	const char *kind;
	int started, done;
	long nsheets;
	char *sheet;
	struct hl_buf bytes; /* the record handed out: fields, raw, message */
	size_t *off, *len, cap;
	char **field;
	unsigned long long offset;
	const char **kinds; /* errkinds met, interned: they group messages */
	size_t nkinds;
	struct hl_buf msg;
	char buf[65536];
};

/* ---- the child ---- */

static void
put_u64(FILE *w, uint64_t v)
{
	fwrite(&v, sizeof(v), 1, w);
}

static void
put_str(FILE *w, const char *s, size_t n)
{
	put_u64(w, n);
	fwrite(s ? s : "", 1, n, w);
}

static void
put_cstr(FILE *w, const char *s)
{
	put_str(w, s, s ? strlen(s) : 0);
}

/* The child: the records of open(f, name, sheet) to the pipe w. */
static HL_NORETURN void
child(hl_source_open_fn *open, FILE *f, const char *name, const char *sheet,
      int fd)
{
	FILE *w = fdopen(fd, "wb");
	struct hl_source *s;
	struct hl_record rec;
	const char *sh = NULL;
	size_t i;
	int rc;

	if (w == NULL)
		_exit(1);
	s = open(f, name, sheet);
	putc('S', w);
	put_u64(w, (uint64_t)hl_source_sheets(s, &sh));
	put_cstr(w, sh);
	do {
		rc = hl_source_next(s, &rec);
		if (rc == 1) {
			putc('R', w);
			put_u64(w, rec.start.line);
			put_u64(w, rec.start.col);
			put_u64(w, hl_source_offset(s));
			put_u64(w, rec.nfields);
			for (i = 0; i < rec.nfields; i++)
				put_str(w, rec.field[i], rec.len[i]);
			put_str(w, rec.raw, rec.rawlen);
		} else if (rc == -1) {
			putc('X', w);
			put_u64(w, rec.start.line);
			put_u64(w, rec.start.col);
			put_u64(w, rec.errpos.line);
			put_u64(w, rec.errpos.col);
			put_cstr(w, rec.errmsg);
			put_cstr(w, rec.errkind);
			put_str(w, rec.raw, rec.rawlen);
		} else if (rc == 0) {
			putc('Z', w);
		} else {
			putc('E', w);
			put_cstr(w, hl_source_errmsg(s));
		}
	} while ((rc == 1 || rc == -1) && !ferror(w));
	fflush(w);
	/* _exit: nothing of the parent's (stdio buffers, atexit) is run */
	_exit(ferror(w) ? 1 : 0);
}

/* ---- the parent ---- */

static int
get_u64(struct forked *k, uint64_t *v)
{
	return fread(v, sizeof(*v), 1, k->r) == 1 ? 0 : -1;
}

/* A string appended to k->bytes, NUL-terminated; its offset in *at. */
static int
get_str(struct forked *k, size_t *at, size_t *n)
{
	uint64_t len;

	if (get_u64(k, &len) != 0 || len > MAX_STRING)
		return -1;
	*at = k->bytes.len;
	*n = (size_t)len;
	hl_buf_grow(&k->bytes, *n + 1);
	if (*n && fread(k->bytes.data + *at, 1, *n, k->r) != *n)
		return -1;
	k->bytes.len += *n;
	hl_buf_addc(&k->bytes, '\0');
	return 0;
}

/* The child is gone without its end: why, as the source's error. */
static int
lost(struct forked *k)
{
	int status = 0;

	k->done = 1;
	if (k->pid > 0 && waitpid(k->pid, &status, 0) == k->pid) {
		k->pid = 0;
		if (WIFSIGNALED(status))
			hl_buf_printf(&k->msg,
				      "'%s': cannot read the workbook: its "
				      "reader (%s) stopped on signal %d; the "
				      "file is damaged or not what it seems",
				      k->name, k->kind, WTERMSIG(status));
		else
			hl_buf_printf(&k->msg,
				      "'%s': cannot read the workbook: its "
				      "reader (%s) ended with status %d",
				      k->name, k->kind, WEXITSTATUS(status));
	} else {
		hl_buf_printf(&k->msg, "'%s': cannot read the workbook: %s",
			      k->name, strerror(errno));
	}
	return -2;
}

/* The 'S' message, read once. */
static int
start(struct forked *k)
{
	uint64_t n;
	size_t at, len;

	if (k->started)
		return 0;
	k->started = 1;
	hl_buf_reset(&k->bytes);
	if (getc(k->r) != 'S' || get_u64(k, &n) != 0 ||
	    get_str(k, &at, &len) != 0)
		return lost(k);
	k->nsheets = (long)n;
	k->sheet = len ? hl_xstrdup(k->bytes.data + at) : NULL;
	return 0;
}

static const char *
intern(struct forked *k, const char *s)
{
	size_t i;

	for (i = 0; i < k->nkinds; i++)
		if (strcmp(k->kinds[i], s) == 0)
			return k->kinds[i];
	k->kinds = hl_xrealloc(k->kinds, (k->nkinds + 1) * sizeof(*k->kinds));
	return k->kinds[k->nkinds++] = hl_xstrdup(s);
}

static int
forked_next(void *impl, struct hl_record *rec)
{
	struct forked *k = impl;
	uint64_t v[5], n, i;
	size_t at, len, raw, rawlen, msg, kind;
	int c;

	if (k->done)
		return k->msg.len ? -2 : 0;
	if (start(k) != 0)
		return -2;
	hl_buf_reset(&k->bytes);
	memset(rec, 0, sizeof(*rec));
	switch (c = getc(k->r)) {
	case 'R':
		if (get_u64(k, &v[0]) || get_u64(k, &v[1]) ||
		    get_u64(k, &v[2]) || get_u64(k, &n) || n > 65536)
			return lost(k);
		if (n > k->cap) {
			k->cap = (size_t)n;
			k->off = hl_xrealloc(k->off, n * sizeof(*k->off));
			k->len = hl_xrealloc(k->len, n * sizeof(*k->len));
			k->field = hl_xrealloc(k->field, n * sizeof(*k->field));
		}
		for (i = 0; i < n; i++)
			if (get_str(k, &k->off[i], &k->len[i]) != 0)
				return lost(k);
		if (get_str(k, &raw, &rawlen) != 0)
			return lost(k);
		for (i = 0; i < n; i++)
			k->field[i] = k->bytes.data + k->off[i];
		rec->nfields = (size_t)n;
		rec->field = k->field;
		rec->len = k->len;
		rec->start.line = (unsigned long)v[0];
		rec->start.col = (unsigned long)v[1];
		rec->start.sheet = k->sheet;
		rec->raw = k->bytes.data + raw;
		rec->rawlen = rawlen;
		k->offset = v[2];
		return 1;
	case 'X':
		for (i = 0; i < 4; i++)
			if (get_u64(k, &v[i]) != 0)
				return lost(k);
		if (get_str(k, &msg, &len) != 0 ||
		    get_str(k, &kind, &len) != 0 ||
		    get_str(k, &raw, &rawlen) != 0)
			return lost(k);
		rec->start = (struct hl_pos){(unsigned long)v[0],
					     (unsigned long)v[1], k->sheet};
		rec->errpos = (struct hl_pos){(unsigned long)v[2],
					      (unsigned long)v[3], k->sheet};
		rec->errmsg = k->bytes.data + msg;
		rec->errkind = intern(k, k->bytes.data + kind);
		rec->raw = k->bytes.data + raw;
		rec->rawlen = rawlen;
		return -1;
	case 'Z':
		k->done = 1;
		return 0;
	case 'E':
		k->done = 1;
		if (get_str(k, &at, &len) != 0)
			return lost(k);
		hl_buf_add(&k->msg, k->bytes.data + at, len);
		return -2;
	default:
		return lost(k);
	}
}

static const char *
forked_encoding(const void *impl)
{
	const struct forked *k = impl;

	return k->kind;
}

static unsigned long long
forked_offset(const void *impl)
{
	const struct forked *k = impl;

	return k->offset;
}

static const char *
forked_errmsg(const void *impl)
{
	const struct forked *k = impl;

	return k->msg.data;
}

static void
forked_tap(void *impl, hl_reader_tap_fn *fn, void *arg)
{
	struct forked *k = impl;

	hl_tap_file(k->f, k->buf, sizeof(k->buf), fn, arg);
}

static long
forked_sheets(const void *impl, const char **name)
{
	struct forked *k = (struct forked *)impl;

	if (!k->done)
		start(k);
	*name = k->sheet;
	return k->nsheets;
}

static void
forked_free(void *impl)
{
	struct forked *k = impl;
	size_t i;

	if (k->r)
		fclose(k->r); /* a child still writing gets EPIPE */
	if (k->pid > 0) {
		kill(k->pid, SIGKILL);
		waitpid(k->pid, NULL, 0);
	}
	for (i = 0; i < k->nkinds; i++)
		free((char *)k->kinds[i]);
	free(k->kinds);
	free(k->name);
	free(k->sheet);
	free(k->off);
	free(k->len);
	free(k->field);
	hl_buf_release(&k->bytes);
	hl_buf_release(&k->msg);
	free(k);
}

struct hl_source *
hl_source_forked(hl_source_open_fn *open, const char *kind, FILE *f,
		 const char *name, const char *sheet)
{
	static const struct hl_source_ops ops_template = {
	    NULL,         forked_next,   hl_sheet_pos,  forked_encoding,
	    hl_no_switch, forked_offset, forked_errmsg, forked_tap,
	    forked_free,  forked_sheets,
	};
	struct hl_source *s;
	struct forked *k = hl_xcalloc(1, sizeof(*k));
	int fd[2];

	k->ops = ops_template;
	k->ops.kind = kind;
	k->f = f;
	k->kind = kind;
	k->name = hl_xstrdup(name);
	hl_buf_init(&k->bytes);
	hl_buf_init(&k->msg);
	s = hl_xcalloc(1, sizeof(*s));
	s->ops = &k->ops;
	s->impl = k;
	if (pipe(fd) != 0) {
		hl_buf_printf(&k->msg, "'%s': cannot read the workbook: %s",
			      name, strerror(errno));
		k->done = k->started = 1;
		return s;
	}
	fflush(NULL); /* nothing buffered is written twice */
	if ((k->pid = fork()) == 0) {
		close(fd[0]);
		child(open, f, name, sheet, fd[1]);
	}
	close(fd[1]);
	if (k->pid < 0 || (k->r = fdopen(fd[0], "rb")) == NULL) {
		hl_buf_printf(&k->msg, "'%s': cannot read the workbook: %s",
			      name, strerror(errno));
		if (k->pid < 0)
			close(fd[0]);
		k->done = k->started = 1;
	}
	return s;
}
