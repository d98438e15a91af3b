"""The DCAT-AP catalogue of a version: catalogue, dataset, distributions, data services, record.

It conforms to DCAT-AP 3.0.1 and to DCAT-AP Vlaanderen 3 (erkende standaard 2026-02-12); the
tests in ``tests/catalog/`` run both sets of official shapes over it (see the NOTE.md there for
which files and for the repairs the Flemish file needs). Choices a harvester may ask about:

* **Publisher**: the organisation ``/id/organisatie/midwest`` of the data (DVV Midwest, an
  intermunicipal association: 16 municipalities through 2024, 14 since 2025), typed
  ``foaf:Agent`` (DCAT-AP) and
  ``dct:Agent`` (DCAT-AP VL targets that class), ADMS publisher type *LocalAuthority*: an
  intermunicipal association is local government (Decreet Lokaal Bestuur), not the region (the
  Flemish Region is the *RegionalAuthority* of ADMS).
* **Contact point**: a ``vcard:Organization`` with the publisher's name and website. No e-mail
  address is known, so there is none: neither profile requires ``vcard:hasEmail``.
* **Licence**: the ``license_iri`` setting on the catalogue, the dataset (for VoID), every
  distribution and the data services, as a ``dct:LicenseDocument`` typed with the ADMS licence
  type when the licence is one of :data:`LICENCES`.
* **Code-list values** (themes, file types, access right, languages, frequency, country,
  publisher and licence types) are typed with the classes both profiles expect and carry their
  label and ``skos:inScheme``, so that the catalogue validates on its own, without the EU
  vocabularies as background knowledge.
* **What is constant** (titles, descriptions, keywords, the data services, the code-list values,
  the known licences, the standards) is the Turtle template ``queries/metadata/catalog.ttl``:
  this module writes what the build knows (identifiers, dates, the version, the licence, the
  languages, the spatial coverage, the publisher's name, the distributions' files) and adds the
  template's statements about every IRI the catalogue then mentions
  (:meth:`.metagraph.Template.describe_mentioned`): a code or a licence is published when it
  is used.
* **No dct:temporal**: the dataset is not a time series but the present state of a register;
  its dated facts (founding years 1963-2017, figures 2018-2023, laws, the 2025 mergers) carry
  their own dates, and one period spanning them would claim an observation period there is not.
* **dct:issued** is the first publication (kept in ``build.json`` as ``issued`` and carried over
  from version to version), **dct:modified** the time of this build.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from midwest_lod import formats
from midwest_lod.config import Settings
from midwest_lod.errors import BuildError
from midwest_lod.formats import Format
from midwest_lod.iris import Iris
from midwest_lod.pipeline.metagraph import Label, Template, Triples
from midwest_lod.pipeline.metaquery import DatasetQueries, query_text
from midwest_lod.publication import PROVENANCE_DUMP, QueryStore
from midwest_lod.sparql import substitutions
from midwest_lod.vocab import DCAT, DCT, FOAF, PROV, RDF, RDFS, SPDX, VCARD, XSD, prefixes_for

#: Key of the publishing organisation in data/organisations/.
PUBLISHER_KEY = "midwest"
_EU = "http://publications.europa.eu/resource/authority/"
#: Language tags of the data → EU language NAL (described in the template).
LANGUAGES: dict[str, str] = {"nl": _EU + "language/NLD", "en": _EU + "language/ENG",
                             "fr": _EU + "language/FRA", "de": _EU + "language/DEU"}
#: dct:spatial of the catalogue when the data names no region.
BELGIUM = _EU + "country/BEL"
#: Title of the vocabulary (dct:conformsTo of the dataset) when its graph gives none.
VOCABULARY_TITLE = ("Vocabularium sociale economie Midwest", "nl")


def catalog_quads(settings: Settings, manifest: dict[str, Any], store: ox.Store,
                  *, issued: str, languages: Iterable[str],
                  queries: DatasetQueries | None = None) -> list[ox.Quad]:
    """The catalogue of the version described by ``manifest``, in the metadata graph.

    ``languages``: the (lower-case) language tags of the dataset's literals, as the build
    counts them (:mod:`.statistics`; ``languages.rq`` is their definition)."""
    iris = settings.iris
    queries = queries or DatasetQueries(store, iris)
    out = Triples(str(iris.graph("metadata")))
    built_at = str(manifest["built_at"])
    catalog, dataset, record = str(iris.catalog), str(iris.dataset), str(iris.catalog_record)
    licence = settings.license_iri
    services = [str(iris.data_service(key)) for key in ("sparql", "ldes", "tpf")]

    for node in (catalog, record, dataset):
        out.typed(node, DCT.issued, issued, XSD.dateTime)
        out.typed(node, DCT.modified, built_at, XSD.dateTime)
    for node in (catalog, record, dataset, *services):
        out.add(node, DCT.identifier, ox.Literal(node))
    for node in (catalog, dataset, *services):
        out.add(node, DCT.license, licence)
    out.add(licence, RDF.type, DCT.LicenseDocument)
    out.add(dataset, DCAT.version, ox.Literal(str(manifest["version"])))
    for tag in sorted(set(languages) & set(LANGUAGES)) or ["nl"]:
        out.add(dataset, DCT.language, LANGUAGES[tag])
    places, flemish_places = _places(queries)
    for place in places:
        out.add(dataset, DCT.spatial, place)
    for place in flemish_places:  # typed here: the data does not describe them
        out.add(dataset, DCT.spatial, place)
        out.add(place, RDF.type, DCT.Location)
    out.add(catalog, DCT.spatial, places[0] if places else BELGIUM)
    out.texts(str(iris.vocab_document), DCT.title, _vocabulary_titles(queries, iris))
    template = Template("catalog", iris.base)
    files = {str(dump["file"]) for dump in manifest["dumps"]}
    for dump in manifest["dumps"]:
        node = _distribution(out, iris, template, dump, licence)
        out.add(dataset, DCAT.distribution, node)
        if PROVENANCE_DUMP in files and dump["file"] != PROVENANCE_DUMP:
            # where a consumer of this file finds the provenance of each statement (PROV-AQ;
            # docs/decisions/0015-provenance-everywhere.md)
            out.add(node, PROV.has_provenance, str(iris.distribution(PROVENANCE_DUMP)))
    _publisher(out, queries, str(iris.thing("organisatie", PUBLISHER_KEY)),
               str(iris.contact_point))
    template.describe_mentioned(out)
    return out.quads()


def _format(dump: dict[str, Any]) -> Format:
    fmt = formats.by_media_type(str(dump["media_type"]))
    if fmt is None or fmt.file_type_iri is None:
        raise BuildError(f"dump {dump['file']}: no file type for media type {dump['media_type']}")
    return fmt


def _distribution(out: Triples, iris: Iris, template: Template, dump: dict[str, Any],
                  licence: str) -> str:
    """One dump as a dcat:Distribution (with its checksum); returns its IRI. Its titles and
    description are the template's (a file it does not know gets the format and the name)."""
    file = str(dump["file"])
    fmt = _format(dump)
    node, checksum = str(iris.distribution(file)), str(iris.checksum(file))
    url = str(iris.url(f"/dumps/{file}"))
    out.add(node, RDF.type, DCAT.Distribution)
    out.add(node, DCT.identifier, ox.Literal(node))
    out.add(node, DCAT.accessURL, url)
    out.add(node, DCAT.downloadURL, url)
    assert fmt.iana_iri is not None and fmt.file_type_iri is not None
    out.add(node, DCAT.mediaType, fmt.iana_iri)
    out.add(fmt.iana_iri, RDF.type, DCT.MediaType)
    if dump.get("encoding") == "gzip":
        assert formats.GZIP.iana_iri is not None
        out.add(node, DCAT.compressFormat, formats.GZIP.iana_iri)
        out.add(formats.GZIP.iana_iri, RDF.type, DCT.MediaType)
    out.add(node, DCT.format, fmt.file_type_iri)
    out.typed(node, DCAT.byteSize, int(dump["bytes"]), XSD.nonNegativeInteger)
    out.add(node, SPDX.checksum, checksum)
    out.add(checksum, RDF.type, SPDX.Checksum)
    out.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
    out.typed(checksum, SPDX.checksumValue, str(dump["sha256"]), XSD.hexBinary)
    out.add(node, DCT.license, licence)
    if not template.objects(node, str(DCT.title)):
        out.titled(node, [(f"{fmt.label} ({file})", "en")])
    return node


def _publisher(out: Triples, queries: DatasetQueries, publisher: str, contact: str) -> None:
    """The publisher's name and the contact point: its name and website, from the data."""
    rows = queries.select("publisher", publisher=ox.NamedNode(publisher))
    names = [row["name"] for row in rows if isinstance(row.get("name"), ox.Literal)]
    if not names:
        raise BuildError(
            f"the publisher {publisher} has no skos:prefLabel in the data: the catalogue needs "
            f"it (data/organisations/{PUBLISHER_KEY}.yaml)")
    name = next((n for n in names if isinstance(n, ox.Literal) and n.language == "nl"), names[0])
    assert isinstance(name, ox.Literal)
    out.add(publisher, FOAF.name, name)
    out.add(contact, VCARD.fn, name)
    out.add(contact, RDFS.label, name)
    homepages = [row["homepage"] for row in rows if isinstance(row.get("homepage"), ox.NamedNode)]
    if homepages and isinstance(homepages[0], ox.NamedNode):
        out.add(contact, VCARD.hasURL, homepages[0])
        out.add(contact, FOAF.page, homepages[0])


def _places(queries: DatasetQueries) -> tuple[list[str], list[str]]:
    """(the region and its member municipalities, their data.vlaanderen.be IRIs), sorted."""
    regions: list[str] = []
    municipalities: set[str] = set()
    flemish: set[str] = set()
    for row in queries.select("spatial"):
        region, municipality, same = row.get("region"), row.get("municipality"), row.get("flemish")
        if isinstance(region, ox.NamedNode) and region.value not in regions:
            regions.append(region.value)
        if isinstance(municipality, ox.NamedNode):
            municipalities.add(municipality.value)
        if isinstance(same, ox.NamedNode):
            flemish.add(same.value)
    return regions + sorted(municipalities), sorted(flemish)


def _vocabulary_titles(queries: DatasetQueries, iris: Iris) -> list[Label]:
    rows = queries.select("vocabulary-title", ontology=ox.NamedNode(iris.vocab_document))
    titles = [(t.value, t.language or "nl") for row in rows
              if isinstance(t := row.get("title"), ox.Literal)]
    return titles or [VOCABULARY_TITLE]


# --- reading it back ---------------------------------------------------------------------------

#: Datatypes the store cannot keep: pyoxigraph stores every integer type derived from
#: xsd:integer (xsd:nonNegativeInteger, ...) as xsd:integer, but DCAT-AP 3.0.1 requires
#: dcat:byteSize to be an xsd:nonNegativeInteger. Documents read from the store get it back.
PUBLISHED_DATATYPES: dict[str, str] = {str(DCAT.byteSize): str(XSD.nonNegativeInteger)}


def published_datatypes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """``triples`` with the literals of :data:`PUBLISHED_DATATYPES` retyped as published."""
    out = []
    for triple in triples:
        datatype = PUBLISHED_DATATYPES.get(triple.predicate.value)
        obj = triple.object
        if datatype is not None and isinstance(obj, ox.Literal):
            triple = ox.Triple(triple.subject, triple.predicate,
                               ox.Literal(obj.value, datatype=ox.NamedNode(datatype)))
        out.append(triple)
    return out


def catalog_document(store: QueryStore, iris: Iris) -> list[ox.Triple]:
    """The catalogue as ``/catalog`` serves it (``queries/metadata/catalog-document.rq``)."""
    result = store.query(
        query_text("catalog-document"), prefixes=prefixes_for(iris.base),
        substitutions=substitutions({"catalog": ox.NamedNode(iris.catalog),
                                     "metadata_graph": ox.NamedNode(iris.graph("metadata"))}))
    assert not isinstance(result, ox.QuerySolutions | ox.QueryBoolean)  # the store's or a list
    return published_datatypes(result)
