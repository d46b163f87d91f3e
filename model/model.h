/*
 * model.h - the canonical ticket: its fields, one coding for each
 * vocabulary, the data-quality flags and the kinds of raw spelling the
 * store keeps.  Every module speaks of tickets in these terms; the codes
 * are those the store writes (store/schema.sql), so they never change.
 */
#ifndef HL_MODEL_H
#define HL_MODEL_H

/* The canonical fields of docs/domain.md §2, in the order of that table. */
enum hl_field {
	HL_F_TICKET_ID,
	HL_F_ACCEPTED_AT,
	HL_F_CHANNEL,
	HL_F_CATEGORY,
	HL_F_IS_KEY,
	HL_F_DISTRICT,
	HL_F_STREET,
	HL_F_UNIT,
	HL_F_DISPATCHED_AT,
	HL_F_SIGNED_AT,
	HL_F_DEADLINE_AT,
	HL_F_CLOSED_AT,
	HL_F_STATUS,
	HL_F_SATISFACTION,
	HL_F_REOPEN_COUNT,
	HL_F_CONTENT,
	HL_F_UPDATED_AT, /* when the platform last changed the ticket */
	/* §8: the assessment answers (yes, no or not given) */
	HL_F_VALID_CALLBACK, /* 是否有效回访 */
	HL_F_CONTACTED,      /* 是否联系 */
	HL_F_RESOLVED,       /* 是否解决 */
	HL_F_IN_ASSESSMENT,  /* 是否纳入考核 */
	HL_F_UNREASONABLE, /* 是否不合理诉求: yes makes in_assessment no */
	/* §8: the topic, one column or its levels joined with '-' */
	HL_F_TOPIC,   /* 问题分类 */
	HL_F_TOPIC_1, /* 一级分类 */
	HL_F_TOPIC_2,
	HL_F_TOPIC_3,
	HL_F_TOPIC_4,
	HL_F_TOPIC_5, /* 五级分类 */
	HL_F_CALLER,  /* 来电号码: stored only as a keyed hash */
	HL_F_COUNT
};

/* The canonical names ("ticket_id", ...), by field. */
extern const char *const hl_field_names[HL_F_COUNT];
/* The canonical name of f; NULL outside the enum. */
const char *hl_field_name(enum hl_field f);
/* The field whose canonical name is exactly name, or -1. */
int hl_field_from_name(const char *name);
/* 1 for the fields an export must have (ticket_id, accepted_at), else 0. */
int hl_field_required(enum hl_field f);
/* 1 for the date-time fields (accepted_at and the other *_at), else 0. */
int hl_field_is_time(enum hl_field f);

/* The category classes (§3), as ticket.category codes them. */
enum hl_category {
	HL_CAT_CONSULT,    /* 咨询 */
	HL_CAT_HELP,       /* 求助 */
	HL_CAT_COMPLAINT,  /* 投诉 */
	HL_CAT_REPORT,     /* 举报 */
	HL_CAT_SUGGESTION, /* 建议 */
	HL_CAT_PRAISE,     /* 表扬, 感谢 */
	HL_CAT_OTHER,      /* 其他, and any value not recognised */
	HL_CAT_COUNT
};

/* Their canonical names (mapping files, profiles, JSON) and Chinese ones. */
extern const char *const hl_category_names[HL_CAT_COUNT];
extern const char *const hl_category_zh[HL_CAT_COUNT];

/*
 * The satisfaction answers, as ticket.satisfaction codes them: not
 * evaluated (never in a rate's denominator), then the scale best first.
 */
enum hl_satisfaction {
	HL_SAT_NOT_EVALUATED, /* not_evaluated: 未评价 */
	HL_SAT_SATISFIED,     /* satisfied: 满意 */
	HL_SAT_BASIC,         /* basic: 基本满意 */
	HL_SAT_UNSATISFIED,   /* unsatisfied: 不满意 */
	HL_SAT_COUNT
};

/* Ticket status, as ticket.status codes them (unknown is stored NULL). */
enum hl_status {
	HL_ST_AWAITING_DISPATCH, /* awaiting_dispatch: 待派单 */
	HL_ST_AWAITING_SIGN,     /* awaiting_sign: 待签收 */
	HL_ST_IN_PROGRESS,       /* in_progress: 办理中 */
	HL_ST_CLOSED,            /* closed: 已办结 */
	HL_ST_CALLED_BACK,       /* called_back: 已回访 */
	HL_ST_ARCHIVED,          /* archived: 已归档 */
	HL_ST_UNKNOWN,           /* unknown: no status to be had */
	HL_ST_COUNT
};

/* Canonical value names as used in mapping files, by code. */
extern const char *const hl_satisfaction_names[HL_SAT_COUNT];
extern const char *const hl_status_names[HL_ST_COUNT];

/* The same by function; NULL outside the enum. */
const char *hl_category_name(enum hl_category c);
const char *hl_satisfaction_name(enum hl_satisfaction s);
const char *hl_status_name(enum hl_status st);

/* ticket.is_key: 1 重点, 0 普通, HL_YESNO_UNKNOWN not given (NULL). */
#define HL_YESNO_UNKNOWN (-1)

/* The assessment answers a ticket carries, 2 bits each in ticket.assess. */
enum hl_assess {
	HL_AS_VALID,         /* valid_callback */
	HL_AS_CONTACTED,     /* contacted */
	HL_AS_RESOLVED,      /* resolved */
	HL_AS_IN_ASSESSMENT, /* in_assessment (no when unreasonable) */
	HL_AS_COUNT
};
enum hl_yesno { HL_YN_NONE, HL_YN_YES, HL_YN_NO }; /* not given, yes, no */
#define HL_ASSESS_GET(a, f) ((int)(((unsigned)(a) >> (2 * (f))) & 3u))
/* a with answer f set to v (an enum hl_yesno). */
#define HL_ASSESS_SET(a, f, v)                                                 \
	(((unsigned)(a) & ~(3u << (2 * (f)))) | ((unsigned)(v) << (2 * (f))))

/* The field of assessment answer f (HL_F_VALID_CALLBACK ...). */
#define HL_ASSESS_FIELD(f) ((enum hl_field)(HL_F_VALID_CALLBACK + (f)))
/* 1 for the five yes/no fields of the assessment, else 0. */
int hl_field_is_answer(enum hl_field f);

/* The caller hash kept in ticket.caller: HMAC-SHA-256, first 16 bytes. */
#define HL_CALLER_HASH_LEN 16

/*
 * Bits of ticket.quality: data-quality flags, and two facts that are not
 * flags (HL_Q_NOT_FLAGS).  Bit 64 meant "outside the known working-day
 * calendar" up to schema 4, when ingest decided it; the metrics now
 * decide it from the calendar they are given and ignore the bit.  Bit
 * 128: the deadline cell had a date and no time (stored as that day's
 * 00:00:00).
 */
#define HL_Q_CLOSED_BEFORE 1u   /* closed before accepted */
#define HL_Q_DEADLINE_BEFORE 2u /* deadline before accepted */
#define HL_Q_FUTURE 4u          /* a time in the future */
#define HL_Q_CATEGORY 8u        /* category not recognised */
#define HL_Q_SATISFACTION 16u   /* satisfaction not recognised */
#define HL_Q_STATUS 32u         /* status not recognised */
#define HL_Q_CALENDAR_OLD 64u
#define HL_Q_DEADLINE_DATE 128u
#define HL_Q_REOPEN 256u    /* reopen count not a count */
#define HL_Q_BACKWARDS 512u /* moved back without a reopen */
#define HL_Q_ASSESS 1024u   /* an assessment answer not recognised */
#define HL_Q_NOT_FLAGS (HL_Q_CALENDAR_OLD | HL_Q_DEADLINE_DATE)

/*
 * The name of quality bit (one of HL_Q_*: "closed_before_accepted",
 * "deadline_before_accepted", "future_time", "category_unknown",
 * "satisfaction_unknown", "status_unknown", "calendar_old",
 * "deadline_date_only", "reopen_unknown", "moved_back",
 * "answer_unknown"); NULL for any other value.  Static.
 */
const char *hl_quality_name(unsigned bit);

/* dict kinds (schema.sql): the raw spellings of each vocabulary. */
enum hl_dict {
	HL_DICT_DISTRICT = 1,
	HL_DICT_STREET,
	HL_DICT_UNIT,
	HL_DICT_CHANNEL,
	HL_DICT_CATEGORY,
	HL_DICT_SATISFACTION,
	HL_DICT_STATUS,
	HL_DICT_KEY,
	HL_DICT_REOPEN,
	HL_DICT_TOPIC /* topics as given or joined from their levels */
};

#endif
