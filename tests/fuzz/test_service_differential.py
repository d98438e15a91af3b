"""Differential fuzzing of the SERVICE refusal against the engine itself.

Token soups around SERVICE (keywords and literals glued to it or not, strings, IRIs,
comments, names, escapes) are evaluated by pyoxigraph in this process over a small store that
gives the surrounding patterns solutions, with every SERVICE pointing at a local listener.
Property: when the lexer finds no SERVICE, the engine makes no connection. (A query the lexer
refuses needs no check: it never reaches the engine.) This found ``1SERVICE``,
``trueSERVICE``, ``SERVICESILENT`` and ``service:x`` (tests/regressions/test_service_glued.py).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QueryBoolean, Store

from midwest_lod.sparql import analyse
from tests.web.helpers import Listener

XSD = "http://www.w3.org/2001/XMLSchema#"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0) or 1500


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture(scope="module")
def store() -> Store:
    data = Store()
    s, p = NamedNode("http://e/s"), NamedNode("http://e/p")
    for value, kind in (("1", "integer"), ("-1", "integer"), ("1.5", "decimal"),
                        ("1e5", "double"), ("0.5", "decimal"), ("true", "boolean"),
                        ("false", "boolean"), ("x", "string")):
        data.add(Quad(s, p, Literal(value, datatype=NamedNode(XSD + kind)), DefaultGraph()))
    data.add(Quad(s, p, Literal("x", language="en"), DefaultGraph()))
    data.add(Quad(s, p, NamedNode("http://e/a"), DefaultGraph()))
    return data


WORDS = ["SERVICE", "service", "Service", "SILENT", "silent", "OPTIONAL", "UNION", "MINUS",
         "GRAPH", "FILTER", "BIND", "AS", "VALUES", "true", "false", "a", "UNDEF", "LATERAL",
         "EXISTS", "NOT", "SELECT", "WHERE"]
LITERALS = ["1", "1.5", "1e5", "-1", "+1", ".5", "1.", "0x1", "1E5", '"x"', "'x'",
            '"""x"""', '"x"@en', '"x"@en-service', '"x"^^<http://t>', "()", "[]"]
PUNCTUATION = ["{", "}", "(", ")", ".", ";", ",", "*", "/", "|", "^", "!", "<", ">", "="]
TERMS = ["?s", "?p", "?o", "?service", "$x", "<FAR>", ":x", ":service", "ex:a", "service:x",
         "ex:SERVICE", "_:b", "_:service", "<http://e/SERVICE>", "#c\n", "# SERVICE\n",
         "\\u0053ERVICE", "SERVIC\\u0045", "'SERVICE'", '"SERVICE"']
SEPARATORS = ["", "", " ", "\n", "\t"]

token = st.sampled_from(WORDS + LITERALS + PUNCTUATION + TERMS)
soups = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), min_size=1, max_size=14)


@st.composite
def near_misses(draw: st.DrawFn) -> list[tuple[str, str]]:
    """A SERVICE call whose keyword is glued to (or spelled around) what comes before it."""
    before = draw(st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), max_size=3))
    spelling = "".join(c.upper() if draw(st.booleans()) else c for c in "service")
    keyword = draw(st.sampled_from([spelling, spelling + "SILENT", spelling + " SILENT",
                                    spelling + "silent", "\\u0053" + spelling[1:],
                                    spelling[:-1] + "\\u0045", spelling + ":"]))
    target = draw(st.sampled_from(["<FAR>", ":x", "?v", ":service", "ex:a", ""]))
    glue = draw(st.sampled_from(["", "", " ", "\n", "#c\n"]))
    return [*before, (keyword, glue), (target, " "), ("{ ?a ?b ?c }", "")]


soups = st.one_of(soups, near_misses())
frames = st.sampled_from([
    "SELECT * WHERE {{ ?s ?p ?o {} }}",
    "SELECT * WHERE {{ ?s ?p {} }}",
    "SELECT * WHERE {{ ?s ?p ?o . {} }}",
    "SELECT * WHERE {{ ?s ?p ?o {{ {} }} }}",
    "ASK {{ ?s ?p ?o OPTIONAL {{ {} }} }}",
    "SELECT * {{ {} }}",
])


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(soup=soups, frame=frames, declare_service=st.booleans())
def test_no_connection_unless_the_lexer_found_service(listener: Listener, store: Store,
                                                     soup: list[tuple[str, str]], frame: str,
                                                     declare_service: bool) -> None:
    far = f"<http://127.0.0.1:{listener.port}/>"
    text = "".join(t + sep for t, sep in soup).replace("<FAR>", far)
    prefixes = f"PREFIX : {far}\nPREFIX ex: <http://e/>\n"
    if declare_service:
        prefixes += "PREFIX service: <http://e/>\n"
    query = prefixes + frame.format(text)
    if analyse(query).has_service:
        return  # refused before evaluation
    before = listener.made()
    with contextlib.suppress(SyntaxError, ValueError, OSError, RuntimeError):
        result = store.query(query)
        if not isinstance(result, QueryBoolean):
            for _ in zip(range(1000), result, strict=False):
                pass
    assert listener.made() == before, query
