"""A page of a fragment and its count, read from a published version's store.

The data of the interface is every distinct triple of the union of the version's graphs (what
``/sparql`` has as default graph), each once: a triple two graphs hold is one triple here
(Oxigraph's union default graph yields it once per graph, so the queries ask for DISTINCT).
The page query (``queries/fragments/page.rq``) has the pattern's terms bound as substitutions
(with an external store, a ``VALUES`` block: :mod:`midwest_lod.external.client`); pages are
``LIMIT``/``OFFSET`` slices of its answer, whose order is the engine's (stable for a version,
which never changes). Counts are exact and kept per version (:class:`Fragments`).

Blank nodes are published as skolem IRIs. A pattern that names one is answered from the few
triples with a blank node (``queries/fragments/blank.rq``), read once per version, since a
blank node cannot be bound into a query sent to another server.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field

import pyoxigraph as ox
from cachetools import LRUCache

from midwest_lod.assets import query_dir
from midwest_lod.fragments.pattern import Pattern
from midwest_lod.iris import Iris
from midwest_lod.publication import Version
from midwest_lod.sparql import bind_values, substitutions

#: Triples on one page (the Linked Data Fragments server's default).
PAGE_SIZE = 100
#: Counts kept per version and web process.
COUNTS_KEPT = 10_000


@dataclass
class Page:
    """The triples of one page, the fragment's count and whether a next page exists."""

    triples: list[ox.Triple]
    count: int
    has_next: bool


@dataclass
class Fragments:
    """What the interface keeps of one version: counts, and the triples with a blank node."""

    version: Version
    iris: Iris
    _counts: LRUCache[Pattern, int] = field(default_factory=lambda: LRUCache(COUNTS_KEPT))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, pattern: Pattern, number: int) -> Page:
        """Page ``number`` (from 1) of the fragment of ``pattern``."""
        offset = (number - 1) * PAGE_SIZE
        if self._names_blank(pattern):
            matching = [t for t in self._blank_triples() if pattern.matches(t)]
            return Page(matching[offset:offset + PAGE_SIZE], len(matching),
                        len(matching) > offset + PAGE_SIZE)
        text = _text("page") + f"\nLIMIT {PAGE_SIZE + 1:d} OFFSET {offset:d}"
        answer = self.version.store.query(
            text, use_default_graph_as_union=True,
            substitutions=substitutions(pattern.terms()))
        triples = [self._skolemised(row["s"], row["p"], row["o"], pattern)
                   for row in answer]
        has_next = len(triples) > PAGE_SIZE
        triples = triples[:PAGE_SIZE]
        if not has_next:  # the count is known: no query needed
            count = offset + len(triples)
            if triples or offset == 0:
                with self._lock:
                    self._counts[pattern] = count
                return Page(triples, count, False)
        return Page(triples, self.count(pattern), has_next)

    def count(self, pattern: Pattern) -> int:
        """How many distinct triples match ``pattern`` (kept per version)."""
        if self._names_blank(pattern):
            return sum(1 for t in self._blank_triples() if pattern.matches(t))
        with self._lock:
            found = self._counts.get(pattern)
        if found is None:
            text = bind_values(_text("count"), pattern.terms())
            answer = self.version.store.query(text, use_default_graph_as_union=True)
            found = next(int(row["count"].value) for row in answer)
            with self._lock:
                self._counts[pattern] = found
        return found

    def _names_blank(self, pattern: Pattern) -> bool:
        return any(isinstance(term, ox.NamedNode) and self.iris.blank_label(term.value)
                   for term in (pattern.subject, pattern.object))

    def _blank_triples(self) -> list[ox.Triple]:
        def read() -> list[ox.Triple]:
            answer = self.version.store.query(_text("blank"), use_default_graph_as_union=True)
            return [self._skolemised(row["s"], row["p"], row["o"]) for row in answer]

        return self.version.derived("fragments.blank", read)

    def _skolemised(self, s: object, p: object, o: object, pattern: Pattern | None = None
                    ) -> ox.Triple:
        pattern = pattern or Pattern()
        subject = pattern.subject or self._skolem(s)
        predicate = pattern.predicate or p
        obj = pattern.object or self._skolem(o)
        return ox.Triple(subject, predicate, obj)  # type: ignore[arg-type]

    def _skolem(self, term: object) -> object:
        if isinstance(term, ox.BlankNode):
            return ox.NamedNode(str(self.iris.skolem(term.value)))
        return term


@functools.cache
def _text(name: str) -> str:
    """The query ``queries/fragments/{name}.rq``."""
    return (query_dir() / "fragments" / f"{name}.rq").read_text(encoding="utf-8")


def fragments_for(version: Version, iris: Iris) -> Fragments:
    """The :class:`Fragments` of ``version`` (made once per version)."""
    return version.derived("fragments", lambda: Fragments(version, iris))
