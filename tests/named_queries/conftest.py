"""Fixtures of the catalogue tests: a folder to write bad query files into."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from midwest_lod.named_queries.catalogue import NamedQuery, load_query
from midwest_lod.vocab import prefixes_for

GOOD_HEADER = """\
#+ title_nl: Gemeenten
#+ title_en: Municipalities
#+ description_nl: De gemeenten.
#+ description_en: The municipalities.
#+ param: datum date default=2025-01-01
#+ output: table
"""
GOOD_QUERY = """\
PREFIX mw: <https://data.midwest.be/ns/sociale-economie#>
SELECT ?gemeente ?datum WHERE { ?gemeente a mw:Municipality }
ORDER BY ?gemeente
"""


@pytest.fixture
def write_query(tmp_path: Path) -> Callable[[str], NamedQuery]:
    """Writes ``text`` as ``tmp/voorbeeld.rq`` and loads it."""

    def write(text: str) -> NamedQuery:
        path = tmp_path / "voorbeeld.rq"
        path.write_text(text, encoding="utf-8")
        return load_query(path, prefixes=prefixes_for("https://data.midwest.be"))

    return write
