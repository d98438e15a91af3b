"""Fixtures of the event-stream tests: builds into private output folders, data edits, the npm
``ldes-client`` (installed by ``.ci/run`` into ``tools/ldes-client``) and a real server.

What the stream must contain is computed here independently of
:mod:`midwest_lod.pipeline.eventstream`: from the published store, with SPARQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from midwest_lod.assets import asset_dir
from midwest_lod.config import Settings
from midwest_lod.iris import Iris
from midwest_lod.pipeline import BuildResult, run_build
from midwest_lod.vocab import prefixes_for
from midwest_lod.web.queries import QueryFiles
from tests.web.helpers import ServerProcess, free_port

REPO = Path(__file__).resolve().parents[2]
CLIENT = REPO / "tools" / "ldes-client" / "node_modules" / ".bin" / "ldes-client"
INSTALL = "npm ci --prefix tools/ldes-client"

DCT_MODIFIED = "http://purl.org/dc/terms/modified"
DCT_IS_VERSION_OF = "http://purl.org/dc/terms/isVersionOf"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
AS_DELETE = "https://www.w3.org/ns/activitystreams#Delete"
#: Kinds under /id/ that are not entities of the stream (docs/decisions/0004-event-stream.md).
NOT_ENTITIES = {"bewering", "graaf", "invoer", "activiteit", "software", "dataset", "catalogus",
                "dataservice", "distributie"}

T1 = dt.datetime(2026, 3, 1, 9, 0, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)
T3 = dt.datetime(2026, 3, 3, 9, 0, 0, tzinfo=dt.UTC)
T4 = dt.datetime(2026, 3, 4, 9, 0, 0, tzinfo=dt.UTC)


def text(term: object) -> str:
    """The IRI, label or lexical form of an RDF term."""
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# --- data and builds ---------------------------------------------------------------------------

def copy_data(target: Path) -> Path:
    shutil.copytree(asset_dir("data"), target)
    return target


#: The edits of "a data change": a service renamed (a changed entity) and a site removed (a
#: tombstone; its organisation changes too).
RENAMED_SERVICE = ("actors/de-bieweg.yaml", "name: {nl: Ateliers,",
                   "name: {nl: Ateliers van De Bieweg,")
REMOVED_SITE = ("actors/de-lochting.yaml", "  - key: moorslede-landbouwgrond\n",
                "  - key: sint-eloois-winkel-serres\n")


def rename_service(data: Path) -> None:
    name, old, new = RENAMED_SERVICE
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{name} no longer has {old!r}: update tests/ldes/conftest.py"
    path.write_text(text.replace(old, new), encoding="utf-8")


def remove_site(data: Path) -> None:
    name, start, following = REMOVED_SITE
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert start in text and following in text, f"{name} changed: update tests/ldes/conftest.py"
    begin, end = text.index(start), text.index(following)
    assert begin < end
    path.write_text(text[:begin] + text[end:], encoding="utf-8")


def build(data: Path, out: Path, moment: dt.datetime, **settings: object) -> BuildResult:
    result = run_build(Settings.load({"data_dir": data, "output_dir": out, **settings}),
                       now=moment)
    assert result.ok, result.report(include_warnings=False)
    assert result.version is not None
    return result


# --- what the stream must say, from the published store ---------------------------------------

def store_entities(version_path: Path, base: str) -> dict[str, set[tuple[str, str]]]:
    """Entity IRI → its (predicate, object N-Triples term) pairs in the data graphs."""
    store = ox.Store.read_only(str(version_path / "store"))
    query = f"""
        SELECT ?s ?p ?o WHERE {{
          GRAPH ?g {{ ?s ?p ?o }}
          FILTER(STRSTARTS(STR(?g), "{base}/id/bewering/"))
          FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}/id/"))
        }}"""
    entities: dict[str, set[tuple[str, str]]] = {}
    for row in store.query(query):  # type: ignore[union-attr]
        subject = row["s"].value
        kind = subject[len(base) + len("/id/"):].split("/", 1)[0]
        if kind in NOT_ENTITIES:
            continue
        entities.setdefault(subject, set()).add((row["p"].value, str(row["o"])))
    del store
    return entities


#: An entity's statements with their assertion graphs (predicate, object, graph) and their
#: provenance (subject, predicate, object), N-Triples terms.
Statements = set[tuple[str, str, str]]


def store_member_contents(version_path: Path, base: str, entities: Iterable[str]
                          ) -> dict[str, tuple[Statements, Statements]]:
    """What SPARQL over the published version gives for each entity with the query
    ``queries/entity-provenance.rq`` (docs/decisions/0015): (statements, provenance)."""
    files = QueryFiles(prefixes=prefixes_for(base), base_iri=base)
    store = ox.Store.read_only(str(version_path / "store"))
    provenance_graph = ox.NamedNode(Iris(base).graph("herkomst"))
    contents = {}
    for entity in entities:
        statements: Statements = set()
        provenance: Statements = set()
        for row in files.run(store, "entity-provenance", union=False,
                             iri=ox.NamedNode(entity), provenance_graph=provenance_graph):
            if row["graph"] is not None:
                assert row["subject"].value == entity
                statements.add((row["predicate"].value, str(row["object"]), row["graph"].value))
            else:
                provenance.add((row["subject"].value, row["predicate"].value,
                                str(row["object"])))
        contents[entity] = (statements, provenance)
    del store
    return contents


def changed_between(before: dict[str, set[tuple[str, str]]],
                    after: dict[str, set[tuple[str, str]]]) -> tuple[set[str], set[str]]:
    """(entities new or changed, entities removed)."""
    changed = {iri for iri, pairs in after.items() if before.get(iri) != pairs}
    return changed, set(before) - set(after)


# --- the npm client ----------------------------------------------------------------------------

@dataclass
class Member:
    """One member as the client emitted it (materialized: subject = the entity)."""

    entity: str
    timestamp: str
    deleted: bool
    pairs: set[tuple[str, str]] = field(default_factory=set)  # without dct:modified
    #: (predicate, object, assertion graph) of the entity's statements
    statements: Statements = field(default_factory=set)
    #: (subject, predicate, object) in the graph named by the member (its provenance)
    provenance: Statements = field(default_factory=set)


def _quads(block: str) -> list[ox.Quad]:
    """n3's Writer prints N-Quads lines, but numbers and booleans in Turtle's short form: each
    line is read as Turtle, after taking off its graph name when it has one."""
    quads = []
    for line in block.splitlines():
        try:
            triples = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.TURTLE))
            graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
        except SyntaxError:
            cut = line.rindex(" <")
            triples = list(ox.parse((line[:cut] + " .").encode("utf-8"),
                                    format=ox.RdfFormat.TURTLE))
            graph = ox.NamedNode(line[cut + 2:line.rindex(">")])
        quads += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    return quads


def parse_members(output: str) -> list[Member]:
    """The client prints each member's quads, members separated by an empty line."""
    members = []
    for block in output.split("\n\n"):
        if not block.strip():
            continue
        quads = _quads(block)
        timestamps = [q for q in quads if q.predicate.value == DCT_MODIFIED]
        assert len(timestamps) == 1, block[:300]
        entity, timestamp = text(timestamps[0].subject), text(timestamps[0].object)
        version = f"{entity}/{timestamp}"
        own = [q for q in quads if text(q.graph_name) != version]
        assert {text(q.subject) for q in own} == {entity}, f"one member, one subject: {block[:300]}"
        pairs = {(q.predicate.value, str(q.object)) for q in own
                 if q.predicate.value != DCT_MODIFIED}
        statements = {(q.predicate.value, str(q.object), text(q.graph_name)) for q in own
                      if isinstance(q.graph_name, ox.NamedNode)}
        provenance = {(text(q.subject), q.predicate.value, str(q.object)) for q in quads
                      if text(q.graph_name) == version}
        deleted = (RDF_TYPE, f"<{AS_DELETE}>") in pairs
        members.append(Member(entity, timestamp, deleted, pairs, statements, provenance))
    return members


def materialize(members: list[Member], into: dict[str, set[tuple[str, str]]] | None = None
                ) -> dict[str, set[tuple[str, str]]]:
    """Apply members in time order: a version replaces its entity, a tombstone removes it."""
    state = dict(into or {})
    for member in sorted(members, key=lambda m: m.timestamp):
        if member.deleted:
            state.pop(member.entity, None)
        else:
            state[member.entity] = member.pairs
    return state


@pytest.fixture(scope="session")
def ldes_client() -> Path:
    """The installed client; skipped with a hint outside CI, a failure when ``CI`` is set."""
    reason = None
    if shutil.which("node") is None:
        reason = "node is not installed"
    elif not CLIENT.exists():
        reason = f"the npm ldes-client is not installed at {CLIENT.relative_to(REPO)}"
    if reason:
        message = f"{reason}: run `{INSTALL}` (as .ci/run does) to run the event stream tests"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI is set, so this is a failure, not a skip")
        pytest.skip(message)
    return CLIENT


def run_client(client: Path, url: str, state: Path, *extra: str) -> list[Member]:
    completed = subprocess.run(
        [str(client), url, "--materialize", "--save", str(state), *extra],
        capture_output=True, text=True, timeout=180, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "error" not in completed.stderr.lower(), completed.stderr[-3000:]
    return parse_members(completed.stdout)


# --- a real server -----------------------------------------------------------------------------

def start_server(output_dir: Path, port: int, log: Path, **settings: object) -> ServerProcess:
    """``python -m midwest_lod serve`` on ``port`` (the stream's base IRI names it)."""
    return ServerProcess.start(output_dir, log, port=port, **settings)


@dataclass
class LiveStream:
    """A private data copy and output folder whose base IRI is the server's own URL."""

    data: Path
    out: Path
    server: ServerProcess

    @property
    def base(self) -> str:
        return self.server.url

    def build(self, moment: dt.datetime, **settings: object) -> BuildResult:
        return build(self.data, self.out, moment, base_iri=self.base, **settings)

    def requests_for(self, path: str) -> int:
        """How often the server's access log (JSON lines, web/requestlog.py) shows
        ``GET path``, answers of the front's answer cache included."""
        count = 0
        for line in self.server.log.read_text(errors="replace").splitlines():
            if line.startswith('{"time"'):
                entry = json.loads(line)
                count += entry["method"] == "GET" and entry["path"] == path
        return count


@pytest.fixture(scope="module")
def live_stream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStream]:
    """First build (page size 10) published and served; the tests build more into it."""
    root = tmp_path_factory.mktemp("ldes-live")
    port = free_port()
    data, out = copy_data(root / "data"), root / "out"
    build(data, out, T1, base_iri=f"http://127.0.0.1:{port}", ldes_page_size=10)
    server = start_server(out, port, root / "server.log", base_iri=f"http://127.0.0.1:{port}")
    try:
        yield LiveStream(data, out, server)
    finally:
        server.stop()
