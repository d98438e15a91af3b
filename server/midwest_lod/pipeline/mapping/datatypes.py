"""The value types of the mapping tables: how a raw value becomes RDF terms.

Each checks the value and raises a :class:`SourceError` at the value's origin (file, line,
field) with a message a data steward can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from midwest_lod.formats import IANA_MEDIA_TYPES
from midwest_lod.iris import Iris, is_key
from midwest_lod.pipeline.emitter import Origin
from midwest_lod.pipeline.values import (
    boolean_literal,
    date_literal,
    decimal_literal,
    error_at,
    plain_literal,
    text_literals,
    url_ref,
)


@dataclass(frozen=True)
class Text:
    """Free text: a string in ``lang``, or a mapping of language codes to strings."""

    lang: str

    def terms(self, raw: Any, origin: Origin, iris: Iris) -> list[Node]:
        return list(text_literals(raw, self.lang, origin))


@dataclass(frozen=True)
class Concept:
    """The key of a concept of ``scheme`` (``data/schemes/``)."""

    scheme: str

    def terms(self, raw: Any, origin: Origin, iris: Iris) -> list[Node]:
        key = str(raw).strip()
        if not is_key(key):
            raise error_at(origin, f"{key!r} is not a valid concept key")
        return [iris.concept(self.scheme, key)]


@dataclass(frozen=True)
class Thing:
    """The key of a thing of ``kind`` (``regelgeving``, ``provincie``, ...); an unknown key
    is reported by the shapes (the thing has no type)."""

    kind: str

    def terms(self, raw: Any, origin: Origin, iris: Iris) -> list[Node]:
        return [iris.thing(self.kind, str(raw).strip())]


@dataclass(frozen=True)
class Parsed:
    """A value type of one term, made by ``parse(raw, origin, iris)``."""

    parse: Callable[[Any, Origin, Iris], Node]

    def terms(self, raw: Any, origin: Origin, iris: Iris) -> list[Node]:
        return [self.parse(raw, origin, iris)]


def _full_date(raw: Any, origin: Origin, iris: Iris) -> Node:
    literal = date_literal(raw, origin)
    if literal.datatype != XSD.date:
        raise error_at(origin, f"{origin.field} must be a full date YYYY-MM-DD")
    return literal


def _year(raw: Any, origin: Origin, iris: Iris) -> Node:
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or len(text) != 4:
        raise error_at(origin, f"{raw!r} is not a year (write it as four digits, e.g. 1963)")
    return Literal(text, datatype=XSD.gYear)


def _integer(raw: Any, origin: Origin, iris: Iris) -> Node:
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise error_at(origin, f"{origin.field} must be a whole number, got {raw!r}")
    return Literal(str(raw), datatype=XSD.integer)


def _organisation(raw: Any, origin: Origin, iris: Iris) -> Node:
    key = str(raw).strip()
    if not is_key(key):
        raise error_at(origin, f"{key!r} is not a valid organisation key")
    return iris.thing("organisatie", key)


def _nis_code(raw: Any, origin: Origin, iris: Iris) -> Node:
    nis = str(raw).strip()
    if not nis.isdigit():
        raise error_at(origin, f"{nis!r} is not a NIS code (5 digits, e.g. 36015 for Roeselare)")
    return iris.thing("gemeente", nis)


TEXT_NL = Text("nl")
TEXT_EN = Text("en")
TEXT_FR = Text("fr")
#: One value as a plain string (codes, file names, values as the source words them).
PLAIN = Parsed(lambda raw, origin, iris: plain_literal(raw, origin))
#: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``xsd:gYear``, ``xsd:gYearMonth``, ``xsd:date``).
DATE = Parsed(lambda raw, origin, iris: date_literal(raw, origin))
#: Only ``YYYY-MM-DD``.
FULL_DATE = Parsed(_full_date)
#: A year of four digits, as ``xsd:gYear``.
YEAR = Parsed(_year)
INTEGER = Parsed(_integer)
DECIMAL = Parsed(lambda raw, origin, iris: decimal_literal(raw, origin))
BOOLEAN = Parsed(lambda raw, origin, iris: boolean_literal(raw, origin))
#: A web address, as an IRI.
URL = Parsed(lambda raw, origin, iris: url_ref(raw, origin))
#: An IANA media type (``application/pdf``), as its IANA IRI.
MEDIA_TYPE = Parsed(lambda raw, origin, iris: URIRef(IANA_MEDIA_TYPES + plain_literal(raw, origin)))
#: The key of an organisation (``data/actors/``, ``data/organisations/``).
ORGANISATION_KEY = Parsed(_organisation)
#: The NIS code of a municipality (``municipalities.csv``).
NIS_CODE = Parsed(_nis_code)
