"""Fixtures of the browser tests: one headless Chromium per test module (``browser``) on the
session's real server process over the real publication (``server``, tests/conftest.py).

After every test: no request of the pages to another origin, no Content-Security-Policy
violation. Without Chromium, chromedriver or axe-core the tests are skipped with a hint; when
``CI`` is set (``.ci/run``) that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.browser.harness import Browser, chromium, missing_tools
from tests.web.helpers import ServerProcess

INSTALL = ("apt-get install -y chromium chromium-driver; "
           "npm ci --prefix frontend --ignore-scripts (axe-core)")


def require_tools() -> None:
    missing = missing_tools()
    if not missing:
        return
    message = f"browser tests need {', '.join(missing)} ({INSTALL})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI is set, so this is a failure, not a skip", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def origin(server: ServerProcess) -> str:
    return server.url


def _browser(javascript: bool) -> Iterator[Browser]:
    require_tools()
    with chromium(javascript=javascript) as opened:
        opened.drain_requests()  # the browser's own start-up tab is not one of our pages
        opened.requests.clear()
        yield opened


@pytest.fixture(scope="module")
def module_browser() -> Iterator[Browser]:
    yield from _browser(javascript=True)


@pytest.fixture(scope="module")
def module_browser_without_scripts() -> Iterator[Browser]:
    yield from _browser(javascript=False)


def _checked(opened: Browser, origin: str) -> Iterator[Browser]:
    yield opened
    assert opened.other_origin_requests(origin) == []
    assert opened.csp_violations() == []


@pytest.fixture
def browser(module_browser: Browser, origin: str) -> Iterator[Browser]:
    """The module's Chromium; after the test, nothing from elsewhere and no CSP violation."""
    yield from _checked(module_browser, origin)


@pytest.fixture
def browser_without_scripts(module_browser_without_scripts: Browser, origin: str
                            ) -> Iterator[Browser]:
    """A Chromium with JavaScript switched off (the plain form must work)."""
    yield from _checked(module_browser_without_scripts, origin)
