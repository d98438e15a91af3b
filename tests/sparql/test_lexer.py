"""The SPARQL lexer (midwest_lod.sparql.lexer): what a query is, its words, its normal form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from midwest_lod.sparql import analyse, lexer, normalise

LEXER_CASES = [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False, False),
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "SELECT", True, False),
    ("select * { service silent <http://x/> { } }", "SELECT", True, False),
    ("SELECT * { OPTIONAL { SeRvIcE ?endpoint { } } }", "SELECT", True, False),
    ("SELECT * { \\u0053ERVICE <http://x/> { } }", "SELECT", True, False),
    ('SELECT ?service { ?service <http://x/SERVICE> "SERVICE" } # SERVICE', "SELECT", False, False),
    # a prefix named service is refused: `service:x { ... }` is SERVICE to `:x` for pyoxigraph
    # (tests/regressions/test_service_glued.py); in the local part the word is harmless
    ("PREFIX service: <http://x/> SELECT * { ?s service:SERVICE ?o }", "SELECT", True, False),
    ("PREFIX ex: <http://x/> SELECT * { ?s ex:SERVICE ?o }", "SELECT", False, False),
    ("SELECT * { ?s ?p '''a SERVICE\n'' b''' }", "SELECT", False, False),
    ('SELECT * { ?s ?p "x"@service }', "SELECT", False, False),
    ("SELECT * { FILTER(?a<?b && ?c>?d) SERVICE <http://x/> {} }", "SELECT", True, False),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False, False),
    ("PREFIX a: <http://a/> ASK { ?s a ?o }", "ASK", False, False),
    ("DESCRIBE <http://x/>", "DESCRIBE", False, False),
    ("PREFIX a: <http://a/> INSERT DATA { <a:s> <a:p> <a:o> }", None, False, True),
    ("DELETE WHERE { ?s ?p ?o }", None, False, True),
    ("LOAD <http://x/>", None, False, True),
]


@pytest.mark.parametrize(("text", "form", "service", "update"), LEXER_CASES)
def test_lexer(text: str, form: str | None, service: bool, update: bool) -> None:
    info = analyse(text)
    assert (info.form, info.has_service, info.is_update) == (form, service, update)


def test_lexer_finds_dataset_clauses() -> None:
    assert analyse("SELECT * FROM <http://g/> { ?s ?p ?o }").has_dataset_clause
    assert not analyse('SELECT * { ?s ?p "FROM" }').has_dataset_clause


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_lexer_never_fails(text: str) -> None:
    analyse(text)
    assert analyse(text + " SERVICE <http://x/> {}").has_service or '"' in text or "'" in text \
        or "#" in text or "<" in text


# --- the lexer's word scan (findall) reads exactly what the token loop read ---------------------

_PIECES = st.sampled_from([
    "SELECT", "service", "SERVICE", "?service", "$x", "ex:service", "service:x", ":s", "<",
    ">", "<http://e/#service>", "'", '"', "'''", '"""', "\\", "\\u0053", "#", "\n", " ", "\t",
    "@en", "@en-GB", "1.5", "2", "{", "}", "(", ")", ".", ";", ",", "INSERT", "FROM", "é", "_",
    "-", "a", "x9", "^^", "*"])


def _reference(text: str) -> list[str]:
    return [m.group().upper() for m in lexer.tokens(text) if m.lastgroup == "word"]


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_word_scan_equals_the_token_loop(text: str) -> None:
    assert lexer.keywords(text) == _reference(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_word_scan_equals_the_token_loop_on_any_text(text: str) -> None:
    assert lexer.keywords(text) == _reference(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT  *\n WHERE {\t?s ?p ?o }  ", "SELECT * WHERE { ?s ?p ?o }"),
    ("# title\nSELECT * { ?s ?p 'a  b' } # end", "SELECT * { ?s ?p 'a  b' }"),
    ('SELECT * { ?s ?p """x\n\n  y""" }', 'SELECT * { ?s ?p """x\n\n  y""" }'),
    ("PREFIX e: <http://x/#>\nASK{?s e:p ?o}", "PREFIX e: <http://x/#> ASK{?s e:p ?o}"),
    # `<` as less-than before a string: kept exactly as sent
    ("SELECT * { FILTER(?a<'x>  y') }", "SELECT * { FILTER(?a<'x>  y') }"),
    ("SELECT * { ?s ?p 'open  }", "SELECT * { ?s ?p 'open  }"),
    ("SELECT * { ?s ?p '\\u0027  ' }", "SELECT * { ?s ?p '\\u0027  ' }"),
])
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected
