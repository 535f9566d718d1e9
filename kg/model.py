"""The project's own types: a Document flows through the extractors and grows mentions and relations.

Everything is immutable. A mention or a piece of evidence is a span into ``Document.text`` (the cleaned
article); surface text is derived from the span, which keeps provenance exact.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

__all__ = [
    "ArticleMeta",
    "Document",
    "Entity",
    "Evidence",
    "Relation",
    "Section",
    "Sentence",
    "Span",
    "Token",
    "content_hash",
]


def content_hash(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Section:
    """A stretch of the cleaned text and what it is: title, lead, body, caption or byline."""

    span: Span
    kind: str


class Token(NamedTuple):
    """A morpheme (a named tuple: an article has thousands, and a frozen dataclass is slow to make)."""

    form: str
    tag: str
    start: int
    end: int
    score: float = 0.0  # the analyser's score of the morpheme in context: very low for words it has not seen


@dataclass(frozen=True)
class Sentence:
    span: Span
    tokens: tuple[Token, ...]
    kind: str = "body"  # the kind of the section it lies in


@dataclass(frozen=True)
class ArticleMeta:
    source: str  # file name, or file name plus line for JSONL
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    published_text: str | None = None  # the text the date was read from, if any
    reporters: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    outlet_in_text: bool = False  # the outlet is named in the article itself, not only in metadata


@dataclass(frozen=True)
class Entity:
    """An entity as one article knows it. ``key`` is local to the document."""

    key: str
    type: str  # an ontology class local name: Person, Company, Meeting, ...
    label: str
    aliases: frozenset[str] = frozenset()
    spans: tuple[Span, ...] = ()
    extractor: str = ""

    def merged(self, other: Entity) -> Entity:
        """One entity from two views of it; a specific class beats the generic Organization."""
        spans = tuple(sorted(set(self.spans) | set(other.spans)))
        aliases = (self.aliases | other.aliases | {other.label}) - {self.label}
        etype = other.type if self.type == "Organization" else self.type
        return dataclasses.replace(self, type=etype, aliases=frozenset(aliases), spans=spans)


@dataclass(frozen=True)
class Evidence:
    """Where a relation comes from: the sentence span, the extractor, how sure it is."""

    sentence: Span
    extractor: str
    confidence: float
    speech_act: str | None = None  # for demanded / stated: demand, appeal, proposal, statement

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} outside 0..1")


@dataclass(frozen=True)
class Relation:
    subject: str  # an entity key
    predicate: str  # a SCHEMA.md predicate local name
    object: str  # an entity key, or the literal value when ``literal`` is true
    evidence: Evidence
    literal: bool = False

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    meta: ArticleMeta
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    notes: tuple[str, ...] = field(default=())  # what the extractors want a reader of the report to know

    def replace(self, **changes: object) -> Document:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def entity(self, key: str) -> Entity | None:
        for ent in self.entities:
            if ent.key == key:
                return ent
        return None

    def with_entities(self, new: list[Entity]) -> Document:
        """A new document whose entities include ``new``; entities with the same key merge."""
        by_key = {e.key: e for e in self.entities}
        for ent in new:
            by_key[ent.key] = by_key[ent.key].merged(ent) if ent.key in by_key else ent
        return self.replace(entities=tuple(by_key.values()))

    def with_relations(self, new: list[Relation]) -> Document:
        """A new document with ``new`` relations added; the first evidence of a triple wins."""
        seen = {r.triple for r in self.relations}
        added = list(self.relations)
        for rel in new:
            if rel.triple not in seen:
                seen.add(rel.triple)
                added.append(rel)
        return self.replace(relations=tuple(added))

    def section_kind(self, pos: int) -> str:
        for sec in self.sections:
            if sec.span.start <= pos < sec.span.end:
                return sec.kind
        return "body"

    def sentence_at(self, pos: int) -> Sentence | None:
        for sent in self.sentences:
            if sent.span.start <= pos < sent.span.end:
                return sent
        return None
