"""A small thread-safe LRU cache bounded by bytes.

A published version never changes, so what is derived from it (a rendered entity document,
later a SPARQL result) can be kept until memory runs short. Each :class:`Version` holds its
own caches; a new publication starts empty ones and the old ones go with the old version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class ByteCache:
    """Keeps values (bytes) by key, evicting the least recently used past ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: bytes) -> None:
        if len(value) > self.max_bytes // 8:  # one item may not take most of the cache
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._items[key] = value
            self._size += len(value)
            while self._size > self.max_bytes and self._items:
                _, evicted = self._items.popitem(last=False)
                self._size -= len(evicted)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        return self._size
