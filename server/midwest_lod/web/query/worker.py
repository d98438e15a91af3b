"""Query worker processes: SPARQL evaluation that a runaway query cannot take down.

pyoxigraph evaluates a query in Rust, holding no Python lock the web process could use to stop
it, and has no time limit of its own. Each worker is therefore a separate process (started
with ``spawn``, so it shares no threads or open stores with the web process) that opens the
published store read-only, evaluates one job at a time and sends the serialised answer back as
bytes. On timeout the pool kills the process (SIGKILL; the store is read-only, nothing can be
left half-written) and starts a fresh one; the web process keeps answering meanwhile.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    serialize,
)

from midwest_lod.errors import QueryTimeout, ServiceUnavailable
from midwest_lod.formats import BY_NAME
from midwest_lod.web.query.results import write_boolean, write_solutions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One query to evaluate. Formats are :data:`midwest_lod.formats.BY_NAME` keys."""

    store_path: str
    query: str
    solutions_format: str | None  # for SELECT and ASK
    graph_format: str | None  # for CONSTRUCT and DESCRIBE
    row_limit: int
    union_default_graph: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """What a worker answers: the serialised result, or an error kind and message."""

    body: bytes = b""
    format_name: str = ""
    truncated: bool = False
    rows: int = 0
    error: str = ""  # "" (ok), "syntax", "not_acceptable" or "engine"
    message: str = ""


def evaluate(store: Store, job: Job) -> Reply:
    """Evaluate ``job`` against ``store``; never raises for a bad query."""
    kwargs: dict[str, Any] = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    elif job.union_default_graph:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(job.query, **kwargs)
        return _write(result, job)
    except SyntaxError as exc:
        return Reply(error="syntax", message=str(exc))
    except ValueError as exc:  # e.g. an invalid IRI in default-graph-uri
        return Reply(error="syntax", message=str(exc))
    except (OSError, RuntimeError) as exc:
        return Reply(error="engine", message=str(exc))


def _write(result: QuerySolutions | QueryBoolean | QueryTriples, job: Job) -> Reply:
    limit = job.row_limit
    if isinstance(result, QueryBoolean):
        if job.solutions_format is None:
            return Reply(error="not_acceptable", message="boolean")
        return Reply(write_boolean(job.solutions_format, bool(result)), job.solutions_format,
                     rows=1)
    if isinstance(result, QuerySolutions):
        if job.solutions_format is None:
            return Reply(error="not_acceptable", message="solutions")
        variables = [v.value for v in result.variables]
        rows = [[s[v] for v in variables] for s in itertools.islice(result, limit + 1)]
        truncated = len(rows) > limit
        del rows[limit:]
        body = write_solutions(job.solutions_format, variables, rows)
        return Reply(body, job.solutions_format, truncated, len(rows))
    if job.graph_format is None:
        return Reply(error="not_acceptable", message="graph")
    triples = list(itertools.islice(result, limit + 1))
    truncated = len(triples) > limit
    del triples[limit:]
    rdf_format = BY_NAME[job.graph_format].rdf_format
    body = serialize(triples, format=rdf_format, prefixes=dict(job.prefixes)) or b""
    return Reply(body, job.graph_format, truncated, len(triples))


def worker_main(conn: Connection) -> None:
    """Body of a worker process: answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    stores: dict[str, Store] = {}
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            store = stores.get(job.store_path)
            if store is None:
                stores.clear()  # a new version: drop the old one
                store = stores[job.store_path] = Store.read_only(job.store_path)
            reply = evaluate(store, job)
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which logs it
            reply = Reply(error="engine", message=f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


class _Worker:
    def __init__(self, ctx: Any) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.conn: Connection = parent
        self.process: BaseProcess = ctx.Process(
            target=worker_main, args=(child,), name="midwest-lod-query", daemon=True
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(2)
        finally:
            self.conn.close()


class WorkerPool:
    """A fixed number of query worker processes, started on first use, replaced when killed."""

    def __init__(self, size: int, queue_wait: float) -> None:
        self.size = max(1, size)
        self.queue_wait = queue_wait
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._pid: int | None = None

    def start(self) -> None:
        """Start the workers now (they are otherwise started by the first query)."""
        self._ensure_started()

    def _ensure_started(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            # a fresh process (or forked from one that had workers): the old ones are not ours
            self._idle = queue.Queue()
            self._all = set()
            for _ in range(self.size):
                self._add()
            self._pid = os.getpid()

    def _add(self) -> None:
        worker = _Worker(self._ctx)
        self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.kill()
        self._add()

    def run(self, job: Job, timeout: float) -> Reply:
        """Evaluate ``job`` in a free worker; 503 when none is free in time or it runs too long."""
        self._ensure_started()
        try:
            worker = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            retry = max(1, round(timeout))
            raise ServiceUnavailable(
                f"all {self.size} query workers are busy; try again in {retry} s",
                headers={"Retry-After": str(retry)},
            ) from None
        started = time.monotonic()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                log.warning("query stopped after %.1f s: %.200r", timeout, job.query)
                self._replace(worker)
                raise QueryTimeout(
                    f"the query ran longer than {timeout:g} s (the query_timeout setting) and "
                    "was stopped. Add a LIMIT, make the patterns more specific, or download a "
                    "dump and query it locally.",
                    headers={"Retry-After": str(max(1, round(timeout)))},
                )
            reply: Reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            log.exception("query worker died after %.1f s", time.monotonic() - started)
            self._replace(worker)
            raise ServiceUnavailable("the query worker stopped unexpectedly; try again") from None
        self._idle.put(worker)
        return reply

    def close(self) -> None:
        """Stop every worker (tests, shutdown)."""
        with self._lock:
            for worker in list(self._all):
                worker.kill()
            self._all.clear()
            self._pid = None

