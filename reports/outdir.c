/*
 * outdir.c - a report's files written all or none: into a private
 * directory inside the one asked for, then renamed into place one by one
 * once every file of the report is complete.  A report that fails leaves
 * what was there before untouched and nothing of its own behind.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/reports.h"

/*
 * Creates path, or accepts it when it is there as a directory (with
 * real set: itself, not a symbolic link to one).  *made (OUT): created
 * here.
 */
static int
make_dir(const char *path, int real, int *made, struct hl_buf *err)
{
	struct stat st;

	*made = 0;
	if (mkdir(path, 0755) == 0) {
		*made = 1;
		return 0;
	}
	if (errno != EEXIST) {
		hl_buf_printf(err, "cannot create '%s': %s", path,
			      strerror(errno));
		return -1;
	}
	if ((real ? lstat(path, &st) : stat(path, &st)) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		hl_buf_printf(err,
			      "cannot write into '%s': it is not a directory%s",
			      path,
			      real ? " (a report never follows a symbolic "
				     "link there)"
				   : "");
		return -1;
	}
	return 0;
}

void
hl_outdir_init(struct hl_outdir *od)
{
	memset(od, 0, sizeof(*od));
}

int
hl_outdir_begin(struct hl_outdir *od, const char *out, struct hl_buf *err)
{
	struct hl_buf p = HL_BUF_INIT;

	od->out = hl_xstrdup(out);
	if (make_dir(out, 0, &od->made, err) != 0)
		return -1;
	hl_buf_printf(&p, "%s/.hotline-XXXXXX", out);
	if (mkdtemp(p.data) == NULL) {
		hl_buf_printf(err, "cannot create a directory in '%s': %s", out,
			      strerror(errno));
		hl_buf_release(&p);
		return -1;
	}
	od->dir = hl_buf_detach(&p, NULL);
	od->charts = hl_xmalloc(strlen(od->dir) + 8);
	sprintf(od->charts, "%s/charts", od->dir);
	if (mkdir(od->charts, 0755) != 0) {
		hl_buf_printf(err, "cannot create '%s': %s", od->charts,
			      strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Renames every file of from into to (to/NAME replaced, a symbolic link
 * there included: rename() never follows one), or removes them all when
 * to is NULL; then removes from.  Subdirectories are left to the caller.
 */
static int
move_all(const char *from, const char *to, struct hl_buf *err)
{
	struct hl_buf a = HL_BUF_INIT, b = HL_BUF_INIT;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int rc = 0;

	if ((d = opendir(from)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		hl_buf_reset(&a);
		hl_buf_printf(&a, "%s/%s", from, e->d_name);
		if (lstat(a.data, &st) != 0 || S_ISDIR(st.st_mode))
			continue;
		if (to == NULL) {
			unlink(a.data);
			continue;
		}
		hl_buf_reset(&b);
		hl_buf_printf(&b, "%s/%s", to, e->d_name);
		if (rename(a.data, b.data) != 0 && rc == 0) {
			hl_buf_printf(err, "cannot move '%s' into place: %s",
				      b.data, strerror(errno));
			rc = -1;
		}
	}
	closedir(d);
	hl_buf_release(&a);
	hl_buf_release(&b);
	return rc;
}

int
hl_outdir_commit(struct hl_outdir *od, struct hl_buf *err)
{
	struct hl_buf charts = HL_BUF_INIT;
	int made, rc = -1;

	hl_buf_printf(&charts, "%s/charts", od->out);
	if (make_dir(charts.data, 1, &made, err) == 0 &&
	    move_all(od->charts, charts.data, err) == 0 &&
	    move_all(od->dir, od->out, err) == 0)
		rc = 0;
	if (rc == 0)
		od->made = 0; /* it holds the report now */
	hl_buf_release(&charts);
	hl_outdir_release(od);
	return rc;
}

void
hl_outdir_release(struct hl_outdir *od)
{
	if (od->charts) {
		struct hl_buf ignore = HL_BUF_INIT;

		move_all(od->charts, NULL, &ignore);
		rmdir(od->charts);
		move_all(od->dir, NULL, &ignore);
		rmdir(od->dir);
		hl_buf_release(&ignore);
	} else if (od->dir) {
		rmdir(od->dir);
	}
	/* A directory made for a report that was not written goes too
	 * (rmdir removes it only when nothing is in it). */
	if (od->made && od->out)
		rmdir(od->out);
	free(od->out);
	free(od->dir);
	free(od->charts);
	hl_outdir_init(od);
}
