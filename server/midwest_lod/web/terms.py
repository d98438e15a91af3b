"""The terms of the published graph for the query editor: classes, properties and named
things with their labels (``queries/terms/*.rq``), read once per published version.

Completion (``GET /sparql/terms``) matches case- and accent-insensitively ("ecocafe" finds
"Ecocafé") on every label and on the local name of the IRI: labels that start with what was
typed first, then labels that contain it, then local names. Labels are shown in the language
asked for, else Dutch, else any.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal

from midwest_lod.publication import Version
from midwest_lod.web.queries import QueryFiles

KINDS: tuple[str, ...] = ("class", "property", "entity")
_FILES = {"class": "terms/classes", "property": "terms/properties", "entity": "terms/entities"}
_LOCAL_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_NOT_FOUND = 9


def fold(text: str) -> str:
    """``text`` for matching: case and accents dropped (NFKD, combining marks removed)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


@dataclass
class Term:
    iri: str
    kind: str
    prefixed: str | None
    labels: dict[str, str] = field(default_factory=dict)  # language ("" for none) -> label
    folded: tuple[str, ...] = ()
    local: str = ""

    def label(self, lang: str) -> tuple[str, str] | None:
        """(label, language) in ``lang``, else Dutch, else any; None without labels."""
        for tag in (lang, "nl", "", *self.labels):
            if tag in self.labels:
                return self.labels[tag], tag
        return None

    def rank(self, wanted: str) -> int:
        ranks = [0 if name.startswith(wanted) else 1 if wanted in name else _NOT_FOUND
                 for name in self.folded]
        ranks.append(2 if wanted in self.local else _NOT_FOUND)
        return min(ranks)

    def as_json(self, lang: str) -> dict[str, str | None]:
        label = self.label(lang)
        return {"iri": self.iri, "kind": self.kind, "label": label[0] if label else None,
                "lang": label[1] if label else None, "prefixed": self.prefixed}


def prefixed_name(iri: str, prefixes: dict[str, str]) -> str | None:
    """``p:local`` for an IRI in one of ``prefixes`` (a local name SPARQL accepts as is)."""
    for prefix, namespace in prefixes.items():
        local = iri[len(namespace):]
        if iri.startswith(namespace) and _LOCAL_NAME.match(local) and not local.endswith("."):
            return f"{prefix}:{local}"
    return None


class TermIndex:
    """The terms of one published version, by kind."""

    def __init__(self, rows: Iterable[tuple[str, str, Literal | None]],
                 prefixes: dict[str, str]) -> None:
        self.by_kind: dict[str, dict[str, Term]] = {kind: {} for kind in KINDS}
        for kind, iri, label in rows:
            term = self.by_kind[kind].get(iri)
            if term is None:
                term = self.by_kind[kind][iri] = Term(iri, kind, prefixed_name(iri, prefixes))
                local = (term.prefixed or iri).rsplit(":", 1)[-1]
                term.local = fold(re.split(r"[/#]", local)[-1])
            if label is not None:
                term.labels.setdefault(label.language or "", label.value)
        for terms in self.by_kind.values():
            for term in terms.values():
                term.folded = tuple(fold(v) for v in term.labels.values())

    @classmethod
    def of(cls, version: Version, queries: QueryFiles) -> TermIndex:
        """The index of ``version``, built on first use and kept with the version."""
        def make() -> TermIndex:
            rows = [(kind, row["iri"].value, row["label"] if isinstance(row["label"], Literal)
                     else None)
                    for kind in KINDS for row in queries.run(version.store, _FILES[kind])]
            return cls(rows, queries.prefixes)

        return version.derived("term_index", make)

    def search(self, kind: str, typed: str, lang: str, limit: int) -> list[Term]:
        """Terms of ``kind`` matching ``typed``, best first (then by label)."""
        wanted = fold(typed.strip())
        hits = []
        for term in self.by_kind[kind].values():
            rank = term.rank(wanted)
            if rank < _NOT_FOUND:
                label = term.label(lang)
                hits.append((rank, fold(label[0]) if label else term.local, term.iri, term))
        hits.sort(key=lambda hit: hit[:3])
        return [hit[3] for hit in hits[:limit]]

    def labels(self, iris: Iterable[str], lang: str) -> dict[str, dict[str, str]]:
        """``{iri: {"value", "lang"}}`` for those of ``iris`` with a label."""
        found: dict[str, dict[str, str]] = {}
        for iri in iris:
            for kind in ("entity", "class", "property"):
                term = self.by_kind[kind].get(iri)
                label = term.label(lang) if term else None
                if label:
                    found[iri] = {"value": label[0], "lang": label[1]}
                    break
        return found
