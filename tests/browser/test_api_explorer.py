"""The API explorer (``/api/``, Swagger UI bundled from swagger-ui-dist) in a real browser: it
renders the catalogue's operations from our OpenAPI document, runs one against this origin,
and stays accessible (axe-core: no serious or critical finding, before and after a response).
After every test (``browser`` fixture): nothing from another origin, no CSP violation."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By

from tests.browser.harness import Browser

pytestmark = [pytest.mark.browser, pytest.mark.server]


def _open(browser: Browser, origin: str) -> None:
    browser.driver.get(f"{origin}/api/")
    browser.wait(lambda: browser.driver.find_elements(By.CSS_SELECTOR, ".opblock"),
                 "the operations")


def test_explorer_lists_every_named_query(browser: Browser, origin: str) -> None:
    _open(browser, origin)
    d = browser.driver
    listing = json.loads(d.execute_script(
        "return fetch('/api/queries').then((r) => r.text())"))
    paths = {e.text.replace("\u200b", "") for e in d.find_elements(
        By.CSS_SELECTOR, ".opblock-summary-path")}
    assert {q["path"] for q in listing["queries"]} <= paths
    assert browser.axe() == []
    assert [e for e in browser.console_errors() if "favicon.ico" not in e["message"]] == []


def test_explorer_runs_a_named_query_here(browser: Browser, origin: str) -> None:
    _open(browser, origin)
    d = browser.driver
    browser.drain_requests()
    operation = d.find_element(By.CSS_SELECTOR, "#operations-cijfers-get_cijfers, .opblock")
    operation.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    browser.wait(lambda: d.find_elements(By.CSS_SELECTOR, ".btn.try-out__btn, .btn.execute"),
                 "try it out")
    if not d.find_elements(By.CSS_SELECTOR, ".btn.execute"):
        d.find_element(By.CSS_SELECTOR, ".btn.try-out__btn").click()
    browser.wait(lambda: d.find_elements(By.CSS_SELECTOR, ".btn.execute"), "Execute")
    d.find_element(By.CSS_SELECTOR, ".btn.execute").click()
    status = browser.wait(lambda: d.find_elements(
        By.CSS_SELECTOR, ".live-responses-table tbody .response-col_status"), "a response")
    assert status[0].text.strip().startswith("200")
    called = [r["url"] for r in browser.drain_requests() if "/api/queries" in r["url"]]
    assert called and all(url.startswith(origin + "/api/queries") for url in called)
    assert browser.axe() == []
