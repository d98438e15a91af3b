"""A small SPARQL lexer: what the endpoint must know about a query before it evaluates it.

Why hand-written: pyoxigraph evaluates ``SERVICE`` by making outbound HTTP requests and its
Python API has no switch to turn that off, so the endpoint has to find ``SERVICE`` before the
query reaches the engine. A regular expression over the raw text is wrong both ways (the word
inside a string, an IRI, a comment, a variable ``?service`` or a prefixed name
``service:x`` is not the keyword); rdflib's parser is a different grammar implementation from
the one that evaluates, and takes tens of milliseconds. Splitting the text into SPARQL's
terminals (SPARQL 1.1 §19.8: comments, the four string forms, IRIREF, variables, prefixed
names, language tags) is enough: what is left are keywords and punctuation.

The lexer errs on the side of refusing: text it cannot tokenise (an unterminated string)
is read as words, and the query is also read with its ``\\uXXXX`` escapes decoded (§19.2 lets
a processor decode them before parsing; pyoxigraph 0.5 does not, a later one might).

It also measures how deeply the query nests brackets (``{ ( [`` outside strings, IRIs and
comments): the engine parses and evaluates recursively, so the endpoint refuses a query that
nests deeper than :data:`MAX_NESTING`, which no real query does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: SPARQL's terminals, one alternative each; :func:`tokens` reads a text with it.
TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d][\w\-.\u00B7]*)?:
                (?:[\w\-:.\u00B7]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<word>[^\W\d][\w]*)
    | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
#: The same alternatives in the same order, capturing only the words: ``findall`` then scans
#: in C what a ``finditer`` loop would in Python (the lexer runs on every query).
_WORDS = re.compile(
    re.sub(r"\(\?P<(\w+)>", lambda m: "(" if m.group(1) == "word" else "(?:", TOKEN.pattern),
    re.VERBOSE | re.DOTALL,
)
#: Likewise capturing only the punctuation (``other``), for the nesting of brackets.
_OTHERS = re.compile(
    re.sub(r"\(\?P<(\w+)>", lambda m: "(" if m.group(1) == "other" else "(?:", TOKEN.pattern),
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
#: Deepest bracket nesting accepted (groups, calls, collections, blank node lists together).
MAX_NESTING = 256
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                "WITH")


@dataclass(frozen=True)
class QueryInfo:
    """What the lexer learned: the query form, SERVICE, update keywords, a dataset clause."""

    form: str | None  # SELECT, CONSTRUCT, DESCRIBE or ASK; None if not found
    has_service: bool
    is_update: bool
    has_dataset_clause: bool  # FROM / FROM NAMED
    nesting: int = 0  # the deepest bracket nesting (see nesting())


def tokens(text: str) -> Iterator[re.Match[str]]:
    """The terminals of ``text`` in order; ``match.lastgroup`` names the kind (``ws``,
    ``comment``, ``string``, ``iri``, ``var``, ``lang``, ``pname``, ``word``, ``number`` or
    ``other``, one character of punctuation). Never fails: what is no terminal is ``other``."""
    return TOKEN.finditer(text)


def nesting(text: str, limit: int = MAX_NESTING) -> int:
    """How deeply ``text`` nests ``{ ( [`` outside strings, IRIs and comments.

    Exact when it may be deeper than ``limit``; otherwise (at most ``limit`` opening brackets
    in the whole text, the common case, counted in C) that count, an upper bound.
    """
    opening = sum(map(text.count, _OPEN))
    if opening <= limit:
        return opening
    depth = deepest = 0
    for char in _OTHERS.findall(text):
        if char in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSE:
            depth = max(0, depth - 1)
    return deepest


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` (upper case), outside strings, IRIs, comments and names."""
    return [word.upper() for word in _WORDS.findall(text) if word]


def _service_in(text: str) -> bool:
    """SERVICE anywhere but in strings, IRIs, comments, variables and local names.

    Not only the bare word: pyoxigraph matches keywords and literals without a word boundary
    (``1SERVICE``, ``trueSERVICE``, ``SERVICESILENT`` and ``SERVICE:x`` are all a SERVICE
    call: ``service:x {...}`` is SERVICE to ``:x`` when ``:`` is declared), so the letters
    count wherever they are code: in a word, a number or the prefix of a prefixed name (a
    language tag is read whole by the engine). Only a query with those letters is tokenised
    for this.
    """
    if "SERVICE" not in text.upper():
        return False
    for match in tokens(text):
        kind = match.lastgroup
        if kind in ("word", "number"):
            token = match.group()
        elif kind == "pname":
            token = match.group().split(":", 1)[0]
        else:  # ws, comment, string, iri, var
            continue
        if "SERVICE" in token.upper():
            return True
    return False


def _decode_escapes(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _ESCAPE.sub(decode, text)


def analyse(text: str) -> QueryInfo:
    """Read ``text`` once (twice when it has escapes) and report what matters."""
    words = keywords(text)
    has_service = _service_in(text)
    if "\\u" in text or "\\U" in text:
        decoded = _decode_escapes(text)
        words += keywords(decoded)
        has_service = has_service or _service_in(decoded)
    first = next((w for w in words if w not in ("BASE", "PREFIX")), None)
    form = next((w for w in words if w in QUERY_FORMS), None)
    return QueryInfo(
        form=form,
        has_service=has_service or "SERVICE" in words,
        is_update=first in UPDATE_WORDS,
        has_dataset_clause="FROM" in words,
        nesting=nesting(text),
    )


def normalise(query: str) -> str:
    """``query`` with comments dropped and every whitespace run outside strings and IRIs
    turned into one space (a comment counts as whitespace, as in the grammar): two texts that
    normalise alike are the same query."""
    if "\\u" in query or "\\U" in query:  # an escape might be a quote to a later engine
        return query.strip()
    if "#" not in query and '"' not in query and "'" not in query:
        return " ".join(query.split())  # no comment, no string: every space separates tokens
    parts: list[str] = []
    space = False
    for match in tokens(query):
        kind = match.lastgroup
        if kind == "ws" or kind == "comment":
            space = True
            continue
        if (kind == "iri" and "'" in match.group()) or (
                kind == "other" and match.group() in "'\""):
            # `?a<'x>  y'` reads as an IRI here but as `<` and a string to the engine (and an
            # unterminated string is read as words): keep such a query exactly as sent
            return query.strip()
        if space and parts:
            parts.append(" ")
        space = False
        parts.append(match.group())
    return "".join(parts)
