"""A real ``oxigraph serve`` process for the external-store tests (docs/decisions/0006).

The binary comes with the PyPI package ``oxigraph`` (test extras), next to the interpreter of
the virtualenv. Without it the external-store tests are skipped, unless ``CI`` is set (CI's
``.ci/run`` sets it) or ``MIDWEST_LOD_TEST_EXTERNAL=required``: then they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.waiting import wait_until
from tests.web.helpers import free_port

#: "required" (or CI set): a missing oxigraph binary fails the external-store tests.
REQUIRE_ENV = "MIDWEST_LOD_TEST_EXTERNAL"
#: The environment the tests were started with: they run with no ``MIDWEST_LOD_*`` variable
#: (tests/conftest.py), this one is read before that.
STARTED_WITH = {name: os.environ[name] for name in ("CI", REQUIRE_ENV) if name in os.environ}


def oxigraph_binary() -> Path | None:
    """``oxigraph`` next to this interpreter (the virtualenv's), else on the PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    return Path(found) if found else None


def require_oxigraph(environ: Mapping[str, str] = STARTED_WITH) -> Path:
    """The binary, or skip (fail when ``CI`` is set or :data:`REQUIRE_ENV` is ``required``
    in ``environ``)."""
    binary = oxigraph_binary()
    if binary is None:
        message = ("the `oxigraph` server binary is not installed (PyPI package oxigraph, in "
                   "the test extras): the external-store tests cannot run")
        if environ.get("CI") or environ.get(REQUIRE_ENV, "").lower() == "required":
            pytest.fail(f"{message} (CI or {REQUIRE_ENV}=required: failing, not skipping)",
                        pytrace=False)
        pytest.skip(message)
    return binary


@dataclass
class OxigraphServer:
    """``oxigraph serve --location <folder> --bind 127.0.0.1:<port>``, stopped by :meth:`stop`.

    Started without ``--union-default-graph``: that flag makes Oxigraph ignore a query's FROM;
    the application sends the ``union-default-graph`` parameter when it wants the union.
    """

    binary: Path
    location: Path
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def gsp_url(self) -> str:
        return self.url + "/store"

    @classmethod
    def start(cls, location: Path, log: Path) -> OxigraphServer:
        server = cls(require_oxigraph(), location, free_port(), log)
        server.run()
        return server

    def run(self) -> None:
        """Start the process (again, on the same folder and port) and wait until it answers."""
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                [str(self.binary), "serve", "--location", str(self.location),
                 "--bind", f"127.0.0.1:{self.port}"],
                stdout=handle, stderr=subprocess.STDOUT)
        try:
            wait_until(self.answers, 60, f"oxigraph to answer ({self.log})")
        except AssertionError:
            self.stop()
            raise RuntimeError(
                f"oxigraph did not answer: {self.log.read_text(errors='replace')}") from None

    def answers(self) -> bool:
        """The query URL answers; :class:`RuntimeError` with the log if the process exited."""
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"oxigraph exited: {self.log.read_text(errors='replace')}")
        try:
            requests.get(self.query_url, timeout=2)
        except requests.ConnectionError:
            return False
        return True

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process = None

    def restart(self) -> None:
        """Kill and start again: the way to stop a query Oxigraph itself does not stop."""
        self.stop(signal.SIGKILL)
        self.run()

    def count(self) -> int:
        """Quads in the store (all graphs)."""
        response = requests.post(
            self.query_url, data={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"}, timeout=30)
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])
