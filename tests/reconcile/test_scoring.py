"""Scores and their features (midwest_lod/web/reconcile/scoring.py) on hand-made
organisations, for what the real data cannot show: enterprise numbers (no source gives one
of the ten actors yet), accents in names, two organisations of the same name, a strict type."""

from __future__ import annotations

import pytest

from midwest_lod.web.reconcile.entities import Entity, Value
from midwest_lod.web.reconcile.scoring import (
    Asked,
    enterprise_digits,
    name_similarity,
    rank,
    score,
)

ACTOR = "https://example.org/ns#SocialEconomyActor"


def organisation(key: str, name: str, *, legal: str | None = None, number: str | None = None,
                 places: tuple[str, ...] = (), merged: tuple[str, ...] = (),
                 postcodes: tuple[str, ...] = (), actor: bool = True) -> Entity:
    values: dict[str, list[Value]] = {"name": [Value(name, lang="nl")]}
    if legal:
        values["legalName"] = [Value(legal, lang="nl")]
    if number:
        values["enterpriseNumber"] = [Value(number)]
    values["placeName"] = [Value(place) for place in places]
    values["mergedPlaceName"] = [Value(place) for place in merged]
    values["postcode"] = [Value(code) for code in postcodes]
    if actor:
        values["type"] = [Value("Actor", ACTOR)]
    return Entity(f"https://example.org/id/organisatie/{key}", values)


COOP = organisation("coop", "Coöperatie Het Anker", legal="Het Anker cv", number="0412345678",
                    places=("Roeselare", "8800 Rumbeke"), merged=("Meulebeke",),
                    postcodes=("8800",))


def features(asked: Asked, entity: Entity = COOP) -> dict[str, bool | float]:
    return {f.id: f.value for f in score(asked, entity).features}


@pytest.mark.parametrize(("asked", "similarity"), [
    ("Cooperatie het Anker", 1.0),  # accents and case
    ("COÖPERATIE HET ANKER CV", 1.0),  # legal-form word
    ("Het Anker", 1.0),  # the legal name, its article
    ("Anker", 1.0),
    ("'t Anker", 1.0),
    ("HetAnker", 0.98),  # the same letters run together
    ("Cooperatie Het Ankers", 0.95 * 36 / 37),  # one letter more (difflib's ratio)
])
def test_name_similarity(asked: str, similarity: float) -> None:
    assert name_similarity(asked, COOP.names) == pytest.approx(similarity)


def test_letters_run_together_are_nearly_the_same_name() -> None:
    assert name_similarity("AnkerCooperatie", ["Anker Coöperatie"]) == 0.98


def test_the_enterprise_number_decides() -> None:
    same = Asked(name="Iets heel anders", enterprise_numbers=("0412345678",))
    assert features(same)["enterprise_number"] is True
    assert score(same, COOP).score >= 90
    other = Asked(name="Het Anker", enterprise_numbers=("0999999999",))
    assert features(other)["enterprise_number"] is False
    assert score(other, COOP).score == 85 - 50
    unknown = organisation("anker2", "Het Anker")  # no number known: no feature, no penalty
    assert "enterprise_number" not in features(other, unknown)
    assert score(other, unknown).score == 85


@pytest.mark.parametrize(("text", "digits"), [
    ("0412.345.678", "0412345678"), ("BE 0412 345 678", "0412345678"),
    ("412345678", "0412345678"), ("12345", None), ("geen", None)])
def test_enterprise_numbers_are_read_as_ten_digits(text: str, digits: str | None) -> None:
    assert enterprise_digits(text) == digits


@pytest.mark.parametrize(("municipality", "value", "points"), [
    ("Roeselare", 1.0, 95), ("RUMBEKE", 1.0, 95), ("8800 Rumbeke", 1.0, 95),
    ("Meulebeke", 0.5, 90), ("Staden", 0.0, 75)])
def test_the_municipality(municipality: str, value: float, points: float) -> None:
    asked = Asked(name="Het Anker", municipalities=(municipality,))
    assert features(asked)["municipality"] == value
    assert score(asked, COOP).score == points


def test_a_postcode_of_elsewhere_counts_against() -> None:
    assert features(Asked(name="Het Anker", postcodes=("8800",)))["postcode"] is True
    assert score(Asked(name="Het Anker", postcodes=("8900",)), COOP).score == 80


def test_two_organisations_of_the_same_name_are_not_matched_without_asking() -> None:
    twin = organisation("anker-izegem", "Het Anker", places=("Izegem",))
    found = rank(Asked(name="Het Anker"), [COOP, twin])
    assert [s.score for s in found] == [85, 85] and not any(s.match for s in found)
    # the municipality tells them apart
    found = rank(Asked(name="Het Anker", municipalities=("Izegem",)), [COOP, twin])
    assert found[0].entity is twin and found[0].match


def test_a_contradicting_feature_is_never_matched_without_asking() -> None:
    found = rank(Asked(name="Coöperatie Het Anker", type=ACTOR, postcodes=("8900",)), [COOP])
    assert found[0].score == 80 and not found[0].match


def test_the_type() -> None:
    other = organisation("anker-club", "Het Anker", actor=False)
    should = rank(Asked(name="Het Anker", type=ACTOR), [other, COOP])
    assert [s.entity.iri for s in should] == [COOP.iri, other.iri]
    assert {f.id: f.value for f in should[1].features}["type"] is False
    strict = rank(Asked(name="Het Anker", type=ACTOR, strict_type=True), [other, COOP])
    assert [s.entity.iri for s in strict] == [COOP.iri]


def test_required_features_leave_out_what_lacks_them() -> None:
    elsewhere = organisation("anker-staden", "Het Anker", places=("Staden",))
    unknown = organisation("anker-ergens", "Het Anker")
    found = rank(Asked(name="Het Anker", municipalities=("Roeselare",),
                       required=frozenset({"municipality"})), [COOP, elsewhere, unknown])
    assert [s.entity.iri for s in found] == [COOP.iri]


def test_a_weak_candidate_is_left_out_and_the_limit_holds() -> None:
    far = organisation("ver", "Zonnebloem")
    assert rank(Asked(name="Het Anker"), [far]) == []
    many = [organisation(f"anker-{n}", "Het Anker") for n in range(8)]
    assert len(rank(Asked(name="Het Anker", limit=3), many)) == 3
