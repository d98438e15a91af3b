"""`link kbo` on the synthetic fixture extract, the review file, and `link kbo-confirm`."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef

from midwest_lod.config import Settings
from midwest_lod.errors import LinkError
from midwest_lod.iris import Iris
from midwest_lod.linking.actors import read_actors
from midwest_lod.linking.candidates import find_candidates
from midwest_lod.linking.kbo import Extract
from midwest_lod.linking.places import Places
from midwest_lod.linking.review import (
    apply_confirmations,
    enterprise_block,
    read_confirmations,
    review_text,
    write_review,
)
from midwest_lod.pipeline import run_validate
from midwest_lod.pipeline.mapping import Mapper
from midwest_lod.vocab import REGORG, SKOS
from tests.linking.conftest import FIXTURES, digest, violations

KBO = FIXTURES / "kbo"
PAS_PAR_TOE = "0899.123.484"


def candidates(data_dir: Path, extract: Path = KBO) -> dict:  # type: ignore[type-arg]
    with Extract(extract) as source:
        return find_candidates(source, read_actors(data_dir), Places.load(data_dir))


def write_review_file(data_dir: Path, target: Path) -> None:
    with Extract(KBO) as source:
        found = find_candidates(source, read_actors(data_dir), Places.load(data_dir))
        write_review(target, review_text(found, extract_number=source.extract_number,
                                         snapshot_date=source.snapshot_date))


def review_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def confirm(path: Path, number: str, value: str = "yes", *, delimiter: str = ",") -> None:
    rows = review_rows(path)
    for row in rows:
        if row["enterprise_number"] == number:
            row["confirm"] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_candidates_for_the_right_actors(data_dir: Path) -> None:
    found = candidates(data_dir)
    pas = found["pas-par-toe"]
    assert [c.number for c in pas] == [PAS_PAR_TOE, "0899.543.257"]
    best, near_miss = pas
    assert best.score == 1.0 and best.address == "Kalkenstraat 14, 8800 Roeselare"
    assert best.juridical_form == "Vereniging zonder winstoogmerk"  # via code.csv
    assert best.start_date == "1995-09-01"
    assert "Maatschappelijke naam" in best.reasons[0] and "(Nederlands)" in best.reasons[0]
    assert any("lies in Roeselare (36015)" in r for r in best.reasons)
    # the near miss: similar name, seat elsewhere (its struck-off Roeselare seat is not used)
    assert near_miss.score < 0.7 and near_miss.address == "Veldstraat 1, 9000 Gent"
    assert any("not in the actor's municipalities" in r for r in near_miss.reasons)
    kringwinkel = found["kringwinkel-midwest"]
    assert [c.number for c in kringwinkel] == ["0899.777.740"]
    assert any("legal-form words ignored: vzw" in r for r in kringwinkel[0].reasons)
    assert [c.number for c in found["de-lochting"]] == ["0899.111.113"]  # near miss, listed
    every = {c.number for items in found.values() for c in items}
    assert "0899.222.266" not in every  # unrelated name
    assert "0899.333.322" not in every  # not in enterprise.csv
    assert found["optimat"] == [] and found["weerwerk"] == []


def test_zip_extract_and_arbitrary_language_codes(data_dir: Path, tmp_path: Path) -> None:
    # Another digit for Dutch: the description comes from code.csv, not from the code.
    folder = tmp_path / "extract"
    shutil.copytree(KBO, folder)
    for name in ("code.csv", "denomination.csv"):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"Language","7"', '"Language","2"')
                        .replace('","7","00', '","2","00'), encoding="utf-8")
    archive = tmp_path / "KboOpenData_0150_2026_06_Full.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(folder.glob("*.csv")):
            bundle.write(path, path.name)
    found = candidates(data_dir, archive)
    assert found["pas-par-toe"][0].number == PAS_PAR_TOE
    assert "(Nederlands)" in found["pas-par-toe"][0].reasons[0]


def test_review_file_and_nothing_else_is_written(data_dir: Path) -> None:
    before = digest(data_dir)
    target = data_dir / "review" / "kbo-candidates-2026-06-05.csv"
    write_review_file(data_dir, target)
    after = digest(data_dir)
    assert set(after) - set(before) == {"review/kbo-candidates-2026-06-05.csv"}
    assert {k: v for k, v in after.items() if k in before} == before
    rows = review_rows(target)
    assert list(rows[0]) == ["actor", "enterprise_number", "denomination", "address", "score",
                             "reasons", "juridical_form", "start_date", "extract_number",
                             "snapshot_date", "confirm"]
    assert all(row["confirm"] == "" for row in rows)
    assert {row["snapshot_date"] for row in rows} == {"2026-06-05"}
    assert {row["extract_number"] for row in rows} == {"150"}
    with pytest.raises(LinkError, match="exists"):
        write_review_file(data_dir, target)  # the steward's marks are never overwritten


def test_confirmation_writes_the_number_and_keeps_comments(data_dir: Path,
                                                           tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    write_review_file(data_dir, review)
    path = data_dir / "actors" / "pas-par-toe.yaml"
    original = path.read_text(encoding="utf-8")
    assert apply_confirmations(data_dir, read_confirmations(review)) == []  # nothing marked
    assert path.read_text(encoding="utf-8") == original
    confirm(review, PAS_PAR_TOE, "Ja")
    messages = apply_confirmations(data_dir, read_confirmations(review))
    assert messages == ["actors/pas-par-toe.yaml: added enterprise_number 0899.123.484"]
    text = path.read_text(encoding="utf-8")
    # the old file is untouched around the new block (comments included)
    block = enterprise_block("0899123484", "KBO Open Data extract 150 of 2026-06-05")
    assert text.count(block) == 1
    assert text.replace(block, "") == original
    assert original.startswith("# ")
    data = yaml.safe_load(text)
    assert data["enterprise_number"] == {
        "value": PAS_PAR_TOE,
        "sources": ["https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html"
                    "?nummer=0899123484"],
        "note": "KBO Open Data extract 150 of 2026-06-05",
    }
    # placed after the last of key/name/sources/legal_name/legal_form
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys.index("enterprise_number") == keys.index("sources") + 1
    # confirming again (same number) keeps the file as it is
    apply_confirmations(data_dir, read_confirmations(review))
    assert path.read_text(encoding="utf-8") == text


def test_the_build_validates_with_the_confirmed_number(data_dir: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    write_review_file(data_dir, review)
    confirm(review, PAS_PAR_TOE, "x")
    confirm(review, "0899.777.740", "yes")
    settings = Settings.load({"data_dir": data_dir, "output_dir": tmp_path / "out"},
                             environ={})
    before = run_validate(settings)
    apply_confirmations(data_dir, read_confirmations(review))
    result = run_validate(settings)
    # The fake numbers add no violation (compared with the same data without them, so that
    # this test is about the confirmation; tests/pipeline checks that the real data is valid).
    assert violations(result) == violations(before), result.report(include_warnings=False)
    assert result.ok, result.report(include_warnings=False)
    assert result.source_errors == []
    assert "actors/pas-par-toe.yaml" in result.inputs
    iris = Iris(settings.base_iri)
    mapper = Mapper(data_dir, iris)
    mapper.run_reference()
    emitter = mapper.run_organisations(mapper.organisation_files())
    triples = {t for graph in emitter.graphs.values() for t in graph}
    actor = iris.thing("organisatie", "pas-par-toe")
    identifier = URIRef(f"{actor}/identificator/kbo")
    assert (actor, REGORG.registration, identifier) in triples
    assert (identifier, SKOS.notation, Literal("0899123484", datatype=iris.vocab.EnterpriseNumber)
            ) in triples
    assert (actor, SKOS.exactMatch,
            URIRef("https://data.vlaanderen.be/id/onderneming/0899123484")) in triples


def test_spreadsheet_export_with_semicolons(data_dir: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    write_review_file(data_dir, review)
    confirm(review, PAS_PAR_TOE, "X", delimiter=";")
    assert [c.digits for c in read_confirmations(review)] == ["0899123484"]


@pytest.mark.parametrize("edit, message", [
    (lambda rows: rows[0].update(confirm="maybe"), "confirm is 'maybe'"),
    (lambda rows: rows[0].update(confirm="yes", enterprise_number="0899.123.485"),
     "mod-97"),
    (lambda rows: rows[0].update(confirm="yes", enterprise_number="123"),
     "not an enterprise number"),
    (lambda rows: rows[0].update(confirm="yes", actor="../../etc"), "not an actor key"),
    (lambda rows: rows[0].update(confirm="yes", actor="nobody"), "no actor file"),
    (lambda rows: [r.update(confirm="yes") for r in rows if r["actor"] == "pas-par-toe"],
     "two different numbers"),
])
def test_bad_confirmations_write_nothing(data_dir: Path, tmp_path: Path, edit, message) -> None:
    review = tmp_path / "review.csv"
    write_review_file(data_dir, review)
    rows = review_rows(review)
    rows.sort(key=lambda r: r["actor"] != "pas-par-toe")
    edit(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    review.write_text(out.getvalue(), encoding="utf-8")
    before = digest(data_dir)
    with pytest.raises(LinkError, match=message) as caught:
        apply_confirmations(data_dir, read_confirmations(review))
    assert "nothing was written" in str(caught.value)
    assert digest(data_dir) == before


def test_a_different_existing_number_needs_replace(data_dir: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    write_review_file(data_dir, review)
    confirm(review, PAS_PAR_TOE)
    apply_confirmations(data_dir, read_confirmations(review))
    rows = review_rows(review)
    for row in rows:
        row["confirm"] = "yes" if row["enterprise_number"] == "0899.543.257" else ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    review.write_text(out.getvalue(), encoding="utf-8")
    before = digest(data_dir)
    with pytest.raises(LinkError, match="--replace"):
        apply_confirmations(data_dir, read_confirmations(review))
    assert digest(data_dir) == before
    messages = apply_confirmations(data_dir, read_confirmations(review), replace=True)
    assert messages == ["actors/pas-par-toe.yaml: replaced enterprise_number 0899.543.257"]
    text = (data_dir / "actors" / "pas-par-toe.yaml").read_text(encoding="utf-8")
    assert text.count("enterprise_number:") == 1 and "0899.543.257" in text


@pytest.mark.parametrize("damage, message", [
    (lambda folder: (folder / "address.csv").unlink(), "address.csv missing"),
    (lambda folder: (folder / "enterprise.csv").write_text(
        '"Number","Status"\n"0899.123.484","AC"\n', encoding="utf-8"),
     "missing column.*EnterpriseNumber"),
    (lambda folder: (folder / "meta.csv").write_text(
        '"Variable","Value"\n"SnapshotDate","2026-06-05"\n', encoding="utf-8"),
     "not a KBO date"),
    (lambda folder: (folder / "denomination.csv").write_bytes(
        b'"EntityNumber","Language","TypeOfDenomination","Denomination"\n'
        b'"0899.123.484","7","001","Pas Par To\xe9"\n'), "not UTF-8"),
])
def test_broken_extracts_are_reported(data_dir: Path, tmp_path: Path, damage, message) -> None:
    folder = tmp_path / "extract"
    shutil.copytree(KBO, folder)
    damage(folder)
    before = digest(data_dir)
    with pytest.raises(LinkError, match=message):
        candidates(data_dir, folder)
    assert digest(data_dir) == before


def test_missing_extract_is_reported(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(LinkError, match="no such file"):
        candidates(data_dir, tmp_path / "nothing.zip")
    not_zip = tmp_path / "extract.zip"
    not_zip.write_text("hello", encoding="utf-8")
    with pytest.raises(LinkError, match="not a folder or a .zip"):
        candidates(data_dir, not_zip)


def test_broken_zip_extract_is_closed_and_reported(data_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "extract.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(KBO.glob("*.csv")):
            if path.name == "meta.csv":
                bundle.writestr("meta.csv", '"Variable","Value"\n"ExtractNumber","150"\n')
            else:
                bundle.write(path, path.name)
    with pytest.raises(LinkError, match="no SnapshotDate"):
        candidates(data_dir, archive)
