"""Linking actor site addresses to the address register (Basisregisters Vlaanderen adresmatch).

For every site of ``data/actors/*.yaml`` with a street and a house number, one
``GET {address_api_url}adresmatch?...`` asks the register for matching addresses. A link is
kept only when the answer is unambiguous (:func:`choose`):

1. entries without an ``identificator`` (street- or municipality-only matches) are no address;
2. when the site gives no box number, addresses with a ``busnummer`` (units) are set aside;
3. retired or rejected addresses (``adresStatus`` gehistoreerd / afgekeurd) and addresses with
   another house number are set aside;
4. of the rest, those with ``score`` ≥ ``min_score`` (90) are eligible; the link is made when
   exactly one address is eligible, or when the best one's score exceeds the second's by at
   least ``margin`` (10). Otherwise the site stays unlinked (reported as ambiguous).

The links go to the cache ``data/links/addresses.csv`` (:data:`CACHE_COLUMNS`), which the
build reads offline. The cache is written once, atomically, at the end of a run that had no
error; any network error, non-2xx answer or malformed JSON stops the run with a message naming
the site, the URL and the problem, and leaves the cache as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from midwest_lod.config import Settings
from midwest_lod.errors import LinkError
from midwest_lod.files import write_atomically
from midwest_lod.formats import JSON
from midwest_lod.linking.actors import SiteAddress, read_actors
from midwest_lod.linking.http import PoliteClient
from midwest_lod.linking.places import Places

CACHE = "links/addresses.csv"
CACHE_COLUMNS = ("actor", "site", "address", "full_address", "score", "response_date",
                 "request_url")
ADDRESS_IRI = "https://data.vlaanderen.be/id/adres/{object_id}"
RETIRED = frozenset({"gehistoreerd", "afgekeurd"})
_BOX = re.compile(r"^\s*(\S+?)\s*(?:,?\s*(?:bus|bte|boîte|b)\s*\.?\s*)(\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    actor: str
    site: str
    address: str  # the register IRI
    full_address: str
    score: str
    response_date: str
    request_url: str

    def row(self) -> list[str]:
        return [self.actor, self.site, self.address, self.full_address, self.score,
                self.response_date, self.request_url]


@dataclass(frozen=True)
class Outcome:
    site: SiteAddress
    status: str  # linked, no-match, ambiguous, skipped
    detail: str
    link: Link | None = None


@dataclass(frozen=True)
class _Match:
    object_id: str
    score: float
    full_address: str
    house_number: str
    box: str
    status: str


def split_number(number: str) -> tuple[str, str]:
    """``"14 bus 2"`` → ``("14", "2")``; ``"14"`` → ``("14", "")``."""
    match = _BOX.match(number)
    return (match.group(1), match.group(2)) if match else (number.strip(), "")


def request_params(site: SiteAddress, places: Places) -> tuple[dict[str, str] | None, str]:
    """The adresmatch query for a site, or None and why the site is skipped."""
    if not site.street:
        return None, "no street"
    if not site.number:
        return None, "no house number (a register address always has one)"
    house, box = split_number(site.number)
    params = {"straatnaam": site.street, "huisnummer": house}
    if box:
        params["busnummer"] = box
    if site.postcode:
        params["postcode"] = site.postcode
    current = places.current(site.municipality) if site.municipality else None
    if current is not None:  # a pre-merger code is asked as the municipality of today
        params["niscode"] = current.nis
        params["gemeentenaam"] = current.name_nl
    elif site.locality:
        params["gemeentenaam"] = site.locality
    if not ({"postcode", "niscode", "gemeentenaam"} & set(params)):
        return None, "no postcode, municipality or locality"
    ordered = ("gemeentenaam", "niscode", "postcode", "straatnaam", "huisnummer", "busnummer")
    return {k: params[k] for k in ordered if k in params}, ""


def _malformed(what: str) -> ValueError:
    return ValueError(f"unexpected answer format: {what}")


def parse_matches(payload: Any) -> list[_Match]:
    """The address entries of an adresmatch answer; ValueError when its shape is wrong."""
    if not isinstance(payload, dict) or not isinstance(payload.get("adresMatches"), list):
        raise _malformed("no list 'adresMatches'")
    matches = []
    for entry in payload["adresMatches"]:
        if not isinstance(entry, dict):
            raise _malformed("an entry of 'adresMatches' is not an object")
        ident = entry.get("identificator")
        if ident is None:
            continue
        object_id = str(ident.get("objectId", "")) if isinstance(ident, dict) else ""
        if not object_id.isdigit():
            raise _malformed(f"identificator.objectId {object_id!r} is not a number")
        score = entry.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise _malformed(f"score {score!r} of address {object_id} is not a number")
        full = entry.get("volledigAdres") or {}
        spelling = ((full.get("geografischeNaam") or {}).get("spelling", "")
                    if isinstance(full, dict) else "")
        matches.append(_Match(object_id, float(score), str(spelling),
                              str(entry.get("huisnummer") or ""), str(entry.get("busnummer") or ""),
                              str(entry.get("adresStatus") or "")))
    return matches


def choose(matches: list[_Match], site: SiteAddress, *, min_score: float,
           margin: float) -> tuple[_Match | None, str]:
    """The one acceptable match (see the module rules), or None and why not."""
    house, box = split_number(site.number)
    unique = {m.object_id: m for m in matches}
    eligible, set_aside = [], []
    for m in unique.values():
        if m.box and not box:
            set_aside.append(f"{m.object_id} is a unit (bus {m.box})")
        elif m.status.lower() in RETIRED:
            set_aside.append(f"{m.object_id} is {m.status}")
        elif m.house_number and m.house_number.replace(" ", "").lower() != \
                house.replace(" ", "").lower():
            set_aside.append(f"{m.object_id} has house number {m.house_number}")
        elif m.score < min_score:
            set_aside.append(f"{m.object_id} scores {m.score:g} < {min_score:g}")
        else:
            eligible.append(m)
    eligible.sort(key=lambda m: -m.score)
    aside = f" (set aside: {'; '.join(set_aside)})" if set_aside else ""
    if not eligible:
        return None, ("the register has no matching address" if not unique
                      else "no acceptable match") + aside
    if len(eligible) == 1 or eligible[0].score - eligible[1].score >= margin:
        return eligible[0], f"score {eligible[0].score:g}{aside}"
    tied = ", ".join(f"{m.object_id} ({m.full_address}, {m.score:g})" for m in eligible)
    return None, f"ambiguous: {tied}"


def _describe(exc: requests.RequestException, timeout: float) -> str:
    text = str(exc)
    if isinstance(exc, requests.Timeout) or "timed out" in text.lower() \
            or "ReadTimeout" in text:
        return f"no answer within {timeout:g} s"
    if isinstance(exc, requests.ConnectionError):
        return f"cannot connect ({text})"
    return text


def link_addresses(settings: Settings, *, only: Iterable[str] = (), min_score: float = 90,
                   margin: float = 10, dry_run: bool = False, today: dt.date | None = None,
                   progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Ask the register about every site address; write the cache unless ``dry_run``."""
    root = Path(settings.data_dir)
    places = Places.load(root)
    wanted = set(only)
    actors = [a for a in read_actors(root) if not wanted or a.key in wanted]
    unknown = wanted - {a.key for a in actors}
    if unknown:
        raise LinkError(f"no actor file for {', '.join(sorted(unknown))} in {root / 'actors'}")
    existing = read_cache(root)  # an unreadable cache stops the run before any request
    date = (today or dt.date.today()).isoformat()
    base = settings.address_api_url if settings.address_api_url.endswith("/") \
        else settings.address_api_url + "/"
    headers = {"Accept": JSON.media_type}
    if settings.address_api_key:
        headers["x-api-key"] = settings.address_api_key
    outcomes: list[Outcome] = []
    with PoliteClient(settings, headers=headers) as client:
        for actor in actors:
            for site in actor.addresses:
                params, why = request_params(site, places)
                if params is None:
                    outcome = Outcome(site, "skipped", why)
                else:
                    url = client.prepare_url(base + "adresmatch", params)
                    outcome = _ask(client, site, url, date, settings, min_score, margin)
                outcomes.append(outcome)
                if progress is not None:
                    progress(outcome)
    if not dry_run:
        links = [o.link for o in outcomes if o.link is not None]
        kept = [row for row in existing if wanted and row["actor"] not in wanted]
        write_cache(root, kept, links)
    return outcomes


def _ask(client: PoliteClient, site: SiteAddress, url: str, date: str, settings: Settings,
         min_score: float, margin: float) -> Outcome:
    where = f"site {site.site!r} of {site.actor} ({site.text})"
    try:
        response = client.get(url)
    except requests.RequestException as exc:
        raise LinkError(f"{where}: GET {url}: {_describe(exc, settings.http_timeout)} "
                        f"(after {settings.http_retries} retries); the data files were left "
                        "unchanged") from exc
    with response:
        if not 200 <= response.status_code < 300:
            retried = f" (after {settings.http_retries} retries)" \
                if response.status_code in (429, 500, 502, 503, 504) else ""
            raise LinkError(f"{where}: GET {url}: HTTP {response.status_code} "
                            f"{response.reason}{retried}: {response.text[:300].strip()}; the "
                            "data files were left unchanged")
        try:
            matches = parse_matches(response.json())
        except ValueError as exc:  # also requests' JSONDecodeError
            raise LinkError(f"{where}: GET {url}: the answer is not adresmatch JSON ({exc}); "
                            "the data files were left unchanged") from exc
    match, detail = choose(matches, site, min_score=min_score, margin=margin)
    if match is None:
        status = "ambiguous" if detail.startswith("ambiguous") else "no-match"
        return Outcome(site, status, detail)
    link = Link(site.actor, site.site, ADDRESS_IRI.format(object_id=match.object_id),
                match.full_address, f"{match.score:g}", date, url)
    return Outcome(site, "linked", f"{link.address} {match.full_address} ({detail})", link)


def read_cache(root: Path) -> list[dict[str, str]]:
    path = root / CACHE
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if list(reader.fieldnames or []) != list(CACHE_COLUMNS):
        raise LinkError(f"{path}: unexpected columns {reader.fieldnames}; expected "
                        f"{', '.join(CACHE_COLUMNS)}")
    return list(reader)


def write_cache(root: Path, kept: list[dict[str, str]], links: list[Link]) -> None:
    """Write the whole cache at once: rows ``kept`` from the old one, plus ``links``."""
    rows = [[row[c] for c in CACHE_COLUMNS] for row in kept]
    rows += [link.row() for link in links]
    rows.sort(key=lambda r: (r[0], r[1]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CACHE_COLUMNS)
    writer.writerows(rows)
    write_atomically(root / CACHE, out.getvalue().encode("utf-8"))
