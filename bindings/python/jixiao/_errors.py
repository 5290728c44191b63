"""Exceptions and error codes (the ``jx_code`` enum of ``jixiao.h``)."""
from __future__ import annotations

from typing import Dict, Optional

from . import _native

__all__ = [
    "Error", "SchemeError", "InputError", "ScoreError", "ExtractError", "ClosedError",
    "CODE_NAMES", "code_name", "strerror",
    "OK", "ENOMEM", "EARG", "EIO", "ESYNTAX", "EKEY", "ETYPE", "EVALUE", "EREQUIRED",
    "EDUPLICATE", "ESUM", "EBANDS", "EFORMULA", "EREF", "ECYCLE", "EGRADES", "ELIMIT",
    "ENOTFOUND", "ELEVEL", "EINCOMPLETE", "EUNDEFINED", "EUNSUPPORTED",
]

OK = 0
ENOMEM = -1
EARG = -2
EIO = -3
ESYNTAX = -4
EKEY = -5
ETYPE = -6
EVALUE = -7
EREQUIRED = -8
EDUPLICATE = -9
ESUM = -10
EBANDS = -11
EFORMULA = -12
EREF = -13
ECYCLE = -14
EGRADES = -15
ELIMIT = -16
ENOTFOUND = -17
ELEVEL = -18
EINCOMPLETE = -19
EUNDEFINED = -20
EUNSUPPORTED = -21

#: code -> its C name, e.g. ``-5 -> "JX_EKEY"``.
CODE_NAMES: Dict[int, str] = {
    value: "JX_" + name
    for name, value in dict(globals()).items()
    if name.isupper() and isinstance(value, int) and (name == "OK" or name.startswith("E"))
}


def code_name(code: int) -> str:
    """The C name of a code (``"JX_EKEY"``), or ``"JX_E?(n)"`` for an unknown one."""
    return CODE_NAMES.get(code, "JX_E?(%d)" % code)


def strerror(code: int) -> str:
    """The library's short description of a code (``jx_strerror``)."""
    return _native.lib.jx_strerror(int(code)).decode("utf-8", "replace")


class Error(Exception):
    """Any error reported by jixiao.

    Attributes:
        code: the ``jx_code`` (a negative int; see :data:`CODE_NAMES`).
        code_name: its C name, e.g. ``"JX_EKEY"``.
        message: what is wrong and what was expected.
        path: the JSON path of the offending value (``"indicators[1].rule"``), or ``""``.
        line, column: 1-based position in the source (column in characters); 0 if not known.
        offset: 0-based byte offset in the source, -1 if not known.
        source: the file name, the ``source`` given for a string, ``"<string>"`` or ``""``.
    """

    code: int
    code_name: str
    message: str
    path: str
    line: int
    column: int
    offset: int
    source: str

    def __init__(self, code: int, message: str, *, path: str = "", line: int = 0,
                 column: int = 0, offset: int = -1, source: str = "") -> None:
        self.code = int(code)
        self.code_name = code_name(self.code)
        self.message = message
        self.path = path
        self.line = int(line)
        self.column = int(column)
        self.offset = int(offset)
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        where = ""
        if self.source:
            where = self.source
            if self.line:
                where += ":%d:%d" % (self.line, self.column)
            where += ": "
        elif self.line:
            where = "%d:%d: " % (self.line, self.column)
        if self.path:
            where += self.path + ": "
        return "%s%s (%s)" % (where, self.message, strerror(self.code))

    def __reduce__(self):  # picklable, e.g. across concurrent.futures processes
        return (_rebuild, (type(self), self.code, self.message, self.path, self.line,
                           self.column, self.offset, self.source))

    @classmethod
    def _from_c(cls, e: "_native.JxError", fallback_source: str = "") -> "Error":
        code = e.code if e.code < 0 else EARG
        message = e.message.decode("utf-8", "replace") or strerror(code)
        source = e.source.decode("utf-8", "replace") or fallback_source
        return cls(code, message, path=e.path.decode("utf-8", "replace"), line=e.line,
                   column=e.column, offset=e.offset, source=source)


def _rebuild(cls, code, message, path, line, column, offset, source):
    return cls(code, message, path=path, line=line, column=column, offset=offset, source=source)


class SchemeError(Error):
    """A scheme that does not load (syntax, unknown key, bands, formula, ...),
    or a bad argument to :meth:`Scheme.load` / :meth:`Scheme.from_string`."""


class InputError(Error):
    """Figures that cannot be set: an unknown metric or indicator, a value of
    the wrong type, an undeclared level, malformed input JSON."""


class ScoreError(Error):
    """Scoring failed: with ``strict=True`` a missing (``JX_EINCOMPLETE``) or
    undefined (``JX_EUNDEFINED``) leaf, or a bad scoring option."""


class ExtractError(Error):
    """Extraction failed: no profile, text that is not UTF-8, a match limit hit,
    or a library built without extraction (``JX_EUNSUPPORTED``)."""


class ClosedError(Error, ValueError):
    """An operation on an object that was closed (also a ``ValueError``, like
    I/O on a closed file)."""


def check_code(rc: int, cls: type, what: str, path: str = "") -> int:
    """Raise ``cls`` for a negative return code, else return ``rc``."""
    if rc < 0:
        raise cls(rc, what, path=path)
    return rc


def error_struct() -> "_native.JxError":
    """A fresh ``jx_error`` with a code no call sets, to detect unfilled errors."""
    e = _native.JxError()
    e.code = 0
    return e


def raise_from_struct(cls: type, e: "_native.JxError", fallback_source: str = "",
                      fallback_code: Optional[int] = None) -> "Error":
    """The exception for a filled ``jx_error`` (or for an unfilled one, the
    fallback code)."""
    if e.code >= 0 and fallback_code is not None:
        e.code = fallback_code
    return cls._from_c(e, fallback_source)
