"""Clusters of mentions: union-find that records why each union was made and refuses the unions that a
correction or a conflict (two dates, two ordinals, one article) forbids.

Order-independence: rules offer their links in a sorted order and every decision depends only on the
mentions and the corrections, never on the order articles were added in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .mentions import Mention, MentionKey

__all__ = ["Clusters", "Distinction", "Link"]

Conflict = Callable[[list[Mention], list[Mention]], str | None]


@dataclass(frozen=True)
class Link:
    """Why two mentions are one: a rule name, an English sentence, and the entity they share, if any."""

    rule: str
    reason: str
    via: str | None = None


@dataclass
class Distinction:
    """Clusters (two or more) that a rule considered and kept apart, and why."""

    keys: tuple[MentionKey, ...]
    rule: str
    reason: str


@dataclass
class Union:
    a: Mention
    b: Mention
    link: Link


@dataclass
class Clusters:
    mentions: dict[MentionKey, Mention]
    parent: dict[MentionKey, MentionKey] = field(default_factory=dict)
    members: dict[MentionKey, list[Mention]] = field(default_factory=dict)
    forbidden: dict[MentionKey, set[MentionKey]] = field(default_factory=dict)  # root -> keys it may not join
    unions: list[Union] = field(default_factory=list)
    distinctions: list[Distinction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, mentions: Iterable[Mention]) -> Clusters:
        ms = {m.key: m for m in mentions}
        return cls(ms, {k: k for k in ms}, {k: [m] for k, m in ms.items()})

    def find(self, key: MentionKey) -> MentionKey:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def same(self, a: MentionKey, b: MentionKey) -> bool:
        return self.find(a) == self.find(b)

    def cluster(self, key: MentionKey) -> list[Mention]:
        return self.members[self.find(key)]

    def keep_apart(self, a: Iterable[MentionKey], b: Iterable[MentionKey]) -> None:
        """No cluster may ever hold one of ``a`` and one of ``b``."""
        a, b = list(a), list(b)
        for x in a:
            self.forbidden.setdefault(self.find(x), set()).update(b)
        for y in b:
            self.forbidden.setdefault(self.find(y), set()).update(a)

    def blocked(self, a: MentionKey, b: MentionKey) -> bool:
        ra, rb = self.find(a), self.find(b)
        fa, fb = self.forbidden.get(ra), self.forbidden.get(rb)
        return bool(fa and any(m.key in fa for m in self.members[rb])) or bool(
            fb and any(m.key in fb for m in self.members[ra]))

    def union(self, a: Mention, b: Mention, link: Link, conflict: Conflict | None = None) -> bool:
        """Join the clusters of ``a`` and ``b`` unless a correction or ``conflict`` forbids it; True if joined."""
        ra, rb = self.find(a.key), self.find(b.key)
        if ra == rb:
            return False
        if self.blocked(ra, rb):
            return False
        if conflict is not None:
            reason = conflict(self.members[ra], self.members[rb])
            if reason:
                self.distinctions.append(Distinction((min(ra, rb), max(ra, rb)), link.rule, reason))
                return False
        # the bigger cluster absorbs the smaller (ties: the smaller key stays root): linear, not quadratic
        keep, gone = sorted((ra, rb), key=lambda r: (-len(self.members[r]), r))
        self.parent[gone] = keep
        self.members[keep].extend(self.members.pop(gone))
        if gone in self.forbidden:
            self.forbidden.setdefault(keep, set()).update(self.forbidden.pop(gone))
        self.unions.append(Union(a, b, link))
        return True

    def groups(self, kind: str | None = None) -> list[list[Mention]]:
        """Every cluster (of one kind of entity), members in key order, clusters in order of their first key."""
        out = [sorted(ms, key=lambda m: m.key) for ms in self.members.values() if kind is None or ms[0].kind == kind]
        return sorted(out, key=lambda ms: ms[0].key)

    def first(self, key: MentionKey) -> Mention:
        """The member of ``key``'s cluster with the smallest key: a stable representative."""
        return min(self.members[self.find(key)], key=lambda m: m.key)
