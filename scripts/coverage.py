#!/usr/bin/env python3
"""Line and branch coverage of lib/ from gcov data (make coverage).

    scripts/coverage.py OBJDIR SRCDIR [MIN_LINES [MIN_BRANCHES]]

Runs `gcov --json-format --stdout` on every .gcda under OBJDIR (objects
built from SRCDIR/NAME.c with gcc --coverage), merges the counts of each
source line over all objects (a header's inline functions are compiled into
several), and prints per file and in total:

    lines      executed / instrumented
    branches   taken at least once / instrumented (gcov -b's "Taken at
               least once")

Only files under SRCDIR count. Exits 1 when the total is below MIN_LINES or
MIN_BRANCHES percent (default 0: report only). $GCOV names gcov.
"""

import glob
import json
import os
import subprocess
import sys


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    objdir, srcdir = argv[1], argv[2].rstrip("/")
    min_lines = float(argv[3]) if len(argv) > 3 else 0.0
    min_branches = float(argv[4]) if len(argv) > 4 else 0.0
    gcov = os.environ.get("GCOV") or "gcov"

    gcdas = sorted(glob.glob(os.path.join(objdir, "**", "*.gcda"), recursive=True))
    if not gcdas:
        sys.stderr.write("coverage: no .gcda files in %s (did the tests run?)\n" % objdir)
        return 1

    # file -> line -> [count, [branch counts]]
    files = {}
    for gcda in gcdas:
        out = subprocess.run([gcov, "-b", "--json-format", "--stdout", "-o", os.path.dirname(gcda), gcda],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        if out.returncode != 0:
            sys.stderr.write(out.stderr.decode(errors="replace"))
            return 1
        for doc in out.stdout.decode().splitlines():
            doc = doc.strip()
            if not doc:
                continue
            for f in json.loads(doc).get("files", []):
                name = os.path.normpath(f["file"])
                if not name.startswith(srcdir + "/"):
                    continue
                lines = files.setdefault(name, {})
                for ln in f.get("lines", []):
                    entry = lines.setdefault(ln["line_number"], [0, []])
                    entry[0] += ln["count"]
                    br = [b["count"] for b in ln.get("branches", [])]
                    if len(entry[1]) < len(br):
                        entry[1].extend([0] * (len(br) - len(entry[1])))
                    for i, c in enumerate(br):
                        entry[1][i] += c

    def pct(a, b):
        return 100.0 * a / b if b else 100.0

    rows = []
    tl = tle = tb = tbt = 0
    for name in sorted(files):
        lines = files[name]
        nl = len(lines)
        nle = sum(1 for e in lines.values() if e[0] > 0)
        nb = sum(len(e[1]) for e in lines.values())
        nbt = sum(1 for e in lines.values() for c in e[1] if c > 0)
        rows.append((name, nle, nl, nbt, nb))
        tl += nl
        tle += nle
        tb += nb
        tbt += nbt

    print("%-26s %8s %13s %9s %13s" % ("file", "lines", "", "branches", ""))
    for name, nle, nl, nbt, nb in rows:
        print("%-26s %7.2f%% %6d / %-5d %7.2f%% %6d / %-5d" %
              (name, pct(nle, nl), nle, nl, pct(nbt, nb), nbt, nb))
    lp, bp = pct(tle, tl), pct(tbt, tb)
    print("%-26s %7.2f%% %6d / %-5d %7.2f%% %6d / %-5d" % ("total", lp, tle, tl, bp, tbt, tb))
    print()
    print("lines    %.2f %% (target 90 %%): %s" % (lp, "met" if lp >= 90 else "NOT met"))
    print("branches %.2f %% (target 80 %%): %s" % (bp, "met" if bp >= 80 else "NOT met"))
    if lp < min_lines or bp < min_branches:
        sys.stderr.write("coverage: below the minimum (%.2f %% lines, %.2f %% branches)\n"
                         % (min_lines, min_branches))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
