"""``sources.csv``: when each source page was consulted, and the date the page itself shows.

Not statements about the region's entities but about the sources, so they go to the provenance
graph (docs/decisions/0019-time.md), next to the assertion graphs that cite the pages:

- a consultation is a ``prov:Activity`` ``/id/activiteit/raadpleging-{day}`` with ``dct:date``
  (the day) and ``prov:used`` each page read that day; the curation ``prov:wasInformedBy`` it;
- the page's own date (as it shows it; the publication date of a news article, of a decree in
  the Belgisch Staatsblad) is ``dct:issued`` of the page: the "as of" date of what it says.

A page with no row keeps neither date: no source gives them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import XSD

from midwest_lod.errors import SourceError
from midwest_lod.iris import Iris
from midwest_lod.pipeline.emitter import Quad
from midwest_lod.pipeline.values import RowRecord, date_literal
from midwest_lod.vocab import DCT, PROV

FILE = "sources.csv"
COLUMNS = ("url", "published", "consulted", "note")


def consultation_quads(rows: Iterable[RowRecord], iris: Iris
                       ) -> tuple[list[Quad], list[SourceError]]:
    """The provenance statements of the rows of ``sources.csv``, and the errors of the rows
    that are not valid (each naming its line and column)."""
    herkomst = iris.graph("herkomst")
    by_day: dict[Literal, list[URIRef]] = defaultdict(list)
    issued: dict[URIRef, Literal] = {}
    seen: dict[str, int] = {}
    errors: list[SourceError] = []
    for row in rows:
        try:
            url, published, consulted = _read(row, seen)
        except SourceError as exc:
            errors.append(exc)
            continue
        if published is not None:
            issued[url] = published
        if consulted is not None:
            by_day[consulted].append(url)
    quads: list[Quad] = [(url, DCT.issued, date, herkomst)
                         for url, date in sorted(issued.items())]
    curation = iris.thing("activiteit", "curatie")
    for day, urls in sorted(by_day.items()):
        activity = iris.thing("activiteit", f"raadpleging-{day}")
        quads += [(activity, RDF.type, PROV.Activity, herkomst),
                  (activity, RDFS.label, Literal(f"Raadpleging van bronnen op {day}", lang="nl"),
                   herkomst),
                  (activity, DCT.date, day, herkomst),
                  (curation, PROV.wasInformedBy, activity, herkomst)]
        quads += [(activity, PROV.used, url, herkomst) for url in sorted(urls)]
    return quads, errors


def _read(row: RowRecord, seen: dict[str, int]) -> tuple[URIRef, Literal | None,
                                                          Literal | None]:
    url = row.get("url").strip()
    line = row.origin("url").line or 0
    if not url.startswith(("http://", "https://")) or " " in url:
        raise row.error("url", f"{url!r} is not a full URL starting with http:// or https://")
    if url in seen:
        raise row.error("url", f"{url} is already described on line {seen[url]}")
    seen[url] = line
    published = row.get("published").strip()
    consulted = row.get("consulted").strip()
    published_date = date_literal(published, row.origin("published")) if published else None
    consulted_date = date_literal(consulted, row.origin("consulted")) if consulted else None
    if consulted_date is not None and consulted_date.datatype != XSD.date:
        raise row.error("consulted", f"{consulted!r}: the day of consultation is YYYY-MM-DD")
    if published_date is None and consulted_date is None:
        raise row.error("published", "a row gives the page's date (published), the day it was "
                                     "consulted (consulted), or both")
    return URIRef(url), published_date, consulted_date
