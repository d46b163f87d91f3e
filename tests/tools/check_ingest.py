#!/usr/bin/env python3
"""End-to-end check of `hotline ingest` against the sample generator.

    check_ingest.py HOTLINE WORK_DIR [generator options...]

1. Generates a dirty yearly data set with the options given and ingests
   every file.  The rejects must be exactly the manifest's faults expected
   to be rejected (file and line), the flagged tickets exactly those
   expected to be flagged, and every clean row must be stored with the
   values an independent reading of the CSV gives (times, category class,
   satisfaction, key flag, district, street, unit, content); foreign keys
   hold and the satisfaction rollup equals a count of the tickets.
2. Ingests the same files again: nothing inserted, nothing updated.
   (Before that, an export with the fields of docs/analyses.md: the
   answers packed as defined, the topic, the quoted ID, the caller as
   HMAC-SHA-256 under the database's key and nowhere readable: not in
   the database file or its WAL, the rejects' raw bytes, the extra
   cells, the messages or `hotline inspect`.)
3. Generates the clean yearly and nightly sets with the same options,
   ingests the yearly files into one database and the nightly files in
   order into another (then one day again, then every file a second time),
   and compares the ticket tables: they must be identical.

Exit status 0 when everything holds, 1 otherwise.
"""
import csv
import datetime
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verify_sample as vs  # noqa: E402  (its readers, not its checks)

EPOCH = datetime.date(1970, 1, 1).toordinal() * 86400
CATS = ["咨询", "求助", "投诉", "举报", "建议", "表扬", "其他"]
FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("check_ingest: " + msg)


def run(cmd, ok=(0,)):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in ok:
        print(p.stdout + p.stderr)
        raise SystemExit("check_ingest: %s exited %d" % (cmd[1:3], p.returncode))
    return p


def ingest(hotline, db, files, ok=(0, 1)):
    p = run([hotline, "ingest", "-q", "--db", db] + files, ok)
    # Under the sanitizers a finding exits 1, which dirty data does too.
    if "runtime error:" in p.stderr or "Sanitizer" in p.stderr:
        raise SystemExit("check_ingest: %s" % p.stderr[-2000:])
    return p


def tickets(db):
    """ticket_id -> every stored value, names instead of dict ids."""
    con = sqlite3.connect(db)
    q = """SELECT t.ticket_id, accepted_at, dispatched_at, signed_at,
                  deadline_at, closed_at, d.value, s.value, u.value, c.value,
                  category, is_key, satisfaction, status, reopen_count,
                  quality, t.content, k.value, o.value
           FROM ticket t LEFT JOIN dict d ON d.id = district
           LEFT JOIN dict k ON k.id = key_raw
           LEFT JOIN dict o ON o.id = reopen_raw
           LEFT JOIN dict s ON s.id = street LEFT JOIN dict u ON u.id = unit
           LEFT JOIN dict c ON c.id = channel"""
    out = {r[0]: r[1:] for r in con.execute(q)}
    con.close()
    return out


def check_dirty(hotline, work, opts):
    d = os.path.join(work, "dirty")
    run([hotline, "sample", "-q", "--out", d, "--dirt", "0.02"] + opts)
    m = json.load(open(os.path.join(d, "manifest.json")))
    files = [os.path.join(d, f["name"]) for f in m["files"]]
    db = os.path.join(work, "dirty.db")
    p = ingest(hotline, db, files)
    if p.returncode != 1:
        fail("ingest of dirty data exited %d, not 1" % p.returncode)
    con = sqlite3.connect(db)
    got = {(os.path.basename(f), l) for f, l in
           con.execute("SELECT file, line FROM reject")}
    want_rej = {(f["file"], f["line"]) for f in m["faults"]
                if f["expect"] == "reject"}
    if got != want_rej:
        fail("rejects differ: extra %s, missing %s" %
             (sorted(got - want_rej)[:5], sorted(want_rej - got)[:5]))
    flagged = {r[0] for r in con.execute(
        "SELECT ticket_id FROM ticket WHERE quality & 1")}
    want_flag = {f["ticket_id"] for f in m["faults"] if f["expect"] == "flag"}
    if flagged != want_flag:
        fail("flagged tickets differ: extra %s, missing %s" %
             (sorted(flagged - want_flag)[:5], sorted(want_flag - flagged)[:5]))
    con.close()

    # Every clean row, read independently, is stored as it reads.
    stored = tickets(db)
    opt = m["options"]
    var = vs.VARIANTS[opt["headers"]]
    notes = []
    parse = vs.make_time_parser(opt["dates"], var["empty"], notes)
    names = vs.header_order(opt["headers"])
    canon = vs.HEADER_NAMES[opt["headers"]]
    idx = {k: names.index(canon[k]) for k in range(16)}
    skip = {(f["file"], f["line"]) for f in m["faults"]}
    nrows = 0
    for fe in m["files"]:
        path = os.path.join(d, fe["name"])
        for line, raw, row in vs.read_records(path, vs.CODECS[opt["encoding"]]):
            if line == 1 or (fe["name"], line) in skip:
                continue
            nrows += 1
            tid = row[idx[0]]
            s = stored.get(tid)
            if s is None:
                fail("%s:%d: ticket %s not stored" % (fe["name"], line, tid))
                continue

            def t(k):
                v = parse(row[idx[k]])
                return None if v is None else v - EPOCH

            want = (t(1), t(8), t(9), t(10), t(11), row[idx[5]], row[idx[6]],
                    row[idx[7]], row[idx[2]],
                    CATS.index(var["cat"][row[idx[3]]]),
                    var["key"][row[idx[4]]],
                    {0: 1, 1: 2, 2: 3, 3: 0}[var["sat"][row[idx[13]]]],
                    row[idx[15]] or None)
            have = (s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8],
                    s[9], s[10], s[11], s[15])
            if want != have:
                fail("%s:%d: ticket %s stored as %r, reads as %r" %
                     (fe["name"], line, tid, have, want))
                if len(FAILS) > 10:
                    return
    if len(stored) != nrows + len(want_flag):
        fail("%d tickets stored, %d clean rows + %d flagged" %
             (len(stored), nrows, len(want_flag)))

    # The same files again are skipped by their SHA-256...
    ingest(hotline, db, files)
    con = sqlite3.connect(db)
    runs = con.execute("SELECT count(*) FROM ingest_run").fetchone()[0]
    if runs != len(files):
        fail("the same files again made %d runs, not %d" % (runs, len(files)))
    # ...and read again with --force they change nothing (and are read:
    # a run each).
    ingest(hotline, db, ["--force"] + files)
    again = con.execute(
        "SELECT sum(rows_inserted), sum(rows_updated) FROM ingest_run "
        "WHERE id > ?", (len(files),)).fetchone()
    con.close()
    if again != (0, 0):
        fail("second ingest inserted/updated %r" % (again,))
    check_db(db)
    print("check_ingest: dirty set: %d clean rows, %d rejects, %d flagged"
          % (nrows, len(want_rej), len(want_flag)))


def check_nightly(hotline, work, opts):
    y = os.path.join(work, "yearly")
    n = os.path.join(work, "nightly")
    run([hotline, "sample", "-q", "--out", y] + opts)
    run([hotline, "sample", "-q", "--out", n, "--nightly"] + opts)
    ym = json.load(open(os.path.join(y, "manifest.json")))
    nm = json.load(open(os.path.join(n, "manifest.json")))
    yfiles = [os.path.join(y, f["name"]) for f in ym["files"]]
    nfiles = [os.path.join(n, f["name"]) for f in nm["files"]]
    ingest(hotline, os.path.join(work, "y.db"), yfiles, ok=(0,))
    want = tickets(os.path.join(work, "y.db"))
    ndb = os.path.join(work, "n.db")
    # A day twice (--force: the repeat is read, not skipped).
    ingest(hotline, ndb, ["--force"] + nfiles[:40] + nfiles[39:], ok=(0,))
    got = tickets(ndb)
    for label in ("nightly files in order, one day repeated",
                  "nightly files fed twice"):
        if got != want:
            diff = [k for k in want if got.get(k) != want[k]][:3]
            fail("%s: %d tickets vs %d yearly; first differences %s" %
                 (label, len(got), len(want),
                  [(k, got.get(k), want[k]) for k in diff]))
        ingest(hotline, ndb, ["--force"] + nfiles, ok=(0,))
        got = tickets(ndb)
    check_db(ndb)
    check_db(os.path.join(work, "y.db"))
    print("check_ingest: nightly: %d files, %d tickets, same as yearly"
          % (len(nfiles), len(want)))


def check_extra(hotline, work):
    """Mapped cells land in typed columns, every other cell in extra, two
    columns with one header name and a column that lost to an earlier one
    for its field included."""
    path = os.path.join(work, "extra.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("工单编号,受理时间,备注,备注,工单号,Unmapped,是否重点工单,"
                "重办次数\r\n"
                "A1,2022/1/3 9:05,first note,second note,B9,x,Y,是\r\n")
    db = os.path.join(work, "extra.db")
    ingest(hotline, db, [path], ok=(0,))
    con = sqlite3.connect(db)
    row = con.execute(
        "SELECT t.ticket_id, t.accepted_at, t.extra, r.extra_headers, "
        "k.value, t.is_key, o.value, t.reopen_count "
        "FROM ticket t "
        "JOIN ingest_run r ON r.id = t.extra_run "
        "JOIN dict k ON k.id = t.key_raw "
        "JOIN dict o ON o.id = t.reopen_raw").fetchone()
    con.close()
    want_t = (datetime.datetime(2022, 1, 3, 9, 5) -
              datetime.datetime(1970, 1, 1)).total_seconds()
    if row[:2] != ("A1", want_t):
        fail("typed cells %r, wanted ('A1', %d)" % (row[:2], want_t))
    got = list(zip(json.loads(row[3]), json.loads(row[2])))
    want = [("备注", "first note"), ("备注", "second note"), ("工单号", "B9"),
            ("Unmapped", "x")]
    if got != want:
        fail("extra cells %r, wanted %r" % (got, want))
    if row[4:] != ("Y", 1, "是", 1):
        fail("key and reopen cells %r, wanted ('Y', 1, '是', 1)" %
             (row[4:],))


# The numbers of check_fields' export, as they must never be stored.
NUMBERS = ["13800138000", "138 0013 8000", "13800138000", "13912345678",
           "13655556666", "13900001111", "139-0000-1111", "0013 8000"]


def check_fields(hotline, work):
    """The fields of docs/analyses.md, end to end (the fixture written
    here, never by hotline)."""
    path = os.path.join(work, "fields.csv")
    head = ["工单编号", "受理时间", "所属区", "所属街道", "是否有效回访",
            "是否联系", "是否解决", "是否纳入考核", "是否不合理诉求",
            "一级分类", "二级分类", "三级分类", "来电号码", "诉求内容",
            "联系电话"]
    blank = [""] * 7
    rows = [
        ["T1", "2022/3/1 9:00", "荔湾区", "沙面街", "是", "已联系",
         "部分解决", "是", "否", "城乡建设", "物业管理", "",
         "138 0013 8000", "物业费", "+86 139-0000-1111"],
        # the same number written otherwise; unreasonable, so left out
        ["T2", "2022/3/2 9:00", "荔湾区", "沙面街", "否", "", "已解决",
         "是", "是", "", "", "", "+86 13800138000",
         "【最近派发的工单编号：T1，工单内容：再次反映】", ""],
        # an answer not recognised; quoting itself; no number
        ["T3", "2022/3/3 9:00", "荔湾区", "", "待定", "", "", "无", ""] +
        ["交通", "", "", "-", "最近派发的工单编号:T3", ""],
        # rejects: a bad date (the cells can be trusted), a row too long
        ["T4", "2022/13/45 9:00", "荔湾区"] + blank + ["", "",
                                                      "13912345678", "x",
                                                      ""],
        ["T5", "2022/3/4 9:00", "荔湾区"] + blank + ["", "",
                                                    "13655556666", "y", "",
                                                    "extra"],
    ]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([head] + rows)
    db = os.path.join(work, "fields.db")
    p = ingest(hotline, db, [path], ok=(1,))
    # a second file through WAL, so that the log holds pages too
    path2 = os.path.join(work, "fields2.csv")
    with open(path2, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([head, ["T6", "2022/3/5 9:00", "荔湾区", "",
                                        "", "", "", "", "", "", "", "",
                                        "13800138000", "", ""]])
    p2 = ingest(hotline, db, [path2], ok=(0,))
    ins = run([hotline, "inspect", path], ok=(1,))
    for name, text in (("ingest", p.stdout + p.stderr + p2.stderr),
                       ("inspect", ins.stdout + ins.stderr)):
        for n in NUMBERS:
            if n in text:
                fail("fields: %s shows the number %r" % (name, n))
    # the first rows shown: T1, T2 with a number, T3 without
    if ins.stdout.count("***") != 2:
        fail("fields: inspect shows %d masked callers, wanted 2"
             % ins.stdout.count("***"))
    for want in ("caller", "valid_callback", "部分解决 → no", "待定"):
        if want not in ins.stdout:
            fail("fields: inspect lacks %r" % want)
    for suffix in ("", "-wal", "-journal"):
        if not os.path.exists(db + suffix):
            continue
        data = open(db + suffix, "rb").read()
        for n in NUMBERS:
            if n.encode() in data:
                fail("fields: %s%s holds %r" % (os.path.basename(db),
                                                 suffix, n))
    con = sqlite3.connect(db)
    key = con.execute("SELECT value FROM setting WHERE key = 'caller_key'")\
        .fetchone()[0]
    mac = hmac.new(key, b"13800138000", hashlib.sha256).digest()[:16]
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT ticket_id, assess, d.value, caller, quoted, quality & 1024, "
        "extra FROM ticket LEFT JOIN dict d ON d.id = topic")}
    # assess: 2 bits each from bit 0: valid, contacted, resolved, in the
    # assessment; 1 yes, 2 no (model.h)
    want = {
        "T1": (1 | 1 << 2 | 2 << 4 | 1 << 6, "城乡建设-物业管理", mac, None,
               0, '["+** ***-****-****"]'),
        "T2": (2 | 1 << 4 | 2 << 6, None, mac, "T1", 0, '[""]'),
        "T3": (2 << 6, "交通", None, None, 1024, '[""]'),
        "T6": (0, None, mac, None, 0, '[""]'),
    }
    if len(key) != 32:
        fail("fields: a key of %d bytes" % len(key))
    for t, w in want.items():
        if got.get(t) != w:
            fail("fields: ticket %s is %r, wanted %r" % (t, got.get(t), w))
    raws = [r[0] for r in con.execute("SELECT raw FROM reject ORDER BY line")]
    want_raw = [b"T4,2022/13/45 9:00,\xe8\x8d\x94\xe6\xb9\xbe\xe5\x8c"
                b"\xba,,,,,,,,,,***********,x,\r\n",
                b"T*,****/*/* *:**,\xe8\x8d\x94\xe6\xb9\xbe\xe5\x8c\xba,"
                b",,,,,,,,,***********,y,,extra\r\n"]
    if [r.rstrip(b"\r\n") for r in raws] != \
            [r.rstrip(b"\r\n") for r in want_raw]:
        fail("fields: rejects kept %r, wanted %r" % (raws, want_raw))
    con.close()
    check_db(db)


def check_db(db):
    """What holds for every database ingest leaves: foreign keys point at
    rows, and the rollups equal what the tickets say."""
    con = sqlite3.connect(db)
    bad = con.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        fail("%s: foreign_key_check: %r" % (os.path.basename(db), bad[:5]))
    want = con.execute(
        "SELECT CAST(strftime('%Y%m%d', accepted_at, 'unixepoch') AS "
        "INTEGER), coalesce(district, 0), coalesce(is_key, 0), "
        "satisfaction, count(*) FROM ticket GROUP BY 1, 2, 3, 4 "
        "ORDER BY 1, 2, 3, 4").fetchall()
    got = con.execute("SELECT * FROM sat_day ORDER BY 1, 2, 3, 4").fetchall()
    if got != want:
        fail("%s: sat_day differs from a count of the tickets: %r" %
             (os.path.basename(db), [r for r in got if r not in want][:5]))
    # hand_day, recounted here from its definition (store/schema.sql).
    sums = {}
    for acc, disp, closed, d, cat, qual in con.execute(
            "SELECT accepted_at, dispatched_at, closed_at, district, "
            "category, quality FROM ticket WHERE closed_at IS NOT NULL"):
        if qual & 1:
            continue
        day = datetime.date(1970, 1, 1) + datetime.timedelta(acc // 86400)
        for start, frm in ((0, acc), (1, acc if disp is None else disp)):
            if closed < frm:
                continue
            k = (day.year * 10000 + day.month * 100 + day.day, d or 0, cat,
                 start)
            n, secs = sums.get(k, (0, 0))
            sums[k] = (n + 1, secs + closed - frm)
    want = sorted(k + v for k, v in sums.items())
    got = con.execute("SELECT * FROM hand_day ORDER BY 1, 2, 3, 4")\
        .fetchall()
    if got != want:
        fail("%s: hand_day differs from the tickets' handling times: "
             "%r" % (os.path.basename(db),
                     [r for r in got if r not in want][:3] +
                     [r for r in want if r not in got][:3]))
    con.close()


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    hotline, work, opts = argv[1], argv[2], argv[3:]
    shutil.rmtree(work, ignore_errors=True)  # databases of earlier runs
    os.makedirs(work)
    check_extra(hotline, work)
    check_fields(hotline, work)
    check_dirty(hotline, work, opts)
    check_nightly(hotline, work, opts)
    print("check_ingest: %s" % ("ok" if not FAILS else
                                "%d failures" % len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
