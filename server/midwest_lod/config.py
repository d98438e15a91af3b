"""Settings: declared once, here, with their help text.

Each field of :class:`Settings` is one setting. Its value comes from, in order of precedence:
an explicit override (tests, command-line options), the environment variable
``MIDWEST_LOD_<NAME>`` (upper case), and the default below. ``midwest-lod settings`` prints
the table; ``docs/settings.md`` is generated from it and a test keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from midwest_lod.assets import asset_dir
from midwest_lod.errors import ConfigError
from midwest_lod.iris import Iris

ENV_PREFIX = "MIDWEST_LOD_"

MODELLICENTIE = "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0"


def _setting(default: Any, help: str) -> Any:  # noqa: A002 - "help" reads best here
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """All settings of the publisher. Field docs are in the ``help`` metadata."""

    base_iri: str = _setting(
        "https://data.midwest.be",
        "Base of every IRI the graph mints ({base}/id/..., /doc/..., /ns/...). No trailing slash.",
    )
    data_dir: Path = _setting(
        None,
        "Folder of the source files (default: ./data when it holds region.yaml, else data/ "
        "of the checkout, else the copy bundled with the package).",
    )
    output_dir: Path = _setting(
        Path("var"),
        "Folder that holds published versions, the current-version link and the event stream.",
    )
    host: str = _setting("127.0.0.1", "Interface `midwest-lod serve` listens on.")
    port: int = _setting(8000, "Port `midwest-lod serve` listens on.")
    web_workers: int = _setting(
        1, "Web worker processes `midwest-lod serve` starts (`--workers`); each has its own "
        "query workers and answer cache. Production on 2 cores: 2."
    )
    web_threads: int = _setting(
        0, "Threads per web worker that run the application (`--threads`; 0 = query_workers "
        "+ query_queue_length + 4). A client still sending its request holds none."
    )
    header_timeout: float = _setting(
        5.0, "Seconds a client has to send the whole request head (line and headers); past "
        "it, and after as long idle on a kept-alive connection, the connection is closed."
    )
    body_timeout: float = _setting(
        5.0, "Seconds a client has to send the whole request body once its head is in; past "
        "it the request gets 408 and the connection is closed. The body is read before any "
        "thread is taken; one over 4 x max_query_length + 4 KiB gets 413 without being read."
    )
    max_head_bytes: int = _setting(
        512 * 1024, "Largest request head (request line and headers) in bytes; a longer head "
        "is refused (a request target over 64 KiB always is: 414)."
    )
    server_access_log: bool = _setting(
        False, "Also write the HTTP server's (granian's) own plain line per request to standard "
        "output; the structured log of every request is the setting access_log."
    )
    response_cache_bytes: int = _setting(
        32 * 1024 * 1024, "Bytes of rendered answers of the published version (documents, "
        "repeated queries, their 304s) each web worker keeps to answer again without running "
        "the application (0 = off; /sparql and /api/ are not answered from it when "
        "rate_limit is on or cache_max_bytes is 0)."
    )
    license_iri: str = _setting(MODELLICENTIE, "Licence of the dataset (an IRI).")
    query_timeout: float = _setting(
        5.0, "Seconds a SPARQL query may run before it is stopped and answered with an error."
    )
    row_limit: int = _setting(
        10000, "Most result rows (or triples) in a SPARQL response; more are cut, with a signal."
    )
    query_workers: int = _setting(
        2, "Query worker processes per web worker (the concurrency cap on SPARQL evaluation)."
    )
    query_queue_wait: float = _setting(
        1.0, "Seconds a SPARQL request waits for a free query worker before it gets 503."
    )
    query_queue_length: int = _setting(
        6, "SPARQL requests per web worker that may wait for a free query worker; more get "
        "503 at once (keeps web threads free for pages)."
    )
    query_memory_limit: int = _setting(
        1024 * 1024 * 1024, "Bytes of memory (heap: RLIMIT_DATA) per query worker process; a "
        "query needing more is stopped with 503 (0 = no limit; docs/operations.md, Memory)."
    )
    max_query_length: int = _setting(
        100_000, "Longest SPARQL query text accepted, in characters (longer gets 413)."
    )
    cache_max_bytes: int = _setting(
        32 * 1024 * 1024, "Bytes the SPARQL result cache may use per web worker (0 = off)."
    )
    rate_limit: int = _setting(
        0, "Requests per minute one client address may make to /sparql, per web worker "
        "process (0 = no limit); more get 429 with Retry-After."
    )
    trusted_proxies: int = _setting(
        0, "Reverse proxies in front that append the client to X-Forwarded-For; the rate "
        "limit reads the client from that header (0 = ignore it, use the connection's address)."
    )
    sparql_query_url: str = _setting(
        "", "Query URL of an external SPARQL 1.1 server (`oxigraph serve`: http://host:7878/"
        "query) the web application reads everything from, instead of the published store "
        "(docs/decisions/0006-external-store.md)."
    )
    sparql_gsp_url: str = _setting(
        "", "Graph Store Protocol URL of that server (`oxigraph serve`: http://host:7878/store)"
        ": the build replaces its whole dataset with the new version in one PUT, before "
        "switching `current`."
    )
    sparql_publish_timeout: float = _setting(
        600.0, "Seconds the build waits for the external SPARQL server to load a new version."
    )
    address_api_url: str = _setting(
        "https://api.basisregisters.vlaanderen.be/v2/",
        "Base URL of the Basisregisters Vlaanderen API (adresmatch).",
    )
    address_api_key: str = _setting("", "Optional x-api-key for the Basisregisters API.")
    http_timeout: float = _setting(10.0, "Seconds before an outbound HTTP request times out.")
    http_retries: int = _setting(3, "Retries (exponential backoff) of outbound HTTP requests.")
    http_min_interval: float = _setting(
        0.5, "Least seconds between two outbound requests to the same service (politeness)."
    )
    ldes_page_size: int = _setting(100, "Members per page of the event stream.")
    metrics_dir: str = _setting(
        "", "Folder where the web worker processes of one server keep their Prometheus metrics "
        "(prometheus_client's multiprocess mode), so that /-/metrics adds up all of them. "
        "Give each server its own, empty at start (counts of an earlier run found there are "
        "added). Empty: a folder of its own per server under the system's temporary folder, "
        "named after the workers' parent process (the gunicorn or granian master)."
    )
    access_log: bool = _setting(
        True, "Write one JSON line per request (time, request id, method, path, route, status, "
        "duration, bytes, client, cache) to standard error (logger midwest_lod.access)."
    )
    stored_queries_max: int = _setting(
        100_000, "Short links of the query editor (/sparql/q/<id>, files in <output_dir>/"
        "links, kept across restarts and publications) stored at most; the same query is one "
        "link, so only distinct queries count. When reached, a new link gets 507 and existing "
        "ones keep working; `midwest-lod prune-links` removes links unused for a time "
        "(0 = no new links)."
    )
    validation_batch_size: int = _setting(
        2000, "Records validated per SHACL batch (bounds build memory on large inputs)."
    )
    shacl_engine: str = _setting(
        "auto",
        "SHACL engine of the build: pyshacl, turbo (pyshacl-turbo, same results, ~15x faster) "
        "or auto (pyshacl up to 2,000 organisations, turbo above).",
    )

    def __post_init__(self) -> None:
        if self.data_dir is None:
            object.__setattr__(self, "data_dir", default_data_dir())
        if self.base_iri.endswith("/"):
            object.__setattr__(self, "base_iri", self.base_iri.rstrip("/"))
        if not self.base_iri.startswith(("http://", "https://")):
            raise ConfigError(f"base_iri must be an absolute http(s) IRI, got {self.base_iri!r}")

    @classmethod
    def load(
        cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from defaults, then ``MIDWEST_LOD_*`` environment variables, then overrides."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            env_name = ENV_PREFIX + f.name.upper()
            if env_name in environ:
                values[f.name] = _parse(f, environ[env_name], source=env_name)
        for name, value in (overrides or {}).items():
            if name not in _FIELD_NAMES:
                raise ConfigError(f"unknown setting {name!r}; see `midwest-lod settings`")
            if value is not None:
                values[name] = _parse(_FIELDS[name], value, source=name)
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    @cached_property
    def iris(self) -> Iris:
        """The IRI builder of ``base_iri``, made once: the build, the web application
        (``midwest_lod.web.context.iris()``) and the external store use this one."""
        return Iris(self.base_iri)


def _parse(f: dataclasses.Field[Any], raw: Any, *, source: str) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    if not isinstance(raw, str):
        return Path(raw) if kind == "Path" and raw is not None else raw
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw)
        if kind == "bool":
            return raw.strip().lower() in {"1", "true", "yes", "on"}
    except ValueError as exc:
        raise ConfigError(f"{source}: expected {kind}, got {raw!r}") from exc
    return raw


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
_FIELD_NAMES = frozenset(_FIELDS)


def default_data_dir() -> Path:
    """``./data`` when the working directory is a checkout, else the package's own data.

    A steward who installed the package without ``-e`` and edits ``data/`` in the checkout
    still builds what they edited.
    """
    local = Path("data")
    if (local / "region.yaml").is_file():
        return local.resolve()
    return asset_dir("data")


def describe_settings() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting, in declaration order."""
    rows = []
    for f in dataclasses.fields(Settings):
        default = f.default if f.default is not dataclasses.MISSING else ""
        shown = "./data, or the package's data/" if f.name == "data_dir" else str(default)
        rows.append((ENV_PREFIX + f.name.upper(), shown, str(f.metadata["help"])))
    return rows
