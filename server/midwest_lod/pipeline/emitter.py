"""Collecting statements with their support: which sources say them, stated or inferred.

Mapping functions call :meth:`Emitter.emit` for every statement. The emitter puts the
statement in the assertion graph of its record and support (see docs/model.md §4) and
remembers where in ``data/`` it came from, so that a SHACL result about a node and a property
can be reported as "file, line, field".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from midwest_lod.iris import Iris
from midwest_lod.vocab import PROV, SCHEMA

Triple = tuple[URIRef, URIRef, Node]
Quad = tuple[URIRef, URIRef, Node, URIRef]

STATED = "stated"
INFERRED = "inferred"


@dataclass(frozen=True)
class Support:
    """What supports a statement: its sources, whether it is stated or inferred (why), and
    the period in which it holds, when it can end (first and last day, as date literals)."""

    sources: tuple[str, ...]
    basis: str = STATED
    reason: str = ""
    valid_from: Literal | None = None
    valid_through: Literal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", tuple(sorted(set(self.sources))))

    @property
    def identity(self) -> str:
        """What tells two assertion graphs of one record apart besides basis and sources."""
        if self.valid_from is None and self.valid_through is None:
            return self.reason
        return f"{self.reason}\nvalid {self.valid_from or ''}/{self.valid_through or ''}"


@dataclass(frozen=True)
class Origin:
    """Where a statement was read: a file of the data folder, a line, a field name."""

    path: str
    line: int | None
    field: str | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass
class AssertionInfo:
    subject: URIRef
    support: Support
    origin: Origin
    inputs: set[str] = field(default_factory=set)


class Emitter:
    """Statements grouped in assertion graphs, with the origin of every subject and statement."""

    def __init__(self, iris: Iris, input_sha256: dict[str, str]) -> None:
        self.iris = iris
        self.input_sha256 = input_sha256
        self.graphs: dict[URIRef, set[Triple]] = defaultdict(set)
        self.assertions: dict[URIRef, AssertionInfo] = {}
        self.subject_origin: dict[URIRef, Origin] = {}
        self.statement_origin: dict[tuple[URIRef, URIRef], Origin] = {}
        self.names: dict[URIRef, str] = {}
        self._graph_of: dict[tuple[URIRef, Support], URIRef] = {}
        #: The main subject of the record being mapped: statements about it and about its
        #: nested things (sites, services, figures, ...) share its assertion graphs.
        self.record: URIRef | None = None

    def emit(self, subject: URIRef, predicate: URIRef, obj: Node, support: Support,
             origin: Origin) -> None:
        """Add one statement, in the assertion graph of the current record and its support."""
        record = self.record if self.record is not None else subject
        key = (record, support)
        graph = self._graph_of.get(key)
        if graph is None:
            graph = self._graph_of[key] = self.iris.assertion(
                str(record), support.basis, support.identity, support.sources)
        info = self.assertions.get(graph)
        if info is None:
            info = self.assertions[graph] = AssertionInfo(record, support, origin)
        info.inputs.add(origin.path)
        self.graphs[graph].add((subject, predicate, obj))
        self.subject_origin.setdefault(subject, origin)
        self.statement_origin.setdefault((subject, predicate), origin)

    def mark(self, subject: URIRef, origin: Origin) -> None:
        """Record where a subject is defined (its record), before any statement about it."""
        self.subject_origin[subject] = origin

    def quads(self) -> Iterator[Quad]:
        """Every statement as a quad: the data, then the provenance graph."""
        for graph, triples in self.graphs.items():
            for s, p, o in triples:
                yield s, p, o, graph
        yield from self.provenance_quads()

    def provenance_quads(self) -> Iterator[Quad]:
        mw = self.iris.vocab
        herkomst = self.iris.graph("herkomst")
        stated_activity = self.iris.thing("activiteit", "curatie")
        inferred_activity = self.iris.thing("activiteit", "afleiding")
        for graph, info in self.assertions.items():
            inferred = info.support.basis == INFERRED
            yield graph, RDF.type, mw.Assertion, herkomst
            yield graph, RDF.type, PROV.Entity, herkomst
            yield graph, RDFS.label, Literal(f"Bewering over {self.label_of(info.subject)}",
                                             lang="nl"), herkomst
            yield graph, mw.about, info.subject, herkomst
            yield graph, mw.basis, mw.inferred if inferred else mw.stated, herkomst
            yield graph, PROV.wasGeneratedBy, (
                inferred_activity if inferred else stated_activity), herkomst
            for source in info.support.sources:
                yield graph, PROV.wasDerivedFrom, URIRef(source), herkomst
            if info.support.reason:
                yield graph, RDFS.comment, Literal(info.support.reason, lang="en"), herkomst
            if info.support.valid_from is not None:
                yield graph, SCHEMA.validFrom, info.support.valid_from, herkomst
            if info.support.valid_through is not None:
                yield graph, SCHEMA.validThrough, info.support.valid_through, herkomst
            for path in sorted(info.inputs):
                sha = self.input_sha256.get(path)
                if sha is not None:
                    yield graph, mw.recordedIn, self.iris.thing("invoer", sha), herkomst
            yield graph, mw.sourceLocation, Literal(str(info.origin)), herkomst

    def label_of(self, subject: URIRef) -> str:
        return self.names.get(subject) or subject.rsplit("/", 1)[-1]
