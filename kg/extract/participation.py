"""Who organised and who attended each meeting.

Every sentence belongs to the meeting under discussion (the one mentioned last). In it, people and
organisations before an attendance verb (참석, 참여, 자리를 함께) attended, and so did those the other shapes of
``presence`` name; the one named with 주재, or the subject of 개최/주최/갖고/방문해, organised it (and attended).
People quoted while a meeting is under discussion attended it, and so did the bodies of those who attended.
"""

from __future__ import annotations

import re
from functools import cache

from ..lexicon import load_lexicon, norm_key
from ..model import Document, Entity, Evidence, Relation, Sentence, Span
from .lexmatch import ORGANIZE, meeting_word
from .presence import AS_NOUN, HOST_BY, guests, invited, mentions_in, participles, present_at, speakers, topic_before
from .words import sentence_words

__all__ = ["extract_participation", "meeting_of_sentence"]

NAME = "participation"
_PROPAGATE = ("Company", "Association", "ResearchInstitute", "University", "Organization", "GovernmentAgency",
              "PoliticalParty")


def meeting_of_sentence(doc: Document) -> list[str | None]:
    """For each sentence, the key of the meeting under discussion there."""
    first: dict[int, list[tuple[int, str]]] = {}
    meetings = [e for e in doc.entities if e.type == "Meeting"]
    for m in meetings:
        for span in m.spans:
            for i, s in enumerate(doc.sentences):
                if s.span.start <= span.start < s.span.end:
                    first.setdefault(i, []).append((span.start, m.key))
    out: list[str | None] = []
    current = None
    opening = min(first) if first else None
    for i, sent in enumerate(doc.sentences):
        if i in first and sent.kind == "caption":  # a photo's caption speaks of its meeting, the text goes on
            out.append(max(first[i])[1])
            continue
        if i in first:
            current = max(first[i])[1]  # the one mentioned last
        out.append(current if current else (min(first[opening])[1] if opening is not None else None))
    return out


@cache
def _attend_pattern() -> re.Pattern[str]:
    lex = load_lexicon()
    stems = [s for s, role in lex.event_verbs.items() if role in ("attendee", "present")] + list(lex.meeting_verbs)
    return re.compile("|".join(r"\s*".join(map(re.escape, s.split())) for s in sorted(stems, key=len, reverse=True)))


def extract_participation(doc: Document) -> Document:
    by_sent = meeting_of_sentence(doc)
    attend = _attend_pattern()
    affiliation = {r.subject: r.object for r in doc.relations if r.predicate == "affiliation"}
    rels: list[Relation] = []
    attendees: dict[str, set[str]] = {}
    for i, sent in enumerate(doc.sentences):
        meeting = by_sent[i]
        if meeting is None:
            continue
        text = sent.span.text(doc.text)
        ev = Evidence(sent.span, NAME, 0.8)
        att = None
        for m in attend.finditer(text):
            if not AS_NOUN.match(text, m.end()) and not _in_meeting_word(text, m):
                att = m  # not "사면 건의를 받고" (what was received) nor "토론회" (a name, not a part taken)
        if att:
            present = mentions_in(doc, sent.span.start, sent.span.start + att.start())
            # 김주영 국회 환경노동위원회 간사: the member attends, not the committee
            titled = {affiliation.get(e.key) for _span, e in present if e.type == "Person"}
            for _span, e in present:
                if e.key in titled and e.type not in _PROPAGATE:
                    continue
                rels.append(Relation(e.key, "attended", meeting, ev))
                attendees.setdefault(meeting, set()).add(e.key)
        mentions_meeting = any(sent.span.start <= sp.start < sent.span.end
                               for e in doc.entities if e.key == meeting for sp in e.spans)
        org = _organize_verb(text)
        if mentions_meeting:
            for key in present_at(doc, sent, meeting):  # "A, B, C가 … '소재 간담회'에서 기념촬영을 하고 있다"
                rels.append(Relation(key, "attended", meeting, ev))
                attendees.setdefault(meeting, set()).add(key)
        if org and mentions_meeting:
            for key in guests(doc, sent, meeting):
                rels.append(Relation(key, "attended", meeting, ev))
                attendees.setdefault(meeting, set()).add(key)
        if org and (mentions_meeting or (sent.kind == "body" and i == _first_body(doc, by_sent, meeting))):
            hosts = _organizers(doc, sent, sent.span.start + org.start()) or topic_before(doc, i, org.start())
            for key in hosts:
                rels.append(Relation(key, "organizer", meeting, Evidence(sent.span, NAME, 0.75)))
                rels.append(Relation(key, "attended", meeting, Evidence(sent.span, NAME, 0.7)))
                attendees.setdefault(meeting, set()).add(key)
        for key in participles(doc, sent):  # "간담회에 참석한 A 대표는 …"
            rels.append(Relation(key, "attended", meeting, ev))
            attendees.setdefault(meeting, set()).add(key)
        if sent.kind == "body":
            for key in speakers(doc, sent):  # "고영하 회장은 … 필요하다고 언급했다": he spoke there
                rels.append(Relation(key, "attended", meeting, Evidence(sent.span, NAME, 0.6)))
                attendees.setdefault(meeting, set()).add(key)
    for meeting, key, span in invited(doc):  # "김하늘 장관 초청 간담회": the guest of honour attended
        rels.append(Relation(key, "attended", meeting, Evidence(span, NAME, 0.7)))
        attendees.setdefault(meeting, set()).add(key)
    for r in doc.relations:
        if r.predicate == "stated":
            n = next((n for n, s in enumerate(doc.sentences)
                      if s.span.start <= r.evidence.sentence.start < s.span.end), None)
            quoted_at = by_sent[n] if n is not None else None
            if quoted_at:
                rels.append(Relation(r.subject, "attended", quoted_at, Evidence(r.evidence.sentence, NAME, 0.6)))
                attendees.setdefault(quoted_at, set()).add(r.subject)
    types = {e.key: e.type for e in doc.entities}
    rels = [r for r in rels if not (r.predicate == "attended" and _launches(doc, r.subject, r.object))]
    # a post given in brackets ("(… TF 자문위원)") is not the side the person came for
    homes: dict[str, list[Relation]] = {}
    for r in doc.relations:
        if r.predicate == "affiliation" and types.get(r.object) in _PROPAGATE and r.evidence.extractor != "careers":
            homes.setdefault(r.subject, []).append(r)
    seen_at = {(r.subject, r.object, r.evidence.sentence) for r in rels if r.predicate == "attended"}
    for meeting, keys in attendees.items():
        for key in keys:
            posts = homes.get(key, [])
            # namesakes of one article (one person to kg here): the body named where they attended this meeting
            named_here = [r for r in posts if (key, meeting, r.evidence.sentence) in seen_at]
            for r in (named_here or posts) if len({p.object for p in posts}) <= 2 or named_here else ():
                rels.append(Relation(r.object, "attended", meeting, Evidence(r.evidence.sentence, NAME, 0.6)))
    return doc.with_relations(rels)


def _in_meeting_word(text: str, m: re.Match[str]) -> bool:
    """토론 in 토론회: the stem begins a meeting's word, it is no verb."""
    lex = load_lexicon()
    return any(len(w) > len(m.group(0)) and text.startswith(w, m.start()) for w in lex.meeting_words)


def _launches(doc: Document, org: str, meeting: str) -> bool:
    """'금융권 AI 협의회' at the '금융권 AI 협의회 발족식': the body is what the meeting launches, not a guest."""
    o, m = doc.entity(org), doc.entity(meeting)
    return bool(o and m and o.type != "Person" and len(o.label) >= 4 and norm_key(o.label) in norm_key(m.label))


def _organize_verb(text: str) -> re.Match[str] | None:
    """The first verb of organising; 진행 only with a meeting as its object ("간담회를 진행했다", not
    "강연을 진행했다", which a speaker does)."""
    lex = load_lexicon()
    for m in ORGANIZE.finditer(text):
        if m.group(0) != "진행":
            return m
        obj = re.search(r"(\S+?)(?:을|를)\s*$", text[: m.start()])
        if obj and meeting_word(obj.group(1).rstrip("’'”\"」』"), lex):
            return m
    return None


def _first_body(doc: Document, by_sent: list[str | None], meeting: str) -> int:
    return next((i for i, s in enumerate(doc.sentences) if by_sent[i] == meeting and s.kind == "body"), -1)


_HOSTED = re.compile(r"\S*(?:이|가)\s*(?:공동(?:으로)?\s*|함께\s*)?(?:개최|주최|주관)한")  # X가 (공동) 주최한


def _organizers(doc: Document, sent: Sentence, verb_pos: int) -> list[str]:
    """주재로 X / X가 개최한 / the topic or subject of the sentence, before the verb."""
    words = sentence_words(doc, sent)
    ents = mentions_in(doc, sent.span.start, verb_pos + 1)
    by_pos: dict[int, tuple[Span, Entity]] = {}
    for span, e in ents:  # of two names starting together (국회, 국회 AI 포럼) the longer
        if span.start not in by_pos or span.end > by_pos[span.start][0].end:
            by_pos[span.start] = (span, e)
    out: list[str] = []
    named: list[str] = []
    pending: list[str] = []
    for k, w in enumerate(words):
        if w.start > verb_pos:
            break
        if w.start not in by_pos:
            continue
        span, e = by_pos[w.start]
        following = doc.text[w.end : min(w.end + 30, sent.span.end)]
        end = k
        while end < min(k + 3, len(words) - 1) and not (words[end].particle or words[end].trail):
            if words[end + 1].lead.startswith("("):  # 포럼(대표의원 이인선, … 조승래)은
                end = next((n for n in range(end + 1, len(words)) if ")" in words[n].text), end)
                break
            end += 1
        particle = words[end].particle or words[end].trail
        if e.type != "Person" and any(x.start >= span.end and x.start in by_pos and by_pos[x.start][1].type != "Person"
                                      for x in words[k + 1 : end + 1]):
            particle = ""  # 국회 ‘…포럼’이: the subject is the forum; 국회 only names it
        if particle in ("와", "과"):  # 국정기획위원회 AI TF와 규제합리화 TF는: both, if the next one is the subject
            pending.append(e.key)
            continue
        hosted = _HOSTED.match(doc.text, words[end].start, min(words[end].end + 12, sent.span.end))
        if HOST_BY.match(following) or hosted:
            named.extend([*pending, e.key])
        elif particle in ("은", "는", "이", "가"):
            out.extend([*pending, e.key])
        pending = []
    # One named as host (X가 주최한, X 주재로) is the organizer; the subject of the sentence is then a guest.
    return list(dict.fromkeys(named))[:4] if named else list(dict.fromkeys(out))[:3]
