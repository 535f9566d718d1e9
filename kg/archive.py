"""The articles of a store, as they were read: one record per article in a SQLite file (``DIR/articles.sqlite``).

A record holds the article's graph (its triples under its own identifiers, compressed Turtle), the
triples SHACL set aside, and its *mentions* — the entities it names with the facts resolution compares —
so that resolution reads a few kilobytes an article instead of querying every graph. Records are made
where the article is extracted (``encode``, in the worker processes); the store only writes them.
Adding an article replaces its record, so building the same articles again changes nothing; removing one
drops it. Everything the graph shows is derived from these records (kg/view.py).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS
from rdflib.namespace import SKOS

from .errors import StoreError
from .ontology import KG
from .rdf import PREFIXES, Triple, graph_iri
from .store import to_ox
from .storefiles import Folder

__all__ = ["FILE", "Archive", "Record", "decode", "encode", "pack", "select_in"]

FILE = "articles.sqlite"
_FORMAT = "1"
_KG = str(KG._NS)
# what resolution compares (kg/resolve/mentions.py): the classes it resolves and the facts it reads
ORG_TYPES = ("Company", "GovernmentAgency", "Association", "ResearchInstitute", "Legislature", "PoliticalParty",
             "MediaOutlet", "University", "Organization")  # most specific first; Organization last
RESOLVED = ("Person", *ORG_TYPES, "Meeting", "Place", "Policy")  # in this order: a mention takes its first class
FACTS = ("affiliation", "formerAffiliation", "jobTitle", "attended", "organizer", "location", "startDate",
         "startDay")
_FACT_IRIS = {_KG + p for p in FACTS}
_RESOLVED_IRIS = {_KG + c for c in RESOLVED}


@dataclass
class Record:
    """One article as the store keeps it."""

    doc_id: str
    content_hash: str
    graph: bytes  # zlib(Turtle), see ``pack``
    rejected: bytes
    mentions: bytes  # zlib(JSON)


def pack(triples: Iterable[tuple[Any, Any, Any]]) -> bytes:
    """Triples (Oxigraph terms) as compressed Turtle, in a fixed order: prefixes and one subject per block make
    it a third of N-Triples before compression."""
    names: dict[Any, str] = {}  # each term written out once: an article names the same few hundred again and again

    def name(term: Any) -> str:
        found = names.get(term)
        if found is None:
            found = names[term] = str(term)
        return found

    ordered = [ox.Triple(*t) for t in sorted(set(triples), key=lambda t: (name(t[0]), name(t[1]), name(t[2])))]
    return zlib.compress(ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b"", 6)


def _pack(triples: Iterable[Triple]) -> bytes:
    made: dict[Any, Any] = {}  # an article names the same few hundred terms again and again: convert each once

    def ox_term(term: Any) -> Any:
        found = made.get(term)
        if found is None:
            found = made[term] = to_ox(term)
        return found

    return pack((ox_term(s), ox_term(p), ox_term(o)) for s, p, o in triples)


def select_in(db: sqlite3.Connection, sql: str, keys: list[Any]) -> Iterator[Any]:
    """The rows of ``sql`` (a query ending in the column compared) for ``keys``, asked 500 at a time
    (``IN (…)``): the store's bookkeeping is read for thousands of keys at once, one query per key is slow."""
    for i in range(0, len(keys), 500):
        batch = keys[i:i + 500]
        yield from db.execute(f"{sql} IN ({','.join('?' * len(batch))})", batch)


def decode(blob: bytes | None, what: str = "a record") -> list[ox.Triple]:
    """A packed graph's triples, as Oxigraph terms; a damaged one is a StoreError naming ``what``."""
    if not blob:
        return []
    try:
        return list(ox.parse(zlib.decompress(blob), format=ox.RdfFormat.TURTLE))
    except (zlib.error, SyntaxError, ValueError) as exc:
        raise StoreError(f"{what} of the store is damaged ({exc}); remove it (kg remove) and build its article "
                         "again") from exc


_TYPE, _LABEL, _ALT, _PUBLISHED, _HASH = (str(t) for t in (RDF.type, RDFS.label, SKOS.altLabel, KG.datePublished,
                                                             KG.contentHash))
_ARTICLE = str(KG.Article)


def _mentions(triples: list[Triple]) -> tuple[dict[str, Any], str]:
    """What resolution reads of an article: its IRI and date, and every entity of a resolved class with its
    class(es), labels, other names, and the facts that name it; and the article's content hash. (Compared as
    plain strings: rdflib's terms compare slowly, and most triples here are provenance.)"""
    types: dict[str, list[str]] = {}
    labels: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    facts: list[tuple[str, str, str]] = []
    article, published, content = "", None, ""
    for s, p, o in triples:
        pred = str(p)
        if pred == _TYPE:
            cls = str(o)
            if cls in _RESOLVED_IRIS:
                types.setdefault(str(s), []).append(cls[len(_KG):])
            elif cls == _ARTICLE:
                article = str(s)
        elif pred == _LABEL:
            labels.setdefault(str(s), []).append(str(o))
        elif pred == _ALT:
            aliases.setdefault(str(s), []).append(str(o))
        elif pred in _FACT_IRIS:
            facts.append((str(s), pred[len(_KG):], str(o)))
        elif pred == _PUBLISHED:
            published = str(o)
        elif pred == _HASH:
            content = str(o)
    entities = {e: ts for e, ts in types.items() if e in labels}
    named = sorted({f for f in facts if f[0] in entities or f[2] in entities})
    return {"article": article, "published": published,
            "entities": [[e, sorted(ts), sorted(labels[e]), sorted(aliases.get(e, []))]
                         for e, ts in sorted(entities.items())],
            "facts": [list(f) for f in named]}, content


def encode(doc_id: str, triples: list[Triple], rejected: list[Triple]) -> Record:
    """An article's record, made from its triples (where it was extracted: this is the costly part)."""
    found, digest = _mentions(triples)
    mentions = json.dumps(found, ensure_ascii=False, separators=(",", ":")).encode()
    return Record(doc_id, digest, _pack(triples), _pack(rejected) if rejected else b"", zlib.compress(mentions, 6))


class Archive(Folder):
    """The articles of a store. ``Archive(path)`` opens (or creates) the store in the folder ``path`` and holds
    its lock; ``Archive()`` is a temporary one, removed by ``close()``. Use it as a context manager."""

    def __init__(self, path: str | Path | None = None) -> None:
        if path is not None and (Path(path) / "db").is_dir() and not (Path(path) / FILE).exists():
            raise StoreError(f"{path}: a store made by an earlier kg (its articles are in {Path(path) / 'db'}, a "
                             "layout this kg does not read); build the articles again into a new folder")
        try:
            self.open_folder(path, "store")
            self._db = sqlite3.connect(self.path / FILE, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self._db.execute("CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, hash TEXT NOT NULL, "
                             "graph BLOB NOT NULL, rejected BLOB NOT NULL, mentions BLOB NOT NULL)")
            # what is in the store, read without touching the rows (each holds a packed graph): 5× faster
            self._db.execute("CREATE INDEX IF NOT EXISTS articles_hash ON articles (id, hash)")
            # the few articles validation took something from, found without reading every row (a build reads
            # them each time it writes rejected.ttl; a cold scan of 50,000 rows took 40 s)
            self._db.execute("CREATE INDEX IF NOT EXISTS articles_rejected ON articles (id) WHERE length(rejected) > 0")
            self._db.execute("CREATE TABLE IF NOT EXISTS retired (id TEXT PRIMARY KEY, graph BLOB NOT NULL)")
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (_FORMAT,))
            (fmt,), = self._db.execute("SELECT value FROM meta WHERE key = 'format'")
        except (OSError, sqlite3.Error) as exc:
            self.close_folder()
            raise StoreError(f"cannot open the store at {self.path}: {exc} (is it a folder kg may write?)") from exc
        if fmt != _FORMAT:
            self.close_folder()
            raise StoreError(f"{self.path}: a store of another kg version (format {fmt}); build it again into a "
                             "new folder")
        self._pending = 0
        self._articles: dict[str, str] | None = None

    def close(self) -> None:
        try:
            if hasattr(self, "_db"):
                self.flush()
                self._db.close()
                del self._db
        finally:
            self.close_folder()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        self._articles = None
        try:
            if not self._db.in_transaction:
                self._db.execute("BEGIN")
            self._db.execute(sql, args)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the store at {self.path}: {exc}; free some space and build again "
                             "(the articles already in the store are kept)") from exc

    def flush(self) -> None:
        """Commit what was written: an interrupted build keeps every article flushed before it."""
        try:
            if self._db.in_transaction:
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the store at {self.path}: {exc}; free some space and build again "
                             "(the articles already in the store are kept)") from exc

    # ---- writing

    def _retire(self, doc_id: str) -> None:
        """Keep the graph an article had until the view has taken it out (``retired``); the first one kept is
        the one the view last saw."""
        self._write("INSERT OR IGNORE INTO retired SELECT id, graph FROM articles WHERE id = ?", (doc_id,))

    def put(self, record: Record) -> None:
        """Store an article's record, replacing the one it had."""
        self._retire(record.doc_id)
        self._write("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
                    (record.doc_id, record.content_hash, record.graph, record.rejected, record.mentions))
        self._pending += 1
        if self._pending >= 500:
            self.flush()
            self._pending = 0

    def remove_article(self, doc_id: str) -> bool:
        """Drop an article; False when the store does not have it."""
        if not self._db.execute("SELECT 1 FROM articles WHERE id = ?", (doc_id,)).fetchone():
            return False
        self._retire(doc_id)
        self._write("DELETE FROM articles WHERE id = ?", (doc_id,))
        return True

    def retired(self, doc_id: str) -> list[ox.Triple] | None:
        """The graph an article had when the view last saw it, if it has changed or gone since (else None)."""
        row = self._db.execute("SELECT graph FROM retired WHERE id = ?", (doc_id,)).fetchone()
        return decode(row[0], f"the earlier version of article {doc_id}") if row else None

    def forget_retired(self) -> None:
        """The view is up to date: the graphs articles had before are no longer needed."""
        self._write("DELETE FROM retired", ())
        self.flush()

    # ---- reading

    def __len__(self) -> int:
        (n,), = self._db.execute("SELECT COUNT(*) FROM articles")
        return int(n)

    def articles(self) -> dict[str, str]:
        """Article id -> content hash, for every article in the store (read once until the next write; the
        caller may not change it)."""
        if self._articles is None:
            self._articles = dict(self._db.execute("SELECT id, hash FROM articles ORDER BY id"))
        return self._articles

    def graph(self, doc_id: str) -> list[ox.Triple]:
        """An article's triples, under its own identifiers (empty when the store does not have it)."""
        row = self._db.execute("SELECT graph FROM articles WHERE id = ?", (doc_id,)).fetchone()
        return decode(row[0], f"article {doc_id}") if row else []

    def graphs(self, ids: Iterable[str] | None = None) -> Iterator[tuple[str, list[ox.Triple]]]:
        """(article id, its triples) for the articles ``ids`` (default: all), by id."""
        if ids is None:
            for doc_id, blob in self._db.execute("SELECT id, graph FROM articles ORDER BY id"):
                yield doc_id, decode(blob, f"article {doc_id}")
            return
        for doc_id in sorted(set(ids)):
            yield doc_id, self.graph(doc_id)

    def records(self, ids: Iterable[str]) -> Iterator[Record]:
        """The whole records of the articles ``ids`` (those the store has), by id."""
        for doc_id in sorted(set(ids)):
            row = self._db.execute("SELECT id, hash, graph, rejected, mentions FROM articles WHERE id = ?",
                                   (doc_id,)).fetchone()
            if row:
                yield Record(*row)

    def mentions(self, ids: Iterable[str] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(article graph IRI, what resolution reads of it) for the articles ``ids`` (default: all), by id."""
        if ids is None:
            rows: Iterable[tuple[str, bytes]] = self._db.execute("SELECT id, mentions FROM articles ORDER BY id")
        else:
            rows = (row for doc_id in sorted(set(ids)) for row in self._db.execute(
                "SELECT id, mentions FROM articles WHERE id = ?", (doc_id,)))
        for doc_id, blob in rows:
            try:
                yield str(graph_iri(doc_id)), json.loads(zlib.decompress(blob))
            except (zlib.error, ValueError) as exc:
                raise StoreError(f"article {doc_id} of the store is damaged ({exc}); remove it (kg remove) and "
                                 "build it again") from exc

    def rejected(self) -> Iterator[ox.Triple]:
        """Every triple set aside by validation, over all articles."""
        for doc_id, blob in self._db.execute(
                "SELECT id, rejected FROM articles WHERE length(rejected) > 0 ORDER BY id"):
            yield from decode(blob, f"what validation set aside of article {doc_id}")
