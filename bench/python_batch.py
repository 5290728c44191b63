"""How fast the Python binding scores in bulk (run by `make bench`; not a test).

The same kind of population as bench/gen.c for schemes/mof-2013-department.json:
the example's figures times each entity's size (0.5 to 2) and each by up to
+-5%, 0.5% missing, the example's not-applicable indicators marked on 30% of
entities. Columns are array('d') (passed to C without a copy); every output
column is made. Prints entities/s beside the target.

    python3 bench/python_batch.py [--entities N]
"""
import argparse
import json
import math
import os
import random
import sys
import time
from array import array

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bindings", "python"))

import jixiao  # noqa: E402

SCHEME = os.path.join(HERE, "..", "schemes", "mof-2013-department.json")
EXAMPLE = os.path.join(HERE, "..", "schemes", "examples", "mof-2013-department.metrics.json")
TARGET = 300_000


def population(scheme, n, seed=42):
    rnd = random.Random(seed)
    with open(EXAMPLE, encoding="utf-8") as f:
        example = json.load(f)
    figures = example["metrics"]
    size = [0.5 + 1.5 * rnd.random() for _ in range(n)]
    cols = {}
    for m in scheme.metrics:
        ex = figures.get(m.name)
        col = array("d", bytes(8 * n))
        for k in range(n):
            if rnd.random() < 0.005:
                v = math.nan
            elif m.type == "bool":
                v = float(rnd.random() < (0.3 if ex is False else 0.85))
            elif m.type == "level":
                v = float(int(rnd.random() * len(m.levels)))
            else:
                base = ex if isinstance(ex, (int, float)) and not isinstance(ex, bool) else 500
                x = base * size[k] * (0.95 + 0.1 * rnd.random())
                v = float(math.floor(x + 0.5)) if base == math.floor(base) \
                    else math.floor(x * 100 + 0.5) / 100
            col[k] = v
        cols[m.name] = col
    na = {i: [rnd.random() < 0.3 for _ in range(n)] for i in example.get("not_applicable", [])}
    return cols, na


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    scheme = jixiao.Scheme.load(SCHEME)
    cols, na = population(scheme, args.entities)
    best = math.inf
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = scheme.score_batch(cols, not_applicable=na)
        best = min(best, time.perf_counter() - t0)
    assert len(result) == args.entities
    rate = args.entities / best
    print("Python binding (Scheme.score_batch, array('d') columns, %d entities, best of %d)"
          % (args.entities, args.repeat))
    print("  1 thread     %9.0f entities/s               >= %s" % (rate, format(TARGET, ",")))


if __name__ == "__main__":
    main()
