"""Every malformed case of the C suite (tests/data/invalid*/), raised as the
right exception with the same code, path, line and column; and the
conversion of bad Python arguments into jixiao errors."""
from __future__ import annotations

import os
import pathlib
import pickle
import tempfile
import unittest
from decimal import Decimal
from fractions import Fraction

try:
    from . import _support as S
except ImportError:  # discovered as top-level modules
    import _support as S

jixiao = S.jixiao


def _line_column(data: bytes, offset: int):
    """Line and column (code points) of a byte offset, as the C suite counts."""
    line, col = 1, 1
    for b in data[:offset]:
        if b == 0x0A:
            line, col = line + 1, 1
        elif b & 0xC0 != 0x80:
            col += 1
    return line, col


class MalformedCases(unittest.TestCase):
    def check(self, e: "jixiao.Error", x: dict, source: str, data: bytes, what: str) -> None:
        got = (e.code_name, e.path, e.line, e.column)
        want = (x["code_name"], x["path"], x["line"], x["column"])
        self.assertEqual(got, want, "%s: message: %s" % (what, e.message))
        self.assertEqual(e.code, {v: k for k, v in jixiao.CODE_NAMES.items()}[x["code_name"]])
        self.assertTrue(e.message, what)
        self.assertIn(x["message"], e.message, what)
        self.assertEqual(e.source, source, what)
        self.assertIn(e.message, str(e))
        if x["line"] > 0:
            self.assertTrue(0 <= e.offset <= len(data), what)
            self.assertEqual(_line_column(data, e.offset), (e.line, e.column), what)

    def test_case_lists_are_complete(self):
        self.assertGreaterEqual(len(S.case_dirs("invalid")), 45)
        self.assertGreaterEqual(len(S.case_dirs("invalid-input")), 12)

    def test_every_invalid_scheme(self):
        cases = S.case_dirs("invalid")
        for d in cases:
            name = "invalid/" + os.path.basename(d)
            with self.subTest(case=name):
                x = S.read_expected(os.path.join(d, "expected"))
                path = os.path.join(d, "scheme.json")
                with open(path, "rb") as f:
                    data = f.read()
                # From the file: the source is the path.
                with self.assertRaises(jixiao.SchemeError) as cm:
                    jixiao.Scheme.load(path)
                self.check(cm.exception, x, path, data, name)
                ef = cm.exception
                # From bytes and from str, under a given source name.
                with self.assertRaises(jixiao.SchemeError) as cm:
                    jixiao.Scheme.from_string(data, source="方案.json")
                self.check(cm.exception, x, "方案.json", data, name)
                self.assertEqual((cm.exception.message, cm.exception.offset),
                                 (ef.message, ef.offset))
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    text = data.decode("utf-8", "surrogateescape")
                with self.assertRaises(jixiao.SchemeError) as cm:
                    jixiao.Scheme.from_string(text)
                self.check(cm.exception, x, "<string>", data, name)
                # pathlib paths and bytes paths work the same.
                with self.assertRaises(jixiao.SchemeError) as cm:
                    jixiao.Scheme.load(pathlib.Path(path))
                self.assertEqual(cm.exception.path, x["path"])
                # Lint reports the same first error.
                diags = jixiao.lint(path)
                self.assertFalse(diags.ok, name)
                first = diags.errors[0]
                self.assertEqual((first.code_name, first.path, first.line, first.column),
                                 (x["code_name"], x["path"], x["line"], x["column"]), name)
        self.assertGreaterEqual(len(cases), 45)

    def test_every_invalid_input(self):
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        cases = S.case_dirs("invalid-input")
        for d in cases:
            name = "invalid-input/" + os.path.basename(d)
            with self.subTest(case=name):
                x = S.read_expected(os.path.join(d, "expected"))
                path = os.path.join(d, "input.json")
                with open(path, "rb") as f:
                    data = f.read()
                inp = scheme.load_input(S.EXAMPLE_METRICS)
                before = scheme.score(inp).to_json()
                with self.assertRaises(jixiao.InputError) as cm:
                    inp.load_file(path)
                self.check(cm.exception, x, path, data, name)
                self.assertEqual(scheme.score(inp).to_json(), before,
                                 name + ": a failed load changed the input")
                with self.assertRaises(jixiao.InputError) as cm:
                    inp.load_string(data, source="数据.json")
                self.check(cm.exception, x, "数据.json", data, name)
                self.assertEqual(scheme.score(inp).to_json(), before, name)
                with self.assertRaises(jixiao.InputError) as cm:
                    scheme.load_input(path)
                self.check(cm.exception, x, path, data, name)
                inp.close()
        self.assertGreaterEqual(len(cases), 12)


class BadArguments(unittest.TestCase):
    """Whatever a caller passes: a jixiao.Error (never OSError, never a crash)."""

    @classmethod
    def setUpClass(cls):
        cls.scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        cls.metrics, cls.na = S.example_input()

    def raises(self, cls, code_name, fn, *args, path=None, **kwargs):
        with self.assertRaises(cls) as cm:
            fn(*args, **kwargs)
        e = cm.exception
        self.assertIsInstance(e, jixiao.Error)
        self.assertEqual(e.code_name, code_name, str(e))
        if path is not None:
            self.assertEqual(e.path, path)
        self.assertTrue(e.message)
        return e

    def test_scheme_load_arguments(self):
        L = jixiao.Scheme.load
        self.raises(jixiao.SchemeError, "JX_EARG", L, None)
        self.raises(jixiao.SchemeError, "JX_EARG", L, 42)
        self.raises(jixiao.SchemeError, "JX_EARG", L, ["a"])
        self.raises(jixiao.SchemeError, "JX_EARG", L, "sch\0eme.json")
        e = self.raises(jixiao.SchemeError, "JX_EIO", L, "/nonexistent/jixiao/scheme.json")
        self.assertNotIsInstance(e, OSError)
        self.assertEqual(e.source, "/nonexistent/jixiao/scheme.json")
        self.raises(jixiao.SchemeError, "JX_EIO", L, tempfile.gettempdir())
        s = L(os.fsencode(S.EXAMPLE_SCHEME))  # bytes paths are paths
        self.assertEqual(s.id, self.scheme.id)
        s = L(pathlib.Path(S.EXAMPLE_SCHEME))
        self.assertEqual(s.id, self.scheme.id)

    def test_scheme_from_string_arguments(self):
        F = jixiao.Scheme.from_string
        self.raises(jixiao.SchemeError, "JX_EARG", F, None)
        self.raises(jixiao.SchemeError, "JX_EARG", F, 3.5)
        self.raises(jixiao.SchemeError, "JX_EARG", F, {"jixiao": 1})
        e = self.raises(jixiao.SchemeError, "JX_ESYNTAX", F, "")
        self.assertEqual(e.source, "<string>")
        e = self.raises(jixiao.SchemeError, "JX_ESYNTAX", F, b'{"jixiao": 1, "id": "\xff"}')
        self.assertEqual((e.line, e.column, e.offset), (1, 22, 21))
        # A lone surrogate reaches the library as invalid UTF-8, with its position.
        e = self.raises(jixiao.SchemeError, "JX_ESYNTAX", F, '{"id": "\ud800"}')
        self.assertEqual((e.line, e.column), (1, 9))
        self.raises(jixiao.SchemeError, "JX_EARG", F, "{}", source="a\0b")
        self.raises(jixiao.SchemeError, "JX_ETYPE", F, "{}", source=12)
        with open(S.EXAMPLE_SCHEME, "rb") as f:
            data = f.read()
        for buf in (data, bytearray(data), memoryview(data), data.decode("utf-8")):
            self.assertEqual(F(buf).id, "example-dept-2023")

    def test_metric_values(self):
        sc = self.scheme.score
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {1: 2}, path="metrics")
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {None: 2}, path="metrics")
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {("a",): 2}, path="metrics")
        self.raises(jixiao.InputError, "JX_ENOTFOUND", sc, {"无此指标": 1},
                    path="metrics.无此指标")
        e = self.raises(jixiao.InputError, "JX_ENOTFOUND", sc, {"执行率": 1},
                        path="metrics.执行率")
        self.assertIn("derived", e.message)
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"编制数": "abc"}, path="metrics.编制数")
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"编制数": [1]}, path="metrics.编制数")
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"编制数": {"a": 1}})
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"编制数": complex(1, 2)})
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"编制数": True})  # a bool is no number
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"编制数": b"12"})
        self.raises(jixiao.InputError, "JX_EVALUE", sc, {"编制数": 10 ** 400})
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"财务管理制度健全": 1},
                    path="metrics.财务管理制度健全")
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"财务管理制度健全": "true"})
        e = self.raises(jixiao.InputError, "JX_ELEVEL", sc, {"社会效益": "很好"},
                        path="metrics.社会效益")
        self.assertIn("较好", e.message)
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"社会效益": 1})
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"社会效益": b"\xff"})
        self.raises(jixiao.InputError, "JX_EARG", sc, {"编\0制数": 1})
        self.raises(jixiao.InputError, "JX_EARG", sc, {"社会效益": "较\0好"})
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {"编\ud800制数": 1})
        self.raises(jixiao.InputError, "JX_ETYPE", sc, {b"\xff": 1})
        self.raises(jixiao.InputError, "JX_ETYPE", sc, "编制数", path="metrics")
        self.raises(jixiao.InputError, "JX_ETYPE", sc, [("编制数", 1)], path="metrics")
        self.raises(jixiao.InputError, "JX_ETYPE", sc, 5, path="metrics")

    def test_accepted_values(self):
        base = dict(self.metrics)
        want = self.scheme.score(base, not_applicable=self.na).to_json()
        for k, conv in (("编制数", float), ("编制数", Decimal), ("编制数", Fraction),
                        ("执行数", lambda v: Decimal(str(v)))):
            m = dict(base)
            m[k] = conv(m[k])
            self.assertEqual(self.scheme.score(m, not_applicable=self.na).to_json(), want)
        m = {k.encode(): (v.encode() if isinstance(v, str) else v) for k, v in base.items()}
        self.assertEqual(self.scheme.score(m, not_applicable=self.na).to_json(), want)
        # NaN and infinity are accepted: the indicators using them are undefined.
        for bad in (float("nan"), float("inf"), float("-inf")):
            r = self.scheme.score(dict(base, 编制数=bad), not_applicable=self.na)
            self.assertEqual(r["1.1"].status, "undefined")
            self.assertFalse(r.complete)
            self.assertIsNone(r["1.1"].value)
        # None is a missing value.
        r = self.scheme.score(dict(base, 编制数=None), not_applicable=self.na)
        self.assertEqual(r["1.1"].status, "missing")
        self.assertEqual(self.scheme.score(None).complete, False)
        self.assertEqual(self.scheme.score({}).total, self.scheme.score().total)

    def test_not_applicable(self):
        sc = self.scheme.score
        m = self.metrics
        self.raises(jixiao.InputError, "JX_ETYPE", sc, m, not_applicable=5,
                    path="not_applicable")
        self.raises(jixiao.InputError, "JX_ETYPE", sc, m, not_applicable={"2.4": True},
                    path="not_applicable")
        self.raises(jixiao.InputError, "JX_ETYPE", sc, m, not_applicable=["2.4", None],
                    path="not_applicable[1]")
        self.raises(jixiao.InputError, "JX_ENOTFOUND", sc, m, not_applicable=["2.4", "9.9"],
                    path="not_applicable[1]")
        self.raises(jixiao.InputError, "JX_EARG", sc, m, not_applicable=["2\0.4"])
        one = sc(m, not_applicable="2.4").to_json()
        self.assertEqual(one, sc(m, not_applicable=["2.4"]).to_json())
        self.assertEqual(one, sc(m, not_applicable=("2.4",)).to_json())
        self.assertEqual(one, sc(m, not_applicable=iter([b"2.4"])).to_json())

    def test_options(self):
        sc = self.scheme.score
        self.raises(jixiao.ScoreError, "JX_EARG", sc, self.metrics, lang="fr")
        self.raises(jixiao.ScoreError, "JX_EARG", sc, self.metrics, lang=1)
        self.raises(jixiao.ScoreError, "JX_EARG", sc, self.metrics, strict="yes")
        self.assertEqual(sc(self.metrics, lang=b"en").lang, "en")
        inp = self.scheme.input(self.metrics)
        self.raises(jixiao.ScoreError, "JX_EARG", sc, inp, not_applicable=["2.4"])

    def test_strict(self):
        m = dict(self.metrics)
        del m["编制数"]
        e = self.raises(jixiao.ScoreError, "JX_EINCOMPLETE", self.scheme.score, m,
                        not_applicable=self.na, strict=True, lang="en")
        self.assertIn("1.1", e.message)
        self.assertIn("编制数", e.message)
        self.raises(jixiao.ScoreError, "JX_EUNDEFINED", self.scheme.score,
                    dict(self.metrics, 编制数=0), not_applicable=self.na, strict=True)
        r = self.scheme.score(self.metrics, not_applicable=self.na, strict=True)
        self.assertTrue(r.complete)

    def test_closed_objects(self):
        s = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        inp = s.input(self.metrics)
        r = s.score(self.metrics)
        s.close()
        s.close()  # idempotent
        self.assertTrue(s.closed)
        e = self.raises(jixiao.ClosedError, "JX_EARG", s.score, self.metrics)
        self.assertIsInstance(e, ValueError)
        self.raises(jixiao.ClosedError, "JX_EARG", s.input)
        self.raises(jixiao.ClosedError, "JX_EARG", jixiao.Input, s)
        self.raises(jixiao.ClosedError, "JX_EARG", s.score, inp)
        # Introspection is plain data: still there.
        self.assertEqual(len(s.indicators), 18)
        # The input keeps the C scheme alive; it still works on its own.
        inp.set("编制数", 150)
        inp.close()
        self.raises(jixiao.ClosedError, "JX_EARG", inp.set, "编制数", 1)
        self.raises(jixiao.ClosedError, "JX_EARG", inp.load_file, S.EXAMPLE_METRICS)
        # The result outlives its scheme.
        self.assertEqual(len(r.indicators), 18)
        r.close()
        self.assertTrue(r.closed)
        self.assertIsInstance(r.total, float)
        self.assertEqual(len(r.indicators), 18)  # read before the close: kept
        r2 = jixiao.Scheme.load(S.EXAMPLE_SCHEME).score(self.metrics)
        r2.close()
        self.raises(jixiao.ClosedError, "JX_EARG", lambda: r2.indicators)
        self.raises(jixiao.ClosedError, "JX_EARG", r2.to_json)

    def test_input_of_another_scheme(self):
        other = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        inp = other.input(self.metrics)
        self.raises(jixiao.InputError, "JX_EARG", self.scheme.score, inp)
        self.raises(jixiao.InputError, "JX_EARG", jixiao.Input, "not a scheme")

    def test_constructors_are_private(self):
        with self.assertRaises(TypeError):
            jixiao.Scheme()
        with self.assertRaises(TypeError):
            jixiao.Result()
        with self.assertRaises(TypeError):
            jixiao.Extraction()

    def test_lint_arguments(self):
        self.raises(jixiao.SchemeError, "JX_EARG", jixiao.lint, None)
        self.raises(jixiao.SchemeError, "JX_EARG", jixiao.lint_string, None)
        d = jixiao.lint("/nonexistent/scheme.json")
        self.assertEqual(d.errors[0].code_name, "JX_EIO")

    def test_input_loader_arguments(self):
        inp = self.scheme.input()
        self.raises(jixiao.InputError, "JX_EARG", inp.load_file, None)
        self.raises(jixiao.InputError, "JX_EIO", inp.load_file, "/nonexistent/input.json")
        self.raises(jixiao.InputError, "JX_EARG", inp.load_string, None)
        self.raises(jixiao.InputError, "JX_ESYNTAX", inp.load_string, "{")
        self.raises(jixiao.InputError, "JX_ETYPE", inp.update, [1])
        self.raises(jixiao.InputError, "JX_ETYPE", inp.set_not_applicable, 3.0)

    def test_error_objects(self):
        try:
            jixiao.Scheme.load(os.path.join(S.case_dirs("invalid")[0], "scheme.json"))
        except jixiao.Error as e:
            err = e
        copy = pickle.loads(pickle.dumps(err))
        self.assertIs(type(copy), jixiao.SchemeError)
        self.assertEqual((copy.code, copy.path, copy.line, copy.column, copy.source,
                          copy.message, copy.offset),
                         (err.code, err.path, err.line, err.column, err.source,
                          err.message, err.offset))
        self.assertEqual(str(copy), str(err))
        self.assertTrue(str(err).startswith(err.source + ":%d:%d: " % (err.line, err.column)))
        self.assertEqual(jixiao.code_name(-5), "JX_EKEY")
        self.assertEqual(jixiao.strerror(-5), "unknown key")
        self.assertEqual(jixiao.code_name(-999), "JX_E?(-999)")
        self.assertTrue(jixiao.strerror(-999))
        for cls in (jixiao.SchemeError, jixiao.InputError, jixiao.ScoreError,
                    jixiao.ExtractError, jixiao.ClosedError):
            self.assertTrue(issubclass(cls, jixiao.Error))


if __name__ == "__main__":
    unittest.main()
