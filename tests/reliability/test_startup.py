"""A missing or corrupted published version stops the server at start with a clear message.

``create_app`` raises :class:`PublicationError` (saying what is wrong and what to run) and
``midwest-lod serve`` exits non-zero with that message, instead of starting and answering 503
(or 500) to every request.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from midwest_lod.errors import PublicationError
from tests.web.helpers import free_port


def _dangling(version: Path) -> None:
    shutil.rmtree(version)


def _truncated_manifest(version: Path) -> None:
    manifest = version / "build.json"
    manifest.write_bytes(manifest.read_bytes()[:40])


def _garbage_store(version: Path) -> None:
    store = version / "store"
    shutil.rmtree(store)
    store.mkdir()
    (store / "CURRENT").write_bytes(os.urandom(3000))
    (store / "000001.sst").write_bytes(os.urandom(5000))


def _corrupt_tables(version: Path) -> None:
    for table in (version / "store").glob("*.sst"):
        table.write_bytes(os.urandom(3000))


def _empty_store(version: Path) -> None:
    shutil.rmtree(version / "store")
    (version / "store").mkdir()


def _manifest_not_an_object(version: Path) -> None:
    (version / "build.json").write_text("[1, 2, 3]\n", encoding="utf-8")


BREAKAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    # how the version is broken: (what to do to it, what the message must say)
    "current points to a deleted version": (_dangling, "does not exist"),
    "truncated build.json": (_truncated_manifest, "build.json"),
    "build.json not an object": (_manifest_not_an_object, "build.json"),
    "store folder of garbage": (_garbage_store, "store"),
    "store tables corrupted": (_corrupt_tables, "store"),
    "store folder empty": (_empty_store, "store"),
}


def _broken_copy(real_publication: Path, tmp_path: Path, breakage: str) -> Path:
    out = tmp_path / "out"
    shutil.copytree(real_publication, out, symlinks=True)
    version = (out / "current").resolve()
    BREAKAGES[breakage][0](version)
    return out


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_create_app_raises_publication_error(real_publication: Path, tmp_path: Path,
                                             breakage: str) -> None:
    from midwest_lod.web import create_app

    out = _broken_copy(real_publication, tmp_path, breakage)
    with pytest.raises(PublicationError) as raised:
        create_app({"output_dir": out, "TESTING": True})
    message = str(raised.value)
    assert BREAKAGES[breakage][1] in message
    assert "midwest-lod build" in message


def test_nothing_published_raises_publication_error(tmp_path: Path) -> None:
    from midwest_lod.web import create_app

    with pytest.raises(PublicationError, match="midwest-lod build"):
        create_app({"output_dir": tmp_path, "TESTING": True})


@pytest.mark.server
@pytest.mark.parametrize("breakage", ["current points to a deleted version",
                                      "truncated build.json", "store folder of garbage"])
def test_serve_exits_with_a_clear_message(real_publication: Path, tmp_path: Path,
                                          breakage: str) -> None:
    out = _broken_copy(real_publication, tmp_path, breakage)
    env = {**os.environ, "MIDWEST_LOD_OUTPUT_DIR": str(out)}
    done = subprocess.run(
        [sys.executable, "-m", "midwest_lod", "serve", "--host", "127.0.0.1",
         "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert BREAKAGES[breakage][1] in done.stderr
    assert "midwest-lod build" in done.stderr
    assert "Booting worker" not in done.stdout + done.stderr  # stopped before serving
