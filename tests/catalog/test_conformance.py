"""The catalogue conforms to DCAT-AP 3.0.1 and to DCAT-AP VL 3: no sh:Violation at all.

Which files and how they are combined: ``shapesets.py`` and ``shapes/NOTE.md``.
"""

from __future__ import annotations

import pytest
from pyshacl.errors import ConstraintLoadError
from rdflib import Graph

from tests.catalog.shapesets import SHAPE_SETS, ShapeSet, require_shared
from tests.catalog.vl_repair import OFFICIAL


@pytest.mark.parametrize("shapes", SHAPE_SETS, ids=lambda s: s.name)
def test_catalogue_has_no_violation(shapes: ShapeSet, catalog: Graph) -> None:
    if shapes.name != "dcat-ap-vl":  # the repaired VL copy is in the repository
        require_shared()
    violations = [f for f in shapes.findings(catalog) if f.severity == "Violation"]
    assert not violations, "\n".join(map(str, violations))


def test_vl_shapes_find_a_missing_contact_point(catalog: Graph, iris) -> None:
    """The repaired VL shapes still bite: without its contact point the dataset violates."""
    from rdflib import URIRef

    from midwest_lod.vocab import DCAT

    broken = Graph()
    for triple in catalog:
        if not (triple[0] == URIRef(iris.dataset) and triple[1] == DCAT.contactPoint):
            broken.add(triple)
    vl = next(s for s in SHAPE_SETS if s.name == "dcat-ap-vl")
    violations = [f for f in vl.findings(broken) if f.severity == "Violation"]
    assert [(f.focus, f.path) for f in violations] == [(str(iris.dataset), str(DCAT.contactPoint))]


def test_official_vl_file_does_not_load_as_published(catalog: Graph) -> None:
    """Why the VL file is repaired: pySHACL refuses it as published (sh:maxCount "n").

    Which count it trips over first depends on the order the shapes are loaded in: a
    ConstraintLoadError ("must be a literal with datatype xsd:integer") or a TypeError.
    """
    require_shared()
    from pyshacl import validate

    shapes = Graph().parse(OFFICIAL, format="turtle")
    with pytest.raises((ConstraintLoadError, TypeError)):
        validate(catalog, shacl_graph=shapes)


def test_catalogue_uses_no_blank_nodes(catalog: Graph) -> None:
    from rdflib import BNode

    assert not [t for t in catalog if any(isinstance(term, BNode) for term in t)]


def test_missing_shared_folder_skips_locally_and_fails_in_ci(monkeypatch, tmp_path) -> None:
    from tests.catalog import shapesets

    monkeypatch.setattr(shapesets, "SHARED", tmp_path / "missing")
    monkeypatch.setattr(shapesets, "DCAT_AP", tmp_path / "missing" / "SEMICeu-DCAT-AP")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        shapesets.require_shared()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        shapesets.require_shared()
