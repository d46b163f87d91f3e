/*
 * xlsx.c - a workbook (.xlsx) as a source of records (source.h): the
 * rows of one sheet, streamed with libzip and expat in bounded memory.
 *
 * A workbook is a zip of XML parts.  workbook.xml names the sheets and
 * its relationships give each one's part; styles.xml says which cell
 * formats are dates; sharedStrings.xml holds the text most cells point
 * at, and is spilled to a temporary file with only an offset a string
 * kept in memory, however large it is.  The sheet's XML is parsed a
 * chunk at a time, the parser suspended at the end of each row.  A date
 * cell (a number in a date format) becomes "YYYY-MM-DD hh:mm:ss" (or
 * "YYYY-MM-DD" with no time of day), what the CSV reader would hand out
 * for the same export.  Parts with a DOCTYPE are refused (no entity can
 * expand), a part that inflates more than a sane ratio or size is
 * refused as a zip bomb, and a position is the sheet and the cell.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <expat.h>
#include <pthread.h>
#include <stdarg.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "ingest/source.h"
#include "ingest/sst.h"

/* Inflated bytes a part may have, and how many times its compressed
 * size: a real workbook compresses about tenfold. */
#define MAX_PART ((zip_uint64_t)4 << 30)
#define MAX_RATIO 200
#define MAX_CELL ((size_t)1 << 20)
#define MAX_COLS 16384
/*
 * The shared strings (sst.h), loaded on a thread of their own while the
 * sheet is read: a sheet's first rows need only the first strings.
 */
struct strings {
	struct hl_sst *t;
	struct xlsx *loader; /* its own zip handle and error */
	pthread_t thread;
	int threaded;
};

/*
 * The sheet's part inflated on a thread of its own, a few chunks ahead:
 * the thread that parses the sheet sets the pace of a workbook's load,
 * and inflating was an eighth of its work.  Only that thread reads the
 * sheet's zip file once it has started.
 */
#define INF_CHUNKS 8
#define INF_CHUNK ((size_t)128 << 10)
/* The parser wakes the inflater when half the chunks are back, not for
 * each: a wakeup cost a few microseconds of the parser's own time. */
#define INF_REFILL (INF_CHUNKS / 2)

struct inflater {
	pthread_t thread;
	int started, stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *data[INF_CHUNKS];
	zip_int64_t len[INF_CHUNKS]; /* bytes; 0: the end; -1: err */
	size_t head, tail, full;     /* ring: filled at tail, read at head */
	unsigned long long inflated;
	char err[512];
};

/* The file's bytes handed to the tap (its SHA-256) on a thread of its
 * own, read with pread() so that no one's file offset moves; done by
 * the time the sheet's end is reported. */
struct tap {
	hl_reader_tap_fn *fn;
	void *arg;
	int fd;
	pthread_t thread;
	int started;
};

struct xlsx;
static void tap_wait(struct xlsx *x);

struct xlsx {
	/* every parser's user data starts with the handle: x itself here */
	struct xlsx *self;
	XML_Parser cur; /* the parser at work, for no_doctype() */
	FILE *f;        /* borrowed: the file, for the SHA-256 tap */
	char *name;
	zip_t *z;
	int date1904;
	char *sheet, *part; /* the sheet read: its name and its part */
	long nsheets;       /* the workbook's */
	/* the shared strings (the loader's x has the same) */
	struct strings *ss;
	/* styles: whether cell format i is a date */
	unsigned char *xf_date;
	size_t nxf;
	/* custom number formats that are dates, by id (ids < 1024) */
	unsigned char fmt_date[1024];

	/* the sheet */
	zip_file_t *zf;
	struct inflater inf; /* zf inflated ahead */
	struct tap tap;      /* the whole file, hashed meanwhile */
	XML_Parser p;
	char buf[65536];
	int suspended, at_end;
	unsigned long long inflated;
	/* the row being read, and the record handed out */
	unsigned long row;
	int row_ready;
	struct hl_buf cells; /* the row's cell values, NUL-terminated */
	size_t *coff;        /* value of column i: cells.data + coff[i] */
	size_t *clen;        /* its length */
	char *cset;          /* column i has a value */
	size_t ncols, ccols; /* columns of the row; allocated */
	size_t width;        /* the widest row so far: records are padded */
	char **field;
	size_t *len, nfield; /* allocated: nfield */
	struct hl_buf raw;
	/* the cell being read */
	long col;
	char type[16];
	long style;
	int in_v, in_is, in_t, in_rph;
	struct hl_buf text;

	int failed;
	struct hl_buf msg;
};

/* ---- errors ---- */

/* The file's first error, kept for errmsg(); later ones are dropped. */
#define failf(x, ...)                                                          \
	hl_sheet_fail(&(x)->msg, &(x)->failed, (x)->name, __VA_ARGS__)

/* ---- a part, parsed whole (the small ones and the shared strings) ---- */

static void XMLCALL
no_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
	   const XML_Char *pubid, int internal)
{
	struct xlsx *x = *(struct xlsx **)arg;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	failf(x, "a part of the workbook declares a DOCTYPE: refused (a "
		 "workbook has none; it could expand entities)");
	XML_StopParser(x->cur, XML_FALSE);
}

/* A parser for x's parts: no DOCTYPE, x as user data. */
static XML_Parser
parser(struct xlsx *x)
{
	XML_Parser p = XML_ParserCreate("UTF-8");

	if (p == NULL)
		hl_oom(0);
	XML_SetUserData(p, x);
	XML_SetStartDoctypeDeclHandler(p, no_doctype);
	return p;
}

/*
 * Opens part path of the workbook, refusing one that inflates beyond
 * MAX_PART or MAX_RATIO times its size; NULL (missing: *missing set).
 */
static zip_file_t *
open_part(struct xlsx *x, const char *path, int *missing)
{
	zip_stat_t st;
	zip_file_t *zf;

	*missing = 0;
	zip_stat_init(&st);
	if (zip_stat(x->z, path, 0, &st) != 0) {
		*missing = 1;
		return NULL;
	}
	if ((st.valid & ZIP_STAT_SIZE) &&
	    (st.size > MAX_PART ||
	     ((st.valid & ZIP_STAT_COMP_SIZE) &&
	      st.size > (zip_uint64_t)MAX_RATIO * (st.comp_size + 1024)))) {
		failf(x,
		      "%s inflates to %llu bytes from %llu: refused as a zip "
		      "bomb",
		      path, (unsigned long long)st.size,
		      (unsigned long long)st.comp_size);
		return NULL;
	}
	if ((zf = zip_fopen(x->z, path, 0)) == NULL)
		failf(x, "cannot read %s: %s", path, zip_strerror(x->z));
	return zf;
}

/* Parses part path whole with p's handlers: 0, or -1 with the error. */
static int
parse_part(struct xlsx *x, XML_Parser p, const char *path, int required)
{
	zip_file_t *zf;
	zip_int64_t n;
	unsigned long long total = 0;
	int missing;

	if ((zf = open_part(x, path, &missing)) == NULL) {
		if (missing && required)
			failf(x, "not a workbook: no %s", path);
		return missing && !required && !x->failed ? 0 : -1;
	}
	x->cur = p;
	do {
		n = zip_fread(zf, x->buf, sizeof(x->buf));
		if (n < 0) {
			failf(x, "cannot read %s: %s", path,
			      zip_file_strerror(zf));
			break;
		}
		total += (unsigned long long)n;
		if (total > MAX_PART) {
			failf(x,
			      "%s inflates past %llu bytes: refused as a zip "
			      "bomb",
			      path, (unsigned long long)MAX_PART);
			break;
		}
		if (XML_Parse(p, x->buf, (int)n, n == 0) != XML_STATUS_OK &&
		    !x->failed)
			failf(x, "%s, line %lu: %s", path,
			      (unsigned long)XML_GetCurrentLineNumber(p),
			      XML_ErrorString(XML_GetErrorCode(p)));
	} while (n > 0 && !x->failed);
	zip_fclose(zf);
	return x->failed ? -1 : 0;
}

/* The value of attribute name (or of one ending in ":name"), or NULL. */
static const char *
attr(const XML_Char **a, const char *name)
{
	size_t n = strlen(name);

	for (; a[0]; a += 2) {
		size_t k = strlen(a[0]);

		if (strcmp(a[0], name) == 0 ||
		    (k > n && a[0][k - n - 1] == ':' &&
		     strcmp(a[0] + k - n, name) == 0))
			return a[1];
	}
	return NULL;
}

/* An element's local name (after any prefix).  A loop, not strrchr():
 * the names are a letter or three, and every cell passes here thrice. */
static const char *
local(const XML_Char *name)
{
	const char *c, *l = name;

	for (c = name; *c; c++)
		if (*c == ':')
			l = c + 1;
	return l;
}

/* A cell's style or a string's index: decimal digits, or -1. */
static long
index_of(const char *s)
{
	long v = 0;
	int n = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		if (++n > 9)
			return -1;
		else
			v = v * 10 + (*s - '0');
	return n == 0 || *s ? -1 : v;
}

/* ---- a string's escapes ---- */

/* Four hex digits at s into *v; 0 when they are not. */
static int
hex4(const char *s, unsigned *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			*v = *v << 4 | (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v = *v << 4 | (unsigned)((c | 0x20) - 'a' + 10);
		else
			return 0;
	}
	return 1;
}

/* Code point c in UTF-8 at w; past it. */
static char *
utf8(char *w, unsigned c)
{
	if (c < 0x80) {
		*w++ = (char)c;
	} else if (c < 0x800) {
		*w++ = (char)(0xC0 | c >> 6);
		*w++ = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*w++ = (char)(0xE0 | c >> 12);
		*w++ = (char)(0x80 | (c >> 6 & 0x3F));
		*w++ = (char)(0x80 | (c & 0x3F));
	} else {
		*w++ = (char)(0xF0 | c >> 18);
		*w++ = (char)(0x80 | (c >> 12 & 0x3F));
		*w++ = (char)(0x80 | (c >> 6 & 0x3F));
		*w++ = (char)(0x80 | (c & 0x3F));
	}
	return w;
}

/*
 * A string's _xHHHH_ escapes decoded in place (ECMA-376 Part 1, 22.9.2.19,
 * ST_Xstring).  Excel and the libraries that write as it does put a
 * character XML cannot carry as _xHHHH_: a carriage return, above all, is
 * _x000D_, so that a cell's CR LF comes back as CR LF and not as the LF an
 * XML parser makes of it; a literal "_x" that would read as an escape is
 * written _x005F_x.  A NUL, or half a surrogate pair, stays as written.
 */
static void
unescape_x(struct hl_buf *b)
{
	char *w, *r, *end;
	unsigned v, lo;

	if (b->len < 7 || strstr(b->data, "_x") == NULL)
		return;
	end = b->data + b->len;
	for (r = w = b->data; r < end;) {
		if (r[0] == '_' && end - r >= 7 && r[1] == 'x' &&
		    hex4(r + 2, &v) && r[6] == '_') {
			if (v >= 0xD800 && v < 0xDC00 && end - r >= 14 &&
			    r[7] == '_' && r[8] == 'x' && hex4(r + 9, &lo) &&
			    r[13] == '_' && lo >= 0xDC00 && lo < 0xE000) {
				w = utf8(w, 0x10000 + ((v - 0xD800) << 10) +
						(lo - 0xDC00));
				r += 14;
				continue;
			}
			if (v != 0 && (v < 0xD800 || v >= 0xE000)) {
				w = utf8(w, v);
				r += 7;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
	b->len = (size_t)(w - b->data);
}

/* ---- workbook.xml and its relationships: which part is the sheet ---- */

struct wb {
	struct xlsx *x;
	char *rid;
	const char *want;    /* a sheet's name or number; NULL: the first */
	long seen;           /* sheets so far */
	struct hl_buf names; /* their names, for a message */
};

static void XMLCALL
wb_start(void *arg, const XML_Char *name, const XML_Char **a)
{
	struct wb *w = arg;
	const char *v;

	if (strcmp(local(name), "workbookPr") == 0 &&
	    (v = attr(a, "date1904")) != NULL)
		w->x->date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	if (strcmp(local(name), "sheet") == 0 && (v = attr(a, "id")) != NULL &&
	    attr(a, "name") != NULL) {
		const char *n = attr(a, "name");
		char num[24];

		snprintf(num, sizeof(num), "%ld", ++w->seen);
		hl_buf_printf(&w->names, "%s'%s'", w->names.len ? ", " : "", n);
		if (w->rid == NULL &&
		    (w->want == NULL || strcmp(w->want, n) == 0 ||
		     strcmp(w->want, num) == 0)) {
			w->rid = hl_xstrdup(v);
			w->x->sheet = hl_xstrdup(n);
		}
	}
}

static void XMLCALL
rel_start(void *arg, const XML_Char *name, const XML_Char **a)
{
	struct wb *w = arg;
	const char *id = attr(a, "Id"), *target = attr(a, "Target");

	if (strcmp(local(name), "Relationship") != 0 || w->x->part ||
	    id == NULL || target == NULL || w->rid == NULL ||
	    strcmp(id, w->rid) != 0)
		return;
	w->x->part = hl_xmalloc(strlen(target) + 4);
	if (target[0] == '/')
		strcpy(w->x->part, target + 1);
	else
		sprintf(w->x->part, "xl/%s", target);
}

/* The sheet want (a name or a number; NULL: the first): its name and its
 * part.  0, or -1. */
static int
find_sheet(struct xlsx *x, const char *want)
{
	struct wb w = {x, NULL, want, 0, HL_BUF_INIT};
	XML_Parser p = parser(x);
	int rc;

	XML_SetUserData(p, &w);
	XML_SetElementHandler(p, wb_start, NULL);
	/* the DOCTYPE handler reaches x through w: first member */
	rc = parse_part(x, p, "xl/workbook.xml", 1);
	XML_ParserFree(p);
	if (rc == 0 && w.rid == NULL && want)
		failf(x,
		      "no sheet '%s' (its sheets: %s); --sheet takes a "
		      "name or a number from 1",
		      want, w.names.len ? w.names.data : "none");
	else if (rc == 0 && w.rid == NULL)
		failf(x, "the workbook has no sheet");
	if (rc == 0 && w.rid) {
		p = parser(x);
		XML_SetUserData(p, &w);
		XML_SetElementHandler(p, rel_start, NULL);
		rc = parse_part(x, p, "xl/_rels/workbook.xml.rels", 1);
		XML_ParserFree(p);
		if (rc == 0 && x->part == NULL)
			failf(x, "no part for sheet '%s'", x->sheet);
	}
	free(w.rid);
	hl_buf_release(&w.names);
	x->nsheets = w.seen;
	return x->failed ? -1 : 0;
}

/* ---- styles.xml: which cell formats are dates ---- */

/* How a cell format shows a number (xf_date). */
enum { NOT_DATE, DATE_ONLY, DATE_TIME };

/* What an Excel format code shows: a date, a date and time, or neither. */
static int
date_code(const char *s)
{
	int quote = 0, date = 0;

	for (; *s; s++) {
		if (*s == '"')
			quote = !quote;
		else if (quote)
			continue;
		else if (*s == '\\' && s[1])
			s++;
		else if (*s == '[') {
			/* [Red], [$-804]; [h] and [mm] are elapsed times */
			if (s[1] == 'h' || s[1] == 'H' || s[1] == 'm' ||
			    s[1] == 's')
				return DATE_TIME;
			while (*s && *s != ']')
				s++;
			if (!*s)
				break;
		} else if (strchr("hHsS", *s) || strncmp(s, "时", 3) == 0)
			return DATE_TIME;
		else if (strchr("dDmMyY", *s) || strncmp(s, "年", 3) == 0 ||
			 strncmp(s, "日", 3) == 0)
			date = DATE_ONLY;
	}
	return date;
}

/* What the built-in number format id shows (ECMA-376 18.8.30, and the
 * East Asian ones 27-36, 50-58). */
static int
date_builtin(long id)
{
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 ||
	    (id >= 50 && id <= 58))
		return DATE_ONLY;
	if ((id >= 18 && id <= 22) || (id >= 32 && id <= 35) ||
	    (id >= 45 && id <= 47))
		return DATE_TIME;
	return NOT_DATE;
}

struct st {
	struct xlsx *x;
	int in_xfs;
};

static void XMLCALL
st_start(void *arg, const XML_Char *name, const XML_Char **a)
{
	struct st *s = arg;
	struct xlsx *x = s->x;
	const char *n = local(name), *v;

	if (strcmp(n, "numFmt") == 0 && (v = attr(a, "numFmtId")) != NULL) {
		long id = strtol(v, NULL, 10);
		const char *code = attr(a, "formatCode");

		if (id >= 0 && id < 1024 && code)
			x->fmt_date[id] = (unsigned char)date_code(code);
	} else if (strcmp(n, "cellXfs") == 0) {
		s->in_xfs = 1;
	} else if (strcmp(n, "xf") == 0 && s->in_xfs) {
		long id = (v = attr(a, "numFmtId")) ? strtol(v, NULL, 10) : 0;

		x->xf_date = hl_xrealloc(x->xf_date, x->nxf + 1);
		x->xf_date[x->nxf++] =
		    (unsigned char)(id >= 164 && id < 1024 ? x->fmt_date[id]
							   : date_builtin(id));
	}
}

static void XMLCALL
st_end(void *arg, const XML_Char *name)
{
	struct st *s = arg;

	if (strcmp(local(name), "cellXfs") == 0)
		s->in_xfs = 0;
}

/* ---- sharedStrings.xml, spilled to a temporary file ---- */

struct ss {
	struct xlsx *x;
	int in_si, in_t, in_rph;
	struct hl_buf s;
};

static void XMLCALL
ss_start(void *arg, const XML_Char *name, const XML_Char **a)
{
	struct ss *s = arg;
	const char *n = local(name);

	(void)a;
	if (strcmp(n, "si") == 0) {
		s->in_si = 1;
		hl_buf_reset(&s->s);
	} else if (strcmp(n, "rPh") == 0) {
		s->in_rph = 1; /* phonetic guides are not the text */
	} else if (strcmp(n, "t") == 0 && s->in_si && !s->in_rph) {
		s->in_t = 1;
	}
}

/* String s->s, the next one, added to the table. */
static void
ss_keep(struct ss *s)
{
	struct xlsx *x = s->x;
	int rc;

	unescape_x(&s->s);
	rc = hl_sst_add(x->ss->t, s->s.data, s->s.len);

	if (rc < 0)
		failf(x, "cannot keep the shared strings: %s", strerror(errno));
	if (rc != 0)
		XML_StopParser(x->cur, XML_FALSE);
}

static void XMLCALL
ss_end(void *arg, const XML_Char *name)
{
	struct ss *s = arg;
	const char *n = local(name);

	if (strcmp(n, "t") == 0) {
		s->in_t = 0;
	} else if (strcmp(n, "rPh") == 0) {
		s->in_rph = 0;
	} else if (strcmp(n, "si") == 0 && s->in_si) {
		s->in_si = 0;
		ss_keep(s);
	}
}

static void XMLCALL
ss_text(void *arg, const XML_Char *t, int n)
{
	struct ss *s = arg;

	if (!s->in_t)
		return;
	if (s->s.len + (size_t)n > MAX_CELL)
		failf(s->x, "a shared string is longer than %zu bytes",
		      MAX_CELL);
	else
		hl_buf_add(&s->s, t, (size_t)n);
}

/* Loads the shared strings with x (the loader, or the reader itself when
 * there is no thread), and says they are all there or why not. */
static void
load_strings(struct xlsx *x)
{
	struct ss s = {x, 0, 0, 0, HL_BUF_INIT};
	XML_Parser p = parser(x);

	XML_SetUserData(p, &s);
	XML_SetElementHandler(p, ss_start, ss_end);
	XML_SetCharacterDataHandler(p, ss_text);
	parse_part(x, p, "xl/sharedStrings.xml", 0);
	XML_ParserFree(p);
	hl_buf_release(&s.s);
	hl_sst_end(x->ss->t, x->failed ? x->msg.data : NULL);
}

static void *
loader(void *arg)
{
	load_strings(arg);
	return NULL;
}

/*
 * Starts loading x's shared strings: on a thread with a zip handle of its
 * own (the file opened anew through /proc, a libzip handle being one
 * thread's), else here and now.  -1: no temporary file.
 */
static int
start_strings(struct xlsx *x)
{
	struct strings *ss = x->ss = hl_xcalloc(1, sizeof(*ss));
	struct xlsx *y;
	char path[64];
	int zerr;

	if ((ss->t = hl_sst_new()) == NULL) {
		failf(x, "cannot make a temporary file: %s", strerror(errno));
		return -1;
	}
	y = ss->loader = hl_xcalloc(1, sizeof(*y));
	y->self = y;
	y->name = x->name;
	y->ss = ss;
	hl_buf_init(&y->msg);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(x->f));
	if ((y->z = zip_open(path, ZIP_RDONLY, &zerr)) != NULL &&
	    pthread_create(&ss->thread, NULL, loader, y) == 0) {
		ss->threaded = 1;
		return 0;
	}
	if (y->z)
		zip_discard(y->z);
	y->z = x->z; /* borrowed: this thread loads them */
	load_strings(y);
	y->z = NULL;
	return 0;
}

/* The loading's error, if any, made x's.  -1: it failed. */
static int
strings_failed(struct xlsx *x)
{
	struct xlsx *y = x->ss ? x->ss->loader : NULL;

	if (x->ss == NULL)
		return 0;
	if (x->ss->threaded) {
		pthread_join(x->ss->thread, NULL);
		x->ss->threaded = 0;
	}
	if (y == NULL || !y->failed)
		return 0;
	if (!x->failed) {
		x->failed = 1;
		hl_buf_reset(&x->msg);
		hl_buf_add(&x->msg, y->msg.data, y->msg.len);
	}
	return -1;
}

static void
free_strings(struct strings *ss)
{
	if (ss == NULL)
		return;
	if (ss->threaded) {
		hl_sst_stop(ss->t);
		pthread_join(ss->thread, NULL);
	}
	if (ss->loader) {
		if (ss->loader->z)
			zip_discard(ss->loader->z);
		hl_buf_release(&ss->loader->msg);
		free(ss->loader);
	}
	hl_sst_free(ss->t);
	free(ss);
}

/* ---- the sheet, a row at a time ---- */

/* "AB12" -> column 27 (0-based: 27), or -1. */
static long
column_of(const char *ref)
{
	long c = 0;
	int n = 0;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++, n++)
		c = c * 26 + (*ref - 'A' + 1);
	return n == 0 || n > 3 || c > MAX_COLS ? -1 : c - 1;
}

/*
 * An Excel date serial as "YYYY-MM-DD hh:mm:ss" into b, or "YYYY-MM-DD"
 * when the format shows a date only and the value has no time of day (a
 * date alone means what it means in CSV: the deadline's end of day).
 * Written digit by digit: printf was a tenth of a workbook's reading.
 */
/* 0 <= v < 100 as two digits at e; past them. */
static char *
two(char *e, int v)
{
	e[0] = (char)('0' + v / 10);
	e[1] = (char)('0' + v % 10);
	return e + 2;
}

static void
serial_text(const struct xlsx *x, double v, int kind, struct hl_buf *b)
{
	int64_t secs = (int64_t)llround(v * 86400.0);
	int64_t days = secs / 86400, tod = secs % 86400;
	int y, m, d;
	char t[32], *e;

	/* 1900 system: day 1 is 1900-01-01 and Lotus's 1900-02-29 is
	 * day 60, so from day 61 on, day 25569 is 1970-01-01. */
	days -= x->date1904 ? 24107 : (days < 61 ? 25568 : 25569);
	hl_civil_from_days(days, &y, &m, &d);
	/* 1900 to 9999, but for a 1904 workbook's last days */
	e = y <= 9999 ? two(two(t, y / 100), y % 100) : hl_digits(t, y, 4);
	*e++ = '-';
	e = two(e, m);
	*e++ = '-';
	e = two(e, d);
	if (tod || kind == DATE_TIME) {
		*e++ = ' ';
		e = two(e, (int)(tod / 3600));
		*e++ = ':';
		e = two(e, (int)(tod / 60 % 60));
		*e++ = ':';
		e = two(e, (int)(tod % 60));
	}
	hl_buf_add(b, t, (size_t)(e - t));
}

/*
 * strtod() for a cell's number, quicker for the common case: at most 15
 * digits and no exponent (an ID, an amount) is an exact integer over an
 * exact power of ten, so one division rounds it correctly (Clinger's fast
 * path).  A date serial (`date`) may have up to 18: it is rounded to the
 * second, far coarser than the two roundings here.  Anything else goes
 * to strtod().
 */
static double
number(const char *s, char **end, int date)
{
	static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
				     1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
				     1e14, 1e15, 1e16, 1e17, 1e18};
	const char *c = s;
	int64_t m = 0;
	int digits = 0, frac = -1, neg = *c == '-';

	for (c += neg; *c; c++) {
		if (*c >= '0' && *c <= '9') {
			m = m * 10 + (*c - '0');
			if (++digits > (date ? 18 : 15))
				return strtod(s, end);
			if (frac >= 0)
				frac++;
		} else if (*c == '.' && frac < 0) {
			frac = 0;
		} else {
			return strtod(s, end);
		}
	}
	if (digits == 0)
		return strtod(s, end);
	*end = (char *)c;
	return (neg ? -(double)m : (double)m) / p10[frac > 0 ? frac : 0];
}

/* The cell just read into the row, as the text it shows. */
static void
end_cell(struct xlsx *x)
{
	size_t at;
	const char *t = x->type;

	if (x->col < 0 || x->failed)
		return;
	if (x->cells.len + x->text.len > HL_READER_MAX_RECORD) {
		failf(x, "%s: row %lu is larger than %zu bytes", x->sheet,
		      x->row, HL_READER_MAX_RECORD);
		XML_StopParser(x->p, XML_FALSE);
		return;
	}
	if ((size_t)x->col >= x->ccols) {
		size_t c = x->ccols ? x->ccols : 64;

		while (c <= (size_t)x->col)
			c *= 2;
		x->coff = hl_xrealloc(x->coff, c * sizeof(*x->coff));
		x->clen = hl_xrealloc(x->clen, c * sizeof(*x->clen));
		x->cset = hl_xrealloc(x->cset, c);
		memset(x->cset + x->ccols, 0, c - x->ccols);
		x->ccols = c;
	}
	at = x->cells.len;
	if (t[0] == 's' && t[1] == '\0') {
		char ref[8];
		long i = index_of(x->text.data);
		int rc =
		    i < 0 ? -1
			  : hl_sst_get(x->ss->t, (unsigned long)i, &x->cells);

		/* -2: the loading failed (its error), or the file of the
		 * strings could not be read back */
		if (rc == -2 && strings_failed(x) == 0)
			failf(x, "%s", hl_sst_error(x->ss->t));
		else if (rc == -1)
			failf(x, "%s!%s%lu: no shared string %s", x->sheet,
			      hl_column_name((unsigned long)x->col + 1, ref),
			      x->row, x->text.data);
	} else if (strcmp(t, "b") == 0) {
		hl_buf_adds(&x->cells,
			    strcmp(x->text.data, "1") == 0 ? "TRUE" : "FALSE");
	} else if ((t[0] == '\0' || strcmp(t, "n") == 0) && x->text.len) {
		char *end;
		int date = x->style >= 0 && (size_t)x->style < x->nxf &&
			   x->xf_date[x->style];
		double v = number(x->text.data, &end, date);

		if (*end == '\0' && date && v >= 1 && v < 2958466)
			serial_text(x, v, x->xf_date[x->style], &x->cells);
		else if (*end == '\0' && v == floor(v) && fabs(v) < 1e15) {
			char d[24];

			hl_buf_add(&x->cells, d,
				   (size_t)(hl_digits(d, (long long)v, 1) - d));
		} else
			hl_buf_add(&x->cells, x->text.data, x->text.len);
	} else {
		/* text: an inline string, a formula's, anything else */
		if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0)
			unescape_x(&x->text);
		hl_buf_add(&x->cells, x->text.data, x->text.len);
	}
	x->clen[x->col] = x->cells.len - at;
	hl_buf_addc(&x->cells, '\0');
	x->coff[x->col] = at;
	x->cset[x->col] = 1;
	if ((size_t)x->col + 1 > x->ncols)
		x->ncols = (size_t)x->col + 1;
}

/* The sheet's elements that matter, told apart by a glance at the
 * name: every cell passes here three times. */
enum { T_OTHER, T_ROW, T_C, T_V, T_IS, T_T, T_RPH };

static int
tag(const XML_Char *name)
{
	const char *n = local(name);

	switch (n[0]) {
	case 'c':
		return n[1] ? T_OTHER : T_C;
	case 'v':
		return n[1] ? T_OTHER : T_V;
	case 't':
		return n[1] ? T_OTHER : T_T;
	case 'i':
		return n[1] == 's' && !n[2] ? T_IS : T_OTHER;
	case 'r':
		return strcmp(n, "row") == 0   ? T_ROW
		       : strcmp(n, "rPh") == 0 ? T_RPH
					       : T_OTHER;
	default:
		return T_OTHER;
	}
}

static void XMLCALL
sh_start(void *arg, const XML_Char *name, const XML_Char **a)
{
	struct xlsx *x = arg;
	const char *v;
	int t = tag(name);

	if (t == T_ROW) {
		v = attr(a, "r");
		x->row = v ? strtoul(v, NULL, 10) : x->row + 1;
		hl_buf_reset(&x->cells);
		if (x->ccols)
			memset(x->cset, 0, x->ccols);
		x->ncols = 0;
		x->col = -1;
	} else if (t == T_C) {
		long prev = x->col;

		const char *r = NULL, *ty = "";
		size_t k;

		/* a cell's attributes, in one pass: it is the hot path */
		x->style = -1;
		for (; a[0]; a += 2) {
			const char *an = local(a[0]);

			if (an[0] != '\0' && an[1] == '\0') {
				if (an[0] == 'r')
					r = a[1];
				else if (an[0] == 't')
					ty = a[1];
				else if (an[0] == 's')
					x->style = index_of(a[1]);
			}
		}
		x->col = r ? column_of(r) : prev + 1;
		if (x->col < 0) {
			failf(x, "%s: row %lu: a cell past column %d (%s)",
			      x->sheet, x->row, MAX_COLS, r ? r : "?");
			XML_StopParser(x->p, XML_FALSE);
			return;
		}
		for (k = 0; k + 1 < sizeof(x->type) && ty[k]; k++)
			x->type[k] = ty[k];
		x->type[k] = '\0';
		hl_buf_reset(&x->text);
	} else if (t == T_V) {
		x->in_v = 1;
	} else if (t == T_IS) {
		x->in_is = 1;
	} else if (t == T_RPH) {
		x->in_rph = 1;
	} else if (t == T_T && x->in_is && !x->in_rph) {
		x->in_t = 1;
	}
}

static void XMLCALL
sh_end(void *arg, const XML_Char *name)
{
	struct xlsx *x = arg;

	switch (tag(name)) {
	case T_V:
		x->in_v = 0;
		break;
	case T_T:
		x->in_t = 0;
		break;
	case T_RPH:
		x->in_rph = 0;
		break;
	case T_IS:
		x->in_is = 0;
		break;
	case T_C:
		end_cell(x);
		break;
	case T_ROW:
		x->row_ready = 1;
		XML_StopParser(x->p, XML_TRUE);
		break;
	}
}

static void XMLCALL
sh_text(void *arg, const XML_Char *t, int n)
{
	struct xlsx *x = arg;

	if (!x->in_v && !x->in_t)
		return;
	if (x->text.len + (size_t)n > MAX_CELL) {
		failf(x, "%s: row %lu: a cell longer than %zu bytes", x->sheet,
		      x->row, MAX_CELL);
		XML_StopParser(x->p, XML_FALSE);
		return;
	}
	hl_buf_add(&x->text, t, (size_t)n);
}

/* The row read as a record, padded to the widest row so far. */
static void
hand_out(struct xlsx *x, struct hl_record *rec)
{
	size_t i, total = 0;
	char *r;

	if (x->ncols > x->width)
		x->width = x->ncols;
	if (x->width + 1 > x->nfield) {
		x->nfield = x->width + 1;
		x->field = hl_xrealloc(x->field, x->nfield * sizeof(*x->field));
		x->len = hl_xrealloc(x->len, x->nfield * sizeof(*x->len));
	}
	for (i = 0; i < x->width; i++) {
		int set = i < x->ncols && x->cset[i];

		x->field[i] = set ? x->cells.data + x->coff[i] : (char *)"";
		x->len[i] = set ? x->clen[i] : 0;
		total += x->len[i] + 1;
	}
	/* the raw record: the cells joined by commas, copied at once */
	hl_buf_reset(&x->raw);
	hl_buf_grow(&x->raw, total + 1);
	r = x->raw.data;
	for (i = 0; i < x->width; i++) {
		if (i)
			*r++ = ',';
		memcpy(r, x->field[i], x->len[i]);
		r += x->len[i];
	}
	*r = '\0';
	x->raw.len = (size_t)(r - x->raw.data);
	memset(rec, 0, sizeof(*rec));
	rec->nfields = x->width;
	rec->field = x->field;
	rec->len = x->len;
	rec->start.line = x->row;
	rec->start.col = 1;
	rec->start.sheet = x->sheet;
	rec->raw = x->raw.data;
	rec->rawlen = x->raw.len;
}

/* ---- the sheet inflated ahead ---- */

static void *
inflate_run(void *arg)
{
	struct xlsx *x = arg;
	struct inflater *in = &x->inf;
	zip_int64_t n;
	size_t slot;

	do {
		pthread_mutex_lock(&in->mu);
		if (in->full == INF_CHUNKS)
			while (!in->stop && in->full > INF_REFILL)
				pthread_cond_wait(&in->cv, &in->mu);
		if (in->stop) {
			pthread_mutex_unlock(&in->mu);
			break;
		}
		slot = in->tail;
		pthread_mutex_unlock(&in->mu);
		n = zip_fread(x->zf, in->data[slot], INF_CHUNK);
		if (n < 0) {
			snprintf(in->err, sizeof(in->err), "cannot read %s: %s",
				 x->part, zip_file_strerror(x->zf));
		} else if ((in->inflated += (unsigned long long)n) > MAX_PART) {
			snprintf(in->err, sizeof(in->err),
				 "%s inflates past %llu bytes: refused as a "
				 "zip bomb",
				 x->part, (unsigned long long)MAX_PART);
			n = -1;
		}
		pthread_mutex_lock(&in->mu);
		in->len[slot] = n;
		in->tail = (in->tail + 1) % INF_CHUNKS;
		in->full++;
		pthread_cond_broadcast(&in->cv);
		pthread_mutex_unlock(&in->mu);
	} while (n > 0);
	return NULL;
}

/* The next chunk of the sheet into the parser: its length (0: the end),
 * or -1 with the error said. */
static zip_int64_t
feed(struct xlsx *x)
{
	struct inflater *in = &x->inf;
	zip_int64_t n;
	void *to;
	int i;

	if (!in->started) {
		for (i = 0; i < INF_CHUNKS; i++)
			in->data[i] = hl_xmalloc(INF_CHUNK);
		pthread_mutex_init(&in->mu, NULL);
		pthread_cond_init(&in->cv, NULL);
		if (pthread_create(&in->thread, NULL, inflate_run, x) != 0)
			hl_oom(0);
		in->started = 1;
	}
	pthread_mutex_lock(&in->mu);
	while (in->full == 0)
		pthread_cond_wait(&in->cv, &in->mu);
	n = in->len[in->head];
	pthread_mutex_unlock(&in->mu);
	if (n < 0) {
		failf(x, "%s", in->err);
		return -1;
	}
	/* the parser keeps a copy of what it has not parsed when it stops
	 * at a row's end, so the chunk goes back at once */
	if (n > 0 && (to = XML_GetBuffer(x->p, (int)n)) == NULL) {
		failf(x, "%s: out of memory", x->part);
		return -1;
	}
	if (n > 0)
		memcpy(to, in->data[in->head], (size_t)n);
	pthread_mutex_lock(&in->mu);
	in->head = (in->head + 1) % INF_CHUNKS;
	if (--in->full <= INF_REFILL)
		pthread_cond_broadcast(&in->cv);
	pthread_mutex_unlock(&in->mu);
	x->inflated += (unsigned long long)n;
	return n;
}

static void
stop_inflating(struct xlsx *x)
{
	struct inflater *in = &x->inf;
	int i;

	if (!in->started)
		return;
	pthread_mutex_lock(&in->mu);
	in->stop = 1;
	pthread_cond_broadcast(&in->cv);
	pthread_mutex_unlock(&in->mu);
	pthread_join(in->thread, NULL);
	pthread_mutex_destroy(&in->mu);
	pthread_cond_destroy(&in->cv);
	for (i = 0; i < INF_CHUNKS; i++)
		free(in->data[i]);
	in->started = 0;
}

static int
xlsx_next(void *impl, struct hl_record *rec)
{
	struct xlsx *x = impl;
	enum XML_Status st;
	zip_int64_t n;

	if (x->failed)
		return -2;
	x->row_ready = 0;
	for (;;) {
		if (x->suspended) {
			st = XML_ResumeParser(x->p);
		} else if (x->at_end) {
			tap_wait(x);
			/* the strings' errors too, used or not */
			return strings_failed(x) != 0 ? -2 : 0;
		} else {
			if ((n = feed(x)) < 0)
				return -2;
			x->at_end = n == 0;
			st = XML_ParseBuffer(x->p, (int)n, n == 0);
		}
		x->suspended = st == XML_STATUS_SUSPENDED;
		if (st == XML_STATUS_ERROR || x->failed) {
			failf(x, "%s, line %lu: %s", x->part,
			      (unsigned long)XML_GetCurrentLineNumber(x->p),
			      XML_ErrorString(XML_GetErrorCode(x->p)));
			return -2;
		}
		if (x->row_ready) {
			hand_out(x, rec);
			return 1;
		}
	}
}

/* ---- the source ---- */

static const char *
xlsx_encoding(const void *impl)
{
	(void)impl;
	return "xlsx";
}

static unsigned long long
xlsx_offset(const void *impl)
{
	const struct xlsx *x = impl;

	/* progress: the sheet's compressed bytes are not known as read;
	 * what was inflated over ten is near the file's share */
	return x->inflated / 10;
}

static const char *
xlsx_errmsg(const void *impl)
{
	return ((const struct xlsx *)impl)->msg.data;
}

static void *
tap_run(void *arg)
{
	struct tap *t = arg;
	char *buf = hl_xmalloc(INF_CHUNK);
	off_t at = 0;
	ssize_t n;

	while ((n = pread(t->fd, buf, INF_CHUNK, at)) > 0) {
		t->fn(t->arg, buf, (size_t)n);
		at += n;
	}
	free(buf);
	return NULL;
}

static void
tap_wait(struct xlsx *x)
{
	if (x->tap.started) {
		pthread_join(x->tap.thread, NULL);
		x->tap.started = 0;
	}
}

static void
xlsx_tap(void *impl, hl_reader_tap_fn *fn, void *arg)
{
	struct xlsx *x = impl;

	tap_wait(x);
	x->tap.fn = fn;
	x->tap.arg = arg;
	x->tap.fd = fileno(x->f);
	if (pthread_create(&x->tap.thread, NULL, tap_run, &x->tap) == 0)
		x->tap.started = 1;
	else
		hl_tap_file(x->f, x->buf, sizeof(x->buf), fn, arg);
}

static void
xlsx_free(void *impl)
{
	struct xlsx *x = impl;

	stop_inflating(x);
	tap_wait(x);
	if (x->p)
		XML_ParserFree(x->p);
	if (x->zf)
		zip_fclose(x->zf);
	if (x->z)
		zip_discard(x->z);
	free_strings(x->ss);
	free(x->xf_date);
	free(x->name);
	free(x->sheet);
	free(x->part);
	free(x->coff);
	free(x->clen);
	free(x->cset);
	free(x->field);
	free(x->len);
	hl_buf_release(&x->cells);
	hl_buf_release(&x->raw);
	hl_buf_release(&x->text);
	hl_buf_release(&x->msg);
	free(x);
}

static long
xlsx_sheets(const void *impl, const char **name)
{
	const struct xlsx *x = impl;

	*name = x->sheet;
	return x->nsheets;
}

static const struct hl_source_ops xlsx_ops = {
    "xlsx",      xlsx_next,   hl_sheet_pos, xlsx_encoding, hl_no_switch,
    xlsx_offset, xlsx_errmsg, xlsx_tap,     xlsx_free,     xlsx_sheets,
};

/* Opens the workbook f (a file, seekable); the first sheet.  An error is
 * kept and given by the first next(). */
static void
open_workbook(struct xlsx *x, const char *sheet)
{
	struct st s = {x, 0};
	XML_Parser p;
	zip_error_t ze;
	int fd = dup(fileno(x->f)), zerr = 0, missing;

	if (fd < 0 || (x->z = zip_fdopen(fd, ZIP_RDONLY, &zerr)) == NULL) {
		zip_error_init_with_code(&ze, zerr);
		failf(x, "cannot read the workbook: %s",
		      fd < 0 ? strerror(errno) : zip_error_strerror(&ze));
		zip_error_fini(&ze);
		if (fd >= 0 && x->z == NULL)
			close(fd);
		return;
	}
	if (find_sheet(x, sheet) != 0)
		return;
	p = parser(x);
	XML_SetUserData(p, &s);
	XML_SetElementHandler(p, st_start, st_end);
	parse_part(x, p, "xl/styles.xml", 0);
	XML_ParserFree(p);
	if (x->failed || start_strings(x) != 0)
		return;
	if ((x->zf = open_part(x, x->part, &missing)) == NULL) {
		if (missing)
			failf(x, "no %s for sheet '%s'", x->part, x->sheet);
		return;
	}
	x->p = x->cur = parser(x);
	XML_SetElementHandler(x->p, sh_start, sh_end);
	XML_SetCharacterDataHandler(x->p, sh_text);
}

struct hl_source *
hl_xlsx_source(FILE *f, const char *name, const char *sheet)
{
	struct hl_source *s = hl_xcalloc(1, sizeof(*s));
	struct xlsx *x = hl_xcalloc(1, sizeof(*x));

	x->self = x;
	x->f = f;
	x->name = hl_xstrdup(name);
	hl_buf_init(&x->cells);
	hl_buf_init(&x->raw);
	hl_buf_init(&x->text);
	hl_buf_init(&x->msg);
	open_workbook(x, sheet);
	s->ops = &xlsx_ops;
	s->impl = x;
	return s;
}
