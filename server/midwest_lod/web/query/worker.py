"""Query worker processes: SPARQL evaluation that a runaway query cannot take down.

pyoxigraph evaluates a query in Rust, holding no Python lock the web process could use to stop
it, and has no time limit of its own. Each worker is therefore a separate process (started
with ``spawn``, so it shares no threads or open stores with the web process) that opens the
published store read-only, evaluates one job at a time and sends the serialised answer back as
bytes. On timeout the pool kills the process (SIGKILL; the store is read-only, nothing can be
left half-written) and starts a fresh one; the web process keeps answering meanwhile.

Guard rails (docs/operations.md):

* **time**: ``query_timeout`` counts from the moment a worker has the job; past it the worker
  is killed (not abandoned) and replaced;
* **concurrency**: at most ``size`` queries evaluate at once per web process; at most
  ``max_waiting`` more wait (``queue_wait`` seconds at most) for a free worker, the rest get
  503 + ``Retry-After`` at once, so SPARQL cannot tie up every thread of the web server
  (:class:`~midwest_lod.web.query.admission.Slots`, as for an external store);
* **memory**: each worker limits its own data segment (``RLIMIT_DATA``: heap and private
  writable mappings, setting ``query_memory_limit``); a query that needs more makes the engine
  abort (Rust aborts on a failed allocation) or raise MemoryError, and the client gets 503
  "ran out of memory". Not ``RLIMIT_AS``: address space also counts the reservations of
  glibc's malloc arenas, thread stacks and mapped files, varying with threads and cores, so a
  limit tight enough to matter makes thread creation in RocksDB fail at random (the figures:
  docs/operations.md, "Memory").
* **a dead worker** (killed from outside, crashed) is replaced: found dead when it is taken
  from the pool, it is replaced before the query is sent to it.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import pickle
import queue
import resource
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

from midwest_lod.errors import QueryOutOfMemory, QueryTimeout, ServiceUnavailable
from midwest_lod.formats import BY_NAME
from midwest_lod.web.query.admission import Slots
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
    #: The IRI relative IRIs of the query resolve against (the endpoint's, ``{base}/sparql``);
    #: a ``BASE`` in the query still wins.
    base_iri: str | None = None


@dataclass(frozen=True)
class Reply:
    """What a worker answers: the serialised result, or an error kind and message."""

    body: bytes = b""
    format_name: str = ""
    truncated: bool = False
    rows: int = 0
    error: str = ""  # "" (ok), "syntax", "not_acceptable", "memory" or "engine"
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
        result = store.query(job.query, base_iri=job.base_iri, **kwargs)
        return _write(result, job)
    except SyntaxError as exc:
        return Reply(error="syntax", message=str(exc))
    except ValueError as exc:  # e.g. an invalid IRI in default-graph-uri
        return Reply(error="syntax", message=str(exc))
    except MemoryError:
        return Reply(error="memory")
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
        # a solution iterates over its values in the order of the variables (3x faster than
        # looking each up by name)
        rows = [list(s) for s in itertools.islice(result, limit + 1)]
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


def limit_memory(limit: int) -> None:
    """Limit this process's data segment (heap, private writable mappings) to ``limit``
    bytes (0: no limit)."""
    if limit <= 0:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


#: Stack of the thread that evaluates queries. pyoxigraph parses and evaluates recursively
#: (nested groups and calls, and the left-deep algebra of long sequences of BINDs, OPTIONALs,
#: UNIONs, ...): on the 8 MiB main-thread stack a query of a few KB overflowed it and the
#: worker died of SIGSEGV. The deepest query of max_query_length (100,000) characters needs
#: ~200 MiB (50,000 nested groups); the lexer refuses deeper bracket nesting than
#: midwest_lod.sparql.MAX_NESTING anyway. Only the pages a query touches are used; the
#: reservation is added to the data-segment limit (it is not the query's memory).
STACK_BYTES = 256 * 1024 * 1024


def worker_main(conn: Connection, memory_limit: int = 0) -> None:
    """Body of a worker process: answer jobs until the pipe closes (on a thread with a stack
    of :data:`STACK_BYTES`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    limit_memory(memory_limit + STACK_BYTES if memory_limit > 0 else 0)
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=_serve, args=(conn,), name="midwest-lod-query")
    thread.start()
    thread.join()


def _serve(conn: Connection) -> None:
    stores: dict[str, Store] = {}
    prefixes: Mapping[str, str] = {}
    while True:
        try:
            message = pickle.loads(conn.recv_bytes())  # noqa: S301 - from the web process
        except (EOFError, OSError):
            return
        (store_path, query, solutions_format, graph_format, row_limit, union, default_graphs,
         named_graphs, base_iri, sent_prefixes) = message
        if sent_prefixes is not None:  # sent when they change (_send_job)
            prefixes = sent_prefixes
        job = Job(store_path, query, solutions_format, graph_format, row_limit, union,
                  default_graphs, named_graphs, prefixes, base_iri)
        try:
            store = stores.get(job.store_path)
            if store is None:
                stores.clear()  # a new version: drop the old one
                store = stores[job.store_path] = Store.read_only(job.store_path)
            reply = evaluate(store, job)
        except MemoryError:
            stores.clear()
            reply = Reply(error="memory")
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - also a Rust panic (pyo3's PanicException)
            reply = Reply(error="engine", message=f"{type(exc).__name__}: {exc}")
        try:
            conn.send_bytes(pickle.dumps((reply.body, reply.format_name, reply.truncated,
                                          reply.rows, reply.error, reply.message),
                                         pickle.HIGHEST_PROTOCOL))
        except (EOFError, OSError):
            return


def _send_job(worker: _Worker, job: Job) -> None:
    """Send ``job`` as a tuple (a tenth of the cost of pickling the dataclass), its prefixes
    only when they are not those the worker has (the same mapping each time)."""
    prefixes = None if job.prefixes is worker.prefixes else dict(job.prefixes)
    worker.prefixes = None  # unknown until the message is through
    worker.conn.send_bytes(pickle.dumps(
        (job.store_path, job.query, job.solutions_format, job.graph_format, job.row_limit,
         job.union_default_graph, job.default_graphs, job.named_graphs, job.base_iri,
         prefixes), pickle.HIGHEST_PROTOCOL))
    worker.prefixes = job.prefixes


def _receive_reply(worker: _Worker) -> Reply:
    return Reply(*pickle.loads(worker.conn.recv_bytes()))  # noqa: S301 - our worker


class _Worker:
    def __init__(self, ctx: Any, memory_limit: int = 0) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.conn: Connection = parent
        self.prefixes: Mapping[str, str] | None = None  # the last sent (_send_job)
        self.process: BaseProcess = ctx.Process(
            target=worker_main, args=(child, memory_limit), name="midwest-lod-query",
            daemon=True,
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
    """A fixed number of query worker processes, started on first use, replaced when killed.

    ``max_waiting`` bounds the requests that may wait for a free worker (None: no bound but
    the web server's threads); ``memory_limit`` is each worker's data-segment limit in bytes
    (0: none).
    """

    def __init__(self, size: int, queue_wait: float, *, max_waiting: int | None = None,
                 memory_limit: int = 0) -> None:
        self.size = max(1, size)
        self.queue_wait = queue_wait
        self.max_waiting = max_waiting
        self.memory_limit = memory_limit
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._slots = self._new_slots()
        self._pid: int | None = None

    def _new_slots(self) -> Slots:
        return Slots(self.size, self.queue_wait, max_waiting=self.max_waiting,
                     what="query workers")

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
            self._slots = self._new_slots()
            for _ in range(self.size):
                self._add()
            self._pid = os.getpid()

    def _add(self) -> None:
        worker = _Worker(self._ctx, self.memory_limit)
        self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.kill()
        self._add()

    def pids(self) -> list[int]:
        """Process ids of the workers (tests, diagnostics)."""
        return [w.process.pid for w in list(self._all) if w.process.pid is not None]

    def _checkout(self) -> _Worker:
        """An idle worker: there is one for each slot held (a worker is back in ``_idle``,
        or replaced, before its slot is released)."""
        try:
            worker = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:  # a worker lost (the pool closed meanwhile)
            raise ServiceUnavailable(f"all {self.size} query workers are busy; try again"
                                     ) from None
        if not worker.process.is_alive():  # killed or crashed while idle: replace it now
            log.warning("query worker %s had stopped (exit code %s); starting a new one",
                        worker.process.pid, worker.process.exitcode)
            self._all.discard(worker)
            worker.kill()
            worker = _Worker(self._ctx, self.memory_limit)
            self._all.add(worker)
        return worker

    def run(self, job: Job, timeout: float) -> Reply:
        """Evaluate ``job`` in a free worker; 503 when none is free in time or it runs too long."""
        self._ensure_started()
        with self._slots.hold(retry=max(1, round(timeout))):
            return self._run(job, timeout)

    def _run(self, job: Job, timeout: float) -> Reply:
        worker = self._checkout()
        started = time.monotonic()
        try:
            _send_job(worker, job)
            if not worker.conn.poll(timeout):
                log.warning("query stopped after %.1f s: %.200r", timeout, job.query)
                self._replace(worker)
                raise QueryTimeout(
                    f"the query ran longer than {timeout:g} s (the query_timeout setting) and "
                    "was stopped. Add a LIMIT, make the patterns more specific, or download a "
                    "dump and query it locally.",
                    headers={"Retry-After": str(max(1, round(timeout)))},
                )
            reply = _receive_reply(worker)
        except (EOFError, OSError):
            worker.process.join(1)
            code = worker.process.exitcode
            self._replace(worker)
            if code == -signal.SIGABRT and self.memory_limit:  # Rust aborts on a failed malloc
                log.warning("query ran out of memory after %.1f s: %.200r",
                            time.monotonic() - started, job.query)
                raise self._out_of_memory() from None
            log.error("query worker died after %.1f s (exit code %s): %.200r",
                      time.monotonic() - started, code, job.query)
            raise ServiceUnavailable("the query worker stopped unexpectedly; try again") from None
        if reply.error == "memory":
            log.warning("query ran out of memory: %.200r", job.query)
            self._replace(worker)  # a fresh process: its heap may be fragmented or half-freed
            raise self._out_of_memory()
        self._idle.put(worker)
        return reply

    def _out_of_memory(self) -> QueryOutOfMemory:
        mib = self.memory_limit // (1024 * 1024)
        return QueryOutOfMemory(
            f"the query ran out of memory (a query may use {mib} MiB, the query_memory_limit "
            "setting) and was stopped. Add a LIMIT, avoid ORDER BY or DISTINCT over large "
            "intermediate results, or download a dump and query it locally.")

    def close(self) -> None:
        """Stop every worker (tests, shutdown)."""
        with self._lock:
            for worker in list(self._all):
                worker.kill()
            self._all.clear()
            self._pid = None
