"""The search index of one published version: an SQLite database with FTS5, ranked in four tiers.

The build writes it once per version as ``search.sqlite`` in the version's folder
(:mod:`midwest_lod.search.build`), so it switches with the version; the web application opens
it read-only (``immutable``: no locks) and keeps it with the version
(:mod:`midwest_lod.web.search`).

Tables: ``item`` (what a hit shows: label, kind, municipality, end date, successor),
``label`` (every label, alternative label, legal name, postal locality and former name, with its
folded :func:`~midwest_lod.search.text.key`, B-tree indexed) and ``description``; two
contentless FTS5 tables (``tokenize='unicode61 remove_diacritics 2'``) index their words.
A search asks, in this order, and stops when it has enough things:

1. ``exact``: the folded label equals the folded query (B-tree lookup);
2. ``prefix``: the folded label starts with the folded query (B-tree range);
3. ``word``: the query's words occur together, as whole words, in a label (FTS5 phrase);
4. ``description``: every word of the query occurs in a description (FTS5).

A suggestion asks 1, 2 and the label words with the last word as a prefix. Reconciliation's
candidates (:meth:`SearchIndex.candidates`) ask 1, 2, 3 and then labels holding any of the
words, ranked by bm25 (its only ranked tier: it reads every match). Within a tier,
labels come before alternative labels, current things before ended ones, short before long.
No tier ranks all its matches (a word in 100,000 labels would cost 100 ms): rows are stored in
the order of preference (weight, length), FTS5 answers in row order, and a tier reads only the
first rows it needs.
The query text is never part of an SQL or FTS5 expression: values are bound, and each folded
word is quoted as an FTS5 string (folded words hold letters and digits only).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from midwest_lod.search.text import ARTICLES, key, words

#: Match tiers, best first.
TIERS = ("exact", "prefix", "word", "description")
#: Weights of the texts of search-texts.rq: label, alternative name, former name, description.
LABEL, ALTERNATIVE, FORMER, DESCRIPTION = 0, 1, 2, 3
#: A matching text: weight, text, then the item's columns (as in :data:`_ITEM_COLUMNS`).
Row = tuple[Any, ...]
_PAST_ALL = "\U0010ffff"  # sorts after any text: key < prefix + _PAST_ALL is a prefix range

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE item (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, label TEXT NOT NULL,
                   label_en TEXT, kind TEXT, municipality TEXT, valid_through TEXT,
                   replaced_by TEXT);
CREATE TABLE label (id INTEGER PRIMARY KEY, item INTEGER NOT NULL, weight INTEGER NOT NULL,
                    key TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE description (id INTEGER PRIMARY KEY, item INTEGER NOT NULL, text TEXT NOT NULL);
CREATE VIRTUAL TABLE label_words USING fts5(
    key, content='', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
CREATE VIRTUAL TABLE description_words USING fts5(
    key, content='', tokenize='unicode61 remove_diacritics 2');
"""

#: The item's columns come last in every row, in the order of :class:`Item`'s fields.
_EXACT = """SELECT label.weight, label.text, item.iri, item.label, item.label_en, item.kind,
    item.municipality, item.valid_through, item.replaced_by
    FROM label JOIN item ON item.id = label.item
    WHERE label.key = ? ORDER BY label.weight LIMIT ?"""
_PREFIX = """SELECT label.weight, label.text, item.iri, item.label, item.label_en, item.kind,
    item.municipality, item.valid_through, item.replaced_by
    FROM label JOIN item ON item.id = label.item
    WHERE label.key > ? AND label.key < ? ORDER BY label.key LIMIT ?"""
_WORDS = """SELECT label.weight, label.text, item.iri, item.label, item.label_en, item.kind,
    item.municipality, item.valid_through, item.replaced_by
    FROM label_words JOIN label ON label.id = label_words.rowid JOIN item ON item.id = label.item
    WHERE label_words MATCH ? LIMIT ?"""
_DESCRIPTIONS = """SELECT 3, description.text, item.iri, item.label, item.label_en, item.kind,
    item.municipality, item.valid_through, item.replaced_by
    FROM description_words JOIN description ON description.id = description_words.rowid
    JOIN item ON item.id = description.item
    WHERE description_words MATCH ? LIMIT ?"""
#: Labels sharing any of the words (FTS5 ``OR``), best ranked first (bm25): for reconciliation.
_SOME_WORDS = """SELECT label.weight, label.text, item.iri, item.label, item.label_en, item.kind,
    item.municipality, item.valid_through, item.replaced_by
    FROM (SELECT rowid FROM label_words WHERE label_words MATCH ? ORDER BY rank LIMIT ?) AS found
    JOIN label ON label.id = found.rowid JOIN item ON item.id = label.item"""
_ITEM = """SELECT iri, label, label_en, kind, municipality, valid_through, replaced_by
    FROM item WHERE iri = ?"""
#: File name of the index in a version's folder.
FILE_NAME = "search.sqlite"


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


def _any_word(found: Sequence[str]) -> str:
    return " OR ".join(f'"{word}"' for word in found)


def _any_start(found: Sequence[str]) -> str:
    return " OR ".join(f'"{word[:3]}"*' for word in found)


def write(target: Path | str, version: str, items: Iterable[Item], texts: Iterable[Text]
          ) -> sqlite3.Connection:
    """Write the index of ``version`` to ``target`` (a new file, or ``":memory:"``)."""
    db = sqlite3.connect(str(target), check_same_thread=False)
    db.executescript(_SCHEMA)
    number: dict[str, int] = {}
    rows = []
    for item in items:
        number[item.iri] = len(number) + 1
        rows.append((number[item.iri], item.iri, item.label, item.label_en, item.kind,
                     item.municipality, item.valid_through, item.replaced_by))
    with db:
        db.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
        db.executemany("INSERT INTO item VALUES (?,?,?,?,?,?,?,?)", rows)
    labels: set[tuple[int, int, str, str]] = set()
    descriptions: set[tuple[int, str, str]] = set()
    for text in texts:
        found = number.get(text.item)
        if found is None:
            continue
        if text.weight >= DESCRIPTION:
            descriptions.add((found, text.text, " ".join(words(text.text))))
        else:
            labels.add((found, text.weight, key(text.text), text.text))
    # Row ids in the order a tier prefers (weight, then length): FTS5 answers in row id order,
    # so the first rows of an unranked match are the best ones.
    label_rows = sorted(labels, key=lambda row: (row[1], len(row[3]), row[3], row[0]))
    description_rows = sorted(descriptions, key=lambda row: (len(row[1]), row[1], row[0]))
    with db:
        db.executemany("INSERT INTO label VALUES (?,?,?,?,?)",
                       ((n, *row) for n, row in enumerate(label_rows, 1)))
        db.execute("INSERT INTO label_words (rowid, key) SELECT id, key FROM label")
        db.execute("CREATE INDEX label_key ON label (key, weight)")
        db.executemany("INSERT INTO description VALUES (?,?,?)",
                       ((n, item, text) for n, (item, text, _) in
                        enumerate(description_rows, 1)))
        db.executemany("INSERT INTO description_words (rowid, key) VALUES (?, ?)",
                       ((n, folded) for n, (_, _, folded) in enumerate(description_rows, 1)))
        db.execute("INSERT INTO label_words (label_words) VALUES ('optimize')")
        db.execute("INSERT INTO description_words (description_words) VALUES ('optimize')")
    return db


class SearchIndex:
    """The index of one published version (see the module); safe to share between threads."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = threading.Lock()
        found = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        self.version: str = found[0] if found else ""
        self.items = db.execute("SELECT count(*) FROM item").fetchone()[0]
        self.labels = db.execute("SELECT count(*) FROM label").fetchone()[0]
        self.descriptions = db.execute("SELECT count(*) FROM description").fetchone()[0]

    @classmethod
    def build(cls, version: str, items: Iterable[Item], texts: Iterable[Text]) -> SearchIndex:
        """An index in memory (when the version's folder has none)."""
        return cls(write(":memory:", version, items, texts))

    @classmethod
    def open(cls, path: Path) -> SearchIndex:
        """The index the build wrote, read-only; :class:`sqlite3.Error` when it is unusable."""
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        return cls(sqlite3.connect(uri, uri=True, check_same_thread=False))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def item(self, iri: str) -> Item | None:
        """The thing ``iri`` as the index knows it (for labels of municipalities, successors)."""
        with self._lock:
            found = self._db.execute(_ITEM, (iri,)).fetchone()
        return Item(*found) if found else None

    # --- asking ----------------------------------------------------------------------------

    def _rows(self, sql: str, *args: object) -> list[Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def search(self, query: str, limit: int) -> list[Hit]:
        """At most ``limit`` things for ``query``, best first (the four tiers)."""
        found = words(query)
        if not found:
            return []
        folded = " ".join(found)
        fetch = limit * 4 + 8  # rows per tier: a thing can match with several labels
        tiers: list[tuple[str, Callable[[], list[Row]]]] = [
            ("exact", lambda: self._rows(_EXACT, folded, fetch)),
            ("prefix", lambda: self._rows(_PREFIX, folded, folded + _PAST_ALL, fetch)),
            ("word", lambda: self._rows(_WORDS, _phrase(found), fetch)),
            ("description", lambda: self._rows(_DESCRIPTIONS, _all_words(found), fetch)),
        ]
        return self._collect(tiers, limit)

    def suggest(self, query: str, limit: int) -> list[Hit]:
        """At most ``limit`` things whose label starts with ``query`` or has a word that does."""
        found = words(query)
        if not found:
            return []
        folded = " ".join(found)
        fetch = limit * 3 + 4
        tiers: list[tuple[str, Callable[[], list[Row]]]] = [
            ("exact", lambda: self._rows(_EXACT, folded, fetch)),
            ("prefix", lambda: self._rows(_PREFIX, folded, folded + _PAST_ALL, fetch)),
            ("word", lambda: self._rows(_WORDS, _phrase(found, prefix=True), fetch)),
        ]
        return self._collect(tiers, limit)

    def candidates(self, query: str, limit: int) -> list[Hit]:
        """For reconciliation: the tiers of :meth:`search` on labels, then labels sharing any
        word of ``query`` (``some_words``, bm25-ranked), so that "De Lochting Izegem" or
        "Kringwinkel Midwest Roeselare" still find a label holding only some of the words,
        then labels with a word starting as one of the query's does (``word_start``: its first
        three letters), so that "PasParToe" and "Optima-T" find "Pas Par Toe" and "OptimaT"."""
        found = words(query)
        if not found:
            return []
        folded = " ".join(found)
        some = [word for word in found if word not in ARTICLES] or found
        fetch = limit * 4 + 8
        tiers: list[tuple[str, Callable[[], list[Row]]]] = [
            ("exact", lambda: self._rows(_EXACT, folded, fetch)),
            ("prefix", lambda: self._rows(_PREFIX, folded, folded + _PAST_ALL, fetch)),
            ("word", lambda: self._rows(_WORDS, _phrase(found), fetch)),
            ("some_words", lambda: self._rows(_SOME_WORDS, _any_word(some), fetch)),
            ("word_start", lambda: self._rows(_SOME_WORDS, _any_start(some), fetch)),
        ]
        return self._collect(tiers, limit)

    def _collect(self, tiers: Sequence[tuple[str, Callable[[], list[Row]]]], limit: int
                 ) -> list[Hit]:
        hits: list[Hit] = []
        taken: set[str] = set()
        for tier, ask in tiers:
            candidates: dict[str, Hit] = {}
            for weight, text, *columns in ask():
                iri = columns[0]
                if iri in taken:
                    continue
                hit = Hit(Item(*columns), tier, text, weight)
                best = candidates.get(iri)
                if best is None or _order(hit) < _order(best):
                    candidates[iri] = hit
            hits.extend(sorted(candidates.values(), key=_order))
            taken.update(candidates)
            if len(hits) >= limit:
                break
        return hits[:limit]


def _order(hit: Hit) -> tuple[int, bool, int, str]:
    """Order within a tier: labels first, current before ended, short before long."""
    return hit.weight, hit.item.ended, len(hit.text), hit.item.label.casefold()
