/*
 * xlsx.c - a workbook (.xlsx) as a source of records (source.h): the
 * rows of one sheet, streamed with libzip and expat in bounded memory.
 *
 * A workbook is a zip of XML parts.  workbook.xml names the sheets and
 * its relationships give each one's part; styles.xml says which cell
 * formats are dates; sharedStrings.xml holds the text most cells point
 * at, and is spilled to a temporary file with only an offset a string
 * kept in memory, however large it is.  The sheet's XML is cut into runs
 * of whole rows that workers parse at once (cut.h); what cannot be cut is
 * parsed a chunk at a time, the parser suspended at the end of each row,
 * and so is a run whose worker found something wrong.  A date
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

#include "ingest/cut.h"
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

/* The tap's reads. */
#define TAP_CHUNK ((size_t)128 << 10)

/* What the reader's parser is fed where a run of rows would go: the run
 * is handed out only if this element starts there, inside the sheet's
 * elements, outside any row or cell's text (sh_start()).  Fed into a
 * processing instruction, an attribute value, a tag or after the root,
 * it is swallowed or an error, and the run is read by that parser. */
#define PROBE_NAME "hotline-run"
#define PROBE "<" PROBE_NAME "/>"

/*
 * What a parser of the sheet's rows keeps.  The reader's own parser (out
 * NULL) reads the whole sheet but the runs of rows that workers read
 * (cut.h), a row at a time into x's record; a worker's reads a run into
 * out, and stops at the first thing wrong, which the reader's parser
 * then reads again to say what it is.
 */
struct rows;
struct cellp {
	struct xlsx *x; /* first: every parser's user data starts with x */
	XML_Parser p;
	struct rows *out;
	unsigned long row;
	int known;  /* a worker's: row is a row's r, not a count from the run's
		       start */
	int in_row; /* a worker's */
	/* the reader's: elements and rows open, and whether the probe
	 * (PROBE) was met where a run may go */
	long depth, rows;
	int probe;
	/* the cell being read */
	long col;
	char type[16];
	long style;
	int in_v, in_is, in_t, in_rph;
	struct hl_buf text;
};

/* A run of rows as a worker read it: each cell the text it shows, or the
 * shared string it names, for the reader to look up. */
struct wcell {
	uint32_t off, len; /* its text in rows.text (the index's, sst >= 0) */
	uint32_t raw;      /* the length of what the XML held */
	int32_t col;
	int32_t sst; /* >= 0: shared string sst; -2: an index that is none */
};

struct wrow {
	unsigned long row;
	int known;
	uint32_t cell, ncell; /* its cells: rows.cell[cell ...] */
};

/* A run of more cells or rows than these is left to the reader's parser:
 * a run's cells are bounded by its bytes, but an empty cell's four bytes
 * would take twenty. */
#define RUN_CELLS 32768
#define RUN_ROWS 16384

struct rows {
	struct hl_buf text;
	struct wcell *cell;
	size_t ncell, ccell;
	struct wrow *row;
	size_t nrow, crow;
	size_t next; /* the reader's: the next row handed out */
	int failed;
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
	unsigned long long unzipped; /* the cutter's: bytes read of zf */
	struct hl_cut *cut;          /* zf read ahead, cut between rows */
	struct rows *run;            /* the worker's rows being handed out */
	unsigned long run_base;      /* the row before the run */
	int whole;                   /* no more runs: the parser reads all */
	unsigned long skipped;       /* newlines in the runs handed out */
	struct tap tap;              /* the whole file, hashed meanwhile */
	struct cellp cp;             /* the reader's own parser */
	char buf[65536];
	int suspended, at_end;
	unsigned long long inflated;
	/* the record handed out */
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

/*
 * The text the cell c shows (its type, style and <v> or <is> text),
 * appended to b: -1.  A shared string is its index (>= 0), or -2 when
 * its index is no number, with nothing appended.
 */
static long
shown(const struct xlsx *x, struct cellp *c, struct hl_buf *b)
{
	const char *t = c->type;

	if (t[0] == 's' && t[1] == '\0') {
		long i = index_of(c->text.data);

		return i >= 0 ? i : -2;
	} else if (strcmp(t, "b") == 0) {
		hl_buf_adds(b,
			    strcmp(c->text.data, "1") == 0 ? "TRUE" : "FALSE");
	} else if ((t[0] == '\0' || strcmp(t, "n") == 0) && c->text.len) {
		char *end;
		int date = c->style >= 0 && (size_t)c->style < x->nxf &&
			   x->xf_date[c->style];
		double v = number(c->text.data, &end, date);

		if (*end == '\0' && date && v >= 1 && v < 2958466)
			serial_text(x, v, x->xf_date[c->style], b);
		else if (*end == '\0' && v == floor(v) && fabs(v) < 1e15) {
			char d[24];

			hl_buf_add(b, d,
				   (size_t)(hl_digits(d, (long long)v, 1) - d));
		} else
			hl_buf_add(b, c->text.data, c->text.len);
	} else {
		/* text: an inline string, a formula's, anything else */
		if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0)
			unescape_x(&c->text);
		hl_buf_add(b, c->text.data, c->text.len);
	}
	return -1;
}

/* Whether the row's cells so far (x->cells) and raw more bytes would be
 * larger than a record may be (said). */
static int
row_too_large(struct xlsx *x, unsigned long row, size_t raw)
{
	if (x->cells.len + raw <= HL_READER_MAX_RECORD)
		return 0;
	failf(x, "%s: row %lu is larger than %zu bytes", x->sheet, row,
	      HL_READER_MAX_RECORD);
	return 1;
}

/* Shared string i (the cell's text: what) of column col of the row
 * appended to x->cells: 0, or -1 said. */
static int
put_string(struct xlsx *x, long i, long col, unsigned long row,
	   const char *what, size_t n)
{
	char ref[8];
	int rc = i < 0 ? -1 : hl_sst_get(x->ss->t, (unsigned long)i, &x->cells);

	/* -2: the loading failed (its error), or the file of the strings
	 * could not be read back */
	if (rc == -2 && strings_failed(x) == 0)
		failf(x, "%s", hl_sst_error(x->ss->t));
	else if (rc == -1)
		failf(x, "%s!%s%lu: no shared string %.*s", x->sheet,
		      hl_column_name((unsigned long)col + 1, ref), row, (int)n,
		      what);
	return rc == 0 ? 0 : -1;
}

/* Column col of the row is x->cells' bytes from at on. */
static void
set_cell(struct xlsx *x, long col, size_t at)
{
	if ((size_t)col >= x->ccols) {
		size_t c = x->ccols ? x->ccols : 64;

		while (c <= (size_t)col)
			c *= 2;
		x->coff = hl_xrealloc(x->coff, c * sizeof(*x->coff));
		x->clen = hl_xrealloc(x->clen, c * sizeof(*x->clen));
		x->cset = hl_xrealloc(x->cset, c);
		memset(x->cset + x->ccols, 0, c - x->ccols);
		x->ccols = c;
	}
	x->clen[col] = x->cells.len - at;
	hl_buf_addc(&x->cells, '\0');
	x->coff[col] = at;
	x->cset[col] = 1;
	if ((size_t)col + 1 > x->ncols)
		x->ncols = (size_t)col + 1;
}

/* A new row in x's record. */
static void
new_row(struct xlsx *x)
{
	hl_buf_reset(&x->cells);
	if (x->ccols)
		memset(x->cset, 0, x->ccols);
	x->ncols = 0;
}

/* A worker's parser stops at anything wrong: the reader reads the run
 * again with its own, which says what. */
static void
run_fails(struct cellp *c)
{
	c->out->failed = 1;
	XML_StopParser(c->p, XML_FALSE);
}

/* The cell just read into a worker's run. */
static void
run_cell(struct cellp *c)
{
	struct rows *o = c->out;
	struct wrow *w;
	struct wcell *k;
	size_t at = o->text.len;

	if (!c->in_row || o->failed)
		return;
	w = &o->row[o->nrow - 1];
	/* what the reader would count, but for shared strings' text */
	if (at - (w->ncell ? o->cell[w->cell].off : at) + w->ncell +
		c->text.len >
	    HL_READER_MAX_RECORD) {
		run_fails(c);
		return;
	}
	if (o->ncell == RUN_CELLS) {
		run_fails(c);
		return;
	}
	if (o->ncell == o->ccell) {
		o->ccell = o->ccell ? 2 * o->ccell : 1024;
		o->cell = hl_xrealloc(o->cell, o->ccell * sizeof(*o->cell));
	}
	k = &o->cell[o->ncell++];
	k->raw = (uint32_t)c->text.len;
	k->sst = (int32_t)shown(c->x, c, &o->text);
	if (k->sst != -1) /* its index as written, for a message */
		hl_buf_add(&o->text, c->text.data, c->text.len);
	k->col = (int32_t)c->col;
	k->off = (uint32_t)at;
	k->len = (uint32_t)(o->text.len - at);
	w->ncell++;
}

/* The cell just read into the row, as the text it shows. */
static void
end_cell(struct cellp *c)
{
	struct xlsx *x = c->x;
	size_t at;
	long i;

	if (c->col < 0)
		return;
	if (c->out) {
		run_cell(c);
		return;
	}
	if (x->failed)
		return;
	if (row_too_large(x, c->row, c->text.len)) {
		XML_StopParser(c->p, XML_FALSE);
		return;
	}
	at = x->cells.len;
	i = shown(x, c, &x->cells);
	if (i != -1 &&
	    put_string(x, i, c->col, c->row, c->text.data, c->text.len)) {
		XML_StopParser(c->p, XML_FALSE);
		return;
	}
	set_cell(x, c->col, at);
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

static void
start_row(struct cellp *c, const XML_Char **a)
{
	const char *v = attr(a, "r");
	struct rows *o = c->out;

	if (v) {
		c->row = strtoul(v, NULL, 10);
		c->known = 1;
	} else {
		c->row++;
	}
	c->col = -1;
	if (o == NULL) {
		c->rows++;
		new_row(c->x);
		return;
	}
	if (c->in_row || o->nrow == RUN_ROWS) {
		/* a row in a row: what it means depends on what came before */
		run_fails(c);
		return;
	}
	if (o->nrow == o->crow) {
		o->crow = o->crow ? 2 * o->crow : 256;
		o->row = hl_xrealloc(o->row, o->crow * sizeof(*o->row));
	}
	o->row[o->nrow].row = c->row;
	o->row[o->nrow].known = c->known;
	o->row[o->nrow].cell = (uint32_t)o->ncell;
	o->row[o->nrow].ncell = 0;
	o->nrow++;
	c->in_row = 1;
}

static void XMLCALL
sh_start(void *arg, const XML_Char *name, const XML_Char **a)
{
	struct cellp *c = arg;
	struct xlsx *x = c->x;
	int t = tag(name);

	if (c->out == NULL) {
		if (t == T_OTHER && strcmp(name, PROBE_NAME) == 0)
			c->probe = c->depth > 0 && c->rows == 0 && !c->in_v &&
					   !c->in_is && !c->in_t && !c->in_rph
				       ? 1
				       : -1;
		c->depth++;
	}
	if (t == T_ROW) {
		start_row(c, a);
	} else if (t == T_C) {
		long prev = c->col;

		const char *r = NULL, *ty = "";
		size_t k;

		/* a cell's attributes, in one pass: it is the hot path */
		c->style = -1;
		for (; a[0]; a += 2) {
			const char *an = local(a[0]);

			if (an[0] != '\0' && an[1] == '\0') {
				if (an[0] == 'r')
					r = a[1];
				else if (an[0] == 't')
					ty = a[1];
				else if (an[0] == 's')
					c->style = index_of(a[1]);
			}
		}
		c->col = r ? column_of(r) : prev + 1;
		if (c->col < 0) {
			if (c->out) {
				run_fails(c);
				return;
			}
			failf(x, "%s: row %lu: a cell past column %d (%s)",
			      x->sheet, c->row, MAX_COLS, r ? r : "?");
			XML_StopParser(c->p, XML_FALSE);
			return;
		}
		for (k = 0; k + 1 < sizeof(c->type) && ty[k]; k++)
			c->type[k] = ty[k];
		c->type[k] = '\0';
		hl_buf_reset(&c->text);
	} else if (t == T_V) {
		c->in_v = 1;
	} else if (t == T_IS) {
		c->in_is = 1;
	} else if (t == T_RPH) {
		c->in_rph = 1;
	} else if (t == T_T && c->in_is && !c->in_rph) {
		c->in_t = 1;
	}
}

static void XMLCALL
sh_end(void *arg, const XML_Char *name)
{
	struct cellp *c = arg;

	if (c->out == NULL)
		c->depth--;
	switch (tag(name)) {
	case T_V:
		c->in_v = 0;
		break;
	case T_T:
		c->in_t = 0;
		break;
	case T_RPH:
		c->in_rph = 0;
		break;
	case T_IS:
		c->in_is = 0;
		break;
	case T_C:
		end_cell(c);
		break;
	case T_ROW:
		if (c->out) {
			c->in_row = 0;
		} else {
			if (c->rows > 0)
				c->rows--;
			c->x->row_ready = 1;
			XML_StopParser(c->p, XML_TRUE);
		}
		break;
	}
}

static void XMLCALL
sh_text(void *arg, const XML_Char *t, int n)
{
	struct cellp *c = arg;
	struct xlsx *x = c->x;

	if (!c->in_v && !c->in_t)
		return;
	if (c->text.len + (size_t)n > MAX_CELL) {
		if (c->out) {
			run_fails(c);
			return;
		}
		failf(x, "%s: row %lu: a cell longer than %zu bytes", x->sheet,
		      c->row, MAX_CELL);
		XML_StopParser(c->p, XML_FALSE);
		return;
	}
	hl_buf_add(&c->text, t, (size_t)n);
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
	rec->start.line = x->cp.row;
	rec->start.col = 1;
	rec->start.sheet = x->sheet;
	rec->raw = x->raw.data;
	rec->rawlen = x->raw.len;
}

/* ---- the sheet read ahead, its rows read by workers (cut.h) ---- */

static long long
sheet_read(void *arg, char *buf, size_t n, char *err, size_t errsz)
{
	struct xlsx *x = arg;
	zip_int64_t k = zip_fread(x->zf, buf, n);

	if (k < 0) {
		snprintf(err, errsz, "cannot read %s: %s", x->part,
			 zip_file_strerror(x->zf));
		return -1;
	}
	if ((x->unzipped += (unsigned long long)k) > MAX_PART) {
		snprintf(err, errsz,
			 "%s inflates past %llu bytes: refused as a zip bomb",
			 x->part, (unsigned long long)MAX_PART);
		return -1;
	}
	return k;
}

static void *
worker_new(void *arg)
{
	struct cellp *c = hl_xcalloc(1, sizeof(*c));

	c->x = arg;
	if ((c->p = XML_ParserCreate("UTF-8")) == NULL)
		hl_oom(0);
	hl_buf_init(&c->text);
	return c;
}

static void
worker_free(void *w)
{
	struct cellp *c = w;

	XML_ParserFree(c->p);
	hl_buf_release(&c->text);
	free(c);
}

static void
rows_free(void *out)
{
	struct rows *o = out;

	hl_buf_release(&o->text);
	free(o->cell);
	free(o->row);
	free(o);
}

/* A run of whole rows, parsed as the content of an element of its own:
 * no DOCTYPE can come there, nor any entity but XML's own. */
static void
parse_run(void *w, struct hl_cut_item *it)
{
	struct cellp *c = w;
	struct rows *o = it->out;

	if (o == NULL) {
		o = it->out = hl_xcalloc(1, sizeof(*o));
		hl_buf_init(&o->text);
	}
	hl_buf_reset(&o->text);
	o->ncell = o->nrow = o->next = 0;
	o->failed = 0;
	c->out = o;
	c->row = 0;
	c->known = c->in_row = 0;
	c->col = -1;
	c->in_v = c->in_is = c->in_t = c->in_rph = 0;
	if (!XML_ParserReset(c->p, "UTF-8"))
		hl_oom(0);
	XML_SetUserData(c->p, c);
	XML_SetElementHandler(c->p, sh_start, sh_end);
	XML_SetCharacterDataHandler(c->p, sh_text);
	if (XML_Parse(c->p, "<r>", 3, 0) != XML_STATUS_OK ||
	    XML_Parse(c->p, it->data, (int)it->len, 0) != XML_STATUS_OK ||
	    XML_Parse(c->p, "</r>", 4, 1) != XML_STATUS_OK)
		o->failed = 1;
}

static const struct hl_cut_ops cut_ops = {
    sheet_read, worker_new, worker_free, parse_run, rows_free,
};

/* Row w of a worker's run o into x's record: 0, or -1 said. */
static int
take_row(struct xlsx *x, const struct rows *o, const struct wrow *w)
{
	size_t i, at;

	x->cp.row = w->known ? w->row : x->run_base + w->row;
	new_row(x);
	for (i = w->cell; i < w->cell + w->ncell; i++) {
		const struct wcell *k = &o->cell[i];

		if (row_too_large(x, x->cp.row, k->raw))
			return -1;
		at = x->cells.len;
		if (k->sst != -1) {
			if (put_string(x, k->sst, k->col, x->cp.row,
				       o->text.data + k->off, k->len))
				return -1;
		} else {
			hl_buf_add(&x->cells, o->text.data + k->off, k->len);
		}
		set_cell(x, k->col, at);
	}
	return 0;
}

/* The reader's parser stopped on an error (or a handler's): said, with
 * the line counting the runs handed out before it. */
static void
parse_failed(struct xlsx *x)
{
	XML_Parser p = x->cp.p;

	failf(x, "%s, line %lu: %s", x->part,
	      (unsigned long)XML_GetCurrentLineNumber(p) + x->skipped,
	      XML_ErrorString(XML_GetErrorCode(p)));
}

/* The reader's parser met PROBE where the next run would go: 1 (the run
 * may be handed out), 0 (it is to be parsed there), -1 an error said. */
static int
probe(struct xlsx *x)
{
	/* before the root or after it (and in the XML declaration): no
	 * run goes there, and a probe would be a root of its own */
	if (x->cp.depth == 0)
		return 0;
	x->cp.probe = 0;
	if (XML_Parse(x->cp.p, PROBE, (int)strlen(PROBE), 0) ==
		XML_STATUS_ERROR ||
	    x->failed) {
		parse_failed(x);
		return -1;
	}
	return x->cp.probe == 1;
}

static int
workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

/*
 * The next bytes of the sheet into the reader's parser: how many (0: the
 * end), -1 with the error said, or -3 when a worker's run of rows is to be
 * handed out first (x->run).
 */
static long long
feed(struct xlsx *x)
{
	struct hl_cut_item *it;
	void *to;
	size_t n;

	if (x->cut == NULL)
		x->cut = hl_cut_start(&cut_ops, x, workers(), HL_CUT_RUN,
				      HL_CUT_MAX);
	for (;;) {
		it = hl_cut_next(x->cut);
		n = it->len;
		x->inflated += n;
		if (it->kind == HL_CUT_ERROR || it->kind == HL_CUT_END) {
			if (it->kind == HL_CUT_ERROR)
				failf(x, "%s", it->err);
			hl_cut_done(x->cut);
			return it->kind == HL_CUT_END ? 0 : -1;
		}
		if (it->kind == HL_CUT_ROWS && !x->whole &&
		    !((struct rows *)it->out)->failed) {
			int ok = probe(x);

			if (ok < 0) {
				hl_cut_done(x->cut);
				return -1;
			}
			if (ok) {
				x->run = it->out;
				x->run_base = x->cp.row;
				x->skipped += it->newlines;
				return -3;
			}
		}
		/* a run that a worker could not read, or that does not go
		 * where it was cut, and all after it, go to the one parser:
		 * it says what is wrong, where */
		if (it->kind == HL_CUT_ROWS && !x->whole) {
			x->whole = 1;
			hl_cut_uncut(x->cut);
		}
		if (n > 0 && (to = XML_GetBuffer(x->cp.p, (int)n)) == NULL) {
			failf(x, "%s: out of memory", x->part);
			hl_cut_done(x->cut);
			return -1;
		}
		if (n > 0)
			memcpy(to, it->data, n);
		hl_cut_done(x->cut);
		if (n > 0)
			return (long long)n;
	}
}

static int
xlsx_next(void *impl, struct hl_record *rec)
{
	struct xlsx *x = impl;
	enum XML_Status st;
	long long n;

	if (x->failed)
		return -2;
	x->row_ready = 0;
	for (;;) {
		if (x->run) {
			struct rows *o = x->run;

			if (o->next < o->nrow) {
				if (take_row(x, o, &o->row[o->next++]) != 0)
					return -2;
				hand_out(x, rec);
				return 1;
			}
			x->run = NULL;
			hl_cut_done(x->cut);
			continue;
		}
		if (x->suspended) {
			st = XML_ResumeParser(x->cp.p);
		} else if (x->at_end) {
			tap_wait(x);
			/* the strings' errors too, used or not */
			return strings_failed(x) != 0 ? -2 : 0;
		} else {
			if ((n = feed(x)) == -3)
				continue;
			if (n < 0)
				return -2;
			x->at_end = n == 0;
			st = XML_ParseBuffer(x->cp.p, (int)n, n == 0);
		}
		x->suspended = st == XML_STATUS_SUSPENDED;
		if (st == XML_STATUS_ERROR || x->failed) {
			parse_failed(x);
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
	char *buf = hl_xmalloc(TAP_CHUNK);
	off_t at = 0;
	ssize_t n;

	while ((n = pread(t->fd, buf, TAP_CHUNK, at)) > 0) {
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

	hl_cut_stop(x->cut);
	tap_wait(x);
	if (x->cp.p)
		XML_ParserFree(x->cp.p);
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
	hl_buf_release(&x->cp.text);
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
	x->cp.p = x->cur = parser(x);
	XML_SetUserData(x->cp.p, &x->cp);
	XML_SetElementHandler(x->cp.p, sh_start, sh_end);
	XML_SetCharacterDataHandler(x->cp.p, sh_text);
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
	x->cp.x = x;
	hl_buf_init(&x->cp.text);
	hl_buf_init(&x->msg);
	open_workbook(x, sheet);
	s->ops = &xlsx_ops;
	s->impl = x;
	return s;
}
