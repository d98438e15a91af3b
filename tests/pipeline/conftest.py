"""Fixtures for build tests: copies of the real data folder and of a published output."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from midwest_lod.assets import asset_dir
from midwest_lod.config import Settings
from midwest_lod.pipeline import BuildResult, run_build


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file (and the target of every link) under ``root``."""
    digest: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = str(path.relative_to(root))
        if path.is_symlink():
            digest[relative] = "-> " + str(path.readlink())
        elif path.is_file():
            digest[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The real data, built and published once into a session folder."""
    out = tmp_path_factory.mktemp("baseline-out")
    result = run_build(Settings.load({"output_dir": out}))
    assert result.ok, result.report(include_warnings=False)
    return out, result


@pytest.fixture
def workspace(tmp_path: Path, baseline: tuple[Path, BuildResult]) -> Callable[[], Settings]:
    """A private copy of data/ and of the published baseline; returns its settings."""
    data = tmp_path / "data"
    shutil.copytree(asset_dir("data"), data)
    out = tmp_path / "out"
    shutil.copytree(baseline[0], out, symlinks=True)

    def settings(**overrides: object) -> Settings:
        return Settings.load({"data_dir": data, "output_dir": out, **overrides})

    return settings


@pytest.fixture(scope="session")
def build_real() -> Callable[[Path], BuildResult]:
    def build(out: Path) -> BuildResult:
        return run_build(Settings.load({"output_dir": out}))

    return build
