/*
 * model.c - the names of the canonical fields and values (model.h).
 */
#include <string.h>

#include "model/model.h"

const char *const hl_field_names[HL_F_COUNT] = {
    "ticket_id",     "accepted_at",    "channel",      "category",
    "is_key",        "district",       "street",       "unit",
    "dispatched_at", "signed_at",      "deadline_at",  "closed_at",
    "status",        "satisfaction",   "reopen_count", "content",
    "updated_at",    "valid_callback", "contacted",    "resolved",
    "in_assessment", "unreasonable",   "topic",        "topic_1",
    "topic_2",       "topic_3",        "topic_4",      "topic_5",
    "caller",
};

const char *const hl_category_names[HL_CAT_COUNT] = {
    "consult", "help", "complaint", "report", "suggestion", "praise", "other",
};

const char *const hl_category_zh[HL_CAT_COUNT] = {
    "咨询", "求助", "投诉", "举报", "建议", "表扬", "其他",
};

const char *const hl_satisfaction_names[HL_SAT_COUNT] = {
    "not_evaluated",
    "satisfied",
    "basic",
    "unsatisfied",
};

const char *const hl_status_names[HL_ST_COUNT] = {
    "awaiting_dispatch", "awaiting_sign", "in_progress", "closed",
    "called_back",       "archived",      "unknown",
};

const char *
hl_field_name(enum hl_field f)
{
	return (unsigned)f < HL_F_COUNT ? hl_field_names[f] : NULL;
}

int
hl_field_from_name(const char *name)
{
	int f;

	for (f = 0; f < HL_F_COUNT; f++)
		if (strcmp(hl_field_names[f], name) == 0)
			return f;
	return -1;
}

int
hl_field_required(enum hl_field f)
{
	return f == HL_F_TICKET_ID || f == HL_F_ACCEPTED_AT;
}

int
hl_field_is_time(enum hl_field f)
{
	return f == HL_F_ACCEPTED_AT || f == HL_F_DISPATCHED_AT ||
	       f == HL_F_SIGNED_AT || f == HL_F_DEADLINE_AT ||
	       f == HL_F_CLOSED_AT || f == HL_F_UPDATED_AT;
}

int
hl_field_is_answer(enum hl_field f)
{
	return f >= HL_F_VALID_CALLBACK && f <= HL_F_UNREASONABLE;
}

const char *
hl_category_name(enum hl_category c)
{
	return (unsigned)c < HL_CAT_COUNT ? hl_category_names[c] : NULL;
}

const char *
hl_satisfaction_name(enum hl_satisfaction s)
{
	return (unsigned)s < HL_SAT_COUNT ? hl_satisfaction_names[s] : NULL;
}

const char *
hl_status_name(enum hl_status st)
{
	return (unsigned)st < HL_ST_COUNT ? hl_status_names[st] : NULL;
}

const char *
hl_quality_name(unsigned bit)
{
	static const char *const names[] = {
	    "closed_before_accepted",
	    "deadline_before_accepted",
	    "future_time",
	    "category_unknown",
	    "satisfaction_unknown",
	    "status_unknown",
	    "calendar_old",
	    "deadline_date_only",
	    "reopen_unknown",
	    "moved_back",
	    "answer_unknown",
	};
	unsigned i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bit == 1u << i)
			return names[i];
	return NULL;
}
