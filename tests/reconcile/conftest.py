"""The reconciliation tests run through a real server process over the real data, twice:
with the embedded store and with an external ``oxigraph serve`` (as tests/web does: the
entity query's IRI is then bound by ``VALUES … LATERAL`` instead of a substitution)."""

from __future__ import annotations

import pytest

from tests.oxigraph_server import OxigraphServer
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
