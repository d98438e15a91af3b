"""The compact JSON-LD dump (midwest_lod.pipeline.compact_dump): the real dump read back by pyld
(with a document loader that serves our context and nothing else) and by rdflib gives exactly
the canonical N-Triples; a table of tricky values, each written as the context says or in full
form, and each read back to the triple it came from; the same input gives the same bytes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld as pyld  # type: ignore[import-untyped]
from rdflib import Graph
from rdflib.compare import isomorphic

from midwest_lod import jsonld
from midwest_lod.errors import PublicationError
from midwest_lod.pipeline.compact_dump import write_compact
from midwest_lod.publication import DUMP_STEM
from midwest_lod.vocab import DEFAULT_BASE

CONTEXT_URL = jsonld.context_url(DEFAULT_BASE)
MW = f"{DEFAULT_BASE}/ns/sociale-economie#"
ID = f"{DEFAULT_BASE}/id/organisatie/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def to_ntriples(document: dict[str, Any]) -> str:
    """pyld's RDF of a compact document; its loader serves our context, refuses the rest."""
    loaded: list[str] = []
    loader = jsonld._loader_for(CONTEXT_URL, DEFAULT_BASE)

    def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        loaded.append(url)
        return loader(url, options)  # type: ignore[no-any-return]

    nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": load})
    assert set(loaded) == {CONTEXT_URL}  # the context was read through the URL it names
    return str(nquads)


def with_inline_context(document: dict[str, Any]) -> str:
    """The document with the context it names put in place (rdflib would fetch it)."""
    assert document["@context"] == CONTEXT_URL
    return json.dumps({**document, "@context": jsonld.context_document(DEFAULT_BASE)["@context"]})


def canonical_form(ntriples: str) -> str:
    """``ntriples`` as the build writes canonical.nt: pyoxigraph's N-Triples (lower-case
    language tags, no xsd:string), sorted."""
    triples = ox.parse(ntriples.encode(), format=ox.RdfFormat.N_TRIPLES)
    text = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    return "".join(sorted(text.splitlines(keepends=True)))


def compact(ntriples: str, tmp_path: Path, *, as_written: bool = False) -> bytes:
    """The compact dump of ``ntriples`` in canonical form (or ``as_written``)."""
    source = tmp_path / "in.nt"
    source.write_text(ntriples if as_written else canonical_form(ntriples), encoding="utf-8")
    out = io.BytesIO()
    write_compact(source, out, jsonld.context_document(DEFAULT_BASE), CONTEXT_URL)
    return out.getvalue()


# --- the real dump ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def version(real_publication: Path) -> Path:
    return (real_publication / "current").resolve()


@pytest.fixture(scope="module")
def canonical(version: Path) -> Graph:
    graph = Graph().parse(version / "canonical.nt", format="nt")
    assert len(graph) > 4000
    return graph


@pytest.fixture(scope="module")
def dump(version: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((version / "dumps" / f"{DUMP_STEM}.jsonld").read_bytes())
    return document


def test_the_dump_is_compact_with_the_published_context(dump: dict[str, Any]) -> None:
    assert list(dump) == ["@context", "@graph"] and dump["@context"] == CONTEXT_URL
    nodes = dump["@graph"]
    ids = [node["id"] for node in nodes]
    assert len(ids) == len(set(ids)) > 400, "one node object per subject"
    mariasteen = next(node for node in nodes if node["id"] == ID + "mariasteen")
    assert "SocialEconomyActor" in mariasteen["type"]
    assert mariasteen["prefLabel"] == {"nl": "Mariasteen"}
    assert all(key in ("id", "type") or ":" not in key for key in mariasteen), mariasteen


def test_pyld_reads_the_dump_back_to_the_canonical_triples(dump: dict[str, Any],
                                                           canonical: Graph) -> None:
    graph = Graph().parse(data=to_ntriples(dump), format="nt")
    assert len(graph) == len(canonical) and isomorphic(graph, canonical)


def test_rdflib_reads_the_dump_back_to_the_canonical_triples(dump: dict[str, Any],
                                                             canonical: Graph) -> None:
    graph = Graph().parse(data=with_inline_context(dump), format="json-ld")
    assert len(graph) == len(canonical) and isomorphic(graph, canonical)


def test_the_same_triples_give_the_same_bytes(version: Path, tmp_path: Path) -> None:
    text = (version / "canonical.nt").read_text(encoding="utf-8")
    first = compact(text, tmp_path)
    assert compact(text, tmp_path) == first
    assert (version / "dumps" / f"{DUMP_STEM}.jsonld").read_bytes() == first


# --- tricky values ------------------------------------------------------------------------------

S = f"<{ID}x>"
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("language map, several languages and two texts in one",
     f'{S} <{SKOS}prefLabel> "Kringwinkel"@nl .\n{S} <{SKOS}prefLabel> "Thrift shop"@en .\n'
     f'{S} <{SKOS}prefLabel> "Kringloopwinkel"@nl .\n{S} <{SKOS}prefLabel> "Ressourcerie"@fr .\n',
     {"prefLabel": {"en": "Thrift shop", "fr": "Ressourcerie",
                    "nl": ["Kringloopwinkel", "Kringwinkel"]}}),
    ("a text without language under a language-map term: the compact IRI, a string",
     f'{S} <{SKOS}prefLabel> "zonder taal" .\n', {"skos:prefLabel": "zonder taal"}),
    ("a region subtag (lower case, as in the canonical file)",
     f'{S} <{SKOS}prefLabel> "Gent"@nl-BE .\n', {"prefLabel": {"nl-be": "Gent"}}),
    ("a language-tagged text under a term without container",
     f'{S} <{MW}postalLocality> "8700 Tielt"@nl .\n',
     {"postalLocality": {"@value": "8700 Tielt", "@language": "nl"}}),
    ("a typed literal of the term's datatype: a string",
     f'{S} <{MW}validFrom> "2025-01-01"^^<{XSD}date> .\n', {"validFrom": "2025-01-01"}),
    ("another datatype on a typed term: the compact IRI, full form",
     f'{S} <{MW}validFrom> "2025"^^<{XSD}gYear> .\n',
     {"mw:validFrom": {"@value": "2025", "type": "xsd:gYear"}}),
    ("typed literals under a plain term keep their lexical form",
     f'{S} <http://schema.org/value> "0012.50"^^<{XSD}decimal> .\n'
     f'{S} <http://schema.org/value> "true"^^<{XSD}boolean> .\n',
     {"value": [{"@value": "0012.50", "type": "xsd:decimal"},
                {"@value": "true", "type": "xsd:boolean"}]}),
    ("an IRI that looks like a term, under an @id term, and as a subject",
     f'<{MW}Site> <{MW}municipality> <{MW}Site> .\n', {"id": "mw:Site", "municipality": "mw:Site"}),
    ("a literal under an @id term: the compact IRI",
     f'{S} <{MW}municipality> "Tielt" .\n', {"mw:municipality": "Tielt"}),
    ("an IRI under a plain term: a node reference",
     f'{S} <{MW}postalLocality> <http://example.org/tielt> .\n',
     {"postalLocality": {"id": "http://example.org/tielt"}}),
    ("a predicate with no term and no prefix: the absolute IRI",
     f'{S} <http://example.org/p> "v" .\n{S} <http://example.org/p> <http://example.org/o> .\n',
     {"http://example.org/p": ["v", {"id": "http://example.org/o"}]}),
    ("a prefixed predicate with no term: a compact IRI",
     f'{S} <http://purl.org/dc/terms/issued> "2024-05-01"^^<{XSD}date> .\n',
     {"dct:issued": {"@value": "2024-05-01", "type": "xsd:date"}}),
    ("rdf:type with several classes: term, compact IRI, absolute IRI",
     f"{S} {RDF_TYPE} <{MW}SocialEconomyActor> .\n{S} {RDF_TYPE} <{MW}Unknown> .\n"
     f"{S} {RDF_TYPE} <http://example.org/Class> .\n",
     {"type": ["http://example.org/Class", "SocialEconomyActor", "mw:Unknown"]}),
    ("a literal rdf:type stays a property",
     f'{S} {RDF_TYPE} "geen klasse" .\n', {"rdf:type": "geen klasse"}),
    ("a suffix starting with // is not a compact IRI",
     f"{S} <{MW}theme> <http://schema.org///x> .\n<http://schema.org//x> {RDF_TYPE} <{MW}Site> .\n",
     {"theme": "http://schema.org///x"}),
    ("escapes: quote, backslash, new line, tab, non-ASCII",
     f'{S} <{MW}fileName> "a\\"b\\\\c\\nd\\te \\u00E9\\U0001F600" .\n',
     {"fileName": 'a"b\\c\nd\te \u00e9\U0001f600'}),
    ("an explicit xsd:string is a plain string",
     f'{S} <{MW}fileName> "x"^^<{XSD}string> .\n', {"fileName": "x"}),
    ("blank nodes and an RDF list as triples",
     f"{S} <{MW}theme> _:l1 .\n"
     "_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"a\" .\n"
     "_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> "
     "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n",
     {"theme": "_:l1"}),
]


@pytest.mark.parametrize(("ntriples", "expected"), [(n, e) for _, n, e in CASES],
                         ids=[name for name, _, _ in CASES])
def test_tricky_values(ntriples: str, expected: dict[str, Any], tmp_path: Path) -> None:
    body = compact(ntriples, tmp_path)
    document = json.loads(body)
    node = next(n for n in document["@graph"] if n["id"] == expected.get("id", f"{ID}x"))
    assert {k: v for k, v in node.items() if k != "id"} == {
        k: v for k, v in expected.items() if k != "id"}
    source = Graph().parse(data=canonical_form(ntriples), format="nt")
    assert isomorphic(Graph().parse(data=to_ntriples(document), format="nt"), source)
    assert isomorphic(Graph().parse(data=with_inline_context(document), format="json-ld"),
                      source)


def test_subjects_in_order_one_node_each_and_stable_keys(tmp_path: Path) -> None:
    text = (f'<{ID}a> <{SKOS}prefLabel> "A"@nl .\n<{ID}a> {RDF_TYPE} <{MW}Site> .\n'
            f'<{ID}b> <{MW}nisCode> "1" .\n<{ID}b> <{MW}fileName> "f" .\n')
    body = compact(text, tmp_path)
    assert body == compact(text, tmp_path)
    lines = body.decode().splitlines()
    assert lines[0] == f'{{"@context":"{CONTEXT_URL}","@graph":['
    assert lines[1] == f'{{"id":"{ID}a","type":"Site","prefLabel":{{"nl":"A"}}}},'
    assert lines[2] == f'{{"id":"{ID}b","fileName":"f","nisCode":"1"}}'
    assert lines[3] == "]}"


def test_a_tag_a_language_map_would_change_is_written_in_full(tmp_path: Path) -> None:
    """Not in a canonical file (pyoxigraph writes lower case), but not changed either."""
    body = compact(f'{S} <{SKOS}prefLabel> "Gent"@nl-BE .\n', tmp_path, as_written=True)
    node = json.loads(body)["@graph"][0]
    assert node["skos:prefLabel"] == {"@value": "Gent", "@language": "nl-BE"}


def test_lines_not_in_canonical_form_are_read_by_pyoxigraph(tmp_path: Path) -> None:
    text = (f'<http://example.org/caf\\u00E9> <{MW}fileName> "\\u00E9\\"@nl\\"" .\n'
            f'<http://example.org/caf\\u00E9> <{MW}fileName> "x"  .')  # two spaces, no newline
    document = json.loads(compact(text, tmp_path, as_written=True))
    assert document["@graph"] == [
        {"id": "http://example.org/caf\u00e9", "fileName": ["\u00e9\"@nl\"", "x"]}]
    assert isomorphic(Graph().parse(data=to_ntriples(document), format="nt"),
                      Graph().parse(data=text, format="nt"))


def test_an_empty_graph(tmp_path: Path) -> None:
    assert json.loads(compact("", tmp_path)) == {"@context": CONTEXT_URL, "@graph": []}


def test_a_context_it_cannot_follow_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.nt"
    source.write_text(f'{S} <{MW}fileName> "x" .\n', encoding="utf-8")
    context = {"@context": {**jsonld.context_document(DEFAULT_BASE)["@context"],
                            "@language": "nl"}}
    with pytest.raises(PublicationError, match="@language"):
        write_compact(source, io.BytesIO(), context, CONTEXT_URL)
