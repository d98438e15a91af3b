"""Enterprise numbers, which no source gives for the ten actors yet, on a hand-made
publication (tests/reconcile/data/registered.trig: two organisations named "Het Anker", each
with a made-up number): the number finds its organisation without a name, decides between
namesakes, and is extended into a column."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from midwest_lod.web import create_app
from tests.reconcile.schemas import assert_valid
from tests.web.helpers import publish_trig

DATA = Path(__file__).parent / "data" / "registered.trig"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    folder = tmp_path_factory.mktemp("registered")
    publish_trig(folder, DATA)
    app = create_app({"output_dir": folder, "TESTING": True})
    yield app.test_client()
    app.extensions["midwest_lod"].query_service.close()


def reconcile(client: FlaskClient, query: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/reconcile", data={"queries": json.dumps({"q0": query})})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_valid("0.2", "reconciliation-result-batch", response.json)
    return response.json["q0"]["result"]  # type: ignore[no-any-return,index]


@pytest.mark.parametrize("number", ["0123.456.789", "BE 0123 456 789", "123456789"])
def test_the_number_alone_finds_its_organisation(client: FlaskClient, number: str) -> None:
    found = reconcile(client, {"properties": [{"pid": "enterpriseNumber", "v": number}]})
    assert [c["id"] for c in found] == ["het-anker"]
    assert found[0]["match"] is True and found[0]["score"] == 90
    assert found[0]["features"] == [{"id": "enterprise_number", "value": True}]


def test_the_number_decides_between_namesakes(client: FlaskClient) -> None:
    alone = reconcile(client, {"query": "Het Anker"})
    assert {c["id"] for c in alone} == {"het-anker", "het-anker-izegem"}
    assert not any(c["match"] for c in alone)  # the same name twice: ask
    found = reconcile(client, {"query": "Het Anker", "properties": [
        {"pid": "enterpriseNumber", "v": "0987.654.321"}]})
    assert [(c["id"], c["match"]) for c in found] == [("het-anker-izegem", True),
                                                      ("het-anker", False)]
    assert found[1]["score"] == 85 - 50


def test_the_number_is_extended_into_a_column(client: FlaskClient) -> None:
    response = client.post("/reconcile", data={"extend": json.dumps(
        {"ids": ["het-anker"], "properties": [{"id": "enterpriseNumber"}]})})
    assert_valid("0.2", "data-extension-response", response.json)
    assert response.json["rows"] == {"het-anker": {"enterpriseNumber": [{"str": "0123456789"}]}}
