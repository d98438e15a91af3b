"""The history a sequence of builds leaves in ``<output_dir>/history/``.

One timeline of builds (page size 2, so that pages fill and close often) of a private copy of
the real data:

1. ``T1`` the data as it is;
2. ``T2`` the same data again;
3. ``T3`` a service renamed and a site removed;
4. ``T4`` the site back.

What the stream must contain is computed from the published stores (SPARQL), not with the
event-stream code.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from midwest_lod.config import Settings
from midwest_lod.errors import PublicationError
from midwest_lod.history import LOCK, PENDING, STATE, effective_index, history_dir
from midwest_lod.pipeline import eventstream, run_build
from midwest_lod.publication import current_target
from tests.ldes.conftest import (
    AS_DELETE,
    DCT_IS_VERSION_OF,
    DCT_MODIFIED,
    RDF_TYPE,
    REMOVED_SITE,
    T1,
    T2,
    T3,
    T4,
    Statements,
    build,
    changed_between,
    copy_data,
    remove_site,
    rename_service,
    stamp,
    store_entities,
    store_member_contents,
    text,
)

BASE = "https://data.midwest.be"
TREE = "https://w3id.org/tree#"
LDES = "https://w3id.org/ldes#"
PAGE_SIZE = 2


@dataclass
class StreamMember:
    version: str
    entity: str
    timestamp: str
    deleted: bool
    pairs: set[tuple[str, str]] = field(default_factory=set)  # without the stream's own
    statements: Statements = field(default_factory=set)  # (predicate, object, assertion graph)
    provenance: Statements = field(default_factory=set)  # in the graph named by the version


@dataclass
class Snapshot:
    """The history and the published entities after one build."""

    version: Path
    state: dict[str, object]
    pages: dict[int, bytes]
    entities: dict[str, set[tuple[str, str]]]
    #: entity → (statements, provenance) from SPARQL (queries/entity-provenance.rq)
    contents: dict[str, tuple[Statements, Statements]]

    @property
    def page_infos(self) -> list[dict[str, object]]:
        return self.state["pages"]  # type: ignore[return-value]

    def members(self) -> list[StreamMember]:
        return [m for number in sorted(self.pages) for m in parse_page(self.pages[number])]


def parse_page(data: bytes) -> list[StreamMember]:
    quads = [q if isinstance(q, ox.Quad) else ox.Quad(*q)
             for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)]
    order = [text(q.object) for q in quads if q.predicate.value == TREE + "member"]
    about: dict[str, list[ox.Quad]] = {}
    graphs: dict[str, list[ox.Quad]] = {}
    for q in quads:
        about.setdefault(text(q.subject), []).append(q)
        graphs.setdefault(text(q.graph_name), []).append(q)
    members = []
    for version in order:
        own = about[version]
        entity = [text(q.object) for q in own if q.predicate.value == DCT_IS_VERSION_OF]
        stamps = [text(q.object) for q in own if q.predicate.value == DCT_MODIFIED]
        assert len(entity) == 1 and len(stamps) == 1, version
        pairs = {(q.predicate.value, str(q.object)) for q in own
                 if q.predicate.value not in (DCT_IS_VERSION_OF, DCT_MODIFIED)}
        statements = {(q.predicate.value, str(q.object), text(q.graph_name)) for q in own
                      if isinstance(q.graph_name, ox.NamedNode)}
        provenance = {(text(q.subject), q.predicate.value, str(q.object))
                      for q in graphs.get(version, [])}
        deleted = (RDF_TYPE, f"<{AS_DELETE}>") in pairs
        members.append(StreamMember(version, entity[0], stamps[0], deleted, pairs, statements,
                                    provenance))
    return members


def snapshot(out: Path) -> Snapshot:
    history = history_dir(out)
    state = json.loads((history / STATE).read_text(encoding="utf-8"))
    pages = {}
    for info in state["pages"]:
        with (history / "pages" / f"{info['number']}.nt").open("rb") as handle:
            pages[info["number"]] = handle.read(info["bytes"])
    version = (out / "current").resolve()
    entities = store_entities(version, BASE)
    return Snapshot(version, state, pages, entities,
                    store_member_contents(version, BASE, entities))


@dataclass
class Timeline:
    data: Path
    out: Path
    snapshots: dict[str, Snapshot]


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> Timeline:
    root = tmp_path_factory.mktemp("ldes-timeline")
    data, out = copy_data(root / "data"), root / "out"
    original_site_file = (data / REMOVED_SITE[0]).read_text(encoding="utf-8")
    shots = {}
    build(data, out, T1, ldes_page_size=PAGE_SIZE)
    shots["T1"] = snapshot(out)
    build(data, out, T2, ldes_page_size=PAGE_SIZE)
    shots["T2"] = snapshot(out)
    rename_service(data)
    remove_site(data)
    build(data, out, T3, ldes_page_size=PAGE_SIZE)
    shots["T3"] = snapshot(out)
    (data / REMOVED_SITE[0]).write_text(original_site_file, encoding="utf-8")
    build(data, out, T4, ldes_page_size=PAGE_SIZE)
    shots["T4"] = snapshot(out)
    return Timeline(data, out, shots)


def test_the_first_build_adds_one_version_per_entity(timeline: Timeline) -> None:
    first = timeline.snapshots["T1"]
    members = first.members()
    assert sorted(m.entity for m in members) == sorted(first.entities)
    manifest = json.loads((first.version / "build.json").read_text(encoding="utf-8"))
    assert manifest["built_at"] == stamp(T1)
    for member in members:
        assert member.timestamp == manifest["built_at"], "the member time is the build's"
        assert member.version == f"{member.entity}/{stamp(T1)}"
        assert member.pairs == first.entities[member.entity], member.entity
        assert (member.statements, member.provenance) == first.contents[member.entity]
    kinds = {m.entity[len(BASE) + 4:].split("/", 1)[0] for m in members}
    assert {"organisatie", "vestiging", "dienst", "gemeente", "concept", "conceptscheme",
            "cijfer"} <= kinds
    assert not kinds & {"bewering", "graaf", "invoer", "activiteit"}


def test_the_same_input_again_adds_nothing(timeline: Timeline) -> None:
    first, second = timeline.snapshots["T1"], timeline.snapshots["T2"]
    assert second.version != first.version, "a new version was published"
    assert second.pages == first.pages
    assert second.state["members"] == first.state["members"]
    assert not any(m.timestamp == stamp(T2) for m in second.members())


def test_a_change_adds_exactly_the_changed_entities_and_tombstones(timeline: Timeline) -> None:
    before, after = timeline.snapshots["T2"], timeline.snapshots["T3"]
    # a member carries the statements and their provenance: an edited input file gives each of
    # its entities a new version (the file's checksum, the lines)
    changed, removed = changed_between(before.contents, after.contents)
    assert changed and removed
    added = [m for m in after.members() if m.timestamp == stamp(T3)]
    assert sorted(m.entity for m in added) == sorted(changed | removed)
    for member in added:
        if member.entity in removed:
            assert member.deleted
            assert member.pairs == {(RDF_TYPE, f"<{AS_DELETE}>")}, "a tombstone says no more"
        else:
            assert not member.deleted
            assert member.pairs == after.entities[member.entity]
            assert (member.statements, member.provenance) == after.contents[member.entity]
    assert after.members()[:len(before.members())] == before.members(), "append only"


def test_an_entity_that_comes_back_gets_a_new_version(timeline: Timeline) -> None:
    removed = set(timeline.snapshots["T2"].entities) - set(timeline.snapshots["T3"].entities)
    back = timeline.snapshots["T4"]
    added = {m.entity: m for m in back.members() if m.timestamp == stamp(T4)}
    for entity in removed:
        assert entity in added and not added[entity].deleted
        assert added[entity].pairs == back.entities[entity]
    for entity in removed:
        assert [m.deleted for m in back.members() if m.entity == entity] == [False, True, False]


def test_full_pages_never_change_and_the_open_page_only_grows(timeline: Timeline) -> None:
    order = ["T1", "T2", "T3", "T4"]
    for i, name in enumerate(order):
        shot = timeline.snapshots[name]
        for info in shot.page_infos:
            number = int(info["number"])  # type: ignore[call-overload]
            for later in order[i + 1:]:
                again = timeline.snapshots[later].pages[number]
                if info["full"]:
                    assert again == shot.pages[number], f"full page {number} changed"
                else:
                    assert again.startswith(shot.pages[number]), f"page {number} rewritten"
    last = timeline.snapshots["T4"]
    assert [bool(i["full"]) for i in last.page_infos] == [True] * (len(last.pages) - 1) + [False]
    sizes = [int(i["members"]) for i in last.page_infos]  # type: ignore[call-overload]
    assert all(size == PAGE_SIZE for size in sizes[:-1]) and sizes[-1] < PAGE_SIZE


def test_pages_are_in_time_order_and_only_the_root_links_them(timeline: Timeline) -> None:
    """Full pages say ``ldes:immutable`` and link nowhere (regression: a page's relation to the
    next page was a second path to it, and ldes-client 0.3.0 then fetched that page twice and
    now and then emitted its members twice); the root's bounds of each page hold."""
    last = timeline.snapshots["T4"]
    stamps = [m.timestamp for m in last.members()]
    assert stamps == sorted(stamps)
    numbers = sorted(last.pages)
    for number in numbers:
        triples = [t.triple if isinstance(t, ox.Quad) else t
                   for t in ox.parse(last.pages[number], format=ox.RdfFormat.N_QUADS)]
        node = f"{BASE}/ldes/{number}"
        relations = [t for t in triples if t.predicate.value == TREE + "relation"]
        immutable = [t for t in triples
                     if text(t.subject) == node and t.predicate.value == LDES + "immutable"]
        assert not relations, f"page {number} links nowhere"
        assert len(immutable) == (0 if number == numbers[-1] else 1), number
        if number != numbers[-1]:
            following = parse_page(last.pages[number + 1])
            assert all(m.timestamp >= parse_page(last.pages[number])[-1].timestamp
                       for m in following)


def test_a_failed_publication_leaves_the_history_as_it_was(
    timeline: Timeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(timeline.data, data)
    shutil.copytree(timeline.out, out, symlinks=True)
    remove_site(data)  # a change: the build prepares members
    before, current = _digest(history_dir(out)), current_target(out)

    prepared: list[bool] = []

    def failing(*_args: object) -> None:
        prepared.append((history_dir(out) / PENDING).exists())
        raise PublicationError("disk full")

    monkeypatch.setattr("midwest_lod.pipeline.promote", failing)
    with pytest.raises(PublicationError, match="disk full"):
        run_build(Settings.load({"data_dir": data, "output_dir": out,
                                 "ldes_page_size": PAGE_SIZE}), now=T4 + dt.timedelta(days=1))
    assert prepared == [True], "the members were written before the switch"
    assert current_target(out) == current
    assert _digest(history_dir(out)) == before, "no page, byte or index was left behind"


def test_an_interrupted_commit_counts_once_the_version_is_published(
    timeline: Timeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash between the switch of ``current`` and the rename of ``pending.json``: the
    server already serves the new members, and the next build commits them."""
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(timeline.data, data)
    shutil.copytree(timeline.out, out, symlinks=True)
    remove_site(data)
    committed = json.loads((history_dir(out) / STATE).read_text(encoding="utf-8"))

    def crash(self: eventstream.Recording, *_exc: object) -> None:
        self._unlock()  # the process died before the commit; the lock goes with it

    monkeypatch.setattr(eventstream.Recording, "__exit__", crash)
    moment = T4 + dt.timedelta(days=2)
    result = build(data, out, moment, ldes_page_size=PAGE_SIZE)
    monkeypatch.undo()
    assert result.version is not None
    assert (history_dir(out) / PENDING).exists()
    assert json.loads((history_dir(out) / STATE).read_text(encoding="utf-8")) == committed
    state, source = effective_index(out)
    assert source == history_dir(out) / PENDING and state is not None
    assert state.version == result.version.id and state.last_timestamp == stamp(moment)

    build(data, out, moment + dt.timedelta(days=1), ldes_page_size=PAGE_SIZE)  # no change
    assert not (history_dir(out) / PENDING).exists()
    settled = json.loads((history_dir(out) / STATE).read_text(encoding="utf-8"))
    assert settled["version"] == result.version.id
    assert settled["last_timestamp"] == stamp(moment)


def test_an_unpublished_pending_index_is_discarded(
    timeline: Timeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash before the switch: the next build removes what the dead build wrote."""
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(timeline.data, data)
    shutil.copytree(timeline.out, out, symlinks=True)
    remove_site(data)
    before = _digest(history_dir(out))

    def crash(*_args: object) -> None:
        raise KeyboardInterrupt  # killed during promote, before the switch

    def no_cleanup(self: eventstream.Recording, *_exc: object) -> None:
        self._unlock()

    monkeypatch.setattr("midwest_lod.pipeline.promote", crash)
    monkeypatch.setattr(eventstream.Recording, "__exit__", no_cleanup)
    with pytest.raises(KeyboardInterrupt):
        run_build(Settings.load({"data_dir": data, "output_dir": out,
                                 "ldes_page_size": PAGE_SIZE}), now=T4 + dt.timedelta(days=3))
    monkeypatch.undo()
    assert (history_dir(out) / PENDING).exists(), "the dead build left its pending index"
    state, source = effective_index(out)
    assert source == history_dir(out) / STATE, "not published: the pending index does not count"

    eventstream.settle(history_dir(out), out)
    assert _digest(history_dir(out)) == before


def test_members_never_go_back_in_time(timeline: Timeline, tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(timeline.data, data)
    shutil.copytree(timeline.out, out, symlinks=True)
    remove_site(data)
    before, current = _digest(history_dir(out)), current_target(out)
    with pytest.raises(PublicationError, match="earlier than the newest member"):
        run_build(Settings.load({"data_dir": data, "output_dir": out}), now=T3)
    with pytest.raises(PublicationError, match="already has a version at"):
        run_build(Settings.load({"data_dir": data, "output_dir": out}), now=T4)
    assert current_target(out) == current
    assert _digest(history_dir(out)) == before


def test_a_history_of_another_base_is_refused(timeline: Timeline, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(timeline.out, out, symlinks=True)
    with pytest.raises(PublicationError, match="base IRI"):
        run_build(Settings.load({"data_dir": timeline.data, "output_dir": out,
                                 "base_iri": "https://example.org"}), now=T4 + dt.timedelta(days=1))


def test_builds_append_one_at_a_time(timeline: Timeline, tmp_path: Path) -> None:
    """While one build holds the history, another cannot start appending (flock)."""
    out = tmp_path / "out"
    shutil.copytree(timeline.out, out, symlinks=True)
    version = (out / "current").resolve()
    manifest = json.loads((version / "build.json").read_text(encoding="utf-8"))
    settings = Settings.load({"data_dir": timeline.data, "output_dir": out})
    with eventstream.recording(settings, version, manifest) as recording:
        assert recording.added == 0, "the published version itself: nothing new"
        with (history_dir(out) / LOCK).open("a") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    with (history_dir(out) / LOCK).open("a") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # released


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}
