"""Extraction: the figures a scheme's profile finds in report text.

Owns ``jx_extract`` (run by :meth:`Scheme.extract`) and what it returns: an
:class:`Extraction` mapping each metric of the profile to a :class:`Found`,
with the :class:`Match` records that gave it (provenance), and the ways its
figures go on: into an :class:`Input` (:meth:`Extraction.apply`), into a
``jx_input`` being scored, or out as input JSON.
"""
from __future__ import annotations

import ctypes
import json
import threading
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Dict, Iterator, NamedTuple, Optional, Tuple

from . import _native
from ._convert import Text, Value, _copy_owned, _encode_text, _s, _type_name
from ._errors import (EARG, ENOMEM, EUNSUPPORTED, ExtractError, InputError, error_struct,
                      raise_from_struct)
from ._handles import Owner
from ._input import Input

if TYPE_CHECKING:  # pragma: no cover
    from ._scheme import Scheme

__all__ = ["Extraction", "Found", "Match"]

_lib = _native.lib

_JX_EXTRACT_NO_JIT = 0x1
_FOUND_NAMES = ("found", "missing", "conflict", "invalid", "default")


def _extract_from(scheme: "Scheme", text: Text, jit: bool) -> "Extraction":
    """:meth:`Scheme.extract`: run the profile over ``text``."""
    if not _native.has("extraction"):
        raise ExtractError(EUNSUPPORTED, "the loaded libjixiao (%s) cannot extract: %s"
                           % (_native.library_path, _native.extraction_missing))
    if not isinstance(jit, (bool, int)):
        raise ExtractError(EARG, "jit must be a bool, not %s" % _type_name(jit))
    buf = _encode_text(text, ExtractError, "the report text")
    flags = 0 if jit else _JX_EXTRACT_NO_JIT
    err = error_struct()
    s = scheme._owner.acquire()  # the Extraction keeps this borrow until it is freed
    try:
        ptr = _lib.jx_extract(s, buf, len(buf), flags, ctypes.byref(err))
    except BaseException:
        scheme._owner.release()
        raise
    if not ptr:
        scheme._owner.release()
        if err.code == ENOMEM:
            raise MemoryError("jixiao: out of memory")
        raise raise_from_struct(ExtractError, err, "", EARG)
    return Extraction._wrap(ptr, scheme, buf)


class Match(NamedTuple):
    """One match that counted for a metric (provenance)."""

    pattern: int  # index in the metric's "patterns"
    offset: int  # byte offset in the UTF-8 text
    char_offset: Optional[int]  # the same in characters (an index into a str)
    line: int  # 1-based
    column: int  # 1-based, in characters
    text: str  # the matched text
    value: float  # the value this match gave, in the metric's unit


class Found(NamedTuple):
    """What the profile found for one metric."""

    metric: str
    status: str  # "found", "missing", "conflict", "invalid", "default"
    value: Optional[Value]  # float, bool or level name when found, else None
    raw_value: float  # the library's number (bool 1/0, level index)
    unit: str
    message: str  # why conflict / invalid
    matches: Tuple[Match, ...]

    @property
    def found(self) -> bool:
        return self.status == "found"


def _free_extraction_and_release(release: Any) -> Any:
    def free(p: int) -> None:
        _lib.jx_extraction_free(p)
        release()
    return free


class Extraction(Mapping):
    """The figures an extraction profile found in a report: a read-only
    mapping of metric name to :class:`Found`, in profile order.

    ``found`` gives ``{metric: value}`` for the metrics found, ready for
    :meth:`Scheme.score`; ``scheme.score(extraction)`` scores them directly.
    """

    __slots__ = ("_owner", "_finalizer", "_scheme", "_items", "_by_name", "_json", "_lock",
                 "__weakref__")

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("extractions are made by Scheme.extract()")

    @classmethod
    def _wrap(cls, ptr: int, scheme: Scheme, text: bytes) -> "Extraction":
        self = object.__new__(cls)
        self._owner = Owner(ptr, _free_extraction_and_release(scheme._owner.release),
                            "extraction")
        self._finalizer = weakref.finalize(self, self._owner.close)
        self._scheme = scheme
        self._lock = threading.Lock()
        self._json = None
        try:
            self._items = self._read(ptr, scheme, text)
        except BaseException:
            self._finalizer()
            raise
        self._by_name = {f.metric: f for f in self._items}
        return self

    @staticmethod
    def _read(x: int, scheme: Scheme, text: bytes) -> Tuple[Found, ...]:
        L = _lib
        out = []
        for k in range(L.jx_extraction_count(x)):
            name = _s(L.jx_extraction_metric(x, k))
            st = L.jx_extraction_status(x, k)
            status = _FOUND_NAMES[st] if 0 <= st < len(_FOUND_NAMES) else "unknown"
            raw = L.jx_extraction_value(x, k)
            value: Optional[Value] = None
            if status == "found":
                m = scheme._metric_by_name.get(name)
                value = raw
                if m is not None and m.type == "bool":
                    value = raw != 0
                elif m is not None and m.type == "level":
                    idx = int(raw)
                    value = m.levels[idx] if 0 <= idx < len(m.levels) else raw
            matches = []
            for j in range(L.jx_extraction_match_count(x, k)):
                off = int(L.jx_extraction_match_offset(x, k, j))
                try:
                    coff: Optional[int] = len(text[:off].decode("utf-8"))
                except UnicodeDecodeError:
                    coff = None
                matches.append(Match(L.jx_extraction_match_pattern(x, k, j), off, coff,
                                     L.jx_extraction_match_line(x, k, j),
                                     L.jx_extraction_match_column(x, k, j),
                                     _s(L.jx_extraction_match_text(x, k, j)),
                                     L.jx_extraction_match_value(x, k, j)))
            out.append(Found(name, status, value, raw, _s(L.jx_extraction_unit(x, k)),
                             _s(L.jx_extraction_message(x, k)), tuple(matches)))
        return tuple(out)

    @property
    def scheme(self) -> Scheme:
        return self._scheme

    def close(self) -> None:
        """Free the C extraction (idempotent). What was read stays available."""
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._owner.closed

    def __enter__(self) -> "Extraction":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getitem__(self, metric: str) -> Found:
        return self._by_name[metric]

    def __iter__(self) -> Iterator[str]:
        return (f.metric for f in self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def metrics(self) -> Tuple[Found, ...]:
        """Every metric of the profile, in profile order."""
        return self._items

    @property
    def found(self) -> Dict[str, Value]:
        """``{metric: value}`` for the metrics found (for :meth:`Scheme.score`)."""
        return {f.metric: f.value for f in self._items if f.status == "found"}

    @property
    def problems(self) -> Tuple[Found, ...]:
        """The metrics in conflict or invalid."""
        return tuple(f for f in self._items if f.status in ("conflict", "invalid"))

    def __repr__(self) -> str:
        return "<jixiao.Extraction: %d of %d found>" % (
            sum(1 for f in self._items if f.status == "found"), len(self._items))

    def apply(self, inp: Input) -> int:
        """Set every found metric in ``inp`` (an Input of the same scheme);
        returns how many were set."""
        if not isinstance(inp, Input):
            raise InputError(EARG, "apply() needs an Input, not %s" % _type_name(inp))
        if inp._scheme._owner is not self._scheme._owner:
            raise InputError(EARG, "the Input was made for another scheme")
        with inp._lock, inp._owner.borrow() as p:
            return self._apply_to(p, inp._scheme)

    def _apply_to(self, inp: int, scheme: Scheme) -> int:
        if scheme._owner is not self._scheme._owner:
            raise InputError(EARG, "this Extraction was made with another scheme")
        with self._lock, self._owner.borrow() as x:
            rc = _lib.jx_extraction_apply(x, inp)
        if rc < 0:
            raise InputError(rc, "cannot apply the extracted figures")
        return rc

    def to_json(self) -> str:
        """The figures as input JSON (``{"metrics": {...}, "provenance": ...}``),
        as the library writes it."""
        if self._json is None:
            with self._lock:
                if self._json is None:
                    with self._owner.borrow() as x:
                        self._json = _copy_owned(_lib.jx_extraction_to_json(x, 0))
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self.to_json())
