/*
 * fuzz_reader.c - the CSV reader with encoding detection, on any bytes:
 * every record either reads (fields NUL-free and as long as they say,
 * positions at or after the record's start) or is an error with a
 * position; reading always ends.  The first byte picks the read size and
 * the encoding, so chunk boundaries land everywhere.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum hl_encoding enc[4] = {
	    HL_ENCODING_AUTO, HL_ENCODING_UTF8, HL_ENCODING_GB18030,
	    HL_ENCODING_AUTO};
	struct hl_reader *r;
	struct hl_record rec;
	FILE *f;
	size_t i, chunk;
	int rc, n = 0;

	if (size < 1)
		return 0;
	chunk = 1 + data[0] % 17;
	f = fmemopen((void *)(data + 1), size - 1, "rb");
	if (f == NULL)
		return 0;
	r = hl_reader_new(f, "fuzz.csv", enc[data[0] >> 6], chunk, 4096);
	while ((rc = hl_reader_next(r, &rec)) != 0 && rc != -2) {
		if (rc < 0) {
			if (rec.errpos.line < 1 || rec.errpos.col < 1 ||
			    rec.errmsg == NULL)
				abort();
			continue;
		}
		for (i = 0; i < rec.nfields; i++) {
			struct hl_pos p = hl_record_pos(&rec, i);

			if (strlen(rec.field[i]) != rec.len[i])
				abort();
			if (p.line < rec.start.line ||
			    (p.line == rec.start.line && p.col < rec.start.col))
				abort();
		}
		if (++n > 1000000)
			abort(); /* more records than bytes: a loop */
	}
	hl_reader_free(r);
	fclose(f);
	return 0;
}
