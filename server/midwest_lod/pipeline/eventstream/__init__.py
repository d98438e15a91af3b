"""The event stream (LDES): what a build appends to ``<output_dir>/history/``.

docs/decisions/0004-event-stream.md explains the design; :mod:`midwest_lod.history` holds the
on-disk format shared with the server. In short:

* an **entity** is an IRI ``{base}/id/{kind}/...`` that is the subject of a statement in a data
  graph (not the provenance graph), except assertion graphs, system graphs, input files,
  activities, the software and the catalogue's own things (:data:`.changes.NOT_ENTITIES`); its
  **content** is its own triples (subject = the entity), sorted N-Triples, read from the
  version's ``canonical.nq``; a sha256 of the content decides whether it changed;
* a build that changes an entity appends a **member**: the version object
  ``{entity}/{built_at}`` with the entity's triples (subject replaced), ``dct:isVersionOf`` the
  entity and ``dct:modified`` the build's ``built_at``; an entity that is gone gets a
  **tombstone** (``a as:Delete``); an unchanged entity adds nothing;
* members go, in order, onto pages of ``ldes_page_size`` members; the page that reaches that
  size is closed in the same build (``ldes:immutable``; the root links it with its time
  bounds) and never written again; only the last, open page grows at its end.

It streams: ``canonical.nq`` is sorted by line, so an entity's lines are contiguous; entities
are read one at a time (:func:`.changes.entity_contents`), hashed, compared with the index and
a changed entity's member is written to its page at once (:class:`.pages.PageWriter`; its RDF:
:mod:`midwest_lod.stream`), in the file's order, the tombstones last. Memory is the index plus
one entity and one page.

:func:`recording` is called by the build around :func:`midwest_lod.publication.promote`: it
takes the history lock, prepares the pages and ``pending.json`` for the version being
published, and after the switch of ``current`` commits them (or, when the switch did not
happen, removes them), so that the history and the publication agree.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from midwest_lod.config import Settings
from midwest_lod.errors import PublicationError
from midwest_lod.files import fsync_dir
from midwest_lod.history import (
    LOCK,
    PENDING,
    STATE,
    State,
    history_dir,
    published_version_id,
    read_index,
    write_index,
)
from midwest_lod.pipeline.eventstream.changes import (
    ProvenanceIndex,
    changes,
    check_timestamp,
    entity_contents,
    with_provenance,
)
from midwest_lod.pipeline.eventstream.pages import PageWriter, roll_back

Progress = Callable[[str], None]


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
        with contextlib.closing(ProvenanceIndex(canonical, self.iris)) as provenance:
            self._append(state, committed, timestamp, canonical, provenance)

    def _append(self, state: State, committed: State | None, timestamp: str, canonical: Path,
                provenance: ProvenanceIndex) -> None:
        with contextlib.closing(entity_contents(canonical, self.iris)) as first_pass:
            check_timestamp(state, changes(state, with_provenance(first_pass, provenance,
                                                                  self.iris)), timestamp)
        self.committed = committed
        writer = PageWriter(self.history, state, self.iris, timestamp=timestamp,
                            version=str(self.manifest["version"]),
                            page_size=self.settings.ldes_page_size)
        contents = entity_contents(canonical, self.iris)
        entities = _Count(with_provenance(contents, provenance, self.iris))
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

    @property
    def index(self) -> State | None:
        """The index that counts once this version is published: the one prepared for it, or,
        when it adds no member, the committed one."""
        return self.prepared or self.committed

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


class _Count(Iterator[tuple[str, list[bytes], list[bytes]]]):
    """Passes the entities through, counting them."""

    def __init__(self, contents: Iterator[tuple[str, list[bytes], list[bytes]]]) -> None:
        self.contents = contents
        self.count = 0

    def __next__(self) -> tuple[str, list[bytes], list[bytes]]:
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
