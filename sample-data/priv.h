/*
 * priv.h - private to sample-data/: the generator handle shared by the
 * planner (sample.c), the writer (write.c) and the manifest (manifest.c).
 */
#ifndef HL_SAMPLE_PRIV_H
#define HL_SAMPLE_PRIV_H

#include <stdio.h>

#include "sample-data/gen.h"

/* The published figures planted when calibrating (domain.md §1). */
#define CAL_YEAR 2022
#define CAL_TICKETS_MIN 245000
#define CAL_TICKETS_MAX 245999
#define CAL_ON_TIME_PCT 99.99
#define CAL_SPEEDUP_CONSULT 60.93
#define CAL_SPEEDUP_OTHER 47.55
#define CAL_MEAN_RANK 4
#define CAL_KEY_STREAK 9

/* A district's profile for one year. */
struct yprof {
	double volume;
	double cat_share[N_CATEGORIES];
	double key_share, online_share, callback_share, eval_share;
	double basic_share, sat_ord, sat_key, late_p, reopen_p;
	double direct_share;
	double mean_h[2]; /* mean hours of dispatched consult / other */
	double drift_ord[12], drift_key[12];
};

/* Figures of one district-month, as the definitions read the export. */
struct mstat {
	long tickets, closed, on_time, late, reopened;
	long hn[2];     /* closed tickets: consult, other */
	int64_t hs[2];  /* their handling seconds */
	long sat[2][4]; /* [ordinary, key][good, basic, bad, none] */
};

/* The answers planned for one district-month and class. */
struct satplan {
	size_t start;  /* first ticket of the district in the batch */
	uint32_t *idx; /* evaluated tickets (offsets), shuffled */
	int64_t e, u;  /* evaluated, unsatisfied */
	double basic_share;
};

struct hl_sample {
	struct hl_sample_opts o;
	struct hl_err err;
	hl_time export_time;
	int nyears;
	struct hl_calendar *cal; /* built-in years and o.calendar's */

	struct yprof prof[N_DISTRICTS];
	int daycount[N_DISTRICTS][366];
	long liwan_total;
	int rank_plan[2][12]; /* calibrated year: [ordinary, key][month] */
	int late_plan[12];
	double cal_base[2];   /* 2021 mean seconds: consult, other */
	double cal_target[2]; /* 2022 target mean seconds */

	struct ticket *batch; /* the month being generated */
	size_t nbatch, batch_cap;
	struct satplan plan[N_DISTRICTS][2];
	struct mstat *stats; /* [year][district][month] */

	struct writer *w;    /* write.c */
	struct plant *plant; /* plant.c, with --plant analyses */
	unsigned long nfiles, nrows, nfaults;
};

#define sample_fail(s, ...) hl_err_set(&(s)->err, __VA_ARGS__)
struct mstat *sample_stat(struct hl_sample *s, int d, int y, int m);

/* write.c */
int writer_open(struct hl_sample *s);
int writer_year_begin(struct hl_sample *s, int y);
int writer_month(struct hl_sample *s, int y, int m);
int writer_year_end(struct hl_sample *s, int y);
int writer_close(struct hl_sample *s);
/* Frees the writer (closing any open file); NULL-safe on s->w. */
void writer_free(struct hl_sample *s);
/* Gives the sorted batch its sequence numbers and repeat-call links. */
void number_and_link(struct hl_sample *s);
/* The lists of files written and faults injected, for the manifest: two
 * json_t ** (OUT), new references. */
void writer_manifest(struct hl_sample *s, void *files, void *faults);

/* plant.c and plant_truth.c (--plant analyses) */
#define N_PLANT_COLS 6
/* Prepares the plant; -1 only when its topic table is broken. */
int plant_open(struct hl_sample *s);
/* NULL-safe on s->plant. */
void plant_free(struct hl_sample *s);
/*
 * Relabels the sorted, numbered month s->batch (topics, streets, callers,
 * chains, surges) and counts what the export will show.
 */
void plant_month(struct hl_sample *s, int y, int m);
/* Header of plant column k (0 to N_PLANT_COLS - 1). */
const char *plant_header(int k);
/* Appends the value of plant column k of ticket t in state st to b. */
void plant_field(struct hl_buf *b, const struct hl_sample *s,
		 const struct ticket *t, const struct tstate *st, int k);
/* The "planted" object of the manifest: a new reference. */
void *plant_manifest(struct hl_sample *s);

/* manifest.c */
int manifest_write(struct hl_sample *s);
/*
 * Recomputes the calibrated district-year's figures from the statistics
 * into st's cal_* fields (OUT) and fails if any misses its target (a
 * generator bug, or a scale too small for the others to be ranked).
 */
int check_calibration(struct hl_sample *s, struct hl_sample_stats *st);

#endif
