#!/usr/bin/env python3
"""The layout of lib/ (docs/architecture.md), checked.

    scripts/check-layout.py [ROOT]      check the tree at ROOT (default: .)
    scripts/check-layout.py --self-test check that each rule catches a tree
                                         that breaks it

Rules:
  1. lib/ holds only the stage folders of STAGES (and the built library and
     lib/jixiao.map); each folder has a README.md.
  2. A file of stage k includes, with quotes, only "jixiao.h" and headers
     "STAGE/NAME.h" of stages at or before k, and they exist. So data flows
     one way: nothing reads from a later stage.
  3. No source file in lib/ is longer than MAX_LINES lines.
  4. docs/architecture.md names the stages, in this order, in its table.
Exits 1 with one line per violation.
"""
import os
import re
import shutil
import sys
import tempfile

STAGES = ["util", "compile", "load", "eval", "explain", "extract", "project"]
MAX_LINES = 800
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
TABLE_ROW = re.compile(r"^\|\s*`lib/([a-z]+)/`")
BUILT = re.compile(r"^libjixiao\.(a|so(\.[0-9.]+)?)$")


def check(root):
    bad = []
    lib = os.path.join(root, "lib")
    rank = {s: i for i, s in enumerate(STAGES)}
    for name in sorted(os.listdir(lib)):
        path = os.path.join(lib, name)
        if os.path.isdir(path):
            if name not in rank:
                bad.append("lib/%s/: not a stage of docs/architecture.md (%s)"
                           % (name, ", ".join(STAGES)))
            elif not os.path.isfile(os.path.join(path, "README.md")):
                bad.append("lib/%s/: no README.md saying what it owns" % name)
        elif name != "jixiao.map" and not BUILT.match(name):
            bad.append("lib/%s: a file outside the stage folders" % name)
    for stage in STAGES:
        d = os.path.join(lib, stage)
        if not os.path.isdir(d):
            bad.append("lib/%s/: missing" % stage)
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            rel = "lib/%s/%s" % (stage, name)
            with open(os.path.join(d, name), encoding="utf-8") as f:
                lines = f.readlines()
            if len(lines) > MAX_LINES:
                bad.append("%s: %d lines, more than %d: split it" % (rel, len(lines), MAX_LINES))
            for no, line in enumerate(lines, 1):
                m = INCLUDE.match(line)
                if not m or m.group(1) == "jixiao.h":
                    continue
                inc = m.group(1)
                parts = inc.split("/")
                if len(parts) != 2 or parts[0] not in rank:
                    bad.append('%s:%d: #include "%s" names no stage folder ("STAGE/%s")'
                               % (rel, no, inc, parts[-1]))
                elif not os.path.isfile(os.path.join(lib, inc)):
                    bad.append('%s:%d: #include "%s": no such file' % (rel, no, inc))
                elif rank[parts[0]] > rank[stage]:
                    bad.append('%s:%d: #include "%s": %s/ comes after %s/ (docs/architecture.md)'
                               % (rel, no, inc, parts[0], stage))
    doc = os.path.join(root, "docs", "architecture.md")
    if not os.path.isfile(doc):
        bad.append("docs/architecture.md: missing")
    else:
        with open(doc, encoding="utf-8") as f:
            listed = [m.group(1) for m in map(TABLE_ROW.match, f) if m]
        if listed != STAGES:
            bad.append("docs/architecture.md: its table lists %s, the tree has %s"
                       % (", ".join(listed) or "nothing", ", ".join(STAGES)))
    return bad


def copy_tree(root):
    """A temporary copy of lib/ (sources only) and docs/architecture.md."""
    tmp = tempfile.mkdtemp(prefix="jx-layout-")
    shutil.copytree(os.path.join(root, "lib"), os.path.join(tmp, "lib"),
                    ignore=shutil.ignore_patterns("*.o", "*.a", "*.so*"))
    os.makedirs(os.path.join(tmp, "docs"))
    shutil.copy(os.path.join(root, "docs", "architecture.md"), os.path.join(tmp, "docs"))
    return tmp


def self_test(root):
    """Each rule on a copy of the tree broken on purpose must report."""
    cases = [
        ("include from a later stage", "lib/util/alloc.c", '#include "eval/score.h"\n', "comes after"),
        ("include without a stage", "lib/eval/score.c", '#include "scheme.h"\n', "names no stage"),
        ("include of a missing file", "lib/eval/score.c", '#include "eval/nothing.h"\n', "no such file"),
        ("a long file", "lib/util/alloc.c", "/* */\n" * (MAX_LINES + 1), "split it"),
        ("a folder without README", "lib/newstage/x.c", "", "not a stage"),
        ("a loose file", "lib/loose.c", "", "outside the stage folders"),
    ]
    if check(root):
        print("check-layout --self-test: the tree itself does not pass")
        return 1
    failures = 0
    for what, path, text, expect in cases:
        tmp = copy_tree(root)
        try:
            target = os.path.join(tmp, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "a", encoding="utf-8") as f:
                f.write(text)
            found = check(tmp)
        finally:
            shutil.rmtree(tmp)
        if not any(expect in line for line in found):
            print("check-layout --self-test: %s was not reported (got: %s)"
                  % (what, found or "nothing"))
            failures += 1
    # The order of the doc's table counts too.
    tmp = copy_tree(root)
    try:
        doc = os.path.join(tmp, "docs", "architecture.md")
        with open(doc, encoding="utf-8") as f:
            text = f.read().replace("`lib/eval/`", "`lib/evaluate/`")
        with open(doc, "w", encoding="utf-8") as f:
            f.write(text)
        found = check(tmp)
    finally:
        shutil.rmtree(tmp)
    if not any("its table lists" in line for line in found):
        print("check-layout --self-test: a doc table out of step was not reported")
        failures += 1
    print("check-layout --self-test: %d of %d broken trees caught"
          % (len(cases) + 1 - failures, len(cases) + 1))
    return 1 if failures else 0


def main(argv):
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test(argv[2] if len(argv) > 2 else ".")
    root = argv[1] if len(argv) > 1 else "."
    bad = check(root)
    for line in bad:
        print("check-layout: " + line)
    if bad:
        return 1
    n = sum(1 for s in STAGES for f in os.listdir(os.path.join(root, "lib", s))
            if f.endswith((".c", ".h")))
    print("check-layout: %d files in %d stages (%s); every include from its own or an "
          "earlier stage; none over %d lines" % (n, len(STAGES), " < ".join(STAGES), MAX_LINES))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
