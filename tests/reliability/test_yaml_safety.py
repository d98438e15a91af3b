"""The steward's YAML is loaded safely: Python tags are refused with a SourceError naming the
file, the line and the tag, nothing they name is run, and neither ``midwest-lod validate`` nor
``build`` goes past them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from midwest_lod.config import Settings
from midwest_lod.errors import SourceError
from midwest_lod.pipeline.sources import SourceFile, load_yaml

MARK = "midwest-lod-yaml-pwned"


def _payloads(target: Path) -> dict[str, str]:
    return {
        "object/apply": f'key: !!python/object/apply:os.system ["touch {target}"]\n',
        "object/new": f'key: !!python/object/new:subprocess.Popen [["touch", "{target}"]]\n',
        "object": "key: !!python/object:collections.OrderedDict {}\n",
        "name": "key: !!python/name:os.system\n",
        "module": "key: !!python/module:os\n",
        "tuple": "key: !!python/tuple [1, 2]\n",
        "local tag": "key: !pwn {a: 1}\n",
    }


@pytest.mark.parametrize("kind", list(_payloads(Path("/x"))))
def test_python_tags_are_a_source_error(tmp_path: Path, kind: str) -> None:
    target = tmp_path / MARK
    text = "# an actor\nname: x\n" + _payloads(target)[kind]
    with pytest.raises(SourceError) as raised:
        load_yaml(SourceFile(tmp_path, "actors/evil.yaml", text.encode()))
    error = raised.value
    assert error.path == "actors/evil.yaml" and error.line == 3
    assert "constructor for the tag" in str(error) and "python" in str(error) or \
        "!pwn" in str(error)
    assert not target.exists()


def test_an_alias_bomb_is_shared_references_not_copies() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    data = load_yaml(SourceFile(Path("."), "bomb.yaml", "\n".join(lines).encode()))
    assert len(data["a8"]) == 10
    # 10^9 strings if the aliases were copied; the same nine lists if they are references
    for i in range(1, 9):
        assert all(item is data[f"a{i - 1}"] for item in data[f"a{i}"])


@pytest.mark.slow
def test_validate_and_build_stop_at_a_python_tag(tmp_path: Path) -> None:
    from midwest_lod.assets import asset_dir
    from midwest_lod.pipeline import run_build

    data = tmp_path / "data"
    shutil.copytree(asset_dir("data"), data)
    actor = next(iter(sorted((data / "actors").glob("*.yaml"))))
    target = tmp_path / MARK
    actor.write_text(actor.read_text(encoding="utf-8")
                     + _payloads(target)["object/apply"].replace("key", "extra"),
                     encoding="utf-8")
    out = tmp_path / "out"
    result = run_build(Settings.load({"data_dir": data, "output_dir": out}))
    assert not result.ok
    report = result.report(include_warnings=False)
    assert f"actors/{actor.name}" in report and "python/object/apply" in report
    assert not target.exists()
    assert not (out / "current").exists()
