"""A short mixed load test against a real server: ``midwest-lod serve --workers 2``.

Until :data:`RESPONSES` answers have come back, client threads mix SPARQL queries (GET and
POST, every result format), entity documents in every format, pages, dumps, health,
conditional requests and bad requests (404, 405, 406, 400, 403, 413, 415) over loopback.
Every response must have the status its request calls for: zero 5xx and zero connection errors
(refused, reset, timed out, cut short).

Concurrency is kept *below* the SPARQL cap on purpose: at most ``query_workers`` client
threads send SPARQL, so even if the kernel hands all their connections to one web worker
no query ever waits for a query worker. A 503 is therefore a failure here; the deliberate
overload, where 503 + Retry-After is the expected answer, is test_guardrails.py's.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.reliability import servers
from tests.waiting import wait_until
from tests.web.helpers import ServerProcess, real_facts

pytestmark = [pytest.mark.server, pytest.mark.slow]

#: Answers the load runs for (a real load; its speed is bench/'s to measure), and kinds of
#: request it must have made by then.
RESPONSES = 3000
KINDS = 20
QUERY_WORKERS = 2
SPARQL_THREADS = QUERY_WORKERS  # below the cap: see the module documentation
OTHER_THREADS = 4

MW = "https://data.midwest.be/ns/sociale-economie#"
RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"]
GRAPH_TYPES = ["text/turtle", "application/ld+json", "application/n-triples",
               "application/rdf+xml"]
DOC_TYPES = [*GRAPH_TYPES, "text/html", "*/*"]
TOO_LARGE = b"ASK {} #" + b"x" * 500_000  # past max_query_length's body limit


@dataclass(frozen=True)
class Call:
    """One request and the status it must get."""

    name: str
    method: str
    path: str
    expect: int
    params: dict[str, str] | None = None
    data: bytes | dict[str, str] | None = None
    headers: dict[str, str] | None = None


@pytest.fixture(scope="module")
def load_server(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[ServerProcess]:
    log = tmp_path_factory.mktemp("load") / "server.log"
    server = servers.start(real_publication, log, workers=2, threads=8,
                           query_workers=QUERY_WORKERS, query_timeout=10, query_queue_wait=2)
    yield server
    server.stop()


def _sparql_calls(rng: random.Random, nis: list[str]) -> Callable[[], Call]:
    def make() -> Call:
        code = rng.choice(nis)
        limit = rng.randint(1, 50)
        select = (f"PREFIX mw: <{MW}> SELECT ?m ?nis WHERE {{ ?m mw:nisCode ?nis }} "
                  f"ORDER BY ?nis LIMIT {limit}")
        ask = f'PREFIX mw: <{MW}> ASK {{ ?m mw:nisCode "{code}" }}'
        construct = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {limit}")
        describe = f"DESCRIBE <https://data.midwest.be/id/gemeente/{code}>"
        kind = rng.randrange(8)
        if kind == 0:
            return Call("sparql GET select", "GET", "/sparql", 200, {"query": select},
                        headers={"Accept": rng.choice(RESULT_TYPES)})
        if kind == 1:
            return Call("sparql POST form ask", "POST", "/sparql", 200, data={"query": ask},
                        headers={"Accept": rng.choice(RESULT_TYPES)})
        if kind == 2:
            return Call("sparql POST body construct", "POST", "/sparql", 200,
                        data=construct.encode(),
                        headers={"Content-Type": "application/sparql-query",
                                 "Accept": rng.choice(GRAPH_TYPES)})
        if kind == 3:
            return Call("sparql GET describe", "GET", "/sparql", 200, {"query": describe},
                        headers={"Accept": rng.choice(GRAPH_TYPES)})
        if kind == 4:
            return Call("sparql html page", "GET", "/sparql", 200,
                        {"query": select, "format": "html"})
        if kind == 5:
            return Call("sparql syntax error", "GET", "/sparql", 400,
                        {"query": "SELECT * WHERE { ?s ?p "})
        if kind == 6:
            return Call("sparql SERVICE", "GET", "/sparql", 400,
                        {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        return Call("sparql update", "POST", "/sparql", 403,
                    data={"update": "DROP ALL"})
    return make


def _other_calls(rng: random.Random, nis: list[str], etag: str) -> Callable[[], Call]:
    def make() -> Call:
        code = rng.choice(nis)
        kind = rng.randrange(17)
        if kind <= 3:
            return Call("document", "GET", f"/doc/gemeente/{code}", 200,
                        headers={"Accept": rng.choice(DOC_TYPES)})
        if kind == 4:
            ext = rng.choice(["ttl", "jsonld", "nt", "rdf", "html"])
            return Call("document.ext", "GET", f"/doc/gemeente/{code}.{ext}", 200)
        if kind == 5:
            return Call("id redirect", "GET", f"/id/gemeente/{code}", 303)
        if kind == 6:
            path = rng.choice(["/", "/actoren", "/themas", "/gemeenten", "/basisprincipes",
                               "/initiatieftypes", "/dumps/", "/catalog", "/static/style.css"])
            return Call("page", "GET", path, 200)
        if kind == 7:
            return Call("vocabulary", "GET", "/ns/sociale-economie", 200,
                        headers={"Accept": rng.choice(GRAPH_TYPES)})
        if kind == 8:
            return Call("health", "GET", "/health", 200)
        if kind == 9:
            return Call("conditional", "GET", "/doc/dataset/sociale-economie.ttl", 304,
                        headers={"If-None-Match": etag})
        if kind == 10:
            return Call("dump checksum", "GET", "/dumps/midwest-sociale-economie.ttl.sha256",
                        200)
        if kind == 11:
            return Call("unknown path", "GET", f"/nergens/{rng.randrange(10**6)}", 404)
        if kind == 12:
            return Call("unknown entity", "GET", "/id/gemeente/00000", 404)
        if kind == 13:
            return Call("not acceptable", "GET", f"/doc/gemeente/{code}", 406,
                        headers={"Accept": "image/png"})
        if kind == 14:
            return Call("wrong method", "POST", "/", 405, data=b"x")
        if kind == 15:
            return Call("too large", "POST", "/sparql", 413, data=TOO_LARGE,
                        headers={"Content-Type": "application/sparql-query"})
        return Call("wrong content type", "POST", "/sparql", 415, data=b"ASK {}",
                    headers={"Content-Type": "text/plain"})
    return make


@dataclass
class Tally:
    statuses: Counter[tuple[str, int]]
    failures: list[str]
    lock: threading.Lock

    def total(self) -> int:
        with self.lock:
            return sum(self.statuses.values()) + len(self.failures)

    def kinds(self) -> set[str]:
        with self.lock:
            return {name for name, _ in self.statuses}

    def record(self, call: Call, status: int | None, problem: str | None) -> None:
        with self.lock:
            if status is not None:
                self.statuses[(call.name, status)] += 1
            if problem:
                self.failures.append(f"{call.method} {call.path} ({call.name}): {problem}")


def _client(server: ServerProcess, make: Callable[[], Call], stop: threading.Event,
            tally: Tally) -> None:
    session = requests.Session()
    while not stop.is_set():
        call = make()
        try:
            response = session.request(call.method, server.url + call.path, params=call.params,
                                       data=call.data, headers=call.headers, timeout=30,
                                       allow_redirects=False)
            body = response.content  # read it all: a cut body is a failure too
        except requests.RequestException as exc:
            tally.record(call, None, f"connection error {type(exc).__name__}: {exc}")
            session.close()
            session = requests.Session()
            continue
        problem = None
        if response.status_code != call.expect:
            problem = f"status {response.status_code}, expected {call.expect}: {body[:200]!r}"
        elif b"Traceback" in body:
            problem = "a traceback in the body"
        tally.record(call, response.status_code, problem)
    session.close()


def test_mixed_load_has_no_5xx_and_no_dropped_connection(load_server: ServerProcess) -> None:
    nis = sorted(real_facts().municipalities)
    etag = requests.get(load_server.url + "/doc/dataset/sociale-economie.ttl",
                        timeout=10).headers["ETag"]
    tally = Tally(Counter(), [], threading.Lock())
    stop = threading.Event()
    threads = [threading.Thread(target=_client, args=(
        load_server, _sparql_calls(random.Random(i), nis), stop, tally))
        for i in range(SPARQL_THREADS)]
    threads += [threading.Thread(target=_client, args=(
        load_server, _other_calls(random.Random(100 + i), nis, etag), stop, tally))
        for i in range(OTHER_THREADS)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: tally.total() >= RESPONSES and len(tally.kinds()) >= KINDS,
                   600, f"{RESPONSES} answers to the load")
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert not any(thread.is_alive() for thread in threads)

    total = sum(tally.statuses.values())
    print(f"{total} responses:", dict(sorted(tally.statuses.items())))
    server_errors = {k: v for k, v in tally.statuses.items() if k[1] >= 500}
    assert not tally.failures, f"{len(tally.failures)} of {total + len(tally.failures)}: " + \
        "\n".join(tally.failures[:20])
    assert not server_errors
    assert load_server.process.poll() is None
    log = load_server.log.read_text(errors="replace")
    assert "Traceback" not in log and "[ERROR]" not in log
