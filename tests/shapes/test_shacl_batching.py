"""Batched validation (what the build does for large graphs) gives the same results as one
full validation, when done the way ``shacl_helpers.validate_in_batches`` does it (restricting
only the top-level targets).

pyshacl 0.40's own ``focus_nodes`` option does not: it skips the nested shapes these rules rely
on (Dutch labels through sh:qualifiedValueShape, dates and concept schemes through sh:node, ...).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from rdflib import Graph, URIRef

from tests.shapes.shacl_helpers import (
    FIXTURES,
    Result,
    parse_files,
    validate_in_batches,
)


def key(result: Result) -> tuple[str, str, str, str, str]:
    return (str(result.focus), result.shape, result.component, result.severity, str(result.value))


@pytest.fixture(scope="module")
def everything(base_graph: Graph) -> Graph:
    """The valid graph with every invalid and warnings fixture added at once (fixtures reuse
    IRIs, so this is not a per-rule check, just a large graph with many kinds of results)."""
    graph = Graph()
    graph += base_graph
    graph += parse_files(sorted((FIXTURES / "invalid").glob("*.ttl")))
    graph += parse_files(sorted((FIXTURES / "warnings").glob("*.ttl")))
    return graph


@pytest.fixture(scope="module")
def full_results(everything: Graph, validate: Callable[..., list[Result]]) -> list[Result]:
    return validate(everything)


def test_the_combined_graph_has_many_kinds_of_results(full_results: list[Result]) -> None:
    assert len({(r.shape, r.component) for r in full_results}) > 100
    assert {r.severity for r in full_results} == {"Violation", "Warning"}


def test_batched_validation_equals_full_validation(
    everything: Graph,
    full_results: list[Result],
    shapes_graph: Graph,
    ontology_graph: Graph | None,
) -> None:
    subjects = {s for s in everything.subjects() if isinstance(s, URIRef)}
    batched = validate_in_batches(
        everything, shapes_graph, ontology_graph, subjects, batch_size=len(subjects) // 3 + 1
    )
    assert Counter(map(key, batched)) == Counter(map(key, full_results))


def test_plain_focus_nodes_miss_nested_constraints(
    everything: Graph,
    full_results: list[Result],
    validate: Callable[..., list[Result]],
) -> None:
    """Documents the pyshacl 0.40 behaviour the batching above works around. If this fails
    after a pyshacl upgrade, plain focus_nodes may have become safe: check and simplify."""
    focus = sorted({str(r.focus) for r in full_results if isinstance(r.focus, URIRef)})
    plain = validate(everything, focus_nodes=focus)
    missed = {r.shape for r in full_results} - {r.shape for r in plain}
    assert {"Entity-label-nl", "Organisation-theme-scheme"} <= missed
