#!/usr/bin/env python3
"""Slow-client checks for an HTTP/1.1 server on 127.0.0.1 (loopback only, bounded in time).

From the serving trial (../shared/research/slowclients.py, docs/research/
serving-prototype-2026-12/); ``bench/run.py`` calls :func:`both` (issue 13: 200 slow heads and
200 slow bodies at once, the latency of ``ASK {}`` meanwhile).

Modes (each prints one JSON object):

  slow-headers  N connections send a request line and headers 1 byte every --interval s
                (a server that closes one is reconnected, so N stay open), while a probe
                client sends ``GET /sparql?query=ASK{}`` sequentially and records latency.
  slow-body     N connections send ``POST /sparql`` headers with Content-Length 20000 at once,
                then the body 1 byte every --interval s; same probe.
  cl-lie        one connection declares Content-Length 1000, sends 10 bytes, then waits:
                how long until the server answers or closes (capped at --wait s).
  both          slow-headers and slow-body at once (N of each), one probe.
  probe         the probe alone (baseline latency).

Usage: python3 slowclients.py MODE [--port 8000] [--conns 200] [--warmup 8] [--seconds 20]
Standard library only. Every loop is bounded by a deadline and a count; only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import threading
import time

HOST = "127.0.0.1"  # loopback only, by design
PROBE_PATH = "/sparql?query=ASK%7B%7D"
MAX_RECONNECTS = 1000  # per slow connection


def slow_header_bytes() -> bytes:
    return (b"GET " + PROBE_PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"User-Agent: slowclient\r\nAccept: application/sparql-results+json\r\n"
            b"X-Pad: " + b"a" * 400 + b"\r\n\r\n")


def slow_body_parts(length: int = 20000) -> tuple[bytes, bytes]:
    head = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowclient\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(length).encode() + b"\r\n\r\n")
    body = (b"query=ASK%7B%7D&pad=" + b"a" * length)[:length]
    return head, body


class SlowStats:
    def __init__(self) -> None:
        self.connects = 0
        self.connect_errors = 0
        self.server_closed = 0  # the server answered or closed a slow connection
        self.first_lines: dict[str, int] = {}
        self.open_now = 0
        self.max_open = 0


async def slow_connection(kind: str, port: int, interval: float, offset: float,
                          deadline: float, stats: SlowStats) -> None:
    await asyncio.sleep(offset)
    loop = asyncio.get_running_loop()
    for _ in range(MAX_RECONNECTS):
        if loop.time() >= deadline:
            return
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(HOST, port), timeout=5)
        except (TimeoutError, OSError):
            stats.connect_errors += 1
            await asyncio.sleep(0.5)
            continue
        stats.connects += 1
        stats.open_now += 1
        stats.max_open = max(stats.max_open, stats.open_now)
        if kind == "headers":
            head, trickle = b"", slow_header_bytes()
        else:
            head, trickle = slow_body_parts()
        reading = asyncio.ensure_future(reader.read(65536))
        try:
            if head:
                writer.write(head)
                await writer.drain()
            for i in range(len(trickle)):
                if loop.time() >= deadline or reading.done():
                    break
                writer.write(trickle[i:i + 1])
                await writer.drain()
                await asyncio.wait({reading}, timeout=interval)
        except OSError:
            pass
        finally:
            stats.open_now -= 1
        if reading.done() and not reading.cancelled():
            stats.server_closed += 1
            try:
                data = reading.result()
            except OSError:
                data = b""
            line = data.split(b"\r\n", 1)[0].decode("latin-1")[:40] or "(closed, no answer)"
            stats.first_lines[line] = stats.first_lines.get(line, 0) + 1
        else:
            reading.cancel()
        writer.close()
        with contextlib.suppress(OSError, asyncio.TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), timeout=1)
        if loop.time() < deadline:
            await asyncio.sleep(0.2)  # then reconnect: the attacker keeps N open


def probe(port: int, seconds: float, result: dict, max_requests: int = 200_000) -> None:
    """Sequential keep-alive GETs; reconnects after an error. Latency = send to last byte."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    conn: http.client.HTTPConnection | None = None
    end = time.monotonic() + seconds
    for _ in range(max_requests):
        if time.monotonic() >= end:
            break
        start = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", PROBE_PATH,
                         headers={"Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            resp.read()
            latencies.append(time.monotonic() - start)
            if resp.status != 200:
                errors[str(resp.status)] = errors.get(str(resp.status), 0) + 1
        except Exception as exc:  # noqa: BLE001 - any failure is an error of the probe
            latencies.append(time.monotonic() - start)
            name = type(exc).__name__
            errors[name] = errors.get(name, 0) + 1
            if conn is not None:
                conn.close()
            conn = None
    if conn is not None:
        conn.close()
    latencies.sort()

    def pct(q: float) -> float:
        if not latencies:
            return 0.0
        return round(latencies[min(len(latencies) - 1, int(q / 100 * len(latencies)))] * 1000, 1)

    result.update(requests=len(latencies), p50_ms=pct(50), p99_ms=pct(99),
                  max_ms=round(latencies[-1] * 1000, 1) if latencies else 0.0,
                  errors=sum(errors.values()), error_kinds=errors)


async def attack(kind: str, port: int, conns: int, interval: float, warmup: float,
                 seconds: float) -> dict:
    loop = asyncio.get_running_loop()
    stats = SlowStats()
    deadline = loop.time() + warmup + seconds + 1
    kinds = ["headers", "body"] if kind == "both" else [kind]
    tasks = [asyncio.ensure_future(slow_connection(k, port, interval, i * interval / conns,
                                                   deadline, stats))
             for k in kinds for i in range(conns)]
    await asyncio.sleep(warmup)
    open_at_probe = stats.open_now
    result: dict = {}
    thread = threading.Thread(target=probe, args=(port, seconds, result), daemon=True)
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0.2)
    open_at_end = stats.open_now
    await asyncio.wait(tasks, timeout=interval + 8)
    for t in tasks:
        t.cancel()
    return {"mode": f"slow-{kind}", "conns": conns, "interval_s": interval,
            "slow_open_at_probe_start": open_at_probe, "slow_open_at_probe_end": open_at_end,
            "slow_connects": stats.connects, "slow_closed_by_server": stats.server_closed,
            "slow_answers": stats.first_lines, "connect_errors": stats.connect_errors,
            "probe": result}


async def cl_lie(port: int, wait: float) -> dict:
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 1000\r\n\r\nquery=ASK{")  # 10 of the 1000 bytes
    await writer.drain()
    start = time.monotonic()
    try:
        data = await asyncio.wait_for(reader.read(65536), timeout=wait)
        outcome = data.split(b"\r\n", 1)[0].decode("latin-1") or "closed without answer"
    except TimeoutError:
        outcome = f"no answer and still open after {wait:g} s"
    except OSError as exc:
        outcome = f"reset ({type(exc).__name__})"
    took = round(time.monotonic() - start, 2)
    writer.close()
    return {"mode": "cl-lie", "outcome": outcome, "seconds": took}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["slow-headers", "slow-body", "both", "cl-lie", "probe"])
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--conns", type=int, default=200)
    ap.add_argument("--interval", type=float, default=2.0)
    ap.add_argument("--warmup", type=float, default=8.0)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--wait", type=float, default=20.0)
    a = ap.parse_args()
    a.conns = max(1, min(a.conns, 2000))
    a.seconds = max(1.0, min(a.seconds, 300.0))
    a.warmup = max(0.0, min(a.warmup, 120.0))
    a.wait = max(1.0, min(a.wait, 120.0))
    if a.mode == "probe":
        result: dict = {}
        probe(a.port, a.seconds, result)
        out: dict = {"mode": "probe", "probe": result}
    elif a.mode == "cl-lie":
        out = asyncio.run(cl_lie(a.port, a.wait))
    else:
        out = asyncio.run(attack(a.mode.split("-", 1)[-1], a.port, a.conns, a.interval,
                                 a.warmup, a.seconds))
    print(json.dumps(out))


def both(port: int, conns: int = 200, warmup: float = 8.0, seconds: float = 20.0) -> dict:
    """``conns`` slow heads and ``conns`` slow bodies at once, and the probe meanwhile; then
    one lying ``Content-Length``."""
    result = asyncio.run(attack("both", port, conns, 2.0, warmup, seconds))
    result["cl_lie"] = asyncio.run(cl_lie(port, 20.0))
    return result


if __name__ == "__main__":
    main()
