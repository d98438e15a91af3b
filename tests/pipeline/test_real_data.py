"""The real data builds, conforms, and says what the sources say (counts and codes)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from midwest_lod.pipeline import BuildResult

BASE = "https://data.midwest.be"
PREFIXES = f"""
PREFIX mw: <{BASE}/ns/sociale-economie#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
ACTORS = {"De Bieweg", "De Lochting", "De Rinkel", "Den Tatsevoet", "Kringwinkel Midwest",
          "Mariasteen", "OptimaT", "Pas Par Toe", "Troev", "Weerwerk"}
PRINCIPLES = ["voorrang van arbeid op kapitaal", "democratische besluitvorming",
              "maatschappelijke inbedding", "transparantie", "kwaliteit", "duurzaamheid"]
#: By their Dutch label: the four municipalities that ended with the 2025 mergers carry their
#: period (issue 10, labels that identify).
MEMBERS = {"Ardooie": "37020", "Hooglede": "36006", "Ingelmunster": "36007", "Izegem": "36008",
           "Ledegem": "36010", "Lichtervelde": "36011", "Meulebeke (tot 2024)": "37007",
           "Moorslede": "36012", "Oostrozebeke": "37010", "Pittem": "37011",
           "Roeselare": "36015", "Ruiselede (tot 2024)": "37012", "Staden": "36019",
           "Tielt (tot 2024)": "37015", "Wielsbeke": "37017", "Wingene (tot 2024)": "37018"}
COOPERATING = {"Dentergem": "37002", "Lendelede": "34025"}


@pytest.fixture(scope="module")
def store(baseline: tuple[Path, BuildResult]) -> ox.Store:
    result = baseline[1]
    assert result.version is not None
    return ox.Store.read_only(str(result.version.store_path))


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


def test_real_data_has_no_violation(baseline: tuple[Path, BuildResult]) -> None:
    result = baseline[1]
    assert result.ok
    assert result.violations == []
    assert result.version is not None and result.version.path.is_dir()


def test_ten_actors_by_name(store: ox.Store) -> None:
    rows = select(store, """SELECT ?name WHERE { ?a a mw:SocialEconomyActor ; rdfs:label ?name .
                          FILTER(lang(?name) = "nl") }""")
    assert {r["name"] for r in rows} == ACTORS


def test_six_principles_in_the_seed_order(store: ox.Store) -> None:
    rows = select(store, f"""SELECT ?label WHERE {{
        ?c skos:inScheme <{BASE}/id/conceptscheme/Basisprincipe> ; skos:prefLabel ?label ;
           mw:order ?order . FILTER(lang(?label) = "nl") }} ORDER BY ?order""")
    assert [r["label"].lower() for r in rows] == PRINCIPLES


def test_definition_links_the_six_principles(store: ox.Store) -> None:
    rows = select(store, "SELECT ?d (COUNT(?p) AS ?n) WHERE { ?d a mw:Definition ; "
                         "mw:basicPrinciple ?p } GROUP BY ?d")
    assert len(rows) == 1 and rows[0]["n"] == "6"


def test_three_initiative_types(store: ox.Store) -> None:
    rows = select(store, f"""SELECT ?c WHERE {{ ?c a mw:InitiativeType ;
        skos:inScheme <{BASE}/id/conceptscheme/Initiatieftype> }}""")
    keys = {r["c"].rsplit("/", 1)[-1] for r in rows}
    assert keys == {"maatwerkbedrijf", "lokale-diensteneconomie", "arbeidszorg"}


def _members(store: ox.Store, prop: str, basis: str | None) -> dict[str, str]:
    basis_filter = f"?g mw:basis mw:{basis} ." if basis else ""
    rows = select(store, f"""SELECT ?name ?nis WHERE {{
        GRAPH ?g {{ <{BASE}/id/regio/midwest> mw:{prop} ?m }} {basis_filter}
        ?m mw:nisCode ?nis ; rdfs:label ?name . FILTER(lang(?name) = "nl") }}""")
    return {r["name"]: r["nis"] for r in rows}


def test_sixteen_members_with_their_nis_codes(store: ox.Store) -> None:
    assert _members(store, "memberMunicipality", "stated") == MEMBERS


def test_two_cooperating_municipalities(store: ox.Store) -> None:
    assert _members(store, "cooperatingMunicipality", None) == COOPERATING


def test_successors_are_members_only_by_inference(store: ox.Store) -> None:
    inferred = _members(store, "memberMunicipality", "inferred")
    assert sorted(inferred.values()) == ["37021", "37022"]


def test_two_mergers_of_2025(store: ox.Store) -> None:
    rows = select(store, """SELECT ?f ?date ?result (GROUP_CONCAT(?old; separator=",") AS ?olds)
        WHERE { ?f a mw:MunicipalMerger ; <http://purl.org/dc/terms/date> ?date ;
                   mw:resultingMunicipality/mw:nisCode ?result ;
                   mw:mergedMunicipality/mw:nisCode ?old } GROUP BY ?f ?date ?result""")
    mergers = {r["result"]: (r["date"], sorted(r["olds"].split(","))) for r in rows}
    assert mergers == {"37022": ("2025-01-01", ["37007", "37015"]),
                       "37021": ("2025-01-01", ["37012", "37018"])}


def test_pre_2025_and_current_members_can_be_queried(store: ox.Store) -> None:
    def members_on(day: str) -> int:
        rows = select(store, f"""SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{
            <{BASE}/id/regio/midwest> mw:memberMunicipality ?m .
            OPTIONAL {{ ?m mw:validFrom ?from }} OPTIONAL {{ ?m mw:validThrough ?through }}
            FILTER((!BOUND(?from) || ?from <= "{day}"^^xsd:date) &&
                   (!BOUND(?through) || ?through >= "{day}"^^xsd:date)) }}""".replace(
            "xsd:date", "<http://www.w3.org/2001/XMLSchema#date>"))
        return int(rows[0]["n"])

    assert members_on("2024-12-31") == 16
    assert members_on("2025-01-01") == 14


MEMBERSHIP_PERIODS = {"37007": (None, "2024-12-31"), "37015": (None, "2024-12-31"),
                      "37012": (None, "2024-12-31"), "37018": (None, "2024-12-31"),
                      "37022": ("2025-01-01", None), "37021": ("2025-01-01", None)}


def test_the_membership_itself_carries_its_period(store: ox.Store) -> None:
    """The period sits on the membership's assertion graph (schema:validFrom/validThrough),
    from the row's valid_from/valid_through; the other twelve members have no dated start or
    end (no source dates them)."""
    rows = select(store, f"""SELECT ?nis ?from ?through WHERE {{
        GRAPH ?g {{ <{BASE}/id/regio/midwest> mw:memberMunicipality ?m }}
        ?m mw:nisCode ?nis .
        OPTIONAL {{ ?g <http://schema.org/validFrom> ?from }}
        OPTIONAL {{ ?g <http://schema.org/validThrough> ?through }} }}""")
    periods = {r["nis"]: (r.get("from"), r.get("through")) for r in rows
               if r.get("from") or r.get("through")}
    assert periods == MEMBERSHIP_PERIODS
    assert len(rows) == 18


GEEFKAST_FIRE = ("https://www.hln.be/in-de-buurt/roeselare/geefkast-voor-goed-doel-uitgebrand-"
                 "brand-werd-vermoedelijk-aangestoken~aea50da1/")


def test_sources_carry_their_own_date_and_the_day_they_were_consulted(store: ox.Store) -> None:
    """sources.csv: the page's date (dct:issued) and the consultation (a prov:Activity with
    dct:date that prov:used it); a page that shows no date has no dct:issued."""
    rows = select(store, f"""SELECT ?issued ?consulted WHERE {{
        OPTIONAL {{ <{GEEFKAST_FIRE}> <http://purl.org/dc/terms/issued> ?issued }}
        OPTIONAL {{ ?visit prov:used <{GEEFKAST_FIRE}> ;
                           <http://purl.org/dc/terms/date> ?consulted }} }}""")
    assert rows == [{"issued": "2019-08-24", "consulted": "2026-12-04"}]
    undated = select(store, """SELECT ?issued WHERE {
        <https://www.midwest.be/sociale-economie> <http://purl.org/dc/terms/issued> ?issued }""")
    assert undated == []


def test_three_regierol_tasks_and_four_priorities(store: ox.Store) -> None:
    tasks = select(store, "SELECT DISTINCT ?t WHERE { ?r a mw:DirectingRole ; mw:minimumTask ?t }")
    priorities = select(store, "SELECT DISTINCT ?p WHERE { ?r mw:policyPriority ?p }")
    assert len(tasks) == 3
    assert len(priorities) == 4


def test_two_documents(store: ox.Store) -> None:
    rows = select(store, f"""SELECT ?d WHERE {{ ?d a foaf:Document
                                FILTER(STRSTARTS(STR(?d), "{BASE}/id/")) }}""")
    assert len(rows) == 2


def test_regional_figures_with_their_source(store: ox.Store) -> None:
    rows = select(store, f"""SELECT ?text ?src WHERE {{
        GRAPH ?g {{ ?f mw:about <{BASE}/id/regio/midwest> ; mw:valueText ?text }}
        ?g prov:wasDerivedFrom ?src }}""")
    texts = {r["text"] for r in rows}
    assert any("1,260" in t or "1260" in t or "1.260" in t for t in texts), texts
    assert any("370" in t for t in texts), texts
    assert all(r["src"].startswith("http") for r in rows)


def test_every_statement_has_a_source(store: ox.Store) -> None:
    rows = select(store, f"""SELECT (COUNT(*) AS ?n) WHERE {{
        GRAPH ?g {{ ?s ?p ?o }}
        FILTER(STRSTARTS(STR(?g), "{BASE}/id/bewering/"))
        FILTER NOT EXISTS {{ ?g prov:wasDerivedFrom ?src }} }}""")
    assert rows[0]["n"] == "0"


def test_inferred_types_are_published_as_inferred(store: ox.Store) -> None:
    rows = select(store, f"""SELECT ?basis WHERE {{
        GRAPH ?g {{ <{BASE}/id/organisatie/de-bieweg> mw:initiativeType ?t }}
        ?g mw:basis ?basis ; rdfs:comment ?reason }}""")
    assert rows and {r["basis"].rsplit("#", 1)[-1] for r in rows} == {"inferred"}


def test_no_enterprise_number_is_invented(store: ox.Store) -> None:
    # The research found no enterprise number for any actor.
    rows = select(store, "SELECT ?o WHERE { ?o <http://www.w3.org/ns/regorg#registration> ?id }")
    assert rows == []


def test_completeness_lists_missing_facts(baseline: tuple[Path, BuildResult]) -> None:
    rows = {row["key"]: row for row in baseline[1].completeness}
    assert set(rows) == {"de-bieweg", "de-lochting", "de-rinkel", "den-tatsevoet",
                         "kringwinkel-midwest", "mariasteen", "optimat", "pas-par-toe", "troev",
                         "weerwerk"}
    assert "enterprise_number" in rows["de-rinkel"]["missing"]
    assert "website" in rows["de-rinkel"]["missing"]
    assert "website" not in rows["de-lochting"]["missing"]


TEXT_PROPERTIES = ("rdfs:label", "skos:prefLabel", "skos:altLabel", "skos:definition",
                   "skos:scopeNote", "dct:description", "dct:title", "mw:valueText",
                   "mw:dateNote", "mw:foundingNote", "mw:targetGroupDescription")


def test_every_text_of_an_entity_has_a_language(store: ox.Store) -> None:
    """Issue 10: no plain free text in the data (the assertion graphs; codes aside)."""
    rows = select(store, f"""SELECT ?s ?p ?o WHERE {{
        VALUES ?p {{ {' '.join(TEXT_PROPERTIES)} }}
        GRAPH ?g {{ ?s ?p ?o FILTER(ISLITERAL(?o) && LANG(?o) = "") }}
        FILTER(STRSTARTS(STR(?g), "{BASE}/id/bewering/")) }}""")
    assert rows == []


def test_every_text_exists_in_dutch(store: ox.Store) -> None:
    rows = select(store, f"""SELECT ?s ?p WHERE {{
        VALUES ?p {{ {' '.join(TEXT_PROPERTIES)} }}
        GRAPH ?g {{ ?s ?p ?o FILTER(ISLITERAL(?o) && LANG(?o) != "") }}
        FILTER(STRSTARTS(STR(?g), "{BASE}/id/bewering/"))
        FILTER NOT EXISTS {{ ?s ?p ?nl FILTER(LANG(?nl) = "nl") }} }}""")
    assert rows == []


def test_english_is_filed_as_a_translation_and_dutch_is_not(store: ox.Store) -> None:
    """docs/decisions/0010: every English text sits in an assertion graph generated by the
    translation activity, with the sources of the Dutch; no Dutch text does."""
    rows = select(store, f"""SELECT ?lang ?activity (COUNT(*) AS ?n) WHERE {{
        GRAPH ?g {{ ?s ?p ?o FILTER(ISLITERAL(?o) && LANG(?o) IN ("nl", "en")) }}
        FILTER(STRSTARTS(STR(?g), "{BASE}/id/bewering/"))
        ?g prov:wasGeneratedBy ?activity
        BIND(LANG(?o) AS ?lang) }} GROUP BY ?lang ?activity""")
    by_language: dict[str, set[str]] = {}
    for row in rows:
        by_language.setdefault(row["lang"], set()).add(row["activity"].rsplit("/", 1)[-1])
    assert by_language["en"] == {"vertaling"}
    assert "vertaling" not in by_language["nl"]
    sources = select(store, f"""SELECT ?g WHERE {{
        ?g prov:wasGeneratedBy <{BASE}/id/activiteit/vertaling>
        FILTER NOT EXISTS {{ ?g prov:wasDerivedFrom ?source }} }}""")
    assert sources == []


def test_municipalities_of_the_mergers_are_told_apart(store: ox.Store) -> None:
    rows = select(store, """SELECT ?m ?pref ?official WHERE {
        ?m a mw:Municipality ; skos:prefLabel ?pref ; skos:altLabel ?official
        FILTER(LANG(?pref) = "nl" && LANG(?official) = "nl") }""")
    got = {r["m"].rsplit("/", 1)[-1]: (r["pref"], r["official"]) for r in rows}
    assert got == {"37015": ("Tielt (tot 2024)", "Tielt"),
                   "37022": ("Tielt (vanaf 2025)", "Tielt"),
                   "37018": ("Wingene (tot 2024)", "Wingene"),
                   "37021": ("Wingene (vanaf 2025)", "Wingene"),
                   "37007": ("Meulebeke (tot 2024)", "Meulebeke"),
                   "37012": ("Ruiselede (tot 2024)", "Ruiselede")}
