"""Regression: an entity page looked up the consultation of its sources over every ``prov:used``.

``queries/entity-sources.rq`` found the day a source was consulted with a nested OPTIONAL
(``?visit prov:used ?source ; dct:date ?consulted``) that pyoxigraph evaluated before
``?source`` was bound: over every ``prov:used`` of the provenance graph, among them the build
activity's one per input file. At 100,000 organisations every HTML entity page took 0.5–1.4 s
for it (benchmark, 2026-12-04: cold HTML p50 1,029 ms); now the lookup is a LATERAL per
source (7 ms p50 on the same build). Speed is the benchmark's to show (``cold-html``); this
test holds what the rewrite must keep: each source gets its own day of consultation, and
the build activity's many ``prov:used`` add nothing.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad, Store

from midwest_lod.iris import Iris
from midwest_lod.vocab import prefixes_for
from midwest_lod.web.queries import QueryFiles

BASE = "https://data.midwest.be"
MW = BASE + "/ns/sociale-economie#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")


def _store(input_files: int) -> tuple[Store, NamedNode, NamedNode]:
    iris = Iris(BASE)
    provenance = NamedNode(iris.graph("herkomst"))
    store = Store()
    entity = NamedNode(BASE + "/id/organisatie/voorbeeld")
    assertion = NamedNode(BASE + "/id/bewering/a1")
    store.add(Quad(entity, NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                   Literal("Voorbeeld", language="nl"), assertion))
    store.add(Quad(assertion, NamedNode(MW + "basis"), NamedNode(MW + "stated"), provenance))
    for n, day in ((1, "2026-03-01"), (2, "2026-04-02")):
        source = NamedNode(f"https://example.org/bron-{n}")
        visit = NamedNode(f"{BASE}/id/raadpleging/r{n}")
        store.add(Quad(assertion, NamedNode(PROV + "wasDerivedFrom"), source, provenance))
        store.add(Quad(visit, NamedNode(PROV + "used"), source, provenance))
        store.add(Quad(visit, NamedNode(DCT + "date"), Literal(day, datatype=XSD_DATE),
                       provenance))
    build = NamedNode(BASE + "/id/activiteit/build-1")
    store.add(Quad(build, NamedNode(DCT + "date"), Literal("2026-12-04", datatype=XSD_DATE),
                   provenance))
    for n in range(input_files):
        store.add(Quad(build, NamedNode(PROV + "used"),
                       NamedNode(f"{BASE}/id/invoer/{n:06d}"), provenance))
    return store, entity, provenance


def test_each_source_gets_its_own_consultation_day_among_many_input_files() -> None:
    store, entity, provenance = _store(input_files=5000)
    rows = QueryFiles(prefixes=prefixes_for(BASE)).run(
        store, "entity-sources", union=False, iri=entity, provenance_graph=provenance)
    found = {(row["source"].value, row["consulted"].value if row["consulted"] else None)
             for row in rows}
    assert found == {("https://example.org/bron-1", "2026-03-01"),
                     ("https://example.org/bron-2", "2026-04-02")}
