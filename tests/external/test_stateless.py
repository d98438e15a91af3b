"""In external mode the web application keeps no store of its own: with an empty (or absent)
``output_dir`` it answers from the external SPARQL store alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from midwest_lod.errors import PublicationError
from midwest_lod.web import create_app
from tests.external.conftest import Published

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def stateless_app(published: Published, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[Flask]:
    nothing = tmp_path_factory.mktemp("web-node") / "no-such-folder"
    app = create_app({"output_dir": nothing, "sparql_query_url": published.store.query_url,
                      "TESTING": True})
    yield app
    app.extensions["midwest_lod"].query_service.close()
    assert not nothing.exists()  # nothing was written either


@pytest.fixture
def client(stateless_app: Flask) -> FlaskClient:
    return stateless_app.test_client()


def test_documents_pages_and_queries_come_from_the_store(client: FlaskClient,
                                                         published: Published) -> None:
    version = published.snapshot()[0]
    assert version is not None
    health = client.get("/health").get_json()
    assert health["ok"] is True and health["version"] == version
    assert client.get("/id/organisatie/mariasteen").status_code == 303
    turtle = client.get("/doc/organisatie/mariasteen.ttl")
    assert turtle.status_code == 200 and version in turtle.headers["ETag"]
    graph = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    assert len(graph) > 20
    page = client.get("/doc/organisatie/mariasteen", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Mariasteen" in page.get_data(as_text=True)
    assert client.get("/doc/organisatie/bestaat-niet").status_code == 404
    for path in ("/", "/actoren", "/gemeenten", "/themas", "/ns/sociale-economie"):
        answer = client.get(path, headers={"Accept": "text/html"})
        assert answer.status_code == 200, path
    assert "Mariasteen" in client.get("/actoren").get_data(as_text=True)
    for path in ("/catalog.ttl", "/.well-known/void.ttl"):
        document = Graph().parse(data=client.get(path).get_data(as_text=True), format="turtle")
        assert len(document) > 50, path
    answer = client.get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class }"},
        headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    assert int(answer.get_json()["results"]["bindings"][0]["n"]["value"]) > 100


def test_the_files_of_a_version_are_optional(client: FlaskClient) -> None:
    """Without the version's folder (no shared storage) the dumps are simply not offered."""
    listing = client.get("/dumps/", headers={"Accept": "text/html"})
    assert listing.status_code == 200 and ".nt.gz" not in listing.get_data(as_text=True)
    assert client.get("/dumps/midwest-sociale-economie.ttl").status_code == 404
    assert client.get("/ldes").status_code == 200  # an empty event stream


def test_an_empty_or_unreachable_store_is_a_clear_start_up_error(tmp_path: Path) -> None:
    from tests.oxigraph_server import OxigraphServer

    empty = OxigraphServer.start(tmp_path / "empty", tmp_path / "oxigraph.log")
    try:
        with pytest.raises(PublicationError, match="nothing is published in the external"):
            create_app({"output_dir": tmp_path / "out", "sparql_query_url": empty.query_url})
    finally:
        empty.stop()
    with pytest.raises(PublicationError, match="cannot be read"):
        create_app({"output_dir": tmp_path / "out", "sparql_query_url": empty.query_url})



def test_a_slow_version_check_holds_up_no_request(published: Published,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from midwest_lod.web import external

    publication = external.ExternalPublication(published.settings, interval=0.0)
    known = publication.current()
    gate, entered = threading.Event(), threading.Event()
    read = external.published_version

    def slow(*args: Any) -> Any:
        entered.set()
        gate.wait(10)
        return read(*args)

    monkeypatch.setattr(external, "published_version", slow)
    checking = threading.Thread(target=publication.current)
    checking.start()
    try:
        assert entered.wait(10)  # that thread is now waiting for the store
        assert publication.current() is known
        assert checking.is_alive()  # answered while the check still waits: not held up
    finally:
        gate.set()
        checking.join(10)


def test_serve_with_an_unreachable_store_says_so_and_builds_nothing(tmp_path: Path) -> None:
    import click

    from midwest_lod.commands.serve import ensure_published
    from midwest_lod.config import Settings
    from tests.web.helpers import free_port

    settings = Settings.load({"output_dir": tmp_path / "out",
                              "sparql_query_url": f"http://127.0.0.1:{free_port()}/query"})
    with pytest.raises(click.ClickException, match="cannot be read"):
        ensure_published(settings)
    assert not (tmp_path / "out" / "versions").exists()
