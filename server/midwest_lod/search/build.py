"""What the search index holds, read from a version's store with ``queries/search-*.rq``.

The build calls :func:`write_index` once per version (``search.sqlite`` in the version's
folder); the web application calls :func:`read` itself only for a version without that file
(an external store whose files are elsewhere, a version published before search existed).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from midwest_lod.assets import query_dir
from midwest_lod.iris import Iris
from midwest_lod.publication import QueryStore
from midwest_lod.search.index import FILE_NAME, LABEL, Item, SearchIndex, Text, write
from midwest_lod.vocab import DCT, ORG, PROV, SCHEMA, SKOS, VOID, prefixes_for

log = logging.getLogger(__name__)

#: Kinds of things (``/id/{kind}/…``) a search finds; the bookkeeping of the publication
#: (assertions, graphs, inputs, software, distributions, addresses) is left out.
SEARCHED_KINDS = frozenset({
    "organisatie", "vestiging", "dienst", "gemeente", "arrondissement", "provincie", "regio",
    "regierol", "fusie", "verandering", "document", "cijfer", "definitie", "regelgeving",
    "activiteit", "dataset", "catalogus", "dataservice", "conceptscheme", "concept",
})
#: Languages of the texts searched ("" for none).
LANGUAGES = frozenset({"nl", "en", ""})
#: Classes too general to name the kind of a hit when a more specific one is there.
GENERAL_CLASSES = frozenset(str(term) for term in (
    PROV.Entity, PROV.Activity, DCT.Location, SKOS.Concept, ORG.FormalOrganization,
    SCHEMA.Service, ORG.Site, VOID.Dataset, SCHEMA.DigitalDocument, ORG.ChangeEvent,
))


def _kind(types: set[str], iris: Iris) -> str | None:
    """The class that names the kind of a thing: the project's own, else a specific one."""
    own = str(iris.vocab)

    def rank(term: str) -> tuple[int, str]:
        return (0 if term.startswith(own) else 2 if term in GENERAL_CLASSES else 1), term

    return min(types, key=rank) if types else None


def _select(store: QueryStore, iris: Iris, name: str) -> Iterable[Any]:
    """The solutions of ``queries/<name>.rq`` over the union of the graphs."""
    text = (query_dir() / f"{name}.rq").read_text(encoding="utf-8")
    solutions: Iterable[Any] = store.query(text, prefixes=prefixes_for(iris.base),
                                           use_default_graph_as_union=True)
    return solutions


def read(store: QueryStore, iris: Iris) -> tuple[list[Item], list[Text]]:
    """The things to find (those with a label, of the kinds searched) and their texts."""
    texts: list[Text] = []
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    searched: dict[str, bool] = {}
    for row in _select(store, iris, "search-texts"):
        subject, text = row["item"], row["text"]
        if not isinstance(subject, NamedNode) or not isinstance(text, Literal):
            continue
        language = text.language or ""
        if language not in LANGUAGES:
            continue
        item = subject.value
        wanted = searched.get(item)
        if wanted is None:
            wanted = searched[item] = iris.kind_of(item) in SEARCHED_KINDS
        if not wanted:
            continue
        weight = int(row["weight"].value)
        texts.append(Text(item, weight, text.value, language))
        if weight == LABEL:
            labels[item].setdefault(language, text.value)
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _select(store, iris, "search-items"):
        item, value = row["item"].value, row["value"]
        if item in labels and isinstance(value, NamedNode | Literal):
            facts[item][row["field"].value].add(value.value)
    items = []
    for item, by_lang in labels.items():
        known = facts.get(item, {})
        label = by_lang.get("nl") or by_lang.get("") or next(iter(by_lang.values()))
        english = by_lang.get("en")
        municipality = min(known.get("municipality") or known.get("site") or {""}) or None
        through = max(known.get("validThrough") or {""}) or None
        replaced = min(known.get("replacedBy") or {""}) or None
        items.append(Item(item, label, english if english != label else None,
                          _kind(known.get("type", set()), iris), municipality, through, replaced))
    return items, texts


def build(store: QueryStore, iris: Iris, version: str) -> SearchIndex:
    """An index in memory of the version ``store`` holds."""
    started = time.monotonic()
    items, texts = read(store, iris)
    index = SearchIndex.build(version, items, texts)
    log.info("search index of %s in memory: %d things, %d labels, %d descriptions, %.1f s",
             version, index.items, index.labels, index.descriptions, time.monotonic() - started)
    return index


def write_index(store: QueryStore, iris: Iris, version: str, folder: Path) -> Path:
    """Write ``folder/search.sqlite`` for the version ``store`` holds; returns its path."""
    path = folder / FILE_NAME
    path.unlink(missing_ok=True)
    items, texts = read(store, iris)
    write(path, version, items, texts).close()
    return path
