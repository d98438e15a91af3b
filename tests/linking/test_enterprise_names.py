"""Enterprise-number checks and name normalisation."""

from __future__ import annotations

import pytest

from midwest_lod.errors import LinkError
from midwest_lod.linking import enterprise
from midwest_lod.linking.names import normalise, removed_words, similarity


@pytest.mark.parametrize("number", ["0203.201.340", "0200.065.765", "BE 0203 201 340",
                                    "203201340", "0899.123.484"])
def test_valid_numbers(number: str) -> None:
    digits = enterprise.check(number)
    assert len(digits) == 10 and enterprise.is_valid(digits)


@pytest.mark.parametrize("number, message", [
    ("0200.065.766", "mod-97"),
    ("2200.065.765", "not an enterprise number"),
    ("12345", "not an enterprise number"),
    ("", "not an enterprise number"),
])
def test_invalid_numbers(number: str, message: str) -> None:
    with pytest.raises(LinkError, match=message):
        enterprise.check(number)


def test_display_and_search_url() -> None:
    assert enterprise.dotted("0203201340") == "0203.201.340"
    assert enterprise.search_url("0203201340") == (
        "https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html?nummer=0203201340")


@pytest.mark.parametrize("raw, expected", [
    ("De Lochting vzw", "de lochting"),
    ("DE LOCHTING V.Z.W.", "de lochting"),
    ("Pas-Par-Toe", "pas par toe"),
    ("Économie & Solidarité asbl", "economie en solidarite"),
    ("Kringwinkel, vereniging zonder winstoogmerk", "kringwinkel"),
    ("Mariasteen BV", "mariasteen"),
])
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_removed_words_and_similarity() -> None:
    assert removed_words("vzw De Kringwinkel") == ["vzw"]
    assert similarity("pas par toe", "pas par toe") == 1.0
    assert similarity("midwest kringwinkel", "kringwinkel midwest") == 1.0  # word order
    assert 0.8 < similarity("de lochting", "de lochtinck") < 0.9
    assert similarity("optimat", "bakkerij vandamme") < 0.3
    assert similarity("", "x") == 0.0
