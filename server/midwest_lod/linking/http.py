"""A polite HTTP client for outside registries: timeouts, retries with backoff, a pause.

Retries are requests' own mechanism (``HTTPAdapter`` with a urllib3 ``Retry``): connection
errors, read timeouts and the answers 429, 500, 502, 503 and 504 are retried up to
``http_retries`` times, waiting ``max(http_min_interval, 0.1) × 2^(n-1)`` seconds (at most 30)
before retry *n*, or what the server's ``Retry-After`` asks (capped at :data:`RETRY_AFTER_MAX`
seconds). Between two requests of one client there are at least ``http_min_interval`` seconds.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping
from itertools import takewhile
from types import TracebackType
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from midwest_lod import __version__
from midwest_lod.config import Settings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_MAX = 120
USER_AGENT = f"midwest-lod/{__version__} (+https://data.midwest.be)"


#: urllib3 ≥ 2.5 caps the wait a server may ask for; older versions wait what it says.
_RETRY_AFTER_CAP: dict[str, Any] = (
    {"retry_after_max": RETRY_AFTER_MAX}
    if "retry_after_max" in inspect.signature(Retry.__init__).parameters else {})


class _Backoff(Retry):
    """Exponential backoff that waits before the first retry too (urllib3 does not)."""

    def get_backoff_time(self) -> float:
        errors = len(list(takewhile(lambda h: h.redirect_location is None,
                                    reversed(self.history))))
        if errors == 0:
            return 0.0
        return float(min(self.backoff_max, self.backoff_factor * 2 ** (errors - 1)))


class PoliteClient:
    """GET requests with the settings' timeout, retries and minimum interval."""

    def __init__(self, settings: Settings, *, headers: Mapping[str, str] | None = None) -> None:
        self.timeout = settings.http_timeout
        self.retries = max(0, settings.http_retries)
        self.min_interval = max(0.0, settings.http_min_interval)
        retry = _Backoff(
            total=self.retries, connect=self.retries, read=self.retries, status=self.retries,
            other=0, redirect=5, allowed_methods=frozenset({"GET"}),
            status_forcelist=RETRY_STATUSES, backoff_factor=max(self.min_interval, 0.1),
            backoff_max=30, respect_retry_after_header=True, raise_on_status=False,
            **_RETRY_AFTER_CAP,
        )
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": USER_AGENT, **(headers or {})})
        self._last = 0.0

    def prepare_url(self, url: str, params: Mapping[str, str]) -> str:
        """The URL a GET of ``url`` with ``params`` asks for (what provenance records)."""
        prepared = requests.Request("GET", url, params=dict(params)).prepare()
        return str(prepared.url)

    def get(self, url: str) -> requests.Response:
        """GET ``url`` (already with its query). Raises ``requests.RequestException`` on
        connection errors and timeouts that outlast the retries; any status is returned."""
        wait = self._last + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            return self.session.get(url, timeout=self.timeout)
        finally:
            self._last = time.monotonic()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
