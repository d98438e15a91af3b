"""The steward's to-do list: per actor, the recommended facts no source gives yet."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from midwest_lod.assets import query_dir
from midwest_lod.iris import Iris

#: Fact (a variable of completeness.rq) -> how the steward calls it (the data/ field).
FACTS: dict[str, str] = {
    "enterprise_number": "enterprise_number",
    "address": "sites[].address",
    "website": "website",
    "theme": "themes (or services[].themes)",
    "initiative_type": "initiative_types",
    "legal_name": "legal_name",
    "legal_form": "legal_form",
    "founding_year": "founded",
    "services": "services",
    "target_group": "target_groups",
    "municipality": "active_in (or sites[].municipality)",
}


def completeness_report(store: ox.Store, iris: Iris) -> list[dict[str, Any]]:
    """One entry per actor: key, name, the missing facts and the present ones."""
    query = (query_dir() / "build" / "completeness.rq").read_text(encoding="utf-8")
    rows = []
    solutions = store.query(query, base_iri=iris.base + "/", use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        actor = solution["actor"]
        name = solution["name"]
        assert isinstance(actor, ox.NamedNode) and isinstance(name, ox.Literal)
        present = {fact: _true(solution[fact]) for fact in FACTS}
        rows.append({
            "actor": actor.value,
            "key": actor.value.rsplit("/", 1)[-1],
            "name": name.value,
            "missing": [FACTS[f] for f, ok in present.items() if not ok],
            "present": [FACTS[f] for f, ok in present.items() if ok],
        })
    return rows


def format_completeness(rows: list[dict[str, Any]]) -> str:
    """A plain-text to-do list."""
    lines = []
    for row in rows:
        missing = row["missing"]
        status = "complete" if not missing else f"{len(missing)} missing"
        lines.append(f"{row['name']} (data/actors/{row['key']}.yaml): {status}")
        for fact in missing:
            lines.append(f"    - {fact}")
    return "\n".join(lines) + "\n"


def _true(term: Any) -> bool:
    return isinstance(term, ox.Literal) and term.value == "true"
