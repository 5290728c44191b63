#!/usr/bin/env python3
"""Score every entity (department, project) of a CSV file; write a CSV of scores.

    python3 examples/python/batch_csv.py SCHEME INPUT.csv [-o OUT.csv]
            [--id-column id] [--threads N] [--chunk ROWS] [--strict]

INPUT.csv has a header row: an id column (default "id"), one column per
input metric of the scheme, and optionally a "not_applicable" column of
indicator ids separated by ";" or spaces. A cell holds a number (number
metrics; "1,234.5" is fine), true/false, 1/0 or 是/否 (bool metrics), a
level name (level metrics), or nothing (missing).

The output has the id, every indicator's score, the total, the grade and
whether the result is complete, one row per entity. Rows are scored in
chunks through Scheme.score_batch: with the library's batch API
(jx_batch_score) the numbers go to C a chunk at a time, so memory stays
bounded whatever the size of the file. A bad row is reported with its line
number and skipped (exit status 1), or stops the run with --strict (status 2).

Run from the source tree after `make`:

    PYTHONPATH=bindings/python python3 examples/python/batch_csv.py \
        schemes/example.json entities.csv -o scores.csv
"""
from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from typing import Dict, List, Tuple

import jixiao

TRUE = {"true", "1", "yes", "y", "是", "有", "√"}
FALSE = {"false", "0", "no", "n", "否", "无", "×"}


class BadCell(ValueError):
    pass


def cell_value(metric: "jixiao.Metric", text: str) -> float:
    """A CSV cell as the batch API's double: NaN for missing, 1/0 for bools,
    the level's index for levels."""
    t = text.strip()
    if not t:
        return math.nan
    if metric.type == "bool":
        low = t.lower()
        if low in TRUE:
            return 1.0
        if low in FALSE:
            return 0.0
        raise BadCell("%s: %r is not true/false" % (metric.name, t))
    if metric.type == "level":
        try:
            return float(metric.levels.index(t))
        except ValueError:
            raise BadCell("%s: %r is not one of its levels (%s)"
                          % (metric.name, t, ", ".join(metric.levels))) from None
    try:
        x = float(t.replace(",", "").replace(",", ""))
    except ValueError:
        raise BadCell("%s: %r is not a number" % (metric.name, t)) from None
    if math.isnan(x):
        raise BadCell("%s: %r is not a number" % (metric.name, t))
    return x


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scheme")
    ap.add_argument("input")
    ap.add_argument("-o", "--output", help="output CSV (default: standard output)")
    ap.add_argument("--id-column", default="id")
    ap.add_argument("--threads", type=int, default=1, help="0: one per CPU")
    ap.add_argument("--chunk", type=int, default=50_000, help="rows scored per call")
    ap.add_argument("--strict", action="store_true", help="stop at the first bad row")
    args = ap.parse_args(argv)

    try:
        scheme = jixiao.Scheme.load(args.scheme)
    except jixiao.Error as e:
        print("batch_csv.py: %s" % e, file=sys.stderr)
        return 2

    with scheme, open(args.input, newline="", encoding="utf-8-sig") as fin:
        reader = csv.reader(fin)
        try:
            header = next(reader)
        except StopIteration:
            print("batch_csv.py: %s: empty file" % args.input, file=sys.stderr)
            return 2
        if args.id_column not in header:
            print("batch_csv.py: %s: no %r column" % (args.input, args.id_column),
                  file=sys.stderr)
            return 2
        id_col = header.index(args.id_column)
        na_col = header.index("not_applicable") if "not_applicable" in header else None
        metric_cols: List[Tuple[int, jixiao.Metric]] = []
        for k, name in enumerate(header):
            if k in (id_col, na_col):
                continue
            try:
                metric_cols.append((k, scheme.metric(name)))
            except KeyError:
                print("batch_csv.py: %s: column %r is not an input metric of %s; ignored"
                      % (args.input, name, scheme.id), file=sys.stderr)

        out = open(args.output, "w", newline="", encoding="utf-8") if args.output \
            else sys.stdout
        writer = csv.writer(out)
        ids = [i.id for i in scheme.indicators]
        id_set = set(ids)
        writer.writerow([args.id_column] + ids + ["total", "grade", "complete"])
        bad = 0
        rows_done = 0

        def flush(entity_ids: List[str], cols: Dict[str, List[float]],
                  na: Dict[str, List[bool]]) -> None:
            nonlocal rows_done
            if not entity_ids:
                return
            r = scheme.score_batch(cols, not_applicable=na, n=len(entity_ids),
                                   threads=args.threads)
            p = scheme.precision
            score_cols = [r.scores[i] for i in ids]
            for k, eid in enumerate(entity_ids):
                writer.writerow([eid] + ["%.*f" % (p, c[k]) for c in score_cols]
                                + ["%.*f" % (p, r.total[k]), r.grade[k],
                                   "yes" if r.complete[k] else "no"])
            rows_done += len(entity_ids)

        def new_chunk():
            return [], {m.name: [] for _, m in metric_cols}, {}

        entity_ids, cols, na = new_chunk()
        for line_no, row in enumerate(reader, start=2):
            if not any(c.strip() for c in row):
                continue
            try:
                if len(row) != len(header):
                    raise BadCell("%d fields, the header has %d" % (len(row), len(header)))
                values = [(m.name, cell_value(m, row[k])) for k, m in metric_cols]
                marks = re.split(r"[;,\s]+", row[na_col].strip()) if na_col is not None else []
                marks = [m for m in marks if m]
                for ind in marks:
                    if ind not in id_set:
                        raise BadCell("not_applicable: no indicator %r" % ind)
            except BadCell as e:
                bad += 1
                print("batch_csv.py: %s:%d: %s%s" % (args.input, line_no, e,
                                                     "" if args.strict else "; row skipped"),
                      file=sys.stderr)
                if args.strict:
                    return 2
                continue
            k = len(entity_ids)
            entity_ids.append(row[id_col])
            for name, v in values:
                cols[name].append(v)
            for ind in marks:
                na.setdefault(ind, [False] * k)
            for ind, col in na.items():
                col.append(ind in marks)
            if len(entity_ids) >= args.chunk:
                flush(entity_ids, cols, na)
                entity_ids, cols, na = new_chunk()
        flush(entity_ids, cols, na)
        if out is not sys.stdout:
            out.close()
    how = "jx_batch_score" if jixiao.has("batch") else "one at a time"
    print("batch_csv.py: %d rows scored (%s), %d bad rows skipped" % (rows_done, how, bad),
          file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
