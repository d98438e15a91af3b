"""Reading fields of one record (a YAML mapping or a CSV row) into checked values.

Every accessor either returns a clean value or raises a :class:`SourceError` naming the file,
the line and the field, with a message a data steward can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import XSD, Literal, URIRef

from midwest_lod.errors import SourceError
from midwest_lod.iris import is_key
from midwest_lod.pipeline.emitter import INFERRED, STATED, Origin, Support
from midwest_lod.pipeline.sources import Mapping, Row, Sequence

LANGUAGES = ("nl", "en", "fr", "de")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_SOURCED_KEYS = {"value", "sources", "basis", "reason", "note"}


@dataclass
class Sourced:
    """A value with what supports it and where it was written."""

    value: Any
    support: Support
    origin: Origin
    extra: dict[str, Any] = field(default_factory=dict)


class Record:
    """One mapping of a YAML file, with checked accessors for its fields."""

    def __init__(self, data: Any, path: str, *, allowed: Iterable[str], line: int | None = None,
                 what: str = "record") -> None:
        if not isinstance(data, dict):
            raise SourceError(path, line, f"expected a mapping (field: value) for this {what}, "
                              f"got {_kind(data)}")
        self.data = data
        self.path = path
        self.line = getattr(data, "line", line)
        known = allowed if isinstance(allowed, set | frozenset) else set(allowed)
        unknown = [key for key in data if key not in known]
        if unknown:
            unknown.sort()
            raise SourceError(
                path, self.line_of(unknown[0]),
                f"unknown field {unknown[0]!r} in this {what}; "
                f"allowed: {', '.join(sorted(allowed))}",
                unknown[0],
            )

    # --- positions -----------------------------------------------------------------------

    def line_of(self, key: str) -> int | None:
        if isinstance(self.data, Mapping):
            return self.data.line_of(key)
        return self.line

    def origin(self, key: str | None = None) -> Origin:
        return Origin(self.path, self.line_of(key) if key else self.line, key)

    def error(self, key: str | None, message: str) -> SourceError:
        return SourceError(self.path, self.line_of(key) if key else self.line, message, key)

    # --- plain fields --------------------------------------------------------------------

    def has(self, key: str) -> bool:
        return self.data.get(key) not in (None, "", [], {})

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def require(self, key: str) -> Any:
        if not self.has(key):
            raise self.error(key, f"the field {key!r} is required")
        return self.data[key]

    def key(self, name: str = "key") -> str:
        value = self.require(name)
        text = str(value).strip()
        if not is_key(text):
            raise self.error(name, f"{text!r} is not a valid key: use lower-case letters, digits "
                                   "and '-' (for example 'de-lochting')")
        return text

    def values(self, key: str) -> list[Any]:
        """The value of ``key`` as a list: a single value is a list of one."""
        value = self.data.get(key)
        if value in (None, ""):
            return []
        return value if isinstance(value, list) else [value]

    def sources(self, key: str = "sources", *, required: bool = True,
                raw: Any = None, owner: str | None = None) -> tuple[str, ...]:
        """A list of source URLs (a single URL is accepted too)."""
        value = self.data.get(key) if raw is None else raw
        if value in (None, "", []):
            if required:
                raise self.error(owner or key, "every value needs its sources: add "
                                 "`sources: [<url of the page that says it>]`")
            return ()
        items = value if isinstance(value, list) else [value]
        urls = []
        for item in items:
            text = str(item).strip()
            if not is_absolute_url(text):
                raise self.error(owner or key, f"source {text!r} is not an absolute URL "
                                 "(http:// or https://)")
            urls.append(text)
        return tuple(urls)

    # --- sourced values ------------------------------------------------------------------

    def sourced(self, key: str, *, extra: Iterable[str] = (),
                default: Support | None = None) -> Sourced | None:
        """One sourced value: ``{value, sources, basis, reason}``."""
        if not self.has(key):
            return None
        return self._sourced_item(key, self.data[key], self.line_of(key), set(extra), default)

    def sourced_list(self, key: str, *, extra: Iterable[str] = (),
                     default: Support | None = None) -> list[Sourced]:
        """A list of sourced values (a single one is accepted too)."""
        if not self.has(key):
            return []
        raw = self.data[key]
        if not isinstance(raw, list):
            raw = Sequence([raw])
            raw.line = self.line_of(key) or 0
            raw.lines = [raw.line]
        lines = raw.lines if isinstance(raw, Sequence) else [self.line_of(key)] * len(raw)
        return [self._sourced_item(key, item, line, set(extra), default)
                for item, line in zip(raw, lines, strict=False)]

    def _sourced_item(self, key: str, raw: Any, line: int | None, extra: set[str],
                      default: Support | None) -> Sourced:
        origin = Origin(self.path, line, key)
        if not isinstance(raw, dict):
            if default is None:
                raise SourceError(
                    self.path, line,
                    f"{key!r} needs its sources: write it as `{{value: ..., sources: [<url>]}}`",
                    key,
                )
            return Sourced(raw, default, origin)
        item = Record(raw, self.path, allowed=_SOURCED_KEYS | extra, line=line,
                      what=f"value of {key!r}")
        if "value" not in raw or raw["value"] in (None, ""):
            raise SourceError(self.path, line, f"{key!r} has no `value`", key)
        sources = item.sources(required=default is None, owner=key)
        basis = str(raw.get("basis") or STATED).strip()
        if basis not in (STATED, INFERRED):
            raise SourceError(self.path, item.line_of("basis"),
                              f"basis must be 'stated' or 'inferred', got {basis!r}", key)
        reason = str(raw.get("reason") or "").strip()
        if basis == INFERRED and not reason:
            raise SourceError(self.path, item.line_of("basis"),
                              "an inferred value needs a `reason` saying why", key)
        if default is not None and not sources:
            sources = default.sources
        support = Support(sources, basis, _clean(reason))
        return Sourced(raw["value"], support, origin,
                       {name: raw[name] for name in extra if name in raw})

    def support(self, *, sources_key: str = "sources") -> Support:
        """The support of this whole record (or item): its sources, basis and reason."""
        sources = self.sources(sources_key)
        basis = str(self.data.get("basis") or STATED).strip()
        if basis not in (STATED, INFERRED):
            raise self.error("basis", f"basis must be 'stated' or 'inferred', got {basis!r}")
        reason = str(self.data.get("reason") or "").strip()
        if basis == INFERRED and not reason:
            raise self.error("basis", "an inferred value needs a `reason` saying why")
        return Support(sources, basis, _clean(reason))

    def items(self, key: str, *, allowed: Iterable[str], what: str) -> list[Record]:
        """The mappings of a list field (sites, services, figures), each as a record."""
        if not self.has(key):
            return []
        raw = self.data[key]
        if not isinstance(raw, list):
            raise self.error(key, f"{key!r} must be a list of {what}s")
        lines = raw.lines if isinstance(raw, Sequence) else [self.line_of(key)] * len(raw)
        return [Record(item, self.path, allowed=allowed, line=line, what=what)
                for item, line in zip(raw, lines, strict=False)]


class RowRecord:
    """One CSV row read like a :class:`Record`: every origin is the row's line.

    Its support is the row's ``sources`` (``;``-separated URLs); the optional columns
    ``inferred`` (``;``-separated names of the columns whose value is inferred) and ``reason``
    make those columns' values inferred (:meth:`support_for`).
    """

    def __init__(self, row: Row) -> None:
        self.row = row
        self.path = row.path
        self.line = row.line
        self.inferred: frozenset[str] = frozenset()

    def line_of(self, key: str) -> int:
        return self.line

    def origin(self, key: str | None = None) -> Origin:
        return Origin(self.path, self.line, key)

    def error(self, key: str | None, message: str) -> SourceError:
        return self.row.error(key, message)

    def has(self, key: str) -> bool:
        return bool(self.row.get(key))

    def get(self, key: str) -> str:
        return self.row.get(key)

    def require(self, key: str) -> str:
        if not self.has(key):
            raise self.error(key, f"the column {key!r} is required (empty in this row)")
        return self.get(key)

    def key(self, name: str = "key") -> str:
        text = self.get(name)
        if not is_key(text):
            raise self.error(name, f"{text!r} is not a valid key")
        return text

    def values(self, key: str) -> list[str]:
        """A ``;``-separated list."""
        return split_list(self.get(key))

    def support(self) -> Support:
        """The row's sources, stated; checks the ``inferred`` and ``reason`` columns."""
        sources = tuple(self.values("sources"))
        if not sources:
            raise self.error("sources", "every row needs its sources (';'-separated URLs)")
        for url in sources:
            if not is_absolute_url(url):
                raise self.error("sources", f"source {url!r} is not an absolute URL")
        inferred = frozenset(self.values("inferred"))
        unknown = sorted(inferred - set(self.row.values))
        if unknown:
            raise self.error("inferred", f"unknown column(s) {', '.join(unknown)} in inferred")
        if inferred and not self.get("reason"):
            raise self.error("reason", "inferred values need a reason")
        self.inferred = inferred
        return Support(sources)

    def support_for(self, column: str, stated: Support) -> Support:
        """The support of one column's value: the row's, inferred when ``inferred`` names it."""
        if column in self.inferred:
            return Support(stated.sources, INFERRED, self.get("reason"))
        return stated


# --- value parsing ------------------------------------------------------------------------

def is_absolute_url(text: str) -> bool:
    return bool(_URL.match(text)) and text.lower().startswith(("http://", "https://"))


def url_ref(value: Any, origin: Origin) -> URIRef:
    """A URL value as an IRI; anything that cannot be an IRI at all is a source error."""
    text = str(value).strip()
    if not _URL.match(text):
        raise error_at(origin, f"{text!r} is not a URL (write it in full, e.g. "
                               "https://www.example.be)")
    return URIRef(text)


def date_literal(value: Any, origin: Origin) -> Literal:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as xsd:gYear, xsd:gYearMonth or xsd:date."""
    text = str(value).strip()
    match = _DATE.match(text)
    if not match:
        raise error_at(origin, f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day is not None:
            dt.date(int(year), int(month), int(day))
            return Literal(text, datatype=XSD.date)
        if month is not None:
            dt.date(int(year), int(month), 1)
            return Literal(text, datatype=XSD.gYearMonth)
    except ValueError as exc:
        raise error_at(origin, f"{text!r} is not a valid date: {exc}") from exc
    return Literal(text, datatype=XSD.gYear)


def decimal_literal(value: Any, origin: Origin) -> Literal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise error_at(origin, f"{value!r} is not a number")
    text = str(value).strip()
    if not re.match(r"^-?\d+(\.\d+)?$", text):
        raise error_at(origin, f"{text!r} is not a plain number (use digits and '.', no "
                               "thousands separator; put the worded value in value_text)")
    return Literal(text, datatype=XSD.decimal)


def boolean_literal(value: Any, origin: Origin) -> Literal:
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD.boolean)
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return Literal(text, datatype=XSD.boolean)
    raise error_at(origin, f"{value!r} must be true or false")


def text_literals(raw: Any, default_lang: str, origin: Origin) -> list[Literal]:
    """A text: a string in ``default_lang`` or a mapping of language code to string."""
    key = origin.field
    if raw in (None, "", {}):
        return []
    if isinstance(raw, dict):
        literals = []
        for lang, text in raw.items():
            if lang not in LANGUAGES:
                raise error_at(origin, f"unknown language {lang!r} in {key!r}; use one of "
                                       f"{', '.join(LANGUAGES)}")
            if not isinstance(text, str | int | float) or not str(text).strip():
                raise error_at(origin, f"the {lang} text of {key!r} must be a non-empty string")
            literals.append(Literal(_clean(str(text)), lang=lang))
        return literals
    if isinstance(raw, list):
        raise error_at(origin, f"{key!r} must be a text, not a list")
    return [Literal(_clean(str(raw)), lang=default_lang)]


def plain_literal(raw: Any, origin: Origin) -> Literal:
    """A single value as a plain string (stripped)."""
    if isinstance(raw, dict | list):
        raise error_at(origin, f"{origin.field!r} must be a single value, got {_kind(raw)}")
    return Literal(str(raw).strip())


def split_list(value: str) -> list[str]:
    """The parts of a ``;``-separated list, stripped, without empty ones."""
    return [part.strip() for part in value.split(";") if part.strip()]


def error_at(origin: Origin, message: str) -> SourceError:
    return SourceError(origin.path, origin.line, message, origin.field)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"the value {value!r}"
