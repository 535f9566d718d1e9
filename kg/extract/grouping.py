"""Meeting mentions and the meetings they make: a sentence's mentions (named, bare or told by a verb) grouped
into the meetings of an article — a bare "간담회" or "이날 간담회" joins the meeting under discussion; another
day, another time of day, another host or a name that tells another meeting keeps two apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..lexicon import load_lexicon, norm_key, similar_names
from ..model import Document, Span
from .dates import DateMention
from .lexmatch import meeting_word

__all__ = ["Meeting", "MeetingMention", "cluster"]


@dataclass
class MeetingMention:
    sent: int
    span: Span
    name: str | None  # None for a bare meeting word ("간담회")
    word: str  # the meeting word itself ("간담회", "출범식")
    date: DateMention | None
    weight: float
    called: str | None = None  # what to call the meeting if the article gives it no name ("A B 면담")
    host: str | None = None  # the entity whose verb reported the meeting ("A는 B와 만나")


@dataclass
class Meeting:
    key: str
    mentions: list[MeetingMention] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    date: date | None = None
    date_sent: Span | None = None
    day: int | None = None  # the day of the month, when the date itself cannot be resolved
    part: str | None = None  # the time of day (오전, 오후)



def _same_name(a: str, b: str) -> bool:
    """Two names of one meeting: alike (``similar_names``), unless the words that tell them apart differ
    entirely ("바이오 업계 간담회" and "반도체 업계 간담회" are two meetings of one day)."""
    if not similar_names(a, b):
        return False
    lex = load_lexicon()
    parts = []
    for name in (a, b):
        words = name.split()
        if words and meeting_word(words[-1], lex):
            words = words[:-1]
        parts.append({norm_key(w) for w in words} - lex.meeting_kinds - {""})
    return not (parts[0] and parts[1] and not (parts[0] & parts[1]) and all(
        not similar_names(x, y) for x in parts[0] for y in parts[1]))


def _same_host(meeting: Meeting, m: MeetingMention, doc: Document) -> bool:
    """Whether a named mention may join a meeting so far only told by a verb ("A는 B와 만나"): its sentence
    names the one who met ("A는 이날 … 오찬 간담회를 갖고"), not another host ("C 주최로 열린 간담회")."""
    hosts = {x.host for x in meeting.mentions if x.host}
    if not hosts:
        return True
    sent = doc.sentences[m.sent].span
    return any(e.key in hosts and any(sent.start <= s.start < sent.end for s in e.spans) for e in doc.entities)


def cluster(mentions: list[MeetingMention], doc: Document) -> list[Meeting]:
    meetings: list[Meeting] = []
    current: Meeting | None = None  # the meeting under discussion: the one mentioned last
    for m in mentions:
        before = current
        target = None
        same_sentence = [x for x in meetings if any(y.sent == m.sent for y in x.mentions)]
        for mt in reversed(meetings):
            if m.name and any(_same_name(m.name, n) for n in mt.names):
                target = mt
                break
        if target is None and current is not None:
            dated = (m.date and m.date.value and current.date and m.date.value != current.date) or (
                m.date and m.date.day and current.day and m.date.day != current.day) or (
                m.date and m.date.part and current.part and m.date.part != current.part)  # 오전 … 같은 날 오후
            known = m.date and (m.date.value or m.date.kind == "anchor")  # a day alone does not say "this one"
            if not dated and current not in same_sentence and (m.name is None or not current.names or known):
                target = current if m.name is None or _same_host(current, m, doc) else None
        if target is None:
            target = Meeting(key="")
            meetings.append(target)
        # a photo's caption speaks of its meeting; the text goes on with the one it was discussing
        current = before if before is not None and doc.sentences[m.sent].kind == "caption" else target
        target.mentions.append(m)
        if m.name and m.name not in target.names:
            target.names.append(m.name)
        if target.date is None and m.date and m.date.value:
            target.date = m.date.value
        if target.day is None and m.date and m.date.day:
            target.day = m.date.day
        if target.part is None and m.date and m.date.part:
            target.part = m.date.part
    for n, mt in enumerate(meetings):
        mt.key = f"Meeting:{doc.id}:{n}"
    return [mt for mt in meetings if mt.names or len(mt.mentions) > 1 or mt.date or mt.day]
