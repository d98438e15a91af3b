"""Writing a version's artefacts: canonical N-Quads/N-Triples, the store, the dumps (in a
second process, beside the store's load: :func:`files_beside`).

Quads arrive in batches; each batch is written as a sorted chunk and the chunks are merged,
so memory stays bounded by the batch size whatever the size of the data.
"""

from __future__ import annotations

import gzip
import heapq
import multiprocessing
import os
import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from midwest_lod import formats
from midwest_lod.files import file_digest
from midwest_lod.iris import Iris
from midwest_lod.pipeline.compact_dump import write_compact_dump
from midwest_lod.pipeline.statistics import Statistics, read_statistics
from midwest_lod.publication import DUMP_STEM, PROVENANCE_DUMP, Dump
from midwest_lod.rdfutil import drop_graph_name, nquads_lines
from midwest_lod.vocab import DCT, RDF

#: gzip level of the compressed dumps (the same level gives the same bytes).
GZIP_LEVEL = 6
#: How the second processes start: "spawn", never "fork": the build's process has threads
#: by then (another pool's, pyoxigraph's), and a forked child can inherit a lock one of them
#: held and wait for it forever (it did, under pytest).
_CONTEXT = multiprocessing.get_context("spawn")
#: Bytes read and compressed at a time.
_BLOCK = 1 << 22


class ChunkWriter:
    """Sorted N-Quads chunks in a folder, merged into one sorted, de-duplicated file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.chunks: list[Path] = []

    def add(self, quads: Iterable[tuple[Any, Any, Any, Any]]) -> int:
        return self.add_lines(sorted(set(nquads_lines(quads))))

    def add_lines(self, lines: list[bytes]) -> int:
        """Add sorted, unique N-Quads lines as a new chunk."""
        path = self.folder / f"chunk-{len(self.chunks):06d}.nq"
        with path.open("wb") as handle:
            handle.writelines(lines)
        self.chunks.append(path)
        return len(lines)

    def add_chunk(self, path: Path) -> None:
        """Register a chunk file written elsewhere (sorted, unique lines)."""
        self.chunks.append(path)

    def merge(self, nquads: Path, ntriples: Path) -> tuple[int, int]:
        """Write the canonical files; returns (quads, triples)."""
        handles = [chunk.open("rb") for chunk in self.chunks]
        quads = triples = 0
        try:
            with nquads.open("wb") as nq, ntriples.open("wb") as nt:
                previous_quad = previous_triple = None
                for line in heapq.merge(*handles):
                    if line == previous_quad:
                        continue
                    previous_quad = line
                    nq.write(line)
                    quads += 1
                    triple = drop_graph_name(line)
                    if triple != previous_triple:
                        nt.write(triple)
                        triples += 1
                        previous_triple = triple
        finally:
            for handle in handles:
                handle.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        return quads, triples


def load_store(store_path: Path, files: Iterable[tuple[Path, ox.RdfFormat, str | None]]) -> None:
    """Create the pyoxigraph store and bulk-load the given files (path, format, graph).

    In a process of its own, held to one processor: pyoxigraph's bulk loader parses on every
    processor it may use, each with a batch of its own in memory (at 20,000 organisations
    1,584 MB on two processors, 1,115 MB on one, for less processor time), and the memory
    it took goes back to the system when the process ends instead of staying with the
    build's own process for the stages after it (docs/decisions/0023-build-resources.md)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=_CONTEXT) as pool:
        # formats by media type: a pyoxigraph RdfFormat cannot be pickled
        pool.submit(_load_store, store_path,
                    [(path, rdf_format.media_type, graph) for path, rdf_format, graph in files]
                    ).result()


def _load_store(store_path: Path, files: list[tuple[Path, str, str | None]]) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    store = ox.Store(str(store_path))
    for path, media_type, graph in files:
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        assert rdf_format is not None, media_type
        store.bulk_load(path=str(path), format=rdf_format,
                        to_graph=ox.NamedNode(graph) if graph else None)
    store.optimize()
    store.flush()
    del store


class _Beside:
    """The dumps and statistics being written by a second process."""

    def __init__(self, future: Future[tuple[list[Dump], Statistics]]) -> None:
        self.future = future

    def result(self) -> tuple[list[Dump], Statistics]:
        """Wait for them (an error of the other process is raised here)."""
        return self.future.result()


@contextmanager
def files_beside(folder: Path, nquads: Path, ntriples: Path, prefixes: dict[str, str],
                 iris: Iris) -> Iterator[_Beside]:
    """Write the dumps (:func:`write_dumps`) and read the statistics of ``ntriples``
    (:func:`.statistics.read_statistics`) in a second process, while the body runs: both read
    only the canonical files, and the build's other stages need the store."""
    with ProcessPoolExecutor(max_workers=1, mp_context=_CONTEXT) as pool:
        future = pool.submit(_dumps_and_statistics, folder, nquads, ntriples, prefixes, iris)
        try:
            yield _Beside(future)
        finally:
            future.cancel()


def _dumps_and_statistics(folder: Path, nquads: Path, ntriples: Path, prefixes: dict[str, str],
                          iris: Iris) -> tuple[list[Dump], Statistics]:
    return write_dumps(folder, nquads, ntriples, prefixes, iris), read_statistics(ntriples)


def write_dumps(folder: Path, nquads: Path, ntriples: Path,
                prefixes: dict[str, str], iris: Iris) -> list[Dump]:
    """The dumps of docs/publication.md, from the canonical files (streaming)."""
    folder.mkdir(parents=True, exist_ok=True)
    provenance = folder / PROVENANCE_DUMP
    write_provenance_dump(nquads, provenance, iris)
    nt_gz = folder / f"{DUMP_STEM}.nt.gz"
    nq_gz = folder / f"{DUMP_STEM}.nq.gz"
    ttl = folder / f"{DUMP_STEM}.ttl"
    jsonld = folder / f"{DUMP_STEM}.jsonld"
    _gzip(ntriples, nt_gz)
    _gzip(nquads, nq_gz)
    with ntriples.open("rb") as source, ttl.open("wb") as out:
        # parsed and serialized by pyoxigraph, triple by triple, without Python between
        ox.serialize(ox.parse(source, format=ox.RdfFormat.N_TRIPLES), out,
                     format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    with jsonld.open("wb") as out:  # compact, with the published context (decision 0011)
        write_compact_dump(ntriples, out, iris)
    result = []
    for path, fmt, encoding, graphs in (
        (ttl, formats.TURTLE, None, False),
        (nt_gz, formats.N_TRIPLES, "gzip", False),
        (jsonld, formats.JSON_LD, None, False),
        (nq_gz, formats.N_QUADS, "gzip", True),
        (provenance, formats.N_TRIPLES, "gzip", False),
    ):
        result.append(Dump(path, fmt.media_type, encoding, path.stat().st_size,
                           file_digest(path), graphs))
    return result


def write_provenance_dump(nquads: Path, target: Path, iris: Iris) -> None:
    """The companion of the dumps without named graphs (docs/decisions/0015): for every
    statement of an assertion graph an ``rdf:Statement`` ``{graph}#{hash}`` with its subject,
    predicate and object and ``dct:isPartOf`` the graph; and the provenance graph's triples
    (sources, basis, reason, activities, input files). N-Triples, gzipped, in the order of
    ``canonical.nq``: the same input gives the same bytes.

    Lines are built as bytes and handed to gzip in blocks of a few megabytes: one ``write``
    per line made gzip's own bookkeeping the cost of this stage."""
    assertions = f"<{iris.base}/id/bewering/".encode()
    provenance = f"<{iris.graph('herkomst')}> .\n".encode()
    statement_type = f"<{RDF.type}> <{RDF.Statement}> .\n".encode()
    subject_, predicate_, object_ = (f"<{RDF[name]}> ".encode()
                                     for name in ("subject", "predicate", "object"))
    part_of = f"<{DCT.isPartOf}> ".encode()
    key = iris.statement_key
    with nquads.open("rb", buffering=_BLOCK) as src, target.open("wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                          compresslevel=GZIP_LEVEL) as out:
        block: list[bytes] = []
        size = 0
        for line in src:
            # "<s> <p> object <graph> .\n": the graph IRI is the last term
            cut = line.rindex(b" <", 0, len(line) - 4)
            triple = line[:cut] + b" .\n"
            if line.endswith(provenance):
                block.append(triple)
                size += len(triple)
            else:
                graph = line[cut + 1:-3]  # "<graph>"
                if not graph.startswith(assertions):
                    continue
                node = graph[:-1] + b"#" + key(triple).encode() + b"> "
                subject_end = triple.index(b"> ") + 1
                predicate_end = triple.index(b"> ", subject_end + 1) + 1
                item = b"".join((
                    node, statement_type,
                    node, subject_, triple[:subject_end], b" .\n",
                    node, predicate_, triple[subject_end + 1:predicate_end], b" .\n",
                    node, object_, triple[predicate_end + 1:]))
                item += node + part_of + graph + b" .\n"
                block.append(item)
                size += len(item)
            if size >= _BLOCK:
                out.write(b"".join(block))
                block, size = [], 0
        out.write(b"".join(block))


def _gzip(source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                          compresslevel=GZIP_LEVEL) as gz:
        shutil.copyfileobj(src, gz, _BLOCK)
