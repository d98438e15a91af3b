"""The front's answer cache (``web/front/cache.py``): what it keeps, what it never keeps, and
that a new publication is seen at once. Through a real server: a repeated request and its
304 carry what the application answers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from midwest_lod.web.front.cache import ResponseCache, matches
from tests.web.helpers import ServerProcess

VERSION = "20260101T000000Z-abc"
SHARED = [("Content-Type", "text/turtle"), ("ETag", f'W/"{VERSION}.turtle"'),
          ("Cache-Control", "public, max-age=60"), ("Vary", "Accept, Accept-Encoding")]


class Headers(dict[str, str]):
    """Request headers as granian hands them (lower-case names, ``get``)."""


@pytest.fixture
def cache(tmp_path: Path) -> ResponseCache:
    (tmp_path / "versions" / VERSION).mkdir(parents=True)
    os.symlink(Path("versions") / VERSION, tmp_path / "current")
    return ResponseCache(tmp_path / "current", 1 << 20, uncached_paths=("/sparql",))


def _key(cache: ResponseCache, path: str = "/doc/x", **headers: str) -> tuple[str, ...]:
    key = cache.key(path, "", Headers({"accept": "text/turtle", **headers}))
    assert key is not None
    return key


def test_a_shared_answer_of_the_version_is_kept(cache: ResponseCache) -> None:
    key = _key(cache)
    cache.put(key, 200, [*SHARED, ("X-Request-Id", "r1"), ("Date", "now")], b"body")
    entry = cache.get(key)
    assert entry is not None and entry.body == b"body"
    assert ("X-Request-Id", "r1") not in entry.headers  # one request's, never kept
    assert all(name != "Date" for name, _ in entry.headers)
    assert all(name != "Content-Type" for name, _ in entry.headers_304)
    assert cache.get(_key(cache, accept="text/html")) is None  # another negotiation
    assert cache.get(_key(cache, host="elsewhere")) is None  # another host


@pytest.mark.parametrize(("status", "headers"), [
    (404, SHARED),
    (200, [h for h in SHARED if h[0] != "ETag"]),
    (200, [*SHARED[:1], ("ETag", 'W/"20250101T000000Z-old.turtle"'), *SHARED[2:]]),
    (200, [h if h[0] != "Cache-Control" else ("Cache-Control", "no-store") for h in SHARED]),
    (200, [*SHARED, ("Set-Cookie", "a=b")]),
    (200, [*SHARED, ("Vary", "Cookie")]),
])
def test_what_is_never_kept(cache: ResponseCache, status: int,
                            headers: list[tuple[str, str]]) -> None:
    key = _key(cache)
    cache.put(key, status, headers, b"body")
    assert cache.get(key) is None


def test_rate_limited_paths_are_not_answered_from_it(cache: ResponseCache) -> None:
    assert cache.key("/sparql", "query=ASK%7B%7D", Headers()) is None


def test_a_new_publication_drops_the_old_answers(cache: ResponseCache, tmp_path: Path) -> None:
    key = _key(cache)
    cache.put(key, 200, SHARED, b"body")
    (tmp_path / "versions" / "20260102T000000Z-new").mkdir()
    os.symlink(Path("versions") / "20260102T000000Z-new", tmp_path / "next")
    os.replace(tmp_path / "next", tmp_path / "current")
    new_key = _key(cache)
    assert new_key != key and cache.get(new_key) is None and not cache.entries


def test_the_size_bound_holds(cache: ResponseCache) -> None:
    for number in range(200):
        cache.put(_key(cache, f"/doc/{number}"), 200, SHARED, b"x" * 20_000)
    assert cache.size <= cache.max_bytes
    assert cache.get(_key(cache, "/doc/199")) is not None
    assert cache.get(_key(cache, "/doc/0")) is None  # least recently used first out


@pytest.mark.parametrize(("header", "expected"), [
    (f'W/"{VERSION}.turtle"', True), (f'"{VERSION}.turtle"', True),
    (f'"other", W/"{VERSION}.turtle"', True), ("*", True), ('W/"other"', False)])
def test_if_none_match_is_compared_weakly(header: str, expected: bool) -> None:
    assert matches(header, f'W/"{VERSION}.turtle"') is expected


@pytest.mark.server
@pytest.mark.parametrize("accept", ["text/turtle", "text/html"])
def test_repeated_documents_and_their_304s(server: ServerProcess, accept: str) -> None:
    url = server.url + "/doc/organisatie/mariasteen"
    headers = {"Accept": accept, "Accept-Encoding": "gzip"}
    answers = [requests.get(url, headers=headers, timeout=30) for _ in range(3)]
    assert all(a.status_code == 200 for a in answers)
    assert len({a.content for a in answers}) == 1
    first, *repeats = answers
    for repeat in repeats:  # the same answer: every header but the date
        # the same answer, but the date and the request id (each request gets its own)
        per_request = ("date", "x-request-id")
        assert {k: v for k, v in repeat.headers.items() if k.lower() not in per_request} == \
            {k: v for k, v in first.headers.items() if k.lower() not in per_request}
        assert repeat.headers["X-Request-Id"] != first.headers["X-Request-Id"]
    etag = first.headers["ETag"]
    for _ in range(2):
        again = requests.get(url, headers={**headers, "If-None-Match": etag}, timeout=30)
        assert again.status_code == 304 and again.content == b""
        assert again.headers["ETag"] == etag
        assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    stale = requests.get(url, headers={**headers, "If-None-Match": 'W/"old"'}, timeout=30)
    assert stale.status_code == 200 and stale.content == first.content
    head = requests.head(url, headers=headers, timeout=30)
    assert head.status_code == 200 and head.headers["ETag"] == etag
