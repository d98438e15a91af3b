"""What the catalogue says: the dumps as they are, the licence of the setting, the publisher,
the contact point, the dates, the coverage."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from midwest_lod.config import MODELLICENTIE, Settings
from midwest_lod.iris import Iris
from midwest_lod.pipeline import run_build
from midwest_lod.pipeline.catalog import catalog_document
from midwest_lod.publication import Version, current_version
from midwest_lod.vocab import DCAT, DCT, FOAF, SKOS
from tests.catalog.conftest import to_rdflib

SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
CC0 = "https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0"
#: The profile the catalogue record declares.
DCAT_AP_VL = ("https://data.vlaanderen.be/doc/applicatieprofiel/DCAT-AP-VL/erkendestandaard/"
              "2026-02-12")


def test_one_distribution_per_dump_with_its_real_size_and_checksum(
        catalog: Graph, version: Version, iris: Iris) -> None:
    dataset = URIRef(iris.dataset)
    distributions = set(catalog.objects(dataset, DCAT.distribution))
    files = sorted(p for p in (version.path / "dumps").iterdir() if p.is_file())
    # the four dumps and the provenance dump beside them (docs/decisions/0015)
    assert len(distributions) == len(files) == len(version.manifest["dumps"]) == 5
    for path in files:
        node = URIRef(iris.distribution(path.name))
        assert node in distributions
        url = URIRef(f"{iris.base}/dumps/{path.name}")
        assert catalog.value(node, DCAT.downloadURL) == url
        assert catalog.value(node, DCAT.accessURL) == url
        size = catalog.value(node, DCAT.byteSize)
        assert size == Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)
        assert size.datatype == XSD.nonNegativeInteger
        checksum = catalog.value(node, URIRef(SPDX + "checksum"))
        assert catalog.value(checksum, URIRef(SPDX + "algorithm")) == URIRef(
            SPDX + "checksumAlgorithm_sha256")
        value = catalog.value(checksum, URIRef(SPDX + "checksumValue"))
        assert value.datatype == XSD.hexBinary
        assert str(value) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_formats_and_media_types(catalog: Graph, iris: Iris) -> None:
    eu = "http://publications.europa.eu/resource/authority/file-type/"
    iana = "http://www.iana.org/assignments/media-types/"
    expected = {
        "midwest-sociale-economie.ttl": ("RDF_TURTLE", "text/turtle", None),
        "midwest-sociale-economie.jsonld": ("JSON_LD", "application/ld+json", None),
        "midwest-sociale-economie.nt.gz": ("RDF_N_TRIPLES", "application/n-triples", "gzip"),
        "midwest-sociale-economie.nq.gz": ("RDF_N_QUADS", "application/n-quads", "gzip"),
        "midwest-sociale-economie-herkomst.nt.gz": ("RDF_N_TRIPLES", "application/n-triples",
                                                    "gzip"),
    }
    for file, (code, media_type, compression) in expected.items():
        node = URIRef(iris.distribution(file))
        assert catalog.value(node, DCT.format) == URIRef(eu + code)
        assert catalog.value(node, DCAT.mediaType) == URIRef(iana + media_type)
        compress = catalog.value(node, DCAT.compressFormat)
        assert compress == (URIRef(iana + "application/gzip") if compression else None)


def test_licence_is_the_setting(catalog: Graph, iris: Iris) -> None:
    licence = URIRef(MODELLICENTIE)
    for node in (iris.catalog, iris.dataset, *(
            o for o in catalog.objects(URIRef(iris.dataset), DCAT.distribution)),
            iris.data_service("sparql"), iris.data_service("ldes"), iris.data_service("tpf")):
        assert set(catalog.objects(URIRef(node), DCT.license)) == {licence}, node
    assert (licence, RDF.type, DCT.LicenseDocument) in catalog
    assert catalog.value(licence, DCT.type) == URIRef(
        "http://purl.org/adms/licencetype/Attribution")


def test_a_changed_licence_setting_changes_the_catalogue(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_build(Settings.load({"output_dir": out, "license_iri": CC0}))
    assert result.ok
    iris = Iris(Settings.load({}).base_iri)
    store = ox.Store.read_only(str(current_version(out).store_path))
    catalog = to_rdflib(catalog_document(store, iris))
    licences = set(catalog.objects(None, DCT.license))
    assert licences == {URIRef(CC0)}
    assert catalog.value(URIRef(CC0), DCT.type) == URIRef(
        "http://purl.org/adms/licencetype/PublicDomain")
    assert (URIRef(MODELLICENTIE), None, None) not in catalog


def test_publisher_and_contact_point(catalog: Graph, iris: Iris) -> None:
    publisher = URIRef(iris.thing("organisatie", "midwest"))
    for node in (iris.catalog, iris.dataset, iris.data_service("sparql")):
        assert catalog.value(URIRef(node), DCT.publisher) == publisher
        assert catalog.value(URIRef(node), DCAT.contactPoint) == URIRef(iris.contact_point)
    assert {FOAF.Agent, DCT.Agent} <= set(catalog.objects(publisher, RDF.type))
    assert catalog.value(publisher, FOAF.name) == Literal("Midwest", lang="nl")
    assert catalog.value(publisher, DCT.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority")
    contact = URIRef(iris.contact_point)
    assert {URIRef(VCARD + "Kind"), URIRef(VCARD + "Organization")} <= set(
        catalog.objects(contact, RDF.type))
    assert catalog.value(contact, URIRef(VCARD + "hasURL")) == URIRef("https://www.midwest.be")
    # No e-mail address is known: none is published (and none invented).
    assert not list(catalog.objects(None, URIRef(VCARD + "hasEmail")))
    assert not [o for o in catalog.objects() if str(o).startswith("mailto:")]


def test_record_identifiers_and_access(catalog: Graph, iris: Iris) -> None:
    record = URIRef(iris.catalog_record)
    assert catalog.value(URIRef(iris.catalog), DCAT.record) == record
    assert catalog.value(record, FOAF.primaryTopic) == URIRef(iris.dataset)
    assert catalog.value(record, DCT.conformsTo) == URIRef(DCAT_AP_VL)
    assert catalog.value(record, DCT.modified).datatype == XSD.dateTime
    for node in catalog.subjects(RDF.type, None):
        if set(catalog.objects(node, RDF.type)) & {DCAT.Catalog, DCAT.Dataset, DCAT.Distribution,
                                                   DCAT.DataService, DCAT.CatalogRecord}:
            assert list(catalog.objects(node, DCT.identifier)) == [Literal(str(node))]
    public = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
    assert catalog.value(URIRef(iris.dataset), DCT.accessRights) == public
    assert URIRef(iris.vocab_document) in set(catalog.objects(URIRef(iris.dataset),
                                                              DCT.conformsTo))


def test_data_services(catalog: Graph, iris: Iris) -> None:
    for key, path, standard in (
            ("sparql", "/sparql", "https://www.w3.org/TR/sparql11-protocol/"),
            ("ldes", "/ldes", "https://w3id.org/ldes/specification"),
            ("tpf", "/tpf",
             "https://linkeddatafragments.org/specification/triple-pattern-fragments/")):
        node = URIRef(iris.data_service(key))
        assert node in set(catalog.objects(URIRef(iris.catalog), DCAT.service))
        assert catalog.value(node, DCAT.endpointURL) == URIRef(iris.base + path)
        assert catalog.value(node, DCAT.endpointDescription) == URIRef(iris.base + path)
        assert catalog.value(node, DCT.conformsTo) == URIRef(standard)
        assert catalog.value(node, DCAT.servesDataset) == URIRef(iris.dataset)


def test_themes_languages_and_spatial_coverage(catalog: Graph, store: ox.Store,
                                               iris: Iris) -> None:
    dataset = URIRef(iris.dataset)
    themes = {str(t) for t in catalog.objects(dataset, DCAT.theme)}
    assert {"http://publications.europa.eu/resource/authority/data-theme/SOCI",
            "http://publications.europa.eu/resource/authority/data-theme/ECON",
            "http://vocab.belgif.be/auth/datatheme/SOCI"} <= themes
    for theme in themes:
        assert catalog.value(URIRef(theme), SKOS.prefLabel) is not None
    languages = {str(x).rsplit("/", 1)[-1] for x in catalog.objects(dataset, DCT.language)}
    assert {"NLD", "ENG"} <= languages
    spatial = {str(x) for x in catalog.objects(dataset, DCT.spatial)}
    members = {str(row["m"].value) for row in store.query(
        "SELECT ?m WHERE { ?r <%s> ?m }" % (iris.vocab + "memberMunicipality"),
        use_default_graph_as_union=True)}
    assert len(members) >= 16
    assert members <= spatial
    assert f"{iris.base}/id/gemeente/36015" in spatial
    assert f"{iris.base}/id/regio/midwest" in spatial
    assert "http://publications.europa.eu/resource/authority/country/BEL" in spatial
    # the temporal coverage is deliberately left out (pipeline/catalog.py)
    assert not list(catalog.objects(dataset, DCT.temporal))


def test_issued_is_the_first_publication_and_modified_this_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = dt.datetime(2026, 1, 5, 10, 0, 0, tzinfo=dt.UTC)
    second = dt.datetime(2026, 2, 7, 11, 30, 0, tzinfo=dt.UTC)
    iris = Iris(Settings.load({}).base_iri)
    for when in (first, second):
        assert run_build(Settings.load({"output_dir": out}), now=when).ok
    version = current_version(out)
    assert version.manifest["issued"] == "2026-01-05T10:00:00Z"
    store = ox.Store.read_only(str(version.store_path))
    catalog = to_rdflib(catalog_document(store, iris))
    for node in (iris.catalog, iris.dataset, iris.catalog_record):
        assert catalog.value(URIRef(node), DCT.issued) == Literal(
            "2026-01-05T10:00:00Z", datatype=XSD.dateTime)
        assert catalog.value(URIRef(node), DCT.modified) == Literal(
            "2026-02-07T11:30:00Z", datatype=XSD.dateTime)
