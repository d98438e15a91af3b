"""The facet index the build writes (``facets.json``, midwest_lod.facets.stored) is the one
the store gives, and the server reads it instead of the store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from midwest_lod.facets import stored
from midwest_lod.facets.index import FacetIndex, bits_of
from midwest_lod.facets.reading import read_index
from midwest_lod.iris import Iris
from midwest_lod.publication import current_version


def _same(found: FacetIndex, expected: FacetIndex) -> None:
    assert found.organisations == expected.organisations
    assert found.masks == expected.masks
    assert found.labels == expected.labels


def test_the_build_writes_the_index_the_store_gives(real_publication: Path) -> None:
    folder = (real_publication / "current").resolve()
    from_store = read_index(ox.Store.read_only(str(folder / "store")),
                            Iris("https://data.midwest.be"))
    from_file = stored.read(folder)
    assert from_file is not None, "the build wrote facets.json"
    assert len(from_file.organisations) > 10 and from_file.masks
    _same(from_file, from_store)


def test_round_trip_is_exact_and_byte_stable(tmp_path: Path) -> None:
    organisations = [f"https://example.org/o{n}" for n in range(300)]
    index = FacetIndex(organisations, {
        ("gemeente", "https://example.org/g1", "stated"): bits_of(range(0, 300, 7), 300),
        ("thema", "https://example.org/t1", ""): bits_of([299], 300),
        ("rechtsvorm", "https://example.org/vzw", "inferred"): 0,
    }, {"https://example.org/g1": {"nl": "Tielt", "en": "Tielt"}})
    first = stored.write(index, tmp_path).read_bytes()
    _same(stored.read(tmp_path) or FacetIndex([], {}), index)
    assert stored.write(index, tmp_path).read_bytes() == first


@pytest.mark.parametrize("content", [
    '{"format": 0, "organisations": [], "masks": [], "labels": {}}',  # another format
    '{"format": 1, "organisations": [], "ma',                          # cut short
    '{"format": 1, "organisations": [], "masks": [["gemeente", "x"]], "labels": {}}',
    '[1, 2]',
])
def test_another_format_a_broken_or_no_file_falls_back_to_the_store(
        tmp_path: Path, content: str) -> None:
    assert stored.read(tmp_path) is None
    (tmp_path / stored.FILE_NAME).write_text(content, encoding="utf-8")
    assert stored.read(tmp_path) is None


def test_the_server_uses_the_file(real_publication: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the file present, the first faceted page does not read the facets from the store."""
    from midwest_lod.web import facets as web_facets

    def forbidden(*_: object) -> FacetIndex:
        raise AssertionError("read the store although facets.json is there")

    monkeypatch.setattr(web_facets, "read_index", forbidden)
    version = current_version(real_publication)
    found = web_facets.facets_for(version, Iris("https://data.midwest.be"))
    assert found.index.organisations and found.keys["gemeente"]
