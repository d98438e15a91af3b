"""The catalogue of named queries: the real one loads and is documented; a bad header is
refused with the file and line."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from midwest_lod.errors import QueryFileError
from midwest_lod.named_queries.catalogue import PARAMETER_TYPES, NamedQuery
from midwest_lod.web.queries import QueryFiles
from tests.named_queries.conftest import GOOD_HEADER, GOOD_QUERY

CATALOGUE = QueryFiles().catalogue()


def test_the_catalogue_has_at_least_fifteen_documented_queries() -> None:
    assert len(CATALOGUE) >= 15
    assert len({q.name for q in CATALOGUE}) == len(CATALOGUE)
    for query in CATALOGUE:
        assert query.title_nl and query.title_en and query.title_nl != query.title_en
        assert query.description_nl and query.description_en
        for p in query.parameters:
            assert p.type in PARAMETER_TYPES
            assert p.description_nl and p.description_en, (query.name, p.name)
            assert p.sample is not None, (query.name, p.name)


def test_the_catalogue_covers_what_researchers_ask() -> None:
    tags = {t for q in CATALOGUE for t in q.tags}
    assert {"gemeenten", "organisaties", "themas", "herkomst", "registers", "tijd",
            "grafiek", "arrondissementen", "initiatieftypes", "basisprincipes"} <= tags
    types = {p.type for q in CATALOGUE for p in q.parameters}
    assert {"iri", "string", "language", "date"} <= types
    assert any(p.many for q in CATALOGUE for p in q.parameters)
    assert any(p.of for q in CATALOGUE for p in q.parameters)
    assert any(q.output == "graph" for q in CATALOGUE)
    assert any(q.page_size for q in CATALOGUE)


def test_a_good_query_loads_into_typed_objects(write_query: Callable[[str], NamedQuery]
                                               ) -> None:
    query = write_query(GOOD_HEADER + GOOD_QUERY)
    assert query.name == "voorbeeld" and query.form == "SELECT" and query.output == "table"
    (datum,) = query.parameters
    assert (datum.name, datum.type, datum.default, datum.required) == (
        "datum", "date", "2025-01-01", False)


BAD_HEADERS = [
    # (what is wrong, replaced line (None: the text is added at the top), line, message part)
    ("unknown key", "#+ titel: x\n", 1, "unknown header line"),
    ("no value", "#+ tags:\n", 1, "has no value"),
    ("twice", "#+ title_nl: Nog eens\n" * 2, 2, "given twice"),
    ("unknown type", "#+ param: naam tekst example=x\n", 1, "unknown type 'tekst'"),
    ("reserved name", "#+ param: format string example=x\n", 1, "cannot name a parameter"),
    ("unknown option", "#+ param: naam string voorbeeld=x\n", 1, "unknown option"),
    ("no such variable", "#+ param: naam string example=x\n", 1, "no variable ?naam"),
    ("no example", "#+ param: gemeente iri\n", 1, "required and has no example"),
    ("bad example", "#+ param: gemeente iri example=roeselare\n", 1, "not an absolute IRI"),
    ("bad default", "#+ param: gemeente date default=2025-02-30\n", 1, "not a date"),
    ("bad quote", '#+ param: gemeente string example="x\n', 1, "cannot read the parameter"),
]


@pytest.mark.parametrize(("what", "line_text", "line", "message"), BAD_HEADERS,
                         ids=[b[0] for b in BAD_HEADERS])
def test_a_bad_header_names_file_and_line(write_query: Callable[[str], NamedQuery], what: str,
                                          line_text: str, line: int, message: str) -> None:
    with pytest.raises(QueryFileError) as caught:
        write_query(line_text + GOOD_HEADER + GOOD_QUERY)
    assert caught.value.path.endswith("voorbeeld.rq")
    assert caught.value.line == line
    assert message in caught.value.message
    assert f"voorbeeld.rq:{line}:" in str(caught.value)


@pytest.mark.parametrize(("header", "query", "message"), [
    ("#+ output: graph\n", GOOD_QUERY, "does not fit a SELECT"),
    ("#+ pagination: 10\n", GOOD_QUERY + "LIMIT 5\n", "without LIMIT"),
    ("#+ pagination: 10\n", GOOD_QUERY.replace("ORDER BY ?gemeente", ""), "ORDER BY"),
    ("#+ pagination: ten\n", GOOD_QUERY, "not a page size"),
], ids=["output-form", "paged-limit", "paged-unordered", "page-size"])
def test_output_and_pagination_are_checked(write_query: Callable[[str], NamedQuery],
                                           header: str, query: str, message: str) -> None:
    text = GOOD_HEADER.replace("#+ output: table\n", "#+ output: table\n"
                               if "output" not in header else "") + header
    with pytest.raises(QueryFileError) as caught:
        write_query(text + query)
    assert message in caught.value.message
    assert caught.value.line is not None and caught.value.line > 1


def test_a_missing_title_is_refused(write_query: Callable[[str], NamedQuery]) -> None:
    with pytest.raises(QueryFileError, match="no 'title_en'"):
        write_query(GOOD_HEADER.replace("#+ title_en: Municipalities\n", "") + GOOD_QUERY)
