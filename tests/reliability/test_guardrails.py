"""The SPARQL guard rails hold at any load, against real servers (docs/operations.md).

* concurrency cap: at most ``query_workers`` queries evaluate per web worker, at most
  ``query_queue_length`` more wait (``query_queue_wait`` at most); the rest get 503 with
  Retry-After at once, even when there are more requests than the web server has threads,
  and pages keep being answered meanwhile;
* time limit: a runaway query is killed in its worker process (the process is gone, not
  abandoned), also when every worker is busy;
* memory limit: a query that builds a huge intermediate result gets 503 "ran out of memory"
  and the server goes on answering;
* row cap: SELECT, CONSTRUCT and DESCRIBE answers are cut at ``row_limit`` and say so;
* request size: bodies past the limit get 413 (by Content-Length and chunked), a GET whose
  query is past the limit 413 (or 414 past 64 KiB), a head past ``max_head_bytes`` refused;
* rate limit: 429 with Retry-After past ``rate_limit`` per minute, per web worker process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

import pytest
import requests
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from tests.reliability import servers
from tests.waiting import busy, wait_until
from tests.web.helpers import ServerProcess

pytestmark = [pytest.mark.server, pytest.mark.slow]

THREADS = 8
QUERY_WORKERS = 2
QUEUE_LENGTH = 2
TIMEOUT = 3
ROW_LIMIT = 1000
MAX_QUERY_LENGTH = 100_000

ASK = 'ASK { <https://data.midwest.be/id/gemeente/36015> ?p ?o }'
JSON = {"Accept": "application/sparql-results+json"}


def runaway(n: int) -> str:
    """A query that runs for minutes (distinct text: no cache could answer it)."""
    return (f"SELECT (COUNT(*) AS ?n{n}) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
            f"?j ?k ?l }}")


@pytest.fixture(scope="module")
def capped(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[ServerProcess]:
    """One web worker (the cap is per web worker), 8 threads, 2 query workers."""
    log = tmp_path_factory.mktemp("guardrails") / "server.log"
    server = servers.start(real_publication, log, workers=1, threads=THREADS,
                           query_workers=QUERY_WORKERS, query_queue_length=QUEUE_LENGTH,
                           query_queue_wait=1, query_timeout=TIMEOUT, row_limit=ROW_LIMIT,
                           max_query_length=MAX_QUERY_LENGTH, cache_max_bytes=0)
    yield server
    server.stop()


def _query_workers(server: ServerProcess) -> list[int]:
    (worker,) = servers.web_workers(server)
    return servers.query_workers(worker)


def _warm(server: ServerProcess) -> list[int]:
    def ready() -> bool:
        answer = requests.get(server.url + "/sparql", params={"query": ASK}, headers=JSON,
                              timeout=30)
        assert answer.status_code == 200
        return len(_query_workers(server)) == QUERY_WORKERS

    wait_until(ready, 30, "the query workers")
    return _query_workers(server)


def _evaluating(pid: int) -> Callable[[], bool]:
    """The query worker ``pid`` is evaluating a query (from now on)."""
    return busy(lambda: [pid])


def _get(server: ServerProcess, query: str) -> requests.Response:
    return requests.get(server.url + "/sparql", params={"query": query}, headers=JSON,
                        timeout=60)


def test_overload_gets_503_with_retry_after_and_pages_still_answer(
        capped: ServerProcess) -> None:
    before = _warm(capped)
    many = 3 * THREADS  # more requests than the web worker has threads
    peak: list[int] = []
    every_worker_busy = [_evaluating(pid) for pid in before]
    with ThreadPoolExecutor(many + 1) as pool:
        answers = [pool.submit(_get, capped, runaway(i)) for i in range(many)]
        wait_until(lambda: all(worker() for worker in every_worker_busy), 20,
                   "every query worker to evaluate a runaway query")
        # the overload is on: every query worker busy, a queue waiting
        page = requests.get(capped.url + "/doc/gemeente/36015.ttl", timeout=30)
        page_during_overload = not all(answer.done() for answer in answers)
        while pending := [answer for answer in answers if not answer.done()]:
            peak.append(len(_query_workers(capped)))  # query processes while it lasts
            wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)  # or the next answer
        results = [a.result() for a in answers]

    assert page.status_code == 200
    assert page_during_overload  # threads were left for pages
    statuses = [r.status_code for r in results]
    assert statuses == [503] * many, statuses
    assert all(int(r.headers["Retry-After"]) >= 1 for r in results)
    messages = [r.text for r in results]  # errors are plain text for SPARQL result types
    timed_out = [m for m in messages if "ran longer than" in m]
    queue_full = [m for m in messages if "more queries are waiting" in m]
    waited = [m for m in messages if f"all {QUERY_WORKERS} query workers are busy;" in m]
    assert len(timed_out) + len(queue_full) + len(waited) == many, messages
    assert 1 <= len(timed_out) <= many // 2, messages
    assert len(queue_full) >= many - 2 * (QUERY_WORKERS + QUEUE_LENGTH), messages
    # never more query processes than the cap
    assert peak and max(peak) <= QUERY_WORKERS, peak
    # the workers that ran the runaway queries were killed, and replaced
    wait_until(lambda: all(servers.is_gone(pid) for pid in before), 10,
                     "the killed query workers to be gone")
    after = _query_workers(capped)
    assert not set(after) & set(before)
    assert _get(capped, ASK).json()["boolean"] is True


def test_runaway_queries_are_killed_when_every_worker_is_busy(capped: ServerProcess) -> None:
    before = _warm(capped)
    with ThreadPoolExecutor(QUERY_WORKERS + 1) as pool:
        evaluating = [_evaluating(pid) for pid in before]
        running = [pool.submit(_get, capped, runaway(100 + i)) for i in range(QUERY_WORKERS)]
        wait_until(lambda: all(worker() for worker in evaluating), 20,
                   "both query workers to evaluate a runaway query")
        waiting = pool.submit(_get, capped, runaway(200))
        results = [r.result() for r in running]
        queued = waiting.result()
    for result in results:
        assert result.status_code == 503
        assert result.headers["Retry-After"] == str(TIMEOUT)
        assert f"ran longer than {TIMEOUT} s" in result.text
    # the third waited for a worker (query_queue_wait), none came free: 503, not a pile-up
    assert queued.status_code == 503 and "Retry-After" in queued.headers
    # killed in their processes, not abandoned: the processes that ran them are gone at once
    wait_until(lambda: all(servers.is_gone(pid) for pid in before), 5,
                     "the query workers that ran past the timeout to be gone")
    assert len(_query_workers(capped)) == QUERY_WORKERS
    assert _get(capped, ASK).status_code == 200


def _rows(response: requests.Response, fmt: QueryResultsFormat) -> int:
    if fmt == QueryResultsFormat.CSV:  # lossy: pyoxigraph does not read it; one line a row
        return len(response.content.splitlines()) - 1
    return sum(1 for _ in parse_query_results(response.content, format=fmt))


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/sparql-results+json", QueryResultsFormat.JSON),
    ("application/sparql-results+xml", QueryResultsFormat.XML),
    ("text/csv", QueryResultsFormat.CSV),
    ("text/tab-separated-values", QueryResultsFormat.TSV),
])
def test_row_cap_on_select(capped: ServerProcess, accept: str,
                           fmt: QueryResultsFormat) -> None:
    cut = requests.get(capped.url + "/sparql", params={"query": "SELECT * { ?s ?p ?o }"},
                       headers={"Accept": accept}, timeout=30)
    assert cut.status_code == 200
    assert cut.headers["X-SPARQL-MaxRows"] == str(ROW_LIMIT)
    assert cut.headers["X-SPARQL-Truncated"] == "true"
    assert _rows(cut, fmt) == ROW_LIMIT
    whole = requests.get(capped.url + "/sparql", timeout=30, headers={"Accept": accept},
                         params={"query": f"SELECT * {{ ?s ?p ?o }} LIMIT {ROW_LIMIT}"})
    assert "X-SPARQL-Truncated" not in whole.headers
    assert _rows(whole, fmt) == ROW_LIMIT


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/n-triples", RdfFormat.N_TRIPLES),
    ("text/turtle", RdfFormat.TURTLE),
    ("application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", RdfFormat.RDF_XML),
])
@pytest.mark.parametrize("query", [
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE ?s WHERE { ?s ?p ?o }",
])
def test_row_cap_on_construct_and_describe(capped: ServerProcess, query: str, accept: str,
                                           fmt: RdfFormat) -> None:
    cut = requests.post(capped.url + "/sparql", data={"query": query},
                        headers={"Accept": accept}, timeout=30)
    assert cut.status_code == 200
    assert cut.headers["X-SPARQL-MaxRows"] == str(ROW_LIMIT)
    assert cut.headers["X-SPARQL-Truncated"] == "true"
    triples = list(parse(cut.content, format=fmt))
    assert 0 < len(set(triples)) <= ROW_LIMIT
    if fmt == RdfFormat.N_TRIPLES:  # one line per triple as written: exactly the cap
        assert len(cut.content.splitlines()) == ROW_LIMIT


def test_row_cap_on_the_html_results_page(capped: ServerProcess) -> None:
    page = requests.get(capped.url + "/sparql", timeout=30,
                        params={"query": "SELECT * { ?s ?p ?o }", "format": "html"})
    assert page.status_code == 200
    assert page.headers["X-SPARQL-Truncated"] == "true"
    assert page.text.count("<tr") == ROW_LIMIT + 1  # the rows and the head


def test_request_size_limits(capped: ServerProcess) -> None:
    url = capped.url + "/sparql"
    body = "ASK {} #" + "x" * (MAX_QUERY_LENGTH - len("ASK {} #"))
    assert len(body) == MAX_QUERY_LENGTH
    exact = requests.post(url, data=body.encode(), headers={
        "Content-Type": "application/sparql-query", **JSON}, timeout=30)
    assert exact.status_code == 200
    one_more = requests.post(url, data=(body + "x").encode(), headers={
        "Content-Type": "application/sparql-query", **JSON}, timeout=30)
    assert one_more.status_code == 413
    assert f"the limit is {MAX_QUERY_LENGTH}" in one_more.text
    form = requests.post(url, data={"query": body + "x"}, headers=JSON, timeout=30)
    assert form.status_code == 413
    megabyte = ("ASK {} #" + "é" * 500_000).encode()
    for content_type in ("application/sparql-query", "application/x-www-form-urlencoded"):
        sized = requests.post(url, data=megabyte, headers={"Content-Type": content_type},
                              timeout=30)
        assert sized.status_code == 413, content_type
        chunked = requests.post(url, data=iter([megabyte[i:i + 65536]
                                                for i in range(0, len(megabyte), 65536)]),
                                headers={"Content-Type": content_type}, timeout=30)
        assert chunked.status_code == 413, content_type
    # a GET carries a long query (granian refuses request targets over 64 KiB with 414)
    long_get = requests.get(url, params={"query": body[:60_000]}, headers=JSON, timeout=30)
    assert long_get.status_code == 200
    too_long_get = requests.get(url, params={"query": body + "x"}, headers=JSON, timeout=30)
    assert too_long_get.status_code in (413, 414)
    try:  # past max_head_bytes: granian answers 4xx or closes before the head is complete
        huge_head = requests.get(url, headers={**JSON, "X-Pad": "x" * 600_000}, timeout=30)
    except requests.ConnectionError:
        pass
    else:
        assert 400 <= huge_head.status_code < 500
    assert requests.get(capped.url + "/health", timeout=30).status_code == 200


@pytest.fixture(scope="module")
def memory_capped(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[ServerProcess]:
    """Query workers limited to 300 MB of heap (~80 MB are used at rest), and a time limit
    long enough that the memory limit is what stops the query."""
    log = tmp_path_factory.mktemp("memory") / "server.log"
    server = servers.start(real_publication, log, workers=1, threads=4, query_workers=1,
                           query_timeout=60, query_memory_limit=300 * 1024 * 1024,
                           cache_max_bytes=0)
    yield server
    server.stop()


def test_a_query_that_needs_too_much_memory_gets_503(memory_capped: ServerProcess) -> None:
    assert _get(memory_capped, ASK).status_code == 200  # normal queries fit
    huge = ("SELECT ?a ?b ?c ?d ?e ?f WHERE { ?a ?b ?c . ?d ?e ?f } "
            "ORDER BY ?a ?d ?f DESC(?c)")
    answer = requests.get(memory_capped.url + "/sparql", params={"query": huge},
                          headers={"Accept": "application/json"}, timeout=120)
    assert answer.status_code == 503
    assert "ran out of memory" in answer.json()["error"]
    assert "query_memory_limit" in answer.json()["error"]
    assert "Traceback" not in answer.text
    # the server is fine: the next query is answered by a fresh query worker
    again = _get(memory_capped, ASK)
    assert again.status_code == 200, again.text
    assert again.json()["boolean"] is True
    assert requests.get(memory_capped.url + "/health", timeout=30).status_code == 200
    assert memory_capped.process.poll() is None


@pytest.fixture(scope="module")
def rate_limited(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[ServerProcess]:
    log = tmp_path_factory.mktemp("ratelimit") / "server.log"
    server = servers.start(real_publication, log, workers=2, threads=4, rate_limit=5)
    yield server
    server.stop()


def test_rate_limit_is_per_client_per_web_worker(rate_limited: ServerProcess) -> None:
    answers = [requests.get(rate_limited.url + "/sparql", params={"query": ASK},
                            headers=JSON, timeout=30) for _ in range(30)]
    allowed = [a for a in answers if a.status_code == 200]
    limited = [a for a in answers if a.status_code == 429]
    assert len(allowed) + len(limited) == len(answers)
    # each of the 2 web workers keeps its own buckets: 5 to 10 of 30 get through
    assert 5 <= len(allowed) <= 2 * 5, len(allowed)
    for answer in limited:
        assert 1 <= int(answer.headers["Retry-After"]) <= 12
        assert "5 requests per minute" in answer.text
    # pages are not limited
    assert all(requests.get(rate_limited.url + "/health", timeout=30).status_code == 200
               for _ in range(10))

