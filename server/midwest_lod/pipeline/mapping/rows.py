"""The row types of the mapping tables (see the package docstring for how to read a table).

A :class:`Kind` is one kind of record (an organisation, a site, a municipality row, ...): how
its key and IRI are made, its classes, and its rows, written in order:

- :class:`Field`: a key of the YAML record (or a CSV column) whose value becomes statements
  about the record's subject: predicate(s), value type (datatype, language or reference),
  required or optional, one value or a list, and how its sources attach (:class:`Sources`);
- :class:`Link`: a statement that needs no value: the record to its parent or to the region;
- :class:`Nested`: a list (or one mapping) of records of another kind (sites, services, ...);
- :class:`Rule`: a named function for what a row cannot say (mergers, registry links, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from rdflib import RDFS, SKOS, URIRef
from rdflib.term import Node

from midwest_lod.iris import Iris
from midwest_lod.pipeline.emitter import Origin
from midwest_lod.vocab import SCHEMA

if TYPE_CHECKING:
    from midwest_lod.pipeline.mapping.writer import Current, Writer


class Own(str):
    """A term of the project's own vocabulary (``mw:``), whose namespace depends on the base."""


class _OwnTerms:
    """``MW.theme`` is the term ``mw:theme`` of the vocabulary under the configured base."""

    def __getattr__(self, name: str) -> Own:
        return Own(name)


MW = _OwnTerms()
Term = URIRef | Own

#: The usual label predicates: ``rdfs:label`` only; with ``skos:prefLabel``; with ``schema:name``
#: too. A row with ``rdfs:label`` also makes its Dutch value the name of the subject in
#: messages and in the provenance graph ("Bewering over ...").
LABEL: tuple[Term, ...] = (RDFS.label,)
PREF_LABEL: tuple[Term, ...] = (RDFS.label, SKOS.prefLabel)
NAMED: tuple[Term, ...] = (RDFS.label, SKOS.prefLabel, SCHEMA.name)
LABEL_AND_NAME: tuple[Term, ...] = (RDFS.label, SCHEMA.name)


class Value(Protocol):
    """How one raw value becomes RDF terms (the value types are in :mod:`.datatypes`)."""

    def terms(self, raw: Any, origin: Origin, iris: Iris) -> list[Node]:
        """The terms of ``raw``; a :class:`SourceError` at ``origin`` when it is not valid."""
        ...


class Sources(Enum):
    """How the sources of a field's value attach."""

    #: A plain value, supported by the record's sources (a CSV column: by the row's, and
    #: inferred when the row's ``inferred`` column names it).
    RECORD = "record"
    #: Each value is written ``{value, sources, basis, reason}`` with sources of its own.
    OWN = "own"
    #: Either: a plain value, or a sourced one; a value without sources has the record's.
    OWN_OR_RECORD = "own or record"


OWN = Sources.OWN
OWN_OR_RECORD = Sources.OWN_OR_RECORD


@dataclass(frozen=True)
class Period:
    """The keys of the first and last day on which a value holds (``YYYY[-MM[-DD]]``).

    In a YAML record the keys belong to the sourced value (``{value: ..., valid_from: ...,
    valid_through: ..., sources: [...]}``); in a CSV table they are columns of the row.
    """

    start: str = "valid_from"
    end: str = "valid_through"


@dataclass(frozen=True)
class Extra:
    """A further key of a sourced value that says more about the subject, with its support
    (``founded: {value: 1963, description: ..., sources: [...]}``)."""

    key: str
    predicate: Term
    value: Value


@dataclass(frozen=True)
class Field:
    """One key (or CSV column) of a record and the statements its value makes."""

    key: str
    predicates: Term | tuple[Term, ...]
    value: Value
    required: bool = False
    #: A list of values (a single value is accepted too; in a CSV cell: ``;``-separated).
    many: bool = False
    sources: Sources = Sources.RECORD
    #: Keep only the texts in this language (the Dutch titles are the labels).
    only: str | None = None
    #: The key whose value stands in when this one is missing (a required title or file name).
    or_else: str | None = None
    #: Also state (value, inverse, subject).
    inverse: Term | None = None
    #: Also state these (predicate, object) about the subject, with the value's support.
    implies: tuple[tuple[Term, Term], ...] = ()
    extras: tuple[Extra, ...] = ()
    #: The value holds from ... through ...: the statements get the period with their support.
    during: Period | None = None

    @property
    def predicate_list(self) -> tuple[Term, ...]:
        return self.predicates if isinstance(self.predicates, tuple) else (self.predicates,)

    @property
    def value_keys(self) -> tuple[str, ...]:
        """The keys a sourced value of this field may carry besides value and sources."""
        period = (self.during.start, self.during.end) if self.during else ()
        return (*(extra.key for extra in self.extras), *period)


class Target(Enum):
    PARENT = "parent"
    REGION = "region"


@dataclass(frozen=True)
class Link:
    """A statement from the record's subject to its parent or to the region (skipped when
    there is no region), with the record's support; ``inverse`` states it the other way."""

    predicate: Term
    to: Target
    inverse: bool = False


@dataclass(frozen=True)
class Nested:
    """Records of another kind under ``key``: a list of mappings, or one mapping."""

    key: str
    kind: Kind
    many: bool = True
    required: bool = False


RuleFunction = Callable[["Writer", "Current"], None]


@dataclass(frozen=True)
class Rule:
    """A named function for a special case; ``reads`` are the keys it reads."""

    function: RuleFunction
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """A named check of a record before anything is stated; ``reads`` are the keys it reads."""

    function: Callable[[Any], None]
    reads: tuple[str, ...] = ()


Row = Field | Link | Nested | Rule
ClassOf = Callable[["Current"], Term]


def slug(reader: Any, field: str) -> str:
    """A key of lower-case letters, digits and '-' (the reader says what is wrong)."""
    return str(reader.key(field))


def unchecked(reader: Any, field: str) -> str:
    """A key whose form the shapes check (a NIS code: its pattern is a shape)."""
    return str(reader.require(field)).strip()


@dataclass(frozen=True)
class Key:
    """The key of a record: the field (or column) that holds it and how it is checked."""

    field: str = "key"
    #: ``reader, field -> key``; raises a SourceError for a key that is not valid.
    check: Callable[[Any, str], str] = slug
    #: An organisation's key is its file name.
    is_file_name: bool = False


@dataclass(frozen=True)
class Iri:
    """How the subject IRI of a record is minted (always through :class:`Iris`).

    ``under_parent``: the key is appended to the parent's key (``{actor}-{site}``); a kind
    without a key of its own takes its parent's (an address is keyed like its site).
    """

    kind: str
    under_parent: bool = False

    def mint(self, iris: Iris, key: str, parent_key: str | None) -> URIRef:
        if self.kind == "conceptscheme":
            return iris.scheme(key)
        if self.kind == "concept":
            assert parent_key is not None
            return iris.concept(parent_key, key)
        return iris.thing(self.kind, key)


@dataclass(frozen=True)
class Kind:
    """One kind of record and its table of rows."""

    what: str                                   # its name in messages: "organisation", ...
    iri: Iri
    classes: tuple[Term | ClassOf, ...]
    rows: tuple[Row, ...]
    key: Key | None = Key()
    #: False for things described within another record (sites, services, figures,
    #: addresses): their statements share the assertion graphs of that record.
    own_record: bool = True
    #: False: the record has no ``sources`` of its own and takes its parent's (addresses).
    sourced: bool = True
    #: The record may say ``basis: inferred`` with a ``reason``.
    inferable: bool = True
    notes: bool = True
    #: CSV tables: the columns the header must have.
    columns: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    #: Told the subject as soon as it is known (the region file names the region).
    on_subject: Callable[[Writer, URIRef], None] | None = None

    @cached_property
    def allowed(self) -> frozenset[str]:
        """The keys a YAML record of this kind may have (worked out once per kind)."""
        keys: set[str] = set()
        for row in (*self.rows, *self.checks):
            if isinstance(row, Field):
                keys.update(k for k in (row.key, row.or_else) if k)
                if row.during is not None and row.sources is Sources.RECORD:
                    keys.update((row.during.start, row.during.end))
            elif isinstance(row, Nested):
                keys.add(row.key)
            elif isinstance(row, Rule | Check):
                keys.update(row.reads)
        if self.key is not None:
            keys.add(self.key.field)
        if self.sourced:
            keys.add("sources")
        if self.inferable:
            keys.update(("basis", "reason"))
        if self.notes:
            keys.add("note")
        return frozenset(keys)
