"""Admission control of SPARQL evaluation, the same for the embedded and the external store.

At most ``size`` queries evaluate at once per web process (setting ``query_workers``); at
most ``max_waiting`` more wait for a slot (``query_queue_length``), each at most ``wait``
seconds (``query_queue_wait``); any further query is refused at once with 503 and
``Retry-After``. So SPARQL cannot tie up every thread of the web server: the rest answer pages
(docs/operations.md, "Guard rails").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from midwest_lod.errors import QueryAdmissionRefused


class Slots:
    """``size`` slots with a bounded queue in front (see the module); ``max_waiting`` None
    leaves the queue unbounded. ``what`` names the slots in the 503 messages."""

    def __init__(self, size: int, wait: float, *, max_waiting: int | None, what: str) -> None:
        self.size = max(1, size)
        self.wait = wait
        self.max_waiting = None if max_waiting is None else max(0, max_waiting)
        self.what = what
        self._free = threading.BoundedSemaphore(self.size)
        self._admitted = 0  # holding a slot or waiting for one
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, retry: int) -> Iterator[None]:
        """Hold a slot for the ``with`` block, or raise 503 (``Retry-After: retry``) when the
        queue is full or no slot is free within ``wait`` seconds."""
        with self._lock:
            if self.max_waiting is not None and self._admitted >= self.size + self.max_waiting:
                raise self._busy(retry, f" and {self.max_waiting} more queries are waiting")
            self._admitted += 1
        try:
            if not self._free.acquire(timeout=self.wait):
                raise self._busy(retry)
            try:
                yield
            finally:
                self._free.release()
        finally:
            with self._lock:
                self._admitted -= 1

    def _busy(self, retry: int, more: str = "") -> QueryAdmissionRefused:
        return QueryAdmissionRefused(f"all {self.size} {self.what} are busy{more}; try again in "
                                  f"{retry} s", headers={"Retry-After": str(retry)})
