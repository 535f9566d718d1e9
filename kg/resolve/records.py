"""What resolution adds to the graph: a record of every merge and of every namesake kept apart (rule,
reason, names, articles), ``owl:sameAs`` from the identifiers articles used to the one the entity now has,
and each person's dated memberships (W3C ORG): organisation, title, first and last reported."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import OWL, RDF, XSD
from rdflib.namespace import ORG

from ..ontology import ID, KG, PROV
from ..store import OxTriple
from .clusters import Clusters
from .mentions import Mention, MentionKey

__all__ = ["Membership", "decision_triples", "membership_triples", "memberships"]


# Oxigraph's terms, made once: the records go to the store as they are (a hundred thousand of them at ten
# thousand articles; rdflib's terms check every IRI and cost more than resolution itself)
_DECISION, _MEMBERSHIP = str(ID) + "decision/", str(ID) + "membership/"
_TYPE, _SAME = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.sameAs))
_MERGE, _DISTINCTION, _RESOLVED, _RULE, _VIA, _NODE, _APART = (ox.NamedNode(str(t)) for t in (
    KG.Merge, KG.Distinction, KG.resolvedEntity, KG.rule, KG.via, KG.mergedNode, KG.keptApart))
_REASON, _NAME, _DERIVED = (ox.NamedNode(str(t)) for t in (KG.reason, KG.matchedName, PROV.wasDerivedFrom))
_MEMBERSHIP_CLASS, _MEMBER, _ORGANIZATION = (ox.NamedNode(str(t)) for t in (
    ORG.Membership, ORG.member, ORG.organization))
_TITLE, _FIRST, _LAST = (ox.NamedNode(str(t)) for t in (KG.title, KG.firstReported, KG.lastReported))
_DATE = ox.NamedNode(str(XSD.date))


def _hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def decision_triples(cl: Clusters, canonical: Callable[[MentionKey], str], shared_iris: set[str]) -> Iterator[OxTriple]:
    """Merge and distinction records, and owl:sameAs, in a stable order. No sameAs leaves an identifier that
    now names several entities (``shared_iris``: 김철수 of two companies)."""
    merges: dict[tuple[str, str, str], dict[str, set[str]]] = {}
    for u in cl.unions:
        if u.link.rule == "identical":
            continue
        into = canonical(u.a.key)
        rec = merges.setdefault((into, u.link.rule, u.link.via or ""), defaultdict(set))
        rec["reason"].add(u.link.reason)
        rec["name"].update((u.a.label, u.b.label))
        rec["article"].update(a for a in (u.a.article, u.b.article) if a)
        rec["node"].update(n for n in (u.a.iri, u.b.iri) if n != into)
    for (into, rule, via), rec in sorted(merges.items()):
        node = ox.NamedNode(_DECISION + _hash(into, rule, via))
        yield node, _TYPE, _MERGE
        yield node, _RESOLVED, ox.NamedNode(into)
        yield node, _RULE, ox.Literal(rule)
        if via:
            yield node, _VIA, ox.NamedNode(via)
        yield from _described(node, rec)
        for other in sorted(rec["node"]):
            yield node, _NODE, ox.NamedNode(other)
            if other not in shared_iris:
                yield ox.NamedNode(other), _SAME, ox.NamedNode(into)
    apart: dict[tuple[str, ...], dict[str, set[str]]] = {}
    for d in cl.distinctions:
        nodes = tuple(sorted({canonical(k) for k in d.keys}))
        if len(nodes) < 2:
            continue
        rec = apart.setdefault(nodes, defaultdict(set))
        rec["rule"].add(d.rule)
        rec["reason"].add(d.reason)
        for key in d.keys:
            rec["name"].update(m.label for m in cl.cluster(key))
            rec["article"].update(m.article for m in cl.cluster(key) if m.article)
    for nodes, rec in sorted(apart.items()):
        node = ox.NamedNode(_DECISION + _hash(*nodes, 'apart'))
        yield node, _TYPE, _DISTINCTION
        for iri in nodes:
            yield node, _APART, ox.NamedNode(iri)
        for rule in sorted(rec["rule"]):
            yield node, _RULE, ox.Literal(rule)
        yield from _described(node, rec)


def _described(node: ox.NamedNode, rec: dict[str, set[str]]) -> Iterator[OxTriple]:
    for reason in sorted(rec["reason"]):
        yield node, _REASON, ox.Literal(reason, language="en")
    for name in sorted(rec["name"]):
        yield node, _NAME, ox.Literal(name, language="ko")
    for art in sorted(rec["article"]):
        yield node, _DERIVED, ox.NamedNode(art)


@dataclass
class Membership:
    """A person's place in an organisation, with a title, as the articles report it over time."""

    person: str
    org: str
    title: str | None
    dates: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)


def memberships(people: list[list[Mention]], canonical: Callable[[MentionKey], str],
                org_of: Callable[[str], str]) -> list[Membership]:
    """One membership per person, organisation and title; a mention's titles go with its organisations."""
    out: dict[tuple[str, str, str | None], Membership] = {}
    for group in people:
        for m in group:
            person = canonical(m.key)
            titles: list[str | None] = [*sorted(m.facts["jobTitle"])] or [None]
            for org in sorted({org_of(o) for o in m.facts["affiliation"]}):
                for title in titles:
                    ms = out.setdefault((person, org, title), Membership(person, org, title))
                    if m.published:
                        ms.dates.add(m.published)
                    if m.article:
                        ms.articles.add(m.article)
    return [out[k] for k in sorted(out, key=lambda k: (k[0], k[1], k[2] or ""))]


def membership_triples(items: list[Membership]) -> Iterator[OxTriple]:
    for ms in items:
        node = ox.NamedNode(_MEMBERSHIP + _hash(ms.person, ms.org, ms.title or ""))
        yield node, _TYPE, _MEMBERSHIP_CLASS
        yield node, _MEMBER, ox.NamedNode(ms.person)
        yield node, _ORGANIZATION, ox.NamedNode(ms.org)
        if ms.title:
            yield node, _TITLE, ox.Literal(ms.title, language="ko")
        if ms.dates:
            yield node, _FIRST, ox.Literal(min(ms.dates), datatype=_DATE)
            yield node, _LAST, ox.Literal(max(ms.dates), datatype=_DATE)
        for art in sorted(ms.articles):
            yield node, _DERIVED, ox.NamedNode(art)
