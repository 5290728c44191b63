#!/usr/bin/env python3
"""`make check-project-xlsx`: run jx-project --xlsx on the project fixtures
and read the workbook back with openpyxl: a 汇总 sheet and one sheet per
project, each with the national form's header block, budget block with 执行率,
indicator table, 总分 and 等级 and the deductions, holding the hand-computed
figures of tests/test_project.c. Then outputs that fail: the workbook or
another output failing leaves no output of the run (and no temporary file)
in place.

    scripts/check-project-xlsx.py JX_PROJECT PROJECTS.csv
"""
import os
import subprocess
import sys
import tempfile

import openpyxl  # Debian python3-openpyxl (scripts/deps.sh --with-xlsx)

# id: (name, 执行率 as a fraction or None, budget score, total, grade cell)
WANT = {
    "P01": ("基层干部培训", 0.76, 7.6, 96.05, "等级:优"),
    "P02": ("农机购置补贴", 1.0, 10, 84.0, "等级:良"),
    "P03": ("社区养老服务", 1.0, 10, 75.0, "等级:中"),
    "P04": ("河道整治", 1.0, 10, 20.0, "等级:差(数据不完整)"),
    "P05": ("办公设备更新", 0.75, 7.5, 93.04, "等级:优"),
    "P06": ("数据平台建设", 1.1, 10, 72.5, "等级:中"),
    "P07": ("全民健身活动", 0.75, 7.5, 82.4, "等级:良"),
    "P08": ("校舍维修", None, 0, 90.0, "等级:优(数据不完整)"),
}
TABLE = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施", "说明"]
failures = []


def expect(what, got, want):
    if got != want:
        failures.append("%s: got %r, expected %r" % (what, got, want))


def find(ws, text):
    """The (row, column) of the first cell holding text."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c.row, c.column
    failures.append("sheet %s: no cell %r" % (ws.title, text))
    return None


def right_of(ws, text):
    at = find(ws, text)
    if not at:
        return None
    r, c = at
    for cc in range(c + 1, ws.max_column + 1):
        v = ws.cell(r, cc).value
        if v not in (None, ""):
            return v
    return None


def merged_value(ws, r, c):
    """A cell's value, or the value of the merged range it lies in."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= r <= rng.max_row and rng.min_col <= c <= rng.max_col:
            return ws.cell(rng.min_row, rng.min_col).value
    return ws.cell(r, c).value


def check_sheet(ws, pid, want):
    name, rate, budget_score, total, grade = want
    expect(pid + " A1", ws["A1"].value, "项目支出绩效自评表")
    expect(pid + " 项目名称", right_of(ws, "项目名称"), name)
    expect(pid + " 项目编号", right_of(ws, "项目编号"), pid)
    at = find(ws, "全年预算数")
    if at:
        r, c = at
        head = [ws.cell(r, cc).value for cc in range(c - 1, c + 5)]
        expect(pid + " budget block", head, ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
        expect(pid + " 年度资金总额", ws.cell(r + 1, c - 2).value, "年度资金总额")
        expect(pid + " 分值 of 执行率", ws.cell(r + 1, c + 2).value, 10)
        rc = ws.cell(r + 1, c + 3)
        if rate is None:
            expect(pid + " 执行率", rc.value, "缺少数据")
        else:
            expect(pid + " 执行率", rc.value, rate)
            expect(pid + " 执行率 format", rc.number_format, "0.00%")
        expect(pid + " 执行率 得分", ws.cell(r + 1, c + 4).value, budget_score)
    at = find(ws, "一级指标")
    if not at:
        return []
    r, c = at
    expect(pid + " indicator table", [ws.cell(r, cc).value for cc in range(c, c + 9)], TABLE)
    rows = []
    rr = r + 1
    while merged_value(ws, rr, c) != "总分" and rr <= ws.max_row:
        rows.append([merged_value(ws, rr, cc) for cc in range(c, c + 9)])
        rr += 1
    expect(pid + " 总分 row", [ws.cell(rr, cc).value for cc in (c + 5, c + 6, c + 7)],
           [100, total, grade])
    expect(pid + " 扣分及说明", ws.cell(rr + 2, c).value, "扣分及说明")
    return rows


def check_sheet_names(tool, csv, d):
    """Sheet names Excel refuses (a "/", over 31 characters) become 项目N;
    a "/" is replaced."""
    with open(csv, encoding="utf-8-sig") as f:
        text = f.read()
    long_id = "P" * 40
    text = text.replace("P01,", "P/01,").replace("P02,", long_id + ",")
    src = os.path.join(d, "names.csv")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(d, "names.xlsx")
    subprocess.run([tool, "--xlsx", out, src])
    names = openpyxl.load_workbook(out).sheetnames if os.path.exists(out) else []
    expect("sheet names", names[:4], ["汇总", "P_01", "项目2", "P03"])
    os.remove(src)
    if os.path.exists(out):
        os.remove(out)


def check_failures(tool, csv, d):
    """Each run has an output that cannot be written: exit 2, and the
    directory holds what it held before (an old summary unchanged)."""
    out = os.path.join(d, "out")
    os.mkdir(out)
    with open(os.path.join(out, "old.csv"), "w") as f:
        f.write("before\n")
    os.mkdir(os.path.join(out, "a-directory.xlsx"))
    missing = os.path.join(d, "missing")
    runs = [
        # the workbook second, in a missing directory
        ["--summary", os.path.join(out, "new.csv"), "--xlsx", os.path.join(missing, "s.xlsx")],
        ["--summary", os.path.join(out, "old.csv"), "--xlsx", os.path.join(missing, "s.xlsx")],
        # the workbook asked for beside an HTML file that cannot be written
        ["--xlsx", os.path.join(out, "new.xlsx"), "--html", os.path.join(missing, "s.html")],
        # the workbook's path a directory: caught before anything is renamed
        ["--summary", os.path.join(out, "new.csv"), "--sheets", os.path.join(out, "new.txt"),
         "--xlsx", os.path.join(out, "a-directory.xlsx")],
    ]
    for args in runs:
        r = subprocess.run([tool] + args + [csv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        what = "jx-project " + " ".join(os.path.relpath(a, d) if a.startswith(d) else a
                                        for a in args)
        expect(what + ": exit status", r.returncode, 2)
        expect(what + ": files left", sorted(os.listdir(out)), ["a-directory.xlsx", "old.csv"])
        expect(what + ": a message", "jx-project: " in r.stderr, True)
        with open(os.path.join(out, "old.csv")) as f:
            expect(what + ": old.csv", f.read(), "before\n")
    expect("the empty directory", os.listdir(os.path.join(out, "a-directory.xlsx")), [])
    # A link (here to /dev/null; /dev/stdout is one) is written through,
    # never renamed onto; the files beside it are renamed as usual.
    sink = os.path.join(out, "sink")
    os.symlink(os.devnull, sink)
    r = subprocess.run([tool, "--summary", sink, "--sheets", os.path.join(out, "s.txt"), csv])
    expect("--summary to a device: exit status", r.returncode, 1)
    expect("--summary to a device: the link", os.path.islink(sink) and os.readlink(sink), os.devnull)
    expect("--summary to a device: files", sorted(os.listdir(out)),
           ["a-directory.xlsx", "old.csv", "s.txt", "sink"])
    # The same through a link to a file: the file is rewritten, the link kept.
    target = os.path.join(d, "target.csv")
    with open(target, "w") as f:
        f.write("before\n")
    link = os.path.join(out, "link.csv")
    os.symlink(target, link)
    r = subprocess.run([tool, "--summary", link, csv])
    expect("--summary to a link: exit status", r.returncode, 1)
    expect("--summary to a link: the link", os.path.islink(link), True)
    with open(target, encoding="utf-8") as f:
        expect("--summary to a link: the file", f.readline(), "项目编号,项目名称,预算执行率(%),得分,等级,未完整指标\n")
    expect("--summary to a link: files", sorted(os.listdir(out)),
           ["a-directory.xlsx", "link.csv", "old.csv", "s.txt", "sink"])


def main():
    tool, csv = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "sheets.xlsx")
        rc = subprocess.run([tool, "--xlsx", out, csv]).returncode
        # P04 and P08 lack data: exit 1, the workbook written all the same.
        expect("exit status", rc, 1)
        expect("files left beside the workbook", sorted(os.listdir(d)), ["sheets.xlsx"])
        wb = openpyxl.load_workbook(out)
        expect("sheets", wb.sheetnames, ["汇总"] + sorted(WANT))
        summary = [list(r) for r in wb["汇总"].iter_rows(values_only=True)]
        expect("汇总 header", summary[0],
               ["项目编号", "项目名称", "预算执行率(%)", "得分", "等级", "未完整指标"])
        expect("汇总 P01", summary[1][:5], ["P01", "基层干部培训", 76, 96.05, "优"])
        expect("汇总 P04", summary[4][3:], [20, "差", "整治河段数(missing)"])
        rows = {pid: check_sheet(wb[pid], pid, want) if pid in wb.sheetnames else []
                for pid, want in WANT.items()}
        p1, p3, p4 = rows["P01"], rows["P03"], rows["P04"]
        expect("P01 rows", [r[:7] for r in p1], [
            ["产出指标", "数量指标", "培训人次", "≥500人次", "500人次", 20, 20],
            ["产出指标", "质量指标", "考核合格率", "≥95%", "90%", 20, 18.95],
            ["产出指标", "时效指标", "完成时限", "≤180天", "180天", 10, 10],
            ["效益指标", "社会效益指标", "带动受训人次", "≥1万人次", "12000人次", 20, 20],
            ["效益指标", "可持续影响指标", "培训长效机制", "有效提升", "达成", 10, 10],
            ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "85.5%", 10, 9.5]])
        expect("P01 偏差原因", p1[1][7] if len(p1) > 1 else None, "部分学员未参加补考,下年度增加补考场次")
        ws = wb["P01"]
        merged = {str(m) for m in ws.merged_cells.ranges}
        expect("P01 产出指标 merged over its three rows", "A9:A11" in merged, True)
        lines = [ws.cell(r, 1).value or "" for r in range(1, ws.max_row + 1)]
        expect("P01 deduction of 考核合格率",
               any(v.startswith("考核合格率 扣 1.05 分:") for v in lines), True)
        expect("P03 服务达标率", p3[1][4:7] if len(p3) > 1 else None, ["不适用", 20, "不适用"])
        expect("P04 整治河段数 (missing)", p4[0][4:7] if p4 else None, [None, 45, 0])
        check_sheet_names(tool, csv, d)
        check_failures(tool, csv, d)
    if failures:
        for f in failures:
            print("check-project-xlsx: " + f, file=sys.stderr)
        return 1
    print("check-project-xlsx: %d project sheets and the summary as expected" % len(WANT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
