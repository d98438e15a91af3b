"""Comunica (``@comunica/query-sparql``, the Linked Data Fragments client, installed by .ci/run
into ``tools/comunica``) answers the catalogue's queries over ``/tpf`` exactly as ``/sparql``
does, against the embedded store and the external one.

Comunica evaluates SPARQL itself (filters, OPTIONAL, UNION, paths, aggregates) and asks the
interface only for triple patterns, so every catalogue query is compared except those in
:data:`LEFT_OUT`, each with its reason. Parameters are bound with the catalogue's example
values as the SPARQL page shows them (``QueryFiles.examples``). Answers are compared as
multisets of rows (ORDER BY ties may come in either order).

The interface's IRIs are under the base IRI (``https://data.midwest.be/tpf``); Comunica's
fetch sends each request to the same path of the test server, as a reverse proxy would, and
refuses any other URL (tests/web/comunica_run.mjs).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

from midwest_lod.sparql import tokens
from midwest_lod.vocab import DEFAULT_BASE, prefixes_for
from midwest_lod.web.queries import Example, QueryFiles
from tests.web.helpers import ServerProcess

pytestmark = [pytest.mark.server, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
COMUNICA = REPO / "tools" / "comunica" / "node_modules" / "@comunica" / "query-sparql"
RUNNER = Path(__file__).with_name("comunica_run.mjs")
INSTALL = "npm ci --prefix tools/comunica --ignore-scripts --no-audit --no-fund"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Catalogue queries not compared, and why. The queries with GRAPH ask which named graph
#: (assertion) holds a statement: a Triple Pattern Fragment has no graphs (its data is the
#: union of the graphs), so only Quad Pattern Fragments could answer them.
NEEDS_QUAD_PATTERNS = "uses GRAPH: needs Quad Pattern Fragments, which /tpf does not offer"
LEFT_OUT = {
    "afgeleide-beweringen": NEEDS_QUAD_PATTERNS,
    "gemeenten-lidmaatschap": NEEDS_QUAD_PATTERNS,
    "gemeenten-op-datum": NEEDS_QUAD_PATTERNS,
    "grondslag-per-bron": NEEDS_QUAD_PATTERNS,
    "herkomst-van-beweringen": NEEDS_QUAD_PATTERNS,
    "organisaties-per-thema": NEEDS_QUAD_PATTERNS,
    "leden-op-datum": NEEDS_QUAD_PATTERNS,  # a membership's period is on its assertion graph
    "lid-op-datum": NEEDS_QUAD_PATTERNS,
    "veranderingen-tussen-versies": NEEDS_QUAD_PATTERNS,  # reads the history graph
    "organisaties-per-gemeente-op-datum":
        "its date parameter is bound with LATERAL, which Comunica 5.4 does not parse",
    # its language parameter is used in a FILTER inside OPTIONAL, so it is bound with
    # VALUES … LATERAL (SEP-0006, midwest_lod.sparql.bind_rows), which Comunica cannot parse
    "basisprincipes": "its parameter is bound with LATERAL, which Comunica 5.4 does not parse",
}


def _examples() -> list[Example]:
    return QueryFiles(prefixes=prefixes_for(DEFAULT_BASE), base_iri=DEFAULT_BASE).examples()


def _words(text: str) -> set[str]:
    return {m.group().upper() for m in tokens(text) if m.lastgroup == "word"}


def test_every_left_out_query_has_its_reason() -> None:
    """The table above stays true: a query is left out exactly when it needs what TPF and
    Comunica cannot do (a new catalogue query is compared unless it does too)."""
    examples = {e.name: e for e in _examples()}
    assert set(LEFT_OUT) <= set(examples), "a left-out query is no longer in the catalogue"
    needing_graphs = {name for name, e in examples.items() if "GRAPH" in _words(e.text)}
    needing_lateral = {name for name, e in examples.items() if "LATERAL" in _words(e.text)}
    assert {n for n, why in LEFT_OUT.items() if why == NEEDS_QUAD_PATTERNS} == needing_graphs
    assert {n for n, why in LEFT_OUT.items() if "LATERAL" in why} == needing_lateral - \
        needing_graphs
    assert len(examples) - len(LEFT_OUT) >= 10, "most of the catalogue is compared"


@pytest.fixture(scope="session")
def comunica() -> Path:
    """The installed client; skipped with a hint outside CI, a failure when ``CI`` is set."""
    reason = None
    if shutil.which("node") is None:
        reason = "node is not installed"
    elif not COMUNICA.exists():
        reason = f"Comunica is not installed at {COMUNICA.relative_to(REPO)}"
    if reason:
        message = f"{reason}: run `{INSTALL}` (as .ci/run does) to run the TPF tests"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI is set, so this is a failure, not a skip")
        pytest.skip(message)
    return RUNNER


def _normal(term: dict[str, Any], base: str) -> tuple[str, str, str | None]:
    """A term of either side as (kind, value, datatype-or-language): SPARQL JSON leaves out
    xsd:string and writes languages; Comunica names both datatypes. A blank node of /sparql
    is the skolem IRI the interface publishes for it."""
    kind, value = term["type"], term["value"]
    if kind in ("literal", "typed-literal"):
        language = term.get("xml:lang") or term.get("lang")
        if language:
            return "literal", value, "@" + language.lower()
        datatype = term.get("datatype") or XSD_STRING
        return "literal", value, None if datatype == XSD_STRING else datatype
    if kind == "bnode":
        return "uri", f"{base}/.well-known/genid/{value}", None
    return "uri", value, None


def _rows(bindings: list[dict[str, Any]], base: str) -> Counter[frozenset[Any]]:
    return Counter(frozenset((name, _normal(term, base)) for name, term in row.items())
                   for row in bindings)


def _sparql(server: ServerProcess, example: Example) -> Any:
    answer = requests.post(server.url + "/sparql", data={"query": example.text}, timeout=60,
                           headers={"Accept": "application/sparql-results+json, "
                                              "application/n-triples;q=0.9"})
    assert answer.status_code == 200, (example.name, answer.text[:500])
    if answer.headers["Content-Type"].startswith("application/n-triples"):
        import pyoxigraph as ox

        return {"triples": {tuple(_normal_ox(t) for t in (q.subject, q.predicate, q.object))
                            for q in ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES)}}
    return answer.json()


def _normal_ox(term: Any) -> tuple[str, str, str | None]:
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        if term.language:
            return "literal", term.value, "@" + term.language.lower()
        datatype = term.datatype.value
        return "literal", term.value, None if datatype == XSD_STRING else datatype
    return "uri", term.value, None


def test_comunica_over_tpf_answers_as_sparql(server: ServerProcess, comunica: Path) -> None:
    examples = [e for e in _examples() if e.name not in LEFT_OUT]
    job = {"source": DEFAULT_BASE + "/tpf", "route": [DEFAULT_BASE, server.url],
           "queries": [{"name": e.name, "text": e.text} for e in examples]}
    completed = subprocess.run(["node", str(comunica)], input=json.dumps(job),
                               capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    run = json.loads(completed.stdout)
    assert run["requests"], "Comunica asked the interface"
    assert all(url.startswith(DEFAULT_BASE + "/tpf") for url in run["requests"])
    compared = 0
    for example in examples:
        got = run["answers"][example.name]
        assert "error" not in got, (example.name, got.get("error"))
        expected = _sparql(server, example)
        if "boolean" in expected:
            assert got["boolean"] == expected["boolean"], example.name
        elif "triples" in expected:
            triples = {tuple(_normal(t, DEFAULT_BASE) for t in triple)
                       for triple in got["triples"]}
            assert triples == expected["triples"], example.name
            assert triples, f"{example.name}: an answer that can tell a difference"
        else:
            rows = _rows(expected["results"]["bindings"], DEFAULT_BASE)
            assert _rows(got["bindings"], DEFAULT_BASE) == rows, example.name
        compared += 1
    assert compared == len(examples) >= 10
