"""The published version when the store is an external SPARQL server (``sparql_query_url``).

The web application then keeps no store of its own: what is published is what the external
server holds. The build writes the version's id and build time into the metadata graph
(``dcat:version``, ``dct:modified`` of the dataset) and replaces the server's whole dataset in
one transaction (:mod:`midwest_lod.external.publish`), so the id read from the server always
names the data next to it. :class:`ExternalPublication` reads it with one small query
(``queries/published-version.rq``) at most every :data:`CHECK_INTERVAL` seconds per web
process, and keeps a :class:`Version` per id: validators (ETag, Last-Modified), the result
cache and the rendered documents are keyed by it exactly as in embedded mode.

Files stay files: when ``output_dir`` holds ``versions/<id>/`` (shared storage, or a copy per
web node) the manifest, the dumps and the event stream are read from there, by the id the
server gives, not by the ``current`` link; without it the manifest is the id and build time
alone and ``/dumps/`` lists nothing. docs/decisions/0006-external-store.md.
"""

from __future__ import annotations

import json
import logging
import os
import time

from midwest_lod import publication
from midwest_lod.config import Settings
from midwest_lod.errors import HttpError, PublicationError
from midwest_lod.external.client import RemoteStore, published_version
from midwest_lod.publication import Version
from midwest_lod.timestamps import format_utc
from midwest_lod.web.published import Publication

log = logging.getLogger(__name__)

#: Seconds a web process trusts the version it last read from the external server.
CHECK_INTERVAL = 1.0
#: Seconds the version query may take (a request waits for it only when no version is known).
VERSION_TIMEOUT = 2.0


def open_publication(settings: Settings) -> Publication:
    """The publication the application serves: the external server's when ``sparql_query_url``
    is set, else the one ``output_dir/current`` points to."""
    if settings.sparql_query_url:
        return ExternalPublication(settings)
    return Publication(settings.output_dir)


class StoreUnreadable(PublicationError):
    """The external store does not answer (as opposed to: it answers that it is empty)."""


class ExternalPublication(Publication):
    """The version an external SPARQL server holds (see the module)."""

    def __init__(self, settings: Settings, interval: float = CHECK_INTERVAL) -> None:
        super().__init__(settings.output_dir)
        self.iris = settings.iris
        self.store = RemoteStore(settings.sparql_query_url, timeout=settings.query_timeout)
        self.version_store = RemoteStore(settings.sparql_query_url, timeout=VERSION_TIMEOUT,
                                         sessions=self.store.sessions)
        self.interval = interval
        self._checked = 0.0

    def _read(self) -> tuple[str, str]:
        """(version id, build time) on the server, or a :class:`PublicationError`."""
        try:
            found = published_version(self.version_store, self.iris)
        except (HttpError, SyntaxError) as exc:
            raise StoreUnreadable(
                f"the external SPARQL store {self.store.url} cannot be read ({exc})") from None
        if found is None:
            raise PublicationError(
                f"nothing is published in the external SPARQL store {self.store.url}: run "
                "`midwest-lod build` with the setting sparql_gsp_url (MIDWEST_LOD_SPARQL_GSP_URL)"
                " pointing at its Graph Store Protocol URL")
        version_id, built = found
        return version_id, format_utc(built)

    def check(self) -> str:
        """The id of the version the server holds, or a :class:`PublicationError`."""
        return self._read()[0]

    def current(self) -> Version:
        version = self._version
        if version is not None and self._pid == os.getpid():
            if time.monotonic() - self._checked < self.interval:
                return version
            # one thread reads the version again; meanwhile the others use the one they know
            if not self._lock.acquire(blocking=False):
                return version
        else:
            self._lock.acquire()
        try:
            return self._refresh()
        finally:
            self._lock.release()

    def _refresh(self) -> Version:
        version = self._version if self._pid == os.getpid() else None
        if version is not None and time.monotonic() - self._checked < self.interval:
            return version
        try:
            version_id, built_at = self._read()
        except PublicationError:
            if version is None:
                raise
            log.warning("the external store cannot be read; still serving %s", version.id)
            self._checked = time.monotonic()
            return version
        self._checked = time.monotonic()
        if version is None or version.id != version_id:
            version = self._version = self._open_external(version_id, built_at)
            self._target = version_id
            self._pid = os.getpid()
            log.info("serving version %s of the external store %s", version_id, self.store.url)
        return version

    def _open_external(self, version_id: str, built_at: str) -> Version:
        path = self.output_dir / publication.VERSIONS / version_id
        manifest: dict[str, object] = {"version": version_id, "built_at": built_at}
        try:
            found = json.loads((path / publication.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = None  # no files of this version on this node: the store is enough
        if isinstance(found, dict) and found.get("version") == version_id:
            manifest = found
        return Version(path, manifest, query_store=self.store)
