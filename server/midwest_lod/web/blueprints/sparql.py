"""``/sparql``: the SPARQL 1.1 Protocol (query operation only).

* queries by GET ``query=``, POST form-encoded and POST ``application/sparql-query``;
  ``default-graph-uri`` / ``named-graph-uri`` honoured (without them the default graph is the
  union of all graphs, unless the query has its own FROM);
* results negotiated from Accept, or chosen with ``format=`` (for browsers): SELECT/ASK as
  SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle, JSON-LD, N-Triples, RDF/XML (and
  N-Quads, TriG); a browser (text/html) gets a page with the results as a table;
* read-only: ``update=`` and ``application/sparql-update`` get 403 and change nothing;
  ``SERVICE`` is refused before evaluation (the engine would make outbound requests);
* a query that runs past ``query_timeout`` is stopped (503); results past ``row_limit`` are
  cut and flagged with ``X-SPARQL-MaxRows: <limit>`` and ``X-SPARQL-Truncated: true``;
* GET without a query: the SPARQL Service Description (RDF) or, for a browser, the query page.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request
from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize
from werkzeug.wsgi import LimitedStream

from midwest_lod import formats
from midwest_lod.errors import (
    BadRequest,
    Forbidden,
    NotAcceptable,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from midwest_lod.formats import (
    GRAPH_FORMATS,
    HTML,
    JSON_LD,
    RDF_XML,
    RESULT_FORMATS,
    RESULTS_CSV,
    RESULTS_JSON,
    RESULTS_TSV,
    RESULTS_XML,
    TURTLE,
    Format,
)
from midwest_lod.sparql import MAX_NESTING, analyse
from midwest_lod.vocab import PREFIXES, SD
from midwest_lod.web import http, i18n
from midwest_lod.web.context import AppContext, ctx
from midwest_lod.web.query.service import Dataset, FormatChoice, Result

bp = Blueprint("sparql", __name__)

FORM_MEDIA_TYPE = formats.FORM_MEDIA_TYPE
QUERY_MEDIA_TYPE = formats.SPARQL_QUERY_MEDIA_TYPE
UPDATE_MEDIA_TYPE = formats.SPARQL_UPDATE_MEDIA_TYPE
READ_ONLY = ("This endpoint is read-only: SPARQL Update is not accepted, and nothing was "
             "changed. Download a dump to work on a copy.")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    context = ctx()
    query, dataset = _read_request(context)
    if query is None:
        if request.method == "POST":
            raise BadRequest("No query: send it as 'query' (form) or as the request body "
                             f"with Content-Type {QUERY_MEDIA_TYPE}.")
        return _service_description(context)
    info = analyse(query)
    if info.is_update:
        raise Forbidden(READ_ONLY)
    if info.nesting > MAX_NESTING:
        raise BadRequest(f"The query nests brackets {info.nesting} levels deep; at most "
                         f"{MAX_NESTING} are accepted.")
    if info.has_service:
        raise BadRequest(
            "SERVICE (federated query) is not supported: this endpoint makes no outbound "
            "requests. Query the other endpoint yourself, or load a dump of this dataset "
            "into a SPARQL engine of your own.")
    solutions, graph = _formats()
    version = context.version()
    # an answer that may be the HTML page is one per page language (web/i18n.py)
    page = HTML in (solutions, graph)
    language = f".{i18n.variant()}" if page else ""
    etag = f"{version.id}.{_name(solutions)}-{_name(graph)}{language}"
    cacheable = request.method == "GET"
    if cacheable and http.is_fresh(etag, version.last_modified):
        response = http.not_modified(etag, version.last_modified, vary="Accept")
        if page and (language_vary := i18n.vary()):
            response.vary.add(language_vary)
        return response
    choice = FormatChoice(RESULTS_JSON if solutions is HTML else solutions,
                          TURTLE if graph is HTML else graph)
    result = context.query_service.run(query, choice, dataset,
                                       has_dataset_clause=info.has_dataset_clause)
    html = (solutions is HTML and result.format in RESULT_FORMATS) or (
        graph is HTML and result.format in GRAPH_FORMATS)
    if html:
        response = Response(_results_page(context, query, result), mimetype=HTML.media_type)
        response.headers["Content-Security-Policy"] = http.EDITOR_CONTENT_SECURITY_POLICY
        http.result_headers(response, result, context.settings.row_limit)
    else:
        response = http.result_response(result, context.settings.row_limit)
    if cacheable and result.version != version.id:  # republished since `version` was read:
        version = context.version()  # the validators are those of the version that answered
        etag = f"{version.id}.{_name(solutions)}-{_name(graph)}{language}"
    if cacheable and result.version == version.id:
        http.set_validators(response, etag, version.last_modified)
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


def max_body_bytes(max_query_length: int) -> int:
    """The largest request body accepted: a query of ``max_query_length`` characters of up to
    4 bytes each (UTF-8), and room for the other parameters. The application sets it as
    Flask's MAX_CONTENT_LENGTH, so werkzeug stops reading a longer body, chunked ones too."""
    return 4 * max_query_length + 4096


def _read_request(context: AppContext) -> tuple[str | None, Dataset]:
    limit = context.settings.max_query_length
    if request.content_length is not None and request.content_length > max_body_bytes(limit):
        raise PayloadTooLarge(f"The request is too large; queries may have {limit} characters.")
    params = request.args
    if "update" in params:
        raise Forbidden(READ_ONLY)
    queries = params.getlist("query")
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == UPDATE_MEDIA_TYPE:
            raise Forbidden(READ_ONLY)
        if mimetype in (FORM_MEDIA_TYPE, "multipart/form-data"):
            form = request.form
            if "update" in form:
                raise Forbidden(READ_ONLY)
            queries += form.getlist("query")
            default_graphs += form.getlist("default-graph-uri")
            named_graphs += form.getlist("named-graph-uri")
        elif mimetype == QUERY_MEDIA_TYPE:
            queries.append(request.get_data(as_text=True))
        else:
            raise UnsupportedMediaType(
                f"Send a query as {FORM_MEDIA_TYPE} (query=...) or as {QUERY_MEDIA_TYPE}; "
                f"got {mimetype or 'no Content-Type'}.")
        stream = request.stream
        if (request.content_length is None and isinstance(stream, LimitedStream)
                and stream.is_exhausted):
            # werkzeug stops reading a body at MAX_CONTENT_LENGTH but hands the form parser
            # what it read so far: a cut body must not be read as a (different) query
            raise PayloadTooLarge(
                f"The request is too large; queries may have {limit} characters.")
    if len(queries) > 1:
        raise BadRequest("More than one query in the request; send exactly one.")
    query = queries[0] if queries else None
    if query is not None and len(query) > limit:
        raise PayloadTooLarge(f"The query has {len(query)} characters; the limit is {limit}.")
    for iri in (*default_graphs, *named_graphs):
        if not iri.startswith(("http://", "https://", "urn:")) or any(c in iri for c in "<> \""):
            raise BadRequest(f"{iri!r} is not a graph IRI.")
    return query, Dataset(tuple(default_graphs), tuple(named_graphs))


def _name(fmt: Format | None) -> str:
    return fmt.name if fmt else "none"


#: Words clients put in ``format=`` (SPARQLWrapper sends json, xml, csv, tsv, turtle, n3,
#: json-ld, rdf+xml) and the formats they mean for (SELECT/ASK, CONSTRUCT/DESCRIBE).
_FORMAT_WORDS: dict[str, tuple[Format | None, Format | None]] = {
    "json": (RESULTS_JSON, JSON_LD), "xml": (RESULTS_XML, RDF_XML),
    "csv": (RESULTS_CSV, None), "tsv": (RESULTS_TSV, None),
    "turtle": (None, TURTLE), "n3": (None, TURTLE), "json-ld": (None, JSON_LD),
    "rdf+xml": (None, RDF_XML), "rdf": (None, RDF_XML), "html": (HTML, HTML),
}


def _from_parameter(value: str) -> tuple[Format | None, Format | None] | None:
    word = value.strip().lower()
    if word in _FORMAT_WORDS:
        return _FORMAT_WORDS[word]
    fmt = http.format_parameter(word, (*RESULT_FORMATS, *GRAPH_FORMATS, HTML))
    if fmt is None:
        return None
    if fmt is HTML:
        return HTML, HTML
    return (fmt, None) if fmt in RESULT_FORMATS else (None, fmt)


def _formats() -> tuple[Format | None, Format | None]:
    """The format for solution results and for graph results (HTML: render a page).

    ``format=`` (for browsers; repeated values allowed, the first known one wins per kind of
    result) overrides Accept; what it leaves open is negotiated from Accept.
    """
    solutions: Format | None = None
    graph: Format | None = None
    requested = [v for v in request.values.getlist("format") if v.strip()]
    for value in requested:
        found = _from_parameter(value)
        if found is not None:
            solutions, graph = solutions or found[0], graph or found[1]
    if requested and solutions is None and graph is None:
        raise BadRequest(
            f"Unknown format {requested[0]!r}.",
            details=["Use one of: " + ", ".join(
                f.name for f in (*RESULT_FORMATS, *GRAPH_FORMATS, HTML))])
    if solutions is None:
        solutions = http.negotiate((*RESULT_FORMATS, HTML))
    if graph is None:
        graph = http.negotiate((*GRAPH_FORMATS, HTML))
    if solutions is None and graph is None:
        raise NotAcceptable(
            "None of the formats you accept is available for query results.",
            details=[f.media_type for f in (*RESULT_FORMATS, *GRAPH_FORMATS, HTML)])
    # One kind acceptable is enough to run the query; the other gets a 406 if it comes up.
    return solutions, graph


def _service_description(context: AppContext) -> Response:
    fmt = http.negotiate((HTML, *GRAPH_FORMATS))
    if fmt is None:
        raise NotAcceptable("None of the formats you accept is available.",
                            details=[f.media_type for f in (HTML, *GRAPH_FORMATS)])
    version = context.version()
    etag = f"{version.id}.sd.{fmt.name}" + (f".{i18n.variant()}" if fmt is HTML else "")
    if http.is_fresh(etag, version.last_modified):
        response = http.not_modified(etag, version.last_modified, vary="Accept")
        if fmt is HTML and (language_vary := i18n.vary()):
            response.vary.add(language_vary)
        return response
    if fmt is HTML:
        response = Response(query_page(context), mimetype=HTML.media_type)
        response.headers["Content-Security-Policy"] = http.EDITOR_CONTENT_SECURITY_POLICY
    else:
        response = Response(_sd_bytes(context, fmt), content_type=fmt.charset_media_type)
    response.vary.add("Accept")
    return http.set_validators(response, etag, version.last_modified)


def _sd_bytes(context: AppContext, fmt: Format) -> bytes:
    endpoint = NamedNode(context.settings.base_iri + "/sparql")
    dataset, default_graph = BlankNode(), BlankNode()
    rdf_type = NamedNode(PREFIXES["rdf"] + "type")

    def sd(term: str) -> NamedNode:
        return NamedNode(str(SD[term]))

    triples: list[tuple[NamedNode | BlankNode, NamedNode, NamedNode | BlankNode | Literal]] = [
        (endpoint, rdf_type, sd("Service")),
        (endpoint, sd("endpoint"), endpoint),
        (endpoint, sd("supportedLanguage"), sd("SPARQL11Query")),
        (endpoint, sd("feature"), sd("UnionDefaultGraph")),
        (endpoint, sd("defaultEntailmentRegime"),
         NamedNode("http://www.w3.org/ns/entailment/Simple")),
        (endpoint, NamedNode(PREFIXES["dct"] + "title"),
         Literal("SPARQL-endpoint sociale economie Midwest", language="nl")),
        (endpoint, NamedNode(PREFIXES["dct"] + "title"),
         Literal("SPARQL endpoint of the Midwest social economy", language="en")),
        (endpoint, sd("defaultDataset"), dataset),
        (dataset, rdf_type, sd("Dataset")),
        (dataset, sd("defaultGraph"), default_graph),
        (default_graph, rdf_type, sd("Graph")),
    ]
    triples += [(endpoint, sd("resultFormat"), NamedNode(f.w3c_iri))
                for f in (*RESULT_FORMATS, *GRAPH_FORMATS) if f.w3c_iri]
    for name in ("herkomst", "vocabularium", "metadata"):
        named, graph_node = BlankNode(), NamedNode(context.iris.graph(name))
        triples += [(dataset, sd("namedGraph"), named), (named, rdf_type, sd("NamedGraph")),
                    (named, sd("name"), graph_node)]
    return serialize([Triple(s, p, o) for s, p, o in triples], format=fmt.rdf_format,
                     prefixes={"sd": str(SD), "dct": PREFIXES["dct"]}) or b""


def query_page(context: AppContext, query: str | None = None, **results: Any) -> str:
    """The query page: the plain form, which the editor script enhances (``frontend/``).
    Its answer must carry :data:`http.EDITOR_CONTENT_SECURITY_POLICY`."""
    from midwest_lod.web.blueprints.workbench import editor_config

    examples = context.queries.examples()  # the query catalogue (queries/catalogue/)
    return render_template(
        "sparql.html", query=query or (examples[0].text if examples else ""),
        examples=examples, result_formats=RESULT_FORMATS, graph_formats=GRAPH_FORMATS,
        editor_config=editor_config(context, examples),
        row_limit=context.settings.row_limit, timeout=context.settings.query_timeout,
        **results)


def _results_page(context: AppContext, query: str, result: Result) -> str:
    if result.format is RESULTS_JSON:
        data = json.loads(result.body)
        if "boolean" in data:
            return query_page(context, query, result=result, boolean=bool(data["boolean"]))
        variables = data["head"]["vars"]
        rows = [[_cell(context, binding.get(v)) for v in variables]
                for binding in data["results"]["bindings"]]
        return query_page(context, query, result=result, variables=variables, rows=rows)
    return query_page(context, query, result=result,
                       graph_text=result.body.decode("utf-8", errors="replace"))


def _cell(context: AppContext, term: dict[str, Any] | None) -> dict[str, Any] | None:
    if term is None:
        return None
    if term["type"] == "uri":
        return {"text": term["value"], "href": context.describer.href(term["value"])}
    if term["type"] == "bnode":
        return {"text": "_:" + term["value"]}
    if term["type"] == "literal":
        return {"text": term["value"], "lang": term.get("xml:lang"),
                "note": term.get("datatype", "").rsplit("#", 1)[-1] or None}
    return {"text": json.dumps(term["value"])}
