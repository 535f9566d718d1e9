"""What takes the space in a store (kg build --store DIR).

    python benchmarks/store_space.py DIR [--top 12]

Reports, for the articles' records (DIR/articles.sqlite), the view's union (DIR/view/union, Oxigraph) and the
view's bookkeeping (DIR/view/view.sqlite): bytes on disk and per article; the union's quads and bytes per
quad; then the union's quads by predicate (the biggest first) and per article; and what the records hold
(compressed graph, mentions, graphs kept until the view takes them out).
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

from kg.store import Store

_KG = "https://w3id.org/kgnews/ontology#"
_SHORT = {_KG: "kg:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
          "http://www.w3.org/2000/01/rdf-schema#": "rdfs:", "http://www.w3.org/ns/prov#": "prov:",
          "http://www.w3.org/2004/02/skos/core#": "skos:", "http://www.w3.org/ns/org#": "org:"}


def _disk(path: Path) -> int:
    if path.is_file():
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))  # with -wal and -shm
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _short(iri: str) -> str:
    for long, short in _SHORT.items():
        if iri.startswith(long):
            return short + iri[len(long):]
    return iri


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--top", type=int, default=12, help="how many predicates to list")
    args = ap.parse_args()
    start = time.perf_counter()
    records = sqlite3.connect(f"file:{args.store / 'articles.sqlite'}?mode=ro", uri=True)
    articles, graph, mentions = records.execute(
        "SELECT COUNT(*), SUM(LENGTH(graph)), SUM(LENGTH(mentions)) FROM articles").fetchone()
    (retired,) = records.execute("SELECT COUNT(*) FROM retired").fetchone()
    with Store.open(args.store / "view" / "union", read_only=True) as union:
        quads = len(union)
        by_predicate = sorted(((int(n or 0), p or "") for p, n in union.select(
            "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")), reverse=True)
    parts = [("articles' records (articles.sqlite)", _disk(args.store / "articles.sqlite"), None),
             ("view: union (Oxigraph)", _disk(args.store / "view" / "union"), quads),
             ("view: bookkeeping (view.sqlite)", _disk(args.store / "view" / "view.sqlite"), None)]
    per = max(articles, 1)
    print(f"{articles:,} articles")
    print(f"{'part':38s} {'on disk':>10s} {'KB/article':>11s} {'quads':>12s} {'bytes/quad':>11s}")
    for name, size, n in parts:
        extra = f"{n:12,d} {size / n:11,.1f}" if n else ""
        print(f"{name:38s} {size / 2**20:7,.0f} MB {size / 1024 / per:11,.1f} {extra}")
    total = sum(size for _n, size, _q in parts)
    print(f"{'all':38s} {total / 2**20:7,.0f} MB {total / 1024 / per:11,.1f}")
    print(f"\nrecords: compressed graph {int(graph or 0) / 1024 / per:,.1f} KB/article, mentions "
          f"{int(mentions or 0) / 1024 / per:,.1f} KB/article; {retired:,} graphs kept for the view")
    print(f"\nthe union's quads by predicate ({quads / per:,.0f} per article):")
    for n, p in by_predicate[: args.top]:
        print(f"  {n:12,d} {100 * n / max(quads, 1):5.1f} %  {n / per:7,.1f}/article  {_short(p)}")
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
