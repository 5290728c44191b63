"""Batch scoring from columns: the same numbers as one-at-a-time scoring
(10,000 random entities with missing and not-applicable values), on every
bundled scheme, with and without threads; and its argument errors."""
from __future__ import annotations

import math
import random
import time
import unittest
from array import array

try:
    from . import _support as S
except ImportError:
    import _support as S

jixiao = S.jixiao
from jixiao import _batch  # noqa: E402


def random_entities(scheme, base, n, seed):
    """n entities as rows {metric: value} and not-applicable id lists."""
    rnd = random.Random(seed)
    leaves_and_parents = [i.id for i in scheme.indicators]
    rows, nas = [], []
    for _ in range(n):
        row = {}
        for m in scheme.metrics:
            v = base.get(m.name)
            r = rnd.random()
            if r < 0.08:
                v = None  # missing
            elif m.type == "number":
                x = v if isinstance(v, (int, float)) and not isinstance(v, bool) else 50
                v = round(x * rnd.uniform(0.3, 1.7), rnd.choice((0, 2)))
                if r < 0.1:
                    v = 0.0  # divisions by zero: undefined
            elif m.type == "bool":
                v = rnd.random() < 0.7
            else:
                v = rnd.choice(m.levels)
            row[m.name] = v
        rows.append(row)
        nas.append([i for i in leaves_and_parents if rnd.random() < 0.03])
    return rows, nas


def as_columns(scheme, rows, nas):
    cols = {m.name: [r[m.name] for r in rows] for m in scheme.metrics}
    na_ids = sorted({i for ids in nas for i in ids})
    na_cols = {i: [i in ids for ids in nas] for i in na_ids}
    return cols, na_cols


class SameAsOneAtATime(unittest.TestCase):
    def check(self, scheme, rows, nas, b, what):
        ids = [i.id for i in scheme.indicators]
        self.assertEqual(len(b), len(rows))
        for k, (row, na) in enumerate(zip(rows, nas)):
            r = scheme.score(row, not_applicable=na)
            w = "%s entity %d" % (what, k)
            self.assertEqual(b.total[k], r.total, w)
            self.assertEqual(b.grade[k], r.grade, w)
            self.assertEqual(b.grade_index[k], -1 if r.grade_index is None else r.grade_index)
            self.assertEqual(bool(b.complete[k]), r.complete, w)
            got = b.row(k)
            for ind in r.indicators:
                self.assertEqual(got["scores"][ind.id], ind.score, w + " " + ind.id)
                self.assertEqual(("scored", "missing", "not_applicable", "undefined")
                                 [got["status"][ind.id]], ind.status, w + " " + ind.id)
            r.close()
        for i in ids[:3]:
            self.assertEqual(list(b.scores[i]), [b.row(k)["scores"][i] for k in range(len(b))])

    def test_10000_random_entities(self):
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        base, _ = S.example_input()
        rows, nas = random_entities(scheme, base, 10_000, seed=1)
        cols, na_cols = as_columns(scheme, rows, nas)
        b = scheme.score_batch(cols, not_applicable=na_cols)
        self.check(scheme, rows, nas, b, "example")
        statuses = set(b.status_matrix)
        self.assertEqual(statuses, {0, 1, 2, 3}, "the sample covers every status")
        # Threads: identical columns.
        bt = scheme.score_batch(cols, not_applicable=na_cols, threads=4)
        self.assertEqual(bt.scores_matrix, b.scores_matrix)
        self.assertEqual(bt.status_matrix, b.status_matrix)
        self.assertEqual((bt.total, bt.grade_index, bt.complete),
                         (b.total, b.grade_index, b.complete))
        # The fallback loop gives the same.
        cols2 = {m.name: _batch._metric_column(m, cols[m.name], len(rows))
                 for m in scheme.metrics}
        nas2 = {i: _batch._na_column(i, c, len(rows)) for i, c in na_cols.items()}
        bl = _batch.BatchResult(len(rows), b.indicator_ids, tuple(g.label for g in scheme.grades))
        _batch._score_loop(scheme, cols2, nas2, bl)
        self.assertEqual(bl.scores_matrix, b.scores_matrix)
        self.assertEqual(bl.status_matrix, b.status_matrix)
        self.assertEqual((bl.total, bl.grade_index, bl.complete),
                         (b.total, b.grade_index, b.complete))

    def test_every_bundled_scheme(self):
        for scheme_path, metrics_path, _ in S.scheme_input_pairs():
            scheme = jixiao.Scheme.load(scheme_path)
            base = S.load_json(metrics_path).get("metrics", {})
            rows, nas = random_entities(scheme, base, 300, seed=7)
            cols, na_cols = as_columns(scheme, rows, nas)
            with self.subTest(scheme=scheme.id):
                self.check(scheme, rows, nas, scheme.score_batch(cols, not_applicable=na_cols),
                           scheme.id)

    def test_column_forms(self):
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        base, na = S.example_input()
        want = scheme.score(base, not_applicable=na)
        n = 5
        forms = {}
        for m in scheme.metrics:
            v = base.get(m.name)
            if m.type == "number":
                forms[m.name] = array("d", [math.nan if v is None else v] * n)
            elif m.type == "bool":
                forms[m.name] = [None if v is None else int(v)] * n
            else:
                forms[m.name] = [m.levels.index(v)] * n  # level indices
        b = scheme.score_batch(forms, not_applicable={"2.4": bytes([1] * n)})
        self.assertEqual(list(b.total), [want.total] * n)
        self.assertEqual(b.grade, [want.grade] * n)
        # No columns at all: everything missing.
        e = scheme.score_batch(n=3)
        self.assertEqual(list(e.total), [scheme.score().total] * 3)
        self.assertEqual(len(scheme.score_batch({}, n=0)), 0)
        # A metric without a column (or None) is missing for every entity.
        cols = {k: [v] * 2 for k, v in base.items()}
        cols["编制数"] = None
        b = scheme.score_batch(cols)
        self.assertEqual(b.row(1)["status"]["1.1"], 1)
        self.assertIn("BatchResult", repr(b))
        # Only totals and grades.
        t = scheme.score_batch(cols, scores=False, statuses=False)
        self.assertEqual((t.total, t.grade_index), (b.total, b.grade_index))
        self.assertEqual((dict(t.scores), t.scores_matrix, t.status_matrix), ({}, None, None))
        self.assertEqual(t.row(0)["scores"], {})

    def test_errors(self):
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        sb = scheme.score_batch

        def raises(cls, code_name, *args, **kwargs):
            with self.assertRaises(cls) as cm:
                sb(*args, **kwargs)
            self.assertEqual(cm.exception.code_name, code_name, str(cm.exception))
            return cm.exception

        raises(jixiao.InputError, "JX_ETYPE", [1, 2])
        raises(jixiao.InputError, "JX_ENOTFOUND", {"无此指标": [1]})
        raises(jixiao.InputError, "JX_ETYPE", {1: [1]})
        raises(jixiao.InputError, "JX_ETYPE", {"编制数": 5})
        raises(jixiao.InputError, "JX_ETYPE", {"编制数": "abc"})
        raises(jixiao.InputError, "JX_EARG", {"编制数": [1, 2], "在职人员数": [1]})
        raises(jixiao.InputError, "JX_EARG", {})
        e = raises(jixiao.InputError, "JX_ETYPE", {"编制数": [1, "x"]})
        self.assertIn("entity 1", e.message)
        e = raises(jixiao.InputError, "JX_EVALUE", {"财务管理制度健全": [1, 0, 2]})
        self.assertIn("entity 2", e.message)
        e = raises(jixiao.InputError, "JX_ELEVEL", {"社会效益": ["好", "很好"]})
        self.assertIn("entity 1", e.message)
        raises(jixiao.InputError, "JX_ELEVEL", {"社会效益": [0, 9]})
        raises(jixiao.InputError, "JX_ENOTFOUND", {"编制数": [1]},
               not_applicable={"9.9": [True]})
        raises(jixiao.InputError, "JX_ETYPE", {"编制数": [1]}, not_applicable=["2.4"])
        raises(jixiao.InputError, "JX_EARG", {"编制数": [1]}, not_applicable={"2.4": [1, 1]})
        raises(jixiao.ScoreError, "JX_EARG", {"编制数": [1]}, threads=-1)
        raises(jixiao.ScoreError, "JX_EARG", {"编制数": [1]}, threads="2")
        scheme.close()
        raises(jixiao.ClosedError, "JX_EARG", {"编制数": [1]})

    def test_speed(self):
        """Not a target check (that is bench/), a sanity bound: the batch path
        must be far faster than scoring one at a time."""
        if not jixiao.has("batch"):
            self.skipTest("the library has no batch API (jx_batch_score): scored in a loop")
        scheme = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        base, _ = S.example_input()
        n = 100_000
        cols = {}
        for m in scheme.metrics:
            v = base.get(m.name)
            if v is None:
                continue
            if m.type == "level":
                v = m.levels.index(v)
            cols[m.name] = array("d", [float(v)]) * n
        t0 = time.perf_counter()
        b = scheme.score_batch(cols)
        dt = time.perf_counter() - t0
        self.assertEqual(len(b), n)
        self.assertGreater(n / dt, 20_000, "%.0f entities/s" % (n / dt))


if __name__ == "__main__":
    unittest.main()
