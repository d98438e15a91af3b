"""The published version the server answers from (docs/publication.md).

``output_dir/current`` is a symbolic link to ``versions/<version>/``. :class:`Publication`
re-reads that link (one ``readlink``, about a microsecond) on every request and, when it points
somewhere new, opens the new version's store read-only and swaps it in under a lock. Requests
already running keep the :class:`Version` they started with, so a republication switches
atomically without a failed request. A version folder is never modified after the switch.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import Store

from midwest_lod import publication
from midwest_lod.cache import SizedCache, byte_cache
from midwest_lod.errors import PublicationError
from midwest_lod.files import file_digest
from midwest_lod.publication import QueryStore

log = logging.getLogger(__name__)

STORE_DIR = "store"
DUMPS_DIR = "dumps"
#: Memory for rendered entity documents per version and web worker.
DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024


@dataclass
class Dump:
    """One file of ``dumps/`` with what the home page and the headers say about it."""

    file: str
    path: Path
    media_type: str
    bytes: int
    sha256: str
    encoding: str | None = None  # "gzip" for the compressed files


@dataclass
class Version:
    """One published version, opened. Immutable on disk; ``cache`` holds derived values."""

    id: str
    path: Path
    manifest: dict[str, Any]
    store: QueryStore
    last_modified: datetime
    cache: dict[str, Any] = field(default_factory=dict)
    documents: SizedCache[bytes] = field(default_factory=lambda: byte_cache(DOCUMENT_CACHE_BYTES))
    _dump_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def store_path(self) -> Path:
        return self.path / STORE_DIR

    @property
    def counts(self) -> dict[str, int]:
        counts = self.manifest.get("counts") or {}
        return {str(k): int(v) for k, v in counts.items()}

    def dumps(self) -> list[Dump]:
        """The dump files, with size and sha256 (from the manifest, else computed once)."""
        with self._dump_lock:
            cached: list[Dump] | None = self.cache.get("dumps")
            if cached is None:
                cached = self._read_dumps()
                self.cache["dumps"] = cached
            return cached

    def dump(self, name: str) -> Dump | None:
        return next((d for d in self.dumps() if d.file == name), None)

    def _read_dumps(self) -> list[Dump]:
        from midwest_lod.formats import BY_EXTENSION

        folder = self.path / DUMPS_DIR
        listed = {str(d.get("file")): d for d in self.manifest.get("dumps") or []}
        present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        names = sorted(set(listed) | present)
        dumps = []
        for name in names:
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
            dumps.append(Dump(name, path, media_type, size, str(digest), encoding))
        return dumps


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0)


class Publication:
    """Access to the current published version under ``output_dir``."""

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = Path(output_dir)
        self._lock = threading.Lock()
        self._target: str | None = None
        self._pid = os.getpid()
        self._version: Version | None = None

    def check(self) -> str:
        """The target of the ``current`` link, or a :class:`PublicationError` saying what to do."""
        target = publication.current_target(self.output_dir)
        if target is None:
            raise PublicationError(
                f"nothing is published in {self.output_dir.resolve()}: no "
                f"'{publication.CURRENT}' link. Run `midwest-lod build` (or `midwest-lod "
                "serve`, which builds when needed)."
            )
        return target

    def current(self) -> Version:
        """The current version; opens a newly published one on first use after the switch."""
        try:
            target = self.check()
        except PublicationError:
            if self._version is not None:  # keep answering from the last good version
                log.warning("the current link is gone; still serving %s", self._version.id)
                return self._version
            raise
        version = self._version
        if version is not None and target == self._target and self._pid == os.getpid():
            return version
        with self._lock:
            if self._version is None or target != self._target or self._pid != os.getpid():
                try:
                    self._version = self._open(target)
                except PublicationError:
                    if self._version is None or self._pid != os.getpid():
                        raise
                    log.exception("the new version %s cannot be opened; still serving %s",
                                  target, self._version.id)
                    return self._version
                self._target = target
                self._pid = os.getpid()
                log.info("serving published version %s", self._version.id)
            return self._version

    def _open(self, target: str) -> Version:
        path = (self.output_dir / target).resolve()
        manifest = publication.open_version(path).manifest
        manifest_path = path / publication.MANIFEST
        try:
            store = Store.read_only(str(path / STORE_DIR))
            next(iter(store.quads_for_pattern(None, None, None)), None)  # its tables are read
        except (OSError, RuntimeError) as exc:  # RocksDB: "Corruption: ..." is a RuntimeError
            raise PublicationError(f"the store of {path} cannot be opened ({exc}); "
                                   f"{publication.REPUBLISH}") from None
        built = _parse_time(manifest.get("built_at")) or datetime.fromtimestamp(
            int(manifest_path.stat().st_mtime), UTC
        )
        return Version(str(manifest.get("version") or path.name), path, manifest, store, built)
