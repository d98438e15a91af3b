"""Security headers over a table of endpoints and formats: every answer (pages, documents in
every format, SPARQL results, dumps, static files, errors of every kind, 304s, HEAD,
preflights) has ``X-Content-Type-Options: nosniff``; every HTML answer a
Content-Security-Policy without scripts, but the query page's, which allows scripts and
requests from this origin only. Through the Flask test client and, for the same
table, through the real server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from flask import Flask

from midwest_lod.web.http import CONTENT_SECURITY_POLICY, EDITOR_CONTENT_SECURITY_POLICY
from tests.web.helpers import ServerProcess

ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT * { ?s ?p ?o } LIMIT 3"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | bytes | None = None
    conditional: bool = False  # send again with the validators: 304

    def __str__(self) -> str:
        extra = "+304" if self.conditional else ""
        return f"{self.method} {self.path} {self.headers.get('Accept', '')} {self.status}{extra}"


HTML = {"Accept": "text/html"}
CASES = [
    Case("GET", "/", 200, HTML, conditional=True),
    *[Case("GET", p, 200, HTML, conditional=True) for p in
      ("/actoren", "/themas", "/gemeenten", "/basisprincipes", "/initiatieftypes")],
    *[Case("GET", "/doc/gemeente/36015", 200, {"Accept": a}, conditional=True) for a in
      ("text/html", "text/turtle", "application/ld+json", "application/n-triples",
       "application/rdf+xml")],
    *[Case("GET", f"/doc/gemeente/36015.{e}", 200, conditional=True)
      for e in ("html", "ttl", "jsonld", "nt", "rdf")],
    Case("GET", "/id/gemeente/36015", 303),
    Case("HEAD", "/doc/gemeente/36015.ttl", 200),
    Case("GET", "/ns/sociale-economie", 200, HTML, conditional=True),
    Case("GET", "/ns/sociale-economie.ttl", 200, conditional=True),
    Case("GET", "/sparql", 200, HTML, conditional=True),
    Case("GET", "/sparql", 200, {"Accept": "text/turtle"}, conditional=True),
    *[Case("GET", "/sparql", 200, {"Accept": a}, {"query": SELECT}, conditional=True) for a in
      ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
       "text/tab-separated-values", "text/html")],
    Case("GET", "/sparql", 200, {"Accept": "text/turtle"}, {"query": CONSTRUCT},
         conditional=True),
    Case("POST", "/sparql", 200, {"Accept": "application/sparql-results+json"},
         data={"query": ASK}),
    Case("POST", "/sparql", 200, HTML, data={"query": SELECT}),
    Case("OPTIONS", "/sparql", 200, {"Origin": "https://example.org",
                                     "Access-Control-Request-Method": "POST"}),
    Case("GET", "/dumps/", 200, HTML, conditional=True),
    Case("GET", "/dumps/midwest-sociale-economie.ttl", 200, conditional=True),
    Case("GET", "/dumps/midwest-sociale-economie.nt.gz", 200, conditional=True),
    Case("GET", "/dumps/midwest-sociale-economie.ttl.sha256", 200, conditional=True),
    Case("GET", "/dumps/midwest-sociale-economie.ttl", 206, {"Range": "bytes=0-9"}),
    Case("GET", "/health", 200),
    Case("GET", "/catalog", 200, HTML, conditional=True),
    Case("GET", "/.well-known/void", 200, HTML, conditional=True),
    Case("GET", "/ldes", 200, conditional=True),
    Case("GET", "/static/style.css", 200, conditional=True),
    Case("GET", "/sparql/terms", 200, {"Accept": "application/json"}, {"q": "gemeente"},
         conditional=True),
    Case("GET", "/sparql/q/0123456789abcdef", 404, HTML),
    # errors, in each format the error handler writes
    *[Case("GET", "/nergens", 404, {"Accept": a}) for a in
      ("text/html", "application/json", "text/plain", "*/*", "image/png")],
    Case("GET", "/doc/gemeente/00000", 404, HTML),
    Case("GET", "/static/nergens.css", 404, HTML),
    Case("GET", "/dumps/nergens.ttl", 404, HTML),
    Case("POST", "/", 405, HTML),
    Case("GET", "/doc/gemeente/36015", 406, {"Accept": "image/png"}),
    Case("GET", "/sparql", 400, HTML, {"query": "SELECT * {"}),
    Case("GET", "/sparql", 400, HTML, {"query": ASK, "format": "nonsense"}),
    Case("POST", "/sparql", 403, HTML, data={"update": "DROP ALL"}),
    Case("POST", "/sparql", 413, data=b"x" * 500_000,
         headers={"Accept": "text/html", "Content-Type": "application/sparql-query"}),
    Case("POST", "/sparql", 415, data=b"ASK {}",
         headers={"Accept": "text/html", "Content-Type": "text/plain"}),
]


def _check(case: Case, status: int, headers: dict[str, str]) -> None:
    lowered = {k.lower(): v for k, v in headers.items()}
    assert status == case.status, (str(case), status)
    assert lowered.get("x-content-type-options") == "nosniff", str(case)
    if lowered.get("content-type", "").startswith("text/html"):
        expected = (EDITOR_CONTENT_SECURITY_POLICY
                    if case.path == "/sparql" and status == 200 and case.method != "OPTIONS"
                    else CONTENT_SECURITY_POLICY)
        assert lowered.get("content-security-policy") == expected, str(case)


def _validators(headers: dict[str, str]) -> dict[str, str]:
    lowered = {k.lower(): v for k, v in headers.items()}
    if "etag" in lowered:
        return {"If-None-Match": lowered["etag"]}
    return {"If-Modified-Since": lowered["last-modified"]}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_headers_through_the_application(app: Flask, case: Case) -> None:
    client = app.test_client()
    response = client.open(case.path, method=case.method, headers=case.headers,
                           query_string=case.params, data=case.data)
    response.close()
    _check(case, response.status_code, dict(response.headers))
    if case.conditional:
        again = client.open(case.path, method=case.method, query_string=case.params,
                            headers={**case.headers, **_validators(dict(response.headers))})
        again.close()
        _check(Case(case.method, case.path, 304), again.status_code, dict(again.headers))


@pytest.mark.server
@pytest.mark.parametrize("case", CASES, ids=str)
def test_headers_through_the_real_server(server: ServerProcess, case: Case) -> None:
    response = requests.request(case.method, server.url + case.path, headers=case.headers,
                                params=case.params, data=case.data, timeout=30,
                                allow_redirects=False)
    _check(case, response.status_code, dict(response.headers))
    if case.conditional:
        again = requests.request(case.method, server.url + case.path, params=case.params,
                                 headers={**case.headers, **_validators(
                                     dict(response.headers))}, timeout=30)
        _check(Case(case.method, case.path, 304), again.status_code, dict(again.headers))


@pytest.fixture
def strict_app(real_publication: Path) -> Iterator[Flask]:
    """Rate limit 1 a minute, time limit 1 s, no cache: 429 and 503 on demand."""
    from midwest_lod.web import create_app

    app = create_app({"output_dir": real_publication, "TESTING": True, "rate_limit": 1,
                      "query_timeout": 1, "cache_max_bytes": 0})
    yield app
    app.extensions["midwest_lod"].query_service.close()


def test_headers_of_429_and_503(strict_app: Flask) -> None:
    client = strict_app.test_client()
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    timed_out = client.get("/sparql", query_string={"query": slow}, headers=HTML)
    _check(Case("GET", "/sparql", 503), timed_out.status_code, dict(timed_out.headers))
    assert "Retry-After" in timed_out.headers
    limited = client.get("/sparql", query_string={"query": ASK}, headers=HTML)
    _check(Case("GET", "/sparql", 429), limited.status_code, dict(limited.headers))
    assert "Retry-After" in limited.headers
