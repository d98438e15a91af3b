"""HTTP access to an external SPARQL 1.1 server (docs/decisions/0006-external-store.md).

:class:`RemoteStore` reads the data of the published version from the server's query URL.
Its :meth:`RemoteStore.query` has the signature of pyoxigraph's ``Store.query`` (the subset
the application uses), so the code that reads a version (entity documents, index pages, the
catalogue, ``/health``) reads the embedded store and the external one alike:

* ``substitutions`` are bound with a ``VALUES`` block (:func:`midwest_lod.sparql.bind_values`),
  never pasted;
* ``prefixes`` and ``base_iri`` become ``PREFIX`` and ``BASE`` declarations;
* ``use_default_graph_as_union`` becomes Oxigraph's ``union-default-graph`` request parameter
  (other servers must be configured with the union of the named graphs as default graph);
* SELECT and ASK come back as pyoxigraph's ``QuerySolutions`` / ``QueryBoolean`` (parsed from
  SPARQL JSON), CONSTRUCT and DESCRIBE as a list of ``Triple`` (parsed from N-Triples).

A server that cannot be reached, does not answer in time, answers with an error or with
something unreadable is a :class:`ServiceUnavailable` (503 to a web client); a query it
rejects as malformed is a ``SyntaxError``, as pyoxigraph raises.
"""

from __future__ import annotations

import os
import threading
from datetime import datetime

import pyoxigraph as ox
import requests

from midwest_lod.assets import query_dir
from midwest_lod.errors import ServiceUnavailable
from midwest_lod.formats import (
    ALIASES,
    N_TRIPLES,
    RESULTS_JSON,
    RESULTS_TSV,
    RESULTS_XML,
    SPARQL_QUERY_MEDIA_TYPE,
)
from midwest_lod.iris import Iris
from midwest_lod.sparql import bind_values, prologue
from midwest_lod.timestamps import parse_utc

QUERY_MEDIA_TYPE = SPARQL_QUERY_MEDIA_TYPE
#: What reads of the application ask for: SPARQL JSON (SELECT, ASK) or N-Triples (CONSTRUCT).
READ_ACCEPT = f"{RESULTS_JSON.media_type}, {N_TRIPLES.media_type};q=0.9"
#: Oxigraph's request parameter for "the default graph is the union of all graphs".
UNION_PARAMETER = "union-default-graph"
#: Seconds to open a connection to the server.
CONNECT_TIMEOUT = 3.05
#: Result formats an answer may come in, by media type.
RESULTS_FORMATS = {
    media_type: fmt.results_format
    for fmt in (RESULTS_JSON, RESULTS_XML, RESULTS_TSV) if fmt.results_format is not None
    for media_type in (fmt.media_type, *(a for a, t in ALIASES.items() if t == fmt.media_type))
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Answer = ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]


class Sessions:
    """One ``requests.Session`` (keep-alive connections) per thread and process."""

    def __init__(self) -> None:
        self._local = threading.local()

    def get(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None or getattr(self._local, "pid", None) != os.getpid():
            session = requests.Session()
            session.trust_env = False  # no proxy from the environment between us and the store
            self._local.session = session
            self._local.pid = os.getpid()
        return session


def media_type(response: requests.Response) -> str:
    return (response.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()


def unavailable(url: str, why: str) -> ServiceUnavailable:
    return ServiceUnavailable(f"the SPARQL store is not available: {why}",
                              details=[f"store: {url}"], headers={"Retry-After": "5"})


def parse_answer(content_type: str, body: bytes, url: str) -> Answer:
    """An answer of the server as pyoxigraph objects; :class:`ServiceUnavailable` when it
    cannot be read (an error message where results were due, a cut body)."""
    try:
        results = RESULTS_FORMATS.get(content_type)
        if results is not None:
            return ox.parse_query_results(body, format=results)
        rdf = ox.RdfFormat.from_media_type(content_type) if content_type else None
        if rdf is None:
            raise unavailable(url, f"it answered {content_type or 'no Content-Type'}")
        return [quad.triple for quad in ox.parse(body, format=rdf)]
    except (SyntaxError, ValueError) as exc:
        raise unavailable(url, f"its answer cannot be read ({exc})") from None


class RemoteStore:
    """The data of the published version on an external server (see the module)."""

    def __init__(self, query_url: str, timeout: float, sessions: Sessions | None = None) -> None:
        self.url = query_url
        self.timeout = timeout
        self.sessions = sessions or Sessions()

    def query(self, query: str, /, *, base_iri: str | None = None,
              prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False,
              substitutions: dict[ox.Variable, Term] | None = None) -> Answer:
        bindings = {variable.value: term for variable, term in (substitutions or {}).items()}
        text = prologue(prefixes, base_iri) + bind_values(query, bindings)
        params = {UNION_PARAMETER: ""} if use_default_graph_as_union else {}
        try:
            response = self.sessions.get().post(
                self.url, data=text.encode("utf-8"), params=params,
                headers={"Content-Type": QUERY_MEDIA_TYPE, "Accept": READ_ACCEPT},
                timeout=(CONNECT_TIMEOUT, self.timeout))
        except requests.Timeout:
            raise unavailable(self.url, f"no answer within {self.timeout:g} s") from None
        except requests.RequestException as exc:
            raise unavailable(self.url, f"it cannot be reached ({type(exc).__name__})") from None
        if response.status_code == 400:
            raise SyntaxError(response.text[:1000])
        if response.status_code != 200:
            raise unavailable(self.url, f"it answered {response.status_code} "
                                        f"{response.text[:200]!r}")
        return parse_answer(media_type(response), response.content, self.url)


def published_version(store: RemoteStore, iris: Iris) -> tuple[str, datetime] | None:
    """(version id, build time) of the version the server holds, from its metadata graph
    (``queries/published-version.rq``), or None when it holds none."""
    from midwest_lod.vocab import prefixes_for

    text = (query_dir() / "published-version.rq").read_text(encoding="utf-8")
    answer = store.query(text, prefixes=prefixes_for(iris.base), substitutions={
        ox.Variable("dataset"): ox.NamedNode(str(iris.dataset)),
        ox.Variable("metadata_graph"): ox.NamedNode(str(iris.graph("metadata")))})
    if not isinstance(answer, ox.QuerySolutions):
        raise unavailable(store.url, "the version query did not answer with solutions")
    for row in answer:
        version, modified = row["version"], row["modified"]
        if isinstance(version, ox.Literal) and isinstance(modified, ox.Literal):
            return version.value, parse_utc(modified.value).replace(microsecond=0)
    return None
