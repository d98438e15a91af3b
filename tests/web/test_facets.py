"""Browsing organisations by facets (``/organisaties``, ``.json``, ``.csv``) through a real
server over the real data, against the embedded and the external store: every state's list is
what its "toon als SPARQL" query answers at ``/sparql``; every offered count is the size of
the list its link leads to; permalinks are canonical; bad parameters are 400s that name them."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from midwest_lod.facets.dimensions import BASIS, FACETS
from tests.web.helpers import ServerProcess
from tests.web.test_home import check_page

pytestmark = pytest.mark.server

#: States of the browser (query strings), from none to several facets at once.
STATES = [
    "",
    "gemeente=36015",
    "gemeente=36015&gemeente=37022",
    "soort=arbeidszorg",
    "gemeente=36015&soort=maatwerkbedrijf",
    "gemeente2024=37015",
    "arrondissement=36000&rechtsvorm=vzw",
    "grondslag=inferred",
    "gemeente=37022&grondslag=stated",
    "thema=voeding&gemeente=36015&grondslag=inferred",
]


def browse(server: ServerProcess, query: str, suffix: str = ".json") -> dict[str, Any]:
    answer = requests.get(f"{server.url}/organisaties{suffix}?{query}", timeout=30)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def sparql_list(server: ServerProcess, query: str) -> list[str]:
    answer = requests.post(server.url + "/sparql", data={"query": query},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return [row["organisatie"]["value"] for row in answer.json()["results"]["bindings"]]


@pytest.mark.parametrize("state", STATES)
def test_list_is_what_its_sparql_query_answers(server: ServerProcess, state: str) -> None:
    body = browse(server, state)
    listed = [organisation["iri"] for organisation in body["organisations"]]
    assert body["total"] == len(listed)
    assert listed == sparql_list(server, body["sparql"])  # same organisations, same order
    link = urlsplit(body["sparql_url"])
    assert link.path == "/sparql" and parse_qs(link.query)["query"] == [body["sparql"]]


@pytest.mark.parametrize("state", STATES)
def test_every_offered_count_is_the_list_it_leads_to(server: ServerProcess, state: str) -> None:
    body = browse(server, state)
    chosen = parse_qs(state)
    for facet in body["facets"]:
        for value in facet["values"]:
            if value["chosen"]:
                assert value["key"] in chosen[facet["name"]]
                continue
            assert value["count"] > 0  # only values that lead somewhere are offered
            followed = requests.get(server.url + value["toggle"], timeout=30).json()
            if facet["name"] in chosen:  # another value of the facet: alternatives add up
                assert followed["total"] >= body["total"]
            else:
                assert followed["total"] == value["count"]


def test_narrowing_and_alternatives(server: ServerProcess) -> None:
    roeselare = browse(server, "gemeente=36015")["total"]
    tielt = browse(server, "gemeente=37022")["total"]
    both = browse(server, "gemeente=36015&gemeente=37022")["total"]
    narrowed = browse(server, "gemeente=36015&soort=maatwerkbedrijf")["total"]
    assert max(roeselare, tielt) <= both <= roeselare + tielt
    assert 0 < narrowed <= roeselare


def test_municipality_today_counts_the_merged_one(server: ServerProcess) -> None:
    """An organisation in Tielt before 2025 is in the merged Tielt (37022) today."""
    before = {o["iri"] for o in browse(server, "gemeente2024=37015")[
        "organisations"]}
    today = {o["iri"] for o in browse(server, "gemeente=37022")["organisations"]}
    assert before and before <= today
    offered = {v["key"] for f in browse(server, "")["facets"] if f["name"] == "gemeente"
               for v in f["values"]}
    assert not offered & {"37015", "37007", "37018", "37012"}  # ended ones are not "today"


def test_every_facet_is_offered(server: ServerProcess) -> None:
    body = browse(server, "")
    assert [f["name"] for f in body["facets"]] == [f.name for f in FACETS]
    offered = {f["name"]: {v["key"] for v in f["values"]} for f in body["facets"]}
    assert offered[BASIS] == {"stated", "inferred"}
    assert all(offered[f.name] for f in FACETS)


def test_permalinks_are_canonical(server: ServerProcess) -> None:
    body = browse(server, "soort=maatwerkbedrijf&gemeente=37022&gemeente=36015")
    assert urlsplit(body["json"]).query == (
        "gemeente=36015&gemeente=37022&soort=maatwerkbedrijf")
    value = next(v for f in body["facets"] if f["name"] == "soort" for v in f["values"]
                 if v["chosen"])
    assert urlsplit(value["toggle"]).query == "gemeente=36015&gemeente=37022"


def test_csv_lists_the_same(server: ServerProcess) -> None:
    state = "gemeente=36015"
    answer = requests.get(f"{server.url}/organisaties.csv?{state}", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [row["organisatie"] for row in rows] == [
        o["iri"] for o in browse(server, state)["organisations"]]
    assert all(row["naam"] for row in rows)


def test_html_page(server: ServerProcess) -> None:
    answer = requests.get(server.url + "/organisaties?gemeente=36015",
                          headers={"Accept": "text/html"}, timeout=30)
    assert answer.status_code == 200
    assert "Accept" in answer.headers["Vary"]
    check_page(answer.text)
    body = browse(server, "gemeente=36015")
    for organisation in body["organisations"]:
        assert f'href="{organisation["href"]}"' in answer.text
    assert "toon als SPARQL" in answer.text
    as_json = requests.get(server.url + "/organisaties?gemeente=36015",
                           headers={"Accept": "application/json"}, timeout=30)
    assert as_json.json()["total"] == body["total"]


def test_paging(server: ServerProcess) -> None:
    body = browse(server, "")
    assert body["page"] == 1 and body["pages"] == 1 and body["next"] is None
    beyond = browse(server, "pagina=2")
    assert beyond["organisations"] == [] and beyond["total"] == body["total"]


@pytest.mark.parametrize(("query", "named"), [
    ("gemeente=99999", "'gemeente'"),
    ("kleur=rood", "'kleur'"),
    ("pagina=0", "'pagina'"),
    ("pagina=x", "'pagina'"),
    ("&".join(["thema=voeding"] * 21), "'thema'"),
])
def test_bad_parameters_are_named(server: ServerProcess, query: str, named: str) -> None:
    answer = requests.get(f"{server.url}/organisaties.json?{query}", timeout=30)
    assert answer.status_code == 400
    assert named in answer.text
