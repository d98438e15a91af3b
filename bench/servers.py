"""The servers under test, their readiness and their memory (sum of RSS over the process tree).

* ``ours``: the production command (docs/operations.md): ``midwest-lod serve --workers 2``,
  granian and the front (web/front/);
* ``oxigraph``: ``oxigraph serve-read-only`` over its own store, loaded with ``oxigraph load``
  from a dump of ours (the same quads), union default graph, the same query timeout;
* ``hello``: a minimal Flask app (``bench/hello.py``) under the same HTTP server: granian, the
  same front, the same worker count.

Memory is read from ``/proc`` (no psutil): every process whose parent chain leads to the
server's pid is counted, ``VmRSS`` summed, sampled every ``interval`` seconds; the peak of the
sums is reported.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent

#: The production setting of docs/operations.md for a 2-core machine.
WORKERS = 2
PRODUCTION_ENV: dict[str, str] = {}


def ours_command(port: int, workers: int = WORKERS) -> list[str]:
    """The production command (``midwest-lod serve``) on a loopback port."""
    return [sys.executable, "-m", "midwest_lod", "serve", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers)]


def hello_command(port: int, workers: int = WORKERS) -> list[str]:
    """``bench/hello.py`` under the same server as ours."""
    return [sys.executable, str(BENCH / "hello.py"), "--port", str(port),
            "--workers", str(workers)]


def oxigraph_binary() -> str:
    found = BIN / "oxigraph"
    if found.exists():
        return str(found)
    which = shutil.which("oxigraph")
    if which is None:
        raise SystemExit("the oxigraph server is not installed: pip install -e '.[bench]'")
    return which


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- memory ----------------------------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: the ppid follows ") S "
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree(pid: int, children: Mapping[int, list[int]] | None = None) -> list[int]:
    """``pid`` and all its descendants."""
    children = _children_map() if children is None else children
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_bytes(pids: Sequence[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


class MemorySampler(threading.Thread):
    """Samples the summed RSS of registered process trees; keeps the peak per name."""

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.roots: dict[str, int] = {}
        self.peaks: dict[str, int] = {}
        self.processes: dict[str, int] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def watch(self, name: str, pid: int) -> None:
        with self._lock:
            self.roots[name] = pid
            self.peaks.setdefault(name, 0)

    def forget(self, name: str) -> None:
        with self._lock:
            self.roots.pop(name, None)

    def peak(self, name: str) -> int:
        self.sample()
        return self.peaks.get(name, 0)

    def sample(self) -> None:
        with self._lock:
            roots = dict(self.roots)
        if not roots:
            return
        children = _children_map()
        for name, pid in roots.items():
            pids = tree(pid, children)
            rss = rss_bytes(pids)
            with self._lock:
                if rss > self.peaks.get(name, 0):
                    self.peaks[name] = rss
                self.processes[name] = max(self.processes.get(name, 0), len(pids))

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._stop.set()


# --- processes -------------------------------------------------------------------------------

@dataclass
class Server:
    """A server process under test."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    started: float
    ready_seconds: float | None = None
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def get(self, path: str, headers: Mapping[str, str] | None = None,
            timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers=dict(headers or {}))
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def wait_ready(self, path: str, timeout: float = 600) -> float:
        """Seconds from the start of the process to the first 200 on ``path``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: "
                                   f"{self.log.read_text(errors='replace')[-3000:]}")
            try:
                status, _, _ = self.get(path, timeout=5)
                if status == 200:
                    self.ready_seconds = time.monotonic() - self.started
                    return self.ready_seconds
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} was not ready after {timeout} s: "
                           f"{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start(name: str, command: Sequence[str], log: Path, *,
          env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Server:
    if "--port" in command:
        port = int(command[list(command).index("--port") + 1])
    else:
        port = next(int(a.rsplit(":", 1)[1]) for a in command if a.startswith("127.0.0.1:"))
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as handle:
        process = subprocess.Popen(list(command), stdout=handle, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})}, cwd=cwd)
    return Server(name, f"http://127.0.0.1:{port}", process, log, time.monotonic())
