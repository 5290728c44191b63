"""Figures from report text (jx_extract): values, provenance, errors.

Skipped, with a message, only when the loaded library lacks the extraction
symbols (jixiao.has("extraction") is False)."""
from __future__ import annotations

import json
import os
import subprocess
import time
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

jixiao = S.jixiao

MUNICIPAL = os.path.join(S.SCHEMES, "municipal-department-2023.json")
REPORT = os.path.join(S.SCHEMES, "examples", "municipal-department-2023.report.txt")


def profile_scheme(profile: str) -> "jixiao.Scheme":
    """A scheme with metrics a (万元), n (个), f (bool), lv (level) and the
    given extraction entries (as in the C suite)."""
    text = (
        '{"jixiao": 1, "id": "x", "title": "x",'
        ' "metrics": {"a": {"unit": "万元"}, "n": {"unit": "个"},'
        '   "f": {"type": "bool"}, "lv": {"type": "level", "levels": ["好", "差"]}},'
        ' "indicators": ['
        '  {"id": "1", "name": "a", "max": 25, "value": "a", "rule": {"manual": {}}},'
        '  {"id": "2", "name": "n", "max": 25, "value": "n", "rule": {"manual": {}}},'
        '  {"id": "3", "name": "f", "max": 25, "rule": {"checklist": {"items": ["f"],'
        '   "each_missing": 25}}},'
        '  {"id": "4", "name": "lv", "max": 25, "rule": {"level": {"metric": "lv",'
        '   "fractions": {"好": 1, "差": 0}}}}],'
        ' "extract": {"metrics": {%s}}}' % profile)
    return jixiao.Scheme.from_string(text, source="profile.json")


from jixiao import _native  # noqa: E402

SKIP_WHY = ("the loaded libjixiao (%s) cannot extract: %s; the extraction tests run "
            "against a library with extraction" % (jixiao.library_path,
                                                   _native.extraction_missing))


@unittest.skipUnless(jixiao.has("extraction"), SKIP_WHY)
class Extraction(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scheme = jixiao.Scheme.load(MUNICIPAL)
        with open(REPORT, encoding="utf-8") as f:
            cls.text = f.read()

    def test_municipal_report(self):
        s = self.scheme
        self.assertTrue(s.has_extraction)
        x = s.extract(self.text)
        self.assertEqual(len(x), len(s.metrics))
        self.assertEqual(set(x), {m.name for m in s.metrics})
        self.assertEqual([f.status for f in x.metrics], ["found"] * len(s.metrics))
        self.assertEqual(x.problems, ())
        self.assertEqual(x["编制数"].value, 32)
        self.assertEqual(x["调整后预算数"].value, 2318.46)
        self.assertEqual(x["政务服务办结件数"].value, 286.39)
        self.assertEqual(x["政务服务办结件数"].unit, "万件")
        self.assertIs(x["财务管理制度健全"].value, True)
        self.assertEqual(x["资料报送情况"].value, "及时")  # a level, by name
        self.assertEqual(x["资料报送情况"].raw_value, 0)
        self.assertEqual(x["绩效指标量化程度"].value, "个别指标未量化")
        # Provenance: both staffing sentences, with line, column, text, offsets.
        f = x["编制数"]
        self.assertEqual(len(f.matches), 2)
        m0, m1 = f.matches
        self.assertEqual((m0.line, m0.column, m0.text, m0.value), (6, 13, "事业编制24名", 24))
        self.assertEqual((m1.text, m1.value), ("事业编制8名", 8))
        self.assertEqual(m0.char_offset, self.text.index("事业编制24名"))
        self.assertEqual(m0.offset, self.text.encode().index("事业编制24名".encode()))
        self.assertEqual(self.text[m1.char_offset:m1.char_offset + len(m1.text)], m1.text)
        # The figures score: directly, through an Input, and as input JSON.
        r1 = s.score(x, strict=True)
        r2 = s.score(x.found, strict=True)
        with s.input() as inp:
            self.assertEqual(x.apply(inp), len(s.metrics))
            r3 = s.score(inp, strict=True)
        with s.input() as inp:
            r4 = s.score(inp.load_string(x.to_json()), strict=True)
        self.assertEqual(r1.grade, "优")
        self.assertEqual({r.to_json() for r in (r1, r2, r3, r4)}, {r1.to_json()})
        d = x.to_dict()
        self.assertEqual(d["metrics"]["编制数"], 32)
        self.assertIn("provenance", d)
        # Without JIT: the same figures; bytes text: the same.
        self.assertEqual(s.extract(self.text, jit=False).found, x.found)
        self.assertEqual(s.extract(self.text.encode("utf-8")).found, x.found)
        self.assertIn("found", repr(x))

    def test_same_as_jx_extract(self):
        if not os.access(S.JX_EXTRACT, os.X_OK):
            self.skipTest("%s is not built (run `make`)" % S.JX_EXTRACT)
        p = subprocess.run([S.JX_EXTRACT, MUNICIPAL, REPORT, "--json"], capture_output=True,
                           timeout=60)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        x = self.scheme.extract(self.text)
        self.assertEqual(json.loads(p.stdout.decode("utf-8")), x.to_dict())
        self.assertEqual(p.stdout.decode("utf-8").rstrip("\n"), x.to_json().rstrip("\n"))

    def test_take_modes_and_conflicts(self):
        s = profile_scheme(
            '"a": {"patterns": ["收入(?<value>[0-9.,]+)(?<unit>亿元|万元|元)"], "take": "agree"},'
            '"n": {"patterns": ["完成(?<value>[0-9]+)个"], "take": "sum"},'
            '"f": {"patterns": ["制度(?<value>是|否)健全"]},'
            '"lv": {"patterns": ["评价为(?<value>好|差|一般)"], "take": "last"}')
        x = s.extract("收入1.5亿元。另据统计收入15,000万元。完成3个,完成4个。制度否健全。"
                      "评价为差,再评价为好。")
        self.assertEqual(list(x), ["a", "n", "f", "lv"])
        self.assertEqual(x.found, {"a": 15000, "n": 7, "f": False, "lv": "好"})
        self.assertEqual(len(x["a"].matches), 2)
        self.assertEqual(x["lv"].matches[0].text, "评价为好")
        x = s.extract("收入1.5亿元。另据统计收入14,000万元。评价为一般。")
        self.assertEqual(x["a"].status, "conflict")
        self.assertEqual(x["a"].message, "line 1 gives 15000, line 1 gives 14000")
        self.assertIsNone(x["a"].value)
        self.assertEqual(x["n"].status, "missing")
        self.assertEqual(x["lv"].status, "invalid")
        self.assertIn("一般", x["lv"].message)
        self.assertEqual([f.metric for f in x.problems], ["a", "lv"])
        self.assertEqual(x.found, {})
        with s.input() as inp:
            self.assertEqual(x.apply(inp), 0)

    def test_hostile_pattern_ends_with_an_error(self):
        s = profile_scheme('"a": {"patterns": ["(?<value>(\\\\d+)+)(?:x|y)"]}')
        text = "1" * (1 << 20)
        for jit in (True, False):
            t0 = time.monotonic()
            with self.assertRaises(jixiao.ExtractError) as cm:
                s.extract(text, jit=jit)
            self.assertLess(time.monotonic() - t0, 30)
            self.assertEqual(cm.exception.code_name, "JX_ELIMIT")
            self.assertIn("limit", cm.exception.message)

    def test_invalid_utf8(self):
        s = profile_scheme('"n": {"patterns": ["(?<value>[0-9]+)个"]}')
        bad = "第一行\n完成3个".encode() + b"\xe4\xb8" + "项".encode()
        with self.assertRaises(jixiao.ExtractError) as cm:
            s.extract(bad)
        e = cm.exception
        self.assertEqual((e.code_name, e.offset, e.line, e.column),
                         ("JX_ESYNTAX", len("第一行\n完成3个".encode()), 2, 5))
        # A str holding undecodable bytes (surrogateescape) reports the same place.
        with self.assertRaises(jixiao.ExtractError) as cm:
            s.extract(bad.decode("utf-8", "surrogateescape"))
        self.assertEqual((cm.exception.offset, cm.exception.line, cm.exception.column),
                         (e.offset, 2, 5))
        with self.assertRaises(jixiao.ExtractError) as cm:
            s.extract("完成3个\ud800")
        self.assertEqual(cm.exception.code_name, "JX_ESYNTAX")

    def test_no_profile_and_bad_arguments(self):
        s = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        self.assertFalse(s.has_extraction)
        with self.assertRaises(jixiao.ExtractError) as cm:
            s.extract("x")
        self.assertEqual(cm.exception.code_name, "JX_EUNSUPPORTED")
        for bad in (None, 12, ["x"]):
            with self.assertRaises(jixiao.ExtractError) as cm:
                self.scheme.extract(bad)
            self.assertEqual(cm.exception.code_name, "JX_EARG")
        with self.assertRaises(jixiao.ExtractError):
            self.scheme.extract("x", jit="no")
        x = self.scheme.extract("")
        self.assertTrue(all(f.status in ("missing", "found", "default") for f in x.metrics))
        with self.assertRaises(jixiao.InputError):
            x.apply("not an input")
        with self.assertRaises(jixiao.InputError):
            x.apply(s.input())  # an Input of another scheme
        with self.assertRaises(jixiao.InputError):
            s.score(x)

    def test_profile_errors_at_load(self):
        with self.assertRaises(jixiao.SchemeError) as cm:
            profile_scheme('"a": {"patterns": ["收入(?<value>[0-9+)万元"]}')
        e = cm.exception
        self.assertEqual((e.code_name, e.path, e.source, e.line),
                         ("JX_EVALUE", "extract.metrics.a.patterns[0]", "profile.json", 1))
        self.assertIn("offset 27", e.message)
        with self.assertRaises(jixiao.SchemeError) as cm:
            jixiao.Scheme.load(os.path.join(S.DATA, "extract", "bad-profile-scheme.json"))
        self.assertEqual((cm.exception.code_name, cm.exception.path, cm.exception.line),
                         ("JX_EKEY", "metrics.n.pattern", 3))
        self.assertIn("bad-profile.extract.json", cm.exception.source)

    def test_lifetimes(self):
        s = jixiao.Scheme.load(MUNICIPAL)
        x = s.extract(self.text)
        s.close()
        # The extraction keeps the C scheme; its data and JSON stay available.
        self.assertEqual(x["编制数"].value, 32)
        self.assertTrue(x.to_json())
        x.close()
        x.close()
        self.assertEqual(x["编制数"].value, 32)  # read at creation
        x2 = jixiao.Scheme.load(MUNICIPAL).extract(self.text)
        x2.close()
        with self.assertRaises(jixiao.ClosedError):
            x2.to_json()
        with jixiao.Scheme.load(MUNICIPAL) as s3:
            with s3.extract(self.text) as x3:
                self.assertEqual(len(x3.found), len(s3.metrics))

    def test_threads_share_a_scheme(self):
        import concurrent.futures
        want = self.scheme.extract(self.text).to_json()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            got = set(pool.map(lambda k: self.scheme.extract(self.text, jit=k % 2 == 0)
                               .to_json(), range(16)))
        self.assertEqual(got, {want})


class ExtractionMissing(unittest.TestCase):
    def test_a_clear_error_without_the_api(self):
        if jixiao.has("extraction"):
            self.skipTest("the library has extraction (the Extraction tests cover it)")
        s = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        self.assertFalse(s.has_extraction)
        with self.assertRaises(jixiao.ExtractError) as cm:
            s.extract("x")
        self.assertEqual(cm.exception.code_name, "JX_EUNSUPPORTED")
        self.assertIn(_native.extraction_missing, cm.exception.message)


if __name__ == "__main__":
    unittest.main()
