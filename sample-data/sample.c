/* placeholder while the generator is written */
#include <stdlib.h>
#include "sample-data/sample.h"
#include "util/util.h"
struct hl_sample { struct hl_sample_opts o; };
void hl_sample_opts_init(struct hl_sample_opts *o) { o->outdir = "sample"; o->seed = HL_SAMPLE_DEFAULT_SEED; o->first_year = 2021; o->last_year = 2022; o->scale = HL_SAMPLE_DEFAULT_SCALE; o->calibrate = 1; o->rank_min = HL_SAMPLE_DEFAULT_RANK_MIN; o->encoding = HL_ENC_UTF8; o->crlf = 1; o->dates = HL_DATES_ISO; o->header_variant = 1; o->dirt = 0; o->nightly = 0; }
struct hl_sample *hl_sample_new(const struct hl_sample_opts *o) { struct hl_sample *s = hl_xcalloc(1, sizeof(*s)); s->o = *o; return s; }
void hl_sample_free(struct hl_sample *s) { free(s); }
int hl_sample_run(struct hl_sample *s, struct hl_sample_stats *st) { (void)s; (void)st; return -1; }
const char *hl_sample_errmsg(const struct hl_sample *s) { (void)s; return "not yet written"; }
const char *hl_sample_strerror(int e) { (void)e; return "unknown error"; }
