"""The query editor's short links: queries stored by content under ``<output_dir>/links``.

A link's id is the start of the sha256 of the query (16 hex digits; all 64 in the rare case
that another query has the same start), so the same query is always the same link and
storing it again writes nothing: repeated queries never grow the folder. Line ends are
normalised first (``\\r\\n`` and ``\\r`` become ``\\n``: a form and a script send the same query
with different ones). The folder is outside the published versions, so links survive restarts
and new publications.

Retention (docs/operations.md): links are permalinks and are kept; at most
``stored_queries_max`` distinct queries are stored (a new one beyond that is refused with 507,
existing ones keep working), and opening a link marks it used (its file's modification time),
so that :func:`prune` (``midwest-lod prune-links --unused-days N``) can remove those nobody
opened for a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from midwest_lod.errors import InsufficientStorage
from midwest_lod.files import write_atomically

FOLDER = "links"
SUFFIX = ".rq"
_ID = re.compile(r"^[0-9a-f]{16}(?:[0-9a-f]{48})?$")


def normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class StoredQueries:
    """The stored queries of a publication folder."""

    folder: Path
    limit: int

    @classmethod
    def of(cls, output_dir: Path, limit: int) -> StoredQueries:
        return cls(Path(output_dir) / FOLDER, limit)

    def count(self) -> int:
        try:
            with os.scandir(self.folder) as entries:
                return sum(1 for e in entries if e.name.endswith(SUFFIX))
        except FileNotFoundError:
            return 0

    def save(self, text: str) -> tuple[str, bool]:
        """The id of ``text`` and whether it was stored now (False: it already was)."""
        data = normalised(text).encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        key = digest[:16]
        path = self.folder / f"{key}{SUFFIX}"
        if path.is_file() and path.read_bytes() != data:  # another query with that start
            key = digest
            path = self.folder / f"{key}{SUFFIX}"
        if path.is_file():
            self._touch(path)
            return key, False
        if self.count() >= self.limit:
            raise InsufficientStorage(
                f"The server stores at most {self.limit} short links and has no room for "
                "another; the page's own address (/sparql?query=…) links to the query as well.")
        write_atomically(path, data)
        return key, True

    def read(self, key: str) -> str | None:
        """The query of ``key`` (marked as used now), or None."""
        if not _ID.match(key):
            return None
        path = self.folder / f"{key}{SUFFIX}"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        self._touch(path)
        return text

    @staticmethod
    def _touch(path: Path) -> None:
        with contextlib.suppress(OSError):  # a read-only folder keeps the old time
            os.utime(path)  # last use, for prune()


def prune(folder: Path, unused_seconds: float, now: float | None = None) -> list[Path]:
    """Remove the stored queries not opened or stored for ``unused_seconds``; returns them."""
    cutoff = (time.time() if now is None else now) - unused_seconds
    removed = []
    try:
        paths = sorted(Path(folder).glob(f"*{SUFFIX}"))
    except FileNotFoundError:
        return []
    for path in paths:
        try:
            if _ID.match(path.stem) and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue
    return removed
