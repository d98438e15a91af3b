"""A readable HTML view of the event stream's root and pages (``/ldes``, ``/ldes/{n}``) for a
browser: what the node is, its relations to other pages, and its members (the entity, its
version's time, whether it was removed), with links to the same node in every RDF format.
Made from the quads the clients get (their links already on the serving host)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import render_template

from midwest_lod.formats import Format
from midwest_lod.stream import DELETE_OBJECT, RDF_TYPE, TIMESTAMP_PATH, VERSION_OF_PATH, term
from midwest_lod.vocab import DCT, LDES, TREE
from midwest_lod.web.context import ctx

_MEMBER = term(TREE, "member")
_VIEW = term(TREE, "view")
_RELATION = term(TREE, "relation")
_NODE = term(TREE, "node")
_VALUE = term(TREE, "value")
_IMMUTABLE = term(LDES, "immutable")
_IS_PART_OF = term(DCT, "isPartOf")


@dataclass(frozen=True)
class Member:
    entity: str
    href: str
    time: str
    removed: bool


@dataclass(frozen=True)
class Relation:
    kind: str
    value: str
    target: str


def render(quads: list[ox.Quad], node: str, formats: tuple[Format, ...], path: str) -> bytes:
    """The page of ``node`` (the root or a page of the stream) from its ``quads``."""
    describer = ctx().describer
    default = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    by_subject: dict[Any, list[ox.Quad]] = {}
    for quad in default:
        by_subject.setdefault(quad.subject, []).append(quad)

    def objects(subject: Any,
                predicate: ox.NamedNode) -> list[Any]:
        return [q.object for q in by_subject.get(subject, []) if q.predicate == predicate]

    members = []
    for quad in default:
        if quad.predicate != _MEMBER or not isinstance(quad.object, ox.NamedNode):
            continue
        version = quad.object
        entity = next((o.value for o in objects(version, VERSION_OF_PATH)), version.value)
        time = next((o.value for o in objects(version, TIMESTAMP_PATH)), "")
        members.append(Member(entity, describer.href(entity) or entity, time,
                              DELETE_OBJECT in objects(version, RDF_TYPE)))
    holders = [ox.NamedNode(node), *(o for o in objects(ox.NamedNode(node), _VIEW)
                                     if isinstance(o, ox.NamedNode))]
    relations: list[Relation] = []
    for holder in holders:
        for relation in objects(holder, _RELATION):
            if not isinstance(relation, ox.NamedNode | ox.BlankNode):
                continue
            kinds = [o.value.rsplit("#", 1)[-1] for o in objects(relation, RDF_TYPE)]
            relations.extend(Relation(kinds[0] if kinds else "Relation",
                                      next((o.value for o in objects(relation, _VALUE)), ""),
                                      urlsplit(str(target.value)).path)
                             for target in objects(relation, _NODE))
    immutable = any(o.value == "true" for o in objects(ox.NamedNode(node), _IMMUTABLE))
    stream = next((o.value for o in objects(ox.NamedNode(node), _IS_PART_OF)), None)
    return render_template(
        "ldes.html", node=node, stream=stream, members=members, relations=relations,
        immutable=immutable, is_root=stream is None,
        media_types=[f.media_type for f in formats], path=path).encode("utf-8")
