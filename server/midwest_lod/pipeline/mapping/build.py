"""The build itself in the provenance graph: the activity that used the input files."""

from __future__ import annotations

import hashlib

from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from midwest_lod.iris import Iris
from midwest_lod.vocab import DCT, PROV

Quad = tuple[URIRef, URIRef, Node, URIRef]


def build_activity_iri(iris: Iris, inputs: dict[str, str]) -> URIRef:
    """The IRI of the build that used exactly these inputs (path -> sha256)."""
    material = "\n".join(f"{path} {sha}" for path, sha in sorted(inputs.items()))
    return iris.thing("activiteit", f"build-{hashlib.sha256(material.encode()).hexdigest()[:16]}")


def build_activity_quads(iris: Iris, inputs: dict[str, str], tool_version: str) -> list[Quad]:
    """The build as a prov:Activity that used the input files (deterministic: no time)."""
    herkomst = iris.graph("herkomst")
    mw = iris.vocab
    activity = build_activity_iri(iris, inputs)
    input_hash = activity.rsplit("-", 1)[-1]
    software = iris.thing("software", f"midwest-lod-{tool_version}")
    quads: list[Quad] = [
        (activity, RDF.type, PROV.Activity, herkomst),
        (activity, RDFS.label, Literal(f"Build van de publicatie ({input_hash})", lang="nl"),
         herkomst),
        (activity, PROV.wasAssociatedWith, software, herkomst),
        (software, RDF.type, PROV.SoftwareAgent, herkomst),
        (software, RDFS.label, Literal(f"midwest-lod {tool_version}", lang="nl"), herkomst),
        (software, OWL.versionInfo, Literal(tool_version), herkomst),
    ]
    for key, label_nl in (("curatie", "Curatie van de brongegevens door de data steward"),
                          ("afleiding", "Afleiding uit de bronnen (geen letterlijke bewering)"),
                          ("vertaling", "Vertaling van de Nederlandse tekst door de data steward "
                                        "(Engels; de bronnen zeggen het in het Nederlands)")):
        activity_iri = iris.thing("activiteit", key)
        quads += [(activity_iri, RDF.type, PROV.Activity, herkomst),
                  (activity_iri, RDFS.label, Literal(label_nl, lang="nl"), herkomst)]
    for path, sha in sorted(inputs.items()):
        entity = iris.thing("invoer", sha)
        quads += [
            (activity, PROV.used, entity, herkomst),
            (entity, RDF.type, PROV.Entity, herkomst),
            (entity, RDFS.label, Literal(f"data/{path}", lang="nl"), herkomst),
            (entity, DCT.title, Literal(f"data/{path}"), herkomst),
            (entity, mw.sha256, Literal(sha), herkomst),
        ]
    return quads
