/*
 * utf16.c - UTF-16 text, what Excel saves as "Unicode Text" (tab-
 * delimited, with a byte-order mark), as a source (source.h).
 *
 * The file is decoded to UTF-8 with iconv as it is read, through a stdio
 * stream (fopencookie) that the delimited-text reader reads like any
 * other; the tap and the progress see the file's own bytes.  A record's
 * raw bytes and a cell's byte column are those of the decoded UTF-8.
 */
#define _GNU_SOURCE /* fopencookie */

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/source.h"

struct utf16 {
	FILE *in;  /* borrowed: the file */
	FILE *out; /* its text in UTF-8, read by r */
	struct hl_reader *r;
	iconv_t cd;
	const char *enc; /* "utf-16le" or "utf-16be" */
	char buf[65536];
	size_t len, off; /* bytes of buf; decoded up to off */
	int more;        /* buf ends within a character: read on */
	int eof;
	unsigned long long consumed;
	hl_reader_tap_fn *tap;
	void *tap_arg;
	char *name;
	struct hl_buf err;
};

/* More of the file into buf after what is left; 0, or -1 (errno). */
static int
refill(struct utf16 *u)
{
	size_t left = u->len - u->off, n;

	memmove(u->buf, u->buf + u->off, left);
	u->len = left;
	u->off = 0;
	n = fread(u->buf + left, 1, sizeof(u->buf) - left, u->in);
	if (n && u->tap)
		u->tap(u->tap_arg, u->buf + left, n);
	u->len += n;
	u->more = 0;
	if (n == 0) {
		if (ferror(u->in))
			return -1;
		u->eof = 1;
	}
	return 0;
}

static ssize_t
decode(void *cookie, char *dst, size_t size)
{
	struct utf16 *u = cookie;
	char *op = dst;
	size_t ol = size;

	while (op == dst) {
		char *ip = u->buf + u->off;
		size_t il = u->len - u->off, rc;

		if ((il == 0 || u->more) && !u->eof) {
			if (refill(u) != 0)
				return -1;
			continue;
		}
		if (il == 0)
			return 0;
		if (u->err.len) {
			errno = EILSEQ; /* asked again after the error */
			return -1;
		}
		if (u->eof && u->more) {
			hl_buf_printf(&u->err,
				      "'%s' ends within a UTF-16 character "
				      "(byte %llu): a truncated file",
				      u->name, u->consumed);
			errno = EILSEQ;
			return -1;
		}
		rc = iconv(u->cd, &ip, &il, &op, &ol);
		u->consumed += (unsigned long long)(ip - (u->buf + u->off));
		u->off = (size_t)(ip - u->buf);
		if (rc != (size_t)-1 || errno == E2BIG)
			continue;
		if (errno == EINVAL) {
			u->more = 1;
			continue;
		}
		if (op == dst) {
			hl_buf_printf(&u->err,
				      "'%s': byte %llu is no UTF-16 (a lone "
				      "surrogate?): the file is damaged",
				      u->name, u->consumed);
			errno = EILSEQ;
			return -1;
		}
		break; /* the text before the bad bytes first */
	}
	return op - dst;
}

static int
u16_close(void *cookie)
{
	(void)cookie;
	return 0;
}

static int
u16_next(void *impl, struct hl_record *rec)
{
	struct utf16 *u = impl;

	return hl_reader_next(u->r, rec);
}

static const char *
u16_encoding(const void *impl)
{
	const struct utf16 *u = impl;

	return u->enc;
}

static unsigned long long
u16_offset(const void *impl)
{
	const struct utf16 *u = impl;

	return u->consumed;
}

static const char *
u16_errmsg(const void *impl)
{
	const struct utf16 *u = impl;

	return u->err.len ? u->err.data : hl_reader_errmsg(u->r);
}

static void
u16_tap(void *impl, hl_reader_tap_fn *fn, void *arg)
{
	struct utf16 *u = impl;

	u->tap = fn;
	u->tap_arg = arg;
}

static void
u16_free(void *impl)
{
	struct utf16 *u = impl;

	hl_reader_free(u->r);
	if (u->out)
		fclose(u->out);
	if (u->cd != (iconv_t)-1)
		iconv_close(u->cd);
	hl_buf_release(&u->err);
	free(u->name);
	free(u);
}

static const struct hl_source_ops u16_ops = {
    "utf-16",   u16_next,   hl_record_pos, u16_encoding, hl_no_switch,
    u16_offset, u16_errmsg, u16_tap,       u16_free,     hl_no_sheets,
};

struct hl_source *
hl_utf16_source(FILE *f, const char *name)
{
	static const cookie_io_functions_t io = {decode, NULL, NULL, u16_close};
	struct hl_source *s = hl_xcalloc(1, sizeof(*s));
	struct utf16 *u = hl_xcalloc(1, sizeof(*u));
	unsigned char bom[2] = {0, 0};

	u->in = f;
	u->name = hl_xstrdup(name);
	hl_buf_init(&u->err);
	/* iconv's "UTF-16" reads the byte-order mark and drops it */
	if (fread(bom, 1, 2, f) == 2)
		u->enc = bom[0] == 0xfe ? "utf-16be" : "utf-16le";
	else
		u->enc = "utf-16le";
	rewind(f);
	u->cd = iconv_open("UTF-8", "UTF-16");
	if (u->cd == (iconv_t)-1)
		hl_buf_printf(&u->err, "cannot decode UTF-16: %s",
			      strerror(errno));
	else if ((u->out = fopencookie(u, "r", io)) == NULL)
		hl_oom(0);
	/* with no stream, the reader reads nothing and errmsg() says why */
	u->r = hl_reader_new(u->out ? u->out : f, name, HL_ENCODING_UTF8, 0, 0);
	s->ops = &u16_ops;
	s->impl = u;
	return s;
}
