"""Every term the data uses is defined in ontology/ with nl and en labels; ontology, shapes
and data each parse."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from midwest_lod.assets import asset_dir
from midwest_lod.pipeline import BuildResult


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in sorted(asset_dir("ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def data_terms(baseline: tuple[Path, BuildResult]) -> set[URIRef]:
    version = baseline[1].version
    assert version is not None
    terms: set[URIRef] = set()
    with (version.path / "canonical.nt").open("rb") as handle:
        graph = Graph()
        graph.parse(handle, format="nt")
    for _s, p, o in graph:
        terms.add(URIRef(p))
        if p == RDF.type:
            terms.add(URIRef(o))
    return terms


def _labels(ontology: Graph, term: URIRef) -> set[str]:
    return {lit.language or "" for lit in ontology.objects(term, RDFS.label)
            if isinstance(lit, Literal)}


def test_every_term_used_by_the_data_has_nl_and_en_labels(
    ontology: Graph, data_terms: set[URIRef]
) -> None:
    assert len(data_terms) > 50
    missing = sorted(str(t) for t in data_terms if not {"nl", "en"} <= _labels(ontology, t))
    assert missing == []


def test_shapes_parse() -> None:
    files = sorted(asset_dir("shapes").glob("*.ttl"))
    assert len(files) >= 5
    for path in files:
        assert len(Graph().parse(path, format="turtle")) > 0, path


def test_every_term_of_the_metadata_graph_has_nl_and_en_labels(
    ontology: Graph, baseline: tuple[Path, BuildResult]
) -> None:
    import pyoxigraph as ox

    version = baseline[1].version
    assert version is not None
    store = ox.Store.read_only(str(version.store_path))
    metadata = ox.NamedNode("https://data.midwest.be/id/graaf/metadata")
    terms: set[URIRef] = set()
    for quad in store.quads_for_pattern(None, None, None, metadata):
        terms.add(URIRef(quad.predicate.value))
        if quad.predicate.value == str(RDF.type) and isinstance(quad.object, ox.NamedNode):
            terms.add(URIRef(quad.object.value))
    assert len(terms) > 30
    missing = sorted(str(t) for t in terms if not {"nl", "en"} <= _labels(ontology, t))
    assert missing == []


def test_no_term_gets_two_labels_in_one_language(ontology: Graph) -> None:
    seen: dict[tuple[URIRef, str], int] = {}
    for term, label in ontology.subject_objects(RDFS.label):
        if isinstance(label, Literal) and isinstance(term, URIRef):
            key = (term, label.language or "")
            seen[key] = seen.get(key, 0) + 1
    assert [k for k, n in seen.items() if n > 1] == []
