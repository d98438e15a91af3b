"""The validators of tests/reconcile/schemas.py judge the specification's own examples as the
specification does: every example under ``valid/`` passes, every one under ``invalid/`` fails
(so a response that passes them was really checked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reconcile.schemas import SPEC, VERSIONS, errors

#: Example folders whose schema has another name.
SCHEMA_OF = {"reconciliation-candidate": None, "preview-response": None,
             "flyout-response": None, "preview-metadata": None, "suggest-metadata": None,
             "security-scheme": None, "data-extension-metadata": None}


def _examples() -> list[tuple[str, str, Path, bool]]:
    found = []
    for version in VERSIONS:
        for path in sorted((SPEC / f"{version}-examples").glob("*/*/*.json")):
            schema = path.parent.parent.name
            if SCHEMA_OF.get(schema, schema) is None:
                continue
            found.append((version, schema, path, path.parent.name == "valid"))
    return found


EXAMPLES = _examples()


def test_the_examples_cover_every_response_schema() -> None:
    covered = {(version, schema) for version, schema, _, _ in EXAMPLES}
    for version in VERSIONS:
        for schema in ("manifest", "reconciliation-result-batch", "suggest-entities-response",
                       "suggest-properties-response", "suggest-types-response",
                       "data-extension-response", "data-extension-property-proposal"):
            assert (version, schema) in covered


@pytest.mark.parametrize(("version", "schema", "path", "valid"), EXAMPLES,
                         ids=[f"{v}/{s}/{p.parent.name}/{p.stem}" for v, s, p, _ in EXAMPLES])
def test_an_example_of_the_specification_is_judged_as_it_says(
        version: str, schema: str, path: Path, valid: bool) -> None:
    found = errors(version, schema, json.loads(path.read_text(encoding="utf-8")))
    assert (not found) == valid, found or "an invalid example passed"
