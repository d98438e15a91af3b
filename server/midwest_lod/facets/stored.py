"""A version's facet index as a file (``facets.json`` in the version's folder), written by the
build and read by the server instead of the store.

Reading the facets from the store takes one query per facet over every organisation: at
100,000 organisations it took each server process tens of seconds on its first faceted page
(benchmark, 2026-12-04). The file holds exactly what :func:`.reading.read_index` gives: the
organisations in label order, each mask as a hexadecimal number, the labels. A version
without the file (published before it existed) is read from its store as before.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from midwest_lod.facets.index import FacetIndex
from midwest_lod.files import write_atomically

log = logging.getLogger(__name__)

FILE_NAME = "facets.json"
#: The file's format; a file of another format is not read (the store is).
FORMAT = 1


def write(index: FacetIndex, folder: Path) -> Path:
    """Write ``index`` to ``folder/facets.json`` (keys in a stable order: byte-identical for
    the same index)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "organisations": index.organisations,
        "masks": [[facet, value, basis, format(bits, "x")]
                  for (facet, value, basis), bits in sorted(index.masks.items())],
        "labels": {iri: dict(sorted(names.items())) for iri, names in sorted(index.labels.items())},
    }
    target = folder / FILE_NAME
    write_atomically(target, (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                              + "\n").encode("utf-8"))
    return target


def read(folder: Path) -> FacetIndex | None:
    """The index in ``folder/facets.json``, or None when there is no such file of this
    format or it cannot be read (logged: the caller reads the store instead)."""
    path = folder / FILE_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        masks = {(facet, value, basis): int(bits, 16)
                 for facet, value, basis, bits in data["masks"]}
        return FacetIndex(list(data["organisations"]), masks, dict(data["labels"]))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("facets: %s cannot be read (%s: %s); the facets are read from the store",
                    path, type(error).__name__, error)
        return None
