"""The query page with JavaScript switched off: the plain form still runs a query."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.harness import Browser

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_the_form_runs_a_query_without_javascript(browser_without_scripts: Browser,
                                                  origin: str) -> None:
    d = browser_without_scripts.driver
    d.get(origin + "/sparql")
    assert d.find_element(By.ID, "query").is_displayed()  # no editor: the textarea itself
    assert not d.find_elements(By.CSS_SELECTOR, ".editor-host")
    d.find_element(By.ID, "query").clear()
    d.find_element(By.ID, "query").send_keys(
        "PREFIX mw: <https://data.midwest.be/ns/sociale-economie#>\n"
        "SELECT ?nis WHERE { ?m mw:nisCode ?nis } ORDER BY ?nis LIMIT 3")
    d.find_element(By.CSS_SELECTOR, "#query-form button[type=submit]").click()
    rows = browser_without_scripts.wait(
        lambda: d.find_elements(By.CSS_SELECTOR, "#server-result table.results tbody tr"),
        "the server's result table")
    assert len(rows) == 3
    assert "/sparql?query=" in d.current_url
    # (axe-core cannot run with scripts off: test_pages.py checks this result page with them on)


def test_the_language_switch_works_without_javascript(browser_without_scripts: Browser,
                                                       origin: str) -> None:
    d = browser_without_scripts.driver
    d.get(origin + "/doc/organisatie/mariasteen")
    html = d.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "nl"  # the browser asks for Dutch (nl-BE)
    d.find_element(By.CSS_SELECTOR, "nav.languages a[hreflang=en]").click()
    browser_without_scripts.wait(
        lambda: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en",
        "the English page")
    assert d.find_element(By.CSS_SELECTOR, "h2#bronnen").text == "Sources"
    # the choice holds on the next page, and through the search form
    d.find_element(By.CSS_SELECTOR, "header.site nav a[href^='/actoren']").click()
    browser_without_scripts.wait(lambda: "/actoren" in d.current_url, "the actors' index")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    d.find_element(By.ID, "zoekvak").send_keys("Tielt")
    d.find_element(By.CSS_SELECTOR, "form.search-box button").click()
    browser_without_scripts.wait(lambda: "/zoeken" in d.current_url, "the search page")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert d.find_element(By.TAG_NAME, "h1").text == "Search"
    d.find_element(By.CSS_SELECTOR, "nav.languages a[hreflang=nl]").click()
    browser_without_scripts.wait(
        lambda: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl",
        "the Dutch page")
    assert d.find_element(By.TAG_NAME, "h1").text == "Zoeken"
    assert "q=Tielt" in d.current_url  # the same page, in the other language
