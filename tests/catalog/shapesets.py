"""The official shape files the catalogue is validated with, and how each set is run.

DCAT-AP 3.0.1 (SEMICeu/DCAT-AP ``releases/3.0.1``) ships two packagings; the SEMIC validator
(ISAITB/validator-resources-dcat-ap ``resources/config.properties``) combines them into these
options, which are reproduced here (see ``shapes/NOTE.md``):

* ``dcat-ap-full`` — "DCAT-AP 3.0.1 Full": ``html/shacl/shapes.ttl``, ``range.ttl``,
  ``shapes_recommended.ttl``, ``deprecateduris.ttl``. The validator also loads ``imports.ttl``
  (DCAT, DCT, FOAF … as background knowledge); offline that is replaced by the explicit typing
  the catalogue carries (the "Zero" variants of the validator need none).
* ``dcat-ap-generated`` — "DCAT-AP 3.0.1 Full (individual constraints)": ``shacl/dcat-ap-SHACL.ttl``
  with ``shacl/ranges.ttl``, whose class constraints it refers to. Five ``sh:property``
  references in ``ranges.ttl`` point at property shapes that neither file defines; pySHACL
  refuses such shapes, so the dangling references are dropped (:data:`DANGLING_GENERATED`
  checks there are exactly those). ``sh:class rdfs:Resource`` on ``dcat:endpointURL`` and
  ``dcat:endpointDescription`` only holds under RDFS entailment, so this set runs with
  ``inference="rdfs"``.
* ``dcat-ap-codelists`` — "Controlled vocabularies": ``html/shacl/mdr-vocabularies.shape.ttl``.
  The validator loads the EU vocabularies (``mdr_imports.ttl``) as background; the catalogue
  carries the ``skos:inScheme`` of every code it uses instead. One repair: the checksum
  algorithm pattern ``^https://spdx.org/rdf/terms`` cannot match the SPDX namespace
  ``http://spdx.org/rdf/terms#`` (the prefix the file itself declares); it is widened to
  ``^https?://``.
* ``dcat-ap-vl`` — DCAT-AP VL 3 (erkende standaard 2026-02-12), the repaired copy
  ``shapes/DCAT-AP-VL-SHACL.repaired.ttl`` (``vl_repair.py``, ``shapes/NOTE.md``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace

from tests.catalog.vl_repair import REPAIRED, SHARED

SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT_AP = SHARED / "SEMICeu-DCAT-AP" / "releases" / "3.0.1"
HTML_SHACL = DCAT_AP / "html" / "shacl"
GENERATED = DCAT_AP / "shacl"

#: Property shapes ``ranges.ttl`` (3.0.1) refers to without defining them (nor does
#: ``dcat-ap-SHACL.ttl``): dropped so that pySHACL loads the set.
_R = "https://semiceu.github.io/DCAT-AP/releases/3.0.1#"
DANGLING_GENERATED = frozenset({
    _R + "dcat:DatasetShape/4918ff7a6c1c4b0eea6403dca4b992b87ee1f4ab",
    _R + "dcat:DatasetShape/95c69c99a1e3ade043911b51b942f206dea0e68d",
    _R + "dcat:DistributionShape/653804840386e33525b3d39d205c174780be414b",
    _R + "dcat:DistributionShape/a07d6e7a0a1790b89a1ce7ff602cbbd9ea835282",
    _R + "dcat:RelationshipShape/b7aa98e1befa5130659568aa62e7f38575dc17c1",
})
SPDX_PATTERN = "^https://spdx.org/rdf/terms"


@dataclass(frozen=True)
class Finding:
    severity: str
    focus: str
    path: str | None
    message: str
    shape: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.focus} {self.path or ''} — {self.message} [{self.shape}]"


@dataclass(frozen=True)
class ShapeSet:
    name: str
    files: tuple[Path, ...]
    inference: str | None = None
    dangling: frozenset[str] = field(default_factory=frozenset)
    spdx_repair: bool = False

    def graph(self) -> Graph:
        shapes = Graph()
        for path in self.files:
            shapes.parse(path, format="turtle")
        dangling = {o for _, o in shapes.subject_objects(SH.property)
                    if (o, SH.path, None) not in shapes}
        assert {str(o) for o in dangling} == set(self.dangling), (
            f"{self.name}: the property shapes referred to but not defined changed: "
            f"{sorted(map(str, dangling))}")
        for subject, obj in list(shapes.subject_objects(SH.property)):
            if obj in dangling:
                shapes.remove((subject, SH.property, obj))
        if self.spdx_repair:
            for subject in list(shapes.subjects(SH.pattern, Literal(SPDX_PATTERN))):
                shapes.set((subject, SH.pattern, Literal("^https?://spdx.org/rdf/terms")))
        return shapes

    def findings(self, data: Graph) -> list[Finding]:
        """The top-level results of validating ``data`` with this set."""
        _conforms, report, _text = validate(data, shacl_graph=self.graph(),
                                            inference=self.inference, allow_warnings=True)
        found = []
        for result in report.objects(None, SH.result):
            path = report.value(result, SH.resultPath)
            found.append(Finding(
                str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                str(report.value(result, SH.focusNode)),
                str(path) if path is not None else None,
                str(report.value(result, SH.resultMessage)),
                str(report.value(result, SH.sourceShape)),
            ))
        return sorted(found, key=str)


SHAPE_SETS: tuple[ShapeSet, ...] = (
    ShapeSet("dcat-ap-full", tuple(HTML_SHACL / name for name in (
        "shapes.ttl", "range.ttl", "shapes_recommended.ttl", "deprecateduris.ttl"))),
    ShapeSet("dcat-ap-generated", (GENERATED / "dcat-ap-SHACL.ttl", GENERATED / "ranges.ttl"),
             inference="rdfs", dangling=DANGLING_GENERATED),
    ShapeSet("dcat-ap-codelists", (HTML_SHACL / "mdr-vocabularies.shape.ttl",),
             spdx_repair=True),
    ShapeSet("dcat-ap-vl", (REPAIRED,)),
)


def require_shared() -> Path:
    """The shared standards folder, or skip (fail when ``CI`` is set) when it is missing."""
    if not (SHARED.is_dir() and (DCAT_AP / "html" / "shacl" / "shapes.ttl").is_file()):
        reason = (f"the official shapes are not available: {SHARED} (../shared/standards/shapes "
                  "beside the repository) is missing")
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI is set, so this is a failure, not a skip")
        pytest.skip(reason)
    return SHARED
