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

import hashlib
import json
import shutil
import sqlite3
import threading
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from .archive import Archive, decode, to_ox
from .errors import StoreError
from .ontology import ID, KG
from .rdf import PREFIXES, article_iri, assertion_iri, graph_iri
from .resolve import Resolution
from .store import Row, Store
from .storefiles import temporary_folder

__all__ = ["View", "refresh", "resolved_triples"]

_FORMAT = "3"  # bump when what a view holds changes: old views are rebuilt
_STATE = "view.sqlite"
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SUBJECT, _PREDICATE, _OBJECT = (ox.NamedNode(_RDF + n) for n in ("subject", "predicate", "object"))
_EVIDENCE_LINK = ox.NamedNode(str(KG.evidence))
_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_EVIDENCE = f"{ID}evidence/"
_ASSERTION = f"{ID}assertion/"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = _RDF + "langString"
OxTriple = tuple[Any, Any, Any]


class View:
    """The union (``union``, an Oxigraph store: its default graph) and the bookkeeping of its refreshes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._tmp = None if path is not None else temporary_folder("view")
        self.path = Path(path if path is not None else self._tmp)  # type: ignore[arg-type]
        self.union = Store(self.path / "union")
        self._state = _open_state(self.path / _STATE)
        self.source: tuple[Archive, Resolution] | None = None  # what the named graphs are written from
        self.cache: dict[str, object] = {}  # what exporters derive from the view, computed once per export
        self.lock = threading.Lock()  # exporters run in threads; one computes what the others share

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
            for table in ("graphs", "support", "records"):
                self._state.execute(f"DELETE FROM {table}")

    # what exporters use
    def select(self, query: str) -> list[Row]:
        return list(self.union.select(query))

    def dump(self, path: Path, fmt: str, *, union: bool = True) -> None:
        """The union in ``fmt``; or (``union=False``, TriG) one named graph per article and the resolution's."""
        if union:
            self.union.dump(path, fmt)
            return
        if self.source is None:
            raise StoreError("the view has not been refreshed: no named graphs to write")
        try:
            with open(path, "wb") as out:
                for i, chunk in enumerate(_trig_chunks(*self.source)):
                    out.write(chunk if i == 0 else _without_prefixes(chunk))
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}") from exc

    def to_rdflib(self) -> Graph:
        return self.union.to_rdflib()

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
        db.execute("CREATE TABLE IF NOT EXISTS graphs (iri TEXT PRIMARY KEY, signature TEXT, shared BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS records (subject TEXT PRIMARY KEY, digest TEXT, triples BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS support (key BLOB PRIMARY KEY, n INTEGER) WITHOUT ROWID")
        db.commit()
        return db
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the view at {path.parent}: {exc}") from exc


# ---- resolving one article's triples


def _object_key(o: Any) -> tuple[str, str, str]:
    if isinstance(o, ox.Literal):
        dt = o.datatype.value
        return o.value, o.language or "", "" if o.language or dt in (_XSD_STRING, _LANG_STRING) else dt
    return o.value, "", ""


def resolved_triples(triples: Iterable[ox.Triple], graph: str, res: Resolution) -> list[OxTriple]:
    """One article's triples as resolution has it: each IRI renamed by the article's own map, else by the
    shared one; an entity in ``res.labels`` keeps that rdfs:label, its others become skos:altLabel; an
    assertion whose subject or object was renamed takes the identifier of the fact it now describes."""
    local: Mapping[str, str] = res.per_graph.get(graph, {})
    shared, labels = res.shared, res.labels
    nodes: dict[str, ox.NamedNode] = {}

    def renamed(term: Any) -> Any:
        if not isinstance(term, ox.NamedNode):
            return term
        new = local.get(term.value) or shared.get(term.value)
        if new is None:
            return term
        node = nodes.get(new)
        if node is None:
            node = nodes[new] = ox.NamedNode(new)
        return node

    out: list[OxTriple] = []
    facts: dict[str, dict[Any, Any]] = defaultdict(dict)
    changed: set[str] = set()
    for t in triples:
        s, p, o = t.subject, t.predicate, t.object  # no triple terms: kg writes none
        assert not isinstance(s, ox.Triple) and not isinstance(o, ox.Triple)
        s2, o2 = renamed(s), renamed(o)
        if p == _RDFS_LABEL and s2.value in labels and o.value != labels[s2.value]:
            p = _SKOS_ALT
        if p in (_SUBJECT, _OBJECT, _PREDICATE):
            facts[s.value][p] = o2
            if o2 is not o:
                changed.add(s.value)
        out.append((s2, p, o2))
    if not changed:
        return out
    moved = {}
    for node in changed:
        f = facts[node]
        moved[node] = ox.NamedNode(str(assertion_iri(f[_SUBJECT].value, f[_PREDICATE].value, *_object_key(f[_OBJECT]))))
    return [(moved.get(s.value, s), p, o) for s, p, o in out]


def _owned(t: OxTriple, article: str) -> bool:
    """A triple only this article can hold: about the article itself or one of its pieces of evidence."""
    s = t[0].value
    return s == article or s.startswith(_EVIDENCE) or t[1] == _EVIDENCE_LINK


def _key(t: OxTriple) -> bytes:
    return hashlib.blake2b(f"{t[0]} {t[1]} {t[2]}".encode(), digest_size=12).digest()


def _pack(triples: Iterable[OxTriple]) -> bytes:
    return zlib.compress("".join(sorted({f"{s} {p} {o} .\n" for s, p, o in triples})).encode(), 6)


def _unpack(blob: bytes | None) -> list[OxTriple]:
    return [(t.subject, t.predicate, t.object) for t in decode(blob)] if blob else []


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _signatures(db: Archive, res: Resolution) -> dict[str, str]:
    """What each resolved article is made of: the article's content and the renames that apply to it."""
    out = {}
    for doc_id, digest in db.articles().items():
        g = str(graph_iri(doc_id))
        out[g] = _digest(f"{digest}|{json.dumps(res.renamed_in.get(g, []))}")
    return out


def _records(res: Resolution) -> tuple[dict[str, str], dict[str, list[OxTriple]]]:
    """The resolution's triples by subject (a merge, a membership, an entity's sameAs), and a digest of each."""
    by_subject: dict[str, list[OxTriple]] = defaultdict(list)
    for s, p, o in res.triples:
        by_subject[str(s)].append((to_ox(s), to_ox(p), to_ox(o)))
    digests = {s: _digest("".join(sorted(f"{p} {o}\n" for _s, p, o in ts))) for s, ts in by_subject.items()}
    return digests, by_subject


# ---- refreshing


class _Union:
    """Changes to the union and to the shared triples' counts, written in batches."""

    def __init__(self, view: View) -> None:
        self.view, self.db = view, view._state
        self.add: list[ox.Quad] = []
        self.remove: list[OxTriple] = []

    def count(self, triples: Iterable[OxTriple], step: int) -> None:
        """Shared triples gained (+1) or lost (-1) by one article or record: a triple enters the union with
        its first holder and leaves with its last."""
        default = ox.DefaultGraph()
        for t in triples:
            key = _key(t)
            row = self.db.execute("SELECT n FROM support WHERE key = ?", (key,)).fetchone()
            n = (row[0] if row else 0) + step
            if n > 0:
                self.db.execute("INSERT OR REPLACE INTO support VALUES (?, ?)", (key, n))
            else:
                self.db.execute("DELETE FROM support WHERE key = ?", (key,))
            if step > 0 and n == 1:
                self.add.append(ox.Quad(*t, default))
            elif step < 0 and n <= 0:
                self.remove.append(t)

    def write(self) -> None:
        self.view.union._delete(sorted(self.remove, key=str), None)
        self.view.union._db.extend(self.add)
        self.add, self.remove = [], []


def _owned_in_union(union: Store, article: str) -> list[OxTriple]:
    """What the union holds of an article's own triples: about the article, and about its evidence."""
    db = union._db
    art = ox.NamedNode(article)
    out = [(q.subject, q.predicate, q.object) for q in db.quads_for_pattern(art, None, None, ox.DefaultGraph())]
    for q in db.quads_for_pattern(None, _DERIVED, art, ox.DefaultGraph()):
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(_EVIDENCE):
            ev = q.subject
            out += [(x.subject, x.predicate, x.object) for x in db.quads_for_pattern(ev, None, None, ox.DefaultGraph())]
            out += [(x.subject, x.predicate, x.object)
                    for x in db.quads_for_pattern(None, _EVIDENCE_LINK, ev, ox.DefaultGraph())]
    return out


def refresh(db: Archive, view: View, res: Resolution) -> None:
    """Bring ``view`` up to date with ``db`` as ``res`` resolves it: the articles whose signature changed, and
    the resolution records that did, each applied by its difference."""
    view.cache.clear()
    view.source = (db, res)
    graphs = _signatures(db, res)
    records, by_subject = _records(res)
    fresh = view._meta("format") != _FORMAT or view._meta("complete") != "1"
    view._set_meta("complete", "0")
    try:
        if fresh:
            _rebuild(db, view, res, graphs, records, by_subject)
        else:
            _update(db, view, res, graphs, records, by_subject)
        view.union.flush()
    except (sqlite3.Error, OSError) as exc:  # a full disk: the view is made again, whole, by the next build
        raise StoreError(f"cannot write the store at {view.path}: {exc}; free some space and build again "
                         "(the articles already in the store are kept)") from exc
    view._set_meta("format", _FORMAT)
    view._set_meta("complete", "1")


def _rebuild(db: Archive, view: View, res: Resolution, graphs: dict[str, str], records: dict[str, str],
             by_subject: dict[str, list[OxTriple]]) -> None:
    """The view made from nothing: every article resolved, with the bulk loader."""
    view.clear()
    counts: Counter[bytes] = Counter()
    quads: list[ox.Quad] = []
    default = ox.DefaultGraph()
    state = view._state
    for doc_id, triples in db.graphs():
        g = str(graph_iri(doc_id))
        new = resolved_triples(triples, g, res)
        article = str(article_iri(doc_id))
        shared = [t for t in new if not _owned(t, article)]
        counts.update(_key(t) for t in set(shared))
        quads.extend(ox.Quad(s, p, o, default) for s, p, o in new)
        state.execute("INSERT INTO graphs VALUES (?, ?, ?)", (g, graphs[g], _pack(shared)))
        if len(quads) >= 200_000:
            view.union._db.bulk_extend(quads)
            quads = []
    for subject, ts in by_subject.items():
        counts.update(_key(t) for t in set(ts))
        quads.extend(ox.Quad(s, p, o, default) for s, p, o in ts)
        state.execute("INSERT INTO records VALUES (?, ?, ?)", (subject, records[subject], _pack(ts)))
    view.union._db.bulk_extend(quads)
    state.executemany("INSERT INTO support VALUES (?, ?)", sorted(counts.items()))
    state.commit()


def _update(db: Archive, view: View, res: Resolution, graphs: dict[str, str], records: dict[str, str],
            by_subject: dict[str, list[OxTriple]]) -> None:
    """The view brought up to date by difference: the articles and records whose signature changed."""
    state = view._state
    before = dict(state.execute("SELECT iri, signature FROM graphs"))
    union = _Union(view)
    default = ox.DefaultGraph()
    prefix = str(graph_iri(""))
    for g in sorted(set(before) | set(graphs)):
        if before.get(g) == graphs.get(g):
            continue
        doc_id = g[len(prefix):]
        article = str(article_iri(doc_id))
        row = state.execute("SELECT shared FROM graphs WHERE iri = ?", (g,)).fetchone()
        old_shared = set(_unpack(row[0] if row else None))
        new = resolved_triples(db.graph(doc_id), g, res) if g in graphs else []
        new_shared = {t for t in new if not _owned(t, article)}
        view.union._delete(sorted(set(_owned_in_union(view.union, article)), key=str), None)
        union.count(sorted(old_shared - new_shared, key=str), -1)
        union.count(sorted(new_shared - old_shared, key=str), +1)
        union.write()
        view.union._db.extend(ox.Quad(s, p, o, default) for s, p, o in new if _owned((s, p, o), article))
        if g in graphs:
            state.execute("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)", (g, graphs[g], _pack(new_shared)))
        else:
            state.execute("DELETE FROM graphs WHERE iri = ?", (g,))
    old_records = dict(state.execute("SELECT subject, digest FROM records"))
    for subject in sorted(set(old_records) | set(records)):
        if old_records.get(subject) == records.get(subject):
            continue
        row = state.execute("SELECT triples FROM records WHERE subject = ?", (subject,)).fetchone()
        old, new_ts = set(_unpack(row[0] if row else None)), set(by_subject.get(subject, []))
        union.count(sorted(old - new_ts, key=str), -1)
        union.count(sorted(new_ts - old, key=str), +1)
        if subject in records:
            state.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                          (subject, records[subject], _pack(by_subject[subject])))
        else:
            state.execute("DELETE FROM records WHERE subject = ?", (subject,))
    union.write()
    state.commit()


# ---- the named graphs, written from the records


def _trig_chunks(db: Archive, res: Resolution, size: int = 200) -> Iterator[bytes]:
    """TriG of every article's resolved graph (by graph IRI) and then the resolution's, a few hundred articles
    at a time: memory stays flat in the number of articles."""
    quads: list[ox.Quad] = []
    for count, (doc_id, triples) in enumerate(db.graphs(), 1):
        g = str(graph_iri(doc_id))
        name = ox.NamedNode(g)
        for s, p, o in sorted(resolved_triples(triples, g, res), key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            quads.append(ox.Quad(s, p, o, name))
        if count % size == 0:
            yield ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""
            quads = []
    name = ox.NamedNode(res.graph)
    resolution = sorted({(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in res.triples},
                        key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    quads.extend(ox.Quad(s, p, o, name) for s, p, o in resolution)
    if quads:
        yield ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""


def _without_prefixes(chunk: bytes) -> bytes:
    """A TriG chunk without the prefix lines the first chunk already wrote."""
    pos = 0
    while chunk.startswith(b"@prefix ", pos):
        pos = chunk.index(b"\n", pos) + 1
    return chunk[pos:]
