"""Shared fixtures.

* ``real_publication``: the real ``data/`` built and published once per session (a folder
  with ``current -> versions/<version>``);
* ``fixture_publication``: a small hand-written publication (``tests/web/data/*.trig``) for
  what the real data cannot show (a label with markup);
* every test (and every session fixture) runs with no ``MIDWEST_LOD_*`` variable in the
  environment: the settings a test uses are the ones it gives (``no_settings_from_outside``);
* ``server``: a real ``midwest-lod serve`` process on a free port over the real publication
  (query_timeout 3 s, row_limit 1000), for tests of headers, redirects and concurrency;
* ``app`` / ``client``: the Flask application and test client over the real publication, for
  rendering checks;
* ``oxigraph``: a real ``oxigraph serve`` process holding the real publication, loaded as the
  build loads it (skipped without the binary, failed with ``MIDWEST_LOD_TEST_EXTERNAL=required``,
  tests/oxigraph_server.py), and ``external_server``: ``midwest-lod serve`` reading from it
  (setting ``sparql_query_url``; docs/decisions/0006-external-store.md). ``tests/web`` runs its
  server tests against both ``server`` and ``external_server`` (tests/web/conftest.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from midwest_lod.config import ENV_PREFIX, Settings
from tests.oxigraph_server import OxigraphServer
from tests.web.helpers import DATA_DIR, ServerProcess, publish_trig

#: Settings of the test server: small enough limits to test quickly.
SERVER_SETTINGS = {"query_timeout": 3, "row_limit": 1000, "query_workers": 2,
                   "query_queue_wait": 1}


def _clear_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith(ENV_PREFIX)]:
        monkeypatch.delenv(name)


@pytest.fixture(scope="session", autouse=True)
def no_settings_from_outside_the_session() -> Iterator[None]:
    """The session's fixtures (publications, servers started with ``os.environ``) see no
    ``MIDWEST_LOD_*`` variable of the shell that runs the tests."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clear_settings(monkeypatch)
        yield


@pytest.fixture(autouse=True)
def no_settings_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no ``MIDWEST_LOD_*`` variable, whatever an earlier one set."""
    _clear_settings(monkeypatch)


@pytest.fixture(scope="session")
def real_publication(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from midwest_lod.pipeline import run_build

    out = tmp_path_factory.mktemp("published")
    result = run_build(Settings.load({"output_dir": out}))
    assert result.ok, result.report(include_warnings=False)
    return out


@pytest.fixture(scope="session")
def fixture_publication(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fixture-published")
    publish_trig(out, DATA_DIR / "publication.trig")
    return out


@pytest.fixture(scope="session")
def server(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[ServerProcess]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    process = ServerProcess.start(real_publication, log, **SERVER_SETTINGS)
    yield process
    process.stop()


@pytest.fixture(scope="session")
def oxigraph(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[OxigraphServer]:
    from midwest_lod.external.publish import publish
    from midwest_lod.publication import current_version

    folder = tmp_path_factory.mktemp("oxigraph")
    store = OxigraphServer.start(folder / "store", folder / "oxigraph.log")
    try:
        settings = Settings.load({"output_dir": real_publication, "sparql_gsp_url": store.gsp_url,
                                  "sparql_query_url": store.query_url})
        publish(settings, current_version(real_publication))
        yield store
    finally:
        store.stop()


@pytest.fixture(scope="session")
def external_server(real_publication: Path, oxigraph: OxigraphServer,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    log = tmp_path_factory.mktemp("external-server") / "server.log"
    process = ServerProcess.start(real_publication, log, sparql_query_url=oxigraph.query_url,
                                  **SERVER_SETTINGS)
    yield process
    process.stop()


@pytest.fixture(scope="session")
def app(real_publication: Path) -> Iterator[Flask]:
    from midwest_lod.web import create_app

    application = create_app({"output_dir": real_publication, "TESTING": True,
                              **SERVER_SETTINGS})
    yield application
    application.extensions["midwest_lod"].query_service.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
