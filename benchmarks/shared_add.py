"""Adding articles to a big graph kept on a SPARQL server (Apache Jena Fuseki, TDB2) against the embedded store.

    mvn -q -B -f tests/fuseki/pom.xml package        # once: Fuseki from Maven Central
    python benchmarks/scale.py ...                   # or any store folder of N articles (kg build --store DIR)
    python benchmarks/shared_add.py STORE NEW.jsonl --runs 3

A Fuseki is started on a free port with an empty TDB2 dataset; a copy of the store folder STORE is sent to it
(``kg publish``, timed once). Then each run adds the articles of NEW (``--export none``) to the embedded copy
and to the server, one after the other, and removes them again (not timed), so that every run starts from the
same graph. Reported: the median add of each, and the server's against the embedded store's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from kg import build, remove
from kg.build import publish

ROOT = Path(__file__).resolve().parent.parent


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _fuseki(work: Path, heap: str) -> tuple[subprocess.Popen[bytes], str]:
    lib = ROOT / "tests" / "fuseki" / "target" / "lib"
    if not any(lib.glob("jena-fuseki-main-*.jar")):
        sys.exit(f"no Fuseki in {lib}: run `mvn -q -B -f tests/fuseki/pom.xml package` first")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (work / "tdb2").mkdir()
    log = (work / "fuseki.log").open("wb")
    proc = subprocess.Popen(["java", f"-Xmx{heap}", "-cp", f"{lib}{os.sep}*",
                             "org.apache.jena.fuseki.main.cmds.FusekiMainCmd", "--localhost", "--port", str(port),
                             "--tdb2", "--loc", str(work / "tdb2"), "--update", "/kg"], stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/kg"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=5).read()
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    sys.exit(f"Fuseki did not start; see {work / 'fuseki.log'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path, help="a store folder (kg build --store DIR)")
    ap.add_argument("new", type=Path, help="the articles to add (a file or folder kg build reads)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--heap", default="4g", help="Fuseki's Java heap (default 4g)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-shared-"))
    os.environ["KG_CACHE"] = str(work / "cache")
    proc, url = _fuseki(work, args.heap)
    try:
        embedded = work / "embedded"
        shutil.copytree(args.store, embedded, ignore=shutil.ignore_patterns("kg.lock"))
        result: list[int] = []
        took = _timed(lambda: result.append(publish(embedded, url)))
        sent = result[0]
        print(f"published {sent} articles to Fuseki (TDB2) in {took:.1f} s", flush=True)
        times: dict[str, list[float]] = {"embedded": [], "fuseki": []}
        for run in range(args.runs):
            for name, store in (("embedded", str(embedded)), ("fuseki", url)):
                times[name].append(_timed(lambda: build([args.new], work / "out", store=store,  # noqa: B023
                                                        exporters=(), jobs=2)))
                remove([str(args.new)], store, work / "out", exporters=())
            print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()), flush=True)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"\nadd {args.new.name} to {sent:,} articles, median of {args.runs} runs (--export none, --jobs 2)")
        print(f"embedded store {med['embedded']:7.1f} s")
        print(f"Fuseki         {med['fuseki']:7.1f} s   ({med['fuseki'] / med['embedded']:.2f}x the embedded store)")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
