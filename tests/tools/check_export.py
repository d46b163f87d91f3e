#!/usr/bin/env python3
"""`hotline export`'s rows, recounted, give every headline figure.

Usage: check_export.py HOTLINE WORK_DIR

Writes a small sample data set (two years), changes some rows of the
later year so that the figures have every case to count (open tickets,
tickets without a deadline or a dispatch, a unit whose name starts with
'='), ingests it, and for several scopes and profiles (a year, a month,
a district, the city; the closed and the dispatched denominator; tickets
without a deadline left out, on time or late; deadlines computed from the
table) compares `hotline metrics --format json` with what the rows of
`hotline export` recount: tickets by class and month, both on-time rates
(numerator, denominator, late, no deadline) from the rows' status and
times, the headline rate from the rows' own on_time_counted, late hours,
satisfaction of ordinary and key tickets, reopen, handling means (natural
and working) by group and category, tickets left out of handling,
flagged tickets, the lists of open tickets past and near their deadline,
repeat calls and their cases, every unit's and district's counts.  Then:
--late lists exactly the tickets counted late, as many as the figure
says; --open, --unit filter; CSV has a BOM, CRLF, a neutralised formula;
the workbook (read with python3-openpyxl) holds numbers as numbers,
times as datetimes and a frozen header; the JSON gives the same rows;
--lang zh heads the columns in Chinese; a period without tickets fails.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debian_python  # noqa: E402

debian_python.need("openpyxl")


def fail(msg):
    sys.stderr.write("check_export: %s\n" % msg)
    sys.exit(1)


def run(argv, ok=(0,)):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in ok:
        fail("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                 p.stderr.decode(errors="replace")))
    return p


def equal(a, b, what):
    if a != b:
        fail("%s: export gives %r, the figures %r" % (what, a, b))


def close(a, b, what, tol=2e-6):
    if a is None or b is None:
        if a is not b:
            fail("%s: export gives %r, the figures %r" % (what, a, b))
        return
    if abs(a - b) > tol * max(1.0, abs(b)):
        fail("%s: export gives %r, the figures %r" % (what, a, b))


# ---- the data ----

def mutate(path):
    """Open tickets, tickets without deadline or dispatch, a hostile unit."""
    with open(path, encoding="utf-8-sig", errors="surrogateescape",
              newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    col = {h: i for i, h in enumerate(head)}
    for n, r in enumerate(rows[1:], 1):
        if n % 23 == 0:
            r[col["办结时间"]] = ""
            r[col["工单状态"]] = "办理中"
            r[col["满意度"]] = ""
        if n % 29 == 0:
            r[col["办理时限"]] = ""
        if n % 31 == 0:
            r[col["派单时间"]] = ""
            r[col["签收时间"]] = ""
        if n % 97 == 0:
            r[col["承办单位"]] = "=1+1单位"
    with open(path, "w", encoding="utf-8", errors="surrogateescape",
              newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


def read_csv(data, what):
    if not data.startswith(b"\xef\xbb\xbf"):
        fail("%s: no UTF-8 BOM" % what)
    text = data[3:].decode("utf-8")
    if "\n" in text.replace("\r\n", ""):
        fail("%s: a line end that is not CRLF" % what)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return rows


def plain(v):
    """A cell as it was before the CSV neutralised a formula."""
    return v[1:] if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@") else v


def export(hotline, args, what, fmt="csv", ok=(0,)):
    """The rows of an export (CSV: as read back, formulas restored)."""
    p = run([hotline, "export"] + args + ["--format", fmt], ok)
    if fmt == "csv":
        rows = read_csv(p.stdout, what)
        return ([{k: plain(v) for k, v in r.items()} for r in rows],
                p.stderr.decode())
    return p.stdout, p.stderr.decode()


def t(s):
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%S") if s else None


def hours(a, b):
    return (a - b).total_seconds() / 3600.0


def num(s):
    return float(s) if s != "" else None


# ---- the recount ----

def rule(on, late, den, nodl_closed, nodl, how):
    """analysis/assess.c's an_on_time_rule, read from the docs."""
    if how == "excluded":
        den -= nodl
    elif how == "on_time":
        on += nodl_closed
    else:
        late += nodl_closed
    return on, den, late


def on_time_figures(rows, how):
    """Both on-time rates from the rows' status and times alone."""
    closed = [r for r in rows if r["closed_at"]]
    on = sum(r["status"] == "on_time" for r in closed)
    late = sum(r["status"] == "late" for r in closed)
    nodl = sum(r["status"] == "no_deadline" for r in closed)
    c = rule(on, late, len(closed), nodl, nodl, how) + (nodl,)
    disp = [r for r in rows if r["dispatched_at"]]
    d_on = sum(r["status"] == "on_time" for r in disp)
    d_late = sum(r["status"] in ("late", "open_overdue") for r in disp)
    d_nodl = sum(r["deadline_source"] == "none" for r in disp)
    d_nodl_c = sum(r["status"] == "no_deadline" for r in disp)
    d = rule(d_on, d_late, len(disp), d_nodl_c, d_nodl, how) + (d_nodl,)
    return c, d


def check_on_time(fig, got, what):
    on, den, late, nodl = got
    equal(on, fig["numerator"], what + " numerator")
    equal(den, fig["denominator"], what + " denominator")
    equal(late, fig["late"], what + " late")
    equal(nodl, fig["no_deadline"], what + " no deadline")


def check_main(rows, fig, settings, what):
    """The headline figures of a period (the period's, a district's line
    of the city, a month's) from its rows."""
    equal(len(rows), fig["tickets"], what + " tickets")
    consult = sum(r["category"] == "consult" for r in rows)
    equal(consult, fig["consult"], what + " consult")
    c, d = on_time_figures(rows, settings["on_time_no_deadline"])
    # A month's figures give the closed rate as the headline only.
    closed = fig.get("on_time_closed")
    if closed is None and settings["on_time_denominator"] == "closed":
        closed = fig["on_time"]
    if closed is not None:
        check_on_time(closed, c, what + " on-time (closed)")
    check_on_time(fig["on_time_dispatched"], d,
                  what + " on-time (dispatched)")
    head = fig["on_time"]
    n = {k: sum(r["on_time_counted"] == k for r in rows)
         for k in ("on_time", "late", "pending", "left_out")}
    equal(n["on_time"], head["numerator"], what + " on-time numerator")
    equal(n["on_time"] + n["late"] + n["pending"], head["denominator"],
          what + " on-time denominator")
    equal(n["late"], head["late"], what + " late")
    for k, key in (("ordinary", False), ("key", True)):
        part = [r for r in rows if (r["is_key"] == "yes") == key]
        for a in ("satisfied", "basic", "unsatisfied", "not_evaluated"):
            equal(sum(r["satisfaction"] == a for r in part),
                  fig["satisfaction"][k][a], "%s %s %s" % (what, k, a))


def check_period(rows, f, as_of, what):
    s = f["settings"]
    main = dict(f["volume"])
    main.update(tickets=f["tickets"], on_time=f["on_time"],
                on_time_closed=f["on_time_closed"],
                on_time_dispatched=f["on_time_dispatched"],
                satisfaction=f["satisfaction"])
    check_main(rows, main, s, what)
    for c, n in f["volume"]["by_class"].items():
        equal(sum(r["category"] == c for r in rows), n, what + " " + c)
    # How late: hours after the deadline, closed or at the as-of time.
    for r in rows:
        if r["status"] == "late":
            close(num(r["late_hours"]),
                  hours(t(r["closed_at"]), t(r["deadline"])),
                  what + " late hours of " + r["ticket_id"])
        elif r["status"] == "open_overdue":
            close(num(r["late_hours"]), hours(as_of, t(r["deadline"])),
                  what + " hours past of " + r["ticket_id"])
        elif r["late_hours"]:
            fail("%s: %s is %s with late hours" % (what, r["ticket_id"],
                                                   r["status"]))
        if r["status"].startswith("open") != (r["closed_at"] == ""):
            fail("%s: %s: status %s" % (what, r["ticket_id"], r["status"]))
    closed = [r for r in rows if r["closed_at"]]
    known = [r for r in closed if r["reopen_count"] != ""]
    equal(len(known), f["reopen"]["denominator"], what + " reopen known")
    equal(sum(int(r["reopen_count"]) >= 1 for r in known),
          f["reopen"]["numerator"], what + " reopened")
    # Handling: means over the closed tickets that count.
    groups = [("consult", f["handling"]["consult"],
               lambda c: c == "consult"),
              ("not consult", f["handling"]["other"],
               lambda c: c != "consult")]
    for c, h in f["handling"]["by_category"].items():
        groups.append((c, h, (lambda k: lambda c: c == k)(c)))
    for g, h, match in groups:
        nat = [num(r["natural_hours"]) for r in closed
               if match(r["category"]) and r["natural_hours"]]
        work = [num(r["working_hours"]) for r in closed
                if match(r["category"]) and r["working_hours"]]
        equal(len(nat), h["n"], what + " handling n " + g)
        equal(len(work), h["work"]["n"], what + " working n " + g)
        close(sum(nat) / len(nat) if nat else None, h["mean"],
              what + " handling mean " + g)
        close(sum(work) / len(work) if work else None, h["work"]["mean"],
              what + " working mean " + g)
    q = f["quality"]
    equal(sum(r["hours_note"] == "closed_before_start" for r in closed),
          q["left_out_of_handling"], what + " left out of handling")
    equal(sum(r["quality_flags"] != "" for r in rows), q["flagged"],
          what + " flagged")
    equal(sum(r["status"] == "no_deadline" for r in rows), q["no_deadline"],
          what + " closed without deadline")
    # Open tickets past and near their deadline at the as-of time.
    sup = f["supervision"]
    equal(sorted(r["ticket_id"] for r in rows
                 if r["status"] == "open_overdue"),
          sorted(x["ticket_id"] for x in sup["past_deadline"]),
          what + " past deadline")
    near = as_of + timedelta(hours=s["supervision"]["near_hours"])
    equal(sorted(r["ticket_id"] for r in rows if r["status"] == "open"
                 and t(r["deadline"]) <= near),
          sorted(x["ticket_id"] for x in sup["near_deadline"]),
          what + " near deadline")
    # Repeat calls: the tickets that repeat one, how, and their cases.
    rp = f["repeats"]
    equal(sum(r["repeat_link"] != "" for r in rows), rp["tickets"],
          what + " repeats")
    equal(sum("quote" in r["repeat_link"] for r in rows), rp["by_quote"],
          what + " repeats by quote")
    equal(sum("caller" in r["repeat_link"] for r in rows),
          rp["by_caller"], what + " repeats by caller")
    equal(len({r["repeat_case"] for r in rows if r["repeat_case"]}),
          rp["chains"], what + " repeat cases")
    for r in rows:
        if r["repeat_link"] and not r["repeat_case"]:
            fail("%s: %s repeats outside a case" % (what, r["ticket_id"]))
    for c in rp["largest"]:
        if not any(r["repeat_case"] == c["first_ticket"] for r in rows):
            fail("%s: no row of the case of %s" % (what, c["first_ticket"]))
    # Units: tickets, closed, late by the closed rule.
    for u in f["units"]:
        mine = [r for r in rows if r["unit"] == (u["unit"] or "")]
        equal(len(mine), u["tickets"], what + " unit tickets " + u["unit"])
        equal(sum(r["closed_at"] != "" for r in mine), u["closed"],
              what + " unit closed " + u["unit"])
        c, _ = on_time_figures(mine, s["on_time_no_deadline"])
        equal(c[2], u["late"], what + " unit late " + u["unit"])
    # Months of the year, and the city's districts side by side.
    if f["scope"]["kind"] == "year":
        for m in f["months"]:
            mine = [r for r in rows
                    if int(r["accepted_at"][5:7]) == m["month"]]
            check_main(mine, m, s, "%s month %d" % (what, m["month"]))
    for d in f.get("districts") or []:
        mine = [r for r in rows if (r["district"] or "未填区") == d["district"]]
        check_main(mine, d, s, what + " " + d["district"])


def check_scope(hotline, db, work, name, args):
    what = name
    f = json.loads(run([hotline, "metrics", "--db", db, "--format", "json"]
                       + args).stdout)
    as_of = t(f["scope"]["as_of"])
    rows, err = export(hotline, ["--db", db] + args, what)
    if f["tickets"] == 0:
        fail("%s: no tickets to check" % what)
    check_period(rows, f, as_of, what)
    late = f["on_time"]["late"]
    want = "exported %d tickets (late: %d; the figure counts %d)" % (
        len(rows), late, late)
    if want not in err:
        fail("%s: stderr %r lacks %r" % (what, err, want))
    # --late: exactly the tickets counted late.
    lrows, err = export(hotline, ["--db", db, "--late"] + args, what)
    equal(len(lrows), late, what + " --late rows")
    equal([r["ticket_id"] for r in lrows],
          [r["ticket_id"] for r in rows if r["on_time_counted"] == "late"],
          what + " --late tickets")
    # --open, --unit.
    orows, _ = export(hotline, ["--db", db, "--open"] + args, what)
    equal([r["ticket_id"] for r in orows],
          [r["ticket_id"] for r in rows if not r["closed_at"]],
          what + " --open tickets")
    unit = f["units"][0]["unit"]
    urows, _ = export(hotline, ["--db", db, "--unit", unit] + args, what)
    equal([r["ticket_id"] for r in urows],
          [r["ticket_id"] for r in rows if r["unit"] == unit],
          what + " --unit tickets")
    return f, rows


# ---- the formats ----

def check_formats(hotline, db, work, rows, args):
    what = "formats"
    raw = read_csv(run([hotline, "export", "--db", db] + args).stdout, what)
    hostile = [r for r in raw if r["unit"].startswith("'=1+1")]
    if not hostile:
        fail("CSV: a cell starting with '=' is not neutralised")
    zh, _ = export(hotline, ["--db", db, "--lang", "zh"] + args, what)
    if list(zh[0].keys())[0] != "工单编号":
        fail("--lang zh: header %r" % list(zh[0].keys())[:3])
    # JSON: one array, the same values (null for an empty cell).
    out, _ = export(hotline, ["--db", db] + args, what, "json")
    js = json.loads(out)
    equal(len(js), len(rows), "JSON rows")
    for j, r in zip(js, rows):
        for k, v in r.items():
            w = j[k]
            if v == "":
                equal(w, None, "JSON %s of %s" % (k, r["ticket_id"]))
            elif isinstance(w, (int, float)):
                close(float(w), float(v), "JSON %s of %s" % (
                    k, r["ticket_id"]))
            else:
                equal(w, v, "JSON %s of %s" % (k, r["ticket_id"]))
    # XLSX: types, a frozen header.
    import openpyxl
    path = os.path.join(work, "export.xlsx")
    run([hotline, "export", "--db", db, "--format", "xlsx", "--out", path]
        + args)
    ws = openpyxl.load_workbook(path).active
    equal(ws.freeze_panes, "A2", "XLSX frozen panes")
    got = list(ws.iter_rows(values_only=True))
    head = list(got[0])
    equal(head, list(rows[0].keys()), "XLSX header")
    equal(len(got) - 1, len(rows), "XLSX rows")
    for x, r in zip(got[1:], rows):
        for k, w in zip(head, x):
            v = r[k]
            where = "XLSX %s of %s" % (k, r["ticket_id"])
            if v == "":
                equal(w, None, where)
            elif k.endswith("_at") or k == "deadline":
                if not isinstance(w, datetime):
                    fail("%s: %r is not a date" % (where, w))
                if abs((w - t(v)).total_seconds()) > 0.5:
                    fail("%s: %s, expected %s" % (where, w, v))
            elif k in ("late_hours", "natural_hours", "working_hours",
                       "reopen_count"):
                if not isinstance(w, (int, float)):
                    fail("%s: %r is not a number" % (where, w))
                close(float(w), float(v), where)
            else:
                equal(w, v, where)


def main():
    if len(sys.argv) != 3:
        fail("usage: check_export.py HOTLINE WORK_DIR")
    hotline, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data = os.path.join(work, "sample")
    run([hotline, "sample", "-q", "--out", data, "--seed", "21", "--scale",
         "0.003", "--no-calibrate", "--years", "2021-2022", "--dirt", "0.02", "--plant",
         "analyses"])
    mutate(os.path.join(data, "gz12345-2022.csv"))
    db = os.path.join(work, "hotline.db")
    run([hotline, "ingest", "-q", "--db", db,
         os.path.join(data, "gz12345-2021.csv"),
         os.path.join(data, "gz12345-2022.csv")], ok=(0, 1))  # dirt
    profiles = {
        "default": None,
        "dispatched": "[on_time]\ndenominator = dispatched\n",
        "nodl-on-time": "[on_time]\ndenominator = dispatched\n"
                        "no_deadline = on_time\n",
        "nodl-late": "[on_time]\nno_deadline = late\n",
        "fill": "[deadlines]\nfill = table\n",
    }
    scopes = {
        "city-2022": ["--year", "2022"],
        "liwan-2022": ["--year", "2022", "--district", "荔湾区"],
        "tianhe-2022-06": ["--month", "2022-06", "--district", "天河区"],
        "city-2022-Q3": ["--period", "2022-Q3"],
    }
    for pname, text in profiles.items():
        extra = []
        if text:
            path = os.path.join(work, pname + ".ini")
            with open(path, "w") as f:
                f.write(text)
            extra = ["--profile", path]
        for sname, args in scopes.items():
            if pname != "default" and sname == "city-2022-Q3":
                continue
            f, rows = check_scope(hotline, db, work, "%s %s" % (pname, sname),
                                  args + extra)
            if pname == "default" and sname == "city-2022":
                if not any(r["status"] == "open_overdue" for r in rows) or \
                   not any(r["deadline_source"] == "none" for r in rows) or \
                   not any(r["repeat_case"] for r in rows) or \
                   not any(r["quality_flags"] for r in rows) or \
                   not any(r["hours_note"] == "closed_before_start"
                           for r in rows):
                    fail("the data lack open overdue tickets, tickets "
                         "without a deadline, repeat calls, flags or "
                         "tickets left out of handling")
                check_formats(hotline, db, work, rows, args)
            if sname != "city-2022":
                continue
            if pname == "fill" and not any(
                    r["deadline_source"] == "computed" for r in rows):
                fail("%s %s: no computed deadline" % (pname, sname))
            if pname == "dispatched" and not any(
                    r["on_time_counted"] == "pending" for r in rows):
                fail("%s %s: no pending ticket" % (pname, sname))
    # A period without tickets fails, naming it.
    p = run([hotline, "export", "--db", db, "--year", "2030", "--district",
             "荔湾区"], ok=(1,))
    err = p.stderr.decode()
    if "2030" not in err or "荔湾区" not in err or p.stdout:
        fail("empty period: %r" % err)
    print("check_export: ok")


if __name__ == "__main__":
    main()
