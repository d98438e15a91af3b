"""Real server processes for the reliability tests, and a look at their process tree.

``midwest-lod serve`` is the granian master (``ServerProcess.process``); its children are the
web workers (granian's, forked); each of those has a pool of query worker processes
(``multiprocessing`` spawn children, plus spawn's resource tracker).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tests.waiting import wait_until
from tests.web.helpers import ServerProcess


def start(output_dir: Path, log: Path, *, workers: int = 2, threads: int = 8,
          **settings: object) -> ServerProcess:
    """``python -m midwest_lod serve --workers N --threads T`` on a free port, answering,
    with all its web workers up."""
    server = ServerProcess.start(output_dir, log, workers=workers, threads=threads, **settings)
    try:
        wait_until(lambda: len(web_workers(server)) == workers, 30, "all web workers")
    except BaseException:
        server.stop()
        raise
    return server


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(p) for p in handle.read().split()]
        except FileNotFoundError:
            continue
    return found


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def thread_names(pid: int) -> list[str]:
    """The names of the threads of a process (RocksDB names its own ``rocksdb:…``)."""
    names = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(FileNotFoundError), \
                open(f"/proc/{pid}/task/{task}/comm", encoding="utf-8") as handle:
            names.append(handle.read().strip())
    return names


def open_files(pid: int) -> list[str]:
    """What the file descriptors of a process point to."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):
            found.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return found


def is_gone(pid: int) -> bool:
    """The process has exited: it no longer exists, or it is a zombie nobody has reaped yet
    whose threads are all gone too (its first thread is a zombie before the others have
    ended, and only then can its parent see that it has exited)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
        threads = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True
    return state in ("Z", "X") and threads == [str(pid)]


def web_workers(server: ServerProcess) -> list[int]:
    """The live web workers (the master's other child is multiprocessing's resource
    tracker, from the start-up check in a spawned process)."""
    return [p for p in children(server.process.pid)
            if not is_gone(p) and "multiprocessing" not in cmdline(p)]


def query_workers(worker: int) -> list[int]:
    """The live query worker processes of one web worker."""
    return [p for p in children(worker) if "spawn_main" in cmdline(p) and not is_gone(p)]


def all_query_workers(server: ServerProcess) -> dict[int, list[int]]:
    return {worker: query_workers(worker) for worker in web_workers(server)}
