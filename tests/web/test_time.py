"""When each fact held (issue 10, item 3), through a real server (both backends): Midwest's
membership on any date, from the membership's own period."""

from __future__ import annotations

import pytest

from tests.web.helpers import ServerProcess
from tests.web.test_api import call

#: The 16 members through 31 December 2024 (municipalities.csv, role member).
MEMBERS_2024 = {
    "37020": "Ardooie", "36006": "Hooglede", "36007": "Ingelmunster", "36008": "Izegem",
    "36010": "Ledegem", "36011": "Lichtervelde", "37007": "Meulebeke", "36012": "Moorslede",
    "37010": "Oostrozebeke", "37011": "Pittem", "36015": "Roeselare", "37012": "Ruiselede",
    "36019": "Staden", "37015": "Tielt", "37017": "Wielsbeke", "37018": "Wingene"}
#: From 1 January 2025 (mergers.csv): Meulebeke + Tielt -> Tielt (37022), Ruiselede + Wingene
#: -> Wingene (37021); the successors are members by inference.
MERGED = {"37007", "37015", "37012", "37018"}
MEMBERS_2025 = {**{nis: name for nis, name in MEMBERS_2024.items() if nis not in MERGED},
                "37022": "Tielt", "37021": "Wingene"}


@pytest.mark.parametrize(("day", "members"), [("2024-12-31", MEMBERS_2024),
                                              ("2025-01-01", MEMBERS_2025),
                                              ("2026-12-04", MEMBERS_2025)])
def test_the_members_of_midwest_on_a_date(server: ServerProcess, day: str,
                                          members: dict[str, str]) -> None:
    rows = call(server, "leden-op-datum", {"datum": day}).json()["rows"]
    assert {row["nis"]: row["naam"] for row in rows} == members
    assert len(rows) == len(members)  # one row per member
    assert {row["datum"] for row in rows} == {day}


def test_a_membership_shows_its_period_and_basis(server: ServerProcess) -> None:
    before = {r["nis"]: r for r in call(server, "leden-op-datum",
                                        {"datum": "2024-12-31"}).json()["rows"]}
    after = {r["nis"]: r for r in call(server, "leden-op-datum",
                                       {"datum": "2025-01-01"}).json()["rows"]}
    assert before["37015"]["lidTot"] == "2024-12-31" and "lidVanaf" not in before["37015"]
    assert after["37022"]["lidVanaf"] == "2025-01-01"
    assert after["37022"]["basis"].endswith("#inferred") and after["37022"]["reden"]
    assert before["36015"]["basis"].endswith("#stated")
    assert "lidVanaf" not in before["36015"] and "lidTot" not in before["36015"]


@pytest.mark.parametrize(("nis", "day", "member"), [
    ("37015", "2024-12-31", True), ("37015", "2025-01-01", False),
    ("37022", "2024-12-31", False), ("37022", "2025-01-01", True),
    ("36015", "2024-12-31", True), ("36015", "2025-01-01", True)])
def test_is_a_member_on_a_date(server: ServerProcess, nis: str, day: str, member: bool) -> None:
    answer = call(server, "lid-op-datum", {"gemeente": f"https://data.midwest.be/id/gemeente/{nis}",
                                           "datum": day}).json()
    assert answer["boolean"] is member


def test_the_municipalities_on_a_date_agree_with_the_membership(server: ServerProcess) -> None:
    for day in ("2024-12-31", "2025-01-01"):
        members = {r["nis"] for r in call(server, "leden-op-datum", {"datum": day}).json()["rows"]}
        existing = {r["nis"] for r in call(server, "gemeenten-op-datum",
                                           {"datum": day}).json()["rows"]}
        assert members == existing


def test_organisations_per_municipality_on_a_date_follow_mergers_and_integrations(
        server: ServerProcess) -> None:
    """Sources place Mariasteen and Troev in Tielt 37015; from 2025 that is Tielt 37022 (via
    37015). Troev joined Mariasteen in December 2022: counted through that month, not after."""
    def places(name: str, day: str) -> set[tuple[str, str]]:
        rows = call(server, "organisaties-per-gemeente-op-datum", {"datum": day}).json()["rows"]
        return {(r["gemeente"].rsplit("/", 1)[-1], (r.get("via") or "/").rsplit("/", 1)[-1])
                for r in rows if r["naam"] == name}

    assert ("37015", "") in places("Mariasteen", "2024-12-31")
    assert ("37022", "37015") in places("Mariasteen", "2025-01-01")
    assert places("Troev", "2022-12-31") == {("37015", "")}
    assert places("Troev", "2023-01-01") == set()
    assert places("Troev", "2025-01-01") == set()
