"""The shapes accept the valid fixtures and reject every invalid one with the intended rule.

Invalid fixtures (``fixtures/invalid/<Shape>.<Component>[.<variant>].ttl``) are each added to
the valid graph; the file name says which rule must fire: the local name of the
``sh:sourceShape`` (in ``mwsh:``) and the ``sh:sourceConstraintComponent`` without
"ConstraintComponent". ``INVALID`` below gives the English message each must carry.
Each fixture must produce violations of exactly that rule and nothing else, and every
violation rule in ``shapes/`` must have a fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from tests.shapes.shacl_helpers import FIXTURES, MW, ORGANISATIE, Result, rule_constraints

INVALID_DIR = FIXTURES / "invalid"
INVALID_FILES = sorted(INVALID_DIR.glob("*.ttl"))

#: fixture file stem -> substring of the English sh:message the violation must carry
INVALID: dict[str, str] = {
    "Actor-listedBy.MinCount":
        "An actor (actors/<key>.yaml) must be listed by the region of region.yaml: is",
    "Address-municipality.Class":
        "The municipality of an address must be a NIS code from municipalities.csv (municipality",
    "Address-postCode.MaxCount":
        "The postcode (address: postcode) must be one 4-digit Belgian postcode.",
    "Address-postCode.Pattern":
        "The postcode (address: postcode) must be one 4-digit Belgian postcode.",
    "Address-register.NodeKind":
        "A link to the address register must be an IRI https://data.vlaanderen.be/id/adres/{id}",
    "Address-register.Pattern":
        "A link to the address register must be an IRI https://data.vlaanderen.be/id/adres/{id}",
    "Address-site.MinCount": "An address (address) always belongs to a site (sites).",
    "Arrondissement-nisCode.MaxCount":
        "An arrondissement has exactly one NIS code (nis) of 5 digits (arrondissements.csv).",
    "Arrondissement-nisCode.MinCount":
        "An arrondissement has exactly one NIS code (nis) of 5 digits (arrondissements.csv).",
    "Arrondissement-nisCode.Pattern":
        "An arrondissement has exactly one NIS code (nis) of 5 digits (arrondissements.csv).",
    "Arrondissement-province.Class":
        "The province (province) of an arrondissement must be one key from provinces.csv.",
    "Arrondissement-province.MaxCount":
        "The province (province) of an arrondissement must be one key from provinces.csv.",
    "Assertion-about.MaxCount":
        "An assertion is about exactly one record (the record in data/ that holds the fact).",
    "Assertion-about.MinCount":
        "An assertion is about exactly one record (the record in data/ that holds the fact).",
    "Assertion-about.NodeKind":
        "An assertion is about exactly one record (the record in data/ that holds the fact).",
    "Assertion-basis.In":
        "basis must be stated (the source says it literally, the default) or inferred (a",
    "Assertion-basis.MaxCount":
        "basis must be stated (the source says it literally, the default) or inferred (a",
    "Assertion-basis.MinCount":
        "basis must be stated (the source says it literally, the default) or inferred (a",
    "Assertion-inferredReason.Or": "An inferred value (basis: inferred) needs a reason (reason).",
    "Assertion-validFrom.Datatype": "The first day of a fact (valid_from) must be one valid",
    "Assertion-validFrom.Datatype.with-end":
        "The first day of a fact (valid_from) must be one valid",
    "Assertion-validFrom.MaxCount": "The first day of a fact (valid_from) must be one valid",
    "Assertion-validFrom.NotAfter":
        "not later than its last day (valid_through).",
    "Assertion-validThrough.Datatype": "The last day of a fact (valid_through) must be one",
    "Assertion-validThrough.MaxCount": "The last day of a fact (valid_through) must be one",
    "Assertion-source.MinCount":
        "Every fact has a source: sources must contain at least one full URL starting with",
    "Assertion-source.NodeKind":
        "Every fact has a source: sources must contain at least one full URL starting with",
    "Assertion-source.Pattern":
        "Every fact has a source: sources must contain at least one full URL starting with",
    "Concept-inScheme.Class":
        "A concept (concepts) belongs to exactly one concept scheme (scheme in",
    "Concept-inScheme.MaxCount":
        "A concept (concepts) belongs to exactly one concept scheme (scheme in",
    "Concept-inScheme.MinCount":
        "A concept (concepts) belongs to exactly one concept scheme (scheme in",
    "Concept-legalBasis.Class":
        "Every legal basis (legal_basis) of a concept must be a key from legislation.yaml.",
    "Concept-order.Datatype": "The order (order) of a concept is one whole number.",
    "Concept-order.MaxCount": "The order (order) of a concept is one whole number.",
    "Concept-prefLabel-nl.QualifiedMinCount":
        "A concept (concepts) needs a Dutch label (label: nl).",
    "Concept-topConceptOf.Class":
        "A top concept belongs to an existing concept scheme (schemes/<name>.yaml).",
    "ConceptScheme-prefLabel-nl.QualifiedMinCount":
        "A concept scheme (schemes/<name>.yaml) needs a Dutch title (title: nl).",
    "ConceptScheme-topConcept.Class":
        "Every top concept of a concept scheme must be a concept (concepts) from the same file.",
    "Definition-basicPrinciple-scheme.Node":
        "Every basic principle (principles) must be a concept of the Basisprincipe scheme.",
    "Definition-basicPrinciple.Class":
        "Every basic principle (principles) must be a key of the Basisprincipe scheme (schemes/).",
    "Definition-created.MaxCount":
        "The year (year) of the definition must be one 4-digit year (YYYY).",
    "Definition-created.Node": "The year (year) of the definition must be one 4-digit year (YYYY).",
    "Definition-text.LanguageIn":
        "The definition (definition) needs a Dutch text (text): the quoted definition.",
    "Definition-text.MinCount":
        "The definition (definition) needs a Dutch text (text): the quoted definition.",
    "DirectingRole-coversRegion.Class":
        "The directing role (directing_role) covers a region: region is the key of the region in",
    "DirectingRole-coversRegion.MinCount":
        "The directing role (directing_role) covers a region: region is the key of the region in",
    "DirectingRole-heldBy.Class":
        "The directing role (directing_role) has exactly one holder: held_by is the key of an",
    "DirectingRole-heldBy.MaxCount":
        "The directing role (directing_role) has exactly one holder: held_by is the key of an",
    "DirectingRole-heldBy.MinCount":
        "The directing role (directing_role) has exactly one holder: held_by is the key of an",
    "DirectingRole-legalBasis.Class":
        "Every legal basis (legal_basis) of the directing role must be a key from",
    "DirectingRole-minimumTask-scheme.Node":
        "Every minimum task (minimum_tasks) must be a concept of the RegierolTaak scheme.",
    "DirectingRole-minimumTask.Class":
        "Every minimum task (minimum_tasks) must be a key of the RegierolTaak scheme (schemes/).",
    "DirectingRole-policyPriority-scheme.Node":
        "Every policy priority (policy_priorities) must be a concept of the RegierolPrioriteit",
    "DirectingRole-policyPriority.Class":
        "Every policy priority (policy_priorities) must be a key of the RegierolPrioriteit",
    "Document-date.MaxCount":
        "The date (date) of a document must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD",
    "Document-date.Node":
        "The date (date) of a document must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD",
    "Document-format.MaxCount":
        "The media type (media_type) of a document must be one IANA media type, e.g.",
    "Document-format.NodeKind":
        "The media type (media_type) of a document must be one IANA media type, e.g.",
    "Document-format.Pattern":
        "The media type (media_type) of a document must be one IANA media type, e.g.",
    "Document-spatial.Class": "A document (documents.yaml) is about the region in region.yaml.",
    "Document-title-nl.QualifiedMinCount":
        "A document (documents.yaml) needs a Dutch title (title).",
    "Entity-label-language.Datatype":
        "Every name (name, label) must have a language, e.g. {nl: ..., en: ...}.",
    "Entity-label-nl.QualifiedMinCount":
        "Every record needs a Dutch name (name; name_nl in the CSV files; label for figures and",
    "Entity-label-notBlank.Pattern": "A name (name, label) must not be empty.",
    "Entity-page.NodeKind":
        "The page (page, url) must be a full URL starting with http:// or https://.",
    "Entity-page.Pattern":
        "The page (page, url) must be a full URL starting with http:// or https://.",
    "Entity-prefLabel-unique.UniqueLang":
        "There may be only one name (name, name_nl/name_fr, label) per language.",
    "Figure-about.MaxCount":
        "A figure (figures) is about exactly one organisation or the region: the file that lists",
    "Figure-about.MinCount":
        "A figure (figures) is about exactly one organisation or the region: the file that lists",
    "Figure-about.Or":
        "A figure (figures) is about exactly one organisation or the region: the file that lists",
    "Figure-approximate.Datatype": "approximate of a figure is true or false.",
    "Figure-approximate.MaxCount": "approximate of a figure is true or false.",
    "Figure-date.MaxCount":
        "The date (date) of a figure must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD",
    "Figure-date.Node.datetime":
        "The date (date) of a figure must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD",
    "Figure-date.Node.string":
        "The date (date) of a figure must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD",
    "Figure-date.Node":
        "The date (date) of a figure must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD",
    "Figure-date.Node.year-month":
        "The date (date) of a figure must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD",
    "Figure-date.Node.year":
        "The date (date) of a figure must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD",
    "Figure-owner.MinCount":
        "A figure belongs to a record: it must be listed under figures of an actor, organisation",
    "Figure-value.Datatype":
        "The value (value) of a figure must be one number (only when value_text is one number).",
    "Figure-value.MaxCount":
        "The value (value) of a figure must be one number (only when value_text is one number).",
    "Figure-valueText.MinCount":
        "A figure (figures) has one value_text per language: the value as the source words it",
    "Figure-valueText.UniqueLang":
        "A figure (figures) has one value_text per language: the value as the source words it",
    "Identifier-notation.Datatype":
        "An enterprise number (enterprise_number) is one 10-digit value.",
    "Identifier-notation.MaxCount":
        "An enterprise number (enterprise_number) is one 10-digit value.",
    "Identifier-notation.MinCount":
        "An enterprise number (enterprise_number) is one 10-digit value.",
    "Integration-date.MaxCount":
        "The date (date) of integrated_into must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD.",
    "Integration-date.Node":
        "The date (date) of integrated_into must be one valid date: YYYY, YYYY-MM or YYYY-MM-DD.",
    "Integration-original.Class":
        "An integration (integrated_into) belongs to an organisation in actors/ or",
    "Integration-original.MinCount":
        "An integration (integrated_into) belongs to an organisation in actors/ or",
    "Integration-resulting.Class":
        "integrated_into must name exactly one organisation (a key in actors/ or organisations/).",
    "Integration-resulting.MaxCount":
        "integrated_into must name exactly one organisation (a key in actors/ or organisations/).",
    "Integration-resulting.MinCount":
        "integrated_into must name exactly one organisation (a key in actors/ or organisations/).",
    "LegalResource-date.Datatype":
        "The date (date) of legislation (legislation.yaml) must be one valid date YYYY-MM-DD.",
    "LegalResource-date.MaxCount":
        "The date (date) of legislation (legislation.yaml) must be one valid date YYYY-MM-DD.",
    "LegalResource-inForceFrom.NotAfter": "not later than in_force_through.",
    "LegalResource-inForceThrough.Datatype":
        "in_force_through of legislation (legislation.yaml) must be one valid date YYYY-MM-DD",
    "LegalResource-inForceThrough.MaxCount":
        "in_force_through of legislation (legislation.yaml) must be one valid date YYYY-MM-DD",
    "LegalResource-inForceFrom.MaxCount":
        "in_force_from of legislation (legislation.yaml) must be one valid date: YYYY, YYYY-MM",
    "LegalResource-inForceFrom.Node":
        "in_force_from of legislation (legislation.yaml) must be one valid date: YYYY, YYYY-MM",
    "LegalResource-title-nl.QualifiedMinCount":
        "Legislation (legislation.yaml) needs a Dutch title (title: nl).",
    "Merger-date.Datatype": "A merger (mergers.csv) has exactly one valid date (date) YYYY-MM-DD.",
    "Merger-date.MaxCount": "A merger (mergers.csv) has exactly one valid date (date) YYYY-MM-DD.",
    "Merger-date.MinCount": "A merger (mergers.csv) has exactly one valid date (date) YYYY-MM-DD.",
    "Merger-merged.Class":
        "A merger (mergers.csv) merges at least two municipalities: merged names at least two",
    "Merger-merged.MinCount":
        "A merger (mergers.csv) merges at least two municipalities: merged names at least two",
    "Merger-result.Class":
        "A merger (mergers.csv) has exactly one new municipality: result is one NIS code from",
    "Merger-result.MaxCount":
        "A merger (mergers.csv) has exactly one new municipality: result is one NIS code from",
    "Merger-result.MinCount":
        "A merger (mergers.csv) has exactly one new municipality: result is one NIS code from",
    "Municipality-arrondissement.Class":
        "The arrondissement (arrondissement) of a municipality must be one NIS code from",
    "Municipality-arrondissement.MaxCount":
        "The arrondissement (arrondissement) of a municipality must be one NIS code from",
    "Municipality-isReplacedBy.Class":
        "replaced_by must be the NIS code of a municipality in municipalities.csv.",
    "Municipality-nisCode.MaxCount": "A municipality has exactly one NIS code (nis) of 5 digits.",
    "Municipality-nisCode.MinCount": "A municipality has exactly one NIS code (nis) of 5 digits.",
    "Municipality-nisCode.Pattern": "A municipality has exactly one NIS code (nis) of 5 digits.",
    "Municipality-postalCode.Pattern":
        "Every postcode (postcodes) must be a 4-digit Belgian postcode, separated by ;.",
    "Municipality-prefLabel-nl.QualifiedMinCount": "A municipality needs a Dutch name (name_nl).",
    "Municipality-replaces.Class":
        "A merged municipality replaces municipalities from municipalities.csv (merged in",
    "Municipality-validFrom.Datatype":
        "valid_from must be one valid date YYYY-MM-DD, not later than valid_through.",
    "Municipality-validFrom.Datatype.with-end":
        "valid_from must be one valid date YYYY-MM-DD, not later than valid_through.",
    "Municipality-validFrom.MaxCount":
        "valid_from must be one valid date YYYY-MM-DD, not later than valid_through.",
    "Municipality-validFrom.NotAfter":
        "valid_from must be one valid date YYYY-MM-DD, not later than valid_through.",
    "Municipality-validThrough.Datatype":
        "valid_through must be one valid date YYYY-MM-DD (the last day).",
    "Municipality-validThrough.Datatype.with-start":
        "valid_through must be one valid date YYYY-MM-DD (the last day).",
    "Municipality-validThrough.MaxCount":
        "valid_through must be one valid date YYYY-MM-DD (the last day).",
    "Organisation-activeIn.Class":
        "Every municipality in active_in must be a NIS code from municipalities.csv.",
    "Organisation-enterpriseNumber-checksum.Mod97":
        "The enterprise number (enterprise_number) must have 10 digits and a valid mod-97 check.",
    "Organisation-enterpriseNumber-format.Pattern":
        "The enterprise number (enterprise_number) must have 10 digits and start with 0 or 1",
    "Organisation-figure.Class":
        "Every figure (figures) of an organisation must be a complete figure record.",
    "Organisation-foundingDate.MaxCount":
        "The founding year (founded) must be one 4-digit year (YYYY).",
    "Organisation-foundingDate.Node":
        "The founding year (founded) must be one 4-digit year (YYYY).",
    "Organisation-homepage.MaxCount":
        "The website (website) must be one full URL starting with http:// or https://.",
    "Organisation-homepage.NodeKind":
        "The website (website) must be one full URL starting with http:// or https://.",
    "Organisation-homepage.Pattern":
        "The website (website) must be one full URL starting with http:// or https://.",
    "Organisation-initiativeType-scheme.Node":
        "Every initiative type (initiative_types) must be a concept of the Initiatieftype scheme",
    "Organisation-initiativeType.Class":
        "Every initiative type (initiative_types) must be a key from",
    "Organisation-integratedInto.Class":
        "integrated_into must be the key of an organisation in actors/ or organisations/.",
    "Organisation-legalForm-scheme.Node":
        "The legal form (legal_form) must be a concept of the Rechtsvorm scheme",
    "Organisation-legalForm.Class":
        "The legal form (legal_form) must be one key from schemes/legal-forms.yaml.",
    "Organisation-legalForm.MaxCount":
        "The legal form (legal_form) must be one key from schemes/legal-forms.yaml.",
    "Organisation-listedBy.Class": "An actor is listed by the region in region.yaml.",
    "Organisation-memberOf.Class":
        "member_of must be the key of an organisation in actors/ or organisations/.",
    "Organisation-prefLabel-nl.QualifiedMinCount": "An organisation needs a Dutch name (name).",
    "Organisation-primarySite.Class":
        "The primary site (primary_site) must be the key of one site under sites in the same",
    "Organisation-primarySite.MaxCount":
        "The primary site (primary_site) must be the key of one site under sites in the same",
    "Organisation-registration.Class":
        "An organisation has at most one enterprise number (enterprise_number).",
    "Organisation-registration.MaxCount":
        "An organisation has at most one enterprise number (enterprise_number).",
    "Organisation-site.Class": "Every site (sites) must be a site of this record.",
    "Organisation-subOrganizationOf.Class":
        "sub_organisation_of must be the key of an organisation in actors/ or organisations/.",
    "Organisation-targetGroup-scheme.Node":
        "Every target group (target_groups) must be a concept of the Doelgroep scheme",
    "Organisation-targetGroup.Class":
        "Every target group (target_groups) must be a key from schemes/target-groups.yaml.",
    "Organisation-theme-scheme.Node":
        "Every theme (themes) must be a concept of the Thema scheme (schemes/themes.yaml).",
    "Organisation-theme.Class": "Every theme (themes) must be a key from schemes/themes.yaml.",
    "Region-cooperatingMunicipality.Class":
        "A cooperating municipality (role cooperating) must be a municipality in",
    "Region-coordinatedBy.Class":
        "The organisation that runs the region (region: organisation) must be one key from",
    "Region-coordinatedBy.MaxCount":
        "The organisation that runs the region (region: organisation) must be one key from",
    "Region-figure.Class":
        "Every figure (figures) in region.yaml must be a complete figure record.",
    "Region-memberMunicipality.Class":
        "The region has member municipalities: rows with role member (or successor) in",
    "Region-memberMunicipality.MinCount":
        "The region has member municipalities: rows with role member (or successor) in",
    "RegisteredOrganisation-registration.MinCount":
        "A registered organisation must have an enterprise number (enterprise_number).",
    "Service-provider.Class":
        "A service (services) belongs to exactly one organisation: the file in actors/ or",
    "Service-provider.MaxCount":
        "A service (services) belongs to exactly one organisation: the file in actors/ or",
    "Service-provider.MinCount":
        "A service (services) belongs to exactly one organisation: the file in actors/ or",
    "Service-targetGroup-scheme.Node":
        "Every target group (target_groups) of a service (services) must be a concept of the",
    "Service-targetGroup.Class":
        "Every target group (target_groups) of a service (services) must be a key from",
    "Service-theme-scheme.Node":
        "Every theme (themes) of a service (services) must be a concept of the Thema scheme",
    "Service-theme.Class":
        "Every theme (themes) of a service (services) must be a key from schemes/themes.yaml.",
    "Site-address.Class": "A site has at most one address (address).",
    "Site-address.MaxCount": "A site has at most one address (address).",
    "Site-municipality.Class":
        "The municipality (municipality) of a site must be one NIS code from municipalities.csv.",
    "Site-municipality.MaxCount":
        "The municipality (municipality) of a site must be one NIS code from municipalities.csv.",
    "Site-organisation.MinCount":
        "A site belongs to an organisation: it must be listed under sites in a file in actors/",
}

INVALID["Municipality-prefLabel-unique.UniqueLabelAmong"] = (
    "Two municipalities share a preferred name: give the one before or after a merger")
INVALID["Organisation-prefLabel-unique.UniqueLabelAmong"] = (
    "Two organisations share a name (name) in one language; both are in the report")

#: shapes/language.ttl: one rule per text property (its language; its Dutch text).
TEXT_FIELDS = {
    "prefLabel": False, "altLabel": False, "definition": True, "scopeNote": True,
    "description": True, "title": False, "name": False, "legalName": False, "valueText": True,
    "dateNote": True, "foundingNote": True, "selfDescribedAs": False,
    "targetGroupDescription": True, "locality": False,
}
for _name, _needs_dutch in TEXT_FIELDS.items():
    INVALID[f"Text-{_name}-language.Datatype"] = "must have a language: write {nl: ...}"
    if _needs_dutch:
        INVALID[f"Text-{_name}-nl.QualifiedMinCount"] = "in any language needs its Dutch text (nl)"

#: the warnings fixture: per actor, exactly the completeness warnings it must get
WARNINGS_FILE = FIXTURES / "warnings" / "incomplete-actors.ttl"
EXPECTED_WARNINGS = {
    "proefactor": {
        "Actor-enterpriseNumber-recommended",
        "Actor-address-recommended",
        "Actor-website-recommended",
        "Actor-theme-recommended",
    },
    "troev": {
        "Actor-enterpriseNumber-recommended",
        "Actor-address-recommended",
        "Actor-website-recommended",
        "Actor-theme-recommended",
        "Actor-initiativeType-recommended",
    },
    "proefwinkel": {"Actor-website-recommended"},
}

#: complete actors in the valid fixtures (mariasteen has a theme only through its service)
COMPLETE_ACTORS = ["de-lochting", "mariasteen", "de-bieweg"]


def split_stem(stem: str) -> tuple[str, str]:
    shape, component, *_variant = stem.split(".")
    return shape, component


def violations(results: list[Result]) -> list[Result]:
    return [r for r in results if r.severity == "Violation"]


# --- folders and tables -------------------------------------------------------------------


def test_fixture_folders_are_not_empty() -> None:
    for kind in ("valid", "invalid", "warnings"):
        assert sorted((FIXTURES / kind).glob("*.ttl")), f"fixtures/{kind}/ is empty"


def test_invalid_table_matches_the_folder() -> None:
    assert {p.stem for p in INVALID_FILES} == set(INVALID)


def test_every_violation_rule_has_an_invalid_fixture(shapes_graph: Graph) -> None:
    """Adding a rule (or a constraint to a rule) without a fixture fails here."""
    defined = {
        (shape, component)
        for shape, component, severity in rule_constraints(shapes_graph)
        if severity == "Violation"
    }
    covered = {split_stem(stem) for stem in INVALID}
    assert defined, "no violation rules found in shapes/"
    assert defined - covered == set(), "violation rules without an invalid fixture"
    assert covered - defined == set(), "invalid fixtures for rules that do not exist"


def test_every_warning_rule_is_exercised(shapes_graph: Graph) -> None:
    defined = {s for s, _c, severity in rule_constraints(shapes_graph) if severity == "Warning"}
    assert defined == set().union(*EXPECTED_WARNINGS.values())


# --- valid --------------------------------------------------------------------------------


def test_valid_fixtures_conform_without_any_result(
    base_graph: Graph, validate: Callable[..., list[Result]]
) -> None:
    results = validate(base_graph)
    assert [(r.shape, r.component, str(r.focus)) for r in results] == []


@pytest.mark.parametrize("key", COMPLETE_ACTORS)
def test_complete_actor_has_no_warning(
    key: str, base_graph: Graph, validate: Callable[..., list[Result]]
) -> None:
    results = validate(base_graph, focus_nodes=[str(ORGANISATIE[key])])
    assert [r for r in results if r.focus == ORGANISATIE[key]] == []


def test_valid_fixtures_hold_every_kind(base_graph: Graph) -> None:
    """The base exercises every class the shapes target (so no rule is trivially satisfied)."""
    classes = set(base_graph.objects(None, RDF.type))
    for name in (
        "SocialEconomyActor", "Site", "Service", "Figure", "Municipality", "Arrondissement",
        "Province", "Region", "MunicipalMerger", "Integration", "DirectingRole", "Definition",
        "LegalResource", "Assertion", "BasicPrinciple", "InitiativeType", "Theme",
        "TargetGroup", "DirectingRoleTask", "PolicyPriority", "LegalForm",
    ):
        assert MW[name] in classes, name


# --- invalid ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.stem)
def test_invalid_fixture_is_rejected_by_its_rule(
    path: Path,
    with_base: Callable[[Path], Graph],
    validate: Callable[..., list[Result]],
) -> None:
    shape, component = split_stem(path.stem)
    found = violations(validate(with_base(path)))
    assert found, f"{path.name}: no violation"
    assert {(r.shape, r.component) for r in found} == {(shape, component)}
    for result in found:
        assert any(INVALID[path.stem] in m for m in result.messages.get("en", [])), result.messages
        assert result.messages.get("nl"), f"{path.name}: no Dutch message"


# --- warnings -----------------------------------------------------------------------------


def test_incomplete_actors_get_exactly_the_missing_facts_as_warnings(
    with_base: Callable[[Path], Graph], validate: Callable[..., list[Result]]
) -> None:
    results = validate(with_base(WARNINGS_FILE))
    # pyshacl's `conforms` is False as soon as there is any result, warnings included; the
    # build blocks on violations only, so assert on severities.
    assert results
    assert {r.severity for r in results} == {"Warning"}
    got: dict[str, set[str]] = {}
    for r in results:
        assert isinstance(r.focus, URIRef)
        got.setdefault(str(r.focus).removeprefix(str(ORGANISATIE)), set()).add(r.shape)
    assert got == EXPECTED_WARNINGS
    for r in results:
        assert r.messages.get("nl") and r.messages.get("en"), r
