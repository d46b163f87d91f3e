/*
 * plant.c - `--plant analyses`: what docs/analyses.md measures, planted on
 * top of the default data set and counted as the export shows it.
 *
 * Every ticket gets a three-level topic (问题分类) and its street anew: the
 * pair is chosen per district and category by a golden-ratio (Kronecker)
 * sequence over the cells' shares, so that a cell's monthly count stays
 * within a ticket or two of its expectation and nothing surges by chance.
 * Callers get fresh numbers; a few reuse a recent caller's.  Chains of
 * repeat calls (quoting the previous ticket, or the same caller on the
 * same topic and street within 30 days) and a few surge cells (a level-2
 * topic in one street, one month) are then made by relabelling tickets the
 * month already has: volumes, categories, times and answers are untouched,
 * so every figure of the default data set (and the calibration) stays
 * what it was.  The assessment columns are drawn per ticket from per-street
 * rates.  The manifest's truth is counted from the labels as written,
 * month by month; the repeat links are found from the tickets as a reader
 * of the export finds them, not from the plan.
 */
#include <stdlib.h>
#include <string.h>

#include "sample-data/plant.h"

/* A three-level topic and the content topic (topics[]) its text uses. */
struct ftopic {
	const char *name;
	const char *base;
	double w; /* share among the fine topics of the same base */
};

/* Fine topics of one level-2 topic are listed together. */
static const struct ftopic ftopics[] = {
    {"环境保护-噪声污染-建筑施工噪声", "噪音扰民", 4},
    {"环境保护-噪声污染-社会生活噪声", "噪音扰民", 3},
    {"环境保护-噪声污染-商业经营噪声", "噪音扰民", 1},
    {"城乡建设-违法建设-私搭乱建", "违法建设", 3},
    {"城乡建设-违法建设-楼顶加建", "违法建设", 1},
    {"城市管理-市容秩序-占道经营", "占道经营", 3},
    {"城市管理-市容秩序-流动摊贩", "占道经营", 2},
    {"城市管理-环境卫生-垃圾清运", "环境卫生", 4},
    {"城市管理-环境卫生-公厕管理", "环境卫生", 1},
    {"城市管理-环境卫生-卫生死角", "环境卫生", 1},
    {"城乡建设-物业管理-物业服务", "物业管理", 6},
    {"城乡建设-物业管理-物业收费", "物业管理", 2},
    {"城乡建设-物业管理-电梯维修", "物业管理", 2},
    {"城乡建设-供水-停水", "供水", 3},
    {"城乡建设-供水-水质水压", "供水", 1},
    {"城乡建设-供电-停电", "供电", 3},
    {"城乡建设-供电-电费", "供电", 1},
    {"城乡建设-燃气-燃气安全", "燃气", 1},
    {"城乡建设-燃气-燃气报装", "燃气", 1},
    {"交通运输-公共交通-公交服务", "公交地铁", 3},
    {"交通运输-公共交通-地铁服务", "公交地铁", 1},
    {"交通运输-公共交通-线路调整", "公交地铁", 1},
    {"劳动和社会保障-社会保险-养老保险", "社保医保", 3},
    {"劳动和社会保障-社会保险-医疗保险", "社保医保", 2},
    {"劳动和社会保障-社会保险-社保卡", "社保医保", 1},
    {"劳动和社会保障-劳动关系-拖欠工资", "劳资纠纷", 4},
    {"劳动和社会保障-劳动关系-劳动合同", "劳资纠纷", 1},
    {"教育-招生入学-义务教育", "教育入学", 3},
    {"教育-招生入学-学前教育", "教育入学", 1},
    {"教育-校外培训-培训退费", "教育入学", 1},
    {"卫生健康-医疗服务-就医服务", "医疗卫生", 3},
    {"卫生健康-医疗服务-非法行医", "医疗卫生", 1},
    {"卫生健康-疾病预防-疫苗接种", "医疗卫生", 1},
    {"卫生健康-疫情防控-核酸检测", "疫情防控", 4},
    {"卫生健康-疫情防控-健康码", "疫情防控", 2},
    {"卫生健康-疫情防控-隔离管控", "疫情防控", 1},
    {"市场监管-消费维权-预付卡", "市场监管", 2},
    {"市场监管-消费维权-商品质量", "市场监管", 2},
    {"市场监管-食品安全-过期食品", "市场监管", 1},
    {"市场监管-价格监管-价格欺诈", "市场监管", 1},
    {"城市管理-市政设施-路灯", "道路设施", 2},
    {"城市管理-市政设施-井盖", "道路设施", 1},
    {"城市管理-市政设施-道路破损", "道路设施", 2},
    {"公共安全-户政管理-户口迁移", "户籍证件", 3},
    {"公共安全-户政管理-身份证", "户籍证件", 1},
    {"公共安全-户政管理-居住证", "户籍证件", 1},
    {"民政-养老服务-高龄津贴", "养老救助", 1},
    {"民政-养老服务-长者饭堂", "养老救助", 1},
    {"民政-社会救助-临时救助", "养老救助", 1},
    {"交通运输-交通管理-违法停车", "交通秩序", 3},
    {"交通运输-交通管理-交通拥堵", "交通秩序", 1},
    {"工业和信息化-通信服务-信号覆盖", "通信网络", 1},
    {"工业和信息化-通信服务-宽带服务", "通信网络", 1},
    {"党政综合-街道社区-社区服务", "街道服务", 2},
    {"党政综合-表扬感谢-表扬", "街道服务", 1},
};
_Static_assert(sizeof(ftopics) / sizeof(ftopics[0]) == NF,
	       "NF is the number of topics");

/* ---- set-up ---- */

static double
prand(const struct hl_sample *s, uint64_t a, uint64_t b, uint64_t c)
{
	struct rng r;

	rng_seed(&r, s->o.seed, a, b, c + 0x91a47ull);
	return rng_unit(&r);
}

int
plant_open(struct hl_sample *s)
{
	struct plant *p = hl_xcalloc(1, sizeof(*p));
	size_t nm = (size_t)s->nyears * 12;
	int f, k, d, st;

	s->plant = p;
	for (f = 0; f < NF; f++) {
		const char *n = ftopics[f].name, *dash = strchr(n, '-');
		size_t len;

		p->ftopic_name[f] = n;
		p->base[f] = -1;
		for (k = 0; k < n_topics; k++)
			if (strcmp(topics[k].name, ftopics[f].base) == 0)
				p->base[f] = k;
		dash = dash ? strchr(dash + 1, '-') : NULL;
		len = dash ? (size_t)(dash - n) : strlen(n);
		if (p->base[f] < 0 || len >= sizeof(p->l2_name[0]))
			return sample_fail(s, HL_SAMPLE_EOPTS, "bad topic '%s'",
					   n);
		for (k = 0; k < p->nl2; k++)
			if (strlen(p->l2_name[k]) == len &&
			    memcmp(p->l2_name[k], n, len) == 0)
				break;
		if (k == p->nl2) {
			if (p->nl2 == MAX_L2)
				return sample_fail(s, HL_SAMPLE_EOPTS,
						   "too many topics");
			memcpy(p->l2_name[k], n, len);
			p->l2_name[k][len] = '\0';
			p->nl2++;
		}
		p->l2_of[f] = k;
	}
	for (d = 0; d < N_DISTRICTS; d++) {
		for (st = 0; st < n_streets(d); st++) {
			struct rates *r = &p->rates[d][st];
			uint64_t key = (uint64_t)d * 64 + (uint64_t)st;

			p->street_w[d][st] = 0.35 + 1.3 * prand(s, key, 1, 0);
			r->valid = 0.70 + 0.28 * prand(s, key, 2, 0);
			r->contact = 0.82 + 0.175 * prand(s, key, 3, 0);
			r->resolve = 0.55 + 0.40 * prand(s, key, 4, 0);
			r->out = 0.005 + 0.03 * prand(s, key, 5, 0);
		}
		p->u[d] = prand(s, (uint64_t)d, 6, 0);
	}
	p->assess = hl_xcalloc(nm * N_DISTRICTS * MAX_STREETS * N_A,
			       sizeof(*p->assess));
	p->topics = hl_xcalloc(nm * N_DISTRICTS * MAX_L2, sizeof(*p->topics));
	p->repeats = hl_xcalloc(nm * N_DISTRICTS * 4, sizeof(*p->repeats));
	p->map_cap = 1u << 16;
	p->map = hl_xcalloc(p->map_cap, sizeof(*p->map));
	return 0;
}

void
plant_free(struct hl_sample *s)
{
	struct plant *p = s->plant;

	if (p == NULL)
		return;
	free(p->chains);
	free(p->surges);
	free(p->others);
	free(p->rec);
	free(p->map);
	free(p->assess);
	free(p->topics);
	free(p->repeats);
	free(p);
	s->plant = NULL;
}

/* The weight of 疫情防控 by year, as the default generator draws topics. */
static double
epidemic(int y)
{
	return y == 2022 ? 3.0 : y == 2021 ? 1.8 : y == 2020 ? 2.5 : 0.2;
}

/*
 * The year's shares of the cells of each district (street-major, fine
 * topics in order, so that a street's level-2 topic is one interval): the
 * default generator's topic mix over the district's categories.
 */
static void
build_cdf(struct hl_sample *s, int y)
{
	struct plant *p = s->plant;
	double wbase[64] = {0};
	int d, c, f, b, st;

	for (f = 0; f < NF; f++)
		wbase[p->base[f]] += ftopics[f].w;
	for (d = 0; d < N_DISTRICTS; d++) {
		const double *share = s->prof[d].cat_share;
		double pb[N_CATEGORIES][64], marg[64] = {0}, acc = 0;
		double *cdf = p->cdf[d];
		int ns = n_streets(d);

		for (c = 0; c < N_CATEGORIES; c++) {
			double tot = 0;

			for (b = 0; b < n_topics; b++) {
				pb[c][b] = topics[b].cat_weight[c];
				if (strcmp(topics[b].name, "疫情防控") == 0)
					pb[c][b] *= epidemic(y);
				tot += pb[c][b];
			}
			for (b = 0; b < n_topics; b++) {
				pb[c][b] /= tot;
				marg[b] += share[c] * pb[c][b];
			}
		}
		for (c = 0; c < N_CATEGORIES; c++)
			for (b = 0; b < n_topics; b++)
				p->aff[d][c][b] = pb[c][b] / marg[b];
		for (st = 0; st < ns; st++)
			for (f = 0; f < NF; f++) {
				b = p->base[f];
				acc += marg[b] * ftopics[f].w / wbase[b] *
				       p->street_w[d][st];
				cdf[st * NF + f] = acc;
			}
		for (st = 0; st < ns * NF; st++)
			cdf[st] /= acc;
	}
	p->cdf_year = y;
}

/* ---- labels ---- */

static uint64_t
fresh_caller(const struct hl_sample *s, const struct ticket *t)
{
	uint64_t h = mix64(s->o.seed ^ mix64(t->seed ^ 0xca11e5ull));

	return 10000000000ull + (3 + h % 7) * 1000000000ull +
	       (h / 7) % 1000000000ull;
}

static void
relabel(struct plant *p, struct ticket *t, int street, int f)
{
	const struct topic *tp;
	int nu = 0;

	t->street = (uint8_t)street;
	t->ftopic = (uint8_t)f;
	t->topic = (uint8_t)p->base[f];
	tp = &topics[t->topic];
	while (nu < 4 && tp->units[nu] >= 0)
		nu++;
	t->unit = (uint8_t)tp->units[mix64(t->seed ^ 0x0417ull) % (unsigned)nu];
}

/* A fine topic of level-2 topic l2, by weight, from hash h. */
static int
fine_of(const struct plant *p, int l2, uint64_t h)
{
	double tot = 0, x;
	int f, last = 0;

	for (f = 0; f < NF; f++)
		if (p->l2_of[f] == l2)
			tot += ftopics[f].w;
	x = (double)(h % 1000000) / 1000000 * tot;
	for (f = 0; f < NF; f++) {
		if (p->l2_of[f] != l2)
			continue;
		last = f;
		if (x < ftopics[f].w)
			return f;
		x -= ftopics[f].w;
	}
	return last;
}

#define BLOCK 32

/*
 * Hands the cells drawn for a block of a district's consecutive tickets
 * to its tickets by category: the rarest categories first, each to the
 * cell whose topic its category is most often about.  The month's cell
 * counts stay those the sequence drew.
 */
static void
match_block(struct hl_sample *s, const uint32_t *idx, const int *cells, int n)
{
	struct plant *p = s->plant;
	const struct yprof *pr;
	int used[BLOCK] = {0}, order[BLOCK], i, j;

	if (n == 0)
		return;
	pr = &s->prof[s->batch[idx[0]].district];
	for (i = 0; i < n; i++) {
		int k = i;
		double sh = pr->cat_share[s->batch[idx[i]].category];

		while (k > 0 &&
		       pr->cat_share[s->batch[idx[order[k - 1]]].category] > sh)
			k--;
		memmove(order + k + 1, order + k,
			(size_t)(i - k) * sizeof(*order));
		order[k] = i;
	}
	for (i = 0; i < n; i++) {
		struct ticket *t = &s->batch[idx[order[i]]];
		const double *aff = p->aff[t->district][t->category];
		int best = -1;

		for (j = 0; j < n; j++)
			if (!used[j] &&
			    (best < 0 || aff[p->base[cells[j] % NF]] >
					     aff[p->base[cells[best] % NF]]))
				best = j;
		used[best] = 1;
		relabel(p, t, cells[best] / NF, cells[best] % NF);
	}
}

/* Topic and street of every ticket of the month. */
static void
draw_cells(struct hl_sample *s)
{
	struct plant *p = s->plant;
	uint32_t idx[BLOCK];
	int cells[BLOCK], d;
	size_t i;

	for (d = 0; d < N_DISTRICTS; d++) {
		const double *cdf = p->cdf[d];
		int n = 0;

		for (i = 0; i < s->nbatch; i++) {
			int lo = 0, hi = n_streets(d) * NF - 1;

			if (s->batch[i].district != d)
				continue;
			p->u[d] += 0.6180339887498949;
			if (p->u[d] >= 1)
				p->u[d] -= 1;
			while (lo < hi) {
				int mid = (lo + hi) / 2;

				if (p->u[d] < cdf[mid])
					hi = mid;
				else
					lo = mid + 1;
			}
			idx[n] = (uint32_t)i;
			cells[n++] = lo;
			if (n == BLOCK) {
				match_block(s, idx, cells, n);
				n = 0;
			}
		}
		match_block(s, idx, cells, n);
	}
}

/* Topic, street and caller of every ticket of the month. */
static void
label_month(struct hl_sample *s)
{
	struct plant *p = s->plant;
	size_t i;

	draw_cells(s);
	for (i = 0; i < s->nbatch; i++) {
		struct ticket *t = &s->batch[i];
		int d = t->district;
		uint64_t h = mix64(t->seed ^ 0xdec0ull);

		t->caller = fresh_caller(s, t);
		/* A few callers call again about something else. */
		if (h % 1000 < 15 && p->nrecent[d]) {
			t->caller = p->recent[d][(h >> 10) % p->nrecent[d]];
			t->pflags |= P_DECOY;
		} else {
			unsigned k = p->nrecent[d] < 32
					 ? p->nrecent[d]++
					 : (unsigned)(h >> 20) % 32;

			p->recent[d][k] = t->caller;
		}
	}
}

/* ---- chains ---- */

static void
start_chains(struct hl_sample *s)
{
	static const int sizes[] = {2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3,
				    3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 8};
	struct plant *p = s->plant;
	size_t i;

	for (i = 0; i < s->nbatch; i++) {
		struct ticket *t = &s->batch[i];
		uint64_t h = mix64(t->seed ^ 0xc4a1ull);
		struct chain *c;
		unsigned k;

		if (t->pflags || h % 1000 >= 25)
			continue;
		if (p->nchains == p->chains_cap) {
			p->chains_cap = p->chains_cap ? p->chains_cap * 2 : 256;
			p->chains = hl_xrealloc(
			    p->chains, p->chains_cap * sizeof(*p->chains));
		}
		c = &p->chains[p->nchains++];
		k = (unsigned)((h >> 10) % 100);
		c->kind = k < 60   ? K_QUOTE
			  : k < 82 ? K_CALLER
			  : k < 92 ? K_BOTH
				   : K_STALE;
		c->left =
		    (uint8_t)(c->kind == K_STALE
				  ? 1
				  : sizes[(h >> 20) % HL_ARRAY_LEN(sizes)] - 1);
		c->district = t->district;
		c->street = t->street;
		c->ftopic = t->ftopic;
		c->caller = t->caller;
		c->last_acc = t->accepted;
		c->last_seed = t->seed;
		c->last_day = (int32_t)(t->accepted / DAY);
		c->last_seq = t->seq;
		c->last_rec = (int32_t)(p->nrec + i);
		c->due = 0; /* set by next_due() */
		t->pflags |= P_CHAIN;
	}
}

/* When chain c's next ticket may come, from hash h. */
static void
next_due(struct chain *c, uint64_t h)
{
	hl_time gap;

	switch (c->kind) {
	case K_QUOTE:
		gap = (hl_time)(1 + h % 40) * DAY;
		break;
	case K_STALE:
		/* Past the caller window: not a repeat. */
		gap = (hl_time)(CALLER_DAYS + 5 + h % 25) * DAY;
		break;
	default:
		gap = (hl_time)(1 + h % 22) * DAY;
		break;
	}
	c->due = c->last_acc + gap + (hl_time)((h >> 16) % 40000);
}

static size_t
first_at(const struct hl_sample *s, hl_time at)
{
	size_t lo = 0, hi = s->nbatch;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->batch[mid].accepted < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Extends chain c with tickets of this month while they are due. */
static void
grow_chain(struct hl_sample *s, struct chain *c, hl_time month_end)
{
	struct plant *p = s->plant;

	if (c->due == 0)
		next_due(c, mix64(c->last_seed ^ 0xd0e));
	while (c->left > 0 && c->due < month_end) {
		size_t i = first_at(s, c->due);
		struct ticket *t = NULL;
		uint8_t *add =
		    &p->chain_add[c->district][c->street][p->l2_of[c->ftopic]];

		for (; i < s->nbatch; i++) {
			struct ticket *x = &s->batch[i];

			if (x->district == c->district && !x->pflags &&
			    x->accepted > c->last_acc) {
				t = x;
				break;
			}
		}
		if (t == NULL)
			return; /* none left this month: try the next one */
		if (c->kind != K_QUOTE && c->kind != K_STALE &&
		    t->accepted - c->last_acc > (CALLER_DAYS - 2) * DAY) {
			c->left = 0;
			return;
		}
		if (*add >= CHAIN_CELL_CAP) {
			/* The cell has enough planted this month: its count
			 * must not look like a surge. */
			c->due = month_end;
			continue;
		}
		(*add)++;
		relabel(p, t, c->street, c->ftopic);
		t->pflags |= P_CHAIN;
		if (c->kind != K_QUOTE)
			t->caller = c->caller;
		if (c->kind == K_QUOTE ||
		    (c->kind == K_BOTH && (t->seed >> 7) % 2)) {
			t->ref_day = c->last_day;
			t->ref_seq = c->last_seq;
			t->ref_seed = c->last_seed;
			t->ref_topic = t->topic;
			t->ref_street = c->street;
			t->ref_rec = c->last_rec + 1;
		}
		c->last_acc = t->accepted;
		c->last_seed = t->seed;
		c->last_day = (int32_t)(t->accepted / DAY);
		c->last_seq = t->seq;
		c->last_rec = (int32_t)(p->nrec + (size_t)(t - s->batch));
		c->left--;
		next_due(c, mix64(t->seed ^ 0xd0e));
	}
}

static void
grow_chains(struct hl_sample *s, hl_time month_end)
{
	struct plant *p = s->plant;
	size_t i, k = 0;

	memset(p->chain_add, 0, sizeof(p->chain_add));
	for (i = 0; i < p->nchains; i++) {
		grow_chain(s, &p->chains[i], month_end);
		if (p->chains[i].left > 0)
			p->chains[k++] = p->chains[i];
	}
	p->nchains = k;
}

/* ---- surges ---- */

static void
plan_surges(struct hl_sample *s, int y)
{
	struct plant *p = s->plant;
	struct rng r;
	int first = y == s->o.first_year ? 7 : 1, n = 13 - first, pick[12];
	int i;

	rng_seed(&r, s->o.seed, (uint64_t)y, 0x5e6eull, 0);
	for (i = 0; i < n; i++)
		pick[i] = first + i;
	for (i = 0; i < SURGES_PER_YEAR; i++) {
		int j = i + (int)rng_below(&r, (uint64_t)(n - i)),
		    tmp = pick[i];

		pick[i] = pick[j];
		pick[j] = tmp;
		p->surge_month[i] = pick[i];
	}
}

static int
recently_planted(const struct plant *p, int mi, int d, int st, int l2)
{
	size_t i;

	for (i = 0; i < p->nsurges; i++) {
		const struct surge *g = &p->surges[i];

		if (g->mi > mi - 7 && g->district == d && g->street == st &&
		    g->l2 == l2)
			return 1;
	}
	return 0;
}

/* Relabels up to `extra` tickets of district d into the cell, most of
 * them in a ten-day window; returns how many. */
static int
fill_surge(struct hl_sample *s, struct rng *r, int d, int st, int l2, int extra,
	   int ndays)
{
	struct plant *p = s->plant;
	int64_t d0 = s->batch[0].accepted / DAY +
		     (int64_t)rng_below(r, (uint64_t)(ndays - 9));
	int pass, n = 0;

	for (pass = 0; pass < 2 && n < extra; pass++) {
		size_t i;

		for (i = 0; i < s->nbatch && n < extra; i++) {
			struct ticket *t = &s->batch[i];
			int64_t day = t->accepted / DAY;

			if (t->district != d || t->pflags ||
			    (t->street == st && p->l2_of[t->ftopic] == l2))
				continue;
			if (pass == 0 &&
			    (day < d0 || day >= d0 + 10 || rng_unit(r) < 0.3))
				continue;
			relabel(p, t, st,
				fine_of(p, l2, mix64(t->seed ^ 0x5e1ull)));
			t->pflags |= P_SURGE;
			n++;
		}
	}
	return n;
}

static void
plant_surge(struct hl_sample *s, int y, int m, int mi)
{
	struct plant *p = s->plant;
	long free_d[N_DISTRICTS] = {0};
	double w[N_DISTRICTS];
	struct rng r;
	size_t i;
	int tries, d;

	rng_seed(&r, s->o.seed, (uint64_t)y * 100 + (uint64_t)m, 0x5e6full, 0);
	memset(p->cells[mi % 7], 0, sizeof(p->cells[0]));
	for (i = 0; i < s->nbatch; i++) {
		const struct ticket *t = &s->batch[i];

		(*plant_cell(p, mi, t->district, t->street,
			     p->l2_of[t->ftopic]))++;
		if (!t->pflags)
			free_d[t->district]++;
	}
	for (d = 0; d < N_DISTRICTS; d++)
		w[d] = (double)free_d[d];
	for (tries = 0; tries < 400; tries++) {
		int st, l2, extra;
		int64_t c, sum;
		struct surge *g;

		d = rng_pick(&r, w, N_DISTRICTS);
		st = (int)rng_below(&r, (uint64_t)n_streets(d));
		l2 = (int)rng_below(&r, (uint64_t)p->nl2);
		extra = (int)(free_d[d] / 3 < SURGE_MAX ? free_d[d] / 3
							: SURGE_MAX);
		c = *plant_cell(p, mi, d, st, l2) + extra;
		sum = plant_base_sum(p, mi, d, st, l2);
		/* Clearly: twice the baseline plus five, a score of six. */
		if (extra < 8 || 3 * c < sum + 15 || !plant_surges(c, sum, 6) ||
		    recently_planted(p, mi, d, st, l2))
			continue;
		extra =
		    fill_surge(s, &r, d, st, l2, extra, hl_days_in_month(y, m));
		if (p->nsurges == p->surges_cap) {
			p->surges_cap = p->surges_cap ? p->surges_cap * 2 : 16;
			p->surges = hl_xrealloc(
			    p->surges, p->surges_cap * sizeof(*p->surges));
		}
		g = &p->surges[p->nsurges++];
		memset(g, 0, sizeof(*g));
		g->mi = mi;
		g->district = d;
		g->street = st;
		g->l2 = l2;
		g->extra = extra;
		return;
	}
}

void
plant_month(struct hl_sample *s, int y, int m)
{
	struct plant *p = s->plant;
	int mi = (y - s->o.first_year) * 12 + (m - 1), k;
	hl_time month_end =
	    (hl_time)(hl_days_from_civil(y, m, 1) + hl_days_in_month(y, m)) *
	    DAY;

	if (s->nbatch == 0) {
		memset(p->cells[mi % 7], 0, sizeof(p->cells[0]));
		return;
	}
	if (p->cdf_year != y) {
		build_cdf(s, y);
		plan_surges(s, y);
	}
	label_month(s);
	start_chains(s);
	grow_chains(s, month_end);
	for (k = 0; k < SURGES_PER_YEAR; k++)
		if (p->surge_month[k] == m)
			plant_surge(s, y, m, mi);
	plant_count_month(s, mi);
}
