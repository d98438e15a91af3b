"""The special cases of a site's address: the full address composed from its parts, the
site's municipality, and the address-register link cached in ``links/addresses.csv``."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from rdflib import Literal, URIRef

from midwest_lod.pipeline.emitter import INFERRED, Origin, Support
from midwest_lod.pipeline.mapping.datatypes import NIS_CODE
from midwest_lod.pipeline.mapping.rows import LABEL, MW
from midwest_lod.pipeline.mapping.writer import Current, Writer
from midwest_lod.pipeline.sources import Row, SourceFile, load_csv
from midwest_lod.pipeline.values import Record, date_literal, is_absolute_url
from midwest_lod.vocab import ADRES, LOCN

#: The cache of `midwest-lod link addresses` (data/README.md, "data/links/").
ADDRESS_LINKS = "links/addresses.csv"
ADDRESS_LINK_COLUMNS = ("actor", "site", "address", "full_address", "score", "response_date",
                        "request_url")
ADDRESS_REGISTER = "https://data.vlaanderen.be/id/adres/"
PARTS = ("street", "number", "postcode", "locality")


class AddressLinks:
    """The rows of ``links/addresses.csv`` by (actor, site): read once, when first asked."""

    def __init__(self, read: Callable[[], SourceFile | None]) -> None:
        self._read = read
        self._rows: dict[tuple[str, str], Row] | None = None

    def get(self, actor: str, site: str) -> Row | None:
        if self._rows is None:
            self._rows = {}
            source = self._read()
            if source is not None:
                for row in load_csv(source, required=ADDRESS_LINK_COLUMNS):
                    key = (row.get("actor"), row.get("site"))
                    if key in self._rows:
                        raise row.error("site", f"site {key[1]!r} of {key[0]!r} is linked "
                                        "twice; run `midwest-lod link addresses` again")
                    self._rows[key] = row
        return self._rows.get((actor, site))


def _parts(rec: Current) -> tuple[dict[str, str], list[Support]]:
    """The parts the address gives (as written) and their supports."""
    assert isinstance(rec.reader, Record)
    parts: dict[str, str] = {}
    supports: list[Support] = []
    for name in PARTS:
        item = rec.reader.sourced(name, default=rec.support)
        if item is not None:
            parts[name] = str(item.value).strip()
            supports.append(item.support)
    return parts, supports


def full_address(writer: Writer, rec: Current) -> None:
    """``locn:fullAddress`` and the label: "street number, postcode locality", only as
    certain as its weakest part."""
    parts, supports = _parts(rec)
    if not parts:
        raise rec.reader.error(None, "an address needs at least a street or a postcode")
    street = " ".join(p for p in (parts.get("street"), parts.get("number")) if p)
    place = " ".join(p for p in (parts.get("postcode"), parts.get("locality")) if p)
    full = ", ".join(p for p in (street, place) if p)
    composed = rec.support
    inferred = [p for p in supports if p.basis == INFERRED]
    if inferred:
        composed = Support(
            tuple(src for p in supports for src in p.sources), INFERRED,
            "Composed from address parts of which some are inferred: "
            + "; ".join(sorted({p.reason for p in inferred})))
    writer.emit(rec.subject, LOCN.fullAddress, Literal(full), composed, rec.origin)
    writer.state(rec.subject, LABEL, [Literal(full, lang="nl")], composed, rec.origin)


def site_municipality(writer: Writer, rec: Current) -> None:
    """The address lies in its site's municipality."""
    site = rec.parent
    assert site is not None
    if site.reader.has("municipality"):
        terms = NIS_CODE.terms(site.reader.get("municipality"),
                                   site.reader.origin("municipality"), writer.iris)
        writer.state(rec.subject, [MW.municipality], terms, rec.support, rec.origin)


def register_link(writer: Writer, rec: Current) -> None:
    """``adres:verwijstNaar`` from the adresmatch cache: inferred (a register match),
    derived from the API answer (the request URL), with the answer's date in the reason."""
    site = rec.parent
    assert site is not None and site.parent is not None
    actor, site_key = site.parent.key, site.key
    row = writer.address_link(actor, site_key)
    if row is None:
        return
    target = row.get("address")
    if not target.startswith(ADDRESS_REGISTER) or \
            not target[len(ADDRESS_REGISTER):].isdigit():
        raise row.error("address", f"{target!r} is not an address register IRI "
                        f"({ADDRESS_REGISTER}{{id}})")
    url = row.get("request_url")
    if not is_absolute_url(url):
        raise row.error("request_url", f"{url!r} is not an absolute URL")
    date = date_literal(row.get("response_date"), Origin(row.path, row.line, "response_date"))
    asked = {k: v[0].strip().lower() for k, v in parse_qs(urlsplit(url).query).items()}
    now = {k: v.strip().lower() for k, v in _parts(rec)[0].items()}
    number = now.get("number", "")
    if asked.get("straatnaam", "") != now.get("street", "") or \
            asked.get("postcode", now.get("postcode", "")) != now.get("postcode", "") or \
            not (number == asked.get("huisnummer") or
                 number.startswith(f"{asked.get('huisnummer')} ")):
        raise row.error("request_url", f"the address of site {site_key!r} of {actor!r} changed "
                        "since it was linked; run `midwest-lod link addresses` again")
    reason = (f"Matched with the address register by the Basisregisters Vlaanderen "
              f"adresmatch API, answer of {date}: {row.get('full_address')} "
              f"(score {row.get('score')}), the only acceptable match.")
    writer.emit(rec.subject, ADRES.verwijstNaar, URIRef(target),
                Support((url,), INFERRED, reason), Origin(row.path, row.line, "address"))
