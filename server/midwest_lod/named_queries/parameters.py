"""Request values of a named query's parameters, checked and turned into RDF terms.

Every value is read by its parameter's type and becomes a pyoxigraph term; the query text is
never touched (the terms are bound by :func:`midwest_lod.sparql.bind_rows`). A value that is
not valid raises :class:`ParameterError`, which names the parameter; the API answers it as a
400 (:class:`midwest_lod.errors.BadRequest`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import pyoxigraph as ox

from midwest_lod.named_queries.catalogue import NamedQuery, Parameter
from midwest_lod.sparql import iri_term
from midwest_lod.vocab import XSD

#: The longest value a string parameter takes (names, search words; not documents).
MAX_STRING_LENGTH = 500
#: The most values a list parameter takes.
MAX_LIST_LENGTH = 50
#: The value of a date parameter that means the day of the request, in Belgium.
TODAY = "today"
TIME_ZONE = ZoneInfo("Europe/Brussels")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_DECIMAL = re.compile(r"^[+-]?(?:\d{1,18}(?:\.\d{0,18})?|\.\d{1,18})$")
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
#: A published version: its id (``20261204T072341Z-0123456789ab``, build time and content
#: hash, midwest_lod.pipeline.run_build), the id's time part, or that time in ISO form.
VERSION_PATTERN = r"^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})Z(?:-[0-9a-f]{12})?$"
_VERSION = re.compile(VERSION_PATTERN)
#: The value of a version parameter that means the version published now.
CURRENT = "current"


class ParameterError(ValueError):
    """A value a parameter cannot take."""

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"parameter {parameter!r}: {reason}")
        self.parameter = parameter
        self.reason = reason


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(str(XSD) + datatype))


def _iri(p: Parameter, value: str) -> ox.NamedNode:
    try:
        iri_term(value)
    except ValueError:
        raise ParameterError(p.name, f"{value!r} is not an absolute IRI") from None
    return ox.NamedNode(value)


def _string(p: Parameter, value: str) -> ox.Literal:
    if len(value) > MAX_STRING_LENGTH:
        raise ParameterError(p.name, f"at most {MAX_STRING_LENGTH} characters")
    if any(ord(c) < 0x20 and c not in "\t\n\r" for c in value):
        raise ParameterError(p.name, "control characters are not allowed")
    return ox.Literal(value, language=p.lang) if p.lang else ox.Literal(value)


def _language(p: Parameter, value: str) -> ox.Literal:
    if not _LANGUAGE.match(value):
        raise ParameterError(p.name, f"{value!r} is not a language tag (nl, en, fr, nl-BE)")
    return ox.Literal(value.lower())


def _integer(p: Parameter, value: str) -> ox.Literal:
    if not _INTEGER.match(value):
        raise ParameterError(p.name, f"{value!r} is not an integer")
    return _typed(str(int(value)), "integer")


def _decimal(p: Parameter, value: str) -> ox.Literal:
    if not _DECIMAL.match(value):
        raise ParameterError(p.name, f"{value!r} is not a decimal number")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ParameterError(p.name, f"{value!r} is not a decimal number") from None
    return _typed(format(number, "f"), "decimal")


def _date(p: Parameter, value: str) -> ox.Literal:
    if value == TODAY:
        return _typed(datetime.now(TIME_ZONE).date().isoformat(), "date")
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise ParameterError(p.name, f"{value!r} is not a date (YYYY-MM-DD)") from None
    return _typed(day.isoformat(), "date")


def _version(p: Parameter, value: str) -> ox.Literal:
    """A published version as the time it was built (``xsd:dateTime``, UTC): the time its
    changes carry in the event stream (``dct:modified`` of its members). ``current`` is the
    time of the request: every version published so far is at or before it."""
    if value == CURRENT:
        return _typed(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "dateTime")
    found = _VERSION.match(value)
    try:
        if not found:
            raise ValueError(value)
        year, month, day, hour, minute, second = (int(g) for g in found.groups())
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise ParameterError(p.name, f"{value!r} is not a version (its id, such as "
                             "20261204T072341Z-0123456789ab, its time "
                             "2026-12-04T07:23:41Z, or current)") from None
    return _typed(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "dateTime")


def _boolean(p: Parameter, value: str) -> ox.Literal:
    if value.lower() not in _BOOLEANS:
        raise ParameterError(p.name, f"{value!r} is not true or false")
    return _typed("true" if _BOOLEANS[value.lower()] else "false", "boolean")


_READERS: dict[str, Callable[[Parameter, str], ox.NamedNode | ox.Literal]] = {
    "iri": _iri, "string": _string, "language": _language, "integer": _integer,
    "decimal": _decimal, "date": _date, "boolean": _boolean, "version": _version,
}


def check_value(p: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """``value`` as the term ``p`` binds; :class:`ParameterError` when it is not valid (a
    fixed enumeration included; an enumeration drawn from the data is checked by
    :func:`read_parameters`)."""
    term = _READERS[p.type](p, value.strip() if p.type != "string" else value)
    if p.values and value not in p.values:
        raise ParameterError(p.name, f"{value!r} is not one of {', '.join(p.values)}")
    return term


@dataclass(frozen=True)
class Arguments:
    """The checked values of a request: the terms per parameter (several for a list)."""

    terms: dict[str, list[ox.NamedNode | ox.Literal]]


def read_parameters(query: NamedQuery, given: Mapping[str, Sequence[str]],
                    allowed: Callable[[str], Collection[str]]) -> Arguments:
    """The request's values (``given``: name → the values sent) for ``query``'s parameters.

    Missing values take the default; a required one without a value, a second value for a
    single parameter, an invalid value or one outside an enumeration raise
    :class:`ParameterError`. ``allowed(class_iri)`` gives the values of an enumeration drawn
    from the data.
    """
    terms: dict[str, list[ox.NamedNode | ox.Literal]] = {}
    for p in query.parameters:
        values = [v for v in given.get(p.name, []) if v != ""]
        if p.many:
            values = [item for v in values for item in v.split(",") if item.strip()]
        if not values:
            if p.default is None:
                if p.optional:
                    continue
                raise ParameterError(p.name, "a value is required")
            values = p.default.split(",") if p.many else [p.default]
        if not p.many and len(values) > 1:
            raise ParameterError(p.name, "takes one value")
        if len(values) > MAX_LIST_LENGTH:
            raise ParameterError(p.name, f"at most {MAX_LIST_LENGTH} values")
        checked = [check_value(p, v) for v in values]
        if p.of is not None:
            members = allowed(p.of)
            for term in checked:
                if term.value not in members:
                    raise ParameterError(p.name, f"{term.value!r} is not one of the "
                                         f"{len(members)} allowed values (instances of "
                                         f"<{p.of}>)")
        terms[p.name] = checked
    return Arguments(terms)
