"""Search (``/zoeken``, HTML or JSON) and suggestions for autocompletion (``/zoeken/suggesties``).

``/zoeken?q=`` answers HTML or JSON by the Accept header; ``/zoeken.json?q=`` is the JSON
always (a link to share). Hits are ranked exact label, label prefix, whole words in a label,
description (:mod:`midwest_lod.search.index`); each carries its kind (the class, with its Dutch
label) and its municipality where it has one. ``/zoeken/suggesties?q=`` answers JSON only,
from labels, for autocompletion in the search box every page carries (a plain form that opens
``/zoeken``; the pages carry no script yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from midwest_lod.errors import BadRequest
from midwest_lod.formats import HTML, JSON
from midwest_lod.publication import Version
from midwest_lod.search.index import TIERS, Hit, Item, SearchIndex
from midwest_lod.web import http, i18n
from midwest_lod.web.context import AppContext, ctx
from midwest_lod.web.describe import pick_labels, vocabulary_labels
from midwest_lod.web.search import index_for

bp = Blueprint("search", __name__)

#: Longest query accepted (characters); names are far shorter.
MAX_QUERY_LENGTH = 200
#: Results of a search: default and most.
SEARCH_LIMIT, MAX_SEARCH_LIMIT = 20, 100
#: Suggestions: default and most.
SUGGEST_LIMIT, MAX_SUGGEST_LIMIT = 8, 20
#: The catalogue's words for where a hit matched (the HTML page), one per tier.
TIER_KEYS = {tier: f"search.found_in.{tier}" for tier in TIERS}


def _query(*, required: bool) -> str:
    value = request.args.get("q", "").strip()
    if len(value) > MAX_QUERY_LENGTH:
        raise BadRequest(f"The parameter 'q' is {len(value)} characters long; at most "
                         f"{MAX_QUERY_LENGTH} are allowed.")
    if required and not value:
        raise BadRequest("The parameter 'q' is missing or empty: give the text to look for, "
                         "for example ?q=Mariasteen.")
    return value


def _limit(default: int, most: int) -> int:
    raw = request.args.get("limit")
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise BadRequest(f"The parameter 'limit' must be a whole number from 1 to {most}, "
                         f"not {raw[:40]!r}.")
    return int(raw)


class _View:
    """Labels and links for hits (kinds from the vocabulary, municipalities from the index)."""

    def __init__(self, context: AppContext, index: SearchIndex) -> None:
        self.context = context
        self.index = index
        self.kinds = vocabulary_labels(context.version(), context.queries, context.iris)

    def href(self, iri: str) -> str:
        return self.context.describer.href(iri) or iri

    def url(self, iri: str) -> str:
        href = self.href(iri)
        return request.host_url.rstrip("/") + href if href.startswith("/") else href

    def kind(self, item: Item) -> dict[str, Any] | None:
        if item.kind is None:
            return None
        label, label_en = pick_labels(self.kinds.get(item.kind), item.kind.rsplit("#", 1)[-1])
        return {"iri": item.kind, "label": label, "label_en": label_en}

    def thing(self, iri: str | None) -> dict[str, Any] | None:
        if iri is None:
            return None
        found = self.index.item(iri)
        return {"iri": iri, "url": self.url(iri), "href": self.href(iri),
                "label": found.label if found else iri,
                "valid_through": found.valid_through if found else None}

    def hit(self, hit: Hit) -> dict[str, Any]:
        item = hit.item
        return {
            "iri": item.iri, "url": self.url(item.iri), "href": self.href(item.iri),
            "label": item.label, "label_en": item.label_en,
            "match": hit.match, "matched": hit.text,
            "kind": self.kind(item),
            "municipality": self.thing(item.municipality),
            "valid_through": item.valid_through,
            "replaced_by": self.thing(item.replaced_by),
        }


@dataclass(frozen=True)
class _Asked:
    """What a search or suggestion request asks, against which published version."""

    query: str
    limit: int
    context: AppContext
    version: Version
    etag: str

    @classmethod
    def read(cls, tag: str, *, required: bool, default: int, most: int) -> _Asked:
        query = _query(required=required)
        limit = _limit(default, most)
        context = ctx()
        version = context.version()
        return cls(query, limit, context, version, f"{version.id}.{tag}")

    def is_fresh(self) -> bool:
        return http.is_fresh(self.etag, self.version.last_modified)

    def not_modified(self) -> Response:
        return http.not_modified(self.etag, self.version.last_modified)

    def validated(self, response: Response) -> Response:
        return http.set_validators(response, self.etag, self.version.last_modified)

    def view(self) -> _View:
        return _View(self.context, index_for(self.version, self.context.iris))


@bp.get("/zoeken")
@bp.get("/zoeken.json", endpoint="search_json")
def search() -> Response:
    as_json = request.path.endswith(".json") or http.html_or_json() is JSON
    # the HTML page is one per page language (web/i18n.py)
    asked = _Asked.read("search.json" if as_json else f"search.html.{i18n.variant()}",
                        required=as_json, default=SEARCH_LIMIT, most=MAX_SEARCH_LIMIT)
    if asked.is_fresh():
        response = asked.not_modified()
        if not as_json and (language_vary := i18n.vary()):
            response.vary.add(language_vary)
    else:
        view = asked.view()
        query, limit = asked.query, asked.limit
        hits = [view.hit(hit) for hit in view.index.search(query, limit)] if query else []
        if as_json:
            response = jsonify(query=query, limit=limit, version=asked.version.id, results=hits)
        else:
            response = Response(render_template(
                "search.html", query=query, limit=limit, hits=hits,
                max_length=MAX_QUERY_LENGTH), mimetype=HTML.media_type)
        asked.validated(response)
    if not request.path.endswith(".json"):
        response.vary.add("Accept")
    return response


@bp.get("/zoeken/suggesties")
def suggest() -> Response:
    asked = _Asked.read("suggest", required=True, default=SUGGEST_LIMIT, most=MAX_SUGGEST_LIMIT)
    if asked.is_fresh():
        return asked.not_modified()
    view = asked.view()
    suggestions = []
    for hit in view.index.suggest(asked.query, asked.limit):
        kind = view.kind(hit.item)
        municipality = view.thing(hit.item.municipality)
        suggestions.append({
            "label": hit.item.label, "matched": hit.text, "iri": hit.item.iri,
            "href": view.href(hit.item.iri),
            "kind": kind["label"] if kind else None,
            "municipality": municipality["label"] if municipality else None,
            "valid_through": hit.item.valid_through,
        })
    return asked.validated(jsonify(query=asked.query, suggestions=suggestions))
