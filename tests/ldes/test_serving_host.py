"""Issue 13.4: served from a host other than the base IRI's, every link a client follows keeps
it on the serving host, while identifiers stay the base IRI's
(docs/decisions/0014-serving-host.md).

The session's ``server`` runs the real publication under the default base IRI
(``https://data.midwest.be``) on ``http://127.0.0.1:PORT``. The npm ``ldes-client`` replays
``/ldes`` from there with every request it makes recorded by a preloaded hook
(``record_requests.cjs``): it completes, and it made no request to another host.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from midwest_lod.config import Settings
from tests.ldes.conftest import parse_members, store_entities, text
from tests.web.helpers import ServerProcess

pytestmark = [pytest.mark.server]

HOOK = Path(__file__).with_name("record_requests.cjs")
BASE = Settings.load({}).base_iri
LINKS = {
    "http://www.w3.org/ns/dcat#accessURL", "http://www.w3.org/ns/dcat#downloadURL",
    "http://www.w3.org/ns/dcat#endpointURL", "http://www.w3.org/ns/dcat#endpointDescription",
    "http://www.w3.org/ns/dcat#landingPage", "http://rdfs.org/ns/void#dataDump",
    "http://rdfs.org/ns/void#sparqlEndpoint", "https://w3id.org/tree#node",
}
PART_OF = "http://purl.org/dc/terms/isPartOf"


def _triples(response: requests.Response) -> list[ox.Triple]:
    assert response.status_code == 200, response.text[:300]
    return [q.triple if isinstance(q, ox.Quad) else q
            for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]


def test_the_npm_client_replays_the_stream_without_leaving_the_serving_host(
        server: ServerProcess, real_publication: Path, ldes_client: Path,
        tmp_path: Path) -> None:
    assert not server.url.startswith(BASE), "the server must run under another host"
    recorded = tmp_path / "requests.txt"
    recorded.touch()
    completed = subprocess.run(
        [str(ldes_client), server.url + "/ldes", "--materialize"],
        capture_output=True, text=True, timeout=180, check=False, cwd=tmp_path,
        env={**os.environ, "RECORD_REQUESTS": str(recorded),
             "NODE_OPTIONS": f"--require {HOOK}"})
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "error" not in completed.stderr.lower(), completed.stderr[-3000:]

    urls = recorded.read_text(encoding="utf-8").split()
    assert server.url + "/ldes" in urls, f"the hook saw the client's requests: {urls}"
    elsewhere = [url for url in urls if not url.startswith(server.url + "/")]
    assert elsewhere == [], "requests to another host"

    # ... and it completed: one member per entity of the published version, with the base
    # IRI's identifiers, every page fetched from this host.
    entities = store_entities((real_publication / "current").resolve(), BASE)
    members = parse_members(completed.stdout)
    assert {m.entity for m in members} == set(entities)
    pages = {url for url in urls if url.startswith(server.url + "/ldes/")}
    assert pages, "the client followed the relations to the pages"
    root = _triples(requests.get(server.url + "/ldes",
                                 headers={"Accept": "application/n-triples"}, timeout=20))
    related = {text(t.object) for t in root
               if t.predicate.value == "https://w3id.org/tree#node"}
    assert related and related <= pages | {server.url + "/ldes"}


@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void", "/ldes", "/ldes/1",
                                  "/doc/distributie/midwest-sociale-economie-ttl",
                                  "/doc/dataservice/ldes"])
def test_links_lead_to_the_serving_host_and_identifiers_stay(
        server: ServerProcess, path: str) -> None:
    triples = _triples(requests.get(server.url + path,
                                    headers={"Accept": "application/n-triples"}, timeout=20))
    # a page of the stream links only to the stream it is part of (docs/decisions/0004)
    linking = LINKS | ({PART_OF} if path.startswith("/ldes/") else set())
    links = [text(t.object) for t in triples if t.predicate.value in linking]
    assert links, f"{path} has links"
    assert all(link.startswith(server.url) for link in links), links
    for link in {link for link in links if "/dumps/" in link or link.endswith("/sparql")}:
        assert requests.head(link, timeout=20).status_code == 200, link
    iris = {text(term) for t in triples for term in (t.subject, t.object)
            if isinstance(term, ox.NamedNode)}
    assert any(iri.startswith(BASE + "/id/") for iri in iris), "identifiers stay the base's"
    assert not any(iri.startswith(BASE) and not iri.startswith((BASE + "/id/", BASE + "/ns/"))
                   for iri in iris), "no link to the base IRI's host is left"


def test_the_base_host_keeps_the_base_iri_links(server: ServerProcess) -> None:
    """A request that names the base IRI's host (as behind its proxy) gets the base's URLs."""
    host = BASE.split("://", 1)[1]
    response = requests.get(server.url + "/catalog", timeout=20,
                            headers={"Accept": "application/n-triples", "Host": host})
    downloads = {text(t.object) for t in _triples(response)
                 if t.predicate.value == "http://www.w3.org/ns/dcat#downloadURL"}
    assert downloads and all(d.startswith(BASE + "/dumps/") for d in downloads), downloads


def test_the_service_description_names_the_serving_endpoint(server: ServerProcess) -> None:
    triples = _triples(requests.get(server.url + "/sparql",
                                    headers={"Accept": "application/n-triples"}, timeout=20))
    endpoints = {text(t.object) for t in triples if t.predicate.value
                 == "http://www.w3.org/ns/sparql-service-description#endpoint"}
    assert endpoints == {server.url + "/sparql"}


@pytest.mark.parametrize("path", ["/", "/dumps/", "/catalog", "/.well-known/void", "/sparql",
                                  "/doc/distributie/midwest-sociale-economie-ttl",
                                  "/doc/dataservice/ldes", "/ns/sociale-economie"])
def test_html_pages_link_on_the_serving_host(server: ServerProcess, path: str) -> None:
    """Page links are paths (or the serving host's URLs), never the base IRI's host."""
    response = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=20)
    assert response.status_code == 200
    hrefs = re.findall(r'(?:href|src|action)="([^"]*)"', response.text)
    assert hrefs, path
    assert not [h for h in hrefs if h.startswith(BASE)], path
