"""The resolved view of a store: every article graph under resolved identifiers, the resolution's own graph
(merges, memberships), and their union — what the exports and ``kg stats`` read.

A persistent store keeps its view (``DIR/view``) and brings it up to date incrementally: only the article
graphs that are new, gone, or whose identifiers or names resolution changed are copied again, and the union
is repaired for the subjects they touch. A signature per graph in ``state.json`` says what each copy was
made from; a view left half-updated (an interrupted build) is rebuilt whole.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
from pathlib import Path

from rdflib import Graph

from .io import write_text
from .resolve import Resolution
from .store import Row, Store

__all__ = ["View", "refresh"]

_FORMAT = 1  # bump when what a view holds changes: old views are rebuilt
_STATE = "state.json"


class View:
    """Two stores: ``graphs`` (the named graphs) and ``union`` (their union, in the default graph)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._tmp = None if path is not None else tempfile.mkdtemp(prefix="kg-view-")
        self.path = Path(path if path is not None else self._tmp)  # type: ignore[arg-type]
        self.graphs = Store(self.path / "graphs")
        self.union = Store(self.path / "union")
        self.cache: dict[str, object] = {}  # what exporters derive from the view, computed once per export
        self.lock = threading.Lock()  # exporters run in threads; one computes what the others share

    def close(self) -> None:
        self.graphs.close()
        self.union.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> View:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def clear(self) -> None:
        self.graphs.close()
        self.union.close()
        shutil.rmtree(self.path / "graphs", ignore_errors=True)
        shutil.rmtree(self.path / "union", ignore_errors=True)
        self.graphs = Store(self.path / "graphs")
        self.union = Store(self.path / "union")

    # what exporters use
    def select(self, query: str) -> list[Row]:
        return list(self.union.select(query))

    def dump(self, path: Path, fmt: str, *, union: bool = True) -> None:
        (self.union if union else self.graphs).dump(path, fmt, union=union)

    def to_rdflib(self) -> Graph:
        return self.union.to_rdflib()


def _state(view: View) -> dict[str, str]:
    path = view.path / _STATE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if state.get("format") != _FORMAT or not state.get("complete"):
        return {}
    graphs: dict[str, str] = state.get("graphs", {})
    return graphs


def _save(view: View, graphs: dict[str, str], complete: bool) -> None:
    text = json.dumps({"format": _FORMAT, "complete": complete, "graphs": graphs}, sort_keys=True, indent=0)
    write_text(view.path / _STATE, text + "\n")


def _signatures(db: Store, res: Resolution) -> dict[str, str]:
    """What each resolved graph is made of: the article's content and the renames that apply to it."""
    out = {}
    for doc_id, digest in db.articles().items():
        graph = f"{res.graph.rsplit('/', 1)[0]}/{doc_id}"
        renames = json.dumps(res.renamed_in.get(graph, []), ensure_ascii=False)
        out[graph] = hashlib.sha256(f"{digest}|{renames}".encode()).hexdigest()[:24]
    body = "\n".join(sorted(" ".join(str(x) for x in t) for t in res.triples))
    out[res.graph] = hashlib.sha256(body.encode()).hexdigest()[:24]
    return out


def refresh(db: Store, view: View, res: Resolution) -> None:
    """Bring ``view`` up to date with ``db`` as ``res`` resolves it."""
    view.cache.clear()
    current = _signatures(db, res)
    old = _state(view)
    _save(view, old, complete=False)
    if not old:
        view.clear()
        db.copy_resolved(view.graphs, view.union, res.shared, res.per_graph, res.labels)
        view.graphs.update_graph(res.graph, res.triples, view.union)
    else:
        # the resolution's graph changes a little with every build: change just that; no article has its triples
        if old.get(res.graph) != current[res.graph]:
            view.graphs.update_graph(res.graph, res.triples, view.union)
        touched: set[str] = set()
        articles = [g for g in sorted(set(old) | set(current)) if g != res.graph and old.get(g) != current.get(g)]
        for graph in articles:
            if graph in old:
                touched |= view.graphs.drop_graph(graph)
            if graph in current:
                db.copy_resolved(view.graphs, view.union, res.shared, res.per_graph, res.labels, only=graph)
                touched |= view.graphs.graph_subjects(graph)
        view.union.repair_union(view.graphs, touched)
    view.graphs.flush()
    view.union.flush()
    _save(view, current, complete=True)
