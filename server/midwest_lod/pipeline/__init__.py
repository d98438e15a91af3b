"""The build: ``data/`` → RDF → SHACL gate → a new published version.

Stages (timed, reported through ``progress``):

1. **read and map** the source files into statements grouped by source (:mod:`.mapping`),
   reference data first, then organisations in batches;
2. **validate** each batch with pySHACL (focus on the batch's own nodes, with the reference
   data as context), collecting violations and warnings;
3. **canonical**: merge the sorted batch chunks into ``canonical.nq`` / ``canonical.nt``;
4. **load** the pyoxigraph store (data, provenance, vocabulary, metadata);
5. **dumps**, the completeness report, the manifest; then the version is **published**
   atomically (:func:`midwest_lod.publication.promote`).

Any source error or SHACL violation stops the build before anything is published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from midwest_lod import __version__
from midwest_lod.assets import asset_dir
from midwest_lod.config import Settings
from midwest_lod.errors import SourceError
from midwest_lod.iris import Iris
from midwest_lod.pipeline import eventstream
from midwest_lod.pipeline.artefacts import ChunkWriter, load_store, write_dumps
from midwest_lod.pipeline.completeness import completeness_report
from midwest_lod.pipeline.emitter import Emitter, Quad
from midwest_lod.pipeline.mapping import Mapper, build_activity_quads
from midwest_lod.pipeline.metadata import metadata_quads
from midwest_lod.pipeline.validation import (
    Located,
    ValidationOutcome,
    choose_engine,
    format_report,
    load_shapes,
    locate,
    locate_errors,
    validate_graph,
)
from midwest_lod.publication import Version, promote, staging_dir, write_manifest
from midwest_lod.rdfutil import nquads_lines, parse_rebased
from midwest_lod.vocab import ORG, prefixes_for

Progress = Callable[[str], None]

__all__ = ["BuildResult", "run_build", "run_validate"]


@dataclass
class BuildResult:
    """What a build or a validation run found, and what it published."""

    ok: bool
    located: list[Located] = field(default_factory=list)
    outcome: ValidationOutcome = field(default_factory=ValidationOutcome)
    source_errors: list[SourceError] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    version: Version | None = None
    completeness: list[dict[str, Any]] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    engine: str = ""

    @property
    def violations(self) -> list[Located]:
        return [item for item in self.located if item.severity in ("Violation", "Error")]

    @property
    def warnings(self) -> list[Located]:
        return [item for item in self.located if item.severity == "Warning"]

    def report(self, *, include_warnings: bool = True) -> str:
        return format_report(self.located, include_warnings=include_warnings)


class _Stages:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.progress(f"{name} ...")
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed
            self.progress(f"{name}: {elapsed:.2f} s")


def _quiet(_: str) -> None:
    return None


def run_validate(settings: Settings, *, progress: Progress = _quiet) -> BuildResult:
    """Check ``data/`` without publishing anything."""
    with _scratch(settings) as scratch:
        result, _ = _check(settings, scratch, _Stages(progress))
    return result


def run_build(settings: Settings, *, progress: Progress = _quiet,
              now: dt.datetime | None = None) -> BuildResult:
    """Check ``data/`` and, when there is no violation, publish a new version atomically."""
    stages = _Stages(progress)
    staged = staging_dir(settings.output_dir)
    try:
        result, chunks = _check(settings, staged, stages)
        if not result.ok:
            return result
        iris = Iris(settings.base_iri)
        built_at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        with stages.stage("canonical"):
            quads, triples = chunks.merge(staged / "canonical.nq", staged / "canonical.nt")
            content_sha = _sha256(staged / "canonical.nq")
        version_id = f"{built_at.strftime('%Y%m%dT%H%M%SZ')}-{content_sha[:12]}"
        with stages.stage("load"):
            vocabulary = staged / "vocabulary.nt"
            _write_vocabulary(settings, vocabulary)
            load_store(staged / "store", [
                (staged / "canonical.nq", ox.RdfFormat.N_QUADS, None),
                (vocabulary, ox.RdfFormat.N_TRIPLES, str(iris.graph("vocabularium"))),
            ])
        with stages.stage("dumps"):
            dumps = write_dumps(staged / "dumps", staged / "canonical.nq",
                                staged / "canonical.nt", prefixes_for(settings.base_iri))
        manifest: dict[str, Any] = {
            "version": version_id,
            "built_at": built_at.isoformat().replace("+00:00", "Z"),
            "tool_version": __version__,
            "base_iri": settings.base_iri,
            "content_sha256": content_sha,
            "inputs": result.inputs,
            "counts": {"quads": quads, "triples": triples},
            "shacl_engine": result.engine,
            "dumps": [d.as_json() for d in dumps],
        }
        with stages.stage("metadata"):
            store = ox.Store(str(staged / "store"))
            store.extend(metadata_quads(settings, manifest, store))
            result.completeness = completeness_report(store, iris)
            manifest["counts"].update(_counts(store))
            store.flush()
            del store
            (staged / "completeness.json").write_text(
                json.dumps(result.completeness, indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8")
            result.outcome.as_report().serialize(staged / "report.ttl", format="turtle")
        manifest["stages"] = {k: round(v, 3) for k, v in stages.seconds.items()}
        write_manifest(staged, manifest)
        # The event stream appends this version's changes to history/ and commits them
        # exactly when `current` switches to it (docs/decisions/0004-event-stream.md).
        with stages.stage("publish"), eventstream.recording(settings, staged, manifest, progress):
            result.version = promote(settings.output_dir, staged)
        result.stages = dict(stages.seconds)
        return result
    finally:
        if staged.exists():
            shutil.rmtree(staged, ignore_errors=True)


# --- checking -----------------------------------------------------------------------------

@contextmanager
def _scratch(settings: Settings) -> Iterator[Path]:
    path = staging_dir(settings.output_dir)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _check(settings: Settings, workdir: Path, stages: _Stages) -> tuple[BuildResult, ChunkWriter]:
    """Read, map and validate everything; write sorted chunks of the statements."""
    iris = Iris(settings.base_iri)
    root = Path(settings.data_dir)
    result = BuildResult(ok=False)
    chunks = ChunkWriter(workdir / "chunks")
    with stages.stage("read shapes"):
        shapes = load_shapes(asset_dir("shapes"), settings.base_iri)
    mapper = Mapper(root, iris)
    organisation_files = mapper.organisation_files()
    known_organisations = {iris.thing("organisatie", Path(p).stem) for p, _ in organisation_files}
    engine = choose_engine(settings.shacl_engine, len(organisation_files))
    stages.progress(f"SHACL engine: {engine} ({len(organisation_files)} organisations)")
    result.engine = engine

    with stages.stage("read and map"):
        reference = mapper.run_reference()
    context = Graph()
    for s, p, o in _triples(reference, iris):
        context.add((s, p, o))
    with stages.stage("validate"):
        _validate(reference, context, shapes, known_organisations, result, engine)
    with stages.stage("canonical"):
        chunks.add(_all_quads(reference))

    batch_size = max(1, settings.validation_batch_size)
    for start in range(0, len(organisation_files), batch_size):
        batch = organisation_files[start:start + batch_size]
        with stages.stage("read and map"):
            emitter = mapper.run_organisations(batch)
        with stages.stage("validate"):
            graph = Graph()
            graph += context
            for triple in _triples(emitter, iris):
                graph.add(triple)
            _validate(emitter, graph, shapes, known_organisations, result, engine)
        with stages.stage("canonical"):
            chunks.add(_all_quads(emitter))
        stages.progress(f"organisations: {min(start + batch_size, len(organisation_files))}"
                        f"/{len(organisation_files)}")

    result.inputs = dict(sorted(mapper.files.items()))
    chunks.add(build_activity_quads(iris, result.inputs, __version__))
    result.source_errors = list(mapper.errors)
    result.located = locate_errors(mapper.errors) + result.located
    result.ok = not result.violations
    result.stages = dict(stages.seconds)
    return result, chunks


def _validate(emitter: Emitter, graph: Graph, shapes: Graph, organisations: set[URIRef],
              result: BuildResult, engine: str) -> None:
    own = set(emitter.subject_origin) | set(emitter.assertions)
    # Organisations referenced but defined in another batch: a typed stub, not validated.
    for _, _, o in list(graph):
        if isinstance(o, URIRef) and o in organisations and o not in own:
            graph.add((o, RDF.type, ORG.Organization))
    # pySHACL's focus_nodes option is quadratic (list membership per target node), so the
    # whole batch graph is validated and only the findings about this batch's nodes are kept;
    # the reference context is validated on its own, once.
    outcome = validate_graph(graph, shapes, engine=engine).only(own)
    result.outcome.extend(outcome)
    short = {str(emitter.iris.base) + "/ns/sociale-economie/shapes#": "mwsh"}
    result.located.extend(locate(outcome.findings, emitter.subject_origin,
                                 emitter.statement_origin, short=short))


def _triples(emitter: Emitter, iris: Iris) -> Iterator[tuple[Any, Any, Any]]:
    for s, p, o, _g in _all_quads(emitter):
        yield s, p, o


def _all_quads(emitter: Emitter) -> Iterator[Quad]:
    yield from emitter.quads()


def _write_vocabulary(settings: Settings, target: Path) -> None:
    graph = Graph()
    for path in sorted(asset_dir("ontology").glob("*.ttl")):
        parse_rebased(graph, path, settings.base_iri)
    ox.serialize((ox.Triple(*(_ox(t) for t in triple)) for triple in graph), str(target),
                 format=ox.RdfFormat.N_TRIPLES)


def _ox(term: Any) -> Any:
    from midwest_lod.rdfutil import to_ox

    return to_ox(term)


def _counts(store: ox.Store) -> dict[str, int]:
    graphs = sum(1 for _ in store.named_graphs())
    return {"graphs": graphs, "store_quads": len(store)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_ = nquads_lines  # re-exported helper used by tests
