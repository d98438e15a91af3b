"""A short fuzzing run against the real server (``midwest-lod serve``: granian and the front):
the same requests as test_http.py over a socket, so granian's own parsing is part of it, plus
raw request lines with bytes that are not UTF-8.

granian (or the front, for a bad body) refuses some requests before the application sees them
(bytes it cannot parse: 400). Those answers are not the application's (no
headers of ours: they are recognised by the missing ``Referrer-Policy`` every answer of the
application has); they must still be below 500 and leak nothing.
"""

from __future__ import annotations

import http.client
import os
import socket
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import MARKER, Request, problems, requests_
from tests.web.helpers import ServerProcess

pytestmark = [pytest.mark.server, pytest.mark.slow]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0) or 250


def _target(request: Request) -> str:
    target = quote(request.path, safe="/%:@!$&'()*+,;=~-._")
    if request.params:
        target += "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}"
                                 for k, v in request.params)
    return target


def _send(server: ServerProcess, request: Request) -> tuple[int, dict[str, str], bytes]:
    target = _target(request)
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.putrequest(request.method, target, skip_accept_encoding=True)
        for name, value in request.headers.items():
            connection.putheader(name, value.encode("latin-1"))
        body = request.body or b""
        if body or request.method in ("POST", "PUT", "PATCH"):
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body or None)
        response = connection.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), data
    finally:
        connection.close()


def _check(request: Request, status: int, headers: dict[str, str], body: bytes) -> None:
    found = problems(request, status, headers, body)
    ours = any(k.lower() == "referrer-policy" for k in headers)
    if not ours:  # refused by granian itself: only its own headers
        assert 400 <= status < 500, (status, request, body[:300])
        found = [f for f in found if "nosniff" not in f and "Content-Security" not in f]
    assert not found, (found, request, status, body[:500])


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(request=requests_())
def test_any_request_to_the_real_server(server: ServerProcess, request: Request) -> None:
    if request.method == "HEAD":
        request.method = "GET"  # http.client would wait for a body that HEAD does not have
    # keep request lines short (long ones are test_guardrails.py's)
    assume(len(_target(request)) < 4000)
    status, headers, body = _send(server, request)
    _check(request, status, headers, body)


@settings(max_examples=min(EXAMPLES, 100), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(min_size=1, max_size=40),
       prefix=st.sampled_from([b"/id/", b"/doc/", b"/dumps/", b"/", b"/sparql?query="]))
def test_raw_bytes_in_the_request_line(server: ServerProcess, raw: bytes, prefix: bytes) -> None:
    parts = urlsplit(server.url)
    target = (prefix + raw).replace(b" ", b"%20").replace(b"\r", b"").replace(b"\n", b"")
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split()[1])
    headers = dict(line.split(": ", 1) for line in header_lines if ": " in line)
    if headers.get("Transfer-Encoding") == "chunked":
        body = _unchunk(body)
    _check(Request("GET", target.decode("latin-1")), status, headers, body)


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2:]
    return out


def test_marker_is_escaped_in_html_errors(server: ServerProcess) -> None:
    request = Request("GET", "/doc/" + quote(MARKER), headers={"Accept": "text/html"})
    status, headers, body = _send(server, request)
    assert status == 404
    assert MARKER.encode() not in body and b"&lt;x-fuzz&gt;" in body
    _check(request, status, headers, body)
