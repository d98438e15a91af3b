"""The VoID statistics of a version, read in one pass over its canonical N-Triples.

``canonical.nt`` is the dataset exactly as ``queries/metadata/void-*.rq`` define it: the
union of the assertion graphs and the provenance graph, each distinct triple once, the
vocabulary and metadata graphs left out. Its lines are sorted, so all triples of a subject
are adjacent: subjects and typed entities are counted without remembering them. Only the
distinct objects need a set.

Why not the SPARQL files themselves: over 11.5 M quads (100,000 organisations)
``void-statistics.rq`` alone took 38 s and 3.9 GB (the engine keeps every distinct triple in
a hash set to count them), and ``void-properties.rq`` does the same again; this pass takes
10 s and 0.5 GB. The language tags of the literals (``languages.rq``, ``dct:language`` of
the catalogue: 36 s over the store) come from the same pass.
``tests/pipeline/test_statistics.py`` checks that both ways give the same figures.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from midwest_lod.vocab import RDF

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
RDF_TYPE = f"<{RDF.type}>".encode()


@dataclass
class Statistics:
    """The figures of ``void-statistics.rq``, ``void-classes.rq``, ``void-properties.rq`` and
    ``languages.rq``."""

    triples: int = 0
    entities: int = 0  # distinct IRIs in subject position with an rdf:type
    classes: int = 0  # distinct objects of rdf:type (IRIs or not)
    distinct_subjects: int = 0
    distinct_objects: int = 0
    class_entities: Counter[str] = field(default_factory=Counter)  # class IRI -> entities
    property_triples: Counter[str] = field(default_factory=Counter)  # property IRI -> triples
    languages: Counter[str] = field(default_factory=Counter)  # language tag (lower) -> literals

    @property
    def properties(self) -> int:
        return len(self.property_triples)

    def totals(self) -> dict[str, int]:
        """By the variable names of ``void-statistics.rq``."""
        return {"triples": self.triples, "entities": self.entities, "classes": self.classes,
                "properties": self.properties, "distinctSubjects": self.distinct_subjects,
                "distinctObjects": self.distinct_objects}


def read_statistics(canonical_nt: Path) -> Statistics:
    """Count the statistics of the sorted, duplicate-free N-Triples file ``canonical_nt``."""
    stats = Statistics()
    objects: set[bytes] = set()
    classes: Counter[bytes] = Counter()
    properties: Counter[bytes] = Counter()
    languages: Counter[bytes] = Counter()
    subject = b""
    typed = False  # the current subject has an rdf:type
    with canonical_nt.open("rb") as handle:
        for line in handle:
            # "<s> <p> object .\n": IRIs and blank node labels contain no space
            end_s = line.index(b" ")
            end_p = line.index(b" ", end_s + 1)
            this_subject = line[:end_s]
            if this_subject != subject:
                if typed and subject.startswith(b"<"):
                    stats.entities += 1
                subject, typed = this_subject, False
                stats.distinct_subjects += 1
            predicate = line[end_s + 1:end_p]
            obj = line[end_p + 1:-3] if line.endswith(b" .\n") else line[end_p + 1:].rstrip()
            properties[predicate] += 1
            objects.add(obj)
            if obj[:1] == b'"':
                quote = obj.rfind(b'"')
                if obj[quote + 1:quote + 2] == b"@":
                    languages[obj[quote + 2:]] += 1
            if predicate == RDF_TYPE:
                typed = True
                classes[obj] += 1  # one line per (subject, class): the file has no duplicates
            stats.triples += 1
    if typed and subject.startswith(b"<"):
        stats.entities += 1
    stats.distinct_objects = len(objects)
    stats.classes = len(classes)
    stats.class_entities = Counter({_iri(c): n for c, n in classes.items() if c[:1] == b"<"})
    stats.property_triples = Counter({_iri(p): n for p, n in properties.items()})
    for tag, n in languages.items():
        stats.languages[tag.decode("ascii").lower()] += n
    return stats


def _iri(term: bytes) -> str:
    """The IRI of the N-Triples term ``<…>``, its ``\\u``/``\\U`` escapes (UCHAR) undone."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)),
                      term[1:-1].decode("utf-8"))
