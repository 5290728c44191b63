"""Memory stays flat over 10,000 score calls; one Scheme shared by many
threads gives the same results as one thread."""
from __future__ import annotations

import concurrent.futures
import gc
import random
import threading
import time
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

jixiao = S.jixiao

CALLS = 10_000
MAX_GROWTH = 5 * 1024 * 1024


def varied_inputs(metrics, n, seed):
    """n variants of the example's figures (some missing, some odd)."""
    rnd = random.Random(seed)
    out = []
    numbers = [k for k, v in metrics.items() if isinstance(v, (int, float))
               and not isinstance(v, bool)]
    for _ in range(n):
        m = dict(metrics)
        for k in rnd.sample(numbers, 3):
            m[k] = round(m[k] * rnd.uniform(0.5, 1.5), 2)
        if rnd.random() < 0.2:
            m[rnd.choice(numbers)] = None
        na = ["2.4"] if rnd.random() < 0.5 else []
        out.append((m, na))
    return out


class Memory(unittest.TestCase):
    def test_10000_score_calls_keep_rss_flat(self):
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        metrics, na = S.example_input()
        bad = dict(metrics, 社会效益="很好")

        def one(k: int) -> None:
            r = scheme.score(metrics, not_applicable=na, lang="en" if k % 2 else None)
            total = r.total
            if k % 3 == 0:
                r.indicators  # read every indicator's reason etc.
            if k % 5 == 0:
                r.to_json()
            if k % 7 == 0:
                r.close()
            if k % 11 == 0:
                with scheme.input(metrics, not_applicable=na) as inp:
                    scheme.score(inp).to_dict()
            if k % 13 == 0:
                try:
                    scheme.score(bad)
                except jixiao.InputError:
                    pass
            assert total == 90.05 or k % 2, total

        for k in range(500):  # warm up allocator arenas and caches
            one(k)
        gc.collect()
        before = S.rss_bytes()
        for k in range(CALLS):
            one(k)
        gc.collect()
        growth = S.rss_bytes() - before
        self.assertLess(growth, MAX_GROWTH,
                        "RSS grew by %.2f MB over %d score calls" % (growth / 2**20, CALLS))

    def test_schemes_loaded_and_dropped(self):
        with open(S.EXAMPLE_SCHEME, "rb") as f:
            text = f.read()
        for _ in range(50):
            jixiao.Scheme.from_string(text)
        gc.collect()
        before = S.rss_bytes()
        for k in range(1000):
            s = jixiao.Scheme.from_string(text)
            if k % 2:
                s.close()
        gc.collect()
        self.assertLess(S.rss_bytes() - before, MAX_GROWTH)


class Threads(unittest.TestCase):
    def test_one_scheme_many_threads(self):
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        metrics, _ = S.example_input()
        work = varied_inputs(metrics, 400, seed=5)
        want = [scheme.score(m, not_applicable=na).to_json() for m, na in work]

        def job(k):
            m, na = work[k]
            r = scheme.score(m, not_applicable=na)
            assert r.indicators[0].reason
            return k, r.to_json()

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(3):
                got = dict(pool.map(job, range(len(work))))
                self.assertEqual([got[k] for k in range(len(work))], want)

    def test_inputs_per_thread(self):
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        metrics, na = S.example_input()
        want = scheme.score(metrics, not_applicable=na).to_json()

        def job(_):
            with scheme.input() as inp:
                inp.load_file(S.EXAMPLE_METRICS)
                return scheme.score(inp).to_json()

        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            self.assertEqual(set(pool.map(job, range(120))), {want})

    def test_close_while_threads_score(self):
        """Closing a shared scheme mid-flight: each call either scores or
        raises ClosedError; nothing crashes, results already made stay valid."""
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        metrics, na = S.example_input()
        start = threading.Barrier(5)
        results, closed = [], []

        def job(_):
            start.wait()
            for _ in range(2000):
                try:
                    results.append(scheme.score(metrics, not_applicable=na))
                except jixiao.ClosedError:
                    closed.append(1)
                    return

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            futures = [pool.submit(job, k) for k in range(4)]
            start.wait()
            deadline = time.monotonic() + 30
            while (len(results) < 50 and time.monotonic() < deadline
                   and not all(f.done() for f in futures)):
                time.sleep(0.001)
            scheme.close()
            for f in futures:
                f.result()
        self.assertTrue(scheme.closed)
        self.assertTrue(results)
        for r in results[:: max(1, len(results) // 50)]:
            self.assertEqual(r.total, 90.05)
            self.assertEqual(len(r.indicators), 18)

    def test_one_result_read_by_many_threads(self):
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        metrics, na = S.example_input()
        for _ in range(20):
            r = scheme.score(metrics, not_applicable=na)
            with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
                outs = list(pool.map(lambda _: (r.indicators, r.to_json()), range(8)))
            self.assertEqual(len({id(o[0]) for o in outs}), 1)  # read once, shared


if __name__ == "__main__":
    unittest.main()
