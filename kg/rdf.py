"""Documents to RDF: entities, relations, one Assertion per relation, and the evidence it was found in.

Each article's facts go into its own named graph (``graph/<article id>``); the union is the graph.
Identifiers come from content: normalised names, the article URL or text hash, never counters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, SKOS

from .lexicon import norm_key
from .model import Document, Entity, content_hash
from .ontology import ID, KG, PROV, kg_term

__all__ = [
    "PREFIXES",
    "Triple",
    "article_iri",
    "assertion_iri",
    "bind_prefixes",
    "doc_triples",
    "entity_iri",
    "evidence_iri",
    "graph_iri",
    "rejected_iri",
    "slug",
]

Triple = tuple[URIRef, URIRef, URIRef | Literal]
_ORG_TYPES = {"Organization", "Company", "GovernmentAgency", "Association", "ResearchInstitute",
              "Legislature", "PoliticalParty", "MediaOutlet", "University"}
_LITERAL_TYPES = {"startDate": XSD.date, "startDay": XSD.gDay}
_ASSERTION, _EVIDENCE = f"{ID}assertion/", f"{ID}evidence/"
_ACTS = {"demand": KG.Demand, "appeal": KG.Appeal, "proposal": KG.Proposal, "statement": KG.Statement}


# Prefixes of every serialisation: the vocabularies, and one per kind of identifier, so that Turtle reads
# ``person:류제명 kg:attended meeting:…``.
PREFIXES = {
    "kg": str(KG._NS), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "skos": str(SKOS), "owl": str(OWL),
    "prov": str(PROV), "org": str(ORG),
    **{kind: f"{ID}{path}/" for kind, path in (
        ("article", "article"), ("assertion", "assertion"), ("evidence", "evidence"), ("person", "person"),
        ("organization", "org"), ("meeting", "meeting"), ("place", "place"), ("policy", "policy"), ("quote", "quote"),
        ("merge", "merge"), ("membership", "membership"), ("graph", "graph"))},
}


def slug(text: str) -> str:
    """The identifier part made of a name: its matching key, Hangul and letters kept as they are (IRIs allow
    them), anything else percent-encoded."""
    return "".join(ch if ch.isalnum() else quote(ch, safe="") for ch in norm_key(text)) or "_"


def article_iri(doc_id: str) -> URIRef:
    return ID[f"article/{doc_id}"]


def graph_iri(doc_id: str) -> URIRef:
    return ID[f"graph/{doc_id}"]


def rejected_iri(doc_id: str) -> URIRef:
    """The graph of an article's triples that validation set aside."""
    return ID[f"graph/rejected/{doc_id}"]


def entity_iri(ent: Entity, doc_id: str) -> URIRef:
    """Persons, organisations, places and policies are shared across articles by name; meetings and
    quotes belong to their article."""
    if ent.type == "Person":
        return ID[f"person/{slug(ent.label)}"]
    if ent.type in _ORG_TYPES:
        return ID[f"org/{slug(ent.label)}"]
    if ent.type == "Place":
        return ID[f"place/{slug(ent.label)}"]
    if ent.type == "Policy":
        return ID[f"policy/{slug(ent.label)}"]
    local = hashlib.sha256(f"{doc_id}|{ent.key}".encode()).hexdigest()[:16]
    return ID[f"{ent.type.lower()}/{local}"]


def bind_prefixes(g: Graph | Dataset) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)


def doc_triples(doc: Document) -> Iterator[Triple]:
    """Every triple one article contributes to the graph."""
    art = article_iri(doc.id)
    meta = doc.meta
    yield art, RDF.type, KG.Article
    yield art, KG.sourceFile, Literal(meta.source.rsplit("/", 1)[-1])
    yield art, KG.contentHash, Literal(content_hash(doc.text))
    if meta.url:
        yield art, KG.url, Literal(meta.url, datatype=XSD.anyURI)
    if meta.title:
        yield art, KG.headline, Literal(meta.title, lang="ko")
    if meta.published:
        yield art, KG.datePublished, Literal(meta.published.isoformat(), datatype=XSD.date)
    iris: dict[str, URIRef] = {}
    for ent in doc.entities:
        iri = entity_iri(ent, doc.id)
        iris[ent.key] = iri
        yield iri, RDF.type, kg_term(ent.type)
        yield iri, RDFS.label, Literal(ent.label, lang="ko")
        for alias in sorted(ent.aliases):
            if alias and alias != ent.label:
                yield iri, SKOS.altLabel, Literal(alias, lang="ko")
        if ent.type == "Quote":
            yield iri, KG.text, Literal(ent.label, lang="ko")
        yield art, KG.mentions, iri
    if meta.outlet:
        outlet = next((iris[e.key] for e in doc.entities if e.type == "MediaOutlet" and e.label == meta.outlet), None)
        if outlet is not None:
            yield art, KG.publisher, outlet
        else:
            yield art, KG.outletName, Literal(meta.outlet, lang="ko")
    for name in meta.reporters:
        key = "Person:" + name
        if key in iris:
            yield art, KG.author, iris[key]
    evidence_seen: set[URIRef] = set()
    for rel in doc.relations:
        s = iris.get(rel.subject)
        if s is None:
            continue
        p = kg_term(rel.predicate)
        if rel.literal:
            dtype = _LITERAL_TYPES.get(rel.predicate)
            o: URIRef | Literal = Literal(rel.object, datatype=dtype) if dtype else Literal(rel.object, lang="ko")
        else:
            if rel.object not in iris:
                continue
            o = iris[rel.object]
        yield s, p, o
        ev = rel.evidence
        act = _ACTS.get(ev.speech_act or "")
        confidence = Decimal(str(round(ev.confidence, 3)))
        evidence = evidence_iri(doc.id, ev.sentence.start, ev.sentence.end, ev.extractor, str(confidence),
                                str(act or ""))
        node = assertion_iri(str(s), str(p), *_object_key(o))
        yield node, RDF.type, KG.Assertion
        yield node, RDF.subject, s
        yield node, RDF.predicate, p
        yield node, RDF.object, o
        yield node, KG.evidence, evidence
        if evidence in evidence_seen:
            continue
        evidence_seen.add(evidence)
        yield evidence, PROV.wasDerivedFrom, art
        yield evidence, KG.evidenceText, Literal(ev.sentence.text(doc.text))
        yield evidence, KG.startOffset, Literal(ev.sentence.start, datatype=XSD.integer)
        yield evidence, KG.endOffset, Literal(ev.sentence.end, datatype=XSD.integer)
        yield evidence, KG.extractor, Literal(ev.extractor)
        yield evidence, KG.confidence, Literal(confidence, datatype=XSD.decimal)
        if act is not None:
            yield evidence, KG.speechAct, act


def _object_key(o: URIRef | Literal) -> tuple[str, str, str]:
    if isinstance(o, Literal):
        return str(o), o.language or "", str(o.datatype or "")
    return str(o), "", ""


def assertion_iri(s: str, p: str, o: str, language: str = "", datatype: str = "") -> URIRef:
    """The assertion of a fact: one per (subject, predicate, object) — the same fact from two articles is
    one assertion with two pieces of evidence. ``o`` is an IRI, or a literal's lexical form with its
    language or datatype. Resolution renames it with its subject and object."""
    key = f"{s}|{p}|{o}|{language}|{datatype}"
    return URIRef(_ASSERTION + hashlib.sha256(key.encode()).hexdigest()[:20])


def evidence_iri(doc_id: str, start: int, end: int, extractor: str, confidence: str, act: str) -> URIRef:
    """Where and how facts were found: a sentence of an article, the extractor, its confidence, the speech act.
    Facts an extractor found in one sentence share it."""
    key = f"{doc_id}|{start}|{end}|{extractor}|{confidence}|{act}"
    return URIRef(_EVIDENCE + hashlib.sha256(key.encode()).hexdigest()[:20])
