"""``/ldes``: the Linked Data Event Stream (LDES, TREE) of the dataset.

``/ldes`` is the ``ldes:EventStream`` and its root ``tree:Node`` (its own ``tree:view``): the
stream's paths, the view description with the retention policy, and a pair of relations per
page. ``/ldes/{n}`` is page n. Pages come from ``<output_dir>/history/``
(:mod:`midwest_lod.history`; their RDF: :mod:`midwest_lod.stream`); the build appends to it
(docs/decisions/0004-event-stream.md).

Every response negotiates TriG (the default), N-Quads, JSON-LD, Turtle and N-Triples
(``Vary: Accept``), carries an ETag and Last-Modified and answers 304 to a matching
conditional request. A full page never changes: ``Cache-Control: public, max-age=31536000,
immutable``; the root and the last (open) page are cached briefly.

Served from a host other than the base IRI's, the stream's URLs (the root, pages, relations,
``dct:isPartOf``) name the serving host, so a client replaying from it stays there; members
keep the base IRI's identifiers (:meth:`midwest_lod.iris.Iris.link`,
docs/decisions/0014-serving-host.md).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from midwest_lod import history
from midwest_lod.cache import SizedCache, byte_cache
from midwest_lod.errors import NotAcceptable, NotFound, PublicationError
from midwest_lod.formats import HTML, JSON_LD, N_QUADS, N_TRIPLES, TRIG, TURTLE, Format
from midwest_lod.iris import LDES_PATH, Iris
from midwest_lod.stream import ntriples, root_triples
from midwest_lod.timestamps import parse_utc
from midwest_lod.vocab import STREAM_PREFIXES, prefixes_for
from midwest_lod.web import http, i18n, streamview
from midwest_lod.web.context import ctx, iris

bp = Blueprint("ldes", __name__)

#: Formats of the stream, TriG first (what a client that does not say gets): a member's
#: provenance is in the graph named by the member, which only the dataset formats carry
#: (docs/decisions/0015-provenance-everywhere.md). LDES clients must accept all five.
LDES_FORMATS: tuple[Format, ...] = (TRIG, N_QUADS, JSON_LD, TURTLE, N_TRIPLES)
#: What a client may ask for: the RDF formats, and HTML for a browser (a readable view,
#: web/streamview.py); a client that asks for nothing in particular gets TriG.
OFFERED: tuple[Format, ...] = (*LDES_FORMATS, HTML)
#: Cache-Control of a full page: it never changes.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Memory for pages rendered in other formats than N-Quads, per web worker.
RENDER_CACHE_BYTES = 16 * 1024 * 1024
_EXTENSION = "midwest_lod.ldes"
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@dataclass
class _Stream:
    index: history.IndexCache
    rendered: SizedCache[bytes]


def _stream() -> _Stream:
    found: _Stream | None = current_app.extensions.get(_EXTENSION)
    if found is None:
        found = current_app.extensions.setdefault(
            _EXTENSION, _Stream(history.IndexCache(ctx().output_dir),
                                byte_cache(RENDER_CACHE_BYTES)))
    return found


def _index() -> history.State | None:
    """The history's index; a history of another base IRI cannot be served (503)."""
    state = _stream().index.get()
    base = ctx().settings.base_iri
    if state is not None and state.base_iri != base:
        raise PublicationError(
            f"the event stream in {history.history_dir(ctx().output_dir)} was written for the "
            f"base IRI {state.base_iri}, the server runs with {base}")
    return state


@bp.get(LDES_PATH)
def root() -> Response:
    context = ctx()
    links = iris()
    state = _index()
    # one pair of relations per page: 4.8 MB and 0.7 s to write at 10,000 pages, once per index
    # (with the base's URLs; _render moves them to the serving host, in a bounded cache)
    body, etag = _stream().index.memo("root", lambda index: _root_body(context.iris, index))
    stamp = (state.last_timestamp if state else None) or context.version().manifest.get(
        "built_at")
    return _answer(body, etag, stamp, http.CACHE_CONTROL, str(links.event_stream))


def _root_body(iris: Iris, state: history.State | None) -> tuple[bytes, str]:
    body = ntriples(root_triples(iris, state))
    return body, "ldes-" + hashlib.sha256(body).hexdigest()[:24]


@bp.get(f"{LDES_PATH}/<int:number>")
def page(number: int) -> Response:
    state = _index()
    info = state.page(number) if state is not None and number >= 1 else None
    if state is None or info is None:
        pages = len(state.pages) if state is not None else 0
        raise NotFound(
            f"The event stream has no page {number}.",
            details=[f"It has {pages} page(s), /ldes/1 to /ldes/{pages}; start at /ldes."
                     if pages else "It has no members yet; start at /ldes."])
    body = history.read_page(ctx().output_dir, info)
    cache_control = IMMUTABLE if info.full else http.CACHE_CONTROL
    node = str(iris().event_stream_page(number))
    return _answer(body, f"ldes-{number}-{info.sha256[:24]}", info.last_modified,
                   cache_control, node)


def _answer(nquads: bytes, etag_stem: str, stamp: str | None, cache_control: str,
            node: str) -> Response:
    fmt = http.negotiate(OFFERED)
    if fmt is None:
        raise NotAcceptable(
            "None of the formats you accept is available for the event stream.",
            details=[f.media_type for f in LDES_FORMATS], headers={"Vary": "Accept"})
    etag = f"{etag_stem}.{fmt.name}" + (f".{i18n.variant()}" if fmt is HTML else "")
    last_modified = _time(stamp)
    if http.is_fresh(etag, last_modified):
        response = http.not_modified(etag, last_modified, vary="Accept")
    else:
        response = Response(_render(nquads, etag, fmt, node),
                            content_type=fmt.charset_media_type)
        response.vary.add("Accept")
    response.headers["Cache-Control"] = cache_control
    return http.set_validators(response, etag, last_modified)


def _render(nquads: bytes, etag: str, fmt: Format, node: str) -> bytes:
    links = iris()
    if fmt is HTML:  # not kept: a person's view, rendered per language
        quads = links.link_quads(item if isinstance(item, ox.Quad) else ox.Quad(*item)
                                 for item in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        return streamview.render(quads, node, LDES_FORMATS, request.path)
    if fmt is N_QUADS and not links.origin:
        return nquads  # the stored bytes, as they are
    cache = _stream().rendered
    key = f"{etag} {links.origin}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    quads = links.link_quads(item if isinstance(item, ox.Quad) else ox.Quad(*item)
                             for item in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    # The node's own statements and its relations first, then the members in stream order.
    about_node = [q for q in quads if q.subject == ox.NamedNode(node)
                  or isinstance(q.subject, ox.BlankNode)]
    rest = [q for q in quads if not (q.subject == ox.NamedNode(node)
                                     or isinstance(q.subject, ox.BlankNode))]
    assert fmt.rdf_format is not None
    prefixes = None if fmt in (N_QUADS, N_TRIPLES) else {**prefixes_for(links.base),
                                                         **STREAM_PREFIXES}
    ordered = [*about_node, *rest]
    items: list[ox.Quad] | list[ox.Triple] = ordered
    if not fmt.rdf_format.supports_datasets:
        # Turtle and N-Triples have no graphs: the union, each triple once. A member's
        # provenance is then no longer told apart from the rest of the page: clients ask for
        # N-Quads, TriG or JSON-LD first (docs/decisions/0015-provenance-everywhere.md).
        items = list(dict.fromkeys(q.triple for q in ordered))
    body = ox.serialize(items, format=fmt.rdf_format, prefixes=prefixes) or b""
    cache.put(key, body)
    return body


def _time(stamp: str | None) -> datetime:
    return parse_utc(stamp) if stamp else datetime(1970, 1, 1, tzinfo=UTC)


def page_of_version(iri: str) -> int | None:
    """The page holding the version object ``iri`` (``{entity}/{timestamp}``), if any.

    Version IRIs are minted by the stream (docs/decisions/0004-event-stream.md); their
    document is the page that carries them. Only pages whose time range covers the timestamp
    are read, and only up to their committed length.
    """
    entity, _, stamp = iri.rpartition("/")
    try:
        state = _index()
    except PublicationError:
        return None
    if state is None or not _TIMESTAMP.match(stamp) or not _stream().index.has_entity(entity):
        return None
    needle = f"<{iri}> ".encode()
    for page in state.pages:
        if page.first is None or page.last is None or not page.first <= stamp <= page.last:
            continue
        if needle in history.read_page(ctx().output_dir, page):
            return page.number
    return None
