"""/dumps/: every dump with Content-Length, sha256 and Last-Modified, listed on the home page."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from pathlib import Path

import pytest
import requests
from rdflib import Dataset, Graph

from tests.web.helpers import ServerProcess, with_context

pytestmark = pytest.mark.server

DUMPS = {
    "midwest-sociale-economie.ttl": ("text/turtle", "turtle"),
    "midwest-sociale-economie.nt.gz": ("application/gzip", "nt"),
    "midwest-sociale-economie.jsonld": ("application/ld+json", "json-ld"),
    "midwest-sociale-economie.nq.gz": ("application/gzip", "nquads"),
}


def base_iri(publication: Path) -> str:
    return str(json.loads((publication / "current" / "build.json").read_text())["base_iri"])


def manifest(publication: Path) -> dict[str, dict[str, object]]:
    data = json.loads((publication / "current" / "build.json").read_text())
    return {d["file"]: d for d in data["dumps"]}


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_dump_headers_and_content(server: ServerProcess, real_publication: Path,
                                  name: str) -> None:
    response = requests.get(f"{server.url}/dumps/{name}", timeout=30,
                            headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    body = response.content
    entry = manifest(real_publication)[name]
    assert int(response.headers["Content-Length"]) == len(body) == entry["bytes"]
    digest = hashlib.sha256(body).digest()
    assert digest.hex() == entry["sha256"] == response.headers["X-Checksum-Sha256"]
    assert response.headers["Repr-Digest"] == f"sha-256=:{base64.b64encode(digest).decode()}:"
    assert response.headers["Last-Modified"]
    assert response.headers["Content-Type"].split(";")[0] == DUMPS[name][0]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = gzip.decompress(body) if name.endswith(".gz") else body
    if name.endswith(".jsonld"):  # compact, its context named by the base IRI's URL
        assert json.loads(data)["@context"] == f"{base_iri(real_publication)}/ns/context.jsonld"
        context = requests.get(f"{server.url}/ns/context.jsonld", timeout=10).json()
        data = with_context(data, context)
    rdf_format = DUMPS[name][1]
    graph = Dataset() if rdf_format == "nquads" else Graph()
    graph.parse(data=data, format=rdf_format)
    assert len(graph) > 1000 or sum(1 for _ in graph.quads()) > 1000
    checksum = requests.get(f"{server.url}/dumps/{name}.sha256", timeout=10)
    assert checksum.text == f"{entry['sha256']}  {name}\n"
    again = requests.get(f"{server.url}/dumps/{name}", timeout=10,
                         headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    since = requests.get(f"{server.url}/dumps/{name}", timeout=10,
                         headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304


def test_dumps_are_listed(server: ServerProcess, real_publication: Path) -> None:
    for page in ("/", "/dumps/"):
        text = requests.get(server.url + page, timeout=10).text
        for name, entry in manifest(real_publication).items():
            assert f'href="/dumps/{name}"' in text
            assert str(entry["sha256"]) in text
    assert requests.get(server.url + "/dumps/nothing.ttl", timeout=10).status_code == 404
