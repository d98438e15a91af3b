"""Regression: a query worker killed while idle made the next query fail.

The pool handed the dead worker the next query; writing to its pipe failed and the client got
503 "the query worker stopped unexpectedly". A worker found dead when it is taken from the
pool is now replaced before it gets the query.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from midwest_lod.web.query.worker import Job, WorkerPool
from tests.reliability.servers import is_gone
from tests.waiting import wait_until


def test_the_next_query_after_a_kill_answers(real_publication: Path) -> None:
    store = str((real_publication / "current").resolve() / "store")
    job = Job(store_path=store, query="ASK { ?s ?p ?o }", solutions_format="json",
              graph_format=None, row_limit=10)
    pool = WorkerPool(1, 5.0)
    try:
        assert pool.run(job, 30).error == ""
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: is_gone(pid), 10, "the killed query worker to be gone")
        reply = pool.run(job, 30)
        assert reply.error == "" and b"true" in reply.body
        assert pool.pids() != [pid]
    finally:
        pool.close()
