/*
 * gen.h - private to sample-data/: the generator's PRNG, its static tables
 * (districts, streets, units, topics, text) and the ticket record shared by
 * the planner (sample.c), the row writer (write.c) and the manifest
 * (manifest.c).  No other module includes this file.
 */
#ifndef HL_SAMPLE_GEN_H
#define HL_SAMPLE_GEN_H

#include <stdint.h>

#include "sample-data/sample.h"
#include "util/util.h"

/* xoshiro256** seeded through splitmix64: small, fast, and ours. */
struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t a, uint64_t b, uint64_t c, uint64_t d);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1) with 53 bits. */
double rng_unit(struct rng *r);
/* Uniform in [0, n), unbiased; n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Approximately standard normal (sum of 12 uniforms - 6). */
double rng_normal(struct rng *r);
/* Index drawn from weights w[0..n-1] (not necessarily normalised). */
int rng_pick(struct rng *r, const double *w, int n);
/* splitmix64 finaliser, used as a hash. */
uint64_t mix64(uint64_t x);

/*
 * exp() from + - * / and an exact power-of-two scaling: libm's exp may
 * differ in the last bit between C libraries, and the output must not.
 */
double det_exp(double x);
/* Lognormal with the given mean and shape sigma. */
double rng_lognormal(struct rng *r, double mean, double sigma);

/* ---- static tables (tables.c) ---- */

#define N_DISTRICTS 11
#define LIWAN 2 /* index of 荔湾区 in districts[] */
#define N_CATEGORIES 7
#define CAT_CONSULT 0
#define N_CHANNELS 4
#define MAX_STREETS 24

enum unit_kind { U_STREET, U_BUREAU, U_ENTERPRISE };

struct district {
	const char *name;       /* 荔湾区 */
	const char *short_name; /* 荔湾 */
	int code;               /* 440103 */
	double volume;          /* full-scale tickets in 2022 */
	double growth;          /* yearly growth of volume */
	const char *streets[MAX_STREETS];
};

struct topic {
	const char *name;
	double cat_weight[N_CATEGORIES];
	signed char units[4]; /* unit index (see units[]), -1 terminated */
	const char *problems[4];
	const char *requests[3];
};

struct unit {
	enum unit_kind kind;
	const char *fmt; /* %s = district name or short name (see kind) */
};

extern const struct district districts[N_DISTRICTS];
extern const char *const category_names[3][N_CATEGORIES];
extern const int category_deadline_days[N_CATEGORIES];
extern const char *const channel_names[N_CHANNELS];
extern const struct topic topics[];
extern const int n_topics;
extern const struct unit units[];
extern const int n_units;
extern const char *const roads[];
extern const int n_roads;
extern const char *const places[];
extern const int n_places;
extern const char *const surnames[];
extern const int n_surnames;
extern const double hour_weight[24];

int n_streets(int district);

/* ---- tickets ---- */

#define NO_TIME INT64_MIN

enum sat {
	SAT_NONE,     /* no callback (yet) */
	SAT_GOOD,     /* 满意 */
	SAT_BASIC,    /* 基本满意 */
	SAT_BAD,      /* 不满意 */
	SAT_NO_ANSWER /* called back, not evaluated */
};

struct ticket {
	hl_time accepted;
	hl_time dispatched; /* NO_TIME for consultations answered on the call */
	hl_time signed_at;
	hl_time deadline;
	hl_time closed;    /* final closure */
	hl_time callback;  /* NO_TIME when never called back */
	hl_time c1, r1;    /* first closure and reopening, if reopen >= 1 */
	hl_time c2, r2;    /* second ones, if reopen == 2 */
	uint64_t seed;     /* per-ticket hash: content and cell styles */
	uint32_t seq;      /* city-wide sequence number of the day */
	uint32_t ref_seq;  /* repeat call: the earlier ticket's seq, or 0 */
	int32_t ref_day;   /* and its acceptance day number */
	uint64_t ref_seed; /* and its content seed */
	uint8_t ref_topic;
	uint8_t ref_street;
	uint8_t district, street, channel, category, topic, unit;
	uint8_t is_key, sat, late, direct, evaluable, has_callback;
	uint8_t reopen;     /* reopenings drawn */
	uint8_t reopen_eff; /* reopenings that fit the handling time */
	uint32_t ord;       /* order of drawing, the last sort key */
	double base;        /* drawn handling seconds before scaling */
	hl_time delay;      /* how late a late ticket closes */
	hl_time margin;     /* how long before the deadline a capped one does */
	/* --plant analyses only (plant.c); zero otherwise */
	uint64_t caller; /* 来电号码, 11 digits */
	int32_t ref_rec; /* quoted ticket: its record number + 1, or 0 */
	uint8_t ftopic;  /* 问题分类: index in the three-level topic list */
	uint8_t pflags;  /* planted as part of a chain or a surge */
};

/* The state of a ticket as an export taken at time T shows it. */
struct tstate {
	hl_time dispatched, signed_at, deadline, closed; /* NO_TIME = empty */
	int status; /* 0 待签收 1 办理中 2 已办结 3 已回访 4 待派单 */
	int sat;    /* enum sat as visible at T */
	int reopen; /* reopen count visible at T */
};

void ticket_state(const struct ticket *t, hl_time at, struct tstate *st);

#endif
