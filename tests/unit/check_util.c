/*
 * check_util.c - unit tests of the util module: hl_buf, the strtonum-style
 * parsers, the diagnostics sink, civil dates, the working-day calendar and
 * the time-cell parser.
 *
 * Expected values are worked out independently of the code under test: by
 * hand, from the domain brief's calendar table (tests/data), or by walking
 * the calendar one day at a time with the test's own month lengths.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <check.h>
#include <stdarg.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "util/util.h"

/* Checks the invariants util.h promises for every struct hl_buf. */
static void
assert_buf_invariants(const struct hl_buf *b)
{
	ck_assert_ptr_nonnull(b->data);
	ck_assert_int_eq(b->data[b->len], '\0');
	ck_assert_uint_le(b->len, b->cap);
	if (b->cap == 0)
		ck_assert_ptr_eq(b->data, hl_buf_empty);
}

START_TEST(test_buf_init)
{
	struct hl_buf a = HL_BUF_INIT, b;

	hl_buf_init(&b);
	assert_buf_invariants(&a);
	assert_buf_invariants(&b);
	ck_assert_str_eq(b.data, "");
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	/* Releasing a buffer that never allocated is allowed. */
	hl_buf_release(&b);
	assert_buf_invariants(&b);
}
END_TEST

START_TEST(test_buf_growth)
{
	struct hl_buf b = HL_BUF_INIT;
	char *before;
	int i;

	hl_buf_addc(&b, 'x');
	assert_buf_invariants(&b);
	ck_assert_uint_eq(b.cap, 64);
	for (i = 1; i < 64; i++)
		hl_buf_addc(&b, 'x');
	ck_assert_uint_eq(b.len, 64);
	ck_assert_uint_eq(b.cap, 64);
	hl_buf_addc(&b, 'y');
	assert_buf_invariants(&b);
	ck_assert_uint_eq(b.len, 65);
	ck_assert_uint_eq(b.cap, 128);
	ck_assert_int_eq(b.data[63], 'x');
	ck_assert_int_eq(b.data[64], 'y');

	/* One large addition doubles until it fits. */
	hl_buf_grow(&b, 1000);
	ck_assert_uint_eq(b.cap, 2048);
	ck_assert_uint_eq(b.len, 65);
	assert_buf_invariants(&b);

	/* Growing within the capacity does not move the data. */
	before = b.data;
	hl_buf_grow(&b, 10);
	ck_assert_ptr_eq(b.data, before);

	/* reset keeps the storage, release gives it back. */
	hl_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 2048);
	ck_assert_str_eq(b.data, "");
	hl_buf_release(&b);
	assert_buf_invariants(&b);
	ck_assert_uint_eq(b.cap, 0);
}
END_TEST

/* The id map keeps every value across its growth, adds zeroed values,
 * and after a clear holds nothing, values included. */
START_TEST(test_idmap)
{
	struct hl_idmap m;
	uint64_t k;
	size_t i, seen = 0;
	int isnew;
	long long *v;

	hl_idmap_init(&m, sizeof(long long));
	for (k = 1; k <= 5000; k++) {
		v = hl_idmap_slot(&m, k * 1000003u, &isnew);
		ck_assert_int_eq(isnew, 1);
		ck_assert_int_eq(*v, 0);
		*v = (long long)k;
	}
	ck_assert_uint_eq(m.n, 5000);
	ck_assert_uint_le(m.n * 10, m.cap * 7);
	for (k = 1; k <= 5000; k++) {
		v = hl_idmap_slot(&m, k * 1000003u, &isnew);
		ck_assert_int_eq(isnew, 0);
		ck_assert_int_eq(*v, (long long)k);
		*v += 1;
	}
	for (i = 0; i < m.cap; i++)
		if (m.key[i]) {
			v = hl_idmap_val(&m, i);
			ck_assert_int_eq(*v,
					 (long long)(m.key[i] / 1000003u) + 1);
			seen++;
		}
	ck_assert_uint_eq(seen, 5000);
	hl_idmap_clear(&m);
	ck_assert_uint_eq(m.n, 0);
	v = hl_idmap_slot(&m, 7 * 1000003u, &isnew);
	ck_assert_int_eq(isnew, 1);
	ck_assert_int_eq(*v, 0);
	hl_idmap_release(&m);
	ck_assert_ptr_null(m.key);
	ck_assert_uint_eq(m.size, sizeof(long long));
}
END_TEST

/* hl_grow() keeps every element as the array doubles, past the 2 MiB from
 * which it moves the array into huge pages; such an array is 2 MiB aligned
 * and frees as any other. */
START_TEST(test_grow_big)
{
	uint64_t *a = NULL;
	size_t n, cap = 0;
	void *big;

	for (n = 0; n < (size_t)3 << 20; n++) {
		a = hl_grow(a, n, &cap, sizeof(*a), 16);
		a[n] = n * 2654435761u;
	}
	ck_assert_uint_ge(cap * sizeof(*a), (size_t)16 << 20);
	ck_assert_uint_eq((uintptr_t)a % ((size_t)2 << 20), 0);
	for (n = 0; n < (size_t)3 << 20; n++)
		if (a[n] != n * 2654435761u)
			ck_abort_msg("element %zu lost as the array grew", n);
	free(a);
	big = hl_xmalloc_big((size_t)5 << 20);
	ck_assert_uint_eq((uintptr_t)big % ((size_t)2 << 20), 0);
	memset(big, 1, (size_t)5 << 20);
	free(big);
	free(hl_xmalloc_big(100)); /* small: malloc's */
}
END_TEST

/*
 * The hash is stored (ticket.row_hash), so it must not change between
 * builds or machines: two values are pinned (worked out by a Python
 * rendering of the definition).  Beyond that it must tell
 * apart what the ingest feeds it.
 */
START_TEST(test_hash64)
{
	size_t i, seen[64] = {0};

	/* The integer hash: pinned, and consecutive ids spread over the
	 * buckets of a small table rather than piling into a few. */
	ck_assert_uint_eq(hl_hash_u64(1), 0x9e3779b9u);
	for (i = 1; i <= 64; i++)
		seen[hl_hash_u64(i) & 63]++;
	for (i = 0; i < 64; i++)
		ck_assert_uint_le(seen[i], 3);
	ck_assert_uint_eq(hl_hash64("", 0, 0), 0x540f172e046ef165ull);
	ck_assert_uint_eq(hl_hash64("工单编号,2022-01-03", 23, 7),
			  0x6258b918c46643ffull);
	ck_assert_uint_eq(hl_hash64("abcdefghij", 10, 1),
			  hl_hash64("abcdefghij", 10, 1));
	/* Length, seed, every byte and the split of fields count. */
	ck_assert_uint_ne(hl_hash64("a", 1, 0), hl_hash64("a\0", 2, 0));
	ck_assert_uint_ne(hl_hash64("a", 1, 0), hl_hash64("a", 1, 1));
	ck_assert_uint_ne(hl_hash64("abcdefghij", 10, 0),
			  hl_hash64("abcdefghiJ", 10, 0));
	ck_assert_uint_ne(hl_hash64("cd", 2, hl_hash64("ab", 2, 0)),
			  hl_hash64("d", 1, hl_hash64("abc", 3, 0)));
}
END_TEST

START_TEST(test_buf_add)
{
	struct hl_buf b = HL_BUF_INIT;

	hl_buf_adds(&b, "工单");
	hl_buf_addc(&b, ',');
	hl_buf_add(&b, "a\0b", 3);
	assert_buf_invariants(&b);
	ck_assert_uint_eq(b.len, strlen("工单") + 4);
	ck_assert_int_eq(memcmp(b.data, "工单,a\0b", b.len + 1), 0);
	/* Adding nothing to an empty buffer allocates nothing. */
	hl_buf_release(&b);
	hl_buf_add(&b, "", 0);
	hl_buf_adds(&b, "");
	ck_assert_uint_eq(b.cap, 0);
	assert_buf_invariants(&b);
}
END_TEST

START_TEST(test_buf_printf)
{
	struct hl_buf b = HL_BUF_INIT;
	char big[301];

	hl_buf_printf(&b, "%s", "");
	ck_assert_uint_eq(b.len, 0);
	assert_buf_invariants(&b);

	hl_buf_printf(&b, "%d-%s", 42, "abc");
	ck_assert_str_eq(b.data, "42-abc");
	ck_assert_uint_eq(b.len, 6);
	hl_buf_printf(&b, "|%05.1f", 2.25);
	ck_assert_str_eq(b.data, "42-abc|002.2");
	assert_buf_invariants(&b);

	/* Longer than the capacity: formatted a second time after growing. */
	memset(big, 'z', 300);
	big[300] = '\0';
	hl_buf_printf(&b, "[%s]", big);
	assert_buf_invariants(&b);
	ck_assert_uint_eq(b.len, 12 + 302);
	ck_assert_int_eq(memcmp(b.data, "42-abc|002.2[zzz", 16), 0);
	ck_assert_int_eq(b.data[b.len - 2], 'z');
	ck_assert_int_eq(b.data[b.len - 1], ']');
	ck_assert_uint_eq(strlen(b.data), b.len);
	hl_buf_release(&b);
}
END_TEST

START_TEST(test_buf_detach)
{
	struct hl_buf b = HL_BUF_INIT;
	size_t len = 99;
	char *s;

	hl_buf_adds(&b, "受理时间");
	s = hl_buf_detach(&b, &len);
	ck_assert_str_eq(s, "受理时间");
	ck_assert_uint_eq(len, strlen("受理时间"));
	/* The buffer is empty again and no longer owns s. */
	assert_buf_invariants(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	hl_buf_adds(&b, "next");
	ck_assert_str_eq(s, "受理时间");
	free(s);
	hl_buf_release(&b);

	/* An empty buffer detaches a fresh "" that the caller may free. */
	s = hl_buf_detach(&b, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_ne(s, hl_buf_empty);
	ck_assert_str_eq(s, "");
	ck_assert_uint_eq(len, 0);
	free(s);
	s = hl_buf_detach(&b, NULL);
	free(s);
}
END_TEST

/* hl_strtonum cases: input, range, expected value or error fragment. */
static const struct {
	const char *s;
	long long min, max;
	long long want;
	const char *err; /* NULL: must succeed */
} strtonum_cases[] = {
    {"42", 0, 100, 42, NULL},
    {"0", 0, 100, 0, NULL},
    {"100", 0, 100, 100, NULL},
    {"-5", -10, 10, -5, NULL},
    {"007", 0, 10, 7, NULL},
    {"4294967295", 0, 4294967295LL, 4294967295LL, NULL},
    {"9223372036854775807", LLONG_MIN, LLONG_MAX, LLONG_MAX, NULL},
    {"-9223372036854775808", LLONG_MIN, LLONG_MAX, LLONG_MIN, NULL},
    {"101", 0, 100, 0, "too large"},
    {"4294967296", 0, 4294967295LL, 0, "too large"},
    {"9223372036854775808", LLONG_MIN, LLONG_MAX, 0, "too large"},
    {"99999999999999999999999", 0, 10, 0, "too large"},
    {"-1", 0, 100, 0, "too small"},
    {"-9223372036854775809", LLONG_MIN, LLONG_MAX, 0, "too small"},
    {"", 0, 100, 0, "invalid"},
    {"x", 0, 100, 0, "invalid"},
    {"12a", 0, 100, 0, "invalid"},
    {" 1", 0, 100, 0, "invalid"},
    {"1 ", 0, 100, 0, "invalid"},
    {"+1", 0, 100, 0, "invalid"},
    {"-", -10, 10, 0, "invalid"},
    {"--1", -10, 10, 0, "invalid"},
    {"1-", 0, 100, 0, "invalid"},
    {"0x10", 0, 100, 0, "invalid"},
    {"1.5", 0, 100, 0, "invalid"},
    {"１２", 0, 100, 0, "invalid"}, /* full-width digits */
};

/* The error fragment a parser gave for input s is the one wanted (NULL =
 * no error). */
static void
assert_errstr(const char *s, const char *err, const char *want)
{
	if (want == NULL) {
		ck_assert_msg(err == NULL, "'%s': unexpected error '%s'", s,
			      err);
	} else {
		ck_assert_ptr_nonnull(err);
		ck_assert_str_eq(err, want);
	}
}

START_TEST(test_strtonum)
{
	const char *err = "unset";
	long long v;

	v = hl_strtonum(strtonum_cases[_i].s, strtonum_cases[_i].min,
			strtonum_cases[_i].max, &err);
	assert_errstr(strtonum_cases[_i].s, err, strtonum_cases[_i].err);
	ck_assert_int_eq(v, strtonum_cases[_i].want);
}
END_TEST

START_TEST(test_strtonum_null)
{
	const char *err = NULL;

	ck_assert_int_eq(hl_strtonum(NULL, 0, 1, &err), 0);
	ck_assert_str_eq(err, "invalid");
	err = NULL;
	ck_assert_double_eq(hl_strtofrac(NULL, 0, 1, &err), 0);
	ck_assert_str_eq(err, "invalid");
}
END_TEST

/*
 * hl_strtofrac cases.  The accepted values are exact in binary or are the
 * documented bounds of `hotline sample` (--scale 0.0001 to 1, --dirt 0 to
 * 0.1), which must be accepted at both ends.
 */
static const struct {
	const char *s;
	double min, max;
	double want;
	const char *err;
} strtofrac_cases[] = {
    {"0.25", 0, 1, 0.25, NULL},
    {"1", 0, 1, 1, NULL},
    {"1.0", 0, 1, 1, NULL},
    {"1.", 0, 2, 1, NULL},
    {".5", 0, 1, 0.5, NULL},
    {"0", 0, 1, 0, NULL},
    {"2.5", 0, 10, 2.5, NULL},
    {"0.0001", 0.0001, 1, 0.0001, NULL},
    {"0.1", 0, 0.1, 0.1, NULL},
    {"0.00001", 0.0001, 1, 0, "too small"},
    {"1.5", 0, 1, 0, "too large"},
    {"0.11", 0, 0.1, 0, "too large"},
    {"", 0, 1, 0, "invalid"},
    {".", 0, 1, 0, "invalid"},
    {"-0.5", -1, 1, 0, "invalid"},
    {"+0.5", 0, 1, 0, "invalid"},
    {"1e-3", 0, 1, 0, "invalid"},
    {"0,5", 0, 1, 0, "invalid"},
    {"1.2.3", 0, 10, 0, "invalid"},
    {" 0.5", 0, 1, 0, "invalid"},
    {"0.5x", 0, 1, 0, "invalid"},
    /* Not exact in binary: must come out as the nearest double, so the
     * literal bound itself is accepted. */
    {"0.3", 0, 0.3, 0.3, NULL},
    {"0.7", 0, 0.7, 0.7, NULL},
    {"123456789012345", 0, 1e15, 123456789012345.0, NULL},
    {"1234567890123456", 0, 1e16, 0, "invalid"},
};

START_TEST(test_strtofrac)
{
	const char *err = "unset";
	double v;

	v = hl_strtofrac(strtofrac_cases[_i].s, strtofrac_cases[_i].min,
			 strtofrac_cases[_i].max, &err);
	assert_errstr(strtofrac_cases[_i].s, err, strtofrac_cases[_i].err);
	ck_assert_double_eq(v, strtofrac_cases[_i].want);
}
END_TEST

/* A diagnostics sink writing into memory, for exact comparisons. */
struct memsink {
	FILE *f;
	char *text;
	size_t size;
};

static struct hl_diag *
memsink_open(struct memsink *m, unsigned cap)
{
	m->text = NULL;
	m->size = 0;
	m->f = open_memstream(&m->text, &m->size);
	ck_assert_ptr_nonnull(m->f);
	return hl_diag_new(m->f, cap);
}

/* The text written so far; valid until the next call. */
static const char *
memsink_text(struct memsink *m)
{
	ck_assert_int_eq(fflush(m->f), 0);
	return m->text;
}

static void
memsink_close(struct memsink *m, struct hl_diag *d)
{
	hl_diag_free(d);
	fclose(m->f);
	free(m->text);
}

START_TEST(test_diag_format)
{
	struct memsink m;
	struct hl_diag *d = memsink_open(&m, 20);
	struct hl_pos p1 = {3, 8, NULL}, p2 = {1207, 5, NULL},
		      p3 = {88412, 1, NULL};
	struct hl_pos none = {0, 0, NULL}, sheet = {123, 29, "明细"};
	char c[8];

	hl_diag_report(d, HL_ERROR, "f.csv", p1,
		       "unexpected character after closing quote");
	hl_diag_report(d, HL_WARNING, "orders.csv", p2,
		       "'%s' is not a valid date: '%s'; stored as NULL",
		       "created_date", "2023-02-30");
	hl_diag_report(d, HL_ERROR, "orders.csv", p3,
		       "expected %d fields, found %d", 14, 13);
	hl_diag_report(d, HL_NOTE, "订单.csv", none, "file is empty");
	hl_diag_report(d, HL_ERROR, "工单.xlsx", sheet, "empty ticket ID");
	hl_diag_flush(d);
	ck_assert_str_eq(
	    memsink_text(&m),
	    "f.csv:3:8: error: unexpected character after closing quote\n"
	    "orders.csv:1207:5: warning: 'created_date' is not a valid date: "
	    "'2023-02-30'; stored as NULL\n"
	    "orders.csv:88412:1: error: expected 14 fields, found 13\n"
	    "订单.csv: note: file is empty\n"
	    "工单.xlsx:明细!AC123: error: empty ticket ID\n");
	ck_assert_uint_eq(hl_diag_count(d, HL_ERROR), 3);
	/* Columns as a spreadsheet names them. */
	ck_assert_str_eq(hl_column_name(1, c), "A");
	ck_assert_str_eq(hl_column_name(26, c), "Z");
	ck_assert_str_eq(hl_column_name(27, c), "AA");
	ck_assert_str_eq(hl_column_name(702, c), "ZZ");
	ck_assert_str_eq(hl_column_name(703, c), "AAA");
	ck_assert_str_eq(hl_column_name(16384, c), "XFD");
	ck_assert_str_eq(hl_column_name(16385, c), "?");
	ck_assert_str_eq(hl_column_name(0, c), "?");
	ck_assert_uint_eq(hl_diag_count(d, HL_WARNING), 1);
	ck_assert_uint_eq(hl_diag_count(d, HL_NOTE), 1);
	memsink_close(&m, d);
	hl_diag_free(NULL);
}
END_TEST

START_TEST(test_diag_cap)
{
	static const char bad_date[] = "'%s' is not a valid date: '%s'";
	struct memsink m;
	struct hl_diag *d = memsink_open(&m, 2);
	struct hl_pos p = {2, 5, NULL};
	int i;

	for (i = 0; i < 5; i++) {
		p.line = 2 + (unsigned long)i;
		hl_diag_report(d, HL_WARNING, "a.csv", p, bad_date, "closed_at",
			       "x");
	}
	/* Another kind has its own allowance. */
	p.line = 9;
	hl_diag_report(d, HL_ERROR, "a.csv", p, "expected %d fields, found %d",
		       14, 13);
	ck_assert_str_eq(
	    memsink_text(&m),
	    "a.csv:2:5: warning: 'closed_at' is not a valid date: 'x'\n"
	    "a.csv:3:5: warning: 'closed_at' is not a valid date: 'x'\n"
	    "a.csv:9:5: error: expected 14 fields, found 13\n");
	hl_diag_flush(d);
	ck_assert_str_eq(
	    memsink_text(&m),
	    "a.csv:2:5: warning: 'closed_at' is not a valid date: 'x'\n"
	    "a.csv:3:5: warning: 'closed_at' is not a valid date: 'x'\n"
	    "a.csv:9:5: error: expected 14 fields, found 13\n"
	    "note: 3 more like \"'closed_at' is not a valid date: 'x'\" "
	    "suppressed\n");
	/* Counts include what was suppressed. */
	ck_assert_uint_eq(hl_diag_count(d, HL_WARNING), 5);
	ck_assert_uint_eq(hl_diag_count(d, HL_ERROR), 1);

	/* A flush ends a file: the next has an allowance of its own. */
	hl_diag_flush(d);
	hl_diag_report(d, HL_WARNING, "b.csv", p, bad_date, "closed_at", "y");
	hl_diag_flush(d);
	ck_assert_str_eq(
	    memsink_text(&m),
	    "a.csv:2:5: warning: 'closed_at' is not a valid date: 'x'\n"
	    "a.csv:3:5: warning: 'closed_at' is not a valid date: 'x'\n"
	    "a.csv:9:5: error: expected 14 fields, found 13\n"
	    "note: 3 more like \"'closed_at' is not a valid date: 'x'\" "
	    "suppressed\n"
	    "b.csv:9:5: warning: 'closed_at' is not a valid date: 'y'\n");
	ck_assert_uint_eq(hl_diag_count(d, HL_WARNING), 6);
	memsink_close(&m, d);
}
END_TEST

/* Calls the va_list form with an explicit kind. */
static void
report_kind(struct hl_diag *d, struct hl_pos p, const char *kind,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hl_diag_vreport(d, HL_ERROR, "k.csv", p, kind, fmt, ap);
	va_end(ap);
}

/* Messages with one kind share one allowance whatever their formats. */
START_TEST(test_diag_kind)
{
	struct memsink m;
	struct hl_diag *d = memsink_open(&m, 1);
	struct hl_pos p = {4, 2, NULL};

	report_kind(d, p, "bytes", "%s", "invalid byte 0xFF");
	report_kind(d, p, "bytes", "%s", "invalid byte 0xFE");
	report_kind(d, p, "quote", "%s", "stray quote");
	report_kind(d, p, NULL, "%s", "format as kind");
	hl_diag_flush(d);
	ck_assert_str_eq(
	    memsink_text(&m),
	    "k.csv:4:2: error: invalid byte 0xFF\n"
	    "k.csv:4:2: error: stray quote\n"
	    "k.csv:4:2: error: format as kind\n"
	    "note: 1 more like \"invalid byte 0xFF\" suppressed\n");
	ck_assert_uint_eq(hl_diag_count(d, HL_ERROR), 4);
	memsink_close(&m, d);
}
END_TEST

/* The note quotes a long first message cut at a character's end. */
START_TEST(test_diag_note_cut)
{
	struct memsink m;
	struct hl_diag *d = memsink_open(&m, 1);
	struct hl_pos p = {1, 1, NULL};
	const char *text, *note;

	/* 3 bytes a character: 25 of them are 75 bytes, past the 71 kept. */
	report_kind(d, p, "long", "%s",
		    "工单工单工单工单工单工单工单工单工单工单工单工单工");
	report_kind(d, p, "long", "%s", "again");
	hl_diag_flush(d);
	text = memsink_text(&m);
	note = strstr(text, "note: 1 more like \"");
	ck_assert_ptr_nonnull(note);
	/* 22 whole characters (66 bytes), then the ellipsis. */
	ck_assert_str_eq(note,
			 "note: 1 more like \"工单工单工单工单工单工单工单工单"
			 "工单工单工单...\" suppressed\n");
	memsink_close(&m, d);
}
END_TEST

START_TEST(test_diag_uncapped)
{
	struct memsink m;
	struct hl_diag *d = memsink_open(&m, 0);
	struct hl_pos p = {1, 1, NULL};
	const char *text;
	int i, lines = 0;

	for (i = 0; i < 50; i++)
		hl_diag_report(d, HL_ERROR, "b.csv", p, "bad row");
	hl_diag_flush(d);
	text = memsink_text(&m);
	for (; *text != '\0'; text++)
		lines += *text == '\n';
	ck_assert_int_eq(lines, 50);
	ck_assert_ptr_null(strstr(m.text, "suppressed"));
	ck_assert_uint_eq(hl_diag_count(d, HL_ERROR), 50);
	memsink_close(&m, d);
}
END_TEST

START_TEST(test_datetime_anchors)
{
	int y, m, d;

	ck_assert_int_eq(hl_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(hl_days_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(hl_days_from_civil(2000, 1, 1), 10957);
	ck_assert_int_eq(hl_days_from_civil(2022, 1, 3), 18995);
	ck_assert_int_eq(hl_days_from_civil(1900, 1, 1), -25567);
	ck_assert_int_eq(hl_days_from_civil(2100, 12, 31), 47846);
	ck_assert_int_eq(hl_days_from_civil(2000, 3, 1) -
			     hl_days_from_civil(2000, 2, 28),
			 2);
	ck_assert_int_eq(hl_days_from_civil(1900, 3, 1) -
			     hl_days_from_civil(1900, 2, 28),
			 1);

	hl_civil_from_days(10957, &y, &m, &d);
	ck_assert_int_eq(y, 2000);
	ck_assert_int_eq(m, 1);
	ck_assert_int_eq(d, 1);
	hl_civil_from_days(-1, &y, &m, &d);
	ck_assert_int_eq(y, 1969);
	ck_assert_int_eq(m, 12);
	ck_assert_int_eq(d, 31);

	ck_assert_int_eq(hl_iso_weekday(hl_days_from_civil(2022, 1, 3)), 1);
	ck_assert_int_eq(hl_iso_weekday(0), 4);  /* Thursday */
	ck_assert_int_eq(hl_iso_weekday(-1), 3); /* Wednesday */
	ck_assert_int_eq(hl_iso_weekday(10957), 6);
	ck_assert_int_eq(hl_iso_weekday(-25567), 1);
	ck_assert_int_eq(hl_iso_weekday(hl_days_from_civil(2022, 1, 29)), 6);
	ck_assert_int_eq(hl_iso_weekday(hl_days_from_civil(2022, 1, 30)), 7);

	ck_assert_int_eq(hl_days_in_month(2000, 2), 29);
	ck_assert_int_eq(hl_days_in_month(1900, 2), 28);
	ck_assert_int_eq(hl_days_in_month(2100, 2), 28);
	ck_assert_int_eq(hl_days_in_month(2024, 2), 29);
	ck_assert_int_eq(hl_days_in_month(2023, 2), 28);
	ck_assert_int_eq(hl_days_in_month(2023, 4), 30);
	ck_assert_int_eq(hl_days_in_month(2023, 12), 31);
	ck_assert_int_eq(hl_days_in_month(2023, 0), 0);
	ck_assert_int_eq(hl_days_in_month(2023, 13), 0);
}
END_TEST

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Walks every day from 1900-01-01 to 2100-12-31 with the test's own month
 * lengths and checks both conversions and the weekday at each step.
 */
START_TEST(test_datetime_roundtrip)
{
	static const int mlen[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	int64_t day = -25567;
	int y, m, d, wd = 1; /* 1900-01-01 was a Monday */
	int gy, gm, gd;

	for (y = 1900; y <= 2100; y++) {
		for (m = 1; m <= 12; m++) {
			int n = mlen[m - 1] + (m == 2 && is_leap(y));

			for (d = 1; d <= n; d++, day++) {
				ck_assert_int_eq(hl_days_from_civil(y, m, d),
						 day);
				hl_civil_from_days(day, &gy, &gm, &gd);
				ck_assert(gy == y && gm == m && gd == d);
				ck_assert_int_eq(hl_iso_weekday(day), wd);
				wd = wd % 7 + 1;
			}
		}
	}
	ck_assert_int_eq(day, 47847);
}
END_TEST

START_TEST(test_datetime_format)
{
	char out[20];

	ck_assert_int_eq(hl_time_make(2022, 1, 3, 9, 5, 0), 1641200700);
	hl_time_format_iso(hl_time_make(2022, 1, 3, 9, 5, 0), out);
	ck_assert_str_eq(out, "2022-01-03 09:05:00");
	hl_time_format_iso(0, out);
	ck_assert_str_eq(out, "1970-01-01 00:00:00");
	hl_time_format_iso(-1, out);
	ck_assert_str_eq(out, "1969-12-31 23:59:59");
	hl_time_format_iso(-86400, out);
	ck_assert_str_eq(out, "1969-12-31 00:00:00");
	hl_time_format_iso(hl_time_make(2024, 2, 29, 23, 59, 59), out);
	ck_assert_str_eq(out, "2024-02-29 23:59:59");
	hl_time_format_iso(hl_time_make(2024, 2, 29, 23, 59, 59) + 1, out);
	ck_assert_str_eq(out, "2024-03-01 00:00:00");
	hl_time_format_iso(hl_time_make(1900, 1, 1, 0, 0, 0), out);
	ck_assert_str_eq(out, "1900-01-01 00:00:00");
	/* Day numbers round down on both sides of 1970. */
	ck_assert_int_eq(hl_time_day(0), 0);
	ck_assert_int_eq(hl_time_day(86399), 0);
	ck_assert_int_eq(hl_time_day(86400), 1);
	ck_assert_int_eq(hl_time_day(-1), -1);
	ck_assert_int_eq(hl_time_day(-86400), -1);
	ck_assert_int_eq(hl_time_day(-86401), -2);
	/* Months change at midnight China Standard Time. */
	ck_assert_int_eq(hl_time_yyyymm(hl_time_make(2022, 6, 30, 23, 59, 59)),
			 202206);
	ck_assert_int_eq(hl_time_yyyymm(hl_time_make(2022, 7, 1, 0, 0, 0)),
			 202207);
	ck_assert_int_eq(hl_time_yyyymm(-1), 196912);
	/* So do days, also before 1970 and on a leap day. */
	ck_assert_int_eq(
	    hl_time_yyyymmdd(hl_time_make(2022, 6, 30, 23, 59, 59)), 20220630);
	ck_assert_int_eq(hl_time_yyyymmdd(hl_time_make(2022, 7, 1, 0, 0, 0)),
			 20220701);
	ck_assert_int_eq(hl_time_yyyymmdd(hl_time_make(2024, 2, 29, 12, 0, 0)),
			 20240229);
	ck_assert_int_eq(hl_time_yyyymmdd(0), 19700101);
	ck_assert_int_eq(hl_time_yyyymmdd(-1), 19691231);
	ck_assert_int_eq(
	    hl_time_yyyymmdd(hl_time_make(2199, 12, 31, 23, 59, 59)), 21991231);
}
END_TEST

/* Expected calendar read from tests/data/calendar-notices.txt. */
struct calyear {
	int year, workdays;
	signed char kind[13][32]; /* -1 weekday rule, 0 holiday, 1 make-up */
};

static struct calyear calyears[HL_CAL_LAST_YEAR - HL_CAL_FIRST_YEAR + 1];
static struct hl_calendar *cal; /* the built-in years */

static void
mark_days(struct calyear *cy, const char *tok, int kind)
{
	int m1, d1, m2, d2, n, y = cy->year;
	int64_t day, last;

	n = sscanf(tok, "%d-%d..%d-%d", &m1, &d1, &m2, &d2);
	ck_assert_msg(n == 2 || n == 4, "bad calendar token '%s'", tok);
	if (n == 2) {
		m2 = m1;
		d2 = d1;
	}
	last = hl_days_from_civil(y, m2, d2);
	for (day = hl_days_from_civil(y, m1, d1); day <= last; day++) {
		int gy, gm, gd;

		hl_civil_from_days(day, &gy, &gm, &gd);
		cy->kind[gm][gd] = (signed char)kind;
	}
}

static void
load_calendar(void)
{
	FILE *f = fopen(HL_TEST_DATA "/calendar-notices.txt", "r");
	struct hl_buf err = HL_BUF_INIT;
	char line[1024], *tok, *save;
	size_t n = 0;

	ck_assert_msg(f != NULL, "cannot open the calendar table");
	while (fgets(line, sizeof(line), f) != NULL) {
		struct calyear *cy;
		int kind = -1;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		ck_assert_uint_lt(n, HL_ARRAY_LEN(calyears));
		cy = &calyears[n++];
		memset(cy->kind, -1, sizeof(cy->kind));
		ck_assert_int_eq(
		    sscanf(line, "%d %d", &cy->year, &cy->workdays), 2);
		strtok_r(line, " \n", &save);
		strtok_r(NULL, " \n", &save);
		while ((tok = strtok_r(NULL, " \n", &save)) != NULL) {
			if (strcmp(tok, "holidays") == 0)
				kind = 0;
			else if (strcmp(tok, "makeup") == 0)
				kind = 1;
			else
				mark_days(cy, tok, kind);
		}
	}
	fclose(f);
	ck_assert_uint_eq(n, HL_ARRAY_LEN(calyears));
	ck_assert_msg(hl_calendar_new(NULL, &cal, &err) == 0, "%s", err.data);
	hl_buf_release(&err);
}

static void
free_calendar(void)
{
	hl_calendar_free(cal);
	cal = NULL;
}

START_TEST(test_calendar_year_totals)
{
	const struct calyear *cy = &calyears[_i];

	ck_assert_int_eq(cy->year, HL_CAL_FIRST_YEAR + _i);
	ck_assert_int_eq(hl_calendar_workdays_in_year(cal, cy->year),
			 cy->workdays);
}
END_TEST

START_TEST(test_calendar_every_day)
{
	const struct calyear *cy = &calyears[_i];
	int64_t day = hl_days_from_civil(cy->year, 1, 1);
	int64_t end = hl_days_from_civil(cy->year + 1, 1, 1);
	int n = 0;

	for (; day < end; day++) {
		int y, m, d, want;

		hl_civil_from_days(day, &y, &m, &d);
		want = cy->kind[m][d];
		if (want < 0)
			want = hl_iso_weekday(day) <= 5 ? HL_DAY_WORK
							: HL_DAY_REST;
		ck_assert_msg((int)hl_calendar_daykind(cal, day) == want,
			      "%04d-%02d-%02d: daykind %d, expected %d", y, m,
			      d, (int)hl_calendar_daykind(cal, day), want);
		n += want == HL_DAY_WORK;
	}
	/* The table is consistent with its own totals. */
	ck_assert_int_eq(n, cy->workdays);
}
END_TEST

static int64_t
civil(int y, int m, int d)
{
	return hl_days_from_civil(y, m, d);
}

START_TEST(test_calendar_days)
{
	const int *years;
	size_t i, n = hl_calendar_years(cal, &years);

	/* A Saturday made a working day for the Spring Festival. */
	ck_assert_int_eq(hl_iso_weekday(civil(2022, 1, 29)), 6);
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2022, 1, 29)),
			 HL_DAY_WORK);
	/* A Monday in the National Day holiday. */
	ck_assert_int_eq(hl_iso_weekday(civil(2022, 10, 3)), 1);
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2022, 10, 3)),
			 HL_DAY_REST);
	/* A Saturday, and the first day of the 2023 New Year holiday. */
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2022, 12, 31)),
			 HL_DAY_REST);
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2022, 1, 3)),
			 HL_DAY_REST);
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2022, 1, 4)),
			 HL_DAY_WORK);
	/* 2020's Spring Festival was extended to 02-02 only. */
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2020, 2, 3)),
			 HL_DAY_WORK);
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2024, 2, 4)),
			 HL_DAY_WORK);
	/* 2026: the make-up Saturday before the Spring Festival. */
	ck_assert_int_eq(hl_iso_weekday(civil(2026, 2, 14)), 6);
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2026, 2, 14)),
			 HL_DAY_WORK);
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2026, 12, 31)),
			 HL_DAY_WORK);
	/* Outside the notices nothing is guessed. */
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2019, 12, 31)),
			 HL_DAY_UNKNOWN);
	ck_assert_int_eq(hl_calendar_daykind(cal, civil(2027, 1, 1)),
			 HL_DAY_UNKNOWN);
	ck_assert_int_eq(hl_calendar_workdays_in_year(cal, 2019), -1);
	ck_assert_int_eq(hl_calendar_workdays_in_year(cal, 2027), -1);
	ck_assert_uint_eq(n, HL_CAL_LAST_YEAR - HL_CAL_FIRST_YEAR + 1);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(years[i], HL_CAL_FIRST_YEAR + (int)i);
	ck_assert_str_eq(hl_calendar_file(cal, 2025), "calendars/2025.ini");
	ck_assert_ptr_null(hl_calendar_file(cal, 2027));
}
END_TEST

START_TEST(test_calendar_add_workdays)
{
	/* From Friday 2022-01-28 over the make-up weekend and the festival. */
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 1, 28), 1),
			 civil(2022, 1, 29));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 1, 28), 2),
			 civil(2022, 1, 30));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 1, 28), 3),
			 civil(2022, 2, 7));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 1, 30), 1),
			 civil(2022, 2, 7));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 1, 27), 5),
			 civil(2022, 2, 8));
	/* Over the National Day holiday, whose make-up days follow it. */
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 9, 30), 1),
			 civil(2022, 10, 8));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 9, 30), 3),
			 civil(2022, 10, 10));
	/* Qingming: Saturday 04-02 works, 04-03..04-05 rest. */
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 4, 1), 1),
			 civil(2022, 4, 2));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 4, 1), 2),
			 civil(2022, 4, 6));
	/* An ordinary week: Friday + 1 is Monday. */
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2022, 3, 4), 1),
			 civil(2022, 3, 7));
	/*
	 * 2025's National Day: Sunday 09-28 works, 10-01..10-08 rest,
	 * Saturday 10-11 works.  From Tuesday 09-30: 10-09, 10-10, 10-11.
	 */
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2025, 9, 30), 1),
			 civil(2025, 10, 9));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2025, 9, 30), 3),
			 civil(2025, 10, 11));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2025, 9, 30), 4),
			 civil(2025, 10, 13));
	/*
	 * 2026's Spring Festival: Friday 02-13, Saturday 02-14 works,
	 * 02-15..02-23 rest, Tuesday 02-24 works.
	 */
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2026, 2, 13), 1),
			 civil(2026, 2, 14));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2026, 2, 13), 2),
			 civil(2026, 2, 24));
	/* The start day itself may lie before the calendar. */
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2019, 12, 31), 1),
			 civil(2020, 1, 2));
	/* Beyond 2026 the answer is unknown. */
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2026, 12, 30), 1),
			 civil(2026, 12, 31));
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2026, 12, 30), 2),
			 -1);
	ck_assert_int_eq(hl_calendar_add_workdays(cal, civil(2026, 12, 31), 1),
			 -1);
}
END_TEST

static hl_time
at(int y, int mo, int d, int h, int mi)
{
	return hl_time_make(y, mo, d, h, mi, 0);
}

/* Working seconds of [t0, t1], worked out by hand in each comment. */
START_TEST(test_calendar_work_secs)
{
	int64_t secs;

	/*
	 * Tuesday 2025-09-30 16:00 to Thursday 2025-10-09 10:00: 8 hours of
	 * 09-30, the holiday 10-01..10-08 not at all, 10 hours of 10-09.
	 */
	ck_assert_int_eq(hl_calendar_work_secs(cal, at(2025, 9, 30, 16, 0),
					       at(2025, 10, 9, 10, 0), &secs),
			 0);
	ck_assert_int_eq(secs, (8 + 10) * 3600);
	/*
	 * Saturday 2025-09-27 12:00 (rest) to Sunday 2025-09-28 18:00 (a
	 * make-up working day): 18 hours of 09-28.
	 */
	ck_assert_int_eq(hl_calendar_work_secs(cal, at(2025, 9, 27, 12, 0),
					       at(2025, 9, 28, 18, 0), &secs),
			 0);
	ck_assert_int_eq(secs, 18 * 3600);
	/*
	 * Friday 2026-02-13 09:00 to Tuesday 2026-02-24 09:30: 15 hours of
	 * 02-13, the whole make-up Saturday 02-14 (24 hours), 02-15..02-23
	 * not at all, 9.5 hours of 02-24.
	 */
	ck_assert_int_eq(hl_calendar_work_secs(cal, at(2026, 2, 13, 9, 0),
					       at(2026, 2, 24, 9, 30), &secs),
			 0);
	ck_assert_int_eq(secs, 15 * 3600 + 24 * 3600 + 9 * 3600 + 1800);
	/* Into a year no file covers: unknown, never guessed. */
	ck_assert_int_eq(hl_calendar_work_secs(cal, at(2026, 12, 31, 9, 0),
					       at(2027, 1, 4, 9, 0), &secs),
			 -1);
}
END_TEST

/* A calendar file in tmp with the given text; the path into path. */
static void
write_tmp(char *path, size_t n, const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, n, "/tmp/hl-cal-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A user's file adds a year (the days are made up for the test). */
START_TEST(test_calendar_user_year)
{
	struct hl_calyears ys = HL_CALYEARS_INIT;
	struct hl_buf err = HL_BUF_INIT;
	struct hl_calendar *c;
	char path[64];

	write_tmp(path, sizeof(path),
		  "; a year as a user would add it\n"
		  "[calendar 2027]\n"
		  "source = a test\n"
		  "holidays = 2027-01-01\n"
		  "holidays = 2027-02-05..2027-02-11\n"
		  "workdays = 2027-02-13\n");
	ck_assert_msg(hl_calyears_load(&ys, path, &err) == 0, "%s", err.data);
	ck_assert_int_eq(hl_calendar_new(&ys, &c, &err), 0);
	ck_assert_int_eq(hl_calendar_has_year(c, 2027), 1);
	ck_assert_str_eq(hl_calendar_file(c, 2027), path);
	/* Friday 2027-01-01 rests, Monday 01-04 works, Saturday 02-13. */
	ck_assert_int_eq(hl_calendar_daykind(c, civil(2027, 1, 1)),
			 HL_DAY_REST);
	ck_assert_int_eq(hl_calendar_daykind(c, civil(2027, 1, 4)),
			 HL_DAY_WORK);
	ck_assert_int_eq(hl_calendar_daykind(c, civil(2027, 2, 13)),
			 HL_DAY_WORK);
	/* 2027 has 261 weekdays; 1 + 5 rest, 1 worked. */
	ck_assert_int_eq(hl_calendar_workdays_in_year(c, 2027), 261 - 6 + 1);
	/* The built-in years are still there, and the gap is unknown. */
	ck_assert_int_eq(hl_calendar_workdays_in_year(c, 2026), 248);
	ck_assert_int_eq(hl_calendar_add_workdays(c, civil(2026, 12, 30), 2),
			 civil(2027, 1, 4));
	hl_calendar_free(c);
	hl_calyears_release(&ys);
	unlink(path);

	/* A user's year replaces the built-in one of the same number. */
	write_tmp(path, sizeof(path),
		  "[calendar 2026]\nholidays = 2026-12-31\n");
	ck_assert_int_eq(hl_calyears_load(&ys, path, &err), 0);
	ck_assert_int_eq(hl_calendar_new(&ys, &c, &err), 0);
	ck_assert_int_eq(hl_calendar_daykind(c, civil(2026, 12, 31)),
			 HL_DAY_REST);
	ck_assert_int_eq(hl_calendar_daykind(c, civil(2026, 2, 16)),
			 HL_DAY_WORK);
	hl_calendar_free(c);
	/* The same year twice among the user's files is an error. */
	ck_assert_int_eq(hl_calyears_load(&ys, path, &err), -1);
	ck_assert_msg(strstr(err.data, "[calendar 2026] given twice") != NULL,
		      "%s", err.data);
	hl_calyears_release(&ys);
	unlink(path);
	hl_buf_release(&err);
}
END_TEST

/* Calendar files that are wrong, and the first line of the message. */
static const struct {
	const char *text, *err;
} calbad[] = {
    {"[calendar 2027]\nholidays = 2027-13-01\n",
     ":2: '2027-13-01' is not a date (YYYY-MM-DD)"},
    {"[calendar 2027]\nholidays = 2028-01-01\n",
     ":2: 2028-01-01 is not in 2027"},
    {"[calendar 2027]\nholidays = 2026-11-30\n",
     ":2: 2026-11-30 is not in 2027"},
    {"[calendar 2027]\nholidays = 2027-02-05..2027-02-01\n",
     ":2: '2027-02-05..2027-02-01' ends before it starts"},
    {"[calendar 2027]\nholidays = 2027-01-01\nworkdays = 2027-01-01\n",
     ":3: 2027-01-01 is listed twice"},
    {"[calendar 2027]\nholidays = 2027-01-01,\n",
     ":2: an empty date in the list"},
    {"[calendar 2027]\nholiday = 2027-01-01\n",
     ":2: [calendar 2027]: unknown key 'holiday' (holidays, workdays or "
     "source)"},
    {"[calendar 27]\nholidays = 2027-01-01\n",
     ":2: [calendar 27]: '27' is not a year from 1901 to 2198"},
    {"[deadlines]\nfill = table\n",
     ":2: [deadlines]: a calendar file has only [calendar YYYY] sections"},
    {"[calendar 2027]\nholidays = 2027-01-01\n[calendar 2028]\n"
     "holidays = 2028-01-03\n[calendar 2027]\nworkdays = 2027-01-02\n",
     ":6: [calendar 2027] given twice"},
};

START_TEST(test_calendar_bad_files)
{
	struct hl_calyears ys = HL_CALYEARS_INIT;
	struct hl_buf err = HL_BUF_INIT;
	char path[64];

	write_tmp(path, sizeof(path), calbad[_i].text);
	ck_assert_int_eq(hl_calyears_load(&ys, path, &err), -1);
	ck_assert_msg(strncmp(err.data, path, strlen(path)) == 0 &&
			  strncmp(err.data + strlen(path), calbad[_i].err,
				  strlen(calbad[_i].err)) == 0,
		      "got '%s', want '%s%s'", err.data, path, calbad[_i].err);
	hl_calyears_release(&ys);
	hl_buf_release(&err);
	unlink(path);
}
END_TEST

/* ---- regions ---- */

/* A spelling, the region, the district index wanted (-1 unknown, -2
 * blank) and the name to show. */
static const struct {
	const char *region, *s;
	long want;
	const char *display;
} spell[] = {
    {"guangzhou", "荔湾区", 2, "荔湾区"},
    {"guangzhou", "荔湾", 2, "荔湾区"},
    {"guangzhou", "广州市荔湾区", 2, "荔湾区"},
    {"guangzhou", "广东省广州市 荔湾区", 2, "荔湾区"},
    {"guangzhou", "　荔湾区　", 2, "荔湾区"},
    {"guangzhou", "萝岗区", 5, "黄埔区"},
    {"guangzhou", "黄浦区", 5, "黄埔区"},
    {"guangzhou", "从化市", 9, "从化区"},
    {"guangzhou", "广州", -1, "广州"},
    {"guangzhou", "某某区", -1, "某某区"},
    {"guangzhou", "广州市某某区", -1, "某某区"},
    {"guangzhou", " \t", -2, ""},
    {"beijing", "崇文区", 0, "东城区"},
    {"beijing", "密云县", 14, "密云区"},
    {"beijing", "北京市石景山", 4, "石景山区"},
    {"new-york", "brooklyn", 2, "BROOKLYN"},
    {"new-york", "Ｂｒｏｏｋｌｙｎ", 2, "BROOKLYN"},
    {"new-york", "staten  island", 4, "STATEN ISLAND"},
    {"new-york", "Kings County", 2, "BROOKLYN"},
    {"new-york", "Unspecified", -1, "Unspecified"},
};

START_TEST(test_region_match)
{
	struct hl_buf err = HL_BUF_INIT, key = HL_BUF_INIT, disp = HL_BUF_INIT;
	struct hl_region *r;
	long d;

	ck_assert_msg(hl_region_load(spell[_i].region, &r, &err) == 0, "%s",
		      err.data);
	d = hl_region_match(r, spell[_i].s, strlen(spell[_i].s), &key, &disp);
	ck_assert_msg(d == spell[_i].want, "'%s': %ld, want %ld", spell[_i].s,
		      d, spell[_i].want);
	ck_assert_str_eq(disp.data, spell[_i].display);
	hl_region_free(r);
	hl_buf_release(&err);
	hl_buf_release(&key);
	hl_buf_release(&disp);
}
END_TEST

START_TEST(test_region_files)
{
	struct hl_buf err = HL_BUF_INIT, k1 = HL_BUF_INIT, k2 = HL_BUF_INIT,
		      d = HL_BUF_INIT;
	struct hl_region *r;
	char path[64];

	ck_assert_int_eq(hl_region_load(NULL, &r, &err), 0);
	ck_assert_str_eq(hl_region_city(r), "广州市");
	ck_assert_str_eq(hl_region_source(r), "regions/guangzhou.ini");
	ck_assert_uint_eq(hl_region_count(r), 11);
	ck_assert_str_eq(hl_region_code(r, 2), "440103");
	/* Unknown names that differ only in case meet. */
	hl_region_match(r, "ABC区", 7, &k1, &d);
	hl_region_match(r, "abc区", 7, &k2, &d);
	ck_assert_str_eq(k1.data, k2.data);
	hl_region_free(r);
	ck_assert_int_eq(hl_region_load("beijing", &r, &err), 0);
	ck_assert_uint_eq(hl_region_count(r), 16);
	hl_region_free(r);
	ck_assert_int_eq(hl_region_load("shanghai", &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.data, "'shanghai' is neither"));
	/* A user's file, and its mistakes. */
	write_tmp(path, sizeof(path),
		  "[city]\nname = 某市\nprefixes = 某市\n"
		  "[district 甲区]\ncode = 1\naliases = 老甲县\n"
		  "[district 乙区]\ncode = 2\n");
	ck_assert_msg(hl_region_load(path, &r, &err) == 0, "%s", err.data);
	unlink(path);
	ck_assert_int_eq(hl_region_match(r, "老甲县", 9, &k1, &d), 0);
	ck_assert_str_eq(d.data, "甲区");
	ck_assert_int_eq(hl_region_match(r, "某市乙区", 12, &k1, &d), 1);
	hl_region_free(r);
	write_tmp(path, sizeof(path), "[district 甲区]\ncode = 1\n");
	ck_assert_int_eq(hl_region_load(path, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.data, ": no [city] name"));
	unlink(path);
	write_tmp(path, sizeof(path),
		  "[city]\nname = 某市\n[district 甲区]\naliases = 乙区\n"
		  "[district 乙区]\ncode = 2\n");
	ck_assert_int_eq(hl_region_load(path, &r, &err), -1);
	ck_assert_ptr_nonnull(
	    strstr(err.data, ":6: '乙区' already names 甲区"));
	unlink(path);
	hl_buf_release(&err);
	hl_buf_release(&k1);
	hl_buf_release(&k2);
	hl_buf_release(&d);
}
END_TEST

/*
 * hl_time_parse cases: the cell, the error fragment (NULL: must succeed)
 * and, on success, the civil time wanted and whether the cell was a date
 * only.  Excel serials were converted by hand from the origin 1899-12-30
 * (serial 44564 is 2022-01-03, 25569 days after the origin is 1970-01-01).
 */
static const struct {
	const char *s;
	const char *err;
	int y, mo, d, h, mi, sec;
	int date_only;
} tp_cases[] = {
    /* ISO */
    {"2022-01-03 09:05:00", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022-01-03T09:05:00", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022-01-03 09:05", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022-01-03 09:05:07.123", NULL, 2022, 1, 3, 9, 5, 7, 0},
    /* Fractions of a second round to the nearest second, half up. */
    {"2022-01-03 09:05:59.999999", NULL, 2022, 1, 3, 9, 6, 0, 0},
    {"2022-01-03 09:05:07.5", NULL, 2022, 1, 3, 9, 5, 8, 0},
    {"2022-01-03 09:05:07.49999", NULL, 2022, 1, 3, 9, 5, 7, 0},
    {"2022-12-31 23:59:59.5", NULL, 2023, 1, 1, 0, 0, 0, 0},
    {"2022-01-03", NULL, 2022, 1, 3, 0, 0, 0, 1},
    {"2022-1-3 9:05", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022-01-03  09:05:00", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {" \t2022-01-03 09:05:00\t ", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022-12-31 23:59:59", NULL, 2022, 12, 31, 23, 59, 59, 0},
    {"2022-01-03 00:00:00", NULL, 2022, 1, 3, 0, 0, 0, 0},
    {"2022-01-03 09:05:00 PM", NULL, 2022, 1, 3, 21, 5, 0, 0},
    /* Slash, year first */
    {"2022/1/3 9:05:00", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022/01/03 09:05", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022/1/3", NULL, 2022, 1, 3, 0, 0, 0, 1},
    {"2022/12/31 23:59:59", NULL, 2022, 12, 31, 23, 59, 59, 0},
    {"2022/1/3 9:05:00 AM", NULL, 2022, 1, 3, 9, 5, 0, 0},
    /* US month/day/year */
    {"01/03/2022 09:05:00 AM", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"1/3/2022 9:05 PM", NULL, 2022, 1, 3, 21, 5, 0, 0},
    {"1/3/2022 9:05PM", NULL, 2022, 1, 3, 21, 5, 0, 0},
    {"12/31/2022 12:00:00 AM", NULL, 2022, 12, 31, 0, 0, 0, 0},
    {"12/31/2022 12:00 PM", NULL, 2022, 12, 31, 12, 0, 0, 0},
    {"12/31/2022 12:30:00 am", NULL, 2022, 12, 31, 0, 30, 0, 0},
    {"12/31/2022 12:59:59 pm", NULL, 2022, 12, 31, 12, 59, 59, 0},
    {"1/3/2022 11:59:59 PM", NULL, 2022, 1, 3, 23, 59, 59, 0},
    {"1/3/2022 1:00 AM", NULL, 2022, 1, 3, 1, 0, 0, 0},
    {"1/3/2022 21:05", NULL, 2022, 1, 3, 21, 5, 0, 0},
    {"1/3/2022 0:05:09", NULL, 2022, 1, 3, 0, 5, 9, 0},
    {"01/03/2022", NULL, 2022, 1, 3, 0, 0, 0, 1},
    {"12/31/2022", NULL, 2022, 12, 31, 0, 0, 0, 1},
    /* Chinese */
    {"2022年1月3日", NULL, 2022, 1, 3, 0, 0, 0, 1},
    {"2022年1月3日 9时5分", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022年1月3日 9时5分3秒", NULL, 2022, 1, 3, 9, 5, 3, 0},
    {"2022年1月3日 09:05:00", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022年01月03日09:05", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022年1月3日9时5分", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022年1月3日 9点5分", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"2022年1月3日 下午3点5分", NULL, 2022, 1, 3, 15, 5, 0, 0},
    {"2022年1月3日 下午 3:05", NULL, 2022, 1, 3, 15, 5, 0, 0},
    {"2022年1月3日 12:05 上午", NULL, 2022, 1, 3, 0, 5, 0, 0},
    /* Compact */
    {"20220103090500", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"202201030905", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"20220103", NULL, 2022, 1, 3, 0, 0, 0, 1},
    /* Excel serials */
    {"44564.378472", NULL, 2022, 1, 3, 9, 5, 0, 0},
    {"44564", NULL, 2022, 1, 3, 0, 0, 0, 1},
    {"44564.5", NULL, 2022, 1, 3, 12, 0, 0, 0},
    {"44564.0", NULL, 2022, 1, 3, 0, 0, 0, 0},
    {"44564.999994", NULL, 2022, 1, 3, 23, 59, 59, 0}, /* 86399.48 s */
    {"44564.999995", NULL, 2022, 1, 4, 0, 0, 0, 0},    /* 86399.568 s */
    {"44564.99999999999999", NULL, 2022, 1, 4, 0, 0, 0, 0},
    {"44561.999999", NULL, 2022, 1, 1, 0, 0, 0, 0},    /* from 2021-12-31 */
    {"44564.00015625", NULL, 2022, 1, 3, 0, 0, 14, 0}, /* 13.5 s, up */
    {"44564.000156249", NULL, 2022, 1, 3, 0, 0, 13, 0},
    /* Excel's 1900 system: 1900-02-29 is serial 60, which never was. */
    {"1", NULL, 1900, 1, 1, 0, 0, 0, 1},
    {"2", NULL, 1900, 1, 2, 0, 0, 0, 1},
    {"59", NULL, 1900, 2, 28, 0, 0, 0, 1},
    {"59.5", NULL, 1900, 2, 28, 12, 0, 0, 0},
    {"61", NULL, 1900, 3, 1, 0, 0, 0, 1},
    {"60", "serial 60 is 1900-02-29, which does not exist", 0, 0, 0, 0, 0, 0,
     0},
    {"59.99999999", "serial 60 is 1900-02-29, which does not exist", 0, 0, 0, 0,
     0, 0, 0},
    {"2022", NULL, 1905, 7, 14, 0, 0, 0, 1}, /* a serial, as documented */
    {"99999", NULL, 2173, 10, 13, 0, 0, 0, 1},
    {"0", "serial out of range", 0, 0, 0, 0, 0, 0, 0},
    {"0.5", "serial out of range", 0, 0, 0, 0, 0, 0, 0},
    {"123456", "serial out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2958465", "serial out of range", 0, 0, 0, 0, 0, 0, 0},
    {"20220103.5", "serial out of range", 0, 0, 0, 0, 0, 0, 0},
    {"44564.", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {".5", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"44564.5x", "trailing characters", 0, 0, 0, 0, 0, 0, 0},
    {"44564.5.5", "trailing characters", 0, 0, 0, 0, 0, 0, 0},
    /* Leap years */
    {"2020-02-29", NULL, 2020, 2, 29, 0, 0, 0, 1},
    {"2000-02-29 12:00", NULL, 2000, 2, 29, 12, 0, 0, 0},
    {"2024/2/29", NULL, 2024, 2, 29, 0, 0, 0, 1},
    {"1900-02-29", "day out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2100-02-29", "day out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-02-29", "day out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-02-30", "day out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-04-31", "day out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-00", "day out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-32", "day out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022年2月30日", "day out of range", 0, 0, 0, 0, 0, 0, 0},
    {"20220431", "day out of range", 0, 0, 0, 0, 0, 0, 0},
    /* Range errors */
    {"2022-00-03", "month out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-13-03", "month out of range", 0, 0, 0, 0, 0, 0, 0},
    {"13/1/2022", "month out of range", 0, 0, 0, 0, 0, 0, 0},
    {"20221303", "month out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 24:00:00", "hour out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 25:00", "hour out of range", 0, 0, 0, 0, 0, 0, 0},
    {"20220103250000", "hour out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09:60", "minute out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022年1月3日 9时60分", "minute out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09:05:60", "second out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09:05:99", "second out of range", 0, 0, 0, 0, 0, 0, 0},
    {"1/3/2022 0:30 AM", "hour out of range", 0, 0, 0, 0, 0, 0, 0},
    {"1/3/2022 13:00 PM", "hour out of range", 0, 0, 0, 0, 0, 0, 0},
    {"1/3/2022 00:00 PM", "hour out of range", 0, 0, 0, 0, 0, 0, 0},
    {"1899-12-31", "year out of range", 0, 0, 0, 0, 0, 0, 0},
    {"2200-01-01", "year out of range", 0, 0, 0, 0, 0, 0, 0},
    {"1900-01-01", NULL, 1900, 1, 1, 0, 0, 0, 1},
    {"2199-12-31 23:59:59", NULL, 2199, 12, 31, 23, 59, 59, 0},
    /* Syntax */
    {"", "empty", 0, 0, 0, 0, 0, 0, 0},
    {" \t ", "empty", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09:05:00x", "trailing characters", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03x", "trailing characters", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 x", "trailing characters", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09:05:00 +08:00", "trailing characters", 0, 0, 0, 0, 0, 0, 0},
    {"20220103x", "trailing characters", 0, 0, 0, 0, 0, 0, 0},
    {"2022年1月3日 9时5分x", "trailing characters", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03T", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09:", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09:05:", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09:05:00.", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 090:05", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-001-03", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"22-01-03", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"1/3/22", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022年1月3日 9时", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022年1月", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-01-03 9时5分", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"-2022-01-03", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"+44564", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"-44564.5", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022-+1-03", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"12:00 PM", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022x", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"2022010309", "serial out of range", 0, 0, 0, 0, 0, 0, 0},
    {"无", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
    {"２０２２-01-03", "not a date-time", 0, 0, 0, 0, 0, 0, 0},
};

/* A copy of s in a buffer of exactly its length, without a terminator. */
static char *
unterminated(const char *s, size_t len)
{
	char *p = hl_xmalloc(len > 0 ? len : 1);

	memcpy(p, s, len);
	return p;
}

START_TEST(test_timeparse_cases)
{
	size_t len = strlen(tp_cases[_i].s);
	char *buf = unterminated(tp_cases[_i].s, len);
	const char *err = "unset";
	hl_time t = -12345;
	int date_only = -1, rc;

	rc = hl_time_parse(buf, len, &t, &date_only, &err);
	assert_errstr(tp_cases[_i].s, err, tp_cases[_i].err);
	if (tp_cases[_i].err == NULL) {
		char got[20];

		hl_time_format_iso(t, got);
		ck_assert_int_eq(rc, 0);
		ck_assert_msg(t == hl_time_make(tp_cases[_i].y, tp_cases[_i].mo,
						tp_cases[_i].d, tp_cases[_i].h,
						tp_cases[_i].mi,
						tp_cases[_i].sec),
			      "'%s': got %s", tp_cases[_i].s, got);
		ck_assert_int_eq(date_only, tp_cases[_i].date_only);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(t, -12345);
		ck_assert_int_eq(date_only, -1);
	}
	free(buf);
}
END_TEST

/* The parser stops at len even when the next byte would extend the cell. */
START_TEST(test_timeparse_bounded)
{
	static const char iso[] = "2022-01-03 09:05:007";
	static const char compact[] = "202201037";
	static const char serial[] = "44564.57";
	static const char cn[] = "2022年1月3日 9时5分3秒";
	const char *err;
	hl_time t;
	int date_only;

	ck_assert_int_eq(hl_time_parse(iso, 19, &t, &date_only, &err), 0);
	ck_assert_int_eq(t, hl_time_make(2022, 1, 3, 9, 5, 0));
	ck_assert_int_eq(hl_time_parse(compact, 8, &t, &date_only, &err), 0);
	ck_assert_int_eq(t, hl_time_make(2022, 1, 3, 0, 0, 0));
	ck_assert_int_eq(date_only, 1);
	ck_assert_int_eq(hl_time_parse(serial, 7, &t, &date_only, &err), 0);
	ck_assert_int_eq(t, hl_time_make(2022, 1, 3, 12, 0, 0));
	/* Cut inside a multibyte character: the half 秒 is not a 秒. */
	ck_assert_int_eq(hl_time_parse(cn, strlen(cn) - 1, &t, NULL, &err), -1);
	ck_assert_str_eq(err, "not a date-time");
	ck_assert_int_eq(hl_time_parse(iso, 0, &t, NULL, &err), -1);
	ck_assert_str_eq(err, "empty");
	/* A NULL date_only is allowed. */
	ck_assert_int_eq(hl_time_parse(iso, 16, &t, NULL, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(t, hl_time_make(2022, 1, 3, 9, 5, 0));
}
END_TEST

/* hl_time_parse_fmt cases: cell, format, error, civil time wanted. */
static const struct {
	const char *s, *fmt;
	const char *err;
	int y, mo, d, h, mi, sec;
} tpf_cases[] = {
    {"01/03/2022 09:05:00 PM", "%m/%d/%Y %I:%M:%S %p", NULL, 2022, 1, 3, 21, 5,
     0},
    {"12/31/2022 12:00:00 AM", "%m/%d/%Y %I:%M:%S %p", NULL, 2022, 12, 31, 0, 0,
     0},
    {"12/31/2022 12:00:00 PM", "%m/%d/%Y %I:%M:%S %p", NULL, 2022, 12, 31, 12,
     0, 0},
    {"1/3/2022 9:05:00 am", "%m/%d/%Y %I:%M:%S %p", NULL, 2022, 1, 3, 9, 5, 0},
    {"2022年1月3日", "%Y年%m月%d日", NULL, 2022, 1, 3, 0, 0, 0},
    {"2022年01月03日 下午3时5分", "%Y年%m月%d日 %p%I时%M分", NULL, 2022, 1, 3,
     15, 5, 0},
    {"20220103", "%Y%m%d", NULL, 2022, 1, 3, 0, 0, 0},
    {"202201030905", "%Y%m%d%H%M", NULL, 2022, 1, 3, 9, 5, 0},
    {"03.01.2022 09:05", "%d.%m.%Y %H:%M", NULL, 2022, 1, 3, 9, 5, 0},
    {"2022-01-03   09:05", "%Y-%m-%d %H:%M", NULL, 2022, 1, 3, 9, 5, 0},
    {" 2022-01-03 09:05\t", "%Y-%m-%d %H:%M", NULL, 2022, 1, 3, 9, 5, 0},
    {"100% 2022-01-03", "100%% %Y-%m-%d", NULL, 2022, 1, 3, 0, 0, 0},
    {"44564.378472", "excel", NULL, 2022, 1, 3, 9, 5, 0},
    {"44564", "excel", NULL, 2022, 1, 3, 0, 0, 0},
    {"20220103", "excel", "serial out of range", 0, 0, 0, 0, 0, 0},
    {"2022-01-03", "excel", "trailing characters", 0, 0, 0, 0, 0, 0},
    {"2022-01-0309:05", "%Y-%m-%d %H:%M", "not a date-time", 0, 0, 0, 0, 0, 0},
    {"2022-01-03 09:05:00x", "%Y-%m-%d %H:%M:%S", "trailing characters", 0, 0,
     0, 0, 0, 0},
    {"2022-02-29", "%Y-%m-%d", "day out of range", 0, 0, 0, 0, 0, 0},
    {"2022-13-01", "%Y-%m-%d", "month out of range", 0, 0, 0, 0, 0, 0},
    {"1899-12-31", "%Y-%m-%d", "year out of range", 0, 0, 0, 0, 0, 0},
    {"2022-01-03 24:00", "%Y-%m-%d %H:%M", "hour out of range", 0, 0, 0, 0, 0,
     0},
    {"2022-01-03 23:60", "%Y-%m-%d %H:%M", "minute out of range", 0, 0, 0, 0, 0,
     0},
    {"2022-01-03 23:59:60", "%Y-%m-%d %H:%M:%S", "second out of range", 0, 0, 0,
     0, 0, 0},
    {"01/03/2022 13:05:00 PM", "%m/%d/%Y %I:%M:%S %p", "hour out of range", 0,
     0, 0, 0, 0, 0},
    {"01/03/2022 00:05:00 AM", "%m/%d/%Y %I:%M:%S %p", "hour out of range", 0,
     0, 0, 0, 0, 0},
    {"01/03/2022 09:05:00", "%m/%d/%Y %I:%M:%S %p", "not a date-time", 0, 0, 0,
     0, 0, 0},
    {"202-01-03", "%Y-%m-%d", "not a date-time", 0, 0, 0, 0, 0, 0},
    {"2022-1", "%Y-%m-%d", "not a date-time", 0, 0, 0, 0, 0, 0},
    {"", "%Y-%m-%d", "empty", 0, 0, 0, 0, 0, 0},
    {"2022-01-03", "%Y-%m-%d %q", "unknown conversion '%q'", 0, 0, 0, 0, 0, 0},
};

START_TEST(test_timeparse_fmt)
{
	size_t len = strlen(tpf_cases[_i].s);
	char *buf = unterminated(tpf_cases[_i].s, len);
	const char *err = "unset";
	hl_time t = -12345;
	int rc;

	rc = hl_time_parse_fmt(buf, len, tpf_cases[_i].fmt, &t, &err);
	assert_errstr(tpf_cases[_i].s, err, tpf_cases[_i].err);
	if (tpf_cases[_i].err == NULL) {
		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(
		    t, hl_time_make(tpf_cases[_i].y, tpf_cases[_i].mo,
				    tpf_cases[_i].d, tpf_cases[_i].h,
				    tpf_cases[_i].mi, tpf_cases[_i].sec));
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(t, -12345);
	}
	free(buf);
}
END_TEST

/* hl_time_fmt_check cases: format and error fragment (NULL: valid). */
static const struct {
	const char *fmt, *err;
} tfc_cases[] = {
    {"%Y-%m-%d %H:%M:%S", NULL},
    {"%m/%d/%Y %I:%M:%S %p", NULL},
    {"%Y年%m月%d日", NULL},
    {"%Y%m%d", NULL},
    {"excel", NULL},
    {"%%%Y-%m-%d", NULL},
    {"", "empty format"},
    {"%Y-%m-%d %q", "unknown conversion '%q'"},
    {"%Y-%m-%d %T", "unknown conversion '%T'"},
    {"%Y-%m-%d %1", "unknown conversion"},
    {"%Y-%m-%d %I:%M", "%I without %p"},
    {"%Y-%m-%d %H:%M %p", "%p without %I"},
    {"%Y-%m-%d %H %I %p", "both %H and %I"},
    {"%m-%d", "missing %Y"},
    {"%Y-%d", "missing %m"},
    {"%Y-%m", "missing %d"},
    {"Excel", "missing %Y"},
    {"%Y-%m-%d %Y", "duplicate conversion '%Y'"},
    {"%Y-%m-%d %H:%M:%M", "duplicate conversion '%M'"},
    {"%Y-%m-%d %", "trailing '%'"},
    {"%Y-%m-%d %M", "%M without an hour"},
    {"%Y-%m-%d %H:%S", "%S without %M"},
};

START_TEST(test_timeparse_fmt_check)
{
	const char *err = "unset";
	int rc = hl_time_fmt_check(tfc_cases[_i].fmt, &err);

	assert_errstr(tfc_cases[_i].fmt, err, tfc_cases[_i].err);
	ck_assert_int_eq(rc, tfc_cases[_i].err == NULL ? 0 : -1);
}
END_TEST

START_TEST(test_timeparse_fmt_check_null)
{
	const char *err = NULL;

	ck_assert_int_eq(hl_time_fmt_check(NULL, &err), -1);
	ck_assert_str_eq(err, "empty format");
}
END_TEST

/* Parses text, which must give t (and date_only when not -1). */
static void
assert_parses(const char *text, hl_time t, int date_only)
{
	const char *err;
	hl_time got = 0;
	int d = -1;

	ck_assert_msg(hl_time_parse(text, strlen(text), &got, &d, &err) == 0,
		      "'%s': %s", text, err);
	ck_assert_msg(got == t, "'%s': off by %lld s", text,
		      (long long)(got - t));
	if (date_only != -1)
		ck_assert_int_eq(d, date_only);
}

/*
 * Round trip: seconds spread over 1990 to 2040 with a step that is not a
 * multiple of a minute, written by the test in every shape and read back.
 * Excel serials with 6 decimals resolve 0.0864 s, so they too come back to
 * the exact second.
 */
START_TEST(test_timeparse_roundtrip)
{
	hl_time t = hl_time_make(1990, 1, 1, 0, 0, 0);
	hl_time stop = hl_time_make(2040, 12, 31, 23, 59, 59);
	int n = 0;

	for (; t <= stop; t += 536113, n++) {
		int64_t day = t / 86400;
		int sec = (int)(t % 86400), y, m, d, h, mi, s, frac, h12;
		long long serial = day + 25569; /* days since 1899-12-30 */
		char text[64];

		hl_civil_from_days(day, &y, &m, &d);
		h = sec / 3600;
		mi = sec / 60 % 60;
		s = sec % 60;
		h12 = h % 12 == 0 ? 12 : h % 12;

		snprintf(text, sizeof(text), "%04d-%02d-%02d %02d:%02d:%02d", y,
			 m, d, h, mi, s);
		assert_parses(text, t, 0);
		snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d", y,
			 m, d, h, mi, s);
		assert_parses(text, t, 0);
		snprintf(text, sizeof(text), "%d/%d/%d %d:%02d:%02d", y, m, d,
			 h, mi, s);
		assert_parses(text, t, 0);
		snprintf(text, sizeof(text), "%d/%d/%d %d:%02d:%02d %s", m, d,
			 y, h12, mi, s, h < 12 ? "AM" : "PM");
		assert_parses(text, t, 0);
		snprintf(text, sizeof(text), "%04d%02d%02d%02d%02d%02d", y, m,
			 d, h, mi, s);
		assert_parses(text, t, 0);
		snprintf(text, sizeof(text), "%d年%d月%d日 %d时%d分%d秒", y, m,
			 d, h, mi, s);
		assert_parses(text, t, 0);
		snprintf(text, sizeof(text), "%04d%02d%02d", y, m, d);
		assert_parses(text, day * 86400, 1);

		/* The fraction of the day to 6 decimals, rounded half up. */
		frac = (int)(((int64_t)sec * 1000000 + 43200) / 86400);
		if (frac == 1000000) {
			serial++;
			frac = 0;
		}
		snprintf(text, sizeof(text), "%lld.%06d", serial, frac);
		assert_parses(text, t, 0);
	}
	ck_assert_int_ge(n, 3000);
}
END_TEST

/* RFC 4231's test cases 1 to 7 for HMAC-SHA-256 (case 5 truncated to
 * 128 bits, as the caller hash is). */
static const struct {
	const char *key, *msg; /* "hex:..." for bytes, else the text */
	size_t keylen, msglen; /* of bytes repeated: one byte, keylen times */
	const char *mac;       /* hex, as many bytes as the case checks */
} hmac_cases[] = {
    {"\x0b", "Hi There", 20, 0,
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {"Jefe", "what do ya want for nothing?", 0, 0,
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {"\xaa", "\xdd", 20, 50,
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
    {"range", "\xcd", 25, 50,
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
    {"\x0c", "Test With Truncation", 20, 0, "a3b6167473100ee06e0c796c2955552b"},
    {"\xaa", "Test Using Larger Than Block-Size Key - Hash Key First", 131, 0,
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {"\xaa",
     "This is a test using a larger than block-size key and a larger than "
     "block-size data. The key needs to be hashed before being used by the "
     "HMAC algorithm.",
     131, 0,
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
};

/* s as bytes into b: one byte repeated n times (n > 0), 1, 2, ... n for
 * "range", else the text. */
static size_t
case_bytes(const char *s, size_t n, unsigned char *b)
{
	size_t i;

	if (strcmp(s, "range") == 0) {
		for (i = 0; i < n; i++)
			b[i] = (unsigned char)(i + 1);
		return n;
	}
	if (n > 0) {
		memset(b, (unsigned char)s[0], n);
		return n;
	}
	memcpy(b, s, strlen(s));
	return strlen(s);
}

START_TEST(test_hmac_rfc4231)
{
	unsigned char key[200], msg[200], mac[HL_SHA256_LEN];
	char hex[2 * HL_SHA256_LEN + 1];
	size_t kl, ml, i, want = strlen(hmac_cases[_i].mac) / 2;

	kl = case_bytes(hmac_cases[_i].key, hmac_cases[_i].keylen, key);
	ml = case_bytes(hmac_cases[_i].msg, hmac_cases[_i].msglen, msg);
	hl_hmac_sha256(key, kl, msg, ml, mac);
	for (i = 0; i < want; i++)
		snprintf(hex + 2 * i, 3, "%02x", mac[i]);
	ck_assert_str_eq(hex, hmac_cases[_i].mac);
}
END_TEST

START_TEST(test_random_bytes)
{
	unsigned char a[32], b[32];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	ck_assert_int_eq(hl_random_bytes(a, sizeof(a)), 0);
	ck_assert_int_eq(hl_random_bytes(b, sizeof(b)), 0);
	/* two draws of 256 bits are equal with probability 2^-256 */
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
}
END_TEST

static Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc;

	hl_check_case(s, "buf", NULL, NULL, test_buf_init, test_buf_growth,
		      test_buf_add, test_hash64, test_idmap, test_buf_printf,
		      test_buf_detach, test_grow_big, NULL);
	tc = hl_check_case(s, "strnum", NULL, NULL, test_strtonum_null, NULL);
	tcase_add_loop_test(tc, test_strtonum, 0,
			    (int)HL_ARRAY_LEN(strtonum_cases));
	tcase_add_loop_test(tc, test_strtofrac, 0,
			    (int)HL_ARRAY_LEN(strtofrac_cases));

	hl_check_case(s, "diag", NULL, NULL, test_diag_format, test_diag_cap,
		      test_diag_uncapped, test_diag_kind, test_diag_note_cut,
		      NULL);
	hl_check_case(s, "datetime", NULL, NULL, test_datetime_anchors,
		      test_datetime_roundtrip, test_datetime_format, NULL);
	tc = hl_check_case(s, "calendar", load_calendar, free_calendar,
			   test_calendar_days, test_calendar_add_workdays,
			   test_calendar_work_secs, test_calendar_user_year,
			   NULL);
	tcase_add_loop_test(tc, test_calendar_year_totals, 0,
			    (int)HL_ARRAY_LEN(calyears));
	tcase_add_loop_test(tc, test_calendar_every_day, 0,
			    (int)HL_ARRAY_LEN(calyears));
	tcase_add_loop_test(tc, test_calendar_bad_files, 0,
			    (int)HL_ARRAY_LEN(calbad));

	tc = hl_check_case(s, "region", NULL, NULL, test_region_files, NULL);
	tcase_add_loop_test(tc, test_region_match, 0, (int)HL_ARRAY_LEN(spell));

	tc = hl_check_case(s, "timeparse", NULL, NULL, test_timeparse_bounded,
			   test_timeparse_fmt_check_null,
			   test_timeparse_roundtrip, NULL);
	tcase_add_loop_test(tc, test_timeparse_cases, 0,
			    (int)HL_ARRAY_LEN(tp_cases));
	tcase_add_loop_test(tc, test_timeparse_fmt, 0,
			    (int)HL_ARRAY_LEN(tpf_cases));
	tcase_add_loop_test(tc, test_timeparse_fmt_check, 0,
			    (int)HL_ARRAY_LEN(tfc_cases));

	tc = hl_check_case(s, "hmac", NULL, NULL, test_random_bytes, NULL);
	tcase_add_loop_test(tc, test_hmac_rfc4231, 0,
			    (int)HL_ARRAY_LEN(hmac_cases));

	return s;
}

HL_CHECK_MAIN(util_suite)
