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

:func:`recording` is called by the build around :func:`midwest_lod.publication.promote`: it
takes the history lock, prepares the pages and ``pending.json`` for the version being
published, and after the switch of ``current`` commits them (or, when the switch did not
happen, removes them), so that the history and the publication agree.
"""

from __future__ import annotations

import copy
import datetime as dt
import fcntl
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pyoxigraph as ox

from midwest_lod.config import Settings
from midwest_lod.errors import PublicationError
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
    fsync_dir,
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

def entity_contents(canonical: Path, iris: Iris) -> dict[str, list[bytes]]:
    """Every entity of a version with its own triples (sorted, unique N-Triples lines)."""
    system_graphs = f"{iris.base}/id/graaf/".encode()
    contents: dict[str, set[bytes]] = {}
    with canonical.open("rb") as handle:
        for line in handle:
            if not line.startswith(b"<"):
                continue  # a blank-node subject: the build mints none
            body = line.rstrip(b"\n")
            cut = body.rindex(b" <", 0, len(body) - 2)  # the graph name is the last term
            if body[cut + 2:].startswith(system_graphs):
                continue
            end = body.index(b"> ")
            subject = body[1:end].decode("utf-8")
            kind = iris.kind_of(subject)
            if kind is None or kind in NOT_ENTITIES:
                continue
            predicate_end = body.index(b"> ", end + 2)
            if body[end + 3:predicate_end].decode("utf-8") in _RESERVED:
                continue
            contents.setdefault(subject, set()).add(body[:cut] + b" .\n")
    return {subject: sorted(lines) for subject, lines in sorted(contents.items())}


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


def changes(state: State, contents: dict[str, list[bytes]]) -> list[Change]:
    """What changed since the stream's last word on each entity, in entity order."""
    found = []
    for entity, lines in contents.items():
        sha = content_hash(lines)
        known = state.entities.get(entity)
        if known is None or known.deleted or known.sha256 != sha:
            found.append(Change(entity, lines, sha))
    for entity, info in state.entities.items():
        if not info.deleted and entity not in contents:
            found.append(Change(entity, None, ""))
    return sorted(found, key=lambda change: change.entity)


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

def _parse_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def check_timestamp(state: State, found: list[Change], timestamp: str) -> None:
    """Members never go back in time, and a version IRI is never minted twice."""
    if not found or not state.last_timestamp:
        return
    last = _parse_time(state.last_timestamp)
    if _parse_time(timestamp) < last:
        raise PublicationError(
            f"this build's time {timestamp} is earlier than the newest member of the event "
            f"stream ({state.last_timestamp}): members must not go back in time. Check the "
            "clock; nothing was published.")
    twice = [c.entity for c in found
             if (info := state.entities.get(c.entity)) is not None and info.timestamp == timestamp]
    if twice:
        raise PublicationError(
            f"{twice[0]} already has a version at {timestamp} in the event stream (two builds "
            "in the same second). Build again; nothing was published.")


@dataclass
class _Buffer:
    page: PageInfo
    data: bytearray
    new_file: bool  # else: appended to the committed open page


def prepare(state: State, found: list[Change], iris: Iris, *, timestamp: str, version: str,
            page_size: int) -> tuple[State, list[_Buffer]]:
    """The new index and the bytes to append per page (not yet written)."""
    new = copy.deepcopy(state)
    new.version = version
    buffers: list[_Buffer] = []

    def start_page(number: int) -> _Buffer:
        page = PageInfo(number=number, created=timestamp)
        new.pages.append(page)
        buffer = _Buffer(page, bytearray(page_header(iris, number)), True)
        buffers.append(buffer)
        return buffer

    if new.open_page is None:
        current = start_page(1)
    else:
        current = _Buffer(new.pages[-1], bytearray(), False)
        buffers.append(current)
    size = max(1, page_size)
    for change in found:
        if current.page.members >= size:
            current = _close(current, iris, start_page)
        current.data += member_block(iris, change, timestamp)
        page = current.page
        page.members += 1
        page.first = page.first or timestamp
        page.last = timestamp
        new.entities[change.entity] = EntityInfo(change.sha256, timestamp, change.tombstone)
    if current.page.members >= size:
        _close(current, iris, start_page)
    new.members += len(found)
    new.first_timestamp = new.first_timestamp or timestamp
    new.last_timestamp = timestamp
    return new, buffers


def _close(buffer: _Buffer, iris: Iris, start_page: Callable[[int], _Buffer]) -> _Buffer:
    page = buffer.page
    assert page.last is not None
    buffer.data += page_closing(iris, page.number, page.last)
    page.full = True
    return start_page(page.number + 1)


def write_pages(history: Path, committed: State, buffers: list[_Buffer]) -> None:
    """Append the buffers to their page files, then fill in bytes and sha256 of each page."""
    (history / PAGES).mkdir(parents=True, exist_ok=True)
    committed_count = len(committed.pages)
    for buffer in buffers:
        path = page_path(history, buffer.page.number)
        if buffer.new_file:
            assert buffer.page.number > committed_count, "a committed page is never rewritten"
            with path.open("wb") as out:
                _write(out, bytes(buffer.data))
        else:
            committed_page = committed.pages[-1]
            assert not committed_page.full, "a full page is never written again"
            with path.open("r+b") as out:
                out.truncate(committed_page.bytes)  # drop what a failed build appended
                out.seek(committed_page.bytes)
                _write(out, bytes(buffer.data))
        data = path.read_bytes()
        buffer.page.bytes = len(data)
        buffer.page.sha256 = hashlib.sha256(data).hexdigest()
    fsync_dir(history / PAGES)


def _write(out: IO[bytes], data: bytes) -> None:
    out.write(data)
    out.flush()
    os.fsync(out.fileno())


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
        self.iris = Iris(settings.base_iri)
        self.committed: State | None = None
        self.prepared: State | None = None
        self.added: list[Change] = []
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
        contents = entity_contents(self.staged / "canonical.nq", self.iris)
        found = changes(state, contents)
        self.committed, self.added = committed, found
        if not found:
            self.progress(f"event stream: no entity changed ({len(contents)} entities)")
            return
        check_timestamp(state, found, timestamp)
        prepared, buffers = prepare(state, found, self.iris, timestamp=timestamp,
                                    version=str(self.manifest["version"]),
                                    page_size=self.settings.ldes_page_size)
        try:
            write_pages(self.history, state, buffers)
            write_index(self.history / PENDING, prepared)
        except BaseException:
            roll_back(self.history, committed)
            raise
        self.prepared = prepared
        tombstones = sum(1 for change in found if change.tombstone)
        self.progress(f"event stream: {len(found)} new members ({tombstones} tombstones) of "
                      f"{len(contents)} entities, up to page {len(prepared.pages)}")

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

