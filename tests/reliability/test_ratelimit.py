"""The per-client rate limit on /sparql (setting rate_limit, web/ratelimit.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from midwest_lod.web.ratelimit import RateLimiter

ASK = "ASK { ?s ?p ?o }"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(60, clock=clock)  # one per second, bursts of 60
    assert all(limiter.take("a") == 0 for _ in range(60))
    wait = limiter.take("a")
    assert 0 < wait <= 1.0
    assert limiter.take("b") == 0  # another client has its own bucket
    clock.now += 1.0
    assert limiter.take("a") == 0
    assert limiter.take("a") > 0
    clock.now += 3600
    assert all(limiter.take("a") == 0 for _ in range(60))  # refilled, never above capacity
    assert limiter.take("a") > 0


def test_retry_after_is_the_time_until_a_token_is_back() -> None:
    clock = Clock()
    limiter = RateLimiter(2, clock=clock)  # a token every 30 s
    assert limiter.take("a") == 0 and limiter.take("a") == 0
    assert limiter.take("a") == pytest.approx(30.0)
    clock.now += 20
    assert limiter.take("a") == pytest.approx(10.0)


def test_memory_is_bounded() -> None:
    clock = Clock()
    limiter = RateLimiter(1, clock=clock, max_clients=100)
    for i in range(1000):
        limiter.take(f"10.0.{i // 256}.{i % 256}")
    assert len(limiter) == 100
    assert limiter.take("10.0.3.231") > 0  # the most recent ones are still counted


@pytest.fixture
def limited_app(real_publication: Path) -> Iterator[Flask]:
    from midwest_lod.web import create_app

    app = create_app({"output_dir": real_publication, "TESTING": True, "rate_limit": 3,
                      "cache_max_bytes": 0})
    yield app
    app.extensions["midwest_lod"].query_service.close()


def test_sparql_gets_429_with_retry_after_per_client(limited_app: Flask) -> None:
    client = limited_app.test_client()
    first = {"REMOTE_ADDR": "192.0.2.1"}
    for _ in range(3):
        ok = client.get("/sparql", query_string={"query": ASK}, environ_base=first,
                        headers={"Accept": "application/sparql-results+json"})
        assert ok.status_code == 200
    refused = client.get("/sparql", query_string={"query": ASK}, environ_base=first,
                         headers={"Accept": "application/json"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 20
    assert refused.get_json()["status"] == 429
    assert "3 requests per minute" in refused.get_json()["error"]
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    # POST counts too; the service description (GET without a query) is /sparql as well
    assert client.post("/sparql", data={"query": ASK}, environ_base=first).status_code == 429
    assert client.get("/sparql", environ_base=first).status_code == 429
    # another client, CORS preflights and other paths are not limited
    other = {"REMOTE_ADDR": "192.0.2.2"}
    assert client.get("/sparql", query_string={"query": ASK},
                      environ_base=other).status_code == 200
    assert client.options("/sparql", environ_base=first).status_code == 200
    assert client.get("/doc/gemeente/36015.ttl", environ_base=first).status_code == 200
    assert client.get("/health", environ_base=first).status_code == 200


def test_x_forwarded_for_is_ignored_without_trusted_proxies(limited_app: Flask) -> None:
    client = limited_app.test_client()
    env = {"REMOTE_ADDR": "192.0.2.9"}
    statuses = [client.get("/sparql", environ_base=env,
                           headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
                for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_trusted_proxy_reads_the_client_from_x_forwarded_for(real_publication: Path) -> None:
    from midwest_lod.web import create_app

    app = create_app({"output_dir": real_publication, "TESTING": True, "rate_limit": 1,
                      "trusted_proxies": 1})
    try:
        client = app.test_client()
        proxy = {"REMOTE_ADDR": "127.0.0.1"}

        def get(forwarded: str | None) -> int:
            headers = {"X-Forwarded-For": forwarded} if forwarded else {}
            return client.get("/sparql", environ_base=proxy, headers=headers).status_code

        # the proxy appends the address it saw: a client-sent value on the left is not trusted
        assert get("203.0.113.1") == 200
        assert get("203.0.113.2") == 200
        assert get("spoofed, 203.0.113.1") == 429
        assert get("203.0.113.2") == 429
        assert get(None) == 200  # no header: the proxy's own address
        assert get(None) == 429
    finally:
        app.extensions["midwest_lod"].query_service.close()


def test_rate_limit_is_off_by_default(client) -> None:
    env = {"REMOTE_ADDR": "192.0.2.77"}
    assert all(client.get("/sparql", environ_base=env).status_code == 200 for _ in range(30))
