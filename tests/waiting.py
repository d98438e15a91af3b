"""Waiting in the tests: on a condition, with a deadline.

Tests never pause for a fixed time and never assert how long something took (speed is
measured by ``bench/``). What a test waits for is a condition it can check: a server that
answers, a process that is gone, a query worker that is evaluating (:func:`cpu_seconds`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

#: Seconds between two checks of a condition.
INTERVAL = 0.05


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Return as soon as ``condition()`` is true; :class:`AssertionError` naming ``what`` when
    ``timeout`` seconds pass first. The condition is checked every :data:`INTERVAL` seconds
    (the one place of the suite that pauses: between two checks)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(INTERVAL)


def cpu_seconds(pids: Iterable[int]) -> float:
    """The CPU time (user and system) the processes ``pids`` have used so far; a process that
    is gone counts 0. A process evaluating a query uses it, one at rest does not."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def busy(pids: Callable[[], Iterable[int]], seconds: float = 0.05) -> Callable[[], bool]:
    """A condition for :func:`wait_until`: the processes ``pids()`` have used ``seconds`` more
    CPU time than when this was called: they got work (a query worker at rest uses none).
    Once true it stays true (a worker stopped after its query is gone, with its CPU time)."""
    start = cpu_seconds(pids())
    seen: list[bool] = []

    def condition() -> bool:
        if not seen and cpu_seconds(pids()) >= start + seconds:
            seen.append(True)
        return bool(seen)

    return condition
