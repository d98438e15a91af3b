"""Regression: the event stream held a whole version in memory while preparing its members.

At 100,000 organisations (11.5 M quads in ``canonical.nq``, ~1 M entities) the publish stage
peaked at 6.7 GB (benchmark, 2026-11-27): ``entity_contents`` read every entity's triples into
one dict, ``changes`` kept the lines of every changed entity and the pages were built as byte
buffers before being written. Now the entities stream from the sorted file one at a time and
their members go straight to the page files: memory is the index (one small record per
entity) plus one entity and one page.
"""

from __future__ import annotations

import inspect
import json
import tracemalloc
from pathlib import Path

import pytest

from midwest_lod.config import Settings
from midwest_lod.history import (
    PENDING,
    STATE,
    EntityInfo,
    PageInfo,
    State,
    history_dir,
    page_path,
    read_index,
    write_index,
)
from midwest_lod.iris import Iris
from midwest_lod.pipeline import eventstream
from midwest_lod.pipeline.eventstream import pages
from midwest_lod.pipeline.eventstream.changes import entity_contents

BASE = "https://data.midwest.be"
ENTITIES = 3000
LINES = 20  # statements per entity
PAGE_SIZE = 100


def _canonical(path: Path, entities: int = ENTITIES, edition: str = "") -> int:
    """A sorted ``canonical.nq`` of organisations (plus lines that are no entity's)."""
    graph = f"<{BASE}/id/bewering/organisaties>"
    system = f"<{BASE}/id/graaf/provenance>"
    lines = []
    for number in range(entities):
        subject = f"<{BASE}/id/organisatie/{number:05d}>"
        for index in range(LINES):
            lines.append(f'{subject} <{BASE}/ns/p{index:02d}> "value {index} of organisation '
                         f'{number}, padded to look like real data{edition}" {graph} .\n')
        lines.append(f"{subject} <{BASE}/ns/p00> \"value 0 of organisation {number}, padded "
                     f"to look like real data\" <{BASE}/id/bewering/again> .\n")  # 2nd graph
        lines.append(f'{subject} <{BASE}/ns/source> "provenance" {system} .\n')
    data = "".join(sorted(lines)).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def test_entities_are_read_lazily(tmp_path: Path) -> None:
    canonical = tmp_path / "canonical.nq"
    _canonical(canonical)
    contents = entity_contents(canonical, Iris(BASE))
    assert inspect.isgenerator(contents), "one entity at a time, not a dict of all of them"
    entity, lines = next(contents)
    assert entity == f"{BASE}/id/organisatie/00000"
    # one line per statement and assertion graph (the same triple from two sources is two)
    assert len(lines) == LINES + 1 and lines == sorted(lines)
    assert sum(1 for _ in contents) == ENTITIES - 1


def test_preparing_the_stream_does_not_hold_the_version(tmp_path: Path) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    staged.mkdir()
    size = _canonical(staged / "canonical.nq")
    settings = Settings.load({"output_dir": out, "base_iri": BASE, "ldes_page_size": PAGE_SIZE})
    manifest = {"built_at": "2026-11-27T10:00:00Z", "version": "20261127T100000Z-test"}

    tracemalloc.start()
    try:
        with eventstream.recording(settings, staged, manifest) as recording:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert recording.added == ENTITIES
            pending = read_index(history_dir(out) / PENDING)
            assert pending is not None and pending.members == ENTITIES
            assert len(pending.pages) == ENTITIES // PAGE_SIZE + 1
            assert all(page.full for page in pending.pages[:-1])
            last = pending.pages[-1]
            assert page_path(history_dir(out), last.number).stat().st_size == last.bytes
    finally:
        tracemalloc.stop()
    # Not published (no `current`): everything it wrote is gone again.
    assert not (history_dir(out) / PENDING).exists()
    assert not (history_dir(out) / STATE).exists()
    assert not list((history_dir(out) / "pages").glob("*.nt"))
    # The old implementation peaked at several times the file (every line of every entity);
    # the index of 3,000 entities and one page are a small fraction of it.
    assert peak < size / 4, f"peak {peak} bytes while preparing a {size}-byte canonical.nq"


def _digest(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != ".lock"}


def test_a_build_that_fails_while_writing_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Members are written as they come: a failure half-way (here after the committed open page
    and two new pages got members) is undone, as when everything was written at the end."""
    staged, out = tmp_path / "staged", tmp_path / "out"
    staged.mkdir()
    _canonical(staged / "canonical.nq", entities=350)
    settings = Settings.load({"output_dir": out, "base_iri": BASE, "ldes_page_size": PAGE_SIZE})
    (out / "versions" / "v1").mkdir(parents=True)
    with eventstream.recording(settings, staged, {"built_at": "2026-11-27T10:00:00Z",
                                                  "version": "v1"}):
        (out / "current").symlink_to("versions/v1")  # what promote() does
    committed = read_index(history_dir(out) / STATE)
    assert committed is not None and committed.members == 350 and len(committed.pages) == 4
    before = _digest(history_dir(out))

    _canonical(staged / "canonical.nq", entities=400, edition=" (edited)")
    calls = 0
    block = pages.member_block

    def failing(*args: object, **kwargs: object) -> bytes:
        nonlocal calls
        calls += 1
        if calls > 250:
            raise OSError("disk full")
        return block(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pages, "member_block", failing)
    with pytest.raises(OSError, match="disk full"), eventstream.recording(
            settings, staged, {"built_at": "2026-11-28T10:00:00Z", "version": "v2"}):
        pass
    assert _digest(history_dir(out)) == before
    monkeypatch.undo()
    with eventstream.recording(settings, staged, {"built_at": "2026-11-28T10:00:00Z",
                                                  "version": "v2"}) as recording:
        assert recording.added == 400
        (out / "versions" / "v2").mkdir()
        (out / "current").unlink()
        (out / "current").symlink_to("versions/v2")
    state = read_index(history_dir(out) / STATE)
    assert state is not None and state.members == 750 and len(state.pages) == 8
    assert [page.members for page in state.pages] == [100] * 7 + [50]
    for page in committed.pages[:-1]:  # full pages are never written again
        assert page_path(history_dir(out), page.number).read_bytes() == before[
            f"pages/{page.number}.nt"]


def test_the_index_is_written_as_before(tmp_path: Path) -> None:
    """``write_index`` streams the entities but writes the same bytes as one ``json.dumps``."""
    empty = State(base_iri=BASE)
    state = State(base_iri=BASE, version="v", members=3, first_timestamp="2026-11-27T10:00:00Z",
                  last_timestamp="2026-11-28T10:00:00Z",
                  pages=[PageInfo(1, "2026-11-27T10:00:00Z", 3, bytes=10, full=True),
                         PageInfo(2, "2026-11-28T10:00:00Z")],
                  entities={f"{BASE}/id/organisatie/{n}-é\"": EntityInfo("ab" * 32, "t", n == 3)
                            for n in range(5000, 0, -1)})
    for index in (empty, state):
        write_index(tmp_path / "index.json", index)
        expected = json.dumps(index.to_json(), indent=1) + "\n"
        assert (tmp_path / "index.json").read_bytes() == expected.encode("utf-8")
        assert read_index(tmp_path / "index.json") == index
