/*
 * check_reader.c - tests of the ingest reader: fields and their line:col
 * positions at every chunk size, encodings (BOM, GB18030 with characters
 * outside GBK, detection, invalid bytes in the middle), and every kind of
 * unreadable record, each reported where it is and followed by the next
 * record.  Expected positions are counted by hand in the comments.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "ingest/reader.h"
#include "util/util.h"

/*
 * Reads all of text and writes what the reader saw as one line per
 * record: "L:C[field]L:C[field]" or "!L:C message {raw}".
 */
static char *
read_all(const char *text, size_t len, enum hl_encoding enc, size_t chunk,
	 size_t max_record, enum hl_encoding *seen)
{
	FILE *f = fmemopen((void *)text, len, "rb");
	struct hl_reader *r;
	struct hl_record rec;
	struct hl_buf log = HL_BUF_INIT;
	int rc;
	size_t i;

	ck_assert_ptr_nonnull(f);
	r = hl_reader_new(f, "t.csv", enc, chunk, max_record);
	while ((rc = hl_reader_next(r, &rec)) != 0) {
		ck_assert_int_ne(rc, -2);
		if (rc < 0) {
			hl_buf_printf(&log, "!%lu:%lu %s {", rec.errpos.line,
				      rec.errpos.col, rec.errmsg);
			hl_buf_add(&log, rec.raw, rec.rawlen);
			hl_buf_adds(&log, "}\n");
			continue;
		}
		for (i = 0; i < rec.nfields; i++) {
			ck_assert_uint_eq(strlen(rec.field[i]), rec.len[i]);
			struct hl_pos at = hl_record_pos(&rec, i);

			hl_buf_printf(&log, "%lu:%lu[%s]", at.line, at.col,
				      rec.field[i]);
		}
		hl_buf_addc(&log, '\n');
	}
	if (seen)
		*seen = hl_reader_encoding(r);
	hl_reader_free(r);
	fclose(f);
	return hl_buf_detach(&log, NULL);
}

/* The same text at chunk sizes 1..16 and the default gives want. */
static void
expect_all_chunks(const char *text, size_t len, const char *want)
{
	size_t chunk;

	for (chunk = 0; chunk <= 16; chunk++) {
		char *got =
		    read_all(text, len, HL_ENCODING_AUTO, chunk, 0, NULL);

		ck_assert_msg(strcmp(got, want) == 0,
			      "chunk %zu:\n--- want\n%s--- got\n%s", chunk,
			      want, got);
		free(got);
	}
}

/* ---- positions ---- */

START_TEST(test_positions)
{
	/*
	 * line 1: id,name,note            fields at cols 1, 4, 9
	 * line 2: 1,"multi                1 at 2:1, the quoted field at 2:3
	 * line 3: line, ""q""",x          (it spans lines 2-3), x at 3:14
	 * line 4: 2,,"a,b"                empty field at 4:3, "a,b" at 4:4
	 */
	static const char text[] = "id,name,note\r\n"
				   "1,\"multi\r\nline, \"\"q\"\"\",x\r\n"
				   "2,,\"a,b\"\r\n";

	expect_all_chunks(text, sizeof(text) - 1,
			  "1:1[id]1:4[name]1:9[note]\n"
			  "2:1[1]2:3[multi\r\nline, \"q\"]3:14[x]\n"
			  "4:1[2]4:3[]4:4[a,b]\n");
}
END_TEST

START_TEST(test_lf_no_final_newline)
{
	static const char text[] = "a,b\n\nc,\"d\"";

	/* The empty line is no record; the last one needs no line end. */
	expect_all_chunks(text, sizeof(text) - 1,
			  "1:1[a]1:3[b]\n3:1[c]3:3[d]\n");
}
END_TEST

START_TEST(test_spaces_kept)
{
	static const char text[] = " a , b\n";

	expect_all_chunks(text, sizeof(text) - 1, "1:1[ a ]1:5[ b]\n");
}
END_TEST

/* ---- encodings ---- */

START_TEST(test_bom)
{
	static const char text[] = "\xef\xbb\xbf工单编号,受理时间\r\nA1,x\r\n";
	enum hl_encoding e;
	char *got =
	    read_all(text, sizeof(text) - 1, HL_ENCODING_AUTO, 5, 0, &e);

	/* The BOM is not counted: the header starts at column 1. */
	ck_assert_str_eq(got, "1:1[工单编号]1:14[受理时间]\n2:1[A1]2:4[x]\n");
	ck_assert_int_eq(e, HL_ENCODING_UTF8_BOM);
	free(got);
}
END_TEST

START_TEST(test_gb18030)
{
	/* "工单,𠮷祥\n" in GB18030: 工 B9A4 单 B5A5 𠮷 9534 B235 祥 CFE9. */
	static const char text[] = "\xb9\xa4\xb5\xa5,\x95\x34\xb2\x35\xcf\xe9\n"
				   "1,\xb9\xa4\n";
	enum hl_encoding e;
	char *got =
	    read_all(text, sizeof(text) - 1, HL_ENCODING_AUTO, 3, 0, &e);

	ck_assert_int_eq(e, HL_ENCODING_GB18030);
	/* Byte columns of the file: 𠮷祥 starts at byte 6. */
	ck_assert_str_eq(got, "1:1[工单]1:6[𠮷祥]\n2:1[1]2:3[工]\n");
	free(got);
	got = read_all(text, sizeof(text) - 1, HL_ENCODING_GB18030, 0, 0, &e);
	ck_assert_str_eq(got, "1:1[工单]1:6[𠮷祥]\n2:1[1]2:3[工]\n");
	free(got);
}
END_TEST

START_TEST(test_utf8_invalid_byte_in_the_middle)
{
	/* Plenty of valid UTF-8, one bad row: the file stays UTF-8 and only
	 * that row is rejected, at the start of its field. */
	static const char text[] = "编号,内容\n"
				   "1,市民来电咨询\n"
				   "2,市\xff民\n"
				   "3,咨询社保\n";
	enum hl_encoding e;
	char *got =
	    read_all(text, sizeof(text) - 1, HL_ENCODING_AUTO, 4, 0, &e);

	ck_assert_int_eq(e, HL_ENCODING_UTF8);
	ck_assert_str_eq(got, "1:1[编号]1:8[内容]\n"
			      "2:1[1]2:3[市民来电咨询]\n"
			      "!3:3 invalid UTF-8 byte 0xFF in field 2 "
			      "{2,市\xff民}\n"
			      "4:1[3]4:3[咨询社保]\n");
	free(got);
}
END_TEST

START_TEST(test_gb18030_detected_despite_bad_bytes)
{
	/* A GB18030 file with an invalid byte in its first rows is still
	 * read as GB18030; only the bad row is rejected. */
	static const char text[] = "\xb9\xa4,\xb5\xa5\n1,\xff\xff\n"
				   "2,\xb9\xa4\xb5\xa5\xcf\xe9\n";
	enum hl_encoding e;
	char *got =
	    read_all(text, sizeof(text) - 1, HL_ENCODING_AUTO, 0, 0, &e);

	ck_assert_int_eq(e, HL_ENCODING_GB18030);
	ck_assert_str_eq(got, "1:1[工]1:4[单]\n"
			      "!2:3 invalid GB18030 bytes (0xFF) in field 2 "
			      "{1,\xff\xff}\n"
			      "3:1[2]3:3[工单祥]\n");
	free(got);
}
END_TEST

START_TEST(test_overlong_and_surrogate)
{
	/* C0 AF is an overlong '/'; ED A0 80 a UTF-16 surrogate. */
	static const char text[] = "a,\xc0\xaf\nb,\xed\xa0\x80\nc,ok\n";
	char *got =
	    read_all(text, sizeof(text) - 1, HL_ENCODING_UTF8, 0, 0, NULL);

	/* C0 AF would be GB18030: the message says --encoding could help;
	 * ED A0 80 would not. */
	ck_assert_str_eq(
	    got, "!1:3 invalid UTF-8 byte 0xC0 in field 2 (the record reads "
		 "as GB18030: --encoding gb18030 if the file is GBK or "
		 "GB18030) {a,\xc0\xaf}\n"
		 "!2:3 invalid UTF-8 byte 0xED in field 2 {b,\xed\xa0\x80}\n"
		 "3:1[c]3:3[ok]\n");
	free(got);
}
END_TEST

/*
 * A file whose first 64 KiB are ASCII is guessed to be UTF-8; when its
 * first bytes past ASCII read as GB18030 (and not as UTF-8), it is read
 * as GB18030 from that line, not rejected row by row.
 */
START_TEST(test_gb18030_past_the_sample)
{
	struct hl_buf text = HL_BUF_INIT;
	struct hl_reader *r;
	struct hl_record rec;
	unsigned long lines = 0;
	FILE *f;
	int rc;

	while (text.len < 70000) {
		hl_buf_printf(&text, "%lu,ascii\n", lines + 1);
		lines++;
	}
	/* 荔湾区 in GBK */
	hl_buf_adds(&text, "x,\xc0\xf3\xcd\xe5\xc7\xf8\ny,ok\n");
	f = fmemopen(text.data, text.len, "rb");
	r = hl_reader_new(f, "t.csv", HL_ENCODING_AUTO, 0, 0);
	while ((rc = hl_reader_next(r, &rec)) == 1)
		if (strcmp(rec.field[0], "x") == 0)
			ck_assert_str_eq(rec.field[1], "荔湾区");
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(hl_reader_encoding(r), HL_ENCODING_GB18030);
	ck_assert_uint_eq(hl_reader_switched(r), lines + 1);
	hl_reader_free(r);
	fclose(f);
	hl_buf_release(&text);
}
END_TEST

START_TEST(test_gb18030_invalid)
{
	static const char text[] =
	    "\xb9\xa4,\xb5\xa5\n1,\xff\xff\n2,\xb9\xa4\n";
	char *got =
	    read_all(text, sizeof(text) - 1, HL_ENCODING_GB18030, 0, 0, NULL);

	ck_assert_str_eq(got, "1:1[工]1:4[单]\n"
			      "!2:3 invalid GB18030 bytes (0xFF) in field 2 "
			      "{1,\xff\xff}\n"
			      "3:1[2]3:3[工]\n");
	free(got);
}
END_TEST

/* ---- unreadable records ---- */

START_TEST(test_stray_quote)
{
	/* The quote is byte 4 of line 2; reading resumes on line 3. */
	static const char text[] = "a,b\n1,x\"y,z\n2,w\n";

	expect_all_chunks(text, sizeof(text) - 1,
			  "1:1[a]1:3[b]\n"
			  "!2:4 quote inside an unquoted field {1,x\"y,z}\n"
			  "3:1[2]3:3[w]\n");
}
END_TEST

START_TEST(test_stray_quote_then_quoted_line_break)
{
	/* After the stray quote, the record goes on with a quoted field that
	 * spans a line: the record ends on line 2, and nothing of it comes
	 * back as a second bad record. */
	static const char text[] = "1,x\"y,\"multi\nline\",z\n2,w\n";

	expect_all_chunks(text, sizeof(text) - 1,
			  "!1:4 quote inside an unquoted field "
			  "{1,x\"y,\"multi\nline\",z}\n"
			  "3:1[2]3:3[w]\n");
}
END_TEST

START_TEST(test_after_closing_quote)
{
	static const char text[] = "1,\"ab\"x,c\r\n2,\"d\"\r\n";

	expect_all_chunks(text, sizeof(text) - 1,
			  "!1:7 unexpected character after a closing quote "
			  "{1,\"ab\"x,c}\n"
			  "2:1[2]2:3[d]\n");
}
END_TEST

/*
 * CR-only line ends (old Mac exports), and CR, LF and CRLF mixed: each
 * ends one line, for positions and for resuming after a bad record, at
 * every chunk size.
 */
START_TEST(test_cr_only)
{
	static const char text[] = "a,b\r1,x\"y,z\r2,\"ab\"c,d\r3,\"m\rn\",w\r"
				   "4,v\r";

	expect_all_chunks(text, sizeof(text) - 1,
			  "1:1[a]1:3[b]\n"
			  "!2:4 quote inside an unquoted field {1,x\"y,z}\n"
			  "!3:7 unexpected character after a closing quote "
			  "{2,\"ab\"c,d}\n"
			  "4:1[3]4:3[m\rn]5:4[w]\n"
			  "6:1[4]6:3[v]\n");
}
END_TEST

START_TEST(test_mixed_line_ends)
{
	static const char text[] = "a,b\r\n1,x\"y\r2,c\n3,\"p\r\nq\"\r4,\"r\n"
				   "s\",t\r\n\r\n5,u";

	expect_all_chunks(text, sizeof(text) - 1,
			  "1:1[a]1:3[b]\n"
			  "!2:4 quote inside an unquoted field {1,x\"y}\n"
			  "3:1[2]3:3[c]\n"
			  "4:1[3]4:3[p\r\nq]\n"
			  "6:1[4]6:3[r\ns]7:4[t]\n"
			  "9:1[5]9:3[u]\n");
}
END_TEST

START_TEST(test_unterminated_at_eof)
{
	/* A truncated export: the quote opened on line 2 never closes. */
	static const char text[] = "a,b\n1,\"cut\nshort";

	expect_all_chunks(
	    text, sizeof(text) - 1,
	    "1:1[a]1:3[b]\n"
	    "!2:3 end of file inside a quoted field (the quote opens here) "
	    "{1,\"cut\nshort}\n");
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char text[] = "a,b\n1,x\0y\n2,z\n";

	expect_all_chunks(text, sizeof(text) - 1,
			  "1:1[a]1:3[b]\n"
			  "!2:4 NUL byte in the record {1,x\0y}\n"
			  "3:1[2]3:3[z]\n");
}
END_TEST

/*
 * A workbook or UTF-16 text is told by its first bytes, whatever its
 * name, and refused as such (not as a NUL byte in the header).
 */
START_TEST(test_not_csv)
{
	static const struct {
		const char *bytes;
		size_t n;
		const char *says;
	} cases[] = {
	    {"PK\x03\x04\x14\x00\x06\x00", 8, "Excel workbook (.xlsx)"},
	    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", 9,
	     "Excel 97-2003 workbook (.xls)"},
	    {"\xff\xfe\xe5\x5d\x55\x53", 6, "UTF-16 text"},
	    {"\xfe\xff\x5d\xe5\x53\x55", 6, "UTF-16 text"},
	};
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(cases); i++) {
		FILE *f = fmemopen((void *)cases[i].bytes, cases[i].n, "rb");
		struct hl_reader *r =
		    hl_reader_new(f, "x.csv", HL_ENCODING_AUTO, 0, 0);
		struct hl_record rec;

		ck_assert_int_eq(hl_reader_next(r, &rec), -2);
		ck_assert_msg(strstr(hl_reader_errmsg(r), cases[i].says) &&
				  strstr(hl_reader_errmsg(r), "CSV UTF-8"),
			      "%zu: %s", i, hl_reader_errmsg(r));
		hl_reader_free(r);
		fclose(f);
	}
}
END_TEST

START_TEST(test_record_too_long)
{
	struct hl_buf t = HL_BUF_INIT;
	char *got;
	int i;

	hl_buf_adds(&t, "a,b\n1,");
	for (i = 0; i < 1000; i++)
		hl_buf_adds(&t, "xxxxxxxxxx");
	hl_buf_adds(&t, "\n2,ok\n");
	got = read_all(t.data, t.len, HL_ENCODING_AUTO, 7, 100, NULL);
	ck_assert_msg(strncmp(got,
			      "1:1[a]1:3[b]\n!2:1 record longer than "
			      "100 bytes {1,xxx",
			      39) == 0,
		      "%s", got);
	ck_assert_ptr_nonnull(strstr(got, "}\n3:1[2]3:3[ok]\n"));
	/* The kept raw bytes are bounded too. */
	ck_assert_uint_lt(strlen(got), 400);
	free(got);
	hl_buf_release(&t);
}
END_TEST

static Suite *
reader_suite(void)
{
	Suite *s = suite_create("reader");

	hl_check_case(s, "positions", NULL, NULL, test_positions,
		      test_lf_no_final_newline, test_spaces_kept, NULL);
	hl_check_case(s, "encodings", NULL, NULL, test_bom, test_gb18030,
		      test_utf8_invalid_byte_in_the_middle,
		      test_gb18030_detected_despite_bad_bytes,
		      test_overlong_and_surrogate, test_gb18030_past_the_sample,
		      test_gb18030_invalid, NULL);
	hl_check_case(s, "malformed", NULL, NULL, test_stray_quote,
		      test_stray_quote_then_quoted_line_break,
		      test_after_closing_quote, test_cr_only,
		      test_mixed_line_ends, test_unterminated_at_eof,
		      test_nul_byte, test_not_csv, test_record_too_long, NULL);
	return s;
}

HL_CHECK_MAIN(reader_suite)
