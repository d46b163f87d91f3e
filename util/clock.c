/*
 * clock.c - elapsed time, for progress lines, run statistics and
 * benchmarks.
 */
#define _POSIX_C_SOURCE 200809L

#include <time.h>

#include "util/util.h"

double
hl_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
