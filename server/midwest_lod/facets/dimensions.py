"""The facets of the organisation browser, declared once: the page, the JSON, the CSV, the
SPARQL query and the tests all read this table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    """One way to narrow the list: its parameter (also the variable of its value in the
    SPARQL query), its labels, and whether its values are read from a query file
    (``queries/facets/{name}.rq``) or are the bases of the other facets' statements."""

    name: str
    label_nl: str
    label_en: str
    from_file: bool = True


#: The basis facet: stated or inferred, of the statements the other facets match.
BASIS = "grondslag"

FACETS: tuple[Facet, ...] = (
    Facet("gemeente", "Gemeente", "Municipality"),
    Facet("gemeente2024", "Gemeente vóór de fusies van 2025",
          "Municipality before the 2025 mergers"),
    Facet("arrondissement", "Arrondissement", "Arrondissement"),
    Facet("soort", "Soort initiatief", "Kind of initiative"),
    Facet("thema", "Thema", "Theme"),
    Facet("rechtsvorm", "Rechtsvorm", "Legal form"),
    Facet(BASIS, "Grondslag (vermeld of afgeleid)", "Basis (stated or inferred)",
          from_file=False),
)
BY_NAME = {facet.name: facet for facet in FACETS}
#: The facets whose values come from the data (all but the basis).
VALUE_FACETS = tuple(facet for facet in FACETS if facet.from_file)
