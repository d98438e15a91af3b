"""When each fact held (issue 10, item 3), through a real server (both backends): Midwest's
membership on any date, from the membership's own period; pages that say "sinds", "tot en
met" and "stand op", and show what has ended as ended."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import requests

from tests.web.helpers import ServerProcess
from tests.web.test_api import call
from tests.web.test_home import check_page

#: The 16 members through 31 December 2024 (municipalities.csv, role member).
MEMBERS_2024 = {
    "37020": "Ardooie", "36006": "Hooglede", "36007": "Ingelmunster", "36008": "Izegem",
    "36010": "Ledegem", "36011": "Lichtervelde", "37007": "Meulebeke (tot 2024)",
    "36012": "Moorslede", "37010": "Oostrozebeke", "37011": "Pittem", "36015": "Roeselare",
    "37012": "Ruiselede (tot 2024)", "36019": "Staden", "37015": "Tielt (tot 2024)",
    "37017": "Wielsbeke", "37018": "Wingene (tot 2024)"}
#: From 1 January 2025 (mergers.csv): Meulebeke + Tielt -> Tielt (37022), Ruiselede + Wingene
#: -> Wingene (37021); the successors are members by inference. The names are the preferred
#: labels, which carry the period where a merger ended or began the municipality.
MERGED = {"37007", "37015", "37012", "37018"}
MEMBERS_2025 = {**{nis: name for nis, name in MEMBERS_2024.items() if nis not in MERGED},
                "37022": "Tielt (vanaf 2025)", "37021": "Wingene (vanaf 2025)"}


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


@pytest.mark.parametrize(("name", "params"), [
    ("organisaties-per-gemeente", {"gemeente": "https://data.midwest.be/id/gemeente/37015"}),
    ("zoek-organisaties", {"zoekterm": "troev"})])
def test_query_answers_say_which_organisation_joined_another(server: ServerProcess, name: str,
                                                            params: dict[str, str]) -> None:
    rows = call(server, name, params).json()["rows"]
    troev = [r for r in rows if r["naam"] == "Troev"]
    assert troev and all(r["opgegaanOp"] == "2022-12" for r in troev)
    assert all(r["opgegaanIn"] == "https://data.midwest.be/id/organisatie/mariasteen"
               for r in troev)
    assert all("opgegaanIn" not in r for r in rows if r["naam"] == "Mariasteen")


# --- pages: "sinds", "tot en met", "stand op"; what has ended is shown as ended ---------------

class Marked(HTMLParser):
    """The text of every element whose class is ``status`` or ``period`` (with its classes),
    and the text of the whole page."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str, list[str]]] = []  # tag, classes, text so far
        self.marked: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if {"status", "period"} & set(classes.split()) or self.open:
            self.open.append((tag, classes, []))

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][0] == tag:
            _, classes, parts = self.open.pop()
            text = " ".join("".join(parts).split())
            if self.open:
                self.open[-1][2].append(text)
            elif classes:
                self.marked.append((classes, text))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.open:
            self.open[-1][2].append(data)


def marked(server: ServerProcess, path: str) -> Marked:
    response = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200
    check_page(response.text, "en" if "lang=en" in path else "nl")
    parser = Marked()
    parser.feed(response.text)
    return parser


def test_an_organisation_that_joined_another_is_shown_as_ended(server: ServerProcess) -> None:
    page = marked(server, "/doc/organisatie/troev")
    assert ("status ended", "Beëindigd: opgegaan in Mariasteen (december 2022)") in page.marked
    english = marked(server, "/doc/organisatie/troev?lang=en")
    assert ("status ended", "Ended: joined Mariasteen (December 2022)") in english.marked


def test_a_merged_municipality_is_shown_as_ended_with_its_successor(
        server: ServerProcess) -> None:
    ended = marked(server, "/doc/gemeente/37015")
    assert ("status ended", "Beëindigd · tot en met 31 december 2024 · opgevolgd door "
            "Tielt (vanaf 2025)") in ended.marked
    successor = marked(server, "/doc/gemeente/37022")
    assert ("status", "sinds 1 januari 2025") in successor.marked
    current = marked(server, "/doc/gemeente/36015")
    assert current.marked == []


def test_the_memberships_show_since_and_until(server: ServerProcess) -> None:
    page = marked(server, "/doc/regio/midwest")
    periods = [text for classes, text in page.marked if classes.startswith("period")]
    ended = [text for classes, text in page.marked if classes == "period ended"]
    assert ended.count("tot en met 31 december 2024 (beëindigd)") == 4  # the four merged members
    assert periods.count("sinds 1 januari 2025") == 2  # the two successors
    assert "stand op juni 2019" in periods  # a figure of the region, with its date


def test_a_figure_and_a_dated_text_show_their_dates(server: ServerProcess) -> None:
    figure = marked(server, "/doc/cijfer/troev-team-2019")
    assert ("status", "stand op december 2019") in figure.marked
    role = marked(server, "/doc/regierol/midwest")
    assert ("period ended", "tot en met 31 december 2024 (beëindigd)") in role.marked


def test_a_legal_text_no_longer_in_force_is_shown_as_ended(server: ServerProcess) -> None:
    page = marked(server, "/doc/regelgeving/ondersteuningsdecreet-2012")
    assert ("status ended", "Beëindigd · sinds 5 april 2012 · tot en met 31 december 2025") \
        in page.marked
    role = marked(server, "/doc/regierol/midwest")
    assert ("period", "sinds 1 januari 2023") in role.marked  # the order of 29 April 2022
    assert ("period ended", "tot en met 31 december 2025 (beëindigd)") in role.marked


def test_a_figure_about_a_period_shows_it(server: ServerProcess) -> None:
    page = marked(server, "/doc/cijfer/troev-kost-leader-project")
    assert ("period", "sinds 1 augustus 2018") in page.marked
    assert ("period ended", "tot en met 31 juli 2020 (beëindigd)") in page.marked


def test_sources_show_their_date_and_consultation(server: ServerProcess) -> None:
    page = "".join(marked(server, "/doc/organisatie/troev").text)
    assert "(pagina van december 2022, geraadpleegd op 4 december 2026)" in page
    assert "(pagina van 10 december 2019, geraadpleegd op 4 december 2026)" in page


def test_search_shows_what_has_ended(server: ServerProcess) -> None:
    response = requests.get(server.url + "/zoeken", params={"q": "troev"}, timeout=30,
                            headers={"Accept": "text/html"})
    text = " ".join("".join(_texts(response.text)).split())
    assert "Troev" in text and "bestond tot december 2022, nu Mariasteen" in text


def _texts(html: str) -> list[str]:
    parser = Marked()
    parser.feed(html)
    return parser.text


def test_browsing_by_facets_shows_what_has_ended(server: ServerProcess) -> None:
    page = marked(server, "/organisaties")
    assert ("period ended", "tot en met december 2022 (beëindigd)") in page.marked  # Troev
    listed = requests.get(server.url + "/organisaties.json", timeout=30).json()
    ended = {o["label"]: o["ended"] for o in listed["organisations"] if o["ended"]}
    assert ended.get("Troev") == "2022-12"
    assert "Mariasteen" not in ended
