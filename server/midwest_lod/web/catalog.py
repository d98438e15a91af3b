"""``/catalog`` (DCAT-AP catalogue) and ``/.well-known/void`` (VoID description).

Both are read from the metadata graph of the published version, which the build writes
(:mod:`midwest_lod.pipeline.catalog`, :mod:`midwest_lod.pipeline.void`), with the CONSTRUCT
queries ``queries/metadata/catalog-document.rq`` and ``void-document.rq``. They are negotiated
like entity documents (:data:`midwest_lod.formats.DOCUMENT_FORMATS`; an extension such as
``/catalog.ttl`` wins over Accept; :func:`midwest_lod.web.documents.respond`), carry the
version's validators and ``Vary: Accept``, and answer cross-origin requests (the application's
CORS policy). HTML is the entity page of the catalogue (``/catalog``) or of the dataset
(``/.well-known/void``).
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from flask import Blueprint, Response

from midwest_lod.errors import NotFound
from midwest_lod.formats import BY_EXTENSION, DOCUMENT_FORMATS, Format
from midwest_lod.iris import CATALOG_PATH, VOID_PATH, Iris
from midwest_lod.publication import QueryStore, Version
from midwest_lod.vocab import CATALOG_PREFIXES, prefixes_for
from midwest_lod.web import documents
from midwest_lod.web.context import ctx, iris

bp = Blueprint("catalog", __name__)

Reader = Callable[[QueryStore, Iris], list[ox.Triple]]


# The readers are the build's (midwest_lod.pipeline, which imports rdflib's SPARQL engine and
# pySHACL: half a second): imported at the first request for them, not at start-up.

@bp.get(CATALOG_PATH)
@bp.get(f"{CATALOG_PATH}.<ext>")
def catalog(ext: str | None = None) -> Response:
    from midwest_lod.pipeline.catalog import catalog_document

    return _document(CATALOG_PATH, ext, "catalog", str(iris().catalog), catalog_document)


@bp.get(VOID_PATH)
@bp.get(f"{VOID_PATH}.<ext>")
def void(ext: str | None = None) -> Response:
    from midwest_lod.pipeline.void import void_document

    return _document(VOID_PATH, ext, "void", str(iris().dataset), void_document)


def _document(path: str, ext: str | None, name: str, html_iri: str, read: Reader) -> Response:
    fmt = _by_extension(path, ext) if ext is not None else None
    return documents.respond(path, fmt, html_iri=html_iri, etag_stem=name,
                             prefixes={**prefixes_for(iris().base), **CATALOG_PREFIXES},
                             triples=lambda version: _triples(version, name, read))


def _triples(version: Version, name: str, read: Reader) -> list[ox.Triple]:
    """The document's triples, read once per published version (for all its formats)."""
    builder = ctx().iris  # the base's links: documents.respond moves them to the request's host
    return version.derived(f"{name}-document", lambda: read(version.store, builder))


def _by_extension(path: str, ext: str) -> Format:
    fmt = BY_EXTENSION.get(ext)
    if fmt is None or fmt not in DOCUMENT_FORMATS:
        raise NotFound(
            f"'.{ext}' is not a format of {path}.",
            details=["Available: " + ", ".join(f"{path}.{f.extension} ({f.label})"
                                                for f in DOCUMENT_FORMATS)],
        )
    return fmt
