"""The VoID statistics counted in one pass over ``canonical.nt`` equal what the SPARQL files
``queries/metadata/void-*.rq`` and ``languages.rq`` (their definition) count in the store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from midwest_lod.iris import Iris
from midwest_lod.pipeline.artefacts import ChunkWriter
from midwest_lod.pipeline.metaquery import DatasetQueries, integer
from midwest_lod.pipeline.statistics import Statistics, read_statistics

BASE = "https://data.midwest.be"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def query_statistics(queries: DatasetQueries) -> Statistics:
    """The statistics as the SPARQL files ``void-*.rq`` define them."""
    (totals,) = queries.select("void-statistics")
    stats = Statistics(
        triples=integer(totals.get("triples")), entities=integer(totals.get("entities")),
        classes=integer(totals.get("classes")),
        distinct_subjects=integer(totals.get("distinctSubjects")),
        distinct_objects=integer(totals.get("distinctObjects")))
    for row in queries.select("void-classes"):
        cls = row["class"]
        if isinstance(cls, ox.NamedNode):
            stats.class_entities[cls.value] = integer(row.get("entities"))
    for row in queries.select("void-properties"):
        prop = row["property"]
        assert isinstance(prop, ox.NamedNode)
        stats.property_triples[prop.value] = integer(row.get("triples"))
    return stats


def _languages(queries: DatasetQueries) -> dict[str, int]:
    return {row["lang"].value: int(row["literals"].value) for row in queries.select("languages")}


def _same(counted: Statistics, queried: Statistics, languages: dict[str, int]) -> None:
    assert counted.totals() == queried.totals()
    assert counted.class_entities == queried.class_entities
    assert counted.property_triples == queried.property_triples
    assert dict(counted.languages) == languages


def test_the_real_publication(real_publication: Path) -> None:
    version = real_publication / "current"
    store = ox.Store.read_only(str(version / "store"))
    queries = DatasetQueries(store, Iris(BASE))
    counted = read_statistics(version / "canonical.nt")
    _same(counted, query_statistics(queries), _languages(queries))
    assert counted.triples > 1000 and counted.entities > 100 and counted.classes > 10


def test_corner_cases(tmp_path: Path) -> None:
    """Blank nodes, a triple in two graphs, a literal class, upper-case language tags,
    non-ASCII and escaped characters, and the graphs that are not part of the dataset."""
    iris = Iris(BASE)
    g1, g2 = ox.NamedNode(BASE + "/id/bewering/1"), ox.NamedNode(BASE + "/id/bewering/2")
    a, b = ox.NamedNode(BASE + "/id/organisatie/a"), ox.NamedNode(BASE + "/id/organisatie/é")
    blank = ox.BlankNode("x")
    cls = ox.NamedNode(BASE + "/ns/sociale-economie#SocialEconomyActor")
    dataset = [
        ox.Quad(a, RDF_TYPE, cls, g1), ox.Quad(a, RDF_TYPE, cls, g2),  # one triple, two graphs
        ox.Quad(a, LABEL, ox.Literal("A", language="nl"), g1),
        ox.Quad(a, LABEL, ox.Literal("A", language="NL-be"), g2),
        ox.Quad(a, LABEL, ox.Literal('say "hi"\n\\ ok'), g1),
        ox.Quad(b, RDF_TYPE, cls, g1), ox.Quad(b, RDF_TYPE, ox.Literal("not a class"), g1),
        ox.Quad(b, LABEL, ox.Literal("Bé", language="en"), g1),
        ox.Quad(blank, RDF_TYPE, cls, g2), ox.Quad(blank, LABEL, a, g2),
        ox.Quad(a, LABEL, blank, g2),
    ]
    outside = [  # the vocabulary and the metadata graph do not count
        ox.Quad(cls, RDF_TYPE, ox.NamedNode("http://www.w3.org/2002/07/owl#Class"),
                ox.NamedNode(iris.graph("vocabularium"))),
        ox.Quad(a, LABEL, ox.Literal("meta", language="de"), ox.NamedNode(iris.graph("metadata"))),
    ]
    chunks = ChunkWriter(tmp_path / "chunks")
    chunks.add_lines(sorted({line for q in dataset for line in _nquads(q)}))
    quads, triples = chunks.merge(tmp_path / "canonical.nq", tmp_path / "canonical.nt")
    assert (quads, triples) == (len(dataset), len(dataset) - 1)
    store = ox.Store()
    store.extend(dataset + outside)
    queries = DatasetQueries(store, iris)
    counted = read_statistics(tmp_path / "canonical.nt")
    _same(counted, query_statistics(queries), _languages(queries))
    assert counted.entities == 2  # the blank node is typed but no IRI
    assert counted.classes == 2  # the class and the literal
    assert dict(counted.languages) == {"nl": 1, "nl-be": 1, "en": 1}


def _nquads(quad: ox.Quad) -> list[bytes]:
    data = ox.serialize([quad], format=ox.RdfFormat.N_QUADS) or b""
    return [line + b"\n" for line in data.split(b"\n") if line]


@pytest.mark.parametrize("line", [b"<http://a> <http://p> \"x y z\" .\n",
                                  b"_:b1 <http://p> <http://o> .\n"])
def test_one_line(tmp_path: Path, line: bytes) -> None:
    path = tmp_path / "one.nt"
    path.write_bytes(line)
    stats = read_statistics(path)
    assert (stats.triples, stats.distinct_subjects, stats.distinct_objects,
            stats.properties) == (1, 1, 1, 1)
