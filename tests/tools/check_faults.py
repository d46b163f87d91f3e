#!/usr/bin/env python3
"""What the machine does to an ingest, and what hostile files do to it.

    check_faults.py faults|hostile HOTLINE WORK_DIR

faults   a full disk (a file size limit, as `ulimit -f`), a database the
         user cannot write, and metrics and report run while an ingest is
         writing: a clear error, an intact database (integrity_check ok,
         every table as before), readers that finish with the figures of
         before or after the file, never a mix.
databases
         the database and the order of files: two ingests into a new
         database at once (20 times) both succeed; a foreign SQLite file
         and a database with a negative or huge schema version are refused
         with that value and left byte for byte as they were; a multi-file
         ingest whose second file fails (a locked database, a full disk)
         stops there, names the files not read and the command to resume,
         and the resumed run leaves every ticket as a clean in-order load
         does; SIGINT and SIGTERM roll back; hotline check finds a damaged
         database and one whose rows disagree with the rollups, ingest
         refuses the damaged one untouched and metrics never prints
         figures of either with exit status 0.
hostile  files with a field of many megabytes, a million columns, NUL
         bytes, a BOM in the middle, overlong UTF-8, GB18030 sequences
         for lone surrogates, dates in year 9999 and before 1900, a 10 kB
         ticket ID, and a file cut inside a quoted field: each gives a
         clear diagnostic at file:line:col, keeps the row in the reject
         table, never crashes, and peaks under 256 MB of RSS.  (A child's
         peak RSS counts its parent's memory until it execs, so this runs
         in a process of its own.)

Exit status 0 when everything holds, 1 otherwise.
"""
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_kill  # noqa: E402  (its state() and integrity())

FAILS = []
HEAD = ("工单编号,受理时间,来源渠道,诉求类型,是否重点工单,所属区,所属街道,"
        "承办单位,派单时间,签收时间,办理时限,办结时间,工单状态,满意度,"
        "重办次数,诉求内容\r\n")


def fail(msg):
    FAILS.append(msg)
    print("check_faults: " + msg)


def run(cmd, ok=(0,), limit=None, user=None):
    def pre():
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        if user is not None:
            os.setgid(user)
            os.setuid(user)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=pre)
    out, err = p.communicate()
    rc = p.returncode
    if rc not in ok:
        raise SystemExit("check_faults: %s exited %d\n%s%s" %
                         (cmd[1:3], rc, out.decode(), err.decode()))
    return rc, out.decode(), err.decode()


def run_rss(cmd):
    """Runs cmd; returns (exit status, stderr, peak RSS in MB)."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = p.stderr.read().decode(errors="replace")
    _, status, ru = os.wait4(p.pid, 0)
    return os.waitstatus_to_exitcode(status), err, ru.ru_maxrss / 1024.0


def faults(hotline, work):
    data = os.path.join(work, "data")
    run([hotline, "sample", "-q", "--out", data, "--scale", "0.02",
         "--no-calibrate", "--years", "2021-2022"])
    f21 = os.path.join(data, "gz12345-2021.csv")
    f22 = os.path.join(data, "gz12345-2022.csv")
    base = os.path.join(work, "base.db")
    run([hotline, "ingest", "-q", "--db", base, f21])
    db = os.path.join(work, "t.db")

    # A full disk: the database may grow by a few pages, not by a year.
    check_kill.copy_db(base, db)
    before = check_kill.state(db)
    limit = os.path.getsize(db) + 64 * 1024
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, f22], ok=(1,),
                     limit=limit)
    if "disk" not in err and "full" not in err and "size limit" not in err:
        fail("full disk: unclear message: %r" % err)
    if check_kill.integrity(db) != "ok" or check_kill.state(db) != before:
        fail("full disk: the database changed or broke")
    run([hotline, "ingest", "-q", "--db", db, f22])
    print("check_faults: full disk: %s" % err.strip().splitlines()[-1])

    # A database the user may not write.
    check_kill.copy_db(base, db)
    before = check_kill.state(db)
    if os.getuid() == 0:
        os.chmod(work, 0o755)
        rc, _, err = run([hotline, "ingest", "-q", "--db", db, f22],
                         ok=(1,), user=65534)
    else:
        os.chmod(db, 0o444)
        rc, _, err = run([hotline, "ingest", "-q", "--db", db, f22],
                         ok=(1,))
        os.chmod(db, 0o644)
    if "readonly" not in err and "read-only" not in err and \
            "permission" not in err.lower():
        fail("read-only database: unclear message: %r" % err)
    if check_kill.integrity(db) != "ok" or check_kill.state(db) != before:
        fail("read-only database: the database changed or broke")
    print("check_faults: read-only: %s" % err.strip().splitlines()[-1])

    # Readers who may not write the database's directory read it
    # read-only, with a note, and get the figures of those who may.
    if os.getuid() == 0:
        q = ["metrics", "--db", db, "--year", "2021", "--district", "天河区",
             "--format", "json"]
        want = run([hotline] + q)[1]
        for suffix in ("-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        os.chmod(work, 0o755)
        rc, got, err = run([hotline] + q, user=65534)
        if got != want or "opened read-only" not in err:
            fail("reader in a read-only directory: %r" % err)
        if os.path.exists(db + "-shm") or os.path.exists(db + "-wal"):
            fail("reader in a read-only directory left files beside it")
        print("check_faults: read-only directory: %s" % err.strip())

    # Readers while an ingest writes (WAL: the file is smaller than the
    # database, which holds tickets).
    check_kill.copy_db(base, db)
    run([hotline, "ingest", "-q", "--db", db, f22])
    q = [hotline, "metrics", "--db", db, "--year", "2021", "--district",
         "天河区", "--format", "json"]
    want_before = run(q)[1]
    writer = subprocess.Popen([hotline, "ingest", "-q", "--force", "--db",
                               db, f21, f22],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    seen = 0
    while writer.poll() is None:
        got = run(q)[1]
        rep = os.path.join(work, "report-during")
        run([hotline, "report", "--db", db, "--district", "天河区", "--year",
             "2021", "--out", rep])
        seen += 1
        if got != want_before:
            # A --force rerun of the same files changes no figure.
            fail("metrics during an ingest differ from before")
            break
    writer.wait()
    if writer.returncode != 0:
        fail("the ingest beside the readers failed: %s"
             % writer.stderr.read().decode())
    if seen == 0:
        fail("the ingest ended before a reader ran")
    print("check_faults: %d metrics and report runs while ingesting" % seen)


def hostile_files(work):
    """(name, bytes, what the message must say), one at a time: the
    parent's memory counts in a child's peak RSS until it execs."""
    row = ("G%d,2022-03-01 09:00:00,电话,咨询,否,荔湾区,沙面街,甲,,,,,,,0,内容"
           "\r\n")
    ok = row % 1
    yield ("huge-field", lambda f: (
        f.write((HEAD + ok + 'G2,2022-03-01 09:00:00,电话,咨询,否,荔湾区,'
                 '沙面街,甲,,,,,,,0,"').encode()),
        [f.write(b"x" * (1 << 20)) for _ in range(40)],
        f.write(('"\r\n' + row % 3).encode())), "record longer than")
    yield ("million-columns", lambda f: (
        f.write((HEAD + ok + "G2").encode()),
        [f.write(b",x" * 1000) for _ in range(1000)],
        f.write(("\r\n" + row % 3).encode())), "more than 10000 fields")
    files = [
        ("nul", (HEAD + ok).encode() + b"G2,2022-03-01 09:00:00,\x00\r\n" +
         (row % 3).encode(), "NUL byte"),
        ("bom-in-middle", (HEAD + ok + "G2,2022-03-01 09:00:00,电话,咨询,否,"
                           "荔湾区,沙面街,甲,,,,,,,0,\ufeff内容\r\n" + row % 3)
         .encode(), None),
        ("overlong", (HEAD + ok).encode() + b"G2,2022-03-01 09:00:00,\xc0\xaf"
         b",,,,,,,,,,,,,\r\n" + (row % 3).encode(), "invalid UTF-8"),
        # GB18030 has no sequence for a lone surrogate: the four-byte
        # codes map the BMP around them, and 84 31 A5 30, the first code
        # past U+FFFF's, is no character at all.
        ("gb-no-char", (HEAD + ok + row % 3).encode("gb18030") +
         b"G4,2022-03-01 09:00:00,\x84\x31\xa5\x30,,,,,,,,,,,,,\r\n",
         "GB18030"),
        ("utf8-surrogate", (HEAD + ok).encode() + b"G2,2022-03-01 09:00:00,"
         b"\xed\xa0\x80,,,,,,,,,,,,,\r\n" + (row % 3).encode(),
         "invalid UTF-8"),
        ("year-9999", (HEAD + ok + "G2,9999-03-01 09:00:00,电话,咨询,否,荔湾区,"
                       ",,,,,,,,0,\r\n" + row % 3).encode(),
         "year out of range"),
        ("year-1899", (HEAD + ok + "G2,1899-12-31 09:00:00,电话,咨询,否,荔湾区,"
                       ",,,,,,,,0,\r\n" + row % 3).encode(),
         "year out of range"),
        ("long-id", (HEAD + ok + "G" + "9" * 10240 + ",2022-03-01 09:00:00,"
                     "电话,咨询,否,荔湾区,,,,,,,,,0,\r\n" + row % 3).encode(),
         "longer than 128 bytes"),
        ("cut-in-quotes", (HEAD + ok + row % 3 + 'G4,2022-03-01 09:00:00,电话,'
                           '咨询,否,荔湾区,沙面街,甲,,,,,,,0,"开始\r\n第二行\r\n')
         .encode(), "end of file inside a quoted field"),
    ]
    for name, data, want in files:
        yield name, (lambda d: lambda f: f.write(d))(data), want


def hostile(hotline, work):
    for name, write, want in hostile_files(work):
        path = os.path.join(work, name + ".csv")
        with open(path, "wb") as f:
            write(f)
        db = os.path.join(work, name + ".db")
        rc, err, rss = run_rss([hotline, "ingest", "-q", "--db", db, path])
        if rc not in (0, 1) or "Sanitizer" in err or "runtime error" in err:
            fail("%s: exit %d\n%s" % (name, rc, err[-2000:]))
            continue
        # The sanitizers keep freed memory in quarantine: no bound there.
        if rss > 256 and "ASAN_OPTIONS" not in os.environ:
            fail("%s: peak RSS %.0f MB" % (name, rss))
        con = sqlite3.connect(db)
        tickets = con.execute("SELECT count(*) FROM ticket").fetchone()[0]
        rejects = con.execute("SELECT line, col, reason FROM reject") \
            .fetchall()
        con.close()
        if want is None:
            if rc != 0 or rejects or tickets != 3:
                fail("%s: %d tickets, rejects %r (want 3 and none)"
                     % (name, tickets, rejects))
        else:
            first = err.splitlines()[0] if err else ""
            if rc != 1 or want not in err or not first.startswith(
                    path + ":") or len(rejects) != 1:
                fail("%s: exit %d, %d rejects, message %r (want %r)"
                     % (name, rc, len(rejects), err[:300], want))
            if tickets != 2:
                fail("%s: %d tickets stored, not the 2 good rows"
                     % (name, tickets))
        print("check_faults: %-16s exit %d, %d stored, %d rejected, %.0f MB:"
              " %s" % (name, rc, tickets, len(rejects), rss,
                       err.splitlines()[0][:100] if err else "no message"))


def nightly_files(work, extra, updated=False, prefix="d"):
    """Three exports of the same 40 tickets, each a later state: open,
    closed, evaluated; the second also carries `extra` new tickets with
    long content (to outgrow a small file size limit).  With updated, each
    row carries its update time (更新时间) too."""
    rows = [[], [], []]
    for i in range(40):
        tid = "N%04d" % i
        base = [tid, "2022-03-01 09:00", "电话", "投诉", "否", "荔湾区",
                "沙面街", "甲", "2022-03-01 10:00", "", "2022-03-10 23:59:59"]
        rows[0].append(base + ["", "办理中", "", "0", "诉求"])
        rows[1].append(base + ["2022-03-05 10:00", "已办结", "", "0", "诉求"])
        rows[2].append(base + ["2022-03-05 10:00", "已回访", "满意", "0",
                               "诉求"])
    for i in range(extra):
        rows[1].append(["X%06d" % i, "2022-03-02 09:00", "电话", "咨询", "否",
                        "荔湾区", "", "乙", "", "", "", "", "办理中", "", "",
                        "长" * 400])
    paths = []
    for k in range(3):
        p = os.path.join(work, "%s%d.csv" % (prefix, k + 1))
        with open(p, "w", encoding="utf-8") as f:
            if updated:
                f.write(HEAD.replace("\r\n", ",更新时间\r\n"))
            else:
                f.write(HEAD)
            for r in rows[k]:
                if updated:
                    r = r + ["2022-03-0%d 20:00" % (k + 2)]
                f.write(",".join(r) + "\r\n")
        paths.append(p)
    return paths


def tickets(db):
    """What each ticket says, whatever run stored it."""
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT ticket_id, accepted_at, dispatched_at, deadline_at, "
            "closed_at, category, satisfaction, status, reopen_count, "
            "quality, content FROM ticket ORDER BY ticket_id").fetchall()
    finally:
        con.close()


def sha(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def databases(hotline, work):
    d1, d2, d3 = nightly_files(work, 3000)
    clean = os.path.join(work, "clean.db")
    run([hotline, "ingest", "-q", "--db", clean, d1, d2, d3])
    want = tickets(clean)

    # With an update time, the order of the files does not matter: an
    # older row never replaces a newer one, and says so.
    u1, u2, u3 = nightly_files(work, 0, updated=True, prefix="u")
    inorder = os.path.join(work, "u-inorder.db")
    run([hotline, "ingest", "-q", "--db", inorder, u1, u2, u3])
    for order in ((u3, u1, u2), (u2, u3, u1), (u3, u2, u1)):
        db = os.path.join(work, "u-%s.db" % "".join(
            os.path.basename(p)[1] for p in order))
        rc, _, err = run([hotline, "ingest", "--db", db] + list(order))
        if tickets(db) != tickets(inorder):
            fail("update times, files in order %s: tickets differ from "
                 "the in-order load" % [os.path.basename(p) for p in order])
        if "older than the stored" not in err or \
                "older not applied" not in err:
            fail("update times: the older rows are not reported: %r" % err)
    # Without one, the files' order decides, and a ticket that moves
    # back (closed to open) is stored as given, flagged and warned of.
    db = os.path.join(work, "back.db")
    rc, _, err = run([hotline, "ingest", "--db", db, d3, d1])
    if "moved back from closed or evaluated" not in err:
        fail("a ticket moved back without a warning: %r" % err)
    con = sqlite3.connect(db)
    flagged = con.execute("SELECT count(*) FROM ticket WHERE quality & 512 "
                          "AND ticket_id LIKE 'N%'").fetchone()[0]
    con.close()
    if flagged != 40:
        fail("tickets moved back: %d flagged, want 40" % flagged)
    # Re-handling (重办) reopens a ticket: with a higher reopen count,
    # closed to open is no move back.
    redo = os.path.join(work, "redo.csv")
    with open(d1, encoding="utf-8") as f, \
            open(redo, "w", encoding="utf-8") as g:
        for n, line in enumerate(f):
            if n == 0:
                g.write(line)
                continue
            cells = line.rstrip("\r\n").split(",")
            cells[14] = "1"  # 重办次数
            g.write(",".join(cells) + "\r\n")
    db = os.path.join(work, "redo.db")
    rc, _, err = run([hotline, "ingest", "--db", db, d2, redo])
    con = sqlite3.connect(db)
    flagged = con.execute("SELECT count(*) FROM ticket WHERE quality & 512"
                          ).fetchone()[0]
    con.close()
    if flagged or "moved back" in err:
        fail("a re-handled ticket was taken for a move back: %d flagged"
             % flagged)
    print("check_faults: update times decide the order; moving back is "
          "flagged")

    # Two ingests into a new database at once.
    db = os.path.join(work, "new.db")
    for trial in range(20):
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        ps = [subprocess.Popen([hotline, "ingest", "-q", "--force", "--db",
                                db, d1], stderr=subprocess.PIPE)
              for _ in range(2)]
        for p in ps:
            err = p.communicate()[1].decode()
            if p.returncode != 0:
                fail("two ingests into a new database, trial %d: exit %d: "
                     "%s" % (trial, p.returncode, err.strip()))
        if check_kill.integrity(db) != "ok" or len(tickets(db)) != 40:
            fail("two ingests into a new database, trial %d: %d tickets"
                 % (trial, len(tickets(db))))

    # Files that are not hotline's, or of a version none writes.
    for name, sql, want_msg in (
            ("foreign", "CREATE TABLE orders (id INTEGER)",
             "is not a hotline database"),
            ("negative", "CREATE TABLE t (x); PRAGMA application_id = "
             "1212960305; PRAGMA user_version = -3",
             "has schema version -3"),
            ("huge", "CREATE TABLE t (x); PRAGMA application_id = "
             "1212960305; PRAGMA user_version = 2147483647",
             "has schema version 2147483647")):
        p = os.path.join(work, name + ".db")
        con = sqlite3.connect(p)
        con.executescript(sql)
        con.close()
        before = sha(p)
        for cmd in (["ingest", "-q", "--db", p, d1],
                    ["metrics", "--db", p, "--year", "2022"]):
            rc, _, err = run([hotline] + cmd, ok=(1,))
            if want_msg not in err:
                fail("%s database: %s: unclear message %r" %
                     (name, cmd[0], err))
        if sha(p) != before or os.path.exists(p + "-wal"):
            fail("%s database: changed before it was refused" % name)

    # hotline check: a whole database, a damaged one, one whose rows
    # disagree; ingest refuses the damaged one untouched; the figures of
    # either are never printed with exit status 0.
    rc, _, err = run([hotline, "check", "--db", clean])
    if "': ok" not in err:
        fail("check of a whole database: %r" % err)
    bad = os.path.join(work, "damaged.db")
    shutil.copy(clean, bad)
    size = os.path.getsize(bad)
    with open(bad, "r+b") as f:
        for k in (2, 3):
            f.seek(size * k // 5 // 16384 * 16384 + 200)
            f.write(bytes((i * 37 + 11) % 256 for i in range(3000)))
    before = sha(bad)
    rc, out, err = run([hotline, "check", "--db", bad], ok=(1,))
    if ": integrity: " not in out:
        fail("check of a damaged database: %r %r" % (out, err))
    rc, _, err = run([hotline, "ingest", "-q", "--force", "--db", bad, d1],
                     ok=(1,))
    if "is damaged" not in err or sha(bad) != before:
        fail("ingest into a damaged database: %r" % err)
    # The figures read only an index; where the damage spares it they
    # are the same as before, else metrics fails and says why.
    for q in ([], ["--district", "荔湾区"]):
        cmd = ["metrics", "--year", "2022", "--format", "json"] + q
        rc, got, err = run([hotline] + cmd + ["--db", bad], ok=(0, 1))
        want_fig = run([hotline] + cmd + ["--db", clean])[1]
        if (rc == 0 and got != want_fig) or \
                (rc == 1 and "damaged" not in err and
                 "inconsistent" not in err):
            fail("metrics of a damaged database: exit %d, %r" % (rc, err))
    odd = os.path.join(work, "odd.db")
    shutil.copy(clean, odd)
    con = sqlite3.connect(odd)
    con.execute("DELETE FROM ticket WHERE ticket_id = 'N0007'")
    con.execute("UPDATE ticket SET unit = 987654 WHERE ticket_id = 'N0008'")
    con.commit()
    con.close()
    rc, out, err = run([hotline, "check", "--db", odd], ok=(1,))
    for line in (": reference: ticket row ", ": sat_day: day 20220301 ",
                 ": hand_day: day 20220301 "):
        if line not in out:
            fail("check of a database whose rows disagree lacks %r: %r"
                 % (line, out))
    rc, _, err = run([hotline, "metrics", "--db", odd, "--year", "2022"],
                     ok=(1,))
    if "the database is inconsistent: 3039 tickets read for 2022-03, its " \
            "satisfaction rollup counts 3040" not in err:
        fail("metrics of a database whose rows disagree: %r" % err)
    print("check_faults: check: a damaged database and one whose rows "
          "disagree are found, refused and never counted")

    # A locked database when the second file comes: the third is not read.
    db = os.path.join(work, "locked.db")
    fifo = os.path.join(work, "d2.fifo")
    os.mkfifo(fifo)
    p = subprocess.Popen([hotline, "ingest", "-q", "--db", db, d1, fifo, d3],
                         stderr=subprocess.PIPE)
    lock = None
    for _ in range(600):
        if os.path.exists(db):
            try:
                con = sqlite3.connect(db, timeout=0.1)
                n = con.execute("SELECT count(*) FROM ingest_run WHERE "
                                "status = 'done'").fetchone()[0]
                if n == 1:
                    lock = con
                    break
                con.close()
            except sqlite3.Error:
                pass
        time.sleep(0.05)
    if lock is None:
        fail("locked database: the first file never landed")
        p.kill()
    else:
        lock.execute("BEGIN IMMEDIATE")
        w = os.open(fifo, os.O_WRONLY)
        err = p.communicate()[1].decode()
        os.close(w)
        lock.rollback()
        lock.close()
        check_order(hotline, db, err, p.returncode, "locked database",
                    [d1, fifo, d3], [d2, d3], want)

    # SIGINT and SIGTERM while the second file is read: it is rolled
    # back, named, the third is not read, and the exit status is 128 + N.
    for sig, name in ((signal.SIGINT, "SIGINT"), (signal.SIGTERM,
                                                   "SIGTERM")):
        db = os.path.join(work, "sig.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        run([hotline, "ingest", "-q", "--db", db, d1])
        before = check_kill.state(db)
        fifo = os.path.join(work, "sig.fifo")
        if os.path.exists(fifo):
            os.unlink(fifo)
        os.mkfifo(fifo)
        p = subprocess.Popen([hotline, "ingest", "-q", "--db", db, fifo,
                              d3], stderr=subprocess.PIPE)
        w = os.open(fifo, os.O_WRONLY)
        with open(d2, "rb") as f:
            os.write(w, f.read(4096))
        time.sleep(0.3)
        p.send_signal(sig)
        time.sleep(0.1)
        os.close(w)
        err = p.communicate()[1].decode()
        if p.returncode != 128 + sig or \
                "'%s': interrupted; the file was rolled back" % fifo \
                not in err or "'%s'" % d3 not in err:
            fail("%s: exit %d, message %r" % (name, p.returncode, err))
        if check_kill.integrity(db) != "ok" or \
                check_kill.state(db) != before:
            fail("%s: the database is not as before the file" % name)
        print("check_faults: %s: rolled back, exit %d" %
              (name, p.returncode))

    # A full disk at the second file.
    db = os.path.join(work, "full.db")
    run([hotline, "ingest", "-q", "--db", db, d1])
    limit = os.path.getsize(db) + 256 * 1024
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, d2, d3],
                     ok=(1,), limit=limit)
    check_order(hotline, db, err, rc, "full disk", [d2, d3], [d2, d3], want)


def check_order(hotline, db, err, rc, what, given, resume, want):
    """After a failed multi-file run: the last file not read and named,
    the resume command printed; resuming in order gives `want`."""
    last = given[-1]
    if rc != 1 or "not ingested, to keep the files in order: '%s'" % last \
            not in err or "hotline ingest --db %s %s %s" % (
                db, given[-2], last) not in err:
        fail("%s: exit %d, message %r" % (what, rc, err))
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM ingest_run WHERE file = ?",
                    (last,)).fetchone()[0]
    con.close()
    if n:
        fail("%s: '%s' was read after the file before it failed" %
             (what, last))
    run([hotline, "ingest", "-q", "--db", db] + resume)
    if tickets(db) != want:
        fail("%s: after the resumed run the tickets differ from a clean "
             "in-order load" % what)
    print("check_faults: %s: stopped, resumed in order" % what)


def main(argv):
    if len(argv) < 4 or argv[1] not in ("faults", "hostile", "databases"):
        print(__doc__)
        return 2
    mode, hotline, work = argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    {"faults": faults, "hostile": hostile,
     "databases": databases}[mode](hotline, work)
    print("check_faults: %s: %s" % (mode, "ok" if not FAILS else
                                    "%d failures" % len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
