/*
 * fuzz_mapping.c - mapping files on any bytes: loading either succeeds or
 * fails with "file:line: message", and a loaded mapping resolves headers
 * and values without fault.
 */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ingest/mapping.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *headers[] = {"Ticket No", "Opened", "工单编号", "受理时间",
				  "Type",      "Rating", ""};
	struct hl_mapping *m = hl_mapping_new();
	struct hl_columns cols;
	char path[64];
	int fd = memfd_create("fuzz.ini", 0), known;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (hl_mapping_load(m, path) == 0) {
		hl_columns_init(&cols);
		hl_mapping_resolve(m, headers, HL_ARRAY_LEN(headers), &cols);
		hl_columns_release(&cols);
		hl_mapping_category(m, "Noise", 5, &known);
		hl_mapping_satisfaction(m, "Good", 4, &known);
		hl_mapping_status(m, "Resolved", 8, &known);
		hl_mapping_yesno(m, "Priority", 8);
		hl_mapping_reopen(m, "12", 2);
	} else if (strstr(hl_mapping_errmsg(m), "/proc/self/fd/") == NULL) {
		abort(); /* every error names the file */
	}
	hl_mapping_free(m);
	close(fd);
	return 0;
}
