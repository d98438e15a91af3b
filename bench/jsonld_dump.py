"""The JSON-LD dump: the compact dump (midwest_lod.pipeline.compact_dump) against its peer,
pyoxigraph's expanded JSON-LD of the same canonical N-Triples (what the build wrote before).

``python bench/jsonld_dump.py VERSION_DIR [--rounds N] [--pyld-triples N]`` reads
``VERSION_DIR/canonical.nt`` (a published version, e.g. ``out/current`` after
``midwest-lod --data-dir <bench/generate.py output> --output-dir out build``) and prints, per
round and serialisation, CPU seconds, wall seconds, triples per CPU second and bytes written,
alternating the two so that both see the same load. ``--pyld-triples`` also times pyld's
compaction of the first N triples (the reference algorithms; docs/decisions/0011).
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from midwest_lod import jsonld
from midwest_lod.pipeline.compact_dump import write_compact
from midwest_lod.vocab import DEFAULT_BASE


def _triples(path: Path, limit: int | None = None) -> Iterator[ox.Triple]:
    with path.open("rb") as handle:
        for item in itertools.islice(ox.parse(handle, format=ox.RdfFormat.N_TRIPLES), limit):
            yield item.triple if isinstance(item, ox.Quad) else item


def _timed(run: Callable[[Path], None], target: Path) -> tuple[float, float, int]:
    cpu, wall = time.process_time(), time.perf_counter()
    run(target)
    return time.process_time() - cpu, time.perf_counter() - wall, target.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pyld-triples", type=int, default=0)
    args = parser.parse_args()
    source = args.version / "canonical.nt"
    with source.open("rb") as handle:
        triples = sum(1 for _ in handle)
    url = jsonld.context_url(DEFAULT_BASE)

    def expanded(target: Path) -> None:
        with target.open("wb") as out:
            ox.serialize(_triples(source), out, format=ox.RdfFormat.JSON_LD)

    def compact(target: Path) -> None:
        with target.open("wb") as out:
            write_compact(source, out, jsonld.context_document(DEFAULT_BASE), url)

    print(f"{triples} triples in {source}")
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.rounds):
            for name, run in (("expanded (pyoxigraph)", expanded), ("compact", compact)):
                cpu, wall, size = _timed(run, Path(folder) / "dump.jsonld")
                print(f"round {round_ + 1} {name:22} cpu {cpu:6.2f} s  wall {wall:6.2f} s  "
                      f"{triples / cpu:9.0f} triples/cpu-s  {size:11d} bytes")
    if args.pyld_triples:
        sample = list(_triples(source, args.pyld_triples))
        document = json.loads(jsonld.expanded(sample))
        loader = jsonld._loader_for(url, DEFAULT_BASE)
        cpu = time.process_time()
        jsonld.jsonld.compact(document, url, options={"documentLoader": loader})
        cpu = time.process_time() - cpu
        print(f"pyld compact of {len(sample)} triples: cpu {cpu:.2f} s, "
              f"{cpu / len(sample) * 1000:.3f} ms a triple")


if __name__ == "__main__":
    main()
