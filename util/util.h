/*
 * util.h - the small things every hotline module needs.
 *
 * Memory (out of memory is fatal), the growable text buffer, a hash map
 * of integer keys and the hashes, strtonum-style number parsing, the
 * positional diagnostics sink, civil date arithmetic in China Standard
 * Time and the working-day calendars of the State Council holiday notices.
 * Nothing here prints except the diagnostics sink, whose whole job is
 * printing, and hl_xmalloc's dying words.
 */
#ifndef HL_UTIL_H
#define HL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define HL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define HL_NORETURN __attribute__((noreturn))
#else
#define HL_PRINTF(a, b)
#define HL_NORETURN
#endif

#define HL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* A macro's value as a string literal, for SQL text built at compile time. */
#define HL_STR_(x) #x
#define HL_STR(x) HL_STR_(x)

/*
 * Allocation that cannot fail: on exhaustion these print
 * "hotline: out of memory allocating N bytes" and abort().  The results are
 * owned by the caller and released with free().
 */
void *hl_xmalloc(size_t n);
void *hl_xcalloc(size_t nmemb, size_t size);
void *hl_xrealloc(void *p, size_t n);
char *hl_xstrdup(const char *s);
HL_NORETURN void hl_oom(size_t n);

/*
 * An array v of n elements of size bytes, *cap of them allocated, with
 * room for one more: grown to twice its size (first elements the first
 * time) when full.  Returns the array, moved or not.
 */
void *hl_grow(void *v, size_t n, size_t *cap, size_t size, size_t first);
/* n bytes, freed with free(); of 2 MiB or more, in huge pages where the
 * kernel allows (mem.c).  hl_grow() moves a large array into them. */
void *hl_xmalloc_big(size_t n);
/* Frees v[0 .. n-1] and v.  NULL is a no-op. */
void hl_free_strv(char **v, size_t n);

/*
 * struct hl_buf: growable bytes.
 *
 * Invariants: data is never NULL and always NUL-terminated at data[len], so
 * it can be handed to any function wanting a C string (embedded NULs aside).
 * cap is the allocated size minus the terminator, or 0 when data points at
 * the shared empty string.  hl_buf_detach() is the only way to take
 * ownership of data; everything else leaves it with the buffer.
 */
struct hl_buf {
	char *data; /* never NULL, NUL-terminated */
	size_t len; /* bytes used, excluding the terminator */
	size_t cap; /* bytes available, excluding the terminator */
};

#define HL_BUF_INIT                                                            \
	{                                                                      \
		hl_buf_empty, 0, 0                                             \
	}
extern char hl_buf_empty[];

void hl_buf_init(struct hl_buf *b);
/* Frees the storage; b must be initialised again before reuse. */
void hl_buf_release(struct hl_buf *b);
/* Keeps the storage, sets the length to 0. */
void hl_buf_reset(struct hl_buf *b);
void hl_buf_grow(struct hl_buf *b, size_t extra);
void hl_buf_add(struct hl_buf *b, const void *p, size_t n);
void hl_buf_adds(struct hl_buf *b, const char *s);
void hl_buf_addc(struct hl_buf *b, char c);
/* Appends p[0 .. n-1] and a NUL; returns the offset where they start (a
 * value kept in a buffer of many, found again by its offset). */
size_t hl_buf_put(struct hl_buf *b, const void *p, size_t n);
/* n in decimal, at least width digits (zero-padded), written at d; returns
 * the end (no NUL).  d needs room for 21 bytes or width + 1. */
char *hl_digits(char *d, long long n, int width);
void hl_buf_printf(struct hl_buf *b, const char *fmt, ...) HL_PRINTF(2, 3);
void hl_buf_vprintf(struct hl_buf *b, const char *fmt, va_list ap);
/* Returns the bytes (NUL-terminated); caller frees with free(). b is reset. */
char *hl_buf_detach(struct hl_buf *b, size_t *len /* OUT: may be NULL */);

/* Seconds on a monotonic clock: differences are elapsed time. */
double hl_seconds(void);

/*
 * A library handle's last error: a code of the module's enum and, when
 * there is one, a message.  hl_err_set() sets both and returns -1, so
 * that `return hl_err_set(...)` fails a function.
 */
struct hl_err {
	int code;
	struct hl_buf msg;
};

int hl_err_set(struct hl_err *e, int code, const char *fmt, ...)
    HL_PRINTF(3, 4);
/* The message, else strerror(code) (the module's static text). */
const char *hl_err_text(const struct hl_err *e, const char *(*strerror)(int));

/*
 * A 64-bit hash of p[0..n) (its length included), continuing from seed: a
 * word at a time, the same on every machine.  For tables in memory and
 * for telling whether a record changed, not for anything an adversary
 * chooses to collide.
 */
uint64_t hl_hash64(const void *p, size_t n, uint64_t seed);

/* Bytes in a SHA-256 digest. */
#define HL_SHA256_LEN 32

/*
 * HMAC-SHA-256 (RFC 2104, RFC 4231) of msg[0..n) under key[0..keylen)
 * into out.  For hashes an adversary must not be able to reverse by
 * trying every input (a telephone number has too few digits for a plain
 * hash to hide it), where the key is the secret.
 */
void hl_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
		    unsigned char out[HL_SHA256_LEN]);

/*
 * n random bytes from the kernel (getrandom(2), else /dev/urandom) into
 * p, for keys.  0, or -1 (errno set) when none can be had.
 */
int hl_random_bytes(void *p, size_t n);

/*
 * A hash of an integer key for tables in memory (Fibonacci hashing: one
 * multiply, the well-mixed high half): for dict ids and packed small
 * fields, where hl_hash64's byte loop is more than the key needs.
 */
static inline size_t
hl_hash_u64(uint64_t key)
{
	return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32);
}

/*
 * struct hl_idmap: a hash map from nonzero 64-bit keys (dict ids, packed
 * small fields; 0 marks a free slot) to values of a fixed size.  Slot i
 * (i < cap) holds an entry when key[i] != 0, its value at
 * hl_idmap_val(m, i): walk them so, in no particular order.
 */
struct hl_idmap {
	uint64_t *key;
	unsigned char *val;
	size_t size;   /* bytes per value */
	size_t n, cap; /* entries, slots */
};

/* An empty map of values of size bytes. */
void hl_idmap_init(struct hl_idmap *m, size_t size);
/*
 * The value of key, added (zeroed, *isnew = 1) when missing, else
 * *isnew = 0.  Valid until the next addition.
 */
void *hl_idmap_slot(struct hl_idmap *m, uint64_t key, int *isnew);
/* The value of key, or NULL when it is missing. */
void *hl_idmap_find(const struct hl_idmap *m, uint64_t key);
/* Forgets every entry and keeps the room. */
void hl_idmap_clear(struct hl_idmap *m);
/* Frees the room; the map is empty again, for values of the same size. */
void hl_idmap_release(struct hl_idmap *m);

static inline void *
hl_idmap_val(const struct hl_idmap *m, size_t i)
{
	return m->val + i * m->size;
}

/*
 * strtonum-style parsing: the whole of s must be a decimal integer in
 * [min, max].  On failure returns 0 and sets *errstr to a static fragment
 * ("invalid", "too small", "too large") meant to follow a subject, as in
 * "--scale: too large"; on success *errstr is NULL.
 */
long long hl_strtonum(const char *s, long long min, long long max,
		      const char **errstr);
/*
 * The same for a decimal fraction such as "0.25" (digits, one optional dot,
 * no sign, no exponent, at most 15 digits), range-checked against
 * [min, max].  The result is the double nearest the decimal value.
 */
double hl_strtofrac(const char *s, double min, double max, const char **errstr);

/*
 * INI files, read with libinih.  hl_ini_load() calls fn(ini, arg, section,
 * key, value) for each entry, in file order, with ini->line the entry's
 * line; fn reports a problem with hl_ini_error(), which stops the load.
 * Returns 0, or -1 with err (reset first) saying "PATH:LINE: message"
 * (the first error: the handler's, or a malformed line's), or "cannot
 * open 'PATH': reason".  Lines are at most 199 bytes; leading whitespace
 * is ignored, so an indented line is an entry of its own; lines starting
 * with ';' or '#' are comments, and so is anything after " ;".  libinih
 * strips the spaces around sections, keys and values.
 */
struct hl_ini {
	const char *path;   /* as given */
	unsigned line;      /* the line being handled */
	int failed;         /* an error was reported */
	struct hl_buf *err; /* where it went */
};
typedef void hl_ini_entry_fn(struct hl_ini *ini, void *arg, const char *section,
			     const char *key, const char *value);
int hl_ini_load(const char *path, hl_ini_entry_fn *fn, void *arg,
		struct hl_buf *err);
/* The same for the NUL-terminated text of a file called name. */
int hl_ini_load_text(const char *name, const char *text, hl_ini_entry_fn *fn,
		     void *arg, struct hl_buf *err);
void hl_ini_error(struct hl_ini *ini, const char *fmt, ...) HL_PRINTF(2, 3);

/* Appends "a, b or c" (names[0 .. n-1]) to b, for messages. */
void hl_buf_add_choices(struct hl_buf *b, const char *const *names, size_t n);

/*
 * Positional diagnostics, compiler style: "file:line:col: error: message".
 * Lines and columns count from 1; the column is a byte column.  At most
 * `cap` diagnostics of one kind (the format string identifies the kind) are
 * printed; then one "note: N more like "<the first>" suppressed" follows
 * at hl_diag_flush(), which ends a file: each kind starts a new
 * allowance after it.
 */
struct hl_pos {
	unsigned long line; /* 1-based physical line, or a sheet's row */
	unsigned long col;  /* 1-based byte column, or a sheet's column */
	const char *sheet;  /* NULL: a text file; else the sheet's name
			     * (borrowed), and the position reads
			     * "Sheet1!C123" */
};

/*
 * The spreadsheet name of column col (1-based: 1 is "A", 27 "AA") into
 * buf, which holds 8 bytes; "?" for 0 or a column past "XFD"'s range
 * of 16384 and more.
 */
const char *hl_column_name(unsigned long col, char buf[8]);

enum hl_sev { HL_NOTE, HL_WARNING, HL_ERROR };

struct hl_diag;

/* Writes to out (borrowed).  Caller frees with hl_diag_free(). */
struct hl_diag *hl_diag_new(FILE *out, unsigned cap);
void hl_diag_free(struct hl_diag *d);
void hl_diag_report(struct hl_diag *d, enum hl_sev sev, const char *file,
		    struct hl_pos pos, const char *fmt, ...) HL_PRINTF(5, 6);
/*
 * The same with a va_list, and kind as the flood-control key when the
 * format alone does not tell kinds apart (NULL: the format is the key).
 */
void hl_diag_vreport(struct hl_diag *d, enum hl_sev sev, const char *file,
		     struct hl_pos pos, const char *kind, const char *fmt,
		     va_list ap);
void hl_diag_report_kind(struct hl_diag *d, enum hl_sev sev, const char *file,
			 struct hl_pos pos, const char *kind, const char *fmt,
			 ...) HL_PRINTF(6, 7);
/*
 * fn(arg) runs before each message is printed (NULL: nothing), so that a
 * progress line on a terminal can be cleared first.
 */
void hl_diag_set_hook(struct hl_diag *d, void (*fn)(void *), void *arg);
/* Prints the "more like ... suppressed" notes and starts every kind's
 * allowance anew; the counts by severity are kept. */
void hl_diag_flush(struct hl_diag *d);
unsigned long hl_diag_count(const struct hl_diag *d, enum hl_sev sev);

/*
 * Civil dates and times.  hotline keeps every time as hl_time: seconds since
 * 1970-01-01 00:00:00 China Standard Time (UTC+8, no DST), computed with
 * integer arithmetic only, so no time-zone or locale setting can change a
 * result.  A day number is days since 1970-01-01.
 */
typedef int64_t hl_time;

int64_t hl_days_from_civil(int y, int m, int d);
void hl_civil_from_days(int64_t days, int *y /* OUT */, int *m /* OUT */,
			int *d /* OUT */);
/* 1 = Monday ... 7 = Sunday. */
int hl_iso_weekday(int64_t days);
int hl_days_in_month(int y, int m);
hl_time hl_time_make(int y, int mo, int d, int h, int mi, int s);
/* The day number t falls on (rounding down, also before 1970). */
int64_t hl_time_day(hl_time t);
/* The month t falls in as yyyymm (202206). */
int64_t hl_time_yyyymm(hl_time t);
/* The day t falls on as yyyymmdd (20220630), as the rollups key days. */
int64_t hl_time_yyyymmdd(hl_time t);
/* "2022-01-03 09:05:00" into out, which must hold 20 bytes. */
void hl_time_format_iso(hl_time t, char out[20]);

/*
 * Date-time parsing for time cells of exports.  The parsers are strict:
 * a value out of range is an error, never wrapped into the next month or
 * day, and only years 1900 to 2199 are accepted ("year out of range"),
 * which keeps stray numbers from passing as dates.  They read exactly len
 * bytes (s need not be NUL-terminated), ignore leading and trailing ASCII
 * spaces and tabs, allocate nothing and never consult the locale.  On
 * failure they return -1, leave *out alone and set *errstr to a static
 * lowercase fragment: "empty", "not a date-time", "trailing characters",
 * "year out of range", "month out of range", "day out of range",
 * "hour out of range", "minute out of range", "second out of range" or
 * "serial out of range" (or the serial-60 fragment below).  On success they
 * return 0 and set *errstr to NULL.
 *
 * hl_time_parse() detects the shape:
 *   ISO       2022-01-03 09:05:00, 2022-01-03T09:05:00, 2022-01-03 09:05,
 *             2022-01-03 (month and day may have 1 or 2 digits);
 *   slash     2022/1/3 9:05:00, 2022/01/03 09:05, 2022/1/3 (year first);
 *   US        01/03/2022 09:05:00 AM, 1/3/2022 9:05 PM, 1/3/2022 21:05,
 *             1/3/2022 (1 or 2 digits first: month/day/year);
 *   Chinese   2022年1月3日, 2022年1月3日 9时5分[3秒] (点 for 时 too),
 *             2022年01月03日09:05[:00] (the space after 日 is optional);
 *   compact   20220103090500, 202201030905, 20220103 (date only);
 *   Excel     44564.378472, 44564 (days since 1899-12-30; the integer part
 *             has 1 to 5 digits, so an 8-digit number is YYYYMMDD, and any
 *             other bare number is "serial out of range").
 * A clock H:MM[:SS] has 1 or 2 digits per field and may be followed by
 * AM/PM, am/pm, 上午 or 下午 (which may also precede it); with one of
 * these the hour must be 1 to 12 and 12 AM is midnight.  Fractional
 * seconds after :SS (".123", any number of digits) round to the nearest
 * second, half up (09:00:00.5 is 09:00:01; 23:59:59.5 is the next day's
 * midnight).  Excel serials follow Excel's 1900 date system, which counts
 * 1900 as a leap year: 1 is 1900-01-01, 59 is 1900-02-28, 60 (its
 * 1900-02-29) is an error ("serial 60 is 1900-02-29, which does not
 * exist") and 61 is 1900-03-01.  An Excel fraction of a day is rounded to the
 * nearest second, exactly, from all of its decimal digits; it may round up to
 * the next midnight.  *date_only (OUT, may be NULL) is set to 1 when the cell
 * had no time of day (midnight is assumed), else to 0.
 */
int hl_time_parse(const char *s, size_t len, hl_time *out /* OUT */,
		  int *date_only /* OUT: may be NULL */, const char **errstr);
/*
 * Parses with an explicit format: %Y (exactly 4 digits), %m %d (1 or 2
 * digits), %H (0-23), %I (1-12, needs %p), %M %S (1 or 2 digits), %p
 * (AM/PM, am/pm, 上午/下午) and %%; any other byte matches itself and a
 * space matches one or more spaces.  The whole format "excel" means an
 * Excel serial as above.  A format rejected by hl_time_fmt_check() fails
 * with that function's fragment.  Returns and errors as hl_time_parse().
 */
int hl_time_parse_fmt(const char *s, size_t len, const char *fmt,
		      hl_time *out /* OUT */, const char **errstr);
/*
 * Checks a format for hl_time_parse_fmt(): returns 0 and sets *errstr to
 * NULL, or returns -1 with *errstr a static fragment such as
 * "unknown conversion '%q'", "%I without %p", "%p without %I", "missing
 * %Y", "duplicate conversion '%m'" or "trailing '%'".  %Y, %m and %d are
 * required; %M needs an hour and %S needs %M.
 */
int hl_time_fmt_check(const char *fmt, const char **errstr);

/*
 * Working-day calendars.  A day is a working day when it is a weekday that
 * is not a public holiday, or a weekend day that is a make-up working day
 * (调休), as the State Council's yearly notice lists them.  Each year is
 * data in one format (calendars/README.md): an INI section
 * [calendar YYYY] whose keys holidays (rest days, single days or ranges
 * D1..D2) and workdays (make-up working days) may be repeated, and source
 * (the notice).  The years in calendars/ are built in; a user adds a year
 * with a file of the same format.  A day of a year no file covers is
 * unknown, never guessed.
 */
enum hl_daykind { HL_DAY_UNKNOWN = -1, HL_DAY_REST = 0, HL_DAY_WORK = 1 };

/* One year's notice: day numbers (days since 1970-01-01). */
struct hl_calyear {
	int year;
	int64_t *holidays; /* rest days (a weekend day among them changes
			    * nothing) */
	size_t nholidays;
	int64_t *workdays; /* make-up working days */
	size_t nworkdays;
	char *source; /* the notice, or NULL */
	char *file;   /* where it was read */
};

/* Years read from calendar files or a profile, in the order read. */
struct hl_calyears {
	struct hl_calyear *v;
	size_t n;
	size_t cur; /* while reading: index of the section being read + 1 */
};

#define HL_CALYEARS_INIT                                                       \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void hl_calyears_release(struct hl_calyears *ys);
/*
 * One INI entry of a [calendar YYYY] section into ys, for a file of
 * calendar years or a profile that carries some: a section given twice,
 * an unknown key, a date outside the year (or the December before it,
 * where a notice's New Year holiday may start), a range that ends before
 * it starts, or a day listed twice is an error reported on ini.
 */
void hl_calyears_entry(struct hl_ini *ini, struct hl_calyears *ys,
		       const char *section, const char *key, const char *value);
/*
 * Adds the years of a calendar file (only [calendar YYYY] sections) to
 * ys.  Returns 0, or -1 with err saying "PATH:LINE: message".
 */
int hl_calyears_load(struct hl_calyears *ys, const char *path,
		     struct hl_buf *err);

/* The built-in years, first and last (calendars/). */
#define HL_CAL_FIRST_YEAR 2020
#define HL_CAL_LAST_YEAR 2026

struct hl_calendar;

/*
 * The built-in years plus extra's (may be NULL); a year of extra replaces
 * the built-in year of the same number.  *out (OUT) is set on success;
 * caller frees with hl_calendar_free().  Returns 0, or -1 with err (a
 * built-in file that does not read, which the tests rule out, or the same
 * year twice in extra).
 */
int hl_calendar_new(const struct hl_calyears *extra, struct hl_calendar **out,
		    struct hl_buf *err);
void hl_calendar_free(struct hl_calendar *c);
enum hl_daykind hl_calendar_daykind(const struct hl_calendar *c, int64_t day);
/* 1 when year y is covered, else 0. */
int hl_calendar_has_year(const struct hl_calendar *c, int y);
/*
 * The covered years, ascending, into *years (OUT; borrowed, valid until
 * hl_calendar_free()).  Returns their number.
 */
size_t hl_calendar_years(const struct hl_calendar *c, const int **years);
/* The file year y was read from ("calendars/2025.ini" when built in). */
const char *hl_calendar_file(const struct hl_calendar *c, int y);
/* Number of working days in year y, or -1 when y is not covered. */
int hl_calendar_workdays_in_year(const struct hl_calendar *c, int y);
/*
 * The day number of the n-th working day after `days` (the start day
 * itself is not counted; n >= 1), or -1 when the calendar does not cover
 * a day on the way.
 */
int64_t hl_calendar_add_workdays(const struct hl_calendar *c, int64_t days,
				 int n);
/*
 * The seconds of [t0, t1] that fall on working days (whole days of 24
 * hours), into *secs (OUT).  Returns 0, or -1 when a day on the way is not
 * covered.
 */
int hl_calendar_work_secs(const struct hl_calendar *c, hl_time t0, hl_time t1,
			  int64_t *secs);
/*
 * The deadline n working days after t: 23:59:59 of the n-th working day
 * after t's day (with inclusive set, t's day is the first when it is a
 * working day).  Returns 0 with *deadline (OUT), or -1 when the calendar
 * does not reach.
 */
int hl_calendar_deadline(const struct hl_calendar *c, hl_time t, int n,
			 int inclusive, hl_time *deadline);

/*
 * Regions: a city's districts as data (regions/README.md), read from an
 * INI file or built in (regions/guangzhou.ini, the default; beijing;
 * new-york).  A spelling is matched after normalising full-width ASCII,
 * spaces, the case of Latin letters, the city's name before it and (when
 * nothing else matches) the suffix 区, 县 or 市.
 */
struct hl_region;

/*
 * spec is a built-in region's name, or a file (a path with '/' or ending
 * in ".ini"); NULL is the default, guangzhou.  *out (OUT) is set on
 * success; caller frees with hl_region_free().  Returns 0, or -1 with err
 * ("PATH:LINE: message", or why spec names nothing).
 */
int hl_region_load(const char *spec, struct hl_region **out,
		   struct hl_buf *err);
void hl_region_free(struct hl_region *r);
/* The city's name; where the region was read.  Borrowed. */
const char *hl_region_city(const struct hl_region *r);
const char *hl_region_source(const struct hl_region *r);
/* The districts: names and codes (NULL when none given).  Borrowed. */
size_t hl_region_count(const struct hl_region *r);
const char *hl_region_district(const struct hl_region *r, size_t i);
const char *hl_region_code(const struct hl_region *r, size_t i);
/*
 * Which district s[0..n) spells: its index, -1 for a name the region does
 * not know, or -2 for a blank one.  key (OUT) is what spellings of one
 * district share (so unknown names that differ only as normalising
 * allows meet), display (OUT) the name to show: the district's, or the
 * normalised spelling without the city's name.
 */
long hl_region_match(const struct hl_region *r, const char *s, size_t n,
		     struct hl_buf *key, struct hl_buf *display);

#endif
