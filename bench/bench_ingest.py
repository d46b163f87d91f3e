#!/usr/bin/env python3
"""How fast `hotline ingest` loads a city-year export, against baselines
measured in the same run on the same file.

    bench/bench_ingest.py [--build DIR] [--scale F] [--work DIR] [--keep]
                          [--repeat N] [--baseline DIR]

Generates two city years (2021, 2022) with `hotline sample --no-calibrate`
at the scale given (default 1: about 2.8 million rows, 1 GB a year) and
measures, each as the best of --repeat runs (interleaved):

  parse ceilings   bench_parse: libcsv alone, hotline's reader, the reader
                   plus the parse thread (mapping, dates, hashing)
  .import          the sqlite3 shell's `.import` of the 2022 file into a
                   new database (text columns, no validation, no upsert)
  fresh            hotline ingest of the 2022 file into a new database
  on a year        hotline ingest of the 2022 file into a database that
                   already holds 2021 (a copy of one loaded once), in WAL
                   so that readers keep working
  on a year --bulk the same with --bulk: a rollback journal, readers wait
  nightly          hotline ingest of one day's export (2022-06-15, from
                   --nightly) into the database holding both years

and prints seconds, rows/s, MB/s, peak RSS and the ratios to .import.
With --baseline, another build's hotline (an older commit, say) runs
each ingest pass too, interleaved with this one's, and each pass prints
the ratio of the two times and the spread of each build's runs.
Targets (bench/README.md): fresh >= 1.0x and on a year >= 0.8x .import's rows/s
(either way of loading on a year is reported against the latter),
peak RSS <= 64 MB.  Needs the sqlite3 shell (scripts/setup --bench).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def run(cmd, **kw):
    """Runs cmd; returns (seconds, peak RSS in MB) of that process.  The
    writes of what ran before land first, so that no run pays for
    another's."""
    os.sync()
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, **kw)
    _, status, ru = os.wait4(p.pid, 0)
    t = time.monotonic() - t0
    err = p.stderr.read().decode()
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("bench_ingest: %s exited %d\n%s" % (cmd[:3], code, err))
    return t, ru.ru_maxrss / 1024.0


def rm_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--scale", default="1")
    ap.add_argument("--work", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--baseline", default=None,
                    help="another build directory to compare with")
    a = ap.parse_args()
    hotline = os.path.join(a.build, "cli", "hotline")
    bench_parse = os.path.join(a.build, "bench", "bench_parse")
    if shutil.which("sqlite3") is None:
        sys.exit("bench_ingest: no sqlite3 shell; run scripts/setup --bench")
    work = a.work or tempfile.mkdtemp(prefix="hl-bench-ingest-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    nightly = os.path.join(work, "nightly")
    gen = [hotline, "sample", "-q", "--no-calibrate", "--scale", a.scale,
           "--years", "2021-2022"]
    if not os.path.exists(os.path.join(data, "manifest.json")):
        run(gen + ["--out", data])
    if not os.path.exists(os.path.join(nightly, "manifest.json")):
        run(gen + ["--out", nightly, "--nightly"])
    m = json.load(open(os.path.join(data, "manifest.json")))
    rows = {f["name"]: f["rows"] for f in m["files"]}
    f21 = os.path.join(data, "gz12345-2021.csv")
    f22 = os.path.join(data, "gz12345-2022.csv")
    day = [f["name"] for f in json.load(open(os.path.join(
        nightly, "manifest.json")))["files"] if "20220615" in f["name"]][0]
    fday = os.path.join(nightly, day)
    n22 = rows["gz12345-2022.csv"]
    mb22 = os.path.getsize(f22) / 1e6
    print("file: %s, %d rows, %.0f MB; best of %d runs each"
          % (f22, n22, mb22, a.repeat))
    print()
    sys.stdout.flush()
    subprocess.run([bench_parse, f22], check=True)
    print()

    db = os.path.join(work, "t.db")

    def import_fresh():
        rm_db(db)
        return run(["sqlite3", db, ".mode csv", ".import %s x" % f22])

    def ingest_fresh(h=hotline):
        rm_db(db)
        return run([h, "ingest", "-q", "--db", db, f22])

    base = os.path.join(work, "t21.db")
    if not os.path.exists(base):
        run([hotline, "ingest", "-q", "--db", base, f21])

    def ingest_on_year(*opts, h=hotline):
        rm_db(db)
        shutil.copyfile(base, db)
        return run([h, "ingest", "-q", "--db", db] + list(opts) + [f22])

    def ingest_nightly(h=hotline):
        return run([h, "ingest", "-q", "--force", "--db", db, fday])

    old = (os.path.join(a.baseline, "cli", "hotline") if a.baseline
           else None)
    olds = {k: [] for k in ("fresh", "year", "bulk", "night")}

    # Interleaved, so that a slow minute of the machine hits every
    # contender alike; the best of each is kept.
    keys = ("imp", "fresh", "year", "bulk", "night")
    runs = {k: [] for k in keys}
    for _ in range(a.repeat):
        runs["imp"].append(import_fresh())
        runs["fresh"].append(ingest_fresh())
        runs["year"].append(ingest_on_year())
        runs["bulk"].append(ingest_on_year("--bulk"))
        runs["night"].append(ingest_nightly())
        if old:
            olds["fresh"].append(ingest_fresh(old))
            olds["year"].append(ingest_on_year(h=old))
            olds["bulk"].append(ingest_on_year("--bulk", h=old))
            olds["night"].append(ingest_nightly(old))
    imp, fresh, year, bulk, night = (min(runs[k], key=lambda r: r[0])
                                     for k in keys)
    nday = sum(1 for _ in open(fday, "rb")) - 1

    def line(name, r, n, mb):
        print("%-26s %7.2f s %9.0f rows/s %7.1f MB/s  RSS %5.1f MB"
              "  x%.2f of .import's rows/s"
              % (name, r[0], n / r[0], mb / r[0], r[1],
                 imp[0] / r[0] * n / n22))
    line("sqlite3 .import (fresh)", imp, n22, mb22)
    line("hotline ingest (fresh)", fresh, n22, mb22)
    line("hotline ingest (on a year)", year, n22, mb22)
    line("  the same, --bulk", bulk, n22, mb22)
    print("%-26s %7.2f s for one day's file (%d lines, %.1f MB), RSS %.1f MB"
          % ("hotline ingest (nightly)", night[0], nday,
             os.path.getsize(fday) / 1e6, night[1]))
    print()
    ok = (imp[0] / fresh[0] >= 1.0, imp[0] / year[0] >= 0.8,
          imp[0] / bulk[0] >= 0.8,
          max(fresh[1], year[1], bulk[1], night[1]) <= 64)
    print("targets: fresh >= 1.0x %s, on a year >= 0.8x: in WAL %s, "
          "--bulk %s; RSS <= 64 MB %s"
          % tuple("met" if x else "MISSED" for x in ok))
    if old:
        against_baseline(runs, olds, a.baseline)
    if not a.keep and a.work is None:
        shutil.rmtree(work)


def spread(rs):
    """How far the slowest of runs rs is from the fastest, in %."""
    ts = [r[0] for r in rs]
    return (max(ts) / min(ts) - 1) * 100


def against_baseline(runs, olds, name):
    """Each pass's best time against the baseline build's, with the
    spread of each build's runs: a ratio within the spreads is noise."""
    print()
    print("against the baseline build %s (time ratio: this / baseline; "
          "spread: slowest run over fastest)" % name)
    for k, label in (("fresh", "fresh"), ("year", "on a year"),
                     ("bulk", "on a year --bulk"), ("night", "nightly")):
        new = min(t for t, _ in runs[k])
        was = min(t for t, _ in olds[k])
        print("  %-18s %7.2f s vs %7.2f s  x%.3f  spread %4.1f%% / %4.1f%%"
              % (label, new, was, new / was, spread(runs[k]),
                 spread(olds[k])))


if __name__ == "__main__":
    main()
