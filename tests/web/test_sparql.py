"""The SPARQL 1.1 Protocol at /sparql, against a real server process."""

from __future__ import annotations

import csv
import io
import json
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from pyoxigraph import QueryResultsFormat, Store, parse_query_results
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from midwest_lod.formats import GRAPH_FORMATS, RESULT_FORMATS
from tests.waiting import busy, wait_until
from tests.web.helpers import Listener, ServerProcess, real_facts

pytestmark = pytest.mark.server

BASE = "https://data.midwest.be"
MW = BASE + "/ns/sociale-economie#"
PREFIXES = f"""PREFIX mw: <{MW}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
MUNICIPALITIES = PREFIXES + """SELECT ?nis ?name WHERE {
  <https://data.midwest.be/id/regio/midwest> mw:memberMunicipality ?m .
  ?m mw:nisCode ?nis ; rdfs:label ?name . FILTER(lang(?name) = "nl")
} ORDER BY ?nis"""
ACTORS_PER_TYPE = PREFIXES + """SELECT ?type ?actor WHERE {
  ?actor a mw:SocialEconomyActor ; mw:initiativeType ?type .
}"""
ROESELARE_ASK = PREFIXES + 'ASK { <https://data.midwest.be/id/gemeente/36015> mw:nisCode "36015" }'
NOT_ASK = PREFIXES + 'ASK { <https://data.midwest.be/id/gemeente/36015> mw:nisCode "99999" }'
CONSTRUCT = PREFIXES + """CONSTRUCT { ?m mw:nisCode ?nis } WHERE {
  <https://data.midwest.be/id/regio/midwest> mw:memberMunicipality ?m . ?m mw:nisCode ?nis }"""
DESCRIBE = "DESCRIBE <https://data.midwest.be/id/gemeente/37020>"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def wrapper(server: ServerProcess, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setTimeout(20)
    return sparql


def rows_from(fmt: str, converted: object) -> list[dict[str, str]]:
    """SELECT rows as {variable: value} from what SPARQLWrapper returns for ``fmt``."""
    if fmt == JSON:
        assert isinstance(converted, dict)
        return [{k: v["value"] for k, v in b.items()}
                for b in converted["results"]["bindings"]]
    if fmt == XML:
        ns = "{http://www.w3.org/2005/sparql-results#}"
        rows = []
        for result in converted.getElementsByTagName("result"):  # type: ignore[attr-defined]
            row = {}
            for binding in result.getElementsByTagName("binding"):
                node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
                row[binding.getAttribute("name")] = node.firstChild.data if node.firstChild else ""
            rows.append(row)
        assert ns
        return rows
    assert isinstance(converted, bytes | str)
    text = converted.decode() if isinstance(converted, bytes) else converted
    if fmt == CSV:
        return list(csv.DictReader(io.StringIO(text)))
    results = parse_query_results(text.encode(), format=QueryResultsFormat.TSV)
    names = [v.value for v in results.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in results]


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_municipalities_with_nis_codes(server: ServerProcess, fmt: str,
                                              method: str) -> None:
    converted = wrapper(server, MUNICIPALITIES, fmt, method).query().convert()
    rows = rows_from(fmt, converted)
    assert {r["nis"]: r["name"] for r in rows} == real_facts().municipalities


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_actors_per_initiative_type(server: ServerProcess, fmt: str) -> None:
    rows = rows_from(fmt, wrapper(server, ACTORS_PER_TYPE, fmt).query().convert())
    got: dict[str, set[str]] = {}
    for row in rows:
        got.setdefault(row["type"].rsplit("/", 1)[1], set()).add(row["actor"].rsplit("/", 1)[1])
    assert got == real_facts().actors_by_type


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_ask(server: ServerProcess, fmt: str) -> None:
    yes = wrapper(server, ROESELARE_ASK, fmt).query().convert()
    no = wrapper(server, NOT_ASK, fmt).query().convert()
    if fmt == JSON:
        assert yes["boolean"] is True and no["boolean"] is False
    elif fmt == XML:
        assert yes.getElementsByTagName("boolean")[0].firstChild.data == "true"
        assert no.getElementsByTagName("boolean")[0].firstChild.data == "false"
    else:
        assert yes.strip() == b"true" and no.strip() == b"false"


@pytest.mark.parametrize("fmt", [TURTLE, N3, JSONLD, RDFXML, XML])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_construct_and_describe(server: ServerProcess, real_publication: Path, fmt: str,
                                query: str) -> None:
    result = wrapper(server, query, fmt).query()
    # the body as sent (SPARQLWrapper's own RDF conversion uses rdflib's deprecated
    # ConjunctiveGraph, which this suite turns into an error)
    rdflib_format = {TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld", RDFXML: "xml",
                     XML: "xml"}[fmt]
    graph = Graph().parse(data=result.response.read(), format=rdflib_format)
    store = Store.read_only(str(real_publication / "current" / "store"))
    expected = len(list(store.query(query, use_default_graph_as_union=True)))
    assert len(graph) == expected > 0
    if query is CONSTRUCT:
        codes = {str(o) for _, _, o in graph}
        assert codes == set(real_facts().municipalities)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.name)
def test_construct_in_every_graph_format_by_accept(server: ServerProcess, fmt) -> None:
    response = requests.post(server.url + "/sparql", data={"query": CONSTRUCT},
                             headers={"Accept": fmt.media_type}, timeout=20)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == fmt.media_type
    graph = Graph().parse(data=response.content, format=fmt.rdflib_name)
    assert {str(o) for _, _, o in graph} == set(real_facts().municipalities)


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
def test_select_by_accept_and_by_format_parameter(server: ServerProcess, fmt) -> None:
    by_accept = requests.get(server.url + "/sparql", params={"query": MUNICIPALITIES},
                             headers={"Accept": fmt.media_type}, timeout=20)
    by_param = requests.get(server.url + "/sparql",
                            params={"query": MUNICIPALITIES, "format": fmt.name},
                            headers={"Accept": "text/html"}, timeout=20)
    for response in (by_accept, by_param):
        assert response.status_code == 200
        assert response.headers["Content-Type"].split(";")[0] == fmt.media_type
        if fmt.name == "csv":  # CSV is lossy: pyoxigraph does not read it back
            rows = list(csv.DictReader(io.StringIO(response.text)))
        else:
            rows = list(parse_query_results(response.content, format=fmt.results_format))
        assert len(rows) == len(real_facts().municipalities)
    assert by_accept.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in by_accept.headers["Vary"]


def test_post_sparql_query_body(server: ServerProcess) -> None:
    response = requests.post(server.url + "/sparql", data=MUNICIPALITIES.encode(),
                             headers={"Content-Type": "application/sparql-query",
                                      "Accept": "application/sparql-results+json"}, timeout=20)
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == len(real_facts().municipalities)


def test_dataset_parameters_are_honoured(server: ServerProcess) -> None:
    vocabulary = BASE + "/id/graaf/vocabularium"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(**params: object) -> int:
        response = requests.get(server.url + "/sparql", params={"query": query, **params},
                                headers={"Accept": "application/sparql-results+json"},
                                timeout=20)
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    union = count()
    only_vocabulary = count(**{"default-graph-uri": vocabulary})
    assert 0 < only_vocabulary < union
    named = requests.get(server.url + "/sparql", params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": vocabulary}, headers={"Accept": "application/sparql-results+json"},
        timeout=20).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [vocabulary]
    # FROM in the query itself is honoured too (not replaced by the union)
    from_query = requests.get(server.url + "/sparql", params={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{vocabulary}> WHERE {{ ?s ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"}, timeout=20).json()
    assert int(from_query["results"]["bindings"][0]["n"]["value"]) == only_vocabulary


def _triple_count(server: ServerProcess) -> int:
    response = requests.get(server.url + "/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"}, timeout=20)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


UPDATE = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }"


@pytest.mark.parametrize("how", ["update-form", "update-get", "sparql-update-body",
                                 "update-as-query"])
def test_updates_are_refused_and_change_nothing(server: ServerProcess, how: str) -> None:
    before = _triple_count(server)
    url = server.url + "/sparql"
    if how == "update-form":
        response = requests.post(url, data={"update": UPDATE}, timeout=20)
    elif how == "update-get":
        response = requests.get(url, params={"update": UPDATE}, timeout=20)
    elif how == "sparql-update-body":
        response = requests.post(url, data=UPDATE.encode(),
                                 headers={"Content-Type": "application/sparql-update"},
                                 timeout=20)
    else:
        response = requests.post(url, data={"query": UPDATE}, timeout=20)
    assert 400 <= response.status_code < 500
    assert "read-only" in response.text
    assert _triple_count(server) == before
    ask = requests.get(url, params={"query": "ASK { GRAPH ?g { <urn:x:s> ?p ?o } }"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=20)
    assert ask.json()["boolean"] is False


def test_service_is_refused_without_an_outbound_connection(server: ServerProcess) -> None:
    listener = Listener()
    port = listener.port
    queries = [
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <http://127.0.0.1:{port}/>\n# comment\nSELECT * {{ ?s ?p ?o "
        f"OPTIONAL {{ SERVICE x:sparql {{ ?s ?q ?r }} }} }} LIMIT 1",
    ]
    try:
        for query in queries:
            response = requests.get(server.url + "/sparql", params={"query": query},
                                    timeout=20)
            assert response.status_code == 400
            assert "SERVICE" in response.text and "outbound" in response.text
        assert listener.made() == 0
    finally:
        listener.close()
    # the word in a string, an IRI or a variable is not the keyword
    harmless = ('SELECT ?service WHERE { BIND("SERVICE <http://x/>" AS ?service) '
                "?s <http://example.org/SERVICE> ?o } LIMIT 1")
    response = requests.get(server.url + "/sparql", params={"query": harmless},
                            headers={"Accept": "application/sparql-results+json"}, timeout=20)
    assert response.status_code == 200


def test_syntax_error_gives_400_with_message_and_position(server: ServerProcess) -> None:
    query = "SELECT * WHERE {\n  ?s ?p \n}"
    response = requests.get(server.url + "/sparql", params={"query": query},
                            headers={"Accept": "application/json"}, timeout=20)
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and "syntax error" in body["error"].lower()
    assert "3:" in body["error"] or "line 3" in " ".join(body["errors"])
    with pytest.raises(QueryBadFormed):
        wrapper(server, "SELECT * WHERE { ?s ", JSON).query()


def test_row_limit_cuts_and_says_so(server: ServerProcess) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"
    response = requests.get(server.url + "/sparql", params={"query": query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=20)
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 1000
    assert response.headers["X-SPARQL-MaxRows"] == "1000"
    assert response.headers["X-SPARQL-Truncated"] == "true"
    small = requests.get(server.url + "/sparql", params={"query": query + " LIMIT 10"},
                         headers={"Accept": "text/csv"}, timeout=20)
    assert "X-SPARQL-Truncated" not in small.headers and small.text.count("\n") == 11
    page = requests.get(server.url + "/sparql", params={"query": query},
                        headers={"Accept": "text/html"}, timeout=20)
    assert "Afgekapt" in page.text and "1.000 rijen" in page.text


@pytest.mark.usefixtures("restart_external_store_after")  # Oxigraph keeps evaluating it
def test_runaway_query_is_stopped_while_others_answer(server: ServerProcess) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        response = requests.get(server.url + "/sparql", params={"query": EXPENSIVE},
                                headers={"Accept": "application/json"}, timeout=60)
        outcome["status"] = response.status_code
        outcome["body"] = response.json()

    evaluating = busy(server.evaluators)
    thread = threading.Thread(target=runaway)
    thread.start()
    wait_until(evaluating, 20, "the runaway query to be evaluated")
    simple = requests.get(server.url + "/sparql", params={"query": ROESELARE_ASK},
                          headers={"Accept": "application/sparql-results+json"}, timeout=20)
    page = requests.get(server.url + "/doc/gemeente/36015", timeout=20)
    # both answered while the runaway query was still running
    still_running = thread.is_alive()
    thread.join(60)
    assert simple.status_code == 200 and simple.json()["boolean"] is True
    assert page.status_code == 200
    assert still_running
    assert outcome["status"] == 503
    assert "query_timeout" in json.dumps(outcome["body"])
    # and the pool recovered: the next query still answers
    again = requests.get(server.url + "/sparql", params={"query": ROESELARE_ASK},
                         headers={"Accept": "application/sparql-results+json"}, timeout=20)
    assert again.status_code == 200


SD_CASES = [
    ("text/turtle", 200, "text/turtle"),
    ("application/rdf+xml", 200, "application/rdf+xml"),
    ("application/ld+json", 200, "application/ld+json"),
    ("text/html", 200, "text/html"),
    ("image/png", 406, None),
]


@pytest.mark.parametrize(("accept", "status", "media_type"), SD_CASES)
def test_get_without_query_gives_service_description_or_page(
        server: ServerProcess, accept: str, status: int, media_type: str | None) -> None:
    response = requests.get(server.url + "/sparql", headers={"Accept": accept}, timeout=20)
    assert response.status_code == status
    if media_type is None:
        return
    assert response.headers["Content-Type"].split(";")[0] == media_type
    if media_type == "text/html":
        assert '<textarea id="query" name="query"' in response.text
        assert "Voorbeeldvragen" in response.text
    else:
        graph = Graph().parse(data=response.content,
                              format={"text/turtle": "turtle", "application/rdf+xml": "xml",
                                      "application/ld+json": "json-ld"}[media_type])
        sd = "http://www.w3.org/ns/sparql-service-description#"
        assert any(str(o) == sd + "SPARQL11Query" for o in graph.objects())
        assert any(str(o) == sd + "UnionDefaultGraph" for o in graph.objects())


def test_example_queries_run_and_answer(server: ServerProcess) -> None:
    from midwest_lod.web.queries import QueryFiles

    examples = QueryFiles().examples()
    assert len(examples) >= 5
    for example in examples:
        response = requests.get(f"{server.url}/sparql?query={quote(example.text)}&format=html",
                                timeout=20)
        assert response.status_code == 200, example.name
        assert ("<table" in response.text or '<pre class="graph">' in response.text
                or '<p class="boolean">ja (true)' in response.text), example.name
        machine = requests.get(server.url + "/sparql", params={"query": example.text},
                               headers={"Accept": "application/sparql-results+json, "
                                                  "text/turtle;q=0.9"}, timeout=20)
        assert machine.status_code == 200
        if machine.headers["Content-Type"].startswith("application/sparql-results+json"):
            answer = machine.json()
            assert answer.get("boolean") or answer["results"]["bindings"], example.name
        else:
            assert len(Graph().parse(data=machine.content, format="turtle")) > 0


def test_conditional_get_of_a_query(server: ServerProcess) -> None:
    params = {"query": ROESELARE_ASK}
    headers = {"Accept": "application/sparql-results+json"}
    first = requests.get(server.url + "/sparql", params=params, headers=headers, timeout=20)
    again = requests.get(server.url + "/sparql", params=params, timeout=20,
                         headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_bad_requests(server: ServerProcess) -> None:
    url = server.url + "/sparql"
    assert requests.post(url, data=b"x", headers={"Content-Type": "text/plain"},
                         timeout=20).status_code == 415
    assert requests.post(url, data={"format": "json"}, timeout=20).status_code == 400
    assert requests.get(url, params={"query": ROESELARE_ASK, "format": "pdf"},
                        timeout=20).status_code == 400
    assert requests.get(url, params=[("query", "ASK {}"), ("query", "ASK {}")],
                        timeout=20).status_code == 400
    assert requests.post(url, data={"query": "ASK {} #" + "x" * 100_001},
                         timeout=20).status_code == 413
    assert requests.get(url, params={"query": CONSTRUCT},
                        headers={"Accept": "application/sparql-results+json"},
                        timeout=20).status_code == 406
    preflight = requests.options(url, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"}, timeout=20)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
