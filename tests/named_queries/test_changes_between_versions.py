"""The named query ``veranderingen-tussen-versies`` (what changed between two published
versions) over a real history: four builds of the real data (the same input twice, then a
renamed service and a removed site, then the site back), served by a real server process.

What must come out is computed independently of the event stream and of the query: from the
data graphs of each version's store (tests/ldes/conftest.py, ``store_entities``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from tests.ldes.conftest import (
    T1,
    T2,
    T3,
    T4,
    build,
    copy_data,
    remove_site,
    rename_service,
    stamp,
    store_entities,
    store_member_contents,
)
from tests.web.helpers import ServerProcess

pytestmark = pytest.mark.server

BASE = "https://data.midwest.be"
NAME = "veranderingen-tussen-versies"
#: entity -> what its event-stream member holds: its statements with their assertion graphs
#: and their provenance (an edit of the input file changes the provenance of every entity it
#: describes: decision 0015), as SPARQL over the version gives them
Entities = dict[str, tuple[frozenset[tuple[str, str, str]], frozenset[tuple[str, str, str]]]]


@dataclass
class History:
    server: ServerProcess
    versions: dict[str, str]  # T1..T4 -> version id
    entities: dict[str, Entities]  # T1..T4 -> the version's entities and their statements


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    root = tmp_path_factory.mktemp("versions")
    data, out = copy_data(root / "data"), root / "out"
    site_file = data / "actors" / "de-lochting.yaml"
    original = site_file.read_text(encoding="utf-8")
    versions, entities = {}, {}
    for name, moment in (("T1", T1), ("T2", T2), ("T3", T3), ("T4", T4)):
        if name == "T3":
            rename_service(data)
            remove_site(data)
        if name == "T4":
            site_file.write_text(original, encoding="utf-8")
        result = build(data, out, moment)
        assert result.version is not None
        versions[name] = result.version.id
        contents = store_member_contents(result.version.path, BASE,
                                         store_entities(result.version.path, BASE))
        entities[name] = {iri: (frozenset(statements), frozenset(provenance))
                          for iri, (statements, provenance) in contents.items()}
    server = ServerProcess.start(out, root / "server.log")
    try:
        yield History(server, versions, entities)
    finally:
        server.stop()


def changes(history: History, **params: str) -> dict[str, tuple[str, str]]:
    """entity -> (verandering, tijdstip), every page read."""
    found: dict[str, tuple[str, str]] = {}
    url: str | None = f"{history.server.url}/api/queries/{NAME}"
    query: dict[str, str] | None = {**params, "limit": "50"}
    while url:
        response = requests.get(url, params=query, headers={"Accept": "application/json"},
                                timeout=30)
        assert response.status_code == 200, response.text
        body = response.json()
        for row in body["rows"]:
            assert row["entiteit"] not in found, "one row per entity"
            assert row["lid"] == f"{row['entiteit']}/{row['tijdstip']}", "the stream's member"
            found[row["entiteit"]] = (row["verandering"], row["tijdstip"])
        url = history.server.url + body["next"] if body["next"] else None
        query = None
    return found


def expected(before: Entities, after: Entities) -> dict[str, str]:
    out = {iri: "toegevoegd" for iri in set(after) - set(before)}
    out.update({iri: "verwijderd" for iri in set(before) - set(after)})
    out.update({iri: "gewijzigd" for iri in set(before) & set(after)
                if before[iri] != after[iri]})
    return out


def test_without_versions_everything_current_was_added(history: History) -> None:
    found = changes(history)
    assert {iri: kind for iri, (kind, _) in found.items()} == \
        {iri: "toegevoegd" for iri in history.entities["T4"]}


def test_a_version_with_the_same_input_changed_nothing(history: History) -> None:
    assert changes(history, van=history.versions["T1"], tot=history.versions["T2"]) == {}


@pytest.mark.parametrize(("start", "end"), [("T2", "T3"), ("T3", "T4"), ("T1", "T3")])
def test_the_changes_between_two_versions(history: History, start: str, end: str) -> None:
    found = changes(history, van=history.versions[start], tot=history.versions[end])
    want = expected(history.entities[start], history.entities[end])
    assert want, "the data edits change something"
    assert {iri: kind for iri, (kind, _) in found.items()} == want
    assert {when for _, when in found.values()} <= {stamp(T3), stamp(T4)}


def test_an_entity_removed_and_back_changed_over_the_whole_period(history: History) -> None:
    removed = set(history.entities["T2"]) - set(history.entities["T3"])
    assert removed
    # by time instead of id, and without an end: up to the current version
    found = changes(history, van=stamp(T1))
    for iri in removed:
        assert found[iri] == ("gewijzigd", stamp(T4))


@pytest.mark.parametrize("value", ["gisteren", "2026-03-01", "20260301T090000Z-XYZ"])
def test_a_value_that_is_no_version_is_a_400_naming_it(history: History, value: str) -> None:
    response = requests.get(f"{history.server.url}/api/queries/{NAME}",
                            params={"van": value}, timeout=30)
    assert response.status_code == 400
    assert "'van'" in response.text and "version" in response.text
