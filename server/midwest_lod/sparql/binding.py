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

import functools
import itertools
import re
from collections.abc import Mapping, Sequence

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


#: Words that start an expression whose variables a nested group does not share with the
#: enclosing one (a ``FILTER`` or ``BIND`` in a nested group is evaluated on that group's
#: solutions only).
_EXPRESSION_WORDS = frozenset({"FILTER", "BIND", "HAVING"})


def needs_lateral(query: str, names: Sequence[str]) -> bool:
    """True unless a ``VALUES`` block joined at the top of the WHERE group binds ``names``
    exactly as a substitution would.

    A joined block is in scope for the group's own patterns, filters and binds, and joins with
    every pattern of a nested group (UNION, OPTIONAL, GRAPH, MINUS); it is not seen by an
    expression inside a nested group (SPARQL evaluates a group before joining it), nor by a
    sub-SELECT. So the answer is True when one of ``names`` occurs in a FILTER/BIND below the
    top level of the group, or the group has a sub-SELECT; the engine then needs ``LATERAL``
    (slower: it evaluates the group once per row without using the values to find matches).
    """
    start, end = where_group(query)
    wanted = {"?" + n for n in names} | {"$" + n for n in names}
    depth = parens = 0
    # the expression being read: ("(", parenthesis depth) or ("{", brace depth) of its start
    # (an EXISTS group is part of its FILTER's expression)
    expression: tuple[str, int] | None = None
    pending = False  # saw FILTER/BIND in a nested group, waiting for its "(" or "{"
    for match in tokens(query[start:end + 1]):
        kind, text = match.lastgroup, match.group()
        if kind == "word":
            word = text.upper()
            if word == "SELECT":
                return True
            if word in _EXPRESSION_WORDS and depth > 1 and expression is None:
                pending = True
        elif kind == "var" and text in wanted and expression is not None:
            return True
        elif kind == "other" and text in "{}()":
            if text in "({" and pending:
                expression, pending = (text, parens if text == "(" else depth), False
            if text == "(":
                parens += 1
            elif text == ")":
                parens -= 1
                if expression == ("(", parens):
                    expression = None
            elif text == "{":
                depth += 1
            else:
                depth -= 1
                if expression == ("{", depth):
                    expression = None
    return False


@functools.lru_cache(maxsize=256)
def _plan(query: str, names: tuple[str, ...]) -> tuple[int, int, bool]:
    """Where the WHERE group of ``query`` is and whether binding ``names`` needs LATERAL:
    the same for every request of a named query, so worked out once per text."""
    start, end = where_group(query)
    return start, end, needs_lateral(query, names)


def bind_rows(query: str, rows: Mapping[str, Sequence[Term]], *,
              lateral: bool | None = None) -> str:
    """``query`` evaluated for every combination of the values of ``rows`` (variable name →
    one or more terms), the answers joined: list parameters of named queries.

    The ``VALUES`` block is joined at the top of the WHERE group where that binds as a
    substitution would (:func:`needs_lateral`), which lets the engine use the values to find
    matches; otherwise, or with ``lateral=True``, the group is wrapped as in
    :func:`bind_values`."""
    names = sorted(rows)
    if not names:
        return query
    for name in names:
        if not _VARIABLE.match(name):
            raise ValueError(f"not a variable name: {name!r}")
        if not rows[name]:
            raise ValueError(f"no value for ?{name}")
    written = [" ".join(sparql_term(t) for t in combination)
               for combination in itertools.product(*(rows[name] for name in names))]
    block = (f"VALUES ({' '.join('?' + name for name in names)}) {{ "
             + " ".join(f"({row})" for row in written) + " }")
    start, end, needed = _plan(query, tuple(names))
    if lateral is None:
        lateral = needed
    if not lateral:
        return f"{query[:start + 1]} {block} {query[start + 1:]}"
    return f"{query[:start + 1]} {block} LATERAL {{{query[start + 1:end]}}} {query[end:]}"
