"""Helpers for the SHACL shape tests (imported by conftest.py and the test modules).

The shapes in ``shapes/`` are validated with pyshacl exactly as the build does:
``inference="none"``, ``advanced=True``, ``allow_warnings=True`` and the ontology
(``ontology/sociale-economie.ttl``) as ``ont_graph`` when it exists. The tests never depend
on the ontology: every entity in the fixtures is typed with all its classes.

``fixtures/valid/*.ttl`` together form one complete, valid graph (the *base*). Every file in
``fixtures/invalid/`` and ``fixtures/warnings/`` is validated *added to* the base, so each
fixture only holds the few triples that break (or leave out) one rule.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest.mock import patch

import pyshacl
from pyshacl.shape import Shape
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[2]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY_FILE = ROOT / "ontology" / "sociale-economie.ttl"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

SH = Namespace("http://www.w3.org/ns/shacl#")
MW = Namespace("https://data.midwest.be/ns/sociale-economie#")
MWSH = Namespace("https://data.midwest.be/ns/sociale-economie/shapes#")
ORGANISATIE = Namespace("https://data.midwest.be/id/organisatie/")


@dataclass(frozen=True)
class Result:
    """One top-level validation result (nested sh:detail results are not included)."""

    focus: Node
    shape: str  # local name in mwsh:, or the full IRI / blank node id of another shape
    component: str  # local name without "ConstraintComponent", e.g. "MinCount", "Mod97"
    severity: str  # "Violation", "Warning" or "Info"
    value: Node | None
    messages: dict[str, list[str]] = field(default_factory=dict, compare=False, hash=False)


def local(node: Node | None, namespace: Namespace) -> str:
    text = str(node)
    return text[len(str(namespace)) :] if text.startswith(str(namespace)) else text


def results_of(report: Graph) -> list[Result]:
    """The top-level results of a pyshacl report graph."""
    out = []
    for result in report.objects(None, SH.result):
        messages: dict[str, list[str]] = {}
        for message in report.objects(result, SH.resultMessage):
            lang = message.language if isinstance(message, Literal) else None
            messages.setdefault(lang or "", []).append(str(message))
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        out.append(
            Result(
                focus=report.value(result, SH.focusNode),
                shape=local(report.value(result, SH.sourceShape), MWSH),
                component=component.removesuffix("ConstraintComponent"),
                severity=local(report.value(result, SH.resultSeverity), SH),
                value=report.value(result, SH.value),
                messages=messages,
            )
        )
    return out


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal (e.g. "2020-13-45"^^xsd:date) it
    parses or compares; the fixtures contain such literals on purpose."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse_files(paths: Iterable[Path]) -> Graph:
    graph = Graph()
    with quiet_rdflib():
        for path in paths:
            graph.parse(path, format="turtle")
    return graph


def run_pyshacl(data: Graph, shapes: Graph, ontology: Graph | None, **options: object) -> Graph:
    """pyshacl with the build's options; returns the report graph."""
    with quiet_rdflib():
        _conforms, report, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            allow_warnings=True,
            **options,
        )
    return report


def rule_shapes(shapes: Graph) -> set[Node]:
    """The shapes that can appear as sh:sourceShape of a top-level result.

    Node shapes with a target, and the property shapes they list with sh:property. Helper
    shapes (mwsh:FlexibleDate, mwsh:InScheme-*, ...) are only reached through sh:node / sh:or
    and never reported themselves. A node shape with an ``sh:target`` (a SPARQL target) is
    targeted too.
    """
    targeted = {
        shape
        for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                          SH.target)
        for shape in shapes.subjects(predicate, None)
    }
    properties = {p for shape in targeted for p in shapes.objects(shape, SH.property)}
    return targeted | properties


#: Constraint parameters -> the component pyshacl reports (without "ConstraintComponent").
COMPONENTS = {
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind",
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.pattern: "Pattern",
    SH.languageIn: "LanguageIn",
    SH.uniqueLang: "UniqueLang",
    SH["in"]: "In",
    SH.hasValue: "HasValue",
    SH.node: "Node",
    SH["or"]: "Or",
    SH["not"]: "Not",
    SH["and"]: "And",
    SH.xone: "Xone",
    SH.qualifiedMinCount: "QualifiedMinCount",
    SH.qualifiedMaxCount: "QualifiedMaxCount",
    SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals",
    SH.equals: "Equals",
    SH.disjoint: "Disjoint",
    SH.minLength: "MinLength",
    SH.maxLength: "MaxLength",
    SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive",
    SH.maxExclusive: "MaxExclusive",
    SH.closed: "Closed",
    SH.sparql: "SPARQL",
    # SHACL-SPARQL constraint components defined in shapes/ (mwsh:<Name>ConstraintComponent)
    MWSH.mod97: "Mod97",
    MWSH.notAfter: "NotAfter",
    MWSH.uniqueLabelAmong: "UniqueLabelAmong",
}

#: Predicates of a rule shape that are not constraints.
NON_CONSTRAINTS = {
    RDF.type,
    SH.path,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.property,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
    SH.flags,
    SH.qualifiedValueShape,
    SH.qualifiedValueShapesDisjoint,
    SH.ignoredProperties,
    SH.order,
    SH.group,
    SH.deactivated,
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
}


def severity_of(shapes: Graph, shape: Node) -> str:
    return local(shapes.value(shape, SH.severity) or SH.Violation, SH)


def rule_constraints(shapes: Graph) -> set[tuple[str, str, str]]:
    """(shape local name, component, severity) for every constraint of every rule shape."""
    out = set()
    for shape in rule_shapes(shapes):
        for predicate in set(shapes.predicates(shape, None)):
            if predicate in COMPONENTS:
                out.add((local(shape, MWSH), COMPONENTS[predicate], severity_of(shapes, shape)))
    return out


# --- batched validation ---------------------------------------------------------------------
#
# pyshacl 0.40's `focus_nodes` option is NOT safe for these shapes: it also filters the value
# nodes that nested shapes (sh:node, sh:or, sh:not, sh:qualifiedValueShape) evaluate, so those
# constraints silently pass (and sh:not fails wrongly). `use_shapes` does not help either: it
# skips the IRI-named property and helper shapes the listed shapes refer to.
# What works: validate without `focus_nodes` and restrict only the targets of the top-level
# shapes, by filtering pyshacl's Shape.focus_nodes (which is only called to compute a shape's
# own targets, never for nested shapes).


@contextmanager
def only_focus(nodes: Iterable[Node]) -> Iterator[None]:
    """Within the block, pyshacl validates only ``nodes`` as top-level focus nodes."""
    allowed = set(nodes)
    original = Shape.focus_nodes

    def focus_nodes(self: Shape, data_graph: Graph, debug: bool = False) -> set[Node]:
        return {n for n in original(self, data_graph, debug=debug) if n in allowed}

    with patch.object(Shape, "focus_nodes", focus_nodes):
        yield


def validate_in_batches(
    data: Graph, shapes: Graph, ontology: Graph | None, nodes: Iterable[Node], batch_size: int
) -> list[Result]:
    """Validate ``nodes`` of ``data`` (in batches of ``batch_size``), as the build does."""
    ordered = sorted(set(nodes), key=str)
    results: list[Result] = []
    for start in range(0, len(ordered), batch_size):
        with only_focus(ordered[start : start + batch_size]):
            results.extend(results_of(run_pyshacl(data, shapes, ontology)))
    return results
