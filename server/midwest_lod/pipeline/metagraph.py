"""Writing the metadata graph: its statements (:class:`Triples`) and the constant ones a Turtle
template gives (:class:`Template`), for the catalogue (:mod:`.catalog`) and VoID (:mod:`.void`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from midwest_lod.assets import query_dir
from midwest_lod.rdfutil import parse_rebased, to_ox
from midwest_lod.vocab import DCT, RDFS

Label = tuple[str, str]  # (text, language)
Object = ox.NamedNode | ox.BlankNode | ox.Literal


class Triples:
    """Quads of one graph, without duplicates, in the order they were added."""

    def __init__(self, graph: str) -> None:
        self.graph = ox.NamedNode(graph)
        self._quads: dict[ox.Quad, None] = {}

    def add(self, subject: str, predicate: str, obj: str | Object) -> None:
        value = obj if isinstance(obj, ox.Literal | ox.BlankNode | ox.NamedNode) \
            else ox.NamedNode(str(obj))
        quad = ox.Quad(ox.NamedNode(str(subject)), ox.NamedNode(str(predicate)), value,
                       self.graph)
        self._quads.setdefault(quad, None)

    def texts(self, subject: str, predicate: str, labels: Iterable[Label]) -> None:
        for text, lang in labels:
            self.add(subject, predicate, ox.Literal(text, language=lang))

    def titled(self, subject: str, titles: Iterable[Label]) -> None:
        """``dct:title`` and, for the entity pages (which show labels), ``rdfs:label``."""
        self.texts(subject, DCT.title, titles)
        self.texts(subject, RDFS.label, titles)

    def typed(self, subject: str, predicate: str, value: object, datatype: str) -> None:
        self.add(subject, predicate, ox.Literal(str(value), datatype=ox.NamedNode(datatype)))

    def quads(self) -> list[ox.Quad]:
        return list(self._quads)


class Template:
    """The constant statements of ``queries/metadata/<name>.ttl``, by subject, the IRIs of the
    default base rebased to ``base`` (as the ontology and the shapes are)."""

    def __init__(self, name: str, base: str) -> None:
        path: Path = query_dir() / "metadata" / f"{name}.ttl"
        graph = parse_rebased(Graph(), path, base)
        self._about: dict[str, list[tuple[str, Object]]] = defaultdict(list)
        for subject, predicate, obj in graph:
            value = to_ox(obj)
            assert not isinstance(value, ox.Triple)
            self._about[str(subject)].append((str(predicate), value))

    def objects(self, subject: str, predicate: str) -> list[Object]:
        """What the template says ``subject`` has as ``predicate``."""
        return [obj for p, obj in self._about.get(subject, ()) if p == predicate]

    def describe_mentioned(self, out: Triples) -> None:
        """Add to ``out`` the template's statements about every IRI ``out`` mentions (as
        subject or object), then about every IRI those mention, and so on."""
        described: set[str] = set()
        nodes = _iris(out.quads())
        while nodes := nodes - described:
            described |= nodes
            added: list[ox.Quad] = []
            for node in sorted(nodes):
                for predicate, obj in self._about.get(node, ()):
                    out.add(node, predicate, obj)
                    added.append(ox.Quad(ox.NamedNode(node), ox.NamedNode(predicate), obj))
            nodes = _iris(added)


def _iris(quads: Iterable[ox.Quad]) -> set[str]:
    return {term.value for quad in quads for term in (quad.subject, quad.object)
            if isinstance(term, ox.NamedNode)}
