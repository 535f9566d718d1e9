"""Which store for a corpus-level graph: rdflib in memory, or Oxigraph on disk (pyoxigraph)?

Builds a synthetic graph shaped like the real one by copying the sample graph (outputs/graph.ttl) with every
article's, entity's and assertion's IRI renamed per copy, then measures, each the median of several runs:
loading it, answering a typical question (the demands of one organisation with their evidence), and adding
one more article's triples to what is already there.

    python benchmarks/store_choice.py [--triples 1000000] [--runs 3]

Prints one line per measurement and the ratio rdflib / Oxigraph (above 1: Oxigraph is faster).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/kgnews/id/"
QUERY = """
PREFIX kg: <https://w3id.org/kgnews/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?policy ?sentence WHERE {
  ?org rdfs:label "업스테이지"@ko ; kg:demanded ?p . ?p rdfs:label ?policy .
  ?a rdf:subject ?org ; rdf:predicate kg:demanded ; rdf:object ?p ; kg:evidenceText ?sentence .
}"""


def synthetic(n_triples: int) -> list[str]:
    """N-Triples lines: copies of the sample graph with IRIs renamed per copy (shared vocabulary kept)."""
    base = Graph().parse(ROOT / "outputs" / "graph.ttl")
    lines = base.serialize(format="nt").splitlines()
    lines = [line for line in lines if line.strip()]
    out: list[str] = []
    copy = 0
    while len(out) < n_triples:
        # copy 0 keeps the real IRIs (so the query has answers); later copies rename every instance IRI
        out.extend(line.replace(ID, f"{ID}c{copy}/") if copy else line for line in lines)
        copy += 1
    return out[:n_triples]


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    lines = synthetic(args.triples)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    extra = "\n".join(line.replace(ID, f"{ID}new/") for line in lines[:3000]) + "\n"
    print(f"{len(lines):,} triples, {len(data) / 1e6:.0f} MB of N-Triples; median of {args.runs} runs")

    def rdflib_load() -> Graph:
        return Graph().parse(data=data, format="nt")

    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    stores: list[ox.Store] = []

    def ox_load() -> ox.Store:
        store = ox.Store(str(tmp / f"s{len(stores)}"))
        store.bulk_load(data, ox.RdfFormat.N_TRIPLES)
        stores.append(store)
        return store

    t_rdflib_load = median_time(rdflib_load, args.runs)
    t_ox_load = median_time(ox_load, args.runs)
    g = rdflib_load()
    store = stores[-1]
    n_rdflib = len(list(g.query(QUERY)))
    n_ox = len(list(store.query(QUERY)))
    assert n_rdflib == n_ox and n_ox > 0, (n_rdflib, n_ox)
    t_rdflib_q = median_time(lambda: list(g.query(QUERY)), args.runs)
    t_ox_q = median_time(lambda: list(store.query(QUERY)), args.runs)

    def rdflib_add() -> None:  # an in-memory graph is kept on disk as a file: add, then write it all again
        g.parse(data=extra, format="nt")
        g.serialize(tmp / "graph.nt", format="nt", encoding="utf-8")

    def ox_add() -> None:
        store.load(extra.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
        store.flush()

    t_rdflib_add = median_time(rdflib_add, args.runs)
    t_ox_add = median_time(ox_add, args.runs)
    for what, a, b in (("load", t_rdflib_load, t_ox_load), ("query", t_rdflib_q, t_ox_q),
                       ("add one article (3,000 triples) and persist", t_rdflib_add, t_ox_add)):
        print(f"{what:45s} rdflib {a:8.3f} s   oxigraph {b:8.3f} s   ratio {a / b:7.1f}")


if __name__ == "__main__":
    main()
