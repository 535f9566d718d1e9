"""Queries in worker processes, so that one taking too long can be stopped: the time limit of ``kg serve``.

Each worker opens the source once (a store read-only, or a graph file loaded into memory) and answers one
query at a time. A query that outlives its time limit has its worker killed and replaced; the others carry on.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .errors import KgError, QueryError
from .results import Answer

__all__ = ["QueryPool", "QueryTimeout"]


class QueryTimeout(KgError):
    """A query ran longer than the time limit (or waited that long for a free worker)."""


def _work(source: str, conn: Connection) -> None:
    from .query import open_source, run_query

    try:
        store = open_source(source)
    except KgError as exc:
        conn.send(("fatal", str(exc)))
        return
    conn.send(("ready", ""))
    while True:
        try:
            text, graph_format, limit = conn.recv()
        except (EOFError, KeyboardInterrupt):
            break
        try:
            conn.send(("ok", run_query(store, text, limit=limit, graph_format=graph_format)))
        except QueryError as exc:
            conn.send(("error", (str(exc), exc.line, exc.column)))
        except Exception as exc:  # a bug of kg or Oxigraph: the worker keeps serving
            conn.send(("error", (f"the query failed: {exc}", None, None)))
    store.close()


@dataclass
class _Worker:
    process: Any
    conn: Connection


class QueryPool:
    """``workers`` processes answering queries on ``source`` (a store folder or a graph file)."""

    def __init__(self, source: str | Path, workers: int = 2, start_timeout: float = 120.0) -> None:
        self.source = str(source)
        self._ctx = mp.get_context("spawn")  # no inherited store handles or threads
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._start_timeout = start_timeout
        for _ in range(max(1, workers)):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_work, args=(self.source, child), daemon=True)
        proc.start()
        child.close()
        if not parent.poll(self._start_timeout):
            proc.kill()
            raise KgError(f"{self.source}: a query worker did not start within {self._start_timeout:.0f} s")
        status, message = parent.recv()
        if status != "ready":
            proc.join()
            raise KgError(message)
        worker = _Worker(proc, parent)
        with self._lock:
            self._all.append(worker)
        return worker

    def run(self, text: str, *, timeout: float, limit: int | None, graph_format: str = "turtle") -> Answer:
        """Answer the query within ``timeout`` seconds (waiting for a free worker included), keeping at most
        ``limit`` rows; QueryError for a bad query, QueryTimeout when the time is up."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for {timeout:g} s; try again later") from None
        try:
            worker.conn.send((text, graph_format, limit))
            if worker.conn.poll(timeout):
                status, payload = worker.conn.recv()
                self._idle.put(worker)
                if status == "error":
                    message, line, column = payload
                    raise QueryError(message, line, column)
                answer: Answer = payload
                return answer
        except (OSError, EOFError) as exc:  # the worker died under the query
            self._replace(worker)
            raise QueryError(f"the query worker stopped: {exc}") from exc
        self._replace(worker)
        raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s")

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        with self._lock:
            self._all.remove(worker)
        self._idle.put(self._spawn())

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.conn.close()
            w.process.kill()
            w.process.join()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
