"""The real npm ``ldes-client`` replays ``/ldes`` of a real server and keeps in sync.

The build's base IRI is the server's URL, so the ``tree:Node`` IRIs are the URLs the client
fetches: no ``--url-is-view`` or ``--loose`` is needed. The client runs with ``--materialize``
and a saved state (``--save``), as a consumer that stays in sync would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from midwest_lod.history import STATE, history_dir
from tests.ldes.conftest import (
    T1,
    T3,
    LiveStream,
    Member,
    changed_between,
    materialize,
    remove_site,
    rename_service,
    run_client,
    stamp,
    store_entities,
    store_member_contents,
)

pytestmark = [pytest.mark.server, pytest.mark.slow]


def _open_page_members(stream: LiveStream) -> int:
    state = json.loads((history_dir(stream.out) / STATE).read_text(encoding="utf-8"))
    return int(state["pages"][-1]["members"])


def test_replay_then_sync_fetches_only_the_new_versions(
    live_stream: LiveStream, ldes_client: Path, tmp_path: Path
) -> None:
    stream = live_stream
    first_version = (stream.out / "current").resolve()
    before = store_entities(first_version, stream.base)
    # what a member carries: the statements and their provenance (input files, lines)
    before_members = store_member_contents(first_version, stream.base, before)
    state = tmp_path / "client-state"

    # 1. From an empty state the client replays the stream and ends with exactly the current
    #    entities, each with the store's triples.
    replay = run_client(ldes_client, stream.base + "/ldes", state)
    assert len(replay) == len(before), "one member per entity after the first build"
    assert {m.timestamp for m in replay} == {stamp(T1)}
    assert not any(m.deleted for m in replay)
    replayed = materialize(replay)
    assert set(replayed) == set(before)
    for entity, pairs in before.items():
        assert replayed[entity] == pairs, entity

    # 2. A data change, published with a page size that closes the open page: the client
    #    (same saved state) gets exactly the new versions and the tombstone, nothing else, and
    #    does not fetch again the pages that were full (immutable) when it last read them.
    full_before = [n for n in range(1, 1000) if stream.requests_for(f"/ldes/{n}")]
    rename_service(stream.data)
    remove_site(stream.data)
    stream.build(T3, ldes_page_size=_open_page_members(stream) + 1)
    after = store_entities((stream.out / "current").resolve(), stream.base)
    changed, removed = changed_between(before_members, store_member_contents(
        (stream.out / "current").resolve(), stream.base, after))
    assert changed and removed, "the edit changes entities and removes one"
    assert changed > changed_between(before, after)[0], (
        "the edited files' other entities get a new version: their provenance names the "
        "input file by checksum and the line")
    log_before = {n: stream.requests_for(f"/ldes/{n}") for n in full_before}

    update = run_client(ldes_client, stream.base + "/ldes", state)
    assert {m.timestamp for m in update} == {stamp(T3)}
    assert sorted(m.entity for m in update) == sorted(changed | removed), "only new versions"
    assert {m.entity for m in update if m.deleted} == removed
    synced = materialize(update, into=replayed)
    assert set(synced) == set(after)
    for entity, pairs in after.items():
        assert synced[entity] == pairs, entity

    # The full pages of the first run were not fetched again; the open one and the new were.
    # ldes-client 0.3.0 records a page as immutable after it marks the page finished, and it
    # may close (and save its state) in between: in about one run in five the page it
    # finished last is missing from its state and is fetched again. The page says immutable
    # (tests/ldes/test_http.py); at most that one page is fetched again.
    immutable_then = full_before[:-1]
    fetched_again = [number for number in immutable_then
                     if stream.requests_for(f"/ldes/{number}") != log_before[number]]
    assert len(fetched_again) <= 1, fetched_again
    assert stream.requests_for(f"/ldes/{full_before[-1]}") > log_before[full_before[-1]]
    assert stream.requests_for(f"/ldes/{full_before[-1] + 1}") >= 1, "the new page"

    # 3. Nothing new: the client emits nothing.
    assert run_client(ldes_client, stream.base + "/ldes", state) == []


def test_a_fresh_client_replays_the_whole_history(
    live_stream: LiveStream, ldes_client: Path, tmp_path: Path
) -> None:
    """After the change, a new consumer replays every version and ends with the current data
    (the removed site is gone: the tombstone is applied)."""
    current = store_entities((live_stream.out / "current").resolve(), live_stream.base)
    members = run_client(ldes_client, live_stream.base + "/ldes", tmp_path / "fresh",
                         "--ordered", "ascending")
    timestamps = [m.timestamp for m in members]
    assert timestamps == sorted(timestamps), "--ordered ascending emits in time order"
    final = materialize(members)
    assert set(final) == set(current)
    for entity, pairs in current.items():
        assert final[entity] == pairs, entity
    versions = [(m.entity, m.timestamp) for m in members]
    assert len(versions) == len(set(versions)), "no member twice"


def test_the_replica_holds_each_entity_with_its_provenance(
    live_stream: LiveStream, ldes_client: Path, tmp_path: Path
) -> None:
    """Issue 10.5: a replica built by the npm client holds, for every entity, exactly what
    SPARQL over the current version gives (queries/entity-provenance.rq): its statements in
    their assertion graphs, and the provenance of those graphs with their activities and input
    files (docs/decisions/0015-provenance-everywhere.md)."""
    current = (live_stream.out / "current").resolve()
    members = run_client(ldes_client, live_stream.base + "/ldes", tmp_path / "replica",
                         "--ordered", "ascending")
    latest: dict[str, Member] = {}
    for member in members:  # in time order: the last version of each entity wins
        if member.deleted:
            latest.pop(member.entity, None)
        else:
            latest[member.entity] = member
    expected = store_member_contents(current, live_stream.base,
                                     store_entities(current, live_stream.base))
    assert set(latest) == set(expected)
    for entity, (statements, provenance) in expected.items():
        assert statements, entity
        assert provenance, f"{entity} has provenance in the store"
        assert latest[entity].statements == statements, entity
        assert latest[entity].provenance == provenance, entity
    bases = {o for member in latest.values() for _, p, o in member.provenance
             if p.endswith("sociale-economie#basis")}
    assert bases == {f"<{live_stream.base}/ns/sociale-economie#stated>",
                     f"<{live_stream.base}/ns/sociale-economie#inferred>"}, "both bases travel"
