"""The event stream's history on disk: the format shared by the build and the server.

The build (:mod:`midwest_lod.pipeline.eventstream`) appends to it; the server
(:mod:`midwest_lod.web.blueprints.ldes`) reads it; :mod:`midwest_lod.stream` writes what the
pages and the root node say. Layout (docs/publication.md,
docs/decisions/0004-event-stream.md)::

    <output_dir>/history/
      state.json      the committed index: pages, timestamps, the content hash of every entity
      pending.json    the index a build prepared for the version it is publishing
      pages/<n>.nt    page n of the stream as N-Quads (pages written before members carried
                      provenance are N-Triples, which are N-Quads too; the name stays so
                      that existing histories keep their pages); a full page is never
                      written again,
                      the last ("open") page only grows at its end
      .lock           serialises builds that append

A page file may hold bytes beyond the length the index gives (an append of a build whose
publication failed); readers serve exactly ``PageInfo.bytes`` bytes.

**Which index counts** (two-phase commit with the publication): ``pending.json`` is written
before the build switches ``current`` and renamed over ``state.json`` right after. While both
exist, ``pending.json`` counts exactly when its ``version`` is the published one (the switch
happened); otherwise it belongs to a build that did not publish and is ignored (and removed by
the next build). So the history never claims a version that was not published, and never
loses one that was.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from midwest_lod import publication
from midwest_lod.errors import PublicationError
from midwest_lod.files import write_atomically

HISTORY_DIR = publication.HISTORY
STATE = "state.json"
PENDING = "pending.json"
PAGES = "pages"
LOCK = ".lock"
#: Version of the index format.
FORMAT = 1

# --- the index -------------------------------------------------------------------------------

@dataclass
class PageInfo:
    """One page: how many members, which timestamps, how many bytes of its file count."""

    number: int
    created: str  # time of the build that created the page
    members: int = 0
    first: str | None = None  # timestamp of its first member
    last: str | None = None  # timestamp of its last member
    bytes: int = 0
    sha256: str = ""  # of those bytes
    full: bool = False  # full pages are immutable

    @property
    def last_modified(self) -> str:
        return self.last or self.created


@dataclass
class EntityInfo:
    """What the stream last said about an entity."""

    sha256: str  # changes.content_hash of its statements and provenance ("" for a tombstone)
    timestamp: str  # of its latest version
    deleted: bool = False


@dataclass
class State:
    """The index of the history (``state.json`` / ``pending.json``)."""

    base_iri: str
    version: str = ""  # the published version this index was written for
    members: int = 0
    first_timestamp: str | None = None
    last_timestamp: str | None = None
    pages: list[PageInfo] = field(default_factory=list)
    entities: dict[str, EntityInfo] = field(default_factory=dict)

    def page(self, number: int) -> PageInfo | None:
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "base_iri": self.base_iri,
            "version": self.version,
            "members": self.members,
            "first_timestamp": self.first_timestamp,
            "last_timestamp": self.last_timestamp,
            "pages": [asdict(page) for page in self.pages],
            "entities": {iri: asdict(info) for iri, info in sorted(self.entities.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], source: Path) -> State:
        if data.get("format") != FORMAT:
            raise PublicationError(
                f"{source} has format {data.get('format')!r}; this version of the publisher "
                f"reads format {FORMAT}")
        try:
            return cls(
                base_iri=str(data["base_iri"]),
                version=str(data.get("version") or ""),
                members=int(data["members"]),
                first_timestamp=data.get("first_timestamp"),
                last_timestamp=data.get("last_timestamp"),
                pages=[PageInfo(**page) for page in data["pages"]],
                entities={iri: EntityInfo(**info) for iri, info in data["entities"].items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise PublicationError(f"{source} is not a valid event stream index: {exc}") from exc


def history_dir(output_dir: Path) -> Path:
    return Path(output_dir) / HISTORY_DIR


def page_path(history: Path, number: int) -> Path:
    return history / PAGES / f"{number}.nt"


def read_index(path: Path, *, entities: bool = True) -> State | None:
    """The index in ``path``, or None when the file does not exist.

    ``entities=False`` (the server) reads only the head of the file, up to the entities, which
    :func:`write_index` writes last: at 100,000 organisations the index is 213 MB with a
    million entities, and parsing it took 4.9 s and 0.9 GB in every web worker; the server
    needs the pages and, rarely, one entity (:func:`index_has_entity`)."""
    try:
        text = _index_head(path) if not entities else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise PublicationError(f"{path} is not valid JSON: {exc}") from exc
    if not entities:
        data["entities"] = {}
    return State.from_json(data, path)


#: Where the entities begin in a file of :func:`write_index` (a top-level key, indent 1).
_ENTITIES_KEY = b'\n "entities": '
_CHUNK = 1 << 20


def _index_head(path: Path) -> str:
    """The index without its entities, as JSON text (the whole file when it has no marker)."""
    head = bytearray()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            start = max(0, len(head) - len(_ENTITIES_KEY))
            head += chunk
            cut = head.find(_ENTITIES_KEY, start)
            if cut >= 0:
                return (bytes(head[:cut]) + b'\n "entities": {}\n}').decode("utf-8")
    return head.decode("utf-8")


def index_has_entity(path: Path, iri: str) -> bool:
    """Does the index file ``path`` know ``iri``? A scan of the file for the entity's key
    (``\\n  "<iri>": {`` as :func:`write_index` writes it), never a parse of all entities."""
    needle = ("\n  " + json.dumps(iri) + ": {").encode("utf-8")
    tail = b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(8 * _CHUNK):
                if needle in tail + chunk:
                    return True
                tail = chunk[-len(needle):]
    except FileNotFoundError:
        return False
    return False


def write_index(path: Path, state: State) -> None:
    """Write ``path`` atomically (temporary file, fsync, rename).

    The bytes are those of ``json.dumps(state.to_json(), indent=1)``, written an entity at a
    time: an index of a million entities is not built as one dict and one string first.
    """
    write_atomically(path, _index_chunks(state))


def _index_chunks(state: State) -> Iterator[bytes]:
    text = json.dumps(replace(state, entities={}).to_json(), indent=1)
    closing = '"entities": {}\n}'
    assert text.endswith(closing), "entities are the last member of the index"
    if not state.entities:
        yield (text + "\n").encode("utf-8")
        return
    yield (text[:-len(closing)] + '"entities": {\n').encode("utf-8")
    batch: list[str] = []
    dumps = json.dumps  # without indent: the C encoder; the layout is written here
    for number, iri in enumerate(sorted(state.entities)):
        # {"iri": {...}} as json.dumps(..., indent=1) writes it, one level deeper
        info = state.entities[iri]
        separator = ",\n  " if number else "  "
        batch.append(f'{separator}{dumps(iri)}: {{\n'
                     f'   "sha256": {dumps(info.sha256)},\n'
                     f'   "timestamp": {dumps(info.timestamp)},\n'
                     f'   "deleted": {dumps(info.deleted)}\n  }}')
        if len(batch) >= 256:
            yield "".join(batch).encode("utf-8")
            batch = []
    batch.append("\n }\n}\n")
    yield "".join(batch).encode("utf-8")


def published_version_id(output_dir: Path) -> str | None:
    """The id of the version ``current`` points to (one readlink), or None."""
    target = publication.current_target(Path(output_dir))
    return Path(target).name if target else None


def effective_index(output_dir: Path, *, entities: bool = True
                    ) -> tuple[State | None, Path | None]:
    """The index that counts (see the module docstring) and the file it was read from
    (``entities=False``: without the entities, see :func:`read_index`)."""
    history = history_dir(output_dir)
    current = published_version_id(output_dir)
    try:
        pending = read_index(history / PENDING, entities=entities)
    except PublicationError:
        pending = None  # half-written by a build that is still running: not published yet
    if pending is not None and current is not None and pending.version == current:
        return pending, history / PENDING
    state = read_index(history / STATE, entities=entities)
    return state, (history / STATE if state is not None else None)


def read_page(output_dir: Path, page: PageInfo) -> bytes:
    """The committed bytes of ``page``."""
    path = page_path(history_dir(output_dir), page.number)
    try:
        with path.open("rb") as handle:
            data = handle.read(page.bytes)
    except FileNotFoundError:
        raise PublicationError(f"the event stream page {path} is missing") from None
    if len(data) != page.bytes:
        raise PublicationError(
            f"the event stream page {path} has {len(data)} bytes, its index says {page.bytes}")
    return data


class IndexCache:
    """The effective index of an output folder without its entities (the server's view),
    re-read only when its file changes, with values derived from it (:meth:`memo`)."""

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = Path(output_dir)
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._state: State | None = None
        self._source: Path | None = None
        self._memo: dict[str, Any] = {}

    def get(self) -> State | None:
        return self._current()[0]

    def _current(self) -> tuple[State | None, Path | None, dict[str, Any]]:
        history = history_dir(self.output_dir)
        key = (published_version_id(self.output_dir), _stat(history / PENDING),
               _stat(history / STATE))
        with self._lock:
            if key != self._key:
                # A build may rename pending.json over state.json meanwhile: then this reads
                # state.json, the same index; the next call sees the new key and re-reads.
                self._state, self._source = effective_index(self.output_dir, entities=False)
                self._memo = {}
                self._key = key
            return self._state, self._source, self._memo

    def memo(self, name: str, compute: Callable[[State | None], Any]) -> Any:
        """``compute(index)``, computed once per index (the root node's bytes)."""
        state, _, memo = self._current()
        if name not in memo:
            memo[name] = compute(state)
        return memo[name]

    def has_entity(self, iri: str) -> bool:
        """Does the stream know ``iri`` (a current or deleted entity)?"""
        _, source, _ = self._current()
        if source is None:
            return False
        if source.exists():
            return index_has_entity(source, iri)
        # renamed meanwhile (pending.json over state.json): the same index
        return index_has_entity(history_dir(self.output_dir) / STATE, iri)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size
