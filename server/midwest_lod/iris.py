"""The one place that mints IRIs and the paths of the web application.

IRIs follow the Flemish URI standard (docs/decisions/0001-uri-pattern.md):
``{base}/id/{kind}/{key}`` for things, ``{base}/doc/{kind}/{key}`` for their documents,
``{base}/ns/sociale-economie#{Term}`` for the vocabulary, concept schemes and concepts under
``/id/conceptscheme/`` and ``/id/concept/``.

**Identifiers and links** (docs/decisions/0014-serving-host.md). IRIs under ``/id/`` and
``/ns/`` name things: they are the base IRI's wherever the data is served. Every other IRI
under the base (``/ldes``, ``/sparql``, ``/dumps/…``, ``/catalog``, ``/doc/…``) is a URL of this
web application, a link a client follows. An :class:`Iris` made for a request
(:meth:`Iris.serving`) writes those links with the origin the request came to, so a client of
``http://127.0.0.1:8080`` stays there; the build and the stored files use the base.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
from rdflib import Namespace, URIRef

VOCAB_PATH = "/ns/sociale-economie"
#: Path of the SPARQL endpoint; ``{base}/sparql`` is also the base IRI relative IRIs in a
#: query resolve against.
SPARQL_PATH = "/sparql"
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
#: The Triple Pattern Fragments interface (web/blueprints/fragments.py): ``/tpf`` is the
#: fragment of every triple, ``/tpf?subject=…&predicate=…&object=…&page=n`` the others.
TPF_PATH = "/tpf"
#: Skolem IRIs of the blank nodes of the data (RDF 1.1 §3.5), as the fragments publish them.
GENID_PATH = "/.well-known/genid"
#: The reconciliation service for OpenRefine: API 0.2 at RECONCILE_PATH, the 1.0 draft at
#: RECONCILE_V1_PATH (web/blueprints/reconcile.py).
RECONCILE_PATH = "/reconcile"
RECONCILE_V1_PATH = "/reconcile/v1"
#: The API explorer (Swagger UI over the OpenAPI document, from this origin).
API_EXPLORER_PATH = "/api/"
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Paths under the base that are identifiers (things, the vocabulary), never rewritten to the
#: serving host; every other path under the base is a link.
IDENTIFIER_PATHS = ("/id/", "/ns/")
#: An origin links may be rewritten to: scheme, host (name, IPv4 or [IPv6]) and port only.
_ORIGIN = re.compile(r"^https?://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
                     r"(?::[0-9]{1,5})?$")
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


def _host(url: str) -> str:
    """The authority of ``scheme://authority/...``, lower-cased."""
    return url.split("://", 1)[-1].split("/", 1)[0].lower()


def api_query_path(name: str) -> str:
    """The path of the named query ``name`` (``/api/queries/{name}``)."""
    return f"{API_QUERIES_PATH}/{name}"


def is_key(value: str) -> bool:
    """True when ``value`` is a valid key (lower-case slug or NIS-like digits)."""
    return bool(KEY_PATTERN.match(value))


@dataclass(frozen=True)
class Iris:
    """IRI minting for one base (the ``base_iri`` setting); links to ``origin`` when set."""

    base: str
    #: The origin (``http://127.0.0.1:8080``) links point to when it is not the base's ("":
    #: the base's). Identifiers never change (see the module).
    origin: str = ""

    @property
    def link_base(self) -> str:
        """Where links (URLs of this web application) start: the serving origin or the base."""
        return self.origin or self.base

    def serving(self, origin: str) -> Iris:
        """This builder for a request that came to ``origin`` (``request.host_url``). An origin
        with the base's host (whatever the scheme: TLS may end at a proxy in front), or not a
        plain ``scheme://host[:port]``, keeps the base's links."""
        origin = origin.rstrip("/")
        if not _ORIGIN.match(origin) or _host(origin) == _host(self.base):
            origin = ""
        return self if origin == self.origin else dataclasses.replace(self, origin=origin)

    def is_link(self, iri: str) -> bool:
        """Is ``iri`` a URL of this web application under the base (not an identifier)?"""
        if iri == self.base:
            return True
        return iri.startswith(self.base + "/") and not iri[len(self.base):].startswith(
            IDENTIFIER_PATHS)

    def link(self, iri: str) -> str:
        """``iri`` as a client of the serving origin follows it: a link under the base moves
        to the origin; identifiers and foreign IRIs stay as they are."""
        if self.origin and self.is_link(iri):
            return self.origin + iri[len(self.base):]
        return iri

    def link_triples(self, triples: Iterable[ox.Triple]) -> list[ox.Triple]:
        """The triples with every link IRI (subject or object) moved to the serving origin."""
        return [ox.Triple(self._link_subject(t.subject), t.predicate,
                          self._link_term(t.object)) for t in triples] if self.origin else list(
            triples)

    def link_quads(self, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
        """Like :meth:`link_triples`, for quads (graph names are identifiers: unchanged)."""
        return [ox.Quad(self._link_subject(q.subject), q.predicate, self._link_term(q.object),
                        q.graph_name) for q in quads] if self.origin else list(quads)

    def _link_subject(self, term: ox.NamedNode | ox.BlankNode | ox.Triple
                      ) -> ox.NamedNode | ox.BlankNode | ox.Triple:
        if isinstance(term, ox.NamedNode) and self.is_link(term.value):
            return ox.NamedNode(self.link(term.value))
        return term

    def _link_term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
                   ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
        if isinstance(term, ox.NamedNode) and self.origin and self.is_link(term.value):
            return ox.NamedNode(self.link(term.value))
        return term

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

    def statement(self, assertion: str, triple: bytes) -> URIRef:
        """The rdf:Statement of the provenance dump for one statement (``triple``: its
        N-Triples line) of an assertion graph: ``{assertion}#{hash}``, so that it dereferences
        to the assertion graph's description (docs/decisions/0015)."""
        return URIRef(f"{assertion}#{self.statement_key(triple)}")

    @staticmethod
    def statement_key(triple: bytes) -> str:
        """The fragment of :meth:`statement` (for writers that build the IRI as bytes)."""
        return hashlib.sha256(triple).hexdigest()[:16]

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
        """The URL of a path of the web application (``/sparql``, ``/dumps/x``, ``/catalog``),
        on the serving origin for a request."""
        if not path.startswith("/"):
            raise ValueError(f"a path starts with '/', got {path!r}")
        return URIRef(self.link_base + path)

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
        """The ldes:EventStream, which is also its root tree:Node (``{base}/ldes``; a URL of
        this server, so the serving origin's for a request)."""
        return URIRef(self.link_base + LDES_PATH)

    def event_stream_page(self, number: int) -> URIRef:
        """Page ``number`` (1, 2, ...) of the event stream (``{base}/ldes/{number}``)."""
        if number < 1:
            raise ValueError(f"event stream pages are numbered from 1, got {number}")
        return URIRef(f"{self.link_base}{LDES_PATH}/{number}")

    def entity_version(self, entity: str, timestamp: str) -> URIRef:
        """The version object of ``entity`` at ``timestamp`` (``{entity}/{timestamp}``)."""
        return URIRef(f"{entity}/{timestamp}")

    # --- Triple Pattern Fragments (fragments/, web/blueprints/fragments.py) ------------------

    @property
    def fragments(self) -> URIRef:
        """The TPF interface, which is also the fragment of every triple (``{base}/tpf``)."""
        return URIRef(self.base + TPF_PATH)

    def skolem(self, label: str) -> URIRef:
        """The skolem IRI of the blank node ``label`` (``{base}/.well-known/genid/{label}``)."""
        return URIRef(f"{self.base}{GENID_PATH}/{label}")

    def blank_label(self, iri: str) -> str | None:
        """The blank node label of a skolem IRI :meth:`skolem` made, else None."""
        prefix = f"{self.base}{GENID_PATH}/"
        label = iri[len(prefix):] if iri.startswith(prefix) else ""
        return label if label and re.fullmatch(r"[A-Za-z0-9_\-]+", label) else None

    def kind_of(self, iri: str) -> str | None:
        """The kind of an IRI ``{base}/id/{kind}/...`` this base mints, else None."""
        path = self.path_of(iri)
        if path is None or not path.startswith("/id/"):
            return None
        kind = path[len("/id/"):].split("/", 1)[0]
        return kind if kind in KINDS else None
