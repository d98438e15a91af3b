"""What the benchmark asks: the SPARQL query mix and the entity documents.

The query mix is what a researcher does with the dataset (issue #5): a listing with labels and
municipality, ordered and limited; counts per theme; a type-in-municipality filter; a text
search; a DESCRIBE; an aggregate; an OPTIONAL-heavy listing; an ASK. Every query names only
things that exist in the real data, which every synthetic data set also holds, so the mix is
the same text at every size.
"""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import quote, urlencode

from driver import Request

BASE = "https://data.midwest.be"
PREFIXES = f"""PREFIX mw: <{BASE}/ns/sociale-economie#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX regorg: <http://www.w3.org/ns/regorg#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX locn: <http://www.w3.org/ns/locn#>
"""
ID = BASE + "/id"

#: name -> (query, Accept)
QUERIES: dict[str, tuple[str, str]] = {
    "listing": (PREFIXES + """SELECT ?org ?name ?municipality WHERE {
  ?org a org:Organization ; skos:prefLabel ?name ;
       org:hasPrimarySite/mw:municipality ?m .
  ?m rdfs:label ?municipality . FILTER(lang(?municipality) = "nl")
} ORDER BY ?name LIMIT 50""", "application/sparql-results+json"),
    "theme-counts": (PREFIXES + f"""SELECT ?theme ?name (COUNT(DISTINCT ?org) AS ?organisations)
WHERE {{
  ?theme skos:inScheme <{ID}/conceptscheme/Thema> ; skos:prefLabel ?name .
  FILTER(lang(?name) = "nl")
  OPTIONAL {{ ?org mw:theme ?theme }}
}} GROUP BY ?theme ?name ORDER BY DESC(?organisations) ?name""",
                     "application/sparql-results+json"),
    "type-in-municipality": (PREFIXES + f"""SELECT ?org ?name WHERE {{
  ?org mw:initiativeType <{ID}/concept/Initiatieftype/maatwerkbedrijf> ;
       mw:activeIn <{ID}/gemeente/36015> ; skos:prefLabel ?name .
}} ORDER BY ?name LIMIT 100""", "application/sparql-results+json"),
    "text-search": (PREFIXES + """SELECT ?org ?name WHERE {
  ?org a org:Organization ; skos:prefLabel ?name .
  FILTER(REGEX(?name, "kring|0042", "i"))
} ORDER BY ?name LIMIT 20""", "application/sparql-results+json"),
    "describe": (f"DESCRIBE <{ID}/organisatie/mariasteen>", "text/turtle"),
    "aggregate": (PREFIXES + """SELECT ?type (COUNT(DISTINCT ?org) AS ?organisations)
       (SUM(?value) AS ?total) (MAX(?value) AS ?largest) WHERE {
  ?org mw:initiativeType ?type ; mw:hasFigure ?figure .
  ?figure schema:value ?value .
} GROUP BY ?type ORDER BY DESC(?total)""", "application/sparql-results+json"),
    "optional-listing": (PREFIXES + """SELECT ?org ?name ?legalName ?homepage ?founded ?type
       ?address WHERE {
  ?org a org:Organization ; skos:prefLabel ?name .
  OPTIONAL { ?org regorg:legalName ?legalName }
  OPTIONAL { ?org foaf:homepage ?homepage }
  OPTIONAL { ?org schema:foundingDate ?founded }
  OPTIONAL { ?org mw:initiativeType/skos:prefLabel ?type FILTER(lang(?type) = "nl") }
  OPTIONAL { ?org org:hasPrimarySite/org:siteAddress/locn:fullAddress ?address }
} ORDER BY ?name LIMIT 100""", "application/sparql-results+json"),
    "ask": (PREFIXES + f"""ASK {{ <{ID}/organisatie/mariasteen> mw:activeIn <{ID}/gemeente/36015> ;
  mw:initiativeType <{ID}/concept/Initiatieftype/maatwerkbedrijf> }}""",
            "application/sparql-results+json"),
}

#: Browsers and most HTTP libraries ask for gzip; so does the driver (the same for all).
GZIP = {"Accept-Encoding": "gzip"}


def sparql_requests(path: str) -> list[Request]:
    """The mix as GET requests to ``path`` (``/sparql`` for ours, ``/query`` for Oxigraph)."""
    return [Request(name, f"{path}?query={quote(text)}", {"Accept": accept, **GZIP})
            for name, (text, accept) in QUERIES.items()]


#: The named query of the API benchmark (issue 11: a named-query API call within 1.2x of the
#: same query's throughput through /sparql), asked with its example parameters.
NAMED_QUERY = "organisaties-per-gemeente"


def named_query_requests() -> tuple[list[Request], list[Request]]:
    """The same question as a call of the query API and as its bound text sent to /sparql
    (both answered in SPARQL JSON)."""
    from midwest_lod.web.queries import QueryFiles

    files = QueryFiles()
    query = files.named(NAMED_QUERY)
    assert query is not None, NAMED_QUERY
    text = next(e.text for e in files.examples() if e.name == NAMED_QUERY)
    headers = {"Accept": "application/sparql-results+json", **GZIP}
    api = f"/api/queries/{NAMED_QUERY}?{urlencode(query.sample_values(), doseq=True)}"
    return ([Request(NAMED_QUERY, api, headers)],
            [Request(NAMED_QUERY, f"/sparql?query={quote(text)}", headers)])


def entity_paths(store_path: Path, count: int, seed: int = 5) -> list[str]:
    """``count`` document paths (organisations, sites, services, municipalities, figures),
    sampled from the published store, in a fixed random order."""
    from pyoxigraph import NamedNode, Store

    store = Store.read_only(str(store_path))
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    kinds = {"organisatie": 5, "vestiging": 2, "dienst": 2, "cijfer": 1, "gemeente": 1}
    found: dict[str, list[str]] = {kind: [] for kind in kinds}
    seen: set[str] = set()
    for quad in store.quads_for_pattern(None, rdf_type, None):
        iri = quad.subject.value if isinstance(quad.subject, NamedNode) else ""
        if iri in seen or not iri.startswith(ID + "/"):
            continue
        seen.add(iri)
        kind = iri[len(ID) + 1:].split("/", 1)[0]
        if kind in found:
            found[kind].append("/doc/" + iri[len(ID) + 1:])
    del store
    rng = random.Random(seed)
    total = sum(kinds.values())
    paths: list[str] = []
    for kind, weight in kinds.items():
        pool = sorted(found[kind])
        rng.shuffle(pool)
        paths += pool[: max(1, count * weight // total)]
    rng.shuffle(paths)
    return paths[:count]


TURTLE = {"Accept": "text/turtle", **GZIP}
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", **GZIP}


def entity_requests(paths: list[str], kind: str) -> list[Request]:
    """Requests named by format and kind of thing (``turtle gemeente``): the figures per kind
    show the documents of hubs (a municipality, a concept: every organisation links to them)
    apart from the others."""
    headers = TURTLE if kind == "turtle" else HTML
    return [Request(f"{kind} {path.split('/')[2]}", path, headers) for path in paths]


def suggest_requests(version_path: Path, count: int = 400, seed: int = 7) -> list[Request]:
    """``count`` suggestions (``/zoeken/suggesties?q=``) for prefixes of 2 to 10 characters of
    labels sampled from the version's search index (``search.sqlite``), in a fixed random
    order: what a search box sends while someone types a name."""
    import sqlite3

    uri = f"{(version_path / 'search.sqlite').resolve().as_uri()}?mode=ro&immutable=1"
    with sqlite3.connect(uri, uri=True) as db:
        labels = [row[0] for row in db.execute("SELECT label FROM item ORDER BY id")]
    rng = random.Random(seed)
    chosen = [rng.choice(labels) for _ in range(count)] if labels else []
    return [Request("suggest", f"/zoeken/suggesties?q={quote(label[:rng.randint(2, 10)])}",
                    {"Accept": "application/json", **GZIP}) for label in chosen]


def construct_requests(paths: list[str]) -> list[Request]:
    """For Oxigraph's server: the ``CONSTRUCT`` our document of each path is built from
    (``queries/entity-document.rq`` with the entity's IRI bound), as Turtle."""
    import pyoxigraph as ox

    from midwest_lod.sparql import bind_values
    from midwest_lod.sparql.binding import prologue
    from midwest_lod.vocab import prefixes_for
    from midwest_lod.web.queries import QueryFiles

    prefixes = prefixes_for(BASE)
    text = QueryFiles(prefixes=prefixes, base_iri=BASE).text("entity-document")
    found = []
    for path in paths:
        iri = ox.NamedNode(ID + path.removeprefix("/doc"))
        query = prologue(prefixes) + bind_values(text, {"iri": iri})
        found.append(Request(f"construct {path.split('/')[2]}", f"/query?query={quote(query)}",
                             {"Accept": "text/turtle", **GZIP}))
    return found


def facet_requests(base_url: str, count: int = 200, seed: int = 11) -> list[Request]:
    """``count`` pages of the organisation browser (``/organisaties``): no facet, one or two
    chosen values (drawn from the values the unfiltered page offers), the first pages, as JSON
    and HTML, in a fixed random order: what people browsing by municipality and kind ask."""
    import json
    import urllib.request

    with urllib.request.urlopen(base_url + "/organisaties.json", timeout=600) as answer:
        offered = [(facet["name"], value["key"]) for facet in json.load(answer)["facets"]
                   for value in facet["values"]]
    rng = random.Random(seed)
    requests = []
    for _ in range(count):
        chosen = rng.sample(offered, k=min(len(offered), rng.choice((0, 1, 1, 2))))
        params = [*chosen, *([("pagina", str(rng.randint(2, 3)))] if rng.random() < 0.2 else [])]
        json_page = rng.random() < 0.5
        path = "/organisaties" + (".json" if json_page else "")
        headers = {"Accept": "application/json", **GZIP} if json_page else HTML
        requests.append(Request("facets", path + ("?" + urlencode(params) if params else ""),
                                headers))
    return requests
