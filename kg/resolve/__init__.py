"""Cross-article resolution: one node per real thing, every merge recorded, every decision correctable.

Articles are stored as they were read, each with its own identifiers. ``resolve(store)`` reads every
article's entities (mentions), clusters them — organisations, then people (whose organisations are now
resolved), then meetings (whose attendees are) — and returns the identifier each mention takes, the
name each merged entity goes by, and the triples that record the decisions. The exports apply it.
Resolution depends only on what the store holds and on the corrections, so the order articles came in
never changes the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..archive import Archive
from ..lexicon import norm_key
from ..ontology import ID
from ..rdf import slug
from ..store import OxTriple
from .clusters import Clusters
from .corrections import TEMPLATE, Correction, read_corrections
from .meetings import ordinal, resolve_meetings
from .mentions import Mention, MentionKey, read_mentions
from .records import decision_triples, membership_triples, memberships
from .rules import apply_corrections, org_canonical, resolve_orgs, resolve_persons

__all__ = ["ALT", "RESOLUTION_GRAPH", "TEMPLATE", "Correction", "Resolution", "ordinal", "read_corrections", "resolve"]

RESOLUTION_GRAPH = str(ID) + "graph/resolution"
ALT = "alt"  # in ``Resolution.renamed_in``: the article's rdfs:label of the entity becomes a skos:altLabel


@dataclass
class Resolution:
    """The outcome: identifiers to rename (shared by every article, or per article graph), the name each
    merged entity goes by, the decision and membership triples, and counts for the report."""

    shared: dict[str, str] = field(default_factory=dict)
    per_graph: dict[str, dict[str, str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    # graph -> (the article's IRI, the resolved one, ALT when the article's name for it is not the one it goes by)
    renamed_in: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    triples: list[OxTriple] = field(default_factory=list)  # Oxigraph's terms, as the store takes them
    merged: dict[str, int] = field(default_factory=dict)  # entities a rule or correction made of several mentions
    distinctions: int = 0
    memberships: int = 0
    notes: list[str] = field(default_factory=list)
    graph: str = RESOLUTION_GRAPH


def resolve(store: Archive, corrections: str | Path | list[Correction] | None = None) -> Resolution:
    """Resolve every entity the store's articles mention; ``corrections`` is the user's file (or its lines)."""
    notes: list[str] = []
    if corrections is None or isinstance(corrections, str | Path):
        corrections, notes = read_corrections(corrections)
    mentions = read_mentions(store)
    cl = Clusters.of(m for m in mentions if m.kind in ("Person", "Organization", "Meeting"))
    cl.notes.extend(notes)
    quals = _qualifiers(cl)
    apply_corrections(cl, corrections, ("Organization",), quals)
    resolve_orgs(cl)
    orgs = org_canonical(cl)

    def org_of(iri: str) -> str:
        return orgs[iri].iri if iri in orgs else iri

    names = {m.iri: m.label for m in orgs.values()}

    def org_label(iri: str) -> str:
        return names.get(iri) or iri.rsplit("/", 1)[-1]

    apply_corrections(cl, corrections, ("Person",), quals)
    resolve_persons(cl, org_of, org_label)
    people = _person_iris(cl, org_of, org_label)

    def canon(graph: str, iri: str) -> str:
        return people.get((graph, iri)) or org_of(iri)

    kind = {m.iri: m.type for m in mentions}
    keys: dict[str, set[str]] = defaultdict(set)  # every name of a resolved organisation or place
    for m in mentions:
        if m.is_org or m.type == "Place":
            keys[org_of(m.iri)].update(norm_key(n) for n in m.names)
    apply_corrections(cl, corrections, ("Meeting",), quals)
    resolve_meetings(cl, canon, kind.get, lambda iri: keys.get(iri, set()))
    return _outcome(cl, orgs, people, org_of)


def _qualifiers(cl: Clusters) -> Callable[[Mention], set[str]]:
    """For a mention, what ``name@qualifier`` in the corrections may narrow it by: its organisations' names
    and its titles, its dates, its article id."""
    def of(m: Mention) -> set[str]:
        out = {m.published or "", m.article.rsplit("/", 1)[-1], *m.facts["jobTitle"], *m.facts["startDate"]}
        for o in m.facts["affiliation"] | m.facts["formerAffiliation"]:
            org = cl.mentions.get((m.graph, o))
            out.update(org.names if org else ())
        return {norm_key(x) for x in out} - {""}
    return of


def _person_iris(cl: Clusters, org_of: Callable[[str], str], org_label: Callable[[str], str]) -> dict[MentionKey, str]:
    """Each person's identifier: person/<name>, or person/<name>-<organisation> where namesakes were kept
    apart (the organisation of the earliest report; person/<name>-<article> for one with none)."""
    by_name: dict[str, list[list[Mention]]] = defaultdict(list)
    for group in cl.groups("Person"):
        by_name[group[0].iri].append(group)
    out: dict[MentionKey, str] = {}
    for iri, groups in by_name.items():
        taken: set[str] = set()
        for group in groups:
            name = iri
            if len(groups) > 1:  # by the organisation it was first reported with: later articles keep it
                dated = sorted(group, key=lambda m: (m.published or "9999", m.graph))
                best = next((min(org_of(o) for o in m.facts["affiliation"] | m.facts["formerAffiliation"])
                             for m in dated if m.facts["affiliation"] | m.facts["formerAffiliation"]), None)
                suffix = slug(org_label(best)) if best else dated[0].graph.rsplit("/", 1)[-1][:8]
                name = f"{iri}-{suffix}" if f"{iri}-{suffix}" not in taken else f"{iri}-{suffix}-{len(taken)}"
            taken.add(name)
            for m in group:
                out[m.key] = name
    return out


def _outcome(cl: Clusters, orgs: dict[str, Mention], people: dict[MentionKey, str],
             org_of: Callable[[str], str]) -> Resolution:
    res = Resolution(notes=list(cl.notes))
    canonical: dict[MentionKey, str] = {}
    for group in cl.groups():
        kind = group[0].kind
        if kind == "Organization":
            best = orgs[group[0].iri]
            iri, label = best.iri, best.label
        elif kind == "Person":
            iri, label = people[group[0].key], group[0].label
        else:  # a meeting: the smallest identifier, the fullest name
            iri = min(m.iri for m in group)
            label = max((m.label for m in group), key=lambda n: (len(n) >= 6, len(n), n))
        for m in group:
            canonical[m.key] = iri
        if len({m.label for m in group}) > 1:
            res.labels[iri] = label
        for m in group:
            if m.iri == iri:
                continue
            if kind == "Person":
                res.per_graph.setdefault(m.graph, {})[m.iri] = iri
            else:
                res.shared[m.iri] = iri
    for key, iri in sorted(canonical.items()):
        alt = iri in res.labels and cl.mentions[key].label != res.labels[iri]
        if iri != key[1] or alt:  # what changes in this article's graph, and nothing else: a name chosen
            res.renamed_in.setdefault(key[0], []).append((key[1], iri, ALT if alt else ""))  # elsewhere is not

    joined = {cl.find(u.a.key) for u in cl.unions if u.link.rule != "identical"}
    for root in joined:
        kind = cl.mentions[root].kind
        res.merged[kind] = res.merged.get(kind, 0) + 1
    res.merged = dict(sorted(res.merged.items()))
    targets: dict[str, set[str]] = defaultdict(set)
    for (_g, natural), iri in canonical.items():
        targets[natural].add(iri)
    shared_iris = {n for n, ts in targets.items() if len(ts) > 1}
    decisions = list(decision_triples(cl, canonical.__getitem__, shared_iris))
    res.distinctions = sum(1 for t in decisions if t[2].value.endswith("#Distinction"))
    members = memberships(cl.groups("Person"), canonical.__getitem__, org_of)
    res.memberships = len(members)
    res.triples = decisions + list(membership_triples(members))
    return res
