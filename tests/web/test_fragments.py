"""``/tpf``: the Triple Pattern Fragments interface over real HTTP, against the embedded and
the external store: the controls and metadata the specification requires, in every format,
paging that covers a fragment exactly once, selectors of every kind, clear errors.

What a fragment must hold is computed here from the published store with pyoxigraph (the
distinct triples of the union of the graphs), not with the interface's code."""

from __future__ import annotations

import http.client
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests

from midwest_lod.publication import current_version
from midwest_lod.vocab import DEFAULT_BASE
from midwest_lod.web import create_app
from tests.web.helpers import ServerProcess

pytestmark = pytest.mark.server

HYDRA = "http://www.w3.org/ns/hydra/core#"
VOID = "http://rdfs.org/ns/void#"
FOAF_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TPF = DEFAULT_BASE + "/tpf"
NQ = {"Accept": "application/n-quads"}
TIELT = quote('"Tielt"@nl', safe="")
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def _expected(publication: Path, s: str | None = None, p: str | None = None,
              o: ox.NamedNode | ox.Literal | None = None) -> set[ox.Triple]:
    store = ox.Store.read_only(str(current_version(publication).store_path))
    found = {ox.Triple(_skolem(q.subject), q.predicate, _skolem(q.object))
             for q in store.quads_for_pattern(
                 ox.NamedNode(s) if s else None, ox.NamedNode(p) if p else None, o, None)}
    del store
    return found


def _skolem(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> ox.NamedNode:
    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(f"{DEFAULT_BASE}/.well-known/genid/{term.value}")
    return term  # type: ignore[return-value]


def _get(server: ServerProcess, query: str = "", headers: dict[str, str] | None = None
         ) -> requests.Response:
    return requests.get(server.url + "/tpf" + (f"?{query}" if query else ""),
                        headers=headers or NQ, timeout=30)


def _split(body: bytes, page: str) -> tuple[set[ox.Triple], list[ox.Quad]]:
    quads = list(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    metadata = ox.NamedNode(page + "#metadata")
    assert {q.graph_name for q in quads} <= {ox.DefaultGraph(), metadata}
    return ({q.triple for q in quads if q.graph_name == ox.DefaultGraph()},
            [q for q in quads if q.graph_name == metadata])


def _one(quads: list[ox.Quad], subject: str, predicate: str) -> str:
    values = [q.object.value for q in quads
              if q.subject == ox.NamedNode(subject) and q.predicate.value == predicate]
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def test_the_form_count_and_paging_cover_a_fragment_once(
        server: ServerProcess, real_publication: Path) -> None:
    predicate = RDF + "type"
    expected = _expected(real_publication, p=predicate)
    query = f"predicate={quote(predicate, safe='')}"
    seen: set[ox.Triple] = set()
    page, url, number = None, f"{TPF}?{query}", 1
    while url:
        answer = _get(server, url.split("?", 1)[1] if "?" in url else "")
        assert answer.status_code == 200
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
        assert "Accept" in answer.headers["Vary"]
        data, metadata = _split(answer.content, url)
        assert not data & seen, "no triple on two pages"
        seen |= data
        fragment = f"{TPF}?{query}"
        # the specification's metadata and controls, in <page>#metadata about the fragment
        topics = {q.object.value for q in metadata
                  if q.subject.value == url + "#metadata" and q.predicate.value == FOAF_TOPIC}
        assert {fragment, TPF + "#dataset"} <= topics
        assert int(_one(metadata, fragment, VOID + "triples")) == len(expected)
        assert int(_one(metadata, fragment, HYDRA + "totalItems")) == len(expected)
        form = _one(metadata, TPF + "#dataset", HYDRA + "search")
        assert _one(metadata, form, HYDRA + "template") == TPF + "{?subject,predicate,object}"
        mapped = {_one(metadata, m.object.value, HYDRA + "property")
                  for m in metadata if m.subject.value == form and
                  m.predicate.value == HYDRA + "mapping"}
        assert mapped == {RDF + "subject", RDF + "predicate", RDF + "object"}
        assert not [q for q in metadata if "sparql-service-description" in q.predicate.value]
        assert _one(metadata, url, HYDRA + "first") == f"{fragment}&page=1"
        if number > 1:
            previous = _one(metadata, url, HYDRA + "previous")
            assert previous == (fragment if number == 2 else f"{fragment}&page={number - 1}")
        nexts = [q.object.value for q in metadata
                 if q.subject.value == url and q.predicate.value == HYDRA + "next"]
        page, url = number, nexts[0] if nexts else ""
        number += 1
    assert page is not None and page > 1, "the fragment is paged"
    assert _unlabelled(seen) == _unlabelled(expected)


def _unlabelled(triples: set[ox.Triple]) -> Counter[tuple[str, str, str]]:
    """Triples with every skolem IRI alike: an external store names blank nodes its own way
    (its labels are stable, but not the build's)."""
    def text(term: object) -> str:
        return "_:" if "/.well-known/genid/" in str(term) else str(term)

    return Counter((text(t.subject), text(t.predicate), text(t.object)) for t in triples)


@pytest.mark.parametrize(("name", "query", "pattern"), [
    ("an IRI subject", f"subject={quote(DEFAULT_BASE + '/id/gemeente/37015', safe='')}",
     (DEFAULT_BASE + "/id/gemeente/37015", None, None)),
    ("a language literal", f"object={TIELT}",
     (None, None, ox.Literal("Tielt", language="nl"))),
    ("a literal and a predicate",
     f"predicate={quote(RDFS_LABEL, safe='')}&object={TIELT}",
     (None, RDFS_LABEL, ox.Literal("Tielt", language="nl"))),
    ("a plain literal", "object=" + quote('"37015"', safe=""),
     (None, None, ox.Literal("37015"))),
    ("a typed literal", "object=" + quote(f'"2025-01-01"^^{XSD_DATE}', safe=""),
     (None, None, ox.Literal("2025-01-01", datatype=ox.NamedNode(XSD_DATE)))),
    ("nothing matches", f"subject={quote(DEFAULT_BASE + '/id/gemeente/0', safe='')}",
     (DEFAULT_BASE + "/id/gemeente/0", None, None)),
])
def test_selectors(server: ServerProcess, real_publication: Path, name: str, query: str,
                   pattern: tuple[str | None, str | None, ox.NamedNode | ox.Literal | None]
                   ) -> None:
    expected = _expected(real_publication, *pattern)
    answer = _get(server, query)
    assert answer.status_code == 200, answer.text
    data, metadata = _split(answer.content, f"{TPF}?{query}")
    assert data == expected, name
    assert int(_one(metadata, f"{TPF}?{query}", VOID + "triples")) == len(expected)


def test_blank_nodes_are_skolem_iris_that_can_be_asked_for(server: ServerProcess) -> None:
    answer = _get(server)
    seen: set[str] = set()
    url = TPF
    while url and not seen:
        data, metadata = _split(answer.content, url)
        seen = {t.value for triple in data for t in (triple.subject, triple.object)
                if isinstance(t, ox.NamedNode) and "/.well-known/genid/" in t.value}
        assert not any(isinstance(t, ox.BlankNode) for triple in data
                       for t in (triple.subject, triple.object))
        nexts = [q.object.value for q in metadata
                 if q.subject.value == url and q.predicate.value == HYDRA + "next"]
        url = nexts[0] if nexts else ""
        if url:
            answer = _get(server, url.split("?", 1)[1])
    assert seen, "the vocabulary has blank nodes (an OWL restriction, a list)"
    skolem = sorted(seen)[0]
    query = f"subject={quote(skolem, safe='')}"
    data, _ = _split(_get(server, query).content, f"{TPF}?{query}")
    assert data and all(t.subject == ox.NamedNode(skolem) for t in data)


@pytest.mark.parametrize("media_type", ["application/trig", "application/ld+json",
                                        "text/turtle", "application/n-triples",
                                        "application/rdf+xml"])
def test_every_rdf_format_carries_the_controls(server: ServerProcess, media_type: str) -> None:
    answer = _get(server, "page=2", {"Accept": media_type})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith(media_type)
    fmt = ox.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    quads = list(ox.parse(answer.content, format=fmt, base_iri=TPF))
    page = ox.NamedNode(TPF + "?page=2")
    assert any(q.subject == page and q.predicate.value == HYDRA + "next" for q in quads)
    assert any(q.subject == page and q.predicate.value == HYDRA + "previous" for q in quads)
    assert any(q.predicate.value == HYDRA + "template" for q in quads)
    graphs = {q.graph_name for q in quads}
    if fmt.supports_datasets:
        assert ox.NamedNode(TPF + "?page=2#metadata") in graphs
    else:
        assert graphs == {ox.DefaultGraph()}


def test_a_browser_gets_a_page_with_the_form(server: ServerProcess) -> None:
    query = f"predicate={quote(RDFS_LABEL, safe='')}"
    answer = _get(server, query, {"Accept": "text/html"})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    assert '<form' in answer.text and 'name="subject"' in answer.text
    assert f'value="{RDFS_LABEL}"' in answer.text
    assert "volgende pagina" in answer.text and 'rel="next"' in answer.text
    english = _get(server, query + "&lang=en", {"Accept": "text/html"})
    assert english.headers["Content-Language"] == "en"
    assert "next page" in english.text and "Zoek triples" not in english.text
    assert 'name="lang" value="en"' in english.text  # the form keeps the language
    # a form sent with empty fields lands on the fragment's one URL
    sent = requests.get(server.url + "/tpf", params={"subject": "", "predicate": RDFS_LABEL,
                        "object": ""}, headers={"Accept": "text/html"}, timeout=30,
                        allow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith(f"/tpf?{query}")
    sent = requests.get(server.url + "/tpf", params={"subject": "", "predicate": RDFS_LABEL,
                        "object": "", "lang": "en"}, headers={"Accept": "text/html"},
                        timeout=30, allow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith(f"/tpf?{query}&lang=en")


@pytest.mark.parametrize(("query", "says"), [
    ("subject=%22x%22", "only the object"),
    ("subject=not-an-iri", "not an absolute IRI"),
    ("object=_%3Ab1", "skolem"),
    ("object=%22x%22%40%21", "@language"),
    ("page=0", "'page'"),
    ("graph=x", "Unknown parameter"),
])
def test_bad_selectors_are_clear_errors(server: ServerProcess, query: str, says: str) -> None:
    answer = _get(server, query, {"Accept": "text/plain"})
    assert answer.status_code == 400
    assert says in answer.text


def test_a_selector_sent_unencoded_is_answered(server: ServerProcess,
                                               real_publication: Path) -> None:
    """Regression: a raw quote in the query string (curl sends it as typed) made the page IRI
    invalid, a 500; the page IRI is now the query string percent-encoded where it must be."""
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", '/tpf?object="Tielt"@nl', headers=NQ)
    answer = connection.getresponse()
    answer.read()
    connection.close()
    # granian refuses a request target with a raw quote (RFC 3986 does not allow one): 400
    # before the application; what may not happen is a 500. The application's own handling of
    # such a target (a WSGI server that passes it on) is checked through Flask below.
    assert answer.status in (200, 400)
    app = create_app({"output_dir": real_publication, "TESTING": True})
    try:
        direct = app.test_client().get("/tpf", headers=NQ,
                                       environ_overrides={"QUERY_STRING": 'object="Tielt"@nl'})
    finally:
        app.extensions["midwest_lod"].query_service.close()
    assert direct.status_code == 200
    body = direct.data
    page = f"{TPF}?object=%22Tielt%22@nl"
    data, metadata = _split(body, page)
    assert data and all(t.object == ox.Literal("Tielt", language="nl") for t in data)
    assert _one(metadata, page, HYDRA + "first") == f"{TPF}?object={TIELT}&page=1"
