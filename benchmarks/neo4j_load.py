"""Time `kg neo4j load` into a real Neo4j 5.26 (tests/neo4j's launcher): the sample graph, and a synthetic
graph of at least --relationships relationships (benchmarks/synthetic.py built into a store), median of runs.

    python benchmarks/neo4j_load.py [--relationships 100000] [--runs 3] [--store DIR]

Each run empties the database, loads the graph (``into empty``), then loads it again (``again``: every MERGE
finds what it would write). Needs Java 17 and Maven; builds the launcher with Maven when it is not built.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import neo4j
from synthetic import make_corpus

from kg import build
from kg.neo4jdb import load_neo4j, source_graph

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "tests" / "neo4j"
PASSWORD = "kg-bench-password"


def start_neo4j(work: Path) -> tuple[subprocess.Popen[str], str]:
    if not (HARNESS / "target" / "lib").is_dir():
        subprocess.run(["mvn", "-q", "-B", "-f", str(HARNESS / "pom.xml"), "package", "-DskipTests"], check=True)
    cp = f"{HARNESS / 'target' / 'classes'}{os.pathsep}{HARNESS / 'target' / 'lib'}{os.sep}*"
    proc = subprocess.Popen(["java", "-Xmx4g", "-cp", cp, "kg.testing.Neo4jLauncher", str(work), PASSWORD],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # type: ignore[union-attr]
    if not line.startswith("BOLT "):
        proc.kill()
        raise SystemExit(f"Neo4j did not start: {line}")
    return proc, line.split()[1]


def measure(name: str, source: Path, uri: str, runs: int) -> None:
    view = source_graph(source)
    empty, again = [], []
    with neo4j.GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver:
        for _ in range(runs):
            with driver.session() as session:  # IN TRANSACTIONS needs an implicit transaction
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            start = time.perf_counter()
            load_neo4j(source, uri, "neo4j", PASSWORD)
            empty.append(time.perf_counter() - start)
            start = time.perf_counter()
            load_neo4j(source, uri, "neo4j", PASSWORD)
            again.append(time.perf_counter() - start)
    print(f"{name:10s} {len(view.nodes):8,d} nodes {len(view.edges):8,d} relationships   into empty "
          f"{statistics.median(empty):6.1f} s   again {statistics.median(again):6.1f} s   (median of {runs})",
          flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--relationships", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--store", type=Path, help="a store of synthetic articles to reuse (or make) here")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-neo4j-"))
    build(None, work / "sample", store=work / "sample-store", exporters=())
    store = args.store or work / "store"
    articles = 0
    while not (store / "view").is_dir() or len(source_graph(store).edges) < args.relationships:
        have = len(source_graph(store).edges) if (store / "view").is_dir() else 0
        # relationships grow a little slower than articles (resolution merges), hence the margin
        more = max(100, int((args.relationships - have) / (have / articles) * 1.3)) if articles and have else 1000
        print(f"building {more} more synthetic articles ({have:,} relationships so far)", flush=True)
        build([make_corpus(more, work / f"c{articles}.jsonl", offset=2_000_000 + articles)], work / "out",
              store=store, exporters=())
        articles += more
    proc, uri = start_neo4j(work / "import")
    try:
        measure("sample", work / "sample-store", uri, args.runs)
        measure("synthetic", store, uri, args.runs)
    finally:
        proc.stdin.close()  # type: ignore[union-attr]
        proc.wait(timeout=120)


if __name__ == "__main__":
    main()
