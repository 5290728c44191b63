"""DataFrames in and out (see :meth:`Scheme.score_frame`); pandas is imported
only when this module is used."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict

from ._batch import score_batch
from ._errors import ETYPE, InputError

if TYPE_CHECKING:  # pragma: no cover
    from ._scheme import Scheme

__all__ = ["score_frame", "frame_of"]

_STATUS = ("scored", "missing", "not_applicable", "undefined")


def score_frame(scheme: "Scheme", df: Any, *, reasons: bool = False, statuses: bool = False,
                threads: int = 1) -> Any:
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ImportError("jixiao: score_frame needs pandas (Debian: apt-get install "
                          "python3-pandas)") from e
    import numpy as np
    if not isinstance(df, pd.DataFrame):
        raise InputError(ETYPE, "score_frame takes a pandas DataFrame, not %s"
                         % type(df).__name__)
    names = scheme._metric_by_name
    cols: Dict[str, Any] = {}
    for c in df.columns:
        if isinstance(c, str) and c in names:
            s = df[c]
            cols[c] = s.to_numpy() if s.dtype == np.float64 else s
    n = len(df)
    b = score_batch(scheme, cols, n=n, threads=threads, scores=True, statuses=statuses)
    ni = len(b.indicator_ids)
    sm = (np.frombuffer(b.scores_matrix, dtype=np.float64).reshape(n, ni) if n
          else np.zeros((0, ni)))
    st = None
    if statuses:
        st = (np.frombuffer(b.status_matrix, dtype=np.uint8).reshape(n, ni) if n
              else np.zeros((0, ni), dtype=np.uint8))
    out = frame_of(scheme, df.index, sm, np.frombuffer(b.total, dtype=np.float64),
                   np.frombuffer(b.grade_index, dtype=np.intc),
                   np.frombuffer(b.complete, dtype=np.uint8), st)
    ids = b.indicator_ids
    if reasons:
        rows = _reasons(scheme, df, list(cols))
        for i, ind in enumerate(ids):
            out["reason:" + ind] = [r[i] for r in rows]
    return out


def frame_of(scheme: "Scheme", index: Any, sm: Any, totals: Any, grades: Any, complete: Any,
             st: Any = None) -> Any:
    """The scores DataFrame from batch outputs as numpy arrays: total, grade,
    complete, then one column per indicator (a view of ``sm``, n x indicators),
    and with ``st`` the status columns."""
    import pandas as pd
    ids = [i.id for i in scheme.indicators]
    n = len(totals)
    # The scores stay one 2-D block, a view of the batch output; the small
    # columns are inserted beside it. (pd.concat would copy every score.)
    out = pd.DataFrame(sm, index=index, columns=ids, copy=False)
    out.insert(0, "total", totals)
    out.insert(1, "grade", pd.Categorical.from_codes(grades, categories=[g.label for g in
                                                                          scheme.grades])
               if scheme.grades else [""] * n)
    out.insert(2, "complete", complete.astype(bool))
    if st is not None:
        cats = list(_STATUS)
        status = pd.DataFrame({"status:" + ind: pd.Categorical.from_codes(st[:, i],
                                                                          categories=cats)
                               for i, ind in enumerate(ids)}, index=index)
        out = pd.concat([out, status], axis=1, copy=False)
    return out


def _reasons(scheme: "Scheme", df: Any, metric_cols: list) -> list:
    """Each row scored on its own, for the reasons the batch path omits."""
    import math
    out = []
    sub = df[metric_cols]
    for row in sub.itertuples(index=False, name=None):
        vals = {}
        for name, v in zip(metric_cols, row):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            m = scheme._metric_by_name[name]
            if m.type == "bool" and isinstance(v, str):
                v = {"true": True, "false": False, "是": True, "否": False, "1": True,
                     "0": False}.get(v.strip().lower(), v)
            elif m.type == "bool" and not isinstance(v, bool):
                v = bool(v)
            elif hasattr(v, "item"):
                v = v.item()  # numpy scalar
            vals[name] = v
        r = scheme.score(vals)
        out.append([ind.reason for ind in r.indicators])
    return out
