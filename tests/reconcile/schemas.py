"""The JSON schemas the Reconciliation Service API publishes, per version (``spec/``, copied
from reconciliation-api/specs: ``spec/SOURCES.txt``), as validators that never go to the
network.

One registry per version: ``0.2/data-extension-property-proposal.json`` carries the $id of
the 1.0 draft, so one registry for both would mix them up. Every ``$schema`` is the generic
``http://json-schema.org/schema#``, which names no draft: the schemas are read as draft 7.
The manifests' ``authentication`` $refs ``http://swagger.io/v2/schema.json#…``, which is the
vendored ``openapi.json`` (its $id); any other reference fails instead of being fetched.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT7

SPEC = Path(__file__).parent / "spec"
VERSIONS = ("0.2", "1.0-draft")


def _refuse(uri: str) -> Resource:
    raise NoSuchResource(ref=uri)


@cache
def registry(version: str) -> Registry:
    resources = []
    for path in sorted((SPEC / version).glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"].rstrip("#"), DRAFT7.create_resource(contents)))
    return Registry(retrieve=_refuse).with_resources(resources).crawl()


@cache
def validator(version: str, name: str) -> Draft7Validator:
    """The validator of the schema ``name`` (its file name without ``.json``) of ``version``."""
    contents = json.loads((SPEC / version / f"{name}.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(contents)
    return Draft7Validator(contents, registry=registry(version))


def errors(version: str, name: str, instance: object) -> list[str]:
    """Every way ``instance`` breaks the schema, as ``/path: message`` (none when valid)."""
    return [f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator(version, name).iter_errors(instance)]


def assert_valid(version: str, name: str, instance: object) -> None:
    found = errors(version, name, instance)
    assert not found, f"not a valid {version} {name}: {found}"
