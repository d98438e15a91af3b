"""A small schema.org description (JSON-LD in a page's ``<script type="application/ld+json">``)
of an organisation, place, service or concept, for search engines: made from the values an
entity page shows (:class:`midwest_lod.web.describe.Value`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from midwest_lod.vocab import PREFIXES

if TYPE_CHECKING:
    from midwest_lod.web.describe import Labels, Value

SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]
DCT = PREFIXES["dct"]


def describe(iri: str, values: dict[str, list[Value]], types: list[str], labels: Labels,
               own: str) -> dict[str, Any]:
    """A small schema.org description of an organisation, place, service or concept."""
    kinds = {
        own + "SocialEconomyActor": "Organization",
        PREFIXES["org"] + "Organization": "Organization",
        PREFIXES["org"] + "FormalOrganization": "Organization",
        own + "Municipality": "AdministrativeArea", own + "Arrondissement": "AdministrativeArea",
        own + "Province": "AdministrativeArea", own + "Region": "Place", own + "Site": "Place",
        PREFIXES["org"] + "Site": "Place", own + "Service": "Service",
        PREFIXES["locn"] + "Address": "PostalAddress", SKOS + "Concept": "DefinedTerm",
        SKOS + "ConceptScheme": "DefinedTermSet", PREFIXES["foaf"] + "Document": "DigitalDocument",
    }
    kind = next((kinds[t] for t in types if t in kinds), "Thing")
    from midwest_lod.web.describe import local_name, pick_labels

    name, name_en = pick_labels(labels.get(iri), local_name(iri))
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "@id": iri,
                            "name": name}
    if name_en:
        data["alternateName"] = name_en

    def texts(*predicates: str) -> list[Value]:
        return [v for p in predicates for v in values.get(p, [])]

    description = texts(DCT + "description", SKOS + "definition")
    if description:
        best = next((v for v in description if v.lang == "nl"), description[0])
        data["description"] = best.text
    links = {
        "url": (PREFIXES["foaf"] + "homepage",),
        "foundingDate": (SCHEMA + "foundingDate",),
        "legalName": (PREFIXES["regorg"] + "legalName",),
        "identifier": (own + "nisCode", SKOS + "notation"),
        "provider": (SCHEMA + "provider",),
        "areaServed": (own + "activeIn",),
        "containedInPlace": (own + "arrondissement", own + "province", own + "municipality"),
        "inDefinedTermSet": (SKOS + "inScheme",),
        "address": (PREFIXES["locn"] + "fullAddress",),
        "postalCode": (PREFIXES["locn"] + "postCode",),
        "streetAddress": (PREFIXES["locn"] + "thoroughfare",),
    }
    for key, predicates in links.items():
        found = texts(*predicates)
        if not found:
            continue
        items: list[Any] = [
            {"@id": v.iri, "name": v.text} if v.iri and key not in ("url",) else (v.iri or v.text)
            for v in found
        ]
        data[key] = items[0] if len(items) == 1 else items
    return data
