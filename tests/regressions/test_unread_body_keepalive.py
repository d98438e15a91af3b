"""Regression: the request after a refused large body failed on a keep-alive connection.

When the application answered without reading a request body (413 for a too-large query, 415,
405, ...), gunicorn answered ``Connection: keep-alive``, then drained at most 64 KiB of the
unread body and closed the connection: the client's next request on it failed with "Remote
end closed connection without response". Such answers now say ``Connection: close``; since
the front (web/front/) reads every body before the application runs, none is left unread.
"""

from __future__ import annotations

import pytest
import requests

from tests.web.helpers import ServerProcess

pytestmark = pytest.mark.server

BIG = b"ASK {} #" + b"x" * 500_000  # over the body limit: refused unread (413)
MEDIUM = b"x" * 200_000  # under the limit, but more than gunicorn drains


@pytest.mark.parametrize(("method", "path", "body", "content_type", "status"), [
    ("POST", "/sparql", BIG, "application/sparql-query", 413),
    ("POST", "/sparql", MEDIUM, "text/plain", 415),
    ("POST", "/", MEDIUM, "application/octet-stream", 405),
    ("GET", "/health", MEDIUM, "application/octet-stream", 200),
])
def test_the_next_request_on_the_connection_succeeds(
        server: ServerProcess, method: str, path: str, body: bytes, content_type: str,
        status: int) -> None:
    with requests.Session() as session:
        for _ in range(3):
            refused = session.request(method, server.url + path, data=body, timeout=20,
                                      headers={"Content-Type": content_type})
            assert refused.status_code == status
            after = session.get(server.url + "/health", timeout=20)
            assert after.status_code == 200
