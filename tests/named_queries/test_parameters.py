"""Request values read by the parameter's type: valid ones become terms, others a
ParameterError that names the parameter."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from midwest_lod.named_queries.catalogue import NamedQuery, Parameter
from midwest_lod.named_queries.parameters import ParameterError, check_value, read_parameters

XSD = "http://www.w3.org/2001/XMLSchema#"

VALID = [
    ("iri", "https://data.midwest.be/id/gemeente/36015",
     ox.NamedNode("https://data.midwest.be/id/gemeente/36015")),
    ("string", 'De "Lochting" } #', ox.Literal('De "Lochting" } #')),
    ("language", "nl-BE", ox.Literal("nl-be")),
    ("integer", "+42", ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))),
    ("decimal", "3.50", ox.Literal("3.50", datatype=ox.NamedNode(XSD + "decimal"))),
    ("date", "2024-02-29", ox.Literal("2024-02-29", datatype=ox.NamedNode(XSD + "date"))),
    ("boolean", "TRUE", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
]
INVALID = [
    ("iri", "roeselare"), ("iri", "https://x.org/a> ?p ?o"), ("iri", "https://x.org/{a}"),
    ("string", "a\x00b"), ("string", "x" * 501), ("language", "nederlands!"),
    ("integer", "4.2"), ("integer", "1e3"), ("decimal", "1,5"), ("decimal", "NaN"),
    ("date", "2023-02-29"), ("date", "29/02/2024"), ("date", "2024-2-9"), ("boolean", "ja"),
]


@pytest.mark.parametrize(("kind", "value", "term"), VALID, ids=[v[0] for v in VALID])
def test_a_valid_value_becomes_its_term(kind: str, value: str, term: ox.Literal) -> None:
    assert check_value(Parameter("x", kind), value) == term


def test_a_string_takes_its_declared_language() -> None:
    assert check_value(Parameter("x", "string", lang="nl"), "kringloop") == ox.Literal(
        "kringloop", language="nl")


@pytest.mark.parametrize(("kind", "value"), INVALID, ids=[f"{k}-{v[:12]}" for k, v in INVALID])
def test_an_invalid_value_names_the_parameter(kind: str, value: str) -> None:
    with pytest.raises(ParameterError) as caught:
        check_value(Parameter("waarde", kind), value)
    assert caught.value.parameter == "waarde"
    assert "'waarde'" in str(caught.value)


def _query(*parameters: Parameter) -> NamedQuery:
    from pathlib import Path

    return NamedQuery("q", Path("q.rq"), "t", "t en", "d", "d en", "table", "SELECT * {}",
                      "SELECT", parameters)


def test_defaults_lists_enumerations_and_missing_values() -> None:
    query = _query(Parameter("type", "iri", of="https://x.org/C", many=True, optional=True),
                   Parameter("taal", "language", default="nl", values=("nl", "en")),
                   Parameter("naam", "string", example="x"))
    members = {"https://x.org/a", "https://x.org/b"}
    arguments = read_parameters(query, {"naam": ["y"], "type": ["https://x.org/a,https://x.org/b"]},
                                lambda c: members)
    assert [t.value for t in arguments.terms["type"]] == ["https://x.org/a", "https://x.org/b"]
    assert arguments.terms["taal"] == [ox.Literal("nl")]
    assert "type" not in read_parameters(query, {"naam": ["y"]}, lambda c: members).terms
    for given, name in [({}, "naam"), ({"naam": ["a", "b"]}, "naam"),
                        ({"naam": ["y"], "taal": ["fr"]}, "taal"),
                        ({"naam": ["y"], "type": ["https://x.org/z"]}, "type")]:
        with pytest.raises(ParameterError) as caught:
            read_parameters(query, given, lambda c: members)
        assert caught.value.parameter == name
