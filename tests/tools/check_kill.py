#!/usr/bin/env python3
"""Crash safety of `hotline ingest`: kill -9 at random moments.

    check_kill.py HOTLINE WORK_DIR [TRIALS] [SEED] [NIGHTLY]

Four situations, TRIALS kills spread over them (default 24):

  fresh     a new database, the 2021 export (a first load: rollback
            journal)
  on-year   a database holding 2021, the 2022 export (WAL, index kept
            up to date row by row)
  wal       a database holding both years, the 2021 export again with
            --force (smaller than the database: WAL, every row touched)
  bulk      as on-year with --bulk (a rollback journal over a database
            holding tickets); undisturbed, it must leave what on-year
            leaves, and the database back in WAL

For each trial the ingest is started, killed with SIGKILL after a random
share of its undisturbed duration, and then:
  - PRAGMA integrity_check must say ok;
  - the database must hold exactly what it held before the interrupted
    file (every table compared row by row; run times aside), or, when the
    kill came after the commit, exactly what an undisturbed run leaves;
  - in the first case, running the same command again must finish, and
    leave exactly what an undisturbed run leaves.
Kills that land after the commit are counted apart; the test fails unless
most land before it.

Then NIGHTLY more trials (default 8) kill one command that ingests ten
nightly files in order: the database must hold exactly what it holds
after some prefix of the files (the state after each prefix is taken from
undisturbed runs), never a file applied out of order, and running the
same command again must finish the job.

Exit status 0 when every trial holds, 1 otherwise.
"""
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

TABLES = {
    "dict": "SELECT * FROM dict ORDER BY id",
    "ticket": "SELECT * FROM ticket ORDER BY id",
    "sat_day": "SELECT * FROM sat_day ORDER BY 1, 2, 3, 4",
    "hand_day": "SELECT * FROM hand_day ORDER BY 1, 2, 3, 4",
    "reject": "SELECT * FROM reject ORDER BY id",
    # started_at and finished_at are the clock's
    "ingest_run": "SELECT id, file, size, sha256, encoding, headers, "
                  "extra_headers, status, rows_read, rows_inserted, "
                  "rows_updated, rows_unchanged, rows_rejected, rows_flagged "
                  "FROM ingest_run ORDER BY id",
}


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("check_kill: %s exited %d\n%s" %
                         (cmd[:3], p.returncode, p.stderr))
    return p


def state(db):
    """Every table's rows; a database not yet created, or created with
    no tables, holds the same as one whose tables are empty."""
    empty = {t: [] for t in TABLES}
    if not os.path.exists(db):
        return empty
    con = sqlite3.connect(db)
    try:
        if con.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] \
                == 0:
            return empty
        return {t: con.execute(q).fetchall() for t, q in TABLES.items()}
    finally:
        con.close()


def integrity(db):
    if not os.path.exists(db):
        return "ok"
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def journal_mode(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()


def copy_db(src, dst):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(dst + suffix):
            os.unlink(dst + suffix)
        if src is not None and os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)


def nightly_trials(hotline, work, rng, trials):
    """Kills a multi-file nightly command; returns the failures."""
    data = os.path.join(work, "nightly")
    run([hotline, "sample", "-q", "--out", data, "--scale", "0.02",
         "--no-calibrate", "--years", "2022", "--nightly"])
    files = sorted(os.path.join(data, "nightly", f)
                   for f in os.listdir(os.path.join(data, "nightly")))[:10]
    db = os.path.join(work, "n.db")
    prefixes = []
    copy_db(None, db)
    prefixes.append(state(db))
    for f in files:
        run([hotline, "ingest", "-q", "--db", db, f])
        prefixes.append(state(db))
    cmd = [hotline, "ingest", "-q", "--db", db] + files
    copy_db(None, db)
    t0 = time.monotonic()
    run(cmd)
    took = time.monotonic() - t0
    if state(db) != prefixes[-1]:
        print("check_kill: nightly: one command leaves other data than "
              "the files one by one")
        return 1
    failures = 0
    seen = set()
    for i in range(trials):
        copy_db(None, db)
        delay = rng.uniform(0.02, 0.9) * took
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
        p.wait()
        now = state(db)
        what = "nightly, trial %d, kill after %.3f s" % (i + 1, delay)
        if integrity(db) != "ok":
            failures += 1
            print("check_kill: %s: integrity_check failed" % what)
            continue
        if now not in prefixes:
            failures += 1
            print("check_kill: %s: the database holds no prefix of the "
                  "files" % what)
            continue
        seen.add(prefixes.index(now))
        run(cmd)
        if state(db) != prefixes[-1]:
            failures += 1
            print("check_kill: %s: the rerun did not finish the job" % what)
    print("check_kill: nightly: %d trials of %d files (%.2f s undisturbed), "
          "stopped after prefixes %s, %d failures" %
          (trials, len(files), took, sorted(seen), failures))
    return failures


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    hotline, work = argv[1], argv[2]
    trials = int(argv[3]) if len(argv) > 3 else 24
    rng = random.Random(int(argv[4]) if len(argv) > 4 else 12345)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data = os.path.join(work, "data")
    run([hotline, "sample", "-q", "--out", data, "--scale", "0.02",
         "--no-calibrate", "--years", "2021-2022"])
    f21 = os.path.join(data, "gz12345-2021.csv")
    f22 = os.path.join(data, "gz12345-2022.csv")

    # The databases each situation starts from, and what an undisturbed
    # run leaves.
    one = os.path.join(work, "one-year.db")
    both = os.path.join(work, "both-years.db")
    run([hotline, "ingest", "-q", "--db", one, f21])
    copy_db(one, both)
    run([hotline, "ingest", "-q", "--db", both, f22])
    situations = [
        ("fresh", None, ["--db", "DB", f21]),
        ("on-year", one, ["--db", "DB", f22]),
        ("wal", both, ["--db", "DB", "--force", f21]),
        ("bulk", one, ["--db", "DB", "--bulk", f22]),
    ]
    db = os.path.join(work, "t.db")
    plans = []
    for name, start, args in situations:
        copy_db(start, db)
        before = state(db)
        cmd = [hotline, "ingest", "-q"] + [db if a == "DB" else a
                                           for a in args]
        t0 = time.monotonic()
        run(cmd)
        took = time.monotonic() - t0
        plans.append((name, start, cmd, before, state(db), took))
        print("check_kill: %s: undisturbed run %.2f s" % (name, took))
        mode = journal_mode(db)
        if mode != "wal":
            print("check_kill: %s: left the database in journal mode %s"
                  % (name, mode))
            return 1
    if plans[3][4] != plans[1][4]:
        print("check_kill: --bulk left other data than a load in WAL")
        return 1

    failures = inside = finished = 0
    for i in range(trials):
        name, start, cmd, before, after, took = plans[i % len(plans)]
        copy_db(start, db)
        # The last part of a run is the commit and the exit (long under
        # the sanitizers, which check for leaks then): kills aim before.
        delay = rng.uniform(0.02, 0.7) * took
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        alive = p.poll() is None
        if alive:
            p.send_signal(signal.SIGKILL)
            inside += 1
        p.wait()
        what = "%s, trial %d, kill after %.3f s%s" % (
            name, i + 1, delay, "" if alive else " (already done)")
        ok = integrity(db)
        now = state(db)
        if ok != "ok":
            failures += 1
            print("check_kill: %s: integrity_check: %s" % (what, ok))
        elif now == after:
            finished += 1  # the kill came after the commit
        elif now != before:
            failures += 1
            print("check_kill: %s: the database holds neither what it "
                  "held before the file nor what the file leaves" % what)
        else:
            run(cmd)
            if state(db) != after or integrity(db) != "ok":
                failures += 1
                print("check_kill: %s: the rerun did not finish the job"
                      % what)
    print("check_kill: %d trials, %d killed while running (%d of them after "
          "the commit), %d failures" % (trials, inside, finished, failures))
    # The nightly trials draw from a generator of their own, so that the
    # trials above keep their moments.
    failures += nightly_trials(hotline, work, random.Random(rng.random()),
                               int(argv[5]) if len(argv) > 5 else 8)
    if (inside - finished) * 2 < trials:
        print("check_kill: too few kills landed inside an ingest")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
