#!/usr/bin/env python3
"""Check a `hotline sample` data set against docs/sample-data.md.

Usage: verify_sample.py DIR [--targets] [--faults] [--nightly-vs YEARLY_DIR]
                        [--quiet]

This script is written from the specification alone (docs/sample-data.md and
domain.md sections 3, 4 and 6), never from the generator's code, so that it
can catch the generator's mistakes.  It reads DIR/manifest.json for the
options (encoding, header variant, date style, line ends, export time,
rank_min) and the list of files, parses every data file with Python's csv
module, and checks:

  * bytes: the BOM is there exactly for utf8-bom, every record decodes in the
    file's encoding, every line end is the manifest's eol (CRLF or LF, also
    inside quoted cells), every record ends with one, and each file's "rows"
    (data records, faults included) and "lines" (physical lines) match;
  * the header: the variant's 16 names in the documented order (with
    options.plant "analyses", followed by the six planted columns, whose
    values tests/tools/verify_plant.py checks); columns are then mapped by
    name, never by position;
  * every record not listed under "faults": RFC 4180 quoting, 16 fields,
    values from the variant's vocabularies, times in the --dates style
    (ISO, slash with or without zero padding rules, Excel serials with six
    decimals from 1899-12-30; the variant's empty-time marker), IDs
    (YYYYMMDD of the acceptance day + 6 digits, GZ prefix in variant 2, no
    repeats), row order (acceptance time, then ID), the acceptance year of
    the file, times in order and not after the export time (nightly: the end
    of the file's day), status consistent with the times, and deadlines at
    23:59:59 of the N-th working day after dispatch (acceptance for
    consultations answered on the call) per the State Council calendar;
  * the figures: for every district and year, recomputed from the rows with
    the spec's definitions (tickets, closed, on time, late, reopened,
    handling seconds for 咨询 and the rest, speed-ups, monthly satisfaction
    counts and competition ranks with exact rational rates, mean ranks and
    rank-1 streaks) and compared with manifest "figures": counts, sums and
    ranks exactly, mean ranks and speed-ups to 1e-9;
  * --targets: 荔湾区 2022 as published (245,000 <= tickets < 246,000,
    on time 99.99 %, speed-ups 60.93 % and 47.55 %, ordinary mean rank 4,
    key rank-1 streak 9), computed from the rows only;
  * --faults: every listed fault really is of its kind, read from the raw
    bytes, and the fault list is consistent (expect, one unterminated quote
    per file and last, about --dirt faults per clean row);
  * --nightly-vs YEARLY_DIR: DIR is a --nightly data set; keeping each
    ticket's latest row (times normalised) gives exactly YEARLY_DIR's rows;
    each day's file only holds tickets with an event that day: new time
    values fall on the file's day, nothing is after its end, a ticket first
    appears on its acceptance day and never reappears unchanged, and its
    state never goes backwards (accepted, dispatched and signed times never
    change once set, closed_at only changes with a reopen, reopen_count
    never decreases).

Where the spec is silent, this script decides:

  * a file's "lines" is its number of physical lines (line ends, plus one
    when the last line has none, as `wc -l` counts for a normal file) and
    "rows" its records after the header, faults included;
  * a record that cannot give the figures' inputs (bad quoting, field
    count, undecodable bytes, an unparsable time or unknown vocabulary) is
    reported and left out of the figures; any other problem is reported
    and the row still counts.  A closed ticket without a deadline counts as
    closed, neither on time nor late;
  * satisfaction and status agree only on never-reopened tickets: 已回访
    needs a callback value, and open or 已办结 ones the variant's "no
    callback" value: empty (1), `-` or 未回访 (2) or 无 (3);
  * an open ticket not yet dispatched is 待派单 and has no deadline yet;
  * months are matched by number; a month missing from the manifest must
    have no tickets.  speedup_pct needs the previous year's tickets of the
    district; a class without closed tickets in either year is null;
  * a district is ranked in a month with at least rank_min (and at least
    one) evaluated tickets of the class;
  * "about --dirt faults per clean row" allows max(5, half the expected
    number) either way;
  * nightly: a variant 2 ticket already marked 是 may reappear unchanged
    (是/否 cannot show a second reopen).

Files are verified in parallel worker processes (up to 8, one per core).

Each mismatch is printed as "verify: ..." (figures as
"verify: <district> <year> <path>: manifest X, computed Y"; month entries
are named months[m=M]), at most 20 per kind; the last line is
"verify: N checks, M mismatches".  Exit status: 0 all good, 1 mismatches,
2 usage error.  Python 3 standard library only.
"""

import argparse
import bisect
import copy
import csv
import datetime
import itertools
import json
import multiprocessing
import os
import re
import sys
from fractions import Fraction

CAP = 20  # mismatches printed per kind
CHUNK = 1 << 22  # bytes of lines read at a time

DISTRICTS = ("越秀区", "海珠区", "荔湾区", "天河区", "白云区", "黄埔区",
             "番禺区", "花都区", "南沙区", "从化区", "增城区")
CHANNELS = frozenset(("12345电话", "微信公众号", "穗好办APP", "政府网站"))
STATUSES = frozenset(("待派单", "待签收", "办理中", "已办结", "已回访"))

CANON = ("ticket_id", "accepted_at", "channel", "category", "is_key",
         "district", "street", "unit", "dispatched_at", "signed_at",
         "deadline_at", "closed_at", "status", "satisfaction",
         "reopen_count", "content")
(F_ID, F_ACC, F_CHAN, F_CAT, F_KEY, F_DIST, F_STREET, F_UNIT, F_DISP,
 F_SIGN, F_DL, F_CLOSED, F_STATUS, F_SAT, F_REOPEN, F_CONTENT) = range(16)

# Header names per variant, in canonical order; the file order follows.
HEADER_NAMES = {
    1: ("工单编号", "受理时间", "来源渠道", "诉求类型", "是否重点工单", "所属区",
        "所属街道", "承办单位", "派单时间", "签收时间", "办理时限", "办结时间",
        "工单状态", "满意度", "重办次数", "诉求内容"),
    2: ("12345工单编号", "来电时间", "工单来源", "工单类型", "工单级别", "区域",
        "镇街", "主办单位", "转办时间", "签收时间", "办结时限", "结案时间",
        "案件状态", "回访结果", "是否重办", "内容描述"),
    3: ("工单号", "登记时间", "受理渠道", "来电类别", "是否重点工单", "被反映区",
        "被反映街乡镇", "实际承办单位", "派遣时间", "签收时间", "截止时间",
        "办结日期", "工单状态", "评价结果", "重办次数", "事项内容"),
}
# The columns --plant analyses appends (docs/sample-data.md).
PLANT_COLS = ("是否有效回访", "是否联系", "是否解决", "是否纳入考核", "问题分类",
              "来电号码")
# Variant 3's column positions (1-based) per canonical field.
V3_POS = (1, 2, 7, 5, 8, 3, 4, 9, 10, 11, 12, 13, 14, 15, 16, 6)


def header_order(variant):
    names = HEADER_NAMES[variant]
    if variant != 3:
        return list(names)
    out = [None] * 16
    for canon, pos in enumerate(V3_POS):
        out[pos - 1] = names[canon]
    return out


# Working days after the dispatch day, by canonical category.
DEADLINE_DAYS = {"咨询": 2, "求助": 5, "投诉": 7, "举报": 10, "建议": 10,
                 "表扬": 3, "其他": 5}
CAT_V1 = {c: c for c in DEADLINE_DAYS}
CAT_V2 = {"咨询类": "咨询", "求助类": "求助", "投诉类": "投诉", "举报类": "举报",
          "意见建议类": "建议", "感谢类": "表扬", "其它类": "其他"}

# Satisfaction classes: 0 satisfied, 1 basic, 2 unsatisfied, 3 unevaluated.
SAT_V1 = {"满意": 0, "基本满意": 1, "不满意": 2, "未评价": 3, "": 3}
SAT_V2 = {"非常满意": 0, "满意": 0, "基本满意": 1, "不满意": 2, "非常不满意": 2,
          "未回访": 3, "无法回访": 3, "-": 3}
SAT_V3 = {"满意": 0, "基本满意": 1, "不满意": 2, "未评价": 3, "有争议": 3,
          "无": 3}

VARIANTS = {
    1: dict(cat=CAT_V1, key={"是": 1, "否": 0}, sat=SAT_V1,
            reopen={"0": 0, "1": 1, "2": 2}, empty="",
            no_callback=frozenset(("",)), either=frozenset(),
            id_re=re.compile(r"(\d{8})\d{6}")),
    2: dict(cat=CAT_V2, key={"重点": 1, "普通": 0}, sat=SAT_V2,
            reopen={"否": 0, "是": 1}, empty="-",
            # 未回访: closed, never to be called back; 无法回访: called
            # back, no answer.
            no_callback=frozenset(("-", "未回访")),
            either=frozenset(),
            id_re=re.compile(r"GZ(\d{8})\d{6}")),
    3: dict(cat=CAT_V1, key={"1": 1, "0": 0}, sat=SAT_V3,
            reopen={"0": 0, "1": 1, "2": 2}, empty="无",
            no_callback=frozenset(("无",)), either=frozenset(),
            id_re=re.compile(r"(\d{8})\d{6}")),
}
EMPTY_MARKERS = frozenset(("", "-", "无"))

CODECS = {"utf8": "utf-8", "utf8-bom": "utf-8-sig", "gb18030": "gb18030"}
RAW_CODECS = {"utf8": "utf-8", "utf8-bom": "utf-8", "gb18030": "gb18030"}
DATE_STYLES = ("iso", "slash", "excel", "mixed")

FAULT_EXPECT = {"field_count": "reject", "bad_date": "reject",
                "invalid_bytes": "reject", "stray_quote": "reject",
                "duplicate_conflict": "reject",
                "closed_before_accepted": "flag",
                "unterminated_quote": "reject"}

TARGET_DISTRICT = "荔湾区"
TARGET_YEAR = 2022

# The State Council calendar of domain.md section 6: weekday holidays,
# weekend make-up working days, and the number of working days.
CALENDAR = {
    2020: ("01-01 01-24 01-27..01-31 04-06 05-01 05-04 05-05 06-25 06-26 "
           "10-01 10-02 10-05..10-08",
           "01-19 04-26 05-09 06-28 09-27 10-10", 249),
    2021: ("01-01 02-11 02-12 02-15..02-17 04-05 05-03..05-05 06-14 09-20 "
           "09-21 10-01 10-04..10-07",
           "02-07 02-20 04-25 05-08 09-18 09-26 10-09", 250),
    2022: ("01-03 01-31 02-01..02-04 04-04 04-05 05-02..05-04 06-03 09-12 "
           "10-03..10-07",
           "01-29 01-30 04-02 04-24 05-07 10-08 10-09", 249),
    2023: ("01-02 01-23..01-27 04-05 05-01..05-03 06-22 06-23 09-29 "
           "10-02..10-06",
           "01-28 01-29 04-23 05-06 06-25 10-07 10-08", 249),
    2024: ("01-01 02-12..02-16 04-04 04-05 05-01..05-03 06-10 09-16 09-17 "
           "10-01..10-04 10-07",
           "02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12", 251),
}


def _calendar_days(year, spec):
    out = set()
    for item in spec.split():
        a, _, b = item.partition("..")
        m, d = map(int, a.split("-"))
        first = datetime.date(year, m, d)
        last = first
        if b:
            m, d = map(int, b.split("-"))
            last = datetime.date(year, m, d)
        while first <= last:
            out.add(first.toordinal())
            first += datetime.timedelta(days=1)
    return out


def _working_days():
    days = []
    for year, (hol, make, count) in sorted(CALENDAR.items()):
        hol = _calendar_days(year, hol)
        make = _calendar_days(year, make)
        n = 0
        d = datetime.date(year, 1, 1).toordinal()
        end = datetime.date(year, 12, 31).toordinal()
        while d <= end:
            wd = datetime.date.fromordinal(d).weekday()
            if (wd < 5 and d not in hol) or d in make:
                days.append(d)
                n += 1
            d += 1
        if n != count:
            raise AssertionError("calendar %d: %d working days, table says %d"
                                 % (year, n, count))
    return days


WORKING_DAYS = _working_days()
CAL_FIRST = datetime.date(min(CALENDAR), 1, 1).toordinal()
CAL_LAST = datetime.date(max(CALENDAR), 12, 31).toordinal()
_deadline_cache = {}


def deadline_for(base_day, n):
    """23:59:59 of the n-th working day after base_day, in seconds, or None
    when the calendar does not cover it."""
    k = (base_day, n)
    r = _deadline_cache.get(k, 0)
    if r != 0:
        return r
    r = None
    if CAL_FIRST - 1 <= base_day <= CAL_LAST:
        j = bisect.bisect_right(WORKING_DAYS, base_day) + n - 1
        if j < len(WORKING_DAYS):
            r = WORKING_DAYS[j] * 86400 + 86399
    _deadline_cache[k] = r
    return r


# ---------------------------------------------------------------- times

EXCEL_ORIGIN = datetime.date(1899, 12, 30).toordinal()
ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
ISO_TIME_RE = re.compile(r"(\d{2}):(\d{2}):(\d{2})")
SLASH_DATE_RE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
SLASH_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
EXCEL_RE = re.compile(r"(\d+)\.(\d+)")
DATE_LIKE_RE = re.compile(
    r"\d{4}[-/]\d{1,2}[-/]\d{1,2}(?: \d{1,2}:\d{1,2}(?::\d{1,2})?)?"
    r"|-?\d+(?:\.\d+)?")


def fmt_time(t):
    if t is None:
        return "(none)"
    d, s = divmod(t, 86400)
    return "%s %02d:%02d:%02d" % (datetime.date.fromordinal(d).isoformat(),
                                  s // 3600, s // 60 % 60, s % 60)


def make_time_parser(style, empty, notes):
    """Returns parse(cell) -> seconds since 0001-01-01 00:00 (proleptic, as
    date.toordinal() * 86400) or None for an empty marker.  Raises
    ValueError for what is not a time; appends to notes (and still returns
    the value) for a valid time written in a style --dates does not allow,
    or an empty marker of another variant."""
    dcache = {}
    tcache = {}
    allow_iso = style in ("iso", "mixed")
    allow_slash = style in ("slash", "mixed")
    allow_excel = style in ("excel", "mixed")
    allow_short = style == "mixed"

    def ymd(y, m, d, cell):
        try:
            return datetime.date(y, m, d).toordinal() * 86400
        except ValueError:
            raise ValueError("impossible date %r" % cell) from None

    def hms(h, mi, s, cell):
        if h > 23 or mi > 59 or s > 59:
            raise ValueError("impossible time %r" % cell)
        return h * 3600 + mi * 60 + s

    def slow(cell):
        if cell in EMPTY_MARKERS:
            if cell != empty:
                notes.append("empty time written %r, this variant uses %r"
                             % (cell, empty))
            return None
        if len(cell) == 19 and cell[4] == "-":
            dk, sp, tk = cell[:10], cell[10], cell[11:]
            if sp != " ":
                raise ValueError("not a time: %r" % cell)
            d = dcache.get(dk)
            if d is None:
                m = ISO_DATE_RE.fullmatch(dk)
                if not m:
                    raise ValueError("not a time: %r" % cell)
                d = dcache[dk] = ymd(*map(int, m.groups()), cell)
            t = tcache.get(tk)
            if t is None:
                m = ISO_TIME_RE.fullmatch(tk)
                if not m:
                    raise ValueError("not a time: %r" % cell)
                t = tcache[tk] = hms(*map(int, m.groups()), cell)
            if not allow_iso:
                notes.append("ISO time %r with --dates %s" % (cell, style))
            return d + t
        if "/" in cell:
            dk, sp, tk = cell.partition(" ")
            dm = SLASH_DATE_RE.fullmatch(dk)
            tm = SLASH_TIME_RE.fullmatch(tk)
            if not sp or not dm or not tm:
                raise ValueError("not a time: %r" % cell)
            y, mo, da = dm.groups()
            h, mi, s = tm.groups()
            t = ymd(int(y), int(mo), int(da), cell) + hms(
                int(h), int(mi), int(s or 0), cell)
            if mo[0] == "0" or da[0] == "0" or (len(h) > 1 and h[0] == "0"):
                notes.append("zero-padded slash time %r" % cell)
            if not allow_slash:
                notes.append("slash time %r with --dates %s" % (cell, style))
            elif s is None and not allow_short:
                notes.append("slash time without seconds %r with --dates %s"
                             % (cell, style))
            return t
        m = EXCEL_RE.fullmatch(cell)
        if m:
            days, frac = m.groups()
            if len(frac) != 6:
                notes.append("Excel serial %r without exactly six decimals"
                             % cell)
            # The fraction of a day in 1e-6 units, rounded to the second.
            f = int(frac) * 10 ** (6 - len(frac)) if len(frac) <= 6 else \
                int(frac[:6])
            sec = (f * 864 * 2 + 10000) // 20000
            if not allow_excel:
                notes.append("Excel serial %r with --dates %s" % (cell, style))
            return (EXCEL_ORIGIN + int(days)) * 86400 + sec
        raise ValueError("not a time: %r" % cell)

    if style == "iso":
        # The fast path: both halves of a well-formed cell are cached.
        def parse(cell):
            if len(cell) == 19:
                d = dcache.get(cell[:10])
                if d is not None:
                    t = tcache.get(cell[11:])
                    if t is not None and cell[10] == " ":
                        return d + t
            return slow(cell)
        return parse
    return slow


# ---------------------------------------------------------------- reporting


def tally(ystats, mstats, dist, year, month, key, consult, closed, dl, start,
          reop, satcls):
    """Adds one ticket to the per-year and per-month counts.

    ystats[(district, year)]: tickets, closed, on time, late, reopened,
    consult n, consult seconds, other n, other seconds.
    mstats[(district, year, month)]: tickets, then satisfaction classes
    0-3 of ordinary (1-4) and key (5-8) tickets.
    """
    y = ystats.get((dist, year))
    if y is None:
        y = ystats[(dist, year)] = [0] * 9
    y[0] += 1
    if closed is not None:
        y[1] += 1
        if dl is None:
            pass  # reported; neither on time nor late
        elif closed <= dl:
            y[2] += 1
        else:
            y[3] += 1
        if reop:
            y[4] += 1
        if consult:
            y[5] += 1
            y[6] += closed - start
        else:
            y[7] += 1
            y[8] += closed - start
    mk = (dist, year, month)
    mo = mstats.get(mk)
    if mo is None:
        mo = mstats[mk] = [0] * 9
    mo[0] += 1
    mo[1 + 4 * key + satcls] += 1

class Report:
    """Counts checks and mismatches and prints the first CAP of each kind.
    A collecting report (in a worker process) keeps them for absorb()."""

    def __init__(self, quiet, collect=False):
        self.quiet = quiet
        self.checks = 0
        self.bad = 0
        self.kinds = {}
        self.kept = [] if collect else None

    def ok(self, n=1):
        self.checks += n

    def fail(self, kind, msg):
        self.checks += 1
        self.bad += 1
        n = self.kinds.get(kind, 0) + 1
        self.kinds[kind] = n
        if n <= CAP:
            if self.kept is not None:
                self.kept.append((kind, msg))
            else:
                print("verify: " + msg)

    def check(self, cond, kind, msg):
        if cond:
            self.checks += 1
        else:
            self.fail(kind, msg)
        return cond

    def export(self):
        return self.checks, self.kinds, self.kept

    def absorb(self, exported):
        """Adds a collecting report's counts, printing its messages as if
        they had been reported here."""
        checks, kinds, kept = exported
        shown = {}
        for kind, msg in kept:
            shown[kind] = shown.get(kind, 0) + 1
            self.fail(kind, msg)
        for kind, n in kinds.items():
            rest = n - shown.get(kind, 0)
            self.kinds[kind] = self.kinds.get(kind, 0) + rest
            self.bad += rest
        self.checks += checks - sum(kinds.values()) + \
            sum(n - shown.get(k, 0) for k, n in kinds.items())

    def finish(self):
        for kind, n in self.kinds.items():
            if n > CAP:
                print("verify: note: %d more %s mismatches not shown"
                      % (n - CAP, kind))
        print("verify: %d checks, %d mismatches" % (self.checks, self.bad))
        return 1 if self.bad else 0


def note_kind(note):
    """A mismatch kind for flood control: the note's first words, without
    values."""
    k = re.sub(r"[^A-Za-z_ ]", "", " ".join(note.split(" ", 3)[:3]))
    return " ".join(k.split()) or "row"


def jfmt(v):
    if v is None:
        return "null"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


# ---------------------------------------------------------------- CSV

FIELD = r'(?:"(?:[^"]|"")*"|[^",\r\n]*)'
RECORD_RE = re.compile(FIELD + r"(?:," + FIELD + r")*\r?\n")
SURROGATE_RE = re.compile("[\udc80-\udcff]")
UNQUOTED_RE = re.compile(r"[^,\r\n]*")


def read_records(path, codec):
    """Yields (line, raw, fields) for every record: line is the physical
    line where it starts, raw its decoded text with its line end, invalid
    bytes kept as lone surrogates.  The file is read in chunks of lines
    that the csv module walks without Python code per line; a record's
    lines are found again by reader.line_num."""
    with open(path, encoding=codec, errors="surrogateescape",
              newline="") as f:
        chunks = []  # (index of the first line, lines), oldest first

        def feed():
            base = 0
            while True:
                c = f.readlines(CHUNK)
                if not c:
                    return
                chunks.append((base, c))
                base += len(c)
                yield c
        rd = csv.reader(itertools.chain.from_iterable(feed()), strict=False)
        prev = cb = 0
        cl = []
        for row in rd:
            n = rd.line_num
            i = prev - cb
            if i >= 0 and n - cb <= len(cl):
                raw = cl[i] if n == prev + 1 else "".join(cl[i:n - cb])
            else:  # the record reaches into a newer chunk
                while chunks[0][0] + len(chunks[0][1]) <= prev:
                    chunks.pop(0)
                parts = []
                for b, c in chunks:
                    parts.extend(c[max(prev - b, 0):max(n - b, 0)])
                raw = "".join(parts)
                cb, cl = chunks[-1]
            yield prev + 1, raw, row
            prev = n


def tokenize(raw):
    """A plain RFC 4180 reader for one raw record (fault records only).
    Returns (fields, stray_quote, unterminated)."""
    fields = []
    i, n = 0, len(raw)
    stray = False
    while True:
        if i < n and raw[i] == '"':
            i += 1
            buf = []
            while True:
                j = raw.find('"', i)
                if j < 0:
                    buf.append(raw[i:])
                    fields.append("".join(buf))
                    return fields, stray, True
                buf.append(raw[i:j])
                if raw.startswith('""', j):
                    buf.append('"')
                    i = j + 2
                    continue
                i = j + 1
                break
            m = UNQUOTED_RE.match(raw, i)
            if m.group():
                stray = True  # text after the closing quote
                buf.append(m.group())
            i = m.end()
            fields.append("".join(buf))
        else:
            m = UNQUOTED_RE.match(raw, i)
            if '"' in m.group():
                stray = True
            fields.append(m.group())
            i = m.end()
        if i < n and raw[i] == ",":
            i += 1
            continue
        return fields, stray, False


def scan_bytes(path):
    """Counts LF, CR and CRLF; returns (size, head, tail byte, lf, cr,
    crlf)."""
    lf = cr = crlf = size = 0
    head = b""
    prev = b""
    with open(path, "rb") as f:
        while True:
            c = f.read(1 << 24)
            if not c:
                break
            if not size:
                head = c[:3]
            size += len(c)
            lf += c.count(b"\n")
            cr += c.count(b"\r")
            crlf += c.count(b"\r\n")
            if prev == b"\r" and c[:1] == b"\n":
                crlf += 1
            prev = c[-1:]
    return size, head, prev, lf, cr, crlf


def read_lines_bytes(path, wanted):
    """Raw bytes of the physical lines in wanted (a set of line numbers)."""
    out = {}
    if not wanted:
        return out
    last = max(wanted)
    with open(path, "rb") as f:
        for no, b in enumerate(f, 1):
            if no in wanted:
                out[no] = b
            if no >= last:
                break
    return out


# ---------------------------------------------------------------- data set

class Abort(Exception):
    pass


class DataSet:
    def __init__(self, rep, path, label):
        self.rep = rep
        self.dir = path
        self.label = label
        self.ystats = {}   # (district, year) -> list of 9 counters
        self.mstats = {}   # (district, year, month) -> list of 9 counters
        self.tickets = {}  # nightly: id -> state tuple; else id -> hash
        self.nrows = []    # nightly: clean rows of a file, for nightly_row
        self.clean_rows = 0
        self.dayinfo = {}
        self.load_manifest()

    def fail(self, kind, msg):
        self.rep.fail(kind, msg)

    # -- manifest

    def load_manifest(self):
        p = os.path.join(self.dir, "manifest.json")
        try:
            with open(p, encoding="utf-8") as f:
                self.m = json.load(f)
        except OSError as e:
            raise Abort("cannot read '%s': %s" % (p, e.strerror))
        except ValueError as e:
            self.fail("manifest", "%s: not JSON: %s" % (p, e))
            raise Abort(None)
        m = self.m
        o = m.get("options") if isinstance(m, dict) else None
        if not isinstance(o, dict):
            self.fail("manifest", "%s: no \"options\" object" % p)
            raise Abort(None)
        want = {"seed": int, "first_year": int, "last_year": int,
                "scale": (int, float), "calibrate": bool, "rank_min": int,
                "encoding": str, "eol": str, "dates": str, "headers": int,
                "dirt": (int, float), "nightly": bool, "export_time": str}
        bad = False
        for k, t in want.items():
            v = o.get(k)
            if not isinstance(v, t) or (t is int and isinstance(v, bool)):
                self.fail("manifest", "%s: options.%s is %s" % (
                    p, k, "missing" if k not in o else jfmt(v)))
                bad = True
        if bad:
            raise Abort(None)
        self.opts = o
        checks = [
            (o["encoding"] in CODECS, "options.encoding %r" % o["encoding"]),
            (o["eol"] in ("crlf", "lf"), "options.eol %r" % o["eol"]),
            (o["dates"] in DATE_STYLES, "options.dates %r" % o["dates"]),
            (o["headers"] in (1, 2, 3), "options.headers %r" % o["headers"]),
            (o["rank_min"] >= 0, "options.rank_min %r" % o["rank_min"]),
            (o["first_year"] <= o["last_year"], "options: first_year > "
             "last_year"),
        ]
        for ok, what in checks:
            if not self.rep.check(ok, "manifest", "%s: bad %s" % (p, what)):
                bad = True
        if bad:
            raise Abort(None)
        self.first_year = o["first_year"]
        self.last_year = o["last_year"]
        self.rank_min = o["rank_min"]
        self.variant = o["headers"]
        self.plant = o.get("plant") == "analyses"
        self.ncols = 16 + (len(PLANT_COLS) if self.plant else 0)
        self.V = VARIANTS[self.variant]
        self.nightly = o["nightly"]
        want_export = "%d-01-15 23:59:59" % (self.last_year + 1)
        self.rep.check(o["export_time"] == want_export, "manifest",
                       "%s: options.export_time %r, expected %r (the end of "
                       "15 January after the last year)"
                       % (p, o["export_time"], want_export))
        try:
            self.export = make_time_parser("iso", "", [])(o["export_time"])
        except ValueError:
            self.fail("manifest", "%s: options.export_time is not an ISO "
                      "time" % p)
            raise Abort(None)
        if self.export is None:
            raise Abort(None)
        files = m.get("files")
        if not isinstance(files, list) or not all(
                isinstance(f, dict) and isinstance(f.get("name"), str)
                for f in files):
            self.fail("manifest", "%s: \"files\" is not a list of "
                      "{name, rows, lines}" % p)
            raise Abort(None)
        self.files = files
        faults = m.get("faults", [])
        if not isinstance(faults, list):
            self.fail("manifest", "%s: \"faults\" is not a list" % p)
            faults = []
        self.faults = {}  # file base name -> {line: fault}
        names = {os.path.basename(f["name"]) for f in files}
        for flt in faults:
            ok = (isinstance(flt, dict) and isinstance(flt.get("line"), int)
                  and isinstance(flt.get("file"), str)
                  and flt.get("kind") in FAULT_EXPECT)
            if not self.rep.check(ok, "fault-list",
                                  "%s: bad fault entry %s" % (p, jfmt(flt))):
                continue
            base = os.path.basename(flt["file"])
            if not self.rep.check(base in names, "fault-list",
                                  "%s: fault in unlisted file %r"
                                  % (p, flt["file"])):
                continue
            per = self.faults.setdefault(base, {})
            if not self.rep.check(flt["line"] not in per and flt["line"] > 1,
                                  "fault-list", "%s: fault line %d of %s "
                                  "listed twice or is the header"
                                  % (p, flt["line"], base)):
                continue
            per[flt["line"]] = flt
        self.nfaults = sum(len(v) for v in self.faults.values())
        self.check_file_list()

    def check_file_list(self):
        p = os.path.join(self.dir, "manifest.json")
        got = [os.path.basename(f["name"]) for f in self.files]
        if self.nightly:
            first = datetime.date(self.first_year, 1, 1)
            last = datetime.date.fromordinal(self.export // 86400)
            want = []
            while first <= last:
                want.append("gz12345-%s.csv" % first.strftime("%Y%m%d"))
                first += datetime.timedelta(days=1)
        else:
            want = ["gz12345-%d.csv" % y
                    for y in range(self.first_year, self.last_year + 1)]
        if got != want:
            miss = [w for w in want if w not in got][:3]
            extra = [g for g in got if g not in want][:3]
            self.fail("manifest", "%s: files are not the expected %d "
                      "(%s .. %s) in order; missing %s, unexpected %s"
                      % (p, len(want), want[0], want[-1], miss, extra))
        else:
            self.rep.ok()

    def path_of(self, name):
        p = os.path.join(self.dir, name)
        if self.nightly and not os.path.exists(p) and "/" not in name:
            p = os.path.join(self.dir, "nightly", name)
        return p

    def day(self, d):
        """(year, month, "YYYYMMDD") of a day number, cached."""
        r = self.dayinfo.get(d)
        if r is None:
            x = datetime.date.fromordinal(d)
            r = self.dayinfo[d] = (x.year, x.month, x.strftime("%Y%m%d"))
        return r

    # -- one file

    def verify_file(self, fe, do_faults, want_hash):
        rep = self.rep
        name = fe["name"]
        base = os.path.basename(name)
        path = self.path_of(name)
        where = os.path.relpath(path, self.dir)
        if self.label:
            where = os.path.join(self.label, where)
        if not os.path.isfile(path):
            self.fail("file", "%s: listed in the manifest but missing" % where)
            return
        enc = self.opts["encoding"]
        codec = CODECS[enc]
        V = self.V
        m = re.fullmatch(r"gz12345-(\d{4})(\d{2})?(\d{2})?\.csv", base)
        if self.nightly:
            fday = datetime.date(int(m.group(1)), int(m.group(2)),
                                 int(m.group(3))).toordinal()
            limit = fday * 86400 + 86399
            fyear = None
        else:
            fday = None
            limit = self.export
            fyear = int(m.group(1))
        faults = self.faults.get(base, {})
        fault_recs = {}   # line -> (raw, fields, nlines, dup info)
        notes = []
        tp = make_time_parser(self.opts["dates"], V["empty"], notes)
        catmap, keymap, satmap = V["cat"], V["key"], V["sat"]
        reopenmap, id_re = V["reopen"], V["id_re"]
        no_callback, either = V["no_callback"], V["either"]
        is_v2 = self.variant == 2
        districts = frozenset(DISTRICTS)
        seen = {}         # id -> (line, hash of fields or 0)
        # Row hashes only serve to tell a duplicate_conflict from a copy.
        dup_hash = do_faults and any(f["kind"] == "duplicate_conflict"
                                     for f in faults.values())
        nrec = 0
        last_line = None
        prev_key = None
        ystats, mstats = self.ystats, self.mstats
        tickets = self.tickets
        nightly = self.nightly
        dayinfo = self.day
        daycache = self.dayinfo
        dlcache = _deadline_cache
        header = None
        idx = None
        fail = self.fail
        clean = 0

        try:
            for line, raw, row in read_records(path, codec):
                last_line = line
                if header is None:
                    header = row
                    idx = self.check_header(where, raw, row)
                    if idx is None:
                        return
                    (I_ID, I_ACC, I_CHAN, I_CAT, I_KEY, I_DIST, I_STREET,
                     I_UNIT, I_DISP, I_SIGN, I_DL, I_CLOSED, I_STATUS, I_SAT,
                     I_REOPEN, I_CONTENT) = idx
                    continue
                nrec += 1
                flt = faults.get(line)
                if flt is not None:
                    dup = None
                    if len(row) > I_ID:
                        h = hash(tuple(row)) if dup_hash else 0
                        prev = seen.get(row[I_ID])
                        if prev is not None:
                            dup = (prev[0], prev[1] != h)
                        else:
                            seen[row[I_ID]] = (line, h)
                    nlines = raw.count("\n") + (0 if raw.endswith("\n")
                                                else 1)
                    fault_recs[line] = (raw, row, nlines, dup)
                    continue
                if len(row) != self.ncols:
                    fail("field-count", "%s:%d: %d fields, expected %d (not "
                         "a listed fault)" % (where, line, len(row),
                                              self.ncols))
                    continue
                if raw[-1] != "\n":
                    fail("csv", "%s:%d: record has no line end"
                         % (where, line))
                    continue
                if '"' in raw and not RECORD_RE.fullmatch(raw):
                    fail("csv", "%s:%d: malformed quoting (a quote inside "
                         "an unquoted field, or text after a closing quote)"
                         % (where, line))
                    continue
                if SURROGATE_RE.search(raw):
                    fail("encoding", "%s:%d: bytes invalid in %s (not a "
                         "listed fault)" % (where, line, enc))
                    continue
                tid = row[I_ID]
                try:
                    acc = tp(row[I_ACC])
                    if acc is None:
                        raise ValueError("no acceptance time")
                    disp = tp(row[I_DISP])
                    sign = tp(row[I_SIGN])
                    dl = tp(row[I_DL])
                    closed = tp(row[I_CLOSED])
                    cat = catmap.get(row[I_CAT])
                    if cat is None:
                        raise ValueError("category %r" % row[I_CAT])
                    key = keymap.get(row[I_KEY])
                    if key is None:
                        raise ValueError("key flag %r" % row[I_KEY])
                    dist = row[I_DIST]
                    if dist not in districts:
                        raise ValueError("district %r" % dist)
                    sat = row[I_SAT]
                    satcls = satmap.get(sat)
                    if satcls is None:
                        raise ValueError("satisfaction %r" % sat)
                    reop = reopenmap.get(row[I_REOPEN])
                    if reop is None:
                        raise ValueError("reopen %r" % row[I_REOPEN])
                except ValueError as e:
                    notes.clear()
                    fail("value", "%s:%d: bad value: %s" % (where, line, e))
                    continue
                clean += 1
                status = row[I_STATUS]
                aday = acc // 86400
                di = daycache.get(aday)
                if di is None:
                    di = dayinfo(aday)
                year, month, ymd = di
                # Problems that leave the row usable for the figures.
                if row[I_CHAN] not in CHANNELS:
                    notes.append("channel %r" % row[I_CHAN])
                if status not in STATUSES:
                    notes.append("status %r" % status)
                im = id_re.fullmatch(tid)
                if not im:
                    notes.append("ticket id %r is not %s" % (
                        tid, "GZ+YYYYMMDD+6 digits" if is_v2 else
                        "YYYYMMDD+6 digits"))
                elif im.group(1) != ymd:
                    notes.append("ticket id %r does not start with the "
                                 "acceptance day %s" % (tid, ymd))
                if tid in seen:
                    notes.append("ticket id %s repeats line %d (not a listed "
                                 "fault)" % (tid, seen[tid][0]))
                else:
                    seen[tid] = (line, hash(tuple(row)) if dup_hash else 0)
                k = (acc, tid)
                if prev_key is not None and k < prev_key:
                    notes.append("not in order of acceptance time and ID "
                                 "(after %s %s)" % (fmt_time(prev_key[0]),
                                                    prev_key[1]))
                prev_key = k
                if fyear is not None and year != fyear:
                    notes.append("accepted in %d, file of %d" % (year, fyear))
                if not self.first_year <= year <= self.last_year:
                    notes.append("accepted in %d, outside the options' "
                                 "years" % year)
                if (acc > limit or (disp is not None and disp > limit) or
                        (sign is not None and sign > limit) or
                        (closed is not None and closed > limit)):
                    for t, what in ((acc, "accepted_at"),
                                    (disp, "dispatched_at"),
                                    (sign, "signed_at"),
                                    (closed, "closed_at")):
                        if t is not None and t > limit:
                            notes.append("%s %s after the %s" % (
                                what, fmt_time(t), "file's day" if nightly
                                else "export time"))
                if disp is not None and disp < acc:
                    notes.append("dispatched before accepted")
                if sign is not None:
                    if disp is None:
                        notes.append("signed but never dispatched")
                    elif sign < disp:
                        notes.append("signed before dispatched")
                # An open ticket never dispatched is reported once, below.
                awaiting = disp is None and sign is None and closed is None
                if disp is None and not awaiting and (cat != "咨询" or
                                                      sign is not None):
                    notes.append("no dispatch time on a %s ticket (only "
                                 "consultations answered on the call have "
                                 "none)" % row[I_CAT])
                if closed is not None:
                    if closed < acc:
                        notes.append("closed before accepted (not a listed "
                                     "fault)")
                    elif closed < (sign if sign is not None else
                                   disp if disp is not None else acc):
                        notes.append("closed before dispatched or signed")
                    if status not in ("已办结", "已回访"):
                        notes.append("closed but status %s" % status)
                else:
                    want = ("待派单" if disp is None else
                            "办理中" if (sign is not None or reop) else
                            "待签收")
                    if status != want:
                        notes.append("open, %s, %s but status %s" % (
                            "signed" if sign is not None else "not signed",
                            "reopened" if reop else "never reopened",
                            status))
                if not reop and sat not in either:
                    cb = sat not in no_callback
                    if status == "已回访" and not cb:
                        notes.append("status 已回访 but satisfaction %r" % sat)
                    elif status != "已回访" and cb:
                        notes.append("status %s but satisfaction %r (called "
                                     "back)" % (status, sat))
                start = disp if disp is not None else acc
                dk = (start // 86400, DEADLINE_DAYS[cat])
                want_dl = dlcache.get(dk, 0)
                if want_dl == 0:
                    want_dl = deadline_for(*dk)
                if dl is None:
                    if not awaiting:
                        notes.append("no deadline (%s ticket, %s)" % (
                            row[I_CAT], "dispatched" if disp is not None
                            else "never dispatched"))
                elif want_dl is not None and dl != want_dl:
                    notes.append("deadline %s, the rule gives %s" % (
                        fmt_time(dl), fmt_time(want_dl)))
                if notes:
                    for n in notes:
                        fail(note_kind(n), "%s:%d: %s" % (where, line, n))
                    notes.clear()
                else:
                    rep.checks += 1
                consult = cat == "咨询"
                if nightly:
                    norm = (tid, acc, row[I_CHAN], row[I_CAT], row[I_KEY],
                            dist, row[I_STREET], row[I_UNIT], disp, sign, dl,
                            closed, status, sat, row[I_REOPEN],
                            row[I_CONTENT])
                    fig = (dist, year, month, key, consult, closed, dl, start,
                           reop, satcls)
                    self.nrows.append((where, line, tid, hash(norm), acc,
                                       disp, sign, closed, reop, fig))
                    continue
                if want_hash:
                    tickets[tid] = hash((tid, acc, row[I_CHAN], row[I_CAT],
                                         row[I_KEY], dist, row[I_STREET],
                                         row[I_UNIT], disp, sign, dl, closed,
                                         status, sat, row[I_REOPEN],
                                         row[I_CONTENT]))
                tally(ystats, mstats, dist, year, month, key, consult,
                      closed, dl, start, reop, satcls)
        except csv.Error as e:
            fail("csv", "%s:%d: csv: %s; rest of the file not read"
                 % (where, (last_line or 0) + 1, e))
        except OSError as e:
            fail("file", "%s: %s" % (where, e))
            return
        self.clean_rows += clean
        if header is None:
            fail("file", "%s: empty file" % where)
            return
        if idx is None:
            return
        self.after_file(fe, where, path, nrec, last_line, faults, fault_recs,
                        do_faults, idx)

    def check_header(self, where, raw, row):
        want = header_order(self.variant)
        if self.plant:
            want += list(PLANT_COLS)
        if row and row[0].startswith("\ufeff"):
            # A BOM the codec did not eat; the byte check reports it.
            row = [row[0][1:]] + row[1:]
        if row == want:
            self.rep.ok()
        else:
            names = HEADER_NAMES[self.variant]
            if sorted(row) == sorted(want):
                self.fail("header", "%s:1: header in another order than the "
                          "spec's variant %d: %s" % (where, self.variant,
                                                     ",".join(row)))
            else:
                self.fail("header", "%s:1: header %s, expected variant %d's "
                          "%s" % (where, ",".join(row), self.variant,
                                  ",".join(want)))
            if not all(n in row for n in names) or len(set(row)) != len(row):
                self.fail("header", "%s:1: cannot map the columns; file "
                          "skipped" % where)
                return None
        return [row.index(n) for n in HEADER_NAMES[self.variant]]

    def after_file(self, fe, where, path, nrec, last_line, faults, fault_recs,
                   do_faults, idx):
        rep = self.rep
        enc = self.opts["encoding"]
        size, head, tail, lf, cr, crlf = scan_bytes(path)
        lines = lf + (1 if size and tail != b"\n" else 0)
        unterminated = [ln for ln, f in faults.items()
                        if f["kind"] == "unterminated_quote"]
        # Bytes: BOM, line ends.
        if enc == "utf8-bom":
            rep.check(head == b"\xef\xbb\xbf", "bom",
                      "%s: no UTF-8 BOM, options say utf8-bom" % where)
        else:
            rep.check(not head.startswith(b"\xef\xbb\xbf"), "bom",
                      "%s: starts with a UTF-8 BOM, options say %s"
                      % (where, enc))
        crlf_mode = self.opts["eol"] == "crlf"
        if crlf_mode:
            eol_ok = lf == crlf == cr
        else:
            eol_ok = cr == 0
        end_ok = size > 0 and tail == b"\n"
        if not end_ok and unterminated and last_line in unterminated:
            end_ok = True
        if not eol_ok:
            skip = set()
            for ln in unterminated:
                if ln in fault_recs:
                    skip.update(range(ln, ln + fault_recs[ln][2]))
            bad = []
            with open(path, "rb") as f:
                for no, b in enumerate(f, 1):
                    if no in skip:
                        continue
                    if crlf_mode:
                        body = b[:-2] if b.endswith(b"\r\n") else b
                        wrong = (b"\r" in body or
                                 (b.endswith(b"\n") and
                                  not b.endswith(b"\r\n")))
                    else:
                        wrong = b"\r" in b
                    if wrong:
                        bad.append(no)
                        if len(bad) >= CAP:
                            break
            if bad:
                for no in bad:
                    self.fail("eol", "%s:%d: line end is not %s (or a stray "
                              "CR)" % (where, no, self.opts["eol"]))
            else:
                rep.ok()
        else:
            rep.ok()
        rep.check(end_ok, "eol", "%s: the last record has no line end"
                  % where)
        # Counts in the manifest.
        for k, got in (("rows", nrec), ("lines", lines)):
            v = fe.get(k)
            rep.check(v == got, "file-count",
                      "%s: manifest %s %s, the file has %d" % (
                          where, k, jfmt(v), got))
        # Faults.
        for ln, flt in sorted(faults.items()):
            if ln not in fault_recs:
                self.fail("fault", "%s:%d: listed %s fault, but no record "
                          "starts on that line" % (where, ln, flt["kind"]))
                continue
            rep.check(flt.get("expect") == FAULT_EXPECT[flt["kind"]],
                      "fault-list", "%s:%d: fault %s has expect %s, the spec "
                      "says %s" % (where, ln, flt["kind"],
                                   jfmt(flt.get("expect")),
                                   FAULT_EXPECT[flt["kind"]]))
        if len(unterminated) > 1:
            self.fail("fault-list", "%s: %d unterminated_quote faults (at "
                      "most one per file)" % (where, len(unterminated)))
        if do_faults and fault_recs:
            self.check_faults(where, path, faults, fault_recs, last_line, idx)

    def check_faults(self, where, path, faults, fault_recs, last_line, idx):
        rep = self.rep
        raw_codec = RAW_CODECS[self.opts["encoding"]]
        wanted = set()
        for ln, (_, _, nl, _) in fault_recs.items():
            wanted.update(range(ln, ln + nl))
        blines = read_lines_bytes(path, wanted)
        I_ID, I_ACC, I_CLOSED, I_CONTENT = (idx[F_ID], idx[F_ACC],
                                            idx[F_CLOSED], idx[F_CONTENT])
        notes = []
        tp = make_time_parser("mixed", self.V["empty"], notes)
        for ln, (raw, row, nl, dup) in sorted(fault_recs.items()):
            flt = faults[ln]
            kind = flt["kind"]
            loc = "%s:%d: %s fault: " % (where, ln, kind)
            rb = b"".join(blines.get(i, b"") for i in range(ln, ln + nl))
            try:
                text = rb.decode(raw_codec)
                decodes = True
            except UnicodeDecodeError:
                text = rb.decode(raw_codec, "surrogateescape")
                decodes = False
            fields, stray, unterm = tokenize(text)
            tid = fields[I_ID] if len(fields) > I_ID else None
            if "ticket_id" in flt:
                rep.check(flt["ticket_id"] == tid, "fault-id",
                          loc + "manifest ticket_id %s, the record has %s"
                          % (jfmt(flt["ticket_id"]), jfmt(tid)))
            if kind == "field_count":
                ok = len(fields) != self.ncols and not unterm
                why = "%d fields" % len(fields)
            elif kind == "bad_date":
                v = fields[I_ACC] if len(fields) == self.ncols else None
                ok = False
                why = "accepted_at %s" % jfmt(v)
                if v is not None and v not in EMPTY_MARKERS and \
                        DATE_LIKE_RE.fullmatch(v):
                    try:
                        tp(v)
                    except ValueError:
                        ok = True
                    if v.startswith("-"):
                        ok = True
            elif kind == "invalid_bytes":
                ok = not decodes
                why = "the bytes decode in %s" % raw_codec
                if ok and len(fields) == self.ncols:
                    ok = bool(SURROGATE_RE.search(fields[I_CONTENT]))
                    why = "the invalid bytes are not in the content"
            elif kind == "stray_quote":
                ok = stray and not unterm
                why = "no quote inside an unquoted field"
            elif kind == "duplicate_conflict":
                ok = dup is not None and dup[1]
                why = ("no earlier record with ID %s" % tid if dup is None
                       else "identical to line %d" % dup[0])
            elif kind == "closed_before_accepted":
                ok = False
                why = "not %d fields" % self.ncols
                if len(fields) == self.ncols:
                    try:
                        a = tp(fields[I_ACC])
                        c = tp(fields[I_CLOSED])
                        ok = a is not None and c is not None and c < a
                        why = "accepted %s, closed %s" % (fmt_time(a),
                                                          fmt_time(c))
                    except ValueError as e:
                        why = str(e)
            elif kind == "unterminated_quote":
                ok = unterm and ln == last_line
                why = ("not the last record" if ln != last_line else
                       "the record ends outside quotes")
            rep.check(ok, "fault", loc + "not really one: " + why)

    # -- nightly

    def nightly_row(self, fday, where, line, tid, h, acc, disp, sign, closed,
                    reop, fig):
        prev = self.tickets.get(tid)
        notes = []
        if prev is None:
            if acc // 86400 != fday:
                notes.append("first appears in the file of %s, accepted %s"
                             % (fmt_time(fday * 86400)[:10], fmt_time(acc)))
            old = (None, None, None, None)
        else:
            ph, pacc, pdisp, psign, pclosed, preop, pday, _ = prev
            # Variant 2's 是/否 cannot show a second reopen (a close and a
            # reopen on one day), so a reopened ticket may look unchanged.
            if ph == h and not (self.variant == 2 and reop):
                notes.append("unchanged since the file of %s and no event "
                             "on this day" % fmt_time(pday * 86400)[:10])
            if acc != pacc:
                notes.append("accepted_at changed from %s" % fmt_time(pacc))
            if pdisp is not None and disp != pdisp:
                notes.append("dispatched_at changed from %s"
                             % fmt_time(pdisp))
            if psign is not None and sign != psign:
                notes.append("signed_at changed from %s" % fmt_time(psign))
            if reop < preop:
                notes.append("reopen count went down from %d" % preop)
            if pclosed is not None and closed != pclosed:
                reopened = reop > preop or (self.variant == 2 and reop)
                if not reopened:
                    notes.append("closed_at changed from %s to %s without a "
                                 "reopen" % (fmt_time(pclosed),
                                             fmt_time(closed)))
            old = (pacc, pdisp, psign, pclosed)
        for t, o, what in ((acc, old[0], "accepted_at"),
                           (disp, old[1], "dispatched_at"),
                           (sign, old[2], "signed_at"),
                           (closed, old[3], "closed_at")):
            if t is not None and t != o and t // 86400 != fday:
                notes.append("new %s %s is not on the file's day"
                             % (what, fmt_time(t)))
        for n in notes:
            self.fail("nightly", "%s:%d: %s" % (where, line, n))
        if not notes:
            self.rep.ok()
        self.tickets[tid] = (h, acc, disp, sign, closed, reop, fday, fig)

    def finish_nightly(self):
        ystats, mstats = self.ystats, self.mstats
        for st in self.tickets.values():
            (dist, year, month, key, consult, closed, dl, start, reop,
             satcls) = st[7]
            tally(ystats, mstats, dist, year, month, key, consult, closed,
                  dl, start, reop, satcls)

    # -- the whole set

    def verify_one(self, i, do_faults, want_hash):
        """Verifies file i into fresh accumulators and returns them with the
        collected report (runs in a worker process)."""
        self.rep = Report(True, collect=True)
        self.ystats, self.mstats, self.tickets = {}, {}, {}
        self.clean_rows = 0
        self.nrows = []
        self.verify_file(self.files[i], do_faults, want_hash)
        return (self.rep.export(), self.ystats, self.mstats, self.tickets,
                self.clean_rows, self.nrows, self.file_day(self.files[i]))

    def file_day(self, fe):
        m = re.search(r"gz12345-(\d{4})(\d{2})(\d{2})\.csv$", fe["name"])
        if not m:
            return None
        return datetime.date(*map(int, m.groups())).toordinal()

    def verify(self, do_faults, want_hash):
        global _WORK
        rep = self.rep
        ystats, mstats, tickets = {}, {}, {}
        clean = 0
        jobs = min(len(self.files), os.cpu_count() or 1, 8)
        _WORK = (self, do_faults, want_hash)
        pool = None
        if jobs > 1:
            try:
                pool = multiprocessing.get_context("fork").Pool(jobs)
            except (OSError, ValueError):
                pool = None
        try:
            if pool is not None:
                results = pool.imap(_work, range(len(self.files)),
                                    chunksize=1 if len(self.files) < 64
                                    else 8)
            else:
                results = map(_work, range(len(self.files)))
            for exported, ys, ms, tk, cl, nrows, fday in results:
                rep.absorb(exported)
                for k, v in ys.items():
                    t = ystats.get(k)
                    if t is None:
                        ystats[k] = v
                    else:
                        ystats[k] = [a + b for a, b in zip(t, v)]
                for k, v in ms.items():
                    t = mstats.get(k)
                    if t is None:
                        mstats[k] = v
                    else:
                        mstats[k] = [a + b for a, b in zip(t, v)]
                tickets.update(tk)
                clean += cl
                for r in nrows:
                    self.nightly_row(fday, *r)
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        self.rep = rep
        self.ystats, self.mstats = ystats, mstats
        self.clean_rows = clean
        if self.nightly:
            self.finish_nightly()
        else:
            self.tickets = tickets
        dirt = self.opts["dirt"]
        where = self.label or self.dir
        if dirt == 0:
            self.rep.check(self.nfaults == 0, "fault-list",
                           "%s: %d faults listed with --dirt 0"
                           % (where, self.nfaults))
        elif do_faults:
            want = dirt * self.clean_rows
            self.rep.check(abs(self.nfaults - want) <= max(5, want / 2),
                           "fault-list", "%s: %d faults for %d clean rows, "
                           "--dirt %s asks for about %.0f" % (
                               where, self.nfaults, self.clean_rows, dirt,
                               want))
        self.compute_figures()

    def compute_figures(self):
        """Builds self.figures in the manifest's layout (floats where the
        manifest has reals; ranks as Fractions kept in self.exact)."""
        rank_min = self.rank_min
        ranks = {}  # (district, year, month, cls) -> rank
        by_month = {}
        for (d, y, mo), v in self.mstats.items():
            by_month.setdefault((y, mo), []).append((d, v))
        for (y, mo), lst in by_month.items():
            for cls in (0, 1):
                rated = []
                for d, v in lst:
                    s, b, u = v[1 + 4 * cls: 4 + 4 * cls]
                    ev = s + b + u
                    if ev >= rank_min and ev > 0:
                        rated.append((d, Fraction(s + b, ev)))
                for d, r in rated:
                    ranks[(d, y, mo, cls)] = 1 + sum(1 for _, o in rated
                                                     if o > r)
        figs = {}
        exact = {}
        for (d, y), v in sorted(self.ystats.items()):
            f = {"tickets": v[0], "closed": v[1], "on_time": v[2],
                 "late": v[3], "reopened": v[4],
                 "handling": {"consult": {"n": v[5], "seconds": v[6]},
                              "other": {"n": v[7], "seconds": v[8]}}}
            p = self.ystats.get((d, y - 1))
            if p is not None:
                sp = {}
                for cls, (i, j) in (("consult", (5, 6)), ("other", (7, 8))):
                    if p[i] and v[i] and p[j]:
                        mp = Fraction(p[j], p[i])
                        mt = Fraction(v[j], v[i])
                        sp[cls] = float((mp - mt) / mp * 100)
                    else:
                        sp[cls] = None
                f["speedup_pct"] = sp
            months = []
            for mo in range(1, 13):
                mv = self.mstats.get((d, y, mo))
                if mv is None:
                    continue
                e = {"month": mo, "tickets": mv[0]}
                for cls, nm in ((0, "ordinary"), (1, "key")):
                    s, b, u, n = mv[1 + 4 * cls: 5 + 4 * cls]
                    e[nm] = {"satisfied": s, "basic": b, "unsatisfied": u,
                             "unevaluated": n,
                             "rank": ranks.get((d, y, mo, cls))}
                months.append(e)
            for cls, nm in ((0, "ordinary"), (1, "key")):
                rk = [ranks.get((d, y, mo, cls)) for mo in range(1, 13)]
                got = [r for r in rk if r is not None]
                mean = Fraction(sum(got), len(got)) if got else None
                best = run = 0
                for r in rk:
                    run = run + 1 if r == 1 else 0
                    best = max(best, run)
                f[nm] = {"mean_rank": None if mean is None else float(mean),
                         "rank1_streak": best}
                exact[(d, y, nm)] = mean
            f["months"] = months
            figs.setdefault(d, {})[str(y)] = f
        self.figures = figs
        self.exact = exact

    def compare_figures(self):
        man = self.m.get("figures")
        if not isinstance(man, dict):
            self.fail("figures", "%s: manifest has no \"figures\" object"
                      % (self.label or self.dir))
            return
        for d in sorted(set(man) | set(self.figures)):
            md = man.get(d, {})
            cd = self.figures.get(d, {})
            if not isinstance(md, dict):
                self.fail("figures", "%s: manifest entry is not an object"
                          % d)
                continue
            for y in sorted(set(md) | set(cd)):
                self.walk(d, y, "", md.get(y), cd.get(y))

    def walk(self, d, y, path, mv, cv):
        if isinstance(cv, dict):
            if mv is None and cv and path == "":
                self.fail("figures", "%s %s: manifest has no figures, "
                          "computed %d tickets" % (d, y, cv["tickets"]))
                return
            if mv is None and path and all(
                    v is None for v in cv.values()):
                self.rep.ok()
                return
            if not isinstance(mv, dict):
                self.fail("figures", "%s %s %s: manifest %s, computed an "
                          "object" % (d, y, path or "(all)", jfmt(mv)))
                return
            for k in cv:
                self.walk(d, y, path + ("." if path else "") + k, mv.get(k),
                          cv[k])
            for k in mv:
                if k not in cv and mv[k] is not None:
                    if path == "" and k == "speedup_pct":
                        self.fail("figures", "%s %s speedup_pct: manifest %s,"
                                  " computed none (no previous year)"
                                  % (d, y, jfmt(mv[k])))
                    elif path == "" and mv[k] not in ({}, []):
                        self.fail("figures", "%s %s %s: manifest %s, not "
                                  "in the spec" % (d, y, k, jfmt(mv[k])))
            return
        if isinstance(cv, list):  # months, matched by month number
            if not isinstance(mv, list):
                self.fail("figures", "%s %s %s: manifest %s, computed a list"
                          % (d, y, path, jfmt(mv)))
                return
            mm = {}
            for e in mv:
                if isinstance(e, dict) and isinstance(e.get("month"), int):
                    mm[e["month"]] = e
                else:
                    self.fail("figures", "%s %s %s: bad entry %s"
                              % (d, y, path, jfmt(e)))
            cm = {e["month"]: e for e in cv}
            for mo in sorted(set(mm) | set(cm)):
                c = cm.get(mo)
                if c is None:  # the district had no tickets that month
                    c = {"month": mo, "tickets": 0}
                    for nm in ("ordinary", "key"):
                        c[nm] = {"satisfied": 0, "basic": 0,
                                 "unsatisfied": 0, "unevaluated": 0,
                                 "rank": None}
                self.walk(d, y, "%s[m=%d]" % (path, mo), mm.get(mo), c)
            return
        kind = "figures:" + re.sub(r"\[m=\d+\]", "[]", path)
        if isinstance(cv, float) or (cv is None and (
                path.endswith("mean_rank") or "speedup" in path)):
            if cv is None or mv is None:
                ok = cv is None and mv is None
            else:
                ok = (isinstance(mv, (int, float)) and
                      not isinstance(mv, bool) and abs(mv - cv) <= 1e-9)
        else:
            ok = (mv == cv and not isinstance(mv, bool) and
                  (mv is None) == (cv is None))
        if ok:
            self.rep.ok()
        else:
            self.fail(kind, "%s %s %s: manifest %s, computed %s"
                      % (d, y, path or "(all)", "(missing)" if mv is None and
                         cv is not None else jfmt(mv), jfmt(cv)))

    # -- targets and the table

    def check_targets(self):
        rep = self.rep
        d, y = TARGET_DISTRICT, TARGET_YEAR
        f = self.figures.get(d, {}).get(str(y))
        if f is None:
            self.fail("target", "%s %d: no tickets in the data" % (d, y))
            return

        def tgt(name, ok, want, got):
            rep.check(ok, "target", "%s %d target %s: expected %s, computed "
                      "%s" % (d, y, name, want, got))
        n = f["tickets"]
        tgt("tickets", 245000 <= n < 246000, "245000 <= n < 246000", n)
        rate = ("%.2f" % (f["on_time"] / f["closed"] * 100)
                if f["closed"] else None)
        tgt("on_time_rate", rate == "99.99", "99.99", rate)
        sp = f.get("speedup_pct", {})
        for cls, want in (("consult", "60.93"), ("other", "47.55")):
            v = sp.get(cls)
            got = None if v is None else "%.2f" % v
            tgt("speedup_pct." + cls, got == want, want, got)
        mean = self.exact.get((d, y, "ordinary"))
        tgt("ordinary.mean_rank", mean == 4, "4 exactly",
            None if mean is None else str(mean))
        s = f["key"]["rank1_streak"]
        tgt("key.rank1_streak", s == 9, 9, s)

    def print_table(self):
        rows = self.figures.get(TARGET_DISTRICT, {})
        print("%s, computed from the rows of %s:" % (TARGET_DISTRICT,
                                                   self.label or self.dir))
        print("%4s %8s %8s %8s %5s %8s %9s %9s %8s %8s %8s %6s %8s %6s" % (
            "year", "tickets", "closed", "ontime%", "late", "reopened",
            "consult_h", "other_h", "spd_c%", "spd_o%", "ord_rank",
            "ord_1s", "key_rank", "key_1s"))

        def h(n, s):
            return "%9.3f" % (s / n / 3600) if n else "%9s" % "-"

        def x(v, w=8):
            return "%*s" % (w, "-") if v is None else "%*.4f" % (w, v)
        for y in sorted(rows):
            f = rows[y]
            sp = f.get("speedup_pct", {})
            hd = f["handling"]
            print("%4s %8d %8d %8s %5d %8d %s %s %s %s %s %6d %s %6d" % (
                y, f["tickets"], f["closed"],
                "%.4f" % (f["on_time"] / f["closed"] * 100)
                if f["closed"] else "-",
                f["late"], f["reopened"],
                h(hd["consult"]["n"], hd["consult"]["seconds"]),
                h(hd["other"]["n"], hd["other"]["seconds"]),
                x(sp.get("consult")), x(sp.get("other")),
                x(f["ordinary"]["mean_rank"]), f["ordinary"]["rank1_streak"],
                x(f["key"]["mean_rank"]), f["key"]["rank1_streak"]))


_WORK = None  # (data set, do_faults, want_hash) for the worker processes


def _work(i):
    ds, do_faults, want_hash = _WORK
    # A shallow copy: verify_one replaces the accumulators and the report,
    # which must survive in the parent when there is no worker process.
    return copy.copy(ds).verify_one(i, do_faults, want_hash)


# ---------------------------------------------------------------- nightly-vs

def collect_rows(ds, ids):
    """Normalised rows of the given IDs (the latest one of each), for
    showing what differs."""
    out = {}
    V = ds.V
    tp = make_time_parser("mixed", V["empty"], [])
    for fe in ds.files:
        base = os.path.basename(fe["name"])
        faults = ds.faults.get(base, {})
        idx = None
        try:
            for line, raw, row in read_records(ds.path_of(fe["name"]),
                                               CODECS[ds.opts["encoding"]]):
                if idx is None:
                    try:
                        idx = [row.index(n) for n in HEADER_NAMES[ds.variant]]
                    except ValueError:
                        break
                    continue
                if line in faults or len(row) != ds.ncols or \
                        row[idx[0]] not in ids:
                    continue
                r = [row[i] for i in idx]
                for j in (F_ACC, F_DISP, F_SIGN, F_DL, F_CLOSED):
                    try:
                        r[j] = fmt_time(tp(r[j]))
                    except ValueError:
                        pass
                out[r[0]] = r
        except (OSError, csv.Error):
            continue
    return out


def compare_nightly(rep, nds, yds):
    for k in sorted(set(nds.opts) | set(yds.opts)):
        if k == "nightly":
            continue
        rep.check(nds.opts.get(k) == yds.opts.get(k), "nightly-vs",
                  "nightly-vs: options.%s %s in %s, %s in %s" % (
                      k, jfmt(nds.opts.get(k)), nds.dir,
                      jfmt(yds.opts.get(k)), yds.dir))
    rep.check(nds.nightly and not yds.nightly, "nightly-vs",
              "nightly-vs: %s should be --nightly and %s not"
              % (nds.dir, yds.dir))
    n = {tid: st[0] for tid, st in nds.tickets.items()}
    y = yds.tickets
    only_n = sorted(set(n) - set(y))
    only_y = sorted(set(y) - set(n))
    diff = sorted(t for t in n if t in y and n[t] != y[t])
    rep.check(not only_n, "nightly-vs", "nightly-vs: %d tickets only in the "
              "nightly files, e.g. %s" % (len(only_n), only_n[:5]))
    rep.check(not only_y, "nightly-vs", "nightly-vs: %d tickets only in the "
              "yearly files, e.g. %s" % (len(only_y), only_y[:5]))
    if not diff:
        rep.check(True, "nightly-vs", "")
        return
    show = set(diff[:5])
    rn = collect_rows(nds, show)
    ry = collect_rows(yds, show)
    rep.fail("nightly-vs", "nightly-vs: %d tickets whose latest nightly row "
             "differs from the yearly row" % len(diff))
    for t in sorted(show):
        a, b = rn.get(t), ry.get(t)
        if a is None or b is None:
            continue
        parts = ["%s nightly %r yearly %r" % (CANON[i], a[i], b[i])
                 for i in range(16) if a[i] != b[i]]
        rep.fail("nightly-vs-row", "nightly-vs: %s: %s"
                 % (t, "; ".join(parts) or "the rows read again are equal: "
                    "the latest row was rejected above"))


# ---------------------------------------------------------------- main

def main(argv):
    ap = argparse.ArgumentParser(
        prog="verify_sample.py",
        description="Check a `hotline sample` data set against "
        "docs/sample-data.md, recomputing the manifest's figures from "
        "the rows.")
    ap.add_argument("dir", metavar="DIR")
    ap.add_argument("--targets", action="store_true",
                    help="check the published 荔湾区 2022 figures")
    ap.add_argument("--faults", action="store_true",
                    help="check that every listed fault is of its kind")
    ap.add_argument("--nightly-vs", metavar="YEARLY_DIR",
                    help="DIR is a --nightly set; compare its latest rows "
                    "with the yearly set in YEARLY_DIR")
    ap.add_argument("--quiet", action="store_true",
                    help="print only mismatches and the summary")
    a = ap.parse_args(argv)
    for d in [a.dir] + ([a.nightly_vs] if a.nightly_vs else []):
        if not os.path.isfile(os.path.join(d, "manifest.json")):
            print("verify_sample.py: no manifest.json in '%s'" % d,
                  file=sys.stderr)
            return 2
    csv.field_size_limit(1 << 24)
    rep = Report(a.quiet)
    try:
        ds = DataSet(rep, a.dir, None)
        if a.nightly_vs and not ds.nightly:
            rep.fail("nightly-vs", "nightly-vs: %s is not a --nightly data "
                     "set" % a.dir)
        ds.verify(a.faults, False)
        ds.compare_figures()
        if a.targets:
            ds.check_targets()
        if not a.quiet:
            ds.print_table()
        if a.nightly_vs and ds.nightly:
            yds = DataSet(rep, a.nightly_vs, a.nightly_vs)
            yds.verify(a.faults, True)
            yds.compare_figures()
            compare_nightly(rep, ds, yds)
    except Abort as e:
        if e.args and e.args[0]:
            print("verify_sample.py: %s" % e.args[0], file=sys.stderr)
            return 2
    sys.stdout.flush()
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
