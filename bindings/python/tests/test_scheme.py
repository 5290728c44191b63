"""Loading, introspection, lint, lifetimes, and finding the library."""
from __future__ import annotations

import gc
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import unittest
import weakref

try:
    from . import _support as S
except ImportError:
    import _support as S

jixiao = S.jixiao


class Introspection(unittest.TestCase):
    def test_example_scheme(self):
        s = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        self.assertEqual(s.id, "example-dept-2023")
        self.assertEqual(s.title, "部门整体支出绩效评价指标体系(示例)")
        self.assertEqual((s.total, s.precision, s.lang), (100.0, 2, "zh"))
        self.assertEqual(len(s.indicators), 18)
        self.assertEqual(len(s.leaves), 14)
        top = [i for i in s.indicators if i.depth == 0]
        self.assertEqual([i.id for i in top], ["1", "2", "3", "4"])
        self.assertAlmostEqual(sum(i.max for i in top), s.total)
        i = s.indicator("2.2")
        self.assertEqual((i.name, i.unit, i.max, i.depth, i.parent, i.is_leaf, i.rule),
                         ("预算调整率", "%", 8.0, 1, "2", True, "bands"))
        self.assertEqual(s.indicators[i.parent_index].id, "2")
        self.assertEqual(s.indicator("2").children,
                         ("2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"))
        self.assertEqual(s.indicator("2").rule, "")
        for ind in s.indicators:
            self.assertEqual(s.indicators[ind.index], ind)
            if ind.parent is not None:
                self.assertEqual(ind.depth, s.indicator(ind.parent).depth + 1)
        m = s.metric("社会效益")
        self.assertEqual((m.type, m.levels), ("level", ("好", "较好", "一般", "差")))
        self.assertEqual(s.metric("编制数"), jixiao.Metric(s.metric("编制数").index, "编制数",
                                                          "人", "number", ()))
        self.assertEqual(s.metric("财务管理制度健全").type, "bool")
        self.assertNotIn("执行率", [m.name for m in s.metrics])  # derived: not an input
        self.assertEqual([(g.label, g.min) for g in s.grades],
                         [("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0)])
        with self.assertRaises(KeyError):
            s.indicator("9.9")
        with self.assertRaises(KeyError):
            s.metric("执行率")
        self.assertIn("example-dept-2023", repr(s))

    def test_override_grade(self):
        s = jixiao.Scheme.load(os.path.join(S.SCHEMES, "us-omb-part.json"))
        self.assertEqual(s.lang, "en")
        self.assertTrue(s.grades[0].override)
        self.assertIsNone(s.grades[0].min)
        self.assertFalse(s.grades[1].override)

    def test_every_bundled_scheme_matches_jx_score_tree(self):
        for path in S.bundled_schemes():
            with self.subTest(scheme=os.path.basename(path)):
                s = jixiao.Scheme.load(path)
                self.assertGreater(len(s.indicators), 0)
                self.assertAlmostEqual(sum(i.max for i in s.indicators if i.depth == 0),
                                       s.total, places=6)
                for ind in s.indicators:
                    if not ind.is_leaf:
                        self.assertAlmostEqual(
                            sum(s.indicator(c).max for c in ind.children), ind.max, places=6)
                        self.assertEqual(ind.rule, "")
                    else:
                        self.assertEqual(ind.children, ())
                        self.assertTrue(ind.rule)
                self.assertTrue(jixiao.lint(path).ok)
                self.assertTrue(s.lint().ok)

    def test_from_string_equals_load(self):
        with open(S.EXAMPLE_SCHEME, encoding="utf-8") as f:
            text = f.read()
        a = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        b = jixiao.Scheme.from_string(text, source="example.json")
        self.assertEqual((a.indicators, a.metrics, a.grades), (b.indicators, b.metrics, b.grades))

    def test_pickle_reloads(self):
        a = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        with open(S.EXAMPLE_SCHEME, "rb") as f:
            b = jixiao.Scheme.from_string(f.read(), source="x.json")
        m, na = S.example_input()
        for s in (a, b):
            c = pickle.loads(pickle.dumps(s))
            self.assertIsNot(c, s)
            self.assertEqual(c.score(m, not_applicable=na).to_json(),
                             s.score(m, not_applicable=na).to_json())


class Lint(unittest.TestCase):
    def test_warning_for_an_unused_metric(self):
        d = S.load_json(S.EXAMPLE_SCHEME)
        d["metrics"]["未用"] = {"unit": "人"}
        text = json.dumps(d, ensure_ascii=False, indent=1)
        diags = jixiao.lint_string(text, source="w.json")
        self.assertTrue(diags.ok)
        self.assertEqual(len(diags.warnings), 1)
        w = diags[0]
        self.assertEqual((w.severity, w.path, w.source), ("warning", "metrics.未用", "w.json"))
        self.assertGreater(w.line, 0)
        self.assertIn("never used", w.message)
        self.assertIn("w.json:%d:%d: warning: metrics.未用: " % (w.line, w.column), str(w))
        # The scheme loads (warnings do not stop it) and lints the same.
        s = jixiao.Scheme.from_string(text, source="w.json")
        self.assertEqual(list(s.lint()), list(diags))

    def test_many_errors_at_once(self):
        d = S.load_json(S.EXAMPLE_SCHEME)
        d["indicators"][1]["children"][0]["rule"]["deduct"]["per"] = 0
        d["indicators"][2]["children"][0]["bogus"] = 0
        diags = jixiao.lint_string(json.dumps(d, ensure_ascii=False))
        self.assertFalse(diags.ok)
        self.assertEqual([(e.code_name, e.path) for e in diags.errors],
                         [("JX_EVALUE", "indicators[1].children[0].rule.deduct.per"),
                          ("JX_EKEY", "indicators[2].children[0].bogus")])
        with self.assertRaises(jixiao.SchemeError) as cm:
            jixiao.Scheme.from_string(json.dumps(d, ensure_ascii=False))
        self.assertEqual(cm.exception.path, diags.errors[0].path)
        e = diags.errors[0].to_exception()
        self.assertIsInstance(e, jixiao.SchemeError)
        self.assertIn("errors", repr(diags))


class Lifetimes(unittest.TestCase):
    def test_result_outlives_dropped_scheme(self):
        m, na = S.example_input()
        s = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        want = s.score(m, not_applicable=na).to_json()
        r = s.score(m, not_applicable=na)
        ref = weakref.ref(s)
        del s
        gc.collect()
        self.assertIsNone(ref(), "the Result must not keep the Scheme object")
        self.assertEqual(r.to_json(), want)
        self.assertEqual(len(r.indicators), 18)
        self.assertEqual(r.scheme_id, "example-dept-2023")

    def test_result_outlives_closed_scheme(self):
        m, na = S.example_input()
        with jixiao.Scheme.load(S.EXAMPLE_SCHEME) as s:
            want = s.score(m, not_applicable=na).to_json()
            r = s.score(m, not_applicable=na)
        self.assertTrue(s.closed)
        self.assertEqual(r["2.4"].status, "not_applicable")
        self.assertEqual(r.to_json(), want)

    def test_finalizers_run_once(self):
        s = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        inp = s.input()
        r = s.score()
        for obj in (s, inp, r):
            self.assertTrue(obj._finalizer.alive)
        s.close()
        self.assertFalse(s._finalizer.alive)
        # The input still borrows the C scheme: not freed yet, and usable.
        self.assertFalse(inp.closed)
        inp.set("编制数", 1)
        with inp:
            pass
        self.assertFalse(inp._finalizer.alive)
        with r:
            pass
        self.assertFalse(r._finalizer.alive)
        r.close()
        inp.close()
        s.close()

    def test_input_keeps_scheme_until_freed(self):
        m, na = S.example_input()
        s = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        want = s.score(m, not_applicable=na).to_json()
        inp = s.input(m, not_applicable=na)
        s.close()
        # Scoring needs the Scheme object open; the Input's C scheme is still alive.
        with self.assertRaises(jixiao.ClosedError):
            inp.score()
        s2 = pickle.loads(pickle.dumps(jixiao.Scheme.load(S.EXAMPLE_SCHEME)))
        self.assertEqual(s2.score(m, not_applicable=na).to_json(), want)
        del inp
        gc.collect()


class LibraryLookup(unittest.TestCase):
    """Run in child processes: the lookup happens at import."""

    def run_py(self, code, env_changes, cwd=None):
        env = dict(os.environ)
        for k, v in env_changes.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd,
                              capture_output=True, text=True, timeout=60)

    def package_copy(self, tmp):
        dst = os.path.join(tmp, "site", "jixiao")
        shutil.copytree(os.path.dirname(jixiao.__file__), dst,
                        ignore=shutil.ignore_patterns("__pycache__"))
        return os.path.dirname(dst)

    def test_jixiao_library_is_used(self):
        p = self.run_py("import jixiao; print(jixiao.library_path)",
                        {"JIXIAO_LIBRARY": jixiao.library_path,
                         "PYTHONPATH": os.path.dirname(os.path.dirname(jixiao.__file__))})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), jixiao.library_path)

    def test_bad_jixiao_library_is_one_import_error(self):
        p = self.run_py(
            "import jixiao",
            {"JIXIAO_LIBRARY": "/nonexistent/libjixiao.so",
             "PYTHONPATH": os.path.dirname(os.path.dirname(jixiao.__file__))})
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("ImportError: jixiao: cannot load the shared library", p.stderr)
        self.assertIn("JIXIAO_LIBRARY: /nonexistent/libjixiao.so", p.stderr)
        self.assertIn("no other place was tried", p.stderr)
        self.assertNotIn("OSError", p.stderr.split("ImportError")[-1])

    def test_not_a_jixiao_library(self):
        import ctypes.util
        libm = ctypes.util.find_library("m")
        if not libm:
            self.skipTest("no libm to stand in for a foreign library")
        p = self.run_py("import jixiao",
                        {"JIXIAO_LIBRARY": libm,
                         "PYTHONPATH": os.path.dirname(os.path.dirname(jixiao.__file__))})
        self.assertIn("ImportError", p.stderr)
        self.assertIn("is not a usable libjixiao: it lacks jx_version", p.stderr)

    def test_every_attempt_listed(self):
        import ctypes.util
        if ctypes.util.find_library("jixiao"):
            self.skipTest("libjixiao is installed system-wide; the lookup cannot fail")
        with tempfile.TemporaryDirectory() as tmp:
            site = self.package_copy(tmp)
            p = self.run_py("import jixiao", {"JIXIAO_LIBRARY": None, "LD_LIBRARY_PATH": None,
                                              "PYTHONPATH": site}, cwd=tmp)
        self.assertNotEqual(p.returncode, 0)
        err = p.stderr
        self.assertEqual(err.count("\nImportError: "), 1, err)
        for what in ("JIXIAO_LIBRARY: not set", "next to the package: ",
                     "find_library('jixiao'): not found", "system loader"):
            self.assertIn(what, err)

    def test_library_next_to_the_package(self):
        with tempfile.TemporaryDirectory() as tmp:
            site = self.package_copy(tmp)
            real = os.path.realpath(jixiao.library_path)
            shutil.copy(real, os.path.join(site, "jixiao", "libjixiao.so.1"))
            p = self.run_py("import jixiao; print(jixiao.library_path, jixiao.library_version())",
                            {"JIXIAO_LIBRARY": None, "PYTHONPATH": site}, cwd=tmp)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.split()[0], os.path.join(site, "jixiao", "libjixiao.so.1"))

    def test_in_tree_library(self):
        in_tree = os.path.join(S.SOURCE, "lib", "libjixiao.so.1")
        if not os.path.exists(in_tree) or os.environ.get("JX_TEST_INSTALLED") == "1":
            self.skipTest("no in-tree build")
        p = self.run_py("import jixiao; print(jixiao.library_path)",
                        {"JIXIAO_LIBRARY": None, "PYTHONPATH": S.BINDING})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(os.path.realpath(p.stdout.strip()), os.path.realpath(in_tree))

    def test_versions(self):
        self.assertEqual(jixiao.library_version().split(".")[0], "1")
        self.assertTrue(jixiao.__version__)
        self.assertIn(jixiao.has("extraction"), (True, False))
        self.assertFalse(jixiao.has("no such feature"))


if __name__ == "__main__":
    unittest.main()
