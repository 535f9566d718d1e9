"""Who was at a meeting, by the shapes Korean news gives them: named after an attendance verb ("간담회에 참석한
A 대표는"), met ("B, C와 간담회를 갖고"), placed there ("A, B가 …간담회에서"), invited ("A 장관 초청 간담회"),
speaking there ("…고 말했다"), or the subject a sentence carries over from the one before.

Used by ``participation``; each function reads one sentence (or the meetings' names) and returns entity keys.
"""

from __future__ import annotations

import re
from functools import cache

from ..lexicon import load_lexicon
from ..model import Document, Entity, Sentence, Span
from .encounters import phrase_particle
from .lexmatch import attendee_stems, match_place
from .words import sentence_words

__all__ = ["AS_NOUN", "HOST_BY", "guests", "invited", "mentions_in", "participles", "present_at", "speakers",
           "topic_before"]

_NOT_ATTENDING = ("MediaOutlet", "Place", "Meeting", "Policy", "Quote")


def _in_venue(doc: Document, span: Span) -> bool:
    """Whether a mention begins the name of a venue ("네이버 각 세종 데이터센터를 방문해", "삼성전자
    평택캠퍼스에서")."""
    sent = doc.sentence_at(span.start)
    if sent is None:
        return False
    words = sentence_words(doc, sent)
    k = next((n for n, w in enumerate(words) if w.start <= span.end - 1 < w.end), None)
    if k is None or words[k].particle or words[k].trail:
        return False
    for w in words[k + 1 : k + 6]:
        if w.particle or w.trail:
            return w.particle in ("에서", "에서는", "을", "를") and match_place(w.stem, load_lexicon()) == "venue"
    return False


# "B 장관 취임에 앞서", "A 대표 방한 이후": a time told by someone's event, who need not be there
_TIME_OF = re.compile(r"(?:\s+[^\s,]*[^\s,은는이가을를와과도의])?\s+[^\s,]*[^\s,은는이가을를와과도의]"
                      r"(?:에\s+앞서|\s+(?:이후|직후|직전|이전|당시))(?=[\s,.]|$)")


def mentions_in(doc: Document, start: int, end: int) -> list[tuple[Span, Entity]]:
    places = [span for e in doc.entities if e.type == "Place" for span in e.spans if start <= span.start < end]
    found = []
    for e in doc.entities:
        if e.type in _NOT_ATTENDING:
            continue
        for span in e.spans:
            if start <= span.start < end and not doc.text.startswith("에서", span.end) and not any(
                    p.start <= span.start and span.end <= p.end for p in places) and not _in_venue(doc, span) and not (
                    _TIME_OF.match(doc.text, span.end, min(span.end + 40, len(doc.text)))):
                found.append((span, e))  # not "대한상공회의소에서" nor "네이버 데이터센터를": the venue
    return sorted(found, key=lambda x: x[0].start)


_WITH = ("와", "과", "와의", "과의")
AS_NOUN = re.compile(r"(?:를|을)\s*받")
HOST_BY = re.compile(r"\s*(?:\S+\s+){0,3}?\S*(?:주재|주최로|주관으로)")  # X 장관 주재로, X 주최로
_TOPIC = ("은", "는", "이", "가")


@cache
def _speech_pattern() -> re.Pattern[str]:
    stems = sorted(load_lexicon().speech_verbs, key=len, reverse=True)
    return re.compile("|".join(r"\s*".join(map(re.escape, s.split())) for s in stems))




def participles(doc: Document, sent: Sentence) -> list[str]:
    """Those an attendance verb describes before their name: "이날 간담회에 참석한 김철수 대표는 …"."""
    words = sentence_words(doc, sent)
    out: list[str] = []
    for k, w in enumerate(words):
        present = w.text.endswith("한") and w.text[:-1] in attendee_stems(load_lexicon(), present_only=True)
        if not present or k + 1 >= len(words):
            continue
        last = words[min(k + 5, len(words) - 1)]
        end = next((x for x in words[k + 1 : k + 6] if x.particle or x.trail.strip("·")), last)
        out.extend(e.key for _span, e in mentions_in(doc, words[k + 1].start, end.end))
    return out


def invited(doc: Document) -> list[tuple[str, str, Span]]:
    """(meeting, guest, sentence) for the guests a meeting's name says were invited: "A 장관 초청 간담회"."""
    out: list[tuple[str, str, Span]] = []
    for m in (e for e in doc.entities if e.type == "Meeting"):
        for span in m.spans:
            at = doc.text.find("초청", span.start, span.end)
            sent = doc.sentence_at(span.start)
            if at < 0 or sent is None:
                continue
            out.extend((m.key, e.key, sent.span) for _sp, e in mentions_in(doc, span.start, at)
                       if e.type == "Person" or e.type.endswith(("Agency", "Company", "Association")))
    return out


def speakers(doc: Document, sent: Sentence) -> list[str]:
    """The people who are the subjects of verbs of speaking in a sentence ("A 회장은 …고 말했고, B 회장은 …")."""
    words = sentence_words(doc, sent)
    text = sent.span.text(doc.text)
    verbs = [sent.span.start + m.start() for m in _speech_pattern().finditer(text)
             if m.start() == 0 or not text[m.start() - 1].isalnum()]
    if not verbs:
        return []
    out = []
    for span, e in mentions_in(doc, sent.span.start, verbs[-1]):
        if e.type == "Person" and phrase_particle(words, span) in (*_TOPIC, "도", "께서"):
            out.append(e.key)
    return out


def topic_before(doc: Document, i: int, verb_at: int) -> list[str]:
    """The subject a sentence leaves out, carried over from the sentence before ("이 위원장은 … 밝혔다. 이후 충남
    아산에서 … 간담회를 개최했다"): only when nothing before the verb is marked as a subject."""
    sent = doc.sentences[i]
    words = sentence_words(doc, sent)
    if i == 0 or any(w.particle in _TOPIC for w in words if w.start < sent.span.start + verb_at):
        return []
    prev = doc.sentences[i - 1]
    if prev.kind != "body":
        return []
    pwords = sentence_words(doc, prev)
    for _span, e in mentions_in(doc, prev.span.start, prev.span.end):
        if e.type != "Person" and not e.type.endswith(("Agency", "Association", "Company")):
            continue
        if phrase_particle(pwords, _span) in ("은", "는"):
            return [e.key]
    return []


def present_at(doc: Document, sent: Sentence, meeting: str) -> list[str]:
    """The subjects of a sentence that places them at a meeting with 에서 ("(왼쪽부터) A 대표, B 장관이 … 열린
    ‘…간담회’에서 기념촬영을 하고 있다")."""
    words = sentence_words(doc, sent)
    spans = [sp for e in doc.entities if e.key == meeting for sp in e.spans
             if sent.span.start <= sp.start < sent.span.end]
    at = next((sp for sp in spans for w in words if w.start < sp.end <= w.end and w.particle.startswith("에서")), None)
    if at is None:
        return []
    out = []
    for span, e in mentions_in(doc, sent.span.start, at.start):
        end = next((w for w in words if w.end > span.start and (w.particle or w.trail)), None)
        if end is not None and (end.particle in _TOPIC or (not end.particle and end.trail.startswith(","))):
            out.append(e.key)
    return out


def guests(doc: Document, sent: Sentence, meeting: str) -> list[str]:
    """Those a meeting was held with: "A는 B 회장, C 대표와 오찬 간담회를 갖고" -> B, C (and their bodies)."""
    words = sentence_words(doc, sent)
    starts = [sp.start for e in doc.entities if e.key == meeting for sp in e.spans
              if sent.span.start <= sp.start < sent.span.end]
    out: list[str] = []
    for pos in starts:
        k = next((n for n, w in enumerate(words) if w.end > pos), None)
        if not k or words[k - 1].particle not in _WITH:
            continue
        start = k - 1
        while start > 0 and (words[start - 1].particle in ("", *_WITH)) and not words[start - 1].trail.strip(",·"):
            start -= 1
        out.extend(e.key for _span, e in mentions_in(doc, words[start].start, words[k - 1].end))
    return out
