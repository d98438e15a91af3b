"""What the reconciliation service knows of one organisation, read with
``queries/reconcile-entity.rq`` (its IRI bound, never pasted) and kept per published version.

:class:`Entity` holds what scoring compares (names, places, postcodes, enterprise numbers,
types) and, per field, the values data extension and the preview show.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from pyoxigraph import Literal, NamedNode

from midwest_lod.publication import Version
from midwest_lod.search.text import fold
from midwest_lod.vocab import XSD
from midwest_lod.web.queries import QueryFiles

#: Entities kept per published version (each a few kB).
CACHE_SIZE = 5000
_CACHE_KEY = "reconcile_entities"
_cache_lock = threading.Lock()
_INTEGER_TYPES = frozenset(str(XSD[name]) for name in (
    "integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger", "gYear"))
_DECIMAL_TYPES = frozenset(str(XSD[name]) for name in ("decimal", "double", "float"))


@dataclass(frozen=True)
class Value:
    """One value of a field: an IRI with its Dutch label, or a literal."""

    text: str  # the label of an IRI (or the IRI when it has none), the literal's text
    iri: str | None = None
    datatype: str | None = None
    lang: str | None = None

    def typed(self) -> int | float | str:
        """The literal as a number when its datatype is one, else its text."""
        try:
            if self.datatype in _INTEGER_TYPES:
                return int(self.text)
            if self.datatype in _DECIMAL_TYPES:
                return float(self.text)
        except ValueError:
            pass
        return self.text


@dataclass
class Entity:
    """An organisation as the reconciliation service compares and shows it."""

    iri: str
    values: dict[str, list[Value]] = field(default_factory=dict)

    def of(self, name: str) -> list[Value]:
        return self.values.get(name, [])

    @property
    def name(self) -> str:
        """The usual name: the Dutch label, else any."""
        names = self.of("name")
        dutch = [v.text for v in names if v.lang == "nl"]
        return (dutch or [v.text for v in names] or [self.iri.rsplit("/", 1)[-1]])[0]

    @property
    def names(self) -> list[str]:
        """Every name it goes by: labels, alternative labels, legal names."""
        return list(dict.fromkeys(
            v.text for v in self.of("name") + self.of("altName") + self.of("legalName")))

    @property
    def types(self) -> dict[str, str]:
        """Class IRI → Dutch label."""
        return {v.iri: v.text for v in self.of("type") if v.iri}

    @property
    def places(self) -> set[str]:
        """Folded names of its municipalities and their localities ("8830 Gits" → "gits")."""
        return {place_key(v.text) for v in self.of("placeName")}

    @property
    def merged_places(self) -> set[str]:
        """Folded names of the municipalities its municipalities merged from or into."""
        return {place_key(v.text) for v in self.of("mergedPlaceName")} - self.places

    @property
    def place_iris(self) -> set[str]:
        return {v.iri for v in self.of("activeIn") if v.iri}

    @property
    def postcodes(self) -> set[str]:
        """Postcodes of its addresses."""
        return {v.text.strip() for v in self.of("postcode")}

    @property
    def place_postcodes(self) -> set[str]:
        """Postcodes of the municipalities it is active in or has a site in."""
        return {v.text.strip() for v in self.of("placePostcode")}

    @property
    def enterprise_numbers(self) -> set[str]:
        return {v.text for v in self.of("enterpriseNumber")}

    def description(self) -> str:
        """A short Dutch description from its facts: its kinds and municipalities."""
        kinds = sorted({v.text for v in self.of("initiativeType")})
        places = sorted({v.text for v in self.of("activeIn")})
        return " · ".join(part for part in (", ".join(kinds), ", ".join(places)) if part)


def place_key(text: str) -> str:
    """A place name folded, without the postcode it may start with ("8830 Gits")."""
    words = fold(text).split()
    if len(words) > 1 and words[0].isdigit():
        words = words[1:]
    return " ".join(words)


def read(iri: str, rows: Iterable[Mapping[str, Any]]) -> Entity | None:
    """The entity from the rows of ``reconcile-entity.rq``; None when there are none."""
    entity = Entity(iri)
    seen: set[tuple[str, Value]] = set()
    for row in rows:
        name, value, label = row["field"].value, row["value"], row["label"]
        if isinstance(value, NamedNode):
            found = Value(label.value if isinstance(label, Literal) else value.value, value.value)
        elif isinstance(value, Literal):
            found = Value(value.value, None, value.datatype.value, value.language)
        else:
            continue
        if (name, found) not in seen:
            seen.add((name, found))
            entity.values.setdefault(name, []).append(found)
    for values in entity.values.values():
        values.sort(key=lambda v: (v.lang != "nl", v.text.casefold()))
    return entity if entity.values else None


class Entities:
    """The entities of one published version, read when first asked and then kept."""

    def __init__(self, version: Version, queries: QueryFiles) -> None:
        self.version = version
        self.queries = queries
        self._cache: LRUCache[str, Entity | None] = version.derived(
            _CACHE_KEY, lambda: LRUCache(maxsize=CACHE_SIZE))

    def get(self, iri: str) -> Entity | None:
        with _cache_lock:
            if iri in self._cache:
                return self._cache[iri]
        rows = self.queries.run(self.version.store, "reconcile-entity", iri=NamedNode(iri))
        entity = read(iri, rows)
        with _cache_lock:
            self._cache[iri] = entity
        return entity

    def with_enterprise_number(self, number: str) -> list[str]:
        """IRIs of the organisations registered under ``number`` (ten digits)."""
        rows = self.queries.run(self.version.store, "reconcile-enterprise-number",
                                number=Literal(number, datatype=NamedNode(
                                    self.queries.prefixes["mw"] + "EnterpriseNumber")))
        return sorted({row["iri"].value for row in rows if isinstance(row["iri"], NamedNode)})

