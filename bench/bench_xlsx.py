#!/usr/bin/python3
"""How fast `hotline ingest` reads a workbook, against the same rows as CSV
and against pandas' read_excel, in the same run on the same machine.

    bench/bench_xlsx.py [--build DIR] [--rows N[,N...]] [--work DIR]
                        [--repeat N] [--skip-pandas]

For each size (default 100000 and 245000 rows: a district's year), takes
that many rows of a generated city year (`hotline sample --no-calibrate`),
writes them as CSV, as an .xlsx the way Excel writes one (python3-
xlsxwriter: a title row, date cells, text as shared strings) and as
openpyxl writes one (inline strings, non-ASCII text as character
references: three times the XML), and times, best of --repeat runs
(default 3), interleaved:

  csv        hotline ingest of the CSV into a new database
  xlsx       hotline ingest of the Excel-like workbook
  inline     hotline ingest of openpyxl's workbook
  pandas     read_excel of the Excel-like workbook (Debian's
             python3-pandas with python3-openpyxl), reading alone,
             nothing checked or stored

and prints rows/s, peak RSS and the ratios.  Targets (issue 13), for the
Excel-like workbook: at least 0.5x the rows/s of the same rows as CSV,
at least 10x faster than read_excel, peak RSS at most 64 MB.  Run with
Debian's python3 (the writers and pandas it has); scripts/setup --bench
installs them.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "tools"))
import check_xlsx  # noqa: E402  (the CSV-to-workbook writer of the tests)


def run(cmd):
    """Seconds and peak RSS in MB of cmd.  The RSS is /usr/bin/time's: a
    child's own rusage counts this process's memory (openpyxl's) until it
    execs."""
    os.sync()
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = time.monotonic() - t0
    err = p.stderr.decode()
    if p.returncode not in (0, 1):
        sys.exit("bench_xlsx: %s failed\n%s" % (cmd[:3], err))
    return t, int(err.strip().splitlines()[-1]) / 1024.0


def head(src, dst, n):
    with open(src, encoding="utf-8-sig", newline="") as f, \
            open(dst, "w", encoding="utf-8", newline="") as g:
        w = csv.writer(g)
        for i, row in enumerate(csv.reader(f)):
            if i > n:
                break
            w.writerow(row)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for opt, default in (("--build", "build"), ("--rows", "100000,245000"),
                         ("--work", None)):
        ap.add_argument(opt, default=default)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-pandas", action="store_true")
    a = ap.parse_args()
    hotline = os.path.abspath(os.path.join(a.build, "cli", "hotline"))
    work = a.work or tempfile.mkdtemp(prefix="hl-bench-xlsx-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    if not os.path.exists(os.path.join(data, "manifest.json")):
        subprocess.run([hotline, "sample", "-q", "--no-calibrate",
                        "--scale", "0.1", "--years", "2022", "--out", data],
                       check=True)
    big = os.path.join(data, "gz12345-2022.csv")
    db = os.path.join(work, "t.db")
    for n in (int(x) for x in a.rows.split(",")):
        src = os.path.join(work, "rows-%d.csv" % n)
        book = os.path.join(work, "rows-%d.xlsx" % n)
        inline = os.path.join(work, "rows-%d-inline.xlsx" % n)
        if not os.path.exists(inline):
            head(big, src, n)
            check_xlsx.to_xlsx_shared(src, book)
            check_xlsx.to_xlsx(src, inline)
        runs = {"csv": [], "xlsx": [], "inline": [], "pandas": []}
        for _ in range(a.repeat):
            for k, f in (("csv", src), ("xlsx", book), ("inline", inline)):
                for s in ("", "-wal", "-shm"):
                    if os.path.exists(db + s):
                        os.unlink(db + s)
                runs[k].append(run([hotline, "ingest", "-q", "--db", db,
                                    f]))
            if not a.skip_pandas:
                runs["pandas"].append(run(
                    ["/usr/bin/python3", "-c",
                     "import pandas, sys; pandas.read_excel(sys.argv[1])",
                     book]))
        best = {k: min(v) for k, v in runs.items() if v}
        print("%d rows: CSV %.1f MB, .xlsx %.1f MB (openpyxl's %.1f MB)" % (
            n, os.path.getsize(src) / 1e6, os.path.getsize(book) / 1e6,
            os.path.getsize(inline) / 1e6))
        for k, (t, rss) in best.items():
            print("  %-7s %7.2f s %9.0f rows/s  peak RSS %6.1f MB"
                  % (k, t, n / t, rss))
        x = best["xlsx"][0]
        line = "  xlsx: %.2fx the rows/s of CSV (target >= 0.5x)" % (
            best["csv"][0] / x)
        if "pandas" in best:
            line += ", %.1fx faster than read_excel (target >= 10x)" % (
                best["pandas"][0] / x)
        line += ", peak RSS %.1f MB (target <= 64 MB)" % best["xlsx"][1]
        print(line)
        print("  inline strings: %.2fx the rows/s of CSV" % (
            best["csv"][0] / best["inline"][0]))
    if a.work is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
