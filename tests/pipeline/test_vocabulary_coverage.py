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
