#!/usr/bin/env python3
"""Check the "planted" truth of a `hotline sample --plant analyses` data set.

Usage: verify_plant.py DIR [--quiet] [--no-unplanted]

Written from docs/sample-data.md ("Planted analyses") and docs/analyses.md
only, never from the generator's code.  It reads DIR/manifest.json for the
options, the files and the listed faults, parses every file with Python's
csv module (columns mapped by header name), leaves out the rows listed as
faults, and recomputes from the rows:

  * assessment: per year, month, district and street: tickets, left_out
    (是否纳入考核 否 or 不合理诉求), valid (assessed and 是否有效回访 是),
    contacted and resolved (是, among valid), satisfied and basic (满意 or
    非常满意, 基本满意, among valid); district totals are the streets' sums;
  * topics: per year and month, the level-2 topics (the first two parts of
    问题分类 split on -) with their tickets, city-wide and per district;
  * surges: every cell (district, street, level-2 topic) in every month
    with six months of data before it, with count c and baseline b = the
    mean of its six months before; it surges when c >= 5, c >= 2b and
    (c - b) / sqrt(b + 1) >= 3 (exact rational arithmetic).  The set must
    be exactly "surges" plus "surges_unplanted", with the same counts and
    baselines; each planted surge's extra tickets are at most its count;
  * repeats: in acceptance order (ties by ID), a ticket repeats by quote
    when its content holds 最近派发的工单编号 followed by ： or : and an ID
    other than its own, and by caller when an earlier ticket of the same
    来电号码, 问题分类, district and street was accepted at most 30 x 24
    hours before it (linked to the latest such ticket).  Links (quote to
    the quoted ticket when it is in the data) join tickets into cases; the
    cases of two or more tickets, their IDs in order and how they are
    linked (quote, caller, both) must be exactly "repeats.chains"; per
    year, month and district: tickets, repeats, by_quote and by_caller;

and checks the values: 是/否 (and 不合理诉求) in the assessment columns, a
valid callback only on a 已回访 ticket with a satisfaction answer, three
parts in 问题分类, 来电号码 an 11-digit mobile number (1[3-9] and nine
digits) that appears nowhere in the manifest, most callers calling once,
planted surges in every year from month 7 of the data on, and chains that
cross a month boundary and, with two years or more, a year boundary.
With --no-unplanted, "surges_unplanted" must also be empty.

Prints "verify-plant: ..." per mismatch (at most 20 per kind) and
"verify-plant: N checks, M mismatches" last.  Exit status: 0 all good,
1 mismatches, 2 usage error.  Python 3 standard library only.
"""

import argparse
import collections
import csv
import datetime
import io
import json
import os
import re
import sys
from fractions import Fraction

CAP = 20
CODECS = {"utf8": "utf-8", "utf8-bom": "utf-8-sig", "gb18030": "gb18030"}
# Header names per variant (docs/sample-data.md, "Columns").
NAMES = {
    1: dict(id="工单编号", acc="受理时间", district="所属区", street="所属街道",
            status="工单状态", sat="满意度", content="诉求内容"),
    2: dict(id="12345工单编号", acc="来电时间", district="区域", street="镇街",
            status="案件状态", sat="回访结果", content="内容描述"),
    3: dict(id="工单号", acc="登记时间", district="被反映区",
            street="被反映街乡镇", status="工单状态", sat="评价结果",
            content="事项内容"),
}
PLANT_COLS = ("是否有效回访", "是否联系", "是否解决", "是否纳入考核", "问题分类",
              "来电号码")
# Satisfaction: 0 satisfied, 1 basic, 2 unsatisfied, None not evaluated.
SAT = {"满意": 0, "非常满意": 0, "基本满意": 1, "不满意": 2, "非常不满意": 2}
QUOTE = re.compile(r"最近派发的工单编号[：:]\s*([A-Za-z0-9]+)")
CALLER = re.compile(r"1[3-9]\d{9}")
CALLER_SECS = 30 * 86400
A_KEYS = ("tickets", "left_out", "valid", "contacted", "resolved",
          "satisfied", "basic")
EPOCH = datetime.date(1970, 1, 1)
EXCEL0 = (datetime.date(1899, 12, 30) - EPOCH).days


class Report:
    def __init__(self, quiet):
        self.quiet = quiet
        self.checks = 0
        self.fails = 0
        self.kinds = collections.Counter()

    def check(self, cond, kind, msg):
        self.checks += 1
        if cond:
            return True
        self.fails += 1
        self.kinds[kind] += 1
        if self.kinds[kind] <= CAP:
            print("verify-plant: %s: %s" % (kind, msg))
        return False


def parse_time(cell):
    """Seconds since 1970-01-01 (CST as if UTC) of iso, slash or excel."""
    cell = cell.strip()
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2}) "
                     r"(\d{1,2}):(\d{2})(?::(\d{2}))?", cell)
    if m:
        y, mo, d, h, mi = (int(x) for x in m.groups()[:5])
        s = int(m.group(6) or 0)
        days = (datetime.date(y, mo, d) - EPOCH).days
        return days * 86400 + h * 3600 + mi * 60 + s
    m = re.fullmatch(r"(\d+)\.(\d{6})", cell)
    if m:
        frac = int(m.group(2))
        # Six decimals of a day, rounded to the nearest second.
        secs = (frac * 86400 + 500000) // 1000000
        return (int(m.group(1)) + EXCEL0) * 86400 + secs
    raise ValueError("bad time %r" % cell)


def ym(t):
    d = EPOCH + datetime.timedelta(days=t // 86400)
    return d.year, d.month


def read_rows(ds_dir, manifest, rep):
    o = manifest["options"]
    names = NAMES[o["headers"]]
    faults = {(f["file"], f["line"]) for f in manifest.get("faults", [])}
    rows = []
    for fe in manifest["files"]:
        path = os.path.join(ds_dir, fe["name"])
        with open(path, "rb") as fh:
            raw = fh.read()
        text = raw.decode(CODECS[o["encoding"]], errors="surrogateescape")
        reader = csv.reader(io.StringIO(text, newline=""))
        header = None
        while True:
            start = reader.line_num + 1
            try:
                rec = next(reader)
            except StopIteration:
                break
            except csv.Error:
                break  # a cut-off last record (a listed fault)
            if header is None:
                header = rec
                want = [names[k] for k in names] + list(PLANT_COLS)
                missing = [n for n in want if n not in header]
                rep.check(not missing, "header", "%s: no column %s"
                          % (fe["name"], ", ".join(missing)))
                rep.check(header[-6:] == list(PLANT_COLS), "header",
                          "%s: the planted columns are not the last six"
                          % fe["name"])
                if missing:
                    return []
                idx = {k: header.index(v) for k, v in names.items()}
                for n in PLANT_COLS:
                    idx[n] = header.index(n)
                continue
            if (fe["name"], start) in faults:
                continue
            if not rep.check(len(rec) == len(header), "fields",
                             "%s:%d: %d fields" % (fe["name"], start,
                                                   len(rec))):
                continue
            r = {k: rec[i] for k, i in idx.items()}
            r["where"] = "%s:%d" % (fe["name"], start)
            try:
                r["t"] = parse_time(r["acc"])
            except ValueError as e:
                rep.check(False, "time", "%s: %s" % (r["where"], e))
                continue
            rows.append(r)
    return rows


def check_values(rows, manifest_text, rep):
    callers = collections.Counter()
    for r in rows:
        w = r["where"]
        for n in PLANT_COLS[:3]:
            rep.check(r[n] in ("是", "否"), "value", "%s: %s %r" % (w, n, r[n]))
        rep.check(r["是否纳入考核"] in ("是", "否", "不合理诉求"), "value",
                  "%s: 是否纳入考核 %r" % (w, r["是否纳入考核"]))
        parts = r["问题分类"].split("-")
        rep.check(len(parts) == 3 and all(parts), "value",
                  "%s: 问题分类 %r" % (w, r["问题分类"]))
        rep.check(CALLER.fullmatch(r["来电号码"]) is not None, "value",
                  "%s: 来电号码 %r" % (w, r["来电号码"]))
        if r["是否有效回访"] == "是":
            rep.check(r["status"] == "已回访" and r["sat"] in SAT,
                      "valid-callback", "%s: valid callback on a %s ticket "
                      "with satisfaction %r" % (w, r["status"], r["sat"]))
        callers[r["来电号码"]] += 1
    once = sum(1 for n in callers.values() if n == 1)
    rep.check(once > 0.8 * len(callers), "callers",
              "only %d of %d callers call once" % (once, len(callers)))
    leaked = set(re.findall(r"\d{11}", manifest_text)) & set(callers)
    rep.check(not leaked, "privacy", "caller numbers in the manifest: %s"
              % sorted(leaked)[:3])


def compare_months(planted, computed, what, years, rep):
    """planted[year] is a list of month objects; computed[(y, m)] a dict."""
    for y in years:
        months = {e["month"]: e for e in planted.get(str(y), [])}
        rep.check(sorted(months) == list(range(1, 13)), what,
                  "%d: months %s" % (y, sorted(months)))
        for m in range(1, 13):
            got = dict(months.get(m, {}))
            got.pop("month", None)
            want = computed.get((y, m), {})
            rep.check(got == want, what, "%d-%02d: manifest and rows "
                      "differ: %s" % (y, m, diff(got, want)))


def diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return diff(a.get(k), b.get(k), path + "/" + str(k))
        return path
    return "%s manifest %r, rows %r" % (path, a, b)


def assessment(rows, districts):
    acc = {}
    for r in rows:
        y, m = ym(r["t"])
        mo = acc.setdefault((y, m), {"districts": {
            d: dict({k: 0 for k in A_KEYS}, streets={}) for d in districts}})
        dj = mo["districts"].setdefault(
            r["district"], dict({k: 0 for k in A_KEYS}, streets={}))
        sj = dj["streets"].setdefault(r["street"], {k: 0 for k in A_KEYS})
        inc = collections.Counter(tickets=1)
        if r["是否纳入考核"] in ("否", "不合理诉求"):
            inc["left_out"] = 1
        elif r["是否有效回访"] == "是":
            inc["valid"] = 1
            inc["contacted"] = r["是否联系"] == "是"
            inc["resolved"] = r["是否解决"] == "是"
            inc["satisfied"] = SAT.get(r["sat"]) == 0
            inc["basic"] = SAT.get(r["sat"]) == 1
        for k, v in inc.items():
            dj[k] += int(v)
            sj[k] += int(v)
    return acc


def topics(rows, districts):
    acc = {}
    for r in rows:
        y, m = ym(r["t"])
        mo = acc.setdefault((y, m), {"city": {}, "districts": {
            d: {} for d in districts}})
        l2 = "-".join(r["问题分类"].split("-")[:2])
        mo["city"][l2] = mo["city"].get(l2, 0) + 1
        dj = mo["districts"].setdefault(r["district"], {})
        dj[l2] = dj.get(l2, 0) + 1
    return acc


def surges(rows, first, last):
    months = [(y, m) for y in range(first, last + 1) for m in range(1, 13)]
    index = {k: i for i, k in enumerate(months)}
    cells = collections.defaultdict(lambda: [0] * len(months))
    for r in rows:
        l2 = "-".join(r["问题分类"].split("-")[:2])
        cells[(r["district"], r["street"], l2)][index[ym(r["t"])]] += 1
    out = {}
    for (d, st, l2), counts in cells.items():
        for i in range(6, len(months)):
            c = counts[i]
            b = Fraction(sum(counts[i - 6:i]), 6)
            # (c - b) / sqrt(b + 1) >= 3, squared with c > b.
            if c >= 5 and c >= 2 * b and c > b and (c - b) ** 2 >= 9 * (b + 1):
                y, m = months[i]
                out[(y, m, d, st, l2)] = (c, b)
    return out


def repeats(rows, districts):
    rows = sorted(rows, key=lambda r: (r["t"], r["id"]))
    pos = {r["id"]: i for i, r in enumerate(rows)}
    parent = list(range(len(rows)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a, b):
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    last = {}
    links = [0] * len(rows)
    for i, r in enumerate(rows):
        m = QUOTE.search(r["content"])
        if m and m.group(1) != r["id"]:
            links[i] |= 1
            if m.group(1) in pos:
                union(pos[m.group(1)], i)
        key = (r["来电号码"], r["问题分类"], r["district"], r["street"])
        if key in last and rows[last[key]]["t"] < r["t"] and \
                r["t"] - rows[last[key]]["t"] <= CALLER_SECS:
            links[i] |= 2
            union(last[key], i)
        last[key] = i
    groups = collections.defaultdict(list)
    for i in range(len(rows)):
        groups[find(i)].append(i)
    chains = []
    for members in groups.values():
        if len(members) < 2:
            continue
        how = 0
        for i in members:
            how |= links[i]
        chains.append(([rows[i]["id"] for i in sorted(members)],
                       {1: "quote", 2: "caller", 3: "both"}[how],
                       [rows[i]["t"] for i in sorted(members)]))
    months = {}
    for i, r in enumerate(rows):
        y, m = ym(r["t"])
        mo = months.setdefault((y, m), {"districts": {
            d: dict(tickets=0, repeats=0, by_quote=0, by_caller=0)
            for d in districts}})
        dj = mo["districts"].setdefault(r["district"], dict(
            tickets=0, repeats=0, by_quote=0, by_caller=0))
        dj["tickets"] += 1
        dj["repeats"] += links[i] != 0
        dj["by_quote"] += (links[i] & 1) != 0
        dj["by_caller"] += (links[i] & 2) != 0
    return chains, months


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--no-unplanted", action="store_true")
    a = ap.parse_args(argv)
    rep = Report(a.quiet)
    mpath = os.path.join(a.dir, "manifest.json")
    try:
        with open(mpath, encoding="utf-8") as f:
            mtext = f.read()
        manifest = json.loads(mtext)
    except (OSError, ValueError) as e:
        print("verify-plant: cannot read %s: %s" % (mpath, e))
        return 2
    o = manifest["options"]
    if o.get("plant") != "analyses" or "planted" not in manifest:
        print("verify-plant: %s was not made with --plant analyses" % a.dir)
        return 2
    first, last = o["first_year"], o["last_year"]
    years = range(first, last + 1)
    planted = manifest["planted"]
    rows = read_rows(a.dir, manifest, rep)
    rep.check(rows, "rows", "no rows")
    districts = sorted({r["district"] for r in rows})
    check_values(rows, mtext, rep)

    # The manifest lists every district in every month; the rows only
    # those with tickets.
    want_d = set()
    for ms in planted["assessment"].values():
        for mo in ms:
            want_d |= set(mo["districts"])
    districts = sorted(want_d | set(districts))
    compare_months(planted["assessment"], assessment(rows, districts),
                   "assessment", years, rep)
    compare_months(planted["topics"], topics(rows, districts), "topics",
                   years, rep)

    got = {}
    for kind in ("surges", "surges_unplanted"):
        for g in planted[kind]:
            key = (g["year"], g["month"], g["district"], g["street"],
                   g["topic"])
            rep.check(key not in got, "surges", "%s listed twice" % (key,))
            got[key] = (g, kind)
    want = surges(rows, first, last)
    for key in sorted(set(got) | set(want)):
        if not rep.check(key in got and key in want, "surges",
                         "%s: %s" % (key, "not listed" if key in want
                                     else "listed but does not surge")):
            continue
        g, kind = got[key]
        c, b = want[key]
        rep.check(g["count"] == c and abs(g["baseline"] - float(b)) < 1e-9,
                  "surges", "%s: manifest %d over %.6f, rows %d over %.6f"
                  % (key, g["count"], g["baseline"], c, float(b)))
        if kind == "surges":
            rep.check(0 < g["extra"] <= c, "surges", "%s: extra %d of %d"
                      % (key, g["extra"], c))
    for y in years:
        n = sum(1 for g in planted["surges"] if g["year"] == y)
        rep.check(n >= 1, "surges", "no planted surge in %d" % y)
    if a.no_unplanted:
        rep.check(not planted["surges_unplanted"], "surges",
                  "%d cells surge unplanted" % len(planted["surges_unplanted"]))

    chains, rmonths = repeats(rows, districts)
    rp = planted["repeats"]
    rep.check(rp.get("caller_days") == 30, "repeats", "caller_days %r"
              % rp.get("caller_days"))
    mine = {tuple(c["tickets"]): c["linked_by"] for c in rp["chains"]}
    rep.check(len(mine) == len(rp["chains"]), "repeats", "a chain twice")
    theirs = {tuple(ids): how for ids, how, _ in chains}
    for k in sorted(set(mine) | set(theirs)):
        rep.check(mine.get(k) == theirs.get(k), "repeats", "chain %s: "
                  "manifest %s, rows %s" % (" ".join(k), mine.get(k),
                                            theirs.get(k)))
    compare_months(rp["months"], rmonths, "repeats", years, rep)
    sizes = collections.Counter(len(ids) for ids, _, _ in chains)
    kinds = collections.Counter(how for _, how, _ in chains)
    cross_m = sum(1 for _, _, ts in chains if ym(ts[0]) != ym(ts[-1]))
    cross_y = sum(1 for _, _, ts in chains if ym(ts[0])[0] != ym(ts[-1])[0])
    rep.check(cross_m > 0, "repeats", "no chain crosses a month boundary")
    if last > first:
        rep.check(cross_y > 0, "repeats", "no chain crosses a year boundary")
    rep.check(kinds["quote"] and kinds["caller"], "repeats",
              "chains by quote and by caller both expected: %s" % dict(kinds))

    if not a.quiet:
        print("verify-plant: %d rows, %d surges planted (%d unplanted), "
              "%d chains (sizes %s; %s), %d across a month, %d across a "
              "year" % (len(rows), len(planted["surges"]),
                        len(planted["surges_unplanted"]), len(chains),
                        dict(sorted(sizes.items())), dict(kinds), cross_m,
                        cross_y))
    print("verify-plant: %d checks, %d mismatches" % (rep.checks, rep.fails))
    return 1 if rep.fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
