"""The query editor's server side: the page, the built bundle, /sparql/check, /sparql/terms,
/sparql/labels and the short permalinks, through a real server process. (The editor in a
real browser: tests/browser/.)"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
import requests

from midwest_lod.web.blueprints.workbench import syntax_errors
from midwest_lod.web.frontend import DIST, manifest
from midwest_lod.web.http import CONTENT_SECURITY_POLICY, EDITOR_CONTENT_SECURITY_POLICY
from tests.web.helpers import DATA_DIR, ServerProcess, publish_trig

pytestmark = pytest.mark.server

BASE = "https://data.midwest.be"
MW = BASE + "/ns/sociale-economie#"
HTML = {"Accept": "text/html"}
QUERY = {"Content-Type": "application/sparql-query", "Accept": "application/json"}


def _config(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="workbench-config">(.*?)</script>',
                      page, re.DOTALL)
    assert found, "the page carries the editor's configuration"
    config: dict[str, object] = json.loads(found.group(1))
    return config


def test_query_page_loads_the_editor_and_keeps_the_plain_form(server: ServerProcess) -> None:
    response = requests.get(server.url + "/sparql", headers=HTML, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == EDITOR_CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in EDITOR_CONTENT_SECURITY_POLICY
    page = response.text
    assert f'<script src="/static/dist/{manifest()["editor.js"]}" defer></script>' in page
    assert f'href="/static/dist/{manifest()["editor.css"]}"' in page
    # without JavaScript: the form sends the textarea to /sparql
    assert re.search(r'<form id="query-form" method="get" action="/sparql"', page)
    assert '<textarea id="query" name="query"' in page
    config = _config(page)
    assert config["base"] == BASE
    assert config["prefixes"]["mw"] == MW  # type: ignore[index]
    examples = config["examples"]
    assert isinstance(examples, list) and len(examples) >= 5
    assert {f["name"] for f in config["formats"]["solutions"]} >= {"json", "xml", "csv", "tsv"}  # type: ignore[index]
    # other pages have the same policy (the search box's suggestion script)
    home = requests.get(server.url + "/", headers=HTML, timeout=10)
    assert home.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("logical", ["editor.js", "editor.css"])
def test_bundle_is_served_immutable_and_gzipped(server: ServerProcess, logical: str) -> None:
    name = manifest()[logical]
    url = f"{server.url}/static/dist/{name}"
    response = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10)
    raw = response.raw.read()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    on_disk = (DIST / name).read_bytes()
    if len(on_disk) >= 512:
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(raw) == on_disk
    again = requests.get(url, headers={"If-None-Match": response.headers["ETag"]}, timeout=10)
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["/static/dist/manifest.json", "/static/dist/editor-X.js",
                                  "/static/dist/editor.js"])
def test_bundle_serves_only_built_files(server: ServerProcess, path: str) -> None:
    assert requests.get(server.url + path, timeout=10).status_code == 404


CHECKS = [  # query, expected (line, column) of the error or None when it parses
    (f"PREFIX mw: <{MW}>\nSELECT * WHERE {{ ?s a mw:SocialEconomyActor }}", None),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", None),
    ("SELECT ?s ?l WHERE { ?s ?p ?o LATERAL { SELECT ?l WHERE { ?s <urn:label> ?l } LIMIT 1 } }",
     None),  # Oxigraph's grammar, not only SPARQL 1.1
    ("SELECT * {\n ?s ?p ?o\n}}", (3, 3)),
    ("ASK { ?s ?p }", (1, 14)),  # prepared as a SELECT: the position is still the ASK's
]
#: Undeclared prefixes: the embedded endpoint refuses them, as the check does. (The external
#: store's endpoint sends a prologue declaring the vocabulary's prefixes: there they run.)
UNDECLARED = [("SELECT * WHERE { ?s a mw:SocialEconomyActor }", (1, 44)),
              ("SELECT * { ?s a nergens:X }", (1, 26))]


def _check(server: ServerProcess, query: str) -> list[dict[str, object]]:
    response = requests.post(server.url + "/sparql/check", data=query.encode(), headers=QUERY,
                             timeout=10)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    errors: list[dict[str, object]] = response.json()["errors"]
    return errors


@pytest.mark.parametrize(("query", "position"), CHECKS)
def test_check_reports_the_servers_syntax_errors(server: ServerProcess, query: str,
                                                  position: tuple[int, int] | None) -> None:
    errors = _check(server, query)
    run = requests.post(server.url + "/sparql", data={"query": query}, timeout=10)
    if position is None:
        assert errors == []
        assert run.status_code == 200
        return
    assert len(errors) == 1
    assert (errors[0]["line"], errors[0]["column"]) == position
    assert f"at {position[0]}:{position[1]}" in str(errors[0]["message"])
    # the endpoint refuses it too, naming the same place
    assert run.status_code == 400
    if not query.startswith("ASK"):
        assert f"at {position[0]}:{position[1]}" in run.text


@pytest.mark.parametrize(("query", "position"), UNDECLARED)
def test_check_refuses_undeclared_prefixes(server: ServerProcess, query: str,
                                           position: tuple[int, int]) -> None:
    errors = _check(server, query)
    assert [(e["line"], e["column"]) for e in errors] == [position]


@pytest.mark.parametrize(("query", "word"), [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
    ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { " + "{ " * 300 + "}" * 300 + " }", "nests"),
])
def test_check_reports_what_the_endpoint_refuses(server: ServerProcess, query: str,
                                                 word: str) -> None:
    assert word in str(_check(server, query)[0]["message"])


def test_ask_is_checked_without_being_evaluated() -> None:
    # a cross product of 10^12 rows: evaluated, this would not come back
    values = " ".join(str(i) for i in range(1000))
    query = "ASK { " + " ".join(f"VALUES ?v{n} {{ {values} }}" for n in range(4)) + \
        " FILTER(false) }"
    assert syntax_errors(query) == []


@pytest.mark.parametrize(("params", "iri", "label"), [
    ({"kind": "class", "q": "actor", "lang": "en"}, MW + "SocialEconomyActor",
     "Social economy actor"),
    ({"kind": "class", "q": "actor"}, MW + "SocialEconomyActor", "Actor in de sociale economie"),
    ({"kind": "property", "q": "initiatief"}, MW + "initiativeType", "initiatieftype"),
    ({"kind": "entity", "q": "ecocafe"}, None, "Ecocafé"),  # accents and case ignored
    ({"kind": "entity", "q": "eco-café", "lang": "en"}, None, "Eco-café"),
])
def test_terms_complete_by_label_in_dutch_and_english(
        server: ServerProcess, params: dict[str, str], iri: str | None, label: str) -> None:
    response = requests.get(server.url + "/sparql/terms", params=params, timeout=10)
    assert response.status_code == 200
    terms = response.json()["terms"]
    hit = next((t for t in terms if t["label"] == label), None)
    assert hit is not None, terms
    assert hit["kind"] == params["kind"]
    if iri:
        assert hit["iri"] == iri
        assert hit["prefixed"] == "mw:" + iri.rsplit("#", 1)[1]
    else:
        assert hit["iri"].startswith(BASE + "/id/")


@pytest.mark.parametrize(("params", "word"), [
    ({"kind": "thing"}, "'kind'"), ({"lang": "fr"}, "'lang'"), ({"limit": "0"}, "'limit'"),
    ({"limit": "many"}, "'limit'"),
])
def test_terms_name_a_bad_parameter(server: ServerProcess, params: dict[str, str],
                                    word: str) -> None:
    response = requests.get(server.url + "/sparql/terms", params=params,
                            headers={"Accept": "application/json"}, timeout=10)
    assert response.status_code == 400
    assert word in response.json()["error"]


def test_labels_for_result_iris(server: ServerProcess) -> None:
    actor = requests.get(server.url + "/sparql/terms", params={"kind": "entity", "q": "ecocafe"},
                         timeout=10).json()["terms"][0]["iri"]
    response = requests.post(server.url + "/sparql/labels", timeout=10, json={
        "iris": [actor, MW + "initiativeType", "urn:nergens"], "lang": "en"})
    assert response.json()["labels"] == {
        actor: {"value": "Eco-café", "lang": "en"},
        MW + "initiativeType": {"value": "initiative type", "lang": "en"}}
    bad = requests.post(server.url + "/sparql/labels", data="iris", timeout=10,
                        headers={"Accept": "application/json"})
    assert bad.status_code == 400


def test_short_links_survive_restarts_and_new_publications(
        tmp_path: Path) -> None:
    out = tmp_path / "var"
    publish_trig(out, DATA_DIR / "publication.trig")
    query = "SELECT ?s WHERE { ?s ?p \"<é & ü>\" } # ' \"\n"
    first = ServerProcess.start(out, tmp_path / "first.log")
    try:
        made = requests.post(first.url + "/sparql/links", data=query.encode(), headers=QUERY,
                             timeout=10)
        assert made.status_code == 201
        link = made.json()
        assert re.fullmatch(r"/sparql/q/[0-9a-f]{16}", link["url"])
        same = requests.post(first.url + "/sparql/links", data=query.encode(), headers=QUERY,
                             timeout=10)
        assert (same.status_code, same.json()) == (200, link)  # content-addressed
    finally:
        first.stop()
    assert (out / "links" / f"{link['id']}.rq").read_text(encoding="utf-8") == query
    (out / "current").unlink()  # a new publication
    publish_trig(out, DATA_DIR / "publication.trig", version="20260202T000000Z-fixture00001")
    second = ServerProcess.start(out, tmp_path / "second.log")
    try:
        page = requests.get(second.url + link["url"], headers=HTML, timeout=10)
        assert page.status_code == 200
        assert page.headers["Content-Security-Policy"] == EDITOR_CONTENT_SECURITY_POLICY
        textarea = re.search(r'<textarea id="query" name="query"[^>]*>(.*?)</textarea>',
                             page.text, re.DOTALL)
        assert textarea and textarea.group(1) == (
            'SELECT ?s WHERE { ?s ?p &#34;&lt;é &amp; ü&gt;&#34; } # &#39; &#34;\n')
        missing = requests.get(second.url + "/sparql/q/0123456789abcdef", headers=HTML,
                               timeout=10)
        assert missing.status_code == 404
    finally:
        second.stop()


def test_short_links_are_under_the_rate_limit(tmp_path: Path) -> None:
    from midwest_lod.web import create_app

    publish_trig(tmp_path, DATA_DIR / "publication.trig")
    app = create_app({"output_dir": tmp_path, "rate_limit": 2, "TESTING": True})
    try:
        client = app.test_client()
        answers = [client.post("/sparql/links", data=f"ASK {{ ?s ?p {n} }}",
                               headers=QUERY).status_code for n in range(3)]
        assert answers == [201, 201, 429]
        # checking as one types is not limited
        assert client.post("/sparql/check", data="ASK {}", headers=QUERY).status_code == 200
    finally:
        app.extensions["midwest_lod"].query_service.close()
