"""The home page (what the dataset is, where the endpoint, dumps and vocabulary are) and the
index pages per kind: actors, themes, principles, initiative types, municipalities."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request
from pyoxigraph import Literal, NamedNode

from midwest_lod.errors import NotFound
from midwest_lod.formats import HTML
from midwest_lod.web import http, i18n
from midwest_lod.web.context import AppContext, ctx
from midwest_lod.web.describe import local_name, pick_label, vocabulary_labels

bp = Blueprint("home", __name__)


@dataclass(frozen=True)
class Index:
    """An index page: the members of a class or the concepts of a scheme. Its title and
    introduction are the catalogue's ``index.<slug>.title`` and ``index.<slug>.intro``."""

    slug: str
    class_term: str | None = None  # local name in the project vocabulary
    scheme: str | None = None  # concept scheme key


INDEXES = (
    Index("actoren", class_term="SocialEconomyActor"),
    Index("themas", scheme="Thema"),
    Index("basisprincipes", scheme="Basisprincipe"),
    Index("initiatieftypes", scheme="Initiatieftype"),
    Index("gemeenten", class_term="Municipality"),
)
BY_SLUG = {index.slug: index for index in INDEXES}


@dataclass
class Row:
    href: str
    label: str
    label_lang: str  # "" for a label without language
    code: str | None
    actors: int
    order: int | None


def index_rows(context: AppContext, index: Index, language: str = i18n.DEFAULT) -> list[Row]:
    """The rows of an index page in ``language`` (labels in it where they exist)."""
    version = context.version()
    cache_key = f"index:{index.slug}:{language}"
    cached: list[Row] | None = version.cache.get(cache_key)
    if cached is not None:
        return cached
    if index.class_term:
        bindings = {"class": NamedNode(context.iris.vocab[index.class_term])}
        result = context.queries.run(version.store, "index-class", bindings=bindings)
    else:
        result = context.queries.run(
            version.store, "index-scheme",
            bindings={"scheme": NamedNode(context.iris.scheme(str(index.scheme)))})
    labels: dict[str, dict[str, str]] = {}
    extra: dict[str, tuple[str | None, int, int | None]] = {}
    for row in result:
        item = row["item"].value
        by_lang = labels.setdefault(item, {})
        if isinstance(row["label"], Literal):
            by_lang.setdefault(row["label"].language or "", row["label"].value)
        code = row["code"].value if row["code"] is not None else None
        actors = int(row["actors"].value) if row["actors"] is not None else 0
        order = int(row["order"].value) if isinstance(row["order"], Literal) and \
            row["order"].value.lstrip("-").isdigit() else None
        extra[item] = (code, actors, order)
    rows = []
    for item, by_lang in labels.items():
        label, label_lang = pick_label(by_lang, local_name(item), language)
        code, actors, order = extra[item]
        rows.append(Row(context.describer.href(item) or item, label, label_lang, code, actors,
                        order))
    rows.sort(key=lambda r: (r.order if r.order is not None else 1 << 30, r.label.lower()))
    version.cache[cache_key] = rows
    return rows


def _etag(version_id: str) -> str:
    return f"{version_id}.html.{i18n.variant()}"


def _html(body: str) -> Response:
    version = ctx().version()
    response = Response(body, mimetype=HTML.media_type)
    return http.set_validators(response, _etag(version.id), version.last_modified)


def _not_modified() -> Response | None:
    version = ctx().version()
    if http.is_fresh(_etag(version.id), version.last_modified):
        return http.not_modified(_etag(version.id), version.last_modified,
                                 vary=i18n.vary())
    return None


@bp.get("/")
def home() -> Response:
    context = ctx()
    version = context.version()
    if (unchanged := _not_modified()) is not None:
        return unchanged
    counts = {index.slug: len(index_rows(context, index)) for index in INDEXES}
    dumps = version.dumps()
    jsonld = {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": "Sociale economie Midwest",
        "description": "Linked Open Data over de sociale economie in Midden-West-Vlaanderen: "
                       "actoren, thema's, basisprincipes, soorten initiatieven en gemeenten, "
                       "elk feit met zijn bron.",
        "inLanguage": ["nl", "en"], "url": request.host_url,
        "license": context.settings.license_iri, "version": version.id,
        "dateModified": version.last_modified.isoformat(),
        "distribution": [{"@type": "DataDownload",
                          "contentUrl": f"{request.host_url}dumps/{d.file}",
                          "encodingFormat": d.media_type, "contentSize": f"{d.bytes} B"}
                         for d in dumps],
    }
    return _html(render_template(
        "home.html", version=version, indexes=INDEXES, counts=counts, dumps=dumps, jsonld=jsonld,
        vocabulary=context.iris.document_path(str(context.iris.vocab_document)),
        vocab_labels=len(vocabulary_labels(version, context.queries, context.iris)),
    ))


@bp.get("/<slug>")
def index_page(slug: str) -> Response:
    index = BY_SLUG.get(slug)
    if index is None:
        raise NotFound(f"There is no page {slug!r}.",
                       details=["Index pages: " + ", ".join(f"/{i.slug}" for i in INDEXES)])
    context = ctx()
    if (unchanged := _not_modified()) is not None:
        return unchanged
    scheme_href = (context.describer.href(str(context.iris.scheme(index.scheme)))
                   if index.scheme else None)
    return _html(render_template("index.html", index=index,
                                 rows=index_rows(context, index, i18n.page_lang()),
                                 indexes=INDEXES, scheme_href=scheme_href))
