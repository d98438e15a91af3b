"""The SPARQL files of ``server/midwest_lod/queries/`` and how the application runs them.

Parameters are never pasted into query text: they are bound with pyoxigraph's
``substitutions`` (``?iri`` becomes the entity's IRI; :func:`midwest_lod.sparql.substitutions`).
Prefixes (``mw:`` depends on the base IRI) are passed as the parser's default prefixes, so the
files declare none.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

from midwest_lod.assets import query_dir
from midwest_lod.publication import QueryStore
from midwest_lod.sparql import substitutions

Bindable = NamedNode | BlankNode | Literal


@dataclass(frozen=True)
class Example:
    """An example query shown on the SPARQL page: title (nl, en) and text."""

    name: str
    title: str
    title_en: str
    text: str


class QueryFiles:
    """Reads each ``.rq`` file once."""

    def __init__(self, folder: Path | None = None, prefixes: dict[str, str] | None = None) -> None:
        self.folder = folder or query_dir()
        self.prefixes = dict(prefixes or {})
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()

    def text(self, name: str) -> str:
        text = self._texts.get(name)
        if text is None:
            with self._lock:
                text = (self.folder / f"{name}.rq").read_text(encoding="utf-8")
                self._texts[name] = text
        return text

    def run(self, store: QueryStore, name: str, *, union: bool = True,
            bindings: Mapping[str, Bindable] | None = None, **more: Bindable) -> Any:
        """Run query ``name`` with ``?key`` bound to each value of ``bindings`` and ``more``."""
        return store.query(
            self.text(name),
            prefixes=self.prefixes,
            use_default_graph_as_union=union,
            substitutions=substitutions({**(bindings or {}), **more}),
        )

    def examples(self) -> list[Example]:
        """The example queries, in file-name order. The first two comment lines are titles."""
        found = []
        for path in sorted((self.folder / "examples").glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            titles = [line.lstrip("#").strip() for line in text.splitlines()
                      if line.startswith("#")][:2]
            titles += [path.stem] * (2 - len(titles))
            found.append(Example(path.stem, titles[0], titles[1], text))
        return found
