"""Extraction on a Dask cluster (``kg build --cluster ADDRESS``): chunks of articles sent to the cluster's
workers, a few per worker in flight, the results back in input order as they come, into the store.

Each worker process loads Kiwi and the lexicons once (a worker plugin) and extracts one chunk at a time. A
worker that dies mid-chunk costs time, not articles: the scheduler gives its chunks to another worker. A
chunk that fails even so (its worker killed again and again, or a fault of kg's) is tried again an article at
a time, and an article that still fails is reported like any other bad input, with the reason.

``ADDRESS`` is a scheduler's (``tcp://host:8786``, as ``dask scheduler`` prints it) or ``local:N``: a cluster
of N worker processes on this machine, started and stopped with the build.
"""

from __future__ import annotations

import gc
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from . import __version__
from .errors import ConfigError
from .ingest import RawArticle, Skipped
from .worker import CHUNK, Chunk

__all__ = ["cluster_chunks", "connect", "parse_address"]

_LOCAL = re.compile(r"local:(\d+)")
_REMOTE = re.compile(r"(tcp|tls|ws|wss|inproc|ucx)://[^\s/]+")
_LOST = 20.0  # seconds without a scheduler before the build gives up
_PER_WORKER = 2  # chunks in flight per worker: one working, one waiting
_lock = threading.Lock()  # a worker with several threads extracts one chunk at a time (one pipeline each)


def parse_address(address: str) -> tuple[str, int]:
    """("local", N) for ``local:N``, ("remote", 0) for a scheduler's address; a clear error otherwise."""
    local = _LOCAL.fullmatch(address)
    if local:
        n = int(local.group(1))
        if not 1 <= n <= 256:
            raise ConfigError(f"--cluster {address}: a local cluster has 1 to 256 workers")
        return "local", n
    if _REMOTE.fullmatch(address):
        return "remote", 0
    raise ConfigError(f"--cluster {address}: expected local:N (N worker processes here) or a Dask scheduler's "
                      "address such as tcp://10.0.0.5:8786")


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError("--cluster needs Dask's distributed package: pip install 'kg[cluster]'") from None
    return distributed


try:  # the plugin's base class; kg.cluster is imported only for --cluster
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # (connect says how to install it)
    _PluginBase = object  # type: ignore[assignment,misc]


class KgSetup(_PluginBase):
    """The worker plugin: Kiwi and the lexicons loaded once per worker process, when it joins."""

    name = "kg-extraction"

    def setup(self, worker: Any) -> None:
        from .worker import _init, _state

        with _lock:
            if "pipeline" not in _state:
                _init({})
        # the worker's own objects (Dask's, the lexicons) moved out of the cycle collector's sight: it ran over
        # them at every collection that extraction's many small objects set off
        gc.freeze()
        # Dask's statistical profiler samples the running task's stack every 10 ms, taking Python's lock from
        # extraction each time (a tenth of a worker's time); kg's chunks need no flame graph
        for name in ("profile", "profile-cycle"):
            callback = getattr(worker, "periodic_callbacks", {}).pop(name, None)
            if callback is not None:
                callback.stop()


def extract_remote(items: Sequence[RawArticle | Skipped], known: dict[str, str], version: str) -> Chunk:
    """A chunk extracted on a worker (the plugin loaded the pipeline; loaded here if it did not)."""
    from .worker import _init, _process, _state

    if version != __version__:
        raise ConfigError(f"this worker runs kg {__version__}, the build kg {version}: install the same kg on "
                          "every worker")
    with _lock:
        if "pipeline" not in _state:
            _init(known)
        _state["known"] = known
        return _process(items)


@contextmanager
def connect(address: str) -> Iterator[Any]:
    """A Dask client of the cluster at ``address`` (``local:N``: one started here for the build), with kg's
    worker plugin registered."""
    kind, n = parse_address(address)
    distributed = _distributed()
    cluster = None
    try:
        if kind == "local":
            cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                               dashboard_address=None, host="127.0.0.1")
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ConfigError(f"--cluster {address}: cannot reach the scheduler ({exc})") from exc
    try:
        client.register_plugin(KgSetup(), name=KgSetup.name)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def cluster_chunks(items: Iterable[RawArticle | Skipped], known: dict[str, str], client: Any) -> Iterator[Chunk]:
    """Extract ``items`` chunk by chunk on the cluster of ``client``; chunks come back in input order, read
    from the input as they are needed (a few per worker in flight)."""
    distributed = _distributed()
    it = iter(items)
    shared = client.scatter([known], broadcast=True)[0]  # sent to each worker once, not with every chunk
    pending: dict[str, tuple[int, list[RawArticle | Skipped]]] = {}  # by the future's key
    ready: dict[int, Chunk] = {}
    queue = distributed.as_completed()
    sent = given = 0
    exhausted = False
    while True:
        workers = max(1, len(client.scheduler_info().get("workers", {})))  # workers may join or leave
        while not exhausted and len(pending) + len(ready) < _PER_WORKER * workers:
            chunk = list(islice(it, CHUNK))
            if not chunk:
                exhausted = True
                break
            future = client.submit(extract_remote, chunk, shared, __version__, pure=False)
            pending[future.key] = (sent, chunk)
            queue.add(future)
            sent += 1
        if given == sent and exhausted:
            return
        if given not in ready:
            future = _next_done(client, queue)
            number, chunk = pending.pop(future.key)
            ready[number] = _result(client, future, chunk, shared)
        while given in ready:
            yield ready.pop(given)
            given += 1


def _still_there(client: Any, lost_since: float | None) -> float | None:
    """None while the scheduler answers, else since when it has not; an error once that is ``_LOST`` s ago."""
    if client.status == "running":
        return None
    lost_since = lost_since or time.monotonic()
    if time.monotonic() - lost_since > _LOST:
        raise ConfigError(f"lost the Dask scheduler mid-build (no answer for {_LOST:.0f} s); the articles stored "
                          "so far are kept: build again to add the rest")
    return lost_since


def _next_done(client: Any, queue: Any) -> Any:
    """The next chunk done, waiting as long as the scheduler is there; a scheduler gone for longer than
    ``_LOST`` seconds is an error, not a wait without end (the client would keep trying to reconnect)."""
    lost_since: float | None = None
    while True:
        done = queue.next_batch(block=False)
        if done:
            for extra in done[1:]:
                queue.add(extra)  # (given back: one at a time)
            return done[0]
        lost_since = _still_there(client, lost_since)
        time.sleep(0.05)


def _wait_result(client: Any, future: Any) -> Any:
    """A future's result, waiting as long as the scheduler is there (its data comes through it)."""
    lost_since: float | None = None
    while True:
        try:
            return future.result(timeout=1)
        except TimeoutError:
            lost_since = _still_there(client, lost_since)


def _result(client: Any, future: Any, chunk: list[RawArticle | Skipped], shared: Any) -> Chunk:
    """A chunk's result; when the chunk failed, its articles tried one by one, and those that fail again
    reported as skipped, with the reason."""
    try:
        return _wait_result(client, future)
    except ConfigError:
        raise
    except Exception as exc:  # (the chunk is tried again article by article below)
        if client.status not in ("running", "connecting"):
            raise ConfigError(f"lost the Dask scheduler mid-build ({type(exc).__name__}: {exc}); the articles "
                              "stored so far are kept: build again to add the rest") from exc
    out = Chunk(done=len(chunk))
    for item in chunk:
        try:
            one: Chunk = _wait_result(client, client.submit(extract_remote, [item], shared, __version__, pure=False))
        except ConfigError:
            raise
        except Exception as exc:  # (reported as this article's failure; the others go on)
            reason = f"kg could not extract it on the cluster ({type(exc).__name__}: {exc})"
            out.skipped.append({"source": getattr(item, "source", repr(item)[:200]), "reason": reason})
            continue
        out.records.update(one.records)
        out.sources.update(one.sources)
        out.skipped += one.skipped
        out.unchanged += one.unchanged
        out.conforms = out.conforms and one.conforms
        out.violations += one.violations
        out.set_aside.update(one.set_aside)
    return out
