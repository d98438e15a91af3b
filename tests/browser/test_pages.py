"""The site's pages in a real browser: nothing from another origin, no CSP violation (both
checked after every test by the ``browser`` fixture), no serious or critical axe-core finding,
no console error."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.harness import Browser

pytestmark = [pytest.mark.browser, pytest.mark.server]

RESULT = quote("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5")
PAGES = ["/", "/doc/organisatie/mariasteen", "/sparql", "/api/",
         f"/sparql?query={RESULT}&format=html",  # the server's own result table
         "/actoren", "/ns/sociale-economie", "/dumps/", "/zoeken?q=Tielt", "/bestaat-niet",
         "/organisaties?soort=maatwerkbedrijf",
         "/tpf?predicate=" + quote("http://www.w3.org/2000/01/rdf-schema#label", safe=""),
         "/reconcile/preview?id=kringwinkel-midwest",  # OpenRefine frames it
         "/doc/organisatie/troev", "/doc/regio/midwest",  # ended, periods, "stand op"
         "/ldes", "/ldes/1"]  # the event stream's readable view


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["nl", "en"])  # Dutch by default, English on request
def test_page_is_strict_and_accessible(browser: Browser, origin: str, path: str,
                                       lang: str) -> None:
    path = f"{path}{'&' if '?' in path else '?'}lang={lang}"
    browser.driver.get(origin + path)
    assert browser.driver.execute_script("return document.documentElement.lang") == lang
    browser.wait(lambda: browser.driver.execute_script(
        "return document.readyState === 'complete'"), "the page")
    assert browser.driver.find_element("css selector", "h1").text
    assert browser.axe() == []
    loaded = [r["url"] for r in browser.drain_requests()]
    assert any(url.startswith(origin + path.split("?")[0]) for url in loaded)  # recorded
    not_found = path.startswith("/bestaat-niet")  # the browser logs the page's own 404
    assert [e for e in browser.console_errors() if "favicon.ico" not in e["message"]
            and not (not_found and "status of 404" in e["message"])] == []
