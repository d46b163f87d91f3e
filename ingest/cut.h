/*
 * cut.h - private to ingest/: a sheet's XML read ahead on a thread of its
 * own and cut between rows, the runs of whole rows parsed by workers on
 * other threads, everything handed back in the order of the stream.
 *
 * One parser reading a sheet was the whole load's pace: expat alone read
 * its XML at about the speed at which the rest of the load stored rows.
 * A run of whole row elements is well-formed XML on its own, so several
 * parsers can read a sheet's rows at once.  The cutter finds the first
 * row's start tag (`<row` or `<prefix:row`, after no comment, CDATA
 * section or processing instruction but the XML declaration) and from
 * there cuts after the last `</row>` of every few hundred KiB.  No other
 * markup can hold a `</row>`: a `<` in text or in an attribute value is
 * written `&lt;`, and once a `<!` or a `<?` appears, or no row ends within
 * HL_CUT_MAX bytes, the cutting stops and the rest of the stream goes to
 * the reader as bytes, as before the first row.  What cannot be cut (the
 * part before the first row, the rest after the last cut) is handed to
 * the reader as bytes for the one parser that sees the whole document but
 * the runs of rows, which are balanced and leave it where it was.
 */
#ifndef HL_INGEST_CUT_H
#define HL_INGEST_CUT_H

#include <stddef.h>

/* A run of rows is cut past this many bytes, and the cutting stops when
 * no row ends within HL_CUT_MAX. */
#define HL_CUT_RUN ((size_t)256 << 10)
#define HL_CUT_MAX ((size_t)1 << 20)

enum hl_cut_kind {
	HL_CUT_BYTES, /* for the reader's own parser */
	HL_CUT_ROWS,  /* whole rows, parsed by a worker */
	HL_CUT_END,   /* the stream ended */
	HL_CUT_ERROR  /* it could not be read: err */
};

struct hl_cut_item {
	enum hl_cut_kind kind;
	const char *data;
	size_t len;
	unsigned long newlines; /* in data: line ends, CR LF, CR or LF */
	void *out;              /* ROWS: what the worker made of it */
	char err[512];
};

struct hl_cut_ops {
	/* Up to n bytes of the stream into buf: how many, 0 at its end, -1
	 * with a message in err (errsz bytes) */
	long long (*read)(void *arg, char *buf, size_t n, char *err,
			  size_t errsz);
	/* A worker's own state, made on its thread, and freed there */
	void *(*worker_new)(void *arg);
	void (*worker_free)(void *worker);
	/* Parses a ROWS item into it->out (made here when NULL; kept with
	 * the item's slot and used again) */
	void (*parse)(void *worker, struct hl_cut_item *it);
	void (*out_free)(void *out);
};

struct hl_cut;

/* Starts reading with ops (arg: read's and worker_new's) and `workers`
 * threads parsing rows, runs cut past `run` bytes and the cutting
 * stopped when no row ends within `max` (HL_CUT_RUN, HL_CUT_MAX; the
 * tests' smaller). */
struct hl_cut *hl_cut_start(const struct hl_cut_ops *ops, void *arg,
			    int workers, size_t run, size_t max);
/* The next item of the stream, waited for (a ROWS item parsed): valid
 * until hl_cut_done(). */
struct hl_cut_item *hl_cut_next(struct hl_cut *c);
void hl_cut_done(struct hl_cut *c);
/* No more runs: the rest of the stream comes as bytes. */
void hl_cut_uncut(struct hl_cut *c);
/* Stops the threads and frees everything; NULL is nothing. */
void hl_cut_stop(struct hl_cut *c);

#endif
