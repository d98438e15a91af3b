"""``/tpf``: the Triple Pattern Fragments interface (Linked Data Fragments specification).

``/tpf`` is the fragment of every triple; ``/tpf?subject=…&predicate=…&object=…`` the fragment
of a triple pattern (the ``hydra:search`` template ``/tpf{?subject,predicate,object}``), and
``&page=n`` its pages of :data:`~midwest_lod.fragments.reading.PAGE_SIZE` triples. Each page
gives the matching triples of the version being served, their count (``void:triples``,
``hydra:totalItems``), ``hydra:first``/``previous``/``next`` and the search form, in TriG,
N-Quads, JSON-LD (metadata in a named graph), Turtle, N-Triples, RDF/XML (one graph) or as a
readable page with the form (HTML), negotiated by Accept. CORS as everywhere (``*``).
docs/decisions/0017-fragments.md.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request

from midwest_lod.errors import BadRequest, NotAcceptable
from midwest_lod.formats import FRAGMENT_FORMATS, HTML, Format
from midwest_lod.fragments.controls import Controls, quads
from midwest_lod.fragments.pattern import (
    PAGE,
    VARIABLES,
    Pattern,
    iri_query,
    read_pattern,
    write,
)
from midwest_lod.fragments.reading import PAGE_SIZE, Page, fragments_for
from midwest_lod.iris import TPF_PATH
from midwest_lod.vocab import FRAGMENT_PREFIXES, prefixes_for
from midwest_lod.web import http, i18n
from midwest_lod.web.context import ctx

bp = Blueprint("fragments", __name__)

#: The highest page number asked for (a page past the end is empty, with its controls).
MAX_PAGE = 10_000_000


def _page_number() -> int:
    raw = request.args.get(PAGE, "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(f"The parameter '{PAGE}' must be a whole number from 1 to "
                         f"{MAX_PAGE}, not {raw[:40]!r}.")
    return int(raw)


def _check_parameters() -> None:
    unknown = sorted(set(request.args) - {*VARIABLES, PAGE, i18n.PARAMETER})
    if unknown:
        raise BadRequest(f"Unknown parameter {unknown[0][:40]!r}: a fragment takes "
                         f"{', '.join(VARIABLES)} and '{PAGE}'.")


@bp.get(TPF_PATH)
def fragment() -> Response:
    context = ctx()
    version = context.version()
    _check_parameters()
    pattern = read_pattern(request.args)
    number = _page_number()
    fmt = http.negotiate(FRAGMENT_FORMATS)
    if fmt is None:
        raise NotAcceptable("None of the formats you accept is available for a fragment.",
                            details=[f.media_type for f in FRAGMENT_FORMATS],
                            headers={"Vary": "Accept"})
    # the page IRI is the URL asked for (clients look its controls up by it), under the base
    query = iri_query(request.query_string.decode("utf-8", errors="replace"))
    page_iri = str(context.iris.fragments) + (f"?{query}" if query else "")
    controls = Controls(context.iris, pattern, page_iri, number)
    if fmt is HTML:
        canonical = _local(controls.page_url(number))
        if _local(page_iri) != i18n.page_href(canonical) and _local(page_iri) != canonical:
            # a browser's form sends empty fields: show the page under its one URL
            return redirect(i18n.page_href(canonical), 303)  # type: ignore[return-value]
    # the HTML page is one per page language (web/i18n.py)
    variant = f".{i18n.variant()}" if fmt is HTML else ""
    etag = f"{version.id}.tpf.{fmt.name}{variant}"
    if http.is_fresh(etag, version.last_modified):
        response = http.not_modified(etag, version.last_modified, vary="Accept")
        if fmt is HTML and (language_vary := i18n.vary()):
            response.vary.add(language_vary)
    else:
        key = ("tpf", page_iri, fmt.name + variant)
        body = version.documents.get(key)
        if body is None:
            page = fragments_for(version, context.iris).page(pattern, number)
            body = _render(controls, page, fmt)
            version.documents.put(key, body)
        response = Response(body, content_type=fmt.charset_media_type)
        http.set_validators(response, etag, version.last_modified)
        response.vary.add("Accept")
    return response


def _render(controls: Controls, page: Page, fmt: Format) -> bytes:
    if fmt is HTML:
        return render_template("fragments.html", **_view(controls, page)).encode("utf-8")
    assert fmt.rdf_format is not None
    in_graphs = fmt.rdf_format.supports_datasets
    prefixes = {**prefixes_for(controls.iris.base), **FRAGMENT_PREFIXES}
    return ox.serialize(quads(controls, page, in_graphs=in_graphs), format=fmt.rdf_format,
                        prefixes=prefixes) or b""


def _local(url: str) -> str:
    """A URL under the base as a path of this server (the readable page's links)."""
    return ctx().iris.path_of(url) or url


def _term(term: object, position: str, pattern: Pattern) -> dict[str, str | None]:
    """A term of a triple on the readable page: its text, and a link to the fragment with it
    in the same position (or, for a literal object, nothing)."""
    if isinstance(term, ox.NamedNode):
        linked = Pattern(**{position: term})
        return {"text": term.value, "href": _local(
            Controls(ctx().iris, linked, "", 1).fragment), "literal": None}
    assert isinstance(term, ox.Literal)
    return {"text": write(term), "href": None, "literal": term.value}


def _view(controls: Controls, page: Page) -> dict[str, object]:
    pattern = controls.pattern
    values = dict(zip(VARIABLES, (pattern.subject, pattern.predicate, pattern.object),
                      strict=True))
    first_item = (controls.number - 1) * PAGE_SIZE + 1
    return {
        "values": {name: write(term) if term is not None else "" for name, term in values.items()},
        "count": page.count, "number": controls.number, "page_size": PAGE_SIZE,
        "first_item": first_item, "last_item": first_item + len(page.triples) - 1,
        "rows": [{"subject": _term(t.subject, "subject", pattern),
                  "predicate": _term(t.predicate, "predicate", pattern),
                  "object": _term(t.object, "object", pattern)} for t in page.triples],
        "previous": _local(controls.page_url(controls.number - 1)) if controls.number > 1
        else None,
        "next": _local(controls.page_url(controls.number + 1)) if page.has_next else None,
        "template": controls.template, "fragment": controls.fragment,
        "formats": [f.media_type for f in FRAGMENT_FORMATS if f is not HTML],
    }
