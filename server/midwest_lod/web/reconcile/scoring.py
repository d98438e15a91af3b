"""How well an organisation answers a reconciliation query: a score from 0 to 100, explained
by features (docs/decisions/0016-reconciliation.md).

Names are compared folded (:mod:`midwest_lod.search.text`: case, accents, punctuation and
legal-form words such as "vzw" do not count) and without a leading article ("De", "Den",
"'t"), against every name the organisation goes by (label, alternative and legal names):

========================  =====================================================================
feature                   value
========================  =====================================================================
``name``                  0–1: 1 for the same name, 0.98 for the same letters run together
                          ("PasParToe"), else the better of shared words (Dice) and shared
                          letters (difflib's ratio), times 0.95; a name ending in one of its
                          places counts 0.97 of the name without it ("Kringwinkel Midwest
                          Roeselare")
``name_exact``            the same name (``name`` is 1)
``municipality``          1: one of its municipalities or their localities ("Gits" for
                          Hooglede); 0.5: a municipality these merged with in 2025 (Meulebeke
                          for Tielt); 0: none of them. Absent when we know none of its places
``postcode``              a postcode of its addresses or of its municipalities
``enterprise_number``     its enterprise number (KBO), compared as ten digits
``type``                  of the type asked
========================  =====================================================================

The score is 85 × ``name``, plus 10 × ``municipality`` (−10 when it is 0), ± 5 for the
postcode, +50 (and at least 90) for the same enterprise number and −50 for another one, −15
for another type; at most 100. Candidates scoring under 30 are left out. A candidate is a
``match`` (OpenRefine matches it without asking) when it scores at least 85, no feature
contradicts it, and the next candidate scores at least 10 less.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from midwest_lod.search.text import without_articles, words
from midwest_lod.web.reconcile.entities import Entity, place_key

NAME_WEIGHT = 85
MUNICIPALITY_WEIGHT = 10
POSTCODE_WEIGHT = 5
ENTERPRISE_NUMBER_WEIGHT = 50
TYPE_PENALTY = 15
#: A name that ends in one of the organisation's places counts this much of the name without it.
PLACE_IN_NAME = 0.97
#: Candidates scoring less are left out.
MIN_SCORE = 30
MATCH_SCORE = 85
MATCH_MARGIN = 10

#: Feature ids with their Dutch names (1.0-draft wants a name with each feature).
FEATURE_NAMES = {
    "name": "Naam: gelijkenis (0–1)",
    "name_exact": "Naam: gelijk (hoofdletters, accenten, rechtsvorm en lidwoord tellen niet)",
    "municipality": "Gemeente: 1 een van haar gemeenten of deelgemeenten, 0,5 een fusiegemeente",
    "postcode": "Postcode komt overeen",
    "enterprise_number": "Ondernemingsnummer komt overeen",
    "type": "Van het gevraagde type",
}


@dataclass(frozen=True)
class Asked:
    """One reconciliation query, whatever the version of the API it came in."""

    name: str | None
    type: str | None = None  # class IRI
    strict_type: bool = False  # only candidates of the type (0.2 type_strict "all")
    municipalities: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    enterprise_numbers: tuple[str, ...] = ()  # ten digits each
    limit: int = 5
    #: Features a candidate must have (1.0-draft conditions with ``required``): candidates
    #: where the feature is false, 0 or unknown are left out.
    required: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Feature:
    id: str
    value: bool | float

    @property
    def name(self) -> str:
        return FEATURE_NAMES[self.id]


@dataclass
class Scored:
    entity: Entity
    score: float
    features: list[Feature]
    match: bool = False

    @property
    def contradicted(self) -> bool:
        return any(f.value is False or f.value == 0 for f in self.features
                   if f.id in ("municipality", "postcode", "enterprise_number", "type"))


def name_key(text: str) -> str:
    """A name folded for comparing: legal-form words and a leading article left out."""
    return " ".join(without_articles(words(text)))


def _forms(text: str) -> set[str]:
    """The folded name with and without its leading article."""
    return {" ".join(words(text)), name_key(text)} - {""}


def name_similarity(asked: str, names: list[str]) -> float:
    """How close ``asked`` is to the closest of ``names`` (0–1, see the module)."""
    queries = _forms(asked)
    best = 0.0
    for name in names:
        for query in queries:
            for other in _forms(name):
                if other == query:
                    return 1.0
                best = max(best, _similarity(query, other))
    return best


def _similarity(query: str, other: str) -> float:
    joined, theirs_joined = query.replace(" ", ""), other.replace(" ", "")
    if joined == theirs_joined:
        return 0.98
    mine, theirs = set(query.split()), set(other.split())
    dice = 2 * len(mine & theirs) / (len(mine) + len(theirs))
    letters = SequenceMatcher(None, joined, theirs_joined, autojunk=False).ratio()
    return 0.95 * max(dice, letters)


def without_place(asked: str, places: set[str]) -> str | None:
    """The name without one of ``places`` at its end ("Kringwinkel Midwest Roeselare" →
    "kringwinkel midwest" for an organisation in Roeselare); None when it ends in none."""
    found = name_key(asked).split()
    for place in places:
        tail = place.split()
        if tail and len(found) > len(tail) and found[-len(tail):] == tail:
            return " ".join(found[:-len(tail)])
    return None


def enterprise_digits(text: str) -> str | None:
    """An enterprise number as ten digits ("0412.345.678", "BE 412345678"); None if it is
    not one."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 9:
        digits = "0" + digits
    return digits if len(digits) == 10 else None


def _municipality(asked: tuple[str, ...], entity: Entity) -> float | None:
    places = entity.places
    if not places:
        return None
    folded = {place_key(value) for value in asked}
    if folded & places or set(asked) & entity.place_iris:
        return 1.0
    if folded & entity.merged_places:
        return 0.5
    return 0.0


def score(asked: Asked, entity: Entity) -> Scored:
    """The score of ``entity`` for ``asked``, with its features (see the module)."""
    features: list[Feature] = []
    total = 0.0
    if asked.name:
        similarity = name_similarity(asked.name, entity.names)
        shorter = without_place(asked.name, entity.places) if similarity < 1 else None
        if shorter:
            similarity = max(similarity, PLACE_IN_NAME * name_similarity(shorter, entity.names))
        features += [Feature("name", round(similarity, 3)),
                     Feature("name_exact", similarity == 1.0)]
        total += NAME_WEIGHT * similarity
    if asked.municipalities:
        found = _municipality(asked.municipalities, entity)
        if found is not None:
            features.append(Feature("municipality", found))
            total += MUNICIPALITY_WEIGHT * found if found else -MUNICIPALITY_WEIGHT
    if asked.postcodes:
        known = entity.postcodes | entity.place_postcodes
        if known:
            same = any(code.strip() in known for code in asked.postcodes)
            features.append(Feature("postcode", same))
            total += POSTCODE_WEIGHT if same else -POSTCODE_WEIGHT
    if asked.enterprise_numbers and entity.enterprise_numbers:
        same = bool(set(asked.enterprise_numbers) & entity.enterprise_numbers)
        features.append(Feature("enterprise_number", same))
        total = max(total + ENTERPRISE_NUMBER_WEIGHT, 90) if same else \
            total - ENTERPRISE_NUMBER_WEIGHT
    if asked.type:
        of_type = asked.type in entity.types
        features.append(Feature("type", of_type))
        total -= 0 if of_type else TYPE_PENALTY
    return Scored(entity, round(min(100.0, max(0.0, total)), 1), features)


def rank(asked: Asked, entities: list[Entity]) -> list[Scored]:
    """The entities scored, best first (ties by name), at most ``asked.limit``, the first
    one marked a match when it is one (see the module)."""
    scored = [score(asked, entity) for entity in entities]
    if asked.type and asked.strict_type:
        scored = [s for s in scored if asked.type in s.entity.types]
    if asked.required:
        scored = [s for s in scored if all(
            any(f.id == wanted and f.value not in (False, 0) for f in s.features)
            for wanted in asked.required)]
    scored = [s for s in scored if s.score >= MIN_SCORE]
    scored.sort(key=lambda s: (-s.score, s.entity.name.casefold(), s.entity.iri))
    if scored:
        first = scored[0]
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        first.match = (first.score >= MATCH_SCORE and not first.contradicted
                       and first.score - runner_up >= MATCH_MARGIN)
    return scored[:asked.limit]
