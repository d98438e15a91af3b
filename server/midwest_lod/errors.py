"""Errors of the publisher, as one small hierarchy.

* PublisherError                 anything the publisher reports on purpose
  + ConfigError                  a bad setting (raised at start-up)
  + SourceError                  a data file cannot be read: names file, line/row and field
    - QueryFileError             a query of the catalogue has a bad header: names file and line
  + BuildError                   the build cannot go on (the catalogue lacks what it needs)
  + PublicationError             nothing (valid) is published, or the published version is broken
  + LinkError                    a registry linking step failed (network, answer format)
  + HttpError                    answered to a web client with ``status`` (4xx/5xx)
    - BadRequest (400), Forbidden (403), NotFound (404), NotAcceptable (406),
      PayloadTooLarge (413), UnsupportedMediaType (415), TooManyRequests (429),
      ServiceUnavailable (503): QueryTimeout, QueryOutOfMemory

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


class PublicationError(PublisherError):
    """No usable published version (missing, incomplete or corrupted)."""


class LinkError(PublisherError):
    """Linking with an outside registry failed; the data files were left unchanged."""


class HttpError(PublisherError):
    """An error answered to a web client: ``status`` and ``title`` are its status line, given
    by each subclass (``class NotFound(HttpError, status=404, title="Not Found")``)."""

    status = 500
    title = "Internal Server Error"

    def __init_subclass__(cls, status: int | None = None, title: str | None = None,
                          **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if title is not None:
            cls.title = title

    def __init__(self, message: str, *, details: list[str] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = headers or {}


class BadRequest(HttpError, status=400, title="Bad Request"):
    """The request cannot be answered as sent (a query with a syntax error, no query)."""


class Forbidden(HttpError, status=403, title="Forbidden"):
    """The request asks for something this server never does (a SPARQL update)."""


class NotFound(HttpError, status=404, title="Not Found"):
    """Nothing at the path: the graph says nothing about it, or no such page or dump."""


class NotAcceptable(HttpError, status=406, title="Not Acceptable"):
    """None of the formats the client accepts is available."""


class PayloadTooLarge(HttpError, status=413, title="Payload Too Large"):
    """A query longer than ``max_query_length``."""


class UnsupportedMediaType(HttpError, status=415, title="Unsupported Media Type"):
    """A request body of a type the endpoint does not read."""


class TooManyRequests(HttpError, status=429, title="Too Many Requests"):
    """More requests than the client's ``rate_limit``."""


class InsufficientStorage(HttpError, status=507, title="Insufficient Storage"):
    """The server stores no more short links (``stored_queries_max``)."""


class ServiceUnavailable(HttpError, status=503, title="Service Unavailable"):
    """The server cannot answer now (busy query workers, a store that does not answer)."""


class QueryAdmissionRefused(ServiceUnavailable):
    """Every query slot is busy and the queue in front of them is full or waited too long
    (admission control, ``web/query/admission.py``)."""


class QueryTimeout(ServiceUnavailable, title="Query Timeout"):
    """The query ran longer than ``query_timeout`` and was stopped."""


class QueryOutOfMemory(ServiceUnavailable, title="Query Out Of Memory"):
    """The query needed more memory than a query worker may use."""
