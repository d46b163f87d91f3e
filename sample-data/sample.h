/*
 * sample.h - the deterministic generator of 12345 work-order exports.
 *
 * It writes what a Guangzhou platform would export for the city's eleven
 * districts: one CSV per year (or one per day in nightly mode) with Chinese
 * headers, plus manifest.json, the figures it planted.  The same options
 * give the same bytes on any machine: the generator has its own PRNG, uses
 * no libm transcendental functions (its own exp/log built on + - * / only),
 * and never consults the locale or the time zone.
 *
 * With calibration on (the default), 荔湾区's 2022 tickets are shaped so
 * that the definitions of domain.md §4 give the district's published 2022
 * figures; every other district follows its own profile.  The manifest is
 * for checking hotline's figures, never for producing them.
 */
#ifndef HL_SAMPLE_H
#define HL_SAMPLE_H

#include <stdint.h>

enum hl_sample_enc { HL_ENC_UTF8, HL_ENC_UTF8_BOM, HL_ENC_GB18030 };
enum hl_sample_dates {
	HL_DATES_ISO,   /* 2022-01-03 09:05:00 */
	HL_DATES_SLASH, /* 2022/1/3 9:05:00 */
	HL_DATES_EXCEL, /* 44564.378472 */
	HL_DATES_MIXED  /* each cell one of the above, or 2022/1/3 9:05 */
};
/* What is planted on top of the default data set. */
enum hl_sample_plant {
	HL_PLANT_NONE,    /* the sixteen columns only (default) */
	HL_PLANT_ANALYSES /* assessment, topic and caller columns, surges and
			     repeat-call chains (docs/analyses.md) */
};

struct hl_sample_opts {
	const char *outdir; /* created if missing; borrowed */
	uint64_t seed;      /* default HL_SAMPLE_DEFAULT_SEED */
	int first_year;     /* default 2021 */
	int last_year;      /* default 2022 */
	double scale;       /* share of full volume, default 0.1 */
	int calibrate;      /* plant the Liwan 2022 figures; default 1 */
	int rank_min;       /* evaluated tickets needed to be ranked */
	enum hl_sample_enc encoding;
	int crlf; /* CRLF line ends (default) or LF */
	enum hl_sample_dates dates;
	int header_variant;         /* 1 (default), 2 or 3 */
	double dirt;                /* faulty rows per clean row, 0 to 0.1 */
	int nightly;                /* one file per day instead of per year */
	enum hl_sample_plant plant; /* default HL_PLANT_NONE */
	/* calendar years beyond the built-in ones; borrowed, may be NULL */
	const struct hl_calyears *calendar;
};

#define HL_SAMPLE_DEFAULT_SEED 20221231u
#define HL_SAMPLE_DEFAULT_SCALE 0.1
#define HL_SAMPLE_DEFAULT_RANK_MIN 30
/* Years --years accepts; each must have a working-day calendar too. */
#define HL_SAMPLE_YEAR_MIN 1901
#define HL_SAMPLE_YEAR_MAX 2198

/* Sets every option to its documented default (outdir "sample"). */
void hl_sample_opts_init(struct hl_sample_opts *o);

/* What a run produced, for the caller to print. */
struct hl_sample_stats {
	unsigned long files;  /* CSV files written */
	unsigned long rows;   /* data rows written, faults included */
	unsigned long faults; /* faulty rows injected */
	double seconds;       /* wall time spent (not part of the output) */
	/* The calibrated district-year's planted figures, when calibrated. */
	int calibrated;
	long cal_tickets;
	double cal_on_time_pct;    /* on time / closed * 100 */
	double cal_speedup_pct[2]; /* consult, other; 0 without 2021 */
	double cal_mean_rank;      /* ordinary tickets */
	int cal_key_streak;        /* months running at rank 1, key tickets */
};

enum hl_sample_err {
	HL_SAMPLE_OK,
	HL_SAMPLE_EOPTS, /* inconsistent options */
	HL_SAMPLE_EIO,   /* cannot create or write an output file */
	HL_SAMPLE_ECAL,  /* a year the working-day calendar does not cover */
	HL_SAMPLE_EICONV /* the encoding conversion failed */
};

struct hl_sample;

/* Caller frees with hl_sample_free(). */
struct hl_sample *hl_sample_new(const struct hl_sample_opts *o);
void hl_sample_free(struct hl_sample *s);

/*
 * Writes the data set.  Returns 0, or -1 with the reason in
 * hl_sample_errmsg(s).  stats (OUT) may be NULL.
 */
int hl_sample_run(struct hl_sample *s, struct hl_sample_stats *stats);

/* The last error as text.  Borrowed; valid until the next call on s. */
const char *hl_sample_errmsg(const struct hl_sample *s);
const char *hl_sample_strerror(int err);

#endif
