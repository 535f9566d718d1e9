"""Meetings: named in quotes or described ("간담회를 갖고"), with date, place, organizer and attendees.

Mentions are found sentence by sentence — named, bare, or told by a verb (``encounters``) — and grouped into
meetings (``grouping``); each meeting then gets its date (or day of the month), its places (``venues``) and
its name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..lexicon import Lexicon, load_lexicon, norm_key
from ..model import Document, Entity, Evidence, Relation, Sentence, Span
from .dates import DateMention, find_dates
from .encounters import find_encounters
from .grouping import Meeting, MeetingMention, cluster
from .lexmatch import HELD, ORGANIZE, attendee_stems, is_name, match_org, match_place, meeting_word, title_of
from .venues import place_relations
from .words import Word, sentence_words, strip_particle

__all__ = ["MeetingMention", "extract_meetings", "find_mentions"]

NAME = "meetings"
_QUOTED = re.compile(r"[‘'“\"「『](?P<name>[^‘’'“”\"「」『』\n]{2,60})[’'”\"」』]\s*(?P<word>[가-힣]{0,8})")
# words that end a meeting's name on the left: dates, demonstratives (이 협의회), verb forms (열린 간담회)
_NOT_MEETING_MODIFIER = re.compile(r"^(?:이|그|저|해당|동|본|각|주|달|해|날)$|\d+일$|이날|오전|오후|지난|이번|첫|같은")
_VERB_FORM = re.compile(r"(?:한|된|하는|되는|열린|가진)$")  # without Kiwi's tags: 열린 (간담회)
_SERIES_COUNT = re.compile(r"\s*(?:\d+|한|두|세|네|다섯|여섯|여러|수)\s*(?:차례|번|회)(?:\s|에|를|$)")


def find_mentions(doc: Document, idx: int, sent: Sentence, words: list[Word], dates: list[DateMention],
                  lex: Lexicon, bodies: frozenset[str] = frozenset()) -> list[MeetingMention]:
    """The meeting mentions in a sentence. ``bodies``: the body words (포럼) of organisations the article
    names, so that a bare "포럼은" refers back to the organisation rather than mentioning a meeting."""
    text = sent.span.text(doc.text)
    out: list[MeetingMention] = []
    covered: list[Span] = []
    for m in _QUOTED.finditer(text):
        inner, after = m.group("name").strip(), m.group("word")
        mw_in = meeting_word(norm_key(inner.split()[-1]) if inner.split() else inner, lex)
        mw_after = meeting_word(strip_particle(after)[0], lex) if after else None
        if not (mw_in or mw_after):
            continue
        name = inner if not mw_after else f"{inner} {mw_after[0]}"
        weight = (mw_after or mw_in or ("", 0.0))[1]
        span = Span(sent.span.start + m.start(), sent.span.start + m.end())
        if not mw_after and _names_body(words, span.start, sent.span.start + m.end("name"), lex):
            continue
        covered.append(span)
        out.append(MeetingMention(idx, span, name, (mw_after or mw_in or ("간담회", 0.0))[0], None, max(weight, 0.8)))
    for i, w in enumerate(words):
        mw = meeting_word(w.stem, lex)
        if not mw or any(c.start <= w.start < c.end for c in covered):
            continue
        word, weight = mw
        if word in lex.body_words and w.particle in ("은", "는", "이", "가") and re.search(
                r"발족|출범", text[w.end - sent.span.start :]):
            continue  # 민관 협의회가 … 발족했다: a body being launched
        present = any(v in text for v in attendee_stems(lex, present_only=True))  # "청문회에 출석해"
        if weight < 0.8 and not HELD.search(text) and not present:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt and not w.particle and not w.trail and any(nxt.stem.endswith(v) for v in lex.venue_suffixes):
            continue  # 국가과학기술자문회의 대회의실: part of a venue's name
        if nxt and not w.particle and not w.trail and meeting_word(nxt.stem, lex):
            continue  # 오찬 간담회: the first word only says what kind of meeting the second is
        if w.particle == "의" and nxt and (nxt.morphs[0][0] if nxt.morphs else nxt.stem) in lex.series_words:
            continue  # 릴레이 간담회의 일환: the series, not this meeting
        if _SERIES_COUNT.match(text[w.end - sent.span.start :]):
            continue  # 간담회를 세 차례 개최하며: several meetings, none of them this one
        mods: list[Word] = []
        j = i - 1
        prev = words[j] if j >= 0 and not words[j].particle and not words[j].trail else None
        two_words = prev is not None and f"{prev.text} {w.stem}" in lex.meeting_words  # 타운홀 미팅
        if two_words:
            j -= 1
        while j >= 0 and len(mods) < 4 and not words[j].particle and not words[j].trail:
            x = words[j]
            verb = x.has_tag("ETM", "EC", "EF") if x.morphs else bool(_VERB_FORM.search(x.text))
            if _NOT_MEETING_MODIFIER.search(x.text) or verb or match_place(x.stem, lex):
                break
            mods.insert(0, words[j])
            j -= 1
        if two_words and prev:
            mods.append(prev)
        if not mods and j >= 0 and words[j].particle in ("과의", "와의"):  # 대통령과 기업인과의 대화
            k = j
            while k > 0 and j - k < 4 and (not words[k - 1].particle or words[k - 1].particle in ("과", "와")) \
                    and not words[k - 1].trail and not words[k - 1].has_tag("ETM", "EC", "EF"):
                k -= 1
            mods = words[k : j + 1]
            j = k - 1
        name = " ".join([*(x.text for x in mods), w.stem]) if mods or len(w.stem) > len(word) else None
        if name and mods and mods[-1].particle in ("과의", "와의"):
            name = doc.text[mods[0].start : w.start + len(w.stem)]
        if name is None and w.stem in bodies:
            continue
        span = Span(mods[0].start if mods else w.start, w.start + len(w.stem))
        host = _host(words, j, lex) if j >= 0 and words[j].particle == "의" else None
        if host:  # 박윤규 제2차관의 타운홀 미팅: the meeting is named by its host
            name = " ".join([host[0], words[j].text, *(x.text for x in mods), w.stem])
            span = Span(host[1], span.end)
        if _names_body(words, span.start, span.end, lex):
            continue
        out.append(MeetingMention(idx, span, name, word, None, weight))
    for mention in out:
        mention.date = _date_for(mention.span, dates, [o.span for o in out])
    return sorted(out, key=lambda x: x.span.start)


def _host(words: list[Word], j: int, lex: Lexicon) -> tuple[str, int] | None:
    """The person whose meeting "NAME (ORG) TITLE의 간담회" is: (name, start) when word ``j`` is the title."""
    if not title_of(words[j].stem, lex):
        return None
    for k in range(j - 1, max(j - 4, -1), -1):
        if words[k].particle or words[k].trail:
            return None
        if is_name(words[k].text, lex):
            return words[k].text, words[k].start
    return None


def _names_body(words: list[Word], start: int, end: int, lex: Lexicon) -> bool:
    """Whether the words from ``start`` to ``end`` name a body, not a meeting ("국회 AI 포럼은 … 개최했다")."""
    for i, w in enumerate(words):
        if start <= w.start < end:
            org = match_org(words, i, lex)
            if org and not org.known and org.end >= end - 1:
                return True
    return False


def _date_for(span: Span, dates: list[DateMention], others: Sequence[Span] = ()) -> DateMention | None:
    """The date of a meeting mention: the nearest date in its sentence that is not a report date and not
    the date of another mention ("A에 이어 8일 열린 B": 8일 is B's)."""
    best = None
    for d in dates:
        if (d.value is None and d.day is None and d.kind != "anchor") or d.kind == "report":
            continue
        if d.start > span.start and any(d.start < o.start for o in others if o.start > span.start):
            continue
        dist = abs(d.start - span.start)
        if best is None or dist < best[0]:
            best = (dist, d)
    return best[1] if best else None


_SHIFTED = ("전날", "어제", "이튿날", "다음날", "다음 날")
def extract_meetings(doc: Document) -> Document:
    lex = load_lexicon()
    published = doc.meta.published
    anchor = published
    anchor_day = published.day if published else None
    mentions: list[MeetingMention] = []
    bodies = frozenset(e.label.split()[-1] for e in doc.entities
                       if e.key.startswith("Org:") and e.label.split()[-1] in lex.body_words)
    sent_words: list[list[Word]] = []
    sent_dates: list[list[DateMention]] = []
    for idx, sent in enumerate(doc.sentences):
        words = sentence_words(doc, sent)
        dates = find_dates(sent.span.text(doc.text), sent.span.start, published, anchor, anchor_day)
        sent_words.append(words)
        sent_dates.append(dates)
        found = []
        if sent.kind in ("body", "caption", "title"):
            found = find_mentions(doc, idx, sent, words, dates, lex, bodies)
            if not found and sent.kind == "body":
                found = [MeetingMention(idx, span, None, noun, _date_for(span, dates), 1.0, called, host)
                         for span, noun, called, host in find_encounters(doc, sent, words, dates, lex)]
            mentions.extend(found)
        # a new day: an explicit one, or one counted from the last ("전날 오전", "이튿날"); "지난 21일 … 취임
        # 이후", a past day no meeting of the sentence was held on, does not move the day the article speaks of
        explicit = [d for d in dates if (d.kind != "anchor" or d.text in _SHIFTED) and d.day
                    and (found or not d.text.startswith("지난"))]
        if explicit and sent.kind == "body":
            anchor = explicit[0].value or (anchor if published else None)
            anchor_day = explicit[0].day
    meetings = cluster(mentions, doc)
    lead, lead_meeting = _lead_meeting(doc, meetings)
    entities: list[Entity] = []
    relations: list[Relation] = []
    for mt in meetings:
        called = next((m.called for m in mt.mentions if m.called), None)
        label = max(mt.names, key=lambda n: (len(n) >= 6, len(n))) if mt.names else called or mt.mentions[0].word
        spans = tuple(m.span for m in mt.mentions)
        entities.append(Entity(mt.key, "Meeting", label, frozenset(mt.names) - {label}, spans, NAME))
        first = doc.sentences[mt.mentions[0].sent]
        if mt.date:
            dsent = next((doc.sentences[m.sent] for m in mt.mentions if m.date and m.date.value), first)
            relations.append(Relation(mt.key, "startDate", mt.date.isoformat(), Evidence(dsent.span, NAME, 0.8),
                                      literal=True))
        elif mt.day:  # the article has no date: keep the day, for resolution across articles
            dsent = next((doc.sentences[m.sent] for m in mt.mentions if m.date and m.date.day), first)
            relations.append(Relation(mt.key, "startDay", f"---{mt.day:02d}", Evidence(dsent.span, NAME, 0.6),
                                      literal=True))
        places: list[Relation] = []
        for m in mt.mentions:
            places.extend(place_relations(doc, mt.key, doc.sentences[m.sent], sent_words[m.sent], lex, entities))
        if mt is lead_meeting and lead is not None:
            # the lead sentence reports the event without naming it: "…에서 워킹그룹을 발족했다고 27일 밝혔다"
            report = next((d for d in sent_dates[lead] if d.kind == "report" and d.value), None)
            if mt.date is None and report and report.value:
                relations.append(Relation(mt.key, "startDate", report.value.isoformat(),
                                          Evidence(doc.sentences[lead].span, NAME, 0.6), literal=True))
            if not places:
                places = place_relations(doc, mt.key, doc.sentences[lead], sent_words[lead], lex, entities)
        relations.extend(places)
    return doc.with_entities(entities).with_relations(relations)


def _lead_meeting(doc: Document, meetings: list[Meeting]) -> tuple[int | None, Meeting | None]:
    """The first body sentence, when it reports an event without naming a meeting, and the meeting it reports
    (the first one the article names)."""
    lead = next((i for i, s in enumerate(doc.sentences) if s.kind == "body"), None)
    if lead is None or not meetings or not ORGANIZE.search(doc.sentences[lead].span.text(doc.text)):
        return None, None
    if any(m.sent == lead for mt in meetings for m in mt.mentions):
        return None, None
    return lead, min(meetings, key=lambda mt: mt.mentions[0].sent)
