"""A load into the external store that fails fails the build and changes nothing: not the
store (it still holds the previous version, byte for byte), not ``current``, not
``versions/``, not the event stream."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import midwest_lod.external.publish as external_publish
from midwest_lod.errors import PublicationError
from midwest_lod.pipeline import run_build
from midwest_lod.publication import current_target
from tests.external.conftest import Published

pytestmark = pytest.mark.server


def _state(published: Published) -> tuple[object, ...]:
    out = published.output_dir
    history = out / "history" / "state.json"
    return (current_target(out), sorted(p.name for p in (out / "versions").iterdir()),
            history.read_bytes() if history.exists() else None,
            sorted(p.name for p in (out / "staging").iterdir()))


class _Failing(BaseHTTPRequestHandler):
    """A Graph Store Protocol endpoint that reads the upload and answers 500."""

    def do_PUT(self) -> None:  # noqa: N802 - the name http.server calls
        if self.headers.get("Transfer-Encoding") == "chunked":
            while (size := int(self.rfile.readline().strip() or b"0", 16)) > 0:
                self.rfile.read(size + 2)
            self.rfile.readline()
        body = b"storage is full"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def failing_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store"
    server.shutdown()
    server.server_close()


def _fails_and_changes_nothing(published: Published, **settings: object) -> str:
    before, dataset, state = published.snapshot(), published.dataset(), _state(published)
    changed = published.settings.replace(data_dir=published.changed_data("Niet gepubliceerd"),
                                         **settings)
    with pytest.raises(PublicationError) as failure:
        run_build(changed)
    assert _state(published) == state
    assert published.snapshot() == before
    assert published.dataset() == dataset
    return str(failure.value)


def test_a_store_answering_500_fails_the_build(published: Published,
                                               failing_endpoint: str) -> None:
    message = _fails_and_changes_nothing(published, sparql_gsp_url=failing_endpoint)
    assert "500" in message and "storage is full" in message and "nothing was published" in message


def test_a_stopped_store_fails_the_build(published: Published) -> None:
    before, dataset, state = published.snapshot(), published.dataset(), _state(published)
    published.store.stop()
    try:
        changed = published.settings.replace(
            data_dir=published.changed_data("Niet gepubliceerd"))
        with pytest.raises(PublicationError, match="could not be loaded"):
            run_build(changed)
        assert _state(published) == state
    finally:
        published.store.run()
    assert published.snapshot() == before  # started again, it holds what it held
    assert published.dataset() == dataset


@pytest.fixture
def upload_breaks_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the version breaks off after two chunks (a disk error): the connection drops
    in the middle of the upload."""
    chunks = external_publish.dataset_chunks
    monkeypatch.setattr(external_publish, "CHUNK_QUADS", 500)

    def breaking(store_path: Path) -> Iterator[bytes]:
        for number, chunk in enumerate(chunks(store_path)):
            if number == 2:
                raise OSError("Input/output error")
            yield chunk

    monkeypatch.setattr(external_publish, "dataset_chunks", breaking)


@pytest.mark.usefixtures("upload_breaks_off")
def test_an_upload_that_breaks_off_changes_nothing(published: Published) -> None:
    message = _fails_and_changes_nothing(published)
    assert "Input/output error" in message


def test_the_previous_version_is_still_served(published: Published) -> None:
    version, quads, label = published.snapshot()
    assert label == "Mariasteen"
    assert Path(current_target(published.output_dir) or "").name == version and quads > 1000
