"""Parameters bound into a query safely, and the prologue of prefixes.

A parameter is a variable of the query (``?iri``) with a term. Embedded in pyoxigraph it is a
``substitution`` (SEP-0007) the engine binds itself: :func:`substitutions`. Sent as text to
another SPARQL server there is no such parameter, and pasting an IRI into the query text is how
queries get injected. So the query text stays as it is and its WHERE group is wrapped
(:func:`bind_values`)::

    WHERE { VALUES (?iri) { (<https://…>) } LATERAL { <the original group> } }

``LATERAL`` (SEP-0006, supported by the engines the ``.rq`` files already need, as they use it
themselves) evaluates the original group once per row of the ``VALUES`` block with the row's
values in scope everywhere inside it, filters of nested groups included: the semantics of a
substitution. (A bare ``VALUES`` joined with the group would not do: a ``FILTER`` inside a
nested group would see the variable unbound.) As with substitutions, a sub-SELECT sees the
value only when it projects the variable.

Terms are pyoxigraph's or rdflib's. They are written in their N-Triples form; an IRI with a
character IRIs may not contain (``<>"{}|^`\\``, spaces, controls) is refused with
:class:`ValueError` before anything is sent. Blank nodes cannot be bound (SPARQL has no syntax
for them in ``VALUES``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib.term import Node

from midwest_lod.rdfutil import to_ox
from midwest_lod.sparql.lexer import QUERY_FORMS, tokens

#: What can be bound: a pyoxigraph term or an rdflib one (IRIs and literals; blank nodes and
#: quoted triples are refused).
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | Node

#: Characters an IRI may not contain (RFC 3987 and the IRIREF production of SPARQL/N-Triples).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PREFIX = re.compile(r"^[A-Za-z][\w\-.]*$")
#: An error position of a SPARQL server: "at 3:14", "line 3".
_POSITION = re.compile(r"\b(at |line )(\d+)(:\d+)?")


def iri_term(value: str) -> str:
    """``<value>`` after checking that ``value`` is an absolute IRI; :class:`ValueError` if not."""
    if not _SCHEME.match(value) or _NOT_IN_IRI.search(value):
        raise ValueError(f"not an IRI that can be bound: {value!r}")
    return f"<{value}>"


def _ox_term(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return term
    return to_ox(term)


def sparql_term(term: Term) -> str:
    """The term as SPARQL (and N-Triples) writes it, for a ``VALUES`` block."""
    term = _ox_term(term)
    if isinstance(term, ox.NamedNode):
        return iri_term(term.value)
    if isinstance(term, ox.Literal):
        if not isinstance(term.datatype, ox.NamedNode):
            raise ValueError(f"literal without a datatype: {term!r}")
        iri_term(term.datatype.value)
        return str(term)  # pyoxigraph writes N-Triples: quotes, backslashes, newlines escaped
    raise ValueError(f"only IRIs and literals can be bound, not {term!r}")


def substitutions(bindings: Mapping[str, Term]
                  ) -> dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
    """``bindings`` (variable name → term) as pyoxigraph's ``substitutions`` argument."""
    return {ox.Variable(name): _ox_term(term) for name, term in bindings.items()}


def prologue(prefixes: Mapping[str, str] | None = None, base_iri: str | None = None) -> str:
    """``BASE`` and ``PREFIX`` declarations on one line (so error positions move one line:
    :func:`shift_positions`)."""
    parts = [f"BASE {iri_term(base_iri)}"] if base_iri else []
    for name, namespace in (prefixes or {}).items():
        if name and (not _PREFIX.match(name) or name.endswith(".")):
            raise ValueError(f"not a prefix name: {name!r}")
        parts.append(f"PREFIX {name}: {iri_term(namespace)}")
    return " ".join(parts) + "\n" if parts else ""


def shift_positions(message: str) -> str:
    """A server's error message with its (first) line number moved back over the one-line
    :func:`prologue`, so that it points into the query as the client wrote it."""
    def shift(match: re.Match[str]) -> str:
        return f"{match.group(1)}{max(1, int(match.group(2)) - 1)}{match.group(3) or ''}"

    return _POSITION.sub(shift, message, count=1)


def where_group(query: str) -> tuple[int, int]:
    """Offsets of the ``{`` and the matching ``}`` of the query's WHERE group.

    The group is the first ``{`` after the keyword ``WHERE`` at the top level, or, for the
    forms where ``WHERE`` is optional (SELECT, ASK, DESCRIBE), the first ``{`` at the top
    level after the query form. Strings, IRIs and comments are single tokens, so a brace in
    them does not count.
    """
    depth = parens = 0
    form: str | None = None
    after_where = False
    start = -1
    for match in tokens(query):
        kind, text = match.lastgroup, match.group()
        if kind == "word" and depth == 0 and parens == 0:
            word = text.upper()
            if form is None and word in QUERY_FORMS:
                form = word
            elif word == "WHERE":
                after_where = True
        elif kind == "other":
            if text == "(":
                parens += 1
            elif text == ")":
                parens -= 1
            elif text == "{":
                if depth == 0 and parens == 0 and form is not None and start < 0 and (
                        after_where or form != "CONSTRUCT"):
                    start = match.start()
                depth += 1
            elif text == "}":
                depth -= 1
                if depth == 0 and start >= 0:
                    return start, match.start()
    raise ValueError("the query has no WHERE group")


def bind_values(query: str, bindings: Mapping[str, Term]) -> str:
    """``query`` with each ``?name`` of ``bindings`` bound to its term (see the module): the
    text to send where pyoxigraph's :func:`substitutions` cannot be."""
    if not bindings:
        return query
    names = sorted(bindings)
    for name in names:
        if not _VARIABLE.match(name):
            raise ValueError(f"not a variable name: {name!r}")
    values = " ".join(sparql_term(bindings[name]) for name in names)
    block = f"VALUES ({' '.join('?' + name for name in names)}) {{ ({values}) }}"
    start, end = where_group(query)
    return f"{query[:start + 1]} {block} LATERAL {{{query[start + 1:end]}}} {query[end:]}"
