"""A kg store kept on a SPARQL server (``--store http://HOST:3030/DATASET``), shared by a team.

The dataset holds, as an embedded store does: the resolved union in the default graph (what everyone's
SPARQL reads), one named graph per article under resolved identifiers (as in graph.trig) and resolution's
own graph; and, in the graph ``urn:kg:store``, kg's bookkeeping: each article's record (content hash, packed
graph, mentions; kg/archive.py), the corrections file, a *generation* that every write changes, and the lock
of the one kg that may write at a time (renewed every 20 s; a lock not renewed for 90 s is broken).

The work is done in a local replica, an ordinary store folder under ``$KG_CACHE`` (default
``~/.cache/kg/servers``): a command first brings it level with the server — when the generations differ, the
records that differ are fetched and the replica resolved again — then works as on a folder; what a build
changed in the union and the article graphs (the view's journal) goes to the server as SPARQL Updates, the
records with it, and the new generation last. A write interrupted half-way leaves a mark the next writer
sees: it then sends the whole graph again.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .archive import Archive, Record
from .errors import StoreError
from .io import write_text
from .rdf import graph_iri
from .remote import Endpoint
from .resolve import RESOLUTION_GRAPH
from .storefiles import LOCK_WAIT

__all__ = ["STORE_GRAPH", "Journal", "Shared", "open_shared", "publish", "replica_folder"]

STORE_GRAPH = "urn:kg:store"
_S = f"<{STORE_GRAPH}>"
_NS = "urn:kg:store#"
_BATCH = 2_000_000  # characters of SPARQL Update per request
_RECORDS = 100  # records fetched per query
_RENEW, _STALE = 20.0, 90.0  # seconds: the lock's renewal, and when a lock not renewed is broken


def replica_folder(url: str) -> Path:
    """Where the replica of the store at ``url`` is kept on this machine."""
    root = os.environ.get("KG_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "kg")
    return Path(root) / "servers" / hashlib.sha256(url.rstrip("/").encode()).hexdigest()[:24]


def _record(doc_id: str) -> str:
    """The subject of an article's record, written for SPARQL (an id that makes no IRI is a damaged store)."""
    try:
        return str(ox.NamedNode(str(graph_iri(doc_id))))
    except ValueError:
        raise StoreError(f"the shared store holds an article id kg cannot use ({doc_id!r}); remove that record "
                         "from the graph urn:kg:store") from None


def _lit(text: str) -> str:
    return str(ox.Literal(text))


def _p(name: str) -> str:
    return f"<{_NS}{name}>"


class Journal:
    """What a refresh of the view changed (kg/view.py tells it), to be done again on the server."""

    def __init__(self) -> None:
        self.union: list[tuple[str, list[Any]]] = []  # ("DELETE" | "INSERT", triples), in order
        self.resolution: list[tuple[str, list[Any]]] = []
        self.graphs: dict[str, tuple[set[Any], set[Any]] | None] = {}  # graph -> (gone, new), None: dropped
        self.full = False

    def removed(self, triples: Iterable[Any]) -> None:
        self.union.append(("DELETE", list(triples)))

    def added(self, triples: Iterable[Any]) -> None:
        self.union.append(("INSERT", list(triples)))

    def graph(self, iri: str, old: set[Any], new: set[Any] | None) -> None:
        """An article's graph changed from ``old`` to ``new`` (None: the article is gone)."""
        self.graphs[iri] = None if new is None else (old - new, new - old)

    def records(self, gone: list[Any], new: list[Any]) -> None:
        """Resolution's records changed: in the union and in resolution's own graph."""
        ops = [("DELETE", list(gone)), ("INSERT", list(new))]
        self.union += ops
        self.resolution += ops

    def rebuilt(self) -> None:
        self.full = True

    def __bool__(self) -> bool:
        return self.full or bool(self.graphs) or any(ts for _, ts in self.union + self.resolution)


class Shared:
    """The server's side of a shared store: its bookkeeping, its lock, and the transfers."""

    def __init__(self, url: str) -> None:
        self.endpoint = Endpoint(url)
        self.url = self.endpoint.url
        self.folder = replica_folder(self.url)
        self.token = uuid.uuid4().hex
        self.remote: dict[str, str] = {}  # the server's articles: id -> content hash
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    # ---- bookkeeping

    def state(self) -> dict[str, str]:
        rows = self.endpoint.select(f"SELECT ?p ?o WHERE {{ GRAPH {_S} {{ {_S} ?p ?o }} }}")
        return {sol[0].value.removeprefix(_NS): sol[1].value for sol in rows}

    def _set(self, **values: str | None) -> None:
        """Replace bookkeeping values (None: remove), in one update."""
        parts = [f"DELETE WHERE {{ GRAPH {_S} {{ {_S} {_p(k)} ?o }} }}" for k in values]
        new = " ".join(f"{_S} {_p(k)} {_lit(v)} ." for k, v in values.items() if v is not None)
        if new:
            parts.append(f"INSERT DATA {{ GRAPH {_S} {{ {new} }} }}")
        self.endpoint.update(" ;\n".join(parts))

    # ---- the lock

    def lock(self) -> None:
        """Take the server's write lock, waiting (up to ``LOCK_WAIT``) for another kg's; a lock its holder
        stopped renewing is broken."""
        waited = 0.0
        while True:
            stale = str(int(time.time() - _STALE))
            me = f"{socket.gethostname()} pid {os.getpid()}"
            self.endpoint.update(
                f"DELETE {{ GRAPH {_S} {{ {_S} {_p('lock')} ?l ; {_p('lockedAt')} ?t ; {_p('lockedBy')} ?b }} }} "
                f"WHERE {{ GRAPH {_S} {{ {_S} {_p('lock')} ?l ; {_p('lockedAt')} ?t ; {_p('lockedBy')} ?b }} "
                f"FILTER(<http://www.w3.org/2001/XMLSchema#integer>(?t) < {stale}) }} ;\n"
                f"INSERT {{ GRAPH {_S} {{ {_S} {_p('lock')} {_lit(self.token)} ; "
                f"{_p('lockedAt')} {_lit(str(int(time.time())))} ; {_p('lockedBy')} {_lit(me)} }} }} "
                f"WHERE {{ FILTER NOT EXISTS {{ GRAPH {_S} {{ {_S} {_p('lock')} ?any }} }} }}")
            state = self.state()
            if state.get("lock") == self.token:
                break
            if _dead(state.get("lockedBy", "")):  # a kg of this machine that is gone: no need to wait it out
                self.endpoint.update(
                    f"DELETE WHERE {{ GRAPH {_S} {{ {_S} {_p('lock')} {_lit(state.get('lock', ''))} ; "
                    f"{_p('lockedAt')} ?t ; {_p('lockedBy')} ?b }} }}")
                continue
            if waited >= LOCK_WAIT:
                raise StoreError(f"the store at {self.url} is in use by another kg ({state.get('lockedBy', '?')}); "
                                 "try again when it is done")
            if not waited:
                sys.stderr.write(f"kg: waiting for another kg writing the store at {self.url} "
                                 f"({state.get('lockedBy', '?')})\n")
            time.sleep(2.0)
            waited += 2.0
        self._beat = threading.Thread(target=self._renew, daemon=True)
        self._beat.start()

    def _renew(self) -> None:
        while not self._stop.wait(_RENEW):
            try:
                self.endpoint.update(
                    f"DELETE {{ GRAPH {_S} {{ {_S} {_p('lockedAt')} ?t }} }} INSERT {{ GRAPH {_S} {{ {_S} "
                    f"{_p('lockedAt')} {_lit(str(int(time.time())))} }} }} WHERE {{ GRAPH {_S} {{ {_S} "
                    f"{_p('lock')} {_lit(self.token)} ; {_p('lockedAt')} ?t }} }}")
            except StoreError:
                continue  # the server is away for a moment: the lock is renewed at the next beat

    def unlock(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
            self.endpoint.update(
                f"DELETE {{ GRAPH {_S} {{ {_S} {_p('lock')} ?l ; {_p('lockedAt')} ?t ; {_p('lockedBy')} ?b }} }} "
                f"WHERE {{ GRAPH {_S} {{ {_S} {_p('lock')} {_lit(self.token)} ; {_p('lock')} ?l ; "
                f"{_p('lockedAt')} ?t ; {_p('lockedBy')} ?b }} }}")
        self.endpoint.close()

    # ---- the replica brought level with the server

    def pull(self, db: Archive) -> bool:
        """Make the replica's articles the server's; True when anything was fetched or dropped (the replica's
        view is then to be refreshed before any change of this run is journalled)."""
        state = self.state()
        rows = self.endpoint.select(f"SELECT ?id ?hash WHERE {{ GRAPH {_S} {{ ?r {_p('id')} ?id ; "
                                    f"{_p('hash')} ?hash }} }}")
        self.remote = {sol[0].value: sol[1].value for sol in rows}
        known = _replica_generation(db)
        corrections = db.path / "corrections.tsv"
        if "corrections" in state and (not corrections.is_file()
                                       or corrections.read_text(encoding="utf-8") != state["corrections"]):
            write_text(corrections, state["corrections"])
        if known and known == state.get("generation"):
            return False
        local = db.articles()
        for doc_id in [d for d in local if d not in self.remote]:
            db.remove_article(doc_id)
        wanted = [d for d, h in self.remote.items() if local.get(d) != h]
        for record in self._fetch(wanted):
            db.put(record)
        db.flush()
        return True

    def _fetch(self, ids: list[str]) -> Iterator[Record]:
        for i in range(0, len(ids), _RECORDS):
            values = " ".join(_record(d) for d in ids[i:i + _RECORDS])
            rows = self.endpoint.select(
                f"SELECT ?id ?hash ?graph ?rejected ?mentions WHERE {{ GRAPH {_S} {{ VALUES ?r {{ {values} }} "
                f"?r {_p('id')} ?id ; {_p('hash')} ?hash ; {_p('graph')} ?graph ; {_p('rejected')} ?rejected ; "
                f"{_p('mentions')} ?mentions }} }}")
            for sol in rows:
                try:
                    blobs = [base64.b64decode(sol[k].value, validate=True) for k in (2, 3, 4)]
                except ValueError as exc:
                    raise StoreError(f"the record of article {sol[0].value} on {self.url} is damaged ({exc}); "
                                     "remove it (kg remove) and build it again") from None
                yield Record(sol[0].value, sol[1].value, *blobs)

    # ---- the replica's changes sent to the server

    def push(self, db: Archive, view: Any, journal: Journal, basis: str) -> None:
        """Send what this run changed: the records, the union and article graphs by difference (or whole, when
        the last write was interrupted or made by another kg), the corrections, and a new generation."""
        state = self.state()
        local = db.articles()
        changed = [d for d, h in local.items() if self.remote.get(d) != h]
        gone = [d for d in self.remote if d not in local]
        corrections = db.path / "corrections.tsv"
        text = corrections.read_text(encoding="utf-8") if corrections.is_file() else None
        whole = journal.full or bool(state.get("pushing")) or state.get("basis", basis) != basis
        if not (journal or changed or gone or whole or text != state.get("corrections")):
            _keep_generation(db, state.get("generation", ""))
            return
        self._set(pushing=self.token)
        self._records(db, changed, gone)
        if whole or "generation" not in state:
            self._send_whole(view)
        else:
            self._send(journal)
        generation = uuid.uuid4().hex
        self._set(corrections=text, basis=basis, generation=generation, pushing=None)
        self.remote = dict(local)
        _keep_generation(db, generation)

    def _records(self, db: Archive, changed: list[str], gone: list[str]) -> None:
        """The records of the articles that changed sent (N-Quads, a few thousand records a request), those of
        the articles gone and the old versions of the changed taken away first."""
        batch = _Batch(self.endpoint)
        for doc_id in gone + [d for d in changed if d in self.remote]:
            batch.add(f"DELETE WHERE {{ GRAPH {_S} {{ {_record(doc_id)} ?p ?o }} }}")
        batch.flush()
        graph = ox.NamedNode(STORE_GRAPH)
        self._post_quads((ox.Quad(ox.NamedNode(str(graph_iri(record.doc_id))), ox.NamedNode(_NS + k), ox.Literal(v),
                                  graph)
                          for record in db.records(changed) for k, v in (
                              ("id", record.doc_id), ("hash", record.content_hash),
                              ("graph", base64.b64encode(record.graph).decode()),
                              ("rejected", base64.b64encode(record.rejected).decode()),
                              ("mentions", base64.b64encode(record.mentions).decode()))), size=10_000)

    def _send(self, journal: Journal) -> None:
        """The journal's net change: deletions as SPARQL Updates, additions (far more, when articles come in)
        as N-Quads through the Graph Store Protocol, which the server reads many times faster."""
        union_gone, union_new = _net(journal.union)
        res_gone, res_new = _net(journal.resolution)
        batch = _Batch(self.endpoint)
        batch.data("DELETE", None, union_gone)
        batch.data("DELETE", RESOLUTION_GRAPH, res_gone)
        for g, change in sorted(journal.graphs.items()):
            if change is None:
                batch.add(f"DROP SILENT GRAPH <{g}>")
            else:
                batch.data("DELETE", g, change[0])
        batch.flush()
        default, resolution = ox.DefaultGraph(), ox.NamedNode(RESOLUTION_GRAPH)
        self._post_quads(itertools.chain(
            (ox.Quad(s, p, o, default) for s, p, o in union_new),
            (ox.Quad(s, p, o, resolution) for s, p, o in res_new),
            (ox.Quad(s, p, o, ox.NamedNode(g)) for g, change in sorted(journal.graphs.items()) if change
             for s, p, o in change[1])))

    def _post_quads(self, quads: Iterable[ox.Quad], size: int = 200_000) -> None:
        for chunk in iter(lambda: list(itertools.islice(quads, size)), []):
            self.endpoint.post(ox.serialize(chunk, format=ox.RdfFormat.N_QUADS) or b"", "application/n-quads")

    def _send_whole(self, view: Any) -> None:
        """The server's graphs replaced by the replica's: every kg graph dropped, then the union and the named
        graphs loaded as files (Graph Store Protocol)."""
        graphs = [sol[0].value for sol in self.endpoint.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
                  if isinstance(sol[0], ox.NamedNode) and sol[0].value != STORE_GRAPH]
        batch = _Batch(self.endpoint)
        batch.add("DROP SILENT DEFAULT")
        for g in graphs:
            batch.add(f"DROP SILENT GRAPH <{g}>")
        batch.flush()
        with tempfile.TemporaryDirectory(prefix="kg-push-") as tmp:
            union, named = Path(tmp) / "union.nt", Path(tmp) / "graphs.trig"
            view.dump(union, "nt")
            view.dump(named, "trig", union=False)
            with union.open("rb") as fh:
                self.endpoint.post(fh, "application/n-triples", graph="default")
            with named.open("rb") as fh:
                self.endpoint.post(fh, "application/trig")


class _Batch:
    """SPARQL Update operations sent a couple of megabytes at a time (each request applied whole)."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.parts: list[str] = []
        self.size = 0

    def add(self, operation: str) -> None:
        self.parts.append(operation)
        self.size += len(operation)
        if self.size >= _BATCH:
            self.flush()

    def data(self, op: str, graph: str | None, triples: Iterable[Any]) -> None:
        lines: list[str] = []
        size = 0
        for s, p, o in triples:
            lines.append(f"{s} {p} {o} .")
            size += len(lines[-1])
            if size >= _BATCH // 4:
                self.add(_data(op, graph, lines))
                lines, size = [], 0
        if lines:
            self.add(_data(op, graph, lines))

    def flush(self) -> None:
        if self.parts:
            self.endpoint.update(" ;\n".join(self.parts))
        self.parts, self.size = [], 0


def _dead(holder: str) -> bool:
    """Whether the lock's holder ("HOST pid N") was a process of this machine that has ended."""
    host, _, pid = holder.rpartition(" pid ")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _net(ops: list[tuple[str, list[Any]]]) -> tuple[list[Any], list[Any]]:
    """What a sequence of deletions and insertions comes to: the triples whose last change was a deletion,
    and those whose last was an insertion (applied in that order to the same graph, the same result)."""
    last: dict[Any, str] = {}
    for op, triples in ops:
        for t in triples:
            last[t] = op
    return [t for t, op in last.items() if op == "DELETE"], [t for t, op in last.items() if op == "INSERT"]


def _data(op: str, graph: str | None, lines: list[str]) -> str:
    body = "\n".join(lines)
    return f"{op} DATA {{ GRAPH <{graph}> {{ {body} }} }}" if graph else f"{op} DATA {{ {body} }}"


def _replica_generation(db: Archive) -> str:
    try:
        return str(json.loads((db.path / "server.json").read_text(encoding="utf-8")).get("generation", ""))
    except (OSError, ValueError, AttributeError):
        return ""


def _keep_generation(db: Archive, generation: str) -> None:
    """The replica is level with the server's ``generation`` ("": it holds changes the server has not)."""
    write_text(db.path / "server.json", json.dumps({"generation": generation}) + "\n")


@contextmanager
def open_shared(url: str, corrections: str | Path | None, level: Callable[[Archive], None], *,
                existing: bool = False) -> Iterator[tuple[Archive, Shared]]:
    """The replica of the store at ``url``, level with the server, under the server's lock; ``level``
    refreshes the replica's view after a pull that changed it. ``corrections``: a file to use (and share)
    instead of the server's. ``existing``: the server must hold a kg store already."""
    shared = Shared(url)
    try:
        shared.folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot make the replica of {shared.url} at {shared.folder}: {exc.strerror} (set "
                         "KG_CACHE to a folder kg may write)") from None
    shared.lock()
    try:
        if existing and "generation" not in shared.state():
            raise StoreError(f"{shared.url}: no kg store there yet (make one with `kg build PATH --store "
                             f"{shared.url}`, or send a folder with `kg publish DIR --store {shared.url}`)")
        with Archive(shared.folder) as db:
            if shared.pull(db):
                level(db)
                _keep_generation(db, shared.state().get("generation", ""))
            if corrections is not None:
                try:
                    text = Path(corrections).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise StoreError(f"{corrections}: cannot read the corrections file: {exc}") from None
                write_text(db.path / "corrections.tsv", text)
            _keep_generation(db, "")  # changes follow: until they are on the server, the replica is ahead of it
            yield db, shared
    finally:
        shared.unlock()


def publish(folder: Path, url: str, level: Callable[[Archive, Any], None], basis: str) -> int:
    """Send a store folder (``kg build --store DIR``) to an empty dataset: its records and its resolved graph,
    whole; the folder becomes the replica of the server here. ``level`` brings a view up to date. The number
    of articles sent."""
    from .view import View

    shared = Shared(url)
    shared.lock()
    try:
        state = shared.state()
        if "generation" in state or "pushing" in state:
            raise StoreError(f"{shared.url} holds a kg store already; publish a folder to an empty dataset (or "
                             "build its articles into this one)")
        shutil.rmtree(shared.folder, ignore_errors=True)
        try:
            shutil.copytree(folder, shared.folder, ignore=shutil.ignore_patterns("kg.lock", "server.json"))
        except OSError as exc:
            raise StoreError(f"cannot copy {folder} to the replica at {shared.folder}: {exc}") from None
        with Archive(shared.folder) as db, View(db.path / "view") as view:
            level(db, view)
            journal = Journal()
            journal.rebuilt()
            shared.push(db, view, journal, basis)
            return len(db.articles())
    finally:
        shared.unlock()
