/*
 * fuzz_workbook.c - the sources a file's first bytes choose (source.h:
 * .xlsx, .xls, UTF-16 text, CSV), on any bytes: every record either
 * reads (fields NUL-free and as long as they say, positions on the sheet
 * or at or after the record's start) or is an error with a position;
 * reading always ends, and a failure says why.
 *
 * The first byte picks how the rest is used.  Even: the rest is the file
 * itself (a damaged zip, a damaged BIFF file, text).  Odd: the rest is the
 * parts of a workbook separated by "\n--\n" (the sheet, its shared
 * strings, its styles, its workbook.xml), zipped with libzip, so that the
 * fuzzer reaches the XML rather than the zip's checksums.
 *
 * Under libFuzzer, an .xls is left alone: libfreexl reads past its
 * buffers on damaged files, and runs in a child (forked.c) whose crash
 * libFuzzer, copied into it, would take for ours.  The replay of the
 * corpus (a plain process) still feeds them, and checks that a crash of
 * the child is an error about the file.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "ingest/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char workbook[] =
    "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" sheetId=\"1\" "
    "r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] = "<Relationships><Relationship Id=\"rId1\" "
			   "Target=\"worksheets/sheet1.xml\"/></Relationships>";

/* The parts in data, zipped into path; 0, or -1. */
static int
zip_parts(const char *path, const uint8_t *data, size_t size)
{
	static const char *const name[] = {"xl/worksheets/sheet1.xml",
					   "xl/sharedStrings.xml",
					   "xl/styles.xml", "xl/workbook.xml"};
	const uint8_t *p = data, *end = data + size, *cut, *q;
	zip_t *z;
	zip_source_t *s;
	int err, k, have_wb = 0;

	if ((z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err)) == NULL)
		return -1;
	for (k = 0; k < 4 && p <= end; k++) {
		size_t n;

		cut = NULL;
		for (q = p; q + 4 <= end; q++)
			if (memcmp(q, "\n--\n", 4) == 0) {
				cut = q;
				break;
			}
		n = (size_t)((cut ? cut : end) - p);
		s = zip_source_buffer(z, p, n, 0);
		if (s == NULL || zip_file_add(z, name[k], s, 0) < 0) {
			zip_source_free(s);
			zip_discard(z);
			return -1;
		}
		have_wb |= k == 3;
		if (cut == NULL)
			break;
		p = cut + 4;
	}
	if (!have_wb) {
		s = zip_source_buffer(z, workbook, sizeof(workbook) - 1, 0);
		if (s == NULL || zip_file_add(z, name[3], s, 0) < 0) {
			zip_source_free(s);
			zip_discard(z);
			return -1;
		}
	}
	s = zip_source_buffer(z, rels, sizeof(rels) - 1, 0);
	if (s == NULL ||
	    zip_file_add(z, "xl/_rels/workbook.xml.rels", s, 0) < 0) {
		zip_source_free(s);
		zip_discard(z);
		return -1;
	}
	return zip_close(z) == 0 ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/hl-fuzz-XXXXXX";
	struct hl_source *src;
	struct hl_record rec;
	FILE *f;
	size_t i;
	int fd, rc, n = 0;

	if (size < 1)
		return 0;
#ifdef HL_FUZZING
	if (!(data[0] & 1) && hl_format_of(data + 1, size - 1) == HL_FORMAT_XLS)
		return 0;
#endif
	if ((fd = mkstemp(path)) < 0)
		return 0;
	if (data[0] & 1) {
		close(fd);
		if (zip_parts(path, data + 1, size - 1) != 0) {
			unlink(path);
			return 0;
		}
	} else {
		if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
			close(fd);
			unlink(path);
			return 0;
		}
		close(fd);
	}
	if ((f = fopen(path, "rb")) == NULL) {
		unlink(path);
		return 0;
	}
	src = hl_source_open(f, path, HL_ENCODING_AUTO, NULL);
	while ((rc = hl_source_next(src, &rec)) != 0) {
		if (rc == -2) {
			if (hl_source_errmsg(src)[0] == '\0')
				abort(); /* a failure that says nothing */
			break;
		}
		if (rc < 0) {
			if (rec.errpos.line < 1 || rec.errmsg == NULL)
				abort();
			continue;
		}
		for (i = 0; i < rec.nfields; i++) {
			struct hl_pos p = hl_source_pos(src, &rec, i);

			if (strlen(rec.field[i]) != rec.len[i])
				abort();
			if (p.line < rec.start.line || p.col < 1)
				abort();
		}
		if (++n > 1000000)
			abort(); /* more records than bytes: a loop */
	}
	hl_source_free(src);
	fclose(f);
	unlink(path);
	return 0;
}
