"""The query catalogue: named SPARQL queries, one ``.rq`` file each, with a grlc-like header.

A header is the block of ``#+ key: value`` comment lines at the top of the file (plain ``#``
comments may sit between them)::

    #+ title_nl: Organisaties per gemeente
    #+ title_en: Organisations per municipality
    #+ description_nl: ...
    #+ description_en: ...
    #+ param: gemeente iri of=mw:Municipality example=https://data.midwest.be/id/gemeente/36015
    #+ param: datum date default=2025-01-01 description_nl="..." description_en="..."
    #+ output: table
    #+ pagination: 100
    #+ tags: gemeenten organisaties

``param`` is ``name type option=value ...`` (values with spaces in double quotes): type one of
:data:`PARAMETER_TYPES`; options ``default``, ``example``, ``of`` (an enumeration drawn from
the data: the instances of that class), ``values`` (a fixed enumeration, comma-separated),
``lang`` (the language tag a ``string`` is bound with), ``description_nl``/``description_en``;
flags ``list`` (several values; the query is evaluated for each and the answers joined) and
``optional`` (no value binds nothing). A parameter without a default is required unless it
is optional. ``output`` is ``table`` (SELECT), ``graph`` (CONSTRUCT, DESCRIBE) or ``boolean``
(ASK). ``pagination: N`` pages the answer ``N`` rows at a time (``limit``/``offset``): the
query then orders its rows and has no LIMIT or OFFSET of its own.

:func:`load_catalogue` reads a folder into :class:`NamedQuery` objects and checks every header
(and that each example value is valid); a bad one raises :class:`QueryFileError` naming the
file and line.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from midwest_lod.errors import QueryFileError
from midwest_lod.sparql import analyse, tokens

#: The types a parameter can have (see :mod:`midwest_lod.named_queries.parameters`).
PARAMETER_TYPES = ("iri", "string", "language", "integer", "decimal", "date", "boolean",
                   "version")
OUTPUTS = {"table": ("SELECT",), "graph": ("CONSTRUCT", "DESCRIBE"), "boolean": ("ASK",)}
_KEYS = ("title_nl", "title_en", "description_nl", "description_en", "param", "output",
         "pagination", "tags")
_REQUIRED_KEYS = ("title_nl", "title_en", "description_nl", "description_en", "output")
_OPTIONS = ("default", "example", "of", "values", "lang", "description_nl", "description_en")
_FLAGS = ("list", "optional")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_QUERY_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
#: Names the API uses itself: a parameter may not take them.
RESERVED = frozenset({"format", "limit", "offset", "lang"})


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query: the variable ``?name`` of the query."""

    name: str
    type: str
    default: str | None = None
    example: str | None = None
    of: str | None = None  # an IRI: the class whose instances are the allowed values
    values: tuple[str, ...] = ()  # a fixed enumeration
    lang: str | None = None  # a string parameter is bound as a literal with this language
    description_nl: str = ""
    description_en: str = ""
    many: bool = False  # a list
    optional: bool = False
    line: int = 0

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional

    @property
    def sample(self) -> str | None:
        """The value the tests and the documentation use: the example, else the default."""
        return self.example if self.example is not None else self.default


@dataclass(frozen=True)
class NamedQuery:
    """A query of the catalogue: its header and its SPARQL text."""

    name: str
    path: Path
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    output: str
    text: str
    form: str
    parameters: tuple[Parameter, ...] = ()
    page_size: int | None = None
    tags: tuple[str, ...] = ()

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def sample_values(self) -> dict[str, list[str]]:
        """The example values of every parameter that has one (several for a list)."""
        values: dict[str, list[str]] = {}
        for p in self.parameters:
            if p.sample is not None:
                values[p.name] = p.sample.split(",") if p.many else [p.sample]
        return values


@dataclass
class _Header:
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    params: list[tuple[str, int]] = field(default_factory=list)


def _read_header(path: Path, lines: list[str]) -> tuple[_Header, int]:
    header = _Header()
    number = 0
    for number, line in enumerate(lines, start=1):  # noqa: B007 (used after the loop)
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            return header, number
        if not stripped.startswith("#+"):
            continue
        key, colon, value = stripped[2:].partition(":")
        key, value = key.strip(), value.strip()
        if not colon or key not in _KEYS:
            raise QueryFileError(str(path), number, f"unknown header line {stripped!r}; "
                                 f"known keys: {', '.join(_KEYS)}")
        if not value:
            raise QueryFileError(str(path), number, f"'{key}' has no value")
        if key == "param":
            header.params.append((value, number))
        elif key in header.fields:
            raise QueryFileError(str(path), number, f"'{key}' given twice")
        else:
            header.fields[key] = (value, number)
    return header, number


def expand(value: str, prefixes: Mapping[str, str]) -> str:
    """``mw:Theme`` (a prefixed name of ``prefixes``) or ``<iri>``/``iri`` as an IRI."""
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, colon, local = value.partition(":")
    if colon and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return value


def _parameter(path: Path, spec: str, line: int, prefixes: Mapping[str, str]) -> Parameter:
    try:
        words = shlex.split(spec)
    except ValueError as exc:
        raise QueryFileError(str(path), line, f"cannot read the parameter: {exc}") from None
    if len(words) < 2:
        raise QueryFileError(str(path), line, "a parameter is 'name type option=value ...'")
    name, kind, *rest = words
    if not _NAME.match(name) or name in RESERVED:
        raise QueryFileError(str(path), line, f"{name!r} cannot name a parameter (lower-case "
                             f"letters, digits, '_'; not {', '.join(sorted(RESERVED))})")
    if kind not in PARAMETER_TYPES:
        raise QueryFileError(str(path), line, f"parameter {name!r}: unknown type {kind!r}; "
                             f"known: {', '.join(PARAMETER_TYPES)}")
    options: dict[str, str] = {}
    flags: set[str] = set()
    for word in rest:
        key, equals, value = word.partition("=")
        if equals and key in _OPTIONS:
            options[key] = value
        elif not equals and key in _FLAGS:
            flags.add(key)
        else:
            raise QueryFileError(str(path), line, f"parameter {name!r}: unknown option "
                                 f"{word!r}; options: {', '.join(_OPTIONS)}=…, flags: "
                                 f"{', '.join(_FLAGS)}")
    if "of" in options and kind != "iri":
        raise QueryFileError(str(path), line, f"parameter {name!r}: 'of' needs type iri")
    if "lang" in options and kind != "string":
        raise QueryFileError(str(path), line, f"parameter {name!r}: 'lang' needs type string")
    return Parameter(
        name=name, type=kind, default=options.get("default"), example=options.get("example"),
        of=expand(options["of"], prefixes) if "of" in options else None,
        values=tuple(v for v in options.get("values", "").split(",") if v),
        lang=options.get("lang"), description_nl=options.get("description_nl", ""),
        description_en=options.get("description_en", ""), many="list" in flags,
        optional="optional" in flags, line=line)


def _top_level_words(text: str) -> list[str]:
    depth, words = 0, []
    for match in tokens(text):
        kind, text_ = match.lastgroup, match.group()
        if kind == "other" and text_ in ("{", "}"):
            depth += 1 if text_ == "{" else -1
        elif kind == "word" and depth == 0:
            words.append(text_.upper())
    return words


def load_query(path: Path, *, prefixes: Mapping[str, str] | None = None,
               base_iri: str | None = None, default_base: str | None = None) -> NamedQuery:
    """Read one ``.rq`` file of the catalogue; :class:`QueryFileError` for a bad header.

    With ``base_iri`` (and the ``default_base`` the files are written with), IRIs under the
    default base in the text and the header are moved to ``base_iri``.
    """
    # imported here: the parameter checks use the loader's dataclasses
    from midwest_lod.named_queries.parameters import ParameterError, check_value

    name = path.stem
    if not _QUERY_NAME.match(name):
        raise QueryFileError(str(path), None, f"{name!r} cannot name a query (lower-case "
                             "letters, digits, '-')")
    text = path.read_text(encoding="utf-8")
    if base_iri and default_base and base_iri != default_base:
        text = text.replace(default_base, base_iri)
    header, _ = _read_header(path, text.splitlines())
    for key in _REQUIRED_KEYS:
        if key not in header.fields:
            raise QueryFileError(str(path), 1, f"the header has no '{key}'")
    output, output_line = header.fields["output"]
    if output not in OUTPUTS:
        raise QueryFileError(str(path), output_line, f"unknown output {output!r}; known: "
                             f"{', '.join(OUTPUTS)}")
    info = analyse(text)
    form = info.form or ""
    if form not in OUTPUTS[output]:
        raise QueryFileError(str(path), output_line, f"output {output!r} does not fit a "
                             f"{form or 'unreadable'} query")
    parameters = tuple(_parameter(path, spec, line, prefixes or {})
                       for spec, line in header.params)
    variables = {m.group()[1:] for m in tokens(text) if m.lastgroup == "var"}
    seen: set[str] = set()
    for p in parameters:
        if p.name in seen:
            raise QueryFileError(str(path), p.line, f"parameter {p.name!r} declared twice")
        seen.add(p.name)
        if p.name not in variables:
            raise QueryFileError(str(path), p.line, f"parameter {p.name!r}: the query has "
                                 f"no variable ?{p.name}")
        if p.required and p.example is None:
            raise QueryFileError(str(path), p.line, f"parameter {p.name!r} is required and "
                                 "has no example")
        for label, value in (("default", p.default), ("example", p.example)):
            for item in ([] if value is None else value.split(",") if p.many else [value]):
                try:
                    check_value(p, item)
                except ParameterError as exc:
                    raise QueryFileError(str(path), p.line,
                                         f"{label} of {p.name!r}: {exc.reason}") from None
    page_size = None
    if "pagination" in header.fields:
        value, line = header.fields["pagination"]
        if not value.isdigit() or int(value) < 1:
            raise QueryFileError(str(path), line, f"pagination {value!r} is not a page size")
        words = _top_level_words(text)
        if output != "table" or "ORDER" not in words or {"LIMIT", "OFFSET"} & set(words):
            raise QueryFileError(str(path), line, "a paged query is a SELECT with ORDER BY "
                                 "and without LIMIT or OFFSET of its own")
        page_size = int(value)
    return NamedQuery(
        name=name, path=path, title_nl=header.fields["title_nl"][0],
        title_en=header.fields["title_en"][0],
        description_nl=header.fields["description_nl"][0],
        description_en=header.fields["description_en"][0], output=output, text=text,
        form=form, parameters=parameters, page_size=page_size,
        tags=tuple(header.fields.get("tags", ("", 0))[0].split()))


def load_catalogue(folder: Path, *, prefixes: Mapping[str, str] | None = None,
                   base_iri: str | None = None, default_base: str | None = None
                   ) -> tuple[NamedQuery, ...]:
    """Every ``.rq`` of ``folder``, in file-name order."""
    queries = tuple(load_query(path, prefixes=prefixes, base_iri=base_iri,
                               default_base=default_base)
                    for path in sorted(folder.glob("*.rq")))
    if not queries:
        raise QueryFileError(str(folder), None, "the catalogue has no queries")
    return queries
