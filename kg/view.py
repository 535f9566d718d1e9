"""The resolved view of a store: every article's triples under resolved identifiers and the resolution's own
graph (merges, memberships), as one union in Oxigraph — what queries, the exports and ``kg stats`` read.

The union is the only copy of the graph: the named graphs (one per article, for graph.trig) are written
from the articles' records as they are needed. A persistent store keeps its view (``DIR/view``) and brings it
up to date incrementally, by difference: only the articles that are new, gone, or whose identifiers or
names resolution changed are resolved again. A triple only one article can hold (about the article itself or
its evidence) leaves the union with that article; a triple articles share (an entity's name, a fact, an
assertion) is counted, and leaves when no article and no resolution record holds it any more. What each
article contributed of the shared triples is kept compressed in ``view.sqlite``, with the counts and a
signature per article and per resolution record; a view left half-updated (an interrupted build) is
rebuilt whole.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from .archive import Archive, select_in
from .errors import StoreError
from .ontology import KG
from .rdf import article_iri, graph_iri
from .resolve import Resolution
from .resolve.parts import Parts
from .resolve.parts import clear as clear_parts
from .resolved import (
    ASSERTION,
    EVIDENCE_LINK,
    OBJECT,
    PREDICATE,
    RESOLUTION_NODES,
    SAME_AS,
    SUBJECT,
    OxTriple,
    as_tuples,
    digest,
    kinds,
    record_digests,
    resolution_records,
    resolved_triples,
    signatures,
    trig_chunks,
    triple_key,
    without_prefixes,
)
from .stats import ENTITY_CLASSES, RELATION_PREDICATES, tallies
from .store import Row, Store
from .storefiles import temporary_folder

__all__ = ["View", "refresh"]

_FORMAT = "3"  # bump when what a view holds changes: old views are rebuilt
_STATE = "view.sqlite"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_TALLIED_TYPES = {ox.NamedNode(str(KG[c])): f"class {c}" for c in ENTITY_CLASSES}
_TALLIED_PREDICATES = {ox.NamedNode(str(KG[p])): f"predicate {p}" for p in RELATION_PREDICATES}


class View:
    """The union (``union``, an Oxigraph store: its default graph) and the bookkeeping of its refreshes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._tmp = None if path is not None else temporary_folder("view")
        self.path = Path(path if path is not None else self._tmp)  # type: ignore[arg-type]
        self.union = Store(self.path / "union")
        self._state = _open_state(self.path / _STATE)
        self.archive: Archive | None = None  # the articles the named graphs are written from
        self.cache: dict[str, object] = {}  # what exporters derive from the view, computed once per export
        self.lock = threading.Lock()  # exporters run in threads; one computes what the others share
        self.journal: Any = None  # told of every change a refresh makes (kg/shared.py: a server's copy follows)

    def close(self) -> None:
        self.union.close()
        self._state.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> View:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def clear(self) -> None:
        self.union.close()
        shutil.rmtree(self.path / "union", ignore_errors=True)
        self.union = Store(self.path / "union")
        with self._state:
            for table in ("graphs", "support", "records", "tally"):
                self._state.execute(f"DELETE FROM {table}")
            self._state.execute("DELETE FROM meta WHERE key = 'tally'")

    # resolution's own bookkeeping (kg/resolve/parts.py) lives beside the view's, and is committed with it
    @property
    def state(self) -> sqlite3.Connection:
        return self._state

    def incomplete(self) -> bool:
        """Whether the view must be made afresh (an interrupted refresh, a view of another kg)."""
        return self._meta("format") != _FORMAT or self._meta("complete") != "1"

    def forget_parts(self) -> None:
        """Resolution was done whole: what the parts kept no longer describes it."""
        clear_parts(self._state)

    # what exporters use
    def select(self, query: str) -> Iterator[Row]:
        """Rows of a SPARQL SELECT over the union, as they come (iterate once)."""
        return self.union.select(query)

    def dump(self, path: Path, fmt: str, *, union: bool = True) -> None:
        """The union in ``fmt``; or (``union=False``, TriG) one named graph per article and the resolution's."""
        if union:
            self.union.dump(path, fmt)
            return
        if self.archive is None:
            raise StoreError("the view has not been refreshed: no named graphs to write")
        try:
            with open(path, "wb") as out:
                renames = dict(self._state.execute("SELECT iri, renames FROM graphs"))
                for i, chunk in enumerate(trig_chunks(self.archive, renames, self.resolution_triples())):
                    out.write(chunk if i == 0 else without_prefixes(chunk))
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}") from exc

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """The union's entities by class and relations by predicate (``kg.stats.tallies``), as kept."""
        if self._meta("tally") != "1":  # a view made by an earlier kg
            with self._state:
                _count_all(self)
        out: tuple[dict[str, int], dict[str, int]] = ({}, {})
        for key, n in self._state.execute("SELECT key, n FROM tally ORDER BY key"):
            kind, name = key.split(" ", 1)
            if n:
                out[kind == "predicate"][name] = n
        return out

    def to_rdflib(self) -> Graph:
        return self.union.to_rdflib()

    # what a refresh found, kept for as long as nothing it depends on changes
    def outcome(self, fingerprint: str) -> dict[str, Any] | None:
        """What the refresh made from the articles, corrections and lexicon that ``fingerprint`` sums up, if
        the view is up to date with them (then nothing needs resolving again)."""
        if self._meta("complete") != "1" or self._meta("format") != _FORMAT or self._meta("fingerprint") != fingerprint:
            return None
        try:
            saved = json.loads(self._meta("outcome") or "")
        except ValueError:
            return None
        return saved if isinstance(saved, dict) else None

    def keep_outcome(self, fingerprint: str, outcome: dict[str, Any]) -> None:
        with self._state:
            self._state.execute("INSERT OR REPLACE INTO meta VALUES ('outcome', ?)", (json.dumps(outcome),))
            self._state.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))

    def reuse(self, db: Archive) -> None:
        """The view is up to date with ``db``: write the named graphs from it."""
        self.archive = db

    def resolution_triples(self) -> Iterator[OxTriple]:
        """The triples of the resolution's own graph, from the union, record by record in the order of their
        subjects: every triple of a merge, distinction or membership record, and the owl:sameAs of the
        identifiers resolution replaced. Read as they are written: a store of 10,000 articles has a million."""
        db, default = self.union._db, ox.DefaultGraph()
        subjects = [s for (s,) in self._state.execute("SELECT subject FROM records ORDER BY subject")]
        for subject in subjects:
            only = None if subject.startswith(RESOLUTION_NODES) else SAME_AS
            found = {(q.subject, q.predicate, q.object)
                     for q in db.quads_for_pattern(ox.NamedNode(subject), only, None, default)}
            yield from sorted(found, key=lambda t: (t[1].value, str(t[2])))

    # the bookkeeping
    def _meta(self, key: str) -> str | None:
        row = self._state.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        with self._state:
            self._state.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def _open_state(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS graphs (iri TEXT PRIMARY KEY, signature TEXT, renames TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS records (subject TEXT PRIMARY KEY, digest TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS support (key BLOB PRIMARY KEY, n INTEGER) WITHOUT ROWID")
        db.execute("CREATE TABLE IF NOT EXISTS tally (key TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
        db.commit()
        return db
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the view at {path.parent}: {exc}") from exc


# ---- refreshing


class _Changes:
    """What a refresh does to the union: triples to delete and to add, and the counted triples' net change,
    applied together at the end (deletions first)."""

    def __init__(self, view: View) -> None:
        self.view, self.db = view, view._state
        self.delete: set[OxTriple] = set()
        self.add: set[OxTriple] = set()
        self.counts: dict[bytes, list[Any]] = {}
        self.assertions: set[Any] = set()  # assertions that lost evidence: kept only if some is left

    def count(self, triples: Iterable[OxTriple], step: int) -> None:
        for t in triples:
            entry = self.counts.setdefault(triple_key(t), [t, 0])
            entry[1] += step

    def apply(self) -> None:
        default = ox.DefaultGraph()
        tally = _Tally(self.view)
        keys = sorted(k for k, (_t, delta) in self.counts.items() if delta)
        support: dict[bytes, int] = dict(select_in(self.db, "SELECT key, n FROM support WHERE key", keys))
        kept: list[tuple[bytes, int]] = []
        dropped: list[tuple[bytes]] = []
        for key in keys:
            t, delta = self.counts[key]
            before = support.get(key, 0)
            after = before + delta
            if after > 0:
                kept.append((key, after))
            else:
                dropped.append((key,))
            if before > 0 >= after:
                self.delete.add(t)
            elif after > 0 >= before:
                self.add.add(t)
        self.db.executemany("INSERT OR REPLACE INTO support VALUES (?, ?)", kept)
        self.db.executemany("DELETE FROM support WHERE key = ?", dropped)
        union = self.view.union
        gone = list(self.delete - self.add)  # (a store of sets: the order of changes is not kept)
        tally.count(gone, -1)
        union._delete(gone, None)
        tally.count(self.add, +1)
        union._db.extend(ox.Quad(s, p, o) for s, p, o in self.add)
        if self.view.journal is not None:
            self.view.journal.removed(gone)
            self.view.journal.added(self.add)
        dead: list[OxTriple] = []
        for a in self.assertions:
            if next(iter(union._db.quads_for_pattern(a, EVIDENCE_LINK, None, default)), None) is not None:
                continue
            quads = list(union._db.quads_for_pattern(a, None, None, default))
            d = {q.predicate: q.object for q in quads}
            dead += [(q.subject, q.predicate, q.object) for q in quads]
            if len({SUBJECT, PREDICATE, OBJECT} & set(d)) == 3:
                dead.append((d[SUBJECT], d[PREDICATE], d[OBJECT]))
        dead = list(set(dead))
        tally.count(dead, -1)
        union._delete(dead, None)
        if self.view.journal is not None:
            self.view.journal.removed(dead)
        tally.save()


class _Tally:
    """The union's entities by class and relations by predicate (what a build reports), kept up to date with
    its changes: the triples that counted are checked against the union before they go in or out."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.delta: Counter[str] = Counter()

    def count(self, triples: Iterable[OxTriple], step: int) -> None:
        db, default = self.view.union._db, ox.DefaultGraph()
        for s, p, o in triples:
            key = _TALLIED_TYPES.get(o) if p == _RDF_TYPE else _TALLIED_PREDICATES.get(p)
            if key is not None and (ox.Quad(s, p, o, default) in db) == (step < 0):
                self.delta[key] += step

    def save(self) -> None:
        state = self.view._state
        if self.view._meta("tally") != "1":
            return  # counted afresh when asked (``View.counts``)
        for key, n in sorted(self.delta.items()):
            if n:
                state.execute("INSERT INTO tally VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET n = n + ?",
                              (key, n, n))


def refresh(db: Archive, view: View, res: Resolution | Parts) -> bool:
    """Bring ``view`` up to date with ``db`` as ``res`` resolves it: the articles whose signature changed, and
    the resolution records that did, each applied by its difference. ``res``: a whole resolution, or the parts
    that changed (``Parts``). False when the view must be made afresh and ``res`` lists only what changed:
    resolve every part and refresh again."""
    view.cache.clear()
    view.archive = db
    graphs, records, by_subject, full = _changes(db, res)
    fresh = view.incomplete()
    if fresh and not full:
        return False
    view._set_meta("complete", "0")
    view._set_meta("fingerprint", "")
    try:
        if not fresh:
            try:
                _update(db, view, graphs, records, by_subject, full)
            except StoreError:  # what the view was made from cannot be read back (a damaged record): start over
                view._state.rollback()
                if not full:
                    return False
                fresh = True
        if fresh:
            _rebuild(db, view, graphs, records, by_subject)  # type: ignore[arg-type]
        view.union.flush()
    except (sqlite3.Error, OSError) as exc:  # a full disk: the view is made again, whole, by the next build
        raise StoreError(f"cannot write the store at {view.path}: {exc}; free some space and build again "
                         "(the articles already in the store are kept)") from exc
    view._set_meta("format", _FORMAT)
    view._set_meta("complete", "1")
    db.forget_retired()
    return True


def _changes(db: Archive, res: Resolution | Parts) -> tuple[dict[str, tuple[str, str] | None], dict[str, str | None],
                                                           dict[str, list[OxTriple]], bool]:
    """What ``res`` makes of each article it names (signature, renames; None: gone) and of each record subject
    (digest; None: gone), the records' triples, and whether every article and record is named."""
    if isinstance(res, Resolution):
        digests, by_subject = resolution_records(res)
        return dict(signatures(db, res)), dict(digests), by_subject, True
    content = db.articles()
    prefix = str(graph_iri(""))
    graphs: dict[str, tuple[str, str] | None] = {}
    for g, renames in res.renames.items():
        if renames is None:
            graphs[g] = None
        else:
            text = json.dumps(renames, ensure_ascii=False)
            graphs[g] = (digest(f"{content[g[len(prefix):]]}|{text}"), text)
    by_subject = {s: ts for s, ts in res.records.items() if ts}
    found = record_digests(by_subject)
    return graphs, {s: found.get(s) for s in res.records}, by_subject, res.full


def _rebuild(db: Archive, view: View, graphs: dict[str, tuple[str, str]], records: dict[str, str],
             by_subject: dict[str, list[OxTriple]]) -> None:
    """The view made from nothing: every article resolved, with the bulk loader."""
    view.clear()
    if view.journal is not None:
        view.journal.rebuilt()
    counts: Counter[bytes] = Counter()
    quads: list[ox.Quad] = []
    state = view._state
    for doc_id, triples in db.graphs():
        g = str(graph_iri(doc_id))
        signature, renames = graphs[g]
        new = set(resolved_triples(triples, json.loads(renames)))
        counts.update(triple_key(t) for t in kinds(new, str(article_iri(doc_id)))[2])
        quads.extend(ox.Quad(s, p, o) for s, p, o in new)
        state.execute("INSERT INTO graphs VALUES (?, ?, ?)", (g, signature, renames))
        if len(quads) >= 200_000:
            view.union._db.bulk_extend(quads)
            quads = []
    for subject, ts in by_subject.items():
        quads.extend(ox.Quad(s, p, o) for s, p, o in ts)
        state.execute("INSERT INTO records VALUES (?, ?)", (subject, records[subject]))
    view.union._db.bulk_extend(quads)
    state.executemany("INSERT INTO support VALUES (?, ?)", sorted(counts.items()))
    _count_all(view)
    state.commit()


def _count_all(view: View) -> None:
    """The tallies of the union, counted afresh."""
    state = view._state
    state.execute("DELETE FROM tally")
    entities, relations = tallies(view.union)
    state.executemany("INSERT INTO tally VALUES (?, ?)",
                      [(f"class {k}", n) for k, n in entities.items()] + [(f"predicate {k}", n)
                                                                          for k, n in relations.items()])
    state.execute("INSERT OR REPLACE INTO meta VALUES ('tally', '1')")


def _kept(state: sqlite3.Connection, table: str, key: str, columns: str, wanted: Iterable[str] | None
          ) -> dict[str, tuple[Any, ...]]:
    """A bookkeeping table's rows by key: all of them (``wanted`` None), or those of the keys ``wanted``."""
    sql = f"SELECT {key}, {columns} FROM {table}"
    if wanted is None:
        return {k: tuple(rest) for k, *rest in state.execute(sql)}
    return {k: tuple(rest) for k, *rest in select_in(state, f"{sql} WHERE {key}", list(wanted))}


def _update(db: Archive, view: View, graphs: dict[str, tuple[str, str] | None], records: dict[str, str | None],
            by_subject: dict[str, list[OxTriple]], full: bool) -> None:
    """The view brought up to date by difference: the articles and records whose signature changed (``full``:
    those not named are gone; else unchanged)."""
    state = view._state
    before = _kept(state, "graphs", "iri", "signature, renames", None if full else graphs)
    if full:
        graphs = {**dict.fromkeys(before), **graphs}
    changes = _Changes(view)
    prefix = str(graph_iri(""))
    for g in sorted(graphs):
        now = graphs[g]
        if before.get(g, ("",))[0] == (now or ("",))[0]:
            continue
        doc_id = g[len(prefix):]
        article = str(article_iri(doc_id))
        current = as_tuples(db.graph(doc_id)) if now else []  # read once: often the view saw this version too
        old: set[OxTriple] = set()
        if g in before:
            seen = db.retired(doc_id)
            old = set(resolved_triples(current if seen is None else seen, json.loads(before[g][1])))
        new = set(resolved_triples(current, json.loads(now[1]))) if now else set()
        gone_own, _asserted, gone_counted = kinds(old - new, article, old)
        new_own, new_asserted, new_counted = kinds(new - old, article, new)
        changes.delete.update(gone_own)
        changes.assertions.update(t[0] for t in old - new if t[0].value.startswith(ASSERTION))
        changes.count(gone_counted, -1)
        changes.add.update(new_own + new_asserted)
        changes.count(new_counted, +1)
        if view.journal is not None:
            view.journal.graph(g, old, new if now else None)
        if now:
            state.execute("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)", (g, *now))
        else:
            state.execute("DELETE FROM graphs WHERE iri = ?", (g,))
    old_records = {s: d for s, (d,) in _kept(state, "records", "subject", "digest", None if full else records).items()}
    if full:
        records = {**dict.fromkeys(old_records), **records}
    changed = [s for s in sorted(records) if old_records.get(s) != records[s]]
    for subject in changed:
        if records[subject] is not None:
            state.execute("INSERT OR REPLACE INTO records VALUES (?, ?)", (subject, records[subject]))
        else:
            state.execute("DELETE FROM records WHERE subject = ?", (subject,))
    changes.apply()
    _rewrite_records(view, changed, by_subject, {s for s in changed if old_records.get(s) is not None})
    state.commit()


def _rewrite_records(view: View, subjects: list[str], by_subject: dict[str, list[OxTriple]], known: set[str]
                     ) -> None:
    """Records changed, by difference: a record's triples are resolution's alone (every triple of a merge or
    membership node, an identifier's owl:sameAs), so what the union holds of them is the record as it was
    (``known``: the subjects that had one). A record that grows with the store (a membership reported by one
    more article) changes by a triple or two."""
    union = view.union
    db, default = union._db, ox.DefaultGraph()
    gone: list[OxTriple] = []
    new: list[OxTriple] = []
    for subject in subjects:
        only = None if subject.startswith(RESOLUTION_NODES) else SAME_AS
        old = {(q.subject, q.predicate, q.object)
               for q in db.quads_for_pattern(ox.NamedNode(subject), only, None, default)} if subject in known else set()
        now = set(by_subject.get(subject, ()))
        gone.extend(old - now)
        new.extend(now - old)
    union._delete(gone, None)
    db.extend(ox.Quad(s, p, o) for s, p, o in new)
    if view.journal is not None:
        view.journal.records(gone, new)


