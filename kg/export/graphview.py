"""A plain view of the graph for the HTML and Neo4j exporters: nodes, edges, and edge evidence."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ..ontology import KG, PROV

__all__ = ["EDGE_PREDICATES", "EdgeView", "GraphView", "NodeView", "graph_view"]

EDGE_PREDICATES = ("attended", "organizer", "demanded", "affiliation", "location", "stated", "publisher", "author")
_CLASSES = ("Person", "Company", "GovernmentAgency", "Association", "ResearchInstitute", "Legislature",
            "PoliticalParty", "MediaOutlet", "University", "Organization", "Meeting", "Place", "Policy", "Quote",
            "Article")


@dataclass
class NodeView:
    id: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    props: dict[str, list[str]] = field(default_factory=dict)  # jobTitle, startDate, datePublished, url ...


@dataclass
class EdgeView:
    source: str
    target: str
    predicate: str
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class GraphView:
    nodes: list[NodeView]
    edges: list[EdgeView]


def _local(term: object) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def graph_view(g: Graph) -> GraphView:
    """Nodes typed with kg classes (most specific first), their edges, and each edge's evidence."""
    types: dict[str, str] = {}
    for s, o in g.subject_objects(RDF.type):
        name = _local(o)
        if name in _CLASSES and str(o).startswith(str(KG._NS)):
            cur = types.get(str(s))
            if cur is None or _CLASSES.index(name) < _CLASSES.index(cur):
                types[str(s)] = name
    nodes: dict[str, NodeView] = {}
    for iri, t in types.items():
        ref = URIRef(iri)
        label = g.value(ref, RDFS.label) or g.value(ref, KG.sourceFile) or iri
        node = NodeView(iri, t, str(label), sorted(str(a) for a in g.objects(ref, SKOS.altLabel)))
        for prop in (KG.jobTitle, KG.startDate, KG.datePublished, KG.url, KG.headline, KG.sourceFile, KG.text):
            vals = sorted(str(v) for v in g.objects(ref, prop) if isinstance(v, Literal))
            if vals:
                node.props[_local(prop)] = vals
        nodes[iri] = node
    evidence: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for node in g.subjects(RDF.type, KG.Assertion):
        s, p, o = g.value(node, RDF.subject), g.value(node, RDF.predicate), g.value(node, RDF.object)
        art = g.value(node, PROV.wasDerivedFrom)
        evidence[(str(s), str(p), str(o))].append({
            "article": str(art),
            "source": str(g.value(art, KG.url) or g.value(art, KG.sourceFile) or art),
            "published": str(g.value(art, KG.datePublished) or ""),
            "sentence": str(g.value(node, KG.evidenceText) or ""),
            "start": str(g.value(node, KG.startOffset) or ""),
            "end": str(g.value(node, KG.endOffset) or ""),
            "extractor": str(g.value(node, KG.extractor) or ""),
            "confidence": str(g.value(node, KG.confidence) or ""),
            "speech_act": _local(g.value(node, KG.speechAct)) if g.value(node, KG.speechAct) else "",
        })
    edges = []
    for pred in EDGE_PREDICATES:
        for s, o in g.subject_objects(KG[pred]):
            if str(s) in nodes and str(o) in nodes:
                ev = sorted(evidence.get((str(s), str(KG[pred]), str(o)), []), key=lambda e: (e["article"], e["start"]))
                edges.append(EdgeView(str(s), str(o), pred, ev))
    edges.sort(key=lambda e: (e.predicate, e.source, e.target))
    return GraphView(sorted(nodes.values(), key=lambda n: n.id), edges)
