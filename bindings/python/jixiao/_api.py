"""The old home of the public classes, kept only so old references still load.

Until the binding was split into one module per concept, everything here
lived in this module: a :class:`Scheme` pickled then names
``jixiao._api._restore_scheme``, a pickled record (``Indicator``,
``Found``, ...) ``jixiao._api.<class>``. This module re-exports those names from
their modules (``_scheme``, ``_input``, ``_result``, ``_extract``,
``_diagnostics``, ``_convert``) so such pickles, and code importing from
``jixiao._api``, keep working. Nothing in the package imports it; new code
imports from :mod:`jixiao`.
"""
from __future__ import annotations

from . import _scheme
from ._convert import PathLike, Text, Value
from ._diagnostics import Diagnostic, Diagnostics, lint, lint_string
from ._extract import Extraction, Found, Match
from ._input import Input
from ._result import IndicatorResult, Result
from ._scheme import Grade, Indicator, Metric, Scheme

__all__ = [
    "Scheme", "Input", "Result", "Indicator", "Metric", "Grade", "IndicatorResult",
    "Diagnostic", "Diagnostics", "Extraction", "Found", "Match", "lint", "lint_string",
    "PathLike", "Text", "Value",
]

_restore_scheme = _scheme._restore_scheme  # what old pickles name
