"""A plain view of the resolved graph for the HTML and Neo4j exporters: nodes, edges, and edge evidence,
read from the store with a few SPARQL queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..ontology import KG
from ..view import View

__all__ = ["CLASSES", "EDGE_PREDICATES", "EdgeView", "GraphView", "NodeView", "graph_view"]

EDGE_PREDICATES = ("attended", "organizer", "demanded", "affiliation", "location", "stated", "publisher", "author")
CLASSES = ("Person", "Company", "GovernmentAgency", "Association", "ResearchInstitute", "Legislature",
           "PoliticalParty", "MediaOutlet", "University", "Organization", "Meeting", "Place", "Policy", "Quote",
           "Article")  # most specific first
_PROPS = ("jobTitle", "startDate", "startDay", "datePublished", "url", "headline", "sourceFile", "text")
_NS = str(KG._NS)
_PREFIX = (f"PREFIX kg: <{_NS}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
           "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
           "PREFIX prov: <http://www.w3.org/ns/prov#> ")
_EVIDENCE = _PREFIX + """
SELECT ?s ?p ?o ?art ?src ?pub ?sentence ?start ?end ?extractor ?confidence ?act WHERE {
  ?n a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?art ;
     kg:evidenceText ?sentence ; kg:startOffset ?start ; kg:endOffset ?end ; kg:extractor ?extractor ;
     kg:confidence ?confidence .
  OPTIONAL { ?n kg:speechAct ?act }
  OPTIONAL { ?art kg:datePublished ?pub }
  OPTIONAL { ?art kg:sourceFile ?file } OPTIONAL { ?art kg:url ?url }
  BIND(COALESCE(?url, ?file, STR(?art)) AS ?src)
}"""


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


def _local(iri: str | None) -> str:
    return (iri or "").rsplit("#", 1)[-1]


def graph_view(store: View) -> GraphView:
    """Nodes typed with kg classes (their most specific class), their edges, and each edge's evidence;
    computed once per view."""
    cached = store.cache.get("graph_view")
    if isinstance(cached, GraphView):
        return cached
    view = _graph_view(store)
    store.cache["graph_view"] = view
    return view


def _graph_view(store: View) -> GraphView:
    types: dict[str, str] = {}
    for s, t in store.select(_PREFIX + "SELECT ?s ?t WHERE { ?s a ?t }"):
        name = _local(t) if t and t.startswith(_NS) else ""
        if s and name in CLASSES:
            cur = types.get(s)
            if cur is None or CLASSES.index(name) < CLASSES.index(cur):
                types[s] = name
    labels: dict[str, str] = {}
    for s, label in store.select(_PREFIX + "SELECT ?s ?l WHERE { ?s rdfs:label ?l }"):
        if s in types and label is not None and (s not in labels or label < labels[s]):
            labels[s] = label
    aliases: dict[str, list[str]] = defaultdict(list)
    for s, alias in store.select(_PREFIX + "SELECT ?s ?a WHERE { ?s skos:altLabel ?a }"):
        if s in types and alias is not None:
            aliases[s].append(alias)
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    values = " ".join(f"kg:{p}" for p in _PROPS)
    for s, p, v in store.select(_PREFIX + f"SELECT ?s ?p ?v WHERE {{ ?s ?p ?v VALUES ?p {{ {values} }} "
                                          "FILTER(isLiteral(?v)) }"):
        if s in types and v is not None:
            props[s][_local(p)].append(v)
    nodes = {}
    for iri, t in types.items():
        own = {k: sorted(vs) for k, vs in sorted(props[iri].items())} if iri in props else {}
        label = labels.get(iri) or (own.get("sourceFile") or [iri])[0]
        nodes[iri] = NodeView(iri, t, label, sorted(aliases.get(iri, [])), own)
    evidence: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for row in store.select(_EVIDENCE):
        subj, pred, obj, art, src, pub, sentence, start, end, extractor, confidence, act = (x or "" for x in row)
        evidence[(subj, pred, obj)].append({"article": art, "source": src, "published": pub, "sentence": sentence,
                                    "start": start, "end": end, "extractor": extractor, "confidence": confidence,
                                    "speech_act": _local(act) if act else ""})
    edges = []
    values = " ".join(f"kg:{p}" for p in EDGE_PREDICATES)
    for s, p, o in store.select(_PREFIX + f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o VALUES ?p {{ {values} }} }}"):
        if s and o and s in nodes and o in nodes:
            ev = sorted(evidence.get((s, p or "", o), []), key=lambda e: (e["article"], int(e["start"] or 0)))
            edges.append(EdgeView(s, o, _local(p), ev))
    edges.sort(key=lambda e: (e.predicate, e.source, e.target))
    return GraphView(sorted(nodes.values(), key=lambda n: n.id), edges)
