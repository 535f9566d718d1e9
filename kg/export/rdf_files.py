"""graph.ttl (the contract), graph.jsonld and graph.trig (one named graph per article, and the resolution's),
dumped by Oxigraph straight from the resolved store: fast at millions of triples, and byte-identical for the
same articles whatever order they came in (the store orders by content)."""

from __future__ import annotations

from pathlib import Path

from ..io import atomic_path
from ..view import View

__all__ = ["write_jsonld", "write_trig", "write_turtle"]


def _dump(store: View, path: Path, fmt: str, union: bool = True) -> list[Path]:
    with atomic_path(path) as tmp:
        store.dump(tmp, fmt, union=union)
    return [path]


def write_turtle(store: View, out: Path) -> list[Path]:
    return _dump(store, out / "graph.ttl", "turtle")


def write_jsonld(store: View, out: Path) -> list[Path]:
    return _dump(store, out / "graph.jsonld", "json-ld")


def write_trig(store: View, out: Path) -> list[Path]:
    return _dump(store, out / "graph.trig", "trig", union=False)
