"""The server tests of tests/web (SPARQL, dereferencing, dumps) run twice: against the
embedded store (``server``) and against an external ``oxigraph serve`` (``external_server``,
the setting ``sparql_query_url``; docs/decisions/0006-external-store.md). The test code is the
same: only the process behind ``server.url`` differs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.oxigraph_server import OxigraphServer
from tests.waiting import wait_until
from tests.web.helpers import ServerProcess

BACKENDS = ["embedded", "external"]


@pytest.fixture(scope="session", params=BACKENDS)
def server(request: pytest.FixtureRequest, server: ServerProcess) -> ServerProcess:
    if request.param == "external":
        external: ServerProcess = request.getfixturevalue("external_server")
        store: OxigraphServer = request.getfixturevalue("oxigraph")
        external.store_processes = lambda: [store.process.pid] if store.process else []
        return external
    return server


@pytest.fixture
def restart_external_store_after(request: pytest.FixtureRequest) -> Iterator[None]:
    """For a test that leaves a query running in the external store: Oxigraph 0.5.13 does not
    stop every runaway query (not even with ``--timeout-s``, docs/decisions/0006), and one
    would keep a core busy for the rest of the session. Restarted, the store is as before."""
    if request.node.callspec.params.get("server") != "external":
        yield
        return
    store: OxigraphServer = request.getfixturevalue("oxigraph")
    web: ServerProcess = request.getfixturevalue("external_server")
    yield
    store.restart()

    def answers() -> bool:  # the web server reconnects to the store
        answer = requests.get(web.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=10)
        return answer.status_code == 200

    wait_until(answers, 30, "the external store to come back after its restart")
