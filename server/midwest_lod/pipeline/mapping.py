"""Mapping the records of ``data/`` to RDF statements (docs/model.md).

One method per kind of file. Each reads its records with :class:`~.values.Record` (which checks
fields and raises :class:`SourceError` with file, line and field) and emits statements through
the :class:`~.emitter.Emitter`, which files them under their sources. A record with an error
is skipped and its error collected, so the steward sees every problem of a run at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Literal, URIRef

from midwest_lod.errors import SourceError
from midwest_lod.iris import Iris, is_key
from midwest_lod.pipeline.emitter import INFERRED, Emitter, Origin, Support
from midwest_lod.pipeline.sources import (
    Row,
    SourceFile,
    list_files,
    load_csv,
    load_yaml,
    read_file,
)
from midwest_lod.pipeline.values import (
    Record,
    Sourced,
    boolean_literal,
    date_literal,
    decimal_literal,
    is_absolute_url,
    url_ref,
)
from midwest_lod.vocab import (
    ADMS,
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

ORGANISATION_FIELDS = {
    "key", "name", "sources", "legal_name", "legal_form", "enterprise_number",
    "initiative_types", "self_described_as", "description", "website", "founded",
    "sub_organisation_of", "member_of", "integrated_into", "target_groups",
    "target_group_description", "themes", "active_in", "primary_site", "sites", "services",
    "figures", "note",
}
SITE_FIELDS = {"key", "name", "description", "municipality", "address", "sources", "basis",
               "reason", "note"}
ADDRESS_FIELDS = {"street", "number", "postcode", "locality"}
SERVICE_FIELDS = {"key", "name", "description", "themes", "target_groups", "sources", "basis",
                  "reason", "note"}
FIGURE_FIELDS = {"key", "label", "value_text", "value", "approximate", "date", "date_note",
                 "sources", "basis", "reason", "note"}
SCHEME_FIELDS = {"scheme", "class", "title", "scope_note", "sources", "concepts", "note"}
CONCEPT_FIELDS = {"key", "label", "alt_labels", "definition", "scope_note", "notation", "order",
                  "legal_basis", "sources", "basis", "reason", "note"}
CONCEPT_CLASSES = {"BasicPrinciple", "InitiativeType", "Theme", "TargetGroup",
                   "DirectingRoleTask", "PolicyPriority", "LegalForm"}
#: Scheme of the concepts each organisation field refers to.
SCHEME_OF = {
    "legal_form": "Rechtsvorm",
    "initiative_types": "Initiatieftype",
    "themes": "Thema",
    "target_groups": "Doelgroep",
    "minimum_tasks": "RegierolTaak",
    "policy_priorities": "RegierolPrioriteit",
    "principles": "Basisprincipe",
}
ENTERPRISE_AGENCY = "Kruispuntbank van Ondernemingen"
KBO_PUBLIC_SEARCH = URIRef("https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html")
ONDERNEMING = "https://data.vlaanderen.be/id/onderneming/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
#: Registry links of municipalities (issue #4): data.vlaanderen.be and the belgif REFNIS lists.
VLAANDEREN_GEMEENTE = "https://data.vlaanderen.be/id/gemeente/"
REFNIS = "http://vocab.belgif.be/auth/refnis{edition}/"
#: The cache of `midwest-lod link addresses` (data/README.md, "data/links/").
ADDRESS_LINKS = "links/addresses.csv"
ADDRESS_LINK_COLUMNS = ("actor", "site", "address", "full_address", "score", "response_date",
                        "request_url")
ADDRESS_REGISTER = "https://data.vlaanderen.be/id/adres/"


class Mapper:
    """Maps every file of a data folder; collects statements and errors."""

    def __init__(self, root: Path, iris: Iris) -> None:
        self.root = root
        self.iris = iris
        self.mw = iris.vocab
        self.files: dict[str, str] = {}  # relative path -> sha256 of every file read
        self.errors: list[SourceError] = []
        self.emitter = Emitter(iris, {})
        self.region: URIRef | None = None
        self.organisation_keys: dict[str, str] = {}  # key -> file that defines it
        self.actor_iris: list[URIRef] = []
        self._address_links: dict[tuple[str, str], Row] | None = None

    # --- driving -------------------------------------------------------------------------

    def run_reference(self) -> Emitter:
        """Map everything but the organisations (schemes, places, region, documents)."""
        self._guard(self.map_schemes)
        self._guard(self.map_legislation)
        self._guard(self.map_provinces)
        self._guard(self.map_arrondissements)
        self._guard(self.map_region)
        self._guard(self.map_municipalities)
        self._guard(self.map_mergers)
        self._guard(self.map_documents)
        self.emitter.input_sha256 = self.input_sha256()
        return self.emitter

    def organisation_files(self) -> list[tuple[str, bool]]:
        """(relative path, is an actor) of every organisation file, sorted."""
        return [(relative, is_actor)
                for folder, is_actor in (("actors", True), ("organisations", False))
                for relative in list_files(self.root, folder, ".yaml")]

    def run_organisations(self, batch: Iterable[tuple[str, bool]]) -> Emitter:
        """Map a batch of organisation files into a fresh emitter."""
        names = self.emitter.names
        self.emitter = Emitter(self.iris, {})
        self.emitter.names = names
        for relative, is_actor in batch:
            try:
                self.map_organisation(relative, is_actor)
            except SourceError as exc:
                self.errors.append(exc)
        self.emitter.input_sha256 = self.input_sha256()
        return self.emitter

    def input_sha256(self) -> dict[str, str]:
        return dict(self.files)

    def _guard(self, step: Callable[[], None]) -> None:
        try:
            step()
        except SourceError as exc:
            self.errors.append(exc)

    def _each(self, records: Iterable[Any], handle: Callable[[Any], None]) -> None:
        for record in records:
            try:
                handle(record)
            except SourceError as exc:
                self.errors.append(exc)

    def _read(self, relative: str, *, optional: bool = False) -> SourceFile | None:
        if optional and not (self.root / relative).is_file():
            return None
        source = read_file(self.root, relative)
        self.files[relative] = source.sha256
        return source

    def _yaml(self, relative: str, *, optional: bool = False) -> Any:
        source = self._read(relative, optional=optional)
        return None if source is None else load_yaml(source)

    def _csv(self, relative: str, required: tuple[str, ...]) -> list[Row]:
        source = self._read(relative)
        assert source is not None
        return load_csv(source, required=required)

    # --- helpers -------------------------------------------------------------------------

    def emit(self, s: URIRef, p: URIRef, o: Any, support: Support, origin: Origin) -> None:
        self.emitter.emit(s, p, o, support, origin)

    def labels(self, subject: URIRef, literals: list[Literal], support: Support,
               origin: Origin, *, pref: bool = True, name: bool = False) -> None:
        for literal in literals:
            self.emit(subject, RDFS.label, literal, support, origin)
            if pref:
                self.emit(subject, SKOS.prefLabel, literal, support, origin)
            if name:
                self.emit(subject, SCHEMA.name, literal, support, origin)
        dutch = [lit for lit in literals if lit.language == "nl"]
        if dutch:
            self.emitter.names.setdefault(subject, str(dutch[0]))

    def begin(self, subject: URIRef) -> None:
        """Start a record: its statements and its nested things' share assertion graphs."""
        self.emitter.record = subject

    def types(self, subject: URIRef, classes: Iterable[URIRef], support: Support,
              origin: Origin) -> None:
        self.emitter.mark(subject, origin)
        for cls in classes:
            self.emit(subject, RDF.type, cls, support, origin)

    def define(self, path: str, key: str, what: str, seen: dict[str, str], line: int | None,
               field: str = "key") -> None:
        if key in seen:
            raise SourceError(path, line, f"duplicate {what} key {key!r} (already defined in "
                              f"{seen[key]})", field)
        seen[key] = f"{path}:{line}" if line else path

    def municipality(self, value: Any, origin: Origin) -> URIRef:
        nis = str(value).strip()
        if not nis.isdigit():
            raise SourceError(origin.path, origin.line,
                              f"{nis!r} is not a NIS code (5 digits, e.g. 36015 for Roeselare)",
                              origin.field)
        return self.iris.thing("gemeente", nis)

    def concept_ref(self, field: str, value: Any, origin: Origin) -> URIRef:
        key = str(value).strip()
        if not is_key(key):
            raise SourceError(origin.path, origin.line, f"{key!r} is not a valid concept key",
                              origin.field)
        return self.iris.concept(SCHEME_OF[field], key)

    def organisation_ref(self, value: Any, origin: Origin) -> URIRef:
        key = str(value).strip()
        if not is_key(key):
            raise SourceError(origin.path, origin.line,
                              f"{key!r} is not a valid organisation key", origin.field)
        return self.iris.thing("organisatie", key)

    # --- concept schemes -----------------------------------------------------------------

    def map_schemes(self) -> None:
        seen: dict[str, str] = {}
        for relative in list_files(self.root, "schemes", ".yaml"):
            try:
                self.map_scheme(relative, seen)
            except SourceError as exc:
                self.errors.append(exc)

    def map_scheme(self, relative: str, seen: dict[str, str]) -> None:
        record = Record(self._yaml(relative), relative, allowed=SCHEME_FIELDS,
                        what="concept scheme")
        name = str(record.require("scheme")).strip()
        if not name[:1].isupper() or not name.isalnum():
            raise record.error("scheme", f"{name!r} is not a scheme name (CamelCase, e.g. Thema)")
        self.define(relative, name, "scheme", seen, record.line_of("scheme"), "scheme")
        cls_name = str(record.require("class")).strip()
        if cls_name not in CONCEPT_CLASSES:
            raise record.error("class", f"unknown concept class {cls_name!r}; use one of "
                               f"{', '.join(sorted(CONCEPT_CLASSES))}")
        scheme = self.iris.scheme(name)
        self.begin(scheme)
        support = record.support()
        origin = record.origin()
        self.types(scheme, [SKOS.ConceptScheme], support, origin)
        titles = record.texts("title", "nl", required=True)
        self.labels(scheme, titles, support, record.origin("title"))
        for title in titles:
            self.emit(scheme, DCT.title, title, support, record.origin("title"))
        for note in record.texts("scope_note", "nl"):
            self.emit(scheme, SKOS.scopeNote, note, support, record.origin("scope_note"))
        keys: dict[str, str] = {}
        concepts = record.items("concepts", allowed=CONCEPT_FIELDS, what="concept")
        if not concepts:
            raise record.error("concepts", "a concept scheme needs at least one concept")
        self._each(concepts, lambda c: self.map_concept(c, name, cls_name, keys))

    def map_concept(self, record: Record, scheme_name: str, cls_name: str,
                    keys: dict[str, str]) -> None:
        key = record.key()
        self.define(record.path, key, "concept", keys, record.line)
        concept = self.iris.concept(scheme_name, key)
        self.begin(concept)
        scheme = self.iris.scheme(scheme_name)
        support = record.support()
        origin = record.origin()
        self.types(concept, [SKOS.Concept, self.mw[cls_name]], support, origin)
        self.labels(concept, record.texts("label", "nl", required=True), support,
                    record.origin("label"))
        for alt in _as_list(record.get("alt_labels")):
            for literal in record.texts("alt_labels", "nl", value=alt):
                self.emit(concept, SKOS.altLabel, literal, support, record.origin("alt_labels"))
        for text in record.texts("definition", "nl"):
            self.emit(concept, SKOS.definition, text, support, record.origin("definition"))
        for text in record.texts("scope_note", "nl"):
            self.emit(concept, SKOS.scopeNote, text, support, record.origin("scope_note"))
        notation = record.string("notation")
        if notation:
            self.emit(concept, SKOS.notation, Literal(notation), support,
                      record.origin("notation"))
        if record.has("order"):
            order = record.get("order")
            if not isinstance(order, int) or isinstance(order, bool):
                raise record.error("order", f"order must be a whole number, got {order!r}")
            self.emit(concept, self.mw.order, Literal(str(order), datatype=XSD.integer), support,
                      record.origin("order"))
        for legal in _as_list(record.get("legal_basis")):
            target = self.iris.thing("regelgeving", str(legal).strip())
            self.emit(concept, self.mw.legalBasis, target, support, record.origin("legal_basis"))
        self.emit(concept, SKOS.inScheme, scheme, support, origin)
        self.emit(concept, SKOS.topConceptOf, scheme, support, origin)
        self.emit(scheme, SKOS.hasTopConcept, concept, support, origin)

    # --- legislation, documents ----------------------------------------------------------

    def map_legislation(self) -> None:
        relative = "legislation.yaml"
        items = self._yaml(relative)
        seen: dict[str, str] = {}
        fields = {"key", "title", "date", "in_force_from", "url", "sources", "basis", "reason",
                  "note"}

        def handle(raw: Any) -> None:
            record = Record(raw, relative, allowed=fields, what="legal resource")
            key = record.key()
            self.define(relative, key, "legal resource", seen, record.line)
            subject = self.iris.thing("regelgeving", key)
            self.begin(subject)
            support = record.support()
            self.types(subject, [self.mw.LegalResource, ELI.LegalResource], support,
                       record.origin())
            titles = record.texts("title", "nl", required=True)
            self.labels(subject, [t for t in titles if t.language == "nl"], support,
                        record.origin("title"), pref=False)
            for title in titles:
                self.emit(subject, DCT.title, title, support, record.origin("title"))
            if record.has("date"):
                self.emit(subject, DCT.date, date_literal(record.get("date"),
                          record.origin("date")), support, record.origin("date"))
            if record.has("in_force_from"):
                self.emit(subject, self.mw.inForceFrom,
                          date_literal(record.get("in_force_from"), record.origin("in_force_from")),
                          support, record.origin("in_force_from"))
            if record.has("url"):
                self.emit(subject, FOAF.page, url_ref(record.get("url"), record.origin("url")),
                          support, record.origin("url"))

        self._each(_list_of(items, relative, "legislation"), handle)

    def map_documents(self) -> None:
        relative = "documents.yaml"
        items = self._yaml(relative)
        seen: dict[str, str] = {}
        fields = {"key", "title", "file_name", "media_type", "size_text", "page", "creator",
                  "date", "date_note", "description", "sources", "basis", "reason", "note"}

        def handle(raw: Any) -> None:
            record = Record(raw, relative, allowed=fields, what="document")
            key = record.key()
            self.define(relative, key, "document", seen, record.line)
            subject = self.iris.thing("document", key)
            self.begin(subject)
            support = record.support()
            origin = record.origin()
            self.types(subject, [FOAF.Document, SCHEMA.DigitalDocument], support, origin)
            titles = record.texts("title", "nl")
            for title in titles:
                self.emit(subject, DCT.title, title, support, record.origin("title"))
            file_name = record.string("file_name")
            if not titles and not file_name:
                raise record.error("title", "a document needs a title or a file_name")
            self.labels(subject, titles or [Literal(file_name, lang="nl")], support,
                        record.origin("title" if titles else "file_name"), pref=False)
            if file_name:
                self.emit(subject, self.mw.fileName, Literal(file_name), support,
                          record.origin("file_name"))
            media_type = record.string("media_type")
            if media_type:
                self.emit(subject, DCT.format, URIRef(IANA_MEDIA_TYPES + media_type), support,
                          record.origin("media_type"))
            size = record.string("size_text")
            if size:
                self.emit(subject, SCHEMA.contentSize, Literal(size), support,
                          record.origin("size_text"))
            if record.has("page"):
                self.emit(subject, FOAF.page, url_ref(record.get("page"), record.origin("page")),
                          support, record.origin("page"))
            creator = record.sourced("creator", default=support)
            if creator:
                self.emit(subject, DCT.creator,
                          self.organisation_ref(creator.value, creator.origin),
                          creator.support, creator.origin)
            date = record.sourced("date", default=support)
            if date:
                self.emit(subject, DCT.date, date_literal(date.value, date.origin), date.support,
                          date.origin)
            note = record.string("date_note")
            if note:
                self.emit(subject, self.mw.dateNote, Literal(note), support,
                          record.origin("date_note"))
            for text in record.texts("description", "en"):
                self.emit(subject, DCT.description, text, support, record.origin("description"))
            if self.region is not None:
                self.emit(subject, DCT.spatial, self.region, support, origin)

        self._each(_list_of(items, relative, "documents"), handle)

    # --- places --------------------------------------------------------------------------

    def map_provinces(self) -> None:
        seen: dict[str, str] = {}

        def handle(row: Row) -> None:
            key = row.get("key")
            if not is_key(key):
                raise row.error("key", f"{key!r} is not a valid key")
            self.define(row.path, key, "province", seen, row.line)
            subject = self.iris.thing("provincie", key)
            self.begin(subject)
            support = _row_support(row)
            origin = Origin(row.path, row.line)
            self.types(subject, [self.mw.Province, DCT.Location], support, origin)
            self.labels(subject, _row_names(row), support, origin)

        self._each(self._csv("provinces.csv", ("key", "name_nl", "sources")), handle)

    def map_arrondissements(self) -> None:
        seen: dict[str, str] = {}

        def handle(row: Row) -> None:
            nis = row.get("nis")
            self.define(row.path, nis, "arrondissement", seen, row.line, "nis")
            subject = self.iris.thing("arrondissement", nis)
            self.begin(subject)
            support = _row_support(row)
            origin = Origin(row.path, row.line)
            self.types(subject, [self.mw.Arrondissement, DCT.Location], support, origin)
            self.labels(subject, _row_names(row), support, origin)
            self.emit(subject, self.mw.nisCode, Literal(nis), support, Origin(row.path, row.line,
                                                                              "nis"))
            province = row.get("province")
            if province:
                self.emit(subject, self.mw.province, self.iris.thing("provincie", province),
                          support, Origin(row.path, row.line, "province"))

        self._each(self._csv("arrondissements.csv", ("nis", "name_nl", "sources")), handle)

    def map_municipalities(self) -> None:
        seen: dict[str, str] = {}
        columns = ("nis", "name_nl", "name_fr", "arrondissement", "postcodes", "localities",
                   "role", "valid_from", "valid_through", "replaced_by", "inferred", "reason",
                   "sources")

        def handle(row: Row) -> None:
            nis = row.get("nis")
            self.define(row.path, nis, "municipality", seen, row.line, "nis")
            subject = self.iris.thing("gemeente", nis)
            self.begin(subject)
            stated = _row_support(row, stated_only=True)
            inferred_columns = {c.strip() for c in row.get("inferred").split(";") if c.strip()}
            unknown = sorted(inferred_columns - set(columns))
            if unknown:
                raise row.error("inferred", f"unknown column(s) {', '.join(unknown)} in inferred")
            reason = row.get("reason")
            if inferred_columns and not reason:
                raise row.error("reason", "inferred values need a reason")

            def support_for(column: str) -> Support:
                if column in inferred_columns:
                    return Support(stated.sources, INFERRED, reason)
                return stated

            def at(column: str) -> Origin:
                return Origin(row.path, row.line, column)

            self.types(subject, [self.mw.Municipality, DCT.Location], stated, Origin(row.path,
                                                                                      row.line))
            self.labels(subject, _row_names(row), support_for("name_nl"), at("name_nl"))
            self.emit(subject, self.mw.nisCode, Literal(nis), support_for("nis"), at("nis"))
            if row.get("arrondissement"):
                self.emit(subject, self.mw.arrondissement,
                          self.iris.thing("arrondissement", row.get("arrondissement")),
                          support_for("arrondissement"), at("arrondissement"))
            for postcode in _split(row.get("postcodes")):
                self.emit(subject, self.mw.postalCode, Literal(postcode),
                          support_for("postcodes"), at("postcodes"))
            for locality in _split(row.get("localities")):
                self.emit(subject, self.mw.postalLocality, Literal(locality),
                          support_for("localities"), at("localities"))
            for column, prop in (("valid_from", self.mw.validFrom),
                                 ("valid_through", self.mw.validThrough)):
                if row.get(column):
                    literal = date_literal(row.get(column), at(column))
                    if literal.datatype != XSD.date:
                        raise row.error(column, f"{column} must be a full date YYYY-MM-DD")
                    self.emit(subject, prop, literal, support_for(column), at(column))
            self.map_municipality_links(row, subject, support_for("nis"), at("nis"))
            if row.get("replaced_by"):
                successor = self.municipality(row.get("replaced_by"), at("replaced_by"))
                self.emit(subject, DCT.isReplacedBy, successor, support_for("replaced_by"),
                          at("replaced_by"))
                self.emit(successor, DCT.replaces, subject, support_for("replaced_by"),
                          at("replaced_by"))
            role = row.get("role")
            if role not in ("member", "cooperating", "successor"):
                raise row.error("role", f"role must be member, cooperating or successor, got "
                                        f"{role!r}")
            if self.region is None:
                raise row.error("role", "region.yaml defines no region to be a member of")
            prop = self.mw.cooperatingMunicipality if role == "cooperating" else \
                self.mw.memberMunicipality
            role_support = support_for("role")
            if role == "successor" and role_support.basis != INFERRED:
                role_support = Support(stated.sources, INFERRED, reason or (
                    "Formed by the merger of member municipalities; no source states its "
                    "membership of the region."))
            self.emit(self.region, prop, subject, role_support, at("role"))

        self._each(self._csv("municipalities.csv", columns), handle)

    def map_municipality_links(self, row: Row, subject: URIRef, support: Support,
                               origin: Origin) -> None:
        """Registry links computed from the NIS code and the validity, under the row's support
        (its sources include the vocab-belgif REFNIS files).

        data.vlaanderen.be keeps the IRIs of the municipalities that ceased on 2025-01-01, so
        every row gets ``owl:sameAs``. REFNIS 2025 holds the municipalities valid on or after
        2025-01-01 (no ``valid_through``, or one in 2025 or later); REFNIS 2019 those that
        ended between 2019-01-01 and 2024-12-31 (the 2025 mergers). Earlier ones get neither.
        """
        nis = row.get("nis")
        if len(nis) != 5 or not nis.isdigit():
            return  # the nisCode shape reports it
        self.emit(subject, OWL.sameAs, URIRef(VLAANDEREN_GEMEENTE + nis), support, origin)
        through = row.get("valid_through")
        edition = "2025" if not through or through >= "2025-01-01" else \
            "2019" if through >= "2019-01-01" else None
        if edition:
            self.emit(subject, SKOS.exactMatch, URIRef(REFNIS.format(edition=edition) + nis),
                      support, origin)

    def map_mergers(self) -> None:
        seen: dict[str, str] = {}

        def handle(row: Row) -> None:
            key = row.get("key")
            if not is_key(key):
                raise row.error("key", f"{key!r} is not a valid key")
            self.define(row.path, key, "merger", seen, row.line)
            subject = self.iris.thing("fusie", key)
            self.begin(subject)
            support = _row_support(row)
            origin = Origin(row.path, row.line)
            self.types(subject, [self.mw.MunicipalMerger, PROV.Activity], support, origin)
            merged = [self.municipality(n, Origin(row.path, row.line, "merged"))
                      for n in _split(row.get("merged"))]
            result = self.municipality(row.get("result"), Origin(row.path, row.line, "result"))
            names = " + ".join(self.emitter.label_of(m) for m in merged)
            label = f"Fusie {names} tot {self.emitter.label_of(result)}"
            self.labels(subject, [Literal(label, lang="nl")], support, origin, pref=False)
            date = date_literal(row.get("date"), Origin(row.path, row.line, "date"))
            self.emit(subject, DCT.date, date, support, Origin(row.path, row.line, "date"))
            for municipality in merged:
                self.emit(subject, self.mw.mergedMunicipality, municipality, support,
                          Origin(row.path, row.line, "merged"))
            self.emit(subject, self.mw.resultingMunicipality, result, support,
                      Origin(row.path, row.line, "result"))

        self._each(self._csv("mergers.csv", ("key", "date", "merged", "result", "sources")),
                   handle)

    # --- the region, its regierol, the definition ----------------------------------------

    def map_region(self) -> None:
        relative = "region.yaml"
        data = self._yaml(relative)
        top = Record(data, relative, allowed={"region", "directing_role", "definition", "note"},
                     what="file")
        region = Record(top.require("region"), relative, what="region",
                        allowed={"key", "name", "alt_names", "description", "organisation",
                                 "sources", "figures", "note"},
                        line=top.line_of("region"))
        key = region.key()
        subject = self.region = self.iris.thing("regio", key)
        self.begin(subject)
        support = region.support()
        self.types(subject, [self.mw.Region, DCT.Location], support, region.origin())
        self.labels(subject, region.texts("name", "nl", required=True), support,
                    region.origin("name"))
        for item in region.sourced_list("alt_names", default=support):
            for literal in region.texts("alt_names", "nl", value=item.value):
                self.emit(subject, SKOS.altLabel, literal, item.support, item.origin)
        for text in region.texts("description", "en"):
            self.emit(subject, DCT.description, text, support, region.origin("description"))
        if region.has("organisation"):
            self.emit(subject, self.mw.coordinatedBy,
                      self.organisation_ref(region.get("organisation"),
                                            region.origin("organisation")),
                      support, region.origin("organisation"))
        self.map_figures(region, subject, key)
        self._guard(lambda: self.map_directing_role(top))
        self._guard(lambda: self.map_definition(top))

    def map_directing_role(self, top: Record) -> None:
        record = Record(top.require("directing_role"), top.path, what="directing role",
                        allowed={"key", "name", "description", "held_by", "region",
                                 "minimum_tasks", "policy_priorities", "legal_basis", "sources",
                                 "note"},
                        line=top.line_of("directing_role"))
        subject = self.iris.thing("regierol", record.key())
        self.begin(subject)
        support = record.support()
        self.types(subject, [self.mw.DirectingRole], support, record.origin())
        self.labels(subject, record.texts("name", "nl", required=True), support,
                    record.origin("name"), pref=False)
        for text in record.texts("description", "nl"):
            self.emit(subject, DCT.description, text, support, record.origin("description"))
        if record.has("held_by"):
            self.emit(subject, self.mw.heldBy,
                      self.organisation_ref(record.get("held_by"), record.origin("held_by")),
                      support, record.origin("held_by"))
        if record.has("region"):
            self.emit(subject, self.mw.coversRegion,
                      self.iris.thing("regio", str(record.get("region")).strip()), support,
                      record.origin("region"))
        for field, prop in (("minimum_tasks", self.mw.minimumTask),
                            ("policy_priorities", self.mw.policyPriority)):
            for item in record.sourced_list(field):
                self.emit(subject, prop, self.concept_ref(field, item.value, item.origin),
                          item.support, item.origin)
        for item in record.sourced_list("legal_basis"):
            self.emit(subject, self.mw.legalBasis,
                      self.iris.thing("regelgeving", str(item.value).strip()), item.support,
                      item.origin)

    def map_definition(self, top: Record) -> None:
        record = Record(top.require("definition"), top.path, what="definition",
                        allowed={"key", "name", "text", "creator", "year", "principles",
                                 "sources", "note"},
                        line=top.line_of("definition"))
        subject = self.iris.thing("definitie", record.key())
        self.begin(subject)
        support = record.support()
        self.types(subject, [self.mw.Definition], support, record.origin())
        self.labels(subject, record.texts("name", "nl", required=True), support,
                    record.origin("name"), pref=False)
        for text in record.texts("text", "nl", required=True):
            self.emit(subject, self.mw.definitionText, text, support, record.origin("text"))
        creator = record.string("creator")
        if creator:
            self.emit(subject, DCT.creator, Literal(creator), support, record.origin("creator"))
        if record.has("year"):
            self.emit(subject, DCT.created, date_literal(record.get("year"),
                      record.origin("year")), support, record.origin("year"))
        for principle in _as_list(record.get("principles")):
            self.emit(subject, self.mw.basicPrinciple,
                      self.concept_ref("principles", principle, record.origin("principles")),
                      support, record.origin("principles"))

    # --- organisations -------------------------------------------------------------------

    def map_organisation(self, relative: str, is_actor: bool) -> None:
        record = Record(self._yaml(relative), relative, allowed=ORGANISATION_FIELDS,
                        what="organisation")
        key = record.key()
        expected = Path(relative).stem
        if key != expected:
            raise record.error("key", f"the key {key!r} must equal the file name {expected!r}")
        self.define(relative, key, "organisation", self.organisation_keys, record.line_of("key"))
        subject = self.iris.thing("organisatie", key)
        self.begin(subject)
        support = record.support()
        origin = record.origin()
        classes = [ORG.Organization]
        if is_actor:
            classes.insert(0, self.mw.SocialEconomyActor)
            self.actor_iris.append(subject)
        self.types(subject, classes, support, origin)
        self.labels(subject, record.texts("name", "nl", required=True), support,
                    record.origin("name"), name=True)
        if is_actor and self.region is not None:
            self.emit(subject, self.mw.listedBy, self.region, support, origin)

        def each(field: str, handle: Callable[[Sourced], None], *,
                 extra: Iterable[str] = ()) -> None:
            for item in record.sourced_list(field, extra=extra):
                handle(item)

        legal_name = record.sourced("legal_name")
        if legal_name:
            for text in record.texts("legal_name", "nl", value=legal_name.value):
                self.emit(subject, REGORG.legalName, text, legal_name.support, legal_name.origin)
        legal_form = record.sourced("legal_form")
        if legal_form:
            self.emit(subject, ORGANISATIE.rechtsvorm,
                      self.concept_ref("legal_form", legal_form.value, legal_form.origin),
                      legal_form.support, legal_form.origin)
            self.emit(subject, RDF.type, ORG.FormalOrganization, legal_form.support,
                      legal_form.origin)
        number = record.sourced("enterprise_number")
        if number:
            self.map_enterprise_number(subject, number)
        each("initiative_types", lambda i: self.emit(
            subject, self.mw.initiativeType,
            self.concept_ref("initiative_types", i.value, i.origin), i.support, i.origin))
        described = record.sourced("self_described_as")
        if described:
            for text in record.texts("self_described_as", "nl", value=described.value):
                self.emit(subject, self.mw.selfDescribedAs, text, described.support,
                          described.origin)
        description = record.sourced("description")
        if description:
            for text in record.texts("description", "en", value=description.value):
                self.emit(subject, DCT.description, text, description.support,
                          description.origin)
        website = record.sourced("website")
        if website:
            self.emit(subject, FOAF.homepage, url_ref(website.value, website.origin),
                      website.support, website.origin)
        founded = record.sourced("founded", extra=("description",))
        if founded:
            self.emit(subject, SCHEMA.foundingDate, _year(founded), founded.support,
                      founded.origin)
            for text in record.texts("founded", "en", value=founded.extra.get("description", "")):
                self.emit(subject, self.mw.foundingNote, text, founded.support, founded.origin)
        for field, prop in (("sub_organisation_of", ORG.subOrganizationOf),
                            ("member_of", ORG.memberOf)):
            item = record.sourced(field)
            if item:
                self.emit(subject, prop, self.organisation_ref(item.value, item.origin),
                          item.support, item.origin)
        integration = record.sourced("integrated_into", extra=("date", "description"))
        if integration:
            self.map_integration(record, subject, key, integration)
        each("target_groups", lambda i: self.emit(
            subject, self.mw.targetGroup, self.concept_ref("target_groups", i.value, i.origin),
            i.support, i.origin))
        groups = record.sourced("target_group_description")
        if groups:
            for text in record.texts("target_group_description", "en", value=groups.value):
                self.emit(subject, self.mw.targetGroupDescription, text, groups.support,
                          groups.origin)
        each("themes", lambda i: self.emit(
            subject, self.mw.theme, self.concept_ref("themes", i.value, i.origin), i.support,
            i.origin))
        each("active_in", lambda i: self.emit(
            subject, self.mw.activeIn, self.municipality(i.value, i.origin), i.support,
            i.origin))
        site_keys = self.map_sites(record, subject, key)
        if record.has("primary_site"):
            site_key = str(record.get("primary_site")).strip()
            if site_key not in site_keys:
                raise record.error("primary_site", f"{site_key!r} is not the key of one of the "
                                   f"sites of this record ({', '.join(site_keys) or 'none'})")
            site, site_support = site_keys[site_key]
            self.emit(subject, ORG.hasPrimarySite, site, site_support,
                      record.origin("primary_site"))
        self.map_services(record, subject, key)
        self.map_figures(record, subject, key)

    def map_enterprise_number(self, subject: URIRef, number: Sourced) -> None:
        digits = "".join(ch for ch in str(number.value) if ch.isalnum())
        identifier = URIRef(f"{subject}/identificator/kbo")
        support, origin = number.support, number.origin
        self.emit(subject, RDF.type, REGORG.RegisteredOrganization, support, origin)
        self.emit(subject, REGORG.registration, identifier, support, origin)
        self.emitter.mark(identifier, origin)
        self.emit(identifier, RDF.type, ADMS.Identifier, support, origin)
        self.emit(identifier, SKOS.notation, Literal(digits, datatype=self.mw.EnterpriseNumber),
                  support, origin)
        display = f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else digits
        self.emit(identifier, RDFS.label, Literal(f"KBO {display}", lang="nl"), support, origin)
        self.emit(identifier, ADMS.schemaAgency, Literal(ENTERPRISE_AGENCY, lang="nl"), support,
                  origin)
        self.emit(identifier, DCT.creator, KBO_PUBLIC_SEARCH, support, origin)
        if digits.isdigit():
            self.emit(subject, SKOS.exactMatch, URIRef(ONDERNEMING + digits), support, origin)

    def map_integration(self, record: Record, subject: URIRef, key: str,
                        item: Sourced) -> None:
        target = self.organisation_ref(item.value, item.origin)
        event = self.iris.thing("verandering", f"{key}-{target.rsplit('/', 1)[-1]}")
        self.emit(subject, self.mw.integratedInto, target, item.support, item.origin)
        self.types(event, [self.mw.Integration, ORG.ChangeEvent], item.support, item.origin)
        name = self.emitter.label_of(subject)
        self.labels(event, [Literal(f"Integratie van {name}", lang="nl")], item.support,
                    item.origin, pref=False)
        self.emit(event, ORG.originalOrganization, subject, item.support, item.origin)
        self.emit(event, ORG.resultingOrganization, target, item.support, item.origin)
        if "date" in item.extra:
            self.emit(event, DCT.date, date_literal(item.extra["date"], item.origin),
                      item.support, item.origin)
        for text in record.texts("integrated_into", "en", value=item.extra.get("description", "")):
            self.emit(event, DCT.description, text, item.support, item.origin)

    def map_sites(self, record: Record, owner: URIRef,
                  key: str) -> dict[str, tuple[URIRef, Support]]:
        sites: dict[str, tuple[URIRef, Support]] = {}
        seen: dict[str, str] = {}

        def handle(site: Record) -> None:
            site_key = site.key()
            self.define(site.path, site_key, "site", seen, site.line)
            subject = self.iris.thing("vestiging", f"{key}-{site_key}")
            support = site.support()
            sites[site_key] = (subject, support)
            origin = site.origin()
            self.types(subject, [self.mw.Site, ORG.Site], support, origin)
            self.emit(owner, ORG.hasSite, subject, support, origin)
            self.labels(subject, site.texts("name", "nl", required=True), support,
                        site.origin("name"), pref=False)
            for text in site.texts("description", "en"):
                self.emit(subject, DCT.description, text, support, site.origin("description"))
            municipality = None
            if site.has("municipality"):
                municipality = self.municipality(site.get("municipality"),
                                                 site.origin("municipality"))
                self.emit(subject, self.mw.municipality, municipality, support,
                          site.origin("municipality"))
            if site.has("address"):
                self.map_address(site, subject, f"{key}-{site_key}", support, municipality,
                                 link=(key, site_key))

        self._each(record.items("sites", allowed=SITE_FIELDS, what="site"), handle)
        return sites

    def map_address(self, site: Record, site_iri: URIRef, key: str, support: Support,
                    municipality: URIRef | None, link: tuple[str, str] | None = None) -> None:
        raw = site.get("address")
        address = Record(raw, site.path, allowed=ADDRESS_FIELDS, line=site.line_of("address"),
                         what="address")
        subject = self.iris.thing("adres", key)
        origin = address.origin()
        self.types(subject, [LOCN.Address], support, origin)
        self.emit(site_iri, ORG.siteAddress, subject, support, origin)
        parts: dict[str, str] = {}
        part_supports: list[Support] = []
        for field, prop in (("street", LOCN.thoroughfare),
                            ("number", ADRES["Adresvoorstelling.huisnummer"]),
                            ("postcode", LOCN.postCode), ("locality", ADRES.gemeentenaam)):
            item = address.sourced(field, default=support)
            if item is None:
                continue
            part_supports.append(item.support)
            parts[field] = str(item.value).strip()
            value = Literal(parts[field], lang="nl") if field == "locality" else \
                Literal(parts[field])
            self.emit(subject, prop, value, item.support, item.origin)
        if not parts:
            raise address.error(None, "an address needs at least a street or a postcode")
        street = " ".join(p for p in (parts.get("street"), parts.get("number")) if p)
        place = " ".join(p for p in (parts.get("postcode"), parts.get("locality")) if p)
        full = ", ".join(p for p in (street, place) if p)
        # The composed address is only as certain as its weakest part.
        composed = support
        inferred = [p for p in part_supports if p.basis == INFERRED]
        if inferred:
            composed = Support(
                tuple(src for p in part_supports for src in p.sources), INFERRED,
                "Composed from address parts of which some are inferred: "
                + "; ".join(sorted({p.reason for p in inferred})))
        self.emit(subject, LOCN.fullAddress, Literal(full), composed, origin)
        self.labels(subject, [Literal(full, lang="nl")], composed, origin, pref=False)
        if municipality is not None:
            self.emit(subject, self.mw.municipality, municipality, support, origin)
        if link is not None:
            self.map_address_link(subject, *link, parts)

    def address_links(self) -> dict[tuple[str, str], Row]:
        """The rows of ``links/addresses.csv`` by (actor, site); read once, optional."""
        if self._address_links is None:
            self._address_links = {}
            source = self._read(ADDRESS_LINKS, optional=True)
            if source is not None:
                for row in load_csv(source, required=ADDRESS_LINK_COLUMNS):
                    key = (row.get("actor"), row.get("site"))
                    if key in self._address_links:
                        raise row.error("site", f"site {key[1]!r} of {key[0]!r} is linked "
                                        "twice; run `midwest-lod link addresses` again")
                    self._address_links[key] = row
        return self._address_links

    def map_address_link(self, address: URIRef, actor: str, site: str,
                         parts: dict[str, str]) -> None:
        """``adres:verwijstNaar`` from the adresmatch cache: inferred (a register match),
        derived from the API answer (the request URL), with the answer's date in the reason."""
        row = self.address_links().get((actor, site))
        if row is None:
            return
        target = row.get("address")
        if not target.startswith(ADDRESS_REGISTER) or \
                not target[len(ADDRESS_REGISTER):].isdigit():
            raise row.error("address", f"{target!r} is not an address register IRI "
                            f"({ADDRESS_REGISTER}{{id}})")
        url = row.get("request_url")
        if not is_absolute_url(url):
            raise row.error("request_url", f"{url!r} is not an absolute URL")
        date = date_literal(row.get("response_date"), Origin(row.path, row.line, "response_date"))
        asked = {k: v[0].strip().lower() for k, v in parse_qs(urlsplit(url).query).items()}
        now = {k: v.strip().lower() for k, v in parts.items()}
        number = now.get("number", "")
        if asked.get("straatnaam", "") != now.get("street", "") or \
                asked.get("postcode", now.get("postcode", "")) != now.get("postcode", "") or \
                not (number == asked.get("huisnummer") or
                     number.startswith(f"{asked.get('huisnummer')} ")):
            raise row.error("request_url", f"the address of site {site!r} of {actor!r} changed "
                            "since it was linked; run `midwest-lod link addresses` again")
        reason = (f"Matched with the address register by the Basisregisters Vlaanderen "
                  f"adresmatch API, answer of {date}: {row.get('full_address')} "
                  f"(score {row.get('score')}), the only acceptable match.")
        self.emit(address, ADRES.verwijstNaar, URIRef(target), Support((url,), INFERRED, reason),
                  Origin(row.path, row.line, "address"))

    def map_services(self, record: Record, owner: URIRef, key: str) -> None:
        seen: dict[str, str] = {}

        def handle(service: Record) -> None:
            service_key = service.key()
            self.define(service.path, service_key, "service", seen, service.line)
            subject = self.iris.thing("dienst", f"{key}-{service_key}")
            support = service.support()
            origin = service.origin()
            self.types(subject, [self.mw.Service, SCHEMA.Service], support, origin)
            self.labels(subject, service.texts("name", "nl", required=True), support,
                        service.origin("name"), pref=False, name=True)
            self.emit(subject, SCHEMA.provider, owner, support, origin)
            for text in service.texts("description", "en"):
                self.emit(subject, DCT.description, text, support, service.origin("description"))
            for item in service.sourced_list("themes", default=support):
                self.emit(subject, self.mw.theme,
                          self.concept_ref("themes", item.value, item.origin), item.support,
                          item.origin)
            for item in service.sourced_list("target_groups", default=support):
                self.emit(subject, self.mw.targetGroup,
                          self.concept_ref("target_groups", item.value, item.origin),
                          item.support, item.origin)

        self._each(record.items("services", allowed=SERVICE_FIELDS, what="service"), handle)

    def map_figures(self, record: Record, owner: URIRef, key: str) -> None:
        seen: dict[str, str] = {}

        def handle(figure: Record) -> None:
            figure_key = figure.key()
            self.define(figure.path, figure_key, "figure", seen, figure.line)
            subject = self.iris.thing("cijfer", f"{key}-{figure_key}")
            support = figure.support()
            origin = figure.origin()
            self.types(subject, [self.mw.Figure, PROV.Entity], support, origin)
            self.labels(subject, figure.texts("label", "nl", required=True), support,
                        figure.origin("label"), pref=False)
            self.emit(owner, self.mw.hasFigure, subject, support, origin)
            self.emit(subject, self.mw.about, owner, support, origin)
            text = figure.string("value_text", required=True)
            self.emit(subject, self.mw.valueText, Literal(text), support,
                      figure.origin("value_text"))
            if figure.has("value"):
                self.emit(subject, SCHEMA.value,
                          decimal_literal(figure.get("value"), figure.origin("value")), support,
                          figure.origin("value"))
            if figure.has("approximate"):
                self.emit(subject, self.mw.approximate,
                          boolean_literal(figure.get("approximate"), figure.origin("approximate")),
                          support, figure.origin("approximate"))
            if figure.has("date"):
                self.emit(subject, DCT.date,
                          date_literal(figure.get("date"), figure.origin("date")), support,
                          figure.origin("date"))
            note = figure.string("date_note")
            if note:
                self.emit(subject, self.mw.dateNote, Literal(note), support,
                          figure.origin("date_note"))

        self._each(record.items("figures", allowed=FIGURE_FIELDS, what="figure"), handle)

def build_activity_iri(iris: Iris, inputs: dict[str, str]) -> URIRef:
    """The IRI of the build that used exactly these inputs (path -> sha256)."""
    import hashlib

    material = "\n".join(f"{path} {sha}" for path, sha in sorted(inputs.items()))
    return iris.thing("activiteit", f"build-{hashlib.sha256(material.encode()).hexdigest()[:16]}")


def build_activity_quads(iris: Iris, inputs: dict[str, str], tool_version: str) -> list[
        tuple[URIRef, URIRef, Any, URIRef]]:
    """The build as a prov:Activity that used the input files (deterministic: no time)."""
    from midwest_lod.pipeline.emitter import PROV as _PROV

    herkomst = iris.graph("herkomst")
    mw = iris.vocab
    activity = build_activity_iri(iris, inputs)
    input_hash = activity.rsplit("-", 1)[-1]
    software = iris.thing("software", f"midwest-lod-{tool_version}")
    quads: list[tuple[URIRef, URIRef, Any, URIRef]] = [
        (activity, RDF.type, _PROV.Activity, herkomst),
        (activity, RDFS.label, Literal(f"Build van de publicatie ({input_hash})", lang="nl"),
         herkomst),
        (activity, _PROV.wasAssociatedWith, software, herkomst),
        (software, RDF.type, _PROV.SoftwareAgent, herkomst),
        (software, RDFS.label, Literal(f"midwest-lod {tool_version}", lang="nl"), herkomst),
        (software, OWL.versionInfo, Literal(tool_version), herkomst),
    ]
    for key, label_nl in (("curatie", "Curatie van de brongegevens door de data steward"),
                          ("afleiding", "Afleiding uit de bronnen (geen letterlijke bewering)")):
        activity_iri = iris.thing("activiteit", key)
        quads += [(activity_iri, RDF.type, _PROV.Activity, herkomst),
                  (activity_iri, RDFS.label, Literal(label_nl, lang="nl"), herkomst)]
    for path, sha in sorted(inputs.items()):
        entity = iris.thing("invoer", sha)
        quads += [
            (activity, _PROV.used, entity, herkomst),
            (entity, RDF.type, _PROV.Entity, herkomst),
            (entity, RDFS.label, Literal(f"data/{path}", lang="nl"), herkomst),
            (entity, DCT.title, Literal(f"data/{path}"), herkomst),
            (entity, mw.sha256, Literal(sha), herkomst),
        ]
    return quads


# --- small helpers ------------------------------------------------------------------------

def _as_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def _list_of(items: Any, relative: str, what: str) -> list[Any]:
    """The records of a list file: a plain list, or ``{what: [...]}``."""
    if items is None:
        return []
    if isinstance(items, dict) and set(items) == {what}:
        items = items[what] or []
    if not isinstance(items, list):
        raise SourceError(relative, getattr(items, "line", 1),
                          f"the file must hold a list `{what}:` of records")
    return items


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _row_support(row: Row, *, stated_only: bool = False) -> Support:
    sources = tuple(_split(row.get("sources")))
    if not sources:
        raise row.error("sources", "every row needs its sources (';'-separated URLs)")
    from midwest_lod.pipeline.values import is_absolute_url

    for url in sources:
        if not is_absolute_url(url):
            raise row.error("sources", f"source {url!r} is not an absolute URL")
    return Support(sources)


def _row_names(row: Row) -> list[Literal]:
    names = []
    for column, lang in (("name_nl", "nl"), ("name_fr", "fr")):
        if row.get(column):
            names.append(Literal(row.get(column), lang=lang))
    if not names or names[0].language != "nl":
        raise row.error("name_nl", "the Dutch name (name_nl) is required")
    return names


def _year(item: Sourced) -> Literal:
    value = item.value
    if isinstance(value, bool) or not str(value).strip().isdigit() or len(str(value).strip()) != 4:
        raise SourceError(item.origin.path, item.origin.line,
                          f"{value!r} is not a year (write it as four digits, e.g. 1963)",
                          item.origin.field)
    return Literal(str(value).strip(), datatype=XSD.gYear)
