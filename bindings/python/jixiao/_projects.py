"""Project self-evaluation sheets (项目支出绩效自评表): ``score_projects``.

Reads a 绩效目标表 — one row per indicator — from a CSV file, an xlsx workbook
(project sheets in the national form's layout or a flat table, read by
``_xlsx`` with openpyxl, which must be installed: Debian ``python3-openpyxl``)
or rows given in Python, scores every project with the library's
``jx_projects_*`` functions (docs/projects.md) and returns one dict per
project. The prototypes of those functions are declared here.
"""
from __future__ import annotations

import csv
import io
import os
import re
import ctypes
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_size_t, c_uint, c_void_p
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _native, _xlsx
from ._convert import _load_flags
from ._errors import EIO, ESYNTAX, InputError, error_struct, raise_from_struct

__all__ = ["score_projects", "COLUMNS"]

# A handle of our own on the same library, so these prototypes never touch
# the ones _native declares for the rest of the binding.
_lib = ctypes.CDLL(_native.library_path)
_E = POINTER(_native.JxError)
_PROTOTYPES = {
    "jx_projects_read_buffer": (c_void_p, [c_char_p, c_size_t, c_char_p, c_char_p, c_uint, _E]),
    "jx_projects_free": (None, [c_void_p]),
    "jx_projects_count": (c_size_t, [c_void_p]),
    "jx_projects_profile": (c_char_p, [c_void_p]),
    "jx_projects_profile_version": (c_char_p, [c_void_p]),
    "jx_projects_field": (c_char_p, [c_void_p, c_size_t, c_int]),
    "jx_projects_row_count": (c_size_t, [c_void_p, c_size_t]),
    "jx_projects_row_text": (c_char_p, [c_void_p, c_size_t, c_size_t, c_int]),
    "jx_projects_row_indicator": (c_size_t, [c_void_p, c_size_t, c_size_t]),
    "jx_projects_scheme": (c_void_p, [c_void_p, c_size_t]),
    "jx_projects_score": (c_int, [c_void_p, c_uint, _E]),
    "jx_projects_result": (c_void_p, [c_void_p, c_size_t]),
    "jx_scheme_indicator_count": (c_size_t, [c_void_p]),
    "jx_scheme_indicator_max": (c_double, [c_void_p, c_size_t]),
    "jx_scheme_indicator_name": (c_char_p, [c_void_p, c_size_t]),
    "jx_scheme_indicator_is_leaf": (c_int, [c_void_p, c_size_t]),
    "jx_result_total": (c_double, [c_void_p]),
    "jx_result_grade": (c_char_p, [c_void_p]),
    "jx_result_complete": (c_int, [c_void_p]),
    "jx_result_status": (c_int, [c_void_p, c_size_t]),
    "jx_result_score": (c_double, [c_void_p, c_size_t]),
    "jx_result_value": (c_double, [c_void_p, c_size_t]),
    "jx_result_reason": (c_char_p, [c_void_p, c_size_t]),
}
_fn: Dict[str, Any] = {}
for _name, (_res, _args) in _PROTOTYPES.items():
    _f = getattr(_lib, _name, None)
    if _f is not None:
        _f.restype = _res
        _f.argtypes = _args
        _fn[_name] = _f

#: The column headers of the input, in the national form's order
#: (``JX_PROJECT_*`` in include/jixiao.h).
COLUMNS = _xlsx.COLUMNS
_STATUS = ["scored", "missing", "not_applicable", "undefined"]

Rows = Iterable[Union[Dict[str, Any], Sequence[Any]]]


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _rows_to_csv(rows: Rows) -> str:
    """Dicts (header → value) or sequences with the header first, as CSV."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return ""
    if isinstance(first, dict):
        header = list(first.keys())
        w.writerow(header)
        for r in [first, *it]:
            w.writerow([_cell(r.get(h)) for h in header])
    else:
        w.writerow([_cell(v) for v in first])
        for r in it:
            w.writerow([_cell(v) for v in r])
    return out.getvalue()


def _read_xlsx(path: str) -> "_xlsx.Table":
    try:
        return _xlsx.read_workbook(path)
    except _xlsx.XlsxError as e:
        err = InputError(ESYNTAX, "%s: %s" % (_xlsx.where(e.sheet, e.row, e.column), e.message),
                         line=e.row, column=e.column, source=path)
        err.sheet = e.sheet
        raise err from None
    except (ImportError, OSError):
        raise
    except Exception as e:  # openpyxl's errors on a file that is not a workbook
        raise InputError(EIO, "cannot read the workbook: %s" % e, source=path) from None


# The CSV column a reader error names, in English and in Chinese (lang="zh"):
# "project P, column 12 (年度指标值): what" / "项目 P,第 12 列(年度指标值):what".
_CSV_COLUMN_EN = re.compile(r"(project .*?, )?column \d+ \(([^)]*)\): (.*)$", re.S)
_CSV_COLUMN_ZH = re.compile(r"(项目 .*?,)?第 \d+ 列\(([^)]*)\):(.*)$", re.S)


def _in_workbook(e: InputError, table: "_xlsx.Table") -> InputError:
    """The library's error on the CSV made from a workbook, naming the
    workbook's sheet, row and column instead of the CSV's line."""
    at = table.cell(e.line, e.column)
    if at is None:
        return e
    sheet, row, col = at
    what = e.message
    prefix = "%s:%d: " % (table.source, e.line)
    if what.startswith(prefix):
        what = what[len(prefix):]
    m = _CSV_COLUMN_EN.match(what) or _CSV_COLUMN_ZH.match(what)
    name = ""
    if m:
        name, what = " (%s)" % m.group(2), (m.group(1) or "") + m.group(3)
    out = InputError(e.code, "%s%s: %s" % (_xlsx.where(sheet, row, col), name, what),
                     line=row, column=col, source=table.source)
    out.sheet = sheet
    return out


def _text(b: Optional[bytes]) -> str:
    return b.decode("utf-8") if b else ""


def score_projects(path_or_rows: Union[str, "os.PathLike[str]", Rows],
                   profile: Optional[str] = None, *,
                   lang: Optional[str] = None) -> List[Dict[str, Any]]:
    """Score every project of a 绩效目标表.

    ``path_or_rows`` is a ``.csv`` or ``.xlsx`` path, or rows (dicts keyed by
    the headers of :data:`COLUMNS`, or sequences with the header row first).
    ``profile`` is a rule profile path (default: the built-in
    mof-2020-project). Returns, per project in file order, a dict with
    ``id``, ``name``, ``department``, ``agency``, ``rate`` (预算执行率 in %,
    None when missing), ``budget_score``, ``total``, ``grade``, ``complete``,
    ``incomplete`` (names of missing or undefined indicators) and
    ``indicators`` (each row: ``level1``, ``level2``, ``level3``, ``target``,
    ``actual``, ``weight``, ``score``, ``status``, ``reason``,
    ``deviation``). A bad cell raises :class:`InputError` with ``source``,
    ``line`` and ``column``; for a workbook ``line`` and ``column`` are the
    cell's row and column (1-based), ``sheet`` names its sheet and the
    message says all three (``sheet "P01", row 12, column F (实际完成值): ...``).
    ``lang="zh"`` gives the reader's error messages in Chinese.
    """
    if "jx_projects_read_buffer" not in _fn:
        raise InputError(-21, "the loaded libjixiao has no jx_projects_* (it is older than 1.1)")
    flags = _load_flags(lang, InputError)
    table = None
    if isinstance(path_or_rows, (str, os.PathLike)):
        path = os.fspath(path_or_rows)
        if path.lower().endswith((".xlsx", ".xlsm")):
            table = _read_xlsx(path)
            data = table.csv().encode("utf-8")
        else:
            with open(path, "rb") as f:
                data = f.read()
        source = path
    else:
        data = _rows_to_csv(path_or_rows).encode("utf-8")
        source = "<rows>"
    err = error_struct()
    ps = _fn["jx_projects_read_buffer"](data, len(data), source.encode("utf-8"),
                                        profile.encode("utf-8") if profile else None,
                                        flags, byref(err))
    if not ps:
        e = raise_from_struct(InputError, err, source)
        raise _in_workbook(e, table) if table else e
    try:
        if _fn["jx_projects_score"](ps, 0, byref(err)) < 0:
            raise raise_from_struct(InputError, err, source)
        out = []
        for k in range(_fn["jx_projects_count"](ps)):
            out.append(_project(ps, k))
        return out
    finally:
        _fn["jx_projects_free"](ps)


def _project(ps: int, k: int) -> Dict[str, Any]:
    f = _fn
    s = f["jx_projects_scheme"](ps, k)
    r = f["jx_projects_result"](ps, k)
    field = [_text(f["jx_projects_field"](ps, k, c)) for c in range(7)]
    inds = []
    for j in range(f["jx_projects_row_count"](ps, k)):
        i = f["jx_projects_row_indicator"](ps, k, j)
        row = [_text(f["jx_projects_row_text"](ps, k, j, c)) for c in range(14)]
        inds.append({
            "level1": row[7], "level2": row[8], "level3": row[9], "target": row[11],
            "actual": row[12], "weight": f["jx_scheme_indicator_max"](s, i),
            "score": f["jx_result_score"](r, i),
            "status": _STATUS[f["jx_result_status"](r, i)],
            "reason": _text(f["jx_result_reason"](r, i)), "deviation": row[13],
        })
    incomplete = [_text(f["jx_scheme_indicator_name"](s, i))
                  for i in range(f["jx_scheme_indicator_count"](s))
                  if f["jx_scheme_indicator_is_leaf"](s, i)
                  and f["jx_result_status"](r, i) in (1, 3)]
    return {
        "id": field[0] or field[1], "name": field[1], "department": field[2],
        "agency": field[3],
        "rate": f["jx_result_value"](r, 0) if f["jx_result_status"](r, 0) == 0 else None,
        "budget_score": f["jx_result_score"](r, 0),
        "total": f["jx_result_total"](r), "grade": _text(f["jx_result_grade"](r)),
        "complete": bool(f["jx_result_complete"](r)), "incomplete": incomplete,
        "indicators": inds,
    }
