"""Browsing the organisations by facets: ``/organisaties`` (HTML, or JSON by Accept),
``/organisaties.json`` and ``/organisaties.csv``. Every state is a link: the chosen values
are query parameters (``?gemeente=36015&soort=maatwerkbedrijf``, a parameter repeated for
alternatives), ``pagina`` the page. Each state offers the SPARQL query that lists the same
organisations, opened in the query page. docs/decisions/0010-facets.md.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from midwest_lod.errors import BadRequest
from midwest_lod.facets.dimensions import BY_NAME, FACETS
from midwest_lod.facets.index import Selection
from midwest_lod.facets.reading import query_text
from midwest_lod.formats import HTML, JSON, RESULTS_CSV
from midwest_lod.web import http, i18n
from midwest_lod.web.context import ctx
from midwest_lod.web.facets import Facets, facets_for, key_of

bp = Blueprint("facets", __name__)

#: Organisations on one page.
PAGE_SIZE = 50
#: Most values chosen in one facet (each is a row of the SPARQL query's VALUES block).
MAX_CHOSEN = 20
PAGE = "pagina"


def _chosen(facets: Facets) -> dict[str, frozenset[str]]:
    unknown = sorted(set(request.args) - set(BY_NAME) - {PAGE, i18n.PARAMETER})
    if unknown:
        raise BadRequest(f"Unknown parameter {unknown[0]!r}: the facets are "
                         f"{', '.join(BY_NAME)}, and '{PAGE}' is the page.")
    chosen: dict[str, frozenset[str]] = {}
    for name in BY_NAME:
        keys = request.args.getlist(name)
        if len(keys) > MAX_CHOSEN:
            raise BadRequest(f"The parameter {name!r} is given {len(keys)} times; at most "
                             f"{MAX_CHOSEN} values of one facet can be chosen.")
        values = set()
        for key in keys:
            value = facets.keys[name].get(key)
            if value is None:
                offered = ", ".join(sorted(facets.keys[name])[:12]) or "none"
                raise BadRequest(f"The parameter {name!r} has no value {key[:60]!r}; "
                                 f"values are: {offered}.")
            values.add(value)
        if values:
            chosen[name] = frozenset(values)
    return chosen


def _page() -> int:
    raw = request.args.get(PAGE, "1")
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"The parameter '{PAGE}' must be a whole number from 1, "
                         f"not {raw[:40]!r}.")
    return int(raw)


def _link(endpoint: str, chosen: dict[str, frozenset[str]], *,
          toggle: tuple[str, str] | None = None, page: int = 1) -> str:
    """The URL of a state: the ``chosen`` values (as keys, in the order of the facets and
    sorted, so one state has one URL), with ``toggle`` (facet, key) added or removed."""
    keys = {name: {key_of(value) for value in values} for name, values in chosen.items()}
    if toggle is not None:
        keys.setdefault(toggle[0], set()).symmetric_difference_update({toggle[1]})
    params = [(facet.name, key) for facet in FACETS for key in sorted(keys.get(facet.name, ()))]
    if page > 1:
        params.append((PAGE, str(page)))
    return url_for(endpoint) + ("?" + urlencode(params) if params else "")


def _view(facets: Facets, chosen: dict[str, frozenset[str]], selection: Selection,
          page: int, endpoint: str) -> dict[str, Any]:
    context = ctx()
    describer = context.describer
    organisations = [
        {"iri": iri, "href": describer.href(iri) or iri, "label": facets.index.label(iri)}
        for iri in selection.page((page - 1) * PAGE_SIZE, PAGE_SIZE)]
    groups = []
    for facet in FACETS:
        counts = selection.counts[facet.name]
        values: list[dict[str, Any]] = [
            {"key": key_of(value), "iri": value, "label": facets.index.label(value),
             "label_en": facets.index.label(value, "en"), "count": counts.get(value, 0),
             "chosen": value in chosen.get(facet.name, ()),
             "toggle": _link(endpoint, chosen, toggle=(facet.name, key_of(value)))}
            for value in counts if counts[value] or value in chosen.get(facet.name, ())]
        values.sort(key=lambda v: (-v["count"], v["label"].casefold()))
        groups.append({"name": facet.name, "label": facet.label_nl, "label_en": facet.label_en,
                       "values": values})
    pages = max(1, -(-selection.total // PAGE_SIZE))
    query = query_text(chosen, context.iris)
    return {
        "total": selection.total, "page": page, "pages": pages, "page_size": PAGE_SIZE,
        "organisations": organisations, "facets": groups,
        "sparql": query, "sparql_url": url_for("sparql.endpoint") + "?" + urlencode(
            {"query": query}),
        "previous": _link(endpoint, chosen, page=page - 1) if page > 1 else None,
        "next": _link(endpoint, chosen, page=page + 1) if page < pages else None,
        "json": _link("facets.browse_json", chosen, page=page),
        "csv": _link("facets.browse_csv", chosen),
        "clear": url_for("facets.browse") if chosen else None,
    }


def _csv(facets: Facets, selection: Selection) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["organisatie", "naam"])
    for iri in selection:
        writer.writerow([iri, facets.index.label(iri)])
    return Response(out.getvalue(), mimetype=RESULTS_CSV.media_type,
                    headers={"Content-Disposition": 'inline; filename="organisaties.csv"'})


@bp.get("/organisaties")
@bp.get("/organisaties.json", endpoint="browse_json")
@bp.get("/organisaties.csv", endpoint="browse_csv")
def browse() -> Response:
    context = ctx()
    version = context.version()
    facets = facets_for(version, context.iris)
    chosen = _chosen(facets)
    page = _page()
    if request.path.endswith(".csv"):
        fmt = RESULTS_CSV
    elif request.path.endswith(".json"):
        fmt = JSON
    else:
        fmt = http.html_or_json()
    # the HTML page is one per page language (web/i18n.py)
    etag = f"{version.id}.facets.{fmt.name}" + (f".{i18n.variant()}" if fmt is HTML else "")
    if http.is_fresh(etag, version.last_modified):
        response = http.not_modified(etag, version.last_modified)
        if fmt is HTML and (language_vary := i18n.vary()):
            response.vary.add(language_vary)
    else:
        selection = facets.index.select(chosen)
        if fmt is RESULTS_CSV:
            response = _csv(facets, selection)
        else:
            view = _view(facets, chosen, selection, page,
                         "facets.browse_json" if request.path.endswith(".json")
                         else "facets.browse")
            if fmt is JSON:
                response = jsonify(version=version.id, **view)
            else:
                response = Response(render_template("facets.html", **view),
                                    mimetype=HTML.media_type)
        http.set_validators(response, etag, version.last_modified)
    if request.path == url_for("facets.browse"):
        response.vary.add("Accept")
    return response
