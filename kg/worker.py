"""The unit of work of a build: a chunk of articles extracted and validated together, in this process or
in worker processes (one Kiwi each, loaded once), results in input order whatever the number of workers."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice

from rdflib import RDF, Graph
from rdflib.term import Node

from .archive import Record, encode
from .errors import KgError
from .ingest import RawArticle, Skipped, clean_article
from .lexicon import load_lexicon
from .model import content_hash
from .ontology import KG
from .pipeline import Pipeline
from .rdf import Triple, doc_triples
from .validate import provenance_nodes, set_aside, validate_graph

__all__ = ["CHUNK", "Chunk", "default_jobs", "process_chunks"]

# articles extracted and validated together: SHACL per chunk keeps validation linear (about 17 ms a call), and
# small chunks keep the workers evenly busy to the end
CHUNK = 20
_PARALLEL_FROM = 4 * CHUNK  # fewer articles than this are not worth starting workers for


@dataclass
class Chunk:
    """What a chunk of articles gave: each article's record (its triples and set-aside triples, packed), by
    article id, in order."""

    triples: dict[str, list[Triple]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # article id -> where it was read
    rejected: dict[str, list[Triple]] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    unchanged: int = 0
    conforms: bool = True
    violations: list[dict[str, object]] = field(default_factory=list)
    done: int = 0  # inputs handled, articles or not
    records: dict[str, Record] = field(default_factory=dict)  # what the store keeps of each article
    set_aside: dict[str, int] = field(default_factory=dict)  # triples validation set aside, by article


_state: dict[str, object] = {}


def _init(known: dict[str, str]) -> None:
    load_lexicon()
    _state["pipeline"] = Pipeline()
    _state["known"] = known


def _process(items: Sequence[RawArticle | Skipped]) -> Chunk:
    pipeline: Pipeline = _state["pipeline"]  # type: ignore[assignment]
    known: dict[str, str] = _state["known"]  # type: ignore[assignment]
    out = Chunk(done=len(items))
    for item in items:
        if isinstance(item, Skipped):
            out.skipped.append({"source": item.source, "reason": item.reason})
            continue
        try:
            doc = clean_article(item)
            if known.get(doc.id) == content_hash(doc.text):
                out.unchanged += 1
                continue
            if doc.id in out.triples:
                out.skipped.append({"source": item.source, "reason": "the same article was read already"})
                continue
            doc = pipeline(doc)
        except KgError as exc:
            out.skipped.append({"source": item.source, "reason": str(exc)})
            continue
        except (ValueError, LookupError, ArithmeticError, RecursionError, MemoryError) as exc:
            # a fault of kg's own on one article: the others are built, and this one is named
            out.skipped.append({"source": item.source, "reason": f"kg could not extract from it ({type(exc).__name__}: "
                                f"{exc}); please report this article"})
            continue
        out.triples[doc.id] = list(doc_triples(doc))
        out.sources[doc.id] = item.source
    if out.triples:
        _validate(out)
    for doc_id, triples in out.triples.items():
        rejected = out.rejected.get(doc_id, [])
        out.records[doc_id] = encode(doc_id, triples, rejected)
        out.set_aside[doc_id] = len(rejected)
    out.triples, out.rejected = {}, {}  # the records hold them: nothing more to send back
    return out


def _graph(per_article: dict[str, list[Triple]]) -> Graph:
    """The chunk's entities and facts, without their provenance (assertions and evidence: four fifths of the
    triples and of SHACL's time, and written by construction — tests/test_graph.py validates them whole)."""
    g = Graph()
    g.addN((s, p, o, g) for triples in per_article.values() for skip in (provenance_nodes(triples),)
           for s, p, o in triples if s not in skip)  # (a third faster than add, one by one)
    return g


def _sentences(per_article: dict[str, list[Triple]]) -> Callable[[Node, Node, Node], list[str]]:
    """The evidence sentences of a fact, looked up in the articles' triples (only when something is wrong)."""
    def of(s: Node, p: Node, o: Node) -> list[str]:
        found = []
        for triples in per_article.values():
            nodes = {a for a, pred, obj in triples if pred == RDF.subject and obj == s}
            known = set(triples) if nodes else set()
            nodes = {a for a in nodes if (a, RDF.predicate, p) in known and (a, RDF.object, o) in known}
            evidence = {e for a, pred, e in triples if a in nodes and pred == KG.evidence}
            found += [str(text) for e, pred, text in triples if e in evidence and pred == KG.evidenceText]
        return found
    return of


def _validate(out: Chunk) -> None:
    """Validate the chunk's articles together; set aside what breaks a shape, and check what is left."""
    conforms, violations = validate_graph(_graph(out.triples), inplace=True, sentences=_sentences(out.triples))
    if violations:
        out.rejected = set_aside(out.triples, violations)
        conforms, remaining = validate_graph(_graph(out.triples), inplace=True, sentences=_sentences(out.triples))
        violations += remaining
    out.conforms = conforms
    out.violations = [{"node": v.focus, "path": v.path, "value": v.value, "rule": v.message,
                       "evidence": list(v.evidence), "triples": [list(t) for t in v.triples]} for v in violations]


def _chunks(items: Iterable[RawArticle | Skipped]) -> Iterator[list[RawArticle | Skipped]]:
    it = iter(items)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def process_chunks(items: Iterable[RawArticle | Skipped], known: dict[str, str], jobs: int = 1) -> Iterator[Chunk]:
    """Extract and validate ``items`` chunk by chunk, in ``jobs`` processes; chunks come in input order. The
    items are read as they are needed — a few chunks per worker in flight, never the whole input."""
    it = iter(items)
    head = list(islice(it, _PARALLEL_FROM))
    if jobs <= 1 or len(head) < _PARALLEL_FROM:
        _init(known)
        for chunk in _chunks(chain(head, it)):
            yield _process(chunk)
        return
    window = threading.BoundedSemaphore(2 * jobs)  # chunks handed to the pool and not yet given back
    stop = threading.Event()

    def fed() -> Iterator[list[RawArticle | Skipped]]:  # runs in the pool's feeder thread
        for chunk in _chunks(chain(head, it)):
            while not window.acquire(timeout=0.1):
                if stop.is_set():
                    return
            if stop.is_set():
                return
            yield chunk

    ctx = mp.get_context("spawn")  # each worker loads its own Kiwi; nothing native is shared across a fork
    with ctx.Pool(jobs, initializer=_init, initargs=(known,)) as pool:
        try:
            for result in pool.imap(_process, fed()):
                window.release()
                yield result
        finally:
            stop.set()  # a feeder waiting for room lets go, so that the pool can be closed
