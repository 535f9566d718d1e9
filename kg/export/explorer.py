"""What graph.html holds: every entity with its position, size and community, every relation with its
evidence, each sentence once, and the articles — in compact columns, so that 10,000 articles fit a page.

Positions, centrality and communities come from :mod:`kg.network` (networkx), computed here once, so that the
browser only draws. Pure: a view in, a dict out (``kg.export.html`` writes it into the page).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..network import INTERACTIONS, Network
from ..ontology import KG, load_ontology
from ..view import View
from .graphview import CLASSES, EDGE_PREDICATES, PREFIX, graph_view

__all__ = ["COLORS", "explorer_data"]

COLORS = {
    "Person": "#e4572e", "Company": "#4c78a8", "GovernmentAgency": "#2a9d8f", "Association": "#72b7b2",
    "ResearchInstitute": "#54a24b", "Legislature": "#b279a2", "PoliticalParty": "#9d755d",
    "MediaOutlet": "#8c8c8c", "University": "#c9a227", "Organization": "#83bcb6", "Meeting": "#f58518",
    "Place": "#8e6c8a", "Policy": "#d6616b", "Quote": "#b8b8b8", "Article": "#cccccc",
}
# a palette for communities (Tableau 20, minus the greys)
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf",
           "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5")
_MEMBERSHIPS = PREFIX + """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?p ?o ?title ?first ?last WHERE {
  ?m a org:Membership ; org:member ?p ; org:organization ?o .
  OPTIONAL { ?m kg:title ?title } OPTIONAL { ?m kg:firstReported ?first } OPTIONAL { ?m kg:lastReported ?last }
}"""
_ARTICLES = PREFIX + """
SELECT ?a ?pub ?file ?url ?headline ?outlet ?outletName WHERE {
  ?a a kg:Article . OPTIONAL { ?a kg:datePublished ?pub } OPTIONAL { ?a kg:sourceFile ?file }
  OPTIONAL { ?a kg:url ?url } OPTIONAL { ?a kg:headline ?headline }
  OPTIONAL { ?a kg:publisher/rdfs:label ?outlet } OPTIONAL { ?a kg:outletName ?outletName }
}"""
ID_BASE = "https://w3id.org/kgnews/id/"  # node ids in the page are written after it (absolute ones keep their ':')
_MENTIONS = PREFIX + "SELECT ?a ?e WHERE { ?a kg:mentions ?e }"


class _Index:
    """Strings numbered in the order first seen."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._at: dict[Any, int] = {}

    def __call__(self, key: Any, value: Any = None) -> int:
        at = self._at.get(key)
        if at is None:
            at = self._at[key] = len(self.items)
            self.items.append(key if value is None else value)
        return at


def explorer_data(store: View, title: str) -> dict[str, Any]:
    """The page's data. Evidence is numbered (``evidence``: sentence, article, start, end, extractor,
    confidence, speech act), each sentence kept once (``sentences``); an edge is [source, target, predicate,
    its first piece of evidence, how many it has]."""
    view = graph_view(store)
    net = Network.of(view)
    ids = [n.id for n in view.nodes if n.type != "Article"]
    at = {i: k for k, i in enumerate(ids)}
    articles, outlets = _articles(store)
    art_at = {a: k for k, a in enumerate(sorted(articles))}
    groups = net.communities()
    community = {i: c for c, g in enumerate(groups) for i in g}
    positions = net.layout(groups)
    between, sample = net.betweenness()
    degree = dict(net.entities.degree())
    communities = len(groups)
    for i in ids:  # a quote or a place joins its neighbour's community, for colour
        if i not in community:
            near = sorted(community[j] for j in net.entities[i] if j in community)
            community[i] = near[0] if near else -1
    del net, groups  # the network's graphs go before the evidence is gathered (at 50,000 articles, 0.5 GB)
    mentions: dict[int, set[int]] = defaultdict(set)
    for art, entity in store.select(_MENTIONS):
        if art in art_at and entity in at:
            mentions[at[entity]].add(art_at[art])
    nodes = {n.id: n for n in view.nodes}
    sentences, extractors, acts = _Index(), _Index(), _Index()
    # each piece of evidence a tuple, its numbers shared (3.4 million pieces at 50,000 articles); an edge's
    # evidence is a run of numbers, given by its first and its count
    evidence: list[tuple[Any, ...]] = []
    edges: list[list[Any]] = []
    offset, confidence = _Numbers(int), _Numbers(lambda v: round(float(v or 0), 2))
    predicates = [p for p in EDGE_PREDICATES if p not in ("publisher", "author")]
    for e in view.edges:
        if e.source not in at or e.target not in at or e.predicate not in predicates:
            continue
        run = len(evidence)
        for ev in e.evidence:
            art_no = art_at.get(ev.article, -1)
            sentence = sentences((art_no, ev.start, ev.sentence), ev.sentence)
            evidence.append((sentence, art_no, offset(ev.start), offset(ev.end), extractors(ev.extractor),
                             confidence(ev.confidence), acts(ev.speech_act)))
        edges.append([at[e.source], at[e.target], predicates.index(e.predicate), run, len(evidence) - run])
    posts: dict[int, list[list[Any]]] = defaultdict(list)
    for p, o, title_, first, last in store.select(_MEMBERSHIPS):
        if p in at and o in at:
            posts[at[p]].append([at[o], title_ or "", first or "", last or ""])
    return {
        "title": title,
        "base": ID_BASE,
        "classes": list(CLASSES),
        "classLabels": _class_labels(),
        "colors": COLORS,
        "palette": list(PALETTE),
        "predicates": predicates,
        "interactions": list(INTERACTIONS),
        "betweennessSample": sample,
        "outlets": outlets,
        "articles": [articles[a] for a in sorted(articles)],
        "nodes": _columns(ids, nodes, positions, between, degree, community, mentions, posts),
        "edges": edges,
        "evidence": evidence,
        "sentences": sentences.items,
        "extractors": extractors.items,
        "acts": acts.items,
        "communities": communities,
    }


class _Numbers:
    """Numbers made from strings once each and shared: ``int("1285")`` is a new object at every call."""

    def __init__(self, make: Any) -> None:
        self._make = make
        self._made: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        made = self._made.get(text)
        if made is None:
            made = self._made[text] = self._make(text or 0)
        return made


def _columns(ids: list[str], nodes: dict[str, Any], positions: dict[str, tuple[float, float]],
             between: dict[str, float], degree: dict[str, int], community: dict[str, int],
             mentions: dict[int, set[int]], posts: dict[int, list[list[Any]]]) -> dict[str, Any]:
    cols: dict[str, Any] = {k: [] for k in ("id", "label", "cls", "x", "y", "deg", "btw", "com", "date", "arts")}
    cols["alias"], cols["props"], cols["posts"] = {}, {}, {}
    for k, i in enumerate(ids):
        n = nodes[i]
        x, y = positions.get(i, (0.0, 0.0))
        cols["id"].append(i.removeprefix(ID_BASE))
        cols["label"].append(n.label)
        cols["cls"].append(CLASSES.index(n.type))
        cols["x"].append(x)
        cols["y"].append(y)
        cols["deg"].append(int(degree.get(i, 0)))
        cols["btw"].append(between.get(i, 0.0))
        cols["com"].append(community.get(i, -1))
        cols["date"].append((n.props.get("startDate") or [""])[0])
        cols["arts"].append(sorted(mentions.get(k, ())))
        if n.aliases:
            cols["alias"][k] = n.aliases
        shown = {p: v for p, v in n.props.items() if p in ("jobTitle", "startDay", "text") and v != [n.label]}
        if shown:
            cols["props"][k] = shown
        if k in posts:
            cols["posts"][k] = sorted(posts[k], key=lambda r: (r[2] or "9999", r[3], r[1], r[0]))
    return cols


def _class_labels() -> dict[str, str]:
    """Each class's Korean name from the ontology (인물, 기업, 정부기관 …), for the legend and the panel."""
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    onto = load_ontology()
    labels = {}
    for name in CLASSES:
        ko = [str(o) for o in onto.objects(URIRef(str(KG._NS) + name), RDFS.label)
              if getattr(o, "language", None) == "ko"]
        if ko:
            labels[name] = ko[0]
    return labels


def _articles(store: View) -> tuple[dict[str, list[Any]], list[str]]:
    """Each article as [source, published, outlet number (-1: unknown), headline], and the outlets by name."""
    found: dict[str, list[str]] = {}
    for a, pub, file, url, headline, outlet, outlet_name in store.select(_ARTICLES):
        if a:
            row = [url or file or a, pub or "", outlet or outlet_name or "", headline or ""]
            if a not in found or row < found[a]:
                found[a] = row
    outlets = sorted({r[2] for r in found.values() if r[2]})
    number = {name: k for k, name in enumerate(outlets)}
    return {a: [r[0], r[1], number.get(r[2], -1), r[3]] for a, r in found.items()}, outlets
