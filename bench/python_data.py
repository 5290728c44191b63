"""numpy and pandas throughput of the Python binding (run by `make bench`;
not a test). Prints figures beside the targets:

  1. score_batch on numpy float64 columns (no copy) against the C batch call
     itself (jx_batch_score through ctypes with prepared pointers), every
     output made, 200k entities of schemes/mof-2013-department.json: the
     binding should take at most 1.3x the C time.
  2. pandas end to end: read_csv of a generated file, then score_frame:
     rows/s, target >= 500k rows/s; beside it Scheme.score_csv on the same
     file (the library's CSV reader into column chunks, scored in C, a
     DataFrame of scores out) on one and two worker threads.

    /usr/bin/python3 bench/python_data.py [--entities N] [--rows N]
"""
import argparse
import ctypes
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bindings", "python"))

import jixiao  # noqa: E402
from jixiao import _native  # noqa: E402

SCHEME = os.path.join(HERE, "..", "schemes", "mof-2013-department.json")


def best(fn, repeat=5):
    t = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        t.append(time.perf_counter() - t0)
    return min(t)


def columns(np, scheme, n):
    rng = np.random.default_rng(42)
    cols = {}
    for m in scheme.metrics:
        if m.type == "bool":
            c = (rng.random(n) < 0.85).astype(np.float64)
        elif m.type == "level":
            c = rng.integers(0, len(m.levels), n).astype(np.float64)
        else:
            c = np.floor(rng.random(n) * 1000 + 1)
        c[rng.random(n) < 0.005] = np.nan
        cols[m.name] = c
    return cols


def c_rate(scheme, cols, n):
    """jx_batch_score alone: pointers and outputs prepared outside the timing."""
    lib = _native.lib
    nm, ni = len(scheme.metrics), len(scheme.indicators)
    mptrs = (ctypes.c_void_p * nm)()
    for m in scheme.metrics:
        mptrs[m.index] = cols[m.name].ctypes.data
    import numpy as np
    scores = np.empty(n * ni)
    status = np.empty(n * ni, dtype=np.uint8)
    totals = np.empty(n)
    grades = np.empty(n, dtype=np.intc)
    complete = np.empty(n, dtype=np.uint8)
    err = jixiao._errors.error_struct()
    with scheme._owner.borrow() as s:
        b = lib.jx_batch_new(s)

        def run():
            rc = lib.jx_batch_score(s, b, n, mptrs, nm, None, ni, scores.ctypes.data,
                                    status.ctypes.data, totals.ctypes.data, grades.ctypes.data,
                                    complete.ctypes.data, ctypes.byref(err))
            assert rc == 0, err.message
        t = best(run)
        lib.jx_batch_free(b)
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=200_000)
    ap.add_argument("--rows", type=int, default=1_000_000)
    a = ap.parse_args()
    try:
        import numpy as np
        import pandas as pd
    except ImportError as e:
        print("bench python_data: %s (Debian: python3-numpy python3-pandas; use "
              "/usr/bin/python3)" % e)
        return 0
    scheme = jixiao.Scheme.load(SCHEME)
    n = a.entities
    cols = columns(np, scheme, n)
    tc = c_rate(scheme, cols, n)
    out = jixiao.BatchResult.empty(scheme, n)
    tp_out = best(lambda: scheme.score_batch(cols, out=out))
    tp_new = best(lambda: scheme.score_batch(cols))
    print("numpy columns, %d entities, %d indicators, every output:" % (n,
          len(scheme.indicators)))
    print("  C jx_batch_score            %10.0f entities/s" % (n / tc))
    print("  score_batch(numpy, out=...) %10.0f entities/s  %.2fx the C time (target <= 1.3x)"
          % (n / tp_out, tp_out / tc))
    print("  score_batch(numpy)          %10.0f entities/s  %.2fx the C time (new outputs)"
          % (n / tp_new, tp_new / tc))

    rows = a.rows
    big = columns(np, scheme, rows)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "figures.csv")
        pd.DataFrame(big).to_csv(path, index=False)
        holder = {}

        def run():
            df = pd.read_csv(path, dtype=np.float64)
            holder["f"] = scheme.score_frame(df)
        t = best(run, repeat=3)
        t_read = best(lambda: pd.read_csv(path, dtype=np.float64), repeat=3)
        df = pd.read_csv(path, dtype=np.float64)
        t_score = best(lambda: scheme.score_frame(df), repeat=3)
        t_csv = {th: best(lambda: scheme.score_csv(path, threads=th), repeat=3) for th in (1, 2)}
        same = scheme.score_csv(path).reset_index(drop=True).equals(
            holder["f"].reset_index(drop=True))
    print("pandas, %d rows x %d metric columns:" % (rows, len(scheme.metrics)))
    print("  read_csv alone              %10.0f rows/s" % (rows / t_read))
    print("  score_frame alone           %10.0f rows/s" % (rows / t_score))
    print("  read_csv -> score_frame     %10.0f rows/s  (target >= 500000)" % (rows / t))
    for th, tt in t_csv.items():
        print("  score_csv, threads=%d        %10.0f rows/s  (target >= 500000)%s"
              % (th, rows / tt, "" if same else "  RESULTS DIFFER from score_frame"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
