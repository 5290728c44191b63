"""CSV files scored in C (see :meth:`Scheme.score_csv`).

The library's CSV reader (``jx_csv_*``) cuts the file into chunks of rows and
parses each into column buffers; ``jx_batch_score`` scores a chunk straight
into the output columns at its place. No Python code runs per cell or per
row: Python only hands chunks around. The calling thread cuts the text while
``threads`` worker threads parse and score (ctypes releases the GIL during
the C calls), as jx-batch does. numpy and pandas are used when present.
"""
from __future__ import annotations

import ctypes
import os
from array import array
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, List, Optional, Tuple

from . import _native
from ._batch import BatchResult
from ._convert import _encode_path
from ._errors import (EARG, EIO, ENOMEM, ETYPE, EUNSUPPORTED, InputError, ScoreError,
                      error_struct, raise_from_struct)

if TYPE_CHECKING:  # pragma: no cover
    from ._scheme import Scheme

__all__ = ["score_csv"]

_lib = _native.lib
JX_CSV_STOP = 0x10
JX_CSV_ID_OPTIONAL = 0x20
JX_CSV_CODES = 0x40
_PP = ctypes.POINTER(ctypes.c_void_p)


class _Out:
    """Output columns with room for ``cap`` rows: numpy arrays when building
    a DataFrame, else ``array`` (no numpy needed)."""

    def __init__(self, np: Any, ni: int, cap: int, statuses: bool) -> None:
        self.np, self.ni, self.statuses = np, ni, statuses
        self.cap = 0
        self.cols = {}  # name -> (typecode, per-row width, column)
        self.grow(cap)

    def _new(self, code: str, n: int) -> Any:
        if self.np is not None:
            return self.np.empty(n, dtype={"d": self.np.float64, "B": self.np.uint8,
                                           "i": self.np.intc}[code])
        return array(code, bytes(n * array(code).itemsize))

    def grow(self, cap: int) -> None:
        specs = [("scores", "d", self.ni), ("total", "d", 1), ("grade", "i", 1),
                 ("complete", "B", 1)]
        if self.statuses:
            specs.append(("status", "B", self.ni))
        for name, code, width in specs:
            col = self._new(code, cap * width)
            old = self.cols.get(name)
            if old is not None:
                col[:self.cap * width] = old[2][:self.cap * width]
            self.cols[name] = (code, width, col)
        self.cap = cap

    def address(self, name: str, row: int) -> Optional[int]:
        if name not in self.cols:
            return None
        code, width, col = self.cols[name]
        base = col.ctypes.data if self.np is not None else col.buffer_info()[0]
        return base + row * width * array(code).itemsize

    def take(self, segments: List[Tuple[int, int]], n: int) -> None:
        """Keep only the rows of ``segments`` ((first row, count), in order),
        n in all: the rows of chunks that had bad rows or blank lines."""
        for name, (code, width, col) in list(self.cols.items()):
            if self.np is not None:
                m = col.reshape(-1, width) if width > 1 else col
                idx = self.np.concatenate([self.np.arange(a, a + k) for a, k in segments]
                                          or [self.np.zeros(0, dtype=self.np.intp)])
                kept = m[idx].reshape(-1)
            else:
                kept = array(code)
                for a, k in segments:
                    kept.extend(col[a * width:(a + k) * width])
            self.cols[name] = (code, width, kept)
        self.cap = n

    def trim(self, n: int) -> None:
        for name, (code, width, col) in list(self.cols.items()):
            if self.np is not None:
                self.cols[name] = (code, width, col[:n * width])
            else:
                del col[n * width:]
        self.cap = n


class _Slot:
    """A chunk on its way through, and the batch workspace that scores it."""

    __slots__ = ("c", "b", "err")

    def __init__(self, r: int, s: int, rows: int) -> None:
        self.c = _lib.jx_csv_chunk_new(r, rows)
        self.b = _lib.jx_batch_new(s)
        self.err = error_struct()
        if not self.c or not self.b:
            self.free()
            raise MemoryError("jixiao: out of memory")

    def free(self) -> None:
        if self.c:
            _lib.jx_csv_chunk_free(self.c)
        if self.b:
            _lib.jx_batch_free(self.b)
        self.c = self.b = None


def _bad_rows(c: int, source: str) -> List[InputError]:
    return [InputError._from_c(_lib.jx_csv_chunk_bad(c, k).contents, source)
            for k in range(_lib.jx_csv_chunk_bad_count(c))]


class _Stream:
    """A file object as a ``jx_csv_read_fn``: binary (``readinto``/``read``)
    or text (encoded to UTF-8; what does not fit waits for the next call).
    An exception is kept and raised once the C call returns."""

    def __init__(self, f: Any) -> None:
        self.f = f
        self.pending = b""
        self.exc: Optional[BaseException] = None
        self.fn = _native.CSV_READ_FN(self._read)

    def _read(self, ctx: int, buf: int, size: int) -> int:
        try:
            if not self.pending:
                readinto = getattr(self.f, "readinto", None)
                if readinto is not None:
                    n = readinto((ctypes.c_char * size).from_address(buf))
                    return int(n or 0)
                data = self.f.read(size)
                if isinstance(data, str):
                    data = data.encode("utf-8")
                elif not isinstance(data, (bytes, bytearray)):
                    raise InputError(ETYPE, "read() gave %s, not str or bytes"
                                     % type(data).__name__)
                self.pending = bytes(data)
            n = min(size, len(self.pending))
            ctypes.memmove(buf, self.pending, n)
            self.pending = self.pending[n:]
            return n
        except BaseException as e:  # noqa: B902 - handed back to the caller
            self.exc = e
            return -1


def _open(s: int, source: Any, flags: int, err: Any) -> Tuple[int, Any, Optional[int], str]:
    """The reader, what must outlive it, the text's size if known, its name."""
    if isinstance(source, (str, bytes, os.PathLike)):
        path = _encode_path(source, InputError)
        name = os.fsdecode(path)
        try:
            size: Optional[int] = os.path.getsize(path)
        except OSError:
            size = None
        return _lib.jx_csv_open_file(s, path, flags, ctypes.byref(err)), None, size, name
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        name = name if isinstance(name, str) else "<stream>"
        stream = _Stream(source)
        r = _lib.jx_csv_open_callback(s, stream.fn, None, name.encode("utf-8", "replace"),
                                      flags, ctypes.byref(err))
        if not r and stream.exc is not None:
            raise stream.exc
        return r, stream, None, name
    raise InputError(ETYPE, "score_csv reads a path or a file object, not %s"
                     % type(source).__name__)


def score_csv(scheme: "Scheme", source: Any, *, threads: int = 1, frame: bool = True,
              skip_bad: bool = False, bad_rows: Optional[list] = None,
              statuses: bool = False, codes: bool = True, chunk_rows: int = 8192) -> Any:
    """See :meth:`jixiao.Scheme.score_csv`."""
    if not _native.has("csv") or not _native.has("batch"):
        raise ScoreError(EUNSUPPORTED, "the loaded library has no CSV reader (jx_csv_*, "
                         "libjixiao 1.1)")
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise ScoreError(EARG, "threads must be an int >= 0 (0: one per CPU), not %r"
                         % (threads,))
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise ScoreError(EARG, "chunk_rows must be an int >= 1, not %r" % (chunk_rows,))
    threads = threads or os.cpu_count() or 1
    np = pd = None
    if frame:
        try:
            import numpy as np
            import pandas as pd
        except ImportError:
            np = pd = None
    flags = JX_CSV_ID_OPTIONAL | (JX_CSV_CODES if codes else 0) | (0 if skip_bad else JX_CSV_STOP)
    err = error_struct()
    with scheme._owner.borrow() as s:
        r, keep, size, name = _open(s, source, flags, err)
        if not r:
            raise raise_from_struct(InputError, err, name, EIO)
        try:
            out, ids, n = _read_all(scheme, s, r, keep, size, name, np, threads, skip_bad,
                                    bad_rows, statuses, chunk_rows)
        finally:
            _lib.jx_csv_free(r)
    del keep
    return _result(scheme, out, ids, n, np, pd, statuses)


def _read_all(scheme: "Scheme", s: int, r: int, stream: Optional[_Stream], size: Optional[int],
              name: str, np: Any, threads: int, skip_bad: bool, bad_rows: Optional[list],
              statuses: bool, chunk_rows: int) -> Tuple[_Out, Optional[List[str]], int]:
    nm, ni = len(scheme.metrics), len(scheme.indicators)
    has_id = _lib.jx_csv_id_column(r) != _native.JX_NONE
    out = _Out(np, ni, 4 * chunk_rows, statuses)
    slots = [_Slot(r, s, chunk_rows) for _ in range(threads + 2)]
    free = deque(slots)
    pending: deque = deque()  # (slot, future, first row, records), in file order
    segments: List[Tuple[int, int]] = []
    id_parts: List[List[str]] = []
    gaps = False
    offset = 0
    first: Optional[InputError] = None

    def work(slot: _Slot, row: int) -> Tuple[int, int]:
        c = slot.c
        rc = _lib.jx_csv_chunk_parse(r, c, ctypes.byref(slot.err))
        if rc < 0:
            return rc, 0
        k = _lib.jx_csv_chunk_rows(c)
        if k:
            na = _lib.jx_csv_chunk_not_applicable(c)
            rc = _lib.jx_batch_score(s, slot.b, k, ctypes.cast(_lib.jx_csv_chunk_metrics(c), _PP),
                                     nm, ctypes.cast(na, _PP) if na else None, ni,
                                     out.address("scores", row), out.address("status", row),
                                     out.address("total", row), out.address("grade", row),
                                     out.address("complete", row), ctypes.byref(slot.err))
        return rc, k

    def finish() -> None:
        nonlocal gaps, first
        slot, fut, row, nrec = pending.popleft()
        rc, k = fut.result()
        if rc < 0:
            if rc == ENOMEM:
                raise MemoryError("jixiao: out of memory")
            raise raise_from_struct(ScoreError, slot.err, name, rc)
        bad = _bad_rows(slot.c, name) if _lib.jx_csv_chunk_bad_count(slot.c) else []
        if bad and not skip_bad and first is None:
            first = bad[0]
        if bad_rows is not None:
            bad_rows.extend(bad)
        if has_id and k:
            ln = ctypes.c_size_t()
            p = _lib.jx_csv_chunk_ids(slot.c, ctypes.byref(ln))
            part = ctypes.string_at(p, ln.value).decode("utf-8").split("\0")
            part.pop()
            id_parts.append(part)
        segments.append((row, k))
        gaps = gaps or k != nrec
        free.append(slot)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        try:
            while first is None:
                if not free:
                    finish()
                    continue
                slot = free.popleft()
                err = error_struct()
                rc = _lib.jx_csv_read_text(r, slot.c, ctypes.byref(err))
                if rc < 0:
                    if stream is not None and stream.exc is not None:
                        raise stream.exc
                    raise raise_from_struct(InputError, err, name, rc)
                if rc == 0:
                    free.append(slot)
                    break
                nrec = _lib.jx_csv_chunk_records(slot.c)
                if offset + nrec > out.cap:
                    # room for the rest, estimated from the file's size; the
                    # columns move, so nothing may be scoring into them
                    while pending:
                        finish()
                    est = 0
                    if size and offset == 0:
                        est = size * nrec // max(_lib.jx_csv_chunk_bytes(slot.c), 1)
                        est = est + est // 50 + chunk_rows
                    out.grow(max(est, 2 * out.cap, offset + nrec))
                pending.append((slot, pool.submit(work, slot, offset), offset, nrec))
                offset += nrec
            while pending:
                finish()
        finally:
            for _slot, fut, _row, _n in pending:
                fut.cancel()
            pool.shutdown(wait=True)
            for sl in slots:
                sl.free()
    if first is not None:
        raise first
    n = sum(k for _, k in segments)
    if gaps:
        out.take(segments, n)
    else:
        out.trim(n)
    ids = [i for part in id_parts for i in part] if has_id else None
    return out, ids, n


def _result(scheme: "Scheme", out: _Out, ids: Optional[List[str]], n: int, np: Any, pd: Any,
            statuses: bool) -> Any:
    ni = len(scheme.indicators)
    col = {name: c for name, (_code, _w, c) in out.cols.items()}
    if pd is not None:
        from ._frame import frame_of
        index = pd.Index(ids, name="id", dtype=object) if ids is not None else pd.RangeIndex(n)
        st = col["status"].reshape(n, ni) if statuses else None
        return frame_of(scheme, index, col["scores"].reshape(n, ni), col["total"],
                        col["grade"], col["complete"], st)
    b = BatchResult._of_columns(scheme, n, col["scores"], col.get("status"), col["total"],
                                col["grade"], col["complete"])
    b.ids = ids
    return b
