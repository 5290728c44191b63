#!/usr/bin/python3
"""Reading a 绩效目标表 workbook (xlsx, with openpyxl) into the rows of the CSV
the library reads (docs/projects.md, "xlsx").

Two layouts:

- the national 项目支出绩效自评表, one project per sheet: the header block
  (项目名称, 项目编号, 主管部门, 实施单位: a label and the value in the cell to
  its right, or "项目名称：value" in one cell), the budget block (年初预算数,
  全年预算数, 全年执行数: as column headings with the figures on the 年度资金总额
  row below, or each label with its figure to the right), then the indicator
  table (a heading row with 一级指标, 二级指标, 三级指标, 分值, 年度指标值 or
  指标值, 实际完成值, optionally 偏差原因分析及改进措施; merged 一级/二级 cells
  are filled down; other columns, blank rows and a closing 总分/合计 row are
  skipped). Labels are found by their text, whatever their place, spaces,
  full-width brackets or a bracketed unit (预算执行情况（万元）);
- a flat table on the first sheet: its first row the CSV's headers.

Sheets that hold neither (a summary, notes) are skipped. Every bad layout
raises :class:`XlsxError` naming the file, sheet, row and column; each row
returned carries the cell each of its values came from, so the library's
errors on the values can name them too.

This file is also the program ``jx-xlsx2csv`` (scripts/jx-xlsx2csv links
to it and ``make install`` copies it), so it imports nothing but the
standard library and openpyxl.
"""
from __future__ import annotations

import csv
import io
import os
import re
import sys
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Tuple

#: The CSV's columns in the national form's order (``JX_PROJECT_*``).
COLUMNS = ["项目编号", "项目名称", "主管部门", "实施单位", "年初预算数", "全年预算数", "全年执行数",
           "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值",
           "偏差原因分析及改进措施"]

# Accepted labels, as _norm leaves them, per CSV column.
_HEAD = {0: ("项目编号", "项目编码", "项目代码"), 1: ("项目名称",),
         2: ("主管部门", "主管部门及代码", "主管单位", "预算部门"),
         3: ("实施单位", "项目实施单位", "执行单位")}
_BUDGET = {4: ("年初预算数",), 5: ("全年预算数", "调整后预算数"), 6: ("全年执行数", "实际执行数")}
_TABLE = {7: ("一级指标",), 8: ("二级指标",), 9: ("三级指标",), 10: ("分值", "指标分值", "权重"),
          11: ("年度指标值", "指标值", "年度目标值", "目标值"),
          12: ("实际完成值", "全年实际值", "实际值", "实际完成情况")}
_DEVIATION = "偏差原因"  # 偏差原因分析及改进措施 and its longer variants
_TOTAL_ROW = ("总分", "合计", "总计", "得分合计", "自评得分")
_BUDGET_ROW = ("年度资金总额", "资金总额", "合计")
_REQUIRED_TABLE = (7, 8, 9, 10, 11, 12)

Cell = Tuple[str, int, int]  # sheet, row, column (1-based)


class XlsxError(ValueError):
    """A workbook whose layout cannot be read: ``source`` (the file),
    ``sheet``, ``row`` and ``column`` (1-based; 0 when not known) and
    ``message``, what was expected."""

    def __init__(self, source: str, sheet: str, row: int, column: int, message: str) -> None:
        self.source, self.sheet, self.row, self.column = source, sheet, row, column
        self.message = message
        super().__init__("%s: %s: %s" % (source, where(sheet, row, column), message))


def column_letter(c: int) -> str:
    s = ""
    while c > 0:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def where(sheet: str, row: int, column: int) -> str:
    s = 'sheet "%s"' % sheet
    if row:
        s += ", row %d" % row
    if column:
        s += ", column %s" % column_letter(column)
    return s


_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")",
                            "：": ":", "\u3000": " "})


def _norm(v: Any) -> str:
    """A label as compared: no spaces, no bracketed part (（万元）, (A)), no
    trailing colon."""
    if not isinstance(v, str):
        return ""
    s = re.sub(r"\s+", "", v.translate(_FULLWIDTH))
    s = re.sub(r"\([^)]*\)", "", s)
    return s.rstrip(":")


def _number_text(v: Any) -> str:
    # repr is the shortest text that reads back as the same double: 85.5,
    # never 85.49999; Decimal keeps 1e-05 from turning into exponent form.
    d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    t = format(d, "f")
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    return t


def cell_text(c: Any) -> str:
    """A cell as the CSV has it: text as written; numbers without a spurious
    .0; a number formatted as a percent (90% typed into a spreadsheet is
    stored as 0.9) as that percent."""
    v = c.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        if "%" in (c.number_format or ""):
            return _number_text(Decimal(repr(v) if isinstance(v, float) else v) * 100) + "%"
        return _number_text(v)
    return str(v).strip()


def _numeric(c: Any) -> bool:
    v = c.value
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) or bool(
        isinstance(v, str) and re.fullmatch(r"\s*-?[\d,]+(\.\d+)?\s*", v))


class _Sheet:
    """A worksheet with its merged ranges: the value each cell shows, the
    cell to the right of a (possibly merged) label."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.title = ws.title
        self.max_row = ws.max_row
        self.max_col = ws.max_column
        self.merged: Dict[Tuple[int, int], Tuple[int, int, int, int]] = {}
        for m in ws.merged_cells.ranges:
            for r in range(m.min_row, m.max_row + 1):
                for c in range(m.min_col, m.max_col + 1):
                    self.merged[(r, c)] = (m.min_row, m.min_col, m.max_row, m.max_col)

    def last_row(self) -> int:
        """The last row with a value (max_row also counts styled blanks)."""
        for r in range(self.max_row, 0, -1):
            if any(self.ws.cell(r, c).value not in (None, "") for c in range(1, self.max_col + 1)):
                return r
        return 0

    def cell(self, r: int, c: int) -> Any:
        return self.ws.cell(r, c)

    def shown(self, r: int, c: int) -> Any:
        """The cell holding what (r, c) shows: the top left of its merged range."""
        m = self.merged.get((r, c))
        return self.ws.cell(m[0], m[1]) if m else self.ws.cell(r, c)

    def right_of(self, r: int, c: int) -> int:
        m = self.merged.get((r, c))
        return (m[3] if m else c) + 1

    def find(self, labels: Sequence[str], rows: range) -> Optional[Tuple[int, int]]:
        for r in rows:
            for c in range(1, self.max_col + 1):
                if (r, c) in self.merged and self.merged[(r, c)][:2] != (r, c):
                    continue
                if _norm(self.ws.cell(r, c).value) in labels:
                    return r, c
        return None


def _label_value(sh: _Sheet, labels: Sequence[str], rows: range) -> Optional[Tuple[str, int, int]]:
    """The value of a labelled field and its cell: to the right of the label,
    or after the colon of "项目名称：value" in the label's own cell."""
    at = sh.find(labels, rows)
    if at:
        r, c = at
        vc = sh.right_of(r, c)
        if vc > sh.max_col:
            return "", r, vc
        v = sh.shown(r, vc)
        text = cell_text(v)
        if any(_norm(text) in ls for ls in (*_HEAD.values(), *_BUDGET.values())):
            text = ""  # the next label: this one has no value
        return text, r, vc
    for r in rows:
        for c in range(1, sh.max_col + 1):
            v = sh.cell(r, c).value
            if isinstance(v, str):
                head, sep, tail = v.translate(_FULLWIDTH).partition(":")
                if sep and _norm(head) in labels:
                    return tail.strip(), r, c
    return None


def _table_header(sh: _Sheet, source: str) -> Optional[Tuple[int, Dict[int, int]]]:
    """The indicator table's heading row and its CSV column -> sheet column."""
    for r in range(1, sh.max_row + 1):
        found: Dict[int, int] = {}
        for c in range(1, sh.max_col + 1):
            n = _norm(sh.cell(r, c).value)
            k = next((k for k, ls in _TABLE.items() if n in ls), None)
            if k is None and n.startswith(_DEVIATION):
                k = 13
            if k is None:
                continue
            if k in found:
                raise XlsxError(source, sh.title, r, c, "the indicator table has two %s columns "
                                "(also column %s)" % (COLUMNS[k], column_letter(found[k])))
            found[k] = c
        if 7 in found and 8 in found and 9 in found:
            for k in _REQUIRED_TABLE:
                if k not in found:
                    raise XlsxError(source, sh.title, r, 0, "the indicator table has no column %s "
                                    "(expected one of: %s)" % (COLUMNS[k], ", ".join(_TABLE[k])))
            return r, found
    return None


def _budget(sh: _Sheet, source: str, rows: range, head: int) -> Dict[int, Tuple[str, int, int]]:
    """年初预算数, 全年预算数 and 全年执行数 with their cells."""
    labels = {k: sh.find(ls, rows) for k, ls in _BUDGET.items()}
    if labels[5] is None:
        raise XlsxError(source, sh.title, head, 0, "no budget block above the indicator table: "
                        "expected a cell 全年预算数 (and 全年执行数, 年初预算数)")
    r5, c5 = labels[5]
    inline = sh.right_of(r5, c5) <= sh.max_col and _numeric(sh.shown(r5, sh.right_of(r5, c5)))
    value_row = None
    if not inline:
        below = range(r5 + 1, rows.stop)
        at = sh.find(_BUDGET_ROW, below)
        value_row = at[0] if at else next(
            (r for r in below if cell_text(sh.shown(r, c5))), r5 + 1)
    out = {}
    for k, at in labels.items():
        if at is None:
            continue
        r, c = at
        if inline:
            vc = sh.right_of(r, c)
            out[k] = (cell_text(sh.shown(r, vc)), r, vc)
        else:
            out[k] = (cell_text(sh.shown(value_row, c)), value_row, c)
    if 6 not in out:
        raise XlsxError(source, sh.title, r5, 0, "the budget block has no 全年执行数")
    return out


def _form(sh: _Sheet, source: str, header: Tuple[int, Dict[int, int]]):
    """One project's rows from a sheet in the national form's layout."""
    head, cols = header
    above = range(1, head)
    fields: Dict[int, Tuple[str, int, int]] = {}
    for k, labels in _HEAD.items():
        got = _label_value(sh, labels, above)
        if got:
            fields[k] = got
    if not fields.get(1, ("",))[0]:
        at = fields.get(1)
        raise XlsxError(source, sh.title, at[1] if at else 1, at[2] if at else 0,
                        "expected the project's name: a cell 项目名称 with the name to its right "
                        "above the indicator table")
    fields.update(_budget(sh, source, above, head))
    rows: List[List[str]] = []
    cells: List[Dict[int, Cell]] = []
    for r in range(head + 1, sh.max_row + 1):
        if any(_norm(sh.shown(r, c).value) in _TOTAL_ROW for c in range(1, cols[9] + 1)):
            break  # the 总分 row closes the table
        own = {k: cell_text(sh.cell(r, c)) for k, c in cols.items()}
        if not any(own[k] for k in (9, 10, 11, 12, 13) if k in own):
            continue  # a blank row, or only the filled-down part of a merged 一级/二级
        row = [""] * len(COLUMNS)
        at: Dict[int, Cell] = {}
        for k, c in cols.items():
            # Merged 一级/二级 cells show the value of their top row.
            row[k] = cell_text(sh.shown(r, c)) if k in (7, 8) else own[k]
            at[k + 1] = (sh.title, r, c)
        # The project's cells on its first row, its id and name (which
        # identify the rows of a project) on every row.
        for k, (v, fr, fc) in fields.items():
            if not rows or k in (0, 1):
                row[k] = v
                at[k + 1] = (sh.title, fr, fc)
        rows.append(row)
        cells.append(at)
    if not rows:
        raise XlsxError(source, sh.title, head + 1, cols[9], "the indicator table has no indicator "
                        "rows (expected a 三级指标, its 分值, 年度指标值 and 实际完成值 on each row)")
    return rows, cells


def _flat(sh: _Sheet) -> Optional[Tuple[List[List[str]], List[Dict[int, Cell]]]]:
    """The first sheet as a flat table, if its first non-empty row is the
    CSV's header (项目名称 and 一级指标 among its cells)."""
    rows: List[List[str]] = []
    cells: List[Dict[int, Cell]] = []
    for r in range(1, sh.max_row + 1):
        vals = [cell_text(sh.cell(r, c)) for c in range(1, sh.max_col + 1)]
        if not any(vals):
            continue
        if not rows and not ("项目名称" in vals and "一级指标" in vals):
            return None
        rows.append(vals)
        cells.append({c: (sh.title, r, c) for c in range(1, sh.max_col + 1)})
    return (rows, cells) if rows else None


class Table:
    """The CSV rows read from a workbook (the header first) and, per row,
    ``{CSV column (1-based): (sheet, row, column)}``."""

    def __init__(self, source: str, rows: List[List[str]], cells: List[Dict[int, Cell]]) -> None:
        self.source, self.rows, self.cells = source, rows, cells

    def csv(self) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(self.rows)
        return out.getvalue()

    def cell(self, line: int, column: int) -> Optional[Cell]:
        """Where line ``line`` (1-based, the header being 1) and CSV column
        ``column`` of the CSV came from; column 0: the row's first cell."""
        if not 1 <= line <= len(self.cells):
            return None
        at = self.cells[line - 1]
        if column in at:
            return at[column]
        first = min(at.values(), key=lambda x: (x[1], x[2]), default=None)
        return (first[0], first[1], 0) if first else None


def read_workbook(path: str) -> Table:
    """Every project of a workbook as CSV rows (see the module's text)."""
    try:
        import openpyxl  # Debian python3-openpyxl
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise ImportError("reading xlsx needs openpyxl (apt-get install python3-openpyxl)") from exc
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        sheets = [_Sheet(ws) for ws in wb.worksheets]
        flat = _flat(sheets[0]) if sheets else None
        if flat:
            return Table(path, *flat)
        rows: List[List[str]] = [list(COLUMNS)]
        cells: List[Dict[int, Cell]] = [{}]
        seen: Dict[str, str] = {}
        for sh in sheets:
            header = _table_header(sh, path)
            if header is None:
                if sh.find(_BUDGET[5], range(1, sh.max_row + 1)):
                    raise XlsxError(path, sh.title, sh.last_row() + 1, 1, "expected the indicator "
                                    "table: a row with the headings 一级指标, 二级指标, 三级指标, "
                                    "分值, 年度指标值, 实际完成值 below the budget block")
                continue  # a summary, notes: not a project's form
            prow, pcells = _form(sh, path, header)
            key = prow[0][0] or prow[0][1]
            if key in seen:
                _, r, c = pcells[0][1 if prow[0][0] else 2]
                raise XlsxError(path, sh.title, r, c, 'project "%s" is also on sheet "%s": '
                                "one project per sheet" % (key, seen[key]))
            seen[key] = sh.title
            rows += prow
            cells += pcells
        if len(rows) == 1:
            title = sheets[0].title if sheets else ""
            raise XlsxError(path, title, 0, 0, "no sheet is a 项目支出绩效自评表 (the budget block "
                            "and a table headed 一级指标, 二级指标, 三级指标, ...) and the first "
                            "sheet is not a table headed 项目名称, 一级指标, ... (docs/projects.md)")
        return Table(path, rows, cells)
    finally:
        wb.close()


def main(argv: Optional[List[str]] = None) -> int:
    """jx-xlsx2csv WORKBOOK.xlsx [-o OUT.csv]: the CSV jx-project reads."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or len(args) not in (1, 3) or \
            (len(args) == 3 and args[1] != "-o"):
        print("usage: jx-xlsx2csv WORKBOOK.xlsx [-o OUT.csv]\n"
              "Convert a workbook of 项目支出绩效自评表 sheets (one project per sheet) or a\n"
              "flat 绩效目标表 to the CSV examples/jx-project reads (docs/projects.md).\n"
              "Without -o the CSV goes to standard output.",
              file=sys.stdout if args[:1] in (["-h"], ["--help"]) else sys.stderr)
        return 0 if args[:1] in (["-h"], ["--help"]) else 2
    try:
        text = read_workbook(args[0]).csv()
    except (XlsxError, OSError, ImportError) as e:
        print("jx-xlsx2csv: %s" % e, file=sys.stderr)
        return 2
    except Exception as e:  # openpyxl's own errors on a file that is not xlsx
        print("jx-xlsx2csv: %s: cannot read the workbook: %s" % (args[0], e), file=sys.stderr)
        return 2
    if len(args) == 1:
        sys.stdout.write(text)
        return 0
    tmp = "%s.%d.tmp" % (args[2], os.getpid())
    try:
        with open(tmp, "x", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, args[2])
    except OSError as e:
        print("jx-xlsx2csv: %s: %s" % (args[2], e), file=sys.stderr)
        if os.path.exists(tmp):
            os.remove(tmp)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
