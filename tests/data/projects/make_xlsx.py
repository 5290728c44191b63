#!/usr/bin/env python3
"""Write the xlsx fixtures of the project reader (docs/projects.md, "xlsx"):

- form-merged.xlsx: the national 项目支出绩效自评表 layout, one project per
  sheet after a cover sheet: 项目名称 without a 项目编号, the budget block as
  column headings with its 年度资金总额 and 其中 rows, 年度总体目标, the
  indicator table right of a merged 绩效指标 column with 一级/二级 merged over
  their rows, a percent typed into a cell (stored as 0.8 with a % format),
  a 总分 row;
- form-repeated.xlsx: a municipal variant: "项目名称：" and 项目编码,
  主管部门及代码, 项目实施单位, the budget block as label/figure pairs under
  预算执行情况（万元） with full-width brackets (全年预算数（A）), 年度绩效目标,
  a table headed 指标值/全年实际值 with 序号, 指标方向 and 备注 columns,
  一级/二级 repeated on every row, blank spacer rows, a 合计 row; one sheet
  with 不适用 and qualitative indicators.

The hand-computed scores are in bindings/python/tests/test_projects.py.

    tests/data/projects/make_xlsx.py [DIR]     # default: this directory
"""
import os
import sys

import openpyxl
from openpyxl.styles import Alignment, Font

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def put(ws, ref, value, merge=None, fmt=None):
    ws[ref] = value
    if isinstance(value, str) and value.startswith("="):
        ws[ref].data_type = "s"  # "=2%" is a target as written, not a formula
    if fmt:
        ws[ref].number_format = fmt
    if merge:
        ws.merge_cells("%s:%s" % (ref, merge))
    ws[ref].alignment = CENTER


# ---- form-merged.xlsx ------------------------------------------------------

MERGED = [
    {"name": "乡村道路养护", "dept": "县交通运输局", "agency": "县公路养护中心",
     "budget": (80, 80, 72),
     "goal": ("完成县乡道日常养护", "完成养护里程126公里"),
     "rows": [("产出指标", "数量指标", "养护里程", "≥120公里", "126公里", 30, None),
              ("产出指标", "质量指标", "路面优良率", "≥85%", (0.8, "0%"), 20,
               "部分路段重车碾压，下年度加强超限治理"),
              ("产出指标", "时效指标", "养护完成时间", "≤300天", "280天", 10, None),
              ("效益指标", "社会效益指标", "群众出行便利度", "明显改善", "部分达成(60%)", 20, None),
              ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "92%", 10, None)]},
    {"name": "农村饮水安全巩固", "dept": "县水利局", "agency": "县农村供水站",
     "budget": (150, 160, 160),
     "goal": ("巩固提升农村供水保障水平", "完成8处供水工程改造"),
     "rows": [("产出指标", "数量指标", "改造供水工程", "≥8处", "8处", 25, None),
              ("产出指标", "成本指标", "单处改造成本", "≤20万元", "25万元", 20, "管材价格上涨"),
              ("效益指标", "社会效益指标", "受益人口", "≥3万人", "24000人", 20, None),
              ("效益指标", "可持续影响指标", "工程长效管护", "有效提升", "未达成", 15,
               "管护制度尚未建立"),
              ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "不适用", 10,
               "本年度未开展满意度调查")]},
]


def merged_sheet(wb, p):
    ws = wb.create_sheet(p["name"])
    put(ws, "A1", "项目支出绩效自评表", "J1")
    ws["A1"].font = Font(bold=True, size=16)
    put(ws, "A2", "（2025年度）", "J2")
    put(ws, "A3", "项目名称", "B3")
    put(ws, "C3", p["name"], "J3")
    put(ws, "A4", "主管部门", "B4")
    put(ws, "C4", p["dept"], "E4")
    put(ws, "F4", "实施单位", "G4")
    put(ws, "H4", p["agency"], "J4")
    put(ws, "A5", "项目资金（万元）", "B9")
    for col, head in zip("DEFGHI", ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        put(ws, col + "5", head)
    initial, budget, spent = p["budget"]
    put(ws, "C6", "年度资金总额")
    put(ws, "D6", initial)
    put(ws, "E6", budget)
    put(ws, "F6", spent)
    put(ws, "G6", 10)
    put(ws, "H6", spent / budget, fmt="0.00%")
    for r, (label, share) in enumerate([("其中：当年财政拨款", 1), ("上年结转资金", 0), ("其他资金", 0)], 7):
        put(ws, "C%d" % r, label)
        put(ws, "D%d" % r, initial * share)
        put(ws, "E%d" % r, budget * share)
        put(ws, "F%d" % r, spent * share)
        put(ws, "G%d" % r, "—")
    put(ws, "A10", "年度总体目标", "A11")
    put(ws, "B10", "预期目标", "F10")
    put(ws, "G10", "实际完成情况", "J10")
    put(ws, "B11", p["goal"][0], "F11")
    put(ws, "G11", p["goal"][1], "J11")
    for col, head in zip("BCDEFGH", ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                                    "分值", "得分"]):
        put(ws, col + "12", head)
    put(ws, "I12", "偏差原因分析及改进措施", "J12")
    rows = p["rows"]
    top = 13
    for j, (l1, l2, l3, target, actual, weight, why) in enumerate(rows):
        r = top + j
        for col, level, depth in (("B", l1, 1), ("C", l2, 2)):
            key = [x[:depth] for x in rows]
            if j and key[j - 1] == key[j]:
                continue  # inside the merged cell above
            end = j
            while end + 1 < len(rows) and key[end + 1] == key[j]:
                end += 1
            put(ws, "%s%d" % (col, r), level, "%s%d" % (col, top + end) if end > j else None)
        put(ws, "D%d" % r, l3)
        put(ws, "E%d" % r, target)
        if isinstance(actual, tuple):
            put(ws, "F%d" % r, actual[0], fmt=actual[1])
        else:
            put(ws, "F%d" % r, actual)
        put(ws, "G%d" % r, weight)
        put(ws, "I%d" % r, why, "J%d" % r)
    end = top + len(rows) - 1
    put(ws, "A12", "绩效指标", "A%d" % end)
    put(ws, "A%d" % (end + 1), "总分", "F%d" % (end + 1))
    put(ws, "G%d" % (end + 1), 100)
    put(ws, "I%d" % (end + 1), None, "J%d" % (end + 1))


def form_merged(path):
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "封面"
    cover["A1"] = "2025年度项目支出绩效自评表"
    cover["A3"] = "填报单位：县财政局汇总"
    for p in MERGED:
        merged_sheet(wb, p)
    wb.save(path)


# ---- form-repeated.xlsx ------------------------------------------------------

REPEATED = [
    {"id": "B01", "name": "城区绿化提升", "dept": "区园林局 301", "agency": "区绿化养护所",
     "budget": (200, 250, 200), "goal": "新增绿地5万平方米，绿化覆盖率提高2个百分点",
     "rows": [("产出指标", "数量指标", "新增绿地面积", "正向", "≥5万平方米", "60000平方米", 30, None),
              ("产出指标", "质量指标", "苗木成活率", "正向", "≥95%", "95%", 20, None),
              None,
              ("产出指标", "成本指标", "每平方米养护成本", "反向", "≤12元", "12元", 10, None),
              ("效益指标", "生态效益指标", "绿化覆盖率提升", "正向", "=2%", "1.5%", 20,
               "部分地块征收延后，已列入下年度计划"),
              ("满意度指标", "服务对象满意度指标", "市民满意度", "正向", "≥85%", "88%", 10, None)]},
    {"id": "B02", "name": "社区文化活动", "dept": "区文旅局 305", "agency": "区文化馆",
     "budget": (40, 40, 38), "goal": "全年举办社区文化活动24场",
     "rows": [("产出指标", "数量指标", "举办活动场次", "正向", "≥24场", "20场", 30, "两场活动因天气取消"),
              ("产出指标", "时效指标", "活动按期完成率", "正向", "≥100%", "90%", 10, None),
              None,
              ("效益指标", "社会效益指标", "群众参与度", "正向", "逐步提高", "达成", 20, None),
              ("效益指标", "可持续影响指标", "文化阵地长效运行", "正向", "持续发挥作用", "不适用", 20,
               "阵地改造下年度实施"),
              ("满意度指标", "服务对象满意度指标", "参与群众满意度", "正向", "≥90%", (0.81, "0%"), 10,
               "活动形式较单一")]},
]


def repeated_sheet(wb, p):
    ws = wb.create_sheet(p["name"])
    ws["A1"] = "区级项目支出绩效自评表"
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = "项目名称：", p["name"], "项目编码", p["id"]
    ws["A4"], ws["B4"], ws["C4"], ws["D4"] = "主管部门及代码", p["dept"], "项目实施单位", p["agency"]
    initial, budget, spent = p["budget"]
    for col, value in zip("ABCDEFGHI", ["预算执行情况（万元）", "年初预算数", initial, "全年预算数（A）",
                                        budget, "全年执行数（B）", spent, "执行率（B/A）", None]):
        ws[col + "5"] = value
    ws["I5"] = spent / budget
    ws["I5"].number_format = "0.0%"
    ws["A7"], ws["B7"] = "年度绩效目标", p["goal"]
    for col, head in zip("ABCDEFGHIJK", ["序号", "一级指标", "二级指标", "三级指标", "指标方向", "指标值",
                                         "全年实际值", "分值", "得分", "偏差原因分析及改进措施（简要说明）",
                                         "备注"]):
        ws[col + "9"] = head
    r, n = 10, 0
    for row in p["rows"]:
        if row is None:
            r += 1  # a blank spacer row
            continue
        n += 1
        l1, l2, l3, direction, target, actual, weight, why = row
        ws["A%d" % r], ws["B%d" % r], ws["C%d" % r], ws["D%d" % r] = n, l1, l2, l3
        ws["E%d" % r], ws["F%d" % r], ws["H%d" % r] = direction, target, weight
        if target.startswith("="):
            ws["F%d" % r].data_type = "s"
        if isinstance(actual, tuple):
            ws["G%d" % r] = actual[0]
            ws["G%d" % r].number_format = actual[1]
        else:
            ws["G%d" % r] = actual
        ws["J%d" % r] = why
        ws["K%d" % r] = "年中调整" if n == 2 else None
        r += 1
    ws["A%d" % r], ws["H%d" % r] = "合计", 90
    ws["A%d" % (r + 2)] = "填表人：张三    联系电话：12345678"


def form_repeated(path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for p in REPEATED:
        repeated_sheet(wb, p)
    wb.save(path)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    form_merged(os.path.join(out, "form-merged.xlsx"))
    form_repeated(os.path.join(out, "form-repeated.xlsx"))


if __name__ == "__main__":
    main()
