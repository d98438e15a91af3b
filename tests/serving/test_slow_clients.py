"""Slow and lying clients cannot take the server down (issue 13 item 1; the front of
``web/front/``, docs/decisions/0018-serving.md).

Real server processes (``midwest-lod serve``) and bounded loopback clients: connections that
send part of a request head, or a head and part of the body they announce, then stall. While
they are open, other clients' requests are answered; the server closes every one of them once
its deadline has passed (the head: closed; the body: 408, then closed). The full figures (200
+ 200 such connections, the latency of ``ASK {}`` meanwhile) are the benchmark's
(``bench/slowclients.py``), not the suite's: nothing here measures time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.serving.clients import PARTIAL_HEAD, Stalled, lying_post, stalled
from tests.waiting import wait_until
from tests.web.helpers import ServerProcess

pytestmark = pytest.mark.server

ASK = {"query": "ASK {}"}
JSON = {"Accept": "application/sparql-results+json"}
SLOW = 30  # slow heads, and as many slow bodies: many more than the server's threads


@pytest.fixture(scope="module")
def patient(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[ServerProcess]:
    """Deadlines far longer than the test: the slow connections stay open all along, so
    whatever is answered meanwhile is answered while they are."""
    log = tmp_path_factory.mktemp("patient") / "server.log"
    server = ServerProcess.start(real_publication, log, workers=1, threads=2,
                                 header_timeout=120, body_timeout=120)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def strict(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[ServerProcess]:
    """Deadlines of 1 s: stalled connections are closed quickly."""
    log = tmp_path_factory.mktemp("strict") / "server.log"
    server = ServerProcess.start(real_publication, log, workers=1, threads=2,
                                 header_timeout=1, body_timeout=1)
    yield server
    server.stop()


def _ask(server: ServerProcess, method: str) -> None:
    if method == "GET":
        answer = requests.get(server.url + "/sparql", params=ASK, headers=JSON, timeout=30)
    else:
        answer = requests.post(server.url + "/sparql", data=ASK, headers=JSON, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["boolean"] is True


def test_asks_are_answered_while_slow_heads_and_bodies_are_held_open(
        patient: ServerProcess) -> None:
    with stalled(patient.url, PARTIAL_HEAD, SLOW) as heads, \
            stalled(patient.url, lying_post(), SLOW) as bodies:
        for number in range(20):  # 20 requests, each on a new connection, GET and POST
            _ask(patient, "GET" if number % 2 else "POST")
        page = requests.get(patient.url + "/", timeout=30)
        assert page.status_code == 200
        # the slow connections were open (and unanswered) all along: the server has not
        # closed one, so each still holds whatever it held
        for connection in heads + bodies:
            assert not connection.poll(), "a slow connection was closed before its deadline"
            assert connection.received == b""


def test_stalled_heads_are_closed(strict: ServerProcess) -> None:
    with stalled(strict.url, PARTIAL_HEAD, 10) as heads:
        wait_until(lambda: all(c.poll() for c in heads), 10,
                   "the server to close every connection whose head stalled")
    _ask(strict, "GET")


def test_an_idle_kept_alive_connection_is_closed(strict: ServerProcess) -> None:
    request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    connection = Stalled(strict.url, request)
    try:
        wait_until(connection.poll, 10, "the server to close the idle connection")
        assert connection.status == 200  # answered first, then closed once idle
    finally:
        connection.close()


@pytest.mark.parametrize("sent", [0, 10, 999])
def test_a_body_shorter_than_its_content_length_gets_408_or_a_close(
        strict: ServerProcess, sent: int) -> None:
    with stalled(strict.url, lying_post(1000, sent), 5) as bodies:
        wait_until(lambda: all(c.poll() for c in bodies), 10,
                   "the server to answer (408) or close every short body")
        for connection in bodies:
            assert connection.status in (None, 400, 408), connection.received[:200]
    _ask(strict, "POST")


def test_a_slow_body_is_refused_not_evaluated(strict: ServerProcess) -> None:
    with stalled(strict.url, lying_post(), 1) as (connection,):
        wait_until(connection.poll, 10, "the answer to the short body")
    assert connection.status == 408
    assert b"not received in time" in connection.received
