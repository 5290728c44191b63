"""Scoring a Dask DataFrame partition by partition (see docs/scale-out.md).

    import dask.dataframe as dd, jixiao, jixiao.dask
    scheme = jixiao.Scheme.load("schemes/example.json")
    scores = jixiao.dask.score(dd.read_csv("figures-*.csv"), scheme)
    scores.compute()

Each partition goes through :meth:`jixiao.Scheme.score_frame` (the batch
path). The scheme travels by value (its source text and SHA-256, as its
pickle does) and each worker process loads it once: schemes are cached per
process, keyed by their digest. Every worker needs libjixiao (installed, or
``JIXIAO_LIBRARY``) and this package. dask is imported only here.
"""
from __future__ import annotations

import importlib
import threading
from typing import Any, Dict, Tuple

from ._scheme import Scheme, _restore_scheme

__all__ = ["score", "cached_schemes"]

# Per worker process: digest -> Scheme. Schemes are immutable and
# thread-safe, so the threads of one worker share them.
_cache: Dict[str, Scheme] = {}
_cache_lock = threading.Lock()


def cached_schemes() -> int:
    """How many schemes this process holds in its cache (for tests)."""
    return len(_cache)


def _payload(scheme: Scheme) -> Tuple[Any, ...]:
    fn, args = scheme.__reduce__()
    return (scheme.digest, args)


def _scheme_for(payload: Tuple[Any, ...]) -> Scheme:
    digest, args = payload
    s = _cache.get(digest)
    if s is None:
        with _cache_lock:
            s = _cache.get(digest)
            if s is None:
                s = _restore_scheme(*args)
                _cache[digest] = s
    return s


def _score_partition(df: Any, payload: Tuple[Any, ...], reasons: bool, statuses: bool) -> Any:
    return _scheme_for(payload).score_frame(df, reasons=reasons, statuses=statuses)


def score(ddf: Any, scheme: Scheme, *, reasons: bool = False, statuses: bool = False) -> Any:
    """A lazy Dask DataFrame of scores with the partitions (and index) of
    ``ddf``: the columns :meth:`Scheme.score_frame` gives."""
    # Fail early with a clear message if dask is absent (by name: pyflakes
    # would call a bare import unused).
    importlib.import_module("dask.dataframe")
    if not isinstance(scheme, Scheme):
        raise TypeError("jixiao.dask.score needs a jixiao.Scheme, not %s"
                        % type(scheme).__name__)
    payload = _payload(scheme)
    meta = scheme.score_frame(ddf._meta, reasons=reasons, statuses=statuses)
    return ddf.map_partitions(_score_partition, payload, reasons, statuses, meta=meta)
