/*
 * diag.c - the sink for positional diagnostics.  Library code reports into
 * it; it formats "file:line:col: severity: message", counts by severity and
 * caps the output per kind of message so that a file with a million bad
 * rows prints a screenful, not a million lines.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

struct kind {
	const char *fmt; /* identifies the kind; static storage */
	unsigned long seen;
	char first[72]; /* its first message, cut short, for the note */
};

struct hl_diag {
	FILE *out;
	unsigned cap;
	unsigned long count[3];
	struct kind *kinds;
	size_t nkinds;
	void (*hook)(void *);
	void *hook_arg;
};

static const char *const sevname[] = {"note", "warning", "error"};

struct hl_diag *
hl_diag_new(FILE *out, unsigned cap)
{
	struct hl_diag *d = hl_xcalloc(1, sizeof(*d));

	d->out = out;
	d->cap = cap;
	return d;
}

void
hl_diag_free(struct hl_diag *d)
{
	if (d == NULL)
		return;
	free(d->kinds);
	free(d);
}

static struct kind *
kind_of(struct hl_diag *d, const char *fmt)
{
	size_t i;

	for (i = 0; i < d->nkinds; i++)
		if (d->kinds[i].fmt == fmt || strcmp(d->kinds[i].fmt, fmt) == 0)
			return &d->kinds[i];
	d->kinds = hl_xrealloc(d->kinds, (d->nkinds + 1) * sizeof(*d->kinds));
	d->kinds[d->nkinds].fmt = fmt;
	d->kinds[d->nkinds].seen = 0;
	d->kinds[d->nkinds].first[0] = '\0';
	return &d->kinds[d->nkinds++];
}

void
hl_diag_report(struct hl_diag *d, enum hl_sev sev, const char *file,
	       struct hl_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hl_diag_vreport(d, sev, file, pos, NULL, fmt, ap);
	va_end(ap);
}

void
hl_diag_set_hook(struct hl_diag *d, void (*fn)(void *), void *arg)
{
	d->hook = fn;
	d->hook_arg = arg;
}

void
hl_diag_report_kind(struct hl_diag *d, enum hl_sev sev, const char *file,
		    struct hl_pos pos, const char *kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hl_diag_vreport(d, sev, file, pos, kind, fmt, ap);
	va_end(ap);
}

/*
 * The first message of kind k, cut at a character's end to fit, with
 * "..." when cut: what the suppression note quotes.
 */
static void
keep_first(struct kind *k, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n, max = sizeof(k->first) - 4;
	va_list cp;

	va_copy(cp, ap);
	vsnprintf(buf, sizeof(buf), fmt, cp);
	va_end(cp);
	n = strlen(buf);
	if (n <= sizeof(k->first) - 1) {
		memcpy(k->first, buf, n + 1);
		return;
	}
	n = max;
	while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
		n--;
	memcpy(k->first, buf, n);
	memcpy(k->first + n, "...", 4);
}

void
hl_diag_vreport(struct hl_diag *d, enum hl_sev sev, const char *file,
		struct hl_pos pos, const char *kind, const char *fmt,
		va_list ap)
{
	struct kind *k;

	assert(strchr(fmt, '\n') == NULL);
	d->count[sev]++;
	k = kind_of(d, kind ? kind : fmt);
	if (k->seen == 0)
		keep_first(k, fmt, ap);
	if (d->cap && k->seen++ >= d->cap)
		return;
	if (d->hook)
		d->hook(d->hook_arg);
	if (pos.line && pos.sheet) {
		char c[8];

		fprintf(d->out, "%s:%s!%s%lu: %s: ", file, pos.sheet,
			hl_column_name(pos.col, c), pos.line, sevname[sev]);
	} else if (pos.line)
		fprintf(d->out, "%s:%lu:%lu: %s: ", file, pos.line, pos.col,
			sevname[sev]);
	else
		fprintf(d->out, "%s: %s: ", file, sevname[sev]);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
}

void
hl_diag_flush(struct hl_diag *d)
{
	size_t i;

	for (i = 0; i < d->nkinds; i++) {
		if (d->cap && d->kinds[i].seen > d->cap && d->hook)
			d->hook(d->hook_arg);
		if (d->cap && d->kinds[i].seen > d->cap)
			fprintf(d->out,
				"note: %lu more like \"%s\" suppressed\n",
				d->kinds[i].seen - d->cap, d->kinds[i].first);
		/* The next file has an allowance of its own. */
		d->kinds[i].seen = 0;
	}
}

unsigned long
hl_diag_count(const struct hl_diag *d, enum hl_sev sev)
{
	return d->count[sev];
}

const char *
hl_column_name(unsigned long col, char buf[8])
{
	char rev[8];
	size_t n = 0, i;

	if (col == 0 || col > 16384) {
		strcpy(buf, "?");
		return buf;
	}
	while (col > 0) {
		rev[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		buf[i] = rev[n - 1 - i];
	buf[n] = '\0';
	return buf;
}
