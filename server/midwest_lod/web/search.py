"""The search index of the version being served, built from the store on first use.

:func:`index_for` runs ``queries/search-texts.rq`` and ``queries/search-items.rq`` once per
published version and keeps the :class:`~midwest_lod.search.index.SearchIndex` in the
version's cache: a new publication is a new :class:`~midwest_lod.web.published.Version` with a
new index, and requests already running finish with the one they started with. The same works
with an external store (the queries go to it). docs/decisions/0007-search.md.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict

from pyoxigraph import Literal, NamedNode

from midwest_lod.iris import Iris
from midwest_lod.search.index import LABEL, Item, SearchIndex, Text
from midwest_lod.web.describe import local_name, pick_labels
from midwest_lod.web.published import Version
from midwest_lod.web.queries import QueryFiles

log = logging.getLogger(__name__)

#: Kinds of things (``/id/{kind}/…``) a search finds; the bookkeeping of the publication
#: (assertions, graphs, inputs, software, distributions) is left out.
SEARCHED_KINDS = frozenset({
    "organisatie", "vestiging", "dienst", "gemeente", "arrondissement", "provincie", "regio",
    "regierol", "fusie", "verandering", "document", "cijfer", "definitie", "regelgeving",
    "activiteit", "dataset", "catalogus", "dataservice", "conceptscheme", "concept",
})
#: Classes too general to name the kind of a hit when a more specific one is there.
GENERAL_CLASSES = frozenset({
    "http://www.w3.org/ns/prov#Entity", "http://www.w3.org/ns/prov#Activity",
    "http://purl.org/dc/terms/Location", "http://www.w3.org/2004/02/skos/core#Concept",
    "http://www.w3.org/ns/org#FormalOrganization", "http://schema.org/Service",
    "http://www.w3.org/ns/org#Site", "http://rdfs.org/ns/void#Dataset",
    "http://schema.org/DigitalDocument", "http://www.w3.org/ns/org#ChangeEvent",
})
CACHE_KEY = "search_index"
_build_lock = threading.Lock()


def _kind(types: set[str], iris: Iris) -> str | None:
    """The class that names the kind of a thing: the project's own, else a specific one."""
    own = str(iris.vocab)

    def rank(term: str) -> tuple[int, str]:
        return (0 if term.startswith(own) else 2 if term in GENERAL_CLASSES else 1), term

    return min(types, key=rank) if types else None


def build_index(version: Version, queries: QueryFiles, iris: Iris) -> SearchIndex:
    """Read the texts and items of ``version`` and index them."""
    started = time.monotonic()
    texts: list[Text] = []
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in queries.run(version.store, "search-texts"):
        item, text = row["item"].value, row["text"]
        if not isinstance(text, Literal) or iris.kind_of(item) not in SEARCHED_KINDS:
            continue
        weight = int(row["weight"].value)
        texts.append(Text(item, weight, text.value, text.language or ""))
        if weight == LABEL:
            labels[item].setdefault(text.language or "", text.value)
    types: dict[str, set[str]] = defaultdict(set)
    extra: dict[str, tuple[str | None, str | None, str | None]] = {}
    for row in queries.run(version.store, "search-items"):
        item = row["item"].value
        if item not in labels:
            continue
        types[item].add(row["type"].value)
        municipality, through, replaced = (row[name] for name in
                                           ("municipality", "validThrough", "replacedBy"))
        extra.setdefault(item, (
            municipality.value if isinstance(municipality, NamedNode) else None,
            through.value if isinstance(through, Literal) else None,
            replaced.value if isinstance(replaced, NamedNode) else None))
    items = []
    for item, by_lang in labels.items():
        label, label_en = pick_labels(by_lang, local_name(item))
        municipality, through, replaced = extra.get(item, (None, None, None))
        items.append(Item(item, label, label_en, _kind(types[item], iris), municipality, through,
                          replaced))
    index = SearchIndex(version.id, items, texts)
    log.info("search index of %s: %d things, %d labels, %d descriptions in %.1f s", version.id,
             len(items), index.labels, index.descriptions, time.monotonic() - started)
    return index


def index_for(version: Version, queries: QueryFiles, iris: Iris) -> SearchIndex:
    """The index of ``version``, built by the first request that needs it."""
    index: SearchIndex | None = version.cache.get(CACHE_KEY)
    if index is None:
        with _build_lock:
            index = version.cache.get(CACHE_KEY)
            if index is None:
                index = build_index(version, queries, iris)
                version.cache[CACHE_KEY] = index
    return index
