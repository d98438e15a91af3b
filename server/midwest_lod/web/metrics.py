"""Prometheus metrics at ``/-/metrics`` (``prometheus_client``), from every web worker.

What is counted, from the Flask request hooks (no part of the query path is touched):

* ``midwest_lod_http_requests_total{route, method, status}`` and
  ``midwest_lod_http_request_duration_seconds{route, method}`` (a histogram; the time until
  the response starts, so a streamed dump counts its first byte): ``route`` is the URL rule
  (``/doc/<path:path>``), not the path, so the label stays small (``(none)`` for no route);
* ``midwest_lod_query_timeouts_total`` and ``midwest_lod_query_out_of_memory_total``: queries
  stopped for running too long or needing too much memory;
* ``midwest_lod_rejections_total{reason}``: ``query_admission`` (every query slot busy, the
  queue full) and ``rate_limit`` (429);
* ``midwest_lod_query_cache_total{result}``: answers from the result cache (``hit``) or
  evaluated (``miss``), as ``X-Cache`` says;
* ``midwest_lod_published_version_info{version}`` (1) and
  ``midwest_lod_published_version_built_timestamp_seconds``: the version ``current`` names at
  the time of the scrape, read by the process that answers it.

**Several worker processes.** The counts live in prometheus_client's multiprocess mode: each
process writes its own files into one folder (setting ``metrics_dir``; by default a folder per
server under the system's temporary folder, named after the workers' parent process and its
start time, so a new server run starts empty) and ``/-/metrics`` adds up every file there. So
any worker answers the scrape with the counts of all of them, including workers that have
exited (their counters stay, as counters must). The process sets ``PROMETHEUS_MULTIPROC_DIR``
(what prometheus_client reads) to that folder itself; a value it inherited is ignored (a
server started by a process that made an app of its own must not count into that one's).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, g, request

from midwest_lod.errors import (
    QueryAdmissionRefused,
    QueryOutOfMemory,
    QueryTimeout,
    TooManyRequests,
)
from midwest_lod.web.context import ctx

if TYPE_CHECKING:
    from collections.abc import Iterator

    from midwest_lod.config import Settings

METRICS_PATH = "/-/metrics"
MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
NO_ROUTE = "(none)"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
#: Seconds: pages and cached answers take milliseconds, queries up to query_timeout.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

bp = Blueprint("metrics", __name__)


@dataclass(frozen=True)
class _Metrics:
    requests: Any
    duration: Any
    timeouts: Any
    out_of_memory: Any
    rejections: Any
    cache: Any
    folder: Path


_metrics: _Metrics | None = None
_lock = threading.Lock()


def metrics_folder(settings: Settings) -> Path:
    """Where this server's processes keep their metrics (see the module documentation)."""
    if settings.metrics_dir:
        return Path(settings.metrics_dir)
    parent = os.getppid()
    return Path(tempfile.gettempdir()) / "midwest-lod-metrics" / f"{parent}-{_started(parent)}"


def _started(pid: int) -> str:
    """The start time of process ``pid`` (clock ticks since boot; Linux), so that a reused
    pid does not find an earlier server's counts; empty where /proc does not tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, counted after "pid (comm)"


def _create(folder: Path) -> _Metrics:
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROCESS_VARIABLE] = str(folder)
    from prometheus_client import Counter, Histogram, values

    if values.ValueClass.__name__ != "MmapedValue":  # imported before the variable was set
        values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
    return _Metrics(
        requests=Counter("midwest_lod_http_requests", "HTTP requests answered, by route "
                         "(URL rule), method and status.", ["route", "method", "status"],
                         registry=None),
        duration=Histogram("midwest_lod_http_request_duration_seconds", "Time until the "
                           "response starts, by route and method.", ["route", "method"],
                           buckets=BUCKETS, registry=None),
        timeouts=Counter("midwest_lod_query_timeouts", "SPARQL queries stopped after "
                         "query_timeout.", registry=None),
        out_of_memory=Counter("midwest_lod_query_out_of_memory", "SPARQL queries stopped "
                              "for needing more than query_memory_limit.", registry=None),
        rejections=Counter("midwest_lod_rejections", "Requests refused before evaluation: "
                           "query_admission (every query slot busy, the queue full) or "
                           "rate_limit (429).", ["reason"], registry=None),
        cache=Counter("midwest_lod_query_cache", "SPARQL answers from the result cache (hit) "
                      "or evaluated (miss).", ["result"], registry=None),
        folder=folder,
    )


#: The route of answers the front gives from its answer cache (web/front/cache.py): the
#: application's request hooks do not run for them.
ANSWER_CACHE_ROUTE = "(answer cache)"


def count_cached(method: str, status: int, seconds: float) -> None:
    """Count an answer of the front's answer cache (when metrics are installed)."""
    count_answer(ANSWER_CACHE_ROUTE, method, status, seconds)


def count_answer(route: str, method: str, status: int, seconds: float,
                 cache: str = "") -> None:
    """Count an answer the front gives without the application (its answer cache, the
    queries of web/front/sparql.py) as the application's hooks count theirs; ``cache`` is
    the answer's ``X-Cache`` (hit or miss of the result cache, or empty)."""
    if _metrics is None:
        return
    method = method if method in METHODS else "OTHER"
    _metrics.requests.labels(route, method, str(status)).inc()
    _metrics.duration.labels(route, method).observe(seconds)
    if cache in ("hit", "miss"):
        _metrics.cache.labels(cache).inc()


def install(app: Flask, settings: Settings) -> None:
    """Count every request of ``app`` and serve ``/-/metrics``."""
    global _metrics
    with _lock:
        if _metrics is None:
            _metrics = _create(metrics_folder(settings))
    metrics = _metrics

    @app.before_request
    def _start_clock() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        started = g.get("metrics_started")
        route = request.url_rule.rule if request.url_rule is not None else NO_ROUTE
        method = request.method if request.method in METHODS else "OTHER"
        metrics.requests.labels(route, method, str(response.status_code)).inc()
        if started is not None:
            metrics.duration.labels(route, method).observe(time.perf_counter() - started)
        error = g.get("error")
        if isinstance(error, QueryTimeout):
            metrics.timeouts.inc()
        elif isinstance(error, QueryOutOfMemory):
            metrics.out_of_memory.inc()
        elif isinstance(error, QueryAdmissionRefused):
            metrics.rejections.labels("query_admission").inc()
        elif isinstance(error, TooManyRequests):
            metrics.rejections.labels("rate_limit").inc()
        cache = response.headers.get("X-Cache")
        if cache in ("hit", "miss"):
            metrics.cache.labels(cache).inc()
        return response

    app.register_blueprint(bp)


class _PublishedVersion:
    """The version ``current`` names now, as read by the process answering the scrape."""

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        version = ctx().version()
        info = GaugeMetricFamily("midwest_lod_published_version_info",
                                 "The published version being served (1).",
                                 labels=["version"])
        info.add_metric([version.id], 1.0)
        yield info
        built = version.manifest.get("built_at")
        if isinstance(built, str):
            from midwest_lod.timestamps import parse_utc

            yield GaugeMetricFamily("midwest_lod_published_version_built_timestamp_seconds",
                                    "When the published version was built (Unix time).",
                                    value=parse_utc(built).timestamp())


@bp.get(METRICS_PATH)
def metrics_page() -> Response:
    """Every process's counts, in the Prometheus text format."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
    from prometheus_client.multiprocess import MultiProcessCollector

    assert _metrics is not None
    registry = CollectorRegistry(auto_describe=False)
    MultiProcessCollector(registry, path=str(_metrics.folder))  # type: ignore[no-untyped-call]
    registry.register(_PublishedVersion())
    response = Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response
