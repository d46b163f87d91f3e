/*
 * progress.h - the progress line of long commands: one line on standard
 * error, redrawn in place a few times a second, only when standard error
 * is a terminal.
 */
#ifndef HL_CLI_PROGRESS_H
#define HL_CLI_PROGRESS_H

#include <stdio.h>

struct hl_progress {
	FILE *out;          /* NULL: disabled */
	double start, last; /* when the file began, when last drawn */
	int shown;          /* a line is on the screen */
};

/* Enabled when enable is set and out is a terminal. */
void hl_progress_init(struct hl_progress *p, FILE *out, int enable);

/* Starts the clock for a new file. */
void hl_progress_start(struct hl_progress *p);

/*
 * Draws "name: 45% of 982 MB, 1234567 rows, 350000 rows/s, ETA 0:03"
 * (size < 0: no percentage or ETA), at most four times a second.
 */
void hl_progress_draw(struct hl_progress *p, const char *name,
		      unsigned long long done, long long size,
		      unsigned long rows);

/* Erases the line, if one is shown; a void * for hl_diag_set_hook(). */
void hl_progress_clear(void *p);

#endif
