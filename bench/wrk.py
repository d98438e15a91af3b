"""Load with ``wrk`` (Debian's wrk 4.x, a C load generator) when it is installed.

The Python driver (``driver.py``) costs 80–200 µs of CPU per request on the same two cores as
the servers, so above a few thousand answers a second it measures itself: ratios between
fast servers shrink towards 1. wrk costs a few µs. The request list goes into a Lua script
that each wrk thread walks round-robin from its own offset; the ``done`` hook prints the
percentiles and counts this module reads. A status outside 2xx/3xx, and any socket error, is
an error (wrk cannot check for one particular status).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from driver import Request

_DONE = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("PCT %d %d\\n", p, latency:percentile(p)))
  end
  local e = summary.errors
  io.write(string.format("SUM %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def script(requests: Sequence[Request], host: str) -> str:
    entries = []
    for request in requests:
        headers = {"Host": host, **request.headers}
        table = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
        entries.append(f"  wrk.format({_lua_string(request.method)}, "
                       f"{_lua_string(request.path)}, {{{table}}})")
    return ("local requests = {}\nlocal i = 0\n"
            "init = function(args)\n  requests = {\n" + ",\n".join(entries) + "\n  }\n"
            "  i = math.random(#requests) - 1\nend\n"
            "request = function()\n  i = (i % #requests) + 1\n  return requests[i]\nend\n"
            + _DONE)


class WrkResult:
    """What one wrk run measured, summarised like ``driver.PhaseResult``."""

    def __init__(self, output: str) -> None:
        self.output = output
        self.percentiles = {int(p): int(us) / 1000 for p, us in
                            re.findall(r"^PCT (\d+) (\d+)$", output, re.MULTILINE)}
        found = re.search(r"^SUM (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", output,
                          re.MULTILINE)
        if found is None:
            raise RuntimeError(f"wrk said: {output[-2000:]}")
        numbers = [int(n) for n in found.groups()]
        self.requests, self.seconds = numbers[0], numbers[1] / 1e6
        self.errors = sum(numbers[2:])
        self.error_kinds = dict(zip(("connect", "read", "write", "status", "timeout"),
                                    numbers[2:], strict=True))

    def summary(self) -> dict[str, Any]:
        ok = max(0, self.requests - self.error_kinds["status"] - self.error_kinds["timeout"])
        return {
            "requests": self.requests,
            "rps": round(ok / self.seconds, 1) if self.seconds else 0.0,
            **{f"p{p}_ms": round(self.percentiles.get(p, 0.0), 2) for p in (50, 90, 95, 99)},
            "errors": self.errors, "error_statuses": {k: v for k, v in
                                                      self.error_kinds.items() if v},
            "per_request": {}, "seconds": round(self.seconds, 2), "driver": "wrk",
        }


def drive(base_url: str, requests: Sequence[Request], clients: int, seconds: float, *,
          warmup: float = 0.0, timeout: float = 30.0) -> WrkResult:
    """``requests`` round-robin from ``clients`` connections for ``seconds`` (after a
    ``warmup`` run whose figures are dropped)."""
    host = base_url.removeprefix("http://").rstrip("/")
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "requests.lua"
        lua.write_text(script(requests, host), encoding="utf-8")
        result = None
        for length in ([warmup] if warmup > 0 else []) + [seconds]:
            command = ["wrk", "-t", str(max(1, min(clients, 2))), "-c", str(clients),
                       "-d", f"{max(1, round(length))}s", "--timeout", f"{max(1, round(timeout))}s",
                       "-s", str(lua), base_url]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            result = WrkResult(done.stdout + done.stderr)
        assert result is not None
        return result
