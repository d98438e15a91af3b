"""Running the build-time queries of ``queries/metadata/`` over the dataset of a version.

"The dataset" is what the dumps contain: the assertion graphs and the provenance graph. The
vocabulary graph and the metadata graph are not part of it (``queries/metadata/README.md``).
The queries see it as their default graph (pyoxigraph's ``default_graph``), so they are plain
SPARQL without ``GRAPH`` clauses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from midwest_lod.assets import query_dir
from midwest_lod.iris import Iris
from midwest_lod.vocab import prefixes_for

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

#: Named graphs that are not part of the dataset.
EXCLUDED_GRAPHS = ("vocabularium", "metadata")


def query_text(name: str) -> str:
    """The text of ``queries/metadata/<name>.rq``."""
    return (query_dir() / "metadata" / f"{name}.rq").read_text(encoding="utf-8")


def dataset_graphs(store: ox.Store, iris: Iris) -> list[ox.NamedNode]:
    """The named graphs of the dataset, sorted: every graph but the vocabulary and metadata."""
    excluded = {str(iris.graph(name)) for name in EXCLUDED_GRAPHS}
    graphs = [g for g in store.named_graphs()
              if isinstance(g, ox.NamedNode) and g.value not in excluded]
    return sorted(graphs, key=lambda g: g.value)


@dataclass
class DatasetQueries:
    """SELECT queries of ``queries/metadata/`` over the dataset graphs of one store."""

    store: ox.Store
    iris: Iris
    graphs: list[ox.NamedNode] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.graphs:
            self.graphs = dataset_graphs(self.store, self.iris)
        self.prefixes = prefixes_for(self.iris.base)

    def select(self, name: str, **bindings: ox.NamedNode | ox.Literal) -> list[dict[str, Term]]:
        """Rows of the SELECT query ``name`` (variable → term; unbound variables left out)."""
        solutions = self.store.query(
            query_text(name), prefixes=self.prefixes, default_graph=list(self.graphs),
            substitutions={ox.Variable(k): v for k, v in bindings.items()},
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
