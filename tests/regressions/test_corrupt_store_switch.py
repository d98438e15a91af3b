"""Regression: a corrupted store raised RuntimeError, not PublicationError.

RocksDB reports corruption ("Corruption: ...") as RuntimeError, which ``Publication._open``
did not catch: ``create_app`` started on a corrupted publication, and a server switched to a
corrupted new version answered every request with 500 instead of going on serving the last
good version.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from midwest_lod.web.published import Publication


def test_a_corrupted_new_version_is_not_served(real_publication: Path, tmp_path: Path) -> None:
    from midwest_lod.web import create_app

    out = tmp_path / "out"
    shutil.copytree(real_publication, out, symlinks=True)
    old = (out / "current").resolve()
    broken = old.parent / "29990101T000000Z-corrupted000"
    shutil.copytree(old, broken)
    for table in (broken / "store").glob("*.sst"):
        table.write_bytes(os.urandom(3000))

    app = create_app({"output_dir": out, "TESTING": True})
    try:
        client = app.test_client()
        assert client.get("/doc/gemeente/36015.ttl").status_code == 200
        link = out / ".current.tmp"
        os.symlink(Path("versions") / broken.name, link)
        os.replace(link, out / "current")
        for path in ("/doc/gemeente/36015.ttl", "/health", "/"):
            response = client.get(path)
            assert response.status_code == 200, path
        assert client.get("/health").get_json()["version"] == old.name
    finally:
        app.extensions["midwest_lod"].query_service.close()


def test_opening_a_corrupted_store_is_a_publication_error(real_publication: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(real_publication, out, symlinks=True)
    (out / "current").resolve().joinpath("store", "CURRENT").write_bytes(b"\x00garbage")
    try:
        Publication(out).current()
    except Exception as exc:  # noqa: BLE001 - the type is the point
        assert type(exc).__name__ == "PublicationError", repr(exc)
        assert "midwest-lod build" in str(exc)
    else:
        raise AssertionError("a corrupted store was opened")
