"""A non-editable install (``pip install .``) works: the wheel carries the package, the
ontology, the shapes, the data and the built editor bundle, and the command builds from them
outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from midwest_lod.assets import SOURCE_ROOT
from midwest_lod.web.frontend import manifest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(SOURCE_ROOT)], check=True, timeout=300)
    (path,) = out.glob("midwest_lod-*.whl")
    return path


def test_the_wheel_carries_the_package_and_its_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("midwest_lod/__init__.py", "midwest_lod/web/templates/base.html",
                     "midwest_lod/queries/entity-document.rq",
                     "midwest_lod/queries/catalogue/organisaties-per-gemeente.rq",
                     "midwest_lod/assets/ontology/sociale-economie.ttl",
                     "midwest_lod/assets/shapes/organisation.ttl",
                     "midwest_lod/assets/data/region.yaml",
                     "midwest_lod/assets/data/actors/mariasteen.yaml",
                     # the built editor bundle (committed: serving needs no Node)
                     "midwest_lod/web/static/dist/manifest.json",
                     "midwest_lod/web/static/dist/THIRD-PARTY-NOTICES.txt",
                     *(f"midwest_lod/web/static/dist/{name}" for name in manifest().values())):
        assert required in names, required
    assert not any(name.startswith(("tests/", "bench/")) for name in names)


def test_the_installed_package_builds_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "MIDWEST_LOD_OUTPUT_DIR": str(work / "var")}
    env.pop("MIDWEST_LOD_DATA_DIR", None)
    where = subprocess.run(
        [sys.executable, "-c", "import midwest_lod.assets as a, midwest_lod.config as c; "
         "print(a.__file__); print(c.Settings.load().data_dir)"],
        cwd=work, env=env, capture_output=True, text=True, check=True, timeout=60)
    module, data = where.stdout.split()
    assert module.startswith(str(target)) and data.startswith(str(target))
    built = subprocess.run([sys.executable, "-m", "midwest_lod", "build", "--quiet"], cwd=work,
                           env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Published version" in built.stdout
    assert (work / "var" / "current" / "store").is_dir()
