"""The vocabulary (ontology/sociale-economie.ttl) and its JSON-LD context (ontology/context.jsonld).

docs/model.md is the contract: every term it names (own ``mw:`` terms and reused terms) must
have a Dutch and an English label in the vocabulary, every own term must be typed and documented,
and the prefixes of the Turtle file and the JSON-LD context must be those of model.md section 2.
The terms are read from model.md itself, so a term added there without a label here fails.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_FILE = ROOT / "ontology" / "sociale-economie.ttl"
CONTEXT_FILE = ROOT / "ontology" / "context.jsonld"
MODEL_FILE = ROOT / "docs" / "model.md"

BASE = "https://data.midwest.be"  # the default of the BASE_IRI setting
ONTOLOGY = URIRef(f"{BASE}/ns/sociale-economie")
MW = Namespace(f"{BASE}/ns/sociale-economie#")
VANN = Namespace("http://purl.org/vocab/vann/")
SCHEMA = Namespace("http://schema.org/")
LICENCE = URIRef("https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0")

#: model.md section 2 says "xsd rdf rdfs owl sh: the usual".
USUAL_PREFIXES = {
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "sh": "http://www.w3.org/ns/shacl#",
}
#: CURIEs model.md mentions in passing with a prefix that is not one of the project's.
PASSING_MENTIONS = {"sd:UnionDefaultGraph", "spdx:checksum"}
#: Own terms minted beyond model.md because the mapping emits them (model.md should name them).
OWN_TERMS_BEYOND_MODEL: set[URIRef] = set()
#: Reused terms that pages show although model.md does not name them.
REUSED_BEYOND_MODEL = {"dct:source", "rdfs:isDefinedBy", "dct:license", "dct:issued",
                       "dct:modified"}

OWN_KINDS = {OWL.Class, RDFS.Datatype, OWL.ObjectProperty, OWL.DatatypeProperty,
             OWL.NamedIndividual}
LITERAL_RANGES = {RDF.langString, RDFS.Literal}
CURIE = re.compile(r"(?<![\w/.#:-])([A-Za-z][\w-]*):([A-Za-z_](?:[\w.-]*\w)?)")


# --- readers ---------------------------------------------------------------------------------


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@cache
def model_text() -> str:
    return MODEL_FILE.read_text(encoding="utf-8")


@cache
def model_prefixes() -> dict[str, str]:
    """The prefixes of model.md section 2, with ``{base}`` filled in."""
    section = model_text().split("## 2. Prefixes", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```[^\n]*\n(.*?)```", section, re.DOTALL)
    assert block, "model.md section 2 has no code block of prefixes"
    prefixes: dict[str, str] = {}
    for line in block.group(1).splitlines():
        if match := re.fullmatch(r"\s*(\w+):\s+(\S+)\s*", line):
            prefixes[match.group(1)] = match.group(2).replace("{base}", BASE)
        elif "the usual" in line:
            for name in line.split(":", 1)[0].split():
                prefixes[name] = USUAL_PREFIXES[name]
    return prefixes


@cache
def model_curies() -> frozenset[str]:
    """Every CURIE in a code span or code block of model.md."""
    text = model_text()
    blocks = re.findall(r"```[^\n]*\n(.*?)```", text, re.DOTALL)
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
    curies = set()
    for chunk in [*blocks, *spans]:
        curies.update(f"{prefix}:{local}" for prefix, local in CURIE.findall(chunk))
    return frozenset(curies)


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(model_prefixes()[prefix] + local)


@cache
def model_terms() -> frozenset[URIRef]:
    known = {c for c in model_curies() if c.split(":", 1)[0] in model_prefixes()}
    return frozenset(expand(c) for c in known)


def own_terms() -> list[URIRef]:
    g = ontology()
    return sorted({s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(MW)})


def labels(term: URIRef, lang: str, predicate: URIRef = RDFS.label) -> list[str]:
    return [str(o) for o in ontology().objects(term, predicate)
            if isinstance(o, Literal) and o.language == lang]


def turtle_prefixes() -> dict[str, str]:
    text = ONTOLOGY_FILE.read_text(encoding="utf-8")
    return dict(re.findall(r"^@prefix\s+(\w*):\s+<([^>]*)>\s*\.", text, re.MULTILINE))


def context() -> dict[str, object]:
    with CONTEXT_FILE.open(encoding="utf-8") as handle:
        document = json.load(handle)
    assert isinstance(document, dict) and isinstance(document.get("@context"), dict)
    return document["@context"]


def context_prefixes() -> dict[str, str]:
    return {k: v for k, v in context().items()
            if isinstance(v, str) and re.match(r"https?://", v)}


# --- parsing ---------------------------------------------------------------------------------


def test_parses_with_rdflib_and_pyoxigraph() -> None:
    oxigraph_triples = list(pyoxigraph.parse(path=str(ONTOLOGY_FILE),
                                             format=pyoxigraph.RdfFormat.TURTLE))
    assert len(ontology()) > 500
    assert len(oxigraph_triples) == len(ontology())


def test_prefixes_are_exactly_those_of_the_model() -> None:
    expected = model_prefixes()
    assert len(expected) == 18, expected
    assert expected["schema"] == "http://schema.org/"
    assert turtle_prefixes() == expected


# --- the ontology header ---------------------------------------------------------------------


def test_exactly_one_ontology_with_version_licence_and_creator() -> None:
    g = ontology()
    assert list(g.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY]
    version_iri = g.value(ONTOLOGY, OWL.versionIRI)
    version = g.value(ONTOLOGY, OWL.versionInfo)
    assert isinstance(version_iri, URIRef) and isinstance(version, Literal)
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(version))
    assert version_iri == URIRef(f"{ONTOLOGY}/{version}")
    assert list(g.objects(ONTOLOGY, DCTERMS.license)) == [LICENCE]
    creators = list(g.objects(ONTOLOGY, DCTERMS.creator))
    assert creators and all(isinstance(c, URIRef) for c in creators)


def test_ontology_is_titled_described_and_dated() -> None:
    g = ontology()
    for predicate in (RDFS.label, DCTERMS.title, DCTERMS.description):
        for lang in ("nl", "en"):
            assert len(labels(ONTOLOGY, lang, predicate)) == 1, (predicate, lang)
    assert g.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("mw")
    assert str(g.value(ONTOLOGY, VANN.preferredNamespaceUri)) == str(MW)
    issued = g.value(ONTOLOGY, DCTERMS.issued)
    modified = g.value(ONTOLOGY, DCTERMS.modified)
    assert isinstance(issued, Literal) and issued.datatype == XSD.date
    assert isinstance(modified, Literal) and modified.datatype == XSD.date
    assert modified.toPython() >= issued.toPython()


# --- own terms -------------------------------------------------------------------------------


def test_own_terms_are_the_model_terms() -> None:
    in_model = {t for t in model_terms() if t.startswith(MW)}
    assert len(in_model) > 60
    defined = set(own_terms())
    assert in_model - defined == set(), "named in model.md but not defined"
    assert defined - in_model == OWN_TERMS_BEYOND_MODEL, "defined but not in model.md"


@pytest.mark.parametrize("term", own_terms(), ids=lambda t: t.split("#")[-1])
def test_own_term_is_typed_labelled_defined(term: URIRef) -> None:
    g = ontology()
    kinds = set(g.objects(term, RDF.type)) & OWN_KINDS
    assert len(kinds) == 1, f"{term} must have exactly one of {OWN_KINDS}, has {kinds}"
    for lang in ("nl", "en"):
        assert len(labels(term, lang)) == 1, f"one rdfs:label @{lang}"
        assert len(labels(term, lang, SKOS.definition)) == 1, f"one skos:definition @{lang}"
        texts = labels(term, lang) + labels(term, lang, SKOS.definition)
        assert all(text.strip() for text in texts), "empty label or definition"
    assert list(g.objects(term, RDFS.isDefinedBy)) == [ONTOLOGY]


def test_own_labels_are_unique_per_language() -> None:
    for lang in ("nl", "en"):
        seen: dict[str, URIRef] = {}
        for term in own_terms():
            for text in labels(term, lang):
                assert text not in seen, f"{term} and {seen.get(text)} share label {text!r}@{lang}"
                seen[text] = term


def test_every_mw_iri_used_is_defined() -> None:
    g = ontology()
    used = {node for triple in g for node in triple
            if isinstance(node, URIRef) and node.startswith(MW)}
    assert used, "no mw: IRI at all"
    undefined = {node for node in used if not set(g.objects(node, RDF.type)) & OWN_KINDS}
    assert undefined == set()


def test_individuals_are_the_two_bases() -> None:
    g = ontology()
    individuals = set(g.subjects(RDF.type, OWL.NamedIndividual))
    assert individuals == {MW.stated, MW.inferred}
    assert all((i, RDF.type, MW.Basis) in g for i in individuals)


def test_property_ranges_match_property_kinds() -> None:
    g = ontology()
    datatypes = set(g.subjects(RDF.type, RDFS.Datatype))

    def is_datatype(node: object) -> bool:
        return node in LITERAL_RANGES or node in datatypes or (
            isinstance(node, URIRef) and node.startswith(str(XSD)))

    object_properties = set(g.subjects(RDF.type, OWL.ObjectProperty))
    datatype_properties = set(g.subjects(RDF.type, OWL.DatatypeProperty))
    assert len(object_properties) > 15 and len(datatype_properties) > 10
    for prop in object_properties:
        assert not any(is_datatype(r) for r in g.objects(prop, RDFS.range)), prop
    for prop in datatype_properties:
        assert all(is_datatype(r) for r in g.objects(prop, RDFS.range)), prop
    for prop in object_properties | datatype_properties:
        for node in [*g.objects(prop, RDFS.domain), *g.objects(prop, RDFS.range)]:
            assert isinstance(node, URIRef), (prop, node)


def _stated_alignments() -> set[tuple[str, str]]:
    """Pairs ``mw:X ⊑ prefix:Y`` written as such in model.md."""
    pattern = re.compile(r"`(mw:\w+)`\s*\(?\s*⊑\s*`(\w+:[\w.]+)`")
    return set(pattern.findall(model_text()))


#: Alignments model.md states in a form the pattern above does not read.
OTHER_ALIGNMENTS = {
    ("mw:Assertion", "prov:Entity"), ("mw:Arrondissement", "dct:Location"),
    ("mw:validFrom", "schema:validFrom"), ("mw:validThrough", "schema:validThrough"),
    *((f"mw:{c}", "skos:Concept") for c in (
        "BasicPrinciple", "InitiativeType", "Theme", "TargetGroup", "DirectingRoleTask",
        "PolicyPriority", "LegalForm")),
}


def test_alignments_stated_in_the_model() -> None:
    stated = _stated_alignments()
    assert len(stated) >= 15, stated
    g = ontology()
    for own, reused in sorted(stated | OTHER_ALIGNMENTS):
        sub, sup = expand(own), expand(reused)
        assert {(sub, RDFS.subClassOf, sup), (sub, RDFS.subPropertyOf, sup)} & set(
            g.triples((sub, None, sup))), (own, reused)


def test_site_matches_the_oslo_vestiging() -> None:
    assert (MW.Site, SKOS.closeMatch, URIRef("http://www.w3.org/ns/org#Site")) in ontology()


def test_enterprise_number_datatype() -> None:
    g = ontology()
    assert (MW.EnterpriseNumber, RDF.type, RDFS.Datatype) in g
    (definition,) = list(g.objects(MW.EnterpriseNumber, OWL.equivalentClass))
    assert isinstance(definition, BNode)
    assert g.value(definition, OWL.onDatatype) == XSD.string
    facets = list(g.items(g.value(definition, OWL.withRestrictions)))
    (pattern,) = [str(p) for f in facets for p in g.objects(f, XSD.pattern)]
    # An XSD pattern always matches the whole value (no ^ and $ anchors): Python's fullmatch.
    for good in ("0203201340", "1234567890", "0200065765"):
        assert re.fullmatch(pattern, good), good
    for bad in ("203201340", "2203201340", "0203.201.340", "02032013400", "020320134a", ""):
        assert not re.fullmatch(pattern, bad), bad


# --- reused terms ----------------------------------------------------------------------------


def test_model_mentions_only_known_prefixes() -> None:
    unknown = {c for c in model_curies() if c.split(":", 1)[0] not in model_prefixes()}
    assert unknown <= PASSING_MENTIONS


def test_every_term_of_the_model_has_nl_and_en_labels() -> None:
    terms = set(model_terms()) | {expand(c) for c in REUSED_BEYOND_MODEL}
    assert len(terms) > 60
    assert len({t for t in terms if not t.startswith(MW)}) > 60
    missing = sorted(t for t in terms if not (labels(t, "nl") and labels(t, "en")))
    assert missing == []


@pytest.mark.parametrize("curie", [
    "org:Organization", "regorg:legalName", "organisatie:rechtsvorm", "org:hasSite",
    "org:siteAddress", "skos:prefLabel", "adres:Adresvoorstelling.huisnummer", "locn:Address",
])
def test_oslo_dutch_labels(curie: str) -> None:
    expected = {
        "org:Organization": "Organisatie", "regorg:legalName": "wettelijke naam",
        "organisatie:rechtsvorm": "rechtsvorm", "org:hasSite": "heeft vestiging",
        "org:siteAddress": "vestigingsadres", "skos:prefLabel": "voorkeursnaam",
        "adres:Adresvoorstelling.huisnummer": "huisnummer", "locn:Address": "Adresvoorstelling",
    }
    assert labels(expand(curie), "nl") == [expected[curie]]


def test_every_predicate_and_class_the_ontology_uses_has_labels() -> None:
    g = ontology()
    used = set(g.predicates()) | {o for o in g.objects(None, RDF.type) if isinstance(o, URIRef)}
    missing = sorted(t for t in used if not (labels(t, "nl") and labels(t, "en")))
    assert missing == []


def test_reused_terms_get_labels_only() -> None:
    g = ontology()
    allowed = {RDFS.label, RDFS.isDefinedBy}
    for subject in set(g.subjects()):
        if isinstance(subject, BNode) or subject == ONTOLOGY or subject.startswith(MW):
            continue
        assert set(g.predicates(subject)) <= allowed, subject
        for lang in ("nl", "en"):
            assert len(labels(subject, lang)) == 1, (subject, lang)


# --- the JSON-LD context ---------------------------------------------------------------------


def test_context_is_json_ld_1_1_with_the_turtle_prefixes() -> None:
    ctx = context()
    assert ctx["@version"] == 1.1
    assert context_prefixes() == turtle_prefixes()


def _context_terms() -> dict[str, str]:
    """Compact name → the CURIE it stands for (keyword aliases and prefixes left out)."""
    terms = {}
    for name, value in context().items():
        if name.startswith("@") or name in context_prefixes():
            continue
        iri = value["@id"] if isinstance(value, dict) else value
        assert isinstance(iri, str)
        if not iri.startswith("@"):
            terms[name] = iri
    return terms


def test_context_terms_are_labelled_vocabulary_terms() -> None:
    terms = _context_terms()
    assert len(terms) > 100
    for name, curie in terms.items():
        assert curie.split(":", 1)[0] in context_prefixes(), (name, curie)
        iri = expand(curie)
        assert labels(iri, "nl") and labels(iri, "en"), (name, curie)


def test_context_has_a_compact_name_for_every_own_term() -> None:
    terms = _context_terms()
    for term in own_terms():
        local = term.split("#")[-1]
        assert terms.get(local) == f"mw:{local}", local


def test_context_expands_a_document_alike_in_rdflib_and_pyoxigraph() -> None:
    document = {
        "@context": context(),
        "id": f"{BASE}/id/organisatie/mariasteen",
        "type": ["SocialEconomyActor", "FormalOrganization"],
        "legalName": "Mariasteen vzw",
        "initiativeType": f"{BASE}/id/concept/Initiatieftype/maatwerkbedrijf",
        "hasSite": f"{BASE}/id/vestiging/mariasteen-gits",
        "validFrom": "2025-01-01",
    }
    text = json.dumps(document)
    subject = URIRef(document["id"])
    expected = {
        (subject, RDF.type, MW.SocialEconomyActor),
        (subject, RDF.type, URIRef("http://www.w3.org/ns/org#FormalOrganization")),
        (subject, URIRef("http://www.w3.org/ns/regorg#legalName"), Literal("Mariasteen vzw")),
        (subject, MW.initiativeType, URIRef(document["initiativeType"])),
        (subject, URIRef("http://www.w3.org/ns/org#hasSite"), URIRef(document["hasSite"])),
        (subject, MW.validFrom, Literal("2025-01-01", datatype=XSD.date)),
    }
    assert set(Graph().parse(data=text, format="json-ld")) == expected
    from_oxigraph = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in pyoxigraph.parse(input=text, format=pyoxigraph.RdfFormat.JSON_LD)
    }
    assert from_oxigraph == {(str(s), str(p), str(o)) for s, p, o in expected}


def test_context_round_trips_a_graph_through_rdflib_json_ld() -> None:
    """Serving with the context loses nothing, also for values the term coercions do not fit."""
    graph = Graph()
    for triple in ontology():
        graph.add(triple)
    subject = URIRef(f"{BASE}/id/regelgeving/example")
    graph.add((subject, MW.validFrom, Literal("2025", datatype=XSD.gYear)))
    graph.add((subject, MW.inForceFrom, Literal("2019-01-01", datatype=XSD.date)))
    graph.add((subject, DCTERMS.creator, Literal("VOSEC")))
    graph.add((subject, SKOS.notation, Literal("0203201340", datatype=MW.EnterpriseNumber)))
    text = graph.serialize(format="json-ld", context=context())
    nodes = json.loads(text)["@graph"]
    assert any("label" in node and "definition" in node for node in nodes), "compact names unused"
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)
