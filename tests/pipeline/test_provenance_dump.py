"""Issue 10.5: a consumer of any dump format finds the source(s), the basis (stated or
inferred, with the reason) of every published statement (docs/decisions/0015).

N-Quads carries the assertion graphs; a consumer of Turtle, N-Triples or JSON-LD reads the
companion provenance dump (``…-herkomst.nt.gz``) beside it, which every distribution links to
(``prov:has_provenance`` in the catalogue, a PROV-AQ ``Link`` header on the download). Here
each triple dump is read with rdflib together with the companion, as such a consumer would,
and the decision's worked SPARQL example must give each statement of the N-Quads dump, in
its assertion graph, exactly once.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import requests
from rdflib import Dataset, Graph, Literal, URIRef

from midwest_lod import jsonld
from midwest_lod.config import Settings
from midwest_lod.publication import DUMP_STEM, PROVENANCE_DUMP
from tests.web.helpers import ServerProcess, with_context

BASE = Settings.load({}).base_iri
MW = f"{BASE}/ns/sociale-economie#"
HAS_PROVENANCE = "http://www.w3.org/ns/prov#has_provenance"
#: The worked example of docs/decisions/0015-provenance-everywhere.md.
WORKED_EXAMPLE = f"""
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX mw: <{MW}>
SELECT ?s ?p ?o ?assertion ?basis ?source ?reason WHERE {{
  ?statement a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
             dct:isPartOf ?assertion .
  ?s ?p ?o .
  ?assertion mw:basis ?basis .
  OPTIONAL {{ ?assertion prov:wasDerivedFrom ?source }}
  OPTIONAL {{ ?assertion rdfs:comment ?reason }}
}}"""
TRIPLE_DUMPS = [(f"{DUMP_STEM}.ttl", "turtle"), (f"{DUMP_STEM}.nt.gz", "nt"),
                (f"{DUMP_STEM}.jsonld", "json-ld")]


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".jsonld":  # the context it names is the one published for BASE
        return with_context(data, jsonld.context_document(BASE))
    return gzip.decompress(data) if path.suffix == ".gz" else data


@pytest.fixture(scope="module")
def dumps(real_publication: Path) -> Path:
    return (real_publication / "current" / "dumps").resolve()


@pytest.fixture(scope="module")
def assertion_quads(dumps: Path) -> set[tuple[URIRef, URIRef, object, URIRef]]:
    dataset = Dataset()
    dataset.parse(data=_read(dumps / f"{DUMP_STEM}.nq.gz"), format="nquads")
    quads = {(s, p, o, g.identifier if hasattr(g, "identifier") else g)
             for s, p, o, g in dataset.quads((None, None, None, None))}
    found = {q for q in quads if str(q[3]).startswith(f"{BASE}/id/bewering/")}
    assert len(found) > 1000
    return found  # type: ignore[return-value]


@pytest.mark.parametrize(("file", "rdf_format"), TRIPLE_DUMPS)
def test_every_statement_of_a_triple_dump_has_its_provenance(
        dumps: Path, assertion_quads: set[tuple[URIRef, URIRef, object, URIRef]],
        file: str, rdf_format: str) -> None:
    graph = Graph()
    graph.parse(data=_read(dumps / file), format=rdf_format)
    graph.parse(data=_read(dumps / PROVENANCE_DUMP), format="nt")
    rows = list(graph.query(WORKED_EXAMPLE))
    found = {(row.s, row.p, row.o, row.assertion) for row in rows}  # type: ignore[union-attr]
    assert found == assertion_quads, "each statement in its assertion graph, none else"
    by_assertion: dict[object, dict[str, set[object]]] = {}
    for row in rows:
        about = by_assertion.setdefault(row.assertion, {"basis": set(), "source": set(),  # type: ignore[union-attr]
                                                         "reason": set()})
        for key in ("basis", "source", "reason"):
            if getattr(row, key) is not None:
                about[key].add(getattr(row, key))
    for assertion, about in by_assertion.items():
        assert len(about["basis"]) == 1, assertion
        if about["basis"] == {URIRef(MW + "inferred")}:
            assert any(isinstance(r, Literal) for r in about["reason"]), f"{assertion}: why"
        else:
            assert about["basis"] == {URIRef(MW + "stated")}, assertion
            assert about["source"], f"{assertion}: a stated fact names its source"


def test_the_provenance_dump_is_the_same_for_the_same_input(
        dumps: Path, tmp_path: Path) -> None:
    from midwest_lod.pipeline import run_build

    again = run_build(Settings.load({"output_dir": tmp_path}))
    assert again.version is not None
    assert (again.version.path / "dumps" / PROVENANCE_DUMP).read_bytes() == (
        dumps / PROVENANCE_DUMP).read_bytes()


@pytest.mark.server
def test_every_distribution_links_to_the_provenance_dump(server: ServerProcess) -> None:
    catalogue = Graph().parse(data=requests.get(
        server.url + "/catalog", headers={"Accept": "application/n-triples"}, timeout=20
    ).content, format="nt")
    companion = URIRef(f"{BASE}/id/distributie/midwest-sociale-economie-herkomst-nt-gz")
    dcat = "http://www.w3.org/ns/dcat#"
    distributions = set(catalogue.objects(None, URIRef(dcat + "distribution")))
    assert companion in distributions
    for distribution in distributions - {companion}:
        assert list(catalogue.objects(distribution, URIRef(HAS_PROVENANCE))) == [companion]
    (download,) = catalogue.objects(companion, URIRef(dcat + "downloadURL"))
    assert str(download) == f"{server.url}/dumps/{PROVENANCE_DUMP}"
    for file, _ in TRIPLE_DUMPS:
        response = requests.head(f"{server.url}/dumps/{file}", timeout=20)
        assert response.status_code == 200
        assert response.links[HAS_PROVENANCE]["url"] == str(download), file
    assert requests.head(str(download), timeout=20).status_code == 200
