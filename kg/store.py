"""A graph in Oxigraph: SPARQL, dumps, and the terms between Oxigraph and rdflib.

The resolved union of a kg store (kg/view.py) is one (``DIR/view/union``); a graph file read for a query is
another, in memory. ``Store(path)`` keeps it on disk (``path/db``), ``Store()`` makes a temporary one that is
deleted on ``close()``. On-disk order is fixed by content, so the dumps are byte-identical whatever the order
triples were added in. Oxigraph was chosen by measurement (benchmarks/store_choice.py). Oxigraph's terms stay
within the store's modules — this one, kg/archive.py (the articles' records), kg/resolved.py and
kg/view.py; everything else sees rows of strings and rdflib terms.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError, StoreError
from .limits import check_query
from .rdf import PREFIXES, Triple
from .results import Answer, Term
from .storefiles import Folder

__all__ = ["OxTriple", "Row", "Store", "graph_answer", "rdflib_term", "rows_answer", "syntax_error", "to_ox"]

OxTriple = tuple[Any, Any, Any]  # (subject, predicate, object) as Oxigraph's terms

Row = tuple[str | None, ...]
_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD,
            "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS}
_RDF_OUT = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "ntriples": ox.RdfFormat.N_TRIPLES,
            "rdfxml": ox.RdfFormat.RDF_XML}
_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(term: Node) -> Any:
    """An rdflib term as Oxigraph's: a NamedNode, BlankNode or Literal (a Quad's positions take different
    subsets)."""
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


def rdflib_term(term: object) -> Node:
    """An Oxigraph term as rdflib's."""
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


def rows_answer(variables: Iterable[Any], solutions: Iterable[Any], limit: int | None) -> Answer:
    """A SELECT's answer from Oxigraph's solutions (of a store, or parsed from a server's results): at most
    ``limit`` rows, and whether there were more."""
    names = tuple(v.value for v in variables)
    width = range(len(names))
    kept = list(itertools.islice(solutions, limit if limit is None else limit + 1))
    rows = tuple(tuple(None if sol[i] is None else _term(sol[i]) for i in width) for sol in kept[:limit])
    return Answer("select", names, rows, truncated=limit is not None and len(kept) > limit, limit=limit)


def graph_answer(triples: Iterator[Any], limit: int | None, graph_format: str, prefixes: Mapping[str, str]
                 ) -> Answer:
    """A CONSTRUCT or DESCRIBE answer: at most ``limit`` triples written in ``graph_format``."""
    head = list(itertools.islice(triples, limit)) if limit is not None else list(triples)
    cut = limit is not None and next(triples, None) is not None
    data = ox.serialize(head, format=_RDF_OUT[graph_format], prefixes=dict(prefixes))
    return Answer("graph", graph=data or b"", graph_format=graph_format, truncated=cut, limit=limit)


def syntax_error(exc: SyntaxError) -> QueryError:
    """Oxigraph's syntax error as kg's, with the line and column it names."""
    message = str(exc)
    where = _POSITION.match(message)
    if where:
        return QueryError(message[where.end():], line=int(where[1]), column=int(where[2]))
    return QueryError(message)


class Store(Folder):
    """kg's graph in Oxigraph. ``Store(path)`` opens (or creates) the store in the folder ``path``;
    ``Store()`` is a temporary store, removed by ``close()``. Use it as a context manager."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._read_only = False
        try:
            self.open_folder(path, "store")
            self._db = ox.Store(str(self.path / "db"))
        except (OSError, ValueError) as exc:
            self.close_folder()
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
            self.close_folder()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._db)

    def flush(self) -> None:
        try:
            self._db.flush()
        except OSError as exc:
            raise StoreError(f"cannot write the store at {self.path}: {exc}; free some space and build again "
                             "(the articles already in the store are kept)") from exc

    def add_triples(self, triples: Iterable[Triple]) -> None:
        """Add triples (rdflib terms) to the default graph."""
        self._db.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in triples)

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
                return rows_answer(result.variables, result, limit)
            return graph_answer(iter(result), limit, graph_format, prefixes)
        except SyntaxError as exc:
            raise syntax_error(exc) from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {exc}") from exc

    def triples(self, graph: str | None = None) -> Iterator[tuple[Node, Node, Node]]:
        """Triples of one named graph, or of the default graph, as rdflib terms."""
        g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        for q in self._db.quads_for_pattern(None, None, None, g):
            yield rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)

    def to_rdflib(self) -> Graph:
        """The default graph (a resolved store's union) as an rdflib Graph, for small graphs and notebooks."""
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for t in self.triples():
            g.add(t)
        return g

    def _delete(self, triples: list[tuple[Any, Any, Any]], graph: ox.NamedNode | None) -> None:
        """Delete triples from a named graph (or the default graph), a few thousand per SPARQL update."""
        for i in range(0, len(triples), 5000):
            body = " .\n".join(f"{s} {p} {o}" for s, p, o in triples[i : i + 5000])
            self._db.update(f"DELETE DATA {{ GRAPH {graph} {{ {body} }} }}" if graph else f"DELETE DATA {{ {body} }}")

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
