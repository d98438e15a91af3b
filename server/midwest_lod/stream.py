"""What the event stream says, as RDF: its terms, the root node and the blocks of its pages.

The build writes the pages (:mod:`midwest_lod.pipeline.eventstream`), the server the root node
(:mod:`midwest_lod.web.blueprints.ldes`), both as N-Triples written here; the files and the
index they go into are :mod:`midwest_lod.history`'s. docs/decisions/0004-event-stream.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.namespace import DefinedNamespace, Namespace

from midwest_lod.history import State
from midwest_lod.iris import Iris
from midwest_lod.vocab import AS, DCAT, DCT, LDES, RDF, RDFS, TREE, XSD

LDES_SPECIFICATION = "https://w3id.org/ldes/specification"


def term(namespace: Namespace | type[DefinedNamespace], name: str) -> ox.NamedNode:
    """The pyoxigraph IRI of ``name`` in ``namespace`` (one of :mod:`midwest_lod.vocab`)."""
    return ox.NamedNode(str(namespace[name]))


RDF_TYPE = term(RDF, "type")
XSD_DATETIME = term(XSD, "dateTime")
XSD_BOOLEAN = term(XSD, "boolean")
#: ldes:timestampPath of the stream.
TIMESTAMP_PATH = term(DCT, "modified")
#: ldes:versionOfPath of the stream.
VERSION_OF_PATH = term(DCT, "isVersionOf")
#: ldes:versionDeletePath / ldes:versionDeleteObject of the stream: a tombstone is ``a as:Delete``.
DELETE_PATH = RDF_TYPE
DELETE_OBJECT = term(AS, "Delete")


def timestamp_literal(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=XSD_DATETIME)


def ntriples(triples: list[ox.Triple]) -> bytes:
    """Triples as N-Triples, one per line, in the given order."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


# --- the pages --------------------------------------------------------------------------------

def member_block(iris: Iris, entity: str, lines: list[bytes] | None, timestamp: str,
                 provenance: Iterable[bytes] = ()) -> bytes:
    """``<stream> tree:member <version>`` and the version object's statements, as N-Quads:
    the entity's own ``lines`` (sorted N-Quads, subject replaced, each in its assertion graph)
    and their ``provenance`` (N-Triples lines, put in the graph named by the version, which
    LDES clients take as part of the member), or, with ``lines`` None, a tombstone
    (docs/decisions/0015-provenance-everywhere.md).

    Called once per member (a million at 100,000 organisations): the terms are written as
    pyoxigraph writes them (``str`` of a term is its N-Triples form), joined as bytes."""
    member, tombstone, version_of, modified = _member_terms(str(iris.event_stream), timestamp)
    version = f"<{iris.entity_version(entity, timestamp)}>".encode()
    parts = [member, version, b" .\n"]
    if lines is None:
        parts += (version, tombstone)
    else:
        prefix = len(entity.encode("utf-8")) + 3  # "<" entity "> "
        subject = version + b" "
        graph = b" " + version + b" .\n"
        parts += (subject + line[prefix:] for line in lines)
        parts += (line[:-3] + graph for line in provenance)  # "<s> <p> <o>" + graph
    parts += (version, version_of, f"<{entity}> .\n".encode(), version, modified)
    return b"".join(parts)


@functools.lru_cache(maxsize=16)
def _member_terms(stream: str, timestamp: str) -> tuple[bytes, bytes, bytes, bytes]:
    """The constant parts of :func:`member_block`'s statements for one stream and build."""
    return (f"{ox.NamedNode(stream)} {term(TREE, 'member')} ".encode(),
            f" {DELETE_PATH} {DELETE_OBJECT} .\n".encode(),
            f" {VERSION_OF_PATH} ".encode(),
            f" {TIMESTAMP_PATH} {timestamp_literal(timestamp)} .\n".encode())


def page_header(iris: Iris, number: int) -> bytes:
    page = ox.NamedNode(str(iris.event_stream_page(number)))
    return ntriples([ox.Triple(page, RDF_TYPE, term(TREE, "Node")),
                     ox.Triple(page, term(DCT, "isPartOf"), ox.NamedNode(str(iris.event_stream)))])


def page_closing(iris: Iris, number: int) -> bytes:
    """What makes a page full: ``ldes:immutable``. The page links nowhere: the root links
    every page with its time bounds (docs/decisions/0004-event-stream.md), and a second path
    to a page made the npm ldes-client fetch it twice and, now and then, emit its members
    twice."""
    page = ox.NamedNode(str(iris.event_stream_page(number)))
    return ntriples([
        ox.Triple(page, term(LDES, "immutable"), ox.Literal("true", datatype=XSD_BOOLEAN)),
    ])


# --- the root node -----------------------------------------------------------------------------

def root_triples(iris: Iris, state: State | None) -> list[ox.Triple]:
    """The root node ``{base}/ldes``: the ``ldes:EventStream``, its view (itself), the view
    description with the retention policy, and one pair of relations per page."""
    stream = ox.NamedNode(str(iris.event_stream))
    service = ox.NamedNode(str(iris.data_service("ldes")))
    retention = ox.BlankNode("retention")
    triples = [
        ox.Triple(stream, RDF_TYPE, term(LDES, "EventStream")),
        ox.Triple(stream, RDF_TYPE, term(TREE, "Node")),
        ox.Triple(stream, term(DCT, "title"),
                  ox.Literal("Eventstroom sociale economie Midwest", language="nl")),
        ox.Triple(stream, term(DCT, "title"),
                  ox.Literal("Midwest social economy event stream", language="en")),
        ox.Triple(stream, term(LDES, "timestampPath"), TIMESTAMP_PATH),
        ox.Triple(stream, term(LDES, "versionOfPath"), VERSION_OF_PATH),
        ox.Triple(stream, term(LDES, "versionDeletePath"), DELETE_PATH),
        ox.Triple(stream, term(LDES, "versionDeleteObject"), DELETE_OBJECT),
        ox.Triple(stream, term(TREE, "view"), stream),
        ox.Triple(stream, term(TREE, "viewDescription"), service),
        ox.Triple(service, RDF_TYPE, term(DCAT, "DataService")),
        ox.Triple(service, term(DCAT, "endpointURL"), stream),
        ox.Triple(service, term(DCT, "conformsTo"), ox.NamedNode(LDES_SPECIFICATION)),
        ox.Triple(service, term(LDES, "retentionPolicy"), retention),
        ox.Triple(retention, RDF_TYPE, term(LDES, "RetentionPolicy")),
        ox.Triple(retention, term(RDFS, "comment"), ox.Literal(
            "Volledige geschiedenis: geen enkel lid wordt ooit verwijderd; elke versie sinds het "
            "begin van de stroom blijft beschikbaar.", language="nl")),
        ox.Triple(retention, term(RDFS, "comment"), ox.Literal(
            "Full history: no member is ever removed; every version since the stream began "
            "stays available.", language="en")),
    ]
    if state is None:
        return triples
    if state.first_timestamp:
        triples.append(ox.Triple(retention, term(LDES, "startingFrom"),
                                 timestamp_literal(state.first_timestamp)))
    previous_last: str | None = None
    for page in state.pages:
        node = ox.NamedNode(str(iris.event_stream_page(page.number)))
        lower = page.first or previous_last
        bounds = [("from", "GreaterThanOrEqualToRelation", lower)]
        if page.full:
            bounds.append(("until", "LessThanOrEqualToRelation", page.last))
        for name, kind, value in bounds:
            relation = ox.BlankNode(f"page{page.number}-{name}")
            triples.append(ox.Triple(stream, term(TREE, "relation"), relation))
            if value is None:  # an empty first page: nothing to compare with yet
                triples.append(ox.Triple(relation, RDF_TYPE, term(TREE, "Relation")))
                triples.append(ox.Triple(relation, term(TREE, "node"), node))
                continue
            triples.extend([
                ox.Triple(relation, RDF_TYPE, term(TREE, kind)),
                ox.Triple(relation, term(TREE, "node"), node),
                ox.Triple(relation, term(TREE, "path"), TIMESTAMP_PATH),
                ox.Triple(relation, term(TREE, "value"), timestamp_literal(value)),
            ])
        previous_last = page.last or previous_last
    return triples
