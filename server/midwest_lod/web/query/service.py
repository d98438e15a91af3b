"""SPARQL evaluation behind one small interface, :class:`QueryService`.

The SPARQL blueprint checks a request (read-only, no SERVICE, length), negotiates formats and
calls ``QueryService.run``. :class:`EmbeddedQueryService` evaluates in worker processes against
the published store; a result cache or an external SPARQL server (setting
``sparql_query_url``) slot in as other implementations or wrappers of the same protocol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from midwest_lod.config import Settings
from midwest_lod.errors import BadRequest, NotAcceptable
from midwest_lod.formats import BY_NAME, GRAPH_FORMATS, RESULT_FORMATS, Format
from midwest_lod.iris import SPARQL_PATH
from midwest_lod.vocab import prefixes_for
from midwest_lod.web.published import Publication
from midwest_lod.web.query.worker import Job, WorkerPool

_POSITION = re.compile(r"\bat (\d+):(\d+)")
_KINDS: dict[str, tuple[str, tuple[Format, ...]]] = {
    "boolean": ("ASK", RESULT_FORMATS),
    "solutions": ("SELECT", RESULT_FORMATS),
    "graph": ("CONSTRUCT and DESCRIBE", GRAPH_FORMATS),
}


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of a request (default-graph-uri, named-graph-uri)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True)
class FormatChoice:
    """The negotiated format for each kind of result (None: the client accepts none)."""

    solutions: Format | None  # SELECT, ASK
    graph: Format | None  # CONSTRUCT, DESCRIBE


@dataclass(frozen=True)
class Result:
    """A serialised query result."""

    body: bytes
    format: Format
    truncated: bool
    rows: int
    version: str
    cache: str = ""  # "hit" or "miss" behind a result cache (web/query/cache.py), else ""
    gzipped: bytes | None = None  # the body gzipped once, when a result cache keeps it


class QueryService(Protocol):
    """Evaluates a (checked) query and returns the serialised result, or raises HttpError."""

    def run(self, query: str, formats: FormatChoice, dataset: Dataset, *,
            has_dataset_clause: bool = False) -> Result: ...

    def warm(self) -> None: ...

    def close(self) -> None: ...


def syntax_error(query: str, message: str) -> BadRequest:
    """A 400 with the parser's message and the offending line marked."""
    details = []
    match = _POSITION.search(message)
    if match:
        line_no, column = int(match.group(1)), int(match.group(2))
        lines = query.splitlines()
        if 1 <= line_no <= len(lines):
            line = lines[line_no - 1]
            details = [f"line {line_no}, column {column}:", line, " " * (column - 1) + "^"]
    return BadRequest(f"SPARQL syntax error: {message}", details=details)


class EmbeddedQueryService:
    """Queries the published pyoxigraph store in a pool of worker processes."""

    def __init__(self, settings: Settings, publication: Publication) -> None:
        self.settings = settings
        self.publication = publication
        self.pool = WorkerPool(settings.query_workers, settings.query_queue_wait,
                               max_waiting=settings.query_queue_length,
                               memory_limit=settings.query_memory_limit)
        self.prefixes = prefixes_for(settings.base_iri)
        self.base_iri = str(settings.iris.url(SPARQL_PATH))

    def run(self, query: str, formats: FormatChoice, dataset: Dataset, *,
            has_dataset_clause: bool = False) -> Result:
        version = self.publication.current()
        job = Job(
            store_path=str(version.store_path),
            query=query,
            solutions_format=formats.solutions.name if formats.solutions else None,
            graph_format=formats.graph.name if formats.graph else None,
            row_limit=self.settings.row_limit,
            union_default_graph=not has_dataset_clause,
            default_graphs=dataset.default_graphs if dataset.given else None,
            named_graphs=dataset.named_graphs if dataset.given else None,
            prefixes=self.prefixes,
            base_iri=self.base_iri,
        )
        reply = self.pool.run(job, self.settings.query_timeout)
        if reply.error == "syntax":
            raise syntax_error(query, reply.message)
        if reply.error == "not_acceptable":
            form, available = _KINDS[reply.message]
            raise NotAcceptable(
                f"none of the formats of {form} results is acceptable; available:",
                details=[f.media_type for f in available],
            )
        if reply.error:  # the engine failed (I/O): a generic 500, logged in full
            raise RuntimeError(f"query engine error: {reply.message}")
        return Result(reply.body, BY_NAME[reply.format_name], reply.truncated, reply.rows,
                      version.id)

    def warm(self) -> None:
        """Start the worker processes ahead of the first query."""
        self.pool.start()

    def close(self) -> None:
        self.pool.close()
