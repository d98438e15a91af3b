"""The mapping tables: one :class:`~.rows.Kind` per kind of record in ``data/``, with its rows.

Read a row as "this key (or CSV column) gives this predicate, as this value type";
the package docstring (:mod:`midwest_lod.pipeline.mapping`) says how to read and add rows,
data/README.md what the steward writes, docs/model.md what is stated.

- ``actors/<key>.yaml``, ``organisations/<key>.yaml``: :data:`ACTOR`, :data:`ORGANISATION`,
  with their :data:`SITE` (and its :data:`ADDRESS`), :data:`SERVICE` and :data:`FIGURE` records;
- the CSV files of places: :data:`PROVINCE`, :data:`ARRONDISSEMENT`, :data:`MUNICIPALITY`,
  :data:`MERGER` (every value has the row's ``sources``; in ``municipalities.csv`` the columns
  named in ``inferred`` are inferred, with the row's ``reason``);
- ``schemes/<name>.yaml``: :data:`SCHEME` with its :data:`CONCEPT` records;
  ``legislation.yaml``: :data:`LEGISLATION`; ``documents.yaml``: :data:`DOCUMENT`;
- the three sections of ``region.yaml``: :data:`REGION`, :data:`DIRECTING_ROLE`,
  :data:`DEFINITION`.
"""

from __future__ import annotations

from rdflib import RDF, SKOS

from midwest_lod.pipeline.mapping import addresses, rules
from midwest_lod.pipeline.mapping.datatypes import (
    BOOLEAN,
    DATE,
    DECIMAL,
    FULL_DATE,
    INTEGER,
    MEDIA_TYPE,
    NIS_CODE,
    ORGANISATION_KEY,
    PLAIN,
    TEXT_FR,
    TEXT_NL,
    URL,
    YEAR,
    Concept,
    Thing,
)
from midwest_lod.pipeline.mapping.rows import (
    LABEL,
    LABEL_AND_NAME,
    MW,
    NAMED,
    OWN,
    OWN_OR_RECORD,
    PREF_LABEL,
    Check,
    Extra,
    Field,
    Iri,
    Key,
    Kind,
    Link,
    Nested,
    Period,
    Row,
    Rule,
    Target,
    unchecked,
)
from midwest_lod.vocab import (
    ADRES,
    DCT,
    ELI,
    FOAF,
    LOCN,
    ORG,
    ORGANISATIE,
    PROV,
    REGORG,
    SCHEMA,
)

# --- organisations (actors/, organisations/) ------------------------------------------------

THEME = Concept("Thema")
#: A value that can end: ``valid_from``/``valid_through`` of the sourced value (CSV: of the
#: row) give its first and last day (docs/decisions/0019-time.md).
HOLDS = Period()
TARGET_GROUP = Concept("Doelgroep")

#: A figure (of an organisation or of the region): its ``date`` is the date it holds on ("stand
#: op"); a figure about a period (a project's cost) gives ``valid_from``/``valid_through``.
FIGURE = Kind(
    "figure", Iri("cijfer", under_parent=True), (MW.Figure, PROV.Entity), own_record=False,
    rows=(
        Field("label", LABEL, TEXT_NL, required=True),
        Link(MW.hasFigure, Target.PARENT, inverse=True),
        Link(MW.about, Target.PARENT),
        Field("value_text", MW.valueText, TEXT_NL, required=True, during=HOLDS),
        Field("value", SCHEMA.value, DECIMAL, during=HOLDS),
        Field("approximate", MW.approximate, BOOLEAN),
        Field("date", DCT.date, DATE),
        Field("date_note", MW.dateNote, TEXT_NL),
    ))

#: The address of a site: keyed and supported like its site.
ADDRESS = Kind(
    "address", Iri("adres"), (LOCN.Address,), key=None, own_record=False, sourced=False,
    inferable=False, notes=False,
    rows=(
        Link(ORG.siteAddress, Target.PARENT, inverse=True),
        Field("street", LOCN.thoroughfare, PLAIN, sources=OWN_OR_RECORD),
        Field("number", ADRES["Adresvoorstelling.huisnummer"], PLAIN, sources=OWN_OR_RECORD),
        Field("postcode", LOCN.postCode, PLAIN, sources=OWN_OR_RECORD),
        Field("locality", ADRES.gemeentenaam, TEXT_NL, sources=OWN_OR_RECORD),
        Rule(addresses.full_address),
        Rule(addresses.site_municipality),
        Rule(addresses.register_link),
    ))

SITE = Kind(
    "site", Iri("vestiging", under_parent=True), (MW.Site, ORG.Site), own_record=False,
    rows=(
        Link(ORG.hasSite, Target.PARENT, inverse=True),
        Field("name", LABEL, TEXT_NL, required=True),
        Field("description", DCT.description, TEXT_NL),
        Field("municipality", MW.municipality, NIS_CODE),
        Nested("address", ADDRESS, many=False),
    ))

SERVICE = Kind(
    "service", Iri("dienst", under_parent=True), (MW.Service, SCHEMA.Service), own_record=False,
    rows=(
        Field("name", LABEL_AND_NAME, TEXT_NL, required=True),
        Link(SCHEMA.provider, Target.PARENT),
        Field("description", DCT.description, TEXT_NL),
        Field("themes", MW.theme, THEME, many=True, sources=OWN_OR_RECORD),
        Field("target_groups", MW.targetGroup, TARGET_GROUP, many=True, sources=OWN_OR_RECORD),
    ))

#: The fields of every organisation, after its name (each value with its own sources).
_FACTS: tuple[Row, ...] = (
    Field("legal_name", REGORG.legalName, TEXT_NL, sources=OWN),
    Field("legal_form", ORGANISATIE.rechtsvorm, Concept("Rechtsvorm"), sources=OWN,
          implies=((RDF.type, ORG.FormalOrganization),)),
    Rule(rules.enterprise_number, reads=("enterprise_number",)),
    Field("initiative_types", MW.initiativeType, Concept("Initiatieftype"), many=True,
          sources=OWN),
    Field("self_described_as", MW.selfDescribedAs, TEXT_NL, sources=OWN),
    Field("description", DCT.description, TEXT_NL, sources=OWN, during=HOLDS),
    Field("website", FOAF.homepage, URL, sources=OWN),
    Field("founded", SCHEMA.foundingDate, YEAR, sources=OWN,
          extras=(Extra("description", MW.foundingNote, TEXT_NL),)),
    Field("sub_organisation_of", ORG.subOrganizationOf, ORGANISATION_KEY, sources=OWN,
          during=HOLDS),
    Field("member_of", ORG.memberOf, ORGANISATION_KEY, sources=OWN, during=HOLDS),
    Rule(rules.integration, reads=("integrated_into",)),
    Field("target_groups", MW.targetGroup, TARGET_GROUP, many=True, sources=OWN),
    Field("target_group_description", MW.targetGroupDescription, TEXT_NL, sources=OWN),
    Field("themes", MW.theme, THEME, many=True, sources=OWN),
    Field("active_in", MW.activeIn, NIS_CODE, many=True, sources=OWN),
    Nested("sites", SITE),
    Rule(rules.primary_site, reads=("primary_site",)),
    Nested("services", SERVICE),
    Nested("figures", FIGURE),
)
_NAME = Field("name", NAMED, TEXT_NL, required=True)
_FILE_NAME_KEY = Key(is_file_name=True)

#: ``organisations/<key>.yaml``: an organisation the actors relate to.
ORGANISATION = Kind(
    "organisation", Iri("organisatie"), (ORG.Organization,), key=_FILE_NAME_KEY,
    inferable=False, rows=(_NAME, *_FACTS))

#: ``actors/<key>.yaml``: a social-economy actor named on the Midwest page (the region).
ACTOR = Kind(
    "organisation", Iri("organisatie"), (MW.SocialEconomyActor, ORG.Organization),
    key=_FILE_NAME_KEY, inferable=False,
    rows=(_NAME, Link(MW.listedBy, Target.REGION), *_FACTS))


# --- places (the CSV files) -------------------------------------------------------------------

#: The names of a place: Dutch (required) and French.
NAMES = (
    Field("name_nl", PREF_LABEL, TEXT_NL, required=True),
    Field("name_fr", PREF_LABEL, TEXT_FR),
)
NIS_KEY = Key("nis", check=unchecked)

PROVINCE = Kind(
    "province", Iri("provincie"), (MW.Province, DCT.Location),
    columns=("key", "name_nl", "sources"),
    rows=NAMES)

ARRONDISSEMENT = Kind(
    "arrondissement", Iri("arrondissement"), (MW.Arrondissement, DCT.Location), key=NIS_KEY,
    columns=("nis", "name_nl", "sources"),
    rows=(
        *NAMES,
        Field("nis", MW.nisCode, PLAIN),
        Field("province", MW.province, Thing("provincie")),
    ))

MUNICIPALITY = Kind(
    "municipality", Iri("gemeente"), (MW.Municipality, DCT.Location), key=NIS_KEY,
    columns=("nis", "name_nl", "name_fr", "arrondissement", "postcodes", "localities", "role",
             "valid_from", "valid_through", "replaced_by", "inferred", "reason", "sources"),
    rows=(
        Rule(rules.municipality_labels, reads=("name_nl", "name_fr")),
        Field("nis", MW.nisCode, PLAIN),
        Field("arrondissement", MW.arrondissement, Thing("arrondissement")),
        Field("postcodes", MW.postalCode, PLAIN, many=True),
        Field("localities", MW.postalLocality, PLAIN, many=True),
        Field("valid_from", MW.validFrom, FULL_DATE),
        Field("valid_through", MW.validThrough, FULL_DATE),
        Rule(rules.registry_links),
        Field("replaced_by", DCT.isReplacedBy, NIS_CODE, inverse=DCT.replaces),
        Rule(rules.region_membership),
    ))

MERGER = Kind(
    "merger", Iri("fusie"), (MW.MunicipalMerger, PROV.Activity),
    columns=("key", "date", "merged", "result", "sources"),
    rows=(
        Rule(rules.merger_label),
        Field("date", DCT.date, DATE, required=True),
        Field("merged", MW.mergedMunicipality, NIS_CODE, many=True),
        Field("result", MW.resultingMunicipality, NIS_CODE, required=True),
    ))


# --- schemes, legislation, documents, region.yaml ----------------------------------------------

LEGAL_RESOURCE = Thing("regelgeving")

CONCEPT = Kind(
    "concept", Iri("concept"), (SKOS.Concept, rules.class_of_scheme),
    rows=(
        Field("label", PREF_LABEL, TEXT_NL, required=True),
        Field("alt_labels", SKOS.altLabel, TEXT_NL, many=True),
        Field("definition", SKOS.definition, TEXT_NL),
        Field("scope_note", SKOS.scopeNote, TEXT_NL),
        Field("notation", SKOS.notation, PLAIN),
        Field("order", MW.order, INTEGER),
        Field("legal_basis", MW.legalBasis, LEGAL_RESOURCE, many=True),
        Link(SKOS.inScheme, Target.PARENT),
        Link(SKOS.topConceptOf, Target.PARENT),
        Link(SKOS.hasTopConcept, Target.PARENT, inverse=True),
    ))

#: ``schemes/<name>.yaml``: its ``class`` is the class of its concepts.
SCHEME = Kind(
    "concept scheme", Iri("conceptscheme"), (SKOS.ConceptScheme,),
    key=Key("scheme", check=rules.scheme_name), inferable=False,
    checks=(Check(rules.check_concept_class, reads=("class",)),),
    rows=(
        Field("title", PREF_LABEL, TEXT_NL, required=True),
        Field("title", DCT.title, TEXT_NL),
        Field("scope_note", SKOS.scopeNote, TEXT_NL),
        Nested("concepts", CONCEPT, required=True),
    ))

LEGISLATION = Kind(
    "legal resource", Iri("regelgeving"), (MW.LegalResource, ELI.LegalResource),
    rows=(
        Field("title", LABEL, TEXT_NL, required=True, only="nl"),
        Field("title", DCT.title, TEXT_NL),
        Field("date", DCT.date, DATE),
        Field("in_force_from", MW.inForceFrom, DATE),
        Field("in_force_through", ELI.date_no_longer_in_force, FULL_DATE),
        Field("url", FOAF.page, URL),
    ))

#: A document the Midwest page links; without a known title its file name is the label.
DOCUMENT = Kind(
    "document", Iri("document"), (FOAF.Document, SCHEMA.DigitalDocument),
    rows=(
        Field("title", DCT.title, TEXT_NL),
        Field("title", LABEL, TEXT_NL, required=True, or_else="file_name"),
        Field("file_name", MW.fileName, PLAIN),
        Field("media_type", DCT.format, MEDIA_TYPE),
        Field("size_text", SCHEMA.contentSize, PLAIN),
        Field("page", FOAF.page, URL),
        Field("creator", DCT.creator, ORGANISATION_KEY, sources=OWN_OR_RECORD),
        Field("date", DCT.date, DATE, sources=OWN_OR_RECORD),
        Field("date_note", MW.dateNote, TEXT_NL),
        Field("description", DCT.description, TEXT_NL),
        Link(DCT.spatial, Target.REGION),
    ))

#: ``region.yaml``, section ``region``.
REGION = Kind(
    "region", Iri("regio"), (MW.Region, DCT.Location), inferable=False,
    on_subject=rules.remember_region,
    rows=(
        Field("name", PREF_LABEL, TEXT_NL, required=True),
        Field("alt_names", SKOS.altLabel, TEXT_NL, many=True, sources=OWN_OR_RECORD),
        Field("description", DCT.description, TEXT_NL),
        Field("organisation", MW.coordinatedBy, ORGANISATION_KEY),
        Nested("figures", FIGURE),
    ))

#: ``region.yaml``, section ``directing_role``: the regierol.
DIRECTING_ROLE = Kind(
    "directing role", Iri("regierol"), (MW.DirectingRole,), inferable=False,
    rows=(
        Field("name", LABEL, TEXT_NL, required=True),
        Field("description", DCT.description, TEXT_NL, sources=OWN_OR_RECORD, during=HOLDS),
        Field("held_by", MW.heldBy, ORGANISATION_KEY),
        Field("region", MW.coversRegion, Thing("regio")),
        Field("minimum_tasks", MW.minimumTask, Concept("RegierolTaak"), many=True,
              sources=OWN),
        Field("policy_priorities", MW.policyPriority, Concept("RegierolPrioriteit"), many=True,
              sources=OWN),
        Field("legal_basis", MW.legalBasis, LEGAL_RESOURCE, many=True, sources=OWN,
              during=HOLDS),
    ))

#: ``region.yaml``, section ``definition``: the VOSEC definition of the social economy.
DEFINITION = Kind(
    "definition", Iri("definitie"), (MW.Definition,), inferable=False,
    rows=(
        Field("name", LABEL, TEXT_NL, required=True),
        Field("text", MW.definitionText, TEXT_NL, required=True),
        Field("creator", DCT.creator, TEXT_NL),
        Field("year", DCT.created, DATE),
        Field("principles", MW.basicPrinciple, Concept("Basisprincipe"), many=True),
    ))
