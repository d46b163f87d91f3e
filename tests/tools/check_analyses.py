#!/usr/bin/env python3
"""The new analyses recover what `hotline sample --plant analyses` planted.

Usage: check_analyses.py HOTLINE WORK_DIR SEED [SEED ...]

For each seed: writes a small planted data set (two years), ingests it into
a new database, and compares `hotline metrics --format json` with the
manifest's "planted" truth, which the generator counted from its rows and
tests/tools/verify_plant.py recounts independently:

  * assessment (profile [assessment] scheme = beijing): for every district
    and a spread of months, the tickets, left-out, valid, contacted,
    resolved, satisfied and basic counts; 响应率, 解决率, 满意率 (basic
    weighted 0.9) and 综合成绩 recomputed here from the counts; the street
    league table (--league score:street): every street's score from the
    planted street counts, ranks by score then tickets;
  * topics: the month's level-2 topics and counts, the month before and
    the same month a year before, for the city and a district;
  * surges: every planted cell is found in its district's month with its
    count and baseline, and nothing else surges;
  * repeats: per district and month, the tickets that repeat an earlier
    one, by quote and by caller; the number of cases with a ticket in the
    month, from the planted chains.
"""
import json
import os
import shutil
import subprocess
import sys
from datetime import date


def fail(msg):
    sys.stderr.write("check_analyses: %s\n" % msg)
    sys.exit(1)


def run(argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                 p.stderr.decode(errors="replace")))
    return p.stdout.decode()


def close(a, b, what):
    if a is None or b is None:
        if a is not b:
            fail("%s: %r, expected %r" % (what, a, b))
        return
    if abs(a - b) > 1e-9 * max(1.0, abs(b)):
        fail("%s: %r, expected %r" % (what, a, b))


def equal(a, b, what):
    if a != b:
        fail("%s: %r, expected %r" % (what, a, b))


def metrics(hotline, db, profile, *args):
    return json.loads(run([hotline, "metrics", "--db", db, "--profile",
                           profile, "--format", "json"] + list(args)))


def score(c):
    v = c["valid"]
    if v == 0:
        return None
    return (0.1 * c["contacted"] / v + 0.5 * c["resolved"] / v +
            0.4 * (c["satisfied"] + 0.9 * c["basic"]) / v) * 100


def check_assessment(hotline, db, profile, planted, year, month, district):
    want = planted["assessment"][str(year)][month - 1]["districts"][district]
    f = metrics(hotline, db, profile, "--month", "%d-%02d" % (year, month),
                "--district", district, "--league", "score:street",
                "--top", "1000")
    a = f["assessment"]
    what = "%s %d-%02d assessment" % (district, year, month)
    for k in ("tickets", "left_out", "valid", "contacted", "resolved"):
        equal(a[k], want[k], "%s %s" % (what, k))
    equal(a["answers"]["satisfied"], want["satisfied"], what + " satisfied")
    equal(a["answers"]["basic"], want["basic"], what + " basic")
    v = want["valid"]
    if v:
        close(a["response"]["value"], want["contacted"] / v, what + " 响应率")
        close(a["resolution"]["value"], want["resolved"] / v, what + " 解决率")
        close(a["satisfaction"]["value"],
              (want["satisfied"] + 0.9 * want["basic"]) / v, what + " 满意率")
    close(a["score"], score(want), what + " 综合成绩")
    # The street league: every street's score and its rank.
    rows = f["league"]["rows"]
    got = {r["name"]: r for r in rows}
    streets = want["streets"]
    equal(sorted(got), sorted(streets), what + " league streets")
    ranked = sorted((s for s in streets if streets[s]["valid"] > 0),
                    key=lambda s: (-score(streets[s]), -streets[s]["tickets"],
                                   s))
    for i, s in enumerate(ranked):
        close(got[s]["value"], score(streets[s]), "%s %s score" % (what, s))
        equal(got[s]["basis"], streets[s]["valid"], "%s %s basis" % (what, s))
        first = next(j for j, t in enumerate(ranked)
                     if abs(score(streets[t]) - score(streets[s])) < 1e-9
                     and streets[t]["tickets"] == streets[s]["tickets"])
        equal(got[s]["rank"], first + 1, "%s %s rank" % (what, s))
    for s in streets:
        if streets[s]["valid"] == 0:
            equal(got[s]["rank"], None, "%s %s unranked" % (what, s))
    equal(f["league"]["ranked"], len(ranked), what + " ranked")


def month_before(y, m):
    return (y, m - 1) if m > 1 else (y - 1, 12)


def topic_counts(planted, y, m, district):
    months = planted["topics"].get(str(y))
    if months is None:
        return {}
    t = months[m - 1]
    return t["city"] if district is None else t["districts"].get(district,
                                                                 {})


def check_topics(hotline, db, profile, planted, year, month, district):
    args = ["--month", "%d-%02d" % (year, month), "--format", "json"]
    if district:
        args += ["--district", district]
    f = json.loads(run([hotline, "metrics", "--db", db, "--profile",
                        profile] + args))
    t = f["topics"]
    now = topic_counts(planted, year, month, district)
    before = topic_counts(planted, *month_before(year, month), district)
    yago = topic_counts(planted, year - 1, month, district)
    what = "%s %d-%02d topics" % (district or "city", year, month)
    equal(t["with_topic"], sum(now.values()), what + " with_topic")
    want = sorted(now.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    got = [(x["topic"], x["tickets"]) for x in t["top"]]
    equal(got, want, what + " top")
    for x in t["top"]:
        b = before.get(x["topic"], 0)
        equal(x["before"], b, what + " before " + x["topic"])
        equal(x["year_before"], yago.get(x["topic"], 0),
              what + " year before " + x["topic"])
        close(x["mom_pct"], (x["tickets"] - b) * 100.0 / b if b else None,
              what + " 环比 " + x["topic"])
    return f


def check_surges(hotline, db, profile, planted):
    by_cell = {}
    for s in planted["surges"]:
        by_cell.setdefault((s["year"], s["month"], s["district"]),
                           []).append(s)
    equal(planted["surges_unplanted"], [], "unplanted surges")
    if not by_cell:
        fail("nothing planted to surge")
    for (y, m, d), cells in sorted(by_cell.items()):
        f = metrics(hotline, db, profile, "--month", "%d-%02d" % (y, m),
                    "--district", d)
        got = {(x["topic"], x["street"]): x for x in f["topics"]["surges"]}
        what = "%s %d-%02d surges" % (d, y, m)
        equal(sorted(got), sorted((c["topic"], c["street"]) for c in cells),
              what)
        for c in cells:
            x = got[(c["topic"], c["street"])]
            equal(x["tickets"], c["count"], what + " count")
            close(x["baseline"], c["baseline"], what + " baseline")
    return len(by_cell)


def day_of(ticket_id):
    digits = ticket_id.lstrip("GZ")
    return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))


def check_repeats(hotline, db, profile, planted, year, month, district):
    want = planted["repeats"]["months"][str(year)][month - 1]["districts"][
        district]
    f = metrics(hotline, db, profile, "--month", "%d-%02d" % (year, month),
                "--district", district)
    r = f["repeats"]
    what = "%s %d-%02d repeats" % (district, year, month)
    equal(r["tickets"], want["repeats"], what + " tickets")
    equal(r["by_quote"], want["by_quote"], what + " by quote")
    equal(r["by_caller"], want["by_caller"], what + " by caller")
    equal(f["tickets"], want["tickets"], what + " period tickets")
    close(r["rate"]["value"], want["repeats"] / want["tickets"]
          if want["tickets"] else None, what + " rate")
    return r


def check_chains(hotline, db, profile, planted, year, month):
    """The city's cases in a month: the planted chains as they stand at
    the month's end (their tickets accepted before it, days from the IDs)
    with two or more tickets, one of them in the month."""
    first = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1)
    want = 0
    for c in planted["repeats"]["chains"]:
        days = [day_of(t) for t in c["tickets"]]
        seen = [x for x in days if x < end]
        if len(seen) >= 2 and any(x >= first for x in seen):
            want += 1
    f = metrics(hotline, db, profile, "--month", "%d-%02d" % (year, month))
    equal(f["repeats"]["chains"], want,
          "city %d-%02d cases" % (year, month))


def main(argv):
    if len(argv) < 4:
        fail("usage: check_analyses.py HOTLINE WORK_DIR SEED [SEED ...]")
    hotline, work = argv[1], argv[2]
    for seed in argv[3:]:
        d = os.path.join(work, "seed%s" % seed)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        run([hotline, "sample", "-q", "--plant", "analyses", "--seed", seed,
             "--scale", "0.003", "--no-calibrate", "--out", d])
        db = os.path.join(d, "t.db")
        run([hotline, "ingest", "-q", "--db", db,
             os.path.join(d, "gz12345-2021.csv"),
             os.path.join(d, "gz12345-2022.csv")])
        profile = os.path.join(d, "beijing.ini")
        with open(profile, "w") as p:
            p.write("[assessment]\nscheme = beijing\n")
        planted = json.load(open(os.path.join(d, "manifest.json"),
                                 encoding="utf-8"))["planted"]
        districts = sorted(planted["assessment"]["2022"][5]["districts"])
        months = [(2021, 1), (2021, 12), (2022, 1), (2022, 6), (2022, 11)]
        for i, (y, m) in enumerate(months):
            dist = districts[(i * 3 + int(seed)) % len(districts)]
            check_assessment(hotline, db, profile, planted, y, m, dist)
            check_topics(hotline, db, profile, planted, y, m, None)
            check_topics(hotline, db, profile, planted, y, m, dist)
            for dd in districts:
                check_repeats(hotline, db, profile, planted, y, m, dd)
            check_chains(hotline, db, profile, planted, y, m)
        n = check_surges(hotline, db, profile, planted)
        print("check_analyses: seed %s: %d months x %d districts, %d surge "
              "months, %d chains planted: recovered" %
              (seed, len(months), len(districts), n,
               len(planted["repeats"]["chains"])))


if __name__ == "__main__":
    main(sys.argv)
