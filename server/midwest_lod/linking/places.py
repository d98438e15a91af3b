"""The municipalities of ``data/municipalities.csv`` as the linking steps need them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from midwest_lod.linking.names import normalise_place
from midwest_lod.pipeline.sources import load_csv, read_file

MUNICIPALITIES = "municipalities.csv"


@dataclass(frozen=True)
class Municipality:
    nis: str
    name_nl: str
    name_fr: str
    postcodes: tuple[str, ...]
    localities: tuple[str, ...]  # place names without postcode ("Koolskamp")
    replaced_by: str


class Places:
    """Municipalities by NIS code, with the merger chain (``replaced_by``)."""

    def __init__(self, municipalities: Iterable[Municipality]) -> None:
        self.by_nis = {m.nis: m for m in municipalities}

    @classmethod
    def load(cls, root: Path) -> Places:
        rows = load_csv(read_file(root, MUNICIPALITIES), required=("nis", "name_nl"))
        items = []
        for row in rows:
            localities = tuple(part.strip().split(" ", 1)[-1]
                               for part in row.get("localities").split(";") if part.strip())
            items.append(Municipality(
                nis=row.get("nis"), name_nl=row.get("name_nl"), name_fr=row.get("name_fr"),
                postcodes=tuple(p.strip() for p in row.get("postcodes").split(";") if p.strip()),
                localities=localities, replaced_by=row.get("replaced_by")))
        return cls(items)

    def current(self, nis: str) -> Municipality | None:
        """The municipality that holds ``nis``'s territory today (follows ``replaced_by``)."""
        municipality = self.by_nis.get(nis)
        seen: set[str] = set()
        while (municipality is not None and municipality.replaced_by
               and municipality.nis not in seen):
            seen.add(municipality.nis)
            successor = self.by_nis.get(municipality.replaced_by)
            if successor is None:
                break
            municipality = successor
        return municipality

    def expand(self, codes: Iterable[str]) -> list[Municipality]:
        """The municipalities of ``codes`` and their successors, without repeats, in order."""
        result: dict[str, Municipality] = {}
        for nis in codes:
            municipality = self.by_nis.get(nis)
            if municipality is not None:
                result.setdefault(municipality.nis, municipality)
            successor = self.current(nis)
            if successor is not None:
                result.setdefault(successor.nis, successor)
        return list(result.values())


@dataclass(frozen=True)
class PlaceMatcher:
    """Does a (postcode, municipality name) pair lie in a set of municipalities?"""

    municipalities: tuple[Municipality, ...]

    def match(self, postcode: str, names: Iterable[str]) -> Municipality | None:
        wanted = {normalise_place(n) for n in names if n and n.strip()}
        for municipality in self.municipalities:
            if postcode and postcode in municipality.postcodes:
                return municipality
            own = {normalise_place(n) for n in (municipality.name_nl, municipality.name_fr,
                                                *municipality.localities) if n}
            if wanted & own:
                return municipality
        return None
