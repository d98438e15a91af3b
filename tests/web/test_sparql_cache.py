"""The SPARQL result cache (web/query/cache.py): keyed by published version, normalised query,
dataset and format; bounded in bytes; never holds errors; never serves another version."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from midwest_lod.assets import asset_dir
from midwest_lod.config import Settings
from midwest_lod.errors import QueryTimeout
from midwest_lod.formats import RESULTS_JSON, RESULTS_XML, TURTLE
from midwest_lod.web.query.cache import CachingQueryService, ResultCache
from midwest_lod.web.query.service import Dataset, FormatChoice, Result

NAME_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name WHERE { <https://data.midwest.be/id/organisatie/mariasteen> skos:prefLabel ?name }"""
JSON_ACCEPT = {"Accept": "application/sparql-results+json"}


def _names(body: bytes) -> list[str]:
    return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]


# --- over HTTP (Flask test client, real publication) -------------------------------------------

@pytest.fixture
def cached_app(real_publication: Path) -> Iterator[Flask]:
    from midwest_lod.web import create_app

    app = create_app({"output_dir": real_publication, "TESTING": True, "query_workers": 1})
    yield app
    app.extensions["midwest_lod"].query_service.close()


def test_repeat_is_a_hit_with_the_same_answer(cached_app: Flask) -> None:
    client = cached_app.test_client()
    first = client.get("/sparql", query_string={"query": NAME_QUERY}, headers=JSON_ACCEPT)
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss"
    # the same query with other comments and line breaks is the same entry
    again = NAME_QUERY.replace("SELECT", "# the name\nSELECT").replace(" WHERE ", "\n  WHERE\t")
    second = client.post("/sparql", data={"query": again}, headers=JSON_ACCEPT)
    assert second.status_code == 200 and second.headers["X-Cache"] == "hit"
    assert second.data == first.data and _names(first.data) == ["Mariasteen"]
    assert "X-Cache" in first.headers["Access-Control-Expose-Headers"]


def test_kept_gzip_body_is_the_answer(cached_app: Flask) -> None:
    client = cached_app.test_client()
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 40"
    plain = client.get("/sparql", query_string={"query": query}, headers=JSON_ACCEPT)
    assert len(plain.data) > 512 and "Content-Encoding" not in plain.headers
    for state in ("hit", "hit"):
        packed = client.get("/sparql", query_string={"query": query},
                            headers={**JSON_ACCEPT, "Accept-Encoding": "gzip"})
        assert packed.headers["X-Cache"] == state and packed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.data) == plain.data
        assert "Accept-Encoding" in packed.headers["Vary"]


def test_other_accept_is_another_entry(cached_app: Flask) -> None:
    client = cached_app.test_client()
    query = NAME_QUERY + " # formats"
    as_json = client.get("/sparql", query_string={"query": query}, headers=JSON_ACCEPT)
    as_xml = client.get("/sparql", query_string={"query": query},
                        headers={"Accept": "application/sparql-results+xml"})
    assert (as_json.headers["X-Cache"], as_xml.headers["X-Cache"]) == ("miss", "miss")
    assert as_xml.mimetype == "application/sparql-results+xml" and b"<sparql" in as_xml.data
    assert as_json.mimetype == "application/sparql-results+json"
    again = client.get("/sparql", query_string={"query": query, "format": "xml"})
    assert again.headers["X-Cache"] == "hit" and again.data == as_xml.data


def test_a_changed_string_is_another_query(cached_app: Flask) -> None:
    client = cached_app.test_client()
    one = 'SELECT ("a  b" AS ?x) {}'
    two = 'SELECT ("a b" AS ?x) {}'
    first = client.get("/sparql", query_string={"query": one}, headers=JSON_ACCEPT)
    second = client.get("/sparql", query_string={"query": two}, headers=JSON_ACCEPT)
    assert second.headers["X-Cache"] == "miss" and first.data != second.data


def test_errors_are_not_cached(cached_app: Flask) -> None:
    client = cached_app.test_client()
    cache = cached_app.extensions["midwest_lod"].query_service.cache
    before = len(cache)
    for _ in range(2):
        bad = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x"},
                         headers=JSON_ACCEPT)
        assert bad.status_code == 400 and "X-Cache" not in bad.headers
    graph_only = client.get("/sparql", query_string={"query": NAME_QUERY},
                            headers={"Accept": "text/turtle"})
    assert graph_only.status_code == 406
    assert len(cache) == before


@pytest.mark.slow
def test_a_new_publication_is_a_miss_and_never_stale(tmp_path: Path) -> None:
    """Two real builds into the same output folder; the second changes the answer."""
    from midwest_lod.pipeline import run_build
    from midwest_lod.web import create_app

    data, out = tmp_path / "data", tmp_path / "var"
    shutil.copytree(asset_dir("data"), data)
    settings = Settings.load({"output_dir": out, "data_dir": data})
    assert run_build(settings, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).ok
    app = create_app({"output_dir": out, "data_dir": data, "TESTING": True,
                      "query_workers": 1})
    try:
        client = app.test_client()
        cache = app.extensions["midwest_lod"].query_service.cache

        def ask() -> tuple[str, list[str], str]:
            response = client.get("/sparql", query_string={"query": NAME_QUERY},
                                  headers=JSON_ACCEPT)
            assert response.status_code == 200
            return response.headers["X-Cache"], _names(response.data), response.headers["ETag"]

        assert ask()[:2] == ("miss", ["Mariasteen"])
        hit, names, old_etag = ask()
        assert (hit, names) == ("hit", ["Mariasteen"])
        old_version = cache.version

        actor = data / "actors" / "mariasteen.yaml"
        text = actor.read_text(encoding="utf-8")
        assert "\nname: Mariasteen\n" in text
        actor.write_text(text.replace("\nname: Mariasteen\n", "\nname: Mariasteen Gits\n"),
                         encoding="utf-8")
        assert run_build(settings, now=dt.datetime(2026, 1, 2, tzinfo=dt.UTC)).ok

        state, names, etag = ask()
        assert (state, names) == ("miss", ["Mariasteen Gits"]) and etag != old_etag
        assert cache.version != old_version and len(cache) == 1  # the old entries are gone
        assert ask()[:2] == ("hit", ["Mariasteen Gits"])
    finally:
        app.extensions["midwest_lod"].query_service.close()


# --- the cache itself (a stand-in service and publication) ---------------------------------------

@dataclass
class _Version:
    id: str


class _Publication:
    def __init__(self) -> None:
        self.version = "v1"

    def current(self) -> _Version:
        return _Version(self.version)


class _Service:
    """Answers ``query`` with a body of ``size`` bytes, or raises what it is told to."""

    def __init__(self, publication: _Publication) -> None:
        self.publication = publication
        self.calls = 0
        self.size = 100
        self.fail: Exception | None = None

    def run(self, query: str, formats: FormatChoice, dataset: Dataset, *,
            has_dataset_clause: bool = False) -> Result:
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        fmt = formats.solutions or TURTLE
        body = (query + "|" + fmt.name).encode().ljust(self.size, b".")
        return Result(body, fmt, False, 1, self.publication.version)

    def warm(self) -> None: ...

    def close(self) -> None: ...


JSON = FormatChoice(RESULTS_JSON, TURTLE)
XML = FormatChoice(RESULTS_XML, TURTLE)


def _cached(max_bytes: int) -> tuple[CachingQueryService, _Service, _Publication]:
    publication = _Publication()
    inner = _Service(publication)
    return CachingQueryService(inner, publication, max_bytes), inner, publication  # type: ignore[arg-type]


def test_bounded_by_bytes_least_recently_used_first() -> None:
    service, inner, _ = _cached(20_000)
    inner.size = 1000  # with the key and overhead, about 1.4 kB an entry: 14 fit
    for n in range(20):
        assert service.run(f"SELECT {n}", JSON, Dataset()).cache == "miss"
    assert service.cache.size <= 20_000 and 10 <= len(service.cache) < 20
    assert service.run("SELECT 19", JSON, Dataset()).cache == "hit"  # the newest stay
    assert service.run("SELECT 0", JSON, Dataset()).cache == "miss"  # the oldest went
    service.run("SELECT 19", JSON, Dataset())  # used: kept while others are evicted
    for n in range(100, 106):
        service.run(f"SELECT {n}", JSON, Dataset())
    assert service.run("SELECT 19", JSON, Dataset()).cache == "hit"


def test_large_results_are_not_kept() -> None:
    service, inner, _ = _cached(80_000)
    inner.size = 20_000  # more than an eighth of the cache
    service.run("SELECT *", JSON, Dataset())
    assert service.run("SELECT *", JSON, Dataset()).cache == "miss" and len(service.cache) == 0
    assert inner.calls == 2


def test_key_has_format_dataset_and_normalised_text() -> None:
    service, inner, _ = _cached(1_000_000)
    service.run("SELECT * { ?s ?p ?o }", JSON, Dataset())
    assert service.run("SELECT *\n{ ?s ?p ?o } # all", JSON, Dataset()).cache == "hit"
    assert service.run("SELECT * { ?s ?p ?o }", XML, Dataset()).cache == "miss"
    only_results = FormatChoice(RESULTS_JSON, None)  # the graph format does not split SELECTs
    assert service.run("SELECT * { ?s ?p ?o }", only_results, Dataset()).cache == "hit"
    graphs = Dataset(("https://data.midwest.be/id/graaf/herkomst",))
    assert service.run("SELECT * { ?s ?p ?o }", JSON, graphs).cache == "miss"
    assert service.run("SELECT * { ?s ?p ?o }", JSON, Dataset(),
                       has_dataset_clause=True).cache == "miss"
    assert inner.calls == 4


def test_failures_are_not_kept() -> None:
    service, inner, _ = _cached(1_000_000)
    inner.fail = QueryTimeout("too long")
    with pytest.raises(QueryTimeout):
        service.run("SELECT * { ?a ?b ?c . ?d ?e ?f }", JSON, Dataset())
    inner.fail = None
    assert service.run("SELECT * { ?a ?b ?c . ?d ?e ?f }", JSON, Dataset()).cache == "miss"
    assert inner.calls == 2


def test_version_switch_drops_old_entries_and_late_old_answers() -> None:
    service, inner, publication = _cached(1_000_000)
    service.run("SELECT 1", JSON, Dataset())
    publication.version = "v2"
    assert service.run("SELECT 1", JSON, Dataset()).cache == "miss"
    assert service.cache.version == "v2" and len(service.cache) == 1
    # an answer computed on v1 that arrives after the switch is not kept
    cache = service.cache
    old = Result(b"old", RESULTS_JSON, False, 1, "v1")
    assert not cache.put(("SELECT 2", (), (), False, "s", "json"), old)
    assert cache.get("v2", ("SELECT 2", (), (), False, "s", "json")) is None


def test_result_cache_counts() -> None:
    cache = ResultCache(1_000_000)
    key = ("q", (), (), False, "s", "json")
    assert cache.get("v", key) is None
    cache.put(key, Result(b"x", RESULTS_JSON, False, 1, "v"))
    assert cache.get("v", key) is not None
    assert (cache.hits, cache.misses) == (1, 1)
