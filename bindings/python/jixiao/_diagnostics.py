"""Lint: every error and warning for a scheme's source, without loading it.

Owns :func:`lint` and :func:`lint_string` (``jx_lint_file`` and
``jx_lint_buffer``) and what they return, :class:`Diagnostics` of
:class:`Diagnostic` records; :meth:`Scheme.lint` runs the same over the text
a scheme was loaded from.
"""
from __future__ import annotations

from typing import NamedTuple, Optional, Sequence, Tuple

from . import _native
from ._convert import PathLike, Text, _encode_path, _encode_text, _s, _source_name
from ._errors import SchemeError, code_name

__all__ = ["Diagnostic", "Diagnostics", "lint", "lint_string"]

_lib = _native.lib


class Diagnostic(NamedTuple):
    """One error or warning found by :func:`lint`."""

    severity: str  # "error" or "warning"
    code: int
    code_name: str
    message: str
    path: str
    line: int
    column: int
    offset: int
    source: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.source
        if self.line:
            where += ":%d:%d" % (self.line, self.column)
        return "%s: %s: %s%s" % (where, self.severity, self.path + ": " if self.path else "",
                                 self.message)

    def to_exception(self) -> SchemeError:
        return SchemeError(self.code, self.message, path=self.path, line=self.line,
                           column=self.column, offset=self.offset, source=self.source)


class Diagnostics(Sequence):
    """Everything :func:`lint` found, in the order found."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[Diagnostic]) -> None:
        self._items = tuple(items)

    def __getitem__(self, k):  # type: ignore[override]
        return self._items[k]

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> Tuple[Diagnostic, ...]:
        return tuple(d for d in self._items if d.is_error)

    @property
    def warnings(self) -> Tuple[Diagnostic, ...]:
        return tuple(d for d in self._items if not d.is_error)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    def __repr__(self) -> str:
        return "<jixiao.Diagnostics: %d errors, %d warnings>" % (len(self.errors),
                                                                  len(self.warnings))


def _diagnostics(d: Optional[int]) -> Diagnostics:
    if not d:
        raise MemoryError("jixiao: out of memory")
    try:
        items = []
        for k in range(_lib.jx_diagnostics_count(d)):
            e = _lib.jx_diagnostics_get(d, k)
            if not e:
                continue
            e = e.contents
            items.append(Diagnostic(
                "error" if _lib.jx_diagnostics_severity(d, k) == 0 else "warning",
                e.code, code_name(e.code), _s(e.message), _s(e.path), e.line,
                e.column, e.offset, _s(e.source)))
        return Diagnostics(items)
    finally:
        _lib.jx_diagnostics_free(d)


def lint(path: PathLike) -> Diagnostics:
    """Load and check a scheme file, collecting every error and warning."""
    return _diagnostics(_lib.jx_lint_file(_encode_path(path, SchemeError), 0))


def lint_string(text: Text, source: Optional[str] = None) -> Diagnostics:
    """:func:`lint` for scheme JSON text."""
    buf = _encode_text(text, SchemeError, "the scheme text")
    return _diagnostics(_lib.jx_lint_buffer(buf, len(buf), _source_name(source, SchemeError),
                                            0))
