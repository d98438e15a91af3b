"""The named queries as an HTTP API (web/blueprints/api.py), through a real server (both
backends, tests/web/conftest.py): every query of the catalogue answers its example in every
documented format; bad values get a 400 naming the parameter; values are bound, never run."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyoxigraph as ox
import pytest
import requests
from openapi_spec_validator import validate
from rdflib import Graph

from midwest_lod.named_queries.catalogue import NamedQuery
from midwest_lod.named_queries.openapi import formats_of
from midwest_lod.web.queries import QueryFiles
from tests.web.helpers import ServerProcess

CATALOGUE = QueryFiles().catalogue()
CASES = [(q, f.name) for q in CATALOGUE for f in formats_of(q)]
RDFLIB = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml",
          "nquads": "nquads", "trig": "trig"}


def call(server: ServerProcess, name: str, params: Any = None, **kwargs: Any
         ) -> requests.Response:
    return requests.get(f"{server.url}/api/queries/{name}", params=params, timeout=30,
                        **kwargs)


def rows_of(fmt: str, body: bytes) -> int:
    """The number of rows (or triples) in a well-formed answer; fails on a malformed one."""
    if fmt == "rows":
        data = json.loads(body)
        if "boolean" in data:  # a yes/no query: its example is one that answers yes
            return int(data["boolean"] is True)
        assert set(data["columns"]) >= set().union(*(row.keys() for row in data["rows"]))
        return len(data["rows"])
    if fmt in ("json", "xml", "tsv"):
        found = ox.parse_query_results(body, format={
            "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "tsv": ox.QueryResultsFormat.TSV}[fmt])
        if isinstance(found, ox.QueryBoolean):
            return int(bool(found))
        return len(list(found))
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert table and all(len(row) == len(table[0]) for row in table)
        return len(table) - 1
    return len(Graph().parse(data=body, format=RDFLIB[fmt]))


@pytest.mark.parametrize(("query", "fmt"), CASES, ids=[f"{q.name}-{f}" for q, f in CASES])
def test_every_query_answers_its_example_in_every_format(server: ServerProcess,
                                                         query: NamedQuery, fmt: str) -> None:
    response = call(server, query.name, {**query.sample_values(), "format": fmt})
    assert response.status_code == 200, response.text
    assert rows_of(fmt, response.content) > 0


@pytest.mark.parametrize("query", [q for q in CATALOGUE if q.output != "graph"],
                         ids=lambda q: q.name)
def test_accept_negotiates_and_post_answers_as_get(server: ServerProcess,
                                                   query: NamedQuery) -> None:
    by_get = call(server, query.name, query.sample_values(),
                  headers={"Accept": "application/sparql-results+json"})
    assert by_get.headers["Content-Type"].startswith("application/sparql-results+json")
    by_form = requests.post(f"{server.url}/api/queries/{query.name}",
                            data=query.sample_values(), timeout=30,
                            headers={"Accept": "application/sparql-results+json"})
    by_json = requests.post(f"{server.url}/api/queries/{query.name}",
                            json=query.sample_values(), timeout=30,
                            headers={"Accept": "application/sparql-results+json"})
    assert by_form.status_code == by_json.status_code == 200
    assert by_get.json() == by_form.json() == by_json.json()


def test_the_answer_matches_the_data(server: ServerProcess) -> None:
    rows = call(server, "organisaties-per-gemeente",
                {"gemeente": "https://data.midwest.be/id/gemeente/36015"}).json()["rows"]
    assert {"De Lochting", "Mariasteen", "Pas Par Toe"} <= {r["naam"] for r in rows}
    assert {r["gemeente"] for r in rows} == {"https://data.midwest.be/id/gemeente/36015"}
    before = call(server, "gemeenten-op-datum", {"datum": "2024-12-31"}).json()["rows"]
    after = call(server, "gemeenten-op-datum", {"datum": "2025-01-01"}).json()["rows"]
    assert "37007" in {r["nis"] for r in before} and "37007" not in {r["nis"] for r in after}
    assert "37022" in {r["nis"] for r in after} and "37022" not in {r["nis"] for r in before}
    member = {"gemeente": "https://data.midwest.be/id/gemeente/37015"}  # Tielt until 2024
    assert call(server, "lid-op-datum", {**member, "datum": "2024-12-31"}).json()["boolean"]
    assert not call(server, "lid-op-datum", {**member, "datum": "2025-01-01"}).json()["boolean"]
    themes = call(server, "organisaties-per-thema", [
        ("thema", "https://data.midwest.be/id/concept/Thema/groenzorg"),
        ("thema", "https://data.midwest.be/id/concept/Thema/hergebruik")]).json()["rows"]
    assert {r["themaNaam"] for r in themes} == {"Groenzorg", "Hergebruik"}


def test_paging_with_limit_offset_and_a_next_link(server: ServerProcess) -> None:
    whole = call(server, "afgeleide-beweringen", {"limit": 6}).json()
    first = call(server, "afgeleide-beweringen", {"limit": 3})
    assert first.json()["rows"] == whole["rows"][:3]
    following = requests.get(server.url + first.links["next"]["url"], timeout=30).json()
    assert following["offset"] == 3 and following["rows"] == whole["rows"][3:6]


BAD = [
    ("gemeenten-op-datum", {"datum": "2024-02-30"}, "datum"),
    ("gemeenten-op-datum", {"datum": ["2024-01-01", "2024-01-02"]}, "datum"),
    ("organisaties-per-gemeente", {}, "gemeente"),
    ("organisaties-per-gemeente", {"gemeente": "roeselare"}, "gemeente"),
    ("organisaties-per-gemeente", {"gemeente": "https://data.midwest.be/id/gemeente/99999"},
     "gemeente"),
    ("organisaties-per-thema", {"thema": "https://data.midwest.be/id/concept/Thema/x"},
     "thema"),
    ("themas", {"taal": "fr"}, "taal"),
    ("basisprincipes", {"taal": "nl nl"}, "taal"),
    ("zoek-organisaties", {"zoekterm": "x" * 501}, "zoekterm"),
    ("afgeleide-beweringen", {"limit": "0"}, "limit"),
    ("afgeleide-beweringen", {"offset": "-1"}, "offset"),
    ("themas", {"limit": "5"}, "limit"),
    ("themas", {"format": "yaml"}, "format"),
    ("themas", {"thema": "x"}, "thema"),
]


@pytest.mark.parametrize(("name", "params", "parameter"), BAD,
                         ids=[f"{n}-{p}" for n, _, p in BAD])
def test_a_bad_value_is_a_400_naming_the_parameter(server: ServerProcess, name: str,
                                                   params: dict[str, Any],
                                                   parameter: str) -> None:
    response = call(server, name, params, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert f"'{parameter}'" in response.json()["error"]


def test_an_unknown_query_is_a_404(server: ServerProcess) -> None:
    assert call(server, "bestaat-niet").status_code == 404


@pytest.mark.parametrize("attempt", [
    'lochting")) } UNION { ?organisatie ?p ?gevonden } #',
    "lochting' || true || '",
    '") } } ; DROP ALL ; SELECT * { ("',
])
def test_a_string_is_bound_as_a_value_not_executed(server: ServerProcess, attempt: str) -> None:
    response = call(server, "zoek-organisaties", {"zoekterm": attempt})
    assert response.status_code == 200
    assert response.json()["rows"] == []  # no organisation's name contains the text
    assert call(server, "zoek-organisaties", {"zoekterm": "lochting"}).json()["rows"]


@pytest.mark.parametrize("attempt", [
    "https://data.midwest.be/id/organisatie/de-lochting> ?p ?o } UNION { ?entiteit ?p ?o",
    "https://data.midwest.be/id/organisatie/de-lochting>#",
    "https://x.org/\u0000",
])
def test_an_iri_that_would_break_out_is_refused(server: ServerProcess, attempt: str) -> None:
    for name in ("herkomst-van-beweringen", "beschrijving"):
        response = call(server, name, {"entiteit": attempt},
                        headers={"Accept": "application/json"})
        assert response.status_code == 400
        assert "'entiteit'" in response.json()["error"]


def test_the_openapi_document_is_valid_and_describes_the_catalogue(server: ServerProcess
                                                                   ) -> None:
    response = requests.get(server.url + "/api/openapi.json", timeout=30)
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    operations = {path: item for path, item in document["paths"].items()
                  if path.startswith("/api/queries/")}
    assert set(operations) == {f"/api/queries/{q.name}" for q in CATALOGUE}
    for query in CATALOGUE:
        get = operations[f"/api/queries/{query.name}"]["get"]
        documented = {p["name"]: p for p in get["parameters"]}
        assert {p.name for p in query.parameters} <= set(documented)
        formats = set(get["responses"]["200"]["content"])
        assert formats == {f.media_type for f in formats_of(query)}
        for p in query.parameters:
            if p.of:  # an enumeration drawn from the data, listed in the document
                schema = documented[p.name]["schema"]
                values = (schema["items"] if p.many else schema)["enum"]
                assert values and set(query.sample_values()[p.name]) <= set(values)


def test_the_catalogue_listing_and_the_sparql_page_examples(server: ServerProcess) -> None:
    listing = requests.get(server.url + "/api/queries", timeout=30).json()["queries"]
    assert [q["name"] for q in listing] == [q.name for q in CATALOGUE]
    page = requests.get(server.url + "/sparql", headers={"Accept": "text/html"}, timeout=30)
    for query in CATALOGUE:  # the /sparql page's examples are the catalogue
        assert f'href="/api/queries/{query.name}"' in page.text


def test_answers_are_cached_and_revalidated_like_sparql(server: ServerProcess) -> None:
    params = {"datum": "2023-03-01", "format": "csv"}
    first = call(server, "gemeenten-op-datum", params)
    again = call(server, "gemeenten-op-datum", params)
    assert first.status_code == again.status_code == 200
    assert again.headers["X-Cache"] == "hit" and again.content == first.content
    etag = first.headers["ETag"]
    revalidated = call(server, "gemeenten-op-datum", params, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    other_day = call(server, "gemeenten-op-datum", {**params, "datum": "2023-03-02"})
    assert other_day.headers["ETag"] != etag  # the values are part of the key
