"""The ``midwest-lod`` command: help, settings, validate and build exit codes and messages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from midwest_lod.assets import SOURCE_ROOT, asset_dir
from midwest_lod.cli import cli, settings_markdown
from midwest_lod.commands.serve import PRODUCTION_COMMAND
from midwest_lod.config import describe_settings


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "midwest_lod", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def test_help_lists_the_subcommands() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("build", "validate", "completeness", "serve", "settings"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["build", "validate", "completeness", "serve", "settings"])
def test_every_subcommand_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def _production_commands(markdown: str) -> list[str]:
    """The command lines of the ``sh`` blocks of a Markdown text that serve on every interface
    (``0.0.0.0``: production; continued lines joined, spaces normalised)."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, re.DOTALL):
        found += [" ".join(line.split()) for line in block.replace("\\\n", " ").splitlines()
                  if "0.0.0.0" in line]
    return found


@pytest.mark.parametrize("document", ["README.md", "docs/operations.md"])
def test_the_documents_give_the_one_production_command(document: str) -> None:
    text = (SOURCE_ROOT / document).read_text(encoding="utf-8")
    assert _production_commands(text) == [PRODUCTION_COMMAND]


def test_serve_help_gives_the_production_command() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and PRODUCTION_COMMAND in result.output


def test_settings_doc_is_in_step_with_the_code() -> None:
    documented = (SOURCE_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert documented == settings_markdown(), "regenerate: midwest-lod settings --markdown"
    assert len(describe_settings()) >= 20


def test_validate_the_real_data_succeeds(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--output-dir", str(tmp_path), "validate",
                                      "--no-warnings"])
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.output


def test_validate_a_broken_file_says_what_and_where(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(asset_dir("data"), data)
    path = data / "municipalities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("36015,", "3601,", 1),
                    encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1)
                if row.startswith("3601,"))
    report = tmp_path / "report.ttl"
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "--output-dir",
                                      str(tmp_path / "out"), "validate", "--shacl-report",
                                      str(report)])
    assert result.exit_code == 1
    assert "data/municipalities.csv" in result.output
    assert f"line {line}" in result.output
    assert "nis" in result.output
    assert "NIS" in result.output
    assert "sh:ValidationReport" in report.read_text(encoding="utf-8") or \
        "ValidationReport" in report.read_text(encoding="utf-8")


def test_build_failure_exits_non_zero_and_publishes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(asset_dir("data"), data)
    (data / "actors" / "mariasteen.yaml").write_text("key: mariasteen\nname: [\n",
                                                     encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "--output-dir", str(out),
                                      "build", "--quiet"])
    assert result.exit_code == 1
    assert "data/actors/mariasteen.yaml" in result.output
    assert not (out / "current").exists()


def test_build_then_completeness(tmp_path: Path) -> None:
    runner = CliRunner()
    built = runner.invoke(cli, ["--output-dir", str(tmp_path), "build", "--quiet"])
    assert built.exit_code == 0, built.output
    assert "Published version" in built.output
    report = runner.invoke(cli, ["--output-dir", str(tmp_path), "completeness"])
    assert report.exit_code == 0, report.output
    assert "De Rinkel (data/actors/de-rinkel.yaml)" in report.output
    assert "- website" in report.output
