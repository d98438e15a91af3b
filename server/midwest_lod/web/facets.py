"""The facets of the version being served, read from its store by the first request that
needs them and kept with the version (:meth:`Version.derived`); a facet value's short key in
URLs (``?gemeente=36015``, ``?soort=arbeidszorg``) is the last segment of its IRI."""

from __future__ import annotations

from dataclasses import dataclass

from midwest_lod.facets import stored
from midwest_lod.facets.dimensions import FACETS
from midwest_lod.facets.index import FacetIndex
from midwest_lod.facets.reading import read_index
from midwest_lod.iris import Iris
from midwest_lod.publication import Version


def key_of(iri: str) -> str:
    """The short key of a value in URLs: what follows its last ``/`` or ``#``."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class Facets:
    """A version's facet index and the keys of its values."""

    index: FacetIndex
    #: facet → key → value IRI
    keys: dict[str, dict[str, str]]


def facets_for(version: Version, iris: Iris) -> Facets:
    def make() -> Facets:
        # the build's file (facets/stored.py); a version published before it, from its store
        index = stored.read(version.path) or read_index(version.store, iris)
        keys = {facet.name: {key_of(value): value for value in index.values[facet.name]}
                for facet in FACETS}
        return Facets(index, keys)

    return version.derived("facets", make)
