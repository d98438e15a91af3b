"""Regression: a document listed every link that points at its entity.

At 100,000 organisations a municipality is the object of tens of thousands of statements: its
Turtle took 1.5 s and megabytes (benchmark, 2026-11-27), its page as long. Documents now carry
the first 1,000 incoming links (``INCOMING_LIMIT``); the page says how many there are.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from midwest_lod.iris import Iris
from midwest_lod.publication import Version
from midwest_lod.vocab import prefixes_for
from midwest_lod.web.describe import INCOMING_LIMIT, Describer
from midwest_lod.web.queries import QueryFiles

BASE = "https://data.midwest.be"
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
LOCATED = NamedNode(BASE + "/ns/sociale-economie#municipality")


def _store(links: int) -> tuple[Store, NamedNode]:
    iris = Iris(BASE)
    store = Store()
    municipality = NamedNode(BASE + "/id/gemeente/36015")
    graph = NamedNode(iris.graph("gemeenten"))
    store.add(Quad(municipality, LABEL, Literal("Roeselare", language="nl"), graph))
    for n in range(links):
        site = NamedNode(f"{BASE}/id/vestiging/v{n:05d}")
        record = NamedNode(f"{BASE}/id/bewering/b{n:05d}")
        store.add(Quad(site, LOCATED, municipality, record))
        store.add(Quad(site, LABEL, Literal(f"Vestiging {n}", language="nl"), record))
    return store, municipality


def _describer() -> Describer:
    return Describer(Iris(BASE), QueryFiles(prefixes=prefixes_for(BASE)))


def _version(store: Store) -> Version:
    return Version(Path("."), {"version": "test"}, query_store=store)


def test_the_rdf_document_carries_at_most_the_limit_of_incoming_links() -> None:
    store, municipality = _store(INCOMING_LIMIT + 250)
    triples = _describer().triples(store, municipality.value)
    incoming = [t for t in triples if t.object == municipality and t.predicate == LOCATED]
    labelled = {t.subject for t in triples if t.predicate == LABEL} - {municipality}
    assert len({t.subject for t in incoming}) == INCOMING_LIMIT
    assert labelled == {t.subject for t in incoming}  # labels of exactly the listed ones


def test_a_document_under_the_limit_keeps_every_incoming_link() -> None:
    store, municipality = _store(40)
    triples = _describer().triples(store, municipality.value)
    assert len({t.subject for t in triples if t.object == municipality}) == 40


def test_the_page_lists_the_limit_and_says_how_many_there_are() -> None:
    store, municipality = _store(INCOMING_LIMIT + 250)
    view = _describer().view(_version(store), municipality.value)
    listed = [v for group in view.incoming for v in group.values]
    assert len(listed) == INCOMING_LIMIT
    assert all(v.text.startswith("Vestiging ") for v in listed)  # labels, not IRIs
    assert (view.incoming_shown, view.incoming_total) == (INCOMING_LIMIT, INCOMING_LIMIT + 250)


def test_the_page_under_the_limit_counts_nothing_extra() -> None:
    store, municipality = _store(12)
    view = _describer().view(_version(store), municipality.value)
    assert (view.incoming_shown, view.incoming_total) == (12, 12)
