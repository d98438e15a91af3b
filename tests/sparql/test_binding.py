"""Parameters bound into query text (midwest_lod.sparql.binding): a VALUES block joined
LATERALly, never text pasted into the query; the same answers as pyoxigraph's substitutions,
for pyoxigraph's terms and rdflib's."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    Store,
    Variable,
)
from rdflib import XSD, BNode, URIRef
from rdflib import Literal as RdflibLiteral

from midwest_lod.iris import Iris
from midwest_lod.pipeline.metaquery import query_text
from midwest_lod.rdfutil import to_ox
from midwest_lod.sparql import (
    bind_values,
    iri_term,
    prologue,
    shift_positions,
    substitutions,
    where_group,
)
from midwest_lod.vocab import prefixes_for
from midwest_lod.web.queries import QueryFiles

BASE = "https://data.midwest.be"


def _answers(result: object) -> object:
    if isinstance(result, QueryBoolean):
        return bool(result)
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        return Counter(tuple(str(row[n]) for n in names) for row in result)
    return Counter(str(triple) for triple in result)  # type: ignore[attr-defined]


def test_every_query_file_answers_as_with_substitutions(real_publication: Path) -> None:
    store = Store.read_only(str(real_publication / "current" / "store"))
    iris = Iris(BASE)
    files = QueryFiles(prefixes=prefixes_for(BASE))
    provenance = NamedNode(iris.graph("herkomst"))
    vocabulary = NamedNode(iris.graph("vocabularium"))
    metadata = NamedNode(iris.graph("metadata"))
    entities = [row["s"] for row in store.query(
        "SELECT DISTINCT ?s { GRAPH ?g { ?s a ?t } FILTER(isIRI(?s)) } ORDER BY ?s")]
    cases: list[tuple[str, dict[str, NamedNode], bool]] = []
    for entity in entities[::12] + [NamedNode(BASE + "/id/organisatie/bestaat-niet")]:
        cases += [(files.text(name), {"iri": entity}, False)
                  for name in ("entity-exists", "entity-statements", "entity-labels")]
        cases += [(files.text(name), {"iri": entity, "provenance_graph": provenance}, False)
                  for name in ("entity-document", "entity-incoming", "entity-incoming-count",
                               "entity-sources")]
    cases += [(files.text(name), {"vocabulary_graph": vocabulary}, False)
              for name in ("vocabulary-document", "vocabulary-labels", "vocabulary-statements")]
    cases += [
        (files.text("index-class"), {"class": NamedNode(iris.vocab["SocialEconomyActor"])}, True),
        (files.text("index-scheme"), {"scheme": NamedNode(iris.scheme("Thema"))}, True),
        (query_text("catalog-document"), {"catalog": NamedNode(iris.catalog),
                                          "metadata_graph": metadata}, False),
        (query_text("void-document"), {"description": NamedNode(BASE + "/.well-known/void"),
                                       "metadata_graph": metadata}, False),
        (files.text("published-version"), {"dataset": NamedNode(iris.dataset),
                                           "metadata_graph": metadata}, False),
    ]
    answered = 0
    for text, bindings, union in cases:
        expected = _answers(store.query(
            text, prefixes=files.prefixes, use_default_graph_as_union=union,
            substitutions={Variable(k): v for k, v in bindings.items()}))
        bound = _answers(store.query(bind_values(text, bindings), prefixes=files.prefixes,
                                     use_default_graph_as_union=union))
        assert bound == expected, (text.splitlines()[0], bindings)
        answered += bool(expected)
    assert answered > len(cases) // 2  # most cases have answers to compare


@pytest.mark.parametrize("value", [
    "https://data.midwest.be/id/x> } ; DROP ALL ; SELECT * { <a:b",
    "https://data.midwest.be/id/a b", "https://data.midwest.be/id/a\nb", 'https://x/"',
    "https://x/{y}", "https://x/a\\b", "https://x/^", "https://x/`", "https://x/|", "relative",
    "https://x/\x00", "",
])
def test_what_is_no_iri_is_never_bound(value: str) -> None:
    # the binding checks each IRI itself, whatever pyoxigraph's NamedNode let through
    with pytest.raises(ValueError):
        iri_term(value)


@given(st.text(min_size=0, max_size=40))
def test_any_literal_binds_to_itself(text: str) -> None:
    store = Store()
    for literal in (Literal(text), Literal(text, language="nl"),
                    Literal(text, datatype=NamedNode("http://example.org/dt"))):
        query = bind_values("SELECT ?x WHERE { BIND(?x AS ?y) }", {"x": literal})
        rows = list(store.query(query))  # type: ignore[arg-type]
        assert len(rows) == 1 and rows[0]["x"] == literal


def test_blank_nodes_and_bad_names_are_refused() -> None:
    with pytest.raises(ValueError):
        bind_values("ASK { ?x ?p ?o }", {"x": BlankNode()})
    with pytest.raises(ValueError):
        bind_values("ASK { ?x ?p ?o }", {"x) } ; DROP ALL #": NamedNode("urn:x")})
    with pytest.raises(ValueError):
        prologue({"a b": "http://x/"})


@pytest.mark.parametrize(("query", "group"), [
    ("SELECT * WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
    ("ASK { ?s ?p ?o }", "{ ?s ?p ?o }"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p '}' }", "{ ?s ?p '}' }"),
    ("# { a comment\nSELECT (COUNT(*) AS ?n) { ?s <urn:a> '}' } LIMIT 1", "{ ?s <urn:a> '}' }"),
    ("SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
    ("SELECT * WHERE { { ?a ?b ?c } UNION { ?d ?e ?f } } ORDER BY ?a",
     "{ { ?a ?b ?c } UNION { ?d ?e ?f } }"),
    ("DESCRIBE ?s WHERE { ?s ?p \"{\" }", "{ ?s ?p \"{\" }"),
])
def test_the_where_group_is_found_past_templates_strings_iris_and_comments(
        query: str, group: str) -> None:
    start, end = where_group(query)
    assert query[start:end + 1] == group


def test_server_error_positions_move_back_over_the_prologue() -> None:
    assert shift_positions("error at 4:2: expected OPTIONAL") == \
        "error at 3:2: expected OPTIONAL"
    assert prologue({"mw": "https://x/ns#", "rdf": "http://r/"}).count("\n") == 1


RDFLIB_TERMS = [
    URIRef("https://data.midwest.be/id/gemeente/36015"),
    RdflibLiteral("Roeselare", lang="nl"),
    RdflibLiteral(2024),
    RdflibLiteral("2024-01-01", datatype=XSD.date),
    RdflibLiteral('with "quotes", a \\ and\na newline'),
]


@pytest.mark.parametrize("term", RDFLIB_TERMS, ids=repr)
def test_rdflib_terms_bind_as_their_pyoxigraph_equals(term: URIRef | RdflibLiteral) -> None:
    # the query catalogue binds typed parameters given as rdflib terms
    store = Store()
    query = "SELECT ?x ?same WHERE { BIND(?x AS ?same) }"
    in_text = list(store.query(bind_values(query, {"x": term})))  # type: ignore[arg-type]
    substituted = list(store.query(query,  # type: ignore[arg-type]
                                   substitutions=substitutions({"x": term})))
    assert len(in_text) == len(substituted) == 1
    assert in_text[0]["x"] == substituted[0]["x"] == to_ox(term)


def test_rdflib_blank_nodes_are_refused() -> None:
    with pytest.raises(ValueError):
        bind_values("ASK { ?x ?p ?o }", {"x": BNode()})
