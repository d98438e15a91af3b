"""Namespaces of the vocabularies the publisher uses (docs/model.md §2): declared here, once.

The project's own namespace depends on the base IRI: use ``settings.iris.vocab``. The two
modules a query worker process imports (``formats.py``, ``web/query/results.py``) write the
few IRIs they need out, as a worker does not load rdflib.
"""

from __future__ import annotations

from rdflib import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD, Namespace

ORG = Namespace("http://www.w3.org/ns/org#")
REGORG = Namespace("http://www.w3.org/ns/regorg#")
ORGANISATIE = Namespace("https://data.vlaanderen.be/ns/organisatie#")
ADRES = Namespace("https://data.vlaanderen.be/ns/adres#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
SCHEMA = Namespace("http://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
LDES = Namespace("https://w3id.org/ldes#")
TREE = Namespace("https://w3id.org/tree#")
SH = Namespace("http://www.w3.org/ns/shacl#")
#: Activity Streams 2.0: ``as:Delete`` marks a tombstone of the event stream.
AS = Namespace("https://www.w3.org/ns/activitystreams#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
#: Hydra: the controls of the Triple Pattern Fragments interface (``/tpf``).
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCT = DCTERMS

__all__ = [
    "ADMS", "ADRES", "AS", "CATALOG_PREFIXES", "DCAT", "DCT", "DEFAULT_BASE", "ELI", "FOAF",
    "FRAGMENT_PREFIXES", "HYDRA", "LDES", "LOCN", "ORG", "ORGANISATIE", "OWL", "PREFIXES",
    "PROV", "RDF", "RDFS", "REGORG",
    "SCHEMA", "SD", "SH", "SKOS", "SPDX", "STREAM_PREFIXES", "TREE", "VCARD", "VOID", "XSD",
    "prefixes_for",
]

#: Default base the files in ontology/ and shapes/ are written with.
DEFAULT_BASE = "https://data.midwest.be"

PREFIXES: dict[str, str] = {
    "org": str(ORG),
    "regorg": str(REGORG),
    "organisatie": str(ORGANISATIE),
    "adres": str(ADRES),
    "locn": str(LOCN),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "adms": str(ADMS),
    "eli": str(ELI),
    "dcat": str(DCAT),
    "void": str(VOID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}


#: Prefixes the catalogue's documents (``/catalog``, ``/.well-known/void``) add to those of
#: :func:`prefixes_for`.
CATALOG_PREFIXES: dict[str, str] = {"vcard": str(VCARD), "spdx": str(SPDX)}
#: Prefixes the event stream's serialisations (Turtle, TriG) add to those of
#: :func:`prefixes_for`.
STREAM_PREFIXES: dict[str, str] = {
    "ldes": str(LDES), "tree": str(TREE), "dct": str(DCTERMS), "rdf": str(RDF),
    "rdfs": str(RDFS), "xsd": str(XSD), "dcat": str(DCAT), "as": str(AS),
}

#: Prefixes of the Triple Pattern Fragments' serialisations (Turtle, TriG) beside those of
#: :func:`prefixes_for`.
FRAGMENT_PREFIXES: dict[str, str] = {"hydra": str(HYDRA)}


def prefixes_for(base: str) -> dict[str, str]:
    """All prefixes, with ``mw`` for the project vocabulary under ``base``."""
    return {"mw": f"{base}/ns/sociale-economie#", **PREFIXES}
