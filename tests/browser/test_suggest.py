"""The search box's suggestions in a real browser (the ARIA combobox pattern): typing shows
names from /zoeken/suggesties (this origin only), the arrow keys and Enter open one, Escape
closes the list; axe finds nothing serious with the list open; in English too."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.harness import Browser

pytestmark = [pytest.mark.browser, pytest.mark.server]


def _open_list(browser: Browser, origin: str, path: str, text: str) -> list[str]:
    d = browser.driver
    d.get(origin + path)
    box = d.find_element(By.ID, "zoekvak")
    browser.wait(lambda: box.get_attribute("role") == "combobox", "the script to set up the box")
    box.send_keys(text)
    options = browser.wait(lambda: [o.text for o in d.find_elements(
        By.CSS_SELECTOR, "#zoekvak-suggesties [role=option]") if o.is_displayed()],
        "suggestions")
    assert box.get_attribute("aria-expanded") == "true"
    return options


def test_typing_suggests_and_enter_opens(browser: Browser, origin: str) -> None:
    options = _open_list(browser, origin, "/", "Marias")
    assert options[0].startswith("Mariasteen")
    d = browser.driver
    status = d.find_element(By.CSS_SELECTOR, "form.search-box [role=status]").text
    assert "suggestie" in status
    assert browser.axe() == []
    box = d.find_element(By.ID, "zoekvak")
    box.send_keys(Keys.ARROW_DOWN)
    active = box.get_attribute("aria-activedescendant")
    assert d.find_element(By.ID, active).get_attribute("aria-selected") == "true"
    box.send_keys(Keys.ENTER)
    browser.wait(lambda: d.current_url.endswith("/doc/organisatie/mariasteen"),
                 "the chosen organisation's page")
    suggested = [r["url"] for r in browser.drain_requests() if "/zoeken/suggesties" in r["url"]]
    assert suggested and all(url.startswith(origin) for url in suggested)


def test_escape_closes_and_enter_searches(browser: Browser, origin: str) -> None:
    _open_list(browser, origin, "/actoren", "Tielt")
    d = browser.driver
    box = d.find_element(By.ID, "zoekvak")
    box.send_keys(Keys.ESCAPE)
    browser.wait(lambda: box.get_attribute("aria-expanded") == "false", "the list to close")
    assert not d.find_element(By.ID, "zoekvak-suggesties").is_displayed()
    box.send_keys(Keys.ENTER)  # nothing chosen: the form's search
    browser.wait(lambda: "/zoeken?q=Tielt" in d.current_url, "the search page")


def test_suggestions_in_english(browser: Browser, origin: str) -> None:
    _open_list(browser, origin, "/?lang=en", "Roes")
    status = browser.driver.find_element(By.CSS_SELECTOR, "form.search-box [role=status]").text
    assert "suggestion" in status and "suggestie" not in status
