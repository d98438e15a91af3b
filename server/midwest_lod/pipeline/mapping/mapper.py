"""Reading the files of ``data/`` in order and writing each record with its table.

The reference files first (schemes, legislation, places, the region, documents: the
organisations refer to them), then the organisations in batches (:mod:`..batches`). A record
with an error is skipped and its error collected, so the steward sees every problem of a run
at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from midwest_lod.errors import SourceError
from midwest_lod.iris import Iris
from midwest_lod.pipeline.emitter import Emitter
from midwest_lod.pipeline.mapping import consultations
from midwest_lod.pipeline.mapping.addresses import ADDRESS_LINKS, AddressLinks
from midwest_lod.pipeline.mapping.rows import Kind
from midwest_lod.pipeline.mapping.tables import (
    ACTOR,
    ARRONDISSEMENT,
    DEFINITION,
    DIRECTING_ROLE,
    DOCUMENT,
    LEGISLATION,
    MERGER,
    MUNICIPALITY,
    ORGANISATION,
    PROVINCE,
    REGION,
    SCHEME,
)
from midwest_lod.pipeline.mapping.writer import Writer, write_all
from midwest_lod.pipeline.sources import SourceFile, list_files, load_csv, load_yaml, read_file
from midwest_lod.pipeline.values import Record, RowRecord

#: The sections of ``region.yaml`` and their tables.
REGION_SECTIONS = {"region": REGION, "directing_role": DIRECTING_ROLE, "definition": DEFINITION}


class Mapper(Writer):
    """Maps every file of a data folder; collects statements and errors."""

    def __init__(self, root: Path, iris: Iris) -> None:
        self.root = root
        self.files: dict[str, str] = {}  # relative path -> sha256 of every file read
        self.organisation_keys: dict[str, str] = {}  # key -> file that defines it
        links = AddressLinks(lambda: self._read(ADDRESS_LINKS, optional=True))
        super().__init__(iris, links.get)

    # --- driving -------------------------------------------------------------------------

    def run_reference(self) -> Emitter:
        """Map everything but the organisations (schemes, places, region, documents)."""
        self.guard(self.map_schemes)
        self.guard(lambda: self.map_list("legislation.yaml", "legislation", LEGISLATION))
        self.guard(lambda: self.map_csv("provinces.csv", PROVINCE))
        self.guard(lambda: self.map_csv("arrondissements.csv", ARRONDISSEMENT))
        self.guard(self.map_region)
        self.guard(lambda: self.map_csv("municipalities.csv", MUNICIPALITY))
        self.guard(lambda: self.map_csv("mergers.csv", MERGER))
        self.guard(lambda: self.map_list("documents.yaml", "documents", DOCUMENT))
        self.guard(self.map_consultations)
        self.emitter.input_sha256 = dict(self.files)
        return self.emitter

    def organisation_files(self) -> list[tuple[str, bool]]:
        """(relative path, is an actor) of every organisation file, sorted."""
        return [(relative, is_actor)
                for folder, is_actor in (("actors", True), ("organisations", False))
                for relative in list_files(self.root, folder, ".yaml")]

    def run_organisations(self, batch: Iterable[tuple[str, bool]]) -> Emitter:
        """Map a batch of organisation files into a fresh emitter."""
        names = self.emitter.names
        self.emitter = Emitter(self.iris, {})
        self.emitter.names = names
        for relative, is_actor in batch:
            self.guard(lambda relative=relative, is_actor=is_actor:  # type: ignore[misc]
                       self.map_file(relative, ACTOR if is_actor else ORGANISATION,
                                     self.organisation_keys))
        self.emitter.input_sha256 = dict(self.files)
        return self.emitter

    # --- files ---------------------------------------------------------------------------

    def map_schemes(self) -> None:
        seen: dict[str, str] = {}
        for relative in list_files(self.root, "schemes", ".yaml"):
            self.guard(lambda relative=relative: self.map_file(relative, SCHEME, seen))  # type: ignore[misc]

    def map_file(self, relative: str, kind: Kind, seen: dict[str, str]) -> None:
        """A YAML file that holds one record."""
        record = Record(self._yaml(relative), relative, allowed=kind.allowed, what=kind.what)
        self.write(kind, record, seen=seen)

    def map_list(self, relative: str, name: str, kind: Kind) -> None:
        """A YAML file that holds a list of records: ``name: [...]`` (or a plain list)."""
        items = self._yaml(relative)
        if items is None:
            return
        if isinstance(items, dict) and set(items) == {name}:
            items = items[name] or []
        if not isinstance(items, list):
            raise SourceError(relative, getattr(items, "line", 1),
                              f"the file must hold a list `{name}:` of records")
        write_all(self, kind, items, lambda raw: Record(raw, relative, allowed=kind.allowed,
                                                        what=kind.what))

    def map_csv(self, relative: str, kind: Kind) -> None:
        source = self._read(relative)
        assert source is not None
        write_all(self, kind, load_csv(source, required=kind.columns), RowRecord)

    def map_consultations(self) -> None:
        """``sources.csv`` (optional): when each source was consulted, the date it shows."""
        source = self._read(consultations.FILE, optional=True)
        if source is None:
            return
        rows = [RowRecord(row) for row in load_csv(source, required=consultations.COLUMNS)]
        quads, errors = consultations.consultation_quads(rows, self.iris)
        self.errors.extend(errors)
        if not errors:
            self.emitter.source_quads = quads

    def map_region(self) -> None:
        """``region.yaml``: the region (the rest needs it), then its two other sections."""
        relative = "region.yaml"
        top = Record(self._yaml(relative), relative, allowed={*REGION_SECTIONS, "note"},
                     what="file")
        for name, kind in REGION_SECTIONS.items():
            def section(name: str = name, kind: Kind = kind) -> None:
                record = Record(top.require(name), relative, allowed=kind.allowed,
                                what=kind.what, line=top.line_of(name))
                self.write(kind, record)
            if kind is REGION:
                section()
            else:
                self.guard(section)

    # --- reading -------------------------------------------------------------------------

    def _read(self, relative: str, *, optional: bool = False) -> SourceFile | None:
        if optional and not (self.root / relative).is_file():
            return None
        source = read_file(self.root, relative)
        self.files[relative] = source.sha256
        return source

    def _yaml(self, relative: str) -> Any:
        source = self._read(relative)
        assert source is not None
        return load_yaml(source)
