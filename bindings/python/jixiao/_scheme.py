"""Schemes: loading and checking an indicator scheme, and what it offers.

Owns :class:`Scheme` (``jx_scheme_load_*`` and the metadata read from it:
the :class:`Indicator`, :class:`Metric` and :class:`Grade` records), pickling
a scheme by value (``_restore_scheme``, the function its pickles name), and
the methods that hand a scheme to the modules below it: inputs and scoring
(``_input``, ``_result``), lint (``_diagnostics``), extraction (``_extract``),
and, imported when first used, batches (``_batch``) and DataFrames
(``_frame``). This is the top of the package's imports: none of those
modules imports it at run time.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, List, NamedTuple, Optional, Tuple, Union

from . import _native
from ._convert import (PathLike, Text, _encode_path, _encode_text, _load_flags, _s, _source_name,
                       _type_name)
from ._errors import (EARG, EIO, ETYPE, EVALUE, InputError, SchemeError, ScoreError,
                      error_struct, raise_from_struct)
from ._diagnostics import Diagnostics, lint_string
from ._extract import Extraction, _extract_from
from ._handles import Owner
from ._input import Input, _set_all, _set_not_applicable
from ._result import _JX_STRICT, Result, _lang_flag, _score

__all__ = ["Scheme", "Indicator", "Metric", "Grade"]

if TYPE_CHECKING:  # pragma: no cover
    from ._batch import BatchResult

_lib = _native.lib
_NONE = _native.JX_NONE

_METRIC_TYPES = ("number", "bool", "level")


# ---- Scheme introspection records ---------------------------------------------

class Indicator(NamedTuple):
    """An indicator of a scheme (document order: a parent before its children)."""

    index: int
    id: str
    name: str
    unit: str
    max: float
    depth: int
    parent: Optional[str]
    parent_index: Optional[int]
    is_leaf: bool
    rule: str  # "deduct", "bands", ...; "" for a parent
    children: Tuple[str, ...]


class Metric(NamedTuple):
    """A declared input metric."""

    index: int
    name: str
    unit: str
    type: str  # "number", "bool" or "level"
    levels: Tuple[str, ...]  # for level metrics, in declared order


class Grade(NamedTuple):
    """A grade, best first. ``min`` is None for an override grade (one with ``if_missing``)."""

    index: int
    label: str
    min: Optional[float]

    @property
    def override(self) -> bool:
        return self.min is None


# ---- Schemes -------------------------------------------------------------------

def _free_scheme(ptr: int) -> None:
    _lib.jx_scheme_free(ptr)


class Scheme:
    """A loaded, checked indicator scheme. Immutable; share it between threads.

    Load with :meth:`load` or :meth:`from_string`; score with :meth:`score`.
    ``close()`` (or ``with``) frees it early; results made from it stay valid.
    """

    __slots__ = ("_owner", "_finalizer", "_origin", "id", "title", "total", "precision",
                 "lang", "indicators", "metrics", "grades", "_ind_by_id", "_metric_by_name",
                 "__weakref__")

    id: str
    title: str
    total: float
    precision: int
    lang: str
    indicators: Tuple[Indicator, ...]
    metrics: Tuple[Metric, ...]
    grades: Tuple[Grade, ...]

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("use Scheme.load(path) or Scheme.from_string(text)")

    # -- construction --

    @classmethod
    def _wrap(cls, ptr: int, origin: Tuple[str, Any, Any, Any]) -> "Scheme":
        self = object.__new__(cls)
        self._owner = Owner(ptr, _free_scheme, "scheme")
        self._finalizer = weakref.finalize(self, self._owner.close)
        self._origin = origin
        try:
            self._read_metadata(ptr)
        except BaseException:
            self._finalizer()
            raise
        return self

    @classmethod
    def load(cls, path: PathLike, *, lang: Optional[str] = None) -> "Scheme":
        """Load and check a scheme file. Raises :class:`SchemeError` (with
        ``source`` = the path, and the JSON ``path``, ``line``, ``column``),
        its message in Chinese with ``lang="zh"`` (English with "en" or
        None); the language affects only these messages."""
        flags = _load_flags(lang, SchemeError)
        p = _encode_path(path, SchemeError)
        err = error_struct()
        try:
            # The bytes read here are the bytes loaded (and what a pickle
            # carries), so a later edit of the file cannot slip in.
            with open(p, "rb") as f:
                buf = f.read()
        except OSError:
            buf = None
        if buf is None:
            ptr = _lib.jx_scheme_load_file(p, flags, ctypes.byref(err))
        else:
            ptr = _lib.jx_scheme_load_buffer(buf, len(buf), p, flags, ctypes.byref(err))
        if not ptr:
            raise raise_from_struct(SchemeError, err, os.fsdecode(p), EIO)
        if buf is None:  # pragma: no cover - the file vanished between the calls
            _lib.jx_scheme_free(ptr)
            raise SchemeError(EIO, "cannot read %s" % os.fsdecode(p), source=os.fsdecode(p))
        src = os.fsdecode(p)
        return cls._wrap(ptr, ("file", buf, src, _profile_of(buf, src)))

    @classmethod
    def from_string(cls, text: Text, source: Optional[str] = None, *,
                    lang: Optional[str] = None) -> "Scheme":
        """Load and check a scheme from JSON text (str or UTF-8 bytes).
        ``source`` names it in errors (default ``"<string>"``) and is the
        file name a profile file named by ``"extract"`` is found beside;
        without it such a name is refused. ``lang`` as for :meth:`load`."""
        flags = _load_flags(lang, SchemeError)
        buf = _encode_text(text, SchemeError, "the scheme text")
        src = _source_name(source, SchemeError)
        err = error_struct()
        ptr = _lib.jx_scheme_load_buffer(buf, len(buf), src, flags, ctypes.byref(err))
        if not ptr:
            raise raise_from_struct(SchemeError, err, "<string>", EARG)
        return cls._wrap(ptr, ("string", buf, source, _profile_of(buf, source)))

    def _read_metadata(self, s: int) -> None:
        L = _lib
        self.id = _s(L.jx_scheme_id(s))
        self.title = _s(L.jx_scheme_title(s))
        self.total = L.jx_scheme_total(s)
        self.precision = L.jx_scheme_precision(s)
        self.lang = _s(L.jx_scheme_lang(s)) or "zh"
        n = L.jx_scheme_indicator_count(s)
        raw = []
        for i in range(n):
            p = L.jx_scheme_indicator_parent(s, i)
            raw.append((_s(L.jx_scheme_indicator_id(s, i)), _s(L.jx_scheme_indicator_name(s, i)),
                        _s(L.jx_scheme_indicator_unit(s, i)), L.jx_scheme_indicator_max(s, i),
                        L.jx_scheme_indicator_depth(s, i), None if p == _NONE else int(p),
                        bool(L.jx_scheme_indicator_is_leaf(s, i)),
                        _s(L.jx_scheme_indicator_rule(s, i))))
        children: List[List[str]] = [[] for _ in range(n)]
        for i, r in enumerate(raw):
            if r[5] is not None:
                children[r[5]].append(r[0])
        self.indicators = tuple(
            Indicator(i, r[0], r[1], r[2], r[3], r[4], None if r[5] is None else raw[r[5]][0],
                      r[5], r[6], r[7], tuple(children[i]))
            for i, r in enumerate(raw))
        metrics = []
        for m in range(L.jx_scheme_metric_count(s)):
            t = L.jx_scheme_metric_type(s, m)
            levels = tuple(_s(L.jx_scheme_metric_level(s, m, k))
                           for k in range(L.jx_scheme_metric_level_count(s, m)))
            metrics.append(Metric(m, _s(L.jx_scheme_metric_name(s, m)),
                                  _s(L.jx_scheme_metric_unit(s, m)),
                                  _METRIC_TYPES[t] if 0 <= t < 3 else "unknown", levels))
        self.metrics = tuple(metrics)
        grades = []
        for g in range(L.jx_scheme_grade_count(s)):
            lo = L.jx_scheme_grade_min(s, g)
            grades.append(Grade(g, _s(L.jx_scheme_grade_label(s, g)), None if lo != lo else lo))
        self.grades = tuple(grades)
        self._ind_by_id = {ind.id: ind for ind in self.indicators}
        self._metric_by_name = {m.name: m for m in self.metrics}

    @property
    def source_text(self) -> bytes:
        """The scheme's JSON exactly as it was loaded (UTF-8 bytes)."""
        return self._origin[1]  # type: ignore[return-value]

    @property
    def digest(self) -> str:
        """``jx_scheme_digest``: SHA-256 (hex) of the canonical scheme (the
        document with sorted keys and no whitespace), independent of layout.
        With a library older than 1.1, the SHA-256 of :attr:`source_text`."""
        if _native.has("audit"):
            with self._owner.borrow() as s:
                return _s(_lib.jx_scheme_digest(s))
        return hashlib.sha256(self.source_text).hexdigest()

    def __reduce__(self) -> Tuple[Any, ...]:
        """Pickle by value: the source text, the extraction profile file it
        names (if any), and the SHA-256 of both, checked when unpickled. The
        original files are not needed afterwards."""
        kind, text, source, profile = self._origin
        return (_restore_scheme, (text, source, profile, _pickle_sum(text, profile)))

    # -- lifetime --

    def close(self) -> None:
        """Free the scheme now (idempotent). Results made from it stay valid;
        inputs and extractions made from it keep it until they are freed."""
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._owner.closed

    def __enter__(self) -> "Scheme":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<jixiao.Scheme %r %s, %d indicators%s>" % (
            self.id, self.title, len(self.indicators), " (closed)" if self.closed else "")

    # -- introspection --

    def indicator(self, id: str) -> Indicator:
        """The indicator with this id; KeyError if there is none."""
        return self._ind_by_id[id]

    def metric(self, name: str) -> Metric:
        """The input metric with this name; KeyError if there is none."""
        return self._metric_by_name[name]

    @property
    def leaves(self) -> Tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.is_leaf)

    @property
    def has_extraction(self) -> bool:
        """True when the scheme has an extraction profile (and the library
        supports extraction)."""
        if not _native.has("extraction"):
            return False
        with self._owner.borrow() as s:
            return bool(_lib.jx_scheme_has_extraction(s))

    # -- lint --

    def lint(self) -> "Diagnostics":
        """Every error and warning for this scheme's source: the text it was
        loaded from (a file is not read again)."""
        kind, a, b, _ = self._origin
        return lint_string(a, b)  # type: ignore[arg-type]

    # -- inputs and scoring --

    def input(self, metrics: Optional[Mapping] = None, *,
              not_applicable: Optional[Iterable] = None) -> "Input":
        """A new :class:`Input` (every metric missing), optionally filled."""
        inp = Input(self)
        try:
            if metrics is not None:
                inp.update(metrics)
            if not_applicable is not None:
                inp.set_not_applicable(not_applicable)
        except BaseException:
            inp.close()
            raise
        return inp

    def load_input(self, path: PathLike, *, lang: Optional[str] = None) -> "Input":
        """An :class:`Input` read from an input JSON file
        (``{"metrics": {...}, "not_applicable": [...]}``); ``lang="zh"``
        gives :class:`InputError` a Chinese message."""
        inp = Input(self)
        try:
            inp.load_file(path, lang=lang)
        except BaseException:
            inp.close()
            raise
        return inp

    def score(self, metrics: Union[Mapping, "Input", "Extraction", None] = None, *,
              not_applicable: Optional[Iterable] = None, strict: bool = False,
              lang: Optional[str] = None) -> "Result":
        """Score figures and return a :class:`Result`.

        Args:
            metrics: ``{metric name: value}`` (numbers, bools, level names;
                None = missing), an :class:`Input` of this scheme, or an
                :class:`Extraction` of this scheme.
            not_applicable: indicator ids marked not applicable (with their subtrees).
            strict: raise :class:`ScoreError` (``JX_EINCOMPLETE`` /
                ``JX_EUNDEFINED``) instead of scoring a missing or undefined leaf 0.
            lang: ``"zh"`` or ``"en"`` for the reasons; default the scheme's.

        Raises:
            InputError: an unknown metric or indicator, a value of the wrong type.
            ScoreError: strict scoring failed, or a bad option.
            ClosedError: the scheme (or the input) is closed.
        """
        if not isinstance(strict, (bool, int)):
            raise ScoreError(EARG, "strict must be a bool, not %s" % _type_name(strict))
        flags = (_JX_STRICT if strict else 0) | _lang_flag(lang)
        rlang = lang.decode() if isinstance(lang, bytes) else (lang or self.lang)
        if isinstance(metrics, Input):
            if not_applicable is not None:
                raise ScoreError(EARG, "with an Input, mark not-applicable indicators on the "
                                 "Input (Input.set_not_applicable)")
            return metrics._score(self, flags, rlang)
        if metrics is not None and not isinstance(metrics, (Mapping, Extraction)):
            raise InputError(ETYPE, "metrics must be a mapping of metric name to value, an "
                             "Input or an Extraction, not %s" % _type_name(metrics),
                             path="metrics")
        with self._owner.borrow() as s:
            inp = _lib.jx_input_new(s)
            if not inp:
                raise MemoryError("jixiao: out of memory")
            try:
                if isinstance(metrics, Extraction):
                    metrics._apply_to(inp, self)
                elif metrics is not None:
                    _set_all(self, inp, metrics)
                if not_applicable is not None:
                    _set_not_applicable(self, inp, not_applicable)
                return _score(s, inp, flags, rlang)
            finally:
                _lib.jx_input_free(inp)

    # -- extraction --

    def extract(self, text: Text, *, jit: bool = True) -> "Extraction":
        """Run the scheme's extraction profile over report text.

        ``text`` is a str or UTF-8 bytes. Returns an :class:`Extraction`:
        one :class:`Found` per metric of the profile, with the matches that
        gave it (provenance). Raises :class:`ExtractError`: no profile
        (``JX_EUNSUPPORTED``, also when the library was built without
        extraction), invalid UTF-8 (``JX_ESYNTAX`` with offset, line and
        column), a match limit hit (``JX_ELIMIT``)."""
        return _extract_from(self, text, jit)

    # -- batch --

    def score_batch(self, columns: Optional[Mapping] = None, *,
                    not_applicable: Optional[Mapping] = None, n: Optional[int] = None,
                    threads: int = 1, scores: bool = True,
                    statuses: bool = True, out: Optional["BatchResult"] = None) -> "BatchResult":
        """Score many entities at once, from columns, at C speed.

        Args:
            columns: ``{metric name: column}``, each with one entry per
                entity: a list, an ``array.array('d')``, a numpy array, a
                ``memoryview`` or a pandas Series. Any C-contiguous float64
                buffer (array('d'), a writable memoryview, a float64 numpy
                array or Series) is passed to C without a copy. Numbers for
                number metrics (bools count as 1/0), bools, 1/0 or the words
                true/false/是/否 for bool metrics, level names or level
                indices for level metrics; None or NaN is a missing value. A metric without a column is missing for every
                entity.
            not_applicable: ``{indicator id: column of bools}``: marks the
                indicator (and its subtree) not applicable per entity.
            n: the number of entities, needed only when there are no columns.
            threads: split the work over this many threads (0: one per CPU).
            scores, statuses: False to skip the per-indicator score / status
                columns (only totals, grades and completeness; faster).
            out: a :class:`BatchResult` from ``BatchResult.empty(scheme, n)``
                (or an earlier call with the same n) to fill instead of
                allocating new output columns.

        Returns:
            A :class:`BatchResult` of columns: ``total``, ``grade_index``,
            ``grade``, ``complete``, and ``scores`` / ``status`` by indicator
            id. The numbers are exactly those :meth:`score` gives one entity
            at a time (without the reasons).

        Uses ``jx_batch_score`` when the library has it (``jixiao.has("batch")``),
        else scores one entity at a time.
        """
        from . import _batch
        return _batch.score_batch(self, columns, not_applicable=not_applicable, n=n,
                                  threads=threads, scores=scores, statuses=statuses, out=out)

    def score_frame(self, df: Any, *, reasons: bool = False, statuses: bool = False,
                    threads: int = 1) -> Any:
        """Score every row of a pandas DataFrame; returns a DataFrame with the
        same index.

        Columns named like the scheme's metrics are read (others are
        ignored; a metric without a column is missing): float64 columns go to
        C without a copy, other columns as :meth:`score_batch` takes them
        (NaN/None missing, bools also as 是/否/true/false, level names).
        The result has ``total``, ``grade``, ``complete`` and one column per
        indicator id with its score; ``statuses=True`` adds ``status:<id>``
        (the status names) and ``reasons=True`` adds ``reason:<id>`` (the
        reasons, scored row by row: much slower). pandas is imported only
        here."""
        from . import _frame
        return _frame.score_frame(self, df, reasons=reasons, statuses=statuses,
                                  threads=threads)


    def score_csv(self, source: Any, *, threads: int = 1, frame: bool = True,
                  skip_bad: bool = False, bad_rows: Optional[list] = None,
                  statuses: bool = False, codes: bool = True, chunk_rows: int = 8192) -> Any:
        """Read a CSV file of figures in C and score every row; returns a
        pandas DataFrame like :meth:`score_frame` gives (``total``, ``grade``,
        ``complete``, one column per indicator; ``statuses=True`` adds
        ``status:<id>``), indexed by the file's ``id`` column (or 0..n-1 when
        it has none).

        ``source`` is a path or a file object (binary or text). The file is the
        one jx-batch reads (docs/api.md, "Batches from CSV"): a header of metric
        names (others are an error), optionally ``id`` and ``not_applicable``;
        empty cells missing; bools true/false/是/否/1/0, levels by name, and
        with ``codes`` (the default) also bools as 1.0/0.0 and levels as their
        index, as pandas writes them. It is read in chunks of ``chunk_rows``
        rows by the library's CSV reader and scored by ``jx_batch_score`` on
        ``threads`` worker threads (0: one per CPU) while this thread reads
        ahead; no Python code runs per row.

        A bad row raises :class:`InputError` naming the file, line, column and
        what was expected; with ``skip_bad=True`` bad rows are left out (and
        appended to ``bad_rows`` when it is a list). With ``frame=False``, or
        without numpy and pandas, returns a :class:`BatchResult` whose ``ids``
        holds the ids (or None)."""
        from . import _csv
        return _csv.score_csv(self, source, threads=threads, frame=frame, skip_bad=skip_bad,
                              bad_rows=bad_rows, statuses=statuses, codes=codes,
                              chunk_rows=chunk_rows)

# ---- Pickling --------------------------------------------------------------------

def _profile_of(text: bytes, source: Optional[str]) -> Optional[Tuple[str, bytes]]:
    """The profile file a scheme names by ``"extract": "file.json"``: its name
    (relative to the scheme) and bytes, or None. Read at load time so that a
    pickle carries what was loaded."""
    if not source or b'"extract"' not in text:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    name = doc.get("extract") if isinstance(doc, dict) else None
    if not isinstance(name, str):
        return None
    try:
        with open(os.path.join(os.path.dirname(source), name), "rb") as f:
            return name, f.read()
    except OSError:
        return None


def _pickle_sum(text: bytes, profile: Optional[Tuple[str, bytes]]) -> str:
    h = hashlib.sha256(text)
    if profile is not None:
        h.update(b"\0" + profile[0].encode("utf-8") + b"\0" + profile[1])
    return h.hexdigest()


def _restore_scheme(text: bytes, source: Optional[str], profile: Optional[Tuple[str, bytes]],
                    sha256: str) -> Scheme:
    """Unpickle a :class:`Scheme` (module level, so pickle and cloudpickle
    find it by name). Refuses a payload whose SHA-256 does not match."""
    if _pickle_sum(text, profile) != sha256:
        raise SchemeError(EVALUE, "pickled scheme is corrupt: its SHA-256 does not match",
                          source=source or "<pickle>")
    if profile is None:
        s = Scheme.from_string(text, source)
        return s
    # The library reads a named profile from beside the scheme: recreate
    # both in a private directory for the load, then remove it.
    d = tempfile.mkdtemp(prefix="jixiao-")
    try:
        base = os.path.basename(source or "scheme.json")
        path = os.path.join(d, base)
        ppath = os.path.normpath(os.path.join(d, profile[0]))
        if not ppath.startswith(d + os.sep):
            raise SchemeError(EVALUE, "pickled profile name %r leaves its directory"
                              % profile[0], source=source or "<pickle>")
        os.makedirs(os.path.dirname(ppath), exist_ok=True)
        with open(ppath, "wb") as f:
            f.write(profile[1])
        buf = text
        err = error_struct()
        ptr = _lib.jx_scheme_load_buffer(buf, len(buf), os.fsencode(path), 0, ctypes.byref(err))
        if not ptr:
            raise raise_from_struct(SchemeError, err, path, EARG)
        return Scheme._wrap(ptr, ("string", buf, source, profile))
    finally:
        shutil.rmtree(d, ignore_errors=True)
