"""Helpers for the web tests: a publication from a TriG file, a real server process, a local
port that counts connections (SERVICE must make none), and the facts the real data files
state (to check SPARQL answers against an independent source)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import requests
import yaml

from midwest_lod.assets import asset_dir
from tests.waiting import wait_until

DATA_DIR = Path(__file__).parent / "data"


def with_context(dump: bytes, context: dict[str, object]) -> bytes:
    """A compact JSON-LD document with the context it names by URL put in place: rdflib
    would fetch the URL (the base IRI's host), and tests reach no network."""
    document = json.loads(dump)
    return json.dumps({**document, "@context": context["@context"]}).encode("utf-8")


def publish_trig(output_dir: Path, trig: Path, version: str = "20260101T000000Z-fixture00000"
                 ) -> Path:
    """Publish ``trig`` under ``output_dir`` as docs/publication.md lays a version out."""
    folder = output_dir / "versions" / version
    (folder / "dumps").mkdir(parents=True)
    store = ox.Store(str(folder / "store"))
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    store.flush()
    quads = sorted(store, key=str)
    del store
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    (folder / "canonical.nq").write_bytes(nquads)
    triples = sorted({q.triple for q in quads}, key=str)
    dumps = folder / "dumps"
    (dumps / "midwest-sociale-economie.ttl").write_bytes(
        ox.serialize(triples, format=ox.RdfFormat.TURTLE) or b"")
    (dumps / "midwest-sociale-economie.jsonld").write_bytes(
        ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"")
    (dumps / "midwest-sociale-economie.nt.gz").write_bytes(
        gzip.compress(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""))
    (dumps / "midwest-sociale-economie.nq.gz").write_bytes(gzip.compress(nquads))
    manifest = {
        "version": version, "built_at": "2026-01-01T00:00:00Z",
        "base_iri": "https://data.midwest.be",
        "counts": {"quads": len(quads), "triples": len(triples)},
        "dumps": [{"file": p.name, "bytes": p.stat().st_size,
                   "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
                  for p in sorted(dumps.iterdir())],
    }
    (folder / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    os.symlink(Path("versions") / version, output_dir / "current")
    return folder


class Listener:
    """A local port that counts the connections made to it (and closes them at once)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._markers: set[int] = set()  # local ports of our own connections (see made())
        self._markers_seen: set[int] = set()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, (_, port) = self.sock.accept()
            except OSError:
                return
            if port in self._markers:
                self._markers_seen.add(port)
            else:
                self.connections += 1
            connection.close()

    def made(self) -> int:
        """The connections made to the port so far, each of them counted: connections are
        accepted in the order they were made, so once a connection of our own, made now, is
        accepted, every earlier one has been."""
        with socket.socket() as marker:
            marker.bind(("127.0.0.1", 0))
            port = marker.getsockname()[1]
            self._markers.add(port)
            marker.connect(("127.0.0.1", self.port))
            wait_until(lambda: port in self._markers_seen, 10, "the listener to catch up")
        return self.connections

    def close(self) -> None:
        self.sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    """``python -m midwest_lod serve`` on a free port, stopped by :meth:`stop`."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    #: The processes that evaluate its SPARQL queries when they are not its own query workers
    #: (an external store's: tests/web/conftest.py).
    store_processes: Callable[[], list[int]] | None = None

    @classmethod
    def start(cls, output_dir: Path, log: Path, *, workers: int = 1, threads: int = 8,
              port: int | None = None, **settings: object) -> ServerProcess:
        """``serve --workers N --threads T`` on ``port`` (default: a free one), once it answers
        ``/health``; ``settings`` become ``MIDWEST_LOD_*`` variables."""
        port = port or free_port()
        env = {**os.environ, "MIDWEST_LOD_OUTPUT_DIR": str(output_dir),
               **{f"MIDWEST_LOD_{k.upper()}": str(v) for k, v in settings.items()}}
        with log.open("wb") as handle:
            process = subprocess.Popen(
                [sys.executable, "-m", "midwest_lod", "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
                env=env, stdout=handle, stderr=subprocess.STDOUT)
        server = cls(f"http://127.0.0.1:{port}", process, log)
        try:
            wait_until(server.answers, 60, f"the server to answer /health ({log})")
        except AssertionError:
            server.stop()
            raise RuntimeError(
                f"server did not answer /health: {log.read_text(errors='replace')}") from None
        return server

    def evaluators(self) -> list[int]:
        """The processes that evaluate the server's SPARQL queries: its query workers, or the
        external store's process."""
        if self.store_processes is not None:
            return self.store_processes()
        from tests.reliability import servers

        return [pid for worker in servers.web_workers(self)
                for pid in servers.query_workers(worker)]

    def answers(self) -> bool:
        """``/health`` answers 200; :class:`RuntimeError` with the log if the server exited."""
        if self.process.poll() is not None:
            raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')}")
        try:
            return requests.get(self.url + "/health", timeout=10).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@dataclass(frozen=True)
class Facts:
    """What the source files say, read without the publisher's code."""

    municipalities: dict[str, str]  # NIS -> Dutch name, members of the region
    actors_by_type: dict[str, set[str]]  # initiative type key -> actor keys


def real_facts() -> Facts:
    data = asset_dir("data")
    with (data / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # members, and the successors of 2025 mergers (their membership is published as inferred)
    members = {row["nis"]: row["name_nl"] for row in rows if row["role"] in ("member", "successor")}
    by_type: dict[str, set[str]] = {}
    for path in sorted((data / "actors").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in record.get("initiative_types") or []:
            key = item["value"] if isinstance(item, dict) else item
            by_type.setdefault(str(key), set()).add(record["key"])
    return Facts(members, by_type)
