/*
 * figures_json.c - the figures as the JSON that docs/figures-json.md
 * documents: the one writer of that layout, for `hotline metrics
 * --format json` and a report's figures.json.  Key order, integer or
 * real, and null are part of the contract: the golden files hold them.
 */
#include <string.h>

#include "reports/reports.h"

static json_t *
text2(const struct hl_text2 *t)
{
	return json_pack("{s:s, s:s}", "en", t->en, "zh", t->zh);
}

/* A count or a weighted sum: an integer when it is one. */
static json_t *
number(double v)
{
	return hl_is_whole(v) ? json_integer((json_int_t)v) : json_real(v);
}

static json_t *
real_or_null(double v)
{
	return hl_fig_has(v) ? json_real(v) : json_null();
}

static json_t *
int_or_null(long v)
{
	return v ? json_integer(v) : json_null();
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
time_json(hl_time t)
{
	char buf[20];

	hl_time_format_iso(t, buf);
	return json_string(buf);
}

/* {"value", "numerator", "denominator"}: value null when den is 0. */
static json_t *
ratio(struct hl_ratio r)
{
	return json_pack("{s:o, s:o, s:o}", "value",
			 real_or_null(hl_ratio_value(r)), "numerator",
			 number(r.num), "denominator", number(r.den));
}

static json_t *
on_time(const struct hl_fig_on_time *o)
{
	json_t *j = ratio(o->r);

	json_object_set_new(j, "late", json_integer(o->late));
	json_object_set_new(j, "no_deadline", json_integer(o->no_deadline));
	if (o->note.en)
		json_object_set_new(j, "note", text2(&o->note));
	return j;
}

static json_t *
on_time_headline(const struct hl_figures *f, const struct hl_fig_main *m)
{
	json_t *j = on_time(hl_fig_on_time(f, m));

	json_object_set_new(
	    j, "denominator_kind",
	    json_string(f->settings->denominator == HL_DENOM_CLOSED
			    ? "closed"
			    : "dispatched"));
	return j;
}

static json_t *
sat(const struct hl_fig_sat *s)
{
	json_t *j = ratio(s->r);

	json_object_set_new(j, "satisfied",
			    json_integer(s->c[HL_SAT_SATISFIED]));
	json_object_set_new(j, "basic", json_integer(s->c[HL_SAT_BASIC]));
	json_object_set_new(j, "unsatisfied",
			    json_integer(s->c[HL_SAT_UNSATISFIED]));
	json_object_set_new(j, "not_evaluated",
			    json_integer(s->c[HL_SAT_NOT_EVALUATED]));
	return j;
}

static json_t *
sat_pair(const struct hl_fig_main *m)
{
	return json_pack("{s:o, s:o}", "ordinary", sat(&m->sat[0]), "key",
			 sat(&m->sat[1]));
}

static json_t *
reopen(const struct hl_fig_reopen *r)
{
	json_t *j = ratio(r->r);
	double v = hl_ratio_value(r->r);

	json_object_set_new(j, "first_time_fix",
			    hl_fig_has(v) ? json_real(1 - v) : json_null());
	return j;
}

static json_t *
dist(const struct hl_fig_dist *d, int quantiles)
{
	if (!quantiles)
		return json_pack("{s:I, s:o}", "n", (json_int_t)d->n, "mean",
				 real_or_null(d->mean));
	if (d->n == 0)
		return json_pack("{s:i, s:n, s:n, s:n}", "n", 0, "mean",
				 "median", "p90");
	return json_pack("{s:I, s:o, s:o, s:o}", "n", (json_int_t)d->n, "mean",
			 json_real(d->mean), "median", json_real(d->median),
			 "p90", json_real(d->p90));
}

static json_t *
handling(const struct hl_fig_handling *h)
{
	json_t *j = dist(&h->nat, h->quantiles);

	json_object_set_new(j, "work", dist(&h->work, h->quantiles));
	json_object_set_new(j, "previous",
			    json_pack("{s:I, s:o}", "n", (json_int_t)h->prev_n,
				      "mean", real_or_null(h->prev_mean)));
	json_object_set_new(j, "speedup_pct", real_or_null(h->speedup_pct));
	return j;
}

static json_t *
ranking(const struct hl_fig_ranking *r)
{
	json_t *months = json_array();
	int i;

	for (i = 0; i < r->nmonths; i++) {
		const struct hl_fig_rank_month *m = &r->months[i];
		const long *c = m->c;

		json_array_append_new(
		    months,
		    json_pack("{s:i, s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:i}",
			      "month", m->month, "rank", int_or_null(m->rank),
			      "rate", real_or_null(m->rate), "evaluated",
			      (int)(c[HL_SAT_SATISFIED] + c[HL_SAT_BASIC] +
				    c[HL_SAT_UNSATISFIED]),
			      "ranked_districts", (int)m->ranked_districts,
			      "satisfied", (int)c[HL_SAT_SATISFIED], "basic",
			      (int)c[HL_SAT_BASIC], "unsatisfied",
			      (int)c[HL_SAT_UNSATISFIED], "not_evaluated",
			      (int)c[HL_SAT_NOT_EVALUATED]));
	}
	return json_pack("{s:o, s:o, s:i, s:{s:i, s:i, s:o, s:o}}", "months",
			 months, "mean_rank", real_or_null(r->mean_rank),
			 "ranked_months", r->ranked_months, "streak", "rank",
			 r->streak_rank, "months", r->streak_months, "from",
			 int_or_null(r->streak_from), "to",
			 int_or_null(r->streak_to));
}

static json_t *
rank_table(const struct hl_figures *f)
{
	json_t *names = json_array(), *cls[2], *rates[2];
	size_t d;
	int k, mon;

	for (d = 0; d < f->nrank; d++)
		json_array_append_new(names, json_string(f->rank_names[d]));
	for (k = 0; k < HL_CLS_N; k++) {
		cls[k] = json_array();
		rates[k] = json_array();
		for (d = 0; d < f->nrank; d++) {
			json_t *row = json_array(), *rrow = json_array();

			for (mon = 0; mon < 12; mon++) {
				json_array_append_new(
				    row, int_or_null(f->rank_table[d][k][mon]));
				json_array_append_new(
				    rrow,
				    real_or_null(f->rate_table[d][k][mon]));
			}
			json_array_append_new(cls[k], row);
			json_array_append_new(rates[k], rrow);
		}
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "districts", names,
			 "ordinary", cls[0], "key", cls[1], "ordinary_rate",
			 rates[0], "key_rate", rates[1]);
}

static json_t *
settings(const struct hl_figures *f)
{
	const struct hl_settings *s = f->settings;
	json_t *days = json_object(), *years = json_array(), *o;
	size_t i;

	for (i = 0; i < HL_CAT_COUNT; i++)
		json_object_set_new(days, hl_category_names[i],
				    json_integer(s->deadline_days[i]));
	for (i = 0; i < f->ncalendar_years; i++)
		json_array_append_new(years,
				      json_integer(f->calendar_years[i]));
	o = json_pack(
	    "{s:s, s:s, s:o, s:i, s:s, s:o, s:s, s:{s:o, s:o, s:o, s:o, s:i}, "
	    "s:o}",
	    "basis", hl_settings_choice(s, "period", "basis"),
	    "on_time_denominator",
	    hl_settings_choice(s, "on_time", "denominator"), "basic_weight",
	    number(s->basic_weight), "rank_min", s->rank_min, "handling_start",
	    hl_settings_choice(s, "handling", "start"), "deadline_days", days,
	    "deadline_days_counted",
	    hl_settings_choice(s, "deadlines", "days_counted"), "supervision",
	    "near_hours", number(s->near_hours), "min_on_time",
	    number(s->min_on_time), "min_satisfaction",
	    number(s->min_satisfaction), "max_reopen", number(s->max_reopen),
	    "min_tickets", s->min_unit_tickets, "calendar_years", years);
	json_object_set_new(
	    o, "on_time_no_deadline",
	    json_string(hl_settings_choice(s, "on_time", "no_deadline")));
	json_object_set_new(
	    o, "deadline_fill",
	    json_string(hl_settings_choice(s, "deadlines", "fill")));
	json_object_set_new(
	    o, "deadline_date_only",
	    json_string(hl_settings_choice(s, "deadlines", "date_only")));
	json_object_set_new(o, "note_share", number(s->note_share));
	json_object_set_new(o, "month_start_day",
			    json_integer(s->month_start_day));
	json_object_set_new(o, "topics",
			    json_pack("{s:i, s:i, s:i, s:o, s:o, s:o}", "level",
				      s->topic_level, "top", s->topic_top,
				      "baseline_periods", s->surge_periods,
				      "surge_min", number(s->surge_min),
				      "surge_ratio", number(s->surge_ratio),
				      "surge_score", number(s->surge_score)));
	json_object_set_new(o, "repeats",
			    json_pack("{s:i, s:i, s:i}", "caller_days",
				      s->caller_days, "lookback_days",
				      s->lookback_days, "largest",
				      s->repeats_largest));
	json_object_set_new(o, "region",
			    json_pack("{s:s, s:s}", "city", f->region_city,
				      "source", f->region_source));
	return o;
}

static json_t *
definitions(const struct hl_figures *f)
{
	struct hl_definitions d;
	json_t *o = json_object();
	size_t i;

	hl_definitions_make(f->settings, &d);
	for (i = 0; i < HL_NDEFINITIONS; i++)
		json_object_set_new(o, hl_definition_keys[i],
				    text2(&d.text[i]));
	hl_definitions_release(&d);
	return o;
}

static json_t *
counts(const struct hl_fig_count *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o, s:i}", "name",
						   str_or_null(v[i].name),
						   "tickets", (int)v[i].n));
	return a;
}

static json_t *
district_line(const struct hl_figures *f, const struct hl_fig_district *d)
{
	const struct hl_fig_main *p = &d->f;
	json_t *o = json_pack(
	    "{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:{s:o, s:o}, s:o}",
	    "district", d->name, "tickets", (json_int_t)p->tickets, "consult",
	    (json_int_t)p->cls[0], "on_time", on_time_headline(f, p),
	    "on_time_closed", on_time(&p->on_time_closed), "on_time_dispatched",
	    on_time(&p->on_time_dispatched), "satisfaction", sat_pair(p),
	    "handling", "consult", handling(&d->hand[0]), "other",
	    handling(&d->hand[1]), "reopen", reopen(&p->reopen));

	if (d->unassigned)
		json_object_set_new(o, "unassigned", json_true());
	else if (d->not_in_region)
		json_object_set_new(o, "not_in_region", json_true());
	if (!d->unassigned)
		json_object_set_new(o, "ranking",
				    json_pack("{s:o, s:o}", "ordinary",
					      ranking(&d->rank[0]), "key",
					      ranking(&d->rank[1])));
	return o;
}

static json_t *
month(const struct hl_figures *f, const struct hl_fig_month *m)
{
	const struct hl_fig_main *a = &m->f;
	json_t *o = json_pack(
	    "{s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:{s:o, s:o}, s:o}", "month",
	    m->month, "tickets", (int)a->tickets, "consult", (int)a->cls[0],
	    "other", (int)(a->tickets - a->cls[0]), "on_time",
	    on_time_headline(f, a), "on_time_dispatched",
	    on_time(&a->on_time_dispatched), "satisfaction", sat_pair(a),
	    "handling_mean", "consult", real_or_null(m->hand_mean[0]), "other",
	    real_or_null(m->hand_mean[1]), "reopen", reopen(&a->reopen));

	json_object_set_new(o, "on_time_closed", on_time(&a->on_time_closed));
	if (f->has_ranking)
		json_object_set_new(o, "rank",
				    json_pack("{s:o, s:o}", "ordinary",
					      int_or_null(m->rank[0]), "key",
					      int_or_null(m->rank[1])));
	return o;
}

static json_t *
units(const struct hl_figures *f)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < f->nunits; i++) {
		const struct hl_fig_unit *u = &f->units[i];

		json_array_append_new(
		    a, json_pack(
			   "{s:o, s:i, s:i, s:o, s:i, s:o, s:i, s:o, s:o}",
			   "unit", str_or_null(u->name), "tickets",
			   (int)u->tickets, "closed", (int)u->closed, "on_time",
			   ratio(u->on_time), "late", (int)u->late,
			   "satisfaction", ratio(u->sat), "evaluated",
			   (int)u->evaluated, "reopen", ratio(u->reopen),
			   "handling_mean", real_or_null(u->hand_mean)));
	}
	return a;
}

static json_t *
lagging(const struct hl_figures *f)
{
	json_t *a = json_array();
	size_t i;
	int j;

	for (i = 0; i < f->nlagging; i++) {
		const struct hl_fig_lagging *l = &f->lagging[i];
		json_t *why = json_array();

		for (j = 0; j < l->nwhy; j++)
			json_array_append_new(
			    why,
			    json_pack("{s:s, s:f, s:f}", "figure",
				      l->why[j].figure, "pct", l->why[j].pct,
				      "limit", l->why[j].limit));
		json_array_append_new(a, json_pack("{s:o, s:i, s:o}", "unit",
						   str_or_null(l->name),
						   "tickets", (int)l->tickets,
						   "reasons", why));
	}
	return a;
}

/* A list of tickets; near: the hours are those left. */
static json_t *
tickets(const struct hl_fig_tickets *l, int near)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct hl_fig_ticket *t = &l->v[i];
		json_t *o = json_pack("{s:o, s:o, s:o}", "ticket_id",
				      str_or_null(t->ticket_id), "unit",
				      str_or_null(t->unit), "deadline",
				      time_json(t->deadline));

		json_object_set_new(o, "closed",
				    t->closed ? time_json(t->closed)
					      : json_null());
		json_object_set_new(o,
				    t->closed ? "hours_late"
				    : near    ? "hours_left"
					      : "hours_past",
				    json_real(t->hours));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
quality(const struct hl_figures *f)
{
	json_t *miss = json_array();
	size_t i;

	for (i = 0; i < f->ncalendar_missing; i++)
		json_array_append_new(miss,
				      json_integer(f->calendar_missing[i]));
	return json_pack("{s:i, s:i, s:i, s:i, s:o}", "flagged",
			 (int)f->flagged, "left_out_of_handling",
			 (int)f->hand_left_out, "outside_calendar",
			 (int)f->outside_calendar, "no_deadline",
			 (int)f->no_deadline, "calendar_missing", miss);
}

static json_t *
notes(const struct hl_figures *f)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < f->nnotes; i++)
		json_array_append_new(a, json_pack("{s:s, s:o}", "figure",
						   f->notes[i].figure, "text",
						   text2(&f->notes[i].text)));
	return a;
}

/* Beijing-style assessment (docs/analyses.md). */
static json_t *
assessment(const struct hl_figures *f)
{
	const struct hl_fig_assess *a = &f->assess;
	const struct hl_settings *s = f->settings;

	return json_pack(
	    "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:o, "
	    "s:o, s:o, s:o, s:{s:o, s:o, s:o, s:o}}",
	    "scheme", hl_settings_choice(s, "assessment", "scheme"), "tickets",
	    (json_int_t)a->tickets, "given", (json_int_t)a->given, "left_out",
	    (json_int_t)a->left_out, "valid", (json_int_t)a->valid, "contacted",
	    (json_int_t)a->contacted, "resolved", (json_int_t)a->resolved,
	    "answers", "satisfied", (json_int_t)a->c[HL_SAT_SATISFIED], "basic",
	    (json_int_t)a->c[HL_SAT_BASIC], "unsatisfied",
	    (json_int_t)a->c[HL_SAT_UNSATISFIED], "not_evaluated",
	    (json_int_t)a->c[HL_SAT_NOT_EVALUATED], "response",
	    ratio(a->response), "resolution", ratio(a->resolution),
	    "satisfaction", ratio(a->satisfaction), "score",
	    real_or_null(a->score), "weights", "response",
	    number(s->as_weight[0]), "resolution", number(s->as_weight[1]),
	    "satisfaction", number(s->as_weight[2]), "basic",
	    number(s->as_basic_weight));
}

static json_t *
league(const struct hl_fig_league *lg)
{
	json_t *rows = json_array();
	size_t i;

	for (i = 0; i < lg->n; i++) {
		const struct hl_fig_league_row *r = &lg->v[i];

		json_array_append_new(
		    rows, json_pack("{s:o, s:o, s:o, s:I, s:I}", "rank",
				    int_or_null(r->rank), "name",
				    str_or_null(r->name), "value",
				    real_or_null(r->value), "basis",
				    (json_int_t)r->basis, "tickets",
				    (json_int_t)r->tickets));
	}
	return json_pack("{s:s, s:s, s:i, s:I, s:o}", "figure", lg->figure,
			 "level", lg->level, "top", lg->top, "ranked",
			 (json_int_t)lg->ranked, "rows", rows);
}

static json_t *
topics(const struct hl_fig_topics *t)
{
	json_t *top, *surges;
	size_t i;

	if (!t->has)
		return json_null();
	top = json_array();
	surges = json_array();
	for (i = 0; i < t->ntop; i++)
		json_array_append_new(
		    top, json_pack("{s:s, s:I, s:I, s:I, s:o, s:o}", "topic",
				   t->top[i].name, "tickets",
				   (json_int_t)t->top[i].n, "before",
				   (json_int_t)t->top[i].before, "year_before",
				   (json_int_t)t->top[i].year_before, "mom_pct",
				   real_or_null(t->top[i].mom_pct), "yoy_pct",
				   real_or_null(t->top[i].yoy_pct)));
	for (i = 0; i < t->nsurges; i++)
		json_array_append_new(
		    surges, json_pack("{s:s, s:o, s:I, s:f, s:f}", "topic",
				      t->surges[i].topic, "street",
				      str_or_null(t->surges[i].street),
				      "tickets", (json_int_t)t->surges[i].n,
				      "baseline", t->surges[i].baseline,
				      "score", t->surges[i].score));
	if (!t->surges_judged) {
		json_decref(surges);
		surges = json_null();
	}
	return json_pack("{s:i, s:I, s:s, s:o, s:o}", "level", t->level,
			 "with_topic", (json_int_t)t->with_topic, "before",
			 t->before, "top", top, "surges", surges);
}

static json_t *
repeats(const struct hl_fig_repeats *r)
{
	json_t *largest = json_array();
	size_t i;

	for (i = 0; i < r->nlargest; i++) {
		const struct hl_fig_chain *c = &r->largest[i];

		json_array_append_new(
		    largest, json_pack("{s:I, s:I, s:s, s:o, s:s, s:o}", "size",
				       (json_int_t)c->size, "in_period",
				       (json_int_t)c->in_period, "first_ticket",
				       c->first_id, "first",
				       time_json(c->first), "last_ticket",
				       c->last_id, "last", time_json(c->last)));
	}
	return json_pack("{s:I, s:I, s:I, s:o, s:I, s:b, s:o}", "tickets",
			 (json_int_t)r->tickets, "by_quote",
			 (json_int_t)r->by_quote, "by_caller",
			 (json_int_t)r->by_caller, "rate", ratio(r->rate),
			 "chains", (json_int_t)r->chains, "callers", r->callers,
			 "largest", largest);
}

/* The analyses beyond the seed's figures, into root. */
static void
analyses(const struct hl_figures *f, json_t *root)
{
	if (f->has_assessment)
		json_object_set_new(root, "assessment", assessment(f));
	if (f->league.figure)
		json_object_set_new(root, "league", league(&f->league));
	json_object_set_new(root, "topics", topics(&f->topics));
	json_object_set_new(root, "repeats",
			    f->repeats.off ? json_null()
					   : repeats(&f->repeats));
}

json_t *
hl_figures_json(const struct hl_figures *f)
{
	const struct hl_fig_main *p = &f->f;
	json_t *root = json_object(), *cls = json_object(),
	       *cats = json_object(), *by_month = json_array(),
	       *months = json_array(), *hand;
	int c, mon;

	json_object_set_new(
	    root, "scope",
	    json_pack("{s:o, s:i, s:o, s:s, s:s, s:o, s:o, s:o}", "district",
		      str_or_null(f->district), "year", f->period.year, "month",
		      int_or_null(f->period.month), "period", f->period.label,
		      "kind", hl_period_kinds[f->period.kind], "from",
		      time_json(f->period.from), "to", time_json(f->period.to),
		      "as_of", time_json(f->as_of)));
	json_object_set_new(root, "settings", settings(f));
	json_object_set_new(root, "definitions", definitions(f));
	json_object_set_new(root, "tickets", json_integer(p->tickets));
	for (c = 0; c < HL_CAT_COUNT; c++)
		json_object_set_new(cls, hl_category_names[c],
				    json_integer(p->cls[c]));
	for (mon = 0; mon < 12; mon++)
		json_array_append_new(by_month,
				      json_pack("{s:i, s:i}", "month", mon + 1,
						"tickets",
						(int)f->months[mon].f.tickets));
	json_object_set_new(
	    root, "volume",
	    json_pack("{s:i, s:i, s:o, s:o, s:o, s:o}", "consult",
		      (int)p->cls[0], "other", (int)(p->tickets - p->cls[0]),
		      "by_class", cls, "by_month", by_month, "by_channel",
		      counts(f->by_channel, f->nchannels), "by_street",
		      counts(f->by_street, f->nstreets)));
	json_object_set_new(root, "on_time", on_time_headline(f, p));
	json_object_set_new(root, "on_time_closed",
			    on_time(&p->on_time_closed));
	json_object_set_new(root, "on_time_dispatched",
			    on_time(&p->on_time_dispatched));
	json_object_set_new(root, "satisfaction",
			    json_pack("{s:o, s:o, s:o}", "ordinary",
				      sat(&p->sat[0]), "key", sat(&p->sat[1]),
				      "all", sat(&f->sat_all)));
	if (f->has_ranking)
		json_object_set_new(root, "ranking",
				    json_pack("{s:o, s:o, s:o}", "ordinary",
					      ranking(&f->ranking[0]), "key",
					      ranking(&f->ranking[1]), "table",
					      rank_table(f)));
	else
		json_object_set_new(root, "ranking",
				    json_pack("{s:o}", "table", rank_table(f)));
	for (c = 0; c < HL_CAT_COUNT; c++)
		json_object_set_new(cats, hl_category_names[c],
				    handling(&f->hand[2 + c]));
	hand =
	    json_pack("{s:o, s:o, s:o, s:I, s:I}", "consult",
		      handling(&f->hand[HL_FIG_CONSULT]), "other",
		      handling(&f->hand[HL_FIG_OTHER]), "by_category", cats,
		      "left_out", (json_int_t)f->hand_left_out,
		      "outside_calendar", (json_int_t)f->hand_outside_calendar);
	if (f->hand_note.en)
		json_object_set_new(hand, "note", text2(&f->hand_note));
	json_object_set_new(root, "handling", hand);
	json_object_set_new(root, "reopen", reopen(&p->reopen));
	for (mon = 0; mon < 12; mon++)
		json_array_append_new(months, month(f, &f->months[mon]));
	json_object_set_new(root, "months", months);
	if (f->districts) {
		json_t *a = json_array();
		size_t i;

		for (i = 0; i < f->ndistricts; i++)
			json_array_append_new(
			    a, district_line(f, &f->districts[i]));
		json_object_set_new(root, "districts", a);
	}
	json_object_set_new(root, "units", units(f));
	json_object_set_new(root, "supervision",
			    json_pack("{s:o, s:o, s:o}", "past_deadline",
				      tickets(&f->past, 0), "near_deadline",
				      tickets(&f->near, 1), "units",
				      lagging(f)));
	if (f->has_late)
		json_object_set_new(root, "late_tickets", tickets(&f->late, 0));
	analyses(f, root);
	json_object_set_new(root, "quality", quality(f));
	json_object_set_new(root, "notes", notes(f));
	return root;
}
