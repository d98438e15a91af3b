"""The DCAT-AP catalogue of a version: catalogue, dataset, distributions, data services, record.

It conforms to DCAT-AP 3.0.1 and to DCAT-AP Vlaanderen 3 (erkende standaard 2026-02-12); the
tests in ``tests/catalog/`` run both sets of official shapes over it (see the NOTE.md there for
which files and for the repairs the Flemish file needs). Choices a harvester may ask about:

* **Publisher**: the organisation ``/id/organisatie/midwest`` of the data (DVV Midwest, an
  intermunicipal association of 16 municipalities), typed ``foaf:Agent`` (DCAT-AP) and
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
* **No dct:temporal**: the dataset is not a time series but the present state of a register;
  its dated facts (founding years 1963-2017, figures 2018-2023, laws, the 2025 mergers) carry
  their own dates, and one period spanning them would claim an observation period there is not.
* **dct:issued** is the first publication (kept in ``build.json`` as ``issued`` and carried over
  from version to version), **dct:modified** the time of this build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from midwest_lod import formats
from midwest_lod.config import MODELLICENTIE, Settings
from midwest_lod.errors import BuildError
from midwest_lod.formats import Format
from midwest_lod.iris import LDES_PATH, Iris
from midwest_lod.pipeline.metaquery import DatasetQueries, query_text
from midwest_lod.publication import DUMP_STEM, QueryStore
from midwest_lod.vocab import DCAT, DCT, FOAF, RDF, RDFS, SKOS, XSD, prefixes_for

VCARD = "http://www.w3.org/2006/vcard/ns#"
SPDX = "http://spdx.org/rdf/terms#"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"
EU = "http://publications.europa.eu/resource/authority/"
BELGIF_THEME = "http://vocab.belgif.be/auth/datatheme"

#: The profile a catalogue record declares (GeoNetwork/metadata.vlaanderen.be reads it).
DCAT_AP_VL = "https://data.vlaanderen.be/doc/applicatieprofiel/DCAT-AP-VL/erkendestandaard/2026-02-12"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
LDES_SPECIFICATION = "https://w3id.org/ldes/specification"
#: Key of the publishing organisation in data/organisations/.
PUBLISHER_KEY = "midwest"

Label = tuple[str, str]  # (text, language)


@dataclass(frozen=True)
class Code:
    """A value of a controlled vocabulary: the classes the profiles expect, labels, scheme."""

    iri: str
    classes: tuple[str, ...]
    labels: tuple[Label, ...]
    scheme: str
    exact_match: str | None = None


# --- controlled vocabularies ---------------------------------------------------------------------
# Labels of the EU and ADMS values are copied for display (the IRIs are what counts); those of
# the Belgian themes are those of vocab.belgif.be (datatheme.nt), which maps them 1:1 to the EU
# themes with skos:exactMatch.

SCHEMES: dict[str, tuple[Label, ...]] = {
    EU + "data-theme": (("Data theme", "en"), ("Datathema", "nl")),
    BELGIF_THEME: (("Data.gov.be themes", "en"), ("Data.gov.be themes", "nl")),
    EU + "file-type": (("File type", "en"),),
    EU + "access-right": (("Access right", "en"),),
    EU + "language": (("Language", "en"),),
    EU + "frequency": (("Frequency", "en"),),
    EU + "country": (("Country", "en"),),
    ADMS_PUBLISHER_TYPE + "1.0": (("Publisher type", "en"),),
    ADMS_LICENCE_TYPE + "1.0": (("Licence type", "en"),),
}

_CONCEPT = str(SKOS.Concept)


def _theme(code: str, en: str, nl: str) -> tuple[Code, Code]:
    eu = Code(f"{EU}data-theme/{code}", (_CONCEPT,), ((en, "en"), (nl, "nl")), EU + "data-theme")
    be = Code(f"{BELGIF_THEME}/{code}", (_CONCEPT,), ((en, "en"), (nl, "nl")), BELGIF_THEME,
              exact_match=eu.iri)
    return eu, be


#: dcat:theme of the dataset and the services: population and society, economy and finance.
THEMES: tuple[Code, ...] = (
    *_theme("SOCI", "Population and society", "Bevolking en samenleving"),
    *_theme("ECON", "Economy and finance", "Economie en financiën"),
)

#: dct:format (EU file-type NAL) of the formats the dumps come in.
FILE_TYPES: dict[str, Code] = {
    fmt.name: Code(EU + "file-type/" + code, (str(DCT.MediaTypeOrExtent), _CONCEPT),
                   ((label, "en"),), EU + "file-type")
    for fmt, code, label in (
        (formats.TURTLE, "RDF_TURTLE", "RDF Turtle"),
        (formats.N_TRIPLES, "RDF_N_TRIPLES", "RDF N-Triples"),
        (formats.JSON_LD, "JSON_LD", "JSON-LD"),
        (formats.N_QUADS, "RDF_N_QUADS", "RDF N-Quads"),
        (formats.RDF_XML, "RDF_XML", "RDF/XML"),
        (formats.TRIG, "RDF_TRIG", "RDF TriG"),
    )
}

PUBLIC = Code(EU + "access-right/PUBLIC", (str(DCT.RightsStatement), _CONCEPT),
              (("public", "en"), ("publiek", "nl")), EU + "access-right")
IRREGULAR = Code(EU + "frequency/IRREG", (str(DCT.Frequency), _CONCEPT),
                 (("irregular", "en"), ("onregelmatig", "nl")), EU + "frequency")
BELGIUM = Code(EU + "country/BEL", (str(DCT.Location), _CONCEPT),
               (("Belgium", "en"), ("België", "nl")), EU + "country")
LOCAL_AUTHORITY = Code(ADMS_PUBLISHER_TYPE + "LocalAuthority", (_CONCEPT,),
                       (("Local Authority", "en"),), ADMS_PUBLISHER_TYPE + "1.0")

#: Language tags of the data → EU language NAL.
LANGUAGES: dict[str, Code] = {
    tag: Code(EU + "language/" + code, (str(DCT.LinguisticSystem), _CONCEPT),
              ((en, "en"), (nl, "nl")), EU + "language")
    for tag, code, en, nl in (
        ("nl", "NLD", "Dutch", "Nederlands"),
        ("en", "ENG", "English", "Engels"),
        ("fr", "FRA", "French", "Frans"),
        ("de", "DEU", "German", "Duits"),
    )
}


@dataclass(frozen=True)
class Licence:
    """A licence the catalogue knows: its titles and ADMS licence type."""

    titles: tuple[Label, ...]
    licence_type: str  # local name in the ADMS licence-type scheme


#: Licences of DCAT-AP VL (docs: standards §4.6) and CC BY 4.0. Any other ``license_iri`` is
#: published as a dct:LicenseDocument without title or type.
LICENCES: dict[str, Licence] = {
    MODELLICENTIE: Licence((("Modellicentie Gratis Hergebruik v1.0", "nl"),
                            ("Model licence for free reuse v1.0", "en")), "Attribution"),
    "https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0": Licence(
        (("Creative Commons Zero verklaring v1.0", "nl"),), "PublicDomain"),
    "https://data.vlaanderen.be/id/licentie/onvoorwaardelijk-hergebruik/v1.0": Licence(
        (("Onvoorwaardelijk hergebruik v1.0", "nl"),), "PublicDomain"),
    "https://data.vlaanderen.be/id/licentie/modellicentie-hergebruik-tegen-vergoeding/v1.0":
        Licence((("Modellicentie hergebruik tegen vergoeding v1.0", "nl"),), "Attribution"),
    "https://creativecommons.org/licenses/by/4.0/": Licence(
        (("Creative Commons Attribution 4.0 International", "en"),), "Attribution"),
}

LICENCE_TYPE_LABELS = {"Attribution": "Attribution", "PublicDomain": "Public domain"}


# --- texts ---------------------------------------------------------------------------------------

CATALOG_TITLE = (("Catalogus Linked Open Data sociale economie Midwest", "nl"),
                 ("Midwest social economy Linked Open Data catalogue", "en"))
CATALOG_DESCRIPTION = (
    ("De datasets en dataservices van de Linked Open Data over de sociale economie in de regio "
     "Midwest (Midden-West-Vlaanderen): de dataset, haar downloads, het SPARQL-eindpunt en de "
     "eventstroom.", "nl"),
    ("The datasets and data services of the Linked Open Data on the social economy in the "
     "Midwest region (Mid-West Flanders, Belgium): the dataset, its downloads, the SPARQL "
     "endpoint and the event stream.", "en"),
)
DATASET_TITLE = (("Sociale economie in Midwest", "nl"),
                 ("Social economy in Midwest (Mid-West Flanders)", "en"))
DATASET_DESCRIPTION = (
    ("De sociale economie in de regio Midwest (Midden-West-Vlaanderen), zoals Midwest ze "
     "beschrijft in het kader van haar regierol sociale economie: de VOSEC-definitie (1997) en "
     "haar zes basisprincipes, de drie soorten initiatieven (maatwerkbedrijven, lokale "
     "diensteneconomie, arbeidszorg), de tien spelers met hun vestigingen, diensten, thema's, "
     "doelgroepen en cijfers, de gemeenten van de regio en hun fusies van 2025, de regierol en "
     "haar taken, de regelgeving en de rapporten. Elke uitspraak staat in een eigen graaf met "
     "haar bronnen en vermeldt of ze letterlijk in een bron staat of afgeleid is.", "nl"),
    ("The social economy in the Midwest region (Mid-West Flanders, Belgium) as Midwest describes "
     "it in its directing role (regierol) for the social economy: the VOSEC definition (1997) "
     "and its six basic principles, the three kinds of initiatives (maatwerkbedrijven, local "
     "service economy, arbeidszorg), the ten players with their sites, services, themes, target "
     "groups and figures, the municipalities of the region and their 2025 mergers, the "
     "directing role and its tasks, legislation and reports. Every statement sits in a named "
     "graph with its sources and says whether a source states it or it is inferred.", "en"),
)
KEYWORDS = (("sociale economie", "nl"), ("maatwerkbedrijf", "nl"),
            ("lokale diensteneconomie", "nl"), ("arbeidszorg", "nl"), ("regierol", "nl"),
            ("Midden-West-Vlaanderen", "nl"), ("Midwest", "nl"),
            ("social economy", "en"), ("sheltered employment", "en"),
            ("local service economy", "en"), ("Mid-West Flanders", "en"), ("Midwest", "en"))

#: Dump file suffix → (Format, compressed, titles, descriptions).
DUMP_TEXTS: dict[str, tuple[Label, ...]] = {
    "ttl": (("Alle gegevens in één graaf, Turtle", "nl"), ("All data in one graph, Turtle", "en")),
    "nt.gz": (("Alle gegevens in één graaf, N-Triples (gzip)", "nl"),
              ("All data in one graph, N-Triples (gzip)", "en")),
    "jsonld": (("Alle gegevens in één graaf, JSON-LD", "nl"),
               ("All data in one graph, JSON-LD", "en")),
    "nq.gz": (("Alle gegevens met herkomst per uitspraak, N-Quads (gzip)", "nl"),
              ("All data with provenance per statement, N-Quads (gzip)", "en")),
}
UNION_DESCRIPTION = (
    ("De unie van alle grafen van de dataset (de uitspraken en hun herkomst) als één graaf.",
     "nl"),
    ("The union of all graphs of the dataset (the statements and their provenance) as one graph.",
     "en"),
)
QUADS_DESCRIPTION = (
    ("Alle grafen van de dataset met hun naam: elke uitspraak in haar eigen graaf, beschreven in "
     "de herkomstgraaf (bronnen, basis, reden).", "nl"),
    ("All graphs of the dataset with their names: every statement in its own graph, described in "
     "the provenance graph (sources, basis, reason).", "en"),
)


@dataclass(frozen=True)
class Service:
    key: str
    path: str
    description_path: str
    conforms_to: str
    standard_title: Label
    titles: tuple[Label, ...]
    descriptions: tuple[Label, ...]
    keywords: tuple[Label, ...]


SERVICES = (
    Service("sparql", "/sparql", "/sparql", SPARQL_PROTOCOL, ("SPARQL 1.1 Protocol", "en"),
            (("SPARQL-eindpunt sociale economie Midwest", "nl"),
             ("Midwest social economy SPARQL endpoint", "en")),
            (("SPARQL 1.1-eindpunt over alle grafen van de dataset (de standaardgraaf is hun "
              "unie). Een GET zonder query geeft de servicebeschrijving.", "nl"),
             ("SPARQL 1.1 endpoint over all graphs of the dataset (the default graph is their "
              "union). A GET without a query returns the service description.", "en")),
            (("SPARQL", "nl"), ("SPARQL", "en"), ("sociale economie", "nl"),
             ("social economy", "en"))),
    Service("ldes", LDES_PATH, LDES_PATH, LDES_SPECIFICATION, ("Linked Data Event Streams", "en"),
            (("Eventstroom (LDES) sociale economie Midwest", "nl"),
             ("Midwest social economy event stream (LDES)", "en")),
            (("De wijzigingen van de dataset als Linked Data Event Stream: elke versie van een "
              "entiteit als lid van de stroom.", "nl"),
             ("The changes of the dataset as a Linked Data Event Stream: every version of an "
              "entity as a member of the stream.", "en")),
            (("LDES", "nl"), ("LDES", "en"), ("sociale economie", "nl"),
             ("social economy", "en"))),
)


# --- building the triples ------------------------------------------------------------------------

class Triples:
    """Quads of one graph, without duplicates, in the order they were added."""

    def __init__(self, graph: str) -> None:
        self.graph = ox.NamedNode(graph)
        self._quads: dict[ox.Quad, None] = {}

    def add(self, subject: str, predicate: str, obj: str | ox.Literal) -> None:
        value = obj if isinstance(obj, ox.Literal) else ox.NamedNode(str(obj))
        quad = ox.Quad(ox.NamedNode(str(subject)), ox.NamedNode(str(predicate)), value,
                       self.graph)
        self._quads.setdefault(quad, None)

    def texts(self, subject: str, predicate: str, labels: Iterable[Label]) -> None:
        for text, lang in labels:
            self.add(subject, predicate, ox.Literal(text, language=lang))

    def titled(self, subject: str, titles: Iterable[Label]) -> None:
        """``dct:title`` and, for the entity pages (which show labels), ``rdfs:label``."""
        self.texts(subject, DCT.title, titles)
        self.texts(subject, RDFS.label, titles)

    def typed(self, subject: str, predicate: str, value: object, datatype: str) -> None:
        self.add(subject, predicate, ox.Literal(str(value), datatype=ox.NamedNode(datatype)))

    def quads(self) -> list[ox.Quad]:
        return list(self._quads)


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
    publisher = str(iris.thing("organisatie", PUBLISHER_KEY))
    contact = str(iris.contact_point)
    home = str(iris.url("/"))
    codes: list[Code] = []

    def dated(subject: str) -> None:
        out.typed(subject, DCT.issued, issued, XSD.dateTime)
        out.typed(subject, DCT.modified, built_at, XSD.dateTime)

    def identified(subject: str) -> None:
        out.add(subject, DCT.identifier, ox.Literal(subject))

    # The catalogue.
    out.add(catalog, RDF.type, DCAT.Catalog)
    identified(catalog)
    out.titled(catalog, CATALOG_TITLE)
    out.texts(catalog, DCT.description, CATALOG_DESCRIPTION)
    out.add(catalog, DCT.publisher, publisher)
    out.add(catalog, DCAT.contactPoint, contact)
    out.add(catalog, DCT.license, licence)
    out.add(catalog, FOAF.homepage, home)
    out.add(home, RDF.type, FOAF.Document)
    dated(catalog)
    for code in (LANGUAGES["nl"], LANGUAGES["en"]):
        out.add(catalog, DCT.language, code.iri)
        codes.append(code)
    for scheme in (EU + "data-theme", BELGIF_THEME):
        out.add(catalog, DCAT.themeTaxonomy, scheme)
    out.add(catalog, DCAT.dataset, dataset)
    out.add(catalog, DCAT.record, record)

    # The catalogue record of the dataset.
    out.add(record, RDF.type, DCAT.CatalogRecord)
    identified(record)
    out.add(record, FOAF.primaryTopic, dataset)
    dated(record)
    out.add(record, DCT.conformsTo, DCAT_AP_VL)
    _standard(out, DCAT_AP_VL, (("DCAT-AP Vlaanderen 3.0 (erkende standaard 2026-02-12)", "nl"),))

    # The dataset.
    out.add(dataset, RDF.type, DCAT.Dataset)
    out.add(dataset, RDF.type, DCAT.Resource)  # DCAT 3: Dataset ⊑ Resource (no inference)
    identified(dataset)
    out.titled(dataset, DATASET_TITLE)
    out.texts(dataset, DCT.description, DATASET_DESCRIPTION)
    out.texts(dataset, DCAT.keyword, KEYWORDS)
    out.add(dataset, DCT.publisher, publisher)
    out.add(dataset, DCAT.contactPoint, contact)
    out.add(dataset, DCT.license, licence)
    out.add(dataset, DCT.accessRights, PUBLIC.iri)
    out.add(dataset, DCT.accrualPeriodicity, IRREGULAR.iri)
    out.add(dataset, DCAT.landingPage, home)
    out.add(dataset, DCAT.version, ox.Literal(str(manifest["version"])))
    dated(dataset)
    codes += [PUBLIC, IRREGULAR]
    for code in THEMES:
        out.add(dataset, DCAT.theme, code.iri)
        codes.append(code)
    for code in _languages(languages):
        out.add(dataset, DCT.language, code.iri)
        codes.append(code)
    places, flemish_places = _places(queries)
    for place in places:
        out.add(dataset, DCT.spatial, place)
    for place in flemish_places:  # typed here: the data does not describe them
        out.add(dataset, DCT.spatial, place)
        out.add(place, RDF.type, DCT.Location)
    out.add(dataset, DCT.spatial, BELGIUM.iri)
    out.add(catalog, DCT.spatial, places[0] if places else BELGIUM.iri)
    out.add(catalog, DCT.spatial, BELGIUM.iri)
    codes.append(BELGIUM)
    vocabulary = str(iris.vocab_document)
    out.add(dataset, DCT.conformsTo, vocabulary)
    _standard(out, vocabulary, _vocabulary_titles(queries, iris))

    # The distributions: one per dump.
    for dump in manifest["dumps"]:
        distribution = _distribution(out, iris, dump, licence)
        out.add(dataset, DCAT.distribution, distribution)
        codes.append(FILE_TYPES[_format(dump).name])

    # The data services.
    for service in SERVICES:
        node = str(iris.data_service(service.key))
        out.add(catalog, DCAT.service, node)
        out.add(node, RDF.type, DCAT.DataService)
        out.add(node, RDF.type, DCAT.Resource)
        identified(node)
        out.titled(node, service.titles)
        out.texts(node, DCT.description, service.descriptions)
        out.texts(node, DCAT.keyword, service.keywords)
        out.add(node, DCAT.endpointURL, iris.url(service.path))
        out.add(node, DCAT.endpointDescription, iris.url(service.description_path))
        out.add(node, DCT.conformsTo, service.conforms_to)
        _standard(out, service.conforms_to, (service.standard_title,))
        out.add(node, DCAT.servesDataset, dataset)
        out.add(node, DCT.publisher, publisher)
        out.add(node, DCAT.contactPoint, contact)
        out.add(node, DCT.accessRights, PUBLIC.iri)
        out.add(node, DCT.license, licence)
        for code in THEMES:
            out.add(node, DCAT.theme, code.iri)

    # Publisher, contact point, licence.
    name, homepage = _publisher(queries, publisher)
    for agent_class in (FOAF.Agent, DCT.Agent):
        out.add(publisher, RDF.type, agent_class)
    out.add(publisher, FOAF.name, name)
    out.add(publisher, DCT.type, LOCAL_AUTHORITY.iri)
    codes.append(LOCAL_AUTHORITY)
    for kind in ("Kind", "Organization"):
        out.add(contact, RDF.type, VCARD + kind)
    out.add(contact, VCARD + "fn", name)
    out.add(contact, RDFS.label, name)
    if homepage is not None:
        out.add(contact, VCARD + "hasURL", homepage)
        out.add(contact, FOAF.page, homepage)
    codes += _licence(out, licence)

    # The code-list values and their schemes.
    for code in codes:
        for cls in code.classes:
            out.add(code.iri, RDF.type, cls)
        out.texts(code.iri, SKOS.prefLabel, code.labels)
        out.add(code.iri, SKOS.inScheme, code.scheme)
        if code.exact_match:
            out.add(code.iri, SKOS.exactMatch, code.exact_match)
    for scheme in sorted({code.scheme for code in codes} | {EU + "data-theme", BELGIF_THEME}):
        out.add(scheme, RDF.type, SKOS.ConceptScheme)
        out.texts(scheme, DCT.title, SCHEMES[scheme])
    return out.quads()


def _standard(out: Triples, iri: str, titles: Iterable[Label]) -> None:
    out.add(iri, RDF.type, DCT.Standard)
    out.texts(iri, DCT.title, titles)


def _format(dump: dict[str, Any]) -> Format:
    fmt = formats.by_media_type(str(dump["media_type"]))
    if fmt is None or fmt.name not in FILE_TYPES:
        raise BuildError(f"dump {dump['file']}: no file type for media type {dump['media_type']}")
    return fmt


def _distribution(out: Triples, iris: Iris, dump: dict[str, Any], licence: str) -> str:
    """One dump as a dcat:Distribution (with its checksum); returns its IRI."""
    file = str(dump["file"])
    fmt = _format(dump)
    node, checksum = str(iris.distribution(file)), str(iris.checksum(file))
    url = str(iris.url(f"/dumps/{file}"))
    suffix = file[len(DUMP_STEM) + 1:] if file.startswith(DUMP_STEM + ".") else fmt.extension
    out.add(node, RDF.type, DCAT.Distribution)
    out.add(node, DCT.identifier, ox.Literal(node))
    out.titled(node, DUMP_TEXTS.get(suffix, ((f"{fmt.label} ({file})", "en"),)))
    out.texts(node, DCT.description,
              QUADS_DESCRIPTION if dump.get("graphs") else UNION_DESCRIPTION)
    out.add(node, DCAT.accessURL, url)
    out.add(node, DCAT.downloadURL, url)
    assert fmt.iana_iri is not None
    out.add(node, DCAT.mediaType, fmt.iana_iri)
    out.add(fmt.iana_iri, RDF.type, DCT.MediaType)
    if dump.get("encoding") == "gzip":
        assert formats.GZIP.iana_iri is not None
        out.add(node, DCAT.compressFormat, formats.GZIP.iana_iri)
        out.add(formats.GZIP.iana_iri, RDF.type, DCT.MediaType)
    out.add(node, DCT.format, FILE_TYPES[fmt.name].iri)
    out.typed(node, DCAT.byteSize, int(dump["bytes"]), XSD.nonNegativeInteger)
    out.add(node, SPDX + "checksum", checksum)
    out.add(checksum, RDF.type, SPDX + "Checksum")
    out.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
    out.add(SPDX + "checksumAlgorithm_sha256", RDF.type, SPDX + "ChecksumAlgorithm")
    out.typed(checksum, SPDX + "checksumValue", str(dump["sha256"]), XSD.hexBinary)
    out.add(node, DCT.license, licence)
    return node


def _licence(out: Triples, licence: str) -> list[Code]:
    out.add(licence, RDF.type, DCT.LicenseDocument)
    known = LICENCES.get(licence)
    if known is None:
        return []
    out.titled(licence, known.titles)
    code = Code(ADMS_LICENCE_TYPE + known.licence_type, (_CONCEPT,),
                ((LICENCE_TYPE_LABELS[known.licence_type], "en"),), ADMS_LICENCE_TYPE + "1.0")
    out.add(licence, DCT.type, code.iri)
    return [code]


def _publisher(queries: DatasetQueries, publisher: str) -> tuple[ox.Literal, str | None]:
    rows = queries.select("publisher", publisher=ox.NamedNode(publisher))
    names = [row["name"] for row in rows if isinstance(row.get("name"), ox.Literal)]
    if not names:
        raise BuildError(
            f"the publisher {publisher} has no skos:prefLabel in the data: the catalogue needs "
            f"it (data/organisations/{PUBLISHER_KEY}.yaml)")
    name = next((n for n in names if isinstance(n, ox.Literal) and n.language == "nl"), names[0])
    assert isinstance(name, ox.Literal)
    homepages = [row["homepage"] for row in rows if isinstance(row.get("homepage"), ox.NamedNode)]
    homepage = homepages[0].value if homepages and isinstance(homepages[0], ox.NamedNode) else None
    return name, homepage


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


def _languages(tags: Iterable[str]) -> list[Code]:
    found = [LANGUAGES[tag] for tag in sorted(set(tags)) if tag in LANGUAGES]
    return found or [LANGUAGES["nl"]]


def _vocabulary_titles(queries: DatasetQueries, iris: Iris) -> list[Label]:
    rows = queries.select("vocabulary-title", ontology=ox.NamedNode(iris.vocab_document))
    titles = [(t.value, t.language or "nl") for row in rows
              if isinstance(t := row.get("title"), ox.Literal)]
    return titles or [("Vocabularium sociale economie Midwest", "nl")]


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
        substitutions={ox.Variable("catalog"): ox.NamedNode(iris.catalog),
                       ox.Variable("metadata_graph"): ox.NamedNode(iris.graph("metadata"))})
    assert not isinstance(result, ox.QuerySolutions | ox.QueryBoolean)  # the store's or a list
    return published_datatypes(result)
