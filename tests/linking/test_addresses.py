"""`link addresses` against a local stand-in of the adresmatch API: matching rules, retries,
error paths that leave data/ byte-identical, and the link in the built graph."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import URIRef

from midwest_lod.config import Settings
from midwest_lod.errors import LinkError
from midwest_lod.iris import Iris
from midwest_lod.linking.addresses import CACHE, CACHE_COLUMNS, link_addresses, split_number
from midwest_lod.pipeline import run_validate
from midwest_lod.pipeline.mapping import Mapper
from midwest_lod.vocab import ADRES
from tests.linking.conftest import Reply, StandIn, address_match, digest, violations

TODAY = dt.date(2026, 6, 8)
PAS_PAR_TOE = ("pas-par-toe",)
Make = Callable[..., Settings]


def run(settings: Settings, **kwargs: object) -> list:  # type: ignore[type-arg]
    return link_addresses(settings, today=TODAY, **kwargs)  # type: ignore[arg-type]


def cache_rows(data_dir: Path) -> list[dict[str, str]]:
    text = (data_dir / CACHE).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_unambiguous_matches_are_cached(standin: StandIn, settings_for: Make,
                                        data_dir: Path) -> None:
    outcomes = run(settings_for(address_api_url=standin.url, address_api_key="secret"))
    linked = {(o.site.actor, o.site.site) for o in outcomes if o.status == "linked"}
    assert ("pas-par-toe", "kalkenstraat") in linked
    skipped = [o for o in outcomes if o.status == "skipped"]
    assert skipped and all("house number" in o.detail or "street" in o.detail for o in skipped)
    # one request per site with a street and a number, with the key and JSON asked for
    assert len(standin.requests) == len(linked)
    first = standin.requests[0]
    assert first["path"] == "/v2/adresmatch"
    assert first["headers"]["x-api-key"] == "secret"
    assert first["headers"]["Accept"] == "application/json"
    rows = cache_rows(data_dir)
    assert list(rows[0]) == list(CACHE_COLUMNS)
    row = next(r for r in rows if r["actor"] == "pas-par-toe")
    assert row["site"] == "kalkenstraat"
    assert row["address"].startswith("https://data.vlaanderen.be/id/adres/")
    assert row["full_address"].startswith("Kalkenstraat 14, 8800")
    assert row["score"] == "100" and row["response_date"] == "2026-06-08"
    assert row["request_url"].startswith(standin.url + "adresmatch?")
    assert "straatnaam=Kalkenstraat" in row["request_url"] and "huisnummer=14" in row["request_url"]
    assert "secret" not in row["request_url"]


def test_pre_merger_code_is_asked_as_todays_municipality(standin: StandIn,
                                                         settings_for: Make) -> None:
    run(settings_for(address_api_url=standin.url), only=("troev",))
    queries = [r["query"] for r in standin.requests]
    assert queries and all(q["niscode"] == "37022" for q in queries)  # Tielt 37015 → 37022


def test_the_build_links_the_site_address(standin: StandIn, settings_for: Make,
                                          data_dir: Path) -> None:
    settings = settings_for(address_api_url=standin.url)
    before = run_validate(settings)
    run(settings, only=PAS_PAR_TOE)
    row = cache_rows(data_dir)[0]
    mapper = Mapper(data_dir, Iris(settings.base_iri))
    mapper.run_reference()
    emitter = mapper.run_organisations(mapper.organisation_files())
    assert mapper.errors == []
    address = Iris(settings.base_iri).thing("adres", "pas-par-toe-kalkenstraat")
    found = [(graph, o) for graph, triples in emitter.graphs.items()
             for s, p, o in triples if s == address and p == ADRES.verwijstNaar]
    assert [o for _, o in found] == [URIRef(row["address"])]
    info = emitter.assertions[found[0][0]]
    assert info.support.sources == (row["request_url"],)
    assert info.support.basis == "inferred" and "2026-06-08" in info.support.reason
    assert info.origin.path == CACHE
    result = run_validate(settings)
    # no new violation (compared with the same data without the cache; tests/pipeline checks
    # that the real data is valid)
    assert violations(result) == violations(before), result.report(include_warnings=False)
    assert result.ok, result.report(include_warnings=False)
    assert result.source_errors == []
    assert CACHE in result.inputs


def test_changed_address_makes_the_cached_link_an_error(standin: StandIn, settings_for: Make,
                                                        data_dir: Path) -> None:
    settings = settings_for(address_api_url=standin.url)
    run(settings, only=PAS_PAR_TOE)
    path = data_dir / "actors" / "pas-par-toe.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('number: "14"', 'number: "16"'),
                    encoding="utf-8")
    result = run_validate(settings)
    assert not result.ok
    errors = [str(e) for e in result.source_errors if e.path == CACHE]
    assert len(errors) == 1 and "changed since it was linked" in errors[0]


def test_500_then_success_is_retried(standin: StandIn, settings_for: Make,
                                     data_dir: Path) -> None:
    standin.queue.append(Reply(500, {"title": "Internal Server Error"}))
    outcomes = run(settings_for(address_api_url=standin.url), only=PAS_PAR_TOE)
    assert [o.status for o in outcomes] == ["linked"]
    assert len(standin.requests) == 2
    assert (data_dir / CACHE).is_file()


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses the client asks for (the client's and urllib3's ``time.sleep``), recorded
    instead of waited: what it waits is the point, not how long the test takes."""
    asked: list[float] = []
    monkeypatch.setattr(time, "sleep", asked.append)
    return asked


def test_429_waits_for_retry_after(standin: StandIn, settings_for: Make,
                                   waits: list[float]) -> None:
    standin.queue.append(Reply(429, {"title": "Too Many Requests"}, {"Retry-After": "1"}))
    outcomes = run(settings_for(address_api_url=standin.url), only=PAS_PAR_TOE)
    assert [o.status for o in outcomes] == ["linked"]
    assert len(standin.requests) == 2
    assert waits == [1.0]  # what Retry-After said, before the second request


def test_backoff_and_minimum_interval(standin: StandIn, settings_for: Make,
                                      waits: list[float]) -> None:
    standin.queue += [Reply(503), Reply(503)]
    run(settings_for(address_api_url=standin.url, http_min_interval=0.2), only=PAS_PAR_TOE)
    assert len(standin.requests) == 3
    assert waits == pytest.approx([0.2, 0.4])  # backoff 0.2 × 2^0, then 0.2 × 2^1


@pytest.mark.parametrize("reply, message", [
    (Reply(503, "Service Unavailable", {"Content-Type": "text/plain"}), "HTTP 503"),
    (Reply(404, {"title": "Not Found"}), "HTTP 404"),
    (Reply(200, "{not json", {"Content-Type": "application/json"}),
     "the answer is not adresmatch JSON"),
    (Reply(200, {"unexpected": []}), "no list 'adresMatches'"),
    (Reply(200, {"adresMatches": [{"identificator": {"objectId": "x1"}, "score": 100}]}),
     "is not a number"),
])
def test_error_answers_leave_data_unchanged(standin: StandIn, settings_for: Make,
                                            data_dir: Path, reply: Reply, message: str) -> None:
    settings = settings_for(address_api_url=standin.url, http_retries=1)
    run(settings)  # a first, good run: the cache exists
    before = digest(data_dir)
    standin.default = lambda q: Reply(reply.status, reply.body, dict(reply.headers))
    with pytest.raises(LinkError) as caught:
        run(settings)
    text = str(caught.value)
    assert message in text
    assert "site 'kalkenstraat' of pas-par-toe" in text or "of kringwinkel-midwest" in text
    assert standin.url + "adresmatch?" in text
    assert "left unchanged" in text
    assert digest(data_dir) == before


def test_persistent_503_is_retried_then_reported(standin: StandIn, settings_for: Make,
                                                 data_dir: Path) -> None:
    before = digest(data_dir)
    standin.default = lambda q: Reply(503, {"title": "Service Unavailable"})
    with pytest.raises(LinkError, match=r"HTTP 503 .*after 2 retries"):
        run(settings_for(address_api_url=standin.url), only=PAS_PAR_TOE)
    assert len(standin.requests) == 3
    assert digest(data_dir) == before
    assert not (data_dir / CACHE).exists()


def test_timeout_is_reported(standin: StandIn, settings_for: Make, data_dir: Path) -> None:
    before = digest(data_dir)
    standin.default = lambda q: Reply(delay=3.0)
    with pytest.raises(LinkError, match=r"no answer within 0.3 s"):  # not after 3 s
        run(settings_for(address_api_url=standin.url, http_timeout=0.3, http_retries=1),
            only=PAS_PAR_TOE)
    assert len(standin.requests) == 2
    assert digest(data_dir) == before


def test_connection_refused_is_reported(settings_for: Make, data_dir: Path) -> None:
    with StandIn() as server:
        url = server.url
    before = digest(data_dir)
    with pytest.raises(LinkError, match="cannot connect"):
        run(settings_for(address_api_url=url, http_retries=0), only=PAS_PAR_TOE)
    assert digest(data_dir) == before


@pytest.mark.parametrize("matches, status, detail", [
    (lambda q: [], "no-match", "no matching address"),
    (lambda q: [address_match(q, object_id="1", score=100),
                address_match(q, object_id="2", score=95)], "ambiguous", "ambiguous"),
    (lambda q: [address_match(q, object_id="1", score=80)], "no-match", "scores 80 < 90"),
    (lambda q: [address_match(q, object_id="1", status="gehistoreerd")], "no-match",
     "gehistoreerd"),
    (lambda q: [address_match({**q, "huisnummer": "16"}, object_id="1")], "no-match",
     "house number 16"),
])
def test_no_link_unless_unambiguous(standin: StandIn, settings_for: Make, data_dir: Path,
                                    matches: Callable, status: str, detail: str) -> None:
    standin.default = lambda q: Reply(body={"adresMatches": matches(q)})
    outcomes = run(settings_for(address_api_url=standin.url), only=PAS_PAR_TOE)
    assert [o.status for o in outcomes] == [status]
    assert detail in outcomes[0].detail
    assert cache_rows(data_dir) == []


def test_clear_lead_and_units_are_resolved(standin: StandIn, settings_for: Make,
                                           data_dir: Path) -> None:
    standin.default = lambda q: Reply(body={"adresMatches": [
        address_match(q, object_id="11", score=100),
        address_match(q, object_id="12", score=100, box="2"),  # a unit: set aside
        address_match(q, object_id="13", score=85),  # below the threshold
        {"@type": "Straatnaam", "straatnaam": {}},  # not an address
    ]})
    outcomes = run(settings_for(address_api_url=standin.url), only=PAS_PAR_TOE)
    assert [o.status for o in outcomes] == ["linked"]
    assert cache_rows(data_dir)[0]["address"] == "https://data.vlaanderen.be/id/adres/11"


def test_one_actor_keeps_the_others(standin: StandIn, settings_for: Make,
                                    data_dir: Path) -> None:
    settings = settings_for(address_api_url=standin.url)
    run(settings)
    before = {(r["actor"], r["site"]) for r in cache_rows(data_dir)}
    assert len(before) >= 2
    standin.default = lambda q: Reply(body={"adresMatches": []})
    run(settings, only=PAS_PAR_TOE)
    after = {(r["actor"], r["site"]) for r in cache_rows(data_dir)}
    assert after == before - {("pas-par-toe", "kalkenstraat")}


def test_dry_run_writes_nothing(standin: StandIn, settings_for: Make, data_dir: Path) -> None:
    before = digest(data_dir)
    outcomes = run(settings_for(address_api_url=standin.url), dry_run=True)
    assert any(o.status == "linked" for o in outcomes)
    assert digest(data_dir) == before


def test_unknown_actor_is_an_error(settings_for: Make) -> None:
    with pytest.raises(LinkError, match="no actor file for nobody"):
        run(settings_for(), only=("nobody",))


def test_split_number() -> None:
    assert split_number("14") == ("14", "")
    assert split_number("14 bus 2") == ("14", "2")
    assert split_number("14A") == ("14A", "")
    assert split_number("14 b 3") == ("14", "3")


def test_unreadable_cache_stops_before_any_request(standin: StandIn, settings_for: Make,
                                                   data_dir: Path) -> None:
    (data_dir / "links").mkdir()
    (data_dir / CACHE).write_text("what,ever\n1,2\n", encoding="utf-8")
    before = digest(data_dir)
    with pytest.raises(LinkError, match="unexpected columns"):
        run(settings_for(address_api_url=standin.url))
    assert standin.requests == []
    assert digest(data_dir) == before
