"""Regression: a request body without Content-Length (chunked) was read to its end.

The 413 check of /sparql looked at Content-Length only, so a chunked POST of any size was read
into memory before the query length was checked. The application now sets Flask's
MAX_CONTENT_LENGTH (from max_query_length), which werkzeug enforces while reading the stream.
"""

from __future__ import annotations

import io

from flask import Flask


class EndlessBody(io.RawIOBase):
    """A request body that never ends; counts what was read."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self.read_bytes > 20_000_000:  # without the limit: fail, do not hang
            raise OSError("read 20 MB of an endless body")
        n = len(buffer)
        buffer[:n] = b"#" * n
        self.read_bytes += n
        return n


def test_a_chunked_body_is_not_read_past_the_limit(app: Flask) -> None:
    limit = app.extensions["midwest_lod"].settings.max_query_length
    for content_type in ("application/sparql-query", "application/x-www-form-urlencoded"):
        body = EndlessBody()
        response = app.test_client().post(
            "/sparql", headers={"Content-Type": content_type, "Accept": "text/plain",
                     "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input": body, "wsgi.input_terminated": True})
        assert response.status_code == 413, content_type
        assert body.read_bytes <= 4 * limit + 4096 + 65536
        assert "Traceback" not in response.get_data(as_text=True)


def test_a_chunked_form_body_under_the_limit_is_read_whole(app: Flask) -> None:
    body = io.BytesIO(b"query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
    response = app.test_client().post(
        "/sparql", headers={"Content-Type": "application/x-www-form-urlencoded",
                            "Accept": "application/sparql-results+json",
                            "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input": body, "wsgi.input_terminated": True})
    assert response.status_code == 200
    assert response.get_json()["boolean"] is True
