"""The explorer (graph.html) and `kg analyze` at scale, on a synthetic corpus (benchmarks/synthetic.py).

    python benchmarks/explorer.py --articles 10000 --runs 3 [--store DIR]

Reports, for a store of ``--articles`` synthetic articles (built first unless ``--store`` names one):
  export       writing graph.html from the store's view (graph view, networkx measures and layout, page), once
  page         file size; entities in the page against entities in the store
  first draw   headless Chromium (Playwright, the system Chromium): navigation start to the first frame drawn
  search       a search typed into the box: matching every name and alias, and showing the results
  memory       the page's JavaScript heap, and the resident memory of all of Chromium's processes
  analyze      each `kg analyze` measure on the same store (loading the network counted once, apart)
  pyvis        for the record: the old vis-network page (pyvis) on the N best-connected entities, time until its
               physics settles — why the whole graph is drawn with sigma.js instead
Medians of ``--runs`` runs where it says so.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.analyze import analyze, load_network
from kg.export.graphview import graph_view
from kg.export.html import write_html
from kg.export.neighbourhood import render_neighbourhood
from kg.io import write_text
from kg.view import View

SEARCHES = ("김", "과기정통부", "류제ㅁ", "테크")


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _store(args: argparse.Namespace, work: Path) -> Path:
    if args.store and (Path(args.store) / "view").is_dir():
        return Path(args.store)
    from synthetic import make_corpus

    store = Path(args.store) if args.store else work / "store"
    corpus = make_corpus(args.articles, work / "corpus.jsonl")
    subprocess.run(["kg", "build", str(corpus), "--store", str(store), "--export", "none", "--quiet",
                    "--out", str(work / "out")], check=True)
    return store


def _chromium_rss(kind: bytes = b"") -> int:
    """Resident memory of the Chromium processes Playwright started (its profile folder names them), of one
    ``kind`` (``--type=renderer``: the page's) or all (shared pages counted in each: an overestimate)."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"playwright" not in cmd or b"chrom" not in cmd or kind not in cmd:
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _browser_runs(page_file: Path, runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    draws, searches, slowest, heaps, rss, renderer, order = [], [], [], [], [], [], 0
    with sync_playwright() as p:
        for _ in range(runs):
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1500, "height": 900})
            page.goto(page_file.as_uri(), timeout=300_000)
            page.wait_for_function("document.body.dataset.ready === '1'", timeout=300_000)
            draws.append(page.evaluate("window.kgFirstDraw") / 1000)
            order = page.evaluate("window.kgExplorer.order()")
            times = [page.evaluate(f"window.kgExplorer.timeSearch({q!r})") for q in SEARCHES]
            searches.append(statistics.median(times))
            slowest.append(max(times))
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            heaps.append(metrics["JSHeapUsedSize"])
            rss.append(_chromium_rss())
            renderer.append(_chromium_rss(b"--type=renderer"))
            browser.close()
    return {"first draw (s)": statistics.median(draws), "search (ms)": statistics.median(searches),
            "search, slowest query (ms)": statistics.median(slowest),
            "JS heap (MB)": statistics.median(heaps) / 2**20,
            "page (renderer process) RSS (MB)": statistics.median(renderer) / 2**20,
            "all Chromium processes RSS (MB)": statistics.median(rss) / 2**20, "entities in the page": order}


def _pyvis(view: View, sizes: tuple[int, ...], work: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    whole = graph_view(view, evidence=False)
    degree: dict[str, int] = {}
    for e in whole.edges:
        degree[e.source] = degree.get(e.source, 0) + 1
        degree[e.target] = degree.get(e.target, 0) + 1
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for n in sizes:
            top = set(sorted(degree, key=lambda i: (-degree[i], i))[:n])
            page_file = write_text(work / f"pyvis-{n}.html", render_neighbourhood(graph_view(view, only=top), "pyvis"))
            page = browser.new_page()
            start = time.perf_counter()
            try:  # vis-network settles its physics before the page's load event: wait for both, 2 minutes at most
                page.goto(page_file.as_uri(), timeout=120_000)
                page.wait_for_function("document.body.dataset.ready === '1'", timeout=120_000)
                out[f"pyvis, {n} entities: settled (s)"] = time.perf_counter() - start
            except Exception:  # a page that never settles is the finding
                out[f"pyvis, {n} entities: settled (s)"] = float("inf")
            page.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--store", help="a store built before (kg build --store DIR --export none); else one is built")
    ap.add_argument("--page", help="a graph.html written before from the same store: skip writing it")
    ap.add_argument("--pyvis", default="150,1500,5000", help="entity counts of the pyvis comparison ('' for none)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-explorer-"))
    store = _store(args, work)
    results: dict[str, Any] = {}
    with View(store / "view") as view:
        page_file = Path(args.page) if args.page else work / "graph.html"
        if not args.page:  # else a page written before: the browser's figures only
            seconds, _files = _timed(lambda: write_html(view, work))
            results["export graph.html (s)"] = seconds
            print(f"graph.html written in {seconds:.1f} s", file=sys.stderr, flush=True)
        results["graph.html (MB)"] = page_file.stat().st_size / 2**20
        sizes = tuple(int(s) for s in args.pyvis.split(",") if s.strip())
        pyvis = _pyvis(view, sizes, work) if sizes else {}
    results.update(_browser_runs(page_file, args.runs))
    seconds, net = _timed(lambda: load_network(store))
    results["analyze: load the network (s)"] = seconds
    results["entities in the store"] = len(net.nodes)
    top = [r["entity"] for r in analyze(net, "centrality", top=2, sample=32)]
    for what, names in (("centrality", ()), ("communities", ()), ("coattendance", ()), ("codemand", ()),
                        ("neighbours", top[:1]), ("path", top[:2])):
        times = [_timed(lambda: analyze(net, what, names=names, depth=2))[0] for _ in range(args.runs)]  # noqa: B023
        results[f"analyze {what} (s)"] = statistics.median(times)
        print(f"analyze {what}: {results[f'analyze {what} (s)']:.2f} s", file=sys.stderr, flush=True)
    results.update(pyvis)
    results["peak memory of this process (MB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    width = max(map(len, results))
    for k, v in results.items():
        print(f"{k:{width}s}  {v:,.3f}" if isinstance(v, float) else f"{k:{width}s}  {v:,}")


if __name__ == "__main__":
    main()
