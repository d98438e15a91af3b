"""Ranking of the search index (midwest_lod/search/index.py) on a small hand-made version: the
tiers, labels before alternative names, current before ended, and each version its own index."""

from __future__ import annotations

import pytest

from midwest_lod.search.index import (
    ALTERNATIVE,
    DESCRIPTION,
    FORMER,
    LABEL,
    Item,
    SearchIndex,
    Text,
)


def item(iri: str, label: str, through: str | None = None) -> Item:
    return Item(iri, label, None, None, None, through, None)


ITEMS = [item("a", "Groen"), item("b", "Groenzorg"), item("c", "Zorg en groen"),
         item("d", "Tuin"), item("e", "Oud Groen", "2024-12-31"), item("f", "Nieuw")]
TEXTS = [Text("a", LABEL, "Groen", "nl"), Text("b", LABEL, "Groenzorg", "nl"),
         Text("c", LABEL, "Zorg en groen", "nl"),
         Text("d", LABEL, "Tuin", "nl"), Text("d", DESCRIPTION, "Een groen project.", "nl"),
         Text("e", LABEL, "Groen", "nl"), Text("f", FORMER, "Groen", "nl"),
         Text("f", ALTERNATIVE, "Het nieuwe groen", "nl"), Text("x", LABEL, "Groen", "nl")]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build("v1", ITEMS, TEXTS)


def test_tiers(index: SearchIndex) -> None:
    hits = index.search("groen", 20)
    assert [(h.item.iri, h.match) for h in hits] == [
        ("a", "exact"), ("e", "exact"), ("f", "exact"),  # label, ended label, former name
        ("b", "prefix"), ("c", "word"), ("d", "description")]


def test_limit_and_suggest(index: SearchIndex) -> None:
    assert [h.item.iri for h in index.search("groen", 2)] == ["a", "e"]
    assert [h.item.iri for h in index.suggest("groe", 10)] == ["a", "b", "e", "f", "c"]
    assert index.suggest("een", 10) == []  # descriptions are not suggested


@pytest.mark.parametrize("query", ['"', "groen*", "groen OR tuin", "NEAR(groen)", "a:b", "-x"])
def test_query_syntax_is_text(index: SearchIndex, query: str) -> None:
    """FTS5 operators in a query are words, never syntax (no error, no injection)."""
    index.search(query, 5)
    index.suggest(query, 5)


def test_a_version_has_its_own_index(index: SearchIndex) -> None:
    newer = SearchIndex.build("v2", [item("a", "Blauw")], [Text("a", LABEL, "Blauw", "nl")])
    assert newer.search("groen", 5) == [] and index.search("groen", 5)
    newer.close()


def test_candidates_for_reconciliation_go_past_the_phrase(index: SearchIndex) -> None:
    """Reconciliation's candidates: after exact, prefix and phrase, any shared word (no
    article), then a word starting as one of the query's (the words run together)."""
    found = [(h.item.iri, h.match) for h in index.candidates("de tuin van groenzorg", 20)]
    assert found[:2] == [("d", "some_words"), ("b", "some_words")]  # short labels first
    assert {match for _, match in found[2:]} == {"word_start"}  # "gro…": Groen, Zorg en groen
    assert ("b", "word_start") in [(h.item.iri, h.match)
                                   for h in index.candidates("groenezorg", 20)]
    for query in ('"', "groen*", "groen OR tuin", "NEAR(groen)", "a:b", "-x"):
        index.candidates(query, 5)  # FTS5 operators are words, never syntax
