"""Slow and lying HTTP clients on loopback, bounded in number and in time, for the serving
tests: raw sockets that send part of a request and then stall."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

#: The head of a request that never ends (the blank line that ends a head is never sent).
PARTIAL_HEAD = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: "
#: A POST that announces a larger body than it sends (``LIE_SENT`` bytes of ``LIE_LENGTH``).
LIE_LENGTH = 1000
LIE_SENT = 10


def lying_post(length: int = LIE_LENGTH, sent: int = LIE_SENT) -> bytes:
    body = (b"query=" + b"A" * length)[:sent]
    return (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(length).encode() + b"\r\n\r\n" + body)


class Stalled:
    """A connection that sent ``data`` and then stalls; it notes what the server answers and
    whether the server closed it."""

    def __init__(self, url: str, data: bytes) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        self.sock.sendall(data)
        self.sock.setblocking(False)
        self.received = b""
        self.closed_by_server = False

    def poll(self) -> bool:
        """Read what has arrived; True once the server has closed the connection."""
        while not self.closed_by_server:
            try:
                chunk = self.sock.recv(65536)
            except BlockingIOError:
                return False
            except (ConnectionResetError, BrokenPipeError):
                self.closed_by_server = True
            else:
                if not chunk:
                    self.closed_by_server = True
                self.received += chunk
        return True

    @property
    def status(self) -> int | None:
        """The status of the server's answer, if it sent one."""
        if not self.received.startswith(b"HTTP/1.1 "):
            return None
        return int(self.received.split(b" ", 2)[1])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


@contextlib.contextmanager
def stalled(url: str, data: bytes, count: int) -> Iterator[list[Stalled]]:
    """``count`` connections that sent ``data`` and stall, closed on the way out."""
    connections: list[Stalled] = []
    try:
        for _ in range(count):
            connections.append(Stalled(url, data))
        yield connections
    finally:
        for connection in connections:
            connection.close()
