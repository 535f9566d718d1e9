"""Loading the graph into a running Neo4j: the only module that imports the Neo4j driver.

Uniqueness constraints first, then nodes and relationships in batches of ``UNWIND $rows … MERGE``: every value
travels as a query parameter, and the only names written into the Cypher text are labels and relationship
types from kg's closed vocabulary (checked against it). Loading again changes nothing; loading a bigger graph
adds what is new, and removes the nodes of identifiers that resolution has since merged into another
(``owl:sameAs``), whose facts now stand on that one. Node labels: ``Entity`` plus the class
(``:Organization:Company`` for a subclass of Organization); relationship types: the predicates in upper case
(``ATTENDED``, ``DEMANDED``, …), with the evidence of the earliest article as properties (article, source,
published, sentence, start, end, extractor, confidence, speechAct) and ``evidenceCount``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

from .errors import KgError, Neo4jLoadError
from .export.graphview import CLASSES, GraphView, graph_view
from .export.neo4j import neo4j_labels, node_properties, rel_properties, rel_type
from .query import open_source
from .store import Row, Store
from .view import View

__all__ = ["LoadReport", "load_neo4j", "source_graph"]

_NAME = re.compile(r"^[A-Z][A-Za-z_]*$")
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass
class LoadReport:
    uri: str
    nodes: int = 0
    relationships: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    pruned_nodes: int = 0
    pruned_relationships: int = 0


class _SourceView:
    """What graph_view reads (``select``, a cache and its lock) over an open store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.cache: dict[str, object] = {}
        self.lock = threading.Lock()

    def select(self, query: str) -> list[Row]:
        return list(self._store.select(query))


_SAME_AS = "SELECT DISTINCT ?old WHERE { ?old <http://www.w3.org/2002/07/owl#sameAs> ?new }"


def source_graph(source: str | Path) -> GraphView:
    """The nodes and edges of a store folder or a graph file, as the Neo4j routes see them."""
    return _read(source)[0]


def _read(source: str | Path) -> tuple[GraphView, list[str]]:
    """The graph, and the identifiers resolution replaced (owl:sameAs): a load removes those nodes, whose
    facts now stand on the entity they were merged into."""
    with open_source(source) as store:
        view = graph_view(cast(View, _SourceView(store)))
        ids = {n.id for n in view.nodes}
        gone = sorted(old for (old,) in store.select(_SAME_AS) if old and old not in ids)
    return view, gone


def _write(tx: neo4j.ManagedTransaction, statement: str, rows: list[dict[str, Any]]) -> None:
    tx.run(statement, rows=rows).consume()  # the statement is built from checked names only


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise KgError(f"{name!r} is not a label or relationship type kg writes")
    return name


def _statements(view: GraphView) -> tuple[list[str], list[tuple[str, list[dict[str, Any]]]]]:
    """The constraints, then (statement, rows) for each label set and relationship type."""
    constraints = ["CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"]
    constraints += [f"CREATE CONSTRAINT kg_{c.lower()}_id IF NOT EXISTS FOR (n:{_checked(c)}) REQUIRE n.id IS UNIQUE"
                    for c in sorted({n.type for n in view.nodes}) if c in CLASSES]
    work: list[tuple[str, list[dict[str, Any]]]] = []
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for n in view.nodes:
        by_labels.setdefault(tuple(neo4j_labels(n.type)[1:]), []).append(node_properties(n))
    for labels, rows in sorted(by_labels.items()):
        text = ":".join(_checked(label) for label in labels)
        work.append((f"UNWIND $rows AS row MERGE (n:Entity {{id: row.id}}) SET n += row, n:{text}", rows))
    by_type: dict[str, list[dict[str, Any]]] = {}
    for e in view.edges:
        by_type.setdefault(rel_type(e.predicate), []).append({"s": e.source, "t": e.target, "p": rel_properties(e)})
    for rtype, rows in sorted(by_type.items()):
        work.append((f"UNWIND $rows AS row MATCH (a:Entity {{id: row.s}}) MATCH (b:Entity {{id: row.t}}) "
                     f"MERGE (a)-[r:{_checked(rtype)}]->(b) SET r += row.p", rows))
    return constraints, work


def _prune(session: neo4j.Session, view: GraphView) -> tuple[int, int]:
    """Delete kg's nodes and relationships the graph no longer has; (nodes, relationships) deleted."""
    ids = [n.id for n in view.nodes]
    summary = session.run("MATCH (n:Entity) WHERE NOT n.id IN $ids DETACH DELETE n", ids=ids).consume()
    nodes, rels = summary.counters.nodes_deleted, summary.counters.relationships_deleted
    keys: dict[str, list[str]] = {}
    for e in view.edges:
        keys.setdefault(rel_type(e.predicate), []).append(f"{e.source} {e.target}")  # IRIs hold no space
    found = [r["t"] for r in session.run("MATCH (:Entity)-[r]->(:Entity) RETURN DISTINCT type(r) AS t")]
    for rtype in found:
        if _NAME.match(rtype):
            summary = session.run(f"MATCH (a:Entity)-[r:{rtype}]->(b:Entity) WHERE NOT a.id + ' ' + b.id IN $keys "
                                  "DELETE r", keys=keys.get(rtype, [])).consume()
            rels += summary.counters.relationships_deleted
    return nodes, rels


def load_neo4j(source: str | Path, uri: str, user: str, password: str, *, database: str | None = None,
               batch: int = 2000, prune: bool = False,
               on_progress: Callable[[int, int], None] | None = None) -> LoadReport:
    """Write the graph of ``source`` (a store folder or a graph file) into the Neo4j at ``uri``. With
    ``prune``, also delete kg's nodes (label Entity) and their relationships that the graph no longer has, so
    that the database mirrors it (after `kg remove`, or a correction that splits an entity)."""
    start = time.perf_counter()
    if uri.split("://", 1)[0] not in _SCHEMES:
        raise Neo4jLoadError(f"{uri}: not a Bolt address; write bolt://HOST:7687 or neo4j://HOST:7687 "
                             f"(schemes: {', '.join(_SCHEMES)})")
    try:
        parts = urlsplit(uri)
        port = parts.port  # a port that is not a number raises here
    except ValueError as exc:
        raise Neo4jLoadError(f"{uri}: not a Neo4j address ({exc}); write bolt://HOST:7687") from None
    if not parts.hostname or port == 0:
        raise Neo4jLoadError(f"{uri}: no host; write bolt://HOST:7687")
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
    except (ConfigurationError, ValueError) as exc:
        raise Neo4jLoadError(f"{uri}: not a Neo4j address ({exc}); write bolt://HOST:7687 or neo4j://HOST:7687") \
            from exc
    report = LoadReport(uri)
    try:
        driver.verify_connectivity()  # before reading the graph: a wrong address or password fails at once
        view, gone = _read(source)
        constraints, work = _statements(view)
        work.append(("UNWIND $rows AS row MATCH (n:Entity {id: row.id}) DETACH DELETE n",
                     [{"id": old} for old in gone]))
        total, done = sum(len(rows) for _s, rows in work), 0
        with driver.session(database=database) as session:
            for statement in constraints:
                session.run(statement).consume()
            for statement, rows in work:
                for chunk in _batches(rows, batch):
                    session.execute_write(_write, statement, chunk)
                    done += len(chunk)
                    if on_progress:
                        on_progress(done, total)
            if prune:
                report.pruned_nodes, report.pruned_relationships = _prune(session, view)
    except AuthError as exc:
        raise Neo4jLoadError(f"Neo4j at {uri} refused the credentials of user {user!r}: check --user and --password "
                             "(or NEO4J_PASSWORD)") from exc
    except (ServiceUnavailable, ValueError, OSError) as exc:  # DNS, sockets: the address is wrong or down
        raise Neo4jLoadError(f"cannot reach Neo4j at {uri}: is it running, and is that its Bolt address and port? "
                             f"({exc})") from exc
    except Neo4jError as exc:
        raise Neo4jLoadError(f"Neo4j at {uri} refused a statement: {exc.message or exc}") from exc
    finally:
        driver.close()
    for n in view.nodes:
        report.labels[n.type] = report.labels.get(n.type, 0) + 1
    for e in view.edges:
        t = rel_type(e.predicate)
        report.types[t] = report.types.get(t, 0) + 1
    report.nodes, report.relationships = len(view.nodes), len(view.edges)
    report.seconds = time.perf_counter() - start
    return report
