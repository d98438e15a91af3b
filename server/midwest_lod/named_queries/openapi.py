"""The OpenAPI 3.1 document of the query API, generated from the catalogue.

One path per named query (``/api/queries/{name}``, GET with query parameters and POST with a
form or a JSON object), its parameters typed as the header declares them (enumerations drawn
from the data listed with their values), the formats it answers in, and the error answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from midwest_lod.formats import API_TABLE_FORMATS, FORM_MEDIA_TYPE, GRAPH_FORMATS, JSON, Format
from midwest_lod.iris import API_QUERIES_PATH, api_query_path
from midwest_lod.named_queries.catalogue import NamedQuery, Parameter
from midwest_lod.named_queries.parameters import (
    CURRENT,
    MAX_LIST_LENGTH,
    MAX_STRING_LENGTH,
    TODAY,
    VERSION_PATTERN,
)

OPENAPI_VERSION = "3.1.0"
_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string", "maxLength": MAX_STRING_LENGTH},
    "language": {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
    "version": {"anyOf": [{"type": "string", "pattern": VERSION_PATTERN},
                          {"const": CURRENT}]},
}
_ERROR = {"description": "A parameter has a value it cannot take (the message names it).",
          "content": {JSON.media_type: {"schema": {"$ref": "#/components/schemas/Error"}}}}


def formats_of(query: NamedQuery) -> tuple[Format, ...]:
    """The formats ``query`` answers in (a table: JSON and the SPARQL results formats; a
    boolean: JSON, SPARQL JSON and XML; a graph: the RDF formats)."""
    if query.output == "graph":
        return GRAPH_FORMATS
    if query.output == "boolean":  # CSV and TSV have no standard form for a boolean
        return tuple(f for f in API_TABLE_FORMATS if f.media_type.endswith(("json", "xml")))
    return API_TABLE_FORMATS


def _schema(p: Parameter, allowed: Callable[[str], Sequence[str]]) -> dict[str, Any]:
    schema = dict(_SCHEMAS[p.type])
    if p.values:
        schema["enum"] = list(p.values)
    elif p.of is not None:
        schema["enum"] = list(allowed(p.of))
    if p.default is not None and not (p.type == "date" and p.default == TODAY):
        schema["default"] = _typed(p, p.default)
    if p.many:
        return {"type": "array", "items": schema, "maxItems": MAX_LIST_LENGTH}
    return schema


def _typed(p: Parameter, value: str) -> Any:
    if p.type == "integer":
        return int(value)
    if p.type == "decimal":
        return float(value)
    if p.type == "boolean":
        return value.lower() in ("true", "1")
    return value


def _description(p: Parameter) -> str:
    parts = [p.description_nl, f"({p.description_en})" if p.description_en else ""]
    if p.of:
        parts.append(f"Een van de instanties van / one of the instances of <{p.of}>.")
    if p.type == "date" and p.default == TODAY:
        parts.append("Zonder waarde: vandaag / without a value: today.")
    return " ".join(x for x in parts if x)


def _parameters(query: NamedQuery, allowed: Callable[[str], Sequence[str]]
                ) -> list[dict[str, Any]]:
    out = []
    for p in query.parameters:
        item: dict[str, Any] = {"name": p.name, "in": "query", "required": p.required,
                                "description": _description(p), "schema": _schema(p, allowed)}
        if p.sample is not None and not (p.type == "date" and p.sample == TODAY):
            item["example"] = ([_typed(p, v) for v in p.sample.split(",")] if p.many
                               else _typed(p, p.sample))
        if p.many:
            item["style"], item["explode"] = "form", True
        out.append(item)
    if query.page_size is not None:
        out.append({"name": "limit", "in": "query", "required": False,
                    "description": "Rijen per pagina / rows per page.",
                    "schema": {"type": "integer", "minimum": 1,
                               "default": query.page_size}})
        out.append({"name": "offset", "in": "query", "required": False,
                    "description": "Rijen overslaan / rows to skip.",
                    "schema": {"type": "integer", "minimum": 0, "default": 0}})
    names = ", ".join(f.name for f in formats_of(query))
    out.append({"name": "format", "in": "query", "required": False,
                "description": f"Het antwoordformaat (anders volgens Accept) / the format of "
                               f"the answer (else from Accept): {names}.",
                "schema": {"type": "string", "enum": [f.name for f in formats_of(query)]}})
    return out


def _body_schema(query: NamedQuery, allowed: Callable[[str], Sequence[str]]
                 ) -> dict[str, Any]:
    properties = {p.name: _schema(p, allowed) for p in query.parameters}
    if query.page_size is not None:
        properties["limit"] = {"type": "integer", "minimum": 1}
        properties["offset"] = {"type": "integer", "minimum": 0}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = [p.name for p in query.parameters if p.required]
    if required:
        schema["required"] = required
    return schema


def _operation(query: NamedQuery, method: str, allowed: Callable[[str], Sequence[str]]
               ) -> dict[str, Any]:
    content = {f.media_type: {"schema": _answer_schema(f)} for f in formats_of(query)}
    operation: dict[str, Any] = {
        "operationId": f"{method}_{query.name.replace('-', '_')}",
        "summary": query.title_nl,
        "description": f"{query.description_nl}\n\n*{query.title_en}.* {query.description_en}",
        "tags": list(query.tags[:1]) or ["queries"],
        "responses": {"200": {"description": "Het antwoord / the answer.", "content": content},
                      "400": _ERROR, "406": {"description": "No acceptable format."},
                      "503": {"description": "The query took too long or the server is busy."}},
    }
    if method == "get":
        operation["parameters"] = _parameters(query, allowed)
    else:
        schema = _body_schema(query, allowed)
        operation["parameters"] = [p for p in _parameters(query, allowed)
                                   if p["name"] == "format"]
        operation["requestBody"] = {"required": False, "content": {
            FORM_MEDIA_TYPE: {"schema": schema},
            JSON.media_type: {"schema": schema}}}
    return operation


def _answer_schema(fmt: Format) -> dict[str, Any]:
    if fmt.name == "rows":
        return {"$ref": "#/components/schemas/Rows"}
    if fmt.media_type.endswith("json"):
        return {"type": "object"}
    return {"type": "string"}


def openapi_document(queries: Sequence[NamedQuery], *, version: str,
                     allowed: Callable[[str], Sequence[str]]) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``queries``; ``allowed(class)`` lists the values of an
    enumeration drawn from the data.

    It has no ``servers``: the default (OpenAPI 3.1 §4.8.1, ``/``) is the origin the document
    is read from, so the API explorer (``/api/``) and any client call the server that served
    it, whatever its host, and never another (a ``servers`` entry of the base IRI would send a
    local or staging run's calls to the public site)."""
    paths: dict[str, Any] = {
        API_QUERIES_PATH: {"get": {
            "operationId": "list_queries", "summary": "De catalogus van vragen",
            "description": "Every named query with its titles, parameters and path.",
            "responses": {"200": {"description": "The catalogue.", "content": {
                JSON.media_type: {"schema": {"type": "object"}}}}}}},
    }
    for query in queries:
        paths[api_query_path(query.name)] = {
            "get": _operation(query, "get", allowed),
            "post": _operation(query, "post", allowed),
        }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "Sociale economie Midwest: vragen / named queries",
                 "version": version,
                 "description": "Benoemde SPARQL-vragen over de sociale economie van "
                                "Midden-West-Vlaanderen als API. *Named SPARQL queries about "
                                "the Midwest social economy as an API.*"},
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {
                "ok": {"type": "boolean"}, "status": {"type": "integer"},
                "error": {"type": "string"},
                "errors": {"type": "array", "items": {"type": "string"}}}},
            "Rows": {"type": "object", "properties": {
                "query": {"type": "string"}, "version": {"type": "string"},
                "columns": {"type": "array", "items": {"type": "string"}},
                "rows": {"type": "array", "items": {"type": "object"}},
                "limit": {"type": ["integer", "null"]}, "offset": {"type": "integer"},
                "next": {"type": ["string", "null"]}, "truncated": {"type": "boolean"},
                "boolean": {"type": "boolean", "description": "the answer of a yes/no query"}}},
        }},
    }
