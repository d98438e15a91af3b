"""The search index of one published version: SQLite FTS5 in memory, ranked in four tiers.

Built once per published version from the rows of ``queries/search-texts.rq`` and
``queries/search-items.rq`` (:mod:`midwest_lod.web.search` runs them and keeps the index with
the version, so a new publication brings a new index and requests still running keep theirs).

Tables: ``label`` (every label, alternative label, legal name, postal locality and former
name, with its folded :func:`~midwest_lod.search.text.key`, B-tree indexed) and ``description``;
two contentless FTS5 tables (``tokenize='unicode61 remove_diacritics 2'``) index their words.
A search asks, in this order, and stops when it has enough things:

1. ``exact``: the folded label equals the folded query (B-tree lookup);
2. ``prefix``: the folded label starts with the folded query (B-tree range);
3. ``word``: the query's words occur together, as whole words, in a label (FTS5 phrase);
4. ``description``: every word of the query occurs in a description (FTS5).

A suggestion asks 1, 2 and the label words with the last word as a prefix. Within a tier,
labels come before alternative labels, current things before ended ones, short before long.
The query text is never part of an SQL or FTS5 expression: values are bound, and each folded
word is quoted as an FTS5 string (folded words hold letters and digits only).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from midwest_lod.search.text import key, words

#: Match tiers, best first.
TIERS = ("exact", "prefix", "word", "description")
#: Weights of the texts of search-texts.rq: label, alternative name, former name, description.
LABEL, ALTERNATIVE, FORMER, DESCRIPTION = 0, 1, 2, 3
Row = tuple[int, int, str]  # item number, weight, text
_PAST_ALL = "\U0010ffff"  # sorts after any text: key < prefix + _PAST_ALL is a prefix range

_SCHEMA = """
CREATE TABLE label (id INTEGER PRIMARY KEY, item INTEGER NOT NULL, weight INTEGER NOT NULL,
                    key TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE description (id INTEGER PRIMARY KEY, item INTEGER NOT NULL, text TEXT NOT NULL);
CREATE VIRTUAL TABLE label_words USING fts5(
    key, content='', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
CREATE VIRTUAL TABLE description_words USING fts5(
    key, content='', tokenize='unicode61 remove_diacritics 2');
"""

_WORDS = ("SELECT label.item, label.weight, label.text FROM label_words "
          "JOIN label ON label.id = label_words.rowid WHERE label_words MATCH ? LIMIT ?")
_RANKED_WORDS = ("SELECT label.item, label.weight, label.text FROM label_words "
                 "JOIN label ON label.id = label_words.rowid WHERE label_words MATCH ? "
                 "ORDER BY label_words.rank LIMIT ?")


@dataclass(frozen=True)
class Item:
    """A thing that can be found, with what a hit shows about it."""

    iri: str
    label: str
    label_en: str | None
    kind: str | None  # class IRI
    municipality: str | None  # IRI of its municipality (its own, or its primary site's)
    valid_through: str | None  # last day, for what has ended (merged municipalities)
    replaced_by: str | None

    @property
    def ended(self) -> bool:
        return self.valid_through is not None


@dataclass(frozen=True)
class Hit:
    """One thing found: how it matched and the text that matched."""

    item: Item
    match: str  # one of TIERS
    text: str
    weight: int


@dataclass(frozen=True)
class Text:
    """A row of search-texts.rq."""

    item: str
    weight: int
    text: str
    lang: str


def _phrase(found: Sequence[str], *, prefix: bool = False) -> str:
    """An FTS5 phrase of folded words (letters and digits only, so quoting is enough)."""
    return '"' + " ".join(found) + '"' + ("*" if prefix else "")


def _all_words(found: Sequence[str]) -> str:
    return " AND ".join(f'"{word}"' for word in found)


class SearchIndex:
    """The index of one published version (see the module); safe to share between threads."""

    def __init__(self, version: str, items: Iterable[Item], texts: Iterable[Text]) -> None:
        self.version = version
        self.items: list[Item] = list(items)
        self.by_iri = {item.iri: item for item in self.items}
        number = {item.iri: n for n, item in enumerate(self.items)}
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.executescript(_SCHEMA)
        labels: list[tuple[int, int, str, str]] = []
        descriptions: list[tuple[int, str]] = []
        seen: set[tuple[int, int, str]] = set()
        for text in texts:
            item = number.get(text.item)
            if item is None or (item, text.weight, text.text) in seen:
                continue
            seen.add((item, text.weight, text.text))
            if text.weight >= DESCRIPTION:
                descriptions.append((item, text.text))
            else:
                labels.append((item, text.weight, key(text.text), text.text))
        with self._db:
            self._db.executemany("INSERT INTO label (item, weight, key, text) VALUES (?,?,?,?)",
                                 labels)
            self._db.execute("INSERT INTO label_words (rowid, key) SELECT id, key FROM label")
            self._db.execute("CREATE INDEX label_key ON label (key)")
            self._db.executemany("INSERT INTO description (item, text) VALUES (?, ?)",
                                 descriptions)
        with self._db:
            rows = self._db.execute("SELECT id, text FROM description").fetchall()
            self._db.executemany("INSERT INTO description_words (rowid, key) VALUES (?, ?)",
                                 [(rowid, " ".join(words(text))) for rowid, text in rows])
        self.labels = len(labels)
        self.descriptions = len(descriptions)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- asking ----------------------------------------------------------------------------

    def _rows(self, sql: str, *args: object) -> list[Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _exact(self, folded: str, limit: int) -> list[Row]:
        return self._rows("SELECT item, weight, text FROM label WHERE key = ? "
                          "ORDER BY weight LIMIT ?", folded, limit)

    def _prefix(self, folded: str, limit: int) -> list[Row]:
        return self._rows("SELECT item, weight, text FROM label WHERE key > ? AND key < ? "
                          "ORDER BY key LIMIT ?", folded, folded + _PAST_ALL, limit)

    def _label_words(self, expression: str, limit: int, *, ranked: bool
                     ) -> list[Row]:
        return self._rows(_RANKED_WORDS if ranked else _WORDS, expression, limit)

    def _descriptions(self, expression: str, limit: int) -> list[Row]:
        return self._rows("SELECT description.item, 3, description.text FROM description_words "
                          "JOIN description ON description.id = description_words.rowid "
                          "WHERE description_words MATCH ? ORDER BY description_words.rank "
                          "LIMIT ?", expression, limit)

    def search(self, query: str, limit: int) -> list[Hit]:
        """At most ``limit`` things for ``query``, best first (the four tiers)."""
        found = words(query)
        if not found:
            return []
        folded = " ".join(found)
        fetch = limit * 4 + 8  # rows per tier: a thing can match with several labels
        tiers = (
            ("exact", lambda: self._exact(folded, fetch)),
            ("prefix", lambda: self._prefix(folded, fetch)),
            ("word", lambda: self._label_words(_phrase(found), fetch, ranked=True)),
            ("description", lambda: self._descriptions(_all_words(found), fetch)),
        )
        return self._collect(tiers, limit)

    def suggest(self, query: str, limit: int) -> list[Hit]:
        """At most ``limit`` things whose label starts with ``query`` or has a word that does."""
        found = words(query)
        if not found:
            return []
        folded = " ".join(found)
        fetch = limit * 3 + 4
        tiers = (
            ("exact", lambda: self._exact(folded, fetch)),
            ("prefix", lambda: self._prefix(folded, fetch)),
            ("word", lambda: self._label_words(_phrase(found, prefix=True), fetch, ranked=False)),
        )
        return self._collect(tiers, limit)

    def _collect(self, tiers: Sequence[tuple[str, Callable[[], list[Row]]]], limit: int
                 ) -> list[Hit]:
        hits: list[Hit] = []
        taken: set[int] = set()
        for tier, ask in tiers:
            rows = ask()
            candidates: dict[int, Hit] = {}
            for number, weight, text in rows:
                if number in taken:
                    continue
                hit = Hit(self.items[number], tier, text, weight)
                best = candidates.get(number)
                if best is None or _order(hit) < _order(best):
                    candidates[number] = hit
            hits.extend(sorted(candidates.values(), key=_order))
            taken.update(candidates)
            if len(hits) >= limit:
                break
        return hits[:limit]


def _order(hit: Hit) -> tuple[int, bool, int, str]:
    """Order within a tier: labels first, current before ended, short before long."""
    return hit.weight, hit.item.ended, len(hit.text), hit.item.label.casefold()
