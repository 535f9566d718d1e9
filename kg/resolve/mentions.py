"""What resolution reads: every entity as each article knows it (a *mention*), with the facts that tell
two mentions apart or together, read from the store's article graphs in a few SPARQL queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..ontology import ID, KG
from ..store import Store

__all__ = ["ORG_TYPES", "Mention", "MentionKey", "read_mentions"]

MentionKey = tuple[str, str]  # (article graph IRI, the article's IRI for the entity)
ORG_TYPES = ("Company", "GovernmentAgency", "Association", "ResearchInstitute", "Legislature", "PoliticalParty",
             "MediaOutlet", "University", "Organization")  # most specific first; Organization last
_RESOLVED = ("Person", *ORG_TYPES, "Meeting", "Place", "Policy")
_FACTS = ("affiliation", "formerAffiliation", "jobTitle", "attended", "organizer", "location", "startDate",
          "startDay")
_GRAPHS = str(ID) + "graph/"
_REJECTED = _GRAPHS + "rejected/"
_NS = str(KG._NS)
_PREFIX = f"PREFIX kg: <{_NS}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " \
          "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "


@dataclass
class Mention:
    """One entity in one article: its class, names, the article's date, and its facts there."""

    graph: str
    iri: str
    type: str
    label: str
    article: str = ""  # the Article IRI
    published: str | None = None  # the article's publication date, ISO
    aliases: set[str] = field(default_factory=set)
    facts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # predicate -> objects
    inverse: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # predicate -> subjects

    @property
    def key(self) -> MentionKey:
        return (self.graph, self.iri)

    @property
    def names(self) -> list[str]:
        return [self.label, *sorted(self.aliases - {self.label})]

    @property
    def is_org(self) -> bool:
        return self.type in ORG_TYPES

    @property
    def kind(self) -> str:
        """Person, Organization, Meeting, Place or Policy: what may be merged with what."""
        return "Organization" if self.is_org else self.type


def _local(iri: str) -> str:
    return iri[len(_NS):] if iri.startswith(_NS) else ""


def read_mentions(store: Store) -> list[Mention]:
    """Every Person, Organization, Meeting, Place and Policy of every article graph, in a stable order."""
    by_key: dict[MentionKey, Mention] = {}
    types: dict[MentionKey, str] = {}
    for g, e, t, label in store.select(_PREFIX + "SELECT ?g ?e ?t ?l WHERE { GRAPH ?g { ?e a ?t ; rdfs:label ?l } }"):
        assert g and e and t and label is not None
        name = _local(t)
        if name not in _RESOLVED or not g.startswith(_GRAPHS) or g.startswith(_REJECTED):
            continue
        cur = types.get((g, e))
        if cur is None or _RESOLVED.index(name) < _RESOLVED.index(cur):
            types[(g, e)] = name
        if (g, e) not in by_key:
            by_key[(g, e)] = Mention(g, e, name, label)
        else:  # two labels in one article (should not happen): keep the smaller, the other is an alias
            m = by_key[(g, e)]
            m.label, other = sorted((m.label, label))
            m.aliases.add(other)
    for key, name in types.items():
        by_key[key].type = name
    in_graph: dict[str, list[Mention]] = defaultdict(list)
    for m in by_key.values():
        in_graph[m.graph].append(m)
    for g, art, day in store.select(_PREFIX + "SELECT ?g ?a ?d WHERE { GRAPH ?g { ?a a kg:Article . "
                                              "OPTIONAL { ?a kg:datePublished ?d } } }"):
        for m in in_graph.get(g or "", []):
            m.article, m.published = art or "", day
    for g, e, alias in store.select(_PREFIX + "SELECT ?g ?e ?a WHERE { GRAPH ?g { ?e skos:altLabel ?a } }"):
        if (g, e) in by_key:
            by_key[(g, e)].aliases.add(alias or "")  # type: ignore[index]
    values = " ".join(f"kg:{p}" for p in _FACTS)
    for g, s, p, o in store.select(_PREFIX + f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                                             f"VALUES ?p {{ {values} }} }}"):
        assert g and s and p and o is not None
        pred = _local(p)
        if (g, s) in by_key:
            by_key[(g, s)].facts[pred].add(o)
        if (g, o) in by_key:
            by_key[(g, o)].inverse[pred].add(s)
    for m in by_key.values():
        m.aliases.discard(m.label)
        m.aliases.discard("")
    return sorted(by_key.values(), key=lambda m: m.key)
