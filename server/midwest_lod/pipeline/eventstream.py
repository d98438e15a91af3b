"""The event stream (LDES): what a build appends to ``<output_dir>/history/``.

docs/decisions/0004-event-stream.md explains the design; :mod:`midwest_lod.history` holds the
on-disk format shared with the server. In short:

* an **entity** is an IRI ``{base}/id/{kind}/...`` that is the subject of a statement in a data
  graph (not the provenance graph), except assertion graphs, system graphs, input files,
  activities, the software and the catalogue's own things (:data:`NOT_ENTITIES`); its
  **content** is its own triples (subject = the entity), sorted N-Triples, read from the
  version's ``canonical.nq``; a sha256 of the content decides whether it changed;
* a build that changes an entity appends a **member**: the version object
  ``{entity}/{built_at}`` with the entity's triples (subject replaced), ``dct:isVersionOf`` the
  entity and ``dct:modified`` the build's ``built_at``; an entity that is gone gets a
  **tombstone** (``a as:Delete``); an unchanged entity adds nothing;
* members go, in order, onto pages of ``ldes_page_size`` members; the page that reaches that
  size is closed in the same build (``ldes:immutable``, a relation to the next page) and never
  written again; only the last, open page grows at its end.

It streams: ``canonical.nq`` is sorted by line, so an entity's lines are contiguous; entities
are read one at a time (:func:`entity_contents`), hashed, compared with the index and a changed
entity's member is written to its page at once (:class:`PageWriter`), in the file's order, the
tombstones last. Memory is the index plus one entity and one page.

:func:`recording` is called by the build around :func:`midwest_lod.publication.promote`: it
takes the history lock, prepares the pages and ``pending.json`` for the version being
published, and after the switch of ``current`` commits them (or, when the switch did not
happen, removes them), so that the history and the publication agree.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import fcntl
import hashlib
import os
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pyoxigraph as ox

from midwest_lod.config import Settings
from midwest_lod.errors import PublicationError
from midwest_lod.files import fsync_dir
from midwest_lod.history import (
    DELETE_OBJECT,
    DELETE_PATH,
    LOCK,
    PAGES,
    PENDING,
    RDF_TYPE,
    STATE,
    TIMESTAMP_PATH,
    VERSION_OF_PATH,
    XSD_BOOLEAN,
    EntityInfo,
    PageInfo,
    State,
    dct,
    history_dir,
    ldes,
    ntriples,
    page_path,
    published_version_id,
    read_index,
    timestamp_literal,
    tree,
    write_index,
)
from midwest_lod.iris import Iris
from midwest_lod.timestamps import parse_utc

Progress = Callable[[str], None]

#: Kinds under ``/id/`` that are not entities of the stream: statements, graphs, the build's
#: provenance and the catalogue's own resources.
NOT_ENTITIES = frozenset({
    "bewering", "graaf", "invoer", "activiteit", "software", "dataset", "catalogus",
    "dataservice", "distributie",
})
#: Predicates the stream itself uses on a version object; an entity's own statements with them
#: would make its timestamp or entity ambiguous, so they are left out of its members.
_RESERVED = frozenset({TIMESTAMP_PATH.value, VERSION_OF_PATH.value})


# --- entities and their content ----------------------------------------------------------------

def entity_contents(canonical: Path, iris: Iris) -> Generator[tuple[str, list[bytes]], None, None]:
    """Every entity of a version with its own triples (sorted, unique N-Triples lines), one
    entity at a time, in the order of the file.

    ``canonical.nq`` is sorted by line (bytes), so the lines of one subject (all starting with
    ``<subject> ``) are contiguous: only one entity's lines are held at a time. The same triple
    in several graphs counts once.
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
            lines.add(body[:cut] + b" .\n")
    if lines:
        yield subject, sorted(lines)


def content_hash(lines: list[bytes]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    return digest.hexdigest()


@dataclass(frozen=True)
class Change:
    """One member to append: a new version of ``entity`` or, with ``lines`` None, a tombstone."""

    entity: str
    lines: list[bytes] | None
    sha256: str

    @property
    def tombstone(self) -> bool:
        return self.lines is None


def changes(state: State, contents: Iterable[tuple[str, list[bytes]]]) -> Iterator[Change]:
    """What changed since the stream's last word on each entity, lazily: new versions in the
    order of ``contents``, then the tombstones of the entities it no longer has, in entity
    order."""
    unseen = {entity for entity, info in state.entities.items() if not info.deleted}
    for entity, lines in contents:
        unseen.discard(entity)
        sha = content_hash(lines)
        known = state.entities.get(entity)
        if known is None or known.deleted or known.sha256 != sha:
            yield Change(entity, lines, sha)
    for entity in sorted(unseen):
        yield Change(entity, None, "")


# --- what goes onto a page -------------------------------------------------------------------

def member_block(iris: Iris, change: Change, timestamp: str) -> bytes:
    """``<stream> tree:member <version>`` and the version object's triples, as N-Triples."""
    stream = ox.NamedNode(str(iris.event_stream))
    version = ox.NamedNode(str(iris.entity_version(change.entity, timestamp)))
    entity = ox.NamedNode(change.entity)
    head = ntriples([ox.Triple(stream, tree("member"), version)])
    if change.lines is None:
        body = ntriples([ox.Triple(version, DELETE_PATH, DELETE_OBJECT)])
    else:
        prefix = len(change.entity.encode("utf-8")) + 3  # "<" entity "> "
        subject = f"<{version.value}> ".encode()
        body = b"".join(subject + line[prefix:] for line in change.lines)
    tail = ntriples([ox.Triple(version, VERSION_OF_PATH, entity),
                     ox.Triple(version, TIMESTAMP_PATH, timestamp_literal(timestamp))])
    return head + body + tail


def page_header(iris: Iris, number: int) -> bytes:
    page = ox.NamedNode(str(iris.event_stream_page(number)))
    return ntriples([ox.Triple(page, RDF_TYPE, tree("Node")),
                     ox.Triple(page, dct("isPartOf"), ox.NamedNode(str(iris.event_stream)))])


def page_closing(iris: Iris, number: int, last: str) -> bytes:
    """What makes a page full: ``ldes:immutable`` and the relation to the next page (whose
    members all have a timestamp ≥ this page's last one)."""
    page = ox.NamedNode(str(iris.event_stream_page(number)))
    following = ox.NamedNode(str(iris.event_stream_page(number + 1)))
    relation = ox.BlankNode("next")
    return ntriples([
        ox.Triple(page, ldes("immutable"), ox.Literal("true", datatype=XSD_BOOLEAN)),
        ox.Triple(page, tree("relation"), relation),
        ox.Triple(relation, RDF_TYPE, tree("GreaterThanOrEqualToRelation")),
        ox.Triple(relation, tree("node"), following),
        ox.Triple(relation, tree("path"), TIMESTAMP_PATH),
        ox.Triple(relation, tree("value"), timestamp_literal(last)),
    ])


# --- appending -----------------------------------------------------------------------------------

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


class PageWriter:
    """Appends members to the page files as they come, one page open at a time.

    Starts from ``state`` (the committed index); :attr:`state` becomes the new index. Nothing
    is written before the first member: a build without changes touches no file. New pages
    are new files; the committed open page is cut back to its committed length (dropping what
    a failed build appended) and appended to. A full page is never written again. Until
    :meth:`finish` returns, everything written is undone by :func:`roll_back` with the
    committed index.
    """

    def __init__(self, history: Path, state: State, iris: Iris, *, timestamp: str,
                 version: str, page_size: int) -> None:
        self.history = history
        self.iris = iris
        self.timestamp = timestamp
        self.size = max(1, page_size)
        self.committed_pages = len(state.pages)
        self.committed_open = (state.pages[-1].bytes
                               if state.pages and not state.pages[-1].full else None)
        self.state = dataclasses.replace(
            state, version=version, pages=[copy.copy(page) for page in state.pages],
            entities=dict(state.entities))  # EntityInfo objects are replaced, never changed
        self.members = 0
        self.tombstones = 0
        self._page: PageInfo | None = None
        self._out: IO[bytes] | None = None
        self._digest = hashlib.sha256()

    def add(self, change: Change) -> None:
        """Append ``change``'s member (closing the page first when it is full)."""
        if self._page is None:
            self._open()
        assert self._page is not None
        if self._page.members >= self.size:
            self._close()
        page = self._page
        self._write(member_block(self.iris, change, self.timestamp))
        page.members += 1
        page.first = page.first or self.timestamp
        page.last = self.timestamp
        self.state.entities[change.entity] = EntityInfo(change.sha256, self.timestamp,
                                                        change.tombstone)
        self.members += 1
        self.tombstones += change.tombstone

    def finish(self) -> State:
        """Close a page that reached the size, finish the last page written; the new index."""
        if self._page is None:
            return self.state  # nothing changed, nothing written
        if self._page.members >= self.size:
            self._close()
        self._end_page()
        fsync_dir(self.history / PAGES)
        new = self.state
        new.members += self.members
        new.first_timestamp = new.first_timestamp or self.timestamp
        new.last_timestamp = self.timestamp
        return new

    def abort(self) -> None:
        """Close the open file (what was written stays for :func:`roll_back`)."""
        if self._out is not None:
            self._out.close()
            self._out = None

    def _open(self) -> None:
        (self.history / PAGES).mkdir(parents=True, exist_ok=True)
        if self.committed_open is None:
            self._start(self.committed_pages + 1)
            return
        page = self.state.pages[-1]
        path = page_path(self.history, page.number)
        length = self.committed_open
        out = path.open("r+b")
        self._out = out
        out.truncate(length)  # drop what a failed build appended
        self._digest = hashlib.sha256()
        for block in iter(lambda: out.read(min(1 << 20, length - out.tell())), b""):
            self._digest.update(block)
        if out.tell() != length:
            raise PublicationError(f"the event stream page {path} is shorter than its index says")
        self._page = page

    def _start(self, number: int) -> None:
        assert number > self.committed_pages, "a committed page is never rewritten"
        page = PageInfo(number=number, created=self.timestamp)
        self.state.pages.append(page)
        self._out = page_path(self.history, number).open("wb")
        self._digest = hashlib.sha256()
        self._page = page
        self._write(page_header(self.iris, number))

    def _close(self) -> None:
        page = self._page
        assert page is not None and page.last is not None
        self._write(page_closing(self.iris, page.number, page.last))
        page.full = True
        self._end_page()
        self._start(page.number + 1)

    def _write(self, data: bytes) -> None:
        assert self._out is not None
        self._out.write(data)
        self._digest.update(data)

    def _end_page(self) -> None:
        out, page = self._out, self._page
        assert out is not None and page is not None
        out.flush()
        os.fsync(out.fileno())
        page.bytes = out.tell()
        page.sha256 = self._digest.hexdigest()
        out.close()
        self._out = None


def roll_back(history: Path, committed: State | None) -> None:
    """Remove what an unpublished build added: pages past the committed ones, bytes past the
    committed end of the open page, and ``pending.json``."""
    count = len(committed.pages) if committed else 0
    folder = history / PAGES
    if folder.is_dir():
        for path in folder.glob("*.nt"):
            if path.stem.isdigit() and int(path.stem) > count:
                path.unlink()
    if committed is not None and committed.pages and not committed.pages[-1].full:
        page = committed.pages[-1]
        path = page_path(history, page.number)
        if path.exists() and path.stat().st_size > page.bytes:
            with path.open("r+b") as out:
                out.truncate(page.bytes)
    (history / PENDING).unlink(missing_ok=True)
    if history.is_dir():
        fsync_dir(history)


def settle(history: Path, output_dir: Path) -> None:
    """Finish what an interrupted build left: commit ``pending.json`` when its version was
    published, else roll it back."""
    try:
        pending = read_index(history / PENDING)
    except PublicationError:
        pending = None
    if pending is None:
        (history / PENDING).unlink(missing_ok=True)
        return
    if pending.version and pending.version == published_version_id(output_dir):
        os.replace(history / PENDING, history / STATE)
        fsync_dir(history)
    else:
        roll_back(history, read_index(history / STATE))


class Recording:
    """The event stream's part of publishing one version (see :func:`recording`)."""

    def __init__(self, settings: Settings, staged: Path, manifest: dict[str, Any],
                 progress: Progress | None = None) -> None:
        self.settings = settings
        self.output_dir = Path(settings.output_dir)
        self.history = history_dir(self.output_dir)
        self.staged = staged
        self.manifest = manifest
        self.progress = progress or (lambda _message: None)
        self.iris = settings.iris
        self.committed: State | None = None
        self.prepared: State | None = None
        self.added = 0  # members appended by this build
        self.tombstones = 0  # of which tombstones
        self._lock: IO[str] | None = None

    def __enter__(self) -> Recording:
        self.history.mkdir(parents=True, exist_ok=True)
        self._lock = (self.history / LOCK).open("a", encoding="utf-8")
        fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX)
        try:
            self._prepare()
        except BaseException:
            self._unlock()
            raise
        return self

    def _prepare(self) -> None:
        settle(self.history, self.output_dir)
        committed = read_index(self.history / STATE)
        if committed is not None and committed.base_iri != self.settings.base_iri:
            raise PublicationError(
                f"the event stream in {self.history} was written for the base IRI "
                f"{committed.base_iri}, this build uses {self.settings.base_iri}. Publish into "
                "another output_dir, or move that history folder away to start a new stream.")
        state = committed or State(base_iri=self.settings.base_iri)
        timestamp = str(self.manifest["built_at"])
        canonical = self.staged / "canonical.nq"
        # A build can only be refused when the stream already has members at or after its
        # time (rare: a wrong clock, two builds in one second); only then a first pass over
        # the entities decides, so that a refused build writes nothing.
        with contextlib.closing(entity_contents(canonical, self.iris)) as first_pass:
            check_timestamp(state, changes(state, first_pass), timestamp)
        self.committed = committed
        writer = PageWriter(self.history, state, self.iris, timestamp=timestamp,
                            version=str(self.manifest["version"]),
                            page_size=self.settings.ldes_page_size)
        contents = entity_contents(canonical, self.iris)
        entities = _Count(contents)
        try:
            with contextlib.closing(contents):
                for change in changes(state, entities):
                    writer.add(change)
            prepared = writer.finish()
            if writer.members:
                write_index(self.history / PENDING, prepared)
        except BaseException:
            writer.abort()
            roll_back(self.history, committed)
            raise
        self.added, self.tombstones = writer.members, writer.tombstones
        if not writer.members:
            self.progress(f"event stream: no entity changed ({entities.count} entities)")
            return
        self.prepared = prepared
        self.progress(f"event stream: {writer.members} new members ({writer.tombstones} "
                      f"tombstones) of {entities.count} entities, up to page "
                      f"{len(prepared.pages)}")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            if self.prepared is not None:
                # Whether the switch of `current` happened decides, not whether an exception
                # was raised (it may come after the switch).
                if published_version_id(self.output_dir) == self.prepared.version:
                    os.replace(self.history / PENDING, self.history / STATE)
                    fsync_dir(self.history)
                else:
                    roll_back(self.history, self.committed)
                    self.prepared = None
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None


class _Count(Iterator[tuple[str, list[bytes]]]):
    """Passes the entities through, counting them."""

    def __init__(self, contents: Iterator[tuple[str, list[bytes]]]) -> None:
        self.contents = contents
        self.count = 0

    def __next__(self) -> tuple[str, list[bytes]]:
        item = next(self.contents)
        self.count += 1
        return item


def recording(settings: Settings, staged: Path, manifest: dict[str, Any],
              progress: Progress | None = None) -> Recording:
    """Wrap the publication of the version in ``staged`` (``manifest``)::

        with recording(settings, staged, manifest):
            promote(settings.output_dir, staged)

    On entry the entities of ``staged/canonical.nq`` are compared with the history and the new
    members written (not yet counted); on exit they count exactly when ``current`` now points
    to this version. Raises :class:`PublicationError` (before anything is published) when the
    history belongs to another base IRI or the build's time is older than the stream's.
    """
    return Recording(settings, staged, manifest, progress)

