"""The persistent store behind one seam: the only module that imports pyoxigraph.

An Oxigraph database on disk holds one named graph per article (``graph/<article id>``), exactly the triples
that article contributes. Adding an article replaces its graph, so building the same articles again changes
nothing; removing an article drops its graph, so a fact stays only while some article still supports it.
Oxigraph was chosen by measurement (benchmarks/store_choice.py): on a synthetic graph shaped like kg's, it
loads, answers and adds far faster than rdflib in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from .errors import StoreError
from .ontology import ID, KG
from .rdf import Triple, bind_prefixes, graph_iri

__all__ = ["Store"]

_GRAPH_PREFIX = str(ID) + "graph/"


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
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
        plain = dt == "http://www.w3.org/2001/XMLSchema#string"
        return Literal(term.value, datatype=None if plain else URIRef(dt))
    raise StoreError(f"unexpected term in the store: {term!r}")


class Store:
    """kg's graph on disk. ``Store(path)`` opens the database in ``path``, creating it if needed."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._db = ox.Store(str(self.path))
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc

    def articles(self) -> dict[str, str]:
        """Article id -> content hash, for every article in the store."""
        query = f"""SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?a a <{KG.Article}> ; <{KG.contentHash}> ?h }} }}"""
        out = {}
        for row in self._db.query(query):
            graph, digest = row["g"].value, row["h"].value
            if graph.startswith(_GRAPH_PREFIX):
                out[graph[len(_GRAPH_PREFIX) :]] = digest
        return out

    def put_article(self, doc_id: str, triples: Iterable[Triple]) -> None:
        """Store an article's triples as its graph, replacing what it had. The new triples go in as one
        transaction after the old graph is dropped; if interrupted between the two, the article is simply
        absent, and the next build adds it again."""
        graph = ox.NamedNode(str(graph_iri(doc_id)))
        quads = [ox.Quad(_ox(s), _ox(p), _ox(o), graph) for s, p, o in sorted(set(triples))]  # type: ignore[arg-type]
        self._db.remove_graph(graph)
        self._db.extend(quads)

    def remove_article(self, doc_id: str) -> bool:
        """Drop an article's graph; False when the store does not have it."""
        graph = ox.NamedNode(str(graph_iri(doc_id)))
        if not self._db.contains_named_graph(graph):
            return False
        self._db.remove_graph(graph)
        return True

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node]]:
        for q in self._db.quads_for_pattern(None, None, None, None):
            yield _rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object), _rdflib(q.graph_name)

    def dataset(self) -> Dataset:
        """The whole store as an rdflib Dataset (for validation and the exports), graphs in sorted order."""
        ds = Dataset()
        bind_prefixes(ds)
        for s, p, o, g in sorted(self.quads()):
            ds.graph(g).add((s, p, o))  # type: ignore[arg-type]
        return ds

    def flush(self) -> None:
        self._db.flush()

    def __len__(self) -> int:
        return len(self._db)
