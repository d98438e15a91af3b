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
