"""Property-based fuzzing of the HTTP surface through the Flask test client.

Any request (method, path, query string, headers, body; see strategies.py) is answered with a
status below 500 (503 only from the query guard rails: time limit, busy workers), with no
traceback, file path or exception name in the body, with ``X-Content-Type-Options: nosniff``
and, for HTML, a Content-Security-Policy and no unescaped echo of the input.
"""

from __future__ import annotations

import os
from urllib.parse import unquote_to_bytes

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import (
    Request,
    harmless_service_queries,
    paths,
    problems,
    queries,
    requests_,
    service_queries,
)

#: Examples per property: FUZZ_EXAMPLES=20000 for a long local campaign.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0)
FUZZ = settings(max_examples=EXAMPLES or 600, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def send(app: Flask, request: Request) -> tuple[int, dict[str, str], bytes]:
    client = app.test_client()
    # PATH_INFO as a WSGI server (our front: web/front/bridge.py) sets it: the percent-decoded
    # bytes as latin-1; the test client's own URL parsing would read "//x" as a host
    response = client.open("/", method=request.method, query_string=request.params or None,
                           headers=request.headers, data=request.body, environ_overrides={
                               "PATH_INFO": unquote_to_bytes(request.path).decode("latin-1"),
                               "RAW_URI": request.path})
    try:
        return response.status_code, dict(response.headers), response.get_data()
    finally:
        response.close()  # a dump is a streamed file


def check(app: Flask, request: Request) -> None:
    status, headers, body = send(app, request)
    found = problems(request, status, headers, body)
    assert not found, (found, request, status, body[:500])


@FUZZ
@given(request=requests_())
def test_any_request(app: Flask, request: Request) -> None:
    check(app, request)


@FUZZ
@given(path=paths(), accept=st.sampled_from(["text/html", "application/json", "text/turtle",
                                             "*/*", "image/png", ""]))
def test_any_path(app: Flask, path: str, accept: str) -> None:
    check(app, Request("GET", path, headers={"Accept": accept} if accept else {}))


@FUZZ
@given(raw=st.binary(min_size=1, max_size=60))
def test_raw_path_bytes(app: Flask, raw: bytes) -> None:
    """PATH_INFO as a server passes undecodable bytes: latin-1 characters of the raw bytes."""
    client = app.test_client()
    for prefix in ("/doc/", "/id/", "/dumps/", "/"):
        response = client.get("/", environ_overrides={
            "PATH_INFO": (prefix.encode() + raw).decode("latin-1")})
        request = Request("GET", prefix + raw.decode("latin-1"))
        found = problems(request, response.status_code, dict(response.headers),
                         response.get_data())
        response.close()
        assert not found, (found, raw, response.get_data()[:300])


@FUZZ
@given(query=queries, how=st.sampled_from(["get", "form", "body"]),
       accept=st.sampled_from(["", "application/sparql-results+json", "text/turtle",
                               "text/html", "text/csv", "application/json", "image/png"]))
def test_any_query(app: Flask, query: str, how: str, accept: str) -> None:
    headers = {"Accept": accept} if accept else {}
    if how == "get":
        request = Request("GET", "/sparql", [("query", query)], headers)
    elif how == "form":
        from urllib.parse import urlencode

        request = Request("POST", "/sparql", [], {
            **headers, "Content-Type": "application/x-www-form-urlencoded"},
            urlencode({"query": query}).encode())
    else:
        request = Request("POST", "/sparql", [], {
            **headers, "Content-Type": "application/sparql-query"}, query.encode())
    check(app, request)


def _sparql(app: Flask, query: str) -> tuple[int, str]:
    response = app.test_client().post(
        "/sparql", data={"query": query}, headers={"Accept": "text/plain, */*;q=0.1"})
    return response.status_code, response.get_data(as_text=True)


@settings(max_examples=EXAMPLES or 150, deadline=None)
@given(query=service_queries())
def test_service_keyword_is_refused_wherever_it_is(app: Flask, query: str) -> None:
    status, body = _sparql(app, query)
    assert status == 400, (query, body)
    assert "SERVICE (federated query) is not supported" in body


@settings(max_examples=EXAMPLES or 150, deadline=None)
@given(query=harmless_service_queries())
def test_service_in_strings_iris_comments_and_names_is_not_refused(app: Flask,
                                                                   query: str) -> None:
    status, body = _sparql(app, query)
    assert "SERVICE (federated query)" not in body, query
    assert status == 200, (query, body)
