"""jixiao — score Chinese budget-performance evaluations (预算绩效评价).

A ctypes binding (standard library only) for libjixiao::

    import jixiao
    scheme = jixiao.Scheme.load("schemes/mof-2013-department.json")
    result = scheme.score({"在职人员数": 136, "编制数": 143}, not_applicable=["2.4"])
    print(result.total, result.grade)
    for ind in result.indicators:
        print(ind.id, ind.name, ind.score, ind.status, ind.reason)
    result.to_dict(); result.to_json()

    jixiao.lint("scheme.json")                 # every error and warning
    scheme.extract(report_text)                # figures from report text, with provenance

Errors are :class:`Error` subclasses (:class:`SchemeError`, :class:`InputError`,
:class:`ScoreError`, :class:`ExtractError`, :class:`ClosedError`) carrying
``code``, ``code_name``, ``message``, ``path``, ``line``, ``column``,
``offset`` and ``source``.

The shared library is found through ``JIXIAO_LIBRARY`` (a path), then next to
the package (an in-tree build), then the system loader; see
:data:`library_path`.
"""
from __future__ import annotations

from . import _native
from ._batch import BatchResult
from ._diagnostics import Diagnostic, Diagnostics, lint, lint_string
from ._errors import (CODE_NAMES, ClosedError, Error, ExtractError, InputError, SchemeError,
                      ScoreError, code_name, strerror)
from ._extract import Extraction, Found, Match
from ._input import Input
from ._projects import score_projects
from ._result import IndicatorResult, Result
from ._scheme import Grade, Indicator, Metric, Scheme

__version__ = "1.0.0"

#: Where the shared library was loaded from.
library_path: str = _native.library_path


def library_version() -> str:
    """The run-time version of libjixiao (``jx_version()``), e.g. ``"1.0.0"``."""
    return _native.lib.jx_version().decode("ascii", "replace")


def has(feature: str) -> bool:
    """True if the loaded library has an optional feature: ``"extraction"``
    (``jx_extract`` ...) or ``"batch"`` (``jx_batch*``)."""
    return _native.has(feature)


__all__ = [
    "Scheme", "Input", "Result", "Indicator", "Metric", "Grade", "IndicatorResult",
    "Diagnostic", "Diagnostics", "Extraction", "Found", "Match", "BatchResult",
    "Error", "SchemeError", "InputError", "ScoreError", "ExtractError", "ClosedError",
    "lint", "lint_string", "code_name", "strerror", "CODE_NAMES", "has",
    "library_path", "library_version", "__version__",
    "score_projects",
]
