"""The load driver: N client threads, each with one keep-alive HTTP/1.1 connection.

Standard library only (``http.client``), so that the driver costs the same for every server
under test. Each client walks the request list round-robin from its own offset (the mix stays
even), records the latency of every request (send to last byte read) and whether it
succeeded (2xx or 304; anything else, or a broken connection, is an error). The driver's own
CPU time per request is measured (``time.process_time`` over the phase) and reported: it runs on
the same two cores as the server.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    """One request of a workload; ``name`` groups the figures (a query of the mix, a format)."""

    name: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    method: str = "GET"
    ok_status: tuple[int, ...] = (200,)


@dataclass
class Sample:
    name: str
    seconds: float
    ok: bool
    status: int


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of an already sorted list; 0 when empty."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(q / 100 * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarise(samples: Sequence[Sample], seconds: float) -> dict[str, Any]:
    """req/s (successful requests), p50/p90/p99 latency (ms, all requests), errors."""
    latencies = sorted(s.seconds for s in samples)
    ok = sum(1 for s in samples if s.ok)
    statuses: dict[str, int] = {}
    for s in samples:
        if not s.ok:
            statuses[str(s.status)] = statuses.get(str(s.status), 0) + 1
    return {
        "requests": len(samples),
        "rps": round(ok / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p90_ms": round(percentile(latencies, 90) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "errors": len(samples) - ok,
        "error_statuses": statuses,
    }


class _Client(threading.Thread):
    def __init__(self, host: str, port: int, requests: Sequence[Request], offset: int,
                 start: threading.Event, stop: threading.Event, timeout: float,
                 once: bool) -> None:
        super().__init__(daemon=True)
        self.host, self.port = host, port
        self.requests = requests
        self.offset = offset
        self.start_event, self.stop_event = start, stop
        self.timeout = timeout
        self.once = once
        self.samples: list[Sample] = []
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def run(self) -> None:
        self.start_event.wait()
        n = len(self.requests)
        index = self.offset
        while not self.stop_event.is_set():
            if self.once and index >= n:
                return
            request = self.requests[index % n]
            index += 1
            self.samples.append(self._send(request))

    def _send(self, request: Request) -> Sample:
        started = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(request.method, request.path, headers=dict(request.headers))
            response = conn.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException):
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return Sample(request.name, time.perf_counter() - started, False, 0)
        return Sample(request.name, time.perf_counter() - started,
                      status in request.ok_status, status)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


@dataclass
class PhaseResult:
    samples: list[Sample]
    seconds: float
    driver_cpu_seconds: float

    def summary(self) -> dict[str, Any]:
        overall = summarise(self.samples, self.seconds)
        names = sorted({s.name for s in self.samples})
        overall["per_request"] = {
            name: summarise([s for s in self.samples if s.name == name], self.seconds)
            for name in names}
        overall["seconds"] = round(self.seconds, 2)
        overall["driver_cpu_us_per_request"] = round(
            self.driver_cpu_seconds / max(1, len(self.samples)) * 1e6, 1)
        return overall


def drive(base_url: str, requests: Sequence[Request], clients: int, seconds: float, *,
          warmup: float = 0.0, timeout: float = 120.0) -> PhaseResult:
    """Send ``requests`` round-robin from ``clients`` threads for ``seconds`` (after
    ``warmup`` seconds whose samples are dropped)."""
    if warmup > 0:
        _run(base_url, requests, clients, warmup, timeout=timeout, once=False)
    return _run(base_url, requests, clients, seconds, timeout=timeout, once=False)


def drive_once(base_url: str, requests: Sequence[Request], clients: int = 1, *,
               timeout: float = 120.0) -> PhaseResult:
    """Send each of ``requests`` exactly once (split over ``clients`` threads)."""
    return _run(base_url, requests, clients, None, timeout=timeout, once=True)


def _run(base_url: str, requests: Sequence[Request], clients: int, seconds: float | None, *,
         timeout: float, once: bool) -> PhaseResult:
    host, _, port = base_url.removeprefix("http://").rstrip("/").partition(":")
    start, stop = threading.Event(), threading.Event()
    if once:  # client i takes requests i, i+clients, ...: give each its own slice
        slices = [list(requests[i::clients]) for i in range(clients)]
        threads = [_Client(host, int(port or 80), s, 0, start, stop, timeout, True)
                   for s in slices if s]
    else:
        step = max(1, len(requests) // clients)
        threads = [_Client(host, int(port or 80), requests, i * step, start, stop, timeout,
                           False) for i in range(clients)]
    for thread in threads:
        thread.start()
    cpu0, t0 = time.process_time(), time.perf_counter()
    start.set()
    if seconds is None:
        for thread in threads:
            thread.join()
    else:
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout + 5)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    samples = [s for thread in threads for s in thread.samples]
    for thread in threads:
        thread.close()
    return PhaseResult(samples, elapsed, cpu)
