"""Registry links of the municipalities: owl:sameAs data.vlaanderen.be for all, skos:exactMatch
REFNIS 2025 for the current ones and REFNIS 2019 for the ones merged on 2025-01-01."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rdflib import OWL, SKOS, URIRef

from midwest_lod.iris import Iris
from midwest_lod.pipeline.mapping import Mapper

BASE = "https://data.midwest.be"
MERGED = {"37007", "37012", "37015", "37018"}


def links(data_dir: Path) -> tuple[Mapper, dict[tuple[str, str], list[tuple[str, tuple]]]]:
    mapper = Mapper(data_dir, Iris(BASE))
    emitter = mapper.run_reference()
    found: dict[tuple[str, str], list[tuple[str, tuple]]] = {}
    for graph, triples in emitter.graphs.items():
        for s, p, o in triples:
            if p in (OWL.sameAs, SKOS.exactMatch) and "/id/gemeente/" in s:
                nis = s.rsplit("/", 1)[-1]
                found.setdefault((nis, str(p)), []).append(
                    (str(o), emitter.assertions[graph].support.sources))
    return mapper, found


def test_every_municipality_is_linked(data_dir: Path) -> None:
    mapper, found = links(data_dir)
    assert mapper.errors == []
    text = (data_dir / "municipalities.csv").read_text(encoding="utf-8")
    rows = {row["nis"]: row for row in csv.DictReader(io.StringIO(text))}
    assert len(rows) == 20 and set(rows) >= MERGED | {"37021", "37022"}
    for nis, row in rows.items():
        sources = tuple(sorted(s for s in row["sources"].split(";") if s))
        same = found[(nis, str(OWL.sameAs))]
        assert same == [(f"https://data.vlaanderen.be/id/gemeente/{nis}", sources)]
        edition = "2019" if nis in MERGED else "2025"
        exact = found[(nis, str(SKOS.exactMatch))]
        assert exact == [(f"http://vocab.belgif.be/auth/refnis{edition}/{nis}", sources)]
        assert any(f"refnis{edition}.nt" in s for s in sources)  # the row cites that list


def test_validity_decides_the_refnis_edition(data_dir: Path) -> None:
    path = data_dir / "municipalities.csv"
    text = path.read_text(encoding="utf-8")
    # Ardooie, as if it had ended in 2018 (before REFNIS 2019) — no REFNIS link then.
    text = text.replace("8851 Koolskamp,member,,,", "8851 Koolskamp,member,,2018-12-31,")
    path.write_text(text, encoding="utf-8")
    _, found = links(data_dir)
    assert (("37020", str(SKOS.exactMatch))) not in found
    assert found[("37020", str(OWL.sameAs))][0][0] == str(
        URIRef("https://data.vlaanderen.be/id/gemeente/37020"))
