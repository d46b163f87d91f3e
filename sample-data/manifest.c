/*
 * manifest.c - manifest.json: the options, the files, every injected fault
 * and the figures the data set was built to give, computed from the
 * tickets' states at export time with the default definitions of
 * docs/domain.md §4.  Also the generator's own check that calibration hit
 * its targets.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "sample-data/priv.h"

static const char *const enc_names[] = {"utf8", "utf8-bom", "gb18030"};
static const char *const date_names[] = {"iso", "slash", "excel", "mixed"};

/* Evaluated tickets and satisfied-or-basic ones of a district-month. */
static void
sat_counts(struct hl_sample *s, int d, int y, int m, int cls, int64_t *num,
	   int64_t *den)
{
	struct mstat *ms = sample_stat(s, d, y, m);

	*num = ms->sat[cls][0] + ms->sat[cls][1];
	*den = *num + ms->sat[cls][2];
}

/*
 * Competition rank (1, 2, 2, 4) of district d by satisfaction rate among
 * the districts with at least rank_min evaluated tickets; 0 = not ranked.
 */
static int
rank_of(struct hl_sample *s, int d, int y, int m, int cls)
{
	int64_t n, e, n2, e2;
	int k, rank = 1;

	sat_counts(s, d, y, m, cls, &n, &e);
	if (e < s->o.rank_min)
		return 0;
	for (k = 0; k < N_DISTRICTS; k++) {
		if (k == d)
			continue;
		sat_counts(s, k, y, m, cls, &n2, &e2);
		if (e2 >= s->o.rank_min && n2 * e > n * e2)
			rank++;
	}
	return rank;
}

struct yearfig {
	long tickets, closed, on_time, late, reopened;
	long hn[2];
	int64_t hs[2];
	int ranks[2][12];
	double mean_rank[2]; /* < 0 when never ranked */
	int streak[2];
};

static void
year_figures(struct hl_sample *s, int d, int y, struct yearfig *f)
{
	int m, c;

	memset(f, 0, sizeof(*f));
	for (m = 1; m <= 12; m++) {
		struct mstat *ms = sample_stat(s, d, y, m);

		f->tickets += ms->tickets;
		f->closed += ms->closed;
		f->on_time += ms->on_time;
		f->late += ms->late;
		f->reopened += ms->reopened;
		for (c = 0; c < 2; c++) {
			f->hn[c] += ms->hn[c];
			f->hs[c] += ms->hs[c];
			f->ranks[c][m - 1] = rank_of(s, d, y, m, c);
		}
	}
	for (c = 0; c < 2; c++) {
		int sum = 0, nr = 0, run = 0;

		for (m = 0; m < 12; m++) {
			if (f->ranks[c][m]) {
				sum += f->ranks[c][m];
				nr++;
			}
			run = f->ranks[c][m] == 1 ? run + 1 : 0;
			if (run > f->streak[c])
				f->streak[c] = run;
		}
		f->mean_rank[c] = nr ? (double)sum / nr : -1;
	}
}

static double
mean_secs(const struct yearfig *f, int c)
{
	return f->hn[c] ? (double)f->hs[c] / (double)f->hn[c] : 0;
}

/* (mean of prev - mean of cur) / mean of prev * 100 for class c. */
static double
speedup_pct(const struct yearfig *prev, const struct yearfig *cur, int c)
{
	return (mean_secs(prev, c) - mean_secs(cur, c)) / mean_secs(prev, c) *
	       100;
}

static json_t *
class_json(struct hl_sample *s, int d, int y, int m, int cls, int rank)
{
	struct mstat *ms = sample_stat(s, d, y, m);

	return json_pack("{s:I, s:I, s:I, s:I, s:o}", "satisfied",
			 (json_int_t)ms->sat[cls][0], "basic",
			 (json_int_t)ms->sat[cls][1], "unsatisfied",
			 (json_int_t)ms->sat[cls][2], "unevaluated",
			 (json_int_t)ms->sat[cls][3], "rank",
			 rank ? json_integer(rank) : json_null());
}

static json_t *
district_year_json(struct hl_sample *s, int d, int y)
{
	struct yearfig f, prev;
	json_t *o, *months;
	int m, c;

	year_figures(s, d, y, &f);
	o = json_pack("{s:I, s:I, s:I, s:I, s:I}", "tickets",
		      (json_int_t)f.tickets, "closed", (json_int_t)f.closed,
		      "on_time", (json_int_t)f.on_time, "late",
		      (json_int_t)f.late, "reopened", (json_int_t)f.reopened);
	json_object_set_new(o, "handling",
			    json_pack("{s:{s:I, s:I}, s:{s:I, s:I}}", "consult",
				      "n", (json_int_t)f.hn[0], "seconds",
				      (json_int_t)f.hs[0], "other", "n",
				      (json_int_t)f.hn[1], "seconds",
				      (json_int_t)f.hs[1]));
	if (y > s->o.first_year) {
		year_figures(s, d, y - 1, &prev);
		if (prev.hn[0] && prev.hn[1] && f.hn[0] && f.hn[1])
			json_object_set_new(
			    o, "speedup_pct",
			    json_pack("{s:f, s:f}", "consult",
				      speedup_pct(&prev, &f, 0), "other",
				      speedup_pct(&prev, &f, 1)));
	}
	for (c = 0; c < 2; c++)
		json_object_set_new(o, c ? "key" : "ordinary",
				    json_pack("{s:o, s:i}", "mean_rank",
					      f.mean_rank[c] < 0
						  ? json_null()
						  : json_real(f.mean_rank[c]),
					      "rank1_streak", f.streak[c]));
	months = json_array();
	for (m = 1; m <= 12; m++)
		json_array_append_new(
		    months,
		    json_pack("{s:i, s:I, s:o, s:o}", "month", m, "tickets",
			      (json_int_t)sample_stat(s, d, y, m)->tickets,
			      "ordinary",
			      class_json(s, d, y, m, 0, f.ranks[0][m - 1]),
			      "key",
			      class_json(s, d, y, m, 1, f.ranks[1][m - 1])));
	json_object_set_new(o, "months", months);
	return o;
}

int
manifest_write(struct hl_sample *s)
{
	const struct hl_sample_opts *o = &s->o;
	json_t *root, *figs, *files = NULL, *faults = NULL;
	struct hl_buf path = HL_BUF_INIT;
	char when[20];
	int d, y, rc = 0;

	hl_time_format_iso(s->export_time, when);
	writer_manifest(s, &files, &faults);
	root = json_object();
	json_object_set_new(root, "generator", json_string("hotline sample"));
	json_object_set_new(
	    root, "options",
	    json_pack("{s:I, s:i, s:i, s:f, s:b, s:i, s:s, s:s, s:s, s:i, s:f,"
		      " s:b, s:s}",
		      "seed", (json_int_t)o->seed, "first_year", o->first_year,
		      "last_year", o->last_year, "scale", o->scale, "calibrate",
		      o->calibrate, "rank_min", o->rank_min, "encoding",
		      enc_names[o->encoding], "eol", o->crlf ? "crlf" : "lf",
		      "dates", date_names[o->dates], "headers",
		      o->header_variant, "dirt", o->dirt, "nightly", o->nightly,
		      "export_time", when));
	if (o->plant)
		json_object_set_new(json_object_get(root, "options"), "plant",
				    json_string("analyses"));
	json_object_set_new(root, "files", files);
	if (o->calibrate)
		json_object_set_new(
		    root, "targets",
		    json_pack("{s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:i, s:i}",
			      "district", districts[LIWAN].name, "year",
			      CAL_YEAR, "tickets_min", CAL_TICKETS_MIN,
			      "tickets_max", CAL_TICKETS_MAX, "on_time_pct",
			      "99.99", "consult_speedup_pct", "60.93",
			      "other_speedup_pct", "47.55",
			      "ordinary_mean_rank", CAL_MEAN_RANK,
			      "key_rank1_streak", CAL_KEY_STREAK));
	figs = json_object();
	for (d = 0; d < N_DISTRICTS; d++) {
		json_t *years = json_object();

		for (y = o->first_year; y <= o->last_year; y++) {
			char key[8];

			snprintf(key, sizeof(key), "%d", y % 10000);
			json_object_set_new(years, key,
					    district_year_json(s, d, y));
		}
		json_object_set_new(figs, districts[d].name, years);
	}
	json_object_set_new(root, "figures", figs);
	json_object_set_new(root, "faults", faults);
	if (s->plant)
		json_object_set_new(root, "planted", plant_manifest(s));
	hl_buf_printf(&path, "%s/manifest.json", o->outdir);
	if (json_dump_file(root, path.data,
			   JSON_INDENT(1) | JSON_REAL_PRECISION(15)) != 0)
		rc = sample_fail(s, HL_SAMPLE_EIO, "cannot write '%s'",
				 path.data);
	hl_buf_release(&path);
	json_decref(root);
	return rc;
}

int
check_calibration(struct hl_sample *s, struct hl_sample_stats *st)
{
	struct yearfig f, prev;
	struct hl_buf miss = HL_BUF_INIT;
	char txt[64];
	int rc = 0, c;

	year_figures(s, LIWAN, CAL_YEAR, &f);
	st->calibrated = 1;
	st->cal_tickets = f.tickets;
	st->cal_on_time_pct = f.closed ? 100.0 * f.on_time / f.closed : 0;
	st->cal_mean_rank = f.mean_rank[0];
	st->cal_key_streak = f.streak[1];
	for (c = 0; c < 2; c++)
		st->cal_speedup_pct[c] = 0;
	if (s->o.first_year < CAL_YEAR) {
		year_figures(s, LIWAN, CAL_YEAR - 1, &prev);
		for (c = 0; c < 2; c++)
			st->cal_speedup_pct[c] = speedup_pct(&prev, &f, c);
	}

	if (st->cal_tickets < CAL_TICKETS_MIN ||
	    st->cal_tickets > CAL_TICKETS_MAX)
		hl_buf_printf(&miss, "; tickets %ld", st->cal_tickets);
	snprintf(txt, sizeof(txt), "%.2f", st->cal_on_time_pct);
	if (strcmp(txt, "99.99") != 0)
		hl_buf_printf(&miss, "; on-time %s%%", txt);
	if (s->o.first_year < CAL_YEAR) {
		snprintf(txt, sizeof(txt), "%.2f", st->cal_speedup_pct[0]);
		if (strcmp(txt, "60.93") != 0)
			hl_buf_printf(&miss, "; consult speed-up %s%%", txt);
		snprintf(txt, sizeof(txt), "%.2f", st->cal_speedup_pct[1]);
		if (strcmp(txt, "47.55") != 0)
			hl_buf_printf(&miss, "; other speed-up %s%%", txt);
	}
	if (st->cal_mean_rank != CAL_MEAN_RANK)
		hl_buf_printf(&miss, "; ordinary mean rank %.2f",
			      st->cal_mean_rank);
	if (st->cal_key_streak != CAL_KEY_STREAK)
		hl_buf_printf(&miss, "; key streak %d", st->cal_key_streak);
	if (miss.len)
		rc = sample_fail(
		    s, HL_SAMPLE_EOPTS,
		    "calibration missed its targets (%s); the other districts "
		    "need enough evaluated tickets to be ranked: raise --scale "
		    "or use --no-calibrate",
		    miss.data + 2);
	hl_buf_release(&miss);
	return rc;
}
