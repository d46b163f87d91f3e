/*
 * bench_parse.c - the ceilings of `hotline ingest`: how fast the same file
 * goes through libcsv alone, through hotline's reader (positions,
 * encodings), and through the reader plus the parse thread's work
 * (mapping, date-times, hashing, batching) with nothing written.  Prints
 * rows/s, MB/s and the ratio of each pass to libcsv alone.
 *
 *   bench_parse file.csv [first]
 *
 * first (0, 1 or 2) skips the passes before it, for profiling one.
 */
#define _POSIX_C_SOURCE 200809L

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ingest/mapping.h"
#include "ingest/pipe.h"
#include "ingest/reader.h"
#include "util/util.h"

static FILE *
open_or_die(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	return f;
}

static void
on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	(void)data;
}

static void
on_record(int c, void *data)
{
	(void)c;
	++*(unsigned long *)data;
}

/* libcsv over 64 KiB reads, callbacks that only count. */
static unsigned long
pass_libcsv(const char *path)
{
	static char buf[1 << 16];
	FILE *f = open_or_die(path);
	struct csv_parser p;
	unsigned long rows = 0;
	size_t n;

	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		csv_parse(&p, buf, n, on_field, on_record, &rows);
	csv_fini(&p, on_field, on_record, &rows);
	csv_free(&p);
	fclose(f);
	return rows;
}

static unsigned long
pass_reader(const char *path)
{
	FILE *f = open_or_die(path);
	struct hl_reader *r = hl_reader_new(f, path, HL_ENCODING_AUTO, 0, 0);
	struct hl_record rec;
	unsigned long rows = 0;

	while (hl_reader_next(r, &rec) > 0)
		rows++;
	hl_reader_free(r);
	fclose(f);
	return rows;
}

static unsigned long
pass_pipe(const char *path)
{
	FILE *f = open_or_die(path);
	struct hl_source *r = hl_source_open(f, path, HL_ENCODING_AUTO, NULL);
	struct hl_mapping *m = hl_mapping_new();
	struct hl_columns cols;
	struct hl_record rec;
	struct hl_parse p;
	struct hl_pipe *pp;
	struct hl_batch *b;
	char **headers;
	size_t i;
	unsigned long rows = 1;
	int end = 0;

	if (hl_source_next(r, &rec) != 1) {
		fprintf(stderr, "%s: no header\n", path);
		exit(1);
	}
	headers = hl_xcalloc(rec.nfields, sizeof(*headers));
	for (i = 0; i < rec.nfields; i++)
		headers[i] = hl_xstrdup(rec.field[i]);
	hl_columns_init(&cols);
	if (hl_mapping_resolve(m, headers, rec.nfields, &cols) != 0) {
		fprintf(stderr, "%s: %s\n", path, hl_mapping_errmsg(m));
		exit(1);
	}
	memset(&p, 0, sizeof(p));
	p.src = r;
	p.map = m;
	p.cols = &cols;
	p.headers = headers;
	p.ncols = rec.nfields;
	pp = hl_pipe_start(&p);
	while (!end) {
		b = hl_pipe_next(pp);
		rows += b->n;
		end = b->end;
		hl_pipe_release(pp, b);
	}
	hl_pipe_free(pp);
	for (i = 0; i < p.ncols; i++)
		free(headers[i]);
	free(headers);
	hl_columns_release(&cols);
	hl_mapping_free(m);
	hl_source_free(r);
	fclose(f);
	return rows;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned long (*fn)(const char *);
	} passes[] = {
	    {"libcsv alone", pass_libcsv},
	    {"reader", pass_reader},
	    {"reader + parse thread", pass_pipe},
	};
	struct stat sb;
	double base = 0;
	size_t i;

	if (argc < 2 || argc > 3 || stat(argv[1], &sb) != 0) {
		fprintf(stderr, "usage: bench_parse file.csv [first pass]\n");
		return 2;
	}
	for (i = argc > 2 ? (size_t)atoi(argv[2]) : 0; i < HL_ARRAY_LEN(passes);
	     i++) {
		double t0 = hl_seconds(), t;
		unsigned long rows = passes[i].fn(argv[1]);

		t = hl_seconds() - t0;
		if (i == 0)
			base = t;
		printf("%-22s %8.2f s %10.0f rows/s %7.1f MB/s  x%.2f of "
		       "libcsv's time\n",
		       passes[i].name, t, rows / t, sb.st_size / 1e6 / t,
		       t / base);
	}
	return 0;
}
