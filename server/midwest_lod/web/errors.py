"""The one error handler: every error answered in the format the client asked for.

:class:`midwest_lod.errors.HttpError` (and werkzeug's own 404/405 for unknown routes) become
an HTML page, a JSON object ``{"ok": false, "status": ..., "error": ..., "errors": [...]}`` or
plain text, negotiated from Accept. Anything else is a bug: logged in full, answered with a
generic 500 that reveals nothing.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from midwest_lod import formats
from midwest_lod.errors import HttpError, PublicationError, ServiceUnavailable
from midwest_lod.formats import HTML, JSON
from midwest_lod.web import i18n

log = logging.getLogger(__name__)

JSON_MEDIA_TYPE = JSON.media_type
TEXT_MEDIA_TYPE = formats.TEXT_MEDIA_TYPE


class _Generic(HttpError):
    """Werkzeug's routing errors (404 unknown path, 405) in our shape."""


def _error_format() -> str:
    accept = request.accept_mimetypes
    if not accept:
        return TEXT_MEDIA_TYPE
    # plain text first: it is what `*/*` (curl, scripts) gets; browsers ask for text/html
    best = accept.best_match([TEXT_MEDIA_TYPE, JSON_MEDIA_TYPE, HTML.media_type])
    return best or TEXT_MEDIA_TYPE


def render_error(error: HttpError) -> Response:
    g.error = error  # what the request ended with, for the metrics (web/metrics.py)
    media_type = _error_format()
    if media_type == JSON_MEDIA_TYPE:
        response = jsonify(ok=False, status=error.status, error=error.message,
                           errors=error.details)
    elif media_type == HTML.media_type:
        response = Response(render_template("error.html", error=error, path=request.path,
                                            error_title=_title(error)),
                            mimetype=HTML.media_type)
    else:
        text = "\n".join([f"{error.status} {error.title}: {error.message}", *error.details])
        response = Response(text + "\n", mimetype=TEXT_MEDIA_TYPE)
    response.status_code = error.status
    response.headers.update(error.headers)
    response.vary.add("Accept")
    response.headers["Cache-Control"] = "no-store" if error.status >= 500 else "public, max-age=60"
    return response


def _title(error: HttpError) -> Markup:
    """The status line's words in the page's language (the catalogue's ``error.title.*``), or
    the English words marked as English when the catalogue has none."""
    key = "error.title." + "_".join(error.title.lower().split())
    if key in i18n.catalogue():
        return i18n.t(key)
    return Markup('<span lang="en">{}</span>').format(error.title)


def _from_werkzeug(exc: HTTPException) -> Response:
    error = _Generic(exc.description or exc.name)
    error.status = exc.code or 500
    error.title = exc.name
    if exc.code == 404:
        error.message = f"There is nothing at {request.path}."
    response = render_error(error)
    allowed = getattr(exc, "valid_methods", None)
    if exc.code == 405 and allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response


def _unexpected(exc: Exception) -> Response:
    log.exception("unexpected error answering %s %s", request.method, request.path)
    error = HttpError("Something went wrong on our side; it has been logged.")
    return render_error(error)


def _publication(exc: PublicationError) -> Response:
    log.error("%s", exc)
    return render_error(ServiceUnavailable(
        "No published version can be served right now.", headers={"Retry-After": "30"}))


def register(app: Flask) -> None:
    app.register_error_handler(HttpError, render_error)
    app.register_error_handler(PublicationError, _publication)
    app.register_error_handler(HTTPException, _from_werkzeug)
    app.register_error_handler(Exception, _unexpected)
