"""Fixtures of the catalogue tests: the real data published once (``real_publication`` of
``tests/conftest.py``), its store, and the catalogue and VoID documents as served."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from midwest_lod.iris import Iris
from midwest_lod.pipeline.catalog import catalog_document
from midwest_lod.pipeline.void import void_document
from midwest_lod.publication import Version, current_version
from midwest_lod.vocab import DEFAULT_BASE


def to_rdflib(triples: list[ox.Triple]) -> Graph:
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
    return graph


@pytest.fixture(scope="session")
def iris() -> Iris:
    return Iris(DEFAULT_BASE)


@pytest.fixture(scope="session")
def version(real_publication: Path) -> Version:
    return current_version(real_publication)


@pytest.fixture(scope="session")
def store(version: Version) -> Iterator[ox.Store]:
    opened = ox.Store.read_only(str(version.store_path))
    yield opened
    del opened


@pytest.fixture(scope="session")
def catalog(store: ox.Store, iris: Iris) -> Graph:
    """The catalogue as /catalog serves it."""
    return to_rdflib(catalog_document(store, iris))


@pytest.fixture(scope="session")
def void(store: ox.Store, iris: Iris) -> Graph:
    """The VoID description as /.well-known/void serves it."""
    return to_rdflib(void_document(store, iris))
