"""The VoID description: its statistics equal COUNT queries written independently here, over
the store with the union default graph and the dataset's graphs picked with GRAPH ?g."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from midwest_lod.iris import Iris
from midwest_lod.publication import Version
from midwest_lod.vocab import DCAT, DCT, VOID

#: The dataset is every graph but the store-only ones: the vocabulary, the metadata graph and
#: the history graph (when entities changed, pipeline/history_graph.py).
DATASET = ("GRAPH ?g { %s } FILTER (?g != <{base}/id/graaf/vocabularium> "
           "&& ?g != <{base}/id/graaf/metadata> && ?g != <{base}/id/graaf/geschiedenis>)")


def count(store: ox.Store, iris: Iris, select: str, pattern: str) -> Any:
    where = DATASET.replace("{base}", iris.base) % pattern
    query = f"SELECT {select} WHERE {{ {where} }}"
    return list(store.query(query, use_default_graph_as_union=True))


def number(void: Graph, subject: str | URIRef, prop: URIRef) -> int:
    value = void.value(URIRef(subject), prop)
    assert isinstance(value, Literal) and value.datatype == XSD.integer, (subject, prop, value)
    return int(value)


@pytest.mark.parametrize("name, select, pattern", [
    ("distinctSubjects", "(COUNT(DISTINCT ?s) AS ?n)", "?s ?p ?o"),
    ("distinctObjects", "(COUNT(DISTINCT ?o) AS ?n)", "?s ?p ?o"),
    ("properties", "(COUNT(DISTINCT ?p) AS ?n)", "?s ?p ?o"),
    ("classes", "(COUNT(DISTINCT ?c) AS ?n)", "?s a ?c"),
    ("entities", "(COUNT(DISTINCT ?s) AS ?n)", "?s a ?c FILTER (isIRI(?s))"),
])
def test_statistics_equal_independent_counts(void: Graph, store: ox.Store, iris: Iris,
                                             name: str, select: str, pattern: str) -> None:
    (row,) = count(store, iris, select, pattern)
    assert number(void, iris.dataset, VOID[name]) == int(row["n"].value)


def test_triples_equal_the_distinct_triples_of_the_dataset_graphs(
        void: Graph, store: ox.Store, iris: Iris) -> None:
    excluded = {f"{iris.base}/id/graaf/vocabularium", f"{iris.base}/id/graaf/metadata",
                str(iris.history_graph)}
    triples = {(q.subject, q.predicate, q.object) for q in store
               if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in excluded}
    assert number(void, iris.dataset, VOID.triples) == len(triples)


def test_triples_are_those_of_the_dumps(void: Graph, version: Version, iris: Iris) -> None:
    """canonical.nt is the dataset as distinct triples, one per line (the .nt.gz dump)."""
    lines = (version.path / "canonical.nt").read_bytes().count(b"\n")
    assert number(void, iris.dataset, VOID.triples) == lines == version.manifest["counts"][
        "triples"]


def test_class_partitions(void: Graph, store: ox.Store, iris: Iris) -> None:
    expected = {r["c"].value: int(r["n"].value)
                for r in store.query(
                    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { %s } GROUP BY ?c"
                    % (DATASET.replace("{base}", iris.base) % "?s a ?c"),
                    use_default_graph_as_union=True)}
    partitions = list(void.objects(URIRef(iris.dataset), VOID.classPartition))
    assert len(partitions) == len(expected) == number(void, iris.dataset, VOID.classes)
    found = {}
    for partition in partitions:
        assert not isinstance(partition, BNode)
        cls = void.value(partition, VOID["class"])
        assert partition == URIRef(iris.void_partition("class", str(cls)))
        found[str(cls)] = number(void, partition, VOID.entities)
    assert found == expected


def test_property_partitions(void: Graph, store: ox.Store, iris: Iris) -> None:
    where = DATASET.replace("{base}", iris.base) % "?s ?p ?o"
    expected = {r["p"].value: int(r["n"].value) for r in store.query(
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {where} }} }} "
        "GROUP BY ?p", use_default_graph_as_union=True)}
    partitions = list(void.objects(URIRef(iris.dataset), VOID.propertyPartition))
    assert len(partitions) == len(expected) == number(void, iris.dataset, VOID.properties)
    found = {}
    for partition in partitions:
        assert not isinstance(partition, BNode)
        prop = void.value(partition, VOID.property)
        assert partition == URIRef(iris.void_partition("property", str(prop)))
        found[str(prop)] = number(void, partition, VOID.triples)
    assert found == expected
    assert sum(found.values()) == number(void, iris.dataset, VOID.triples)


def test_access_and_description(void: Graph, version: Version, iris: Iris) -> None:
    dataset = URIRef(iris.dataset)
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert (dataset, RDF.type, DCAT.Dataset) in void  # one IRI for both descriptions
    assert void.value(dataset, VOID.uriSpace) == Literal(f"{iris.base}/id/")
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{iris.base}/sparql")
    dumps = {URIRef(f"{iris.base}/dumps/{d['file']}") for d in version.manifest["dumps"]}
    assert set(void.objects(dataset, VOID.dataDump)) == dumps
    assert void.value(dataset, DCT.license) is not None
    assert {lit.language for lit in void.objects(dataset, DCT.title)} == {"nl", "en"}
    assert {lit.language for lit in void.objects(dataset, DCT.description)} == {"nl", "en"}
    assert void.value(dataset, DCT.modified).datatype == XSD.dateTime
    examples = {str(x) for x in void.objects(dataset, VOID.exampleResource)}
    assert {f"{iris.base}/id/organisatie/mariasteen", f"{iris.base}/id/gemeente/36015"} <= examples
    description = URIRef(f"{iris.base}/.well-known/void")
    assert void.value(description, URIRef("http://xmlns.com/foaf/0.1/primaryTopic")) == dataset


def test_vocabularies_are_the_namespaces_used(void: Graph, iris: Iris) -> None:
    vocabularies = {str(v) for v in void.objects(URIRef(iris.dataset), VOID.vocabulary)}
    terms = [str(void.value(p, VOID.property)) for p in void.objects(
        URIRef(iris.dataset), VOID.propertyPartition)]
    terms += [str(void.value(p, VOID["class"])) for p in void.objects(
        URIRef(iris.dataset), VOID.classPartition)]
    assert all(any(t.startswith(v) for v in vocabularies) for t in terms)
    assert {"http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#",
            f"{iris.base}/ns/sociale-economie#", "http://www.w3.org/2004/02/skos/core#"} <= (
        vocabularies)


def test_the_catalogue_document_leaves_the_statistics_out(catalog: Graph) -> None:
    assert not [t for t in catalog if str(t[1]).startswith(str(VOID))]
