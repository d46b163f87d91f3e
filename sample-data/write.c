/*
 * write.c - turns the planned tickets into export files: the sixteen
 * columns in one of three header variants, times in the chosen style, the
 * free-text content, RFC 4180 quoting, the encoding (UTF-8, UTF-8 with BOM
 * or GB18030 through iconv), the line ends, the injected faults, and the
 * nightly split (one file per day with that day's new and changed tickets).
 */
#include <errno.h>
#include <iconv.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sample-data/priv.h"

enum field {
	F_ID,
	F_ACC,
	F_CHAN,
	F_CAT,
	F_KEY,
	F_DIST,
	F_STREET,
	F_UNIT,
	F_DISP,
	F_SIGN,
	F_DEAD,
	F_CLOSED,
	F_STATUS,
	F_SAT,
	F_REOPEN,
	F_CONTENT,
	N_FIELDS,
	/* --plant analyses: N_PLANT_COLS columns after the sixteen */
	F_PLANT0 = N_FIELDS,
	N_ALL = N_FIELDS + N_PLANT_COLS
};
/* Scratch field of a record with one field too many. */
#define F_EXTRA N_ALL

static const char *const headers[3][N_FIELDS] = {
    {"工单编号", "受理时间", "来源渠道", "诉求类型", "是否重点工单", "所属区",
     "所属街道", "承办单位", "派单时间", "签收时间", "办理时限", "办结时间",
     "工单状态", "满意度", "重办次数", "诉求内容"},
    {"12345工单编号", "来电时间", "工单来源", "工单类型", "工单级别", "区域",
     "镇街", "主办单位", "转办时间", "签收时间", "办结时限", "结案时间",
     "案件状态", "回访结果", "是否重办", "内容描述"},
    {"工单号", "登记时间", "受理渠道", "来电类别", "是否重点工单", "被反映区",
     "被反映街乡镇", "实际承办单位", "派遣时间", "签收时间", "截止时间",
     "办结日期", "工单状态", "评价结果", "重办次数", "事项内容"},
};

/* Column order of each variant, as canonical field numbers. */
static const enum field order[3][N_FIELDS] = {
    {F_ID, F_ACC, F_CHAN, F_CAT, F_KEY, F_DIST, F_STREET, F_UNIT, F_DISP,
     F_SIGN, F_DEAD, F_CLOSED, F_STATUS, F_SAT, F_REOPEN, F_CONTENT},
    {F_ID, F_ACC, F_CHAN, F_CAT, F_KEY, F_DIST, F_STREET, F_UNIT, F_DISP,
     F_SIGN, F_DEAD, F_CLOSED, F_STATUS, F_SAT, F_REOPEN, F_CONTENT},
    {F_ID, F_ACC, F_DIST, F_STREET, F_CAT, F_CONTENT, F_CHAN, F_KEY, F_UNIT,
     F_DISP, F_SIGN, F_DEAD, F_CLOSED, F_STATUS, F_SAT, F_REOPEN},
};

static const char *const status_names[5] = {"待签收", "办理中", "已办结",
					    "已回访", "待派单"};

/* The byte that stands for "invalid bytes go here" while a row is built. */
#define RAW_MARK '\x01'

#define RING 256

struct ringent {
	int32_t day;
	uint32_t seq;
	uint64_t seed;
	uint8_t topic, street;
};

struct writer {
	/* the file being written */
	FILE *f;
	char *path;       /* full path */
	const char *name; /* path relative to the output directory */
	iconv_t cd;
	struct hl_buf pend;  /* UTF-8 text not yet converted and written */
	struct hl_buf conv;  /* conversion output */
	unsigned long lines; /* newlines written so far */
	int partial;         /* the file ends inside a line (truncated) */
	unsigned long rows;
	struct rng dirt;
	unsigned long fault_seq;

	/* nightly */
	struct ticket *pool;
	size_t npool, pool_cap;
	int64_t next_day;

	/* repeat-call links */
	struct ringent ring[N_DISTRICTS][RING];
	unsigned ring_n[N_DISTRICTS], ring_pos[N_DISTRICTS];

	/* scratch */
	struct hl_buf fv[N_ALL + 1];
	struct hl_buf row, tmp;

	json_t *files, *faults;
};

/* Columns of a record: the sixteen, then the planted ones. */
static int
ncols(const struct hl_sample *s)
{
	return s->o.plant ? N_ALL : N_FIELDS;
}

/* The field in column i of the current variant. */
static enum field
col_field(const struct hl_sample *s, int i)
{
	return i < N_FIELDS ? order[s->o.header_variant - 1][i] : (enum field)i;
}

/* ---- identifiers, times, names ---- */

/*
 * Appends v in decimal, zero-padded to width (0 = no padding).  Times and
 * IDs are written this way rather than with printf, which dominated the
 * generator's profile.
 */
static char *
fmt_num(char *p, long long v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n < width)
		tmp[n++] = '0';
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static void
put_num(struct hl_buf *b, long long v, int width)
{
	char tmp[24];

	hl_buf_add(b, tmp, (size_t)(fmt_num(tmp, v, width) - tmp));
}

static void
put_id(struct hl_buf *b, int variant, int64_t day, uint32_t seq)
{
	int y, m, d;

	hl_civil_from_days(day, &y, &m, &d);
	if (variant == 2)
		hl_buf_adds(b, "GZ");
	put_num(b, y, 4);
	put_num(b, m, 2);
	put_num(b, d, 2);
	put_num(b, seq, 6);
}

/* y-m-d h:mi:s with the given separators and padding. */
static void
put_ymdhms(struct hl_buf *b, int y, int m, int d, int sec, char dsep, int pad,
	   int seconds)
{
	char tmp[32], *p = tmp;

	p = fmt_num(p, y, 4);
	*p++ = dsep;
	p = fmt_num(p, m, pad);
	*p++ = dsep;
	p = fmt_num(p, d, pad);
	*p++ = ' ';
	p = fmt_num(p, sec / 3600, pad);
	*p++ = ':';
	p = fmt_num(p, sec / 60 % 60, 2);
	if (seconds) {
		*p++ = ':';
		p = fmt_num(p, sec % 60, 2);
	}
	hl_buf_add(b, tmp, (size_t)(p - tmp));
}

/* The variant's placeholder for an empty cell (times, satisfaction). */
static const char *
empty_cell(int variant)
{
	return variant == 2 ? "-" : variant == 3 ? "无" : "";
}

static void
put_time(struct hl_buf *b, hl_time t, enum hl_sample_dates style, uint64_t hash)
{
	int64_t day = t / 86400;
	int sec = (int)(t - day * 86400), y, m, d;

	if (style == HL_DATES_MIXED)
		style = (enum hl_sample_dates)(hash % 4);
	hl_civil_from_days(day, &y, &m, &d);
	switch (style) {
	case HL_DATES_ISO:
		put_ymdhms(b, y, m, d, sec, '-', 2, 1);
		break;
	case HL_DATES_SLASH:
		put_ymdhms(b, y, m, d, sec, '/', 0, 1);
		break;
	case HL_DATES_EXCEL:
		/* Days since 1899-12-30 and the fraction of the day in six
		 * decimals, rounded, by integer arithmetic:
		 * sec * 10^6 / 86400 = sec * 625 / 54. */
		put_num(b, day - hl_days_from_civil(1899, 12, 30), 0);
		hl_buf_addc(b, '.');
		put_num(b, ((int64_t)sec * 625 * 2 + 54) / (54 * 2), 6);
		break;
	default: /* the fourth mixed shape: no seconds when they are zero */
		if (sec % 60 == 0)
			put_ymdhms(b, y, m, d, sec, '/', 0, 0);
		else
			put_ymdhms(b, y, m, d, sec, '-', 2, 1);
		break;
	}
}

static void
put_unit(struct hl_buf *b, const struct ticket *t)
{
	const struct unit *u = &units[t->unit];
	const struct district *d = &districts[t->district];
	const char *street = d->streets[t->street];
	size_t n = strlen(street);

	switch (u->kind) {
	case U_STREET:
		/* 沙面街 → 沙面街道办事处, 人和镇 → 人和镇人民政府 */
		hl_buf_adds(b, street);
		hl_buf_adds(b, n >= 3 && strcmp(street + n - 3, "镇") == 0
				   ? "人民政府"
				   : "道办事处");
		break;
	case U_BUREAU:
		hl_buf_printf(b, u->fmt, d->name);
		break;
	case U_ENTERPRISE:
		hl_buf_printf(b, u->fmt, d->short_name);
		break;
	}
}

/* ---- content ---- */

static void
add_truncated(struct hl_buf *b, const char *s, size_t nchars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (p[i] && nchars > 0) {
		i++;
		while ((p[i] & 0xC0) == 0x80)
			i++;
		nchars--;
	}
	hl_buf_add(b, s, i);
}

/* Place, problem and request: the part a repeat call quotes. */
static void
put_body(struct hl_buf *b, uint64_t seed, int d, int street, int topic)
{
	const struct topic *tp = &topics[topic];
	struct rng r;
	int np = 0, nr = 0;
	double u;

	rng_seed(&r, seed, 0xb0d1ull, 0, 0);
	while (np < 4 && tp->problems[np])
		np++;
	while (nr < 3 && tp->requests[nr])
		nr++;
	hl_buf_adds(b, districts[d].streets[street]);
	u = rng_unit(&r);
	if (u < 0.5) {
		hl_buf_adds(b, roads[rng_below(&r, (uint64_t)n_roads)]);
		put_num(b, 1 + (long long)rng_below(&r, 300), 0);
		hl_buf_adds(b, rng_unit(&r) < 0.3 ? "号附近" : "号");
	} else {
		const char *open = u < 0.6 ? "\"" : u < 0.7 ? "“" : "";
		const char *close = u < 0.6 ? "\"" : u < 0.7 ? "”" : "";

		hl_buf_adds(b, open);
		hl_buf_adds(b, places[rng_below(&r, (uint64_t)n_places)]);
		hl_buf_adds(b, close);
	}
	hl_buf_adds(b, "，");
	hl_buf_adds(b, tp->problems[rng_below(&r, (uint64_t)np)]);
	hl_buf_adds(b, "。");
	hl_buf_adds(b, tp->requests[rng_below(&r, (uint64_t)nr)]);
	hl_buf_adds(b, "。");
}

static void
put_content(struct hl_buf *b, const struct hl_sample *s, const struct ticket *t)
{
	static const char *const verbs[N_CATEGORIES] = {
	    "咨询", "求助", "投诉", "举报", "建议", "表扬", "反映"};
	const char *eol = s->o.crlf ? "\r\n" : "\n";
	struct rng r;
	double u;

	rng_seed(&r, t->seed, 0xc0de7ull, 0, 0);
	if (t->ref_seq) {
		hl_buf_adds(b, "【最近派发的工单编号：");
		/* The planted chains quote the ID as the export writes it. */
		put_id(b, s->o.plant ? s->o.header_variant : 1, t->ref_day,
		       t->ref_seq);
		hl_buf_adds(b, "，工单内容：");
		hl_buf_reset(&s->w->tmp);
		put_body(&s->w->tmp, t->ref_seed, t->district, t->ref_street,
			 t->ref_topic);
		add_truncated(b, s->w->tmp.data, 24);
		hl_buf_adds(b, "…】");
	}
	if (t->channel == 0) {
		hl_buf_adds(b, "市民来电");
	} else {
		hl_buf_adds(b, "市民通过");
		hl_buf_adds(b, channel_names[t->channel]);
		hl_buf_adds(b, "留言");
	}
	hl_buf_adds(b, verbs[t->category]);
	hl_buf_adds(b, "：");
	put_body(b, t->seed, t->district, t->street, t->topic);
	u = rng_unit(&r);
	if (u < 0.06)
		hl_buf_printf(b, "联系电话13%d****%04d,希望尽快回复。",
			      (int)rng_below(&r, 10),
			      (int)rng_below(&r, 10000));
	else if (u < 0.10)
		hl_buf_printf(b, "涉及金额共计%d,%03d元。",
			      1 + (int)rng_below(&r, 90),
			      (int)rng_below(&r, 1000));
	else if (u < 0.11)
		hl_buf_adds(b, rng_unit(&r) < 0.5 ? "来电人：刘䶮。"
						  : "涉及商户：𠮷祥便利店。");
	if (rng_unit(&r) < 0.12) {
		const struct topic *tp = &topics[t->topic];

		hl_buf_printf(b, "%s补充说明：%s。", eol,
			      tp->problems[rng_below(&r, 2)]);
	}
}

/* ---- fields and rows ---- */

static void
put_field(struct hl_buf *b, const struct hl_sample *s, const struct ticket *t,
	  const struct tstate *st, enum field f)
{
	int v = s->o.header_variant;
	uint64_t h = mix64(t->seed ^ (uint64_t)f);

	switch (f) {
	case F_ID:
		put_id(b, v, t->accepted / 86400, t->seq);
		break;
	case F_ACC:
		put_time(b, t->accepted, s->o.dates, h);
		break;
	case F_CHAN:
		hl_buf_adds(b, channel_names[t->channel]);
		break;
	case F_CAT:
		hl_buf_adds(b, category_names[v - 1][t->category]);
		break;
	case F_KEY:
		hl_buf_adds(b, v == 1   ? (t->is_key ? "是" : "否")
			       : v == 2 ? (t->is_key ? "重点" : "普通")
					: (t->is_key ? "1" : "0"));
		break;
	case F_DIST:
		hl_buf_adds(b, districts[t->district].name);
		break;
	case F_STREET:
		hl_buf_adds(b, districts[t->district].streets[t->street]);
		break;
	case F_UNIT:
		put_unit(b, t);
		break;
	case F_DISP:
	case F_SIGN:
	case F_DEAD:
	case F_CLOSED: {
		hl_time x = f == F_DISP   ? st->dispatched
			    : f == F_SIGN ? st->signed_at
			    : f == F_DEAD ? st->deadline
					  : st->closed;

		if (x == NO_TIME)
			hl_buf_adds(b, empty_cell(v));
		else
			put_time(b, x, s->o.dates, h);
		break;
	}
	case F_STATUS:
		hl_buf_adds(b, status_names[st->status]);
		break;
	case F_SAT:
		switch (st->sat) {
		case SAT_GOOD:
			hl_buf_adds(b,
				    v == 2 && h % 5 < 2 ? "非常满意" : "满意");
			break;
		case SAT_BASIC:
			hl_buf_adds(b, "基本满意");
			break;
		case SAT_BAD:
			hl_buf_adds(b, v == 2 && h % 10 < 3 ? "非常不满意"
							    : "不满意");
			break;
		case SAT_NO_ANSWER:
			/* Called back: no answer, or no verdict. */
			hl_buf_adds(b, v == 2                  ? "无法回访"
				       : v == 3 && h % 20 == 0 ? "有争议"
							       : "未评价");
			break;
		default:
			/* Variant 2 says when a closed ticket will never be
			 * called back; the others leave it empty. */
			if (v == 2 && st->status == 2 && !t->has_callback)
				hl_buf_adds(b, "未回访");
			else
				hl_buf_adds(b, empty_cell(v));
			break;
		}
		break;
	case F_REOPEN:
		if (v == 2)
			hl_buf_adds(b, st->reopen ? "是" : "否");
		else
			hl_buf_printf(b, "%d", st->reopen);
		break;
	case F_CONTENT:
		put_content(b, s, t);
		break;
	default:
		plant_field(b, s, t, st, (int)f - F_PLANT0);
		break;
	}
}

static void
build_fields(struct hl_sample *s, const struct ticket *t, hl_time at)
{
	struct tstate st;
	int i;

	ticket_state(t, at, &st);
	for (i = 0; i < ncols(s); i++) {
		hl_buf_reset(&s->w->fv[i]);
		put_field(&s->w->fv[i], s, t, &st, (enum field)i);
	}
}

/*
 * Joins the fields of the current variant into w->row with RFC 4180
 * quoting.  Fields in raw_mask (canonical numbers) go in unquoted, as a
 * broken exporter would write them; nfields < ncols(s) or == ncols(s) + 1
 * writes a short or long record.
 */
static void
join_row(struct hl_sample *s, unsigned raw_mask, int nfields)
{
	struct writer *w = s->w;
	int i;

	hl_buf_reset(&w->row);
	for (i = 0; i < nfields; i++) {
		const struct hl_buf *fb =
		    i < ncols(s) ? &w->fv[col_field(s, i)] : &w->fv[F_EXTRA];
		int raw = i < ncols(s) && (raw_mask >> col_field(s, i)) & 1;

		if (i)
			hl_buf_addc(&w->row, ',');
		if (!raw && fb->len && strpbrk(fb->data, ",\"\r\n")) {
			const char *p = fb->data, *q;

			hl_buf_addc(&w->row, '"');
			while ((q = strchr(p, '"')) != NULL) {
				hl_buf_add(&w->row, p, (size_t)(q - p) + 1);
				hl_buf_addc(&w->row, '"');
				p = q + 1;
			}
			hl_buf_adds(&w->row, p);
			hl_buf_addc(&w->row, '"');
		} else {
			hl_buf_add(&w->row, fb->data, fb->len);
		}
	}
}

/* ---- output ---- */

static int
flush_pending(struct hl_sample *s)
{
	struct writer *w = s->w;
	const char *data = w->pend.data;
	size_t len = w->pend.len;

	if (len == 0)
		return 0;
	if (w->cd != (iconv_t)-1) {
		char *in = w->pend.data, *out;
		size_t inleft = w->pend.len, outleft;

		hl_buf_reset(&w->conv);
		hl_buf_grow(&w->conv, inleft * 2 + 16);
		out = w->conv.data;
		outleft = w->conv.cap;
		if (iconv(w->cd, &in, &inleft, &out, &outleft) == (size_t)-1)
			return sample_fail(s, HL_SAMPLE_EICONV,
					   "cannot convert '%s' to GB18030: %s",
					   w->name, strerror(errno));
		w->conv.len = w->conv.cap - outleft;
		data = w->conv.data;
		len = w->conv.len;
	}
	if (fwrite(data, 1, len, w->f) != len)
		return sample_fail(s, HL_SAMPLE_EIO, "cannot write '%s': %s",
				   w->path, strerror(errno));
	hl_buf_reset(&w->pend);
	return 0;
}

static void
count_lines(struct writer *w, const char *p, size_t n)
{
	const char *e = p + n;

	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		w->lines++;
		p++;
	}
}

/* Queues UTF-8 text; RAW_MARK bytes become two 0xFF bytes, unconverted. */
static int
emit(struct hl_sample *s, const char *p, size_t n)
{
	struct writer *w = s->w;
	const char *mark;

	count_lines(w, p, n);
	while ((mark = memchr(p, RAW_MARK, n)) != NULL) {
		hl_buf_add(&w->pend, p, (size_t)(mark - p));
		if (flush_pending(s) != 0)
			return -1;
		if (fwrite("\xff\xff", 1, 2, w->f) != 2)
			return sample_fail(s, HL_SAMPLE_EIO,
					   "cannot write '%s': %s", w->path,
					   strerror(errno));
		n -= (size_t)(mark - p) + 1;
		p = mark + 1;
	}
	hl_buf_add(&w->pend, p, n);
	if (w->pend.len >= (1u << 18))
		return flush_pending(s);
	return 0;
}

static int
emit_row(struct hl_sample *s)
{
	const char *eol = s->o.crlf ? "\r\n" : "\n";

	if (emit(s, s->w->row.data, s->w->row.len) != 0)
		return -1;
	s->w->rows++;
	s->nrows++;
	return emit(s, eol, strlen(eol));
}

static int
open_file(struct hl_sample *s, const char *name)
{
	struct writer *w = s->w;
	struct hl_buf p = HL_BUF_INIT;
	int i;

	hl_buf_printf(&p, "%s/%s", s->o.outdir, name);
	free(w->path);
	w->path = hl_buf_detach(&p, NULL);
	w->name = w->path + strlen(s->o.outdir) + 1;
	w->f = fopen(w->path, "wb");
	if (w->f == NULL)
		return sample_fail(s, HL_SAMPLE_EIO, "cannot create '%s': %s",
				   w->path, strerror(errno));
	w->lines = 0;
	w->partial = 0;
	w->rows = 0;
	rng_seed(&w->dirt, s->o.seed, 0xd187ull, mix64(s->nfiles), 0);
	if (s->o.encoding == HL_ENC_UTF8_BOM)
		hl_buf_add(&w->pend, "\xef\xbb\xbf", 3);
	hl_buf_reset(&w->row);
	for (i = 0; i < ncols(s); i++) {
		if (i)
			hl_buf_addc(&w->row, ',');
		hl_buf_adds(&w->row,
			    i < N_FIELDS
				? headers[s->o.header_variant - 1]
					 [order[s->o.header_variant - 1][i]]
				: plant_header(i - N_FIELDS));
	}
	hl_buf_adds(&w->row, s->o.crlf ? "\r\n" : "\n");
	s->nfiles++;
	return emit(s, w->row.data, w->row.len);
}

static int
close_file(struct hl_sample *s)
{
	struct writer *w = s->w;
	int rc = flush_pending(s);

	if (w->f && fclose(w->f) != 0 && rc == 0)
		rc = sample_fail(s, HL_SAMPLE_EIO, "cannot write '%s': %s",
				 w->path, strerror(errno));
	w->f = NULL;
	if (rc == 0)
		json_array_append_new(
		    w->files, json_pack("{s:s, s:I, s:I}", "name", w->name,
					"rows", (json_int_t)w->rows, "lines",
					(json_int_t)w->lines + w->partial));
	return rc;
}

/* ---- faults ---- */

enum fault {
	FAULT_FIELD_COUNT,
	FAULT_BAD_DATE,
	FAULT_INVALID_BYTES,
	FAULT_STRAY_QUOTE,
	FAULT_DUPLICATE,
	FAULT_CLOSED_BEFORE,
	FAULT_UNTERMINATED
};

static const char *const fault_names[] = {
    "field_count",       "bad_date",           "invalid_bytes",
    "stray_quote",       "duplicate_conflict", "closed_before_accepted",
    "unterminated_quote"};

static void
fault_id(struct hl_sample *s, const struct ticket *t)
{
	struct writer *w = s->w;

	hl_buf_reset(&w->fv[F_ID]);
	put_id(&w->fv[F_ID], s->o.header_variant, t->accepted / 86400,
	       900000u + (uint32_t)(w->fault_seq++ % 100000));
}

static void
list_fault(struct hl_sample *s, enum fault k, unsigned long line)
{
	struct writer *w = s->w;

	json_array_append_new(
	    w->faults,
	    json_pack("{s:s, s:I, s:s, s:s, s:s}", "file", w->name, "line",
		      (json_int_t)line, "kind", fault_names[k], "ticket_id",
		      w->fv[F_ID].data, "expect",
		      k == FAULT_CLOSED_BEFORE ? "flag" : "reject"));
	s->nfaults++;
}

/* A faulty row modelled on ticket t (whose row was just written). */
static int
emit_fault(struct hl_sample *s, const struct ticket *t, hl_time at,
	   enum fault k)
{
	struct writer *w = s->w;
	struct rng *r = &w->dirt;
	unsigned raw = 0;
	int nfields = ncols(s), y, m, d;
	unsigned long line = w->lines + 1;
	struct tstate st;

	build_fields(s, t, at);
	ticket_state(t, at, &st);
	hl_civil_from_days(t->accepted / 86400, &y, &m, &d);
	if (k != FAULT_DUPLICATE)
		fault_id(s, t);
	switch (k) {
	case FAULT_FIELD_COUNT:
		if (rng_unit(r) < 0.5) {
			nfields = ncols(s) - 1;
		} else {
			nfields = ncols(s) + 1;
			hl_buf_reset(&w->fv[F_EXTRA]);
			hl_buf_adds(&w->fv[F_EXTRA], "备注");
		}
		break;
	case FAULT_BAD_DATE: {
		static const char *const bad[] = {
		    "%d-02-30 10:15:00", "%d-04-31 09:30:00",
		    "%d-06-15 25:10:00", "%d-13-05 08:00:00"};
		static const char *const bad_slash[] = {
		    "%d/2/30 10:15:00", "%d/4/31 9:30:00", "%d/6/15 25:10:00",
		    "%d/13/5 8:00:00"};
		size_t i = (size_t)rng_below(r, 4);

		hl_buf_reset(&w->fv[F_ACC]);
		hl_buf_printf(
		    &w->fv[F_ACC],
		    s->o.dates == HL_DATES_SLASH ? bad_slash[i] : bad[i], y);
		break;
	}
	case FAULT_INVALID_BYTES: {
		struct hl_buf *c = &w->fv[F_CONTENT];
		size_t cut = 0, i;

		/* After the third character of the content. */
		for (i = 0; i < 3 && cut < c->len; i++) {
			cut++;
			while (cut < c->len && (c->data[cut] & 0xC0) == 0x80)
				cut++;
		}
		hl_buf_reset(&w->tmp);
		hl_buf_add(&w->tmp, c->data, cut);
		hl_buf_addc(&w->tmp, RAW_MARK);
		hl_buf_adds(&w->tmp, c->data + cut);
		hl_buf_reset(c);
		hl_buf_add(c, w->tmp.data, w->tmp.len);
		break;
	}
	case FAULT_STRAY_QUOTE: {
		struct hl_buf *f = &w->fv[F_STREET];

		hl_buf_reset(&w->tmp);
		hl_buf_add(&w->tmp, f->data, 3); /* one CJK character */
		hl_buf_addc(&w->tmp, '"');
		hl_buf_adds(&w->tmp, f->data + 3);
		hl_buf_reset(f);
		hl_buf_add(f, w->tmp.data, w->tmp.len);
		raw = 1u << F_STREET;
		break;
	}
	case FAULT_DUPLICATE: {
		/* Same ID, but closed a day later (or closed at all). */
		struct hl_buf *f = &w->fv[F_CLOSED];
		hl_time c = st.closed != NO_TIME ? st.closed + 86400
						 : t->accepted + 2 * 86400;

		hl_buf_reset(f);
		put_time(f, c, s->o.dates, 0);
		hl_buf_reset(&w->fv[F_STATUS]);
		hl_buf_adds(&w->fv[F_STATUS], "已办结");
		break;
	}
	case FAULT_CLOSED_BEFORE: {
		struct hl_buf *f = &w->fv[F_CLOSED];

		hl_buf_reset(f);
		put_time(f,
			 t->accepted - 3600 - (hl_time)rng_below(r, 3 * 86400),
			 s->o.dates, 0);
		hl_buf_reset(&w->fv[F_STATUS]);
		hl_buf_adds(&w->fv[F_STATUS], "已办结");
		break;
	}
	case FAULT_UNTERMINATED: {
		/* The export was cut inside the content's quotes. */
		int i, pos = 0;
		const struct hl_buf *c = &w->fv[F_CONTENT];

		for (i = 0; i < ncols(s); i++)
			if (col_field(s, i) == F_CONTENT)
				pos = i;
		join_row(s, 0, pos);
		hl_buf_adds(&w->row, pos ? ",\"" : "\"");
		hl_buf_reset(&w->tmp);
		add_truncated(&w->tmp, c->data, 12);
		for (i = 0; (size_t)i < w->tmp.len; i++) {
			if (w->tmp.data[i] == '"')
				hl_buf_addc(&w->row, '"');
			hl_buf_addc(&w->row, w->tmp.data[i]);
		}
		list_fault(s, k, line);
		w->rows++;
		w->partial = 1;
		s->nrows++;
		return emit(s, w->row.data, w->row.len);
	}
	}
	join_row(s, raw, nfields);
	list_fault(s, k, line);
	return emit_row(s);
}

/* Writes one ticket as seen at time `at`, and maybe a fault after it. */
static int
write_ticket(struct hl_sample *s, const struct ticket *t, hl_time at)
{
	struct writer *w = s->w;

	build_fields(s, t, at);
	join_row(s, 0, ncols(s));
	if (emit_row(s) != 0)
		return -1;
	if (s->o.dirt > 0 && rng_unit(&w->dirt) < s->o.dirt)
		return emit_fault(
		    s, t, at,
		    (enum fault)rng_below(&w->dirt, FAULT_UNTERMINATED));
	return 0;
}

/* Ends a file, cutting it short inside a quoted field now and then. */
static int
finish_file(struct hl_sample *s, const struct ticket *last, hl_time at,
	    double p_cut)
{
	if (s->o.dirt > 0 && last && rng_unit(&s->w->dirt) < p_cut &&
	    emit_fault(s, last, at, FAULT_UNTERMINATED) != 0)
		return -1;
	return close_file(s);
}

/* ---- numbering and repeat-call links ---- */

void
number_and_link(struct hl_sample *s)
{
	struct writer *w = s->w;
	int64_t day = -1;
	uint32_t seq = 0;
	size_t i;

	for (i = 0; i < s->nbatch; i++) {
		struct ticket *t = &s->batch[i];
		int d = t->district;
		uint64_t h = mix64(t->seed ^ 0x5e9ull);

		if (t->accepted / 86400 != day) {
			day = t->accepted / 86400;
			seq = 0;
		}
		t->seq = ++seq;
		/* About one call in ten repeats an earlier one (planting
		 * analyses, only the planted chains do: plant.c). */
		if (!s->o.plant && w->ring_n[d] && h % 100 < 10) {
			unsigned j, pick = (unsigned)((h >> 8) % w->ring_n[d]);

			for (j = 0; j < 8; j++) {
				unsigned c = (unsigned)((h >> (12 + 4 * j)) %
							w->ring_n[d]);

				if (w->ring[d][c].topic == t->topic) {
					pick = c;
					break;
				}
			}
			t->ref_day = w->ring[d][pick].day;
			t->ref_seq = w->ring[d][pick].seq;
			t->ref_seed = w->ring[d][pick].seed;
			t->ref_topic = w->ring[d][pick].topic;
			t->ref_street = w->ring[d][pick].street;
		}
		{
			struct ringent *e = &w->ring[d][w->ring_pos[d]];

			e->day = (int32_t)day;
			e->seq = t->seq;
			e->seed = t->seed;
			e->topic = t->topic;
			e->street = t->street;
			w->ring_pos[d] = (w->ring_pos[d] + 1) % RING;
			if (w->ring_n[d] < RING)
				w->ring_n[d]++;
		}
	}
}

/* ---- nightly ---- */

static hl_time
last_event(const struct ticket *t)
{
	hl_time m = t->closed;

	if (t->callback != NO_TIME && t->callback > m)
		m = t->callback;
	return m;
}

static int
in_day(hl_time x, hl_time lo, hl_time hi)
{
	return x != NO_TIME && x >= lo && x <= hi;
}

static int
has_event(const struct ticket *t, hl_time lo, hl_time hi)
{
	return in_day(t->accepted, lo, hi) || in_day(t->dispatched, lo, hi) ||
	       in_day(t->signed_at, lo, hi) ||
	       (t->reopen_eff >= 1 &&
		(in_day(t->c1, lo, hi) || in_day(t->r1, lo, hi))) ||
	       (t->reopen_eff >= 2 &&
		(in_day(t->c2, lo, hi) || in_day(t->r2, lo, hi))) ||
	       in_day(t->closed, lo, hi) || in_day(t->callback, lo, hi);
}

static int
write_day(struct hl_sample *s, int64_t day)
{
	struct writer *w = s->w;
	hl_time lo = day * 86400, hi = lo + 86399;
	hl_time at = hi < s->export_time ? hi : s->export_time;
	const struct ticket *last = NULL;
	char name[64];
	int y, m, d;
	size_t i, k = 0;

	hl_civil_from_days(day, &y, &m, &d);
	snprintf(name, sizeof(name), "nightly/gz12345-%04d%02d%02d.csv",
		 y % 10000, m % 100, d % 100);
	if (open_file(s, name) != 0)
		return -1;
	for (i = 0; i < w->npool; i++) {
		const struct ticket *t = &w->pool[i];

		if (!has_event(t, lo, at))
			continue;
		if (write_ticket(s, t, at) != 0)
			return -1;
		last = t;
	}
	if (finish_file(s, last, at, 0.02) != 0)
		return -1;
	/* Tickets with nothing left to happen leave the pool. */
	for (i = 0; i < w->npool; i++)
		if (last_event(&w->pool[i]) > hi)
			w->pool[k++] = w->pool[i];
	w->npool = k;
	return 0;
}

/* ---- the interface to the planner ---- */

int
writer_open(struct hl_sample *s)
{
	struct writer *w = hl_xcalloc(1, sizeof(*w));
	int i;

	s->w = w;
	w->cd = (iconv_t)-1;
	hl_buf_init(&w->pend);
	hl_buf_init(&w->conv);
	hl_buf_init(&w->row);
	hl_buf_init(&w->tmp);
	for (i = 0; i <= N_ALL; i++)
		hl_buf_init(&w->fv[i]);
	w->files = json_array();
	w->faults = json_array();
	if (s->o.encoding == HL_ENC_GB18030) {
		w->cd = iconv_open("GB18030", "UTF-8");
		if (w->cd == (iconv_t)-1)
			return sample_fail(s, HL_SAMPLE_EICONV,
					   "cannot convert to GB18030: %s",
					   strerror(errno));
	}
	if (s->o.nightly) {
		struct hl_buf p = HL_BUF_INIT;

		hl_buf_printf(&p, "%s/nightly", s->o.outdir);
		if (mkdir(p.data, 0777) != 0 && errno != EEXIST) {
			sample_fail(s, HL_SAMPLE_EIO, "cannot create '%s': %s",
				    p.data, strerror(errno));
			hl_buf_release(&p);
			return -1;
		}
		hl_buf_release(&p);
		w->next_day = hl_days_from_civil(s->o.first_year, 1, 1);
	}
	return 0;
}

int
writer_year_begin(struct hl_sample *s, int y)
{
	char name[32];

	if (s->o.nightly)
		return 0;
	snprintf(name, sizeof(name), "gz12345-%04d.csv", y % 10000);
	return open_file(s, name);
}

int
writer_month(struct hl_sample *s, int y, int m)
{
	struct writer *w = s->w;
	size_t i;
	int64_t end;

	if (!s->o.nightly) {
		for (i = 0; i < s->nbatch; i++)
			if (write_ticket(s, &s->batch[i], s->export_time) != 0)
				return -1;
		return 0;
	}
	if (w->npool + s->nbatch > w->pool_cap) {
		while (w->pool_cap < w->npool + s->nbatch)
			w->pool_cap = w->pool_cap ? w->pool_cap * 2 : 65536;
		w->pool = hl_xrealloc(w->pool, w->pool_cap * sizeof(*w->pool));
	}
	memcpy(w->pool + w->npool, s->batch, s->nbatch * sizeof(*s->batch));
	w->npool += s->nbatch;
	end = hl_days_from_civil(y, m, 1) + hl_days_in_month(y, m);
	for (; w->next_day < end; w->next_day++)
		if (write_day(s, w->next_day) != 0)
			return -1;
	return 0;
}

int
writer_year_end(struct hl_sample *s, int y)
{
	(void)y;
	if (s->o.nightly)
		return 0;
	return finish_file(s, s->nbatch ? &s->batch[s->nbatch - 1] : NULL,
			   s->export_time, 1.0);
}

void
writer_free(struct hl_sample *s)
{
	struct writer *w = s->w;
	int i;

	if (w == NULL)
		return;
	if (w->f)
		fclose(w->f);
	if (w->cd != (iconv_t)-1)
		iconv_close(w->cd);
	hl_buf_release(&w->pend);
	hl_buf_release(&w->conv);
	hl_buf_release(&w->row);
	hl_buf_release(&w->tmp);
	for (i = 0; i <= N_ALL; i++)
		hl_buf_release(&w->fv[i]);
	json_decref(w->files);
	json_decref(w->faults);
	free(w->pool);
	free(w->path);
	free(w);
	s->w = NULL;
}

int
writer_close(struct hl_sample *s)
{
	struct writer *w = s->w;

	if (s->o.nightly) {
		int64_t last = s->export_time / 86400;

		for (; w->next_day <= last; w->next_day++)
			if (write_day(s, w->next_day) != 0)
				return -1;
	}
	return 0;
}

void
writer_manifest(struct hl_sample *s, void *files, void *faults)
{
	*(json_t **)files = json_incref(s->w->files);
	*(json_t **)faults = json_incref(s->w->faults);
}
