"""pySHACL and pyshacl-turbo give the same findings (docs/decisions/0005-shacl-engine.md).

The build uses pySHACL for small data and the Rust engine for large builds; this
differential test keeps the two interchangeable on every shape fixture and on the real data.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from midwest_lod.assets import asset_dir
from midwest_lod.pipeline.validation import (
    PYSHACL,
    TURBO,
    Finding,
    choose_engine,
    load_shapes,
    validate_graph,
)
from tests.shapes.shacl_helpers import FIXTURES, parse_files

SHAPES = load_shapes(asset_dir("shapes"), "https://data.midwest.be")
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
CASES = sorted((FIXTURES / "invalid").glob("*.ttl")) + sorted((FIXTURES / "warnings").glob("*.ttl"))


def key(finding: Finding) -> tuple[object, ...]:
    return (finding.severity, finding.focus, finding.shape if not str(finding.shape).startswith(
        "n") else None, finding.component, finding.value, finding.message("en"),
        finding.message("nl"))


def findings(graph: Graph, engine: str) -> set[tuple[object, ...]]:
    return {key(f) for f in validate_graph(graph, SHAPES, engine=engine).findings}


def test_there_are_fixtures_to_compare() -> None:
    assert len(VALID) >= 3 and len(CASES) >= 150


@pytest.mark.parametrize("fixture", CASES, ids=[p.stem for p in CASES])
def test_engines_agree_on_every_fixture(fixture: object) -> None:
    graph = parse_files([*VALID, fixture])  # type: ignore[list-item]
    reference = findings(graph, PYSHACL)
    assert reference, "every fixture breaks or leaves out at least one rule"
    assert findings(graph, TURBO) == reference


@pytest.mark.parametrize("fixture", CASES, ids=[p.stem for p in CASES])
def test_turbo_finds_the_same_in_n_triples_text(fixture: object) -> None:
    """The build gives pyshacl-turbo N-Triples text (docs/decisions/0021-fast-mapping.md)."""
    graph = parse_files([*VALID, fixture])  # type: ignore[list-item]
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    from_text = {key(f) for f in validate_graph(text, SHAPES, engine=TURBO).findings}
    assert from_text and from_text == findings(graph, TURBO)


def test_engines_agree_on_the_valid_base() -> None:
    graph = parse_files(VALID)
    assert findings(graph, TURBO) == findings(graph, PYSHACL) == set()


@pytest.mark.parametrize(("setting", "organisations", "expected"), [
    ("auto", 15, PYSHACL), ("auto", 2000, PYSHACL), ("auto", 2001, TURBO),
    ("pyshacl", 100_000, PYSHACL), ("turbo", 1, TURBO),
])
def test_engine_choice(setting: str, organisations: int, expected: str) -> None:
    assert choose_engine(setting, organisations) == expected


def test_engines_agree_on_the_real_data(tmp_path: object) -> None:
    from midwest_lod.config import Settings
    from midwest_lod.pipeline import run_validate

    reports = []
    for engine in (PYSHACL, TURBO):
        result = run_validate(Settings.load({"output_dir": tmp_path, "shacl_engine": engine}))
        assert result.engine == engine
        reports.append(sorted((i.path, i.line or 0, i.field or "", i.severity, i.rule, i.message_en)
                              for i in result.located))
    assert reports[0] == reports[1]
    assert len(reports[0]) >= 10  # the real data has warnings (missing recommended facts)
