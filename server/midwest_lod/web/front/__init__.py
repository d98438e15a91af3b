"""The front: what granian runs in each web worker, around the Flask application.

``midwest-lod serve`` starts granian (a Rust HTTP/1.1 server, ``server.py``) with
:func:`create_front`; in each worker process the front, on granian's event loop,

1. answers repeated GETs of the published version from its answer cache (``cache.py``);
2. reads and bounds the request body with a deadline (``body.py``): 413 past the size cap,
   408 past the deadline, 400 for a bad ``Content-Length``, the connection closed after each;
3. then runs the unchanged Flask application (:func:`midwest_lod.web.create_app`) on a
   thread of its own pool with the whole body in memory (``bridge.py``), except for the
   common ``/sparql`` queries, which it reads and hands to the application's query service
   itself on that thread (``sparql.py``; errors still go to the application).

granian itself closes a connection whose request head is not complete within the header
deadline, and an idle keep-alive connection after it. So a client that has not finished
sending holds neither a thread nor, past the deadlines, a connection. Why this design:
docs/decisions/0018-serving.md.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from midwest_lod.iris import SPARQL_PATH
from midwest_lod.web import metrics, requestlog
from midwest_lod.web.front import body as bodies
from midwest_lod.web.front.bridge import (
    Answer,
    Pool,
    WSGIApp,
    call_wsgi,
    close_rest,
    complete_environ,
    header_environ,
    next_part,
)
from midwest_lod.web.front.cache import Entry, ResponseCache, matches

if TYPE_CHECKING:
    from midwest_lod.config import Settings
    from midwest_lod.web.front.sparql import SparqlFront

log = logging.getLogger(__name__)


class Front:
    """granian's RSGI application: the WSGI ``app`` behind the body reader and the cache."""

    def __init__(self, app: WSGIApp, *, threads: int, max_body_bytes: int,
                 body_timeout: float, cache: ResponseCache | None = None,
                 sparql: SparqlFront | None = None) -> None:
        self.app = app
        self.sparql = sparql
        self.threads = threads
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        self.cache = cache
        self._pool: Pool | None = None

    @property
    def pool(self) -> Pool:
        if self._pool is None:  # started in the worker process, at its first request
            self._pool = Pool(self.threads)
        return self._pool

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        if scope.proto != "http":
            return
        headers = scope.headers
        key = None
        if (self.cache is not None and scope.method == "GET"
                and "content-length" not in headers and "transfer-encoding" not in headers
                and "if-modified-since" not in headers):
            key = self.cache.key(scope.path, scope.query_string, headers)
            entry = self.cache.get(key) if key is not None else None
            if entry is not None:
                self._answer_from_cache(scope, proto, entry)
                return
        try:
            length = bodies.announced_length(headers.get("content-length"),
                                             headers.get("transfer-encoding"),
                                             self.max_body_bytes)
            body = (None if length is None
                    else await bodies.read_body(proto, self.max_body_bytes, self.body_timeout))
        except bodies.Refused as refused:
            proto.response_bytes(*bodies.plain(*refused.answer))
            return
        except bodies.Gone:
            return
        environ = header_environ(headers.items())
        complete_environ(environ, scope, body)
        try:
            if self.sparql is not None and scope.path == SPARQL_PATH:
                answer: Answer = await self.pool.submit(self.sparql.answer, environ)
            else:
                answer = await self.pool.submit(call_wsgi, self.app, environ)
        except Exception:  # the application failed outside its own error handler
            log.exception("unhandled error answering %s %s", scope.method, scope.path)
            proto.response_bytes(*bodies.plain(500, "Internal server error"))
            return
        await self._send(proto, answer)
        if key is not None and answer.file is None and answer.rest is None:
            self.cache.put(key, answer.status, answer.headers, answer.body)  # type: ignore[union-attr]

    def _answer_from_cache(self, scope: Any, proto: Any, entry: Entry) -> None:
        """A kept answer (or its 304), with a request id of its own, logged and counted like
        the application's answers (whose request hooks do not run for it)."""
        started = time.perf_counter()
        headers = scope.headers
        ident = requestlog.request_id(headers.get("x-request-id"))
        if_none_match = headers.get("if-none-match")
        if if_none_match is not None and matches(if_none_match, entry.etag):
            status, size = 304, 0
            proto.response_empty(304, [*entry.headers_304, (requestlog.HEADER, ident)])
        else:
            status, size = 200, len(entry.body)
            proto.response_bytes(200, [*entry.headers, (requestlog.HEADER, ident)], entry.body)
        seconds = time.perf_counter() - started
        metrics.count_cached(scope.method, status, seconds)
        requestlog.log_cached(ident, client=scope.client.rsplit(":", 1)[0] if scope.client
                              else None, method=scope.method, path=scope.path,
                              query_length=len(scope.query_string), status=status,
                              seconds=seconds, size=size, user_agent=headers.get("user-agent"))

    async def _send(self, proto: Any, answer: Answer) -> None:
        if answer.file is not None:
            proto.response_file(answer.status, answer.headers, answer.file)
        elif answer.rest is None:
            proto.response_bytes(answer.status, answer.headers, answer.body)
        else:
            rest = answer.rest
            try:
                transport = proto.response_stream(answer.status, answer.headers)
                await transport.send_bytes(answer.body)
                while data := await self.pool.submit(next_part, rest):
                    await transport.send_bytes(data)
            except Exception:  # the client went away in the middle
                await self.pool.submit(close_rest, rest)


def threads_for(settings: Settings) -> int:
    """Threads per web worker: the ``web_threads`` setting, or enough for every query that
    may run or wait (``query_workers + query_queue_length``) and four more for pages."""
    if settings.web_threads > 0:
        return settings.web_threads
    return settings.query_workers + settings.query_queue_length + 4


def front_for(app: WSGIApp, settings: Settings) -> Front:
    """The front around ``app`` with the bounds and the cache of ``settings``."""
    from midwest_lod.publication import current_link
    from midwest_lod.web.blueprints.sparql import max_body_bytes
    from midwest_lod.web.context import EXTENSION

    cache = None
    if settings.response_cache_bytes > 0:
        # the rate limit of /sparql (and the query API) counts every request, and with the
        # result cache off every query is evaluated: then queries are not answered from here
        queries_pass = settings.rate_limit > 0 or settings.cache_max_bytes == 0
        uncached = ("/sparql", "/api/") if queries_pass else ()
        cache = ResponseCache(current_link(settings.output_dir),
                              settings.response_cache_bytes, uncached)
    # /sparql without Flask (web/front/sparql.py) for the application of create_app, unless
    # the rate limit (a hook of the application) must count every query
    sparql = None
    if settings.rate_limit == 0 and EXTENSION in getattr(app, "extensions", {}):
        from midwest_lod.web.front.sparql import SparqlFront

        sparql = SparqlFront(app)  # type: ignore[arg-type]
    return Front(app, threads=threads_for(settings),
                 max_body_bytes=max_body_bytes(settings.max_query_length),
                 body_timeout=settings.body_timeout, cache=cache, sparql=sparql)


def create_front() -> Front:
    """granian's factory: the Flask application of the settings in the environment
    (``MIDWEST_LOD_*``, which ``midwest-lod serve`` sets) behind the front."""
    from midwest_lod.config import Settings
    from midwest_lod.web import create_app

    settings = Settings.load()
    return front_for(create_app(), settings)
