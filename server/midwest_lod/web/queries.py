"""The SPARQL files of ``server/midwest_lod/queries/`` and how the application runs them.

Parameters are never pasted into query text: they are bound with pyoxigraph's
``substitutions`` (``?iri`` becomes the entity's IRI; :func:`midwest_lod.sparql.substitutions`).
Prefixes (``mw:`` depends on the base IRI) are passed as the parser's default prefixes, so the
files declare none.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

from midwest_lod.assets import query_dir
from midwest_lod.iris import api_query_path
from midwest_lod.named_queries.catalogue import NamedQuery, load_catalogue
from midwest_lod.named_queries.parameters import read_parameters
from midwest_lod.publication import QueryStore
from midwest_lod.sparql import bind_rows, substitutions
from midwest_lod.vocab import DEFAULT_BASE

#: The folder (under the query folder) of the named queries: the catalogue.
CATALOGUE_FOLDER = "catalogue"

Bindable = NamedNode | BlankNode | Literal


@dataclass(frozen=True)
class Example:
    """An example query shown on the SPARQL page: title (nl, en), text (with the example
    values of its parameters bound) and the path of the named query in the API."""

    name: str
    title: str
    title_en: str
    text: str
    api_path: str = ""


class QueryFiles:
    """Reads each ``.rq`` file once."""

    def __init__(self, folder: Path | None = None, prefixes: dict[str, str] | None = None,
                 base_iri: str = DEFAULT_BASE) -> None:
        self.folder = folder or query_dir()
        self.prefixes = dict(prefixes or {})
        self.base_iri = base_iri
        self._texts: dict[str, str] = {}
        self._catalogue: tuple[NamedQuery, ...] | None = None
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

    def catalogue(self) -> tuple[NamedQuery, ...]:
        """The named queries of ``catalogue/`` (read and checked once), IRIs under this base."""
        if self._catalogue is None:
            with self._lock:
                self._catalogue = load_catalogue(
                    self.folder / CATALOGUE_FOLDER, prefixes=self.prefixes,
                    base_iri=self.base_iri, default_base=DEFAULT_BASE)
        return self._catalogue

    def named(self, name: str) -> NamedQuery | None:
        """The named query ``name``, or None."""
        return next((q for q in self.catalogue() if q.name == name), None)

    def examples(self) -> list[Example]:
        """The catalogue as examples for the SPARQL page: each query with the example values
        of its parameters bound (as any SPARQL server can run it; never pasted)."""
        found = []
        for query in self.catalogue():
            arguments = read_parameters(query, query.sample_values(), _any_value)
            found.append(Example(query.name, query.title_nl, query.title_en,
                                 bind_rows(query.text, arguments.terms),
                                 api_query_path(query.name)))
        return found


def _any_value(class_iri: str) -> Collection[str]:
    """For the examples: the catalogue's own example values need no look-up."""
    return _Everything()


class _Everything(Collection[str]):
    def __contains__(self, item: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0
