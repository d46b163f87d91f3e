/*
 * plant.h - private to sample-data/plant*.c: the state of --plant
 * analyses, shared by the planter (plant.c) and the counting of what the
 * export shows (plant_truth.c).
 */
#ifndef HL_SAMPLE_PLANT_H
#define HL_SAMPLE_PLANT_H

#include "sample-data/priv.h"

#define NF 55 /* three-level topics (plant.c) */
#define MAX_L2 48
#define NCELLS (MAX_STREETS * NF)

/* Planted by the surge, the chains or the caller decoys. */
#define P_CHAIN 1
#define P_SURGE 2
#define P_DECOY 4

#define DAY 86400
#define CALLER_DAYS 30 /* docs/analyses.md [repeats] caller_days */
#define SURGES_PER_YEAR 4
#define SURGE_MAX 40
#define CHAIN_CELL_CAP 2 /* chain tickets added to one cell in a month */

enum chain_kind { K_QUOTE, K_CALLER, K_BOTH, K_STALE };

struct chain {
	hl_time due;        /* the next ticket is accepted at or after this */
	hl_time last_acc;   /* acceptance of the latest ticket */
	uint64_t caller;    /* the first ticket's number */
	uint64_t last_seed; /* the latest ticket's content seed */
	int32_t last_day;   /* and its ID: acceptance day, */
	uint32_t last_seq;  /* sequence number, */
	int32_t last_rec;   /* record number */
	uint8_t district, street, ftopic, kind, left; /* left: still to come */
};

/* What the export shows of a ticket, for the repeat links. */
struct prec {
	hl_time accepted;
	uint64_t caller;
	int32_t parent; /* union-find over the links */
	uint32_t seq;
	int32_t size; /* at a root: tickets linked to it */
	uint8_t district, street, ftopic;
	uint8_t links; /* 1 repeats by quote, 2 by caller */
};

/* Assessment counts of a street-month. */
enum {
	A_TICKETS,
	A_LEFT_OUT,
	A_VALID,
	A_CONTACTED,
	A_RESOLVED,
	A_SAT,
	A_BASIC,
	N_A
};

struct rates {
	double valid, contact, resolve, out;
};

struct surge {
	int mi; /* month index from the first month of the data */
	int district, street, l2, extra;
	int count;
	int64_t base_sum; /* the six months before */
};

struct plant {
	const char *ftopic_name[NF];
	int base[NF];  /* topics[] index of each fine topic */
	int l2_of[NF]; /* its level-2 topic */
	char l2_name[MAX_L2][96];
	int nl2;
	double street_w[N_DISTRICTS][MAX_STREETS];
	struct rates rates[N_DISTRICTS][MAX_STREETS];
	double cdf[N_DISTRICTS][NCELLS];
	double u[N_DISTRICTS];
	/* how much more often category c is about topics[b] than all are */
	double aff[N_DISTRICTS][N_CATEGORIES][64];
	int cdf_year;
	uint64_t recent[N_DISTRICTS][32]; /* callers, for the decoys */
	unsigned nrecent[N_DISTRICTS];

	struct chain *chains;
	size_t nchains, chains_cap;
	uint8_t chain_add[N_DISTRICTS][MAX_STREETS][MAX_L2];

	int surge_month[SURGES_PER_YEAR];
	struct surge *surges; /* planted */
	size_t nsurges, surges_cap;
	struct surge *others; /* cells that surge unplanted */
	size_t nothers, others_cap;
	int cells[7][N_DISTRICTS][MAX_STREETS][MAX_L2]; /* ring by month */

	struct prec *rec;
	size_t nrec, rec_cap;
	uint32_t *map; /* (caller, topic, district, street) -> record + 1 */
	size_t map_cap, map_n;

	long *assess;  /* [month index][district][street][N_A] */
	int *topics;   /* [month index][district][l2] */
	long *repeats; /* [month index][district][4] */
};

static inline int *
plant_cell(struct plant *p, int mi, int d, int st, int l2)
{
	return &p->cells[mi % 7][d][st][l2];
}

static inline int64_t
plant_base_sum(struct plant *p, int mi, int d, int st, int l2)
{
	int64_t sum = 0;
	int k;

	for (k = 1; k <= 6; k++)
		sum += *plant_cell(p, mi - k, d, st, l2);
	return sum;
}

/*
 * The rule of docs/analyses.md with baseline b = sum / 6, in integers:
 * c >= 5, c >= 2b and (c - b) / sqrt(b + 1) >= k.
 */
static inline int
plant_surges(int64_t c, int64_t sum, int64_t k)
{
	int64_t x = 6 * c - sum;

	return c >= 5 && 3 * c >= sum && x > 0 &&
	       x * x >= 6 * k * k * (sum + 6);
}

/* The assessment columns of ticket t in state st: valid, contacted,
 * resolved (0/1) and in_assessment (0 是, 1 否, 2 不合理诉求) in v. */
void plant_assess(const struct plant *p, const struct ticket *t,
		  const struct tstate *st, int v[4]);
/* Counts the relabelled month mi as the export shows it. */
void plant_count_month(struct hl_sample *s, int mi);

#endif
