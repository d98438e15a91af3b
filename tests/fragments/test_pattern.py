"""Selector values of the TPF template (midwest_lod.fragments.pattern): read as the
specification writes them, written back the same, and the URL of a page encoded as RFC 6570
expansion (and Comunica's ``uritemplate``) encodes it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from midwest_lod.errors import BadRequest
from midwest_lod.fragments.pattern import Pattern, iri_query, read, write

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(("value", "term"), [
    ("", None),
    ("?x", None),
    ("https://data.midwest.be/id/gemeente/37015",
     ox.NamedNode("https://data.midwest.be/id/gemeente/37015")),
    ('"Tielt"', ox.Literal("Tielt")),
    ('"Tielt"@nl', ox.Literal("Tielt", language="nl")),
    ('"say "hi""@en', ox.Literal('say "hi"', language="en")),
    (f'"1963"^^{XSD}gYear', ox.Literal("1963", datatype=ox.NamedNode(XSD + "gYear"))),
    (f'"1963"^^<{XSD}gYear>', ox.Literal("1963", datatype=ox.NamedNode(XSD + "gYear"))),
])
def test_read(value: str, term: ox.NamedNode | ox.Literal | None) -> None:
    assert read(value, "object") == term


@pytest.mark.parametrize(("value", "position"), [
    ('"x"', "subject"), ("x", "object"), ("_:b0", "object"), ('"x', "object"),
    ('"x"@', "object"), ('"x"^^no-iri', "object"), ('"x"y', "object"),
])
def test_bad_values_are_bad_requests(value: str, position: str) -> None:
    with pytest.raises(BadRequest):
        read(value, position)


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
       st.sampled_from([None, "nl", "en-gb"]))
def test_a_literal_written_reads_back(text: str, language: str | None) -> None:
    literal = ox.Literal(text, language=language) if language else ox.Literal(text)
    assert read(write(literal), "object") == literal


def test_the_page_url_is_the_template_expansion() -> None:
    pattern = Pattern(predicate=ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      object=ox.Literal("Tielt", language="nl"))
    assert pattern.query_string(2) == (
        "predicate=http%3A%2F%2Fwww.w3.org%2F2000%2F01%2Frdf-schema%23label"
        "&object=%22Tielt%22%40nl&page=2")
    assert iri_query(pattern.query_string(2)) == pattern.query_string(2)
    assert iri_query('object="a b"&x=%zz') == "object=%22a%20b%22&x=%25zz"
