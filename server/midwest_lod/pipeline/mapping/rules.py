"""The special cases of the mapping tables: named functions a table row refers to.

Each does what a :class:`~.rows.Field` cannot say: a statement computed from several values
(a merger's label, the registry links of a municipality), a new node (the KBO identifier, an
integration event), or a check across rows (the primary site is one of the sites).
"""

from __future__ import annotations

from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef

from midwest_lod.pipeline.emitter import INFERRED, Support
from midwest_lod.pipeline.mapping.datatypes import (
    DATE,
    NIS_CODE,
    ORGANISATION_KEY,
    TEXT_NL,
)
from midwest_lod.pipeline.mapping.rows import LABEL, MW, PREF_LABEL, Own, Period
from midwest_lod.pipeline.mapping.writer import Current, Writer, with_period
from midwest_lod.pipeline.values import Record
from midwest_lod.vocab import ADMS, DCT, ORG, REGORG

CONCEPT_CLASSES = {"BasicPrinciple", "InitiativeType", "Theme", "TargetGroup",
                   "DirectingRoleTask", "PolicyPriority", "LegalForm"}
ENTERPRISE_AGENCY = "Kruispuntbank van Ondernemingen"
KBO_PUBLIC_SEARCH = URIRef("https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html")
ONDERNEMING = "https://data.vlaanderen.be/id/onderneming/"
#: Registry links of municipalities (issue #4): data.vlaanderen.be and the belgif REFNIS lists.
VLAANDEREN_GEMEENTE = "https://data.vlaanderen.be/id/gemeente/"
REFNIS = "http://vocab.belgif.be/auth/refnis{edition}/"
ROLES = {"member": MW.memberMunicipality, "cooperating": MW.cooperatingMunicipality,
         "successor": MW.memberMunicipality}
SUCCESSOR_REASON = ("Formed by the merger of member municipalities; no source states its "
                    "membership of the region.")


# --- keys and classes ---------------------------------------------------------------------

def scheme_name(reader: Any, field: str) -> str:
    """A concept scheme's name: CamelCase, the last part of its IRI."""
    name = str(reader.require(field)).strip()
    if not name[:1].isupper() or not name.isalnum():
        raise reader.error(field, f"{name!r} is not a scheme name (CamelCase, e.g. Thema)")
    return name


def check_concept_class(reader: Any) -> None:
    name = str(reader.require("class")).strip()
    if name not in CONCEPT_CLASSES:
        raise reader.error("class", f"unknown concept class {name!r}; use one of "
                                    f"{', '.join(sorted(CONCEPT_CLASSES))}")


def class_of_scheme(rec: Current) -> Own:
    """The class of a concept: the ``class`` of its scheme."""
    assert rec.parent is not None
    return Own(str(rec.parent.reader.get("class")).strip())


def remember_region(writer: Writer, subject: URIRef) -> None:
    writer.region = subject


# --- organisations ------------------------------------------------------------------------

def enterprise_number(writer: Writer, rec: Current) -> None:
    """The KBO number as an ``adms:Identifier`` of a ``regorg:RegisteredOrganization``."""
    assert isinstance(rec.reader, Record)
    number = rec.reader.sourced("enterprise_number")
    if number is None:
        return
    subject = rec.subject
    digits = "".join(ch for ch in str(number.value) if ch.isalnum())
    identifier = URIRef(f"{subject}/identificator/kbo")
    support, origin = number.support, number.origin
    writer.emit(subject, RDF.type, REGORG.RegisteredOrganization, support, origin)
    writer.emit(subject, REGORG.registration, identifier, support, origin)
    writer.emitter.mark(identifier, origin)
    display = f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else digits
    for predicate, obj in (
        (RDF.type, ADMS.Identifier),
        (SKOS.notation, Literal(digits, datatype=writer.term(MW.EnterpriseNumber))),
        (RDFS.label, Literal(f"KBO {display}", lang="nl")),
        (ADMS.schemaAgency, Literal(ENTERPRISE_AGENCY, lang="nl")),
        (DCT.creator, KBO_PUBLIC_SEARCH),
    ):
        writer.emit(identifier, predicate, obj, support, origin)
    if digits.isdigit():
        writer.emit(subject, SKOS.exactMatch, URIRef(ONDERNEMING + digits), support, origin)


def integration(writer: Writer, rec: Current) -> None:
    """``integrated_into``: the link, and the event (``mw:Integration``) with its date."""
    assert isinstance(rec.reader, Record)
    item = rec.reader.sourced("integrated_into", extra=("date", "description"))
    if item is None:
        return
    subject, support, origin = rec.subject, item.support, item.origin
    [target] = ORGANISATION_KEY.terms(item.value, origin, writer.iris)
    assert isinstance(target, URIRef)
    event = writer.iris.thing("verandering", f"{rec.key}-{target.rsplit('/', 1)[-1]}")
    writer.emit(subject, MW.integratedInto, target, support, origin)
    writer.types(event, [MW.Integration, ORG.ChangeEvent], support, origin)
    name = writer.emitter.label_of(subject)
    writer.state(event, LABEL, [Literal(f"Integratie van {name}", lang="nl")], support, origin)
    writer.emit(event, ORG.originalOrganization, subject, support, origin)
    writer.emit(event, ORG.resultingOrganization, target, support, origin)
    if "date" in item.extra:
        writer.state(event, [DCT.date], DATE.terms(item.extra["date"], origin, writer.iris),
                     support, origin)
    writer.state(event, [DCT.description],
                 TEXT_NL.terms(item.extra.get("description", ""), origin, writer.iris), support,
                 origin)


def primary_site(writer: Writer, rec: Current) -> None:
    """``primary_site``: one of the sites of this record."""
    if not rec.reader.has("primary_site"):
        return
    key = str(rec.reader.get("primary_site")).strip()
    sites = rec.children.get("site", {})
    if key not in sites:
        raise rec.reader.error("primary_site", f"{key!r} is not the key of one of the sites "
                                               f"of this record ({', '.join(sites) or 'none'})")
    site, support = sites[key]
    writer.emit(rec.subject, ORG.hasPrimarySite, site, support, rec.reader.origin("primary_site"))


# --- places -------------------------------------------------------------------------------

def registry_links(writer: Writer, rec: Current) -> None:
    """Registry links computed from the NIS code and the validity, under the row's support
    (its sources include the vocab-belgif REFNIS files).

    data.vlaanderen.be keeps the IRIs of the municipalities that ceased on 2025-01-01, so
    every row gets ``owl:sameAs``. REFNIS 2025 holds the municipalities valid on or after
    2025-01-01 (no ``valid_through``, or one in 2025 or later); REFNIS 2019 those that
    ended between 2019-01-01 and 2024-12-31 (the 2025 mergers). Earlier ones get neither.
    """
    nis = rec.reader.get("nis")
    if len(nis) != 5 or not nis.isdigit():
        return  # the nisCode shape reports it
    support, origin = rec.support_for("nis"), rec.reader.origin("nis")
    writer.emit(rec.subject, OWL.sameAs, URIRef(VLAANDEREN_GEMEENTE + nis), support, origin)
    through = rec.reader.get("valid_through")
    edition = "2025" if not through or through >= "2025-01-01" else \
        "2019" if through >= "2019-01-01" else None
    if edition:
        writer.emit(rec.subject, SKOS.exactMatch, URIRef(REFNIS.format(edition=edition) + nis),
                    support, origin)


def region_membership(writer: Writer, rec: Current) -> None:
    """``role``: a member or cooperating municipality of the region; a successor of members
    (formed by a merger) is a member by inference.

    The membership holds while the municipality exists (``valid_from``/``valid_through`` of
    the row; no source dates the membership otherwise): its statement gets that period
    (``schema:validFrom``/``schema:validThrough`` on its assertion graph, docs/model.md §4).
    """
    role = rec.reader.get("role")
    if role not in ROLES:
        raise rec.reader.error("role", f"role must be member, cooperating or successor, got "
                                       f"{role!r}")
    if writer.region is None:
        raise rec.reader.error("role", "region.yaml defines no region to be a member of")
    support = rec.support_for("role")
    if role == "successor" and support.basis != INFERRED:
        support = Support(rec.support.sources, INFERRED,
                          rec.reader.get("reason") or SUCCESSOR_REASON)
    support = with_period(rec.reader, support, Period())
    writer.emit(writer.region, ROLES[role], rec.subject, support, rec.reader.origin("role"))


def merger_label(writer: Writer, rec: Current) -> None:
    """"Fusie A + B tot C", from the names of the municipalities."""
    reader, iris = rec.reader, writer.iris
    merged = [term for nis in reader.values("merged")
              for term in NIS_CODE.terms(nis, reader.origin("merged"), iris)]
    [result] = NIS_CODE.terms(reader.get("result"), reader.origin("result"), iris)
    label_of = writer.emitter.label_of
    names = " + ".join(label_of(m) for m in merged if isinstance(m, URIRef))
    assert isinstance(result, URIRef)
    label = f"Fusie {names} tot {label_of(result)}"
    writer.state(rec.subject, LABEL, [Literal(label, lang="nl")], rec.support, rec.origin)


def municipality_labels(writer: Writer, rec: Current) -> None:
    """The names of a municipality, and a preferred name that tells it apart (issue 10).

    A municipality without a period is named by its official names (``name_nl``,
    ``name_fr``). One that ended or began with a merger (``valid_through``/``valid_from``)
    has a Dutch preferred name with its period, "Tielt (tot 2024)" or "Tielt (vanaf 2025)",
    so that the municipalities before and after the merger, which share their official name,
    are told apart; its official names are then its alternative names.
    """
    reader = rec.reader
    names = [term for key in ("name_nl", "name_fr") if reader.has(key)
             for term in TEXT_NL.terms({key[-2:]: reader.get(key)}, reader.origin(key),
                                       writer.iris)]
    dutch = str(TEXT_NL.terms(reader.require("name_nl"), reader.origin("name_nl"),
                              writer.iris)[0])
    end, start = reader.get("valid_through"), reader.get("valid_from")
    period = f" (tot {end[:4]})" if end else f" (vanaf {start[:4]})" if start else ""
    support, origin = rec.support_for("name_nl"), reader.origin("name_nl")
    if not period:
        writer.state(rec.subject, PREF_LABEL, names, support, origin)
        return
    writer.state(rec.subject, PREF_LABEL, [Literal(dutch + period, lang="nl")], support, origin)
    writer.state(rec.subject, [SKOS.altLabel], names, support, origin)
