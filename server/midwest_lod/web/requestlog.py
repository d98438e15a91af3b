"""A request id for every request and one structured (JSON) access-log line per request.

The id is the client's ``X-Request-Id`` when it is a sane one (1–128 characters of letters,
digits and ``-._:/+=``; a proxy in front usually sets it), else a new random one (32 hex
digits); it is echoed in the response's ``X-Request-Id`` and written in the log line, so a
report ("request 5f0c… failed") finds its line. The line (logger ``midwest_lod.access``, one
JSON object per line on standard error; setting ``access_log``)::

    {"time": "2026-12-04T08:01:02.345Z", "request_id": "…", "client": "127.0.0.1",
     "method": "GET", "path": "/sparql", "query_length": 152, "route": "/sparql",
     "status": 200, "duration_ms": 4.21, "bytes": 1234, "cache": "hit",
     "error": null, "user_agent": "curl/8.5.0"}

The query string itself is not logged (a SPARQL query can be 100,000 characters): its length
is. ``duration_ms`` is the time until the response starts; ``bytes`` is the body's length when
known before it is sent (null for a streamed body); ``error`` the class of the error answered.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, request

HEADER = "X-Request-Id"
_SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,127}$")
MAX_USER_AGENT = 200

log = logging.getLogger("midwest_lod.access")


def request_id(given: str | None) -> str:
    """``given`` when it is a sane id, else a new one."""
    if given and _SANE.match(given):
        return given
    return uuid.uuid4().hex


def _handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def install(app: Flask, *, access_log: bool) -> None:
    """Give every request of ``app`` an id (echoed in ``X-Request-Id``) and, with
    ``access_log``, log one JSON line per request."""
    if access_log and not log.handlers:
        log.addHandler(_handler())
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def _identify() -> None:
        g.request_id = request_id(request.headers.get(HEADER))
        g.request_started = time.perf_counter()

    @app.after_request
    def _echo_and_log(response: Response) -> Response:
        ident = g.get("request_id") or request_id(None)
        response.headers[HEADER] = ident
        if access_log:
            log.info("%s", _line(ident, response))
        return response


def enabled() -> bool:
    """Whether the access log is on (set up by :func:`install`)."""
    return bool(log.handlers)


def log_cached(ident: str, *, client: str | None, method: str, path: str, query_length: int,
               status: int, seconds: float, size: int, user_agent: str | None) -> None:
    """The line of an answer the front gives from its answer cache (web/front/cache.py),
    where no Flask request runs: the same fields, ``cache`` says ``"answer"``."""
    log_answer(ident, client=client, method=method, path=path, query_length=query_length,
               route=None, status=status, seconds=seconds, size=size, cache="answer",
               user_agent=user_agent)


def log_answer(ident: str, *, client: str | None, method: str, path: str, query_length: int,
               route: str | None, status: int, seconds: float, size: int, cache: str | None,
               user_agent: str | None) -> None:
    """The line of an answer the front gives without the application (its answer cache,
    the queries of web/front/sparql.py): the same fields as the application's lines."""
    if not log.handlers:
        return
    log.info("%s", json.dumps({
        "time": _now(), "request_id": ident, "client": client, "method": method, "path": path,
        "query_length": query_length, "route": route, "status": status,
        "duration_ms": round(seconds * 1000, 2), "bytes": size, "cache": cache,
        "error": None, "user_agent": (user_agent or "")[:MAX_USER_AGENT] or None,
    }, ensure_ascii=False, separators=(",", ":")))


def _now() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _name(error: object) -> str | None:
    if error is None:
        return None
    name = type(error).__name__
    return str(getattr(error, "title", name)) if name.startswith("_") else name


def _line(ident: str, response: Response) -> str:
    started = g.get("request_started")
    error = g.get("error")
    return json.dumps({
        "time": _now(),
        "request_id": ident,
        "client": request.remote_addr,
        "method": request.method,
        "path": request.path,
        "query_length": len(request.query_string),
        "route": request.url_rule.rule if request.url_rule is not None else None,
        "status": response.status_code,
        "duration_ms": (round((time.perf_counter() - started) * 1000, 2)
                        if started is not None else None),
        "bytes": response.calculate_content_length(),
        "cache": response.headers.get("X-Cache"),
        "error": _name(error),
        "user_agent": (request.user_agent.string or "")[:MAX_USER_AGENT] or None,
    }, ensure_ascii=False, separators=(",", ":"))
