/*
 * check_sample.c - tests of the sample generator through its public
 * interface: determinism, every option, the encodings (GB18030 with
 * characters outside GBK), the line ends, the date styles, the header
 * variants, the injected faults and the nightly split.
 *
 * The files are read back with libcsv and the test's own little parsers,
 * never with the generator's code.  The figures themselves are checked by
 * tests/tools/verify_sample.py, an independent implementation.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "sample-data/sample.h"
#include "util/util.h"

/* ---- helpers ---- */

static char *
tmpdir(void)
{
	char tmpl[] = "/tmp/hl-sample-XXXXXX";
	char *d = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(d);
	return hl_xstrdup(d);
}

/* Small data: a thousandth of the city, uncalibrated, one year. */
static void
small_opts(struct hl_sample_opts *o, const char *dir)
{
	hl_sample_opts_init(o);
	o->outdir = dir;
	o->scale = 0.002;
	o->calibrate = 0;
	o->first_year = 2022;
	o->last_year = 2022;
}

static void
generate(const struct hl_sample_opts *o, struct hl_sample_stats *st)
{
	struct hl_sample *s = hl_sample_new(o);
	struct hl_sample_stats tmp;
	int rc = hl_sample_run(s, st ? st : &tmp);

	ck_assert_msg(rc == 0, "hl_sample_run: %s", hl_sample_errmsg(s));
	hl_sample_free(s);
}

static char *
slurp(const char *dir, const char *name, size_t *len)
{
	struct hl_buf b = HL_BUF_INIT, path = HL_BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *f;

	hl_buf_printf(&path, "%s/%s", dir, name);
	f = fopen(path.data, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path.data);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hl_buf_add(&b, chunk, n);
	fclose(f);
	hl_buf_release(&path);
	return hl_buf_detach(&b, len);
}

/* Records of a CSV text as read by libcsv: rows of NUL-terminated fields. */
struct table {
	char ***rows;
	size_t *nf;
	size_t n, cap;
	char **cur;
	size_t curn;
};

static void
on_field(void *s, size_t len, void *data)
{
	struct table *t = data;

	t->cur = hl_xrealloc(t->cur, (t->curn + 1) * sizeof(*t->cur));
	t->cur[t->curn] = hl_xmalloc(len + 1);
	memcpy(t->cur[t->curn], s, len);
	t->cur[t->curn][len] = '\0';
	t->curn++;
}

static void
on_record(int c, void *data)
{
	struct table *t = data;

	(void)c;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->rows = hl_xrealloc(t->rows, t->cap * sizeof(*t->rows));
		t->nf = hl_xrealloc(t->nf, t->cap * sizeof(*t->nf));
	}
	t->rows[t->n] = t->cur;
	t->nf[t->n] = t->curn;
	t->n++;
	t->cur = NULL;
	t->curn = 0;
}

static void
parse_csv(const char *text, size_t len, struct table *t)
{
	struct csv_parser p;

	memset(t, 0, sizeof(*t));
	ck_assert_int_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	ck_assert_msg(csv_parse(&p, text, len, on_field, on_record, t) == len,
		      "libcsv: %s", csv_strerror(csv_error(&p)));
	ck_assert_int_eq(csv_fini(&p, on_field, on_record, t), 0);
	csv_free(&p);
}

static void
table_free(struct table *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->nf[i]; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	free(t->rows);
	free(t->nf);
}

static int
column(const struct table *t, const char *header)
{
	size_t j;

	for (j = 0; j < t->nf[0]; j++)
		if (strcmp(t->rows[0][j], header) == 0)
			return (int)j;
	ck_abort_msg("no column '%s'", header);
	return -1;
}

static json_t *
manifest(const char *dir)
{
	struct hl_buf path = HL_BUF_INIT;
	json_error_t err;
	json_t *m;

	hl_buf_printf(&path, "%s/manifest.json", dir);
	m = json_load_file(path.data, 0, &err);
	ck_assert_msg(m != NULL, "manifest: %s", err.text);
	hl_buf_release(&path);
	return m;
}

static void
rm_rf(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct hl_buf p = HL_BUF_INIT;
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		hl_buf_printf(&p, "%s/%s", dir, e->d_name);
		if (lstat(p.data, &st) == 0 && S_ISDIR(st.st_mode))
			rm_rf(p.data);
		else
			unlink(p.data);
		hl_buf_release(&p);
	}
	closedir(d);
	rmdir(dir);
}

/* Removes a directory made by tmpdir() and frees its name. */
static void
drop_dir(char *dir)
{
	rm_rf(dir);
	free(dir);
}

/* ---- determinism ---- */

START_TEST(test_same_options_same_bytes)
{
	char *a = tmpdir(), *b = tmpdir(), *c = tmpdir();
	struct hl_sample_opts o;
	size_t la, lb, lc;
	char *fa, *fb, *fc;

	small_opts(&o, a);
	o.dirt = 0.01;
	generate(&o, NULL);
	o.outdir = b;
	generate(&o, NULL);
	o.outdir = c;
	o.seed = 7;
	generate(&o, NULL);
	fa = slurp(a, "gz12345-2022.csv", &la);
	fb = slurp(b, "gz12345-2022.csv", &lb);
	fc = slurp(c, "gz12345-2022.csv", &lc);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(fa, fb, la), 0);
	ck_assert(la != lc || memcmp(fa, fc, la) != 0);
	free(fa);
	free(fb);
	fa = slurp(a, "manifest.json", &la);
	fb = slurp(b, "manifest.json", &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(fa, fb, la), 0);
	free(fa);
	free(fb);
	free(fc);
	drop_dir(a);
	drop_dir(b);
	drop_dir(c);
}
END_TEST

/* The manifest's file list matches what is on disk, row for row. */
START_TEST(test_manifest_files)
{
	char *a = tmpdir();
	struct hl_sample_opts o;
	struct hl_sample_stats st;
	json_t *m, *f;
	size_t i, len, total = 0;

	small_opts(&o, a);
	o.first_year = 2021;
	generate(&o, &st);
	m = manifest(a);
	ck_assert_uint_eq(json_array_size(json_object_get(m, "files")), 2);
	json_array_foreach(json_object_get(m, "files"), i, f)
	{
		char *text = slurp(
		    a, json_string_value(json_object_get(f, "name")), &len);
		struct table t;

		parse_csv(text, len, &t);
		ck_assert_int_eq(json_integer_value(json_object_get(f, "rows")),
				 (json_int_t)t.n - 1);
		total += t.n - 1;
		table_free(&t);
		free(text);
	}
	ck_assert_uint_eq(total, st.rows);
	ck_assert_uint_eq(st.files, 2);
	json_decref(m);
	drop_dir(a);
}
END_TEST

/* ---- encodings and line ends ---- */

static char *
convert(const char *to, const char *from, const char *in, size_t len,
	size_t *outlen)
{
	iconv_t cd = iconv_open(to, from);
	char *out, *op, *ip = (char *)in;
	size_t oleft = len * 4 + 16, ileft = len;

	ck_assert(cd != (iconv_t)-1);
	out = op = hl_xmalloc(oleft);
	if (iconv(cd, &ip, &ileft, &op, &oleft) == (size_t)-1) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	return out;
}

static const void *
find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i;

	for (i = 0; i + nlen <= hlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return hay + i;
	return NULL;
}

START_TEST(test_encodings)
{
	char *a = tmpdir(), *b = tmpdir(), *c = tmpdir();
	struct hl_sample_opts o;
	size_t la, lb, lc, lu, lg;
	char *fa, *fb, *fc, *back, *g;
	static const char rare[] = "𠮷"; /* U+20BB7, not in GBK */

	small_opts(&o, a);
	generate(&o, NULL);
	o.outdir = b;
	o.encoding = HL_ENC_UTF8_BOM;
	generate(&o, NULL);
	o.outdir = c;
	o.encoding = HL_ENC_GB18030;
	generate(&o, NULL);
	fa = slurp(a, "gz12345-2022.csv", &la);
	fb = slurp(b, "gz12345-2022.csv", &lb);
	fc = slurp(c, "gz12345-2022.csv", &lc);

	/* BOM + the UTF-8 bytes. */
	ck_assert_uint_eq(lb, la + 3);
	ck_assert_int_eq(memcmp(fb, "\xef\xbb\xbf", 3), 0);
	ck_assert_int_eq(memcmp(fb + 3, fa, la), 0);

	/* GB18030 decodes back to exactly the UTF-8 file... */
	ck_assert(lc != la);
	back = convert("UTF-8", "GB18030", fc, lc, &lu);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(lu, la);
	ck_assert_int_eq(memcmp(back, fa, la), 0);
	/* ...and holds a character GBK cannot encode, as four bytes. */
	ck_assert_ptr_nonnull(find_bytes(fa, la, rare, strlen(rare)));
	ck_assert_ptr_null(convert("GBK", "UTF-8", rare, strlen(rare), &lg));
	g = convert("GB18030", "UTF-8", rare, strlen(rare), &lg);
	ck_assert_uint_eq(lg, 4);
	ck_assert_ptr_nonnull(find_bytes(fc, lc, g, lg));
	free(g);
	free(back);
	free(fa);
	free(fb);
	free(fc);
	drop_dir(a);
	drop_dir(b);
	drop_dir(c);
}
END_TEST

START_TEST(test_line_ends)
{
	char *a = tmpdir(), *b = tmpdir();
	struct hl_sample_opts o;
	size_t la, lb, i, j, crlf = 0, inner = 0;
	char *fa, *fb;
	struct table t;

	small_opts(&o, a);
	generate(&o, NULL);
	o.outdir = b;
	o.crlf = 0;
	generate(&o, NULL);
	fa = slurp(a, "gz12345-2022.csv", &la);
	fb = slurp(b, "gz12345-2022.csv", &lb);
	for (i = 0; i < la; i++)
		if (fa[i] == '\n') {
			ck_assert_msg(i > 0 && fa[i - 1] == '\r',
				      "bare LF at byte %zu of a CRLF file", i);
			crlf++;
		}
	ck_assert_ptr_null(memchr(fb, '\r', lb));
	/* The LF file is the CRLF file with every CR dropped. */
	ck_assert_uint_eq(lb, la - crlf);
	for (i = 0, j = 0; i < la && (fa[i] == '\r' || fa[i] == fb[j]); i++)
		j += fa[i] != '\r';
	ck_assert_uint_eq(i, la);
	/* Some contents span lines, so records and lines differ. */
	parse_csv(fb, lb, &t);
	for (i = 1; i < t.n; i++)
		inner += strchr(t.rows[i][15], '\n') != NULL;
	ck_assert_uint_gt(inner, 0);
	ck_assert_uint_eq(crlf, t.n + inner);
	table_free(&t);
	free(fa);
	free(fb);
	drop_dir(a);
	drop_dir(b);
}
END_TEST

/* ---- dates ---- */

/*
 * The test's own reading of a time cell: ISO, slash with or without
 * seconds and padding, or an Excel serial with six decimals.  Returns
 * seconds since 1970-01-01 CST, or INT64_MIN for an empty cell.
 */
static int64_t
read_time(const char *s)
{
	int y, mo, d, h, mi, sec = 0, n = 0;
	long long days, frac;
	char sep;

	if (*s == '\0')
		return INT64_MIN;
	if (strchr(s, '.') && !strchr(s, ' ')) {
		ck_assert_msg(
		    sscanf(s, "%lld.%6lld%n", &days, &frac, &n) == 2 &&
			s[n] == '\0' && strlen(strchr(s, '.') + 1) == 6,
		    "bad serial '%s'", s);
		/* Nearest second to frac/10^6 of a day. */
		return (days - 25569) * 86400 +
		       (frac * 86400 + 500000) / 1000000;
	}
	if (sscanf(s, "%d%c%d%*c%d %d:%d:%d%n", &y, &sep, &mo, &d, &h, &mi,
		   &sec, &n) == 7 &&
	    s[n] == '\0') {
		/* with seconds */
	} else {
		sec = 0;
		ck_assert_msg(sscanf(s, "%d%c%d%*c%d %d:%d%n", &y, &sep, &mo,
				     &d, &h, &mi, &n) == 6 &&
				  s[n] == '\0' && sep == '/',
			      "bad time '%s'", s);
	}
	ck_assert(sep == '-' || sep == '/');
	if (sep == '-')
		ck_assert_msg(strlen(s) == 19, "unpadded ISO time '%s'", s);
	return hl_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

static const char *const time_headers[] = {"受理时间", "派单时间", "签收时间",
					   "办理时限", "办结时间"};

static const enum hl_sample_dates styles[] = {HL_DATES_SLASH, HL_DATES_EXCEL,
					      HL_DATES_MIXED};

START_TEST(test_date_styles)
{
	char *a = tmpdir(), *b = tmpdir();
	struct hl_sample_opts o;
	struct table ta, tb;
	size_t la, lb, i, k;
	char *fa, *fb;
	int shapes[4] = {0, 0, 0, 0};

	small_opts(&o, a);
	generate(&o, NULL);
	o.outdir = b;
	o.dates = styles[_i];
	generate(&o, NULL);
	fa = slurp(a, "gz12345-2022.csv", &la);
	fb = slurp(b, "gz12345-2022.csv", &lb);
	parse_csv(fa, la, &ta);
	parse_csv(fb, lb, &tb);
	ck_assert_uint_eq(ta.n, tb.n);
	for (k = 0; k < HL_ARRAY_LEN(time_headers); k++) {
		int ca = column(&ta, time_headers[k]);

		for (i = 1; i < ta.n; i++) {
			const char *cell = tb.rows[i][ca];

			ck_assert_int_eq(read_time(ta.rows[i][ca]),
					 read_time(cell));
			if (*cell == '\0')
				continue;
			shapes[strchr(cell, '-')                ? 0
			       : !strchr(cell, '/')             ? 1
			       : strlen(strrchr(cell, ' ')) > 6 ? 2
								: 3]++;
		}
	}
	if (o.dates == HL_DATES_SLASH)
		ck_assert(shapes[2] > 0 &&
			  shapes[0] + shapes[1] + shapes[3] == 0);
	if (o.dates == HL_DATES_EXCEL)
		ck_assert(shapes[1] > 0 &&
			  shapes[0] + shapes[2] + shapes[3] == 0);
	if (o.dates == HL_DATES_MIXED)
		ck_assert(shapes[0] && shapes[1] && shapes[2] && shapes[3]);
	table_free(&ta);
	table_free(&tb);
	free(fa);
	free(fb);
	drop_dir(a);
	drop_dir(b);
}
END_TEST

/* ---- header variants ---- */

static const char *const header_rows[3] = {
    "工单编号,受理时间,来源渠道,诉求类型,是否重点工单,所属区,所属街道,"
    "承办单位,派单时间,签收时间,办理时限,办结时间,工单状态,满意度,重办次数,"
    "诉求内容",
    "12345工单编号,来电时间,工单来源,工单类型,工单级别,区域,镇街,主办单位,"
    "转办时间,签收时间,办结时限,结案时间,案件状态,回访结果,是否重办,内容描述",
    "工单号,登记时间,被反映区,被反映街乡镇,来电类别,事项内容,受理渠道,"
    "是否重点工单,实际承办单位,派遣时间,签收时间,截止时间,办结日期,工单状态,"
    "评价结果,重办次数",
};

/* Variant-independent columns: variant 1 name, variant 2/3 names. */
static const char *const same[][3] = {
    {"受理时间", "来电时间", "登记时间"},
    {"所属区", "区域", "被反映区"},
    {"所属街道", "镇街", "被反映街乡镇"},
    {"承办单位", "主办单位", "实际承办单位"},
    {"诉求内容", "内容描述", "事项内容"},
    {"来源渠道", "工单来源", "受理渠道"},
};

static int
in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

START_TEST(test_header_variants)
{
	static const char *const key2[] = {"重点", "普通", NULL};
	static const char *const key3[] = {"1", "0", NULL};
	static const char *const cat2[] = {"咨询类", "求助类",     "投诉类",
					   "举报类", "意见建议类", "感谢类",
					   "其它类", NULL};
	static const char *const sat2[] = {"非常满意", "满意",       "基本满意",
					   "不满意",   "非常不满意", "未回访",
					   "无法回访", "-",          NULL};
	static const char *const sat3[] = {
	    "满意", "基本满意", "不满意", "未评价", "有争议", "无", NULL};
	static const char *const yes2[] = {"是", "否", NULL};
	int v = _i, k;
	char *a = tmpdir(), *b = tmpdir();
	struct hl_sample_opts o;
	struct table ta, tb;
	size_t la, lb, i;
	char *fa, *fb;

	small_opts(&o, a);
	generate(&o, NULL);
	o.outdir = b;
	o.header_variant = v;
	generate(&o, NULL);
	fa = slurp(a, "gz12345-2022.csv", &la);
	fb = slurp(b, "gz12345-2022.csv", &lb);
	ck_assert_int_eq(
	    strncmp(fb, header_rows[v - 1], strlen(header_rows[v - 1])), 0);
	ck_assert_int_eq(fb[strlen(header_rows[v - 1])], '\r');
	parse_csv(fa, la, &ta);
	parse_csv(fb, lb, &tb);
	ck_assert_uint_eq(ta.n, tb.n);
	for (i = 1; i < tb.n; i++) {
		ck_assert_uint_eq(tb.nf[i], 16);
		for (k = 0; k < (int)HL_ARRAY_LEN(same); k++)
			ck_assert_str_eq(
			    ta.rows[i][column(&ta, same[k][0])],
			    tb.rows[i][column(&tb, same[k][v - 1])]);
		if (v == 2) {
			ck_assert_int_eq(strncmp(tb.rows[i][0], "GZ", 2), 0);
			ck_assert_str_eq(tb.rows[i][0] + 2, ta.rows[i][0]);
			ck_assert(
			    in_list(tb.rows[i][column(&tb, "工单级别")], key2));
			ck_assert(
			    in_list(tb.rows[i][column(&tb, "工单类型")], cat2));
			ck_assert(
			    in_list(tb.rows[i][column(&tb, "回访结果")], sat2));
			ck_assert(
			    in_list(tb.rows[i][column(&tb, "是否重办")], yes2));
		} else if (v == 3) {
			ck_assert_str_eq(tb.rows[i][0], ta.rows[i][0]);
			ck_assert(in_list(
			    tb.rows[i][column(&tb, "是否重点工单")], key3));
			ck_assert(
			    in_list(tb.rows[i][column(&tb, "评价结果")], sat3));
		}
	}
	table_free(&ta);
	table_free(&tb);
	free(fa);
	free(fb);
	drop_dir(a);
	drop_dir(b);
}
END_TEST

/* ---- faults ---- */

/* Lines of a text, as pointers into it (the text is modified). */
static char **
split_lines(char *text, size_t len, size_t *n)
{
	char **v = NULL, *p = text, *e = text + len;

	*n = 0;
	while (p < e) {
		char *nl = memchr(p, '\n', (size_t)(e - p));

		v = hl_xrealloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return v;
}

START_TEST(test_faults)
{
	static const char *const kinds[] = {
	    "field_count",       "bad_date",           "invalid_bytes",
	    "stray_quote",       "duplicate_conflict", "closed_before_accepted",
	    "unterminated_quote"};
	char *a = tmpdir(), *b = tmpdir();
	struct hl_sample_opts o;
	struct hl_sample_stats st;
	size_t la, lb, na, nb, i, j = 0, k, seen[7] = {0}, nf;
	char *fa, *fb, **la_v, **lb_v;
	json_t *m, *faults, *f;

	small_opts(&o, a);
	generate(&o, NULL);
	o.outdir = b;
	o.dirt = 0.05;
	generate(&o, &st);
	m = manifest(b);
	faults = json_object_get(m, "faults");
	nf = json_array_size(faults);
	ck_assert_uint_eq(nf, st.faults);
	/* About 5 % of the rows, well inside binomial bounds. */
	ck_assert_uint_gt(nf, (st.rows - nf) * 3 / 100);
	ck_assert_uint_lt(nf, (st.rows - nf) * 7 / 100);

	/*
	 * The dirty file is the clean file with the listed records inserted:
	 * drop each listed record (from its line up to the line where the
	 * next clean record starts) and the clean lines remain, in order.
	 */
	fa = slurp(a, "gz12345-2022.csv", &la);
	fb = slurp(b, "gz12345-2022.csv", &lb);
	la_v = split_lines(fa, la, &na);
	lb_v = split_lines(fb, lb, &nb);
	json_array_foreach(faults, k, f)
	{
		const char *kind =
		    json_string_value(json_object_get(f, "kind"));
		json_int_t line =
		    json_integer_value(json_object_get(f, "line"));
		size_t x;

		for (x = 0; x < HL_ARRAY_LEN(kinds); x++)
			if (strcmp(kind, kinds[x]) == 0)
				seen[x]++;
		ck_assert_str_eq(
		    json_string_value(json_object_get(f, "expect")),
		    strcmp(kind, "closed_before_accepted") == 0 ? "flag"
								: "reject");
		ck_assert_str_eq(json_string_value(json_object_get(f, "file")),
				 "gz12345-2022.csv");
		/* The record starts with its ticket ID. */
		ck_assert_int_eq(
		    strncmp(lb_v[line - 1],
			    json_string_value(json_object_get(f, "ticket_id")),
			    14),
		    0);
		lb_v[line - 1] = NULL; /* start of a fault record */
	}
	for (i = 0; i < nb; i++) {
		if (lb_v[i] == NULL) {
			/* Skip to the next clean line's start: the line the
			 * clean file has next (a record start or a content
			 * continuation cannot match by accident: each starts
			 * with the 14-digit ID of a ticket). */
			while (i + 1 < nb && lb_v[i + 1] != NULL &&
			       (j >= na || strcmp(lb_v[i + 1], la_v[j]) != 0))
				i++;
			continue;
		}
		ck_assert_msg(
		    j < na && strcmp(lb_v[i], la_v[j]) == 0,
		    "dirty line %zu is neither clean line %zu nor a fault",
		    i + 1, j + 1);
		j++;
	}
	ck_assert_uint_eq(j, na);
	for (k = 0; k < HL_ARRAY_LEN(kinds); k++)
		ck_assert_msg(seen[k] > 0, "no fault of kind %s", kinds[k]);
	/* The truncated record ends the file, inside quotes, unterminated. */
	ck_assert_int_ne(fb[lb - 1], '\n');
	free(la_v);
	free(lb_v);
	json_decref(m);
	free(fa);
	free(fb);
	drop_dir(a);
	drop_dir(b);
}
END_TEST

/* ---- nightly ---- */

static void
row_key(char **row, struct hl_buf *b)
{
	int j;

	hl_buf_reset(b);
	for (j = 0; j < 16; j++) {
		hl_buf_adds(b, row[j]);
		hl_buf_addc(b, '\x1f');
	}
}

START_TEST(test_nightly)
{
	char *a = tmpdir(), *b = tmpdir();
	struct hl_sample_opts o;
	struct hl_sample_stats st;
	struct table ty;
	size_t ly, i, nfiles = 0, nrows = 0, updates = 0;
	char *fy, **ids, **last;
	struct hl_buf key = HL_BUF_INIT;
	int64_t day, end;
	json_t *m;

	small_opts(&o, a);
	generate(&o, NULL);
	o.outdir = b;
	o.nightly = 1;
	generate(&o, &st);
	fy = slurp(a, "gz12345-2022.csv", &ly);
	parse_csv(fy, ly, &ty);
	ids = hl_xcalloc(ty.n, sizeof(*ids));
	last = hl_xcalloc(ty.n, sizeof(*last));
	for (i = 1; i < ty.n; i++)
		ids[i] = ty.rows[i][0];

	/* One file per day from 2022-01-01 to the export day 2023-01-15. */
	end = hl_days_from_civil(2023, 1, 15);
	for (day = hl_days_from_civil(2022, 1, 1); day <= end; day++) {
		char name[64];
		int y, mo, d;
		struct table t;
		size_t len;
		char *text;

		hl_civil_from_days(day, &y, &mo, &d);
		snprintf(name, sizeof(name), "nightly/gz12345-%04d%02d%02d.csv",
			 y, mo, d);
		text = slurp(b, name, &len);
		parse_csv(text, len, &t);
		nfiles++;
		for (i = 1; i < t.n; i++) {
			/* IDs are unique and in order in the yearly file:
			 * find this one by binary search. */
			size_t lo = 1, hi = ty.n;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (strcmp(ids[mid], t.rows[i][0]) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			ck_assert_msg(
			    lo < ty.n && strcmp(ids[lo], t.rows[i][0]) == 0,
			    "%s: unknown ticket %s", name, t.rows[i][0]);
			if (last[lo])
				updates++;
			row_key(t.rows[i], &key);
			free(last[lo]);
			last[lo] = hl_xstrdup(key.data);
			nrows++;
		}
		table_free(&t);
		free(text);
	}
	ck_assert_uint_eq(nfiles, st.files);
	ck_assert_uint_eq(nrows, st.rows);
	/* Tickets come back when they change. */
	ck_assert_uint_gt(updates, ty.n);
	/* The latest row of every ticket is its row in the yearly export. */
	for (i = 1; i < ty.n; i++) {
		ck_assert_msg(last[i] != NULL, "ticket %s never appeared",
			      ids[i]);
		row_key(ty.rows[i], &key);
		ck_assert_str_eq(last[i], key.data);
		free(last[i]);
	}
	m = manifest(b);
	ck_assert_uint_eq(json_array_size(json_object_get(m, "files")), nfiles);
	json_decref(m);
	hl_buf_release(&key);
	free(ids);
	free(last);
	table_free(&ty);
	free(fy);
	drop_dir(a);
	drop_dir(b);
}
END_TEST

/* ---- scale, years, errors ---- */

START_TEST(test_scale_and_years)
{
	char *a = tmpdir(), *b = tmpdir();
	struct hl_sample_opts o;
	struct hl_sample_stats s1, s2;
	struct stat st;
	struct hl_buf p = HL_BUF_INIT;

	small_opts(&o, a);
	o.first_year = 2020;
	o.last_year = 2023;
	generate(&o, &s1);
	ck_assert_uint_eq(s1.files, 4);
	hl_buf_printf(&p, "%s/gz12345-2020.csv", a);
	ck_assert_int_eq(stat(p.data, &st), 0);
	small_opts(&o, b);
	o.scale = 0.004;
	generate(&o, &s2);
	ck_assert_uint_eq(s2.files, 1);
	/* Twice the scale, about twice a year's rows. */
	ck_assert_uint_gt(s2.rows * 4, s1.rows / 4 * 7);
	ck_assert_uint_lt(s2.rows * 4, s1.rows / 4 * 9);
	hl_buf_release(&p);
	drop_dir(a);
	drop_dir(b);
}
END_TEST

START_TEST(test_errors)
{
	struct hl_sample_opts o;
	struct hl_sample *s;
	struct hl_sample_stats st;

	small_opts(&o, "/proc/hl-no-such-dir/x");
	s = hl_sample_new(&o);
	ck_assert_int_eq(hl_sample_run(s, &st), -1);
	ck_assert_msg(strstr(hl_sample_errmsg(s), "'/proc/hl-no-such-dir/x'"),
		      "%s", hl_sample_errmsg(s));
	hl_sample_free(s);

	small_opts(&o, "/tmp");
	o.first_year = 2019;
	s = hl_sample_new(&o);
	ck_assert_int_eq(hl_sample_run(s, &st), -1);
	ck_assert_str_eq(hl_sample_errmsg(s),
			 "no working-day calendar for 2019: add the year from "
			 "the State Council's holiday notice with --calendar "
			 "FILE (calendars/README.md)");
	hl_sample_free(s);
	/* 2027 has no built-in calendar either; a last year out of range is
	 * an option error. */
	small_opts(&o, "/tmp");
	o.first_year = 2026;
	o.last_year = 2027;
	s = hl_sample_new(&o);
	ck_assert_int_eq(hl_sample_run(s, &st), -1);
	ck_assert_ptr_nonnull(
	    strstr(hl_sample_errmsg(s), "no working-day calendar for 2027"));
	hl_sample_free(s);
}
END_TEST

/* Ranks in the manifest honour --rank-min: everyone or no one ranked. */
START_TEST(test_rank_min)
{
	static const int mins[2] = {1, 1000000};
	struct hl_sample_opts o;
	json_t *m, *years, *months, *mo;
	const char *district;
	size_t i;
	int k, ranked = 0, unranked = 0;

	for (k = 0; k < 2; k++) {
		char *a = tmpdir();

		small_opts(&o, a);
		o.scale = 0.02; /* every district evaluated every month */
		o.rank_min = mins[k];
		generate(&o, NULL);
		m = manifest(a);
		json_object_foreach(json_object_get(m, "figures"), district,
				    years)
		{
			months = json_object_get(json_object_get(years, "2022"),
						 "months");
			ck_assert_uint_eq(json_array_size(months), 12);
			json_array_foreach(months, i, mo)
			{
				json_t *r = json_object_get(
				    json_object_get(mo, "ordinary"), "rank");

				if (k == 0) {
					ck_assert_msg(
					    json_is_integer(r),
					    "%s unranked with --rank-min 1",
					    district);
					ranked++;
				} else {
					ck_assert(json_is_null(r));
					unranked++;
				}
			}
		}
		json_decref(m);
		drop_dir(a);
	}
	ck_assert_int_eq(ranked, 11 * 12);
	ck_assert_int_eq(unranked, 11 * 12);
}
END_TEST

/* Calibrating with too few tickets elsewhere to rank fails loudly. */
START_TEST(test_calibration_needs_scale)
{
	char *a = tmpdir();
	struct hl_sample_opts o;
	struct hl_sample *s;
	struct hl_sample_stats st;

	small_opts(&o, a);
	o.calibrate = 1;
	o.scale = 0.0005;
	o.first_year = 2021;
	s = hl_sample_new(&o);
	ck_assert_int_eq(hl_sample_run(s, &st), -1);
	ck_assert_msg(strstr(hl_sample_errmsg(s), "calibration missed") &&
			  strstr(hl_sample_errmsg(s), "ordinary mean rank"),
		      "%s", hl_sample_errmsg(s));
	hl_sample_free(s);
	drop_dir(a);
}
END_TEST

static Suite *
sample_suite(void)
{
	Suite *s = suite_create("sample");
	TCase *tc;

	tc = hl_check_case(s, "determinism", NULL, NULL,
			   test_same_options_same_bytes, test_manifest_files,
			   NULL);
	tcase_set_timeout(tc, 120); /* generous for sanitizer builds */

	tc = hl_check_case(s, "encodings", NULL, NULL, test_encodings,
			   test_line_ends, NULL);
	tcase_set_timeout(tc, 120); /* generous for sanitizer builds */

	tc = hl_check_case(s, "dates", NULL, NULL, NULL);
	tcase_add_loop_test(tc, test_date_styles, 0, 3);
	tcase_set_timeout(tc, 120); /* generous for sanitizer builds */

	tc = hl_check_case(s, "headers", NULL, NULL, NULL);
	tcase_add_loop_test(tc, test_header_variants, 2, 4);
	tcase_set_timeout(tc, 120); /* generous for sanitizer builds */

	tc = hl_check_case(s, "faults", NULL, NULL, test_faults, NULL);
	tcase_set_timeout(tc, 120); /* generous for sanitizer builds */

	tc = hl_check_case(s, "nightly", NULL, NULL, test_nightly, NULL);
	tcase_set_timeout(tc, 120); /* generous for sanitizer builds */

	tc = hl_check_case(s, "options", NULL, NULL, test_scale_and_years,
			   test_errors, test_calibration_needs_scale,
			   test_rank_min, NULL);
	tcase_set_timeout(tc, 120); /* generous for sanitizer builds */
	return s;
}

HL_CHECK_MAIN(sample_suite)
