"""Errors of the publisher, as one small hierarchy.

* PublisherError                 anything the publisher reports on purpose
  + ConfigError                  a bad setting (raised at start-up)
  + SourceError                  a data file cannot be read: names file, line/row and field
    - QueryFileError             a query of the catalogue has a bad header: names file and line
  + BuildError                   the build failed (validation violations, publication)
    - ValidationFailed           SHACL violations; carries the readable report
  + PublicationError             nothing (valid) is published, or the published version is broken
  + LinkError                    a registry linking step failed (network, answer format)
  + HttpError                    answered to a web client with ``status`` (4xx/5xx)
    - BadRequest (400), NotFound (404), NotAcceptable (406), PayloadTooLarge (413),
      UnsupportedMediaType (415), TooManyRequests (429), QueryTimeout (503),
      ServiceUnavailable (503)

The web application has one handler that renders every :class:`HttpError` in the format the
client asked for (HTML, JSON or plain text); anything else becomes a generic 500 that reveals
nothing and is logged in full.
"""

from __future__ import annotations

from dataclasses import dataclass


class PublisherError(Exception):
    """Base of every error the publisher reports on purpose."""


class ConfigError(PublisherError):
    """A setting has a value the publisher cannot use."""


@dataclass
class SourceError(PublisherError):
    """A data file cannot be read or has a value that cannot be mapped.

    ``path`` is relative to the data folder; ``line`` is 1-based (a CSV row's line number).
    """

    path: str
    line: int | None
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class QueryFileError(SourceError):
    """A ``.rq`` file of the query catalogue has a bad header (``path`` is the file)."""


class BuildError(PublisherError):
    """The build stopped; nothing was published."""


class ValidationFailed(BuildError):
    """The graph has SHACL violations. ``report`` is the readable report."""

    def __init__(self, message: str, report: str) -> None:
        super().__init__(message)
        self.report = report


class PublicationError(PublisherError):
    """No usable published version (missing, incomplete or corrupted)."""


class LinkError(PublisherError):
    """Linking with an outside registry failed; the data files were left unchanged."""


class HttpError(PublisherError):
    """An error answered to a web client."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, message: str, *, details: list[str] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = headers or {}


class BadRequest(HttpError):
    status = 400
    title = "Bad Request"


class NotFound(HttpError):
    status = 404
    title = "Not Found"


class MethodNotAllowed(HttpError):
    status = 405
    title = "Method Not Allowed"


class NotAcceptable(HttpError):
    status = 406
    title = "Not Acceptable"


class PayloadTooLarge(HttpError):
    status = 413
    title = "Payload Too Large"


class UnsupportedMediaType(HttpError):
    status = 415
    title = "Unsupported Media Type"


class TooManyRequests(HttpError):
    status = 429
    title = "Too Many Requests"


class ServiceUnavailable(HttpError):
    status = 503
    title = "Service Unavailable"


class QueryTimeout(ServiceUnavailable):
    title = "Query Timeout"
