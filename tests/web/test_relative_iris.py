"""Regression (issue 13.3): relative IRIs in a query resolve against the endpoint's IRI
``{base_iri}/sparql`` instead of being refused with 400, in the embedded engine and through an
external store (tests/web/conftest.py runs these against both).

The query is the W3C SPARQL 1.1 Protocol test ``query_content_type_construct``
(https://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_content_type_construct):
``CONSTRUCT { <s> <p> 1 } WHERE {}`` sent as ``application/sparql-query``, and as a form.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests

from midwest_lod.config import Settings
from tests.web.helpers import ServerProcess

W3C_QUERY = "CONSTRUCT { <s> <p> 1 } WHERE {}"
ENDPOINT = Settings.load({}).base_iri + "/sparql"


def _post(server: ServerProcess, how: str, query: str) -> requests.Response:
    headers = {"Accept": "application/n-triples"}
    if how == "direct":
        return requests.post(server.url + "/sparql", data=query.encode("utf-8"),
                             headers={**headers, "Content-Type": "application/sparql-query"},
                             timeout=20)
    return requests.post(server.url + "/sparql", data={"query": query}, headers=headers,
                         timeout=20)


@pytest.mark.parametrize("how", ["direct", "form"])
def test_w3c_relative_iri_construct_resolves_against_the_endpoint(
        server: ServerProcess, how: str) -> None:
    response = _post(server, how, W3C_QUERY)
    assert response.status_code == 200, response.text[:500]
    triples = [q.triple if isinstance(q, ox.Quad) else q
               for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
    base = ENDPOINT.rsplit("/", 1)[0]  # RFC 3986: <s> against …/sparql is …/s
    assert triples == [ox.Triple(ox.NamedNode(base + "/s"), ox.NamedNode(base + "/p"),
                                 ox.Literal("1", datatype=ox.NamedNode(
                                     "http://www.w3.org/2001/XMLSchema#integer")))]


def test_a_base_in_the_query_still_wins(server: ServerProcess) -> None:
    response = _post(server, "direct", "BASE <http://example.org/x/>\n" + W3C_QUERY)
    assert response.status_code == 200, response.text[:500]
    assert b"<http://example.org/x/s> <http://example.org/x/p>" in response.content


def test_error_positions_still_point_into_the_query(server: ServerProcess) -> None:
    """The external store gets a one-line BASE prologue; its error positions are moved back."""
    response = requests.post(server.url + "/sparql", data="SELECT * WHERE {\n  <s> ?p \n}",
                             headers={"Content-Type": "application/sparql-query",
                                      "Accept": "application/json"}, timeout=20)
    assert response.status_code == 400
    assert "line 3" in " ".join(response.json()["errors"]), response.json()


def test_the_service_description_names_the_base(server: ServerProcess) -> None:
    response = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"},
                            timeout=20)
    assert response.status_code == 200
    assert f"<{ENDPOINT}>".encode() in response.content
    assert b"relatieve IRI" in response.content
