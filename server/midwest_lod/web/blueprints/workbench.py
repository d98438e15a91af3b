"""The query editor's helpers beside ``/sparql`` (the editor itself: ``frontend/``).

* ``POST /sparql/check`` (body: the query, ``application/sparql-query``): parse only, with the
  server's own parser (pyoxigraph, the grammar that runs the query; like the endpoint, with no
  prefixes but those the query declares) → ``{"errors": [{"message", "line", "column"}]}``
  (1-based; columns in code points). Nothing is evaluated: the query is prepared on an empty
  in-memory store and its lazy result never read (an ASK, which pyoxigraph evaluates at once,
  is prepared as a SELECT of the same pattern). Cheap, so not under the rate limit: the
  editor calls it as the user types.
* ``GET /sparql/terms?kind=class|property|entity&q=…&lang=nl|en&limit=30``: completion from
  the published graph (``web/terms.py``, ``queries/terms/*.rq``) → ``{"terms": [{"iri",
  "kind", "label", "lang", "prefixed"}]}``.
* ``POST /sparql/labels`` (JSON ``{"iris": [...], "lang": "nl"}``): labels for the IRIs of a
  result → ``{"labels": {iri: {"value", "lang"}}}``.
* ``POST /sparql/links`` (body: the query) → ``{"id", "url"}``: a short permalink
  ``/sparql/q/<id>``, ``id`` the start of the query's sha256 (same query, same link). The
  query is stored as ``<output_dir>/links/<id>.rq``, outside the published versions: it
  survives restarts and new publications (``web/links.py``: at most ``stored_queries_max``
  distinct queries, unused ones pruned by ``midwest-lod prune-links``). Under the rate limit
  (it writes a file).
* ``GET /sparql/q/<id>``: the query page with that query in the editor.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, request, url_for

from midwest_lod.errors import BadRequest, NotFound, PayloadTooLarge
from midwest_lod.formats import GRAPH_FORMATS, HTML, RESULT_FORMATS
from midwest_lod.sparql import MAX_NESTING, analyse, tokens
from midwest_lod.web import http, i18n
from midwest_lod.web.context import AppContext, ctx
from midwest_lod.web.frontend import asset_url
from midwest_lod.web.links import StoredQueries
from midwest_lod.web.terms import KINDS, TermIndex

bp = Blueprint("workbench", __name__)

LANGUAGES = ("nl", "en")
MAX_TERMS = 100
MAX_LABELS = 1000
_POSITION = re.compile(r"\bat (\d+):(\d+)")
#: What an ASK is prepared as (see the module documentation); a variable nobody writes.
_ASK_AS = "SELECT (1 AS ?midwest_check_)"


def editor_config(context: AppContext, examples: list[Any]) -> dict[str, Any]:
    """What the editor script needs, given to it as a JSON data block in the page."""
    return {
        "endpoint": url_for("sparql.endpoint"),
        "checkUrl": url_for("workbench.check"),
        "termsUrl": url_for("workbench.terms"),
        "labelsUrl": url_for("workbench.labels"),
        "linksUrl": url_for("workbench.new_link"),
        "base": context.settings.base_iri,
        # the page's language and the editor's texts in it (web/messages.toml, [editor])
        "lang": i18n.page_lang(),
        "messages": i18n.section("editor"),
        "keptLang": i18n.kept_lang(),  # permalinks keep a language chosen with ?lang=
        "stylesheet": asset_url("editor.css"),
        "prefixes": context.queries.prefixes,
        "examples": [{"name": e.name, "query": e.text,
                      "title": e.title_en if i18n.page_lang() == "en" else e.title}
                     for e in examples],
        "formats": {
            "solutions": [{"name": f.name, "label": f"{f.label} ({f.media_type})"}
                          for f in RESULT_FORMATS],
            "graph": [{"name": f.name, "label": f"{f.label} ({f.media_type})"}
                      for f in GRAPH_FORMATS],
        },
    }


def _query_text(context: AppContext) -> str:
    limit = context.settings.max_query_length
    text = request.get_data(as_text=True)
    if len(text) > limit:
        raise PayloadTooLarge(f"The query has {len(text)} characters; the limit is {limit}.")
    if not text.strip():
        raise BadRequest("No query: send it as the request body "
                         "(Content-Type application/sparql-query).")
    return text


def syntax_errors(text: str) -> list[dict[str, Any]]:
    """The problems the endpoint would refuse ``text`` for, without evaluating it."""
    info = analyse(text)
    if info.nesting > MAX_NESTING:
        return [{"message": f"The query nests brackets {info.nesting} levels deep; at most "
                            f"{MAX_NESTING} are accepted."}]
    if info.is_update:
        return [{"message": "This endpoint is read-only: SPARQL Update is not accepted."}]
    prepared, shift = text, None
    if info.form == "ASK":
        prepared, shift = _ask_as_select(text)
    try:
        ox.Store().query(prepared)
    except SyntaxError as error:
        message = str(error).split("\n", 1)[0]
        found: dict[str, Any] = {"message": message}
        position = _POSITION.search(message)
        if position:
            line, column = int(position.group(1)), int(position.group(2))
            if shift and line == shift[0] and column > shift[1]:
                column = max(shift[1], column - shift[2])
                message = _POSITION.sub(f"at {line}:{column}", message, count=1)
            found = {"message": message, "line": line, "column": column}
        return [found]
    if info.has_service:
        return [{"message": "SERVICE (federated query) is not supported: this endpoint makes "
                            "no outbound requests."}]
    return []


def _ask_as_select(text: str) -> tuple[str, tuple[int, int, int] | None]:
    """``text`` with its ASK keyword replaced by :data:`_ASK_AS`, and (line, column after the
    keyword, characters added) to move error positions back onto ``text``."""
    for token in tokens(text):
        if token.lastgroup == "word" and token.group().upper() == "ASK":
            start, end = token.span()
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            return (text[:start] + _ASK_AS + text[end:],
                    (line, column + 3, len(_ASK_AS) - 3))
    return text, None


@bp.post("/sparql/check")
def check() -> Response:
    context = ctx()
    text = _query_text(context)
    response = jsonify(errors=syntax_errors(text))
    response.headers["Cache-Control"] = "no-store"
    return response


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, default)
    if value not in allowed:
        raise BadRequest(f"Parameter '{name}': one of {', '.join(allowed)}; got {value!r}.")
    return value


@bp.get("/sparql/terms")
def terms() -> Response:
    context = ctx()
    kind = _choice("kind", KINDS, "entity")
    lang = _choice("lang", LANGUAGES, "nl")
    try:
        limit = int(request.args.get("limit", "30"))
    except ValueError:
        raise BadRequest("Parameter 'limit': a whole number from 1 to "
                         f"{MAX_TERMS}.") from None
    if not 1 <= limit <= MAX_TERMS:
        raise BadRequest(f"Parameter 'limit': a whole number from 1 to {MAX_TERMS}.")
    version = context.version()
    etag = f"{version.id}.terms"  # the answer depends only on the URL and the version
    if http.is_fresh(etag, version.last_modified):
        return http.not_modified(etag, version.last_modified)
    found = TermIndex.of(version, context.queries).search(
        kind, request.args.get("q", "")[:200], lang, limit)
    response = jsonify(terms=[term.as_json(lang) for term in found])
    return http.set_validators(response, etag, version.last_modified)


@bp.post("/sparql/labels")
def labels() -> Response:
    context = ctx()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = {}
    iris = body.get("iris")
    if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
        raise BadRequest('Send JSON {"iris": ["https://…", …], "lang": "nl"}.')
    if len(iris) > MAX_LABELS:
        raise BadRequest(f"At most {MAX_LABELS} IRIs per request; got {len(iris)}.")
    lang = str(body.get("lang")) if body.get("lang") in LANGUAGES else "nl"
    index = TermIndex.of(context.version(), context.queries)
    response = jsonify(labels=index.labels(iris, lang))
    response.headers["Cache-Control"] = "no-store"
    return response


def stored_queries(context: AppContext) -> StoredQueries:
    return StoredQueries.of(context.output_dir, context.settings.stored_queries_max)


@bp.post("/sparql/links")
def new_link() -> tuple[Response, int]:
    context = ctx()
    key, created = stored_queries(context).save(_query_text(context))
    url = url_for("workbench.open_link", key=key)
    response = jsonify(id=key, url=url)
    response.headers["Location"] = url
    return response, 201 if created else 200


@bp.get("/sparql/q/<key>")
def open_link(key: str) -> Response:
    context = ctx()
    text = stored_queries(context).read(key)
    if text is None:
        raise NotFound(f"There is no stored query {key!r}.")
    from midwest_lod.web.blueprints.sparql import query_page

    response = Response(query_page(context, text), mimetype=HTML.media_type)
    response.headers["Cache-Control"] = http.CACHE_CONTROL
    response.headers["Content-Security-Policy"] = http.EDITOR_CONTENT_SECURITY_POLICY
    return response

