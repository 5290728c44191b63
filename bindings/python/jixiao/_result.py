"""Results of scoring one entity: :class:`Result` and :class:`IndicatorResult`.

Owns ``jx_score`` for one input and its flags (``_score``, which both
:meth:`Scheme.score` and :meth:`Input.score` end in) and everything read from
the ``jx_result`` it returns: the total, the grade, each indicator's score,
status and reason, and the library's result JSON. A result does not need its
scheme object.
"""
from __future__ import annotations

import ctypes
import json
import threading
import weakref
from typing import Any, Dict, Iterator, NamedTuple, Optional, Tuple, Union

from . import _native
from ._convert import _copy_owned, _s
from ._errors import EARG, ENOMEM, ScoreError, error_struct, raise_from_struct
from ._handles import Owner

__all__ = ["Result", "IndicatorResult"]

_lib = _native.lib
_NONE = _native.JX_NONE

# jx_score flags
_JX_STRICT = 0x1
_JX_LANG_ZH = 0x2
_JX_LANG_EN = 0x4

_STATUS_NAMES = ("scored", "missing", "not_applicable", "undefined")


class IndicatorResult(NamedTuple):
    """How one indicator scored."""

    index: int
    id: str
    name: str
    depth: int
    parent: Optional[str]
    is_leaf: bool
    rule: str
    max: float
    score: float
    status: str  # "scored", "missing", "not_applicable", "undefined"
    value: Optional[float]  # the computed value, None when there is none
    unit: str  # the value's unit ("" if none)
    decimals: int  # decimals to show the value with
    reason: str

    def to_dict(self) -> Dict[str, Any]:
        return self._asdict()


def _lang_flag(lang: object) -> int:
    if lang is None:
        return 0
    if isinstance(lang, bytes):
        lang = lang.decode("ascii", "replace")
    if lang == "zh":
        return _JX_LANG_ZH
    if lang == "en":
        return _JX_LANG_EN
    raise ScoreError(EARG, "lang must be 'zh', 'en' or None, not %r" % (lang,))


def _score(s: int, inp: int, flags: int, lang: str) -> "Result":
    """``jx_score`` of a scheme and an input (both borrowed by the caller)."""
    err = error_struct()
    r = _lib.jx_score(s, inp, flags, ctypes.byref(err))
    if not r:
        if err.code == ENOMEM:
            raise MemoryError("jixiao: out of memory")
        raise raise_from_struct(ScoreError, err, "", EARG)
    return Result._wrap(r, lang)


def _free_result(ptr: int) -> None:
    _lib.jx_result_free(ptr)


class Result:
    """The outcome of scoring: total, grade, and every indicator with its reason.

    ``total``, ``grade``, ``grade_index``, ``complete``, ``lang``,
    ``scheme_id``, ``title``, ``max`` and ``precision`` are read when the
    result is made. ``indicators`` and ``to_json()`` are read on first use and
    then kept; after ``close()`` only what was already read is available. A
    result does not need its :class:`Scheme` object: it stays valid after the
    scheme is closed or dropped.
    """

    __slots__ = ("_owner", "_finalizer", "_lock", "_indicators", "_json", "total", "grade",
                 "grade_index", "complete", "lang", "scheme_id", "title", "max", "precision",
                 "__weakref__")

    total: float
    grade: str
    grade_index: Optional[int]
    complete: bool
    lang: str
    scheme_id: str
    title: str
    max: float
    precision: int

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("results are made by Scheme.score()")

    def __reduce__(self) -> Tuple[Any, ...]:
        # A result is a handle to C memory that only jx_score can build; a
        # copy that claims to be one would be a lie. Its data pickles fine.
        raise TypeError("a jixiao.Result cannot be pickled: pickle result.to_dict() or "
                        "result.to_json() (the same data, audit block included) instead")

    @classmethod
    def _wrap(cls, ptr: int, lang: str) -> "Result":
        self = object.__new__(cls)
        self._owner = Owner(ptr, _free_result, "result")
        self._finalizer = weakref.finalize(self, self._owner.close)
        self._lock = threading.Lock()
        self._indicators = None
        self._json = None
        L = _lib
        self.total = L.jx_result_total(ptr)
        self.grade = _s(L.jx_result_grade(ptr))
        gi = L.jx_result_grade_index(ptr)
        self.grade_index = None if gi == _NONE else int(gi)
        self.complete = bool(L.jx_result_complete(ptr))
        self.lang = lang
        s = L.jx_result_scheme(ptr)
        self.scheme_id = _s(L.jx_scheme_id(s))
        self.title = _s(L.jx_scheme_title(s))
        self.max = L.jx_scheme_total(s)
        self.precision = L.jx_scheme_precision(s)
        return self

    def close(self) -> None:
        """Free the C result (idempotent)."""
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._owner.closed

    def __enter__(self) -> "Result":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<jixiao.Result %s: %.*f / %.*f %s%s>" % (
            self.scheme_id, self.precision, self.total, self.precision, self.max, self.grade,
            "" if self.complete else " (incomplete)")

    @property
    def indicators(self) -> Tuple[IndicatorResult, ...]:
        """Every indicator, in the scheme's document order."""
        if self._indicators is None:
            with self._lock:
                if self._indicators is None:
                    with self._owner.borrow() as r:
                        self._indicators = self._read_indicators(r)
        return self._indicators

    @staticmethod
    def _read_indicators(r: int) -> Tuple[IndicatorResult, ...]:
        L = _lib
        s = L.jx_result_scheme(r)
        n = L.jx_scheme_indicator_count(s)
        ids = [_s(L.jx_scheme_indicator_id(s, i)) for i in range(n)]
        out = []
        for i in range(n):
            p = L.jx_scheme_indicator_parent(s, i)
            st = L.jx_result_status(r, i)
            out.append(IndicatorResult(
                index=i, id=ids[i], name=_s(L.jx_scheme_indicator_name(s, i)),
                depth=L.jx_scheme_indicator_depth(s, i),
                parent=None if p == _NONE else ids[p],
                is_leaf=bool(L.jx_scheme_indicator_is_leaf(s, i)),
                rule=_s(L.jx_scheme_indicator_rule(s, i)),
                max=L.jx_scheme_indicator_max(s, i), score=L.jx_result_score(r, i),
                status=_STATUS_NAMES[st] if 0 <= st < 4 else _s(L.jx_status_name(st)),
                value=L.jx_result_value(r, i) if L.jx_result_has_value(r, i) else None,
                unit=_s(L.jx_result_value_unit(r, i)),
                decimals=L.jx_result_value_decimals(r, i),
                reason=_s(L.jx_result_reason(r, i))))
        return tuple(out)

    def __getitem__(self, key: Union[str, int]) -> IndicatorResult:
        """An indicator by id (str) or index (int)."""
        inds = self.indicators
        if isinstance(key, int) and not isinstance(key, bool):
            return inds[key]
        for ind in inds:
            if ind.id == key:
                return ind
        raise KeyError(key)

    def __iter__(self) -> Iterator[IndicatorResult]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def to_json(self) -> str:
        """The whole result as the library's JSON (one line, stable key order,
        numbers with the scheme's precision), as ``jx-score --json`` prints it."""
        if self._json is None:
            with self._lock:
                if self._json is None:
                    with self._owner.borrow() as r:
                        self._json = _copy_owned(_lib.jx_result_to_json(r, 0))
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The result JSON as a dict (a new one on every call)."""
        return json.loads(self.to_json())
