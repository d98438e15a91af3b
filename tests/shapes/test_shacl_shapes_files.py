"""Static checks of the shapes files: they parse, follow the model's prefixes, and every rule is
a named shape with a label and a message in Dutch and English (the validation report groups
findings by rule and shows both messages to the data steward)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from tests.shapes.shacl_helpers import (
    COMPONENTS,
    MW,
    MWSH,
    NON_CONSTRAINTS,
    SH,
    SHAPES_DIR,
    rule_shapes,
    severity_of,
)

SHAPES_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
EXPECTED_FILES = {
    "common", "organisation", "site", "service", "figure", "municipality", "concept",
    "regierol", "provenance",
}
BASE = "https://data.midwest.be"

#: docs/model.md §2 (with the default base), plus the shapes namespace and the usual ones.
PREFIXES = {
    "mw": f"{BASE}/ns/sociale-economie#",
    "mwsh": f"{BASE}/ns/sociale-economie/shapes#",
    "org": "http://www.w3.org/ns/org#",
    "regorg": "http://www.w3.org/ns/regorg#",
    "organisatie": "https://data.vlaanderen.be/ns/organisatie#",
    "adres": "https://data.vlaanderen.be/ns/adres#",
    "locn": "http://www.w3.org/ns/locn#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "adms": "http://www.w3.org/ns/adms#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

#: the concept schemes of docs/model.md §1 (their IRIs are hard-coded with the default base)
SCHEMES = {
    "Basisprincipe", "Initiatieftype", "Thema", "Doelgroep", "RegierolTaak",
    "RegierolPrioriteit", "Rechtsvorm",
}


def languages(graph: Graph, subject: URIRef | BNode, predicate: URIRef) -> list[str]:
    return sorted(
        o.language or "" for o in graph.objects(subject, predicate) if isinstance(o, Literal)
    )


def test_expected_shapes_files_exist() -> None:
    assert {p.stem for p in SHAPES_FILES} >= EXPECTED_FILES


@pytest.mark.parametrize("path", SHAPES_FILES, ids=lambda p: p.name)
def test_shapes_file_parses(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 0


@pytest.mark.parametrize("path", SHAPES_FILES, ids=lambda p: p.name)
def test_shapes_file_uses_the_model_prefixes(path: Path) -> None:
    declared = dict(re.findall(r"^@prefix\s+([\w-]*):\s*<([^>]*)>", path.read_text(), re.M))
    assert declared == PREFIXES


def test_every_message_is_in_dutch_and_english(shapes_graph: Graph) -> None:
    for subject in set(shapes_graph.subjects(SH.message, None)):
        assert languages(shapes_graph, subject, SH.message) == ["en", "nl"], subject


def test_every_rule_is_a_named_labelled_shape_with_messages(shapes_graph: Graph) -> None:
    rules = [s for s in rule_shapes(shapes_graph) if constraints_of(shapes_graph, s)]
    assert len(rules) > 50
    for rule in rules:
        assert isinstance(rule, URIRef) and rule.startswith(str(MWSH)), rule
        assert languages(shapes_graph, rule, RDFS.label) == ["en", "nl"], rule
        assert languages(shapes_graph, rule, SH.message) == ["en", "nl"], rule
        assert shapes_graph.value(rule, SH.severity) in (SH.Violation, SH.Warning), rule


def test_node_shapes_are_labelled(shapes_graph: Graph) -> None:
    targeted = {s for s in rule_shapes(shapes_graph) if (s, RDF.type, SH.NodeShape) in shapes_graph}
    for shape in targeted:
        assert languages(shapes_graph, shape, RDFS.label) == ["en", "nl"], shape


def test_property_shapes_are_named(shapes_graph: Graph) -> None:
    for shape in set(shapes_graph.objects(None, SH.property)):
        assert isinstance(shape, URIRef) and shape.startswith(str(MWSH)), shape
        assert (shape, RDF.type, SH.PropertyShape) in shapes_graph, shape


def constraints_of(graph: Graph, shape: URIRef | BNode) -> set[URIRef]:
    return {p for p in graph.predicates(shape, None) if p in COMPONENTS}


def test_rule_shapes_only_use_known_parameters(shapes_graph: Graph) -> None:
    """Every predicate of a rule is a known constraint or a known non-constraint, so the guard
    in test_shacl_fixtures.py (every violation constraint has a fixture) cannot miss one."""
    for shape in rule_shapes(shapes_graph):
        for predicate in set(shapes_graph.predicates(shape, None)):
            assert predicate in COMPONENTS or predicate in NON_CONSTRAINTS, (shape, predicate)


def test_warnings_apply_to_actors_only(shapes_graph: Graph) -> None:
    warning_rules = {
        s for s in rule_shapes(shapes_graph) if severity_of(shapes_graph, s) == "Warning"
    }
    assert warning_rules
    for rule in warning_rules:
        owners = set(shapes_graph.subjects(SH.property, rule))
        assert owners, rule
        for owner in owners:
            targets = {
                (p, o)
                for p, o in shapes_graph.predicate_objects(owner)
                if p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
            }
            assert targets == {(SH.targetClass, MW.SocialEconomyActor)}, rule


#: The only shapes with a SPARQL-based target: the unique-label rules, whose target (one join on
#: the label) replaces a query per label and node, which was quadratic in a batch's size.
SPARQL_TARGETED = {MWSH["Organisation-sharedLabel"], MWSH["Municipality-sharedLabel"]}


def test_only_core_targets_but_the_shared_label_ones(shapes_graph: Graph) -> None:
    """Any other SPARQL-based target (sh:target) would run a query per batch: keep them few."""
    assert set(shapes_graph.subjects(SH.target, None)) == SPARQL_TARGETED
    for shape in SPARQL_TARGETED:
        target = shapes_graph.value(shape, SH.target)
        assert (target, RDF.type, SH.SPARQLTarget) in shapes_graph
        assert "?label" in str(shapes_graph.value(target, SH.select))


def test_helper_shapes_are_used(shapes_graph: Graph) -> None:
    """A node shape without a target is only a helper: something must refer to it."""
    for shape in set(shapes_graph.subjects(RDF.type, SH.NodeShape)):
        if shape in rule_shapes(shapes_graph):
            continue
        assert isinstance(shape, URIRef), shape
        assert list(shapes_graph.subjects(None, shape)), f"unused helper shape {shape}"


def test_iris_under_the_base_are_vocabulary_shapes_or_schemes(shapes_graph: Graph) -> None:
    """The IRIs that depend on BASE_IRI (the code rebases them): the vocabulary, the shapes and
    the concept schemes."""
    allowed = f"{BASE}/ns/sociale-economie"
    schemes = {f"{BASE}/id/conceptscheme/{name}" for name in SCHEMES}
    for node in {n for triple in shapes_graph for n in triple if isinstance(n, URIRef)}:
        if node.startswith(BASE):
            assert str(node).startswith(allowed) or str(node) in schemes, node


def test_every_scheme_has_a_helper_used_by_a_rule(shapes_graph: Graph) -> None:
    used = set(shapes_graph.objects(None, SH.node))
    for name in SCHEMES:
        helper = MWSH[f"InScheme-{name}"]
        assert helper in used, helper
        scheme = URIRef(f"{BASE}/id/conceptscheme/{name}")
        members = [
            m
            for lst in shapes_graph.objects(helper, SH["or"])
            for m in Collection(shapes_graph, lst)
        ]
        assert any((m, SH.hasValue, scheme) in shapes_graph for m in members), helper
