"""What the application shares between requests: settings, IRIs, the publication, queries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g, has_request_context, request

from midwest_lod.config import Settings
from midwest_lod.iris import Iris
from midwest_lod.publication import Version
from midwest_lod.web.describe import Describer
from midwest_lod.web.published import Publication
from midwest_lod.web.queries import QueryFiles
from midwest_lod.web.query.service import QueryService

EXTENSION = "midwest_lod"


@dataclass
class AppContext:
    settings: Settings
    iris: Iris
    publication: Publication
    queries: QueryFiles
    query_service: QueryService
    describer: Describer

    @property
    def output_dir(self) -> Path:
        return Path(self.settings.output_dir)

    def version(self) -> Version:
        return self.publication.current()


def ctx() -> AppContext:
    """The context of the running application."""
    context: AppContext = current_app.extensions[EXTENSION]
    return context


def iris() -> Iris:
    """The running application's IRI builder (made once, by :func:`create_app`), for the
    request being answered: its links (``/ldes``, ``/dumps/…``, ``/sparql``) lead to the host
    the request came to, its identifiers stay the base IRI's
    (docs/decisions/0014-serving-host.md)."""
    app_iris = ctx().iris
    if not has_request_context():
        return app_iris
    found: Iris | None = g.get("midwest_lod_iris")
    if found is None:
        found = g.midwest_lod_iris = app_iris.serving(request.host_url)
    return found
