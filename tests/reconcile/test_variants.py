"""Each of the ten actors (data/actors/*.yaml), written as real spreadsheets write it, is the
first candidate: legal-form words added or dotted, upper case, "De"/"Den" dropped, the words
run together or split, the municipality in the name, a locality that was a municipality
before 1977 (Gits for Hooglede) or the municipality Tielt merged with in 2025 (Meulebeke).
``match`` says whether OpenRefine may match it without asking (the first candidate scores at
least 85 and clearly more than the next)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import yaml

from midwest_lod.assets import asset_dir
from tests.reconcile.schemas import assert_valid
from tests.web.helpers import ServerProcess

#: actor key, name in the spreadsheet, municipality column (or None), matched without asking
VARIANTS = [
    ("mariasteen", "MARIASTEEN VZW", None, True),
    ("mariasteen", "Mariasteen v.z.w.", "Gits", True),
    ("de-lochting", "vzw De Lochting", None, True),
    ("de-lochting", "Lochting", "Roeselare", True),
    ("de-lochting", "DE LOCHTING V.Z.W.", "Izegem", True),
    ("kringwinkel-midwest", "De Kringwinkel Midden-West-Vlaanderen vzw", None, True),
    ("kringwinkel-midwest", "Kringwinkel Midwest", "Ingelmunster", True),
    ("kringwinkel-midwest", "Kringwinkel Midwest Roeselare", None, False),
    ("troev", "TROEV VZW", "Tielt", True),
    ("troev", "Troev", "Meulebeke", True),
    ("optimat", "Optimat", "Lichtervelde", True),
    ("optimat", "Optima-T", None, False),
    ("pas-par-toe", "Pas-par-Toe", "Roeselare", True),
    ("pas-par-toe", "PasParToe", None, False),
    ("de-bieweg", "Bieweg", None, True),
    ("de-bieweg", "De Bieweg vzw", None, True),
    ("de-rinkel", "Rinkel", None, True),
    ("de-rinkel", "DE RINKEL VZW", None, True),
    ("den-tatsevoet", "Tatsevoet", None, True),
    ("den-tatsevoet", "Den Tatsevoet vzw", None, True),
    ("weerwerk", "Weerwerk vzw", None, True),
    ("weerwerk", "WEERWERK", None, True),
]


def test_the_table_covers_every_actor() -> None:
    keys = {yaml.safe_load(path.read_text(encoding="utf-8"))["key"]
            for path in Path(asset_dir("data"), "actors").glob("*.yaml")}
    assert len(keys) == 10
    assert {key for key, *_ in VARIANTS} == keys


@pytest.mark.parametrize(("key", "name", "municipality", "match"), VARIANTS,
                         ids=[f"{k}:{n}:{m}" for k, n, m, _ in VARIANTS])
def test_a_variant_finds_its_organisation_first(server: ServerProcess, key: str, name: str,
                                                municipality: str | None, match: bool) -> None:
    query: dict[str, object] = {"query": name, "type": "SocialEconomyActor",
                                "type_strict": "should"}
    if municipality:
        query["properties"] = [{"pid": "municipality", "v": municipality}]
    response = requests.post(server.url + "/reconcile",
                             data={"queries": json.dumps({"q0": query})}, timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    assert_valid("0.2", "reconciliation-result-batch", body)
    result = body["q0"]["result"]
    assert result, f"nothing found for {name!r}"
    assert result[0]["id"] == key, [(c["id"], c["score"]) for c in result]
    assert result[0]["match"] is match, result[0]
    if municipality:
        assert {"id": "municipality", "value": 0.5 if municipality == "Meulebeke" else 1.0} \
            in result[0]["features"]
