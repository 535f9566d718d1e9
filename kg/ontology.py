"""The closed vocabulary of kg: every ontology term comes from ``KG``, which fails loudly on a typo."""

from __future__ import annotations

from importlib import resources

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["BASE", "ID", "KG", "PROV", "SCHEMA", "kg_term", "load_ontology", "load_shapes", "ontology_text"]

BASE = "https://w3id.org/kgnews/"
ID = Namespace(BASE + "id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")


class KG(DefinedNamespace):
    """Terms of the kg ontology (ontology/kg.ttl). The names in SCHEMA.md are a public contract."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # classes
    Person: URIRef
    Organization: URIRef
    Company: URIRef
    GovernmentAgency: URIRef
    Association: URIRef
    ResearchInstitute: URIRef
    Legislature: URIRef
    PoliticalParty: URIRef
    MediaOutlet: URIRef
    University: URIRef
    Meeting: URIRef
    Place: URIRef
    Policy: URIRef
    Article: URIRef
    Quote: URIRef
    Assertion: URIRef
    Evidence: URIRef
    SpeechAct: URIRef
    # relations (SCHEMA.md)
    attended: URIRef
    organizer: URIRef
    demanded: URIRef
    affiliation: URIRef
    jobTitle: URIRef
    location: URIRef
    startDate: URIRef
    stated: URIRef
    mentions: URIRef
    publisher: URIRef
    author: URIRef
    datePublished: URIRef
    # article and quote data
    url: URIRef
    sourceFile: URIRef
    contentHash: URIRef
    headline: URIRef
    outletName: URIRef
    text: URIRef
    # provenance of an assertion: its evidence
    evidence: URIRef
    evidenceText: URIRef
    startOffset: URIRef
    endOffset: URIRef
    extractor: URIRef
    confidence: URIRef
    speechAct: URIRef
    cameoCode: URIRef
    # resolution across articles
    Merge: URIRef
    Distinction: URIRef
    resolvedEntity: URIRef
    mergedNode: URIRef
    keptApart: URIRef
    rule: URIRef
    reason: URIRef
    matchedName: URIRef
    via: URIRef
    firstReported: URIRef
    lastReported: URIRef
    startDay: URIRef
    formerAffiliation: URIRef
    title: URIRef
    # speech acts
    Demand: URIRef
    Appeal: URIRef
    Proposal: URIRef
    Statement: URIRef


def kg_term(name: str) -> URIRef:
    """A term of kg's vocabulary by its local name (a class or a predicate); an unknown name fails loudly."""
    term: URIRef = getattr(KG, name)
    return term


def ontology_text(name: str) -> str:
    return resources.files("kg_ontology").joinpath(name).read_text(encoding="utf-8")


def load_ontology() -> Graph:
    g = Graph()
    g.parse(data=ontology_text("kg.ttl"), format="turtle")
    return g


def load_shapes() -> Graph:
    g = Graph()
    g.parse(data=ontology_text("shapes.ttl"), format="turtle")
    return g
