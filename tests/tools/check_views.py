#!/usr/bin/env python3
"""The readable views of an SQLite database (store/schema.sql,
docs/database.md), read as a DuckDB, Datasette or spreadsheet user would:
through Python's sqlite3 module, against the generator's own CSV.

    check_views.py HOTLINE WORK_DIR [generator options...]

Generates a clean data set with the options given and ingests it, then:
v_tickets has one row per ticket; every row holds what an independent
reading of its CSV record gives (ticket ID, names of district, street,
unit and channel, the category as exported and as its class, key flag,
satisfaction, every time as 'YYYY-MM-DD HH:MM:SS', content, file and
line); no view has a caller column; v_imports has one row per file with
its counts; v_rejects is empty.

Exit status 0 when everything holds, 1 otherwise.
"""
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verify_sample as vs  # noqa: E402  (its readers, not its checks)

ORIGIN = datetime.datetime(1, 1, 1)
SAT = ["满意", "基本满意", "不满意", "未评价"]  # verify_sample's order
ISO = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("check_views: " + msg)


def run(cmd, ok=(0,)):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in ok or "runtime error:" in p.stderr or \
            "Sanitizer" in p.stderr:
        print(p.stdout + p.stderr)
        raise SystemExit("check_views: %s exited %d" % (cmd[1:3],
                                                        p.returncode))
    return p


def main():
    hotline, work, opts = sys.argv[1], sys.argv[2], sys.argv[3:]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    d = os.path.join(work, "data")
    run([hotline, "sample", "-q", "--out", d] + opts)
    m = json.load(open(os.path.join(d, "manifest.json")))
    files = [os.path.join(d, f["name"]) for f in m["files"]]
    db = os.path.join(work, "v.db")
    run([hotline, "ingest", "-q", "--db", db] + files)

    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = {r["ticket_id"]: r for r in con.execute("SELECT * FROM v_tickets")}
    n = con.execute("SELECT count(*) FROM ticket").fetchone()[0]
    nv = con.execute("SELECT count(*) FROM v_tickets").fetchone()[0]
    if not (n == nv == len(rows)) or n < 100:
        fail("v_tickets: %d rows, %d IDs, for %d tickets" % (nv, len(rows),
                                                              n))
    cols = [r[0] for r in con.execute(
        "SELECT c.name FROM sqlite_schema AS m, pragma_table_info(m.name) "
        "AS c WHERE m.type = 'view'")]
    if any("caller" in c for c in cols) or "raw" in cols:
        fail("a view shows the caller hash or raw bytes: %s" % cols)

    opt = m["options"]
    var = vs.VARIANTS[opt["headers"]]
    parse = vs.make_time_parser(opt["dates"], var["empty"], [])
    names = vs.header_order(opt["headers"])
    canon = vs.HEADER_NAMES[opt["headers"]]
    idx = {k: names.index(canon[k]) for k in range(16)}

    def t(row, k):
        v = parse(row[idx[k]])
        if v is None:
            return None
        return (ORIGIN + datetime.timedelta(seconds=v - 86400)).strftime(
            "%Y-%m-%d %H:%M:%S")

    seen = 0
    for fe in m["files"]:
        path = os.path.join(d, fe["name"])
        for line, raw, row in vs.read_records(path,
                                              vs.CODECS[opt["encoding"]]):
            if line == 1:
                continue
            seen += 1
            v = rows.get(row[idx[0]])
            if v is None:
                fail("%s:%d: %s not in v_tickets" % (fe["name"], line,
                                                     row[idx[0]]))
                continue
            key = var["key"][row[idx[4]]]
            want = {
                "accepted_at": t(row, 1), "dispatched_at": t(row, 8),
                "signed_at": t(row, 9), "deadline_at": t(row, 10),
                "closed_at": t(row, 11), "district": row[idx[5]] or None,
                "street": row[idx[6]] or None, "unit": row[idx[7]] or None,
                "channel": row[idx[2]] or None,
                "category_raw": row[idx[3]] or None,
                "category": var["cat"][row[idx[3]]],
                "key_flag": None if key is None else ["普通", "重点"][key],
                "satisfaction": SAT[var["sat"][row[idx[13]]]],
                "content": row[idx[15]] or None,
                "file": path, "line": line}
            have = {k: v[k] for k in want}
            if have != want:
                fail("%s:%d: v_tickets says %r, the CSV %r" % (
                    fe["name"], line,
                    {k: have[k] for k in want if have[k] != want[k]},
                    {k: want[k] for k in want if have[k] != want[k]}))
                if len(FAILS) > 10:
                    break
    if seen != n:
        fail("%d records in the files, %d tickets" % (seen, n))
    bad = [r["ticket_id"] for r in rows.values() for k in (
        "accepted_at", "dispatched_at", "signed_at", "deadline_at",
        "closed_at") if r[k] is not None and not ISO.match(r[k])]
    if bad:
        fail("times not in ISO 8601 form: %s" % bad[:5])

    imports = con.execute("SELECT file, status, rows_read, rows_inserted, "
                          "rows_rejected FROM v_imports ORDER BY import_id"
                          ).fetchall()
    if [tuple(r) for r in imports] != [(f, "done", r, r, 0) for f, r in zip(
            files, [sum(1 for _ in vs.read_records(f, vs.CODECS[
                opt["encoding"]])) - 1 for f in files])]:
        fail("v_imports: %r" % [tuple(r) for r in imports])
    if con.execute("SELECT count(*) FROM v_rejects").fetchone()[0]:
        fail("v_rejects: rows for a clean set")
    con.close()
    if FAILS:
        print("check_views: %d checks failed" % len(FAILS))
        return 1
    print("check_views: %d tickets of %d files read as their CSV says"
          % (n, len(files)))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
