"""What resolution reads: every entity as each article knows it (a *mention*), with the facts that tell
two mentions apart or together, read from the records the store keeps of each article (kg/archive.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..archive import ORG_TYPES, RESOLVED, Archive

__all__ = ["ORG_TYPES", "Mention", "MentionKey", "mentions_of", "read_mentions"]

MentionKey = tuple[str, str]  # (article graph IRI, the article's IRI for the entity)


class Facts(dict[str, frozenset[str]]):
    """A mention's facts by predicate; a predicate it has none of gives an empty set (and adds nothing)."""

    def __missing__(self, key: str) -> frozenset[str]:
        return _NONE


_NONE: frozenset[str] = frozenset()
_NO_FACTS = Facts()  # shared by every mention without any: resolution holds hundreds of thousands of mentions


@dataclass(slots=True)
class Mention:
    """One entity in one article: its class, names, the article's date, and its facts there."""

    graph: str
    iri: str
    type: str
    label: str
    article: str = ""  # the Article IRI
    published: str | None = None  # the article's publication date, ISO
    aliases: frozenset[str] = _NONE
    facts: Mapping[str, frozenset[str]] = field(default_factory=lambda: _NO_FACTS)  # predicate -> objects
    inverse: Mapping[str, frozenset[str]] = field(default_factory=lambda: _NO_FACTS)  # predicate -> subjects

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


def read_mentions(archive: Archive) -> list[Mention]:
    """Every Person, Organization, Meeting, Place and Policy of every article, in a stable order. (Identifiers
    and names are interned: the same person or organisation recurs in thousands of articles.)"""
    out: list[Mention] = []
    for g, rec in archive.mentions():
        out.extend(mentions_of(g, rec))
    return out


def mentions_of(g: str, rec: dict[str, Any]) -> Iterator[Mention]:
    """The mentions of one article (graph IRI ``g``) from its record, by identifier."""
    intern = sys.intern
    facts: dict[str, dict[str, set[str]]] = {}
    inverse: dict[str, dict[str, set[str]]] = {}
    known = {iri for iri, *_rest in rec["entities"]}
    for s, p, o in rec["facts"]:
        if s in known:
            facts.setdefault(s, {}).setdefault(p, set()).add(intern(o))
        if o in known:
            inverse.setdefault(o, {}).setdefault(p, set()).add(intern(s))
    article, published = rec["article"], rec["published"]
    for iri, types, labels, aliases in sorted(rec["entities"]):
        label = intern(labels[0])
        # two labels in one article (should not happen): the others are aliases
        names = frozenset(intern(a) for a in (*labels[1:], *aliases)) - {label, ""}
        yield Mention(g, intern(iri), min(types, key=RESOLVED.index), label, article, published,
                      names or _NONE, _facts(facts.get(iri)), _facts(inverse.get(iri)))


def _facts(found: dict[str, set[str]] | None) -> Mapping[str, frozenset[str]]:
    return Facts({p: frozenset(v) for p, v in found.items()}) if found else _NO_FACTS
