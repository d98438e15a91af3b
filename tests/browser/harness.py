"""A real headless Chromium (Debian's chromium + chromium-driver) driven by Selenium.

* every request a page makes is recorded (CDP Network events via chromedriver's performance
  log); Chromium's own background traffic (update checks in other targets) is not the pages'
  and is stopped by the resolver rule below;
* names that are not this machine do not resolve (``--host-resolver-rules``): a stray request
  fails at once instead of waiting for a network CI does not have, and is still recorded;
* Content-Security-Policy violations are collected in the page (a listener installed through
  CDP before any page script runs; CDP scripts are not subject to the page's CSP);
* axe-core (from the npm registry: ``frontend/node_modules/axe-core/axe.min.js``, installed by
  ``npm ci --prefix frontend``) runs in the page.

Without Chromium, its driver or axe-core the browser tests are skipped with a hint, and fail
when ``CI`` is set (``.ci/run`` installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
AXE = Path(os.environ.get(
    "AXE_JS", Path(__file__).parents[2] / "frontend/node_modules/axe-core/axe.min.js"))

FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-quic", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection", "--metrics-recording-only",
    "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,"
    "NetworkTimeServiceQuerying,PreconnectToSearch,SearchPrefetchServicePrefetching,"
    "NavigationPredictor,Prerender2,ChromeWhatsNewUI,SigninInterceptBubble,"
    "CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions",
    # only this machine resolves: a request elsewhere fails fast (and is still recorded)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--window-size=1280,1024", "--lang=nl-BE",
]

CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push({
  directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
  source: e.sourceFile, line: e.lineNumber, column: e.columnNumber}));
"""

LOCAL_SCHEMES = ("data:", "blob:", "about:", "chrome-error:")


@dataclass
class Browser:
    driver: webdriver.Chrome
    requests: list[dict[str, Any]] = field(default_factory=list)

    # ---- what happened ------------------------------------------------------------------
    def drain_requests(self) -> list[dict[str, Any]]:
        """Requests since the last call: {url, type, initiator, document} (CDP events)."""
        found = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method, params = message["method"], message.get("params", {})
            if method == "Network.requestWillBeSent":
                found.append({"url": params["request"]["url"], "type": params.get("type"),
                              "initiator": params.get("initiator", {}).get("type"),
                              "document": params.get("documentURL")})
            elif method == "Network.webSocketCreated":
                found.append({"url": params["url"], "type": "WebSocket"})
        self.requests += found
        return found

    def other_origin_requests(self, origin: str) -> list[dict[str, Any]]:
        self.drain_requests()
        return [r for r in self.requests if not r["url"].startswith(LOCAL_SCHEMES)
                and _origin(r["url"]) != origin
                # the browser's own pages (its new-tab page in the first tab) are not ours
                and not (r.get("document") or "").startswith(("chrome:", "chrome-untrusted:"))]

    def csp_violations(self) -> list[dict[str, Any]]:
        """Violations caused by the page. Scripts the harness injects (axe-core adds <style>
        elements) have no source URL; the page's own scripts and markup always have one."""
        found: list[dict[str, Any]] = self.driver.execute_script("return window.__csp || []")
        return [v for v in found if v.get("source")]

    def console_errors(self) -> list[dict[str, Any]]:
        """SEVERE console entries, except the CSP reports of harness-injected scripts
        (message "security <line> ...", without a URL)."""
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"
                and not (e.get("source") == "security" and e["message"].startswith("security "))]

    def axe(self, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
        """axe-core violations of the given impacts on the current page."""
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(AXE.read_text(encoding="utf-8"))
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then((r) => done(r.violations), (e) => done({error: String(e)}));")
        if isinstance(result, dict):
            raise RuntimeError(f"axe-core failed: {result['error']}")
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result if v["impact"] in impacts]

    def wait(self, condition: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
        """Poll `condition` until it returns something truthy; fail after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            time.sleep(0.05)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def missing_tools() -> list[str]:
    """What the browser tests need and this machine lacks."""
    return [str(path) for path in (Path(CHROMIUM), Path(CHROMEDRIVER), AXE) if not path.exists()]


@contextmanager
def chromium(*, javascript: bool = True) -> Iterator[Browser]:
    """A fresh headless Chromium (own profile folder, removed afterwards)."""
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile / 'data'}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    # a Flemish visitor's browser (Accept-Language: nl-BE, nl); a page in English is asked for
    # with ?lang=en (headless Chromium would otherwise send en-US and get English pages)
    prefs: dict[str, Any] = {"intl.accept_languages": "nl-BE,nl"}
    options.add_argument("--accept-lang=nl-BE,nl")
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not download anything
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
        driver.set_script_timeout(30)
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
