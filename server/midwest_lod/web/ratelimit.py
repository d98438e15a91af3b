"""A per-client rate limit on ``/sparql``: a token bucket per client address, in process.

Setting ``rate_limit`` (requests per minute per client address; 0, the default, turns it off).
Each client has a bucket of ``rate_limit`` tokens that refills at ``rate_limit`` per minute; a
request takes one token, a request finding the bucket empty gets 429 Too Many Requests with
``Retry-After`` (whole seconds until a token is back). A client can therefore make a burst of
``rate_limit`` requests, then ``rate_limit`` per minute.

The buckets live in the memory of one web worker process: with ``midwest-lod serve --workers N`` a
client may make up to N × ``rate_limit`` requests per minute (the kernel spreads its
connections over the processes). Set ``rate_limit`` to the budget divided by the number of
web workers, or limit at the reverse proxy when the bound must be exact.

The client is the connection's address (``REMOTE_ADDR``). Behind reverse proxies, set
``trusted_proxies`` to how many of them append to ``X-Forwarded-For``: the client is then the
address that many entries from the right of that header (what the outermost trusted proxy
saw). Never set it when clients can reach the server directly: they could then choose their
own address.

Memory is bounded: at most :data:`MAX_CLIENTS` buckets are kept (least recently used first
out; a dropped bucket is one that would have been full again, or the oldest).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from cachetools import LRUCache
from flask import Flask, request

from midwest_lod.errors import TooManyRequests

#: Buckets kept per web worker process (one per client address seen recently).
MAX_CLIENTS = 10_000
EXTENSION = "midwest_lod.ratelimit"


class RateLimiter:
    """Token buckets of ``per_minute`` tokens, refilled at ``per_minute`` per minute."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = MAX_CLIENTS) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        # tokens and time of each client, least recently used first out
        self._buckets: LRUCache[str, tuple[float, float]] = LRUCache(maxsize=max_clients)
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take a token for ``client``: 0 when allowed, else the seconds until one is back."""
        with self._lock:
            now = self.clock()
            tokens, then = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + max(0.0, now - then) * self.rate)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            return wait

    def __len__(self) -> int:
        return len(self._buckets)


def client_address(trusted_proxies: int) -> str:
    """The client of the current request (see the module documentation)."""
    if trusted_proxies > 0:
        forwarded = [part.strip() for value in request.headers.getlist("X-Forwarded-For")
                     for part in value.split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    return request.remote_addr or "unknown"


def install(app: Flask, per_minute: int, trusted_proxies: int, endpoints: set[str]) -> None:
    """Limit the requests to ``endpoints`` (Flask endpoint names); no-op when ``per_minute``
    is 0. CORS preflights (OPTIONS) are not counted."""
    if per_minute <= 0:
        return
    limiter = RateLimiter(per_minute)
    app.extensions[EXTENSION] = limiter

    @app.before_request
    def _rate_limit() -> None:
        if request.endpoint not in endpoints or request.method == "OPTIONS":
            return
        wait = limiter.take(client_address(trusted_proxies))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise TooManyRequests(
                f"Too many requests: this endpoint allows {per_minute} requests per minute "
                f"per client. Try again in {seconds} s.",
                headers={"Retry-After": str(seconds)})
