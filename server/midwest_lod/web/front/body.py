"""Reading a request body on the event loop, bounded in size and in time, before any thread
is taken: a client that sends slowly, or sends less than it announced, holds a coroutine
until the deadline and then gets 408, never a thread of the application."""

from __future__ import annotations

import asyncio
from typing import Any

#: What a refused request is answered: status and the reason in plain text.
TOO_LARGE = (413, "Request body too large")
TOO_SLOW = (408, "Request body not received in time")
BAD_LENGTH = (400, "Bad Content-Length")


class Refused(Exception):
    """The body cannot be taken; ``answer`` is the status and reason to answer."""

    def __init__(self, answer: tuple[int, str]) -> None:
        super().__init__(answer[1])
        self.answer = answer


class Gone(Exception):
    """The client went away before the end of its body: nobody to answer."""


def announced_length(content_length: str | None, transfer_encoding: str | None,
                     max_bytes: int) -> int | None:
    """The body a request announces: its ``Content-Length``, -1 for a chunked body, None
    when it has none; :class:`Refused` for a bad length or one over ``max_bytes``."""
    if transfer_encoding and "chunked" in transfer_encoding.lower():
        return -1
    if content_length is None:
        return None
    text = content_length.strip()
    if not (text.isascii() and text.isdigit()):  # no sign, no spaces inside, no list of lengths
        raise Refused(BAD_LENGTH)
    length = int(text)
    if length > max_bytes:
        raise Refused(TOO_LARGE)
    return length


async def read_body(proto: Any, max_bytes: int, deadline: float) -> bytes:
    """The whole body from granian's RSGI ``proto``, within ``deadline`` seconds and
    ``max_bytes`` bytes (:class:`Refused` with 408 or 413), or :class:`Gone`."""
    parts: list[bytes] = []
    size = 0

    async def read() -> None:
        nonlocal size
        async for chunk in proto:
            size += len(chunk)
            if size > max_bytes:
                raise Refused(TOO_LARGE)
            parts.append(chunk)

    try:
        await asyncio.wait_for(read(), deadline)
    except TimeoutError:
        raise Refused(TOO_SLOW) from None
    except Refused:
        raise
    except Exception as exc:  # granian's protocol error: the connection is gone
        raise Gone from exc
    return b"".join(parts)


def plain(status: int, text: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """A short plain-text answer that closes the connection (its body may be unread)."""
    body = (text + "\n").encode()
    return status, [("content-type", "text/plain; charset=utf-8"),
                    ("content-length", str(len(body))), ("connection", "close"),
                    ("x-content-type-options", "nosniff")], body
