"""Extraction speed per article: this tree against a baseline revision, measured in the same run.

Reads every article of a corpus folder (the bundled samples and, when present, ../shared/corpus), then times
the whole pipeline — cleaning, Kiwi, every extractor — over all of them, several times, in a fresh process
per tree (Kiwi loaded once, before the clock starts). The baseline is checked out into a temporary git
worktree and measured the same way, alternating with this tree so that both see the same machine.

    python benchmarks/extraction.py [--baseline 622e0bd] [--runs 5] [--corpus DIR]

Prints the median milliseconds per article of each tree and the ratio this / baseline (below 1: faster).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"

# Run inside the tree being measured (its kg on sys.path first): time one pass over the articles.
_MEASURE = r"""
import json, sys, time
from pathlib import Path
from kg.ingest import RawArticle, clean_article, read_articles
from kg.nlp import get_kiwi
from kg.pipeline import Pipeline

paths = [Path(p) for p in json.loads(sys.argv[1])]
articles = [a for a in read_articles(paths) if isinstance(a, RawArticle)]
pipeline = Pipeline()
get_kiwi()
pipeline(clean_article(articles[0]))  # warm caches
start = time.perf_counter()
for raw in articles:
    pipeline(clean_article(raw))
print(json.dumps({"articles": len(articles), "seconds": time.perf_counter() - start}))
"""


def _measure(tree: Path, corpus: list[Path]) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", _MEASURE, json.dumps([str(p) for p in corpus])], cwd=tree, env=env,
                         check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["articles"], result["seconds"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", default="622e0bd", help="git revision to compare with (default: before issue 13)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", type=Path, action="append", help="folder of articles (repeatable)")
    args = ap.parse_args()
    corpus = args.corpus or [ROOT / "kg" / "data" / "corpus", *([SHARED] if SHARED.is_dir() else [])]
    with tempfile.TemporaryDirectory(prefix="kg-baseline-") as tmp:
        base = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.baseline],
                       check=True, capture_output=True)
        try:
            times: dict[str, list[float]] = {"this": [], "baseline": []}
            n = 0
            for _ in range(args.runs):
                for name, tree in (("this", ROOT), ("baseline", base)):
                    n, seconds = _measure(tree, corpus)
                    times[name].append(seconds)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False,
                           capture_output=True)
    this, baseline = statistics.median(times["this"]), statistics.median(times["baseline"])
    print(f"{n} articles, median of {args.runs} runs, each tree in its own process, alternating")
    for name, seconds in (("this tree", this), (f"baseline {args.baseline}", baseline)):
        print(f"  {name:<20} {1000 * seconds / n:8.1f} ms per article")
    print(f"  this / baseline      {this / baseline:8.2f}")


if __name__ == "__main__":
    main()
