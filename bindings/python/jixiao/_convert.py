"""Conversion between Python values and the C API's arguments (internal).

Owns the rules every module follows at the ctypes boundary: text and names
become NUL-terminated UTF-8 (with the error class of the caller), paths go
through ``os.fsencode``, C strings come back as ``str`` and strings the
library allocates are copied and released with ``jx_free``. Also the type
aliases the public signatures use (``PathLike``, ``Text``, ``Value``).
"""
from __future__ import annotations

import ctypes
import os
from typing import Optional, Union

from . import _native
from ._errors import EARG, ETYPE

__all__ = ["PathLike", "Text", "Value"]

_lib = _native.lib

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
Text = Union[str, bytes, bytearray, memoryview]
#: A metric value: a number, a bool, a level name, or None (missing).
Value = Union[float, int, bool, str, bytes, None]


def _s(b: Optional[bytes]) -> str:
    """A C string (copied by ctypes) as str; NULL gives ""."""
    return b.decode("utf-8", "replace") if b is not None else ""


def _type_name(v: object) -> str:
    return "None" if v is None else type(v).__name__


def _encode_text(text: object, cls: type, what: str) -> bytes:
    """UTF-8 bytes for a buffer the library parses.

    A str that cannot be encoded strictly (lone surrogates) is encoded with
    ``surrogateescape`` (giving back the bytes it was decoded from) or
    ``surrogatepass``, so the library reports the invalid UTF-8 with its
    position instead of Python failing without one.
    """
    if isinstance(text, str):
        for errors in ("strict", "surrogateescape", "surrogatepass"):
            try:
                return text.encode("utf-8", errors)
            except UnicodeEncodeError:
                continue
        raise cls(EARG, "%s cannot be encoded as UTF-8" % what)  # pragma: no cover
    if isinstance(text, (bytes, bytearray)):
        return bytes(text)
    if isinstance(text, memoryview):
        return text.tobytes()
    raise cls(EARG, "%s must be str or bytes, not %s" % (what, _type_name(text)))


def _encode_name(name: object, cls: type, what: str, path: str = "") -> bytes:
    """A NUL-terminated UTF-8 name (metric, indicator id, level, source)."""
    if isinstance(name, str):
        try:
            b = name.encode("utf-8")
        except UnicodeEncodeError:
            raise cls(ETYPE, "%s %r is not valid Unicode" % (what, name), path=path) from None
    elif isinstance(name, (bytes, bytearray)):
        b = bytes(name)
        try:
            b.decode("utf-8")
        except UnicodeDecodeError:
            raise cls(ETYPE, "%s %r is not UTF-8" % (what, b), path=path) from None
    else:
        raise cls(ETYPE, "%s must be a str, not %s" % (what, _type_name(name)), path=path)
    if b"\0" in b:
        raise cls(EARG, "%s %r contains a NUL character" % (what, name), path=path)
    return b


def _encode_path(path: object, cls: type) -> bytes:
    if path is None or not isinstance(path, (str, bytes, os.PathLike)):
        raise cls(EARG, "a path must be str, bytes or os.PathLike, not %s" % _type_name(path))
    try:
        b = os.fsencode(path)
    except (TypeError, UnicodeError) as e:
        raise cls(EARG, "not a usable path: %s" % e) from None
    if b"\0" in b:
        raise cls(EARG, "the path %r contains a NUL character" % (path,))
    return b


def _source_name(source: object, cls: type) -> Optional[bytes]:
    if source is None:
        return None
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
    return _encode_name(source, cls, "the source name")



#: jx_scheme_load_* / jx_input_load_* flag: messages in Chinese.
_JX_LOAD_LANG_ZH = 0x1


def _load_flags(lang: object, cls: type) -> int:
    """The load flags for ``lang``: "zh" gives Chinese error messages;
    "en" and None English (the loaders' language is the caller's choice,
    never the process locale's)."""
    if isinstance(lang, bytes):
        lang = lang.decode("ascii", "replace")
    if lang is None or lang == "en":
        return 0
    if lang == "zh":
        return _JX_LOAD_LANG_ZH
    raise cls(EARG, "lang must be 'zh', 'en' or None, not %r" % (lang,))


def _copy_owned(ptr: Optional[int]) -> str:
    """Copy a library-allocated string, then jx_free it."""
    if not ptr:
        raise MemoryError("jixiao: out of memory")
    try:
        return ctypes.string_at(ptr).decode("utf-8", "replace")
    finally:
        _lib.jx_free(ptr)
