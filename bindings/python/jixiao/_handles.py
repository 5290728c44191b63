"""Ownership of C handles (internal).

An :class:`Owner` holds one C pointer and frees it exactly once: after
``close()`` *and* once no borrower is using it. Calls borrow the pointer for
their duration (``with owner.borrow() as ptr``), so closing an object from
one thread while another thread is inside a C call on it defers the free to
the end of that call instead of freeing memory in use. Inputs and
extractions borrow their scheme for their whole life, because the C library
does not let an input outlive its scheme.
"""
from __future__ import annotations

import threading
from typing import Callable, Optional

from ._errors import EARG, ClosedError

__all__ = ["Owner"]


class Owner:
    """One C handle; see the module docstring."""

    __slots__ = ("_ptr", "_free", "_lock", "_users", "_closed", "_what")

    def __init__(self, ptr: int, free: Callable[[int], None], what: str) -> None:
        self._ptr: Optional[int] = ptr
        self._free = free
        # Reentrant: a garbage collection inside a locked section may run a
        # finalizer that closes or releases this same owner.
        self._lock = threading.RLock()
        self._users = 0
        self._closed = False
        self._what = what

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def what(self) -> str:
        """What the handle is ("scheme", "input", ...), as errors name it."""
        return self._what

    def acquire(self) -> int:
        """Borrow the pointer; raise :class:`ClosedError` once closed."""
        with self._lock:
            if not self._closed:
                self._users += 1
                return self._ptr  # type: ignore[return-value]
        raise ClosedError(EARG, "the %s is closed" % self._what)

    def release(self) -> None:
        """End a borrow; frees the handle if it was closed meanwhile."""
        with self._lock:
            self._users -= 1
            ptr = self._take_if_done()
        if ptr is not None:
            self._free(ptr)

    def close(self) -> None:
        """Mark closed; free now, or when the last borrower is done. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            ptr = self._take_if_done()
        if ptr is not None:
            self._free(ptr)

    def _take_if_done(self) -> Optional[int]:
        if self._closed and self._users == 0 and self._ptr is not None:
            ptr, self._ptr = self._ptr, None
            return ptr
        return None

    def borrow(self) -> "_Borrow":
        """``with owner.borrow() as ptr: ...``"""
        return _Borrow(self)


class _Borrow:
    __slots__ = ("_owner",)

    def __init__(self, owner: Owner) -> None:
        self._owner = owner

    def __enter__(self) -> int:
        return self._owner.acquire()

    def __exit__(self, *exc: object) -> None:
        self._owner.release()
