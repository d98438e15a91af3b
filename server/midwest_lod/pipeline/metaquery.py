"""Running the build-time queries of ``queries/metadata/`` over the store of a version.

"The dataset" is what the dumps contain: the assertion graphs and the provenance graph. The
vocabulary graph and the metadata graph are not part of it (``queries/metadata/README.md``).
The queries run over the union of all graphs and pick the dataset's graphs themselves
(``GRAPH ?g { … } FILTER (?g NOT IN (<id/graaf/vocabularium>, <id/graaf/metadata>))``, relative
IRIs resolved against ``{base}/``): one scan, whatever the number of assertion graphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from midwest_lod.assets import query_dir
from midwest_lod.iris import Iris
from midwest_lod.sparql import substitutions
from midwest_lod.vocab import prefixes_for

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def query_text(name: str) -> str:
    """The text of ``queries/metadata/<name>.rq``."""
    return (query_dir() / "metadata" / f"{name}.rq").read_text(encoding="utf-8")


@dataclass
class DatasetQueries:
    """SELECT queries of ``queries/metadata/`` over one store."""

    store: ox.Store
    iris: Iris

    def select(self, name: str, **bindings: ox.NamedNode | ox.Literal) -> list[dict[str, Term]]:
        """Rows of the SELECT query ``name`` (variable → term; unbound variables left out)."""
        solutions = self.store.query(
            query_text(name), base_iri=self.iris.base + "/",
            prefixes=prefixes_for(self.iris.base), use_default_graph_as_union=True,
            substitutions=substitutions(bindings),
        )
        assert isinstance(solutions, ox.QuerySolutions), name
        variables = [v.value for v in solutions.variables]
        return [{var: value for var in variables if (value := row[var]) is not None}
                for row in solutions]


def integer(term: Term | None) -> int:
    """An ``xsd:integer`` result as an int (0 when unbound)."""
    if term is None:
        return 0
    assert isinstance(term, ox.Literal), term
    return int(term.value)
