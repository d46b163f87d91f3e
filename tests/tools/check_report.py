#!/usr/bin/env python3
"""Tests of `hotline report` and `hotline demo`.

    check_report.py golden HOTLINE WORK_DIR GOLDEN_DIR [--update]
    check_report.py hostile HOTLINE WORK_DIR
    check_report.py demo HOTLINE WORK_DIR
    check_report.py browser HOTLINE WORK_DIR

golden   ingests the hand-made data set tests/data/verify-mini, prints
         hotline metrics as tables (Chinese, English) and CSV, writes the
         annual 2022 report of 荔湾区 and its March report, and compares
         the metrics output and
         report.md, every CSV table and every chart's gnuplot script and
         data file with GOLDEN_DIR byte for byte (charts are compared by
         script and data, not by PNG).  --update rewrites GOLDEN_DIR.
hostile  ingests an export whose unit and district names are markup,
         spreadsheet formulas, quotes and line breaks, writes the report,
         and checks that the HTML escapes them, the CSV neutralises the
         formulas, the Markdown escapes them, and no gnuplot script holds
         any of them (nor did gnuplot run anything they say); symbolic
         links planted where report files go are not followed, and a
         reference whose values are of the wrong type is refused.
demo     runs `hotline demo` and checks that every published figure of
         the 2022 evaluation is reproduced, line by line, and again when
         run a second time in the same place.
gaps     a period without tickets refused by metrics and report (exit 1,
         the district and the period named, nothing written, an earlier
         report left as it was, also when gnuplot fails midway); a first
         year (no year before: "-" and a note, never a change against 0);
         an export without satisfaction answers (the report is written,
         the charts it cannot draw say so).
browser  writes the golden reports and the hostile one and loads each
         report.html in Debian's chromium (tests/browser/check_html.mjs):
         no console error, no network, every chart rendered, no wider than
         a phone; screenshots are left in WORK_DIR.

Exit status 0 when everything holds, 1 otherwise.
"""
import filecmp
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
MINI = os.path.join(HERE, "..", "data", "verify-mini")
FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("check_report: " + msg)


def run(cmd, ok=(0,)):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in ok or "runtime error:" in p.stderr:
        raise SystemExit("check_report: %s exited %d\n%s%s" %
                         (cmd[1:3], p.returncode, p.stdout, p.stderr))
    return p


def golden(hotline, work, gold, update):
    db = os.path.join(work, "t.db")
    run([hotline, "ingest", "-q", "--db", db,
         os.path.join(MINI, "gz12345-2021.csv"),
         os.path.join(MINI, "gz12345-2022.csv")], ok=(0, 1))
    prof = os.path.join(work, "p.ini")
    with open(prof, "w") as f:
        f.write("[ranking]\nmin_evaluated = 1\n")
    # hotline metrics in its three forms, on the same data.
    outs = {}
    for name, extra in (("metrics-zh.txt", ["--district", "荔湾区"]),
                        ("metrics-en.txt", ["--district", "荔湾区", "--lang",
                                            "en", "--late"]),
                        ("metrics.csv", ["--district", "荔湾区", "--format",
                                         "csv"]),
                        ("metrics-month.txt", ["--district", "荔湾区",
                                               "--month", "2022-03"]),
                        ("metrics-city.txt", [])):
        args = [hotline, "metrics", "--db", db, "--profile", prof,
                "--as-of", "2023-01-15 23:59:59"]
        if "--month" not in extra:
            args += ["--year", "2022"]
        outs[name] = run(args + extra).stdout
    mdir = os.path.join(gold, "metrics")
    for name, text in outs.items():
        path = os.path.join(mdir, name)
        if update:
            os.makedirs(mdir, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        elif open(path, encoding="utf-8", newline="").read() != text:
            fail("%s differs from the golden file:\n%s" % (name, text))
    for name, period in (("annual", ["--year", "2022"]),
                         ("monthly", ["--month", "2022-03"])):
        out = os.path.join(work, name)
        run([hotline, "report", "--db", db, "--district", "荔湾区",
             "--out", out, "--profile", prof,
             "--as-of", "2023-01-15 23:59:59"] + period)
        if not os.path.exists(os.path.join(out, "report.html")):
            fail("%s: no report.html" % name)
        files = sorted(f for f in os.listdir(out)
                       if f.endswith((".md", ".csv")))
        files += sorted("charts/" + f for f in
                        os.listdir(os.path.join(out, "charts"))
                        if f.endswith((".gp", ".dat")))
        want_dir = os.path.join(gold, name)
        if update:
            shutil.rmtree(want_dir, ignore_errors=True)
            os.makedirs(os.path.join(want_dir, "charts"))
            for f in files:
                shutil.copyfile(os.path.join(out, f),
                                os.path.join(want_dir, f))
            continue
        want = sorted(f for f in os.listdir(want_dir)
                      if f.endswith((".md", ".csv")))
        want += sorted("charts/" + f for f in
                       os.listdir(os.path.join(want_dir, "charts")))
        if files != want:
            fail("%s: files %s, golden %s" % (name, files, want))
        for f in files:
            a, b = os.path.join(out, f), os.path.join(want_dir, f)
            if os.path.exists(b) and not filecmp.cmp(a, b, shallow=False):
                d = subprocess.run(["diff", "-u", b, a],
                                   capture_output=True, text=True).stdout
                fail("%s: %s differs from the golden file\n%s"
                     % (name, f, d[:3000]))


HOSTILE_UNITS = [
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    "@SUM(1)",
    "-2+3",
    'say "hi"\nnext line',
    "a|b*c_d`e",
]
HOSTILE_DISTRICT = 'x"\nset print "pwned"; print 1; system("touch pwned") #'


def hostile(hotline, work):
    csv = os.path.join(work, "hostile.csv")
    head = ("工单编号,受理时间,来源渠道,诉求类型,是否重点工单,所属区,所属街道,"
            "承办单位,派单时间,签收时间,办理时限,办结时间,工单状态,满意度,"
            "重办次数,诉求内容\r\n")

    def q(s):
        return '"' + s.replace('"', '""') + '"'
    rows = []
    n = 0
    for i, unit in enumerate(HOSTILE_UNITS):
        for k in range(3):
            n += 1
            rows.append(",".join([
                "H%04d" % n, "2022-03-0%d 09:00:00" % (k + 1), "电话", "投诉",
                "否", "荔湾区", "沙面街", q(unit), "2022-03-0%d 10:00:00"
                % (k + 1), "", "2022-03-10 23:59:59",
                "2022-03-0%d 12:00:00" % (k + 2), "已回访", "满意", "0",
                q("内容 <b>%d</b>" % i)]))
    for k in range(3):
        n += 1
        rows.append(",".join([
            "H%04d" % n, "2022-03-01 09:00:00", "电话", "咨询", "否",
            q(HOSTILE_DISTRICT), "", "某单位", "", "", "", "", "", "不满意",
            "0", ""]))
    with open(csv, "w", encoding="utf-8", newline="") as f:
        f.write(head + "\r\n".join(rows) + "\r\n")
    db = os.path.join(work, "h.db")
    run([hotline, "ingest", "-q", "--db", db, csv])
    prof = os.path.join(work, "p.ini")
    with open(prof, "w") as f:
        f.write("[ranking]\nmin_evaluated = 1\n[supervision]\n"
                "min_tickets = 1\n")
    out = os.path.join(work, "hostile")
    run([hotline, "report", "--db", db, "--district", "荔湾区", "--year",
         "2022", "--out", out, "--profile", prof])
    html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    if "<script" in html.lower():
        fail("report.html holds a <script> element")
    if "&lt;script&gt;alert(1)&lt;/script&gt;" not in html:
        fail("report.html lacks the escaped unit name")
    if "<b>" in html:
        fail("report.html passes markup from the data through")
    units = open(os.path.join(out, "units.csv"), encoding="utf-8-sig").read()
    for u in HOSTILE_UNITS:
        if u[0] in "=+-@":
            want = '"\'' + u.replace('"', '""') + '"'
            if want not in units:
                fail("units.csv: %r not neutralised (want %s)" % (u, want))
    if '"say ""hi""\nnext line"' not in units:
        fail("units.csv: a name with quotes and a line break is not "
             "quoted as RFC 4180 says")
    md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
    if "<script>" in md or "\\<script\\>" not in md:
        fail("report.md does not escape markup")
    if "a\\|b\\*c\\_d\\`e" not in md:
        fail("report.md does not escape table and emphasis characters")
    charts = os.path.join(out, "charts")
    for f in os.listdir(charts):
        if f.endswith(".gp"):
            text = open(os.path.join(charts, f), encoding="utf-8").read()
            for bad in ("pwned", "system(", "script", "cmd|", "SUM("):
                if bad in text:
                    fail("%s holds data (%r)" % (f, bad))
    if os.path.exists(os.path.join(charts, "pwned")) or \
            os.path.exists("pwned"):
        fail("gnuplot ran a command from the data")
    for f in os.listdir(charts):
        if f.endswith(".dat"):
            for line in open(os.path.join(charts, f), encoding="utf-8"):
                if line.count('"') not in (0, 2):
                    fail("%s: a quote from the data splits a line: %r"
                         % (f, line))
    planted(hotline, db, work)


def planted(hotline, db, work):
    """Symbolic links planted where report files go are never followed,
    and a reference whose values are of the wrong type is refused."""
    victim = os.path.join(work, "victim.txt")
    elsewhere = os.path.join(work, "elsewhere")
    os.makedirs(elsewhere, exist_ok=True)
    cases = [("report.md", victim), ("units.csv", victim),
             ("charts/on_time.gp", victim), ("charts/on_time.png", victim),
             ("charts/gnuplot.log", victim),
             ("charts", elsewhere)]
    for i, (name, target) in enumerate(cases):
        with open(victim, "w") as f:
            f.write("untouched\n")
        out = os.path.join(work, "planted%d" % i)
        os.makedirs(os.path.join(out, "charts"), exist_ok=True)
        path = os.path.join(out, name)
        if os.path.isdir(path) and not os.path.islink(path):
            os.rmdir(path)
        os.symlink(target, path)
        p = subprocess.run([hotline, "report", "--db", db, "--district",
                            "荔湾区", "--year", "2022", "--out", out],
                           capture_output=True, text=True)
        if open(victim).read() != "untouched\n" or os.listdir(elsewhere):
            fail("a link planted at %s was followed" % name)
        # A report is written in a directory of its own and renamed
        # into place: a link where a file goes is replaced, never
        # followed; a link where the charts directory goes is refused,
        # and the refused report leaves nothing of its own behind.
        if name == "charts":
            if "symbolic link" not in p.stderr or p.returncode != 1:
                fail("a link planted at %s: exit %d, %r" %
                     (name, p.returncode, p.stderr))
            if sorted(os.listdir(out)) != ["charts"]:
                fail("a refused report left %r behind" % os.listdir(out))
        elif p.returncode != 0 or os.path.islink(path) or \
                not os.path.isfile(path):
            fail("a link planted at %s: exit %d, %r, not replaced by the "
                 "report's file" % (name, p.returncode, p.stderr))
    ref = json.loads(open(os.path.join(ROOT, "reports", "reference",
                                       "liwan-2022.json"),
                          encoding="utf-8").read())
    for k, bad, want in ((4, [4], "must be an integer"),
                         (1, 99.99, "must be a decimal string"),
                         (1, "99,99", "must be a decimal string"),
                         (0, "24.5", "must be a number"),
                         (2, None, "must be a decimal string")):
        r = json.loads(json.dumps(ref))
        r["figures"][k]["value"] = bad
        path = os.path.join(work, "ref.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(r, f, ensure_ascii=False)
        p = subprocess.run([hotline, "report", "--db", db, "--district",
                            "荔湾区", "--year", "2022", "--out",
                            os.path.join(work, "refout"), "--reference",
                            path], capture_output=True, text=True)
        if p.returncode != 1 or "figures[%d]: \"value\" %s" % (k, want) \
                not in p.stderr:
            fail("reference value %r: exit %d, %r" %
                 (bad, p.returncode, p.stderr))


def browser(hotline, work):
    gold = os.path.join(work, "gold")
    golden(hotline, work, gold, True)
    hostile(hotline, work)
    check = os.path.join(HERE, "..", "browser", "check_html.mjs")
    for d in ("annual", "monthly", "hostile"):
        # The charts report.md shows, each drawn: the same document.
        md = open(os.path.join(work, d, "report.md"), encoding="utf-8")
        charts = sum(1 for l in md if l.startswith("!["))
        if charts < 2:
            fail("%s/report.md shows %d charts" % (d, charts))
        p = subprocess.run(["node", check,
                            os.path.join(work, d, "report.html"),
                            str(charts), os.path.join(work, d)],
                           capture_output=True, text=True)
        if p.returncode != 0:
            fail("%s/report.html in chromium:\n%s%s"
                 % (d, p.stdout, p.stderr))
        else:
            print(p.stdout.strip())


def demo(hotline, work):
    for attempt in (1, 2):
        p = run([hotline, "demo", "-q", "--out", work])
        rows = [l for l in p.stdout.splitlines()
                if l.startswith(("共承办", "按时办结率", "咨询类", "非咨询类",
                                 "普通工单", "重点工单"))]
        if len(rows) != 6:
            fail("run %d: %d comparison lines, not 6:\n%s"
                 % (attempt, len(rows), p.stdout))
        for l in rows:
            if not l.rstrip().endswith("✓"):
                fail("run %d: not reproduced: %s" % (attempt, l))
        for d in ("report-2022", "report-2022-12"):
            if not os.path.exists(os.path.join(work, d, "report.html")):
                fail("run %d: no %s/report.html" % (attempt, d))
    print("check_report: demo: %d lines reproduced, twice" % len(rows))


def snapshot(d):
    """Every file under d with its bytes."""
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, d)] = open(p, "rb").read()
    return out


def gaps(hotline, work):
    import csv
    src = os.path.join(work, "s")
    run([hotline, "sample", "--seed", "4", "--scale", "0.002",
         "--no-calibrate", "--years", "2022", "--out", src])
    export = os.path.join(src, "gz12345-2022.csv")
    db = os.path.join(work, "t.db")
    run([hotline, "ingest", "-q", "--db", db, export])
    with open(export, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    dist = "荔湾区"
    months = {r[1][:7] for r in rows[1:] if r[5] == dist}

    # A period without tickets: refused, named, nothing written.
    empty = "2023-03"
    if empty in months:
        fail("the sample has tickets in %s" % empty)
    p = subprocess.run([hotline, "metrics", "--db", db, "--district", dist,
                        "--month", empty], capture_output=True, text=True)
    if p.returncode != 1 or dist not in p.stderr or empty not in p.stderr \
            or p.stdout:
        fail("metrics of an empty month: exit %d, %r, %r"
             % (p.returncode, p.stdout, p.stderr))
    out = os.path.join(work, "empty")
    p = subprocess.run([hotline, "report", "--db", db, "--district", dist,
                        "--month", empty, "--out", out],
                       capture_output=True, text=True)
    if p.returncode != 1 or dist not in p.stderr or empty not in p.stderr:
        fail("report of an empty month: exit %d, %r" % (p.returncode,
                                                       p.stderr))
    if os.path.exists(out):
        fail("a refused report left %s behind" % out)
    # An earlier report stays as it was when a later one fails, be it
    # for an empty period or for gnuplot failing after some charts.
    out = os.path.join(work, "kept")
    run([hotline, "report", "--db", db, "--district", dist, "--month",
         "2022-05", "--out", out])
    before = snapshot(out)
    bad = os.path.join(work, "bin")
    os.makedirs(bad)
    with open(os.path.join(bad, "gnuplot"), "w") as f:
        f.write("#!/bin/sh\ncase \"$1\" in on_time.gp) echo broken >&2; "
                "exit 1;; esac\nexec /usr/bin/gnuplot \"$@\"\n")
    os.chmod(os.path.join(bad, "gnuplot"), 0o755)
    env = dict(os.environ, PATH=bad + os.pathsep + os.environ["PATH"])
    for args, what in ((["--month", empty], "an empty month"),
                       (["--month", "2022-06"], "gnuplot failing")):
        p = subprocess.run([hotline, "report", "--db", db, "--district",
                            dist, "--out", out] + args, env=env,
                           capture_output=True, text=True)
        if p.returncode != 1:
            fail("report with %s: exit %d" % (what, p.returncode))
        if snapshot(out) != before:
            fail("report with %s changed the earlier report" % what)
    if "broken" not in p.stderr:
        fail("gnuplot's message is not passed on: %r" % p.stderr)

    # A first year: the year before is no data, not zeros.
    out = os.path.join(work, "first")
    run([hotline, "report", "--db", db, "--district", dist, "--year",
         "2022", "--out", out])
    md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
    if "数据库中没有 2021 年的工单" not in md:
        fail("the first year's report does not say the year before has "
             "no tickets")
    with open(os.path.join(out, "summary.csv"), encoding="utf-8-sig",
              newline="") as f:
        summ = list(csv.reader(f))
    if summ[0][2] != "2021":
        fail("summary.csv: header %r" % summ[0])
    for r in summ[1:]:
        if r[2] not in ("-", "'-") or r[3] != "":
            fail("summary.csv: %r compares with a year without tickets"
                 % r)
    j = json.load(open(os.path.join(out, "figures.json"), encoding="utf-8"))
    if j["year_before"] is not None:
        fail("figures.json: year_before is not null")

    # An export without satisfaction answers.
    nosat = os.path.join(work, "nosat.csv")
    col = rows[0].index("满意度")
    with open(nosat, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        for r in rows:
            w.writerow(r[:col] + r[col + 1:])
    db2 = os.path.join(work, "nosat.db")
    run([hotline, "ingest", "-q", "--db", db2, nosat])
    for args in (["--year", "2022"], ["--month", "2022-05"]):
        # Over a report of the same period with answers: what that one
        # drew and this one cannot does not stay behind.
        out = os.path.join(work, "nosat-" + args[1])
        run([hotline, "report", "--db", db, "--district", dist, "--out",
             out] + args)
        if not os.path.exists(os.path.join(out, "charts",
                                           "satisfaction.png")):
            fail("%s: no satisfaction chart with answers" % out)
        run([hotline, "report", "--db", db2, "--district", dist, "--out",
             out] + args)
        md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
        if "（图）满意率与全市排名（按月，普通与重点工单）：本期没有可绘制的" \
                "数据，未绘制。" not in md:
            fail("%s: the satisfaction chart's absence is not said" % out)
        if "本期工单没有满意度回访结果" not in md:
            fail("%s: the missing satisfaction answers are not said" % out)
        if os.path.exists(os.path.join(out, "charts", "satisfaction.png")):
            fail("%s: a satisfaction chart of no answers" % out)
        if "charts/volume.png" not in md or not os.path.exists(
                os.path.join(out, "charts", "volume.png")):
            fail("%s: the volume chart is missing" % out)
    print("check_report: gaps: empty month refused, first year and no "
          "satisfaction written")


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    mode, hotline, work = argv[1], argv[2], argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if mode == "golden":
        golden(hotline, work, argv[4], "--update" in argv[5:])
    elif mode == "hostile":
        hostile(hotline, work)
    elif mode == "demo":
        demo(hotline, work)
    elif mode == "browser":
        browser(hotline, work)
    elif mode == "gaps":
        gaps(hotline, work)
    else:
        print(__doc__)
        return 2
    print("check_report: %s: %s" % (mode, "ok" if not FAILS
                                     else "%d failures" % len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
