#!/usr/bin/env python3
"""Workbooks made by a third party (python3-openpyxl, python3-xlwt),
ingested by hotline.

    check_xlsx.py HOTLINE WORK_DIR

same rows   a generated city year as CSV, and the same rows written by
            openpyxl as an .xlsx (date-time cells as dates with their
            formats, date-only deadlines as dates, a title row above the
            header, an empty row and a 合计 row below the tickets, IDs as
            text or as numbers, inline strings), by xlsxwriter as an
            .xlsx of shared strings (as Excel writes it), and by xlwt as
            an .xls: all four give the same tickets and byte for byte the
            same figures.  So do the rows as Excel's "Unicode Text"
            (UTF-16 with its mark, tab-delimited), as UTF-16BE and as
            tab-delimited UTF-8; a UTF-16 file cut within a character or
            holding a lone surrogate is refused, saying at which byte.
rejects     a bad cell is named by sheet and cell, and kept with them.
callers     a caller's number as a number cell and as text hashes alike;
            it is not in the database, nor in a reject's cells.
huge        a shared-strings table larger than the memory it may have:
            every string comes back as written.
sheets      --sheet by name and by number; an unknown sheet is named;
            without --sheet, the first sheet whose header maps is read
            and the sheets before it are named.
runs        a sheet of many MiB, read a run of rows per parser: rows
            with no number, elements with a prefix, a comment between
            rows read as the plain sheet; a bad cell, a cell past the last
            column and broken XML far into it named by row or line;
            rows hidden in a processing instruction or an attribute value
            not read, lines ended by CR alone counted, a missing shared
            string named, as one parser of the whole sheet does.
hostile     a truncated workbook, one with a damaged member, a zip bomb (a
            sheet that inflates a thousandfold) and an XML bomb (entities
            in a DOCTYPE): each is refused with a clear message naming the
            file, exit status 1, and leaves the database as it was.

Exit status 0 when everything holds, 1 otherwise.
"""
import csv
import datetime
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debian_python  # noqa: E402

debian_python.need("openpyxl", "xlsxwriter", "xlwt")
import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402
import xlwt  # noqa: E402

FAILS = []


def check(ok, what):
    print("%s %s" % ("ok  " if ok else "FAIL", what))
    if not ok:
        FAILS.append(what)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


DATETIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$")
DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")


def cell(v, col):
    """What a platform's Excel export holds for CSV text v."""
    m = DATETIME.match(v)
    if m:
        return datetime.datetime(*map(int, m.groups()))
    m = DATE.match(v)
    if m:
        return datetime.date(*map(int, m.groups()))
    if col == 0 and v.isdigit() and len(v) < 15:
        return int(v)  # an ID Excel keeps as a number
    return v if v != "" else None


def to_xlsx(src, dst):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工单明细"
    ws.append(["广州市12345热线工单明细表"])
    with open(src, encoding="utf-8-sig", newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            ws.append(row if i == 0 else
                      [cell(v, c) for c, v in enumerate(row)])
    ws.append([" "] * 3)  # cells of spaces: an empty row
    ws.append(["合计", 1])
    wb.save(dst)


def export_cells(src):
    """(row, column, value) of each cell of the CSV src that is not
    empty, as a platform's Excel export holds it (the header as text)."""
    with open(src, encoding="utf-8-sig", newline="") as f:
        for r, row in enumerate(csv.reader(f)):
            for c, v in enumerate(row):
                v = v if r == 0 else cell(v, c)
                if v is not None:
                    yield r, c, v


def to_xlsx_shared(src, dst):
    """The same rows with python3-xlsxwriter, which writes a workbook as
    Excel does: text as shared strings in UTF-8 (openpyxl writes inline
    strings, its non-ASCII text as character references)."""
    wb = xlsxwriter.Workbook(dst)
    ws = wb.add_worksheet("工单明细")
    fmt = {datetime.datetime: wb.add_format(
        {"num_format": "yyyy-mm-dd hh:mm:ss"}),
        datetime.date: wb.add_format({"num_format": "yyyy-mm-dd"})}
    ws.write_string(0, 0, "广州市12345热线工单明细表")
    for r, c, v in export_cells(src):
        if type(v) in fmt:
            ws.write_datetime(r + 1, c, v, fmt[type(v)])
        elif type(v) is int:
            ws.write_number(r + 1, c, v)
        else:
            ws.write_string(r + 1, c, v)
    ws.write_string(r + 3, 0, "合计")
    ws.write_number(r + 3, 1, 1)
    wb.close()


def to_xls(src, dst):
    """The same rows with python3-xlwt as an Excel 97-2003 workbook."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("工单明细")
    styles = {datetime.datetime: xlwt.easyxf(
        num_format_str="YYYY-MM-DD HH:MM:SS"),
        datetime.date: xlwt.easyxf(num_format_str="YYYY-MM-DD")}
    ws.write(0, 0, "广州市12345热线工单明细表")
    for r, c, v in export_cells(src):
        if type(v) in styles:
            ws.write(r + 1, c, v, styles[type(v)])
        else:
            ws.write(r + 1, c, v)
    ws.write(r + 2, 0, "合计")
    ws.write(r + 2, 1, 1)
    wb.save(dst)


def figures(hotline, db):
    rc, out, err = run([hotline, "metrics", "--db", db, "--year", "2022",
                        "--format", "json"])
    if rc != 0:
        sys.exit("metrics failed: " + err)
    return out


def tickets(db):
    """The tickets of db (0 when there is no such file)."""
    if not os.path.exists(db):
        return 0
    with sqlite3.connect(db) as c:
        n = c.execute("SELECT count(*) FROM ticket").fetchone()[0]
    c.close()
    return n


def same_rows(hotline, work):
    data = os.path.join(work, "data")
    rc, _, err = run([hotline, "sample", "-q", "--no-calibrate", "--scale",
                      "0.005", "--years", "2022", "--out", data])
    if rc != 0:
        sys.exit("sample failed: " + err)
    src = os.path.join(data, "gz12345-2022.csv")
    book = os.path.join(work, "gz12345-2022.xlsx")
    to_xlsx(src, book)
    a, b = os.path.join(work, "csv.db"), os.path.join(work, "xlsx.db")
    rc_a, _, err_a = run([hotline, "ingest", "-q", "--db", a, src])
    rc_b, _, err_b = run([hotline, "ingest", "-q", "--db", b, book])
    check(rc_a == rc_b, "the CSV and the workbook ingest alike (exit %d, %d)"
          % (rc_a, rc_b))
    check("工单明细!A1: note: the header is on line 2" in err_b,
          "the title row is skipped, at a sheet position")
    check("1 totals (合计)" in err_b and "1 empty" in err_b,
          "the empty and 合计 rows are skipped")
    n = tickets(a)
    check(n > 1000 and tickets(b) == n,
          "the same tickets: %d and %d" % (n, tickets(b)))
    check(figures(hotline, a) == figures(hotline, b),
          "the same figures, byte for byte")
    ca, cb = sqlite3.connect(a), sqlite3.connect(b)
    q = ("SELECT ticket_id, accepted_at, dispatched_at, deadline_at, "
         "closed_at, quality FROM ticket ORDER BY ticket_id")
    check(ca.execute(q).fetchall() == cb.execute(q).fetchall(),
          "every ticket's times and flags are the same")
    enc = cb.execute("SELECT encoding FROM ingest_run").fetchone()[0]
    check(enc == "xlsx", "the run records the format: %s" % enc)
    shared = os.path.join(work, "shared.xlsx")
    to_xlsx_shared(src, shared)
    d = os.path.join(work, "shared.db")
    rc_d, _, err_d = run([hotline, "ingest", "-q", "--db", d, shared])
    check(rc_d == rc_a and tickets(d) == n,
          "the .xlsx of shared strings (xlsxwriter): exit %d, %d tickets"
          % (rc_d, tickets(d)))
    check(figures(hotline, a) == figures(hotline, d),
          "shared strings give the same figures, byte for byte")
    cd = sqlite3.connect(d)
    check(ca.execute(q).fetchall() == cd.execute(q).fetchall(),
          "every ticket read through shared strings has the same times")
    # Text as the CSV has it: a CR LF in a cell is written _x000D_ LF
    # (an XML parser would make a bare CR LF into LF).
    qc = "SELECT ticket_id, content FROM ticket ORDER BY ticket_id"
    crlf = sum("\r\n" in (r[1] or "") for r in ca.execute(qc))
    for name, con in (("openpyxl's inline strings", cb),
                      ("xlsxwriter's shared strings", cd)):
        check(crlf > 0 and ca.execute(qc).fetchall() ==
              con.execute(qc).fetchall(),
              "every ticket's text through %s is the CSV's, its %d CR LF "
              "included" % (name, crlf))
    old = os.path.join(work, "gz12345-2022.xls")
    to_xls(src, old)
    c = os.path.join(work, "xls.db")
    rc_c, _, err_c = run([hotline, "ingest", "-q", "--db", c, old])
    check(rc_c == rc_a and tickets(c) == n,
          "the .xls (xlwt): exit %d, %d tickets" % (rc_c, tickets(c)))
    check(figures(hotline, a) == figures(hotline, c),
          "the .xls gives the same figures, byte for byte")
    cc = sqlite3.connect(c)
    check(ca.execute(q).fetchall() == cc.execute(q).fetchall(),
          "every ticket of the .xls has the same times and flags")
    unicode_text(hotline, work, src, figures(hotline, a), n)
    return book


def unicode_text(hotline, work, src, want, n):
    """The same rows as Excel's "Unicode Text" (UTF-16LE with its mark,
    tab-delimited), as UTF-16BE, and as tab-delimited UTF-8, written by
    Python's csv and codecs: the same figures.  A file cut within a
    character and one with a lone surrogate are refused, saying where."""
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    text = io.StringIO()
    csv.writer(text, delimiter="\t").writerows(rows)
    forms = (("unicode.txt", b"\xff\xfe" + text.getvalue().encode(
        "utf-16-le"), "utf-16le"),
             ("unicode-be.txt", b"\xfe\xff" + text.getvalue().encode(
                 "utf-16-be"), "utf-16be"),
             ("tabs.txt", text.getvalue().encode("utf-8"), "utf-8"))
    for name, data, enc in forms:
        path = os.path.join(work, name)
        open(path, "wb").write(data)
        db = os.path.join(work, name + ".db")
        rc, _, err = run([hotline, "ingest", "-q", "--db", db, path])
        with sqlite3.connect(db) as c:
            got = c.execute("SELECT encoding FROM ingest_run").fetchone()
        c.close()
        check(rc == 0 and tickets(db) == n and got == (enc,) and
              figures(hotline, db) == want,
              "%s (%s): exit %d, %d tickets, the same figures"
              % (name, enc, rc, tickets(db)))
    data = forms[0][1]
    cut = os.path.join(work, "cut16.txt")
    open(cut, "wb").write(data[:len(data) // 2 | 1])
    refused(hotline, work, "cut16.txt", cut, "ends within a UTF-16 "
            "character (byte %d)" % (len(data) // 2 - 1))
    bad = os.path.join(work, "bad16.txt")
    at = len(data) // 3 & ~1
    open(bad, "wb").write(data[:at] + b"\x00\xdc" + data[at:])
    refused(hotline, work, "bad16.txt", bad, "byte %d is no UTF-16" % at)


def write_zip(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in members:
            z.writestr(name, data)


WORKBOOK = (b'<?xml version="1.0"?><workbook xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships"'
            b'><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
            b'</workbook>')
RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship '
        b'Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/worksheet" '
        b'Target="worksheets/sheet1.xml"/></Relationships>')
SHEET = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.'
         b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v>'
         b'</c></row><row r="2"><c r="A2" t="inlineStr"><is><t>T1</t></is>'
         b'</c><c r="B2" t="inlineStr"><is><t>2022-03-01 09:00</t></is></c>'
         b'</row></sheetData></worksheet>')


def strings(doctype=b""):
    return (b'<?xml version="1.0"?>' + doctype +
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main"><si><t>\xe5\xb7\xa5\xe5\x8d\x95\xe7\xbc\x96\xe5\x8f'
            b'\xb7</t></si><si><t>\xe5\x8f\x97\xe7\x90\x86\xe6\x97\xb6\xe9'
            b'\x97\xb4</t></si></sst>')


def refused(hotline, work, name, path, want):
    db = os.path.join(work, "hostile.db")
    before = tickets(db)
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, path])
    check(rc == 1 and name in err and want in err and
          tickets(db) == before,
          "%s: exit %d, %r" % (name, rc, err.strip()[-160:]))


def hostile(hotline, work, book):
    db = os.path.join(work, "hostile.db")
    ok = os.path.join(work, "ok.xlsx")
    write_zip(ok, [("xl/workbook.xml", WORKBOOK),
                   ("xl/_rels/workbook.xml.rels", RELS),
                   ("xl/sharedStrings.xml", strings()),
                   ("xl/worksheets/sheet1.xml", SHEET)])
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, ok])
    check(rc == 0 and tickets(db) == 1,
          "a hand-made workbook with shared and inline strings: %d ticket"
          % tickets(db))
    data = open(book, "rb").read()
    cut = os.path.join(work, "cut.xlsx")
    open(cut, "wb").write(data[:len(data) // 2])
    refused(hotline, work, "cut.xlsx", cut, "cannot read")
    bad = bytearray(data)
    mid = data.find(b"xl/worksheets/sheet1.xml") + 200
    for i in range(mid, mid + 64):
        bad[i] ^= 0x5A
    damaged = os.path.join(work, "damaged.xlsx")
    open(damaged, "wb").write(bytes(bad))
    refused(hotline, work, "damaged.xlsx", damaged, "damaged.xlsx")
    xls = open(os.path.join(work, "gz12345-2022.xls"), "rb").read()
    cut = os.path.join(work, "cut.xls")
    open(cut, "wb").write(xls[:len(xls) // 3])
    refused(hotline, work, "cut.xls", cut, "cannot read the workbook")
    bomb = os.path.join(work, "bomb.xlsx")
    write_zip(bomb, [("xl/workbook.xml", WORKBOOK),
                     ("xl/_rels/workbook.xml.rels", RELS),
                     ("xl/worksheets/sheet1.xml",
                      SHEET[:-30] + b" " * (200 << 20) + SHEET[-30:])])
    refused(hotline, work, "bomb.xlsx", bomb, "zip bomb")
    lol = (b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
           b'&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;'
           b'&b;&b;">]>')
    xml = os.path.join(work, "xmlbomb.xlsx")
    write_zip(xml, [("xl/workbook.xml", WORKBOOK),
                    ("xl/_rels/workbook.xml.rels", RELS),
                    ("xl/sharedStrings.xml", strings(lol)),
                    ("xl/worksheets/sheet1.xml", SHEET)])
    refused(hotline, work, "xmlbomb.xlsx", xml, "DOCTYPE")


def sheets(hotline, work):
    """A workbook whose tickets are on its second sheet: --sheet by name
    or by number reads them; an unknown one names the sheets there are."""
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表为12345热线工单导出"])
    ws = wb.create_sheet("工单")
    ws.append(["工单编号", "受理时间", "所属区"])
    ws.append(["S1", datetime.datetime(2022, 5, 1, 8, 0), "荔湾区"])
    ws.append(["S2", datetime.datetime(2022, 5, 2, 8, 0), "越秀区"])
    book = os.path.join(work, "sheets.xlsx")
    wb.save(book)
    for i, sheet in enumerate(("2", "工单")):
        db = os.path.join(work, "sheets%d.db" % i)
        rc, _, err = run([hotline, "ingest", "-q", "--db", db, "--sheet",
                          sheet, book])
        check(rc == 0 and tickets(db) == 2,
              "--sheet %s: exit %d, %d tickets" % (sheet, rc, tickets(db)))
    db = os.path.join(work, "sheets9.db")
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, "--sheet",
                      "汇总", book])
    check(rc == 1 and "no sheet '汇总' (its sheets: '说明', '工单')" in err,
          "--sheet of no sheet: exit %d, %r" % (rc, err.strip()[-120:]))
    db = os.path.join(work, "sheets-default.db")
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, book])
    check(rc == 0 and tickets(db) == 2 and
          "sheet '说明' skipped: missing required columns" in err,
          "no --sheet: the first sheet whose header maps, the one before "
          "it named: exit %d, %d tickets, %r" % (rc, tickets(db),
                                                 err.strip()[-160:]))
    db = os.path.join(work, "sheets-none.db")
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, "--sheet", "1",
                      book])
    check(rc == 1 and "missing required" in err and tickets(db) == 0,
          "--sheet 1, a sheet of notes: exit %d" % rc)
    wb = openpyxl.Workbook()
    wb.active.append(["说明"])
    wb.create_sheet("汇总").append(["区", "件数"])
    book = os.path.join(work, "no-table.xlsx")
    wb.save(book)
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, book])
    check(rc == 1 and "sheet 'Sheet' skipped" in err and
          "'区', '件数'" in err,
          "no sheet maps: exit %d, every sheet named: %r"
          % (rc, err.strip()[-200:]))


def rejects(hotline, work):
    """A row that cannot be a ticket is named by sheet and cell, and kept
    in the reject table with its sheet, row and column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append(["工单编号", "受理时间", "所属区"])
    ws.append(["R1", datetime.datetime(2022, 5, 1, 8, 0), "荔湾区"])
    ws.append(["R2", "五月一日", "荔湾区"])
    book = os.path.join(work, "reject.xlsx")
    wb.save(book)
    db = os.path.join(work, "reject.db")
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, book])
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT sheet, line, col, field FROM reject"
                         ).fetchall()
    c.close()
    check(rc == 1 and "reject.xlsx:明细!B3:" in err and
          rows == [("明细", 3, 2, "受理时间")] and tickets(db) == 1,
          "a bad cell: exit %d, %r, kept as %r" % (rc, err.strip()[-120:],
                                                  rows))


def callers(hotline, work):
    """A number as a number cell (as Excel keeps one typed in) and as
    text: the same hash; never in the file, a reject's cells masked."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append(["工单编号", "受理时间", "所属区", "来电号码"])
    ws.append(["C1", datetime.datetime(2022, 5, 1, 8, 0), "荔湾区",
               13800138000])
    ws.append(["C2", datetime.datetime(2022, 5, 2, 8, 0), "荔湾区",
               "138 0013 8000"])
    ws.append(["C3", "五月三日", "荔湾区", 13912345678])
    book = os.path.join(work, "callers.xlsx")
    wb.save(book)
    db = os.path.join(work, "callers.db")
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, book])
    with sqlite3.connect(db) as c:
        got = dict(c.execute("SELECT ticket_id, caller FROM ticket"))
        raw = c.execute("SELECT raw FROM reject").fetchall()
    c.close()
    data = open(db, "rb").read()
    check(rc == 1 and got.get("C1") and got.get("C1") == got.get("C2") and
          raw and b"***********" in raw[0][0] and
          b"13912345678" not in raw[0][0] and b"13800138000" not in data
          and b"13912345678" not in data,
          "callers: one hash for a number and its text, masked in the "
          "reject (%r), in no byte of the file" % (raw[0][0] if raw else
                                                   None))


def huge_strings(hotline, work):
    """Shared strings past what is kept in memory (8 MiB): 40,000 tickets
    whose 诉求内容 are each 300 bytes and different, written by
    xlsxwriter; every one is stored as written."""
    book = os.path.join(work, "huge.xlsx")
    wb = xlsxwriter.Workbook(book)
    ws = wb.add_worksheet("工单")
    ws.write_row(0, 0, ["工单编号", "受理时间", "所属区", "诉求内容"])
    want = {}
    for i in range(1, 40001):
        text = ("第%d件：" % i) + "路灯不亮影响夜间出行" * 10
        tid = "H%06d" % i
        want[tid] = text
        ws.write_row(i, 0, [tid, "2022-05-%02d 08:00:00" % (i % 28 + 1),
                            "荔湾区", text])
    wb.close()
    db = os.path.join(work, "huge.db")
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, book])
    with zipfile.ZipFile(book) as z:
        size = z.getinfo("xl/sharedStrings.xml").file_size
    check(rc == 0 and size > 12 << 20,
          "a %.1f MB shared-strings table: exit %d %s"
          % (size / 1e6, rc, err.strip()[-120:]))
    with sqlite3.connect(db) as c:
        got = dict(c.execute("SELECT ticket_id, content FROM ticket"))
    c.close()
    check(got == want, "all %d tickets' text as written (%d differ)"
          % (len(want), sum(got.get(k) != v for k, v in want.items())))


def escapes(hotline, work):
    """Text that xlsxwriter writes with ST_Xstring escapes: a CR as
    _x000D_, a literal "_x000D_" as _x005F_x000D_, read back as written.
    (openpyxl writes a literal "_x000D_" unescaped, which Excel, and so
    hotline, read as a CR; its inline strings' CR LF are checked in
    same_rows.)  Then the same escapes by hand in an inline string."""
    texts = ["第一行\r\n第二行", "字面的_x000D_不是回车", "_x005F_本身",
             "表情\U0001F600在此", "尾_x"]
    for writer in ("xlsxwriter",):
        book = os.path.join(work, "escapes-%s.xlsx" % writer)
        rows = [["工单编号", "受理时间", "所属区", "诉求内容"]] + [
            ["E%d" % i, "2022-05-01 08:00:00", "荔湾区", t]
            for i, t in enumerate(texts)]
        if writer == "xlsxwriter":
            wb = xlsxwriter.Workbook(book)
            ws = wb.add_worksheet("工单")
            for i, r in enumerate(rows):
                ws.write_row(i, 0, r)
            wb.close()
        else:
            wb = openpyxl.Workbook()
            for r in rows:
                wb.active.append(r)
            wb.save(book)
        db = os.path.join(work, "escapes-%s.db" % writer)
        rc, _, err = run([hotline, "ingest", "-q", "--db", db, book])
        got = {}
        if rc == 0:
            with sqlite3.connect(db) as c:
                got = dict(c.execute("SELECT ticket_id, content FROM "
                                     "ticket"))
            c.close()
        want = {"E%d" % i: t for i, t in enumerate(texts)}
        check(rc == 0 and got == want,
              "%s's escapes read back as written: exit %d, %r"
              % (writer, rc, {k: v for k, v in got.items()
                              if want.get(k) != v} or err.strip()[-120:]))
    # An inline string (t="inlineStr") written by hand: a CR, a pair of
    # surrogates, a lowercase escape, a NUL and half a pair left as they are.
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>工单编号</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>受理时间</t></is></c>'
             '<c r="C1" t="inlineStr"><is><t>诉求内容</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>I1</t></is></c>'
             '<c r="B2" t="inlineStr"><is><t>2022-05-01 08:00:00</t></is>'
             '</c><c r="C2" t="inlineStr"><is><t>a_x000d_b_xD83D__xDE00_c'
             '_x0000_d_xD83D_e</t></is></c></row>'
             '</sheetData></worksheet>').encode()
    book = os.path.join(work, "escapes-inline.xlsx")
    write_zip(book, [("xl/workbook.xml", WORKBOOK),
                     ("xl/_rels/workbook.xml.rels", RELS),
                     ("xl/worksheets/sheet1.xml", sheet)])
    db = os.path.join(work, "escapes-inline.db")
    rc, _, err = run([hotline, "ingest", "-q", "--db", db, book])
    got = None
    if rc == 0:
        with sqlite3.connect(db) as c:
            got = c.execute("SELECT content FROM ticket").fetchone()[0]
        c.close()
    check(got == "a\rb\U0001F600c_x0000_d_xD83D_e",
          "an inline string's escapes: exit %d, %r %s"
          % (rc, got, err.strip()[-100:]))


def rewrite(book, dst, edit):
    """book with its sheet's XML made edit(xml): a third party's workbook,
    changed as other writers write one, or damaged."""
    with zipfile.ZipFile(book) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    write_zip(dst, [(n, edit(d) if n == "xl/worksheets/sheet1.xml" else d)
                    for n, d in members])
    return dst


def runs(hotline, work, book):
    """A sheet of many MiB is read by several parsers, a run of whole
    rows each: what other writers do, and damage far into the sheet, come
    out as from one parser.  Rows with no number, a comment between rows,
    the elements with a namespace prefix: the same tickets and figures.
    A bad cell, a cell past the last column and broken XML thousands of
    rows in are named by their row or line."""
    with zipfile.ZipFile(book) as z:
        size = z.getinfo("xl/worksheets/sheet1.xml").file_size
    check(size > 8 << 20, "the sheet is %.1f MB: many runs" % (size / 1e6))
    base = os.path.join(work, "xlsx.db")
    want, n = figures(hotline, base), tickets(base)
    row = 9000  # a ticket's row, far past the first runs

    def bad_date(xml):
        return re.sub(rb'(<row r="%d"[^>]*><c r="A%d"[^>]*><v>[^<]*</v></c>)'
                      rb'<c r="B%d"[^>]*><v>[^<]*</v></c>' % (row, row, row),
                      rb'\1<c r="B%d" t="inlineStr"><is><t>bad</t></is></c>'
                      % row, xml, count=1)

    def unnumbered(xml):
        return re.sub(rb'<row r="\d+"', b"<row", xml)

    def prefixed(xml):
        xml = re.sub(rb"<(/?)([A-Za-z])", rb"<\1x:\2", xml)
        return xml.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")

    def commented(xml):
        at = xml.find(b"</row>", len(xml) // 2) + len(b"</row>")
        return xml[:at] + b"<!-- </row> --><?pi </row>?>" + xml[at:]

    for name, edit in (("rows with no number", unnumbered),
                       ("elements with a prefix", prefixed),
                       ("a comment between rows", commented)):
        f = rewrite(book, os.path.join(work, "runs.xlsx"), edit)
        db = os.path.join(work, "runs-%s.db" % edit.__name__)
        rc, _, err = run([hotline, "ingest", "-q", "--db", db, f])
        same = rc == 0 and tickets(db) == n and figures(hotline, db) == want
        check(same, "%s: exit %d, %d tickets of %d, %s %s"
              % (name, rc, tickets(db), n,
                 "the same figures" if same else "not the same",
                 err.strip()[-120:]))
    for name, edit in (("numbered", bad_date),
                       ("unnumbered", lambda x: unnumbered(bad_date(x)))):
        f = rewrite(book, os.path.join(work, "runs.xlsx"), edit)
        db = os.path.join(work, "runs-bad-%s.db" % name)
        rc, _, err = run([hotline, "ingest", "-q", "--db", db, f])
        with sqlite3.connect(db) as c:
            got = c.execute("SELECT sheet, line, col FROM reject").fetchall()
        c.close()
        check(rc == 1 and got == [("工单明细", row, 2)] and
              "工单明细!B%d" % row in err,
              "a bad cell at row %d, %s rows: rejected there, %r %s"
              % (row, name, got, err.strip()[-120:]))

    def past_last(xml):
        return unnumbered(xml.replace(b'<c r="A%d"' % row,
                                      b'<c r="ZZZZ%d"/><c r="A%d"'
                                      % (row, row), 1))

    line = []

    def broken(xml):
        # a row a line; row 9000's first cell closed by a wrong tag
        xml = xml.replace(b"</row>", b"</row>\n")
        at = xml.find(b"</c>", xml.find(b'<row r="%d"' % row))
        line.append(xml[:at].count(b"\n") + 1)
        return xml[:at] + b"</d>" + xml[at + 4:]

    for edit, msg in ((past_last, "row %d: a cell past column" % row),
                      (broken, "line %d: mismatched tag")):
        f = rewrite(book, os.path.join(work, "runs.xlsx"), edit)
        db = os.path.join(work, "runs-broken.db")
        rc, _, err = run([hotline, "ingest", "-q", "--db", db, f])
        msg = msg % tuple(line) if "%" in msg else msg
        check(rc == 1 and msg in err and tickets(db) == 0,
              "%s: exit %d, %r" % (edit.__name__, rc, err.strip()[-160:]))


def hand_rows(first, last, prefix="T", sep=b""):
    """Rows of a ticket ID and a time, as inline strings."""
    return sep.join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s%d</t>'
                    b'</is></c><c r="B%d" t="inlineStr"><is><t>2022-03-01 '
                    b'09:00</t></is></c></row>' % (i, i, prefix.encode(), i, i)
                    for i in range(first, last + 1))


HEAD = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xb7\xa5\xe5\x8d\x95'
        b'\xe7\xbc\x96\xe5\x8f\xb7</t></is></c><c r="B1" t="inlineStr"><is>'
        b'<t>\xe5\x8f\x97\xe7\x90\x86\xe6\x97\xb6\xe9\x97\xb4</t></is></c>'
        b'</row>')
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def hidden_rows(hotline, work):
    """Rows where no parser of the whole sheet would read rows: in a
    processing instruction before the root, in an attribute value, past
    a worker's run of rows; and line ends of CR alone, and a shared string
    that is not there, thousands of rows in: as one parser reads them."""
    def load(name, sheet, sst=None):
        book = os.path.join(work, name + ".xlsx")
        parts = [("xl/workbook.xml", WORKBOOK),
                 ("xl/_rels/workbook.xml.rels", RELS),
                 ("xl/worksheets/sheet1.xml", sheet)]
        if sst:
            parts.append(("xl/sharedStrings.xml", sst))
        write_zip(book, parts)
        db = os.path.join(work, name + ".db")
        rc, _, err = run([hotline, "ingest", "-q", "--db", db, book])
        with sqlite3.connect(db) as c:
            ids = [r[0] for r in c.execute("SELECT ticket_id FROM ticket")]
        c.close()
        return rc, err, ids

    fake = hand_rows(2, 20001, "F")
    rc, err, ids = load("in-pi", b"<?x " + fake + b" ?><worksheet " + NS +
                        b"><sheetData>" + HEAD + hand_rows(2, 5) +
                        b"</sheetData></worksheet>")
    check(rc == 0 and sorted(ids) == ["T2", "T3", "T4", "T5"],
          "rows in a processing instruction are not read: exit %d, %d "
          "tickets %s" % (rc, len(ids), err.strip()[-100:]))
    rc, err, ids = load("in-attr", b"<worksheet " + NS + b"><sheetData>" +
                        HEAD + b'<row r="2" a="' + fake + b" " * 400000 +
                        b'"/></sheetData></worksheet>')
    check(rc == 1 and "not well-formed" in err and ids == [],
          "rows in an attribute value are an error: exit %d, %r"
          % (rc, err.strip()[-100:]))
    rows = hand_rows(2, 20000, sep=b"\r")
    at = rows.find(b"</t>", rows.find(b'<row r="15000"'))
    sheet = (b"<worksheet " + NS + b"><sheetData>" + HEAD + b"\r" +
             rows[:at] + b"</u>" + rows[at + 4:] + b"</sheetData></worksheet>")
    line = sheet[:sheet.find(b"</u>")].count(b"\r") + 1
    rc, err, ids = load("cr-lines", sheet)
    check(rc == 1 and "line %d: mismatched tag" % line in err,
          "lines ended by CR alone, broken XML on line %d: exit %d, %r"
          % (line, rc, err.strip()[-100:]))
    cells = hand_rows(2, 20000).replace(
        b'<c r="A9000" t="inlineStr"><is><t>T9000</t></is></c>',
        b'<c r="A9000" t="s"><v>12345</v></c>')
    rc, err, ids = load("no-string", b"<worksheet " + NS + b"><sheetData>" +
                        HEAD + cells + b"</sheetData></worksheet>", strings())
    check(rc == 1 and "A9000: no shared string 12345" in err,
          "a shared string that is not there, at row 9000: exit %d, %r"
          % (rc, err.strip()[-100:]))


def main():
    hotline, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    book = same_rows(hotline, work)
    sheets(hotline, work)
    rejects(hotline, work)
    callers(hotline, work)
    huge_strings(hotline, work)
    escapes(hotline, work)
    runs(hotline, work, book)
    hidden_rows(hotline, work)
    hostile(hotline, work, book)
    if FAILS:
        print("%d checks failed" % len(FAILS))
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
