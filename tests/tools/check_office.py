#!/usr/bin/env python3
"""report.xlsx and report.docx of `hotline report`, read back by third
parties.

    check_office.py office HOTLINE WORK_DIR
    check_office.py hostile HOTLINE WORK_DIR
    check_office.py nopandoc HOTLINE WORK_DIR

office    writes the annual 2022 report of 荔湾区 and its March report from
          the hand-made data set (tests/data/verify-mini) and reads
          report.xlsx with python3-openpyxl: the sheets are the report's
          text and then its tables in order, named after their CSV files;
          every header row is frozen; every figure is a number (counts
          #,##0, rates the fraction as 0.00%) that shows, in its number
          format, exactly what the CSV says; the months equal figures.json;
          Excel's charts of the months are there.  report.docx is read with
          python3-docx: its title, headings, every table cell for cell
          equal to the CSV, the reproduction table equal to figures.json's
          "published", one image per chart drawn.  Headless LibreOffice
          converts it to PDF: the Chinese text is there, set in a CJK
          font, and the first pages are rendered to PNG (left in WORK_DIR
          to look at).
hostile   the report of names that are markup, formulas, quotes and line
          breaks (check_report.py's hostile data set): both files hold
          them as plain text, none is a formula or markup; links planted
          at report.xlsx and report.docx are replaced, never followed.
nopandoc  without pandoc in PATH the report is still written, with a
          warning and no report.docx (an older one removed); a pandoc
          that fails fails the report, saying so.

Exit status 0 when everything holds, 1 otherwise.
"""
import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_report  # noqa: E402  (its data sets and helpers)

import debian_python  # noqa: E402

debian_python.need("docx", "openpyxl")
import docx  # noqa: E402  (python3-docx)
import openpyxl  # noqa: E402  (python3-openpyxl)

MINI = os.path.join(HERE, "..", "data", "verify-mini")
FAILS = check_report.FAILS
fail = check_report.fail
run = check_report.run
NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


def csv_rows(path):
    """A CSV table as report.csv writes it, the neutralising apostrophe
    taken off again."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return [[c[1:] if c[:1] == "'" and c[1:2] in ("=", "+", "-", "@",
                                                  "\t", "\r") else c
             for c in r] for r in rows]


def shown(value, fmt):
    """value as Excel shows it in number format fmt (the formats
    report.xlsx uses)."""
    if isinstance(value, str) or value is None:
        return value
    parts = fmt.split(";")
    part = parts[0]
    if len(parts) == 3 and value < 0:
        part, value = parts[1], -value
    elif len(parts) == 3 and value == 0:
        part = parts[2]
    lit = re.findall(r'"([^"]*)"', part)
    body = re.sub(r'"[^"]*"', "", part)
    sign = "+" if body.startswith("+") else ("-" if body.startswith("-")
                                             else "")
    body = body.lstrip("+-")
    pct = body.endswith("%")
    if pct:
        value *= 100
        body = body[:-1]
    dec = len(body.split(".")[1]) if "." in body else 0
    if body.startswith("#,##0"):
        text = "{:,.{}f}".format(value, dec)
    elif body.startswith("0") or fmt == "General":
        text = "%.*f" % (dec, value) if fmt != "General" else \
            ("%d" % value if value == int(value) else repr(value))
    else:
        raise ValueError("number format %r not known" % fmt)
    return sign + text + ("%" if pct else "") + "".join(lit)


def md_tables(md):
    """The CSV names of report.md's tables, in order."""
    return re.findall(r"^\((?:表格文件|table file): (.+\.csv)\)$", md, re.M)


def md_right(md):
    """For each of report.md's tables, which columns are figures (the
    right-aligned ones)."""
    return [[c.endswith(":") for c in line.strip("|").split("|")]
            for line in re.findall(r"^\|(?:-+:?\|)+$", md, re.M)]


def md_unescape(s):
    return re.sub(r"\\(.)", r"\1", s)


def report(hotline, db, out, extra, env=None, ok=(0,)):
    p = subprocess.run([hotline, "report", "--db", db, "--district",
                        "荔湾区", "--out", out] + extra,
                       capture_output=True, text=True, env=env)
    if p.returncode not in ok or "runtime error:" in p.stderr:
        raise SystemExit("check_office: report exited %d\n%s%s"
                         % (p.returncode, p.stdout, p.stderr))
    return p


def check_xlsx(out, zh=True):
    path = os.path.join(out, "report.xlsx")
    md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
    figs = json.load(open(os.path.join(out, "figures.json"),
                          encoding="utf-8"))
    tables = md_tables(md)
    wb = openpyxl.load_workbook(path)
    want = ["报告" if zh else "Report"] + [t[:-4] for t in tables]
    if wb.sheetnames != want:
        fail("%s: sheets %s, want %s" % (path, wb.sheetnames, want))
        return
    title = md.splitlines()[0][2:]
    if wb.properties.title != md_unescape(title):
        fail("%s: title %r" % (path, wb.properties.title))
    text = [c.value for c in wb[want[0]]["A"] if c.value]
    source = any(t.startswith(("来源", "Source")) for t in text)
    if text[0] != md_unescape(title) or \
            source != ("reproduction.csv" in tables):
        fail("%s: the text sheet lacks the title or the source: %s"
             % (path, text[:3]))
    numbers = 0
    for name, right in zip(tables, md_right(md)):
        ws = wb[name[:-4]]
        rows = csv_rows(os.path.join(out, name))
        if ws.freeze_panes != "A2":
            fail("%s: header not frozen (%r)" % (name, ws.freeze_panes))
        for r, row in enumerate(rows):
            for c, want_text in enumerate(row):
                cell = ws.cell(row=r + 1, column=c + 1)
                v = cell.value
                if r == 0:
                    if v != want_text or not cell.font.b:
                        fail("%s: header %r, want bold %r"
                             % (name, v, want_text))
                    continue
                if want_text in ("-", ""):
                    if v is not None:
                        fail("%s!%s: %r, want a blank cell"
                             % (name, cell.coordinate, v))
                    continue
                if right[c] and NUMBER.match(want_text):
                    if not isinstance(v, (int, float)) or \
                            isinstance(v, bool):
                        fail("%s!%s: %r is not a number"
                             % (name, cell.coordinate, v))
                        continue
                    numbers += 1
                    if "%" in want_text and "%" in cell.number_format \
                            and '"%"' not in cell.number_format and \
                            not 0 <= abs(v) <= 1.5:
                        fail("%s!%s: a rate %r is not the fraction"
                             % (name, cell.coordinate, v))
                got = shown(v, cell.number_format)
                if got != want_text:
                    fail("%s!%s: shows %r (%r in %r), the CSV %r"
                         % (name, cell.coordinate, got, v,
                            cell.number_format, want_text))
    if numbers == 0:
        fail("%s: no number cells at all" % path)
    # The months against figures.json, figure by figure.
    if "months.csv" in tables:
        ws = wb["months"]
        head = [c.value for c in ws[1]]
        col = {h: i + 1 for i, h in enumerate(head)}
        for m in figs["period"]["months"]:
            r = m["month"] + 1
            if ws.cell(r, 1).value is None:
                continue
            for h, v, fmt in (("工单量", m["tickets"], "#,##0"),
                              ("咨询", m["consult"], "#,##0"),
                              ("按时办结率", m["on_time"]["value"], "0.00%"),
                              ("超期件数", m["on_time"]["late"]
                               if m["on_time"]["value"] is not None
                               else None, "#,##0"),
                              ("满意率（普通）",
                               m["satisfaction"]["ordinary"]["value"],
                               "0.00%")):
                if not zh or h not in col:
                    continue
                cell = ws.cell(r, col[h])
                if v is None:
                    ok = cell.value is None
                else:
                    ok = isinstance(cell.value, (int, float)) and \
                        abs(cell.value - v) < 1e-9 and \
                        cell.number_format == fmt
                if not ok:
                    fail("months!%s: %r (%s), figures.json %r %s"
                         % (cell.coordinate, cell.value,
                            cell.number_format, v, fmt))
        names = zipfile.ZipFile(path).namelist()
        charts = sorted(n for n in names if re.match(
            r"xl/charts/chart\d+\.xml$", n))
        if len(charts) != 3:
            fail("%s: %d charts, want 3 (volume, late, satisfaction)"
                 % (path, len(charts)))
        z = zipfile.ZipFile(path)
        for n in charts:
            if "months!$" not in z.read(n).decode("utf-8"):
                fail("%s: %s does not plot the months sheet" % (path, n))
        if len(getattr(ws, "_charts", [])) not in (0, 3):
            fail("months: openpyxl reads %d charts" % len(ws._charts))
    print("check_office: %s: %d sheets, %d number cells"
          % (path, len(wb.sheetnames), numbers))


def check_docx(out, zh=True):
    path = os.path.join(out, "report.docx")
    md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
    figs = json.load(open(os.path.join(out, "figures.json"),
                          encoding="utf-8"))
    page = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    title = html.unescape(re.search(r"<title>(.*?)</title>", page).group(1))
    d = docx.Document(path)
    paras = [(p.style.name, p.text) for p in d.paragraphs]
    if not paras or paras[0] != ("Title", title):
        fail("%s: first paragraph %r, want the title %r"
             % (path, paras[:1], title))
    if d.core_properties.title != title:
        fail("%s: title property %r" % (path, d.core_properties.title))
    heads = [t for s, t in paras if s == "Heading 1"]
    want = [md_unescape(h) for h in re.findall(r"^## (.*)$", md, re.M)]
    if heads != want:
        fail("%s: headings %s, want %s" % (path, heads, want))
    tables = md_tables(md)
    if len(d.tables) != len(tables):
        fail("%s: %d tables, want %d" % (path, len(d.tables), len(tables)))
    for t, name in zip(d.tables, tables):
        rows = [[c.text for c in r.cells] for r in t.rows]
        if rows != csv_rows(os.path.join(out, name)):
            fail("%s: the table of %s differs from it:\n%s"
                 % (path, name, rows[:3]))
    pub = figs.get("published")
    if pub:
        t = d.tables[tables.index("reproduction.csv")]
        got = [[c.text for c in r.cells] for r in t.rows][1:]
        want = [[p["label"], p["published"], p["computed"], p["shown"]]
                for p in pub]
        if [r[:4] for r in got] != want:
            fail("%s: reproduction %s, figures.json %s" % (path, got, want))
    drawn = len(re.findall(r"^!\[", md, re.M))
    if len(d.inline_shapes) != drawn or drawn == 0:
        fail("%s: %d images, %d charts drawn"
             % (path, len(d.inline_shapes), drawn))
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode("utf-8")
    lang = "zh-CN" if zh else "en-US"
    if 'w:val="%s"' % lang not in styles:
        fail("%s: the styles do not say the text is %s" % (path, lang))
    print("check_office: %s: %d paragraphs, %d tables, %d images"
          % (path, len(paras), len(d.tables), len(d.inline_shapes)))
    return title


def check_pdf(out, work, title):
    """report.docx through headless LibreOffice to PDF and PNG."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print("check_office: SKIPPED the PDF: soffice is not installed "
              "(apt-get install libreoffice-writer-nogui)")
        return
    pdf_dir = os.path.join(work, "pdf")
    profile = os.path.join(work, "lo-profile")
    p = subprocess.run([soffice, "-env:UserInstallation=file://" + profile,
                        "--headless", "--convert-to", "pdf", "--outdir",
                        pdf_dir, os.path.join(out, "report.docx")],
                       capture_output=True, text=True, timeout=300)
    pdf = os.path.join(pdf_dir, "report.pdf")
    if p.returncode != 0 or not os.path.exists(pdf):
        fail("soffice did not convert report.docx:\n%s%s"
             % (p.stdout, p.stderr))
        return
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"],
                          capture_output=True, text=True).stdout
    for want in (title, "与年度自评报告公布数据对照", "按月情况"):
        if re.sub(r"\s+", "", want) not in re.sub(r"\s+", "", text):
            fail("report.pdf: %r not in its text" % want)
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True,
                           text=True).stdout
    if "CJK" not in fonts:
        fail("report.pdf: no CJK font embedded:\n%s" % fonts)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2",
                    pdf, os.path.join(pdf_dir, "page")], check=True)
    pages = sorted(f for f in os.listdir(pdf_dir) if f.endswith(".png"))
    if len(pages) != 2 or any(os.path.getsize(os.path.join(pdf_dir, f))
                              < 10000 for f in pages):
        fail("report.pdf: pages rendered %s" % pages)
    print("check_office: report.docx as PDF: %s" % ", ".join(
        os.path.join(pdf_dir, f) for f in pages))


def mini_db(hotline, work):
    db = os.path.join(work, "t.db")
    run([hotline, "ingest", "-q", "--db", db,
         os.path.join(MINI, "gz12345-2021.csv"),
         os.path.join(MINI, "gz12345-2022.csv")], ok=(0, 1))
    prof = os.path.join(work, "p.ini")
    with open(prof, "w") as f:
        f.write("[ranking]\nmin_evaluated = 1\n")
    return db, ["--profile", prof, "--as-of", "2023-01-15 23:59:59"]


def office(hotline, work):
    db, common = mini_db(hotline, work)
    for name, period in (("annual", ["--year", "2022"]),
                         ("monthly", ["--month", "2022-03"]),
                         ("annual-en", ["--year", "2022", "--lang", "en"])):
        out = os.path.join(work, name)
        p = report(hotline, db, out, common + period)
        if "report.xlsx" not in p.stderr or "report.docx" not in p.stderr:
            fail("%s: the files written are not named: %r"
                 % (name, p.stderr))
        left = [f for f in os.listdir(out) if f.startswith(".") or
                f == "pandoc.log"]
        if left:
            fail("%s: left behind: %s" % (name, left))
        check_xlsx(out, zh=not name.endswith("-en"))
        title = check_docx(out, zh=not name.endswith("-en"))
        if name == "annual":
            check_pdf(out, work, title)


def hostile(hotline, work):
    check_report.hostile(hotline, work)
    out = os.path.join(work, "hostile")
    wb = openpyxl.load_workbook(os.path.join(out, "report.xlsx"))
    names = [c.value for c in wb["units"]["A"]][1:]
    types = [c.data_type for c in wb["units"]["A"]][1:]
    for u in check_report.HOSTILE_UNITS:
        if u not in names:
            fail("report.xlsx: unit %r not kept as it is: %s" % (u, names))
    if any(t != "s" for t in types):
        fail("report.xlsx: a unit name is not a string: %s" % types)
    d = docx.Document(os.path.join(out, "report.docx"))
    cells = {c.text for t in d.tables for r in t.rows for c in r.cells}
    for u in check_report.HOSTILE_UNITS:
        if u.replace("\n", " ") not in cells:
            fail("report.docx: unit %r not kept as it is" % u)
    # Links planted where the office files go are replaced, not followed.
    victim = os.path.join(work, "victim.txt")
    for name in ("report.xlsx", "report.docx"):
        with open(victim, "w") as f:
            f.write("untouched\n")
        out = os.path.join(work, "planted-" + name)
        os.makedirs(out)
        os.symlink(victim, os.path.join(out, name))
        report(hotline, os.path.join(work, "h.db"), out, ["--year", "2022"])
        if open(victim).read() != "untouched\n":
            fail("a link planted at %s was followed" % name)
        if os.path.islink(os.path.join(out, name)):
            fail("a link planted at %s is still there" % name)


def nopandoc(hotline, work):
    db, common = mini_db(hotline, work)
    out = os.path.join(work, "r")
    report(hotline, db, out, common + ["--year", "2022"])
    if not os.path.exists(os.path.join(out, "report.docx")):
        fail("no report.docx with pandoc installed")
    empty = os.path.join(work, "empty-path")
    os.makedirs(empty)
    env = dict(os.environ, PATH=empty)
    p = report(hotline, db, out, common + ["--year", "2022"], env=env)
    if "warning: report.docx skipped: pandoc is not installed" not in \
            p.stderr or "charts skipped" not in p.stderr:
        fail("no pandoc: stderr %r" % p.stderr)
    if os.path.exists(os.path.join(out, "report.docx")):
        fail("no pandoc: the report.docx of the run before is still there")
    for f in ("report.xlsx", "report.html", "report.md"):
        if not os.path.exists(os.path.join(out, f)):
            fail("no pandoc: no %s" % f)
    check_xlsx(out)
    # A pandoc that fails: the report fails and says why.
    fake = os.path.join(work, "fake-path")
    os.makedirs(fake)
    with open(os.path.join(fake, "pandoc"), "w") as f:
        f.write("#!/bin/sh\necho 'pandoc: something broke' >&2\nexit 3\n")
    os.chmod(os.path.join(fake, "pandoc"), 0o755)
    env = dict(os.environ, PATH=fake + ":/usr/bin:/bin")
    p = report(hotline, db, os.path.join(work, "f"),
               common + ["--year", "2022"], env=env, ok=(1,))
    # The report fails whole: its log goes with it, pandoc's last line
    # comes with the message, and nothing is left behind.
    if "exited 3: pandoc: something broke" not in p.stderr:
        fail("a failing pandoc: stderr %r" % p.stderr)
    if os.path.exists(os.path.join(work, "f")):
        fail("a failing pandoc: left behind %s"
             % os.listdir(os.path.join(work, "f")))


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    mode, hotline, work = argv[1], argv[2], argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if mode == "office":
        office(hotline, work)
    elif mode == "hostile":
        hostile(hotline, work)
    elif mode == "nopandoc":
        nopandoc(hotline, work)
    else:
        print(__doc__)
        return 2
    print("check_office: %s: %s" % (mode, "ok" if not FAILS
                                     else "%d failures" % len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
