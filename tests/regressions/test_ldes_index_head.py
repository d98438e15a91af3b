"""Regression: every web worker parsed the whole event-stream index, entities and all.

At 100,000 organisations ``history/state.json`` is 213 MB with a million entities; the first
``/ldes`` took 4.9 s and 0.9 GB per web worker, and each further one 0.7 s to write the root
node again. The server now reads only the head of the index (pages, counts), finds an entity
by scanning the file for its key, and writes the root node once per index.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from midwest_lod.history import (
    EntityInfo,
    IndexCache,
    PageInfo,
    State,
    index_has_entity,
    read_index,
    write_index,
)

BASE = "https://data.midwest.be"


def _state(entities: int) -> State:
    return State(
        base_iri=BASE, version="v1", members=entities, first_timestamp="2026-01-01T00:00:00Z",
        last_timestamp="2026-01-01T00:00:00Z",
        pages=[PageInfo(number=1, created="2026-01-01T00:00:00Z", members=entities,
                        first="2026-01-01T00:00:00Z", last="2026-01-01T00:00:00Z",
                        bytes=10, sha256="ab")],
        entities={f"{BASE}/id/organisatie/o{n:06d}é": EntityInfo("f" * 64, "2026-01-01T00:00:00Z",
                                                                  deleted=n % 7 == 0)
                  for n in range(entities)})


@pytest.mark.parametrize("entities", [0, 1, 5000])
def test_the_head_is_the_index_without_its_entities(tmp_path: Path, entities: int) -> None:
    path = tmp_path / "state.json"
    state = _state(entities)
    write_index(path, state)
    head = read_index(path, entities=False)
    assert head is not None and head.entities == {}
    head.entities = state.entities
    assert head == state == read_index(path)


def test_the_head_is_read_without_reading_the_entities(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_index(path, _state(1))
    with path.open("ab") as handle:  # what follows the marker is never parsed
        handle.write(b"x" * 10)
    assert read_index(path, entities=False) is not None
    with pytest.raises(Exception, match="not valid JSON"):
        read_index(path)


def test_an_entity_is_found_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_index(path, _state(20000))  # several MB: the key crosses chunk borders somewhere
    assert json.loads(path.read_text(encoding="utf-8"))["members"] == 20000
    for n in (0, 7, 9999, 19999):
        assert index_has_entity(path, f"{BASE}/id/organisatie/o{n:06d}é")
    for missing in (f"{BASE}/id/organisatie/o020000é", f"{BASE}/id/organisatie/o00000",
                    "sha256", BASE):
        assert not index_has_entity(path, missing)
    assert not index_has_entity(tmp_path / "absent.json", BASE)


def test_the_server_cache_holds_no_entities_and_memoises_per_index(tmp_path: Path) -> None:
    history = tmp_path / "history"
    history.mkdir()
    write_index(history / "state.json", _state(100))
    cache = IndexCache(tmp_path)
    state = cache.get()
    assert state is not None and state.entities == {} and state.members == 100
    assert cache.has_entity(f"{BASE}/id/organisatie/o000042é")
    assert not cache.has_entity(f"{BASE}/id/organisatie/o000100é")
    calls: list[int] = []
    for _ in range(3):
        cache.memo("root", lambda index: calls.append(1) or index.members)  # type: ignore[func-returns-value]
    assert len(calls) == 1
    write_index(history / "state.json", _state(101))  # a new index: computed again
    assert cache.memo("root", lambda index: index.members if index else 0) == 101
