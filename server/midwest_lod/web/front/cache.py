"""The per-version answer cache of the front: rendered bytes of GET answers, kept while the
version they came from is the published one.

A published version never changes, so an answer the application marks as belonging to it
(status 200, a weak ETag that starts with the version id, ``Cache-Control: public``, no
cookie) is the same for every identical request until the next publication. The front keeps
it, keyed by the ``current`` link's target and what the answer may depend on (path, query
string, the negotiation headers, the host it was asked of), and answers the next identical
request, or a matching ``If-None-Match`` with 304, from the event loop: no thread, no Flask.
A new publication changes the key; the old answers are dropped at the first request that sees
it. An answer whose ``Vary`` names a header the key does not hold is not kept.

What the cache does not see: a request answered from it runs none of the application's
hooks (``before_request``/``after_request``); :attr:`ResponseCache.hits` counts them, and
headers that belong to one request only (:data:`PER_REQUEST`) are never kept.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

#: Request headers an answer may vary on; they are part of the key.
KEY_HEADERS = ("accept", "accept-encoding", "accept-language", "origin", "host",
               "x-forwarded-host", "x-forwarded-proto")
_VARY_OK = frozenset(KEY_HEADERS)
#: Response headers that describe one request, not the answer: never kept.
PER_REQUEST = frozenset({"x-request-id", "date", "server", "connection"})
#: Headers a 304 leaves out (RFC 9110 15.4.5: it describes the kept representation).
_NOT_IN_304 = frozenset({"content-type", "content-length", "content-encoding"})

Key = tuple[str, ...]


class Entry:
    __slots__ = ("headers", "body", "etag", "headers_304", "size")

    def __init__(self, headers: list[tuple[str, str]], body: bytes, etag: str) -> None:
        self.headers = headers
        self.body = body
        self.etag = etag
        self.headers_304 = [(k, v) for k, v in headers if k.lower() not in _NOT_IN_304]
        self.size = len(body) + sum(len(k) + len(v) + 16 for k, v in headers) + 200


def matches(if_none_match: str, etag: str) -> bool:
    """The weak comparison of RFC 9110 13.1.2 of ``If-None-Match`` against ``etag``."""
    opaque = etag[2:] if etag.startswith("W/") else etag
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or (candidate[2:] if candidate.startswith("W/")
                                else candidate) == opaque:
            return True
    return False


class ResponseCache:
    """Answers of the published version, at most ``max_bytes`` (least recently used go)."""

    def __init__(self, current_link: Path, max_bytes: int,
                 uncached_paths: tuple[str, ...] = ()) -> None:
        self.current_link = str(current_link)
        self.max_bytes = max_bytes
        self.uncached_paths = uncached_paths
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.size = 0
        self.target = ""
        self.hits = 0

    def key(self, path: str, query_string: str, headers: Any) -> Key | None:
        """The key of a GET without a body, or None when it may not be answered from here."""
        if path.startswith(self.uncached_paths):
            return None
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        if target != self.target:  # a new publication: the old answers go
            self.entries.clear()
            self.size = 0
            self.target = target
        return (target, path, query_string, *(headers.get(h, "") for h in KEY_HEADERS))

    def get(self, key: Key) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.hits += 1
            self.entries.move_to_end(key)
        return entry

    def put(self, key: Key, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        """Keep the answer when it is a 200 of the version of ``key`` that may be shared."""
        if status != 200 or key[0] != self.target:
            return
        etag = cache_control = ""
        kept: list[tuple[str, str]] = []
        for name, value in headers:
            low = name.lower()
            if low == "set-cookie":
                return
            if low == "etag":
                etag = value
            elif low == "cache-control":
                cache_control = value
            elif low == "vary" and not {v.strip().lower() for v in value.split(",")
                                        } <= _VARY_OK:
                return
            elif low == "x-cache":
                value = "hit"
            if low not in PER_REQUEST:
                kept.append((name, value))
        version_id = key[0].rstrip("/").rsplit("/", 1)[-1]
        if not etag.startswith(f'W/"{version_id}.') or "public" not in cache_control:
            return
        entry = Entry(kept, body, etag)
        if entry.size > self.max_bytes // 8:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old.size
        self.entries[key] = entry
        self.size += entry.size
        while self.size > self.max_bytes and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.size -= dropped.size
