"""What was asked of the government, by whom, and as what kind of speech act.

A request has a *head* and *content*. Heads: a verb of asking (촉구, 요구, 요청, 건의, 제안 … in
demand_verbs.tsv), a need word ("X이 필요하다", "X가 시급하다"), or an asking ending ("지원해 달라",
"마련되면 좋겠다", "확대해야 한다"); the words are in request_words.tsv. Content is either the noun phrase
right before the head ("유연한 규제 적용과 실질적인 지원을 촉구") split at its coordinations, or a clause
("…원칙을 반영하고, …방안을 마련해줄 것을 요청"), whose verbal nouns become policies with their objects
("원칙 반영", "방안 마련").

The speaker is the quote's speaker, else the subject of the sentence (a person before an organisation), else,
for collective subjects ("기업들은", "참석자들은"), reported requests without a subject ("…는 목소리가
나왔다") and headlines, every non-government participant of the meeting. A government speaker's own plans,
negated or rejected requests and questions are not demands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import Lexicon, load_lexicon, norm_key
from ..model import Document, Entity, Evidence, Relation, Sentence, Span
from .lexmatch import title_sector
from .participation import meeting_of_sentence
from .words import Word, sentence_words

__all__ = ["extract_demands"]

NAME = "demands"
_GOV_TYPES = ("GovernmentAgency", "Legislature", "PoliticalParty")
_GOV_SECTORS = ("gov", "legis", "party")
_SPEAKERS = ("Person", "Organization", "Company", "Association", "ResearchInstitute", "University",
             "GovernmentAgency", "Legislature", "PoliticalParty")
_SUBJECT_PARTICLES = ("은", "는", "이", "가", "도", "께서")
_NP_BOUNDARY = ("은", "는", "이", "가", "에", "에게", "에서", "로", "으로", "도", "에는", "에서는", "라며", "이라며",
                "을", "를", "에도", "과는", "와는", "부터", "에서도", "께서")
_POSTPOSITION_VERBS = ("위한", "위해", "통한", "통해", "대한", "향한", "위해서는", "관한", "따른")
_CONJUNCTIONS = ("과", "와")
_CLAUSE_END = re.compile(r"(?:며|면서|지만|는데|데|니까|라며|라면서|다며|다면서)$")
_COMPLEMENT = re.compile(r"(?:달라|하라|해라|도록|라|자|야|자고|라고|다고|라는|다는|달라는|하자는)(?:고|는|며)?$")
_REPORTED = re.compile(r"(?:목소리|제안|요청|요구|의견|주장|제언|건의|지적|당부|호소)\S*\s+(?:\S+\s+)?"
                       r"(?:나왔|나오|제기|이어졌|이어지|제시|쏟아|잇따)|(?:주장|제언|의견|요청|건의)(?:입니다|이다)")
_ADDRESSEE = ("에", "에게", "께", "에도", "에게도")
_NOT_THIS = re.compile(r"\s*(?:것이|게)\s*아니라|\s*것보다")
_NEGATION = re.compile(r"^\S*\s*(?:않|안\s|안된|없|말라|말아|거절|거부|반대|난색|일축|무산)")
_QUOTE_CHARS = "‘’'\"“”「」『』"


@dataclass(frozen=True)
class _Head:
    index: int  # the head word
    content_end: int  # index of the last word of the content
    act: str
    clause: bool  # the content is a clause (verbal nouns) rather than a noun phrase


def _is_verb_word(w: Word) -> bool:
    return w.has_tag("XSV", "VV", "VX")


def _head_at(words: list[Word], k: int, lex: Lexicon) -> _Head | None:
    w = words[k]
    first = w.morphs[0][0] if w.morphs else w.stem
    for stem, (act, _code) in lex.demand_verbs.items():
        if act == "statement" or first != stem:
            continue
        if k == 0:
            return None
        if k >= 2 and words[k - 1].particle in _ADDRESSEE and words[k - 2].particle in ("을", "를"):
            k -= 1  # "보조금 확대를 정부에 건의했다": the addressee stands between what is asked and the verb
        prev = words[k - 1]
        if any(prev.stem.startswith(n) for n in lex.need_words):
            return None  # "X이 필요하다고 요청": the need word is the head
        if prev.stem in ("것", "점") and k >= 2:
            return _Head(k, k - 2, act, True)
        predicate = prev.has_tag("E", "XSA", "VA", "VCP")
        if prev.particle in ("을", "를") or (not prev.particle and not predicate):
            return _Head(k, k - 1, act, False)
        if (predicate and _COMPLEMENT.search(prev.text.rstrip(_QUOTE_CHARS + "고"))) or _COMPLEMENT.search(prev.text):
            return _Head(k, k - 1, act, True)
        return None
    for need, act in lex.need_words.items():
        if not w.stem.startswith(need) or k == 0:
            continue
        j = k - 1
        while j > 0 and words[j].text in lex.adverbs:
            j -= 1
        prev = words[j]
        if w.stem.endswith("성"):
            return None  # 필요성: a noun about need, not a need
        if prev.particle in ("이", "가") and not _is_verb_word(prev):
            return _Head(k, j, act, False)
        if not prev.particle and not prev.trail and not prev.has_tag("E", "XSA", "VA", "VCP"):
            return _Head(k, j, act, False)  # headline style: "규제 개선 필요"
        if prev.text.endswith(("할", "될")):
            return _Head(k, j, act, True)
        return None
    if _is_verb_word(w):
        nxt = words[k + 1] if k + 1 < len(words) else None
        tail = w.text[len(first):] + (" " + nxt.text if nxt else "")
        for ending, act in lex.request_endings:
            if ending in tail and tail.index(ending) <= len(w.text) - len(first) + 1:
                if nxt and _head_at(words, k + 1, lex) is not None:
                    return None  # "지원해 달라고 요청했다": the verb of asking is the head
                return _Head(k, k, act, True)
    return None


def _np_start(words: list[Word], end: int, lex: Lexicon, limit: int = 0) -> int:
    """The first word of the noun phrase that ends at ``end``, not before ``limit``."""
    start = end
    while start > limit:
        prev = words[start - 1]
        if (words[start].lead and words[start].lead[-1] in "“\"") or (prev.trail and prev.trail[0] not in ",’'”\"·"):
            break
        if prev.particle in _NP_BOUNDARY and words[start].text not in _POSTPOSITION_VERBS:
            break
        if (prev.has_tag("E") and not prev.has_tag("ETM")) or prev.stem in lex.boundary_nouns:
            break
        if any(prev.stem.endswith(c.replace(" ", "")) for c in lex.collective):
            break  # a headline's subject: "기업인들, 세제 혜택 … 요청"
        if prev.trail.startswith(",") and _predicate_item(words, start - 1, limit):
            break  # "반도체는 차세대 성장 동력, 예산 지원 절실": the item before the comma says what 반도체 is
        start -= 1
        if end - start >= 14:
            break
    return start


def _predicate_item(words: list[Word], last: int, limit: int) -> bool:
    """Whether the comma item ending at word ``last`` follows a subject ("X는 Y,"), so is a predicate."""
    i = last
    while i > limit and not words[i - 1].particle and not words[i - 1].trail and not words[i].lead:
        i -= 1
    return i > limit and not words[i].lead and words[i - 1].particle in ("은", "는", "이", "가")


def _trim_modifiers(words: list[Word], start: int, end: int) -> int:
    """Skip leading words that belong to a verb whose argument is outside ("체감할 수 있는 서비스" -> "서비스")."""
    while start < end:
        w = words[start]
        verbal = w.has_tag("VV", "VX", "XSV", "VCN") and w.has_tag("ETM") and w.text not in _POSTPOSITION_VERBS
        # "방지가 목적인 법안": a copula whose subject is outside; 실질적인 지원 keeps its 적인
        verbal = verbal or (w.has_tag("VCP") and w.has_tag("ETM") and not w.text.endswith("적인"))
        # "사전학습이 가능한 인프라": an adjective whose subject stands before the phrase
        verbal = verbal or (w.has_tag("XSA", "VA") and w.has_tag("ETM") and start > 0
                            and words[start - 1].particle in ("이", "가"))
        adverb = w.morphs and all(tag == "MAG" for _f, tag in w.morphs)  # 먼저, 특히
        if verbal or adverb or w.stem in ("수", "것", "등") or w.text in ("있는", "없는", "있도록", "할", "될"):
            start += 1
            continue
        break
    return start


def _text(doc: Document, words: list[Word], start: int, end: int) -> tuple[str, Span]:
    """The surface of words ``start``..``end`` (the last without its particle), quotes removed."""
    span = Span(words[start].start, words[end].start + len(words[end].stem))
    text = re.sub(f"[{_QUOTE_CHARS}]", "", span.text(doc.text))
    return re.sub(r"\s+", " ", text).strip(" ,"), span


def _split_points(words: list[Word], start: int, end: int) -> list[int]:
    """Indexes after which a coordinated noun phrase splits (과/와, 및, commas, 등), none inside a relative clause."""
    last_clause = start - 1
    for j in range(start, end + 1):
        w = words[j]
        if w.has_tag("VV", "XSV") and w.has_tag("ETM") and w.text not in _POSTPOSITION_VERBS:
            last_clause = j
    points = []
    for j in range(max(start, last_clause + 1), end):
        w = words[j]
        if w.particle in _CONJUNCTIONS or w.trail.startswith(",") or w.trail.startswith("·") or words[j + 1].text in ("및", "등") or w.text in ("및", "등"):
            points.append(j)
    return points


def _noun_phrases(doc: Document, words: list[Word], start: int, end: int, lex: Lexicon) -> list[tuple[str, Span]]:
    out = []
    cuts = _split_points(words, start, end)
    deung = [n for n in range(start, end) if words[n].text == "등"]
    if len(deung) == 1 and all(c in (deung[0] - 1, deung[0]) for c in cuts) and deung[0] + 1 <= end:
        cuts, start = [], deung[0] + 1  # "AI 반도체 등 대규모 컴퓨팅 인프라 구축": one example of what is asked
    bounds = [start, *[c + 1 for c in cuts]]
    for n, b in enumerate(bounds):
        e = (cuts[n] if n < len(cuts) else end)
        while e >= b and words[e].text in ("및", "등"):
            e -= 1
        b = _trim_modifiers(words, b, e)
        while b <= e and words[b].text in ("및", "등"):
            b += 1
        if b > e:
            continue
        out.append(_text(doc, words, b, e))
    return [(t, s) for t, s in out if _is_policy(t, lex)]


def _is_policy(text: str, lex: Lexicon) -> bool:
    """Not a bare generic noun ("방안", "현장의 애로사항", "적용 방법") nor a pronoun."""
    words = text.split()
    if len(norm_key(text)) < 2 or text in lex.generic_nouns or text.startswith(("이를", "그것")):
        return False
    return not (len(words) <= 2 and words[-1] in lex.generic_nouns)


def _verbal_noun(w: Word) -> str | None:
    """The noun of a 하다/되다 verb: 마련해줄 -> 마련, 세분화할 -> 세분화."""
    for n, (_form, tag) in enumerate(w.morphs):
        if tag == "XSV" and n > 0:
            noun = "".join(f for f, _t in w.morphs[:n])
            if w.text.startswith(noun):
                return noun
            return None
    return None


def _clause_policies(doc: Document, words: list[Word], start: int, end: int, lex: Lexicon) -> list[tuple[str, Span]]:
    """Each verbal noun of the clause with its object: "원칙을 반영하고" -> "원칙 반영"."""
    out = []
    for v in range(start, end + 1):
        verb = words[v]
        j = v - 1
        if j < start or verb.text in _POSTPOSITION_VERBS or not _is_verb_word(verb):
            continue
        obj = words[j]
        if obj.stem in lex.effort_nouns and obj.particle in ("을", "를"):
            if j - 1 >= start and words[j - 1].particle in ("에", "에도", "에서도"):
                b = _trim_modifiers(words, _np_start(words, j - 1, lex, start), j - 1)
                out.append(_text(doc, words, b, j - 1))
            else:
                b = _trim_modifiers(words, _np_start(words, j, lex, start), j)
                if b < j:
                    out.append(_text(doc, words, b, j))
            continue
        noun = _verbal_noun(verb) or (lex.verb_nouns.get(verb.morphs[0][0]) if verb.morphs and
                                      verb.morphs[0][1].startswith("VV") else None)
        if not noun or _NOT_THIS.match(doc.text[verb.end : verb.end + 12]):
            continue  # "법안을 참조할 것이 아니라": what is asked is the alternative, not this
        if verb.has_tag("ETM") and v != end and not (v + 1 < len(words) and words[v + 1].stem in lex.generic_nouns):
            continue  # a relative clause about something else ("미래를 좌우할 인공지능")
        passive = any(t == "XSV" and f in ("되", "돼") for f, t in verb.morphs)
        if obj.particle not in (("이", "가") if passive else ("을", "를", "로", "으로")):
            continue
        if noun in lex.light_nouns:  # "양질의 데이터가 확보가 동반돼야" -> 양질의 데이터 확보
            if j - 1 >= start and words[j - 1].particle in ("이", "가"):
                b = _trim_modifiers(words, _np_start(words, j - 1, lex, start), j - 1)
                text, span = _text(doc, words, b, j - 1)
                out.append((f"{text} {obj.stem}", Span(span.start, obj.start + len(obj.stem))))
            else:
                b = _trim_modifiers(words, _np_start(words, j, lex, start), j)
                out.append(_text(doc, words, b, j))
            continue
        b = _trim_modifiers(words, _np_start(words, j, lex, start), j)
        if b > j:
            continue
        text, span = _text(doc, words, b, j)
        if _is_policy(text, lex):
            out.append((f"{text} {noun}", Span(span.start, verb.start + len(noun))))
    return out


def _clause_start(words: list[Word], end: int) -> int:
    start = end
    while start > 0:
        prev = words[start - 1]
        if prev.particle in ("은", "는", "께서") and not _is_verb_word(prev):
            break
        if prev.lead and prev.lead[-1] in "“\"" and start - 1 < end:
            return start - 1
        if prev.trail and prev.trail[0] in ".”\"":
            break
        if _is_verb_word(prev) and _CLAUSE_END.search(prev.text):
            break
        start -= 1
    return start


class _Speakers:
    """Who is speaking where: quote speakers, government people and bodies, and meeting participants."""

    def __init__(self, doc: Document, lex: Lexicon) -> None:
        self.types = {e.key: e.type for e in doc.entities}
        stated = {r.object: r.subject for r in doc.relations if r.predicate == "stated"}
        self.quotes = [(e.spans[0], stated[e.key]) for e in doc.entities if e.type == "Quote" and e.key in stated]
        self.quote_spans = [span for e in doc.entities if e.type == "Quote" for span in e.spans]
        self.gov = {k for k, t in self.types.items() if t in _GOV_TYPES}
        affiliated = {r.subject for r in doc.relations if r.predicate == "affiliation"}
        for r in doc.relations:
            if r.predicate == "affiliation" and r.object in self.gov:
                self.gov.add(r.subject)
            if r.predicate == "jobTitle" and r.subject not in affiliated and title_sector(r.object, lex) in _GOV_SECTORS:
                self.gov.add(r.subject)
        self.attendees: dict[str, list[str]] = {}
        hosts = {(r.subject, r.object) for r in doc.relations if r.predicate == "organizer"}
        for r in doc.relations:  # the hosts hear the demands; the guests make them
            if (r.predicate == "attended" and r.subject not in self.gov and (r.subject, r.object) not in hosts
                    and r.subject not in self.attendees.get(r.object, [])):
                self.attendees.setdefault(r.object, []).append(r.subject)
        self.mentions = sorted((s.start, s.end, e.key) for e in doc.entities if e.type in _SPEAKERS for s in e.spans)

    def quote_speaker(self, pos: int) -> str | None:
        return next((sp for span, sp in self.quotes if span.start <= pos < span.end), None)

    def in_quote(self, pos: int) -> bool:
        return any(span.start <= pos < span.end for span in self.quote_spans)

    def collective(self, meeting: str | None) -> list[str]:
        """The participants a collective subject stands for: the organisations, else the people."""
        if meeting and meeting in self.attendees:
            keys = self.attendees[meeting]
        else:
            keys = list(dict.fromkeys(k for keys in self.attendees.values() for k in keys))
        orgs = [k for k in keys if self.types.get(k) != "Person"]
        return orgs or keys

    def next_speaker(self, doc: Document, sent: Sentence, lex: Lexicon) -> list[str] | None:
        """The named person who is the subject of the sentence after ``sent``, if one is."""
        i = doc.sentences.index(sent)
        nxt = doc.sentences[i + 1] if i + 1 < len(doc.sentences) else None
        if nxt is None or nxt.kind != "body":
            return None
        words = sentence_words(doc, nxt)
        found = self.subject(nxt, words, len(words), lex)
        if isinstance(found, list) and all(self.types.get(k) == "Person" and k not in self.gov for k in found):
            return found
        return None

    def subject(self, sent: Sentence, words: list[Word], until: int, lex: Lexicon) -> list[str] | str | None:
        """The subject of the sentence before word ``until``: entity keys, "collective", or None."""
        for w in words[:until]:
            if w.particle not in _SUBJECT_PARTICLES and not w.particle.startswith("들"):
                continue
            stem = w.stem
            if any(stem.endswith(c.replace(" ", "")) or stem.endswith(c.split()[-1]) for c in lex.collective):
                return "collective"
            if stem in ("그", "그녀"):
                before = [m for m in self.mentions if m[1] <= w.start and self.types[m[2]] == "Person"]
                return [before[-1][2]] if before else None
            near = [m for m in self.mentions if sent.span.start <= m[0] <= w.start and w.start - m[0] < 40]
            if near:
                persons = [m for m in near if self.types[m[2]] == "Person"]
                return [(persons or near)[0][2]]
        return None


_NAMED, _COLLECTIVE = 0.7, 0.5  # confidence of a demand by a named speaker, and by participants collectively


def extract_demands(doc: Document) -> Document:
    lex = load_lexicon()
    speakers = _Speakers(doc, lex)
    by_sent = meeting_of_sentence(doc)
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []
    for i, sent in enumerate(doc.sentences):
        if sent.kind not in ("body", "title") or sent.span.text(doc.text).rstrip(" ”\"'’").endswith("?"):
            continue
        words = sentence_words(doc, sent)
        seen: set[tuple[str, str]] = set()
        for k in range(len(words)):
            head = _head_at(words, k, lex)
            if head is None or _NEGATION.match(doc.text[words[k].end : words[k].end + 12]):
                continue
            if head.clause:
                start = _clause_start(words, head.content_end)
                policies = _clause_policies(doc, words, start, head.content_end, lex)
            else:
                start = _np_start(words, head.content_end, lex)
                policies = _noun_phrases(doc, words, start, head.content_end, lex)
            if not policies:
                continue
            who = _who(doc, speakers, sent, words, words[k].start, start, by_sent[i], lex)
            if who is None:
                continue  # a government speaker: its own plans, not a demand
            subjects, named = who
            for text, span in policies:
                key = "Policy:" + norm_key(text)
                entity = Entity(key, "Policy", text, frozenset(), (span,), NAME)
                entities[key] = entities[key].merged(entity) if key in entities else entity
                for s in subjects:
                    if (s, key) not in seen:
                        seen.add((s, key))
                        relations.append(Relation(s, "demanded", key, Evidence(sent.span, NAME, _NAMED if named
                                                                               else _COLLECTIVE, head.act)))
    # A policy that a named speaker asks for somewhere in the article is theirs, not every participant's
    # (a sub-headline "… 바우처 지원 요구" summarises what one chief executive said).
    named_policies = {r.object for r in relations if r.evidence.confidence == _NAMED}
    relations = [r for r in relations if r.evidence.confidence == _NAMED or r.object not in named_policies]
    # A policy asked for by speakers not named (업계 관계자들, with no named participant) is still a policy.
    return doc.with_entities(list(entities.values())).with_relations(relations)


def _who(doc: Document, speakers: _Speakers, sent: Sentence, words: list[Word], head_pos: int, content_start: int,
         meeting: str | None, lex: Lexicon) -> tuple[list[str], bool] | None:
    """Who asked: entity keys (possibly none, when the askers are not named) and whether they were named rather
    than stood for by a collective; None for a government speaker."""
    if speakers.in_quote(head_pos):
        speaker = speakers.quote_speaker(head_pos)
        found: list[str] | str | None = [speaker] if speaker else None
    else:
        found = speakers.subject(sent, words, content_start, lex)
    reported = _REPORTED.search(doc.text[head_pos : sent.span.end])
    if found is None and reported and sent.kind == "body":
        # "…가 시급하다는 목소리가 나왔다. 유한주 네이버클라우드 랩장은 …": the voice is the next speaker's
        found = speakers.next_speaker(doc, sent, lex)
    if found is None and (sent.kind == "title" or reported):
        found = "collective"
    named = found != "collective"
    if found == "collective":
        found = speakers.collective(meeting)
    if found and all(s in speakers.gov for s in found):
        return None
    if found is None:
        return ([], False) if sent.kind == "title" or _REPORTED.search(doc.text[head_pos : sent.span.end]) else None
    return [s for s in found if s not in speakers.gov], named
