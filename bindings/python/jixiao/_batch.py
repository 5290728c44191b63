"""Scoring many entities from columns (see :meth:`Scheme.score_batch`).

With the library's batch API (``jx_batch_score``, ``jx_batch_score_threads``)
the columns go to C in one call. Any C-contiguous float64 buffer goes without
a copy: ``array.array('d')``, a writable ``memoryview`` of doubles, a numpy
array (read through ``__array_interface__``, so numpy need not even be
imported here) or a pandas float64 Series. Other columns are converted once:
numeric numpy arrays with numpy, lists and object columns cell by cell (level
names, and bools as True/False, "true"/"false", "是"/"否", "1"/"0"). A library without it is served by a loop over one
reused ``jx_input`` (the same results, at the speed of ctypes calls).
"""
from __future__ import annotations

import ctypes
import os
from array import array
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Tuple

from . import _native
from ._errors import (EARG, ELEVEL, ENOMEM, ENOTFOUND, ETYPE, EVALUE, InputError, ScoreError,
                      error_struct, raise_from_struct)
from ._input import _set_not_applicable, _set_one

if TYPE_CHECKING:  # pragma: no cover
    from ._scheme import Metric, Scheme

__all__ = ["BatchResult", "score_batch"]

_lib = _native.lib
_NAN = float("nan")


class _Columns(Mapping):
    """``{indicator id: column}`` read lazily out of a row-major matrix."""

    __slots__ = ("_matrix", "_ids", "_pos", "_typecode", "_cache")

    def __init__(self, matrix: array, ids: Tuple[str, ...]) -> None:
        self._matrix = matrix
        self._ids = ids
        self._pos = {i: k for k, i in enumerate(ids)}
        self._cache: Dict[str, array] = {}

    def __getitem__(self, ind: str) -> array:
        col = self._cache.get(ind)
        if col is None:
            i = self._pos[ind]
            col = array(self._matrix.typecode, memoryview(self._matrix)[i::len(self._ids)])
            self._cache[ind] = col
        return col

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class BatchResult:
    """Columns of results: one entry per entity, in input order.

    Attributes:
        n: the number of entities.
        indicator_ids: the scheme's indicator ids, in document order.
        total: ``array('d')`` of totals.
        grade_index: ``array('i')``: index into ``scheme.grades``, -1 for none.
        complete: ``array('B')``: 1 when every applicable leaf was scored.
        scores: ``{indicator id: array('d')}``, every indicator's scores.
        status: ``{indicator id: array('B')}``: 0 scored, 1 missing,
            2 not applicable, 3 undefined.
        scores_matrix, status_matrix: the same, row-major (entity k,
            indicator i at ``[k * len(indicator_ids) + i]``).
        (``scores`` / ``status`` are empty and the matrices None when
        ``score_batch`` was told ``scores=False`` / ``statuses=False``.)
        grade: grade labels ("" for none).
        ids: the entities' ids from the file's id column (``Scheme.score_csv``),
            else None.
    """

    __slots__ = ("n", "indicator_ids", "total", "grade_index", "complete", "scores_matrix",
                 "status_matrix", "scores", "status", "_labels", "_grade", "ids")

    def __init__(self, n: int, ids: Tuple[str, ...], labels: Tuple[str, ...],
                 scores: bool = True, statuses: bool = True) -> None:
        ni = len(ids)
        self.n = n
        self.indicator_ids = ids
        self.total = array("d", [0.0]) * n
        self.grade_index = array("i", [0]) * n
        self.complete = array("B", [0]) * n
        self.scores_matrix = array("d", [0.0]) * (n * ni) if scores else None
        self.status_matrix = array("B", [0]) * (n * ni) if statuses else None
        self.scores = _Columns(self.scores_matrix, ids) if scores else {}
        self.status = _Columns(self.status_matrix, ids) if statuses else {}
        self._labels = labels
        self._grade: Optional[List[str]] = None
        #: the entities' ids, when they came with them (Scheme.score_csv), else None
        self.ids: Optional[List[str]] = None

    @property
    def grade(self) -> List[str]:
        if self._grade is None:
            lab = self._labels
            self._grade = [lab[g] if 0 <= g < len(lab) else "" for g in self.grade_index]
        return self._grade

    @classmethod
    def empty(cls, scheme: "Scheme", n: int, *, scores: bool = True,
              statuses: bool = True) -> "BatchResult":
        """Output columns for ``n`` entities of ``scheme``, to pass as
        ``score_batch(..., out=...)`` again and again without allocating."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InputError(EARG, "n must be an int >= 0, not %r" % (n,))
        return cls(n, tuple(i.id for i in scheme.indicators),
                   tuple(g.label for g in scheme.grades), scores, statuses)

    @classmethod
    def _of_columns(cls, scheme: "Scheme", n: int, scores: array, status: Optional[array],
                    total: array, grade_index: array, complete: array) -> "BatchResult":
        """A result around columns already filled (Scheme.score_csv)."""
        b = cls(0, tuple(i.id for i in scheme.indicators),
                tuple(g.label for g in scheme.grades), True, status is not None)
        b.n = n
        b.total, b.grade_index, b.complete = total, grade_index, complete
        b.scores_matrix, b.status_matrix = scores, status
        b.scores = _Columns(scores, b.indicator_ids)
        b.status = _Columns(status, b.indicator_ids) if status is not None else {}
        return b

    def __len__(self) -> int:
        return self.n

    def row(self, k: int) -> Dict[str, Any]:
        """Entity ``k``: total, grade, grade_index, complete, scores, status."""
        ni = len(self.indicator_ids)
        if not -self.n <= k < self.n:
            raise IndexError(k)
        k %= max(self.n, 1)
        g = self.grade_index[k]
        sm, st = self.scores_matrix, self.status_matrix
        return {"total": self.total[k],
                "grade": self._labels[g] if 0 <= g < len(self._labels) else "",
                "grade_index": g, "complete": bool(self.complete[k]),
                "scores": {} if sm is None else
                dict(zip(self.indicator_ids, sm[k * ni:(k + 1) * ni])),
                "status": {} if st is None else
                dict(zip(self.indicator_ids, st[k * ni:(k + 1) * ni]))}

    def __repr__(self) -> str:
        return "<jixiao.BatchResult: %d entities x %d indicators>" % (
            self.n, len(self.indicator_ids))


# ---- Columns in -------------------------------------------------------------------

def _length(what: str, col: object, path: str, allow_bytes: bool = False) -> int:
    if (isinstance(col, (str, Mapping)) or (isinstance(col, bytes) and not allow_bytes)
            or not hasattr(col, "__len__")):
        raise InputError(ETYPE, "%s must be a list or an array, not %s"
                         % (what, type(col).__name__), path=path)
    return len(col)  # type: ignore[arg-type]


_BOOL_WORDS = {"true": 1.0, "false": 0.0, "是": 1.0, "否": 0.0, "1": 1.0, "0": 0.0}


def _slow_column(m: "Metric", col: Sequence, path: str) -> array:
    """Cell by cell: None and NaN missing, bools 1/0, level names to indices."""
    out = array("d", [_NAN]) * len(col)
    levels = {lv: float(i) for i, lv in enumerate(m.levels)}
    for k, v in enumerate(col):
        if v is None:
            continue
        if isinstance(v, (str, bytes)) and m.type == "bool":
            word = v.decode("utf-8", "replace") if isinstance(v, bytes) else v
            b = _BOOL_WORDS.get(word.strip().lower())
            if b is None:
                raise InputError(EVALUE, "entity %d: %s is a bool metric: %r is not "
                                 "true/false/是/否/1/0" % (k, m.name, v), path=path)
            out[k] = b
            continue
        if isinstance(v, (str, bytes)):
            if m.type != "level":
                raise InputError(ETYPE, "entity %d: %s is a %s metric, not a level: %r"
                                 % (k, m.name, m.type, v), path=path)
            name = v.decode("utf-8", "replace") if isinstance(v, bytes) else v
            if name not in levels:
                raise InputError(ELEVEL, "entity %d: %s has no level %r; its levels are %s"
                                 % (k, m.name, name, ", ".join(m.levels)), path=path)
            out[k] = levels[name]
            continue
        try:
            out[k] = float(v)
        except (TypeError, ValueError, OverflowError):
            raise InputError(ETYPE, "entity %d: %s: %r is not a value (a number, a bool, a "
                             "level name or None)" % (k, m.name, v), path=path) from None
    return out


class _Col:
    """A column handed to C: its address and what keeps the memory alive."""

    __slots__ = ("address", "keep")

    def __init__(self, address: int, keep: object) -> None:
        self.address = address
        self.keep = keep


def _float64_view(col: object, n: int) -> Optional[_Col]:
    """The column's memory when it is n C-contiguous float64 values, else None."""
    if isinstance(col, array):
        return _Col(col.buffer_info()[0], memoryview(col)) if col.typecode == "d" else None
    to_numpy = getattr(col, "to_numpy", None)  # a pandas Series: its values, no copy
    if to_numpy is not None and str(getattr(col, "dtype", "")) == "float64":
        col = to_numpy()
    ai = getattr(col, "__array_interface__", None)
    if isinstance(ai, dict):
        if (ai.get("typestr") == "<f8" and len(ai.get("shape", ())) == 1
                and ai.get("strides") in (None, (8,)) and ai.get("data")):
            return _Col(int(ai["data"][0]), col)
        return None
    if isinstance(col, memoryview):
        if col.format != "d" or col.ndim != 1 or not col.c_contiguous:
            return None
        if col.readonly:  # ctypes cannot take the address of a read-only buffer
            return None
        return _Col(ctypes.addressof((ctypes.c_double * n).from_buffer(col)), col)
    return None


def _numpy_column(m: "Metric", col: object) -> Optional[array]:
    """A numeric numpy (or pandas) column of another dtype, converted by numpy."""
    kind = getattr(getattr(col, "dtype", None), "kind", None)
    if kind not in ("b", "i", "u", "f") or m.type == "level" and kind == "b":
        return None
    import numpy  # only reached for numpy/pandas objects
    a = numpy.ascontiguousarray(col, dtype=numpy.float64)
    return a  # type: ignore[return-value]


def _metric_column(m: "Metric", col: object, n: int) -> Optional[_Col]:
    path = "metrics." + m.name
    if col is None:
        return None
    if _length("column " + m.name, col, path) != n:
        raise InputError(EARG, "column %s has %d entries, expected %d" % (m.name, len(col), n),
                         path=path)
    v = _float64_view(col, n)
    if v is not None:
        return v  # no copy
    conv = _numpy_column(m, col)
    if conv is not None:
        return _float64_view(conv, n)
    if isinstance(col, memoryview) and col.format == "d":
        a = array("d", col.cast("B").cast("d") if not col.c_contiguous else col)
        return _float64_view(a, n)
    if hasattr(col, "tolist") and not isinstance(col, array):
        col = col.tolist()  # numpy object / string columns
    return _float64_view(_metric_array(m, col, path), n)


def _metric_array(m: "Metric", col: object, path: str) -> array:
    if m.type != "level":
        try:
            return array("d", col)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            pass
    return _slow_column(m, col, path)  # type: ignore[arg-type]


def _na_column(ind: str, col: object, n: int) -> bytes:
    path = "not_applicable." + ind
    if _length("not_applicable column " + ind, col, path, True) != n:
        raise InputError(EARG, "not_applicable column %s has %d entries, expected %d"
                         % (ind, len(col), n), path=path)
    if isinstance(col, (bytes, bytearray)):
        return bytes(col)
    try:
        return bytes(1 if v else 0 for v in col)  # type: ignore[union-attr]
    except Exception as e:
        raise InputError(ETYPE, "not_applicable column %s: %s" % (ind, e), path=path) from None


def score_batch(scheme: "Scheme", columns: Optional[Mapping] = None, *,
                not_applicable: Optional[Mapping] = None, n: Optional[int] = None,
                threads: int = 1, scores: bool = True, statuses: bool = True,
                out: Optional[BatchResult] = None) -> BatchResult:
    """See :meth:`jixiao.Scheme.score_batch`."""
    if columns is None:
        columns = {}
    if not isinstance(columns, Mapping):
        raise InputError(ETYPE, "columns must map metric names to columns, not %s"
                         % type(columns).__name__, path="metrics")
    na = {} if not_applicable is None else not_applicable
    if not isinstance(na, Mapping):
        raise InputError(ETYPE, "not_applicable must map indicator ids to columns of bools, "
                         "not %s" % type(na).__name__, path="not_applicable")
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise ScoreError(EARG, "threads must be an int >= 0 (0: one per CPU), not %r"
                         % (threads,))
    if threads == 0:
        threads = os.cpu_count() or 1
    for name in columns:
        if not isinstance(name, str):
            raise InputError(ETYPE, "metric names must be str, not %s" % type(name).__name__,
                             path="metrics")
        if name not in scheme._metric_by_name:
            raise InputError(ENOTFOUND, "no input metric named %r" % name,
                             path="metrics." + name)
    for ind in na:
        if not isinstance(ind, str) or ind not in scheme._ind_by_id:
            raise InputError(ENOTFOUND if isinstance(ind, str) else ETYPE,
                             "no indicator with id %r" % (ind,), path="not_applicable")
    if n is None:
        sizes = [_length("column " + str(k), v, "metrics." + str(k))
                 for k, v in columns.items() if v is not None]
        sizes += [_length("not_applicable column " + k, v, "not_applicable." + k, True)
                  for k, v in na.items()]
        if not sizes:
            raise InputError(EARG, "no columns: give n, the number of entities")
        n = sizes[0]
    elif isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InputError(EARG, "n must be an int >= 0, not %r" % (n,))
    cols = {name: _metric_column(scheme._metric_by_name[name], col, n)
            for name, col in columns.items()}
    nas = {ind: _na_column(ind, col, n) for ind, col in na.items()}
    ids = tuple(i.id for i in scheme.indicators)
    if out is None:
        out = BatchResult(n, ids, tuple(g.label for g in scheme.grades), bool(scores),
                          bool(statuses))
    else:
        _check_out(out, n, ids, tuple(g.label for g in scheme.grades))
    if n == 0:
        return out
    if _native.has("batch"):
        _score_c(scheme, cols, nas, out, threads)
    else:
        _score_loop(scheme, cols, nas, out)
    return out


def _check_out(out: object, n: int, ids: Tuple[str, ...], labels: Tuple[str, ...]) -> None:
    """A caller-provided BatchResult is reused only when it fits exactly."""
    if not isinstance(out, BatchResult):
        raise ScoreError(EARG, "out must be a BatchResult (BatchResult.empty(scheme, n)), "
                         "not %s" % type(out).__name__)
    if out.n != n or out.indicator_ids != ids or out._labels != labels:
        raise ScoreError(EARG, "out holds %d entities of another shape or scheme; expected "
                         "%d entities of %d indicators" % (out.n, n, len(ids)))
    out._grade = None
    if isinstance(out.scores, _Columns):
        out.scores._cache.clear()
    if isinstance(out.status, _Columns):
        out.status._cache.clear()


def _address(a: array) -> int:
    return a.buffer_info()[0]


def _score_c(scheme: "Scheme", cols: Dict[str, Optional[_Col]], nas: Dict[str, bytes],
             out: BatchResult, threads: int) -> None:
    nm, ni, n = len(scheme.metrics), len(scheme.indicators), out.n
    mptrs = (ctypes.c_void_p * max(nm, 1))()
    keep: List[Any] = []  # buffer exports: no column can be resized during the call
    for name, col in cols.items():
        if col is not None:
            keep.append(col.keep)
            mptrs[scheme._metric_by_name[name].index] = col.address
    naptrs = None
    if nas:
        naptrs = (ctypes.c_void_p * ni)()
        for ind, b in nas.items():
            buf = ctypes.create_string_buffer(b, n)
            keep.append(buf)
            naptrs[scheme._ind_by_id[ind].index] = ctypes.addressof(buf)
    err = error_struct()
    outs = (None if out.scores_matrix is None else _address(out.scores_matrix),
            None if out.status_matrix is None else _address(out.status_matrix),
            _address(out.total), _address(out.grade_index), _address(out.complete))
    for a in (out.scores_matrix, out.status_matrix, out.total, out.grade_index, out.complete):
        if a is not None:
            keep.append(memoryview(a))
    with scheme._owner.borrow() as s:
        if threads > 1:
            rc = _lib.jx_batch_score_threads(s, threads, n, mptrs, nm, naptrs, ni, *outs,
                                             ctypes.byref(err))
        else:
            b = _lib.jx_batch_new(s)
            if not b:
                raise MemoryError("jixiao: out of memory")
            try:
                rc = _lib.jx_batch_score(s, b, n, mptrs, nm, naptrs, ni, *outs,
                                         ctypes.byref(err))
            finally:
                _lib.jx_batch_free(b)
    del keep
    if rc < 0:
        if rc == ENOMEM:
            raise MemoryError("jixiao: out of memory")
        err.code = err.code or rc
        cls = InputError if rc in (EVALUE, ELEVEL, ETYPE) else ScoreError
        raise raise_from_struct(cls, err, "", rc)
    # No grade is (int)JX_NONE, i.e. -1, as documented.


def _score_loop(scheme: "Scheme", cols: Dict[str, Optional[_Col]], nas: Dict[str, bytes],
                out: BatchResult) -> None:
    """Without the batch API: one entity at a time, through one jx_input."""
    ni = len(out.indicator_ids)
    metrics = [(scheme._metric_by_name[name], col.keep) for name, col in cols.items()
               if col is not None]
    with scheme._owner.borrow() as s:
        inp = _lib.jx_input_new(s)
        if not inp:
            raise MemoryError("jixiao: out of memory")
        try:
            for k in range(out.n):
                _lib.jx_input_clear(inp)
                try:
                    for m, col in metrics:
                        v = col[k]
                        if v != v:
                            continue  # NaN: missing
                        if m.type == "bool":
                            if v not in (0.0, 1.0):
                                raise InputError(EVALUE, "bool metric %r is %r; expected 0, 1 "
                                                 "or NaN (missing)" % (m.name, v),
                                                 path="metrics." + m.name)
                            val: Any = v == 1.0
                        elif m.type == "level":
                            if v != int(v) or not 0 <= v < len(m.levels):
                                raise InputError(ELEVEL, "level metric %r is %r; expected a "
                                                 "level index" % (m.name, v),
                                                 path="metrics." + m.name)
                            val = m.levels[int(v)]
                        else:
                            val = v
                        _set_one(scheme, inp, m.name, val)
                    marked = [ind for ind, b in nas.items() if b[k]]
                    if marked:
                        _set_not_applicable(scheme, inp, marked)
                except InputError as e:
                    raise type(e)(e.code, "entity %d: %s" % (k, e.message),
                                  path=e.path) from None
                err = error_struct()
                r = _lib.jx_score(s, inp, 0, ctypes.byref(err))
                if not r:
                    raise raise_from_struct(ScoreError, err, "", EARG)
                try:
                    out.total[k] = _lib.jx_result_total(r)
                    g = _lib.jx_result_grade_index(r)
                    out.grade_index[k] = -1 if g == _native.JX_NONE else g
                    out.complete[k] = 1 if _lib.jx_result_complete(r) else 0
                    base = k * ni
                    for i in range(ni):
                        if out.scores_matrix is not None:
                            out.scores_matrix[base + i] = _lib.jx_result_score(r, i)
                        if out.status_matrix is not None:
                            out.status_matrix[base + i] = _lib.jx_result_status(r, i)
                finally:
                    _lib.jx_result_free(r)
        finally:
            _lib.jx_input_free(inp)

