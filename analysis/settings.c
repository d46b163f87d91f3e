/*
 * settings.c - the metric settings: defaults and profiles (INI files read
 * with hl_ini_load()).  Every key is checked: an unknown section or key,
 * a key given twice, a value out of range or a calendar year given twice
 * is an error naming the file and line.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

void
hl_settings_init(struct hl_settings *s)
{
	/* The generator's deadline rule (docs/sample-data.md). */
	static const int days[HL_CAT_COUNT] = {2, 5, 7, 10, 10, 3, 5};

	memset(s, 0, sizeof(*s));
	s->basis = HL_BASIS_ACCEPTED;
	s->month_start_day = 1;
	s->denominator = HL_DENOM_CLOSED;
	s->basic_weight = 1;
	s->rank_min = 30;
	s->start = HL_START_DISPATCH;
	memcpy(s->deadline_days, days, sizeof(days));
	s->near_hours = 24;
	s->min_on_time = 95;
	s->min_satisfaction = 90;
	s->max_reopen = 5;
	s->min_unit_tickets = 20;
	s->note_share = 1;
	s->as_basic_weight = 0.9;
	s->as_weight[0] = 0.1;
	s->as_weight[1] = 0.5;
	s->as_weight[2] = 0.4;
	s->as_min_valid = 1;
	s->topics_on = 1;
	s->repeats_on = 1;
	s->topic_level = 2;
	s->topic_top = 10;
	s->surge_periods = 6;
	s->surge_min = 5;
	s->surge_ratio = 2;
	s->surge_score = 3;
	s->caller_days = 30;
	s->lookback_days = 90;
	s->repeats_largest = 10;
}

void
hl_settings_release(struct hl_settings *s)
{
	hl_calyears_release(&s->cal);
	free(s->region);
	s->region = NULL;
}

/* ---- the profile ---- */

/* A key of the profile: its section, name and where its value goes. */
enum kind { K_CHOICE, K_INT, K_FRAC, K_CLASS_DAYS, K_TEXT };

struct key {
	const char *section, *name;
	enum kind kind;
	size_t off;                 /* in struct hl_settings */
	const char *const *choices; /* K_CHOICE: the names, by value */
	size_t nchoices;
	double min, max; /* K_INT, K_FRAC */
};

static const char *const basis_names[] = {"accepted", "dispatched", "closed"};
static const char *const denom_names[] = {"closed", "dispatched"};
static const char *const start_names[] = {"dispatch", "accept"};
static const char *const count_names[] = {"after", "inclusive"};
static const char *const fill_names[] = {"none", "table"};
static const char *const nodl_names[] = {"excluded", "on_time", "late"};
static const char *const date_only_names[] = {"end_of_day", "start_of_day"};
static const char *const scheme_names[] = {"none", "beijing"};
static const char *const onoff_names[] = {"no", "yes"};

#define OFF(f) offsetof(struct hl_settings, f)
#define CHOICE(sec, name, f, names)                                            \
	{                                                                      \
		sec, name, K_CHOICE, OFF(f), names, HL_ARRAY_LEN(names), 0, 0  \
	}
#define NUM(sec, name, kind, f, lo, hi)                                        \
	{                                                                      \
		sec, name, kind, OFF(f), NULL, 0, lo, hi                       \
	}

static const struct key keys[] = {
    CHOICE("period", "basis", basis, basis_names),
    NUM("period", "month_start_day", K_INT, month_start_day, 1, 28),
    CHOICE("on_time", "denominator", denominator, denom_names),
    CHOICE("on_time", "no_deadline", no_deadline, nodl_names),
    NUM("satisfaction", "basic_weight", K_FRAC, basic_weight, 0, 1),
    NUM("ranking", "min_evaluated", K_INT, rank_min, 1, 1000000),
    CHOICE("handling", "start", start, start_names),
    CHOICE("deadlines", "fill", deadline_fill, fill_names),
    CHOICE("deadlines", "date_only", date_only_start, date_only_names),
    CHOICE("deadlines", "days_counted", deadline_inclusive, count_names),
    NUM("deadlines", "", K_CLASS_DAYS, deadline_days, 0, 365),
    NUM("supervision", "near_hours", K_FRAC, near_hours, 0, 8760),
    NUM("supervision", "min_on_time", K_FRAC, min_on_time, 0, 100),
    NUM("supervision", "min_satisfaction", K_FRAC, min_satisfaction, 0, 100),
    NUM("supervision", "max_reopen", K_FRAC, max_reopen, 0, 100),
    NUM("supervision", "min_tickets", K_INT, min_unit_tickets, 0, 1000000000),
    NUM("quality", "note_share", K_FRAC, note_share, 0, 100),
    {"region", "name", K_TEXT, OFF(region), NULL, 0, 0, 0},
    CHOICE("assessment", "scheme", scheme, scheme_names),
    NUM("assessment", "basic_weight", K_FRAC, as_basic_weight, 0, 1),
    NUM("assessment", "response_weight", K_FRAC, as_weight[0], 0, 1),
    NUM("assessment", "resolution_weight", K_FRAC, as_weight[1], 0, 1),
    NUM("assessment", "satisfaction_weight", K_FRAC, as_weight[2], 0, 1),
    NUM("assessment", "min_valid", K_INT, as_min_valid, 0, 1000000000),
    CHOICE("topics", "enabled", topics_on, onoff_names),
    NUM("topics", "level", K_INT, topic_level, 1, 5),
    NUM("topics", "top", K_INT, topic_top, 1, 1000),
    NUM("topics", "baseline_periods", K_INT, surge_periods, 1, 24),
    NUM("topics", "surge_min", K_FRAC, surge_min, 0, 1000000),
    NUM("topics", "surge_ratio", K_FRAC, surge_ratio, 0, 1000),
    NUM("topics", "surge_score", K_FRAC, surge_score, 0, 1000),
    CHOICE("repeats", "enabled", repeats_on, onoff_names),
    NUM("repeats", "caller_days", K_INT, caller_days, 0, 3660),
    NUM("repeats", "lookback_days", K_INT, lookback_days, 0, 3660),
    NUM("repeats", "largest", K_INT, repeats_largest, 0, 1000),
};

struct load {
	struct hl_settings *s;
	unsigned seen[HL_ARRAY_LEN(keys) + HL_CAT_COUNT]; /* lines */
};

static void
set_choice(struct hl_ini *ini, const struct key *k, void *field,
	   const char *value)
{
	struct hl_buf choices = HL_BUF_INIT;
	size_t i;

	for (i = 0; i < k->nchoices; i++)
		if (strcmp(k->choices[i], value) == 0) {
			*(int *)field = (int)i;
			return;
		}
	hl_buf_add_choices(&choices, k->choices, k->nchoices);
	hl_ini_error(ini, "[%s] %s: '%s' is not one of %s", k->section, k->name,
		     value, choices.data);
	hl_buf_release(&choices);
}

static void
set_number(struct hl_ini *ini, const struct key *k, const char *name,
	   void *field, const char *value)
{
	const char *err;

	if (k->kind == K_FRAC) {
		double v = hl_strtofrac(value, k->min, k->max, &err);

		if (err == NULL)
			*(double *)field = v;
	} else {
		long long v = hl_strtonum(value, (long long)k->min,
					  (long long)k->max, &err);

		if (err == NULL)
			*(int *)field = (int)v;
	}
	if (err != NULL)
		hl_ini_error(ini, "[%s] %s: '%s' is %s (%g to %g)", k->section,
			     name, value, err, k->min, k->max);
}

static void
handle(struct hl_ini *ini, void *arg, const char *section, const char *key,
       const char *value)
{
	struct load *ld = arg;
	size_t i, c;

	if (strncmp(section, "calendar ", 9) == 0) {
		hl_calyears_entry(ini, &ld->s->cal, section, key, value);
		return;
	}
	for (i = 0; i < HL_ARRAY_LEN(keys); i++) {
		const struct key *k = &keys[i];
		void *field = (char *)ld->s + k->off;
		unsigned *seen = &ld->seen[i];

		if (strcmp(k->section, section) != 0)
			continue;
		if (k->kind == K_CLASS_DAYS) {
			for (c = 0; c < HL_CAT_COUNT; c++)
				if (strcmp(key, hl_category_names[c]) == 0)
					break;
			if (c == HL_CAT_COUNT)
				continue;
			field = &ld->s->deadline_days[c];
			seen = &ld->seen[HL_ARRAY_LEN(keys) + c];
		} else if (strcmp(k->name, key) != 0) {
			continue;
		}
		if (*seen) {
			hl_ini_error(ini,
				     "[%s] %s given twice (first on line "
				     "%u)",
				     section, key, *seen);
			return;
		}
		*seen = ini->line;
		if (k->kind == K_CHOICE) {
			set_choice(ini, k, field, value);
		} else if (k->kind == K_TEXT) {
			free(*(char **)field);
			*(char **)field = hl_xstrdup(value);
		} else {
			set_number(ini, k, key, field, value);
		}
		return;
	}
	for (i = 0; i < HL_ARRAY_LEN(keys); i++)
		if (strcmp(keys[i].section, section) == 0)
			break;
	if (i == HL_ARRAY_LEN(keys))
		hl_ini_error(ini,
			     "unknown section [%s] (period, on_time, "
			     "satisfaction, ranking, handling, deadlines, "
			     "supervision, quality, region, assessment, "
			     "topics, repeats or calendar YYYY)",
			     section);
	else
		hl_ini_error(ini, "unknown key '%s' in [%s]", key, section);
}

int
hl_settings_load(struct hl_settings *s, const char *path, struct hl_buf *err)
{
	struct load ld;
	int rc;

	memset(&ld, 0, sizeof(ld));
	ld.s = s;
	rc = hl_ini_load(path, handle, &ld, err);
	s->cal.cur = 0;
	return rc;
}

const char *
hl_settings_choice(const struct hl_settings *s, const char *section,
		   const char *key)
{
	size_t i;

	for (i = 0; i < HL_ARRAY_LEN(keys); i++)
		if (keys[i].kind == K_CHOICE &&
		    strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, key) == 0)
			return keys[i].choices[*(const int *)((const char *)s +
							      keys[i].off)];
	return NULL;
}

const char *
hl_basis_words(enum hl_basis b, int zh)
{
	static const char *const basis_zh[] = {"受理", "派单", "办结"};

	return zh ? basis_zh[b] : basis_names[b];
}

const char *
hl_no_deadline_words(enum hl_no_deadline r, int zh)
{
	static const char *const en[] = {
	    "left out of this rate", "counted as on time", "counted as late"};
	static const char *const in_zh[] = {"不计入本指标", "按按时办结计",
					    "按超期计"};

	return zh ? in_zh[r] : en[r];
}
