"""Resolution rules for organisations and people, and the corrections that override them.

Organisations: one name is one organisation (as within an article); a name an article gives as another
name of an organisation (an acronym in brackets, a short name) joins them, and so do spellings that
differ only by a term variant (인공지능 = AI).

People: the same name is the same person only with evidence. Mentions that share an organisation (now or
formerly) are one person, so a title may change (제2차관 → 차관, 장관 → 부총리) and the node stays one;
a namesake that no article ties to an organisation joins the only namesake that has one, or the one with
the same title. Namesakes of different organisations stay apart, each decision recorded.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet

from ..extract.lexmatch import org_key
from ..lexicon import load_lexicon, norm_key
from .clusters import Clusters, Distinction, Link
from .corrections import Correction, matching
from .mentions import Mention, MentionKey

__all__ = ["apply_corrections", "label_rank", "resolve_orgs", "resolve_persons", "titles_fit"]

_HANGUL = re.compile(r"[가-힣]")


def apply_corrections(cl: Clusters, corrections: list[Correction], kinds: tuple[str, ...],
                      qualifiers: Callable[[Mention], set[str]]) -> None:
    """Apply the user's decisions about entities of ``kinds``: ``apart`` first, then ``same``."""
    pool = [m for m in cl.mentions.values() if m.kind in kinds]
    resolved = []
    for c in corrections:
        a, b = matching(c.first, pool, qualifiers), matching(c.second, pool, qualifiers)
        if a and b:
            resolved.append((c, a, b))
    for c, a, b in resolved:
        if c.decision == "apart":  # a mention that fits both sides (formerly of one, now of the other) is free
            both = {m.key for m in a} & {m.key for m in b}
            cl.keep_apart([m.key for m in a if m.key not in both], [m.key for m in b if m.key not in both])
    for c, a, b in resolved:
        if c.decision != "same":
            continue
        note = f": {c.note}" if c.note else ""
        link = Link("correction", f"the corrections file says so ({c.cited or c.where}){note}")
        for m in [*a[1:], *b]:
            if not cl.same(a[0].key, m.key) and not cl.union(a[0], m, link):
                cl.notes.append(f"{c.describe()}: not applied, another line keeps them apart")


def label_rank(label: str) -> tuple[bool, bool, int, str]:
    """Which name a merged organisation goes by: the gazetteer's, a Korean one, the longest, then the first."""
    entry = load_lexicon().gazetteer(label)
    return (not (entry is not None and entry.name == label), not _HANGUL.search(label), -len(label), label)


def _org_rank(m: Mention) -> tuple[bool, bool, int, str]:
    return label_rank(m.label)


def resolve_orgs(cl: Clusters, aliases: Mapping[str, AbstractSet[str]] | None = None) -> None:
    """Join the organisations of ``cl`` that are one. ``aliases``: every other name each organisation IRI has
    in any article, when ``cl`` holds one mention of each (the one whose name it goes by); by default, the
    other names of the mentions in ``cl``."""
    orgs = [m for m in cl.mentions.values() if m.is_org]
    by_iri: dict[str, list[Mention]] = defaultdict(list)
    for m in orgs:
        by_iri[m.iri].append(m)
    for group in by_iri.values():
        for m in group[1:]:
            cl.union(group[0], m, Link("identical", "the same name"))
    label_of = {iri: min(group, key=_org_rank) for iri, group in by_iri.items()}
    if aliases is None:
        aliases = {iri: frozenset().union(*(m.aliases for m in group)) for iri, group in by_iri.items()}
    by_label_key: dict[str, list[str]] = defaultdict(list)
    for iri, m in sorted(label_of.items()):
        by_label_key[org_key(m.label)].append(iri)
    for _key, iris in sorted(by_label_key.items()):  # LG 인공지능연구원 = LG AI연구원
        for iri in iris[1:]:
            a, b = label_of[iris[0]], label_of[iri]
            cl.union(a, b, Link("name-variant", f"{a.label} and {b.label} differ only by a term variant"))
    holders: dict[str, set[str]] = defaultdict(set)
    for iri, names in aliases.items():
        for alias in names:
            if len(norm_key(alias)) >= 2:
                holders[org_key(alias)].add(iri)
    for key, holding in sorted(holders.items()):
        named = by_label_key.get(key, [])
        if len(named) > 1:
            continue  # the alias is the name of several organisations: it identifies none
        target = named[0] if named else None
        for iri in sorted(holding):
            if target is None:
                target = iri  # two organisations share an alias nobody has as a name: KOSA in both
                continue
            a, b = label_of[target], label_of[iri]
            alias = next((x for x in sorted(b.aliases | a.aliases) if org_key(x) == key), key)
            cl.union(a, b, Link("alias", f"{alias} is a name of both {a.label} and {b.label}"))


def org_canonical(cl: Clusters) -> dict[str, Mention]:
    """For every organisation IRI of an article, the mention whose name its cluster goes by."""
    out: dict[str, Mention] = {}
    for group in cl.groups("Organization"):
        best = min(group, key=_org_rank)
        for m in group:
            out[m.iri] = best
    return out


def titles_fit(a: AbstractSet[str], b: AbstractSet[str]) -> bool:
    """Whether two sets of titles may be one person's: one title ends another (차관, 제2차관)."""
    ka, kb = {norm_key(t) for t in a}, {norm_key(t) for t in b}
    return any(x == y or x.endswith(y) or y.endswith(x) for x in ka for y in kb if x and y)


def resolve_persons(cl: Clusters, org_of: Callable[[str], str], org_label: Callable[[str], str]) -> None:
    by_name: dict[str, list[Mention]] = defaultdict(list)
    for m in cl.mentions.values():
        if m.type == "Person":
            by_name[m.iri].append(m)
    for _iri, group in sorted(by_name.items()):
        if len(group) < 2:
            continue
        name = group[0].label
        orgs = {m.key: {org_of(o) for o in m.facts["affiliation"] | m.facts["formerAffiliation"]} for m in group}
        by_org: dict[str, list[Mention]] = defaultdict(list)
        for m in group:
            for o in orgs[m.key]:
                by_org[o].append(m)
        for o, ms in sorted(by_org.items()):
            for m in ms[1:]:
                cl.union(ms[0], m, Link("shared-affiliation", f"the same name, {name}, and both of {org_label(o)}", o))
        _place_unaffiliated(cl, group, orgs, name, org_label)
        roots = sorted({cl.find(m.key) for m in group})
        if len(roots) > 1:
            where = [", ".join(dict.fromkeys(sorted(org_label(o) for m in cl.members[r] for o in orgs[m.key])))
                     or "none" for r in roots]
            cl.distinctions.append(Distinction(tuple(roots), "different-affiliation",
                                               f"the same name, {name}, but no organisation in common "
                                               f"({' / '.join(where)})"))


def _place_unaffiliated(cl: Clusters, group: list[Mention], orgs: dict[MentionKey, set[str]], name: str,
                        org_label: Callable[[str], str]) -> None:
    """Namesakes no article ties to an organisation: with the only one that has one, or the one whose
    title fits; all together when none has one."""
    loose = [m for m in group if not orgs[m.key]]
    if not any(orgs[m.key] for m in group):
        for m in loose[1:]:
            cl.union(loose[0], m, Link("same-name", f"the same name, {name}, and no article gives an organisation"))
        return
    affiliated = [x.key for x in group if orgs[x.key]]
    roots: list[MentionKey] = []
    titles: dict[MentionKey, set[str]] = {}
    for m in loose:
        if not roots:  # afresh after a union: it may have joined two
            roots = sorted({cl.find(k) for k in affiliated})
            titles = {r: {t for x in cl.members[r] for t in x.facts["jobTitle"]} for r in roots}
        target = roots if len(roots) == 1 else [r for r in roots if titles_fit(m.facts["jobTitle"], titles[r])]
        if len(target) == 1 and not cl.same(m.key, target[0]):
            anchor = cl.first(target[0])
            where = ", ".join(sorted({org_label(o) for x in cl.members[target[0]] for o in orgs[x.key]}))
            rule = "only-namesake" if len(roots) == 1 else "same-title"
            why = (f"the same name, {name}; the only {name} with an organisation is of {where}" if len(roots) == 1
                   else f"the same name, {name}, and a title that fits the {name} of {where}")
            cl.union(anchor, m, Link(rule, why))
            roots = []
