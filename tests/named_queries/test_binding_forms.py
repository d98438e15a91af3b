"""Every named query answers the same whether its values are joined at the top of the WHERE
group (the fast form bind_rows picks where it is safe) or bound with LATERAL (always safe)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from midwest_lod.named_queries.catalogue import NamedQuery
from midwest_lod.named_queries.parameters import check_value
from midwest_lod.sparql import bind_rows
from midwest_lod.vocab import prefixes_for
from midwest_lod.web.queries import QueryFiles

WITH_VALUES = [q for q in QueryFiles().catalogue() if q.sample_values()]


def _answers(store: ox.Store, text: str) -> object:
    result = store.query(text, use_default_graph_as_union=True,
                         prefixes=prefixes_for("https://data.midwest.be"))
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = result.variables
        return sorted(tuple(str(row[v]) for v in names) for row in result)
    return sorted(str(triple) for triple in result)


@pytest.fixture(scope="module")
def store(real_publication: Path) -> ox.Store:
    return ox.Store.read_only(str(real_publication / "current" / "store"))


@pytest.mark.parametrize("query", WITH_VALUES, ids=lambda q: q.name)
def test_joined_and_lateral_values_answer_the_same(store: ox.Store, query: NamedQuery
                                                   ) -> None:
    terms = {p.name: [check_value(p, v) for v in query.sample_values()[p.name]]
             for p in query.parameters if p.name in query.sample_values()}
    lateral = _answers(store, bind_rows(query.text, terms, lateral=True))
    assert lateral  # the example finds something
    assert _answers(store, bind_rows(query.text, terms)) == lateral
