"""The reconciliation service end to end, through a real server process over the real data:
an exchange as OpenRefine makes it (API 0.2), the same services in the 1.0 draft, and the
errors. Every JSON answer is validated against the specification's schema of its version
(tests/reconcile/schemas.py).

What OpenRefine sends is taken from its source (StandardReconConfig, GuessTypesOfColumnCommand,
recon-manager.js; docs/research/finding-prototype-2026-12.md): the manifest by GET with CORS;
reconciliation by a form POST of ``queries=`` (ids ``q0``, ``q1``…, the type as a string,
``type_strict: "should"`` whenever a type is set, ``limit`` only when set, property values
as strings or ``{"id", "name"}`` of a reconciled column); type guessing as a batch of sample
cells with ``limit: 3``; data extension by a form POST of ``extend=``; suggestions, property
proposals and previews at the URLs the manifest gives.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
import requests

from tests.reconcile.schemas import assert_valid
from tests.web.helpers import ServerProcess

ORIGIN = {"Origin": "http://127.0.0.1:3333"}  # OpenRefine's own web page
OPENREFINE_BATCH = {
    "q0": {"query": "MARIASTEEN VZW", "type": "SocialEconomyActor", "type_strict": "should"},
    "q1": {"query": "Lochting", "type": "SocialEconomyActor", "type_strict": "should",
           "properties": [{"pid": "municipality", "v": "Izegem"}]},
    "q2": {"query": "Troev", "type": "SocialEconomyActor", "type_strict": "should",
           "properties": [{"pid": "municipality",
                           "v": {"id": "https://data.midwest.be/id/gemeente/37015",
                                 "name": "Tielt"}},
                          {"pid": "postcode", "v": "8700"}], "limit": 3},
    "q3": {"query": "Optimat"},
}


def _json(response: requests.Response, version: str, schema: str) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert_valid(version, schema, body)
    return body


@pytest.fixture(scope="module")
def manifest(server: ServerProcess) -> dict[str, Any]:
    response = requests.get(server.url + "/reconcile", headers=ORIGIN, timeout=30)
    return _json(response, "0.2", "manifest")  # type: ignore[no-any-return]


def _service(manifest: dict[str, Any], *keys: str) -> str:
    entry = manifest
    for key in keys:
        entry = entry[key]
    return str(entry["service_url"]) + str(entry["service_path"])


def _reconcile(server: ServerProcess, batch: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(server.url + "/reconcile", data={"queries": json.dumps(batch)},
                             headers=ORIGIN, timeout=30)
    return _json(response, "0.2", "reconciliation-result-batch")  # type: ignore[no-any-return]


# --- 0.2, as OpenRefine asks ---------------------------------------------------------------------

def test_the_manifest_names_this_server_and_the_identifier_space(
        server: ServerProcess, manifest: dict[str, Any]) -> None:
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == "https://data.midwest.be/id/organisatie/"
    assert manifest["schemaSpace"] == "https://data.midwest.be/ns/sociale-economie#"
    assert manifest["defaultTypes"][0]["id"] == "SocialEconomyActor"
    for kind in ("entity", "type", "property"):
        assert _service(manifest, "suggest", kind).startswith(server.url + "/reconcile/")
    # the view link of a candidate is its page on this server
    page = requests.get(manifest["view"]["url"].replace("{{id}}", quote("mariasteen", safe="")),
                        headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "Mariasteen" in page.text


def test_a_batch_of_openrefine_finds_each_organisation_first(server: ServerProcess) -> None:
    results = _reconcile(server, OPENREFINE_BATCH)
    assert list(results) == ["q0", "q1", "q2", "q3"]
    firsts = {qid: found["result"][0] for qid, found in results.items()}
    assert {qid: first["id"] for qid, first in firsts.items()} == {
        "q0": "mariasteen", "q1": "de-lochting", "q2": "troev", "q3": "optimat"}
    assert all(first["match"] for first in firsts.values())
    troev = {f["id"]: f["value"] for f in firsts["q2"]["features"]}
    assert troev == {"name": 1.0, "name_exact": True, "municipality": 1.0, "postcode": True,
                     "type": True}
    assert firsts["q2"]["score"] == 100
    assert len(results["q2"]["result"]) <= 3
    for found in results.values():  # best first
        scores = [candidate["score"] for candidate in found["result"]]
        assert scores == sorted(scores, reverse=True)
    assert {"id": "SocialEconomyActor", "name": "Actor in de sociale economie"} in \
        firsts["q0"]["type"]


def test_the_same_batch_by_get_answers_the_same(server: ServerProcess) -> None:
    got = requests.get(server.url + "/reconcile", params={"queries": json.dumps(OPENREFINE_BATCH)},
                       headers=ORIGIN, timeout=30)
    assert _json(got, "0.2", "reconciliation-result-batch") == _reconcile(server, OPENREFINE_BATCH)


def test_type_guessing_gets_the_types_of_the_sample_cells(server: ServerProcess) -> None:
    cells = ["Mariasteen", "De Lochting vzw", "Weerwerk", "Kringwinkel Midwest"]
    results = _reconcile(server, {f"q{n}": {"query": cell, "limit": 3}
                                  for n, cell in enumerate(cells)})
    for found in results.values():
        assert "SocialEconomyActor" in [t["id"] for t in found["result"][0]["type"]]


def test_an_enterprise_number_we_do_not_know_is_no_mismatch(server: ServerProcess) -> None:
    """No source gives the actors' enterprise numbers: a spreadsheet's number (looked up by
    SPARQL) finds nothing and counts neither for nor against."""
    results = _reconcile(server, {"q0": {"query": "Mariasteen", "properties": [
        {"pid": "enterpriseNumber", "v": "0999.999.999"}]}})
    first = results["q0"]["result"][0]
    assert (first["id"], first["match"]) == ("mariasteen", True)
    assert "enterprise_number" not in {f["id"] for f in first["features"]}
    alone = _reconcile(server, {"q0": {"properties": [
        {"pid": "enterpriseNumber", "v": "0999.999.999"}]}})
    assert alone == {"q0": {"result": []}}


def test_a_name_that_is_nowhere_finds_nothing(server: ServerProcess) -> None:
    results = _reconcile(server, {"q0": {"query": "Xylofoonfabriek Zuid"}})
    assert results == {"q0": {"result": []}}


@pytest.mark.parametrize(("kind", "prefix", "schema", "expected"), [
    ("entity", "marias", "suggest-entities-response", "mariasteen"),
    ("entity", "kringw", "suggest-entities-response", "kringwinkel-midwest"),
    ("type", "actor", "suggest-types-response", "SocialEconomyActor"),
    ("property", "gem", "suggest-properties-response", "municipality"),
    ("property", "ondern", "suggest-properties-response", "enterpriseNumber"),
])
def test_suggestions_at_the_manifests_urls(manifest: dict[str, Any], kind: str, prefix: str,
                                           schema: str, expected: str) -> None:
    params = {"prefix": prefix}
    if kind == "property":
        params["type"] = "SocialEconomyActor"  # OpenRefine sends the column's type
    response = requests.get(_service(manifest, "suggest", kind), params=params, headers=ORIGIN,
                            timeout=30)
    result = _json(response, "0.2", schema)["result"]
    assert result and result[0]["id"] == expected


def test_data_extension_adds_the_proposed_properties(server: ServerProcess,
                                                     manifest: dict[str, Any]) -> None:
    proposal = _json(requests.get(_service(manifest, "extend", "propose_properties"),
                                  params={"type": "SocialEconomyActor"}, headers=ORIGIN,
                                  timeout=30), "0.2", "data-extension-property-proposal")
    proposed = [p["id"] for p in proposal["properties"]]
    assert {"municipality", "legalName", "legalForm", "foundingDate"} <= set(proposed)
    query = {"ids": ["mariasteen", "troev", "geen-organisatie"],
             "properties": [{"id": pid} for pid in proposed]}
    response = requests.post(server.url + "/reconcile", data={"extend": json.dumps(query)},
                             headers=ORIGIN, timeout=30)
    body = _json(response, "0.2", "data-extension-response")
    assert [m["id"] for m in body["meta"]] == proposed
    mariasteen = body["rows"]["mariasteen"]
    assert mariasteen["legalName"] == [{"str": "Mariasteen vzw"}]
    assert mariasteen["foundingDate"] == [{"int": 1963}]
    assert {"str": "Hooglede"} in mariasteen["municipality"]
    assert body["rows"]["troev"]["legalName"] == [{"str": "TROEV vzw"}]
    assert all(values == [] for values in body["rows"]["geen-organisatie"].values())


def test_the_preview_is_a_page_a_client_may_frame(manifest: dict[str, Any]) -> None:
    url = manifest["preview"]["url"].replace("{{id}}", quote("kringwinkel-midwest", safe=""))
    response = requests.get(url, headers=ORIGIN, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "vzw De Kringwinkel Midden-West-Vlaanderen" in response.text
    assert "Ingelmunster" in response.text


# --- 1.0 draft ------------------------------------------------------------------------------------

def test_the_draft_services(server: ServerProcess) -> None:
    base = server.url + "/reconcile/v1"
    manifest = _json(requests.get(base + "/", headers=ORIGIN, timeout=30), "1.0-draft",
                     "manifest")
    assert manifest["versions"] == ["1.0-draft"] and manifest["standardizedScore"] is True
    preflight = requests.options(base + "/match", headers={
        **ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=30)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    queries = {"queries": [
        {"type": "SocialEconomyActor", "limit": 3, "conditions": [
            {"matchType": "name", "propertyValue": "De Kringwinkel Midden-West-Vlaanderen"}]},
        {"conditions": [
            {"matchType": "name", "propertyValue": "Pas-par-Toe"},
            {"matchType": "property", "propertyId": "postcode", "propertyValue": "8800",
             "required": True}]},
        {"conditions": [  # required, and it is not where the spreadsheet says
            {"matchType": "name", "propertyValue": "Pas Par Toe"},
            {"matchType": "property", "propertyId": "municipality", "propertyValue": "Staden",
             "required": True}]},
    ]}
    results = _json(requests.post(base + "/match", json=queries, headers=ORIGIN, timeout=30),
                    "1.0-draft", "reconciliation-result-batch")["results"]
    assert [found["candidates"][0]["id"] for found in results[:2]] == [
        "kringwinkel-midwest", "pas-par-toe"]
    assert results[2]["candidates"] == []
    first = results[1]["candidates"][0]
    assert first["match"] is True and 0 <= first["score"] <= 100
    assert {"id": "postcode", "name": "Postcode komt overeen", "value": True} in \
        first["features"]
    for kind, schema, prefix in (("entity", "suggest-entities-response", "troe"),
                                 ("property", "suggest-properties-response", "post"),
                                 ("type", "suggest-types-response", "org")):
        response = requests.get(f"{base}/suggest/{kind}", params={"prefix": prefix, "limit": 5},
                                headers=ORIGIN, timeout=30)
        assert _json(response, "1.0-draft", schema)["result"]
    proposal = _json(requests.get(base + "/extend/propose", params={"limit": 2},
                                  headers=ORIGIN, timeout=30),
                     "1.0-draft", "data-extension-property-proposal")
    assert len(proposal["properties"]) == 2
    extension = _json(requests.post(base + "/extend", json={
        "ids": ["troev"], "properties": [{"id": "legalName"}, {"id": "municipality"}]},
        headers=ORIGIN, timeout=30), "1.0-draft", "data-extension-response")
    assert extension["rows"] == [{"id": "troev", "properties": [
        {"id": "legalName", "values": [{"str": "TROEV vzw", "lang": "nl"}]},
        {"id": "municipality", "values": [{"str": "Tielt (tot 2024)"}]}]}]
    preview = requests.get(base + "/preview", params={"id": "troev"}, timeout=30)
    assert preview.status_code == 200 and "TROEV vzw" in preview.text


# --- errors: what is wrong, and where ---------------------------------------------------------

JSON_ERRORS = {"Accept": "application/json"}


@pytest.mark.parametrize(("data", "status", "says"), [
    ({"queries": '{"q0": {"query": "Mariasteen"'}, 400, "The field 'queries' is not JSON"),
    ({"queries": '["Mariasteen"]'}, 400, "must be a JSON object of queries"),
    ({"queries": json.dumps({"q0": {"query": "Troev", "properties": [
        {"pid": "kleur", "v": "rood"}]}})}, 400, "queries/q0/properties/0: unknown property"),
    ({"queries": json.dumps({"q0": {"limit": 3}})}, 400, "queries/q0 needs a 'query'"),
    ({"queries": json.dumps({"q0": {"query": "Troev", "typ": "x"}})}, 400,
     "queries/q0: unknown field(s) typ"),
    ({"queries": json.dumps({f"q{n}": {"query": "Troev"} for n in range(51)})}, 413,
     "51 queries; at most 50"),
    ({"queries": json.dumps({"q0": {"query": "Troev " * 100}})}, 400,
     "queries/q0: the name is 600 characters long"),
    ({"extend": json.dumps({"ids": ["troev"], "properties": [{"id": "kleur"}]})}, 400,
     "extend/properties/0: unknown property"),
    ({}, 400, "Send 'queries'"),
])
def test_a_bad_request_says_what_is_wrong(server: ServerProcess, data: dict[str, str],
                                          status: int, says: str) -> None:
    response = requests.post(server.url + "/reconcile", data=data, headers=JSON_ERRORS,
                             timeout=30)
    assert response.status_code == status
    assert says in response.json()["error"]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "says"), [
    ("post", "/reconcile/v1/match", {"data": "queries"}, 415, "application/json"),
    ("post", "/reconcile/v1/match", {"json": {"queries": [{"conditions": [
        {"matchType": "id", "propertyValue": "troev"}]}]}}, 400, "queries/0/conditions/0"),
    ("get", "/reconcile/suggest/entity", {}, 400, "'prefix' is missing"),
    ("get", "/reconcile/v1/suggest/entity?prefix=a&limit=x", {}, 400, "'limit'"),
    ("get", "/reconcile/preview?id=niemand", {}, 404, "niemand"),
])
def test_a_bad_request_to_a_service_says_what_is_wrong(
        server: ServerProcess, method: str, path: str, kwargs: dict[str, Any], status: int,
        says: str) -> None:
    response = requests.request(method, server.url + path, headers=JSON_ERRORS, timeout=30,
                                **kwargs)
    assert response.status_code == status
    assert says in response.json()["error"]
