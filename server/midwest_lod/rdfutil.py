"""Small RDF helpers shared by the build and the server: rebasing, term conversion, canonical
N-Quads."""

from __future__ import annotations

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
    """Each quad as one N-Quads line (bytes, with newline), in input order."""
    ox_quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))  # type: ignore[arg-type]
                for s, p, o, g in quads]
    data = ox.serialize(ox_quads, format=ox.RdfFormat.N_QUADS) or b""
    return [line + b"\n" for line in data.split(b"\n") if line]


def drop_graph_name(line: bytes) -> bytes:
    """An N-Quads line of a named graph as an N-Triples line (the graph IRI is last)."""
    body = line.rstrip(b"\n")
    assert body.endswith(b"> ."), line
    cut = body.rindex(b" <", 0, len(body) - 2)
    return body[:cut] + b" .\n"


def iter_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle
