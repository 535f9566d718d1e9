"""Meetings told by a verb, not named: "윤석열 대통령은 9일 샘 올트먼 오픈AI CEO와 만나 …", "… 임원진을 접견했다".

A dated sentence (9일, 이날) whose verb is in meeting_verbs.tsv reports a meeting between its subject and the
people or bodies it met. The meeting is called after them ("윤석열 샘 올트먼 면담") unless the article names it
in another sentence; the meeting extractor clusters it with the others.
"""

from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..model import Document, Sentence, Span
from .dates import DateMention
from .lexmatch import attendee_stems
from .words import Word

__all__ = ["Encounter", "find_encounters", "phrase_particle"]

_PARTIES = ("Person", "Company", "Organization", "Association", "ResearchInstitute", "University",
            "GovernmentAgency", "Legislature", "PoliticalParty")
_SUBJECT = ("은", "는", "이", "가")
_OBJECT = ("와", "과", "을", "를", "와도", "과도")
_WHEN = re.compile(r"\d+일|이날|오전|오후|당일")

# the verb's span, the meeting noun, the name made from the parties, the subject's entity key
Encounter = tuple[Span, str, str, str]


def phrase_particle(words: list[Word], span: Span, limit: int = 4) -> str:
    """The particle that ends the phrase a mention starts ("윤석열 대통령은" -> 은), within ``limit`` words."""
    inside = [w for w in words if w.end > span.start]
    for w in inside[:limit]:
        if w.particle or w.trail:
            return w.particle
    return ""


def _parties(doc: Document, sent: Sentence, words: list[Word],
             verb: int) -> tuple[tuple[str, str] | None, str | None]:
    """The subject (key, label) and the one met (a label, or the words of the phrase) before word ``verb``."""
    subject: tuple[int, str, str] | None = None
    partner: tuple[int, str] | None = None
    before = words[:verb]
    for e in doc.entities:
        if e.type not in _PARTIES:
            continue
        for span in e.spans:
            if not (sent.span.start <= span.start < words[verb].start):
                continue
            particle = phrase_particle(before, span)
            if particle in _SUBJECT and (subject is None or span.start < subject[0]):
                subject = (span.start, e.key, e.label)
            elif particle in _OBJECT and (partner is None or span.start < partner[0]):
                partner = (span.start, e.label)
    if partner is None and verb > 0 and words[verb - 1].particle in _OBJECT:  # "5대 그룹 총수와 만났다"
        k = verb - 1
        while (k > 0 and verb - k < 3 and not words[k - 1].particle and not words[k - 1].trail
               and not _WHEN.search(words[k - 1].text)):
            k -= 1
        partner = (words[k].start, " ".join([*(w.text for w in words[k : verb - 1]), words[verb - 1].stem]))
    return (subject[1:] if subject else None), (partner[1] if partner else None)


def _talked(rest: str, lex: Lexicon) -> bool:
    """Whether the rest of a sentence says people talked or took part (논의, 청취, 말했다, 참석 …)."""
    return any(stem in rest for stem in attendee_stems(lex)) or any(v in rest for v in lex.speech_verbs)


def find_encounters(doc: Document, sent: Sentence, words: list[Word], dates: list[DateMention],
                    lex: Lexicon) -> list[Encounter]:
    """The meeting a dated sentence reports with a verb of meeting, if it does."""
    if not any(d.kind != "report" and (d.day or d.kind == "anchor") for d in dates):
        return []
    for k, w in enumerate(words):
        first = w.morphs[0][0] if w.morphs else w.stem
        noun = lex.meeting_verbs.get(first)
        verb = k
        if k > 0 and noun is None and f"{words[k - 1].text} {first}" in lex.meeting_verbs:
            noun = lex.meeting_verbs[f"{words[k - 1].text} {first}"]  # "이야기를 나눴다": a verb with its object
            verb = k - 1
        if noun is None and w.text.startswith(lex.visit_verbs) and k > 0 and words[k - 1].particle in ("을", "를"):
            # a visit where people talked is a meeting there ("한결소재를 방문해 … 애로사항을 청취했다"); a tour
            # of a production line is not
            noun = "방문" if _talked(sent.span.text(doc.text)[w.end - sent.span.start :], lex) else None
        if noun is None or not w.has_tag("VV", "XSV"):
            continue
        subject, partner = _parties(doc, sent, words, verb)
        if subject and partner:
            return [(Span(w.start, w.end), noun, f"{subject[1]} {partner} {noun}", subject[0])]
    return []
