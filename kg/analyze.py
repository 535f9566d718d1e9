"""``kg analyze``: network measures of a store or a graph file, as rows to print (table, CSV, JSON).

    >>> from kg.analyze import analyze
    >>> rows = analyze("outputs/graph.ttl", "path", names=["류제명", "업스테이지"])   # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KgError
from .rdf import PREFIXES
from .results import Answer, Term, render

if TYPE_CHECKING:  # networkx is imported when a measure runs, not whenever `kg` starts
    from .network import Network

__all__ = ["ANALYSES", "analyze", "format_rows", "load_network"]

# name -> (what it tells, how many entity names it takes)
ANALYSES = {
    "centrality": ("who connects the network: degree (distinct neighbours) and betweenness (how often one lies "
                   "on the shortest chain between two others: the brokers between government and industry)", 0),
    "communities": ("groups that meet and ask among themselves more than with others (Louvain)", 0),
    "coattendance": ("who met whom: pairs of actors at the same meetings, how often, first and last date", 0),
    "codemand": ("who asked for the same policies: pairs of actors and what they asked for together", 0),
    "neighbours": ("everything within --depth steps of an entity, with the step that reached it", 1),
    "path": ("the shortest chain of meetings, affiliations and demands between two entities", 2),
}
_XSD = "http://www.w3.org/2001/XMLSchema#"


def load_network(source: str | Path) -> Network:
    """The networks of a store folder or a graph file."""
    from .export.graphview import graph_view
    from .network import Network
    from .query import open_source

    with open_source(source) as store:
        return Network.of(graph_view(store, evidence=False))


def analyze(source: str | Path | Network, what: str, *, names: Sequence[str] = (), depth: int = 1,
            classes: Sequence[str] | None = None, sample: int | None = None, top: int | None = None,
            largest: int | None = None, notes: list[str] | None = None) -> list[dict[str, object]]:
    """The rows of one analysis (``ANALYSES``). ``names``: the entities of ``neighbours`` / ``path`` (a name,
    an alias or an IRI); ``classes``: the actor classes of pairs and centrality; ``top``: at most so many rows;
    ``largest``: meetings and policies with more members are not paired (default ``network.LARGEST``, 100);
    ``notes``: gets what the user should
    know of the answer (what was left out, what was estimated)."""
    from .network import ACTOR_CLASSES, LARGEST, Network

    said = notes if notes is not None else []
    largest = LARGEST if largest is None else largest
    if what not in ANALYSES:
        raise KgError(f"unknown analysis {what!r}; known: {', '.join(ANALYSES)}")
    wanted = ANALYSES[what][1]
    if len(names) != wanted:
        raise KgError(f"`kg analyze {what}` takes {wanted or 'no'} entit{'y' if wanted == 1 else 'ies'}, "
                      f"got {len(names)}")
    kinds = tuple(classes) if classes else ACTOR_CLASSES
    unknown = [c for c in kinds if c not in ACTOR_CLASSES]
    if unknown:
        raise KgError(f"--class {', '.join(unknown)}: not an actor class; use {', '.join(ACTOR_CLASSES)}")
    net = source if isinstance(source, Network) else load_network(source)
    ids = [net.find(n) for n in names]
    if what == "centrality":
        rows = net.centrality(sample, kinds)
        k = net.betweenness_sample(sample)
        if k:
            said.append(f"betweenness estimated from {k} of {net.graph.number_of_nodes()} nodes as sources "
                        "(--sample K for more)")
    elif what == "communities":
        rows = net.community_rows()
    elif what in ("coattendance", "codemand"):
        pairs = net.co_attendance(kinds, largest) if what == "coattendance" else net.co_demand(kinds, largest)
        rows = pairs.rows
        if pairs.left_out:
            said.append(f"not paired (more than {largest} members; --largest N to change): "
                        + ", ".join(pairs.left_out[:10]) + (" …" if len(pairs.left_out) > 10 else ""))
    elif what == "neighbours":
        rows = net.neighbourhood(ids[0], depth)
    else:
        rows = net.path(ids[0], ids[1])
    return rows[:top] if top is not None else rows


def format_rows(rows: list[dict[str, object]], fmt: str = "table", *, full: bool = False) -> str:
    """``table`` (long values cut unless ``full``), ``csv`` (RFC 4180) or ``json`` (a list of objects)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    variables = tuple(rows[0]) if rows else ()
    answer = Answer("select", variables, tuple(tuple(_term(r.get(v)) for v in variables) for r in rows))
    return render(answer, fmt, PREFIXES, cut=None if full else 60)


def _term(value: object) -> Term | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Term.literal("true" if value else "false", datatype=_XSD + "boolean")
    if isinstance(value, int):
        return Term.literal(str(value), datatype=_XSD + "integer")
    if isinstance(value, float):
        return Term.literal(f"{value:.6f}".rstrip("0").rstrip(".") or "0", datatype=_XSD + "decimal")
    text = str(value)
    return Term.iri(text) if text.startswith("https://w3id.org/kgnews/") else Term.literal(text)
