"""Mapping and validating organisations in batches, in parallel worker processes.

Each batch of organisation files is read, mapped, written as a sorted N-Quads chunk and
validated against the shapes with the reference data (schemes, places, the region) as context.
Batches are independent, so they run in a process pool on every core; a build with a single
batch (the real data) runs in the build's own process. Memory is bounded by the batch size.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from midwest_lod.errors import SourceError
from midwest_lod.iris import Iris
from midwest_lod.pipeline.emitter import Emitter
from midwest_lod.pipeline.mapping import Mapper
from midwest_lod.pipeline.validation import (
    TURBO,
    Located,
    ValidationOutcome,
    locate,
    validate_graph,
)
from midwest_lod.rdfutil import drop_graph_name, nquads_lines
from midwest_lod.vocab import ORG

SHAPES_PREFIX = "/ns/sociale-economie/shapes#"


@dataclass
class Context:
    """What every batch needs: the shapes, the reference data and the known organisations."""

    root: Path
    iris: Iris
    engine: str
    shapes: Graph
    reference_lines: list[bytes]
    organisations: frozenset[URIRef]
    region: URIRef | None
    _graph: Graph | None = field(default=None, repr=False)
    _triples: list[bytes] | None = field(default=None, repr=False)

    def reference_triples(self) -> list[bytes]:
        """The reference data as N-Triples lines."""
        if self._triples is None:
            self._triples = [drop_graph_name(line) for line in self.reference_lines]
        return self._triples

    def reference_graph(self) -> Graph:
        if self._graph is None:
            graph = Graph()
            graph.parse(data=b"".join(self.reference_triples()), format="nt")
            self._graph = graph
        return self._graph


@dataclass
class BatchResult:
    """What a batch produced: its chunk, findings, unreadable files and input checksums."""

    chunk: Path
    statements: int
    outcome: ValidationOutcome
    located: list[Located]
    errors: list[SourceError]
    inputs: dict[str, str]


def validate_emitter(emitter: Emitter, lines: Sequence[bytes], context: Context,
                     *, with_reference: bool = True) -> tuple[ValidationOutcome, list[Located]]:
    """Validate a batch's statements with the reference context; keep findings about its own
    nodes. Organisations referenced but defined in other batches get a typed stub."""
    own = set(emitter.subject_origin) | set(emitter.assertions)
    stubs = {o for triples in emitter.graphs.values() for _, _, o in triples
             if isinstance(o, URIRef) and o in context.organisations and o not in own}
    data: Graph | str
    if context.engine == TURBO:
        # N-Triples text for the Rust engine, each triple once (a statement can be in
        # several assertion graphs).
        unique = dict.fromkeys(drop_graph_name(line) for line in lines)
        if with_reference:
            unique.update(dict.fromkeys(context.reference_triples()))
        unique.update(dict.fromkeys(f"<{o}> <{RDF.type}> <{ORG.Organization}> .\n".encode()
                                     for o in sorted(stubs)))
        data = b"".join(unique).decode()
    else:
        data = Graph()
        if with_reference:
            data += context.reference_graph()
        for triples in emitter.graphs.values():
            for triple in triples:
                data.add(triple)
        for s, p, o, _g in emitter.provenance_quads():
            data.add((s, p, o))
        for o in stubs:
            data.add((o, RDF.type, ORG.Organization))
    outcome = validate_graph(data, context.shapes, engine=context.engine).only(own)
    short = {context.iris.base + SHAPES_PREFIX: "mwsh"}
    located = locate(outcome.findings, emitter.subject_origin, emitter.statement_origin,
                     short=short)
    return outcome, located


@contextmanager
def fewer_collections(threshold: int = 100_000) -> Iterator[None]:
    """Let Python's cycle collector run every ``threshold`` allocations instead of every 700.

    Mapping a batch makes millions of small objects that live until the batch is written
    and that reference counting frees; collecting every 700 allocations walked them again
    and again (a quarter of the mapping's time, docs/decisions/0021-fast-mapping.md).
    """
    before = gc.get_threshold()
    gc.set_threshold(threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_batch(context: Context, files: Sequence[tuple[str, bool]], chunk: Path) -> BatchResult:
    """Read, map, write and validate one batch of organisation files."""
    mapper = Mapper(context.root, context.iris)
    mapper.region = context.region
    with fewer_collections():
        emitter = mapper.run_organisations(files)
        lines = sorted(set(nquads_lines(emitter.quads())))
    with chunk.open("wb") as handle:
        handle.writelines(lines)
    outcome, located = validate_emitter(emitter, lines, context)
    return BatchResult(chunk, len(lines), outcome, located, list(mapper.errors),
                       dict(mapper.files))


# --- the process pool ---------------------------------------------------------------------

_CONTEXT: Context | None = None


def _init_worker(context: Context) -> None:
    global _CONTEXT
    _CONTEXT = context
    # What the worker inherited from the build (shapes, reference data) is never garbage:
    # the cycle collector need not walk it (nor copy its pages by touching them).
    gc.freeze()


def _run_in_worker(job: tuple[Sequence[tuple[str, bool]], Path]) -> BatchResult:
    assert _CONTEXT is not None
    return _run_and_collect(_CONTEXT, job[0], job[1])


def _run_and_collect(context: Context, files: Sequence[tuple[str, bool]],
                     chunk: Path) -> BatchResult:
    """One batch, then what it made is freed before the next batch starts: its mapper is in
    reference cycles that only the cycle collector frees (which now runs less often)."""
    result = run_batch(context, files, chunk)
    gc.collect()
    return result


def run_batches(context: Context, batches: Sequence[Sequence[tuple[str, bool]]],
                chunk_dir: Path, *, workers: int | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[BatchResult]:
    """Run every batch, in order; in a pool of worker processes when there are several."""
    jobs = [(batch, chunk_dir / f"batch-{index:06d}.nq") for index, batch in enumerate(batches)]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        for files, chunk in jobs:
            result = _run_and_collect(context, files, chunk)
            if progress:
                progress(len(files))
            yield result
        return
    pool_context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=pool_context,
                             initializer=_init_worker, initargs=(context,)) as pool:
        for result, (files, _chunk) in zip(pool.map(_run_in_worker, jobs), jobs, strict=True):
            if progress:
                progress(len(files))
            yield result
