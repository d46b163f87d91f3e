#!/usr/bin/env python3
"""`hotline metrics` against the figures the sample generator planted.

    check_metrics.py HOTLINE WORK_DIR [generator options...]
    check_metrics.py HOTLINE WORK_DIR --data DIR [--rank-min N]

Generates a data set with the options given (or takes DIR, e.g. the
hand-made tests/data/verify-mini), ingests it, and for every district and
year of its manifest runs `hotline metrics --format json` (and for every
year the city's figures, whose line for each district must say the
same) and compares:
tickets, closed, on time, late, reopened, handling-time counts and means
of 咨询 and the rest, the speed-ups, and every month's tickets,
satisfaction answers of ordinary and key tickets, ranks, the mean rank and
the longest run at rank 1.  The manifest's figures are the generator's
own; tests/tools/verify_sample.py recomputes them independently from the
CSV.  Counts must be equal, rates and means equal to 1e-9.

For the default options it also checks the published targets, as the
annual report will show them: 24.5万余宗, 99.99 %, 60.93 %, 47.55 %,
mean rank 4, 9 months at rank 1.

Exit status 0 when everything agrees, 1 otherwise.
"""
import json
import os
import shutil
import subprocess
import sys

FAILS = []


def fail(msg):
    FAILS.append(msg)
    if len(FAILS) <= 30:
        print("check_metrics: " + msg)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0 or "runtime error:" in p.stderr:
        raise SystemExit("check_metrics: %s exited %d\n%s" %
                         (cmd[1:3], p.returncode, p.stderr))
    return p.stdout


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def same(where, what, want, got, exact=True):
    ok = want == got if exact else close(want, got)
    if not ok:
        fail("%s: %s is %r, the manifest says %r" % (where, what, got, want))


# The satisfaction answers: hotline's name, the manifest's.
ANSWERS = (("satisfied", "satisfied"), ("basic", "basic"),
           ("unsatisfied", "unsatisfied"), ("not_evaluated", "unevaluated"))


def check_totals(w, f, want):
    """What a district's own figures and its line in the city's share."""
    same(w, "tickets", want["tickets"], f["tickets"])
    same(w, "closed", want["closed"], f["on_time"]["denominator"])
    same(w, "on time", want["on_time"], f["on_time"]["numerator"])
    same(w, "late", want["late"], f["on_time"]["late"])
    same(w, "reopened", want["reopened"], f["reopen"]["numerator"])
    for cls in ("consult", "other"):
        h, hw = f["handling"][cls], want["handling"][cls]
        same(w, cls + " handled", hw["n"], h["n"])
        if hw["n"]:
            same(w, cls + " mean hours", hw["seconds"] / hw["n"] / 3600,
                 h["mean"], exact=False)
        sp = want.get("speedup_pct", {}).get(cls)
        if "speedup_pct" in want:
            same(w, cls + " speed-up", sp, h["speedup_pct"], exact=False)
    for cls in ("ordinary", "key"):
        r = f["ranking"][cls]
        same(w, cls + " mean rank", want[cls]["mean_rank"], r["mean_rank"],
             exact=False)
        same(w, cls + " run at rank 1", want[cls]["rank1_streak"],
             r["streak"]["months"])


def check_district_year(hotline, db, profile, d, y, want):
    out = run([hotline, "metrics", "--db", db, "--year", str(y),
               "--district", d, "--format", "json", "--profile", profile])
    f = json.loads(out)
    w = "%s %s" % (d, y)
    check_totals(w, f, want)
    months = {m["month"]: m for m in f["months"]}
    for wm in want["months"]:
        m = months[wm["month"]]
        wmo = "%s-%02d" % (w, wm["month"])
        same(wmo, "tickets", wm["tickets"], m["tickets"])
        for cls in ("ordinary", "key"):
            s, ws = m["satisfaction"][cls], wm[cls]
            for k, mk in ANSWERS:
                same(wmo, "%s %s" % (cls, k), ws[mk], s[k])
            same(wmo, cls + " rank", ws["rank"], m["rank"][cls])
    for mo in months:
        if months[mo]["tickets"] and mo not in {m["month"]
                                                for m in want["months"]}:
            fail("%s-%02d: %d tickets where the manifest has none"
                 % (w, mo, months[mo]["tickets"]))
    return f


def check_city_year(hotline, db, profile, y, wants):
    """The city's figures of year y, in one run, side by side by
    district: each district's line against the manifest."""
    out = run([hotline, "metrics", "--db", db, "--year", str(y),
               "--format", "json", "--profile", profile])
    lines = {e["district"]: e for e in json.loads(out)["districts"]}
    for d, want in sorted(wants.items()):
        w = "city %s, %s" % (y, d)
        if d not in lines:
            fail("%s: no line" % w)
            continue
        e = lines.pop(d)
        check_totals(w, e, want)
        for cls in ("ordinary", "key"):
            rm = {m["month"]: m for m in e["ranking"][cls]["months"]}
            for wm in want["months"]:
                ws, m = wm[cls], rm[wm["month"]]
                wmo = "%s-%02d %s" % (w, wm["month"], cls)
                for k, mk in ANSWERS:
                    same(wmo, k, ws[mk], m[k])
                same(wmo, "rank", ws["rank"], m["rank"])
    for d, e in lines.items():
        if e["tickets"]:
            fail("city %s: %s has %d tickets where the manifest has none"
                 % (y, d, e["tickets"]))


def check_targets(f, t):
    """The published figures at their published precision."""
    n = f["tickets"]
    if not t["tickets_min"] <= n <= t["tickets_max"]:
        fail("targets: %d tickets, not 24.5万余宗" % n)
    got = "%.2f" % (f["on_time"]["value"] * 100)
    same("targets", "on-time rate", t["on_time_pct"], got)
    got = "%.2f" % f["handling"]["consult"]["speedup_pct"]
    same("targets", "consult speed-up", t["consult_speedup_pct"], got)
    got = "%.2f" % f["handling"]["other"]["speedup_pct"]
    same("targets", "other speed-up", t["other_speedup_pct"], got)
    same("targets", "ordinary mean rank", t["ordinary_mean_rank"],
         f["ranking"]["ordinary"]["mean_rank"], exact=False)
    same("targets", "key run at rank 1", t["key_rank1_streak"],
         f["ranking"]["key"]["streak"]["months"])


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    hotline, work, opts = argv[1], argv[2], argv[3:]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if opts[:1] == ["--data"]:
        data = opts[1]
    else:
        data = os.path.join(work, "data")
        run([hotline, "sample", "-q", "--out", data] + opts)
    m = json.load(open(os.path.join(data, "manifest.json")))
    files = [os.path.join(data, fe["name"]) for fe in m["files"]]
    db = os.path.join(work, "t.db")
    p = subprocess.run([hotline, "ingest", "-q", "--db", db] + files,
                       capture_output=True, text=True)
    if p.returncode not in (0, 1) or "runtime error:" in p.stderr:
        raise SystemExit("check_metrics: ingest exited %d\n%s"
                         % (p.returncode, p.stderr))
    profile = os.path.join(work, "profile.ini")
    with open(profile, "w") as pf:
        pf.write("[ranking]\nmin_evaluated = %d\n"
                 % m["options"].get("rank_min", 30))
    checked = 0
    for d, years in sorted(m["figures"].items()):
        for y, want in sorted(years.items()):
            f = check_district_year(hotline, db, profile, d, int(y), want)
            checked += 1
            t = m.get("targets")
            if (t and m["options"].get("calibrate") and
                    d == t["district"] and int(y) == t["year"]):
                check_targets(f, t)
                print("check_metrics: %s %s: %d tickets, %.2f%% on time, "
                      "%.2f%% and %.2f%% faster, mean rank %.2f, %d months "
                      "at rank 1"
                      % (d, y, f["tickets"], f["on_time"]["value"] * 100,
                         f["handling"]["consult"]["speedup_pct"],
                         f["handling"]["other"]["speedup_pct"],
                         f["ranking"]["ordinary"]["mean_rank"],
                         f["ranking"]["key"]["streak"]["months"]))
    years = {}
    for d, ys in m["figures"].items():
        for y, want in ys.items():
            years.setdefault(int(y), {})[d] = want
    for y, wants in sorted(years.items()):
        check_city_year(hotline, db, profile, y, wants)
    print("check_metrics: %d district-years, %d city years, %s" %
          (checked, len(years),
           "ok" if not FAILS else "%d differences" % len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
