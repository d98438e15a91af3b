"""Requests the front refuses before the application sees them: a body over the size cap
(413, by its ``Content-Length`` without reading it, or while reading a chunked one), a bad
``Content-Length`` (400); the connection is closed after each, and the server goes on."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
import requests

from midwest_lod.web.blueprints.sparql import max_body_bytes
from tests.web.helpers import ServerProcess

pytestmark = pytest.mark.server

LIMIT = max_body_bytes(100_000)  # the default max_query_length


def _exchange(server: ServerProcess, data: bytes) -> bytes:
    """Send ``data`` and read until the server closes the connection."""
    parts = urlsplit(server.url)
    received = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(data)
        while chunk := sock.recv(65536):
            received += chunk
    return received


def _head(length: str, extra: bytes = b"") -> bytes:
    return (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/sparql-query\r\nContent-Length: " + length.encode()
            + b"\r\n" + extra + b"\r\n")


def test_an_oversize_body_gets_413_before_it_is_sent(server: ServerProcess) -> None:
    # the head alone: the answer comes without the body, and the connection is closed
    answer = _exchange(server, _head(str(LIMIT + 1)))
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"too large" in answer


def test_an_oversize_chunked_body_gets_413(server: ServerProcess) -> None:
    chunks = iter([b"ASK {} #" + b"x" * 65536] * (LIMIT // 65536 + 2))
    answer = requests.post(server.url + "/sparql", data=chunks, timeout=30,
                           headers={"Content-Type": "application/sparql-query"})
    assert answer.status_code == 413


@pytest.mark.parametrize("length", ["-1", "12abc", "+5", "1,2"])
def test_a_bad_content_length_gets_400_or_is_refused(server: ServerProcess, length: str
                                                      ) -> None:
    answer = _exchange(server, _head(length))
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None
    assert status is None or 400 <= status < 500, answer[:200]  # granian may refuse it first
    assert requests.get(server.url + "/health", timeout=30).status_code == 200


def test_a_body_at_the_limit_is_read(server: ServerProcess) -> None:
    query = b"ASK {} #" + b"x" * (100_000 - 8)
    answer = requests.post(server.url + "/sparql", data=query, timeout=30, headers={
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True
