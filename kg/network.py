"""Network analysis of the resolved graph — the only module that imports networkx.

Two undirected graphs are made from a :class:`~kg.export.graphview.GraphView`:

- the *interaction network*: people, organisations, meetings and policies, joined by ``attended``,
  ``organizer``, ``demanded`` and ``affiliation``. Centrality, communities and paths are measured on it, so that
  a place many meetings were held at, or a person's quotes, do not make anyone look like a broker;
- the *entity graph*: every entity but articles, joined by every relation between entities (``location`` and
  ``stated`` too): what a neighbourhood and the explorer's layout are made of.

Every result is the project's own rows (dicts of str / int / float), sorted, so the same graph gives the same
answer byte for byte.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from typing import NamedTuple

import networkx as nx

from .errors import KgError
from .export.graphview import GraphView

__all__ = ["ACTOR_CLASSES", "INTERACTIONS", "LARGEST", "Network", "NotFound", "Pairs"]

ACTOR_CLASSES = ("Person", "Company", "GovernmentAgency", "Association", "ResearchInstitute", "Legislature",
                 "PoliticalParty", "MediaOutlet", "University", "Organization")
INTERACTIONS = ("attended", "organizer", "demanded", "affiliation")
_INTERACTING = {*ACTOR_CLASSES, "Meeting", "Policy"}
_EXACT_BETWEENNESS = 5_000  # nodes; above, betweenness is estimated from a sample of sources
_SAMPLE = 64
LARGEST = 100  # members of a meeting or policy beyond which its pairs are not counted


class Pairs(NamedTuple):
    rows: list[dict[str, object]]
    left_out: list[str]  # the meetings or policies with too many members to pair, with their size


class NotFound(KgError):
    """A name given on the command line matches no entity, or several."""


@dataclass(frozen=True)
class Node:
    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    date: str = ""  # a meeting's startDate


@dataclass
class Network:
    nodes: dict[str, Node]
    graph: nx.Graph  # the interaction network
    entities: nx.Graph  # the entity graph
    predicates: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, target) -> predicate

    @classmethod
    def of(cls, view: GraphView) -> Network:
        nodes = {n.id: Node(n.id, n.type, n.label, tuple(n.aliases), (n.props.get("startDate") or [""])[0])
                 for n in view.nodes if n.type != "Article"}
        graph, entities = nx.Graph(), nx.Graph()
        entities.add_nodes_from(nodes)
        graph.add_nodes_from(i for i, n in nodes.items() if n.type in _INTERACTING)
        predicates: dict[tuple[str, str], str] = {}
        for e in view.edges:
            if e.source in nodes and e.target in nodes and e.source != e.target:
                entities.add_edge(e.source, e.target)
                predicates.setdefault((e.source, e.target), e.predicate)
                if e.predicate in INTERACTIONS and graph.has_node(e.source) and graph.has_node(e.target):
                    graph.add_edge(e.source, e.target)
        return cls(nodes, graph, entities, predicates)

    # names
    def find(self, name: str) -> str:
        """The entity a user means by ``name``: its IRI, its name or an alias (any case), else the one entity
        whose name contains it or abbreviates it (과기정통부 → 과학기술정보통신부)."""
        if name in self.nodes:
            return name
        key = _key(name)
        if not key:
            raise NotFound(f"{name!r}: give a name, an alias or an IRI")
        exact = sorted(i for i, n in self.nodes.items() if key in {_key(n.label), *map(_key, n.aliases)})
        found = exact or sorted(i for i, n in self.nodes.items()
                                if any(key in _key(x) or _abbreviates(key, _key(x)) for x in (n.label, *n.aliases)))
        if len(found) == 1:
            return found[0]
        if not found:
            raise NotFound(f"no entity is named {name!r} (try `kg query` with a part of the name)")
        ranked = sorted(found, key=lambda i: (-self.entities.degree(i), i))
        shown = "; ".join(f"{self.nodes[i].label} ({self.nodes[i].type}, <{i}>)" for i in ranked[:8])
        raise NotFound(f"{name!r} names {len(found)} entities: {shown}{' …' if len(found) > 8 else ''}; "
                       "give the IRI")

    def row(self, node: str) -> dict[str, str]:
        n = self.nodes[node]
        return {"entity": n.id, "label": n.label, "class": n.type}

    # who met whom, who asked for what together
    def co_attendance(self, classes: Sequence[str] = ACTOR_CLASSES, largest: int = LARGEST) -> Pairs:
        """Pairs of actors at the same meetings (attending or hosting): how often, first and last date."""
        return self._pairs("Meeting", ("attended", "organizer"), classes, largest)

    def co_demand(self, classes: Sequence[str] = ACTOR_CLASSES, largest: int = LARGEST) -> Pairs:
        """Pairs of actors who asked for the same policies."""
        return self._pairs("Policy", ("demanded",), classes, largest)

    def _pairs(self, hub_type: str, preds: tuple[str, ...], classes: Sequence[str], largest: int) -> Pairs:
        """A meeting or policy with more than ``largest`` members (a generic 정부 지원 that thousands ask for)
        pairs everyone with everyone — quadratic, and it says nothing of any pair: it is left out, and named."""
        members: dict[str, set[str]] = defaultdict(set)
        for (s, o), p in self.predicates.items():
            if p in preds and self.nodes[o].type == hub_type and self.nodes[s].type in classes:
                members[o].add(s)
        too_big = sorted(h for h, m in members.items() if len(m) > largest)
        shared: dict[tuple[str, str], list[str]] = defaultdict(list)
        for hub in sorted(set(members) - set(too_big)):
            for a, b in combinations(sorted(members[hub]), 2):
                shared[(a, b)].append(hub)
        keyed: list[tuple[tuple[int, str, str, str, str], dict[str, object]]] = []
        for (a, b), hubs in shared.items():
            what = "meetings" if hub_type == "Meeting" else "policies"
            row: dict[str, object] = {"a": a, "a_label": self.nodes[a].label, "b": b, "b_label": self.nodes[b].label,
                                      what: len(hubs)}
            if hub_type == "Meeting":
                dates = sorted(d for d in (self.nodes[h].date for h in hubs) if d)
                row.update(first=dates[0] if dates else "", last=dates[-1] if dates else "")
            row["together"] = " | ".join(sorted(self.nodes[h].label for h in hubs)[:5])
            keyed.append(((-len(hubs), self.nodes[a].label, self.nodes[b].label, a, b), row))
        keyed.sort(key=lambda kr: kr[0])
        return Pairs([row for _key, row in keyed], [f"{self.nodes[h].label} ({len(members[h])})" for h in too_big])

    # who brokers
    def degrees(self) -> dict[str, int]:
        return {n: int(d) for n, d in self.graph.degree()}

    def betweenness(self, sample: int | None = None) -> tuple[dict[str, float], int | None]:
        """Betweenness on the interaction network, exact up to 5,000 nodes, else from ``sample`` sources
        (default 64, seeded: the same graph gives the same figures). Returns the figures and the sample."""
        k = self.betweenness_sample(sample)
        values = nx.betweenness_centrality(self.graph, k=k, seed=0 if k else None, normalized=True)
        return {node: round(float(v), 6) for node, v in values.items()}, k

    def betweenness_sample(self, sample: int | None = None) -> int | None:
        """How many sources betweenness is estimated from (None: exact)."""
        n = self.graph.number_of_nodes()
        k = sample if sample is not None else (None if n <= _EXACT_BETWEENNESS else _SAMPLE)
        return None if k is None or k >= n else k

    def centrality(self, sample: int | None = None, classes: Sequence[str] = ACTOR_CLASSES) -> list[dict[str, object]]:
        between, _k = self.betweenness(sample)
        degree = self.degrees()
        meetings = {n: sum(1 for m in self.graph[n] if self.nodes[m].type == "Meeting") for n in self.graph}
        chosen = sorted((n for n in self.graph if self.nodes[n].type in classes),
                        key=lambda n: (-between.get(n, 0.0), -degree[n], self.nodes[n].label, n))
        return [{**self.row(n), "degree": degree[n], "meetings": meetings[n], "betweenness": between.get(n, 0.0)}
                for n in chosen]

    # groups
    def communities(self) -> list[list[str]]:
        """Louvain communities of the interaction network (seeded), biggest first; members by degree."""
        return [sorted(c, key=lambda i: (-self.graph.degree(i), i)) for c in _louvain(self.graph) if len(c) > 1]

    def community_rows(self, top: int = 6) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for number, group in enumerate(self.communities(), 1):
            kinds: dict[str, int] = defaultdict(int)
            for i in group:
                kinds[self.nodes[i].type] += 1
            rows.append({"community": number, "size": len(group),
                         "classes": ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])),
                         "central": " | ".join(self.nodes[i].label for i in group[:top])})
        return rows

    # around one entity, between two
    def neighbourhood(self, node: str, depth: int = 1) -> list[dict[str, object]]:
        """Every entity within ``depth`` steps in the entity graph, with the step that reached it."""
        if depth < 1:
            raise KgError(f"--depth {depth}: give 1 or more")
        rows: list[dict[str, object]] = [{**self.row(node), "distance": 0, "via": "", "from": ""}]
        seen, frontier = {node}, [node]
        for distance in range(1, depth + 1):
            nxt = []
            for here in frontier:
                for there in sorted(self.entities[here]):
                    if there not in seen:
                        seen.add(there)
                        nxt.append(there)
                        rows.append({**self.row(there), "distance": distance, "via": self.link(here, there),
                                     "from": self.nodes[here].label})
            frontier = nxt
        return rows

    def link(self, a: str, b: str) -> str:
        """The predicate joining a and b, with its direction: "attended →" when a attended b."""
        if (a, b) in self.predicates:
            return self.predicates[(a, b)] + " →"
        return "← " + self.predicates.get((b, a), "")

    def path(self, a: str, b: str) -> list[dict[str, object]]:
        """The shortest chain of interactions from a to b (the meetings along it carry their dates)."""
        try:
            chain = nx.shortest_path(self.graph if a in self.graph and b in self.graph else self.entities, a, b)
        except nx.NetworkXNoPath:
            raise NotFound(f"no connection between {self.nodes[a].label} and {self.nodes[b].label}") from None
        rows: list[dict[str, object]] = []
        for step, (x, y) in enumerate(pairwise(chain), 1):
            rows.append({"step": step, "from": self.nodes[x].label, "via": self.link(x, y), "to": self.nodes[y].label,
                         "to_class": self.nodes[y].type, "date": self.nodes[y].date, "from_id": x, "to_id": y})
        return rows

    # the explorer's picture
    def layout(self, groups: Iterable[Sequence[str]]) -> dict[str, tuple[float, float]]:
        """Positions for every entity: each community laid out on its own (a spring layout up to 300 entities,
        else split again), the communities packed in rows, biggest first; an entity with a single neighbour (a
        quote, most policies) on a small sunflower around it. Deterministic."""
        leaves: dict[str, list[str]] = defaultdict(list)
        for i in self.entities:
            if self.entities.degree(i) == 1:
                (j,) = self.entities[i]
                if self.entities.degree(j) > 1:
                    leaves[j].append(i)
        hanging = {i for ls in leaves.values() for i in ls}
        placed: set[str] = set()
        parts: list[list[str]] = []
        for g in groups:
            parts.append([i for i in g if i not in placed and i not in hanging])
            placed.update(parts[-1])
        owner = {i: k for k, part in enumerate(parts) for i in part}
        for i in sorted(self.entities, key=lambda i: (-self.entities.degree(i), i)):  # places and the like
            if i not in owner and i not in hanging:
                near = sorted(owner[j] for j in self.entities[i] if j in owner)
                if near:
                    parts[near[0]].append(i)
                    owner[i] = near[0]
        rest = sorted(i for i in self.entities if i not in owner and i not in hanging)
        parts.extend(sorted((sorted(c) for c in nx.connected_components(self._subgraph(rest))),
                            key=lambda c: (-len(c), c[0])))
        pos = _pack([self._local(p) for p in parts if p])
        golden = math.pi * (3 - math.sqrt(5))
        for j, ls in leaves.items():
            x, y = pos[j]
            for k, i in enumerate(sorted(ls), 1):
                r = 0.9 * math.sqrt(k)
                pos[i] = (round(x + r * math.cos(k * golden), 2), round(y + r * math.sin(k * golden), 2))
        return pos

    def _subgraph(self, part: list[str]) -> nx.Graph:
        """The entity graph among ``part``, its nodes in sorted order (a networkx subgraph view walks a set,
        whose order changes from one process to the next)."""
        inside = set(part)
        sub = nx.Graph()
        sub.add_nodes_from(sorted(part))
        sub.add_edges_from((u, v) for u in sorted(part) for v in self.entities[u] if v in inside and u < v)
        return sub

    def _local(self, part: list[str], depth: int = 0) -> dict[str, tuple[float, float]]:
        """A spring layout up to 300 entities; a bigger part is split by Louvain again and its pieces packed
        (a sunflower by degree when it will not split)."""
        n = len(part)
        if n <= 2:
            return {i: (float(k) * 2.0, 0.0) for k, i in enumerate(sorted(part))}
        sub = self._subgraph(part)
        if n <= 300 and sub.number_of_edges():
            pos = nx.spring_layout(sub, seed=0, iterations=40 if n > 50 else 60)
            scale = 1.6 * math.sqrt(n)
            return {i: (float(x) * scale, float(y) * scale) for i, (x, y) in pos.items()}
        pieces = _louvain(sub) if depth < 4 and sub.number_of_edges() else [set(part)]
        if len(pieces) > 1:
            return _pack([self._local(sorted(c), depth + 1) for c in pieces])
        ranked = sorted(part, key=lambda i: (-sub.degree(i), i))  # a sunflower: hubs in the middle
        golden = math.pi * (3 - math.sqrt(5))
        return {i: (2.0 * math.sqrt(k) * math.cos(k * golden), 2.0 * math.sqrt(k) * math.sin(k * golden))
                for k, i in enumerate(ranked)}


def _louvain(graph: nx.Graph) -> list[set[str]]:
    """Louvain communities (seeded), biggest first, computed on integer nodes: Louvain walks sets of nodes, and
    sets of strings come in an order that changes with every process (hash randomisation); sets of small
    integers do not."""
    if not graph.number_of_edges():
        return [{i} for i in graph]
    numbered = nx.convert_node_labels_to_integers(graph, label_attribute="iri")
    iri = nx.get_node_attributes(numbered, "iri")
    found = [{iri[k] for k in c} for c in nx.community.louvain_communities(numbered, seed=0)]
    return sorted(found, key=lambda c: (-len(c), min(c)))


def _pack(parts: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Each part centred and packed in rows (shelves), biggest first, a margin between them."""
    boxes = []
    for pos in parts:
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        r = max(math.hypot(x - cx, y - cy) for x, y in pos.values()) + 2.0
        boxes.append((r, {i: (x - cx, y - cy) for i, (x, y) in pos.items()}))
    boxes.sort(key=lambda b: -b[0])
    width = 1.3 * math.sqrt(sum((2 * r) ** 2 for r, _p in boxes)) if boxes else 0.0
    out: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for r, pos in boxes:
        if x > 0 and x + 2 * r > width:
            x, y, row = 0.0, y + row, 0.0
        for i, (px, py) in pos.items():
            out[i] = (round(x + r + px, 2), round(-(y + r + py), 2))
        x, row = x + 2 * r, max(row, 2 * r)
    return out


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def _abbreviates(short: str, name: str) -> bool:
    """Korean abbreviations keep syllables in order: 과기정통부 in 과학기술정보통신부, 산업부 in 산업통상자원부."""
    if len(short) < 2 or len(short) >= len(name) or short[0] != name[0]:
        return False
    at = 0
    for ch in short:
        at = name.find(ch, at) + 1
        if at == 0:
            return False
    return short[-1] == name[-1] or len(short) >= 3
