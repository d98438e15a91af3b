"""Observability through real server processes (issue 13 item 6): Prometheus metrics at
``/-/metrics`` (read with prometheus_client's own parser) counting requests by route and
status, latencies, query time-outs, admission rejections, cache hits and the published
version, added up over several web workers (multiprocess mode), and one JSON access-log
line per request with the request id that ``X-Request-Id`` echoes."""

from __future__ import annotations

import json
import os
import re
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.reliability import servers
from tests.waiting import busy, wait_until
from tests.web.helpers import DATA_DIR, ServerProcess, publish_trig

pytestmark = pytest.mark.server

ASK = "ASK { <https://data.midwest.be/id/gemeente/36015> ?p ?o }"
JSON = {"Accept": "application/sparql-results+json"}
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def runaway(n: int) -> str:
    """A query that runs for minutes on the real data (distinct text: never cached)."""
    return f"SELECT (COUNT(*) AS ?n{n}) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }}"


def scrape(server: ServerProcess) -> Samples:
    response = requests.get(server.url + "/-/metrics", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text)
            for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def log_lines(server: ServerProcess) -> list[dict[str, object]]:
    lines = server.log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [json.loads(line) for line in lines if line.startswith('{"time"')]


@pytest.fixture(scope="module")
def two_workers(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("metrics-two")
    # the front's answer cache off: every request reaches the application and its hooks
    server = servers.start(real_publication, folder / "server.log", workers=2, threads=4,
                           metrics_dir=folder / "metrics", query_workers=1,
                           response_cache_bytes=0)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def guarded(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[ServerProcess]:
    """One web worker with one query worker and no queue: a second query is refused."""
    folder = tmp_path_factory.mktemp("metrics-guarded")
    server = servers.start(real_publication, folder / "server.log", workers=1, threads=4,
                           query_workers=1, query_queue_length=0, query_queue_wait=0.2,
                           query_timeout=2, cache_max_bytes=0, response_cache_bytes=0)
    yield server
    server.stop()


def test_requests_are_counted_over_every_worker_even_after_they_exit(
        two_workers: ServerProcess) -> None:
    made = 12
    with ThreadPoolExecutor(4) as pool:  # new connections: both workers take some
        answers = list(pool.map(lambda _: requests.get(
            two_workers.url + "/doc/gemeente/36015", timeout=30).status_code, range(made)))
    assert answers == [200] * made
    missing = requests.get(two_workers.url + "/doc/gemeente/nergens", timeout=30)
    assert missing.status_code == 404
    samples = scrape(two_workers)
    route = "/doc/<path:rest>"
    assert value(samples, "midwest_lod_http_requests_total", route=route, method="GET",
                 status="200") == made
    assert value(samples, "midwest_lod_http_requests_total", route=route, method="GET",
                 status="404") == 1
    assert value(samples, "midwest_lod_http_request_duration_seconds_count", route=route,
                 method="GET") == made + 1
    assert value(samples, "midwest_lod_http_request_duration_seconds_bucket", route=route,
                 method="GET", le="+Inf") == made + 1
    # every worker replaced: what they counted is still there
    for pid in servers.web_workers(two_workers):
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda pid=pid: servers.is_gone(pid)  # type: ignore[misc]
                   and len(servers.web_workers(two_workers)) == 2, 30,
                   "a new web worker")
    wait_until(two_workers.answers, 30, "the server to answer again")
    assert value(scrape(two_workers), "midwest_lod_http_requests_total", route=route,
                 method="GET", status="200") == made


def test_cache_hits_and_the_published_version(two_workers: ServerProcess) -> None:
    before = scrape(two_workers)
    with requests.Session() as session:  # one connection: one worker, one result cache
        caches = [session.get(two_workers.url + "/sparql", params={"query": ASK + " # c"},
                              headers=JSON, timeout=30).headers["X-Cache"] for _ in range(3)]
    assert caches == ["miss", "hit", "hit"]
    after = scrape(two_workers)
    for result, more in (("miss", 1), ("hit", 2)):
        assert value(after, "midwest_lod_query_cache_total", result=result) == \
            value(before, "midwest_lod_query_cache_total", result=result) + more
    version = requests.get(two_workers.url + "/health", headers={"Accept": "application/json"},
                           timeout=30).json()["version"]
    assert value(after, "midwest_lod_published_version_info", version=version) == 1
    assert value(after, "midwest_lod_published_version_built_timestamp_seconds") > 1.7e9


def test_time_outs_and_admission_rejections_are_counted(guarded: ServerProcess) -> None:
    (worker,) = servers.web_workers(guarded)
    wait_until(lambda: requests.get(guarded.url + "/sparql", params={"query": ASK},
                                    headers=JSON, timeout=30).status_code == 200
               and servers.query_workers(worker), 30, "the query worker")
    evaluating = busy(lambda: servers.query_workers(worker))
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(requests.get, guarded.url + "/sparql",
                           params={"query": runaway(1)}, headers=JSON, timeout=60)
        wait_until(evaluating, 20, "the query worker to evaluate the runaway query")
        refused = requests.get(guarded.url + "/sparql", params={"query": runaway(2)},
                               headers=JSON, timeout=60)
        timed_out = slow.result()
    assert refused.status_code == 503 and "busy" in refused.text
    assert timed_out.status_code == 503 and "ran longer than" in timed_out.text
    samples = scrape(guarded)
    assert value(samples, "midwest_lod_query_timeouts_total") == 1
    assert value(samples, "midwest_lod_rejections_total", reason="query_admission") == 1
    assert value(samples, "midwest_lod_http_requests_total", route="/sparql", method="GET",
                 status="503") == 2
    errors = sorted(str(line["error"]) for line in log_lines(guarded) if line["status"] == 503)
    assert errors == ["QueryAdmissionRefused", "QueryTimeout"]


@pytest.mark.parametrize(("given", "echoed"), [
    ("trace-7f3a.1:2", True),
    ("x" * 129, False),  # too long
    ("a b", False),  # a space
    ("-leading", False),
    ("", False),
])
def test_the_request_id_is_echoed_and_in_the_access_log_line(
        two_workers: ServerProcess, given: str, echoed: bool) -> None:
    response = requests.get(two_workers.url + "/sparql", params={"query": ASK}, headers={
        **JSON, "X-Request-Id": given, "User-Agent": "observability-test"}, timeout=30)
    assert response.status_code == 200
    ident = response.headers["X-Request-Id"]
    if echoed:
        assert ident == given
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", ident)

    def logged() -> list[dict[str, object]]:
        return [line for line in log_lines(two_workers) if line["request_id"] == ident]

    wait_until(logged, 10, "the access-log line")
    (line,) = logged()
    assert line["method"] == "GET" and line["path"] == "/sparql"
    assert line["route"] == "/sparql" and line["status"] == 200
    assert line["user_agent"] == "observability-test"
    assert line["query_length"] == len(response.request.url.split("?", 1)[1])  # type: ignore[union-attr]
    assert isinstance(line["duration_ms"], float | int) and line["duration_ms"] >= 0
    assert line["cache"] in ("hit", "miss")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", str(line["time"]))


def test_answers_of_the_front_cache_are_logged_counted_and_identified(
        real_publication: Path, tmp_path: Path) -> None:
    """The front answers a repeated GET from its answer cache without running the application:
    it gives the answer a request id of its own, a log line and a count all the same."""
    server = servers.start(real_publication, tmp_path / "server.log", workers=1, threads=4,
                           metrics_dir=tmp_path / "metrics")
    try:
        with requests.Session() as session:
            answers = [session.get(server.url + "/doc/gemeente/36015", timeout=30)
                       for _ in range(3)]
            again = session.get(server.url + "/doc/gemeente/36015", timeout=30,
                                headers={"If-None-Match": answers[0].headers["ETag"]})
        assert [a.status_code for a in answers] == [200] * 3 and again.status_code == 304
        idents = [a.headers["X-Request-Id"] for a in [*answers, again]]
        assert len(set(idents)) == 4  # a fresh id each time, never the kept answer's

        def cached_lines() -> list[dict[str, object]]:
            return [line for line in log_lines(server) if line["cache"] == "answer"]

        wait_until(lambda: len(cached_lines()) >= 3, 10, "the answer cache's log lines")
        lines = {str(line["request_id"]): line for line in cached_lines()}
        assert set(idents[1:]) <= set(lines)
        assert lines[idents[-1]]["status"] == 304
        samples = scrape(server)
        assert value(samples, "midwest_lod_http_requests_total", route="(answer cache)",
                     method="GET", status="200") == 2
        assert value(samples, "midwest_lod_http_requests_total", route="(answer cache)",
                     method="GET", status="304") == 1
    finally:
        server.stop()


def test_rate_limit_rejections_are_counted(tmp_path: Path) -> None:
    out = tmp_path / "var"
    publish_trig(out, DATA_DIR / "publication.trig")
    server = ServerProcess.start(out, tmp_path / "server.log", rate_limit=2)
    try:
        statuses = [requests.get(server.url + "/sparql", params={"query": f"ASK {{ ?s ?p {n} }}"},
                                 headers=JSON, timeout=30).status_code for n in range(3)]
        assert statuses == [200, 200, 429]
        samples = scrape(server)
        assert value(samples, "midwest_lod_rejections_total", reason="rate_limit") == 1
        assert value(samples, "midwest_lod_rejections_total", reason="query_admission") == 0
    finally:
        server.stop()
