"""SPARQL text: reading a query (:mod:`.lexer`) and binding parameters into one safely
(:mod:`.binding`). Independent of the pipeline and the web application, which both use it.

* :func:`analyse` tells what a query is (its form, SERVICE, an update, a FROM, its nesting);
  :func:`normalise` gives the text two spellings of the same query share (the result cache's
  key); :func:`tokens` splits a text into SPARQL's terminals.
* :func:`substitutions` turns ``{"name": term}`` into pyoxigraph's ``substitutions``;
  :func:`bind_values` binds the same mapping into the query text for another SPARQL server
  (never by pasting); terms are pyoxigraph's or rdflib's.
* :func:`prologue` writes prefixes (and a base) as one line of declarations,
  :func:`shift_positions` moves a server's error positions back over it.
"""

from midwest_lod.sparql.binding import (
    Term,
    bind_values,
    iri_term,
    prologue,
    shift_positions,
    substitutions,
    where_group,
)
from midwest_lod.sparql.lexer import (
    MAX_NESTING,
    QueryInfo,
    analyse,
    normalise,
    tokens,
)

__all__ = [
    "MAX_NESTING", "QueryInfo", "Term", "analyse", "bind_values", "iri_term", "normalise",
    "prologue", "shift_positions", "substitutions", "tokens", "where_group",
]
