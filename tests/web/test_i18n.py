"""The pages' language (web/i18n.py, docs/decisions/0012-page-language.md): every page kind
Dutch by default and English on request, with Content-Language, Vary, hreflang alternates and a
language switch; data values in the page's language or marked with their own; machine formats
with every language."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from midwest_lod.web import i18n
from midwest_lod.web.blueprints.home import INDEXES
from tests.web.test_home import check_page

ASK = quote("ASK { ?s ?p ?o }")
SELECT = quote("SELECT ?s WHERE { ?s a <https://data.midwest.be/ns/sociale-economie#Municipality> "
               "} LIMIT 3")
#: One page of every kind: home, index pages, an actor, a municipality, a concept scheme, the
#: vocabulary, the query page and its own result tables (SELECT and ASK), downloads, search
#: (with and without hits), an unknown page (404) and a bad request (400).
PAGES = [
    "/", *[f"/{index.slug}" for index in INDEXES], "/doc/organisatie/mariasteen",
    "/doc/gemeente/36015", "/doc/conceptscheme/Thema", "/ns/sociale-economie", "/sparql",
    f"/sparql?query={SELECT}&format=html", f"/sparql?query={ASK}&format=html", "/dumps/",
    "/zoeken?q=Tielt", "/zoeken?q=zzzzzz", "/zoeken", "/bestaat-niet", "/zoeken?limit=0",
    "/organisaties", "/organisaties?soort=maatwerkbedrijf", "/catalog",
    "/tpf?predicate=http%3A%2F%2Fwww.w3.org%2F2000%2F01%2Frdf-schema%23label",
    "/ldes", "/ldes/1",
]
#: Words of the interface in each language that the other language's page must not show.
SAMPLES = {"nl": ["Naar de inhoud", "Linked Open Data van de regierol"],
           "en": ["Skip to content", "Linked Open Data of the social economy"]}


def _with(path: str, **params: str) -> str:
    extra = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{path}{'&' if '?' in path else '?'}{extra}"


class Page(HTMLParser):
    """The page's language attributes: the ``<html lang>``, the alternates, the language
    switch, and the text in each language (by the nearest ``lang`` attribute)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.html_lang: str | None = None
        self.alternates: dict[str, str] = {}
        self.switch: dict[str, str] = {}
        self.text: dict[str, list[str]] = {}
        self.hidden_lang: list[str] = []

    def lang(self) -> str:
        return next((lang for _, lang in reversed(self.stack) if lang is not None), "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[str(a["hreflang"])] = str(a.get("href"))
        if tag == "a" and a.get("hreflang"):
            self.switch[str(a["hreflang"])] = str(a.get("href"))
        if tag == "input" and a.get("name") == "lang":
            self.hidden_lang.append(str(a.get("value")))
        if tag not in ("link", "meta", "input", "br", "hr", "img"):
            self.stack.append((tag, a.get("lang")))

    def handle_endtag(self, tag: str) -> None:
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(tag in ("script", "style") for tag, _ in self.stack):
            self.text.setdefault(self.lang(), []).append(data.strip())


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


@pytest.fixture(scope="module")
def store(app: Flask) -> ox.Store:
    store: ox.Store = app.extensions["midwest_lod"].version().store
    return store


# --- every page kind in both languages ---------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_in_both_languages(client: FlaskClient, path: str, lang: str) -> None:
    response = client.get(_with(path, lang=lang), headers={"Accept": "text/html"})
    assert response.status_code in (200, 400, 404)
    text = response.get_data(as_text=True)
    check_page(text, lang=lang)  # well-formed, landmarks, one h1, unique ids, <html lang>
    assert response.headers["Content-Language"] == lang
    assert "Accept-Language" not in response.vary  # the URL says the language
    page = parse(text)
    assert page.html_lang == lang
    other = "en" if lang == "nl" else "nl"
    shown = " ".join(page.text.get(lang, []) + page.text.get("", []))
    assert all(sample in shown for sample in SAMPLES[lang])
    assert not any(sample in shown for sample in SAMPLES[other])
    # alternates: both languages (with lang=) and x-default (without), absolute
    assert set(page.alternates) == {"nl", "en", "x-default"}
    for code in ("nl", "en"):
        assert page.alternates[code].startswith("http://localhost/")
        assert f"lang={code}" in page.alternates[code]
        assert page.switch[code] == page.alternates[code]  # the switch: plain links
    assert "lang=" not in page.alternates["x-default"]
    # the choice holds: links to our pages and the forms keep lang=
    assert f'href="/actoren?lang={lang}"' in text
    assert page.hidden_lang and set(page.hidden_lang) == {lang}


@pytest.mark.parametrize("path", PAGES)
def test_dutch_by_default_english_by_accept_language(client: FlaskClient, path: str) -> None:
    default = client.get(path, headers={"Accept": "text/html"})
    assert default.headers["Content-Language"] == "nl"
    assert "Accept-Language" in default.vary
    assert parse(default.get_data(as_text=True)).html_lang == "nl"
    assert 'href="/actoren"' in default.get_data(as_text=True)  # no lang= when negotiated
    english = client.get(path, headers={"Accept": "text/html",
                                        "Accept-Language": "en-GB,en;q=0.9"})
    assert english.headers["Content-Language"] == "en"
    assert "Accept-Language" in english.vary
    check_page(english.get_data(as_text=True), lang="en")
    if default.status_code == 200 and "ETag" in default.headers:
        assert default.headers["ETag"] != english.headers["ETag"]


@pytest.mark.parametrize(("parameter", "header", "expected"), [
    (None, "", "nl"),
    (None, "en", "en"),
    (None, "en-US,en;q=0.9", "en"),
    (None, "nl-BE,en;q=0.5", "nl"),  # werkzeug's best_match alone would say en
    (None, "fr-BE,fr;q=0.9,en;q=0.8,nl;q=0.7", "en"),
    (None, "de", "nl"),
    (None, "*", "nl"),
    (None, "en;q=0, nl", "nl"),
    ("en", "nl", "en"),
    ("nl", "en", "nl"),
])
def test_choice_of_language(parameter: str | None, header: str, expected: str) -> None:
    chosen = i18n.choose(parameter, header)
    assert chosen.code == expected and chosen.explicit == (parameter is not None)


def test_unknown_lang_is_a_clear_error(client: FlaskClient) -> None:
    response = client.get("/actoren?lang=fr", headers={"Accept": "text/html"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "'lang'" in html.unescape(text) and "nl, en" in text
    check_page(text, lang="nl")


def test_pages_are_revalidated_per_language(client: FlaskClient) -> None:
    for path in ("/", "/actoren", "/doc/organisatie/mariasteen", "/dumps/", "/sparql"):
        dutch = client.get(path, headers={"Accept": "text/html"})
        english = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
        assert dutch.headers["ETag"] != english.headers["ETag"], path
        again = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en",
                                          "If-None-Match": english.headers["ETag"]})
        assert again.status_code == 304, path
        assert "Accept-Language" in again.vary, path
        # the Dutch page's validator does not validate the English page
        other = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en",
                                          "If-None-Match": dutch.headers["ETag"]})
        assert other.status_code == 200 and other.headers["Content-Language"] == "en", path


def test_interface_texts_are_the_catalogues(client: FlaskClient) -> None:
    for lang in ("nl", "en"):
        text = client.get(f"/doc/organisatie/mariasteen?lang={lang}").get_data(as_text=True)
        for key in ("entity.data", "provenance.sources", "entity.other_formats",
                    "site.main_menu"):
            assert str(i18n.catalogue()[key][lang]) in text, (lang, key)


# --- data values ---------------------------------------------------------------------------------

def _one_language_texts(store: ox.Store) -> list[tuple[str, str, str]]:
    """(subject, text, language) of descriptions whose subject has them in one language only."""
    rows = store.query("""
        SELECT ?s (SAMPLE(?d) AS ?text) (SAMPLE(LANG(?d)) AS ?lang) WHERE {
          ?s <http://purl.org/dc/terms/description> ?d
          FILTER (STRSTARTS(STR(?s), "https://data.midwest.be/id/organisatie/"))
        } GROUP BY ?s HAVING (COUNT(DISTINCT LANG(?d)) = 1)""",
        use_default_graph_as_union=True)
    return [(r["s"].value, r["text"].value, r["lang"].value) for r in rows  # type: ignore[index,union-attr]
            if r["lang"].value in ("nl", "en")]  # type: ignore[index,union-attr]


def test_a_text_in_one_language_carries_its_own_lang(client: FlaskClient, store: ox.Store
                                                     ) -> None:
    found = _one_language_texts(store)
    assert found, "the data has descriptions in one language only"
    for subject, description, lang in found[:5]:
        other = "en" if lang == "nl" else "nl"
        path = subject.replace("https://data.midwest.be/id/", "/doc/")
        page = parse(client.get(f"{path}?lang={other}").get_data(as_text=True))
        # shown (as fallback), inside an element that says its own language
        assert any(description[:60] in t for t in page.text.get(lang, [])), (path, lang)
        assert not any(description[:60] in t for t in page.text.get(other, []))


def test_labels_in_the_page_language_and_marked_otherwise(client: FlaskClient) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS

    from midwest_lod.assets import asset_dir

    ontology = Graph().parse(asset_dir("ontology") / "sociale-economie.ttl")
    term = URIRef("https://data.midwest.be/ns/sociale-economie#SocialEconomyActor")
    labels = {lit.language: str(lit) for lit in ontology.objects(term, RDFS.label)
              if isinstance(lit, Literal)}
    assert labels["nl"] != labels["en"]
    for lang, other in (("nl", "en"), ("en", "nl")):
        page = parse(client.get(f"/ns/sociale-economie?lang={lang}").get_data(as_text=True))
        mine = page.text.get(lang, []) + page.text.get("", [])
        assert labels[lang] in mine
        assert labels[other] not in mine + page.text.get(other, [])  # no side-by-side
    # a municipality's name is Dutch: on an English page it says so
    english = parse(client.get("/doc/organisatie/mariasteen?lang=en").get_data(as_text=True))
    assert "Roeselare" in english.text.get("nl", [])


def test_machine_formats_keep_every_language(client: FlaskClient) -> None:
    turtle = client.get("/ns/sociale-economie", headers={"Accept": "text/turtle",
                                                         "Accept-Language": "en"})
    body = turtle.get_data(as_text=True)
    assert "@nl" in body and "@en" in body
    assert "Content-Language" not in turtle.headers
    assert "Accept-Language" not in turtle.vary


# --- the query editor ---------------------------------------------------------------------------

def _config(text: str) -> dict[str, object]:
    import json

    block = text.split('<script type="application/json" id="workbench-config">', 1)[1]
    data: dict[str, object] = json.loads(block.split("</script>", 1)[0])
    return data


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_editor_gets_its_texts_in_the_page_language(client: FlaskClient, lang: str) -> None:
    config = _config(client.get(f"/sparql?lang={lang}").get_data(as_text=True))
    assert config["lang"] == lang and config["keptLang"] == lang
    assert config["messages"] == i18n.section("editor", lang)
    negotiated = _config(client.get("/sparql", headers={"Accept-Language": lang}).get_data(
        as_text=True))
    assert negotiated["lang"] == lang and negotiated["keptLang"] == ""


# --- dates and numbers ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("2025-01-01", "nl", "1 januari 2025"),
    ("2025-01-01", "en", "January 1, 2025"),
    ("2024-12-31T00:00:00Z", "nl", "31 december 2024"),
    ("2025-03", "nl", "maart 2025"),
    ("2025-03", "en", "March 2025"),
    ("1963", "nl", "1963"),
    ("geen datum", "nl", "geen datum"),
])
def test_dates(value: str, lang: str, expected: str) -> None:
    assert i18n.format_date_value(value, lang) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (12345, "nl", "12.345"), (12345, "en", "12,345"), (7, "nl", "7"), (1.5, "nl", "1,5"),
])
def test_numbers(value: float, lang: str, expected: str) -> None:
    assert i18n.number(value, lang) == expected


def test_the_id_redirect_keeps_a_chosen_language(client: FlaskClient) -> None:
    chosen = client.get("/id/organisatie/mariasteen?lang=en", headers={"Accept": "text/html"})
    assert chosen.status_code == 303
    assert chosen.headers["Location"].endswith("/doc/organisatie/mariasteen?lang=en")
    negotiated = client.get("/id/organisatie/mariasteen", headers={"Accept": "text/html"})
    assert negotiated.headers["Location"].endswith("/doc/organisatie/mariasteen")


def test_home_counts_in_the_page_language(client: FlaskClient) -> None:
    for lang in ("nl", "en"):
        text = client.get(f"/?lang={lang}").get_data(as_text=True)
        assert f"<dt>{i18n.catalogue()['home.counts.graphs'][lang]}</dt>" in text


@pytest.mark.parametrize(("href", "expected"), [
    ("/actoren", "/actoren?lang=en"),
    ("/sparql?query=x", "/sparql?query=x&lang=en"),
    ("/ns/sociale-economie#Actor", "/ns/sociale-economie?lang=en#Actor"),
    ("/zoeken?lang=nl", "/zoeken?lang=nl"),
    ("https://example.org/x", "https://example.org/x"),
    ("//example.org/x", "//example.org/x"),
])
def test_links_keep_a_chosen_language(app: Flask, href: str, expected: str) -> None:
    with app.test_request_context("/?lang=en"):
        assert i18n.page_href(href) == expected
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert i18n.page_href(href) == href  # negotiated: the browser asks again
