"""The steward's review file of KBO candidates, and writing the confirmed numbers.

``write_review`` writes one row per candidate with an empty ``confirm`` column. The steward
types ``yes``, ``ja`` or ``x`` in that column for the right candidate (at most one number per
actor) and runs ``midwest-lod link kbo-confirm``, which writes the number into the actor's
YAML as a sourced ``enterprise_number`` (source: the KBO public search page of the number;
note: the extract and its snapshot date). Every row is checked before any file is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from midwest_lod.errors import LinkError
from midwest_lod.files import write_atomically
from midwest_lod.iris import is_key
from midwest_lod.linking import enterprise
from midwest_lod.linking.actors import ACTORS, value_of
from midwest_lod.linking.candidates import Candidate
from midwest_lod.linking.yamledit import quoted, set_block

COLUMNS = ("actor", "enterprise_number", "denomination", "address", "score", "reasons",
           "juridical_form", "start_date", "extract_number", "snapshot_date", "confirm")
YES = frozenset({"yes", "y", "ja", "j", "x", "oui"})
NO = frozenset({"", "no", "n", "nee", "non", "-"})
FIELD = "enterprise_number"
#: The fields an ``enterprise_number`` block follows (data/README.md order).
PRECEDING = ("key", "name", "sources", "legal_name", "legal_form")


def review_text(candidates: dict[str, list[Candidate]], *, extract_number: str,
                snapshot_date: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for actor in sorted(candidates):
        for c in candidates[actor]:
            writer.writerow([c.actor, c.number, c.denomination, c.address, f"{c.score:.2f}",
                             "; ".join(c.reasons), c.juridical_form, c.start_date,
                             extract_number, snapshot_date, ""])
    return out.getvalue()


def write_review(path: Path, text: str, *, force: bool = False) -> None:
    if path.exists() and not force:
        raise LinkError(f"{path} exists (it may hold the steward's confirmations); remove it or "
                        "use --force to overwrite it")
    write_atomically(path, text.encode("utf-8"))


@dataclass(frozen=True)
class Confirmation:
    actor: str
    digits: str
    note: str
    line: int


def read_confirmations(path: Path) -> list[Confirmation]:
    """The confirmed rows of a review file; any unreadable row is an error (nothing applied)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise LinkError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise LinkError(f"{path}: not UTF-8 (save the review file as CSV UTF-8)") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # spreadsheet exports
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in ("actor", "enterprise_number", "snapshot_date", "confirm")
               if c not in header]
    if missing:
        raise LinkError(f"{path}: missing column(s) {', '.join(missing)}; is this a review "
                        "file written by `midwest-lod link kbo`?")
    reader.fieldnames = header
    confirmations, problems = [], []
    for row in reader:
        line = reader.line_num
        answer = (row.get("confirm") or "").strip().lower()
        if answer in NO:
            continue
        if answer not in YES:
            problems.append(f"line {line}: confirm is {answer!r}; write yes, ja or x (or "
                            "leave it empty)")
            continue
        actor = (row.get("actor") or "").strip()
        try:
            digits = enterprise.check(row.get("enterprise_number") or "")
        except LinkError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if not is_key(actor):
            problems.append(f"line {line}: {actor!r} is not an actor key")
            continue
        snapshot = (row.get("snapshot_date") or "").strip()
        if not snapshot:
            problems.append(f"line {line}: snapshot_date is empty (the note needs the date "
                            "of the extract)")
            continue
        number = (row.get("extract_number") or "").strip()
        note = f"KBO Open Data extract{' ' + number if number else ''} of {snapshot}"
        confirmations.append(Confirmation(actor, digits, note, line))
    if problems:
        raise LinkError(f"{path}: nothing was written:\n  " + "\n  ".join(problems))
    return confirmations


def enterprise_block(digits: str, note: str) -> str:
    return (f"{FIELD}:\n"
            f"  value: {quoted(enterprise.dotted(digits))}\n"
            f"  sources:\n"
            f"    - {enterprise.search_url(digits)}\n"
            f"  note: {quoted(note)}\n")


def apply_confirmations(root: Path, confirmations: Iterable[Confirmation], *,
                        replace: bool = False) -> list[str]:
    """Write the confirmed numbers into the actors' files; returns one message per file.

    All files are prepared and checked first; only then is each replaced atomically.
    """
    import yaml

    by_actor: dict[str, Confirmation] = {}
    problems: list[str] = []
    for item in confirmations:
        seen = by_actor.setdefault(item.actor, item)
        if seen.digits != item.digits:
            problems.append(f"{item.actor}: two different numbers confirmed (lines {seen.line} "
                            f"and {item.line}); confirm one")
    prepared: list[tuple[Path, str, str]] = []
    for actor, item in sorted(by_actor.items()):
        relative = f"{ACTORS}/{actor}.yaml"
        path = root / relative
        if not path.is_file():
            problems.append(f"line {item.line}: no actor file {relative}")
            continue
        try:
            text = path.read_bytes().decode("utf-8")
            current = value_of((yaml.safe_load(text) or {}).get(FIELD))
        except (UnicodeDecodeError, yaml.YAMLError, AttributeError) as exc:
            problems.append(f"{relative}: cannot be read ({exc})")
            continue
        if current and enterprise.digits_of(str(current)) != item.digits and not replace:
            problems.append(f"{relative} already has enterprise_number {current}; use "
                            f"--replace to replace it by {enterprise.dotted(item.digits)}")
            continue
        expected = {"value": enterprise.dotted(item.digits),
                    "sources": [enterprise.search_url(item.digits)], "note": item.note}
        try:
            new_text = set_block(text, FIELD, enterprise_block(item.digits, item.note),
                                 after=PRECEDING, expected=expected, where=relative)
        except LinkError as exc:
            problems.append(str(exc))
            continue
        verb = "replaced" if current else "added"
        prepared.append((path, new_text,
                         f"{relative}: {verb} enterprise_number {expected['value']}"))
    if problems:
        raise LinkError("nothing was written:\n  " + "\n  ".join(problems))
    for path, new_text, _ in prepared:
        write_atomically(path, new_text.encode("utf-8"))
    return [message for _, _, message in prepared]
