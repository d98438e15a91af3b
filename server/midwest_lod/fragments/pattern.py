"""The selector of a fragment: a triple pattern of IRIs, literals and variables.

Values come in the form of the TPF specification (and of Comunica's ``termToString``): an IRI
as it is, a literal as ``"text"``, ``"text"@nl`` or ``"1963"^^http://www.w3.org/2001/XMLSchema#gYear``
(the datatype without angle brackets), a variable as nothing or ``?name``. The lexical form is
everything between the first and the last quote, unescaped (quotes inside stay as they are).
Blank nodes are published as skolem IRIs (:meth:`midwest_lod.iris.Iris.skolem`), so a selector
never names a blank node.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from midwest_lod.errors import BadRequest
from midwest_lod.sparql import iri_term

#: The variables of the ``hydra:search`` template, in its order, with their hydra:property.
VARIABLES = ("subject", "predicate", "object")
#: The parameter of the page number (1, 2, …).
PAGE = "page"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")

Term = ox.NamedNode | ox.Literal


@dataclass(frozen=True)
class Pattern:
    """A triple pattern; None is a variable."""

    subject: ox.NamedNode | None = None
    predicate: ox.NamedNode | None = None
    object: Term | None = None

    def terms(self) -> dict[str, Term]:
        """The bound positions as the variables of the fragment queries (``s``, ``p``, ``o``)."""
        found: dict[str, Term] = {}
        for name, term in (("s", self.subject), ("p", self.predicate), ("o", self.object)):
            if term is not None:
                found[name] = term
        return found

    def matches(self, triple: ox.Triple) -> bool:
        return ((self.subject is None or triple.subject == self.subject)
                and (self.predicate is None or triple.predicate == self.predicate)
                and (self.object is None or triple.object == self.object))

    def parameters(self) -> list[tuple[str, str]]:
        """The bound positions as request parameters, in the template's order."""
        values = (self.subject, self.predicate, self.object)
        return [(name, write(term)) for name, term in zip(VARIABLES, values, strict=True)
                if term is not None]

    def query_string(self, page: int = 1) -> str:
        """The query string of page ``page`` of this fragment, encoded as the template's
        expansion (RFC 6570) encodes it, so a client's URL and ours are the same string."""
        params = self.parameters() + ([(PAGE, str(page))] if page > 1 else [])
        return "&".join(f"{name}={quote(value, safe='')}" for name, value in params)


#: Characters an IRI's query may hold as they are (RFC 3987 ``iquery``, ASCII part).
_QUERY_SAFE = "!$&'()*+,;=:@/?-._~%"
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def iri_query(raw: str) -> str:
    """A query string as received, made fit for an IRI: what a client sent percent-encoded
    (as Comunica does) stays the same string; a raw space, quote or bracket, or a ``%`` that
    starts no escape, is percent-encoded."""
    return quote(_BAD_PERCENT.sub("%25", raw), safe=_QUERY_SAFE)


def write(term: Term) -> str:
    """A term in the selector form (see the module)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    suffix = (f"@{term.language}" if term.language
              else f"^^{term.datatype.value}" if term.datatype.value != _XSD_STRING else "")
    return f'"{term.value}"{suffix}'


def read(value: str, position: str) -> Term | None:
    """The term of a selector value at ``position`` (subject, predicate, object); None for a
    variable; :class:`BadRequest` saying what is wrong otherwise."""
    if value == "" or value.startswith("?"):
        return None
    if value.startswith('"'):
        if position != "object":
            raise BadRequest(f"The {position} of a triple pattern cannot be a literal "
                             f"({value[:80]!r}); only the object can.")
        return _literal(value)
    if value.startswith("_:"):
        raise BadRequest(f"The {position} {value[:80]!r} is a blank node: blank nodes are "
                         "published as skolem IRIs (/.well-known/genid/…); use the IRI.")
    try:
        iri_term(value)
    except ValueError:
        raise BadRequest(f"The {position} {value[:80]!r} is not an absolute IRI, a literal "
                         '("…", "…"@nl, "…"^^datatype-IRI) or a variable (empty or ?name).'
                         ) from None
    return ox.NamedNode(value)


def _literal(value: str) -> ox.Literal:
    end = value.rfind('"')
    if end == 0:
        raise BadRequest(f"The literal {value[:80]!r} has no closing quote.")
    lexical, rest = value[1:end], value[end + 1:]
    try:
        if rest.startswith("@") and _LANGUAGE.match(rest[1:]):
            return ox.Literal(lexical, language=rest[1:])
        if rest.startswith("^^"):
            datatype = rest[2:].removeprefix("<").removesuffix(">")
            iri_term(datatype)
            return ox.Literal(lexical, datatype=ox.NamedNode(datatype))
        if rest == "":
            return ox.Literal(lexical)
    except ValueError:
        pass
    raise BadRequest(f"The literal {value[:80]!r} ends in {rest[:40]!r}: after the closing "
                     'quote comes nothing, @language or ^^datatype-IRI.')


def read_pattern(args: Mapping[str, str]) -> Pattern:
    """The pattern of the request parameters ``subject``, ``predicate``, ``object``."""
    subject = read(args.get("subject", ""), "subject")
    predicate = read(args.get("predicate", ""), "predicate")
    obj = read(args.get("object", ""), "object")
    if isinstance(subject, ox.Literal) or isinstance(predicate, ox.Literal):
        raise BadRequest("Only the object of a triple pattern can be a literal.")
    return Pattern(subject, predicate, obj)
