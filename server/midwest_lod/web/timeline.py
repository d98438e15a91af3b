"""When what a page shows held: the period of a statement, the "as of" date of a figure, and
whether the entity itself has ended (docs/decisions/0019-time.md).

Dates are shown as the data has them (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``): a month or a
year stays a month or a year, never a made-up day. Something has ended when its last day (for
a month or a year: the last day of that month or year) is before today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode

from midwest_lod.publication import QueryStore
from midwest_lod.web.queries import QueryFiles


def today() -> str:
    return dt.date.today().isoformat()


def has_ended(last: str | None, day: str | None = None) -> bool:
    """True when ``last`` (a year, month or day: the last one on which a thing held) lies
    wholly before ``day`` (today by default)."""
    if not last:
        return False
    day = day or today()
    return last < day[:len(last)]


@dataclass
class Status:
    """What the page says about the entity's own time, beside its label."""

    valid_from: str | None = None
    valid_through: str | None = None
    #: The organisation it joined (its IRI) and when, at the precision of the source.
    joined: list[str] = field(default_factory=list)
    joined_on: str | None = None
    successors: list[str] = field(default_factory=list)
    as_of: str | None = None

    @property
    def ended(self) -> bool:
        return has_ended(self.valid_through) or has_ended(self.joined_on) or (
            bool(self.joined) and not self.joined_on)

    @property
    def links(self) -> list[str]:
        """What the status line links to: the organisations joined, then the successors."""
        return [*self.joined, *self.successors]


def text_of(term: Any) -> str | None:
    """The lexical form of a literal (a date of the data), else None."""
    return term.value if isinstance(term, Literal) else None


def entity_status(store: QueryStore, queries: QueryFiles, node: NamedNode) -> Status:
    status = Status()
    for row in queries.run(store, "entity-status", union=False, iri=node):
        name, value = row["field"].value, row["value"]
        text = value.value if isinstance(value, Literal | NamedNode) else None
        if text is None:
            continue
        if name == "joined":
            status.joined.append(text)
        elif name == "successor":
            status.successors.append(text)
        elif name == "ended":
            status.joined_on = max(status.joined_on or "", text)
        elif name == "from":
            status.valid_from = text
        elif name == "through":
            status.valid_through = text
        elif name == "asOf":
            status.as_of = text
    status.joined.sort()
    status.successors.sort()
    return status


def figure_dates(store: QueryStore, queries: QueryFiles, node: NamedNode) -> dict[str, str]:
    """The date ("stand op") of every figure the entity links to."""
    dates: dict[str, str] = {}
    for row in queries.run(store, "entity-link-dates", union=False, iri=node):
        if isinstance(row["date"], Literal):
            dates[row["node"].value] = row["date"].value
    return dates


def mark_figure_dates(values: Iterable[Any], dates: dict[str, str]) -> None:
    """Give each value that links to a figure the figure's date (``as_of``)."""
    for value in values:
        if value.iri in dates:
            value.as_of = dates[value.iri]
