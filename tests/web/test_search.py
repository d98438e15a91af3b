"""Search (``/zoeken``, ``/zoeken.json``) and suggestions (``/zoeken/suggesties``) through a real
server over the real data, against the embedded and the external store (tests/web/conftest.py):
ranking tiers, case, accents, punctuation, legal-form words, old and new municipality names, the
JSON shape, the HTML page, the search box on every page, and 400s that name the parameter."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
import requests

from midwest_lod.search.index import TIERS
from tests.web.helpers import ServerProcess
from tests.web.test_home import check_page

ID = "https://data.midwest.be/id/"
MARIASTEEN = ID + "organisatie/mariasteen"
LEDEGEM, HOOGLEDE = ID + "gemeente/36010", ID + "gemeente/36006"
OLD_TIELT, NEW_TIELT = ID + "gemeente/37015", ID + "gemeente/37022"
MEULEBEKE = ID + "gemeente/37007"
RUISELEDE, NEW_WINGENE = ID + "gemeente/37012", ID + "gemeente/37021"
SERRES = ID + "vestiging/de-lochting-sint-eloois-winkel-serres"
TROEV_OFFICE = ID + "vestiging/troev-tielt-kasteelstraat"
INDUSTRY = ID + "concept/Thema/industriele-activiteiten"

pytestmark = pytest.mark.server


def search(server: ServerProcess, q: str, **params: Any) -> list[dict[str, Any]]:
    answer = requests.get(server.url + "/zoeken.json", params={"q": q, **params}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["query"] == q.strip()
    results: list[dict[str, Any]] = body["results"]
    return results


def suggest(server: ServerProcess, q: str, **params: Any) -> list[dict[str, Any]]:
    answer = requests.get(server.url + "/zoeken/suggesties", params={"q": q, **params},
                          timeout=30)
    assert answer.status_code == 200, answer.text
    suggestions: list[dict[str, Any]] = answer.json()["suggestions"]
    return suggestions


def iris(results: list[dict[str, Any]]) -> list[str]:
    return [hit["iri"] for hit in results]


# (query, first hit, how it matched)
FIRST = [
    ("Mariasteen", MARIASTEEN, "exact"),
    ("mariasteen", MARIASTEEN, "exact"),
    ("MARIASTEEN", MARIASTEEN, "exact"),
    ("Mariasteen vzw", MARIASTEEN, "exact"),
    ("Mariasteen v.z.w.", MARIASTEEN, "exact"),
    ("vzw Mariasteen", MARIASTEEN, "exact"),
    ("maria", MARIASTEEN, "prefix"),
    ("Industriële activiteiten", INDUSTRY, "exact"),
    ("industriele activiteiten", INDUSTRY, "exact"),
    ("industri", INDUSTRY, "prefix"),
    ("coördinatiebureau", TROEV_OFFICE, "word"),
    ("coordinatiebureau", TROEV_OFFICE, "word"),
    ("Sint-Eloois-Winkel", SERRES, "word"),
    ("sint eloois winkel", SERRES, "word"),
    ("SINT ELOOIS-WINKEL", SERRES, "word"),
    ("Meulebeke", MEULEBEKE, "exact"),
    ("Ruiselede", RUISELEDE, "exact"),
    ("Tielt", NEW_TIELT, "exact"),
]


@pytest.mark.parametrize(("query", "first", "match"), FIRST)
def test_first_hit(server: ServerProcess, query: str, first: str, match: str) -> None:
    results = search(server, query)
    assert results, query
    assert (results[0]["iri"], results[0]["match"]) == (first, match)


@pytest.mark.parametrize("query", ["Mariasteen", "Tielt", "gits", "kringwinkel", "Meulebeke",
                                   "sociale economie"])
def test_tiers_in_order(server: ServerProcess, query: str) -> None:
    results = search(server, query, limit=100)
    ranks = [TIERS.index(hit["match"]) for hit in results]
    assert ranks == sorted(ranks)
    assert len(set(iris(results))) == len(results)  # each thing once


def test_all_four_tiers(server: ServerProcess) -> None:
    """"Mariasteen": the actor (exact), its sites (prefix), ..., then descriptions."""
    results = search(server, "Mariasteen", limit=100)
    matches = [hit["match"] for hit in results]
    assert matches[0] == "exact" and "prefix" in matches and "description" in matches
    gits = search(server, "gits")
    assert [hit["match"] for hit in gits][:2] == ["word", "word"]
    assert gits[-1]["match"] == "description"
    assert iris(gits)[0] == ID + "vestiging/mariasteen-gits"
    assert HOOGLEDE in iris(gits)  # "8830 Gits", a postal locality of Hooglede
    described = search(server, "Lannoo")  # a word of descriptions only
    assert described and {hit["match"] for hit in described} == {"description"}


@pytest.mark.parametrize("variant", ["Sint-Eloois-Winkel", "sint eloois winkel",
                                     "Sint Eloois Winkel", "SINT-ÉLOOIS-WINKEL"])
def test_spelling_variants_find_the_same(server: ServerProcess, variant: str) -> None:
    assert iris(search(server, variant)) == iris(search(server, "Sint-Eloois-Winkel"))
    assert LEDEGEM in iris(search(server, variant))  # "8880 Sint-Eloois-Winkel"


@pytest.mark.parametrize(("old", "old_iri", "successor"), [
    ("Meulebeke", MEULEBEKE, NEW_TIELT), ("Ruiselede", RUISELEDE, NEW_WINGENE)])
def test_old_municipality_finds_its_successor(server: ServerProcess, old: str, old_iri: str,
                                              successor: str) -> None:
    results = search(server, old)
    first, second = results[0], results[1]
    assert first["iri"] == old_iri
    assert first["valid_through"] == "2024-12-31"
    assert first["replaced_by"]["iri"] == successor
    assert (second["iri"], second["match"], second["matched"]) == (successor, "exact", old)
    assert second["valid_through"] is None


def test_current_before_ended(server: ServerProcess) -> None:
    """Two municipalities are called Tielt: the one of 2025 comes before the one that ended."""
    found = iris(search(server, "Tielt"))
    assert found.index(NEW_TIELT) < found.index(OLD_TIELT)


def test_json_shape(server: ServerProcess) -> None:
    answer = requests.get(server.url + "/zoeken.json", params={"q": "Mariasteen vzw",
                                                               "limit": 3}, timeout=30)
    body = answer.json()
    assert set(body) == {"query", "limit", "version", "results"}
    assert body["limit"] == 3 and len(body["results"]) == 3
    hit = body["results"][0]
    assert set(hit) == {"iri", "url", "href", "label", "label_en", "match", "matched", "kind",
                        "municipality", "valid_through", "replaced_by"}
    assert hit["label"] == "Mariasteen" and hit["href"] == "/doc/organisatie/mariasteen"
    assert hit["url"] == server.url + "/doc/organisatie/mariasteen"
    assert hit["kind"]["iri"].endswith("#SocialEconomyActor")
    assert hit["kind"]["label"] and hit["kind"]["label_en"]
    # its municipality is that of its primary site (Gits, in Hooglede)
    assert hit["municipality"]["iri"] == HOOGLEDE
    assert hit["municipality"]["label"] == "Hooglede"
    assert requests.get(server.url + hit["href"], timeout=30).status_code == 200
    municipality = search(server, "Ledegem")[0]
    assert municipality["kind"]["label"] == "Gemeente"


def test_negotiation_and_validators(server: ServerProcess) -> None:
    url = server.url + "/zoeken"
    as_json = requests.get(url, params={"q": "Tielt"}, headers={"Accept": "application/json"},
                           timeout=30)
    assert as_json.headers["Content-Type"].startswith("application/json")
    assert as_json.json()["results"]
    as_html = requests.get(url, params={"q": "Tielt"}, headers={"Accept": "text/html"},
                           timeout=30)
    assert as_html.headers["Content-Type"].startswith("text/html")
    assert "Accept" in as_html.headers["Vary"] and as_html.headers["ETag"] != as_json.headers[
        "ETag"]
    again = requests.get(url, params={"q": "Tielt"}, timeout=30, headers={
        "Accept": "text/html", "If-None-Match": as_html.headers["ETag"]})
    assert again.status_code == 304


def test_html_page(server: ServerProcess) -> None:
    answer = requests.get(server.url + "/zoeken", params={"q": "Ruiselede"},
                          headers={"Accept": "text/html"}, timeout=30)
    assert answer.status_code == 200
    checker = check_page(answer.text)  # lang="nl", landmarks, no scripts
    links = [attrs.get("href") for tag, attrs in checker.tags if tag == "a"]
    assert "/doc/gemeente/37012" in links and "/doc/gemeente/37021" in links
    assert "bestond tot 31 december 2024" in answer.text  # what ended is not shown as current
    assert 'value="Ruiselede"' in answer.text
    assert "/zoeken.json?q=Ruiselede" in links
    english = requests.get(server.url + "/zoeken", params={"q": "Ruiselede", "lang": "en"},
                           headers={"Accept": "text/html"}, timeout=30)
    check_page(english.text, lang="en")
    assert "existed until December 31, 2024" in english.text
    assert 'href="/doc/gemeente/37012?lang=en"' in english.text  # the choice holds
    empty = requests.get(server.url + "/zoeken", headers={"Accept": "text/html"}, timeout=30)
    assert empty.status_code == 200
    check_page(empty.text)


class Forms(HTMLParser):
    """The GET forms of a page with the names of their inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str | None, str | None, list[str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.forms.append((found.get("action"), found.get("method"), []))
        elif tag == "input" and self.forms:
            self.forms[-1][2].append(found.get("name"))


@pytest.mark.parametrize("path", ["/", "/actoren", "/gemeenten", "/doc/organisatie/mariasteen",
                                  "/sparql", "/dumps/", "/zoeken?q=Tielt", "/bestaat-niet"])
def test_search_box_on_every_page(server: ServerProcess, path: str) -> None:
    answer = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=30)
    forms = Forms()
    forms.feed(answer.text)
    assert ("/zoeken", "get", ["q"]) in forms.forms, path


def test_the_search_box_works_without_javascript(server: ServerProcess) -> None:
    """What the box sends (a GET of /zoeken with q) is a result page."""
    answer = requests.get(server.url + "/zoeken?q=Mariasteen+vzw",
                          headers={"Accept": "text/html"}, timeout=30)
    assert '<a href="/doc/organisatie/mariasteen">Mariasteen</a>' in answer.text


@pytest.mark.parametrize(("query", "first"), [
    ("Meul", MEULEBEKE), ("mariast", MARIASTEEN), ("industriële", INDUSTRY),
    ("coordinatie", TROEV_OFFICE), ("sint-eloois-w", SERRES), ("Mariasteen vzw", MARIASTEEN)])
def test_suggest(server: ServerProcess, query: str, first: str) -> None:
    suggestions = suggest(server, query)
    assert suggestions[0]["iri"] == first
    assert all(set(s) == {"label", "matched", "iri", "href", "kind", "municipality",
                          "valid_through"} for s in suggestions)


def test_suggest_is_prefix_based(server: ServerProcess) -> None:
    suggestions = suggest(server, "krin", limit=20)
    assert suggestions
    assert all(any(word.startswith("krin") for word in s["matched"].lower().split())
               for s in suggestions)
    assert len(suggest(server, "krin", limit=2)) == 2
    assert suggest(server, "Lannoo") == []  # descriptions are not suggested


# (path, parameters, the parameter the error names)
BAD = [
    ("/zoeken.json", {}, "q"),
    ("/zoeken.json", {"q": "  "}, "q"),
    ("/zoeken.json", {"q": "x" * 201}, "q"),
    ("/zoeken.json", {"q": "Tielt", "limit": "0"}, "limit"),
    ("/zoeken.json", {"q": "Tielt", "limit": "101"}, "limit"),
    ("/zoeken.json", {"q": "Tielt", "limit": "ten"}, "limit"),
    ("/zoeken", {"q": "x" * 201}, "q"),
    ("/zoeken/suggesties", {}, "q"),
    ("/zoeken/suggesties", {"q": "x" * 201}, "q"),
    ("/zoeken/suggesties", {"q": "Tielt", "limit": "21"}, "limit"),
    ("/zoeken/suggesties", {"q": "Tielt", "limit": "-1"}, "limit"),
]


@pytest.mark.parametrize(("path", "params", "parameter"), BAD)
def test_bad_parameters(server: ServerProcess, path: str, params: dict[str, str],
                        parameter: str) -> None:
    answer = requests.get(server.url + path, params=params,
                          headers={"Accept": "application/json"}, timeout=30)
    assert answer.status_code == 400
    assert f"'{parameter}'" in answer.json()["error"]


def test_nothing_found(server: ServerProcess) -> None:
    assert search(server, "qqqzzzxxx") == []
    assert search(server, "!!!") == []  # no words at all
    assert suggest(server, '"') == []
