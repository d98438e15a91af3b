"""The build: ``data/`` → RDF → SHACL gate → a new published version.

Stages (timed, reported through ``progress``):

1. **read and map** the source files into statements grouped by source (:mod:`.mapping`),
   reference data first, then organisations in batches;
2. **validate** the reference data, then each batch of organisations as it is mapped, with
   pySHACL (pyshacl-turbo for large builds; focus on the batch's own nodes, with the reference
   data as context), collecting violations and warnings;
3. **canonical**: merge the sorted batch chunks into ``canonical.nq`` / ``canonical.nt``;
4. **load** the pyoxigraph store (data, provenance, vocabulary, metadata), write the **dumps**;
5. **metadata**: the catalogue, VoID and the completeness report; **search**: the search
   index (``search.sqlite``); **facets**: the facet index (``facets.json``); the manifest;
   then the version is **published** atomically (:func:`midwest_lod.publication.promote`)
   and the event stream appended.

Any source error or SHACL violation stops the build before anything is published.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from midwest_lod import __version__
from midwest_lod.assets import asset_dir
from midwest_lod.config import Settings
from midwest_lod.errors import SourceError
from midwest_lod.external.publish import publisher as external_publisher
from midwest_lod.facets import stored as stored_facets
from midwest_lod.facets.reading import read_index as read_facets
from midwest_lod.files import file_digest
from midwest_lod.pipeline import eventstream
from midwest_lod.pipeline.artefacts import ChunkWriter, files_beside, load_store
from midwest_lod.pipeline.batches import Context, run_batches, validate_emitter
from midwest_lod.pipeline.completeness import completeness_report
from midwest_lod.pipeline.history_graph import add_history_graph
from midwest_lod.pipeline.mapping import Mapper, build_activity_quads
from midwest_lod.pipeline.metadata import metadata_quads
from midwest_lod.pipeline.validation import (
    Located,
    ValidationOutcome,
    choose_engine,
    format_report,
    load_shapes,
    locate_errors,
)
from midwest_lod.publication import Version, promote, staging_dir, write_manifest
from midwest_lod.rdfutil import (
    canonical_graph,
    nquads_lines,
    parse_rebased,
    write_sorted_ntriples,
)
from midwest_lod.search.build import write_index
from midwest_lod.timestamps import format_utc
from midwest_lod.vocab import prefixes_for

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
        return _publish(settings, staged, result, chunks, stages, now)
    finally:
        if staged.exists():
            shutil.rmtree(staged, ignore_errors=True)


def _publish(settings: Settings, staged: Path, result: BuildResult, chunks: ChunkWriter,
             stages: _Stages, now: dt.datetime | None) -> BuildResult:
    """The stages after the gate: the artefacts of ``staged``, then the publication."""
    iris = settings.iris
    built_at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    with stages.stage("canonical"):
        quads, triples = chunks.merge(staged / "canonical.nq", staged / "canonical.nt")
        content_sha = file_digest(staged / "canonical.nq")
    version_id = f"{built_at.strftime('%Y%m%dT%H%M%SZ')}-{content_sha[:12]}"
    # The dumps and the statistics read only the canonical files: a second process writes
    # them while this one loads the store and reads the completeness report from it.
    with files_beside(staged / "dumps", staged / "canonical.nq", staged / "canonical.nt",
                      prefixes_for(settings.base_iri), iris) as beside:
        with stages.stage("load"):
            vocabulary = staged / "vocabulary.nt"
            _write_vocabulary(settings, vocabulary)
            load_store(staged / "store", [
                (staged / "canonical.nq", ox.RdfFormat.N_QUADS, None),
                (vocabulary, ox.RdfFormat.N_TRIPLES, str(iris.graph("vocabularium"))),
            ])
        with stages.stage("completeness"):
            store = ox.Store.read_only(str(staged / "store"))
            result.completeness = completeness_report(store, iris)
            del store
        with stages.stage("dumps"):  # what is left of them once the store is loaded
            dumps, stats = beside.result()
    manifest: dict[str, Any] = {
        "version": version_id,
        "built_at": format_utc(built_at),
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
        store.extend(metadata_quads(settings, manifest, store, stats))
        manifest["counts"].update(_counts(store))
        store.flush()
        del store
        (staged / "completeness.json").write_text(
            json.dumps(result.completeness, indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8")
        canonical_graph(result.outcome.as_report()).serialize(staged / "report.ttl",
                                                              format="turtle")
    store = ox.Store.read_only(str(staged / "store"))
    with stages.stage("search"):  # search.sqlite: docs/decisions/0008-search.md
        write_index(store, iris, version_id, staged)
    with stages.stage("facets"):  # facets.json, read by the server: facets/stored.py
        stored_facets.write(read_facets(store, iris), staged)
    del store
    manifest["stages"] = {k: round(v, 3) for k, v in stages.seconds.items()}
    write_manifest(staged, manifest)
    # The event stream appends this version's changes to history/ and commits them
    # exactly when `current` switches to it (docs/decisions/0004-event-stream.md).
    # With sparql_gsp_url the new version is loaded into the external SPARQL store, in one
    # transaction, just before `current` switches (docs/decisions/0006-external-store.md).
    load_external = external_publisher(settings, stages.progress)
    with stages.stage("publish"), \
            eventstream.recording(settings, staged, manifest, stages.progress) as recording:
        with stages.stage("history graph"):  # pipeline/history_graph.py
            heads = add_history_graph(staged / "store", settings.output_dir,
                                      recording.index, iris, staged / "history-heads.nt")
            if heads:
                manifest["counts"]["store_quads"] += heads
                manifest["counts"]["graphs"] += 1
                write_manifest(staged, manifest)
        result.version = promote(settings.output_dir, staged, load_external)
    result.stages = dict(stages.seconds)
    return result


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
    iris = settings.iris
    root = Path(settings.data_dir)
    result = BuildResult(ok=False)
    chunks = ChunkWriter(workdir / "chunks")
    with stages.stage("read shapes"):
        shapes = load_shapes(asset_dir("shapes"), settings.base_iri)
    mapper = Mapper(root, iris)
    organisation_files = mapper.organisation_files()
    known_organisations = frozenset(
        iris.thing("organisatie", Path(p).stem) for p, _ in organisation_files)
    engine = choose_engine(settings.shacl_engine, len(organisation_files))
    stages.progress(f"SHACL engine: {engine} ({len(organisation_files)} organisations)")
    result.engine = engine

    with stages.stage("read and map"):
        reference = mapper.run_reference()
        reference_lines = sorted(set(nquads_lines(reference.quads())))
    context = Context(root, iris, engine, shapes, reference_lines,
                      known_organisations, mapper.region)
    with stages.stage("validate"):
        outcome, located = validate_emitter(reference, reference_lines, context,
                                            with_reference=False)
        result.outcome.extend(outcome)
        result.located.extend(located)
    chunks.add_lines(reference_lines)
    inputs = dict(mapper.files)
    errors = list(mapper.errors)

    batch_size = max(1, settings.validation_batch_size)
    batches = [organisation_files[i:i + batch_size]
               for i in range(0, len(organisation_files), batch_size)]
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if len(batches) > 1:
            stages.progress(f"organisations: {done}/{len(organisation_files)}")

    with stages.stage("map and validate organisations"):
        for batch in run_batches(context, batches, chunks.folder, progress=advance):
            chunks.add_chunk(batch.chunk)
            result.outcome.extend(batch.outcome)
            result.located.extend(batch.located)
            errors.extend(batch.errors)
            inputs.update(batch.inputs)

    result.inputs = dict(sorted(inputs.items()))
    chunks.add(build_activity_quads(iris, result.inputs, __version__))
    result.source_errors = errors
    result.located = locate_errors(errors) + result.located
    result.ok = not result.violations
    result.stages = dict(stages.seconds)
    return result, chunks


def _write_vocabulary(settings: Settings, target: Path) -> None:
    graph = Graph()
    for path in sorted(asset_dir("ontology").glob("*.ttl")):
        parse_rebased(graph, path, settings.base_iri)
    write_sorted_ntriples(graph, target)


def _counts(store: ox.Store) -> dict[str, int]:
    graphs = sum(1 for _ in store.named_graphs())
    return {"graphs": graphs, "store_quads": len(store)}
