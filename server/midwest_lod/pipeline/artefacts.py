"""Writing a version's artefacts: canonical N-Quads/N-Triples, the store, the dumps.

Quads arrive in batches; each batch is written as a sorted chunk and the chunks are merged,
so memory stays bounded by the batch size whatever the size of the data.
"""

from __future__ import annotations

import gzip
import heapq
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from midwest_lod import formats
from midwest_lod.files import file_digest
from midwest_lod.iris import Iris
from midwest_lod.pipeline.compact_dump import write_compact_dump
from midwest_lod.publication import DUMP_STEM, PROVENANCE_DUMP, Dump
from midwest_lod.rdfutil import drop_graph_name, nquads_lines
from midwest_lod.vocab import DCT, RDF


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
    """Create the pyoxigraph store and bulk-load the given files (path, format, graph)."""
    store = ox.Store(str(store_path))
    for path, rdf_format, graph in files:
        store.bulk_load(path=str(path), format=rdf_format,
                        to_graph=ox.NamedNode(graph) if graph else None)
    store.optimize()
    store.flush()
    del store


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
    with ttl.open("wb") as out:
        ox.serialize(_triples(ntriples), out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
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
    ``canonical.nq``: the same input gives the same bytes."""
    assertions = f"{iris.base}/id/bewering/".encode()
    provenance = f"<{iris.graph('herkomst')}> .\n".encode()
    rdf_type, statement_class = f"<{RDF.type}>".encode(), f"<{RDF.Statement}>".encode()
    terms = [f"<{RDF[name]}>".encode() for name in ("subject", "predicate", "object")]
    part_of = f"<{DCT.isPartOf}>".encode()
    with nquads.open("rb") as src, target.open("wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as out:
        for line in src:
            if line.endswith(provenance):
                out.write(drop_graph_name(line))
                continue
            triple = drop_graph_name(line)
            graph = line[len(triple) - 2:].strip()[:-1].strip()  # "<graph>"
            if not graph[1:].startswith(assertions):
                continue
            node = f"<{iris.statement(graph[1:-1].decode('utf-8'), triple)}> ".encode()
            subject_end = triple.index(b"> ") + 1
            predicate_end = triple.index(b"> ", subject_end + 1) + 1
            parts = (triple[:subject_end], triple[subject_end + 1:predicate_end],
                     triple[predicate_end + 1:-3])
            out.write(node + rdf_type + b" " + statement_class + b" .\n")
            for term, value in zip(terms, parts, strict=True):
                out.write(node + term + b" " + value + b" .\n")
            out.write(node + part_of + b" " + graph + b" .\n")


def _triples(ntriples: Path) -> Iterator[ox.Triple]:
    with ntriples.open("rb") as handle:
        for item in ox.parse(handle, format=ox.RdfFormat.N_TRIPLES):
            yield item.triple if isinstance(item, ox.Quad) else item


def _gzip(source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz:
        shutil.copyfileobj(src, gz, 1 << 20)
