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
from ..model import Document, Entity, Evidence, Relation, Sentence
from .lexmatch import title_of, title_sector
from .participation import meeting_of_sentence
from .policies import QUOTE_CHARS, clause_policies, clause_start, is_verb_word, listed_items, noun_phrases, np_start
from .speakers import Speakers
from .words import Word, sentence_words

__all__ = ["extract_demands"]

NAME = "demands"
_COMPLEMENT = re.compile(r"(?:달라|하라|해라|도록|라|자|야|자고|라고|다고|라는|다는|달라는|하자는)(?:고|는|며)?$")
_REPORTED = re.compile(r"(?:목소리|제안|요청|요구|의견|주장|제언|건의|지적|당부|호소)\S*\s+(?:\S+\s+)?"
                       r"(?:나왔|나오|제기|이어졌|이어지|제시|쏟아|잇따|개진)|(?:주장|제언|의견|요청|건의)(?:입니다|이다)")
# "A, B 등 다양한 의견이 개진됐다": the opinions voiced are the listed items
_ADDRESSEE = ("에", "에게", "께", "에도", "에게도")
_NEGATION = re.compile(r"^\S*\s*(?:않|안\s|안된|없|말라|말아|거절|거부|반대|난색|일축|무산)")


@dataclass(frozen=True)
class _Head:
    index: int  # the head word
    content_end: int  # index of the last word of the content
    act: str
    clause: bool  # the content is a clause (verbal nouns) rather than a noun phrase
    listed: bool = False  # the content is a comma list from the start of the sentence ("A, B, C 등 의견이 나왔다")
    received: bool = False  # the host received the request ("사면 건의를 받고"): the guests made it


def _head_at(words: list[Word], k: int, lex: Lexicon) -> _Head | None:
    w = words[k]
    first = w.morphs[0][0] if w.morphs else w.stem
    asked = w.stem in lex.demand_verbs and lex.demand_verbs[w.stem][0] != "statement"
    if (w.particle in ("을", "를") and asked and k > 0 and k + 1 < len(words)
            and words[k + 1].text.startswith(lex.received_verbs) and not words[k - 1].particle
            and not words[k - 1].trail):
        return _Head(k, k - 1, "appeal", False, received=True)  # "… 부회장의 사면 건의를 받고": asked of the host
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
        if prev.stem.strip(QUOTE_CHARS) in ("것", "점") and k >= 2:  # "…마련해 줄 것"을 건의했다"
            return _Head(k, k - 2, act, True)
        predicate = prev.has_tag("E", "XSA", "VA", "VCP")
        if prev.particle in ("을", "를") or (not prev.particle and not predicate):
            return _Head(k, k - 1, act, False)
        if (predicate and _COMPLEMENT.search(prev.text.rstrip(QUOTE_CHARS + "고"))) or _COMPLEMENT.search(prev.text):
            return _Head(k, k - 1, act, True)
        return None
    for need, act in lex.need_words.items():
        if not w.stem.startswith(need) or k == 0:
            continue
        j = k - 1
        while j > 0 and words[j].text in lex.adverbs:
            j -= 1
        prev = words[j]
        nxt = words[k + 1] if k + 1 < len(words) else None
        if w.stem.endswith("성") and not (nxt and nxt.text.startswith(lex.stress_words)):
            return None  # 필요성: a noun about need, not a need, unless it is stressed ("필요성을 강조했다")
        if w.text.endswith("한") and nxt is not None and nxt.stem.strip(QUOTE_CHARS) not in ("것", "상황"):
            return None  # "인력이 필요한 시기에": the need describes a time, nobody asks for it
        if prev.particle in ("이", "가", "도") and not is_verb_word(prev):
            return _Head(k, j, act, False)
        if prev.particle == "의" and w.stem.endswith("성") and not is_verb_word(prev):
            return _Head(k, j, act, False)  # "규제 개선의 필요성을 강조했다"
        if not prev.particle and not prev.trail and not prev.has_tag("E", "XSA", "VA", "VCP"):
            return _Head(k, j, act, False)  # headline style: "규제 개선 필요"
        if prev.text.endswith(("할", "될")):
            return _Head(k, j, act, True)
        return None
    voiced = w.stem in lex.voiced_nouns and w.particle in ("이", "가", "도", "들이")
    if voiced and k + 1 < len(words) and words[k + 1].text.startswith(lex.voicing_verbs):
        j = k - 1
        while j > 0 and not words[j].particle and words[j].has_tag("VA", "XSA", "MM") and words[j].stem != "등":
            j -= 1  # 다양한, 여러
        if j > 0 and words[j].stem == "등" and not words[j].particle:
            return _Head(k, j - 1, "appeal", False, listed=True)
        return None
    if is_verb_word(w):
        nxt = words[k + 1] if k + 1 < len(words) else None
        tail = w.text[len(first):] + (" " + nxt.text if nxt else "")
        for ending, act in lex.request_endings:
            if ending in tail and tail.index(ending) <= len(w.text) - len(first) + 1:
                if nxt and _head_at(words, k + 1, lex) is not None:
                    return None  # "지원해 달라고 요청했다": the verb of asking is the head
                return _Head(k, k, act, True)
    return None


_NAMED, _COLLECTIVE = 0.7, 0.5  # confidence of a demand by a named speaker, and by participants collectively


def extract_demands(doc: Document) -> Document:
    lex = load_lexicon()
    speakers = Speakers(doc, lex)
    by_sent = meeting_of_sentence(doc)
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []
    carried: tuple[int, tuple[list[str], bool]] | None = None  # the askers of the last sentence with a demand
    for i, sent in enumerate(doc.sentences):
        if sent.kind not in ("body", "title") or sent.span.text(doc.text).rstrip(" ”\"'’").endswith("?"):
            continue
        words = sentence_words(doc, sent)
        seen: set[tuple[str, str]] = set()
        before = carried[1] if carried and carried[0] == i - 1 and sent.kind == "body" else None
        if before is None and i > 0 and sent.kind == "body" and doc.sentences[i - 1].kind == "body":
            prev = doc.sentences[i - 1]  # "두 사람은 … 의견을 모았다. 이에 따라 … 필요하다는 데 공감했다"
            pwords = sentence_words(doc, prev)
            topic = speakers.subject(prev, pwords, len(pwords), lex)
            if topic is not None:
                before = _resolve(speakers, topic, by_sent[i - 1], prev, pwords, len(pwords))
            elif by_sent[i] is not None and _REPORTED.search(prev.span.text(doc.text)):
                # "현장에서는 … 의견이 나왔다. … 규제 샌드박스 필요성도 강조했다": the same voices go on
                before = _resolve(speakers, "collective", by_sent[i], sent, words, 0)
        for k in range(len(words)):
            head = _head_at(words, k, lex)
            if head is None or _NEGATION.match(doc.text[words[k].end : min(words[k].end + 12, sent.span.end)]):
                continue
            listed = listed_items(doc, words, head.content_end + 1, lex)
            if listed:
                start = next(n for n, w in enumerate(words) if w.start >= listed[0][1].start)
                policies = listed
            elif head.clause:
                start = clause_start(words, head.content_end)
                policies = clause_policies(doc, words, start, head.content_end, lex)
            else:
                start = np_start(words, head.content_end, lex) if not head.listed else next(
                    (n + 1 for n in range(head.content_end, -1, -1) if words[n].particle in ("은", "는")), 0)
                policies = noun_phrases(doc, words, start, head.content_end, lex, head.listed)
            if not policies:
                continue
            if head.received:  # the one who received it heard it; the ones met asked
                who = _resolve(speakers, "collective", by_sent[i], sent, words, start, words[k].start)
            else:
                who = _who(doc, speakers, sent, words, words[k].start, start, by_sent[i], lex, before)
            if who is None:
                continue  # a government speaker: its own plans, not a demand
            subjects, named = who
            carried = (i, who)
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


def _headline_subject(words: list[Word]) -> list[Word]:
    """The words before a headline's first comma ("김민준 금융위원장, …"), if it has one early."""
    end = next((n for n, w in enumerate(words[:4]) if w.trail.startswith(",")), None)
    return words[: end + 1] if end is not None else []


def _government_word(w: Word, lex: Lexicon) -> bool:
    entry = lex.gazetteer(w.stem)
    title = title_of(w.stem, lex)
    if entry and entry.type in ("GovernmentAgency", "Legislature"):
        return True
    return bool(title and title_sector(title, lex) == "gov")


def _resolve(speakers: Speakers, found: list[str] | str, meeting: str | None, sent: Sentence, words: list[Word],
             content_start: int, head_pos: int | None = None) -> tuple[list[str], bool] | None:
    """The entities a subject stands for (the participants, for a collective one) and whether it was named;
    None when it is the government."""
    named = found != "collective"
    if found == "collective":
        upto = words[content_start].start if content_start < len(words) else (head_pos or sent.span.end)
        found = speakers.collective(meeting, (sent.span.start, upto))
    assert not isinstance(found, str)
    if found and all(s in speakers.gov for s in found):
        return None
    return found, named


def _has_subject(words: list[Word], upto: int) -> bool:
    """Whether a word before ``upto`` is marked as the sentence's subject (not one inside a relative clause:
    "공공기관이 보유한 데이터")."""
    for n, w in enumerate(words[: min(upto, len(words))]):
        nxt = words[n + 1] if n + 1 < len(words) else None
        if w.particle in ("은", "는", "이", "가") and not (nxt and nxt.has_tag("ETM")):
            return True
    return False


def _who(doc: Document, speakers: Speakers, sent: Sentence, words: list[Word], head_pos: int, content_start: int,
         meeting: str | None, lex: Lexicon,
         before: tuple[list[str], bool] | None = None) -> tuple[list[str], bool] | None:
    """Who asked: entity keys (possibly none, when the askers are not named) and whether they were named rather
    than stood for by a collective; None for a government speaker. ``before``: the askers of the sentence just
    before, who ask on when this one names no subject ("아울러 … 제도개선이 필요하다고 요구했다")."""
    if speakers.in_quote(head_pos):
        speaker = speakers.quote_speaker(head_pos)
        found: list[str] | str | None = [speaker] if speaker else None
    else:
        found = speakers.subject(sent, words, content_start, lex)
    reported = _REPORTED.search(doc.text[head_pos : sent.span.end])
    if found is None and reported and sent.kind == "body":
        # "…가 시급하다는 목소리가 나왔다. 유한주 네이버클라우드 랩장은 …": the voice is the next speaker's
        found = speakers.next_speaker(doc, sent, lex)
    if found is None and not reported and before is not None and before[0] and not speakers.in_quote(
            head_pos) and not _has_subject(words, content_start):
        return before
    if found is None and sent.kind == "title" and any(_government_word(w, lex) for w in _headline_subject(words)):
        return None  # "금융위원장, 은행장들과 간담회…'상생금융 확대' 주문": the headline's subject is the government
    if found is None and (sent.kind == "title" or reported):
        found = "collective"
    if found is not None:
        resolved = _resolve(speakers, found, meeting, sent, words, content_start, head_pos)
        if resolved is None:
            return None
        found, named = resolved
    else:
        named = True
    if found is None:
        return ([], False) if sent.kind == "title" or _REPORTED.search(doc.text[head_pos : sent.span.end]) else None
    return [s for s in found if s not in speakers.gov], named
