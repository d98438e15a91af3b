"""Publishing a version into the external SPARQL server (setting ``sparql_gsp_url``).

One Graph Store Protocol request replaces the server's whole dataset::

    PUT {sparql_gsp_url}            Content-Type: application/n-quads
    <every quad of the version: the data, the vocabulary, the metadata graph>

Oxigraph's server (``oxigraph serve``) runs a dataset PUT as one transaction: while it loads,
readers see the previous version, then the new one, never a mix or an empty store, and a PUT
that fails (a parse error, a dropped connection, a stopped server) leaves the previous version
as it was. ``tests/external/`` checks both against the real server; the decision record
(docs/decisions/0006-external-store.md) says why this and not SPARQL Update, and what other
servers must do.

The build calls :func:`publisher` as the last step before ``current`` switches
(:func:`midwest_lod.publication.promote`): a failed load fails the build with a
:class:`PublicationError` and nothing is published, locally or remotely. After the load, when
``sparql_query_url`` is set too, the build reads the version back through it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import requests

from midwest_lod import formats
from midwest_lod.config import Settings
from midwest_lod.errors import HttpError, PublicationError
from midwest_lod.external.client import CONNECT_TIMEOUT, RemoteStore, published_version
from midwest_lod.publication import Version

N_QUADS = formats.N_QUADS.media_type
#: Quads serialised per chunk of the streamed request body.
CHUNK_QUADS = 20_000

Progress = Callable[[str], None]


def dataset_chunks(store_path: Path) -> Iterator[bytes]:
    """Every quad of the store at ``store_path`` as N-Quads, in chunks (memory stays flat)."""
    store = ox.Store.read_only(str(store_path))
    quads = iter(store)
    while chunk := list(itertools.islice(quads, CHUNK_QUADS)):
        yield ox.serialize(chunk, format=ox.RdfFormat.N_QUADS) or b""


def publish(settings: Settings, version: Version, progress: Progress | None = None) -> None:
    """Replace the dataset of the server at ``sparql_gsp_url`` with ``version``, in one PUT.

    Raises :class:`PublicationError` saying what failed; the server then still holds what it
    held before (it runs the PUT as one transaction).
    """
    url = settings.sparql_gsp_url
    say = progress or (lambda _message: None)
    started = time.monotonic()
    try:
        response = requests.put(
            url, data=dataset_chunks(version.store_path), headers={"Content-Type": N_QUADS},
            timeout=(CONNECT_TIMEOUT, settings.sparql_publish_timeout))
    except (requests.RequestException, OSError) as exc:  # OSError: reading the version
        raise PublicationError(
            f"the new version {version.id} could not be loaded into the external SPARQL store "
            f"{url} ({type(exc).__name__}: {exc}); it keeps the version it had, and nothing "
            "was published") from None
    if not 200 <= response.status_code < 300:
        raise PublicationError(
            f"the external SPARQL store {url} refused the new version {version.id} "
            f"({response.status_code}: {response.text[:300].strip()}); it keeps the version "
            "it had, and nothing was published")
    say(f"external store: version {version.id} loaded into {url} in "
        f"{time.monotonic() - started:.2f} s")
    if settings.sparql_query_url:
        check(settings, version)


def check(settings: Settings, version: Version) -> None:
    """The server at ``sparql_query_url`` holds ``version`` (read back after the load)."""
    store = RemoteStore(settings.sparql_query_url, timeout=max(settings.query_timeout, 30.0))
    try:
        found = published_version(store, settings.iris)
    except (HttpError, SyntaxError) as exc:
        found, problem = None, str(exc)
    else:
        problem = f"it holds {found[0]}" if found else "it holds no version"
    if found is None or found[0] != version.id:
        raise PublicationError(
            f"the new version {version.id} was loaded into {settings.sparql_gsp_url}, but "
            f"{settings.sparql_query_url} does not answer with it ({problem}): do both settings "
            "name the same server? `current` was not switched")


def publisher(settings: Settings, progress: Progress | None = None
              ) -> Callable[[Version], None] | None:
    """What the build runs before switching ``current``: the load into the external server
    (None when ``sparql_gsp_url`` is not set)."""
    if not settings.sparql_gsp_url:
        if settings.sparql_query_url and progress is not None:
            progress("sparql_query_url is set but sparql_gsp_url is not: the new version is "
                     "published in output_dir only, the external SPARQL store keeps its own")
        return None
    return lambda version: publish(settings, version, progress)
