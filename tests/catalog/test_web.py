"""``/catalog`` and ``/.well-known/void`` over HTTP: negotiation, validators, CORS; and every
URL the catalogue and the VoID description give resolves on a running server."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from rdflib import RDF, Graph, URIRef

from midwest_lod.iris import Iris
from midwest_lod.vocab import DCAT, VOID
from tests.web.helpers import ServerProcess

DOCUMENTS = ("/catalog", "/.well-known/void")
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld",
             "application/n-triples": "nt", "application/rdf+xml": "xml"}


@pytest.mark.parametrize("path", DOCUMENTS)
@pytest.mark.parametrize("media_type", [*RDF_TYPES, "text/html"])
def test_negotiated(client: FlaskClient, iris: Iris, path: str, media_type: str) -> None:
    response = client.get(path, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Content-Location"].startswith(path + ".")
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    if media_type in RDF_TYPES:
        data = response.data
        if media_type == "application/ld+json":  # compact: its context from this application
            document = json.loads(data)
            document["@context"] = client.get(urlsplit(document["@context"]).path).get_json()[
                "@context"]
            data = json.dumps(document).encode()
        graph = Graph().parse(data=data, format=RDF_TYPES[media_type])
        expected = DCAT.Dataset if path == "/catalog" else VOID.Dataset
        assert (URIRef(iris.dataset), RDF.type, expected) in graph


@pytest.mark.parametrize("path", DOCUMENTS)
def test_extension_validators_and_cors(client: FlaskClient, path: str) -> None:
    response = client.get(path + ".ttl", headers={"Origin": "https://example.org"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(path + ".ttl", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    since = client.get(path, headers={"Accept": "text/turtle",
                                      "If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(path, headers={"Accept": "image/png"}).status_code == 406
    assert client.get(path + ".xyz").status_code == 404


def test_catalogue_served_equals_the_metadata_graph_part(client: FlaskClient,
                                                        catalog: Graph) -> None:
    served = Graph().parse(data=client.get("/catalog.nt").data, format="nt")
    assert set(served) == set(catalog)


def _urls(graph: Graph, iris: Iris, predicates: tuple[URIRef, ...]) -> set[str]:
    return {str(o) for p in predicates for o in graph.objects(None, p)
            if str(o).startswith(iris.base + "/")}


def test_every_catalogue_url_resolves(server: ServerProcess, app: Flask, catalog: Graph,
                                      void: Graph, iris: Iris) -> None:
    urls = _urls(catalog, iris, (DCAT.downloadURL, DCAT.accessURL, DCAT.endpointURL,
                                 DCAT.endpointDescription))
    urls |= _urls(void, iris, (VOID.dataDump, VOID.sparqlEndpoint, VOID.exampleResource))
    urls |= {iris.base + path for path in DOCUMENTS}
    served = {rule.rule for rule in app.url_map.iter_rules()}
    if not any(rule == "/ldes" or rule.startswith("/ldes/") for rule in served):
        urls.discard(iris.base + "/ldes")  # the event stream is a sibling task, not yet served
    assert len(urls) >= 8
    failures = {}
    for url in sorted(urls):
        response = requests.get(server.url + url[len(iris.base):], timeout=10,
                                headers={"Accept": "text/turtle, */*;q=0.1"})
        if not 200 <= response.status_code < 300:
            failures[url] = response.status_code
    assert not failures
