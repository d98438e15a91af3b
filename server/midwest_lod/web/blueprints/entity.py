"""Dereferencing: ``/id/…`` answers 303 to ``/doc/…``; documents are content-negotiated.

Every path of an IRI the graph mints answers on any host: the IRI is the ``base_iri`` setting
plus the request path (``Iris.iri_for_path``). ``/doc/…`` (and the vocabulary ``/ns/…``)
negotiates the formats of :data:`midwest_lod.formats.DOCUMENT_FORMATS`; an explicit extension
(``.ttl`` …) wins over Accept. Responses carry ``Vary: Accept``, ``Link: rel="alternate"`` for
the other formats, validators from the published version, and 406/404 when nothing fits.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template
from werkzeug.wrappers import Response as BaseResponse

from midwest_lod.errors import NotAcceptable, NotFound
from midwest_lod.formats import BY_EXTENSION, DOCUMENT_FORMATS, HTML, Format
from midwest_lod.iris import LDES_PATH, VOCAB_PATH
from midwest_lod.web import http
from midwest_lod.web.blueprints.ldes import page_of_version
from midwest_lod.web.context import ctx

bp = Blueprint("entity", __name__)


def _unknown(path: str) -> NotFound:
    return NotFound(
        f"The graph says nothing about {ctx().settings.base_iri}{path}.",
        details=["Browse the index pages from the home page, or search with SPARQL at /sparql."],
    )


def _iri(path: str) -> str:
    """The IRI a request path names; a path that cannot be part of an IRI names nothing."""
    try:
        return str(ctx().iris.iri_for_path(path))
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
    response = redirect(target, code=303)
    response.headers["Cache-Control"] = http.CACHE_CONTROL
    return response


@bp.get("/doc/<path:rest>")
def document(rest: str) -> Response:
    return _document("/doc/" + rest)


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
    context = ctx()
    path, fmt = _split_extension(request_path)
    iri = str(context.iris.vocab_document) if path == VOCAB_PATH else _iri(path)
    version = context.version()
    negotiated = fmt is None
    if fmt is None:
        fmt = http.negotiate(DOCUMENT_FORMATS)
    # A document in the cache exists: the look-up is a dictionary's, the check a query's.
    body = version.documents.get((iri, fmt.name)) if fmt is not None else None
    if body is None and path != VOCAB_PATH and not context.describer.exists(version.store, iri):
        raise _unknown(path)
    if fmt is None:
        raise NotAcceptable(
            "None of the formats you accept is available for this document.",
            details=[f"{f.media_type} (or {path}.{f.extension})" for f in DOCUMENT_FORMATS],
            headers={"Vary": "Accept", "Link": _alternates(path, None)},
        )
    etag = f"{version.id}.{fmt.name}"
    if http.is_fresh(etag, version.last_modified):
        response = http.not_modified(etag, version.last_modified,
                                     vary="Accept" if negotiated else None)
    else:
        if body is None:
            if fmt is HTML:
                view = context.describer.view(version, iri)
                body = render_template("entity.html", view=view, version=version,
                                       alternates=_alternate_list(path)).encode("utf-8")
            else:
                body = context.describer.serialize(version.store, iri, fmt)
            version.documents.put((iri, fmt.name), body)
        if len(body) >= http.MIN_COMPRESS and http.accepts_gzip():
            # compressed once per version and format, not per request (http.compress skips
            # a response that has its Content-Encoding)
            compressed = version.documents.get((iri, fmt.name, "gzip"))
            if compressed is None:
                compressed = http.gzip_bytes(body)
                version.documents.put((iri, fmt.name, "gzip"), compressed)
            response = Response(compressed, content_type=fmt.charset_media_type)
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(body, content_type=fmt.charset_media_type)
    http.set_validators(response, etag, version.last_modified)
    response.headers["Link"] = _alternates(path, fmt)
    if negotiated:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"{path}.{fmt.extension}"
    return response


def _alternate_list(path: str) -> list[tuple[str, Format]]:
    return [(f"{path}.{f.extension}", f) for f in DOCUMENT_FORMATS]


def _alternates(path: str, chosen: Format | None) -> str:
    return http.link_header((target, "alternate", f)
                            for target, f in _alternate_list(path) if f is not chosen)
