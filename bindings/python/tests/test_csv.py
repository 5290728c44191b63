"""Scheme.score_csv: CSV read by the library's reader and scored in C, against
score_frame / score_batch on the same figures, and its errors."""
from __future__ import annotations

import importlib
import io
import math
import os
import tempfile
import unittest

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
    return jixiao.Scheme.load(S.EXAMPLE_SCHEME)


def figures(scheme, n):
    """Rows of figures of every kind (numbers, bools, levels, missing) as
    {metric: value or None}, deterministic."""
    rows = []
    for i in range(n):
        row = {}
        for k, m in enumerate(scheme.metrics):
            if (i * 7 + k) % 13 == 0:
                row[m.name] = None
            elif m.type == "bool":
                row[m.name] = (i + k) % 3 != 0
            elif m.type == "level":
                row[m.name] = m.levels[(i + k) % len(m.levels)]
            else:
                row[m.name] = float((i * 37 + k * 13) % 120) + (i % 4) * 0.25
        rows.append(row)
    return rows


def as_csv(scheme, rows, ids=True, words=("true", "false")):
    names = [m.name for m in scheme.metrics]
    out = [",".join((["id"] if ids else []) + names)]
    for i, row in enumerate(rows):
        cells = ["e%d" % i] if ids else []
        for m in scheme.metrics:
            v = row[m.name]
            cells.append("" if v is None else (words[0] if v else words[1])
                         if m.type == "bool" else v if m.type == "level" else repr(v))
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def write(text, suffix=".csv"):
    f = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8",
                                    newline="")
    f.write(text)
    f.close()
    return f.name


@unittest.skipUnless(jixiao.has("csv"), "the library has no CSV reader (jx_csv_*)")
class ScoreCsv(unittest.TestCase):
    def setUp(self):
        self.s = example()
        self.rows = figures(self.s, 300)
        self.files = []

    def tearDown(self):
        for f in self.files:
            os.unlink(f)

    def file(self, text):
        self.files.append(write(text))
        return self.files[-1]

    def batch_want(self, rows):
        cols = {m.name: [r[m.name] for r in rows] for m in self.s.metrics}
        return self.s.score_batch(cols)

    def test_equals_score_batch_without_pandas_objects(self):
        path = self.file(as_csv(self.s, self.rows, words=("是", "否")))
        want = self.batch_want(self.rows)
        for threads in (1, 2):
            for chunk in (1, 7, 64, 8192):
                got = self.s.score_csv(path, frame=False, threads=threads, chunk_rows=chunk)
                self.assertEqual(got.ids, ["e%d" % i for i in range(300)])
                self.assertEqual(list(got.total), list(want.total))
                self.assertEqual(list(got.scores_matrix), list(want.scores_matrix))
                self.assertEqual(list(got.grade_index), list(want.grade_index))
                self.assertEqual(list(got.complete), list(want.complete))
                self.assertEqual(got.grade, want.grade)

    def test_equals_score_frame(self):
        pd = need("pandas")
        np = need("numpy")
        # what pandas writes for score_frame's columns: floats, bools and
        # levels as numbers, no id column
        cols = {}
        for m in self.s.metrics:
            vals = [r[m.name] for r in self.rows]
            if m.type == "level":
                vals = [None if v is None else m.levels.index(v) for v in vals]
            cols[m.name] = np.array([np.nan if v is None else float(v) for v in vals])
        df = pd.DataFrame(cols)
        path = self.file(df.to_csv(index=False))
        want = self.s.score_frame(df, statuses=True)
        for threads in (1, 2):
            got = self.s.score_csv(path, threads=threads, statuses=True, chunk_rows=50)
            self.assertTrue(got.equals(want), "threads=%d" % threads)
        with self.assertRaises(jixiao.InputError) as cm:
            self.s.score_csv(path, codes=False)
        self.assertIn("is not", cm.exception.message)

    def test_ids_index_and_file_objects(self):
        pd = need("pandas")
        text = as_csv(self.s, self.rows[:20])
        path = self.file(text)
        f = self.s.score_csv(path)
        self.assertEqual(list(f.index), ["e%d" % i for i in range(20)])
        self.assertEqual(f.index.name, "id")
        self.assertEqual(list(f.columns[:3]), ["total", "grade", "complete"])
        self.assertEqual(list(f.columns[3:]), [i.id for i in self.s.indicators])
        with open(path, "rb") as fb:
            self.assertTrue(self.s.score_csv(fb).equals(f))
        self.assertTrue(self.s.score_csv(io.StringIO(text)).equals(f))
        self.assertTrue(self.s.score_csv(io.BytesIO(b"\xef\xbb\xbf" + text.encode())).equals(f))
        self.assertIsInstance(f, pd.DataFrame)

    def test_not_applicable_and_blank_lines(self):
        pd = need("pandas")
        text = ("id,在职人员数,编制数,not_applicable\r\n"
                "a,136,143,2.4\r\n\r\nb,136,143,\r\nc,,143,1.1;1.2\r\n")
        f = self.s.score_csv(self.file(text))
        self.assertEqual(list(f.index), ["a", "b", "c"])
        one = self.s.score({"在职人员数": 136, "编制数": 143}, not_applicable=["2.4"])
        self.assertEqual(f.loc["a", "total"], one.total)
        self.assertEqual(f.loc["b", "total"],
                         self.s.score({"在职人员数": 136, "编制数": 143}).total)
        self.assertEqual(f.loc["c", "total"],
                         self.s.score({"编制数": 143}, not_applicable=["1.1", "1.2"]).total)
        self.assertIsInstance(f, pd.DataFrame)

    def test_bad_row_raises_with_file_line_column(self):
        path = self.file("id,在职人员数,编制数\na,1,2\nb,x1,2\nc,1,oops\n")
        with self.assertRaises(jixiao.InputError) as cm:
            self.s.score_csv(path, frame=False)
        e = cm.exception
        self.assertEqual((e.source, e.line, e.column), (path, 3, 3))
        self.assertEqual(e.code, jixiao.Error(-7, "").code)  # JX_EVALUE
        self.assertEqual(e.path, "在职人员数")
        self.assertIn('"x1" is not a number', e.message)
        self.assertIn("%s:3:3" % path, str(e))

    def test_bad_rows_skipped_and_collected(self):
        text = ("id,在职人员数,社会效益,财务管理制度健全,not_applicable\n"
                "a,1,好,是,\nb,nan,好,是,\nc,1,优秀,是,\nd,1,好,也许,\n"
                "e,1,好,是,9.9\nf,1,好\n\"g,1,好,是,\nh,inf,好,是,\n")  # g: to the end
        bad = []
        got = self.s.score_csv(self.file(text), frame=False, skip_bad=True, bad_rows=bad)
        self.assertEqual(got.ids, ["a"])
        self.assertEqual([(e.line, e.column) for e in bad],
                         [(3, 3), (4, 5), (5, 7), (6, 9), (7, 6), (8, 1)])
        self.assertEqual([e.code_name for e in bad],
                         ["JX_EVALUE", "JX_ELEVEL", "JX_EVALUE", "JX_ENOTFOUND", "JX_ESYNTAX",
                          "JX_ESYNTAX"])
        self.assertIn("is not a level", bad[1].message)
        self.assertIn("not_applicable: no indicator", bad[3].message)
        self.assertIn("3 fields; the header has 5", bad[4].message)
        self.assertIn("quoted field is not closed", bad[5].message)
        # nan and inf are never numbers
        self.assertIn('"nan" is not a number', bad[0].message)

    def test_header_errors(self):
        cases = [("", "JX_EREQUIRED", 0, "empty input"),
                 ("在职人员数\n1\n", "JX_EREQUIRED", 1, None),
                 ("id,id\n", "JX_EDUPLICATE", 1, "two \"id\""),
                 ("id,在职人员数,在职人员数\n", "JX_EDUPLICATE", 1, "two columns"),
                 ("id,没有这个\n", "JX_EKEY", 1, "not a metric"),
                 ('id,"a\n', "JX_ESYNTAX", 1, "not closed")]
        for text, code, line, part in cases:
            if code == "JX_EREQUIRED" and line == 1:
                # no id column: fine for score_csv (ids are optional)
                self.assertEqual(self.s.score_csv(self.file(text), frame=False).ids, None)
                continue
            with self.assertRaises(jixiao.InputError, msg=text) as cm:
                self.s.score_csv(self.file(text), frame=False)
            self.assertEqual(cm.exception.code_name, code, text)
            self.assertEqual(cm.exception.line, line, text)
            self.assertIn(part, cm.exception.message)

    def test_arguments(self):
        with self.assertRaises(jixiao.InputError):
            self.s.score_csv(42)
        with self.assertRaises(jixiao.InputError) as cm:
            self.s.score_csv(os.path.join(S.DATA, "no-such.csv"))
        self.assertEqual(cm.exception.code_name, "JX_EIO")
        with self.assertRaises(jixiao.ScoreError):
            self.s.score_csv(io.StringIO("id\n"), threads=-1)
        with self.assertRaises(jixiao.ScoreError):
            self.s.score_csv(io.StringIO("id\n"), chunk_rows=0)

        class Broken(io.RawIOBase):
            def readable(self):
                return True

            def readinto(self, b):
                raise OSError("disk on fire")
        with self.assertRaises(OSError):
            self.s.score_csv(Broken())

    def test_empty_body(self):
        got = self.s.score_csv(io.StringIO("id,在职人员数\n"), frame=False)
        self.assertEqual((got.n, got.ids), (0, []))
        self.assertTrue(all(math.isfinite(x) for x in got.total))


if __name__ == "__main__":
    unittest.main()
