"""A SPARQL result cache in front of any :class:`QueryService`.

Example queries and harvesters send the same query over and over; a published version never
changes, so its answer does not either. :class:`CachingQueryService` keeps serialised results
in a per-web-worker cache bounded by bytes, least recently used first out (setting
``cache_max_bytes``; 0 turns it off), keyed by

* the **published version** the answer was computed on: a new publication changes the key,
  so a cached answer can never be served for another version (and the entries of the old
  version are dropped at the first request that sees the new one);
* the **normalised query text**: comments removed and whitespace runs outside strings
  collapsed (:func:`midwest_lod.sparql.normalise`; text inside strings and IRIs is untouched);
* the **dataset** (``default-graph-uri``, ``named-graph-uri``, FROM in the query) and
* the **negotiated format** of the query's kind of result (a JSON and an XML answer are
  different entries; the format negotiated for graphs does not matter to a SELECT).

Results of 512 bytes or more are kept gzipped too (sent as they are to clients that accept
gzip). Only successful results are kept, and only up to ``max_bytes // 8`` each: errors (400, 406,
503 timeouts, busy workers) are raised by the wrapped service and never reach the cache.
Each result says whether it came from the cache (``Result.cache``: "hit" or "miss"); the
endpoint sends it as ``X-Cache``.
"""

from __future__ import annotations

import dataclasses
import threading

from cachetools import LRUCache, cached

from midwest_lod.cache import SizedCache
from midwest_lod.formats import RESULT_FORMATS
from midwest_lod.sparql import normalise
from midwest_lod.web.http import MIN_COMPRESS, gzip_bytes
from midwest_lod.web.published import Publication
from midwest_lod.web.query.service import Dataset, FormatChoice, QueryService, Result

#: Bytes counted per entry besides the bodies and the query text (key tuple, Result, links).
ENTRY_OVERHEAD = 400
#: Queries up to this length have their normalised text remembered (for repeats) ...
NORMALISED_MAX_LENGTH = 8192
#: ... this many of them (8 MB at most; least recently used first out).
NORMALISED_MAX_ENTRIES = 512

#: (normalised query, default graphs, named graphs, FROM in the query, kind, format): kind is
#: "s" for SELECT and ASK results, "g" for CONSTRUCT and DESCRIBE, format the one negotiated
#: for that kind (a query has one kind, so the format of the other does not split entries).
CacheKey = tuple[str, tuple[str, ...], tuple[str, ...], bool, str, str]


class ResultCache:
    """The :class:`Result` of each key (a :class:`~midwest_lod.cache.SizedCache`, bounded by
    approximate bytes), holding the entries of one published version at a time."""

    def __init__(self, max_bytes: int) -> None:
        self.entries: SizedCache[tuple[Result, int]] = SizedCache(max_bytes, _cost_of)
        self._version: str | None = None
        self._lock = threading.Lock()  # a version switch and the look-ups and puts around it

    def get(self, version: str, key: CacheKey) -> Result | None:
        with self._lock:
            if version != self._version:  # a new publication: drop the old version's entries
                self.entries.clear()
                self._version = version
            entry = self.entries.get(key)
        return entry[0] if entry is not None else None

    def put(self, key: CacheKey, result: Result) -> bool:
        """Keep ``result`` (computed on ``result.version``); False when it is not kept."""
        cost = len(result.body) + len(result.gzipped or b"") + len(key[0]) + ENTRY_OVERHEAD
        with self._lock:
            if result.version != self._version:  # computed on an older (or not yet seen) one
                return False
            return self.entries.put(key, (result, cost))

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def size(self) -> int:
        return self.entries.size

    @property
    def hits(self) -> int:
        return self.entries.hits

    @property
    def misses(self) -> int:
        return self.entries.misses

    @property
    def version(self) -> str | None:
        return self._version


def _cost_of(entry: tuple[Result, int]) -> int:
    return entry[1]


class CachingQueryService:
    """Wraps a :class:`QueryService` with a :class:`ResultCache` keyed by published version."""

    def __init__(self, inner: QueryService, publication: Publication, max_bytes: int) -> None:
        self.inner = inner
        self.publication = publication
        self.cache = ResultCache(max_bytes)
        # query as sent -> normalised (a pure function), for the repeats
        self._normalised = cached(LRUCache[str, str](maxsize=NORMALISED_MAX_ENTRIES),
                                  lock=threading.Lock())(normalise)

    def _normalise(self, query: str) -> str:
        if len(query) > NORMALISED_MAX_LENGTH:
            return normalise(query)
        return self._normalised(query)

    def run(self, query: str, formats: FormatChoice, dataset: Dataset, *,
            has_dataset_clause: bool = False) -> Result:
        version = self.publication.current().id
        text = self._normalise(query)
        for kind, fmt in (("s", formats.solutions), ("g", formats.graph)):
            if fmt is not None:
                key: CacheKey = (text, dataset.default_graphs, dataset.named_graphs,
                                 has_dataset_clause, kind, fmt.name)
                cached = self.cache.get(version, key)
                if cached is not None:
                    return dataclasses.replace(cached, cache="hit")
        result = self.inner.run(query, formats, dataset, has_dataset_clause=has_dataset_clause)
        if len(result.body) >= MIN_COMPRESS:  # compressed once, sent compressed many times
            result = dataclasses.replace(result, gzipped=gzip_bytes(result.body))
        kind = "s" if result.format in RESULT_FORMATS else "g"
        self.cache.put((text, dataset.default_graphs, dataset.named_graphs, has_dataset_clause,
                        kind, result.format.name), result)
        return dataclasses.replace(result, cache="miss")

    def warm(self) -> None:
        self.inner.warm()

    def close(self) -> None:
        self.inner.close()
