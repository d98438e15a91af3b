"""The history graph of a version's store: when each entity changed, from the event stream.

Every version's store gets the named graph ``{base}/id/graaf/geschiedenis``
(:attr:`midwest_lod.iris.Iris.history_graph`) with, for every
member of the event stream up to and including this version (``/ldes``,
docs/decisions/0004-event-stream.md), the member's own head statements as the stream says
them::

    <{entity}/{built_at}> dct:isVersionOf <{entity}> ;
                          dct:modified "{built_at}"^^xsd:dateTime .
    <{entity}/{built_at}> a as:Delete .        # only for a tombstone

and nothing of the members' content (that is the stream's, at ``/ldes``). So SPARQL can answer
"what changed between two published versions" (the named query
``queries/catalogue/veranderingen-tussen-versies.rq``; a version is the time it was built,
which is the ``dct:modified`` of its members) from the store alone, embedded or external (the
graph goes into the external store with the rest of the version). The graph is in the store
only, not in the dumps (like the metadata graph), and the entity documents leave it out of
their incoming links (``queries/entity-incoming*.rq``, ``entity-document.rq``).

The build calls :func:`add_history_graph` after the stream's pages for this version are
written and before the version is published (:func:`midwest_lod.pipeline.run_build`), reading
the pages through :func:`midwest_lod.history.read_page` (exactly the bytes the index counts).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from midwest_lod.history import State, read_page
from midwest_lod.iris import Iris
from midwest_lod.stream import DELETE_OBJECT, DELETE_PATH, TIMESTAMP_PATH, VERSION_OF_PATH


def _head_lines(data: bytes, members: bytes) -> list[bytes]:
    """The head statements of the members in a page's N-Triples (subjects under ``/id/``:
    the stream's and the pages' own statements are not members').

    Found by searching for the three predicate-object starts (``bytes.find`` runs at memory
    speed), not by reading every line: at 100,000 organisations the stream holds gigabytes
    and the build reads all of it.
    """
    marks = (f"> <{VERSION_OF_PATH.value}> <".encode(),
             f"> <{TIMESTAMP_PATH.value}> \"".encode(),
             f"> <{DELETE_PATH.value}> <{DELETE_OBJECT.value}> .\n".encode())
    found = []
    for mark in marks:
        at = data.find(mark)
        while at >= 0:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end
            if data.startswith(members, start):
                found.append(data[start:end] + b"\n")
            at = data.find(mark, end)
    return found


def add_history_graph(store_path: Path, output_dir: Path, state: State | None, iris: Iris,
                      scratch: Path) -> int:
    """Load the heads of every member ``state`` counts into the history graph of the store
    at ``store_path``; returns the number of statements (0 without a history)."""
    if state is None or not state.pages:
        return 0
    members = f"<{iris.base}/id/".encode()
    count = 0
    with scratch.open("wb") as out:
        for page in state.pages:
            lines = _head_lines(read_page(output_dir, page), members)
            out.writelines(lines)
            count += len(lines)
    if count:
        store = ox.Store(str(store_path))
        store.bulk_load(path=str(scratch), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(str(iris.history_graph)))
        store.flush()
        del store
    scratch.unlink()
    return count
