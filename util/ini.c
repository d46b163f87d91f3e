/*
 * ini.c - reading INI files (mapping files, metric profiles) with
 * libinih, with exact line numbers in every message.
 *
 * libinih is given a line reader of ours: fgets() that counts lines,
 * refuses a line that does not fit (libinih would silently treat its rest
 * as a line of its own), drops leading whitespace (so that libinih never
 * takes an indented line for a continuation of the previous value) and
 * ends the file at the first error (so that the first error is the one
 * reported).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <string.h>

#include "util/util.h"

struct load {
	struct hl_ini ini;
	FILE *fp;
	unsigned errline; /* the line of the first error */
	int read_errno;   /* errno of a read error, or 0 */
	hl_ini_entry_fn *fn;
	void *arg;
};

void
hl_ini_error(struct hl_ini *ini, const char *fmt, ...)
{
	struct load *ld = (struct load *)ini;
	va_list ap;

	if (ini->failed)
		return;
	ini->failed = 1;
	ld->errline = ini->line;
	hl_buf_reset(ini->err);
	hl_buf_printf(ini->err, "%s:%u: ", ini->path, ini->line);
	va_start(ap, fmt);
	hl_buf_vprintf(ini->err, fmt, ap);
	va_end(ap);
}

static char *
read_line(char *str, int num, void *stream)
{
	struct load *ld = stream;
	size_t n, skip;
	int c;

	if (ld->ini.failed)
		return NULL;
	if (fgets(str, num, ld->fp) == NULL) {
		if (ferror(ld->fp))
			ld->read_errno = errno ? errno : EIO;
		return NULL;
	}
	ld->ini.line++;
	n = strlen(str);
	if (n > 0 && str[n - 1] != '\n') {
		/* Full buffer: fine if the line ends right here. */
		if ((c = getc(ld->fp)) != EOF && c != '\n') {
			hl_ini_error(&ld->ini,
				     "line too long (more than %d bytes)",
				     num - 1);
			return NULL;
		}
	}
	skip = strspn(str, " \t");
	memmove(str, str + skip, n - skip + 1);
	return str;
}

static int
handle(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;

	if (ld->ini.failed)
		return 0;
	ld->fn(&ld->ini, ld->arg, section, name, value);
	return !ld->ini.failed;
}

/* Reads fp (named path in messages) as hl_ini_load() does. */
static int
load_stream(FILE *fp, const char *path, hl_ini_entry_fn *fn, void *arg,
	    struct hl_buf *err)
{
	struct load ld;
	int rc;

	memset(&ld, 0, sizeof(ld));
	ld.ini.path = path;
	ld.ini.err = err;
	ld.fn = fn;
	ld.arg = arg;
	ld.fp = fp;
	rc = ini_parse_stream(read_line, &ld, handle, &ld);
	/*
	 * libinih goes on after a line it cannot parse (no '=' or ':', no
	 * closing ']') and returns the number of the first such line, so a
	 * handler error on a later line may have been recorded meanwhile:
	 * the earlier of the two is the first error.
	 */
	if (rc > 0 && (!ld.ini.failed || (unsigned)rc < ld.errline)) {
		ld.ini.failed = 0;
		ld.ini.line = (unsigned)rc;
		hl_ini_error(&ld.ini, "malformed line (expected 'key = value' "
				      "or '[section]')");
		return -1;
	}
	if (ld.ini.failed)
		return -1;
	if (ld.read_errno != 0) {
		hl_buf_printf(err, "cannot read '%s': %s", path,
			      strerror(ld.read_errno));
		return -1;
	}
	if (rc < 0) {
		hl_buf_printf(err, "cannot read '%s': %s", path,
			      rc == -2 ? "out of memory" : "parse failed");
		return -1;
	}
	return 0;
}

int
hl_ini_load(const char *path, hl_ini_entry_fn *fn, void *arg,
	    struct hl_buf *err)
{
	FILE *fp;
	int rc;

	hl_buf_reset(err);
	if ((fp = fopen(path, "r")) == NULL) {
		hl_buf_printf(err, "cannot open '%s': %s", path,
			      strerror(errno));
		return -1;
	}
	rc = load_stream(fp, path, fn, arg, err);
	fclose(fp);
	return rc;
}

int
hl_ini_load_text(const char *name, const char *text, hl_ini_entry_fn *fn,
		 void *arg, struct hl_buf *err)
{
	FILE *fp;
	int rc;

	hl_buf_reset(err);
	/* fmemopen() of an empty buffer fails on some libcs: no entries. */
	if (*text == '\0')
		return 0;
	if ((fp = fmemopen((void *)text, strlen(text), "r")) == NULL) {
		hl_buf_printf(err, "cannot read '%s': %s", name,
			      strerror(errno));
		return -1;
	}
	rc = load_stream(fp, name, fn, arg, err);
	fclose(fp);
	return rc;
}

void
hl_buf_add_choices(struct hl_buf *b, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			hl_buf_adds(b, i + 1 < n ? ", " : " or ");
		hl_buf_adds(b, names[i]);
	}
}
