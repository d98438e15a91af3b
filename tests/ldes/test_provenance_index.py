"""The event stream's provenance index (``pipeline/eventstream/changes.py``) keeps where each
subject's lines are in ``canonical.nq`` and reads them back: it must give exactly the
provenance graph's lines about a subject, whatever lies between them (lines of the same
subject in other graphs) and wherever the blocks it scans the file in are cut."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from midwest_lod.config import Settings
from midwest_lod.pipeline.eventstream.changes import ProvenanceIndex

# the module (the package exports a function of the same name)
changes = importlib.import_module("midwest_lod.pipeline.eventstream.changes")

IRIS = Settings.load({}).iris
PROVENANCE = f"<{IRIS.graph('herkomst')}>"
OTHER = f"<{IRIS.base}/id/bewering/0000>"


def _lines() -> list[str]:
    lines = []
    for number in range(40):
        subject = f"<{IRIS.base}/id/bewering/{number:04d}>"
        for predicate in range(3):
            start = f"{subject} <http://example.org/p{predicate}>"
            lines.append(f'{start} "v{number}" {PROVENANCE} .\n')
            if number % 3 == 0:  # the same subject in another graph, sorted between its lines
                lines.append(f'{start} "w" {OTHER} .\n')
    lines.append(f'_:b0 <http://example.org/p> "blank" {PROVENANCE} .\n')
    return sorted(lines)


@pytest.mark.parametrize("block", [64, 1000, 1 << 22])
def test_lines_of_a_subject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    monkeypatch.setattr(changes, "_BLOCK", block)
    lines = _lines()
    canonical = tmp_path / "canonical.nq"
    canonical.write_text("".join(lines), encoding="utf-8")
    expected: dict[bytes, list[bytes]] = {}
    for line in lines:
        if line.startswith("<") and line.endswith(f" {PROVENANCE} .\n"):
            subject = line[1:line.index("> ")].encode()
            triple = line[:-len(f" {PROVENANCE} .\n")] + " .\n"
            expected.setdefault(subject, []).append(triple.encode())
    assert any(OTHER in line for line in lines[1:4])  # interleaved indeed
    index = ProvenanceIndex(canonical, IRIS)
    try:
        assert len(expected) == 40 and set(index.spans) == set(expected)
        for subject, triples in expected.items():
            assert index.get(subject) == triples
            assert index.get(subject) == triples  # again, from what it keeps
        assert index.get(f"{IRIS.base}/id/bewering/none".encode()) == []
    finally:
        index.close()
