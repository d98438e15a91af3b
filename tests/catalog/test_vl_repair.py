"""The committed repaired copy of the DCAT-AP VL shapes is exactly what vl_repair.py makes of
the official file, and the diff beside it is the diff between the two."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, XSD

from tests.catalog.shapesets import require_shared
from tests.catalog.vl_repair import DIFF, OFFICIAL, REPAIRED, repair, unified_diff

SH = Namespace("http://www.w3.org/ns/shacl#")


def test_repaired_copy_is_regenerated_from_the_official_file() -> None:
    require_shared()
    official = OFFICIAL.read_text(encoding="utf-8")
    repaired = repair(official)
    assert REPAIRED.read_text(encoding="utf-8") == repaired, (
        "run `python -m tests.catalog.vl_repair` and commit the result")
    assert DIFF.read_text(encoding="utf-8") == unified_diff(official, repaired)


def test_repaired_copy_is_well_formed() -> None:
    shapes = Graph().parse(REPAIRED, format="turtle")
    for predicate in (SH.minCount, SH.maxCount):
        for value in shapes.objects(None, predicate):
            assert isinstance(value, Literal) and value.datatype == XSD.integer, value
    paths = set(shapes.objects(None, SH.path))
    assert URIRef("http://www.w3.org/ns/dcat#servesDataset") in paths
    assert URIRef("http://www.w3.org/ns/dcat#servesdataset") not in paths
    assert URIRef("http://www.w3.org/ns/dcat#mediatype") not in paths
    assert not list(shapes.subjects(SH["class"], RDFS.Resource))
    sample = URIRef("https://data.vlaanderen.be/doc/applicatieprofiel/DCAT-AP-VL/"
                    "erkendestandaard/2026-02-12#VoorbeeldweergaveShape")
    assert list(shapes.objects(sample, SH.targetClass)) == []
    assert list(shapes.objects(sample, SH.targetObjectsOf)) == [
        URIRef("http://www.w3.org/ns/adms#sample")]
    # Every shape the official file names is still there (the repairs remove nothing else).
    assert len(set(shapes.subjects(SH.path, None))) == 120
