"""The named queries on a graph of a million triples or more: Oxigraph (what `kg query` and `kg serve` use)
against rdflib's in-memory SPARQL engine, median of several runs.

    python benchmarks/queries.py [--triples 1000000] [--runs 5] [--rdflib-runs 3] [--store DIR]

The graph is real kg output: a synthetic corpus (benchmarks/synthetic.py: the samples with people and
companies swapped from pools, so they recur across articles) built into a store, with as many articles as it
takes to pass --triples. Parameters are picked from the graph itself (the organisation with the most demands,
the person hosting the most meetings, the busiest day, ...). Both engines get the same query text; each answer
is checked to have the same number of rows. An rdflib run is stopped after --rdflib-timeout seconds (and counted
as that long, a lower bound: the ratio is then at least what is printed).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Graph
from synthetic import make_corpus

from kg import build
from kg.queries import bind, named_queries
from kg.query import open_source
from kg.rdf import PREFIXES

_PICK = {
    "org": """SELECT ?name WHERE { ?o a kg:Company ; rdfs:label ?name . ?x kg:affiliation? ?o ; kg:demanded ?p }
              GROUP BY ?name ORDER BY DESC(COUNT(*)) LIMIT 1""",
    "host": """SELECT ?name WHERE { ?h a kg:Person ; rdfs:label ?name ; kg:organizer ?m }
               GROUP BY ?name ORDER BY DESC(COUNT(?m)) LIMIT 1""",
    "date": """SELECT ?d WHERE { ?m kg:startDate ?d . ?x kg:attended ?m }
               GROUP BY ?d ORDER BY DESC(COUNT(*)) LIMIT 1""",
    "person": """SELECT ?name WHERE { ?m org:member ?p . ?p rdfs:label ?name } GROUP BY ?name
                 ORDER BY DESC(COUNT(?m)) LIMIT 1""",
}


def _params(store) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    picked = {k: store.query(q).rows[0][0].value for k, q in _PICK.items()}
    return {"demands-by": {"org": picked["org"]}, "meetings-hosted-by": {"host": picked["host"]},
            "attendees": {"date": picked["date"]}, "shared-demands": {}, "meeting-timeline": {"topic": "반도체"},
            "evidence": {"subject": picked["org"], "predicate": "demanded"},
            "articles-about": {"entity": picked["host"]}, "titles-as-of": {"person": picked["person"]},
            "merges": {}}


def _median(fn, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _rdflib_once(g: Graph, text: str, timeout: float) -> tuple[float | None, int | str]:
    """One rdflib run in a forked child (the graph shared copy-on-write), killed after ``timeout`` seconds:
    (seconds, rows), (None, -1) when it ran out of time, (None, message) when rdflib failed."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()

    def work() -> None:
        start = time.perf_counter()
        try:
            rows = len(list(g.query(text)))
        except Exception as exc:  # rdflib fails on some queries (GROUP_CONCAT over an unbound OPTIONAL)
            child.send((None, f"{type(exc).__name__}: {exc}"))
            return
        child.send((time.perf_counter() - start, rows))

    proc = ctx.Process(target=work)
    proc.start()
    if parent.poll(timeout):
        seconds, rows = parent.recv()
        proc.join()
        return seconds, rows
    proc.kill()
    proc.join()
    return None, -1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rdflib-runs", type=int, default=3)
    ap.add_argument("--rdflib-timeout", type=float, default=120.0, metavar="SECONDS",
                    help="stop an rdflib run after this long (default 120)")
    ap.add_argument("--store", type=Path, help="reuse (or make) the store here instead of a temporary one")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-q-"))
    store_dir = args.store or work / "store"
    batch = 0
    while True:
        size, articles = 0, 0
        if (store_dir / "view").is_dir():
            with open_source(store_dir) as probe:
                size = len(probe)
                count = probe.query("SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }").rows[0][0]
                articles = int(count.value) if count else 0
        if size >= args.triples:
            break
        more = max(50, int((args.triples - size) / (size / articles) * 1.05)) if articles else 1300
        corpus = make_corpus(more, work / f"corpus-{batch}.jsonl", offset=1_000_000 + 10_000 * batch + articles)
        print(f"building {more} more synthetic articles (store has {size:,} triples)", flush=True)
        build([corpus], work / "out", store=store_dir, exporters=("turtle",))
        batch += 1
    dump = work / "graph.nt"
    with open_source(store_dir) as store:
        store.dump(dump, "nt")
        params = _params(store)
        print(f"{len(store):,} triples in the resolved graph; parameters: {params}", flush=True)
        start = time.perf_counter()
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        g.parse(dump, format="nt")
        print(f"rdflib: the graph loaded in memory in {time.perf_counter() - start:.0f} s", flush=True)
        print(f"\n{'query':20s} {'rows':>6s} {'oxigraph':>10s} {'rdflib':>10s} {'rdflib / oxigraph':>18s}")
        for name, q in named_queries().items():
            text = bind(q, params[name])
            ox_t, answer = _median(lambda text=text: store.query(text), args.runs)
            n = len(answer.rows)  # type: ignore[attr-defined]
            runs: list[tuple[float | None, int | str]] = []
            for _ in range(args.rdflib_runs):  # a run that hits the time limit (or fails) ends the series
                runs.append(_rdflib_once(g, text, args.rdflib_timeout))
                if runs[-1][0] is None:
                    break
            if isinstance(runs[-1][1], str):
                print(f"{name:20s} {n:6d} {ox_t * 1000:8.1f}ms     rdflib failed: {runs[-1][1][:80]}", flush=True)
                continue
            timed_out = any(t is None for t, _r in runs)
            rd_t = statistics.median(args.rdflib_timeout if t is None else t for t, _r in runs)
            note = "  (rdflib stopped at the time limit: at least this)" if timed_out else ""
            if not timed_out and any(r != n for _t, r in runs):
                note += f"  (rdflib: {runs[0][1]} rows)"
            print(f"{name:20s} {n:6d} {ox_t * 1000:8.1f}ms {rd_t * 1000:8.0f}ms {rd_t / ox_t:17.0f}x{note}",
                  flush=True)


class _Empty:
    def __enter__(self) -> _Empty:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __len__(self) -> int:
        return 0


if __name__ == "__main__":
    main()
