"""Published versions: writing one atomically, finding and checking the current one.

Layout (docs/publication.md)::

    <output_dir>/current -> versions/<version>
    <output_dir>/versions/<version>/{build.json, store/, canonical.nq, canonical.nt, dumps/, ...}
    <output_dir>/staging/<version>/        a version being written

A version is written completely in ``staging/``, moved into ``versions/`` with one rename, and
then made current by renaming a new symbolic link over ``current`` (atomic on POSIX). Nothing
in a published version is modified afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple, Variable

from midwest_lod.cache import SizedCache, byte_cache
from midwest_lod.errors import PublicationError
from midwest_lod.files import file_digest, fsync_dir, fsync_tree
from midwest_lod.formats import BY_EXTENSION
from midwest_lod.timestamps import parse_utc

MANIFEST = "build.json"
CURRENT = "current"
VERSIONS = "versions"
STAGING = "staging"
HISTORY = "history"
STORE = "store"
DUMPS = "dumps"
DUMP_STEM = "midwest-sociale-economie"
REQUIRED = (MANIFEST, STORE, "canonical.nq", DUMPS)
#: Memory for rendered documents per version and web worker (:attr:`Version.documents`).
DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024


class QueryStore(Protocol):
    """What reads a published version's data: its pyoxigraph ``Store`` or, with the setting
    ``sparql_query_url``, the external SPARQL server it was published into
    (:class:`midwest_lod.external.client.RemoteStore`, the same signature)."""

    def query(self, query: str, /, *, base_iri: str | None = None,
              prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False,
              substitutions: dict[Variable, NamedNode | BlankNode | Literal | Triple] | None = None,
              ) -> Any: ...


@dataclass(frozen=True)
class Dump:
    """One file of a version's ``dumps/``: what the manifest, the catalogue, the home page and
    the response headers say about it."""

    path: Path
    media_type: str
    encoding: str | None  # "gzip" for the compressed files
    bytes: int
    sha256: str
    graphs: bool = False  # carries the named graphs (N-Quads)

    @property
    def file(self) -> str:
        return self.path.name

    def as_json(self) -> dict[str, Any]:
        """The entry of the manifest's ``dumps``."""
        return {"file": self.file, "media_type": self.media_type, "encoding": self.encoding,
                "bytes": self.bytes, "sha256": self.sha256, "graphs": self.graphs}


_T = TypeVar("_T")
_MISSING = object()


@dataclass(eq=False)
class Version:
    """One published version: its folder and its manifest (``build.json``).

    A version never changes once published. The server opens it with the store it answers
    from (``query_store``: the folder's pyoxigraph store, or the external SPARQL server that
    holds it) and keeps what it derives from it with it: ``cache`` (values computed once) and
    ``documents`` (rendered documents, bounded by bytes); a new version starts empty ones.
    """

    path: Path
    manifest: dict[str, Any]
    query_store: QueryStore | None = field(default=None, repr=False)
    cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    documents: SizedCache[bytes] = field(
        default_factory=lambda: byte_cache(DOCUMENT_CACHE_BYTES), init=False, repr=False)
    _derive_lock: threading.RLock = field(default_factory=threading.RLock, init=False,
                                          repr=False)

    @property
    def id(self) -> str:
        return str(self.manifest.get("version") or self.path.name)

    @property
    def store_path(self) -> Path:
        return self.path / STORE

    @property
    def store(self) -> QueryStore:
        """The data: ``query_store``, else the folder's store (opened read-only on first use)."""
        if self.query_store is None:
            self.query_store = Store.read_only(str(self.store_path))
        return self.query_store

    @cached_property
    def last_modified(self) -> datetime:
        """The build time (``built_at``; else the manifest's modification time), in seconds."""
        built_at = self.manifest.get("built_at")
        if isinstance(built_at, str) and built_at:
            with contextlib.suppress(ValueError):
                return parse_utc(built_at).replace(microsecond=0)
        return datetime.fromtimestamp(int((self.path / MANIFEST).stat().st_mtime), UTC)

    @property
    def counts(self) -> dict[str, int]:
        counts = self.manifest.get("counts") or {}
        return {str(k): int(v) for k, v in counts.items()}

    def derived(self, key: str, make: Callable[[], _T]) -> _T:
        """What ``make`` derives from this version (an index, a document, labels), made by the
        first request that needs it and kept in ``cache`` under ``key``; requests that need
        it meanwhile wait for that one instead of making it again."""
        found = self.cache.get(key, _MISSING)
        if found is _MISSING:
            with self._derive_lock:
                found = self.cache.get(key, _MISSING)
                if found is _MISSING:
                    found = self.cache[key] = make()
        return found  # type: ignore[no-any-return]

    def dumps(self) -> list[Dump]:
        """The dump files, with size and sha256 (from the manifest, else computed once)."""
        return self.derived("dumps", self._read_dumps)

    def dump(self, name: str) -> Dump | None:
        return next((d for d in self.dumps() if d.file == name), None)

    def _read_dumps(self) -> list[Dump]:
        folder = self.path / DUMPS
        listed = {str(d.get("file")): d for d in self.manifest.get("dumps") or []}
        present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        dumps = []
        for name in sorted(set(listed) | present):
            path = folder / name
            if "/" in name or not path.is_file():
                continue
            entry = listed.get(name, {})
            size = path.stat().st_size
            digest = entry.get("sha256")
            if not digest or entry.get("bytes") != size:
                digest = file_digest(path)
            stem = name[: -len(".gz")] if name.endswith(".gz") else name
            fmt = BY_EXTENSION.get(stem.rsplit(".", 1)[-1])
            media_type = str(entry.get("media_type") or (fmt.media_type if fmt else ""))
            encoding = entry.get("encoding") or ("gzip" if name.endswith(".gz") else None)
            dumps.append(Dump(path, media_type, encoding, size, str(digest),
                              bool(entry.get("graphs"))))
        return dumps


def current_link(output_dir: Path) -> Path:
    return output_dir / CURRENT


def current_target(output_dir: Path) -> str | None:
    """Where ``current`` points (cheap: one readlink), or None when nothing is published."""
    try:
        return os.readlink(current_link(output_dir))
    except (FileNotFoundError, OSError):
        return None


#: What every broken-publication message ends with: what to run.
REPUBLISH = "run `midwest-lod build` to publish a new version"


def open_version(path: Path) -> Version:
    """Read and check a version folder; a broken one is a :class:`PublicationError`."""
    if not path.is_dir():
        raise PublicationError(
            f"the published version {path} does not exist (deleted?); {REPUBLISH}")
    missing = [name for name in REQUIRED if not (path / name).exists()]
    if missing:
        raise PublicationError(
            f"the published version {path} is incomplete (missing {', '.join(missing)}); "
            f"{REPUBLISH}"
        )
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublicationError(
            f"the manifest {path / MANIFEST} cannot be read ({exc}); {REPUBLISH}") from exc
    if not isinstance(manifest, dict) or "version" not in manifest:
        raise PublicationError(f"the manifest {path / MANIFEST} has no version; {REPUBLISH}")
    return Version(path, manifest)


def current_version(output_dir: Path) -> Version:
    """The published version ``current`` points to."""
    target = current_target(output_dir)
    if target is None:
        raise PublicationError(
            f"nothing is published in {output_dir}: run `midwest-lod build` first"
        )
    return open_version((output_dir / target).resolve())


def staging_dir(output_dir: Path) -> Path:
    """A new, empty folder to write a version in."""
    (output_dir / STAGING).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="build-", dir=output_dir / STAGING))


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                 encoding="utf-8")


def promote(output_dir: Path, staged: Path,
            before_switch: Callable[[Version], None] | None = None) -> Version:
    """Move a complete staged version into ``versions/`` and make it current, atomically.

    The folder is renamed to the manifest's version id. ``before_switch`` runs once the
    folder is in ``versions/`` and before ``current`` switches (the load into an external
    SPARQL store, midwest_lod.external.publish); when it raises, the folder goes back to
    ``staged`` and nothing is published.
    """
    version = open_version(staged)
    versions = output_dir / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    final = versions / version.id
    if final.exists():
        raise PublicationError(f"version {version.id} is already published")
    fsync_tree(staged)
    os.replace(staged, final)
    if before_switch is not None:
        try:
            before_switch(Version(final, version.manifest))
        except BaseException:
            os.replace(final, staged)
            raise
    link = current_link(output_dir)
    temporary = output_dir / f".{CURRENT}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(Path(VERSIONS) / version.id, temporary)
    os.replace(temporary, link)
    fsync_dir(output_dir)
    return Version(final, version.manifest)
