"""``/ldes`` and ``/ldes/{n}`` over HTTP: formats, validators, caching, CORS, errors, restart."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from midwest_lod.history import STATE, history_dir, read_index
from midwest_lod.web import create_app
from tests.ldes.conftest import T1, build, copy_data, stamp, text

BASE = "https://data.midwest.be"
TREE = "https://w3id.org/tree#"
LDES = "https://w3id.org/ldes#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ldes-http")
    out = root / "out"
    build(copy_data(root / "data"), out, T1, ldes_page_size=50)
    return out


def _app(out: Path) -> Flask:
    return create_app({"output_dir": out, "TESTING": True})


@pytest.fixture(scope="module")
def app(published: Path) -> Iterator[Flask]:
    application = _app(published)
    yield application
    application.extensions["midwest_lod"].query_service.close()


class _BaseHostClient(FlaskClient):
    """Asks as a client of the base IRI's host, so the stream's URLs are the stored ones (from
    another host they name that host: docs/decisions/0014, tests/ldes/test_serving_host.py)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", BASE)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = _BaseHostClient
    return app.test_client()


def _triples(body: bytes, rdf_format: ox.RdfFormat) -> set[tuple[str, str, str]]:
    """The triples, blank nodes by their label-free shape (relation pairs are unique)."""
    parsed = [q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(body, format=rdf_format)]
    labels: dict[str, str] = {}
    for t in parsed:  # name a blank node by what it points at and its type
        if isinstance(t.subject, ox.BlankNode) and t.predicate.value != RDF_TYPE:
            labels[t.subject.value] = labels.get(t.subject.value, "") + str(t.object)

    def name(term: object) -> str:
        return f"_:{labels.get(term.value, '')}" if isinstance(term, ox.BlankNode) else str(term)

    return {(name(t.subject), str(t.predicate), name(t.object)) for t in parsed}


def test_root_describes_the_stream_as_its_own_view(client: FlaskClient) -> None:
    response = client.get("/ldes")
    assert response.status_code == 200
    # TriG when the client does not say: members carry their provenance in a named graph
    assert response.mimetype == "application/trig"
    triples = [q.triple if isinstance(q, ox.Quad) else q
               for q in ox.parse(response.data, format=ox.RdfFormat.TRIG)]

    def objects(subject: str, predicate: str) -> list[str]:
        return [text(t.object) for t in triples
                if text(t.subject) == subject and t.predicate.value == predicate]

    stream = f"{BASE}/ldes"
    assert LDES + "EventStream" in objects(stream, RDF_TYPE)
    assert [t for t in triples if t.predicate.value == TREE + "view"] == [
        ox.Triple(ox.NamedNode(stream), ox.NamedNode(TREE + "view"), ox.NamedNode(stream))]
    assert objects(stream, LDES + "timestampPath") == ["http://purl.org/dc/terms/modified"]
    assert objects(stream, LDES + "versionOfPath") == ["http://purl.org/dc/terms/isVersionOf"]
    assert objects(stream, LDES + "versionDeleteObject") == [
        "https://www.w3.org/ns/activitystreams#Delete"]
    (description,) = objects(stream, TREE + "viewDescription")
    (policy,) = objects(description, LDES + "retentionPolicy")
    assert objects(policy, LDES + "startingFrom") == [stamp(T1)]
    assert not objects(policy, LDES + "fullLogDuration"), "full history: no duration"
    relations = objects(stream, TREE + "relation")
    nodes = {objects(r, TREE + "node")[0] for r in relations}
    assert nodes == {f"{BASE}/ldes/{n}" for n in range(1, 5)}, "one entry per page"


@pytest.mark.parametrize("path", ["/ldes", "/ldes/1", "/ldes/4"])
def test_every_format_carries_the_same_graph(client: FlaskClient, path: str) -> None:
    reference = _triples(client.get(path, headers={"Accept": "application/n-triples"}).data,
                         ox.RdfFormat.N_TRIPLES)
    assert reference
    for media_type, rdf_format in FORMATS.items():
        response = client.get(path, headers={"Accept": media_type})
        assert response.status_code == 200, media_type
        assert response.mimetype == media_type
        assert "Accept" in response.headers["Vary"]
        assert _triples(response.data, rdf_format) == reference, media_type


def test_a_page_in_n_quads_is_the_stored_file(client: FlaskClient, published: Path) -> None:
    state = read_index(history_dir(published) / STATE)
    assert state is not None
    for page in state.pages:
        response = client.get(f"/ldes/{page.number}", headers={
            "Accept": "application/n-quads", "Accept-Encoding": "identity"})
        stored = (history_dir(published) / "pages" / f"{page.number}.nt").read_bytes()
        assert response.data == stored[:page.bytes]


def test_full_pages_are_immutable_the_rest_short_lived(client: FlaskClient) -> None:
    assert client.get("/ldes/1").headers["Cache-Control"] == IMMUTABLE
    assert client.get("/ldes/3").headers["Cache-Control"] == IMMUTABLE
    for path in ("/ldes", "/ldes/4"):
        control = client.get(path).headers["Cache-Control"]
        assert "immutable" not in control and "max-age=" in control, path


def test_validators_and_conditional_requests(client: FlaskClient) -> None:
    for path in ("/ldes", "/ldes/1", "/ldes/4"):
        first = client.get(path, headers={"Accept": "application/ld+json"})
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        again = client.get(path, headers={"Accept": "application/ld+json",
                                          "If-None-Match": etag})
        assert again.status_code == 304 and not again.data
        assert again.headers["ETag"] == etag
        assert client.get(path, headers={"Accept": "application/ld+json",
                                         "If-Modified-Since": modified}).status_code == 304
        other = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": etag})
        assert other.status_code == 200, "another format has another ETag"
        assert other.headers["ETag"] != etag


def test_cors_and_head(client: FlaskClient) -> None:
    response = client.get("/ldes/1", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    head = client.head("/ldes/1")
    assert head.status_code == 200 and head.headers["ETag"] == response.headers["ETag"]


def test_errors(client: FlaskClient) -> None:
    for path in ("/ldes/0", "/ldes/5", "/ldes/999999", "/ldes/x"):
        assert client.get(path).status_code == 404, path
    refused = client.get("/ldes/1", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "text/turtle" in refused.get_data(as_text=True)


def test_a_new_app_serves_the_same_history(published: Path, client: FlaskClient) -> None:
    """A restart (a new application over the same output folder) sees the same stream."""
    restarted = _app(published)
    try:
        restarted.test_client_class = _BaseHostClient
        other = restarted.test_client()
        for path in ("/ldes", "/ldes/1", "/ldes/2", "/ldes/3", "/ldes/4"):
            for media_type in ("text/turtle", "application/n-quads"):
                a = client.get(path, headers={"Accept": media_type})
                b = other.get(path, headers={"Accept": media_type})
                assert (a.status_code, a.data, a.headers["ETag"]) == (
                    b.status_code, b.data, b.headers["ETag"]), path
    finally:
        restarted.extensions["midwest_lod"].query_service.close()


def test_a_publication_without_history_has_an_empty_stream(published: Path,
                                                           tmp_path: Path) -> None:
    """A version published before the event stream existed: a root without pages."""
    out = tmp_path / "out"
    shutil.copytree(published, out, symlinks=True, ignore=shutil.ignore_patterns("history"))
    application = _app(out)
    try:
        client = application.test_client()
        root = client.get("/ldes", headers={"Accept": "application/n-triples"})
        assert root.status_code == 200
        assert b"EventStream" in root.data and TREE.encode() + b"relation" not in root.data
        assert client.get("/ldes/1").status_code == 404
    finally:
        application.extensions["midwest_lod"].query_service.close()


def test_a_history_of_another_base_is_not_served(published: Path) -> None:
    application = create_app({"output_dir": published, "base_iri": "https://example.org",
                              "TESTING": True})
    try:
        assert application.test_client().get("/ldes").status_code == 503
    finally:
        application.extensions["midwest_lod"].query_service.close()


def test_a_version_iri_redirects_to_the_page_that_carries_it(client: FlaskClient) -> None:
    entity = f"{BASE}/id/organisatie/mariasteen"
    version = f"{entity}/{stamp(T1)}"
    response = client.get(version[len(BASE):])
    assert response.status_code == 303
    page = response.headers["Location"]
    assert page.startswith("/ldes/")
    body = client.get(page, headers={"Accept": "application/n-triples"}).data
    members = {t.subject.value for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
               if t.predicate.value == "http://purl.org/dc/terms/isVersionOf"}
    assert version in members


@pytest.mark.parametrize("suffix", ["2001-01-01T00:00:00Z", "not-a-time"])
def test_an_unknown_version_is_404(client: FlaskClient, suffix: str) -> None:
    response = client.get(f"/id/organisatie/mariasteen/{suffix}")
    assert response.status_code == 404


def test_a_member_carries_its_provenance_in_its_own_graph(client: FlaskClient) -> None:
    """In the dataset formats, a member's statements stay in their assertion graphs and the
    provenance of those graphs is in the graph named by the member (docs/decisions/0015)."""
    for media_type in ("application/n-quads", "application/trig", "application/ld+json"):
        response = client.get("/ldes/1", headers={"Accept": media_type})
        quads = [q for q in ox.parse(response.data, format=FORMATS[media_type])
                 if isinstance(q, ox.Quad)]
        members = {text(q.object) for q in quads if q.predicate.value == TREE + "member"}
        assert members, media_type
        for member in members:
            own = [q for q in quads if text(q.subject) == member
                   and isinstance(q.graph_name, ox.NamedNode)]
            assert own and all(text(q.graph_name).startswith(BASE + "/id/bewering/")
                               for q in own), member
            provenance = [q for q in quads if text(q.graph_name) == member]
            graphs = {text(q.graph_name) for q in own}
            assert graphs <= {text(q.subject) for q in provenance}, "each graph described"
            assert any(q.predicate.value == "http://www.w3.org/ns/prov#wasDerivedFrom"
                       for q in provenance) or member.startswith(BASE + "/id/concept"), member


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(("lang", "members"), [("nl", "leden"), ("en", "members")])
def test_a_browser_gets_a_readable_page(client: FlaskClient, lang: str, members: str) -> None:
    """A browser that opens the stream gets HTML, not RDF and not a 406 (issue 12): the root
    links to the pages, a page lists its members with links to their documents."""
    root = client.get(f"/ldes?lang={lang}", headers={"Accept": BROWSER})
    assert root.status_code == 200 and root.mimetype == "text/html"
    assert "Accept" in root.headers["Vary"]
    html = root.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert f'href="/ldes/1?lang={lang}"' in html
    page = client.get(f"/ldes/1?lang={lang}", headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.mimetype == "text/html"
    text_ = page.get_data(as_text=True)
    nquads = client.get("/ldes/1", headers={"Accept": "application/n-quads"}).data
    heads = {q.object.value for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
             if q.predicate.value == TREE + "member"}
    assert f"{len(heads)} {members}" in text_
    assert 'href="/doc/' in text_  # members link to their documents
    assert page.headers["ETag"] != client.get(
        "/ldes/1", headers={"Accept": "application/trig"}).headers["ETag"]


def test_a_client_without_preference_still_gets_trig(client: FlaskClient) -> None:
    assert client.get("/ldes").mimetype == "application/trig"
    assert client.get("/ldes", headers={"Accept": "*/*"}).mimetype == "application/trig"
