"""``/health`` (and ``/-/health``): is a version published and can its store be read?"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from midwest_lod import __version__
from midwest_lod.errors import HttpError, PublicationError
from midwest_lod.timestamps import format_utc
from midwest_lod.web.context import ctx

bp = Blueprint("health", __name__)

#: Does the store hold any statement?
HAS_DATA = "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


@bp.get("/health")
@bp.get("/-/health")
def health() -> Response:
    try:
        version = ctx().version()
        # a query, not quads_for_pattern: the store may be an external SPARQL server
        readable = bool(version.store.query(HAS_DATA))
    except (PublicationError, OSError, HttpError) as exc:
        response = jsonify(ok=False, status=503, error=str(exc), errors=[])
        response.status_code = 503
    else:
        response = jsonify(ok=readable, status=200 if readable else 503, version=version.id,
                           built_at=format_utc(version.last_modified),
                           counts=version.counts, tool_version=__version__)
        response.status_code = 200 if readable else 503
    response.headers["Cache-Control"] = "no-store"
    return response
