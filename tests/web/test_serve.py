"""``midwest-lod serve`` builds when nothing is published; a republication switches atomically."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
import requests

from tests.waiting import wait_until
from tests.web.helpers import DATA_DIR, ServerProcess, publish_trig


@pytest.mark.server
@pytest.mark.slow
def test_serve_builds_first_when_nothing_is_published(tmp_path: Path) -> None:
    out = tmp_path / "var"
    server = ServerProcess.start(out, tmp_path / "serve.log")
    try:
        assert (out / "current").is_symlink()
        health = requests.get(server.url + "/health", timeout=10).json()
        assert health["version"] == (out / "current").resolve().name
        page = requests.get(server.url + "/", timeout=10)
        assert page.status_code == 200 and "SPARQL" in page.text
    finally:
        server.stop()
    assert "building first" in (tmp_path / "serve.log").read_text()


def test_republication_switches_without_a_failed_request(tmp_path: Path,
                                                         real_publication: Path) -> None:
    from midwest_lod.web import create_app

    out = tmp_path / "out"
    shutil.copytree(real_publication, out, symlinks=True)
    old = (out / "current").resolve().name
    staging = tmp_path / "staging"
    staging.mkdir()
    new = "29990101T000000Z-newversion00"
    publish_trig(staging, DATA_DIR / "publication.trig", version=new)
    shutil.move(staging / "versions" / new, out / "versions" / new)

    app = create_app({"output_dir": out, "TESTING": True})
    seen: list[tuple[int, str]] = []
    stop = threading.Event()

    def hammer() -> None:
        client = app.test_client()
        while not stop.is_set():
            response = client.get("/doc/gemeente/36015.ttl")
            seen.append((response.status_code, response.headers.get("ETag", "")))

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: len(seen) >= 30, 30, "answers of the old version")
        link = out / ".current.tmp"
        os.symlink(Path("versions") / new, link)
        os.replace(link, out / "current")
        count = len(seen)
        wait_until(lambda: len(seen) >= count + 30, 30, "answers after the switch")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert all(status == 200 for status, _ in seen)
    versions = [etag for _, etag in seen]
    assert any(old in etag for etag in versions) and any(new in etag for etag in versions)
    assert new in versions[-1]
