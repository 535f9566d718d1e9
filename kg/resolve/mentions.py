"""What resolution reads: every entity as each article knows it (a *mention*), with the facts that tell
two mentions apart or together, read from the records the store keeps of each article (kg/archive.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..archive import ORG_TYPES, RESOLVED, Archive

__all__ = ["ORG_TYPES", "Mention", "MentionKey", "read_mentions"]

MentionKey = tuple[str, str]  # (article graph IRI, the article's IRI for the entity)


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


def read_mentions(archive: Archive) -> list[Mention]:
    """Every Person, Organization, Meeting, Place and Policy of every article, in a stable order."""
    out: list[Mention] = []
    for g, rec in archive.mentions():
        by_iri: dict[str, Mention] = {}
        for iri, types, labels, aliases in rec["entities"]:
            m = Mention(g, iri, min(types, key=RESOLVED.index), labels[0], rec["article"], rec["published"])
            m.aliases.update(labels[1:])  # two labels in one article (should not happen): the others are aliases
            m.aliases.update(aliases)
            m.aliases.discard(m.label)
            m.aliases.discard("")
            by_iri[iri] = m
        for s, p, o in rec["facts"]:
            if s in by_iri:
                by_iri[s].facts[p].add(o)
            if o in by_iri:
                by_iri[o].inverse[p].add(s)
        out.extend(by_iri[iri] for iri in sorted(by_iri))
    return out
