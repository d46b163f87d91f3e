/*
 * progress.c - the progress line (progress.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <time.h>
#include <unistd.h>

#include "cli/progress.h"
#include "util/util.h"

void
hl_progress_init(struct hl_progress *p, FILE *out, int enable)
{
	p->out = enable && isatty(fileno(out)) ? out : NULL;
	p->start = p->last = hl_seconds();
	p->shown = 0;
}

void
hl_progress_start(struct hl_progress *p)
{
	p->start = p->last = hl_seconds();
}

void
hl_progress_draw(struct hl_progress *p, const char *name,
		 unsigned long long done, long long size, unsigned long rows)
{
	double t = hl_seconds(), el = t - p->start;

	if (p->out == NULL || t - p->last < 0.25)
		return;
	p->last = t;
	fprintf(p->out, "\r\033[Khotline: ingest: '%s': ", name);
	if (size > 0) {
		double left = el * ((double)size - (double)done) /
			      (done ? (double)done : 1.0);
		long s = (long)(left + 0.5);

		fprintf(p->out, "%d%% of %.0f MB, ", (int)(done * 100 / size),
			size / 1e6);
		fprintf(p->out, "%lu rows, %.0f rows/s, ETA %ld:%02ld", rows,
			el > 0 ? rows / el : 0.0, s / 60, s % 60);
	} else {
		fprintf(p->out, "%.0f MB, %lu rows, %.0f rows/s", done / 1e6,
			rows, el > 0 ? rows / el : 0.0);
	}
	fflush(p->out);
	p->shown = 1;
}

void
hl_progress_clear(void *arg)
{
	struct hl_progress *p = arg;

	if (p->out == NULL || !p->shown)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->shown = 0;
}
