"""The one table of formats, media types and file extensions.

Entity documents, the SPARQL endpoint, dumps, the catalogue and the event stream all read
these tables; nothing else names a media type.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat


@dataclass(frozen=True)
class Format:
    """One serialisation: its short name, media type, file extension and engine formats."""

    name: str
    media_type: str
    extension: str
    label: str
    rdf_format: RdfFormat | None = None
    results_format: QueryResultsFormat | None = None
    rdflib_name: str | None = None
    w3c_iri: str | None = None  # http://www.w3.org/ns/formats/...
    iana_iri: str | None = None  # for dcat:mediaType
    file_type_iri: str | None = None  # the EU file-type of a dump (dct:format in the catalogue)

    @property
    def charset_media_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("json", "+xml", "n-triples", "n-quads", "trig")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


_W3C = "http://www.w3.org/ns/formats/"
#: Namespace of the IANA media types (dcat:mediaType, dct:format).
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
_IANA = IANA_MEDIA_TYPES
_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"

HTML = Format("html", "text/html", "html", "HTML")
TURTLE = Format("turtle", "text/turtle", "ttl", "Turtle", RdfFormat.TURTLE, None, "turtle",
                w3c_iri=_W3C + "Turtle", iana_iri=_IANA + "text/turtle",
                file_type_iri=_FILE_TYPE + "RDF_TURTLE")
JSON_LD = Format("jsonld", "application/ld+json", "jsonld", "JSON-LD", RdfFormat.JSON_LD, None,
                 "json-ld", w3c_iri=_W3C + "JSON-LD", iana_iri=_IANA + "application/ld+json",
                 file_type_iri=_FILE_TYPE + "JSON_LD")
N_TRIPLES = Format("ntriples", "application/n-triples", "nt", "N-Triples", RdfFormat.N_TRIPLES,
                   None, "nt", w3c_iri=_W3C + "N-Triples",
                   iana_iri=_IANA + "application/n-triples",
                   file_type_iri=_FILE_TYPE + "RDF_N_TRIPLES")
RDF_XML = Format("rdfxml", "application/rdf+xml", "rdf", "RDF/XML", RdfFormat.RDF_XML, None,
                 "xml", w3c_iri=_W3C + "RDF_XML", iana_iri=_IANA + "application/rdf+xml",
                 file_type_iri=_FILE_TYPE + "RDF_XML")
N_QUADS = Format("nquads", "application/n-quads", "nq", "N-Quads", RdfFormat.N_QUADS, None,
                 "nquads", w3c_iri=_W3C + "N-Quads", iana_iri=_IANA + "application/n-quads",
                 file_type_iri=_FILE_TYPE + "RDF_N_QUADS")
TRIG = Format("trig", "application/trig", "trig", "TriG", RdfFormat.TRIG, None, "trig",
              w3c_iri=_W3C + "TriG", iana_iri=_IANA + "application/trig",
              file_type_iri=_FILE_TYPE + "RDF_TRIG")

RESULTS_JSON = Format("json", "application/sparql-results+json", "srj", "SPARQL JSON", None,
                      QueryResultsFormat.JSON, w3c_iri=_W3C + "SPARQL_Results_JSON")
RESULTS_XML = Format("xml", "application/sparql-results+xml", "srx", "SPARQL XML", None,
                     QueryResultsFormat.XML, w3c_iri=_W3C + "SPARQL_Results_XML")
RESULTS_CSV = Format("csv", "text/csv", "csv", "CSV", None, QueryResultsFormat.CSV,
                     w3c_iri=_W3C + "SPARQL_Results_CSV")
RESULTS_TSV = Format("tsv", "text/tab-separated-values", "tsv", "TSV", None,
                     QueryResultsFormat.TSV, w3c_iri=_W3C + "SPARQL_Results_TSV")

#: Plain JSON (not a SPARQL results or RDF format, so in no table below): the rows of a named
#: query's answer (web/blueprints/api.py, ``format=rows``) and search results and suggestions
#: (``/zoeken.json``). ``application/json`` asked of the SPARQL endpoint means SPARQL JSON.
JSON = Format("rows", "application/json", "json", "JSON")

#: Media types of request bodies and of plain text (not formats of answers, so no Format):
#: the SPARQL 1.1 Protocol's query and update bodies, HTML forms, and text errors.
SPARQL_QUERY_MEDIA_TYPE = "application/sparql-query"
SPARQL_UPDATE_MEDIA_TYPE = "application/sparql-update"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
TEXT_MEDIA_TYPE = "text/plain"

#: The compression of the ``.gz`` dumps (dcat:compressFormat in the catalogue). Not an RDF
#: format: in no table below.
GZIP = Format("gzip", "application/gzip", "gz", "gzip", iana_iri=_IANA + "application/gzip")

#: Formats of an entity document, in order of preference when the client does not care.
DOCUMENT_FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
#: Formats of graph results (CONSTRUCT, DESCRIBE) and of RDF responses in general.
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML, N_QUADS, TRIG)
#: Formats of SELECT / ASK results.
RESULT_FORMATS: tuple[Format, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
#: Formats of a named query's table answer (the query API): plain JSON and the SPARQL ones.
API_TABLE_FORMATS: tuple[Format, ...] = (JSON, *RESULT_FORMATS)
#: Extra media types clients send that mean one of the above.
ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/ntriples": "application/n-triples",
    "text/plain": "application/n-triples",
    "application/xhtml+xml": "text/html",
}

ALL_FORMATS: tuple[Format, ...] = (HTML, *GRAPH_FORMATS, *RESULT_FORMATS)
BY_EXTENSION: dict[str, Format] = {f.extension: f for f in (HTML, *GRAPH_FORMATS)}
BY_NAME: dict[str, Format] = {f.name: f for f in ALL_FORMATS}
BY_MEDIA_TYPE: dict[str, Format] = {f.media_type: f for f in ALL_FORMATS}


def by_media_type(media_type: str) -> Format | None:
    """The format for a media type (aliases and parameters allowed), or None."""
    bare = media_type.split(";", 1)[0].strip().lower()
    return BY_MEDIA_TYPE.get(ALIASES.get(bare, bare))
