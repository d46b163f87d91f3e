/*
 * timeparse.c - the strict parser for the time cells of hotline exports.
 *
 * Every time cell of an import goes through here, so the scanning is done
 * by hand over a length-bounded byte range: no sscanf, no strptime, no
 * locale, no allocation.  A cell is first matched against one shape into
 * plain fields, then the fields are checked against the calendar, so a
 * value out of range is reported as such and never wrapped.
 */
#include <string.h>

#include "util/util.h"

#define NOT_DT "not a date-time"
#define TRAILING "trailing characters"

/* The fields of one cell; ampm is 0 (24-hour clock), 1 (AM) or 2 (PM). */
struct fields {
	int y, mo, d;
	int h, mi, s;
	int ampm;
	int up; /* a fraction of a second of .5 or more: one second more */
};

/* Number of ASCII digits starting at p. */
static int
run(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q >= '0' && *q <= '9')
		q++;
	return (int)(q - p);
}

/* Value of the n (at most 9) digits at p. */
static int
num(const char *p, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*p++ - '0');
	return v;
}

/* Consumes the bytes of w at *pp when they are there; returns 1 if so. */
static int
lit(const char **pp, const char *end, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(end - *pp) < n || memcmp(*pp, w, n) != 0)
		return 0;
	*pp += n;
	return 1;
}

static const char *
skip_spaces(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* Consumes an AM/PM marker: returns 1 for AM, 2 for PM, 0 for none. */
static int
marker(const char **pp, const char *end)
{
	if (lit(pp, end, "AM") || lit(pp, end, "am") || lit(pp, end, "上午"))
		return 1;
	if (lit(pp, end, "PM") || lit(pp, end, "pm") || lit(pp, end, "下午"))
		return 2;
	return 0;
}

/*
 * Reads one or two digits into *v.  A longer run is not split: "2022-001"
 * is not a month.
 */
static int
field2(const char **pp, const char *end, int *v)
{
	int n = run(*pp, end);

	if (n < 1 || n > 2)
		return -1;
	*v = num(*pp, n);
	*pp += n;
	return 0;
}

/*
 * A time of day: H:MM[:SS[.fff]] or, when cjk is set, H时M分[S秒] with 点
 * for 时, optionally preceded or followed by an AM/PM marker.  Leaves *pp
 * after the last byte that belongs to the clock.
 */
static const char *
clock_of_day(const char **pp, const char *end, struct fields *f, int cjk)
{
	const char *p = *pp, *q;
	int ampm;

	ampm = marker(&p, end);
	if (ampm != 0)
		p = skip_spaces(p, end);
	if (field2(&p, end, &f->h) != 0)
		return NOT_DT;
	if (p < end && *p == ':') {
		p++;
		if (field2(&p, end, &f->mi) != 0)
			return NOT_DT;
		if (p < end && *p == ':') {
			p++;
			if (field2(&p, end, &f->s) != 0)
				return NOT_DT;
			/* Fractional seconds round to the nearest second,
			 * half up (as Excel's fractions of a day do). */
			if (p < end && *p == '.') {
				p++;
				if (run(p, end) == 0)
					return NOT_DT;
				f->up = *p >= '5';
				p += run(p, end);
			}
		}
	} else if (cjk && (lit(&p, end, "时") || lit(&p, end, "点"))) {
		if (field2(&p, end, &f->mi) != 0 || !lit(&p, end, "分"))
			return NOT_DT;
		if (run(p, end) > 0 &&
		    (field2(&p, end, &f->s) != 0 || !lit(&p, end, "秒")))
			return NOT_DT;
	} else {
		return NOT_DT;
	}
	if (ampm == 0) {
		q = skip_spaces(p, end);
		ampm = marker(&q, end);
		if (ampm != 0)
			p = q;
	}
	f->ampm = ampm;
	*pp = p;
	return NULL;
}

/*
 * What may follow a date: nothing, or a separator and a clock that ends
 * the cell.  The separator is one or more spaces, or 'T' when allow_t is
 * set; after a Chinese date the spaces are optional.
 */
static const char *
time_tail(const char *p, const char *end, struct fields *f, int allow_t,
	  int cjk, int *timed)
{
	const char *err, *q;

	*timed = 0;
	if (p == end)
		return NULL;
	if (allow_t && *p == 'T')
		p++;
	else if (*p == ' ' || cjk)
		p = skip_spaces(p, end);
	else
		return TRAILING;
	if (p == end)
		return NOT_DT;
	q = p;
	if (!((*p >= '0' && *p <= '9') || marker(&q, end) != 0))
		return TRAILING;
	if ((err = clock_of_day(&p, end, f, cjk)) != NULL)
		return err;
	if (p != end)
		return TRAILING;
	*timed = 1;
	return NULL;
}

/* The year, month, day and clock of f are all in range. */
static const char *
check_fields(const struct fields *f)
{
	if (f->y < 1900 || f->y > 2199)
		return "year out of range";
	if (f->mo < 1 || f->mo > 12)
		return "month out of range";
	if (f->d < 1 || f->d > hl_days_in_month(f->y, f->mo))
		return "day out of range";
	if (f->ampm != 0 ? f->h < 1 || f->h > 12 : f->h > 23)
		return "hour out of range";
	if (f->mi > 59)
		return "minute out of range";
	if (f->s > 59)
		return "second out of range";
	return NULL;
}

static hl_time
fields_time(const struct fields *f)
{
	int h = f->h;

	if (f->ampm != 0)
		h = h % 12 + (f->ampm == 2 ? 12 : 0);
	return hl_time_make(f->y, f->mo, f->d, h, f->mi, f->s) + f->up;
}

/*
 * An Excel serial: days since 1899-12-30 with an optional fraction of a
 * day, the whole of [p, end).  The integer part has at most 5 digits.
 */
static const char *
excel_serial(const char *p, const char *end, hl_time *t, int *timed)
{
	const char *fp = end;
	int n = run(p, end), nf = 0, i, carry = 0, first = 0, y, m, d;
	int64_t days, secs, whole;

	if (n == 0)
		return NOT_DT;
	if (p + n < end) {
		if (p[n] != '.')
			return TRAILING;
		fp = p + n + 1;
		nf = run(fp, end);
		if (nf == 0)
			return NOT_DT;
		if (fp + nf != end)
			return TRAILING;
	}
	if (n > 5 || num(p, n) < 1)
		return "serial out of range";
	/*
	 * The fraction times 86400, by long multiplication from the last
	 * digit, is exact for any number of digits: carry ends as the whole
	 * seconds and first as the first decimal of the remainder, which
	 * decides the rounding (half up).
	 */
	for (i = nf - 1; i >= 0; i--) {
		int v = (fp[i] - '0') * 86400 + carry;

		first = v % 10;
		carry = v / 10;
	}
	secs = carry + (first >= 5);
	whole = num(p, n) + secs / 86400;
	/*
	 * Excel counts 1900 as a leap year: serial 60 is 1900-02-29, a day
	 * that never was, and the serials before it count from 1899-12-31.
	 */
	if (whole == 60)
		return "serial 60 is 1900-02-29, which does not exist";
	days = hl_days_from_civil(1899, 12, whole < 60 ? 31 : 30) + whole;
	hl_civil_from_days(days, &y, &m, &d);
	if (y < 1900 || y > 2199)
		return "year out of range";
	*t = days * 86400 + secs % 86400;
	*timed = nf > 0;
	return NULL;
}

/* Drops leading and trailing ASCII spaces and tabs. */
static void
trim(const char **p, const char **end)
{
	while (*p < *end && (**p == ' ' || **p == '\t'))
		(*p)++;
	while (*end > *p && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
}

/* Everything but the serial: detects the shape from the first separator. */
static const char *
parse_fields(const char *p, const char *end, struct fields *f, int *timed)
{
	int n1 = run(p, end);
	const char *q = p + n1;

	*timed = 0;
	if (n1 == 0)
		return NOT_DT;
	if (q == end) {
		if (n1 != 8 && n1 != 12 && n1 != 14)
			return NOT_DT;
		f->y = num(p, 4);
		f->mo = num(p + 4, 2);
		f->d = num(p + 6, 2);
		if (n1 >= 12) {
			f->h = num(p + 8, 2);
			f->mi = num(p + 10, 2);
			*timed = 1;
		}
		if (n1 == 14)
			f->s = num(p + 12, 2);
		return NULL;
	}
	if (*q == '-') {
		if (n1 != 4)
			return NOT_DT;
		f->y = num(p, 4);
		q++;
		if (field2(&q, end, &f->mo) != 0 || !lit(&q, end, "-") ||
		    field2(&q, end, &f->d) != 0)
			return NOT_DT;
		return time_tail(q, end, f, 1, 0, timed);
	}
	if (*q == '/') {
		q++;
		if (n1 == 4) {
			f->y = num(p, 4);
			if (field2(&q, end, &f->mo) != 0 ||
			    !lit(&q, end, "/") || field2(&q, end, &f->d) != 0)
				return NOT_DT;
		} else if (n1 <= 2) {
			f->mo = num(p, n1);
			if (field2(&q, end, &f->d) != 0 || !lit(&q, end, "/") ||
			    run(q, end) != 4)
				return NOT_DT;
			f->y = num(q, 4);
			q += 4;
		} else {
			return NOT_DT;
		}
		return time_tail(q, end, f, 0, 0, timed);
	}
	if (lit(&q, end, "年")) {
		if (n1 != 4)
			return NOT_DT;
		f->y = num(p, 4);
		if (field2(&q, end, &f->mo) != 0 || !lit(&q, end, "月") ||
		    field2(&q, end, &f->d) != 0 || !lit(&q, end, "日"))
			return NOT_DT;
		return time_tail(q, end, f, 0, 1, timed);
	}
	return n1 == 8 || n1 == 12 || n1 == 14 ? TRAILING : NOT_DT;
}

int
hl_time_parse(const char *s, size_t len, hl_time *out, int *date_only,
	      const char **errstr)
{
	const char *p = s, *end = s + len, *err;
	struct fields f = {0, 0, 0, 0, 0, 0, 0, 0};
	hl_time t;
	int n, timed;

	trim(&p, &end);
	if (p == end) {
		*errstr = "empty";
		return -1;
	}
	/*
	 * A bare number is a serial unless it has the length of a compact
	 * date; parse_fields() takes those.
	 */
	n = run(p, end);
	if (n > 0 &&
	    (p + n == end ? n != 8 && n != 12 && n != 14 : p[n] == '.')) {
		err = excel_serial(p, end, &t, &timed);
	} else {
		err = parse_fields(p, end, &f, &timed);
		if (err == NULL)
			err = check_fields(&f);
		if (err == NULL)
			t = fields_time(&f);
	}
	if (err != NULL) {
		*errstr = err;
		return -1;
	}
	*out = t;
	if (date_only != NULL)
		*date_only = !timed;
	*errstr = NULL;
	return 0;
}

int
hl_time_parse_fmt(const char *s, size_t len, const char *fmt, hl_time *out,
		  const char **errstr)
{
	const char *p = s, *end = s + len, *err = NULL, *fp;
	struct fields f = {0, 0, 0, 0, 0, 0, 0, 0};
	hl_time t;
	int timed, v;

	if (hl_time_fmt_check(fmt, errstr) != 0)
		return -1;
	trim(&p, &end);
	if (p == end) {
		*errstr = "empty";
		return -1;
	}
	if (strcmp(fmt, "excel") == 0) {
		err = excel_serial(p, end, &t, &timed);
		goto done;
	}
	for (fp = fmt; *fp != '\0' && err == NULL; fp++) {
		if (*fp == ' ') {
			if (p == end || *p != ' ')
				err = NOT_DT;
			p = skip_spaces(p, end);
			continue;
		}
		if (*fp != '%' || fp[1] == '%') {
			fp += *fp == '%';
			if (p == end || *p != *fp)
				err = NOT_DT;
			else
				p++;
			continue;
		}
		fp++;
		if (*fp == 'Y') {
			if (end - p < 4 || run(p, p + 4) != 4) {
				err = NOT_DT;
			} else {
				f.y = num(p, 4);
				p += 4;
			}
		} else if (*fp == 'p') {
			if ((f.ampm = marker(&p, end)) == 0)
				err = NOT_DT;
		} else {
			/* Up to 2 digits, so "%Y%m%d" reads 20220103. */
			int n = run(p, end) < 2 ? run(p, end) : 2;

			if (n == 0) {
				err = NOT_DT;
				break;
			}
			v = num(p, n);
			p += n;
			switch (*fp) {
			case 'm':
				f.mo = v;
				break;
			case 'd':
				f.d = v;
				break;
			case 'M':
				f.mi = v;
				break;
			case 'S':
				f.s = v;
				break;
			default: /* H and I, told apart by f.ampm */
				f.h = v;
				break;
			}
		}
	}
	if (err == NULL && p != end)
		err = TRAILING;
	if (err == NULL)
		err = check_fields(&f);
	if (err == NULL)
		t = fields_time(&f);
done:
	if (err != NULL) {
		*errstr = err;
		return -1;
	}
	*out = t;
	*errstr = NULL;
	return 0;
}

#define UC(c) "unknown conversion '%" #c "'"
static const char *const unknown_lower[26] = {
    UC(a), UC(b), UC(c), UC(d), UC(e), UC(f), UC(g), UC(h), UC(i),
    UC(j), UC(k), UC(l), UC(m), UC(n), UC(o), UC(p), UC(q), UC(r),
    UC(s), UC(t), UC(u), UC(v), UC(w), UC(x), UC(y), UC(z)};
static const char *const unknown_upper[26] = {
    UC(A), UC(B), UC(C), UC(D), UC(E), UC(F), UC(G), UC(H), UC(I),
    UC(J), UC(K), UC(L), UC(M), UC(N), UC(O), UC(P), UC(Q), UC(R),
    UC(S), UC(T), UC(U), UC(V), UC(W), UC(X), UC(Y), UC(Z)};
#undef UC

/* The conversions hl_time_parse_fmt() knows, in the order of dup_err[]. */
static const char conversions[] = "YmdHIMSp";
static const char *const dup_err[] = {
    "duplicate conversion '%Y'", "duplicate conversion '%m'",
    "duplicate conversion '%d'", "duplicate conversion '%H'",
    "duplicate conversion '%I'", "duplicate conversion '%M'",
    "duplicate conversion '%S'", "duplicate conversion '%p'"};

/* Bits of the seen set, one per character of conversions[]. */
#define C_Y 0x01u
#define C_M 0x02u
#define C_D 0x04u
#define C_H24 0x08u
#define C_H12 0x10u
#define C_MIN 0x20u
#define C_SEC 0x40u
#define C_AMPM 0x80u

/* The first rule the set of conversions in a format breaks, or NULL. */
static const char *
check_seen(unsigned seen)
{
	if (!(seen & C_Y))
		return "missing %Y";
	if (!(seen & C_M))
		return "missing %m";
	if (!(seen & C_D))
		return "missing %d";
	if ((seen & C_H24) && (seen & C_H12))
		return "both %H and %I";
	if ((seen & C_H12) && !(seen & C_AMPM))
		return "%I without %p";
	if ((seen & C_AMPM) && !(seen & C_H12))
		return "%p without %I";
	if ((seen & C_MIN) && !(seen & (C_H24 | C_H12)))
		return "%M without an hour";
	if ((seen & C_SEC) && !(seen & C_MIN))
		return "%S without %M";
	return NULL;
}

int
hl_time_fmt_check(const char *fmt, const char **errstr)
{
	const char *p, *c, *err = NULL;
	unsigned seen = 0, bit;

	if (fmt == NULL || *fmt == '\0') {
		*errstr = "empty format";
		return -1;
	}
	if (strcmp(fmt, "excel") == 0) {
		*errstr = NULL;
		return 0;
	}
	for (p = fmt; *p != '\0' && err == NULL; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '\0') {
			err = "trailing '%'";
			break;
		}
		if (*p == '%')
			continue;
		c = strchr(conversions, *p);
		if (c == NULL) {
			if (*p >= 'a' && *p <= 'z')
				err = unknown_lower[*p - 'a'];
			else if (*p >= 'A' && *p <= 'Z')
				err = unknown_upper[*p - 'A'];
			else
				err = "unknown conversion";
			break;
		}
		bit = 1u << (c - conversions);
		if (seen & bit)
			err = dup_err[c - conversions];
		seen |= bit;
	}
	if (err == NULL)
		err = check_seen(seen);
	*errstr = err;
	return err != NULL ? -1 : 0;
}
