"""The actors of ``data/actors/*.yaml`` as the linking steps see them: names, places, sites.

Values may be plain or sourced (``{value: ..., sources: [...]}``); only the values are read
here. Files are parsed with the pipeline's reader, so a broken file is reported with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from midwest_lod.pipeline.sources import list_files, load_yaml, read_file

ACTORS = "actors"


@dataclass(frozen=True)
class SiteAddress:
    actor: str
    site: str
    municipality: str  # NIS code as written ("" when not given)
    street: str
    number: str
    postcode: str
    locality: str

    @property
    def text(self) -> str:
        street = " ".join(p for p in (self.street, self.number) if p)
        place = " ".join(p for p in (self.postcode, self.locality) if p)
        return ", ".join(p for p in (street, place) if p)


@dataclass
class Actor:
    key: str
    path: str  # relative to the data folder
    names: list[str] = field(default_factory=list)
    nis_codes: list[str] = field(default_factory=list)
    addresses: list[SiteAddress] = field(default_factory=list)
    enterprise_number: str = ""


def value_of(raw: Any) -> Any:
    """The value of a plain or sourced field."""
    if isinstance(raw, dict):
        return raw.get("value")
    return raw


def _texts(raw: Any) -> list[str]:
    value = value_of(raw)
    if isinstance(value, dict):
        return [str(v).strip() for v in value.values() if str(v).strip()]
    if value in (None, ""):
        return []
    return [str(value).strip()]


def _list(raw: Any) -> list[Any]:
    if raw in (None, ""):
        return []
    return raw if isinstance(raw, list) else [raw]


def _text(raw: Any) -> str:
    value = value_of(raw)
    return "" if value is None else str(value).strip()


def read_actor(root: Path, relative: str) -> Actor:
    data = load_yaml(read_file(root, relative))
    if not isinstance(data, dict):
        data = {}
    actor = Actor(key=str(data.get("key") or Path(relative).stem), path=relative)
    for name_field in ("name", "legal_name"):
        for text in _texts(data.get(name_field)):
            if text not in actor.names:
                actor.names.append(text)
    actor.enterprise_number = _text(data.get("enterprise_number"))

    def add_nis(value: Any) -> None:
        nis = _text(value)
        if nis and nis not in actor.nis_codes:
            actor.nis_codes.append(nis)

    for item in _list(data.get("active_in")):
        add_nis(item)
    for site in _list(data.get("sites")):
        if not isinstance(site, dict):
            continue
        add_nis(site.get("municipality"))
        address = site.get("address")
        if isinstance(address, dict):
            actor.addresses.append(SiteAddress(
                actor=actor.key, site=_text(site.get("key")),
                municipality=_text(site.get("municipality")), street=_text(address.get("street")),
                number=_text(address.get("number")), postcode=_text(address.get("postcode")),
                locality=_text(address.get("locality"))))
    return actor


def read_actors(root: Path) -> list[Actor]:
    """Every actor file of the data folder, sorted by file name."""
    return [read_actor(root, relative) for relative in list_files(root, ACTORS, ".yaml")]
