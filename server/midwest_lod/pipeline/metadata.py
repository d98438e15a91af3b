"""The metadata graph of a version (``/id/graaf/metadata``): what depends on the build itself.

It holds what must not be in the canonical graph because it changes from build to build even
for the same input: the build time, the DCAT-AP catalogue (:mod:`.catalog`: the dumps, whose
sizes and checksums are only known after they are written) and the VoID description
(:mod:`.void`: statistics of the store).

``dct:issued`` of the catalogue, the dataset and its record is the first publication. It is
the earliest of: this build, the folders in ``versions/`` and the ``issued`` of the current
version's manifest. :func:`metadata_quads` writes it into ``manifest["issued"]`` (the build
writes the manifest afterwards), so that it survives pruning of old versions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from midwest_lod.config import Settings
from midwest_lod.pipeline.catalog import catalog_quads
from midwest_lod.pipeline.mapping import build_activity_iri
from midwest_lod.pipeline.metaquery import DatasetQueries
from midwest_lod.pipeline.statistics import Statistics
from midwest_lod.pipeline.void import void_quads
from midwest_lod.publication import MANIFEST, VERSIONS, current_target
from midwest_lod.stream import timestamp_literal
from midwest_lod.timestamps import format_utc, parse_utc
from midwest_lod.vocab import PROV

_VERSION_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-")


def metadata_quads(settings: Settings, manifest: dict[str, Any], store: ox.Store,
                   stats: Statistics) -> list[ox.Quad]:
    """Quads of the metadata graph for the version described by ``manifest``, with the VoID
    statistics and the languages of its ``canonical.nt`` (:func:`.statistics.read_statistics`)."""
    iris = settings.iris
    graph = ox.NamedNode(str(iris.graph("metadata")))
    activity = ox.NamedNode(str(build_activity_iri(iris, manifest["inputs"])))
    issued = first_issued(Path(settings.output_dir), str(manifest["built_at"]))
    manifest["issued"] = issued
    return [
        ox.Quad(activity, ox.NamedNode(str(PROV.endedAtTime)),
                timestamp_literal(manifest["built_at"]), graph),
        *catalog_quads(settings, manifest, store, issued=issued, languages=stats.languages,
                       queries=DatasetQueries(store, iris)),
        *void_quads(settings, manifest, store, stats),
    ]


def first_issued(output_dir: Path, built_at: str) -> str:
    """The time of the first publication in ``output_dir`` (``built_at`` when there is none)."""
    candidates = [parse_utc(built_at)]
    versions = output_dir / VERSIONS
    if versions.is_dir():
        for folder in versions.iterdir():
            match = _VERSION_TIME.match(folder.name)
            if match:
                year, month, day, hour, minute, second = (int(g) for g in match.groups())
                candidates.append(dt.datetime(year, month, day, hour, minute, second,
                                              tzinfo=dt.UTC))
    target = current_target(output_dir)
    if target is not None:
        try:
            previous = json.loads((output_dir / target / MANIFEST).read_text(encoding="utf-8"))
            if isinstance(previous, dict) and isinstance(previous.get("issued"), str):
                candidates.append(parse_utc(previous["issued"]))
        except (OSError, ValueError):
            pass
    return format_utc(min(candidates))
