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
from pathlib import Path

from pyoxigraph import Store

from midwest_lod import publication
from midwest_lod.errors import PublicationError
from midwest_lod.publication import Version

log = logging.getLogger(__name__)


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
        version = publication.open_version((self.output_dir / target).resolve())
        try:
            store = Store.read_only(str(version.store_path))
            next(iter(store.quads_for_pattern(None, None, None)), None)  # its tables are read
        except (OSError, RuntimeError) as exc:  # RocksDB: "Corruption: ..." is a RuntimeError
            raise PublicationError(f"the store of {version.path} cannot be opened ({exc}); "
                                   f"{publication.REPUBLISH}") from None
        version.query_store = store
        _ = version.last_modified  # read now: it may come from the manifest's time
        return version
