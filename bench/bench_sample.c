/*
 * bench_sample.c - how fast `hotline sample` writes a full-scale city
 * year, against a baseline in the same process: copying the file it wrote
 * (read and write, 1 MiB at a time), the least any writer of those bytes
 * could spend.  Prints rows/s, MB/s, peak RSS and the ratio.
 *
 *   bench_sample [dir] [scale]    (default: a temporary dir, scale 1)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sample-data/sample.h"
#include "util/util.h"

static double
copy_file(const char *from, const char *to, long long *bytes)
{
	static char buf[1 << 20];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	double t0 = hl_seconds();
	size_t n;

	if (in == NULL || out == NULL) {
		perror("bench_sample: copy");
		exit(1);
	}
	*bytes = 0;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (fwrite(buf, 1, n, out) != n) {
			perror("bench_sample: copy");
			exit(1);
		}
		*bytes += (long long)n;
	}
	fclose(in);
	if (fclose(out) != 0) {
		perror("bench_sample: copy");
		exit(1);
	}
	return hl_seconds() - t0;
}

int
main(int argc, char **argv)
{
	char tmpl[] = "/tmp/hl-bench-XXXXXX";
	const char *dir = argc > 1 ? argv[1] : mkdtemp(tmpl);
	struct hl_sample_opts o;
	struct hl_sample_stats st;
	struct hl_sample *s;
	struct rusage ru;
	char from[4096], to[4096];
	long long bytes;
	double gen, copy;

	if (dir == NULL) {
		perror("bench_sample: mkdtemp");
		return 1;
	}
	hl_sample_opts_init(&o);
	o.outdir = dir;
	o.first_year = o.last_year = 2022;
	o.scale = argc > 2 ? atof(argv[2]) : 1.0;
	o.calibrate = 0;
	s = hl_sample_new(&o);
	if (hl_sample_run(s, &st) != 0) {
		fprintf(stderr, "bench_sample: %s\n", hl_sample_errmsg(s));
		return 1;
	}
	hl_sample_free(s);
	gen = st.seconds;
	getrusage(RUSAGE_SELF, &ru);
	snprintf(from, sizeof(from), "%s/gz12345-2022.csv", dir);
	snprintf(to, sizeof(to), "%s/copy.csv", dir);
	copy = copy_file(from, to, &bytes);
	unlink(to);
	printf("sample, city year 2022 at scale %g: %lu rows, %.1f MB\n",
	       o.scale, st.rows, bytes / 1e6);
	printf("  generate: %.2f s, %.0f rows/s, %.1f MB/s, peak RSS %ld MB\n",
	       gen, st.rows / gen, bytes / 1e6 / gen, ru.ru_maxrss / 1024);
	printf("  baseline (copy the file): %.2f s, %.1f MB/s\n", copy,
	       bytes / 1e6 / copy);
	printf("  ratio generate / copy: %.2f\n", gen / copy);
	if (argc <= 1) {
		unlink(from);
		snprintf(from, sizeof(from), "%s/manifest.json", dir);
		unlink(from);
		rmdir(dir);
	}
	return 0;
}
