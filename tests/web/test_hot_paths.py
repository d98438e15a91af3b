"""The shortcuts of the hot paths (docs/benchmark.md) answer exactly what the long way does:
compressed documents kept per version, negotiation remembered per Accept header, the
existence check skipped for a document already rendered (the lexer's word scan:
tests/sparql/test_lexer.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from flask.testing import FlaskClient

DOC = "/doc/organisatie/mariasteen"


@pytest.mark.parametrize("accept", ["text/turtle", "text/html", "application/ld+json",
                                    "application/n-triples", "application/rdf+xml"])
def test_kept_gzip_body_is_the_document(client: FlaskClient, accept: str) -> None:
    plain = client.get(DOC, headers={"Accept": accept})
    for _ in range(2):  # rendered and compressed, then both from the cache
        packed = client.get(DOC, headers={"Accept": accept, "Accept-Encoding": "gzip"})
        assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.data) == plain.data
        assert packed.headers["Content-Type"] == plain.headers["Content-Type"]
        assert packed.headers["ETag"] == plain.headers["ETag"]
        assert "Accept-Encoding" in packed.headers["Vary"] and "Accept" in packed.headers["Vary"]
    again = client.get(DOC, headers={"Accept": accept, "Accept-Encoding": "identity"})
    assert "Content-Encoding" not in again.headers and again.data == plain.data


def test_remembered_negotiation_follows_each_accept_header(client: FlaskClient) -> None:
    for _ in range(2):
        for accept, media_type in (("text/turtle", "text/turtle"),
                                   ("text/html;q=0.5, text/turtle", "text/turtle"),
                                   ("text/html, text/turtle;q=0.5", "text/html"),
                                   ("application/ld+json", "application/ld+json"),
                                   ("text/plain", "application/n-triples")):
            response = client.get(DOC, headers={"Accept": accept})
            assert response.status_code == 200 and response.mimetype == media_type, accept
        assert client.get(DOC, headers={"Accept": "image/png"}).status_code == 406


def test_unknown_stays_404_whatever_was_rendered_before(client: FlaskClient) -> None:
    assert client.get(DOC, headers={"Accept": "text/turtle"}).status_code == 200
    unknown = "/doc/organisatie/does-not-exist"
    for headers in ({"Accept": "text/turtle"}, {"Accept": "image/png"},
                    {"Accept": "text/turtle", "If-None-Match": "*"}):
        assert client.get(unknown, headers=headers).status_code == 404
    known = client.get(DOC, headers={"Accept": "text/turtle"})
    etag = known.headers["ETag"]
    assert client.get(DOC, headers={"Accept": "text/turtle",
                                    "If-None-Match": etag}).status_code == 304
    assert client.get(unknown, headers={"Accept": "text/turtle",
                                        "If-None-Match": etag}).status_code == 404


# --- the worker reads a solution's values in order, not by name ----------------------------------

@pytest.mark.parametrize("query", [
    "SELECT ?y ?x WHERE { BIND(1 AS ?x) }",
    "SELECT * WHERE { VALUES (?b ?a) { (1 UNDEF) (UNDEF 2) (3 4) } }",
    "SELECT (1 AS ?z) ?a WHERE {}",
    "SELECT ?s ?label WHERE { ?s a <http://www.w3.org/ns/org#Organization> "
    "OPTIONAL { ?s <http://nothing> ?label } } LIMIT 5",
])
def test_rows_in_variable_order(real_publication: Path, query: str) -> None:
    import json

    from pyoxigraph import Store

    from midwest_lod.web.query.worker import Job, evaluate

    store = Store.read_only(str(real_publication / "current" / "store"))
    reply = evaluate(store, Job(store_path="", query=query, solutions_format="json",
                                graph_format=None, row_limit=100))
    expected = store.query(query, use_default_graph_as_union=True)
    variables = [v.value for v in expected.variables]
    by_name = [{v: s[v].value for v in variables if s[v] is not None} for s in expected]
    got = json.loads(reply.body)
    assert got["head"]["vars"] == variables
    assert [{k: b["value"] for k, b in row.items()} for row in got["results"]["bindings"]] \
        == by_name
