#!/usr/bin/env python3
"""Score a department's figures against an indicator scheme and print a table.

    python3 examples/python/score.py SCHEME METRICS [--lang en|zh] [--strict] [--json]

SCHEME is a scheme file (schemes/*.json); METRICS is an input JSON file
({"metrics": {...}, "not_applicable": [...]}, as schemes/examples/*.metrics.json).
The Python counterpart of examples/jx-score: the same exit status (0 scored,
1 scored but incomplete, 2 error).

Run from the source tree after `make`:

    PYTHONPATH=bindings/python python3 examples/python/score.py \
        schemes/example.json schemes/examples/example.metrics.json
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata

import jixiao


def width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cols: int) -> str:
    return text + " " * max(0, cols - width(text))


def fmt(x: float, digits: int) -> str:
    return "%.*f" % (digits, x + 0.0)  # + 0.0: never "-0.00"


def read_input(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict):
        raise SystemExit("%s: an input file is a JSON object" % path)
    return data


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scheme")
    ap.add_argument("metrics")
    ap.add_argument("--lang", choices=("zh", "en"),
                    help="language of the error messages and the reasons")
    ap.add_argument("--strict", action="store_true",
                    help="fail instead of scoring missing or undefined indicators 0")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)

    try:
        with jixiao.Scheme.load(args.scheme, lang=args.lang) as scheme:
            # The library reads the input file itself (errors carry line and
            # column); scheme.score(dict) works as well for figures in code.
            with scheme.load_input(args.metrics, lang=args.lang) as figures:
                result = scheme.score(figures, strict=args.strict, lang=args.lang)
    except jixiao.Error as e:  # SchemeError, InputError, ScoreError
        print("score.py: %s" % e, file=sys.stderr)
        return 2

    # The scheme is closed here; the result does not need it.
    if args.json:
        sys.stdout.write(result.to_json())
        return 0 if result.complete else 1

    p = result.precision
    en = result.lang == "en"
    rows = []
    for ind in result.indicators:
        value = "" if ind.value is None else fmt(ind.value, ind.decimals) + ind.unit
        rows.append(("  " * ind.depth + ind.id, ind.name, value,
                     "%s / %s" % (fmt(ind.score, p), fmt(ind.max, p)), ind.status, ind.reason))
    head = (("id", "indicator", "value", "score / max", "status", "reason") if en
            else ("编号", "指标", "值", "得分 / 满分", "状态", "说明"))
    cols = [max(width(r[k]) for r in rows + [head]) for k in range(5)]
    print("  ".join(pad(h, c) for h, c in zip(head, cols)) + "  " + head[5])
    print("  ".join("-" * c for c in cols) + "  " + "-" * width(head[5]))
    for r in rows:
        print("  ".join(pad(v, c) for v, c in zip(r, cols)) + "  " + r[5])
    print()
    total = (fmt(result.total, p), fmt(result.max, p), result.grade)
    print(("Total %s / %s, grade %s" if en else "总分 %s / %s,等级 %s") % total)
    if not result.complete:
        print("incomplete: some indicators lack data or cannot be computed" if en
              else "结果不完整:有指标缺少数据或无法计算")
    return 0 if result.complete else 1


if __name__ == "__main__":
    sys.exit(main())
