/*
 * fuzz_profile.c - metric profiles on any bytes: loading either succeeds,
 * with every setting in its range and a calendar that builds, or fails
 * with "file:line: message".
 */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analysis/analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hl_settings s;
	struct hl_buf err = HL_BUF_INIT;
	struct hl_calendar *c;
	char path[64];
	int fd = memfd_create("fuzz.ini", 0), i;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	hl_settings_init(&s);
	if (hl_settings_load(&s, path, &err) == 0) {
		if (s.basic_weight < 0 || s.basic_weight > 1 || s.rank_min < 1)
			abort();
		for (i = 0; i < HL_CAT_COUNT; i++)
			if (s.deadline_days[i] < 0 || s.deadline_days[i] > 365)
				abort();
		/* A profile's years always build a calendar. */
		if (hl_calendar_new(&s.cal, &c, &err) != 0)
			abort();
		hl_calendar_free(c);
	} else if (strstr(err.data, "/proc/self/fd/") == NULL) {
		abort();
	}
	hl_settings_release(&s);
	hl_buf_release(&err);
	close(fd);
	return 0;
}
