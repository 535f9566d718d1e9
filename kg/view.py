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
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from .archive import Archive, to_ox
from .errors import StoreError
from .ontology import ID, KG
from .rdf import PREFIXES, Triple, article_iri, assertion_iri, graph_iri
from .resolve import ALT, RESOLUTION_GRAPH, Resolution
from .store import Row, Store
from .storefiles import temporary_folder

__all__ = ["View", "refresh", "resolved_triples"]

_FORMAT = "3"  # bump when what a view holds changes: old views are rebuilt
_STATE = "view.sqlite"
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SUBJECT, _PREDICATE, _OBJECT = (ox.NamedNode(_RDF + n) for n in ("subject", "predicate", "object"))
_REIFIED = {_SUBJECT, _PREDICATE, _OBJECT}
_TYPE = ox.NamedNode(_RDF + "type")
_QUOTE, _ASSERTION_CLASS = ox.NamedNode(str(KG.Quote)), ox.NamedNode(str(KG.Assertion))
_DESCRIBING = {_TYPE, _RDFS_LABEL, _SKOS_ALT}  # what says what an entity is and what it is called: never a fact
_EVIDENCE_LINK = ox.NamedNode(str(KG.evidence))
_ASSERTION = f"{ID}assertion/"
_RESOLUTION_NODES = (f"{ID}decision/", f"{ID}membership/")  # subjects only resolution writes
_SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
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
        self.archive: Archive | None = None  # the articles the named graphs are written from
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
                for i, chunk in enumerate(_trig_chunks(self, self.archive)):
                    out.write(chunk if i == 0 else _without_prefixes(chunk))
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}") from exc

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

    def resolution_triples(self) -> list[OxTriple]:
        """The triples of the resolution's own graph, from the union: every triple of a merge, distinction or
        membership record, and the owl:sameAs of the identifiers resolution replaced."""
        db, default = self.union._db, ox.DefaultGraph()
        out: set[OxTriple] = set()
        for (subject,) in self._state.execute("SELECT subject FROM records"):
            only = None if subject.startswith(_RESOLUTION_NODES) else _SAME_AS
            out.update((q.subject, q.predicate, q.object)
                       for q in db.quads_for_pattern(ox.NamedNode(subject), only, None, default))
        return sorted(out, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))

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
        db.commit()
        return db
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the view at {path.parent}: {exc}") from exc


# ---- resolving one article's triples

Renames = list[tuple[str, str, str]]  # (the article's IRI, the resolved one, ALT or "")


def _object_key(o: Any) -> tuple[str, str, str]:
    if isinstance(o, ox.Literal):
        dt = o.datatype.value
        return o.value, o.language or "", "" if o.language or dt in (_XSD_STRING, _LANG_STRING) else dt
    return o.value, "", ""


def resolved_triples(triples: Iterable[ox.Triple], renames: Renames) -> list[OxTriple]:
    """One article's triples as resolution has it (``renames``: what ``Resolution.renamed_in`` says of its
    graph): each IRI renamed; an entity whose name in this article is not the one it goes by has that
    rdfs:label turned into a skos:altLabel; an assertion whose subject or object was renamed takes the
    identifier of the fact it now describes. Nothing another article says changes the result."""
    moved_to: dict[Any, ox.NamedNode] = {}  # keyed by Oxigraph's terms: no string is made for a lookup
    alt: set[Any] = set()
    for old, new, flag in renames:
        if new != old:
            moved_to[ox.NamedNode(old)] = ox.NamedNode(new)
        if flag == ALT:
            alt.add(ox.NamedNode(old))
    move = moved_to.get
    out: list[OxTriple] = []
    facts: dict[Any, dict[Any, Any]] = defaultdict(dict)
    changed: set[Any] = set()
    for t in triples:
        s, p, o = t.subject, t.predicate, t.object
        s2, o2 = move(s, s), move(o, o)
        if p == _RDFS_LABEL and s in alt:
            p = _SKOS_ALT
        elif p in _REIFIED:
            facts[s][p] = o2
            if o2 is not o:
                changed.add(s)
        out.append((s2, p, o2))
    if not changed:
        return out
    moved = {}
    for node in changed:
        f = facts[node]
        moved[node] = ox.NamedNode(str(assertion_iri(f[_SUBJECT].value, f[_PREDICATE].value, *_object_key(f[_OBJECT]))))
    return [(moved.get(s, s), p, o) for s, p, o in out]


def _kinds(triples: Iterable[OxTriple], article: str, whole: Iterable[OxTriple] | None = None
           ) -> tuple[list[OxTriple], list[OxTriple], list[OxTriple]]:
    """An article's resolved triples in three parts: its own (about the article, its evidence, its quotes, and
    the links to its evidence), which leave with it; assertions and the facts they describe, which leave when
    no evidence is left for them; and the rest (entities' classes and names), counted across articles.
    ``whole``: the article's resolved triples, when ``triples`` are some of them."""
    triples = list(triples)
    own_nodes: set[Any] = {ox.NamedNode(article)}
    assertions: set[Any] = set()
    parts: dict[Any, dict[Any, Any]] = defaultdict(dict)
    for s, p, o in (triples if whole is None else whole):
        if p == _EVIDENCE_LINK:
            own_nodes.add(o)
        elif p == _TYPE:
            if o == _QUOTE:
                own_nodes.add(s)
            elif o == _ASSERTION_CLASS:
                assertions.add(s)
        elif p in _REIFIED:
            parts[s][p] = o
    stated = {(d[_SUBJECT], d[_PREDICATE], d[_OBJECT]) for a, d in parts.items() if a in assertions and len(d) == 3}
    own: list[OxTriple] = []
    asserted: list[OxTriple] = []
    counted: list[OxTriple] = []
    for t in triples:
        s, p = t[0], t[1]
        if s in own_nodes or p == _EVIDENCE_LINK:
            own.append(t)
        elif s in assertions or (p not in _DESCRIBING and t in stated):
            asserted.append(t)
        else:
            counted.append(t)
    return own, asserted, counted


def _key(t: OxTriple) -> bytes:
    return hashlib.blake2b(f"{t[0]} {t[1]} {t[2]}".encode(), digest_size=12).digest()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _renames(res: Resolution, graph: str) -> Renames:
    return [tuple(r) for r in res.renamed_in.get(graph, [])]  # type: ignore[misc]


def _signatures(db: Archive, res: Resolution) -> dict[str, tuple[str, str]]:
    """What each resolved article is made of — the article's content and the renames that apply to it — as a
    signature, with the renames."""
    out = {}
    for doc_id, digest in db.articles().items():
        g = str(graph_iri(doc_id))
        renames = json.dumps(_renames(res, g), ensure_ascii=False)
        out[g] = (_digest(f"{digest}|{renames}"), renames)
    return out


def _records(res: Resolution) -> tuple[dict[str, str], dict[str, list[Triple]]]:
    """The resolution's triples by subject (a merge, a membership, an entity's sameAs), and a digest of each
    (from rdflib's strings: terms become Oxigraph's only where they are written)."""
    by_subject: dict[str, list[Triple]] = defaultdict(list)
    for t in res.triples:
        by_subject[str(t[0])].append(t)
    digests = {s: _digest("".join(sorted(f"{p}\x1f{o}\x1f{getattr(o, 'language', '')}\x1f{getattr(o, 'datatype', '')}\n"
                                         for _s, p, o in ts))) for s, ts in by_subject.items()}
    return digests, by_subject


def _ox_triples(triples: Iterable[Triple]) -> list[OxTriple]:
    return [(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]


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
            entry = self.counts.setdefault(_key(t), [t, 0])
            entry[1] += step

    def apply(self) -> None:
        default = ox.DefaultGraph()
        for key, (t, delta) in sorted(self.counts.items()):
            if not delta:
                continue
            row = self.db.execute("SELECT n FROM support WHERE key = ?", (key,)).fetchone()
            before = row[0] if row else 0
            after = before + delta
            if after > 0:
                self.db.execute("INSERT OR REPLACE INTO support VALUES (?, ?)", (key, after))
            else:
                self.db.execute("DELETE FROM support WHERE key = ?", (key,))
            if before > 0 >= after:
                self.delete.add(t)
            elif after > 0 >= before:
                self.add.add(t)
        union = self.view.union
        union._delete(sorted(self.delete - self.add, key=str), None)
        union._db.extend(ox.Quad(s, p, o, default) for s, p, o in sorted(self.add, key=str))
        dead: list[OxTriple] = []
        for a in sorted(self.assertions, key=str):
            if next(iter(union._db.quads_for_pattern(a, _EVIDENCE_LINK, None, default)), None) is not None:
                continue
            quads = list(union._db.quads_for_pattern(a, None, None, default))
            d = {q.predicate: q.object for q in quads}
            dead += [(q.subject, q.predicate, q.object) for q in quads]
            if len({_SUBJECT, _PREDICATE, _OBJECT} & set(d)) == 3:
                dead.append((d[_SUBJECT], d[_PREDICATE], d[_OBJECT]))
        union._delete(sorted(set(dead), key=str), None)


def refresh(db: Archive, view: View, res: Resolution) -> None:
    """Bring ``view`` up to date with ``db`` as ``res`` resolves it: the articles whose signature changed, and
    the resolution records that did, each applied by its difference."""
    view.cache.clear()
    view.archive = db
    graphs = _signatures(db, res)
    records, by_subject = _records(res)
    fresh = view._meta("format") != _FORMAT or view._meta("complete") != "1"
    view._set_meta("complete", "0")
    view._set_meta("fingerprint", "")
    try:
        if not fresh:
            try:
                _update(db, view, graphs, records, by_subject)
            except StoreError:  # what the view was made from cannot be read back (a damaged record): start over
                view._state.rollback()
                fresh = True
        if fresh:
            _rebuild(db, view, graphs, records, by_subject)
        view.union.flush()
    except (sqlite3.Error, OSError) as exc:  # a full disk: the view is made again, whole, by the next build
        raise StoreError(f"cannot write the store at {view.path}: {exc}; free some space and build again "
                         "(the articles already in the store are kept)") from exc
    view._set_meta("format", _FORMAT)
    view._set_meta("complete", "1")
    db.forget_retired()


def _rebuild(db: Archive, view: View, graphs: dict[str, tuple[str, str]], records: dict[str, str],
             by_subject: dict[str, list[Triple]]) -> None:
    """The view made from nothing: every article resolved, with the bulk loader."""
    view.clear()
    counts: Counter[bytes] = Counter()
    quads: list[ox.Quad] = []
    default = ox.DefaultGraph()
    state = view._state
    for doc_id, triples in db.graphs():
        g = str(graph_iri(doc_id))
        signature, renames = graphs[g]
        new = set(resolved_triples(triples, json.loads(renames)))
        counts.update(_key(t) for t in _kinds(new, str(article_iri(doc_id)))[2])
        quads.extend(ox.Quad(s, p, o, default) for s, p, o in new)
        state.execute("INSERT INTO graphs VALUES (?, ?, ?)", (g, signature, renames))
        if len(quads) >= 200_000:
            view.union._db.bulk_extend(quads)
            quads = []
    for subject, ts in by_subject.items():
        quads.extend(ox.Quad(s, p, o, default) for s, p, o in _ox_triples(ts))
        state.execute("INSERT INTO records VALUES (?, ?)", (subject, records[subject]))
    view.union._db.bulk_extend(quads)
    state.executemany("INSERT INTO support VALUES (?, ?)", sorted(counts.items()))
    state.commit()


def _update(db: Archive, view: View, graphs: dict[str, tuple[str, str]], records: dict[str, str],
            by_subject: dict[str, list[Triple]]) -> None:
    """The view brought up to date by difference: the articles and records whose signature changed."""
    state = view._state
    before = {g: (sig, renames) for g, sig, renames in state.execute("SELECT iri, signature, renames FROM graphs")}
    changes = _Changes(view)
    prefix = str(graph_iri(""))
    for g in sorted(set(before) | set(graphs)):
        if before.get(g, ("",))[0] == graphs.get(g, ("",))[0]:
            continue
        doc_id = g[len(prefix):]
        article = str(article_iri(doc_id))
        old: set[OxTriple] = set()
        if g in before:
            seen = db.retired(doc_id)
            old = set(resolved_triples(db.graph(doc_id) if seen is None else seen, json.loads(before[g][1])))
        new = set(resolved_triples(db.graph(doc_id), json.loads(graphs[g][1]))) if g in graphs else set()
        gone_own, _asserted, gone_counted = _kinds(old - new, article, old)
        new_own, new_asserted, new_counted = _kinds(new - old, article, new)
        changes.delete.update(gone_own)
        changes.assertions.update(t[0] for t in old - new if t[0].value.startswith(_ASSERTION))
        changes.count(gone_counted, -1)
        changes.add.update(new_own + new_asserted)
        changes.count(new_counted, +1)
        if g in graphs:
            state.execute("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)", (g, *graphs[g]))
        else:
            state.execute("DELETE FROM graphs WHERE iri = ?", (g,))
    old_records = dict(state.execute("SELECT subject, digest FROM records"))
    default = ox.DefaultGraph()
    for subject in sorted(set(old_records) | set(records)):
        if old_records.get(subject) == records.get(subject):
            continue
        node = ox.NamedNode(subject)
        only = None if subject.startswith(_RESOLUTION_NODES) else _SAME_AS
        held = view.union._db.quads_for_pattern(node, only, None, default)
        old_ts = {(q.subject, q.predicate, q.object) for q in held}
        new_ts = set(_ox_triples(by_subject.get(subject, [])))
        changes.delete.update(old_ts - new_ts)
        changes.add.update(new_ts - old_ts)
        if subject in records:
            state.execute("INSERT OR REPLACE INTO records VALUES (?, ?)", (subject, records[subject]))
        else:
            state.execute("DELETE FROM records WHERE subject = ?", (subject,))
    changes.apply()
    state.commit()


# ---- the named graphs, written from the records


def _trig_chunks(view: View, db: Archive, size: int = 200) -> Iterator[bytes]:
    """TriG of every article's resolved graph (by graph IRI) and then the resolution's, a few hundred articles
    at a time: memory stays flat in the number of articles."""
    renames = dict(view._state.execute("SELECT iri, renames FROM graphs"))
    quads: list[ox.Quad] = []
    for count, (doc_id, triples) in enumerate(db.graphs(), 1):
        g = str(graph_iri(doc_id))
        name = ox.NamedNode(g)
        resolved = resolved_triples(triples, json.loads(renames.get(g, "[]")))
        for s, p, o in sorted(set(resolved), key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            quads.append(ox.Quad(s, p, o, name))
        if count % size == 0:
            yield ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""
            quads = []
    name = ox.NamedNode(RESOLUTION_GRAPH)
    quads.extend(ox.Quad(s, p, o, name) for s, p, o in view.resolution_triples())
    if quads:
        yield ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""


def _without_prefixes(chunk: bytes) -> bytes:
    """A TriG chunk without the prefix lines the first chunk already wrote."""
    pos = 0
    while chunk.startswith(b"@prefix ", pos):
        pos = chunk.index(b"\n", pos) + 1
    return chunk[pos:]
