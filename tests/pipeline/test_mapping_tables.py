"""The mapping tables: what they read is documented, and what a row declares is what the
writer states (a period of validity, a language), with errors that name file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDFS, XSD, Literal, URIRef

from midwest_lod.errors import SourceError
from midwest_lod.iris import Iris
from midwest_lod.pipeline.emitter import INFERRED, STATED
from midwest_lod.pipeline.mapping import tables
from midwest_lod.pipeline.mapping.datatypes import ORGANISATION_KEY, TEXT_EN, TEXT_NL
from midwest_lod.pipeline.mapping.rows import (
    LABEL,
    MW,
    OWN,
    Field,
    Iri,
    Kind,
    Nested,
    Period,
)
from midwest_lod.pipeline.mapping.writer import Writer
from midwest_lod.pipeline.sources import Row, SourceFile, load_yaml
from midwest_lod.pipeline.values import Record, RowRecord
from midwest_lod.vocab import ORG, SCHEMA

BASE = "https://data.midwest.be"
SOURCE = "https://www.midwest.be/sociale-economie"
README = Path(__file__).resolve().parents[2] / "data" / "README.md"
TABLES = [value for value in vars(tables).values() if isinstance(value, Kind)]

#: A kind made for these tests: a membership that can end, with a text in English.
MEMBER = Kind("organisation", Iri("organisatie"), (ORG.Organization,), inferable=False, rows=(
    Field("name", LABEL, TEXT_NL, required=True),
    Field("summary", MW.summary, TEXT_EN),
    Field("member_of", ORG.memberOf, ORGANISATION_KEY, sources=OWN, during=Period()),
))


def read(text: str, kind: Kind = MEMBER) -> Record:
    source = SourceFile(Path("."), "organisations/test.yaml", text.encode("utf-8"))
    return Record(load_yaml(source), source.relative, allowed=kind.allowed, what=kind.what)


def write(kind: Kind, record: Record | RowRecord) -> Writer:
    writer = Writer(Iris(BASE), lambda actor, site: None)
    writer.write(kind, record)
    return writer


def test_every_key_a_table_reads_is_documented_in_data_readme() -> None:
    documented = set(re.findall(r"`([a-z_]+)`", README.read_text(encoding="utf-8")))
    documented |= {key for block in re.findall(r"```yaml\n(.*?)```", README.read_text(
        encoding="utf-8"), re.DOTALL) for key in re.findall(r"^\s*-?\s*([a-z_]+):", block, re.M)}
    assert len(TABLES) >= 15
    missing = {(kind.what, key) for kind in TABLES
               for key in (kind.allowed | set(kind.columns)) - documented}
    assert missing == set()


def test_nested_tables_are_reachable() -> None:
    nested = {row.kind.what for kind in TABLES for row in kind.rows if isinstance(row, Nested)}
    assert nested == {"site", "address", "service", "figure", "concept"}


def test_a_text_row_states_its_language() -> None:
    writer = write(MEMBER, read(f"key: test\nname: Test\nsummary: A summary\n"
                                f"sources: [{SOURCE}]\n"))
    triples = {t for graph in writer.emitter.graphs.values() for t in graph}
    subject = URIRef(f"{BASE}/id/organisatie/test")
    assert (subject, RDFS.label, Literal("Test", lang="nl")) in triples
    assert (subject, URIRef(f"{BASE}/ns/sociale-economie#summary"),
            Literal("A summary", lang="en")) in triples
    assert writer.emitter.names[subject] == "Test"


def test_a_row_with_a_period_puts_its_statements_in_a_dated_assertion_graph() -> None:
    writer = write(MEMBER, read(
        f"key: test\nname: Test\nsources: [{SOURCE}]\n"
        f"member_of: {{value: groep-gidts, valid_from: '2010', valid_through: 2022-12-31,\n"
        f"            sources: [{SOURCE}/leden]}}\n"))
    emitter = writer.emitter
    member_of = (URIRef(f"{BASE}/id/organisatie/test"), ORG.memberOf,
                 URIRef(f"{BASE}/id/organisatie/groep-gidts"))
    [graph] = [g for g, triples in emitter.graphs.items() if member_of in triples]
    support = emitter.assertions[graph].support
    assert support.valid_from == Literal("2010", datatype=XSD.gYear)
    assert support.valid_through == Literal("2022-12-31", datatype=XSD.date)
    provenance = {(s, p, o) for s, p, o, _ in emitter.provenance_quads() if s == graph}
    assert (graph, SCHEMA.validFrom, Literal("2010", datatype=XSD.gYear)) in provenance
    assert (graph, SCHEMA.validThrough, Literal("2022-12-31", datatype=XSD.date)) in provenance
    # the other statements of the record are in a graph without a period
    others = [info.support for g, info in emitter.assertions.items() if g != graph]
    assert others and all(s.valid_from is None and s.valid_through is None for s in others)


def test_a_bad_date_of_a_period_names_the_file_line_and_field() -> None:
    record = read(f"key: test\nname: Test\nsources: [{SOURCE}]\n"
                  f"member_of: {{value: groep-gidts, valid_from: 2010-13, sources: [{SOURCE}]}}\n")
    with pytest.raises(SourceError) as caught:
        write(MEMBER, record)
    error = caught.value
    assert (error.path, error.line, error.field) == ("organisations/test.yaml", 4, "member_of")
    assert "2010-13" in error.message


def test_a_csv_row_with_a_period_reads_it_from_its_columns() -> None:
    kind = Kind("province", Iri("provincie"), (MW.Province,), rows=(
        Field("name_nl", LABEL, TEXT_NL, required=True, during=Period()),
    ))
    row = Row("provinces.csv", 3, {"key": "oost", "name_nl": "Oost", "valid_from": "1830",
                                   "valid_through": "", "inferred": "name_nl",
                                   "reason": "test", "sources": SOURCE})
    writer = write(kind, RowRecord(row))
    supports = [info.support for info in writer.emitter.assertions.values()]
    assert {(s.basis, s.valid_from) for s in supports} == {
        (STATED, None), (INFERRED, Literal("1830", datatype=XSD.gYear))}
