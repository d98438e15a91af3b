"""SPARQL evaluated by an external SPARQL 1.1 server (setting ``sparql_query_url``).

:class:`RemoteQueryService` is the :class:`~midwest_lod.web.query.service.QueryService` of
external mode (docs/decisions/0006-external-store.md). The endpoint has already checked the
query (read-only, no ``SERVICE``, length, nesting) before it gets here; this class

* forwards it with ``POST application/sparql-query`` (the default prefixes of the endpoint as
  a one-line prologue, so the error positions of the server are moved back one line), with
  ``default-graph-uri`` / ``named-graph-uri`` as sent, and Oxigraph's ``union-default-graph``
  parameter when neither they nor a FROM in the query say what the default graph is;
* asks for a format it can cut: TSV for SELECT (one solution per line), N-Triples for
  CONSTRUCT and DESCRIBE (one triple per line), SPARQL JSON for ASK. It reads at most
  ``row_limit + 1`` lines of the streamed answer, closes the connection, and writes the
  kept rows in the negotiated format with the same writers as the embedded engine
  (``results.py``, pyoxigraph's serializer): cut answers say so the same way. An answer in
  another result format (JSON, XML) is read whole, up to :data:`MAX_FALLBACK_BYTES`;
* gives up after ``query_timeout`` (503 + ``Retry-After``, as the embedded engine). The
  server may go on evaluating: it must bound queries itself (``oxigraph serve --timeout-s``;
  0.5.13 does not stop every query with it, see the decision record);
* lets ``query_workers`` queries per web process run at once and ``query_queue_length`` more
  wait up to ``query_queue_wait`` seconds, the rest get 503 at once: the same guard rails as
  the worker pool (:class:`~midwest_lod.web.query.admission.Slots`), so SPARQL cannot tie up
  every thread of the web server.
"""

from __future__ import annotations

import itertools
import logging
import time

import pyoxigraph as ox
import requests

from midwest_lod.config import Settings
from midwest_lod.errors import NotAcceptable, QueryTimeout, ServiceUnavailable
from midwest_lod.external.client import (
    CONNECT_TIMEOUT,
    QUERY_MEDIA_TYPE,
    UNION_PARAMETER,
    Sessions,
    media_type,
    parse_answer,
    unavailable,
)
from midwest_lod.formats import (
    GRAPH_FORMATS,
    N_TRIPLES,
    RDF_XML,
    RESULT_FORMATS,
    RESULTS_JSON,
    RESULTS_TSV,
    RESULTS_XML,
    TURTLE,
    Format,
)
from midwest_lod.sparql import analyse, prologue, shift_positions
from midwest_lod.vocab import prefixes_for
from midwest_lod.web.published import Publication
from midwest_lod.web.query.admission import Slots
from midwest_lod.web.query.results import write_boolean, write_solutions
from midwest_lod.web.query.service import Dataset, FormatChoice, Result, syntax_error

log = logging.getLogger(__name__)

#: Seconds past ``query_timeout`` granted to the network (the answer's first bytes).
TIMEOUT_MARGIN = 0.5
#: Largest answer read whole when the server does not send the format asked for.
MAX_FALLBACK_BYTES = 64 * 1024 * 1024
_ACCEPT = {
    "SELECT": f"{RESULTS_TSV.media_type}, {RESULTS_JSON.media_type};q=0.9, "
              f"{RESULTS_XML.media_type};q=0.8",
    "ASK": f"{RESULTS_JSON.media_type}, {RESULTS_XML.media_type};q=0.9",
    "GRAPH": f"{N_TRIPLES.media_type}, {TURTLE.media_type};q=0.9, {RDF_XML.media_type};q=0.8",
}


class RemoteQueryService:
    """Forwards checked queries to ``sparql_query_url`` (see the module)."""

    def __init__(self, settings: Settings, publication: Publication) -> None:
        self.settings = settings
        self.publication = publication
        self.url = settings.sparql_query_url
        self.prefixes = prefixes_for(settings.base_iri)
        self.prologue = prologue(self.prefixes)
        self.sessions = Sessions()
        self.slots = Slots(settings.query_workers, settings.query_queue_wait,
                           max_waiting=settings.query_queue_length, what="query slots")

    def run(self, query: str, formats: FormatChoice, dataset: Dataset, *,
            has_dataset_clause: bool = False) -> Result:
        version = self.publication.current()
        form = analyse(query).form or "SELECT"
        kind = "GRAPH" if form in ("CONSTRUCT", "DESCRIBE") else form
        wanted = formats.graph if kind == "GRAPH" else formats.solutions
        if wanted is None:
            available = GRAPH_FORMATS if kind == "GRAPH" else RESULT_FORMATS
            raise NotAcceptable(
                f"none of the formats of {form} results is acceptable; available:",
                details=[f.media_type for f in available])
        params: list[tuple[str, str]] = [("default-graph-uri", g) for g in dataset.default_graphs]
        params += [("named-graph-uri", g) for g in dataset.named_graphs]
        if not dataset.given and not has_dataset_clause:
            params.append((UNION_PARAMETER, ""))
        timeout = self.settings.query_timeout
        with self.slots.hold(retry=max(1, round(timeout))):
            deadline = time.monotonic() + timeout
            try:
                body, truncated, rows = self._evaluate(query, kind, wanted, params, deadline)
            except (requests.Timeout, _Late):
                log.warning("query stopped after %.1f s: %.200r", timeout, query)
                raise QueryTimeout(
                    f"the query ran longer than {timeout:g} s (the query_timeout setting) and "
                    "was stopped. Add a LIMIT, make the patterns more specific, or download a "
                    "dump and query it locally.",
                    headers={"Retry-After": str(max(1, round(timeout)))}) from None
            except requests.RequestException as exc:
                if time.monotonic() >= deadline:  # a read timeout while streaming
                    raise QueryTimeout(f"the query ran longer than {timeout:g} s (the "
                                       "query_timeout setting) and was stopped.",
                                       headers={"Retry-After": str(max(1, round(timeout)))}
                                       ) from None
                raise unavailable(self.url, f"it cannot be reached ({type(exc).__name__})"
                                  ) from None
        return Result(body, wanted, truncated, rows, version.id)

    def _evaluate(self, query: str, kind: str, wanted: Format,
                  params: list[tuple[str, str]], deadline: float) -> tuple[bytes, bool, int]:
        response = self.sessions.get().post(
            self.url, data=(self.prologue + query).encode("utf-8"), params=params,
            headers={"Content-Type": QUERY_MEDIA_TYPE, "Accept": _ACCEPT[kind]},
            timeout=(CONNECT_TIMEOUT, self.settings.query_timeout + TIMEOUT_MARGIN), stream=True)
        with response:
            if response.status_code == 400:
                raise syntax_error(query, shift_positions(response.text[:2000]))
            if response.status_code != 200:
                raise unavailable(self.url, f"it answered {response.status_code} "
                                            f"{response.text[:200]!r}")
            content_type = media_type(response)
            limit = self.settings.row_limit
            if kind == "SELECT" and content_type == RESULTS_TSV.media_type:
                lines = _lines(response, limit + 2, deadline)  # the header, limit + 1 rows
                answer = parse_answer(content_type, b"\n".join(lines) + b"\n", self.url)
            elif kind == "GRAPH" and content_type == N_TRIPLES.media_type:
                lines = _lines(response, limit + 1, deadline)
                answer = parse_answer(content_type, b"\n".join(lines) + b"\n", self.url)
            else:  # ASK, or the server chose another format: read it whole (bounded)
                answer = parse_answer(content_type, _whole(response, deadline), self.url)
        return _write(answer, kind, wanted, limit, self.prefixes, self.url)

    def warm(self) -> None:
        """Nothing to start: connections are opened by the first queries."""

    def close(self) -> None:
        """Nothing to stop."""


class _Late(Exception):
    """The answer was still coming in at the deadline."""


def _lines(response: requests.Response, most: int, deadline: float) -> list[bytes]:
    """At most ``most`` non-empty lines of the streamed answer (comments skipped)."""
    lines: list[bytes] = []
    for line in response.iter_lines(chunk_size=65536, delimiter=b"\n"):
        if time.monotonic() > deadline:
            raise _Late()
        line = line.rstrip(b"\r")
        if not line.strip() or line.startswith(b"#"):
            continue
        lines.append(line)
        if len(lines) >= most:
            break
    return lines


def _whole(response: requests.Response, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        if time.monotonic() > deadline:
            raise _Late()
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_FALLBACK_BYTES:
            raise ServiceUnavailable(
                f"the answer of the SPARQL store is larger than {MAX_FALLBACK_BYTES} bytes in "
                "a format that cannot be cut; add a LIMIT")
    return b"".join(chunks)


def _write(answer: ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple], kind: str,
           wanted: Format, limit: int, prefixes: dict[str, str],
           url: str) -> tuple[bytes, bool, int]:
    if kind == "GRAPH":
        if not isinstance(answer, list):
            raise unavailable(url, "it answered a CONSTRUCT with solutions")
        triples = answer[:limit]
        body = ox.serialize(triples, format=wanted.rdf_format, prefixes=prefixes) or b""
        return body, len(answer) > limit, len(triples)
    if isinstance(answer, ox.QueryBoolean):
        return write_boolean(wanted.name, bool(answer)), False, 1
    if not isinstance(answer, ox.QuerySolutions):
        raise unavailable(url, "it answered a SELECT or ASK with a graph")
    variables = [v.value for v in answer.variables]
    rows = [list(s) for s in itertools.islice(answer, limit + 1)]
    truncated = len(rows) > limit
    del rows[limit:]
    return write_solutions(wanted.name, variables, rows), truncated, len(rows)

