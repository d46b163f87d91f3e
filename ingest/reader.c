/*
 * reader.c - CSV records with positions, in constant memory.
 *
 * libcsv reports neither lines nor columns, so the input is fed to it in
 * segments that end right after every CR or LF (and never longer than the
 * chunk size): a record ends only at a segment's end, so the reader knows
 * where every record starts, and a segment holds no line break before its
 * last byte, so a column inside it is its start's plus an offset.  When
 * libcsv rejects a byte, csv_parse() returns how much of the segment it
 * consumed, which points at that byte exactly.  Where each field starts is
 * worked out only when a message needs it, from the record's raw bytes
 * (hl_record_pos): the hot path never tracks it.  Columns are 1-based byte
 * columns; a UTF-8 BOM is not counted.
 *
 * Fields are parsed in the file's own bytes (',', '"', CR and LF are never
 * part of a multi-byte character in UTF-8 or GB18030) and converted to
 * UTF-8 once the record is complete.
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/reader.h"

#define SAMPLE 65536

struct hl_reader {
	FILE *f;
	char *name;
	enum hl_encoding enc;
	int detected;
	int ascii_guess;             /* UTF-8 guessed from ASCII alone */
	char delim;                  /* ',' or '\t' once detected */
	unsigned long switched_line; /* read as GB18030 from this line */
	size_t chunk, max_record;

	unsigned char *buf;
	size_t cap, len, off; /* buffer size, bytes in it, next unread */
	int eof, finished;
	unsigned long long consumed;

	struct csv_parser p;
	struct hl_pos cur;    /* position of the next byte fed */
	int after_cr;         /* the last byte fed was a CR */
	int at_start;         /* waiting for a record's first byte */
	int skipping;         /* resynchronising: discard the record */
	int sk_inq, sk_qpend; /* ...inside quotes; a quote just seen */
	int sk_fstart;        /* ...at the start of a field */
	int done;             /* the record callback fired */
	int returned;         /* the last record went to the caller */

	/* The record being read, in the file's bytes. */
	struct hl_pos start;
	struct hl_buf raw;
	struct hl_buf bytes;
	size_t *foff, *flen;
	size_t nf, fcap;
	int err;
	int too_many; /* more than HL_READER_MAX_FIELDS fields */
	struct hl_pos errpos;
	char errmsg[160];
	const char *errkind;

	/* The record handed out, in UTF-8 (GB18030 input only: UTF-8
	 * fields are handed out from bytes). */
	struct hl_buf out;
	char **ofield;
	size_t *olen;
	size_t ocap;

	iconv_t cd;
	struct hl_buf msg;
	hl_reader_tap_fn *tap;
	void *tap_arg;
};

const char *
hl_encoding_name(enum hl_encoding e)
{
	switch (e) {
	case HL_ENCODING_UTF8:
		return "utf-8";
	case HL_ENCODING_UTF8_BOM:
		return "utf-8-bom";
	case HL_ENCODING_GB18030:
		return "gb18030";
	default:
		return "auto";
	}
}

/* libcsv trims "space" characters around unquoted fields; none are. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
parser_init(struct hl_reader *r)
{
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI);
	/* Spaces are data: trimming is the mapping's decision, not ours. */
	csv_set_space_func(&r->p, no_space);
	/*
	 * libcsv grows a field's buffer by this much at a time (128 bytes by
	 * default): a field of megabytes meant a realloc, and where realloc
	 * copies, a copy, every 128 bytes.
	 */
	csv_set_blk_size(&r->p, 65536);
	if (r->delim)
		csv_set_delim(&r->p, r->delim);
}

struct hl_reader *
hl_reader_new(FILE *f, const char *name, enum hl_encoding enc, size_t chunk,
	      size_t max_record)
{
	struct hl_reader *r = hl_xcalloc(1, sizeof(*r));

	r->f = f;
	r->name = hl_xstrdup(name);
	r->enc = enc;
	r->chunk = chunk ? chunk : 65536;
	r->max_record = max_record ? max_record : HL_READER_MAX_RECORD;
	r->cap = SAMPLE > r->chunk ? SAMPLE : r->chunk;
	r->buf = hl_xmalloc(r->cap);
	r->cur.line = 1;
	r->cur.col = 1;
	r->at_start = 1;
	r->cd = (iconv_t)-1;
	hl_buf_init(&r->raw);
	hl_buf_init(&r->bytes);
	hl_buf_init(&r->out);
	hl_buf_init(&r->msg);
	parser_init(r);
	return r;
}

void
hl_reader_free(struct hl_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->p);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	hl_buf_release(&r->raw);
	hl_buf_release(&r->bytes);
	hl_buf_release(&r->out);
	hl_buf_release(&r->msg);
	free(r->foff);
	free(r->flen);
	free(r->ofield);
	free(r->olen);
	free(r->buf);
	free(r->name);
	free(r);
}

void
hl_reader_tap(struct hl_reader *r, hl_reader_tap_fn *fn, void *arg)
{
	r->tap = fn;
	r->tap_arg = arg;
}

enum hl_encoding
hl_reader_encoding(const struct hl_reader *r)
{
	return r->enc;
}

unsigned long long
hl_reader_offset(const struct hl_reader *r)
{
	return r->consumed;
}

unsigned long
hl_reader_switched(const struct hl_reader *r)
{
	return r->switched_line;
}

const char *
hl_reader_errmsg(const struct hl_reader *r)
{
	return r->msg.data;
}

/* ---- encodings ---- */

/*
 * Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when the
 * bytes there are not one: overlong forms, surrogates and code points past
 * U+10FFFF are invalid.  *partial (OUT) is set when the sequence is cut by
 * the end of the bytes rather than wrong.
 */
static size_t
utf8_seq(const unsigned char *p, size_t n, int *partial)
{
	unsigned c = p[0];
	size_t len, i;
	unsigned long cp;

	*partial = 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if (i >= n) {
			*partial = 1;
			return 0;
		}
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return len;
}

/* Invalid sequences in p[0..n) read as GB18030 (a cut last one aside). */
static size_t
gb18030_errors(const unsigned char *p, size_t n)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char out[4096], *in = (char *)p, *o;
	size_t inleft = n, oleft, bad = 0;

	if (cd == (iconv_t)-1)
		return (size_t)-1;
	while (inleft > 0) {
		o = out;
		oleft = sizeof(out);
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL)
			break; /* a character cut by the sample's end */
		bad++;         /* EILSEQ: skip the byte and go on */
		in++;
		inleft--;
	}
	iconv_close(cd);
	return bad;
}

/*
 * Decides the encoding from the sample: UTF-8 when it reads as UTF-8
 * throughout, else whichever of UTF-8 and GB18030 reads it with fewer
 * invalid sequences.  A stray bad byte here and there does not change the
 * verdict: those rows are rejected later, the file is not misread.
 */
static enum hl_encoding
detect(const unsigned char *p, size_t n)
{
	size_t i = 0, bad = 0;
	int partial;

	while (i < n) {
		size_t k = utf8_seq(p + i, n - i, &partial);

		if (k == 0) {
			if (partial)
				break;
			bad++;
			i++;
		} else {
			i += k;
		}
	}
	if (bad == 0)
		return HL_ENCODING_UTF8;
	return gb18030_errors(p, n) < bad ? HL_ENCODING_GB18030
					  : HL_ENCODING_UTF8;
}

/* ---- libcsv callbacks ---- */

static void
grow_fields(struct hl_reader *r)
{
	if (r->nf < r->fcap)
		return;
	r->fcap = r->fcap ? r->fcap * 2 : 32;
	r->foff = hl_xrealloc(r->foff, r->fcap * sizeof(*r->foff));
	r->flen = hl_xrealloc(r->flen, r->fcap * sizeof(*r->flen));
}

static void
on_field(void *s, size_t len, void *data)
{
	struct hl_reader *r = data;

	/* Past the limit fields are only counted: memory stays bounded. */
	if (r->nf == HL_READER_MAX_FIELDS) {
		r->too_many = 1;
		return;
	}
	grow_fields(r);
	r->foff[r->nf] = r->bytes.len;
	r->flen[r->nf] = len;
	r->nf++;
	/* libcsv's buffer is reused for the next field: copy now. */
	hl_buf_add(&r->bytes, s, len);
	hl_buf_addc(&r->bytes, '\0');
}

static void
on_record(int c, void *data)
{
	struct hl_reader *r = data;

	(void)c;
	r->done = 1;
	r->at_start = 1;
}

/* ---- the record ---- */

static void record_error(struct hl_reader *r, struct hl_pos pos,
			 const char *fmt, ...) HL_PRINTF(3, 4);

static void
record_error(struct hl_reader *r, struct hl_pos pos, const char *fmt, ...)
{
	va_list ap;

	if (r->err)
		return; /* the first problem is the one reported */
	r->err = 1;
	r->errpos = pos;
	r->errkind = fmt;
	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof(r->errmsg), fmt, ap);
	va_end(ap);
}

static void
reset_record(struct hl_reader *r)
{
	hl_buf_reset(&r->raw);
	hl_buf_reset(&r->bytes);
	r->nf = 0;
	r->err = 0;
	r->too_many = 0;
	r->done = 0;
	r->returned = 0;
}

/*
 * pos past byte c.  CR, LF and CRLF each end one line: a CR ends it, and
 * an LF right after a CR (*cr set) belongs to that line end.
 */
static void
advance(struct hl_pos *pos, unsigned char c, int *cr)
{
	if (c == '\r' || (c == '\n' && !*cr)) {
		pos->line++;
		pos->col = 1;
	} else if (c != '\n') {
		pos->col++;
	}
	*cr = c == '\r';
}

/* libcsv's parser states (libcsv.c), read when a record is cut short. */
#define LIBCSV_FIELD_BEGUN 2
#define LIBCSV_FIELD_MIGHT_HAVE_ENDED 3

/*
 * Starts over after a malformed record: a fresh parser, and the rest of the
 * record discarded.  The discarding follows the quoting from the state
 * given, so a record whose later fields hold quoted line breaks ends where
 * it really ends, not at the next LF.
 */
static void
resync(struct hl_reader *r, int inq, int qpend)
{
	csv_free(&r->p);
	parser_init(r);
	r->skipping = 1;
	r->sk_inq = inq;
	r->sk_qpend = qpend;
	r->sk_fstart = 0;
}

/*
 * Where field i of a record starts, from the record's raw bytes raw[0..n)
 * that start at `at`: the field follows the i-th comma outside quotes.
 * A field is quoted when its first byte is a quote, as libcsv reads it;
 * inside quotes a doubled quote is one.  Past the bytes kept (a record cut
 * at its maximum length) the last position reached is returned.
 */
static struct hl_pos
field_pos(const char *raw, size_t n, struct hl_pos at, size_t i)
{
	size_t j, k = 0;
	int inq = 0, fstart = 1, cr = 0;

	for (j = 0; j < n && k < i; j++) {
		unsigned char c = (unsigned char)raw[j];

		if (inq) {
			if (c == '"' && j + 1 < n && raw[j + 1] == '"')
				advance(&at, raw[j++], &cr);
			else if (c == '"')
				inq = 0;
		} else if (c == '"' && fstart) {
			inq = 1;
		} else if (c == ',') {
			k++;
		}
		fstart = c == ',';
		advance(&at, c, &cr);
	}
	return at;
}

struct hl_pos
hl_record_pos(const struct hl_record *rec, size_t i)
{
	return field_pos(rec->raw, rec->rawlen, rec->start, i);
}

/*
 * Length of the longest valid UTF-8 prefix of p[0..n).  Runs of ASCII go
 * eight bytes at a time: most of an export is ASCII digits and
 * punctuation, and the rest three-byte CJK.
 */
static size_t
utf8_valid_prefix(const unsigned char *p, size_t n)
{
	size_t i = 0, k;
	int partial;

	while (i < n) {
		uint64_t w;

		if (n - i >= 8) {
			memcpy(&w, p + i, 8);
			if ((w & 0x8080808080808080ull) == 0) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		/* The common case, E1-EC or EE-EF with two continuation
		 * bytes, needs no range check. */
		if (n - i >= 3 && p[i] >= 0xE1 && p[i] <= 0xEF &&
		    p[i] != 0xED && (p[i + 1] & 0xC0) == 0x80 &&
		    (p[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		k = utf8_seq(p + i, n - i, &partial);
		if (k == 0)
			break;
		i += k;
	}
	return i;
}

/*
 * Hands out the record's fields in UTF-8: UTF-8 input as read (checked
 * once over the whole record, which is valid exactly when every field
 * is), GB18030 converted into r->out.
 */
static void
decode(struct hl_reader *r)
{
	const unsigned char *raw = (const unsigned char *)r->raw.data;
	/* UTF-8 that is not: the record's bytes are scanned once */
	int bad = r->enc != HL_ENCODING_GB18030 &&
		  utf8_valid_prefix(raw, r->raw.len) < r->raw.len;
	size_t i;

	if (r->nf > r->ocap) {
		r->ocap = r->nf;
		r->ofield =
		    hl_xrealloc(r->ofield, r->ocap * sizeof(*r->ofield));
		r->olen = hl_xrealloc(r->olen, r->ocap * sizeof(*r->olen));
	}
	if (bad && r->ascii_guess && gb18030_errors(raw, r->raw.len) == 0 &&
	    (r->cd = iconv_open("UTF-8", "GB18030")) != (iconv_t)-1) {
		/* The first bytes past ASCII are GB18030, not UTF-8. */
		r->enc = HL_ENCODING_GB18030;
		r->switched_line = r->start.line;
	}
	r->ascii_guess &= r->enc != HL_ENCODING_GB18030;
	if (r->enc != HL_ENCODING_GB18030) {
		if (bad) {
			for (i = 0; i < r->nf; i++) {
				const unsigned char *p =
				    (const unsigned char *)r->bytes.data +
				    r->foff[i];
				size_t k = utf8_valid_prefix(p, r->flen[i]);

				if (k < r->flen[i]) {
					record_error(
					    r,
					    field_pos(r->raw.data, r->raw.len,
						      r->start, i),
					    "invalid UTF-8 byte 0x%02X in "
					    "field %zu%s",
					    p[k], i + 1,
					    gb18030_errors(raw, r->raw.len) == 0
						? " (the record reads as "
						  "GB18030: --encoding "
						  "gb18030 if the file is GBK "
						  "or GB18030)"
						: "");
					return;
				}
			}
		}
		for (i = 0; i < r->nf; i++) {
			r->ofield[i] = r->bytes.data + r->foff[i];
			r->olen[i] = r->flen[i];
		}
		return;
	}
	hl_buf_reset(&r->out);
	for (i = 0; i < r->nf; i++) {
		char *in = r->bytes.data + r->foff[i], *o;
		size_t inleft = r->flen[i], oleft;

		r->olen[i] = r->out.len; /* offsets first, lengths below */
		hl_buf_grow(&r->out, inleft * 2 + 4);
		o = r->out.data + r->out.len;
		oleft = r->out.cap - r->out.len;
		iconv(r->cd, NULL, NULL, NULL, NULL);
		if (iconv(r->cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
			record_error(
			    r, field_pos(r->raw.data, r->raw.len, r->start, i),
			    "invalid GB18030 bytes (0x%02X) in field "
			    "%zu",
			    (unsigned char)*in, i + 1);
			return;
		}
		r->out.len = r->out.cap - oleft;
		hl_buf_addc(&r->out, '\0');
	}
	for (i = 0; i < r->nf; i++) {
		size_t end = i + 1 < r->nf ? r->olen[i + 1] : r->out.len;

		r->ofield[i] = r->out.data + r->olen[i];
		r->olen[i] = end - r->olen[i] - 1;
	}
}

static int
hand_out(struct hl_reader *r, struct hl_record *rec)
{
	rec->start = r->start;
	rec->raw = r->raw.data;
	rec->rawlen = r->raw.len;
	/* The line end is not part of the raw record. */
	while (rec->rawlen > 0 && (rec->raw[rec->rawlen - 1] == '\n' ||
				   rec->raw[rec->rawlen - 1] == '\r'))
		rec->rawlen--;
	rec->nfields = 0;
	r->returned = 1;
	if (!r->err)
		decode(r);
	if (r->err) {
		rec->errpos = r->errpos;
		rec->errmsg = r->errmsg;
		rec->errkind = r->errkind;
		return -1;
	}
	rec->nfields = r->nf;
	rec->field = r->ofield;
	rec->len = r->olen;
	rec->errmsg = NULL;
	return 1;
}

/* ---- input ---- */

static int
fill(struct hl_reader *r)
{
	size_t n;

	if (r->off < r->len || r->eof)
		return 0;
	n = fread(r->buf, 1, r->cap, r->f);
	if (r->tap && n)
		r->tap(r->tap_arg, r->buf, n);
	r->len = n;
	r->off = 0;
	if (n == 0) {
		if (ferror(r->f)) {
			hl_buf_reset(&r->msg);
			hl_buf_printf(&r->msg, "cannot read '%s': %s", r->name,
				      strerror(errno));
			return -1;
		}
		r->eof = 1;
	}
	return 0;
}

enum hl_format
hl_format_of(const void *p, size_t n)
{
	if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
		return HL_FORMAT_XLSX;
	if (n >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return HL_FORMAT_XLS;
	if (n >= 2 &&
	    (memcmp(p, "\xff\xfe", 2) == 0 || memcmp(p, "\xfe\xff", 2) == 0))
		return HL_FORMAT_UTF16;
	return HL_FORMAT_TEXT;
}

/*
 * What the first bytes say a file is when it is no delimited text this
 * reader takes (a workbook reaches it only on standard input), or NULL.
 */
static const char *
not_text(const unsigned char *p, size_t n)
{
	static const char *const what[] = {
	    [HL_FORMAT_TEXT] = NULL,
	    [HL_FORMAT_XLSX] = "an Excel workbook (.xlsx) or another zip file, "
			       "read only from a file named on the command "
			       "line",
	    [HL_FORMAT_XLS] = "an Excel 97-2003 workbook (.xls)",
	    [HL_FORMAT_UTF16] =
		"UTF-16 text (what Excel saves as \"Unicode Text\"), read "
		"only from a file named on the command line",
	};

	return what[hl_format_of(p, n)];
}

/*
 * The delimiter of the text whose first bytes are p: a tab when the first
 * line has more tabs than commas outside quotes (Excel's "Text (Tab
 * delimited)" and "Unicode Text"), else a comma.
 */
static char
delimiter(const unsigned char *p, size_t n)
{
	size_t i, tabs = 0, commas = 0;
	int quoted = 0;

	for (i = 0; i < n && (quoted || (p[i] != '\n' && p[i] != '\r')); i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && p[i] == '\t')
			tabs++;
		else if (!quoted && p[i] == ',')
			commas++;
	}
	return tabs > commas ? '\t' : ',';
}

static int
start_reading(struct hl_reader *r)
{
	const char *what;

	/* Fill the buffer with the sample the detection looks at. */
	while (r->len < r->cap && !r->eof) {
		size_t n = fread(r->buf + r->len, 1, r->cap - r->len, r->f);

		if (r->tap && n)
			r->tap(r->tap_arg, r->buf + r->len, n);

		if (n == 0) {
			if (ferror(r->f)) {
				hl_buf_printf(&r->msg, "cannot read '%s': %s",
					      r->name, strerror(errno));
				return -1;
			}
			break;
		}
		r->len += n;
	}
	if ((what = not_text(r->buf, r->len)) != NULL) {
		hl_buf_printf(
		    &r->msg,
		    "'%s' is %s, not CSV: save it from Excel or "
		    "LibreOffice as \"CSV UTF-8 (comma delimited)\" and "
		    "ingest that",
		    r->name, what);
		return -1;
	}
	if (r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0 &&
	    (r->enc == HL_ENCODING_AUTO || r->enc == HL_ENCODING_UTF8 ||
	     r->enc == HL_ENCODING_UTF8_BOM)) {
		r->off = 3;
		r->consumed = 3;
		r->enc = HL_ENCODING_UTF8_BOM;
	} else if (r->enc == HL_ENCODING_AUTO) {
		size_t i;

		r->enc = detect(r->buf, r->len);
		/* Nothing but ASCII in the sample: UTF-8 is a guess, which
		 * the first byte past it may overturn (decode()). */
		for (i = 0; i < r->len && r->buf[i] < 0x80; i++)
			;
		r->ascii_guess = i == r->len;
	} else if (r->enc == HL_ENCODING_UTF8_BOM) {
		r->enc = HL_ENCODING_UTF8;
	}
	if (r->enc == HL_ENCODING_GB18030) {
		r->cd = iconv_open("UTF-8", "GB18030");
		if (r->cd == (iconv_t)-1) {
			hl_buf_printf(&r->msg, "cannot decode GB18030: %s",
				      strerror(errno));
			return -1;
		}
	}
	r->delim = delimiter(r->buf + r->off, r->len - r->off);
	if (r->delim != ',')
		csv_set_delim(&r->p, r->delim);
	r->detected = 1;
	return 0;
}

/* Discards the rest of a malformed record (into its raw bytes). */
static void
skip_record(struct hl_reader *r)
{
	const unsigned char *p = r->buf + r->off;
	size_t n = r->len - r->off, i, keep;
	int end = 0;

	for (i = 0; i < n && !end; i++) {
		unsigned char c = p[i];

		if (r->sk_qpend) {
			r->sk_qpend = 0;
			if (c == '"')
				continue; /* a doubled quote inside quotes */
			r->sk_inq = 0;
		}
		if (r->sk_inq) {
			r->sk_qpend = c == '"';
			continue;
		}
		if (c == '"' && r->sk_fstart) {
			r->sk_inq = 1;
			r->sk_fstart = 0;
		} else if (c == ',') {
			r->sk_fstart = 1;
		} else if (c == '\n' || c == '\r') {
			/* A lone CR ends a record as libcsv reads it; the LF
			 * of a CRLF is then a line end before the next. */
			end = 1;
		} else {
			r->sk_fstart = 0;
		}
	}
	keep = r->raw.len < r->max_record ? r->max_record - r->raw.len : 0;
	hl_buf_add(&r->raw, p, i < keep ? i : keep);
	for (n = 0; n < i; n++)
		advance(&r->cur, p[n], &r->after_cr);
	r->off += i;
	r->consumed += i;
	if (end) {
		r->skipping = 0;
		r->at_start = 1;
		r->done = 1;
	}
}

/* pos moved n columns to the right (the bytes passed hold no LF). */
static struct hl_pos
right(struct hl_pos pos, size_t n)
{
	pos.col += n;
	return pos;
}

/*
 * Feeds one segment to libcsv: up to and including the next CR or LF, at
 * most the chunk size.
 */
static void
feed(struct hl_reader *r)
{
	const unsigned char *p = r->buf + r->off, *e, *nul;
	size_t avail = r->len - r->off, n, lead = 0, used;
	struct hl_pos pos0;

	if (avail > r->chunk)
		avail = r->chunk;
	e = memchr(p, '\n', avail);
	n = e ? (size_t)(e - p) + 1 : avail;
	if ((e = memchr(p, '\r', n)) != NULL)
		n = (size_t)(e - p) + 1;
	/* Line ends before a record belong to no record. */
	while (r->at_start && lead < n && (p[lead] == '\r' || p[lead] == '\n'))
		advance(&r->cur, p[lead++], &r->after_cr);
	if (lead < n && r->at_start) {
		reset_record(r);
		r->at_start = 0;
		r->start = r->cur;
	}
	pos0 = r->cur;
	if (lead < n) {
		if ((nul = memchr(p + lead, '\0', n - lead)) != NULL)
			record_error(r, right(pos0, (size_t)(nul - p) - lead),
				     "NUL byte in the record");
		hl_buf_add(&r->raw, p + lead, n - lead);
	}
	used =
	    lead + csv_parse(&r->p, p + lead, n - lead, on_field, on_record, r);
	if (used == n) {
		if (lead == n) {
			; /* only line ends, already counted */
		} else if (p[n - 1] == '\n' || p[n - 1] == '\r') {
			/* The segment's one line end is its last byte. */
			if (n - lead > 1)
				r->after_cr = 0;
			advance(&r->cur, p[n - 1], &r->after_cr);
		} else {
			r->cur.col += n - lead;
			r->after_cr = 0;
		}
	} else {
		/* libcsv stopped at the offending byte. */
		struct hl_pos at = right(pos0, used - lead);

		r->cur = at;
		r->after_cr = 0;
		advance(&r->cur, p[used], &r->after_cr);
		record_error(r, at,
			     p[used] == '"'
				 ? "quote inside an unquoted field"
				 : "unexpected character after a closing "
				   "quote");
		r->raw.len -= n - used - 1;
		r->raw.data[r->raw.len] = '\0';
		used++;
		/* libcsv refuses a byte outside quotes, mid-field. */
		resync(r, 0, 0);
		if (p[used - 1] == '\n' || p[used - 1] == '\r') {
			r->skipping = 0;
			r->done = 1;
			r->at_start = 1;
		}
	}
	r->off += used;
	r->consumed += used;
	if (r->too_many && !r->err)
		record_error(r, r->start, "more than %d fields in the record",
			     HL_READER_MAX_FIELDS);
	if (!r->done && !r->skipping &&
	    (r->raw.len > r->max_record || r->too_many)) {
		if (!r->too_many)
			record_error(r, r->start,
				     "record longer than %zu bytes",
				     r->max_record);
		/* Go on from where libcsv is: in quotes, or just after one. */
		resync(r, r->p.pstate == LIBCSV_FIELD_BEGUN && r->p.quoted,
		       r->p.pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED);
	}
}

int
hl_reader_next(struct hl_reader *r, struct hl_record *rec)
{
	if (!r->detected && start_reading(r) != 0)
		return -2;
	if (r->returned)
		reset_record(r);
	for (;;) {
		if (r->done)
			return hand_out(r, rec);
		if (r->off >= r->len) {
			if (fill(r) != 0)
				return -2;
			if (r->eof) {
				if (r->finished)
					return 0;
				r->finished = 1;
				if (r->skipping) {
					r->skipping = 0;
					r->done = 1;
					continue;
				}
				if (csv_fini(&r->p, on_field, on_record, r) !=
				    0) {
					record_error(
					    r,
					    field_pos(r->raw.data, r->raw.len,
						      r->start, r->nf),
					    "end of file inside a quoted field "
					    "(the quote opens here)");
					r->done = 1;
				}
				continue;
			}
		}
		if (r->skipping)
			skip_record(r);
		else
			feed(r);
	}
}
