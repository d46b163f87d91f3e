#!/usr/bin/python3
"""How fast hotline loads and reads PostgreSQL, against psql's \\copy of
the same file, in the same run on the same machine.

    bench/bench_pg.py [--build DIR] [--scale F] [--work DIR] [--repeat N]
                      [--shared-buffers SIZE]

Starts a throwaway postgresql-15 (tests/tools/pg_server.py: a Unix
socket, fsync off as in the tests), generates two city years at --scale
(default 1.0: a full-scale city year) with `hotline sample
--no-calibrate`, and times, best of --repeat runs (default 1):

  copy      psql \\copy of the first year's CSV into a table of one text
            column: the floor any loader pays
  ingest    hotline ingest of the same file into an empty database
  floor     psql \\copy of the rows that ingest stored (the ticket table
            dumped with \\copy ... TO) into the ticket table of another
            empty database, with its indexes, then the VACUUM (ANALYZE)
            that ingest ends with: what any loader that keeps the
            ticket table's indexes up to date pays, however fast it
            reads the file
  rebuilt   the same rows into the ticket table stripped of every
            index (its keys' too), then the indexes built from their
            definitions and the VACUUM (ANALYZE): what a first load that
            built the indexes at its end, as pg_restore does, would pay
  nightly   hotline ingest of a day of new tickets (2022-06-15's rows of
            the second year under new ticket IDs, a new ID prefix each
            run) into the database holding both years, after the
            metrics
  metrics   hotline metrics --format json of one district's year on a
            database holding both years, on the server as started (128 MB
            of shared buffers), then restarted as a city's server would
            be set up: --shared-buffers (default 1GB), and huge pages
            when the system has some reserved (vm.nr_hugepages; the
            server's huge_pages = try takes them).  Each hotline run is a
            new connection, which without huge pages maps each 4 KiB of
            the shared buffers it touches on its first touch.

and prints the times, hotline's peak RSS and the ratios.  Targets (issue
15): ingest at least 0.5x the speed of the copy, one district-year's
figures in under 1 s on two city years, hotline's peak RSS at most 64 MB.
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
import pg_server  # noqa: E402


def timed(cmd, env=None):
    """Seconds and peak RSS in MB of cmd (/usr/bin/time's)."""
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    t = time.monotonic() - t0
    if p.returncode not in (0, 1):
        sys.exit("bench_pg: %s failed\n%s" % (cmd[:3], p.stderr))
    return t, int(p.stderr.strip().splitlines()[-1]) / 1024.0


def one_day(src, day):
    """The header of src and its rows accepted on day."""
    with open(src, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        head = next(r)
        acc = head.index("受理时间")
        return head, [row for row in r if row[acc].startswith(day)]


def new_day(head, rows, dst, prefix):
    """rows under head into dst, their ticket IDs prefixed."""
    tid = head.index("工单编号")
    with open(dst, "w", encoding="utf-8", newline="") as g:
        w = csv.writer(g)
        w.writerow(head)
        for row in rows:
            w.writerow(row[:tid] + [prefix + row[tid]] + row[tid + 1:])


def hugepages():
    """What /proc/meminfo says of huge pages, in a few words."""
    info = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, _, v = line.partition(":")
            info[k] = v.split()[0]
    total, rsvd = int(info.get("HugePages_Total", 0)), int(
        info.get("HugePages_Rsvd", 0))
    free = int(info.get("HugePages_Free", 0))
    if total == 0:
        return "no huge pages (vm.nr_hugepages = 0)"
    return "huge pages: %d of the system's %d taken" % (total - free + rsvd,
                                                      total)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--scale", default="1.0")
    ap.add_argument("--work")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--shared-buffers", default="1GB")
    a = ap.parse_args()
    hotline = os.path.abspath(os.path.join(a.build, "cli", "hotline"))
    work = a.work or tempfile.mkdtemp(prefix="hl-bench-pg-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data-%s" % a.scale)
    if not os.path.exists(os.path.join(data, "manifest.json")):
        subprocess.run([hotline, "sample", "-q", "--no-calibrate",
                        "--scale", a.scale, "--years", "2021-2022", "--out",
                        data], check=True)
    y1 = os.path.join(data, "gz12345-2021.csv")
    y2 = os.path.join(data, "gz12345-2022.csv")
    rows = sum(1 for _ in open(y1, "rb")) - 1
    with pg_server.Server() as pg:
        best = {"copy": None, "ingest": None}
        for k in range(a.repeat):
            uri = pg.createdb("load%d" % k)
            pg.psql("load%d" % k, "CREATE TABLE raw (line text)")
            t0 = time.monotonic()
            subprocess.run(["/usr/bin/psql", uri, "-Xqc",
                            "\\copy raw FROM '%s' WITH (FORMAT text, "
                            "DELIMITER E'\\x01')" % y1], check=True)
            c = time.monotonic() - t0
            i = timed([hotline, "ingest", "-q", "--db", uri, y1])
            if best["copy"] is None or c < best["copy"]:
                best["copy"] = c
            if best["ingest"] is None or i[0] < best["ingest"][0]:
                best["ingest"] = i
        dump = os.path.join(work, "tickets.copy")
        pg.psql("load0", "\\copy ticket TO '%s'" % dump)
        floor = None
        for k in range(a.repeat):
            uri = pg.createdb("floor%d" % k)
            subprocess.run([hotline, "ingest", "-q", "--db", uri,
                            "/dev/null"], stderr=subprocess.DEVNULL)
            t0 = time.monotonic()
            subprocess.run(["/usr/bin/psql", uri, "-Xqc",
                            "\\copy ticket FROM '%s'" % dump, "-c",
                            "VACUUM (ANALYZE, PARALLEL 0) ticket"], check=True)
            f = time.monotonic() - t0
            floor = f if floor is None else min(floor, f)
        # The same rows copied into the ticket table with no index, the
        # indexes (its keys' included) then built as pg_restore builds
        # them: what a first load that rebuilt them at its end would pay.
        rebuild = None
        for k in range(a.repeat):
            db = "rebuild%d" % k
            uri = pg.createdb(db)
            subprocess.run([hotline, "ingest", "-q", "--db", uri,
                            "/dev/null"], stderr=subprocess.DEVNULL)
            defs = pg.psql(db, "SELECT indexdef FROM pg_indexes WHERE "
                           "tablename = 'ticket' ORDER BY indexname")
            defs = [d for d in defs.splitlines() if d]
            pg.psql(db, "ALTER TABLE ticket DROP CONSTRAINT ticket_pkey, "
                    "DROP CONSTRAINT ticket_ticket_id_key")
            for d in defs:
                name = d.split(" INDEX ")[1].split(" ON ")[0]
                pg.psql(db, "DROP INDEX IF EXISTS %s" % name)
            t0 = time.monotonic()
            subprocess.run(["/usr/bin/psql", uri, "-Xq", "-c",
                            "\\copy ticket FROM '%s'" % dump] +
                           sum((["-c", d] for d in defs), []) +
                           ["-c", "VACUUM (ANALYZE, PARALLEL 0) ticket"],
                           check=True)
            f = time.monotonic() - t0
            rebuild = f if rebuild is None else min(rebuild, f)
        os.remove(dump)
        uri = pg.createdb("years")
        both = timed([hotline, "ingest", "-q", "--db", uri, y1, y2])
        figures = [hotline, "metrics", "--db", uri, "--year", "2022",
                   "--district", "荔湾区", "--format", "json"]
        m = min(timed(figures) for _ in range(max(3, a.repeat)))
        # The same on the server as a city would run it: shared buffers
        # that hold the period's index pages, and huge pages for them
        # when the system has any (huge_pages = try, the default), so that
        # a new connection does not fault in each 4 KiB page it touches.
        pg.restart("-c shared_buffers=%s" % a.shared_buffers)
        timed(figures)  # the first run reads the pages into the buffers
        tuned = min(timed(figures) for _ in range(max(3, a.repeat)))
        huge = hugepages()
        night = None
        head, day_rows = one_day(y2, "2022-06-15")
        day, n = os.path.join(work, "night.csv"), len(day_rows)
        for k in range(max(3, a.repeat)):
            new_day(head, day_rows, day, "N%d" % k)
            t = timed([hotline, "ingest", "-q", "--db", uri, day])
            night = t if night is None or t[0] < night[0] else night
        os.remove(day)
    print("scale %s: %d rows a year, %.1f MB CSV" % (
        a.scale, rows, os.path.getsize(y1) / 1e6))
    c, (i, rss) = best["copy"], best["ingest"]
    print("  copy     %7.2f s %9.0f rows/s  (psql \\copy, one text column)"
          % (c, rows / c))
    print("  ingest   %7.2f s %9.0f rows/s  peak RSS %5.1f MB"
          % (i, rows / i, rss))
    print("  floor    %7.2f s %9.0f rows/s  (psql \\copy of the stored "
          "rows into the indexed ticket table)" % (floor, rows / floor))
    print("  rebuilt  %7.2f s %9.0f rows/s  (the same into the table "
          "with no index, then its indexes built)" % (rebuild,
                                                       rows / rebuild))
    print("  two years ingested in %.2f s, peak RSS %.1f MB"
          % (both[0], both[1]))
    print("  nightly  %7.2f s  (%d new tickets into both years), peak RSS "
          "%.1f MB" % (night[0], n, night[1]))
    print("  metrics  %7.2f s  (one district-year, two city years held), "
          "peak RSS %.1f MB" % m)
    print("  metrics  %7.2f s  with shared_buffers = %s, %s"
          % (tuned[0], a.shared_buffers, huge))
    print("  floor: %.2fx the speed of psql \\copy; rebuilt %.2fx; "
          "ingest %.2fx the floor's" % (c / floor, c / rebuild, floor / i))
    print("  ingest: %.2fx the speed of psql \\copy (target >= 0.5x); "
          "metrics %.2f s, tuned %.2f s (target < 1 s); peak RSS %.1f MB "
          "(target <= 64 MB)" % (c / i, m[0], tuned[0],
                                 max(rss, both[1], m[1], tuned[1], night[1])))
    if a.work is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
