"""``/health`` (and ``/-/health``): is a version published and can its store be read?"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from midwest_lod import __version__
from midwest_lod.errors import PublicationError
from midwest_lod.web.context import ctx

bp = Blueprint("health", __name__)


@bp.get("/health")
@bp.get("/-/health")
def health() -> Response:
    try:
        version = ctx().version()
        readable = next(iter(version.store.quads_for_pattern(None, None, None)), None) is not None
    except (PublicationError, OSError) as exc:
        response = jsonify(ok=False, status=503, error=str(exc), errors=[])
        response.status_code = 503
    else:
        response = jsonify(ok=readable, status=200 if readable else 503, version=version.id,
                           built_at=version.last_modified.isoformat().replace("+00:00", "Z"),
                           counts=version.counts, tool_version=__version__)
        response.status_code = 200 if readable else 503
    response.headers["Cache-Control"] = "no-store"
    return response
