"""The web application: Linked Data pages, the SPARQL endpoint, dumps (``midwest-lod serve``).

:func:`create_app` is the application factory (a WSGI application); ``midwest-lod serve`` runs
it behind the front of ``web/front/`` under granian, in development and production alike (the
command: ``midwest-lod serve --help``, docs/operations.md).

One blueprint per public resource (``blueprints/``): home and index pages, entity documents
(``/id/``, ``/doc/``, ``/ns/``), ``/sparql`` and the query editor's helpers (``/sparql/check``,
``/sparql/terms``, ``/sparql/labels``, ``/sparql/links``, ``/sparql/q/<id>``), the named-query
API and its explorer (``/api/``), search (``/zoeken``), the organisation browser
(``/organisaties``), the Triple Pattern Fragments (``/tpf``), reconciliation (``/reconcile``),
``/ldes``, ``/dumps/``, ``/health`` and ``/-/metrics`` (Prometheus, ``metrics.py``; every
request also gets an ``X-Request-Id`` and a JSON access-log line, ``requestlog.py``);
``catalog.py`` answers ``/catalog`` and ``/.well-known/void``, and
``frontend.py`` the built front-end bundle under ``/static/dist/``. Errors are
:class:`midwest_lod.errors.HttpError` subclasses answered by one handler (``errors.py``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

#: Response headers a cross-origin script may read.
EXPOSED_HEADERS = ["ETag", "Last-Modified", "Link", "Content-Location", "Retry-After",
                   "X-SPARQL-MaxRows", "X-SPARQL-Truncated", "Repr-Digest", "Digest", "X-Cache",
                   "X-Request-Id"]


def preload() -> None:
    """Import what :func:`create_app` and the front import, without making an application
    (nothing is opened, no thread is started): ``midwest-lod serve`` calls it in the granian
    master, whose forked web workers then start with it imported."""
    import flask  # noqa: F401
    import flask_cors  # noqa: F401
    import prometheus_client  # noqa: F401 - web/metrics.py sets its multiprocess mode later

    import midwest_lod.web.blueprints.api
    import midwest_lod.web.blueprints.dumps
    import midwest_lod.web.blueprints.entity
    import midwest_lod.web.blueprints.facets
    import midwest_lod.web.blueprints.fragments
    import midwest_lod.web.blueprints.health
    import midwest_lod.web.blueprints.home
    import midwest_lod.web.blueprints.ldes
    import midwest_lod.web.blueprints.reconcile
    import midwest_lod.web.blueprints.search
    import midwest_lod.web.blueprints.sparql
    import midwest_lod.web.blueprints.workbench
    import midwest_lod.web.catalog
    import midwest_lod.web.context
    import midwest_lod.web.describe
    import midwest_lod.web.errors
    import midwest_lod.web.front
    import midwest_lod.web.frontend
    import midwest_lod.web.i18n
    import midwest_lod.web.metrics
    import midwest_lod.web.queries
    import midwest_lod.web.query.cache
    import midwest_lod.web.ratelimit
    import midwest_lod.web.requestlog  # noqa: F401


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application.

    ``test_config`` keys that name a setting (``output_dir``, ``query_timeout``, ...) override
    the settings (see ``midwest-lod settings``); upper-case keys go to Flask's config
    (``TESTING``). Raises :class:`midwest_lod.errors.PublicationError` when nothing is
    published in ``output_dir`` or the published version cannot be opened (``current``
    pointing nowhere, an unreadable ``build.json``, a corrupted store).
    """
    from flask import Flask
    from flask_cors import CORS

    from midwest_lod import __version__
    from midwest_lod.config import Settings
    from midwest_lod.vocab import prefixes_for
    from midwest_lod.web import errors, http
    from midwest_lod.web.context import EXTENSION, AppContext
    from midwest_lod.web.describe import Describer
    from midwest_lod.web.published import Publication
    from midwest_lod.web.queries import QueryFiles
    from midwest_lod.web.query.cache import CachingQueryService
    from midwest_lod.web.query.service import EmbeddedQueryService, QueryService

    test_config = dict(test_config or {})
    flask_config = {k: test_config.pop(k) for k in list(test_config) if k.isupper()}
    settings = Settings.load(test_config)

    app = Flask(__name__, static_folder="static", static_url_path="/static")
    from midwest_lod.web.blueprints.sparql import max_body_bytes

    # a body is never read past this, chunked ones included (werkzeug answers 413)
    app.config.update(JSON_SORT_KEYS=False, SEND_FILE_MAX_AGE_DEFAULT=3600,
                      MAX_CONTENT_LENGTH=max_body_bytes(settings.max_query_length),
                      **flask_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    iris = settings.iris  # the app's IRI builder, made once (web.context.iris())
    # output_dir/current, or the external SPARQL store (sparql_query_url: web/external.py,
    # imported only then: its HTTP client is not needed otherwise)
    publication: Publication
    if settings.sparql_query_url:
        from midwest_lod.web.external import open_publication

        publication = open_publication(settings)
    else:
        publication = Publication(settings.output_dir)
    publication.current()  # fail fast, saying what to run, when nothing (usable) is published
    queries = QueryFiles(prefixes=prefixes_for(settings.base_iri), base_iri=settings.base_iri)
    query_service: QueryService
    if settings.sparql_query_url:  # docs/decisions/0006-external-store.md
        from midwest_lod.web.query.remote import RemoteQueryService

        query_service = RemoteQueryService(settings, publication)
    else:
        query_service = EmbeddedQueryService(settings, publication)
    if settings.cache_max_bytes > 0:  # results per published version (web/query/cache.py)
        query_service = CachingQueryService(query_service, publication, settings.cache_max_bytes)
    app.extensions[EXTENSION] = AppContext(
        settings, iris, publication, queries, query_service, Describer(iris, queries))

    # first hooks: the clock starts before, and the count and the log line come after,
    # everything else (web/metrics.py: /-/metrics; web/requestlog.py: X-Request-Id, JSON log)
    from midwest_lod.web import metrics, requestlog

    requestlog.install(app, access_log=settings.access_log)
    metrics.install(app, settings)

    CORS(app, resources={r"/*": {"origins": "*"}}, send_wildcard=True,
         expose_headers=EXPOSED_HEADERS, methods=["GET", "HEAD", "POST", "OPTIONS"],
         allow_headers=["Accept", "Content-Type", "If-None-Match", "If-Modified-Since",
                        "X-Request-Id"],
         max_age=86400)
    errors.register(app)
    from midwest_lod.web import ratelimit  # per-client limit on /sparql (setting rate_limit)
    ratelimit.install(app, settings.rate_limit, settings.trusted_proxies,
                      {"sparql.endpoint", "api.run_query", "workbench.new_link"})
    warmed: list[bool] = []

    @app.before_request
    def _start_query_workers() -> None:  # at the first request of this process, not at import
        if not warmed:
            warmed.append(True)
            app.extensions[EXTENSION].query_service.warm()

    app.after_request(http.add_security_headers)
    # a refused request's unread body closes the connection instead of breaking the next request
    app.wsgi_app = http.CloseUnreadBodies(app.wsgi_app)  # type: ignore[method-assign]
    app.after_request(http.compress)

    from midwest_lod.web import frontend  # the built editor bundle: /static/dist/ (immutable)
    from midwest_lod.web.blueprints import api, dumps, entity, health, home, sparql, workbench

    for blueprint in (home.bp, entity.bp, sparql.bp, api.bp, workbench.bp, dumps.bp, health.bp,
                      frontend.bp):
        app.register_blueprint(blueprint)
    from midwest_lod.web import catalog  # /catalog (DCAT-AP) and /.well-known/void (VoID)
    app.register_blueprint(catalog.bp)
    from midwest_lod.web.blueprints import ldes  # /ldes: the event stream (LDES, TREE)
    app.register_blueprint(ldes.bp)
    from midwest_lod.web.blueprints import search  # /zoeken: search and suggestions
    app.register_blueprint(search.bp)
    from midwest_lod.web.blueprints import facets  # /organisaties: browsing by facets
    app.register_blueprint(facets.bp)
    from midwest_lod.web.blueprints import fragments  # /tpf: Triple Pattern Fragments
    app.register_blueprint(fragments.bp)
    from midwest_lod.web.blueprints import reconcile  # /reconcile: reconciliation (OpenRefine)
    app.register_blueprint(reconcile.bp)

    app.jinja_env.globals.update(tool_version=__version__, base_iri=settings.base_iri,
                                 asset=frontend.asset_url)
    from midwest_lod.web import i18n  # the pages' language and the message catalogue

    i18n.install(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    return app
