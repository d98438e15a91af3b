"""The steward's to-do list: per actor, the recommended facts no source gives yet."""

from __future__ import annotations

from collections.abc import Iterator
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
    present: dict[str, set[str]] = {}
    for actor, fact in _select(store, iris, "completeness"):
        present.setdefault(actor, set()).add(fact)
    rows = []
    seen: set[str] = set()
    for actor, name in _select(store, iris, "actor-names"):
        have = present.get(actor, set())
        if actor in seen:
            continue
        seen.add(actor)
        rows.append({
            "actor": actor,
            "key": actor.rsplit("/", 1)[-1],
            "name": name,
            "missing": [label for fact, label in FACTS.items() if fact not in have],
            "present": [label for fact, label in FACTS.items() if fact in have],
        })
    return rows


def _select(store: ox.Store, iris: Iris, name: str) -> Iterator[tuple[str, str]]:
    """The solutions of ``queries/build/<name>.rq``: the values of its two variables."""
    query = (query_dir() / "build" / f"{name}.rq").read_text(encoding="utf-8")
    solutions = store.query(query, base_iri=iris.base + "/", use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    for first, second in solutions:
        yield first.value, second.value


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


