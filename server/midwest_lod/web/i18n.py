"""The pages' language: Dutch by default, English on request, every interface text from one
message catalogue (``web/messages.toml``; docs/decisions/0012-page-language.md).

Which language a page is in (:func:`page_language`):

1. ``?lang=nl`` or ``?lang=en`` (a link of the language switch): that language, and the page's
   own links keep the parameter (:func:`page_href`), so the choice holds while browsing;
2. otherwise the ``Accept-Language`` header (werkzeug's parser): the first language of the
   header, in the client's order of preference, whose primary subtag is one we have
   (``nl-BE`` is Dutch, ``en-GB`` English);
3. otherwise Dutch.

An HTML answer says its language (``Content-Language``) and, when the header chose it,
``Vary: Accept-Language``; its ETag carries :func:`variant` (a page kept per language).

In templates (Jinja globals): ``t("key", name=value)`` an interface text (markup-safe: the
catalogue is ours, the values are escaped), ``tn("key", n)`` one with a count (singular for 1),
``page_lang()``, ``page_href("/path")`` a link of this site in the page's language (and
``kept_lang()`` for a form's hidden ``lang`` field),
``lang_url("en")`` this page in another language; filters ``date`` (``2025-01-01`` ->
"1 januari 2025" / "January 1, 2025"; ``2025`` and ``2025-01`` as year and month) and
``number`` (``12345`` -> "12.345" / "12,345"), both by Babel's locale data.

Adding a text: a key in ``messages.toml`` with its ``nl`` and ``en`` (the tests require both,
with the same ``{placeholders}``, and require every key a template or module uses to exist).
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from flask import Flask, Response, has_request_context, request
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from midwest_lod.errors import BadRequest

#: The languages of the pages; the first is the default (Flemish public information is Dutch).
LANGUAGES = ("nl", "en")
DEFAULT = LANGUAGES[0]
#: The request parameter that chooses a language.
PARAMETER = "lang"
#: Babel's locale of each language (dates, numbers): Flemish Dutch; English.
LOCALES = {"nl": "nl_BE", "en": "en"}
#: Names of the languages, each in its own language (the language switch).
NAMES = {"nl": "Nederlands", "en": "English"}
CATALOGUE = Path(__file__).parent / "messages.toml"
_ENVIRON_KEY = "midwest_lod.page_language"
#: Plural forms of a counted text (``tn``): Dutch and English both use "one" for 1.
PLURAL_FORMS = ("one", "other")


class CatalogueError(ValueError):
    """The message catalogue is malformed: a key without every language, placeholders that
    differ between languages, a value that is not text."""


@dataclass(frozen=True)
class PageLanguage:
    """The language of the page being answered."""

    code: str  # one of LANGUAGES
    explicit: bool  # chosen with ?lang= (links keep it), not by Accept-Language or default


# --- the catalogue ------------------------------------------------------------------------------

Entry = dict[str, str | dict[str, str]]  # language -> text, or plural form -> text


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _check_entry(key: str, entry: dict[str, Any], path: Path) -> Entry:
    if set(entry) != set(LANGUAGES):
        raise CatalogueError(f"{path}: {key!r} has languages {sorted(entry)}; every text needs "
                             f"exactly {list(LANGUAGES)}")
    forms: set[str] | None = None
    names: set[str] | None = None
    for language, text in entry.items():
        texts = text if isinstance(text, dict) else {"": text}
        if isinstance(text, dict) and set(text) != set(PLURAL_FORMS):
            raise CatalogueError(f"{path}: {key}.{language} has forms {sorted(text)}; a counted "
                                 f"text has exactly {list(PLURAL_FORMS)}")
        if forms is None:
            forms = set(texts)
        elif set(texts) != forms:
            raise CatalogueError(f"{path}: {key!r} is counted in one language and not in another")
        for form, value in texts.items():
            if not isinstance(value, str) or not value.strip():
                raise CatalogueError(f"{path}: {key}.{language}{'.' + form if form else ''} "
                                     "must be a non-empty string")
            found = _placeholders(value)
            if names is None:
                names = found
            elif found != names:
                raise CatalogueError(f"{path}: {key!r} has placeholders {sorted(found)} in "
                                     f"{language!r} but {sorted(names)} elsewhere")
    return entry


def _flatten(table: dict[str, Any], prefix: str, path: Path, out: dict[str, Entry]) -> None:
    for name, value in table.items():
        key = f"{prefix}{name}"
        if not isinstance(value, dict):
            raise CatalogueError(f"{path}: {key!r} is not a table of languages")
        if set(value) & set(LANGUAGES):
            out[key] = _check_entry(key, value, path)
        else:
            _flatten(value, key + ".", path, out)


def load_catalogue(path: Path = CATALOGUE) -> dict[str, Entry]:
    """Every key of the catalogue (``section.name``) with its text per language; raises
    :class:`CatalogueError` naming the file and key of anything malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(f"{path}: {e}") from e
    out: dict[str, Entry] = {}
    _flatten(data, "", path, out)
    return out


@cache
def catalogue() -> dict[str, Entry]:
    """The message catalogue, read once per process."""
    return load_catalogue()


def text(key: str, language: str | None = None, /, **values: Any) -> str:
    """The plain text of ``key`` in ``language`` (default: the page's), ``values`` filled in:
    for JSON and headers. In HTML use :func:`t`, which escapes the values."""
    entry = catalogue()[key][language or page_lang()]
    if isinstance(entry, dict):
        raise TypeError(f"{key!r} is a counted text: use tn()")
    return entry.format(**values) if values else entry


def t(key: str, /, **values: Any) -> Markup:
    """The interface text ``key`` in the page's language, as HTML (the catalogue's own markup
    kept, ``values`` escaped)."""
    entry = catalogue()[key][page_lang()]
    if isinstance(entry, dict):
        raise TypeError(f"{key!r} is a counted text: use tn()")
    markup = Markup(entry)  # noqa: S704 (the catalogue is ours; the values are escaped)
    return markup.format(**values) if values else markup


def t_or(key: str, default: str, /) -> Markup:
    """:func:`t` of ``key`` when the catalogue has it, else ``default`` (escaped): for names
    that come from elsewhere (a count in build.json) and may have no text yet."""
    return t(key) if key in catalogue() else Markup.escape(default)


def tn(key: str, count: int, /, **values: Any) -> Markup:
    """The counted text ``key`` for ``count`` (``{n}`` is the count, as :func:`number`)."""
    entry = catalogue()[key][page_lang()]
    if not isinstance(entry, dict):
        raise TypeError(f"{key!r} is not a counted text: use t()")
    form = entry["one" if count == 1 else "other"]
    return Markup(form).format(n=number(count), **values)  # noqa: S704 (as in t())


def section(name: str, language: str | None = None) -> dict[str, str | dict[str, str]]:
    """Every text of a catalogue section (``editor``) in ``language`` (default: the page's),
    keyed without the section's name: for a script, as JSON."""
    prefix = name + "."
    chosen = language or page_lang()
    return {key[len(prefix):]: entry[chosen] for key, entry in catalogue().items()
            if key.startswith(prefix)}


# --- the request's language ---------------------------------------------------------------------

def choose(parameter: str | None, accept_language: str) -> PageLanguage:
    """The page language for a ``lang`` parameter (None when absent) and an Accept-Language
    header; raises :class:`BadRequest` for a ``lang`` we do not have."""
    if parameter is not None:
        if parameter not in LANGUAGES:
            raise BadRequest(f"The parameter 'lang' must be one of {', '.join(LANGUAGES)}, "
                             f"not {parameter[:20]!r}.")
        return PageLanguage(parameter, True)
    # werkzeug's best_match prefers an exact match of any quality over a prefix match
    # ("nl-BE, en;q=0.5" would be English): walk the parsed header in preference order instead
    for value, quality in parse_accept_header(accept_language, LanguageAccept):
        primary = value.split("-", 1)[0].lower()
        if quality > 0 and primary in LANGUAGES:
            return PageLanguage(primary, False)
        if quality > 0 and value == "*":
            break
    return PageLanguage(DEFAULT, False)


def page_language() -> PageLanguage:
    """The language of the current request's page (Dutch outside a request)."""
    if not has_request_context():
        return PageLanguage(DEFAULT, False)
    # kept with the request (not on flask.g, which an app context pushed around several
    # requests, as in a test, would share between them)
    environ = request.environ
    chosen: PageLanguage | None = environ.get(_ENVIRON_KEY)
    if chosen is None:
        try:
            chosen = choose(request.args.get(PARAMETER),
                            request.headers.get("Accept-Language", ""))
        except BadRequest:
            environ[_ENVIRON_KEY] = PageLanguage(DEFAULT, False)  # the error page's language
            raise
        environ[_ENVIRON_KEY] = chosen
    return chosen


def page_lang() -> str:
    """The page's language code (``nl`` or ``en``)."""
    return page_language().code


def variant() -> str:
    """What tells this request's page from its other languages: part of its ETag and of the
    key it is kept under."""
    chosen = page_language()
    return chosen.code + ("-p" if chosen.explicit else "")


def vary() -> str | None:
    """``Accept-Language`` when the header chose the page's language (for a 304's Vary)."""
    return None if page_language().explicit else "Accept-Language"


def page_href(href: str) -> str:
    """A link of this site as the page should carry it: with ``lang=`` when the visitor chose
    the language with it (so the choice holds), as it is otherwise and for other sites."""
    chosen = page_language()
    if not chosen.explicit or not href.startswith("/") or href.startswith("//"):
        return href
    path, hash_mark, fragment = href.partition("#")
    if re.search(rf"[?&]{PARAMETER}=", path):  # says its language already
        return href
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}{PARAMETER}={chosen.code}{hash_mark}{fragment}"


def kept_lang() -> str:
    """The language a form must send on (a hidden ``lang`` field), or "" when the page's
    language was not chosen with ``lang=``."""
    chosen = page_language()
    return chosen.code if chosen.explicit else ""


def lang_url(language: str) -> str:
    """This page in ``language`` (an absolute URL: the other parameters of a GET kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != PARAMETER] \
        if request.method in ("GET", "HEAD") else []
    args.append((PARAMETER, language))
    return f"{request.host_url.rstrip('/')}{request.path}?{urlencode(args)}"


def default_url() -> str:
    """This page without ``lang=`` (the ``x-default`` alternate: negotiated)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != PARAMETER] \
        if request.method in ("GET", "HEAD") else []
    query = f"?{urlencode(args)}" if args else ""
    return f"{request.host_url.rstrip('/')}{request.path}{query}"


# --- dates and numbers --------------------------------------------------------------------------

_PARTIAL_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def format_date_value(value: date | datetime | str, language: str | None = None) -> str:
    """A date as the page's language writes it: ``2025-01-01`` -> "1 januari 2025"; a year
    (``2025``, xsd:gYear) stays a year, a month (``2025-01``) becomes "januari 2025". Text that
    is no date comes back as it is."""
    locale = LOCALES[language or page_lang()]
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        match = _PARTIAL_DATE.match(value.strip())
        if match is None:
            return value
        year, month, day = match.groups()
        if month is None:
            return year
        if day is None:
            return format_skeleton("yMMMM", date(int(year), int(month), 1), locale=locale)
        value = date(int(year), int(month), int(day))
    return format_date(value, "long", locale=locale)


def number(value: int | float | str, language: str | None = None) -> str:
    """A number with the page language's grouping (``12.345`` in Dutch, ``12,345`` in
    English)."""
    return format_decimal(value, locale=LOCALES[language or page_lang()])


# --- the application ----------------------------------------------------------------------------

def add_language_headers(response: Response) -> Response:
    """``Content-Language`` of a page, and ``Vary: Accept-Language`` when the header chose it."""
    if response.mimetype != "text/html" or response.status_code == 304:
        return response  # (a 304 carries the Vary its route gives it)
    try:
        chosen = page_language()
    except BadRequest:  # answered already (the page that says so is in the default language)
        chosen = page_language()
    if not chosen.explicit:
        response.vary.add("Accept-Language")
    response.headers["Content-Language"] = chosen.code
    return response


def install(app: Flask) -> None:
    """The Jinja globals and filters above, and the language headers of every page."""
    catalogue()  # a malformed catalogue stops the start, naming the key
    app.jinja_env.globals.update(t=t, tn=tn, t_or=t_or, page_lang=page_lang, page_href=page_href,
                                 kept_lang=kept_lang, lang_url=lang_url, default_url=default_url,
                                 languages=LANGUAGES, language_names=NAMES)
    app.jinja_env.filters.update(date=format_date_value, number=number)
    app.after_request(add_language_headers)
