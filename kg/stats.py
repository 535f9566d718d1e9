"""What a graph holds: articles, entities by class, relations by predicate, merges and kept-apart
namesakes, memberships, and the entities the most articles mention."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from .ontology import KG
from .store import Store

__all__ = ["ENTITY_CLASSES", "RELATION_PREDICATES", "file_stats", "graph_stats", "store_stats", "tallies"]

RELATION_PREDICATES = ("attended", "organizer", "demanded", "affiliation", "jobTitle", "location", "startDate",
                       "stated", "mentions", "publisher", "author")
ENTITY_CLASSES = ("Person", "Organization", "Company", "GovernmentAgency", "Association", "ResearchInstitute",
                  "Legislature", "PoliticalParty", "MediaOutlet", "University", "Meeting", "Place", "Policy",
                  "Quote", "Article")
_NS = str(KG._NS)
_PREFIX = (f"PREFIX kg: <{_NS}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
           "PREFIX org: <http://www.w3.org/ns/org#> ")


def _local(iri: str | None) -> str:
    return (iri or "").rsplit("#", 1)[-1]


def _counts(rows: Iterable[tuple[str | None, ...]], known: tuple[str, ...]) -> dict[str, int]:
    out = {_local(k): int(n or 0) for k, n in rows if k and k.startswith(_NS) and _local(k) in known}
    return dict(sorted(out.items()))


def tallies(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    """A graph's entities by class and relations by predicate (its default graph)."""
    classes = " ".join(f"kg:{c}" for c in ENTITY_CLASSES)
    preds = " ".join(f"kg:{p}" for p in RELATION_PREDICATES)
    entities = _counts(store.select(_PREFIX + f"SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?t "
                                              f"VALUES ?t {{ {classes} }} }} GROUP BY ?t"), ENTITY_CLASSES)
    relations = _counts(store.select(_PREFIX + f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o "
                                               f"VALUES ?p {{ {preds} }} }} GROUP BY ?p"), RELATION_PREDICATES)
    return entities, relations


def store_stats(store: Store, top: int = 10) -> dict[str, Any]:
    """The counts of a resolved store's graph (its default graph, the union of the articles), and the ``top``
    entities the most articles mention (none for ``top=0``)."""
    entities, relations = tallies(store)
    merges = {rule or "": int(n or 0) for rule, n in store.select(
        _PREFIX + "SELECT ?r (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kg:Merge ; kg:rule ?r } GROUP BY ?r ORDER BY ?r")}
    (apart,), = store.select(_PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?d a kg:Distinction }")
    (members,), = store.select(_PREFIX + "SELECT (COUNT(*) AS ?n) WHERE { ?m a org:Membership }")
    most = [{"entity": e, "label": label, "articles": int(n or 0)} for e, label, n in store.select(
        _PREFIX + "SELECT ?e (MIN(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a kg:mentions ?e . "
                  f"?e rdfs:label ?l }} GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT {int(top)}")] if top > 0 else []
    return {"articles": entities.get("Article", 0), "entities": entities, "relations": relations,
            "merges": merges, "kept_apart": int(apart or 0), "memberships": int(members or 0),
            "most_mentioned": most}


def graph_stats(g: Graph | Dataset, top: int = 10) -> dict[str, Any]:
    """``store_stats`` of an rdflib graph (every named graph of a Dataset counted once, as their union)."""
    triples = ((s, p, o) for s, p, o, _c in g.quads((None, None, None, None))) if isinstance(g, Dataset) else g
    with Store() as store:
        store.add_triples(triples)  # type: ignore[arg-type]
        return store_stats(store, top)


def file_stats(path: str | Path, top: int = 10) -> dict[str, Any]:
    """``store_stats`` of a graph file (Turtle, TriG, JSON-LD, N-Triples, N-Quads), read by Oxigraph."""
    from .query import graph_format

    with Store() as store:
        store.load(path, graph_format(Path(path)))
        return store_stats(store, top)
