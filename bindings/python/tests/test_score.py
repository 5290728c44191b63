"""Scoring: identical to the C program (jx-score --json) for every bundled
scheme and its example input, and the Result API."""
from __future__ import annotations

import json
import os
import subprocess
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

jixiao = S.jixiao


def jx_score_json(scheme: str, metrics: str, lang=None) -> str:
    cmd = [S.JX_SCORE, scheme, metrics, "--json"] + (["--lang", lang] if lang else [])
    p = subprocess.run(cmd, capture_output=True, timeout=60)
    if p.returncode not in (0, 1):
        raise AssertionError("%s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                                    p.stderr.decode("utf-8", "replace")))
    return p.stdout.decode("utf-8")


class SameAsC(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(S.JX_SCORE, os.X_OK):
            raise unittest.SkipTest("%s is not built (run `make`)" % S.JX_SCORE)
        cls.pairs = S.scheme_input_pairs()

    def test_every_bundled_scheme_has_an_example(self):
        covered = {os.path.realpath(p[0]) for p in self.pairs}
        for path in S.bundled_schemes():
            self.assertIn(os.path.realpath(path), covered, "no example input for " + path)
        self.assertGreaterEqual(len(self.pairs), len(S.bundled_schemes()))

    def compare(self, r: "jixiao.Result", c_text: str, what: str) -> None:
        # 1. The library's JSON, byte for byte.
        self.assertEqual(r.to_json(), c_text, what)
        c = json.loads(c_text)
        # 2. The Python attributes against the C program's numbers.
        self.assertEqual(r.total, c["total"], what)
        self.assertEqual(r.grade, c["grade"], what)
        self.assertEqual(r.complete, c["complete"], what)
        self.assertEqual(r.max, c["max"], what)
        self.assertEqual(r.scheme_id, c["scheme"], what)
        self.assertEqual(r.lang, c["lang"], what)
        self.assertEqual(len(r.indicators), len(c["indicators"]), what)
        for ind, ci in zip(r.indicators, c["indicators"]):
            w = "%s %s" % (what, ind.id)
            self.assertEqual((ind.id, ind.name, ind.depth, ind.parent, ind.is_leaf, ind.status),
                             (ci["id"], ci["name"], ci["depth"], ci["parent"], ci["leaf"],
                              ci["status"]), w)
            self.assertEqual(ind.score, ci["score"], w)
            self.assertEqual(ind.max, ci["max"], w)
            self.assertEqual(ind.reason, ci["reason"], w)
            if ind.is_leaf:
                self.assertEqual(ind.rule, ci["rule"], w)
                self.assertEqual(ind.unit, ci["unit"], w)
                if ci["value"] is None:
                    self.assertIsNone(ind.value, w)
                else:
                    self.assertEqual(round(ind.value, ind.decimals), ci["value"], w)
        self.assertEqual(r.to_dict(), c, what)

    def test_identical_scores(self):
        n = 0
        for scheme_path, metrics_path, expected_path in self.pairs:
            scheme = jixiao.Scheme.load(scheme_path)
            data = S.load_json(metrics_path)
            sheet = S.load_json(expected_path)
            for lang in (None, "zh", "en"):
                what = "%s + %s (lang %s)" % (os.path.basename(scheme_path),
                                              os.path.basename(metrics_path), lang)
                with self.subTest(case=what):
                    c_text = jx_score_json(scheme_path, metrics_path, lang)
                    # Figures given as a Python dict ...
                    r = scheme.score(data.get("metrics", {}),
                                     not_applicable=data.get("not_applicable"), lang=lang)
                    self.compare(r, c_text, what + " [dict]")
                    # ... and read by the library's own JSON loader.
                    inp = scheme.load_input(metrics_path)
                    self.compare(scheme.score(inp, lang=lang), c_text, what + " [file]")
                    # The hand-computed score sheet agrees too.
                    self.assertEqual((r.total, r.grade, r.complete),
                                     (sheet["total"], sheet["grade"], sheet["complete"]), what)
                    for ind_id, want in sheet.get("indicators", {}).items():
                        self.assertEqual(r[ind_id].score, want["score"], what + " " + ind_id)
                        if "status" in want:
                            self.assertEqual(r[ind_id].status, want["status"])
                    n += 1
        self.assertGreaterEqual(n, 3 * len(S.bundled_schemes()))


class ResultAPI(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        cls.metrics, cls.na = S.example_input()

    def test_fields(self):
        r = self.scheme.score(self.metrics, not_applicable=self.na)
        self.assertEqual((r.total, r.grade, r.grade_index, r.complete), (90.05, "优", 0, True))
        self.assertEqual(r.lang, "zh")
        self.assertEqual(r.precision, 2)
        d = r.to_dict()
        self.assertTrue(d["rescaled"])
        self.assertEqual(d["applicable_max"], 95.0)
        i = r["1.1"]
        self.assertIs(r[i.index], i)
        self.assertEqual((i.name, i.value, i.unit, i.status, i.max, i.score, i.parent),
                         ("在职人员控制率", 95.1, "%", "scored", 5.0, 5.0, "1"))
        self.assertTrue(i.reason.startswith("在职人员控制率 95.10%"))
        self.assertEqual(i.to_dict()["id"], "1.1")
        self.assertEqual(r["2.4"].status, "not_applicable")
        self.assertEqual(r["1"].reason, "下级指标得分合计")
        self.assertEqual(len(r), 18)
        self.assertEqual([x.id for x in r], [x.id for x in self.scheme.indicators])
        with self.assertRaises(KeyError):
            r["9.9"]
        self.assertIn("90.05", repr(r))
        self.assertTrue(r.to_json().endswith("\n"))

    def test_english_and_not_applicable(self):
        r = self.scheme.score(self.metrics, lang="en")
        self.assertEqual(r["1"].reason, "sum of the sub-indicators' scores")
        self.assertEqual(r.lang, "en")
        self.assertNotEqual(r["2.4"].status, "not_applicable")
        r2 = self.scheme.score(self.metrics, not_applicable=["2"])
        self.assertEqual({r2[c].status for c in self.scheme.indicator("2").children},
                         {"not_applicable"})

    def test_input_object(self):
        inp = self.scheme.input()
        inp.update(self.metrics).set_not_applicable(self.na)
        want = self.scheme.score(self.metrics, not_applicable=self.na).to_json()
        self.assertEqual(inp.score().to_json(), want)
        inp["编制数"] = 200
        self.assertNotEqual(inp.score().to_json(), want)
        inp["编制数"] = self.metrics["编制数"]
        self.assertEqual(self.scheme.score(inp).to_json(), want)
        del inp["编制数"]
        self.assertEqual(inp.score()["1.1"].status, "missing")
        inp.clear_not_applicable("2.4")
        self.assertNotEqual(inp.score()["2.4"].status, "not_applicable")
        inp.clear()
        self.assertEqual(inp.score().to_json(), self.scheme.score().to_json())
        # Loading adds to what is there; the JSON loader and the dict agree.
        inp.load_file(S.EXAMPLE_METRICS)
        self.assertEqual(inp.score().to_json(), want)
        with open(S.EXAMPLE_METRICS, encoding="utf-8") as f:
            text = f.read()
        with self.scheme.input() as other:
            self.assertEqual(other.load_string(text).score().to_json(), want)
        self.assertIn("Input", repr(inp))
        inp.close()


if __name__ == "__main__":
    unittest.main()


class TableValues(unittest.TestCase):
    """jx-score's table prints values as the library rounds them: 1.005 is
    1.01 and 39.995 is 40.00 (printf's %.2f gives 1.00 and 39.99)."""

    SCHEME = {
        "jixiao": 1, "id": "round", "title": "t", "total": 20,
        "metrics": {"a": {"type": "number"}, "b": {"type": "number"}},
        "indicators": [
            {"id": "1", "name": "甲", "max": 10, "value": "a", "unit": "%",
             "rule": {"deduct": {"target": ">= 0", "per": 1, "points": 1}}},
            {"id": "2", "name": "乙", "max": 10, "value": "b",
             "rule": {"deduct": {"target": ">= 0", "per": 1, "points": 1}}},
        ],
    }

    def test_value_column_rounds_half_up(self):
        if not os.access(S.JX_SCORE, os.X_OK):
            raise unittest.SkipTest("%s is not built (run `make`)" % S.JX_SCORE)
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            sp, mp = os.path.join(d, "s.json"), os.path.join(d, "m.json")
            with open(sp, "w", encoding="utf-8") as f:
                json.dump(self.SCHEME, f, ensure_ascii=False)
            with open(mp, "w", encoding="utf-8") as f:
                json.dump({"metrics": {"a": 1.005, "b": 39.995}}, f)
            p = subprocess.run([S.JX_SCORE, sp, mp], capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = {ln.split()[0]: ln.split() for ln in p.stdout.decode("utf-8").splitlines()
                if ln[:1] in ("1", "2")}
        self.assertEqual(rows["1"][2], "1.01%")
        self.assertEqual(rows["2"][2], "40.00")
