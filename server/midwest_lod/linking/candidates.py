"""Candidate enterprises for each actor, from a KBO extract. Proposals only: never a match.

Rules (also in data/README.md, "data/review/"):

* **names**: every name of the actor (``name`` and ``legal_name``, all languages) is compared
  with every denomination of type 001 (name), 002 (abbreviation) and 003 (commercial name) of
  an enterprise, after normalisation (:mod:`.names`). The name score is the best difflib
  similarity over those pairs; a denomination is a candidate from ``min_name`` (0.75) up.
* **place**: the seat address of the enterprise (``address.csv``, type ``REGO``, not struck
  off) is compared with the actor's municipalities (``active_in`` and the sites'
  ``municipality``, with their successors after a merger): same postcode, or the same
  municipality or locality name (``municipalities.csv``).
* **score** = 0.8 × name score + 0.2 × (1 if the place matches, else 0), two decimals. At most
  ``limit`` candidates per actor, best first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from midwest_lod.errors import LinkError
from midwest_lod.linking.actors import Actor
from midwest_lod.linking.kbo import ENTERPRISE_NUMBER, Extract, kbo_date
from midwest_lod.linking.names import normalise, removed_words, similarity, trigrams
from midwest_lod.linking.places import PlaceMatcher, Places

DENOMINATION_TYPES = ("001", "002", "003")
SEAT = "REGO"
NAME_WEIGHT = 0.8
PLACE_WEIGHT = 0.2
#: Share of an actor name's trigrams a denomination must have before difflib runs.
TRIGRAM_SHARE = 0.5


@dataclass
class _Hit:
    similarity: float
    actor_name: str
    denomination: str
    type_code: str
    language: str


@dataclass
class Candidate:
    actor: str
    number: str  # as in the extract: 0123.456.749
    denomination: str
    address: str
    score: float
    reasons: list[str]
    juridical_form: str = ""
    start_date: str = ""


@dataclass
class _Target:
    actor: int
    name: str
    normalised: str
    trigrams: set[str] = field(default_factory=set)


def find_candidates(extract: Extract, actors: list[Actor], places: Places, *,
                    min_name: float = 0.75, limit: int = 10) -> dict[str, list[Candidate]]:
    """Candidates per actor key (every actor given gets an entry, possibly empty)."""
    targets = [_Target(i, name, normalise(name)) for i, actor in enumerate(actors)
               for name in actor.names]
    targets = [t for t in targets if t.normalised]
    by_trigram: dict[str, list[int]] = defaultdict(list)
    for index, target in enumerate(targets):
        target.trigrams = trigrams(target.normalised)
        for gram in target.trigrams:
            by_trigram[gram].append(index)
    hits: dict[tuple[int, str], _Hit] = {}
    for row in extract.rows("denomination.csv"):
        type_code = row["TypeOfDenomination"].strip()
        number = row["EntityNumber"].strip()
        if type_code not in DENOMINATION_TYPES or not ENTERPRISE_NUMBER.match(number):
            continue
        denomination = row["Denomination"].strip()
        normalised = normalise(denomination)
        if not normalised:
            continue
        shared: dict[int, int] = defaultdict(int)
        for gram in trigrams(normalised):
            for index in by_trigram.get(gram, ()):
                shared[index] += 1
        for index, count in shared.items():
            target = targets[index]
            if count < TRIGRAM_SHARE * len(target.trigrams):
                continue
            score = similarity(target.normalised, normalised, min_name)
            key = (target.actor, number)
            if score >= min_name and (key not in hits or score > hits[key].similarity):
                hits[key] = _Hit(score, target.name, denomination, type_code,
                                 row["Language"].strip())
    numbers = {number for _, number in hits}
    seats = _seats(extract, numbers)
    enterprises = _enterprises(extract, numbers)
    result: dict[str, list[Candidate]] = {actor.key: [] for actor in actors}
    for (actor_index, number), hit in hits.items():
        if number not in enterprises:  # not an active enterprise in this extract
            continue
        actor = actors[actor_index]
        matcher = PlaceMatcher(tuple(places.expand(actor.nis_codes)))
        result[actor.key].append(_candidate(extract, actor, number, hit, seats.get(number),
                                            enterprises[number], matcher))
    for actor_key, items in result.items():
        items.sort(key=lambda c: (-c.score, c.number))
        result[actor_key] = items[:limit]
    return result


def _candidate(extract: Extract, actor: Actor, number: str, hit: _Hit,
               seat: dict[str, str] | None, enterprise: dict[str, str],
               matcher: PlaceMatcher) -> Candidate:
    codes = extract.codes
    kind = codes.describe("TypeOfDenomination", hit.type_code)
    language = codes.describe("Language", hit.language) if hit.language else "?"
    reasons = [f"name {hit.actor_name!r} ~ {kind} {hit.denomination!r} ({language}): "
               f"{hit.similarity:.2f}"]
    dropped = sorted(set(removed_words(hit.actor_name) + removed_words(hit.denomination)))
    if dropped:
        reasons.append(f"legal-form words ignored: {', '.join(dropped)}")
    place_score = 0.0
    if seat is None:
        address = ""
        reasons.append("no seat address in the extract")
    else:
        address = _address_text(seat)
        postcode = seat["Zipcode"].strip()
        names = (seat["MunicipalityNL"], seat["MunicipalityFR"])
        municipality = matcher.match(postcode, names)
        if municipality is not None:
            place_score = 1.0
            reasons.append(f"seat {postcode} {_first(*names)} lies in "
                           f"{municipality.name_nl} ({municipality.nis}), a municipality of "
                           "the actor")
        elif not matcher.municipalities:
            reasons.append("the actor has no municipality in data/ to compare the seat with")
        else:
            known = ", ".join(f"{m.name_nl} ({m.nis})" for m in matcher.municipalities)
            reasons.append(f"seat {postcode} {_first(*names)} is not in the actor's "
                           f"municipalities ({known})")
    form = enterprise["JuridicalForm"].strip()
    start = enterprise["StartDate"].strip()
    return Candidate(
        actor=actor.key, number=number, denomination=hit.denomination, address=address,
        score=round(NAME_WEIGHT * hit.similarity + PLACE_WEIGHT * place_score, 2),
        reasons=reasons,
        juridical_form=codes.describe("JuridicalForm", form) if form else "",
        start_date=_date_or_text(start),
    )


def _seats(extract: Extract, numbers: set[str]) -> dict[str, dict[str, str]]:
    seats: dict[str, dict[str, str]] = {}
    for row in extract.rows("address.csv"):
        number = row["EntityNumber"].strip()
        if number in numbers and row["TypeOfAddress"].strip() == SEAT \
                and not row["DateStrikingOff"].strip():
            seats.setdefault(number, row)
    return seats


def _enterprises(extract: Extract, numbers: set[str]) -> dict[str, dict[str, str]]:
    return {row["EnterpriseNumber"].strip(): row for row in extract.rows("enterprise.csv")
            if row["EnterpriseNumber"].strip() in numbers}


def _date_or_text(text: str) -> str:
    """A KBO date as ISO; an unreadable one as written (one bad row must not stop the run)."""
    try:
        return kbo_date(text, where="") if text else ""
    except LinkError:
        return text


def _first(*values: str) -> str:
    return next((v.strip() for v in values if v and v.strip()), "")


def _address_text(row: dict[str, str]) -> str:
    street = _first(row["StreetNL"], row["StreetFR"])
    number = row["HouseNumber"].strip()
    box = row["Box"].strip()
    line1 = " ".join(p for p in (street, number, f"bus {box}" if box else "") if p)
    line2 = " ".join(p for p in (row["Zipcode"].strip(),
                                  _first(row["MunicipalityNL"], row["MunicipalityFR"])) if p)
    country = _first(row["CountryNL"], row["CountryFR"])
    return ", ".join(p for p in (line1, line2, country) if p)


def count(candidates: Iterable[list[Candidate]]) -> int:
    return sum(len(items) for items in candidates)
