"""The one place that mints IRIs and the paths of the web application.

IRIs follow the Flemish URI standard (docs/decisions/0001-uri-pattern.md):
``{base}/id/{kind}/{key}`` for things, ``{base}/doc/{kind}/{key}`` for their documents,
``{base}/ns/sociale-economie#{Term}`` for the vocabulary, concept schemes and concepts under
``/id/conceptscheme/`` and ``/id/concept/``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from rdflib import Namespace, URIRef

VOCAB_PATH = "/ns/sociale-economie"
#: The JSON-LD context of compact documents (midwest_lod.jsonld).
CONTEXT_PATH = "/ns/context.jsonld"
#: Path of the event stream (LDES); its pages are LDES_PATH/{n}.
LDES_PATH = "/ldes"
#: The DCAT-AP catalogue, and the VoID description of the dataset (the RFC 8615
#: well-known URI that VoID registered).
CATALOG_PATH = "/catalog"
VOID_PATH = "/.well-known/void"
#: The named queries of the catalogue as an API: the list, one path per query, the OpenAPI
#: document describing them (web/blueprints/api.py).
API_QUERIES_PATH = "/api/queries"
OPENAPI_PATH = "/api/openapi.json"
#: The API explorer (Swagger UI over the OpenAPI document, from this origin).
API_EXPLORER_PATH = "/api/"
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Characters RFC 3987 does not allow anywhere in an IRI.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
#: Keys of the catalogue (``/id/catalogus/…``) and of the one dataset (``/id/dataset/…``).
CATALOG_KEY = "midwest"
DATASET_KEY = "sociale-economie"

#: Kinds of things with an IRI of the form {base}/id/{kind}/{key}.
KINDS = (
    "organisatie", "vestiging", "adres", "dienst", "gemeente", "arrondissement", "provincie",
    "regio", "regierol", "fusie", "verandering", "document", "cijfer", "definitie",
    "regelgeving", "activiteit", "invoer", "software", "bewering", "graaf", "dataset",
    "catalogus", "dataservice", "distributie", "conceptscheme", "concept",
)


def api_query_path(name: str) -> str:
    """The path of the named query ``name`` (``/api/queries/{name}``)."""
    return f"{API_QUERIES_PATH}/{name}"


def is_key(value: str) -> bool:
    """True when ``value`` is a valid key (lower-case slug or NIS-like digits)."""
    return bool(KEY_PATTERN.match(value))


@dataclass(frozen=True)
class Iris:
    """IRI minting for one base (the ``base_iri`` setting)."""

    base: str

    @cached_property
    def vocab(self) -> Namespace:
        return Namespace(f"{self.base}{VOCAB_PATH}#")

    @property
    def vocab_document(self) -> URIRef:
        """The IRI of the ontology itself (without '#')."""
        return URIRef(f"{self.base}{VOCAB_PATH}")

    def thing(self, kind: str, key: str) -> URIRef:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        return URIRef(f"{self.base}/id/{kind}/{key}")

    def scheme(self, scheme: str) -> URIRef:
        return URIRef(f"{self.base}/id/conceptscheme/{scheme}")

    def concept(self, scheme: str, key: str) -> URIRef:
        return URIRef(f"{self.base}/id/concept/{scheme}/{key}")

    def graph(self, name: str) -> URIRef:
        return self.thing("graaf", name)

    @property
    def history_graph(self) -> URIRef:
        """The store-only graph of when each entity changed (pipeline/history_graph.py)."""
        return self.graph("geschiedenis")

    def assertion(self, subject: str, basis: str, reason: str, sources: Iterable[str]) -> URIRef:
        """The assertion graph for statements about ``subject`` sharing basis and sources."""
        material = "\n".join([subject, basis, reason, *sorted(set(sources))])
        return self.thing("bewering", hashlib.sha256(material.encode("utf-8")).hexdigest()[:16])

    # --- documents and paths ---------------------------------------------------------------

    def path_of(self, iri: str) -> str | None:
        """The local path of an IRI this base mints, or None for a foreign IRI."""
        if iri == self.base or not iri.startswith(self.base + "/"):
            return None
        return iri[len(self.base):].split("#", 1)[0]

    def document_path(self, iri: str) -> str | None:
        """Path of the document describing ``iri`` (``/id/x/y`` → ``/doc/x/y``)."""
        path = self.path_of(iri)
        if path is None:
            return None
        if path.startswith("/id/"):
            return "/doc/" + path[len("/id/"):]
        return path

    def iri_for_path(self, path: str) -> URIRef:
        """The IRI for a request path: ``/doc/x/y`` describes ``{base}/id/x/y``.

        Raises ValueError for a path that cannot be part of an IRI (spaces, ``<``, controls):
        such a path names nothing.
        """
        if _NOT_IN_IRI.search(path):
            raise ValueError(f"{path!r} cannot be part of an IRI")
        if path.startswith("/doc/"):
            path = "/id/" + path[len("/doc/"):]
        return URIRef(self.base + path)

    # --- the catalogue and the dataset description (pipeline/catalog.py, pipeline/void.py) ---

    def url(self, path: str) -> URIRef:
        """The URL of a path of the web application (``/sparql``, ``/dumps/x``, ``/catalog``)."""
        if not path.startswith("/"):
            raise ValueError(f"a path starts with '/', got {path!r}")
        return URIRef(self.base + path)

    @property
    def catalog(self) -> URIRef:
        """The dcat:Catalog (``/id/catalogus/midwest``)."""
        return self.thing("catalogus", CATALOG_KEY)

    @property
    def dataset(self) -> URIRef:
        """The one dataset: dcat:Dataset and void:Dataset (``/id/dataset/sociale-economie``)."""
        return self.thing("dataset", DATASET_KEY)

    @property
    def catalog_record(self) -> URIRef:
        """The dcat:CatalogRecord of the dataset in the catalogue."""
        return URIRef(f"{self.catalog}/record/{DATASET_KEY}")

    @property
    def contact_point(self) -> URIRef:
        """The vcard:Kind the catalogue, the dataset and the services give as contact point."""
        return URIRef(f"{self.catalog}/contactpunt")

    def distribution(self, file_name: str) -> URIRef:
        """The dcat:Distribution of a dump file (``x.nt.gz`` → ``/id/distributie/x-nt-gz``)."""
        key = re.sub(r"[^a-z0-9]+", "-", file_name.lower()).strip("-")
        return self.thing("distributie", key)

    def checksum(self, file_name: str) -> URIRef:
        """The spdx:Checksum of a dump file."""
        return URIRef(f"{self.distribution(file_name)}/checksum")

    def data_service(self, key: str) -> URIRef:
        """A dcat:DataService (``sparql``, ``ldes``)."""
        return self.thing("dataservice", key)

    def void_partition(self, kind: str, term: str) -> URIRef:
        """A VoID class (``kind='class'``) or property partition of the dataset, stable per term."""
        if kind not in ("class", "property"):
            raise ValueError(f"unknown partition kind {kind!r}")
        digest = hashlib.sha256(term.encode("utf-8")).hexdigest()[:16]
        return URIRef(f"{self.dataset}/void/{kind}/{digest}")

    # --- the event stream (stream.py, pipeline/eventstream/, web/blueprints/ldes.py) ----------
    # Service URLs like /sparql, not things under /id/: docs/decisions/0004-event-stream.md.

    @property
    def event_stream(self) -> URIRef:
        """The ldes:EventStream, which is also its root tree:Node (``{base}/ldes``)."""
        return URIRef(self.base + LDES_PATH)

    def event_stream_page(self, number: int) -> URIRef:
        """Page ``number`` (1, 2, ...) of the event stream (``{base}/ldes/{number}``)."""
        if number < 1:
            raise ValueError(f"event stream pages are numbered from 1, got {number}")
        return URIRef(f"{self.base}{LDES_PATH}/{number}")

    def entity_version(self, entity: str, timestamp: str) -> URIRef:
        """The version object of ``entity`` at ``timestamp`` (``{entity}/{timestamp}``)."""
        return URIRef(f"{entity}/{timestamp}")

    def kind_of(self, iri: str) -> str | None:
        """The kind of an IRI ``{base}/id/{kind}/...`` this base mints, else None."""
        path = self.path_of(iri)
        if path is None or not path.startswith("/id/"):
            return None
        kind = path[len("/id/"):].split("/", 1)[0]
        return kind if kind in KINDS else None
