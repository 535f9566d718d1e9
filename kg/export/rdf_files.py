"""graph.ttl (the contract), graph.jsonld and graph.trig (one named graph per article)."""

from __future__ import annotations

import json
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
        return _stable_trig(ds)
    g = union(ds)
    if fmt == "json-ld":
        context = {p: str(ns) for p, ns in g.namespaces() if p in ("kg", "id", "prov", "skos", "rdf", "rdfs", "xsd")}
        return _stable_jsonld(g.serialize(format="json-ld", context=context, sort_keys=True, indent=1))
    return g.serialize(format=fmt)


def _stable_trig(ds: Dataset) -> str:
    """TriG with the named graphs in IRI order (rdflib's own order changes between processes)."""
    prefixes: set[str] = set()
    blocks: list[str] = []
    for ctx in sorted(ds.graphs(), key=lambda c: str(c.identifier)):
        if not len(ctx):
            continue
        g = Graph()
        bind_prefixes(g)
        for t in sorted(ctx):
            g.add(t)
        lines = g.serialize(format="turtle").splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        body = "\n".join("    " + line if line else "" for line in lines if not line.startswith("@prefix")).strip("\n")
        blocks.append(f"<{ctx.identifier}> {{\n{body}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def _sorted_value(value: object) -> object:
    if isinstance(value, dict):
        return {k: _sorted_value(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_value(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def _stable_jsonld(text: str) -> str:
    """rdflib's JSON-LD follows set order, which changes between processes; sort every array."""
    data = json.loads(text)
    return json.dumps(_sorted_value(data), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write_turtle(ds: Dataset, out: Path) -> list[Path]:
    return [write_text(out / "graph.ttl", render(ds, "turtle"))]


def write_jsonld(ds: Dataset, out: Path) -> list[Path]:
    return [write_text(out / "graph.jsonld", render(ds, "json-ld"))]


def write_trig(ds: Dataset, out: Path) -> list[Path]:
    return [write_text(out / "graph.trig", render(ds, "trig"))]
