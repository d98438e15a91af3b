"""The reconciliation service for OpenRefine (``web/reconcile/``): the Reconciliation Service
API 0.2 at ``/reconcile`` and the 1.0 draft at ``/reconcile/v1/``.

0.2: ``GET /reconcile`` is the manifest; ``queries=`` (a JSON batch) or ``extend=`` (a data
extension query), as a form ``POST`` or a ``GET`` parameter, reconcile or extend;
``/reconcile/suggest/{entity,type,property}?prefix=&cursor=``, ``/reconcile/preview?id=``
and ``/reconcile/propose?type=&limit=`` are the services the manifest names. No JSONP (0.2
makes it optional; CORS, which 0.2 requires, is on every route). 1.0-draft: ``GET /`` the
manifest, ``POST /match`` and ``POST /extend`` with JSON bodies, ``GET /suggest/{entity,
property,type}?prefix=&limit=&offset=``, ``/preview?id=``, ``/extend/propose?type=&limit=``.

The services' URLs in the manifests are this server's (the host of the request), as the
search pages link; ids are organisation keys (``mariasteen``) in the identifier space
``{base}/id/organisatie/``. docs/decisions/0016-reconciliation.md.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from midwest_lod import __version__
from midwest_lod.errors import BadRequest, NotFound, UnsupportedMediaType
from midwest_lod.formats import HTML
from midwest_lod.iris import RECONCILE_PATH, RECONCILE_V1_PATH
from midwest_lod.web import http, i18n
from midwest_lod.web.context import ctx
from midwest_lod.web.describe import vocabulary_labels
from midwest_lod.web.reconcile import wire
from midwest_lod.web.reconcile.service import KIND, MAX_LIMIT, PROPERTIES, Reconciler

bp = Blueprint("reconcile", __name__)

NAME = "Sociale economie Midwest: organisaties"
#: Size of the preview OpenRefine shows in a frame (pixels).
PREVIEW_WIDTH, PREVIEW_HEIGHT = 420, 220
#: The preview is shown in a frame of the client (OpenRefine, any origin).
PREVIEW_CONTENT_SECURITY_POLICY = http.CONTENT_SECURITY_POLICY.replace(
    "frame-ancestors 'none'", "frame-ancestors *")
SUGGEST_LIMIT = 10


def _reconciler() -> Reconciler:
    context = ctx()
    version = context.version()
    return Reconciler(version, context.queries, context.iris,
                      vocabulary_labels(version, context.queries, context.iris))


def _host() -> str:
    return request.host_url.rstrip("/")


def _view_url(placeholder: str) -> str:
    """The page of an organisation on this server, ``placeholder`` standing for its id."""
    iris = ctx().iris
    return _host() + (iris.path_of(str(iris.thing(KIND, ""))) or "") + placeholder


def _number(name: str, default: int, most: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) > most:
        raise BadRequest(f"The parameter '{name}' must be a whole number from 0 to {most}, "
                         f"not {raw[:40]!r}.")
    return int(raw)


def _prefix() -> str:
    prefix = request.args.get("prefix")
    if prefix is None:
        raise BadRequest("The parameter 'prefix' is missing: give the start of a name.")
    return prefix[:200]


def _default_types(reconciler: Reconciler) -> list[dict[str, str]]:
    return [{"id": tid, "name": name} for tid, name in reconciler.suggest_types("")[:2]]


# --- what both versions share ------------------------------------------------------------------

def _suggest_entities(prefix: str, offset: int, limit: int) -> Response:
    found = _reconciler().suggest_entities(prefix, offset, limit) if prefix.strip() else []
    return jsonify(result=[
        {"id": s.id, "name": s.name, "description": s.description,
         "notable": [{"id": tid, "name": name} for tid, name in s.types.items()]}
        for s in found])


def _suggest_types(prefix: str, offset: int, limit: int) -> Response:
    found = _reconciler().suggest_types(prefix)[offset:offset + limit]
    return jsonify(result=[{"id": tid, "name": name} for tid, name in found])


def _suggest_properties(prefix: str, offset: int, limit: int) -> Response:
    found = _reconciler().suggest_properties(prefix)[offset:offset + limit]
    return jsonify(result=[{"id": p.id, "name": p.name, "description": p.name_en}
                           for p in found])


def _proposal() -> dict[str, Any]:
    limit = _number("limit", len(PROPERTIES), MAX_LIMIT) or len(PROPERTIES)
    type_id = request.args.get("type")
    return {**({"type": type_id} if type_id else {}), "limit": limit,
            "properties": [{"id": p.id, "name": p.name} for p in PROPERTIES[:limit]]}


def _preview() -> Response:
    reconciler = _reconciler()
    entity_id = request.args.get("id", "")
    iri = reconciler.iri(entity_id)
    entity = reconciler.entities.get(iri) if iri else None
    if entity is None:
        raise NotFound(f"No organisation has the id {entity_id[:80]!r}.")
    facts = [(label, [v.text for v in entity.of(field)]) for label, field in (
        (i18n.text("reconcile.legalName"), "legalName"),
        (i18n.text("reconcile.initiativeType"), "initiativeType"),
        (i18n.text("reconcile.activeIn"), "activeIn"),
        (i18n.text("reconcile.address"), "address"),
        (i18n.text("reconcile.enterpriseNumber"), "enterpriseNumber"),
        (i18n.text("reconcile.homepage"), "homepage"))]
    response = Response(render_template(
        "reconcile_preview.html", entity=entity, types=reconciler.types_of(entity),
        facts=[(label, values) for label, values in facts if values],
        page=_view_url(reconciler.id_of(entity.iri))), mimetype=HTML.media_type)
    response.headers["Content-Security-Policy"] = PREVIEW_CONTENT_SECURITY_POLICY
    return response


# --- 0.2 ---------------------------------------------------------------------------------------

def _manifest_02() -> dict[str, Any]:
    service = _host() + RECONCILE_PATH
    iris = ctx().iris
    return {
        "versions": ["0.2"],
        "name": NAME,
        "identifierSpace": str(iris.thing(KIND, "")),
        "schemaSpace": str(iris.vocab),
        "serviceVersion": __version__,
        "view": {"url": _view_url("{{id}}")},
        "defaultTypes": _default_types(_reconciler()),
        "preview": {"url": f"{service}/preview?id={{{{id}}}}", "width": PREVIEW_WIDTH,
                    "height": PREVIEW_HEIGHT},
        "suggest": {kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
                    for kind in ("entity", "type", "property")},
        "extend": {"propose_properties": {"service_url": service, "service_path": "/propose"},
                   "property_settings": []},
        "batchSize": wire.BATCH_SIZE,
    }


@bp.route(RECONCILE_PATH, methods=["GET", "POST"])
def service_02() -> Response:
    if "queries" in request.values:
        reconciler = _reconciler()
        batch = wire.read_queries_02(request.values["queries"], reconciler)
        return jsonify(wire.results_02(
            {qid: reconciler.reconcile(asked) for qid, asked in batch.items()}, reconciler))
    if "extend" in request.values:
        ids, pids = wire.read_extension(wire.parse_json(request.values["extend"],
                                                        "The field 'extend'"), "extend")
        return jsonify(wire.extension_02(_reconciler().extend(ids, pids), pids))
    if request.method == "POST":
        raise BadRequest("Send 'queries' (a batch of reconciliation queries) or 'extend' (a "
                         "data extension query) as a form field.")
    return jsonify(_manifest_02())


@bp.get(RECONCILE_PATH + "/suggest/entity")
def suggest_entity_02() -> Response:
    return _suggest_entities(_prefix(), _number("cursor", 0, 1000), SUGGEST_LIMIT)


@bp.get(RECONCILE_PATH + "/suggest/type")
def suggest_type_02() -> Response:
    return _suggest_types(_prefix(), _number("cursor", 0, 1000), SUGGEST_LIMIT)


@bp.get(RECONCILE_PATH + "/suggest/property")
def suggest_property_02() -> Response:
    return _suggest_properties(_prefix(), _number("cursor", 0, 1000), SUGGEST_LIMIT)


@bp.get(RECONCILE_PATH + "/preview")
def preview_02() -> Response:
    return _preview()


@bp.get(RECONCILE_PATH + "/propose")
def propose_02() -> Response:
    return jsonify(_proposal())


# --- 1.0-draft -----------------------------------------------------------------------------------

def _json_body() -> Any:
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as application/json (Reconciliation "
                                   "Service API 1.0).")
    return wire.parse_json(request.get_data(as_text=True), "The body")


@bp.get(RECONCILE_V1_PATH + "/")
def manifest_10() -> Response:
    return jsonify({
        "versions": ["1.0-draft"],
        "name": NAME,
        "lang": "nl",
        "serviceVersion": __version__,
        "view": {"url": _view_url("{id}")},
        "defaultTypes": _default_types(_reconciler()),
        "preview": {"width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT},
        "suggest": {"entity": True, "property": True, "type": True},
        "extend": {"proposeProperties": True, "propertySettings": []},
        "standardizedScore": True,
    })


@bp.post(RECONCILE_V1_PATH + "/match")
def match_10() -> Response:
    reconciler = _reconciler()
    queries = wire.read_queries_10(_json_body(), reconciler)
    return jsonify(wire.results_10([reconciler.reconcile(q) for q in queries], reconciler))


@bp.get(RECONCILE_V1_PATH + "/suggest/entity")
def suggest_entity_10() -> Response:
    return _suggest_entities(_prefix(), _number("offset", 0, 1000),
                             _number("limit", SUGGEST_LIMIT, MAX_LIMIT))


@bp.get(RECONCILE_V1_PATH + "/suggest/type")
def suggest_type_10() -> Response:
    return _suggest_types(_prefix(), _number("offset", 0, 1000),
                          _number("limit", SUGGEST_LIMIT, MAX_LIMIT))


@bp.get(RECONCILE_V1_PATH + "/suggest/property")
def suggest_property_10() -> Response:
    return _suggest_properties(_prefix(), _number("offset", 0, 1000),
                               _number("limit", SUGGEST_LIMIT, MAX_LIMIT))


@bp.get(RECONCILE_V1_PATH + "/preview")
def preview_10() -> Response:
    return _preview()


@bp.post(RECONCILE_V1_PATH + "/extend")
def extend_10() -> Response:
    ids, pids = wire.read_extension(_json_body(), "The body")
    return jsonify(wire.extension_10(_reconciler().extend(ids, pids), pids))


@bp.get(RECONCILE_V1_PATH + "/extend/propose")
def propose_10() -> Response:
    return jsonify(_proposal())
