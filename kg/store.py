"""The graph on disk behind one seam: the only module that imports pyoxigraph.

An Oxigraph database holds one named graph per article (``graph/<article id>``) with exactly the triples that
article contributes, under the article's own identifiers, and the triples SHACL set aside in
``graph/rejected/<article id>``. Adding an article replaces its graphs, so building the same articles again
changes nothing; removing one drops them, so a fact stays only while some article still supports it.

Every build goes through a store: ``Store(path)`` keeps it on disk (``path/db``), ``Store()`` makes a temporary
one that is deleted on ``close()``. On-disk order is fixed by content, so the dumps are byte-identical whatever
the order articles were added in. Oxigraph was chosen by measurement (benchmarks/store_choice.py).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError, StoreError
from .limits import check_query
from .ontology import ID, KG
from .rdf import PREFIXES, Triple, graph_iri, rejected_iri
from .results import Answer, Term
from .storefiles import take_lock, temporary_folder

__all__ = ["Row", "Store"]

Row = tuple[str | None, ...]
_GRAPH = str(ID) + "graph/"
_REJECTED = str(ID) + "graph/rejected/"
_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD,
            "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS}
_RDF_OUT = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "ntriples": ox.RdfFormat.N_TRIPLES,
            "rdfxml": ox.RdfFormat.RDF_XML}
_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"


def _ox(term: Node) -> Any:  # a NamedNode, BlankNode or Literal: Quad's positions take different subsets
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store the term {term!r}")


def _rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    raise StoreError(f"unexpected term in the store: {term!r}")


def _term(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.Literal):
        return Term.literal(term.value, term.language, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    return Term("literal", str(term))  # an RDF-star triple term: shown in its N-Triples form


class Store:
    """kg's graph in Oxigraph. ``Store(path)`` opens (or creates) the store in the folder ``path``;
    ``Store()`` is a temporary store, removed by ``close()``. Use it as a context manager."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._tmp = None if path is not None else temporary_folder("store")
        self._read_only = False
        self._lock: int | None = None
        self.path = Path(path if path is not None else self._tmp)  # type: ignore[arg-type]
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            if path is not None:
                self._lock = take_lock(self.path)
            self._db = ox.Store(str(self.path / "db"))
        except (OSError, ValueError) as exc:
            self._release()
            raise StoreError(f"cannot open the store at {self.path}: {exc} (is it a folder kg may write?)") from exc

    @classmethod
    def open(cls, path: str | Path | None, *, read_only: bool = False) -> Store:
        """A store to read: the one in the folder ``path`` (``read_only``: while no build writes it; several
        processes may read it at once), or, with no path, an empty one in memory (to load a graph file)."""
        self = cls.__new__(cls)
        self._tmp, self._read_only = None, read_only
        self.path = Path(path) if path is not None else Path()
        if path is None:
            self._db = ox.Store()
            return self
        if not (self.path / "db").is_dir():
            raise StoreError(f"{self.path}: no store here (make one with `kg build --store {self.path}`)")
        try:
            self._db = ox.Store.read_only(str(self.path / "db")) if read_only else ox.Store(str(self.path / "db"))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc
        return self

    @property
    def temporary(self) -> bool:
        return self._tmp is not None

    def close(self) -> None:
        try:
            if not self._read_only and hasattr(self, "_db"):
                self._db.flush()
        except OSError as exc:  # a full disk: what the store held before stays, what this run added may not
            raise StoreError(f"cannot write the store at {self.path}: {exc}; free some space and build again "
                             "(the articles already in the store are kept; the rest are added then)") from exc
        finally:
            if hasattr(self, "_db"):
                del self._db
            if self._tmp:
                shutil.rmtree(self._tmp, ignore_errors=True)
            self._release()

    def _release(self) -> None:
        if getattr(self, "_lock", None) is not None:
            os.close(self._lock)  # type: ignore[arg-type]
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._db)

    # ---- articles

    def articles(self) -> dict[str, str]:
        """Article id -> content hash, for every article in the store."""
        query = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?a a <{KG.Article}> ; <{KG.contentHash}> ?h }} }}"
        return {g[len(_GRAPH):]: h for g, h in self.select(query)
                if g and h and g.startswith(_GRAPH) and not g.startswith(_REJECTED)}

    def put_article(self, doc_id: str, triples: Iterable[Triple], rejected: Iterable[Triple] = ()) -> None:
        """Store an article's triples (and those set aside) as its graphs, replacing what it had. The new
        triples go in as one transaction after the old graphs are dropped; if interrupted between the two,
        the article is simply absent, and the next build adds it again."""
        graph, rejected_graph = ox.NamedNode(str(graph_iri(doc_id))), ox.NamedNode(str(rejected_iri(doc_id)))
        quads = [ox.Quad(_ox(s), _ox(p), _ox(o), graph) for s, p, o in triples]
        quads += [ox.Quad(_ox(s), _ox(p), _ox(o), rejected_graph) for s, p, o in rejected]
        try:
            self._db.remove_graph(graph)
            self._db.remove_graph(rejected_graph)
            self._db.extend(quads)
        except OSError as exc:
            raise StoreError(f"cannot write the store at {self.path}: {exc}; free some space and build again "
                             "(the articles already in the store are kept)") from exc

    def remove_article(self, doc_id: str) -> bool:
        """Drop an article's graphs; False when the store does not have it."""
        graph = ox.NamedNode(str(graph_iri(doc_id)))
        if not self._db.contains_named_graph(graph):
            return False
        self._db.remove_graph(graph)
        self._db.remove_graph(ox.NamedNode(str(rejected_iri(doc_id))))
        return True

    def flush(self) -> None:
        try:
            self._db.flush()
        except OSError as exc:
            raise StoreError(f"cannot write the store at {self.path}: {exc}; free some space and build again "
                             "(the articles already in the store are kept)") from exc

    def add_triples(self, triples: Iterable[Triple]) -> None:
        """Add triples (rdflib terms) to the default graph."""
        self._db.bulk_extend(ox.Quad(_ox(s), _ox(p), _ox(o), ox.DefaultGraph()) for s, p, o in triples)

    def load(self, path: str | Path, fmt: str) -> None:
        """Add a graph file's triples (every named graph's too) to the default graph."""
        try:
            parsed = ox.parse(path=str(path), format=_FORMATS[fmt])
            self._db.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in parsed)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{path}: cannot read as {fmt}: {exc}") from exc

    # ---- reading

    def select(self, query: str) -> Iterator[Row]:
        """Rows of a SPARQL SELECT, each value as a plain string (an IRI, or a literal's lexical form)."""
        try:
            solutions = self._db.query(query)
        except (SyntaxError, OSError, ValueError) as exc:
            raise QueryError(f"SPARQL error: {exc}") from exc
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        width = len(solutions.variables)
        for sol in solutions:
            yield tuple(None if sol[i] is None else sol[i].value for i in range(width))

    def query(self, text: str, *, prefixes: Mapping[str, str] | None = None, limit: int | None = None,
              graph_format: str = "turtle") -> Answer:
        """Run a SPARQL query (kg's prefixes declared unless ``prefixes`` says otherwise). At most ``limit`` rows
        (or triples) are kept, and the answer says when there were more. A CONSTRUCT or DESCRIBE answer is
        written in ``graph_format`` (turtle, jsonld, ntriples, rdfxml). Errors carry the line and column."""
        prefixes = PREFIXES if prefixes is None else prefixes
        check_query(text)  # before Oxigraph's parser, which a deeply nested query would crash
        try:
            result = self._db.query(text, prefixes=dict(prefixes))
            if isinstance(result, ox.QueryBoolean):
                return Answer("ask", boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                names = tuple(v.value for v in result.variables)
                width = range(len(names))
                kept = list(itertools.islice(result, limit if limit is None else limit + 1))
                cut = limit is not None and len(kept) > limit
                rows = tuple(tuple(None if sol[i] is None else _term(sol[i]) for i in width)
                             for sol in kept[:limit])
                return Answer("select", names, rows, truncated=cut, limit=limit)
            triples = iter(result)
            head = list(itertools.islice(triples, limit)) if limit is not None else list(triples)
            cut = limit is not None and next(triples, None) is not None
            data = ox.serialize(head, format=_RDF_OUT[graph_format], prefixes=dict(prefixes))
            return Answer("graph", graph=data or b"", graph_format=graph_format, truncated=cut, limit=limit)
        except SyntaxError as exc:
            message = str(exc)
            where = _POSITION.match(message)
            if where:
                raise QueryError(message[where.end():], line=int(where[1]), column=int(where[2])) from exc
            raise QueryError(message) from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {exc}") from exc

    def triples(self, graph: str | None = None) -> Iterator[tuple[Node, Node, Node]]:
        """Triples of one named graph, or of the default graph, as rdflib terms."""
        g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        for q in self._db.quads_for_pattern(None, None, None, g):
            yield _rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)

    def to_rdflib(self) -> Graph:
        """The default graph (a resolved store's union) as an rdflib Graph, for small graphs and notebooks."""
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for t in self.triples():
            g.add(t)
        return g

    def rejected(self) -> Iterator[tuple[Node, Node, Node]]:
        """Every triple set aside by validation, over all articles."""
        for g in sorted(n.value for n in self._db.named_graphs() if n.value.startswith(_REJECTED)):
            yield from self.triples(g)

    # ---- resolved copies and dumps

    def _renamed(self, graph: ox.NamedNode | None, shared: Mapping[str, str],
                 per_graph: Mapping[str, Mapping[str, str]], labels: Mapping[str, str]) -> Iterator[ox.Quad]:
        """The article graphs' quads (one graph's, or all of them) with each IRI renamed by the article's own
        map, else by ``shared``; an entity in ``labels`` keeps that rdfs:label, its others become skos:altLabel."""
        label, alt = ox.NamedNode(_RDFS_LABEL), ox.NamedNode(_SKOS_ALT)
        nodes: dict[str, ox.NamedNode] = {}
        empty: Mapping[str, str] = {}

        def renamed(term: ox.NamedNode, local: Mapping[str, str]) -> ox.NamedNode:
            new = local.get(term.value) or shared.get(term.value)
            if new is None:
                return term
            node = nodes.get(new)
            if node is None:
                node = nodes[new] = ox.NamedNode(new)
            return node

        for q in self._db.quads_for_pattern(None, None, None, graph):
            gname = q.graph_name
            if not isinstance(gname, ox.NamedNode) or gname.value.startswith(_REJECTED):
                continue
            local = per_graph.get(gname.value, empty)
            s, o = q.subject, q.object
            if isinstance(s, ox.NamedNode):
                s = renamed(s, local)
            if isinstance(o, ox.NamedNode):
                o = renamed(o, local)
            p = q.predicate
            if p == label and s.value in labels and o.value != labels[s.value]:  # type: ignore[union-attr]
                p = alt
            yield ox.Quad(s, p, o, gname)

    def copy_resolved(self, graphs: Store, union: Store, shared: Mapping[str, str],
                      per_graph: Mapping[str, Mapping[str, str]], labels: Mapping[str, str]) -> None:
        """Copy every article graph, resolved (see ``_renamed``), into ``graphs``, and their triples into
        ``union``'s default graph, with the bulk loader: for a view made from nothing."""
        quads: list[ox.Quad] = []
        triples: list[ox.Quad] = []
        default = ox.DefaultGraph()
        for q in self._renamed(None, shared, per_graph, labels):
            quads.append(q)
            triples.append(ox.Quad(q.subject, q.predicate, q.object, default))
            if len(quads) >= 100_000:
                graphs._db.bulk_extend(quads)
                union._db.bulk_extend(triples)
                quads, triples = [], []
        graphs._db.bulk_extend(quads)
        union._db.bulk_extend(triples)

    def sync_graph(self, graph: str, union: Store, new: Iterable[ox.Quad | tuple[Any, Any, Any]],
                   subjects: Iterable[str] | None = None) -> None:
        """Make the named graph ``graph`` (or, with ``subjects``, just what it says about them) hold ``new``,
        changing only what differs; keep ``union``'s default graph the union of this store's named graphs:
        a triple leaves it only when no graph has it any more."""
        g, default = ox.NamedNode(graph), ox.DefaultGraph()
        want = {(t.subject, t.predicate, t.object) if isinstance(t, ox.Quad) else t for t in new}
        if subjects is None:
            have = {(q.subject, q.predicate, q.object) for q in self._db.quads_for_pattern(None, None, None, g)}
        else:
            have = {(q.subject, q.predicate, q.object) for s in subjects
                    for q in self._db.quads_for_pattern(ox.NamedNode(s), None, None, g)}
        gone = sorted(have - want, key=str)
        self._delete(gone, g)
        orphans = [t for t in gone if next(iter(self._db.quads_for_pattern(*t, None)), None) is None]
        union._delete(orphans, None)
        added = sorted(want - have, key=str)
        self._db.extend(ox.Quad(s, p, o, g) for s, p, o in added)
        union._db.extend(ox.Quad(s, p, o, default) for s, p, o in added)

    def _delete(self, triples: list[tuple[Any, Any, Any]], graph: ox.NamedNode | None) -> None:
        """Delete triples from a named graph (or the default graph), a few thousand per SPARQL update."""
        for i in range(0, len(triples), 5000):
            body = " .\n".join(f"{s} {p} {o}" for s, p, o in triples[i : i + 5000])
            self._db.update(f"DELETE DATA {{ GRAPH {graph} {{ {body} }} }}" if graph else f"DELETE DATA {{ {body} }}")

    def resolved_graph(self, graph: str, shared: Mapping[str, str], per_graph: Mapping[str, Mapping[str, str]],
                       labels: Mapping[str, str]) -> list[ox.Quad]:
        """One article graph, resolved (see ``_renamed``)."""
        return list(self._renamed(ox.NamedNode(graph), shared, per_graph, labels))

    @staticmethod
    def terms(triples: Iterable[Triple]) -> list[tuple[Any, Any, Any]]:
        """rdflib triples as this store's terms (for ``sync_graph``)."""
        return [(_ox(s), _ox(p), _ox(o)) for s, p, o in triples]

    def dump(self, path: Path, fmt: str, *, union: bool = True) -> None:
        """Write the default graph (``union``) or the whole dataset (for a store whose default graph is empty:
        the named graphs) to ``path`` in ``fmt`` (turtle, trig, json-ld, nt, nquads), straight from Oxigraph.
        The caller makes the write atomic."""
        try:
            if union:
                self._db.dump(str(path), format=_FORMATS[fmt], from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
            else:
                self._db.dump(str(path), format=_FORMATS[fmt], prefixes=PREFIXES)
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot write {path}: {exc}") from exc
