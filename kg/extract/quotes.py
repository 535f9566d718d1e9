"""Direct quotations and who said them, across sentences: “…”며 “…”라고 말했다, 이어 “…”, 그는 “…”."""

from __future__ import annotations

import re

from ..model import Document, Entity, Evidence, Relation, Span

__all__ = ["extract_quotes"]

NAME = "quotes"
_QUOTE = re.compile(r"[“\"](?P<q>[^“”\"]{8,}?)(?:[”\"]|$)")
_SPEAKER_PARTICLE = re.compile(r"^\s*\S*?(?:은|는|이|가|도)?\s*(?:역시\s*)?$")
_PRONOUN = re.compile(r"(?:그는|그녀는|그는 또|이어|또)\s*$")


def _persons_in(doc: Document, start: int, end: int) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for e in doc.entities:
        if e.type == "Person":
            out.extend((s.start, s.end, e.key) for s in e.spans if start <= s.start < end)
    return sorted(out)


_NOT_SPEAKER = re.compile(r"^\s*(?:[^\s“\"]+\s+){0,2}[^\s“\"]*?(?:의|을|를|와|과|에게)(?:\s|$)")


def _subject_of(doc: Document, persons: list[tuple[int, int, str]]) -> str | None:
    """The one who speaks of the people named before a quote: the last one who is not named as someone's, met or
    addressed ("문재인 대통령이 … 이재용 부회장의 사면 건의를 받고 “…”": 문재인)."""
    if not persons:
        return None
    speaking = [p for p in persons if not _NOT_SPEAKER.match(_phrase_after(doc, p[1]))]
    return (speaking or persons)[-1][2]


def _phrase_after(doc: Document, end: int) -> str:
    """The rest of the phrase a name begins: up to and including the first particle ("삼성전자 부회장의 ")."""
    return doc.text[end : end + 30]


def _sentence_start(doc: Document, pos: int) -> int:
    sent = doc.sentence_at(pos)
    return sent.span.start if sent else pos


def extract_quotes(doc: Document) -> Document:
    entities: list[Entity] = []
    relations: list[Relation] = []
    last_speaker: str | None = None  # a paragraph that opens with "이어 “…”" goes on with the last speaker
    for sec in doc.sections:
        if sec.kind != "body":
            continue
        text = sec.span.text(doc.text)
        last_end = sec.span.start
        for m in _QUOTE.finditer(text):
            qs, qe = sec.span.start + m.start(), sec.span.start + m.end()
            window_start = max(_sentence_start(doc, qs), last_end)
            before = _persons_in(doc, window_start, qs)
            gap = doc.text[last_end:qs]
            speaker = _subject_of(doc, before)
            if speaker is None and last_speaker and (len(gap.strip()) <= 12 or _PRONOUN.search(gap)):
                speaker = last_speaker
            if speaker is None:
                sent = doc.sentence_at(qe - 1)
                after = _persons_in(doc, qe, sent.span.end if sent else qe + 40)
                speaker = after[0][2] if after else None
            if speaker is None and re.search(r"그(?:는|녀는)\s*$", doc.text[window_start:qs]):
                persons = _persons_in(doc, sec.span.start - 2000, qs)
                speaker = persons[-1][2] if persons else None
            last_end = qe
            if speaker is None:
                continue
            last_speaker = speaker
            quote_text = m.group("q").strip()
            key = f"Quote:{doc.id}:{qs}"
            entities.append(Entity(key, "Quote", quote_text, frozenset(), (Span(qs, qe),), NAME))
            sent = doc.sentence_at(qs)
            end = doc.sentence_at(qe - 1)
            ev_span = Span(sent.span.start if sent else qs, end.span.end if end else qe)
            relations.append(Relation(speaker, "stated", key, Evidence(ev_span, NAME, 0.8, "statement")))
    return doc.with_entities(entities).with_relations(relations)
