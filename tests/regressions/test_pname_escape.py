"""Regression: a backslash in a prefixed name swallowed the next character, whatever it was.

The lexer read ``:\\ SERVICE <http://x/> {}`` as one prefixed name (``\\`` followed by any
character), so it did not see the keyword SERVICE (found by hypothesis,
``test_lexer_never_fails``). SPARQL allows only PN_LOCAL_ESC (``\\`` and one of
``_~.-!$&'()*+,;=/?#@%``) and PERCENT (``%`` and two hex digits) there; the lexer now reads
exactly those, and anything else as punctuation and words.
"""

from __future__ import annotations

import pytest

from midwest_lod.sparql import analyse


@pytest.mark.parametrize("query", [
    ":\\ SERVICE <http://x/> {}",
    "SELECT * WHERE { ?s ?p :a\\ SERVICE <http://x/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p :a%SERVICE <http://x/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ex:\\\nSERVICE <http://x/> { ?a ?b ?c } }",
])
def test_service_after_a_bad_escape_is_found(query: str) -> None:
    assert analyse(query).has_service


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ex:a\\.b\\~c\\/d }",
    "SELECT * WHERE { ?s ?p ex:caf%C3%A9 }",
    "SELECT * WHERE { ?s ex:service ?o }",
])
def test_valid_prefixed_names_are_one_token(query: str) -> None:
    info = analyse(query)
    assert not info.has_service and info.form == "SELECT"
