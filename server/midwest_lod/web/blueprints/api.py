"""``/api``: every named query of the catalogue (``queries/catalogue/*.rq``) as an HTTP API.

* ``GET /api/queries``: the catalogue (titles, descriptions, parameters, paths) as JSON;
* ``GET``/``POST /api/queries/{name}``: the query with its parameters (query string, form or
  JSON object) checked by type and bound as values (:func:`midwest_lod.sparql.bind_rows`,
  never pasted), evaluated by the same query service as ``/sparql`` (worker processes, time
  limit, row cap, admission control, the result cache of each published version), answered in
  plain JSON, SPARQL JSON/XML, CSV or TSV (a graph: the RDF formats), negotiated from Accept
  or chosen with ``format=``; paged queries take ``limit`` and ``offset`` and link the next page;
* ``GET /api/openapi.json``: the OpenAPI 3.1 document, generated from the catalogue;
* ``GET /api/``: the API explorer, Swagger UI (``swagger-ui-dist`` from the npm registry,
  bundled by ``frontend/`` and served from this origin) over that document.

A bad value is a 400 naming the parameter (the one error handler, web/errors.py).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request
from pyoxigraph import NamedNode

from midwest_lod.errors import BadRequest, NotAcceptable, NotFound
from midwest_lod.formats import FORM_MEDIA_TYPE, JSON, JSON_LD, RESULTS_JSON, Format
from midwest_lod.iris import API_EXPLORER_PATH, API_QUERIES_PATH, OPENAPI_PATH, api_query_path
from midwest_lod.named_queries.catalogue import RESERVED, NamedQuery
from midwest_lod.named_queries.openapi import formats_of, openapi_document
from midwest_lod.named_queries.parameters import ParameterError, read_parameters
from midwest_lod.sparql import bind_rows, bind_values
from midwest_lod.vocab import XSD
from midwest_lod.web import http
from midwest_lod.web.context import AppContext, ctx, iris
from midwest_lod.web.query.service import Dataset, FormatChoice, Result

bp = Blueprint("api", __name__)

_XSD = str(XSD)
_NUMBERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}
#: Values of enumerations drawn from the data, per (published version, class).
_values: dict[tuple[str, str], tuple[str, ...]] = {}
_values_lock = threading.Lock()


@bp.route(API_EXPLORER_PATH, methods=["GET"])
def explorer() -> Response:
    """The API explorer page; its script may call this origin only (the editor's policy)."""
    response = Response(render_template("api.html", openapi=OPENAPI_PATH,
                                        catalogue=API_QUERIES_PATH), mimetype="text/html")
    response.headers["Cache-Control"] = http.CACHE_CONTROL
    response.headers["Content-Security-Policy"] = http.EDITOR_CONTENT_SECURITY_POLICY
    return response


@bp.route(API_QUERIES_PATH, methods=["GET"])
def list_queries() -> Response:
    context = ctx()
    return jsonify(queries=[_summary(context, q) for q in context.queries.catalogue()],
                   openapi=iris().url(OPENAPI_PATH))


@bp.route(OPENAPI_PATH, methods=["GET"])
def openapi() -> Response:
    context = ctx()
    version = context.version()
    etag = f"{version.id}.openapi"
    if http.is_fresh(etag, version.last_modified):
        return http.not_modified(etag, version.last_modified)
    document = openapi_document(context.queries.catalogue(), version=version.id,
                                allowed=lambda c: allowed_values(context, c))
    response = jsonify(document)
    return http.set_validators(response, etag, version.last_modified)


@bp.route(f"{API_QUERIES_PATH}/<name>", methods=["GET", "POST"])
def run_query(name: str) -> Response:
    context = ctx()
    query = context.queries.named(name)
    if query is None:
        raise NotFound(f"There is no named query {name!r}; the catalogue is at "
                       f"{API_QUERIES_PATH}.")
    given = _given()
    unknown = sorted(set(given) - {p.name for p in query.parameters} - RESERVED)
    if unknown:
        raise BadRequest(f"Unknown parameter {unknown[0]!r} for query {name!r}.",
                         details=[f"parameters: {', '.join(_names(query)) or '(none)'}"])
    try:
        arguments = read_parameters(query, given, lambda c: allowed_values(context, c))
    except ParameterError as exc:
        raise BadRequest(f"Parameter {exc.parameter!r}: {exc.reason}.",
                         details=[f"query {name!r}; parameters: {', '.join(_names(query))}"]
                         ) from None
    fmt = _format(query, given.get("format", []))
    text = bind_rows(query.text, arguments.terms)
    limit, offset = _page(context, query, given)
    if limit is not None:
        text += f"\nLIMIT {limit:d} OFFSET {offset:d}"
    version = context.version()
    etag = (f"{version.id}.{fmt.name}."
            f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:20]}")
    cacheable = request.method == "GET"
    if cacheable and http.is_fresh(etag, version.last_modified):
        return http.not_modified(etag, version.last_modified, vary="Accept")
    engine_format = RESULTS_JSON if fmt is JSON else fmt
    choice = FormatChoice(engine_format if query.output != "graph" else None,
                          engine_format if query.output == "graph" else None)
    result = context.query_service.run(text, choice, Dataset())
    next_url = None
    if limit is not None and result.rows >= limit:
        following = {k: v for k, v in given.items() if k not in ("limit", "offset")}
        following.update(limit=[str(limit)], offset=[str(offset + limit)])
        next_url = f"{api_query_path(name)}?{urlencode(following, doseq=True)}"
    if fmt is JSON:
        body = _rows(query, result, version.id, limit, offset, next_url)
        response = Response(body, content_type=JSON.charset_media_type)
        http.result_headers(response, result, context.settings.row_limit)
    else:
        response = http.result_response(result, context.settings.row_limit)
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    if cacheable and result.version == version.id:
        http.set_validators(response, etag, version.last_modified)
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


def allowed_values(context: AppContext, class_iri: str) -> tuple[str, ...]:
    """The instances of ``class_iri`` in the published version (for enumerations), through
    the query service; remembered per version."""
    version = context.version().id
    key = (version, class_iri)
    found = _values.get(key)
    if found is None:
        text = bind_values(context.queries.text("parameter-values"),
                           {"class": NamedNode(class_iri)})
        result = context.query_service.run(text, FormatChoice(RESULTS_JSON, None), Dataset())
        data = json.loads(result.body)
        found = tuple(b["value"]["value"] for b in data["results"]["bindings"]
                      if "value" in b)
        with _values_lock:
            for old in [k for k in _values if k[0] != version]:
                del _values[old]
            _values[key] = found
    return found


def _names(query: NamedQuery) -> list[str]:
    names = [p.name for p in query.parameters]
    return names + (["limit", "offset"] if query.page_size else [])


def _given() -> dict[str, list[str]]:
    """The request's values per name: query string, and a form or JSON object for POST."""
    given: dict[str, list[str]] = {k: request.args.getlist(k) for k in request.args}
    if request.method != "POST":
        return given
    if request.mimetype == JSON.media_type:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise BadRequest("The body is not a JSON object of parameter values.")
        for key, value in data.items():
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str | int | float | bool) for v in values):
                raise BadRequest(f"Parameter {key!r}: give a value or a list of values.")
            given.setdefault(str(key), []).extend(
                (("true" if v else "false") if isinstance(v, bool) else str(v)) for v in values)
    elif request.mimetype in (FORM_MEDIA_TYPE, "multipart/form-data", ""):
        for key in request.form:
            given.setdefault(key, []).extend(request.form.getlist(key))
    else:
        raise BadRequest(f"Send the parameters as a form or a JSON object, not "
                         f"{request.mimetype}.")
    return given


def _format(query: NamedQuery, requested: Sequence[str]) -> Format:
    offered = formats_of(query)
    for value in requested:
        word = value.strip().lower()
        found = (next((f for f in offered if word == f.name), None)  # "json": SPARQL JSON
                 or next((f for f in offered if word in (f.extension, f.media_type)), None))
        if found is None and word == "json" and query.output == "graph":
            found = next(f for f in offered if f is JSON_LD)
        if found is None:
            raise BadRequest(f"Parameter 'format': unknown format {value!r}.",
                             details=["Use one of: " + ", ".join(f.name for f in offered)])
        return found
    best = request.accept_mimetypes.best_match([f.media_type for f in offered]) \
        if request.accept_mimetypes else offered[0].media_type
    if best is None:
        fmt = http.negotiate(offered)  # the aliases (text/plain, application/xml, ...)
        if fmt is None:
            raise NotAcceptable("None of the formats you accept is available for this query.",
                                details=[f.media_type for f in offered])
        return fmt
    return next(f for f in offered if f.media_type == best)


def _integer(name: str, values: Sequence[str], default: int, minimum: int, maximum: int) -> int:
    if not values:
        return default
    if len(values) > 1 or not values[0].strip().isdigit():
        raise BadRequest(f"Parameter {name!r}: {values[0]!r} is not a whole number.")
    number = int(values[0])
    if not minimum <= number <= maximum:
        raise BadRequest(f"Parameter {name!r}: {number} is not between {minimum} and "
                         f"{maximum}.")
    return number


def _page(context: AppContext, query: NamedQuery, given: dict[str, list[str]]
          ) -> tuple[int | None, int]:
    if query.page_size is None:
        for name in ("limit", "offset"):
            if given.get(name):
                raise BadRequest(f"Parameter {name!r}: query {query.name!r} is not paged.")
        return None, 0
    row_limit = context.settings.row_limit
    limit = _integer("limit", given.get("limit", []), min(query.page_size, row_limit), 1,
                     row_limit)
    offset = _integer("offset", given.get("offset", []), 0, 0, 10**9)
    return limit, offset


def _plain(term: dict[str, Any]) -> Any:
    value = term["value"]
    datatype = term.get("datatype")
    if datatype in _NUMBERS:
        return int(value)
    if datatype in _FLOATS:
        try:
            return float(value)
        except ValueError:
            return value
    if datatype == _XSD + "boolean":
        return value == "true"
    return value


def _rows(query: NamedQuery, result: Result, version: str, limit: int | None, offset: int,
          next_url: str | None) -> bytes:
    data = json.loads(result.body)
    if "boolean" in data:  # ASK
        return json.dumps({"query": query.name, "version": version,
                           "boolean": bool(data["boolean"])}).encode("utf-8")
    columns = data["head"].get("vars", [])
    rows = [{k: _plain(v) for k, v in binding.items()}
            for binding in data.get("results", {}).get("bindings", [])]
    return json.dumps({"query": query.name, "version": version, "columns": columns,
                       "rows": rows, "limit": limit, "offset": offset, "next": next_url,
                       "truncated": result.truncated},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _summary(context: AppContext, query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name, "path": api_query_path(query.name),
        "url": iris().url(api_query_path(query.name)),
        "title": {"nl": query.title_nl, "en": query.title_en},
        "description": {"nl": query.description_nl, "en": query.description_en},
        "output": query.output, "page_size": query.page_size, "tags": list(query.tags),
        "formats": [f.name for f in formats_of(query)],
        "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                        "list": p.many, "default": p.default, "example": p.example,
                        "of": p.of, "values": list(p.values) or None} for p in query.parameters],
    }
