"""Compact JSON-LD: the published ``@context`` and the compaction of a document.

The context is ``ontology/context.jsonld`` with the project's namespace (``mw``) of the running
base IRI and the prefixes of every vocabulary the publisher uses (:mod:`midwest_lod.vocab`),
served at ``{base}/ns/context.jsonld`` (:data:`midwest_lod.iris.CONTEXT_PATH`). Documents are
compacted with pyld (the JSON-LD 1.1 reference algorithms) from pyoxigraph's expanded JSON-LD of
the sorted triples, so the same graph gives the same bytes. pyld never reaches the network:
its document loader knows the one context and refuses every other URL (set for each call and
as pyld's default). docs/decisions/0011-compact-json-ld.md.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from midwest_lod.assets import asset_dir
from midwest_lod.errors import PublicationError
from midwest_lod.iris import CONTEXT_PATH, Iris
from midwest_lod.vocab import CATALOG_PREFIXES, STREAM_PREFIXES, prefixes_for

#: JSON-LD profiles (the ``profile`` parameter of ``application/ld+json``).
COMPACTED = "http://www.w3.org/ns/json-ld#compacted"
EXPANDED = "http://www.w3.org/ns/json-ld#expanded"
#: The Link relation of a context for plain JSON (JSON-LD 1.1 §6.1).
CONTEXT_RELATION = "http://www.w3.org/ns/json-ld#context"


@functools.cache
def _ontology_context() -> dict[str, Any]:
    with (asset_dir("ontology") / "context.jsonld").open(encoding="utf-8") as file:
        document: dict[str, Any] = json.load(file)
    return document


@functools.lru_cache(maxsize=8)
def context_document(base: str) -> dict[str, Any]:
    """The context published under ``base``: the ontology's terms, every prefix we use."""
    terms = dict(_ontology_context()["@context"])
    prefixes = {**prefixes_for(base), **CATALOG_PREFIXES, **STREAM_PREFIXES}
    context: dict[str, Any] = {"@version": terms.pop("@version", 1.1)}
    context.update({name: prefixes[name] for name in sorted(prefixes)})
    context.update({key: value for key, value in terms.items() if key not in prefixes})
    return {"@context": context}


def context_url(site: str) -> str:
    """The context's URL on ``site`` (scheme and host, no slash at the end): the host that
    serves the document, so that a client that follows it stays there."""
    return site + CONTEXT_PATH


@functools.cache
def _pyld() -> Any:
    """pyld's ``jsonld`` module, imported at the first compaction (not at start-up: it pulls in
    an HTTP client), with its network loader replaced by :func:`_refuse`."""
    from pyld import jsonld  # type: ignore[import-untyped]

    jsonld.set_document_loader(_refuse)
    return jsonld


def _loader_for(url: str, base: str) -> Any:
    document = context_document(base)
    jsonld = _pyld()

    def load(requested: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if requested != url:
            raise jsonld.JsonLdError(f"only the publisher's own context is loaded, not {requested}",
                                     "jsonld.LoadDocumentError", code="loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def _refuse(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    raise _pyld().JsonLdError(f"no document is loaded from the network ({url})",
                             "jsonld.LoadDocumentError", code="loading document failed")


def expanded(triples: Iterable[ox.Triple]) -> bytes:
    """Expanded JSON-LD of ``triples`` (pyoxigraph's), in a stable order."""
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.JSON_LD) or b"[]"


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _with_types(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pyoxigraph writes ``rdf:type`` as a property; JSON-LD's ``@type`` reads better (what
    the RDF to JSON-LD algorithm gives with ``useRdfType`` false): IRI objects move there."""
    for node in nodes:
        values = node.get(_RDF_TYPE)
        if values and all(set(value) == {"@id"} for value in values):
            node["@type"] = [value["@id"] for value in values]
            del node[_RDF_TYPE]
    return nodes


def compacted(triples: Iterable[ox.Triple], iris: Iris, site: str) -> bytes:
    """Compact JSON-LD of ``triples`` with the context of ``iris.base``, referenced by its URL
    on ``site`` (:func:`context_url`)."""
    source = _with_types(json.loads(expanded(triples)))
    url = context_url(site)
    jsonld = _pyld()
    try:
        result = jsonld.compact(source, url,
                                options={"documentLoader": _loader_for(url, iris.base)})
    except jsonld.JsonLdError as exc:  # the context or the data is broken: a build problem
        raise PublicationError(f"JSON-LD compaction failed: {exc}") from exc
    return json.dumps(result, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
