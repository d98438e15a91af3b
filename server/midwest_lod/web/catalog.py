"""``/catalog`` (DCAT-AP catalogue) and ``/.well-known/void`` (VoID description).

Both are read from the metadata graph of the published version, which the build writes
(:mod:`midwest_lod.pipeline.catalog`, :mod:`midwest_lod.pipeline.void`), with the CONSTRUCT
queries ``queries/metadata/catalog-document.rq`` and ``void-document.rq``. They are negotiated
like entity documents (:data:`midwest_lod.formats.DOCUMENT_FORMATS`; an extension such as
``/catalog.ttl`` wins over Accept), carry the version's validators and ``Vary: Accept``, and
answer cross-origin requests (the application's CORS policy). HTML is the entity page of the
catalogue (``/catalog``) or of the dataset (``/.well-known/void``).
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from flask import Blueprint, Response, render_template

from midwest_lod.errors import NotAcceptable, NotFound
from midwest_lod.formats import BY_EXTENSION, DOCUMENT_FORMATS, HTML, Format
from midwest_lod.iris import Iris
from midwest_lod.pipeline.catalog import catalog_document
from midwest_lod.pipeline.void import VOID_PATH, void_document
from midwest_lod.publication import QueryStore
from midwest_lod.vocab import CATALOG_PREFIXES, prefixes_for
from midwest_lod.web import http
from midwest_lod.web.context import ctx

bp = Blueprint("catalog", __name__)

CATALOG_PATH = "/catalog"

Reader = Callable[[QueryStore, Iris], list[ox.Triple]]


@bp.get(CATALOG_PATH)
@bp.get(f"{CATALOG_PATH}.<ext>")
def catalog(ext: str | None = None) -> Response:
    iris = ctx().iris
    return _document(CATALOG_PATH, ext, "catalog", str(iris.catalog), catalog_document)


@bp.get(VOID_PATH)
@bp.get(f"{VOID_PATH}.<ext>")
def void(ext: str | None = None) -> Response:
    iris = ctx().iris
    return _document(VOID_PATH, ext, "void", str(iris.dataset), void_document)


def _document(path: str, ext: str | None, name: str, html_iri: str, read: Reader) -> Response:
    context = ctx()
    fmt = _by_extension(path, ext) if ext is not None else http.negotiate(DOCUMENT_FORMATS)
    negotiated = ext is None
    if fmt is None:
        raise NotAcceptable(
            "None of the formats you accept is available for this document.",
            details=[f"{f.media_type} (or {path}.{f.extension})" for f in DOCUMENT_FORMATS],
            headers={"Vary": "Accept", "Link": _alternates(path, None)},
        )
    version = context.version()
    etag = f"{version.id}.{name}.{fmt.name}"
    if http.is_fresh(etag, version.last_modified):
        response = http.not_modified(etag, version.last_modified,
                                     vary="Accept" if negotiated else None)
    elif fmt is HTML:
        view = context.describer.view(version, html_iri)
        body = render_template("entity.html", view=view, version=version,
                               alternates=[(f"{path}.{f.extension}", f) for f in DOCUMENT_FORMATS])
        response = Response(body, mimetype=HTML.media_type)
    else:
        response = Response(_serialized(name, fmt, read), content_type=fmt.charset_media_type)
    http.set_validators(response, etag, version.last_modified)
    response.headers["Link"] = _alternates(path, fmt)
    if negotiated:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"{path}.{fmt.extension}"
    return response


def _serialized(name: str, fmt: Format, read: Reader) -> bytes:
    """The document in ``fmt``, computed once per published version and format."""
    context = ctx()
    version = context.version()
    key = f"{name}-document-{fmt.name}"
    body: bytes | None = version.cache.get(key)
    if body is None:
        triples = version.cache.get(f"{name}-document")
        if triples is None:
            triples = version.cache[f"{name}-document"] = read(version.store, context.iris)
        prefixes = {**prefixes_for(context.iris.base), **CATALOG_PREFIXES}
        body = ox.serialize(triples, format=fmt.rdf_format, prefixes=prefixes) or b""
        version.cache[key] = body
    return body


def _by_extension(path: str, ext: str) -> Format:
    fmt = BY_EXTENSION.get(ext)
    if fmt is None or fmt not in DOCUMENT_FORMATS:
        raise NotFound(
            f"'.{ext}' is not a format of {path}.",
            details=["Available: " + ", ".join(f"{path}.{f.extension} ({f.label})"
                                                for f in DOCUMENT_FORMATS)],
        )
    return fmt


def _alternates(path: str, chosen: Format | None) -> str:
    return http.link_header((f"{path}.{f.extension}", "alternate", f)
                            for f in DOCUMENT_FORMATS if f is not chosen)
