"""jixiao.score_projects: the C suite's hand-computed project fixtures, from a
CSV path, from rows, from a flat xlsx workbook, and a bad row's error; the
xlsx reader of 项目支出绩效自评表 sheets (tests/data/projects/form-*.xlsx, written
by make_xlsx.py) against hand-computed scores, its errors naming the file,
sheet, row and column, jx-project's own workbook read back, and
scripts/jx-xlsx2csv. The xlsx tests need openpyxl (make check installs it)."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
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


PROJECTS = os.path.join(S.DATA, "projects")
XLSX2CSV = os.path.join(S.SOURCE, "scripts", "jx-xlsx2csv")

# Hand-computed, per project: (id, total, grade, 执行率, budget score, scores of
# the rows in order, None for 不适用).
FORMS = {
    "form-merged.xlsx": [
        # 72/80 = 90 % -> 9.00; 养护里程 126 of ≥120 capped 30; 路面优良率 typed as
        # 80 % (a percent cell) of ≥85 %: 20 × 80 / 85 = 18.82; ≤300天 met; 部分达成
        # (60%) of 20 = 12; 92 % of ≥90 % full. 9 + 30 + 18.82 + 10 + 12 + 10.
        ("乡村道路养护", 89.82, "良", 90.0, 9.0, [30, 18.82, 10, 12, 10]),
        # 100 %; ≥8处 met exactly; ≤20万元 at 25万元: 20 × 20 / 25 = 16; 24000人 is
        # 2.4万人 of ≥3万人: 20 × 2.4 / 3 = 16; 未达成 0; 满意度 不适用 (10):
        # (10 + 25 + 16 + 16 + 0) / 90 × 100 = 74.44.
        ("农村饮水安全巩固", 74.44, "中", 100.0, 10.0, [25, 16, 16, 0, None]),
    ],
    "form-repeated.xlsx": [
        # 200/250 = 80 % -> 8.00; 6万平方米 of ≥5万 capped; 95 % of ≥95 % and 12元
        # of ≤12元 met exactly; =2 % at 1.5 %: 20 × (1 − 0.5 / 2) = 15; 88 % of ≥85 %.
        ("B01", 93.0, "优", 80.0, 8.0, [30, 20, 10, 15, 10]),
        # 38/40 = 95 % -> 9.50; 20场 of ≥24场: 30 × 20 / 24 = 25; 90 % of ≥100 %: 9;
        # 达成 full 20; 不适用 (20); 81 % (a percent cell) of ≥90 %: 9.
        # (9.5 + 25 + 9 + 20 + 9) / 80 × 100 = 90.625 -> 90.63.
        ("B02", 90.63, "优", 95.0, 9.5, [25, 9, 20, None, 9]),
    ],
}


def _run(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)


@unittest.skipUnless(HAVE_OPENPYXL, "openpyxl is not installed")
class ProjectForms(unittest.TestCase):
    def check_form(self, name):
        projects = jixiao.score_projects(os.path.join(PROJECTS, name))
        want = FORMS[name]
        self.assertEqual([p["id"] for p in projects], [w[0] for w in want])
        for p, (pid, total, grade, rate, budget, scores) in zip(projects, want):
            self.assertEqual((p["total"], p["grade"], p["rate"], p["budget_score"], p["complete"]),
                             (total, grade, rate, budget, True), pid)
            got = [None if i["status"] == "not_applicable" else i["score"] for i in p["indicators"]]
            self.assertEqual(got, scores, pid)
        return projects

    def test_form_merged(self):
        p1, p2 = self.check_form("form-merged.xlsx")
        # 一级/二级 merged over their rows, filled down.
        self.assertEqual([(i["level1"], i["level2"]) for i in p1["indicators"]][:3],
                         [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标")])
        self.assertEqual(p1["indicators"][1]["actual"], "80%")
        self.assertEqual((p1["department"], p1["agency"]), ("县交通运输局", "县公路养护中心"))
        self.assertEqual(p2["indicators"][3]["deviation"], "管护制度尚未建立")
        self.assertEqual(p2["indicators"][4]["actual"], "不适用")

    def test_form_repeated(self):
        b1, b2 = self.check_form("form-repeated.xlsx")
        self.assertEqual((b1["name"], b1["department"], b1["agency"]),
                         ("城区绿化提升", "区园林局 301", "区绿化养护所"))
        self.assertEqual(b1["indicators"][3]["target"], "=2%")
        self.assertEqual(b2["indicators"][2]["status"], "scored")  # qualitative 达成
        self.assertEqual(b2["indicators"][2]["target"], "逐步提高")
        self.assertEqual(b2["indicators"][4]["actual"], "81%")
        self.assertEqual(len(b2["indicators"]), 5)  # the spacer row and 合计 are not rows

    def test_fixtures_regenerate(self):
        """make_xlsx.py writes the committed workbooks (values, formats, merges)."""
        with tempfile.TemporaryDirectory() as d:
            r = _run([sys.executable, os.path.join(PROJECTS, "make_xlsx.py"), d])
            self.assertEqual(r.returncode, 0, r.stderr)
            for name in FORMS:
                self.assertEqual(self.dump(os.path.join(d, name)),
                                 self.dump(os.path.join(PROJECTS, name)), name)

    @staticmethod
    def dump(path):
        wb = openpyxl.load_workbook(path)
        return [(ws.title, sorted(str(m) for m in ws.merged_cells.ranges),
                 [(c.coordinate, c.value, c.number_format) for row in ws.iter_rows() for c in row
                  if c.value is not None]) for ws in wb.worksheets]

    def bad(self, build, lang=None):
        """The error of a workbook that build(workbook) breaks."""
        wb = openpyxl.load_workbook(os.path.join(PROJECTS, "form-merged.xlsx"))
        build(wb)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.xlsx")
            wb.save(path)
            with self.assertRaises(jixiao.InputError) as cm:
                jixiao.score_projects(path, lang=lang)
            r = _run([sys.executable, XLSX2CSV, path])
        e = cm.exception
        self.assertEqual(e.source, path)
        return e, r

    def test_sheet_without_table(self):
        def build(wb):
            ws = wb.create_sheet("第三个项目")
            ws["A1"], ws["B1"] = "项目名称", "只有预算的项目"
            for col, head, value in zip("BCD", ["年初预算数", "全年预算数", "全年执行数"], [5, 5, 4]):
                ws[col + "3"], ws[col + "4"] = head, value
            ws["A4"] = "年度资金总额"
            ws["A6"] = "年度总体目标"
        e, r = self.bad(build)
        self.assertEqual((e.sheet, e.line, e.column), ("第三个项目", 7, 1))
        self.assertIn('sheet "第三个项目", row 7, column A: expected the indicator table', e.message)
        # jx-xlsx2csv: the same error, exit 2, nothing on standard output.
        self.assertEqual((r.returncode, r.stdout), (2, ""))
        self.assertIn('bad.xlsx: sheet "第三个项目", row 7, column A: expected the indicator table',
                      r.stderr)

    def test_unreadable_target(self):
        def build(wb):
            wb["农村饮水安全巩固"]["E15"] = "≥三万人"
        e, _ = self.bad(build)
        self.assertEqual((e.sheet, e.line, e.column), ("农村饮水安全巩固", 15, 5))
        self.assertTrue(e.message.startswith(
            'sheet "农村饮水安全巩固", row 15, column E (年度指标值): project 农村饮水安全巩固, '
            'cannot read "≥三万人": expected a number'), e.message)

    def test_unreadable_target_in_chinese(self):
        # The library's Chinese message names the CSV's column; the workbook's
        # cell replaces it, as in English
        def build(wb):
            wb["农村饮水安全巩固"]["E15"] = "≥三万人"
        e, _ = self.bad(build, lang="zh")
        self.assertEqual((e.sheet, e.line, e.column), ("农村饮水安全巩固", 15, 5))
        self.assertTrue(e.message.startswith(
            'sheet "农村饮水安全巩固", row 15, column E (年度指标值): 项目 农村饮水安全巩固,'
            '无法读取 "≥三万人"'), e.message)
        self.assertNotIn("第 ", e.message)

    def test_unit_mismatch_in_percent_cell(self):
        def build(wb):
            wb["乡村道路养护"]["E14"] = "≥85个"  # F14 holds 80 % as a percent cell
        e, _ = self.bad(build)
        self.assertEqual((e.sheet, e.line, e.column), ("乡村道路养护", 14, 6))
        self.assertIn("(实际完成值)", e.message)
        self.assertIn("does not agree", e.message)

    def test_table_without_target_column(self):
        def build(wb):
            wb["乡村道路养护"]["E12"] = "说明"
        e, _ = self.bad(build)
        self.assertEqual((e.sheet, e.line), ("乡村道路养护", 12))
        self.assertIn("no column 年度指标值", e.message)

    def test_same_project_on_two_sheets(self):
        def build(wb):
            wb.copy_worksheet(wb["乡村道路养护"])
        e, _ = self.bad(build)
        self.assertEqual((e.sheet, e.line, e.column), ("乡村道路养护 Copy", 3, 3))
        self.assertIn('is also on sheet "乡村道路养护"', e.message)

    def test_not_a_workbook(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.xlsx")
            with open(path, "w") as f:
                f.write("项目名称\n")
            with self.assertRaises(jixiao.InputError) as cm:
                jixiao.score_projects(path)
        self.assertEqual(cm.exception.source, path)
        self.assertIn("cannot read the workbook", cm.exception.message)

    @unittest.skipUnless(os.access(S.JX_PROJECT, os.X_OK), "jx-project is not built")
    def test_round_trip(self):
        """The workbook jx-project --xlsx writes scores as its CSV did."""
        if "not available" in _run([S.JX_PROJECT, "--help"]).stdout:
            self.skipTest("jx-project was built without libxlsxwriter")
        want = jixiao.score_projects(FIXTURE)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "sheets.xlsx")
            r = _run([S.JX_PROJECT, "--xlsx", path, FIXTURE])
            self.assertEqual(r.returncode, 1, r.stderr)  # P04 and P08 lack data
            got = jixiao.score_projects(path)
        self.assertEqual(got, want)
        self.assertEqual([(p["id"], p["total"]) for p in got][:2], [("P01", 96.05), ("P02", 84.0)])

    @unittest.skipUnless(os.access(S.JX_PROJECT, os.X_OK), "jx-project is not built")
    def test_xlsx2csv(self):
        """jx-xlsx2csv's CSV, read by jx-project, scores the workbook's projects."""
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "p.csv")
            r = _run([sys.executable, XLSX2CSV, os.path.join(PROJECTS, "form-repeated.xlsx"),
                      "-o", out])
            self.assertEqual((r.returncode, r.stderr), (0, ""))
            self.assertEqual(os.listdir(d), ["p.csv"])
            with open(out, encoding="utf-8") as f:
                rows = list(csv.reader(f))
            r = _run([S.JX_PROJECT, out])
        self.assertEqual(rows[0], jixiao._projects.COLUMNS)
        self.assertEqual(rows[4][9:13], ["绿化覆盖率提升", "20", "=2%", "1.5%"])
        self.assertEqual(r.returncode, 0, r.stderr)
        summary = list(csv.reader(io.StringIO(r.stdout)))
        self.assertEqual([row[:5] for row in summary[1:]],
                         [["B01", "城区绿化提升", "80.00", "93.00", "优"],
                          ["B02", "社区文化活动", "95.00", "90.63", "优"]])


if __name__ == "__main__":
    unittest.main()
