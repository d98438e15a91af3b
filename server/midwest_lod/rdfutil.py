"""Small RDF helpers shared by the build and the server: rebasing, term conversion, canonical
N-Quads."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from midwest_lod.vocab import DEFAULT_BASE


def rebase_term(term: Node, base: str) -> Node:
    """``term`` with the default base (ontology and shapes files) replaced by ``base``."""
    if base != DEFAULT_BASE and isinstance(term, URIRef) and (
        term == DEFAULT_BASE or term.startswith(DEFAULT_BASE + "/")
    ):
        return URIRef(base + term[len(DEFAULT_BASE):])
    if base != DEFAULT_BASE and isinstance(term, Literal) and term.datatype is not None:
        datatype = rebase_term(URIRef(term.datatype), base)
        if datatype != term.datatype:
            return Literal(str(term), datatype=str(datatype))
    return term


def canonical_graph(graph: Graph) -> Graph:
    """``graph`` with its blank nodes relabelled canonically (RDFC-style hashing in
    :func:`rdflib.compare.to_canonical_graph`), so the same graph serialises to the same bytes
    on every run: rdflib gives parsed blank nodes new random labels each time."""
    from rdflib.compare import to_canonical_graph

    canonical = Graph()
    for prefix, namespace in graph.namespaces():
        canonical.bind(prefix, namespace)
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical


def write_sorted_ntriples(graph: Graph, target: Path) -> None:
    """Write ``graph`` as sorted, de-duplicated N-Triples lines with canonical blank nodes."""
    text = canonical_graph(graph).serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    target.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def parse_rebased(graph: Graph, path: Path, base: str, *, fmt: str = "turtle") -> Graph:
    """Parse ``path`` into ``graph``, rebasing the default-base IRIs it contains."""
    if base == DEFAULT_BASE:
        graph.parse(path, format=fmt)
        return graph
    scratch = Graph()
    scratch.parse(path, format=fmt)
    for s, p, o in scratch:
        graph.add((rebase_term(s, base), rebase_term(p, base), rebase_term(o, base)))
    for prefix, namespace in scratch.namespaces():
        graph.bind(prefix, rebase_term(URIRef(namespace), base), replace=True)
    return graph


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (lexical forms kept exactly)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot convert {term!r}")


def nquads_lines(quads: Iterable[tuple[Node, Node, Node, Node]]) -> list[bytes]:
    """Each quad as one N-Quads line (bytes, with newline), in input order.

    The lines are oxigraph's own N-Quads serialisation, byte for byte: every IRI is written
    (and checked) by pyoxigraph once and remembered, and a literal goes through pyoxigraph
    unless it is plain text in a common language or with a datatype, which is written the
    way oxigraph writes it (tests/rdfutil check both against :func:`pyoxigraph.serialize`).
    The build writes hundreds of statements per organisation; making a pyoxigraph quad of
    each cost more than mapping it (docs/decisions/0021-fast-mapping.md)."""
    write = NQuadsWriter().term
    return [f"{write(s)} {write(p)} {write(o)} {write(g)} .\n".encode()
            for s, p, o, g in quads]


#: Characters that oxigraph escapes in a literal (then the literal goes through pyoxigraph).
_ESCAPED = re.compile(r'[\x00-\x1f\x7f"\\]')
_XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
_RDF_LANG_STRING = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
#: Language tags written as they are (oxigraph writes every tag in lower case).
_PLAIN_LANGUAGES = frozenset({"nl", "en", "fr", "de"})


class NQuadsWriter:
    """Terms in oxigraph's N-Triples form, IRIs remembered (see :func:`nquads_lines`)."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}

    def term(self, term: Node) -> str:
        if type(term) is URIRef:
            text = self._iris.get(term)
            if text is None:
                text = self._iris[term] = str(ox.NamedNode(term))
            return text
        if type(term) is Literal:
            return self.literal(term)
        return str(to_ox(term))

    def literal(self, term: Literal) -> str:
        value = str(term)
        if _ESCAPED.search(value) is not None:
            return str(to_ox(term))
        language = term.language
        if language:
            if language in _PLAIN_LANGUAGES:
                return f'"{value}"@{language}'
            return str(to_ox(term))
        datatype = term.datatype
        if datatype is None:
            return f'"{value}"'
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return str(to_ox(term))
        return f'"{value}"^^{self.term(datatype)}'


def drop_graph_name(line: bytes) -> bytes:
    """An N-Quads line of a named graph as an N-Triples line (the graph IRI is last)."""
    body = line.rstrip(b"\n")
    assert body.endswith(b"> ."), line
    cut = body.rindex(b" <", 0, len(body) - 2)
    return body[:cut] + b" .\n"


def iter_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle
