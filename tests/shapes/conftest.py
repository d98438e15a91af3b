"""Session fixtures for the SHACL shape tests (helpers: shacl_helpers.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from tests.shapes.shacl_helpers import (
    FIXTURES,
    ONTOLOGY_FILE,
    SHAPES_DIR,
    Result,
    parse_files,
    results_of,
    run_pyshacl,
)


@pytest.fixture(scope="session")
def shapes_graph() -> Graph:
    """All shapes files merged, as the build loads them."""
    return parse_files(sorted(SHAPES_DIR.glob("*.ttl")))


@pytest.fixture(scope="session")
def ontology_graph() -> Graph | None:
    return parse_files([ONTOLOGY_FILE]) if ONTOLOGY_FILE.is_file() else None


@pytest.fixture(scope="session")
def base_graph() -> Graph:
    """The valid fixtures together (never modify it: copy with ``+`` first)."""
    return parse_files(sorted((FIXTURES / "valid").glob("*.ttl")))


@pytest.fixture(scope="session")
def validate(
    shapes_graph: Graph, ontology_graph: Graph | None
) -> Callable[..., list[Result]]:
    """Validate a data graph; returns its top-level results."""

    def _validate(data: Graph, **options: object) -> list[Result]:
        return results_of(run_pyshacl(data, shapes_graph, ontology_graph, **options))

    return _validate


@pytest.fixture(scope="session")
def with_base(base_graph: Graph) -> Callable[[Path], Graph]:
    """The base graph plus one fixture file."""

    def _with_base(path: Path) -> Graph:
        graph = Graph()
        graph += base_graph
        graph += parse_files([path])
        return graph

    return _with_base
