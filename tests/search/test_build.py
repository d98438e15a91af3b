"""The index the build writes (``search.sqlite`` in the version's folder) and the one the web
application builds in memory for a version without it: the same things, the same answers."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from midwest_lod.iris import Iris
from midwest_lod.search.build import build
from midwest_lod.search.index import FILE_NAME, SearchIndex
from midwest_lod.vocab import DEFAULT_BASE
from midwest_lod.web.published import Publication
from midwest_lod.web.search import index_for

QUERIES = ["Mariasteen vzw", "maria", "Tielt", "Meulebeke", "sint eloois winkel", "gits",
           "Lannoo", "industriële", "kringwinkel", "vzw"]


def test_the_build_writes_the_index_of_its_version(real_publication: Path) -> None:
    current = real_publication / "current"
    manifest = json.loads((current / "build.json").read_text(encoding="utf-8"))
    index = SearchIndex.open(current / FILE_NAME)
    assert index.version == manifest["version"]
    assert index.items > 100 and index.labels > index.items and index.descriptions > 50
    assert "search" in manifest["stages"]
    index.close()


def test_memory_and_file_answer_alike(real_publication: Path) -> None:
    version = Publication(real_publication).current()
    from_file = index_for(version, Iris(DEFAULT_BASE))
    in_memory = build(version.store, Iris(DEFAULT_BASE), version.id)
    assert from_file.version == in_memory.version == version.id
    for query in QUERIES:
        assert from_file.search(query, 50) == in_memory.search(query, 50), query
        assert from_file.suggest(query, 10) == in_memory.suggest(query, 10), query
    in_memory.close()


@pytest.mark.parametrize("damage", ["missing", "other version", "not sqlite"])
def test_a_version_without_a_usable_file_is_indexed_in_memory(
        real_publication: Path, tmp_path: Path, damage: str) -> None:
    copy = tmp_path / "published"
    shutil.copytree(real_publication, copy, symlinks=True)
    path = copy / "current" / FILE_NAME
    if damage == "missing":
        path.unlink()
    elif damage == "not sqlite":
        path.write_bytes(b"this is not a database")
    else:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE meta SET value = 'another' WHERE name = 'version'")
    version = Publication(copy).current()
    index = index_for(version, Iris(DEFAULT_BASE))
    assert index.version == version.id
    assert index.search("Mariasteen vzw", 1)[0].item.iri.endswith("/organisatie/mariasteen")
    assert index_for(version, Iris(DEFAULT_BASE)) is index  # kept with the version
