"""The bridge from the event loop to the WSGI application: a WSGI ``environ`` from granian's
RSGI scope and the body the front has read, the application run on a thread of our own pool,
and its answer handed back to the loop as bytes, a file path or a stream.

Hand-written (docs/decisions/0018-serving.md): the libraries that put a WSGI application
behind an event loop (a2wsgi, asgiref) take the thread before the body is read, and cost
twice as much per request as this bridge in the trial.
"""

from __future__ import annotations

import asyncio
import io
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: A response body larger than this is sent in parts as the application yields it.
STREAM_ABOVE = 1 << 20

WSGIApp = Callable[..., Iterable[bytes]]


class FileWrapper:
    """``wsgi.file_wrapper``: a file the application sends whole (the dumps) goes out from
    granian's Rust side (``response_file``) instead of through Python."""

    def __init__(self, file: Any, block_size: int = 65536) -> None:
        self.file = file
        self.block_size = block_size

    def __iter__(self) -> Iterator[bytes]:
        return iter(lambda: self.file.read(self.block_size), b"")

    def close(self) -> None:
        self.file.close()


class Pool:
    """A fixed set of threads fed by one queue; each result comes back to the loop as an
    asyncio future (one ``call_soon_threadsafe`` per call)."""

    def __init__(self, size: int) -> None:
        self.jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        for number in range(size):
            threading.Thread(target=self._work, name=f"web-{number}", daemon=True).start()

    def submit(self, function: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.jobs.put((loop, future, function, args))
        return future

    def _work(self) -> None:
        while True:
            loop, future, function, args = self.jobs.get()
            try:
                result = function(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
                loop.call_soon_threadsafe(_set_exception, future, exc)
            else:
                loop.call_soon_threadsafe(_set_result, future, result)


def _set_result(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():
        future.set_result(result)


def _set_exception(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


class Answer:
    """What the application answered: status, headers, and the body as bytes, a file to
    send, or (past :data:`STREAM_ABOVE`) the first bytes and an iterator for the rest."""

    __slots__ = ("status", "headers", "body", "file", "rest")

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[str, str]] = []
        self.body = b""
        self.file: str | None = None
        self.rest: tuple[Iterator[bytes], Iterable[bytes]] | None = None


def call_wsgi(app: WSGIApp, environ: dict[str, Any]) -> Answer:
    """Run the WSGI application to its first :data:`STREAM_ABOVE` bytes (nearly always all)."""
    answer = Answer()
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None
                       ) -> Callable[[bytes], None]:
        answer.status = int(status[:3])
        answer.headers = headers
        return chunks.append

    result = app(environ, start_response)
    if isinstance(result, FileWrapper) and isinstance(getattr(result.file, "name", None), str):
        answer.file = result.file.name
        result.close()
        return answer
    size = 0
    iterator = iter(result)
    for chunk in iterator:
        chunks.append(chunk)
        size += len(chunk)
        if size > STREAM_ABOVE:
            answer.rest = (iterator, result)
            break
    else:
        _close(result)
    answer.body = b"".join(chunks)
    return answer


def next_part(rest: tuple[Iterator[bytes], Iterable[bytes]]) -> bytes:
    """The next bytes of a streamed answer (about :data:`STREAM_ABOVE`); empty at its end."""
    iterator, result = rest
    parts: list[bytes] = []
    size = 0
    for chunk in iterator:
        parts.append(chunk)
        size += len(chunk)
        if size > STREAM_ABOVE:
            return b"".join(parts)
    _close(result)
    return b"".join(parts)


def close_rest(rest: tuple[Iterator[bytes], Iterable[bytes]]) -> None:
    _close(rest[1])


def _close(result: Iterable[bytes]) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


_BASE_ENVIRON: dict[str, Any] = {
    "SCRIPT_NAME": "", "wsgi.version": (1, 0), "wsgi.errors": sys.stderr,
    "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    "wsgi.file_wrapper": FileWrapper,
}
_SPECIAL = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}
_KEYS: dict[str, str] = {}


def _key(name: str) -> str:
    key = _KEYS.get(name)
    if key is None:
        key = _SPECIAL.get(name) or "HTTP_" + name.upper().replace("-", "_")
        if len(_KEYS) < 512:  # the usual header names, not whatever a client invents
            _KEYS[name] = key
    return key


def header_environ(headers: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The base ``environ`` with the request's headers (repeated ones joined by commas)."""
    environ = dict(_BASE_ENVIRON)
    for name, value in headers:
        key = _key(name.lower())
        if key in environ:
            environ[key] += "," + value
        else:
            environ[key] = value
    return environ


def complete_environ(environ: dict[str, Any], scope: Any, body: bytes | None) -> None:
    """Add what the RSGI ``scope`` says of the request, and the body read by the front."""
    host, _, port = scope.client.rpartition(":")
    server_host, _, server_port = scope.server.rpartition(":")
    path, query = scope.path, scope.query_string
    if body is not None:
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.update({
        "REQUEST_METHOD": scope.method,
        # WSGI's PATH_INFO: the percent-decoded bytes, as latin-1 (PEP 3333)
        "PATH_INFO": path if path.isascii() else path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query if query.isascii() else query.encode("utf-8").decode("latin-1"),
        "SERVER_NAME": server_host.strip("[]"), "SERVER_PORT": server_port,
        "REMOTE_ADDR": host.strip("[]"), "REMOTE_PORT": port,
        "SERVER_PROTOCOL": "HTTP/" + scope.http_version,
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": io.BytesIO(body or b""),
    })
