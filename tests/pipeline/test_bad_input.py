"""Bad input: each gets a clear error naming the file and the line or row, and nothing is
published (the published output stays byte-identical)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from midwest_lod.config import Settings
from midwest_lod.pipeline import run_build, run_validate
from tests.pipeline.conftest import tree_digest

SOURCE = "https://www.midwest.be/sociale-economie"
GOOD_ACTOR = f"""\
key: test-actor
name: Testactor
sources: [{SOURCE}]
initiative_types:
  - value: maatwerkbedrijf
    sources: [{SOURCE}]
themes:
  - value: {{theme}}
    basis: inferred
    reason: test
    sources: [{SOURCE}]
active_in:
  - value: "{{nis}}"
    sources: [{SOURCE}]
enterprise_number:
  value: "{{number}}"
  sources: [{SOURCE}]
figures:
  - key: staff
    label: Werknemers
    value_text: "12"
    date: "{{date}}"
    sources: [{SOURCE}]
"""


def _theme_key(data: Path) -> str:
    scheme = yaml.safe_load((data / "schemes" / "themes.yaml").read_text(encoding="utf-8"))
    return str(scheme["concepts"][0]["key"])


def write_actor(data: Path, **changes: str) -> Path:
    values = {"theme": _theme_key(data), "nis": "36015", "number": "0203.201.340",
              "date": "2019-06"}
    values.update(changes)
    text = GOOD_ACTOR
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    path = data / "actors" / "test-actor.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def append_line(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)


def line_count(path: Path) -> int:
    return path.read_bytes().count(b"\n")


def dup_municipality(data: Path) -> int:
    path = data / "municipalities.csv"
    rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    append_line(path, rows[1])
    return len(rows) + 1


def bad_nis(data: Path) -> int:
    path = data / "municipalities.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("36015,"))
    lines[index] = "3601," + lines[index][len("36015,"):]
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


def malformed_csv(data: Path) -> int:
    path = data / "municipalities.csv"
    n = line_count(path)
    append_line(path, '99999,"Nergens,Nulle\n')
    return n + 1


def malformed_yaml(data: Path) -> int:
    path = write_actor(data)
    append_line(path, "description: [unclosed\n")
    return line_count(path)


def not_utf8(data: Path) -> int:
    path = write_actor(data)
    path.write_bytes(path.read_bytes() + "description: Caf\u00e9 ici\n".encode("latin-1"))
    return line_count(path)


def unknown_theme(data: Path) -> int:
    write_actor(data, theme="ruimtevaart")
    return 8


def unknown_type(data: Path) -> int:
    path = write_actor(data)
    text = path.read_text(encoding="utf-8").replace("value: maatwerkbedrijf",
                                                    "value: kerncentrale")
    path.write_text(text, encoding="utf-8")
    return 5


def unknown_municipality(data: Path) -> int:
    write_actor(data, nis="99999")
    return 13


def wrong_check_digit(data: Path) -> int:
    write_actor(data, number="0200.065.766")
    return 15


def invalid_date(data: Path) -> int:
    write_actor(data, date="2019-13")
    return 22


def duplicate_actor(data: Path) -> int:
    write_actor(data)
    source = data / "actors" / "test-actor.yaml"
    (data / "organisations" / "test-actor.yaml").write_bytes(source.read_bytes())
    return 1


def duplicate_yaml_key(data: Path) -> int:
    path = write_actor(data)
    append_line(path, "name: Nog een naam\n")
    return line_count(path)


def english_only_description(data: Path) -> int:
    """A description in English only: no Dutch text (issue 10, shapes/language.ttl)."""
    path = write_actor(data)
    line = line_count(path) + 1
    append_line(path, f"description:\n  value: {{en: Only English.}}\n  sources: [{SOURCE}]\n")
    return line


def period_reversed_row(data: Path) -> int:
    """Tielt 37015 from 2025-01-01 through 2024-12-31: its membership's period too."""
    path = data / "municipalities.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("37015,"))
    lines[index] = lines[index].replace(",member,,2024-12-31,", ",member,2025-01-01,2024-12-31,")
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


def period_reversed_value(data: Path) -> int:
    path = write_actor(data)
    append_line(path, f"""member_of:
  value: groep-gidts
  valid_from: "2023-01-01"
  valid_through: "2022-12-31"
  sources: [{SOURCE}]
""")
    return line_count(path) - 4


def period_in_months(data: Path) -> int:
    path = write_actor(data)
    append_line(path, f"""member_of:
  value: groep-gidts
  valid_through: "2022-12"
  sources: [{SOURCE}]
""")
    return line_count(path) - 3


def consulted_in_months(data: Path) -> int:
    path = data / "sources.csv"
    append_line(path, f"{SOURCE}-x,,2026-12,\n")
    return line_count(path)


@dataclass(frozen=True)
class Case:
    id: str
    break_data: Callable[[Path], int]
    file: str
    message: str


CASES = [
    Case("malformed-csv", malformed_csv, "municipalities.csv", "malformed CSV"),
    Case("malformed-yaml", malformed_yaml, "actors/test-actor.yaml", "invalid YAML"),
    Case("not-utf8", not_utf8, "actors/test-actor.yaml", "not UTF-8"),
    Case("unknown-theme", unknown_theme, "actors/test-actor.yaml", "theme"),
    Case("unknown-type", unknown_type, "actors/test-actor.yaml", "initiative"),
    Case("duplicate-municipality", dup_municipality, "municipalities.csv", "duplicate"),
    Case("duplicate-organisation", duplicate_actor, "organisations/test-actor.yaml", "duplicate"),
    Case("duplicate-yaml-key", duplicate_yaml_key, "actors/test-actor.yaml", "twice"),
    Case("bad-nis-code", bad_nis, "municipalities.csv", "NIS"),
    Case("enterprise-check-digit", wrong_check_digit, "actors/test-actor.yaml", "mod"),
    Case("unknown-municipality", unknown_municipality, "actors/test-actor.yaml",
         "municipalit"),
    Case("invalid-date", invalid_date, "actors/test-actor.yaml", "date"),
    Case("english-only-description", english_only_description, "actors/test-actor.yaml",
         "needs its Dutch text (nl)"),
    Case("consulted-in-months", consulted_in_months, "sources.csv",
         "the day of consultation is YYYY-MM-DD"),
    Case("period-reversed-row", period_reversed_row, "municipalities.csv",
         "The first day of a fact (valid_from) must be"),
    Case("period-reversed-value", period_reversed_value, "actors/test-actor.yaml",
         "not later than its last day (valid_through)"),
    Case("period-in-months", period_in_months, "actors/test-actor.yaml",
         "The last day of a fact (valid_through) must be one valid date YYYY-MM-DD"),
]

#: The period cases: the report names the data field of the date that is wrong.
PERIOD_FIELDS = {"period-reversed-row": "valid_from", "period-reversed-value": "valid_from",
                 "period-in-months": "valid_through"}


def test_the_good_template_builds(workspace: Callable[..., Settings]) -> None:
    settings = workspace()
    write_actor(Path(settings.data_dir))
    result = run_validate(settings)
    assert result.ok, result.report(include_warnings=False)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported_and_nothing_is_published(
    case: Case, workspace: Callable[..., Settings]
) -> None:
    settings = workspace()
    before = tree_digest(settings.output_dir)
    line = case.break_data(Path(settings.data_dir))

    result = run_build(settings)

    assert not result.ok
    assert result.version is None
    problems = result.violations
    matching = [p for p in problems if p.path == case.file and p.line == line]
    report = result.report(include_warnings=False)
    assert matching, f"expected a problem at {case.file}:{line}, got:\n{report}"
    assert any(case.message.lower() in p.message_en.lower() for p in matching), report
    assert f"data/{case.file}" in report and f"line {line}" in report
    assert tree_digest(settings.output_dir) == before


def test_two_municipalities_with_one_name_are_both_reported(
    workspace: Callable[..., Settings]
) -> None:
    """Labels that identify (issue 10): Staden renamed "Roeselare" clashes with Roeselare; the
    report names both rows of municipalities.csv."""
    settings = workspace()
    path = Path(settings.data_dir) / "municipalities.csv"
    rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = {row.split(",", 1)[0]: number for number, row in enumerate(rows, start=1)}
    rows[lines["36019"] - 1] = rows[lines["36019"] - 1].replace(",Staden,Staden,",
                                                                ",Roeselare,Staden,")
    path.write_text("".join(rows), encoding="utf-8")

    result = run_validate(settings)

    assert not result.ok
    clashes = [p for p in result.violations if p.rule.endswith("Municipality-prefLabel-unique")]
    assert {(p.path, p.line) for p in clashes} == {
        ("municipalities.csv", lines["36015"]), ("municipalities.csv", lines["36019"])}
    assert all("share a preferred name" in p.message_en for p in clashes)


@pytest.mark.parametrize("case", [c for c in CASES if c.id in PERIOD_FIELDS], ids=lambda c: c.id)
def test_a_bad_period_names_its_data_field(case: Case,
                                           workspace: Callable[..., Settings]) -> None:
    settings = workspace()
    line = case.break_data(Path(settings.data_dir))
    result = run_validate(settings)
    located = [p for p in result.violations if p.path == case.file and p.line == line
               and p.rule.startswith("mwsh:Assertion-valid")]
    assert located, result.report(include_warnings=False)
    assert {p.field for p in located} == {PERIOD_FIELDS[case.id]}
