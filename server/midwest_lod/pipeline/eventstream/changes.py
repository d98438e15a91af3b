"""What changed since the stream's last word on each entity, and whether it may be appended.

An **entity** is an IRI ``{base}/id/{kind}/...`` that is the subject of a statement in a data
graph (not the provenance graph), except assertion graphs, system graphs, input files,
activities, the software and the catalogue's own things (:data:`NOT_ENTITIES`); its
**content** is its own statements (subject = the entity) with the assertion graph each is in,
sorted N-Quads, and its **provenance**: the provenance graph's triples about those assertion
graphs and about the activities, input files and sources they name (``prov:wasGeneratedBy``,
``mw:recordedIn``, ``prov:wasDerivedFrom``: a source's own dates, where the provenance graph
gives them), sorted N-Triples (docs/decisions/0015-provenance-everywhere.md). Both are
read from the version's ``canonical.nq``; a sha256 of both decides whether it changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from midwest_lod.errors import PublicationError
from midwest_lod.history import State
from midwest_lod.iris import Iris
from midwest_lod.stream import TIMESTAMP_PATH, VERSION_OF_PATH
from midwest_lod.timestamps import parse_utc
from midwest_lod.vocab import PROV

#: Kinds under ``/id/`` that are not entities of the stream: statements, graphs, the build's
#: provenance and the catalogue's own resources.
NOT_ENTITIES = frozenset({
    "bewering", "graaf", "invoer", "activiteit", "software", "dataset", "catalogus",
    "dataservice", "distributie",
})
#: Predicates the stream itself uses on a version object; an entity's own statements with them
#: would make its timestamp or entity ambiguous, so they are left out of its members.
_RESERVED = frozenset({TIMESTAMP_PATH.value, VERSION_OF_PATH.value})
#: The provenance graph's name (``/id/graaf/herkomst``), minted by ``Iris.graph``.
PROVENANCE_GRAPH = "herkomst"
#: Bytes of ``canonical.nq`` scanned at a time for the provenance graph's lines.
_BLOCK = 1 << 19
#: Subjects whose provenance lines are kept once read.
_CACHED = 4096


class ProvenanceIndex:
    """The provenance graph's triples (N-Triples lines, graph dropped) by subject: assertion
    graphs, activities, input files, sources; what :func:`with_provenance` hands each entity.

    Only where each subject's lines are in ``canonical.nq`` is held in memory (the file is
    sorted, so they are together), and they are read back when asked for: at 100,000
    organisations the lines themselves are about a gigabyte as Python objects. The file is
    scanned in blocks for the provenance graph's name, without a Python step per line.
    """

    def __init__(self, canonical: Path, iris: Iris) -> None:
        self.suffix = f" <{iris.graph(PROVENANCE_GRAPH)}> .\n".encode()
        self.spans: dict[bytes, tuple[int, int]] = {}  # subject -> (first byte, end) of lines
        self._handle = canonical.open("rb", buffering=0)
        self._cache: dict[bytes, list[bytes]] = {}
        suffix, spans = self.suffix, self.spans
        offset, rest = 0, b""
        while block := self._handle.read(_BLOCK):
            data = rest + block if rest else block
            cut = data.rfind(b"\n") + 1  # whole lines only; the rest goes with the next block
            at = data.find(suffix, 0, cut)
            while at >= 0:
                start = data.rfind(b"\n", 0, at) + 1
                end = at + len(suffix)
                if data[start:start + 1] == b"<":
                    subject = data[start + 1:data.index(b"> ", start)]
                    span = spans.get(subject)
                    spans[subject] = (span[0] if span else offset + start, offset + end)
                at = data.find(suffix, end, cut)
            rest = data[cut:]
            offset += cut

    def get(self, subject: bytes) -> list[bytes]:
        """The provenance graph's triples about ``subject`` (an IRI, without brackets)."""
        found = self._cache.get(subject)
        if found is not None:
            return found
        span = self.spans.get(subject)
        if span is None:
            return []
        data = os.pread(self._handle.fileno(), span[1] - span[0], span[0])
        found = [line[:-len(self.suffix)] + b" .\n"
                 for line in data.splitlines(keepends=True) if line.endswith(self.suffix)]
        if len(self._cache) >= _CACHED:  # sources and activities are asked for again and again
            self._cache.clear()
        self._cache[subject] = found
        return found

    def close(self) -> None:
        self._handle.close()


def _links(lines: Iterable[bytes], predicates: frozenset[bytes]) -> set[bytes]:
    """The IRIs that ``lines`` (``<s> <p> <o> .``) give as objects of ``predicates``."""
    found = set()
    for line in lines:
        predicate_start = line.index(b"> ") + 2
        predicate_end = line.index(b"> ", predicate_start) + 1
        rest = line[predicate_end + 1:]
        if line[predicate_start:predicate_end] in predicates and rest.startswith(b"<"):
            found.add(rest[1:rest.index(b">")])
    return found


def with_provenance(contents: Iterable[tuple[str, list[bytes]]],
                    index: ProvenanceIndex, iris: Iris
                    ) -> Iterator[tuple[str, list[bytes], list[bytes]]]:
    """Each entity's content with its provenance: the lines of :class:`ProvenanceIndex` about
    the assertion graphs of its statements, and about the activities, input files and sources
    those name (sorted, unique N-Triples)."""
    follow = frozenset({f"<{PROV.wasGeneratedBy}>".encode(),
                        f"<{iris.vocab.recordedIn}>".encode(),
                        f"<{PROV.wasDerivedFrom}>".encode()})
    for entity, lines in contents:
        graphs = {line[line.rindex(b" <", 0, len(line) - 3) + 2:-4] for line in lines}
        provenance: set[bytes] = set()
        for graph in graphs:
            about = index.get(graph)
            provenance.update(about)
            for linked in _links(about, follow):
                provenance.update(index.get(linked))
        yield entity, lines, sorted(provenance)


def entity_contents(canonical: Path, iris: Iris) -> Generator[tuple[str, list[bytes]], None, None]:
    """Every entity of a version with its own statements (sorted, unique N-Quads lines: each
    with the assertion graph it is in), one entity at a time, in the order of the file.

    ``canonical.nq`` is sorted by line (bytes), so the lines of one subject (all starting with
    ``<subject> ``) are contiguous: only one entity's lines are held at a time. The same triple
    in two assertion graphs (two sources or bases) is two lines.
    """
    system_graphs = f"{iris.base}/id/graaf/".encode()
    head = b""  # "<subject" of the current entity
    subject = ""
    keep = False
    lines: set[bytes] = set()
    with canonical.open("rb", buffering=1 << 18) as handle:
        for line in handle:
            if not line.startswith(b"<"):
                continue  # a blank-node subject: the build mints none
            end = line.index(b"> ")
            if line[:end] != head:
                if lines:
                    yield subject, sorted(lines)
                    lines = set()
                if head and line[:end + 1] < head + b">":  # "<a>" < "<b>" as lines sort
                    raise PublicationError(
                        f"{canonical} is not sorted: <{line[1:end].decode('utf-8')}> after "
                        f"<{head[1:].decode('utf-8')}>")
                head = line[:end]
                subject = head[1:].decode("utf-8")
                kind = iris.kind_of(subject)
                keep = kind is not None and kind not in NOT_ENTITIES
            if not keep:
                continue
            body = line.rstrip(b"\n")
            cut = body.rindex(b" <", 0, len(body) - 2)  # the graph name is the last term
            if body[cut + 2:].startswith(system_graphs):
                continue
            predicate_end = body.index(b"> ", end + 2)
            if body[end + 3:predicate_end].decode("utf-8") in _RESERVED:
                continue
            lines.add(body + b"\n")
    if lines:
        yield subject, sorted(lines)


def content_hash(lines: list[bytes], provenance: list[bytes] | None = None) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    if provenance:
        digest.update(b"\n")  # no line is empty: the two parts cannot run into each other
        for line in provenance:
            digest.update(line)
    return digest.hexdigest()


@dataclass(frozen=True)
class Change:
    """One member to append: a new version of ``entity`` (its statements ``lines`` and their
    ``provenance``) or, with ``lines`` None, a tombstone."""

    entity: str
    lines: list[bytes] | None
    sha256: str
    provenance: tuple[bytes, ...] = ()

    @property
    def tombstone(self) -> bool:
        return self.lines is None


def changes(state: State, contents: Iterable[tuple[str, list[bytes], list[bytes]]]
            ) -> Iterator[Change]:
    """What changed since the stream's last word on each entity, lazily: new versions in the
    order of ``contents`` (entity, statements, provenance), then the tombstones of the
    entities it no longer has, in entity order."""
    unseen = {entity for entity, info in state.entities.items() if not info.deleted}
    for entity, lines, provenance in contents:
        unseen.discard(entity)
        sha = content_hash(lines, provenance)
        known = state.entities.get(entity)
        if known is None or known.deleted or known.sha256 != sha:
            yield Change(entity, lines, sha, tuple(provenance))
    for entity in sorted(unseen):
        yield Change(entity, None, "")


def needs_check(state: State, timestamp: str) -> bool:
    """Whether :func:`check_timestamp` can refuse a build at ``timestamp`` at all: only when
    the stream already has members at or after it (every version the stream knows is at most
    ``state.last_timestamp`` old, as members never go back in time)."""
    return bool(state.last_timestamp) and (
        parse_utc(timestamp) <= parse_utc(str(state.last_timestamp)))


def check_timestamp(state: State, found: Iterable[Change], timestamp: str) -> None:
    """Members never go back in time, and a version IRI is never minted twice.

    ``found`` may be lazy: it is read only as far as needed to refuse (a build that refuses
    stops at the first offending change), and not at all when the build's time is after the
    stream's newest member.
    """
    if not needs_check(state, timestamp):
        return
    earlier = parse_utc(timestamp) < parse_utc(str(state.last_timestamp))
    for change in found:
        if earlier:
            raise PublicationError(
                f"this build's time {timestamp} is earlier than the newest member of the event "
                f"stream ({state.last_timestamp}): members must not go back in time. Check the "
                "clock; nothing was published.")
        info = state.entities.get(change.entity)
        if info is not None and info.timestamp == timestamp:
            raise PublicationError(
                f"{change.entity} already has a version at {timestamp} in the event stream "
                "(two builds in the same second). Build again; nothing was published.")
