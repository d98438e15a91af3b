"""Regression: a deeply nested (or very long flat) query crashed its query worker.

pyoxigraph parses and evaluates recursively; on the 8 MiB stack of the worker's main thread a
query of a few KB (930 nested CONCAT calls, 2,200 nested groups, 2,600 BINDs) overflowed it:
the worker died of SIGSEGV and the client got 503 "the query worker stopped unexpectedly".
Queries now run on a thread with a large stack (worker.STACK_BYTES), enough for any query of
max_query_length (100,000) characters, and the lexer refuses bracket nesting deeper than
midwest_lod.sparql.MAX_NESTING with 400 before the query reaches the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask

from midwest_lod.sparql import MAX_NESTING

NESTED: dict[str, Callable[[int], str]] = {
    "groups": lambda n: "SELECT * WHERE " + "{" * n + "}" * n,
    "CONCAT calls": lambda n: "SELECT * WHERE { BIND(" + "CONCAT(" * n + "'a'" + ")" * n
                              + " AS ?x) }",
    "OPTIONALs": lambda n: "SELECT * WHERE { " + "OPTIONAL { " * n + "?s ?p ?o " + "} " * n
                           + "}",
    "subqueries": lambda n: "SELECT * WHERE " + "{ SELECT * WHERE " * n + "{ ?s ?p ?o }"
                            + " }" * n,
    "collections": lambda n: "SELECT * WHERE { ?s <http://p> " + "( " * n + "?o" + " )" * n
                             + " }",
    "blank node lists": lambda n: "SELECT * WHERE { ?s <http://p> " + "[ <http://p> " * n
                                  + "?o" + " ]" * n + " }",
}
#: Flat sequences the engine turns into left-deep trees (it recursed through them): each is
#: cheap to evaluate and longer than what crashed the 8 MiB stack (2,615 BINDs, 6,547 UNIONs,
#: 6,157 OPTIONALs, a sum of 6,891 terms, 9,373 negations).
FLAT: dict[str, str] = {
    "BINDs": "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?x{i})" for i in range(3500))
             + " }",
    "UNIONs": "SELECT * WHERE { " + " UNION ".join(["{}"] * 7500) + " }",
    "OPTIONALs": "SELECT * WHERE { " + " ".join(["OPTIONAL {}"] * 7500) + " }",
    "sum": "SELECT * WHERE { FILTER(" + "+".join(["1"] * 7500) + " > 0) }",
    "negations": "SELECT * WHERE { FILTER(" + "!" * 40000 + "true) }",
}


def _deepest(make: Callable[[int], str], limit: int = 100_000) -> str:
    """The deepest query of this kind within ``limit`` characters."""
    n = 1
    while len(make(n * 2)) <= limit:
        n *= 2
    return make(n)


def _post(app: Flask, query: str) -> tuple[int, str]:
    response = app.test_client().post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return response.status_code, response.get_data(as_text=True)


def _worker_alive(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    assert "query worker died" not in caplog.text
    status, _ = _post(app, "ASK { ?s ?p ?o }")
    assert status == 200


@pytest.mark.parametrize("kind", list(NESTED))
def test_deep_nesting_is_refused_with_400(app: Flask, kind: str,
                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    status, body = _post(app, _deepest(NESTED[kind]))
    assert status == 400, body[:300]
    assert f"at most {MAX_NESTING} are accepted" in body
    status, body = _post(app, NESTED[kind](MAX_NESTING // 2))  # deep, but not refused
    # evaluating it may take longer than the time limit on a loaded machine (503 "ran longer
    # than": the guard rail doing its job); what may not happen is a refusal or a dead worker
    assert status in (200, 400) or (status == 503 and "ran longer than" in body), body[:300]
    assert "nests brackets" not in body
    _worker_alive(app, caplog)


@pytest.mark.parametrize("kind", list(FLAT))
def test_long_flat_queries_do_not_kill_the_worker(app: Flask, kind: str,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    assert len(FLAT[kind]) <= 100_000
    status, body = _post(app, FLAT[kind])
    # long sequences cost the engine quadratic time: on a slow machine the time limit may stop
    # one (a guard rail doing its job); what may not happen is a dead worker
    assert status == 200 or (status == 503 and "ran longer than" in body), body[:300]
    _worker_alive(app, caplog)
