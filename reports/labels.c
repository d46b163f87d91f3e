/*
 * labels.c - the words around the figures: each figure's definition in
 * English and Chinese, written from the settings in force (README
 * "Metrics"), with its label.
 */
#include <stdlib.h>

#include "reports/reports.h"

const char *const hl_definition_keys[HL_NDEFINITIONS] = {
    "tickets",  "on_time", "on_time_dispatched", "satisfaction", "ranking",
    "handling", "reopen"};
static const char *const def_zh[HL_NDEFINITIONS] = {
    "工单量",   "按时办结率", "按时办结率（派单口径）", "满意率", "排名",
    "办理时长", "重办率"};
static const char *const def_en[HL_NDEFINITIONS] = {
    "tickets",           "on-time rate", "on-time rate (of dispatched)",
    "satisfaction rate", "ranking",      "handling time",
    "reopen rate"};

const char *
hl_definition_label(size_t i, int zh)
{
	return i < HL_NDEFINITIONS ? (zh ? def_zh[i] : def_en[i]) : NULL;
}

/* Moves en and zh into d's i-th text and empties them. */
static void
put(struct hl_definitions *d, size_t i, struct hl_buf *en, struct hl_buf *zh)
{
	d->text[i].en = hl_buf_detach(en, NULL);
	d->text[i].zh = hl_buf_detach(zh, NULL);
}

void
hl_definitions_make(const struct hl_settings *s, struct hl_definitions *d)
{
	struct hl_buf en = HL_BUF_INIT, zh = HL_BUF_INIT;

	hl_buf_printf(&en, "tickets whose %s time falls in the period",
		      hl_basis_words(s->basis, 0));
	hl_buf_printf(&zh, "%s时间在期间内的工单", hl_basis_words(s->basis, 1));
	put(d, 0, &en, &zh);
	hl_buf_printf(&en,
		      "closed on or before the deadline / closed tickets; "
		      "the deadline is the export's (a date alone: %s of "
		      "that day)",
		      s->date_only_start ? "the start" : "the end");
	hl_buf_printf(
	    &zh, "按时办结 ÷ 已办结；办理时限取导出数据（只有日期的取当日%s）",
	    s->date_only_start ? "零时" : "24时");
	if (s->deadline_fill) {
		hl_buf_printf(&en,
			      ", else %s working days from dispatch by "
			      "category",
			      s->deadline_inclusive
				  ? "N (counting the dispatch day)"
				  : "N");
		hl_buf_printf(&zh, "，缺失时按类别自派单起%s N 个工作日",
			      s->deadline_inclusive ? "（含本数）" : "");
	}
	hl_buf_printf(&en, "; tickets without one are %s",
		      hl_no_deadline_words(s->no_deadline, 0));
	hl_buf_printf(&zh, "；无办理时限的%s",
		      hl_no_deadline_words(s->no_deadline, 1));
	put(d, 1, &en, &zh);
	hl_buf_adds(&en,
		    "closed on or before the deadline / dispatched tickets; "
		    "open tickets past their deadline at the as-of time are "
		    "late; tickets without a deadline as above");
	hl_buf_adds(
	    &zh, "按时办结 ÷ 已派单；截至统计时点仍未办结且已超时限的计为超期；"
		 "无办理时限的处理同上");
	put(d, 2, &en, &zh);
	hl_buf_printf(&en,
		      "(satisfied + %g x basic) / (satisfied + basic + "
		      "unsatisfied); not evaluated left out",
		      s->basic_weight);
	hl_buf_printf(&zh,
		      "(满意 + %g×基本满意) ÷ (满意 + 基本满意 + 不满意)；"
		      "未评价不计",
		      s->basic_weight);
	put(d, 3, &en, &zh);
	hl_buf_printf(&en,
		      "districts ranked each month by satisfaction rate, "
		      "highest first, ties sharing a rank (1, 2, 2, 4); at "
		      "least %d evaluated tickets to be ranked; mean rank over "
		      "the ranked months; streak: longest run of consecutive "
		      "months at the rank",
		      s->rank_min);
	hl_buf_printf(
	    &zh,
	    "各区按月按满意率从高到低排名，并列同名次（1、2、2、4）；当月"
	    "已评价不少于 %d 件方参与排名；平均排名为参与排名各月之平均；"
	    "连续月数为连续处于该名次的最长月数",
	    s->rank_min);
	put(d, 4, &en, &zh);
	hl_buf_printf(
	    &en,
	    "closed - %s, over the period's closed tickets, hours; those "
	    "closed before accepted are left out; working hours count only "
	    "working days (State Council calendar); median and 90th "
	    "percentile interpolate linearly; speed-up = (mean a year "
	    "earlier - mean) / mean a year earlier x 100",
	    s->start == HL_START_DISPATCH ? "dispatched (accepted when not "
					    "dispatched)"
					  : "accepted");
	hl_buf_printf(
	    &zh,
	    "办结时间 − %s，期间内已办结工单，单位小时；办结早于受理的不计；"
	    "工作时长只计工作日（国务院放假安排）；中位数与90分位线性插值；"
	    "提速 = (上年同期均值 − 本期均值) ÷ 上年同期均值 × 100",
	    s->start == HL_START_DISPATCH ? "派单时间（未派单取受理时间）"
					  : "受理时间");
	put(d, 5, &en, &zh);
	hl_buf_adds(&en,
		    "closed tickets re-handled at least once / closed tickets "
		    "whose reopen count is known; first-time fix = 1 - reopen "
		    "rate");
	hl_buf_adds(&zh,
		    "重办过一次及以上的已办结工单 ÷ 已知重办次数的已办结工单；"
		    "一次办结率 = 1 − 重办率");
	put(d, 6, &en, &zh);
}

void
hl_definitions_release(struct hl_definitions *d)
{
	size_t i;

	for (i = 0; i < HL_NDEFINITIONS; i++) {
		free(d->text[i].en);
		free(d->text[i].zh);
	}
}

/* ---- the headline figures by name ---- */

static const struct hl_fig_label labels[HL_NFIG] = {
    [HL_F_TICKETS] = {"tickets", "工单量", "tickets", HL_KIND_COUNT},
    [HL_F_CONSULT] = {"consult", "其中咨询", "of which 咨询", HL_KIND_COUNT},
    [HL_F_OTHER] = {"other", "其中非咨询", "of which other", HL_KIND_COUNT},
    [HL_F_ON_TIME] = {"on_time", "按时办结率", "on-time rate", HL_KIND_RATE},
    [HL_F_LATE] = {"late", "超期工单", "late tickets", HL_KIND_COUNT},
    [HL_F_ON_TIME_CLOSED] = {"on_time_closed", "按时办结率（已办结）",
			     "on time (of closed)", HL_KIND_RATE},
    [HL_F_ON_TIME_DISPATCHED] = {"on_time_dispatched", "按时办结率（已派单）",
				 "on time (of dispatched)", HL_KIND_RATE},
    [HL_F_SAT_ORDINARY] = {"satisfaction.ordinary", "满意率（普通工单）",
			   "satisfaction (ordinary)", HL_KIND_RATE},
    [HL_F_SAT_KEY] = {"satisfaction.key", "满意率（重点工单）",
		      "satisfaction (key)", HL_KIND_RATE},
    [HL_F_MEAN_RANK_ORDINARY] = {"ranking.ordinary.mean_rank",
				 "满意率月度平均排名（普通）",
				 "mean monthly rank (ordinary)", HL_KIND_MEAN},
    [HL_F_MEAN_RANK_KEY] = {"ranking.key.mean_rank",
			    "满意率月度平均排名（重点）",
			    "mean monthly rank (key)", HL_KIND_MEAN},
    [HL_F_KEY_RANK1_STREAK] = {"ranking.key.streak.months",
			       "重点工单连续第1名最长月数",
			       "key: longest run at rank 1", HL_KIND_COUNT},
    [HL_F_HANDLING_CONSULT] = {"handling.consult.mean",
			       "咨询类平均办理时长（小时）",
			       "咨询 mean handling (hours)", HL_KIND_HOURS},
    [HL_F_HANDLING_OTHER] = {"handling.other.mean",
			     "非咨询类平均办理时长（小时）",
			     "other mean handling (hours)", HL_KIND_HOURS},
    [HL_F_SPEEDUP_CONSULT] = {"handling.consult.speedup_pct", "咨询类办理提速",
			      "咨询 speed-up (%)", HL_KIND_MEAN},
    [HL_F_SPEEDUP_OTHER] = {"handling.other.speedup_pct", "非咨询类办理提速",
			    "other speed-up (%)", HL_KIND_MEAN},
    [HL_F_REOPEN] = {"reopen", "重办率", "reopen rate", HL_KIND_RATE},
    [HL_F_FIRST_TIME_FIX] = {"reopen.first_time_fix", "一次办结率",
			     "first-time fix rate", HL_KIND_RATE},
};

const struct hl_fig_label *
hl_fig_label(enum hl_fig_id id)
{
	return &labels[id];
}

const char *
hl_fig_text(enum hl_fig_id id, int zh)
{
	return zh ? labels[id].zh : labels[id].en;
}

double
hl_fig_get(const struct hl_figures *f, enum hl_fig_id id)
{
	const struct hl_fig_main *m = &f->f;
	double v;

	switch (id) {
	case HL_F_TICKETS:
		return (double)m->tickets;
	case HL_F_CONSULT:
		return (double)m->cls[0];
	case HL_F_OTHER:
		return (double)(m->tickets - m->cls[0]);
	case HL_F_ON_TIME:
		return hl_ratio_value(hl_fig_on_time(f, m)->r);
	case HL_F_LATE:
		return (double)hl_fig_on_time(f, m)->late;
	case HL_F_ON_TIME_CLOSED:
		return hl_ratio_value(m->on_time_closed.r);
	case HL_F_ON_TIME_DISPATCHED:
		return hl_ratio_value(m->on_time_dispatched.r);
	case HL_F_SAT_ORDINARY:
		return hl_ratio_value(m->sat[HL_CLS_ORDINARY].r);
	case HL_F_SAT_KEY:
		return hl_ratio_value(m->sat[HL_CLS_KEY].r);
	case HL_F_MEAN_RANK_ORDINARY:
		return f->has_ranking ? f->ranking[0].mean_rank : HL_FIG_NONE;
	case HL_F_MEAN_RANK_KEY:
		return f->has_ranking ? f->ranking[1].mean_rank : HL_FIG_NONE;
	case HL_F_KEY_RANK1_STREAK:
		return f->has_ranking ? (double)f->ranking[1].streak_months
				      : HL_FIG_NONE;
	case HL_F_HANDLING_CONSULT:
		return f->hand[HL_FIG_CONSULT].nat.mean;
	case HL_F_HANDLING_OTHER:
		return f->hand[HL_FIG_OTHER].nat.mean;
	case HL_F_SPEEDUP_CONSULT:
		return f->hand[HL_FIG_CONSULT].speedup_pct;
	case HL_F_SPEEDUP_OTHER:
		return f->hand[HL_FIG_OTHER].speedup_pct;
	case HL_F_REOPEN:
		return hl_ratio_value(m->reopen.r);
	case HL_F_FIRST_TIME_FIX:
		v = hl_ratio_value(m->reopen.r);
		return hl_fig_has(v) ? 1 - v : HL_FIG_NONE;
	default:
		return HL_FIG_NONE;
	}
}

/* ---- the words of the tables ---- */

static const char *const words[HL_NWORDS][2] = {
    [HL_W_FIGURE] = {"指标", "figure"},
    [HL_W_VALUE] = {"数值", "value"},
    [HL_W_RATIO] = {"分子 / 分母", "numerator / denominator"},
    [HL_W_TICKETS] = {"工单量", "tickets"},
    [HL_W_ON_TIME] = {"按时办结率", "on time"},
    [HL_W_SAT] = {"满意率", "satisfaction"},
    [HL_W_SAT_ORDINARY] = {"满意率（普通）", "satisfaction (ordinary)"},
    [HL_W_SAT_KEY] = {"满意率（重点）", "satisfaction (key)"},
    [HL_W_RANK_ORDINARY] = {"排名（普通）", "rank (ordinary)"},
    [HL_W_RANK_KEY] = {"排名（重点）", "rank (key)"},
    [HL_W_REOPEN] = {"重办率", "reopen"},
    [HL_W_UNIT] = {"承办单位", "unit"},
    [HL_W_DISTRICT] = {"区", "district"},
    [HL_W_MONTH] = {"月份", "month"},
    [HL_W_LIMIT] = {"限值", "limit"},
    [HL_W_CONSULT_H] = {"咨询时长(h)", "consult (h)"},
    [HL_W_OTHER_H] = {"非咨询时长(h)", "other (h)"},
    [HL_W_MEAN_RANK_ORDINARY] = {"平均排名（普通）", "mean rank (ordinary)"},
    [HL_W_MEAN_RANK_KEY] = {"平均排名（重点）", "mean rank (key)"},
    [HL_W_CONSULT] = {"咨询", "咨询"},
    [HL_W_OTHER] = {"非咨询", "other"},
    [HL_W_LATE] = {"超期件数", "late"},
};

const char *
hl_word(enum hl_word w, int zh)
{
	return words[w][zh ? 0 : 1];
}

void
hl_table_words(struct hl_table *t, const enum hl_word *w, size_t n, int zh)
{
	size_t i;

	for (i = 0; i < n; i++)
		hl_table_cell(t, hl_word(w[i], zh));
}
