"""The built front-end bundle (``frontend/`` → ``web/static/dist/``, committed).

``frontend/build.mjs`` writes fingerprinted files (``editor-<HASH>.js``) and ``manifest.json``
(logical name → file name). Templates ask for a file by its logical name with the Jinja global
``asset('editor.js')`` (:func:`asset_url`), the one place that knows the manifest. The files
are served here rather than by Flask's static route: their names change with their content, so
they are cached for a year as immutable, and they are gzipped once per file and process with
:func:`midwest_lod.web.http.gzip_bytes` (Flask's static route sends files with
``direct_passthrough``, which :func:`midwest_lod.web.http.compress` leaves uncompressed).

The manifest is read once per process: restart the server after a rebuild.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, request

from midwest_lod.web import http

DIST = Path(__file__).parent / "static" / "dist"
#: Cache-Control of a fingerprinted file: a changed file gets a new name.
IMMUTABLE = "public, max-age=31536000, immutable"
_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".txt": "text/plain"}

bp = Blueprint("frontend", __name__)


@cache
def manifest() -> dict[str, str]:
    """Logical name → fingerprinted file name, as ``frontend/build.mjs`` wrote it."""
    try:
        loaded: dict[str, str] = json.loads((DIST / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise RuntimeError(f"{DIST / 'manifest.json'} is missing: run 'npm ci --prefix frontend "
                           "--ignore-scripts && node frontend/build.mjs'") from e
    return loaded


def asset_url(name: str) -> str:
    """The URL of the built file ``name`` (``editor.js``, ``editor.css``)."""
    return f"/static/dist/{manifest()[name]}"


@cache
def _file(name: str) -> tuple[bytes, bytes]:
    data = (DIST / name).read_bytes()
    return data, http.gzip_bytes(data)


@bp.get("/static/dist/<name>")
def dist(name: str) -> Response:
    """A built file: one year, immutable, gzipped when the client accepts it."""
    suffix = Path(name).suffix
    if (name not in manifest().values() and name != "THIRD-PARTY-NOTICES.txt") \
            or suffix not in _MEDIA_TYPES:
        abort(404)
    data, gzipped = _file(name)
    response = Response(data, mimetype=_MEDIA_TYPES[suffix])
    response.vary.add("Accept-Encoding")
    if http.accepts_gzip() and len(data) >= http.MIN_COMPRESS:
        response.set_data(gzipped)
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Cache-Control"] = IMMUTABLE
    response.set_etag(name, weak=True)  # the name carries the content hash
    response.make_conditional(request)
    return response
