"""examples/python/score.py and batch_csv.py, run as a user runs them."""
from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

jixiao = S.jixiao


def run(script, *args):
    env = dict(os.environ, PYTHONPATH=S.BINDING, PYTHONDONTWRITEBYTECODE="1",
               JIXIAO_LIBRARY=jixiao.library_path)
    return subprocess.run([sys.executable, os.path.join(S.EXAMPLES, script)] + list(args),
                          capture_output=True, env=env, timeout=120)


class ScorePy(unittest.TestCase):
    def test_table(self):
        p = run("score.py", S.EXAMPLE_SCHEME, S.EXAMPLE_METRICS)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout.decode("utf-8")
        self.assertIn("总分 90.05 / 100.00,等级 优", out)
        self.assertIn("  1.1  在职人员控制率", out)
        p = run("score.py", S.EXAMPLE_SCHEME, S.EXAMPLE_METRICS, "--lang", "en")
        self.assertIn("Total 90.05 / 100.00, grade 优", p.stdout.decode("utf-8"))

    def test_lang_covers_load_errors(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "bad.json")
            with open(bad, "w", encoding="utf-8") as f:
                f.write('{"jixiao": 1, "bogus": 1}')
            p = run("score.py", bad, S.EXAMPLE_METRICS, "--lang", "zh")
            self.assertEqual(p.returncode, 2)
            self.assertIn('未知的键 "bogus"', p.stderr.decode("utf-8"))
            p = run("score.py", bad, S.EXAMPLE_METRICS)
            self.assertIn('unknown key "bogus"', p.stderr.decode("utf-8"))

    def test_json_is_the_library_json(self):
        p = run("score.py", S.EXAMPLE_SCHEME, S.EXAMPLE_METRICS, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        s = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        self.assertEqual(p.stdout.decode("utf-8"),
                         s.score(s.load_input(S.EXAMPLE_METRICS)).to_json())

    def test_errors_and_incomplete(self):
        bad = os.path.join(S.DATA, "invalid-input", "bool-as-number", "input.json")
        p = run("score.py", S.EXAMPLE_SCHEME, bad)
        self.assertEqual(p.returncode, 2)
        self.assertIn("%s:7:17: metrics.财务管理制度健全" % bad, p.stderr.decode("utf-8"))
        omb = os.path.join(S.SCHEMES, "us-omb-part.json")
        rnd = os.path.join(S.SCHEMES, "examples", "us-omb-part-rnd.metrics.json")
        p = run("score.py", omb, rnd)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("Results Not Demonstrated", p.stdout.decode("utf-8"))
        p = run("score.py", omb, rnd, "--strict")
        self.assertEqual(p.returncode, 2)


class BatchCsv(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        base, _ = S.example_input()
        rnd = random.Random(3)
        cls.rows = []
        names = list(base)
        cls.csv = os.path.join(cls.tmp.name, "entities.csv")
        with open(cls.csv, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["id"] + names + ["not_applicable"])
            for k in range(120):
                metrics, cells = {}, []
                for n in names:
                    v = base[n]
                    if rnd.random() < 0.05:
                        v = None
                    elif isinstance(v, bool):
                        v = rnd.random() < 0.8
                    elif isinstance(v, (int, float)):
                        v = round(v * rnd.uniform(0.8, 1.2), 2)
                    metrics[n] = v
                    cells.append("" if v is None else ("是" if v else "否")
                                 if isinstance(v, bool) else str(v))
                na = ["2.4"] if k % 3 == 0 else []
                w.writerow(["单位%03d" % k] + cells + [";".join(na)])
                cls.rows.append(("单位%03d" % k, metrics, na))
            w.writerow(["bad"] + ["abc"] * len(names) + [""])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, path):
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.reader(f))

    def test_same_scores_as_one_at_a_time(self):
        out = os.path.join(self.tmp.name, "scores.csv")
        p = run("batch_csv.py", S.EXAMPLE_SCHEME, self.csv, "-o", out, "--chunk", "50")
        self.assertEqual(p.returncode, 1, p.stderr)  # one bad row, skipped
        err = p.stderr.decode("utf-8")
        self.assertIn("entities.csv:%d: 在职人员数: 'abc' is not a number; row skipped"
                      % (len(self.rows) + 2), err)
        table = self.read(out)
        ids = [i.id for i in self.scheme.indicators]
        self.assertEqual(table[0], ["id"] + ids + ["total", "grade", "complete"])
        self.assertEqual(len(table) - 1, len(self.rows))
        for (eid, metrics, na), row in zip(self.rows, table[1:]):
            r = self.scheme.score(metrics, not_applicable=na)
            want = [eid] + ["%.2f" % i.score for i in r.indicators] + [
                "%.2f" % r.total, r.grade, "yes" if r.complete else "no"]
            self.assertEqual(row, want)
        # Threads and chunk sizes change nothing.
        out2 = os.path.join(self.tmp.name, "scores2.csv")
        p = run("batch_csv.py", S.EXAMPLE_SCHEME, self.csv, "-o", out2, "--threads", "2",
                "--chunk", "7")
        self.assertEqual(self.read(out2), table)

    def test_strict_stops(self):
        p = run("batch_csv.py", S.EXAMPLE_SCHEME, self.csv, "--strict")
        self.assertEqual(p.returncode, 2)
        self.assertNotIn("row skipped", p.stderr.decode("utf-8"))


if __name__ == "__main__":
    unittest.main()
