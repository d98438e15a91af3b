"""The metadata and hypermedia controls of a fragment page, as the TPF specification has them.

In the quad formats the data is the default graph and everything else is in one named graph,
``<page>#metadata``, that says ``foaf:primaryTopic`` of the fragment and of the dataset (so a
client such as Comunica tells controls from data); in the triple formats both are one graph,
as the specification allows. The page IRI is the URL the client asked for (Comunica looks its
``hydra:next`` up by that exact string); the fragment IRI is the canonical one, the template's
expansion. No ``sd:endpoint`` is given (Comunica would take the interface for a SPARQL
endpoint) and no blank node: the form and its mappings have IRIs under ``{base}/tpf#``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from midwest_lod.fragments.pattern import PAGE, VARIABLES, Pattern
from midwest_lod.fragments.reading import PAGE_SIZE, Page
from midwest_lod.iris import VOID_PATH, Iris
from midwest_lod.vocab import DCT, FOAF, HYDRA, RDF, VOID, XSD

_PROPERTIES = {"subject": RDF.subject, "predicate": RDF.predicate, "object": RDF.object}


@dataclass(frozen=True)
class Controls:
    """The IRIs of one response: the interface's dataset and form, the fragment, the page."""

    iris: Iris
    pattern: Pattern
    #: The page's IRI: the URL as the client asked for it (Comunica looks its controls up by it).
    page_iri: str
    #: The page's number, from 1.
    number: int = 1

    @property
    def interface(self) -> str:
        return str(self.iris.fragments)

    @property
    def dataset(self) -> str:
        return f"{self.interface}#dataset"

    @property
    def template(self) -> str:
        return f"{self.interface}{{?{','.join(VARIABLES)}}}"

    def page_url(self, number: int) -> str:
        query = self.pattern.query_string(number)
        return f"{self.interface}?{query}" if query else self.interface

    @property
    def fragment(self) -> str:
        return self.page_url(1)

    @property
    def first(self) -> str:
        """Page 1 with the page parameter, as the Linked Data Fragments server links it."""
        query = self.pattern.query_string()
        return f"{self.interface}?{query + '&' if query else ''}{PAGE}=1"

    @property
    def metadata_graph(self) -> str:
        return f"{self.page_iri}#metadata"


def metadata_triples(controls: Controls, page: Page) -> list[ox.Triple]:
    """The metadata and controls of a page (to go in :attr:`Controls.metadata_graph`)."""
    c = controls
    triples: list[tuple[str, object, object]] = []

    def add(subject: str, predicate: object, obj: object) -> None:
        triples.append((subject, predicate, obj))

    graph = c.metadata_graph
    add(graph, FOAF.primaryTopic, ox.NamedNode(c.fragment))
    add(graph, FOAF.primaryTopic, ox.NamedNode(c.dataset))
    # the dataset and its search form
    form = f"{c.interface}#search"
    add(c.dataset, RDF.type, ox.NamedNode(str(VOID.Dataset)))
    add(c.dataset, RDF.type, ox.NamedNode(str(HYDRA.Collection)))
    add(c.dataset, DCT.title, ox.Literal("Sociale economie Midwest: Triple Pattern Fragments",
                                         language="nl"))
    add(c.dataset, DCT.source, ox.NamedNode(str(c.iris.dataset)))
    add(c.dataset, VOID.subset, ox.NamedNode(c.fragment))
    add(c.dataset, HYDRA.search, ox.NamedNode(form))
    add(c.dataset, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
        ox.NamedNode(str(c.iris.url(VOID_PATH))))
    add(form, HYDRA.template, ox.Literal(c.template))
    add(form, HYDRA.variableRepresentation, ox.NamedNode(str(HYDRA.ExplicitRepresentation)))
    for variable in VARIABLES:
        mapping = f"{c.interface}#{variable}"
        add(form, HYDRA.mapping, ox.NamedNode(mapping))
        add(mapping, HYDRA.variable, ox.Literal(variable))
        add(mapping, HYDRA.property, ox.NamedNode(str(_PROPERTIES[variable])))
    # the fragment: a collection of its triples, with their count; this page a view of it
    count = ox.Literal(str(page.count), datatype=ox.NamedNode(str(XSD.integer)))
    add(c.fragment, RDF.type, ox.NamedNode(str(HYDRA.Collection)))
    add(c.fragment, VOID.triples, count)
    add(c.fragment, HYDRA.totalItems, count)
    add(c.fragment, HYDRA.view, ox.NamedNode(c.page_iri))
    if c.page_iri != c.fragment:
        add(c.fragment, VOID.subset, ox.NamedNode(c.page_iri))
        add(c.page_iri, VOID.triples, count)
        add(c.page_iri, HYDRA.totalItems, count)
    add(c.page_iri, RDF.type, ox.NamedNode(str(HYDRA.PartialCollectionView)))
    add(c.page_iri, HYDRA.itemsPerPage,
        ox.Literal(str(PAGE_SIZE), datatype=ox.NamedNode(str(XSD.integer))))
    add(c.page_iri, HYDRA.first, ox.NamedNode(c.first))
    if c.number > 1:
        add(c.page_iri, HYDRA.previous, ox.NamedNode(c.page_url(c.number - 1)))
    if page.has_next:
        add(c.page_iri, HYDRA.next, ox.NamedNode(c.page_url(c.number + 1)))
    return [ox.Triple(ox.NamedNode(s), _node(p), o)  # type: ignore[arg-type]
            for s, p, o in triples]


def _node(term: object) -> ox.NamedNode:
    return term if isinstance(term, ox.NamedNode) else ox.NamedNode(str(term))


def quads(controls: Controls, page: Page, *, in_graphs: bool) -> list[ox.Quad]:
    """The response's statements: the data in the default graph and the metadata in
    ``<page>#metadata`` (``in_graphs``), or all in the default graph (triple formats)."""
    graph: ox.NamedNode | ox.DefaultGraph = (
        ox.NamedNode(controls.metadata_graph) if in_graphs else ox.DefaultGraph())
    data = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in page.triples]
    meta = [ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in metadata_triples(controls, page)]
    return data + meta
