"""The counting of facets (midwest_lod.facets.index), on a small hand-made index."""

from __future__ import annotations

import pytest

from midwest_lod.facets.dimensions import BASIS
from midwest_lod.facets.index import FacetIndex, bits_of, positions_of

S, INF = "stated", "inferred"
ORGS = ["a", "b", "c", "d"]
ROWS = {  # (facet, value, basis): organisations
    ("gemeente", "roeselare", S): ["a", "b"],
    ("gemeente", "tielt", S): ["c"],
    ("gemeente", "tielt", INF): ["d"],
    ("thema", "voeding", S): ["a", "c"],
    ("thema", "hout", INF): ["b", "d"],
}


@pytest.fixture
def index() -> FacetIndex:
    masks = {key: bits_of((ORGS.index(o) for o in orgs), len(ORGS)) for key, orgs in ROWS.items()}
    return FacetIndex(list(ORGS), masks, {"a": {"nl": "A"}})


@pytest.mark.parametrize(("chosen", "listed"), [
    ({}, "abcd"),
    ({"gemeente": {"tielt"}}, "cd"),
    ({"gemeente": {"tielt", "roeselare"}}, "abcd"),          # alternatives within a facet
    ({"gemeente": {"roeselare"}, "thema": {"voeding"}}, "a"),  # all facets hold
    ({"gemeente": {"tielt"}, BASIS: {S}}, "c"),             # only stated statements count
    ({BASIS: {INF}}, "bd"),                                   # any inferred statement
    ({"thema": {"hout"}, BASIS: {S}}, ""),
])
def test_list(index: FacetIndex, chosen: dict[str, set[str]], listed: str) -> None:
    selection = index.select({k: frozenset(v) for k, v in chosen.items()})
    assert "".join(selection) == listed
    assert selection.total == len(listed)


def test_counts_leave_out_their_own_facet(index: FacetIndex) -> None:
    selection = index.select({"gemeente": frozenset({"tielt"}), "thema": frozenset({"hout"})})
    assert "".join(selection) == "d"
    # gemeente counts are narrowed by thema=hout only: b (roeselare) and d (tielt)
    assert selection.counts["gemeente"] == {"roeselare": 1, "tielt": 1}
    # thema counts are narrowed by gemeente=tielt only: c (voeding) and d (hout)
    assert selection.counts["thema"] == {"voeding": 1, "hout": 1}
    assert selection.counts[BASIS] == {S: 0, INF: 1}


def test_count_is_the_size_of_the_list_it_leads_to(index: FacetIndex) -> None:
    for facet, values in index.select({}).counts.items():
        for value, count in values.items():
            assert index.select({facet: frozenset({value})}).total == count


def test_label_falls_back_to_the_iri(index: FacetIndex) -> None:
    assert index.label("a") == "A"
    assert index.label("a", "en") == "A"
    assert index.label("zz") == "zz"


@pytest.mark.parametrize(("offset", "limit"), [(0, 10), (3, 4), (7, 100), (50, 5), (0, 0)])
def test_positions_of(offset: int, limit: int) -> None:
    spots = [0, 3, 8, 9, 15, 16, 40, 41, 42, 63, 64, 200]
    bits = bits_of(spots, 256)
    expected = spots[offset:offset + limit] if limit else []
    assert positions_of(bits, offset, limit) == expected
