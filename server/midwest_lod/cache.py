"""Memory for what is derived from a published version, bounded by bytes.

A published version never changes, so what is derived from it (a rendered entity document, a
SPARQL result, an event stream page in another format) can be kept until memory runs short.
:class:`SizedCache` is cachetools' LRU cache (least recently used first out, sized by each
value's bytes) behind a lock, as web threads share it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")


class SizedCache(Generic[V]):
    """Values by key, at most ``max_bytes`` of them (``size_of`` a value), thread-safe.

    One value may not take more than an eighth of the cache: a larger one is not kept.
    """

    def __init__(self, max_bytes: int, size_of: Callable[[V], int]) -> None:
        self.max_item = max_bytes // 8
        self._size_of = size_of
        self._items: LRUCache[Hashable, V] = LRUCache(maxsize=max(1, max_bytes),
                                                      getsizeof=size_of)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
            return value

    def put(self, key: Hashable, value: V) -> bool:
        """Keep ``value``; False when it is too large to be kept."""
        if self._size_of(value) > self.max_item:
            return False
        with self._lock:
            self._items[key] = value
        return True

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        """The bytes the values take."""
        return int(self._items.currsize)


def byte_cache(max_bytes: int) -> SizedCache[bytes]:
    """A :class:`SizedCache` of bytes (rendered documents, pages)."""
    return SizedCache(max_bytes, len)
