"""Binding query parameters for an external SPARQL server, the way pyoxigraph binds them.

pyoxigraph's ``substitutions`` (SEP-0007) bind ``?iri`` to the entity's IRI inside the engine.
Over HTTP there is no such parameter, and pasting an IRI into the query text is how queries
get injected. So the query text of the ``.rq`` file stays as it is and its WHERE group is
wrapped::

    WHERE { VALUES (?iri) { (<https://…>) } LATERAL { <the original group> } }

``LATERAL`` (SEP-0006, supported by the engines the ``.rq`` files already need, as they use it
themselves) evaluates the original group once per row of the ``VALUES`` block with the row's
values in scope everywhere inside it, filters of nested groups included: the semantics of a
substitution. (A bare ``VALUES`` joined with the group would not do: a ``FILTER`` inside a
nested group would see the variable unbound.) As with substitutions, a sub-SELECT sees the
value only when it projects the variable.

The bound terms are written in their N-Triples form; an IRI with a character IRIs may not
contain (``<>"{}|^`\\``, spaces, controls) is refused with :class:`ValueError` before
anything is sent. Blank nodes cannot be bound (SPARQL has no syntax for them in ``VALUES``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from midwest_lod.web.query.lexer import _TOKEN

Term = NamedNode | BlankNode | Literal | Triple

#: Characters an IRI may not contain (RFC 3987 and the IRIREF production of SPARQL/N-Triples).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def iri_term(value: str) -> str:
    """``<value>`` after checking that ``value`` is an absolute IRI; :class:`ValueError` if not."""
    if not _SCHEME.match(value) or _NOT_IN_IRI.search(value):
        raise ValueError(f"not an IRI that can be bound: {value!r}")
    return f"<{value}>"


def sparql_term(term: Term) -> str:
    """The term as SPARQL (and N-Triples) writes it, for a ``VALUES`` block."""
    if isinstance(term, NamedNode):
        return iri_term(term.value)
    if isinstance(term, Literal):
        if not isinstance(term.datatype, NamedNode):
            raise ValueError(f"literal without a datatype: {term!r}")
        iri_term(term.datatype.value)
        return str(term)  # pyoxigraph writes N-Triples: quotes, backslashes, newlines escaped
    raise ValueError(f"only IRIs and literals can be bound, not {term!r}")


def prologue(prefixes: Mapping[str, str] | None = None, base_iri: str | None = None) -> str:
    """``BASE`` and ``PREFIX`` declarations on one line (so error positions move one line)."""
    parts = [f"BASE {iri_term(base_iri)}"] if base_iri else []
    for name, namespace in (prefixes or {}).items():
        if name and (not re.match(r"^[A-Za-z][\w\-.]*$", name) or name.endswith(".")):
            raise ValueError(f"not a prefix name: {name!r}")
        parts.append(f"PREFIX {name}: {iri_term(namespace)}")
    return " ".join(parts) + "\n" if parts else ""


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
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind == "word" and depth == 0 and parens == 0:
            word = text.upper()
            if form is None and word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
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
    """``query`` with each ``?name`` of ``bindings`` bound to its term (see the module)."""
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
