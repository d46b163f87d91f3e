/*
 * store.h - the SQLite database that holds tickets, ingest runs and
 * rejects (schema in store/schema.sql).
 *
 * Opening applies the schema to a new database and migrates an older one
 * step by step, each step in its own transaction; a database this hotline
 * does not know (another program's, or a newer schema) is refused with a
 * message saying why, never misread.  Write handles use WAL, so readers are
 * never blocked by a writer.
 */
#ifndef HL_STORE_H
#define HL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "util/util.h"

enum hl_store_err {
	HL_STORE_OK,
	HL_STORE_EOPEN,   /* cannot open or create the file */
	HL_STORE_ESCHEMA, /* not a hotline database, or a newer schema */
	HL_STORE_EBUSY,   /* another writer holds the database */
	HL_STORE_ESQL     /* an SQL statement failed */
};

/* The schema version this hotline writes (PRAGMA user_version). */
#define HL_STORE_SCHEMA_VERSION 10
/* PRAGMA application_id of hotline databases: 'HLN1'. */
#define HL_STORE_APP_ID 0x484c4e31

/* Flags of hl_store_open. */
#define HL_STORE_READONLY 0u /* open an existing database for reading */
#define HL_STORE_WRITE 1u    /* create if missing, migrate, use WAL */
#define HL_STORE_VERIFY                                                        \
	2u /* refuse a file SQLite's quick_check finds                         \
	    * damaged, before writing anything to it */

struct hl_store;

/*
 * Opens the database at path.  *out (OUT) is always set to a handle, even on
 * failure, so that hl_store_errmsg() can say what went wrong; caller frees
 * with hl_store_free().  Returns 0, or -1 with hl_store_errcode() one of
 * enum hl_store_err.  busy_ms is how long a statement waits for another
 * connection's lock before failing (0: the default, 5000).
 */
int hl_store_open(const char *path, unsigned flags, int busy_ms,
		  struct hl_store **out);
/* Closes the database.  NULL is a no-op. */
void hl_store_free(struct hl_store *st);

/* Flags of hl_store_begin_write. */
#define HL_STORE_JOURNAL 1u /* a bulk load: a rollback journal, not WAL */

/*
 * Starts the write transaction of an ingest (BEGIN IMMEDIATE): waits up to
 * busy_ms for another writer, then fails with HL_STORE_EBUSY and a message
 * naming the database.  hl_store_commit() ends it; hl_store_rollback()
 * undoes it (and is harmless when no transaction is open).
 *
 * With HL_STORE_JOURNAL the database leaves WAL for a rollback journal
 * when no other connection is open (pages appended by the load are then
 * written once, not twice; readers wait for the commit).  An interrupted
 * load leaves the database as it was; the journal mode returns to WAL
 * after it.
 */
int hl_store_begin_write(struct hl_store *st, unsigned flags);
/* 1 while a write begun with HL_STORE_JOURNAL really left WAL, else 0
 * (another connection was open, or no such flag). */
int hl_store_in_journal(const struct hl_store *st);
int hl_store_commit(struct hl_store *st);
void hl_store_rollback(struct hl_store *st);

/*
 * Runs SQL text (one or more statements, no results).  Returns 0, or -1
 * with HL_STORE_ESQL and the message.
 */
int hl_store_exec(struct hl_store *st, const char *sql);

/*
 * 1 when a reader was opened read-only because it may not write the file
 * or its directory (it then cannot roll back what an interrupted bulk
 * load left), else 0.
 */
int hl_store_readonly_file(const struct hl_store *st);

/* One problem hl_store_check() found: its kind and what it is. */
typedef void hl_store_problem_fn(void *arg, const char *kind,
				 const char *detail);

/*
 * Checks the database: SQLite's integrity_check (kind "integrity"), then
 * hotline's own (store/check.sql): every id a row refers to exists
 * ("reference"), and the rollups equal a recount of the tickets
 * ("sat_day", "hand_day").  Calls fn(arg, ...) once per problem.
 * Returns the number of problems, or -1 with the error on st.
 */
long hl_store_check(struct hl_store *st, hl_store_problem_fn *fn, void *arg);

/* ---- reading for the figures (read.c) ---- */

/* The times of a ticket view, by index. */
enum {
	HL_STORE_T_ACCEPTED,
	HL_STORE_T_DISPATCHED,
	HL_STORE_T_SIGNED,
	HL_STORE_T_DEADLINE,
	HL_STORE_T_CLOSED,
	HL_STORE_NT
};

/*
 * One ticket as the figures read it: the columns of the covering index.
 * A scan of closed tickets only (for handling time) fills the times but
 * signed and deadline, the category, quality and district, and leaves the
 * rest 0 (reopen -1).
 */
struct hl_store_ticket {
	int64_t id;
	int64_t t[HL_STORE_NT];                  /* hl_time seconds */
	unsigned has;                            /* bit i: t[i] is given */
	int64_t street, unit, channel, district; /* dict ids; 0 none */
	int category; /* 0 .. HL_CAT_COUNT - 1 (other when odd) */
	int is_key;   /* 1 重点, 0 普通, -1 not given */
	int sat;    /* 0 not evaluated, 1 满意, 2 基本满意, 3 不满意 */
	int reopen; /* a count, or -1 not known */
	int quality;   /* ticket.quality */
	int assess;    /* the answers (HL_ASSESS_GET()); 0 when none */
	int64_t topic; /* dict id; 0 none */
	/* valid during the callback; NULL when none: */
	const unsigned char *caller; /* HL_CALLER_HASH_LEN bytes */
	const char *quoted;          /* the ID the content quotes */
	int64_t quoted_id;           /* that ticket's id when stored, else 0 */
};

typedef void hl_store_ticket_fn(void *arg, const struct hl_store_ticket *t);

/*
 * Calls fn for every ticket accepted in [lo, hi) of the districts whose
 * dict ids are ids[0 .. n-1] (a district may be stored under several
 * spellings), or, with ids NULL, of the whole city: district by district
 * and then the tickets without one.  With closed_only, only closed tickets
 * and only what handling time needs.  Returns 0, or -1 with the error on
 * st.
 */
int hl_store_scan(struct hl_store *st, const int64_t *ids, size_t n, int64_t lo,
		  int64_t hi, int closed_only, hl_store_ticket_fn *fn,
		  void *arg);

typedef void hl_store_name_fn(void *arg, int64_t id, const char *value,
			      size_t len);
/* Calls fn for every dict entry of kind, in id order.  0, or -1. */
int hl_store_names(struct hl_store *st, enum hl_dict kind, hl_store_name_fn *fn,
		   void *arg);

/* What hl_store_lookup() looks up. */
enum hl_store_lookup {
	HL_LOOKUP_DICT,  /* the text of dict entries */
	HL_LOOKUP_TICKET /* the ticket_id of tickets */
};

/*
 * The texts of ids[0 .. n-1] in one call (a name, a ticket ID), into
 * out[i] (caller frees each; NULL where there is none, as for id 0).
 * 0, or -1 with the error (out[] then holds nothing to free).
 */
int hl_store_lookup(struct hl_store *st, enum hl_store_lookup what,
		    const int64_t *ids, size_t n, char **out);

/* Which time places a ticket on a day for hl_store_sat_counts(). */
enum hl_store_basis {
	HL_STORE_BY_ACCEPTED,
	HL_STORE_BY_DISPATCHED,
	HL_STORE_BY_CLOSED
};

typedef void hl_store_sat_fn(void *arg, int day /* yyyymmdd */,
			     int64_t district, int is_key, int sat,
			     long long n);
/*
 * Satisfaction answers of every district by day (yyyymmdd) of the ticket's
 * basis time, for the tickets whose basis time is in [lo, hi) (hl_time,
 * both at 00:00): from the rollup sat_day by acceptance, else counted from
 * the tickets (GROUP BY the day of dispatch or closure).  district 0: none
 * given; is_key 1 重点 else 0.  0, or -1.
 */
int hl_store_sat_counts(struct hl_store *st, enum hl_store_basis basis,
			int64_t lo, int64_t hi, hl_store_sat_fn *fn, void *arg);

typedef void hl_store_hand_fn(void *arg, int64_t district, int category,
			      long long n, long long secs);
/*
 * Handling-time sums of the closed tickets accepted on the days [from, to)
 * (yyyymmdd), by district and category, from the rollup hand_day, timed
 * from dispatch (acceptance when not dispatched) or from acceptance.
 * 0, or -1.
 */
int hl_store_hand_sums(struct hl_store *st, int64_t from, int64_t to,
		       int from_dispatch, hl_store_hand_fn *fn, void *arg);

/* 1 when the store holds no ticket, 0 when it holds one, -1 on error. */
int hl_store_no_tickets(struct hl_store *st);

typedef void hl_store_topic_fn(void *arg, int day /* yyyymmdd of acceptance */,
			       int64_t topic, int64_t street, long long n);
/* A link to follow: see hl_store_links() below. */
struct hl_store_link;
typedef void hl_store_link_fn(void *arg, const struct hl_store_link *l);
/*
 * Tickets with a topic accepted in [lo, hi), of districts ids[0..n-1]
 * (NULL: the city), counted by day, topic and street (0: none); a
 * (day, topic, street) may come more than once (SQLite: a row per
 * ticket), its counts to be summed.  When lfn is not NULL, also the
 * tickets accepted in [links_from, hi) (links_from >= lo) that
 * hl_store_links() would hand over, to lfn(larg, ...), in any order
 * among the counts: the days before the metrics' scan read once for
 * both.  Read through the metrics' covering index.
 * 0, or -1.
 */
int hl_store_topic_counts(struct hl_store *st, const int64_t *ids, size_t n,
			  int64_t lo, int64_t hi, hl_store_topic_fn *fn,
			  void *arg, int64_t links_from, hl_store_link_fn *lfn,
			  void *larg);

/* A ticket as the repeat calls follow it. */
struct hl_store_link {
	int64_t id;                  /* ticket.id */
	int64_t accepted;            /* hl_time */
	int64_t street, topic;       /* dict ids; 0 none */
	const unsigned char *caller; /* HL_CALLER_HASH_LEN bytes, or NULL */
	const char *quoted;          /* the ID its content quotes, or NULL */
	int64_t quoted_id;           /* that ticket's id when stored, else 0 */
};
/*
 * The tickets accepted in [lo, hi) of districts ids[0..n-1] (NULL: the
 * city) that have a caller hash or a quote: district by district (then
 * those without one), each's by acceptance.  Read through the metrics'
 * covering index, which holds both.  Pointers valid during the call.  0,
 * or -1.
 */
int hl_store_links(struct hl_store *st, const int64_t *ids, size_t n,
		   int64_t lo, int64_t hi, hl_store_link_fn *fn, void *arg);

/*
 * The acceptance times of the tickets ids[0 .. n-1] into accepted[i], 0
 * where none is stored.  0, or -1.
 */
int hl_store_ticket_times(struct hl_store *st, const int64_t *ids, size_t n,
			  int64_t *accepted);

/* ---- moving a database (move.c) ---- */

/*
 * Copies every name, run, ticket, reject and rollup row of src, and the
 * key of the caller hashes (so that hashes stay comparable), into dst,
 * which must hold no ticket, ids kept, in one write transaction of dst:
 * an SQLite file into PostgreSQL, or back.  *tickets (OUT): how many;
 * *first, *last (OUT): the years of the earliest and latest acceptance
 * (0 when none).  0, or -1 with the error on dst.
 */
int hl_store_copy(struct hl_store *src, struct hl_store *dst,
		  long long *tickets, int *first, int *last);

/* ---- writing for ingest (write.c), inside hl_store_begin_write() ---- */

/* Bytes of the key of the caller hashes. */
#define HL_STORE_KEY_LEN 32

/*
 * The database's key of the caller hashes into key (OUT): made of
 * HL_STORE_KEY_LEN random bytes the first time it is asked for and kept
 * in the database's settings (SQLite: setting; PostgreSQL: hotline_meta),
 * so that every later ingest, and a copy of the database, hashes a
 * number alike.  Inside hl_store_begin_write().  0, or -1.
 */
int hl_store_caller_key(struct hl_store *st,
			unsigned char key[HL_STORE_KEY_LEN]);

/*
 * A new ingest run for file (size < 0: unknown; encoding as detected so
 * far; started: hl_time), its id into *run (OUT).  0, or -1.
 */
int hl_store_run_add(struct hl_store *st, const char *file, long long size,
		     const char *encoding, int64_t started, int64_t *run);

/* What an ingest run did, for hl_store_run_end(). */
struct hl_store_run_end {
	int64_t finished; /* hl_time */
	unsigned long read, inserted, updated, unchanged, rejected, flagged;
	const char *encoding;
	char *headers;       /* JSON array; consumed */
	char *extra_headers; /* JSON array or NULL; consumed */
	const char *sha256;  /* hex */
};

/* Marks run done with what e says.  0, or -1. */
int hl_store_run_end(struct hl_store *st, int64_t run,
		     const struct hl_store_run_end *e);
/* 1 when a finished run read a file of size bytes, else 0. */
int hl_store_run_size_seen(struct hl_store *st, long long size);
/* The first finished run that read bytes of this SHA-256, or 0. */
int64_t hl_store_run_with_sha(struct hl_store *st, const char *sha256);

/*
 * The dict id of (kind, v[0 .. n-1]), added when new, into *id (OUT).
 * 0, or -1.
 */
int hl_store_dict_id(struct hl_store *st, enum hl_dict kind, const char *v,
		     size_t n, int64_t *id);

/* A record ingest could not read as a ticket, kept with its bytes. */
struct hl_store_reject {
	int64_t run;
	const char *file;
	unsigned long line, col; /* a workbook's: the sheet's row, column */
	const char *sheet;       /* the workbook's sheet, or NULL */
	const char *field;       /* the column's header, or NULL */
	const char *reason;
	const void *raw;
	size_t rawlen;
};

int hl_store_reject_add(struct hl_store *st, const struct hl_store_reject *r);

/*
 * Adds n to the satisfaction rollup row (day yyyymmdd, district dict id
 * or 0, is_key, satisfaction), and n tickets of secs handling seconds to
 * the handling rollup row (day, district, category, start); then
 * hl_store_rollups_tidy() drops the rows that came to 0.  0, or -1.
 */
int hl_store_sat_add(struct hl_store *st, int64_t day, int64_t district,
		     int is_key, int sat, long long n);
int hl_store_hand_add(struct hl_store *st, int64_t day, int64_t district,
		      int category, int start, long long n, long long secs);
int hl_store_rollups_tidy(struct hl_store *st);

/* A ticket as ingest writes it: the columns of schema.sql's ticket. */
struct hl_store_row {
	int64_t t[HL_STORE_NT]; /* accepted ... closed, hl_time */
	unsigned has;           /* bit i: t[i] is given */
	int64_t updated_at;     /* the export's update time, if has_updated */
	int has_updated;
	/* dict ids (0: the cell was empty) */
	int64_t district, street, unit, channel;
	int64_t category_raw, key_raw, sat_raw, status_raw, reopen_raw;
	int category; /* 0 .. HL_CAT_COUNT - 1 */
	int is_key;   /* 1 重点, 0 普通, -1 not given */
	int sat;    /* 0 not evaluated, 1 满意, 2 基本满意, 3 不满意 */
	int status; /* schema.sql's code, or -1 not known */
	int reopen; /* a count, or -1 not known */
	unsigned quality; /* schema.sql's bits */
	int64_t row_hash; /* of the record's cells */
	int64_t run;      /* the ingest run writing it */
	unsigned long line;
	const char *ticket_id;
	size_t ticket_id_len;
	const char *content; /* NULL: none */
	size_t content_len;
	const char *extra; /* JSON array of the unmapped cells; NULL: none */
	size_t extra_len;
	int assess;    /* the packed answers; -1: no column gives them */
	int64_t topic; /* dict id; 0 none */
	const unsigned char *caller; /* HL_CALLER_HASH_LEN bytes; NULL none */
	const char *quoted;          /* the quoted ticket ID; NULL none */
	size_t quoted_len;
};

/* A stored ticket as an upsert compares it with a new row. */
struct hl_store_stored {
	int64_t id, row_hash, run, line;
	int64_t accepted, district; /* district 0: none */
	int is_key;                 /* 1 重点, else 0 */
	int sat;
	int has_dispatched, has_closed, has_updated;
	int64_t dispatched, closed, updated;
	int category;
	int quality;
	int reopen; /* a count, or -1 not known */
};

/* What became of a row given to hl_store_put(). */
enum hl_store_outcome {
	HL_PUT_INSERTED,  /* a new ticket */
	HL_PUT_UPDATED,   /* it replaced the stored version (old) */
	HL_PUT_UNCHANGED, /* the stored version holds the same data: the row
			   * is noted as seen by its run and line */
	HL_PUT_KEPT       /* the stored version stays; nothing written */
};

/* A row to put, and what became of it. */
struct hl_store_put {
	struct hl_store_row row;       /* in; decide() may set quality bits */
	enum hl_store_outcome outcome; /* out */
	struct hl_store_stored old;    /* out: the stored version, unless
					* inserted */
	int why; /* out: what decide() said of a kept row (its own codes) */
};

/*
 * The policy for a row whose ticket is stored (p->old): returns
 * HL_PUT_UPDATED, HL_PUT_UNCHANGED or HL_PUT_KEPT (with p->why), and may
 * set bits of p->row.quality before the row is written.
 */
typedef enum hl_store_outcome hl_store_decide_fn(void *arg,
						 struct hl_store_put *p);

/*
 * Puts the rows v[0 .. n-1], in order, inside hl_store_begin_write():
 * a row whose ticket ID is new is inserted; for one already stored,
 * decide(arg, p) says what is done, and a later row of the batch sees
 * what an earlier one did.  The outcome of each is in v[i].  A driver may
 * carry the whole batch in one exchange with its server.  0, or -1 with
 * the error (the transaction is then to be rolled back).
 */
int hl_store_put(struct hl_store *st, struct hl_store_put *v, size_t n,
		 hl_store_decide_fn *decide, void *arg);
/*
 * Turns SQLite's foreign-key checks on or off for this connection (a
 * writer that makes every id it writes in the same transaction need not
 * pay for them), *was (OUT) the setting before.  0, or -1.
 */
int hl_store_foreign_keys(struct hl_store *st, int on, int *was);

/* The last error.  Borrowed; valid until the next call on st. */
const char *hl_store_errmsg(const struct hl_store *st);
int hl_store_errcode(const struct hl_store *st);
/* Static text for an hl_store_err; "unknown error" for anything else. */
const char *hl_store_strerror(int err);

#endif
