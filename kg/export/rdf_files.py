"""graph.ttl (the contract), graph.jsonld and graph.trig (one named graph per article)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from ..io import write_text
from ..rdf import bind_prefixes

__all__ = ["render", "union", "write_jsonld", "write_trig", "write_turtle"]


def union(ds: Dataset) -> Graph:
    """All named graphs as one graph, triples added in sorted order."""
    g = Graph()
    bind_prefixes(g)
    for t in sorted({(s, p, o) for s, p, o, _c in ds.quads((None, None, None, None))}):
        g.add(t)
    return g


def render(ds: Dataset, fmt: str) -> str:
    if fmt == "trig":
        return ds.serialize(format="trig")
    g = union(ds)
    if fmt == "json-ld":
        context = {p: str(ns) for p, ns in g.namespaces() if p in ("kg", "id", "prov", "skos", "rdf", "rdfs", "xsd")}
        return g.serialize(format="json-ld", context=context, sort_keys=True, indent=1)
    return g.serialize(format=fmt)


def write_turtle(ds: Dataset, out: Path) -> list[Path]:
    return [write_text(out / "graph.ttl", render(ds, "turtle"))]


def write_jsonld(ds: Dataset, out: Path) -> list[Path]:
    return [write_text(out / "graph.jsonld", render(ds, "json-ld"))]


def write_trig(ds: Dataset, out: Path) -> list[Path]:
    return [write_text(out / "graph.trig", render(ds, "trig"))]
