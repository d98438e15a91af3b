"""The benchmark (issue #5): build, serve and load the publisher beside Oxigraph's own server.

    python bench/run.py [--sizes real,100,1000,10000,100000] [--clients 1,8] [--duration 20]
                        [--out bench/results/<date>.json] [--quick] [--build auto|always|never]

For each size (``real``: the data in ``data/``; a number N: the real data plus N synthetic
organisations from ``bench/generate.py``; 100 is the graph of issue #5's reference figures), it

1. generates the data (cached in ``bench/work/data-N``);
2. builds it with ``midwest-lod build`` in a subprocess: wall time, the per-stage times of
   ``build.json``, peak memory (largest process, and the sampled sum over its process tree);
   a build is reused when neither the data nor the code changed (``--build always`` forces);
3. dumps the published store and loads it with ``oxigraph load`` into Oxigraph's own store;
4. compiles the package's bytecode (as an installation does), starts the servers, each timed
   to its first answer: ours (the production command of
   docs/operations.md) with its caches on and with them off, ``oxigraph serve-read-only
   --union-default-graph`` with the same query timeout, and a Flask "hello" app under the
   same HTTP server (granian and the front, ``bench/hello.py``);
5. drives, at each client count: the SPARQL mix and the OPTIONAL-heavy listing against
   Oxigraph and against ours without the caches (every request evaluated), the mix with the
   caches (repeats); the hello app; entity documents as Turtle and HTML (a fixed sample),
   conditional requests (304), and Oxigraph answering the same descriptions as a
   ``CONSTRUCT``; once per size, documents never asked before ("cold", 1 client); on the
   first size, 200 slow heads and 200 slow bodies held open while ``ASK {}`` is probed
   (``slowclients.py``);
6. reports per request kind and overall req/s, p50/p90/p99 latency, errors, peak memory of
   each server's process tree, and the ratios of issue 13's targets: a table on stdout (and
   ``<out>.md``) and JSON (``<out>``).

Load comes from ``wrk`` when it is installed (``--driver auto``), else from the Python
driver, which costs about as much CPU per request as a cached answer and so caps the ratios
of fast paths (the report says which driver ran).

``--phases sparql-mix,sparql-optional`` runs only those phases (the servers are still all
started, so their ready times are measured).

It is a benchmark, not a test: nothing here asserts a timing. The load average is recorded
with every phase (other work on the machine makes the figures noisy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers  # noqa: E402
import slowclients  # noqa: E402
import workload  # noqa: E402
import wrk  # noqa: E402
from driver import PhaseResult, Request, drive, drive_once  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
QUERY_TIMEOUT = 5.0  # the query_timeout default (ours)


def log(message: str) -> None:
    print(f"[{dt.datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load() -> float:
    return round(os.getloadavg()[0], 2)


def _sha_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _files(*folders: str, pattern: str = "*") -> list[Path]:
    return [p for f in folders for p in (ROOT / f).rglob(pattern)
            if p.is_file() and "__pycache__" not in p.parts]


# --- data --------------------------------------------------------------------------------------

def data_stamp(size: str) -> str:
    real = _sha_files(_files("data"))
    if size == "real":
        return real
    generator = hashlib.sha256((ROOT / "bench" / "generate.py").read_bytes()).hexdigest()
    return hashlib.sha256(f"{size}:{real}:{generator}".encode()).hexdigest()


def prepare_data(size: str) -> Path:
    if size == "real":
        return ROOT / "data"
    folder = WORK / f"data-{size}"
    stamp_file = folder / ".bench-stamp"
    stamp = data_stamp(size)
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return folder
    import generate

    log(f"generating {size} synthetic organisations into {folder.relative_to(ROOT)}")
    started = time.monotonic()
    generate.generate(int(size), folder)
    stamp_file.write_text(stamp)
    log(f"generated in {time.monotonic() - started:.0f} s")
    return folder


def organisations(data_dir: Path) -> int:
    return sum(1 for f in ("actors", "organisations") for _ in (data_dir / f).glob("*.yaml"))


# --- build -------------------------------------------------------------------------------------

def code_stamp() -> str:
    """What a build depends on: the package without the web application (``web/`` and the
    entity and index queries at the top of ``queries/``, which the build never runs)."""
    web = ROOT / "server/midwest_lod/web"
    queries = ROOT / "server/midwest_lod/queries"
    files = [p for p in _files("server/midwest_lod", "shapes", "ontology")
             if web not in p.parents and p.parent != queries]
    return _sha_files(files + [ROOT / "pyproject.toml"])


def build(size: str, data_dir: Path, mode: str, sampler: servers.MemorySampler,
          timeout: float) -> dict[str, Any]:
    out = WORK / f"out-{size}"
    record_file = out / "bench-build.json"
    stamp = hashlib.sha256(f"{data_stamp(size)}:{code_stamp()}".encode()).hexdigest()
    if mode != "always" and record_file.exists() and (out / "current").exists():
        record: dict[str, Any] = json.loads(record_file.read_text())
        if record.get("stamp") == stamp or mode == "never":
            record["reused"] = True
            record["stale"] = record.get("stamp") != stamp
            log(f"build {size}: reusing the build of {record.get('measured_at')}"
                + (" (STALE: data or code changed since)" if record["stale"] else ""))
            return record
    if mode == "never":
        raise SystemExit(f"--build never: nothing built in {out}")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = {**os.environ, "MIDWEST_LOD_DATA_DIR": str(data_dir),
           "MIDWEST_LOD_OUTPUT_DIR": str(out), "PYTHONUNBUFFERED": "1"}
    log(f"build {size}: {organisations(data_dir)} organisations")
    build_log = out / "build.log"
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "midwest_lod", "build"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    sampler.watch(f"build-{size}", process.pid)
    last_line: list[str] = [""]
    stage: list[str] = ["start"]  # the stage running now, from the progress lines
    stage_peaks: dict[str, int] = {}
    done = threading.Event()

    def sample_stages() -> None:  # peak RSS of the build's process tree per stage
        while not done.wait(0.25):
            rss = servers.rss_bytes(servers.tree(process.pid))
            stage_peaks[stage[0]] = max(stage_peaks.get(stage[0], 0), rss)

    def pump() -> None:
        assert process.stdout is not None
        with build_log.open("w", encoding="utf-8") as handle:
            for raw in process.stdout:
                line = raw.decode("utf-8", errors="replace").rstrip()
                handle.write(line + "\n")
                handle.flush()
                last_line[0] = line
                if line.strip().endswith(" ..."):
                    stage[0] = line.strip()[:-4]
                if line.strip() and not line.strip().startswith(("warning", "-", "Warning")):
                    elapsed = time.monotonic() - started
                    print(f"    [build {size} +{elapsed:6.0f} s] {line.strip()[:150]}",
                          file=sys.stderr, flush=True)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    stage_sampler = threading.Thread(target=sample_stages, daemon=True)
    stage_sampler.start()
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        process.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join(10)
    done.set()
    stage_sampler.join(5)
    wall = time.monotonic() - started
    tree_peak = sampler.peak(f"build-{size}")
    sampler.forget(f"build-{size}")
    record = {"size": size, "stamp": stamp, "reused": False, "stale": False,
              "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
              "organisations": organisations(data_dir), "wall_s": round(wall, 1),
              "peak_rss_mb": round(usage.ru_maxrss / 1024),  # largest process (KiB on Linux)
              "peak_tree_rss_mb": round(tree_peak / 2**20), "exit": process.returncode,
              "stage_peak_rss_mb": {k: round(v / 2**20) for k, v in stage_peaks.items()},
              "load_at_start": None, "log": str(build_log.relative_to(ROOT))}
    if killed.is_set():
        record.update(ok=False, timed_out=True, last_output=last_line[0],
                      stages=_stages_from_log(build_log))
        log(f"build {size}: STOPPED after {timeout:.0f} s at: {last_line[0]}")
        return record
    if process.returncode != 0:
        record.update(ok=False, last_output=last_line[0], stages=_stages_from_log(build_log))
        log(f"build {size}: FAILED ({process.returncode}); see {build_log}")
        return record
    manifest = json.loads((out / "current" / "build.json").read_text())
    # build.json is written before the last stage (publish): that one comes from the log
    stages = {**_stages_from_log(build_log), **manifest.get("stages", {})}
    record.update(ok=True, version=manifest["version"], stages=stages,
                  counts=manifest.get("counts", {}))
    record_file.write_text(json.dumps(record, indent=2))
    log(f"build {size}: {wall:.0f} s, peak {record['peak_rss_mb']} MB, "
        f"{manifest.get('counts', {}).get('store_quads')} quads")
    return record


_STAGE_LINE = re.compile(r"^\s*([a-z][a-z ]+): ([0-9.]+) s$")


def _stages_from_log(path: Path) -> dict[str, float]:
    """Per-stage seconds from the progress lines of a build that did not finish."""
    stages: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _STAGE_LINE.match(line)
        if match:
            name = match.group(1).strip()
            stages[name] = round(stages.get(name, 0.0) + float(match.group(2)), 3)
    return stages


# --- Oxigraph's store ----------------------------------------------------------------------------

def oxigraph_store(size: str, version: str) -> tuple[Path, float | None]:
    location = WORK / f"oxigraph-{size}"
    stamp = location / ".bench-version"
    if stamp.exists() and stamp.read_text() == version:
        return location, None
    import pyoxigraph as ox

    if location.exists():
        shutil.rmtree(location)
    dump = WORK / f"dump-{size}.nq"
    store = ox.Store.read_only(str(WORK / f"out-{size}" / "current" / "store"))
    store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    del store
    started = time.monotonic()
    subprocess.run([servers.oxigraph_binary(), "load", "--location", str(location),
                    "--file", str(dump)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    dump.unlink()
    stamp.write_text(version)
    log(f"oxigraph load {size}: {seconds:.1f} s")
    return location, round(seconds, 1)


# --- servers -----------------------------------------------------------------------------------

def compile_package() -> None:
    """Compile the package's bytecode, as installing it does: without it (an editable install
    under ``PYTHONDONTWRITEBYTECODE``) every server start compiles the modules it imports,
    which the ready time would count."""
    import compileall

    compileall.compile_dir(ROOT / "server" / "midwest_lod", quiet=1)


def start_servers(size: str, oxigraph_location: Path, sampler: servers.MemorySampler,
                  oxigraph_timeout: int = 0) -> dict[str, servers.Server]:
    compile_package()
    out = WORK / f"out-{size}"
    logs = WORK / "logs"
    env = {**servers.PRODUCTION_ENV, "MIDWEST_LOD_OUTPUT_DIR": str(out),
           "MIDWEST_LOD_QUERY_TIMEOUT": str(QUERY_TIMEOUT)}
    specs: list[tuple[str, list[str], dict[str, str], str]] = [
        ("ours", servers.ours_command(servers.free_port()), env, "/health"),
        ("ours-nocache", servers.ours_command(servers.free_port()),
         {**env, "MIDWEST_LOD_CACHE_MAX_BYTES": "0", "MIDWEST_LOD_RESPONSE_CACHE_BYTES": "0"},
         "/health"),
        ("oxigraph", [servers.oxigraph_binary(), "serve-read-only", "--location",
                      str(oxigraph_location), "--bind", f"127.0.0.1:{servers.free_port()}",
                      "--union-default-graph",
                      *(["--timeout-s", str(oxigraph_timeout)] if oxigraph_timeout else [])],
         {}, "/query?query=ASK%7B%7D"),
        ("hello", servers.hello_command(servers.free_port()), {}, "/"),
    ]
    running: dict[str, servers.Server] = {}
    try:
        for name, command, extra_env, ready_path in specs:  # one at a time: fair ready times
            server = servers.start(name, command, logs / f"{size}-{name}.log", env=extra_env,
                                   cwd=ROOT)
            running[name] = server
            sampler.watch(f"{size}-{name}", server.process.pid)
            ready = server.wait_ready(ready_path)
            log(f"{name} ready in {ready:.2f} s at {server.url}")
    except BaseException:
        for server in running.values():
            server.stop()
        raise
    return running


def first_requests(ours: servers.Server, entity: str) -> dict[str, float]:
    """After ready: the first SPARQL query (starts the query workers) and first document."""
    timings = {}
    for name, path, headers in (
            ("first_query_ms", "/sparql?query=ASK%7B%7D",
             {"Accept": "application/sparql-results+json"}),
            ("first_entity_ms", entity, {"Accept": "text/turtle"})):
        started = time.perf_counter()
        status, _, _ = ours.get(path, headers, timeout=120)
        timings[name] = round((time.perf_counter() - started) * 1000, 1)
        if status != 200:
            timings[name + "_status"] = status
    return timings


def agreement(ours: servers.Server, oxigraph: servers.Server) -> dict[str, Any]:
    """Do both servers give the same answers to the mix? (rows or triples, per query)."""
    from urllib.parse import quote

    import pyoxigraph as ox

    found: dict[str, Any] = {}
    for name, (text, accept) in workload.QUERIES.items():
        counts: list[Any] = []
        for server, path in ((ours, "/sparql"), (oxigraph, "/query")):
            try:
                status, _, body = server.get(f"{path}?query={quote(text)}",
                                             {"Accept": accept}, timeout=60)
            except TimeoutError:  # Oxigraph without --timeout-s may take minutes at 100k
                counts.append("no answer in 60 s")
                continue
            if status != 200:
                counts.append(f"status {status}")
                continue
            try:
                if accept == "text/turtle":
                    counts.append(len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))))
                else:
                    data = json.loads(body)
                    counts.append(data["boolean"] if "boolean" in data
                                  else len(data["results"]["bindings"]))
            except (ValueError, SyntaxError) as exc:  # e.g. a body cut by a server's timeout
                counts.append(f"unreadable 200 ({type(exc).__name__}, {len(body)} bytes)")
        found[name] = {"ours": counts[0], "oxigraph": counts[1], "same": counts[0] == counts[1]}
    return found


# --- phases ------------------------------------------------------------------------------------

def phase(results: list[dict[str, Any]], size: str, name: str, server: str, clients: int,
          run: PhaseResult, load_before: float) -> dict[str, Any]:
    summary = run.summary()
    record = {"size": size, "phase": name, "server": server, "clients": clients,
              "load_1m": load_before, **summary}
    results.append(record)
    log(f"  {name:<13} {server:<13} c={clients}  {summary['rps']:>8.1f} req/s  "
        f"p50 {summary['p50_ms']:>7.2f}  p99 {summary['p99_ms']:>8.2f} ms  "
        f"errors {summary['errors']}  (load {load_before})")
    return record


#: Every phase by name, in the order they run (``--phases`` picks some).
PHASES = ("cold-turtle", "cold-html", "sparql-mix", "sparql-optional", "sparql-cached",
          "entity-construct", "named-api", "named-sparql", "hello", "entity-turtle",
          "entity-html", "entity-304", "suggest", "facets", "slow-clients")


def selected(args: argparse.Namespace, name: str) -> bool:
    """Whether phase ``name`` runs (``--phases``: all when not given)."""
    return not args.phases or name in args.phases


def run_size(size: str, args: argparse.Namespace, sampler: servers.MemorySampler
             ) -> dict[str, Any]:
    log(f"=== size {size} (load {load()})")
    data_dir = prepare_data(size)
    record: dict[str, Any] = {"size": size, "organisations": organisations(data_dir)}
    built = build(size, data_dir, args.build, sampler, args.build_timeout)
    record["build"] = built
    if not built.get("ok") or args.build_only:
        return record
    location, load_seconds = oxigraph_store(size, built["version"])
    record["oxigraph_load_s"] = load_seconds
    store_path = WORK / f"out-{size}" / "current" / "store"
    paths = workload.entity_paths(store_path, args.entities + args.cold)
    cold_count = min(args.cold, len(paths) // 3)  # small data: a third is asked cold
    cold, steady = paths[:cold_count], paths[cold_count:][: args.entities]
    running = start_servers(size, location, sampler, args.oxigraph_timeout)
    phases: list[dict[str, Any]] = []
    try:
        ours, nocache, oxigraph, hello = (running[n] for n in
                                          ("ours", "ours-nocache", "oxigraph", "hello"))
        record["servers"] = {n: {"ready_s": round(s.ready_seconds or 0, 2)}
                             for n, s in running.items()}
        record["servers"]["ours"].update(first_requests(ours, steady[0]))
        record["agreement"] = agreement(nocache, oxigraph)
        bad = [n for n, a in record["agreement"].items() if not a["same"]]
        if bad:
            log(f"  WARNING: ours and Oxigraph answer differently: {bad}")
        # documents never asked before (the document cache is empty for them)
        for kind in ("turtle", "html"):
            if not selected(args, f"cold-{kind}"):
                continue
            requests = workload.entity_requests(cold[len(cold) // 2:] if kind == "html"
                                                else cold[: len(cold) // 2], kind)
            before = load()
            phase(phases, size, f"cold-{kind}", "ours", 1, drive_once(ours.url, requests),
                  before)
        mix_ours = workload.sparql_requests("/sparql")
        mix_oxigraph = workload.sparql_requests("/query")
        ttl = workload.entity_requests(steady, "turtle")
        html = workload.entity_requests(steady, "html")
        conditional = _conditional(ours, ttl + html)
        hello_requests = [Request("hello", "/", workload.GZIP)]
        named_api, named_sparql = workload.named_query_requests()
        suggest = workload.suggest_requests(WORK / f"out-{size}" / "current")
        facets = workload.facet_requests(ours.url)
        construct = workload.construct_requests(steady[:50])
        optional_ours = [r for r in mix_ours if r.name == "optional-listing"]
        optional_oxigraph = [r for r in mix_oxigraph if r.name == "optional-listing"]
        duration, warmup = args.duration, min(3.0, args.duration / 4)
        plan: list[tuple[str, str, servers.Server, list[Request]]] = [
            ("sparql-mix", "oxigraph", oxigraph, mix_oxigraph),
            ("sparql-mix", "ours-nocache", nocache, mix_ours),
            ("sparql-optional", "oxigraph", oxigraph, optional_oxigraph),
            ("sparql-optional", "ours-nocache", nocache, optional_ours),
            ("sparql-cached", "oxigraph", oxigraph, mix_oxigraph),
            ("sparql-cached", "ours", ours, mix_ours),
            ("entity-construct", "oxigraph", oxigraph, construct),
            ("named-api", "ours-nocache", nocache, named_api),
            ("named-sparql", "ours-nocache", nocache, named_sparql),
            ("hello", "hello", hello, hello_requests),
            ("entity-turtle", "ours", ours, ttl),
            ("entity-html", "ours", ours, html),
            ("entity-304", "ours", ours, conditional),
            ("suggest", "ours", ours, suggest),
            ("facets", "ours", ours, facets),
            # the same without the answer cache: every request is computed
            ("suggest", "ours-nocache", nocache, suggest),
            ("facets", "ours-nocache", nocache, facets),
        ]
        load_with = wrk.drive if args.driver == "wrk" else drive
        record["driver"] = args.driver
        for clients in args.clients:
            for name, label, server, requests in plan:
                if not selected(args, name):
                    continue
                before = load()
                phase(phases, size, name, label, clients,
                      load_with(server.url, requests, clients, duration, warmup=warmup,
                                timeout=QUERY_TIMEOUT * 6), before)
        if args.slow_conns and size == args.sizes[0] and selected(args, "slow-clients"):
            log(f"  slow clients: {args.slow_conns} slow heads + {args.slow_conns} slow "
                f"bodies, ASK probed for {args.slow_seconds:g} s")
            record["slow_clients"] = slowclients.both(ours.port, args.slow_conns,
                                                      warmup=6.0, seconds=args.slow_seconds)
            log(f"  slow clients: {json.dumps(record['slow_clients'])}")
    finally:
        for server in running.values():
            server.stop()
    for name in running:
        record["servers"][name]["peak_rss_mb"] = round(sampler.peak(f"{size}-{name}") / 2**20)
        record["servers"][name]["processes"] = sampler.processes.get(f"{size}-{name}", 0)
        sampler.forget(f"{size}-{name}")
    record["phases"] = phases
    record["ratios"] = ratios(phases)
    return record


def _conditional(ours: servers.Server, requests: list[Request]) -> list[Request]:
    """The same documents with the validator of a first response (If-None-Match)."""
    found = []
    for request in requests[:50]:
        status, headers, _ = ours.get(request.path, request.headers)
        etag = headers.get("ETag") or headers.get("etag")
        if status == 200 and etag:
            found.append(Request(f"304 {request.path.split('/')[2]}", request.path,
                                 {**request.headers, "If-None-Match": etag}, ok_status=(304,)))
    return found


def _find(phases: list[dict[str, Any]], name: str, server: str, clients: int
          ) -> dict[str, Any] | None:
    return next((p for p in phases if p["phase"] == name and p["server"] == server
                 and p["clients"] == clients), None)


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def ratios(phases: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for clients in sorted({p["clients"] for p in phases if not p["phase"].startswith("cold-")}):
        def get(name: str, server: str, key: str, c: int = clients) -> float | None:
            found = _find(phases, name, server, c)
            return found[key] if found else None

        ox_rps = get("sparql-mix", "oxigraph", "rps")
        hello_rps = get("hello", "hello", "rps")
        out[str(clients)] = {
            "turtle_rps_vs_hello": _ratio(get("entity-turtle", "ours", "rps"), hello_rps),
            "html_rps_vs_hello": _ratio(get("entity-html", "ours", "rps"), hello_rps),
            "turtle_rps_vs_oxigraph_construct": _ratio(
                get("entity-turtle", "ours", "rps"), get("entity-construct", "oxigraph", "rps")),
            "304_rps_vs_hello": _ratio(get("entity-304", "ours", "rps"), hello_rps),
            "cached_rps_vs_oxigraph": _ratio(get("sparql-cached", "ours", "rps"),
                                             get("sparql-cached", "oxigraph", "rps")),
            "mix_rps_vs_oxigraph": _ratio(get("sparql-mix", "ours-nocache", "rps"), ox_rps),
            "optional_rps_vs_oxigraph": _ratio(get("sparql-optional", "ours-nocache", "rps"),
                                               get("sparql-optional", "oxigraph", "rps")),
            "mix_p99_vs_oxigraph": _ratio(get("sparql-mix", "ours-nocache", "p99_ms"),
                                          get("sparql-mix", "oxigraph", "p99_ms")),
            "named_api_rps_vs_sparql": _ratio(get("named-api", "ours-nocache", "rps"),
                                              get("named-sparql", "ours-nocache", "rps")),
            "suggest_rps_vs_hello": _ratio(get("suggest", "ours", "rps"), hello_rps),
        }
    return out


# --- report ------------------------------------------------------------------------------------

#: Issue 13's targets on the ratios: (key, what, met when).
RATIO_TARGETS: list[tuple[str, str, Callable[[float], bool]]] = [
    ("turtle_rps_vs_hello", "entity Turtle >= 0.7x Flask hello", lambda v: v >= 0.7),
    ("html_rps_vs_hello", "entity HTML >= 0.7x Flask hello", lambda v: v >= 0.7),
    ("turtle_rps_vs_oxigraph_construct", "entity Turtle >= 1.0x Oxigraph's CONSTRUCT of the "
     "same description", lambda v: v >= 1.0),
    ("304_rps_vs_hello", "304 >= 0.9x Flask hello", lambda v: v >= 0.9),
    ("cached_rps_vs_oxigraph", "repeated mix (cache) >= 2x Oxigraph", lambda v: v >= 2),
    ("mix_rps_vs_oxigraph", "uncached light mix >= 0.6x Oxigraph", lambda v: v >= 0.6),
    ("optional_rps_vs_oxigraph", "uncached OPTIONAL-heavy listing >= 1.0x Oxigraph",
     lambda v: v >= 1.0),
]


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 13's targets, as measured in this run (ratios at the largest client count)."""
    sizes = report["sizes"]
    rows: list[dict[str, Any]] = []

    def add(target: str, measured: Any, met: bool | None, note: str = "") -> None:
        rows.append({"target": target, "measured": measured, "met": met, "note": note})

    for size, data in sizes.items():
        by_clients = data.get("ratios") or {}
        if not by_clients:
            continue
        clients = max(by_clients, key=int)
        for key, target, ok in RATIO_TARGETS:
            value = by_clients[clients].get(key)
            add(f"{size}, {clients} clients: {target}", value,
                ok(value) if value is not None else None)
        slow = data.get("slow_clients")
        if slow:
            probe = slow.get("probe", {})
            add(f"{size}: ASK p99 < 100 ms, no error, with {slow['conns']} slow heads + "
                f"{slow['conns']} slow bodies open", probe.get("p99_ms"),
                probe.get("p99_ms", 1e9) < 100 and probe.get("errors", 1) == 0,
                f"ms; {probe.get('requests')} requests, {probe.get('errors')} errors; lying "
                f"Content-Length: {slow.get('cl_lie', {}).get('outcome')} after "
                f"{slow.get('cl_lie', {}).get('seconds')} s")
    big = sizes.get("100000")
    if big:
        built = big.get("build", {})
        if built.get("ok"):
            add("100k: build <= 240 s", built["wall_s"], built["wall_s"] <= 240,
                "(reused: measured " + str(built.get("measured_at")) + ")"
                if built.get("reused") else "")
            add("100k: build peak memory <= 1.5 GB", built["peak_tree_rss_mb"],
                built["peak_tree_rss_mb"] <= 1536, "MB, sum over the build's processes")
        else:
            add("100k: build <= 240 s", f"did not finish: {built.get('last_output', '')}",
                False)
        for name, target, limit in (("suggest", "suggest p95 <= 30 ms", 30.0),
                                    ("facets", "faceted page p95 <= 200 ms", 200.0)):
            for phase_ in big.get("phases", []):  # issue 12, at the largest client count
                if phase_["phase"] == name and phase_["clients"] == max(
                        p["clients"] for p in big["phases"] if p["phase"] == name):
                    add(f"100k, {phase_['clients']} clients, {phase_['server']}: {target}",
                        phase_.get("p95_ms"),
                        phase_.get("p95_ms", 1e9) <= limit)
        servers_ = big.get("servers", {})
        if servers_:
            ready = servers_["ours"]["ready_s"]
            add("100k: server ready <= 1 s", ready, ready <= 1)
    for size, data in sizes.items():
        ready = data.get("servers", {}).get("ours", {}).get("ready_s")
        if size != "100000" and ready is not None:
            add(f"{size}: server ready <= 1 s", ready, ready <= 1)
    return rows


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def markdown(report: dict[str, Any]) -> str:
    lines = [f"# Benchmark {report['meta']['started']}", "",
             "Machine: {cpus} CPUs, {memory_gb} GB; load average at start {load_start}, at end "
             "{load_end}; {duration} s per phase, clients {clients}; load from {driver}; "
             "commit {commit}."
             .format(**report["meta"]), ""]
    for size, data in report["sizes"].items():
        built = data.get("build", {})
        lines += [f"## {size}: {data.get('organisations')} organisations, "
                  f"{built.get('counts', {}).get('store_quads', '?')} quads", ""]
        if data.get("servers"):
            lines += ["| server | ready s | peak RSS MB (tree) | processes |", "|---|---|---|---|"]
            for name, s in data["servers"].items():
                lines.append(f"| {name} | {_fmt(s.get('ready_s'))} | {s.get('peak_rss_mb')} "
                             f"| {s.get('processes')} |")
            ours = data["servers"].get("ours", {})
            lines += ["", f"First query after ready {ours.get('first_query_ms')} ms, first "
                      f"document {ours.get('first_entity_ms')} ms.", ""]
        if data.get("phases"):
            lines += ["| phase | server | clients | req/s | p50 ms | p90 ms | p99 ms | errors "
                      "| load |", "|---|---|---|---|---|---|---|---|---|"]
            for p in data["phases"]:
                lines.append(f"| {p['phase']} | {p['server']} | {p['clients']} | "
                             f"{_fmt(p['rps'])} | {_fmt(p['p50_ms'])} | {_fmt(p['p90_ms'])} | "
                             f"{_fmt(p['p99_ms'])} | {p['errors']} | {p['load_1m']} |")
            lines.append("")
            mix = [p for p in data["phases"] if p["phase"] == "sparql-mix"]
            for clients in sorted({p["clients"] for p in mix}):
                ours_p = _find(mix, "sparql-mix", "ours-nocache", clients)
                ox_p = _find(mix, "sparql-mix", "oxigraph", clients)
                if not ours_p or not ox_p:
                    continue
                lines += [f"Per query, {clients} client(s): ours (no cache) / Oxigraph", "",
                          "| query | req/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|"]
                for q in ours_p["per_request"]:
                    a, b = ours_p["per_request"][q], ox_p["per_request"].get(q, {})
                    lines.append(f"| {q} | {_fmt(a['rps'])} / {_fmt(b.get('rps'))} | "
                                 f"{_fmt(a['p50_ms'])} / {_fmt(b.get('p50_ms'))} | "
                                 f"{_fmt(a['p99_ms'])} / {_fmt(b.get('p99_ms'))} | "
                                 f"{a['errors']} / {b.get('errors')} |")
                lines.append("")
            if data.get("ratios"):
                lines += ["| ratio | " + " | ".join(f"{c} client(s)" for c in data["ratios"])
                          + " |", "|---|" + "---|" * len(data["ratios"])]
                keys = next(iter(data["ratios"].values())).keys()
                for key in keys:
                    lines.append(f"| {key} | " + " | ".join(
                        _fmt(r.get(key)) for r in data["ratios"].values()) + " |")
                lines.append("")
            entity = [p for p in data["phases"] if p["phase"].startswith(("entity-", "cold-"))
                      and p["phase"] != "entity-304"]
            if entity:
                lines += ["Entity documents per kind (req/s, p50 / p99 ms):", "",
                          "| phase | clients | " + " | ".join(
                              sorted({k.split()[1] for p in entity for k in p["per_request"]}))
                          + " |", "|---|---|" + "---|" * len(
                              {k.split()[1] for p in entity for k in p["per_request"]})]
                kinds = sorted({k.split()[1] for p in entity for k in p["per_request"]})
                for p in entity:
                    by_kind = {k.split()[1]: v for k, v in p["per_request"].items()}
                    lines.append(f"| {p['phase']} | {p['clients']} | " + " | ".join(
                        f"{_fmt(by_kind[k]['rps'])}, {_fmt(by_kind[k]['p50_ms'])} / "
                        f"{_fmt(by_kind[k]['p99_ms'])}" if k in by_kind else "–"
                        for k in kinds) + " |")
                lines.append("")
            bad = [n for n, a in data.get("agreement", {}).items() if not a["same"]]
            if bad:
                lines += [f"Answers differ from Oxigraph's for: {', '.join(bad)}", ""]
    for size, data in report["sizes"].items():
        slow = data.get("slow_clients")
        if slow:
            probe = slow.get("probe", {})
            lines += [f"## Slow clients ({size})", "",
                      f"{slow['conns']} slow heads and {slow['conns']} slow bodies (1 byte every "
                      f"{slow['interval_s']:g} s, reconnecting when closed): "
                      f"{slow['slow_open_at_probe_start']} open when the probe started, "
                      f"{slow['slow_closed_by_server']} closed by the server "
                      f"({slow['slow_answers']}). Probe (`ASK {{}}`, sequential): "
                      f"{probe.get('requests')} requests, p50 {probe.get('p50_ms')} ms, p99 "
                      f"{probe.get('p99_ms')} ms, max {probe.get('max_ms')} ms, errors "
                      f"{probe.get('errors')}. Lying Content-Length: "
                      f"{slow.get('cl_lie', {}).get('outcome')} after "
                      f"{slow.get('cl_lie', {}).get('seconds')} s.", ""]
    builds = [(s, d["build"]) for s, d in report["sizes"].items() if d.get("build")]
    if builds:
        stages = list(dict.fromkeys(k for _, b in builds for k in b.get("stages", {})))
        lines += ["## Build", "",
                  "| size | organisations | quads | " + " | ".join(stages)
                  + " | wall s | peak MB (largest process) | peak MB (tree) |",
                  "|---|---|---|" + "---|" * (len(stages) + 3)]
        for size, b in builds:
            lines.append(f"| {size}{' (reused)' if b.get('reused') else ''}"
                         f"{' NOT FINISHED' if not b.get('ok') else ''} | "
                         f"{b.get('organisations')} | "
                         f"{b.get('counts', {}).get('store_quads', '–')} | "
                         + " | ".join(_fmt(b.get("stages", {}).get(s)) for s in stages)
                         + f" | {_fmt(b.get('wall_s'))} | {b.get('peak_rss_mb')} | "
                         f"{b.get('peak_tree_rss_mb')} |")
        lines.append("")
        with_memory = [(size, b) for size, b in builds if b.get("stage_peak_rss_mb")]
        if with_memory:
            names = list(dict.fromkeys(k for _, b in with_memory for k in b["stage_peak_rss_mb"]))
            lines += ["Peak RSS (MB, build process tree) per stage:", "",
                      "| size | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
            for size, b in with_memory:
                lines.append(f"| {size} | " + " | ".join(
                    str(b["stage_peak_rss_mb"].get(n, "–")) for n in names) + " |")
            lines.append("")
    if report.get("targets"):
        lines += ["## Targets (issue 13)", "", "| target | measured | met |", "|---|---|---|"]
        for t in report["targets"]:
            met = {True: "yes", False: "**no**", None: "–"}[t["met"]]
            lines.append(f"| {t['target']} | {_fmt(t['measured'])} {t['note']} | {met} |")
        lines.append("")
    return "\n".join(lines)


def meta(args: argparse.Namespace) -> dict[str, Any]:
    def version(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False
                                  ).stdout.strip()
        except OSError:
            return ""

    import pyoxigraph

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "dirty": bool(version(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                               "server", "shapes", "bench"])),
        "cpus": os.cpu_count(), "memory_gb": round(memory / 2**30),
        "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__,
        "oxigraph": version([servers.oxigraph_binary(), "--version"]),
        "load_start": load(), "duration": args.duration, "clients": args.clients,
        "sizes": args.sizes, "entities": args.entities,
        "ours": " ".join(["midwest-lod", *servers.ours_command(0)[3:]]),
        "driver": args.driver,
        "query_timeout": QUERY_TIMEOUT, "oxigraph_timeout": args.oxigraph_timeout,
        "phases": args.phases or "all",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="real,100,1000,10000,100000",
                        help="comma-separated: real and/or numbers of synthetic organisations")
    parser.add_argument("--clients", default="1,8", help="concurrent clients, comma-separated")
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase")
    parser.add_argument("--entities", type=int, default=300,
                        help="entity documents in the steady sample")
    parser.add_argument("--cold", type=int, default=100,
                        help="documents requested once, never before (cold)")
    parser.add_argument("--build", choices=("auto", "always", "never"), default="auto",
                        help="auto: reuse a build of the same data and code")
    parser.add_argument("--build-timeout", type=float, default=3 * 3600,
                        help="seconds before a build is stopped (reported with its progress)")
    parser.add_argument("--oxigraph-timeout", type=int, default=0,
                        help="Oxigraph's --timeout-s (default: none). Oxigraph 0.5 starts a "
                             "thread per query that lives as long as the timeout: at thousands "
                             "of queries a second it runs out of threads and answers 500")
    parser.add_argument("--build-only", action="store_true",
                        help="generate and build (or reuse) only; serve and load nothing")
    parser.add_argument("--quick", action="store_true",
                        help="real data and 1000 organisations, 5 s phases")
    parser.add_argument("--out", type=Path, help="JSON report (default bench/results/<date>.json)")
    parser.add_argument("--driver", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator: wrk when installed (auto), or the Python driver")
    parser.add_argument("--slow-conns", type=int, default=200,
                        help="slow heads (and as many slow bodies) on the first size; 0 = none")
    parser.add_argument("--slow-seconds", type=float, default=15,
                        help="seconds ASK {} is probed while the slow clients are open")
    parser.add_argument("--phases", default="",
                        help="comma-separated phases to run (default: all): "
                             + ", ".join(PHASES))
    args = parser.parse_args(argv)
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = sorted(set(args.phases) - set(PHASES))
    if unknown:
        parser.error(f"unknown phases: {', '.join(unknown)} (known: {', '.join(PHASES)})")
    if args.driver == "auto":
        args.driver = "wrk" if wrk.available() else "python"
    if args.quick:
        args.sizes, args.duration = "real,1000", min(args.duration, 5)
        args.entities, args.cold = min(args.entities, 100), min(args.cold, 40)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.clients = [int(c) for c in args.clients.split(",")]
    out: Path = args.out or RESULTS / f"{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)

    sampler = servers.MemorySampler()
    sampler.start()
    report: dict[str, Any] = {"meta": meta(args), "sizes": {}}
    try:
        for size in args.sizes:
            report["sizes"][size] = run_size(size, args, sampler)
            report["meta"]["load_end"] = load()
            report["targets"] = targets(report)
            out.write_text(json.dumps(report, indent=2))  # after every size: partial results
    finally:
        sampler.stop()
    report["meta"]["load_end"] = load()
    report["targets"] = targets(report)
    out.write_text(json.dumps(report, indent=2))
    text = markdown(report)
    out.with_suffix(".md").write_text(text + "\n")
    print(text)
    log(f"report: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} (+ .md)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
