"""Shared set-up for the binding's tests.

Run from the source tree after ``make``::

    python3 -m unittest discover -s bindings/python/tests -t bindings/python
    python3 -m unittest discover bindings/python/tests

The tests import the in-tree package (bindings/python/jixiao) unless
JX_TEST_INSTALLED=1, in which case they import whatever ``import jixiao``
finds. Environment (all optional):

    JIXIAO_LIBRARY   the shared library (`make check-python` sets it)
    JX_SOURCE_DIR    the source tree (default: three levels up)
    JX_SCHEMES_DIR   bundled schemes (default: SOURCE/schemes)
    JX_TEST_DATA     the C suite's fixtures (default: SOURCE/tests/data)
    JX_SCORE         jx-score (default: SOURCE/examples/jx-score)
    JX_EXTRACT       jx-extract (default: SOURCE/examples/jx-extract)
    JX_PROJECT       jx-project (default: SOURCE/examples/jx-project)
"""
from __future__ import annotations

import json
import os
import sys
from typing import Dict, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
BINDING = os.path.dirname(HERE)
SOURCE = os.path.abspath(os.environ.get("JX_SOURCE_DIR") or os.path.join(BINDING, os.pardir,
                                                                         os.pardir))
if os.environ.get("JX_TEST_INSTALLED") != "1" and BINDING not in sys.path:
    sys.path.insert(0, BINDING)

import jixiao  # noqa: E402  (after the path set-up)

SCHEMES = os.path.abspath(os.environ.get("JX_SCHEMES_DIR") or os.path.join(SOURCE, "schemes"))
DATA = os.path.abspath(os.environ.get("JX_TEST_DATA") or os.path.join(SOURCE, "tests", "data"))
JX_SCORE = os.path.abspath(os.environ.get("JX_SCORE")
                           or os.path.join(SOURCE, "examples", "jx-score"))
JX_EXTRACT = os.path.abspath(os.environ.get("JX_EXTRACT")
                             or os.path.join(SOURCE, "examples", "jx-extract"))
JX_PROJECT = os.path.abspath(os.environ.get("JX_PROJECT")
                             or os.path.join(SOURCE, "examples", "jx-project"))
EXAMPLES = os.path.join(SOURCE, "examples", "python")

EXAMPLE_SCHEME = os.path.join(SCHEMES, "example.json")
EXAMPLE_METRICS = os.path.join(SCHEMES, "examples", "example.metrics.json")


def load_json(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def example_input() -> Tuple[Dict[str, object], List[str]]:
    """The bundled example's metrics and not-applicable ids."""
    d = load_json(EXAMPLE_METRICS)
    return d["metrics"], d.get("not_applicable", [])


def scheme_input_pairs() -> List[Tuple[str, str, str]]:
    """(scheme path, metrics path, expected path) for every bundled score
    sheet (schemes/examples/*.expected.json names its scheme and input)."""
    out = []
    ex = os.path.join(SCHEMES, "examples")
    for fn in sorted(os.listdir(ex)):
        if not fn.endswith(".expected.json"):
            continue
        d = load_json(os.path.join(ex, fn))
        stem = fn[: -len(".expected.json")]
        scheme = d.get("scheme") or stem + ".json"
        metrics = d.get("input") or stem + ".metrics.json"
        out.append((os.path.join(SCHEMES, scheme), os.path.join(ex, metrics),
                    os.path.join(ex, fn)))
    return out


def bundled_schemes() -> List[str]:
    return sorted(os.path.join(SCHEMES, f) for f in os.listdir(SCHEMES) if f.endswith(".json"))


def case_dirs(sub: str) -> List[str]:
    """The C suite's malformed cases: every directory of tests/data/SUB, sorted."""
    d = os.path.join(DATA, sub)
    return sorted(os.path.join(d, n) for n in os.listdir(d)
                  if not n.startswith(".") and os.path.isdir(os.path.join(d, n)))


def read_expected(path: str) -> Dict[str, object]:
    """An `expected` file: code name, JSON path, line, column[, message part]."""
    with open(path, encoding="utf-8") as f:
        lines = [ln.rstrip("\r\n") for ln in f.readlines()]
    if len(lines) < 4:
        raise AssertionError("%s: needs at least 4 lines" % path)
    return {"code_name": lines[0], "path": lines[1], "line": int(lines[2]),
            "column": int(lines[3]), "message": lines[4] if len(lines) > 4 else ""}


def rss_bytes() -> int:
    """The current resident set size: /proc/self/statm, else the peak from
    getrusage (which can only grow, so it is an upper bound for growth)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
