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
    searched: dict[str, str | None] = {}  # IRI -> the same IRI (one str per thing) or None
    for subject, weight_term, text in _select(store, iris, "search-texts"):
        if not isinstance(subject, NamedNode) or not isinstance(text, Literal):
            continue
        language = text.language or ""
        if language not in LANGUAGES:
            continue
        iri = subject.value
        item = searched.get(iri, iri)
        if item is iri:  # not seen before
            item = searched[iri] = iri if iris.kind_of(iri) in SEARCHED_KINDS else None
        if item is None:
            continue
        weight = int(weight_term.value)
        texts.append(Text(item, weight, text.value, language))
        if weight == LABEL:
            labels[item].setdefault(language, text.value)
    # per thing: its types, and the least (the greatest for validThrough) value of each field
    types: dict[str, set[str]] = defaultdict(set)
    facts: dict[str, dict[str, str]] = defaultdict(dict)
    for subject, field_term, value in _select(store, iris, "search-items"):
        item = subject.value
        if item not in labels or not isinstance(value, NamedNode | Literal):
            continue
        field, found = field_term.value, value.value
        if field == "type":
            types[item].add(found)
            continue
        least = facts[item].get(field)
        if least is None or (found > least if field == "validThrough" else found < least):
            facts[item][field] = found
    items = []
    for item, by_lang in labels.items():
        known = facts.get(item, {})
        label = by_lang.get("nl") or by_lang.get("") or next(iter(by_lang.values()))
        english = by_lang.get("en")
        # its own municipality, else its primary site's
        municipality = known["municipality"] if "municipality" in known else known.get("site")
        items.append(Item(item, label, english if english != label else None,
                          _kind(types.get(item, set()), iris), municipality or None,
                          known.get("validThrough") or None, known.get("replacedBy") or None))
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
