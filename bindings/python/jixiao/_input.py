"""Inputs: the figures for one entity, and how Python values become them.

Owns everything that fills a ``jx_input``: the value setters (``_set_one``,
``_set_all``, ``_set_not_applicable``), shared by :meth:`Scheme.score`, the
batch loop and :class:`Input`, with their error messages; and
:class:`Input` itself, filled step by step or from input JSON. Schemes are
used here only through their handle and metric table.
"""
from __future__ import annotations

import ctypes
import os
import threading
import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, List, Optional, Union

from . import _native
from ._convert import (PathLike, Text, Value, _encode_name, _encode_path, _encode_text,
                       _load_flags, _s, _source_name, _type_name)
from ._errors import (EARG, ELEVEL, ENOTFOUND, ETYPE, EUNSUPPORTED, EVALUE, InputError,
                      ScoreError, error_struct, raise_from_struct)
from ._handles import Owner
from ._result import _score

if TYPE_CHECKING:  # pragma: no cover
    from ._scheme import Scheme
    from ._result import Result

__all__ = ["Input"]

_lib = _native.lib


def _path_key(name: str) -> str:
    """A metric name as the JSON loader writes it in a path."""
    return "metrics." + name


def _describe_set_error(scheme: Scheme, rc: int, name: str, value: object) -> str:
    m = scheme._metric_by_name.get(name)
    if rc == ENOTFOUND:
        derived = "" if m else " (derived metrics cannot be set)"
        return "no input metric named %r%s" % (name, derived if name else "")
    if rc == ETYPE and m is not None:
        want = {"number": "a number", "bool": "True or False",
                "level": "one of its levels (%s)" % ", ".join(m.levels)}.get(m.type,
                                                                              "another type")
        return "%s is a %s metric: it takes %s, not %s %r" % (
            name, m.type, want, _type_name(value), value)
    if rc == ELEVEL and m is not None:
        return "%s has no level %r; its levels are %s" % (name, value, ", ".join(m.levels))
    return "cannot set %s to %r" % (name, value)


def _set_one(scheme: Scheme, inp: int, name: object, value: object) -> None:
    if isinstance(name, bytes):
        try:
            name = name.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(ETYPE, "metric name %r is not UTF-8" % (name,),
                             path="metrics") from None
    if not isinstance(name, str):
        raise InputError(ETYPE, "metric names must be str, not %s (%r)" % (
            _type_name(name), name), path="metrics")
    path = _path_key(name)
    key = _encode_name(name, InputError, "the metric name", path)
    if value is None:
        rc = _lib.jx_input_unset(inp, key)
    elif isinstance(value, bool):
        rc = _lib.jx_input_set_bool(inp, key, 1 if value else 0)
    elif isinstance(value, (str, bytes, bytearray)):
        level = _encode_name(value, InputError, "the level of %s" % name, path)
        rc = _lib.jx_input_set_text(inp, key, level)
    elif isinstance(value, (int, float)) or (
            hasattr(type(value), "__float__") and not isinstance(value, complex)):
        try:
            x = float(value)  # type: ignore[arg-type]
        except OverflowError:
            raise InputError(EVALUE, "%s: %r is too large for a double" % (name, value),
                             path=path) from None
        except (TypeError, ValueError) as e:
            raise InputError(ETYPE, "%s: %r is not a number: %s" % (name, value, e),
                             path=path) from None
        rc = _lib.jx_input_set_number(inp, key, x)
    else:
        raise InputError(ETYPE, "%s: a value must be a number, a bool, a level name (str) or "
                         "None, not %s" % (name, _type_name(value)), path=path)
    if rc < 0:
        raise InputError(rc, _describe_set_error(scheme, rc, name, value), path=path)


def _set_all(scheme: Scheme, inp: int, metrics: Mapping) -> None:
    try:
        items = list(metrics.items())
    except Exception as e:
        raise InputError(ETYPE, "cannot read the metrics mapping: %s" % e,
                         path="metrics") from None
    for name, value in items:
        _set_one(scheme, inp, name, value)


def _na_ids(ids: object) -> List[object]:
    if isinstance(ids, (str, bytes)):
        return [ids]
    if isinstance(ids, Mapping) or not isinstance(ids, Iterable):
        raise InputError(ETYPE, "not_applicable must be a list of indicator ids, not %s"
                         % _type_name(ids), path="not_applicable")
    return list(ids)


def _set_not_applicable(scheme: Scheme, inp: int, ids: object, clear: bool = False) -> None:
    fn = _lib.jx_input_clear_not_applicable if clear else _lib.jx_input_set_not_applicable
    for k, ind in enumerate(_na_ids(ids)):
        path = "not_applicable[%d]" % k
        if isinstance(ind, bytes):
            ind = ind.decode("utf-8", "replace")
        if not isinstance(ind, str):
            raise InputError(ETYPE, "an indicator id must be a str, not %s (%r)"
                             % (_type_name(ind), ind), path=path)
        rc = fn(inp, _encode_name(ind, InputError, "the indicator id", path))
        if rc < 0:
            raise InputError(rc, "no indicator with id %r" % ind if rc == ENOTFOUND
                             else "cannot mark %r not applicable" % ind, path=path)


class Input:
    """A set of figures for one scheme, filled step by step.

    Usually :meth:`Scheme.score` with a dict is enough; an Input is for
    reading input JSON files (:meth:`load_file`) or building figures in
    stages. It keeps its scheme alive until it is closed. One thread at a
    time (it has its own lock).
    """

    __slots__ = ("_owner", "_finalizer", "_scheme", "_lock", "__weakref__")

    def __init__(self, scheme: Scheme) -> None:
        # Scheme is defined above this module: its handle's tag tells a
        # scheme from anything else without importing it.
        sowner = getattr(scheme, "_owner", None)
        if not isinstance(sowner, Owner) or sowner.what != "scheme":
            raise InputError(EARG, "Input(scheme) needs a Scheme, not %s" % _type_name(scheme))
        s = sowner.acquire()  # held until the input is freed
        try:
            ptr = _lib.jx_input_new(s)
            if not ptr:
                raise MemoryError("jixiao: out of memory")
        except BaseException:
            sowner.release()
            raise

        def free(p: int, _release=sowner.release) -> None:
            _lib.jx_input_free(p)
            _release()

        self._owner = Owner(ptr, free, "input")
        self._finalizer = weakref.finalize(self, self._owner.close)
        self._scheme = scheme
        self._lock = threading.Lock()

    @property
    def scheme(self) -> Scheme:
        return self._scheme

    def close(self) -> None:
        """Free the input (idempotent)."""
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._owner.closed

    def __enter__(self) -> "Input":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<jixiao.Input for %r%s>" % (self._scheme.id, " (closed)" if self.closed else "")

    def _do(self, fn: Any, *args: Any) -> Any:
        with self._lock, self._owner.borrow() as p:
            return fn(p, *args)

    def set(self, metric: str, value: Value) -> "Input":
        """Set one metric (None makes it missing). Returns self."""
        self._do(lambda p: _set_one(self._scheme, p, metric, value))
        return self

    def __setitem__(self, metric: str, value: Value) -> None:
        self.set(metric, value)

    def update(self, metrics: Mapping) -> "Input":
        """Set several metrics from a mapping. Returns self."""
        if not isinstance(metrics, Mapping):
            raise InputError(ETYPE, "metrics must be a mapping, not %s" % _type_name(metrics),
                             path="metrics")
        self._do(lambda p: _set_all(self._scheme, p, metrics))
        return self

    def unset(self, metric: str) -> "Input":
        """Make a metric missing again. Returns self."""
        return self.set(metric, None)

    def __delitem__(self, metric: str) -> None:
        self.unset(metric)

    def set_not_applicable(self, ids: Union[str, Iterable[str]]) -> "Input":
        """Mark indicators (and their subtrees) not applicable. Returns self."""
        self._do(lambda p: _set_not_applicable(self._scheme, p, ids))
        return self

    def clear_not_applicable(self, ids: Union[str, Iterable[str]]) -> "Input":
        """Clear the indicators' own not-applicable marks. Returns self."""
        self._do(lambda p: _set_not_applicable(self._scheme, p, ids, clear=True))
        return self

    @property
    def entity(self) -> Optional[str]:
        """The entity id reported in the result's audit block (library 1.1;
        ``"entity"`` in input JSON), or None."""
        if not _native.has("audit"):
            return None
        v = self._do(_lib.jx_input_entity)
        return None if v is None else _s(v)

    @entity.setter
    def entity(self, value: Optional[str]) -> None:
        if not _native.has("audit"):
            raise ScoreError(EUNSUPPORTED, "the library predates entity ids (1.1)")
        arg = None if value is None else _encode_name(value, InputError, "the entity id")
        if self._do(_lib.jx_input_set_entity, arg) < 0:
            raise MemoryError("jixiao: out of memory")

    def clear(self) -> "Input":
        """Forget every value, not-applicable mark and the entity. Returns self."""
        self._do(_lib.jx_input_clear)
        return self

    def load_file(self, path: PathLike, *, lang: Optional[str] = None) -> "Input":
        """Add the figures of an input JSON file. On error (:class:`InputError`
        with path, line and column, the message in Chinese with
        ``lang="zh"``) the input is unchanged. Returns self."""
        flags = _load_flags(lang, InputError)
        b = _encode_path(path, InputError)
        err = error_struct()
        rc = self._do(_lib.jx_input_load_file, b, flags, ctypes.byref(err))
        if rc < 0:
            err.code = err.code or rc
            raise raise_from_struct(InputError, err, os.fsdecode(b), rc)
        return self

    def load_string(self, text: Text, source: Optional[str] = None, *,
                    lang: Optional[str] = None) -> "Input":
        """Add the figures of input JSON text. ``source`` names it in errors;
        ``lang`` as for :meth:`load_file`. Returns self."""
        flags = _load_flags(lang, InputError)
        buf = _encode_text(text, InputError, "the input text")
        src = _source_name(source, InputError)
        err = error_struct()
        rc = self._do(_lib.jx_input_load_buffer, buf, len(buf), src, flags, ctypes.byref(err))
        if rc < 0:
            err.code = err.code or rc
            raise raise_from_struct(InputError, err, "<string>", rc)
        return self

    def score(self, *, strict: bool = False, lang: Optional[str] = None) -> "Result":
        """Score this input against its scheme (same as ``scheme.score(input)``)."""
        return self._scheme.score(self, strict=strict, lang=lang)

    def _score(self, scheme: Scheme, flags: int, lang: str) -> "Result":
        if scheme._owner is not self._scheme._owner:
            raise InputError(EARG, "this Input was made for another scheme (%r)"
                             % self._scheme.id)
        with self._lock, scheme._owner.borrow() as s, self._owner.borrow() as p:
            return _score(s, p, flags, lang)
