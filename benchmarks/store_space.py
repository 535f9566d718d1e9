"""What takes the space in a store (kg build --store DIR): the first measurement of issue 16.

    python benchmarks/store_space.py DIR

Reports, for the article graphs (DIR/db), the view's named graphs (DIR/view/graphs) and its union
(DIR/view/union): bytes on disk, quads, and bytes per article; then, in the article graphs, the quads by
predicate (the biggest first), the provenance records (kg:Assertion) and the characters of their sentences
(kg:evidenceText) against the characters of the distinct sentences — how much the per-fact copies of each
sentence cost.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.store import Store

_KG = "https://w3id.org/kgnews/ontology#"


def _disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _one(store: Store, query: str) -> list[str | None]:
    return list(next(iter(store.select(query))))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--top", type=int, default=12, help="how many predicates to list")
    args = ap.parse_args()
    start = time.perf_counter()
    parts = {"article graphs (db)": args.store, "view: named graphs": args.store / "view" / "graphs",
             "view: union": args.store / "view" / "union"}
    articles = 0
    rows = []
    for name, folder in parts.items():
        with Store.open(folder, read_only=True) as store:
            if name.startswith("article"):
                articles = len(store.articles())
            rows.append((name, _disk(folder / "db"), len(store)))
    print(f"{articles:,} articles")
    print(f"{'part':24s} {'on disk':>12s} {'quads':>12s} {'KB/article':>11s} {'bytes/quad':>11s}")
    for name, size, quads in rows:
        print(f"{name:24s} {size / 2**20:10,.0f} MB {quads:12,d} {size / 1024 / max(articles, 1):11,.1f} "
              f"{size / max(quads, 1):11,.1f}")
    total = sum(r[1] for r in rows)
    print(f"{'all':24s} {total / 2**20:10,.0f} MB {'':12s} {total / 1024 / max(articles, 1):11,.1f}")
    with Store.open(args.store, read_only=True) as store:
        print("\nquads of the article graphs by predicate:")
        by_predicate = sorted(((int(n or 0), p or "") for p, n in store.select(
            "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p")), reverse=True)
        quads = sum(n for n, _p in by_predicate)
        for n, p in by_predicate[: args.top]:
            print(f"  {n:12,d} {100 * n / max(quads, 1):5.1f} %  {p.replace(_KG, 'kg:')}")
        n, chars, distinct = _one(store, f"""SELECT (COUNT(*) AS ?n) (SUM(STRLEN(?t)) AS ?c) (COUNT(DISTINCT ?t) AS ?d)
            WHERE {{ GRAPH ?g {{ ?a <{_KG}evidenceText> ?t }} }}""")
        (distinct_chars,) = _one(store, f"""SELECT (SUM(STRLEN(?t)) AS ?c)
            WHERE {{ {{ SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ ?a <{_KG}evidenceText> ?t }} }} }} }}""")
        per_assertion = sum(n for n, p in by_predicate if p.startswith(
            ("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject", "http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
        )) // 2
        print(f"\nprovenance: {int(n or 0):,} assertions (about {per_assertion:,} by rdf:subject) carry "
              f"{int(chars or 0):,} characters of sentences; the {int(distinct or 0):,} distinct sentences "
              f"have {int(distinct_chars or 0):,} — each sentence is stored "
              f"{int(chars or 0) / max(int(distinct_chars or 1), 1):.1f} times")
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
