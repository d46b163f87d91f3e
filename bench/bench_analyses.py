#!/usr/bin/python3
"""How fast `hotline metrics` computes a district's figures for any period,
and what topics and repeat calls add, on a database of two city years.

    bench/bench_analyses.py [--build DIR] [--scale F] [--work DIR]
                            [--repeat N] [--district NAME] [--keep]

Generates 2021 and 2022 with `hotline sample --plant analyses
--no-calibrate` at --scale (default 1: a full-scale city, about 2.8
million rows a year, with topics, caller numbers and quotes), ingests both
into one database (reused from --work when there), and times, best of
--repeat runs (default 3), interleaved, `hotline metrics --format json`
for --district (default 荔湾区):

  month          2022-06, calendar months (the baseline: a month today)
  month-19       2022-06 with [period] month_start_day = 19
  quarter        2022-Q2
  days           --from 2022-03-05 --to 2022-04-20
  year-plain     2022 with [topics] and [repeats] enabled = no
  year-quotes    2022 with topics and repeat calls by quote only
                 ([repeats] caller_days = 0: an export without 来电号码)
  year           2022 with topics and repeat calls (every ticket of the
                 plant has a caller number)

Targets (issue 16): any period under 0.5 s and no slower than the month;
topics and repeats add at most half again to the district-year
(year / year-plain <= 1.5).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time


def run(cmd):
    os.sync()
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("bench_analyses: %s failed\n%s" %
                 (" ".join(cmd[:4]), p.stderr.decode()))
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--scale", default="1")
    ap.add_argument("--work", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--district", default="荔湾区")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    hotline = os.path.abspath(os.path.join(a.build, "cli", "hotline"))
    work = a.work or tempfile.mkdtemp(prefix="hl-bench-analyses-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    db = os.path.join(work, "two-years.db")
    if not os.path.exists(os.path.join(data, "manifest.json")):
        t = run([hotline, "sample", "-q", "--plant", "analyses",
                 "--no-calibrate", "--scale", a.scale, "--out", data])
        print("generated 2021-2022 at scale %s in %.1f s" % (a.scale, t))
    if not os.path.exists(db):
        t = run([hotline, "ingest", "-q", "--bulk", "--db", db,
                 os.path.join(data, "gz12345-2021.csv"),
                 os.path.join(data, "gz12345-2022.csv")])
        print("ingested both years in %.1f s" % t)
    profiles = {}
    for name, text in (("plain", "[topics]\nenabled = no\n[repeats]\n"
                        "enabled = no\n"),
                       ("all", ""),
                       ("quotes", "[repeats]\ncaller_days = 0\n"),
                       ("day19", "[period]\nmonth_start_day = 19\n")):
        profiles[name] = os.path.join(work, name + ".ini")
        with open(profiles[name], "w") as f:
            f.write(text)
    base = [hotline, "metrics", "--db", db, "--format", "json",
            "--district", a.district]
    cases = [
        ("month", ["--month", "2022-06", "--profile", profiles["all"]]),
        ("month-19", ["--month", "2022-06", "--profile", profiles["day19"]]),
        ("quarter", ["--period", "2022-Q2", "--profile", profiles["all"]]),
        ("days", ["--from", "2022-03-05", "--to", "2022-04-20",
                  "--profile", profiles["all"]]),
        ("year-plain", ["--year", "2022", "--profile", profiles["plain"]]),
        ("year-quotes", ["--year", "2022", "--profile", profiles["quotes"]]),
        ("year", ["--year", "2022", "--profile", profiles["all"]]),
    ]
    best = {}
    for _ in range(a.repeat):
        for name, args in cases:
            t = run(base + args)
            best[name] = min(best.get(name, t), t)
    print("%-12s %8s %8s" % ("case", "seconds", "vs month"))
    for name, _ in cases:
        print("%-12s %8.3f %7.2fx" % (name, best[name],
                                      best[name] / best["month"]))
    print("topics and repeats on the district-year: %.2fx the plain "
          "figures (target <= 1.5x); by quote only: %.2fx" %
          (best["year"] / best["year-plain"],
           best["year-quotes"] / best["year-plain"]))
    print("slowest period: %.3f s (target < 0.5 s)" %
          max(best[n] for n in ("month", "month-19", "quarter", "days")))
    if not a.work and not a.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
