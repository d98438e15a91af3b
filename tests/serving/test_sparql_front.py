"""``/sparql`` answered by the front without Flask (``web/front/sparql.py``): the same answers
as the application's, header by header, and the application still answers what the front
hands on. Through real servers: ``server`` (the front answers queries) and one with the rate
limit on, where every query goes through Flask."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from midwest_lod.web.front.sparql import parse_form
from tests.conftest import SERVER_SETTINGS
from tests.web.helpers import ServerProcess

#: Headers that belong to one request, not to the answer.
PER_REQUEST = {"date", "x-request-id"}
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 7"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def through_flask(real_publication: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[ServerProcess]:
    """The same publication and settings with the rate limit on (far above what the tests
    send): the front hands every query to the application."""
    log = tmp_path_factory.mktemp("flask-sparql") / "server.log"
    process = ServerProcess.start(real_publication, log, rate_limit=10**9, **SERVER_SETTINGS)
    yield process
    process.stop()


def _ask(base: str, method: str, params: dict[str, str], headers: dict[str, str],
         body: str | None) -> requests.Response:
    url = f"{base}/sparql"
    if method == "GET":
        return requests.get(url, params=params, headers=headers, timeout=30)
    return requests.post(url, params=params, data=body.encode() if body else None,
                         headers=headers, timeout=30)


CASES = {
    # name: (method, query-string parameters, request headers, body)
    "select json gzip": ("GET", {"query": SELECT}, {"Accept": JSON,
                                                     "Accept-Encoding": "gzip"}, None),
    "select xml": ("GET", {"query": SELECT}, {"Accept": "application/sparql-results+xml",
                                              "Accept-Encoding": "identity"}, None),
    "select csv": ("GET", {"query": SELECT}, {"Accept": "text/csv"}, None),
    "select tsv, no accept": ("GET", {"query": SELECT}, {}, None),
    "ask": ("GET", {"query": "ASK {}"}, {"Accept": JSON}, None),
    "construct turtle": ("GET", {"query": CONSTRUCT}, {"Accept": "text/turtle"}, None),
    "construct for */*": ("GET", {"query": CONSTRUCT}, {"Accept": "*/*"}, None),
    "truncated (row cap)": ("GET", {"query": "SELECT * { ?s ?p ?o }"},
                            {"Accept": JSON, "Accept-Encoding": "gzip"}, None),
    "named graph": ("GET", {"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
                            "named-graph-uri": "https://data.midwest.be/graph/metadata"},
                    {"Accept": JSON}, None),
    "post form": ("POST", {}, {"Accept": JSON, "Content-Type":
                               "application/x-www-form-urlencoded"},
                  urlencode({"query": SELECT})),
    "post query": ("POST", {}, {"Accept": JSON, "Content-Type":
                                "application/sparql-query; charset=utf-8"}, SELECT),
    "origin": ("GET", {"query": "ASK {}"}, {"Accept": JSON, "Origin": "https://x.example"},
               None),
    # handed on to the application
    "syntax error": ("GET", {"query": "SELECT * {"}, {"Accept": JSON}, None),
    "syntax error, text": ("GET", {"query": "SELECT * {"}, {"Accept": "text/plain"}, None),
    "graph result not acceptable": ("GET", {"query": CONSTRUCT}, {"Accept": JSON}, None),
    "update": ("GET", {"query": "INSERT DATA { <a:a> <a:b> <a:c> }"}, {"Accept": JSON}, None),
    "service": ("GET", {"query": "SELECT * { SERVICE <http://x.example/> { ?s ?p ?o } }"},
                {"Accept": JSON}, None),
    "two queries": ("GET", {"query": "ASK {}"}, {"Accept": JSON}, "two"),
    "format parameter": ("GET", {"query": "ASK {}", "format": "xml"}, {}, None),
    "html page": ("GET", {"query": "ASK {}"}, {"Accept": "text/html"}, None),
    "bad graph iri": ("GET", {"query": "ASK {}", "default-graph-uri": "not an iri"},
                      {"Accept": JSON}, None),
    "post without type": ("POST", {}, {"Accept": JSON, "Content-Type": "text/plain"}, "ASK {}"),
}


@pytest.mark.parametrize("name", CASES)
def test_the_front_answers_as_the_application(server: ServerProcess,
                                              through_flask: ServerProcess, name: str) -> None:
    method, params, headers, body = CASES[name]
    if body == "two":  # a query in the query string and one in the form body
        answers = [requests.post(f"{base}/sparql", params=params, data={"query": "ASK {}"},
                                 headers=headers, timeout=30)
                   for base in (server.url, through_flask.url)]
    else:
        answers = [_ask(base, method, params, headers, body)
                   for base in (server.url, through_flask.url)]
    front, flask = answers
    here, there = server.url.rsplit(":", 1)[1], through_flask.url.rsplit(":", 1)[1]
    assert front.status_code == flask.status_code, front.text
    # a page's links lead to the host (and port) it was asked of
    assert front.content == flask.content.replace(f":{there}/".encode(), f":{here}/".encode())
    kept = {k.lower(): v for k, v in front.headers.items() if k.lower() not in PER_REQUEST}
    expected = {k.lower(): v.replace(f":{there}/", f":{here}/")
                for k, v in flask.headers.items()
                if k.lower() not in PER_REQUEST and not k.lower().startswith("x-ratelimit")}
    if f":{there}/".encode() in flask.content:  # the port's digits may differ in number
        del kept["content-length"], expected["content-length"]
    for found in (kept, expected):  # hit or miss: whether the server answered it before
        if found.get("x-cache") in ("hit", "miss"):
            found["x-cache"] = "hit or miss"
    assert kept == expected
    assert front.headers["X-Request-Id"]


def test_the_front_echoes_the_request_id_and_logs_the_query(server: ServerProcess) -> None:
    answer = requests.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": JSON, "X-Request-Id": "front-test-1"}, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["X-Request-Id"] == "front-test-1"
    log = server.log.read_text(errors="replace")
    line = next(line for line in log.splitlines() if '"front-test-1"' in line)
    assert '"route":"/sparql"' in line and '"status":200' in line


PARAMETERS = ["", "a", "a=", "=b", "&&a=1&&", "q=%41%42+c", "q=%E2%82%AC%FF%41", "q=%e2%82",
              "q=%e2%82x%ac", "a+b=c+d", "x=%zz%4", "q=é%C3%A9", "a=1=2", "q=%25%32%35",
              "q=%E2%82%AC&q=%F0%9F%98%80&r=%C3", "query=SELECT%20*%0A%7B%3Fs%20%3Fp%20%3Fo%7D"]


@pytest.mark.parametrize("text", PARAMETERS)
def test_parameters_are_read_as_werkzeug_reads_them(text: str) -> None:
    from urllib.parse import parse_qsl

    import werkzeug.urls  # noqa: F401 - the "werkzeug.url_quote" error handler

    assert parse_form(text) == parse_qsl(text, keep_blank_values=True,
                                         errors="werkzeug.url_quote")
