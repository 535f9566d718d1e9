"""Build throughput against Kiwi's own, side by side in one run (issue 16).

    python benchmarks/throughput.py [--articles 1000 | --corpus PATH ...] [--runs 3] [--cluster]

Times, on the same articles, each in a fresh process (median of ``--runs``, the steps interleaved, every other
run in reverse order):
  kiwi          Kiwi alone: load it, split every cleaned article into sentences and tokenize them (one process)
  build -j1     ``kg build --export none --jobs 1`` (a temporary store: extraction, validation, resolution)
  build -j2     the same with ``--jobs 2``
  cluster 1, 2  (``--cluster``) the same with ``--cluster local:1`` and ``local:2``: a Dask cluster of 1 and 2
                worker processes, started by the build like ``--jobs``' processes
and reports articles per second, the build's throughput as a fraction of Kiwi's, and what the second process
gains. The corpus is synthetic (benchmarks/synthetic.py) unless ``--corpus`` names files.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import make_corpus

from kg.ingest import Skipped, clean_article, read_articles

_KIWI = """
import json, sys
from kiwipiepy import Kiwi
kiwi = Kiwi()
for line in open(sys.argv[1], encoding="utf-8"):
    kiwi.split_into_sents(json.loads(line), return_tokens=True)
"""


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000, help="synthetic articles (without --corpus)")
    ap.add_argument("--corpus", nargs="*", type=Path, help="article files or folders instead")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cluster", action="store_true",
                    help="also --cluster local:1 and local:2 (a Dask cluster of 1 and 2 worker processes started "
                         "by the build), against --jobs 1 and 2")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-throughput-"))
    paths = [str(p) for p in args.corpus] if args.corpus else [str(make_corpus(args.articles, work / "corpus.jsonl"))]
    texts = work / "texts.jsonl"
    n = chars = 0
    with texts.open("w", encoding="utf-8") as fh:
        for item in read_articles(paths):
            if isinstance(item, Skipped):
                continue
            text = clean_article(item).text
            fh.write(json.dumps(text, ensure_ascii=False) + "\n")
            n, chars = n + 1, chars + len(text)
    steps = {
        "kiwi": [sys.executable, "-c", _KIWI, str(texts)],
        "build -j1": [sys.executable, "-m", "kg.cli", "build", *paths, "--out", str(work / "o1"), "--export", "none",
                      "--quiet", "--jobs", "1"],
        "build -j2": [sys.executable, "-m", "kg.cli", "build", *paths, "--out", str(work / "o2"), "--export", "none",
                      "--quiet", "--jobs", "2"],
    }
    if args.cluster:
        for k in (1, 2):
            steps[f"cluster {k}"] = [sys.executable, "-m", "kg.cli", "build", *paths, "--out", str(work / f"c{k}"),
                                     "--export", "none", "--quiet", "--cluster", f"local:{k}"]
    times: dict[str, list[float]] = {name: [] for name in steps}
    for run in range(args.runs):
        # the machine's speed drifts within minutes: every other run goes through the steps backwards, so that
        # a step is not always timed later than another (ABBA)
        for name, cmd in (list(steps.items()) if run % 2 == 0 else list(steps.items())[::-1]):
            times[name].append(_timed(cmd))
    med = {name: statistics.median(ts) for name, ts in times.items()}
    print(f"{n:,} articles, {chars:,} characters; median of {args.runs} runs")
    for name, t in med.items():
        print(f"{name:12s} {t:8.1f} s {n / t:8.1f} articles/s   (runs: {', '.join(f'{x:.1f}' for x in times[name])})")
    print(f"build -j1 throughput ÷ Kiwi's: {med['kiwi'] / med['build -j1']:.2f}×  (goal ≥ 0.5×)")
    print(f"build -j2 ÷ build -j1 speed:   {med['build -j1'] / med['build -j2']:.2f}×  (goal ≥ 1.8×)")
    for k in (1, 2) if args.cluster else ():
        over = med[f"cluster {k}"] / med[f"build -j{k}"] - 1
        paired = statistics.median(c / j for c, j in zip(times[f"cluster {k}"], times[f"build -j{k}"], strict=True)) - 1
        print(f"cluster of {k} against --jobs {k}: {100 * over:+.0f} % time; run by run (median): "
              f"{100 * paired:+.0f} %  (goal ≤ +15 %)")


if __name__ == "__main__":
    main()
