"""Appending members to the page files of the history, and undoing an append.

Members go, in order, onto pages of ``ldes_page_size`` members; the page that reaches that size
is closed in the same build (``ldes:immutable``; the root links it with its time bounds) and
never written again; only the last, open page grows at its end.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import os
import sys
from pathlib import Path
from typing import IO

from midwest_lod.errors import PublicationError
from midwest_lod.files import fsync_dir
from midwest_lod.history import PAGES, PENDING, EntityInfo, PageInfo, State, page_path
from midwest_lod.iris import Iris
from midwest_lod.pipeline.eventstream.changes import Change
from midwest_lod.stream import member_block, page_closing, page_header


class PageWriter:
    """Appends members to the page files as they come, one page open at a time.

    Starts from ``state`` (the committed index); :attr:`state` becomes the new index. Nothing
    is written before the first member: a build without changes touches no file. New pages
    are new files; the committed open page is cut back to its committed length (dropping what
    a failed build appended) and appended to. A full page is never written again. Until
    :meth:`finish` returns, everything written is undone by :func:`roll_back` with the
    committed index.
    """

    def __init__(self, history: Path, state: State, iris: Iris, *, timestamp: str,
                 version: str, page_size: int) -> None:
        self.history = history
        self.iris = iris
        self.timestamp = timestamp
        self.size = max(1, page_size)
        self.committed_pages = len(state.pages)
        self.committed_open = (state.pages[-1].bytes
                               if state.pages and not state.pages[-1].full else None)
        self.state = dataclasses.replace(
            state, version=version, pages=[copy.copy(page) for page in state.pages],
            entities=dict(state.entities))  # EntityInfo objects are replaced, never changed
        self.members = 0
        self.tombstones = 0
        self._page: PageInfo | None = None
        self._out: IO[bytes] | None = None
        self._digest = hashlib.sha256()
        self._written: list[int] = []  # pages written to, made durable by finish()

    def add(self, change: Change) -> None:
        """Append ``change``'s member (closing the page first when it is full)."""
        if self._page is None:
            self._open()
        assert self._page is not None
        if self._page.members >= self.size:
            self._close()
        page = self._page
        self._write(member_block(self.iris, change.entity, change.lines, self.timestamp,
                                 change.provenance))
        page.members += 1
        page.first = page.first or self.timestamp
        page.last = self.timestamp
        self.state.entities[change.entity] = EntityInfo(change.sha256, self.timestamp,
                                                        change.tombstone)
        self.members += 1
        self.tombstones += change.tombstone

    def finish(self) -> State:
        """Close a page that reached the size, finish the last page written; the new index."""
        if self._page is None:
            return self.state  # nothing changed, nothing written
        if self._page.members >= self.size:
            self._close()
        self._end_page()
        _make_durable([page_path(self.history, number) for number in self._written])
        fsync_dir(self.history / PAGES)
        new = self.state
        new.members += self.members
        new.first_timestamp = new.first_timestamp or self.timestamp
        new.last_timestamp = self.timestamp
        return new

    def abort(self) -> None:
        """Close the open file (what was written stays for :func:`roll_back`)."""
        if self._out is not None:
            self._out.close()
            self._out = None

    def _open(self) -> None:
        (self.history / PAGES).mkdir(parents=True, exist_ok=True)
        if self.committed_open is None:
            self._start(self.committed_pages + 1)
            return
        page = self.state.pages[-1]
        path = page_path(self.history, page.number)
        length = self.committed_open
        out = path.open("r+b")
        self._out = out
        out.truncate(length)  # drop what a failed build appended
        self._digest = hashlib.sha256()
        for block in iter(lambda: out.read(min(1 << 20, length - out.tell())), b""):
            self._digest.update(block)
        if out.tell() != length:
            raise PublicationError(f"the event stream page {path} is shorter than its index says")
        self._page = page

    def _start(self, number: int) -> None:
        assert number > self.committed_pages, "a committed page is never rewritten"
        page = PageInfo(number=number, created=self.timestamp)
        self.state.pages.append(page)
        self._out = page_path(self.history, number).open("wb")
        self._digest = hashlib.sha256()
        self._page = page
        self._write(page_header(self.iris, number))

    def _close(self) -> None:
        page = self._page
        assert page is not None and page.last is not None
        self._write(page_closing(self.iris, page.number))
        page.full = True
        self._end_page()
        self._start(page.number + 1)

    def _write(self, data: bytes) -> None:
        assert self._out is not None
        self._out.write(data)
        self._digest.update(data)

    def _end_page(self) -> None:
        out, page = self._out, self._page
        assert out is not None and page is not None
        out.flush()
        self._written.append(page.number)
        page.bytes = out.tell()
        page.sha256 = self._digest.hexdigest()
        out.close()
        self._out = None


def _make_durable(paths: list[Path]) -> None:
    """Make the pages written durable before the index that counts them is written. On Linux
    with one ``sync()`` (which returns once everything is written): a ``fsync`` per page cost
    5 ms each, and a first build at 100,000 organisations writes about 10,000 pages."""
    if sys.platform == "linux":
        os.sync()
        return
    for path in paths:
        with path.open("rb") as page_file:
            os.fsync(page_file.fileno())


def roll_back(history: Path, committed: State | None) -> None:
    """Remove what an unpublished build added: pages past the committed ones, bytes past the
    committed end of the open page, and ``pending.json``."""
    count = len(committed.pages) if committed else 0
    folder = history / PAGES
    if folder.is_dir():
        for path in folder.glob("*.nt"):
            if path.stem.isdigit() and int(path.stem) > count:
                path.unlink()
    if committed is not None and committed.pages and not committed.pages[-1].full:
        page = committed.pages[-1]
        path = page_path(history, page.number)
        if path.exists() and path.stat().st_size > page.bytes:
            with path.open("r+b") as out:
                out.truncate(page.bytes)
    (history / PENDING).unlink(missing_ok=True)
    if history.is_dir():
        fsync_dir(history)
