"""What an entity document says, as RDF (for the data formats) and as a view (for HTML).

The RDF document is one CONSTRUCT (``queries/entity-document.rq``) serialised by pyoxigraph:
no rdflib on this path. The HTML view runs the SELECT queries ``entity-*.rq`` and groups the
statements by property, with the labels of what they link to and, per value, the assertion
graph(s) it is in: their basis (stated or inferred, with the reason) and sources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from midwest_lod.iris import Iris
from midwest_lod.publication import QueryStore, Version
from midwest_lod.vocab import PREFIXES, prefixes_for
from midwest_lod.web import schema_org
from midwest_lod.web.queries import QueryFiles
from midwest_lod.web.timeline import (
    Status,
    entity_status,
    figure_dates,
    has_ended,
    mark_figure_dates,
    text_of,
)

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]
DCT = PREFIXES["dct"]
XSD = PREFIXES["xsd"]
LABEL_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", SCHEMA + "name")
#: Incoming links in a document: the LIMIT of entity-document.rq and entity-incoming.rq.
INCOMING_LIMIT = 1000
#: Properties shown first on a page, in this order; the rest follow by label.
FIRST = (SKOS + "prefLabel", RDFS + "label", SCHEMA + "name", SKOS + "altLabel",
         DCT + "title", DCT + "description", SKOS + "definition", SKOS + "scopeNote")

Term = NamedNode | BlankNode | Literal | Triple


# --- labels -------------------------------------------------------------------------------------

Labels = dict[str, dict[str, str]]  # IRI -> language ("" for none) -> label


def add_label(labels: Labels, node: str, label: Literal) -> None:
    labels.setdefault(node, {}).setdefault(label.language or "", label.value)


def vocabulary_labels(version: Version, queries: QueryFiles, iris: Iris) -> Labels:
    """Labels of every vocabulary term (own and reused), read once per published version."""
    def make() -> Labels:
        labels: Labels = {}
        for row in queries.run(version.store, "vocabulary-labels", union=False,
                               vocabulary_graph=NamedNode(iris.graph("vocabularium"))):
            if isinstance(row["label"], Literal):
                add_label(labels, row["term"].value, row["label"])
        return labels

    return version.derived("vocabulary_labels", make)


def local_name(iri: str) -> str:
    tail = iri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[1]
    return tail or iri


def pick_labels(by_lang: dict[str, str] | None, fallback: str) -> tuple[str, str | None]:
    """(Dutch label or any, English label when it exists and differs): for machine formats,
    which keep both. A page shows one: :func:`pick_label`."""
    if not by_lang:
        return fallback, None
    main = by_lang.get("nl") or by_lang.get("") or next(iter(by_lang.values()))
    english = by_lang.get("en")
    return main, english if english and english != main else None


def preference(language: str) -> tuple[str, ...]:
    """The languages a page in ``language`` shows a text in, best first: its own, then a text
    without language (a name), then Dutch (the source language), then English."""
    return tuple(dict.fromkeys((language, "", "nl", "en")))


def pick_label(by_lang: dict[str, str] | None, fallback: str, language: str) -> tuple[str, str]:
    """The label a page in ``language`` shows, and its language ("" when it has none)."""
    if not by_lang:
        return fallback, ""
    for candidate in preference(language):
        if by_lang.get(candidate):
            return by_lang[candidate], candidate
    other, text = next(iter(by_lang.items()))
    return text, other


# --- view model ----------------------------------------------------------------------------------

@dataclass
class Value:
    """One value of a statement as shown on a page."""

    text: str
    href: str | None = None
    lang: str | None = None  # the language of ``text``: a literal's tag, or its label's
    iri: str | None = None
    note: str | None = None  # datatype or other small print
    footnotes: list[int] = field(default_factory=list)
    inferred: bool = False
    boolean: bool | None = None  # an xsd:boolean (the page says yes or no in its language)
    #: When the statement holds (its assertion graph's period), as the data has the dates;
    #: ``as_of``: the date of a figure linked to.
    valid_from: str | None = None
    valid_through: str | None = None
    as_of: str | None = None

    @property
    def ended(self) -> bool:
        return has_ended(self.valid_through)


@dataclass
class Group:
    """The values of one property."""

    predicate: str
    label: str
    label_lang: str
    href: str | None
    values: list[Value]

    @property
    def inferred(self) -> bool:
        return any(v.inferred for v in self.values)


@dataclass
class Footnote:
    """An assertion graph: its basis, sources and reason."""

    number: int
    graph: str
    href: str | None
    inferred: bool
    sources: list[tuple[str, str]]  # (href, text)
    reasons: list[Value]  # the reason of an inference, in the page's language where it has it
    valid_from: str | None = None
    valid_through: str | None = None
    #: Per source href: the date the page shows and the day it was consulted (sources.csv).
    source_dates: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


@dataclass
class EntityView:
    iri: str
    path: str
    label: str
    label_lang: str
    types: list[Value]
    groups: list[Group]
    incoming: list[Group]
    footnotes: list[Footnote]
    jsonld: dict[str, Any]
    sections: list[EntityView] = field(default_factory=list)  # vocabulary terms
    incoming_shown: int = 0  # incoming links listed (at most INCOMING_LIMIT) ...
    incoming_total: int = 0  # ... of this many
    anchor: str | None = None
    status: Status = field(default_factory=Status)
    #: The organisations it joined and its successors, as links.
    status_links: list[Value] = field(default_factory=list)


class Describer:
    """Builds entity documents from the published store."""

    def __init__(self, iris: Iris, queries: QueryFiles) -> None:
        self.iris = iris
        self.queries = queries
        self.prefixes = prefixes_for(iris.base)
        self.provenance_graph = NamedNode(iris.graph("herkomst"))
        self.vocabulary_graph = NamedNode(iris.graph("vocabularium"))
        #: when entities changed (pipeline/history_graph.py): not links between things
        self.history_graph = NamedNode(iris.history_graph)

    # RDF ------------------------------------------------------------------------------------

    def exists(self, store: QueryStore, iri: str) -> bool:
        try:
            node = NamedNode(iri)
        except ValueError:  # from a request path that is no IRI (a space, %00, <): nothing
            return False
        return bool(self.queries.run(store, "entity-exists", union=False, iri=node))

    def triples(self, store: QueryStore, iri: str) -> list[Triple]:
        """The triples of the document describing ``iri`` (what every RDF format carries)."""
        if iri == str(self.iris.vocab_document):
            result = self.queries.run(store, "vocabulary-document", union=False,
                                      vocabulary_graph=self.vocabulary_graph)
        else:
            result = self.queries.run(store, "entity-document", union=False, iri=NamedNode(iri),
                                      provenance_graph=self.provenance_graph,
                                      history_graph=self.history_graph)
        return list(result)

    # HTML -----------------------------------------------------------------------------------

    def href(self, iri: str) -> str | None:
        """Where a page links for ``iri``: our document path (with #fragment), else the IRI."""
        path = self.iris.document_path(iri)
        if path is not None:
            return path + ("#" + iri.split("#", 1)[1] if "#" in iri else "")
        return iri if iri.startswith(("http://", "https://")) else None

    def view(self, version: Version, iri: str, language: str = "nl") -> EntityView:
        """The HTML view of an entity document (or of the vocabulary) for a page in
        ``language``: labels in that language where they exist, texts of a property in that
        language where the property has some (else in the next of :func:`preference`)."""
        labels = {k: dict(v) for k, v in
                  vocabulary_labels(version, self.queries, self.iris).items()}
        if iri == str(self.iris.vocab_document):
            return self._vocabulary_view(version, iri, labels, language)
        store, node = version.store, NamedNode(iri)
        for row in self.queries.run(store, "entity-labels", union=False, iri=node):
            if isinstance(row["label"], Literal):
                add_label(labels, row["node"].value, row["label"])
        links = list(self.queries.run(store, "entity-incoming", union=False, iri=node,
                                      provenance_graph=self.provenance_graph,
                                      history_graph=self.history_graph))
        for row in links:
            if isinstance(row["label"], Literal):
                add_label(labels, row["subject"].value, row["label"])
        statements = [(row["g"], row["p"].value, row["o"]) for row in self.queries.run(
            store, "entity-statements", union=False, iri=node)]
        own_labels: Labels = {}
        for _, predicate, obj in statements:
            if predicate in LABEL_PROPERTIES and isinstance(obj, Literal):
                add_label(own_labels, iri, obj)
        if own_labels:
            labels[iri] = {**own_labels[iri], **labels.get(iri, {})}
        footnotes, by_graph = self._footnotes(store, node, language)
        view = self._entity(iri, statements, labels, by_graph, language)
        view.footnotes = footnotes
        view.status = entity_status(store, self.queries, node)
        view.status_links = [self._value(NamedNode(other), labels, language)
                             for other in view.status.links]
        mark_figure_dates([v for g in view.groups for v in g.values],
                          figure_dates(store, self.queries, node))
        incoming: dict[str, dict[str, Value]] = defaultdict(dict)
        pairs = set()
        for row in links:
            subject, predicate = row["subject"], row["p"].value
            pairs.add((subject, predicate))
            if isinstance(subject, NamedNode) and subject.value not in incoming[predicate]:
                incoming[predicate][subject.value] = self._value(subject, labels, language)
        view.incoming = self._groups({p: list(v.values()) for p, v in incoming.items()}, labels,
                                     language)
        view.incoming_shown = len(pairs)
        view.incoming_total = len(pairs)
        if len(pairs) >= INCOMING_LIMIT:
            for row in self.queries.run(store, "entity-incoming-count", union=False, iri=node,
                                        provenance_graph=self.provenance_graph,
                                        history_graph=self.history_graph):
                view.incoming_total = int(row["links"].value)
        return view

    def _footnotes(self, store: QueryStore, node: NamedNode,
                   language: str) -> tuple[list[Footnote], dict[str, Footnote]]:
        by_graph: dict[str, Footnote] = {}
        for row in self.queries.run(store, "entity-sources", union=False, iri=node,
                                    provenance_graph=self.provenance_graph):
            graph = row["assertion"].value
            note = by_graph.get(graph)
            if note is None:
                basis = row["basis"].value if row["basis"] is not None else ""
                note = by_graph[graph] = Footnote(0, graph, self.href(graph),
                                                  basis.endswith("inferred"), [], [])
            source, reason = row["source"], row["reason"]
            if isinstance(source, NamedNode) and all(s[0] != source.value for s in note.sources):
                note.sources.append((source.value, _short_url(source.value)))
            if isinstance(source, NamedNode) and (row["issued"] or row["consulted"]):
                note.source_dates[source.value] = (text_of(row["issued"]),
                                                   text_of(row["consulted"]))
            note.valid_from = note.valid_from or text_of(row["from"])
            note.valid_through = note.valid_through or text_of(row["through"])
            if isinstance(reason, Literal) and all(r.text != reason.value for r in note.reasons):
                note.reasons.append(Value(reason.value, lang=reason.language or None))
        ordered = sorted(by_graph.values(), key=lambda n: (n.inferred, n.sources, n.graph))
        for number, note in enumerate(ordered, 1):
            note.number = number
            note.reasons = in_language(note.reasons, language)
        return ordered, by_graph

    def _entity(self, iri: str, statements: Iterable[tuple[Term, str, Term]], labels: Labels,
                by_graph: dict[str, Footnote], language: str) -> EntityView:
        values: dict[str, dict[Term, Value]] = defaultdict(dict)
        for graph, predicate, obj in statements:
            value = values[predicate].get(obj)
            if value is None:
                value = values[predicate][obj] = self._value(obj, labels, language)
            note = by_graph.get(graph.value) if isinstance(graph, NamedNode) else None
            if note is not None and note.number not in value.footnotes:
                value.footnotes.append(note.number)
                value.footnotes.sort()
                value.inferred = value.inferred or note.inferred
                value.valid_from = value.valid_from or note.valid_from
                value.valid_through = value.valid_through or note.valid_through
        types = list(values.pop(RDF_TYPE, {}).values())
        label, label_lang = pick_label(labels.get(iri), local_name(iri), language)
        lists = {p: list(v.values()) for p, v in values.items()}
        groups = self._groups(lists, labels, language)
        path = self.iris.document_path(iri) or iri
        view = EntityView(iri, path, label, label_lang, types, groups, [], [], {})
        view.jsonld = schema_org.describe(iri, lists, [t.iri or "" for t in types], labels,
                                 self.prefixes["mw"])
        return view

    def _vocabulary_view(self, version: Version, iri: str, labels: Labels,
                         language: str) -> EntityView:
        by_subject: dict[str, list[tuple[Term, str, Term]]] = defaultdict(list)
        for row in self.queries.run(version.store, "vocabulary-statements", union=False,
                                    vocabulary_graph=self.vocabulary_graph):
            subject = row["s"]
            if isinstance(subject, NamedNode):
                by_subject[subject.value].append((row["s"], row["p"].value, row["o"]))
        main = self._entity(iri, by_subject.pop(iri, []), labels, {}, language)
        own = self.prefixes["mw"]
        ordered = sorted(by_subject, key=lambda s: (not s.startswith(own), local_name(s).lower()))
        for subject in ordered:
            section = self._entity(subject, by_subject[subject], labels, {}, language)
            section.anchor = subject.split("#", 1)[1] if subject.startswith(own) else None
            main.sections.append(section)
        return main

    def _value(self, term: Term, labels: Labels, language: str) -> Value:
        if isinstance(term, NamedNode):
            text, text_lang = pick_label(labels.get(term.value), local_name(term.value), language)
            if text == local_name(term.value) and not term.value.startswith(self.iris.base):
                text = _short_url(term.value) if "/ns/" not in term.value else text
            return Value(text, self.href(term.value), lang=text_lang or None, iri=term.value)
        if isinstance(term, Literal):
            datatype = term.datatype.value if not term.language else None
            note = None
            boolean = None
            if datatype == XSD + "boolean":
                boolean = term.value in ("true", "1")
            elif datatype and datatype not in (XSD + "string",):
                note = "xsd:" + datatype[len(XSD):] if datatype.startswith(XSD) else \
                    local_name(datatype)
            return Value(term.value, lang=term.language or None, note=note, boolean=boolean)
        if isinstance(term, BlankNode):
            return Value("_:" + term.value)
        return Value(str(term))

    def _groups(self, values: dict[str, list[Value]], labels: Labels,
                language: str) -> list[Group]:
        groups = []
        for predicate, items in values.items():
            label, label_lang = pick_label(labels.get(predicate), local_name(predicate), language)
            items = in_language(items, language)
            items.sort(key=lambda v: (v.lang not in ("nl", None), v.lang or "", v.text.lower()))
            groups.append(Group(predicate, label, label_lang, self.href(predicate), items))
        rank = {p: i for i, p in enumerate(FIRST)}
        groups.sort(key=lambda g: (rank.get(g.predicate, len(FIRST)), g.label.lower()))
        return groups


def in_language(items: list[Value], language: str) -> list[Value]:
    """The values of one property a page in ``language`` shows: the texts (language-tagged
    literals) in the first language of :func:`preference` that any of them has, or in their
    own language when none has one of those; every other value (links, numbers, dates, texts
    without a language) as it is. Machine formats keep every language."""
    texts = {v.lang for v in items if v.lang and v.iri is None}
    if len(texts) < 2:
        return items
    chosen = next((lang for lang in preference(language) if lang in texts), None)
    if chosen is None:
        return items
    return [v for v in items if v.iri is not None or not v.lang or v.lang == chosen]




def _short_url(url: str) -> str:
    text = url.split("://", 1)[-1]
    return text if len(text) <= 70 else text[:67] + "…"
