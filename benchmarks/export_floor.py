"""What Oxigraph alone takes to read a store's union: the floor under every export (issue 16).

    python benchmarks/export_floor.py DIR [--runs 3] [--memory] [--kg]

DIR is a store (kg build --store DIR). Times, on its resolved union (DIR/view/union), median of ``--runs``:
  dump N-Triples / Turtle   Oxigraph's own serializers writing the union to a file (no kg code at all): the
                            floor of graph.ttl and graph.jsonld, which are exactly this
  select every triple       a SELECT ?s ?p ?o over the union, each term's string taken into Python: the
                            floor of what graph.html and the Neo4j files read (they read most of it)
  --memory                  the same union loaded into an in-memory Oxigraph store, dumped again: what the
                            on-disk store's reads of its strings cost
  --kg                      ``kg export`` of everything (all five exports), for comparison
The union is opened read-only, so a kg using the store at the same time is not disturbed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox


def _median(runs: int, step: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _select_all(db: ox.Store) -> int:
    n = 0
    solutions = db.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert isinstance(solutions, ox.QuerySolutions)
    for s, p, o in solutions:
        _strings = (s.value, p.value, o.value)  # what an exporter takes of each triple, at least
        n += 1
    return n


def _dump(db: ox.Store, path: Path, fmt: ox.RdfFormat) -> None:
    db.dump(str(path), format=fmt, from_graph=ox.DefaultGraph())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--memory", action="store_true", help="also dump the union from an in-memory copy")
    ap.add_argument("--kg", action="store_true", help="also time kg export of everything")
    args = ap.parse_args()
    union = args.store / "view" / "union" / "db"
    if not union.is_dir():
        sys.exit(f"{args.store}: not a kg store with a resolved view (no {union})")
    db = ox.Store.read_only(str(union))
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="kg-floor-") as tmp:
        nt = Path(tmp) / "union.nt"
        took, _ = _median(args.runs, lambda: _dump(db, nt, ox.RdfFormat.N_TRIPLES))
        rows.append(("dump N-Triples", took))
        took, _ = _median(args.runs, lambda: _dump(db, Path(tmp) / "union.ttl", ox.RdfFormat.TURTLE))
        rows.append(("dump Turtle", took))
        took, counted = _median(args.runs, lambda: _select_all(db))
        triples = int(counted)  # type: ignore[call-overload]
        rows.append(("select every triple into Python", took))
        if args.memory:
            copy = ox.Store()
            copy.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
            took, _ = _median(args.runs, lambda: _dump(copy, Path(tmp) / "copy.nt", ox.RdfFormat.N_TRIPLES))
            rows.append(("dump N-Triples, in-memory copy", took))
            del copy
        if args.kg:
            out = Path(tmp) / "out"
            took, _ = _median(args.runs, lambda: subprocess.run(
                [sys.executable, "-c", "from kg.cli import main; raise SystemExit(main())", "export",
                 "--store", str(args.store), "--out", str(out)],
                check=True, capture_output=True))
            rows.append(("kg export (all five)", took))
    print(f"union of {args.store}: {triples:,} triples (median of {args.runs})")
    for name, took in rows:
        print(f"  {name:<34} {took:7.1f} s   {triples / took:>10,.0f} triples/s")


if __name__ == "__main__":
    main()
