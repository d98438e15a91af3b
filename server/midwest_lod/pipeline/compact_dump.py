"""The JSON-LD dump in compact form, streamed from the sorted canonical N-Triples.

``{"@context": "<base>/ns/context.jsonld", "@graph": [...]}`` with one node object per subject
and per line, driven by the published context (:func:`midwest_lod.jsonld.context_document`):
terms for predicates and classes, ``id``/``type`` for ``@id``/``@type``, the values as each
term's definition says (``@type: @id``, a datatype, ``@container: @language`` maps), compact
IRIs elsewhere. A value no term fits goes under the predicate's compact (or absolute) IRI in
its full form (``{"@value": ..., "@language"|"type": ...}``, ``{"id": ...}``), and every IRI
written in a short form is expanded back before it is used, so that correctness never depends
on what the context covers. Memory holds one subject at a time; the same input gives the same
bytes. pyld (the reference algorithms) costs 0.14 ms of CPU a triple: docs/decisions/0011.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from midwest_lod import jsonld
from midwest_lod.errors import PublicationError
from midwest_lod.iris import Iris

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: Characters an IRI must end with for a term to be a prefix (JSON-LD 1.1, the prefix flag).
_GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")
#: Term definition keys the compactor understands; a term with any other one is not used.
_KNOWN_KEYS = {"@id", "@type", "@container", "@protected"}
#: Context keywords that leave the meaning of our output unchanged.
_HARMLESS = {"@version", "@protected"}


@dataclass(frozen=True)
class Term:
    """A term usable as a property key: what its values must look like."""

    name: str
    kind: str  # "id" (@type @id), "typed" (a datatype), "language" (a language map), "plain"
    datatype: str | None = None


@dataclass
class Context:
    """The parts of a JSON-LD context the compactor uses, with IRI expansion to check itself."""

    url: str
    iris: dict[str, str] = field(default_factory=dict)  # term -> IRI (every term)
    prefixes: dict[str, str] = field(default_factory=dict)  # term -> IRI (prefix flag)
    by_iri: dict[str, list[Term]] = field(default_factory=dict)  # property IRI -> terms
    class_terms: dict[str, str] = field(default_factory=dict)  # IRI -> shortest term
    id_key: str = "@id"
    type_key: str = "@type"

    @classmethod
    def from_document(cls, document: dict[str, Any], url: str) -> Context:
        raw = document["@context"]
        unknown = sorted(k for k in raw if k.startswith("@") and k not in _HARMLESS)
        if unknown:
            raise PublicationError(f"the compact dump does not handle {unknown} in the context")
        context = cls(url)
        definitions = {k: v for k, v in raw.items() if not k.startswith("@")}
        for name, definition in definitions.items():  # prefixes first: simple absolute IRIs
            iri = definition if isinstance(definition, str) else None
            if isinstance(definition, dict) and definition.get("@prefix") is True:
                iri = definition.get("@id")
            if (isinstance(iri, str) and ":" not in name and "/" not in name
                    and iri.endswith(_GEN_DELIMS) and "://" in iri):
                context.prefixes[name] = iri
        aliases: dict[str, list[str]] = {}
        for name in sorted(definitions, key=lambda n: (len(n), n)):
            definition = definitions[name]
            body = {"@id": definition} if isinstance(definition, str) else definition
            if not isinstance(body, dict) or not isinstance(body.get("@id"), str):
                continue
            target = body["@id"]
            if target in ("@id", "@type"):
                aliases.setdefault(target, []).append(name)
                continue
            iri = context._expand_definition(target)
            if iri is None:
                continue
            context.iris[name] = iri
            context.class_terms.setdefault(iri, name)
            term = _term(name, body, context)
            if term is not None:
                context.by_iri.setdefault(iri, []).append(term)
        context.id_key = aliases.get("@id", ["@id"])[0]
        context.type_key = aliases.get("@type", ["@type"])[0]
        return context

    def _expand_definition(self, value: str) -> str | None:
        if ":" not in value:
            return None  # a term defined by another term: not used
        prefix, suffix = value.split(":", 1)
        return self.prefixes.get(prefix, "") + suffix if prefix in self.prefixes else value

    def expand(self, value: str, vocab: bool) -> str | None:
        """JSON-LD IRI expansion of what we write (absolute IRIs, compact IRIs, terms and blank
        nodes), or None where a value would not stay as written."""
        if vocab and value in self.iris:
            return self.iris[value]
        if ":" not in value[1:]:
            return None  # relative: we write none
        prefix, suffix = value.split(":", 1)
        if prefix == "_" or suffix.startswith("//"):
            return value
        if prefix in self.prefixes:
            return self.prefixes[prefix] + suffix
        return None if prefix in self.iris else value

    @functools.cached_property
    def _prefix_pattern(self) -> re.Pattern[str]:
        """Matches an IRI that starts with a prefix's IRI (a quick test before the search)."""
        bases = sorted(set(self.prefixes.values()), key=lambda base: (-len(base), base))
        return re.compile("|".join(re.escape(base) for base in bases) or "(?!)")

    def shortest(self, iri: str, vocab: bool) -> str:
        """The shortest form of ``iri`` that expands back to it: a term (for keys and types),
        a compact IRI, or ``iri`` itself."""
        if vocab and (term := self.class_terms.get(iri)) is not None \
                and self.expand(term, True) == iri:
            return term
        if self._prefix_pattern.match(iri) is None:
            candidates = []
        else:
            candidates = sorted((len(name) + len(iri) - len(base), f"{name}:{iri[len(base):]}")
                                for name, base in self.prefixes.items()
                                if iri.startswith(base) and len(iri) > len(base))
        for _, candidate in candidates:
            if self.expand(candidate, vocab) == iri:
                return candidate
        if iri.startswith("_:") or self.expand(iri, vocab) == iri:
            return iri
        raise PublicationError(f"the IRI {iri} cannot be written with the context {self.url}")


def _term(name: str, body: dict[str, Any], context: Context) -> Term | None:
    if set(body) - _KNOWN_KEYS:
        return None  # @reverse, @language, @context, ...: not used
    container, coercion = body.get("@container"), body.get("@type")
    if container == "@language" and coercion is None:
        return Term(name, "language")
    if container is not None:
        return None
    if coercion is None:
        return Term(name, "plain")
    if coercion == "@id":
        return Term(name, "id")
    if isinstance(coercion, str) and not coercion.startswith("@"):
        datatype = context.expand(coercion, True)
        return Term(name, "typed", datatype) if datatype else None
    return None


@dataclass(frozen=True)
class _Keys:
    """Where the values of one predicate go: a term where one fits the value, else ``other``
    (a term without coercion or container, or the predicate's compact or absolute IRI), where
    any value can go in full form."""

    iri: str | None  # a term with @type @id: the IRI as a string
    language_map: str | None  # a term with @container @language
    typed: dict[bytes, str]  # datatype (as N-Triples writes it) -> term with that @type
    other: str


class Compactor:
    """Compact node objects for one context (caches bounded by the vocabulary's size, or
    least-recently-used for IRIs)."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self._keys: dict[bytes, _Keys] = {}
        self.doc_iri = functools.lru_cache(maxsize=1 << 16)(self._doc_iri)
        self.vocab_iri = functools.lru_cache(maxsize=1 << 12)(self._vocab_iri)

    def _doc_iri(self, term: bytes) -> str:
        """An IRI or blank node (as N-Triples writes it) where JSON-LD expects an @id."""
        return self.context.shortest(_bare(term).decode(), vocab=False)

    def _vocab_iri(self, term: bytes) -> str:
        """An IRI (as N-Triples writes it) where JSON-LD expects a type."""
        return self.context.shortest(_bare(term).decode(), vocab=True)

    def keys(self, predicate: bytes) -> _Keys:
        found = self._keys.get(predicate)
        if found is None:
            found = self._keys[predicate] = self._plan(predicate[1:-1].decode())
        return found

    def _plan(self, predicate: str) -> _Keys:
        by_kind: dict[str, str] = {}
        for term in self.context.by_iri.get(predicate, []):  # shortest first
            by_kind.setdefault(f"^^{term.datatype}" if term.kind == "typed" else term.kind,
                               term.name)
        return _Keys(iri=by_kind.get("id"), language_map=by_kind.get("language"),
                     typed={f"<{kind[2:]}>".encode(): name for kind, name in by_kind.items()
                            if kind.startswith("^^")},
                     other=by_kind.get("plain") or self._fallback_key(predicate))

    def _fallback_key(self, predicate: str) -> str:
        """The compact IRI of ``predicate`` (or itself): not a term, so no coercion applies."""
        for candidate in (self.context.shortest(predicate, vocab=False), predicate):
            if candidate not in self.context.iris \
                    and self.context.expand(candidate, True) == predicate:
                return candidate
        raise PublicationError(f"the property {predicate} cannot be a key with the context "
                               f"{self.context.url}")

    def nodes(self, lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
        """One node object per run of lines with the same subject (canonical N-Triples: a
        fast path for lines without escapes, pyoxigraph's parser for any other)."""
        id_key, type_key = self.context.id_key, self.context.type_key
        doc_iri, vocab_iri, keys_of, plans = self.doc_iri, self.vocab_iri, self.keys, self._keys
        rdf_type = b"<" + RDF_TYPE.encode() + b">"
        subject = b""  # the current subject's term and a space
        start = 0
        types: list[str] = []
        values: defaultdict[str, list[Any]] = defaultdict(list)
        maps: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(_by_language)
        for line in _lines(lines):
            if not line.startswith(subject) or not subject:
                if subject:
                    yield _node(id_key, doc_iri(subject[:-1]), type_key, types, values,
                                maps)
                start = line.index(b"> " if line[0] == 60 else b" ") + (line[0] == 60) + 1
                subject = line[:start]
                types, values, maps = [], defaultdict(list), defaultdict(_by_language)
            predicate_end = line.index(b"> ", start) + 1
            predicate = line[start:predicate_end]
            obj = line[predicate_end + 1:-3]
            head = obj[0]
            if head == 34:  # '"': a literal
                quote = obj.rindex(b'"')
                lexical = obj[1:quote].decode()
                keys = plans.get(predicate) or keys_of(predicate)
                if quote == len(obj) - 1:
                    values[keys.other].append(lexical)
                elif obj[quote + 1] == 64:  # "@": language-tagged
                    language = obj[quote + 2:].decode()
                    if keys.language_map is not None and language.islower():
                        maps[keys.language_map][language].append(lexical)
                    else:
                        values[keys.other].append({"@value": lexical, "@language": language})
                else:  # ^^<datatype>
                    datatype = obj[quote + 3:]
                    key = keys.typed.get(datatype)
                    if key is not None:
                        values[key].append(lexical)
                    elif datatype == XSD_STRING_TERM:
                        values[keys.other].append(lexical)
                    else:
                        values[keys.other].append(
                            {"@value": lexical, type_key: vocab_iri(datatype)})
            elif head == 60 and predicate == rdf_type:
                types.append(vocab_iri(obj))
            else:  # an IRI or a blank node
                keys = plans.get(predicate) or keys_of(predicate)
                if keys.iri is not None:
                    values[keys.iri].append(doc_iri(obj))
                else:
                    values[keys.other].append({id_key: doc_iri(obj)})
        if subject:
            yield _node(id_key, doc_iri(subject[:-1]), type_key, types, values, maps)


def _by_language() -> defaultdict[str, list[str]]:
    return defaultdict(list)


#: xsd:string as N-Triples writes it (the canonical files never do: plain literals).
XSD_STRING_TERM = f"<{XSD_STRING}>".encode()


def _bare(term: bytes) -> bytes:
    """An IRI without its brackets; a blank node as it is (``_:b0``)."""
    return term[1:-1] if term[0] == 60 else term


def _node(id_key: str, subject: str, type_key: str, types: list[str],
          values: dict[str, list[Any]], maps: dict[str, defaultdict[str, list[str]]]
          ) -> dict[str, Any]:
    node: dict[str, Any] = {id_key: subject}
    if types:
        node[type_key] = types[0] if len(types) == 1 else types
    for key in sorted(values.keys() | maps.keys()):
        if key in maps:
            by_language = maps[key]
            node[key] = {lang: _single(by_language[lang]) for lang in sorted(by_language)}
        else:
            node[key] = _single(values[key])
    return node


def _single(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _lines(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The lines the fast path reads: the canonical file's as they are; a line with escapes
    (or not as the canonical files write it) read by pyoxigraph and written again with a
    literal's text unescaped (the fast path finds its end by the last quote)."""
    for line in lines:
        if b"\\" in line or line[-3:] != b" .\n":
            yield from _rewritten(line)
        else:
            yield line


def _rewritten(line: bytes) -> Iterator[bytes]:
    for triple in ox.parse(line, format=ox.RdfFormat.N_TRIPLES):
        obj = triple.object
        if isinstance(obj, ox.Literal):
            written = f'"{obj.value}"' + (f"@{obj.language}" if obj.language else
                                          f"^^<{obj.datatype.value}>")
        elif isinstance(obj, ox.NamedNode | ox.BlankNode):
            written = str(obj)
        else:
            raise PublicationError(f"the compact dump cannot write the object of {line!r}")
        yield f"{triple.subject} {triple.predicate} {written} .\n".encode()


def write_compact_dump(ntriples: Path, out: IO[bytes], iris: Iris) -> int:
    """The compact dump of a version: the context published under the base IRI, referenced
    by its URL there (the file is the same whichever host serves it)."""
    return write_compact(ntriples, out, jsonld.context_document(iris.base),
                         jsonld.context_url(iris.base))


def write_compact(ntriples: Path, out: IO[bytes], context_document: dict[str, Any],
                  context_url: str) -> int:
    """Write the compact dump of the (sorted) N-Triples file to ``out``; returns the number of
    node objects."""
    compactor = Compactor(Context.from_document(context_document, context_url))
    out.write(b'{"@context":' + json.dumps(context_url).encode() + b',"@graph":[')
    count = 0
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with ntriples.open("rb") as handle:
        for node in compactor.nodes(handle):
            out.write((b"\n" if count == 0 else b",\n") + encode(node).encode("utf-8"))
            count += 1
    out.write(b"\n]}\n")
    return count
