"""Killed processes are replaced: a web worker (by granian's master) and a query worker (by
its pool), and requests go on succeeding.

The requests here use a new connection each (``requests.get``), as clients do after a
connection was lost: what is asserted is that the server answers, not that a connection
held by a killed process survives.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.reliability import servers
from tests.waiting import wait_until
from tests.web.helpers import ServerProcess

pytestmark = [pytest.mark.server, pytest.mark.slow]

ASK = 'ASK { <https://data.midwest.be/id/gemeente/36015> ?p ?o }'
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def two_workers(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[ServerProcess]:
    log = tmp_path_factory.mktemp("processes") / "server.log"
    # no result cache: every query goes to a query worker
    server = servers.start(real_publication, log, workers=2, threads=4, query_workers=2,
                           cache_max_bytes=0)
    yield server
    server.stop()


def _all_answer(server: ServerProcess, rounds: int) -> None:
    """``rounds`` × (a page, a document, a query, health): each answers 200, first time."""
    for _ in range(rounds):
        for path in ("/", "/doc/gemeente/36015.ttl", "/health"):
            assert requests.get(server.url + path, timeout=30).status_code == 200, path
        query = requests.get(server.url + "/sparql", params={"query": ASK}, headers=JSON,
                             timeout=30)
        assert query.status_code == 200, query.text
        assert query.json()["boolean"] is True


def _warm(server: ServerProcess) -> dict[int, list[int]]:
    """Query until every web worker has started its query workers."""
    def ready() -> bool:
        requests.get(server.url + "/sparql", params={"query": ASK}, headers=JSON, timeout=30)
        pools = servers.all_query_workers(server)
        return len(pools) == 2 and all(len(pids) == 2 for pids in pools.values())

    wait_until(ready, 60, "both web workers to start their query workers")
    return servers.all_query_workers(server)


def test_a_killed_web_worker_is_replaced(two_workers: ServerProcess) -> None:
    pools = _warm(two_workers)
    victim, orphans = next(iter(pools.items()))
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: servers.is_gone(victim), 10, "the worker to die")
    # the other worker answers at once, the master starts a new one
    _all_answer(two_workers, 5)
    wait_until(lambda: len(servers.web_workers(two_workers)) == 2
                     and victim not in servers.web_workers(two_workers),
                     30, "the master to start a new worker")
    _all_answer(two_workers, 10)
    # the killed worker's query workers see their pipe close and exit: nothing is left over
    wait_until(lambda: all(servers.is_gone(pid) for pid in orphans), 30,
                     "the orphaned query workers to exit")
    assert two_workers.process.poll() is None


def test_a_killed_query_worker_is_replaced(two_workers: ServerProcess) -> None:
    pools = _warm(two_workers)
    killed = [pid for pids in pools.values() for pid in pids]
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    wait_until(lambda: all(servers.is_gone(pid) for pid in killed), 10,
                     "the query workers to die")
    # every query after the kill answers; which web worker takes a connection is the
    # kernel's choice, so query (concurrently, to reach both) until both pools are renewed
    _all_answer(two_workers, 5)

    def renewed() -> bool:
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: requests.get(
                two_workers.url + "/sparql", params={"query": ASK}, headers=JSON, timeout=30),
                range(8)))
        assert all(a.status_code == 200 and a.json()["boolean"] for a in answers)
        now = servers.all_query_workers(two_workers)
        return len(now) == 2 and all(len(pids) == 2 and not set(pids) & set(killed)
                                     for pids in now.values())

    wait_until(renewed, 60, "both pools to replace their killed query workers")
    assert two_workers.process.poll() is None
