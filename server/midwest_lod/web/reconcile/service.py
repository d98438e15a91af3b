"""The reconciliation service over one published version: candidates, scores, suggestions,
data extension. What the API versions have in common; their JSON is in ``wire``.

Candidates for a name come from the version's search index (:meth:`SearchIndex.candidates`:
exact, prefix and whole-word label matches, then labels sharing any word), organisations
only; an enterprise number finds its organisation through SPARQL
(``queries/reconcile-enterprise-number.rq``). Each candidate is then read
(``queries/reconcile-entity.rq``) and scored (``scoring``).
"""

from __future__ import annotations

from dataclasses import dataclass

from midwest_lod.iris import Iris
from midwest_lod.publication import Version
from midwest_lod.search.index import SearchIndex
from midwest_lod.vocab import ORG, REGORG
from midwest_lod.web.describe import Labels, pick_labels
from midwest_lod.web.queries import QueryFiles
from midwest_lod.web.reconcile.entities import Entities, Entity, Value
from midwest_lod.web.reconcile.scoring import Asked, Scored, rank
from midwest_lod.web.search import index_for

#: The kind of thing reconciled (``/id/organisatie/{id}``; ids are the keys).
KIND = "organisatie"
#: Candidates read and scored per query, at least.
MIN_CANDIDATES = 20
#: Most results of a query, a suggestion, a property proposal.
MAX_LIMIT = 50


@dataclass(frozen=True)
class Property:
    """A property of the service: matched in queries, extended into columns, or both."""

    id: str
    name: str  # Dutch
    name_en: str
    field: str | None  # the field of reconcile-entity.rq that data extension returns
    matched: bool = False  # usable in a reconciliation query


#: The properties, in the order they are proposed. Ids are the terms of the JSON-LD context
#: where one exists (ontology/context.jsonld).
PROPERTIES = (
    Property("municipality", "Gemeente", "Municipality", "activeIn", matched=True),
    Property("postcode", "Postcode", "Postcode", "postcode", matched=True),
    Property("enterpriseNumber", "Ondernemingsnummer", "Enterprise number", "enterpriseNumber",
             matched=True),
    Property("legalName", "Juridische naam", "Legal name", "legalName"),
    Property("legalForm", "Rechtsvorm", "Legal form", "legalForm"),
    Property("initiativeType", "Initiatieftype", "Initiative type", "initiativeType"),
    Property("theme", "Thema", "Theme", "theme"),
    Property("targetGroup", "Doelgroep", "Target group", "targetGroup"),
    Property("address", "Adres", "Address", "address"),
    Property("homepage", "Website", "Website", "homepage"),
    Property("foundingDate", "Oprichtingsjaar", "Year founded", "foundingDate"),
)
PROPERTY_BY_ID = {p.id: p for p in PROPERTIES}


def type_iris(iris: Iris) -> dict[str, str]:
    """Type ids (the JSON-LD context's terms) → class IRIs, the default type first."""
    return {"SocialEconomyActor": f"{iris.vocab}SocialEconomyActor",
            "Organization": str(ORG.Organization),
            "FormalOrganization": str(ORG.FormalOrganization),
            "RegisteredOrganization": str(REGORG.RegisteredOrganization)}


@dataclass(frozen=True)
class Suggestion:
    id: str
    name: str
    description: str
    types: dict[str, str]  # type id -> name


class Reconciler:
    """The service over ``version`` (made per request: it holds nothing of its own)."""

    def __init__(self, version: Version, queries: QueryFiles, iris: Iris,
                 vocabulary: Labels) -> None:
        self.version = version
        self.iris = iris
        self.entities = Entities(version, queries)
        self.vocabulary = vocabulary
        self.types = type_iris(iris)
        self._type_ids = {iri: tid for tid, iri in self.types.items()}

    @property
    def index(self) -> SearchIndex:
        return index_for(self.version, self.iris)

    # --- ids -----------------------------------------------------------------------------

    def iri(self, entity_id: str) -> str | None:
        """The IRI of an id (a key, or a full IRI of an organisation); None for another."""
        if self.iris.kind_of(entity_id) == KIND:
            return entity_id
        if "/" in entity_id or not entity_id:
            return None
        return str(self.iris.thing(KIND, entity_id))

    def id_of(self, iri: str) -> str:
        return iri.rsplit("/", 1)[-1]

    def type_iri(self, type_id: str) -> str:
        """The class IRI of a type id (or of a class IRI given as id)."""
        return self.types.get(type_id, type_id)

    def type_name(self, class_iri: str) -> str:
        return pick_labels(self.vocabulary.get(class_iri), class_iri.rsplit("#", 1)[-1])[0]

    def types_of(self, entity: Entity) -> dict[str, str]:
        """Type id → Dutch name of the types of ``entity`` that the service knows."""
        return {self._type_ids[iri]: self.type_name(iri)
                for iri in self.types.values() if iri in entity.types}

    # --- reconciliation ------------------------------------------------------------------

    def candidates(self, asked: Asked) -> list[Entity]:
        wanted = max(MIN_CANDIDATES, 2 * asked.limit)
        iris: dict[str, None] = {}
        for number in asked.enterprise_numbers:
            iris.update(dict.fromkeys(self.entities.with_enterprise_number(number)))
        if asked.name:
            for hit in self.index.candidates(asked.name, wanted * 3):
                if self.iris.kind_of(hit.item.iri) == KIND:
                    iris[hit.item.iri] = None
                    if len(iris) >= wanted:
                        break
        found = (self.entities.get(iri) for iri in iris)
        return [entity for entity in found if entity is not None]

    def reconcile(self, asked: Asked) -> list[Scored]:
        return rank(asked, self.candidates(asked))

    # --- suggestions ---------------------------------------------------------------------

    def suggest_entities(self, prefix: str, offset: int, limit: int) -> list[Suggestion]:
        hits = [hit for hit in self.index.suggest(prefix, min(offset + limit, MAX_LIMIT) * 3)
                if self.iris.kind_of(hit.item.iri) == KIND]
        found = []
        for hit in hits[offset:offset + limit]:
            entity = self.entities.get(hit.item.iri)
            if entity is not None:
                found.append(Suggestion(self.id_of(entity.iri), entity.name,
                                        entity.description(), self.types_of(entity)))
        return found

    def suggest_types(self, prefix: str) -> list[tuple[str, str]]:
        folded = prefix.strip().casefold()
        return [(tid, self.type_name(iri)) for tid, iri in self.types.items()
                if _starts(folded, tid, self.type_name(iri))]

    def suggest_properties(self, prefix: str, *, matched_only: bool = False
                           ) -> list[Property]:
        folded = prefix.strip().casefold()
        return [p for p in PROPERTIES if (p.matched or not matched_only)
                and _starts(folded, p.id, p.name, p.name_en)]

    # --- data extension ------------------------------------------------------------------

    def extend(self, ids: list[str], property_ids: list[str]) -> dict[str, dict[str, list[Value]]]:
        """Per id, per property, the values (none for an unknown id)."""
        rows: dict[str, dict[str, list[Value]]] = {}
        for entity_id in ids:
            iri = self.iri(entity_id)
            entity = self.entities.get(iri) if iri else None
            rows[entity_id] = {
                pid: (entity.of(PROPERTY_BY_ID[pid].field or "") if entity else [])
                for pid in property_ids}
        return rows


def _starts(folded: str, *names: str) -> bool:
    """True when a name, or a word of it, starts with ``folded`` (everything for "")."""
    return any(word.startswith(folded) for name in names
               for word in [name.casefold(), *name.casefold().split()])
