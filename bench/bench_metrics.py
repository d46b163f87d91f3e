#!/usr/bin/env python3
"""The whole job, ingest plus the metrics of one year for every district,
with hotline and with the tools an analyst would otherwise use, on the
same generated file, checked to agree.

    bench/bench_metrics.py [--build DIR] [--scale F] [--work DIR] [--keep]
                           [--skip duckdb,pandas,sqlite3]
                           [--baseline DIR] [--repeat N]

Generates 2021 and 2022 (`hotline sample --no-calibrate`, scale 1 by
default: about 2.8 million rows a year) and times, for the 2022 file:

  hotline   ingest --bulk (a batch job: no reader waits on it) into a
            database holding 2021 (loaded first, untimed, for the
            speed-up), then one `hotline metrics --format json`
            for the city, whose `districts` lines give every district
  sqlite3   the sqlite3 shell: .import, then the same figures in SQL
            (bench/metrics.sql)
  pandas    Debian's python3-pandas: read_csv, then the same figures
  duckdb    DuckDB through npm's @duckdb/node-api (bench/duckdb_metrics.mjs,
            installed into bench/node_modules on first use)

The figures compared, per district: tickets, closed, on time, late,
reopened, handled and mean handling hours of 咨询 and the rest, and per
month and class (普通, 重点) the satisfaction answers, the rank among
districts (at least 30 evaluated), the mean rank and the longest run at
rank 1.  Counts must be equal and means and rates agree to 1e-9.  Prints
seconds, peak RSS and the ratios.  Targets (bench/README.md): the whole job at most
2x DuckDB's time, at least 3x faster than the sqlite3 route and 5x than
pandas, at most 64 MB peak RSS.  Needs scripts/setup --bench.

With --baseline, another build's `hotline metrics` (an older commit, say)
computes the city's year on the same database too, --repeat times
interleaved with this build's (default 5); it prints the best of each,
their ratio and the spread of each build's runs, and checks that both
print the same JSON byte for byte.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Timer:
    """Runs commands as children and keeps their total time and the
    largest peak RSS among them."""

    def __init__(self):
        self.seconds = 0.0
        self.rss = 0.0

    def run(self, cmd, cwd=None):
        os.sync()  # what ran before writes its pages out first, untimed
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=cwd)
        out = p.stdout.read()
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        self.seconds += time.monotonic() - t0
        self.rss = max(self.rss, ru.ru_maxrss / 1024.0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.exit("bench_metrics: %s exited %d\n%s" %
                     (cmd[:3], code, err.decode()[-2000:]))
        return out


def rm_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)


# ---- the figures, in one shape for every tool ----
#
# {district: {"tickets", "closed", "on_time", "late", "reopened",
#              "consult_n", "consult_mean", "other_n", "other_mean",
#              "months": {m: {"ordinary": [s, b, u, n, rank],
#                             "key": [...]}},
#              "ordinary_mean_rank", "ordinary_streak",
#              "key_mean_rank", "key_streak"}}


def from_hotline(hotline, db, districts):
    """One run: the city's figures carry every district's line."""
    t = Timer()
    f = json.loads(t.run([hotline, "metrics", "--db", db, "--year", "2022",
                          "--format", "json"]))
    figs = {}
    for e in f["districts"]:
        if e["district"] not in districts:
            continue
        x = {"tickets": e["tickets"],
             "closed": e["on_time_closed"]["denominator"],
             "on_time": e["on_time_closed"]["numerator"],
             "late": e["on_time_closed"]["late"],
             "reopened": e["reopen"]["numerator"],
             "consult_n": e["handling"]["consult"]["n"],
             "consult_mean": e["handling"]["consult"]["mean"],
             "other_n": e["handling"]["other"]["n"],
             "other_mean": e["handling"]["other"]["mean"], "months": {}}
        for c in ("ordinary", "key"):
            for m in e["ranking"][c]["months"]:
                v = [m[k] for k in ("satisfied", "basic", "unsatisfied",
                                    "not_evaluated")] + [m["rank"]]
                if any(v[:4]):
                    x["months"].setdefault(
                        m["month"], {"ordinary": [0, 0, 0, 0, None],
                                     "key": [0, 0, 0, 0, None]})[c] = v
            x[c + "_mean_rank"] = e["ranking"][c]["mean_rank"]
            x[c + "_streak"] = e["ranking"][c]["streak"]["months"]
        figs[e["district"]] = x
    return t, figs


def finish(rows, sat):
    """Figures from per-district rows and monthly satisfaction counts
    [(district, month, key, s, b, u, n)]: ranks, mean ranks, runs."""
    figs = {}
    for r in rows:
        d = r[0]
        figs[d] = {"tickets": r[1], "closed": r[2], "on_time": r[3],
                   "late": r[4], "reopened": r[5], "consult_n": r[6],
                   "consult_mean": r[7] / r[6] / 3600 if r[6] else None,
                   "other_n": r[8],
                   "other_mean": r[9] / r[8] / 3600 if r[8] else None,
                   "months": {}}
    for d, m, key, s, b, u, n in sat:
        c = "key" if key else "ordinary"
        mo = figs[d]["months"].setdefault(m, {"ordinary": [0, 0, 0, 0, None],
                                              "key": [0, 0, 0, 0, None]})
        mo[c][:4] = [s, b, u, n]
    for m in range(1, 13):
        for c in ("ordinary", "key"):
            rated = []
            for d, f in figs.items():
                v = f["months"].get(m, {}).get(c)
                if v and v[0] + v[1] + v[2] >= 30:
                    rated.append((d, (v[0] + v[1]) / (v[0] + v[1] + v[2])))
            for d, r in rated:
                figs[d]["months"][m][c][4] = 1 + sum(1 for _, o in rated
                                                     if o > r)
    for f in figs.values():
        for c in ("ordinary", "key"):
            ranks = [f["months"].get(m, {}).get(c, [0] * 5)[4]
                     for m in range(1, 13)]
            got = [r for r in ranks if r is not None]
            f[c + "_mean_rank"] = sum(got) / len(got) if got else None
            best = run_ = 0
            for r in ranks:
                run_ = run_ + 1 if r == 1 else 0
                best = max(best, run_)
            f[c + "_streak"] = best
    return figs


def from_sqlite3(path, work):
    t = Timer()
    db = os.path.join(work, "import.db")
    rm_db(db)
    t.run(["sqlite3", db, ".mode csv", ".import %s x" % path])
    out = t.run(["sqlite3", "-json", db,
                 ".read %s" % os.path.join(HERE, "metrics.sql")])
    # The shell prints one JSON array per result set.
    dec = json.JSONDecoder()
    text = out.decode()
    sets, i = [], 0
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        v, i = dec.raw_decode(text, i)
        sets.append(v)
    rows = [(r["d"], r["tickets"], r["closed"], r["on_time"], r["late"],
             r["reopened"], r["consult_n"], r["consult_s"] or 0,
             r["other_n"], r["other_s"] or 0) for r in sets[0]]
    sat = [(r["d"], r["m"], r["k"], r["s"], r["b"], r["u"], r["n"])
           for r in sets[1]]
    return t, finish(rows, sat)


PANDAS = r'''
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
def ts(col):
    v = pd.to_datetime(df[col].where(df[col] != ""), format="%Y-%m-%d %H:%M:%S")
    return (v - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)
acc, disp, dl, cl = ts("受理时间"), ts("派单时间"), ts("办理时限"), ts("办结时间")
closed = cl.notna()
start = disp.fillna(acc)
cons = df["诉求类型"] == "咨询"
re = pd.to_numeric(df["重办次数"], errors="coerce").fillna(0)
g = pd.DataFrame({"d": df["所属区"], "closed": closed,
    "on_time": closed & dl.notna() & (cl <= dl),
    "late": closed & dl.notna() & (cl > dl),
    "reopened": closed & (re >= 1),
    "cn": closed & cons, "cs": (cl - start).where(closed & cons, 0),
    "on": closed & ~cons, "os": (cl - start).where(closed & ~cons, 0)})
a = g.groupby("d").agg(tickets=("closed", "size"), closed=("closed", "sum"),
    on_time=("on_time", "sum"), late=("late", "sum"),
    reopened=("reopened", "sum"), cn=("cn", "sum"), cs=("cs", "sum"),
    on=("on", "sum"), os=("os", "sum"))
rows = [[d, int(r.tickets), int(r.closed), int(r.on_time), int(r.late),
         int(r.reopened), int(r.cn), int(r.cs), int(r.on), int(r.os)]
        for d, r in a.iterrows()]
sat = df["满意度"]
s = pd.DataFrame({"d": df["所属区"],
    "m": pd.to_datetime(df["受理时间"]).dt.month,
    "k": (df["是否重点工单"] == "是").astype(int),
    "s": sat == "满意", "b": sat == "基本满意", "u": sat == "不满意",
    "n": ~sat.isin(["满意", "基本满意", "不满意"])})
b = s.groupby(["d", "m", "k"]).sum()
sats = [[d, int(m), int(k), int(r.s), int(r.b), int(r.u), int(r.n)]
        for (d, m, k), r in b.iterrows()]
json.dump({"rows": rows, "sat": sats}, sys.stdout)
'''


def from_pandas(path):
    t = Timer()
    # Debian's python3-pandas belongs to Debian's python3.
    out = t.run(["/usr/bin/python3", "-c", PANDAS, path])
    j = json.loads(out)
    return t, finish([tuple(r) for r in j["rows"]],
                     [tuple(r) for r in j["sat"]])


def from_duckdb(path):
    nm = os.path.join(HERE, "node_modules", "@duckdb", "node-api")
    if not os.path.isdir(nm):
        subprocess.run(["npm", "install", "--no-save", "--prefix", HERE,
                        "@duckdb/node-api"], check=True,
                       stdout=subprocess.DEVNULL)
    t = Timer()
    out = t.run(["node", os.path.join(HERE, "duckdb_metrics.mjs"), path])
    j = json.loads(out)
    return t, finish([tuple(r) for r in j["rows"]],
                     [tuple(r) for r in j["sat"]])


def compare(name, want, got):
    bad = 0
    for d in sorted(set(want) | set(got)):
        w, g = want.get(d), got.get(d)
        if w is None or g is None:
            print("  %s: district %s only on one side" % (name, d))
            bad += 1
            continue
        for k, v in w.items():
            if k == "months":
                for m, mv in v.items():
                    if g["months"].get(m) != mv:
                        print("  %s: %s month %d: %r, hotline %r"
                              % (name, d, m, g["months"].get(m), mv))
                        bad += 1
            elif isinstance(v, float) or isinstance(g[k], float):
                if v is None or g[k] is None or \
                        abs(v - g[k]) > 1e-9 * max(1, abs(v)):
                    if not (v is None and g[k] is None):
                        print("  %s: %s %s: %r, hotline %r"
                              % (name, d, k, g[k], v))
                        bad += 1
            elif v != g[k]:
                print("  %s: %s %s: %r, hotline %r" % (name, d, k, g[k], v))
                bad += 1
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--scale", default="1")
    ap.add_argument("--work", default=None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--skip", default="")
    ap.add_argument("--baseline", default=None,
                    help="another build directory to compare with")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    skip = set(a.skip.split(",")) if a.skip else set()
    hotline = os.path.abspath(os.path.join(a.build, "cli", "hotline"))
    work = a.work or tempfile.mkdtemp(prefix="hl-bench-metrics-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    if not os.path.exists(os.path.join(data, "manifest.json")):
        subprocess.run([hotline, "sample", "-q", "--no-calibrate", "--scale",
                        a.scale, "--years", "2021-2022", "--out", data],
                       check=True)
    f21 = os.path.join(data, "gz12345-2021.csv")
    f22 = os.path.join(data, "gz12345-2022.csv")
    m = json.load(open(os.path.join(data, "manifest.json")))
    districts = sorted(m["figures"])
    n22 = [f["rows"] for f in m["files"] if f["name"].endswith("2022.csv")][0]
    print("file: %s, %d rows, %.0f MB" % (f22, n22,
                                          os.path.getsize(f22) / 1e6))

    db = os.path.join(work, "hotline.db")
    rm_db(db)
    subprocess.run([hotline, "ingest", "-q", "--db", db, f21], check=True)
    ht = Timer()
    ht.run([hotline, "ingest", "-q", "--bulk", "--db", db, f22])
    ingest_s = ht.seconds
    mt, want = from_hotline(hotline, db, districts)
    ht.seconds += mt.seconds
    ht.rss = max(ht.rss, mt.rss)
    results = [("hotline", ht, 0)]
    for name, fn in (("sqlite3", lambda: from_sqlite3(f22, work)),
                     ("pandas", lambda: from_pandas(f22)),
                     ("duckdb", lambda: from_duckdb(f22))):
        if name in skip:
            continue
        t, figs = fn()
        results.append((name, t, compare(name, want, figs)))
    print()
    for name, t, bad in results:
        print("%-8s %8.2f s  peak RSS %7.1f MB  %s" %
              (name, t.seconds, t.rss,
               "figures as hotline's" if name == "hotline" or not bad
               else "%d DIFFERENCES" % bad))
    print("         (hotline: ingest %.2f s, metrics %.2f s)"
          % (ingest_s, mt.seconds))
    base = {name: t.seconds for name, t, _ in results}
    print()
    for name in ("duckdb", "sqlite3", "pandas"):
        if name in base:
            print("hotline / %-8s time ratio %.2f (%s is %.2fx hotline's "
                  "time)" % (name, base["hotline"] / base[name], name,
                             base[name] / base["hotline"]))
    h = base["hotline"]
    ok = [("<= 2x DuckDB's time", "duckdb", lambda o: h <= 2 * o),
          (">= 3x faster than sqlite3", "sqlite3", lambda o: o >= 3 * h),
          (">= 5x faster than pandas", "pandas", lambda o: o >= 5 * h)]
    print()
    print("targets: " + ", ".join(
        "%s %s" % (what, "met" if test(base[name]) else "MISSED")
        for what, name, test in ok if name in base) +
        ", peak RSS <= 64 MB %s" % ("met" if ht.rss <= 64 else "MISSED"))
    same = True
    if a.baseline:
        same = against_baseline(hotline, os.path.abspath(
            os.path.join(a.baseline, "cli", "hotline")), db, a.repeat)
    if not a.keep and a.work is None:
        shutil.rmtree(work)
    return 1 if any(bad for _, _, bad in results) or not same else 0


def against_baseline(hotline, old, db, repeat):
    """The city's year by this build and by the baseline's, interleaved:
    the best time of each, their ratio, the spread of each build's runs,
    and whether both print the same JSON.  Returns that last."""
    cmd = ["metrics", "--db", db, "--year", "2022", "--format", "json"]
    times = {hotline: [], old: []}
    out = {}
    for _ in range(repeat):
        for h in (hotline, old):
            t = Timer()
            out[h] = t.run([h] + cmd)
            times[h].append(t.seconds)
    new, was = min(times[hotline]), min(times[old])
    print()
    print("against the baseline build: metrics of the city's year %.2f s "
          "vs %.2f s, x%.3f; spread %.1f%% / %.1f%% (slowest run over "
          "fastest, of %d each); JSON %s"
          % (new, was, new / was,
             (max(times[hotline]) / new - 1) * 100,
             (max(times[old]) / was - 1) * 100, repeat,
             "byte for byte the same" if out[hotline] == out[old]
             else "DIFFERENT"))
    return out[hotline] == out[old]


if __name__ == "__main__":
    sys.exit(main())
