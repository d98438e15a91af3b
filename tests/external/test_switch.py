"""Publishing into the external store switches atomically: readers see the old version or the
new one, never a mix, an empty store or a half-loaded one; and the web application follows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import midwest_lod.external.publish as external_publish
from midwest_lod.pipeline import run_build
from midwest_lod.publication import current_target
from midwest_lod.web import create_app
from tests.external.conftest import Published, Snapshot
from tests.waiting import wait_until

pytestmark = pytest.mark.server


class Readings:
    """How many snapshots the readers have taken (a slow upload waits for the next one)."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def add(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_for_more_than(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.count > count, 30), "no reader read"


def _republish_while_reading(published: Published, name: str,
                             readings: Readings | None = None
                             ) -> tuple[Snapshot, Snapshot, list[Snapshot]]:
    """(before, after, what readers saw while the new version was being published)."""
    before = published.snapshot()
    seen: list[Snapshot] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(published.snapshot())
            if readings is not None:
                readings.add()

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        result = run_build(published.settings.replace(data_dir=published.changed_data(name)))
    finally:
        stop.set()
        for reader in readers:
            reader.join(30)
    assert result.ok and result.version is not None
    after = published.snapshot()
    assert after[0] == result.version.id and after[2] == name
    return before, after, seen


def test_a_republication_switches_atomically(published: Published) -> None:
    before, after, seen = _republish_while_reading(published, "Mariasteen twee")
    assert before != after and before[0] is not None
    assert seen and set(seen) <= {before, after}, set(seen) - {before, after}
    # the web nodes' pointer and the build's agree
    assert Path(current_target(published.output_dir) or "").name == after[0]


@pytest.fixture
def slow_load(monkeypatch: pytest.MonkeyPatch) -> Readings:
    """The upload of the dataset in small chunks, each sent once a reader has read the store
    after the one before: readers read it all along the upload."""
    chunks = external_publish.dataset_chunks
    monkeypatch.setattr(external_publish, "CHUNK_QUADS", 400)
    readings = Readings()

    def slowly(store_path: Path) -> Iterator[bytes]:
        for chunk in chunks(store_path):
            count = readings.count
            yield chunk
            readings.wait_for_more_than(count)

    monkeypatch.setattr(external_publish, "dataset_chunks", slowly)
    return readings


def test_a_slow_load_is_invisible_until_it_is_complete(published: Published,
                                                       slow_load: Readings) -> None:
    before, after, seen = _republish_while_reading(published, "Mariasteen drie", slow_load)
    assert set(seen) <= {before, after}, set(seen) - {before, after}
    assert seen.count(before) > 20  # readers kept seeing the old version during the upload


def test_the_web_application_follows_the_store(published: Published, tmp_path: Path) -> None:
    app = create_app({"output_dir": tmp_path, "sparql_query_url": published.store.query_url,
                      "TESTING": True})
    client = app.test_client()
    try:
        first = client.get("/doc/organisatie/mariasteen.ttl")
        assert first.status_code == 200
        version = published.snapshot()[0]
        assert version is not None and version in first.headers["ETag"]
        result = run_build(published.settings.replace(
            data_dir=published.changed_data("Mariasteen vier")))
        assert result.ok and result.version is not None
        wait_until(lambda: result.version.id in client.get(  # re-read every second
            "/doc/organisatie/mariasteen.ttl").headers["ETag"], 10, "the new version")
        now = client.get("/doc/organisatie/mariasteen.ttl")
        assert "Mariasteen vier" in now.get_data(as_text=True)
        answer = client.get("/sparql", query_string={
            "query": "SELECT ?l WHERE { <https://data.midwest.be/id/organisatie/mariasteen> "
                     "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"},
            headers={"Accept": "text/csv"})
        assert "Mariasteen vier" in answer.get_data(as_text=True)
    finally:
        app.extensions["midwest_lod"].query_service.close()
