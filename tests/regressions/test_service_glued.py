"""Regression: SERVICE glued to the token before it slipped past the refusal (SSRF).

pyoxigraph's parser matches keywords and literals without a word boundary: ``1SERVICE``,
``1e5SERVICE``, ``trueSERVICE``, ``SERVICESILENT`` and ``SERVICE:x`` (with an empty prefix
declared) are a SERVICE call to it, while the lexer read one number, one word or a prefixed
name and found no keyword: the endpoint made the outbound request. The lexer now reads numbers
as the grammar does and refuses a query with SERVICE anywhere outside strings, IRIs,
comments, variables, language tags and the local part of prefixed names (so a prefix named
``service`` is refused too).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from flask import Flask
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store

from midwest_lod.sparql import analyse
from tests.web.helpers import Listener

XSD = "http://www.w3.org/2001/XMLSchema#"
GLUED = ["1SERVICE", "1.5SERVICE", "1e5SERVICE", "1E5SERVICE", "-1SERVICE", "trueSERVICE",
         "falseSERVICE", "?o SERVICESILENT", "?o sErViCeSiLeNt", "1service"]


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


def _queries(port: int) -> list[str]:
    far = f"<http://127.0.0.1:{port}/>"
    queries = [f"SELECT * WHERE {{ ?s ?p {glued} {far} {{ ?a ?b ?c }} }}" for glued in GLUED]
    queries.append(f"PREFIX : <http://127.0.0.1:{port}/>\n"
                   "SELECT * WHERE { ?s ?p ?o { SERVICE:x { ?a ?b ?c } } }")
    queries.append(f"PREFIX : <http://127.0.0.1:{port}/> PREFIX service: <http://e/>\n"
                   "SELECT * WHERE { ?s ?p ?o . service:x { ?a ?b ?c } }")
    return queries


def test_the_engine_would_call_out(listener: Listener) -> None:
    """What the refusal protects against: these parse, and call the service."""
    store = Store()
    for value, kind in (("1", "integer"), ("1.5", "decimal"), ("1e5", "double"),
                        ("-1", "integer"), ("true", "boolean"), ("false", "boolean")):
        store.add(Quad(NamedNode("http://s"), NamedNode("http://p"),
                       Literal(value, datatype=NamedNode(XSD + kind)), DefaultGraph()))
    for query in _queries(listener.port)[:7]:
        with contextlib.suppress(OSError):  # the connection is closed at once
            list(store.query(query))  # type: ignore[arg-type]
    assert listener.made() >= 5


def test_glued_service_is_refused(app: Flask, listener: Listener) -> None:
    for query in _queries(listener.port):
        assert analyse(query).has_service, query
        response = app.test_client().post("/sparql", data={"query": query})
        assert response.status_code == 400, (query, response.get_data())
        assert "SERVICE (federated query) is not supported" in response.get_data(as_text=True)
    assert listener.made() == 0


def test_service_in_names_and_strings_is_still_allowed(app: Flask) -> None:
    for query in [
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT * { ?s a dcat:DataService } LIMIT 1",
        'SELECT ?service { BIND("SERVICE" AS ?service) }',
        "SELECT * { ?s <http://e/SERVICE> ?o } LIMIT 1 # SERVICE",
        "SELECT * { ?s ?p 15 } LIMIT 1",
        "SELECT * { ?s ?p 1.5e3 . ?s ?p -2 } LIMIT 1",
    ]:
        assert not analyse(query).has_service, query
        response = app.test_client().post("/sparql", data={"query": query},
                                          headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, (query, response.get_data())
