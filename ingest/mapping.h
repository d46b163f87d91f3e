/*
 * mapping.h - from an export's own column headers and words to hotline's
 * canonical fields and classes.  Private to the ingest module and its tests.
 *
 * Exports have no common schema (docs/domain.md §2), so every column header
 * is looked up in an alias table and every category, satisfaction, yes/no
 * and status cell in a vocabulary table (§3).  Built-in tables cover the
 * Chinese headers and words of the domain brief and of `hotline sample`,
 * Open311 GeoReport v2 and bulk names, and NYC 311's headers.  A user
 * mapping file (INI, read with libinih) adds entries that take precedence
 * over the built-ins; mappings/nyc311.ini is an example.
 *
 * Matching rules, for headers and values alike: surrounding ASCII
 * whitespace and the ideographic space U+3000 are ignored, and ASCII
 * letters match in any case ("Closed", "CLOSED", "closed").  Nothing else is
 * folded: "其它" and "其他" are two entries.
 *
 * The value functions take (s, len) with s not necessarily NUL-terminated,
 * never allocate and run in time bounded by the length of s (built-in
 * tables are scanned, user tables are hashed): they run on every cell.
 */
#ifndef HL_INGEST_MAPPING_H
#define HL_INGEST_MAPPING_H

#include <stddef.h>

#include "model/model.h"

/* Results of hl_map_yesno() and hl_map_reopen() besides 1/0 and counts. */
#define HL_REOPEN_ABSENT (-1)
#define HL_REOPEN_INVALID (-2)
#define HL_REOPEN_MAX 1000

/*
 * Narrows *s, *len (IN/OUT) to the value without surrounding ASCII
 * whitespace and U+3000 ideographic spaces.
 */
void hl_map_trim(const char **s, size_t *len);

/*
 * 1 when the cell is an empty placeholder, else 0.  Empty placeholders,
 * after trimming: nothing at all (so also a cell of spaces), "-", "无" and
 * "null" in any ASCII case.  "N/A" is deliberately not one: in NYC 311
 * data it is a value of its own ("not applicable"), and the ingest keeps
 * it as written.
 */
int hl_map_is_empty(const char *s, size_t len);

/*
 * The built-in tables.  Each returns the class of s and sets *known (OUT,
 * may be NULL) to 1 when s is a recognised spelling, 0 when the result is
 * the fallback.
 *
 * hl_map_category: 咨询 求助 投诉 举报 建议 表扬 其他, the same with 类,
 * 投诉举报类 → complaint, 意见建议类 → suggestion, 感谢 and 感谢类 →
 * praise, 其它 and 其它类 → other.  Anything else, empty included, is
 * HL_CAT_OTHER with *known = 0: callers that treat an empty category as
 * absent test hl_map_is_empty() first.
 *
 * hl_map_satisfaction: 满意 非常满意 双满意 是 → satisfied; 基本满意
 * 比较满意 一般 理解 单满意 → basic; 不满意 非常不满意 否 → unsatisfied
 * (是/否 are the answers of a 是否满意 column); 未评价 未回访 无法回访
 * 有争议 and every empty placeholder → not evaluated, known.  The digits of
 * the "0 不满意 1 理解 2 满意 3 非常满意" scale are not built in, since a
 * bare digit means different things in different exports: map them in a
 * mapping file.  Anything else is HL_SAT_NOT_EVALUATED with *known = 0.
 *
 * hl_map_status: 待派单 → awaiting_dispatch; 待签收 → awaiting_sign;
 * 办理中 处理中 重办中 open "in progress" assigned pending started →
 * in_progress; 已办结 办结 已结案 closed → closed; 已回访 → called_back;
 * 已归档 → archived.  Anything else, empty included, is HL_ST_UNKNOWN
 * with *known = 0.
 */
enum hl_category hl_map_category(const char *s, size_t len, int *known);
enum hl_satisfaction hl_map_satisfaction(const char *s, size_t len, int *known);
enum hl_status hl_map_status(const char *s, size_t len, int *known);

/*
 * 1 for 是 Y yes true 1 重点, 0 for 否 N no false 0 普通 (letters in any
 * case), else HL_YESNO_UNKNOWN, empty included.
 */
int hl_map_yesno(const char *s, size_t len);

/*
 * 1 when the cell is blank for a yes/no answer: as hl_map_is_empty() but
 * for "无", which there means no.
 */
int hl_map_is_blank(const char *s, size_t len);

/*
 * An assessment answer of field f (hl_field_is_answer()): yes for 是 1 Y
 * yes true 有 有效 已联系 已解决, no for 否 0 N no false 无 无效 未联系
 * 未解决 (letters in any case), in any of the five fields; besides, for
 * resolved 部分解决 is no (resolved only in part is not resolved); for
 * in_assessment 不合理诉求 is no; for unreasonable 不合理诉求 is yes and
 * 合理诉求 no.  A blank cell (hl_map_is_blank()) is HL_YN_NONE, known;
 * anything else HL_YN_NONE with *known (OUT, may be NULL) 0.
 */
enum hl_yesno hl_map_answer(enum hl_field f, const char *s, size_t len,
			    int *known);

/*
 * The reopen count: a decimal number 0 ... HL_REOPEN_MAX as is, a yes/no
 * value (是否重办: 是/否) as 1/0, an empty placeholder as HL_REOPEN_ABSENT
 * (the export does not say, which is not the same as 0), anything else
 * HL_REOPEN_INVALID.
 */
int hl_map_reopen(const char *s, size_t len);

/*
 * struct hl_mapping: the built-in tables plus the entries of a user mapping
 * file.  Read-only once loaded, so one handle may serve several ingests.
 */
struct hl_mapping;

/*
 * A mapping with the built-in tables only.  Caller frees with
 * hl_mapping_free(), which accepts NULL.
 */
struct hl_mapping *hl_mapping_new(void);
void hl_mapping_free(struct hl_mapping *m);

/*
 * Adds the entries of the INI mapping file at path.  Sections:
 *
 *	[columns]	header = canonical field name (caller alone:
 *			the number is hashed, never kept as written)
 *	[category]	raw value = consult|help|complaint|report|suggestion|
 *			praise|other
 *	[satisfaction]	raw value = satisfied|basic|unsatisfied|not_evaluated
 *	[yesno]		raw value = yes|no
 *	[status]	raw value = awaiting_dispatch|awaiting_sign|in_progress|
 *			closed|called_back|archived|unknown
 *	[dates]		date-time field = format for hl_time_parse_fmt(),
 *			e.g. "%m/%d/%Y %I:%M:%S %p", checked with
 *			hl_time_fmt_check()
 *
 * Keys follow the matching rules above; a key given twice in one section
 * is an error.  Lines starting with ';' or '#' are comments, and so is
 * anything after " ;" on a line.  A key cannot contain '=' or ':' (libinih
 * splits at the first of them).  Lines are at most 199 bytes, the line
 * end excluded.  Leading whitespace is ignored, so an indented line is an
 * entry of its own, never libinih's continuation of the one before.
 *
 * Returns 0, or -1 at the first error with hl_mapping_errmsg() saying
 * "FILE:LINE: message" (or "cannot open 'FILE': reason").  Call it at most
 * once per handle; after a failure, free the handle.
 */
int hl_mapping_load(struct hl_mapping *m, const char *path);

/* The last error.  Borrowed; valid until the next call on m. */
const char *hl_mapping_errmsg(const struct hl_mapping *m);

/*
 * The field the header h (length len) maps to, user entries first, or -1.
 * A UTF-8 BOM is not stripped here (see hl_mapping_resolve()).
 */
int hl_mapping_header(const struct hl_mapping *m, const char *h, size_t len);

/*
 * Value lookups: the user's table for the vocabulary first, then the
 * built-in function above; results and *known (OUT, may be NULL) as there.
 * hl_mapping_reopen() consults the user's [yesno] table for non-numbers.
 */
enum hl_category hl_mapping_category(const struct hl_mapping *m, const char *s,
				     size_t len, int *known);
enum hl_satisfaction hl_mapping_satisfaction(const struct hl_mapping *m,
					     const char *s, size_t len,
					     int *known);
enum hl_status hl_mapping_status(const struct hl_mapping *m, const char *s,
				 size_t len, int *known);
int hl_mapping_yesno(const struct hl_mapping *m, const char *s, size_t len);
int hl_mapping_reopen(const struct hl_mapping *m, const char *s, size_t len);
/* An assessment answer: the user's [yesno] table, then hl_map_answer(). */
enum hl_yesno hl_mapping_answer(const struct hl_mapping *m, enum hl_field f,
				const char *s, size_t len, int *known);

/*
 * The date format the mapping file gives for the time field f, or NULL
 * when it gives none (the ingest then tries its built-in formats).
 * Borrowed; valid until m is freed.
 */
const char *hl_mapping_date_format(const struct hl_mapping *m, enum hl_field f);

/* A column that maps to a field an earlier column already has. */
struct hl_column_dup {
	size_t col;          /* 0-based column index */
	enum hl_field field; /* the field; columns.col[field] is the winner */
};

/*
 * struct hl_columns: what each column of one export header means.  The
 * ingest keeps unmapped (and duplicate) columns' values as JSON per row.
 * Release with hl_columns_release().
 */
struct hl_columns {
	long col[HL_F_COUNT];       /* column index per field, or -1 */
	size_t *unmapped;           /* ascending indexes of unmapped columns */
	size_t nunmapped;           /* entries in unmapped */
	struct hl_column_dup *dups; /* columns that lost to an earlier one */
	size_t ndups;               /* entries in dups */
};

void hl_columns_init(struct hl_columns *c);
void hl_columns_release(struct hl_columns *c);

/*
 * Fills out (which must be initialised; earlier contents are released)
 * from the n header cells (NUL-terminated; NULL counts as empty).  Matching
 * ignores a UTF-8 BOM on headers[0].  When two columns map to one field the
 * first wins and the later one is listed in out->dups, with one exception:
 * 序号 means ticket_id only when no other column does, because it is more
 * often a row number next to a real 工单编号 (a displaced 序号 column is
 * unmapped, not a duplicate).
 *
 * Returns 0, or -1 when a required field has no column, with
 * hl_mapping_errmsg() naming each missing field, the headers that would
 * have matched it and the headers found, e.g.
 * "missing required column 'accepted_at' (受理时间, 来电时间, ...);
 * headers found: 'a', 'b'".  out is filled either way.
 */
int hl_mapping_resolve(struct hl_mapping *m, char **headers, size_t n,
		       struct hl_columns *out /* OUT */);

#endif
