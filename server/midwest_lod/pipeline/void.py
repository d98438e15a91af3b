"""The VoID description of a version (served at ``/.well-known/void``).

The ``void:Dataset`` is the ``dcat:Dataset`` of the catalogue (one IRI). Its statistics are
computed at build time over the dataset as the dumps contain it: the assertion graphs and the
provenance graph, a triple in two graphs counted once; the vocabulary graph and the metadata
graph are not counted (``queries/metadata/README.md``). The build counts them in one pass
over the version's ``canonical.nt`` (:mod:`.statistics`); the SPARQL files
``queries/metadata/void-*.rq`` define them and a test checks both agree. ``void:entities`` is
the number of distinct IRIs in subject position that have an ``rdf:type``. Partitions have
IRIs (``{dataset}/void/class/<hash>``, ``{dataset}/void/property/<hash>``, the hash of the
class or property IRI), so the description is the same for the same data.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from midwest_lod import formats
from midwest_lod.config import Settings
from midwest_lod.iris import VOID_PATH, Iris
from midwest_lod.pipeline.metagraph import Template, Triples
from midwest_lod.pipeline.metaquery import query_text
from midwest_lod.pipeline.statistics import Statistics
from midwest_lod.publication import QueryStore
from midwest_lod.sparql import substitutions
from midwest_lod.vocab import DCT, FOAF, RDF, VOID, XSD, prefixes_for

#: Example resources, given when the data has them (IRI paths under the base).
EXAMPLES = ("/id/organisatie/mariasteen", "/id/gemeente/36015", "/id/regio/midwest",
            "/id/concept/Initiatieftype/maatwerkbedrijf")
#: The statistics of void-statistics.rq, in the order they are written.
STATISTICS = ("triples", "entities", "classes", "properties", "distinctSubjects",
              "distinctObjects")

DESCRIPTION_TITLE = (("VoID-beschrijving van de dataset sociale economie Midwest", "nl"),
                     ("VoID description of the Midwest social economy dataset", "en"))
DESCRIPTION_TEXT = (
    ("De statistieken tellen de verschillende triples van de unie van de uitspraakgrafen en de "
     "herkomstgraaf, precies wat de downloads bevatten; het vocabularium (/ns/sociale-economie) "
     "en deze beschrijving (graaf /id/graaf/metadata) tellen niet mee. void:entities telt de "
     "verschillende IRI's in subjectpositie met een rdf:type.", "nl"),
    ("The statistics count the distinct triples of the union of the assertion graphs and the "
     "provenance graph, exactly what the dumps contain; the vocabulary (/ns/sociale-economie) "
     "and this description (graph /id/graaf/metadata) are not counted. void:entities counts the "
     "distinct IRIs in subject position that have an rdf:type.", "en"),
)


def void_quads(settings: Settings, manifest: dict[str, Any], store: ox.Store,
               stats: Statistics) -> list[ox.Quad]:
    """The VoID description of the version described by ``manifest``, in the metadata graph,
    with the statistics read from its ``canonical.nt`` (:func:`.statistics.read_statistics`)."""
    iris = settings.iris
    out = Triples(str(iris.graph("metadata")))
    dataset = str(iris.dataset)
    description = str(iris.url(VOID_PATH))
    built_at = str(manifest["built_at"])

    out.add(description, RDF.type, VOID.DatasetDescription)
    out.texts(description, DCT.title, DESCRIPTION_TITLE)
    out.texts(description, DCT.description, DESCRIPTION_TEXT)
    out.add(description, FOAF.primaryTopic, dataset)
    out.typed(description, DCT.modified, built_at, XSD.dateTime)

    out.add(dataset, RDF.type, VOID.Dataset)
    catalog = Template("catalog", iris.base)  # the dataset's title and description
    for predicate in (str(DCT.title), str(DCT.description)):
        for text in catalog.objects(dataset, predicate):
            out.add(dataset, predicate, text)
    out.add(dataset, DCT.license, settings.license_iri)
    out.typed(dataset, DCT.modified, built_at, XSD.dateTime)
    out.add(dataset, VOID.uriSpace, ox.Literal(f"{iris.base}/id/"))
    out.add(dataset, VOID.sparqlEndpoint, iris.url("/sparql"))
    for dump in manifest["dumps"]:
        out.add(dataset, VOID.dataDump, iris.url(f"/dumps/{dump['file']}"))
        fmt = formats.by_media_type(str(dump["media_type"]))
        if fmt is not None and fmt.w3c_iri:
            out.add(dataset, VOID.feature, fmt.w3c_iri)

    totals = stats.totals()
    for name in STATISTICS:
        out.typed(dataset, VOID[name], totals[name], XSD.integer)

    vocabularies: set[str] = set()
    for cls, entities in sorted(stats.class_entities.items()):
        partition = str(iris.void_partition("class", cls))
        out.add(dataset, VOID.classPartition, partition)
        out.add(partition, VOID["class"], cls)
        out.typed(partition, VOID.entities, entities, XSD.integer)
        vocabularies.add(namespace(cls))
    for prop, triples in sorted(stats.property_triples.items()):
        partition = str(iris.void_partition("property", prop))
        out.add(dataset, VOID.propertyPartition, partition)
        out.add(partition, VOID.property, prop)
        out.typed(partition, VOID.triples, triples, XSD.integer)
        vocabularies.add(namespace(prop))
    for vocabulary in sorted(vocabularies):
        out.add(dataset, VOID.vocabulary, vocabulary)

    for path in EXAMPLES:
        example = ox.NamedNode(iris.url(path))
        if any(True for _ in store.quads_for_pattern(example, None, None)):
            out.add(dataset, VOID.exampleResource, example.value)
    return out.quads()


def namespace(iri: str) -> str:
    """The namespace of a term: up to and including the last ``#``, else the last ``/``."""
    cut = iri.rfind("#")
    if cut < 0:
        cut = iri.rfind("/")
    return iri[: cut + 1]


def void_document(store: QueryStore, iris: Iris) -> list[ox.Triple]:
    """The VoID description as ``/.well-known/void`` serves it (``void-document.rq``)."""
    result = store.query(
        query_text("void-document"), prefixes=prefixes_for(iris.base),
        substitutions=substitutions({"description": ox.NamedNode(iris.url(VOID_PATH)),
                                     "metadata_graph": ox.NamedNode(iris.graph("metadata"))}))
    assert not isinstance(result, ox.QuerySolutions | ox.QueryBoolean)  # the store's or a list
    return list(result)
