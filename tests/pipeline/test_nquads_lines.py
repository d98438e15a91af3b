"""The build's N-Quads lines are pyoxigraph's own serialisation, byte for byte, for every kind
of term the mapping writes and for the literals that need escaping (rdfutil.nquads_lines)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Literal, URIRef

from midwest_lod.rdfutil import nquads_lines, to_ox

S = URIRef("https://data.midwest.be/id/organisatie/a")
P = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
G = URIRef("https://data.midwest.be/graph/bewering/x")

OBJECTS = [
    URIRef("https://www.example.be/pad?a=1&b=é#frag"),
    Literal("plain"),
    Literal("Vestiging Tielt", lang="nl"),
    Literal("Green maintenance", lang="en"),
    Literal("Courtrai", lang="fr"),
    Literal("Text", lang="NL-be"),
    Literal("x", lang="es"),
    Literal("2021-12", datatype=XSD.gYearMonth),
    Literal("115", datatype=XSD.integer),
    Literal("0115", datatype=XSD.integer),
    Literal("true", datatype=XSD.boolean),
    Literal("x", datatype=XSD.string),
    Literal("0654169780", datatype=URIRef("https://data.midwest.be/ns/mw#EnterpriseNumber")),
    Literal('a "quoted" text'),
    Literal("back\\slash", lang="nl"),
    Literal("line\nbreak\r\ttab\b\f"),
    Literal("control \x01 \x1f \x7f del", lang="nl"),
    Literal("unicode é ü \u2028 \u00a0 😀", lang="nl"),
    Literal(""),
    Literal("", lang="en"),
    BNode("b0"),
]


def oxigraph_lines(quads: list[tuple[object, object, object, object]]) -> list[bytes]:
    data = ox.serialize([ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))  # type: ignore[arg-type]
                         for s, p, o, g in quads], format=ox.RdfFormat.N_QUADS) or b""
    return [line + b"\n" for line in data.split(b"\n") if line]


@pytest.mark.parametrize("obj", OBJECTS, ids=repr)
def test_a_line_is_oxigraphs_own(obj: object) -> None:
    quads = [(S, P, obj, G)]
    assert nquads_lines(quads) == oxigraph_lines(quads)  # type: ignore[arg-type]


def test_many_lines_keep_their_order() -> None:
    quads = [(S, P, obj, G) for obj in OBJECTS] * 2
    assert nquads_lines(quads) == oxigraph_lines(quads)  # type: ignore[arg-type]


def test_an_iri_that_is_not_valid_is_refused() -> None:
    with pytest.raises(ValueError):
        nquads_lines([(S, P, URIRef("not an iri"), G)])
