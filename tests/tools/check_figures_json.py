#!/usr/bin/env python3
"""The figures' JSON, byte for byte: a guard for changes that must not
change any figure (a refactoring, a new storage driver).

    check_figures_json.py HOTLINE WORK_DIR GOLDEN_FILE [--update]

Generates a small sample (seed 1, scale 0.01, uncalibrated, 2021-2022),
ingests it, and writes `hotline metrics --format json` for the city and
each of its districts, for 2021 and 2022, and for one month with --late,
then compares the SHA-256 of each output with GOLDEN_FILE (one line per
output: digest, two spaces, what it is), which --update rewrites.  A
difference names the outputs that changed; the outputs are left in
WORK_DIR to diff against a build of before.

Exit status 0 when every digest matches, 1 otherwise.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode != 0:
        raise SystemExit("check_figures_json: %s exited %d\n%s" %
                         (cmd[1:3], p.returncode, p.stderr.decode()))
    return p.stdout


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    hotline, work, golden = argv[1:4]
    update = "--update" in argv[4:]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data = os.path.join(work, "data")
    run([hotline, "sample", "-q", "--out", data, "--seed", "1", "--scale",
         "0.01", "--no-calibrate", "--years", "2021-2022"])
    db = os.path.join(work, "t.db")
    run([hotline, "ingest", "-q", "--db", db,
         os.path.join(data, "gz12345-2021.csv"),
         os.path.join(data, "gz12345-2022.csv")])
    city = json.loads(run([hotline, "metrics", "--db", db, "--year", "2022",
                           "--format", "json"]))
    scopes = [None] + [d["district"] for d in city["districts"]]
    outputs = []
    for year in (2021, 2022):
        for d in scopes:
            args = ["--year", str(year)] + (["--district", d] if d else [])
            outputs.append(("%d %s" % (year, d or "city"), args))
    outputs.append(("2022-06 荔湾区 --late",
                    ["--month", "2022-06", "--district", "荔湾区", "--late"]))
    lines = []
    for name, args in outputs:
        out = run([hotline, "metrics", "--db", db, "--format", "json"] +
                  args)
        path = os.path.join(work, name.replace(" ", "_") + ".json")
        with open(path, "wb") as f:
            f.write(out)
        lines.append("%s  %s" % (hashlib.sha256(out).hexdigest(), name))
    if update:
        with open(golden, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print("check_figures_json: wrote %d digests to %s" %
              (len(lines), golden))
        return 0
    want = open(golden, encoding="utf-8").read().splitlines()
    bad = [l.split("  ", 1)[1] for l in lines if l not in want]
    if len(want) != len(lines):
        bad.append("(%d outputs, the golden file lists %d)" %
                   (len(lines), len(want)))
    for b in bad:
        print("check_figures_json: changed: %s" % b)
    print("check_figures_json: %d outputs, %d changed" %
          (len(lines), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
