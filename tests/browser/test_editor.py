"""The query editor in a real browser: an example run through the editor (table, links to our
pages with labels, sorting, chart, downloads, snippets, permalinks), completion, errors with
their position, the keyboard. After every test (``browser`` fixture): nothing from another
origin, no CSP violation."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser.harness import Browser

pytestmark = [pytest.mark.browser, pytest.mark.server]

SHADOW = "document.querySelector('.editor-host').shadowRoot"
MW = "https://data.midwest.be/ns/sociale-economie#"


def open_editor(b: Browser, url: str) -> None:
    b.driver.get(url)
    b.wait(lambda: b.driver.execute_script(
        f"return {SHADOW}?.querySelector('.cm-content') != null"), "the editor")


def content(b: Browser) -> Any:
    return b.driver.execute_script(f"return {SHADOW}.querySelector('.cm-content')")


def set_text(b: Browser, text: str) -> None:
    b.driver.execute_script(
        "const e = window.workbench.editor; e.setText(arguments[0]);"
        "e.view.dispatch({selection: {anchor: arguments[0].length}}); e.view.focus();", text)


def doc(b: Browser) -> str:
    text: str = b.driver.execute_script("return window.workbench.editor.text()")
    return text


def wait_for_completion(b: Browser, text: str) -> None:
    """Until the selected completion shows ``text`` and the list has not changed for 150 ms
    (CodeMirror ignores Enter for 75 ms after the list changes: its interactionDelay)."""
    b.driver.execute_script(
        f"const root = {SHADOW}; window.__changed = performance.now();"
        "new MutationObserver(() => { window.__changed = performance.now(); })"
        ".observe(root, {subtree: true, childList: true, characterData: true, "
        "attributes: true});")
    b.wait(lambda: b.driver.execute_script(
        f"const li = {SHADOW}.querySelector('.cm-tooltip-autocomplete li[aria-selected]');"
        "return !!li && li.textContent.includes(arguments[0])"
        " && performance.now() - window.__changed > 150;", text), f"the completion {text!r}")


def test_example_through_the_editor(browser: Browser, origin: str) -> None:
    d = browser.driver
    open_editor(browser, f"{origin}/sparql")
    assert browser.axe() == []
    Select(d.find_element(By.ID, "example-select")).select_by_value("themas")
    assert "COUNT(DISTINCT ?actor)" in doc(browser)
    content(browser).send_keys(Keys.CONTROL, Keys.ENTER)
    rows = browser.wait(lambda: d.find_elements(By.CSS_SELECTOR, "#result-table tbody tr"),
                        "result rows")
    assert len(rows) >= 2
    # our IRIs link to our own pages, with their labels beside them
    link = d.find_element(By.CSS_SELECTOR, "#result-table tbody td a")
    assert link.get_attribute("href").startswith(f"{origin}/id/concept/Thema/")
    assert d.find_elements(By.CSS_SELECTOR, "#result-table tbody td .label")
    # sortable: ascending by count after one click
    d.find_elements(By.CSS_SELECTOR, "#result-table th button.sort")[2].click()
    assert d.find_elements(By.CSS_SELECTOR, "#result-table th")[2].get_attribute(
        "aria-sort") == "ascending"
    counts = [int(r.find_elements(By.TAG_NAME, "td")[2].text.split()[0])
              for r in d.find_elements(By.CSS_SELECTOR, "#result-table tbody tr")]
    assert counts == sorted(counts) and counts[-1] > 0
    # a bar per theme
    assert len(d.find_elements(By.CSS_SELECTOR, "#result-chart svg rect")) == min(len(rows), 40)
    # downloads in every result format, same origin, answering in their format
    hrefs = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "#downloads a")]
    assert len(hrefs) == 4 and all(h.startswith(f"{origin}/sparql?") for h in hrefs)
    csv = d.execute_async_script(
        "fetch(arguments[0]).then(r => r.text()).then(arguments[arguments.length - 1])",
        next(h for h in hrefs if "format=csv" in h))
    assert csv.splitlines()[0].strip() == "thema,naam,actoren"
    # snippets for the current query
    d.find_element(By.CSS_SELECTOR, "details summary").click()
    curl = d.find_element(By.ID, "snippet-curl").get_attribute("textContent")
    assert f"curl '{origin}/sparql'" in curl and "--data-urlencode query=" in curl
    assert "SPARQLWrapper(" in d.find_element(By.ID, "snippet-python").get_attribute(
        "textContent")
    assert "library(httr2)" in d.find_element(By.ID, "snippet-r").get_attribute("textContent")
    # permalink: the address carries the query; the short link opens the same query
    query = doc(browser)
    assert "/sparql?query=" in d.current_url
    d.find_element(By.ID, "shortlink-button").click()
    short = browser.wait(lambda: (v := d.find_element(By.ID, "permalink").get_attribute("value"))
                         and "/sparql/q/" in v and v, "a short link")
    assert browser.axe() == []  # with the results shown
    open_editor(browser, short)
    assert doc(browser) == query


@pytest.mark.parametrize(("lang", "texts"), [
    ("nl", {"label": "SPARQL-vraag", "status": "resultaten", "page": "Pagina 1 van 1",
            "rows": "rijen", "next": "Volgende"}),
    ("en", {"label": "SPARQL query", "status": "results", "page": "Page 1 of 1",
            "rows": "rows", "next": "Next"}),
])
def test_editor_speaks_the_page_language(browser: Browser, origin: str, lang: str,
                                         texts: dict[str, str]) -> None:
    d = browser.driver
    open_editor(browser, f"{origin}/sparql?lang={lang}")
    assert d.execute_script("return document.documentElement.lang") == lang
    assert content(browser).get_attribute("aria-label") == texts["label"]
    Select(d.find_element(By.ID, "example-select")).select_by_value("themas")
    content(browser).send_keys(Keys.CONTROL, Keys.ENTER)
    browser.wait(lambda: d.find_elements(By.CSS_SELECTOR, "#result-table tbody tr"),
                 "result rows")
    message = d.find_element(By.ID, "workbench-message").text
    assert message.split()[-1] == texts["status"], message
    assert d.find_element(By.CSS_SELECTOR, ".pager-status").text == texts["page"]
    caption = d.find_element(By.CSS_SELECTOR, "#result-table caption").text
    assert caption.split()[-1] == texts["rows"], caption
    assert d.find_elements(By.CSS_SELECTOR, ".pager button")[-1].text == texts["next"]
    # the permalink keeps the language chosen with ?lang=
    assert f"lang={lang}" in d.current_url
    assert browser.axe() == []


def test_class_completion_declares_its_prefix(browser: Browser, origin: str) -> None:
    open_editor(browser, f"{origin}/sparql")
    set_text(browser, "SELECT * WHERE {\n  ?s a ")
    content(browser).send_keys("Actor")
    wait_for_completion(browser, "Actor in de sociale economie")
    content(browser).send_keys(Keys.ENTER)
    text = doc(browser)
    assert text.startswith(f"PREFIX mw: <{MW}>\n")
    assert "?s a mw:SocialEconomyActor" in text


def test_entity_completion_by_label_without_accents(browser: Browser, origin: str) -> None:
    open_editor(browser, f"{origin}/sparql")
    set_text(browser, "SELECT * WHERE {\n  ")
    content(browser).send_keys("ecocafe")  # the label is "Ecocafé"
    wait_for_completion(browser, "Ecocafé")
    content(browser).send_keys(Keys.ENTER)
    inserted = doc(browser).split("\n")[1].strip()
    assert inserted.startswith("<https://data.midwest.be/id/") and inserted.endswith(">")


def test_syntax_errors_have_a_position(browser: Browser, origin: str) -> None:
    open_editor(browser, f"{origin}/sparql")
    set_text(browser, "SELECT * WHERE {\n  ?s ?p\n}")
    # as you type: the server's parser, marked at the offending token
    marked = browser.wait(lambda: browser.driver.execute_script(
        f"return {SHADOW}.querySelector('.cm-lintRange-error')?.textContent"), "a lint mark")
    assert marked == "}"
    # when run: the endpoint's error, with line and column
    content(browser).send_keys(Keys.CONTROL, Keys.ENTER)
    message = browser.wait(
        lambda: (t := browser.driver.find_element(By.ID, "workbench-message").text)
        and "regel" in t and t, "the server's error")
    assert "regel 3, kolom 2" in message


def test_keyboard_only(browser: Browser, origin: str) -> None:
    d = browser.driver
    open_editor(browser, f"{origin}/sparql")
    content(browser).click()
    # Tab is not trapped by the editor: it moves on to the next control
    d.switch_to.active_element.send_keys(Keys.TAB)
    assert d.switch_to.active_element.get_attribute("id") == "format"
    content(browser).send_keys(Keys.CONTROL, Keys.ENTER)
    browser.wait(lambda: d.find_elements(By.CSS_SELECTOR, "#result-table tbody tr"), "rows")
    d.find_elements(By.CSS_SELECTOR, "#result-table th button.sort")[0].send_keys(Keys.ENTER)
    assert d.find_elements(By.CSS_SELECTOR, "#result-table th")[0].get_attribute("aria-sort")
