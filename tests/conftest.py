"""Shared fixtures.

* ``real_publication``: the real ``data/`` built and published once per session (a folder
  with ``current -> versions/<version>``);
* ``fixture_publication``: a small hand-written publication (``tests/web/data/*.trig``) for
  what the real data cannot show (a label with markup);
* ``server``: a real ``midwest-lod serve`` process on a free port over the real publication
  (query_timeout 3 s, row_limit 1000), for tests of headers, redirects and concurrency;
* ``app`` / ``client``: the Flask application and test client over the real publication, for
  rendering checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from midwest_lod.config import Settings
from tests.web.helpers import DATA_DIR, ServerProcess, publish_trig

#: Settings of the test server: small enough limits to test quickly.
SERVER_SETTINGS = {"query_timeout": 3, "row_limit": 1000, "query_workers": 2,
                   "query_queue_wait": 1}


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
def app(real_publication: Path) -> Iterator[Flask]:
    from midwest_lod.web import create_app

    application = create_app({"output_dir": real_publication, "TESTING": True,
                              **SERVER_SETTINGS})
    yield application
    application.extensions["midwest_lod"].query_service.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
