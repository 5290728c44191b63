"""jixiao.score_projects: the C suite's hand-computed project fixtures, from a
CSV path, from rows, from an xlsx workbook (when openpyxl is present), and a
bad row's error."""
from __future__ import annotations

import os
import tempfile
import unittest

try:
    from . import _support as S
except ImportError:
    import _support as S

jixiao = S.jixiao
FIXTURE = os.path.join(S.DATA, "projects", "projects.csv")
WANT = {"P01": (96.05, "优", True, 76.0), "P02": (84.0, "良", True, 100.0),
        "P03": (75.0, "中", True, 100.0), "P04": (20.0, "差", False, 100.0),
        "P05": (93.04, "优", True, 75.0), "P06": (72.5, "中", True, 110.0),
        "P07": (82.4, "良", True, 75.0), "P08": (90.0, "优", False, None)}

try:
    import openpyxl  # noqa: F401
    HAVE_OPENPYXL = True
except ImportError:
    HAVE_OPENPYXL = False


class ScoreProjects(unittest.TestCase):
    def check(self, projects):
        self.assertEqual([p["id"] for p in projects], sorted(WANT))
        for p in projects:
            total, grade, complete, rate = WANT[p["id"]]
            self.assertEqual((p["total"], p["grade"], p["complete"], p["rate"]),
                             (total, grade, complete, rate), p["id"])
        p1 = projects[0]
        self.assertEqual(p1["budget_score"], 7.6)
        self.assertEqual([i["score"] for i in p1["indicators"]], [20, 18.95, 10, 20, 10, 9.5])
        self.assertEqual(p1["indicators"][1]["target"], "≥95%")
        self.assertEqual(projects[3]["incomplete"], ["整治河段数"])
        self.assertEqual(projects[3]["indicators"][0]["status"], "missing")
        self.assertEqual(projects[2]["indicators"][1]["status"], "not_applicable")

    def test_csv_path(self):
        self.check(jixiao.score_projects(FIXTURE))

    def test_rows(self):
        import csv
        with open(FIXTURE, encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        self.check(jixiao.score_projects(rows))

    @unittest.skipUnless(HAVE_OPENPYXL, "openpyxl is not installed")
    def test_xlsx(self):
        import csv
        wb = openpyxl.Workbook()
        ws = wb.active
        with open(FIXTURE, encoding="utf-8-sig") as f:
            for r in csv.reader(f):
                ws.append(r)
                # "=12台" is text on the form, not a formula: keep it a string cell.
                for c in ws[ws.max_row]:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        c.data_type = "s"
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "projects.xlsx")
            wb.save(path)
            self.check(jixiao.score_projects(path))

    def test_bad_row(self):
        rows = [jixiao._projects.COLUMNS[:2] + ["全年预算数", "全年执行数", "一级指标", "二级指标",
                                               "三级指标", "分值", "年度指标值", "实际完成值"],
                ["P1", "甲", 10, 10, "产出指标", "数量指标", "a", 90, "≥500人次", "520个"]]
        with self.assertRaises(jixiao.InputError) as cm:
            jixiao.score_projects(rows)
        e = cm.exception
        self.assertEqual((e.source, e.line, e.column), ("<rows>", 2, 10))
        self.assertIn("does not agree", e.message)


if __name__ == "__main__":
    unittest.main()
