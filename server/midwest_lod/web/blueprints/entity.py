"""Dereferencing: ``/id/…`` answers 303 to ``/doc/…``; documents are content-negotiated.

Every path of an IRI the graph mints answers on any host: the IRI is the ``base_iri`` setting
plus the request path (``Iris.iri_for_path``). ``/doc/…`` (and the vocabulary ``/ns/…``)
negotiates the formats of :data:`midwest_lod.formats.DOCUMENT_FORMATS`; an explicit extension
(``.ttl`` …) wins over Accept. Responses carry ``Vary: Accept``, ``Link: rel="alternate"`` for
the other formats, validators from the published version, and 406/404 when nothing fits: the
negotiated-document responder (:func:`midwest_lod.web.documents.respond`).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, redirect, request
from pyoxigraph import Triple
from werkzeug.wrappers import Response as BaseResponse

from midwest_lod import jsonld
from midwest_lod.errors import NotFound
from midwest_lod.formats import BY_EXTENSION, DOCUMENT_FORMATS, JSON_LD, Format
from midwest_lod.iris import CONTEXT_PATH, LDES_PATH, VOCAB_PATH
from midwest_lod.publication import Version
from midwest_lod.web import documents, http, i18n
from midwest_lod.web.blueprints.ldes import page_of_version
from midwest_lod.web.context import ctx, iris

bp = Blueprint("entity", __name__)


def _unknown(path: str) -> NotFound:
    return NotFound(
        f"The graph says nothing about {ctx().settings.base_iri}{path}.",
        details=["Browse the index pages from the home page, or search with SPARQL at /sparql."],
    )


def _iri(path: str) -> str:
    """The IRI a request path names; a path that cannot be part of an IRI names nothing."""
    try:
        return str(iris().iri_for_path(path))
    except ValueError:
        raise _unknown(path) from None


@bp.get("/id/<path:rest>")
def thing(rest: str) -> BaseResponse:
    context = ctx()
    path = "/id/" + rest
    iri = _iri(path)
    if not context.describer.exists(context.version().store, iri):
        page = page_of_version(iri)
        if page is None:
            raise _unknown(path)
        # A version object of the event stream: its document is the page that carries it.
        response = redirect(f"{LDES_PATH}/{page}", code=303)
        response.headers["Cache-Control"] = http.CACHE_CONTROL
        return response
    target = context.iris.document_path(iri) or path
    response = redirect(i18n.page_href(target), code=303)  # a language chosen with ?lang= holds
    response.headers["Cache-Control"] = http.CACHE_CONTROL
    return response


@bp.get("/doc/<path:rest>")
def document(rest: str) -> Response:
    return _document("/doc/" + rest)


@bp.get(CONTEXT_PATH)
def json_ld_context() -> Response:
    """The JSON-LD context of compact documents (it changes with the software only)."""
    body = json.dumps(jsonld.context_document(iris().base), indent=2, ensure_ascii=False)
    response = Response(body, content_type=JSON_LD.media_type)
    response.headers["Cache-Control"] = http.CACHE_CONTROL
    response.add_etag()
    response.make_conditional(request)
    return response


@bp.get(f"{VOCAB_PATH}")
@bp.get(f"{VOCAB_PATH}.<ext>")
def vocabulary(ext: str | None = None) -> Response:
    return _document(VOCAB_PATH + (f".{ext}" if ext else ""))


def _split_extension(path: str) -> tuple[str, Format | None]:
    """``/doc/x/y.ttl`` → (``/doc/x/y``, Turtle); a suffix that names no format is part of the
    key (``/doc/software/midwest-lod-0.1.0``)."""
    head, _, last = path.rpartition("/")
    name, dot, ext = last.rpartition(".")
    fmt = BY_EXTENSION.get(ext) if dot and name else None
    if fmt is None or fmt not in DOCUMENT_FORMATS:
        return path, None
    return f"{head}/{name}", fmt


def _document(request_path: str) -> Response:
    describer = ctx().describer
    path, fmt = _split_extension(request_path)
    iri = str(iris().vocab_document) if path == VOCAB_PATH else _iri(path)

    def triples(version: Version) -> list[Triple]:
        return describer.triples(version.store, iri)

    def check(version: Version) -> None:
        if not describer.exists(version.store, iri):
            raise _unknown(path)

    return documents.respond(path, fmt, html_iri=iri, prefixes=describer.prefixes,
                             triples=triples, check=None if path == VOCAB_PATH else check)
