"""The one responder of negotiated documents: entity documents and the vocabulary
(``blueprints/entity.py``), ``/catalog`` and ``/.well-known/void`` (``catalog.py``).

A document is served in the formats of :data:`midwest_lod.formats.DOCUMENT_FORMATS`: HTML (the
entity page of ``html_iri``) or RDF (its triples). An extension (``/catalog.ttl``) wins over
Accept; otherwise the response is negotiated: ``Vary: Accept`` and ``Content-Location`` of the
chosen format. Every response has ``Link: rel="alternate"`` for the other formats and the
published version's validators (304 to a conditional request that has them); none fits is 406.
A body is rendered once per published version and format and kept, with its gzipped form, in
:attr:`midwest_lod.publication.Version.documents`. JSON-LD is compact, with the published context
(:mod:`midwest_lod.jsonld`), unless Accept asks for the ``expanded`` profile.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from flask import Response, render_template, request

from midwest_lod import jsonld
from midwest_lod.errors import NotAcceptable
from midwest_lod.formats import DOCUMENT_FORMATS, HTML, JSON_LD, Format
from midwest_lod.publication import Version
from midwest_lod.web import http, i18n
from midwest_lod.web.context import ctx


def respond(path: str, requested: Format | None, *, html_iri: str,
            triples: Callable[[Version], list[ox.Triple]], prefixes: dict[str, str],
            etag_stem: str = "", check: Callable[[Version], None] | None = None) -> Response:
    """The document at ``path`` (without extension) in ``requested`` (an extension's format)
    or, when None, in the format negotiated from Accept.

    ``triples`` reads the document of a version; ``check`` runs before anything is rendered
    (not for a body already kept) and raises when the version has no such document;
    ``etag_stem`` tells this document's ETags from those of other documents of the version."""
    context = ctx()
    version = context.version()
    negotiated = requested is None
    fmt = requested or http.negotiate(DOCUMENT_FORMATS)
    site = request.host_url.rstrip("/")
    # the HTML page is one per language (web/i18n.py); the data formats keep every language;
    # JSON-LD is compact (naming its context on the host that serves it) or expanded
    if fmt is HTML:
        variant = i18n.variant()
    elif fmt is JSON_LD:
        variant = "expanded" if http.asks_profile(JSON_LD, jsonld.EXPANDED) else "compacted"
    else:
        variant = ""
    key = (path, fmt.name if fmt is not None else "", variant,
           site if variant == "compacted" else "")
    # A document kept exists: the look-up is a dictionary's, the check a query's.
    body = version.documents.get(key) if fmt is not None else None
    if body is None and check is not None:
        check(version)
    if fmt is None:
        raise NotAcceptable(
            "None of the formats you accept is available for this document.",
            details=[f"{f.media_type} (or {path}.{f.extension})" for f in DOCUMENT_FORMATS],
            headers={"Vary": "Accept", "Link": _alternates(path, None)},
        )
    etag = ".".join(part for part in (version.id, etag_stem, fmt.name, variant) if part)
    if http.is_fresh(etag, version.last_modified):
        response = http.not_modified(etag, version.last_modified,
                                     vary="Accept" if negotiated or fmt is JSON_LD else None)
        if fmt is HTML and (language_vary := i18n.vary()):
            response.vary.add(language_vary)
    else:
        if body is None:
            if fmt is HTML:
                view = context.describer.view(version, html_iri, i18n.page_lang())
                body = render_template("entity.html", view=view, version=version,
                                       alternates=_alternate_list(path)).encode("utf-8")
            elif variant == "expanded":
                body = jsonld.expanded(triples(version))
            elif variant == "compacted":
                body = jsonld.compacted(triples(version), context.iris, site)
            else:
                body = ox.serialize(triples(version), format=fmt.rdf_format,
                                    prefixes=prefixes) or b""
            version.documents.put(key, body)
        if len(body) >= http.MIN_COMPRESS and http.accepts_gzip():
            # compressed once per version and format, not per request (http.compress skips
            # a response that has its Content-Encoding)
            compressed = version.documents.get((*key, "gzip"))
            if compressed is None:
                compressed = http.gzip_bytes(body)
                version.documents.put((*key, "gzip"), compressed)
            response = Response(compressed, content_type=_content_type(fmt, variant))
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(body, content_type=_content_type(fmt, variant))
    http.set_validators(response, etag, version.last_modified)
    response.headers["Link"] = _alternates(path, fmt)
    if fmt is JSON_LD:
        response.headers["Link"] += (f', <{jsonld.context_url(site)}>; '
                                     f'rel="{jsonld.CONTEXT_RELATION}"')
    if negotiated or fmt is JSON_LD:  # JSON-LD: the profile asked for in Accept
        response.vary.add("Accept")
    if negotiated:
        response.headers["Content-Location"] = f"{path}.{fmt.extension}"
    return response


def _content_type(fmt: Format, variant: str) -> str:
    if fmt is not JSON_LD:
        return fmt.charset_media_type
    profile = jsonld.EXPANDED if variant == "expanded" else jsonld.COMPACTED
    return f'{JSON_LD.media_type}; profile="{profile}"'


def _alternate_list(path: str) -> list[tuple[str, Format]]:
    """(URL, format) of the document at ``path`` in every format."""
    return [(f"{path}.{f.extension}", f) for f in DOCUMENT_FORMATS]


def _alternates(path: str, chosen: Format | None) -> str:
    return http.link_header((target, "alternate", f)
                            for target, f in _alternate_list(path) if f is not chosen)
