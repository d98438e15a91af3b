"""Regression: gunicorn workers hung (or crashed) when they exited.

``midwest-lod serve`` opened the published store in the gunicorn master (the start-up check of
the publication; the first build too, when nothing was published). RocksDB starts a thread
pool there; the forked workers inherit it without its threads, and RocksDB joins those threads
when a process exits: a stopping worker hung until gunicorn killed it after graceful_timeout
(5 s), or died of SIGSEGV/SIGABRT. The master now does both in a fresh (spawned) process:
it holds no RocksDB thread and no file of a store, each worker has its own.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.reliability import servers

pytestmark = [pytest.mark.server, pytest.mark.slow]


def _rocksdb(pid: int) -> tuple[list[str], list[str]]:
    """The RocksDB threads of a process and the files of a store it has open."""
    return ([name for name in servers.thread_names(pid) if name.startswith("rocksdb")],
            [path for path in servers.open_files(pid) if "/store/" in path])


def _stop_cleanly(output_dir: Path, log: Path) -> None:
    server = servers.start(output_dir, log, workers=2, threads=2)
    try:
        workers = servers.web_workers(server)
        assert len(workers) == 2
        assert all(all(_rocksdb(worker)) for worker in workers)  # each opened the store
        assert _rocksdb(server.process.pid) == ([], [])  # the master did not: nothing to inherit
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(30)
    finally:
        server.stop()
    text = log.read_text(errors="replace")
    for bad in ("SIGSEGV", "SIGABRT", "SIGKILL", "Traceback"):
        assert bad not in text, text


def test_a_published_version_is_not_opened_in_the_master(real_publication: Path,
                                                         tmp_path: Path) -> None:
    _stop_cleanly(real_publication, tmp_path / "serve.log")


def test_the_first_build_does_not_run_in_the_master(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    _stop_cleanly(out, tmp_path / "serve.log")
    assert (out / "current").is_symlink()
    assert "building first" in (tmp_path / "serve.log").read_text()
