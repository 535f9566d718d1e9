"""Rebuild vs incremental add on a synthetic corpus (benchmarks/synthetic.py): median of several runs.

    python benchmarks/incremental.py --articles 10000 --new 100 --runs 3

Each run times, on a corpus of ``--articles`` synthetic articles and a later batch of ``--new``:
  rebuild      a fresh store built from the corpus, all exports written
  add          the batch added to a copy of that store, all exports written again from the whole store
  add, store   the same, exports not written (``--export none``; ``kg export`` writes them when wanted)
  again        the batch built again (nothing new: every article is skipped as unchanged), exports written
and checks that building again changed no export byte. The ratios are against the rebuild of the same run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from synthetic import make_corpus

from kg import build
from kg.build import export_store


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None, help="extraction processes (default: one per core)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    base = make_corpus(args.articles, work / "corpus.jsonl")
    new = make_corpus(args.new, work / "new.jsonl", offset=args.articles)
    times: dict[str, list[float]] = {"rebuild": [], "add": [], "add, store": [], "again": []}
    report = None
    for run in range(args.runs):
        store, out = work / "store", work / "out"
        shutil.rmtree(store, ignore_errors=True)
        times["rebuild"].append(_timed(lambda: build([base], out, store=store, jobs=args.jobs)))  # noqa: B023
        for name, exporters in (("add", None), ("add, store", ())):
            copy = work / "copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(store, copy)
            kwargs = {} if exporters is None else {"exporters": exporters}
            times[name].append(_timed(lambda: build([new], work / "out-add", store=copy, jobs=args.jobs,  # noqa: B023
                                                    **kwargs)))  # noqa: B023
            if name == "add":
                first = (work / "out-add" / "graph.ttl").read_bytes()
                times["again"].append(_timed(lambda: build([new], work / "out-add", store=copy, jobs=args.jobs)))  # noqa: B023
                assert (work / "out-add" / "graph.ttl").read_bytes() == first, "building again changed graph.ttl"
                report = export_store(copy, work / "stats", exporters=()) if run == 0 else report
        print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    with (work / "out-add" / "graph.ttl").open("rb") as fh:
        triples = sum(1 for _ in fh)
    print(f"\n{args.articles} articles + {args.new} new, median of {args.runs} runs "
          f"(graph.ttl of the grown store: {triples:,} lines)")
    if report is not None:
        print(f"store: {report.articles_in_store} articles; entities {sum(report.entities.values()):,}; "
              f"merged {report.merged}; namesakes kept apart {report.kept_apart}")
    print(f"{'step':12s} {'median':>9s} {'rebuild / step':>15s}")
    for k, v in med.items():
        print(f"{k:12s} {v:8.1f}s {med['rebuild'] / v:14.1f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
