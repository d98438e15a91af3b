"""A version's facets, read from its store with ``queries/facets/`` (see its README), and
the SPARQL query that gives a page's list, written from the same files."""

from __future__ import annotations

import functools
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from pyoxigraph import Literal, NamedNode

from midwest_lod.assets import query_dir
from midwest_lod.facets.dimensions import BASIS, VALUE_FACETS
from midwest_lod.facets.index import FacetIndex, bits_of
from midwest_lod.iris import Iris
from midwest_lod.publication import QueryStore
from midwest_lod.sparql import bind_rows, tokens, where_group
from midwest_lod.vocab import prefixes_for

log = logging.getLogger(__name__)

#: The variable every fragment binds to the organisation; the others are renamed per facet.
SUBJECT = "organisatie"


@functools.cache
def _text(name: str) -> str:
    return (query_dir() / "facets" / f"{name}.rq").read_text(encoding="utf-8")


def _fragment(name: str) -> str:
    """A facet's group pattern without its comment lines."""
    return "\n".join(line for line in _text(name).splitlines()
                     if not line.lstrip().startswith("#")).strip()


def _insert(query: str, fragment: str, *, at_end: bool) -> str:
    start, end = where_group(query)
    where = end if at_end else start + 1
    return f"{query[:where]}\n  {fragment}\n{query[where:]}"


def renamed(name: str) -> str:
    """The fragment of facet ``name`` with ``?waarde`` as ``?{name}`` and its other variables
    (but ``?organisatie``) suffixed ``_{name}``, so that fragments join without clashing.
    Variables are found as SPARQL tokens: a name in a string or IRI is left alone."""
    text = _fragment(name)
    parts: list[str] = []
    last = 0
    for match in tokens(text):
        if match.lastgroup != "var":
            continue
        variable = match.group()[1:]
        new = (variable if variable == SUBJECT else name if variable == "waarde"
               else f"{variable}_{name}")
        parts += [text[last:match.start()], "?" + new]
        last = match.end()
    return "".join(parts) + text[last:]


def _select(store: QueryStore, iris: Iris, text: str) -> Iterable[Any]:
    solutions: Iterable[Any] = store.query(text, prefixes=prefixes_for(iris.base),
                                           use_default_graph_as_union=True)
    return solutions


def read_index(store: QueryStore, iris: Iris) -> FacetIndex:
    """The facets of the version ``store`` holds."""
    started = time.monotonic()
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _select(store, iris, _text("organisations")):
        organisation, name = row["organisatie"], row["naam"]
        if isinstance(organisation, NamedNode) and isinstance(name, Literal):
            labels[organisation.value].setdefault(name.language or "", name.value)
    ordered = sorted(labels, key=lambda iri: (
        (labels[iri].get("nl") or labels[iri].get("") or iri).casefold(), iri))
    position = {iri: i for i, iri in enumerate(ordered)}
    found: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for facet in VALUE_FACETS:
        query = _insert(_text("rows"), _fragment(facet.name), at_end=False)
        for row in _select(store, iris, query):
            organisation, value, basis = row["organisatie"], row["waarde"], row["grondslag"]
            if not isinstance(organisation, NamedNode) or organisation.value not in position:
                continue
            if isinstance(value, NamedNode | Literal):
                key = (facet.name, value.value, basis.value if basis is not None else "")
                found[key].append(position[organisation.value])
    masks = {key: bits_of(spots, len(ordered)) for key, spots in found.items()}
    values = sorted({value for _, value, _ in found} | {b for _, _, b in found if b})
    if values:
        query = bind_rows(_text("labels"), {"waarde": [NamedNode(v) for v in values
                                                       if v.startswith(("http:", "https:"))]})
        for row in _select(store, iris, query):
            label = row["label"]
            if isinstance(label, Literal):
                labels[row["waarde"].value].setdefault(label.language or "", label.value)
    index = FacetIndex(ordered, masks, dict(labels))
    log.info("facets: %d organisations, %d values, %.1f s", len(ordered), len(masks),
             time.monotonic() - started)
    return index


def query_text(chosen: Mapping[str, frozenset[str]], iris: Iris) -> str:
    """The SPARQL query whose answers are the list of the page for ``chosen`` (values bound
    in a ``VALUES`` block, never pasted), with the prefixes it uses declared."""
    bases = sorted(chosen.get(BASIS) or ())
    facets = [facet.name for facet in VALUE_FACETS if chosen.get(facet.name)]
    query = _text("select")
    for name in facets:
        query = _insert(query, renamed(name), at_end=True)
    if len(bases) == 1:
        if facets:
            for name in facets:
                query = _insert(query, f"?bewering_{name} mw:basis ?{BASIS} .", at_end=True)
        else:
            every = "\n  UNION\n  ".join(_fragment(facet.name) for facet in VALUE_FACETS)
            query = _insert(query, f"{every}\n  ?bewering mw:basis ?{BASIS} .", at_end=True)
    rows: dict[str, list[NamedNode]] = {
        name: [NamedNode(value) for value in sorted(chosen[name])] for name in facets}
    if len(bases) == 1:
        rows[BASIS] = [NamedNode(bases[0])]
    query = bind_rows(query, rows, lateral=False) if rows else query
    body = "\n".join(line for line in query.splitlines() if not line.startswith("#"))
    used = {match.group().split(":", 1)[0] for match in tokens(body)
            if match.lastgroup == "pname"}
    prefixes = prefixes_for(iris.base)
    declared = "".join(f"PREFIX {name}: <{prefixes[name]}>\n"
                       for name in sorted(used) if name in prefixes)
    return declared + body.strip() + "\n"
