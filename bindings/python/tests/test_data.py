"""The data ecosystem: numpy, memoryview and pandas columns without copies,
score_frame, pickling by value (pickle and cloudpickle, the original files
deleted), the scheme digest and the audit block, and a Dask LocalCluster of
two worker processes giving the single-process scores.

numpy, pandas, cloudpickle and dask.distributed are Debian packages
(scripts/deps.sh --with-python-data); a test that needs one that is absent
is skipped with a message naming the package."""
from __future__ import annotations

import importlib
import json
import math
import os
import pickle
import shutil
import tempfile
import unittest
from array import array

try:
    from . import _support as S
except ImportError:
    import _support as S

jixiao = S.jixiao


def need(mod):
    try:
        return importlib.import_module(mod)
    except ImportError:
        raise unittest.SkipTest("%s is not installed (Debian: scripts/deps.sh "
                                "--with-python-data installs it)" % mod) from None


def example():
    return jixiao.Scheme.load(os.path.join(S.SCHEMES, "example.json"))


def columns(scheme, n, seed=7):
    """Deterministic float64 columns for every number metric, NaN sprinkled."""
    cols = {}
    for k, m in enumerate(scheme.metrics):
        if m.type == "number":
            cols[m.name] = array("d", [float("nan") if (i * 7 + k) % 11 == 0
                                       else float((i * 37 + k * 13 + seed) % 120)
                                       for i in range(n)])
    return cols


class Buffers(unittest.TestCase):
    def setUp(self):
        self.s = example()
        self.cols = columns(self.s, 300)
        self.want = self.s.score_batch(self.cols)

    def same(self, got):
        self.assertEqual(list(got.total), list(self.want.total))
        self.assertEqual(list(got.scores_matrix), list(self.want.scores_matrix))

    def test_numpy_float64_is_not_copied(self):
        np = need("numpy")
        cols = {k: np.array(v) for k, v in self.cols.items()}
        self.same(self.s.score_batch(cols))
        from jixiao import _batch
        a = cols[next(iter(cols))]
        c = _batch._metric_column(self.s.metric(next(iter(cols))), a, len(a))
        self.assertEqual(c.address, a.ctypes.data)  # the array's own memory
        ro = a.copy()
        ro.setflags(write=False)
        c = _batch._metric_column(self.s.metric(next(iter(cols))), ro, len(ro))
        self.assertEqual(c.address, ro.ctypes.data)

    def test_score_batch_passes_the_arrays_own_memory(self):
        # What score_batch hands jx_batch_score, seen by a stand-in library
        np = need("numpy")
        from jixiao import _batch
        cols = {k: np.array(v) for k, v in self.cols.items()}
        seen = []

        class Spy:
            def __init__(self, lib):
                self.lib = lib

            def __getattr__(self, name):
                return getattr(self.lib, name)

            def jx_batch_score(self, s, b, n, mptrs, nm, *rest):
                seen.append({i: mptrs[i] for i in range(nm)})
                return self.lib.jx_batch_score(s, b, n, mptrs, nm, *rest)

        real = _batch._lib
        _batch._lib = Spy(real)
        try:
            self.same(self.s.score_batch(cols))
        finally:
            _batch._lib = real
        self.assertEqual(len(seen), 1)
        for name, a in cols.items():
            self.assertEqual(seen[0][self.s.metric(name).index], a.ctypes.data, name)

    def test_import_needs_neither_numpy_nor_pandas(self):
        # The binding imports them only where they are used
        import subprocess
        import sys
        code = ("import sys, jixiao\n"
                "s = jixiao.Scheme.load(sys.argv[1])\n"
                "s.score_batch({'编制数': [143.0, 150.0]})\n"
                "s.score({'编制数': 143})\n"
                "print(sorted(m for m in ('numpy', 'pandas', 'dask') if m in sys.modules))\n")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        out = subprocess.run([sys.executable, "-c", code, os.path.join(S.SCHEMES, "example.json")],
                             capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), "[]")

    def test_numpy_other_dtypes_and_strided(self):
        np = need("numpy")
        cols = {k: np.array(v)[::-1][::-1].astype(np.float32).astype(np.float64)
                for k, v in self.cols.items()}
        self.same(self.s.score_batch(cols))
        wide = {k: np.repeat(np.array(v), 2)[::2] for k, v in self.cols.items()}
        self.same(self.s.score_batch(wide))  # strided: converted, same numbers

    def test_memoryview(self):
        cols = {k: memoryview(v) for k, v in self.cols.items()}
        self.same(self.s.score_batch(cols))
        from jixiao import _batch
        name = next(iter(self.cols))
        c = _batch._metric_column(self.s.metric(name), cols[name], 300)
        self.assertEqual(c.address, self.cols[name].buffer_info()[0])
        ro = {k: memoryview(bytes(v)).cast("d") for k, v in self.cols.items()}
        self.same(self.s.score_batch(ro))

    def test_bool_words(self):
        s = self.s
        b = [m.name for m in s.metrics if m.type == "bool"][0]
        words = ["是", "否", "true", "FALSE", "1", "0", None]
        want = [True, False, True, False, True, False, None]
        got = s.score_batch({b: words})
        for k, w in enumerate(want):
            one = s.score({} if w is None else {b: w})
            self.assertEqual(got.total[k], one.total, words[k])
        with self.assertRaises(jixiao.InputError) as cm:
            s.score_batch({b: ["也许"]})
        self.assertIn("是/否", cm.exception.message)

    def test_out_buffers_reused(self):
        out = jixiao.BatchResult.empty(self.s, 300)
        first = self.s.score_batch(self.cols, out=out)
        self.assertIs(first, out)
        self.same(out)
        buf = out.scores_matrix.buffer_info()[0]
        self.s.score_batch(self.cols, out=out)
        self.assertEqual(out.scores_matrix.buffer_info()[0], buf)
        self.same(out)
        with self.assertRaises(jixiao.ScoreError):
            self.s.score_batch(self.cols, out=jixiao.BatchResult.empty(self.s, 5))


class Frames(unittest.TestCase):
    def test_score_frame(self):
        pd = need("pandas")
        s = example()
        cols = columns(s, 200)
        df = pd.DataFrame({k: list(v) for k, v in cols.items()},
                          index=["e%d" % i for i in range(200)])
        df["unrelated"] = "x"
        lvl = [m for m in s.metrics if m.type == "level"][0]
        df[lvl.name] = [lvl.levels[i % len(lvl.levels)] for i in range(200)]
        f = s.score_frame(df, statuses=True, reasons=True)
        want = s.score_batch({**cols, lvl.name: list(df[lvl.name])}, statuses=True)
        self.assertEqual(list(f.index), list(df.index))
        self.assertEqual(list(f["total"]), list(want.total))
        self.assertEqual(list(f["grade"].astype(str)), want.grade)
        leaf = s.leaves[0].id
        self.assertEqual(list(f[leaf]), list(want.scores[leaf]))
        row = {k: v[3] for k, v in cols.items() if not math.isnan(v[3])}
        row[lvl.name] = df[lvl.name].iloc[3]
        one = s.score(row)
        self.assertEqual(f["reason:" + leaf].iloc[3], one.indicator(leaf).reason
                         if hasattr(one, "indicator") else
                         [i for i in one.indicators if i.id == leaf][0].reason)
        self.assertEqual(str(f["status:" + leaf].iloc[3]),
                         [i for i in one.indicators if i.id == leaf][0].status)
        with self.assertRaises(jixiao.InputError):
            s.score_frame({"a": [1]})


class Pickling(unittest.TestCase):
    def roundtrip(self, dumps, loads):
        d = tempfile.mkdtemp()
        try:
            src = os.path.join(S.SCHEMES, "municipal-department-2023.json")
            with open(src, encoding="utf-8") as f:
                doc = json.load(f)
            shutil.copy(src, os.path.join(d, "scheme.json"))
            prof = os.path.join(os.path.dirname(src), doc["extract"])
            os.makedirs(os.path.dirname(os.path.join(d, doc["extract"])), exist_ok=True)
            shutil.copy(prof, os.path.join(d, doc["extract"]))
            s = jixiao.Scheme.load(os.path.join(d, "scheme.json"))
            blob = dumps(s)
            simple = dumps(example())
        finally:
            shutil.rmtree(d)  # the original files are gone
        s2 = loads(blob)
        self.assertEqual(s2.digest, s.digest)
        self.assertEqual(s2.id, s.id)
        self.assertTrue(s2.has_extraction)
        self.assertEqual(pickle.loads(pickle.dumps(s2)).digest, s.digest)  # again
        e = loads(simple)
        self.assertEqual(e.score({}).to_json(), example().score({}).to_json())

    def test_pickle(self):
        self.roundtrip(pickle.dumps, pickle.loads)

    def test_cloudpickle(self):
        cp = need("cloudpickle")
        self.roundtrip(cp.dumps, pickle.loads)

    def test_tampered_pickle_refused(self):
        fn, args = example().__reduce__()
        text, source, profile, digest = args
        with self.assertRaises(jixiao.SchemeError):
            fn(text.replace(b'"min": 90', b'"min": 10'), source, profile, digest)

    def test_pickles_naming_older_module_paths(self):
        # Pickles name the reducer by module: jixiao._api._restore_scheme
        # before the binding was split (_api.py re-exports it), and
        # jixiao._scheme._restore_scheme since. Both must keep loading.
        s = example()
        fn, args = s.__reduce__()
        body = pickle.dumps(args, protocol=2)[2:-1]  # the tuple, without PROTO and STOP
        for module in (b"jixiao._api", b"jixiao._scheme"):
            blob = b"\x80\x02c" + module + b"\n_restore_scheme\n" + body + b"R."
            self.assertEqual(pickle.loads(blob).digest, s.digest, module)

    def test_edited_file_not_picked_up(self):
        d = tempfile.mkdtemp()
        try:
            p = os.path.join(d, "s.json")
            shutil.copy(os.path.join(S.SCHEMES, "example.json"), p)
            s = jixiao.Scheme.load(p)
            with open(p, "a", encoding="utf-8") as f:
                f.write("garbage")
            self.assertEqual(pickle.loads(pickle.dumps(s)).digest, s.digest)
        finally:
            shutil.rmtree(d)

    def test_result_not_picklable_says_why(self):
        r = example().score({})
        with self.assertRaises(TypeError) as cm:
            pickle.dumps(r)
        self.assertIn("to_dict", str(cm.exception))
        self.assertEqual(pickle.loads(pickle.dumps(r.to_dict())), r.to_dict())


class Audit(unittest.TestCase):
    def test_digest_and_audit_block(self):
        if not jixiao.has("audit"):
            self.skipTest("the library predates 1.1")
        s = example()
        self.assertRegex(s.digest, "^[0-9a-f]{64}$")
        text = s.source_text.decode("utf-8")
        s2 = jixiao.Scheme.from_string(json.dumps(json.loads(text), indent=1))
        self.assertEqual(s2.digest, s.digest)  # layout does not count
        inp = s.input({"执行数": 95, "预算数": 100})
        inp.load_string('{"entity": "单位-01", "metrics": {}}')
        a = inp.score().to_dict()["audit"]
        self.assertEqual(a["library"], jixiao.library_version())
        self.assertEqual(a["digest"], s.digest)
        self.assertEqual(a["entity"], "单位-01")
        leaf = [x for x in a["leaves"] if x["id"] == "2.1"][0]
        self.assertEqual(leaf["applied"]["rule"], "deduct")
        self.assertEqual(leaf["applied"]["target"], 100)
        self.assertEqual(leaf["inputs"], {"执行率": 95})
        inp.entity = "单位-02"
        self.assertEqual(inp.score().to_dict()["audit"]["entity"], "单位-02")
        inp.clear()
        self.assertIsNone(inp.entity)
        self.assertIsNone(inp.score().to_dict()["audit"]["entity"])


class Dask(unittest.TestCase):
    def test_local_cluster_two_processes(self):
        pd = need("pandas")
        dd = need("dask.dataframe")
        distributed = need("distributed")
        s = example()
        cols = columns(s, 4000)
        df = pd.DataFrame({k: list(v) for k, v in cols.items()})
        want = s.score_frame(df)
        # Worker processes import jixiao from the tree, like this process.
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [S.BINDING] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
        import jixiao.dask as jd
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            ddf = dd.from_pandas(df, npartitions=8)
            got = jd.score(ddf, s).compute()
            pids = client.run(os.getpid)
            cached = client.run(jd.cached_schemes)
        self.assertEqual(len(set(pids.values())), 2)
        self.assertNotIn(os.getpid(), pids.values())
        self.assertEqual(sorted(cached.values()), [1, 1])  # loaded once per worker
        self.assertEqual(list(got.index), list(want.index))
        self.assertEqual(list(got["total"]), list(want["total"]))
        for leaf in s.leaves:
            self.assertEqual(list(got[leaf.id]), list(want[leaf.id]), leaf.id)


if __name__ == "__main__":
    unittest.main()
