#!/usr/bin/env python3
"""hotline on PostgreSQL: a real postgresql-15 started for the test
(pg_server.py), against the SQLite store as the reference.

    check_pg.py HOTLINE WORK_DIR

same        a dirty generated year (rejects, flags) ingested into SQLite
            and into PostgreSQL: the same tickets (every stored value,
            names for ids), the same rejects with the same raw bytes, and
            byte for byte the same figures (the city's year, each of three
            districts, a month, satisfaction by dispatch, --late) and
            report tables; the same rows of hotline export (a year, its
            late tickets as JSON, a district's month in Chinese); the
            readable views (v_tickets, v_rejects,
            v_imports) with the same columns and, row for row, the same
            values.
migrating   a version 6 database (its rollups by month) is refused by
            metrics and migrated to 9 by ingest: rollups by day equal to
            SQLite's of the same files, the same figures, also by
            dispatch and by closure, the views' rows as SQLite's.
fields      an export with the fields of schema 8 into both: the same
            answers, topics and quotes; each database's caller hashes
            are HMACs under its own key; a copy keeps the key and the
            hashes, so a number ingested after it meets its earlier
            hashes.
again       the same file again is skipped by its SHA-256; with --force it
            reads as unchanged; a second seed's year on top gives the
            same figures as SQLite given the same.
fresh       one file into an empty database (a load that asks the server
            about the tickets it wrote itself only: pg_put.c) whose
            tickets come again further on, unchanged and changed, and
            quote tickets far before them and after them: the same
            tickets, quotes, counts and figures as SQLite's.
nightly     the nightly files in order (one day twice) give the yearly
            file's tickets; the loads analyze the table only when a tenth
            of it changed; a file of known names reads them in one
            query.
together    two ingests at once: the second waits for the first and then
            either runs or fails naming the file; a reader during an
            ingest is not blocked and sees the database as it was.
kills       ingests killed with SIGKILL at random moments leave the
            tickets, runs and rollups as they were; a rerun finishes.
gone        the server stopped mid-load: a clear error, exit 1; started
            again, nothing of the file is there.
password    a wrong password: a clear error that does not show it.
moving      `hotline copy` of the SQLite file into an empty PostgreSQL
            database (its statistics taken) and back: the same tickets, rejects, runs and
            rollups, the figures compared by the command; ingests after
            the move go on with new ids alike.

Exit status 0 when everything holds, 1 otherwise.
"""
import csv
import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pg_server  # noqa: E402

FAILS = []

TICKETS = """SELECT t.ticket_id, accepted_at, dispatched_at, signed_at,
       deadline_at, closed_at, d.value AS d, s.value AS s, u.value AS u,
       c.value AS c, category, is_key, satisfaction, status, reopen_count,
       quality, t.content, k.value AS k, o.value AS o, t.extra,
       t.updated_at, t.assess, tp.value AS tp, t.quoted,
       (SELECT q.ticket_id FROM ticket q WHERE q.id = t.quoted_id) AS qt,
       CASE WHEN t.caller IS NULL THEN 0 ELSE 1 END AS has_caller
FROM ticket t LEFT JOIN dict d ON d.id = district
LEFT JOIN dict tp ON tp.id = t.topic
LEFT JOIN dict k ON k.id = key_raw LEFT JOIN dict o ON o.id = reopen_raw
LEFT JOIN dict s ON s.id = street LEFT JOIN dict u ON u.id = unit
LEFT JOIN dict c ON c.id = channel ORDER BY t.ticket_id"""
# The references the PostgreSQL schema leaves undeclared (pg/schema.sql).
DANGLING = "SELECT count(*) FROM ticket t WHERE " + " OR ".join(
    "(t.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s WHERE id = t.%s))"
    % (c, "ingest_run" if c.endswith("run") else "dict", c)
    for c in ("district", "street", "unit", "channel", "category_raw",
              "key_raw", "satisfaction_raw", "status_raw", "reopen_raw",
              "run", "extra_run", "topic"))
REJECTS = ("SELECT file, line, col, field, reason, raw, sheet FROM reject "
           "ORDER BY file, line, col")
# The readable views (store/schema.sql, pg/schema.sql): every column; the
# runs' times are the machine clock's, which two loads do not share.
VIEWS = {
    "v_tickets": "SELECT * FROM v_tickets ORDER BY ticket_id",
    "v_rejects": "SELECT * FROM v_rejects ORDER BY file, line, "
                 "column_number",
    "v_imports": "SELECT import_id, file, size, sha256, encoding, status, "
                 "rows_read, rows_inserted, rows_updated, rows_unchanged, "
                 "rows_rejected, rows_flagged FROM v_imports "
                 "ORDER BY import_id",
}
# What a version 6 database migrated knows of its tickets (no fields of
# schema 8 until its files are ingested again).
V6_TICKETS = ("SELECT ticket_id, accepted_at, district, street, unit, "
              "channel, category, category_raw, key_flag, status, "
              "satisfaction, dispatched_at, signed_at, deadline_at, "
              "closed_at, updated_at, reopen_count, quality, content, "
              "file, line FROM v_tickets ORDER BY ticket_id")


def check(ok, what):
    print("%s %s" % ("ok  " if ok else "FAIL", what))
    if not ok:
        FAILS.append(what)


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if "runtime error:" in p.stderr or "Sanitizer" in p.stderr:
        sys.exit("check_pg: %s" % p.stderr[-2000:])
    return p


def sample(hotline, out, *opts):
    p = run([hotline, "sample", "-q", "--out", out, "--no-calibrate"] +
            list(opts))
    if p.returncode != 0:
        sys.exit("check_pg: sample failed: " + p.stderr)
    m = json.load(open(os.path.join(out, "manifest.json")))
    return [os.path.join(out, f["name"]) for f in m["files"]]


def sqlite_rows(db, sql):
    con = sqlite3.connect(db)
    rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)
            for r in con.execute(sql)]
    con.close()
    return rows


def pg_query(pg, uri, sql):
    """The rows of sql through psql, as JSON (so NULLs and types stay)."""
    p = run(["/usr/bin/psql", uri, "-XAtq", "-c",
             "SELECT coalesce(json_agg(row_to_json(q)), '[]') FROM (%s) q"
             % sql])
    if p.returncode != 0:
        sys.exit("check_pg: psql failed: " + p.stderr)
    return [tuple(r.values()) for r in json.loads(p.stdout)]


def sqlite_query(db, sql):
    """The same through SQLite, as JSON-comparable tuples."""
    out = []
    for r in sqlite_rows(db, sql):
        out.append(tuple("\\x" + v.hex() if isinstance(v, bytes) else v
                         for v in r))
    return out


def figures(hotline, db, *scope):
    p = run([hotline, "metrics", "--db", db, "--format", "json"] +
            list(scope))
    return p.returncode, p.stdout


def same(hotline, work, pg):
    files = sample(hotline, os.path.join(work, "dirty"), "--scale", "0.002",
                   "--years", "2022", "--dirt", "0.02")
    lite = os.path.join(work, "same.db")
    uri = pg.createdb("same")
    a = run([hotline, "ingest", "-q", "--db", lite] + files)
    b = run([hotline, "ingest", "-q", "--db", uri] + files)
    check(a.returncode == b.returncode == 1 and a.stderr == b.stderr,
          "dirty data: exit %d and %d, the same messages (%d lines)"
          % (a.returncode, b.returncode, a.stderr.count("\n")))
    t1, t2 = sqlite_query(lite, TICKETS), pg_query(pg, uri, TICKETS)
    check(len(t1) > 1000 and t1 == t2,
          "the same %d tickets, every stored value" % len(t1))
    # The server runs with synchronous_commit = off: the load's own
    # COMMIT must still be flushed, or its VACUUM cannot mark the pages
    # all-visible and the figures' covering index reads the table.
    vis = pg_query(pg, uri, "SELECT relpages, relallvisible FROM pg_class "
                   "WHERE relname = 'ticket'")
    check(vis[0][0] > 0 and vis[0][0] == vis[0][1],
          "after the load, all %d pages of ticket all-visible (%d are)"
          % (vis[0][0], vis[0][1]))
    dangling = pg_query(pg, uri, DANGLING)
    check(dangling == [(0,)], "every id a ticket holds names a dict entry "
          "or a run: %s dangling" % dangling[0][0])
    r1, r2 = sqlite_query(lite, REJECTS), pg_query(pg, uri, REJECTS)
    check(len(r1) > 10 and r1 == r2,
          "the same %d rejects, raw bytes and all" % len(r1))
    for view, q in VIEWS.items():
        c1 = [r[0] for r in sqlite_query(
            lite, "SELECT name FROM pragma_table_info('%s')" % view)]
        c2 = [r[0] for r in pg_query(
            pg, uri, "SELECT column_name::text FROM "
            "information_schema.columns WHERE table_name = '%s' "
            "ORDER BY ordinal_position" % view)]
        v1, v2 = sqlite_query(lite, q), pg_query(pg, uri, q)
        check(len(c1) > 5 and c1 == c2 and v1 and v1 == v2,
              "%s: the same %d columns, the same %d rows"
              % (view, len(c1), len(v1)))
    n = sqlite_query(lite, "SELECT count(*) FROM ticket")
    check(len(sqlite_query(lite, VIEWS["v_tickets"])) == n[0][0],
          "v_tickets: one row per ticket")
    for scope in (["--year", "2022"], ["--year", "2022", "--district",
                                       "荔湾区"],
                  ["--year", "2022", "--district", "天河区"],
                  ["--year", "2022", "--district", "从化区"],
                  ["--month", "2022-06"], ["--year", "2022", "--late"],
                  ["--year", "2022", "--format", "csv", "--lang", "en"]):
        f1, f2 = figures(hotline, lite, *scope), figures(hotline, uri, *scope)
        check(f1[0] == 0 and f1 == f2 and len(f1[1]) > 100,
              "metrics %s: the same %d bytes" % (" ".join(scope),
                                                 len(f1[1])))
    # hotline export: the same rows, byte for byte, and the same count.
    for scope in (["--year", "2022"],
                  ["--year", "2022", "--late", "--format", "json"],
                  ["--month", "2022-06", "--district", "天河区", "--lang",
                   "zh"]):
        e1, e2 = [run([hotline, "export", "--db", db] + scope)
                  for db in (lite, uri)]
        check(e1.returncode == 0 and len(e1.stdout) > 100 and
              (e1.stdout, e1.stderr) == (e2.stdout, e2.stderr),
              "export %s: the same %d bytes, %s" % (
                  " ".join(scope), len(e1.stdout),
                  e1.stderr.strip().replace("hotline: export: ", "")))
    for name, db in (("lite", lite), ("pg", uri)):
        p = run([hotline, "report", "--db", db, "--district", "荔湾区",
                 "--year", "2022", "--out", os.path.join(work, "r-" + name)])
        check(p.returncode == 0, "report on %s: exit %d %s"
              % (name, p.returncode, p.stderr[-200:]))
    tables = sorted(f for f in os.listdir(os.path.join(work, "r-lite"))
                    if f.endswith(".csv"))
    check(tables and all(
        open(os.path.join(work, "r-lite", f), "rb").read() ==
        open(os.path.join(work, "r-pg", f), "rb").read() for f in tables),
        "the report's %d tables are the same" % len(tables))
    return files, lite, uri


# What version 6 had instead of the rollups by day (pg/migrate-7.sql):
# the same rows summed by month.
TO_V6 = """
DROP VIEW v_tickets, v_rejects, v_imports;
ALTER TABLE ticket DROP COLUMN assess, DROP COLUMN topic, DROP COLUMN caller,
  DROP COLUMN quoted, DROP COLUMN quoted_id;
CREATE INDEX ticket_district_accepted ON ticket (
  district NULLS FIRST, accepted_at, dispatched_at NULLS FIRST,
  signed_at NULLS FIRST, deadline_at NULLS FIRST, closed_at NULLS FIRST, id)
  INCLUDE (street, unit, channel, category, is_key, satisfaction,
           reopen_count, quality);
CREATE TABLE sat_month (
  month integer NOT NULL, district bigint NOT NULL, is_key integer NOT NULL,
  satisfaction integer NOT NULL, n bigint NOT NULL,
  PRIMARY KEY (month, district, is_key, satisfaction));
INSERT INTO sat_month SELECT day / 100, district, is_key, satisfaction,
  sum(n) FROM sat_day GROUP BY 1, 2, 3, 4;
CREATE TABLE hand_month (
  month integer NOT NULL, district bigint NOT NULL, category integer NOT NULL,
  start integer NOT NULL CHECK (start IN (0, 1)), n bigint NOT NULL,
  secs bigint NOT NULL, PRIMARY KEY (month, district, category, start));
INSERT INTO hand_month SELECT day / 100, district, category, start, sum(n),
  sum(secs) FROM hand_day GROUP BY 1, 2, 3, 4;
DROP TABLE sat_day;
DROP TABLE hand_day;
UPDATE hotline_meta SET value = '6' WHERE key = 'schema_version';
"""


def migrating(hotline, work, pg, files, lite):
    uri = pg.createdb("v6")
    run([hotline, "ingest", "-q", "--db", uri] + files)
    pg.psql("v6", TO_V6)
    p = run([hotline, "metrics", "--db", uri, "--year", "2022"])
    check(p.returncode == 1 and "has schema version 6; open it for "
          "writing" in p.stderr, "metrics refuses a version 6 database: "
          "exit %d, %r" % (p.returncode, p.stderr.strip()[-120:]))
    p = run([hotline, "ingest", "-q", "--db", uri] + files[:1])
    version = pg_query(pg, uri, "SELECT value FROM hotline_meta WHERE "
                       "key = 'schema_version'")
    months = pg_query(pg, uri, "SELECT count(*) FROM pg_tables WHERE "
                      "tablename IN ('sat_month', 'hand_month')")
    check(p.returncode == 0 and version == [("10",)] and months == [(0,)],
          "ingest migrates it to version 10: exit %d, %r, %r month tables"
          % (p.returncode, version, months[0][0]))
    for q in ("SELECT * FROM sat_day ORDER BY 1, 2, 3, 4",
              "SELECT * FROM hand_day ORDER BY 1, 2, 3, 4"):
        a, b = sqlite_query(lite, q), pg_query(pg, uri, q)
        check(len(a) > 1000 and a == b, "migrated: %s... the same %d rows "
              "as SQLite's" % (q[:26], len(a)))
    a, b = sqlite_query(lite, V6_TICKETS), pg_query(pg, uri, V6_TICKETS)
    check(len(a) > 1000 and a == b, "migrated: v_tickets, the same %d rows "
          "as SQLite's" % len(a))
    # The migrated tickets have no topics, callers or quotes until their
    # files are ingested again (--force): the seed's figures are compared.
    for basis in ("accepted", "dispatched", "closed"):
        ini = os.path.join(work, basis + ".ini")
        with open(ini, "w") as f:
            f.write("[period]\nbasis = %s\n[topics]\nenabled = no\n"
                    "[repeats]\nenabled = no\n" % basis)
        scope = ["--year", "2022", "--profile", ini]
        f1, f2 = figures(hotline, lite, *scope), figures(hotline, uri, *scope)
        check(f1[0] == 0 and f1 == f2 and len(f1[1]) > 100,
              "migrated: metrics by %s: the same %d bytes"
              % (basis, len(f1[1])))


def again(hotline, work, pg, files, lite, uri):
    p = run([hotline, "ingest", "--db", uri] + files[:1])
    check(p.returncode == 0 and "already ingested by run" in p.stderr,
          "the same file again is skipped by its SHA-256")
    p = run([hotline, "ingest", "--db", uri, "--force"] + files[:1])
    check("0 inserted, 0 updated" in p.stderr,
          "--force: read as unchanged: %s" % p.stderr.strip()[-90:])
    more = sample(hotline, os.path.join(work, "seed2"), "--scale", "0.002",
                  "--years", "2022", "--seed", "7", "--plant", "analyses")
    for db in (lite, uri):
        run([hotline, "ingest", "-q", "--db", db] + more)
    f1 = figures(hotline, lite, "--year", "2022")
    f2 = figures(hotline, uri, "--year", "2022")
    check(f1 == f2, "a second seed on top: the same figures")
    # The analyses of docs/analyses.md, on the planted seed: assessment,
    # a street league, topics and surges, repeat calls.
    ini = os.path.join(work, "beijing.ini")
    with open(ini, "w") as f:
        f.write("[assessment]\nscheme = beijing\n[period]\n"
                "month_start_day = 19\n")
    for scope in (["--month", "2022-10", "--district", "荔湾区"],
                  ["--period", "2022-Q3"]):
        args = scope + ["--profile", ini, "--league", "score:street"]
        f1, f2 = figures(hotline, lite, *args), figures(hotline, uri, *args)
        check(f1[0] == 0 and f1 == f2 and '"surges"' in f1[1] and
              '"chains"' in f1[1] and '"score"' in f1[1],
              "the analyses of %s: the same %d bytes" % (scope[1],
                                                           len(f1[1])))
    check(sqlite_query(lite, TICKETS) == pg_query(pg, uri, TICKETS),
          "a second seed on top: the same tickets")


def moving(hotline, work, pg, lite):
    """hotline copy: the SQLite file into an empty PostgreSQL database and
    back into a new file: the same tickets, rejects and rollups; new
    ids go on after the copied ones."""
    uri = pg.createdb("moved")
    p = run([hotline, "copy", "--from", lite, "--to", uri])
    check(p.returncode == 0 and "are the same in both" in p.stderr,
          "copy SQLite -> PostgreSQL: exit %d, %r"
          % (p.returncode, p.stderr.strip()[-120:]))
    stats = pg_query(pg, uri, "SELECT analyze_count, reltuples::bigint FROM "
                     "pg_stat_user_tables JOIN pg_class c ON c.oid = relid "
                     "WHERE c.relname = 'ticket'")
    n = sqlite_query(lite, "SELECT count(*) FROM ticket")[0][0]
    check(stats and stats[0][0] >= 1 and stats[0][1] == n,
          "the copy analyzed the ticket table: %r, %d tickets" % (stats, n))
    back = os.path.join(work, "back.db")
    p = run([hotline, "copy", "--from", uri, "--to", back])
    check(p.returncode == 0, "copy PostgreSQL -> SQLite: exit %d %s"
          % (p.returncode, p.stderr.strip()[-120:]))
    for q in (TICKETS, REJECTS, "SELECT * FROM sat_day ORDER BY 1, 2, 3, 4",
              "SELECT * FROM hand_day ORDER BY 1, 2, 3, 4",
              "SELECT id, file, sha256, rows_read FROM ingest_run "
              "ORDER BY id", VIEWS["v_tickets"]):
        a, b, c = (sqlite_query(lite, q), pg_query(pg, uri, q),
                   sqlite_query(back, q))
        check(a and a == b == c, "moved there and back: %s... the same "
              "%d rows" % (q[:40].replace("\n", " "), len(a)))
    p = run([hotline, "copy", "--from", lite, "--to", uri])
    check(p.returncode == 1 and "holds tickets already" in p.stderr,
          "a copy into a database with tickets is refused")
    more = sample(hotline, os.path.join(work, "seed3"), "--scale", "0.001",
                  "--years", "2022", "--seed", "11")
    for db in (back, uri):
        run([hotline, "ingest", "-q", "--db", db] + more)
    check(sqlite_query(back, TICKETS) == pg_query(pg, uri, TICKETS),
          "an ingest after the move: the same tickets as on the file")


FIELDS_HEAD = ["工单编号", "受理时间", "所属区", "所属街道", "是否有效回访",
               "是否联系", "是否解决", "是否纳入考核", "是否不合理诉求",
               "问题分类", "来电号码", "诉求内容"]


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([FIELDS_HEAD] + rows)


def callers(pg, db):
    """ticket ID -> caller hash (bytes or None), and the database's key."""
    if db.startswith("postgresql://"):
        rows = pg_query(pg, db, "SELECT ticket_id, encode(caller, 'hex') "
                        "FROM ticket ORDER BY 1")
        key = pg_query(pg, db, "SELECT value FROM hotline_meta WHERE key = "
                       "'caller_key'")
        return ({t: bytes.fromhex(c) if c else None for t, c in rows},
                bytes.fromhex(key[0][0]) if key else None)
    rows = sqlite_rows(db, "SELECT ticket_id, caller FROM ticket")
    key = sqlite_rows(db, "SELECT value FROM setting WHERE key = "
                      "'caller_key'")
    return dict(rows), key[0][0] if key else None


def fields(hotline, work, pg):
    path = os.path.join(work, "fields.csv")
    write_csv(path, [
        ["F1", "2022/3/1 9:00", "荔湾区", "沙面街", "是", "已联系", "部分解决",
         "是", "否", "城乡建设-物业管理", "138 0013 8000", "物业费"],
        ["F2", "2022/3/2 9:00", "荔湾区", "沙面街", "否", "", "已解决", "是",
         "是", "城乡建设-物业管理", "+8613800138000",
         "【最近派发的工单编号：F1，工单内容：再次反映】"],
        ["F3", "2022/3/3 9:00", "越秀区", "", "待定", "", "", "无", "", "",
         "020-8123 4567", "最近派发的工单编号:F3"],
        ["F4", "2022/13/3 9:00", "越秀区", "", "", "", "", "", "", "",
         "13912345678", "坏日期"]])
    lite = os.path.join(work, "fields.db")
    uri = pg.createdb("fields")
    a = run([hotline, "ingest", "-q", "--db", lite, path])
    b = run([hotline, "ingest", "-q", "--db", uri, path])
    check(a.returncode == b.returncode == 1 and a.stderr == b.stderr,
          "fields: exit %d and %d, the same messages" % (a.returncode,
                                                         b.returncode))
    t1, t2 = sqlite_query(lite, TICKETS), pg_query(pg, uri, TICKETS)
    check(len(t1) == 3 and t1 == t2 and t1[0][21:] ==
          (101, "城乡建设-物业管理", None, None, 1) and
          t1[1][23:25] == ("F1", "F1"),
          "fields: the same answers, topics and quotes (F2's of F1 with "
          "its id): %r" % (t1[:2],))
    v1 = sqlite_query(lite, VIEWS["v_tickets"])
    v2 = pg_query(pg, uri, VIEWS["v_tickets"])
    check(len(v1) == 3 and v1 == v2 and v1[0][18] == "是" and
          v1[0][8] == "城乡建设-物业管理" and v1[1][22] == "F1",
          "fields: v_tickets the same, answers, topic and quote in words: "
          "%r" % (v1[:1],))
    r1, r2 = sqlite_query(lite, REJECTS), pg_query(pg, uri, REJECTS)
    check(r1 == r2 and len(r1) == 1 and b"13912345678" not in
          bytes.fromhex(r1[0][5][2:]), "fields: the same masked reject")
    for name, db in (("SQLite", lite), ("PostgreSQL", uri)):
        c, key = callers(pg, db)
        mac = hmac.new(key or b"", b"13800138000",
                       hashlib.sha256).digest()[:16]
        check(key is not None and len(key) == 32 and c["F1"] == c["F2"] ==
              mac and len(c["F3"]) == 16,
              "fields: %s's caller hashes are HMACs under its key" % name)
    moved = pg.createdb("fields_moved")
    p = run([hotline, "copy", "--from", lite, "--to", moved])
    check(p.returncode == 0 and callers(pg, moved) == callers(pg, lite),
          "fields: a copy keeps the key and the hashes: exit %d"
          % p.returncode)
    path2 = os.path.join(work, "fields2.csv")
    write_csv(path2, [["F9", "2022/3/9 9:00", "荔湾区", "", "", "", "", "",
                       "", "", "138-0013-8000", ""]])
    run([hotline, "ingest", "-q", "--db", moved, path2])
    c, _ = callers(pg, moved)
    check(c.get("F9") == c["F1"],
          "fields: a number ingested after the copy meets its hash")
    # the store's reads of them (store.h), as the unit test runs them on
    # SQLite: tests/unit/check_store.c's case "pg"
    unit = os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(hotline))), "tests", "check_store")
    env = dict(os.environ, CK_RUN_SUITE="store", CK_RUN_CASE="pg",
               HL_TEST_PG_URI=pg.createdb("links"))
    p = run([unit], env=env)
    check(p.returncode == 0, "fields: topics counted and links read on "
          "PostgreSQL as on SQLite: %s" % (p.stdout + p.stderr)[-300:])


def fresh(hotline, work, pg):
    src = sample(hotline, os.path.join(work, "fresh"), "--scale", "0.04",
                 "--years", "2022", "--plant", "analyses")[0]
    with open(src, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    tid, content = head.index("工单编号"), head.index("诉求内容")
    n = len(body)
    # early tickets quoting ones near the end (found at the commit), the
    # last ones quoting the first (mostly no longer among the recent)
    for k in range(900, 950):
        body[k][content] = "最近派发的工单编号：%s，再次反映" % body[n - 1 - k][tid]
    for k in range(300):
        body[n - 1 - k][content] = "最近派发的工单编号：%s" % body[k][tid]
    again = [list(r) for r in body[:300]]  # unchanged: their line noted
    changed = [list(r) for r in body[300:800]]  # a repeated ID: rejected
    for r in changed:
        r[content] += "（补充）"
    path = os.path.join(work, "fresh.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([head] + body[:n - 300] + again + changed +
                                body[n - 300:])
    lite = os.path.join(work, "fresh.db")
    uri = pg.createdb("fresh")
    a = run([hotline, "ingest", "--db", lite, path])
    b = run([hotline, "ingest", "--db", uri, path])
    check(a.returncode == b.returncode == 1 and a.stderr == b.stderr and
          " 300 unchanged, 500 rejected" in b.stderr,
          "fresh: %d rows, 300 again and 500 changed among them: the same "
          "messages, %s" % (n, b.stderr.strip().splitlines()[-1]))
    # the load asked the server only about the IDs it had written: the
    # ticket IDs' index was searched for the 800 repeated ones, not for
    # each row, as a load into a database with tickets does
    scans = pg_query(pg, uri, "SELECT idx_scan FROM pg_stat_user_indexes "
                     "WHERE indexrelname = 'ticket_ticket_id_key'")
    check(scans and scans[0][0] < n / 10, "fresh: the ticket IDs' index "
          "searched %s times for %d rows" % (scans, n))
    t1, t2 = sqlite_query(lite, TICKETS), pg_query(pg, uri, TICKETS)
    far = set(r[tid] for r in body[:300])
    quotes = [r[24] for r in t1 if r[24] is not None]
    check(len(t1) == n and t1 == t2 and len(quotes) > 1000 and
          sum(1 for q in quotes if q in far) >= 300,
          "fresh: the same %d tickets, %d quoting a stored one, 300 of "
          "them the first tickets" % (len(t1), len(quotes)))
    check(pg_query(pg, uri, DANGLING) == [(0,)],
          "fresh: every id a ticket holds names a dict entry or a run")
    lines = "SELECT ticket_id, line FROM ticket ORDER BY ticket_id"
    check(sqlite_query(lite, lines) == pg_query(pg, uri, lines),
          "fresh: the unchanged tickets' last lines, as SQLite's")
    ids = pg_query(pg, uri, "SELECT count(*), min(id), max(id), "
                   "(SELECT last_value FROM ticket_id_seq) FROM ticket")
    check(ids == [(n, 1, n, n)], "fresh: ids 1 to %d, the sequence at "
          "the last: %r" % (n, ids))
    f1, f2 = (figures(hotline, db, "--year", "2022") for db in (lite, uri))
    check(f1[0] == 0 and f1 == f2, "fresh: the same figures, %d bytes"
          % len(f1[1]))
    # A server that times statements out (many a managed one does, for
    # an application's role): the COPY cannot stay open across batches.
    # (The schema is made first, without it.)
    timed = pg.createdb("fresh_timed")
    run([hotline, "ingest", "-q", "--db", timed, "/dev/null"])
    c = run([hotline, "ingest", "--db", timed, path],
            env=dict(os.environ, PGOPTIONS="-c statement_timeout=300"))
    check(c.returncode == 1 and c.stderr == b.stderr and
          pg_query(pg, timed, TICKETS) == t1,
          "fresh: under a 300 ms statement timeout, the same load: %s"
          % c.stderr.strip().splitlines()[-1])


def nightly(hotline, work, pg):
    y = sample(hotline, os.path.join(work, "yearly"), "--scale", "0.001",
               "--years", "2022")
    n = sample(hotline, os.path.join(work, "nightly"), "--scale", "0.001",
               "--years", "2022", "--nightly")
    uy, un = pg.createdb("yearly"), pg.createdb("nightly")
    run([hotline, "ingest", "-q", "--db", uy] + y)
    p = run([hotline, "ingest", "-q", "--db", un, "--force"] + n[:30] +
            n[29:])
    want, got = pg_query(pg, uy, TICKETS), pg_query(pg, un, TICKETS)
    check(p.returncode == 0 and len(want) > 100 and want == got,
          "%d nightly files, a day twice: the yearly file's %d tickets"
          % (len(n), len(want)))
    # the rollups too (districts by name: the two number them apart),
    # with no row left at 0
    for t in ("sat_day", "hand_day"):
        q = ("SELECT r.*, d.value AS dv FROM %s r JOIN dict d ON d.id = "
             "r.district" % t)
        r1, r2 = (sorted(r[:1] + r[2:] for r in pg_query(pg, db, q))
                  for db in (uy, un))
        check(r1 and r1 == r2 and all(r[3] != 0 for r in r2),
              "%d nightly files: %s as the yearly file's, %d rows, none 0"
              % (len(n), t, len(r1)))
    # Each load vacuums; it analyzes only when the rows changed since
    # the last ANALYZE are a tenth of the table (plus 50), as autovacuum
    # would: not after every small file.
    stats = pg_query(pg, un, "SELECT analyze_count, n_mod_since_analyze, "
                     "relpages, relallvisible FROM pg_stat_user_tables "
                     "JOIN pg_class c ON c.oid = relid WHERE c.relname = "
                     "'ticket'")
    count, mods, pages, visible = stats[0]
    check(1 <= count < len(n) / 4,
          "%d nightly files: the ticket table analyzed %d times (%d rows "
          "changed since); %d of %d pages all-visible"
          % (len(n), count, mods, visible, pages))
    # A file whose names are all stored asks for them in one query, not
    # one lookup of the names' index each.
    scans = ("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname "
             "= 'dict_kind_value_key'")
    before = pg_query(pg, un, scans)[0][0]
    p = run([hotline, "ingest", "-q", "--db", un, "--force", n[-1]])
    time.sleep(1)  # the server counts a session's scans when it ends
    after = pg_query(pg, un, scans)[0][0]
    check(p.returncode == 0 and after == before and
          pg_query(pg, un, TICKETS) == want,
          "a file of known names: the names' index searched %d times, "
          "the tickets as they were" % (after - before))


STATE = ("SELECT (SELECT count(*) FROM ticket) AS a, (SELECT count(*) FROM "
         "ingest_run) AS b, (SELECT coalesce(sum(n), 0) FROM sat_day) AS "
         "c, (SELECT coalesce(sum(secs), 0) FROM hand_day) AS d, (SELECT "
         "count(*) FROM reject) AS e, (SELECT coalesce(sum(quality), 0) "
         "FROM ticket) AS f, (SELECT count(*) FROM ingest_run WHERE status "
         "<> 'done') AS g")


def together(hotline, work, pg, files):
    uri = pg.createdb("together")
    run([hotline, "ingest", "-q", "--db", uri] + files[:1])
    before = pg_query(pg, uri, STATE)
    big = sample(hotline, os.path.join(work, "big"), "--scale", "0.02",
                 "--years", "2022")
    first = subprocess.Popen([hotline, "ingest", "-q", "--db", uri] + big,
                             stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    reader = run([hotline, "metrics", "--db", uri, "--year", "2022",
                  "--format", "json"])
    during = pg_query(pg, uri, STATE)
    second = run([hotline, "ingest", "-q", "--db", uri] + big[:1] +
                 files[:1])
    first.wait()
    check(reader.returncode == 0 and during == before,
          "a reader during an ingest runs and sees the database as it was")
    check(first.returncode == 0 and (
        second.returncode == 0 or
        "another ingest is writing it" in second.stderr),
          "two ingests: the first ran; the second waited, then %s"
          % ("ran" if second.returncode == 0 else
             "failed: " + second.stderr.strip()[-100:]))


def kills(hotline, work, pg, rng):
    uri = pg.createdb("kills")
    files = sample(hotline, os.path.join(work, "kill"), "--scale", "0.01",
                   "--years", "2021-2022", "--dirt", "0.01")
    run([hotline, "ingest", "-q", "--db", uri] + files[:1])
    base = pg_query(pg, uri, STATE)
    # what a load that was not killed leaves: killed after its commit
    # (in the VACUUM that follows), a load is whole
    whole = pg.createdb("whole")
    run([hotline, "ingest", "-q", "--db", whole] + files[:1])
    run([hotline, "ingest", "-q", "--db", whole, "--force"] + files[1:])
    full = pg_query(pg, whole, STATE)
    killed = 0
    for _ in range(6):
        p = subprocess.Popen([hotline, "ingest", "-q", "--db", uri,
                              "--force"] + files[1:],
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.5))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait()
        after = pg_query(pg, uri, STATE)
        # tickets, rollups, flags and no run left running (the runs and
        # rejects grow with each whole --force load)
        if after != base and (after[0][6] != 0 or tuple(
                after[0][k] for k in (0, 2, 3, 5)) != tuple(
                full[0][k] for k in (0, 2, 3, 5))):
            check(False, "killed (exit %d): the state moved: %s -> %s, "
                  "not to a whole load's %s" % (p.returncode, base, after,
                                                full))
            return
        base = after
    p = run([hotline, "ingest", "-q", "--db", uri] + files[1:])
    check(killed > 0 and p.returncode in (0, 1),
          "%d ingests killed with SIGKILL left the state as it was; a "
          "rerun finished (exit %d)" % (killed, p.returncode))


def gone(hotline, work, pg):
    uri = pg.createdb("gone")
    big = sample(hotline, os.path.join(work, "big"), "--scale", "0.02",
                 "--years", "2022")
    p = subprocess.Popen([hotline, "ingest", "-q", "--db", uri] + big,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    pg.kill_server()
    err = p.communicate()[1]
    pg.start_again()
    n = pg_query(pg, uri, "SELECT count(*) FROM ticket")[0][0]
    check(p.returncode == 1 and "hotline: ingest:" in err and n == 0,
          "the server gone mid-load: exit %d, %r; %d tickets after"
          % (p.returncode, err.strip()[-140:], n))


def password(hotline, work, pg):
    pg.psql("postgres", "CREATE ROLE guard LOGIN PASSWORD 'right-one'")
    pg.require_password("guard")
    uri = "postgresql://guard:wr0ng-s3cret@/postgres?host=%s" % pg.dir
    p = run([hotline, "metrics", "--db", uri, "--year", "2022"])
    check(p.returncode == 1 and "password authentication failed" in
          p.stderr and "wr0ng-s3cret" not in p.stderr,
          "a wrong password: %r" % p.stderr.strip()[-160:])
    uri = ("postgresql:///postgres?host=%s&user=guard&password=wr0ng-s3cret"
           % pg.dir)
    p = run([hotline, "ingest", "--db", uri, "/dev/null"])
    check(p.returncode == 1 and "wr0ng-s3cret" not in p.stderr,
          "a wrong password= parameter is not shown either")


def main():
    hotline, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    rng = random.Random(12345)
    with pg_server.Server() as pg:
        files, lite, uri = same(hotline, work, pg)
        migrating(hotline, work, pg, files, lite)
        again(hotline, work, pg, files, lite, uri)
        moving(hotline, work, pg, lite)
        fields(hotline, work, pg)
        fresh(hotline, work, pg)
        nightly(hotline, work, pg)
        together(hotline, work, pg, files)
        kills(hotline, work, pg, rng)
        gone(hotline, work, pg)
        password(hotline, work, pg)
    if FAILS:
        print("%d checks failed" % len(FAILS))
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
