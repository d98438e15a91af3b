"""Folding of labels and queries (midwest_lod/search/text.py)."""

from __future__ import annotations

import pytest

from midwest_lod.search.text import fold, key, words


@pytest.mark.parametrize(("text", "folded"), [
    ("Sint-Eloois-Winkel", "sint eloois winkel"),
    ("SINT ÉLOOIS  winkel", "sint eloois winkel"),
    ("Troev coördinatiebureau, Kasteelstraat 101", "troev coordinatiebureau kasteelstraat 101"),
    ("Industriële activiteiten", "industriele activiteiten"),
    ("Thema's", "themas"),
    ("Thema’s", "themas"),
    ("v.z.w.", "vzw"),
    ("St. Jan", "st jan"),
    ("  ", ""),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(("text", "expected"), [
    ("Mariasteen vzw", "mariasteen"),
    ("Mariasteen V.Z.W.", "mariasteen"),
    ("vzw Mariasteen", "mariasteen"),
    ("De Lochting c.v.b.a.", "de lochting"),
    ("Optimat cv", "optimat"),
    ("Pas Par Toe bv", "pas par toe"),
    ("vzw", "vzw"),  # nothing else: the legal form itself is looked for
    ("nv bv", "nv bv"),
])
def test_legal_form_words(text: str, expected: str) -> None:
    assert key(text) == expected
    assert words(text) == expected.split()
