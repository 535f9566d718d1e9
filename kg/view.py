"""The resolved view of a store: every article graph under resolved identifiers, the resolution's own graph
(merges, memberships), and their union — what the exports and ``kg stats`` read.

A persistent store keeps its view (``DIR/view``) and brings it up to date incrementally: only the article
graphs that are new, gone, or whose identifiers or names resolution changed are copied again, and the union
is changed by their difference (a triple leaves it only when no graph has it any more); the resolution's
records are compared one by one. Signatures in ``state.json`` say what each copy was made from; a view left
half-updated (an interrupted build) is rebuilt whole.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections import defaultdict
from pathlib import Path

from rdflib import Graph

from .io import write_text
from .rdf import Triple
from .resolve import Resolution
from .store import Row, Store
from .storefiles import temporary_folder

__all__ = ["View", "refresh"]

_FORMAT = 2  # bump when what a view holds changes: old views are rebuilt
_STATE = "state.json"


class View:
    """Two stores: ``graphs`` (the named graphs) and ``union`` (their union, in the default graph)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._tmp = None if path is not None else temporary_folder("view")
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


def _state(view: View) -> dict[str, dict[str, str]]:
    """What the view was made from: a signature per article graph and per resolution record. Empty when
    there is no view yet, it is of another format, or its last refresh did not finish."""
    try:
        state = json.loads((view.path / _STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if state.get("format") != _FORMAT or not state.get("complete"):
        return {}
    return {"graphs": state.get("graphs", {}), "records": state.get("records", {})}


def _save(view: View, state: dict[str, dict[str, str]], complete: bool) -> None:
    text = json.dumps({"format": _FORMAT, "complete": complete, **state}, sort_keys=True, indent=0)
    write_text(view.path / _STATE, text + "\n")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _signatures(db: Store, res: Resolution) -> dict[str, str]:
    """What each resolved article graph is made of: the article's content and the renames that apply to it."""
    prefix = res.graph.rsplit("/", 1)[0]
    return {f"{prefix}/{doc_id}": _digest(f"{digest}|{json.dumps(res.renamed_in.get(f'{prefix}/{doc_id}', []))}")
            for doc_id, digest in db.articles().items()}


def _records(res: Resolution) -> tuple[dict[str, str], dict[str, list[Triple]]]:
    """The resolution's triples by subject (a merge, a membership, an entity's sameAs), and a digest of each."""
    by_subject: dict[str, list[Triple]] = defaultdict(list)
    for t in res.triples:
        by_subject[str(t[0])].append(t)
    digests = {s: _digest("\n".join(sorted(f"{p}|{o}|{getattr(o, 'language', '')}|{getattr(o, 'datatype', '')}"
                                            for _s, p, o in ts))) for s, ts in by_subject.items()}
    return digests, by_subject


def refresh(db: Store, view: View, res: Resolution) -> None:
    """Bring ``view`` up to date with ``db`` as ``res`` resolves it: the article graphs whose signature
    changed, and the resolution records that did, each replaced by its difference."""
    view.cache.clear()
    graphs = _signatures(db, res)
    records, by_subject = _records(res)
    old = _state(view)
    _save(view, old, complete=False)
    if not old:
        view.clear()
        db.copy_resolved(view.graphs, view.union, res.shared, res.per_graph, res.labels)
        view.graphs.sync_graph(res.graph, view.union, Store.terms(res.triples))
    else:
        before = old["graphs"]
        for graph in sorted(set(before) | set(graphs)):
            if before.get(graph) != graphs.get(graph):
                new = db.resolved_graph(graph, res.shared, res.per_graph, res.labels) if graph in graphs else []
                view.graphs.sync_graph(graph, view.union, new)
        changed = sorted(s for s in set(old["records"]) | set(records) if old["records"].get(s) != records.get(s))
        if changed:
            triples = [t for s in changed for t in by_subject.get(s, [])]
            view.graphs.sync_graph(res.graph, view.union, Store.terms(triples), subjects=changed)
    view.graphs.flush()
    view.union.flush()
    _save(view, {"graphs": graphs, "records": records}, complete=True)
