"""The metadata graph of a version (``/id/graaf/metadata``): what depends on the build itself.

It holds what must not be in the canonical graph because it changes from build to build even
for the same input: the build time. The DCAT-AP catalogue and the VoID description are added
here too (they describe the dumps, whose checksums are only known after they are written).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from midwest_lod.config import Settings
from midwest_lod.iris import Iris
from midwest_lod.pipeline.mapping import build_activity_iri
from midwest_lod.vocab import PROV

XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def metadata_quads(settings: Settings, manifest: dict[str, Any], store: ox.Store) -> list[ox.Quad]:
    """Quads of the metadata graph for the version described by ``manifest``."""
    iris = Iris(settings.base_iri)
    graph = ox.NamedNode(str(iris.graph("metadata")))
    activity = ox.NamedNode(str(build_activity_iri(iris, manifest["inputs"])))
    return [
        ox.Quad(activity, ox.NamedNode(str(PROV.endedAtTime)),
                ox.Literal(manifest["built_at"], datatype=XSD_DATETIME), graph),
    ]
