"""Extraction on a Dask cluster (kg build --cluster): a real scheduler and two real workers, each a process of
its own on 127.0.0.1, as on a cluster of machines; the same exports as a build on this machine; a worker killed
mid-build costs time, not articles."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import IN_CI, ROOT

from kg import build
from kg.errors import ConfigError

try:
    import distributed  # noqa: F401
except ImportError:
    if IN_CI:
        raise
    pytest.skip("Dask's distributed is not installed: pip install '.[test]'", allow_module_level=True)
SAMPLES = sorted((ROOT / "kg" / "data" / "corpus").glob("*.txt"))
EXPORTS = ("turtle", "jsonld", "trig", "html", "neo4j")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster(NamedTuple):
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]


def _wait_for_workers(address: str, n: int, timeout: float = 90) -> None:
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(n, timeout=timeout)


@pytest.fixture
def cluster(tmp_path) -> Iterator[Cluster]:
    """A scheduler and two single-threaded workers (no nanny: a killed worker stays dead), as processes."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    procs: list[subprocess.Popen[bytes]] = []

    def start(name: str, *args: str) -> subprocess.Popen[bytes]:
        with open(logs / f"{name}.log", "wb") as log:
            p = subprocess.Popen([sys.executable, "-m", *args], stdout=log, stderr=subprocess.STDOUT,
                                 cwd=tmp_path, start_new_session=True)
        procs.append(p)
        return p

    try:
        start("scheduler", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
              "--no-dashboard")
        workers = [start(f"worker{k}", "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
                         "--no-dashboard", "--host", "127.0.0.1") for k in range(2)]
        _wait_for_workers(address, 2)
        yield Cluster(address, procs[0], workers)
    finally:  # nothing of theirs is worth a graceful stop (workers wait for a scheduler gone first)
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=30)


def _corpus(path: Path, copies: int) -> Path:
    """The four sample articles, each ``copies`` times with a line of its own (so many articles, not one)."""
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    with open(path, "w", encoding="utf-8") as f:
        for k in range(copies):
            for n, text in enumerate(texts):
                f.write(json.dumps({"text": f"{text}\n(정정 {k}번째 판, 기사 {n})", "url": f"https://news.example/{n}/{k}",
                                    "published": "2025-07-09"}, ensure_ascii=False) + "\n")
    return path


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
            and p.name != "report.json"}


def test_a_build_on_two_workers_writes_what_a_build_here_writes(cluster, tmp_path):
    address = cluster.address
    corpus = _corpus(tmp_path / "corpus.jsonl", 6)  # 24 articles: two chunks
    on_cluster = build([corpus], tmp_path / "cluster", exporters=EXPORTS, cluster=address)
    here = build([corpus], tmp_path / "here", exporters=EXPORTS, jobs=1)
    assert on_cluster.articles_read == here.articles_read == 24
    assert on_cluster.skipped == here.skipped == []
    assert _files(tmp_path / "cluster") == _files(tmp_path / "here")


def test_a_worker_killed_mid_build_costs_time_not_articles(cluster, tmp_path):
    """One of the two workers is killed (SIGKILL) once the first chunk is back; the scheduler gives its
    chunks to the other, and the store holds every article: the exports are those of ``--jobs 2``."""
    address, workers = cluster.address, cluster.workers
    corpus = _corpus(tmp_path / "corpus.jsonl", 30)  # 120 articles: six chunks
    killed: list[int] = []

    def kill_one(done: int, _total: int | None) -> None:
        if done and not killed:
            workers[0].send_signal(signal.SIGKILL)
            killed.append(done)

    report = build([corpus], tmp_path / "cluster", exporters=EXPORTS, cluster=address, on_article=kill_one,
                   store=tmp_path / "store")
    assert killed and killed[0] < 120, "the worker was not killed mid-build"
    assert workers[0].wait(timeout=10) == -signal.SIGKILL
    assert report.articles_read == 120 and report.skipped == []
    assert build([corpus], tmp_path / "here", exporters=EXPORTS, jobs=2).articles_read == 120  # two processes
    assert _files(tmp_path / "cluster") == _files(tmp_path / "here")


def test_a_scheduler_lost_mid_build_is_a_clear_error_not_a_hang(cluster, tmp_path):
    """The scheduler killed once the first chunk is stored: the build stops with an error that says so, and
    the store keeps the articles stored before (a build again adds the rest)."""
    address, scheduler = cluster.address, cluster.scheduler
    corpus = _corpus(tmp_path / "corpus.jsonl", 30)
    killed: list[int] = []

    def kill_scheduler(done: int, _total: int | None) -> None:
        if done and not killed:
            os.killpg(scheduler.pid, signal.SIGKILL)
            killed.append(done)

    start = time.monotonic()
    with pytest.raises(ConfigError, match="lost the Dask scheduler"):
        build([corpus], tmp_path / "out", exporters=("turtle",), cluster=address, on_article=kill_scheduler,
              store=tmp_path / "store")
    assert killed and time.monotonic() - start < 180
    again = build([corpus], tmp_path / "out", exporters=("turtle",), store=tmp_path / "store")
    assert again.unchanged >= killed[0] and again.unchanged + again.articles_read == 120


def test_local_cluster_and_bad_addresses(tmp_path):
    report = build(None, tmp_path / "local", exporters=("turtle",), cluster="local:2")
    assert report.articles_read == build(None, tmp_path / "here", exporters=("turtle",)).articles_read == 4
    assert (tmp_path / "local" / "graph.ttl").read_bytes() == (tmp_path / "here" / "graph.ttl").read_bytes()
    for bad in ("bogus", "local:0", "http://example.org/"):
        with pytest.raises(ConfigError, match="--cluster"):
            build(None, tmp_path / "bad", exporters=("turtle",), cluster=bad)
    start = time.monotonic()
    with pytest.raises(ConfigError, match="cannot reach the scheduler"):
        build(None, tmp_path / "bad", exporters=("turtle",), cluster=f"tcp://127.0.0.1:{_free_port()}")
    assert time.monotonic() - start < 120


def test_cluster_and_jobs_together_are_refused(capsys):
    from kg.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["build", "--jobs", "2", "--cluster", "local:2"])
    assert stop.value.code == 2 and "not allowed with argument --jobs" in capsys.readouterr().err


class _Broken:
    """An input no extractor can take: its chunk fails on the worker."""

    source = "broken.txt"


def _fails() -> None:
    raise RuntimeError("the worker could not finish this chunk")


def test_a_chunk_that_fails_is_tried_again_article_by_article(tmp_path):
    """A failed chunk's articles go again one by one: the good ones are extracted, the one that fails again is
    reported with the reason, and the build goes on."""
    from kg.cluster import _result, connect
    from kg.ingest import RawArticle

    good = RawArticle(source=str(SAMPLES[0]), text=SAMPLES[0].read_text(encoding="utf-8"))
    with connect("local:1") as client:
        shared = client.scatter([{}], broadcast=True)[0]
        chunk = _result(client, client.submit(_fails, pure=False), [good, _Broken()], shared)  # type: ignore[list-item]
    assert len(chunk.records) == 1 and chunk.done == 2
    assert chunk.skipped[0]["source"] == "broken.txt"
    assert "could not extract it on the cluster" in chunk.skipped[0]["reason"]
