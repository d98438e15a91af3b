"""The same input gives isomorphic graphs and byte-identical canonical N-Triples."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from midwest_lod.config import Settings
from midwest_lod.pipeline import run_build


def test_two_builds_give_byte_identical_canonical_files(tmp_path: Path) -> None:
    first = run_build(Settings.load({"output_dir": tmp_path / "a"}),
                      now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    second = run_build(Settings.load({"output_dir": tmp_path / "b"}),
                       now=dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
    assert first.version is not None and second.version is not None
    for name in ("canonical.nt", "canonical.nq"):
        a = (first.version.path / name).read_bytes()
        b = (second.version.path / name).read_bytes()
        assert a == b, name
        assert a.count(b"\n") > 1000
        lines = a.splitlines()
        assert lines == sorted(set(lines)), f"{name} is not sorted and unique"
    # different build times, same content: the version ids share the content hash only
    assert first.version.id != second.version.id
    assert first.version.id.split("-")[1] == second.version.id.split("-")[1]


def test_graphs_of_two_builds_are_isomorphic(tmp_path: Path) -> None:
    unions, quad_sets = [], []
    for name in ("a", "b"):
        result = run_build(Settings.load({"output_dir": tmp_path / name}))
        assert result.version is not None
        dataset = Dataset()
        dataset.parse(result.version.path / "canonical.nq", format="nquads")
        quad_sets.append(set(dataset.quads((None, None, None, None))))
        union = Graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        unions.append(union)
    assert isomorphic(unions[0], unions[1])
    assert quad_sets[0] == quad_sets[1]
    assert len(unions[0]) > 1000


def test_a_second_build_publishes_a_new_version_atomically(tmp_path: Path) -> None:
    settings = Settings.load({"output_dir": tmp_path})
    first = run_build(settings, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    second = run_build(settings, now=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    assert first.version is not None and second.version is not None
    current = (tmp_path / "current").resolve()
    assert current == second.version.path.resolve()
    assert first.version.path.is_dir(), "an older version stays until pruned"
    assert not any((tmp_path / "staging").iterdir())


def _published_files(root: Path) -> dict[str, bytes]:
    """Every file of a version except the store (a database, not a publication)."""
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and "store" not in path.relative_to(root).parts}


def test_every_published_file_is_byte_identical_for_the_same_input_and_time(
        tmp_path: Path) -> None:
    # Regression: vocabulary.nt (blank nodes of the ontology) and report.ttl (blank nodes of
    # the SHACL report) came out in a different order on every build.
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    versions = [run_build(Settings.load({"output_dir": tmp_path / name}), now=now).version
                for name in ("a", "b")]
    assert versions[0] is not None and versions[1] is not None
    first, second = (_published_files(v.path) for v in versions)
    assert set(first) == set(second)
    assert {"vocabulary.nt", "report.ttl", "canonical.nq", "completeness.json"} <= set(first)
    for name in first:
        a, b = first[name], second[name]
        if name == "build.json":
            # the manifest also records how long each stage took: a measurement of the run
            manifests = [json.loads(x) for x in (a, b)]
            for manifest in manifests:
                del manifest["stages"]
            assert manifests[0] == manifests[1]
        else:
            assert a == b, name
    vocabulary = first["vocabulary.nt"].splitlines()
    assert vocabulary == sorted(set(vocabulary))
    assert any(line.startswith(b"_:") for line in vocabulary), "the ontology has blank nodes"
