"""How a store grows: the curve of issue 16, on synthetic corpora (benchmarks/synthetic.py).

    python benchmarks/scale.py --sizes 1000,10000,50000 --new 100 --runs 3 [--work DIR] [--jobs 2]

For each size: builds a store of that many articles (``kg build --export none``), then reports its size on disk
per article (articles, view), the time to add ``--new`` more articles with ``--export none`` (the same articles
for every size; median of ``--runs``; the batch is removed again between runs, which gives back the same
store; the sizes take turns, run after run, so that a slower minute of the machine weighs on each alike), the
time of each
export written from the store on its own (``kg export --export NAME``) and of all of them together, and the
peak memory (RSS, the process and its workers) of every step. Every step runs as its own ``kg`` process, as a
user runs it. ``--work`` keeps the corpora and stores (a 50,000-article store is a few GB), so that a second
run can start from them (``--reuse``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import make_corpus

EXPORTS = ("turtle", "jsonld", "trig", "html", "neo4j")
_ADDED = 10_000_000  # the added articles are numbered from here: in no store yet, whatever its size
_STEP = """
import json, resource, sys, time
from kg.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
took = time.perf_counter() - start
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"code": code, "seconds": took, "peak_mb": peak / 1024}), file=sys.stderr)
"""


def _kg(*args: str) -> tuple[float, float]:
    """Run one kg command in its own process: (seconds, peak RSS in MB of it or of its biggest worker)."""
    proc = subprocess.run([sys.executable, "-c", _STEP, *args], capture_output=True, text=True, check=False)
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    try:
        result = json.loads(last)
    except ValueError:
        raise SystemExit(f"kg {' '.join(args)} failed:\n{proc.stderr[-3000:]}") from None
    if result["code"] not in (0, 1):
        raise SystemExit(f"kg {' '.join(args)} exited with {result['code']}:\n{proc.stderr[-3000:]}")
    return result["seconds"], result["peak_mb"]


def _disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def prepare(size: int, args: argparse.Namespace, work: Path) -> dict[str, object]:
    """The store of ``size`` articles (built unless reused), and its size on disk."""
    corpus, new = work / f"corpus-{size}.jsonl", work / f"added-{args.new}.jsonl"  # the same batch for every size
    store, out = work / f"store-{size}", work / f"out-{size}"
    if not (args.reuse and corpus.exists()):
        make_corpus(size, corpus)
    if not (args.reuse and new.exists()):
        make_corpus(args.new, new, offset=_ADDED)
    row: dict[str, object] = {"articles": size}
    if not (args.reuse and store.exists()):
        shutil.rmtree(store, ignore_errors=True)
        row["build (s)"], row["build peak (MB)"] = _kg("build", str(corpus), "--store", str(store), "--out", str(out),
                                                       "--export", "none", "--quiet", "--jobs", str(args.jobs))
    view = _disk(store / "view")
    row["store KB/article"] = _disk(store) / 1024 / size
    row["  articles KB/article"] = (_disk(store) - view) / 1024 / size
    row["  view KB/article"] = view / 1024 / size
    return row


def add_once(size: int, args: argparse.Namespace, work: Path) -> tuple[float, float]:
    """Add the batch to the store of ``size`` articles and remove it again: (seconds, peak MB) of the add."""
    new, store, out = work / f"added-{args.new}.jsonl", work / f"store-{size}", work / f"out-{size}"
    took, peak = _kg("build", str(new), "--store", str(store), "--out", str(out), "--export", "none", "--quiet",
                     "--jobs", str(args.jobs))
    _kg("remove", str(new), "--store", str(store), "--out", str(out), "--export", "none")
    return took, peak


def exports(size: int, args: argparse.Namespace, work: Path, row: dict[str, object]) -> None:
    store, out = work / f"store-{size}", work / f"out-{size}"
    total = 0.0
    chosen = [name for name in EXPORTS if name in args.exports.split(",")]
    for name in chosen:
        took, peak = _kg("export", "--store", str(store), "--out", str(out), "--export", name)
        row[f"export {name} (s)"], row[f"export {name} peak (MB)"] = took, peak
        total += took
    if len(chosen) == len(EXPORTS):
        row["exports one by one, sum (s)"] = total
        row["export all (s)"], row["export all peak (MB)"] = _kg("export", "--store", str(store), "--out", str(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000", help="store sizes, comma-separated")
    ap.add_argument("--new", type=int, default=100, help="articles added to each store")
    ap.add_argument("--runs", type=int, default=3, help="adds timed per store (the median is reported)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--exports", default=",".join(EXPORTS),
                    help="exports timed, comma-separated (all at once is timed too when all are chosen)")
    ap.add_argument("--work", type=Path, default=None, help="where corpora and stores go (kept)")
    ap.add_argument("--reuse", action="store_true", help="start from the corpora and stores already in --work")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        start = time.perf_counter()
        rows.append(prepare(size, args, work))
        print(f"[{size:,}-article store ready in {time.perf_counter() - start:,.0f} s]", file=sys.stderr)
    # the adds to every size in turn, run after run: what the machine does meanwhile weighs on each alike
    adds: dict[int, list[tuple[float, float]]] = {size: [] for size in sizes}
    for _ in range(args.runs):
        for size in sizes:
            adds[size].append(add_once(size, args, work))
    for size, row in zip(sizes, rows, strict=True):
        row[f"add {args.new} (s)"] = statistics.median(t for t, _peak in adds[size])
        row[f"add {args.new} peak (MB)"] = max(peak for _t, peak in adds[size])
        exports(size, args, work, row)
    _table(rows)
    base = statistics.median(t for t, _peak in adds[sizes[0]])
    for size in sizes[1:]:
        runs = ", ".join(f"{a / b:.2f}" for (a, _p), (b, _q) in zip(adds[size], adds[sizes[0]], strict=True))
        print(f"add {args.new} to {size:,} ÷ add {args.new} to {sizes[0]:,}: "
              f"{statistics.median(t for t, _peak in adds[size]) / base:.2f}×  (run by run: {runs})")


def _table(rows: list[dict[str, object]]) -> None:
    keys = list(rows[0])
    for row in rows[1:]:
        keys += [k for k in row if k not in keys]
    print(f"{'':34s}" + "".join(f"{r['articles']:>14,}" for r in rows))
    for key in keys[1:]:
        cells = [r.get(key) for r in rows]
        print(f"{key:34s}" + "".join(f"{c:>14,.1f}" if isinstance(c, float) else f"{'':>14s}" for c in cells))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
