"""Compact JSON-LD documents (midwest_lod.jsonld) through a real server: the published context
on the serving host, language maps, the expanded profile on request (also when Accept carries
it with a lower quality than another format), stable bytes, and a round trip in rdflib and pyld
that loses no triple."""

from __future__ import annotations

import json

import pytest
import requests
from pyld import jsonld as pyld  # type: ignore[import-untyped]
from rdflib import Graph
from rdflib.compare import isomorphic

from midwest_lod import jsonld
from midwest_lod.vocab import DEFAULT_BASE
from tests.web.helpers import ServerProcess

pytestmark = pytest.mark.server

COMPACT = "application/ld+json"
EXPANDED = f'application/ld+json;profile="{jsonld.EXPANDED}"'
DOCUMENTS = ["/doc/organisatie/mariasteen", "/doc/gemeente/36015", "/doc/regio/midwest",
             "/catalog", "/.well-known/void", "/ns/sociale-economie"]


def get(server: ServerProcess, path: str, accept: str) -> requests.Response:
    response = requests.get(server.url + path, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200, response.text
    return response


def turtle(server: ServerProcess, path: str) -> Graph:
    return Graph().parse(data=get(server, path, "text/turtle").text, format="turtle")


@pytest.mark.parametrize("path", DOCUMENTS)
def test_compact_by_default_and_round_trips(server: ServerProcess, path: str) -> None:
    response = get(server, path, COMPACT)
    assert response.headers["Content-Type"] == (
        f'application/ld+json; profile="{jsonld.COMPACTED}"')
    document = response.json()
    context = server.url + "/ns/context.jsonld"  # on the serving host, not the base IRI's
    assert document["@context"] == context
    assert f'<{context}>; rel="http://www.w3.org/ns/json-ld#context"' in response.headers["Link"]
    # rdflib follows the context link to this server
    parsed = Graph().parse(data=response.text, format="json-ld", base=server.url)
    assert len(parsed) > 0 and isomorphic(parsed, turtle(server, path))


@pytest.mark.parametrize("path", DOCUMENTS[:3])
def test_pyld_expands_the_compact_form_to_the_same_graph(server: ServerProcess,
                                                         path: str) -> None:
    compact = get(server, path, COMPACT).json()
    compact["@context"] = get(server, "/ns/context.jsonld", COMPACT).json()["@context"]
    nquads = pyld.to_rdf(compact, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), turtle(server, path))


def test_readable_keys(server: ServerProcess) -> None:
    document = get(server, "/doc/organisatie/mariasteen", COMPACT).json()
    node = next(n for n in document.get("@graph", [document])
                if n["id"].endswith("/id/organisatie/mariasteen"))
    assert "SocialEconomyActor" in node["type"]
    assert node["prefLabel"] == {"nl": "Mariasteen"}  # a language map
    assert all(":" not in key or key.startswith("@") for key in node if key != "id"), node.keys()


@pytest.mark.parametrize("accept", [EXPANDED, f"{EXPANDED};q=0.9, text/turtle;q=0.5"])
def test_expanded_on_request(server: ServerProcess, accept: str) -> None:
    response = get(server, "/doc/organisatie/mariasteen", accept)
    assert response.headers["Content-Type"] == (
        f'application/ld+json; profile="{jsonld.EXPANDED}"')
    document = response.json()
    assert isinstance(document, list)
    assert all(key.startswith(("@", "http")) for node in document for key in node)
    compact = get(server, "/doc/organisatie/mariasteen", COMPACT)
    assert response.headers["ETag"] != compact.headers["ETag"]
    assert "Accept" in response.headers["Vary"]


def test_same_bytes_each_time(server: ServerProcess) -> None:
    first = get(server, "/doc/gemeente/36015", COMPACT).content
    second = requests.get(server.url + "/doc/gemeente/36015.jsonld", timeout=30).content
    assert first == second


def test_context_document(server: ServerProcess) -> None:
    response = get(server, "/ns/context.jsonld", "application/ld+json")
    assert response.headers["Content-Type"].startswith("application/ld+json")
    context = response.json()["@context"]
    assert context["@version"] == 1.1
    assert context["mw"] == DEFAULT_BASE + "/ns/sociale-economie#"
    assert context["dcat"] == "http://www.w3.org/ns/dcat#"
    again = requests.get(server.url + "/ns/context.jsonld",
                         headers={"If-None-Match": response.headers["ETag"]}, timeout=30)
    assert again.status_code == 304


def test_no_context_is_loaded_from_the_network() -> None:
    """pyld's default loader is ours: it refuses instead of fetching."""
    with pytest.raises(pyld.JsonLdError):
        pyld.compact({"http://schema.org/name": "x"}, "https://example.org/context.jsonld")
    assert json.loads(jsonld.expanded([])) == []
