"""jixiao.dask.score on a LocalCluster of 1 and 2 worker processes: rows/s
(not a test; docs/scale-out.md quotes it).

    /usr/bin/python3 bench/dask_scale.py [--rows N] [--partitions P]
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BINDING = os.path.join(HERE, "..", "bindings", "python")
sys.path.insert(0, BINDING)
sys.path.insert(0, HERE)
os.environ["PYTHONPATH"] = os.pathsep.join([os.path.abspath(BINDING), os.path.abspath(HERE)]
                                           + [p for p in os.environ.get("PYTHONPATH", "")
                                              .split(os.pathsep) if p])

import jixiao  # noqa: E402


def _holds(dask_scheduler, name):
    """Whether the scheduler still knows a task of the collection `name`."""
    return any(name in str(k) for k in dask_scheduler.tasks)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--partitions", type=int, default=16)
    a = ap.parse_args()
    try:
        import dask.dataframe as dd
        import distributed
        import numpy as np
        import pandas as pd
    except ImportError as e:
        print("bench dask_scale: %s (Debian: python3-distributed; use /usr/bin/python3)" % e)
        return 0
    import jixiao.dask as jd
    import python_data
    scheme = jixiao.Scheme.load(python_data.SCHEME)
    df = pd.DataFrame(python_data.columns(np, scheme, a.rows))
    for workers in (1, 2):
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                      processes=True, dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            ddf = dd.from_pandas(df, npartitions=a.partitions).persist()
            distributed.wait(ddf)
            jd.score(ddf.partitions[:workers], scheme).sum().compute()  # warm: load the scheme
            best = None
            for _ in range(3):
                t0 = time.perf_counter()
                out = jd.score(ddf, scheme).persist()
                distributed.wait(out)
                t = time.perf_counter() - t0
                best = t if best is None else min(best, t)
                # release the results: the next run has the same keys, and
                # results still held would be reused instead of computed
                name = out._name
                client.cancel(out)
                del out
                while client.run_on_scheduler(_holds, name=name):
                    time.sleep(0.05)
            client.cancel(ddf)
        print("%d worker process%s: %10.0f rows/s  (%d rows, %d partitions)"
              % (workers, "" if workers == 1 else "es", a.rows / best, a.rows, a.partitions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
