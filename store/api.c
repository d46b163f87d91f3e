/*
 * api.c - the store's API (store.h) over its drivers (driver.h): a
 * handle is opened with the driver its target names, and every call goes
 * to it: a postgresql:// or postgres:// URI opens a PostgreSQL database
 * (pg.c), anything else an SQLite file (sqlite.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

const char *
hl_store_strerror(int err)
{
	switch (err) {
	case HL_STORE_OK:
		return "success";
	case HL_STORE_EOPEN:
		return "cannot open database";
	case HL_STORE_ESCHEMA:
		return "database schema is not one this hotline knows";
	case HL_STORE_EBUSY:
		return "database is being written by another process";
	case HL_STORE_ESQL:
		return "SQL statement failed";
	default:
		return "unknown error";
	}
}

/*
 * 1 when target is a server's connection URI (postgresql://, postgres://)
 * rather than a file's path.
 */
static int
is_uri(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 ||
	       strncmp(target, "postgres://", 11) == 0;
}

int
hl_store_open(const char *path, unsigned flags, int busy_ms,
	      struct hl_store **out)
{
	struct hl_store *st = hl_xcalloc(1, sizeof(*st));

	*out = st;
	hl_buf_init(&st->err.msg);
	st->drv = is_uri(path) ? &hl_pg_driver : &hl_sqlite_driver;
	/* the PostgreSQL driver names the target without its password */
	st->path = hl_xstrdup(is_uri(path) ? "postgresql://" : path);
	return st->drv->open(st, path, flags, busy_ms);
}

void
hl_store_free(struct hl_store *st)
{
	if (st == NULL)
		return;
	st->drv->close(st);
	hl_buf_release(&st->err.msg);
	free(st->path);
	free(st);
}

const char *
hl_store_errmsg(const struct hl_store *st)
{
	return hl_err_text(&st->err, hl_store_strerror);
}

int
hl_store_errcode(const struct hl_store *st)
{
	return st->err.code;
}

/* ---- the rest: the driver's ---- */

int
hl_store_begin_write(struct hl_store *st, unsigned flags)
{
	return st->drv->begin_write(st, flags);
}

int
hl_store_in_journal(const struct hl_store *st)
{
	return st->drv->in_journal(st);
}

int
hl_store_commit(struct hl_store *st)
{
	return st->drv->commit(st);
}

void
hl_store_rollback(struct hl_store *st)
{
	st->drv->rollback(st);
}

int
hl_store_exec(struct hl_store *st, const char *sql)
{
	return st->drv->exec(st, sql);
}

int
hl_store_readonly_file(const struct hl_store *st)
{
	return st->drv->readonly_file(st);
}

long
hl_store_check(struct hl_store *st, hl_store_problem_fn *fn, void *arg)
{
	return st->drv->check(st, fn, arg);
}

int
hl_store_scan(struct hl_store *st, const int64_t *ids, size_t n, int64_t lo,
	      int64_t hi, int closed_only, hl_store_ticket_fn *fn, void *arg)
{
	return st->drv->read->scan(st, ids, n, lo, hi, closed_only, fn, arg);
}

int
hl_store_names(struct hl_store *st, enum hl_dict kind, hl_store_name_fn *fn,
	       void *arg)
{
	return st->drv->read->names(st, kind, fn, arg);
}

int
hl_store_lookup(struct hl_store *st, enum hl_store_lookup what,
		const int64_t *ids, size_t n, char **out)
{
	return st->drv->read->lookup(st, what, ids, n, out);
}

int
hl_store_sat_counts(struct hl_store *st, enum hl_store_basis basis, int64_t lo,
		    int64_t hi, hl_store_sat_fn *fn, void *arg)
{
	return st->drv->read->sat_counts(st, basis, lo, hi, fn, arg);
}

int
hl_store_hand_sums(struct hl_store *st, int64_t from, int64_t to,
		   int from_dispatch, hl_store_hand_fn *fn, void *arg)
{
	return st->drv->read->hand_sums(st, from, to, from_dispatch, fn, arg);
}

int
hl_store_no_tickets(struct hl_store *st)
{
	return st->drv->read->no_tickets(st);
}

int
hl_store_topic_counts(struct hl_store *st, const int64_t *ids, size_t n,
		      int64_t lo, int64_t hi, hl_store_topic_fn *fn, void *arg,
		      int64_t links_from, hl_store_link_fn *lfn, void *larg)
{
	if (links_from < lo)
		links_from = lo;
	if (lfn == NULL || links_from >= hi)
		lfn = NULL, links_from = INT64_MAX;
	return st->drv->read->topic_counts(st, ids, n, lo, hi, fn, arg,
					   links_from, lfn, larg);
}

int
hl_store_links(struct hl_store *st, const int64_t *ids, size_t n, int64_t lo,
	       int64_t hi, hl_store_link_fn *fn, void *arg)
{
	return st->drv->read->links(st, ids, n, lo, hi, fn, arg);
}

int
hl_store_ticket_times(struct hl_store *st, const int64_t *ids, size_t n,
		      int64_t *accepted)
{
	return n == 0 ? 0 : st->drv->read->ticket_times(st, ids, n, accepted);
}

int
hl_store_caller_key(struct hl_store *st, unsigned char key[HL_STORE_KEY_LEN])
{
	struct hl_buf v = HL_BUF_INIT;
	int found, rc;

	if (st->drv->write->setting_get(st, "caller_key", &v, &found) != 0) {
		hl_buf_release(&v);
		return -1;
	}
	if (found && v.len == HL_STORE_KEY_LEN) {
		memcpy(key, v.data, HL_STORE_KEY_LEN);
		hl_buf_release(&v);
		return 0;
	}
	hl_buf_release(&v);
	/* A key of another length is not one hotline made: hashes made with
	 * a new one would not meet the old ones, so none is made. */
	if (found)
		return hl_err_set(&st->err, HL_STORE_ESCHEMA,
				  "'%s': its caller_key setting is not %d "
				  "bytes: damaged",
				  st->path, HL_STORE_KEY_LEN);
	if (hl_random_bytes(key, HL_STORE_KEY_LEN) != 0)
		return hl_err_set(&st->err, HL_STORE_ESQL,
				  "cannot make a key for '%s': %s", st->path,
				  strerror(errno));
	rc = st->drv->write->setting_put(st, "caller_key", key,
					 HL_STORE_KEY_LEN);
	return rc;
}

int
hl_store_run_add(struct hl_store *st, const char *file, long long size,
		 const char *encoding, int64_t started, int64_t *run)
{
	return st->drv->write->run_add(st, file, size, encoding, started, run);
}

int
hl_store_run_end(struct hl_store *st, int64_t run,
		 const struct hl_store_run_end *e)
{
	return st->drv->write->run_end(st, run, e);
}

int
hl_store_run_size_seen(struct hl_store *st, long long size)
{
	return st->drv->write->run_size_seen(st, size);
}

int64_t
hl_store_run_with_sha(struct hl_store *st, const char *sha256)
{
	return st->drv->write->run_with_sha(st, sha256);
}

int
hl_store_dict_id(struct hl_store *st, enum hl_dict kind, const char *v,
		 size_t n, int64_t *id)
{
	return st->drv->write->dict_id(st, kind, v, n, id);
}

int
hl_store_reject_add(struct hl_store *st, const struct hl_store_reject *r)
{
	return st->drv->write->reject_add(st, r);
}

int
hl_store_sat_add(struct hl_store *st, int64_t day, int64_t district, int is_key,
		 int sat, long long n)
{
	return st->drv->write->sat_add(st, day, district, is_key, sat, n);
}

int
hl_store_hand_add(struct hl_store *st, int64_t day, int64_t district,
		  int category, int start, long long n, long long secs)
{
	return st->drv->write->hand_add(st, day, district, category, start, n,
					secs);
}

int
hl_store_rollups_tidy(struct hl_store *st)
{
	return st->drv->write->rollups_tidy(st);
}

int
hl_store_put(struct hl_store *st, struct hl_store_put *v, size_t n,
	     hl_store_decide_fn *decide, void *arg)
{
	return st->drv->write->put(st, v, n, decide, arg);
}

int
hl_store_foreign_keys(struct hl_store *st, int on, int *was)
{
	return st->drv->write->foreign_keys(st, on, was);
}
