"""The one writer: states a record of any kind from its table (see :mod:`.rows`).

For a record it reads and checks the key, mints the subject IRI, takes the record's support
(its sources, basis and reason), states its classes and then its rows in order. Every value
is read with its origin (file, line, field), so a value that is not valid is a
:class:`SourceError` there, and every statement is filed under its support by the
:class:`~midwest_lod.pipeline.emitter.Emitter`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from midwest_lod.errors import SourceError
from midwest_lod.iris import Iris
from midwest_lod.pipeline.emitter import Emitter, Origin, Support
from midwest_lod.pipeline.mapping.rows import (
    Field,
    Kind,
    Link,
    Nested,
    Own,
    Period,
    Sources,
    Target,
    Term,
)
from midwest_lod.pipeline.sources import Row
from midwest_lod.pipeline.values import Record, RowRecord, Sourced, date_literal

Reader = Record | RowRecord
T = TypeVar("T")


@dataclass
class Current:
    """The record being written: what its rows, rules and nested records need."""

    kind: Kind
    reader: Reader
    key: str
    #: The key in its subject IRI (``{actor}-{site}`` for a site); nested kinds build on it.
    iri_key: str
    subject: URIRef
    support: Support
    origin: Origin
    parent: Current | None = None
    #: Nested records written so far, by kind (``site``) and key: subject and support.
    children: dict[str, dict[str, tuple[URIRef, Support]]] = field(default_factory=dict)

    def support_for(self, key: str) -> Support:
        """The support of one field read with the record's sources."""
        if isinstance(self.reader, RowRecord):
            return self.reader.support_for(key, self.support)
        return self.support


class Writer:
    """States records through an emitter; collects the errors of records it skips."""

    def __init__(self, iris: Iris, address_link: Callable[[str, str], Row | None]) -> None:
        self.iris = iris
        self.emitter = Emitter(iris, {})
        self.errors: list[SourceError] = []
        #: The region of ``region.yaml``: the target of links to the region.
        self.region: URIRef | None = None
        #: The row of ``links/addresses.csv`` for (actor, site), if any.
        self.address_link = address_link

    # --- statements ------------------------------------------------------------------------

    def term(self, term: Term) -> URIRef:
        return self.iris.vocab[term] if isinstance(term, Own) else term

    def emit(self, subject: URIRef, predicate: Term, obj: Node, support: Support,
             origin: Origin) -> None:
        self.emitter.emit(subject, self.term(predicate), obj, support, origin)

    def state(self, subject: URIRef, predicates: Sequence[Term], objects: Iterable[Node],
              support: Support, origin: Origin, *, inverse: Term | None = None) -> None:
        """Each object with each predicate; a label also names the subject (the first Dutch)."""
        objects = list(objects)
        for obj in objects:
            for predicate in predicates:
                self.emit(subject, predicate, obj, support, origin)
            if inverse is not None:
                assert isinstance(obj, URIRef)
                self.emit(obj, inverse, subject, support, origin)
        if RDFS.label in predicates:
            dutch = [o for o in objects if isinstance(o, Literal) and o.language == "nl"]
            if dutch:
                self.emitter.names.setdefault(subject, str(dutch[0]))

    def types(self, subject: URIRef, classes: Iterable[Term], support: Support,
              origin: Origin) -> None:
        """Where the subject is defined, then its classes."""
        self.emitter.mark(subject, origin)
        for cls in classes:
            self.emit(subject, RDF.type, self.term(cls), support, origin)

    # --- errors ----------------------------------------------------------------------------

    def guard(self, step: Callable[[], object]) -> None:
        """Run one step; its SourceError is collected and the next step runs."""
        try:
            step()
        except SourceError as exc:
            self.errors.append(exc)

    def each(self, items: Iterable[T], handle: Callable[[T], object]) -> None:
        for item in items:
            self.guard(lambda item=item: handle(item))  # type: ignore[misc]

    # --- records ---------------------------------------------------------------------------

    def write(self, kind: Kind, reader: Reader, *, seen: dict[str, str] | None = None,
              parent: Current | None = None) -> Current:
        """State one record: key, subject, support, classes, then its rows in order."""
        key, iri_key = self._key(kind, reader, seen, parent)
        for check in kind.checks:
            check.function(reader)
        subject = kind.iri.mint(self.iris, iri_key, parent.key if parent else None)
        if kind.on_subject is not None:
            kind.on_subject(self, subject)
        if kind.own_record:
            self.emitter.record = subject
        if kind.sourced:
            support = reader.support()
        else:
            assert parent is not None
            support = parent.support
        rec = Current(kind, reader, key, iri_key, subject, support, reader.origin(), parent)
        if parent is not None and kind.key is not None:
            parent.children.setdefault(kind.what, {})[key] = (subject, support)
        classes = [cls if isinstance(cls, URIRef | Own) else cls(rec) for cls in kind.classes]
        self.types(subject, classes, support, rec.origin)
        for row in kind.rows:
            if isinstance(row, Field):
                self._field(rec, row)
            elif isinstance(row, Link):
                self._link(rec, row)
            elif isinstance(row, Nested):
                self._nested(rec, row)
            else:
                row.function(self, rec)
        return rec

    def _key(self, kind: Kind, reader: Reader, seen: dict[str, str] | None,
             parent: Current | None) -> tuple[str, str]:
        """The record's key (checked, unique among ``seen``) and the key of its IRI."""
        if kind.key is None:
            assert parent is not None
            return parent.key, parent.iri_key
        name = kind.key.field
        key = kind.key.check(reader, name)
        if kind.key.is_file_name and key != Path(reader.path).stem:
            raise reader.error(name, f"the key {key!r} must equal the file name "
                                     f"{Path(reader.path).stem!r}")
        if seen is not None:
            line = reader.line_of(name)
            if key in seen:
                raise SourceError(reader.path, line, f"duplicate {kind.what} key {key!r} "
                                  f"(already defined in {seen[key]})", name)
            seen[key] = f"{reader.path}:{line}" if line else reader.path
        if kind.iri.under_parent:
            assert parent is not None
            return key, f"{parent.iri_key}-{key}"
        return key, key

    def _field(self, rec: Current, row: Field) -> None:
        predicates = [self.term(p) for p in row.predicate_list]
        inverse = self.term(row.inverse) if row.inverse is not None else None
        for item in self._values(rec, row):
            terms = row.value.terms(item.value, item.origin, self.iris)
            if row.only:
                terms = [t for t in terms if isinstance(t, Literal) and t.language == row.only]
            self.state(rec.subject, predicates, terms, item.support, item.origin,
                       inverse=inverse)
            for predicate, obj in row.implies:
                self.emit(rec.subject, predicate, self.term(obj), item.support, item.origin)
            for extra in row.extras:
                raw = item.extra.get(extra.key)
                if raw not in (None, ""):
                    self.state(rec.subject, [extra.predicate],
                               extra.value.terms(raw, item.origin, self.iris), item.support,
                               item.origin)

    def _values(self, rec: Current, row: Field) -> list[Sourced]:
        """The field's values, each with its support and origin."""
        reader = rec.reader
        key = row.key
        if not reader.has(key):
            if row.or_else and reader.has(row.or_else):
                key = row.or_else
            elif row.or_else and row.required:
                raise reader.error(key, f"a {rec.kind.what} needs a {key} or a {row.or_else}")
            elif row.required:
                reader.require(key)
                return []
            else:
                return []
        if row.sources is Sources.RECORD:
            support = rec.support_for(key)
            raws = reader.values(key) if row.many else [reader.get(key)]
            items = [Sourced(raw, support, reader.origin(key)) for raw in raws]
        else:
            assert isinstance(reader, Record), "CSV values have the row's sources"
            default = rec.support if row.sources is Sources.OWN_OR_RECORD else None
            if row.many:
                items = reader.sourced_list(key, extra=row.value_keys, default=default)
            else:
                items = [item for item in [reader.sourced(key, extra=row.value_keys,
                                                          default=default)] if item]
        if row.during is not None:
            items = [self._during(rec, row, item) for item in items]
        return items

    def _during(self, rec: Current, row: Field, item: Sourced) -> Sourced:
        """The value with its period of validity in its support: the period's keys are keys
        of a sourced value, or keys (columns) of the record for a value with its sources."""
        assert row.during is not None
        if row.sources is Sources.RECORD:
            support = with_period(rec.reader, item.support, row.during)
        else:
            support = with_period(item.extra, item.support, row.during, item.origin)
        return Sourced(item.value, support, item.origin, item.extra)

    def _link(self, rec: Current, row: Link) -> None:
        target = rec.parent.subject if row.to is Target.PARENT and rec.parent else \
            self.region if row.to is Target.REGION else None
        if target is None:
            return
        subject, obj = (target, rec.subject) if row.inverse else (rec.subject, target)
        self.emit(subject, row.predicate, obj, rec.support, rec.origin)

    def _nested(self, rec: Current, row: Nested) -> None:
        kind, reader = row.kind, rec.reader
        assert isinstance(reader, Record), "CSV rows have no nested records"
        if row.many:
            records = reader.items(row.key, allowed=kind.allowed, what=kind.what)
            if not records and row.required:
                raise reader.error(row.key, f"a {rec.kind.what} needs at least one {kind.what}")
            seen: dict[str, str] = {}
            self.each(records, lambda record: self.write(kind, record, seen=seen, parent=rec))
        elif reader.has(row.key):
            nested = Record(reader.get(row.key), reader.path, allowed=kind.allowed,
                            line=reader.line_of(row.key), what=kind.what)
            self.write(kind, nested, parent=rec)
        elif row.required:
            reader.require(row.key)


def with_period(values: Reader | dict[str, Any], support: Support, period: Period,
                origin: Origin | None = None) -> Support:
    """``support`` with the period read from ``values``: the columns or keys of a record, or
    the keys of a sourced value (``origin`` is then where that value was read)."""
    dates: list[Literal | None] = []
    for key in (period.start, period.end):
        if isinstance(values, dict):
            raw, where = values.get(key), origin
        else:
            raw, where = values.get(key), values.origin(key)
        assert where is not None
        dates.append(date_literal(raw, where) if raw not in (None, "") else None)
    return dataclasses.replace(support, valid_from=dates[0], valid_through=dates[1],
                               period_fields=(period.start, period.end))


def write_all(writer: Writer, kind: Kind, readers: Iterable[Any],
              make: Callable[[Any], Reader]) -> None:
    """Write every record of a file (a list of mappings, or CSV rows); the keys are unique."""
    seen: dict[str, str] = {}
    writer.each(readers, lambda raw: writer.write(kind, make(raw), seen=seen))
