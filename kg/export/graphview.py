"""A plain view of the resolved graph for the HTML and Neo4j exporters: nodes, edges, and edge evidence,
read from the store with a few SPARQL queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, cast

import pyoxigraph as ox

from ..ontology import KG
from ..store import Row
from ..view import View

__all__ = ["CLASSES", "EDGE_PREDICATES", "PREFIX", "EdgeView", "Evidence", "GraphView", "NodeView", "Selectable",
           "graph_view"]

EDGE_PREDICATES = ("attended", "organizer", "demanded", "affiliation", "location", "stated", "publisher", "author")
CLASSES = ("Person", "Company", "GovernmentAgency", "Association", "ResearchInstitute", "Legislature",
           "PoliticalParty", "MediaOutlet", "University", "Organization", "Meeting", "Place", "Policy", "Quote",
           "Article")  # most specific first
_PROPS = ("jobTitle", "startDate", "startDay", "datePublished", "url", "headline", "sourceFile", "text")
_NS = str(KG._NS)
PREFIX = (f"PREFIX kg: <{_NS}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
           "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
           "PREFIX prov: <http://www.w3.org/ns/prov#> ")
# (no "?n a kg:Assertion": only assertions have rdf:subject, and Oxigraph would start from every assertion)
_EVIDENCE = PREFIX + """
SELECT ?s ?p ?o ?art ?sentence ?start ?end ?extractor ?confidence ?act WHERE {
  ?n rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?e .
  ?e prov:wasDerivedFrom ?art ; kg:evidenceText ?sentence ; kg:startOffset ?start ; kg:endOffset ?end ;
     kg:extractor ?extractor ; kg:confidence ?confidence .
  OPTIONAL { ?e kg:speechAct ?act }
}"""
# the whole graph's evidence in two star queries joined here: Oxigraph joins the two stars of _EVIDENCE a
# third slower than it answers each
_ASSERTED = PREFIX + ("SELECT ?s ?p ?o ?e WHERE { ?n rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; "
                      "kg:evidence ?e }")
_EVIDENCE_NODES = PREFIX + """
SELECT ?e ?art ?sentence ?start ?end ?extractor ?confidence ?act WHERE {
  ?e prov:wasDerivedFrom ?art ; kg:evidenceText ?sentence ; kg:startOffset ?start ; kg:endOffset ?end ;
     kg:extractor ?extractor ; kg:confidence ?confidence .
  OPTIONAL { ?e kg:speechAct ?act }
}"""
_ARTICLES = PREFIX + """
SELECT ?art ?pub ?file ?url WHERE {
  ?art a kg:Article . OPTIONAL { ?art kg:datePublished ?pub } OPTIONAL { ?art kg:sourceFile ?file }
  OPTIONAL { ?art kg:url ?url }
}"""


class Selectable(Protocol):
    def select(self, query: str) -> Iterable[Row]: ...


@dataclass(slots=True)
class NodeView:
    id: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    props: dict[str, list[str]] = field(default_factory=dict)  # jobTitle, startDate, datePublished, url ...


class Evidence(NamedTuple):
    """One piece of evidence of an edge (a tuple, not a dict: a graph of 10,000 articles has 700,000 of them)."""

    article: str
    source: str
    published: str
    sentence: str
    start: str
    end: str
    extractor: str
    confidence: str
    speech_act: str


@dataclass(slots=True)
class EdgeView:
    source: str
    target: str
    predicate: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class GraphView:
    nodes: list[NodeView]
    edges: list[EdgeView]


def _local(iri: str | None) -> str:
    return (iri or "").rsplit("#", 1)[-1]


def graph_view(store: View | Selectable, only: set[str] | None = None, *, evidence: bool = True) -> GraphView:
    """Nodes typed with kg classes (their most specific class), their edges, and each edge's evidence;
    computed once per view. ``only``: just these nodes and the edges between them (not cached). A plain store
    (a graph file's, or a store's resolved union) is read each time; ``evidence=False`` leaves evidence out."""
    if only is not None or not isinstance(store, View) or not evidence:
        return _graph_view(store, only, evidence)
    with store.lock:
        cached = store.cache.get("graph_view")
        if isinstance(cached, GraphView):
            return cached
        view = _graph_view(store, None, True)
        store.cache["graph_view"] = view
        return view


def _graph_view(store: View | Selectable, only: set[str] | None, with_evidence: bool) -> GraphView:
    scope = f"VALUES ?s {{ {' '.join(f'<{n}>' for n in sorted(only))} }} " if only is not None else ""

    def among(preds: tuple[str, ...]) -> str:
        """?p among ``preds``: VALUES over the whole graph (the predicate index), FILTER within a scope
        (Oxigraph joins two VALUES blocks slowly)."""
        names = [f"kg:{p}" for p in preds]
        return f"FILTER(?p IN ({', '.join(names)}))" if scope else f"VALUES ?p {{ {' '.join(names)} }}"

    types: dict[str, str] = {}
    for s, t in store.select(PREFIX + f"SELECT ?s ?t WHERE {{ {scope}?s a ?t }}"):
        name = _local(t) if t and t.startswith(_NS) else ""
        if s and name in CLASSES:
            cur = types.get(s)
            if cur is None or CLASSES.index(name) < CLASSES.index(cur):
                types[s] = name
    labels: dict[str, str] = {}
    for s, label in store.select(PREFIX + f"SELECT ?s ?l WHERE {{ {scope}?s rdfs:label ?l }}"):
        if s in types and label is not None and (s not in labels or label < labels[s]):
            labels[s] = label
    aliases: dict[str, list[str]] = defaultdict(list)
    for s, alias in store.select(PREFIX + f"SELECT ?s ?a WHERE {{ {scope}?s skos:altLabel ?a }}"):
        if s in types and alias is not None:
            aliases[s].append(alias)
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    same = {label: label for label in labels.values()}  # a quote's text is its label: one string for both
    for s, p, v in store.select(PREFIX + f"SELECT ?s ?p ?v WHERE {{ {scope}?s ?p ?v {among(_PROPS)} "
                                          "FILTER(isLiteral(?v)) }"):
        if s in types and v is not None:
            props[s][_local(p)].append(same.get(v, v))
    del same
    nodes = {}
    for iri, t in types.items():
        own = {k: sorted(vs) for k, vs in sorted(props[iri].items())} if iri in props else {}
        label = labels.get(iri) or (own.get("sourceFile") or [iri])[0]
        nodes[iri] = NodeView(iri, t, label, sorted(aliases.get(iri, [])), own)
    articles = {art: (url or file or art, pub or "") for art, pub, file, url in store.select(_ARTICLES) if art}
    evidence: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    shared: dict[str, str] = {}  # one string for each sentence, article, extractor…: facts share their evidence
    one = shared.setdefault
    for row in _evidence_rows(store, scope, one) if with_evidence else ():
        subj, pred, obj, art, sentence, start, end, extractor, confidence, act = (one(x, x) if x else "" for x in row)
        if obj not in nodes:
            continue
        src, pub = articles.get(art, (art, ""))
        evidence[(subj, pred, obj)].append(Evidence(art, src, pub, sentence, start, end, extractor, confidence,
                                                    one(_local(act), _local(act)) if act else ""))
    del shared
    edges = []
    names: dict[str | None, str] = {}  # each predicate's local name once; an edge's ends are its nodes' ids
    for s, p, o in store.select(PREFIX + f"SELECT ?s ?p ?o WHERE {{ {scope}?s ?p ?o {among(EDGE_PREDICATES)} }}"):
        if s and o and s in nodes and o in nodes:
            ev = evidence.pop((s, p or "", o), [])
            ev.sort(key=_evidence_order)
            name = names.get(p) or names.setdefault(p, _local(p))
            edges.append(EdgeView(nodes[s].id, nodes[o].id, name, ev))
    del evidence
    edges.sort(key=lambda e: (e.predicate, e.source, e.target))
    return GraphView(sorted(nodes.values(), key=lambda n: n.id), edges)


def _evidence_rows(store: View | Selectable, scope: str, one: Callable[[str, str], str]
                   ) -> Iterator[tuple[str | None, ...]]:
    """(subject, predicate, object, article, sentence, start, end, extractor, confidence, act) of every piece
    of evidence of every fact (of the facts of ``scope``'s nodes)."""
    if scope:
        yield from store.select(_EVIDENCE.replace("WHERE {", "WHERE { " + scope, 1))
        return
    db = _oxigraph(store)
    if db is None:
        found = {e: tuple(one(x, x) if x else x for x in rest) for e, *rest in store.select(_EVIDENCE_NODES) if e}
        for s, p, o, e in store.select(_ASSERTED):
            details = found.get(e or "")
            if details is not None:
                yield (s, p, o, *details)
        return
    # the whole graph: each predicate read along its index and the stars joined here, a third faster than
    # Oxigraph joins them (a store of 10,000 articles has 300,000 evidence nodes: 29 s instead of 42 s)
    nodes: dict[str, list[str | None]] = {}
    for e, sentence in _pairs(db, _EVIDENCE_TEXT):
        nodes[e] = [None, one(sentence, sentence), None, None, None, None, None]
    for column, predicate in enumerate(_EVIDENCE_PARTS):
        for e, value in _pairs(db, predicate):
            row = nodes.get(e)
            if row is not None:
                row[column if column == 0 else column + 1] = one(value, value)
    found = {e: tuple(row) for e, row in nodes.items() if all(x is not None for x in row[:6])}
    del nodes
    asserted: dict[str, list[str]] = defaultdict(lambda: ["", "", ""])
    for column, predicate in enumerate(_STATEMENT):
        for n, value in _pairs(db, predicate):
            asserted[n][column] = value
    for n, e in _pairs(db, _EVIDENCE_LINK):
        details = found.get(e)
        spo = asserted.get(n)
        if details is not None and spo is not None and all(spo):
            yield (*spo, *details)


_EVIDENCE_TEXT = str(KG.evidenceText)
_EVIDENCE_PARTS = ("http://www.w3.org/ns/prov#wasDerivedFrom", str(KG.startOffset), str(KG.endOffset),
                   str(KG.extractor), str(KG.confidence), str(KG.speechAct))  # the columns of _EVIDENCE_NODES
_STATEMENT = tuple(f"http://www.w3.org/1999/02/22-rdf-syntax-ns#{x}" for x in ("subject", "predicate", "object"))
_EVIDENCE_LINK = str(KG.evidence)


def _oxigraph(store: View | Selectable) -> ox.Store | None:
    """The Oxigraph store whose default graph ``store`` reads, when it is one kg knows."""
    if isinstance(store, View):
        return store.union._db
    found = getattr(store, "_db", None)
    return found if isinstance(found, ox.Store) else None


def _pairs(db: ox.Store, predicate: str) -> Iterator[tuple[str, str]]:
    """(subject, object) of every triple of ``predicate`` in the default graph, as plain strings: asked as a
    one-pattern SELECT, which Oxigraph answers along the same index in half the time ``quads_for_pattern``
    takes (it makes no quad objects)."""
    for s, o in cast(ox.QuerySolutions, db.query(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}")):
        if not isinstance(s, ox.Triple) and not isinstance(o, ox.Triple):
            yield s.value, o.value


def _evidence_order(e: Evidence) -> tuple[object, ...]:
    """Evidence by article and place in it; then by everything else, so that the order is the content's alone."""
    return (e.article, int(e.start or 0), int(e.end or 0), e.extractor, e.confidence, e.speech_act, e.sentence)
