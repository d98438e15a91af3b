"""``/sparql`` without Flask: the common query requests answered by the front itself.

A query by GET (``query=``), by POST form or by POST ``application/sparql-query`` whose
results the client takes in a data format (SPARQL JSON, XML, CSV, TSV; Turtle, JSON-LD, ...)
is read here, on the thread the front runs it on: the protocol parameters once (werkzeug's
parser, the same as Flask's), the query's checks (:func:`midwest_lod.sparql.analyse`: no
update, no SERVICE, bounded nesting), the negotiated formats, and then the application's own
:class:`~midwest_lod.web.query.service.QueryService` (the result cache, admission, the query
workers with their time and memory limits, or the external store) evaluates it. The answer
carries what the application gives a query result (validators, ``Vary``, gzip, ``X-Cache``,
the row cap's headers, the security and CORS headers, ``X-Request-Id``) and is counted and
logged as the application's are (route ``/sparql``).

Everything else goes to the application as before: no query (the service description),
HTML (the query page), ``format=``, ``update``, conditional requests, a query the checks
refuse, a request this module does not read exactly as the blueprint would; and every error
the evaluation raises (400 syntax, 406, 503 time-out, busy or out of memory, 500): those are
handed to the application with the error (:data:`ERROR_KEY`), which raises it before its view
runs, so it is answered, counted and logged by the one error handler, in the format the
client asked for. docs/decisions/0022-sparql-in-the-front.md says why.
"""

from __future__ import annotations

import functools
import re
import time
from typing import TYPE_CHECKING, Any

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" codec error handler
from werkzeug.datastructures import Accept
from werkzeug.http import http_date, parse_accept_header

from midwest_lod import formats
from midwest_lod.formats import GRAPH_FORMATS, HTML, RESULT_FORMATS, Format
from midwest_lod.iris import SPARQL_PATH
from midwest_lod.sparql import MAX_NESTING, QueryInfo, analyse
from midwest_lod.web import EXPOSED_HEADERS, http, metrics, requestlog
from midwest_lod.web.front.bridge import Answer, WSGIApp, call_wsgi
from midwest_lod.web.query.service import Dataset, FormatChoice

if TYPE_CHECKING:
    from flask import Flask

    from midwest_lod.web.context import AppContext

#: The environ key of an error the front met evaluating a query, for the application to answer.
ERROR_KEY = "midwest_lod.front.error"
#: Parameters that need the blueprint (``format=``, ``update=``).
_HANDED_ON = frozenset({"format", "update"})
_FORM = formats.FORM_MEDIA_TYPE
_QUERY = formats.SPARQL_QUERY_MEDIA_TYPE
_SOLUTION_OFFERS = (*RESULT_FORMATS, HTML)
_GRAPH_OFFERS = (*GRAPH_FORMATS, HTML)
#: The application's CORS answer to every request (flask-cors, web/__init__.py: any origin,
#: these headers readable), and its security headers of a non-HTML answer (web/http.py).
STATIC_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", ", ".join(sorted(EXPOSED_HEADERS))),
]
#: Queries up to this length have their analysis remembered (a pure function of the text).
ANALYSED_MAX_LENGTH = 8192


_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _unescape(match: re.Match[str]) -> str:
    return bytes.fromhex(match.group().replace("%", "")).decode("utf-8", "werkzeug.url_quote")


def parse_form(text: str) -> list[tuple[str, str]]:
    """``urllib.parse.parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")``
    (what werkzeug reads ``request.args`` and form bodies with: bytes that are not UTF-8 stay
    percent-encoded), several times faster on long queries: the standard library decodes
    percent escapes one byte at a time in Python."""
    pairs = []
    for field in text.split("&"):
        if not field:
            continue
        name, _, value = field.partition("=")
        if "+" in name:
            name = name.replace("+", " ")
        if "%" in name:
            name = _ESCAPES.sub(_unescape, name)
        if "+" in value:
            value = value.replace("+", " ")
        if "%" in value:
            value = _ESCAPES.sub(_unescape, value)
        pairs.append((name, value))
    return pairs


@functools.lru_cache(maxsize=512)
def _analysed(query: str) -> QueryInfo:
    return analyse(query)


@functools.lru_cache(maxsize=256)
def _accepts_gzip(header: str) -> bool:
    return bool(parse_accept_header(header, Accept)["gzip"])


@functools.lru_cache(maxsize=16)
def _http_date(value: Any) -> str:
    return http_date(value)


class SparqlFront:
    """Answers the common ``/sparql`` requests of the Flask application ``app`` (made by
    :func:`midwest_lod.web.create_app`) without running it; see the module."""

    def __init__(self, app: Flask) -> None:
        from midwest_lod.web.context import EXTENSION

        self.app: WSGIApp = app
        self.context: AppContext = app.extensions[EXTENSION]
        settings = self.context.settings
        self.max_length = settings.max_query_length
        self.row_limit = settings.row_limit
        self._warm = False
        app.before_request(_raise_handed_error)  # after the application's own hooks

    def answer(self, environ: dict[str, Any]) -> Answer:
        """The answer to the ``/sparql`` request of ``environ`` (on a thread of the front)."""
        started = time.perf_counter()
        request = self._read(environ)
        if request is None:
            return call_wsgi(self.app, environ)
        query, info, dataset, choice, accept_encoding = request
        if not self._warm:  # what the application's first request does (query workers)
            self._warm = True
            self.context.query_service.warm()
        context = self.context
        try:
            version = context.version()
            result = context.query_service.run(query, choice, dataset,
                                               has_dataset_clause=info.has_dataset_clause)
            if result.version != version.id:  # republished since: the answering version's
                version = context.version()
        except Exception as exc:  # noqa: BLE001 - the application answers it (module doc)
            environ[ERROR_KEY] = exc
            return call_wsgi(self.app, environ)
        method = environ["REQUEST_METHOD"]
        fmt = result.format
        body = result.body
        headers = [("Content-Type", fmt.charset_media_type)]
        encoding = None
        if accept_encoding and _accepts_gzip(accept_encoding):
            if result.gzipped is not None:
                body, encoding = result.gzipped, "gzip"
            elif len(body) >= http.MIN_COMPRESS:
                body, encoding = http.gzip_bytes(body), "gzip"
        headers.append(("Content-Length", str(len(body))))
        headers.append(("Vary", "Accept, Accept-Encoding"))
        if method == "GET" and result.version == version.id:  # the blueprint's rule
            etag = f"{version.id}.{_name(choice.solutions)}-{_name(choice.graph)}"
            headers += [("ETag", f'W/"{etag}"'),
                        ("Last-Modified", _http_date(version.last_modified)),
                        ("Cache-Control", http.CACHE_CONTROL)]
        else:
            headers.append(("Cache-Control", "no-store"))
        if encoding:
            headers.append(("Content-Encoding", encoding))
        if result.cache:
            headers.append(("X-Cache", result.cache))
        if result.truncated:
            headers += [("X-SPARQL-MaxRows", str(self.row_limit)),
                        ("X-SPARQL-Truncated", "true")]
        ident = requestlog.request_id(environ.get("HTTP_X_REQUEST_ID"))
        headers += STATIC_HEADERS
        headers.append((requestlog.HEADER, ident))
        answer = Answer()
        answer.status, answer.headers, answer.body = 200, headers, body
        seconds = time.perf_counter() - started
        metrics.count_answer(SPARQL_PATH, method, 200, seconds, result.cache)
        if requestlog.enabled():
            requestlog.log_answer(
                ident, client=environ.get("REMOTE_ADDR"), method=method,
                path=environ["PATH_INFO"], query_length=len(environ.get("QUERY_STRING", "")),
                route=SPARQL_PATH, status=200, seconds=seconds, size=len(body),
                cache=result.cache or None, user_agent=environ.get("HTTP_USER_AGENT"))
        return answer

    def _read(self, environ: dict[str, Any]
              ) -> tuple[str, QueryInfo, Dataset, FormatChoice, str] | None:
        """What the blueprint would read from the request, or None when it must read it
        itself (see the module)."""
        method = environ["REQUEST_METHOD"]
        if (method not in ("GET", "POST") or "HTTP_IF_NONE_MATCH" in environ
                or "HTTP_IF_MODIFIED_SINCE" in environ):
            return None
        try:
            raw = environ.get("QUERY_STRING", "")
            pairs = parse_form(raw.encode("latin-1").decode()) if raw else []
            if method == "POST":
                if "CONTENT_LENGTH" not in environ or "HTTP_TRANSFER_ENCODING" in environ:
                    return None
                mimetype = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
                body = environ["wsgi.input"].getvalue()
                if mimetype == _FORM:
                    pairs += parse_form(body.decode())
                elif mimetype == _QUERY:
                    pairs.append(("query", body.decode(errors="replace")))
                else:
                    return None
        except (UnicodeError, ValueError):
            return None
        query: str | None = None
        default_graphs: list[str] = []
        named_graphs: list[str] = []
        for name, value in pairs:
            if name == "query":
                if query is not None:
                    return None  # more than one query: the blueprint's 400
                query = value
            elif name == "default-graph-uri":
                default_graphs.append(value)
            elif name == "named-graph-uri":
                named_graphs.append(value)
            elif name in _HANDED_ON:
                return None
        if query is None or len(query) > self.max_length:
            return None
        for iri in (*default_graphs, *named_graphs):
            if not iri.startswith(("http://", "https://", "urn:")) or any(
                    c in iri for c in "<> \""):
                return None
        info = _analysed(query) if len(query) <= ANALYSED_MAX_LENGTH else analyse(query)
        if info.is_update or info.has_service or info.nesting > MAX_NESTING:
            return None
        accept = environ.get("HTTP_ACCEPT", "")
        solutions = http.negotiate_header(accept, _SOLUTION_OFFERS)
        graph = http.negotiate_header(accept, _GRAPH_OFFERS)
        if solutions is HTML or graph is HTML or (solutions is None and graph is None):
            return None
        return (query, info, Dataset(tuple(default_graphs), tuple(named_graphs)),
                FormatChoice(solutions, graph), environ.get("HTTP_ACCEPT_ENCODING", ""))


def _name(fmt: Format | None) -> str:
    return fmt.name if fmt else "none"


def _raise_handed_error() -> None:
    """The application's hook (the last before its view): an error the front met evaluating
    this request's query is raised, so the application answers it."""
    from flask import request

    error = request.environ.get(ERROR_KEY)
    if error is not None:
        raise error
