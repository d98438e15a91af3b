"""Repairs of the published DCAT-AP VL 3 SHACL file (erkende standaard 2026-02-12).

The official file cannot be loaded by pySHACL as published and has a few mistakes that make it
reject every conforming catalogue. :func:`repair` applies the repairs documented in
``tests/catalog/shapes/NOTE.md``, line by line, so the diff against the official file stays
small and readable. Run ``python -m tests.catalog.vl_repair`` to regenerate
``shapes/DCAT-AP-VL-SHACL.repaired.ttl`` and ``shapes/DCAT-AP-VL-SHACL.repaired.diff`` from the
official file; ``test_vl_repair.py`` checks that the committed copies are what this produces.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHAPES = HERE / "shapes"
REPAIRED = SHAPES / "DCAT-AP-VL-SHACL.repaired.ttl"
DIFF = SHAPES / "DCAT-AP-VL-SHACL.repaired.diff"
#: The shared standards folder: ``../shared`` beside the repository.
SHARED = HERE.parents[2] / "shared" / "standards" / "shapes"
OFFICIAL = (SHARED / "Informatievlaanderen-data.vlaanderen.be2-generated" / "doc"
            / "applicatieprofiel" / "DCAT-AP-VL" / "shacl" / "DCAT-AP-VL-SHACL.ttl")
OFFICIAL_NAME = ("Informatievlaanderen/data.vlaanderen.be2-generated@4db92fa1/doc/"
                 "applicatieprofiel/DCAT-AP-VL/shacl/DCAT-AP-VL-SHACL.ttl")
SAMPLE_SHAPE = ("<https://data.vlaanderen.be/doc/applicatieprofiel/DCAT-AP-VL/erkendestandaard/"
                "2026-02-12#VoorbeeldweergaveShape> a shacl:NodeShape;")

#: (name, pattern, replacement) applied to every line; see NOTE.md for the why of each.
LINE_REPAIRS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # 1. Unbounded maximum written as "n" (with or without xsd:integer): SHACL has no such
    #    value; unbounded means no sh:maxCount. The line is dropped.
    ("unbounded maxCount", re.compile(r'^\s*shacl:maxCount "n"(\^\^xsd:integer)?;\n$'), ""),
    # 2. Counts written as strings ("1"): sh:minCount/sh:maxCount take an xsd:integer.
    ("string counts", re.compile(r'shacl:(min|max)Count "(\d+)";'), r"shacl:\1Count \2;"),
    # 3. Misspelt property IRIs (DCAT is case-sensitive).
    ("dcat:servesDataset", re.compile(r"shacl:path dcat:servesdataset\b"),
     "shacl:path dcat:servesDataset"),
    ("dcat:mediaType", re.compile(r"shacl:path dcat:mediatype\b"), "shacl:path dcat:mediaType"),
    # 4. OSLO generiek namespace in http form; the namespace is https://data.vlaanderen.be/ns/.
    ("generiek namespace", re.compile(r"<http://data\.vlaanderen\.be/ns/generiek#"),
     "<https://data.vlaanderen.be/ns/generiek#"),
    # 5. sh:class rdfs:Resource (URL-valued properties) holds for every resource only under
    #    RDFS entailment; written as the node kind DCAT-AP 3.0.1 uses for the same properties.
    ("rdfs:Resource range", re.compile(r"shacl:class rdfs:Resource;"),
     "shacl:nodeKind shacl:BlankNodeOrIRI;"),
)


def repair(text: str) -> str:
    """The repaired shapes file for the official ``text``."""
    out: list[str] = []
    in_sample_shape = False
    for line in text.splitlines(keepends=True):
        for _name, pattern, replacement in LINE_REPAIRS:
            line = pattern.sub(replacement, line)
        # 6. VoorbeeldweergaveShape (a dataset's thumbnail, adms:sample) targets every
        #    dcat:Distribution; it is meant for the objects of adms:sample.
        if line.startswith(SAMPLE_SHAPE):
            in_sample_shape = True
        elif in_sample_shape and line.strip() == "shacl:targetClass dcat:Distribution .":
            line = line.replace("shacl:targetClass dcat:Distribution",
                                "shacl:targetObjectsOf <http://www.w3.org/ns/adms#sample>")
            in_sample_shape = False
        if line:
            out.append(line)
    return "".join(out)


def unified_diff(official: str, repaired: str) -> str:
    return "".join(difflib.unified_diff(
        official.splitlines(keepends=True), repaired.splitlines(keepends=True),
        fromfile=f"a/{OFFICIAL_NAME}",
        tofile="b/tests/catalog/shapes/DCAT-AP-VL-SHACL.repaired.ttl", n=2))


def main() -> int:
    if not OFFICIAL.is_file():
        print(f"the official file is missing: {OFFICIAL}", file=sys.stderr)
        return 1
    official = OFFICIAL.read_text(encoding="utf-8")
    repaired = repair(official)
    REPAIRED.write_text(repaired, encoding="utf-8")
    DIFF.write_text(unified_diff(official, repaired), encoding="utf-8")
    print(f"wrote {REPAIRED.relative_to(HERE.parents[1])} and {DIFF.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
