"""Counts of a graph: entities by class, relations by predicate."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Dataset, Graph

from .ontology import KG

__all__ = ["RELATION_PREDICATES", "graph_stats"]

RELATION_PREDICATES = ("attended", "organizer", "demanded", "affiliation", "jobTitle", "location", "startDate",
                       "stated", "mentions", "publisher", "author")
_ENTITY_CLASSES = ("Person", "Organization", "Company", "GovernmentAgency", "Association", "ResearchInstitute",
                   "Legislature", "PoliticalParty", "MediaOutlet", "University", "Meeting", "Place", "Policy",
                   "Quote", "Article")


def graph_stats(g: Graph | Dataset) -> dict[str, dict[str, int]]:
    triples = set(g.quads((None, None, None, None))) if isinstance(g, Dataset) else set(g)
    spo = {(t[0], t[1], t[2]) for t in triples}
    ns = str(KG._NS)
    entities: Counter[str] = Counter()
    for _s, p, o in spo:
        if p == RDF.type and str(o).startswith(ns) and str(o)[len(ns):] in _ENTITY_CLASSES:
            entities[str(o)[len(ns):]] += 1
    relations: Counter[str] = Counter()
    for _s, p, _o in spo:
        if str(p).startswith(ns) and str(p)[len(ns):] in RELATION_PREDICATES:
            relations[str(p)[len(ns):]] += 1
    return {"entities": dict(sorted(entities.items())), "relations": dict(sorted(relations.items()))}
