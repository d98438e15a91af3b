"""Reading a KBO Open Data extract (standards.md §2.4): a folder or the official .zip.

Only the files the candidate search needs are read — ``meta.csv``, ``code.csv``,
``enterprise.csv``, ``denomination.csv``, ``address.csv`` — each streamed row by row (a full
extract has millions of rows). Columns are found by their official names; codes (languages,
types of denomination and address, legal forms) are described through ``code.csv``, never by a
built-in table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from midwest_lod.errors import LinkError

#: The columns each file must have (the official names, standards.md §2.4).
COLUMNS: dict[str, tuple[str, ...]] = {
    "meta.csv": ("Variable", "Value"),
    "code.csv": ("Category", "Code", "Language", "Description"),
    "enterprise.csv": ("EnterpriseNumber", "Status", "JuridicalSituation", "TypeOfEnterprise",
                       "JuridicalForm", "JuridicalFormCAC", "StartDate"),
    "denomination.csv": ("EntityNumber", "Language", "TypeOfDenomination", "Denomination"),
    "address.csv": ("EntityNumber", "TypeOfAddress", "CountryNL", "CountryFR", "Zipcode",
                    "MunicipalityNL", "MunicipalityFR", "StreetNL", "StreetFR", "HouseNumber",
                    "Box", "ExtraAddressInfo", "DateStrikingOff"),
}
ENTERPRISE_NUMBER = re.compile(r"^[01]\d{3}\.\d{3}\.\d{3}$")
#: Order in which the description of a code is preferred.
DESCRIPTION_LANGUAGES = ("NL", "EN", "FR", "DE")


def kbo_date(text: str, *, where: str) -> str:
    """A KBO date ``dd-mm-yyyy`` as ISO ``yyyy-mm-dd``."""
    try:
        return dt.datetime.strptime(text.strip(), "%d-%m-%Y").date().isoformat()
    except ValueError:
        raise LinkError(f"{where}: {text!r} is not a KBO date (dd-mm-yyyy)") from None


@dataclass
class Codes:
    """``code.csv``: (category, code) → description per language."""

    table: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def describe(self, category: str, code: str) -> str:
        """The description of a code (Dutch when there is one), or the code itself."""
        descriptions = self.table.get((category, code.strip()), {})
        for language in DESCRIPTION_LANGUAGES:
            if descriptions.get(language):
                return descriptions[language]
        return next(iter(descriptions.values()), code)

    def has(self, category: str, code: str) -> bool:
        return (category, code.strip()) in self.table


class Extract:
    """One KBO Open Data extract."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.is_dir():
            self._zip: zipfile.ZipFile | None = None
            self._members = {p.name.lower(): p.name for p in path.iterdir() if p.is_file()}
        elif path.is_file() and zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            self._members = {Path(n).name.lower(): n for n in self._zip.namelist()
                             if not n.endswith("/")}
        elif path.exists():
            raise LinkError(f"{path}: not a folder or a .zip file of a KBO Open Data extract")
        else:
            raise LinkError(f"{path}: no such file or folder")
        try:
            self._read_meta_and_codes()
        except BaseException:
            self.close()
            raise

    def _read_meta_and_codes(self) -> None:
        path = self.path
        missing = [name for name in COLUMNS if name not in self._members]
        if missing:
            raise LinkError(f"{path}: not a KBO Open Data extract: {', '.join(missing)} "
                            "missing (a full extract has meta.csv, code.csv, enterprise.csv, "
                            "denomination.csv and address.csv)")
        self.meta = {row["Variable"].strip(): row["Value"].strip()
                     for row in self._read_all("meta.csv")}
        if not self.meta.get("SnapshotDate"):
            raise LinkError(f"{path}: meta.csv has no SnapshotDate")
        self.snapshot_date = kbo_date(self.meta["SnapshotDate"], where=f"{path}: meta.csv")
        self.extract_number = self.meta.get("ExtractNumber", "")
        self.codes = Codes()
        for row in self._read_all("code.csv"):
            key = (row["Category"].strip(), row["Code"].strip())
            self.codes.table.setdefault(key, {})[row["Language"].strip().upper()] = \
                row["Description"].strip()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self) -> Extract:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def label(self) -> str:
        """"KBO Open Data extract 140 of 2025-06-06" (the note of a confirmed number)."""
        number = f" {self.extract_number}" if self.extract_number else ""
        return f"KBO Open Data extract{number} of {self.snapshot_date}"

    @contextmanager
    def _open(self, name: str) -> Iterator[IO[str]]:
        member = self._members[name]
        if self._zip is not None:
            with self._zip.open(member) as raw, \
                    io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
                yield text
        else:
            with (self.path / member).open(encoding="utf-8-sig", newline="") as text:
                yield text

    def rows(self, name: str) -> Iterator[dict[str, str]]:
        """The rows of one of the files, checked for the official columns."""
        where = f"{self.path}: {name}"
        with self._open(name) as handle:
            reader = csv.DictReader(handle, restval="")
            try:
                header = [c.strip() for c in reader.fieldnames or []]
                missing = [c for c in COLUMNS[name] if c not in header]
                if missing:
                    raise LinkError(f"{where}: missing column(s) {', '.join(missing)}; the "
                                    f"header has {', '.join(header) or 'nothing'}")
                reader.fieldnames = header
                yield from reader
            except UnicodeDecodeError as exc:
                raise LinkError(f"{where}: not UTF-8 text ({exc.reason})") from exc
            except csv.Error as exc:
                raise LinkError(f"{where}, line {reader.line_num}: malformed CSV: {exc}") \
                    from exc

    def _read_all(self, name: str) -> list[dict[str, str]]:
        return list(self.rows(name))
