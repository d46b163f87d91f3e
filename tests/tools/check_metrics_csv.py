#!/usr/bin/env python3
"""`hotline metrics --format csv` as a spreadsheet reads it.

    check_metrics_csv.py HOTLINE WORK_DIR [generator options...]

Generates and ingests a data set, then checks the city's CSV of its last
year in both languages: the header in the chosen language; no two rows
with the same key (scope, period, month, figure, class), nor in a
month's CSV (the month beside the months of its year); a line of rows
per district whose values are the district's own figures, as
`hotline metrics --district X --format json` gives them; and every row
of a district's own CSV that the city's also has holds the same values.

Exit status 0 when everything holds, 1 otherwise.
"""
import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys

HEAD = {
    "en": ["scope", "period", "month", "figure", "class", "label", "value",
           "numerator", "denominator", "note"],
    "zh": ["范围", "期间", "月份", "指标", "类别", "名称", "值", "分子", "分母",
           "说明"],
}
CITY = {"en": "city", "zh": "全市"}
CATS = ["consult", "help", "complaint", "report", "suggestion", "praise",
        "other"]
FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("check_metrics_csv: " + msg)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1) or "runtime error:" in p.stderr or \
            "Sanitizer" in p.stderr:
        raise SystemExit("check_metrics_csv: %s exited %d\n%s"
                         % (cmd[1:3], p.returncode, p.stderr[-2000:]))
    return p.stdout


def read_csv(text):
    if not text.startswith("\ufeff"):
        fail("no BOM")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    return rows[0], rows[1:]


def num(cell):
    return None if cell == "" else float(cell)


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def want_rows(j):
    """(figure, class) -> (value, numerator, denominator) of the
    headline figures a district's line of the city holds, from the
    district's own JSON."""
    w = {("tickets", ""): (j["tickets"], None, None)}
    for c in CATS:
        w[("tickets", c)] = (j["volume"]["by_class"][c], None, None)
    for fig in ("on_time", "on_time_dispatched"):
        o = j[fig]
        w[(fig, "")] = (o["value"], o["numerator"], o["denominator"])
    for k in ("ordinary", "key"):
        s = j["satisfaction"][k]
        w[("satisfaction", k)] = (s["value"], s["numerator"],
                                  s["denominator"])
        r = j["ranking"][k]
        w[("mean_rank", k)] = (r["mean_rank"], None, None)
        w[("rank_streak", k)] = (r["streak"]["months"], r["streak"]["rank"],
                                 None)
    for g, jg in (("consult", "consult"), ("non_consult", "other")):
        w[("handling_mean_hours", g)] = (j["handling"][jg]["mean"], None,
                                         None)
    r = j["reopen"]
    w[("reopen", "")] = (r["value"], r["numerator"], r["denominator"])
    return w


def main():
    hotline, work, opts = sys.argv[1], sys.argv[2], sys.argv[3:]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    d = os.path.join(work, "data")
    run([hotline, "sample", "-q", "--out", d] + opts)
    m = json.load(open(os.path.join(d, "manifest.json")))
    db = os.path.join(work, "m.db")
    run([hotline, "ingest", "-q", "--db", db] +
        [os.path.join(d, f["name"]) for f in m["files"]])
    year = str(max(int(f["name"][-8:-4]) for f in m["files"]
                   if f["name"][-8:-4].isdigit()))
    base = [hotline, "metrics", "--db", db, "--year", year]
    city = json.loads(run(base + ["--format", "json"]))
    names = [x["district"] for x in city["districts"]
             if not x.get("unassigned")]
    tables = {}
    for lang in ("zh", "en"):
        head, rows = read_csv(run(base + ["--format", "csv", "--lang",
                                          lang]))
        if head != HEAD[lang]:
            fail("%s header %r" % (lang, head))
        keys = [tuple(r[:5]) for r in rows]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            fail("%s: %d keys twice, e.g. %r" % (lang, len(dup), dup[:3]))
        if any(len(r) != len(HEAD[lang]) for r in rows):
            fail("%s: rows of another width" % lang)
        scopes = {r[0] for r in rows}
        if scopes - {CITY[lang]} != {x["district"] for x in
                                     city["districts"]}:
            fail("%s: scopes %r, districts %r" % (
                lang, sorted(scopes), [x["district"] for x in
                                       city["districts"]]))
        tables[lang] = {tuple(r[:5]): r for r in rows}
    t = tables["en"]
    checked = 0
    for name in names:
        j = json.loads(run(base + ["--district", name, "--format",
                                   "json"]))
        for (fig, cls), want in want_rows(j).items():
            r = t.get((name, year, "", fig, cls))
            have = None if r is None else tuple(num(c) for c in r[6:9])
            if have is None or not all(same(a, b) for a, b in
                                       zip(have, want)):
                fail("%s %s %s: the city's CSV says %r, the district's "
                     "JSON %r" % (name, fig, cls, have, want))
            checked += 1
        _, own = read_csv(run(base + ["--district", name, "--format", "csv",
                                      "--lang", "en"]))
        common = 0
        for r in own:
            c = t.get(tuple(r[:5]))
            if c is None:
                continue
            common += 1
            if not all(same(num(a), num(b)) for a, b in zip(r[6:9],
                                                              c[6:9])):
                fail("%s: its own CSV %r, the city's %r" % (name, r, c))
        if common != len(want_rows(j)):
            fail("%s: %d rows in common with the city's, not %d"
                 % (name, common, len(want_rows(j))))
    # a month's period beside the months of its year: keys apart too
    for extra in ([], ["--district", names[0]]):
        _, rows = read_csv(run([hotline, "metrics", "--db", db, "--month",
                                year + "-06", "--format", "csv"] + extra))
        keys = [tuple(r[:5]) for r in rows]
        if len(set(keys)) != len(keys) or len(keys) < 50:
            fail("--month %s-06 %s: %d rows, %d keys"
                 % (year, " ".join(extra), len(keys), len(set(keys))))
    # a label and a Chinese header cell for every row in Chinese
    zh = tables["zh"]
    if not all(r[5] for r in zh.values()) or not any(
            "满意率" in r[5] for r in zh.values()):
        fail("zh: labels missing or not in Chinese")
    if FAILS:
        print("check_metrics_csv: %d checks failed" % len(FAILS))
        return 1
    print("check_metrics_csv: %d districts, %d figures each compared, "
          "%d rows, no key twice" % (len(names), checked // max(1,
                                                               len(names)),
                                     len(t)))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
