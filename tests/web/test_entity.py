"""Dereferencing: 303 from /id/, content negotiation on /doc/ and /ns/, 404/406/304, CORS,
and every RDF format parsed back equal to the store's description of the entity."""

from __future__ import annotations

from email.utils import format_datetime
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Variable, serialize
from rdflib import Graph
from rdflib.compare import isomorphic, to_isomorphic

from midwest_lod.formats import DOCUMENT_FORMATS, HTML, JSON_LD
from midwest_lod.iris import Iris
from midwest_lod.vocab import prefixes_for
from midwest_lod.web.describe import Describer
from midwest_lod.web.queries import QueryFiles
from tests.web.helpers import ServerProcess

BASE = "https://data.midwest.be"
ENTITIES = [
    "/id/organisatie/mariasteen",
    "/id/organisatie/de-lochting",
    "/id/gemeente/36015",
    "/id/gemeente/37020",
    "/id/conceptscheme/Thema",
    "/id/conceptscheme/Initiatieftype",
    "/id/concept/Initiatieftype/maatwerkbedrijf",
    "/id/regio/midwest",
]


def current_store(publication: Path) -> Store:
    return Store.read_only(str(publication / "current" / "store"))


def store_description(publication: Path, iri: str) -> Graph:
    """The description of ``iri`` computed directly on the store, as an rdflib graph."""
    describer = Describer(Iris(BASE), QueryFiles(prefixes=prefixes_for(BASE)))
    triples = describer.triples(current_store(publication), iri)
    data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data, format="nt")


def all_entity_paths(publication: Path) -> list[str]:
    """Every IRI under {base}/id/ that is the subject of a statement (the history graph's
    event-stream members aside: they are the stream's, tests/ldes)."""
    store = current_store(publication)
    history = BASE + "/id/graaf/geschiedenis"
    subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None)
                if isinstance(q.subject, NamedNode) and q.subject.value.startswith(BASE + "/id/")
                and not (isinstance(q.graph_name, NamedNode) and q.graph_name.value == history)}
    return sorted(s[len(BASE):] for s in subjects)


# --- 303 ------------------------------------------------------------------------------------------

@pytest.mark.server
@pytest.mark.parametrize("path", ENTITIES)
def test_id_answers_303_to_doc(server: ServerProcess, path: str) -> None:
    response = requests.get(server.url + path, headers={"Accept": "text/turtle"},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(path.replace("/id/", "/doc/", 1))
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.server
def test_curl_like_fetch_follows_to_turtle(server: ServerProcess) -> None:
    response = requests.get(server.url + "/id/organisatie/mariasteen",
                            headers={"Accept": "text/turtle"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(graph) > 10


def test_any_host_is_answered(client: FlaskClient) -> None:
    response = client.get("/id/organisatie/mariasteen", base_url="http://example.org")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/organisatie/mariasteen")


# --- negotiation ----------------------------------------------------------------------------------

CONNEG = [
    (None, 200, "text/html"),
    ("*/*", 200, "text/html"),
    ("text/html", 200, "text/html"),
    ("text/turtle", 200, "text/turtle"),
    ("application/ld+json", 200, "application/ld+json"),
    ("application/n-triples", 200, "application/n-triples"),
    ("application/rdf+xml", 200, "application/rdf+xml"),
    ("text/plain", 200, "application/n-triples"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", 200, "application/ld+json"),
    ("application/rdf+xml;q=0.2, text/*;q=0.8", 200, "text/html"),
    ("text/html;q=0.1, application/*;q=0.5", 200, "application/ld+json"),
    ("application/x-turtle", 200, "text/turtle"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 200, "text/html"),
    ("image/png", 406, None),
    ("application/sparql-results+json", 406, None),
]


@pytest.mark.server
@pytest.mark.parametrize(("accept", "status", "media_type"), CONNEG)
def test_document_negotiation(server: ServerProcess, accept: str | None, status: int,
                              media_type: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    response = requests.get(server.url + "/doc/organisatie/mariasteen", headers=headers,
                            timeout=10)
    if accept is None:  # requests sends */* unless told otherwise
        response = requests.get(server.url + "/doc/organisatie/mariasteen",
                                headers={"Accept": ""}, timeout=10)
    assert response.status_code == status
    assert "Accept" in response.headers["Vary"]
    if media_type:
        assert response.headers["Content-Type"].split(";")[0] == media_type
    else:
        # 406 lists what is available
        for fmt in DOCUMENT_FORMATS:
            assert fmt.media_type in response.text


@pytest.mark.server
@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS, ids=lambda f: f.extension)
def test_extension_wins_over_accept(server: ServerProcess, fmt) -> None:
    response = requests.get(f"{server.url}/doc/organisatie/mariasteen.{fmt.extension}",
                            headers={"Accept": "image/png"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == fmt.media_type
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",")]
    # JSON-LD reads the profile (compacted or expanded) from Accept, even with an extension
    assert ("Accept" in vary) == (fmt is JSON_LD)


@pytest.mark.server
def test_link_alternates_name_the_other_formats(server: ServerProcess) -> None:
    response = requests.get(server.url + "/doc/gemeente/36015",
                            headers={"Accept": "text/turtle"}, timeout=10)
    link = response.headers["Link"]
    for fmt in DOCUMENT_FORMATS:
        entry = f'</doc/gemeente/36015.{fmt.extension}>; rel="alternate"; type="{fmt.media_type}"'
        assert (entry in link) == (fmt.media_type != "text/turtle")
    assert response.headers["Content-Location"] == "/doc/gemeente/36015.ttl"


@pytest.mark.server
@pytest.mark.parametrize("path", ["/doc/organisatie/bestaat-niet", "/id/organisatie/bestaat-niet",
                                  "/doc/gemeente/99999", "/id/concept/Thema/onbekend"])
def test_unknown_entities_are_404_with_a_helpful_page(server: ServerProcess, path: str) -> None:
    response = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert "/actoren" in response.text and "/sparql" in response.text
    assert "Traceback" not in response.text
    text = requests.get(server.url + path, headers={"Accept": "*/*"}, timeout=10)
    assert text.status_code == 404 and text.headers["Content-Type"].startswith("text/plain")
    as_json = requests.get(server.url + path, headers={"Accept": "application/json"}, timeout=10)
    assert as_json.json()["ok"] is False and as_json.json()["status"] == 404


@pytest.mark.server
def test_unknown_extension_is_404(server: ServerProcess) -> None:
    response = requests.get(server.url + "/doc/organisatie/mariasteen.docx", timeout=10)
    assert response.status_code == 404


# --- validators -----------------------------------------------------------------------------

@pytest.mark.server
@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "application/ld+json"])
def test_conditional_requests_get_304(server: ServerProcess, real_publication: Path,
                                      accept: str) -> None:
    url = server.url + "/doc/organisatie/de-lochting"
    first = requests.get(url, headers={"Accept": accept}, timeout=10)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    version = (real_publication / "current").resolve().name
    assert version in etag
    again = requests.get(url, headers={"Accept": accept, "If-None-Match": etag}, timeout=10)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    since = requests.get(url, headers={"Accept": accept, "If-Modified-Since": modified},
                         timeout=10)
    assert since.status_code == 304
    stale = requests.get(url, headers={"Accept": accept, "If-None-Match": '"other"'},
                         timeout=10)
    assert stale.status_code == 200


@pytest.mark.server
def test_gzip_and_security_headers(server: ServerProcess) -> None:
    response = requests.get(server.url + "/doc/organisatie/mariasteen",
                            headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy  # ours only
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "<title>" in response.text  # requests decoded it


# --- the document = the store's description -----------------------------------------------------

@pytest.mark.server
@pytest.mark.parametrize("fmt", [f for f in DOCUMENT_FORMATS if f is not HTML],
                         ids=lambda f: f.extension)
@pytest.mark.parametrize("path", ENTITIES[:5] + ["/ns/sociale-economie"])
def test_rdf_formats_equal_the_store_description(server: ServerProcess, real_publication: Path,
                                                 fmt, path: str) -> None:
    iri = BASE + path
    doc = path.replace("/id/", "/doc/", 1)
    response = requests.get(server.url + doc, headers={"Accept": fmt.media_type}, timeout=10)
    assert response.status_code == 200
    parsed = Graph().parse(data=response.content, format=fmt.rdflib_name)
    expected = store_description(real_publication, iri)
    assert len(parsed) > 0
    assert isomorphic(parsed, expected), (
        sorted(to_isomorphic(parsed) ^ to_isomorphic(expected))[:5])


def test_description_holds_own_statements_labels_incoming_and_sources(
        real_publication: Path) -> None:
    iri = BASE + "/id/gemeente/36015"  # Roeselare
    graph = store_description(real_publication, iri)
    store = current_store(real_publication)
    subject = NamedNode(iri)
    own = Graph().parse(format="nt", data=serialize(
        [q.triple for q in store.quads_for_pattern(subject, None, None)],
        format=RdfFormat.N_TRIPLES) or b"")
    assert len(own) > 3
    assert set(own) <= set(graph)  # every statement of the store about it
    # the actors active in Roeselare link to it, with their labels
    mw = prefixes_for(BASE)["mw"]
    in_store = {q.subject.value for q in store.quads_for_pattern(
        None, NamedNode(mw + "activeIn"), subject)}
    actors = {str(s) for s, p, o in graph if str(p) == mw + "activeIn" and str(o) == iri}
    assert in_store and actors == in_store
    labelled = {str(s) for s, p, o in graph if str(p).endswith(("#label", "#prefLabel"))}
    assert actors <= labelled
    # the sources of its statements
    assert any(str(p) == "http://www.w3.org/ns/prov#wasDerivedFrom" for _, p, _ in graph)


# --- HTML -----------------------------------------------------------------------------------------

def test_every_entity_page_answers_with_its_label(client: FlaskClient,
                                                  real_publication: Path) -> None:
    paths = all_entity_paths(real_publication)
    assert len(paths) > 100
    store = current_store(real_publication)
    failures = []
    for path in paths:
        response = client.get(path.replace("/id/", "/doc/", 1), headers={"Accept": "text/html"})
        text = response.get_data(as_text=True)
        labels = [q.object.value for q in store.quads_for_pattern(
            NamedNode(BASE + path), NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)]
        if response.status_code != 200 or "Traceback" in text or "Error" in text.split(
                "<main", 1)[-1][:200]:
            failures.append((path, response.status_code))
        elif labels and not any(_escaped(label) in text for label in labels):
            failures.append((path, "label missing"))
    assert failures == []


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_page_shows_sources_and_marks_inferred(client: FlaskClient, real_publication: Path
                                               ) -> None:
    store = current_store(real_publication)
    query = """SELECT ?organisations ?about WHERE {
      GRAPH ?g { ?b mw:basis mw:inferred ; mw:about ?about }
      FILTER(STRSTARTS(STR(?about), STR(?organisations)))
    } LIMIT 1"""
    inferred = next(iter(store.query(
        query, prefixes=prefixes_for(BASE),
        substitutions={Variable("organisations"): Literal(BASE + "/id/organisatie/")})), None)
    assert inferred is not None, "the real data has inferred statements about organisations"
    path = inferred["about"].value[len(BASE):].replace("/id/", "/doc/", 1)
    text = client.get(path).get_data(as_text=True)
    assert '<span class="inferred">afgeleid</span>' in text
    english = client.get(path + "?lang=en").get_data(as_text=True)
    assert '<span class="inferred">inferred</span>' in english
    assert 'id="bron-1"' in text and 'href="https://' in text
    assert '<script type="application/ld+json">' in text


def test_vocabulary_dereferences_and_has_term_anchors(client: FlaskClient) -> None:
    response = client.get("/ns/sociale-economie", headers={"Accept": "text/html"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'id="SocialEconomyActor"' in text
    turtle = client.get("/ns/sociale-economie", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["Vary"] and b"owl:" in turtle.data
    assert client.get("/ns/sociale-economie.rdf").status_code == 200
    assert client.get("/ns/iets-anders").status_code == 404


@pytest.fixture
def fixture_client(fixture_publication: Path) -> FlaskClient:
    from midwest_lod.web import create_app

    return create_app({"output_dir": fixture_publication, "TESTING": True}).test_client()


def test_markup_in_labels_is_escaped(fixture_client: FlaskClient) -> None:
    for path in ["/doc/organisatie/kringwinkel-test", "/doc/gemeente/36008", "/actoren",
                 "/doc/concept/Initiatieftype/lokale-diensteneconomie"]:
        text = fixture_client.get(path).get_data(as_text=True)
        assert "<script>alert" not in text, path
        assert "&lt;script&gt;alert(" in text or "\\u003cscript\\u003e" in text, path
    # in the JSON-LD block too
    page = fixture_client.get("/doc/organisatie/kringwinkel-test").get_data(as_text=True)
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block


def test_last_modified_is_the_build_time(fixture_client: FlaskClient) -> None:
    from datetime import UTC, datetime

    response = fixture_client.get("/doc/organisatie/mariasteen.ttl")
    assert response.headers["Last-Modified"] == format_datetime(
        datetime(2026, 1, 1, tzinfo=UTC), usegmt=True)
