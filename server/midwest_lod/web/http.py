"""HTTP manners shared by the blueprints: negotiation, validators, alternates, compression."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cachetools import LRUCache, cached
from flask import Response, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

from midwest_lod.formats import (
    ALIASES,
    BY_EXTENSION,
    BY_NAME,
    HTML,
    JSON,
    Format,
    by_media_type,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from midwest_lod.web.query.service import Result

#: Cache lifetime of data responses; a new publication changes the validators.
CACHE_CONTROL = "public, max-age=60"
#: Content-Security-Policy of every HTML page: scripts and requests from this origin only (the
#: search box's suggestions, the editor bundle: ``web/frontend.py``), no inline script or
#: style, nothing from elsewhere (JSON data blocks are not executed).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: Content-Security-Policy of the query page (``/sparql``): the same as every page's.
EDITOR_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY
_COMPRESSIBLE_SUFFIXES = ("json", "xml", "turtle", "n-triples", "n-quads", "trig", "csv",
                          "tab-separated-values", "html", "plain", "css", "javascript")
MIN_COMPRESS = 512  # bytes; smaller bodies are sent as they are


#: Accept headers up to this length have their negotiation results remembered: clients send
#: few distinct Accept headers, and parsing and matching one costs more than the rest of a
#: cached document (a long header is unusual: not worth keeping).
NEGOTIATED_MAX_LENGTH = 1000


def negotiate(formats: Sequence[Format]) -> Format | None:
    """The best of ``formats`` for the request's Accept header (werkzeug's parser).

    No Accept header means "anything": the first format. Media types that are aliases of an
    offered format (``text/plain`` for N-Triples, ...) count as that format.
    """
    return negotiate_header(request.headers.get("Accept", ""), formats)


def negotiate_header(header: str, formats: Sequence[Format]) -> Format | None:
    """:func:`negotiate` for the Accept header ``header`` (outside a Flask request)."""
    if len(header) > NEGOTIATED_MAX_LENGTH:
        return _negotiate(header, tuple(formats))
    return _negotiated(header, tuple(formats))


def asks_profile(fmt: Format, profile: str) -> bool:
    """True when the request's Accept lists ``fmt`` with ``profile`` among its ``profile``
    parameter's IRIs (JSON-LD's ``expanded``...). Werkzeug matches media types with their
    parameters as exact strings, so the parameter is read here."""
    for value, quality in parse_accept_header(request.headers.get("Accept", ""), MIMEAccept):
        media_type, options = parse_options_header(value)
        if media_type == fmt.media_type and quality > 0 and profile in options.get(
                "profile", "").split():
            return True
    return False


def html_or_json() -> Format:
    """HTML or plain JSON (:data:`~midwest_lod.formats.JSON`) by the Accept header, HTML when
    neither is asked for: the pages that are also JSON (search, facets)."""
    best = request.accept_mimetypes.best_match([HTML.media_type, JSON.media_type])
    return JSON if best == JSON.media_type else HTML


def _negotiate(header: str, formats: tuple[Format, ...]) -> Format | None:
    # media types compared bare: Werkzeug compares parameters (a JSON-LD ``profile``) as exact
    # strings, so "application/ld+json;profile=..." would match no offer; read them apart
    accept = MIMEAccept([(parse_options_header(value)[0], quality)
                         for value, quality in parse_accept_header(header, MIMEAccept)])
    if not accept:
        return formats[0]
    offered = {f.media_type: f for f in formats}
    candidates = [*offered, *(alias for alias, target in ALIASES.items() if target in offered)]
    best = accept.best_match(candidates)
    return by_media_type(best) if best else None


def _negotiation_key(header: str, formats: tuple[Format, ...]) -> tuple[str, tuple[str, ...]]:
    return header, tuple(f.media_type for f in formats)


#: :func:`_negotiate` remembered by (Accept header, offered media types).
_negotiated = cached(LRUCache[tuple[str, tuple[str, ...]], Format | None](maxsize=1024),
                     key=_negotiation_key, lock=threading.Lock())(_negotiate)


def format_parameter(value: str, formats: Iterable[Format]) -> Format | None:
    """A ``format=`` request parameter: a short name, a file extension or a media type."""
    allowed = tuple(formats)
    found = BY_NAME.get(value) or BY_EXTENSION.get(value) or by_media_type(value)
    return found if found in allowed else None


def is_fresh(etag: str, last_modified: datetime) -> bool:
    """True when the client's validators (If-None-Match, If-Modified-Since) are current."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and last_modified <= since


def set_validators(response: Response, etag: str, last_modified: datetime) -> Response:
    response.set_etag(etag, weak=True)
    response.last_modified = last_modified
    response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    return response


def not_modified(etag: str, last_modified: datetime, *, vary: str | None = None) -> Response:
    response = Response(status=304)
    if vary:
        response.vary.add(vary)
    return set_validators(response, etag, last_modified)


def link_header(links: Iterable[tuple[str, str, Format]]) -> str:
    """``Link`` header value for (target, rel, format) triples."""
    return ", ".join(f'<{target}>; rel="{rel}"; type="{fmt.media_type}"'
                     for target, rel, fmt in links)


def add_security_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == HTML.media_type:  # a page may set a policy of its own (the query page)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response


def result_response(result: Result, row_limit: int) -> Response:
    """A query result as it is answered by ``/sparql`` and the query API: the cached gzip
    body when the client takes it, the cache and truncation headers, ``Vary: Accept``."""
    if result.gzipped is not None and accepts_gzip():  # kept compressed by the result cache
        response = Response(result.gzipped, content_type=result.format.charset_media_type)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(result.body, content_type=result.format.charset_media_type)
    result_headers(response, result, row_limit)
    return response


def result_headers(response: Response, result: Result, row_limit: int) -> None:
    """The headers every answer of a query result carries, whatever its body."""
    if result.cache:
        response.headers["X-Cache"] = result.cache
    if result.truncated:
        response.headers["X-SPARQL-MaxRows"] = str(row_limit)
        response.headers["X-SPARQL-Truncated"] = "true"
    response.vary.add("Accept")


def accepts_gzip() -> bool:
    return bool(request.accept_encodings["gzip"])


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzipped as :func:`compress` does (deterministic: no time stamp)."""
    return gzip.compress(data, compresslevel=5, mtime=0)


def compress(response: Response) -> Response:
    """gzip a buffered textual response when the client accepts it."""
    mimetype = response.mimetype or ""
    if not mimetype.endswith(_COMPRESSIBLE_SUFFIXES) and not mimetype.startswith("text/"):
        return response
    response.vary.add("Accept-Encoding")
    if (response.direct_passthrough or response.is_streamed or response.status_code != 200
            or "Content-Encoding" in response.headers
            or not request.accept_encodings["gzip"]):
        return response
    data = response.get_data()
    if len(data) < MIN_COMPRESS:
        return response
    response.set_data(gzip_bytes(data))
    response.headers["Content-Encoding"] = "gzip"
    return response


#: How much of a request body gunicorn reads and drops when the application left it unread, to
#: keep the connection; past it, gunicorn closes the connection after the answer.
DRAIN_BYTES = 64 * 1024


class _CountingInput:
    """``wsgi.input`` that counts what the application read (read, readline, iteration)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.read_bytes = 0
        self.at_end = False

    def _count(self, data: bytes, size: int | None) -> bytes:
        self.read_bytes += len(data)
        if not data or size is None or size < 0:
            self.at_end = True
        return data

    def read(self, size: int | None = -1) -> bytes:
        data: bytes = self._stream.read(size) if size is not None else self._stream.read()
        return self._count(data, size)

    def readline(self, size: int | None = -1) -> bytes:
        data: bytes = self._stream.readline(size) if size is not None else self._stream.readline()
        if not data:
            self.at_end = True
        self.read_bytes += len(data)
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        lines: list[bytes] = self._stream.readlines(hint)
        self.read_bytes += sum(len(line) for line in lines)
        self.at_end = hint is None or hint < 0
        return lines

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")


class CloseUnreadBodies:
    """WSGI middleware: an answer to a request whose body the application left unread says
    ``Connection: close``.

    The application refuses some requests without reading their body (413 for a too-large
    query, 415, 405, a GET with a body). gunicorn would answer ``Connection: keep-alive``,
    then read and drop at most :data:`DRAIN_BYTES` of that body and, past it, close the
    connection anyway: the client's next request on the connection would fail. When more than
    that is left unread, the answer asks gunicorn to close (its ``force_close``; a WSGI
    application may not send ``Connection`` itself). Other servers are left alone: the front
    of ``web/front/`` (``midwest-lod serve``) reads every body before the application runs, so
    there this only matters under another WSGI server.
    """

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse
                 ) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if not chunked and length <= DRAIN_BYTES:
            return self.app(environ, start_response)
        counted = environ["wsgi.input"] = _CountingInput(environ["wsgi.input"])

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None
                  ) -> Callable[[bytes], object]:
            if chunked:
                left_unread = not counted.at_end
            else:
                left_unread = length - counted.read_bytes > DRAIN_BYTES
            if left_unread:
                force_close = getattr(getattr(start_response, "__self__", None),
                                      "force_close", None)
                if callable(force_close):  # gunicorn's Response
                    force_close()
            return start_response(status, headers, exc_info)

        return self.app(environ, start)
